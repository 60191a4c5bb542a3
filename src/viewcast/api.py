"""The public Python API: each step of chapters 1–2 in a line. One shape: the data first — a built-in
name, a CSV path, a pandas Series or DataFrame, a DailySeries, or several series at once (a pattern such as
`'wiki:*'`, a folder or glob of CSVs, a list, a long DataFrame `unique_id, ds, y`: then the result is a
ManyResult, a row per series) — then the settings, keyword-only after the first few. Training options may
be given as keywords (`epochs=300`, `early_stop=50`, …) or as a TrainConfig; several series also take
`key`, `column`, `backend`, `address`, `workers`, `chunk_series`, `results` and `resume` (docs/many-series.md).
Every result has as_dict() (what the CLI's --json prints) and, when it is a table, to_frame(); in Jupyter
it shows as a table.

>>> import numpy as np, pandas as pd, viewcast as vc
>>> days = pd.date_range("2021-01-01", periods=400)
>>> views = 5000 + 300 * np.sin(np.arange(400) * 2 * np.pi / 7) + np.random.default_rng(0).normal(0, 50, 400)
>>> r = vc.fit(pd.Series(views, index=days), "linear:7")
>>> r.spec, round(r.train["mae"]), round(r.exact["mae"]), r.exact["gap_pct"] < 0.1
('linear:7', 46, 46, True)
"""
from __future__ import annotations

from pathlib import Path
import warnings
from typing import Callable

from . import models as _models
from . import store
from .book import lab as book_lab
from .book import ladder as book_ladder
from .book import homework
from .book.homework import leaderboard, submission  # noqa: F401  (a table's own steps, public here)
from .book import report as book_report
from .data import load_series
from .data.series import DailySeries
from .diagnosis import DiagnoseConfig, Diagnosis, diagnose as run_diagnosis
from .errors import ViewcastError
from .evaluate.candidates import Candidate, evaluate
from .evaluate.rules import DEFAULT_RULE
from .evaluate.select import Selection, select as run_selection
from .evaluate.validation import Scheme, fit_parts, parse_scheme
from .features import SEARCH, Features, Prepared, Split, choose_split, prepare
from .forecasting import Selector, forecast as run_forecast
from .many.on import JOB_OPTIONS, several, run as many_on
from .surface import SurfaceConfig, SurfaceResult, error_surface as surface_of
from .train import FitResult, TrainConfig, seed_stream
from .train.config import for_validation
from .train import fit as train_fit

def _series(data, options: dict | None = None) -> DailySeries:
    """One series from `data`; `options`' column (a CSV's or DataFrame's) picks which, when given."""
    column = (options or {}).pop("column", None)
    return data if isinstance(data, DailySeries) else load_series(data, column=column)


def _config(config: TrainConfig | None, options: dict) -> TrainConfig:
    return (config or TrainConfig()).but(**options) if options else (config or TrainConfig())


def fit(data=None, model: str | None = None, config: TrainConfig | None = None, *, split: Split | None = None,
        features: Features = Features(), validation: str | Scheme | None = None, ensemble: int = 1,
        progress: Callable | None = None, target: str | None = None, select: int | None = None,
        select_by: str = "f_regression", test: float | str = 0.2, **train_options) -> FitResult:
    """Train one model (step 3, default linear:56) on the training days of a series (or on a `prepare`d
    Prepared); scores in views on the training, test and (with `validation` or early stopping) validation days.
    A table (`target=`: its column to predict; `features`, `select`, `test`: `book.homework.fit`) trains `linear`.

    >>> r = vc.fit(s, "linear:7", early_stop=100)
    >>> r.stop.reason.value in ("early_stop", "updates"), r.val is not None, list(r.to_frame().columns)
    (True, True, ['mae', 'mse'])
    """
    data, model = _models.data_first(data, model)
    if several(data, train_options):
        return many_on("fit", data, (str(_models.parse(model or "linear:56")),), config, train_options, split=split,
                       progress=progress, validation=validation, features=features, ensemble=ensemble)
    if homework.is_table(data, target):
        return homework.fit(model, data, target, homework.table_config(config, train_options), validation=validation,
                            ensemble=ensemble, progress=progress, columns=features, select=select, select_by=select_by,
                            test=test)
    cfg = _config(config, train_options)
    spec = _models.parse(model or "linear:56")
    if isinstance(data, Prepared):
        prepared = data
    else:
        series = _series(data if data is not None else "wiki:Standard_deviation")
        prepared = prepare(series, spec.k, split or choose_split(series), normalize=cfg.normalize, features=features)
    parts, said = fit_parts(prepared.train, validation, cfg) if validation is not None or cfg.early_stop is not None \
        else ({}, [])
    r = train_fit(spec, prepared, cfg, progress=progress, ensemble=ensemble, **parts)
    r.warnings = said
    return r


def ladder(data=None, config: TrainConfig | None = None, *, split: Split | None = None,
           features: Features = Features(), on_model: Callable | None = None, progress: Callable | None = None,
           seeds: int | None = None, target: str | None = None, test: float | str = 0.2,
           **train_options) -> book_ladder.LadderResult:
    """The book's tables A, B, C: every model of the ladder trained from `seeds` seeds (3 unless given; the first
    alone, as `fit` does), L and L′ beside the book's, the seeds' mean and spread (a table's, `target=`:
    `book.homework`; several series: a row each; both one network per rung, and refuse `seeds`).

    >>> t = vc.ladder(s, epochs=30).to_frame()
    >>> t.shape, float(t.loc[("A", "linear:1"), "book_train_mae"])
    ((15, 14), 480.0)
    """
    many, table = several(data, train_options), homework.is_table(data, target)
    if seeds not in (None, 1) and (many or table):
        raise ViewcastError(f"the ladder of {'several series' if many else 'a table'} trains one network per rung",
                            param="seeds", value=seeds, hint="leave seeds out")
    if many:
        return many_on("ladder", data, (), config, train_options, split=split, on_model=on_model, progress=progress,
                       features=features)
    if table:
        return homework.ladder(data, target, homework.table_config(config, train_options), test=test, columns=features,
                               on_model=on_model, progress=progress)
    series = _series(data if data is not None else "wiki:Standard_deviation")
    return book_ladder.run(series, split or choose_split(series), _config(config, train_options), on_model, progress,
                           features, seeds=book_ladder.SEEDS if seeds is None else seeds)


def cross_validate(data, model: str = "relu:56x100", validation: str | Scheme = "kfold:5",
                   config: TrainConfig | None = None, *, split: Split | None = None, seeds: int = 1,
                   features: Features = Features(), progress: Callable | None = None, target: str | None = None,
                   select: int | None = None, select_by: str = "f_regression", test: float | str = 0.2,
                   **train_options) -> Candidate:
    """The validation loss of one model: every fold × seed trained together (chapter 2's k-fold; a table's: `target=`).

    >>> c = vc.cross_validate(s, "linear:7", "kfold:3", epochs=50)
    >>> len(c.val_mae), c.val_mean > 0
    (3, True)
    """
    if homework.is_table(data, target):
        cfg = homework.table_config(config, train_options)
        return homework.cross_validate(data, target, model, validation, cfg, seeds=seed_stream(cfg.seed, seeds),
                                       progress=progress, columns=features, select=select, select_by=select_by, test=test)
    series = _series(data)
    cfg = for_validation(_config(config, train_options))
    spec = _models.parse(model)
    prepared = prepare(series, spec.k, split or choose_split(series), normalize=cfg.normalize, features=features)
    return evaluate(spec, prepared, parse_scheme(validation), cfg, seed_stream(cfg.seed, seeds), progress)


def select(data, models: list[str] | str | None = None, validation: str | Scheme | None = None,
           config: TrainConfig | None = None, *, split: Split | None = None, seeds: int = 1,
           features: Features | tuple[Features, ...] = Features(), search: bool = False, ensemble: int = 1,
           show_test: bool = False, on_model: Callable | None = None, progress: Callable | None = None,
           rule: str | None = None, target: str | None = None, select: list[int | None] | None = None,
           select_by: str = "f_regression", test: float | str = 0.2, **train_options) -> Selection:
    """Choose a model by validation on the training days only (default holdout:0.1, rule 1se), refit it, score the
    test days once (a table's, `target=`: models × `select` by kfold:5, default `TableRecipe`; `book.homework.cv`).

    >>> sel = vc.select(s, ["linear:7", "linear:28"], epochs=200)
    >>> list(sel.to_frame().index), sel.chosen.label in ("linear:7", "linear:28")
    (['linear:7', 'linear:28'], True)
    """
    if several(data, train_options):
        return many_on("cv", data, _specs(models), config, train_options,
                       split=split, on_model=on_model, progress=progress,
                     validation=validation, features=SEARCH if search else features, seeds=seeds, ensemble=ensemble,
                     rule=rule)
    if homework.is_table(data, target):
        cfg = homework.table_config(config, train_options)
        return homework.cv(data, target, models, validation, cfg, seeds=seed_stream(cfg.seed, seeds), on_model=on_model,
                           progress=progress, rule=rule, columns=features, select=select, select_by=select_by, test=test)
    series = _series(data)
    cfg = for_validation(_config(config, train_options))
    specs = book_ladder.specs_of(models)
    feats = SEARCH if search else ((features,) if isinstance(features, Features) else tuple(features))
    return run_selection(series, split or choose_split(series), specs, parse_scheme(validation or "holdout:0.1"), cfg,
                         seed_stream(cfg.seed, seeds), show_test, on_model, progress, feats, ensemble, rule or DEFAULT_RULE)


def diagnose(data, models: list[str] | str | None = None, validation: str | Scheme | None = None,
             config: TrainConfig | None = None, *, split: Split | None = None,
             dconfig: DiagnoseConfig | None = None, on_model: Callable | None = None,
             progress: Callable | None = None, target: str | None = None, test: float | str = 0.2,
             **train_options) -> Diagnosis:
    """Why each model is bad (chapter 2): model bias, optimization issue, overfitting, mismatch (a table's: `target=`).

    >>> d = vc.diagnose(s, ["linear:1", "linear:7"], epochs=300)
    >>> d.to_frame()["verdict"].tolist()
    ['model_bias', 'ok']
    """
    if several(data, train_options):
        return many_on("diagnose", data, _specs(models), config, train_options,
                       split=split, on_model=on_model, progress=progress,
                     validation=validation)
    if homework.is_table(data, target):
        return homework.diagnose(data, target, models, validation, homework.table_config(config, train_options), test=test,
                                 dconfig=dconfig, on_model=on_model, progress=progress)
    series = _series(data)
    cfg = _config(config, train_options)
    return run_diagnosis(series, split or choose_split(series), book_ladder.specs_of(models), parse_scheme(validation or "holdout:0.1"), cfg,
                         dconfig or DiagnoseConfig(seed=cfg.seed), on_model, progress)


def error_surface(data, config: SurfaceConfig | None = None, *, split: Split | None = None,
                  **surface_options) -> SurfaceResult:
    """L(w, b) of the one-day linear model on the training days, with gradient descent on it.

    >>> r = vc.error_surface(s, grid=20)
    >>> [x.loss for x in r.surfaces], r.surfaces[0].L.shape
    (['mae', 'mse'], (20, 20))
    """
    series = _series(data)
    cfg = config or SurfaceConfig()
    if surface_options:
        from dataclasses import replace

        cfg = replace(cfg, **surface_options)
    return surface_of(series, split, cfg)


def forecast(data, days: int = 1, models: list[str] | str | None = None, config: TrainConfig | None = None, *,
             selector: Selector | None = None, features: Features | tuple[Features, ...] | None = None,
             seeds: int | None = None, ensemble: int | None = None, validation: str | None = None,
             rule: str | None = None, full_schedule: bool | None = None, pooled: bool | None = None,
             on_model: Callable | None = None, progress: Callable | None = None, **train_options):
    """The honest forecast: validate on the last year, refit on every day up to the series' end, forecast
    `days` days with 80% and 95% split-conformal intervals (views, never < 0). `selector` (by default
    `Selector.DEFAULT`: two ReLU networks of how views move, weighted by validation) says how; the other
    keywords change one of its settings (`models`, `features`, `seeds`, `ensemble`, `validation`, `rule`,
    `full_schedule`, `pooled`).

    >>> f = vc.forecast(s, days=3, selector=vc.Selector.QUICK.but(epochs=30, max_updates=60))
    >>> list(f.to_frame().columns), f.trained_through == s.end
    (['weekday', 'forecast', 'lower80', 'upper80', 'lower95', 'upper95'], True)
    """
    sel = (selector or Selector.DEFAULT).but(models=None if models is None else _specs(models),
                                             features=features, seeds=seeds, ensemble=ensemble, validation=validation,
                                             rule=rule, full_schedule=full_schedule, pooled=pooled)
    if several(data, train_options):
        return many_on("forecast", data, sel.models, config, train_options, on_model=on_model, progress=progress,
                       features=sel.features, days=days, selector=sel)
    return run_forecast(_series(data, train_options), days, sel, _config(config, train_options), on_model=on_model, progress=progress)


def many_series(command: str, data, models: list[str] | str | None = None, config: TrainConfig | None = None,
                **options):
    """Deprecated: call the command's own function with several series — `vc.fit(["a.csv", "b.csv"],
    "linear:7")`, `vc.select("wiki:*")`, `vc.forecast("wiki:*", days=7)` (command "cv" is `vc.select`)."""
    own = {"cv": "select"}.get(command, command)
    warnings.warn(f"vc.many_series({command!r}, data, …) is vc.{own}(data, …) now", DeprecationWarning, stacklevel=2)
    job = {k: options.pop(k) for k in JOB_OPTIONS if k in options}
    return many_on(command, data, _specs(models), config, options, **job)


def report_data(data, *, split: Split | None = None, config: book_report.ReportConfig | None = None,
                on_model: Callable | None = None, progress: Callable | None = None,
                on_part: Callable | None = None) -> book_report.ReportData:
    """Everything `viewcast report` shows for one series — the ladder, the error surface, the diagnosis
    and the forecast — computed once; the page (`viewcast.report.page.write_report`) only renders it.
    Parts the series is too short for are left out, with why (`.left_out`).

    >>> d = vc.api.report_data(s, config=book_report.ReportConfig(epochs=5, days=2, grid=10, forecast_models=("linear:7",)))
    >>> d.ladder is not None, d.forecast.dates[0] == s.end + pd.Timedelta(days=1)
    (True, True)
    """
    series = _series(data)
    return book_report.collect(series, split, config or book_report.ReportConfig(), on_model, progress, on_part)


report_data_many = book_report.collect_source  # report_data for each of several series, yielded one by one


def lab_data(data, *, split: Split | None = None, units: int = book_lab.UNITS, seed: int = 0, epochs: int | None = None,
             progress: Callable | None = None) -> dict:
    """The numbers chapter 1's lab shows (`viewcast lab`), plain JSON-able values; trains one small
    hardsigmoid:1x`units` (a few seconds). The page (`viewcast.lab.page.write_lab`) only renders them."""
    return book_lab.lab_data(_series(data), split, units, seed, epochs, progress)


def save(result: FitResult, path: str | Path, data=None) -> Path:
    """Write a fitted model to a safetensors file (atomically), with what it was trained on (`data`: the
    series; a table's model carries its own columns and scaling, `vc.submission` reads it).

    >>> vc.save(vc.fit(s, "linear:7", epochs=50), tmp / "m.safetensors", s).name
    'm.safetensors'
    """
    if result.columns is not None:
        return store.save_table(result, path)
    return store.save(result, path, _series(data))


def load(path: str | Path):
    """(model, metadata) from a file written by `save`; never executes code. A blend saved by `viewcast
    forecast --save` (rule ratio, soft or tie) loads as a torch.nn.ModuleList of its members (meta["blend"]).

    >>> _ = vc.save(vc.fit(s, "linear:7", epochs=50), tmp / "m.safetensors", s)
    >>> model, meta = vc.load(tmp / "m.safetensors")
    >>> meta["spec"], meta["data"]["name"]
    ('linear:7', 'demo')
    """
    return store.load(path)


__all__ = ["fit", "ladder", "cross_validate", "select", "diagnose", "error_surface", "forecast", "many_series", "save",
           "load", "report_data", "report_data_many", "lab_data", "leaderboard", "submission"]


def _specs(models) -> tuple[str, ...]:
    """The specs `models` names (a list, or "linear:7,relu:56x10"), checked; () when none are given."""
    return () if models is None else tuple(book_ladder.specs_of(models))
