"""The honest forecast: conformal intervals with the coverage they promise, validation blocks that never
see the future, one network for many series that reads every series alike, a refit through the last
day, and the same numbers by every path."""
import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import viewcast as vc
from viewcast.cli import app
from viewcast.data.series import DailySeries
from viewcast.errors import DataError, ViewcastError
from viewcast.features import Features, Scaler
from viewcast.forecasting import Calibration, Selector, forecast, forecast_many
from viewcast.forecasting.blocks import blocks
from viewcast.forecasting.conformal import conformal_quantile
from viewcast.forecasting.paths import paths
from viewcast.forecasting.recursive import Group, run_paths
from viewcast.forecasting.validate import row_weights, run_candidate
from viewcast.train import TrainConfig

from conftest import daily_csv, weekly_series

runner = CliRunner()
# small, fast selectors on purpose: each test checks a property, not the default's accuracy
LINEAR = Selector(models=("linear:7",), features=(Features(),), pooled=False, seeds=1, ensemble=1, epochs=None,
                  weight_power=0.0)


def test_conformal_quantiles_of_gaussian_residuals_are_the_normal_quantiles():
    rng = np.random.default_rng(0)
    r = rng.normal(0, 1, size=(20000, 2))  # two horizons, N(0, 1) residuals
    cal = Calibration.from_residuals(r, np.zeros_like(r), log=False)
    assert cal.q[:, 0] == pytest.approx(1.2816, abs=0.03)  # |N(0,1)| 80% quantile
    assert cal.q[:, 1] == pytest.approx(1.9600, abs=0.05)
    fresh = np.abs(rng.normal(0, 1, 20000))  # new days: covered as often as promised
    assert np.mean(fresh <= cal.q[0, 0]) == pytest.approx(0.80, abs=0.01)
    assert np.mean(fresh <= cal.q[0, 1]) == pytest.approx(0.95, abs=0.006)


def test_the_conformal_rank_is_the_finite_sample_one():
    assert conformal_quantile(np.array([3.0, 1.0, 2.0, 4.0]), 0.2) == 4.0  # ⌈5 × 0.8⌉ = 4th smallest
    assert conformal_quantile(np.array([3.0, 1.0, 2.0, np.nan, 4.0]), 0.4) == 3.0  # NaN ignored: ⌈5 × 0.6⌉ = 3rd
    assert conformal_quantile(np.arange(10.0), 0.05) == np.inf  # 10 scores cannot promise 95%


def test_log_scale_intervals_are_multiplicative():
    cal = Calibration(True, (0.8,), np.array([[np.log(2.0)]]), np.array([100]))
    lo, hi = cal.interval(np.array([99.0]), 0.8)  # log(1 + 99) ± log 2 → 100/2 − 1, 100·2 − 1
    assert lo[0] == pytest.approx(49.0) and hi[0] == pytest.approx(199.0)


def test_paths_feed_predictions_back():
    last_plus = lambda X, d: X[:, -1] + 1.0  # noqa: E731
    out = paths(last_plus, np.arange(20.0), np.array([10, 15]), k=3, days=4, start=pd.Timestamp("2021-01-01"))
    assert out.tolist() == [[10.0, 11.0, 12.0, 13.0], [15.0, 16.0, 17.0, 18.0]]
    raised = np.zeros((1, 3), dtype=bool)
    falling = lambda X, d: X[:, -1] - 4.0  # noqa: E731
    out = paths(falling, np.array([9.0, 6.0]), np.array([2]), k=1, days=3, start=pd.Timestamp("2021-01-01"),
                floor=0.0, raised=raised)
    assert out.tolist() == [[2.0, 0.0, 0.0]] and raised.tolist() == [[False, True, True]]


def test_batched_paths_of_many_series_equal_each_series_alone():
    """run_paths (every window of every series in one forward pass per day, each series its own scaler)
    against paths() one series at a time, with the same network: the same numbers."""
    import torch

    from viewcast.train import predict

    torch.manual_seed(0)
    net = vc.build("relu:7x8", extra_inputs=7).eval()
    rng = np.random.default_rng(0)
    a, b = 100 + rng.normal(0, 5, 60), 5000 + rng.normal(0, 300, 60)
    scalers = [Scaler.fit(a, log=True, diff=True), Scaler.fit(b)]
    start = pd.Timestamp("2021-03-01")
    starts = np.array([20, 33, 59])
    want = [paths(lambda X, d, sc=sc: predict(net, sc, X, d, True), v, starts, 7, 4, start, 0.0)
            for v, sc in zip((a, b), scalers)]
    windows = np.vstack([np.stack([v[t - 7:t] for t in starts]) for v in (a, b)])
    first = np.tile((np.datetime64("2021-03-01") + starts).astype("datetime64[D]"), 2)
    got = run_paths(net, [Group(scalers[0], 0, 3), Group(scalers[1], 3, 6)], windows, first, 4, weekday=True)
    np.testing.assert_allclose(got, np.vstack(want), rtol=1e-6)


def test_blocks_cover_the_last_year_or_the_recent_half_of_a_short_series():
    assert blocks(1000, 56, 2, 364) == [(636, 818), (818, 1000)]
    assert blocks(200, 28, 1, 364) == [(114, 200)]  # (200 − 28) / 2 = 86 days
    with pytest.raises(DataError, match="no room to validate"):
        blocks(60, 56, 4, 364)


def test_row_weights_are_the_level_over_the_weekly_change():
    w = vc.make_windows(np.r_[np.full(14, 10.0), np.full(14, 40.0)], 1, pd.Timestamp("2021-01-01"))
    rows = np.arange(len(w))
    level = w.X[:, -1] / np.mean(np.abs(w.y[7:] - w.y[:-7]))
    np.testing.assert_allclose(row_weights(w, rows, 0.5), np.sqrt(level) / np.sqrt(level).mean())
    assert (row_weights(w, rows, 0.0) == 1).all()


@pytest.fixture(scope="module")
def weekly():
    return DailySeries("weekly", weekly_series(800), pd.Timestamp("2020-01-01"))


def test_validation_blocks_never_see_the_days_after_they_start(weekly):
    """Two blocks: the days from the second block's first day on are multiplied by 10. The first block's
    networks never saw them, so its forecasts whose whole path lies before that day do not move; the
    second block's networks and the refit did see the first block's days, not the change."""
    cfg = TrainConfig(epochs=100)
    kw = dict(folds=2, seeds=1, ensemble=1, horizon=3, config=cfg, days=112)
    a = run_candidate("linear:14", Features(), [weekly], **kw)
    second = (a.origins[0][1] - weekly.start).days
    changed = weekly.values.copy()
    changed[second:] *= 10
    b = run_candidate("linear:14", Features(), [DailySeries("weekly", changed, weekly.start)], **kw)
    before = (a.starts[0] + pd.Timedelta(days=2)) < a.origins[0][1]  # the whole 3-day path before the change
    assert before.sum() == 56 - 2
    assert np.array_equal(a.paths[0][before], b.paths[0][before])
    assert a.val_mae[0][0] != b.val_mae[0][0] or True  # (block 1 is scored on changed days? no: before them)
    assert a.val_mae[0][0] == b.val_mae[0][0] and a.val_mae[0][1] != b.val_mae[0][1]


def test_a_global_model_reads_every_series_alike():
    """One network for two series, one ten times the other: on a log scale of changes from the last day
    (and row weights of level ÷ weekly change) they are the same series to it, so the forecast of the
    big one is ten times the small one's (but for the +1 of log1p), intervals too."""
    small = DailySeries("small", weekly_series(600, seed=3), pd.Timestamp("2020-01-01"))
    big = DailySeries("big", small.values * 10, small.start)
    sel = Selector(models=("relu:14x8",), seeds=1, ensemble=2, epochs=20, max_updates=60)
    fs, fb = forecast_many([small, big], 3, sel)
    assert fs.refit.model is fb.refit.model  # one network
    np.testing.assert_allclose(fb.forecast, 10 * fs.forecast, rtol=2e-3)
    np.testing.assert_allclose(fb.upper[95], 10 * fs.upper[95], rtol=2e-3)


def test_one_series_pooled_is_that_series_alone(weekly):
    sel = Selector(models=("relu:14x8",), seeds=1, ensemble=1, epochs=20, max_updates=40)
    a = forecast(weekly, 2, sel)
    b = forecast(weekly, 2, sel.but(pooled=False))
    assert np.array_equal(a.forecast, b.forecast) and not a.candidates[0].pooled  # a global model of one is it alone


def test_same_seed_same_forecast_another_seed_another(weekly):
    sel = Selector(models=("relu:14x8",), seeds=1, ensemble=2, epochs=20, max_updates=40)
    a, b = forecast(weekly, 3, sel, TrainConfig(seed=4)), forecast(weekly, 3, sel, TrainConfig(seed=4))
    c = forecast(weekly, 3, sel, TrainConfig(seed=5))
    assert np.array_equal(a.forecast, b.forecast) and np.array_equal(a.upper[80], b.upper[80])
    assert not np.allclose(a.forecast, c.forecast, rtol=1e-6)


def test_forecast_intervals_cover_a_known_noise():
    """A weekly cycle plus N(0, σ=150) noise. The best linear:28 forecast averages the same weekday of the
    last 4 weeks, so its error is ε_t − mean of 4 past ε: σ·√(1 + 1/4). The 80% interval is about ±1.28
    of that, calibrated on the last year's block, and it holds on the 200 days that follow."""
    rng = np.random.default_rng(1)
    t = np.arange(1200)
    clean = 5000 * np.array([1.0, 1.05, 1.05, 1.0, 0.85, 0.55, 0.6])[t % 7]
    s = DailySeries("noisy", clean + rng.normal(0, 150, 1200), pd.Timestamp("2020-01-01"))
    past = DailySeries("noisy", s.values[:1000], s.start)
    f = forecast(past, 1, LINEAR.but(models=("linear:28",)), TrainConfig(epochs=300))
    half80 = (f.upper[80][0] - f.lower[80][0]) / 2
    assert half80 == pytest.approx(1.2816 * 150 * np.sqrt(1.25), rel=0.12)
    from viewcast.train import predict

    X = np.stack([s.values[i - 28:i] for i in range(1000, 1200)])
    err = np.abs(predict(f.refit.model, f.refit.scaler, X) - s.values[1000:1200])
    assert np.mean(err <= f.calibration.q[0, 0]) == pytest.approx(0.80, abs=0.07)
    assert np.mean(err <= f.calibration.q[0, 1]) == pytest.approx(0.95, abs=0.04)


def test_forecast_of_a_falling_series_is_clipped_at_zero_and_says_so():
    values = np.maximum(0.0, 3000 - 4.0 * np.arange(760)) + 5 * (np.arange(760) % 7)
    s = DailySeries("falling", values, pd.Timestamp("2021-01-01"))
    f = forecast(s, 5, LINEAR, TrainConfig(epochs=300))
    assert (f.forecast >= 0).all() and all((f.lower[lv] >= 0).all() for lv in f.lower)
    assert any("never negative" in n for n in f.notes)


def test_a_series_with_negative_days_gets_the_default_without_the_log_scale():
    values = weekly_series(700) - 3000.0
    assert (values < 0).any()
    s = DailySeries("shifted", values, pd.Timestamp("2020-01-01"))
    f = forecast(s, 2, Selector.QUICK.but(epochs=10, max_updates=30))
    assert f.chosen.features == Features(diff=True, weekday=True) and np.isfinite(f.forecast).all()


def test_selector_is_a_value_with_its_defaults_said_once():
    d = Selector.DEFAULT
    assert d.but() == d and d.but(models="relu:7x8, linear:7").models == ("relu:7x8", "linear:7")
    assert d.but(rule=None) == d  # None leaves a setting as it is
    with pytest.raises(ViewcastError, match="rule='best': use 1se"):
        d.but(rule="best")
    with pytest.raises(ViewcastError, match="rolling:N"):
        d.but(validation="kfold:5")
    assert d.config(rows=2_800).epochs == 100 and d.config(rows=600_000).epochs == 3  # at most 2,000 updates
    assert d.config(rows=2_800).weight_decay == 0.0 and d.but(weight_decay=1e-3).config(rows=2_800).weight_decay == 1e-3
    assert d.but(weight_decay=1e-3).config(rows=2_800, base=TrainConfig(weight_decay=5e-4)).weight_decay == 5e-4
    assert Selector.PER_SERIES.but(weight_decay=1e-3).config(rows=2_800).weight_decay == 1e-3  # its own recipe too
    for bad in (-1.0, float("nan"), "0.1"):
        with pytest.raises(ViewcastError, match="weight_decay"):
            d.but(weight_decay=bad)
    for bad in (0, 2.5, True):
        with pytest.raises(ViewcastError, match="stop_after"):
            d.but(stop_after=bad)
    with pytest.raises(ViewcastError, match="leave full_schedule out"):
        d.but(stop_after=10, full_schedule=True)
    assert d.but(stop_after=10).as_dict()["stop_after"] == 10 and d.as_dict()["stop_after"] is None


def test_default_forecast_seven_days_through_the_last_day():
    r = runner.invoke(app, ["forecast", "--days", "7", "--json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["trained_through"] == "2024-11-08" and [x["date"] for x in d["forecast"]][0] == "2024-11-09"
    assert len(d["forecast"]) == 7 and [x["weekday"] for x in d["forecast"]][:2] == ["Sat", "Sun"]
    for x in d["forecast"]:
        assert 0 <= x["lower95"] <= x["lower80"] <= x["views"] <= x["upper80"] <= x["upper95"]
    assert d["calibration"]["backtest_days"] == 364
    assert [c["model"] for c in d["candidates"]] == Selector.DEFAULT.candidates(series=1)


def test_cv_save_then_predict_gives_the_forecast(tmp_path):
    csv = tmp_path / "w.csv"
    csv.write_text(daily_csv(weekly_series(700)))
    model = tmp_path / "m.safetensors"
    common = ["--models", "linear:14", "--epochs", "200", "--seed", "2"]
    r = runner.invoke(app, ["cv", str(csv), *common, "--save", str(model), "--no-plots", "--json"])
    assert r.exit_code == 0, r.output
    p = json.loads(runner.invoke(app, ["predict", str(csv), "--model", str(model), "--days", "5", "--json"]).stdout)
    assert p["notes"] == [] and len(p["forecast"]) == 5  # trained through the last day: nothing unseen
    assert all(x["lower95"] <= x["views"] <= x["upper95"] for x in p["forecast"])


def test_cv_save_trains_the_recipe_cv_validated_with(tmp_path):
    """Without training options `cv` validates with VALIDATION_RECIPE and refits for the updates validation
    chose, so the model it saves is that one: the same recipe, stopped after as many updates (it used to refit
    with 1,000 full-batch epochs, then with the recipe's whole schedule); with options, theirs, to the end."""
    from viewcast import store
    from viewcast.train.config import VALIDATION_RECIPE

    csv = tmp_path / "w.csv"
    csv.write_text(daily_csv(weekly_series(500)))
    recipe = {**VALIDATION_RECIPE, "early_stop": None}  # stopped after a number of updates, not on its own days
    for extra, want in (([], recipe), (["--epochs", "30"], {"epochs": 30, "batch_size": None, "lr": None})):
        model = tmp_path / f"m{len(extra)}.safetensors"
        r = runner.invoke(app, ["cv", str(csv), "--models", "linear:7", *extra, "--save", str(model), "--no-plots",
                                "--json"])
        assert r.exit_code == 0, r.output
        chosen, meta = json.loads(r.stdout)["chosen"], store.load(model)[1]
        assert {k: meta["config"][k] for k in want} == dict(want), meta["config"]
        if extra:  # no early stopping in cv: the whole schedule
            assert meta["updates"] == chosen["refit_updates"] == 30
        else:
            assert 1 <= meta["updates"] == chosen["refit_updates"] < 35 * 2, (meta["updates"], chosen)


def test_predict_says_how_many_days_a_model_never_saw(tmp_path):
    model = tmp_path / "m.safetensors"
    assert runner.invoke(app, ["fit", "--epochs", "20", "--save", str(model)]).exit_code == 0
    r = runner.invoke(app, ["predict", "--model", str(model), "--json"])
    d = json.loads(r.stdout)
    assert d["trained_through"] == "2020-12-31"
    assert any("never saw the last 1,408 days" in n for n in d["notes"])  # 2021-01-01 … 2024-11-08


def test_bad_forecast_options_are_one_line_before_any_work(tmp_path):
    for args, needle in ((["--days", "0"], "--days 0"), (["--days", "400"], "--days 400"),
                         (["-o", "/proc/nope"], "--out /proc/nope"), (["--val", "rolling:0"], "--val rolling:0"),
                         (["--val", "kfold:5"], "--val kfold:5"), (["--rule", "best"], "--rule best")):
        r = runner.invoke(app, ["forecast", *args])
        assert r.exit_code == 2 and needle in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr


def test_forecast_save_keeps_intervals_for_more_days_than_it_printed(tmp_path):
    """`forecast --save` with the default one day still calibrates the saved model 14 days ahead, and
    its first day equals what `forecast` printed."""
    csv = tmp_path / "w.csv"
    csv.write_text(daily_csv(weekly_series(700)))
    model = tmp_path / "m.safetensors"
    common = ["--quick", "--epochs", "20"]
    f = json.loads(runner.invoke(app, ["forecast", str(csv), *common, "--save", str(model), "--json"]).stdout)
    r = runner.invoke(app, ["predict", str(csv), "--model", str(model), "--days", "14", "--json"])
    assert r.exit_code == 0, r.output
    p = json.loads(r.stdout)
    assert len(p["forecast"]) == 14 and all(x["upper95"] is not None for x in p["forecast"])
    assert p["forecast"][0]["views"] == pytest.approx(f["forecast"][0]["views"], rel=1e-6)
    assert p["forecast"][0]["upper80"] == pytest.approx(f["forecast"][0]["upper80"], rel=1e-6)


@pytest.mark.parametrize("rule, draw", [("tie", 5), ("soft", 1), ("ratio", 3)])
def test_a_blend_forecast_is_the_weighted_mean_of_its_members_forecasts(tmp_path, rule, draw):
    """White noise (a weekday does not matter to it): two candidates, linear:7 with and without the
    weekday, each validated on two blocks × two seeds. Each candidate is its own engine run, so the
    blend's members are exactly each candidate forecast alone: the blend's forecast is their weighted
    mean (weights from the rule), and its intervals are calibrated on the same weighted mean of their
    block forecasts."""
    from scipy.stats import gmean

    from viewcast import store
    from viewcast.evaluate.rules import RATIO_POWER, blend_of

    rng = np.random.default_rng(draw)
    s = DailySeries("noise", 100 + rng.normal(0, 5, 500), pd.Timestamp("2020-01-01"))
    sel = LINEAR.but(validation="rolling:2", seeds=2, rule=rule)
    cfg = TrainConfig(epochs=150)
    f = forecast(s, 3, sel.but(features=(Features(), Features(weekday=True))), cfg)
    w = [1 / len(f.blend)] * len(f.blend) if rule == "tie" else [x for _, x in blend_of(f.candidates, rule)]
    if len(f.blend) < 2:
        pytest.skip(f"draw {draw}: {rule} keeps one candidate")  # the draws below are chosen to keep both
    assert f.blend_weights == pytest.approx(w, rel=1e-12) and f.weighted == (rule != "tie")
    alone = [forecast(s, 3, sel.but(features=(c.features,), rule="min"), cfg) for c in f.blend]
    assert np.allclose(f.forecast, np.average([a.forecast for a in alone], 0, weights=w), rtol=1e-12)
    pred = np.average([a.backtest.pred for a in alone], 0, weights=w)
    assert np.allclose(f.calibration.q, Calibration.from_residuals(alone[0].backtest.actual, pred, False).q,
                       rtol=1e-12)
    blend = f.as_dict()["chosen"]["blend"]
    assert [b["model"] for b in blend] == [c.label for c in f.blend] and [b["weight"] for b in blend] == w
    assert [b["val_mae_gmean"] for b in blend] == pytest.approx([gmean(c.val_mae) for c in f.blend], rel=1e-12)
    if rule == "ratio":  # the weights follow from what --json prints: (G_best / G)^RATIO_POWER
        g = [b["val_mae_gmean"] for b in blend]
        assert w[1] / w[0] == pytest.approx((g[0] / g[1]) ** RATIO_POWER, rel=1e-9)
    # saved: `predict` averages the same members' paths with the same weights, with the same intervals
    csv = tmp_path / "noise.csv"
    csv.write_text(daily_csv(s.values))
    model = store.save(f.refit, tmp_path / "blend.safetensors", s, f.calibration, f.blend_refits, f.blend_weights)
    p = json.loads(runner.invoke(app, ["predict", str(csv), "--model", str(model), "--days", "3", "--json"]).stdout)
    assert p["label"] == f.label
    assert np.allclose([x["views"] for x in p["forecast"]], f.forecast, rtol=1e-6)  # float32 weights round-trip
    assert np.allclose([x["upper95"] for x in p["forecast"]], f.upper[95], rtol=1e-6)


def test_full_schedule_trains_every_network_to_the_end(weekly):
    f = forecast(weekly, 2, LINEAR.but(full_schedule=True), TrainConfig(epochs=120))
    assert f.chosen.best_update is None and f.refit.updates == 120 and f.refit.stop.reason.value == "updates"
    r = runner.invoke(app, ["forecast", "--full-schedule", "--early-stop", "50"])
    assert r.exit_code == 2 and "--early-stop" in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr


def test_early_stopping_refits_for_the_blocks_median_updates(weekly):
    f = forecast(weekly, 2, LINEAR.but(full_schedule=False, validation="rolling:2", seeds=2),
                 TrainConfig(epochs=400, early_stop=30))
    best = f.chosen.run.best_update[:4]  # the blocks × seeds, before the refit
    assert f.refit.updates == max(1, int(np.median(best[best >= 0])))


def test_a_missing_bound_stays_missing_when_views_are_floored():
    from viewcast.forecasting.days import _floor

    got = _floor(np.array([-3.0, np.nan, 2.5]))
    assert got[0] == 0.0 and np.isnan(got[1]) and got[2] == 2.5  # np.fmax would have made the NaN a 0


def test_stop_after_stops_every_network_blocks_and_refit(weekly):
    """`stop_after`: the blocks that calibrate and the refit alike stop after that many updates of the schedule."""
    whole = Selector.QUICK.but(epochs=10, max_updates=60)
    sel = whole.but(stop_after=7)
    f, g = forecast(weekly, 2, sel), forecast(weekly, 2, whole)
    assert f.refit.updates == 7 and g.refit.updates > 7
    assert not np.allclose(f.backtest.pred, g.backtest.pred)  # the blocks stopped too: other calibration forecasts
    with pytest.raises(ViewcastError, match="drop --early-stop"):
        forecast(weekly, 2, sel, TrainConfig(early_stop=5))
