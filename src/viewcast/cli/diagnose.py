"""`viewcast diagnose`: chapter 2's methodology — why is a model bad? Thin: parse, call the library,
print the report (or --json), write the figures."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..diagnosis.config import DiagnoseConfig
from ..errors import ViewcastError
from ..evaluate.validation import RANDOM_WARNING
from ..text.i18n import t
from . import app
from . import many as many_cli
from . import outputs
from . import table as table_cli
from ..models import parse_list
from .kit import Json, NoPlots, OutDir, command, emit_json, models_option, options, print_lines, progress_bar, say, warn


@app.command("diagnose")
@command
@options("src", "split", "config", "scheme", "many", "lang", "table")
def diagnose(
    src, split, config, scheme, many, lang, table,
    models_: models_option("linear, relu:10, relu:100, relu:100x2, relu:100x4") = None,  # diagnosis.table.DEFAULT_MODELS
    worst_factor: Annotated[float, typer.Option("--worst-factor", help="List test days every model (without bias or an optimization issue) misses by more than this × its validation MAE.")] = DiagnoseConfig.worst_factor,
    out_dir: OutDir = None,
    no_plots: NoPlots = False,
    json_: Json = False,
) -> None:
    """Why is a model bad? Model bias, optimization issue, overfitting or mismatch, with the evidence (chapter 2)."""
    if table.on:
        return table_cli.diagnose(src, table, config, scheme, models_, out_dir, no_plots, lang, json_)
    table.check()
    if worst_factor <= 0:
        raise ViewcastError("must be a positive number, e.g. 3", param="worst_factor", value=worst_factor)
    if many_cli.is_many(src.source, src.column):
        many_cli.one_series_only(out=out_dir, gap=scheme.gap)
        many_cli.english_only(lang)
        from ..features import Features
        from ..many import Job

        specs = tuple(str(p) for p in parse_list(models_)) if models_ else ()
        return many_cli.run(Job("diagnose", specs, config, (Features(),), (split.train_start, split.train_end, split.test_start, split.test_end), scheme.spec), src, many, json_)
    many_cli.single(many)
    targets = [] if no_plots else outputs.plan(out_dir or [outputs.FIGURES], FIGURES)  # before any work
    s = src.load()
    from .. import api  # the engine loads once the input is known to be good
    from .views.diagnose import reference_line, sentences, verdict_table, worst_table

    with progress_bar(json_, "diagnose", lang) as (task, step):
        d = api.diagnose(s, models_, scheme, config, split=split.of(s),
                         dconfig=DiagnoseConfig(worst_factor=worst_factor, seed=config.seed), on_model=task, progress=step)
    paths = _figures(d, targets, lang) if targets else []
    warnings = [RANDOM_WARNING] if scheme.kind == "random" else []
    if json_:
        return emit_json({**d.as_dict(), "figures": [str(p) for p in paths], "warnings": warnings})
    if warnings:  # the JSON's warnings stay English; the terminal's are in `lang`
        warn(t("cli.diag.warn.random", lang))
    print_lines(verdict_table(d, lang))
    say(reference_line(d, lang), style="dim")
    print_lines(sentences(d, lang))
    worst = worst_table(d, lang=lang)
    if worst is not None:
        print_lines(worst)
    else:
        say(t("cli.diag.worst.none", lang, factor=f"{d.dconfig.worst_factor:g}"))
    for p in paths:
        say(t("cli.figure", lang, path=p), highlight=False)


# diagnose-losses (the losses across the models, with their verdicts) and diagnose-worst-days (every model's
# predictions on the test days, the worst days marked), each as PNG and HTML
FIGURES = [outputs.Output("diagnose-losses", (".png", ".html"), "losses"),
           outputs.Output("diagnose-worst-days", (".png", ".html"), "worst-days")]


def _figures(d, targets: list, lang: str) -> list[Path]:
    from ..figures.curves import losses_chart  # matplotlib and plotly load only when drawing
    from ..figures.worst import worst_chart

    charts = {"diagnose-losses": losses_chart(d, lang), "diagnose-worst-days": worst_chart(d, lang)}
    return [p for stem, chart in charts.items() for p in outputs.draw(chart, [t for t in targets if t.output.stem == stem])]
