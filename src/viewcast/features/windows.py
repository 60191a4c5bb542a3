"""Lag windows: x = the k days before, y = that day. Pure functions, arrays in and out. The same
rows hold a table's examples (x = a row's features, y = its target): a table has no dates, which
only the weekday inputs need.

>>> w = make_windows(np.array([1., 2., 3., 4., 5.]), k=2, start=pd.Timestamp("2021-01-01"))
>>> w.X.tolist(), w.y.tolist()
([[1.0, 2.0], [2.0, 3.0], [3.0, 4.0]], [3.0, 4.0, 5.0])
>>> rows = Windows(np.eye(3), np.arange(3.0))
>>> Windows.concat([rows.take(np.array([2])), rows.take(np.array([0]))]).y.tolist(), rows.dates
([2.0, 0.0], None)
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import DataError


@dataclass(frozen=True)
class Windows:
    """x = the k days before, y = that day. Row i's target falls on dates[i] (a table's rows: no dates)."""

    X: np.ndarray  # (n, k) oldest day first; a table's rows: (n, d) features
    y: np.ndarray  # (n,)
    dates: pd.DatetimeIndex | None = None  # (n,) date of each target; None for a table's rows

    def __len__(self) -> int:
        return len(self.y)

    def take(self, idx: np.ndarray) -> "Windows":
        return Windows(self.X[idx], self.y[idx], None if self.dates is None else self.dates[idx])

    @staticmethod
    def concat(parts: list["Windows"]) -> "Windows":
        """The rows of every part, in order."""
        dates = None if any(p.dates is None for p in parts) else \
            pd.DatetimeIndex(np.concatenate([p.dates.values for p in parts]))
        return Windows(np.concatenate([p.X for p in parts]), np.concatenate([p.y for p in parts]), dates)


def make_windows(values: np.ndarray, k: int, start: pd.Timestamp) -> Windows:
    """All windows of a series whose day 0 is `start`: X[i] = values[i:i+k], y[i] = values[i+k]."""
    if k < 1:
        raise DataError("must be at least 1 day", param="k", value=k)
    if len(values) <= k:
        return Windows(np.empty((0, k)), np.empty(0), pd.DatetimeIndex([]))
    X = np.lib.stride_tricks.sliding_window_view(values[:-1], k)  # (n-k, k), a view
    y = values[k:]
    dates = pd.date_range(start + pd.Timedelta(days=k), periods=len(y), freq="D")
    return Windows(np.ascontiguousarray(X), y.copy(), dates)
