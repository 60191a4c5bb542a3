"""`viewcast cv`: choose a model by validation (hold-out, k-fold, time-series), or draw a
validation curve — thin: parse, call select, print or --json, write the figures."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import numpy as np
import typer
from rich.table import Table

from . import curves, datasets, ladder
from .clikit import (Augment, BatchSize, Column, DateColumn, Dropout, EarlyStop, Encoding, Epochs, Fill, Gap, Val, Json, Log, Loss, Lr, Models, NoPlots, Optimizer, OutDir, Seed, Source, TestEnd, TestStart, TrainEnd, TrainStart, Weekday, WeightDecay, command, emit_json, err, fmt, out, progress_bar)
from .data import load_series
from .errors import ViewcastError
from .models import parse_list
from .select import SEARCH, Interrupted, curve_specs, parse_scheme, select, validation_curve
from .train import TrainConfig
from .windows import Features, choose_split



def cv(
    source: Source = datasets.DEFAULT,
    models_: Models = None,
    val: Val = "holdout:0.1",
    gap: Gap = 0,
    seeds: Annotated[int, typer.Option(help="Seeds per model (each fold is trained once per seed).")] = 1,
    early_stop: EarlyStop = None,
    weight_decay: WeightDecay = 0.0,
    dropout: Dropout = 0.0,
    augment: Augment = "none",
    loss: Loss = "mae",
    optimizer: Optimizer = "adam",
    lr: Lr = None,
    epochs: Epochs = TrainConfig.epochs,
    batch_size: BatchSize = None,
    log: Log = False,
    weekday: Weekday = False,
    search: Annotated[bool, typer.Option("--search", help="Also choose --log and --weekday by validation (4× the candidates).")] = False,
    ensemble: Annotated[int, typer.Option(help="Refit the chosen model from N seeds and average them.")] = 1,
    show_test: Annotated[bool, typer.Option("--show-test", help="Also report the test loss of the models not chosen (never used for choosing).")] = False,
    curve: Annotated[Optional[str], typer.Option(help="Draw a validation curve instead: depth, width or k (with and without early stopping).")] = None,
    out_dir: OutDir = Path("viewcast-out"),
    no_plots: NoPlots = False,
    seed: Seed = 0,
    column: Column = None, date_column: DateColumn = None, fill: Fill = "none", encoding: Encoding = None,
    train_start: TrainStart = None, train_end: TrainEnd = None, test_start: TestStart = None, test_end: TestEnd = None,
    json_: Json = False,
) -> None:
    """Choose a model by validation, refit it, and report its test loss once (chapter 2)."""
    scheme = parse_scheme(val, gap)
    if seeds < 1:
        raise ViewcastError(f"--seeds {seeds}: must be at least 1")
    config = TrainConfig(loss=loss, optimizer=optimizer, lr=lr, epochs=epochs, batch_size=batch_size, seed=seed,
                         weight_decay=weight_decay, dropout=dropout, augment=augment, early_stop=early_stop)
    if not no_plots:
        if out_dir.exists() and not out_dir.is_dir():
            raise ViewcastError(f"--out {out_dir}: exists and is not a folder")
    s = load_series(source, column=column, date_column=date_column, fill=fill, encoding=encoding)
    split = choose_split(s, train_start, train_end, test_start, test_end)
    seed_list = tuple(range(seed, seed + seeds))
    if curve:
        clash = [o for o, on in (("--models", models_), ("--search", search), ("--ensemble", ensemble != 1),
                                 ("--show-test", show_test)) if on]
        if clash:
            raise ViewcastError(f"--curve {curve} draws a fixed family of models on validation data only; drop {', '.join(clash)}")
        return _curve(s, split, curve, scheme, config, seed_list, out_dir, no_plots, json_, Features(log=log, weekday=weekday))
    specs = [str(p) for p in parse_list(models_)] if models_ else ladder.specs()
    with progress_bar(json_) as (task, step):
        feats = SEARCH if search else (Features(log=log, weekday=weekday),)
        try:
            sel = select(s, split, specs, scheme, config, seed_list, show_test, on_model=task, progress=step,
                         features=feats, ensemble=ensemble)
        except Interrupted as e:  # Ctrl-C: say what was finished, choose nothing, score nothing
            done = [{"model": c.label, "val_mae_mean": c.val_mean} for c in e.finished]
            if json_:
                emit_json({"source": s.name, "interrupted": True, "finished": done, "total": e.total})
            else:
                for d in done:
                    out.print(f"{d['model']}: validation MAE {d['val_mae_mean']:,.0f}")
            err.print(f"interrupted: {e}; no model was chosen and the test period was not scored",
                      highlight=False, soft_wrap=True)
            raise typer.Exit(130)
    if sel.refit.interrupted:
        err.print(f"interrupted while refitting the chosen {sel.chosen.label}; its test loss was not scored",
                  highlight=False, soft_wrap=True)
        raise typer.Exit(130)
    c = sel.chosen
    figures = []
    if not no_plots:
        out_dir.mkdir(parents=True, exist_ok=True)
        best = float(np.median(c.best_update)) if c.best_update is not None else None
        figures = curves.learning_curve(c.stacked.history_train, c.stacked.history_val, best,
                                        f"learning curve of {c.label} ({scheme}) on {s.name}", out_dir / "cv-learning")
    margins = {m["model"]: m for m in sel.margins()}
    rows = []
    for k in sel.candidates:
        row = {"model": k.label, "spec": k.spec, "log": k.features.log, "weekday": k.features.weekday, "params": k.params, "val_mae_mean": k.val_mean, "val_mae_std": k.val_std,
               "val_mae_folds": k.val_mae, "train_mae_mean": float(np.mean(k.train_mae)),
               "best_update": None if k.best_update is None else k.best_update,
               "delta": margins[k.label]["delta"], "delta_pct": margins[k.label]["delta_pct"], "delta_sd": margins[k.label]["delta_sd"]}
        if sel.others_test is not None and k is not c:
            row["test_mae"], row["test_used_for_choosing"] = sel.others_test[k.label], False
        rows.append(row)
    runner_up = min((m for m in sel.margins() if m["model"] != c.label), key=lambda m: m["delta"], default=None)
    result = {
        "source": s.name, "split": split.describe(), "val": str(scheme), "seeds": list(seed_list), "models": rows,
        "chosen": {"model": c.label, "spec": c.spec, "log": c.features.log, "weekday": c.features.weekday, "ensemble": ensemble, "val_mae_mean": c.val_mean, "val_mae_std": c.val_std,
                   "train_mae": sel.refit.train["mae"], "test_mae": sel.refit.test["mae"], "test_mse": sel.refit.test["mse"],
                   "refit_updates": sel.refit.updates, "refit_stop_reason": sel.refit.stop_reason},
        "runner_up": runner_up,
        "learning_curve": {"model": c.label, "train": np.nanmean(c.stacked.history_train, 0),
                           "val": np.nanmean(c.stacked.history_val, 0),
                           "best_update": None if c.best_update is None else float(np.median(c.best_update))},
        "figures": [str(f) for f in figures], "warnings": sel.warnings, "config": config.__dict__,
    }
    if json_:
        return emit_json(result)
    for w in sel.warnings:
        err.print(f"warning: {w}", highlight=False)
    t = Table(title=f"validation ({scheme}, {len(seed_list)} seed(s)) on {s.name}, {split.describe()}")
    for col in ("model", "params", "train L", "val mean", "± sd", "vs chosen") + (("test (not used)",) if show_test else ()):
        t.add_column(col, justify="left" if col == "model" else "right")
    for r in rows:
        mark = " ✓" if r["model"] == c.label else ""
        vs = "chosen" if mark else f"+{r['delta']:,.0f} ({r['delta_pct']:+.1f}%)"
        extra = (fmt(r.get("test_mae")) if r["model"] != c.label else "—",) if show_test else ()
        t.add_row(r["model"] + mark, f"{r['params']:,}", fmt(r["train_mae_mean"]), fmt(r["val_mae_mean"]),
                  fmt(r["val_mae_std"]), vs, *extra)
    out.print(t)
    if runner_up:
        sd = f", {runner_up['delta_sd']:.1f} fold SDs" if runner_up["delta_sd"] is not None else ""
        out.print(f"Chosen: [bold]{c.label}[/] (validation MAE {c.val_mean:,.0f}); the runner-up {runner_up['model']} "
                  f"is {runner_up['delta']:,.0f} views ({runner_up['delta_pct']:.1f}%{sd}) worse.")
    out.print(f"Refit on all training days ({sel.refit.updates} updates; {sel.refit.stop_reason}): "
              f"training MAE {sel.refit.train['mae']:,.0f}, [bold]test MAE {sel.refit.test['mae']:,.0f}[/] "
              f"— the test period is scored once, for the chosen model.")
    for f in figures:
        out.print(f"figure: {f}")


def _curve(s, split, name, scheme, config, seeds, out_dir, no_plots, json_, features=Features()):
    specs = curve_specs(name)
    patience = config.early_stop or 100
    variants = {"no early stop": TrainConfig(**{**config.__dict__, "early_stop": None}),
                f"early stop (patience {patience})": TrainConfig(**{**config.__dict__, "early_stop": patience})}
    xs = [_x(spec, name) for spec in specs]
    res = {}
    with progress_bar(json_) as (task, step):
        for label, cfg in variants.items():
            res[label] = validation_curve(s, split, specs, scheme, cfg, seeds, features=features,
                                          on_model=lambda sp, i, n, label=label: task(f"{label}: {sp}", i, n), progress=step)
    summary = {label: [{"model": c.spec, "x": x, "params": c.params, "val_mae_mean": c.val_mean, "val_mae_std": c.val_std,
                        "val_mae_runs": c.val_mae, "train_mae_mean": float(np.mean(c.train_mae)),
                        "best_update": None if c.best_update is None else c.best_update} for c, x in zip(cands, xs)]
               for label, cands in res.items()}
    figures = []
    if not no_plots:
        out_dir.mkdir(parents=True, exist_ok=True)
        data = {label: {"val_mean": np.array([r["val_mae_mean"] for r in rows]),
                        "val_std": np.nan_to_num(np.array([r["val_mae_std"] for r in rows])),
                        "train_mean": np.array([r["train_mae_mean"] for r in rows])} for label, rows in summary.items()}
        figures = curves.validation_curve(xs, data, {"depth": "hidden layers of 100 ReLUs", "width": "ReLUs (56 days, 1 layer)",
                                                     "k": "days of input (linear)"}[name],
                                          f"validation curve over {name} on {s.name} ({scheme}, {len(seeds)} seeds)",
                                          out_dir / f"cv-validation-{name}")
    result = {"source": s.name, "split": split.describe(), "val": str(scheme), "curve": name, "x": xs,
              "seeds": list(seeds), "variants": summary, "figures": [str(f) for f in figures]}
    if json_:
        return emit_json(result)
    t = Table(title=f"validation curve over {name}: {s.name} ({scheme}, {len(seeds)} seeds)")
    t.add_column("model")
    for label in summary:
        t.add_column(f"train L, {label}", justify="right")
        t.add_column(f"val mean ± sd, {label}", justify="right")
    for i, spec in enumerate(specs):
        cells = []
        for label, rows in summary.items():
            r = rows[i]
            cells += [fmt(r["train_mae_mean"]), f"{fmt(r['val_mae_mean'])} ± {fmt(r['val_mae_std'])}"]
        t.add_row(spec, *cells)
    out.print(t)
    for label, rows in summary.items():
        best = min(rows, key=lambda r: r["val_mae_mean"])
        out.print(f"{label}: lowest validation MAE at {best['model']} ({best['val_mae_mean']:,.0f}).")
    for f in figures:
        out.print(f"figure: {f}")


def _x(spec: str, name: str) -> int:
    parts = spec.split(":")[1].split("x")
    return {"depth": int(parts[2]) if len(parts) > 2 else 1, "width": int(parts[1]) if len(parts) > 1 else 0,
            "k": int(parts[0])}[name]


def register(app: typer.Typer) -> None:
    app.command("cv")(command(cv))
