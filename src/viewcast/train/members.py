"""What the engine trains: members. A member is one model to fit — its rows (windows of one
series), which of them it trains and validates on (its training rows may carry weights), its
scaler and its seed. Folds, seeds, an ensemble and many series are all just members; `pack`
stacks them (padding shorter ones) into the tensors the engine reads.

>>> w = make_windows(np.arange(30.0), 3, pd.Timestamp("2021-01-01"))
>>> b = pack([Member(w, np.arange(20), np.arange(20, 27), Scaler.fit(w.y[:20]), seed=0),
...           Member(w.take(np.arange(10)), np.arange(10), np.arange(0), Scaler.fit(w.y[:10]), seed=1,
...                  train_weight=np.r_[np.full(5, 2.0), np.zeros(5)])])
>>> tuple(b.X.shape), b.train.sum(1).tolist(), (b.train > 0).sum(1).tolist(), b.val.sum(1).tolist()
((2, 27, 3), [20.0, 10.0], [20, 5], [7.0, 0.0])
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd  # noqa: F401  (doctest)
import torch

from ..errors import ViewcastError
from ..features import Scaler, Windows, encode, make_windows  # noqa: F401  (make_windows: doctest)


@dataclass(frozen=True)
class Member:
    windows: Windows  # its rows, in views
    train_idx: np.ndarray  # rows it trains on
    val_idx: np.ndarray  # rows it is validated on (may be empty)
    scaler: Scaler  # views → its standard units (fitted on its training rows)
    seed: int = 0  # its initial weights, mini-batch order and augmentation draws
    weekday: bool = False  # the one-hot weekday of each target as 7 more inputs
    tag: object = field(default=None, compare=False)  # the caller's label (series, fold, seed)
    # weight ≥ 0 of each training row, as train_idx (None: 1 each): its loss is Σ w·e / Σ w, and a
    # row of weight w counts as w copies of it; a row of weight 0 is never trained on
    train_weight: np.ndarray | None = None

    def __post_init__(self):
        w = self.train_weight
        if w is not None and (np.shape(w) != np.shape(self.train_idx) or not np.all(np.isfinite(w))
                              or np.any(np.asarray(w) < 0)):
            raise ViewcastError(f"must be {len(self.train_idx)} finite numbers ≥ 0, one per training row",
                                param="train_weight", value=f"{np.size(w)} values")


@dataclass
class Batch:
    X: torch.Tensor  # (M, n, d) inputs in each member's standard units (zero padding)
    y: torch.Tensor  # (M, n) targets likewise
    train: torch.Tensor  # (M, n) the weight of each row in a member's training loss (0: not trained on)
    val: torch.Tensor  # (M, n) 1.0 on its validation rows
    mean: torch.Tensor  # (M,) each scaler's mean and std, and whether it is on a log scale
    std: torch.Tensor
    log: torch.Tensor
    seeds: list[int]
    typical: float  # mean |views| of the training targets (for η in raw units)

    @property
    def members(self) -> int:
        return self.X.shape[0]


def pack(members: list[Member], dtype=torch.float32) -> Batch:
    """Stack members into padded tensors on the CPU (the engine moves them to its device)."""
    M = len(members)
    n = max(len(m.windows) for m in members)
    d = members[0].windows.X.shape[1] + (7 if members[0].weekday else 0)
    X = torch.zeros((M, n, d), dtype=dtype)
    y = torch.zeros((M, n), dtype=dtype)
    tr = torch.zeros((M, n), dtype=dtype)
    va = torch.zeros((M, n), dtype=dtype)
    for i, m in enumerate(members):
        w = m.windows
        X[i, :len(w)] = torch.from_numpy(encode(w.X, w.dates, m.scaler, m.weekday))
        y[i, :len(w)] = torch.from_numpy(m.scaler.target(w.y, w.X))
        tr[i, m.train_idx] = 1.0 if m.train_weight is None else torch.as_tensor(m.train_weight, dtype=dtype)
        va[i, m.val_idx] = 1.0
    typical = float(np.mean([_typical(m) for m in members]))
    return Batch(X, y, tr, va, torch.tensor([m.scaler.mean for m in members], dtype=dtype),
                 torch.tensor([m.scaler.std for m in members], dtype=dtype),
                 torch.tensor([m.scaler.log for m in members]), [m.seed for m in members], typical)


def _typical(m: Member) -> float:
    """Mean |views| of a member's training targets, each row counted as often as its weight says."""
    y = np.abs(m.windows.y[m.train_idx])
    w = m.train_weight
    return float(np.mean(y)) if w is None or not np.sum(w) > 0 else float(np.average(y, weights=w))


ROWS = 1 << 18  # member rows × rows in one forward pass of predict_members (a global model's millions of rows)


def predict_members(net, members: list[Member], batch: Batch | None = None, chunk: int = 64) -> list[np.ndarray]:
    """Each member's predictions on all its rows, in views (its scaler undone): (n_i,) per member.
    `net` is the engine's StackedNet of these members; forward passes go `chunk` members at a time."""
    batch = batch if batch is not None else pack(members)
    dev = net.W[0].device
    out = []
    with torch.no_grad():
        for a in range(0, len(members), chunk):
            rows = torch.arange(a, min(a + chunk, len(members)), device=dev)
            part, x = net.take(rows), batch.X[a:a + chunk]
            step = max(1, ROWS // len(rows))  # rows a forward pass takes at once: its hidden layer stays small
            z = torch.cat([part.forward(x[:, r:r + step].to(dev)) for r in range(0, x.shape[1], step)], 1)
            z = z.double().cpu().numpy()
            out += [m.scaler.views(z[j, :len(m.windows)], m.windows.X) for j, m in enumerate(members[a:a + chunk])]
    return out
