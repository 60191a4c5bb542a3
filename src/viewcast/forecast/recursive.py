"""Tomorrow's views, and N days on by feeding each prediction back as an input."""
from __future__ import annotations

import numpy as np
import pandas as pd
import torch

from ..data.series import DailySeries
from ..errors import ViewcastError
from ..features import Scaler
from ..train import predict


def recursive(model: torch.nn.Module, scaler: Scaler, k: int, series: DailySeries, days: int = 1,
             weekday: bool = False) -> pd.Series:
    """Predictions for the `days` days after the series ends (views, indexed by date).
    `weekday`: the model also takes the weekday of the predicted day."""
    if days < 1:
        raise ViewcastError("must be at least 1", param="days", value=days)
    hist = series.values[-k:]
    if len(hist) < k or np.isnan(hist).any():
        raise ViewcastError(f"{series.name}: the model needs the last {k} days complete; the series has {len(series)} days"
                            + (f" and {series.describe_gaps()}" if np.isnan(hist).any() else ""))
    window = list(hist)
    out = []
    dates = pd.date_range(series.end + pd.Timedelta(days=1), periods=days, freq="D")
    for day in dates:
        y = float(predict(model, scaler, np.asarray(window[-k:])[None, :], pd.DatetimeIndex([day]), weekday)[0])
        out.append(max(y, 0.0))  # views are never negative
        window.append(out[-1])
    return pd.Series(out, index=dates, name=series.name)
