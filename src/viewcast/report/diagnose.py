"""What `viewcast diagnose` shows: a table of models × verdicts, the reasons in plain sentences,
the days every model missed, and two figures (the losses across the ladder; the worst days) as PNG
and self-contained HTML.

>>> badge({"verdict": "overfitting", "confidence": 0.83})
'overfitting (0.83)'
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from ..diagnose.diagnose import Diagnosis
from ..diagnose.verdicts import NEXT_STEP, Thresholds, reason
from .claims import Claim, Num, Sentence, compare, of, said
from .figures import CYCLE, new_figure, save_html, save_png
from .fmt import num, scale_of
from .tables import Layout, fitted, table

LABEL = {"ok": "ok", "model_bias": "model bias", "optimization": "optimization issue", "overfitting": "overfitting",
         "mismatch": "mismatch"}
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


def verdict_table(d: Diagnosis) -> list:
    """Models × verdicts, with the losses behind them (in views)."""
    L, sc = d.config.loss, _scale(d)
    best = d.overall["best_model"]
    rows = [[m.spec + (" ✓" if m.spec == best else ""), f"{m.params:,}", num(m.fit.train[L], sc), num(m.val[L], sc),
             num(m.fit.test[L], sc),
             ", ".join(f"[{COLOR[v.verdict]}]{LABEL[v.verdict]}[/] ({v.confidence:.2f})" for v in m.verdicts)]
            for m in d.models]
    return table(f"diagnosis of {d.source} ({d.split.describe()}; validation {d.scheme}; {L.upper()} in views)",
                 [("model", "left"), ("params", "right"), ("train", "right"), ("validation", "right"), ("test", "right"),
                  ("verdict (confidence)", "left")], rows)


def reference_line(d: Diagnosis) -> str:
    L, sc = d.config.loss, _scale(d)
    parts = [f"{r.name} {num(r.train[L], sc)}/{num(r.val[L], sc)}" for r in d.references]
    return "References (train/validation): " + ", ".join(parts) + "."


def sentences(d: Diagnosis | dict) -> list[str]:
    """The reasons, grouped by verdict, each group closed by the book's next step; then what the gap,
    the two periods and the overall verdict show. Made from the numbers of `d` (a Diagnosis or its
    `as_dict()`, the JSON output); each sentence states its comparisons as claims (`claims.py`), and
    one whose claims fail is not said."""
    return said(all_sentences(d))


def all_sentences(d: Diagnosis | dict) -> list[str]:
    """`sentences` before the check (what the tests check)."""
    doc = d.as_dict() if isinstance(d, Diagnosis) else d
    th = Thresholds(**doc["thresholds"])
    out: list[str] = []
    for kind in ("model_bias", "optimization", "overfitting", "mismatch"):
        hits = [(m["model"], v) for m in doc["models"] for v in m["verdicts"] if v["verdict"] == kind]
        if not hits:
            continue
        out.append(f"[bold {COLOR[kind]}]{LABEL[kind].capitalize()}[/] — {', '.join(s for s, _ in hits)}")
        for spec, v in hits:
            r = reason(kind, v["numbers"], th)
            out.append(Sentence(f"  • {spec}: {r}", r.claims))
        out.append(f"  → {NEXT_STEP[kind]}")
    out += [s for s in (_gap(doc), _shift(doc, th)) if s is not None]
    out.append(_overall(doc))
    return out


def _gap(doc: dict) -> Sentence | None:
    """How the train–validation gap moves with the parameter count: Spearman's ρ and the two ends."""
    g = doc["overall"].get("gap_growth") or {}
    if g.get("spearman") is None or len(g.get("points", [])) < 3:
        return None
    sc = _scale(doc)  # the gaps are differences of the table's losses: printed like them
    lo, hi = g["points"][0], g["points"][-1]
    rho, lim, neg = Num("rho", f"{g['spearman']:.2f}"), Num("rho_limit", "0.3", False), Num("rho_limit", "-0.3", False)
    a, b = of(f"gap {lo['model']}", lo["gap"], sc), of(f"gap {hi['model']}", hi["gap"], sc)
    ends = f"{a} for {lo['model']} ({lo['params']:,} parameters), {b} for {hi['model']} ({hi['params']:,})"
    head = f"The train–validation gap {{}} with flexibility (Spearman ρ {rho} against the parameter count)"
    if compare(rho, lim) == ">" or compare(rho, neg) == "<":
        up = compare(rho, lim) == ">"
        trend = Claim(rho, ">", lim) if up else Claim(rho, "<", neg)
        steady = compare(b, a) == (">" if up else "<")
        if steady:
            return Sentence(head.format("grows" if up else "shrinks") + f": {ends}.",
                            [trend, Claim(b, ">" if up else "<", a)])
        return Sentence(head.format("tends to grow" if up else "tends to shrink")
                        + f", though not at the ends: {ends}.", [trend, Claim(b, "<=" if up else ">=", a)])
    return Sentence(head.format("shows no steady trend") + f": {ends}.", [Claim(rho, "<=", lim), Claim(rho, ">=", neg)])


def _shift(doc: dict, th: Thresholds) -> Sentence | None:
    """Do the test period's views differ from the training period's? Each test's own p-value decides
    what is said about it; the means are printed with the direction they move."""
    t = doc["mismatch"]["target"]
    if t.get("ks") is None or not np.isfinite(t["ks"]):
        return None
    alpha = Num("alpha", f"{th.alpha:g}", False)
    kp, wp = Num("ks_p_block", f"{t['ks_p_block']:.3f}"), Num("wasserstein_p_block", f"{t['wasserstein_p_block']:.3f}")
    sc = scale_of([t["mean_abs_a"], t["mean_abs_b"]])
    ma, mb = of("mean_abs_a", t["mean_abs_a"], sc), of("mean_abs_b", t["mean_abs_b"], sc)
    move = compare(mb, ma)
    mean = {"<": f"the mean falls from {ma} to {mb}", ">": f"the mean rises from {ma} to {mb}",
            "≈": f"the mean stays at {ma}"}[move]
    claims = [Claim(mb, move, ma)]
    ks = f"KS {t['ks']:.2f}, block-permutation p = {kp} with {t['block_days']}-day blocks"
    w = f"Wasserstein {num(t['wasserstein'], sc)} views, p = {wp}"
    k_differs, w_differs = compare(kp, alpha) == "<", compare(wp, alpha) == "<"
    claims += [Claim(kp, "<" if k_differs else ">=", alpha), Claim(wp, "<" if w_differs else ">=", alpha)]
    if k_differs and w_differs:
        s = f"The test period's views differ from the training period's ({ks}; {w}); {mean}."
    elif k_differs or w_differs:
        yes, no = (("the KS test", ks), ("the Wasserstein distance", w))[::1 if k_differs else -1]
        s = (f"The test period's views differ from the training period's by {yes[0]} ({yes[1]}) but not clearly by "
             f"{no[0]} ({no[1]}); {mean}.")
    else:
        s = (f"These tests do not show the test period's views to differ from the training period's ({ks}; {w}), "
             f"though {mean}: with {t['blocks_b']} test block{'s' * (t['blocks_b'] != 1)} they can miss a difference."
             if move != "≈" else
             f"These tests do not show the test period's views to differ from the training period's ({ks}; {w}); {mean}.")
    return Sentence(s, claims)


def _overall(doc: dict) -> Sentence:
    """The verdict for the model validation would choose — its own — and, apart, what most models share."""
    ov = doc["overall"]
    mine = [v for v in ov["verdicts"] if v["model"] is not None and v["verdict"] != "ok"]
    shared = [v for v in ov["verdicts"] if v["model"] is None]
    best = ov["best_model"]
    own = next((m["verdicts"] for m in doc["models"] if m["model"] == best), [])
    if mine:
        s = f"Overall: validation would choose {best}, which shows " + ", ".join(
            f"[bold]{LABEL[v['verdict']]}[/] ({v['confidence']:.2f})" for v in mine)
    else:
        ok = next((v for v in own if v["verdict"] == "ok"), None)
        s = f"Overall: validation would choose {best}, which passes the chapter-2 checks" + (
            f" (ok, {ok['confidence']:.2f})" if ok else "")
    claims = []
    for v in shared:  # mismatch carried by most models, not by the chosen one
        n = len(ov["by_verdict"][v["verdict"]])
        many, half = Num(f"models with {v['verdict']}", str(n)), Num("half of the models", f"{len(doc['models']) / 2:g}", False)
        claims.append(Claim(many, ">=", half))
        s += (f"; {many} of {len(doc['models'])} models show a [bold]{LABEL[v['verdict']]}[/] ({v['confidence']:.2f}): "
              "the test days differ from the days validation saw")
    return Sentence(s + ".", claims)


def worst_table(d: Diagnosis, max_models: int = 4) -> list | None:
    """The book's 2021-02-26 table: test days every model missed far beyond its validation error,
    with the predictions of the best-validated models (as many as the width allows, up to max_models)."""
    if not d.worst_days:
        return None
    L = d.config.loss
    order = sorted((m for m in d.models if m.spec in d.worst_judged), key=lambda m: m.val[L])[:max_models]
    who = "every model" if len(d.worst_judged) == len(d.models) else "every model without bias or an optimization issue"
    sc = scale_of([w["actual"] for w in d.worst_days])
    layouts = []
    for k in range(len(order), 0, -1):
        shown = order[:k]
        rows = [[w["date"], w["weekday"], num(w["actual"], sc), num(w["usual_for_weekday"], sc),
                 *[num(w["predictions"][m.spec], sc) for m in shown], f"{w['min_error_over_val_mae']:.1f}"]
                for w in d.worst_days]
        caption = (f"predictions of the {k} best-validated of them; all {len(d.models)} models' in the JSON output"
                   if len(d.models) > k else None)
        layouts.append(Layout([("date", "left"), ("day", "left"), ("actual", "right"), ("usual that weekday", "right")]
                              + [(m.spec, "right") for m in shown] + [("× val MAE (min)", "right")], rows, (0, 1),
                              caption))
    return fitted(f"test days {who} missed by more than {d.dconfig.worst_factor:g}× its validation MAE", layouts)


def figures(d: Diagnosis, stem: Path) -> list[Path]:
    """stem-losses.{png,html}: train/validation/test loss across the models, the references dashed;
    stem-worst-days.{png,html}: the test period, each model's predictions, the worst days marked."""
    import plotly.graph_objects as go

    L = d.config.loss
    names = [m.spec for m in d.models]
    x = np.arange(len(names))
    curves = {"training": [m.fit.train[L] for m in d.models], "validation": [m.val[L] for m in d.models],
              "test": [m.fit.test[L] for m in d.models]}
    refs = [r for r in d.references if r.name in ("yesterday", "last_week")]
    verdicts = [", ".join(LABEL[v.verdict] for v in m.verdicts) for m in d.models]
    title = f"losses across the models: {d.source} ({d.scheme})"
    fig = new_figure((max(7, 0.8 * len(names)), 4.5))
    ax = fig.add_subplot()
    for i, (label, ys) in enumerate(curves.items()):
        ax.plot(x, ys, marker="o", label=f"{label} {L.upper()}", color=CYCLE[i])
    for j, r in enumerate(refs):
        ax.axhline(r.val[L], ls="--", lw=1, color=CYCLE[4 + j], label=f"{r.name} (validation)")
    for xi, (v, y) in enumerate(zip(verdicts, curves["validation"])):
        ax.annotate(v, (xi, y), textcoords="offset points", xytext=(0, 8), ha="center", fontsize=7, rotation=20)
    ax.set_xticks(x, names, rotation=35, ha="right")
    ax.set(ylabel=f"{L.upper()} (views)", title=title)
    ax.legend(fontsize=8)
    paths = [save_png(fig, Path(f"{stem}-losses.png"))]
    g = go.Figure([go.Scatter(x=names, y=ys, name=f"{label} {L.upper()}", mode="lines+markers", text=verdicts,
                              line=dict(color=CYCLE[i])) for i, (label, ys) in enumerate(curves.items())])
    for j, r in enumerate(refs):
        g.add_hline(y=r.val[L], line_dash="dash", line_color=CYCLE[4 + j], annotation_text=f"{r.name} (validation)")
    g.update_layout(title=title, yaxis_title=f"{L.upper()} (views)")
    paths.append(save_html(g, Path(f"{stem}-losses.html")))

    dates = d.test_dates
    title = f"test period: actual views and each model's prediction ({d.source})"
    fig = new_figure((9, 4.5))
    ax = fig.add_subplot()
    ax.plot(dates, d.test_actual, color="k", lw=2, label="actual")
    for i, m in enumerate(d.models):
        ax.plot(dates, m.pred_test, lw=0.8, alpha=0.7, label=m.spec, color=CYCLE[i % len(CYCLE)])
    worst = [(np.datetime64(w["date"]), w["actual"], w["weekday"]) for w in d.worst_days]
    for dt, y, wd in worst:
        ax.scatter([dt], [y], s=80, facecolors="none", edgecolors="red", zorder=5)
        ax.annotate(f"{wd} {str(dt)[5:]}", (dt, y), textcoords="offset points", xytext=(4, 6), fontsize=7, color="red")
    ax.set(ylabel="views", title=title)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    fig.autofmt_xdate()
    paths.append(save_png(fig, Path(f"{stem}-worst-days.png")))
    g = go.Figure([go.Scatter(x=dates, y=d.test_actual, name="actual", line=dict(color="black", width=3))]
                  + [go.Scatter(x=dates, y=m.pred_test, name=m.spec, line=dict(width=1, color=CYCLE[i % len(CYCLE)]))
                     for i, m in enumerate(d.models)])
    if worst:
        g.add_trace(go.Scatter(x=[w[0].astype(str) for w in worst], y=[w[1] for w in worst], mode="markers+text",
                               text=[w[2] for w in worst], textposition="top center", name="missed by every model",
                               marker=dict(size=14, color="rgba(0,0,0,0)", line=dict(color="red", width=2))))
    g.update_layout(title=title, yaxis_title="views")
    paths.append(save_html(g, Path(f"{stem}-worst-days.html")))
    return paths
