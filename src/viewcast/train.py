"""Step 3: θ* = argmin L(θ) by gradient descent. The loop lives apart from the models and
records a history (loss per update) that diagnosis reads.

>>> cfg = TrainConfig(optimizer="gd", lr=0.1, epochs=500)                 # doctest: +SKIP
>>> fit("linear:7", prepared, cfg).train["mae"]                           # doctest: +SKIP
"""
from __future__ import annotations

import copy
import math
import time
from dataclasses import asdict, dataclass, field
from typing import Callable

import numpy as np
import pandas as pd
import torch

from . import losses, models
from .errors import ViewcastError
from .exact import exact_linear
from .windows import Features, Prepared, Scaler, Windows, encode

OPTIMIZERS = ("gd", "sgd", "adam")
SCHEDULES = ("cosine", "constant")
AUGMENTS = ("none", "scale")


@dataclass(frozen=True)
class TrainConfig:
    loss: str = "mae"  # the book's L: mean absolute error (or mse)
    optimizer: str = "adam"  # gd: full-batch θ ← θ − η∇L; sgd: mini-batch with momentum; adam
    lr: float | None = None  # η; None: 1e-2 (adam), 0.1 (gd), 0.01 (sgd) in standard units
    epochs: int = 1000  # passes over the training days; full batch: one update each
    batch_size: int | None = None  # None: the whole training set (gd is always full batch)
    momentum: float = 0.9  # sgd only
    schedule: str = "cosine"  # cosine decay of η to 0 over the run settles MAE's kinks; or constant
    seed: int = 0  # same seed, same weights, same numbers
    normalize: bool = True  # train in standard units; False trains on raw views (needs a tiny η)
    weight_decay: float = 0.0  # L2 penalty on all weights
    dropout: float = 0.0  # after every hidden activation, training only
    early_stop: int | None = None  # patience in updates on the validation loss; restores the best
    grad_tol: float = 1e-7  # stop when ‖∇L‖ falls below this: a critical point
    augment: str = "none"  # 'scale': each window and its target times one random factor
    device: str = "auto"  # auto: cuda when available, else cpu

    def __post_init__(self):
        if self.loss not in losses.LOSSES:
            raise ViewcastError(f"--loss {self.loss}: unknown; use mae or mse")
        if self.optimizer not in OPTIMIZERS:
            raise ViewcastError(f"--optimizer {self.optimizer}: unknown; use gd, sgd or adam")
        if self.schedule not in SCHEDULES:
            raise ViewcastError(f"--schedule {self.schedule}: unknown; use cosine or constant")
        if self.augment not in AUGMENTS:
            raise ViewcastError(f"--augment {self.augment}: unknown; use none or scale")
        if self.lr is not None and not (self.lr > 0 and math.isfinite(self.lr)):
            raise ViewcastError(f"--lr {self.lr}: the learning rate must be a positive number, e.g. 0.01")
        if self.epochs < 1:
            raise ViewcastError(f"--epochs {self.epochs}: must be at least 1")
        if self.batch_size is not None and self.batch_size < 1:
            raise ViewcastError(f"--batch-size {self.batch_size}: must be at least 1")
        if not 0.0 <= self.dropout < 1.0:
            raise ViewcastError(f"--dropout {self.dropout}: must be in [0, 1)")
        if self.weight_decay < 0:
            raise ViewcastError(f"--weight-decay {self.weight_decay}: must be ≥ 0")
        if self.early_stop is not None and self.early_stop < 1:
            raise ViewcastError(f"--early-stop {self.early_stop}: patience must be at least 1 update")

    def learning_rate(self, typical: float = 1.0, k: int = 1) -> float:
        """η: the given one, or a default. `typical`: mean |views| of the targets, for raw units."""
        if self.lr is not None:
            return self.lr
        base = {"adam": 1e-2, "gd": 0.1, "sgd": 0.01}[self.optimizer]
        if self.normalize:
            return base
        # Raw views: the gradient grows with the size of x (MAE) or of x·e (MSE), so η must shrink
        # by as much — the book's tiny η.
        typical = max(typical, 1e-12)
        return base / 10 / typical if self.loss == "mae" else base / (k * typical ** 2)


@dataclass
class History:
    """Losses in views, one entry per update (val/test NaN when there is no such set)."""

    train: list[float] = field(default_factory=list)  # full-batch: L before the update; else the batch's
    val: list[float] = field(default_factory=list)
    test: list[float] = field(default_factory=list)
    grad_norm: list[float] = field(default_factory=list)  # ‖∇L‖ in standard units
    lr: list[float] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {k: [None if not math.isfinite(v) else v for v in vals] for k, vals in asdict(self).items()}


@dataclass
class FitResult:
    spec: str
    config: TrainConfig
    model: torch.nn.Module  # in eval mode, on the CPU
    scaler: Scaler
    k: int
    params: int
    train: dict  # {"mae": views, "mse": views²}
    test: dict
    val: dict | None
    exact: dict | None  # linear only: {"mae", "mse", "gap", "w", "b"} of the exact optimum of config.loss
    history: History
    updates: int
    stop_reason: str
    best_update: int | None  # the update whose weights were kept (early stopping)
    seconds: float
    interrupted: bool = False
    features: Features = Features()  # log scale, weekday inputs

    def predict(self, X: np.ndarray, dates: pd.DatetimeIndex | None = None) -> np.ndarray:
        """Views for each row of X (n, k) in views; `dates` (of the targets) when weekday inputs are on."""
        return predict(self.model, self.scaler, X, dates, self.features.weekday)


def pick_device(name: str) -> torch.device:
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(name)


def predict(model: torch.nn.Module, scaler: Scaler, X: np.ndarray, dates: pd.DatetimeIndex | None = None,
            weekday: bool = False) -> np.ndarray:
    """Predictions in views for windows X (n, k) in views whose targets fall on `dates`."""
    if weekday and dates is None:
        raise ViewcastError("this model takes the weekday of the predicted day: pass the dates")
    model.eval()
    dev = next(model.parameters()).device
    with torch.no_grad():
        z = model(torch.as_tensor(encode(X, dates, scaler, weekday), dtype=torch.float32, device=dev))
    return scaler.inverse(z.double().cpu().numpy())


def scores(pred: np.ndarray, y: np.ndarray) -> dict:
    return {"mae": losses.mae(pred, y), "mse": losses.mse(pred, y)}


def _tensor(w: Windows, scaler: Scaler, dev: torch.device, weekday: bool = False) -> tuple[torch.Tensor, torch.Tensor]:
    X = torch.as_tensor(encode(w.X, w.dates, scaler, weekday), dtype=torch.float32, device=dev)
    y = torch.as_tensor(scaler.transform(w.y), dtype=torch.float32, device=dev)
    return X, y


def fit(spec: str | models.Spec, data: Prepared, config: TrainConfig = TrainConfig(),
        val: Windows | None = None, progress: Callable[[int, int, float], None] | None = None,
        train_windows: Windows | None = None, stop_after: int | None = None) -> FitResult:
    """Train `spec` on data.train (or `train_windows`, e.g. one fold), scoring data.test and `val`.
    `stop_after` ends the run after that many updates (the η schedule still spans all epochs):
    how a model is refit for the number of updates validation chose."""
    t0 = time.perf_counter()
    s = models.parse(spec) if isinstance(spec, str) else spec
    if s.k != data.k:
        raise ViewcastError(f"model {s} takes {s.k} days but the windows have {data.k}")
    dev = pick_device(config.device)
    torch.manual_seed(config.seed)
    gen = torch.Generator().manual_seed(config.seed)
    feats = data.features
    model = models.build(s, dropout=config.dropout, extra_inputs=feats.extra_inputs).to(dev)
    scaler = data.scaler
    if train_windows is not None and config.normalize:  # scaling from the rows trained on, never the validation part
        scaler = Scaler.fit(train_windows.y, log=data.features.log)
    tr = train_windows if train_windows is not None else data.train
    Xtr, ytr = _tensor(tr, scaler, dev, feats.weekday)
    Xte, yte = _tensor(data.test, scaler, dev, feats.weekday)
    Xva, yva = _tensor(val, scaler, dev, feats.weekday) if val is not None and len(val) else (None, None)

    loss_fn = losses.get(config.loss)
    unit = scaler.std if config.loss == "mae" else scaler.std ** 2  # standard units → views
    lr = config.learning_rate(float(np.mean(np.abs(tr.y))), s.k)
    n = len(ytr)
    full = config.optimizer == "gd" or config.batch_size is None or config.batch_size >= n
    bs = n if full else config.batch_size
    per_epoch = math.ceil(n / bs)
    total = config.epochs * per_epoch
    opt = make_optimizer(config, model.parameters(), lr)
    sched = make_schedule(config, opt, total)

    hist = History()
    best = (math.inf, None, None)  # (val loss, update, state)
    reason, update, interrupted = "updates ran out", 0, False
    last_good = copy.deepcopy(model.state_dict())
    try:
        for epoch in range(config.epochs):
            order = torch.arange(n) if full else torch.randperm(n, generator=gen)
            for i in range(per_epoch):
                idx = order[i * bs:(i + 1) * bs].to(dev)
                xb, yb = (Xtr, ytr) if full else (Xtr[idx], ytr[idx])
                if config.augment == "scale":
                    xb, yb = _scale_augment(xb, yb, scaler, gen, s.k)
                model.train()
                opt.zero_grad(set_to_none=True)
                loss = loss_fn(model(xb), yb)
                if not torch.isfinite(loss):
                    model.load_state_dict(last_good)
                    reason = (f"diverged at update {update + 1}: the loss became {loss.item()}; "
                              f"kept the weights of update {update}; try a smaller --lr than {lr:g}")
                    raise _Stop
                loss.backward()
                gnorm = float(torch.sqrt(sum((p.grad ** 2).sum() for p in model.parameters() if p.grad is not None)))
                hist.train.append(float(loss.detach()) * unit)
                hist.grad_norm.append(gnorm)
                hist.lr.append(opt.param_groups[0]["lr"])
                _evaluate(model, loss_fn, unit, hist, Xva, yva, Xte, yte)
                if Xva is not None and config.early_stop:
                    if hist.val[-1] < best[0] or best[1] is None:  # a NaN first loss still starts the count
                        best = (hist.val[-1], update, copy.deepcopy(model.state_dict()))
                    elif update - best[1] >= config.early_stop:
                        reason = f"early stop: no better validation loss for {config.early_stop} updates"
                        raise _Stop
                if gnorm < config.grad_tol:
                    reason = f"gradient ≈ 0 (‖∇L‖ = {gnorm:.2g} < {config.grad_tol:g}): a critical point"
                    raise _Stop
                last_good = {k: v.detach().clone() for k, v in model.state_dict().items()}  # small models: cheap
                opt.step()
                if sched:
                    sched.step()
                update += 1
                if stop_after is not None and update >= stop_after:
                    reason = f"stopped after {update} updates, the number validation chose"
                    raise _Stop
            if progress:
                progress(epoch + 1, config.epochs, hist.train[-1])
    except _Stop:
        pass
    except KeyboardInterrupt:
        reason, interrupted = f"interrupted at update {update}", True

    best_update = None
    if best[2] is not None:
        model.load_state_dict(best[2])
        best_update = best[1]
    model.eval()
    model = model.cpu()
    tr_pred = predict(model, scaler, tr.X, tr.dates, feats.weekday)
    te_pred = predict(model, scaler, data.test.X, data.test.dates, feats.weekday)
    result = FitResult(
        spec=str(s), config=config, model=model, scaler=scaler, k=s.k, params=models.n_params(model),
        train=scores(tr_pred, tr.y), test=scores(te_pred, data.test.y),
        val=scores(predict(model, scaler, val.X, val.dates, feats.weekday), val.y) if Xva is not None else None,
        exact=_exact(s, tr, data.test, config.loss, tr_pred) if s.kind == "linear" and feats == Features() else None,
        history=hist, updates=update, stop_reason=reason, best_update=best_update,
        seconds=time.perf_counter() - t0, interrupted=interrupted, features=feats,
    )
    return result


def make_schedule(config: TrainConfig, opt: torch.optim.Optimizer, total: int):
    """Cosine decay of η to 0 over `total` updates (or None for a constant η)."""
    if config.schedule != "cosine":
        return None
    return torch.optim.lr_scheduler.LambdaLR(opt, lambda t: 0.5 * (1 + math.cos(math.pi * min(t, total) / total)))


class _Stop(Exception):
    pass


def make_optimizer(config: TrainConfig, params, lr: float) -> torch.optim.Optimizer:
    """gd: θ ← θ − η∇L (no momentum); sgd: with momentum; adam. Weight decay is an L2 penalty."""
    p, wd = params, config.weight_decay
    if config.optimizer == "adam":
        return torch.optim.Adam(p, lr=lr, weight_decay=wd)
    if config.optimizer == "sgd":
        return torch.optim.SGD(p, lr=lr, momentum=config.momentum, weight_decay=wd)
    return torch.optim.SGD(p, lr=lr, momentum=0.0, weight_decay=wd)  # gd: θ ← θ − η∇L


def _evaluate(model, loss_fn, unit, hist, Xva, yva, Xte, yte) -> None:
    model.eval()
    with torch.no_grad():
        hist.val.append(float(loss_fn(model(Xva), yva)) * unit if Xva is not None else math.nan)
        hist.test.append(float(loss_fn(model(Xte), yte)) * unit)


def _scale_augment(xb, yb, scaler, gen, k):
    """Multiply each window and its target (in views) by one factor in [0.8, 1.25]: a page twice
    as popular has twice the views. Only the k day inputs scale; weekday inputs stay."""
    f = torch.exp(torch.empty(len(yb)).uniform_(math.log(0.8), math.log(1.25), generator=gen)).to(yb.device)
    days = scaler.times(xb[:, :k], f[:, None])
    return torch.cat([days, xb[:, k:]], 1), scaler.times(yb, f)


def fit_ensemble(spec: str | models.Spec, data: Prepared, config: TrainConfig, n: int, **kw) -> FitResult:
    """Average of `n` networks trained from seeds config.seed, config.seed + 1, … (`--ensemble N`)."""
    if n < 1:
        raise ViewcastError(f"--ensemble {n}: must be at least 1")
    runs = []
    for i in range(n):
        runs.append(fit(spec, data, TrainConfig(**{**config.__dict__, "seed": config.seed + i}), **kw))
        if runs[-1].interrupted:  # one Ctrl-C stops the whole ensemble
            break
    n = len(runs)
    if n == 1:
        return runs[0]
    first = runs[0]
    model = models.Ensemble([r.model for r in runs]).eval()
    tr = kw.get("train_windows") or data.train
    val = kw.get("val")
    w = data.features.weekday
    return FitResult(
        spec=first.spec, config=config, model=model, scaler=first.scaler, k=first.k, params=models.n_params(model),
        train=scores(predict(model, first.scaler, tr.X, tr.dates, w), tr.y),
        test=scores(predict(model, first.scaler, data.test.X, data.test.dates, w), data.test.y),
        val=scores(predict(model, first.scaler, val.X, val.dates, w), val.y) if val is not None else None,
        exact=first.exact, history=first.history, updates=first.updates,
        stop_reason=f"{n} members; first: {first.stop_reason}", best_update=first.best_update,
        seconds=sum(r.seconds for r in runs), interrupted=any(r.interrupted for r in runs), features=data.features)


def _exact(s: models.Spec, tr: Windows, te: Windows, loss: str, gd_pred: np.ndarray) -> dict:
    w, b = exact_linear(tr.X, tr.y, loss)
    pred = tr.X @ w + b
    out = {"loss": loss, "w": w.tolist(), "b": b, **scores(pred, tr.y),
           "test": scores(te.X @ w + b, te.y)}
    gd_loss = scores(gd_pred, tr.y)[loss]
    out["gap"] = gd_loss - out[loss]  # GD's training loss minus the optimum's, in views (views² for mse)
    out["gap_pct"] = 100.0 * out["gap"] / out[loss] if out[loss] > 0 else 0.0
    return out
