"""One chart, two renderings: a small description of a figure (panels of lines, markers, bands and
bars, with their colours and labels) drawn once by plotly for the HTML report and once by matplotlib
for `--png`, so that both show the same traces in the same colours and the same layout (panels in a
grid, titles above, one legend below). The report's figures are built as Charts (`report/charts.py`);
the error surface has its own two renderers (`report/surface_fig.py`).

>>> c = Chart("demo", "a line", [Panel("p", "x", "y", [Trace("line", [0, 1, 2], [1, 0, 1], "L")])])
>>> len(to_plotly(c).data), len(to_matplotlib(c).axes)
(1, 1)
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from matplotlib.figure import Figure

from .figures import log_ticks, new_figure, rgba

KINDS = ("line", "markers", "lines+markers", "band", "bar", "hline", "vline")
DASH = {"solid": ("solid", "-"), "dash": ("dash", "--"), "dot": ("dot", ":")}  # plotly, matplotlib
SYMBOL = {"circle": ("circle", "o"), "x": ("x-thin", "x"), "diamond": ("diamond", "D"), "ring": ("circle-open", "o")}
PX_PER_INCH = 100  # a panel of `height` px in the page is height/100 inches in the PNG (at 120 dpi)


@dataclass
class Trace:
    kind: str  # one of KINDS
    x: list | np.ndarray  # numbers, dates (datetime64) or category names; hline: unused
    y: list | np.ndarray  # band: its lower edge; hline: [y]; vline: [x]
    name: str | None = None  # in the legend (None: not in it)
    color: str = "#1f77b4"  # a hex colour: the same string reaches plotly and matplotlib
    dash: str = "solid"
    width: float = 1.5
    upper: list | np.ndarray | None = None  # band: its upper edge
    alpha: float = 1.0  # band: fill opacity
    symbol: str = "circle"
    size: float = 5.0
    error: list | np.ndarray | None = None  # ± error bars on y
    hover: str | None = None  # plotly hover template (HTML only)


@dataclass
class Panel:
    title: str
    xlabel: str = ""
    ylabel: str = ""
    traces: list[Trace] = field(default_factory=list)
    ylog: bool = False
    ymin: float | None = None  # e.g. 0 for views
    categories: bool = False  # x are names (bars, models): ticks rotated in the PNG


@dataclass
class Chart:
    key: str  # the figure's id in the page (fig-KEY) and the PNG's file name (KEY.png)
    title: str
    panels: list[Panel]
    cols: int = 1
    height: int = 380  # px per row of panels


def _rows(c: Chart) -> int:
    return -(-len(c.panels) // c.cols)


# ------------------------------------------------------------------ plotly
def to_plotly(c: Chart):
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    rows = _rows(c)
    fig = make_subplots(rows=rows, cols=c.cols, subplot_titles=[p.title for p in c.panels],
                        horizontal_spacing=0.08, vertical_spacing=min(0.25, 0.5 / rows))
    shown: set[str] = set()  # one legend entry per name, as the PNG's figure legend
    for i, p in enumerate(c.panels):
        r, col = i // c.cols + 1, i % c.cols + 1
        for t in p.traces:
            show = t.name is not None and t.name not in shown
            if t.name:
                shown.add(t.name)
            common = dict(name=t.name or "", legendgroup=t.name, showlegend=show)
            if t.hover:
                common["hovertemplate"] = t.hover
            line = dict(color=t.color, dash=DASH[t.dash][0], width=t.width)
            if t.kind in ("line", "markers", "lines+markers"):
                mode = {"line": "lines"}.get(t.kind, t.kind)
                marker = dict(color=t.color, size=t.size, symbol=SYMBOL[t.symbol][0],
                              line=dict(color=t.color, width=2) if t.symbol in ("x", "ring") else None)
                err = dict(type="data", array=np.asarray(t.error), color=t.color) if t.error is not None else None
                fig.add_trace(go.Scatter(x=t.x, y=t.y, mode=mode, line=line, marker=marker, error_y=err, **common),
                              row=r, col=col)
            elif t.kind == "band":
                xs = list(t.x)
                fig.add_trace(go.Scatter(x=xs + xs[::-1], y=list(t.upper) + list(t.y)[::-1], fill="toself", mode="lines",
                                         fillcolor=rgba(t.color, t.alpha), line=dict(width=0), hoverinfo="skip",
                                         **common), row=r, col=col)
            elif t.kind == "bar":
                fig.add_trace(go.Bar(x=t.x, y=t.y, marker_color=t.color, **common), row=r, col=col)
            elif t.kind == "hline":
                fig.add_hline(y=float(t.y[0]), line=line, row=r, col=col)
                if show:  # add_hline has no legend entry: a trace without points gives it one
                    fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", line=line, **common), row=r, col=col)
            elif t.kind == "vline":
                fig.add_vline(x=t.y[0], line=line, row=r, col=col)
            else:
                raise ValueError(f"unknown trace kind {t.kind!r}")
        fig.update_xaxes(title_text=p.xlabel, row=r, col=col)
        fig.update_yaxes(title_text=p.ylabel, type="log" if p.ylog else None, row=r, col=col)
        if p.ylog:  # ticks at 1, 2, 5 × 10ⁿ, labelled in full (plotly labels every digit of a decade otherwise)
            ys = np.concatenate([np.asarray(t.y, float) for t in p.traces if t.kind != "vline"])
            ys = ys[np.isfinite(ys) & (ys > 0)]
            if len(ys):
                vals, text = log_ticks(float(ys.min()), float(ys.max()))
                fig.update_yaxes(tickvals=vals, ticktext=text, row=r, col=col)
        if p.ymin is not None and not p.ylog:
            fig.update_yaxes(rangemode="tozero" if p.ymin == 0 else None, row=r, col=col)
    fig.update_layout(title=c.title, template="plotly_white", autosize=True, height=c.height * rows + 120,
                      barmode="group", margin=dict(l=60, r=20, t=70, b=40),
                      legend=dict(orientation="h", yanchor="top", y=-0.12 / rows, xanchor="left", x=0))
    return fig


# ------------------------------------------------------------------ matplotlib
def to_matplotlib(c: Chart) -> Figure:
    rows = _rows(c)
    # as wide as the page's figures (~1150 px) whatever the columns: the PNG keeps the HTML's proportions
    fig = new_figure((12.5, c.height * rows / PX_PER_INCH + 1.2), layout="constrained")
    handles: dict[str, object] = {}
    for i, p in enumerate(c.panels):
        ax = fig.add_subplot(rows, c.cols, i + 1)
        bars = [t for t in p.traces if t.kind == "bar"]
        for t in p.traces:
            ls = DASH[t.dash][1]
            if t.kind in ("line", "markers", "lines+markers"):
                fmt = {"line": "", "markers": SYMBOL[t.symbol][1], "lines+markers": SYMBOL[t.symbol][1]}[t.kind]
                h = ax.errorbar(t.x, t.y, yerr=t.error, fmt=fmt, ls=ls if t.kind != "markers" else "none",
                                color=t.color, lw=t.width, ms=t.size, capsize=3,
                                mfc="none" if t.symbol == "ring" else t.color)
            elif t.kind == "band":
                h = ax.fill_between(t.x, t.y, t.upper, color=t.color, alpha=t.alpha, lw=0)
            elif t.kind == "bar":  # grouped as plotly's barmode="group"
                j, n = bars.index(t), len(bars)
                xs = np.arange(len(t.x)) + (j - (n - 1) / 2) * 0.8 / n
                h = ax.bar(xs, t.y, width=0.8 / n, color=t.color)
                ax.set_xticks(np.arange(len(t.x)), list(t.x))
            elif t.kind == "hline":
                h = ax.axhline(float(t.y[0]), color=t.color, ls=ls, lw=t.width)
            elif t.kind == "vline":
                h = ax.axvline(t.y[0], color=t.color, ls=ls, lw=t.width)
            else:
                raise ValueError(f"unknown trace kind {t.kind!r}")
            if t.name and t.name not in handles:
                handles[t.name] = h
        ax.set(title=p.title, xlabel=p.xlabel, ylabel=p.ylabel)
        if p.ylog:
            ax.set_yscale("log")
        elif p.ymin is not None:
            ax.set_ylim(bottom=p.ymin)
        if p.categories:
            ax.tick_params(axis="x", labelrotation=35)
            for lab in ax.get_xticklabels():
                lab.set_ha("right")
        ax.grid(alpha=0.3)
    if any(isinstance(t.x, np.ndarray) and np.issubdtype(t.x.dtype, np.datetime64) for p in c.panels for t in p.traces):
        for ax in fig.axes:
            for lab in ax.get_xticklabels():
                lab.set_rotation(25)
                lab.set_ha("right")
    fig.suptitle(c.title)
    if handles:
        fig.legend(list(handles.values()), list(handles), loc="outside lower center", ncol=min(4, len(handles)),
                   fontsize=9, frameon=False)
    return fig
