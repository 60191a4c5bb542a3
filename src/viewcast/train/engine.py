"""The one training loop (step 3: θ* = argmin L by gradient descent). It trains M members of one
spec at once, stacked along a leading dimension (`stacked.StackedNet`): folds × seeds × series,
an ensemble, or a single `fit`. The total loss is the sum of the members' losses, so every member's
gradient is its own, and the optimizer (elementwise) moves each exactly as if it were trained alone.

Per member: its own early stopping (its best weights are restored), its own divergence (a member
whose loss becomes inf/NaN is frozen at its last finite weights and marked; the others go on), its
own stop reason as a value (`stop.Stop`). Members that have stopped are dropped from the stack as
it empties, so a run costs what its members need, not what the slowest one needs.

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

import contextlib
import contextvars
import math
import time
from dataclasses import dataclass
from typing import Callable

import numpy as np
import torch

from .. import models
from ..evaluate import losses
from .config import TrainConfig
from .members import Batch
from .optim import Stacked, cosine
from .rows import gather, orders, scale_augment
from .stacked import StackedNet, split
from .stop import Stop, StopReason

# Ctrl-C during a run normally ends it with what was trained (members marked INTERRUPTED). Inside
# `abandon_on_interrupt()` it propagates instead: a chunk of many series is then not half-trained and
# recorded as done, but left for `--resume`.
_ABANDON = contextvars.ContextVar("abandon_on_interrupt", default=False)


@contextlib.contextmanager
def abandon_on_interrupt():
    token = _ABANDON.set(True)
    try:
        yield
    finally:
        _ABANDON.reset(token)


COMPACT_AT = 0.5  # drop stopped members from the stack when at most this share is still training
COMPACT_MIN = 8  # …and the stack has at least this many members
ONE_THREAD_BELOW = 2e8  # FLOPs per update under which a stack of members uses one CPU thread:
# splitting a small matmul costs more than it saves, and a second spinning thread is ruinous on a busy
# machine (measured: a hardsigmoid:1x3 fit took 39 s with torch's 2 threads beside other jobs, 0.5 s
# with one). Set OMP_NUM_THREADS=1 to have it everywhere.


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


def pick_device(name: str) -> torch.device:
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(name)


def train(spec: str | models.Spec, batch: Batch, config: TrainConfig = TrainConfig(),
          progress: Callable[[int, int, float], None] | None = None,
          stop_after: int | np.ndarray | None = None) -> EngineResult:
    """Train one copy of `spec` per member of `batch`. `stop_after` (one number, or one per member with
    0 for none) ends a member after that many updates (the η schedule still spans all epochs): how a
    model is refit for the updates validation chose."""
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
    dev = pick_device(config.device)
    X, y, trm, vam = (t.to(dev) for t in (batch.X, batch.y, batch.train, batch.val))
    M, n, d = X.shape
    net = StackedNet.init(s, batch.seeds, config.dropout, d - s.k, dev)
    unit = losses.unit(batch.std.to(dev), config.loss)  # (M,) standard units → views
    mean, std, log = batch.mean.to(dev), batch.std.to(dev), batch.log.to(dev)
    n_tr = trm.sum(1).long()  # (M,)
    full = config.full_batch(int(n_tr.max()))
    bs = int(n_tr.max()) if full else int(config.batch_size)
    per_epoch = math.ceil(int(n_tr.max()) / bs)
    total = config.epochs * per_epoch
    lr0 = config.learning_rate(batch.typical, s.k)
    opt = Stacked(net.flat, net.grad, net.member_of, config.optimizer, lr0, config.weight_decay, config.momentum)
    needs_gen = not full or config.augment != "none"
    gens = [torch.Generator().manual_seed(seed) for seed in batch.seeds] if needs_gen else None
    torch.manual_seed(config.seed)  # dropout masks
    own_val = vam.sum(1) > 0  # (M,) members with validation rows
    has_val = bool(own_val.any())
    patience = config.early_stop if has_val else None
    shared_pass = full and config.dropout == 0 and config.augment == "none"  # the training pass scores validation too
    if has_val and not shared_pass:  # each member's validation rows only, gathered once: (M, most, d), padded
        Xv, yv, vm = gather(X, y, vam)

    ids = torch.arange(M, device=dev)  # stack row → member
    limit = torch.as_tensor(np.broadcast_to(np.asarray(0 if stop_after is None else stop_after), (M,)).copy(),
                            dtype=torch.long, device=dev)
    limit = torch.where(limit > 0, limit, torch.full_like(limit, total + 1))  # 0: no limit
    active = torch.ones(M, dtype=torch.bool, device=dev)
    best_val = torch.full((M,), math.inf, device=dev)
    best_upd = torch.full((M,), -1, dtype=torch.long, device=dev)
    best = net.flat.clone() if patience else None  # laid out like net.flat
    final = [torch.zeros_like(p.detach()) for p in net.params]  # the kept weights, by member id
    best_all = np.full(M, -1)  # the update whose weights were kept, by member id
    prev = net.flat.clone()  # the last weights whose loss was finite
    stops: list[Stop | None] = [None] * M
    h_tr, h_va, h_gn, h_lr = [], [], [], []
    passes, update = torch.zeros(M, dtype=torch.long, device=dev), 0

    def finish(rows: torch.Tensor, reason: StopReason, **nums) -> None:
        """Mark the stack rows `rows` stopped (with one reason) at the current update."""
        for r in rows.tolist():
            i = int(ids[r])
            stops[i] = Stop(reason, update, lr=lr0, patience=patience, **{k: v[r] if isinstance(v, list) else v
                                                                           for k, v in nums.items()})
        active[rows] = False

    def store(rows: torch.Tensor) -> None:
        """Copy the kept weights of stack rows `rows` into `final`."""
        use_best = (best_upd[rows] >= 0) if best is not None else torch.zeros(len(rows), dtype=torch.bool, device=dev)
        kept = net.params if best is None else split(best, [p.shape for p in net.params])
        for f, p, b in zip(final, net.params, kept):
            keep = torch.where(use_best.reshape((-1,) + (1,) * (p.dim() - 1)), b[rows], p.detach()[rows])
            f[ids[rows]] = keep
        best_all[ids[rows].cpu().numpy()] = best_upd[rows].cpu().numpy()

    where = [ids.cpu().numpy()]  # which member each stack row is (changes when the stack is compacted)

    def record(values: torch.Tensor, into: list) -> None:
        into.append((where[0], values.detach()))  # made into (M,) rows once, at the end: not on the hot path

    try:
        for epoch in range(config.epochs):
            order = None if full else orders(trm, gens, ids, per_epoch * bs, bs)
            for i in range(per_epoch):
                if full:
                    xb, yb, mb = X, y, trm
                else:
                    idx = order[:, i * bs:(i + 1) * bs]  # (cur, bs) row positions, −1 = none
                    at = (torch.arange(len(idx), device=dev)[:, None] * n + idx.clamp(min=0)).view(-1)
                    xb = X.view(-1, d).index_select(0, at).view(len(idx), -1, d)  # index_select: ~5× X[rows, idx]
                    yb, mb = y.view(-1).index_select(0, at).view(len(idx), -1), (idx >= 0).to(X.dtype)
                if config.augment == "scale":
                    xb, yb = scale_augment(xb, yb, mean, std, log, gens, ids, s.k)
                pred = net.forward(xb, train=True)  # (cur, batch)
                per = losses.masked_mean(losses.errors(pred - yb, config.loss), mb)  # (cur,)
                bad = active & ~torch.isfinite(per)
                diverged = bool(bad.any())
                if diverged:  # frozen at the last finite weights (those before the last step): below
                    finish(bad.nonzero().flatten(), StopReason.DIVERGED, loss=[float(v) for v in per.detach().cpu()])
                if active.any():
                    net.zero_grad()
                    torch.where(active, per, torch.zeros_like(per)).sum().backward()
                if diverged:  # after the backward pass, which needs the weights the forward pass used
                    with torch.no_grad():
                        net.flat.copy_(torch.where(net.each(bad), prev, net.flat))
                if not active.any():
                    break
                passes.index_add_(0, ids, (mb * active[:, None]).sum(1).long())
                gn = net.grad_norms()
                record(torch.where(active, per * unit, torch.nan), h_tr)
                record(torch.where(active, gn, torch.nan), h_gn)
                lr = cosine(lr0, update, total) if config.schedule == "cosine" else lr0
                h_lr.append(lr)
                if has_val and (full or i == per_epoch - 1):  # mini-batches: validated once per epoch
                    with torch.no_grad():
                        if shared_pass:
                            lv = losses.masked_mean(losses.errors(pred.detach() - y, config.loss), vam) * unit
                        else:
                            lv = losses.masked_mean(losses.errors(net.forward(Xv) - yv, config.loss), vm) * unit
                    record(torch.where(active & own_val, lv, torch.nan), h_va)  # no validation rows: NaN, not 0
                    if patience:
                        fresh = (best_upd < 0) | (torch.isnan(best_val) & torch.isfinite(lv))
                        better = active & own_val & ((lv < best_val) | fresh)
                        best_val = torch.where(better, lv, best_val)
                        best_upd = torch.where(better, torch.full_like(best_upd, update), best_upd)
                        best.copy_(torch.where(net.each(better), net.flat, best))
                        late = active & own_val & (update - best_upd >= patience)
                        if late.any():
                            finish(late.nonzero().flatten(), StopReason.EARLY_STOP)
                elif has_val:
                    h_va.append((where[0][:0], torch.zeros(0)))  # not validated at this update
                flat = active & (gn < config.grad_tol)
                if flat.any():
                    finish(flat.nonzero().flatten(), StopReason.CRITICAL_POINT, grad_norm=[float(v) for v in gn.cpu()])
                if not active.any():
                    break
                prev.copy_(net.flat)
                opt.step(active, lr)
                update += 1
                enough = active & (update >= limit)
                if enough.any():
                    finish(enough.nonzero().flatten(), StopReason.STOPPED_AFTER)
                    if not active.any():
                        break
                if len(ids) >= COMPACT_MIN and int(active.sum()) <= COMPACT_AT * len(ids):
                    keep = active.nonzero().flatten()
                    store((~active).nonzero().flatten())
                    old, net = net, net.take(keep)
                    opt.keep(old, net, keep)
                    X, y, trm, vam, unit, mean, std, log = (t[keep] for t in (X, y, trm, vam, unit, mean, std, log))
                    if has_val and not shared_pass:
                        Xv, yv, vm = Xv[keep], yv[keep], vm[keep]
                    best_val, best_upd, ids, active = best_val[keep], best_upd[keep], ids[keep], active[keep]
                    where[0] = ids.cpu().numpy()
                    limit = limit[keep]
                    own_val = own_val[keep]
                    best = old.rows(best, keep) if best is not None else None
                    prev = old.rows(prev, keep)
                    if order is not None:
                        order = order[keep]
            if progress and h_tr:
                progress(epoch + 1, config.epochs, float(torch.nanmean(h_tr[-1][1].double())))
            if not active.any():
                break
        else:
            finish(active.nonzero().flatten(), StopReason.UPDATES)
    except KeyboardInterrupt:
        if _ABANDON.get():
            raise
        finish(active.nonzero().flatten(), StopReason.INTERRUPTED)
    if active.any():  # stopped by `break` above with members still marked active (cannot happen; be safe)
        finish(active.nonzero().flatten(), StopReason.UPDATES)
    store(torch.arange(len(ids), device=dev))
    hist = {k: _matrix(v, M) for k, v in (("train", h_tr), ("val", h_va), ("grad_norm", h_gn))}
    for i, st in enumerate(stops):  # the last training loss, for the record
        if st is not None and st.loss is None and h_tr:
            col = hist["train"][i]
            ok = col[np.isfinite(col)]
            stops[i] = Stop(st.reason, st.update, float(ok[-1]) if len(ok) else None, st.grad_norm, st.patience, st.lr)
    kept = StackedNet(s, final[0::2], final[1::2], config.dropout, d - s.k, trainable=False)
    if not has_val:
        hist["val"] = np.full_like(hist["train"], np.nan)
    return EngineResult(kept, hist, np.array(h_lr), lr0, stops, best_all if patience else None,
                        time.perf_counter() - t0, passes.cpu().numpy().astype(float))


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
