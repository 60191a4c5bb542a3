"""Chapter 2's flowchart as pure rules over a model's numbers: model bias, optimization issue,
overfitting, mismatch — or ok. Losses are in views (the training loss config.loss: MAE by default).

    training loss large? ── contains a simpler function that fits better, diverged, or GD short of the
       │                     exact optimum → optimization issue
       │                  └─ even the best function it is known to contain is worse than what another
       │                     model predicts on *held-out* days → model bias
    training loss small, validation loss large → overfitting
    validation fine, test much worse (and not by chance) → mismatch

>>> n = Numbers(model="linear:1", train=1500, val=1550, test=1600, naive_train=1700,
...             contained=[("yesterday", 1700, 1750)], others_val=[("knn:1", 400)])
>>> v = judge(n, Thresholds())
>>> [(x.verdict, x.numbers["better_model"]) for x in v]
[('model_bias', 'knn:1')]

Verdicts are values (a name, a confidence, the numbers behind it); their words are made from the numbers
alone by `text.verdicts`, so they can be made again — and checked — from the JSON output, in any language.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

VERDICTS = ("ok", "model_bias", "optimization", "overfitting", "mismatch")


@dataclass(frozen=True)
class Thresholds:
    margin: float = 0.10  # a loss counts as worse only when 10% above the other…
    floor: float = 0.02  # …and by at least 2% of predict-yesterday's training loss (ignore a few views)
    gap_frac: float = 0.2  # overfitting needs (val − train)/val ≥ this, with a simpler model validating better…
    big_gap_frac: float = 0.5  # …or (val − train)/val ≥ this alone: most of the validation error is unseen-data error
    exact_gap_pct: float = 5.0  # GD's training loss this far (%) above the linear model's exact optimum
    still_falling_pct: float = 2.0  # training loss fell this much (%) over the last 10% of updates: not converged
    mismatch_ratio: float = 1.5  # test loss at least this many times the validation loss…
    alpha: float = 0.05  # …and the test residuals larger than the validation ones at this block-permutation level
    vanish_ratio: float = 0.05  # first layer's gradient (RMS per weight) below this × the output layer's: vanishing


@dataclass(frozen=True)
class Numbers:
    """What the rules read for one model (all in views of the training loss)."""

    model: str
    train: float  # on the training part
    val: float  # on the validation part (mean over folds for k-fold)
    test: float  # on the test period
    naive_train: float  # predict-yesterday's training loss: the unit for "a few views"
    contained: list = field(default_factory=list)  # [(name, train, val)] functions the model contains
    others_val: list = field(default_factory=list)  # [(name, val)] every other model and reference
    exact_gap_pct: float | None = None  # linear only: GD above the exact optimum, %
    diverged: bool = False
    tail_drop_pct: float = 0.0  # fall of the training loss over the last 10% of updates, %
    stalled_big_gradient: bool = False  # mse: the loss stopped falling while ‖∇L‖ stayed large
    layer_grad_ratio: float | None = None  # nets: first layer's gradient RMS / the output layer's
    sigmoid_gd: bool = False  # a sigmoid net trained with plain gradient descent
    test_val_p: float = math.nan  # one-sided block-permutation p: test residuals larger than validation ones


@dataclass(frozen=True)
class Verdict:
    """A verdict as values; its words (a reason, the book's next step) are made from them by
    `text.verdicts`, in any language."""

    verdict: str  # one of VERDICTS
    confidence: float  # 0.5 at the threshold … 0.99 well past it
    numbers: dict  # the numbers that led here


def _conf(excess: float, full: float) -> float:
    """0.55 just past a threshold, rising to 0.99 once `excess` reaches `full`."""
    if not math.isfinite(excess):
        return 0.99
    return round(min(0.99, 0.55 + 0.44 * max(0.0, excess) / full), 2)


def judge(n: Numbers, t: Thresholds) -> list[Verdict]:
    """Every verdict that applies to one model (a model can carry two); [ok] when none does."""
    fl = t.floor * n.naive_train if math.isfinite(n.naive_train) else 0.0

    def above(x: float, ref: float) -> bool:  # clearly worse than ref
        return math.isfinite(x) and math.isfinite(ref) and x > ref * (1 + t.margin) + fl

    out: list[Verdict] = []
    closeness = [0.0]
    att = min(((nm, v) for nm, v in n.others_val if math.isfinite(v)), key=lambda p: p[1], default=None)
    high = att is not None and above(n.train, att[1])  # training loss above what another model validates at

    # --- optimization issue
    nums, conf = {"naive_train": n.naive_train}, 0.0
    if n.diverged:
        nums["diverged"] = True
        conf = 0.99
    if n.exact_gap_pct is not None and n.exact_gap_pct > t.exact_gap_pct:
        nums["exact_gap_pct"] = n.exact_gap_pct
        conf = max(conf, _conf(n.exact_gap_pct / t.exact_gap_pct - 1, 3))
    fits = [c for c in n.contained if above(n.train, c[1])]
    if fits:
        w = min(fits, key=lambda c: c[1])
        nums.update(train=n.train, contained_model=w[0], contained_train=w[1])
        conf = max(conf, _conf(n.train / w[1] - 1 - t.margin, 0.5))
    elif n.contained:
        w = min(n.contained, key=lambda c: c[1])
        closeness.append(min(0.99, n.train / (w[1] * (1 + t.margin) + fl)) if w[1] > 0 else 0.0)
    if high and n.tail_drop_pct > t.still_falling_pct and n.exact_gap_pct is None:
        nums["tail_drop_pct"] = n.tail_drop_pct
        conf = max(conf, 0.6)
    if high and n.stalled_big_gradient:
        nums["stalled_big_gradient"] = True
        conf = max(conf, 0.6)
    if len(nums) > 1:
        if n.layer_grad_ratio is not None and n.layer_grad_ratio < t.vanish_ratio:
            nums.update(layer_grad_ratio=n.layer_grad_ratio, sigmoid_gd=n.sigmoid_gd)
            conf = min(0.99, conf + 0.1)
        out.append(Verdict("optimization", conf, nums))

    # --- model bias: even the best function it is known to contain cannot fit the training days as well
    # as another model predicts unseen days
    best = min([(n.model, n.train)] + [(c[0], c[1]) for c in n.contained], key=lambda c: c[1])
    if att is not None and above(best[1], att[1]) and above(n.val, att[1]):
        who = None if best[0] == n.model else best[0]
        out.append(Verdict("model_bias", _conf(best[1] / att[1] - 1 - t.margin, 1.0),
                            {"train": n.train, "best_contained_train": best[1], "best_contained_model": who, "val": n.val,
                             "better_model": att[0], "better_val": att[1], "naive_train": n.naive_train}))
    elif att is not None and att[1] > 0:
        closeness.append(min(0.99, best[1] / (att[1] * (1 + t.margin) + fl)))

    # --- overfitting: small training loss, large validation loss
    gap = (n.val - n.train) / n.val if n.val > 0 and math.isfinite(n.val) else 0.0
    simpler = [c for c in n.contained if above(n.val, c[2])]
    if gap >= t.gap_frac and (simpler or gap >= t.big_gap_frac):
        nums = {"train": n.train, "val": n.val, "gap_frac": gap, "naive_train": n.naive_train}
        if simpler:
            c = min(simpler, key=lambda c: c[2])
            nums.update(simpler_model=c[0], simpler_val=c[2])
        # With a simpler model validating better the U-curve shows it; from the gap alone, less sure.
        conf = _conf(gap - t.gap_frac, 0.6) if simpler else min(0.8, _conf(gap - t.big_gap_frac, 0.5))
        out.append(Verdict("overfitting", conf, nums))
    else:
        closeness.append(min(0.99, gap / t.big_gap_frac) if gap > 0 else 0.0)

    # --- mismatch: fine on validation, much worse on the test days, and not by chance
    ratio = n.test / n.val if n.val > 0 and math.isfinite(n.val) else math.nan
    if math.isfinite(ratio) and ratio >= t.mismatch_ratio and n.test_val_p < t.alpha:
        out.append(Verdict("mismatch", _conf(ratio / t.mismatch_ratio - 1, 1.0),
                            {"val": n.val, "test": n.test, "test_over_val": ratio, "p_block": n.test_val_p,
                             "naive_train": n.naive_train}))
    elif math.isfinite(ratio):
        closeness.append(min(0.99, ratio / t.mismatch_ratio))

    if not out:
        out.append(Verdict("ok", round(1 - 0.5 * max(closeness), 2),
                            {"train": n.train, "val": n.val, "test": n.test, "test_over_val": ratio,
                             "p_block": n.test_val_p, "naive_train": n.naive_train}))
    return sorted(out, key=lambda v: -v.confidence)


def overall(per_model: dict[str, list[Verdict]], val: dict[str, float]) -> dict:
    """The verdict for the model validation would choose, plus mismatch when most models carry it."""
    names = [m for m in per_model if math.isfinite(val.get(m, math.nan))] or list(per_model)
    best = min(names, key=lambda m: val.get(m, math.inf)) if names else None
    by = {v: [m for m, vs in per_model.items() if any(x.verdict == v for x in vs)] for v in VERDICTS}
    verdicts = [{"verdict": x.verdict, "confidence": x.confidence, "model": best}
                for x in per_model.get(best, []) if x.verdict != "ok"]
    frac = len(by["mismatch"]) / max(len(per_model), 1)
    if frac >= 0.5 and not any(v["verdict"] == "mismatch" for v in verdicts):
        verdicts.append({"verdict": "mismatch", "confidence": round(min(0.99, frac), 2), "model": None})
    if not verdicts:
        conf = next((x.confidence for x in per_model.get(best, []) if x.verdict == "ok"), 0.5)
        verdicts = [{"verdict": "ok", "confidence": conf, "model": best}]
    return {"verdict": verdicts[0]["verdict"], "verdicts": verdicts, "best_model": best, "by_verdict": by}
