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
from contextlib import contextmanager
from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from ..io import write_atomic

# One palette for matplotlib and plotly alike (the book's red prediction, blue truth).
COLORS = {"truth": "#1f77b4", "prediction": "#d62728", "train": "#1f77b4", "val": "#ff7f0e", "test": "#2ca02c",
          "reference": "#7f7f7f", "interval80": "rgba(214,39,40,0.30)", "interval95": "rgba(214,39,40,0.15)"}
# The points marked on an error surface, the same in PNG (matplotlib marker) and HTML (plotly symbol).
MARKS = {"exact": {"mpl": "x", "plotly": "x-thin", "color": "black", "edge": "black", "size": 14},
         "grid_min": {"mpl": "+", "plotly": "cross-thin", "color": "white", "edge": "white", "size": 12},
         "book": {"mpl": "*", "plotly": "star", "color": "gold", "edge": "black", "size": 14}}
CMAP = "rainbow"  # the book's error surfaces: red high, blue/violet low (matplotlib's name; plotly gets RAINBOW)
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


def colorscale(cmap: str = CMAP, n: int = 11) -> list[list]:
    """A matplotlib colour map as a plotly colorscale, so PNG and HTML colour a surface alike
    (plotly's own "Rainbow" runs from purple to red through other colours)."""
    from matplotlib import colormaps

    cm = colormaps[cmap]
    return [[i / (n - 1), "rgb({},{},{})".format(*(int(round(255 * c)) for c in cm(i / (n - 1))[:3]))]
            for i in range(n)]


def log_ticks(lo: float, hi: float) -> tuple[list[float], list[str]]:
    """Ticks at 1, 2, 5 × 10ⁿ between lo and hi (> 0), labelled short: a log axis that reads like the PNG's.

    >>> log_ticks(70, 1600)
    ([100.0, 200.0, 500.0, 1000.0], ['100', '200', '500', '1k'])
    """
    import math

    vals = [m * 10.0 ** e for e in range(math.floor(math.log10(lo)), math.ceil(math.log10(hi)) + 1) for m in (1, 2, 5)]
    vals = [v for v in vals if lo <= v <= hi] or [lo, hi]
    return vals, [short(v) for v in vals]


def short(v: float, sig: int = 3) -> str:
    """12,345 → '12.3k', 4,930,104 → '4.93M', 1,596 → '1.6k': an axis of views² stays readable."""
    for div, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(v) >= div:
            return f"{v / div:.{sig}g}{suffix}"
    return f"{v:.{sig}g}"


# Fonts with Chinese glyphs, by family name or file name, in order of preference.
CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei",
             "Droid Sans Fallback", "AR PL UMing CN", "SimHei", "Microsoft YaHei", "PingFang SC")
CJK_FILES = ("notosanscjk", "sourcehansans", "wqy-microhei", "wqy-zenhei", "droidsansfallback", "uming", "simhei", "msyh")


def cjk_font() -> str | None:
    """The family name of an installed font with Chinese glyphs (registered with matplotlib), or None.
    matplotlib's font cache may predate the font's install, so the system's font files are looked at too."""
    from matplotlib import font_manager as fm

    known = {f.name for f in fm.fontManager.ttflist}
    for name in CJK_FONTS:
        if name in known:
            return name
    for path in fm.findSystemFonts():
        if any(k in Path(path).name.lower().replace("-", "").replace("_", "") for k in (f.replace("-", "") for f in CJK_FILES)):
            try:
                fm.fontManager.addfont(path)
            except (OSError, RuntimeError, ValueError):
                continue
            names = {f.name for f in fm.fontManager.ttflist} - known
            hit = next((n for n in CJK_FONTS if n in names), None) or next(iter(sorted(names)), None)
            if hit:
                return hit
    return None


@contextmanager
def cjk_fonts():
    """Inside: matplotlib text falls back to a CJK font for Chinese glyphs. Yields whether one was found."""
    import matplotlib

    name = cjk_font()
    if name is None:
        yield False
        return
    with matplotlib.rc_context({"font.family": ["DejaVu Sans", name]}):
        yield True
