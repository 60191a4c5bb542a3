"""The one place a series becomes training and test windows: windows of length k whose targets
fall in the split's periods, with the scaler fitted on the training rows.

>>> from viewcast.data.series import DailySeries
>>> s = DailySeries("x", np.arange(100.0), pd.Timestamp("2021-01-01"))
>>> p = prepare(s, 7, choose_split(s))
>>> len(p.train), len(p.test), p.train.X.shape
(83, 10, (83, 7))
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..data.series import DailySeries
from ..errors import DataError
from .scaling import Features, Scaler
from .split import Split, choose_split  # noqa: F401  (choose_split: doctest)
from .windows import Windows, make_windows


@dataclass(frozen=True)
class Prepared:
    """Training and test windows for one window length, in views, plus the training scaler."""

    k: int
    train: Windows
    test: Windows
    scaler: Scaler
    split: Split
    features: Features = Features()
    source: str = ""  # the series' name
    columns: object = None  # a table's rows: the features read (`table.Columns`); None for a series' windows

    def scaler_of(self, rows: Windows, normalize: bool = True):
        """The scaler of a model trained on `rows` (one fold's, say): fitted on them alone."""
        if self.columns is not None:
            from .table import TableScaler

            return TableScaler.fit(rows.X, rows.y, normalize)
        return self.features.scaler(rows.y, normalize)


def min_training_days(k: int) -> int:
    """Training windows a k-day model needs: enough rows to fit its k + 1 weights twice over."""
    return max(2 * k + 2, 10)


def prepare(series: DailySeries, k: int, split: Split, history: int | None = None,
            normalize: bool = True, features: Features = Features()) -> Prepared:
    """Windows of length k whose targets fall in the split's periods.

    `history` (≥ k) skips the first `history` days of the series as targets, so that models with
    different k are trained and scored on exactly the same days (the ladder uses the largest k).
    """
    history = k if history is None else max(history, k)
    part = series.between(None, split.test_end)
    part.require_complete()
    w = make_windows(part.values, k, part.start)
    first_ok = part.start + pd.Timedelta(days=history)
    tr = (w.dates >= max(split.train_start, first_ok)) & (w.dates <= split.train_end)
    te = (w.dates >= max(split.test_start, first_ok)) & (w.dates <= split.test_end)
    train, test = w.take(np.flatnonzero(tr)), w.take(np.flatnonzero(te))
    need = min_training_days(k)
    if len(train) < need:
        have = (split.train_end - max(split.train_start, part.start)).days + 1
        raise DataError(too_short(series.name, k, have, history, need))
    if len(test) == 0:
        raise DataError(f"{series.name}: no test days in {split.test_start:%Y-%m-%d}…{split.test_end:%Y-%m-%d} "
                        f"with {history} days of history before them")
    if features.log and not normalize:
        raise DataError("a log scale needs normalized inputs", param="normalize", value=False)
    if features.log and (part.values < 0).any():  # any day the windows read, training or test
        raise DataError(f"{series.name}: has negative values, which have no logarithm; drop the log scale",
                        param="log", value=True)
    scaler = features.scaler(train.y, normalize)
    return Prepared(k, train, test, scaler, split, features, series.name)


def too_short(name: str, k: int, have: int, history: int, need: int) -> str:
    """Why a series is too short for a k-day model, and what still fits: the longest window that fits
    alone — when several models share the first `history` days (ladder, cv, diagnose), that is why
    even a short window needs more days here.

    >>> too_short("x", 56, 90, 56, 114)
    'x: 90 training days, but a 56-day model needs at least 170 (114 training windows after the first 56 days); a 28-day model fits (e.g. `viewcast fit --model linear:28`)'
    >>> too_short("x", 1, 18, 56, 10)
    'x: 18 training days, but a 1-day model needs at least 66 (10 training windows after the first 56 days: the longest window here, so that every model is scored on the same days); alone, a 1-day model fits (e.g. `viewcast fit --model linear:1`)'
    >>> too_short("x", 1, 5, 1, 10)
    'x: 5 training days, but a 1-day model needs at least 11 (10 training windows after the first 1 day); give more training days: an earlier training start or a later training end'
    """
    alone = next((j for j in (56, 28, 14, 7, 1) if have - j >= min_training_days(j)), None)
    shared = history > k
    why = (f"{need} training windows after the first {history} day{'s' * (history != 1)}"
           + (": the longest window here, so that every model is scored on the same days" if shared else ""))
    if alone is not None and (alone < k or shared):
        advice = f"{'alone, ' if shared else ''}a {alone}-day model fits (e.g. `viewcast fit --model linear:{alone}`)"
    else:
        advice = "give more training days: an earlier training start or a later training end"
    return (f"{name}: {have} training day{'s' * (have != 1)}, but a {k}-day model needs at least {need + history} "
            f"({why}); {advice}")


def prepare_all(series: DailySeries, ks, split: Split, normalize: bool = True,
                features: Features = Features()) -> dict[int, Prepared]:
    """Windows of every k once, on the same target days (history = the largest k)."""
    ks = sorted(set(ks))
    return {k: prepare(series, k, split, history=ks[-1], normalize=normalize, features=features) for k in ks}


def through_end(series: DailySeries, k: int, history: int | None = None, normalize: bool = True,
                features: Features = Features()) -> Prepared:
    """Every window up to the series' last day as training rows and no test period: what a forecast
    is refit on. `history` as in `prepare` (the same target days for every k)."""
    history = k if history is None else max(history, k)
    series.require_complete()
    w = make_windows(series.values, k, series.start)
    train = w.take(np.flatnonzero(w.dates >= series.start + pd.Timedelta(days=history)))
    need = min_training_days(k)
    if len(train) < need:
        raise DataError(too_short(series.name, k, len(series), history, need))
    if features.log and (series.values < 0).any():
        raise DataError(f"{series.name}: has negative values, which have no logarithm; drop the log scale",
                        param="log", value=True)
    day = pd.Timedelta(days=1)
    split = Split(series.start, series.end, series.end + day, series.end + day)  # an empty test period
    empty = Windows(np.empty((0, k)), np.empty(0), pd.DatetimeIndex([]))
    scaler = features.scaler(train.y, normalize)
    return Prepared(k, train, empty, scaler, split, features, series.name)
