"""Pictures of the error surface, the 1-D curves and the loss landscape: PNG in the book's style
(rainbow colour map, contours on the floor, the minimum marked ×) through matplotlib's Agg canvas
(no pyplot, no display), and a self-contained interactive HTML page through plotly, with plotly.js
inlined so that it opens offline.

>>> write("surface", surfaces, "surface.html")                          # doctest: +SKIP
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import BoundaryNorm
from matplotlib.figure import Figure

from ..store import check_target, write_atomic
from ..errors import ViewcastError
from ..surface.landscape import Curve, Landscape
from ..surface.surface import WITHIN, Surface
from .figures import html_bytes, png_bytes

CMAP = "rainbow"  # the book's: red high, blue low
PATH_COLORS = ["black", "magenta", "saddlebrown", "darkgreen", "navy", "gray"]
OUTCOME_COLORS = {"global": "green", "local": "red", "moving": "orange", "diverged": "black"}
KINDS = ("surface", "curve", "landscape")


def write(kind: str, obj, path: str | Path) -> Path:
    """Draw `obj` (list[Surface] | (Curve, Curve) | Landscape) to a .png or .html file, atomically."""
    path = check_output(path)
    if path.suffix.lower() == ".png":
        fig = {"surface": surface_png, "curve": curve_png, "landscape": landscape_png}[kind](obj)
        FigureCanvasAgg(fig)
        write_atomic(path, png_bytes(fig, dpi=110))
    else:
        fig = {"surface": surface_html, "curve": curve_html, "landscape": landscape_html}[kind](obj)
        write_atomic(path, html_bytes(fig))
    return path


def check_output(path: str | Path) -> Path:
    """A .png or .html file that can be written — checked before any work."""
    path = Path(path)
    if path.suffix.lower() not in (".png", ".html", ".htm"):
        raise ViewcastError("use a .png (picture) or .html (interactive) file name", param="output", value=str(path))
    return check_target(path, "output")


def _levels(L: np.ndarray, n: int = 30) -> np.ndarray:
    """Contour levels at quantiles of L: the valley floor gets as many lines as the steep walls."""
    lv = np.unique(np.quantile(L, np.linspace(0, 1, n)))
    return lv if len(lv) > 2 else np.linspace(L.min(), L.max() + 1e-9, n)


def _units(s: Surface) -> tuple[str, str]:
    return ("w (standard units)", "b (standard units)") if s.normalize else ("w", "b (views)")


def _inside(s: Surface, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (w >= s.w[0]) & (w <= s.w[-1]) & (b >= s.b[0]) & (b <= s.b[-1])


def _lr_label(p) -> str:
    return f"η={p.lr:g}: {p.status}"


# ------------------------------------------------------------------ PNG
def surface_png(surfaces: list[Surface]) -> Figure:
    fig = Figure(figsize=(18, 5.6 * len(surfaces)), layout="constrained")
    for r, s in enumerate(surfaces):
        W, B = np.meshgrid(s.w, s.b)
        xl, yl = _units(s)
        unit = "views" if s.loss == "mae" else "views²"
        floor = s.L.min() - 0.35 * (s.L.max() - s.L.min())
        ax = fig.add_subplot(len(surfaces), 3, 3 * r + 1, projection="3d")
        ax.plot_surface(W, B, s.L, cmap=CMAP, linewidth=0, antialiased=True, alpha=0.85, rcount=60, ccount=60)
        ax.contour(W, B, s.L, levels=_levels(s.L, 20), zdir="z", offset=floor, cmap=CMAP, linewidths=0.8)
        ax.scatter([s.exact.w], [s.exact.b], [floor], marker="x", s=90, c="black", linewidths=2.5)
        ax.scatter([s.exact.w], [s.exact.b], [s.exact.loss], marker="x", s=90, c="black", linewidths=2.5)
        for k, p in enumerate(s.paths):
            m = _inside(s, p.w, p.b)
            ax.plot(p.w[m], p.b[m], p.loss[m], ".-", color=PATH_COLORS[k % 6], ms=2, lw=1.2)
        ax.set_zlim(floor, s.L.max())
        ax.set(xlabel=xl, ylabel=yl, zlabel=f"L ({unit})", title=f"{s.loss.upper()} error surface of linear:1")
        ax.view_init(elev=32, azim=-125)

        ax = fig.add_subplot(len(surfaces), 3, 3 * r + 2)
        lv = _levels(s.L)
        cs = ax.contourf(W, B, s.L, levels=lv, cmap=CMAP, norm=BoundaryNorm(lv, 256))
        ax.contour(W, B, s.L, levels=lv, colors="k", linewidths=0.25, alpha=0.5)
        fig.colorbar(cs, ax=ax, label=f"L ({unit}); levels at quantiles", format="{x:,.0f}")
        for k, p in enumerate(s.paths):
            ax.plot(p.w, p.b, ".-", color=PATH_COLORS[k % 6], ms=3, lw=1.2, label=_lr_label(p))
            ax.plot(p.w[:1], p.b[:1], "o", color=PATH_COLORS[k % 6], ms=7, mfc="none")
        ax.plot(s.exact.w, s.exact.b, "x", c="black", ms=14, mew=3,
                label=f"exact optimum w*={s.exact.w:.3f}, b*={s.exact.b:,.4g}, L={s.exact.loss:,.0f}")
        ax.plot(s.grid_min.w, s.grid_min.b, "+", c="white", ms=12, mew=2, label="grid minimum")
        ax.plot(s.book.w, s.book.b, "*", c="gold", mec="k", ms=14, label="the book's (0.97, 0.1k)")
        ax.set(xlim=(s.w[0], s.w[-1]), ylim=(s.b[0], s.b[-1]), xlabel=xl, ylabel=yl,
               title=f"{s.loss.upper()}: contours and gradient descent from ({s.paths[0].w[0]:g}, {s.paths[0].b[0]:g})")
        ax.legend(fontsize=7.5, loc="upper right", framealpha=0.85)

        ax = fig.add_subplot(len(surfaces), 3, 3 * r + 3)
        for k, p in enumerate(s.paths):
            ax.plot(np.arange(len(p.loss)), p.loss, color=PATH_COLORS[k % 6], label=_lr_label(p))
            if p.diverged_at is not None:
                ax.plot(len(p.loss) - 1, p.loss[-1], "X", color=PATH_COLORS[k % 6], ms=10)
        ax.axhline(s.exact.loss, color="k", ls="--", lw=0.8, label="exact optimum")
        ax.axhline(s.exact.loss * (1 + WITHIN), color="k", ls=":", lw=0.8, label="optimum + 1%")
        ax.set(yscale="log", xlabel="update", ylabel=f"L ({unit})", title="the learning rate η is a hyperparameter")
        ax.legend(fontsize=7.5)
    return fig


def _curve_axes(ax, c: Curve, unit: str, slopes: bool) -> None:
    ax.plot(c.theta, c.L, color="tab:blue", lw=1.8, label="L")
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
        ax.plot(la.alpha, la.L, "-", color="tab:blue")
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


def surface_html(surfaces: list[Surface]):
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    titles = [t for s in surfaces for t in (f"{s.loss.upper()} error surface of linear:1 (drag to rotate)",
                                            f"{s.loss.upper()} contours and gradient descent")]
    fig = make_subplots(rows=len(surfaces), cols=2, specs=[[{"type": "surface"}, {"type": "xy"}]] * len(surfaces),
                        subplot_titles=titles, horizontal_spacing=0.06, vertical_spacing=0.08)
    for r, s in enumerate(surfaces, start=1):
        xl, yl = _units(s)
        fig.add_trace(go.Surface(x=s.w, y=s.b, z=s.L, colorscale="Rainbow", showscale=False, opacity=0.9,
                                 contours_z=dict(show=True, usecolormap=True, project_z=True),
                                 hovertemplate=_hover("w", "b"), name=s.loss), row=r, col=1)
        fig.add_trace(go.Contour(x=s.w, y=s.b, z=s.L, colorscale="Rainbow", showscale=False, ncontours=40,
                                 hovertemplate=_hover("w", "b"), name=s.loss), row=r, col=2)
        for k, p in enumerate(s.paths):
            m, col = _inside(s, p.w, p.b), PATH_COLORS[k % 6]
            fig.add_trace(go.Scatter3d(x=p.w[m], y=p.b[m], z=p.loss[m], mode="lines+markers", name=_lr_label(p),
                                       line=dict(color=col, width=4), marker=dict(size=2, color=col),
                                       legendgroup=f"{r}{k}", showlegend=False), row=r, col=1)
            fig.add_trace(go.Scatter(x=p.w, y=p.b, mode="lines+markers", name=f"{s.loss}: {_lr_label(p)}",
                                     line=dict(color=col), marker=dict(size=3), legendgroup=f"{r}{k}",
                                     customdata=p.loss, hovertemplate="w=%{x:.4g}<br>b=%{y:,.4g}<br>L=%{customdata:,.1f}"),
                          row=r, col=2)
        for pt, name, sym in ((s.exact, "exact optimum", "x"), (s.grid_min, "grid minimum", "cross"),
                              (s.book, "the book's (0.97, 0.1k)", "diamond")):
            fig.add_trace(go.Scatter3d(x=[pt.w], y=[pt.b], z=[pt.loss], mode="markers", name=f"{s.loss}: {name}",
                                       marker=dict(symbol=sym, size=6, color="black"), showlegend=False), row=r, col=1)
            fig.add_trace(go.Scatter(x=[pt.w], y=[pt.b], mode="markers", name=f"{s.loss}: {name} L={pt.loss:,.0f}",
                                     marker=dict(symbol=f"{sym}-thin" if sym != "diamond" else sym, size=14,
                                                 color="black", line=dict(width=3))), row=r, col=2)
        fig.update_xaxes(title_text=xl, range=[s.w[0], s.w[-1]], row=r, col=2)
        fig.update_yaxes(title_text=yl, range=[s.b[0], s.b[-1]], row=r, col=2)
        scene = "scene" if r == 1 else f"scene{r}"
        fig.update_layout({scene: dict(xaxis_title=xl, yaxis_title=yl, zaxis_title="L")})
    fig.update_layout(height=650 * len(surfaces), width=1400, title="viewcast surface — hover shows w, b, L")
    return fig


def curve_html(curves: tuple[Curve, Curve]):
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    fig = make_subplots(rows=1, cols=len(curves), subplot_titles=[c.title for c in curves])
    for i, c in enumerate(curves, start=1):
        fig.add_trace(go.Scatter(x=c.theta, y=c.L, mode="lines", name=f"L ({c.param})"), row=1, col=i)
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
    fig.update_layout(height=600, width=1400, title="viewcast surface --view curve")
    return fig


def landscape_html(la: Landscape):
    import plotly.graph_objects as go

    if la.beta is None:
        fig = go.Figure([go.Scatter(x=la.alpha, y=la.L, mode="lines", name="L(θ* + α·d)"),
                         go.Scatter(x=[0], y=[la.center], mode="markers", name="θ*",
                                    marker=dict(symbol="x-thin", size=16, color="black", line=dict(width=3)))])
        fig.update_layout(xaxis_title="α", yaxis_title="L")
    else:
        fig = go.Figure([go.Surface(x=la.alpha, y=la.beta, z=la.L, colorscale="Rainbow",
                                    contours_z=dict(show=True, usecolormap=True, project_z=True),
                                    hovertemplate=_hover("α", "β")),
                         go.Scatter3d(x=[0], y=[0], z=[la.center], mode="markers", name="θ*",
                                      marker=dict(symbol="x", size=6, color="black"))])
        fig.update_layout(scene=dict(xaxis_title="α", yaxis_title="β", zaxis_title="L"))
    fig.update_layout(height=700, width=1000, title=f"{la.model}: {la.loss.upper()} landscape around θ* "
                      f"(filter-normalized directions, Li et al. 2018); non-convex at {100 * la.nonconvex:.0f}% of points")
    return fig
