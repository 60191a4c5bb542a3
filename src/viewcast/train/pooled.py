"""The global model (`--global`): ONE network for all series, each series in its own standard units
(its own scaler), trained on every series' rows at once — what mlforecast / neuralforecast users
reach for. Its result per series is a FitResult whose model is the shared network and whose scaler
is the series' own, so everything downstream (scores, forecasts) works unchanged.

>>> from viewcast.features import choose_split, prepare
>>> a, b = s, DailySeries("half", s.values / 2, s.start)
>>> fits = fit_global("linear:7", [prepare(x, 7, choose_split(x)) for x in (a, b)], TrainConfig(epochs=200))
>>> fits[0].model is fits[1].model, round(fits[1].train["mae"] / fits[0].train["mae"], 2)
(True, 0.5)
"""
from __future__ import annotations

import math
from typing import Callable

import numpy as np

from .. import models
from ..data.series import DailySeries  # noqa: F401  (doctest)
from .losses import scores
from ..features import Prepared, Scaler, Windows
from .config import TrainConfig, seed_stream
from .fit import FitResult, History, predict
from .members import Member, pack
from .engine import train
from .stop import StopReason  # noqa: F401


GLOBAL_BATCH = 2048  # the smallest mini-batch of a global model's default recipe
GLOBAL_UPDATES = 480  # …and about this many updates in all, an epoch being about a third of them at most


def scaled(config: TrainConfig, rows: int) -> TrainConfig:
    """The recipe a global model trains with when none was asked for (full batch and the default
    epochs): a full batch of every series' rows for 1,000 epochs is hours at 2,000 series. Instead
    mini-batches that make an epoch about 160 updates (at least 2,048 rows, a power of two), about 480
    updates in all (at least 3 epochs), η ∝ √batch from the optimizer's default at 2,048 — measured in
    benchmarks/bench_many.py: time ×11.7 from 210 to 2,100 series, better median validation MAE than
    the plain PyTorch loop at 66× its throughput. Adam only; a config that sets a batch size, or epochs
    other than the default 1,000, is kept as it is, and a given η is kept.

    >>> c = scaled(TrainConfig(), 2_950_000)
    >>> c.batch_size, c.epochs, round(c.learning_rate(), 4)
    (16384, 3, 0.0283)
    >>> scaled(TrainConfig(batch_size=512), 2_950_000).batch_size
    512
    """
    if (config.batch_size is not None or config.epochs != TrainConfig.epochs or config.optimizer != "adam"
            or not config.normalize):
        return config
    batch = max(GLOBAL_BATCH, 2 ** round(math.log2(max(rows * 3 / GLOBAL_UPDATES, 1))))
    if batch >= rows:
        return config
    epochs = max(3, round(GLOBAL_UPDATES / math.ceil(rows / batch)))
    lr = config.lr if config.lr is not None else config.learning_rate() * math.sqrt(batch / GLOBAL_BATCH)
    return config.but(batch_size=batch, epochs=epochs, lr=lr)


def standardized(w: Windows, scaler: Scaler) -> Windows:
    """The windows in the scaler's standard units (log first when it is on a log scale)."""
    return Windows(scaler.inputs(w.X), scaler.target(w.y, w.X), w.dates)


def fit_global(spec: str | models.Spec, datas: list[Prepared], config: TrainConfig = TrainConfig(),
               vals: list[Windows | None] | None = None, train_windows: list[Windows | None] | None = None,
               stop_after: int | None = None, ensemble: int = 1, progress: Callable | None = None) -> list[FitResult]:
    """One network trained on all series' training rows (validation rows pooled for early stopping);
    the per-series results share it. `ensemble` N: N such networks from N seeds, averaged."""
    s = models.parse(spec) if isinstance(spec, str) else spec
    vals = vals or [None] * len(datas)
    train_windows = train_windows or [None] * len(datas)
    parts, tr_all, va_all, scalers = [], [], [], []
    for d, val, tw in zip(datas, vals, train_windows):
        tr = tw if tw is not None else d.train
        sc = d.features.scaler(tr.y, config.normalize) if tw is not None else d.scaler
        scalers.append(sc)
        tr_all.append(standardized(tr, sc))
        if val is not None and len(val):
            va_all.append(standardized(val, sc))
        parts.append((d, tr, val if val is not None and len(val) else None))
    rows = Windows.concat(tr_all + va_all)
    n_tr = sum(len(w) for w in tr_all)
    weekday = datas[0].features.weekday
    members = [Member(rows, np.arange(n_tr), np.arange(n_tr, len(rows)), Scaler.identity(), s, weekday)
               for s in seed_stream(config.seed, ensemble)]
    res = train(s, pack(members), config, progress=progress, stop_after=stop_after)
    nets = [res.net.module(i) for i in range(ensemble)]
    model = nets[0] if ensemble == 1 else models.Ensemble(nets).eval()
    best = None if res.best_update is None or res.best_update[0] < 0 else int(res.best_update[0])
    history = History.of(res, 0)  # one network: one history, shared (not rebuilt per series)
    out = []
    for (d, tr, val), sc in zip(parts, scalers):
        f = d.features
        tr_pred = predict(model, sc, tr.X, tr.dates, f.weekday)
        te_pred = predict(model, sc, d.test.X, d.test.dates, f.weekday)
        out.append(FitResult(
            spec=str(s), config=config, model=model, scaler=sc, k=s.k, params=models.n_params(model),
            train=scores(tr_pred, tr.y), test=scores(te_pred, d.test.y),
            val=scores(predict(model, sc, val.X, val.dates, f.weekday), val.y) if val is not None else None,
            exact=None, history=history, updates=int(res.stops[0].update), stop=res.stops[0],
            best_update=best, seconds=res.seconds, lr=res.lr0, features=f, source=d.source, split=d.split,
            train_days=len(tr), test_days=len(d.test), ensemble=ensemble,
            sample_passes=res.sample_passes))  # the shared network's: the same on every series
    return out
