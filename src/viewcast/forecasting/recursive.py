"""Forecasting N days ahead by feeding each prediction back as an input, for many windows at once —
of one series or of many, each with its own scaler — with one forward pass of the network per day
ahead. Pure numpy around a torch module.

>>> import torch
>>> from viewcast.features import Scaler
>>> last = torch.nn.Linear(2, 1); _ = last.weight.data.copy_(torch.tensor([[0., 1.]])); _ = last.bias.data.fill_(1.)
>>> groups = [Group(Scaler.identity(), 0, 2)]                # "tomorrow is today plus one"
>>> run_paths(last, groups, np.array([[4., 5.], [7., 8.]]), np.array(["2021-01-06", "2021-01-09"], "datetime64[D]"),
...           days=3, weekday=False).tolist()
[[6.0, 7.0, 8.0], [9.0, 10.0, 11.0]]
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from ..features import Scaler

ROWS = 1 << 16  # rows per forward pass: the hidden layers of a big batch stay small


@dataclass(frozen=True)
class Group:
    """Rows [first, end) of a batch that share one scaler (one series, or one series' fold)."""

    scaler: Scaler
    first: int
    end: int
    floor: float | None = 0.0  # predictions fed back are raised to it (views are never negative); None: no floor


def weekday_onehot(days: np.ndarray) -> np.ndarray:
    """(P,) datetime64[D] → (P, 7), Monday first (1970-01-01 was a Thursday)."""
    return np.eye(7)[(days.astype("int64") + 3) % 7]


def network_inputs(groups: list[Group], X: np.ndarray, days: np.ndarray, weekday: bool) -> np.ndarray:
    """What the network reads (P, k [+ 7]) for windows X (P, k) in views whose targets fall on `days`."""
    Z = np.empty(X.shape, dtype=np.float32)
    for g in groups:
        Z[g.first:g.end] = g.scaler.inputs(X[g.first:g.end])
    return np.hstack([Z, weekday_onehot(days).astype(np.float32)]) if weekday else Z


def one_step(model: torch.nn.Module, groups: list[Group], X: np.ndarray, days: np.ndarray, weekday: bool) -> np.ndarray:
    """Predictions (P,) in views for windows X (P, k) in views whose targets fall on `days` (P,)."""
    Z = network_inputs(groups, X, days, weekday)
    model.eval()
    dev = next(model.parameters()).device
    with torch.no_grad():
        z = np.concatenate([model(torch.from_numpy(Z[a:a + ROWS]).to(dev)).reshape(-1).double().cpu().numpy()
                            for a in range(0, len(Z), ROWS)]) if len(Z) else np.empty(0)
    out = np.empty(len(X))
    for g in groups:
        out[g.first:g.end] = g.scaler.views(z[g.first:g.end], X[g.first:g.end])
    return out


def run_paths(model: torch.nn.Module, groups: list[Group], windows: np.ndarray, first: np.ndarray, days: int,
              weekday: bool) -> np.ndarray:
    """(P, days) forecasts from each window (P, k) of real days, whose next day is `first` (P,)
    datetime64[D]: day h's window holds the real days before it and the forecasts since."""
    P, k = windows.shape
    buf = np.empty((P, k + days))
    buf[:, :k] = windows
    floors = np.full(P, -np.inf)
    for g in groups:
        if g.floor is not None:
            floors[g.first:g.end] = g.floor
    for h in range(days):
        y = one_step(model, groups, buf[:, h:h + k], first + h, weekday)
        buf[:, k + h] = np.maximum(y, floors)
    return buf[:, k:]
