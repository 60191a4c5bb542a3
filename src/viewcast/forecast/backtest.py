"""Rolling-origin backtests: how a model forecasts days it has not seen. The model is refit every
`every` days over the most recent `days` of the series — each refit is one member of one engine run —
and each refit forecasts 1 … H days ahead from every start day of its block, feeding its own
predictions back, exactly as the final forecast will. Its residuals calibrate the intervals.

>>> b = backtest(s, "linear:7", Features(), TrainConfig(epochs=200), horizon=3, days=84, every=28)
>>> b.pred.shape, len(b.origins), int(np.isnan(b.actual[-1]).sum())
((84, 3), 3, 2)
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd

from .. import models
from ..data.series import DailySeries
from ..errors import DataError
from ..features import Features, Scaler, make_windows
from ..features.prepare import min_training_days
from ..train import TrainConfig, predict, seed_stream
from ..train.chunks import train_members
from ..train.members import Member
from .paths import paths

CALIBRATION_DAYS = 364  # the most recent year of start days (52 weeks: every weekday equally)
REFIT_EVERY = 28  # days between refits in the backtest (4 weeks)


@dataclass
class Backtest:
    origins: list[pd.Timestamp]  # first start day of each block (each refit saw only the days before it)
    starts: pd.DatetimeIndex  # (P,) start days
    pred: np.ndarray  # (P, H) forecasts in views
    actual: np.ndarray  # (P, H) what happened (NaN past the series' end)

    @property
    def days(self) -> int:
        return len(self.starts)


def backtest(series: DailySeries, spec: str | models.Spec, features: Features, config: TrainConfig, horizon: int,
             stop_after: int | None = None, ensemble: int = 1, days: int = CALIBRATION_DAYS,
             every: int = REFIT_EVERY, history: int | None = None, progress: Callable | None = None) -> Backtest:
    """Forecasts 1 … `horizon` days ahead from each of the last `days` start days of the series."""
    return backtest_many([series], spec, features, config, horizon, [stop_after], ensemble, days, every, history,
                         progress=progress)[0]


def backtest_many(series: list[DailySeries], spec: str | models.Spec, features: Features, config: TrainConfig,
                  horizon: int, stop_after: list[int | None], ensemble: int = 1, days: int = CALIBRATION_DAYS,
                  every: int = REFIT_EVERY, history: int | None = None, chunk: int | None = None,
                  progress: Callable | None = None) -> list[Backtest]:
    """`backtest` for many series: every series × refit × seed is a member of one engine run."""
    s = models.parse(spec) if isinstance(spec, str) else spec
    history = max(history or s.k, s.k)
    members, plans, limits = [], [], []
    for ser, stop in zip(series, stop_after):
        ser.require_complete()
        n = len(ser)
        d = min(days, n - history - min_training_days(s.k))
        if d < 1:
            raise DataError(f"{ser.name}: {n} days leave no room to backtest a {s.k}-day model; "
                            "the intervals need at least a few weeks of days after the first training windows")
        first = n - d  # index of the first start day
        origins = list(range(first, n, every))
        w = make_windows(ser.values, s.k, ser.start)  # row i's target is day i + k
        target = np.arange(len(w)) + s.k
        plans.append((ser, first, origins, len(members)))
        for o in origins:
            rows = np.flatnonzero((target >= history) & (target < o))
            sc = Scaler.fit(w.y[rows], log=features.log) if config.normalize else Scaler.identity()
            members += [Member(w, rows, np.arange(0), sc, j, features.weekday, tag=o)
                        for j in seed_stream(config.seed, ensemble)]
            limits += [stop or 0] * ensemble
    res = train_members(s, members, config.but(early_stop=None), chunk, progress, np.array(limits))
    out = []
    for ser, first, origins, base in plans:
        n = len(ser)
        floor = 0.0 if np.nanmin(ser.values) >= 0 else None
        preds = []
        for r, o in enumerate(origins):
            at = base + r * ensemble
            nets = [res.net.module(at + j) for j in range(ensemble)]
            model = nets[0] if ensemble == 1 else models.Ensemble(nets).eval()
            sc = members[at].scaler
            starts = np.arange(o, min(o + every, n))
            preds.append(paths(lambda X, d, model=model, sc=sc: predict(model, sc, X, d, features.weekday), ser.values,
                               starts, s.k, horizon, ser.start, floor))
        starts = np.arange(first, n)
        idx = starts[:, None] + np.arange(horizon)[None, :]  # (P, H) day of each forecast
        actual = np.where(idx < n, ser.values[np.minimum(idx, n - 1)], np.nan)
        out.append(Backtest([ser.start + pd.Timedelta(days=int(o)) for o in origins],
                            pd.DatetimeIndex(ser.start + pd.to_timedelta(starts, unit="D")), np.vstack(preds), actual))
    return out
