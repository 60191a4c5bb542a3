"""The book's tables (chapter 1): the ladder of models, each with its training loss L and test
loss L′, beside the book's own numbers (MAE in views; the book gives thousands).

>>> [spec for table, spec, _, _ in BOOK if table == "A"]
['linear:1', 'linear:7', 'linear:28', 'linear:56']
>>> run(s, config=TrainConfig(epochs=20)).to_frame().index[0]
('A', 'linear:1')
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Callable

import numpy as np
import pandas as pd

from .. import models
from ..data.series import DailySeries
from ..errors import ViewcastError
from ..features import Features, Split, choose_split, prepare_all
from ..text.i18n import t
from ..train.config import TrainConfig

if TYPE_CHECKING:  # the engine loads when a rung trains: the CLI reads BOOK and parses without torch
    from ..train import FitResult

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


SEEDS = 3  # networks per rung: a deep rung's losses move with its seed (and with float rounding, so with
#            the CPU) as much as between rungs; the story claims an order only past that spread


@dataclass(frozen=True)
class Row:
    table: str
    model: str
    params: int
    train_mae: float  # the first network's (seed --seed, trained alone), as a single `fit` gives
    test_mae: float
    book_train_mae: float | None  # views
    book_test_mae: float | None  # views
    exact_mae: float | None  # linear: the exact LAD optimum's training MAE
    stop_reason: str
    seconds: float
    interrupted: bool = False  # Ctrl-C stopped its training: its numbers are not the model's
    seeds: int = 1  # networks trained: the first above, the others side by side in one engine run
    train_mae_mean: float | None = None  # over the seeds (None with one seed)
    train_mae_sd: float | None = None  # the seeds' sample standard deviation: what the seed alone moves
    test_mae_mean: float | None = None
    test_mae_sd: float | None = None

    def L(self) -> tuple[float, float]:
        """(L, its spread): the seeds' mean and standard deviation, or the one network's L and 0."""
        return (self.train_mae, 0.0) if self.train_mae_mean is None else (self.train_mae_mean, self.train_mae_sd)

    def Lp(self) -> tuple[float, float]:
        """(L′, its spread), as `L`."""
        return (self.test_mae, 0.0) if self.test_mae_mean is None else (self.test_mae_mean, self.test_mae_sd)


def specs() -> list[str]:
    """Each distinct model of the ladder once, in table order."""
    return list(dict.fromkeys(spec for _, spec, _, _ in BOOK))


def specs_of(models: list[str] | str | None) -> list[str]:
    """Models given as a list or a comma-separated string, each in its canonical spelling; None: the ladder's."""
    from .. import models as _models

    if models is None:
        return specs()
    if isinstance(models, str):
        return [str(p) for p in _models.parse_list(models)]
    if not len(models):
        raise ViewcastError("give at least one model, e.g. [\"linear:56\", \"relu:56x100\"]", param="models", value="[]")
    return [str(_models.parse(m)) for m in models]


UPDATE_COST = 5000  # a training update's cost apart from its weights, in weights' worth: `fit` of linear:56,
#                     relu:56x100 and relu:56x1000 (57, 5,801, 58,001 weights) took 0.47, 1.0 and 5.7 s (2-core AMD EPYC)


def rung_cost(spec: str) -> float:
    """A rung's training time relative to the others' (its weights plus UPDATE_COST): what the progress
    bar's ETA counts a rung as, since relu:56x1000 takes a dozen times linear:1's time.

    >>> rung_cost("linear:56"), rung_cost("relu:56x100"), rung_cost("relu:56x100x2")
    (5057, 10801, 20901)
    """
    from .. import models as _models

    return _models.parse(spec).params() + UPDATE_COST


def other_seeds(seed: int, n: int) -> tuple[int, ...]:
    """The seeds of a rung's other n − 1 networks: those after the first of `seed_stream(seed, n)` (seed 0:
    1, 2), so `--seed 0` trains seeds 0, 1, 2 and its first network is the one `fit --seed 0` trains.

    >>> other_seeds(0, 3), other_seeds(2, 3), other_seeds(5, 1)
    ((1, 2), (7, 8), ())
    """
    from ..train.config import seed_stream

    return seed_stream(seed, n)[1:]


def _stats(first: float, others: list[float]) -> tuple[float | None, float | None]:
    if not others:
        return None, None
    xs = np.array([first, *others])
    return float(xs.mean()), float(xs.std(ddof=1))


@dataclass
class LadderResult:
    source: str
    split: Split
    rows: list[Row]
    fits: dict[str, FitResult]  # one per distinct model, in ladder order (fewer when interrupted)
    seed_fits: dict[str, list[FitResult]] = field(default_factory=dict)  # each rung's other seeds' networks

    @property
    def interrupted(self) -> FitResult | None:
        """The model Ctrl-C stopped, if any."""
        every = [*self.fits.values(), *(f for fs in self.seed_fits.values() for f in fs)]
        return next((f for f in every if f.interrupted), None)

    def as_dict(self) -> dict:
        """What `viewcast ladder --json` prints."""
        return {"source": self.source, "split": self.split.describe(), "rows": [asdict(r) for r in self.rows],
                "interrupted": self.interrupted is not None}

    def to_frame(self) -> pd.DataFrame:
        """One row per (table, model): params, L, L′ and the book's L, L′, in views."""
        return pd.DataFrame([asdict(r) for r in self.rows]).set_index(["table", "model"])

    def _repr_html_(self) -> str:
        cols = ["params", "train_mae", "test_mae", "train_mae_mean", "train_mae_sd", "test_mae_mean", "test_mae_sd",
                "book_train_mae", "book_test_mae"]
        return (f"<p>the ladder on {self.source} ({self.split.describe()}); MAE in views</p>"
                + self.to_frame()[cols].to_html(float_format=lambda v: f"{v:,.4g}", na_rep="—"))


def run(series: DailySeries, split: Split | None = None, config: TrainConfig = TrainConfig(),
        on_model: Callable[[str, int, int], None] | None = None,
        progress: Callable[[int, int, float], None] | None = None,
        features: Features = Features(), only: list[str] | None = None, seeds: int = SEEDS) -> LadderResult:
    """Train every distinct model on the same target days — its first network alone, exactly as `fit` does,
    and `seeds` − 1 more side by side in one engine run — and give the table rows (the first network's
    L and L′, and the seeds' mean and spread) and the fits. `only`: train just these rungs (e.g. those a
    short series has enough days for); the rows of the others are left out."""
    if seeds < 1:
        raise ViewcastError("must be at least 1", param="seeds", value=seeds)
    split = split or choose_split(series)
    todo = [s for s in specs() if only is None or s in only]
    prepared = prepare_all(series, [models.parse(s).k for s in todo], split, config.normalize, features)
    fits: dict[str, FitResult] = {}
    more: dict[str, list[FitResult]] = {}
    for i, spec in enumerate(todo):
        if on_model:
            on_model(spec, i, len(todo))
        data = prepared[models.parse(spec).k]
        fits[spec] = fit(spec, data, config, progress=_share(progress, 0, 1, seeds))
        if fits[spec].interrupted:
            break
        if seeds > 1:
            more[spec] = fit_seeds(spec, data, config, other_seeds(config.seed, seeds),
                                   progress=_share(progress, 1, seeds - 1, seeds))
            if any(f.interrupted for f in more[spec]):
                break
    rows = []
    for table, spec, bl, bt in BOOK:
        if spec not in fits:
            continue
        r, others = fits[spec], more.get(spec, [])
        cut = r.interrupted or any(f.interrupted for f in others)  # its numbers are not the model's
        Lm, Ls = _stats(r.train["mae"], [f.train["mae"] for f in others])
        Tm, Ts = _stats(r.test["mae"], [f.test["mae"] for f in others])
        rows.append(Row(table, spec, r.params, r.train["mae"], r.test["mae"],
                        None if bl is None else bl * 1000, None if bt is None else bt * 1000,
                        r.exact["mae"] if r.exact and r.exact["loss"] == "mae" else None,
                        r.stop_reason, r.seconds, cut, 1 + len(others), Lm, Ls, Tm, Ts))
    return LadderResult(series.name, split, rows, fits, more)


def fit(spec: str, data, config: TrainConfig, progress: Callable | None = None) -> FitResult:
    """A rung's first network: `train.fit` (the engine loads when a rung trains, not with the book's tables)."""
    from ..train import fit as train_fit

    return train_fit(spec, data, config, progress=progress)


def fit_seeds(spec: str, data, config: TrainConfig, seeds, progress: Callable | None = None) -> list[FitResult]:
    """A rung's other networks, side by side in one engine run: `train.fit.fit_seeds`."""
    from ..train.fit import fit_seeds as train_seeds

    return train_seeds(spec, data, config, seeds, progress=progress)


def _share(progress: Callable | None, start: int, width: int, of: int) -> Callable | None:
    """`progress` for one engine run of a rung that trains `of` networks: this run trains networks start …
    start + width − 1, so its updates fill that share of the rung's bar (a stack of w costs w networks)."""
    if progress is None:
        return None
    return lambda done, total, loss: progress(start * total + done * width, of * total, loss)
