"""Validation schemes over the *training* windows (chapter 2): hold-out, random, k-fold,
time-series splits, and rolling origins over the most recent days. Splitters yield indices, not
data (scikit-learn's do the folds).

>>> [v.tolist() for _, v in split_indices(10, parse_scheme("kfold:5"))][:2]
[[0, 1], [2, 3]]
>>> [v.tolist() for _, v in split_indices(10, parse_scheme("holdout:0.2"))]
[[8, 9]]
>>> [(len(t), v.tolist()) for t, v in split_indices(20, parse_scheme("rolling:2:0.2"))]
[(16, [16, 17]), (18, [18, 19])]
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from ..errors import ViewcastError
from ..text.i18n import t

SCHEMES = ("holdout", "random", "kfold", "timeseries", "rolling")
ROLLING_FRACTION = 0.2  # rolling origins cover the last 20% of the training windows by default
RANDOM_WARNING = t("cli.diag.warn.random", "en")  # "random validation: … leaks the future: prefer holdout or timeseries"


@dataclass(frozen=True)
class Scheme:
    kind: str  # holdout | random | kfold | timeseries | rolling
    value: float  # fraction (holdout, random) or number of folds (kfold, timeseries, rolling)
    gap: int = 0  # windows dropped between training and validation parts (holdout, timeseries, rolling)
    fraction: float = ROLLING_FRACTION  # rolling: the share of the most recent windows its blocks cover

    def __post_init__(self) -> None:  # a Scheme built in Python is held to what parse_scheme refuses
        if self.gap < 0:
            raise ViewcastError("must be ≥ 0 days", param="gap", value=self.gap)
        if self.gap and self.kind in ("kfold", "random"):
            raise ViewcastError(f"{self.kind} folds mix days from before and after each other: a gap is for "
                                "holdout, timeseries and rolling", param="gap", value=self.gap,
                                hint="leave the gap out")

    def __str__(self) -> str:
        v = f"{self.value:g}" if self.kind in ("holdout", "random") else f"{int(self.value)}"
        if self.kind == "rolling" and self.fraction != ROLLING_FRACTION:
            v += f":{self.fraction:g}"
        return f"{self.kind}:{v}" + (f" (gap {self.gap})" if self.gap else "")

    @property
    def spec(self) -> str:
        """The text that parses back to this scheme (without the gap)."""
        return str(Scheme(self.kind, self.value, 0, self.fraction))


def parse_scheme(text: str | Scheme, gap: int = 0) -> Scheme:
    """'holdout:0.1' | 'random:0.1' | 'kfold:5' | 'timeseries:5' | 'rolling:4[:0.2]' → Scheme."""
    if isinstance(text, Scheme):
        return replace(text, gap=gap) if gap else text
    kind, _, val = text.strip().partition(":")
    hint = "use holdout:0.1, random:0.1, kfold:5, timeseries:5 or rolling:4"
    fraction = ROLLING_FRACTION
    if kind == "rolling" and ":" in val:
        val, _, frac = val.partition(":")
        try:
            fraction = float(frac)
        except ValueError:
            raise ViewcastError(f"{frac!r} is not a number", param="val", value=text, hint=hint) from None
        if not 0 < fraction < 1:
            raise ViewcastError("the share of recent days must be between 0 and 1, e.g. rolling:4:0.2",
                                param="val", value=text)
    if kind not in SCHEMES:
        raise ViewcastError("unknown validation scheme", param="val", value=text, hint=hint)
    try:
        v = float(val) if val else (0.1 if kind in ("holdout", "random") else 5)
    except ValueError:
        raise ViewcastError(f"{val!r} is not a number", param="val", value=text, hint=hint) from None
    if kind in ("holdout", "random") and not 0 < v < 1:
        raise ViewcastError(f"the validation fraction must be between 0 and 1, e.g. {kind}:0.1", param="val", value=text)
    if kind in ("kfold", "timeseries") and (v != int(v) or v < 2):
        raise ViewcastError(f"the number of folds must be a whole number ≥ 2, e.g. {kind}:5", param="val", value=text)
    if kind == "rolling" and (v != int(v) or v < 1):
        raise ViewcastError("the number of origins must be a whole number ≥ 1, e.g. rolling:4", param="val", value=text)
    return Scheme(kind, v, gap, fraction)  # which refuses a negative gap, or one with kfold or random folds


def split_indices(n: int, scheme: Scheme, seed: int = 0) -> list[tuple[np.ndarray, np.ndarray]]:
    """(train_idx, val_idx) pairs over n chronologically ordered training windows."""
    from sklearn.model_selection import KFold, ShuffleSplit, TimeSeriesSplit  # here: the CLI parses without sklearn

    idx = np.arange(n)
    bad = dict(param="val", value=str(scheme))
    if scheme.kind == "holdout":  # the last fraction, in time order
        n_val = max(1, int(round(n * scheme.value)))
        if n - n_val - scheme.gap < 2:
            raise ViewcastError(f"leaves fewer than 2 training days of {n}", **bad)
        return [(idx[: n - n_val - scheme.gap], idx[n - n_val:])]
    try:
        if scheme.kind == "random":
            return [tuple(map(np.asarray, next(ShuffleSplit(1, test_size=scheme.value, random_state=seed).split(idx))))]  # type: ignore[misc]
        k = int(scheme.value)
        if scheme.kind == "rolling":  # the last `fraction` of the windows in k blocks, each after all before it
            block = max(1, int(round(n * scheme.fraction / k)))
            if n - k * block - scheme.gap < 2:
                raise ViewcastError(f"leaves fewer than 2 training days of {n}", **bad)
            return [(tr, va) for tr, va in TimeSeriesSplit(k, test_size=block, gap=scheme.gap).split(idx)]
        if k > n // 2:
            raise ViewcastError(f"{k} folds need at least {2 * k} training days; there are {n}", **bad)
        splitter = KFold(k) if scheme.kind == "kfold" else TimeSeriesSplit(k, gap=scheme.gap)
        return [(tr, va) for tr, va in splitter.split(idx)]
    except ValueError as e:  # sklearn's own checks (too many splits for the gap, an empty part)
        if isinstance(e, ViewcastError):
            raise
        raise ViewcastError(f"{e} ({n} training days)", hint="use fewer folds, a smaller gap or fraction", **bad) from None


def fit_parts(train, validation: str | Scheme | None, config) -> tuple[dict, list[str]]:
    """One model's training and validation windows (`vc.fit` with validation or early stopping): holdout:F or
    random:F of `train` (default holdout:0.1), as keywords of `train.fit`, and the warnings to say."""
    scheme = validation if isinstance(validation, Scheme) else parse_scheme(validation or "holdout:0.1")
    if scheme.kind not in ("holdout", "random"):
        raise ViewcastError("fit takes holdout:F or random:F; for k-fold use cross-validation (viewcast cv)",
                            param="val", value=str(validation))
    tr, va = split_indices(len(train), scheme, config.seed)[0]
    return {"val": train.take(va), "train_windows": train.take(tr)}, [RANDOM_WARNING] if scheme.kind == "random" else []
