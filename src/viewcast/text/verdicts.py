"""The plain words for chapter 2's verdicts — model bias, optimization issue, overfitting, mismatch, ok —
made from each verdict's numbers alone, so they can be made again (and checked, `claims`) from the JSON
output, in any language. The rules that give the verdicts are numbers only (`diagnosis/verdicts.py`).

>>> nums = {"train": 1500, "best_contained_train": 1500, "best_contained_model": None, "val": 1550,
...         "better_model": "knn:1", "better_val": 400, "naive_train": 1700}
>>> print(reason("model_bias", nums, {"alpha": 0.05, "exact_gap_pct": 5.0, "mismatch_ratio": 1.5}))
Model bias: at best it fits the training days at 1,500, while knn:1 predicts the held-out validation days at 400: a better function exists and this model's function set lacks it.
>>> name("overfitting", "zh"), next_step("overfitting")[:26]
('过拟合', 'More training data, data a')
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, is_dataclass

from .claims import Claim, Num, Sentence, of
from .fmt import num
from .i18n import t as t_

# each verdict's name in the catalogue
TERM = {"ok": "report.verdict.ok", "model_bias": "term.model_bias", "optimization": "term.optimization_issue",
        "overfitting": "term.overfitting", "mismatch": "term.mismatch"}


def name(kind: str, lang: str | None = "en") -> str:
    """The verdict's name in `lang`: 'model bias', '模型偏差'."""
    return t_(TERM[kind], lang)


def next_step(kind: str, lang: str | None = "en") -> str:
    """The book's advice for a verdict."""
    return t_(f"cli.next.{kind}", lang)


class _Limits:
    """The thresholds a sentence names, from diagnose.Thresholds or its dict (the JSON's `thresholds`)."""

    def __init__(self, thresholds):
        d = asdict(thresholds) if is_dataclass(thresholds) else dict(thresholds) if isinstance(thresholds, Mapping) \
            else vars(thresholds)
        self.exact_gap_pct, self.alpha, self.mismatch_ratio = d["exact_gap_pct"], d["alpha"], d["mismatch_ratio"]


def said(verdict, thresholds, lang: str = "en") -> Sentence:
    """The words for one verdict (a diagnose.Verdict or its dict in the JSON)."""
    kind, nums = (verdict["verdict"], verdict["numbers"]) if isinstance(verdict, Mapping) else (verdict.verdict,
                                                                                               verdict.numbers)
    return reason(kind, nums, thresholds, lang)


def reason(kind: str, nums: dict, thresholds, lang: str = "en") -> Sentence:
    """The plain words for verdict `kind`, made from its numbers alone (views printed by `fmt.num` at
    the scale of predict-yesterday's training loss) with the comparisons they state as claims; in `lang`
    (the JSON's `reason` is the English). `thresholds`: the rules' (diagnose.Thresholds, or its dict)."""
    t = _Limits(thresholds)
    sc = nums.get("naive_train")

    def n(key: str) -> Num:
        return of(key, nums[key], sc)

    def say(key: str, **fields) -> str:
        return t_(f"cli.verdict.{key}", lang, **fields)

    if kind == "optimization":
        parts, claims = [], []
        if nums.get("diverged"):
            parts.append(say("diverged"))
        if "exact_gap_pct" in nums:
            g, lim = Num("exact_gap_pct", f"{nums['exact_gap_pct']:.1f}"), Num("exact_gap_limit", f"{t.exact_gap_pct:g}")
            parts.append(say("exact_gap", gap=g, limit=lim))
            claims.append(Claim(g, ">", lim))
        if "contained_train" in nums:
            a, b = n("train"), n("contained_train")
            parts.append(say("contained", L=a, model=nums["contained_model"], Lc=b))
            claims.append(Claim(a, ">", b))
        if "tail_drop_pct" in nums:
            parts.append(say("still_falling", drop=f"{nums['tail_drop_pct']:.1f}"))
        if nums.get("stalled_big_gradient"):
            parts.append(say("stalled"))
        if nums.get("layer_grad_ratio") is not None:
            parts.append(say("vanishing_sigmoid" if nums.get("sigmoid_gd") else "vanishing",
                             ratio=num(1 / max(nums["layer_grad_ratio"], 1e-300))))
        return Sentence(say("optimization", parts=say("optimization.sep").join(parts)), claims)
    if kind == "model_bias":
        fit, better = n("best_contained_train"), n("better_val")
        who = nums.get("best_contained_model")
        return Sentence(say("model_bias_contained" if who else "model_bias", contained=who, L=fit,
                            model=nums["better_model"], val=better), [Claim(better, "<", fit)])
    if kind == "overfitting":
        tr, va = n("train"), n("val")
        s = say("overfitting", train=tr, val=va, pct=num(100 * nums["gap_frac"]))
        claims = [Claim(tr, "<", va)]
        if "simpler_model" in nums:
            sv = n("simpler_val")
            s += say("overfitting_simpler", model=nums["simpler_model"], val=sv)
            claims.append(Claim(sv, "<", va))
        return Sentence(t_("cli.sentence", lang, text=s), claims)
    p, alpha = Num("p_block", _p(nums.get("p_block"))), Num("alpha", f"{t.alpha:g}")
    if kind == "mismatch":
        te, va = n("test"), n("val")
        return Sentence(say("mismatch", test=te, ratio=f"{nums['test_over_val']:.1f}", val=va, p=p, alpha=alpha),
                        [Claim(te, ">", va), Claim(p, "<", alpha)])
    tr, va, te = n("train"), n("val"), n("test")
    s = say("ok", train=tr, val=va, test=te)
    ratio = nums.get("test_over_val")
    if ratio is not None and math.isfinite(ratio) and ratio >= t.mismatch_ratio:
        # the test loss is far above the validation loss, but not beyond chance: say both
        return Sentence(s + say("ok_not_mismatch", ratio=f"{ratio:.1f}", p=p, alpha=alpha),
                        [Claim(te, ">", va), Claim(p, ">=", alpha)])
    return Sentence(t_("cli.sentence", lang, text=s), [])


def _p(p) -> str:
    return "—" if p is None or not math.isfinite(p) else f"{p:.3f}"
