"""`viewcast leaderboard TABLE.csv --target COLUMN`: chapter 2.4's warning measured on the learner's own
table — thin: parse, check the outputs, call the library, print (en or zh) or --json, write the chart."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from ..book.leaderboard import lesson
from ..checks import check
from ..errors import ViewcastError
from ..text.i18n import t
from . import app, outputs
from .kit import Json, NoPlots, OutDir, command, emit_json, options, print_lines, progress_bar, say
from .table import table_config
from .views import table as view


@app.command("leaderboard")
@command
@options("src", "config", "table", "lang")
def leaderboard(
    src, config, table, lang,
    models_: Annotated[Optional[str], typer.Option("--models", help="The candidates' specs, comma-separated (default: linear, relu:16, relu:64); each with every --select and --seeds.")] = None,
    seeds: Annotated[int, typer.Option(help="Seeds per spec and number of features (default 3).")] = 3,
    out_dir: OutDir = Path("viewcast-out"),
    no_plots: NoPlots = False,
    json_: Json = False,
) -> None:
    """Chapter 2.4 on a table: choosing by the public score overfits the leaderboard; choosing by validation does not."""
    if not table.on:  # before the outputs are planned: a refused command leaves no folder behind
        raise ViewcastError("the leaderboard lesson reads a table: name its target column", param="target", value=None)
    table.check("column", "date_column", "fill")
    check(seeds=seeds)
    targets = [] if no_plots else outputs.plan(out_dir or [outputs.FIGURES], [CHART])  # before any work
    from .. import api

    with progress_bar(json_, lang=lang) as (task, step):
        res = api.leaderboard(src.source, table.target, table_config(config), features=table.columns,
                              test=table.test, models=models_, select=table.ks(), select_by=table.select_by,
                              seeds=seeds, on_model=task, progress=step)
    paths = outputs.draw(_chart(res, lang), targets) if targets else []
    if json_:
        return emit_json({**res.as_dict(), "said": [str(s) for s in lesson(res, lang)], "figures": [str(p) for p in paths]})
    print_lines(view.leaderboard(res, lang))
    for p in paths:
        say(t("cli.figure", lang, path=p), highlight=False)


CHART = outputs.Output("leaderboard", (".png", ".html"))


def _chart(res, lang: str):
    from ..figures.leaderboard import leaderboard_chart  # matplotlib and plotly load only when drawing

    return leaderboard_chart(res, lang)


