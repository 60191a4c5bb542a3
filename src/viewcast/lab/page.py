"""`viewcast lab`: chapter 1 as one self-contained interactive page (HTML + JavaScript, data embedded,
no network request). The page evaluates L(b, w) and runs gradient descent itself; everything else it
shows is the numbers it is handed (`book.lab.lab_data`). Its words are the catalogue's (`text/locales`),
embedded for both languages so the page switches in place; its scripts are assets/*.js.

>>> from viewcast.book.lab import lab_data
>>> page = render(lab_data(s, units=2, epochs=30), "zh")
>>> "<script" in page and "http://" not in page
True
"""
from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path

from ..io import check_target, write_atomic
from ..text import i18n

JS = ("plot.js", "lab.js", "panes.js", "builder.js")  # concatenated in this order into the page's one <script>


def _asset(name: str) -> str:
    return resources.files("viewcast.lab").joinpath("assets", name).read_text(encoding="utf-8")


def _safe_json(obj) -> str:
    """JSON that cannot end the <script> it sits in."""
    return json.dumps(obj, ensure_ascii=False, allow_nan=False).replace("</", "<\\/")


def render(data: dict, lang: str | None = None) -> str:
    """The page: the template with its style, script, data and both languages' messages inlined."""
    lang = i18n.resolve(lang)
    parts = {
        "{{LANG}}": lang,
        "{{TITLE}}": i18n.t("lab.title", lang),
        "{{STYLE}}": _asset("lab.css"),
        "{{DATA}}": _safe_json(data),
        "{{MESSAGES}}": _safe_json(i18n.messages(("lab.",))),
        "{{SCRIPT}}": "\n".join(_asset(name) for name in JS),
    }
    # one pass, so a placeholder inside the data (a series named "{{SCRIPT}}") stays text
    return re.sub(r"{{\w+}}", lambda m: parts[m[0]], _asset("lab.html"))


def write_lab(data: dict, path: str | Path, lang: str | None = None) -> Path:
    """Write the lab page of `data` (`book.lab.lab_data`) to `path` atomically; returns the path."""
    path = check_target(path, "out", in_new_folder=True)  # a folder -o named is made now
    return write_atomic(path, render(data, i18n.resolve(lang)).encode("utf-8"))
