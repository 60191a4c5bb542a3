"""Every picture of viewcast, each drawn by one function from one description, rendered by matplotlib
(PNG) and by plotly (HTML) alike; the CLI, the report page and the notebooks all call these:

    series_chart, weekday_chart       the series and its weekly cycle          (series.py)
    ladder_chart, predictions_chart   tables A/B/C as charts; test-day predictions (ladder.py)
    surface_figure                    the error surface and gradient descent   (surface.py)
    curve_figure, landscape_figure    1-D loss curves; a network's landscape   (landscape.py)
    learning_chart, losses_chart,     learning curves; the ladder's losses with its verdicts;
    validation_curve_chart            validation over one hyperparameter      (curves.py)
    worst_chart                       the test days every model missed         (worst.py)
    forecast_chart                    the forecast and its intervals           (forecast.py)
    leaderboard_chart                 public against private scores (a table)  (leaderboard.py)

A description (`chart.Chart`, or the surface's own) has `.matplotlib()` and `.plotly()`; `write(picture,
stem)` writes stem.png and stem.html (`write.py`). Colours, line styles and ticks: `style.py`. In a
notebook: `from viewcast import figures`, then `figures.forecast_chart(f).plotly().show()`.

Loaded on first use: importing viewcast does not load matplotlib or plotly.
"""
from importlib import import_module

_WHERE = {"series_chart": "series", "weekday_chart": "series", "ladder_chart": "ladder",
          "predictions_chart": "ladder", "surface_figure": "surface", "curve_figure": "landscape",
          "landscape_figure": "landscape", "learning_chart": "curves", "LearningRun": "curves",
          "losses_chart": "curves", "validation_curve_chart": "curves", "worst_chart": "worst",
          "forecast_chart": "forecast", "leaderboard_chart": "leaderboard", "write": "write", "write_file": "write", "COLORS": "style"}

__all__ = list(_WHERE)


def __getattr__(name: str):
    if name in _WHERE:
        return getattr(import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
