"""The error surface of linear:1 as one figure, drawn twice with the same layout and colours: a PNG
through matplotlib's Agg canvas and an interactive plotly figure. Per loss, one row of three panels:
the 3-D surface L(w, b) (its axis from 0: a loss is never negative), the contour map with gradient
descent's paths and the marked points, and the loss per update (η is a hyperparameter). Legends sit
below the panels, never over the contours. Words come from the message catalogue (`lang`).

The description is the surfaces themselves (`SurfaceFigure`): their words (titles, labels, the
paths' outcomes) are made once, by the functions below, for both renderers.

>>> from viewcast.surface.surface import SurfaceConfig, error_surface
>>> x = np.linspace(0, 10, 50); y = 2 + 0.8 * x
>>> s = error_surface(x, y, "mse", SurfaceConfig(losses=("mse",), grid=12, steps=5))
>>> f = surface_figure([s], "zh")
>>> len(f.matplotlib().axes) >= 3, len(f.plotly().data) > 5
(True, True)
"""
from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass

import numpy as np
from matplotlib.colors import BoundaryNorm
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from ..surface.surface import WITHIN, Path, Surface
from ..text import i18n
from ..text.fmt import coord
from .render_png import TICKS
from .style import CMAP, MARKS, cjk_fonts, colorscale, log_ticks, short

PATH_COLORS = ["black", "magenta", "saddlebrown", "darkgreen", "navy", "gray"]
LEVELS = 30  # contour levels, at quantiles of L: the valley floor gets as many lines as the steep walls
SHORT = FuncFormatter(lambda v, _: short(v))
# below the axes (never over the contours), on light grey so that the white grid-minimum mark shows
LEGEND = dict(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2, facecolor="0.9", edgecolor="none",
              framealpha=1.0)


@dataclass
class SurfaceFigure:
    """The error surface's picture: one row of three panels per surface, in `lang`."""

    surfaces: list[Surface]
    lang: str | None = None
    key: str = "surface"

    def matplotlib(self) -> Figure:
        with cjk_fonts() if i18n.resolve(self.lang) == "zh" else nullcontext():  # a font with Chinese glyphs
            return surface_png(self.surfaces, self.lang)

    def plotly(self):
        return surface_html(self.surfaces, self.lang)


def surface_figure(surfaces: list[Surface], lang: str | None = None) -> SurfaceFigure:
    """The error surfaces of linear:1 (one per loss) with gradient descent's paths on them."""
    return SurfaceFigure(list(surfaces), lang)


def levels(L: np.ndarray, n: int = LEVELS) -> np.ndarray:
    """Contour levels at quantiles of L (increasing, distinct)."""
    lv = np.unique(np.quantile(L, np.linspace(0, 1, n)))
    return lv if len(lv) > 2 else np.linspace(L.min(), L.max() + 1e-9, n)


def floor(s: Surface) -> float:
    """Where the 3-D plot's floor (with the contours) lies: below the surface, never below 0."""
    return max(0.0, float(s.L.min() - 0.35 * (s.L.max() - s.L.min())))


def _t(key: str, lang: str | None, **kw) -> str:
    return i18n.t(f"fig.surface.{key}", lang, **kw)


def axis_labels(s: Surface, lang: str | None) -> tuple[str, str]:
    return (_t("w_std", lang), _t("b_std", lang)) if s.normalize else (_t("w", lang), _t("b_views", lang))


def unit(s: Surface, lang: str | None) -> str:
    return i18n.t("lab.unit_mae" if s.loss == "mae" else "lab.unit_mse", lang)


def path_label(p: Path, lang: str | None) -> str:
    """'η=0.1 (standard units): within 1% at update 49' from the path's values, in `lang`."""
    t = p.diverged_at if p.outcome == "diverged" else p.within_at
    status = _t(f"outcome.{p.outcome}", lang, t=t)
    return _t("lr_std" if p.standard else "lr", lang, lr=f"{p.lr:g}", status=status)


def point_labels(s: Surface, lang: str | None) -> dict[str, str]:
    return {"exact": _t("exact", lang, w=f"{s.exact.w:.3f}", b=f"{s.exact.b:,.4g}", L=short(s.exact.loss)),
            "grid_min": _t("grid_min", lang), "book": _t("book", lang)}


def inside(s: Surface, p: Path) -> np.ndarray:
    return (p.w >= s.w[0]) & (p.w <= s.w[-1]) & (p.b >= s.b[0]) & (p.b <= s.b[-1])


def titles(s: Surface, lang: str | None) -> tuple[str, str, str]:
    p0 = s.paths[0]
    return (_t("title3d", lang, loss=s.loss.upper()),
            _t("contours", lang, loss=s.loss.upper(), w=coord(p0.w[0], s.w[-1] - s.w[0]),
               b=coord(p0.b[0], s.b[-1] - s.b[0])),
            _t("steps", lang))


# ------------------------------------------------------------------ PNG
def surface_png(surfaces: list[Surface], lang: str | None = None) -> Figure:
    n = len(surfaces)
    fig = Figure(figsize=(18, 6.6 * n), layout="constrained")
    for r, s in enumerate(surfaces):
        W, B = np.meshgrid(s.w, s.b)
        xl, yl = axis_labels(s, lang)
        zl = f"L ({unit(s, lang)})"
        t3, tc, ts = titles(s, lang)
        fl = floor(s)
        ax = fig.add_subplot(n, 3, 3 * r + 1, projection="3d")
        ax.plot_surface(W, B, s.L, cmap=CMAP, linewidth=0, antialiased=True, alpha=0.85, rcount=60, ccount=60)
        ax.contour(W, B, s.L, levels=levels(s.L, 20), zdir="z", offset=fl, cmap=CMAP, linewidths=0.8)
        for z in (fl, s.exact.loss):
            ax.scatter([s.exact.w], [s.exact.b], [z], marker="x", s=90, c=MARKS["exact"]["color"], linewidths=2.5)
        for k, p in enumerate(s.paths):
            m = inside(s, p)
            ax.plot(p.w[m], p.b[m], p.loss[m], ".-", color=PATH_COLORS[k % 6], ms=2, lw=1.2)
        ax.set_zlim(fl, s.L.max())
        ax.zaxis.set_major_formatter(SHORT)
        ax.zaxis.set_rotate_label(False)  # matplotlib turns the label to follow the axis: upside down at this view
        ax.set_zlabel(zl, rotation=90)
        ax.set(xlabel=xl, ylabel=yl, title=t3)
        ax.view_init(elev=32, azim=-125)

        ax = fig.add_subplot(n, 3, 3 * r + 2)
        lv = levels(s.L)
        cs = ax.contourf(W, B, s.L, levels=lv, cmap=CMAP, norm=BoundaryNorm(lv, 256))
        ax.contour(W, B, s.L, levels=lv, colors="k", linewidths=0.25, alpha=0.5)
        cb = fig.colorbar(cs, ax=ax, label=_t("colorbar", lang, unit=unit(s, lang)), format=SHORT)
        cb.set_ticks(lv[:: max(1, len(lv) // 8)])
        for k, p in enumerate(s.paths):
            ax.plot(p.w, p.b, ".-", color=PATH_COLORS[k % 6], ms=3, lw=1.2, label=path_label(p, lang))
            ax.plot(p.w[:1], p.b[:1], "o", color=PATH_COLORS[k % 6], ms=7, mfc="none")
        names = point_labels(s, lang)
        for key, pt in (("exact", s.exact), ("grid_min", s.grid_min), ("book", s.book)):
            mk = MARKS[key]
            ax.plot(pt.w, pt.b, mk["mpl"], color=mk["color"], mec=mk["edge"], ms=mk["size"],
                    mew=3 if key == "exact" else 2, label=names[key])
        ax.set(xlim=(s.w[0], s.w[-1]), ylim=(s.b[0], s.b[-1]), xlabel=xl, ylabel=yl, title=tc)
        ax.xaxis.set_major_formatter(TICKS)  # b in views: 1,000 as the tables print it
        ax.yaxis.set_major_formatter(TICKS)
        ax.legend(**LEGEND)

        ax = fig.add_subplot(n, 3, 3 * r + 3)
        for k, p in enumerate(s.paths):
            ax.plot(np.arange(len(p.loss)), p.loss, color=PATH_COLORS[k % 6])
            if p.diverged_at is not None:
                ax.plot(len(p.loss) - 1, p.loss[-1], "X", color=PATH_COLORS[k % 6], ms=10)
        ax.axhline(s.exact.loss, color="k", ls="--", lw=0.8, label=_t("optimum", lang))
        ax.axhline(s.exact.loss * (1 + WITHIN), color="k", ls=":", lw=0.8, label=_t("within", lang))
        ax.set(yscale="log", xlabel=_t("update", lang), ylabel=zl, title=ts)
        ax.legend(**LEGEND)
    return fig


# ------------------------------------------------------------------ HTML (plotly)
def _rank(L: np.ndarray, lv: np.ndarray) -> np.ndarray:
    """L mapped piecewise-linearly onto [0, 1] so that the quantile levels are evenly spaced: plotly
    draws evenly spaced contours only, and this gives it the PNG's levels and colour bands."""
    return np.interp(L, lv, np.linspace(0.0, 1.0, len(lv)))


def _right_of_contours(fig, row: int) -> float:
    """x (paper) just right of row `row`'s contour panel: its colour bar sits in the gap, not on the next panel."""
    return float(fig.get_subplot(row, 2).xaxis.domain[1]) + 0.006


def surface_html(surfaces: list[Surface], lang: str | None = None):
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    n = len(surfaces)
    scale = colorscale()
    fig = make_subplots(rows=n, cols=3, specs=[[{"type": "surface"}, {"type": "xy"}, {"type": "xy"}]] * n,
                        subplot_titles=[t for s in surfaces for t in titles(s, lang)],
                        horizontal_spacing=0.11, vertical_spacing=0.16 / n, column_widths=[0.36, 0.36, 0.28])
    for r, s in enumerate(surfaces, start=1):
        xl, yl = axis_labels(s, lang)
        zl = f"L ({unit(s, lang)})"
        hover = "w=%{x:.4g}<br>b=%{y:,.4g}<br>L=%{customdata:,.1f}<extra></extra>"
        fig.add_trace(go.Surface(x=s.w, y=s.b, z=s.L, colorscale=scale, showscale=False, opacity=0.9,
                                 customdata=s.L, hovertemplate=hover, name=s.loss,
                                 contours_z=dict(show=True, usecolormap=True, project_z=True)), row=r, col=1)
        lv = levels(s.L)
        ticks = np.arange(0, len(lv), max(1, len(lv) // 8))
        fig.add_trace(go.Contour(x=s.w, y=s.b, z=_rank(s.L, lv), customdata=s.L, colorscale=scale,
                                 contours=dict(start=0.0, end=1.0, size=1.0 / (len(lv) - 1)),
                                 line=dict(width=0.5, color="rgba(0,0,0,0.4)"), hovertemplate=hover, name=s.loss,
                                 colorbar=dict(title=dict(text="L", side="top"), len=0.8 / n, thickness=14,
                                               y=1 - (r - 0.5) / n, x=_right_of_contours(fig, r), xanchor="left",
                                               tickvals=(ticks / (len(lv) - 1)).tolist(),
                                               ticktext=[short(lv[i]) for i in ticks])), row=r, col=2)
        for k, p in enumerate(s.paths):
            m, col, name = inside(s, p), PATH_COLORS[k % 6], path_label(p, lang)
            group = f"{s.loss}{k}"
            fig.add_trace(go.Scatter3d(x=p.w[m], y=p.b[m], z=p.loss[m], mode="lines+markers", name=name,
                                       line=dict(color=col, width=4), marker=dict(size=2, color=col),
                                       legendgroup=group, showlegend=False), row=r, col=1)
            fig.add_trace(go.Scatter(x=p.w, y=p.b, mode="lines+markers", name=f"{s.loss.upper()}: {name}",
                                     line=dict(color=col), marker=dict(size=3), legendgroup=group, customdata=p.loss,
                                     hovertemplate="w=%{x:.4g}<br>b=%{y:,.4g}<br>L=%{customdata:,.1f}"), row=r, col=2)
            fig.add_trace(go.Scatter(x=np.arange(len(p.loss)), y=p.loss, mode="lines", name=name, legendgroup=group,
                                     line=dict(color=col), showlegend=False), row=r, col=3)
        names = point_labels(s, lang)
        for key, pt in (("exact", s.exact), ("grid_min", s.grid_min), ("book", s.book)):
            mk = MARKS[key]
            marker = dict(symbol=mk["plotly"], size=mk["size"], color=mk["color"], line=dict(width=2, color=mk["edge"]))
            fig.add_trace(go.Scatter(x=[pt.w], y=[pt.b], mode="markers", name=f"{s.loss.upper()}: {names[key]}",
                                     marker=marker), row=r, col=2)
        fig.add_trace(go.Scatter3d(x=[s.exact.w], y=[s.exact.b], z=[s.exact.loss], mode="markers", showlegend=False,
                                   name=names["exact"], marker=dict(symbol="x", size=6, color="black")), row=r, col=1)
        for y, dash, key in ((s.exact.loss, "dash", "optimum"), (s.exact.loss * (1 + WITHIN), "dot", "within")):
            fig.add_trace(go.Scatter(x=[0, max(len(p.loss) for p in s.paths) - 1], y=[y, y], mode="lines",
                                     name=f"{s.loss.upper()}: {_t(key, lang)}",
                                     line=dict(color="black", dash=dash, width=1)), row=r, col=3)
        fig.update_xaxes(title_text=xl, range=[s.w[0], s.w[-1]], tickformat=",", row=r, col=2)
        fig.update_yaxes(title_text=yl, range=[s.b[0], s.b[-1]], tickformat=",", row=r, col=2)
        fig.update_xaxes(title_text=_t("update", lang), tickformat=",", row=r, col=3)
        vals, text = log_ticks(min(float(q.loss.min()) for q in s.paths) * 0.99, max(float(q.loss.max()) for q in s.paths))
        fig.update_yaxes(title_text=zl, type="log", tickvals=vals, ticktext=text, row=r, col=3)  # 1, 2, 5 × 10ⁿ
        scene = "scene" if r == 1 else f"scene{r}"
        fig.update_layout({scene: dict(xaxis_title=xl, yaxis_title=yl, zaxis=dict(title=zl, range=[floor(s), float(s.L.max())]),
                                       camera=dict(eye=dict(x=-1.3, y=-1.85, z=1.4)))})
    # no fixed width: the figure fills its page or pane (a 1400-px window has no horizontal scroll bar)
    fig.update_layout(height=560 * n + 160, autosize=True, title=_t("html_title", lang), template="plotly_white",
                      margin=dict(l=30, r=10, t=80, b=10),
                      legend=dict(orientation="h", yanchor="top", y=-0.04, xanchor="left", x=0, font=dict(size=11),
                                  bgcolor="#e6e6e6"))  # grey, as the PNG's: the white grid-minimum mark shows
    return fig
