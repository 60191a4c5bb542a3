"""Simple references a trained model's losses are judged against (chapter 2): predict yesterday,
the same weekday last week, the exact optimum of the linear model with K days, and a model-free
flexible reference (the mean of the nearest past windows).

The first three are functions that *every* model with at least K days of input contains
(yesterday is linear:1 with w = 1, b = 0; last week is linear:7 with w = e₁), so a model that fits
its training days worse than one of them has an optimization issue, not model bias. The k-nearest
-neighbour reference is contained in none of the ladder: when it predicts *held-out* days better
than a model fits its own training days, a better function exists and the model lacks it (bias).

>>> w = make_windows(np.arange(20.0), k=7, start=pd.Timestamp("2021-01-01"))
>>> naive(w, 1)[:3].tolist(), naive(w, 7)[:3].tolist()
([6.0, 7.0, 8.0], [0.0, 1.0, 2.0])
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd  # noqa: F401  (doctest)
from sklearn.neighbors import KNeighborsRegressor

from ..train.losses import scores
from ..features import Scaler, Windows, make_windows  # noqa: F401  (make_windows: doctest)
from ..models.exact import exact_linear


@dataclass(frozen=True)
class Reference:
    name: str  # "yesterday", "last_week", "linear:K exact", "knn:K"
    description: str  # one plain phrase for the report
    contained_in_k: int | None  # every model with at least this many input days contains it (None: none does)
    train: dict  # {"mae", "mse"} in views on the training part (the rows the models trained on)
    val: dict  # on the validation part
    test: dict  # on the test period


def naive(w: Windows, lag: int) -> np.ndarray:
    """The value `lag` days before each target, read from its window (NaN when the window is shorter). (n,)"""
    if w.X.shape[1] < lag:
        return np.full(len(w), np.nan)
    return w.X[:, -lag].astype(float)


def naive_from_values(values: np.ndarray, start: pd.Timestamp, dates: pd.DatetimeIndex, lag: int) -> np.ndarray:
    """The value `lag` days before each date, from the whole series (NaN before its start). (n,)"""
    idx = np.asarray((dates - start).days) - lag
    out = np.full(len(dates), np.nan)
    ok = idx >= 0
    out[ok] = values[idx[ok]]
    return out


def knn_predictor(tr: Windows, neighbors: int = 10):
    """Mean of the `neighbors` training windows nearest in standard units (scaled on training rows)."""
    sc = Scaler.fit(tr.y)
    m = KNeighborsRegressor(n_neighbors=min(neighbors, len(tr)), algorithm="brute").fit(sc.transform(tr.X), tr.y)
    return lambda X: m.predict(sc.transform(X)) if len(X) else np.empty(0)


def compute(values: np.ndarray, start: pd.Timestamp, parts: dict[int, tuple[Windows, Windows, Windows]],
            loss: str = "mae", neighbors: int = 10) -> list[Reference]:
    """All references, scored on the same rows as the models. `parts[k]` = (train, val, test) windows
    of length k; `values`/`start` are the series (for the lags longer than the windows)."""
    some = next(iter(parts.values()))
    out = []
    for name, lag, desc in (("yesterday", 1, "predict yesterday's views"),
                            ("last_week", 7, "the same weekday last week")):
        sc = [scores(naive_from_values(values, start, w.dates, lag), w.y) for w in some]
        out.append(Reference(name, desc, lag, *sc))
    for k in sorted(parts):
        tr, va, te = parts[k]
        w, b = exact_linear(tr.X, tr.y, loss)
        sc = [scores(x.X @ w + b, x.y) if len(x) else scores(np.empty(0), np.empty(0)) for x in (tr, va, te)]
        out.append(Reference(f"linear:{k} exact", f"the exact {loss.upper()} optimum of linear:{k}", k, *sc))
    for k in sorted(parts):
        tr, va, te = parts[k]
        f = knn_predictor(tr, neighbors)
        sc = [scores(f(x.X), x.y) if len(x) else scores(np.empty(0), np.empty(0)) for x in (tr, va, te)]
        out.append(Reference(f"knn:{k}", f"the mean of the {neighbors} most similar past {k}-day windows", None, *sc))
    return out
