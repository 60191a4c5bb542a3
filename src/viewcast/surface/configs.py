"""The settings of the 1-D curves and of a model's loss landscape: frozen values, light to import (the CLI
reads their defaults for --help without torch)."""
from __future__ import annotations

import math
from dataclasses import dataclass

from ..errors import ViewcastError
from ..train.config import TrainConfig
from ..train.losses import LOSSES


@dataclass(frozen=True)
class LandscapeConfig:
    loss: str = "mae"  # the loss plotted (and trained on)
    dims: int = 2  # 1: a curve along one direction; 2: a surface over two
    span: float = 1.0  # α, β ∈ [−span, span]; 1 moves each filter by its own norm (Li et al.'s range)
    points: int | None = None  # per axis; None: 51 (1-D) or 25 (2-D)
    epochs: int = TrainConfig.epochs  # training updates for θ*
    seed: int = 0  # training and the random directions

    def __post_init__(self):
        if self.loss not in LOSSES:
            raise ViewcastError("use mae or mse", param="loss", value=self.loss)
        if self.dims not in (1, 2):
            raise ViewcastError("use 1 (a curve) or 2 (a surface)", param="directions", value=self.dims)
        if not (self.span > 0 and math.isfinite(self.span)):
            raise ViewcastError("must be a positive number, e.g. 1", param="span", value=self.span)
        if self.points is not None and not 3 <= self.points <= 401:
            raise ViewcastError("use 3…401 points per axis for a landscape", param="grid", value=self.points)


@dataclass(frozen=True)
class CurveConfig:
    loss: str = "mae"  # L of both curves
    normalize: bool = False  # linear:1's curve in raw views (the book's) or standard units
    start: float = 0.0  # linear:1's w₀; b stays at the exact optimum's b*
    lr: float | None = None  # η on linear:1's curve; None: CURVE_LRS
    steps: int = 50  # GD updates on each curve
    model: str = "hardsigmoid:1x1"  # the non-convex model swept (its flat parts stop GD)
    param: str = "hidden.0.bias"  # its swept parameter (first entry): where the unit switches on
    starts: int = 7  # GD starts spread across the sweep
    sweep_lr: float = 0.1  # η on the sweep, standard units
    epochs: int = TrainConfig.epochs  # training of the non-convex model
    seed: int = 0  # that training
