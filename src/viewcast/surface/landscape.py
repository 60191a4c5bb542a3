"""One-dimensional pictures of L and the loss landscape of any model.

- `linear_curve`: the book's L(w) with b fixed, gradient descent's steps on it and the slope at each.
- `sweep`: one parameter of a non-convex model (hardsigmoid:1x1, sigmoid:1x1) swept with the others
  at their trained values; gradient descent from several starts — some stop where the slope is 0
  above the global minimum.
- `model_landscape`: L along one or two random directions around a trained θ*, filter-normalized as
  in Li et al. 2018, *Visualizing the Loss Landscape of Neural Nets* — a bowl, or not.

>>> x, y = np.array([1., 2., 3.]), np.array([2., 4., 6.])
>>> c = linear_curve(x, y, b=0.0, loss="mse", start=0.0, lr=0.02, steps=100)
>>> round(float(c.runs[0].theta[-1]), 3), c.runs[0].outcome
(2.0, 'global')
"""
from __future__ import annotations

import copy
import math
from dataclasses import dataclass
from typing import Callable

import numpy as np
import torch

from .. import models
from ..data.series import DailySeries
from ..errors import ViewcastError
from ..train import losses
from ..features import Split, prepare
from ..models.exact import exact_linear
from ..train import FitResult, TrainConfig, fit
from .configs import CurveConfig, LandscapeConfig
from .surface import DIVERGE, WITHIN, gradient, linear1_data, loss_at

# η of the 1-D picture per (loss, normalize): a step that shows the walk on the default series
CURVE_LRS = {("mae", False): 1e-5, ("mse", False): 1e-9, ("mae", True): 0.1, ("mse", True): 0.1}


@dataclass(frozen=True)
class Run:
    """Gradient descent on one parameter: point t is after t updates."""

    start: float
    lr: float
    theta: np.ndarray  # (t+1,)
    loss: np.ndarray  # (t+1,) views (MAE) or views² (MSE)
    slope: np.ndarray  # (t+1,) dL/dθ at each point, in loss units per unit of θ
    outcome: str  # global | local (stopped, slope 0, above the global minimum) | moving | diverged


@dataclass(frozen=True)
class Curve:
    title: str  # what is swept, e.g. "linear:1 — L(w), b fixed at 1,228"
    param: str  # the swept parameter's name
    theta: np.ndarray  # (n,) swept values
    L: np.ndarray  # (n,) loss at each
    runs: list[Run]
    trained: float | None  # the parameter's trained value (None: linear:1's w)
    loss: str = "mae"  # L is this loss, in views (MAE) or views² (MSE)

    @property
    def global_min(self) -> tuple[float, float]:
        i = int(np.argmin(self.L))
        return float(self.theta[i]), float(self.L[i])


def _descend(f: Callable[[float], tuple[float, float]], start: float, lr: float, steps: int, scale: float
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray, bool]:
    """θ ← θ − η f'(θ); f returns (L, dL/dθ) in the units descended. Returns θ, L×scale, slope×scale."""
    th, ls, gs = [start], [], []
    theta, diverged = start, False
    for t in range(steps + 1):
        L, g = f(theta)
        if not math.isfinite(L) or (ls and L * scale > DIVERGE * ls[0]):
            th.pop()
            diverged = True
            break
        ls.append(L * scale), gs.append(g * scale)
        if t < steps:
            theta = theta - lr * g
            th.append(theta)
    return np.array(th), np.array(ls), np.array(gs), diverged


def _classify(runs: list[tuple], best: float, tol: float) -> list[str]:
    out = []
    for th, ls, gs, diverged in runs:
        if diverged:
            out.append("diverged")
        elif ls[-1] <= best + WITHIN * abs(best) + 1e-12 * abs(ls[0]):
            out.append("global")
        elif abs(gs[-1]) <= tol:
            out.append("local")
        else:
            out.append("moving")
    return out


def linear_curve(x: np.ndarray, y: np.ndarray, b: float, loss: str, start: float, lr: float, steps: int,
                 w_range: tuple[float, float] | None = None, points: int = 401, scale: float = 1.0) -> Curve:
    """L(w) = loss of b + w·x with b fixed, and GD on w from `start` (the book's first picture)."""
    runs = [_descend(lambda w: (loss_at(x, y, w, b, loss), gradient(x, y, w, b, loss)[0]), start, lr, steps, scale)]
    lo, hi = w_range or (min(start, runs[0][0].min()) - 0.3, max(start, runs[0][0].max()) + 0.3)
    ws = np.linspace(lo, hi, points)
    e = b + ws[:, None] * x[None, :] - y[None, :]  # (points, n)
    L = losses.errors(e, loss).mean(axis=1) * scale
    best = min(float(L.min()), float(runs[0][1].min()))
    kinds = _classify(runs, best, 1e-9 * max(1.0, float(np.abs(runs[0][2]).max())))
    rs = [Run(start, lr, *r[:3], k) for r, k in zip(runs, kinds)]
    return Curve(f"linear:1 — L(w), b fixed at {b:,.4g}", "w", ws, L, rs, None, loss)


def _torch_loss(model: torch.nn.Module, X: torch.Tensor, y: torch.Tensor, loss: str) -> Callable:
    names = dict(model.named_parameters())

    def at(params: dict) -> torch.Tensor:
        return losses.mean_loss(torch.func.functional_call(model, params, (X,)), y, loss)

    return at, names


def sweep(fitted: FitResult, X: np.ndarray, y: np.ndarray, loss: str, param: str = "hidden.0.bias",
          starts: int = 7, lr: float = 0.1, steps: int = 100, points: int = 401) -> Curve:
    """L as the first entry of `param` of a trained model varies, the others at their trained values;
    GD on that entry from `starts` points across the range. X (n, k), y (n,) in views."""
    model = _double(fitted.model)
    sc = fitted.scaler
    Xt = torch.as_tensor(sc.transform(X), dtype=torch.float64)
    yt = torch.as_tensor(sc.transform(y), dtype=torch.float64)
    at, params = _torch_loss(model, Xt, yt, loss)
    if param not in params:
        raise ViewcastError(f"{fitted.spec} has {', '.join(params)}; pick one of those", param="param", value=param)
    scale = losses.unit(sc.std, loss)
    base = {k: v.detach() for k, v in params.items()}
    trained = float(base[param].flatten()[0])

    def f(v: float) -> tuple[float, float]:
        t = torch.tensor(v, dtype=torch.float64, requires_grad=True)
        L = at(_with(base, param, t))
        (g,) = torch.autograd.grad(L, t)
        return float(L.detach()), float(g)

    lo, hi = _range(base, param, Xt, trained)
    grid = np.linspace(lo, hi, points)
    with torch.no_grad():
        L = np.array([float(at(_with(base, param, torch.tensor(v, dtype=torch.float64)))) for v in grid]) * scale
    raw = [_descend(f, float(s), lr, steps, scale) for s in np.linspace(lo, hi, starts)]
    best = min(float(L.min()), min(float(r[1].min()) for r in raw))
    tol = 1e-7 * max(1.0, max(float(np.abs(r[2]).max()) for r in raw))
    kinds = _classify(raw, best, tol)
    runs = [Run(float(r[0][0]), lr, *r[:3], k) for r, k in zip(raw, kinds)]
    return Curve(f"{fitted.spec} — L({param}[0]), other parameters at their trained values", param, grid, L,
                 runs, trained, loss)


def _with(base: dict, param: str, v: torch.Tensor) -> dict:
    """The parameters `base` with the first entry of `param` replaced by the scalar tensor v."""
    flat = base[param].reshape(-1)
    return {**base, param: torch.cat([v.reshape(1), flat[1:]]).reshape(base[param].shape)}


def _range(base: dict, param: str, X: torch.Tensor, trained: float) -> tuple[float, float]:
    """The hidden bias: every day's unit from off to saturated, plus room to see both flat ends."""
    if param.endswith("0.bias") and param.replace("bias", "weight") in base:
        z = (X @ base[param.replace("bias", "weight")][0]).numpy()  # (n,) unit 0's input before its bias
        return float(-z.max() - 1.5), float(1.0 - z.min() + 1.5)
    r = 3.0 * max(1.0, abs(trained))
    return trained - r, trained + r


def _double(model: torch.nn.Module) -> torch.nn.Module:
    return copy.deepcopy(model).double().eval()  # float64: the flat parts read exactly flat


@dataclass(frozen=True)
class Landscape:
    model: str
    loss: str
    alpha: np.ndarray  # (n,) steps along direction 1
    beta: np.ndarray | None  # (n,) along direction 2; None for 1-D
    L: np.ndarray  # (n,) or (n_beta, n_alpha), views (MAE) or views² (MSE)
    center: float  # L(θ*)
    params: int
    nonconvex: float  # share of interior points whose finite-difference curvature is negative somewhere


def directions(model: torch.nn.Module, dims: int, seed: int) -> list[dict[str, torch.Tensor]]:
    """Random Gaussian directions, each filter (a unit's incoming weights) rescaled to the norm of the
    same filter of θ*; biases get 0 (Li et al. 2018, §4, 'filter normalization', ignoring biases)."""
    g = torch.Generator().manual_seed(seed)
    out = []
    for _ in range(dims):
        d = {}
        for name, p in model.named_parameters():
            if p.dim() <= 1:
                d[name] = torch.zeros_like(p)
                continue
            r = torch.randn(p.shape, generator=g, dtype=p.dtype)
            d[name] = r / r.norm(dim=1, keepdim=True).clamp_min(1e-12) * p.detach().norm(dim=1, keepdim=True)
        out.append(d)
    return out


def landscape_of(fitted: FitResult, X: np.ndarray, y: np.ndarray, config: LandscapeConfig = LandscapeConfig(),
                 progress: Callable[[int, int, float], None] | None = None) -> Landscape:
    """L(θ* + α·d₁ [+ β·d₂]) on a grid of α (and β); X (n, k), y (n,) in views."""
    model, sc = _double(fitted.model), fitted.scaler  # float64: curvature signs are not rounding noise
    Xt = torch.as_tensor(sc.transform(X), dtype=torch.float64)
    yt = torch.as_tensor(sc.transform(y), dtype=torch.float64)
    at, params = _torch_loss(model, Xt, yt, config.loss)
    base = {k: v.detach() for k, v in params.items()}
    ds = directions(model, config.dims, config.seed)
    n = config.points or (51 if config.dims == 1 else 25)
    a = np.linspace(-config.span, config.span, n)
    b = a.copy() if config.dims == 2 else None
    scale = losses.unit(sc.std, config.loss)
    L = np.empty((n, n) if b is not None else n)
    with torch.no_grad():
        for i in range(n if b is not None else 1):
            for j in range(n):
                p = {k: v + float(a[j]) * ds[0][k] + (float(b[i]) * ds[1][k] if b is not None else 0) for k, v in base.items()}
                L[(i, j) if b is not None else j] = float(at(p)) * scale
            if progress:
                progress(i + 1, n if b is not None else 1, float(L.flat[0]))
        center = float(at(base)) * scale
    return Landscape(fitted.spec, config.loss, a, b, L, center, models.n_params(model), nonconvex_share(L))


def nonconvex_share(L: np.ndarray, tol: float = 1e-3) -> float:
    """Share of interior grid points where L curves down along some line through them (1-D: the
    curve; 2-D: α, β and both diagonals) by more than tol × the largest |curvature| on the grid.
    A convex function — a bowl, kinks allowed — scores 0: its second differences are never negative."""
    if L.ndim == 1:
        c = (L[2:] - 2 * L[1:-1] + L[:-2])[None]
    else:
        m = L[1:-1, 1:-1]
        c = np.stack([L[1:-1, 2:] - 2 * m + L[1:-1, :-2], L[2:, 1:-1] - 2 * m + L[:-2, 1:-1],
                      L[2:, 2:] - 2 * m + L[:-2, :-2], L[2:, :-2] - 2 * m + L[:-2, 2:]])
    top = float(np.abs(c).max())
    return float(np.mean(c.min(axis=0) < -tol * top)) if top > 0 else 0.0


def _train(series: DailySeries, split: Split, spec: str, loss: str, epochs: int, seed: int,
           progress: Callable | None) -> tuple[FitResult, np.ndarray, np.ndarray]:
    """Train `spec` the default way (standard units, Adam); return it with its training X, y in views."""
    s = models.parse(spec)
    data = prepare(series, s.k, split)
    r = fit(s, data, TrainConfig(loss=loss, epochs=epochs, seed=seed), progress=progress)
    return r, data.train.X, data.train.y


def curves(series: DailySeries, split: Split, config: CurveConfig = CurveConfig(),
           progress: Callable | None = None) -> tuple[Curve, Curve]:
    """The book's L(w) of linear:1 (b fixed at b*) and a non-convex model's sweep, each with GD."""
    x, y, mean, std = linear1_data(series, split, config.normalize)
    w, b = exact_linear(x[:, None], y, config.loss)
    lr = config.lr or CURVE_LRS[(config.loss, config.normalize)]
    scale = losses.unit(std, config.loss)
    line = linear_curve(x, y, b, config.loss, config.start, lr, config.steps, scale=scale)
    fitted, X, Y = _train(series, split, config.model, config.loss, config.epochs, config.seed, progress)
    return line, sweep(fitted, X, Y, config.loss, config.param, config.starts, config.sweep_lr, config.steps)


def model_landscape(series: DailySeries, split: Split, spec: str, config: LandscapeConfig = LandscapeConfig(),
                    progress: Callable | None = None) -> tuple[Landscape, FitResult]:
    """Train `spec`, then its landscape around θ* on the training days."""
    fitted, X, Y = _train(series, split, spec, config.loss, config.epochs, config.seed, progress)
    return landscape_of(fitted, X, Y, config, progress), fitted
