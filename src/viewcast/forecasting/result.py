"""What a forecast gives: the days ahead with their intervals, what was chosen and how it was calibrated."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..evaluate.candidates import Candidate
from ..evaluate.rules import blend_items, blend_label, equal_weights
from ..evaluate.validation import Scheme
from ..train import FitResult
from .backtest import Backtest
from .conformal import Calibration
from .selector import Selector


@dataclass
class ForecastResult:
    source: str
    dates: pd.DatetimeIndex  # (H,) the days after the series ends
    forecast: np.ndarray  # (H,) views
    lower: dict[int, np.ndarray]  # level (80, 95) → (H,) views
    upper: dict[int, np.ndarray]
    chosen: Candidate
    candidates: list[Candidate]
    scheme: Scheme
    refit: FitResult  # trained on every day through the series' end
    calibration: Calibration
    backtest: Backtest
    history: pd.Series  # the series (for charts)
    notes: list[str] = field(default_factory=list)
    blend: list[Candidate] = field(default_factory=list)  # rules tie, soft, ratio: the candidates averaged (chosen first)
    blend_refits: list[FitResult] = field(default_factory=list)
    blend_weights: list[float] = field(default_factory=list)  # …their weights (rules.blend_of), summing to 1
    rule: str = "ratio"  # how validation chose (evaluate.rules.RULES)
    selector: Selector | None = None  # how it was chosen and trained

    @property
    def label(self) -> str:
        """What forecasts: the chosen model, or 'mean of A | B' for a blend ('A 62% | B 38%' when weighted)."""
        return blend_label([c.label for c in self.blend], self.blend_weights) if self.blend else self.chosen.label

    @property
    def weighted(self) -> bool:
        """A blend whose members weigh differently (rules ratio, soft); a 'tie' blend's weigh the same."""
        return bool(self.blend) and not equal_weights(self.blend_weights)

    def blend_names(self) -> list[str]:
        """The blend's members, each with its weight when weighted: ['relu:56x100 +log (62%)', …]."""
        return blend_items([c.label for c in self.blend], self.blend_weights, paren=True)

    @property
    def trained_through(self) -> pd.Timestamp:
        return self.history.index[-1]

    def to_frame(self) -> pd.DataFrame:
        """One row per day: weekday, forecast, and the 80% and 95% intervals, in views."""
        df = pd.DataFrame({"weekday": self.dates.strftime("%a"), "forecast": self.forecast}, index=self.dates)
        for lv in sorted(self.lower):
            df[f"lower{lv}"], df[f"upper{lv}"] = self.lower[lv], self.upper[lv]
        df.index.name = "date"
        return df

    def as_dict(self) -> dict:
        """What `viewcast forecast --json` prints."""
        c = self.chosen
        return {"source": self.source, "trained_through": self.trained_through,
                "train_days": self.refit.train_days, "days": len(self.dates),
                "forecast": [{"date": d, "weekday": f"{d:%a}", "views": float(v),
                              **{f"lower{lv}": float(self.lower[lv][i]) for lv in sorted(self.lower)},
                              **{f"upper{lv}": float(self.upper[lv][i]) for lv in sorted(self.upper)}}
                             for i, (d, v) in enumerate(zip(self.dates, self.forecast))],
                "chosen": {"model": c.label, "spec": c.spec, "log": c.features.log, "weekday": c.features.weekday,
                           "val_mae_mean": c.val_mean, "val_mae_std": c.val_std, "validation": str(self.scheme),
                           "refit_updates": self.refit.updates, "ensemble": self.refit.ensemble, "rule": self.rule,
                           "blend": [{"model": k.label, "val_mae_mean": k.val_mean, "val_mae_gmean": k.val_gmean,
                                      "weight": w,
                                      "refit_updates": r.updates}
                                     for k, r, w in zip(self.blend, self.blend_refits, self.blend_weights)] or None},
                "candidates": [{"model": k.label, "val_mae_mean": k.val_mean, "val_mae_std": k.val_std,
                                "val_mae_gmean": k.val_gmean}
                               for k in self.candidates],
                "calibration": {**self.calibration.as_dict(), "backtest_days": self.backtest.days,
                                "backtest_ensemble": self.selector.seeds if self.selector else None,
                                "refits": len(self.backtest.origins),
                                "first_start": self.backtest.starts[0] if self.backtest.days else None},
                "notes": self.notes}

    def _repr_html_(self) -> str:
        return (f"<p>{self.source}: <b>{self.label}</b> trained through {self.trained_through:%Y-%m-%d}</p>"
                + self.to_frame().to_html(float_format=lambda v: f"{v:,.4g}"))
