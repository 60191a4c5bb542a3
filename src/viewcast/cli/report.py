"""`viewcast report`: chapters 1–2 on the user's series as one self-contained HTML page (and, with
--png, every figure as a PNG). Thin: parse, check the outputs before any work, call the library, print."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from ..book.ladder import SEEDS
from ..book.report import ReportConfig
from ..data.many import is_many
from ..errors import ViewcastError
from ..io import check_folder
from . import app, outputs
from .kit import Json, command, emit_json, options, out, progress_bar, say, warn


@app.command("report")
@command
@options("src", "split", "lang")
def report(
    src, split, lang,
    output: Annotated[Optional[Path], typer.Option("--out", "-o", help="The page: an .html file (self-contained, opens offline), or a folder (report.html in it; for several series a page each and index.html).")] = None,
    png: Annotated[Optional[Path], typer.Option("--png", help="Also write every figure as a PNG into this folder.")] = None,
    days: Annotated[int, typer.Option(help="Days to forecast after the series ends.")] = ReportConfig.days,
    epochs: Annotated[Optional[int], typer.Option(help="Training updates per model (default: the default recipe's); fewer make a draft, marked as one.")] = None,
    seeds: Annotated[int, typer.Option(help="Networks per rung of the ladder: its story claims an order only past their spread.")] = SEEDS,
    quick: Annotated[bool, typer.Option("--quick", help="One network per rung and the forecast's quick selector: a few times faster; the story may then change with the machine.")] = False,
    seed: Annotated[int, typer.Option("--seed", help="Random seed: same seed, same report.")] = 0,
    json_: Json = False,
) -> None:
    """One offline HTML page that follows chapters 1–2 on your series: data, ladder, error surface, diagnosis, forecast."""
    from ..checks import check

    check(seeds=seeds, days=days)  # before any work: a bad --days must not cost the ladder and the diagnosis
    cfg = ReportConfig(days=days, epochs=epochs, seed=seed, seeds=seeds, quick=quick)
    many = is_many(src.source, src.column)
    if many:  # a page per series and index.html
        if output is not None and not outputs.is_folder(output):
            raise ViewcastError("several series make a site: give a folder", param="out", value=str(output))
        path = check_folder(output or Path("report"), "out")
    else:
        path = outputs.plan(output or Path("report.html"), [outputs.Output("report", (".html",))])[0].path
    if png is not None:
        check_folder(png, "png")
    s = None if many else src.load()
    with progress_bar(json_, "report" + (" (draft)" if cfg.draft else ""), lang) as stages:
        stages.task("loading the engine")
        from .. import api  # the engine loads once the input is known to be good
        from ..report.page import write_report
        from ..report.site import write_site

        task, step = stages
        if many:
            reports = api.report_data_many(src.source, split_of=split.of, config=cfg, on_model=task, progress=step,
                                           on_part=stages.part, column=src.column, date_column=src.date_column,
                                           fill=src.fill, encoding=src.encoding)
            res = write_site(reports, path, lang, png)
        else:
            data = api.report_data(s, split=split.of(s), config=cfg, on_model=task, progress=step, on_part=stages.part)
            stages.part("writing the page", 1.0, 0.0)
            res = write_report(data, path, lang, png)
    if json_:
        return emit_json({**res.as_dict(), "draft": cfg.draft, "quick": quick})
    if cfg.draft:
        say(f"[bold]draft[/]: {epochs} training updates per model instead of the default recipe's: its verdicts, "
            "intervals and story are for a quick look, not to act on (the page says so too)", highlight=False)
    for n in res.notes:
        warn(n)
    out.print(res.summary(), highlight=False)
