"""The forecast as a table (terminal), a CSV, and a chart — the last weeks of the series, the
forecast, its 80% and 95% intervals — as PNG and offline HTML in the same colours.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..evaluate.rules import WEIGHTS_SAID
from ..io import write_atomic
from .figures import COLORS, new_figure, rgba, save_html, save_png
from ..text.fmt import num
from .tables import scale_of, table

TAIL_DAYS = 56  # days of history drawn before the forecast


def text(f) -> list:
    """The dated forecasts with intervals, what was chosen and on which days it was trained."""
    sc = scale_of(list(f.forecast))
    levels = sorted(f.lower)
    rows = [[f"{d:%Y-%m-%d}", f"{d:%a}", num(v, sc)] + [f"{num(f.lower[lv][i], sc)} … {num(f.upper[lv][i], sc)}"
                                                        for lv in levels]
            for i, (d, v) in enumerate(zip(f.dates, f.forecast))]
    out = table(f"forecast for {f.source} (the series ends {f.trained_through:%Y-%m-%d} {f.trained_through:%a})",
                [("date", "left"), ("day", "left"), ("views", "right")] + [(f"{lv}% interval", "right") for lv in levels],
                rows, keys=(0, 1))
    c, r = f.chosen, f.refit
    spread = f" ± {num(c.val_std, sc)}" if np.isfinite(c.val_std) else ""
    if f.weighted:  # rules ratio, soft
        names = ", ".join(f"{k.label} ({w:.0%}; {num(k.val_gmean, sc)})" for k, w in zip(f.blend, f.blend_weights))
        out.append(f"Weighted by validation on the most recent days ({f.scheme}): each candidate weighs "
                   f"{WEIGHTS_SAID[f.rule]} "
                   f"(under 1% of the best's: left out); each with its weight and its validation MAE's geometric "
                   f"mean over the folds × seeds: {names}; "
                   f"the forecast is [bold]their weighted mean[/], each refit on every day "
                   f"{r.split.train_start:%Y-%m-%d}…{f.trained_through:%Y-%m-%d} ({r.train_days:,} training windows).")
    elif f.blend:  # rule tie
        names = ", ".join(f"{k.label} ({num(k.val_mean, sc)})" for k in f.blend)
        out.append(f"Validation on the most recent days ({f.scheme}) cannot tell these apart (within one paired "
                   f"standard error of the best): {names}; the forecast is [bold]their mean[/], each refit on every "
                   f"day {r.split.train_start:%Y-%m-%d}…{f.trained_through:%Y-%m-%d} ({r.train_days:,} training windows).")
    else:
        out.append(f"Chosen by validation on the most recent days ({f.scheme}): [bold]{c.label}[/] with validation MAE "
                   f"{num(c.val_mean, sc)}{spread}; refit on every day {r.split.train_start:%Y-%m-%d}…"
                   f"{f.trained_through:%Y-%m-%d} ({r.train_days:,} training windows, {r.updates:,} updates).")
    out.append(f"Intervals: split conformal, from {f.backtest.days} rolling-origin forecasts over the last "
               f"{f.backtest.days} days ({len(f.backtest.origins)} refits), on the "
               f"{'log' if f.calibration.log else 'views'} scale.")
    out += [f"note: {n}" for n in f.notes]
    return out


def write(f, folder: Path) -> list[Path]:
    """forecast.csv, forecast.png and forecast.html in `folder` (checked before any work)."""
    folder = Path(folder)
    df = f.to_frame()
    csv = folder / "forecast.csv"
    write_atomic(csv, df.to_csv(float_format="%.6g").encode())
    mean = "weighted mean" if f.weighted else "mean"
    more = f" and {len(f.blend) - 1} more (their {mean})" if f.blend else ""
    title = f"{f.source}: {len(f.dates)}-day forecast by {f.chosen.label}{more}, trained through {f.trained_through:%Y-%m-%d}"
    return [csv, save_png(figure_png(f, title), folder / "forecast.png"), save_html(figure_html(f, title), folder / "forecast.html")]


def _tail(f) -> pd.Series:
    return f.history.iloc[-TAIL_DAYS:]


def figure_png(f, title: str):
    tail = _tail(f)
    fig = new_figure((9, 4.5))
    ax = fig.add_subplot()
    ax.plot(tail.index, tail.values, color=COLORS["truth"], lw=1.5, label="views (history)")
    for lv, alpha in ((95, 0.15), (80, 0.30)):
        if lv in f.lower:
            ax.fill_between(f.dates, f.lower[lv], f.upper[lv], color=COLORS["prediction"], alpha=alpha, lw=0,
                            label=f"{lv}% interval")
    ax.plot(f.dates, f.forecast, color=COLORS["prediction"], marker="o", ms=3, lw=1.5, label="forecast")
    ax.axvline(f.trained_through, color="k", lw=0.8, ls=":")
    ax.set(title=title, ylabel="views per day")
    ax.set_ylim(bottom=0 if np.nanmin(tail.values) >= 0 else None)
    ax.legend(loc="upper left", fontsize=8)
    fig.autofmt_xdate()
    return fig


def figure_html(f, title: str):
    import plotly.graph_objects as go

    tail = _tail(f)
    g = go.Figure()
    g.add_trace(go.Scatter(x=tail.index, y=tail.values, name="views (history)", line=dict(color=COLORS["truth"])))
    for lv, alpha in ((95, 0.15), (80, 0.30)):
        if lv in f.lower:
            g.add_trace(go.Scatter(x=list(f.dates) + list(f.dates[::-1]),
                                   y=list(f.upper[lv]) + list(f.lower[lv][::-1]), fill="toself", name=f"{lv}% interval",
                                   fillcolor=rgba(COLORS["prediction"], alpha), line=dict(width=0), hoverinfo="skip"))
    g.add_trace(go.Scatter(x=f.dates, y=f.forecast, name="forecast", mode="lines+markers",
                           line=dict(color=COLORS["prediction"])))
    g.update_layout(title=title, yaxis_title="views per day", template="plotly_white", width=900, height=450)
    return g
