"""What `viewcast surface` returns, for each of its views: the error surface of linear:1 with
gradient descent on it, the 1-D curves, or a model's loss landscape — numbers only, with as_dict().

>>> r = error_surface(s, config=SurfaceConfig(grid=30, normalize=True))
>>> [x.loss for x in r.surfaces], r.as_dict()["surfaces"][0]["paths"][1]["status"]
(['mae', 'mse'], 'within 1% at update 31')
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ..data.series import DailySeries
from ..features import Split, choose_split
from ..train import FitResult
from .landscape import Curve, CurveConfig, Landscape, LandscapeConfig, curves, model_landscape
from .surface import BOOK_B, BOOK_W, Surface, SurfaceConfig, error_surfaces


def _pt(p) -> dict:
    return {"w": p.w, "b": p.b, "loss": p.loss}


def surface_dict(s: Surface) -> dict:
    return {"loss": s.loss, "w": s.w, "b": s.b, "L": s.L, "cell": dict(zip("wb", s.cell)),
            "grid_min": _pt(s.grid_min), "exact": {**_pt(s.exact), "views": dict(zip("wb", s.exact_views))},
            "book": _pt(s.book), "cells_off": dict(zip("wb", s.cells_off)),
            "hessian": s.hessian, "condition": s.condition, "max_stable_lr": s.max_stable_lr,
            "paths": [{"lr": p.lr, "start": {"w": p.w[0], "b": p.b[0]}, "w": p.w, "b": p.b, "loss": p.loss,
                       "updates": len(p.loss) - 1, "final_loss": p.loss[-1],
                       "gap_pct": 100 * (p.loss[-1] / s.exact.loss - 1), "within_1pct_at": p.within_at,
                       "diverged_at": p.diverged_at, "diverged_loss": p.diverged_loss, "status": p.status,
                       "outcome": p.outcome, "lr_units": "standard" if p.standard else "views"}
                      for p in s.paths]}


def curve_dict(c: Curve) -> dict:
    gw, gl = c.global_min
    return {"title": c.title, "param": c.param, "loss": c.loss, "theta": c.theta, "L": c.L,
            "global_min": {"theta": gw, "loss": gl}, "trained": c.trained,
            "runs": [{"start": r.start, "lr": r.lr, "theta": r.theta, "loss": r.loss, "slope": r.slope,
                      "outcome": r.outcome} for r in c.runs]}


@dataclass
class SurfaceResult:
    view: str  # surface | curve | landscape
    source: str
    split: Split
    normalize: bool
    model: str
    surfaces: list[Surface] | None = None
    curves: tuple[Curve, Curve] | None = None
    landscape: Landscape | None = None
    fitted: FitResult | None = None  # the model whose landscape it is

    @property
    def obj(self):
        """What the figures draw: the surfaces, the two curves, or the landscape."""
        return {"surface": self.surfaces, "curve": self.curves, "landscape": self.landscape}[self.view]

    def as_dict(self) -> dict:
        """What `viewcast surface --json` prints (without the file names)."""
        head = {"view": self.view, "source": self.source, "split": self.split.describe(), "normalize": self.normalize,
                "model": self.model}
        if self.view == "surface":
            return {**head, "book": {"w": BOOK_W, "b": BOOK_B}, "surfaces": [surface_dict(x) for x in self.surfaces]}
        if self.view == "curve":
            return {**head, "curves": [curve_dict(c) for c in self.curves]}
        la = self.landscape
        return {**head, "loss": la.loss, "params": la.params, "directions": 1 if la.beta is None else 2,
                "span": float(la.alpha[-1]), "alpha": la.alpha, "beta": la.beta, "L": la.L, "center": la.center,
                "nonconvex_share": la.nonconvex, "train": self.fitted.train, "test": self.fitted.test}


def error_surface(series: DailySeries, split: Split | None = None, config: SurfaceConfig = SurfaceConfig()) -> SurfaceResult:
    """L(w, b) of linear:1 on the training days for each loss, with gradient descent on it."""
    split = split or choose_split(series)
    return SurfaceResult("surface", series.name, split, config.normalize, "linear:1",
                         surfaces=error_surfaces(series, split, config))


def loss_curves(series: DailySeries, split: Split | None = None, config: CurveConfig = CurveConfig(),
                progress: Callable | None = None) -> SurfaceResult:
    """The book's L(w) of linear:1 and a non-convex model's sweep, each with gradient descent."""
    split = split or choose_split(series)
    return SurfaceResult("curve", series.name, split, config.normalize, config.model,
                         curves=curves(series, split, config, progress))


def loss_landscape(series: DailySeries, spec: str, split: Split | None = None,
                   config: LandscapeConfig = LandscapeConfig(), progress: Callable | None = None) -> SurfaceResult:
    """Train `spec`, then L around its θ* along random filter-normalized directions."""
    split = split or choose_split(series)
    la, fitted = model_landscape(series, split, spec, config, progress)
    return SurfaceResult("landscape", series.name, split, True, spec, landscape=la, fitted=fitted)
