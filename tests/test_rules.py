"""The choosing rules on validation losses made up to show each property (no training)."""
import math

import numpy as np
import pytest
from scipy import stats

from viewcast.evaluate.candidates import Candidate
from viewcast.evaluate.rules import (RATIO_POWER, SOFT_FLOOR, blend_of, choose, paired_gap, ratio_weights,
                                     soft_weights, within_noise)


def mk(spec: str, val, params: int = 1) -> Candidate:
    v = np.asarray(val, float)
    return Candidate(spec, params, v, v, None, None)


def reference_soft(vals: list[np.ndarray]) -> np.ndarray:
    """The soft rule written again from its definition with scipy: the best has the lowest geometric mean;
    z = mean log ratio / its standard error (scipy.stats.sem); weight exp(−z), under 1% dropped, summing to 1."""
    best = int(np.argmin([stats.gmean(v) for v in vals]))
    w = []
    for v in vals:
        d = np.log(v) - np.log(vals[best])
        z = 0.0 if d.mean() <= 0 else d.mean() / stats.sem(d)
        w.append(math.exp(-z))
    w = np.where(np.array(w) >= 0.01, w, 0.0)
    return w / w.sum()


@pytest.mark.parametrize("seed", range(5))
def test_soft_weights_match_a_reference_written_with_scipy(seed):
    rng = np.random.default_rng(seed)
    base = rng.uniform(50, 500, 8)  # 4 folds × 2 seeds, folds of very different loudness
    vals = [base * rng.lognormal(0.05 * i, 0.1, 8) for i in range(6)]
    got = {c.spec: w for c, w in soft_weights([mk(str(i), v) for i, v in enumerate(vals)])}
    want = reference_soft(vals)
    assert np.allclose([got.get(str(i), 0.0) for i in range(6)], want, rtol=1e-12, atol=0)
    assert math.isclose(sum(got.values()), 1.0)


def reference_ratio(vals: list[np.ndarray]) -> np.ndarray:
    """The ratio rule from its definition with scipy: weight (gmean of the best / gmean of each)^RATIO_POWER,
    under 1% of the best's dropped, summing to 1."""
    g = np.array([stats.gmean(v) for v in vals])
    w = (g.min() / g) ** RATIO_POWER
    w = np.where(w >= 0.01, w, 0.0)
    return w / w.sum()


@pytest.mark.parametrize("seed", range(5))
def test_ratio_weights_match_a_reference_written_with_scipy(seed):
    rng = np.random.default_rng(seed)
    base = rng.uniform(50, 500, 8)
    step = 0.75 / RATIO_POWER  # 0.15 for the power 5: the worst ~e^(5.25/RATIO_POWER) times worse, some left out
    vals = [base * rng.lognormal(step * i, 0.1, 8) for i in range(8)]
    cands = [mk(str(i), v) for i, v in enumerate(vals)]
    got = {c.spec: w for c, w in ratio_weights(cands)}
    want = reference_ratio(vals)
    assert np.allclose([got.get(str(i), 0.0) for i in range(8)], want, rtol=1e-12, atol=0)
    assert (want == 0).any() and math.isclose(sum(got.values()), 1.0)
    assert [c for c, _ in blend_of(cands, "ratio")] == [c for c, _ in ratio_weights(cands)]
    assert choose(cands, "ratio") is ratio_weights(cands)[0][0]  # the heaviest, first


def test_ratio_weights_known_values_and_scale():
    """10% worse on every fold weighs 1.1^−RATIO_POWER of the best; a fold ten times louder for every model,
    or every loss in other units, changes nothing; no standard error enters, so the weights are the same
    whether the ratio is steady or noisy across folds (soft's would not be)."""
    a = mk("a", [100., 200., 50., 80.])
    steady, noisy = mk("b", [110., 220., 55., 88.]), mk("b", [100., 242., 55., 80. * 1.1 ** 4 / 1.21 / 1.1])
    assert math.isclose(stats.gmean(noisy.val_mae) / stats.gmean(a.val_mae), 1.1)
    for b in (steady, noisy):
        w = dict((c.spec, x) for c, x in ratio_weights([b, a]))
        assert w["b"] / w["a"] == pytest.approx(1.1 ** -RATIO_POWER, rel=1e-12)
    loud = ratio_weights([mk("a", a.val_mae * [1, 10, 1, 1] * 7), mk("b", steady.val_mae * [1, 10, 1, 1] * 7)])
    assert [x for _, x in loud] == pytest.approx([x for _, x in ratio_weights([a, steady])], rel=1e-12)
    far = 1.05 * 0.01 ** (-1 / RATIO_POWER)  # just past the 1% floor: left out; just within it: kept
    assert [c.spec for c, _ in ratio_weights([a, mk("x", a.val_mae * far)])] == ["a"]
    assert [c.spec for c, _ in ratio_weights([a, mk("x", a.val_mae * far / 1.1)])] == ["a", "x"]
    assert ratio_weights([mk("nan", [np.nan] * 4)]) == []


def test_a_loud_fold_does_not_hide_a_model_twice_as_bad():
    """Worse by 50–200% on every fold (4 folds × 2 seeds), but one holiday fold is 10× the others: in views
    the paired gap's standard error is that fold's, and the gap is only ~1.6 standard errors (weights
    exp(−z) on views would give the worse model a fifth of the best's: wiki:Thanksgiving's linear models);
    as ratios it is clearly worse on every fold, and soft leaves it out."""
    best = mk("best", [100, 100, 100, 1000] * 2)
    worse = mk("worse", [150, 200, 250, 3000] * 2)
    gap, se = paired_gap(worse, best)
    assert 1 < gap / se < 2
    assert [c.spec for c, _ in soft_weights([best, worse])] == ["best"]


def test_soft_weights_do_not_change_when_one_fold_is_louder_for_every_model():
    a, b, c = [100., 120., 80., 90.], [110., 115., 95., 85.], [130., 150., 70., 100.]
    loud = lambda v: np.array(v) * [1, 1, 10, 1]  # noqa: E731  fold 3 ten times louder for all
    quiet = soft_weights([mk("a", a), mk("b", b), mk("c", c)])
    louder = soft_weights([mk("a", loud(a)), mk("b", loud(b)), mk("c", loud(c))])
    assert [x.spec for x, _ in quiet] == [x.spec for x, _ in louder]
    assert np.allclose([w for _, w in quiet], [w for _, w in louder], rtol=1e-12)


def test_soft_weights_move_smoothly_where_the_tie_set_jumps():
    """A second model whose paired gap sits at one standard error: a hair either side, 'tie' gives it half
    the forecast or none of it; 'soft' gives it about the same weight either way."""
    best = np.array([100., 200., 150., 120.])
    r = np.array([3., -2., 1., -2.])  # the gaps' spread about their mean
    se = r.std(ddof=1) / 2
    pair = lambda m: [mk("best", best), mk("other", best + m + r)]  # noqa: E731  mean gap m
    near, far = pair(se * (1 - 1e-3)), pair(se * (1 + 1e-3))
    assert [c.spec for c in within_noise(near)] == ["best", "other"] and [c.spec for c in within_noise(far)] == ["best"]
    w = lambda cands: dict((c.spec, x) for c, x in soft_weights(cands))["other"]  # noqa: E731
    assert abs(w(near) - w(far)) < 1e-3 and 0.2 < w(far) < 0.3  # z ≈ 1 on the log scale too: e⁻¹/(1 + e⁻¹) ≈ 0.27


def test_soft_edge_cases():
    a, nan = mk("a", [100., 120., 90.]), mk("nan", [np.nan, 1., 1.])
    assert [(c.spec, w) for c, w in soft_weights([nan, a])] == [("a", 1.0)]
    assert soft_weights([nan]) == [] and blend_of([nan], "soft") == [(nan, 1.0)]
    one = [mk("a", [100.]), mk("b", [101.])]  # one fold, one seed: no noise measured, the best alone
    assert [c.spec for c, _ in soft_weights(one)] == ["a"]
    same = [mk("a", [100., 120.]), mk("b", [100., 120.])]  # identical losses weigh the same; the first is best
    assert [(c.spec, w) for c, w in soft_weights(same)] == [("a", 0.5), ("b", 0.5)]
    perfect = [mk("a", [0., 10.]), mk("b", [1., 10.])]  # a perfect fold is not a log of zero
    assert all(math.isfinite(w) for _, w in soft_weights(perfect))


def test_blend_of_each_rule():
    a, b, far = mk("a", [100., 120., 90.], 50), mk("b", [101., 121., 89.], 5), mk("far", [130., 150., 120.])
    assert blend_of([far, b, a], "tie") == [(a, 0.5), (b, 0.5)]
    assert blend_of([far, b, a], "1se") == [(b, 1.0)] and blend_of([far, b, a], "min") == [(a, 1.0)]
    soft = blend_of([far, b, a], "soft")  # the known answer: the scipy reference's weights, far left out
    want = reference_soft([np.asarray(c.val_mae) for c in (a, b, far)])
    assert [c.spec for c, _ in soft] == ["a", "b"] and want[2] == 0
    assert [w for _, w in soft] == pytest.approx(list(want[:2]), rel=1e-12) and min(w for _, w in soft) >= SOFT_FLOOR


def test_soft_chooses_by_ratios_where_the_lowest_mean_is_another_model():
    """x is twice as good on a quiet fold and 10% worse on a loud one: the lowest mean is y's, the lowest
    geometric mean (ahead fold by fold, as ratios) is x's — soft's best; min and soft disagree, as they should."""
    x, y = mk("x", [10., 1000.] * 2), mk("y", [20., 900.] * 2)
    assert choose([x, y], "min").spec == "y" and choose([x, y], "soft").spec == "x"
    assert soft_weights([x, y])[0][0].spec == "x"
