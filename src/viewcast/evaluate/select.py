"""Choose a model by validation, never by the test set (chapter 2): the validation loss of each
candidate (every fold × seed a member of one engine run), the choice, and its refit on all
training days; the test period is scored once, for the chosen model.

>>> from viewcast.features import choose_split
>>> from viewcast.evaluate.validation import parse_scheme
>>> sel = select(s, choose_split(s), ["linear:7", "linear:14"], parse_scheme("kfold:3"), TrainConfig(epochs=100))
>>> [len(c.val_mae) for c in sel.candidates], sel.refit.spec == sel.chosen.spec
([3, 3], True)
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import pandas as pd

from .. import models
from ..data.series import DailySeries
from ..features import Features, Prepared, Scaler, Split, prepare_all
from ..train import FitResult, TrainConfig, fit
from ..train.engine import EngineResult, train
from ..train.members import Member, pack, predict_members
from .losses import masked_mean
from .validation import RANDOM_WARNING, Scheme, split_indices


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

    @property
    def label(self) -> str:
        """'relu:56x100 +log +weekday': the spec and the domain knowledge it was given."""
        return self.spec + str(self.features)

    @property
    def val_mean(self) -> float:
        return float(np.mean(self.val_mae))

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


@dataclass
class Selection:
    source: str
    split: Split
    scheme: Scheme
    seeds: tuple[int, ...]
    candidates: list[Candidate]
    chosen: Candidate
    refit: FitResult  # the chosen spec refit on all training days; its .test is the one test loss
    data: Prepared
    config: TrainConfig
    ensemble: int = 1
    others_test: dict[str, float] | None = None  # only when asked; never used for choosing
    warnings: list[str] = field(default_factory=list)

    def margins(self) -> list[dict]:
        """How far each candidate's validation loss is from the chosen one's (views, %, in fold SDs)."""
        c = self.chosen
        sd = c.val_std
        return [{"model": k.label, "val_mae": k.val_mean, "delta": k.val_mean - c.val_mean,
                 "delta_pct": 100 * (k.val_mean - c.val_mean) / c.val_mean,
                 "delta_sd": (k.val_mean - c.val_mean) / sd if sd > 0 else None}
                for k in self.candidates]

    @property
    def runner_up(self) -> dict | None:
        return min((m for m in self.margins() if m["model"] != self.chosen.label), key=lambda m: m["delta"], default=None)

    def as_dict(self) -> dict:
        """What `viewcast cv --json` prints (without the figure paths)."""
        margins = {m["model"]: m for m in self.margins()}
        rows = []
        for k in self.candidates:
            row = {**k.row(), **{x: margins[k.label][x] for x in ("delta", "delta_pct", "delta_sd")}}
            if self.others_test is not None and k is not self.chosen:
                row["test_mae"], row["test_used_for_choosing"] = self.others_test[k.label], False
            rows.append(row)
        c, r = self.chosen, self.refit
        return {
            "source": self.source, "split": self.split.describe(), "val": str(self.scheme), "seeds": list(self.seeds),
            "models": rows,
            "chosen": {"model": c.label, "spec": c.spec, "log": c.features.log, "weekday": c.features.weekday,
                       "ensemble": self.ensemble, "val_mae_mean": c.val_mean, "val_mae_std": c.val_std,
                       "train_mae": r.train["mae"], "test_mae": r.test["mae"], "test_mse": r.test["mse"],
                       "refit_updates": r.updates, "refit_stop_reason": r.stop_reason},
            "runner_up": self.runner_up, "learning_curve": c.learning_curve(),
            "warnings": self.warnings, "config": self.config.as_dict(),
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per candidate: validation MAE (mean, sd), training MAE, and which was chosen."""
        df = pd.DataFrame([{**k.row(), "chosen": k is self.chosen} for k in self.candidates]).set_index("model")
        return df.drop(columns=["val_mae_folds", "best_update"])

    def _repr_html_(self) -> str:
        return (f"<p>chosen by {self.scheme} validation: <b>{self.chosen.label}</b>; test MAE "
                f"{self.refit.test['mae']:,.4g} (scored once)</p>" + self.to_frame().to_html(float_format=lambda v: f"{v:,.4g}"))


class Interrupted(KeyboardInterrupt):
    """Ctrl-C during validation, carrying the candidates that were finished."""

    def __init__(self, finished: list["Candidate"], total: int):
        super().__init__(f"{len(finished)} of {total} candidates were validated")
        self.finished, self.total = finished, total


def fold_members(data: Prepared, scheme: Scheme, config: TrainConfig, seeds: tuple[int, ...]) -> list[Member]:
    """One member per fold × seed over data.train; each scaled on its own training rows only."""
    folds = split_indices(len(data.train), scheme, seed=seeds[0])
    w, f = data.train, data.features
    return [Member(w, tr, va, Scaler.fit(w.y[tr], log=f.log) if config.normalize else Scaler.identity(), seed,
                   f.weekday, tag=(seed, j))
            for seed in seeds for j, (tr, va) in enumerate(folds)]


def evaluate(spec: str | models.Spec, data: Prepared, scheme: Scheme, config: TrainConfig,
             seeds: tuple[int, ...] = (0,), progress: Callable | None = None) -> Candidate:
    """Validation loss of one spec (with data.features): every fold × seed trained together."""
    members = fold_members(data, scheme, config, seeds)
    batch = pack(members)
    run = train(spec, batch, config, progress=progress)
    preds = predict_members(run.net, members, batch)
    y = data.train.y
    sc = {split: {loss: np.array([masked_mean(np.abs(p - y) if loss == "mae" else (p - y) ** 2, mask)
                                  for p, mask in zip(preds, masks)]) for loss in ("mae", "mse")}
          for split, masks in (("train", batch.train.numpy().astype(bool)), ("val", batch.val.numpy().astype(bool)))}
    s = models.parse(spec) if isinstance(spec, str) else spec
    params = sum(w[0].numel() + b[0].numel() for w, b in zip(run.net.W, run.net.b))
    return Candidate(str(s), params, sc["val"]["mae"], sc["train"]["mae"], run.best_update, run, data.features,
                     sc["val"]["mse"])


def compare(prepared: dict[Features, dict[int, Prepared]], specs: list[str], scheme: Scheme, config: TrainConfig,
            seeds: tuple[int, ...] = (0,), on_model: Callable | None = None, progress: Callable | None = None
            ) -> list[Candidate]:
    """Validate every spec × features (prepared[features][k]) on its training windows: the candidates,
    in order. Ctrl-C raises Interrupted with the finished ones."""
    parsed = [models.parse(s) for s in specs]
    todo = [(p, f) for f in prepared for p in parsed]
    cands: list[Candidate] = []
    for i, (p, f) in enumerate(todo):
        if on_model:
            on_model(f"{p}{f}", i, len(todo))
        cands.append(evaluate(p, prepared[f][p.k], scheme, config, seeds, progress))
        if cands[-1].interrupted:
            raise Interrupted(cands[:-1], len(todo))
    return cands


def choose(cands: list[Candidate]) -> Candidate:
    """The candidate with the lowest mean validation MAE (NaN, e.g. a diverged one, ranks last)."""
    return min(cands, key=lambda c: c.val_mean if math.isfinite(c.val_mean) else math.inf)


def select(series: DailySeries, split: Split, specs: list[str], scheme: Scheme, config: TrainConfig = TrainConfig(),
           seeds: tuple[int, ...] = (0,), show_test: bool = False,
           on_model: Callable[[str, int, int], None] | None = None, progress: Callable | None = None,
           features: tuple[Features, ...] = (Features(),), ensemble: int = 1) -> Selection:
    """Validate every spec × features on the training period, choose the lowest mean validation MAE,
    refit it on all training days (an average of `ensemble` seeds), and score the test period once,
    for the chosen model only (others only if asked). Nothing after the training period is seen
    before the choice is made."""
    ks = [models.parse(s).k for s in specs]
    prepared = {f: prepare_all(series, ks, split, config.normalize, f) for f in features}  # the same days for all
    cands = compare(prepared, specs, scheme, config, seeds, on_model, progress)
    chosen = choose(cands)

    def data_of(c: Candidate) -> Prepared:
        return prepared[c.features][models.parse(c.spec).k]

    refit = refit_candidate(chosen, data_of(chosen), config, on_model, progress, ensemble)
    others = None
    if show_test:
        others = {c.label: refit_candidate(c, data_of(c), config, None, None, ensemble).test["mae"]
                  for c in cands if c is not chosen}
    warnings = [RANDOM_WARNING] if scheme.kind == "random" else []
    return Selection(series.name, split, scheme, seeds, cands, chosen, refit, data_of(chosen), config, ensemble,
                     others, warnings)


def updates_chosen(c: Candidate) -> int | None:
    """The updates a refit takes: the median best update over the members (early stopping), else all.
    best_update counts the updates taken before the best weights: refit for exactly that many."""
    return max(1, int(np.median(c.best_update))) if c.best_update is not None else None


def refit_candidate(c: Candidate, data: Prepared, config: TrainConfig, on_model=None, progress=None,
                    ensemble: int = 1) -> FitResult:
    """Refit on all training days, for the number of updates validation chose when early stopping."""
    if on_model:
        on_model(f"refit {c.label}", 0, 0)
    stop_after = updates_chosen(c)
    return fit(c.spec, data, config.but(early_stop=None), progress=progress, stop_after=stop_after, ensemble=ensemble)
