"""What a command does to a chunk of series: a Job (the command and its settings, plain data that
travels to a Ray worker) and `run_chunk(job, series)` → one row per series (or per series × model /
day), JSON-ready. A series the command cannot use (too short, gaps, all zeros) becomes a skipped row
with its reason; the others run together, each step one engine run over the chunk's series.

>>> job = Job("fit", specs=("linear:7",), config=TrainConfig(epochs=50))
>>> out = run_chunk(job, [s, DailySeries("tiny", np.ones(5), s.start)])
>>> [r["series"] for r in out.rows], out.skipped[0]["series"]
(['demo'], 'tiny')
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .. import models
from ..book import ladder as book
from ..data.series import DailySeries
from ..errors import DataError, ViewcastError
from ..checks import check
from ..evaluate.rules import BLENDS, DEFAULT_RULE, blend_items, check_rule
from ..evaluate.select import select_many
from ..evaluate.validation import parse_scheme, split_indices
from ..features import Features, choose_split, prepare, prepare_all
from ..forecasting import Selector, forecast_many
from ..train import TrainConfig, seed_stream
from ..train.config import for_validation
from ..train.interrupt import abandon_on_interrupt
from ..train.fit import fit_many

COMMANDS = ("fit", "ladder", "cv", "forecast", "diagnose")


@dataclass(frozen=True)
class Job:
    command: str  # one of COMMANDS
    specs: tuple[str, ...] = ()  # fit: (model,); cv/forecast/diagnose: candidates (empty: the command's default)
    config: TrainConfig = TrainConfig()
    features: tuple[Features, ...] = (Features(),)
    split: tuple = (None, None, None, None)  # train_start, train_end, test_start, test_end (each series its own)
    validation: str | None = None  # scheme text (None: the command's default)
    seeds: int | None = None  # None: the command's default (forecast: Selector.DEFAULT's, else 1)
    ensemble: int | None = None  # None: the command's default (forecast: Selector.DEFAULT's, else 1)
    days: int = 1  # forecast
    chunk: int | None = None  # members per engine program (None: from the available memory)
    pooled: bool = False  # fit/cv: one network for all the chunk's series (a global model) — cv: as candidates too
    rule: str | None = None  # cv/forecast: how validation chooses (None: the Selector's for forecast, else DEFAULT_RULE)
    full_schedule: bool | None = None  # forecast: no early stopping (None: unless config.early_stop)
    selector: Selector | None = None  # forecast: how it chooses and trains (None: Selector.DEFAULT, changed by the above)

    def __post_init__(self):
        """Settings are checked here, on the driver, before any work — not in each chunk."""

        if self.command not in COMMANDS:
            raise ViewcastError(f"use one of {', '.join(COMMANDS)}", param="command", value=self.command)
        own = self.command == "forecast"  # forecast's default selector differs from cv's (forecasting.Selector)
        if own:
            object.__setattr__(self, "selector", (self.selector or Selector.DEFAULT).but(
                models=self.specs or None, features=self.features,
                seeds=self.seeds, ensemble=self.ensemble, rule=self.rule,
                validation=self.validation, full_schedule=self.full_schedule))
        sel = self.selector
        for name, default in (("seeds", sel.seeds if own else 1), ("ensemble", sel.ensemble if own else 1),
                              ("rule", sel.rule if own else DEFAULT_RULE)):
            if getattr(self, name) is None:
                object.__setattr__(self, name, default)
        check(seeds=self.seeds, ensemble=self.ensemble, chunk=self.chunk, days=self.days)
        for name, day in zip(("train_start", "train_end", "test_start", "test_end"), self.split):
            if day is not None and not isinstance(day, pd.Timestamp):
                try:
                    pd.Timestamp(day)
                except (ValueError, TypeError):
                    raise ViewcastError("not a date; use YYYY-MM-DD", param=name, value=day) from None
        if self.rule in BLENDS and self.pooled and self.command == "cv":
            raise ViewcastError("averages per-series models; with --global use 1se or min", param="rule", value=self.rule)
        if self.command == "forecast" and self.full_schedule and self.config.early_stop:
            raise ViewcastError("trains every model to the end of its schedule: drop --early-stop",
                                param="full_schedule", value=True)
        check_rule(self.rule)
        if self.validation is not None:
            scheme = parse_scheme(self.validation)
            if self.command == "fit" and scheme.kind not in ("holdout", "random"):
                raise ViewcastError("fit validates on one part; for several folds use `viewcast cv`",
                                    param="val", value=self.validation)


@dataclass
class ChunkResult:
    rows: list[dict] = field(default_factory=list)  # one per series (fit, cv, diagnose) or series × model/day
    skipped: list[dict] = field(default_factory=list)  # {"series", "reason"}


def run_chunk(job: Job, series: list[DailySeries], progress=None, on_model=None) -> ChunkResult:
    """Run `job` on every usable series of the chunk (one engine run per step over all of them);
    `on_model(label, i, n)` at each step, `progress(done, total, loss)` as its engine run trains."""
    out = ChunkResult()
    usable, splits = [], []
    for s in series:
        try:
            sp = choose_split(s, *job.split) if job.command != "forecast" else None
            _check(job, s, sp)
        except DataError as e:
            out.skipped.append({"series": s.name, "reason": e.render(cli=True)})
            continue
        usable.append(s)
        splits.append(sp)
    if usable:
        with abandon_on_interrupt():  # Ctrl-C: the chunk is not half-done, it is left for --resume
            out.rows = RUNNERS[job.command](job, usable, splits, progress, on_model or _nothing)
    return out


def _nothing(*a) -> None:
    pass


def _ks(job: Job) -> list[int]:
    return [models.parse(s).k for s in (job.specs or _default_specs(job))]


def _default_specs(job: Job) -> tuple[str, ...]:
    if job.command == "forecast":
        return job.selector.models
    return tuple(book.specs())


def _check(job: Job, s: DailySeries, split) -> None:
    """Raise DataError if the command cannot use this series (before any training)."""
    if np.nanmax(np.abs(s.values)) == 0:
        raise DataError(f"{s.name}: every day is 0; there is nothing to forecast")
    if job.command == "forecast":
        from ..forecasting.blocks import blocks

        s.require_complete()
        blocks(len(s), max(_ks(job)), job.selector.folds, job.selector.calibration_days)
    else:
        for f in job.features:
            prepare_all(s, _ks(job), split, job.config.normalize, f)


def _fit(job: Job, series, splits, progress, on_model) -> list[dict]:
    spec = job.specs[0]
    datas = [prepare(s, models.parse(spec).k, sp, normalize=job.config.normalize, features=job.features[0])
             for s, sp in zip(series, splits)]
    vals = tws = None
    if job.validation is not None or job.config.early_stop is not None:
        scheme = parse_scheme(job.validation or "holdout:0.1")
        parts = [split_indices(len(d.train), scheme, job.config.seed)[0] for d in datas]
        vals = [d.train.take(va) for d, (_, va) in zip(datas, parts)]
        tws = [d.train.take(tr) for d, (tr, _) in zip(datas, parts)]
    if job.pooled:
        from ..train.pooled import fit_global, scaled

        config = scaled(job.config, sum(len(d.train) for d in datas))  # mini-batches when none were asked for
        fits = fit_global(spec, datas, config, vals, tws, ensemble=job.ensemble, progress=progress)
    else:
        fits = fit_many(spec, datas, job.config, vals, tws, ensemble=job.ensemble, chunk=job.chunk, progress=progress)
    return [{"series": f.source, "model": f.spec + (" global" if job.pooled else ""), "params": f.params, "split": f.split.describe(),
             "train_mae": f.train["mae"], "val_mae": f.val["mae"] if f.val else None, "test_mae": f.test["mae"],
             "updates": f.updates, "stop_reason": f.stop_reason} for f in fits]


def _ladder(job: Job, series, splits, progress, on_model) -> list[dict]:
    specs = job.specs or tuple(book.specs())
    ks = [models.parse(sp).k for sp in specs]
    prepared = [prepare_all(s, ks, sp, job.config.normalize, job.features[0]) for s, sp in zip(series, splits)]
    rows = []
    for i, spec in enumerate(specs):
        on_model(spec, i, len(specs))
        k = models.parse(spec).k
        for f in fit_many(spec, [p[k] for p in prepared], job.config, chunk=job.chunk, progress=progress):
            rows.append({"series": f.source, "model": spec, "params": f.params, "train_mae": f.train["mae"],
                         "test_mae": f.test["mae"], "stop_reason": f.stop_reason})
    return rows


def _cv(job: Job, series, splits, progress, on_model) -> list[dict]:
    sels = select_many(series, splits, list(job.specs or book.specs()), parse_scheme(job.validation or "holdout:0.1"),
                       for_validation(job.config), seed_stream(job.config.seed, job.seeds),
                       features=job.features, ensemble=job.ensemble, chunk=job.chunk, progress=progress, on_model=on_model,
                       pooled=job.pooled, rule=job.rule, base=job.config)
    rows = []
    for sel in sels:
        ru = sel.runner_up
        chosen = " | ".join(blend_items([c.label for c in sel.blend], sel.blend_weights)) if sel.blend else sel.chosen.label
        rows.append({"series": sel.source, "chosen": chosen, "split": sel.split.describe(),
                     "val_mae_mean": sel.chosen.val_mean, "val_mae_std": sel.chosen.val_std,
                     "test_mae": sel.test["mae"], "runner_up": ru["model"] if ru else None,
                     "runner_up_delta_pct": ru["delta_pct"] if ru else None,
                     "candidates": {c.label: c.val_mean for c in sel.candidates}})
    return rows


def _forecast(job: Job, series, splits, progress, on_model) -> list[dict]:
    fcs = forecast_many(series, job.days, job.selector, job.config, chunk=job.chunk, on_model=on_model,
                        progress=progress)
    rows = []
    for f in fcs:
        for d in f.as_dict()["forecast"]:
            rows.append({"series": f.source, "chosen": " | ".join(blend_items([c.label for c in f.blend], f.blend_weights)) if f.blend else f.chosen.label,
                         "val_mae_mean": f.chosen.val_mean,
                         "trained_through": f"{f.trained_through:%Y-%m-%d}", **d, "notes": "; ".join(f.notes)})
    return rows


def _diagnose(job: Job, series, splits, progress, on_model) -> list[dict]:
    from ..diagnosis import DiagnoseConfig, diagnose

    rows = []
    for i, (s, sp) in enumerate(zip(series, splits)):  # each its own diagnosis (references, tests are per series)
        on_model(s.name, i, len(series))
        d = diagnose(s, sp, list(job.specs or book.specs()), parse_scheme(job.validation or "holdout:0.1"), job.config,
                     DiagnoseConfig(seed=job.config.seed), progress=progress)
        ov = d.overall
        rows.append({"series": s.name, "best_model": ov["best_model"], "verdict": ov["verdict"],
                     "verdicts": {m.spec: m.verdicts[0].verdict for m in d.models},
                     "worst_days": [w["date"] for w in d.worst_days]})
    return rows


RUNNERS = {"fit": _fit, "ladder": _ladder, "cv": _cv, "forecast": _forecast, "diagnose": _diagnose}
