"""The series itself: its views per day with the training and test periods marked, and its weekly cycle
(the training days' mean views by weekday).

>>> import viewcast as vc
>>> c = series_chart(s, vc.choose_split(s), "zh")
>>> c.key, [t.name for t in c.panels[0].traces][:1]
('series', ['观看次数'])
>>> w = weekday_chart([7541, 8567, 8500, 8400, 7700, 7541, 7900], "en")
>>> w.panels[0].ylim[0] > 0  # near the data: 7,541 against 8,567 must not look equal
True
"""
from __future__ import annotations

import numpy as np

from ..text import i18n
from .chart import Chart, Panel, Trace, dates
from .style import COLORS


def t(key: str, lang: str | None, **kw) -> str:
    return i18n.t(f"fig.{key}", lang, **kw)


def series_chart(series, split, lang: str | None = None) -> Chart:
    """The daily views (a DailySeries) with where training and the test days start (a Split)."""
    p = Panel(t("series", lang, name=series.name), ylabel=t("axis.views_per_day", lang), ymin=0,
              traces=[Trace("line", dates(series.dates), series.values, i18n.t("term.views", lang), COLORS["truth"],
                            width=0.8)])
    for day, key, dash in ((split.train_start, "train_start", "dash"), (split.test_start, "test_start", "dot")):
        p.traces.append(Trace("vline", [], [np.datetime64(day.date(), "D")], t(key, lang), COLORS["reference"], dash, 1))
    return Chart("series", t("series_title", lang), [p], height=340)


def weekday_limits(means) -> tuple[float, float]:
    """A y range near the data: the lowest mean bar keeps about half the height of the highest, so that a
    weekly cycle of 7,541 against 8,567 shows (from 0 the bars would look equal)."""
    v = np.asarray(means, float)
    v = v[np.isfinite(v)]
    lo, hi = float(v.min()), float(v.max())
    span = hi - lo or 0.1 * abs(hi) or 1.0
    return max(0.0, lo - span), hi + 0.1 * span


def weekday_chart(means, lang: str | None = None) -> Chart:
    """Bars of the mean views Monday … Sunday ((7,) numbers)."""
    names = i18n.t("report.weekdays", lang).split(",")
    p = Panel(t("weekday", lang), ylabel=t("axis.views_per_day", lang), ylim=weekday_limits(means),
              traces=[Trace("bar", names, list(means), t("mean_views", lang), COLORS["truth"])])
    return Chart("weekday", t("weekday_title", lang), [p], height=300)
