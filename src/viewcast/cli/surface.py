"""`viewcast surface`: the error surface of linear:1 with gradient descent on it, the 1-D curves
(`--view curve`), and the loss landscape of any model (`--model relu:56x100x3`). Thin: parse, call
one library function, print (rich) or --json, draw (-o .png / .html)."""
from __future__ import annotations

import math
from typing import Annotated, List, Optional

import typer

from .. import models
from ..errors import ViewcastError
from .views import surface as surface_text
from ..surface.configs import CurveConfig, LandscapeConfig
from ..surface.surface import SurfaceConfig
from ..train.config import TrainConfig
from . import app, outputs
from .kit import Json, command, emit_json, options, out, print_lines, progress_bar

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
        raise ViewcastError(f"give {want}", param=name, value=text)
    return v


@app.command("surface")
@command
@options("src", "split")
def surface(
    src, split,
    model: Annotated[str, typer.Option("--model", "-m", help="linear:1 → its error surface L(w, b); any other spec → its loss landscape.")] = "linear:1",
    view: Annotated[str, typer.Option(help="surface (L(w, b) of linear:1), curve (L(w) and a non-convex sweep), landscape (any --model), or auto.")] = "auto",
    loss: Annotated[Optional[str], typer.Option(help="mae, mse or mae,mse (default: both for the surface, mae otherwise).")] = None,
    grid: Annotated[Optional[int], typer.Option(help="Grid points per axis (default 100 for the surface; 51 or 25 for a landscape).")] = None,
    w_range: Annotated[Optional[str], typer.Option("--w-range", help="LO,HI of w (default: around the exact optimum).")] = None,
    b_range: Annotated[Optional[str], typer.Option("--b-range", help="LO,HI of b (default: around the exact optimum).")] = None,
    start: Annotated[str, typer.Option(help="Gradient descent's start w,b (the curve uses w).")] = "0,0",
    lr: Annotated[Optional[str], typer.Option(help="Learning rate(s) η for the book's plain gradient descent on raw views, e.g. 1e-9,1e-8,1e-7 (default: a too-small, a good and a too-large η in standard units, the path drawn in views).")] = None,
    steps: Annotated[Optional[int], typer.Option(help="Gradient-descent updates (default 200 on the surface, 50 on the curves).")] = None,
    normalize: Annotated[bool, typer.Option("--normalize/--no-normalize", help="Standard units instead of raw views: a round bowl, and η near 0.1 works.")] = False,
    param: Annotated[str, typer.Option(help="--view curve: the non-convex model's swept parameter.")] = CurveConfig.param,
    directions: Annotated[int, typer.Option(help="Landscape: 1 (a curve) or 2 (a surface) random directions.")] = 2,
    span: Annotated[float, typer.Option(help="Landscape: α, β ∈ [−span, span] (1 = each filter moved by its own norm).")] = 1.0,
    epochs: Annotated[int, typer.Option(help="Training updates for the models of --view curve/landscape.")] = TrainConfig.epochs,
    seed: Annotated[int, typer.Option("--seed", help="Random seed: same seed, same numbers.")] = 0,
    output: Annotated[Optional[List[str]], typer.Option("--out", "--output", "-o", help=f"Where the picture goes: {outputs.HELP} (a folder: VIEW.png and VIEW.html; .html is interactive and opens offline). Default: VIEW.png here.")] = None,
    json_: Json = False,
) -> None:
    """The error surface L(w, b) of linear:1 and gradient descent on it; 1-D curves; any model's loss landscape."""
    spec = models.parse(model)
    if view not in VIEWS:
        raise ViewcastError("use surface, curve, landscape or auto", param="view", value=view)
    if view == "auto":
        view = "surface" if str(spec) == "linear:1" else "landscape"
    if view == "surface" and str(spec) != "linear:1":
        raise ViewcastError(f"draws L(w, b) of linear:1; for {spec} use --view landscape", param="view", value=view)
    if view == "landscape" and str(spec) == "linear:1":
        raise ViewcastError("linear:1 has one weight, its whole surface is `viewcast surface`; "
                            "pick a bigger model, e.g. --model linear:7 or relu:56x100x3", param="view", value=view)
    if view == "curve" and spec.kind == "linear":
        spec = models.parse(CurveConfig.model)  # the non-convex model beside linear:1's curve
    losses = tuple(t.strip() for t in (loss or ("mae,mse" if view == "surface" else "mae")).split(",") if t.strip())
    if view != "surface" and len(losses) != 1:
        raise ViewcastError(f"--view {view} takes one loss, mae or mse", param="loss", value=loss)
    w0, b0 = _floats(start, "start", 2)
    lrs = _floats(lr, "lr")
    if view == "curve" and lrs is not None and len(lrs) != 1:
        raise ViewcastError("--view curve takes one η", param="lr", value=lr)
    targets = outputs.plan(output or [f"{view}.png"], [outputs.Output(view, (".png", ".html"))], "output")  # before any work
    if view == "surface":
        cfg = SurfaceConfig(losses=losses, grid=grid or SurfaceConfig.grid, w_range=_floats(w_range, "w_range", 2),
                            b_range=_floats(b_range, "b_range", 2), start=(w0, b0), lrs=lrs,
                            steps=steps or SurfaceConfig.steps, normalize=normalize)
    elif view == "curve":
        cfg = CurveConfig(loss=losses[0], normalize=normalize, start=w0, lr=lrs[0] if lrs else None,
                          steps=steps or CurveConfig.steps, model=str(spec), param=param, epochs=epochs, seed=seed)
    else:
        cfg = LandscapeConfig(loss=losses[0], dims=directions, span=span, points=grid, epochs=epochs, seed=seed)
    s = src.load()
    sp = split.of(s)
    from ..figures.landscape import curve_figure, landscape_figure  # matplotlib and plotly load only when drawing
    from ..figures.surface import surface_figure
    from ..surface import error_surface, loss_curves, loss_landscape

    if view == "surface":
        res = error_surface(s, sp, cfg)
    elif view == "curve":
        with progress_bar(json_, f"surface: training {spec}") as (_, step):
            res = loss_curves(s, sp, cfg, progress=step)
    else:
        with progress_bar(json_, f"surface: training {spec}, then its landscape") as (_, step):
            res = loss_landscape(s, str(spec), sp, cfg, progress=step)
    picture = {"surface": surface_figure, "curve": curve_figure, "landscape": landscape_figure}[view](res.obj)
    from ..figures.write import write_file

    files = [str(write_file(picture, t.path, dpi=110)) for t in targets]
    if json_:
        return emit_json({**res.as_dict(), "files": files})
    print_lines({"surface": surface_text.surfaces, "curve": surface_text.curves,
                 "landscape": surface_text.landscape}[view](res))
    out.print("wrote " + ", ".join(files), highlight=False)
