"""The test days of a diagnosis: the truth, the predictions of the models (each in a colour and a line
style of its own, up to the ladder's 13), the one validation would choose drawn boldest, and the days
every model missed far beyond its validation error ringed — chapter 2's 2021-02-26.
"""
from __future__ import annotations

import numpy as np

from ..diagnosis.mismatch import WEEKDAYS
from ..text import i18n
from .chart import Chart, Panel, Trace, dates
from .style import COLORS, model_style


def t(key: str, lang: str | None, **kw) -> str:
    return i18n.t(f"fig.{key}", lang, **kw)


def worst_chart(d, lang: str | None = None, models: list[str] | None = None) -> Chart:
    """The test period of diagnosis `d` with the predictions of `models` (None: every model; the report
    shows only the chosen one) and the worst days marked."""
    best = d.overall["best_model"]
    shown = [m for m in d.models if models is None or m.spec in models]
    x = dates(d.test_dates)
    traces = [Trace("lines+markers", x, d.test_actual, t("truth", lang), COLORS["actual"] if len(shown) > 1
                    else COLORS["truth"], width=2, size=4)]
    for i, m in enumerate(shown):
        if len(shown) == 1:
            color, dash = COLORS["prediction"], "solid"
        else:
            color, dash = model_style(i)
        name = t("prediction_of", lang, model=m.spec) if len(shown) == 1 else m.spec
        traces.append(Trace("line", x, m.pred_test, name, color, dash, width=2.2 if m.spec == best else 1.2))
    if d.worst_days:
        days = ", ".join(f"{i18n.weekday(WEEKDAYS.index(w['weekday']), lang)} {w['date'][5:]}" for w in d.worst_days)
        traces.append(Trace("markers", np.array([w["date"] for w in d.worst_days], dtype="datetime64[D]"),
                            [w["actual"] for w in d.worst_days], t("worst_days", lang, days=days), COLORS["worst"],
                            symbol="ring", size=14))
    title = t("worst_title" if d.worst_days else "chosen_title", lang)
    p = Panel(t("worst_of", lang, source=d.source), ylabel=t("axis.views_per_day", lang), traces=traces)
    return Chart("worst", title, [p], height=380)
