"""One candidate (a spec with its features) validated, calibrated and refit for every series at once,
in ONE engine run. Its members are, per block of the most recent days (`blocks.py`) and per seed, a
network trained on the days before that block, and per seed a network trained on every day (the
refit). A pooled candidate (a global model) has one such network for all series, each series on its
own scale; otherwise every series has its own.

The block networks forecast their block's days 1 … H days ahead, feeding predictions back as the
final forecast will: their one-day-ahead errors are the candidate's validation losses (per block ×
seed, what the rules compare), and the paths of each block's seed-average calibrate the intervals.

>>> from viewcast.train import TrainConfig
>>> r = run_candidate("linear:7", Features(log=True, diff=True), [s], folds=2, seeds=1, ensemble=1, horizon=2,
...                   config=TrainConfig(epochs=50), days=56)
>>> r.val_mae[0].shape, r.paths[0].shape, r.actual[0][-1].tolist()[1:]
((2,), (56, 2), [nan])
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd
import torch

from .. import models
from ..data.series import DailySeries
from ..features import Features, Scaler, Windows, make_windows
from ..train import TrainConfig, seed_stream
from ..train.chunks import join, train_members
from ..train.engine import EngineResult
from ..train.members import Member
from .blocks import blocks
from .recursive import Group, one_step, run_paths

MAX_ROWS = 1 << 18  # a pooled member trains on at most this many rows, drawn at random: past it, more rows of
#                     thousands of similar series add little, and each member holds its rows in memory


@dataclass
class CandidateRun:
    spec: str
    features: Features
    pooled: bool
    val_mae: list[np.ndarray]  # per series: (blocks × seeds,) one-day-ahead MAE in views, block-major
    val_mse: list[np.ndarray]
    train_mae: list[np.ndarray]  # per series: (blocks × seeds,) on the rows each trained on
    paths: list[np.ndarray]  # per series: (P, H) the block seed-averages' forecasts from each start day
    actual: list[np.ndarray]  # per series: (P, H) what happened (NaN past the series' end)
    starts: list[pd.DatetimeIndex]  # per series: (P,) the start days
    origins: list[list[pd.Timestamp]]  # per series: each block's first day
    refit: list[tuple[torch.nn.Module, Scaler]]  # per series: the refit ensemble and the series' scaler
    run: EngineResult  # every member (blocks × seeds, then the refits), pooled or per series
    updates: int  # updates each network took


def row_weights(w: Windows, rows: np.ndarray, power: float) -> np.ndarray:
    """Training weight of each row: (the level of its last input ÷ the series' typical weekly change)^power,
    so that a day of a busy period weighs more than a quiet one's (MAE in views is paid where views are
    many) and a steady series weighs more than an erratic one (which no model forecasts well), mean 1."""
    if power == 0 or len(rows) == 0:
        return np.ones(len(rows))
    y = w.y[rows]
    change = np.mean(np.abs(y[7:] - y[:-7])) if len(y) > 7 else np.mean(np.abs(y - y.mean()))
    level = np.maximum(w.X[rows, -1], 0.0) / max(change, 1e-12)
    out = np.maximum(level, 1e-6) ** power
    return out / out.mean()


def run_candidate(spec: str | models.Spec, features: Features, series: list[DailySeries], folds: int, seeds: int,
                  ensemble: int, horizon: int, config: TrainConfig, pooled: bool = False, history: int | None = None,
                  days: int = 364, weight_power: float = 0.0, chunk: int | None = None,
                  progress: Callable | None = None, stop_after: int | None = None) -> CandidateRun:
    """Validate, calibrate and refit `spec` with `features` on every series (see the module)."""
    s = models.parse(spec) if isinstance(spec, str) else spec
    history = max(history or s.k, s.k)
    plans = [_plan(x, s.k, history, folds, days, config.normalize, features) for x in series]
    val_seeds, refit_seeds = seed_stream(config.seed, seeds), seed_stream(config.seed, ensemble)
    folds_m, where = _members(plans, features, val_seeds, "fold", pooled, weight_power, config, 0)
    refit_m, where_r = _members(plans, features, refit_seeds, "refit", pooled, weight_power, config, len(folds_m))
    where.update(where_r)
    if config.early_stop:  # the blocks stop early on their own days; each refit then takes their median updates
        run_f = train_members(s, folds_m, config, chunk, progress)
        stop = [_median_best(run_f, [where[i, "fold", j, sd] for j in range(folds) for sd in val_seeds])
                for i in range(len(plans))]
        run = join([run_f, train_members(s, refit_m, config.but(early_stop=None), chunk, progress,
                                         np.array([stop[_series_of(m, where_r)] for m in range(len(refit_m))]))])
    else:  # the whole schedule, or `stop_after` updates of it: blocks and refit alike
        run = train_members(s, folds_m + refit_m, config, chunk, progress, stop_after)
    out = CandidateRun(str(s), features, pooled, [], [], [], [], [], [], [], [], run, int(run.stops[-1].update))
    modules: dict[int, torch.nn.Module] = {}

    def module(m: int) -> torch.nn.Module:  # one module per member: a pooled network is one object for all series
        if m not in modules:
            modules[m] = run.net.module(m)
        return modules[m]

    ensembles: dict[tuple, torch.nn.Module] = {}

    def averaged(ms: list[int]) -> torch.nn.Module:
        if tuple(ms) not in ensembles:
            nets = [module(m) for m in ms]
            ensembles[tuple(ms)] = nets[0] if len(nets) == 1 else models.Ensemble(nets).eval()
        return ensembles[tuple(ms)]

    for i, p in enumerate(plans):
        mae, mse, trm, paths = [], [], [], []
        for j, (a, e) in enumerate(p.blocks):
            nets = [module(where[i, "fold", j, sd]) for sd in val_seeds]
            X, yv, dts = p.w.X[p.rows_in(a, e)], p.w.y[p.rows_in(a, e)], p.days_in(a, e)
            g = [Group(p.scalers[j], 0, len(X), p.floor)]
            for net in nets:
                err = one_step(net, g, X, dts, features.weekday) - yv
                mae.append(np.mean(np.abs(err)))
                mse.append(np.mean(err ** 2))
                tr = p.rows_before(a)
                trm.append(np.mean(np.abs(one_step(net, [Group(p.scalers[j], 0, len(tr), p.floor)], p.w.X[tr],
                                                   p.w.dates.values[tr].astype("datetime64[D]"), features.weekday)
                                          - p.w.y[tr])))
            model = averaged([where[i, "fold", j, sd] for sd in val_seeds])
            paths.append(run_paths(model, g, X, dts, horizon, features.weekday))
        out.val_mae.append(np.array(mae))
        out.val_mse.append(np.array(mse))
        out.train_mae.append(np.array(trm))
        out.paths.append(np.vstack(paths))
        out.actual.append(p.actual(horizon))
        out.starts.append(p.start_days())
        out.origins.append([p.series.start + pd.Timedelta(days=a) for a, _ in p.blocks])
        out.refit.append((averaged([where[i, "refit", sd] for sd in refit_seeds]), p.scalers[-1]))
    return out


@dataclass
class _Plan:
    """One series' windows, blocks and scalers (one per block, then the refit's)."""

    series: DailySeries
    w: Windows  # row r's target is day r + k
    k: int
    history: int
    blocks: list[tuple[int, int]]
    scalers: list[Scaler]
    floor: float | None

    def target_day(self) -> np.ndarray:
        return np.arange(len(self.w)) + self.k

    def rows_before(self, a: int) -> np.ndarray:
        t = self.target_day()
        return np.flatnonzero((t >= self.history) & (t < a))

    def rows_in(self, a: int, e: int) -> np.ndarray:
        return np.arange(a - self.k, e - self.k)

    def days_in(self, a: int, e: int) -> np.ndarray:
        return (np.datetime64(self.series.start.date(), "D") + np.arange(a, e)).astype("datetime64[D]")

    def start_days(self) -> pd.DatetimeIndex:
        a, e = self.blocks[0][0], self.blocks[-1][1]
        return pd.DatetimeIndex(self.series.start + pd.to_timedelta(np.arange(a, e), unit="D"))

    def actual(self, horizon: int) -> np.ndarray:
        n = len(self.series)
        idx = np.arange(self.blocks[0][0], n)[:, None] + np.arange(horizon)[None, :]
        return np.where(idx < n, self.series.values[np.minimum(idx, n - 1)], np.nan)


def _plan(series: DailySeries, k: int, history: int, folds: int, days: int, normalize: bool,
          features: Features) -> _Plan:
    series.require_complete()
    w = make_windows(series.values, k, series.start)
    bl = blocks(len(series), history, folds, days)
    p = _Plan(series, w, k, history, bl, [], 0.0 if np.nanmin(series.values) >= 0 else None)
    t = p.target_day()
    ends = [a for a, _ in bl] + [len(series)]
    p.scalers = [features.scaler(w.y[(t >= history) & (t < a)], normalize) for a in ends]
    return p


def _members(plans: list[_Plan], features: Features, seeds: tuple[int, ...], kind: str, pooled: bool, power: float,
             config: TrainConfig, offset: int) -> tuple[list[Member], dict]:
    """The engine's members of one kind — per block × seed ("fold"), or per seed ("refit") — and where
    each (series, "fold", block, seed) or (series, "refit", seed) is among all members (after `offset`)."""
    jobs = [(j, sd) for j in range(len(plans[0].blocks)) for sd in seeds] if kind == "fold" else \
           [(len(plans[0].blocks), sd) for sd in seeds]
    members, where = [], {}
    numbered = list(enumerate(plans))
    for group in ([numbered] if pooled else [[ip] for ip in numbered]):
        for j, sd in jobs:
            idx, val, wts, at = [], [], [], 0
            for _, p in group:
                a = p.blocks[j][0] if kind == "fold" else len(p.series)
                rows = p.rows_before(a)
                idx.append(at + rows)
                val.append(at + (p.rows_in(*p.blocks[j]) if kind == "fold" and config.early_stop else rows[:0]))
                wts.append(row_weights(p.w, rows, power))
                at += len(p.w)
            rows, weights, val = np.concatenate(idx), np.concatenate(wts), np.concatenate(val)
            if len(rows) > MAX_ROWS:
                pick = np.sort(np.random.default_rng([config.seed, sd, j]).choice(len(rows), MAX_ROWS, replace=False))
                rows, weights = rows[pick], weights[pick]
            keep = np.union1d(rows, val)  # the member holds only the rows it trains or validates on, in order
            m = Member(_rows_of([p for _, p in group], j, keep), np.searchsorted(keep, rows), np.searchsorted(keep, val),
                       Scaler.identity(), sd, features.weekday, tag=(kind, j, sd),
                       train_weight=weights if power else None)
            for i, _ in group:
                where[(i, kind, j, sd) if kind == "fold" else (i, kind, sd)] = offset + len(members)
            members.append(m)
    return members, where


def _rows_of(plans: list[_Plan], j: int, keep: np.ndarray) -> Windows:
    """Rows `keep` (indices into the plans' windows one after another) on block j's scale: only those are
    copied and scaled — 2,100 series' windows, each member a copy of all of them, took 20 GB."""
    parts, at = [], 0
    for p in plans:
        mine = keep[(keep >= at) & (keep < at + len(p.w))] - at
        w, sc = p.w.take(mine), p.scalers[j]
        parts.append(Windows(sc.inputs(w.X), sc.target(w.y, w.X), w.dates))
        at += len(p.w)
    return Windows.concat(parts) if len(parts) > 1 else parts[0]


def _median_best(run: EngineResult, rows: list[int]) -> int:
    """The updates a refit takes after early stopping: the median over the blocks × seeds of the updates
    before each one's best weights."""
    best = run.best_update[rows] if run.best_update is not None else np.array([])
    best = best[best >= 0]
    return max(1, int(np.median(best))) if len(best) else 0


def _series_of(m: int, where: dict) -> int:
    """The (first) series whose refit member m is (pooled: every series shares it; the first stands for all)."""
    return min(i for (i, *_), at in where.items() if at - min(where.values()) == m)


def epochs_for(updates: int, rows: int, batch: int) -> int:
    """Epochs that make about `updates` updates of `batch` rows over `rows` training rows."""
    return max(1, round(updates / max(1, math.ceil(rows / batch))))
