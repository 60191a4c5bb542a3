"""Validation curves (chapter 2's U): the validation and training loss of a family of models —
more days of input, more units, more layers — each averaged over folds × seeds, with and without
early stopping.

>>> curve_specs("depth")
['relu:56x100', 'relu:56x100x2', 'relu:56x100x3', 'relu:56x100x4', 'relu:56x100x5']
>>> [curve_x(s, "depth") for s in curve_specs("depth")]
[1, 2, 3, 4, 5]
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd

from .. import models
from ..data.series import DailySeries
from ..errors import ViewcastError
from ..features import Features, Split, prepare_all
from ..train import TrainConfig
from .candidates import Candidate, evaluate
from .validation import Scheme

CURVES = {
    "depth": [f"relu:56x100x{n}" for n in (1, 2, 3, 4, 5)],
    "width": [f"relu:56x{h}" for h in (1, 3, 10, 30, 100, 300, 1000)],
    "k": [f"linear:{k}" for k in (1, 2, 7, 14, 28, 42, 56)],
}
XLABEL = {"depth": "hidden layers of 100 ReLUs", "width": "ReLUs (56 days, 1 layer)", "k": "days of input (linear)"}
DEFAULT_PATIENCE = 100  # updates, for the early-stopping variant when none is given


def curve_specs(name: str) -> list[str]:
    if name not in CURVES:
        raise ViewcastError(f"use one of {', '.join(CURVES)}", param="curve", value=name)
    return [str(models.parse(s)) for s in CURVES[name]]


def curve_x(spec: str, name: str) -> int:
    """The curve's x for a spec: its layers (depth), units (width) or days of input (k)."""
    s = models.parse(spec)
    return {"depth": max(s.layers, 1), "width": s.hidden, "k": s.k}[name]


@dataclass
class CurveResult:
    source: str
    split: Split
    scheme: Scheme
    name: str  # depth | width | k
    seeds: tuple[int, ...]
    variants: dict[str, list[Candidate]]  # label → one candidate per spec

    @property
    def x(self) -> list[int]:
        return [curve_x(s, self.name) for s in curve_specs(self.name)]

    def summary(self) -> dict[str, list[dict]]:
        return {label: [{"model": c.spec, "x": x, "params": c.params, "val_mae_mean": c.val_mean,
                         "val_mae_std": c.val_std, "val_mae_runs": c.val_mae, "train_mae_mean": float(np.mean(c.train_mae)),
                         "best_update": c.best_update} for c, x in zip(cands, self.x)]
                for label, cands in self.variants.items()}

    def as_dict(self) -> dict:
        """What `viewcast cv --curve NAME --json` prints (without the figure paths)."""
        return {"source": self.source, "split": self.split.describe(), "val": str(self.scheme), "curve": self.name,
                "x": self.x, "seeds": list(self.seeds), "variants": self.summary()}

    def to_frame(self) -> pd.DataFrame:
        rows = [{"variant": label, **{k: v for k, v in r.items() if k not in ("val_mae_runs", "best_update")}}
                for label, rs in self.summary().items() for r in rs]
        return pd.DataFrame(rows)

    @property
    def xlabel(self) -> str:
        return XLABEL[self.name]


def validation_curve(series: DailySeries, split: Split, name: str, scheme: Scheme, config: TrainConfig,
                     seeds: tuple[int, ...] = (0,), features: Features = Features(),
                     on_model: Callable | None = None, progress: Callable | None = None) -> CurveResult:
    """The curve `name` twice: without early stopping, and with it (config's patience, or 100 updates)."""
    specs = curve_specs(name)
    patience = config.early_stop or DEFAULT_PATIENCE
    variants = {"no early stop": config.but(early_stop=None), f"early stop (patience {patience})": config.but(early_stop=patience)}
    prepared = prepare_all(series, [models.parse(s).k for s in specs], split, config.normalize, features)
    out: dict[str, list[Candidate]] = {}
    for label, cfg in variants.items():
        out[label] = []
        for i, spec in enumerate(specs):
            if on_model:
                on_model(f"{label}: {spec}", i, len(specs))
            out[label].append(evaluate(spec, prepared[models.parse(spec).k], scheme, cfg, seeds, progress))
            if out[label][-1].interrupted:
                raise KeyboardInterrupt
    return CurveResult(series.name, split, scheme, name, seeds, out)
