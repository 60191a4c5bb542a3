"""`viewcast report`: chapters 1–2 on the user's series as one self-contained HTML page (and, with
--png, every figure as a PNG). Thin: parse, check the outputs before any work, call the library, print."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from .. import api
from ..book.report import ReportConfig
from ..data.many import is_many
from ..io import check_folder, check_target
from ..report.page import write_report
from ..report.site import write_site
from . import app
from .kit import Json, command, emit_json, options, out, progress_bar, warn


@app.command("report")
@command
@options("src", "split", "lang")
def report(
    src, split, lang,
    output: Annotated[Optional[Path], typer.Option("--out", "-o", help="The HTML file to write (self-contained, opens offline); a folder for several series (one page each and index.html).")] = None,
    png: Annotated[Optional[Path], typer.Option("--png", help="Also write every figure as a PNG into this folder.")] = None,
    days: Annotated[int, typer.Option(help="Days to forecast after the series ends.")] = ReportConfig.days,
    epochs: Annotated[Optional[int], typer.Option(help="Training updates per model (default: the default recipe's; fewer for a quick draft).")] = None,
    seed: Annotated[int, typer.Option("--seed", help="Random seed: same seed, same report.")] = 0,
    json_: Json = False,
) -> None:
    """One offline HTML page that follows chapters 1–2 on your series: data, ladder, error surface, diagnosis, forecast."""
    cfg = ReportConfig(days=days, epochs=epochs, seed=seed)
    many = is_many(src.source, src.column)
    path = check_folder(output or Path("report"), "out") if many else check_target(output or Path("report.html"), "out")
    if png is not None:
        check_folder(png, "png")
    with progress_bar(json_, "the ladder") as (task, step):
        if many:
            reports = api.report_data_many(src.source, split_of=split.of, config=cfg, on_model=task, progress=step,
                                           column=src.column, date_column=src.date_column, fill=src.fill,
                                           encoding=src.encoding)
            res = write_site(reports, path, lang, png)
        else:
            s = src.load()
            res = write_report(api.report_data(s, split=split.of(s), config=cfg, on_model=task, progress=step),
                               path, lang, png)
    if json_:
        return emit_json(res.as_dict())
    for n in res.notes:
        warn(n)
    out.print(res.summary(), highlight=False)
