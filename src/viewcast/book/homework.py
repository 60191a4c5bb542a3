"""The course's homework — a table, not a series — through the same three steps: `fit` one model, `cv`
(choose by validation; the default every learner starts from is `evaluate.table.TableRecipe.DEFAULT`);
`predict` makes a submission. Each row is one example; a random part of the rows (`test`, 20%) is held out and
scored once, as the book's 2021 days are. The loss is MSE (the homework's metric) unless told otherwise.

>>> rng = np.random.default_rng(0); X = rng.normal(size=(200, 3))
>>> df = pd.DataFrame({"id": range(200), "a": X[:, 0], "b": X[:, 1], "c": X[:, 2], "y": X @ [3., -2., 1.] + 5})
>>> r = fit("linear", df, "y", TrainConfig(loss="mse", lr=0.1))
>>> r.spec, r.k, r.test["mse"] < 1e-3
('linear', 3, True)
"""
from __future__ import annotations

from typing import Callable

import numpy as np
import pandas as pd

from .. import models
from ..data.table import Table, load_table
from ..errors import ViewcastError
from ..evaluate.table import TableRecipe, TableSelection, row_folds, select_rows, validate
from ..evaluate.validation import RANDOM_WARNING, Scheme, parse_scheme
from ..features import Prepared, RowSplit, TableScaler, prepare_table
from ..features.table import TEST_FRACTION
from ..train import FitResult, TrainConfig
from ..train import fit as train_fit


def table_config(config: TrainConfig | None, options: dict) -> TrainConfig:
    """A table's training settings: `config` (used as it is) or the defaults with `options`; MSE, the
    homework's metric, unless a loss is given."""
    if config is not None:
        return config.but(**options) if options else config
    return TrainConfig(**{"loss": "mse", **options})


def table_of(data, target: str | None, columns=None, encoding: str | None = None) -> Table:
    """A Table from a Table, a CSV path or a DataFrame (`target`: the column to predict; `columns`: the features
    by name or glob, a str or a list — a series' `Features` stands for none)."""
    if isinstance(data, Table):
        return data
    if not isinstance(columns, (str, list, tuple)):
        columns = None
    if target is None:
        raise ViewcastError("a table needs the column to predict, e.g. «target=tested_positive»", param="target",
                            value=None)
    return load_table(data, target, columns, encoding=encoding)


def rows_of(table: Table, test: float | str = TEST_FRACTION, seed: int = 0, select: int | None = None,
            by: str = "f_regression", normalize: bool = True) -> Prepared:
    """The table's training and test rows: a random `test` share held out (from `seed`), the K best
    features (`select`) chosen on the training rows."""
    return prepare_table(table, RowSplit.of(len(table), test, seed), select, by, normalize, seed)


def holdout(data: Prepared, validation: str | Scheme | None, seed: int) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """The training rows' random hold-out part (validation; default holdout:0.2), and its warnings."""
    scheme = parse_scheme(validation or "holdout:0.2")
    if scheme.kind not in ("holdout", "random"):
        raise ViewcastError("a single fit takes holdout:F; for k-fold use cross-validation (viewcast cv)",
                            param="val", value=str(validation))
    tr, va = row_folds(len(data.train), scheme, seed)[0]
    return tr, va, []


def fit(model: str | None, data, target: str | None = None, config: TrainConfig = TrainConfig(loss="mse"), *,
        columns=None, test: float | str = TEST_FRACTION, select: int | None = None, select_by: str = "f_regression",
        validation: str | Scheme | None = None, ensemble: int = 1, progress: Callable | None = None,
        recipe: TableRecipe = TableRecipe.DEFAULT) -> FitResult:  # type: ignore[attr-defined]
    """Train one model (`linear`, `relu:64x2`: its input width is the features read) on the training rows
    (with the recipe's settings when `config` gives no training option but the loss); scores on the
    training, test and (with `validation` or early stopping) validation rows."""
    table = table_of(data, target, columns)
    config = recipe.config(config, model or "linear")
    rows = rows_of(table, test, config.seed, select, select_by, config.normalize)
    spec = models.for_table(model or "linear", rows.k)
    kw: dict = {}
    if validation is not None or config.early_stop is not None:
        tr, va, _ = holdout(rows, validation, config.seed)
        kw = {"val": rows.train.take(va), "train_windows": rows.train.take(tr)}
    r = train_fit(spec, rows, config, progress=progress, ensemble=ensemble, **kw)
    r.spec = models.table_name(spec)
    r.warnings = [*table.said()]
    return r


def cv(data, target: str | None = None, specs: list[str] | None = None, validation: str | Scheme | None = None,
       config: TrainConfig = TrainConfig(), *, columns=None, test: float | str = TEST_FRACTION,
       select: list[int | None] | None = None, select_by: str = "f_regression", seeds: tuple[int, ...] = (0,),
       rule: str | None = None, recipe: TableRecipe = TableRecipe.DEFAULT, on_model: Callable | None = None,  # type: ignore[attr-defined]
       progress: Callable | None = None, rows: RowSplit | None = None) -> TableSelection:
    """Choose a table's model by validation on the training rows (the recipe's candidates unless `specs`
    or `select` are given), refit it on every training row and score the test part once. `rows`: the
    training and test rows, when not a random `test` share."""
    table = table_of(data, target, columns)
    specs = _names(specs) if isinstance(specs, str) else specs
    split = rows or RowSplit.of(len(table), test, config.seed)
    everything = prepare_table(table, split, None, select_by, config.normalize, config.seed)
    scheme = parse_scheme(validation or recipe.validation)
    chosen = [models.table_name(models.for_table(s, 1)) for s in (specs or recipe.models)]
    ks = list(select) if select else list(recipe.select)
    sel = select_rows(everything, chosen, ks, scheme, config, seeds, select_by, rule or recipe.rule, recipe, on_model,
                      progress, prepare=lambda k: prepare_table(table, split, k, select_by, config.normalize, config.seed))
    sel.warnings = ([RANDOM_WARNING] if scheme.kind == "random" else []) + table.said()
    return sel


def cross_validate(data, target: str | None, model: str = "linear", validation: str | Scheme = "kfold:5",
                   config: TrainConfig = TrainConfig(loss="mse"), *, columns=None, test: float | str = TEST_FRACTION,
                   select: int | None = None, select_by: str = "f_regression", seeds: tuple[int, ...] = (0,),
                   progress: Callable | None = None):
    """The validation loss of one model on the training rows: every fold × seed trained together."""
    table = table_of(data, target, columns)
    everything = prepare_table(table, RowSplit.of(len(table), test, config.seed), None, select_by,
                               config.normalize, config.seed)
    folds = row_folds(len(everything.train), parse_scheme(validation), config.seed)
    return validate(model, everything, folds, select, select_by, TableRecipe.DEFAULT.config(config, model), seeds,
                    progress)


def predict(model, meta: dict, data, encoding: str | None = None) -> pd.DataFrame:
    """A submission: the id column and the model's prediction for each row of the test file `data`, in its
    order. The test file must have the training file's columns (its target may be there, and is not read)."""
    info = meta["table"]
    target, id_col, file_cols = info["target"], info.get("id_column"), list(info["file_columns"])
    table = load_table(data, None, encoding=encoding)
    have = [c for c in table.columns if c != info.get("target_column", target)]  # a labelled file's target: not read
    missing = [c for c in file_cols if c not in have]
    extra = [c for c in have if c not in file_cols]
    if id_col is not None and id_col not in table.columns:
        raise ViewcastError(f"{table.name}: no {id_col!r} column: a submission needs each row's {id_col}; the "
                            f"training file had one (give the test file as the course gives it)")
    if missing or extra:
        what = "; ".join(x for x in (f"missing {_few(missing)}" if missing else "",
                                     f"extra {_few(extra)}" if extra else "") if x)
        raise ViewcastError(f"{table.name}: its columns differ from the training file's ({what}); give a test file "
                            "with the same columns")
    X = np.column_stack([table.X[:, table.features.index(c)] for c in info["features"]])
    from ..train import predict as run

    sc = meta_scaler(meta)
    yhat = run(model, sc, X)
    return pd.DataFrame({id_col or "id": table.ids, target: yhat})


def meta_scaler(meta: dict) -> TableScaler:
    sc = meta["scaler"]
    return TableScaler(float(sc["mean"]), float(sc["std"]), tuple(map(float, sc["x_mean"])),
                       tuple(map(float, sc["x_std"])))


def _few(names: list[str], most: int = 6) -> str:
    return ", ".join(names[:most]) + (f" … ({len(names)} in all)" if len(names) > most else "")


def ladder(data, target: str | None, config: TrainConfig, *, test: float | str = TEST_FRACTION, columns=None,
           on_model: Callable | None = None, progress: Callable | None = None):
    """The ladder of a table's models (`table_ladder.run`)."""
    from . import table_ladder

    return table_ladder.run(table_of(data, target, columns), config, test, on_model, progress)


def diagnose(data, target: str | None, specs: list[str] | None, validation, config: TrainConfig, *,
             test: float | str = TEST_FRACTION, dconfig=None, on_model: Callable | None = None,
             progress: Callable | None = None):
    """The four verdicts on a table's models (`diagnose.table.diagnose_table`)."""
    from ..diagnosis import DiagnoseConfig
    from ..diagnosis.table import diagnose_table

    specs = _names(specs) if isinstance(specs, str) else specs
    return diagnose_table(table_of(data, target), specs, validation, config, test, dconfig or DiagnoseConfig(seed=config.seed),
                          on_model, progress)


def leaderboard(data, target: str | None = None, config: TrainConfig | None = None, *, features=None,
                test: float | str | None = None, models: list[str] | str | None = None, select: list[int | None] | None = None,
                select_by: str = "f_regression", seeds: int = 3, on_model: Callable | None = None,
                progress: Callable | None = None, **train_options):
    """Chapter 2.4's warning measured on a table: candidates (`models` × `select` × `seeds`) chosen by the
    public half of a held-out test part, and by validation, each scored on the private half.

    >>> t = pd.DataFrame({"a": np.sin(np.arange(60.0)), "y": 2 * np.sin(np.arange(60.0)) + np.arange(60) % 3})
    >>> vc.leaderboard(t, "y", models="linear", select=[None], seeds=2, epochs=20).rows["public"]
    9
    """
    from ..evaluate import leaderboard as lb

    table = table_of(data, target, features)
    specs = tuple(_names(models) if isinstance(models, str) else models or lb.SPECS)
    return lb.leaderboard(table, table_config(config, train_options), test=lb.TEST_SHARE if test is None else test,
                          specs=specs, selects=tuple(select or lb.SELECTS), seeds=seeds, by=select_by,
                          on_model=on_model, progress=progress)


def submission(model, data, *, encoding: str | None = None):
    """A submission from a table's saved model (`fit --save`) and a test file: a DataFrame of each row's id
    and prediction, in the test file's order."""
    from .. import store

    net, meta = store.load(model)
    if not meta.get("table"):
        raise ViewcastError(f"{model}: a series' model; a submission needs a table's (`viewcast fit TABLE --target "
                            f"COLUMN --save FILE`)")
    return predict(net, meta, data, encoding)


def _names(specs: str) -> list[str]:
    """'linear, relu:128' → ['linear', 'relu:128'] (help lists defaults with a space after each comma)."""
    return [s.strip() for s in specs.split(",") if s.strip()]


def is_table(data, target: str | None) -> bool:
    """Whether `data` is to be read as a table: a Table, or any source given with a target column."""
    return isinstance(data, Table) or target is not None


__all__ = ["TableRecipe", "table_config", "table_of", "rows_of", "fit", "cv", "cross_validate", "predict", "ladder",
           "diagnose", "leaderboard", "submission", "is_table"]
