"""The honest forecast: the last weeks of the series, the forecast joined to the last observed day, and
its 80% and 95% intervals. Reads only the result's public values: dates, forecast, lower, upper, history
and label.

>>> import pandas as pd
>>> from types import SimpleNamespace as NS
>>> h = pd.Series([5.0, 6.0, 7.0], index=pd.date_range("2021-01-01", periods=3), name="demo")
>>> f = NS(dates=pd.date_range("2021-01-04", periods=2), forecast=np.array([8.0, 9.0]), lower={}, upper={},
...        history=h, label="A 50% | B 20% | C 10% | D 10% | E 10%")
>>> c = forecast_chart(f, "en")
>>> line = c.panels[0].traces[-2]
>>> str(line.x[0]), [float(v) for v in line.y]
('2021-01-03', [7.0, 8.0, 9.0])
>>> c.panels[0].title
'A 50% | B 20% | C 10% | 2 more, trained through 2021-01-03'
"""
from __future__ import annotations

import numpy as np

from ..text import i18n
from .chart import Chart, Panel, Trace, dates
from .style import COLORS

TAIL_DAYS = 56  # days of history drawn before the forecast: eight weeks show the weekly cycle
SHOWN = 3  # a blend's members named in the title; the rest are counted


def t(key: str, lang: str | None, **kw) -> str:
    return i18n.t(f"fig.{key}", lang, **kw)


def short_label(label: str, lang: str | None = None, shown: int = SHOWN) -> str:
    """'A 62% | B 20% | C 8% | D 5% | E 5%' → 'A 62% | B 20% | C 8% | 2 more': a blend's first members."""
    parts = label.split(" | ")
    if len(parts) <= shown + 1:
        return label
    return " | ".join(parts[:shown] + [t("more", lang, n=len(parts) - shown)])


def forecast_chart(f, lang: str | None = None, name: str | None = None) -> Chart:
    """Forecast `f` (a ForecastResult) after the last TAIL_DAYS days of its series, named `name`."""
    tail = f.history.iloc[-TAIL_DAYS:]
    last_day, last_value = tail.index[-1], float(tail.iloc[-1])
    x = dates(f.dates)
    traces = [Trace("line", dates(tail.index), tail.to_numpy(), t("history", lang), COLORS["truth"])]
    for lv, alpha in ((95, 0.15), (80, 0.30)):
        if lv in f.lower:
            traces.append(Trace("band", x, f.lower[lv], t("interval", lang, level=lv), COLORS["prediction"],
                                upper=f.upper[lv], alpha=alpha))
    # the forecast line starts at the last observed day: the series goes on, it does not jump
    joined = np.concatenate([[np.datetime64(last_day.date(), "D")], x])
    traces.append(Trace("line", joined, np.concatenate([[last_value], np.asarray(f.forecast, float)]),
                        t("forecast", lang), COLORS["prediction"]))
    traces.append(Trace("markers", x, f.forecast, None, COLORS["prediction"], size=4))  # the forecast days
    p = Panel(t("forecast_panel", lang, model=short_label(f.label, lang), end=f"{last_day:%Y-%m-%d}"),
              ylabel=t("axis.views_per_day", lang), ymin=0, traces=traces)
    title = t("forecast_of", lang, name=name or f.history.name or "", days=len(f.dates))
    return Chart("forecast", title, [p], height=360)
