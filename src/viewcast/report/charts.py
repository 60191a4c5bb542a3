"""The report's figures as Charts (`report/chart.py`), one function per figure, from the collected
results (`report/collect.py`): the series, its mean by weekday, the ladder beside the book, the
predictions on the test days, the learning and validation curves, the worst days and the forecast.
Colours from `figures.COLORS`: the truth blue and predictions red (the book's), training blue,
validation orange, test green, the book's numbers grey. Words from the message catalogue.

>>> c = series_chart(collect.ReportData(s, choose_split(s), collect.ReportConfig()), "zh")
>>> c.key, [t.name for t in c.panels[0].traces][:1]
('series', ['观看次数'])
"""
from __future__ import annotations

import numpy as np

from .. import models
from ..features import choose_split  # noqa: F401  (the doctest)
from ..book import report as collect
from ..text import i18n
from .chart import Chart, Panel, Trace
from .figures import COLORS, CYCLE
from ..text.fmt import num

BOOK_L, BOOK_LP = "#7f7f7f", "#c7c7c7"  # the book's L and L′: greys, beside our blue and green
TAIL_DAYS = 56  # days of history drawn before the forecast


def t(key: str, lang: str | None, **kw) -> str:
    return i18n.t(f"report.{key}", lang, **kw)


def weekdays(lang: str | None) -> list[str]:
    return t("weekdays", lang).split(",")


def _dates(index) -> np.ndarray:
    return np.asarray(index, dtype="datetime64[D]")


def series_chart(d: collect.ReportData, lang: str | None) -> Chart:
    s, sp = d.series, d.split
    views = i18n.t("term.views", lang)
    p = Panel(t("fig.series", lang, name=s.name), ylabel=t("axis.views_per_day", lang), ymin=0,
              traces=[Trace("line", _dates(s.dates), s.values, views, COLORS["truth"], width=0.8)])
    for day, key in ((sp.train_start, "fig.train_start"), (sp.test_start, "fig.test_start")):
        p.traces.append(Trace("vline", [], [np.datetime64(day.date(), "D")], t(key, lang), COLORS["reference"], "dash", 1))
    return Chart("series", t("fig.series_title", lang), [p], height=340)


def weekday_means(d: collect.ReportData) -> np.ndarray:
    """(7,) the training days' mean views Monday … Sunday."""
    ps = d.series.to_pandas()
    ps = ps[(ps.index >= d.split.train_start) & (ps.index <= d.split.train_end)]
    return ps.groupby(ps.index.day_of_week).mean().reindex(range(7)).to_numpy()


def weekday_chart(d: collect.ReportData, lang: str | None) -> Chart:
    p = Panel(t("fig.weekday", lang), ylabel=t("axis.views_per_day", lang), categories=False, ymin=0,
              traces=[Trace("bar", weekdays(lang), weekday_means(d), t("fig.mean_views", lang), COLORS["truth"])])
    return Chart("weekday", t("fig.weekday_title", lang), [p], height=300)


def ladder_chart(d: collect.ReportData, lang: str | None) -> Chart:
    """Tables A, B, C as grouped bars: our L and L′ beside the book's."""
    panels = []
    for table in ("A", "B", "C"):
        rows = [r for r in d.ladder.rows if r.table == table]
        if not rows:
            continue
        names = [r.model for r in rows]
        nan = lambda v: np.nan if v is None else v  # noqa: E731  (the book has no number: no bar)
        panels.append(Panel(t(f"table.{table}", lang), ylabel=t("axis.mae", lang), categories=True, traces=[
            Trace("bar", names, [r.train_mae for r in rows], "L", COLORS["train"]),
            Trace("bar", names, [r.test_mae for r in rows], "L′", COLORS["test"]),
            Trace("bar", names, [nan(r.book_train_mae) for r in rows], t("fig.book_L", lang), BOOK_L),
            Trace("bar", names, [nan(r.book_test_mae) for r in rows], t("fig.book_Lp", lang), BOOK_LP)]))
    return Chart("ladder", t("fig.ladder_title", lang), panels, cols=min(3, len(panels)), height=360)


def prediction_specs(d: collect.ReportData) -> list[str]:
    """linear:1 (the lag), the longest linear model and the network validation prefers — those trained."""
    want = ["linear:1", d.longest_linear, d.best_network]
    return [s for s in dict.fromkeys(want) if s is not None and s in d.predictions]


def predictions_chart(d: collect.ReportData, lang: str | None) -> Chart:
    x = _dates(d.test_dates)
    panels = []
    for spec in prediction_specs(d):
        f = d.ladder.fits[spec]
        title = t("fig.pred_panel", lang, model=spec, Lp=num(f.test["mae"]))
        panels.append(Panel(title, ylabel=t("axis.views_per_day", lang), traces=[
            Trace("lines+markers", x, d.test_actual, t("fig.truth", lang), COLORS["truth"], size=4),
            Trace("lines+markers", x, d.predictions[spec], t("fig.prediction", lang), COLORS["prediction"], size=4)]))
    return Chart("predictions", t("fig.pred_title", lang), panels, height=300)


def curve_specs(d: collect.ReportData) -> list[str]:
    """The longest linear model, the network validation prefers and the most flexible network."""
    ms = d.diagnosis.models
    nets = [m for m in ms if models.parse(m.spec).kind != "linear"]
    big = max(nets, key=lambda m: (models.parse(m.spec).layers, m.params)).spec if nets else None
    lin = [m.spec for m in ms if m.spec.startswith("linear:")]
    want = [lin[-1] if lin else None, d.best_network, big]
    return [s for s in dict.fromkeys(want) if s is not None]


def learning_chart(d: collect.ReportData, lang: str | None) -> Chart:
    """Training and validation loss per update (the diagnosis' runs: they have a validation part)."""
    by = {m.spec: m for m in d.diagnosis.models}
    panels = []
    for spec in curve_specs(d):
        h = by[spec].fit.history
        u = np.arange(1, len(h.train) + 1)
        panels.append(Panel(spec, t("axis.update", lang), t("axis.mae", lang), ylog=True, traces=[
            Trace("line", u, h.train, i18n.t("term.train_loss", lang), COLORS["train"]),
            Trace("line", u, h.val, i18n.t("term.val_loss", lang), COLORS["val"])]))
    return Chart("learning", t("fig.learning_title", lang), panels, cols=len(panels), height=320)


def validation_chart(d: collect.ReportData, lang: str | None) -> Chart:
    """Training, validation and test loss across the ladder: the gap that grows is overfitting."""
    dg = d.diagnosis
    L = dg.config.loss
    names = [m.spec for m in dg.models]
    p = Panel(t("fig.validation", lang), ylabel=t("axis.mae", lang), categories=True, traces=[
        Trace("lines+markers", names, [m.fit.train[L] for m in dg.models], i18n.t("term.train_loss", lang), COLORS["train"]),
        Trace("lines+markers", names, [m.val[L] for m in dg.models], i18n.t("term.val_loss", lang), COLORS["val"]),
        Trace("lines+markers", names, [m.fit.test[L] for m in dg.models], i18n.t("term.test_loss", lang), COLORS["test"])])
    return Chart("validation", t("fig.validation_title", lang), [p], height=380)


def worst_chart(d: collect.ReportData, lang: str | None) -> Chart:
    """The test period, the model validation would choose, and the days every model missed."""
    dg = d.diagnosis
    best = dg.overall["best_model"]
    m = next(x for x in dg.models if x.spec == best)
    x = _dates(dg.test_dates)
    traces = [Trace("lines+markers", x, dg.test_actual, t("fig.truth", lang), COLORS["truth"], size=4),
              Trace("lines+markers", x, m.pred_test, t("fig.prediction_of", lang, model=best), COLORS["prediction"], size=4)]
    if dg.worst_days:
        traces.append(Trace("markers", np.array([w["date"] for w in dg.worst_days], dtype="datetime64[D]"),
                            [w["actual"] for w in dg.worst_days], t("fig.worst", lang), CYCLE[4], symbol="ring", size=14))
    return Chart("worst", t("fig.worst_title" if dg.worst_days else "fig.chosen_title", lang),
                 [Panel(t("fig.worst_panel", lang), ylabel=t("axis.views_per_day", lang), traces=traces)], height=340)


def forecast_chart(d: collect.ReportData, lang: str | None) -> Chart:
    f = d.forecast
    tail = f.history.iloc[-TAIL_DAYS:]
    x = _dates(f.dates)
    traces = [Trace("line", _dates(tail.index), tail.to_numpy(), t("fig.history", lang), COLORS["truth"])]
    for lv, alpha in ((95, 0.15), (80, 0.30)):
        if lv in f.lower:
            traces.append(Trace("band", x, f.lower[lv], t("fig.interval", lang, level=lv), COLORS["prediction"],
                                upper=f.upper[lv], alpha=alpha))
    traces.append(Trace("lines+markers", x, f.forecast, t("fig.forecast", lang), COLORS["prediction"], size=4))
    p = Panel(t("fig.forecast_panel", lang, model=f.label, end=f"{f.trained_through:%Y-%m-%d}"),
              ylabel=t("axis.views_per_day", lang), ymin=0, traces=traces)
    return Chart("forecast", t("fig.forecast_title", lang), [p], height=360)
