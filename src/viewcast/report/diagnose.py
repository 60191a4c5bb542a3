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
from ..diagnose.verdicts import NEXT_STEP
from .figures import CYCLE, new_figure, save_html, save_png
from .fmt import num
from .tables import scale_of, table

LABEL = {"ok": "ok", "model_bias": "model bias", "optimization": "optimization issue", "overfitting": "overfitting",
         "mismatch": "mismatch"}
COLOR = {"ok": "green", "model_bias": "yellow", "optimization": "magenta", "overfitting": "red", "mismatch": "cyan"}


def badge(v: dict) -> str:
    return f"{v['verdict']} ({v['confidence']:.2f})"


def _scale(d: Diagnosis) -> float | None:
    L = d.config.loss
    return scale_of([m.fit.train[L] for m in d.models] + [m.val[L] for m in d.models])


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


def sentences(d: Diagnosis) -> list[str]:
    """The reasons, grouped by verdict, each group closed by the book's next step."""
    out = []
    sc = _scale(d)
    for kind in ("model_bias", "optimization", "overfitting", "mismatch"):
        hits = [(m.spec, v) for m in d.models for v in m.verdicts if v.verdict == kind]
        if not hits:
            continue
        out.append(f"[bold {COLOR[kind]}]{LABEL[kind].capitalize()}[/] — {', '.join(s for s, _ in hits)}")
        for spec, v in hits:
            out.append(f"  • {spec}: {v.reason}")
        out.append(f"  → {NEXT_STEP[kind]}")
    g = d.overall.get("gap_growth") or {}
    if g.get("spearman") is not None and len(g["points"]) >= 3:
        lo, hi = g["points"][0], g["points"][-1]
        trend = "grows" if g["spearman"] > 0.3 else "does not grow" if g["spearman"] > -0.3 else "shrinks"
        out.append(f"The train–validation gap {trend} with flexibility (Spearman ρ {g['spearman']:.2f} against the parameter "
                   f"count): {num(lo['gap'], sc)} for {lo['model']} ({lo['params']:,} parameters), {num(hi['gap'], sc)} for "
                   f"{hi['model']} ({hi['params']:,}).")
    t = d.target_shift
    if np.isfinite(t.get("ks", np.nan)):
        differ = t["ks_p_block"] < d.dconfig.thresholds.alpha
        out.append(f"The test period's views {'differ from' if differ else 'look like'} the training period's "
                   f"(KS {t['ks']:.2f}, block-permutation p = {t['ks_p_block']:.3f} with {t['block_days']}-day blocks; "
                   f"Wasserstein {num(t['wasserstein'])} views, p = {t['wasserstein_p_block']:.3f}; mean "
                   f"{num(t['mean_abs_a'])} → {num(t['mean_abs_b'])}).")
    ov = d.overall
    out.append(f"Overall (the model validation would choose, {ov['best_model']}): "
               + ", ".join(f"[bold]{LABEL[v['verdict']]}[/] ({v['confidence']:.2f})" for v in ov["verdicts"]) + ".")
    return out


def worst_table(d: Diagnosis, max_models: int = 4) -> list | None:
    """The book's 2021-02-26 table: test days every model missed far beyond its validation error."""
    if not d.worst_days:
        return None
    L = d.config.loss
    order = sorted((m for m in d.models if m.spec in d.worst_judged), key=lambda m: m.val[L])[:max_models]
    who = "every model" if len(d.worst_judged) == len(d.models) else "every model without bias or an optimization issue"
    sc = scale_of([w["actual"] for w in d.worst_days])
    rows = [[w["date"], w["weekday"], num(w["actual"], sc), num(w["usual_for_weekday"], sc),
             *[num(w["predictions"][m.spec], sc) for m in order], f"{w['min_error_over_val_mae']:.1f}"]
            for w in d.worst_days]
    caption = (f"predictions of the {len(order)} best-validated of them; all {len(d.models)} models' in the JSON output"
               if len(d.models) > len(order) else None)
    return table(f"test days {who} missed by more than {d.dconfig.worst_factor:g}× its validation MAE",
                 [("date", "left"), ("day", "left"), ("actual", "right"), ("usual that weekday", "right")]
                 + [(m.spec, "right") for m in order] + [("× val MAE (min)", "right")], rows, keys=(0, 1),
                 caption=caption)


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
