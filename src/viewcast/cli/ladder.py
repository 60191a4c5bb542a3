"""`viewcast ladder` (the book's tables) and `viewcast demo` (the chapter-1 story on the default series)."""
from __future__ import annotations

import typer

from .. import api
from ..book import ladder as book
from ..book.story import story
from ..data import DEFAULT, load_series
from ..forecast.recursive import recursive
from ..report import tables
from . import app
from .kit import Json, command, emit_json, err, options, out, print_lines, progress_bar


def _stopped(res) -> None:
    """Ctrl-C: what was finished is shown; the interrupted model is marked; exit 130."""
    stopped = res.interrupted
    if stopped is not None:
        err.print(f"interrupted while training {stopped.spec} ({stopped.stop_reason}); "
                  f"{len(res.fits) - 1} of {len(book.specs())} models were finished", highlight=False, soft_wrap=True)
        raise typer.Exit(130)


@app.command("ladder")
@command
@options("src", "split", "config", "features")
def ladder_cmd(src, split, config, features, json_: Json = False) -> None:
    """The book's tables A (days), B (units), C (layers): L and L′ beside the book's."""
    s = src.load()
    with progress_bar(json_) as (task, step):
        res = api.ladder(s, config, split=split.of(s), features=features, on_model=task, progress=step)
    if json_:
        emit_json(res.as_dict())
    else:
        print_lines(tables.ladder(res))
    _stopped(res)


@app.command()
@command
@options("config")
def demo(config, json_: Json = False) -> None:
    """The chapter-1 story on the default series: the ladder beside the book, and tomorrow's forecast."""
    s = load_series(DEFAULT)
    with progress_bar(json_) as (task, step):
        res = api.ladder(s, config, on_model=task, progress=step)
    _stopped(res)
    best = res.fits["linear:56"]
    tomorrow = recursive(best.model, best.scaler, best.k, s, 1, best.features.weekday)
    if json_:
        return emit_json({**res.as_dict(), "story": story(res.rows),
                          "forecast": {"model": "linear:56", "date": tomorrow.index[0], "views": float(tomorrow.iloc[0])}})
    print_lines(tables.ladder(res))
    out.print(f"Tomorrow ({tomorrow.index[0]:%a %Y-%m-%d}, the day after the series ends), linear:56 forecasts "
              f"[bold]{tomorrow.iloc[0]:,.0f}[/] views.")
