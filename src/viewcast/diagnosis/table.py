"""Chapter 2's four verdicts on a table: each model trained on the training part of a random hold-out of
the training rows, scored on the validation part and the held-out test rows, and judged by the same
rules as a series' models (`verdicts.judge`) against a table's references — predict the training mean
(every model contains it), the exact least-squares (or least-absolute) linear model (every model reading
every feature contains it) and the mean of the 10 nearest training rows (a flexible function none of them
is known to contain). A table's rows have no order: the residual tests shuffle single rows. With no training
option given, each model trains as `TableRecipe` says, without weight decay (overfitting is shown as it is).

>>> rng = np.random.default_rng(0); X = rng.normal(size=(300, 3))
>>> df = pd.DataFrame({"a": X[:, 0], "b": X[:, 1], "c": X[:, 2], "y": np.sin(2 * X[:, 0]) * 3 + X[:, 1]})
>>> d = diagnose_table(load_table(df, "y"), ["linear"], None, TrainConfig(loss="mse", epochs=300))
>>> d.models[0].verdicts[0].verdict
'model_bias'
"""
from __future__ import annotations

from typing import Callable

import numpy as np
import pandas as pd  # noqa: F401  (doctest)

from .. import models
from ..data.table import Table, load_table  # noqa: F401  (load_table: doctest)
from ..evaluate.table import TableRecipe, row_folds, validate
from ..evaluate.validation import Scheme, parse_scheme
from ..features import Prepared, RowSplit, TableScaler, Windows, prepare_table
from ..features.table import TEST_FRACTION
from ..models.exact import exact_linear
from ..train import TrainConfig, fit
from ..train.losses import scores
from . import mismatch
from .diagnose import DiagnoseConfig, Diagnosis, ModelDiagnosis, _gap_growth, contains, judge_model
from .references import Reference
from .verdicts import overall

DEFAULT_MODELS = ("linear", "relu:10", "relu:100", "relu:100x2", "relu:100x4")  # a short ladder: bias → overfitting


def table_references(tr: Windows, va: Windows, te: Windows, loss: str, neighbors: int = 10) -> list[Reference]:
    """The mean, the exact linear optimum and the k nearest rows, scored on the same rows as the models."""
    parts = (tr, va, te)
    mean = float(np.mean(tr.y))
    out = [Reference("mean", "predict the training rows' mean", 0,
                     *[scores(np.full(len(w), mean), w.y) for w in parts])]
    w, b = exact_linear(tr.X, tr.y, loss)
    out.append(Reference("linear exact", f"the exact {loss.upper()} optimum of the linear model", tr.X.shape[1],
                         *[scores(x.X @ w + b, x.y) for x in parts]))
    from sklearn.neighbors import KNeighborsRegressor

    sc = TableScaler.fit(tr.X, tr.y)
    knn = KNeighborsRegressor(n_neighbors=min(neighbors, len(tr)), algorithm="brute").fit(sc.inputs(tr.X), tr.y)
    out.append(Reference(f"knn:{neighbors}", f"the mean of the {neighbors} most similar training rows", None,
                         *[scores(knn.predict(sc.inputs(x.X)), x.y) if len(x) else scores(np.empty(0), np.empty(0))
                           for x in parts]))
    return out


def diagnose_table(table: Table, specs: list[str] | None = None, validation: str | Scheme | None = None,
                   config: TrainConfig = TrainConfig(loss="mse"), test: float | str = TEST_FRACTION,
                   dconfig: DiagnoseConfig = DiagnoseConfig(), on_model: Callable | None = None,
                   progress: Callable | None = None) -> Diagnosis:
    """Train every spec (`linear`, `relu:100x2`, … reading every feature) with validation and judge it."""
    names = [models.table_name(models.for_table(s, 1)) for s in (specs or DEFAULT_MODELS)]
    split = RowSplit.of(len(table), test, config.seed)
    rows = prepare_table(table, split, None, normalize=config.normalize, seed=config.seed)
    scheme = parse_scheme(validation or "holdout:0.2")
    folds = row_folds(len(rows.train), scheme, config.seed)
    tr_idx, va_idx = folds[-1]
    tr, va, te = rows.train.take(tr_idx), rows.train.take(va_idx), rows.test
    L = config.loss
    refs = table_references(tr, va, te, L, dconfig.neighbors)
    runs = [_train(name, i, len(names), rows, tr, va, te, folds, scheme, config, on_model, progress)
            for i, name in enumerate(names)]
    naive = refs[0].train[L]
    for m in runs:
        _judge(m, runs, refs, tr, va, te, naive, config, dconfig)
    target = mismatch.two_sample(tr.y, te.y, 1, dconfig.permutations, dconfig.seed)
    judged = [m.spec for m in runs if not {v.verdict for v in m.verdicts} & {"model_bias", "optimization"}]
    ov = overall({m.spec: m.verdicts for m in runs}, {m.spec: m.val[L] for m in runs})
    ov["gap_growth"] = _gap_growth(runs, L)
    return Diagnosis(table.name, split, scheme, config, dconfig, refs, runs, target, [], judged or [m.spec for m in runs],
                     ov, None, te.y)


def _train(name: str, i: int, n: int, rows: Prepared, tr: Windows, va: Windows, te: Windows, folds, scheme: Scheme,
           config: TrainConfig, on_model, progress) -> ModelDiagnosis:
    """One model trained on the training part, scored on validation (k-fold: the mean over folds) and test."""
    if on_model:
        on_model(name, i, n)
    s = models.for_table(name, rows.k)
    config = TableRecipe.DEFAULT.config(config, name, regularize=False)
    r = fit(s, rows, config, val=va, train_windows=tr, progress=progress)
    if r.interrupted:
        raise KeyboardInterrupt
    r.spec = name
    val, val_cv = r.val, None
    if len(folds) > 1:
        c = validate(name, rows, folds, None, "f_regression", config, (config.seed,))
        if c.interrupted:
            raise KeyboardInterrupt
        val_cv = {"mean": c.val_mean, "std": c.val_std, "folds": c.val_mae.tolist()}
        val = {"mae": c.val_mean, "mse": float(np.mean(c.val_mse))}
    return ModelDiagnosis(name, r.params, r, val, val_cv, r.predict(va.X), r.predict(te.X))


def _judge(m: ModelDiagnosis, runs: list[ModelDiagnosis], refs: list[Reference], tr: Windows, va: Windows,
           te: Windows, naive: float, config: TrainConfig, dconfig: DiagnoseConfig) -> None:
    """The model's verdicts and their evidence (as a series' models get them, `diagnose.diagnose`)."""
    L, k = config.loss, tr.X.shape[1]
    p = models.for_table(m.spec, k)
    res_test = mismatch.two_sample(m.pred_val - va.y, m.pred_test - te.y, 1, dconfig.permutations, dconfig.seed)
    contained = [(o.spec, o.fit.train[L], o.val[L]) for o in runs
                 if o is not m and contains(p, models.for_table(o.spec, k))]
    contained += [(x.name, x.train[L], x.val[L]) for x in refs if x.contained_in_k is not None and x.contained_in_k <= k]
    others = [(o.spec, o.val[L]) for o in runs if o is not m] + [(x.name, x.val[L]) for x in refs]
    judge_model(m, p.kind, contained, others, refs, res_test, tr, naive, config, dconfig.thresholds)
