"""How every picture looks, PNG and HTML alike: one palette (the book's red prediction and blue truth),
a colour and a line style of its own for each of up to 13 models in one chart, the marks on an error
surface, ticks with thousands grouped (14,000, as the tables print it), titles wrapped to the page, and
a font with Chinese glyphs for PNGs in Chinese.

>>> len({model_style(i) for i in range(13)}), len({model_style(i)[0] for i in range(13)})
(13, 13)
>>> tick(14000.0), tick(0.25), tick(-1500000.0)
('14,000', '0.25', '-1,500,000')
>>> wrap("mean of relu:56x100 +log | relu:56x100 | linear:56 +log", 30, sep=" | ")
['mean of relu:56x100 +log |', 'relu:56x100 | linear:56 +log']
"""
from __future__ import annotations

import math
from contextlib import contextmanager
from pathlib import Path

# One palette for matplotlib and plotly alike (the book's red prediction, blue truth).
COLORS = {"truth": "#1f77b4", "prediction": "#d62728", "train": "#1f77b4", "val": "#ff7f0e", "test": "#2ca02c",
          "reference": "#7f7f7f", "interval80": "rgba(214,39,40,0.30)", "interval95": "rgba(214,39,40,0.15)",
          "actual": "#000000", "worst": "#9467bd"}
# The points marked on an error surface, the same in PNG (matplotlib marker) and HTML (plotly symbol).
MARKS = {"exact": {"mpl": "x", "plotly": "x-thin", "color": "black", "edge": "black", "size": 14},
         "grid_min": {"mpl": "+", "plotly": "cross-thin", "color": "white", "edge": "white", "size": 12},
         "book": {"mpl": "*", "plotly": "star", "color": "gold", "edge": "black", "size": 14}}
CMAP = "rainbow"  # the book's error surfaces: red high, blue/violet low (matplotlib's name; plotly gets RAINBOW)
CYCLE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]
# Line styles as (on, off, …) lengths in points (matplotlib) and pixels (plotly): the same pattern in both.
DASHES: dict[str, tuple[float, ...]] = {
    "solid": (), "dash": (6, 3), "dot": (1.5, 2.5), "dashdot": (6, 2.5, 1.5, 2.5), "longdash": (12, 4),
    "longdashdot": (12, 3, 2, 3), "dashdotdot": (6, 2.5, 1.5, 2.5, 1.5, 2.5), "sparsedot": (1.5, 5),
    "densedash": (3, 1.5), "longdashdotdot": (12, 3, 2, 3, 2, 3), "dashdash": (8, 2, 3, 2), "sparsedash": (4, 6),
    "longshort": (10, 2, 5, 2)}
# Up to 13 models in one chart (the ladder): each a colour AND a line style of its own, so two lines differ
# twice over — in print, for a reader who cannot tell some colours apart, and where lines cross.
MODEL_COLORS = CYCLE + ["#393b79", "#637939", "#e7ba52"]
MODEL_DASHES = list(DASHES)


def model_style(i: int) -> tuple[str, str]:
    """(colour, dash name) of the i-th model of a chart; after 13 the pairs repeat."""
    return MODEL_COLORS[i % len(MODEL_COLORS)], MODEL_DASHES[i % len(MODEL_DASHES)]


def dash_plotly(name: str) -> str:
    """'dash' → '6px,3px' (plotly's dash as lengths), 'solid' → 'solid'."""
    pattern = DASHES[name]
    return ",".join(f"{v:g}px" for v in pattern) if pattern else "solid"


def dash_mpl(name: str):
    """'dash' → (0, (6, 3)) (matplotlib's on/off in points), 'solid' → '-'."""
    pattern = DASHES[name]
    return (0, pattern) if pattern else "-"


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


def tick(v: float, _pos=None) -> str:
    """An axis tick as the tables print numbers: thousands grouped, no trailing zeros (matplotlib's
    FuncFormatter signature; plotly gets tickformat ',')."""
    if v == 0:
        return "0"
    if float(v).is_integer():
        return f"{v:,.0f}"
    return f"{v:,.6g}" if abs(v) < 1e6 else f"{v:,.0f}"


def log_ticks(lo: float, hi: float) -> tuple[list[float], list[str]]:
    """Ticks at 1, 2, 5 × 10ⁿ between lo and hi (> 0), labelled short: a log axis that reads like the PNG's.

    >>> log_ticks(70, 1600)
    ([100.0, 200.0, 500.0, 1000.0], ['100', '200', '500', '1k'])
    """
    vals = [m * 10.0 ** e for e in range(math.floor(math.log10(lo)), math.ceil(math.log10(hi)) + 1) for m in (1, 2, 5)]
    vals = [v for v in vals if lo <= v <= hi] or [lo, hi]
    return vals, [short(v) for v in vals]


def short(v: float, sig: int = 3) -> str:
    """12,345 → '12.3k', 4,930,104 → '4.93M', 1,596 → '1.6k': an axis of views² stays readable."""
    for div, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(v) >= div:
            return f"{v / div:.{sig}g}{suffix}"
    return f"{v:.{sig}g}"


def wrap(text: str, width: int, sep: str = " ") -> list[str]:
    """`text` in lines of at most `width` characters, broken after `sep` (never inside a word or a name;
    a part longer than `width` gets a line of its own)."""
    parts = text.split(sep)
    lines: list[str] = []
    for i, part in enumerate(parts):
        piece = part + (sep.rstrip() if i < len(parts) - 1 else "")
        if lines and len(lines[-1]) + 1 + len(piece) <= width:
            lines[-1] += " " + piece
        else:
            lines.append(piece)
    return [ln.strip() for ln in lines]


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
