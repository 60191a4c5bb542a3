"""Split conformal prediction intervals from out-of-sample residuals, one calibration set per
horizon: with n absolute residuals at horizon h, the (1 − α) interval is ŷ ± the ⌈(n+1)(1 − α)⌉-th
smallest of them — it covers a new day with probability ≥ 1 − α when the days are exchangeable
(Vovk et al.; Angelopoulos & Bates, "A Gentle Introduction to Conformal Prediction", §1). Residuals
are on the scale the model was trained on (log(1 + views) or views), so a log model's intervals are
multiplicative.

>>> conformal_quantile(np.arange(1.0, 20.0), 0.1)          # 19 scores: the ⌈20 × 0.9⌉ = 18th smallest
18.0
>>> conformal_quantile(np.arange(1.0, 5.0), 0.1)           # too few scores for 90%: an infinite interval
inf
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

LEVELS = (0.8, 0.95)  # the intervals reported


def conformal_quantile(scores: np.ndarray, alpha: float) -> float:
    """The split-conformal quantile of nonconformity scores (NaN ignored) for miscoverage α."""
    s = np.sort(np.asarray(scores, float)[np.isfinite(scores)])
    n = len(s)
    rank = math.ceil((n + 1) * (1 - alpha))
    return float(s[rank - 1]) if 1 <= rank <= n else math.inf


@dataclass(frozen=True)
class Calibration:
    """Per-horizon conformal quantiles of |residual| on the model's scale."""

    log: bool  # residuals are log(1 + y) − log(1 + ŷ)
    levels: tuple[float, ...]  # e.g. (0.8, 0.95)
    q: np.ndarray  # (horizons, levels)
    n: np.ndarray  # (horizons,) residuals each quantile came from
    mae: np.ndarray = field(default_factory=lambda: np.zeros(0))  # (horizons,) mean |residual| in views

    @classmethod
    def from_residuals(cls, actual: np.ndarray, pred: np.ndarray, log: bool,
                       levels: tuple[float, ...] = LEVELS) -> "Calibration":
        """actual, pred: (P, H) views (actual NaN where the day is past the data)."""
        score = np.abs(residuals(actual, pred, log))  # the nonconformity score: |residual|
        q = np.array([[conformal_quantile(score[:, h], 1 - lv) for lv in levels] for h in range(score.shape[1])])
        err = np.abs(actual - pred)
        seen = np.isfinite(err).sum(0)
        mae = np.where(seen > 0, np.nansum(err, axis=0) / np.maximum(seen, 1), np.nan)  # NaN: no day that far ahead
        return cls(log, tuple(levels), q, np.isfinite(score).sum(0), mae)

    def interval(self, yhat: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
        """(lower, upper) around forecasts yhat (H,) in views at `level`."""
        q = self.q[: len(yhat), self.levels.index(level)]
        if self.log:
            g = np.log1p(np.maximum(yhat, -1 + 1e-12))
            return np.expm1(g - q), np.expm1(g + q)
        return yhat - q, yhat + q

    def as_dict(self) -> dict:
        return {"scale": "log" if self.log else "views", "levels": list(self.levels),
                "quantiles": {f"{int(100 * lv)}": self.q[:, j] for j, lv in enumerate(self.levels)},
                "residuals_per_horizon": self.n, "mae_per_horizon": self.mae}


def residuals(actual: np.ndarray, pred: np.ndarray, log: bool) -> np.ndarray:
    """Signed residuals on the model's scale: y − ŷ, or log(1 + y) − log(1 + ŷ). NaN where no actual."""
    if log:
        return np.log1p(np.maximum(actual, 0)) - np.log1p(np.maximum(pred, 0))
    return actual - pred
