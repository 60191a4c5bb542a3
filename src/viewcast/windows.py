"""Lag windows, chronological splits, and scaling fitted on training rows only. Pure functions.

>>> w = make_windows(np.array([1., 2., 3., 4., 5.]), k=2, start=pd.Timestamp("2021-01-01"))
>>> w.X.tolist(), w.y.tolist()
([[1.0, 2.0], [2.0, 3.0], [3.0, 4.0]], [3.0, 4.0, 5.0])
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .errors import DataError
from .series import DailySeries

BOOK_TRAIN = (pd.Timestamp("2017-01-01"), pd.Timestamp("2020-12-31"))
BOOK_TEST = (pd.Timestamp("2021-01-01"), pd.Timestamp("2021-02-14"))
DEFAULT_TEST_FRACTION = 0.1  # used when the series does not cover the book's dates


@dataclass(frozen=True)
class Windows:
    """x = the k days before, y = that day. Row i's target falls on dates[i]."""

    X: np.ndarray  # (n, k) oldest day first
    y: np.ndarray  # (n,)
    dates: pd.DatetimeIndex  # (n,) date of each target

    def __len__(self) -> int:
        return len(self.y)

    def take(self, idx: np.ndarray) -> "Windows":
        return Windows(self.X[idx], self.y[idx], self.dates[idx])


def make_windows(values: np.ndarray, k: int, start: pd.Timestamp) -> Windows:
    """All windows of a series whose day 0 is `start`: X[i] = values[i:i+k], y[i] = values[i+k]."""
    if k < 1:
        raise DataError(f"window length {k}: must be at least 1 day")
    if len(values) <= k:
        return Windows(np.empty((0, k)), np.empty(0), pd.DatetimeIndex([]))
    X = np.lib.stride_tricks.sliding_window_view(values[:-1], k)  # (n-k, k), a view
    y = values[k:]
    dates = pd.date_range(start + pd.Timedelta(days=k), periods=len(y), freq="D")
    return Windows(np.ascontiguousarray(X), y.copy(), dates)


@dataclass(frozen=True)
class Split:
    """Target days of the training and test periods (inclusive)."""

    train_start: pd.Timestamp
    train_end: pd.Timestamp
    test_start: pd.Timestamp
    test_end: pd.Timestamp

    def describe(self) -> str:
        return (f"train {self.train_start:%Y-%m-%d}…{self.train_end:%Y-%m-%d}, "
                f"test {self.test_start:%Y-%m-%d}…{self.test_end:%Y-%m-%d}")


def _ts(x: str | pd.Timestamp | None, what: str) -> pd.Timestamp | None:
    if x is None or isinstance(x, pd.Timestamp):
        return x
    try:
        return pd.Timestamp(x)
    except (ValueError, TypeError):
        raise DataError(f"--{what} {x!r}: not a date; use YYYY-MM-DD") from None


def choose_split(series: DailySeries, train_start=None, train_end=None, test_start=None, test_end=None) -> Split:
    """The book's dates when the series covers them, else the last 10% of days for testing.
    Any date given overrides its default; the others follow from it."""
    ts, te, ss, se = (_ts(train_start, "train-start"), _ts(train_end, "train-end"),
                      _ts(test_start, "test-start"), _ts(test_end, "test-end"))
    day = pd.Timedelta(days=1)
    covers_book = series.start <= BOOK_TRAIN[0] and series.end >= BOOK_TEST[1]
    if covers_book:
        d_ts, d_te, d_ss, d_se = BOOK_TRAIN[0], BOOK_TRAIN[1], BOOK_TEST[0], BOOK_TEST[1]
    else:
        n_test = max(1, int(round(len(series) * DEFAULT_TEST_FRACTION)))
        d_ss = series.end - (n_test - 1) * day
        d_ts, d_te, d_se = series.start, d_ss - day, series.end
    if te is not None and ss is None:
        d_ss = te + day
    if ss is not None and te is None:
        d_te = ss - day
    if se is None and (ss or d_ss) > d_se:  # a test start past the book's test end: test to the series' end
        d_se = series.end
    split = Split(ts or d_ts, te or d_te, ss or d_ss, se or d_se)
    if split.test_start <= split.train_start:
        raise DataError(f"the test period ({split.test_start:%Y-%m-%d}) must start after the training period "
                        f"({split.train_start:%Y-%m-%d}…); set --train-start/--train-end before --test-start")
    if split.train_end < split.train_start:
        raise DataError(f"training period {split.train_start:%Y-%m-%d}…{split.train_end:%Y-%m-%d} ends before it starts")
    if split.test_end < split.test_start:
        raise DataError(f"test period {split.test_start:%Y-%m-%d}…{split.test_end:%Y-%m-%d} ends before it starts")
    if split.test_start <= split.train_end:
        raise DataError(f"the test period ({split.test_start:%Y-%m-%d}) must start after the training period ends ({split.train_end:%Y-%m-%d}); set --test-start later or --train-end earlier")
    if split.test_start > series.end:
        raise DataError(f"{series.name}: the test period starts {split.test_start:%Y-%m-%d}, after the series ends ({series.end:%Y-%m-%d}); set --test-start/--test-end within the data")
    return split


@dataclass(frozen=True)
class Scaler:
    """views → standard units: (g(v) − mean) / std with g = identity, or log(1 + v) on a log scale;
    one pair for inputs and target alike, so a linear model in scaled units is exactly a linear model
    in views (or in log views)."""

    mean: float
    std: float
    log: bool = False  # views are multiplicative: model log(1 + v) instead of v

    @classmethod
    def fit(cls, y_train: np.ndarray, log: bool = False) -> "Scaler":
        g = np.log1p(y_train) if log else y_train
        std = float(np.std(g))
        return cls(float(np.mean(g)), std if std > 0 else 1.0, log)

    @classmethod
    def identity(cls) -> "Scaler":
        return cls(0.0, 1.0)

    def transform(self, v: np.ndarray) -> np.ndarray:
        return ((np.log1p(v) if self.log else v) - self.mean) / self.std

    def inverse(self, v: np.ndarray) -> np.ndarray:
        g = v * self.std + self.mean
        return np.expm1(g) if self.log else g

    def times(self, z, f):
        """Standard units of (views × f), for torch tensors z and f (data augmentation)."""
        import torch

        g = z * self.std + self.mean
        g = torch.log1p(torch.expm1(g) * f) if self.log else g * f
        return (g - self.mean) / self.std


@dataclass(frozen=True)
class Features:
    """Domain knowledge offered to the model (chapter 1: "use domain knowledge to change the model")."""

    log: bool = False  # views on a log scale: a popular week is popular every day
    weekday: bool = False  # the predicted day's weekday, one-hot, as 7 more inputs (Fri/Sat lows)

    @property
    def extra_inputs(self) -> int:
        return 7 if self.weekday else 0

    def __str__(self) -> str:
        return "".join([" +log" if self.log else "", " +weekday" if self.weekday else ""]) or ""


def encode(X: np.ndarray, dates: pd.DatetimeIndex, scaler: Scaler, weekday: bool) -> np.ndarray:
    """Model inputs: the k scaled days, then (optionally) the one-hot weekday of each target date.
    X: (n, k) views → (n, k [+ 7])."""
    Z = scaler.transform(X)
    if not weekday:
        return Z
    onehot = np.eye(7)[np.asarray(pd.DatetimeIndex(dates).day_of_week)]  # (n, 7), Monday first
    return np.hstack([Z, onehot])


@dataclass(frozen=True)
class Prepared:
    """Training and test windows for one window length, in views, plus the training scaler."""

    k: int
    train: Windows
    test: Windows
    scaler: Scaler
    split: Split
    features: Features = Features()


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
    if len(train) < 2 * k + 2 or len(train) < 10:
        have = (split.train_end - max(split.train_start, part.start)).days + 1
        raise DataError(
            f"{series.name}: {len(train)} training windows for a {k}-day window ({have} training days); "
            f"need at least {max(2 * k + 2, 10) + history} training days: use a shorter window or an earlier --train-start")
    if len(test) == 0:
        raise DataError(f"{series.name}: no test days in {split.test_start:%Y-%m-%d}…{split.test_end:%Y-%m-%d} with {history} days of history before them")
    if features.log and not normalize:
        raise DataError("--log needs normalized inputs; drop --no-normalize")
    scaler = Scaler.fit(train.y, log=features.log) if normalize else Scaler.identity()
    return Prepared(k, train, test, scaler, split, features)
