"""The book's tables (chapter 1): the ladder of models, each with its training loss L and test
loss L′, beside the book's own numbers (MAE in views; the book gives thousands).

>>> [spec for table, spec, _, _ in BOOK if table == "A"]
['linear:1', 'linear:7', 'linear:28', 'linear:56']
>>> run(s, config=TrainConfig(epochs=20)).to_frame().index[0]
('A', 'linear:1')
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Callable

import pandas as pd

from .. import models
from ..data.series import DailySeries
from ..features import Features, Split, choose_split, prepare_all
from ..text.i18n import t
from ..train import FitResult, TrainConfig, fit

# (table, spec, book L, book L′) — the book's MAE in thousands of views (GUIDE.md §2).
BOOK: list[tuple[str, str, float | None, float | None]] = [
    ("A", "linear:1", 0.48, 0.58),
    ("A", "linear:7", 0.38, 0.49),
    ("A", "linear:28", 0.33, 0.46),
    ("A", "linear:56", 0.32, 0.46),
    ("B", "linear:56", 0.32, 0.46),
    ("B", "relu:56x10", 0.32, 0.45),
    ("B", "relu:56x100", 0.28, 0.43),
    ("B", "relu:56x1000", 0.27, 0.43),
    ("B", "sigmoid:56x100", None, None),
    ("B", "hardsigmoid:56x100", None, None),
    ("C", "relu:56x100", 0.28, 0.43),
    ("C", "relu:56x100x2", 0.18, 0.39),
    ("C", "relu:56x100x3", 0.14, 0.38),
    ("C", "relu:56x100x4", 0.10, 0.44),
    ("C", "relu:56x100x5", 0.34, None),
]
TITLES = {name: t(f"report.table.{name}", "en") for name in "ABC"}  # "A: linear, more days of input", …


@dataclass(frozen=True)
class Row:
    table: str
    model: str
    params: int
    train_mae: float
    test_mae: float
    book_train_mae: float | None  # views
    book_test_mae: float | None  # views
    exact_mae: float | None  # linear: the exact LAD optimum's training MAE
    stop_reason: str
    seconds: float
    interrupted: bool = False  # Ctrl-C stopped its training: its numbers are not the model's


def specs() -> list[str]:
    """Each distinct model of the ladder once, in table order."""
    return list(dict.fromkeys(spec for _, spec, _, _ in BOOK))


@dataclass
class LadderResult:
    source: str
    split: Split
    rows: list[Row]
    fits: dict[str, FitResult]  # one per distinct model, in ladder order (fewer when interrupted)

    @property
    def interrupted(self) -> FitResult | None:
        """The model Ctrl-C stopped, if any."""
        return next((f for f in self.fits.values() if f.interrupted), None)

    def as_dict(self) -> dict:
        """What `viewcast ladder --json` prints."""
        return {"source": self.source, "split": self.split.describe(), "rows": [asdict(r) for r in self.rows],
                "interrupted": self.interrupted is not None}

    def to_frame(self) -> pd.DataFrame:
        """One row per (table, model): params, L, L′ and the book's L, L′, in views."""
        return pd.DataFrame([asdict(r) for r in self.rows]).set_index(["table", "model"])

    def _repr_html_(self) -> str:
        cols = ["params", "train_mae", "test_mae", "book_train_mae", "book_test_mae"]
        return (f"<p>the ladder on {self.source} ({self.split.describe()}); MAE in views</p>"
                + self.to_frame()[cols].to_html(float_format=lambda v: f"{v:,.4g}", na_rep="—"))


def run(series: DailySeries, split: Split | None = None, config: TrainConfig = TrainConfig(),
        on_model: Callable[[str, int, int], None] | None = None,
        progress: Callable[[int, int, float], None] | None = None,
        features: Features = Features(), only: list[str] | None = None) -> LadderResult:
    """Train every distinct model once on the same target days; the table rows and the fits.
    `only`: train just these rungs (e.g. those a short series has enough days for); the rows of the others
    are left out."""
    split = split or choose_split(series)
    todo = [s for s in specs() if only is None or s in only]
    prepared = prepare_all(series, [models.parse(s).k for s in todo], split, config.normalize, features)
    fits: dict[str, FitResult] = {}
    for i, spec in enumerate(todo):
        if on_model:
            on_model(spec, i, len(todo))
        fits[spec] = fit(spec, prepared[models.parse(spec).k], config, progress=progress)
        if fits[spec].interrupted:
            break
    rows = []
    for table, spec, bl, bt in BOOK:
        if spec not in fits:
            continue
        r = fits[spec]
        rows.append(Row(table, spec, r.params, r.train["mae"], r.test["mae"],
                        None if bl is None else bl * 1000, None if bt is None else bt * 1000,
                        r.exact["mae"] if r.exact and r.exact["loss"] == "mae" else None,
                        r.stop_reason, r.seconds, r.interrupted))
    return LadderResult(series.name, split, rows, fits)
