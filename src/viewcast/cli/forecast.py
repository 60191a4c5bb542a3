"""`viewcast forecast`: tomorrow (and N days on) from everything known today, with intervals —
thin: parse, check outputs, call the library, print or --json, write the CSV and chart."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from .. import io, store
from ..errors import ViewcastError
from ..features import SEARCH, Features
from ..forecast import forecast as run_forecast
from ..evaluate.rules import RATIO_EXAMPLE, RATIO_SAID
from ..forecast.forecast import ENSEMBLE, MAX_DAYS, RULE, SAVED_DAYS, SEEDS, VALIDATION
from .views import forecast as report
from . import app
from . import many as many_cli
from ..many import Job
from .kit import Json, command, emit_json, options, out, print_lines, progress_bar


@app.command("forecast")
@command
@options("src", "config", "features", "many")
def forecast(
    src, config, features, many,
    days: Annotated[int, typer.Option(help=f"Days ahead, 1…{MAX_DAYS} (each prediction is fed back as an input).")] = 1,
    models_: Annotated[Optional[str], typer.Option("--models", help="Comma-separated candidate specs (default: linear:56,relu:56x100), e.g. linear:28,relu:56x100x2.")] = None,
    search: Annotated[bool, typer.Option("--search/--no-search", help="Also try each model with --log and --weekday, chosen by validation (default). --no-search keeps only the --log/--weekday given.")] = True,
    val: Annotated[str, typer.Option("--val", help="Validation on the most recent days (training options as for fit): rolling:4 = the last 20% in 4 blocks, each after all days before it.")] = VALIDATION,
    seeds: Annotated[int, typer.Option(help="Seeds per candidate in validation.")] = SEEDS,
    ensemble: Annotated[int, typer.Option(help="Refit each chosen model from N seeds and average them.")] = ENSEMBLE,
    rule: Annotated[str, typer.Option(help=f"How validation chooses: ratio (the default: every candidate weighted {RATIO_SAID}: {RATIO_EXAMPLE}), soft (weights exp(−z), z the paired standard errors by which its log-MAE ratio to the best is above 0), tie (the mean of the best and every candidate within one paired standard error of it), 1se (the simplest candidate within one paired standard error of the best), or min (the lowest mean).")] = RULE,
    full_schedule: Annotated[Optional[bool], typer.Option("--full-schedule/--no-full-schedule", help="--full-schedule (the default unless --early-stop is given): every model trains its whole cosine schedule. --no-full-schedule: early stopping (patience 100, or --early-stop's), the refit taking the updates validation chose — faster, less steady.")] = None,
    out_dir: Annotated[Optional[Path], typer.Option("--out", "-o", help="Folder for forecast.csv and the chart (forecast.png, forecast.html).")] = None,
    save: Annotated[Optional[str], typer.Option(help="Save the refit model (with its intervals) here; `viewcast predict --model` reuses it.")] = None,
    json_: Json = False,
) -> None:
    """Forecast the next days with 80% and 95% intervals: choose by validation, refit on every day, feed predictions back."""
    feats = SEARCH if search and features == Features() else (features,)
    if many_cli.is_many(src.source, src.column):
        if out_dir is not None or save:
            raise ViewcastError("-o and --save are for one series; with several, --results FILE keeps every forecast")
        specs = tuple(m.strip() for m in models_.split(",")) if models_ else ()
        return many_cli.run(Job("forecast", specs, config, feats, validation=val, seeds=seeds, ensemble=ensemble,
                                days=days, rule=rule, full_schedule=full_schedule), src, many, json_)
    many_cli.single(many)
    if out_dir is not None:
        io.check_folder(out_dir)  # before any work: a bad -o must not cost the run
    if save:
        io.check_target(save)
    s = src.load()
    with progress_bar(json_) as (task, step):
        f = run_forecast(s, days, models_.split(",") if models_ else None, feats, val, config, seeds, ensemble,
                         on_model=task, progress=step, rule=rule, calibrate=SAVED_DAYS if save else 0,
                         full_schedule=full_schedule)
    if save:
        store.save(f.refit, save, s, f.calibration, f.blend_refits, f.blend_weights)
    files = report.write(f, out_dir) if out_dir is not None else []
    if json_:
        return emit_json({**f.as_dict(), "files": [str(p) for p in files], "saved": save})
    print_lines(report.text(f))
    if save:
        what = (f"the {len(f.blend)} refit models of the {'weighted ' if f.weighted else ''}mean" if f.blend
                else "the refit model")
        out.print(f"saved {what} to {save}", highlight=False)
    for p in files:
        out.print(f"wrote {p}", highlight=False)
