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
from ..io import check_folder, check_target, write_atomic
from ..version import __version__
from . import charts
from ..text import i18n
from .chart import Chart, to_matplotlib, to_plotly
from .charts import t
from .figures import cjk_fonts, save_png
from .html import esc
from .sections import (PARTS, left_out_box, ladder_section, missing, predictions_section, series_section, steps_section,
                       surface_section, title)
from .sections_ch2 import curves_section, diagnosis_section, footer, forecast_section
from .surface_fig import surface_html, surface_png

SECTIONS = {"series": series_section, "steps": steps_section, "ladder": ladder_section,
            "predictions": predictions_section, "surface": surface_section, "curves": curves_section,
            "diagnosis": diagnosis_section, "forecast": forecast_section}
# figure key → (what it needs collected, how it is drawn); the surface has its own two renderers
FIGURES = {"series": (None, charts.series_chart), "weekday": (None, charts.weekday_chart),
           "ladder": ("ladder", charts.ladder_chart), "predictions": ("ladder", charts.predictions_chart),
           "surface": ("surface", None), "learning": ("diagnosis", charts.learning_chart),
           "validation": ("diagnosis", charts.validation_chart), "worst": ("diagnosis", charts.worst_chart),
           "forecast": ("forecast", charts.forecast_chart)}
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

    def summary(self) -> str:
        """One line for the terminal: what was written, in the page's language."""
        return t("written", self.lang, file=str(self.path), mb=f"{self.bytes / 1e6:.1f}", parts=len(self.parts),
                 total=len(PARTS), seconds=f"{self.seconds.get('total', 0):.0f}", png=len(self.pngs))

    def as_dict(self) -> dict:
        """What `viewcast report --json` prints."""
        return {"file": str(self.path), "lang": self.lang, "source": self.source, "bytes": self.bytes,
                "parts": self.parts, "left_out": self.left_out, "png": [str(p) for p in self.pngs],
                "seconds": self.seconds, "notes": self.notes, "days": self.days, "forecast_first": self.forecast_first}


def figures(d: ReportData, lang: str | None) -> dict[str, object]:
    """Every figure the collected results allow: key → a Chart, or the surfaces (list[Surface])."""
    out = {}
    for key, (need, build) in FIGURES.items():
        got = getattr(d, need) if need else True
        if got is None:
            continue
        if key == "surface":
            out[key] = d.surface.surfaces
        else:
            chart = build(d, lang)
            if chart.panels:
                out[key] = chart
    return out


def _plotly(obj, lang: str | None):
    return to_plotly(obj) if isinstance(obj, Chart) else surface_html(obj, lang)


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
        div = _plotly(figs[key], lang).to_html(full_html=False, include_plotlyjs=False, div_id=f"plot-{key}",
                                               config=PLOTLY_CONFIG, default_width="100%")
        return f'<figure class="chart" id="fig-{key}">{div}</figure>'

    present = [k for k in PARTS if missing(d, k, lang) is None]
    toc = "".join(f'<li><a href="#sec-{k}">{esc(title(k, lang))}</a></li>' for k in PARTS)
    body = (f"<h1>{esc(t('title', lang, name=d.series.name))}</h1>"
            f'<p class="subtitle">{esc(t("subtitle", lang, parts=len(present), total=len(PARTS)))}</p>'
            f'<nav class="toc"><ol>{toc}</ol></nav>' + left_out_box(d, lang)
            + "".join(SECTIONS[k](d, lang, fig) for k in PARTS)
            + footer(d, lang, sum(d.seconds.values()), __version__))
    parts = {"{{LANG}}": "zh-CN" if lang == "zh" else lang, "{{TITLE}}": esc(t("title", lang, name=d.series.name)),
             "{{STYLE}}": _asset("report.css"), "{{PLOTLYJS}}": plotly.offline.get_plotlyjs().replace("</", "<\\/"),
             "{{BODY}}": body}
    # one pass: text inside the series' name or the data ("{{BODY}}") stays text
    return re.sub(r"{{\w+}}", lambda m: parts[m[0]], _asset("report.html"))


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
            fig = to_matplotlib(obj) if isinstance(obj, Chart) else surface_png(obj, lang)
            paths.append(save_png(fig, Path(folder) / f"{key}.png"))
    return paths, notes


def write_report(d: ReportData, path: str | Path, lang: str | None = None,
                 png: str | Path | None = None) -> ReportResult:
    """Render the collected results `d` (`api.report_data`) and write the page (and the PNGs)."""
    path = check_target(path, "out")
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
                        len(series), first)
