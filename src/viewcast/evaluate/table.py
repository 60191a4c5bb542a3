"""Choosing a table's model by validation (chapter 2), as for a series: every spec × number of features
is a candidate, validated on the training rows — each fold × seed a member of one engine run, its K
features chosen and its scaling fitted on that fold's training rows only — the best (by the loss it
was trained with, MSE by default) refit on every training row, and the test part scored once.

A table's rows have no time order, so its folds are drawn at random (`row_folds`).

>>> [len(v) for _, v in row_folds(10, parse_scheme("kfold:5"), seed=0)]
[2, 2, 2, 2, 2]
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import pandas as pd

from .. import models
from ..errors import ViewcastError
from ..features import Prepared, TableScaler, Windows
from ..features.table import fold_columns
from ..train import FitResult, Member, TrainConfig
from ..train import fit as train_fit
from ..train import losses
from ..train.chunks import train_members
from ..train.members import predict_members
from .candidates import Candidate, Interrupted, updates_chosen
from .validation import Scheme, parse_scheme

TABLE_RULES = ("min", "1se")


@dataclass(frozen=True)
class TableRecipe:
    """How a table's models are trained and chosen when told nothing else: the candidates of `viewcast cv
    TABLE --target Y`, and the settings a table's model trains with when no training option but the loss is
    given. How it was chosen (5-fold validation on the homework's 2022 and 2023 training files) and what else
    was tried: docs/homework.md."""

    models: tuple[str, ...] = ("linear", "relu:128")  # the linear model and a wide one-layer ReLU net …
    select: tuple[int | None, ...] = (None,)  # … each reading every feature (None), scaled on the training rows
    lr: float = 1e-2  # a net's η (Adam, standard units), cosine-decayed over the epochs
    linear_lr: float = 0.1  # the linear model's: its features are collinear (a survey question on 5 days), and
    #                         at 1e-2 gradient descent ends ~15% above the exact optimum; at 0.1, ~1%
    weight_decay: float = 3e-4  # a net's L2 penalty: it validated best of 0, 1e-4, 3e-4, 1e-3, 3e-3 and 1e-2
    epochs: int = 1000  # full-batch updates (500 at twice the η validated clearly worse)
    validation: str = "kfold:5"  # random folds: a table's rows have no time order
    rule: str = "min"  # the lowest mean validation loss

    def applies(self, given: TrainConfig) -> bool:
        """No training option was given but the loss (and the seed and device)."""
        return given.but(loss=TrainConfig.loss) == TrainConfig(seed=given.seed, device=given.device)

    def config(self, given: TrainConfig, spec: str, regularize: bool = True) -> TrainConfig:
        """What `spec` trains with: `given`, or when it gives no training option, these settings (its loss,
        seed and device kept). `regularize=False`: no weight decay (the ladder and the diagnosis show a
        model's overfitting as it is)."""
        if not self.applies(given):
            return given
        if models.for_table(spec, 1).kind == "linear":
            return given.but(lr=self.linear_lr, epochs=self.epochs)
        return given.but(lr=self.lr, epochs=self.epochs, weight_decay=self.weight_decay if regularize else 0.0)


TableRecipe.DEFAULT = TableRecipe()  # type: ignore[attr-defined]


def row_folds(n: int, scheme: Scheme, seed: int = 0) -> list[tuple[np.ndarray, np.ndarray]]:
    """(train_idx, val_idx) pairs over n table rows, drawn at random from `seed`: holdout:F (or random:F)
    holds out a random F; kfold:K cuts the shuffled rows into K folds."""
    from sklearn.model_selection import KFold, ShuffleSplit

    bad = dict(param="val", value=str(scheme))
    if scheme.kind in ("timeseries", "rolling"):
        raise ViewcastError("a table's rows have no time order; use kfold:5 or holdout:0.2", **bad)
    if scheme.kind in ("holdout", "random"):
        n_val = max(1, int(round(n * scheme.value)))
        if n - n_val < 2:
            raise ViewcastError(f"leaves fewer than 2 training rows of {n}", **bad)
        tr, va = next(ShuffleSplit(1, test_size=n_val, random_state=seed).split(np.arange(n)))
        return [(np.sort(tr), np.sort(va))]
    k = int(scheme.value)
    if k > n // 2:
        raise ViewcastError(f"{k} folds need at least {2 * k} training rows; there are {n}", **bad)
    return [(tr, va) for tr, va in KFold(k, shuffle=True, random_state=seed).split(np.arange(n))]


@dataclass
class RowCandidate(Candidate):
    """A table's candidate: a spec reading the K best features (select=None: every one)."""

    select: int | None = None
    inputs: int = 0  # the features it reads
    loss: str = "mse"  # what it was trained and is chosen by
    val_loss: np.ndarray = field(default_factory=lambda: np.empty(0))  # (folds × seeds,) of `loss`
    train_loss: np.ndarray = field(default_factory=lambda: np.empty(0))

    @property
    def label(self) -> str:
        """'relu:64 · 16 features' (· every feature)."""
        return f"{self.spec} · " + (f"{self.inputs} feature{'s' * (self.inputs != 1)}" if self.select is not None
                                     else "every feature")

    @property
    def val_mean_loss(self) -> float:
        return float(np.mean(self.val_loss))

    @property
    def val_std_loss(self) -> float:
        return float(np.std(self.val_loss, ddof=1)) if len(self.val_loss) > 1 else math.nan

    def row(self) -> dict:
        L = self.loss
        return {"model": self.label, "spec": self.spec, "select": self.select, "features": self.inputs,
                "params": self.params, f"val_{L}_mean": self.val_mean_loss, f"val_{L}_std": self.val_std_loss,
                f"val_{L}_folds": self.val_loss, f"train_{L}_mean": float(np.mean(self.train_loss)),
                "val_mae_mean": self.val_mean, "best_update": self.best_update}


def members_of(data: Prepared, folds, select: int | None, by: str, config: TrainConfig,
               seeds: tuple[int, ...]) -> list[Member]:
    """One member per fold × seed over data.train: its K columns chosen and its scaler fitted on its own
    training rows."""
    w, out = data.train, []
    for j, (tr, va) in enumerate(folds):
        cols = fold_columns(data, tr, select, by, config.seed)
        rows = Windows(w.X[:, cols], w.y)
        sc = TableScaler.fit(rows.X[tr], rows.y[tr], config.normalize)
        out += [Member(rows, tr, va, sc, seed, tag=(seed, j)) for seed in seeds]
    return out


def run_members(spec: str, data: Prepared, folds, select: int | None, by: str, config: TrainConfig,
                seeds: tuple[int, ...] = (0,), progress: Callable | None = None):
    """Train `spec` once per fold × seed (one engine run): (the members, the run, each member's predictions
    on every row of data.train, in the target's units)."""
    ms = members_of(data, folds, select, by, config, seeds)
    s = models.for_table(spec, ms[0].windows.X.shape[1])
    run = train_members(s, ms, config, None, progress)
    return ms, run, predict_members(run.net, ms)


def validate(spec: str, data: Prepared, folds, select: int | None, by: str, config: TrainConfig,
             seeds: tuple[int, ...] = (0,), progress: Callable | None = None) -> RowCandidate:
    """One candidate's validation losses: every fold × seed trained together."""
    ms, run, preds = run_members(spec, data, folds, select, by, config, seeds, progress)
    k = ms[0].windows.X.shape[1]
    y = data.train.y

    def loss(name: str, part: str) -> np.ndarray:
        return np.array([losses.masked_mean(losses.errors(p - y, name), _mask(m, part)) for p, m in zip(preds, ms)])

    params = sum(w[0].numel() + b[0].numel() for w, b in zip(run.net.W, run.net.b))
    L = config.loss
    return RowCandidate(models.table_name(models.for_table(spec, k)), params, loss("mae", "val"), loss("mae", "train"),
                        run.best_update, run, val_mse=loss("mse", "val"), select=select, inputs=k, loss=L,
                        val_loss=loss(L, "val"), train_loss=loss(L, "train"))


def _mask(m: Member, part: str) -> np.ndarray:
    out = np.zeros(len(m.windows), dtype=bool)
    out[m.train_idx if part == "train" else m.val_idx] = True
    return out


def choose_row(cands: list[RowCandidate], rule: str = "min") -> RowCandidate:
    """'min': the lowest mean validation loss; '1se': the one with fewest parameters (then fewest features)
    among those whose gap to it is within one paired standard error over folds × seeds."""
    if rule not in TABLE_RULES:
        raise ViewcastError(f"a table's models are chosen by {' or '.join(TABLE_RULES)}", param="rule", value=rule)
    finite = sorted((c for c in cands if math.isfinite(c.val_mean_loss)), key=lambda c: c.val_mean_loss)
    if not finite:
        return cands[0]
    best = finite[0]
    if rule == "min":
        return best

    def near(c: RowCandidate) -> bool:
        d = c.val_loss - best.val_loss
        return len(d) > 1 and d.mean() <= d.std(ddof=1) / math.sqrt(len(d))

    return min([best] + [c for c in finite[1:] if near(c)], key=lambda c: (c.params, c.inputs, c.val_mean_loss))


@dataclass
class TableSelection:
    """What `viewcast cv TABLE --target Y` gives: the candidates, the one chosen, its refit, its test loss."""

    source: str
    split: object  # features.RowSplit
    scheme: Scheme
    seeds: tuple[int, ...]
    candidates: list[RowCandidate]
    chosen: RowCandidate
    refit: FitResult  # the chosen spec on every training row, reading the K features chosen on them
    data: Prepared  # the chosen one's training and test rows
    config: TrainConfig
    rule: str = "min"
    warnings: list[str] = field(default_factory=list)

    @property
    def test(self) -> dict:
        return self.refit.test

    def as_dict(self) -> dict:
        """What `viewcast cv TABLE --target Y --json` prints."""
        c, r, L = self.chosen, self.refit, self.config.loss
        cols = self.data.columns
        return {"source": self.source, "target": cols.target, "split": self.split.describe(), "val": str(self.scheme),
                "seeds": list(self.seeds), "loss": L, "rule": self.rule, "models": [k.row() for k in self.candidates],
                "chosen": {"model": c.label, "spec": c.spec, "select": c.select, "features": list(cols.names),
                           f"val_{L}_mean": c.val_mean_loss, f"val_{L}_std": c.val_std_loss,
                           f"train_{L}": r.train[L], f"test_{L}": r.test[L], "test_mae": r.test["mae"],
                           "test_mse": r.test["mse"], "refit_updates": r.updates, "refit_stop_reason": r.stop_reason},
                "selected": [{"feature": n, "score": s, "chosen": k} for n, s, k in cols.ranked()] if cols.by else None,
                "select_by": cols.by, "warnings": self.warnings, "config": self.config.as_dict()}

    def to_frame(self) -> pd.DataFrame:
        """One row per candidate: its validation loss (mean, sd), training loss, and which was chosen."""
        L = self.config.loss
        return pd.DataFrame([{"model": k.label, "params": k.params, f"val_{L}_mean": k.val_mean_loss,
                              f"val_{L}_std": k.val_std_loss, f"train_{L}_mean": float(np.mean(k.train_loss)),
                              "chosen": k is self.chosen} for k in self.candidates]).set_index("model")

    def _repr_html_(self) -> str:
        L = self.config.loss
        return (f"<p>chosen by {self.scheme} validation: <b>{self.chosen.label}</b>; test {L.upper()} "
                f"{self.test[L]:,.4g} (scored once)</p>" + self.to_frame().to_html(float_format=lambda v: f"{v:,.4g}"))


def select_rows(data: Prepared, specs: list[str], selects: list[int | None], scheme: Scheme, config: TrainConfig,
                seeds: tuple[int, ...] = (0,), by: str = "f_regression", rule: str = "min",
                recipe: TableRecipe = TableRecipe.DEFAULT, on_model: Callable | None = None,  # type: ignore[attr-defined]
                progress: Callable | None = None, prepare=None) -> TableSelection:
    """Validate every spec × K on data.train (every feature of the table), each trained as `recipe.config`
    says, choose by `rule`, refit the choice on every training row (its K features chosen on them) and score
    the test part once. `prepare` (select → Prepared) makes the refit's rows."""
    folds = row_folds(len(data.train), scheme, config.seed)
    todo = [(s, k) for k in selects for s in specs]
    cands: list[RowCandidate] = []
    for i, (spec, k) in enumerate(todo):
        if on_model:
            on_model(f"{spec} · {'every feature' if k is None else f'{k} feature' + 's' * (k != 1)}", i, len(todo))
        cands.append(validate(spec, data, folds, k, by, recipe.config(config, spec), seeds, progress))
        if cands[-1].interrupted:
            raise Interrupted(cands[:-1], len(todo))
    chosen = choose_row(cands, rule)
    if on_model:
        on_model(f"refit {chosen.label}", 0, 0)
    rows = prepare(chosen.select)
    cfg = recipe.config(config, chosen.spec)
    refit = train_fit(models.for_table(chosen.spec, rows.k), rows, cfg.but(early_stop=None),
                      stop_after=updates_chosen(chosen), progress=progress)
    refit.spec = chosen.spec
    return TableSelection(data.source, data.split, scheme, seeds, cands, chosen, refit, rows, cfg, rule)


__all__ = ["TableRecipe", "row_folds", "RowCandidate", "run_members", "validate", "choose_row", "TableSelection", "select_rows", "parse_scheme"]
