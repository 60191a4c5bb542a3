"""Train many independent copies of one model at once — the folds of a cross-validation and/or
several seeds — stacked along a leading dimension with torch.func (stack_module_state + vmap).

Each member has its own training rows, validation rows, scaler and initial weights. The total loss
is the sum of the members' losses, so every member's gradient is its own, and Adam/SGD (elementwise)
update each exactly as if it were trained alone — in one vectorized pass instead of one by one.

>>> res = train_members("relu:56x100", windows, [Member(tr, va, seed=0) for tr, va in folds], TrainConfig())  # doctest: +SKIP
>>> res.val_mae.mean()                                                                                          # doctest: +SKIP
"""
from __future__ import annotations

import copy
import math
import time
from dataclasses import dataclass
from typing import Callable

import numpy as np
import torch
from torch.func import functional_call, stack_module_state, vmap

from . import models
from .errors import ViewcastError
from .train import TrainConfig, make_optimizer, make_schedule, pick_device
from .windows import Features, Scaler, Windows, encode


@dataclass(frozen=True)
class Member:
    train_idx: np.ndarray  # rows of the windows this member trains on
    val_idx: np.ndarray  # rows it is validated on (may be empty)
    seed: int = 0  # its initial weights: the same seed gives the same start as `fit`


@dataclass
class StackedResult:
    spec: str
    params: int  # of one member
    train: dict  # {"mae": (M,), "mse": (M,)} in views, on each member's training rows
    val: dict  # likewise on its validation rows
    best_update: np.ndarray | None  # (M,) update whose weights were kept (early stopping)
    history_train: np.ndarray  # (M, updates) training loss (config.loss) in views
    history_val: np.ndarray  # (M, updates) validation loss in views
    updates: int
    stop_reason: str
    seconds: float
    interrupted: bool = False


def train_members(spec: str | models.Spec, windows: Windows, members: list[Member], config: TrainConfig = TrainConfig(),
                  progress: Callable[[int, int, float], None] | None = None,
                  features: Features = Features()) -> StackedResult:
    """Train one copy of `spec` per member on its rows of `windows` (views), all at once."""
    t0 = time.perf_counter()
    s = models.parse(spec) if isinstance(spec, str) else spec
    if windows.X.shape[1] != s.k:
        raise ViewcastError(f"model {s} takes {s.k} days but the windows have {windows.X.shape[1]}")
    dev = pick_device(config.device)
    M, n = len(members), len(windows)
    tr_mask = np.zeros((M, n), dtype=bool)
    va_mask = np.zeros((M, n), dtype=bool)
    for i, m in enumerate(members):
        tr_mask[i, m.train_idx] = True
        va_mask[i, m.val_idx] = True
    if (tr_mask.sum(1) < 2).any():
        raise ViewcastError(f"a validation fold leaves fewer than 2 training days for {s}; use fewer folds")
    # Each member's scaler comes from its own training rows only: (M,)
    scalers = [Scaler.fit(windows.y[m.train_idx], log=features.log) if config.normalize else Scaler.identity()
               for m in members]
    mean, std = np.array([c.mean for c in scalers]), np.array([c.std for c in scalers])
    f32 = dict(dtype=torch.float32, device=dev)
    Xs = torch.as_tensor(np.stack([encode(windows.X, windows.dates, c, features.weekday) for c in scalers]), **f32)  # (M, n, k[+7])
    ys = torch.as_tensor(np.stack([c.transform(windows.y) for c in scalers]), **f32)  # (M, n)
    trm, vam = torch.as_tensor(tr_mask, **f32), torch.as_tensor(va_mask, **f32)
    mean_t, std_t = torch.as_tensor(mean, **f32), torch.as_tensor(std, **f32)
    unit = torch.as_tensor(std if config.loss == "mae" else std ** 2, **f32)  # standard units → views

    nets = []
    for m in members:
        torch.manual_seed(m.seed)
        nets.append(models.build(s, dropout=config.dropout, extra_inputs=features.extra_inputs).to(dev))
    params, buffers = stack_module_state(nets)
    base = copy.deepcopy(nets[0]).to("meta")
    rand = "different" if config.dropout > 0 else "error"
    fwd = vmap(lambda p, b, x: functional_call(base, (p, b), (x,)), in_dims=(0, 0, 0), randomness=rand)

    def per_member(pred: torch.Tensor, y: torch.Tensor, mask: torch.Tensor, loss: str) -> torch.Tensor:
        e = (pred - y).abs() if loss == "mae" else (pred - y) ** 2
        return (e * mask).sum(1) / mask.sum(1).clamp(min=1)  # (M,)

    typical = float(np.mean(np.abs(windows.y)))
    lr = config.learning_rate(typical, s.k)
    full = config.optimizer == "gd" or config.batch_size is None or config.batch_size >= n
    bs = n if full else config.batch_size
    per_epoch = math.ceil(n / bs)
    total = config.epochs * per_epoch
    opt = make_optimizer(config, list(params.values()), lr)
    sched = make_schedule(config, opt, total)
    gen = torch.Generator().manual_seed(members[0].seed)

    h_tr, h_va = [], []
    patience = config.early_stop
    best_val = torch.full((M,), math.inf, device=dev)
    best_upd = torch.zeros(M, dtype=torch.long, device=dev)
    best_params = {k: v.detach().clone() for k, v in params.items()} if patience else None
    has_val = bool(va_mask.any())
    reason, update, interrupted = "updates ran out", 0, False
    last_good = {k: v.detach().clone() for k, v in params.items()}  # restored if the loss becomes non-finite
    try:
        for epoch in range(config.epochs):
            order = torch.arange(n) if full else torch.randperm(n, generator=gen)
            for i in range(per_epoch):
                idx = order[i * bs:(i + 1) * bs].to(dev)
                xb, yb, mb = (Xs, ys, trm) if full else (Xs[:, idx], ys[:, idx], trm[:, idx])
                if config.augment == "scale":
                    xb, yb = _scale_augment(xb, yb, mean_t, std_t, gen, s.k, features.log)
                base.train()
                opt.zero_grad(set_to_none=True)
                pred = fwd(params, buffers, xb)  # (M, batch)
                lm = per_member(pred, yb, mb, config.loss)  # (M,)
                if not torch.isfinite(lm).all():
                    bad = int((~torch.isfinite(lm)).nonzero()[0])
                    reason = (f"diverged at update {update + 1} (member {bad}); kept the weights of update {update}; "
                              f"try a smaller --lr than {lr:g}")
                    with torch.no_grad():
                        for k, v in params.items():
                            v.copy_(last_good[k])
                    break
                last_good = {k: v.detach().clone() for k, v in params.items()}
                lm.sum().backward()
                h_tr.append((lm.detach() * unit).cpu().numpy())
                with torch.no_grad():
                    if not has_val:
                        lv = torch.full((M,), math.nan)
                    elif full and config.dropout == 0 and config.augment == "none":
                        lv = per_member(pred.detach(), ys, vam, config.loss) * unit  # the same forward pass serves
                    else:
                        base.eval()
                        lv = per_member(fwd(params, buffers, Xs), ys, vam, config.loss) * unit
                h_va.append(lv.cpu().numpy())
                if patience and has_val:
                    better = lv < best_val
                    best_val = torch.where(better, lv, best_val)
                    best_upd = torch.where(better, torch.full_like(best_upd, update), best_upd)
                    for k, v in params.items():
                        best_params[k][better] = v.detach()[better]
                    if bool(((update - best_upd) >= patience).all()):
                        reason = f"early stop: no member improved its validation loss for {patience} updates"
                        break
                opt.step()
                if sched:
                    sched.step()
                update += 1
            else:
                if progress:
                    progress(epoch + 1, config.epochs, float(np.mean(h_tr[-1])))
                continue
            break
    except KeyboardInterrupt:
        reason, interrupted = f"interrupted at update {update}", True

    final = best_params if patience and has_val else {k: v.detach() for k, v in params.items()}
    base.eval()
    with torch.no_grad():
        z = fwd(final, buffers, Xs).double().cpu().numpy()  # (M, n) standard units
    views = np.stack([c.inverse(zm) for c, zm in zip(scalers, z)])  # (M, n), back in views (log undone)
    err = views - windows.y[None]
    scores = {split: {"mae": _masked_mean(np.abs(err), mask), "mse": _masked_mean(err ** 2, mask)}
              for split, mask in (("train", tr_mask), ("val", va_mask))}
    if not has_val:
        scores["val"] = {"mae": np.full(M, np.nan), "mse": np.full(M, np.nan)}
    return StackedResult(
        spec=str(s), params=models.n_params(nets[0]), train=scores["train"], val=scores["val"],
        best_update=best_upd.cpu().numpy() if patience and has_val else None,
        history_train=np.array(h_tr).T if h_tr else np.zeros((M, 0)),
        history_val=np.array(h_va).T if h_va else np.zeros((M, 0)),
        updates=update, stop_reason=reason, seconds=time.perf_counter() - t0, interrupted=interrupted)


def _masked_mean(e: np.ndarray, mask: np.ndarray) -> np.ndarray:
    return (e * mask).sum(1) / np.maximum(mask.sum(1), 1)  # (M,)


def _scale_augment(xb, yb, mean, std, gen, k, log):
    """Each window and its target (in views) times one factor in [0.8, 1.25], shared by the members:
    a page twice as popular has twice the views. xb: (M, b, k[+7]), yb: (M, b), mean/std: (M,)."""
    f = torch.exp(torch.empty(yb.shape[1]).uniform_(math.log(0.8), math.log(1.25), generator=gen)).to(yb.device)
    mu, sd = mean[:, None], std[:, None]

    def times(z, fz, mu, sd):
        g = z * sd + mu
        g = torch.log1p(torch.expm1(g) * fz) if log else g * fz
        return (g - mu) / sd

    days = times(xb[..., :k], f[None, :, None], mu[..., None], sd[..., None])
    return torch.cat([days, xb[..., k:]], -1), times(yb, f[None, :], mu, sd)
