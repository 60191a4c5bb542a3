"""Reports for several series (`'wiki:*'`, a folder or a glob of CSVs, `column="*"`): one page per
series in a folder, plus index.html linking them with a line on each. The pages are rendered from the
results handed over one by one (`api.report_data_many`); a series that could not be read or reported
comes as its reason and is listed as skipped, on the index too; the others still get their pages.

>>> slug("wiki:List_of_U.S._cities/2"), slug("données.csv")
('wiki_List_of_U.S._cities_2', 'données.csv')
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Iterable

from ..book.report import ReportData
from ..errors import ViewcastError
from ..io import check_folder, write_atomic
from ..text import i18n
from ..text.fmt import num
from .html import Raw, cell, esc, table
from .page import PARTS, ReportResult, write_report
from .sections import t


@dataclass
class SiteResult:
    folder: Path
    lang: str
    index: Path
    pages: list[ReportResult] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)  # {"series", "reason"}
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return t("index.written", self.lang, n=len(self.pages), file=str(self.index), seconds=f"{self.seconds:.0f}",
                 skipped=len(self.skipped))

    def as_dict(self) -> dict:
        """What `viewcast report --json` prints for several series."""
        return {"folder": str(self.folder), "index": str(self.index), "lang": self.lang,
                "pages": [p.as_dict() for p in self.pages], "skipped": self.skipped, "seconds": self.seconds,
                "notes": self.notes}


def slug(name: str) -> str:
    """A file name for a series name: letters, digits, '.', '-' and '_' kept; anything else '_'."""
    return re.sub(r"[^\w.-]+", "_", name).strip("_") or "series"


def write_site(reports: Iterable[ReportData | dict], folder: str | Path, lang: str | None = None,
               png: str | Path | None = None) -> SiteResult:
    """A page per collected series of `reports` into `folder`, and folder/index.html; the dicts among
    `reports` ({"series", "reason"}) are the series skipped."""
    folder = check_folder(folder, "out")
    png_root = check_folder(png, "png") if png is not None else None
    lang = i18n.resolve(lang)
    t0 = time.perf_counter()
    res = SiteResult(folder, lang, folder / "index.html")
    used: set[str] = set()
    for d in reports:
        if isinstance(d, dict):
            res.skipped.append(d)
            continue
        name = slug(d.series.name)
        while name in used:  # two series whose names differ only in odd characters
            name += "_"
        used.add(name)
        try:
            folder.mkdir(parents=True, exist_ok=True)  # its first page: made now, after the checks
            page = write_report(d, folder / f"{name}.html", lang, png_root / name if png_root else None)
        except ViewcastError as e:
            res.skipped.append({"series": d.series.name, "reason": str(e)})
            continue
        res.pages.append(page)
        res.notes += [n for n in page.notes if n not in res.notes]
    write_atomic(res.index, index_page(res).encode("utf-8"))
    res.seconds = time.perf_counter() - t0
    return res


def index_page(res: SiteResult) -> str:
    lang = res.lang
    rows = []
    for pg in res.pages:
        first = pg.forecast_first
        rows.append([Raw(f'<a href="{esc(pg.path.name)}">{esc(pg.source)}</a>'), cell(pg.days, f"{pg.days:,}"),
                     cell(len(pg.parts), f"{len(pg.parts)}/{len(PARTS)}"),
                     cell(first, num(first)) if first is not None else "—"])
    heads = [t("index.series", lang), t("index.days", lang), t("index.parts", lang), t("index.tomorrow", lang)]
    body = table(heads, rows)
    skipped = "".join(f"<p class=\"left-out\">{esc(t('index.skipped', lang, name=x['series'], why=x['reason']))}</p>"
                      for x in res.skipped)
    css = resources.files("viewcast.report").joinpath("assets", "report.css").read_text(encoding="utf-8")
    title = esc(t("index.title", lang, n=len(res.pages)))
    return (f'<!DOCTYPE html><html lang="{"zh-CN" if lang == "zh" else lang}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>'
            f"<style>{css}</style></head><body><main><h1>{title}</h1><p>{esc(t('index.intro', lang))}</p>"
            f'<div id="index">{body}</div>{skipped}</main>'
            '<script>document.body.dataset.ready = "1";</script></body></html>')
