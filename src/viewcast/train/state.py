"""The state of an engine run: `Plan`, its constants (batch size, updates, η, the generators), fixed
before the first update; and `Stack`, every per-member tensor, row r of each being the member
`ids[r]`. Members that have stopped leave the stack through `Stack.take`, the one place it is
re-indexed: a per-member tensor added as a field of Stack follows the members by itself.

>>> from viewcast.features import Scaler, make_windows
>>> from viewcast.train.members import Member, pack
>>> w = make_windows(np.arange(50.0), 3, pd.Timestamp("2021-01-01"))
>>> b = pack([Member(w, np.arange(40), np.arange(40, 47), Scaler.fit(w.y[:40]), seed) for seed in (0, 1, 2)])
>>> st = Stack.start(Plan.of(models.parse("relu:3x4"), b, TrainConfig(early_stop=5)), b, None)
>>> st.take(torch.tensor([0, 2])); st.ids.tolist(), tuple(st.X.shape), st.net.members, len(st.best) == len(st.net.flat)
([0, 2], (2, 47, 3), 2, True)
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, fields

import numpy as np
import pandas as pd  # noqa: F401  (doctest)
import torch

from .. import models
from . import losses
from .config import TrainConfig
from .members import Batch
from .optim import Stacked
from .rows import gather, scale_augment
from .stacked import StackedNet


def pick_device(name: str) -> torch.device:
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(name)


@dataclass(frozen=True)
class Plan:
    """What a run does, decided from the batch and the config before it starts."""

    spec: models.Spec
    config: TrainConfig
    dev: torch.device
    full: bool  # full batch: one update per epoch on every training row
    rows: int  # rows per mini-batch (full batch: the most training rows of a member)
    per_epoch: int  # updates per epoch
    total: int  # updates planned (the η schedule spans them all)
    lr0: float  # η asked for, before the schedule
    patience: int | None  # early stopping (None without validation rows)
    has_val: bool  # some member has validation rows
    shared_pass: bool  # the training pass's predictions score validation too (full batch, no noise)
    gens: list[torch.Generator] | None  # per member: its mini-batch order and augmentation draws
    dropout: torch.Generator | None  # the stack's dropout masks, seeded from config.seed

    @classmethod
    def of(cls, s: models.Spec, batch: Batch, config: TrainConfig) -> "Plan":
        dev = pick_device(config.device)
        most = int((batch.train > 0).sum(1).max())  # the most training rows of a member (weight > 0)
        full = config.full_batch(most)
        rows = most if full else int(config.batch_size)
        per_epoch = math.ceil(most / rows)
        has_val = bool((batch.val.sum(1) > 0).any())
        gens = ([torch.Generator().manual_seed(seed) for seed in batch.seeds]
                if not full or config.augment != "none" else None)
        drop = torch.Generator(device=dev).manual_seed(config.seed) if config.dropout > 0 else None
        return cls(s, config, dev, full, rows, per_epoch, config.epochs * per_epoch,
                   config.learning_rate(batch.typical, s.k), config.early_stop if has_val else None, has_val,
                   full and config.dropout == 0 and config.augment == "none", gens, drop)


def _flat():
    """A field laid out like `StackedNet.flat` (every member's weights in one 1-D tensor)."""
    return field(metadata={"flat": True})


@dataclass
class Stack:
    """The members still in the stack: their weights and optimizer, and every tensor they are
    trained, validated and stopped with."""

    net: StackedNet
    opt: Stacked
    # every field below is per member: (cur, …) rows, or laid out like net.flat; None when unused
    X: torch.Tensor  # (cur, n, d) inputs in each member's standard units
    y: torch.Tensor  # (cur, n) targets likewise
    train: torch.Tensor  # (cur, n) the training weight of each row (0: not trained on)
    val: torch.Tensor  # (cur, n) 1.0 on validation rows
    unit: torch.Tensor  # (cur,) one standard unit of the loss in views
    mean: torch.Tensor  # (cur,) each scaler's mean, std and whether it is on a log scale
    std: torch.Tensor
    log: torch.Tensor
    ids: torch.Tensor  # (cur,) which member each row is
    active: torch.Tensor  # (cur,) still training
    limit: torch.Tensor  # (cur,) updates after which it stops (`stop_after`; else past the end)
    own_val: torch.Tensor  # (cur,) has validation rows
    best_val: torch.Tensor  # (cur,) its best validation loss so far (early stopping)
    best_upd: torch.Tensor  # (cur,) the update of that loss (−1: none yet)
    best: torch.Tensor | None = _flat()  # the weights of that update (early stopping only)
    prev: torch.Tensor | None = _flat()  # the last weights whose loss was finite
    Xv: torch.Tensor | None = None  # (cur, most, d) its validation rows, packed to the front
    yv: torch.Tensor | None = None  # (cur, most)
    vm: torch.Tensor | None = None  # (cur, most) 1.0 on real rows
    order: torch.Tensor | None = None  # (cur, per_epoch × rows) this epoch's row order (mini-batches)

    def __post_init__(self):
        self.where = self.ids.cpu().numpy()  # the same array while the stack is: how the history is recorded

    @classmethod
    def start(cls, p: Plan, batch: Batch, stop_after: int | np.ndarray | None) -> "Stack":
        X, y, train, val = (t.to(p.dev) for t in (batch.X, batch.y, batch.train, batch.val))
        M, dev, c = len(X), p.dev, p.config
        net = StackedNet.init(p.spec, batch.seeds, c.dropout, X.shape[2] - p.spec.k, dev)
        opt = Stacked(net.flat, net.grad, net.member_of, c.optimizer, p.lr0, c.weight_decay, c.momentum)
        limit = np.broadcast_to(np.asarray(0 if stop_after is None else stop_after), (M,)).copy()
        limit = torch.as_tensor(limit, dtype=torch.long, device=dev)
        limit = torch.where(limit > 0, limit, torch.full_like(limit, p.total + 1))  # 0: no limit
        Xv, yv, vm = gather(X, y, val) if p.has_val and not p.shared_pass else (None, None, None)
        return cls(net, opt, X, y, train, val, losses.unit(batch.std.to(dev), c.loss), batch.mean.to(dev),
                   batch.std.to(dev), batch.log.to(dev), torch.arange(M, device=dev),
                   torch.ones(M, dtype=torch.bool, device=dev), limit, val.sum(1) > 0,
                   torch.full((M,), math.inf, device=dev), torch.full((M,), -1, dtype=torch.long, device=dev),
                   net.flat.clone() if p.patience else None, net.flat.clone(), Xv, yv, vm)

    def take(self, keep: torch.Tensor) -> None:
        """Keep the stack rows `keep` only, in every per-member field and the optimizer's state. The
        fields change in one assignment: a Ctrl-C meanwhile leaves the stack whole (as it was)."""
        new = {}
        for f in fields(self):
            v = getattr(self, f.name)
            if f.name not in ("net", "opt") and v is not None:
                new[f.name] = self.net.rows(v, keep) if f.metadata.get("flat") else v[keep]
        new["net"] = self.net.take(keep)
        new["where"] = new["ids"].cpu().numpy()
        self.opt.keep(self.net, new["net"], keep)
        vars(self).update(new)

    def batch(self, p: Plan, i: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """The inputs (cur, b, d), targets and training weights (cur, b) of update i of the epoch."""
        if p.full:
            xb, yb, wb = self.X, self.y, self.train
        else:
            idx = self.order[:, i * p.rows:(i + 1) * p.rows]  # (cur, b) row positions, −1 = none
            n, d = self.X.shape[1:]
            at = (torch.arange(len(idx), device=p.dev)[:, None] * n + idx.clamp(min=0)).view(-1)
            xb = self.X.view(-1, d).index_select(0, at).view(len(idx), -1, d)  # index_select: ~5× X[rows, idx]
            yb, wb = (t.view(-1).index_select(0, at).view(len(idx), -1) for t in (self.y, self.train))
            wb = wb * (idx >= 0)  # the rows' training weights; padding weighs nothing
        if p.config.augment == "scale":
            xb, yb = scale_augment(xb, yb, self.mean, self.std, self.log, p.gens, self.ids, p.spec.k)
        return xb, yb, wb
