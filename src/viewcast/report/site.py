"""Reports for several series (`'wiki:*'`, a folder or a glob of CSVs, `column="*"`): one page per
series in a folder, plus index.html linking them with a line on each. A series that cannot be read or
reported is skipped with its reason, on the index too; the others still get their pages.

>>> slug("wiki:List_of_U.S._cities/2"), slug("données.csv")
('wiki_List_of_U.S._cities_2', 'données.csv')
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Callable

from ..data.many import is_many, load_many  # noqa: F401  (is_many: for the CLI, with load_many)
from ..data.series import DailySeries
from ..errors import ViewcastError
from ..features import Split
from ..io import check_folder, write_atomic
from ..text import i18n
from .charts import t
from .collect import ReportConfig
from ..text.fmt import num
from .html import Raw, cell, esc, table
from .page import PARTS, ReportResult, write_report


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


def write_site(source, folder: str | Path, lang: str | None = None, png: str | Path | None = None,
               config: ReportConfig = ReportConfig(), on_model: Callable | None = None,
               progress: Callable | None = None, load: dict | None = None,
               split_of: Callable[[DailySeries], Split] | None = None) -> SiteResult:
    """A report page per series of `source` into `folder`, and folder/index.html."""
    folder = check_folder(folder, "out")
    png_root = check_folder(png, "png") if png is not None else None
    lang = i18n.resolve(lang)
    t0 = time.perf_counter()
    got = load_many(source, **(load or {}))
    res = SiteResult(folder, lang, folder / "index.html", skipped=list(got.skipped))
    used: set[str] = set()
    for i, s in enumerate(got.series):
        name = slug(s.name)
        while name in used:  # two series whose names differ only in odd characters
            name += "_"
        used.add(name)
        if on_model:
            on_model(s.name, i, len(got.series))
        try:
            page = write_report(s, folder / f"{name}.html", lang, png_root / name if png_root else None,
                                split_of(s) if split_of else None, config, progress=progress)
        except ViewcastError as e:
            res.skipped.append({"series": s.name, "reason": str(e)})
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
