"""Small HTML builders for the report: escaped text, tables whose number cells carry the exact
value (`data-value`, what the tests compare with the library's), sections with stable ids.

>>> table(["model", "L"], [["linear:1", cell(1574.2, "1,574")]])
'<table><thead><tr><th>model</th><th>L</th></tr></thead><tbody><tr><td>linear:1</td><td class="num" data-value="1574.2">1,574</td></tr></tbody></table>'
"""
from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Cell:
    """A number shown as `text`, with its exact `value` kept in the page."""

    value: float | None
    text: str


def cell(value, text: str) -> Cell:
    return Cell(None if value is None or not math.isfinite(float(value)) else float(value), text)


def esc(x) -> str:
    return html.escape(str(x), quote=True)


class Raw(str):
    """Text that is already HTML (a link): put in as it is."""


def _td(c, tag: str = "td") -> str:
    if isinstance(c, Raw):
        return f"<{tag}>{c}</{tag}>"
    if isinstance(c, Cell):
        data = "" if c.value is None else f' data-value="{c.value!r}"'
        return f'<{tag} class="num"{data}>{esc(c.text)}</{tag}>'
    return f"<{tag}>{esc(c)}</{tag}>"


def table(headers: list[str], rows: list[list], caption: str | None = None, cls: str = "") -> str:
    """Headers and rows of str (escaped), Raw (HTML) or Cell (a right-aligned number with its value)."""
    head = "".join(_td(h, "th") for h in headers)
    body = "".join("<tr>" + "".join(_td(c) for c in r) + "</tr>" for r in rows)
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    klass = f' class="{cls}"' if cls else ""
    return f"<table{klass}>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def p(text: str, cls: str = "") -> str:
    return f'<p class="{cls}">{esc(text)}</p>' if cls else f"<p>{esc(text)}</p>"


def ul(items: list[str], cls: str = "") -> str:
    klass = f' class="{cls}"' if cls else ""
    return f"<ul{klass}>" + "".join(f"<li>{esc(i)}</li>" for i in items) + "</ul>"


def maths(text: str) -> str:
    """A formula in the book's notation, written in Unicode (rendered offline, no MathJax); `_{…}` is a
    subscript (Unicode has no subscript w or b).

    >>> maths("arg min_{w, b} L")
    '<p class="maths">arg min<sub>w, b</sub> L</p>'
    """
    return '<p class="maths">' + re.sub(r"_\{([^}]*)\}", r"<sub>\1</sub>", esc(text)) + "</p>"


def section(key: str, title: str, body: str) -> str:
    return f'<section id="sec-{key}" data-part="{key}"><h2>{esc(title)}</h2>{body}</section>'


def left_out(key: str, title: str, why: str) -> str:
    """A part the series could not have: the section stays (its id, its title) and says why."""
    return (f'<section id="sec-{key}" data-part="{key}" data-left-out="1"><h2>{esc(title)}</h2>'
            f'<p class="left-out">{esc(why)}</p></section>')
