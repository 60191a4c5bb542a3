"""`viewcast fit` (train one model) and `viewcast predict` (forecast with a saved model)."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import pandas as pd
import typer

from .. import io, models
from ..text.fmt import num
from .views import tables
from . import app
from . import many as many_cli
from . import table as table_cli
from .kit import Json, command, emit_json, err, options, print_lines, progress_bar, warn


@app.command()
@command
@options("src", "split", "config", "features", "many", "table")
def fit(
    src, split, config, features, many, table,
    model: Annotated[Optional[str], typer.Option("--model", "-m", help="Model spec (default linear:56): " + models.GRAMMAR.replace("[", "\\[") + "; a table's: linear, relu:H\\[xL].")] = None,
    val: Annotated[Optional[str], typer.Option("--val", help="Validation part of the training days: holdout:0.1 (default with --early-stop) or random:0.1.")] = None,
    ensemble: Annotated[int, typer.Option(help="Average N networks trained from seeds seed·N … seed·N+N−1 (two --seed values share no network).")] = 1,
    save: Annotated[Optional[str], typer.Option(help="Save the trained model here (safetensors).")] = None,
    json_: Json = False,
) -> None:
    """Train one model: parameters, train and test MAE/MSE, the exact optimum (linear), seconds."""
    if table.on:
        return table_cli.fit(src, table, config, model, val, ensemble, save, json_)
    table.check()
    spec = str(models.parse(model or "linear:56"))
    if many_cli.is_many(src.source, src.column):
        from ..many import Job

        return many_cli.run(Job("fit", (spec,), config, (features,), (split.train_start, split.train_end, split.test_start, split.test_end), val, ensemble=ensemble), src, many, json_)
    many_cli.single(many)
    if save:
        io.check_target(save)  # before training: a bad path must not cost the run
    s = src.load()
    from .. import api, store  # the engine loads once the input is known to be good

    with progress_bar(json_, f"fit {spec}") as (_, step):
        r = api.fit(s, spec, config, split=split.of(s), features=features, validation=val, ensemble=ensemble,
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
    model: Annotated[str, typer.Option("--model", "-m", help="A model file saved by `viewcast fit --save`, `cv --save` or `forecast --save` (a --rule ratio, soft or tie blend too).")] = ...,
    days: Annotated[int, typer.Option(help="Days ahead (each prediction is fed back as an input).")] = 1,
    output: Annotated[Optional[Path], typer.Option("--out", "-o", help="A table's model: write the submission here, a .csv file or a folder (submission.csv): id,<target> for every row of the test file SOURCE, in its order.")] = None,
    json_: Json = False,
) -> None:
    """Forecast the day(s) after the series ends with a saved model (with intervals when it has them); a table's model: a submission."""
    from .. import store

    net, meta = store.load(model)  # a missing file is refused before torch loads
    if meta.get("table"):
        return table_cli.predict(model, src.source, output, src.encoding, json_)
    if output is not None:
        from ..errors import ViewcastError

        raise ViewcastError("writes a table model's submission; a series' forecast prints (or --json)", param="out",
                            value=str(output))
    s = src.load()
    from ..forecasting.days import blend_days
    cal, notes = store.calibration_of(meta), []
    if cal is not None and days > len(cal.q):
        notes.append(f"the model's intervals were calibrated for up to {len(cal.q)} days ahead; none are given")
        cal = None
    yhat, lower, upper, clip_notes = blend_days(store.fitted_of(net, meta), s, days, cal, store.weights_of(meta))
    notes += clip_notes
    seen = meta.get("trained_through")
    other = meta["data"]["name"] != s.name
    if other:  # a warning, not a note: its scale is another series'
        notes.append(f"the model was trained on {meta['data']['name']} ({meta['data']['start']}…{meta['data']['end']}), "
                     f"not on {s.name}: its scaling and weights are that series', so its forecast is in that "
                     "series' scale")
    elif seen and pd.Timestamp(seen) < s.end:
        unseen = (s.end - pd.Timestamp(seen)).days
        notes.append(f"the model's training ended {seen}: it never saw the last {unseen:,} days of the series "
                     f"({pd.Timestamp(seen) + pd.Timedelta(days=1):%Y-%m-%d}…{s.end:%Y-%m-%d}); "
                     "`viewcast forecast` refits on every day")
    dates = pd.date_range(s.end + pd.Timedelta(days=1), periods=days, freq="D")
    rows = [{"date": d, "views": float(v), **{f"lower{lv}": float(lower[lv][i]) for lv in lower},
             **{f"upper{lv}": float(upper[lv][i]) for lv in upper}} for i, (d, v) in enumerate(zip(dates, yhat))]
    if json_:
        return emit_json({"source": s.name, "model": meta["spec"] if not meta.get("blend") else store.label_of(meta),
                          "label": store.label_of(meta), "trained_on": meta["data"],
                          "trained_through": seen, "forecast": rows, "notes": notes})
    levels = sorted(lower)
    print_lines(tables.table(f"{store.label_of(meta)} forecast for {s.name} (series ends {s.end:%Y-%m-%d})",
                             [("date", "left"), ("day", "left"), ("views", "right")]
                             + [(f"{lv}% interval", "right") for lv in levels],
                             [[f"{d:%Y-%m-%d}", f"{d:%a}", num(v)] + [f"{num(lower[lv][i])} … {num(upper[lv][i])}"
                                                                     for lv in levels]
                              for i, (d, v) in enumerate(zip(dates, yhat))], keys=(0, 1)))
    for i, n in enumerate(notes):
        if other and n.startswith("the model was trained on"):
            warn(n)
        else:
            err.print(f"note: {n}", highlight=False, soft_wrap=True)
