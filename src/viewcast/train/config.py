"""One training run's settings: a frozen dataclass with a comment on every default, checked once.

>>> TrainConfig(lr=0.1, optimizer="gd").learning_rate()
0.1
>>> seed_stream(0, 3), seed_stream(1, 3), seed_stream(1, 1)
((0, 1, 2), (3, 4, 5), (1,))
>>> TrainConfig(lr=-1)
Traceback (most recent call last):
...
viewcast.errors.ViewcastError: lr=-1: the learning rate must be a positive number, e.g. 0.01
>>> TrainConfig(seed=-1)
Traceback (most recent call last):
...
viewcast.errors.ViewcastError: seed=-1: must be a whole number from 0 to 4294967295, e.g. 0
"""
from __future__ import annotations

import math
import numbers
from dataclasses import asdict, dataclass, replace

from ..checks import check
from ..errors import ViewcastError
from .losses import LOSSES

OPTIMIZERS = ("gd", "sgd", "adam")
SCHEDULES = ("cosine", "constant")
AUGMENTS = ("none", "scale")


def seed_stream(seed: int, n: int) -> tuple[int, ...]:
    """The seeds of the n networks a run with --seed `seed` trains side by side (the members of an
    ensemble, or the validation seeds of every fold): seed·n … seed·n + n − 1. Two runs with other
    seeds share no network, so comparing them shows the real seed-to-seed spread; one network keeps
    its seed, and seed 0 is 0 … n − 1."""
    return tuple(range(seed * n, seed * n + n))


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
        def bad(param, msg):
            raise ViewcastError(msg, param=param, value=getattr(self, param))

        if self.loss not in LOSSES:
            bad("loss", "unknown; use mae or mse")
        if self.optimizer not in OPTIMIZERS:
            bad("optimizer", "unknown; use gd, sgd or adam")
        if self.schedule not in SCHEDULES:
            bad("schedule", "unknown; use cosine or constant")
        if self.augment not in AUGMENTS:
            bad("augment", "unknown; use none or scale")
        if self.lr is not None and not (self.lr > 0 and math.isfinite(self.lr)):
            bad("lr", "the learning rate must be a positive number, e.g. 0.01")
        if not (isinstance(self.seed, numbers.Integral) and 0 <= self.seed < 2 ** 32):
            bad("seed", "must be a whole number from 0 to 4294967295, e.g. 0")
        check(epochs=self.epochs, batch_size=self.batch_size)
        if not 0.0 <= self.momentum < 1.0:
            bad("momentum", "must be in [0, 1)")
        if not 0.0 <= self.dropout < 1.0:
            bad("dropout", "must be in [0, 1)")
        if not (self.weight_decay >= 0 and math.isfinite(self.weight_decay)):
            bad("weight_decay", "must be ≥ 0")
        if self.early_stop is not None and self.early_stop < 1:
            bad("early_stop", "patience must be at least 1 update")
        if self.device not in ("auto", "cpu", "cuda") and not self.device.startswith("cuda:"):
            bad("device", "use auto, cpu or cuda")

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

    def full_batch(self, n: int) -> bool:
        return self.optimizer == "gd" or self.batch_size is None or self.batch_size >= n

    def plain(self) -> bool:
        """No training option was given (only the seed and the device): the command may use its own recipe."""
        return self == TrainConfig(seed=self.seed, device=self.device)

    def but(self, **changes) -> "TrainConfig":
        """A copy with some settings changed (checked again)."""
        return replace(self, **changes)

    def as_dict(self) -> dict:
        return asdict(self)


# What `cv` and `select` train with when no training option is given: the recipe benchmarks/bench_one_series.py
# measured against a plain PyTorch loop on 5-fold validation (Adam, η 2e-2 decayed to 0 by a cosine over 35
# epochs of mini-batches of 256, early stopping after 40 updates without improvement, the refit taking the
# updates validation chose). The book's ladder and `fit` keep the full-batch recipe above.
VALIDATION_RECIPE = {"lr": 2e-2, "batch_size": 256, "epochs": 35, "early_stop": 40}


def for_validation(config: TrainConfig) -> TrainConfig:
    """`config`, or VALIDATION_RECIPE when it gives no training option.

    >>> for_validation(TrainConfig(seed=3)).batch_size, for_validation(TrainConfig(epochs=50)).batch_size
    (256, None)
    """
    return config.but(**VALIDATION_RECIPE) if config.plain() else config

