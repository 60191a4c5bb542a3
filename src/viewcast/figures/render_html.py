"""A Chart drawn by plotly: the interactive figure of the HTML page, the CLI's .html files and the
notebooks. One legend entry per name (as the PNG's one figure legend), ticks with thousands grouped,
titles wrapped to the figure's width.
"""
from __future__ import annotations

import numpy as np

from .chart import SYMBOL, Chart, Panel, Trace
from .style import dash_plotly, log_ticks, rgba


def to_plotly(c: Chart):
    import plotly.graph_objects as go  # noqa: F401  (loaded with make_subplots)
    from plotly.subplots import make_subplots

    rows = c.rows
    fig = make_subplots(rows=rows, cols=c.cols, subplot_titles=["<br>".join(c.panel_title_lines(p)) for p in c.panels],
                        horizontal_spacing=0.08, vertical_spacing=min(0.25, 0.5 / rows))
    shown: set[str] = set()  # one legend entry per name
    for i, p in enumerate(c.panels):
        r, col = i // c.cols + 1, i % c.cols + 1
        for t in p.traces:
            show = t.name is not None and t.name not in shown
            if t.name:
                shown.add(t.name)
            _trace(fig, t, show, r, col)
        _axes(fig, p, r, col)
    title = c.title_lines()
    fig.update_layout(title=dict(text="<br>".join(title)), template="plotly_white", autosize=True,
                      height=c.height * rows + 120 + 20 * (len(title) - 1),
                      barmode="group", margin=dict(l=60, r=20, t=70 + 20 * (len(title) - 1), b=40),
                      legend=dict(orientation="h", yanchor="top", y=-0.12 / rows, xanchor="left", x=0))
    return fig


def _trace(fig, t: Trace, show: bool, r: int, col: int) -> None:
    import plotly.graph_objects as go

    common = dict(name=t.name or "", legendgroup=t.name, showlegend=show)
    if t.hover:
        common["hovertemplate"] = t.hover
    line = dict(color=t.color, dash=dash_plotly(t.dash), width=t.width)
    if t.kind in ("line", "markers", "lines+markers"):
        mode = {"line": "lines"}.get(t.kind, t.kind)
        marker = dict(color=t.color, size=t.size, symbol=SYMBOL[t.symbol][0],
                      line=dict(color=t.color, width=2) if t.symbol in ("x", "ring") else None)
        err = dict(type="data", array=np.asarray(t.error), color=t.color) if t.error is not None else None
        fig.add_trace(go.Scatter(x=t.x, y=t.y, mode=mode, line=line, marker=marker, error_y=err, opacity=t.alpha,
                                 **common), row=r, col=col)
    elif t.kind == "band":
        xs = list(t.x)
        fig.add_trace(go.Scatter(x=xs + xs[::-1], y=list(t.upper) + list(t.y)[::-1], fill="toself", mode="lines",
                                 fillcolor=rgba(t.color, t.alpha), line=dict(width=0), hoverinfo="skip", **common),
                      row=r, col=col)
    elif t.kind == "bar":
        fig.add_trace(go.Bar(x=t.x, y=t.y, marker_color=t.color, **common), row=r, col=col)
    elif t.kind == "hline":
        fig.add_hline(y=float(t.y[0]), line=line, row=r, col=col)
        if show:  # add_hline has no legend entry: a trace without points gives it one
            fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", line=line, **common), row=r, col=col)
    elif t.kind == "vline":
        fig.add_vline(x=t.y[0], line=line, row=r, col=col)
        if show:
            fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", line=line, **common), row=r, col=col)
    else:
        raise ValueError(f"unknown trace kind {t.kind!r}")


def _axes(fig, p: Panel, r: int, col: int) -> None:
    xs = [t.x for t in p.traces if t.kind not in ("hline", "vline") and len(t.x)]
    numeric_x = not p.categories and not any(_is_dates(x) or isinstance(np.asarray(x).flat[0], str) for x in xs)
    fig.update_xaxes(title_text=p.xlabel, tickformat="," if numeric_x else None, row=r, col=col)
    if p.xnotes is not None:  # the notes under each category's name, never on the plot
        names = next(list(t.x) for t in p.traces if t.kind not in ("hline", "vline"))
        fig.update_xaxes(tickvals=names, ticktext=[f"{n}<br><i>{note}</i>" for n, note in zip(names, p.xnotes)],
                         row=r, col=col)
    fig.update_yaxes(title_text=p.ylabel, type="log" if p.ylog else None, row=r, col=col)
    if p.ylog:  # ticks at 1, 2, 5 × 10ⁿ, labelled in full (plotly labels every digit of a decade otherwise)
        ys = np.concatenate([np.asarray(t.y, float) for t in p.traces if t.kind != "vline"])
        ys = ys[np.isfinite(ys) & (ys > 0)]
        if len(ys):
            vals, text = log_ticks(float(ys.min()), float(ys.max()))
            fig.update_yaxes(tickvals=vals, ticktext=text, row=r, col=col)
        return
    fig.update_yaxes(tickformat=",", row=r, col=col)  # 14,000 as the tables print it, not 14k
    if p.ylim is not None:
        fig.update_yaxes(range=list(p.ylim), row=r, col=col)
    elif p.ymin == 0:
        fig.update_yaxes(rangemode="tozero", row=r, col=col)


def _is_dates(x) -> bool:
    return isinstance(x, np.ndarray) and np.issubdtype(x.dtype, np.datetime64)
