"""A table's rows as training and test rows (`Windows` without dates): a random held-out test part,
the K best features chosen on the training rows only, and each feature scaled by its own mean and
standard deviation on the training rows only. The statistics travel with the model (`TableScaler` in
the model file), so a test file is scaled by the training rows' numbers whatever rows it holds: the
course's per-split normalization cannot happen.

>>> X = np.c_[np.arange(10.0), 100 + 10 * np.arange(10.0)]; y = 2 * X[:, 0] + 1
>>> sc = TableScaler.fit(X[:6], y[:6])
>>> sc.inputs(X[:2]).round(3).tolist(), sc.views(sc.target(y[:2], X[:2]), X[:2]).tolist()
([[-1.464, -1.464], [-0.878, -0.878]], [1.0, 3.0])
>>> noise = np.random.default_rng(0).normal(size=10)
>>> best_features(np.c_[noise, X[:, 0]], y, 1)[0].tolist()  # y follows column 1, not the noise
[1]
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass, field, replace
from functools import cached_property, partial

import numpy as np

from ..data.table import Table
from ..checks import check
from ..errors import ViewcastError
from .prepare import Prepared
from .scaling import Features
from .windows import Windows

SELECT_BY = ("f_regression", "mutual_info")  # scikit-learn's univariate scores for a regression target
TEST_FRACTION = 0.2  # the rows held out as the test part when none is given


@dataclass(frozen=True)
class TableScaler:
    """A table's rows → standard units: every feature by its own mean and std, the target by its own,
    all fitted on training rows only. The interface of `Scaler` (the engine reads either)."""

    mean: float  # the target's mean and std
    std: float
    x_mean: tuple[float, ...]  # each feature's
    x_std: tuple[float, ...]
    log: bool = False  # (a table's target is never on a log scale, nor in changes)
    diff: bool = False

    @classmethod
    def fit(cls, X: np.ndarray, y: np.ndarray, normalize: bool = True) -> "TableScaler":
        """Fitted on training rows X (n, d), y (n,); `normalize=False`: the identity (raw units)."""
        if not normalize:
            return cls(0.0, 1.0, (0.0,) * X.shape[1], (1.0,) * X.shape[1])
        sd = np.std(X, axis=0)
        sy = float(np.std(y))
        return cls(float(np.mean(y)), sy if sy > 0 else 1.0, tuple(np.mean(X, axis=0).tolist()),
                   tuple(np.where(sd > 0, sd, 1.0).tolist()))

    @cached_property
    def _x(self) -> tuple[np.ndarray, np.ndarray]:
        return np.asarray(self.x_mean), np.asarray(self.x_std)

    def transform(self, v: np.ndarray) -> np.ndarray:
        return (v - self.mean) / self.std

    def inverse(self, v: np.ndarray) -> np.ndarray:
        return v * self.std + self.mean

    def inputs(self, X: np.ndarray) -> np.ndarray:
        """Rows (n, d) → model inputs: each feature in its own standard units."""
        m, s = self._x
        return (X - m) / s

    def target(self, y: np.ndarray, X: np.ndarray) -> np.ndarray:
        return self.transform(y)

    def views(self, z: np.ndarray, X: np.ndarray) -> np.ndarray:
        """Model outputs (n,) → the target's units."""
        return self.inverse(z)

    def as_dict(self) -> dict:
        return {"mean": self.mean, "std": self.std, "log": False, "diff": False, "x_mean": list(self.x_mean),
                "x_std": list(self.x_std)}


@dataclass(frozen=True)
class Columns:
    """Which features a table's model reads, and how they were chosen (on training rows only)."""

    names: tuple[str, ...]  # the features it reads, in the file's order
    offered: tuple[str, ...]  # the features the selection chose from
    scores: tuple[float, ...] = ()  # each offered feature's univariate score (empty: no selection)
    by: str | None = None  # f_regression | mutual_info | None (every offered feature)
    target: str = ""  # the target column
    id_column: str | None = None  # the rows' identifier (a submission's first column)
    file_columns: tuple[str, ...] = ()  # every column of the training file but the target
    target_column: str = ""  # the target's column as read (the last of several so named)

    def as_dict(self) -> dict:
        return {"target": self.target, "id_column": self.id_column, "features": list(self.names),
                "select_by": self.by, "offered": len(self.offered),
                "scores": {n: s for n, s, _ in self.ranked()} if self.scores else None}

    def ranked(self) -> list[tuple[str, float, bool]]:
        """(feature, score, chosen) of every offered feature, the best first."""
        if not self.scores:
            return [(c, float("nan"), True) for c in self.offered]
        chosen = set(self.names)
        order = sorted(range(len(self.offered)), key=lambda i: -np.nan_to_num(self.scores[i], nan=-np.inf))
        return [(self.offered[i], self.scores[i], self.offered[i] in chosen) for i in order]


@dataclass(frozen=True)
class RowSplit:
    """Training and test rows of a table (row numbers): a random part held out, or given ones."""

    train: np.ndarray = field(repr=False)  # (n_train,) row numbers, ascending
    test: np.ndarray = field(repr=False)  # (n_test,)
    fraction: float | None = TEST_FRACTION  # the share held out (None: the rows were given)
    seed: int = 0
    last: bool = False  # the last rows of the file held out, not random ones

    @classmethod
    def of(cls, n: int, test: "float | str | RowSplit" = TEST_FRACTION, seed: int = 0) -> "RowSplit":
        """`test`: a random share held out (0.2), the last rows of the file ('last:0.2': rows that come later,
        from other states, …: where a mismatch shows), or a RowSplit.

        >>> RowSplit.of(10, "last:0.3").test.tolist()
        [7, 8, 9]
        """
        if isinstance(test, RowSplit):
            return test
        text = str(test).strip().lower()
        last = text.startswith("last:")
        try:
            f = float(text[5:] if last else text)
        except ValueError:
            raise ViewcastError("give the share of rows held out: 0.2 (at random) or last:0.2 (the last rows)",
                                param="test", value=test) from None
        if not last:
            return cls.random(n, f, seed)
        if not 0 < f < 1:
            raise ViewcastError("the share of rows held out must be between 0 and 1, e.g. last:0.2", param="test",
                                value=test)
        cut = n - int(round(n * f))
        return cls(np.arange(cut), np.arange(cut, n), f, seed, last=True)

    @classmethod
    def random(cls, n: int, fraction: float = TEST_FRACTION, seed: int = 0) -> "RowSplit":
        """A random `fraction` of n rows held out for testing (0: none), drawn from `seed`.

        >>> s = RowSplit.random(10, 0.2, seed=0); len(s.train), len(s.test), s.describe()
        (8, 2, '8 training rows, 2 test rows (a random 20% held out, seed 0)')
        """
        if not 0 <= fraction < 1:
            raise ViewcastError("the share of rows held out for testing must be from 0 to below 1, e.g. 0.2",
                                param="test", value=fraction)
        n_test = int(round(n * fraction))
        perm = np.random.default_rng(seed).permutation(n)
        return cls(np.sort(perm[n_test:]), np.sort(perm[:n_test]), fraction, seed)

    @classmethod
    def given(cls, train, test) -> "RowSplit":
        return cls(np.sort(np.asarray(train, dtype=int)), np.sort(np.asarray(test, dtype=int)), None)

    def describe(self) -> str:
        how = "" if not self.fraction else f" (the last {self.fraction:.0%} held out)" if self.last else \
            f" (a random {self.fraction:.0%} held out, seed {self.seed})"
        return f"{len(self.train):,} training rows, {len(self.test):,} test rows{how}"


def best_features(X: np.ndarray, y: np.ndarray, k: int, by: str = "f_regression",
                  seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """(the k best columns of X (n, d) in their order, every column's score) by a univariate score of
    each column against y on these rows: scikit-learn's SelectKBest with f_regression (the F statistic
    of a one-feature linear fit) or mutual_info_regression (any dependence; random: `seed`)."""
    from sklearn.feature_selection import SelectKBest, f_regression, mutual_info_regression

    if by not in SELECT_BY:
        raise ViewcastError(f"unknown; use {' or '.join(SELECT_BY)}", param="select_by", value=by)
    score = f_regression if by == "f_regression" else partial(mutual_info_regression, random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a column constant on these rows scores NaN: never chosen
        sel = SelectKBest(score, k=min(k, X.shape[1])).fit(X, y)
    return np.sort(sel.get_support(indices=True)), np.asarray(sel.scores_, dtype=float)


def prepare_table(table: Table, split: RowSplit, select: int | None = None, by: str = "f_regression",
                  normalize: bool = True, seed: int = 0) -> Prepared:
    """The table's training and test rows (`Windows` without dates), its features chosen (`select`: the
    K best by `by`) and scaled on the training rows only; `Prepared.k` is the number of features read."""
    if table.y is None:
        raise ViewcastError(f"{table.name}: has no target column to train on", param="target", value=None)
    check(select=select)
    X, y = table.X, table.y
    cols = Columns(table.features, table.features, target=table.target or "", id_column=table.id_column,
                   file_columns=table.columns, target_column=table.target_column or "")
    if select is not None and select < len(table.features):
        idx, scores = best_features(X[split.train], y[split.train], select, by, seed)
        cols = replace(cols, names=tuple(table.features[i] for i in idx), scores=tuple(scores.tolist()), by=by)
        X = X[:, idx]
    train, test = Windows(X[split.train], y[split.train]), Windows(X[split.test], y[split.test])
    if len(train) < 2 * X.shape[1] + 2 and len(train) < 10:
        raise ViewcastError(f"{table.name}: {len(train)} training rows are too few to fit {X.shape[1]} features; "
                            "give more rows or fewer features (--select)")
    return Prepared(X.shape[1], train, test, TableScaler.fit(train.X, train.y, normalize), split, Features(),
                    table.name, cols)


def fold_columns(data: Prepared, rows: np.ndarray, select: int | None, by: str, seed: int) -> np.ndarray:
    """The columns of data.train a model trained on `rows` reads: the K best on those rows only (all
    without `select`)."""
    d = data.train.X.shape[1]
    if select is None or select >= d:
        return np.arange(d)
    return best_features(data.train.X[rows], data.train.y[rows], select, by, seed)[0]
