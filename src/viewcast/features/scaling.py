"""Standard units and the domain knowledge offered to a model (a log scale, the weekday, changes
from the last day), fitted on training rows only.

>>> sc = Scaler.fit(np.array([1., 2., 3.]))
>>> sc.transform(np.array([2.])).tolist(), sc.inverse(sc.transform(np.array([3.]))).tolist()
([0.0], [3.0])
>>> d = Scaler.fit(np.array([3., 7.]), log=True, diff=True)      # log changes: no scale to fit
>>> X = np.array([[1., 3.]]); d.inputs(X).round(3).tolist(), d.target(np.array([7.]), X).round(3).tolist()
([[-0.693, 0.0]], [0.693])
>>> d.views(d.target(np.array([7.]), X), X).round(6).tolist()
[7.0]
>>> encode(np.zeros((1, 2)), pd.DatetimeIndex(["2021-02-26"]), Scaler.identity(), weekday=True).tolist()
[[0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0]]
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Scaler:
    """views → standard units: (g(v) − mean) / std with g = identity, or log(1 + v) on a log scale;
    one pair for inputs and target alike, so a linear model in scaled units is exactly a linear model
    in views (or in log views)."""

    mean: float
    std: float
    log: bool = False  # views are multiplicative: model log(1 + v) instead of v
    diff: bool = False  # inputs and target as changes from each window's last day (`inputs`, `target`, `views`)

    @classmethod
    def fit(cls, y_train: np.ndarray, log: bool = False, diff: bool = False) -> "Scaler":
        """Fitted on the training targets. With `diff`, a log scale needs no statistic at all (a change of
        log views is a ratio, the same on any series: 0.1 is 10.5% more), so a global model reads every
        series alike; on the raw scale the changes are divided by the targets' spread."""
        g = np.log1p(y_train) if log else y_train
        std = float(np.std(g))
        if diff:
            return cls(0.0, 1.0 if log or not std > 0 else std, log, True)
        return cls(float(np.mean(g)), std if std > 0 else 1.0, log)

    @classmethod
    def identity(cls) -> "Scaler":
        return cls(0.0, 1.0)

    def transform(self, v: np.ndarray) -> np.ndarray:
        return ((np.log1p(v) if self.log else v) - self.mean) / self.std

    def inverse(self, v: np.ndarray) -> np.ndarray:
        g = v * self.std + self.mean
        return np.expm1(g) if self.log else g

    def inputs(self, X: np.ndarray) -> np.ndarray:
        """Windows (n, k) in views → model inputs: each day scaled, or (diff) its change to the window's
        last day — the last input is then always 0, and the model learns what a week's shape says."""
        if not self.diff:
            return self.transform(X)
        g = np.log1p(X) if self.log else X
        return (g - g[:, -1:]) / self.std

    def target(self, y: np.ndarray, X: np.ndarray) -> np.ndarray:
        """Targets (n,) in views → what the model predicts: scaled, or (diff) the change from the last day."""
        if not self.diff:
            return self.transform(y)
        g = np.log1p(y) if self.log else y
        return (g - (np.log1p(X[:, -1]) if self.log else X[:, -1])) / self.std

    def views(self, z: np.ndarray, X: np.ndarray) -> np.ndarray:
        """Model outputs (n,) → views, for windows X (n, k) in views (diff: added to their last day)."""
        if not self.diff:
            return self.inverse(z)
        last = np.log1p(X[:, -1]) if self.log else X[:, -1]
        g = last + z * self.std
        return np.expm1(g) if self.log else g

    def as_dict(self) -> dict:
        return {"mean": self.mean, "std": self.std, "log": self.log, "diff": self.diff}


@dataclass(frozen=True)
class Features:
    """Domain knowledge offered to the model (chapter 1: "use domain knowledge to change the model")."""

    log: bool = False  # views on a log scale: a popular week is popular every day
    weekday: bool = False  # the predicted day's weekday, one-hot, as 7 more inputs (the weekend lows)
    diff: bool = False  # inputs and target as changes from the last day: a model of how views move, not of
    #                     their level, so one network serves series of any size (the forecast's global model)

    @property
    def extra_inputs(self) -> int:
        return 7 if self.weekday else 0

    def __str__(self) -> str:
        return "".join([" +log" if self.log else "", " +diff" if self.diff else "",
                        " +weekday" if self.weekday else ""]) or ""

    def scaler(self, y_train: np.ndarray, normalize: bool = True) -> "Scaler":
        """The scaler these features train with, fitted on the training targets."""
        if not normalize and not self.diff:
            return Scaler.identity()
        return Scaler.fit(y_train, log=self.log, diff=self.diff)


SEARCH = (Features(), Features(log=True), Features(weekday=True), Features(log=True, weekday=True))


def encode(X: np.ndarray, dates: pd.DatetimeIndex, scaler: Scaler, weekday: bool) -> np.ndarray:
    """Model inputs: the k scaled days, then (optionally) the one-hot weekday of each target date.
    X: (n, k) views → (n, k [+ 7])."""
    Z = scaler.inputs(X)
    if not weekday:
        return Z
    onehot = np.eye(7)[np.asarray(pd.DatetimeIndex(dates).day_of_week)]  # (n, 7), Monday first
    return np.hstack([Z, onehot])


def offered(features: tuple[Features, ...], values: np.ndarray) -> tuple[Features, ...]:
    """The candidates a search offers a series: no log scale when any day is negative. One feature set
    given on its own is kept as asked (a log of negatives is then refused with its reason)."""
    if len(features) > 1 and np.nanmin(values) < 0:
        return tuple(f for f in features if not f.log) or (Features(),)
    return tuple(features)


def same_offer(features: tuple[Features, ...], many: list) -> list[list[int]]:
    """Indices of the series (DailySeries) grouped by what a search offers each, in order: each group
    runs as one set of candidates, so a series' candidates never depend on the others in its chunk."""
    groups: dict[tuple, list[int]] = {}
    for i, s in enumerate(many):
        groups.setdefault(offered(features, s.values), []).append(i)
    return list(groups.values())
