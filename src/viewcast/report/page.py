"""`viewcast report`: chapters 1–2 on one series as ONE self-contained HTML file — plotly.js inlined
once, every figure a plotly div, the maths in Unicode, no network request — in English or Chinese;
optionally every figure as a PNG too (matplotlib, same traces, colours and layout).

The library computes what it shows once (`book.report.collect`, `api.report_data`); the sections
(`sections.py`, `sections_ch2.py`) and the figures (`viewcast.figures`) only render those results.

>>> d = collect(s, config=ReportConfig(epochs=5, days=2, grid=10, forecast_models=("linear:7",)))
>>> page = render(d, "zh")
>>> page.count("<section id=\\"sec-"), "<script src" in page, page.count("Plotly.newPlot") == len(figures(d, "zh"))
(8, False, True)
"""
from __future__ import annotations

import re
import time
from contextlib import nullcontext
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from ..book.report import ReportConfig, ReportData, collect  # noqa: F401  (the doctest)
from ..figures.style import cjk_fonts
from ..figures.write import png_bytes
from ..io import check_folder, check_target, write_atomic
from ..text import i18n
from ..version import __version__
from .html import esc
from .pictures import figures
from .sections import (PARTS, left_out_box, ladder_section, missing, predictions_section, series_section, steps_section,
                       surface_section, t, title)
from .sections_ch2 import curves_section, diagnosis_section, footer, forecast_section

SECTIONS = {"series": series_section, "steps": steps_section, "ladder": ladder_section,
            "predictions": predictions_section, "surface": surface_section, "curves": curves_section,
            "diagnosis": diagnosis_section, "forecast": forecast_section}
PLOTLY_CONFIG = {"displaylogo": False, "responsive": True}


@dataclass
class ReportResult:
    path: Path
    lang: str
    source: str
    bytes: int
    parts: list[str]  # the sections with their content (the others say why they were left out)
    left_out: list[dict]
    pngs: list[Path] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    days: int = 0  # the series' length
    forecast_first: float | None = None  # the forecast's first day (views), when the forecast is in the page
    draft: bool = False  # trained with fewer updates than the default recipe's (ReportConfig.draft)

    def summary(self) -> str:
        """One line for the terminal: what was written, in the page's language (a draft says so first)."""
        return (t("draft.summary", self.lang) if self.draft else "") + t("written", self.lang, file=str(self.path), mb=f"{self.bytes / 1e6:.1f}", parts=len(self.parts),
                 total=len(PARTS), seconds=f"{self.seconds.get('total', 0):.0f}", png=len(self.pngs))

    def as_dict(self) -> dict:
        """What `viewcast report --json` prints."""
        return {"file": str(self.path), "lang": self.lang, "source": self.source, "bytes": self.bytes,
                "parts": self.parts, "left_out": self.left_out, "png": [str(p) for p in self.pngs],
                "seconds": self.seconds, "notes": self.notes, "days": self.days, "forecast_first": self.forecast_first,
                "draft": self.draft}


def _asset(name: str) -> str:
    return resources.files("viewcast.report").joinpath("assets", name).read_text(encoding="utf-8")


def render(d: ReportData, lang: str | None = None) -> str:
    """The whole page as one string: plotly.js once in the head, then the sections with their figures."""
    import plotly.offline

    lang = i18n.resolve(lang)
    figs = figures(d, lang)

    def fig(key: str) -> str:
        if key not in figs:
            return ""
        div = figs[key].plotly().to_html(full_html=False, include_plotlyjs=False, div_id=f"plot-{key}",
                                         config=PLOTLY_CONFIG, default_width="100%")
        return f'<figure class="chart" id="fig-{key}">{div}</figure>'

    present = [k for k in PARTS if missing(d, k, lang) is None]
    toc = "".join(f'<li><a href="#sec-{k}">{esc(title(k, lang))}</a></li>' for k in PARTS)
    body = (f"<h1>{esc(t('title', lang, name=d.series.name))}</h1>"
            f'<p class="subtitle">{esc(t("subtitle", lang, parts=len(present), total=len(PARTS)))}</p>'
            + draft_box(d, lang) + f'<nav class="toc"><ol>{toc}</ol></nav>' + left_out_box(d, lang)
            + "".join(SECTIONS[k](d, lang, fig) for k in PARTS)
            + footer(d, lang, sum(d.seconds.values()), __version__))
    parts = {"{{LANG}}": "zh-CN" if lang == "zh" else lang, "{{TITLE}}": esc(t("title", lang, name=d.series.name)),
             "{{STYLE}}": _asset("report.css"), "{{PLOTLYJS}}": plotly.offline.get_plotlyjs().replace("</", "<\\/"),
             "{{BODY}}": body}
    # one pass: text inside the series' name or the data ("{{BODY}}") stays text
    return re.sub(r"{{\w+}}", lambda m: parts[m[0]], _asset("report.html"))


def draft_box(d: ReportData, lang: str | None) -> str:
    """The banner of a draft: fewer training updates than the default recipe's."""
    if not d.config.draft:
        return ""
    text = t("draft", lang, epochs=f"{d.config.epochs:,}", default=f"{d.config.default_epochs:,}")
    return f'<aside id="draft" class="left-out-box draft-box"><p><strong>{esc(text)}</strong></p></aside>'


def present_parts(html_text: str) -> list[str]:
    """The parts a rendered page shows (not left out)."""
    return re.findall(r'<section id="sec-(\w+)" data-part="\w+">', html_text)


def write_pngs(d: ReportData, folder: Path, lang: str | None) -> tuple[list[Path], list[str]]:
    """Every figure as folder/KEY.png, drawn by matplotlib like its HTML twin; notes on what could not be."""
    notes = []
    fonts = cjk_fonts() if i18n.resolve(lang) == "zh" else nullcontext(True)
    paths = []
    with fonts as found:
        if not found:
            notes.append(t("png.no_cjk_font", lang))
        for key, obj in figures(d, lang).items():
            paths.append(write_atomic(Path(folder) / f"{key}.png", png_bytes(obj.matplotlib())))
    return paths, notes


def write_report(d: ReportData, path: str | Path, lang: str | None = None,
                 png: str | Path | None = None) -> ReportResult:
    """Render the collected results `d` (`api.report_data`) and write the page (and the PNGs)."""
    path = check_target(path, "out", in_new_folder=True)  # a folder -o named is made now
    folder = check_folder(png, "png") if png is not None else None
    lang = i18n.resolve(lang)
    t0 = time.perf_counter()
    series = d.series
    text = render(d, lang)
    write_atomic(path, text.encode("utf-8"))
    pngs, notes = write_pngs(d, folder, lang) if folder is not None else ([], [])
    seconds = {**d.seconds, "total": sum(d.seconds.values()) + time.perf_counter() - t0}
    left = [{"part": lo.part, "reason": lo.reason, "models": list(lo.models), "have": lo.have, "need": lo.need,
             "detail": lo.detail} for lo in d.left_out]
    first = float(d.forecast.forecast[0]) if d.forecast is not None else None
    return ReportResult(path, lang, series.name, path.stat().st_size, present_parts(text), left, pngs, seconds, notes,
                        len(series), first, d.config.draft)
