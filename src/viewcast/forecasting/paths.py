"""Forecast paths: from many start days at once, N days ahead by feeding each prediction back as
an input (the real days before the start, then the model's own days). Pure numpy around a predict.

>>> last = lambda X, dates: X[:, -1] + 1.0          # "tomorrow is yesterday plus one"
>>> paths(last, np.arange(10.0), np.array([5, 8]), k=2, days=3, start=pd.Timestamp("2021-01-01")).tolist()
[[5.0, 6.0, 7.0], [8.0, 9.0, 10.0]]
"""
from __future__ import annotations

from typing import Callable

import numpy as np
import pandas as pd


def paths(predict: Callable[[np.ndarray, pd.DatetimeIndex], np.ndarray], values: np.ndarray, starts: np.ndarray,
          k: int, days: int, start: pd.Timestamp, floor: float | None = None,
          raised: np.ndarray | None = None) -> np.ndarray:
    """Predictions (P, days) for days starts[p] … starts[p] + days − 1 (indices into `values`, whose
    day 0 is `start`), each from the k real days before starts[p] and the predictions after them.
    `predict(X (P, k) views, dates (P,) of the targets)` → (P,) views. `floor`: predictions below it
    are raised to it before being fed back (0 for views, which are never negative); `raised` (P, days),
    when given, is set True where that happened."""
    starts = np.asarray(starts, dtype=int)
    buf = np.empty((len(starts), k + days))
    buf[:, :k] = np.stack([values[t - k:t] for t in starts]) if len(starts) else np.empty((0, k))
    for h in range(days):
        dates = pd.DatetimeIndex(start + pd.to_timedelta(starts + h, unit="D"))
        y = np.asarray(predict(buf[:, h:h + k], dates), dtype=float)
        buf[:, k + h] = y if floor is None else np.maximum(y, floor)
        if raised is not None and floor is not None:
            raised[:, h] = y < floor
    return buf[:, k:]
