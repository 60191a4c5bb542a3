"""Text views of model selection (`viewcast cv`) and of validation curves."""
from __future__ import annotations

from ...evaluate.rules import WEIGHTS_SAID
from ...text.claims import Claim, Sentence, compare, of, said
from ...text.fmt import diff, num, pct, scale_of
from .tables import table


def selection(sel) -> list:
    c, rows = sel.chosen, sel.as_dict()["models"]
    show_test = sel.others_test is not None
    sc = scale_of([r["val_mae_mean"] for r in rows] + [r["train_mae_mean"] for r in rows])
    body = []
    for r in rows:
        chosen = r["model"] == c.label
        sign = "+" if r["val_mae_mean"] >= c.val_mean else ""  # soft, ratio choose by ratios: another mean can be lower
        vs = "chosen" if chosen else f"{sign}{diff(r['val_mae_mean'], c.val_mean)} ({pct(r['delta_pct'])})"
        extra = ([num(r.get("test_mae"), sc) if not chosen else "—"] if show_test else [])
        body.append([r["model"] + (" ✓" if chosen else ""), f"{r['params']:,}", num(r["train_mae_mean"], sc),
                     num(r["val_mae_mean"], sc), num(r["val_mae_std"], sc), vs, *extra])
    cols = [("model", "left"), ("params", "right"), ("train L", "right"), ("val mean", "right"), ("± sd", "right"),
            ("vs chosen", "right")] + ([("test (not used)", "right")] if show_test else [])
    out = table(f"validation ({sel.scheme}, {len(sel.seeds)} seed(s)) on {sel.source}, {sel.split.describe()}",
                cols, body)
    ru = sel.runner_up
    if ru:
        out.append(_runner_up(c, ru, sc))
    tie = sel.near_tie
    if tie and not sel.blend:  # the paired comparison behind the 1-SE rule, said with its numbers
        out.append(f"A near-tie: validation cannot tell {tie['model']} from the chosen model (gap "
                   f"{diff(c.val_mean + tie['gap'], c.val_mean)} ± {num(tie['se'], sc)} per fold, paired); "
                   + {"1se": "the simpler one was taken (rule 1se).",
                      **{r: f"the one ahead fold by fold was taken (rule {r}: the lowest geometric mean)."
                         for r in WEIGHTS_SAID}}.get(sel.rule, "the lower mean was taken."))
    r = sel.refit
    if sel.blend and sel.rule in WEIGHTS_SAID:  # every candidate weighted by how (clearly) validation finds it worse
        names = ", ".join(f"{k.label} ({w:.0%})" for k, w in zip(sel.blend, sel.blend_weights))
        out.append(f"Weighted by validation ({WEIGHTS_SAID[sel.rule]}; "
                   f"under 1% of the best's weight left out): {names} — each refit on all training days, the forecast is their weighted "
                   f"mean: [bold]test MAE {num(sel.test['mae'], sc)}[/] — the test period is scored once, for the "
                   "chosen mean.")
        return said(out)
    if sel.blend:  # rule tie: the forecast is the mean of every candidate validation cannot tell apart
        names = ", ".join(k.label for k in sel.blend)
        out.append(f"Within one paired standard error of the best: {names} — each refit on all training days, "
                   f"the forecast is their mean: [bold]test MAE {num(sel.test['mae'], sc)}[/] — the test period is "
                   "scored once, for the chosen mean.")
        return said(out)
    out.append(f"Refit on all training days ({r.updates} updates; {r.stop_reason}): training MAE {num(r.train['mae'], sc)}, "
               f"[bold]test MAE {num(r.test['mae'], sc)}[/] — the test period is scored once, for the chosen model.")
    return said(out)


def _runner_up(c, ru: dict, sc) -> Sentence:
    """The choice and its margin, compared as printed: a runner-up whose loss prints the same is a tie."""
    a, b = of(f"val {c.label}", c.val_mean, sc), of(f"val {ru['model']}", ru["val_mae"], sc)
    head = f"Chosen: [bold]{c.label}[/] (validation MAE {a}); the runner-up {ru['model']} ({b})"
    if compare(b, a) == ">":
        sd = f", {num(ru['delta_sd'])} fold SDs" if ru["delta_sd"] is not None else ""
        return Sentence(f"{head} is {diff(ru['val_mae'], c.val_mean)} views ({num(ru['delta_pct'])}%{sd}) worse.",
                        [Claim(b, ">", a)])
    if compare(b, a) == "<":  # rules soft, ratio: the best fold by fold (lowest geometric mean) need not have the lowest mean
        return Sentence(f"{head} has the lower mean, but the chosen one is ahead fold by fold (the lowest geometric "
                        "mean: the rule compares the folds as ratios).", [Claim(b, "<", a)])
    return Sentence(f"{head} validates as well at these digits: the choice between them is close to a coin toss.",
                    [Claim(b, "≈", a)])


def curve(res) -> list:
    summary = res.summary()
    sc = scale_of([r["val_mae_mean"] for rows in summary.values() for r in rows])
    cols = [("model", "left")]
    for label in summary:
        cols += [(f"train L, {label}", "right"), (f"val mean ± sd, {label}", "right")]
    body = []
    for i, spec in enumerate(r["model"] for r in next(iter(summary.values()))):
        cells = [spec]
        for rows in summary.values():
            r = rows[i]
            cells += [num(r["train_mae_mean"], sc), f"{num(r['val_mae_mean'], sc)} ± {num(r['val_mae_std'], sc)}"]
        body.append(cells)
    out = table(f"validation curve over {res.name}: {res.source} ({res.scheme}, {len(res.seeds)} seeds)", cols, body)
    for label, rows in summary.items():
        best = min(rows, key=lambda r: r["val_mae_mean"])
        out.append(f"{label}: lowest validation MAE at {best['model']} ({num(best['val_mae_mean'], sc)}).")
    return out
