"""Choose a model by validation, never by the test set (chapter 2): hold-out, k-fold and
time-series splits of the *training* windows (splitters yield indices, not data), the validation
loss of each candidate (folds and seeds trained together), the choice, and its refit.

>>> [v.tolist() for _, v in split_indices(10, parse_scheme("kfold:5"))][:2]
[[0, 1], [2, 3]]
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
from sklearn.model_selection import KFold, ShuffleSplit, TimeSeriesSplit

from . import models
from .errors import ViewcastError
from .series import DailySeries
from .stacked import Member, StackedResult, train_members
from .train import FitResult, TrainConfig, fit_ensemble
from .windows import Features, Prepared, Split, prepare

SCHEMES = ("holdout", "random", "kfold", "timeseries")
RANDOM_WARNING = ("--val random: validation days are drawn at random, so the model sees days after them: "
                  "for a time series this leaks the future; prefer holdout or timeseries")


@dataclass(frozen=True)
class Scheme:
    kind: str  # holdout | random | kfold | timeseries
    value: float  # fraction (holdout, random) or number of folds (kfold, timeseries)
    gap: int = 0  # windows dropped between training and validation parts (holdout, timeseries)

    def __str__(self) -> str:
        v = f"{self.value:g}" if self.kind in ("holdout", "random") else f"{int(self.value)}"
        return f"{self.kind}:{v}" + (f" (gap {self.gap})" if self.gap else "")


def parse_scheme(text: str, gap: int = 0) -> Scheme:
    """'holdout:0.1' | 'random:0.1' | 'kfold:5' | 'timeseries:5' → Scheme."""
    kind, _, val = text.strip().partition(":")
    hint = "use holdout:0.1, random:0.1, kfold:5 or timeseries:5"
    if kind not in SCHEMES:
        raise ViewcastError(f"--val {text}: unknown scheme; {hint}")
    if gap < 0:
        raise ViewcastError(f"--gap {gap}: must be ≥ 0 days")
    try:
        v = float(val) if val else (0.1 if kind in ("holdout", "random") else 5)
    except ValueError:
        raise ViewcastError(f"--val {text}: {val!r} is not a number; {hint}") from None
    if kind in ("holdout", "random") and not 0 < v < 1:
        raise ViewcastError(f"--val {text}: the validation fraction must be between 0 and 1, e.g. {kind}:0.1")
    if kind in ("kfold", "timeseries") and (v != int(v) or v < 2):
        raise ViewcastError(f"--val {text}: the number of folds must be a whole number ≥ 2, e.g. {kind}:5")
    return Scheme(kind, v, gap)


def split_indices(n: int, scheme: Scheme, seed: int = 0) -> list[tuple[np.ndarray, np.ndarray]]:
    """(train_idx, val_idx) pairs over n chronologically ordered training windows."""
    idx = np.arange(n)
    if scheme.kind == "holdout":  # the last fraction, in time order
        n_val = max(1, int(round(n * scheme.value)))
        if n - n_val - scheme.gap < 2:
            raise ViewcastError(f"--val {scheme}: leaves fewer than 2 training days of {n}")
        return [(idx[: n - n_val - scheme.gap], idx[n - n_val:])]
    try:
        if scheme.kind == "random":
            return [tuple(map(np.asarray, next(ShuffleSplit(1, test_size=scheme.value, random_state=seed).split(idx))))]  # type: ignore[misc]
        k = int(scheme.value)
        if k > n // 2:
            raise ViewcastError(f"--val {scheme}: {k} folds need at least {2 * k} training days; there are {n}")
        splitter = KFold(k) if scheme.kind == "kfold" else TimeSeriesSplit(k, gap=scheme.gap)
        return [(tr, va) for tr, va in splitter.split(idx)]
    except ValueError as e:  # sklearn's own checks (too many splits for the gap, an empty part)
        raise ViewcastError(f"--val {scheme}: {e} ({n} training days); use fewer folds, a smaller gap or fraction") from None


@dataclass
class Candidate:
    spec: str
    params: int
    val_mae: np.ndarray  # (folds × seeds,) in views
    train_mae: np.ndarray
    best_update: np.ndarray | None
    stacked: StackedResult = field(repr=False)
    features: Features = Features()

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


@dataclass
class Selection:
    scheme: Scheme
    seeds: tuple[int, ...]
    candidates: list[Candidate]
    chosen: Candidate
    refit: FitResult  # the chosen spec refit on all training days; its .test is the one test loss
    data: Prepared
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


class Interrupted(KeyboardInterrupt):
    """Ctrl-C during validation, carrying the candidates that were finished."""

    def __init__(self, finished: list["Candidate"], total: int):
        super().__init__(f"{len(finished)} of {total} candidates were validated")
        self.finished, self.total = finished, total


SEARCH = (Features(), Features(log=True), Features(weekday=True), Features(log=True, weekday=True))


def evaluate(spec: str | models.Spec, data: Prepared, scheme: Scheme, config: TrainConfig,
             seeds: tuple[int, ...] = (0,), progress: Callable | None = None) -> Candidate:
    """Validation loss of one spec (with data.features): every fold × seed trained together."""
    folds = split_indices(len(data.train), scheme, seed=seeds[0])
    members = [Member(tr, va, seed) for seed in seeds for tr, va in folds]
    st = train_members(spec, data.train, members, config, progress=progress, features=data.features)
    return Candidate(st.spec, st.params, st.val["mae"], st.train["mae"], st.best_update, st, data.features)


def select(series: DailySeries, split: Split, specs: list[str], scheme: Scheme, config: TrainConfig = TrainConfig(),
           seeds: tuple[int, ...] = (0,), show_test: bool = False,
           on_model: Callable[[str, int, int], None] | None = None, progress: Callable | None = None,
           features: tuple[Features, ...] = (Features(),), ensemble: int = 1) -> Selection:
    """Validate every spec × features on the training period, choose the lowest mean validation MAE,
    refit it on all training days (an average of `ensemble` seeds), and score the test period once,
    for the chosen model only (others only if asked). Nothing after the training period is seen
    before the choice is made."""
    parsed = [models.parse(s) for s in specs]
    history = max(p.k for p in parsed)  # every candidate validated on the same days
    prepared: dict[tuple, Prepared] = {}
    cands: list[Candidate] = []
    todo = [(p, f) for f in features for p in parsed]
    for i, (p, f) in enumerate(todo):
        if on_model:
            on_model(f"{p}{f}", i, len(todo))
        if (p.k, f) not in prepared:
            prepared[(p.k, f)] = prepare(series, p.k, split, history=history, normalize=config.normalize, features=f)
        cands.append(evaluate(p, prepared[(p.k, f)], scheme, config, seeds, progress))
        if cands[-1].stacked.interrupted:
            raise Interrupted(cands[:-1], len(todo))
    chosen = min(cands, key=lambda c: c.val_mean if math.isfinite(c.val_mean) else math.inf)

    def data_of(c: Candidate) -> Prepared:
        return prepared[(models.parse(c.spec).k, c.features)]

    refit = _refit(chosen, data_of(chosen), config, on_model, progress, ensemble)
    others = None
    if show_test:
        others = {c.label: _refit(c, data_of(c), config, None, None, ensemble).test["mae"]
                  for c in cands if c is not chosen}
    warnings = [RANDOM_WARNING] if scheme.kind == "random" else []
    return Selection(scheme, seeds, cands, chosen, refit, data_of(chosen), others, warnings)


def _refit(c: Candidate, data: Prepared, config: TrainConfig, on_model, progress, ensemble: int = 1) -> FitResult:
    """Refit on all training days, for the number of updates validation chose when early stopping."""
    if on_model:
        on_model(f"refit {c.label}", 0, 0)
    # best_update counts the updates taken before the best weights: refit for exactly that many
    stop_after = max(1, int(np.median(c.best_update))) if c.best_update is not None else None
    cfg = TrainConfig(**{**config.__dict__, "early_stop": None})
    return fit_ensemble(c.spec, data, cfg, ensemble, progress=progress, stop_after=stop_after)


def validation_curve(series: DailySeries, split: Split, specs: list[str], scheme: Scheme, config: TrainConfig,
                     seeds: tuple[int, ...], on_model: Callable | None = None, progress: Callable | None = None,
                     features: Features = Features()) -> list[Candidate]:
    """Validation (and training) MAE of each spec, averaged over folds × seeds: the U of chapter 2."""
    history = max(models.parse(s).k for s in specs)
    out, prepared = [], {}
    for i, spec in enumerate(specs):
        k = models.parse(spec).k
        if on_model:
            on_model(spec, i, len(specs))
        if k not in prepared:
            prepared[k] = prepare(series, k, split, history=history, normalize=config.normalize, features=features)
        out.append(evaluate(spec, prepared[k], scheme, config, seeds, progress))
    return out


CURVES = {
    "depth": [f"relu:56x100x{n}" for n in (1, 2, 3, 4, 5)],
    "width": [f"relu:56x{h}" for h in (1, 3, 10, 30, 100, 300, 1000)],
    "k": [f"linear:{k}" for k in (1, 2, 7, 14, 28, 42, 56)],
}


def curve_specs(name: str) -> list[str]:
    if name not in CURVES:
        raise ViewcastError(f"--curve {name}: use one of {', '.join(CURVES)}")
    return CURVES[name]


def mean_std(values: np.ndarray) -> tuple[float, float]:
    v = np.asarray(values, dtype=float)
    return float(v.mean()), float(v.std(ddof=1)) if len(v) > 1 else math.nan
