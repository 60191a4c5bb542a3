import json

import pytest
from typer.testing import CliRunner

from viewcast.cli import app

from conftest import daily_csv, weekly_series

runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def commands(typer_app, prefix=()):
    import typer.main

    group = typer.main.get_command(typer_app)
    out = []

    def walk(cmd, path):
        subs = getattr(cmd, "commands", None)
        if subs:
            for name, sub in subs.items():
                walk(sub, path + (name,))
        else:
            out.append((path, cmd))

    walk(group, ())
    return out


def test_every_command_has_help_text():
    found = commands(app)
    assert {p for p, _ in found} >= {("data", "list"), ("data", "show"), ("fit",), ("ladder",), ("predict",), ("demo",)}
    for path, cmd in found:
        assert cmd.help and cmd.help.strip(), path
        r = run(*path, "--help")
        assert r.exit_code == 0 and "Usage" in r.output


def test_fit_json_keys_and_save_predict(tmp_path):
    csv = tmp_path / "v.csv"
    csv.write_text(daily_csv(weekly_series(400)))
    model = tmp_path / "m.safetensors"
    r = run("fit", csv, "--model", "linear:7", "--epochs", "200", "--json", "--save", model)
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    for k in ("model", "params", "train", "test", "exact"):
        assert k in d
    assert d["model"] == "linear:7" and d["params"] == 8
    assert {"mae", "mse"} <= set(d["train"]) and {"mae", "mse"} <= set(d["test"]) and "mae" in d["exact"]
    p = run("predict", csv, "--model", model, "--days", "2", "--json")
    assert p.exit_code == 0, p.output
    f = json.loads(p.stdout)["forecast"]
    assert len(f) == 2 and f[0]["views"] > 0


@pytest.mark.parametrize("args,needle", [
    (("fit", "nope.csv"), "no such file"),
    (("fit", "--model", "relu:56"), "grammar"),
    (("fit", "--lr", "0"), "learning rate"),
    (("fit", "--epochs", "-3"), "at least 1"),
    (("fit", "--test-start", "2016-01-01", "--test-end", "2016-02-01"), "must start after"),
    (("data", "show", "wiki:Nope"), "data list"),
    (("predict", "--model", "nothing.safetensors"), "no such model file"),
    (("cv", "--val", "kfold:5", "--gap", "7"), "a gap is for holdout, timeseries and rolling"),  # once ignored
    (("ladder", "wiki:*", "--seeds", "3"), "trains one network per rung"),  # once ignored
    (("data", "show", "wiki:*"), "data show takes one"),  # once "no such built-in series"
    (("ladder", "wiki:E*", "--lang", "zh"), "several series' tables are in English only"),  # once ignored
    (("diagnose", "wiki:E*", "--lang", "zh"), "several series' tables are in English only"),  # once ignored
])
def test_bad_input_exit_2_one_line(args, needle):
    r = run(*args)
    assert r.exit_code == 2, r.output
    assert needle in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert "Traceback" not in r.output


@pytest.mark.parametrize("text,needle", [
    ("", "empty"), ("a,b\nx,1\n", "no date column"), ("date,value\n2020-01-01,1\n2020-01-01,2\n", "duplicate"),
    ("date,value\n2020-01-01,1\n2020-01-05,2\n", "missing day"),
    ("date,value\n2020-01-01,x\n", "not a number"), ("date,value\n2020-01-01,1\n2020-01-02,2\n", "needs at least"),
])
def test_loader_problems_through_cli(tmp_path, text, needle):
    p = tmp_path / "bad.csv"
    p.write_text(text)
    r = run("fit", p)
    assert r.exit_code == 2 and needle in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr


def test_data_list_and_show_json():
    d = json.loads(run("data", "list", "--json").stdout)
    assert len(d["series"]) == 21
    s = json.loads(run("data", "show", "--json").stdout)
    assert s["days"] == 2869 and s["missing_days"] == 0
    assert s["mean_by_weekday"]["Sat"] < s["mean_by_weekday"]["Tue"]  # the weekly cycle: weekends low


def test_python_dash_m():
    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-m", "viewcast", "--help"], capture_output=True, text=True)
    assert r.returncode == 0 and "ladder" in r.stdout


def test_bad_save_path_refused_before_training(tmp_path, monkeypatch):
    import viewcast.train.engine as engine

    def no_training(*a, **k):
        raise AssertionError("trained before checking --save")

    monkeypatch.setattr(engine, "train", no_training)
    r = run("fit", "--save", tmp_path / "missing" / "m.safetensors")
    assert r.exit_code == 2 and "does not exist" in r.stderr and len(r.stderr.strip().splitlines()) == 1
