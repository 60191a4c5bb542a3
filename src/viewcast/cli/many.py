"""Several series in one command (`'wiki:*'`, a folder or glob of CSVs, `--column '*'`): the options
that say where chunks run and where rows go, and the one function every training command hands
its many-series case to. Exit status: 0 when every series ran, 3 when some were skipped or failed
(named on stderr), 130 after Ctrl-C (what finished is kept)."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from ..data.many import is_many, load_many  # noqa: F401  (is_many: for the commands)
from ..many.runner import CHUNK_SERIES, check_settings
from .kit import BUILDERS, Opt, emit_json, err, given, print_lines, progress_bar

MANY = (
    Opt("backend", Annotated[str, typer.Option(help="Where chunks of series train: local (this process) or ray (a cluster; pip install 'viewcast\\[ray]').")], "local"),
    Opt("address", Annotated[Optional[str], typer.Option(help="Ray cluster: auto (the one started with `ray start`) or HOST:PORT; default: a local Ray on this machine.")], None),
    Opt("workers", Annotated[Optional[int], typer.Option(help="Ray: CPUs to use (default: all of the cluster's).")], None),
    Opt("chunk", Annotated[Optional[int], typer.Option(help="Members (series × folds × seeds) per engine program; default: sized from the free memory.")], None),
    Opt("chunk_series", Annotated[int, typer.Option("--chunk-series", help="Series per chunk (one Ray task each).")], CHUNK_SERIES),
    Opt("results", Annotated[Optional[Path], typer.Option(help="Write per-series results here (.csv or .parquet), rewritten as each chunk of --chunk-series series finishes (a forecast's global model trains all its series at once: their rows arrive together, at the end).")], None),
    Opt("resume", Annotated[bool, typer.Option("--resume", help="Skip the series already in the --results file.")], False),
    Opt("pooled", Annotated[bool, typer.Option("--global", help="fit, cv: one network for all the series, each in its own standard units (cv: also as candidates beside the per-series models).")], False),
)


class ManyArgs(dict):
    """The many-series options of a command (a dict: backend, address, workers, chunk, …)."""


BUILDERS["many"] = (MANY, lambda kw: ManyArgs(kw))


def single(many: ManyArgs) -> None:
    """A one-series command refuses the options that only mean something for several series."""
    from ..errors import ViewcastError

    given = [o for o, on in (("--global", many["pooled"]), ("--resume", many["resume"]),
                             ("--results", many["results"] is not None), ("--backend ray", many["backend"] != "local"),
                             ("--address", many["address"] is not None), ("--workers", many["workers"] is not None),
                             ("--chunk", many["chunk"] is not None),
                             ("--chunk-series", many["chunk_series"] != CHUNK_SERIES))
             if on]
    if given:
        raise ViewcastError(f"{', '.join(given)}: only for several series; give 'wiki:*', a folder or a glob of CSV "
                            "files, or --column '*'")


def run(job, src, many: ManyArgs, json_: bool) -> None:
    """Load every series `src` names, run `job` (a `many.Job`) on them through the backend, print or --json, exit."""
    from ..errors import ViewcastError
    from ..many import Job, run_many
    from .views import many as report

    if many["pooled"] and job.command not in ("fit", "cv"):
        raise ViewcastError("is for fit and cv", param="global", value=True)

    job = Job(**{**job.__dict__, "chunk": many["chunk"], "pooled": many["pooled"]})  # its settings checked here
    results = check_settings(many["backend"], many["address"], many["workers"], many["results"], many["resume"],
                             many["chunk_series"])  # before any work
    from ..train.backends import get as get_backend

    be = get_backend(many["backend"], many["address"], many["workers"])  # an unreachable cluster: here, before any work
    try:
        got = load_many(src.source, column=src.column, date_column=src.date_column, fill=src.fill, encoding=src.encoding)
    except BaseException:
        be.close()
        raise
    pooled = job.pooled or (job.command == "forecast" and job.selector.pooled)
    if pooled and many["chunk_series"] == CHUNK_SERIES:
        many["chunk_series"] = max(1, len(got.series))  # one global model over all the series, not per chunk
    with progress_bar(json_, job.command) as stages:
        def on_chunk(done: int, total: int, size: int) -> None:  # the series now training: that share of the run
            stages.part(f"series {done + 1:,}–{done + size:,} of {total:,}", done / total, size / total)

        task, step = stages
        res = run_many(job, got.series, be, many["address"], many["workers"], many["chunk_series"],
                       results, many["resume"], skipped=got.skipped, on_chunk=on_chunk, on_model=task, progress=step)
    if json_:
        emit_json({**res.as_dict(), "results_file": str(results) if results else None})
    else:
        print_lines(report.summary(res, results))
    for s in res.skipped:
        reason = s["reason"].removeprefix(f"{s['series']}: ")  # a reason that starts with the name says it once
        err.print(f"skipped {s['series']}: {reason}", highlight=False, markup=False, soft_wrap=True)
    for f in res.failed:
        err.print(f"failed chunk {f['chunk']} ({len(f['series'])} series: {', '.join(f['series'][:3])}"
                  f"{', …' if len(f['series']) > 3 else ''}): {f['error']}", highlight=False, markup=False, soft_wrap=True)
    if res.interrupted:
        err.print(f"interrupted: {res.done} of {res.total} series finished"
                  + (f"; kept in {results} (marked partial)" if results else ""), highlight=False)
        raise typer.Exit(130)
    if res.skipped or res.failed:
        raise typer.Exit(3)


def english_only(lang: str) -> None:
    """--lang zh typed with several series: their tables and summary are English only, so it is refused rather
    than ignored ($VIEWCAST_LANG, a standing preference, is not)."""
    from ..errors import ViewcastError

    if lang != "en" and given("lang"):
        raise ViewcastError("several series' tables are in English only", param="lang", value=lang,
                            hint="leave --lang out, or run one series")


def one_series_only(**given) -> None:
    """Options that take one series, given with several: refused before any work (-o's figures, --gap)."""
    from ..errors import ViewcastError

    for name, value in given.items():
        if value:
            raise ViewcastError("is for one series; with several, --results FILE keeps every row", param=name,
                                value=value if not isinstance(value, list) else ",".join(map(str, value)))
