"""`viewcast ladder` (the book's tables) and `viewcast demo` (the chapter-1 story on the default series)."""
from __future__ import annotations

from typing import Annotated

import typer

from ..book import ladder as book
from ..book.story import story
from ..checks import check
from ..data import DEFAULT, load_series
from ..errors import ViewcastError
from ..text.fmt import num
from ..text.i18n import t, weekday
from .views import tables
from . import app
from . import many as many_cli
from . import table as table_cli
from .kit import Json, command, emit_json, err, given, options, print_lines, progress_bar, say


Seeds = Annotated[int, typer.Option("--seeds", help="Networks per rung: the first as `fit --seed` trains it (the --json keys train_mae, test_mae), the others beside it; the tables show their mean ± spread, and the story claims an order only past it.")]
LADDER_SHARE = 0.9  # of the demo's time (the forecast of one series takes seconds): for its ETA


def _stopped(res) -> None:
    """Ctrl-C: what was finished is shown; the interrupted model is marked; exit 130."""
    stopped = res.interrupted
    if stopped is not None:
        err.print(f"interrupted while training {stopped.spec} ({stopped.stop_reason}); "
                  f"{len(res.fits) - 1} of {len(book.specs())} models were finished", highlight=False, soft_wrap=True)
        raise typer.Exit(130)


@app.command("ladder")
@command
@options("src", "split", "config", "features", "many", "lang", "table")
def ladder_cmd(src, split, config, features, many, lang, table, seeds: Seeds = book.SEEDS, json_: Json = False) -> None:
    """The book's tables A (days), B (units), C (layers): L and L′ beside the book's, mean ± spread over seeds."""
    check(seeds=seeds)
    several = many_cli.is_many(src.source, src.column)
    if given("seeds") and seeds != 1 and (table.on or several):
        raise ViewcastError(f"the ladder of {'a table' if table.on else 'several series'} trains one network per "
                            "rung; drop --seeds", param="seeds", value=seeds)
    if table.on:
        return table_cli.ladder(src, table, config, lang, json_)
    table.check()
    if several:
        many_cli.english_only(lang)
        from ..many import Job

        return many_cli.run(Job("ladder", (), config, (features,), (split.train_start, split.train_end, split.test_start, split.test_end)), src, many, json_)
    many_cli.single(many)
    s = src.load()
    from .. import api  # the engine loads once the input is known to be good

    with progress_bar(json_, "ladder", lang) as stages:
        stages.weigh([book.rung_cost(spec) for spec in book.specs()])  # the rungs in the order they train
        task, step = stages
        res = api.ladder(s, config, split=split.of(s), features=features, on_model=task, progress=step, seeds=seeds)
    if json_:
        emit_json(res.as_dict())
    else:
        print_lines(tables.ladder(res, lang))
    _stopped(res)


@app.command()
@command
@options("config", "lang")
def demo(config, lang, seeds: Seeds = book.SEEDS,
         quick: Annotated[bool, typer.Option("--quick", help="One network per rung and the quick forecaster: a few times faster; the story may then change with the machine.")] = False,
         json_: Json = False) -> None:
    """The chapter-1 story on the default series: the ladder beside the book, and tomorrow's forecast."""
    from .. import api
    from ..forecasting import Selector
    from ..forecasting import forecast as run_forecast

    check(seeds=seeds)
    seeds = 1 if quick else seeds
    s = load_series(DEFAULT)
    with progress_bar(json_, "demo", lang) as stages:
        task, step = stages
        stages.part("the ladder", 0.0, LADDER_SHARE)
        stages.weigh([book.rung_cost(spec) for spec in book.specs()])
        res = api.ladder(s, config, on_model=task, progress=step, seeds=seeds)
        _stopped(res)
        stages.part("tomorrow's forecast", LADDER_SHARE, 1 - LADDER_SHARE)
        f = run_forecast(s, 1, Selector.QUICK if quick else Selector.DEFAULT, config, on_model=task, progress=step)
    tomorrow = {"model": f.label, "date": f.dates[0], "views": float(f.forecast[0]),
                "lower80": float(f.lower[80][0]), "upper80": float(f.upper[80][0]),
                "lower95": float(f.lower[95][0]), "upper95": float(f.upper[95][0]),
                "trained_through": f.trained_through}
    if json_:
        return emit_json({**res.as_dict(), "story": story(res.rows), "forecast": tomorrow})
    print_lines(tables.ladder(res, lang))
    key = "cli.demo.tomorrow_weighted" if f.weighted else "cli.demo.tomorrow_mean" if f.blend else "cli.demo.tomorrow"
    say(t(key, lang, weekday=weekday(f.dates[0].day_of_week, lang), date=f"{f.dates[0]:%Y-%m-%d}",
          model=" | ".join(f.blend_names()) if f.blend else f.chosen.label,
          through=f"{f.trained_through:%Y-%m-%d}", views=num(f.forecast[0]),
          lo80=num(f.lower[80][0]), hi80=num(f.upper[80][0]), lo95=num(f.lower[95][0]), hi95=num(f.upper[95][0])),
        highlight=False)
