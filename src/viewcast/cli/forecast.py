"""`viewcast forecast`: tomorrow (and N days on) from everything known today, with intervals —
thin: parse, check outputs, call the library, print or --json, write the CSV and chart."""
from __future__ import annotations

from typing import Annotated, List, Optional

import typer

from .. import io
from ..errors import ViewcastError
from ..forecasting.selector import MAX_DAYS, SAVED_DAYS, Selector
from ..train.config import TrainConfig
from . import app
from . import many as many_cli
from . import outputs
from .kit import Json, command, emit_json, options, out, print_lines, progress_bar, say


OUTPUTS = [outputs.Output("forecast", (".csv", ".png", ".html"))]  # the numbers, and the chart


@app.command("forecast")
@command
@options("src", "config", "features", "many")
def forecast(
    src, config, features, many,
    days: Annotated[int, typer.Option(help=f"Days ahead, 1…{MAX_DAYS} (each prediction is fed back as an input).")] = 1,
    quick: Annotated[bool, typer.Option("--quick", help="One network per candidate and block (Selector.QUICK): a few times faster, a little less steady.")] = False,
    per_series: Annotated[bool, typer.Option("--per-series", help="Each series its own networks, trained on it alone (the default: one network for all the series given, each on its own scale).")] = False,
    models_: Annotated[Optional[str], typer.Option("--models", help=f"Comma-separated candidate specs (default: {', '.join(Selector.DEFAULT.models)}).")] = None,
    search: Annotated[bool, typer.Option("--search/--no-search", help="The default features: changes from the last day on a log scale, and the weekday. --log or --weekday replace them with those given; --no-search alone: raw views, no weekday.")] = True,
    val: Annotated[Optional[str], typer.Option("--val", help=f"rolling:N: the last year in N blocks, each forecast by networks trained on the days before it (default {Selector.DEFAULT.validation}).")] = None,
    seeds: Annotated[Optional[int], typer.Option(help=f"Networks per candidate and block, averaged (default {Selector.DEFAULT.seeds}).")] = None,
    ensemble: Annotated[Optional[int], typer.Option(help=f"Networks per candidate's refit, averaged (default {Selector.DEFAULT.ensemble}).")] = None,
    rule: Annotated[Optional[str], typer.Option(help="How validation weighs the candidates: ratio (default), soft, tie, 1se or min; see docs/forecasting.md.")] = None,
    full_schedule: Annotated[Optional[bool], typer.Option("--full-schedule/--no-full-schedule", help="--no-full-schedule: early stopping on each block (patience 100, or --early-stop's), the refit taking the median of their updates.")] = None,
    output: Annotated[Optional[List[str]], typer.Option("--out", "-o", help=f"Where the forecast goes: {outputs.HELP} (a folder: forecast.csv, forecast.png, forecast.html).")] = None,
    save: Annotated[Optional[str], typer.Option(help="Save the refit model (with its intervals) here; `viewcast predict --model` reuses it.")] = None,
    json_: Json = False,
) -> None:
    """Forecast the next days with 80% and 95% intervals: choose by validation, refit on every day, feed predictions back."""
    from ..features import Features

    sel = (Selector.QUICK if quick else Selector.DEFAULT).but(
        models=models_, features=None if search and features == Features() else features, seeds=seeds,
        ensemble=ensemble, rule=rule, validation=val, full_schedule=full_schedule, pooled=False if per_series else None)
    if many_cli.is_many(src.source, src.column):
        if output or save:
            raise ViewcastError("-o and --save are for one series; with several, --results FILE keeps every forecast")
        from ..many import Job

        return many_cli.run(Job("forecast", sel.models, config, sel.features, days=days, selector=sel), src, many,
                            json_)
    many_cli.single(many)
    targets = outputs.plan(output or [], OUTPUTS)  # before any work: a bad -o must not cost the run
    if save:
        io.check_target(save)
    s = src.load()
    from .. import store  # the engine loads once the input is known to be good
    from ..forecasting import forecast as run_forecast
    from .views import forecast as report

    with progress_bar(json_, "forecast") as (task, step):
        f = run_forecast(s, days, sel, config, calibrate=SAVED_DAYS if save else 0, on_model=task, progress=step)
    if save:
        store.save(f.refit, save, s, f.calibration, f.blend_refits, f.blend_weights)
    files = report.write(f, targets) if targets else []
    draft = _draft(sel, config)
    if json_:
        return emit_json({**f.as_dict(), "files": [str(p) for p in files], "saved": save, "draft": draft})
    if draft:
        say(f"[bold]draft[/]: trained with --epochs {config.epochs}, fewer passes than the default "
            f"{Selector.DEFAULT.epochs if sel.epochs is not None else TrainConfig.epochs}: for a quick look, not to "
            "act on", highlight=False)
    print_lines(report.text(f))
    if save:
        what = (f"the {len(f.blend)} refit models of the {'weighted ' if f.weighted else ''}mean" if f.blend
                else "the refit model")
        out.print(f"saved {what} to {save}", highlight=False)
    for p in files:
        out.print(f"wrote {p}", highlight=False)


def _draft(sel: Selector, config: TrainConfig) -> bool:
    """Fewer training passes than the recipe's (the Selector's, or TrainConfig's when it has none): a draft."""
    return config.epochs < (Selector.DEFAULT.epochs if sel.epochs is not None else TrainConfig.epochs)
