"""The ladder of models: the book's tables A, B and C as charts (our L and L′ beside the book's), and the
predictions of a few rungs against the truth on the test days.

>>> from viewcast.book.ladder import Row
>>> rows = [Row("A", "linear:1", 2, 480.0, 580.0, 480.0, 580.0, None, "", 0.0)]
>>> c = ladder_chart(rows, "en")
>>> [t.name for t in c.panels[0].traces]
['L', 'L′', "book's L", "book's L′"]
"""
from __future__ import annotations

import numpy as np

from ..text import i18n
from ..text.fmt import num
from .chart import Chart, Panel, Trace, dates
from .style import COLORS

BOOK_L, BOOK_LP = "#7f7f7f", "#c7c7c7"  # the book's L and L′: greys, beside our blue and green


def t(key: str, lang: str | None, **kw) -> str:
    return i18n.t(f"fig.{key}", lang, **kw)


def ladder_chart(rows, lang: str | None = None) -> Chart:
    """Tables A, B, C (book.ladder.Row each) as grouped bars: our L and L′ beside the book's."""
    panels = []
    for table in ("A", "B", "C"):
        mine = [r for r in rows if r.table == table]
        if not mine:
            continue
        names = [r.model for r in mine]
        nan = lambda v: np.nan if v is None else v  # noqa: E731  (the book has no number: no bar)
        panels.append(Panel(i18n.t(f"report.table.{table}", lang), ylabel=t("axis.mae", lang), categories=True, traces=[
            Trace("bar", names, [r.train_mae for r in mine], "L", COLORS["train"]),
            Trace("bar", names, [r.test_mae for r in mine], "L′", COLORS["test"]),
            Trace("bar", names, [nan(r.book_train_mae) for r in mine], t("book_L", lang), BOOK_L),
            Trace("bar", names, [nan(r.book_test_mae) for r in mine], t("book_Lp", lang), BOOK_LP)]))
    return Chart("ladder", t("ladder_title", lang), panels, cols=min(3, len(panels)) or 1, height=360)


def predictions_chart(test_dates, actual, predictions: dict[str, tuple[np.ndarray, float]],
                      lang: str | None = None) -> Chart:
    """Each model's predictions on the test days against the truth, a panel per model.
    predictions: spec → ((m,) views, its test loss L′)."""
    x = dates(test_dates)
    panels = []
    for spec, (pred, test_mae) in predictions.items():
        panels.append(Panel(t("pred_panel", lang, model=spec, Lp=num(test_mae)), ylabel=t("axis.views_per_day", lang),
                            traces=[Trace("lines+markers", x, actual, t("truth", lang), COLORS["truth"], size=4),
                                    Trace("lines+markers", x, pred, t("prediction", lang), COLORS["prediction"],
                                          size=4)]))
    return Chart("predictions", t("pred_title", lang), panels, height=300)
