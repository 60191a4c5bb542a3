"""What `viewcast diagnose` prints: a table of models × verdicts, the reasons in plain sentences (made
from the numbers by `text.verdicts`, each checked against them), and the days every model missed. Its
two figures are `figures.curves.losses_chart` and `figures.worst.worst_chart`.

>>> badge({"verdict": "overfitting", "confidence": 0.83})
'overfitting (0.83)'
"""
from __future__ import annotations

import numpy as np

from ...diagnosis.diagnose import Diagnosis
from ...diagnosis.mismatch import WEEKDAYS
from ...text.claims import Claim, Num, Sentence, compare, of, said
from ...text.fmt import num, scale_of
from ...text.i18n import t, weekday
from ...text.verdicts import name as label
from ...text.verdicts import reason
from .tables import Layout, fitted, split_text, table

COLOR = {"ok": "green", "model_bias": "yellow", "optimization": "magenta", "overfitting": "red", "mismatch": "cyan"}


def badge(v: dict) -> str:
    return f"{v['verdict']} ({v['confidence']:.2f})"


def _scale(d: Diagnosis | dict) -> float | None:
    """The scale of the verdict table's losses: what every loss-sized number beside it is printed at."""
    if isinstance(d, Diagnosis):
        L = d.config.loss
        return scale_of([m.fit.train[L] for m in d.models] + [m.val[L] for m in d.models])
    L = d["loss"]
    return scale_of([m["train"][L] for m in d["models"]] + [m["val"][L] for m in d["models"]])


def verdict_table(d: Diagnosis, lang: str = "en") -> list:
    """Models × verdicts, with the losses behind them (in views)."""
    L, sc = d.config.loss, _scale(d)
    best = d.overall["best_model"]
    rows = [[m.spec + (" ✓" if m.spec == best else ""), f"{m.params:,}", num(m.fit.train[L], sc), num(m.val[L], sc),
             num(m.fit.test[L], sc),
             ", ".join(f"[{COLOR[v.verdict]}]{label(v.verdict, lang)}[/] ({v.confidence:.2f})" for v in m.verdicts)]
            for m in d.models]
    return table(t("cli.diag.title", lang, source=d.source, split=split_text(d.split, lang), scheme=d.scheme,
                   loss=L.upper()),
                 [(t("cli.col.model", lang), "left"), (t("cli.col.params", lang), "right"),
                  (t("cli.diag.col.train", lang), "right"), (t("cli.diag.col.val", lang), "right"),
                  (t("cli.diag.col.test", lang), "right"), (t("report.col.verdict", lang), "left")], rows)


def reference_line(d: Diagnosis, lang: str = "en") -> str:
    L, sc = d.config.loss, _scale(d)
    parts = [f"{r.name} {num(r.train[L], sc)}/{num(r.val[L], sc)}" for r in d.references]
    return t("cli.diag.references", lang, parts=", ".join(parts))


def sentences(d: Diagnosis | dict, lang: str = "en") -> list[str]:
    """The reasons, grouped by verdict, each group closed by the book's next step; then what the gap,
    the two periods and the overall verdict show. Made from the numbers of `d` (a Diagnosis or its
    `as_dict()`, the JSON output); each sentence states its comparisons as claims (`claims.py`), and
    one whose claims fail is not said. In `lang`: the words differ, the claims do not."""
    return said(all_sentences(d, lang))


def all_sentences(d: Diagnosis | dict, lang: str = "en") -> list[str]:
    """`sentences` before the check (what the tests check)."""
    doc = d.as_dict() if isinstance(d, Diagnosis) else d
    th = doc["thresholds"]
    out: list[str] = []
    for kind in ("model_bias", "optimization", "overfitting", "mismatch"):
        hits = [(m["model"], v) for m in doc["models"] for v in m["verdicts"] if v["verdict"] == kind]
        if not hits:
            continue
        out.append(f"[bold {COLOR[kind]}]{label(kind, lang).capitalize()}[/] — {', '.join(s for s, _ in hits)}")
        for spec, v in hits:
            r = reason(kind, v["numbers"], th, lang)
            out.append(Sentence(f"  • {spec}: {r}", r.claims))
        out.append(t("cli.diag.next", lang, step=t(f"cli.next.{kind}", lang)))
    out += [s for s in (_gap(doc, lang), _shift(doc, th, lang)) if s is not None]
    out.append(_overall(doc, lang))
    return out


def _gap(doc: dict, lang: str = "en") -> Sentence | None:
    """How the train–validation gap moves with the parameter count: Spearman's ρ and the two ends."""
    g = doc["overall"].get("gap_growth") or {}
    if g.get("spearman") is None or len(g.get("points", [])) < 3:
        return None
    sc = _scale(doc)  # the gaps are differences of the table's losses: printed like them
    lo, hi = g["points"][0], g["points"][-1]
    rho, lim, neg = Num("rho", f"{g['spearman']:.2f}"), Num("rho_limit", "0.3", False), Num("rho_limit", "-0.3", False)
    a, b = of(f"gap {lo['model']}", lo["gap"], sc), of(f"gap {hi['model']}", hi["gap"], sc)
    ends = t("cli.diag.gap.ends", lang, a=a, lo=lo["model"], lo_params=f"{lo['params']:,}", b=b, hi=hi["model"],
             hi_params=f"{hi['params']:,}")
    if compare(rho, lim) == ">" or compare(rho, neg) == "<":
        up = compare(rho, lim) == ">"
        trend = Claim(rho, ">", lim) if up else Claim(rho, "<", neg)
        steady = compare(b, a) == (">" if up else "<")
        if steady:
            return Sentence(t("cli.diag.gap." + ("grows" if up else "shrinks"), lang, rho=rho, ends=ends),
                            [trend, Claim(b, ">" if up else "<", a)])
        return Sentence(t("cli.diag.gap." + ("tends_to_grow" if up else "tends_to_shrink"), lang, rho=rho, ends=ends),
                        [trend, Claim(b, "<=" if up else ">=", a)])
    return Sentence(t("cli.diag.gap.no_trend", lang, rho=rho, ends=ends), [Claim(rho, "<=", lim), Claim(rho, ">=", neg)])


def _shift(doc: dict, th: dict, lang: str = "en") -> Sentence | None:
    """Do the test period's views differ from the training period's? Each test's own p-value decides
    what is said about it; the means are printed with the direction they move."""
    tg = doc["mismatch"]["target"]
    if tg.get("ks") is None or not np.isfinite(tg["ks"]):
        return None
    alpha = Num("alpha", f"{th['alpha']:g}", False)
    kp, wp = Num("ks_p_block", f"{tg['ks_p_block']:.3f}"), Num("wasserstein_p_block", f"{tg['wasserstein_p_block']:.3f}")
    sc = scale_of([tg["mean_abs_a"], tg["mean_abs_b"]])
    ma, mb = of("mean_abs_a", tg["mean_abs_a"], sc), of("mean_abs_b", tg["mean_abs_b"], sc)
    move = compare(mb, ma)
    mean = t("cli.diag.shift." + {"<": "falls", ">": "rises", "≈": "stays"}[move], lang, a=ma, b=mb)
    claims = [Claim(mb, move, ma)]
    ks = t("cli.diag.shift.ks", lang, ks=f"{tg['ks']:.2f}", p=kp, days=tg["block_days"])
    w = t("cli.diag.shift.w", lang, w=num(tg["wasserstein"], sc), p=wp)
    k_differs, w_differs = compare(kp, alpha) == "<", compare(wp, alpha) == "<"
    claims += [Claim(kp, "<" if k_differs else ">=", alpha), Claim(wp, "<" if w_differs else ">=", alpha)]
    if k_differs and w_differs:
        s = t("cli.diag.shift.both", lang, ks=ks, w=w, mean=mean)
    elif k_differs or w_differs:
        yes, no = (("cli.diag.shift.ks_name", ks), ("cli.diag.shift.w_name", w))[::1 if k_differs else -1]
        s = t("cli.diag.shift.one", lang, yes=t(yes[0], lang), yes_numbers=yes[1], no=t(no[0], lang),
              no_numbers=no[1], mean=mean)
    elif move != "≈":
        s = t("cli.diag.shift.none_1" if tg["blocks_b"] == 1 else "cli.diag.shift.none", lang, ks=ks, w=w, mean=mean,
              blocks=tg["blocks_b"])
    else:
        s = t("cli.diag.shift.none_same", lang, ks=ks, w=w, mean=mean)
    return Sentence(s, claims)


def _overall(doc: dict, lang: str = "en") -> Sentence:
    """The verdict for the model validation would choose — its own — and, apart, what most models share."""
    ov = doc["overall"]
    mine = [v for v in ov["verdicts"] if v["model"] is not None and v["verdict"] != "ok"]
    shared = [v for v in ov["verdicts"] if v["model"] is None]
    best = ov["best_model"]
    own = next((m["verdicts"] for m in doc["models"] if m["model"] == best), [])
    if mine:
        s = t("cli.diag.overall.shows", lang, model=best, verdicts=", ".join(
            f"[bold]{label(v['verdict'], lang)}[/] ({v['confidence']:.2f})" for v in mine))
    else:
        ok = next((v for v in own if v["verdict"] == "ok"), None)
        s = t("cli.diag.overall.passes", lang, model=best) + (
            t("cli.diag.overall.ok", lang, confidence=f"{ok['confidence']:.2f}") if ok else "")
    claims = []
    for v in shared:  # mismatch carried by most models, not by the chosen one
        n = len(ov["by_verdict"][v["verdict"]])
        many, half = Num(f"models with {v['verdict']}", str(n)), Num("half of the models", f"{len(doc['models']) / 2:g}", False)
        claims.append(Claim(many, ">=", half))
        s += t("cli.diag.overall.shared", lang, n=many, total=len(doc["models"]), verdict=label(v["verdict"], lang),
               confidence=f"{v['confidence']:.2f}")
    return Sentence(t("cli.sentence", lang, text=s), claims)


def worst_table(d: Diagnosis, max_models: int = 4, lang: str = "en") -> list | None:
    """The book's 2021-02-26 table: test days every model missed far beyond its validation error,
    with the predictions of the best-validated models (as many as the width allows, up to max_models)."""
    if not d.worst_days:
        return None
    L = d.config.loss
    order = sorted((m for m in d.models if m.spec in d.worst_judged), key=lambda m: m.val[L])[:max_models]
    who = "title_all" if len(d.worst_judged) == len(d.models) else "title_judged"
    sc = scale_of([w["actual"] for w in d.worst_days])
    layouts = []
    for k in range(len(order), 0, -1):
        shown = order[:k]
        rows = [[w["date"], weekday(WEEKDAYS.index(w["weekday"]), lang), num(w["actual"], sc), num(w["usual_for_weekday"], sc),
                 *[num(w["predictions"][m.spec], sc) for m in shown], f"{w['min_error_over_val_mae']:.1f}"]
                for w in d.worst_days]
        caption = (t("cli.diag.worst.caption", lang, k=k, n=len(d.models)) if len(d.models) > k else None)
        col = {c: t(f"cli.diag.worst.col.{c}", lang) for c in ("date", "day", "actual", "usual", "times")}
        layouts.append(Layout([(col["date"], "left"), (col["day"], "left"), (col["actual"], "right"),
                               (col["usual"], "right")] + [(m.spec, "right") for m in shown] + [(col["times"], "right")],
                              rows, (0, 1), caption))
    return fitted(t(f"cli.diag.worst.{who}", lang, factor=f"{d.dconfig.worst_factor:g}"), layouts)
