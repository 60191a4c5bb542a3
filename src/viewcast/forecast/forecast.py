"""The honest forecast: tomorrow (and N days on) from everything known today.

1. choose by validation on the most recent days (rolling origins × seeds; the rules of `viewcast cv`,
   by default 'ratio': every candidate weighted by how much worse validation finds it than the best),
   never past the series' last day;
2. backtest the chosen model(s) with rolling origins over the last year (`backtest.py`, one member per
   refit) and calibrate split-conformal intervals per horizon from the residuals (`conformal.py`);
3. refit it (a 9-member ensemble of each) on every day up to the series' last day, and forecast the next
   N days by feeding its predictions back. Views are never negative: forecasts and bounds are clipped at 0 (and it says so).

>>> f = forecast(s, days=3, models=["linear:7"], features=(Features(),), config=TrainConfig(epochs=200))
>>> len(f.dates), f.dates[0] == s.end + pd.Timedelta(days=1), bool((f.lower[95] <= f.lower[80]).all())
(3, True, True)
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import pandas as pd

from .. import models as _models
from ..data.series import DailySeries
from ..errors import ViewcastError
from ..evaluate.candidates import Candidate, compare_many, updates_chosen
from ..evaluate.rules import blend_items, blend_label, blend_of, check_rule, equal_weights
from ..evaluate.validation import Scheme, parse_scheme
from ..features import SEARCH, Features
from ..features.scaling import offered, same_offer
from ..features.prepare import through_end
from ..train import FitResult, TrainConfig, predict, seed_stream
from ..train.fit import fit_many
from ..train.interrupt import abandon_on_interrupt
from .backtest import Backtest, backtest_many
from .conformal import Calibration
from .paths import paths

# The default selector, chosen by measurement (benchmarks/selector_study.py, vs_peers.py; issue 13): every
# candidate trains its whole cosine schedule on 4 rolling origins × 4 seeds, and the forecast is the weighted
# mean of the candidates, weights (the best's geometric-mean validation MAE ÷ theirs)^RATIO_POWER (rules.ratio_weights),
# each refit on every day (ENSEMBLE members).
MODELS = ("linear:56", "relu:56x100")  # candidates, each × SEARCH's log/weekday variants
VALIDATION = "rolling:4"  # the last 20% of the days in 4 blocks, each validated after all days before it
SEEDS = 4  # validation seeds per candidate (4s … 4s+3): the weights' noise is the validation's (issue 13)
RULE = "ratio"  # evaluate.rules.RULES
ENSEMBLE = 9  # members of each final refit (seeds 9·seed … 9·seed + 8), averaged: one network's refit is noisy
BACKTEST_ENSEMBLE = 1  # members of each backtest refit, whose residuals calibrate the intervals: one
#                        member's errors are on average no smaller than the 9-member mean's (|mean e| ≤ mean |e|),
#                        so in expectation the intervals err on the wide side, at a ninth of the backtest's cost
# the selector before issue 13 (one seed, early stopping, one model, one member): what `viewcast demo` uses to
# stay under a minute; benchmarks/vs_peers.py measured it less steady across seeds (README)
QUICK = {"seeds": 1, "ensemble": 1, "rule": "1se", "full_schedule": False}
PATIENCE = 100  # early stopping when asked for without a patience (full_schedule=False)
MAX_DAYS = 90
SAVED_DAYS = 14  # a saved model's intervals are calibrated this many days ahead


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
    rule: str = RULE  # how validation chose (evaluate.rules.RULES)

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
                                "backtest_ensemble": min(self.refit.ensemble, BACKTEST_ENSEMBLE),
                                "refits": len(self.backtest.origins),
                                "first_start": self.backtest.starts[0] if self.backtest.days else None},
                "notes": self.notes}

    def _repr_html_(self) -> str:
        return (f"<p>{self.source}: <b>{self.label}</b> trained through {self.trained_through:%Y-%m-%d}</p>"
                + self.to_frame().to_html(float_format=lambda v: f"{v:,.4g}"))


def candidates_for(series: DailySeries | list[DailySeries], models_: list[str] | None = None,
                   features: tuple[Features, ...] = SEARCH) -> tuple[list[str], tuple[Features, ...]]:
    """The default candidates, less those a series cannot take (a log scale needs no negative day)."""
    specs = [str(_models.parse(m)) for m in (models_ or MODELS)]
    many = series if isinstance(series, list) else [series]
    for s in many:
        features = offered(features, s.values)
    return specs, features


def forecast(series: DailySeries, days: int = 1, models: list[str] | None = None,
             features: tuple[Features, ...] = SEARCH, validation: str | Scheme = VALIDATION,
             config: TrainConfig | None = None, seeds: int = SEEDS, ensemble: int = ENSEMBLE,
             on_model: Callable | None = None, progress: Callable | None = None,
             rule: str = RULE, calibrate: int = 0, full_schedule: bool | None = None) -> ForecastResult:
    """Choose, calibrate, refit to the last day, and forecast `days` days with 80% and 95% intervals
    (`calibrate`: calibrate the intervals at least this many days ahead, for a model saved for later;
    `full_schedule`: no early stopping — every model trains its whole cosine schedule; None, the default:
    so unless config.early_stop is given; False: early stopping, patience config.early_stop or 100, the
    refit taking the updates validation chose)."""
    return forecast_many([series], days, models, features, validation, config, seeds, ensemble,
                         on_model=on_model, progress=progress, rule=rule, calibrate=calibrate,
                         full_schedule=full_schedule)[0]


def forecast_many(series: list[DailySeries], days: int = 1, models: list[str] | None = None,
                  features: tuple[Features, ...] = SEARCH, validation: str | Scheme = VALIDATION,
                  config: TrainConfig | None = None, seeds: int = SEEDS, ensemble: int = ENSEMBLE,
                  chunk: int | None = None, on_model: Callable | None = None, progress: Callable | None = None,
                  rule: str = RULE, calibrate: int = 0, full_schedule: bool | None = None) -> list[ForecastResult]:
    """`forecast` for many series: each step is one engine run over every series (its members), and
    each series chooses, calibrates and forecasts on its own."""
    if not 1 <= days <= MAX_DAYS:
        raise ViewcastError(f"must be 1…{MAX_DAYS}", param="days", value=days)
    check_rule(rule)
    for name, v in (("seeds", seeds), ("ensemble", ensemble)):
        if v < 1:
            raise ViewcastError("must be at least 1", param=name, value=v)
    groups = same_offer(tuple(features), series)
    if len(groups) > 1:  # each series gets the candidates it alone would get
        out_: list = [None] * len(series)
        for idx in groups:
            got = forecast_many([series[i] for i in idx], days, models, features, validation, config, seeds, ensemble,
                                chunk, on_model, progress, rule, calibrate, full_schedule)
            for i, g in zip(idx, got):
                out_[i] = g
        return out_
    config = config or TrainConfig()
    if full_schedule is None:
        full_schedule = not config.early_stop
    if full_schedule and config.early_stop:
        raise ViewcastError("trains every model to the end of its schedule: drop --early-stop", param="full_schedule",
                            value=True)
    # the refit takes the updates validation chose; with a full schedule, all of them
    config = config.but(early_stop=None if full_schedule else config.early_stop or PATIENCE)
    scheme = parse_scheme(validation)
    specs, features = candidates_for(series, models, features)
    history = max(_k(s) for s in specs)  # every candidate validated on the same target days
    ks = {_k(s) for s in specs}
    prepared = [{f: {k: through_end(ser, k, history, config.normalize, f) for k in ks} for f in features}
                for ser in series]
    cands = compare_many(prepared, specs, scheme, config, seed_stream(config.seed, seeds), on_model,
                         progress, chunk)
    # rules tie, soft, ratio: [(candidate, weight)], their weighted mean forecast; else the chosen one alone
    weighted = [blend_of(c, rule) for c in cands]
    chosen = [w[0][0] for w in weighted]
    groups: dict[tuple, list[tuple[int, Candidate]]] = {}
    for i, ms in enumerate(weighted):
        for c, _ in ms:
            groups.setdefault((c.spec, c.features), []).append((i, c))
    done: dict[tuple[int, str], tuple] = {}  # (series, label) → (backtest, refit)
    with abandon_on_interrupt():  # Ctrl-C: no forecast from a half-trained refit or backtest, even in the CLI
        for (spec, feats), jobs in groups.items():
            if on_model:
                on_model(f"backtest and refit {spec}{feats}", 0, 0)
            idx = [i for i, _ in jobs]
            stops = [updates_chosen(c) for _, c in jobs]
            bts = backtest_many([series[i] for i in idx], spec, feats, config, max(days, calibrate), stops,
                                min(ensemble, BACKTEST_ENSEMBLE),
                                history=history, chunk=chunk, progress=progress)
            refits = fit_many(spec, [prepared[i][feats][_k(spec)] for i in idx], config.but(early_stop=None),
                              stop_after=stops, ensemble=ensemble, chunk=chunk, progress=progress)
            for (i, c), bt, refit in zip(jobs, bts, refits):
                done[i, c.label] = (bt, refit)
    out: list[ForecastResult | None] = [None] * len(series)
    for i, cw in enumerate(weighted):
        ms, w = [c for c, _ in cw], [x for _, x in cw]
        bts, refits = [done[i, c.label][0] for c in ms], [done[i, c.label][1] for c in ms]
        bt = bts[0] if len(ms) == 1 else mean_backtest(bts, w)
        log = all(c.features.log for c in ms)  # one scale for a blend: log only when every member is on it
        cal = Calibration.from_residuals(bt.actual, bt.pred, log)
        fitted = [(r.model, r.scaler, r.k, c.features.weekday) for c, r in zip(ms, refits)]
        yhat, lower, upper, notes = blend_days(fitted, series[i], days, cal, w)
        dates = pd.date_range(series[i].end + pd.Timedelta(days=1), periods=days, freq="D")
        one = len(ms) == 1
        out[i] = ForecastResult(series[i].name, dates, yhat, lower, upper, chosen[i], cands[i], scheme, refits[0],
                                cal, bt, series[i].to_pandas(), notes, [] if one else ms, [] if one else refits,
                                [] if one else w, rule)
    return out


def mean_backtest(bts: list[Backtest], weights: list[float] | None = None) -> Backtest:
    """The backtest of a blend: its members' forecasts averaged (weighted) on the start days they all
    have (each member's paths fed its own predictions, as the blend's final forecast is made)."""
    p = min(b.days for b in bts)
    last = min(bts, key=lambda b: b.days)
    return Backtest(last.origins, last.starts, np.average([b.pred[-p:] for b in bts], axis=0, weights=weights),
                    last.actual)


def predict_days(model, scaler, k: int, weekday: bool, series: DailySeries, days: int,
                 calibration: Calibration | None) -> tuple[np.ndarray, dict, dict, list[str]]:
    """The `days` days after the series ends from a trained model: forecasts and (when calibrated)
    intervals, clipped at 0 for a series of views (never negative); notes say what was clipped."""
    return blend_days([(model, scaler, k, weekday)], series, days, calibration)


def blend_days(fitted: list[tuple], series: DailySeries, days: int, calibration: Calibration | None,
               weights: list[float] | None = None) -> tuple[np.ndarray, dict, dict, list[str]]:
    """`predict_days` for the (weighted; by default equal) mean of several trained models, each (model,
    scaler, k, weekday) feeding back its own predictions (as in their backtest); one model is the plain
    forecast."""
    if days < 1:
        raise ViewcastError("must be at least 1", param="days", value=days)
    k = max(f[2] for f in fitted)
    tail = series.values[-k:]
    if len(tail) < k or np.isnan(tail).any():
        raise ViewcastError(f"{series.name}: the model needs the last {k} days complete; the series has {len(series)} days"
                            + (f" and {series.describe_gaps()}" if np.isnan(tail).any() else ""))
    views = np.nanmin(series.values) >= 0
    raised = np.zeros((1, days), dtype=bool)
    raw = np.zeros(days)
    weights = np.full(len(fitted), 1 / len(fitted)) if weights is None else np.asarray(weights, float) / np.sum(weights)
    for (model, scaler, km, weekday), wt in zip(fitted, weights):
        got = np.zeros((1, days), dtype=bool)
        raw += wt * paths(lambda X, d, m=model, s=scaler, w=weekday: predict(m, s, X, d, w), series.values,
                          np.array([len(series)]), km, days, series.start, 0.0 if views else None, got)[0]
        raised |= got
    lower, upper, notes = {}, {}, []
    if raised.any():
        who = "the model's forecast was" if len(fitted) == 1 else "a member's forecast was"
        notes.append(f"views are never negative: {who} below 0 on {int(raised.sum())} of the "
                     f"{days} days and was raised to 0")
    if calibration is not None:
        if len(calibration.q) < days:
            raise ViewcastError(f"the model's intervals were calibrated for {len(calibration.q)} days ahead",
                                param="days", value=days, hint=f"ask for at most {len(calibration.q)}")
        for lv in calibration.levels:
            lo, hi = calibration.interval(raw, lv)
            lower[int(round(100 * lv))], upper[int(round(100 * lv))] = lo, hi
    for lv in lower:  # too few residuals at a horizon for this level: no interval there, not a half-open one
        none = ~np.isfinite(lower[lv]) | ~np.isfinite(upper[lv])
        if none.any():
            lower[lv], upper[lv] = np.where(none, np.nan, lower[lv]), np.where(none, np.nan, upper[lv])
            first = int(np.flatnonzero(none)[0]) + 1
            notes.append(f"no {lv}% interval from day {first} ahead: the backtest has too few forecasts that far "
                         f"ahead for {lv}% coverage (a longer series gives more)")
    if views:
        low_bounds = [lv for lv, lo in lower.items() if (lo < 0).any()]
        for lv in lower:
            lower[lv], upper[lv] = np.fmax(lower[lv], 0.0), np.fmax(upper[lv], 0.0)
        if low_bounds:
            notes.append(f"views are never negative: the lower bound of the {' and '.join(f'{lv}%' for lv in low_bounds)} "
                         "interval was raised to 0 on some days")
    return raw, lower, upper, notes


def _k(spec: str) -> int:
    return _models.parse(spec).k
