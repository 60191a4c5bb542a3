import numpy as np
import pandas as pd
import pytest

from viewcast.errors import ViewcastError
from viewcast.evaluate.validation import RANDOM_WARNING, Scheme, parse_scheme, split_indices
from viewcast.evaluate.select import select, select_many
from viewcast.data.series import DailySeries
from viewcast.train import TrainConfig
from viewcast.features import choose_split, prepare
from viewcast import models
from viewcast.forecasting import Selector

from conftest import weekly_series


def as_lists(folds):
    return [(tr.tolist(), va.tolist()) for tr, va in folds]


def test_kfold_exact_indices():
    assert as_lists(split_indices(7, parse_scheme("kfold:3"))) == [
        ([3, 4, 5, 6], [0, 1, 2]), ([0, 1, 2, 5, 6], [3, 4]), ([0, 1, 2, 3, 4], [5, 6])]


def test_timeseries_exact_indices_with_gap():
    assert as_lists(split_indices(10, parse_scheme("timeseries:3", gap=1))) == [
        ([0, 1, 2], [4, 5]), ([0, 1, 2, 3, 4], [6, 7]), ([0, 1, 2, 3, 4, 5, 6], [8, 9])]


def test_holdout_is_the_last_part_in_time_order():
    assert as_lists(split_indices(10, parse_scheme("holdout:0.2"))) == [([0, 1, 2, 3, 4, 5, 6, 7], [8, 9])]
    assert as_lists(split_indices(10, parse_scheme("holdout:0.2", gap=2))) == [([0, 1, 2, 3, 4, 5], [8, 9])]


def test_random_split_is_reproducible():
    a = as_lists(split_indices(20, parse_scheme("random:0.25"), seed=3))
    assert a == as_lists(split_indices(20, parse_scheme("random:0.25"), seed=3))
    assert len(a[0][1]) == 5 and sorted(a[0][0] + a[0][1]) == list(range(20))


@pytest.mark.parametrize("bad", ["loo:3", "kfold:1", "kfold:2.5", "holdout:1.5", "holdout:x"])
def test_bad_schemes(bad):
    with pytest.raises(ViewcastError):
        parse_scheme(bad)


@pytest.mark.parametrize("scheme", ["holdout:0.1", "random:0.1", "kfold:5", "timeseries:5"])
def test_no_validation_window_touches_the_test_period(scheme):
    s = DailySeries("w", weekly_series(800), pd.Timestamp("2020-01-01"))
    split = choose_split(s)
    data = prepare(s, 28, split)
    for tr, va in split_indices(len(data.train), parse_scheme(scheme)):
        dates = data.train.dates[va]
        assert dates.max() <= split.train_end < split.test_start
        # nor does any input day of a validation window come from the test period
        assert (dates.max() - pd.Timedelta(days=1)) < split.test_start


@pytest.fixture(scope="module")
def weekly():
    s = DailySeries("weekly", weekly_series(700), pd.Timestamp("2020-01-01"))
    return s, choose_split(s)


def test_select_picks_the_model_that_sees_the_week(weekly):
    s, split = weekly
    sel = select(s, split, ["linear:1", "linear:7"], parse_scheme("kfold:3"), TrainConfig(epochs=400))
    assert sel.chosen.spec == "linear:7"  # a weekly cycle: a 1-day window cannot see it
    assert sel.others_test is None  # the test period is scored once, for the chosen model only
    assert np.isfinite(sel.refit.test["mae"])
    m = {x["model"]: x for x in sel.margins()}
    assert m["linear:7"]["delta"] == 0 and m["linear:1"]["delta"] > 0


def test_random_scheme_warns(weekly):
    s, split = weekly
    sel = select(s, split, ["linear:7"], parse_scheme("random:0.1"), TrainConfig(epochs=50))
    assert sel.warnings == [RANDOM_WARNING]


@pytest.mark.parametrize("scheme, seeds, rule, early_stop, ensemble", [
    ("holdout:0.2", (0,), "min", 20, 1), ("rolling:4", (0, 1), "1se", 20, 1), ("rolling:4", (0, 1), "tie", 20, 1),
    ("rolling:4", (0, 1, 2, 3), Selector.DEFAULT.rule, None, 1)])  # weights as the forecast's default weighs
def test_nothing_after_training_is_used_to_choose(weekly, scheme, seeds, rule, early_stop, ensemble):
    """Multiply every test-period value by 10: the validation losses and the choice stay the same —
    for the old selector (one hold-out window) and the newer ones (rolling origins, two seeds, the 1-SE
    rule or the mean of the tie set), and forecast's default (the ratio weights of whole-schedule runs)."""
    from viewcast.features import SEARCH

    s, split = weekly
    cut = (split.test_start - s.start).days
    v = s.values.copy()
    v[cut:] *= 10
    changed = DailySeries(s.name, v, s.start)
    args = (["linear:7", "relu:7x8"], parse_scheme(scheme), TrainConfig(epochs=60, early_stop=early_stop), seeds)
    a = select(s, split, *args, features=SEARCH, rule=rule, ensemble=ensemble)
    b = select(changed, split, *args, features=SEARCH, rule=rule, ensemble=ensemble)
    assert [c.label for c in a.candidates] == [c.label for c in b.candidates]
    assert all(np.array_equal(x.val_mae, y.val_mae) for x, y in zip(a.candidates, b.candidates))
    assert a.chosen.label == b.chosen.label
    assert [c.label for c in a.blend] == [c.label for c in b.blend] and a.blend_weights == b.blend_weights
    assert b.test["mae"] > 5 * a.test["mae"]  # the test period did change


def test_tie_rule_averages_every_candidate_validation_cannot_tell_apart():
    """White noise around 100, a draw where validation cannot tell linear:14 from linear:7 (a gap of
    0.03 views with a paired standard error of 0.05; on other draws the longer window's extra weights
    cost it more than the noise): the 'tie' rule refits both and forecasts their mean; the test score is
    the mean forecast's, checked against the two models refit on their own."""
    from viewcast.evaluate.rules import within_noise
    from viewcast.features import prepare_all
    from viewcast.train import fit

    rng = np.random.default_rng(5)
    s = DailySeries("noise", 100 + rng.normal(0, 5, 500), pd.Timestamp("2020-01-01"))
    split = choose_split(s)
    config = TrainConfig(epochs=150)
    sel = select(s, split, ["linear:7", "linear:14"], parse_scheme("kfold:4"), config, (0, 1), rule="tie")
    assert len(sel.blend) == 2 and [c.label for c in sel.blend] == [c.label for c in within_noise(sel.candidates)]
    assert sel.blend[0] is sel.chosen
    preds = []
    for c in sel.blend:
        d = prepare_all(s, [7, 14], split, config.normalize, c.features)[models.parse(c.spec).k]
        preds.append(fit(c.spec, d, config).predict(d.test.X, d.test.dates))
    y = prepare_all(s, [7, 14], split, config.normalize, sel.chosen.features)[14].test.y
    assert sel.test["mae"] == pytest.approx(float(np.mean(np.abs(np.mean(preds, 0) - y))), rel=1e-9)
    assert sel.as_dict()["chosen"]["blend"][1]["model"] == sel.blend[1].label
    assert sel.as_dict()["chosen"]["test_mae"] == sel.test["mae"]
    from viewcast.cli.views.selection import selection

    said = " ".join(str(x) for x in selection(sel))
    assert "linear:7, linear:14" in said and "their mean" in said


@pytest.mark.parametrize("rule, draw", [("soft", 1), ("ratio", 7)])
def test_weighted_rules_weigh_every_candidate_and_score_their_weighted_mean(rule, draw):
    """White noise (a weekday does not matter to it): `--rule soft` (draw 1) and `--rule ratio` (draw 7)
    refit linear:7 and linear:7 +weekday and forecast their mean weighted by rules.soft_weights or
    ratio_weights; the test score is that mean's, checked against the two models refit on their own; the
    report says the weights."""
    from viewcast.evaluate.rules import ratio_weights, soft_weights
    from viewcast.features import Features, prepare_all
    from viewcast.train import fit

    rng = np.random.default_rng(draw)
    s = DailySeries("noise", 100 + rng.normal(0, 5, 500), pd.Timestamp("2020-01-01"))
    split = choose_split(s)
    config = TrainConfig(epochs=150)
    sel = select(s, split, ["linear:7"], parse_scheme("kfold:4"), config, (0, 1), rule=rule,
                 features=(Features(), Features(weekday=True)))
    want = (soft_weights if rule == "soft" else ratio_weights)(sel.candidates)
    assert [(c.label, w) for c, w in zip(sel.blend, sel.blend_weights)] == [(c.label, w) for c, w in want]
    assert len(sel.blend) == 2 and sel.blend[0] is sel.chosen and 0.51 < sel.blend_weights[0] < 0.95  # ratio: 51/49
    preds = []
    for c in sel.blend:
        d = prepare_all(s, [7], split, config.normalize, c.features)[7]
        preds.append(fit(c.spec, d, config).predict(d.test.X, d.test.dates))
    y = prepare_all(s, [7], split, config.normalize, sel.chosen.features)[7].test.y
    mean = np.average(preds, 0, weights=sel.blend_weights)
    assert sel.test["mae"] == pytest.approx(float(np.mean(np.abs(mean - y))), rel=1e-9)
    assert [b["weight"] for b in sel.as_dict()["chosen"]["blend"]] == sel.blend_weights
    from viewcast.cli.views.selection import selection

    said = " ".join(str(x) for x in selection(sel))
    assert f"{sel.blend[0].label} ({sel.blend_weights[0]:.0%})" in said and "weighted mean" in said
    from viewcast.evaluate.rules import WEIGHTS_SAID

    other = "ratio" if rule == "soft" else "soft"
    assert WEIGHTS_SAID[rule] in said and WEIGHTS_SAID[other] not in said  # the text names its own rule's weights


def test_tie_rule_is_refused_with_a_global_model(weekly):
    s, split = weekly
    with pytest.raises(ViewcastError, match="use 1se or min"):
        select_many([DailySeries("a", s.values, s.start), DailySeries("b", s.values * 2, s.start)], [split, split],
                    ["linear:7"], parse_scheme("holdout:0.2"), TrainConfig(epochs=10), rule="tie", pooled=True)


def test_sklearn_split_errors_become_one_line():
    with pytest.raises(ViewcastError, match="timeseries:5"):
        split_indices(30, parse_scheme("timeseries:5", gap=25))
    with pytest.raises(ViewcastError, match="random"):
        split_indices(5, parse_scheme("random:0.9999"))


def test_refit_after_early_stop_takes_exactly_the_best_number_of_updates(weekly):
    s, split = weekly
    sel = select(s, split, ["relu:7x16"], parse_scheme("holdout:0.2"), TrainConfig(epochs=300, early_stop=10, lr=0.05))
    assert sel.refit.updates == max(1, int(np.median(sel.chosen.best_update)))


def test_a_log_scale_is_refused_for_negatives_anywhere_and_never_offered_by_a_search():
    from viewcast.errors import DataError
    from viewcast.features import Features, prepare

    values = weekly_series(400).astype(float)
    values[-5] = -3.0  # a net change below zero, in the test period only
    s = DailySeries("net", values, pd.Timestamp("2020-01-01"))
    split = choose_split(s)
    with pytest.raises(DataError, match="negative"):
        prepare(s, 7, split, features=Features(log=True))
    from viewcast.features import SEARCH

    sel = select(s, split, ["linear:7"], parse_scheme("holdout:0.2"), TrainConfig(epochs=50), features=SEARCH)
    assert {c.features.log for c in sel.candidates} == {False} and len(sel.candidates) == 2


def test_a_bad_rule_or_tie_with_a_global_model_is_refused_before_any_training(weekly, monkeypatch):
    import importlib

    from viewcast.many.jobs import Job

    sel_mod = importlib.import_module("viewcast.evaluate.select")
    fc_mod = importlib.import_module("viewcast.forecasting.forecast")  # the module, not the function it exports

    def no_training(*a, **k):
        raise AssertionError("trained before refusing")

    monkeypatch.setattr(sel_mod, "compare_many", no_training)
    monkeypatch.setattr(fc_mod, "run_candidate", no_training)
    s, split = weekly
    with pytest.raises(ViewcastError, match="use 1se, min, tie, soft or ratio"):
        select(s, split, ["linear:7"], parse_scheme("holdout:0.2"), TrainConfig(epochs=10), rule="bogus")
    with pytest.raises(ViewcastError, match="use 1se, min, tie, soft or ratio"):
        import viewcast as vc

        vc.forecast(s, days=1, models=["linear:7"], rule="bogus")
    with pytest.raises(ViewcastError, match="with --global use 1se or min"):
        Job("cv", ("linear:7",), pooled=True, rule="tie")


def test_a_scheme_built_in_python_is_held_to_the_same_gap_rules():
    """Scheme("kfold", 5, gap=7) is refused as `--val kfold:5 --gap 7` is; a gap given beside a Scheme is kept."""
    for kind, value in (("kfold", 5), ("random", 0.1)):
        with pytest.raises(ViewcastError, match="a gap is for holdout, timeseries and rolling"):
            Scheme(kind, value, gap=7)
    with pytest.raises(ViewcastError, match="≥ 0 days"):
        Scheme("holdout", 0.1, gap=-1)
    assert parse_scheme(Scheme("holdout", 0.2), gap=2) == Scheme("holdout", 0.2, 2)
    assert as_lists(split_indices(10, parse_scheme(Scheme("holdout", 0.2), gap=2))) == [([0, 1, 2, 3, 4, 5], [8, 9])]
