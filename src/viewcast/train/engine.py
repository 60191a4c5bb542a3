"""The one training loop (step 3: θ* = argmin L by gradient descent). It trains M members of one
spec at once, stacked along a leading dimension (`stacked.StackedNet`): folds × seeds × series,
an ensemble, or a single `fit`. The total loss is the sum of the members' losses, so every member's
gradient is its own, and the optimizer (elementwise) moves each exactly as if it were trained alone.

Per member: its own early stopping (its best weights are restored), its own divergence (a member
whose loss becomes inf/NaN is frozen at its last finite weights and marked; the others go on), its
own stop reason as a value (`stop.Stop`). Members that have stopped are dropped from the stack as
it empties, so a run costs what its members need, not what the slowest one needs. The loop's state
is in `state.py` (the run's Plan, the members' Stack), what it keeps in `record.py`.

>>> from viewcast.features import Scaler, make_windows
>>> from viewcast.train.members import Member, pack
>>> w = make_windows(s.values, 7, s.start)
>>> members = [Member(w, np.arange(400), np.arange(400, 500), Scaler.fit(w.y[:400]), seed) for seed in (0, 1, 2)]
>>> res = train("relu:7x16", pack(members), TrainConfig(epochs=300, early_stop=20))
>>> all(st.update == b + 20 for st, b in zip(res.stops, res.best_update) if st.reason.value == "early_stop")
True
>>> [int(np.nanargmin(h)) == int(b) for h, b in zip(res.history["val"], res.best_update)]
[True, True, True]
"""
from __future__ import annotations

import time
from typing import Callable

import numpy as np
import torch

from .. import models
from . import losses
from .config import TrainConfig
from .interrupt import abandon_on_interrupt, keep_partial, keep_partial_on_interrupt  # noqa: F401  (re-exported)
from .members import Batch
from .optim import cosine
from .record import EngineResult, Record  # noqa: F401  (EngineResult: re-exported)
from .rows import orders
from .state import Plan, Stack, pick_device
from .stop import StopReason

COMPACT_AT = 0.5  # drop stopped members from the stack when at most this share is still training
COMPACT_MIN = 8  # …and the stack has at least this many members
ONE_THREAD_BELOW = 2e8  # FLOPs per update under which a stack of members uses one CPU thread:
# splitting a small matmul costs more than it saves, and a second spinning thread is ruinous on a busy
# machine (measured: a hardsigmoid:1x3 fit took 39 s with torch's 2 threads beside other jobs, 0.5 s
# with one). Set OMP_NUM_THREADS=1 to have it everywhere; the `viewcast` command also lets torch's threads
# sleep rather than spin when its cores are busy as it starts (viewcast.busy).


def train(spec: str | models.Spec, batch: Batch, config: TrainConfig = TrainConfig(),
          progress: Callable[[int, int, float], None] | None = None,
          stop_after: int | np.ndarray | None = None) -> EngineResult:
    """Train one copy of `spec` per member of `batch`. `stop_after` (one number, or one per member with
    0 for none) ends a member after that many updates (the η schedule still spans all epochs): how a
    model is refit for the updates validation chose. Ctrl-C raises KeyboardInterrupt, or inside
    `keep_partial_on_interrupt()` (the CLI) ends the run with what was trained. Torch's thread count
    and global random state are as they were when it returns or raises: its draws come from its own
    generators."""
    s = models.parse(spec) if isinstance(spec, str) else spec
    threads = torch.get_num_threads()
    rows = batch.X.shape[1] if config.full_batch(batch.X.shape[1]) else min(batch.X.shape[1], config.batch_size)
    width = batch.X.shape[2] if s.kind == "linear" else s.hidden * (batch.X.shape[2] + s.hidden * (s.layers - 1))
    small = 6.0 * batch.members * rows * width < ONE_THREAD_BELOW
    # a stack of one keeps torch's threads: `fit` stays the very computation a plain PyTorch loop does
    if pick_device(config.device).type == "cpu" and batch.members > 1 and small:
        torch.set_num_threads(1)
    try:
        return _train(s, batch, config, progress, stop_after)
    finally:
        torch.set_num_threads(threads)


def _train(s: models.Spec, batch: Batch, config: TrainConfig, progress, stop_after) -> EngineResult:
    t0 = time.perf_counter()
    p = Plan.of(s, batch, config)
    st = Stack.start(p, batch, stop_after)
    rec = Record(p, st.net)
    try:
        for epoch in range(config.epochs):
            st.order = None if p.full else orders(st.train, p.gens, st.ids, p.per_epoch * p.rows, p.rows)
            for i in range(p.per_epoch):
                _update(p, st, rec, i, validate=p.has_val and (p.full or i == p.per_epoch - 1))
                if not st.active.any():
                    break
            if progress and rec.train:
                progress(epoch + 1, config.epochs, rec.last_loss())
            if not st.active.any():
                break
    except KeyboardInterrupt:
        if not keep_partial():  # Python: Ctrl-C raises; the CLI prints what was finished
            raise
        rec.finish(st, st.active, StopReason.INTERRUPTED)
    rec.finish(st, st.active, StopReason.UPDATES)  # those still training took every planned update
    rec.keep(st, torch.ones_like(st.active))
    return rec.result(st, time.perf_counter() - t0)


def _update(p: Plan, st: Stack, rec: Record, i: int, validate: bool) -> None:
    """Update i of the epoch for every member still training: its loss and ∇L, their record, validation
    and early stopping, a step of η; then the stack drops its stopped members once it has emptied."""
    xb, yb, wb = st.batch(p, i)
    pred = st.net.forward(xb, train=True, generator=p.dropout)  # (cur, b)
    per = losses.masked_mean(losses.errors(pred - yb, p.config.loss), wb)  # (cur,) Σ w·e / Σ w of each
    _backward(st, rec, per)
    if not st.active.any():
        return
    rec.passes.index_add_(0, st.ids, ((wb > 0) & st.active[:, None]).sum(1))  # rows, whatever their weights
    gn = st.net.grad_norms()
    rec.log(rec.train, st, torch.where(st.active, per * st.unit, torch.nan))
    rec.log(rec.grad_norm, st, torch.where(st.active, gn, torch.nan))
    lr = cosine(p.lr0, rec.update, p.total) if p.config.schedule == "cosine" else p.lr0
    rec.lr.append(lr)
    if validate:  # full batch: every update; mini-batches: once per epoch
        _validate(p, st, rec, pred)
    elif p.has_val:
        rec.val.append((st.where[:0], torch.zeros(0)))  # not validated at this update
    rec.finish(st, st.active & (gn < p.config.grad_tol), StopReason.CRITICAL_POINT, grad_norm=gn)
    if not st.active.any():
        return
    st.prev.copy_(st.net.flat)
    st.opt.step(st.active, lr)
    rec.update += 1
    rec.finish(st, st.active & (rec.update >= st.limit), StopReason.STOPPED_AFTER)
    _compact(st, rec)


def _compact(st: Stack, rec: Record) -> None:
    """Once most of a large stack has stopped, keep the stopped members' weights and drop them: the
    rest train on in a smaller stack (each member's numbers are the same either way)."""
    if st.active.any() and len(st.ids) >= COMPACT_MIN and int(st.active.sum()) <= COMPACT_AT * len(st.ids):
        rec.keep(st, ~st.active)
        st.take(st.active.nonzero().flatten())


def _backward(st: Stack, rec: Record, per: torch.Tensor) -> None:
    """∇L of every member still training, into st.net.grad. A member whose loss is not finite stops
    (DIVERGED) and is frozen at its last finite weights — after the backward pass, which needs the
    weights the forward pass used."""
    bad = st.active & ~torch.isfinite(per)
    diverged = bool(bad.any())
    if diverged:
        rec.finish(st, bad, StopReason.DIVERGED, loss=per.detach())
    if st.active.any():
        st.net.zero_grad()
        torch.where(st.active, per, torch.zeros_like(per)).sum().backward()
    if diverged:
        with torch.no_grad():
            st.net.flat.copy_(torch.where(st.net.each(bad), st.prev, st.net.flat))


def _validate(p: Plan, st: Stack, rec: Record, pred: torch.Tensor) -> None:
    """Each member's validation loss in views, recorded; with early stopping, its best weights kept."""
    with torch.no_grad():
        if p.shared_pass:  # the training pass's predictions, on the validation rows
            lv = losses.masked_mean(losses.errors(pred.detach() - st.y, p.config.loss), st.val) * st.unit
        else:
            lv = losses.masked_mean(losses.errors(st.net.forward(st.Xv) - st.yv, p.config.loss), st.vm) * st.unit
    rec.log(rec.val, st, torch.where(st.active & st.own_val, lv, torch.nan))  # no validation rows: NaN, not 0
    if p.patience:
        _early_stop(p, st, rec, lv)


def _early_stop(p: Plan, st: Stack, rec: Record, lv: torch.Tensor) -> None:
    """Keep the weights of each member's best validation loss; stop those `patience` updates past it."""
    fresh = (st.best_upd < 0) | (torch.isnan(st.best_val) & torch.isfinite(lv))
    better = st.active & st.own_val & ((lv < st.best_val) | fresh)
    st.best_val = torch.where(better, lv, st.best_val)
    st.best_upd = torch.where(better, torch.full_like(st.best_upd, rec.update), st.best_upd)
    st.best.copy_(torch.where(st.net.each(better), st.net.flat, st.best))
    rec.finish(st, st.active & st.own_val & (rec.update - st.best_upd >= p.patience), StopReason.EARLY_STOP)
