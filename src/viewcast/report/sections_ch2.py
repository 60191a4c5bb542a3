"""The report's chapter-2 sections and the forecast as HTML, in the page's language: learning and
validation curves, the diagnosis (verdicts as values, said in the book's terms, with the next step)
and the worst test days, then the honest forecast with its intervals.
"""
from __future__ import annotations

import math

import pandas as pd

from ..text import i18n
from ..book.report import ReportData
from ..text.fmt import num
from .html import cell, esc, left_out, p, section, table, ul
from .sections import Fig, level, missing, t, title, weekdays

TERM = {"ok": "report.verdict.ok", "model_bias": "term.model_bias", "optimization": "term.optimization_issue",
        "overfitting": "term.overfitting", "mismatch": "term.mismatch"}
ORDER = ("model_bias", "optimization", "overfitting", "mismatch")


def verdict_word(v: str, lang: str | None) -> str:
    return i18n.t(TERM[v], lang)


def weekday_name(date, lang: str | None) -> str:
    return weekdays(lang)[date.day_of_week]


# ------------------------------------------------------------------ learning and validation curves
def curves_section(d: ReportData, lang: str | None, fig: Fig) -> str:
    why = missing(d, "curves", lang)
    if why:
        return left_out("curves", title("curves", lang), why)
    dg = d.diagnosis
    body = p(t("curves.learning", lang, models=", ".join(d.curve_specs()), scheme=str(dg.scheme)))
    body += fig("learning")
    L = dg.config.loss
    best = min(dg.models, key=lambda m: m.val[L])
    gaps = sorted(dg.models, key=lambda m: m.params)
    body += p(t("curves.validation", lang, best=best.spec, val=num(best.val[L]), small=gaps[0].spec,
                gap0=num(gaps[0].val[L] - gaps[0].fit.train[L]), big=gaps[-1].spec,
                gap1=num(gaps[-1].val[L] - gaps[-1].fit.train[L])))
    body += fig("validation")
    return section("curves", title("curves", lang), body)


# ------------------------------------------------------------------ the diagnosis
def diagnosis_section(d: ReportData, lang: str | None, fig: Fig) -> str:
    why = missing(d, "diagnosis", lang)
    if why:
        return left_out("diagnosis", title("diagnosis", lang), why)
    dg = d.diagnosis
    L = dg.config.loss
    sc = level(d)
    body = p(t("diag.intro", lang, scheme=str(dg.scheme)))
    heads = [i18n.t("term.model", lang), t("col.params", lang), i18n.t("term.train_loss", lang),
             i18n.t("term.val_loss", lang), i18n.t("term.test_loss", lang), t("col.verdict", lang)]
    rows = [[m.spec, cell(m.params, f"{m.params:,}"), cell(m.fit.train[L], num(m.fit.train[L], sc)),
             cell(m.val[L], num(m.val[L], sc)), cell(m.fit.test[L], num(m.fit.test[L], sc)),
             "、".join(f"{verdict_word(v.verdict, lang)} ({v.confidence:.2f})" for v in m.verdicts) if lang == "zh"
             else ", ".join(f"{verdict_word(v.verdict, lang)} ({v.confidence:.2f})" for v in m.verdicts)]
            for m in dg.models]
    body += '<div id="diagnosis-table">' + table(heads, rows, caption=t("diag.caption", lang, loss=L.upper())) + "</div>"
    ov = dg.overall
    body += p(t("diag.overall", lang, model=ov["best_model"],
                verdicts=", ".join(f"{verdict_word(v['verdict'], lang)} ({v['confidence']:.2f})" for v in ov["verdicts"])),
              cls="numbers")
    steps = []
    for kind in ORDER:
        hit = [m.spec for m in dg.models if any(v.verdict == kind for v in m.verdicts)]
        if hit:
            steps.append(t("diag.next", lang, verdict=verdict_word(kind, lang), models=", ".join(hit),
                           step=t(f"next.{kind}", lang)))
    if steps:
        body += ul(steps)
    body += worst_days(d, lang)
    body += fig("worst")
    return section("diagnosis", title("diagnosis", lang), body)


def worst_days(d: ReportData, lang: str | None) -> str:
    """The book's 2021-02-26: test days every judged model missed far beyond its validation error."""
    dg = d.diagnosis
    best = dg.overall["best_model"]
    if not dg.worst_days:
        return p(t("diag.no_worst", lang, factor=f"{dg.dconfig.worst_factor:g}"))
    sc = level(d)
    rows = [[w["date"], weekday_name(pd.Timestamp(w["date"]), lang), cell(w["actual"], num(w["actual"], sc)),
             cell(w["usual_for_weekday"], num(w["usual_for_weekday"], sc)),
             cell(w["predictions"][best], num(w["predictions"][best], sc)),
             cell(w["min_error_over_val_mae"], f"{w['min_error_over_val_mae']:.1f}")] for w in dg.worst_days]
    heads = [t("col.date", lang), t("col.weekday", lang), t("col.actual", lang), t("col.usual", lang),
             t("col.pred_of", lang, model=best), t("col.times_val", lang)]
    return (p(t("diag.worst", lang, factor=f"{dg.dconfig.worst_factor:g}", n=len(dg.worst_days),
                models=len(dg.worst_judged)))
            + '<div id="worst-days">' + table(heads, rows) + "</div>")


# ------------------------------------------------------------------ the forecast
def forecast_section(d: ReportData, lang: str | None, fig: Fig) -> str:
    why = missing(d, "forecast", lang)
    if why:
        return left_out("forecast", title("forecast", lang), why)
    f = d.forecast
    c = f.chosen
    sc = level(d)
    spread = f" ± {num(c.val_std, sc)}" if math.isfinite(c.val_std) else ""
    key = "fc.intro_weighted" if f.weighted else "fc.intro_mean" if f.blend else "fc.intro"  # rules ratio or soft, tie, one
    body = p(t(key, lang, days=len(f.dates), end=f"{f.trained_through:%Y-%m-%d}",
               model=i18n.listed(f.blend_names(), lang) if f.blend else c.label,
               scheme=str(f.scheme), val=num(c.val_mean, sc) + spread, n=len(f.candidates),
               updates=f"{f.refit.updates:,}", members=f.refit.ensemble))
    levels = sorted(f.lower)
    heads = [t("col.date", lang), t("col.weekday", lang), t("col.forecast", lang)] + \
        [t("col.interval", lang, level=lv) for lv in levels]
    rows = [[f"{day:%Y-%m-%d}", weekday_name(day, lang), cell(v, num(v, sc))]
            + [f"{num(f.lower[lv][i], sc)} … {num(f.upper[lv][i], sc)}" if math.isfinite(f.upper[lv][i]) else "—"
               for lv in levels]  # no interval when the backtest had too few days to calibrate one
            for i, (day, v) in enumerate(zip(f.dates, f.forecast))]
    body += '<div id="forecast-table">' + table(heads, rows) + "</div>"
    body += p(t("fc.intervals", lang, days=f.backtest.days, refits=len(f.backtest.origins),
                scale=t("fc.log", lang) if f.calibration.log else t("fc.views", lang)), cls="note")
    body += "".join(p(n, cls="note") for n in f.notes)  # the library's own notes (e.g. clipped at 0)
    body += fig("forecast")
    return section("forecast", title("forecast", lang), body)


def footer(d: ReportData, lang: str | None, seconds: float, version: str) -> str:
    return f'<footer>{esc(t("footer", lang, version=version, seconds=f"{seconds:.0f}"))}</footer>'
