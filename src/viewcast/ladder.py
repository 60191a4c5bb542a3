"""The book's tables (chapter 1): the ladder of models, each with its training loss L and test
loss L′, beside the book's own numbers (MAE in views; the book gives thousands).

>>> [r.model for r in TABLES["A"]]                                     # doctest: +SKIP
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from . import models
from .series import DailySeries
from .train import FitResult, TrainConfig, fit
from .windows import Features, Split, prepare

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
TITLES = {"A": "A: linear, more days of input", "B": "B: 56 days, more units",
          "C": "C: 100 ReLUs, more layers"}


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


def specs() -> list[str]:
    """Each distinct model of the ladder once, in table order."""
    return list(dict.fromkeys(spec for _, spec, _, _ in BOOK))


def run(series: DailySeries, split: Split, config: TrainConfig = TrainConfig(),
        on_model: Callable[[str, int, int], None] | None = None,
        progress: Callable[[int, int, float], None] | None = None,
        features: Features = Features()) -> tuple[list[Row], dict[str, FitResult]]:
    """Train every distinct model once on the same target days; return the table rows and the fits."""
    todo = specs()
    history = max(models.parse(s).k for s in todo)  # every model scored on the same days
    prepared: dict[int, object] = {}
    fits: dict[str, FitResult] = {}
    for i, spec in enumerate(todo):
        if on_model:
            on_model(spec, i, len(todo))
        k = models.parse(spec).k
        if k not in prepared:
            prepared[k] = prepare(series, k, split, history=history, normalize=config.normalize, features=features)
        fits[spec] = fit(spec, prepared[k], config, progress=progress)
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
                        r.stop_reason, r.seconds))
    return rows, fits


def story(rows: list[Row]) -> list[str]:
    """Two or three plain sentences on what this series' ladder shows (whatever it shows)."""
    by = {(r.table, r.model): r for r in rows}
    out = []
    a = [by.get(("A", f"linear:{k}")) for k in (1, 7, 28, 56)]
    if all(a):
        tr = [r.train_mae for r in a]
        gain_late = tr[2] - tr[3]
        out.append(
            "More days help: the linear model's L falls from {:,.0f} (1 day) to {:,.0f} (7) and {:,.0f} (28); "
            "{} (56 days: {:,.0f}).".format(tr[0], tr[1], tr[2], "little more after 28" if gain_late < 0.05 * tr[2] else "and further with 56", tr[3]))
    lin, relus = by.get(("B", "linear:56")), [by.get(("B", s)) for s in ("relu:56x10", "relu:56x100", "relu:56x1000")]
    relus = [r for r in relus if r]
    if lin and relus:
        best_tr = min(relus, key=lambda r: r.train_mae)
        best_te = min(relus, key=lambda r: r.test_mae)
        test_word = "and" if best_te.test_mae < lin.test_mae else "but not"
        out.append(
            f"ReLUs fit the training days better than linear:56 ({best_tr.model}: L {best_tr.train_mae:,.0f} vs {lin.train_mae:,.0f}), "
            f"{test_word} the test days (best L′ {best_te.test_mae:,.0f} by {best_te.model} vs {lin.test_mae:,.0f}).")
    c = [by.get(("C", s)) for s in ("relu:56x100",) + tuple(f"relu:56x100x{n}" for n in (2, 3, 4, 5))]
    c = [r for r in c if r]
    if len(c) >= 3:
        best = min(c, key=lambda r: r.test_mae)
        depth = lambda r: int(r.model.split("x")[2]) if r.model.count("x") == 2 else 1  # noqa: E731
        worse_train = [r for i, r in enumerate(c[1:], 1) if r.train_mae > c[i - 1].train_mae * 1.05]
        s = f"Deeper nets: test L′ is lowest at {depth(best)} layer{'s' * (depth(best) > 1)} ({best.test_mae:,.0f})"
        deeper = [r for r in c if depth(r) > depth(best)]
        if deeper and min(r.train_mae for r in deeper) < best.train_mae:
            s += "; deeper ones fit the training days better yet predict worse: overfitting"
        if worse_train:
            r = worse_train[0]
            s += f"; {r.model} trains worse than the shallower net ({r.train_mae:,.0f}): an optimization issue"
        out.append(s + ".")
    return out
