"""The loss L: how bad a set of parameters is, averaged over the training days. Pure functions
that work on numpy arrays and torch tensors alike.

>>> mae(np.array([1., 2.]), np.array([2., 4.])), mse(np.array([1., 2.]), np.array([2., 4.]))
(1.5, 2.5)
"""
from __future__ import annotations

import numpy as np

LOSSES = ("mae", "mse")


def mae(pred, y):
    """Mean absolute error e = |y − ŷ| averaged (the book's default)."""
    out = abs(pred - y).mean()
    return float(out) if isinstance(out, np.generic) else out


def mse(pred, y):
    """Mean squared error e = (y − ŷ)² averaged."""
    out = ((pred - y) ** 2).mean()
    return float(out) if isinstance(out, np.generic) else out


def get(name: str):
    """The loss function called `name` ('mae' or 'mse')."""
    from .errors import ViewcastError

    if name not in LOSSES:
        raise ViewcastError(f"--loss {name}: unknown; use mae or mse")
    return {"mae": mae, "mse": mse}[name]
