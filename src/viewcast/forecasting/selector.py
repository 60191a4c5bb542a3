"""How a forecast chooses and trains its models: one frozen value (like TrainConfig), so the default is
one line (`Selector.DEFAULT`) and every command, report and benchmark reads it from here.

>>> Selector.DEFAULT.candidates()
['relu:28x64x2 +log +diff +weekday global', 'relu:56x64x2 +log +diff +weekday global']
>>> Selector.DEFAULT.but(pooled=False).config(rows=2800).epochs
100
>>> Selector.DEFAULT.config(rows=60_000).epochs     # 21 series: at most 2,000 updates of 1,024 rows
34
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import ClassVar

from ..checks import MAX_DAYS, check  # noqa: F401  (MAX_DAYS: the forecast's limit, declared in checks)
from ..errors import ViewcastError
from ..evaluate.rules import REGISTRY, check_rule
from ..evaluate.validation import Scheme, parse_scheme
from ..features import SEARCH, Features
from ..train import TrainConfig

SAVED_DAYS = 14  # a saved model's intervals are calibrated this many days ahead
DIFF = Features(log=True, diff=True, weekday=True)  # how views move from the last day, on a log scale, and the weekday


@dataclass(frozen=True)
class Selector:
    """Candidates validated on the most recent days, weighed by a rule, refit on every day."""

    models: tuple[str, ...] = ("relu:28x64x2", "relu:56x64x2")  # the candidate networks: the book's ReLU nets, 64
    #                             units (as good as 100 on the design folds at half the time, docs/forecasting.md)
    features: tuple[Features, ...] = (DIFF,)  # each model × each of these
    pooled: bool = True  # one network for all the series forecast together, each on its own scale
    validation: str = "rolling:1"  # blocks of the last year, each forecast by networks trained before it: they
    #                                weigh the candidates and calibrate the intervals (nothing trained twice)
    seeds: int = 2  # networks per block, averaged as the refit is: the calibration sees the forecast's own kind
    ensemble: int = 6  # networks per refit, averaged: one network's forecast moves with its seed (with 3, the
    #                    spikes of holiday pages moved up to 20% between seeds on the design folds; with 6, 7%)
    rule: str = "ratio"  # how validation weighs the candidates (evaluate.rules.REGISTRY)
    epochs: int | None = 100  # passes over the training rows… (None: the TrainConfig's recipe, full batch)
    max_updates: int = 2000  # …but at most this many updates: a global model of thousands of series needs no more
    batch: int = 1024  # rows per update
    lr: float = 3e-3  # Adam's η, decayed to 0 by the cosine schedule
    weight_decay: float = 0.0  # L2 penalty on the weights (an L2 term added to ∇L, TrainConfig.weight_decay)
    weight_power: float = 0.5  # each training row weighs (its level ÷ the series' weekly change)^this (validate.row_weights)
    full_schedule: bool | None = None  # no early stopping: every network trains its whole schedule (None: unless
    #                                    the TrainConfig has early_stop; False: early stopping on each block, the
    #                                    refit taking the median of the updates they chose)
    calibration_days: int = 364  # the blocks cover the last year (52 weeks: every weekday alike)
    stop_after: int | None = None  # every network, blocks and refit alike, stops after this many updates of its
    #                                schedule (cv --save: the updates cv's validation chose; None: the schedule's end)

    DEFAULT: ClassVar["Selector"]
    QUICK: ClassVar["Selector"]
    PER_SERIES: ClassVar["Selector"]

    def __post_init__(self):
        check(seeds=self.seeds, ensemble=self.ensemble, batch=self.batch, max_updates=self.max_updates)
        if self.stop_after is not None and (isinstance(self.stop_after, bool) or not isinstance(self.stop_after, int)
                                            or self.stop_after < 1):
            raise ViewcastError("must be a whole number ≥ 1 (updates), or None", param="stop_after",
                                value=self.stop_after)
        if self.stop_after is not None and self.full_schedule is not None:
            raise ViewcastError("stops every network after a number of updates: leave full_schedule out",
                                param="stop_after", value=self.stop_after)
        check_rule(self.rule)
        if self.scheme.kind != "rolling":
            raise ViewcastError("a forecast validates on the most recent days: use rolling:N (N blocks of the last "
                                "year)", param="val", value=self.validation)
        if not self.models:
            raise ViewcastError("give at least one candidate model", param="models", value="")
        wd = self.weight_decay
        if isinstance(wd, bool) or not isinstance(wd, (int, float)) or not (wd >= 0 and math.isfinite(wd)):
            raise ViewcastError("must be ≥ 0, e.g. 0.0001", param="weight_decay", value=self.weight_decay)

    @property
    def scheme(self) -> Scheme:
        return parse_scheme(self.validation)

    @property
    def folds(self) -> int:
        return int(self.scheme.value)

    def candidates(self, series: int = 2) -> list[str]:
        """The candidates' labels for a forecast of this many series (a global model of one is that one's own)."""
        return [f"{m}{f}" + (" global" if self.pooled and series > 1 else "") for f in self.features for m in self.models]

    def config(self, rows: int, base: TrainConfig | None = None) -> TrainConfig:
        """The training recipe for networks of `rows` training rows (the refit's, the largest)."""
        base = base or TrainConfig()
        if self.epochs is None:
            return base.but(weight_decay=base.weight_decay or self.weight_decay)
        steps = max(1, math.ceil(rows / self.batch))
        epochs = max(1, min(self.epochs, round(self.max_updates / steps)))
        return base.but(epochs=epochs, batch_size=self.batch, lr=base.lr or self.lr,
                        weight_decay=base.weight_decay or self.weight_decay)

    @property
    def said(self) -> str:
        """How this selector weighs its candidates, in the rule's one sentence."""
        return REGISTRY[self.rule].said

    def but(self, **changes) -> "Selector":
        """A copy with some settings changed (checked again); settings given as None are left as they are."""
        changes = {k: v for k, v in changes.items() if v is not None}
        if isinstance(changes.get("models"), str):
            changes["models"] = tuple(m.strip() for m in changes["models"].split(","))
        for name in ("models", "features"):
            if name in changes:
                v = changes[name]
                changes[name] = (v,) if isinstance(v, Features) else tuple(v)
        return replace(self, **changes)

    def as_dict(self) -> dict:
        return {"models": list(self.models), "features": [str(f).strip() for f in self.features],
                "pooled": self.pooled, "validation": self.validation, "seeds": self.seeds, "ensemble": self.ensemble,
                "rule": self.rule, "epochs": self.epochs, "max_updates": self.max_updates, "batch": self.batch,
                "lr": self.lr, "weight_decay": self.weight_decay, "weight_power": self.weight_power,
                "full_schedule": self.full_schedule, "stop_after": self.stop_after}


Selector.DEFAULT = Selector()
Selector.QUICK = Selector(models=("relu:28x64x2",), seeds=1, ensemble=1)  # one network per block and refit
# every series alone, as before the global model: linear:56 and relu:56x100, with and without a log scale and
# the weekday, four validation blocks × 4 seeds, nine-member refits, full-batch cosine schedules
Selector.PER_SERIES = Selector(models=("linear:56", "relu:56x100"), features=SEARCH, pooled=False,
                               validation="rolling:4", seeds=4, ensemble=9, epochs=None, weight_power=0.0)
