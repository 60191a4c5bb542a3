"""The days after a series ends from trained models: each feeds its own predictions back (`paths.py`);
a blend is their weighted mean; intervals from a calibration; views never below 0."""
from __future__ import annotations

import numpy as np

from ..data.series import DailySeries
from ..checks import check
from ..errors import ViewcastError
from ..train import predict
from .conformal import Calibration
from .paths import paths


def predict_days(model, scaler, k: int, weekday: bool, series: DailySeries, days: int,
                 calibration: Calibration | None) -> tuple[np.ndarray, dict, dict, list[str]]:
    """The `days` days after the series ends from a trained model: forecasts and (when calibrated)
    intervals, clipped at 0 for a series of views (never negative); notes say what was clipped."""
    return blend_days([(model, scaler, k, weekday)], series, days, calibration)


def blend_days(fitted: list[tuple], series: DailySeries, days: int, calibration: Calibration | None,
               weights: list[float] | None = None) -> tuple[np.ndarray, dict, dict, list[str]]:
    """`predict_days` for the (weighted; by default equal) mean of several trained models, each (model,
    scaler, k, weekday) feeding back its own predictions (as in their backtest); one model is the plain
    forecast."""
    if days < 1:
        check(days=days)
    k = max(f[2] for f in fitted)
    tail = series.values[-k:]
    if len(tail) < k or np.isnan(tail).any():
        raise ViewcastError(f"{series.name}: the model needs the last {k} days complete; the series has {len(series)} days"
                            + (f" and {series.describe_gaps()}" if np.isnan(tail).any() else ""))
    views = np.nanmin(series.values) >= 0
    raised = np.zeros((1, days), dtype=bool)
    raw = np.zeros(days)
    weights = np.full(len(fitted), 1 / len(fitted)) if weights is None else np.asarray(weights, float) / np.sum(weights)
    for (model, scaler, km, weekday), wt in zip(fitted, weights):
        got = np.zeros((1, days), dtype=bool)
        raw += wt * paths(lambda X, d, m=model, s=scaler, w=weekday: predict(m, s, X, d, w), series.values,
                          np.array([len(series)]), km, days, series.start, 0.0 if views else None, got)[0]
        raised |= got
    lower, upper, notes = {}, {}, []
    if raised.any():
        who = "the model's forecast was" if len(fitted) == 1 else "a member's forecast was"
        notes.append(f"views are never negative: {who} below 0 on {int(raised.sum())} of the "
                     f"{days} days and was raised to 0")
    if calibration is not None:
        if len(calibration.q) < days:
            raise ViewcastError(f"the model's intervals were calibrated for {len(calibration.q)} days ahead",
                                param="days", value=days, hint=f"ask for at most {len(calibration.q)}")
        for lv in calibration.levels:
            lo, hi = calibration.interval(raw, lv)
            lower[int(round(100 * lv))], upper[int(round(100 * lv))] = lo, hi
    for lv in lower:  # too few residuals at a horizon for this level: no interval there, not a half-open one
        none = ~np.isfinite(lower[lv]) | ~np.isfinite(upper[lv])
        if none.any():
            lower[lv], upper[lv] = np.where(none, np.nan, lower[lv]), np.where(none, np.nan, upper[lv])
            first = int(np.flatnonzero(none)[0]) + 1
            notes.append(f"no {lv}% interval from day {first} ahead: the backtest has too few forecasts that far "
                         f"ahead for {lv}% coverage (a longer series gives more)")
    if views:
        low_bounds = [lv for lv, lo in lower.items() if (lo < 0).any()]
        for lv in lower:
            lower[lv], upper[lv] = _floor(lower[lv]), _floor(upper[lv])  # a missing bound stays missing
        if low_bounds:
            notes.append(f"views are never negative: the lower bound of the {' and '.join(f'{lv}%' for lv in low_bounds)} "
                         "interval was raised to 0 on some days")
    return raw, lower, upper, notes


def _floor(x: np.ndarray) -> np.ndarray:
    """x raised to 0, NaN kept (np.fmax would turn a missing bound into 0)."""
    return np.where(np.isnan(x), x, np.maximum(x, 0.0))
