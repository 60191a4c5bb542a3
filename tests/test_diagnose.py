"""viewcast diagnose: the rules against known numbers, the time-series two-sample tests, and the
four scenarios of chapter 2 whose truth is known — each gets its verdict and none of the others."""
import json
import math
from importlib import resources

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from viewcast.cli import app
from viewcast.cli.kit import jsonable
from viewcast.diagnosis import DiagnoseConfig, diagnose
from viewcast.diagnosis.mismatch import block_length, two_sample, worst_days
from viewcast.evaluate.validation import parse_scheme
from viewcast.data.series import DailySeries
from viewcast.train import TrainConfig
from viewcast.diagnosis.verdicts import Numbers, Thresholds, judge
from viewcast.text.verdicts import said
from viewcast.features import choose_split

from conftest import daily_csv, weekly_series

VERDICTS = {"model_bias", "optimization", "overfitting", "mismatch"}
WEEK = np.array([1.0, 1.05, 1.05, 1.0, 0.85, 0.55, 0.6])  # Mon…Sun; Fri/Sat low


def everywhere(d) -> set[str]:
    """Every verdict any model or the overall judgement carries."""
    found = {v.verdict for m in d.models for v in m.verdicts}
    return found | {v["verdict"] for v in d.overall["verdicts"]}


def only(d, verdict: str) -> None:
    got = everywhere(d)
    assert verdict in got, got
    assert not (got & VERDICTS) - {verdict}, got


# ------------------------------------------------------------------ the rules, on known numbers
def nums(**kw) -> Numbers:
    base = dict(model="m", train=100.0, val=105.0, test=110.0, naive_train=500.0,
                contained=[("yesterday", 500.0, 510.0)], others_val=[("yesterday", 510.0)])
    return Numbers(**{**base, **kw})


def kinds(n: Numbers) -> list[str]:
    return [v.verdict for v in judge(n, Thresholds())]


def test_rules_ok():
    v = judge(nums(), Thresholds())
    assert [x.verdict for x in v] == ["ok"] and 0.5 <= v[0].confidence <= 1


def test_rules_bias_when_another_model_predicts_unseen_days_better():
    assert kinds(nums(train=400, val=410, others_val=[("knn:7", 150.0)])) == ["model_bias"]


def test_rules_optimization_when_a_contained_function_fits_better():
    n = nums(train=400, val=410, contained=[("linear:56 exact", 120.0, 130.0)], others_val=[("linear:56 exact", 130.0)])
    got = judge(n, Thresholds())
    assert [x.verdict for x in got] == ["optimization"]  # not bias: the set contains a function at 120
    assert got[0].numbers["contained_train"] == 120.0


def test_rules_optimization_from_the_exact_gap_and_divergence():
    assert kinds(nums(exact_gap_pct=12.0)) == ["optimization"]
    assert kinds(nums(exact_gap_pct=1.0)) == ["ok"]
    assert kinds(nums(diverged=True)) == ["optimization"]


def test_rules_vanishing_gradients_named():
    n = nums(train=400, val=410, contained=[("linear:56 exact", 120.0, 130.0)], others_val=[("x", 130.0)],
             layer_grad_ratio=1e-3, sigmoid_gd=True)
    v = judge(n, Thresholds())[0]
    assert v.verdict == "optimization" and "vanishing" in said(v, Thresholds()) and v.numbers["layer_grad_ratio"] == 1e-3


def test_rules_overfitting_by_gap_and_by_a_simpler_model():
    assert kinds(nums(train=20, val=300, test=310, others_val=[("x", 250.0)])) == ["overfitting"]
    v = judge(nums(train=80, val=130, test=130, contained=[("linear:56 exact", 95.0, 100.0)],
                   others_val=[("linear:56 exact", 100.0)]), Thresholds())
    assert [x.verdict for x in v] == ["overfitting"] and v[0].numbers["simpler_model"] == "linear:56 exact"


def test_rules_mismatch_needs_ratio_and_significance():
    assert kinds(nums(test=300, test_val_p=0.001)) == ["mismatch"]
    assert kinds(nums(test=300, test_val_p=0.4)) == ["ok"]  # could be chance
    assert kinds(nums(test=120, test_val_p=0.001)) == ["ok"]  # not much worse


# ------------------------------------------------------------------ two-sample tests that respect time
def test_two_sample_known_answers():
    t = two_sample(np.zeros(70), np.ones(21), block=7, permutations=199)
    assert t["ks"] == 1.0 and t["wasserstein"] == 1.0 and t["ks_p_block"] < 0.01
    assert t["blocks_a"] == 10 and t["blocks_b"] == 3 and t["mean_abs_diff"] == 1.0


def test_two_sample_same_process_is_not_called_different():
    rng = np.random.default_rng(0)
    x = np.tile(WEEK, 60) * 1000 + rng.normal(0, 50, 420)
    t = two_sample(x[:350], x[350:], block=7, permutations=499)
    assert t["ks_p_block"] > 0.05 and t["mean_abs_diff_p_block"] > 0.05


def test_block_length_follows_autocorrelation():
    rng = np.random.default_rng(1)
    ar = np.zeros(2000)
    for i in range(1, 2000):
        ar[i] = 0.95 * ar[i - 1] + rng.normal()
    assert block_length(rng.normal(size=500)) == 7
    assert block_length(ar) >= 14  # correlated for weeks: longer blocks
    assert block_length(ar, cap=14) == 14


def test_worst_days_exact():
    d = pd.date_range("2021-02-22", periods=5)  # Mon…Fri
    y = np.array([5.0, 5, 5, 5, 20])
    rows = worst_days(d, y, {"a": np.full(5, 5.5), "b": np.full(5, 4.0)}, {"a": 1.0, "b": 2.0}, factor=3)
    assert [(r["date"], r["weekday"]) for r in rows] == [("2021-02-26", "Fri")]
    assert rows[0]["predictions"] == {"a": 5.5, "b": 4.0} and rows[0]["min_error_over_val_mae"] == 8.0
    assert worst_days(d, y, {"a": np.full(5, 5.5)}, {"a": 1.0}, factor=20) == []


# ------------------------------------------------------------------ the four scenarios
HOLDOUT = parse_scheme("holdout:0.1")


def logistic(n: int = 600, seed: int = 0) -> np.ndarray:
    """Tomorrow = 3.9·x(1 − x) of today (chaotic, clearly nonlinear), as views."""
    rng = np.random.default_rng(seed)
    x = np.empty(n)
    x[0] = 0.3
    for i in range(1, n):
        x[i] = np.clip(3.9 * x[i - 1] * (1 - x[i - 1]) + rng.normal(0, 0.01), 0.01, 0.99)
    return np.round(2000 + 6000 * x)


@pytest.fixture(scope="module")
def bias():
    s = DailySeries("logistic", logistic(), pd.Timestamp("2020-01-01"))
    return diagnose(s, choose_split(s), ["linear:1"], HOLDOUT, TrainConfig(epochs=300))


@pytest.fixture(scope="module")
def optimization():
    s = DailySeries("weekly", weekly_series(700), pd.Timestamp("2020-01-01"))
    return diagnose(s, choose_split(s), ["sigmoid:56x16x4"], HOLDOUT, TrainConfig(optimizer="gd", lr=0.01, epochs=200))


@pytest.fixture(scope="module")
def overfitting():
    rng = np.random.default_rng(0)
    t = np.arange(300)
    v = np.round(5000 * WEEK[(t + 2) % 7] + rng.normal(0, 150, 300))  # 2020-01-01 is a Wednesday
    s = DailySeries("stationary", v, pd.Timestamp("2020-01-01"))
    split = choose_split(s, train_start="2020-01-01", train_end="2020-06-30", test_start="2020-07-01", test_end="2020-08-31")
    # 126 training windows for 3 million weights (the model the issue names; fewer updates, for speed)
    return diagnose(s, split, ["relu:56x1000x4"], parse_scheme("holdout:0.2"), TrainConfig(epochs=150, lr=1e-3))


SPIKES = 700 - 70 + np.array([5, 16, 26, 37, 47, 58, 66])  # days of the test period, tripled


@pytest.fixture(scope="module")
def mismatch():
    v = weekly_series(700)
    v[SPIKES] *= 3  # the training period never had such days
    s = DailySeries("spiky", v, pd.Timestamp("2020-01-01"))
    return s, diagnose(s, choose_split(s), ["linear:7", "relu:7x16"], HOLDOUT, TrainConfig(epochs=300))


def test_scenario_model_bias(bias):
    only(bias, "model_bias")
    v = bias.models[0].verdicts[0]
    assert v.numbers["better_model"] == "knn:1"  # a function of yesterday alone does far better
    assert bias.models[0].evidence["optimization"]["exact_gap_pct"] < 1  # GD reached the optimum: not optimization


def test_scenario_optimization(optimization):
    only(optimization, "optimization")
    m = optimization.models[0]
    lin = next(r for r in optimization.references if r.name == "linear:56 exact")
    assert m.fit.train["mae"] > 2 * lin.train["mae"]  # training loss stays above linear:56's
    assert "vanishing" in said(m.verdicts[0], optimization.dconfig.thresholds)


def test_scenario_overfitting(overfitting):
    only(overfitting, "overfitting")
    v = overfitting.models[0].verdicts[0]
    assert v.numbers["val"] > 2 * v.numbers["train"]


def test_scenario_mismatch(mismatch):
    s, d = mismatch
    only(d, "mismatch")
    listed = {w["date"] for w in d.worst_days}
    assert {f"{x:%Y-%m-%d}" for x in s.dates[SPIKES]} <= listed  # the injected days, found automatically
    w = d.worst_days[0]
    assert w["weekday"] == f"{pd.Timestamp(w['date']):%a}" and set(w["predictions"]) == {"linear:7", "relu:7x16"}


def test_same_seed_same_numbers(bias):
    s = DailySeries("logistic", logistic(), pd.Timestamp("2020-01-01"))
    again = diagnose(s, choose_split(s), ["linear:1"], HOLDOUT, TrainConfig(epochs=300))
    def numbers(d):  # everything but the wall-clock seconds
        doc = jsonable(d.as_dict())
        for m in doc["models"]:
            m.pop("seconds")
        return json.dumps(doc)

    assert numbers(again) == numbers(bias)


# ------------------------------------------------------------------ JSON schema and the command
def schema() -> dict:
    return json.loads(resources.files("viewcast.diagnosis").joinpath("schema.json").read_text())


def test_json_validates_against_the_schema(mismatch, overfitting):
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.Draft202012Validator.check_schema(schema())
    for d in (mismatch[1], overfitting):
        doc = jsonable({**d.as_dict(), "figures": [], "warnings": []})
        jsonschema.validate(doc, schema())
    bad = jsonable({**overfitting.as_dict(), "figures": [], "warnings": []})
    bad["models"][0]["verdict"] = "unlucky"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema())


def test_cli_json_and_figures(tmp_path):
    v = weekly_series(400)
    v[-20] *= 4
    csv = tmp_path / "v.csv"
    csv.write_text(daily_csv(v))
    r = CliRunner().invoke(app, ["diagnose", str(csv), "--models", "linear:7,linear:14", "--epochs", "100",
                                 "--json", "--out", str(tmp_path / "out")])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.output)
    assert [m["model"] for m in doc["models"]] == ["linear:7", "linear:14"]
    assert all(m["verdict"] in VERDICTS | {"ok"} and 0 <= m["verdicts"][0]["confidence"] <= 1 for m in doc["models"])
    assert sorted(p.rsplit("/", 1)[1] for p in doc["figures"]) == [
        "diagnose-losses.html", "diagnose-losses.png", "diagnose-worst-days.html", "diagnose-worst-days.png"]
    html = (tmp_path / "out" / "diagnose-losses.html").read_text()
    assert "plotly" in html and "<script" in html  # self-contained
    try:
        import jsonschema
    except ImportError:
        return
    jsonschema.validate(doc, schema())


def test_cli_report_and_bad_input(tmp_path):
    csv = tmp_path / "v.csv"
    csv.write_text(daily_csv(weekly_series(400)))
    r = CliRunner().invoke(app, ["diagnose", str(csv), "--models", "linear:1,linear:7", "--epochs", "100", "--no-plots"])
    assert r.exit_code == 0, r.output
    assert "verdict" in r.output and "model bias" in r.output  # linear:1 cannot see the week
    assert "Overall" in r.output
    r = CliRunner().invoke(app, ["diagnose", str(csv), "--val", "loo:3", "--no-plots"])
    assert r.exit_code == 2 and "--val loo:3" in r.output


def test_divergence_is_an_optimization_issue():
    s = DailySeries("weekly", weekly_series(400), pd.Timestamp("2020-01-01"))
    d = diagnose(s, choose_split(s), ["linear:7"], HOLDOUT, TrainConfig(optimizer="gd", lr=50.0, loss="mse", epochs=100),
                 DiagnoseConfig(permutations=99))
    m = d.models[0]
    assert m.evidence["optimization"]["diverged"] and m.verdicts[0].verdict == "optimization"
    assert "diverged" in said(m.verdicts[0], d.dconfig.thresholds)


@pytest.mark.parametrize("val", ["kfold:3", "timeseries:3"])
def test_cross_validated_schemes(val):
    s = DailySeries("weekly", weekly_series(400), pd.Timestamp("2020-01-01"))
    d = diagnose(s, choose_split(s), ["linear:7"], parse_scheme(val), TrainConfig(epochs=500),
                 DiagnoseConfig(permutations=99))
    m = d.models[0]
    assert len(m.val_cv["folds"]) == 3 and math.isclose(m.val["mae"], np.mean(m.val_cv["folds"]))
    assert m.verdicts[0].verdict == "ok"


@pytest.mark.slow
def test_default_series_deep_net_overfits_and_missed_days_are_listed():
    """The real default series (wiki:Standard_deviation, the book's dates): a short ladder."""
    from viewcast.data import load_series

    s = load_series("wiki:Standard_deviation")
    d = diagnose(s, choose_split(s), ["linear:1", "linear:56", "relu:56x100x4"], HOLDOUT, TrainConfig())
    by = {m.spec: m for m in d.models}
    assert by["linear:1"].verdicts[0].verdict == "model_bias"  # one day cannot see the weekly cycle
    deep = next(v for v in by["relu:56x100x4"].verdicts if v.verdict == "overfitting")
    assert deep.numbers["val"] > 3 * deep.numbers["train"]  # the train/validation numbers behind it
    assert "linear:56" not in d.overall["by_verdict"]["overfitting"]
    assert d.worst_days and all(w["weekday"] == f"{pd.Timestamp(w['date']):%a}" for w in d.worst_days)
    assert all("2021-01-01" <= w["date"] <= "2021-02-14" for w in d.worst_days)
