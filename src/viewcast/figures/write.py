"""Pictures to files, through the one atomic writer: PNG (matplotlib, 120 dpi) and self-contained HTML
(plotly, with plotly.js inlined: it opens offline). A picture is any description of this package (a
Chart, a SurfaceFigure, …): each has `.matplotlib()` and `.plotly()`.

>>> from viewcast.figures.chart import Chart, Panel, Trace
>>> c = Chart("demo", "a line", [Panel("p", traces=[Trace("line", [0, 1], [1, 0], "L")])])
>>> [p.name for p in write(c, tmp / "demo")]
['demo.png', 'demo.html']
>>> png_bytes(c.matplotlib())[:4]
b'\\x89PNG'
"""
from __future__ import annotations

import io
from pathlib import Path

from ..errors import ViewcastError
from ..io import check_target, write_atomic

SUFFIXES = (".png", ".html", ".htm")


def png_bytes(fig, dpi: int = 120) -> bytes:
    """A matplotlib figure as PNG bytes (tight: no wasted margin)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight")
    return buf.getvalue()


def html_bytes(fig, full_html: bool = True) -> bytes:
    """A plotly figure as a self-contained page (plotly.js inlined)."""
    return fig.to_html(include_plotlyjs=True, full_html=full_html, config={"displaylogo": False}).encode()


def check_output(path: str | Path, param: str = "output", in_new_folder: bool = False) -> Path:
    """A .png or .html file that can be written — checked before any work (`io.check_target`)."""
    path = Path(path)
    if path.suffix.lower() not in SUFFIXES:
        raise ViewcastError("use a .png (picture) or .html (interactive) file name", param=param, value=str(path))
    return check_target(path, param, in_new_folder)


def write_file(picture, path: str | Path, dpi: int = 120) -> Path:
    """`picture` to one file, its suffix choosing PNG or HTML; returns the path."""
    path = check_output(path, in_new_folder=True)  # checked before the work; its folder made now
    if path.suffix.lower() == ".png":
        return write_atomic(path, png_bytes(picture.matplotlib(), dpi))
    return write_atomic(path, html_bytes(picture.plotly()))


def write(picture, stem: str | Path, dpi: int = 120) -> list[Path]:
    """`picture` as stem.png and stem.html; returns both paths."""
    stem = Path(stem)
    return [write_file(picture, stem.with_name(stem.name + ".png"), dpi),
            write_file(picture, stem.with_name(stem.name + ".html"), dpi)]
