"""`viewcast cv`: choose a model by validation (hold-out, k-fold, time-series), or draw a validation
curve — thin: parse, call the library, print or --json, write the figures."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import numpy as np
import typer

from .. import io
from ..checks import check
from ..errors import ViewcastError
from ..evaluate.rules import BLENDS, DEFAULT_RULE
from ..forecasting.selector import SAVED_DAYS, Selector
from ..text import i18n
from ..text.fmt import num
from . import app
from . import many as many_cli
from . import outputs
from . import table as table_cli
from ..models import parse_list
from ..train.config import seed_stream
from .kit import Json, Models, NoPlots, OutDir, command, emit_json, err, options, out, print_lines, progress_bar, warn


QUICK = "linear:7,linear:56,relu:56x100"  # cv --quick: a week, eight weeks, and the chapter's network


@app.command("cv")
@command
@options("src", "split", "config", "features", "scheme", "many", "table")
def cv(
    src, split, config, features, scheme, many, table,
    models_: Models = None,
    seeds: Annotated[int, typer.Option(help="Seeds per model (each fold is trained once per seed).")] = 1,
    search: Annotated[bool, typer.Option("--search", help="Also choose --log and --weekday by validation (4× the candidates).")] = False,
    ensemble: Annotated[int, typer.Option(help="Refit the chosen model from N seeds and average them.")] = 1,
    show_test: Annotated[bool, typer.Option("--show-test", help="Also report the test loss of the models not chosen (never used for choosing).")] = False,
    curve: Annotated[Optional[str], typer.Option(help="Draw a validation curve instead: depth, width or k (with and without early stopping).")] = None,
    rule: Annotated[str, typer.Option(help="How validation chooses: 1se (default: the simplest within one paired standard error of the best; a table's: min), min, tie, soft or ratio (docs/forecasting.md).")] = DEFAULT_RULE,
    save: Annotated[Optional[str], typer.Option(help="Save the chosen model here (safetensors), refit on every day up to the series' end as `viewcast forecast` does, with its intervals.")] = None,
    quick: Annotated[bool, typer.Option("--quick", help=f"Compare {QUICK.replace(',', ', ')} instead of the ladder's 13 models: a few times faster.")] = False,
    out_dir: OutDir = None,
    no_plots: NoPlots = False,
    json_: Json = False,
) -> None:
    """Choose a model by validation, refit it, and report its test loss once (chapter 2)."""
    check(seeds=seeds, ensemble=ensemble)
    if quick:
        if models_:
            raise ViewcastError("--quick picks the models: drop --models (or --quick)", param="quick", value=True)
        models_ = QUICK
    if table.on:
        return table_cli.cv(src, table, config, scheme, models_, seeds, rule, json_)
    table.check()
    if rule in BLENDS and save:  # before any work
        raise ViewcastError(f"cv saves one model: save a blend with `viewcast forecast --rule {rule} --save FILE`",
                            param="rule", value=rule)
    if curve:
        clash = [o for o, on in (("--models", models_), ("--search", search), ("--ensemble", ensemble != 1),
                                 ("--show-test", show_test), ("--save", save)) if on]
        if clash:
            raise ViewcastError(f"draws a fixed family of models on validation data only; drop {', '.join(clash)}",
                                param="curve", value=curve)
    if many_cli.is_many(src.source, src.column):
        if curve or save or show_test:
            raise ViewcastError("--curve, --save and --show-test take one series", param="models", value=models_ or "")
        many_cli.one_series_only(out=out_dir, gap=scheme.gap)
        specs = tuple(str(p) for p in parse_list(models_)) if models_ else ()
        from ..features import SEARCH
        from ..many import Job

        return many_cli.run(Job("cv", specs, config, SEARCH if search else (features,), (split.train_start, split.train_end, split.test_start, split.test_end), scheme.spec,
                                seeds, ensemble, rule=rule), src, many, json_)
    many_cli.single(many)
    stem = f"cv-validation-{curve}" if curve else "cv-learning"
    figures = [] if no_plots else outputs.plan(out_dir or [outputs.FIGURES], [outputs.Output(stem, (".png", ".html"))])
    if save:
        io.check_target(save)
    s = src.load()
    sp = split.of(s)
    from .. import api  # the engine loads once the input is known to be good
    from ..evaluate.select import Interrupted
    from .views import selection

    if curve:
        return _curve(s, sp, curve, scheme, config, seeds, features, figures, json_)
    with progress_bar(json_, "cv") as (task, step):
        try:
            sel = api.select(s, models_, scheme, config, split=sp, seeds=seeds, features=features, search=search,
                             ensemble=ensemble, show_test=show_test, on_model=task, progress=step, rule=rule)
        except Interrupted as e:  # Ctrl-C: say what was finished, choose nothing, score nothing
            _interrupted(e, s.name, json_)
    if sel.refit.interrupted:
        err.print(f"interrupted while refitting the chosen {sel.chosen.label}; its test loss was not scored",
                  highlight=False, soft_wrap=True)
        raise typer.Exit(130)
    deployed = _deploy(sel.chosen, s, config, seeds, ensemble, rule, save, json_) if save else None
    figures = _learning_figure(sel.chosen, scheme, s.name, figures) if figures else []
    if json_:
        return emit_json({**sel.as_dict(), "figures": [str(f) for f in figures], "saved": save,
                          "saved_trained_through": deployed.trained_through if deployed else None})
    for w in sel.warnings:
        warn(w)
    print_lines(selection.selection(sel))
    if save:
        out.print(f"saved {sel.chosen.label}, refit on every day through {deployed.trained_through:%Y-%m-%d} "
                  f"(with {deployed.refit.updates} updates and intervals for up to {SAVED_DAYS} days), to {save}",
                  highlight=False)
    for f in figures:
        out.print(f"figure: {f}", highlight=False)


def _interrupted(e, source: str, json_: bool) -> None:
    """Ctrl-C during validation: the candidates that finished, then exit 130 (nothing chosen or scored)."""
    done = [{"model": c.label, "val_mae_mean": c.val_mean} for c in e.finished]
    if json_:
        emit_json({"source": source, "interrupted": True, "finished": done, "total": e.total})
    else:
        for d in done:
            out.print(f"{d['model']}: validation MAE {num(d['val_mae_mean'])}", highlight=False)
    err.print(f"interrupted: {e}; no model was chosen and the test period was not scored", highlight=False,
              soft_wrap=True)
    raise typer.Exit(130)


def _deploy(c, s, config, seeds: int, ensemble: int, rule: str, save: str, json_: bool):
    """The chosen model refit on every day (as `viewcast forecast` does), with its intervals, saved — trained
    with the recipe it was validated with (without training options: `cv`'s own, VALIDATION_RECIPE) for the
    updates validation chose, as cv's own refit is. The calibration blocks stop after as many updates, not each
    at its best on its own days, which would make the intervals too narrow."""
    from .. import store
    from ..evaluate.candidates import updates_chosen
    from ..forecasting import forecast as run_forecast
    from ..train.config import for_validation

    with progress_bar(json_, "cv: the chosen model refit on every day") as (task, step):
        chosen = Selector.PER_SERIES.but(models=(c.spec,), features=c.features, seeds=seeds, ensemble=ensemble,
                                         rule=rule, stop_after=updates_chosen(c))
        recipe = for_validation(config).but(early_stop=None)
        deployed = run_forecast(s, SAVED_DAYS, chosen, recipe, on_model=task, progress=step)
    store.save(deployed.refit, save, s, deployed.calibration)
    return deployed


def _learning_figure(c, scheme, source: str, targets: list) -> list[Path]:
    """cv-learning.{png,html}: the chosen candidate's training and validation loss per update."""
    from ..figures.curves import LearningRun, learning_chart  # matplotlib and plotly load only when drawing
    run = LearningRun(c.label, c.run.history["train"], c.run.history["val"], c.learning_curve()["best_update"])
    title = i18n.t("fig.learning.of", model=c.label, scheme=scheme, source=source)
    return outputs.draw(learning_chart([run], title=title), targets)


def _curve(s, split, name, scheme, config, seeds, features, targets: list, json_: bool) -> None:
    from ..evaluate.curves import validation_curve
    from .views import selection

    with progress_bar(json_, f"cv --curve {name}") as (task, step):
        res = validation_curve(s, split, name, scheme, config, seed_stream(config.seed, seeds),
                               features, on_model=task, progress=step)
    figures = []
    if targets:
        from ..figures.curves import validation_curve_chart

        data = {label: {"val_mean": np.array([r["val_mae_mean"] for r in rows]),
                        "val_std": np.nan_to_num(np.array([r["val_mae_std"] for r in rows])),
                        "train_mean": np.array([r["train_mae_mean"] for r in rows])} for label, rows in res.summary().items()}
        title = i18n.t("fig.vcurve.title", name=name, source=s.name, scheme=scheme, seeds=seeds)
        figures = outputs.draw(validation_curve_chart(res.x, data, res.xlabel, title), targets)
    if json_:
        return emit_json({**res.as_dict(), "figures": [str(f) for f in figures]})
    print_lines(selection.curve(res))
    for f in figures:
        out.print(f"figure: {f}", highlight=False)
