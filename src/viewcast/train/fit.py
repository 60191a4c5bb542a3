"""One model fitted to one series: the one-member case of the engine (an ensemble is N members).
Scores in views on the training, validation and test days; the exact optimum beside a linear model.

>>> from viewcast.data.series import DailySeries
>>> from viewcast.features import choose_split, prepare
>>> s = DailySeries("line", 100.0 + np.arange(200.0), pd.Timestamp("2021-01-01"))
>>> r = fit("linear:7", prepare(s, 7, choose_split(s)), TrainConfig(epochs=300))
>>> r.exact["gap_pct"] < 1, r.stop.reason.value
(True, 'updates')
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Callable

import numpy as np
import pandas as pd
import torch

from .. import models
from ..checks import check
from ..errors import ViewcastError
from .losses import scores
from ..features import Features, Prepared, Scaler, Windows, encode
from ..models.exact import exact_linear
from .config import TrainConfig, seed_stream
from .engine import EngineResult
from .members import Member
from .stop import Stop, StopReason, describe


@dataclass
class History:
    """Losses in views, one entry per update (val NaN when there is no validation part)."""

    train: list[float] = field(default_factory=list)  # full-batch: L before the update; else the batch's
    val: list[float] = field(default_factory=list)
    grad_norm: list[float] = field(default_factory=list)  # ‖∇L‖ in standard units
    lr: list[float] = field(default_factory=list)

    @classmethod
    def of(cls, res: EngineResult, i: int) -> "History":
        n = int(np.isfinite(res.history["train"][i]).sum())  # recorded while it trained, NaN after
        row = lambda k: res.history[k][i, :n].tolist()  # noqa: E731
        return cls(row("train"), row("val"), row("grad_norm"), res.lr[:n].tolist())

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
    stop: Stop  # why training stopped (a value; `stop_reason` is its words)
    best_update: int | None  # the update whose weights were kept (early stopping)
    seconds: float
    lr: float  # the η used
    features: Features = Features()  # log scale, weekday inputs
    source: str = ""
    split: object = None  # the Split it was trained and tested on
    train_days: int = 0
    test_days: int = 0
    ensemble: int = 1  # members averaged
    sample_passes: float = 0.0  # training rows × forward-backward passes over its members (the work done)
    warnings: list[str] = field(default_factory=list)
    columns: object = None  # a table's model: the features it reads (features.Columns); None for a series'

    @property
    def stop_reason(self) -> str:
        words = describe(self.stop, self.config.grad_tol)
        return words if self.ensemble == 1 else f"{self.ensemble} members; first: {words}"

    @property
    def interrupted(self) -> bool:
        return self.stop.reason is StopReason.INTERRUPTED

    def predict(self, X: np.ndarray, dates: pd.DatetimeIndex | None = None) -> np.ndarray:
        """Views for each row of X (n, k) in views; `dates` (of the targets) when weekday inputs are on."""
        return predict(self.model, self.scaler, X, dates, self.features.weekday)

    def as_dict(self) -> dict:
        """What `viewcast fit --json` prints."""
        return {"source": self.source, "model": self.spec, "params": self.params,
                "split": self.split.describe() if self.split is not None else None,
                "train_days": self.train_days, "test_days": self.test_days, "train": self.train, "test": self.test,
                "exact": self.exact, "updates": self.updates, "stop_reason": self.stop_reason, "stop": self.stop.as_dict(),
                "lr": self.lr, "seconds": self.seconds, "interrupted": self.interrupted, "config": self.config.as_dict(),
                "val": self.val, "best_update": self.best_update,
                "features": {"log": self.features.log, "weekday": self.features.weekday}, "ensemble": self.ensemble,
                **({"table": self.columns.as_dict()} if self.columns is not None else {})}

    def to_frame(self) -> pd.DataFrame:
        """Train / validation / test MAE and MSE in views, one row each."""
        rows = {"train": self.train, "val": self.val, "test": self.test}
        if self.exact:
            rows["exact optimum (train)"] = {"mae": self.exact["mae"], "mse": self.exact["mse"]}
        return pd.DataFrame({k: v for k, v in rows.items() if v}).T

    def _repr_html_(self) -> str:
        return (f"<p><b>{self.spec}</b> on {self.source}: {self.params:,} parameters, {self.updates:,} updates "
                f"({self.stop_reason})</p>" + self.to_frame().to_html(float_format=lambda v: f"{v:,.4g}"))


def predict(model: torch.nn.Module, scaler: Scaler, X: np.ndarray, dates: pd.DatetimeIndex | None = None,
            weekday: bool = False) -> np.ndarray:
    """Predictions in views for windows X (n, k) in views whose targets fall on `dates`."""
    if weekday and dates is None:
        raise ViewcastError("this model takes the weekday of the predicted day: pass the dates")
    model.eval()
    dev = next(model.parameters()).device
    with torch.no_grad():
        z = model(torch.as_tensor(encode(X, dates, scaler, weekday), dtype=torch.float32, device=dev))
    return scaler.views(z.double().cpu().numpy(), X)


def fit(spec: str | models.Spec, data: Prepared, config: TrainConfig = TrainConfig(),
        val: Windows | None = None, progress: Callable[[int, int, float], None] | None = None,
        train_windows: Windows | None = None, stop_after: int | None = None, ensemble: int = 1) -> FitResult:
    """Train `spec` on data.train (or `train_windows`, e.g. one fold), scoring data.test and `val`.
    `stop_after` ends the run after that many updates (the η schedule still spans all epochs):
    how a model is refit for the number of updates validation chose. `ensemble` N trains N members
    from seeds seed·N … seed·N+N−1 (`seed_stream`) together and averages them."""
    return fit_many(spec, [data], config, [val], [train_windows], stop_after, ensemble, progress=progress)[0]


def fit_many(spec: str | models.Spec, datas: list[Prepared], config: TrainConfig = TrainConfig(),
             vals: list[Windows | None] | None = None, train_windows: list[Windows | None] | None = None,
             stop_after: int | list[int | None] | None = None, ensemble: int = 1, chunk: int | None = None,
             progress: Callable | None = None) -> list[FitResult]:
    """`fit` for many series at once: every series × ensemble seed is a member of one engine run
    (in memory-bounded chunks); each series' result equals fitting it alone. `stop_after`: one number
    for all, or one per series (None: all the updates)."""
    s = models.parse(spec) if isinstance(spec, str) else spec
    check(ensemble=ensemble)
    vals = vals or [None] * len(datas)
    train_windows = train_windows or [None] * len(datas)
    members, parts = [], []
    for data, val, tw in zip(datas, vals, train_windows):
        if s.k != data.k:
            raise ViewcastError(f"model {s} takes {s.k} days but the windows have {data.k}")
        tr = tw if tw is not None else data.train
        scaler = data.scaler
        if tw is not None and config.normalize:  # scaling from the rows trained on, never the validation part
            scaler = data.scaler_of(tw)
        rows = Windows.concat([tr, val]) if val is not None and len(val) else tr
        tr_idx, va_idx = np.arange(len(tr)), np.arange(len(tr), len(rows))
        members += [Member(rows, tr_idx, va_idx, scaler, s, data.features.weekday) for s in seed_stream(config.seed, ensemble)]
        parts.append((data, tr, val if val is not None and len(val) else None, scaler))
    from .chunks import train_members

    if isinstance(stop_after, (list, tuple)):  # one per series → one per member (0: no limit)
        stop_after = np.repeat([v or 0 for v in stop_after], ensemble)
    res = train_members(s, members, config, chunk, progress, stop_after)
    return [_result(s, res.subset(list(range(j * ensemble, (j + 1) * ensemble))), config, ensemble, *part)
            for j, part in enumerate(parts)]


def fit_seeds(spec: str | models.Spec, data: Prepared, config: TrainConfig, seeds: list[int] | tuple[int, ...],
              progress: Callable | None = None) -> list[FitResult]:
    """One network per seed, trained side by side as members of one engine run, each scored alone (its
    FitResult's config carries its seed): how much a model's losses move with nothing but its seed.
    A member trains as it would alone, up to float rounding (a stack of several multiplies by baddbmm,
    one network alone by F.linear).

    >>> from viewcast.data.series import DailySeries
    >>> from viewcast.features import choose_split, prepare
    >>> s = DailySeries("line", 100.0 + np.arange(200.0), pd.Timestamp("2021-01-01"))
    >>> [r.config.seed for r in fit_seeds("relu:7x4", prepare(s, 7, choose_split(s)), TrainConfig(epochs=20), [1, 2])]
    [1, 2]
    """
    s = models.parse(spec) if isinstance(spec, str) else spec
    if s.k != data.k:
        raise ViewcastError(f"model {s} takes {s.k} days but the windows have {data.k}")
    from .chunks import train_members

    rows = data.train
    members = [Member(rows, np.arange(len(rows)), np.arange(0), data.scaler, seed, data.features.weekday)
               for seed in seeds]
    res = train_members(s, members, config, progress=progress)
    return [_result(s, res.subset([j]), config.but(seed=seed), 1, data, rows, None, data.scaler)
            for j, seed in enumerate(seeds)]


def _result(s: models.Spec, res: EngineResult, config: TrainConfig, ensemble: int, data: Prepared, tr: Windows,
            val: Windows | None, scaler: Scaler) -> FitResult:
    """One series' FitResult from its members of an engine run (scores in views)."""
    feats = data.features
    nets = [res.net.module(i) for i in range(ensemble)]
    model = nets[0] if ensemble == 1 else models.Ensemble(nets).eval()
    tr_pred = predict(model, scaler, tr.X, tr.dates, feats.weekday)
    te_pred = predict(model, scaler, data.test.X, data.test.dates, feats.weekday)
    best = None if res.best_update is None or res.best_update[0] < 0 else int(res.best_update[0])
    return FitResult(
        spec=str(s), config=config, model=model, scaler=scaler, k=s.k, params=models.n_params(model),
        train=scores(tr_pred, tr.y), test=scores(te_pred, data.test.y),
        val=scores(predict(model, scaler, val.X, val.dates, feats.weekday), val.y) if val is not None else None,
        exact=_exact(s, tr, data.test, config.loss, tr_pred) if s.kind == "linear" and feats == Features() else None,
        history=History.of(res, 0), updates=int(res.stops[0].update), stop=res.stops[0], best_update=best,
        seconds=res.seconds, lr=res.lr0, features=feats, source=data.source, split=data.split,
        train_days=len(tr), test_days=len(data.test), ensemble=ensemble, sample_passes=res.sample_passes,
        columns=data.columns)


def fit_ensemble(spec: str | models.Spec, data: Prepared, config: TrainConfig, n: int, **kw) -> FitResult:
    """Average of `n` networks trained together from seeds seed·n … seed·n + n − 1 (`seed_stream`)."""
    return fit(spec, data, config, ensemble=n, **kw)


def _exact(s: models.Spec, tr: Windows, te: Windows, loss: str, gd_pred: np.ndarray) -> dict:
    w, b = exact_linear(tr.X, tr.y, loss)
    pred = tr.X @ w + b
    out = {"loss": loss, "w": w.tolist(), "b": b, **scores(pred, tr.y),
           "test": scores(te.X @ w + b, te.y)}
    gd_loss = scores(gd_pred, tr.y)[loss]
    out["gap"] = gd_loss - out[loss]  # GD's training loss minus the optimum's, in views (views² for mse)
    out["gap_pct"] = 100.0 * out["gap"] / out[loss] if out[loss] > 0 else 0.0
    return out
