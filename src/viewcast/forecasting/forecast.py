"""The honest forecast: tomorrow (and N days on) from everything known today.

1. every candidate (`Selector`: by default two ReLU networks of how views move from the last day, one
   network for all the series given) is trained, per block of the last year, on the days before that
   block, and forecasts the block's days 1 … H days ahead (`validate.py`) — never past the series' end;
2. their one-day-ahead errors weigh the candidates (the rule, by default 'ratio'); the weighted mean's
   errors 1 … H days ahead calibrate split-conformal intervals per horizon (`conformal.py`);
3. each candidate, refit on every day (an ensemble of seeds, in the same engine run), forecasts the next
   N days by feeding its predictions back; views are never negative (forecasts and bounds clipped at 0).

>>> sel = Selector.QUICK.but(epochs=30, max_updates=60)
>>> f = forecast(s, days=3, selector=sel)
>>> len(f.dates), f.dates[0] == s.end + pd.Timedelta(days=1), bool((f.lower[95] <= f.lower[80]).all())
(3, True, True)
"""
from __future__ import annotations

from typing import Callable

import numpy as np
import pandas as pd

from .. import models as _models
from ..data.series import DailySeries
from ..checks import check
from ..errors import ViewcastError
from ..evaluate.candidates import Candidate
from ..evaluate.rules import blend_of
from ..features import Features
from ..train import FitResult, TrainConfig
from ..train.fit import History
from ..train.interrupt import abandon_on_interrupt
from .backtest import Backtest
from .conformal import Calibration
from .days import blend_days
from .result import ForecastResult
from .selector import MAX_DAYS, SAVED_DAYS, Selector  # noqa: F401  (MAX_DAYS, SAVED_DAYS: re-exported)
from .validate import CandidateRun, run_candidate

PATIENCE = 100  # early stopping (full_schedule=False) with no patience given


def forecast(series: DailySeries, days: int = 1, selector: Selector = Selector.DEFAULT,
             config: TrainConfig | None = None, *, calibrate: int = 0, on_model: Callable | None = None,
             progress: Callable | None = None) -> ForecastResult:
    """Validate, calibrate, refit to the last day, and forecast `days` days with 80% and 95% intervals
    (`calibrate`: intervals at least this many days ahead, for a model saved for later)."""
    return forecast_many([series], days, selector, config, calibrate=calibrate, on_model=on_model,
                         progress=progress)[0]


def forecast_many(series: list[DailySeries], days: int = 1, selector: Selector = Selector.DEFAULT,
                  config: TrainConfig | None = None, *, calibrate: int = 0, chunk: int | None = None,
                  on_model: Callable | None = None, progress: Callable | None = None) -> list[ForecastResult]:
    """`forecast` for many series: each candidate is one engine run over every series (one network for all
    of them when the selector pools them), and each series is weighed, calibrated and forecast on its own."""
    check(days=days)
    config = config or TrainConfig()
    if selector.full_schedule and config.early_stop:
        raise ViewcastError("trains every model to the end of its schedule: drop --early-stop", param="full_schedule",
                            value=True)
    if selector.stop_after and config.early_stop:
        raise ViewcastError("stops every model after a number of updates: drop --early-stop", param="stop_after",
                            value=selector.stop_after)
    if selector.epochs is not None and (config.epochs != TrainConfig.epochs or config.batch_size is not None):
        selector = selector.but(epochs=config.epochs if config.epochs != TrainConfig.epochs else None,
                                batch=config.batch_size)  # the training options given win over the recipe's
    if selector.full_schedule is False:  # early stopping on the blocks, patience --early-stop's or PATIENCE
        config = config.but(early_stop=config.early_stop or PATIENCE)
    groups: dict[tuple[Features, ...], list[int]] = {}
    for i, s in enumerate(series):  # a log scale needs views ≥ 0: the others get the same candidates without it
        groups.setdefault(offered(selector.features, s.values), []).append(i)
    out: list[ForecastResult | None] = [None] * len(series)
    for feats, idx in groups.items():
        got = _forecast_group([series[i] for i in idx], days, selector.but(features=feats), config, calibrate, chunk,
                              on_model, progress)
        for i, g in zip(idx, got):
            out[i] = g
    return out


def offered(features: tuple[Features, ...], values: np.ndarray) -> tuple[Features, ...]:
    """The features a series can take: none on a log scale when a day is negative (no logarithm)."""
    if np.nanmin(values) >= 0:
        return tuple(features)
    return tuple(dict.fromkeys(Features(False, f.weekday, f.diff) for f in features))


def _forecast_group(series: list[DailySeries], days: int, sel: Selector, config: TrainConfig, calibrate: int,
                    chunk: int | None, on_model, progress) -> list[ForecastResult]:
    specs = [str(_models.parse(m)) for m in sel.models]
    history = max(_models.parse(m).k for m in specs)
    horizon = max(days, calibrate)
    lengths = [len(s) - history for s in series]
    cfg = sel.config(sum(lengths) if sel.pooled else max(lengths), config)
    todo = [(m, f) for f in sel.features for m in specs]
    runs: list[CandidateRun] = []
    with abandon_on_interrupt():  # Ctrl-C: no forecast from half-trained networks, even in the CLI
        for i, (m, f) in enumerate(todo):
            if on_model:
                on_model(f"{m}{f}: validating on the last year and refitting", i, len(todo) + 1)
            runs.append(run_candidate(m, f, series, sel.folds, sel.seeds, sel.ensemble, horizon, cfg,
                                      pooled=sel.pooled and len(series) > 1, history=history,
                                      days=sel.calibration_days, weight_power=sel.weight_power, chunk=chunk,
                                      progress=progress, stop_after=sel.stop_after))
    if on_model:
        on_model("weighing, calibrating and forecasting", len(todo), len(todo) + 1)
    return [_one(i, s, runs, days, sel, cfg) for i, s in enumerate(series)]


def _one(i: int, s: DailySeries, runs: list[CandidateRun], days: int, sel: Selector, cfg: TrainConfig) -> ForecastResult:
    """One series' forecast from every candidate's run."""
    cands = [_candidate(r, i) for r in runs]
    weighted = blend_of(cands, sel.rule)
    use = [(runs[next(j for j, k in enumerate(cands) if k is c)], c, w) for c, w in weighted]
    w = [x for _, _, x in use]
    paths = np.average([r.paths[i] for r, _, _ in use], axis=0, weights=w)
    first = runs[0]
    bt = Backtest(first.origins[i], first.starts[i], paths, first.actual[i])
    cal = Calibration.from_residuals(bt.actual, bt.pred, all(c.features.log for _, c, _ in use))
    fitted = [(r.refit[i][0], r.refit[i][1], _models.parse(r.spec).k, c.features.weekday) for r, c, _ in use]
    yhat, lower, upper, notes = blend_days(fitted, s, days, cal, w)
    refits = [_fit_result(r, c, i, s, cfg) for r, c, _ in use]
    dates = pd.date_range(s.end + pd.Timedelta(days=1), periods=days, freq="D")
    one = len(use) == 1
    return ForecastResult(s.name, dates, yhat, lower, upper, use[0][1], cands, sel.scheme, refits[0], cal, bt,
                          s.to_pandas(), notes, [] if one else [c for _, c, _ in use], [] if one else refits,
                          [] if one else w, sel.rule, sel)


def _candidate(r: CandidateRun, i: int) -> Candidate:
    nets = r.refit[i][0]
    return Candidate(r.spec, _models.n_params(nets.members[0] if isinstance(nets, _models.Ensemble) else nets),
                     r.val_mae[i], r.train_mae[i], None, r.run, r.features, r.val_mse[i], pooled=r.pooled)


def _fit_result(r: CandidateRun, c: Candidate, i: int, s: DailySeries, cfg: TrainConfig) -> FitResult:
    """The refit as a FitResult (what `store.save` writes and the reports read)."""
    from ..features.split import Split

    day = pd.Timedelta(days=1)
    model, scaler = r.refit[i]
    last = len(r.run.stops) - 1  # a refit member's history (the last member is one)
    return FitResult(spec=r.spec, config=cfg, model=model, scaler=scaler, k=_models.parse(r.spec).k,
                     params=c.params, train={}, test={}, val=None, exact=None, history=History.of(r.run, last),
                     updates=r.updates, stop=r.run.stops[last], best_update=None, seconds=r.run.seconds, lr=r.run.lr0,
                     features=c.features, source=s.name, split=Split(s.start, s.end, s.end + day, s.end + day),
                     train_days=len(s) - _models.parse(r.spec).k,
                     test_days=0, ensemble=len(model.members) if isinstance(model, _models.Ensemble) else 1,
                     sample_passes=r.run.sample_passes)
