"""Rolling-origin forecasts: how a forecaster did on days it had not seen, from each start day of the
validation blocks (`validate.py`), 1 … H days ahead. Their residuals calibrate the intervals."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass
class Backtest:
    origins: list[pd.Timestamp]  # first start day of each block (its models saw only the days before it)
    starts: pd.DatetimeIndex  # (P,) start days
    pred: np.ndarray  # (P, H) forecasts in views
    actual: np.ndarray  # (P, H) what happened (NaN past the series' end)

    @property
    def days(self) -> int:
        return len(self.starts)
