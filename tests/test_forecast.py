"""The honest forecast: conformal intervals with the coverage they promise, backtests that never see
the future, a refit through the last day, and the same numbers by every path."""
import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from viewcast.cli import app
from viewcast.data.series import DailySeries
from viewcast.features import Features
from viewcast.forecasting import Calibration, forecast
from viewcast.forecasting.backtest import backtest
from viewcast.forecasting.conformal import conformal_quantile
from viewcast.forecasting.paths import paths
from viewcast.train import TrainConfig

from conftest import daily_csv, weekly_series

runner = CliRunner()


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


@pytest.fixture(scope="module")
def weekly():
    return DailySeries("weekly", weekly_series(800), pd.Timestamp("2020-01-01"))


def test_backtests_never_see_the_days_after_their_origin(weekly):
    cfg = TrainConfig(epochs=150)
    a = backtest(weekly, "linear:14", Features(), cfg, horizon=3, days=112, every=28)
    changed = weekly.values.copy()
    last = (a.origins[-1] - weekly.start).days
    changed[last:] *= 10  # the future of every block but the last
    b = backtest(DailySeries("weekly", changed, weekly.start), "linear:14", Features(), cfg, horizon=3, days=112, every=28)
    before = a.starts < a.origins[-1]
    ok = before & (a.starts + pd.Timedelta(days=2) < a.origins[-1])  # the whole 3-day path before the change
    assert np.array_equal(a.pred[before], b.pred[before])
    assert not np.allclose(a.actual[ok.nonzero()[0][-1] + 3:], b.actual[ok.nonzero()[0][-1] + 3:])  # the change took effect
    assert len(a.origins) == 4 and a.pred.shape == (112, 3)


def test_forecast_intervals_cover_a_known_noise(weekly):
    """A weekly cycle plus N(0, σ=150) noise. The best linear:28 forecast averages the same weekday of the
    last 4 weeks, so its error is ε_t − mean of 4 past ε: σ·√(1 + 1/4). The 80% interval is about ±1.28
    of that, and the intervals hold on the 200 days that follow."""
    rng = np.random.default_rng(1)
    t = np.arange(1200)
    clean = 5000 * np.array([1.0, 1.05, 1.05, 1.0, 0.85, 0.55, 0.6])[t % 7]
    s = DailySeries("noisy", clean + rng.normal(0, 150, 1200), pd.Timestamp("2020-01-01"))
    past = DailySeries("noisy", s.values[:1000], s.start)
    f = forecast(past, days=1, models=["linear:28"], features=(Features(),), config=TrainConfig(epochs=300))
    half80 = (f.upper[80][0] - f.lower[80][0]) / 2
    assert half80 == pytest.approx(1.2816 * 150 * np.sqrt(1.25), rel=0.12)
    # the calibrated quantile covers the next 200 days' one-day-ahead errors of the refit model as promised
    from viewcast.train import predict

    X = np.stack([s.values[i - 28:i] for i in range(1000, 1200)])
    err = np.abs(predict(f.refit.model, f.refit.scaler, X) - s.values[1000:1200])
    assert np.mean(err <= f.calibration.q[0, 0]) == pytest.approx(0.80, abs=0.07)
    assert np.mean(err <= f.calibration.q[0, 1]) == pytest.approx(0.95, abs=0.04)


def test_forecast_of_a_falling_series_is_clipped_at_zero_and_says_so():
    values = np.maximum(0.0, 3000 - 4.0 * np.arange(760)) + 5 * (np.arange(760) % 7)
    s = DailySeries("falling", values, pd.Timestamp("2021-01-01"))
    f = forecast(s, days=5, models=["linear:7"], features=(Features(),), config=TrainConfig(epochs=300))
    assert (f.forecast >= 0).all() and all((f.lower[lv] >= 0).all() for lv in f.lower)
    assert any("never negative" in n for n in f.notes)


def test_default_forecast_seven_days_through_the_last_day():
    r = runner.invoke(app, ["forecast", "--days", "7", "--json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["trained_through"] == "2024-11-08" and [x["date"] for x in d["forecast"]][0] == "2024-11-09"
    assert len(d["forecast"]) == 7 and [x["weekday"] for x in d["forecast"]][:2] == ["Sat", "Sun"]
    for x in d["forecast"]:
        assert 0 <= x["lower95"] <= x["lower80"] <= x["views"] <= x["upper80"] <= x["upper95"]
    assert d["calibration"]["backtest_days"] == 364


def test_cv_save_then_predict_gives_the_forecast(tmp_path):
    csv = tmp_path / "w.csv"
    csv.write_text(daily_csv(weekly_series(700)))
    model = tmp_path / "m.safetensors"
    common = ["--models", "linear:14", "--epochs", "200", "--seed", "2"]
    r = runner.invoke(app, ["cv", str(csv), *common, "--save", str(model), "--no-plots", "--json"])
    assert r.exit_code == 0, r.output
    p = json.loads(runner.invoke(app, ["predict", str(csv), "--model", str(model), "--days", "5", "--json"]).stdout)
    f = json.loads(runner.invoke(app, ["forecast", str(csv), *common, "--no-search", "--days", "5", "--ensemble", "1",
                                       "--json"]).stdout)  # cv's refit is one member unless --ensemble
    assert [x["views"] for x in p["forecast"]] == [x["views"] for x in f["forecast"]]
    assert [x["upper95"] for x in p["forecast"]] == [x["upper95"] for x in f["forecast"]]
    assert p["notes"] == []  # trained through the last day: nothing unseen


def test_predict_says_how_many_days_a_model_never_saw(tmp_path):
    model = tmp_path / "m.safetensors"
    assert runner.invoke(app, ["fit", "--epochs", "20", "--save", str(model)]).exit_code == 0
    r = runner.invoke(app, ["predict", "--model", str(model), "--json"])
    d = json.loads(r.stdout)
    assert d["trained_through"] == "2020-12-31"
    assert any("never saw the last 1,408 days" in n for n in d["notes"])  # 2021-01-01 … 2024-11-08


def test_bad_forecast_options_are_one_line_before_any_work(tmp_path):
    for args, needle in ((["--days", "0"], "--days 0"), (["--days", "400"], "--days 400"),
                         (["-o", "/proc/nope"], "--out /proc/nope"), (["--val", "rolling:0"], "--val rolling:0")):
        r = runner.invoke(app, ["forecast", *args])
        assert r.exit_code == 2 and needle in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr


def test_forecast_save_keeps_intervals_for_more_days_than_it_printed(tmp_path):
    """`forecast --save` with the default one day still calibrates the saved model 14 days ahead, and
    its first day equals what `forecast` printed."""
    csv = tmp_path / "w.csv"
    csv.write_text(daily_csv(weekly_series(700)))
    model = tmp_path / "m.safetensors"
    common = ["--models", "linear:14", "--no-search", "--epochs", "200"]
    f = json.loads(runner.invoke(app, ["forecast", str(csv), *common, "--save", str(model), "--json"]).stdout)
    r = runner.invoke(app, ["predict", str(csv), "--model", str(model), "--days", "14", "--json"])
    assert r.exit_code == 0, r.output
    p = json.loads(r.stdout)
    assert len(p["forecast"]) == 14 and all(x["upper95"] is not None for x in p["forecast"])
    assert p["forecast"][0]["views"] == f["forecast"][0]["views"]
    assert p["forecast"][0]["upper80"] == f["forecast"][0]["upper80"]


@pytest.mark.parametrize("rule, draw", [("tie", 5), ("soft", 1), ("ratio", 3)])
def test_a_blend_forecast_is_the_weighted_mean_of_its_members_forecasts(tmp_path, rule, draw):
    """White noise (a weekday does not matter to it): on draw 5 validation cannot tell linear:7 from
    linear:7 +weekday and `--rule tie` forecasts their mean; on draw 1 `--rule soft` weighs them 84/16
    (rules.soft_weights), on draw 3 `--rule ratio` 52/48 (rules.ratio_weights: the weekday's 4% worse validation MAE
    squared). Each member is fed its own predictions; the intervals are calibrated on the same
    weighted mean of the two models' own backtests — checked against forecasting with each alone."""
    from viewcast.evaluate.rules import blend_of

    rng = np.random.default_rng(draw)
    s = DailySeries("noise", 100 + rng.normal(0, 5, 500), pd.Timestamp("2020-01-01"))
    kw = dict(days=3, models=["linear:7"], validation="kfold:4", config=TrainConfig(epochs=150), seeds=2)
    f = forecast(s, features=(Features(), Features(weekday=True)), rule=rule, **kw)
    assert sorted(c.label for c in f.blend) == ["linear:7", "linear:7 +weekday"] and f.label.startswith("mean of ")
    w = [0.5, 0.5] if rule == "tie" else [x for _, x in blend_of(f.candidates, rule)]
    assert f.blend_weights == pytest.approx(w, rel=1e-12) and f.weighted == (rule != "tie")
    assert rule == "tie" or 0.51 < max(w) < 0.95  # the draw gives the rule two unequal, non-trivial weights
    alone = [forecast(s, features=(c.features,), rule="min", **kw) for c in f.blend]
    assert np.allclose(f.forecast, np.average([a.forecast for a in alone], 0, weights=w), rtol=1e-12)
    p = min(a.backtest.days for a in alone)
    pred = np.average([a.backtest.pred[-p:] for a in alone], 0, weights=w)
    cal = Calibration.from_residuals(alone[0].backtest.actual[-p:], pred, False)
    assert np.allclose(f.calibration.q, cal.q, rtol=1e-12)
    blend = f.as_dict()["chosen"]["blend"]
    assert [b["model"] for b in blend] == [c.label for c in f.blend] and [b["weight"] for b in blend] == w
    from scipy.stats import gmean

    assert [b["val_mae_gmean"] for b in blend] == pytest.approx([gmean(c.val_mae) for c in f.blend], rel=1e-12)
    if rule == "ratio":  # the weights follow from what --json prints: (G_best / G)^RATIO_POWER
        from viewcast.evaluate.rules import RATIO_POWER

        g = [b["val_mae_gmean"] for b in blend]
        assert w[1] / w[0] == pytest.approx((g[0] / g[1]) ** RATIO_POWER, rel=1e-9)
    # saved: `predict` averages the same members' paths with the same weights, with the same intervals
    from viewcast import store

    csv = tmp_path / "noise.csv"
    csv.write_text(daily_csv(s.values))
    model = store.save(f.refit, tmp_path / "blend.safetensors", s, f.calibration, f.blend_refits, f.blend_weights)
    p = json.loads(runner.invoke(app, ["predict", str(csv), "--model", str(model), "--days", "3", "--json"]).stdout)
    assert p["label"] == f.label and (rule == "tie") == (p["label"] == "mean of linear:7 | linear:7 +weekday")
    assert np.allclose([x["views"] for x in p["forecast"]], f.forecast, rtol=1e-6)  # float32 weights round-trip
    assert np.allclose([x["upper95"] for x in p["forecast"]], f.upper[95], rtol=1e-6)
    assert store.load(model)[1]["format_version"] == (store.BLEND_VERSION if rule == "tie" else store.WEIGHTED_VERSION)
    r = runner.invoke(app, ["cv", str(csv), "--rule", rule, "--save", str(tmp_path / "m.safetensors")])
    assert r.exit_code == 2 and f"viewcast forecast --rule {rule} --save" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and not (tmp_path / "m.safetensors").exists()


def test_full_schedule_trains_every_model_to_the_end(weekly):
    f = forecast(weekly, days=2, models=["linear:7"], features=(Features(),), config=TrainConfig(epochs=120),
                 full_schedule=True)
    assert f.chosen.best_update is None and f.refit.updates == 120 and f.refit.stop.reason.value == "updates"
    r = runner.invoke(app, ["forecast", "--full-schedule", "--early-stop", "50"])
    assert r.exit_code == 2 and "--early-stop" in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr


def test_a_damaged_blend_file_is_one_line_not_a_crash(tmp_path):
    """A blend file whose second member lost its `k`: the clean 'damaged' error, exit 2, not an internal one."""
    import struct

    from viewcast import store

    rng = np.random.default_rng(5)
    s = DailySeries("noise", 100 + rng.normal(0, 5, 500), pd.Timestamp("2020-01-01"))
    f = forecast(s, days=2, models=["linear:7"], features=(Features(), Features(weekday=True)), validation="kfold:4",
                 config=TrainConfig(epochs=150), seeds=2, rule="tie")
    path = store.save(f.refit, tmp_path / "b.safetensors", s, f.calibration, f.blend_refits)
    raw = path.read_bytes()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    meta = json.loads(header["__metadata__"]["viewcast"])
    assert meta["format_version"] == store.BLEND_VERSION
    del meta["blend"][1]["k"]
    header["__metadata__"]["viewcast"] = json.dumps(meta)
    head = json.dumps(header).encode()
    head += b" " * (-len(head) % 8)
    (tmp_path / "bad.safetensors").write_bytes(struct.pack("<Q", len(head)) + head + raw[8 + n:])
    csv = tmp_path / "noise.csv"
    csv.write_text(daily_csv(s.values))
    r = runner.invoke(app, ["predict", str(csv), "--model", str(tmp_path / "bad.safetensors")])
    assert r.exit_code == 2 and "lacks k" in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
