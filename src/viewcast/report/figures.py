"""Writing figures: matplotlib through its object API (a Figure with an Agg canvas: no pyplot state,
no backend switch in a notebook) as PNG, and plotly as a self-contained HTML page (plotly.js
inlined: it opens offline). Both through the one atomic writer. PNG and HTML of one figure share
the colours below.

>>> fig = new_figure((4, 3)); ax = fig.add_subplot(); _ = ax.plot([0, 1], [1, 0], color=COLORS["train"])
>>> png_bytes(fig)[:4]
b'\\x89PNG'
"""
from __future__ import annotations

import io
from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from ..store import write_atomic

# One palette for matplotlib and plotly alike (the book's red prediction, blue truth).
COLORS = {"truth": "#1f77b4", "prediction": "#d62728", "train": "#1f77b4", "val": "#ff7f0e", "test": "#2ca02c",
          "reference": "#7f7f7f", "interval80": "rgba(214,39,40,0.30)", "interval95": "rgba(214,39,40,0.15)"}
CYCLE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]


def new_figure(size: tuple[float, float], **kw) -> Figure:
    fig = Figure(figsize=size, **kw)
    FigureCanvasAgg(fig)
    return fig


def png_bytes(fig: Figure, dpi: int = 120) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight")
    return buf.getvalue()


def save_png(fig: Figure, path: Path, dpi: int = 120) -> Path:
    write_atomic(Path(path), png_bytes(fig, dpi))
    return Path(path)


def html_bytes(fig, full_html: bool = True) -> bytes:
    return fig.to_html(include_plotlyjs=True, full_html=full_html, config={"displaylogo": False}).encode()


def save_html(fig, path: Path) -> Path:
    write_atomic(Path(path), html_bytes(fig))
    return Path(path)


def rgba(hex_color: str, alpha: float) -> str:
    """'#1f77b4', 0.3 → 'rgba(31,119,180,0.3)' (plotly) — matplotlib takes the hex with alpha=."""
    h = hex_color.lstrip("#")
    return f"rgba({int(h[0:2], 16)},{int(h[2:4], 16)},{int(h[4:6], 16)},{alpha})"
