"""The command line: each command parses, calls one library function, prints (rich) or --json."""
from __future__ import annotations

from typing import Annotated, Optional

import numpy as np
import typer
from rich.table import Table

from . import datasets, ladder, store
from .clikit import (Augment, BatchSize, Column, DateColumn, Dropout, EarlyStop, Encoding, Epochs, Fill, Json, Log, Loss, Lr, Normalize, Optimizer, Schedule, Seed, Source, TestEnd, TestStart, TrainEnd, TrainStart, Weekday, WeightDecay, command, emit_json, err, fmt, out, progress_bar)
from .data import load_series
from .errors import ViewcastError
from .select import RANDOM_WARNING, parse_scheme, split_indices
from .forecast import forecast
from .train import TrainConfig, fit_ensemble
from .windows import Features, choose_split, prepare
from . import models

app = typer.Typer(help="Forecast tomorrow's daily views the Apple book's way: a model, a loss, gradient descent.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
data_app = typer.Typer(help="List and inspect daily series.", no_args_is_help=True)
app.add_typer(data_app, name="data")


@app.callback()
def _root() -> None:
    """viewcast: chapters 1–2 of Hung-yi Lee's Deep Learning Tutorial as a tool."""


# ------------------------------------------------------------------ data
@data_app.command("list")
@command
def data_list(json_: Json = False) -> None:
    """List the built-in series (Wikipedia daily page views shipped with autots)."""
    rows = []
    for name in datasets.names():
        s = load_series(name)
        rows.append({"name": name, "start": s.start, "end": s.end, "days": len(s), "mean": float(np.nanmean(s.values))})
    if json_:
        return emit_json({"default": datasets.DEFAULT, "series": rows})
    t = Table(title="built-in series (raw daily Wikipedia page views)")
    for c in ("name", "first day", "last day", "days", "mean views/day"):
        t.add_column(c, justify="right" if c in ("days", "mean views/day") else "left")
    for r in rows:
        mark = " (default)" if r["name"] == datasets.DEFAULT else ""
        t.add_row(r["name"] + mark, f"{r['start']:%Y-%m-%d}", f"{r['end']:%Y-%m-%d}", str(r["days"]), fmt(r["mean"]))
    out.print(t)


@data_app.command("show")
@command
def data_show(source: Source = datasets.DEFAULT, column: Column = None, date_column: DateColumn = None,
              fill: Fill = "none", encoding: Encoding = None, json_: Json = False) -> None:
    """Date range, length, gaps and mean by weekday of a series."""
    s = load_series(source, column=column, date_column=date_column, fill=fill, encoding=encoding)
    ps = s.to_pandas()
    by_day = ps.groupby(ps.index.day_of_week).mean()
    names = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    weekday = {names[int(d)]: float(v) for d, v in by_day.items()}
    gaps = [{"first": a, "last": b, "days": (b - a).days + 1} for a, b in s.gaps()]
    info = {"source": s.name, "start": s.start, "end": s.end, "days": len(s),
            "missing_days": int(np.isnan(s.values).sum()), "gaps": gaps,
            "mean": float(np.nanmean(s.values)), "min": float(np.nanmin(s.values)), "max": float(np.nanmax(s.values)),
            "mean_by_weekday": weekday, "notes": list(s.notes)}
    if json_:
        return emit_json(info)
    out.print(f"[bold]{s.name}[/]: {s.start:%Y-%m-%d} … {s.end:%Y-%m-%d}, {len(s):,} days; "
              f"mean {fmt(info['mean'])}, min {fmt(info['min'])}, max {fmt(info['max'])} views/day")
    out.print(("gaps: " + s.describe_gaps()) if gaps else "no missing days")
    for note in s.notes:
        out.print(f"note: {note}")
    t = Table(title="mean views by weekday")
    for d in names:
        t.add_column(d, justify="right")
    t.add_row(*[fmt(weekday.get(d)) for d in names])
    out.print(t)


# ------------------------------------------------------------------ fit
@app.command()
@command
def fit(
    source: Source = datasets.DEFAULT,
    model: Annotated[str, typer.Option("--model", "-m", help=f"Model spec: {models.GRAMMAR}")] = "linear:56",
    loss: Loss = "mae",
    optimizer: Optimizer = "adam",
    lr: Lr = None,
    epochs: Epochs = TrainConfig.epochs,
    batch_size: BatchSize = None,
    schedule: Schedule = "cosine",
    normalize: Normalize = True,
    weight_decay: WeightDecay = 0.0,
    dropout: Dropout = 0.0,
    early_stop: EarlyStop = None,
    val: Annotated[Optional[str], typer.Option("--val", help="Validation part of the training days: holdout:0.1 (default with --early-stop) or random:0.1.")] = None,
    augment: Augment = "none",
    log: Log = False,
    weekday: Weekday = False,
    ensemble: Annotated[int, typer.Option(help="Average N networks trained from seeds seed … seed+N−1.")] = 1,
    seed: Seed = 0,
    column: Column = None, date_column: DateColumn = None, fill: Fill = "none", encoding: Encoding = None,
    train_start: TrainStart = None, train_end: TrainEnd = None, test_start: TestStart = None, test_end: TestEnd = None,
    save: Annotated[Optional[str], typer.Option(help="Save the trained model here (safetensors).")] = None,
    device: Annotated[str, typer.Option(help="auto, cpu or cuda.")] = "auto",
    json_: Json = False,
) -> None:
    """Train one model: parameters, train and test MAE/MSE, the exact optimum (linear), seconds."""
    spec = models.parse(model)
    config = TrainConfig(loss=loss, optimizer=optimizer, lr=lr, epochs=epochs, batch_size=batch_size,
                         schedule=schedule, seed=seed, normalize=normalize, weight_decay=weight_decay,
                         dropout=dropout, device=device, early_stop=early_stop, augment=augment)
    if save:
        store.check_target(save)  # before training: a bad path must not cost the run
    s = load_series(source, column=column, date_column=date_column, fill=fill, encoding=encoding)
    split = choose_split(s, train_start, train_end, test_start, test_end)
    data = prepare(s, spec.k, split, normalize=normalize, features=Features(log=log, weekday=weekday))
    with progress_bar(json_, str(spec)) as (_, step):
        r = fit_ensemble(spec, data, config, ensemble, progress=step, **_validation(data, val, early_stop, seed))
    if save:
        store.save(r, save, s)
    res = {"source": s.name, "model": r.spec, "params": r.params, "split": split.describe(),
           "train_days": len(data.train), "test_days": len(data.test),
           "train": r.train, "test": r.test, "exact": r.exact, "updates": r.updates, "stop_reason": r.stop_reason,
           "lr": config.learning_rate(float(np.mean(np.abs(data.train.y))), spec.k), "seconds": r.seconds, "saved": save, "interrupted": r.interrupted,
           "config": config.__dict__, "val": r.val, "best_update": r.best_update,
           "features": {"log": log, "weekday": weekday}, "ensemble": ensemble}
    if json_:
        emit_json(res)
        if r.interrupted:  # what was finished is printed (and saved); the status still says Ctrl-C
            raise typer.Exit(130)
        return
    t = Table(title=f"{r.spec} on {s.name} ({split.describe()})")
    for c in ("", "MAE (views)", "MSE (views²)"):
        t.add_column(c, justify="right")
    t.add_row(f"train L ({len(data.train)} days)", fmt(r.train["mae"], 1), fmt(r.train["mse"]))
    t.add_row(f"test L′ ({len(data.test)} days)", fmt(r.test["mae"], 1), fmt(r.test["mse"]))
    if r.exact:
        t.add_row(f"exact optimum ({r.exact['loss']}), train", fmt(r.exact["mae"], 1), fmt(r.exact["mse"]))
    out.print(t)
    out.print(f"{r.params:,} parameters; {r.updates:,} updates in {r.seconds:.1f} s; stopped: {r.stop_reason}")
    if r.exact:
        out.print(f"gradient descent is {r.exact['gap_pct']:.2f}% above the exact optimum's training {r.exact['loss']}"
                  + (" — an optimization issue, not model bias" if r.exact["gap_pct"] > 2 else ""))
    if r.val:
        at = f"; weights of update {r.best_update} restored (early stopping)" if r.best_update is not None else ""
        out.print(f"validation MAE {r.val['mae']:,.1f} on the {val or 'holdout:0.1'} validation part of the training days{at}")
    if save:
        out.print(f"saved to {save}")
    if r.interrupted:
        raise typer.Exit(130)


def _validation(data, val: str | None, early_stop: int | None, seed: int) -> dict:
    """fit's validation part: train and val windows out of the training days (hold-out or random)."""
    if val is None and early_stop is None:
        return {}
    scheme = parse_scheme(val or "holdout:0.1")
    if scheme.kind not in ("holdout", "random"):
        raise ViewcastError(f"--val {val}: fit takes holdout:F or random:F; for k-fold use `viewcast cv`")
    if scheme.kind == "random":
        err.print(f"warning: {RANDOM_WARNING}", highlight=False)
    tr, va = split_indices(len(data.train), scheme, seed)[0]
    return {"val": data.train.take(va), "train_windows": data.train.take(tr)}


# ------------------------------------------------------------------ ladder and demo
def _ladder(source, column, date_column, fill, encoding, train_start, train_end, test_start, test_end,
            epochs, seed, quiet, features=Features()):
    s = load_series(source, column=column, date_column=date_column, fill=fill, encoding=encoding)
    split = choose_split(s, train_start, train_end, test_start, test_end)
    with progress_bar(quiet) as (task, step):
        rows, fits = ladder.run(s, split, TrainConfig(epochs=epochs, seed=seed), on_model=task, progress=step,
                                features=features)
    return s, split, rows, fits


def _print_ladder(s, split, rows) -> None:
    for table in ("A", "B", "C"):
        t = Table(title=f"{ladder.TITLES[table]} — {s.name}, {split.describe()}")
        for c in ("model", "params", "L", "L′", "book L", "book L′"):
            t.add_column(c, justify="left" if c == "model" else "right")
        for r in (r for r in rows if r.table == table):
            t.add_row(r.model, f"{r.params:,}", fmt(r.train_mae), fmt(r.test_mae), fmt(r.book_train_mae), fmt(r.book_test_mae))
        out.print(t)
    out.print("L, L′: mean absolute error in views per day on the training and test days. "
              "The book's numbers are for its (private) channel, given for the pattern.", style="dim")


def _rows_json(s, split, rows) -> dict:
    keys = ("table", "model", "params", "train_mae", "test_mae", "book_train_mae", "book_test_mae", "exact_mae", "stop_reason", "seconds")
    return {"source": s.name, "split": split.describe(), "rows": [{k: getattr(r, k) for k in keys} for r in rows]}


@app.command("ladder")
@command
def ladder_cmd(
    source: Source = datasets.DEFAULT, column: Column = None, date_column: DateColumn = None, fill: Fill = "none",
    encoding: Encoding = None, train_start: TrainStart = None, train_end: TrainEnd = None,
    test_start: TestStart = None, test_end: TestEnd = None,
    epochs: Epochs = TrainConfig.epochs, log: Log = False, weekday: Weekday = False,
    seed: Seed = 0, json_: Json = False,
) -> None:
    """The book's tables A (days), B (units), C (layers): L and L′ beside the book's."""
    s, split, rows, fits = _ladder(source, column, date_column, fill, encoding, train_start, train_end,
                                   test_start, test_end, epochs, seed, json_, Features(log=log, weekday=weekday))
    stopped = next((f for f in fits.values() if f.interrupted), None)
    if json_:
        emit_json({**_rows_json(s, split, rows), "interrupted": stopped is not None})
    else:
        _print_ladder(s, split, rows)
        for line in ladder.story(rows):
            out.print("• " + line)
    if stopped is not None:  # Ctrl-C: what was finished is shown above; the interrupted model is marked
        err.print(f"interrupted while training {stopped.spec} ({stopped.stop_reason}); "
                  f"{len(fits) - 1} of {len(ladder.specs())} models were finished", highlight=False, soft_wrap=True)
        raise typer.Exit(130)


@app.command()
@command
def demo(seed: Seed = 0, json_: Json = False) -> None:
    """The chapter-1 story on the default series: the ladder beside the book, and tomorrow's forecast."""
    s, split, rows, fits = _ladder(datasets.DEFAULT, None, None, "none", None, None, None, None, None,
                                   TrainConfig.epochs, seed, json_)
    best = fits["linear:56"]
    tomorrow = forecast(best.model, best.scaler, best.k, s, 1, best.features.weekday)
    story = ladder.story(rows)
    if json_:
        return emit_json({**_rows_json(s, split, rows), "story": story,
                          "forecast": {"model": "linear:56", "date": tomorrow.index[0], "views": float(tomorrow.iloc[0])}})
    _print_ladder(s, split, rows)
    for line in story:
        out.print("• " + line)
    out.print(f"Tomorrow ({tomorrow.index[0]:%a %Y-%m-%d}, the day after the series ends), linear:56 forecasts "
              f"[bold]{tomorrow.iloc[0]:,.0f}[/] views.")


# ------------------------------------------------------------------ predict
@app.command()
@command
def predict(
    source: Source = datasets.DEFAULT,
    model: Annotated[str, typer.Option("--model", "-m", help="A model file saved by `viewcast fit --save`.")] = ...,
    days: Annotated[int, typer.Option(help="Days ahead (each prediction is fed back as an input).")] = 1,
    column: Column = None, date_column: DateColumn = None, fill: Fill = "none", encoding: Encoding = None,
    json_: Json = False,
) -> None:
    """Forecast the day(s) after the series ends with a saved model."""
    net, meta = store.load(model)
    s = load_series(source, column=column, date_column=date_column, fill=fill, encoding=encoding)
    f = forecast(net, store.scaler_of(meta), int(meta["k"]), s, days, store.features_of(meta).weekday)
    rows = [{"date": d, "views": float(v)} for d, v in f.items()]
    if json_:
        return emit_json({"source": s.name, "model": meta["spec"], "trained_on": meta["data"], "forecast": rows})
    t = Table(title=f"{meta['spec']} forecast for {s.name} (series ends {s.end:%Y-%m-%d})")
    t.add_column("date")
    t.add_column("day")
    t.add_column("views", justify="right")
    for d, v in f.items():
        t.add_row(f"{d:%Y-%m-%d}", f"{d:%a}", fmt(v))
    out.print(t)
    if meta["data"]["name"] != s.name:
        err.print(f"note: the model was trained on {meta['data']['name']}, not {s.name}")


# Commands that live in modules of their own register themselves here.
from . import cli_cv  # noqa: E402

cli_cv.register(app)
from . import cli_diagnose  # noqa: E402
cli_diagnose.register(app)


def main() -> None:
    app()
from . import cli_surface  # noqa: E402
cli_surface.register(app)
