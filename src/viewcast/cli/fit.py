"""`viewcast fit` (train one model) and `viewcast predict` (forecast with a saved model)."""
from __future__ import annotations

from typing import Annotated, Optional

import typer

from .. import models, store
from ..forecast.recursive import recursive
from ..report import tables
from ..report.fmt import num
from .. import api
from . import app
from .kit import Json, command, emit_json, err, options, out, print_lines, progress_bar, warn


@app.command()
@command
@options("src", "split", "config", "features")
def fit(
    src, split, config, features,
    model: Annotated[str, typer.Option("--model", "-m", help="Model spec: " + models.GRAMMAR.replace("[", "\\["))] = "linear:56",
    val: Annotated[Optional[str], typer.Option("--val", help="Validation part of the training days: holdout:0.1 (default with --early-stop) or random:0.1.")] = None,
    ensemble: Annotated[int, typer.Option(help="Average N networks trained from seeds seed … seed+N−1.")] = 1,
    save: Annotated[Optional[str], typer.Option(help="Save the trained model here (safetensors).")] = None,
    json_: Json = False,
) -> None:
    """Train one model: parameters, train and test MAE/MSE, the exact optimum (linear), seconds."""
    spec = str(models.parse(model))
    if save:
        store.check_target(save)  # before training: a bad path must not cost the run
    s = src.load()
    with progress_bar(json_, str(spec)) as (_, step):
        r = api.fit(spec, s, config, split=split.of(s), features=features, validation=val, ensemble=ensemble,
                    progress=step)
    if save:
        store.save(r, save, s)
    if json_:
        emit_json({**r.as_dict(), "saved": save})
    else:
        for w in r.warnings:
            warn(w)
        print_lines(tables.fit(r, val, save))
    if r.interrupted:  # what was finished is printed (and saved); the status still says Ctrl-C
        raise typer.Exit(130)


@app.command()
@command
@options("src")
def predict(
    src,
    model: Annotated[str, typer.Option("--model", "-m", help="A model file saved by `viewcast fit --save` or `viewcast cv --save`.")] = ...,
    days: Annotated[int, typer.Option(help="Days ahead (each prediction is fed back as an input).")] = 1,
    json_: Json = False,
) -> None:
    """Forecast the day(s) after the series ends with a saved model."""
    net, meta = store.load(model)
    s = src.load()
    f = recursive(net, store.scaler_of(meta), int(meta["k"]), s, days, store.features_of(meta).weekday)
    rows = [{"date": d, "views": float(v)} for d, v in f.items()]
    if json_:
        return emit_json({"source": s.name, "model": meta["spec"], "trained_on": meta["data"], "forecast": rows})
    print_lines(tables.table(f"{meta['spec']} forecast for {s.name} (series ends {s.end:%Y-%m-%d})",
                             [("date", "left"), ("day", "left"), ("views", "right")],
                             [[f"{d:%Y-%m-%d}", f"{d:%a}", num(v)] for d, v in f.items()], keys=(0, 1)))
    if meta["data"]["name"] != s.name:
        err.print(f"note: the model was trained on {meta['data']['name']}, not {s.name}", highlight=False)
