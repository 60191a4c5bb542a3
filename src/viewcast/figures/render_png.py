"""A Chart drawn by matplotlib through its object API (a Figure with an Agg canvas: no pyplot state, no
backend switch in a notebook), for PNG files: the same traces, colours, line styles and layout as the
plotly figure, one legend below the panels, ticks with thousands grouped.
"""
from __future__ import annotations

import re
from contextlib import nullcontext

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from .chart import PX_PER_INCH, SYMBOL, Chart, Panel, Trace
from .style import cjk_fonts, dash_mpl, tick

TICKS = FuncFormatter(tick)
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def new_figure(size: tuple[float, float], **kw) -> Figure:
    fig = Figure(figsize=size, **kw)
    FigureCanvasAgg(fig)
    return fig


def to_matplotlib(c: Chart) -> Figure:
    chinese = any(CJK.search(w) for w in c.words())
    with cjk_fonts() if chinese else nullcontext():  # a font with the glyphs, where the words need one
        return _draw(c)


def _draw(c: Chart) -> Figure:
    rows = c.rows
    title = c.title_lines()
    # as wide as the page's figures (~1150 px) whatever the columns: the PNG keeps the HTML's proportions
    fig = new_figure((12.5, c.height * rows / PX_PER_INCH + 1.2 + 0.25 * (len(title) - 1)), layout="constrained")
    handles: dict[str, object] = {}
    for i, p in enumerate(c.panels):
        ax = fig.add_subplot(rows, c.cols, i + 1)
        bars = [t for t in p.traces if t.kind == "bar"]
        for t in p.traces:
            h = _trace(ax, t, bars)
            if t.name and t.name not in handles:
                handles[t.name] = h
        _axes(ax, p, c)
    fig.suptitle("\n".join(title))
    if handles:
        fig.legend(list(handles.values()), list(handles), loc="outside lower center", ncol=min(4, len(handles)),
                   fontsize=9, frameon=False)
    return fig


def _trace(ax, t: Trace, bars: list[Trace]):
    ls = dash_mpl(t.dash)
    if t.kind in ("line", "markers", "lines+markers"):
        fmt = {"line": "", "markers": SYMBOL[t.symbol][1], "lines+markers": SYMBOL[t.symbol][1]}[t.kind]
        return ax.errorbar(t.x, t.y, yerr=t.error, fmt=fmt, ls=ls if t.kind != "markers" else "none", color=t.color,
                           lw=t.width, ms=t.size, capsize=3, alpha=t.alpha, mfc="none" if t.symbol == "ring" else t.color)
    if t.kind == "band":
        return ax.fill_between(t.x, t.y, t.upper, color=t.color, alpha=t.alpha, lw=0)
    if t.kind == "bar":  # grouped as plotly's barmode="group"
        j, n = bars.index(t), len(bars)
        xs = np.arange(len(t.x)) + (j - (n - 1) / 2) * 0.8 / n
        h = ax.bar(xs, t.y, width=0.8 / n, color=t.color)
        ax.set_xticks(np.arange(len(t.x)), list(t.x))
        return h
    if t.kind == "hline":
        return ax.axhline(float(t.y[0]), color=t.color, ls=ls, lw=t.width)
    if t.kind == "vline":
        return ax.axvline(t.y[0], color=t.color, ls=ls, lw=t.width)
    raise ValueError(f"unknown trace kind {t.kind!r}")


def _axes(ax, p: Panel, c: Chart) -> None:
    ax.set(title="\n".join(c.panel_title_lines(p)), xlabel=p.xlabel, ylabel=p.ylabel)
    dated = any(isinstance(t.x, np.ndarray) and np.issubdtype(t.x.dtype, np.datetime64) for t in p.traces)
    if p.ylog:
        ax.set_yscale("log")
    else:
        ax.yaxis.set_major_formatter(TICKS)  # 14,000 as the tables print it
        if p.ylim is not None:
            ax.set_ylim(*p.ylim)
        elif p.ymin is not None:
            ax.set_ylim(bottom=p.ymin)
    if not p.categories and not dated and not _named(p):
        ax.xaxis.set_major_formatter(TICKS)
    if p.xnotes is not None:  # the notes under each category's name, never on the plot
        names = next(list(t.x) for t in p.traces if t.kind not in ("hline", "vline"))
        ax.set_xticks(range(len(names)), [f"{n}\n{note}" for n, note in zip(names, p.xnotes)])
    if p.categories:
        ax.tick_params(axis="x", labelrotation=35, labelsize=8 if p.xnotes else None)
        for lab in ax.get_xticklabels():
            lab.set_ha("right")
    if dated:
        for lab in ax.get_xticklabels():
            lab.set_rotation(25)
            lab.set_ha("right")
    ax.grid(alpha=0.3)


def _named(p: Panel) -> bool:
    """Are the x values names (weekdays, models) rather than numbers?"""
    return any(len(t.x) and isinstance(np.asarray(t.x).flat[0], str) for t in p.traces if t.kind not in ("hline", "vline"))
