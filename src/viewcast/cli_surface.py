"""`viewcast surface`: the error surface of linear:1 with gradient descent on it, the 1-D curves
(`--view curve`), and the loss landscape of any model (`--model relu:56x100x3`). Thin: parse, call
one library function, print (rich) or --json, draw (-o .png / .html)."""
from __future__ import annotations

import math
from typing import Annotated, List, Optional

import typer
from rich.table import Table

from . import models
from .clikit import (Column, DateColumn, Encoding, Fill, Json, Seed, Source, TestEnd, TestStart, TrainEnd, TrainStart,
                     DEFAULT_SOURCE, command, emit_json, fmt, out, progress_bar)
from .data import load_series
from .errors import ViewcastError
from .landscape import CurveConfig, LandscapeConfig, curves, model_landscape
from .surface import BOOK_B, BOOK_W, SurfaceConfig, error_surfaces
from .train import TrainConfig
from .windows import choose_split

VIEWS = ("auto", "surface", "curve", "landscape")


def _floats(text: str | None, name: str, n: int | None = None) -> tuple[float, ...] | None:
    if text is None:
        return None
    try:
        v = tuple(float(t) for t in text.split(",") if t.strip())
    except ValueError:
        v = ()
    if not v or (n is not None and len(v) != n) or not all(map(math.isfinite, v)):
        want = {2: "two numbers A,B, e.g. 0,2"}.get(n, "numbers separated by commas, e.g. 1e-9,1e-8")
        raise ViewcastError(f"{name} {text!r}: give {want}")
    return v


def register(app: typer.Typer) -> None:
    app.command("surface")(surface)


@command
def surface(
    source: Source = DEFAULT_SOURCE,
    model: Annotated[str, typer.Option("--model", "-m", help="linear:1 → its error surface L(w, b); any other spec → its loss landscape.")] = "linear:1",
    view: Annotated[str, typer.Option(help="surface (L(w, b) of linear:1), curve (L(w) and a non-convex sweep), landscape (any --model), or auto.")] = "auto",
    loss: Annotated[Optional[str], typer.Option(help="mae, mse or mae,mse (default: both for the surface, mae otherwise).")] = None,
    grid: Annotated[Optional[int], typer.Option(help="Grid points per axis (default 100 for the surface; 51 or 25 for a landscape).")] = None,
    w_range: Annotated[Optional[str], typer.Option("--w-range", help="LO,HI of w (default: around the exact optimum).")] = None,
    b_range: Annotated[Optional[str], typer.Option("--b-range", help="LO,HI of b (default: around the exact optimum).")] = None,
    start: Annotated[str, typer.Option(help="Gradient descent's start w,b (the curve uses w).")] = "0,0",
    lr: Annotated[Optional[str], typer.Option(help="Learning rate(s) η, e.g. 1e-9,1e-8,1e-7 (default: a too-small, a good and a too-large one).")] = None,
    steps: Annotated[Optional[int], typer.Option(help="Gradient-descent updates (default 200 on the surface, 50 on the curves).")] = None,
    normalize: Annotated[bool, typer.Option("--normalize/--no-normalize", help="Standard units instead of raw views: a round bowl, and η near 0.1 works.")] = False,
    param: Annotated[str, typer.Option(help="--view curve: the non-convex model's swept parameter.")] = CurveConfig.param,
    directions: Annotated[int, typer.Option(help="Landscape: 1 (a curve) or 2 (a surface) random directions.")] = 2,
    span: Annotated[float, typer.Option(help="Landscape: α, β ∈ [−span, span] (1 = each filter moved by its own norm).")] = 1.0,
    epochs: Annotated[int, typer.Option(help="Training updates for the models of --view curve/landscape.")] = TrainConfig.epochs,
    seed: Seed = 0,
    output: Annotated[Optional[List[str]], typer.Option("--output", "-o", help="Write the picture here: .png, or .html (interactive, offline). Repeat for both. Default: VIEW.png.")] = None,
    column: Column = None, date_column: DateColumn = None, fill: Fill = "none", encoding: Encoding = None,
    train_start: TrainStart = None, train_end: TrainEnd = None, test_start: TestStart = None, test_end: TestEnd = None,
    json_: Json = False,
) -> None:
    """The error surface L(w, b) of linear:1 and gradient descent on it; 1-D curves; any model's loss landscape."""
    spec = models.parse(model)
    if view not in VIEWS:
        raise ViewcastError(f"--view {view}: use surface, curve, landscape or auto")
    if view == "auto":
        view = "surface" if str(spec) == "linear:1" else "landscape"
    if view == "surface" and str(spec) != "linear:1":
        raise ViewcastError(f"--view surface draws L(w, b) of linear:1; for {spec} use --view landscape")
    if view == "landscape" and str(spec) == "linear:1":
        raise ViewcastError("--view landscape: linear:1 has one weight, its whole surface is `viewcast surface`; "
                            "pick a bigger model, e.g. --model linear:7 or relu:56x100x3")
    if view == "curve" and spec.kind == "linear":
        spec = models.parse(CurveConfig.model)  # the non-convex model beside linear:1's curve
    losses = tuple(t.strip() for t in (loss or ("mae,mse" if view == "surface" else "mae")).split(",") if t.strip())
    if view != "surface" and len(losses) != 1:
        raise ViewcastError(f"--loss {loss}: --view {view} takes one loss, mae or mse")
    w0, b0 = _floats(start, "--start", 2)
    lrs = _floats(lr, "--lr")
    s = load_series(source, column=column, date_column=date_column, fill=fill, encoding=encoding)
    split = choose_split(s, train_start, train_end, test_start, test_end)
    head = {"view": view, "source": s.name, "split": split.describe(), "normalize": normalize}

    if view == "surface":
        cfg = SurfaceConfig(losses=losses, grid=grid or SurfaceConfig.grid, w_range=_floats(w_range, "--w-range", 2),
                            b_range=_floats(b_range, "--b-range", 2), start=(w0, b0), lrs=lrs,
                            steps=steps or SurfaceConfig.steps, normalize=normalize)
        obj = error_surfaces(s, split, cfg)
        res = {**head, "model": "linear:1", "book": {"w": BOOK_W, "b": BOOK_B}, "surfaces": [_surface_json(x) for x in obj]}
    elif view == "curve":
        if lrs is not None and len(lrs) != 1:
            raise ViewcastError(f"--lr {lr}: --view curve takes one η")
        cfg = CurveConfig(loss=losses[0], normalize=normalize, start=w0, lr=lrs[0] if lrs else None,
                          steps=steps or CurveConfig.steps, model=str(spec), param=param, epochs=epochs, seed=seed)
        with progress_bar(json_, f"training {spec}") as (_, step):
            obj = curves(s, split, cfg, progress=step)
        res = {**head, "model": str(spec), "curves": [_curve_json(c) for c in obj]}
    else:
        cfg = LandscapeConfig(loss=losses[0], dims=directions, span=span, points=grid, epochs=epochs, seed=seed)
        with progress_bar(json_, f"training {spec}, then its landscape") as (_, step):
            obj, fitted = model_landscape(s, split, str(spec), cfg, progress=step)
        res = {**head, "model": str(spec), "loss": obj.loss, "params": obj.params, "directions": directions,
               "span": span, "alpha": obj.alpha, "beta": obj.beta, "L": obj.L, "center": obj.center,
               "nonconvex_share": obj.nonconvex, "train": fitted.train, "test": fitted.test}
    from .surface_plots import write  # matplotlib and plotly load only when drawing

    files = [str(write(view, obj, p)) for p in (output or [f"{view}.png"])]
    res["files"] = files
    if json_:
        return emit_json(res)
    {"surface": _print_surfaces, "curve": _print_curves, "landscape": _print_landscape}[view](obj, s, split)
    out.print("wrote " + ", ".join(files))


# ------------------------------------------------------------------ JSON
def _pt(p) -> dict:
    return {"w": p.w, "b": p.b, "loss": p.loss}


def _surface_json(s) -> dict:
    return {"loss": s.loss, "w": s.w, "b": s.b, "L": s.L, "cell": dict(zip("wb", s.cell)),
            "grid_min": _pt(s.grid_min), "exact": {**_pt(s.exact), "views": dict(zip("wb", s.exact_views))},
            "book": _pt(s.book), "cells_off": dict(zip("wb", s.cells_off)),
            "hessian": s.hessian, "condition": s.condition, "max_stable_lr": s.max_stable_lr,
            "paths": [{"lr": p.lr, "start": {"w": p.w[0], "b": p.b[0]}, "w": p.w, "b": p.b, "loss": p.loss,
                       "updates": len(p.loss) - 1, "final_loss": p.loss[-1],
                       "gap_pct": 100 * (p.loss[-1] / s.exact.loss - 1), "within_1pct_at": p.within_at,
                       "diverged_at": p.diverged_at, "diverged_loss": p.diverged_loss, "status": p.status}
                      for p in s.paths]}


def _curve_json(c) -> dict:
    gw, gl = c.global_min
    return {"title": c.title, "param": c.param, "loss": c.loss, "theta": c.theta, "L": c.L,
            "global_min": {"theta": gw, "loss": gl}, "trained": c.trained,
            "runs": [{"start": r.start, "lr": r.lr, "theta": r.theta, "loss": r.loss, "slope": r.slope,
                      "outcome": r.outcome} for r in c.runs]}


# ------------------------------------------------------------------ rich
def _print_surfaces(surfaces, s, split) -> None:
    for x in surfaces:
        u = "views" if x.loss == "mae" else "views²"
        units = "standard units" if x.normalize else "raw views"
        t = Table(title=f"{x.loss.upper()} error surface of linear:1 on {s.name} ({units}; {split.describe()})")
        for c in ("", "w", "b", f"L ({u})", ""):
            t.add_column(c, justify="right" if c else "left")
        cw, cb = x.cells_off
        t.add_row("exact optimum", f"{x.exact.w:.4f}", f"{x.exact.b:,.4g}", fmt(x.exact.loss), "LAD (an LP)" if x.loss == "mae" else "least squares")
        t.add_row(f"grid minimum ({len(x.w)}×{len(x.b)})", f"{x.grid_min.w:.4f}", f"{x.grid_min.b:,.4g}", fmt(x.grid_min.loss), f"{cw:.1f}, {cb:.1f} cells off")
        t.add_row("the book's", f"{x.book.w:.4f}", f"{x.book.b:,.4g}", fmt(x.book.loss), "its channel")
        out.print(t)
        g = Table(title=f"gradient descent from ({x.paths[0].w[0]:g}, {x.paths[0].b[0]:g})")
        for c in ("η", "ends at w", "b", f"L ({u})", "over L*", "status"):
            g.add_column(c, justify="left" if c == "status" else "right")
        for p in x.paths:
            gap = f"{100 * (p.loss[-1] / x.exact.loss - 1):.2f}%" if p.diverged_at is None else "—"
            g.add_row(f"{p.lr:g}", f"{p.w[-1]:.4g}", f"{p.b[-1]:,.4g}", fmt(p.loss[-1]), gap, p.status)
        out.print(g)
        if x.condition is not None:
            out.print(f"MSE's bowl: Hessian eigenvalues ratio {x.condition:,.3g} ({'a long narrow valley' if x.condition > 100 else 'round'}); "
                      f"gradient descent converges only for η < 2/λmax = {x.max_stable_lr:.3g}.")
        if not x.normalize and not any(p.within_at is not None for p in x.paths):
            out.print("In raw views w's slope is ~x̄ ≈ 10⁴ times b's: an η small enough for w barely moves b, so GD "
                      "stalls on the valley floor near b ≈ 0 (where the book's w ≈ 0.97 lies). Try --normalize.", style="dim")


def _print_curves(cs, s, split) -> None:
    for c in cs:
        gw, gl = c.global_min
        t = Table(title=f"{c.title}; global minimum L={fmt(gl)} at {c.param}={gw:.4g}")
        for col in ("start", "η", "updates", "ends at", "L", "slope there", "outcome"):
            t.add_column(col, justify="left" if col == "outcome" else "right")
        for r in c.runs:
            t.add_row(f"{r.start:.4g}", f"{r.lr:g}", str(len(r.loss) - 1), f"{r.theta[-1]:.4g}", fmt(r.loss[-1]),
                      f"{r.slope[-1]:.3g}", {"local": "stopped (slope 0) above the global minimum",
                                              "global": "reached the global minimum", "moving": "still moving",
                                              "diverged": "diverged"}[r.outcome])
        out.print(t)


def _print_landscape(la, s, split) -> None:
    what = "a curve along one" if la.beta is None else "a surface over two"
    out.print(f"{la.model} ({la.params:,} parameters) on {s.name}: {la.loss.upper()} as {what} filter-normalized random "
              f"direction(s) around the trained θ* (L = {fmt(la.center)}); range {fmt(float(la.L.min()))}…{fmt(float(la.L.max()))}.")
    out.print(f"L curves downward along some line at {100 * la.nonconvex:.0f}% of the grid's points"
              + (" — not a bowl." if la.nonconvex > 0.01 else " — a bowl (convex) along these directions."))
