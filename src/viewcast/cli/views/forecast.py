"""The forecast as a table (terminal), and its files: a CSV and the chart (`figures.forecast_chart`) as
PNG and offline HTML."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from ...evaluate.rules import WEIGHTS_SAID
from ...io import write_atomic
from ...figures.forecast import forecast_chart
from ...figures.write import write as write_picture
from ...text.fmt import num
from .tables import scale_of, table


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


def write(f, folder: Path, lang: str | None = None) -> list[Path]:
    """forecast.csv, forecast.png and forecast.html in `folder` (checked before any work)."""
    folder = Path(folder)
    csv = write_atomic(folder / "forecast.csv", f.to_frame().to_csv(float_format="%.6g").encode())
    return [csv, *write_picture(forecast_chart(f, lang, f.source), folder / "forecast")]
