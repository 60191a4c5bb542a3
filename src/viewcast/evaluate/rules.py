"""The rules that choose among validated candidates (chapter 2: choose by validation, never by the
test set), one registry entry each (`REGISTRY`: its name, whether it blends, the one sentence that says
it, and what it picks): the lowest mean ('min'), the simplest within one paired standard error ('1se'),
the mean of every candidate within it ('tie'), every candidate weighted by how clearly it is worse
('soft'), or by how much it is worse ('ratio', the forecast's). `blend_of` says what a rule forecasts
with: candidates and their weights.

>>> [r.name for r in REGISTRY.values() if r.blend]
['tie', 'soft', 'ratio']
>>> REGISTRY["ratio"].said
"every candidate weighted (the best's geometric-mean validation MAE ÷ its own)² of the best's weight"
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

import numpy as np

from ..errors import ViewcastError

if TYPE_CHECKING:  # only named in annotations: the Selector (and the CLI's help) reads the rules without torch
    from .candidates import Candidate

DEFAULT_RULE = "1se"  # cv's default (one hold-out window); the forecast's is its Selector's, 'ratio'
SOFT_FLOOR = 0.01  # soft, ratio: a candidate weighing less than this × the best's weight is left out
RATIO_POWER = 2  # 'ratio': weight (best's geometric-mean MAE ÷ the candidate's) to this power: inverse-MSE
#                  weighting (Bates & Granger), the MAE standing for the RMSE
RATIO_SAID = ("(the best's geometric-mean validation MAE ÷ its own)"
              + str(RATIO_POWER).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")))
RATIO_EXAMPLE = (f"10% worse weighs {1.1 ** -RATIO_POWER:.2f} of the best; under {SOFT_FLOOR:.0%} of the best's weight "
                 f"— {SOFT_FLOOR ** (-1 / RATIO_POWER):.3g} times worse — left out")
WEIGHTS_SAID = {  # how each weighted rule weighs a candidate, as the reports say it
    "soft": "exp(−z), z how many paired standard errors its log-MAE ratio to the best is",
    "ratio": f"{RATIO_SAID} of the best's weight"}


@dataclass(frozen=True)
class Rule:
    name: str
    blend: bool  # forecasts a weighted mean of several candidates (each refit), not one
    said: str  # the one sentence that says how it chooses, for help texts, reports and docs
    pick: Callable[[list], list]  # candidates → [(candidate, weight)], the chosen first, weights summing to 1


def _one(rule: str) -> Callable[[list], list]:
    return lambda cands: [(choose(cands, rule), 1.0)] if cands else []


def _tie(cands: list) -> list:
    within = within_noise(cands)
    return [(c, 1 / len(within)) for c in within]


REGISTRY: dict[str, Rule] = {r.name: r for r in (
    Rule("1se", False, "the simplest candidate within one paired standard error of the best", _one("1se")),
    Rule("min", False, "the candidate with the lowest mean validation MAE", _one("min")),
    Rule("tie", True, "the mean of the best and every candidate within one paired standard error of it", _tie),
    Rule("soft", True, f"every candidate weighted {WEIGHTS_SAID['soft']}", lambda c: soft_weights(c)),
    Rule("ratio", True, f"every candidate weighted {WEIGHTS_SAID['ratio']}", lambda c: ratio_weights(c)),
)}
RULES = tuple(REGISTRY)
BLENDS = tuple(n for n, r in REGISTRY.items() if r.blend)  # the rules whose forecast is a weighted mean


def check_rule(rule: str) -> str:
    """The rule, or a one-line error before any training."""
    if rule not in REGISTRY:
        raise ViewcastError(f"use {', '.join(RULES[:-1])} or {RULES[-1]}", param="rule", value=rule)
    return rule


def paired_gap(c: Candidate, best: Candidate) -> tuple[float, float]:
    """(mean, standard error) of c's validation MAE minus best's over the same folds × seeds: the
    difference between two models on the same days is far less noisy than either model's spread."""
    d = np.asarray(c.val_mae, float) - np.asarray(best.val_mae, float)
    if len(d) < 2:  # one fold and one seed: no measure of the noise, so no difference is within it
        return float(np.mean(d)), 0.0
    return float(np.mean(d)), float(np.std(d, ddof=1) / math.sqrt(len(d)))


def choose(cands: list[Candidate], rule: str = DEFAULT_RULE) -> Candidate:
    """The candidate validation chooses. 'min': the lowest mean validation MAE. '1se': among the
    candidates whose gap to that lowest is within one standard error of the gap (paired over folds ×
    seeds), the simplest — fewest parameters, then no weekday, then no log: a difference validation
    cannot tell from noise does not buy flexibility. 'tie' averages every candidate within the noise
    (`within_noise`); its first, the lowest mean, is returned here. 'soft' and 'ratio' weigh every
    candidate (`soft_weights`, `ratio_weights`); their heaviest, the lowest geometric mean, is returned here. NaN (e.g. a diverged
    run) ranks last.

    >>> from viewcast.evaluate.candidates import Candidate
    >>> mk = lambda spec, p, v: Candidate(spec, p, np.array(v), np.array(v), None, None)
    >>> big, small = mk("relu:56x100", 5801, [100., 120., 90.]), mk("linear:56", 57, [101., 121., 89.])
    >>> choose([big, small], "min").spec, choose([big, small], "1se").spec
    ('relu:56x100', 'linear:56')
    >>> far = mk("linear:56", 57, [130., 150., 120.])
    >>> choose([big, far], "1se").spec
    'relu:56x100'
    >>> choose([mk("relu:56x100", 5801, [100.]), mk("linear:56", 57, [101.])], "1se").spec
    'relu:56x100'
    """
    check_rule(rule)
    within = within_noise(cands)
    if not within:
        return cands[0]
    if rule in ("min", "tie"):
        return within[0]
    if rule in ("soft", "ratio"):
        return blend_of(cands, rule)[0][0]
    return min(within, key=lambda c: (c.params, c.features.weekday, c.features.log, c.pooled, c.val_mean))


def within_noise(cands: list[Candidate]) -> list[Candidate]:
    """The best candidate (lowest mean validation MAE) first, then every other whose gap to it is
    within one paired standard error, by mean; [] when none has a finite validation loss.

    >>> from viewcast.evaluate.candidates import Candidate
    >>> mk = lambda spec, v: Candidate(spec, 1, np.array(v), np.array(v), None, None)
    >>> a, b, far = mk("a", [100., 120., 90.]), mk("b", [101., 121., 89.]), mk("far", [130., 150., 120.])
    >>> [c.spec for c in within_noise([far, b, a])], within_noise([mk("nan", [np.nan])])
    (['a', 'b'], [])
    """
    finite = sorted((c for c in cands if math.isfinite(c.val_mean)), key=lambda c: c.val_mean)
    if not finite:
        return []
    best, out = finite[0], [finite[0]]
    for c in finite[1:]:
        gap, se = paired_gap(c, best)
        if gap <= se:
            out.append(c)
    return out


def soft_weights(cands: list[Candidate]) -> list[tuple[Candidate, float]]:
    """Rule 'soft': every candidate weighted by how clearly validation says it is worse than the best,
    heaviest first. Each fold × seed compares the two on the same days as a ratio, d = log(MAE_c / MAE_best)
    — a fold with a holiday spike can have ten times the MAE of a quiet one, and a difference in views
    would be that one fold's — and z = mean(d) / its standard error; the weight is exp(−z), 1 for the
    best (the lowest geometric mean MAE), ~0.37 a standard error behind. The weights move smoothly with
    the validation losses, so the forecast does too, where a cut-off (1-SE, tie) flips between models.
    A candidate weighing under SOFT_FLOOR (1%) of the best's weight is dropped (not refit); the rest are
    scaled to sum to 1. One fold and one seed give no measure of the noise: the best alone (and any with
    the very same loss). [] when none has a finite loss.

    >>> from viewcast.evaluate.candidates import Candidate
    >>> mk = lambda spec, v: Candidate(spec, 1, np.array(v), np.array(v), None, None)
    >>> a, b = mk("a", [100., 200., 50.]), mk("b", [110., 180., 60.])
    >>> [(c.spec, round(w, 3)) for c, w in soft_weights([b, a])]
    [('a', 0.662), ('b', 0.338)]
    >>> [c.spec for c, _ in soft_weights([a, mk("x1.1", [110., 220., 55.])])]  # 10% worse on every fold: no doubt
    ['a']
    """
    def weight(d: np.ndarray) -> float:
        gap = float(d.mean())
        se = float(d.std(ddof=1) / math.sqrt(len(d))) if len(d) > 1 else 0.0
        return math.exp(-(0.0 if gap <= 0 else gap / se if se > 0 else math.inf))

    return _weighted(cands, weight)


def ratio_weights(cands: list[Candidate]) -> list[tuple[Candidate, float]]:
    """Rule 'ratio' (forecast's default): every candidate weighted by how much worse validation finds
    it than the best, as a ratio of geometric means over the folds × seeds: weight (G_best / G_c)^2,
    i.e. exp(−2 · mean log(MAE_c / MAE_best)) — 1 for the best, 0.83 for one 10% worse, 0.25 for twice,
    under SOFT_FLOOR (1%, 10 times worse) left out; the rest scaled to sum to 1. Unlike 'soft' no
    standard error enters, so a noisy estimate of the noise does not move the weights: across seeds it
    was the steadiest rule at the best median measured (docs/selector-study.md). [] when none has a finite loss.

    >>> from viewcast.evaluate.candidates import Candidate
    >>> mk = lambda spec, v: Candidate(spec, 1, np.array(v), np.array(v), None, None)
    >>> a, b = mk("a", [100., 200., 50.]), mk("b", [110., 220., 55.])
    >>> [(c.spec, round(w, 3)) for c, w in ratio_weights([b, a])]  # b: 1.1⁻² = 0.826 of a's weight
    [('a', 0.548), ('b', 0.452)]
    >>> [c.spec for c, _ in ratio_weights([a, mk("x3", [300., 600., 150.])])]  # 3× worse: 3⁻² = 0.11
    ['a', 'x3']
    >>> [c.spec for c, _ in ratio_weights([a, mk("x11", [1100., 2200., 550.])])]  # 11× worse: 11⁻² < 1%
    ['a']
    """
    return _weighted(cands, lambda d: math.exp(-RATIO_POWER * float(d.mean())))


def _weighted(cands: list[Candidate], weight) -> list[tuple[Candidate, float]]:
    """[(candidate, weight)] by `weight(d)` of each candidate's log MAE ratios d to the best (the lowest
    geometric mean) fold by fold: the best first, then by weight; under SOFT_FLOOR of the best's left out;
    summing to 1."""
    finite = [c for c in cands if math.isfinite(c.val_mean)]
    if not finite:
        return []
    logs = [np.log(np.maximum(np.asarray(c.val_mae, float), 1e-12)) for c in finite]  # a perfect fold: 1e-12 views
    best = min(range(len(finite)), key=lambda i: (logs[i].mean(), i))
    out = [(c, w) for c, lg in zip(finite, logs) for w in [weight(lg - logs[best])] if w >= SOFT_FLOOR]
    out.sort(key=lambda cw: (cw[0] is not finite[best], -cw[1]))  # the best first, then by weight
    total = sum(w for _, w in out)
    return [(c, w / total) for c, w in out]


def blend_of(cands: list[Candidate], rule: str) -> list[tuple[Candidate, float]]:
    """What a rule forecasts with: [(candidate, weight)], the chosen first, weights summing to 1 (the
    registry's `pick`); when a blend keeps none (no finite loss), the rule's choice alone."""
    return REGISTRY[check_rule(rule)].pick(cands) or [(choose(cands, rule), 1.0)]


def near_tie(chosen: Candidate, cands: list[Candidate]) -> dict | None:
    """The closest other candidate when validation cannot tell it from the chosen one (within one
    paired standard error), else None."""
    others = [c for c in cands if c is not chosen and math.isfinite(c.val_mean)]
    if not others:
        return None
    c = min(others, key=lambda c: abs(c.val_mean - chosen.val_mean))
    mean, se = paired_gap(c, chosen)
    return {"model": c.label, "gap": mean, "se": se} if abs(mean) <= se else None


def blend_label(labels: list[str], weights: list[float] | None = None) -> str:
    """'mean of A | B' for equal weights, 'mean of A 62% | B 38%' for unequal ones.

    >>> blend_label(["a", "b"], [0.5, 0.5]), blend_label(["a", "b"], [0.625, 0.375])
    ('mean of a | b', 'mean of a 62% | b 38%')
    """
    return "mean of " + " | ".join(blend_items(labels, weights))


def equal_weights(weights) -> bool:
    """No weights, or all the same (a 'tie' blend): what a reader of format 2 or a plain mean can take."""
    return weights is None or len(weights) == 0 or float(max(weights)) - float(min(weights)) < 1e-9


def blend_items(labels: list[str], weights: list[float] | None = None, paren: bool = False) -> list[str]:
    """Each member of a blend, with its weight when the weights differ ('a 62%', or 'a (62%)')."""
    if equal_weights(weights):
        return list(labels)
    return [f"{lab} ({w:.0%})" if paren else f"{lab} {w:.0%}" for lab, w in zip(labels, weights)]
