"""The numbers chapter 1's lab shows (`viewcast lab`, the page in `viewcast.lab`), computed here once:
the training and test days of y = b + w·x₁, the error surface's grid, the exact optima, the ladder's
linear rungs beside the book's, and a trained hardsigmoid:1xH whose pieces the builder starts from. The
page evaluates L(b, w) and runs gradient descent itself; everything else is these numbers.

>>> d = lab_data(s, units=2, epochs=30)
>>> sorted(d["exact"]), len(d["train"]["x"]) == len(d["train"]["y"]), d["fitted"]["spec"]
(['mae', 'mse'], True, 'hardsigmoid:1x2')
"""
from __future__ import annotations

import math
from typing import Callable

import numpy as np

from .. import models
from ..data.series import DailySeries
from ..errors import DataError, ViewcastError
from ..features import Split, choose_split, prepare
from ..models.exact import exact_linear
from ..surface.surface import (BOOK_B, BOOK_W, DEFAULT_LRS, DIVERGE, WITHIN, SurfaceConfig, default_ranges,
                               linear1_data, loss_grid, mse_hessian)
from ..train.config import TrainConfig
from .ladder import BOOK

GRID = 90  # contour grid points per axis: ~16k numbers per loss keep the page small (~0.3 MB)
LINEAR_KS = (1, 7, 28, 56)  # the book's table A, shown beside the line being played with
UNITS = 3  # hidden units of the trained hardsigmoid:1xH: the book's picture builds its red curve from 3
MAX_UNITS = 50  # the builder lists every piece: more than this is no longer readable


def _exact(X: np.ndarray, y: np.ndarray, Xt: np.ndarray, yt: np.ndarray, loss: str) -> dict:
    """The exact optimum of `loss` for y = b + X·w: its weights, L on (X, y) and L′ on (Xt, yt)."""
    w, b = exact_linear(X, y, loss)
    err = {"mae": np.abs, "mse": np.square}[loss]
    return {"w": w.tolist(), "b": b, "L": float(np.mean(err(X @ w + b - y))),
            "Lp": float(np.mean(err(Xt @ w + b - yt)))}


def _pieces(result) -> tuple[float, list[list[float]]]:
    """A trained hardsigmoid:1xH as (constant, [[c, b, w], …]) with x₁ and y in thousands of views:
    y = constant + Σ c·clamp(b + w·x₁, 0, 1). The net sees (x − m)/s and predicts (y − m)/s."""
    sd = {k: v.detach().double().numpy() for k, v in result.model.state_dict().items()}
    m, s = result.scaler.mean, result.scaler.std
    W, B = sd["hidden.0.weight"][:, 0], sd["hidden.0.bias"]  # (H,) in standard units
    C, c0 = sd["out.weight"][0], float(sd["out.bias"][0])
    pieces = [[float(c * s / 1000), float(b - w * m / s), float(w * 1000 / s)] for c, b, w in zip(C, B, W)]
    return (m + s * c0) / 1000, pieces


def _grid(x: np.ndarray, y: np.ndarray, exact: dict) -> dict:
    """The error surface on one (w, b) grid for both losses, around the MAE optimum and holding the
    MSE optimum, the book's point and (0, 0); ends rounded so the sliders move in round steps."""
    pts = [(0.0, 0.0), (BOOK_W, BOOK_B), (exact["mse"]["w"][0], exact["mse"]["b"])]
    (w0, w1), (b0, b1) = default_ranges(x, pts, (exact["mae"]["w"][0], exact["mae"]["b"]))
    w0, w1 = math.floor(w0 * 100) / 100, math.ceil(w1 * 100) / 100
    b0, b1 = math.floor(b0 / 100) * 100, math.ceil(b1 / 100) * 100
    ws, bs = np.linspace(w0, w1, GRID), np.linspace(b0, b1, GRID)
    out = {"w": ws.tolist(), "b": bs.tolist()}
    for loss in ("mae", "mse"):  # (nb, nw): row i is b = bs[i], as the library's loss_grid
        out[loss] = [[float(f"{v:.7g}") for v in row] for row in loss_grid(x, y, ws, bs, loss)]
    return out


def lab_data(series: DailySeries, split: Split | None = None, units: int = UNITS, seed: int = 0,
             epochs: int | None = None, progress: Callable | None = None) -> dict:
    """Everything the lab page shows, as plain JSON-able numbers in views (MAE) or views² (MSE).
    Trains one small hardsigmoid:1x`units` (a few seconds); `epochs` None: the default recipe's."""
    import torch

    from ..train import fit

    if not 1 <= units <= MAX_UNITS:
        raise ViewcastError(f"use 1…{MAX_UNITS} hidden units", param="units", value=units)
    split = split or choose_split(series)
    x, y, _, _ = linear1_data(series, split, normalize=False)  # (n,) yesterday, today, raw views
    _, _, mean, std = linear1_data(series, split, normalize=True)  # the training days' scaler
    p1 = prepare(series, 1, split, normalize=False)
    xt, yt = p1.test.X[:, 0], p1.test.y  # (m,) the test days
    exact = {loss: _exact(x[:, None], y, xt[:, None], yt, loss) for loss in ("mae", "mse")}
    book = {spec: (bl, bt) for table, spec, bl, bt in BOOK if table == "A"}
    refs, left_out = [], []
    for k in LINEAR_KS[1:]:
        try:
            p = prepare(series, k, split, normalize=False)
        except DataError:  # too short for k days of input: the page says which rungs are missing
            left_out.append(f"linear:{k}")
            continue
        refs.append({"model": f"linear:{k}", **{loss: _exact(p.train.X, p.train.y, p.test.X, p.test.y, loss)
                                                for loss in ("mae", "mse")}})
    spec = models.parse(f"hardsigmoid:1x{units}")
    cfg = TrainConfig(seed=seed) if epochs is None else TrainConfig(seed=seed, epochs=epochs)
    threads = torch.get_num_threads()
    # A 1×H net on ~1,500 days: one thread is faster (0.5 s against 2 s, or 40 s on a busy 2-core machine
    # where threads fight) and gives the same bits on every machine.
    torch.set_num_threads(1)
    try:
        trained = fit(spec, prepare(series, spec.k, split, normalize=cfg.normalize), cfg, progress=progress)
    finally:
        torch.set_num_threads(threads)
    const, pieces = _pieces(trained)
    return {
        "series": series.name,
        "split": {k: f"{getattr(split, k):%Y-%m-%d}" for k in ("train_start", "train_end", "test_start", "test_end")},
        "train": {"x": x.tolist(), "y": y.tolist()}, "test": {"x": xt.tolist(), "y": yt.tolist()},
        "scaler": {"mean": mean, "std": std},
        "condition": float(np.linalg.cond(mse_hessian(x))),
        "exact": exact, "grid": _grid(x, y, exact),
        "book": {"w": BOOK_W, "b": BOOK_B, "linear": {f"linear:{k}": [v * 1000 for v in book[f"linear:{k}"]]
                                                      for k in LINEAR_KS}},
        "refs": refs, "left_out": left_out,
        "fitted": {"spec": str(spec), "const": const, "pieces": pieces,
                   "mae": {"L": trained.train["mae"], "Lp": trained.test["mae"]},
                   "mse": {"L": trained.train["mse"], "Lp": trained.test["mse"]}},
        "lrs": {loss: DEFAULT_LRS[(loss, True)] for loss in ("mae", "mse")},
        "steps": SurfaceConfig.steps, "within": WITHIN, "diverge": DIVERGE,
    }
