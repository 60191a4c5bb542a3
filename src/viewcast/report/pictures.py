"""The report's figures: which pictures of `viewcast.figures` the collected results allow, in the page's
order, each drawn from those results (nothing is computed here but which rungs to show).
"""
from __future__ import annotations

import numpy as np

from ..book.report import ReportData
from ..figures.curves import LearningRun, learning_chart, losses_chart
from ..figures.forecast import forecast_chart
from ..figures.ladder import ladder_chart, predictions_chart
from ..figures.series import series_chart, weekday_chart
from ..figures.surface import surface_figure
from ..figures.worst import worst_chart


def figures(d: ReportData, lang: str | None) -> dict[str, object]:
    """key → picture (a Chart or the surface's figure), for every part the results have."""
    out: dict[str, object] = {"series": series_chart(d.series, d.split, lang),
                              "weekday": weekday_chart(d.weekday_means(), lang)}
    if d.ladder is not None:
        out["ladder"] = ladder_chart(d.ladder.rows, lang)
        shown = {s: (d.predictions[s], d.ladder.fits[s].test["mae"]) for s in d.prediction_specs()}
        if shown:
            out["predictions"] = predictions_chart(d.test_dates, d.test_actual, shown, lang)
    if d.surface is not None:
        out["surface"] = surface_figure(d.surface.surfaces, lang)
    if d.diagnosis is not None:
        by = {m.spec: m for m in d.diagnosis.models}
        runs = [LearningRun(s, np.asarray(by[s].fit.history.train, float), np.asarray(by[s].fit.history.val, float))
                for s in d.curve_specs()]
        out["learning"] = learning_chart(runs, lang)
        out["validation"] = losses_chart(d.diagnosis, lang)
        out["worst"] = worst_chart(d.diagnosis, lang, models=[d.diagnosis.overall["best_model"]])
    if d.forecast is not None:
        out["forecast"] = forecast_chart(d.forecast, lang, d.series.name)
    return out
