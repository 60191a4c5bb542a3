"""One picture, described once: panels of lines, markers, bands and bars, with their colours, line
styles and labels. The description is drawn by plotly for HTML (`render_html.py`) and by matplotlib for
PNG (`render_png.py`), so both show the same traces in the same colours and the same layout (panels in a
grid, titles above, one legend below). Every picture of viewcast but the error surface (which has its own
3-D description, `surface.py`) is a Chart made by one function of this package.

>>> c = Chart("demo", "a line", [Panel("p", "x", "y", [Trace("line", [0, 1, 2], [1, 0, 1], "L")])])
>>> len(c.plotly().data), len(c.matplotlib().axes)
(1, 1)
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .style import wrap

KINDS = ("line", "markers", "lines+markers", "band", "bar", "hline", "vline")
SYMBOL = {"circle": ("circle", "o"), "x": ("x-thin", "x"), "diamond": ("diamond", "D"), "ring": ("circle-open", "o")}
PX_PER_INCH = 100  # a panel of `height` px in the page is height/100 inches in the PNG (at 120 dpi)
TITLE_WIDTH = 100  # characters per line of a title across the whole figure (~1150 px, 12.5 in)


@dataclass
class Trace:
    kind: str  # one of KINDS
    x: list | np.ndarray  # numbers, dates (datetime64) or category names; hline: unused
    y: list | np.ndarray  # band: its lower edge; hline: [y]; vline: [x]
    name: str | None = None  # in the legend (None: not in it)
    color: str = "#1f77b4"  # a hex colour: the same string reaches plotly and matplotlib
    dash: str = "solid"  # a name of style.DASHES
    width: float = 1.5
    upper: list | np.ndarray | None = None  # band: its upper edge
    alpha: float = 1.0  # band: fill opacity; lines: their opacity
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
    ylim: tuple[float, float] | None = None  # the y range, when it should not start at 0 (weekday means)
    categories: bool = False  # x are names (bars, models): ticks rotated in the PNG
    xnotes: list[str] | None = None  # a second line under each category's name (its verdicts), off the curves


@dataclass
class Chart:
    key: str  # the figure's id in the page (fig-KEY) and its files' name (KEY.png, KEY.html)
    title: str
    panels: list[Panel]
    cols: int = 1
    height: int = 380  # px per row of panels

    @property
    def rows(self) -> int:
        return -(-len(self.panels) // self.cols)

    def title_lines(self) -> list[str]:
        """The title in lines that fit the figure's width (never cut at its right edge)."""
        return wrap(self.title, TITLE_WIDTH)

    def panel_title_lines(self, p: Panel) -> list[str]:
        """A panel's title in lines that fit its column; a list (' | ') breaks between its items."""
        return wrap(p.title, max(30, TITLE_WIDTH // self.cols - 8), sep=" | " if " | " in p.title else " ")

    def words(self) -> list[str]:
        """Every text the chart shows (titles, labels, names, category names, notes)."""
        out = [self.title]
        for p in self.panels:
            out += [p.title, p.xlabel, p.ylabel, *(p.xnotes or [])]
            for t in p.traces:
                out += [t.name or ""] + ([str(v) for v in t.x] if p.categories or t.kind == "bar" else [])
        return out

    def plotly(self):
        """The interactive figure (plotly), for the HTML page and notebooks."""
        from .render_html import to_plotly

        return to_plotly(self)

    def matplotlib(self):
        """The static figure (matplotlib, an Agg canvas: no pyplot state), for PNG files."""
        from .render_png import to_matplotlib

        return to_matplotlib(self)


def dates(index) -> np.ndarray:
    """Days as datetime64[D]: what a date axis takes in both renderers."""
    return np.asarray(index, dtype="datetime64[D]")
