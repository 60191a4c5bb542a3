"""What an engine run gives back (`EngineResult`) and how it is written as the run goes (`Record`):
by member id, while the stack's rows come and go — why and when each member stopped, the weights it
keeps, the work it did, and its losses at every update.

>>> from viewcast.features import Scaler, make_windows
>>> from viewcast.train.members import Member, pack
>>> from viewcast.train.engine import train
>>> w = make_windows(np.arange(40.0), 3, pd.Timestamp("2021-01-01"))
>>> m = Member(w, np.arange(30), np.arange(0), Scaler.fit(w.y[:30]), seed=0)
>>> res = train("linear:3", pack([m]), TrainConfig(epochs=5))
>>> res.history["train"].shape, res.updates.tolist(), res.passes.tolist(), res.best_update
((1, 5), [5], [150.0], None)
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd  # noqa: F401  (doctest)
import torch

from .config import TrainConfig  # noqa: F401  (doctest)
from .stacked import StackedNet, split
from .stop import Stop, StopReason

if TYPE_CHECKING:
    from .state import Plan, Stack


@dataclass
class EngineResult:
    net: StackedNet  # the kept weights of every member (best with early stopping, else the last finite)
    history: dict[str, np.ndarray]  # "train", "val", "grad_norm": (M, updates) in views (NaN once stopped)
    lr: np.ndarray  # (updates,) η at each update
    lr0: float  # the η asked for (before the schedule)
    stops: list[Stop]  # why each member stopped
    best_update: np.ndarray | None  # (M,) updates taken before the kept weights (early stopping), else None
    seconds: float
    passes: np.ndarray  # (M,) training rows × forward-backward passes of each member (the work done)

    @property
    def updates(self) -> np.ndarray:
        return np.array([s.update for s in self.stops])

    @property
    def sample_passes(self) -> float:
        return float(self.passes.sum())

    @property
    def interrupted(self) -> bool:
        return any(s.reason is StopReason.INTERRUPTED for s in self.stops)

    def subset(self, rows: list[int]) -> "EngineResult":
        """The members `rows` only (e.g. one series' folds out of a run over many series)."""
        idx = torch.as_tensor(rows, device=self.net.W[0].device)
        return EngineResult(self.net.take(idx).detached(), {k: v[rows] for k, v in self.history.items()}, self.lr,
                            self.lr0, [self.stops[i] for i in rows],
                            None if self.best_update is None else self.best_update[rows], self.seconds,
                            self.passes[rows])


class Record:
    """A run's record by member id. `update` is the number of updates taken so far."""

    def __init__(self, p: "Plan", net: StackedNet):
        M = net.members
        self.p, self.update = p, 0
        self.stops: list[Stop | None] = [None] * M
        self.kept = [torch.zeros_like(t.detach()) for t in net.params]  # the kept weights, laid out like net.params
        self.best = np.full(M, -1)  # the update whose weights were kept
        self.passes = torch.zeros(M, dtype=torch.long, device=p.dev)
        # per update: (which member each stack row is, the (cur,) values), made into (M, updates) at the end
        self.train: list[tuple[np.ndarray, torch.Tensor]] = []
        self.val: list[tuple[np.ndarray, torch.Tensor]] = []
        self.grad_norm: list[tuple[np.ndarray, torch.Tensor]] = []
        self.lr: list[float] = []

    def log(self, into: list, st: "Stack", values: torch.Tensor) -> None:
        into.append((st.where, values.detach()))  # not on the hot path: no copy to numpy per update

    def finish(self, st: "Stack", rows: torch.Tensor, reason: StopReason, **nums: torch.Tensor) -> None:
        """Stop the stack rows where `rows` (cur,) is True, for `reason`, at this update; `nums`: Stop's
        numbers (loss, grad_norm), one per stack row."""
        for r in rows.nonzero().flatten().tolist():
            self.stops[int(st.ids[r])] = Stop(reason, self.update, lr=self.p.lr0, patience=self.p.patience,
                                              **{k: float(v[r]) for k, v in nums.items()})
        st.active[rows] = False

    def keep(self, st: "Stack", rows: torch.Tensor) -> None:
        """Keep the weights of the stack rows where `rows` is True: their best (early stopping), else their last."""
        rows = rows.nonzero().flatten()
        use_best = st.best_upd[rows] >= 0 if st.best is not None else torch.zeros(len(rows), dtype=torch.bool,
                                                                                   device=rows.device)
        params = st.net.params
        kept = params if st.best is None else split(st.best, [t.shape for t in params])
        for into, last, best in zip(self.kept, params, kept):
            into[st.ids[rows]] = torch.where(use_best.reshape((-1,) + (1,) * (last.dim() - 1)), best[rows],
                                             last.detach()[rows])
        self.best[st.ids[rows].cpu().numpy()] = st.best_upd[rows].cpu().numpy()

    def last_loss(self) -> float:
        """The mean training loss of the members at the last update (in views)."""
        return float(torch.nanmean(self.train[-1][1].double()))

    def result(self, st: "Stack", seconds: float) -> EngineResult:
        p, M = self.p, len(self.stops)
        hist = {k: _matrix(v, M) for k, v in (("train", self.train), ("val", self.val), ("grad_norm", self.grad_norm))}
        if not p.has_val:
            hist["val"] = np.full_like(hist["train"], np.nan)
        stops = [s if s.loss is not None else Stop(s.reason, s.update, _last(hist["train"][i]), s.grad_norm, s.patience,
                                                   s.lr)
                 for i, s in enumerate(self.stops)]  # the last training loss, for the record
        net = StackedNet(p.spec, self.kept[0::2], self.kept[1::2], p.config.dropout, st.net.extra_inputs,
                         trainable=False)
        return EngineResult(net, hist, np.array(self.lr), p.lr0, stops, self.best if p.patience else None, seconds,
                            self.passes.cpu().numpy().astype(float))


def _last(losses: np.ndarray) -> float | None:
    ok = losses[np.isfinite(losses)]
    return float(ok[-1]) if len(ok) else None


def _matrix(entries: list[tuple[np.ndarray, torch.Tensor]], M: int) -> np.ndarray:
    """(M, updates) in float64, NaN where a member was not in the stack, from per-update (members, values)."""
    out = np.full((M, len(entries)), np.nan)
    a = 0
    while a < len(entries):  # runs of updates with the same stack: one stack → numpy each
        b = a
        while b < len(entries) and entries[b][0] is entries[a][0]:
            b += 1
        if len(entries[a][0]):
            out[entries[a][0], a:b] = torch.stack([v for _, v in entries[a:b]], 1).double().cpu().numpy()
        a = b
    return out
