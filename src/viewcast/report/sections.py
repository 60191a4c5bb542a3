"""The report's chapter-1 sections as HTML, in the page's language: what was left out, the series,
the three steps, the ladder beside the book's numbers, the predictions on the test days and the error
surface. Every number is the collected results' (`report/collect.py`); every sentence is a message of
the catalogue and follows from the numbers beside it. `fig(key)` gives a figure's HTML.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from ..book.report import LeftOut, ReportData
from ..surface.surface import BOOK_B, BOOK_W
from ..text import i18n
from ..text.fmt import num
from .html import cell, esc, left_out, maths, p, section, table, ul

Fig = Callable[[str], str]


def t(key: str, lang: str | None, **kw) -> str:
    """The report's message `report.KEY`."""
    return i18n.t(f"report.{key}", lang, **kw)


def weekdays(lang: str | None) -> list[str]:
    return t("weekdays", lang).split(",")
STEPS = ("y = b + w·x₁",  # the book's notation, in Unicode: the page renders it offline
         "L(b, w) = (1/N) Σₙ eₙ,   eₙ = |yₙ − ŷₙ|  (MAE)   or   eₙ = (yₙ − ŷₙ)²  (MSE)",
         "w*, b* = arg min_{w, b} L,    w ← w − η ∂L/∂w,   b ← b − η ∂L/∂b")
PARTS = ("series", "steps", "ladder", "predictions", "surface", "curves", "diagnosis", "forecast")
# which collected result each part needs (None: always there) and which LeftOut parts explain its absence
NEEDS = {"ladder": ("ladder", ("rungs", "ladder")), "predictions": ("ladder", ("rungs", "ladder")),
         "surface": ("surface", ("rungs", "surface")), "curves": ("diagnosis", ("rungs", "diagnosis")),
         "diagnosis": ("diagnosis", ("rungs", "diagnosis")), "forecast": ("forecast", ("forecast",))}


def level(d: ReportData) -> float:
    """The series' mean views a day: the scale numbers in views are formatted for (`fmt.num`)."""
    return float(np.nanmean(d.series.values))


def title(part: str, lang: str | None) -> str:
    return t(f"part.{part}", lang)


def reason(lo: LeftOut, lang: str | None) -> str:
    if lo.reason == "window":
        return t("left.window", lang, models=", ".join(lo.models), have=f"{lo.have:,}", need=f"{lo.need:,}")
    return t("left.error", lang, detail=lo.detail)


def missing(d: ReportData, part: str, lang: str | None) -> str | None:
    """Why `part` is not in the page, or None when it is."""
    if part not in NEEDS or getattr(d, NEEDS[part][0]) is not None:
        return None
    why = [reason(lo, lang) for lo in d.left_out if lo.part in NEEDS[part][1]]
    return " ".join(why) or t("left.needs", lang, part=title(NEEDS[part][0], lang))


def left_out_box(d: ReportData, lang: str | None) -> str:
    if not d.left_out:
        return ""
    items = [t("left.item", lang, part=title(lo.part, lang), why=reason(lo, lang)) for lo in d.left_out]
    return (f'<aside id="sec-left-out" class="left-out-box"><h2>{esc(t("left.title", lang))}</h2>'
            + ul(items) + "</aside>")


# ------------------------------------------------------------------ the series
def series_section(d: ReportData, lang: str | None, fig: Fig) -> str:
    s, sp = d.series, d.split
    v = s.values
    sc = level(d)
    means = d.weekday_means()
    names = weekdays(lang)
    lo, hi = int(np.nanargmin(means)), int(np.nanargmax(means))
    body = p(t("series.summary", lang, name=s.name, n=f"{len(s):,}", start=f"{s.start:%Y-%m-%d}", end=f"{s.end:%Y-%m-%d}",
               mean=num(sc, sc), min=num(float(np.nanmin(v)), sc), max=num(float(np.nanmax(v)), sc)))
    body += p(t("series.split", lang, train=f"{sp.train_start:%Y-%m-%d}…{sp.train_end:%Y-%m-%d}",
                test=f"{sp.test_start:%Y-%m-%d}…{sp.test_end:%Y-%m-%d}"))
    body += fig("series")
    body += p(t("series.weekday", lang, low=names[lo], lowv=num(means[lo], sc), high=names[hi], highv=num(means[hi], sc),
                pct=num(100 * (1 - means[lo] / means[hi]))))
    body += table(names, [[cell(m, num(m, sc)) for m in means]], cls="weekday")
    body += fig("weekday")
    return section("series", title("series", lang), body)


# ------------------------------------------------------------------ the three steps
def steps_section(d: ReportData, lang: str | None, fig: Fig) -> str:
    body = p(t("steps.intro", lang)) + '<ol class="steps">'
    for i, formula in enumerate(STEPS, start=1):
        body += f"<li>{esc(t(f'steps.{i}', lang))}" + maths(formula) + "</li>"
    body += "</ol>"
    if d.surface is not None:
        x = next(s for s in d.surface.surfaces if s.loss == "mae")
        w, b = x.exact_views
        body += p(t("steps.numbers", lang, name=d.series.name, w=f"{w:.3f}", b=num(b), L=num(x.exact.loss),
                    bw=f"{BOOK_W:g}", bb=f"{BOOK_B / 1000:g}k", bL="0.48k"), cls="numbers")
    return section("steps", title("steps", lang), body)


# ------------------------------------------------------------------ the ladder
def ladder_section(d: ReportData, lang: str | None, fig: Fig) -> str:
    why = missing(d, "ladder", lang)
    if why:
        return left_out("ladder", title("ladder", lang), why)
    lad = d.ladder
    sc = level(d)
    body = p(t("ladder.intro", lang))
    body += maths("y = b + Σⱼ wⱼ xⱼ    (linear:k, j = 1 … k days)")
    body += maths("y = b + Σᵢ cᵢ σ(bᵢ + Σⱼ wᵢⱼ xⱼ),   σ(x) = 1/(1+e⁻ˣ)    (sigmoid:k×H)")
    body += maths("hard sigmoid: c·max(0, min(1, b + w·x)) = c·ReLU(b + w·x) − c·ReLU(b + w·x − 1),   ReLU(x) = max(0, x)")
    body += p(t("ladder.layers", lang))
    heads = [i18n.t("term.model", lang), t("col.params", lang), "L", "L′", t("col.book_L", lang), t("col.book_Lp", lang)]
    for tab in ("A", "B", "C"):
        rows = [r for r in lad.rows if r.table == tab]
        if rows:
            body += f'<div class="ladder-table" id="table-{tab}">' + table(heads, [
                [r.model, cell(r.params, f"{r.params:,}"), cell(r.train_mae, num(r.train_mae, sc)),
                 cell(r.test_mae, num(r.test_mae, sc)), cell(r.book_train_mae, num(r.book_train_mae)),
                 cell(r.book_test_mae, num(r.book_test_mae))] for r in rows], caption=t(f"table.{tab}", lang)) + "</div>"
    gone = [lo for lo in d.left_out if lo.part == "rungs"]
    if gone:
        body += p(reason(gone[0], lang), cls="left-out")
    body += "".join(p(x) for x in ladder_sentences(d, lang))
    body += fig("ladder")
    body += p(t("ladder.book", lang), cls="note")
    return section("ladder", title("ladder", lang), body)


def ladder_sentences(d: ReportData, lang: str | None) -> list[str]:
    """Plain statements of the numbers in the tables (each follows from them)."""
    f = d.ladder.fits
    out = []
    lin = [s for s in f if s.startswith("linear:")]
    if len(lin) > 1:
        out.append(t("ladder.days", lang, first=lin[0], last=lin[-1], L0=num(f[lin[0]].train["mae"]),
                     L1=num(f[lin[-1]].train["mae"]), Lp0=num(f[lin[0]].test["mae"]), Lp1=num(f[lin[-1]].test["mae"])))
    best_L = min(f, key=lambda s: f[s].train["mae"])
    best_Lp = min(f, key=lambda s: f[s].test["mae"])
    out.append(t("ladder.best", lang, mL=best_L, L=num(f[best_L].train["mae"]), mLp=best_Lp, Lp=num(f[best_Lp].test["mae"])))
    return out


# ------------------------------------------------------------------ predictions on the test days
def lag_correlations(actual: np.ndarray, pred: np.ndarray) -> tuple[float, float]:
    """(corr(prediction, that day's views), corr(prediction, the day before's views)) on the test days."""
    return float(np.corrcoef(pred[1:], actual[1:])[0, 1]), float(np.corrcoef(pred[1:], actual[:-1])[0, 1])


def predictions_section(d: ReportData, lang: str | None, fig: Fig) -> str:
    why = missing(d, "predictions", lang)
    if why:
        return left_out("predictions", title("predictions", lang), why)
    body = p(t("pred.intro", lang, models=", ".join(d.prediction_specs()), n=len(d.test_dates)))
    if "linear:1" in d.predictions and len(d.test_actual) > 2:
        same, before = lag_correlations(d.test_actual, d.predictions["linear:1"])
        body += p(t("pred.lag", lang, same=f"{same:.2f}", before=f"{before:.2f}"))
    if d.best_network is None:
        body += p(t("pred.no_net", lang), cls="left-out")
    body += fig("predictions")
    return section("predictions", title("predictions", lang), body)


# ------------------------------------------------------------------ the error surface
def surface_section(d: ReportData, lang: str | None, fig: Fig) -> str:
    why = missing(d, "surface", lang)
    if why:
        return left_out("surface", title("surface", lang), why)
    body = p(t("surface.intro", lang))
    items = []
    for x in d.surface.surfaces:
        w, b = x.exact_views
        items.append(t("surface.exact", lang, loss=x.loss.upper(), w=f"{w:.4f}", b=num(b), L=num(x.exact.loss)))
        for q in x.paths:
            status = t(f"surface.{q.outcome}", lang, t=q.within_at if q.outcome == "within" else q.diverged_at,
                       gap=f"{100 * (q.loss[-1] / x.exact.loss - 1):.1f}%")
            items.append(t("surface.path", lang, loss=x.loss.upper(), lr=f"{q.lr:g}", steps=len(q.loss) - 1, status=status))
    body += ul(items, cls="numbers")
    if any(q.standard and not x.normalize for x in d.surface.surfaces for q in x.paths):
        mse = next((x for x in d.surface.surfaces if x.condition is not None), None)
        body += p(t("surface.standard", lang, cond=f"{mse.condition:.2g}" if mse else "—"), cls="note")
    body += fig("surface")
    return section("surface", title("surface", lang), body)
