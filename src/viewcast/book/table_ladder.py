"""The ladder of models on a table (chapter 1's tables, with a table's rows for days): A, a linear model
reading more features (the K best, chosen on the training rows); B, one layer of more units; C, more
layers. Every rung is trained once on the training rows (MSE unless told otherwise; with no training option,
as `TableRecipe` trains a table's models, without weight decay: the ladder shows overfitting as it is) and
scored on them (L) and on the held-out test rows (L′).

>>> rng = np.random.default_rng(0); X = rng.normal(size=(120, 3))
>>> df = pd.DataFrame({"a": X[:, 0], "b": X[:, 1], "c": X[:, 2], "y": X @ [3., -2., 1.]})
>>> r = run(load_table(df, "y"), TrainConfig(loss="mse", epochs=20), only=["linear · 1 feature", "linear"])
>>> [(x.table, x.model) for x in r.rows]
[('A', 'linear · 1 feature'), ('A', 'linear'), ('B', 'linear')]
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Callable

import numpy as np  # noqa: F401  (doctest)
import pandas as pd

from .. import models
from ..data.table import Table, load_table  # noqa: F401  (load_table: doctest)
from ..features import Prepared, RowSplit, prepare_table
from ..evaluate.table import TableRecipe
from ..features.table import TEST_FRACTION
from ..train import FitResult, TrainConfig, fit

# (table, spec, features read: None for every one) — the book's three tables, a table's rows for days
RUNGS: list[tuple[str, str, int | None]] = [
    ("A", "linear", 1), ("A", "linear", 4), ("A", "linear", 16), ("A", "linear", None),
    ("B", "linear", None), ("B", "relu:10", None), ("B", "relu:100", None), ("B", "relu:1000", None),
    ("B", "sigmoid:100", None), ("B", "hardsigmoid:100", None),
    ("C", "relu:100", None), ("C", "relu:100x2", None), ("C", "relu:100x3", None), ("C", "relu:100x4", None),
    ("C", "relu:100x5", None),
]


def label(spec: str, k: int | None) -> str:
    """'linear · 4 features', or 'relu:100' for a model reading every feature."""
    return spec if k is None else f"{spec} · {k} feature{'s' * (k != 1)}"


def labels() -> list[str]:
    """Each distinct rung once, in table order."""
    return list(dict.fromkeys(label(s, k) for _, s, k in RUNGS))


@dataclass(frozen=True)
class TableRow:
    table: str
    model: str
    params: int
    features: int  # the features it reads
    train: dict  # {"mae", "mse"} on the training rows (L)
    test: dict  # on the held-out test rows (L′)
    exact: float | None  # linear: the exact optimum's training loss (least squares for MSE)
    stop_reason: str
    seconds: float
    interrupted: bool = False


@dataclass
class TableLadderResult:
    source: str
    target: str
    split: RowSplit
    loss: str
    rows: list[TableRow]
    fits: dict[str, FitResult]  # one per distinct rung, in ladder order (fewer when interrupted)

    @property
    def interrupted(self) -> FitResult | None:
        return next((f for f in self.fits.values() if f.interrupted), None)

    def as_dict(self) -> dict:
        """What `viewcast ladder TABLE --target Y --json` prints."""
        return {"source": self.source, "target": self.target, "split": self.split.describe(), "loss": self.loss,
                "rows": [asdict(r) for r in self.rows], "interrupted": self.interrupted is not None}

    def to_frame(self) -> pd.DataFrame:
        """One row per (table, model): params, features read, L and L′ in the loss trained with."""
        L = self.loss
        return pd.DataFrame([{"table": r.table, "model": r.model, "params": r.params, "features": r.features,
                              f"train_{L}": r.train[L], f"test_{L}": r.test[L]} for r in self.rows]
                            ).set_index(["table", "model"])

    def _repr_html_(self) -> str:
        return (f"<p>the ladder on {self.source} ({self.split.describe()}); {self.loss.upper()}</p>"
                + self.to_frame().to_html(float_format=lambda v: f"{v:,.4g}"))


def run(table: Table, config: TrainConfig = TrainConfig(loss="mse"), test: float | str = TEST_FRACTION,
        on_model: Callable[[str, int, int], None] | None = None, progress: Callable | None = None,
        only: list[str] | None = None) -> TableLadderResult:
    """Train every distinct rung once on the same training rows (`only`: just these labels)."""
    split = RowSplit.of(len(table), test, config.seed)
    todo = [(s, k) for s, k in dict.fromkeys((s, k) for _, s, k in RUNGS) if only is None or label(s, k) in only]
    prepared: dict[int | None, Prepared] = {}
    fits: dict[str, FitResult] = {}
    for i, (spec, k) in enumerate(todo):
        name = label(spec, k)
        if on_model:
            on_model(name, i, len(todo))
        k = None if k is not None and k >= len(table.features) else k
        if k not in prepared:
            prepared[k] = prepare_table(table, split, k, normalize=config.normalize, seed=config.seed)
        rows = prepared[k]
        fits[name] = fit(models.for_table(spec, rows.k), rows, TableRecipe.DEFAULT.config(config, spec, regularize=False),
                         progress=progress)
        fits[name].spec = name
        if fits[name].interrupted:
            break
    out = []
    for tab, spec, k in RUNGS:
        name = label(spec, k)
        if name in fits:
            r, L = fits[name], config.loss
            out.append(TableRow(tab, name, r.params, r.k, r.train, r.test,
                                r.exact[L] if r.exact and r.exact["loss"] == L else None, r.stop_reason, r.seconds,
                                r.interrupted))
    return TableLadderResult(table.name, table.target or "", split, config.loss, out, fits)


__all__ = ["RUNGS", "label", "labels", "TableRow", "TableLadderResult", "run"]
