"""A command on several series from Python: what `vc.fit`, `vc.cv`-like calls, `vc.forecast` … do when
their data names many series — a pattern (`'wiki:*'`), a folder or glob of CSVs, a CSV with `column="*"`,
a list of series or paths, or a long DataFrame (`unique_id, ds, y` as statsforecast takes it, or any
`key=` column). The series are members of one engine run per step; unusable ones are skipped with their
reason (`.skipped`); `.to_frame()` has a row per series (or series × model / day).

>>> import viewcast as vc
>>> r = vc.fit([s, s.between(None, s.end - pd.Timedelta(days=30))], "linear:7", epochs=50)
>>> r.done, len(r.to_frame()), r.skipped
(2, 2, [])
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from ..data.many import is_many, load_many
from ..data.series import DailySeries
from ..errors import ViewcastError
from ..features import Features
from ..forecasting import Selector
from ..train import TrainConfig
from .jobs import Job
from .runner import CHUNK_SERIES, ManyResult, check_settings, run_many

KEY = "unique_id"  # a long DataFrame's series column when no key= is given (statsforecast's name)
MANY_OPTIONS = ("key", "column", "backend", "address", "workers", "chunk_series", "results", "resume", "pooled")
JOB_OPTIONS = ("validation", "features", "seeds", "days", "rule", "ensemble", "full_schedule", "pooled")


def names_many(data, column: str | None = None, key: str | None = None) -> bool:
    """Does `data` hold several series (and not one)?"""
    import pandas as pd

    if isinstance(data, pd.DataFrame):
        return key is not None or KEY in data.columns
    return not isinstance(data, DailySeries) and is_many(data, column)


def several(data, options: dict) -> bool:
    """Does `data` name several series? A public function's options for several series (MANY_OPTIONS but
    `column`, which picks one series' column too), given with one, are refused."""
    if names_many(data, options.get("column"), options.get("key")):
        return True
    given = [k for k in MANY_OPTIONS if k in options and k != "column"]
    if given:
        raise ViewcastError("is for several series (a pattern, a folder, a list, a long DataFrame)", param=given[0],
                            value=options[given[0]])
    return False


def run(command: str, data, specs: tuple[str, ...], config: TrainConfig | None, options: dict, *,
        split=None, on_model: Callable | None = None, progress: Callable | None = None, **job) -> ManyResult:
    """`command` on each series `data` names, from a public function: `options` holds its leftover keywords —
    the MANY_OPTIONS, and training options for the TrainConfig; `job`, the Job's settings; `split` (a Split)
    the same dates for every series."""
    from ..evaluate.validation import Scheme

    many = {k: options.pop(k) for k in MANY_OPTIONS if k in options}
    v = job.get("validation")
    if isinstance(v, Scheme):
        if v.gap:
            raise ViewcastError("a gap between training and validation days is for one series", param="gap",
                                value=v.gap)
        job["validation"] = v.spec
    if split is not None:
        job["split"] = (split.train_start, split.train_end, split.test_start, split.test_end)
    config = config or TrainConfig()
    return on_many(command, data, specs, config.but(**options) if options else config, on_model=on_model,
                   progress=progress, **many, **job)


def on_many(command: str, data, specs: tuple[str, ...], config: TrainConfig, *, key: str | None = None,
            column: str | None = None, validation: str | None = None,
            features: Features | tuple[Features, ...] | None = None, seeds: int | None = None, days: int = 1,
            rule: str | None = None, ensemble: int | None = None, full_schedule: bool | None = None,
            pooled: bool = False, backend: str = "local", address: str | None = None, workers: int | None = None,
            chunk_series: int | None = None, results: str | Path | None = None, resume: bool = False,
            selector: Selector | None = None, split: tuple = (None, None, None, None),
            on_model: Callable | None = None, progress: Callable | None = None) -> ManyResult:
    """Run `command` ("fit", "ladder", "cv", "forecast", "diagnose") on every series `data` names; every
    setting is checked before a series is read."""
    import pandas as pd

    feats = (Selector.DEFAULT.features if command == "forecast" else (Features(),)) if features is None else (
        (features,) if isinstance(features, Features) else tuple(features))
    if command == "fit" and len(specs) != 1:
        raise ViewcastError("fit trains one model: give one spec, e.g. model=\"relu:56x100\"", param="models",
                            value=",".join(specs))
    job = Job(command, specs, config, feats, split=split, validation=validation, seeds=seeds, days=days,
              pooled=pooled, rule=rule, ensemble=ensemble, full_schedule=full_schedule, selector=selector)
    out = check_settings(backend, address, workers, results, resume, chunk_series)
    if isinstance(data, pd.DataFrame) and key is None:
        key = KEY
    if isinstance(data, (list, tuple)) and all(isinstance(x, DailySeries) for x in data):
        loaded, skipped = list(data), []
    else:
        got = load_many(data, column=column, key=key)
        loaded, skipped = got.series, got.skipped
    if isinstance(data, (list, tuple)) and len({x.name for x in loaded}) < len(loaded):
        loaded = [DailySeries(f"{x.name} ({i + 1})", x.values, x.start) for i, x in enumerate(loaded)]
    if chunk_series is None:  # a global model is one network over all the series, not one per chunk
        global_ = job.pooled or (command == "forecast" and job.selector.pooled)
        chunk_series = max(1, len(loaded)) if global_ else CHUNK_SERIES
    return run_many(job, loaded, backend, address, workers, chunk_series, out, resume, skipped=skipped,
                    on_model=on_model, progress=progress)
