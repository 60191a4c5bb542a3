"""Candidates and their validation losses (chapter 2): each spec × features validated on the
training windows, every fold × seed — and, for many series, every series — a member of one engine
run (`rules.py` chooses among them).

>>> from viewcast.features import choose_split, prepare
>>> c = evaluate("linear:7", prepare(s, 7, choose_split(s)), parse_scheme("kfold:3"), TrainConfig(epochs=100))
>>> c.label, len(c.val_mae), c.val_mean > 0
('linear:7', 3, True)
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from .. import models
from ..features import Features, Prepared, Scaler
from ..train import TrainConfig
from ..train.chunks import train_members
from ..train.engine import EngineResult
from ..train.members import Member, predict_members
from ..train import losses
from .validation import Scheme, parse_scheme, split_indices  # noqa: F401  (parse_scheme: doctest)


@dataclass
class Candidate:
    spec: str
    params: int
    val_mae: np.ndarray  # (folds × seeds,) in views
    train_mae: np.ndarray
    best_update: np.ndarray | None  # (folds × seeds,) with early stopping
    run: EngineResult = field(repr=False)
    features: Features = Features()
    val_mse: np.ndarray | None = None

    pooled: bool = False  # a global model: one network for all series

    @property
    def label(self) -> str:
        """'relu:56x100 +log +weekday': the spec and the domain knowledge it was given ('… global')."""
        return self.spec + str(self.features) + (" global" if self.pooled else "")

    @property
    def val_mean(self) -> float:
        return float(np.mean(self.val_mae))

    @property
    def val_gmean(self) -> float:
        """The geometric mean of the validation MAEs over folds × seeds: what soft and ratio compare."""
        return float(np.exp(np.mean(np.log(np.maximum(self.val_mae, 1e-12)))))

    @property
    def val_std(self) -> float:
        return float(np.std(self.val_mae, ddof=1)) if len(self.val_mae) > 1 else math.nan  # one run: no spread

    @property
    def interrupted(self) -> bool:
        return self.run.interrupted

    def row(self) -> dict:
        return {"model": self.label, "spec": self.spec, "log": self.features.log, "weekday": self.features.weekday,
                "params": self.params, "val_mae_mean": self.val_mean, "val_mae_std": self.val_std,
                "val_mae_folds": self.val_mae, "train_mae_mean": float(np.mean(self.train_mae)),
                "best_update": self.best_update}

    def learning_curve(self) -> dict:
        """Mean training and validation loss per update over the members, and the median best update."""
        h = self.run.history
        with np.errstate(all="ignore"):
            import warnings

            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN columns after every member stopped
                tr, va = np.nanmean(h["train"], 0), np.nanmean(h["val"], 0)
        return {"model": self.label, "train": tr, "val": va,
                "best_update": None if self.best_update is None else float(np.median(self.best_update))}


class Interrupted(KeyboardInterrupt):
    """Ctrl-C during validation, carrying the candidates that were finished."""

    def __init__(self, finished: list["Candidate"], total: int):
        super().__init__(f"{len(finished)} of {total} candidates were validated")
        self.finished, self.total = finished, total


def fold_members(data: Prepared, scheme: Scheme, config: TrainConfig, seeds: tuple[int, ...]) -> list[Member]:
    """One member per fold × seed over data.train; each scaled on its own training rows only."""
    folds = split_indices(len(data.train), scheme, seed=config.seed)  # the split is the run's, whatever its seeds
    w, f = data.train, data.features
    return [Member(w, tr, va, data.scaler_of(w.take(tr), config.normalize), seed,
                   f.weekday, tag=(seed, j))
            for seed in seeds for j, (tr, va) in enumerate(folds)]


def evaluate(spec: str | models.Spec, data: Prepared, scheme: Scheme, config: TrainConfig,
             seeds: tuple[int, ...] = (0,), progress: Callable | None = None) -> Candidate:
    """Validation loss of one spec (with data.features): every fold × seed trained together."""
    return evaluate_many(spec, [data], scheme, config, seeds, progress)[0]


def evaluate_many(spec: str | models.Spec, datas: list[Prepared], scheme: Scheme, config: TrainConfig,
                  seeds: tuple[int, ...] = (0,), progress: Callable | None = None, chunk: int | None = None
                  ) -> list[Candidate]:
    """`evaluate` for many series at once: series × folds × seeds are members of one engine run."""
    s = models.parse(spec) if isinstance(spec, str) else spec
    per = [fold_members(d, scheme, config, seeds) for d in datas]
    members = [m for ms in per for m in ms]
    run = train_members(s, members, config, chunk, progress)
    preds = predict_members(run.net, members)
    params = sum(w[0].numel() + b[0].numel() for w, b in zip(run.net.W, run.net.b))
    out, a = [], 0
    for d, ms in zip(datas, per):
        rows = list(range(a, a + len(ms)))
        a += len(ms)
        y = d.train.y
        sc = {split: {loss: np.array([losses.masked_mean(losses.errors(preds[r] - y, loss), _mask(members[r], split))
                                      for r in rows]) for loss in ("mae", "mse")} for split in ("train", "val")}
        sub = run.subset(rows)
        out.append(Candidate(str(s), params, sc["val"]["mae"], sc["train"]["mae"], sub.best_update, sub, d.features,
                             sc["val"]["mse"]))
    return out


def _mask(m: Member, split: str) -> np.ndarray:
    out = np.zeros(len(m.windows), dtype=bool)
    out[m.train_idx if split == "train" else m.val_idx] = True
    return out


def evaluate_global(spec: str | models.Spec, datas: list[Prepared], scheme: Scheme, config: TrainConfig,
                    seeds: tuple[int, ...] = (0,), progress: Callable | None = None) -> list[Candidate]:
    """The validation loss, per series, of ONE network trained on all series (each in its own standard
    units): a member per fold × seed, whose rows are every series' rows of that fold."""
    from ..features import Windows
    from ..train.members import pack
    from ..train.engine import train
    from ..train.pooled import standardized

    s = models.parse(spec) if isinstance(spec, str) else spec
    folds = [split_indices(len(d.train), scheme, seed=config.seed) for d in datas]
    members, layout = [], []  # layout[m]: per series (scaler, offset of its rows, its val rows)
    for seed in seeds:
        for j in range(len(folds[0])):
            parts, tr_idx, va_idx, where, at = [], [], [], [], 0
            for d, fs in zip(datas, folds):
                tr, va = fs[min(j, len(fs) - 1)]
                sc = d.features.scaler(d.train.y[tr], config.normalize)
                parts.append(standardized(d.train, sc))
                tr_idx.append(at + tr)
                va_idx.append(at + va)
                where.append((sc, at, va))
                at += len(d.train)
            members.append(Member(Windows.concat(parts), np.concatenate(tr_idx), np.concatenate(va_idx),
                                  Scaler.identity(), seed, datas[0].features.weekday))
            layout.append(where)
    batch = pack(members)
    run = train(s, batch, config, progress=progress)
    preds = predict_members(run.net, members, batch)  # standard units (identity scaler)
    params = sum(w[0].numel() + b[0].numel() for w, b in zip(run.net.W, run.net.b))
    out = []
    for i, d in enumerate(datas):
        mae, mse, tr_mae = [], [], []
        for m, where in enumerate(layout):
            sc, at, va = where[i]
            views = sc.inverse(preds[m][at:at + len(d.train)])
            e = views - d.train.y
            mae.append(np.mean(np.abs(e[va])))
            mse.append(np.mean(e[va] ** 2))
            tr_rows = np.setdiff1d(np.arange(len(d.train)), va)
            tr_mae.append(np.mean(np.abs(e[tr_rows])))
        out.append(Candidate(str(s), params, np.array(mae), np.array(tr_mae), run.best_update, run, d.features,
                             np.array(mse), pooled=True))
    return out


def compare(prepared: dict[Features, dict[int, Prepared]], specs: list[str], scheme: Scheme, config: TrainConfig,
            seeds: tuple[int, ...] = (0,), on_model: Callable | None = None, progress: Callable | None = None
            ) -> list[Candidate]:
    """Validate every spec × features (prepared[features][k]) on its training windows: the candidates,
    in order. Ctrl-C raises Interrupted with the finished ones."""
    return compare_many([prepared], specs, scheme, config, seeds, on_model, progress)[0]


def compare_many(prepared: list[dict[Features, dict[int, Prepared]]], specs: list[str], scheme: Scheme,
                 config: TrainConfig, seeds: tuple[int, ...] = (0,), on_model: Callable | None = None,
                 progress: Callable | None = None, chunk: int | None = None) -> list[list[Candidate]]:
    """`compare` for many series: each spec × features is one engine run over every series."""
    parsed = [models.parse(s) for s in specs]
    todo = [(p, f) for f in prepared[0] for p in parsed]
    cands: list[list[Candidate]] = [[] for _ in prepared]
    for i, (p, f) in enumerate(todo):
        if on_model:
            on_model(f"{p}{f}", i, len(todo))
        got = evaluate_many(p, [pr[f][p.k] for pr in prepared], scheme, config, seeds, progress, chunk)
        for c, g in zip(cands, got):
            c.append(g)
        if any(g.interrupted for g in got):
            raise Interrupted(cands[0][:-1], len(todo))
    return cands


def updates_chosen(c: Candidate) -> int | None:
    """The updates a refit takes: the median best update over the members (early stopping), else all.
    best_update counts the updates taken before the best weights: refit for exactly that many."""
    return max(1, int(np.median(c.best_update))) if c.best_update is not None else None
