"""The leaderboard lesson (chapter 2.4: do not choose by the public test score), measured on a table. A
test part is held out and cut at random into a public half (its score shown on the leaderboard) and a
private half (the score that counts, seen at the end); many candidates — a grid of specs × numbers of
features × seeds — are trained on the training rows less a validation part. Choosing by the public
score picks the candidate that was luckiest on those rows: its public score is optimistic, and its
private score tells the truth. Choosing by validation uses no test row at all.

Numbers only: the sentences are made from them at the edge (`book.leaderboard`).

>>> rng = np.random.default_rng(0); X = rng.normal(size=(400, 4))
>>> t = load_table(pd.DataFrame({**{f"x{i}": X[:, i] for i in range(4)}, "y": X @ [1., -1, .5, 0] + rng.normal(size=400)}), "y")
>>> r = leaderboard(t, TrainConfig(loss="mse", epochs=50), specs=("linear",), selects=(2, None), seeds=2)
>>> len(r.candidates), r.by_public.public <= min(c.public for c in r.candidates)
(4, True)
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Callable

import numpy as np
import pandas as pd

from .. import models
from ..data.table import Table, load_table  # noqa: F401  (load_table: doctest)
from ..features import RowSplit, Windows, prepare_table
from ..train import TrainConfig, seed_stream
from ..train import losses
from .table import TableRecipe, run_members

TEST_SHARE = 0.3  # the rows held out as the test part, cut into public and private halves
VAL_SHARE = 0.2  # of the training rows: the validation part candidates are also scored on
SPECS = ("linear", "relu:16", "relu:64")  # the default grid: specs × numbers of features × seeds
SELECTS: tuple[int | None, ...] = (8, 16, 32, None)
SEEDS = 3


@dataclass(frozen=True)
class Entry:
    """One candidate on the leaderboard: its losses on the validation part and on both halves of the test."""

    model: str  # 'relu:64 · 16 features, seed 2'
    spec: str
    select: int | None
    seed: int
    params: int
    train: float
    val: float
    public: float
    private: float


@dataclass
class LeaderboardResult:
    source: str
    target: str
    loss: str
    rows: dict  # {"train", "val", "public", "private"}: how many rows each part has
    seed: int
    candidates: list[Entry]

    @property
    def by_public(self) -> Entry:
        """The public leaderboard's winner (the lowest public loss)."""
        return min(self.candidates, key=lambda c: (c.public, c.val))

    @property
    def by_val(self) -> Entry:
        """Validation's choice (the lowest validation loss): no test row was looked at."""
        return min(self.candidates, key=lambda c: (c.val, c.public))

    @property
    def best_private(self) -> Entry:
        return min(self.candidates, key=lambda c: c.private)

    def private_rank(self, e: Entry) -> int:
        """1 for the best private loss."""
        return 1 + sum(c.private < e.private for c in self.candidates)

    def as_dict(self) -> dict:
        """What `viewcast leaderboard --json` prints."""
        pick = lambda e: {**asdict(e), "private_rank": self.private_rank(e)}  # noqa: E731
        return {"source": self.source, "target": self.target, "loss": self.loss, "rows": self.rows, "seed": self.seed,
                "candidates": [asdict(c) for c in self.candidates], "by_public": pick(self.by_public),
                "by_val": pick(self.by_val), "best_private": pick(self.best_private)}

    def to_frame(self) -> pd.DataFrame:
        """One row per candidate, by public loss (the leaderboard as it was shown)."""
        return pd.DataFrame([asdict(c) for c in self.candidates]).sort_values("public").set_index("model")


def halves(test: np.ndarray, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The test rows cut at random into a public and a private half.

    >>> [len(h) for h in halves(np.arange(11), 0)]
    [5, 6]
    """
    perm = np.random.default_rng(seed + 1).permutation(test)
    return np.sort(perm[: len(test) // 2]), np.sort(perm[len(test) // 2:])


def leaderboard(table: Table, config: TrainConfig = TrainConfig(loss="mse"), *, test: float | str = TEST_SHARE,
                specs: tuple[str, ...] = SPECS, selects: tuple[int | None, ...] = SELECTS, seeds: int = SEEDS,
                by: str = "f_regression", on_model: Callable | None = None,
                progress: Callable | None = None) -> LeaderboardResult:
    """Train every spec × K × seed on the training rows less a validation part (its features chosen and
    scaled on those rows only); score each on the validation part and on the public and private halves of
    the held-out test part."""
    data = prepare_table(table, RowSplit.of(len(table), test, config.seed), None, normalize=config.normalize,
                         seed=config.seed)
    n, m = len(data.train), len(data.test)
    perm = np.random.default_rng(config.seed + 2).permutation(n)
    cut = int(round(n * VAL_SHARE))
    tr, va = np.sort(perm[cut:]), np.sort(perm[:cut])
    public, private = (n + h for h in halves(np.arange(m), config.seed))
    # every member reads the training and test rows; it trains on `tr` only, the others are only predicted
    every = replace(data, train=Windows.concat([data.train, data.test]))
    y = every.train.y
    out: list[Entry] = []
    todo = [(s, k) for s in specs for k in selects]
    stream = seed_stream(config.seed, seeds)
    for i, (spec, k) in enumerate(todo):
        name = f"{spec} · {'every feature' if k is None else f'{k} features'}"
        if on_model:
            on_model(name, i, len(todo))
        cfg = TableRecipe.DEFAULT.config(config, spec).but(early_stop=None)
        ms, run, preds = run_members(spec, every, [(tr, va)], k, by, cfg, stream, progress)
        if run.interrupted:
            raise KeyboardInterrupt
        params = sum(w[0].numel() + b[0].numel() for w, b in zip(run.net.W, run.net.b))
        short = models.table_name(run.net.spec)
        for seed, p in zip(stream, preds):
            L = {part: losses.mean_loss(p[idx], y[idx], config.loss) for part, idx in
                 (("train", tr), ("val", va), ("public", public), ("private", private))}
            out.append(Entry(f"{name}, seed {seed}", short, k, seed, params, **{x: float(v) for x, v in L.items()}))
    return LeaderboardResult(table.name, table.target or "", config.loss,
                             {"train": len(tr), "val": len(va), "public": len(public), "private": len(private)},
                             config.seed, out)


__all__ = ["Entry", "LeaderboardResult", "halves", "leaderboard"]
