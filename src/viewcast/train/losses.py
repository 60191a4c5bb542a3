"""The loss L: how bad a set of parameters is, averaged over the days. The one place its formula,
its units and the scores live; training, surfaces, landscapes and references all use it.
Pure functions that work on numpy arrays and torch tensors alike.

>>> mae(np.array([1., 2.]), np.array([2., 4.])), mse(np.array([1., 2.]), np.array([2., 4.]))
(1.5, 2.5)
>>> scores(np.array([1., np.nan, 3.]), np.array([2., 2., 2.]))
{'mae': 1.0, 'mse': 1.0}
>>> to_views(0.5, std=1000.0, loss="mae"), to_views(0.5, std=1000.0, loss="mse")
(500.0, 500000.0)
"""
from __future__ import annotations

import numpy as np

from ..errors import ViewcastError

LOSSES = ("mae", "mse")


def check(name: str) -> str:
    if name not in LOSSES:
        raise ViewcastError("unknown loss; use mae or mse", param="loss", value=name)
    return name


def errors(e, loss: str):
    """Per-day loss of residuals e: |e| (MAE) or e² (MSE); numpy or torch, same shape as e."""
    return abs(e) if loss == "mae" else e * e


def mean_loss(pred, y, loss: str):
    """L = mean over the days of the per-day loss (a float for numpy, a 0-d tensor for torch)."""
    out = errors(pred - y, loss).mean()
    return float(out) if isinstance(out, np.generic) else out


def mae(pred, y):
    """Mean absolute error e = |y − ŷ| averaged (the book's default)."""
    return mean_loss(pred, y, "mae")


def mse(pred, y):
    """Mean squared error e = (y − ŷ)² averaged."""
    return mean_loss(pred, y, "mse")


def get(name: str):
    """The loss function called `name` ('mae' or 'mse')."""
    return {"mae": mae, "mse": mse}[check(name)]


def masked_mean(e, mask):
    """Mean of e over the True cells of mask along the last axis, per row: (M, n) → (M,); a mask of
    weights ≥ 0 gives the weighted mean Σ w·e / Σ w. Rows with no True cell (all 0) give 0 (numpy or torch)."""
    n = mask.sum(-1)
    n = n.masked_fill(n <= 0, 1) if hasattr(n, "masked_fill") else np.where(n > 0, n, 1)
    return (e * mask).sum(-1) / n


def scores(pred: np.ndarray, y: np.ndarray) -> dict:
    """{"mae", "mse"} in views over the days where `pred` exists (NaN where it has no value)."""
    pred, y = np.asarray(pred, float), np.asarray(y, float)
    ok = np.isfinite(pred)
    if not ok.any():
        return {"mae": float("nan"), "mse": float("nan")}
    e = pred[ok] - y[ok]
    return {"mae": float(np.mean(np.abs(e))), "mse": float(np.mean(e * e))}


def unit(std, loss: str):
    """What one standard unit of the loss is in views: std for MAE, std² (views²) for MSE."""
    return std if loss == "mae" else std * std


def to_views(value, std, loss: str):
    """A loss in standard units → views (MAE) or views² (MSE)."""
    return value * unit(std, loss)
