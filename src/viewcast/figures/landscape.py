"""The pictures of `viewcast surface --view curve` and `--view landscape`: the book's 1-D loss curves L(w)
with gradient descent's steps (and the slope at each), and a trained network's loss along one or two
filter-normalized random directions (Li et al. 2018), as PNG (matplotlib) and HTML (plotly).

>>> from viewcast.surface.landscape import Landscape
>>> la = Landscape("relu:56x10", "mae", np.linspace(-1, 1, 5), None, np.array([3., 2., 1., 2., 3.]), 1.0, 581, 0.0)
>>> f = landscape_figure(la)
>>> len(f.matplotlib().axes), len(f.plotly().data)
(1, 2)
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.colors import BoundaryNorm
from matplotlib.figure import Figure

from ..surface.landscape import Curve, Landscape
from .style import CMAP, CYCLE, colorscale
from .surface import levels as _levels

OUTCOME_COLORS = {"global": "green", "local": "red", "moving": "orange", "diverged": "black"}


@dataclass
class CurveFigure:
    """The two 1-D curves of `--view curve`, side by side."""

    curves: tuple[Curve, Curve]
    key: str = "curve"

    def matplotlib(self) -> Figure:
        return curve_png(self.curves)

    def plotly(self):
        return curve_html(self.curves)


@dataclass
class LandscapeFigure:
    """A loss landscape: a curve (one direction) or a surface with its contours (two)."""

    landscape: Landscape
    key: str = "landscape"

    def matplotlib(self) -> Figure:
        return landscape_png(self.landscape)

    def plotly(self):
        return landscape_html(self.landscape)


def curve_figure(curves) -> CurveFigure:
    return CurveFigure(tuple(curves))


def landscape_figure(la: Landscape) -> LandscapeFigure:
    return LandscapeFigure(la)


# ------------------------------------------------------------------ PNG
def _curve_axes(ax, c: Curve, unit: str, slopes: bool) -> None:
    ax.plot(c.theta, c.L, color=CYCLE[0], lw=1.8, label="L")
    gw, gl = c.global_min
    ax.plot(gw, gl, "x", c="black", ms=14, mew=3, label=f"global minimum L={gl:,.0f}")
    span = (c.theta[-1] - c.theta[0]) / 25
    for k, r in enumerate(c.runs):
        col = OUTCOME_COLORS[r.outcome] if len(c.runs) > 1 else "red"
        ax.plot(r.theta, r.loss, "o", color=col, ms=4, alpha=0.8,
                label=f"GD from {r.start:.3g}, η={r.lr:g}: {r.outcome} (L={r.loss[-1]:,.0f})")
        ax.plot(r.theta[-1:], r.loss[-1:], "o", color=col, ms=10, mfc="none", mew=2)  # where it ended
        if slopes:  # the slope at each step: a short tangent segment
            for n, (t, l, g) in enumerate(zip(r.theta, r.loss, r.slope)):
                ax.plot([t - span, t + span], [l - g * span, l + g * span], "-", color="darkorange", lw=1.6,
                        label="slope dL/dw at each step" if n == 0 else None)
    if c.trained is not None:
        ax.axvline(c.trained, color="gray", ls=":", lw=1, label="trained value")
    lo, hi = c.L.min(), c.L.max()
    ax.set(ylim=(lo - 0.05 * (hi - lo), hi + 0.1 * (hi - lo)), xlim=(c.theta[0], c.theta[-1]),
           xlabel=c.param, ylabel=f"L ({unit})", title=c.title)
    ax.legend(fontsize=7.5)


def curve_png(curves: tuple[Curve, Curve]) -> Figure:
    fig = Figure(figsize=(16, 5.5), layout="constrained")
    for i, c in enumerate(curves):
        unit = "views" if c.loss == "mae" else "views²"
        _curve_axes(fig.add_subplot(1, len(curves), i + 1), c, unit, slopes=(i == 0))
    return fig


def landscape_png(la: Landscape) -> Figure:
    unit = "views" if la.loss == "mae" else "views²"
    title = (f"{la.model}: {la.loss.upper()} along {'one' if la.beta is None else 'two'} filter-normalized random "
             f"direction{'s' if la.beta is not None else ''} (Li et al. 2018); non-convex at {100 * la.nonconvex:.0f}% of points")
    if la.beta is None:
        fig = Figure(figsize=(9, 5.5), layout="constrained")
        ax = fig.add_subplot()
        ax.plot(la.alpha, la.L, "-", color=CYCLE[0])
        ax.plot(0, la.center, "x", c="black", ms=14, mew=3, label=f"θ* (trained) L={la.center:,.0f}")
        ax.set(xlabel="α  (θ = θ* + α·d)", ylabel=f"L ({unit})", title=title)
        ax.legend()
        return fig
    fig = Figure(figsize=(15, 6), layout="constrained")
    A, Bm = np.meshgrid(la.alpha, la.beta)
    floor = la.L.min() - 0.35 * (la.L.max() - la.L.min())
    ax = fig.add_subplot(1, 2, 1, projection="3d")
    ax.plot_surface(A, Bm, la.L, cmap=CMAP, linewidth=0, alpha=0.85)
    ax.contour(A, Bm, la.L, levels=_levels(la.L, 20), zdir="z", offset=floor, cmap=CMAP)
    ax.scatter([0], [0], [la.center], marker="x", s=90, c="black", linewidths=2.5)
    ax.scatter([0], [0], [floor], marker="x", s=90, c="black", linewidths=2.5)
    ax.set(zlim=(floor, la.L.max()), xlabel="α", ylabel="β", zlabel=f"L ({unit})")
    ax.view_init(elev=32, azim=-125)
    ax = fig.add_subplot(1, 2, 2)
    lv = _levels(la.L)
    cs = ax.contourf(A, Bm, la.L, levels=lv, cmap=CMAP, norm=BoundaryNorm(lv, 256))
    fig.colorbar(cs, ax=ax, label=f"L ({unit})", format="{x:,.0f}")
    ax.plot(0, 0, "x", c="black", ms=14, mew=3, label=f"θ* L={la.center:,.0f}")
    ax.set(xlabel="α  (θ = θ* + α·d₁ + β·d₂)", ylabel="β")
    ax.legend()
    fig.suptitle(title)
    return fig


# ------------------------------------------------------------------ HTML (plotly)
def _hover(x: str, y: str) -> str:
    return f"{x}=%{{x:.4g}}<br>{y}=%{{y:,.4g}}<br>L=%{{z:,.1f}}<extra></extra>"


def curve_html(curves: tuple[Curve, Curve]):
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    fig = make_subplots(rows=1, cols=len(curves), subplot_titles=[c.title for c in curves])
    for i, c in enumerate(curves, start=1):
        fig.add_trace(go.Scatter(x=c.theta, y=c.L, mode="lines", name=f"L ({c.param})", line=dict(color=CYCLE[0])),
                      row=1, col=i)  # the PNG's blue, not plotly's own first colour
        for r in c.runs:
            fig.add_trace(go.Scatter(x=r.theta, y=r.loss, mode="markers", customdata=r.slope,
                                     marker=dict(color=OUTCOME_COLORS[r.outcome], size=6),
                                     name=f"GD from {r.start:.3g}: {r.outcome}",
                                     hovertemplate=f"{c.param}=%{{x:.4g}}<br>L=%{{y:,.1f}}<br>slope=%{{customdata:,.4g}}"),
                          row=1, col=i)
        gw, gl = c.global_min
        fig.add_trace(go.Scatter(x=[gw], y=[gl], mode="markers", name="global minimum",
                                 marker=dict(symbol="x-thin", size=16, color="black", line=dict(width=3))), row=1, col=i)
        fig.update_xaxes(title_text=c.param, row=1, col=i)
    fig.update_layout(height=600, autosize=True, title="viewcast surface --view curve")  # fits its window
    return fig


def landscape_html(la: Landscape):
    import plotly.graph_objects as go

    if la.beta is None:
        fig = go.Figure([go.Scatter(x=la.alpha, y=la.L, mode="lines", name="L(θ* + α·d)", line=dict(color=CYCLE[0])),
                         go.Scatter(x=[0], y=[la.center], mode="markers", name="θ*",
                                    marker=dict(symbol="x-thin", size=16, color="black", line=dict(width=3)))])
        fig.update_layout(xaxis_title="α", yaxis_title="L")
    else:
        fig = go.Figure([go.Surface(x=la.alpha, y=la.beta, z=la.L, colorscale=colorscale(),
                                    contours_z=dict(show=True, usecolormap=True, project_z=True),
                                    hovertemplate=_hover("α", "β")),
                         go.Scatter3d(x=[0], y=[0], z=[la.center], mode="markers", name="θ*",
                                      marker=dict(symbol="x", size=6, color="black"))])
        fig.update_layout(scene=dict(xaxis_title="α", yaxis_title="β", zaxis_title="L"))
    fig.update_layout(height=700, autosize=True, title=f"{la.model}: {la.loss.upper()} landscape around θ* "
                      f"(filter-normalized directions, Li et al. 2018); non-convex at {100 * la.nonconvex:.0f}% of points")
    return fig
