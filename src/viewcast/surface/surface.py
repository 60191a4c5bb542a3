"""The error surface L(w, b) of the one-day linear model y = b + w·x₁, and gradient descent
walking on it. Pure functions: arrays in, arrays out; losses always in views (MAE) or views² (MSE).

>>> x, y = np.array([1., 2., 3.]), np.array([2., 4., 6.])
>>> loss_grid(x, y, np.array([1., 2.]), np.array([0.]), "mae").tolist()
[[2.0, 0.0]]
>>> p = gd_path(x, y, (0.0, 0.0), lr=0.15, steps=300, loss="mse", target=0.0)
>>> round(float(p.w[-1]), 2), p.diverged_at
(2.0, None)

In raw views the MSE bowl of the default series is ~10⁹ times longer than wide: no η takes plain
gradient descent to its minimum within the updates shown (it stalls on the valley floor). So the
default paths on a raw surface step in standard units — the usual feature scaling, where η ≈ 0.1
works — and are drawn in views; `descent="surface"` (or giving `lrs`) runs the book's plain
θ ← θ − η∇L on the raw views instead.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np

from ..data.series import DailySeries
from ..checks import check
from ..errors import ViewcastError
from ..train import losses
from ..train.losses import LOSSES
from ..features import Scaler, Split, prepare
from ..models.exact import exact_linear

BOOK_W, BOOK_B = 0.97, 100.0  # the book's optimum for its channel: y = 0.1k + 0.97·x₁ (views)
WITHIN = 0.01  # "reached": the loss within 1% of the exact optimum's
DIVERGE = 1e3  # "diverged": the loss became inf/NaN or rose past 1000× the start's
# η per (loss, normalize): too small, good, too large for the default series (raw: the book's tiny η)
DESCENTS = ("auto", "surface", "standard")
DEFAULT_LRS = {("mae", False): (1e-7, 1e-6, 1e-4), ("mse", False): (1e-10, 1e-9, 2e-8),
               ("mae", True): (3e-3, 0.1, 1.5), ("mse", True): (3e-3, 0.1, 1.1)}


@dataclass(frozen=True)
class SurfaceConfig:
    losses: tuple[str, ...] = ("mae", "mse")  # one surface per loss
    grid: int = 100  # grid points per axis (grid × grid evaluations of L)
    w_range: tuple[float, float] | None = None  # None: around the exact optimum, the start and the book's point
    b_range: tuple[float, float] | None = None  # None: likewise, stretched so the valley shows as a diagonal
    start: tuple[float, float] = (0.0, 0.0)  # gradient descent's (w₀, b₀), in the surface's units
    lrs: tuple[float, ...] | None = None  # None: DEFAULT_LRS for each loss
    steps: int = 200  # updates per gradient-descent path
    normalize: bool = False  # False: raw views as the book; True: standard units (mean/std of training days)
    # where gradient descent steps: "surface" (θ ← θ − η∇L in the surface's own units), "standard" (in standard
    # units, drawn in the surface's units), "auto": standard for the default η on a raw surface, where no η of
    # plain GD reaches the minimum (see the module docstring), else surface
    descent: str = "auto"
    chunk: int = 1 << 22  # numbers per block of the grid computation: bounds memory (~32 MB)

    def __post_init__(self):
        for loss in self.losses:
            if loss not in LOSSES:
                raise ViewcastError("unknown; use mae, mse or mae,mse", param="loss", value=loss)
        if not 2 <= self.grid <= 2000:
            raise ViewcastError("use 2…2000 points per axis", param="grid", value=self.grid)
        for name, r in (("w_range", self.w_range), ("b_range", self.b_range)):
            if r is not None and not (len(r) == 2 and all(map(math.isfinite, r)) and r[0] < r[1]):
                raise ViewcastError("give LO,HI with LO < HI, e.g. 0,2", param=name, value=tuple(r))
        if self.lrs is not None and not all(lr > 0 and math.isfinite(lr) for lr in self.lrs):
            raise ViewcastError("learning rates must be positive numbers, e.g. 1e-8,1e-7", param="lr", value=tuple(self.lrs))
        check(steps=self.steps)
        if self.descent not in DESCENTS:
            raise ViewcastError("use auto, surface or standard", param="descent", value=self.descent)

    @property
    def standard_descent(self) -> bool:
        """Does gradient descent step in standard units (with η in standard units)?"""
        if self.descent == "auto":
            return self.normalize or self.lrs is None
        return self.normalize or self.descent == "standard"


@dataclass(frozen=True)
class Point:
    w: float
    b: float
    loss: float  # views (MAE) or views² (MSE)


@dataclass(frozen=True)
class Path:
    """One gradient-descent run: point t is after t updates (point 0 is the start)."""

    lr: float
    w: np.ndarray  # (t+1,)
    b: np.ndarray  # (t+1,)
    loss: np.ndarray  # (t+1,) L at each point
    within_at: int | None  # first update within WITHIN of the optimum's loss; None: never
    diverged_at: int | None  # the update whose loss was inf/NaN or past DIVERGE× the start; not kept
    diverged_loss: float | None  # that loss
    standard: bool = False  # η and the steps were in standard units (w, b above are in the surface's units)

    @property
    def outcome(self) -> str:
        """diverged | within | oscillates (never within 1%, the loss went up) | too_slow (never within 1%)."""
        if self.diverged_at is not None:
            return "diverged"
        if self.within_at is not None:
            return "within"
        rising = len(self.loss) > 2 and np.any(np.diff(self.loss) > 1e-9 * abs(self.loss[0]))
        return "oscillates" if rising else "too_slow"

    @property
    def status(self) -> str:
        o = self.outcome
        if o == "diverged":
            return f"diverged at update {self.diverged_at}"
        if o == "within":
            return f"within 1% at update {self.within_at}"
        return ("oscillates" if o == "oscillates" else "too slow") + ": never within 1%"


@dataclass(frozen=True)
class Surface:
    loss: str
    w: np.ndarray  # (nw,) grid axis
    b: np.ndarray  # (nb,) grid axis
    L: np.ndarray  # (nb, nw) loss at (w[j], b[i]), views or views²
    grid_min: Point
    exact: Point  # LAD (MAE) or least squares (MSE)
    book: Point  # the book's (0.97, 0.1k), in the surface's units
    paths: list[Path]
    hessian: np.ndarray | None  # (2, 2) ∇²L in the surface's units (what GD descends); MSE only (MAE's is 0 a.e.)
    normalize: bool
    exact_views: tuple[float, float] = field(default=(math.nan, math.nan))  # (w*, b*) in views

    @property
    def cell(self) -> tuple[float, float]:
        return float(self.w[1] - self.w[0]), float(self.b[1] - self.b[0])

    @property
    def cells_off(self) -> tuple[float, float]:
        """|grid min − exact optimum| in grid cells along w and b."""
        dw, db = self.cell
        return abs(self.grid_min.w - self.exact.w) / dw, abs(self.grid_min.b - self.exact.b) / db

    @property
    def max_stable_lr(self) -> float | None:
        """MSE: GD converges from anywhere iff η < 2/λmax(∇²L); None for MAE."""
        return None if self.hessian is None else 2.0 / float(np.linalg.eigvalsh(self.hessian)[-1])

    @property
    def condition(self) -> float | None:
        """λmax/λmin of ∇²L (MSE): how stretched the bowl is; ~1 is round."""
        if self.hessian is None:
            return None
        lo, hi = np.linalg.eigvalsh(self.hessian)
        return float(hi / lo) if lo > 0 else math.inf


def loss_at(x: np.ndarray, y: np.ndarray, w: float, b: float, loss: str) -> float:
    """L(w, b) = mean loss of b + w·x against y."""
    return float(losses.mean_loss(b + w * x, y, loss))


def loss_grid(x: np.ndarray, y: np.ndarray, ws: np.ndarray, bs: np.ndarray, loss: str,
              chunk: int = 1 << 22) -> np.ndarray:
    """L on every (w, b) of the grid, exactly, in blocks of w that hold at most `chunk` numbers.
    Returns (len(bs), len(ws)): row i is b = bs[i].

    For a fixed w the residuals r = y − w·x are shared by every b, so L(w, ·) needs them once:
    MSE = mean r² − 2b·mean r + b²; MAE = (Σr − 2·Σ_{r≤b} r + b·(2·#{r≤b} − n)) / n from the sorted r
    and their running sums. O(n log n) per w instead of O(n) per grid point (`loss_grid_direct`)."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    n, out = len(x), np.empty((len(bs), len(ws)))
    per = max(1, chunk // (n + len(bs) + 1))  # w values per block
    for j in range(0, len(ws), per):
        r = y[None, :] - ws[j:j + per, None] * x[None, :]  # (cw, n)
        if loss == "mse":
            m1, m2 = r.mean(axis=1, keepdims=True), (r * r).mean(axis=1, keepdims=True)
            out[:, j:j + per] = (m2 - 2 * m1 * bs[None, :] + bs[None, :] ** 2).T
            continue
        r.sort(axis=1)
        cs = np.concatenate([np.zeros((len(r), 1)), np.cumsum(r, axis=1)], axis=1)  # (cw, n+1) Σ of the first c
        c = np.stack([np.searchsorted(row, bs, side="right") for row in r])  # (cw, nb) #{r ≤ b}
        out[:, j:j + per] = ((cs[:, -1:] - 2 * np.take_along_axis(cs, c, axis=1) + bs[None, :] * (2 * c - n)) / n).T
    return out


def loss_grid_direct(x: np.ndarray, y: np.ndarray, ws: np.ndarray, bs: np.ndarray, loss: str,
                     chunk: int = 1 << 22) -> np.ndarray:
    """The same grid by brute force: every (w, b, day) at once, in blocks of w (a reference)."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    out = np.empty((len(bs), len(ws)))
    per = max(1, chunk // max(1, len(bs) * len(x)))
    for j in range(0, len(ws), per):
        e = (y[None, :] - ws[j:j + per, None] * x[None, :])[:, None, :] - bs[None, :, None]  # (cw, nb, n)
        out[:, j:j + per] = losses.errors(e, loss).mean(axis=2).T
    return out


def gradient(x: np.ndarray, y: np.ndarray, w: float, b: float, loss: str) -> tuple[float, float]:
    """(∂L/∂w, ∂L/∂b); for MAE the subgradient with sign(0) = 0."""
    e = b + w * x - y
    g = np.sign(e) if loss == "mae" else 2.0 * e
    return float(np.mean(g * x)), float(np.mean(g))


def mse_hessian(x: np.ndarray) -> np.ndarray:
    """∇²L of MSE, the same at every (w, b): 2·[[mean x², mean x], [mean x, 1]]."""
    return 2.0 * np.array([[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]])


def gd_path(x: np.ndarray, y: np.ndarray, start: tuple[float, float], lr: float, steps: int, loss: str,
            target: float, scale: float = 1.0) -> Path:
    """θ ← θ − η∇L for `steps` updates from `start`. `target`: the optimum's loss (same units as the
    returned losses, which are L × `scale`). Stops at the update where the loss blows up."""
    w, b = map(float, start)
    ws, bs, ls = [w], [b], [loss_at(x, y, w, b, loss) * scale]
    within = 0 if ls[0] <= target * (1 + WITHIN) else None
    div_at = div_loss = None
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(1, steps + 1):
            gw, gb = gradient(x, y, w, b, loss)
            w, b = w - lr * gw, b - lr * gb
            lt = loss_at(x, y, w, b, loss) * scale
            if not math.isfinite(lt) or lt > DIVERGE * ls[0]:
                div_at, div_loss = t, lt
                break
            ws.append(w), bs.append(b), ls.append(lt)
            if within is None and lt <= target * (1 + WITHIN):
                within = t
    return Path(lr, np.array(ws), np.array(bs), np.array(ls), within, div_at, div_loss)


def standard_path(x: np.ndarray, y: np.ndarray, start: tuple[float, float], lr: float, steps: int, loss: str,
                  target: float) -> Path:
    """Gradient descent on (x, y) in views, stepping in standard units v′ = (v − m)/s (m, s of the
    training targets, as the models' scaler): y′ = b′ + w′·x′ is y = b + w·x with w = w′ and
    b = m + s·b′ − w′·m. The path is returned in views; its losses are in views (views²)."""
    sc = Scaler.fit(y)
    m, sd = sc.mean, sc.std
    w0, b0 = map(float, start)
    p = gd_path(sc.transform(x), sc.transform(y), (w0, (b0 - m + w0 * m) / sd), lr, steps, loss, target,
                losses.unit(sd, loss))
    return replace(p, b=m + sd * p.b - p.w * m, standard=True)


def default_ranges(x: np.ndarray, points: list[tuple[float, float]], center: tuple[float, float]
                   ) -> tuple[tuple[float, float], tuple[float, float]]:
    """Ranges centred on the optimum that hold every point, at least ±0.25 in w; b's half-width is at
    least w's × rms(x), so the valley b ≈ ȳ − w·x̄ runs corner to corner instead of off the grid."""
    hw = 1.15 * max([0.25] + [abs(p[0] - center[0]) for p in points])
    hb = 1.15 * max([hw / 1.15 * float(np.sqrt(np.mean(x * x)))] + [abs(p[1] - center[1]) for p in points])
    return (center[0] - hw, center[0] + hw), (center[1] - hb, center[1] + hb)


def error_surface(x: np.ndarray, y: np.ndarray, loss: str, config: SurfaceConfig = SurfaceConfig(),
                  mean: float = 0.0, std: float = 1.0) -> Surface:
    """The surface of one loss on (x, y) in the surface's units; `mean`/`std`: the scaling applied
    to views (0, 1 when raw), used to report losses in views and to place the book's point."""
    scale = losses.unit(std, loss)  # surface units → views (views²)
    wv, bv = exact_linear(x[:, None], y, loss)
    ew, eb = float(wv[0]), float(bv)
    exact = Point(ew, eb, loss_at(x, y, ew, eb, loss) * scale)
    book_b = (BOOK_B + (BOOK_W - 1.0) * mean) / std  # y = b + w·x in views, rewritten in these units
    book = Point(BOOK_W, book_b, loss_at(x, y, BOOK_W, book_b, loss) * scale)
    auto_w, auto_b = default_ranges(x, [config.start, (book.w, book.b)], (ew, eb))
    ws = np.linspace(*(config.w_range or auto_w), config.grid)
    bs = np.linspace(*(config.b_range or auto_b), config.grid)
    L = loss_grid(x, y, ws, bs, loss, config.chunk) * scale
    i, j = np.unravel_index(np.argmin(L), L.shape)
    lrs = config.lrs or DEFAULT_LRS[(loss, config.standard_descent)]
    if config.standard_descent and not config.normalize:
        paths = [standard_path(x, y, config.start, lr, config.steps, loss, exact.loss) for lr in lrs]
    else:
        paths = [replace(gd_path(x, y, config.start, lr, config.steps, loss, exact.loss, scale), standard=config.normalize)
                 for lr in lrs]
    return Surface(loss, ws, bs, L, Point(float(ws[j]), float(bs[i]), float(L[i, j])), exact, book, paths,
                   mse_hessian(x) if loss == "mse" else None, config.normalize,
                   (ew, eb * std - (ew - 1.0) * mean))


def linear1_data(series: DailySeries, split: Split, normalize: bool) -> tuple[np.ndarray, np.ndarray, float, float]:
    """(x, y, mean, std): yesterday's and today's views on the training days, in views or standard units."""
    p = prepare(series, 1, split, normalize=True)  # the scaler is fitted on the training days
    x, y = p.train.X[:, 0], p.train.y
    if not normalize:
        return x, y, 0.0, 1.0
    return p.scaler.transform(x), p.scaler.transform(y), p.scaler.mean, p.scaler.std


def error_surfaces(series: DailySeries, split: Split, config: SurfaceConfig = SurfaceConfig()) -> list[Surface]:
    """One Surface per loss in config.losses for linear:1 on the series' training days."""
    x, y, mean, std = linear1_data(series, split, config.normalize)
    return [error_surface(x, y, loss, config, mean, std) for loss in config.losses]
