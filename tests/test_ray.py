"""The Ray backend: the same answers as local, on a Ray the test suite starts once (ray.init(num_cpus=2)),
retries of a failing chunk, a chunk that keeps failing reported by its series, an unreachable
cluster refused before any work."""
import json
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from viewcast.cli import app
from viewcast.data.many import load_many
from viewcast.many import Job, run_many
from viewcast.many.jobs import run_chunk
from viewcast.train import TrainConfig

runner = CliRunner()
JOB = Job("fit", specs=("relu:28x8",), config=TrainConfig(epochs=60), validation="holdout:0.1")


MARKER = {"path": ""}  # set by the test; pickled by value with the function, so the workers see it


def flaky_chunk(job, series):
    """Fails the first attempt of the chunk holding wiki:Christmas (a marker file remembers the attempt)."""
    marker = Path(MARKER["path"])
    if any(s.name == "wiki:Christmas" for s in series) and not marker.exists():
        marker.write_text("failed once")
        raise RuntimeError("injected failure on the first attempt")
    return run_chunk(job, series)


def broken_chunk(job, series):
    """Always fails for the chunk holding wiki:Cleopatra."""
    if any(s.name == "wiki:Cleopatra" for s in series):
        raise RuntimeError("this chunk always fails")
    return run_chunk(job, series)


@pytest.fixture(scope="module")
def three():
    return load_many("wiki:C*").series


def _by_series(rows):
    return {r["series"]: r for r in rows}


@pytest.mark.slow
def test_ray_gives_the_same_answers_as_local(ray_session, three):
    local = run_many(JOB, three, "local", chunk_series=1)
    ray = run_many(JOB, three, "ray", chunk_series=1)
    assert ray.backend == "ray" and not ray.partial
    a, b = _by_series(local.rows), _by_series(ray.rows)
    assert set(a) == set(b) == {s.name for s in three}
    for name in a:
        for k in ("train_mae", "val_mae", "test_mae"):
            assert b[name][k] == pytest.approx(a[name][k], rel=1e-5), (name, k)


def test_a_failed_first_attempt_is_retried_and_reported(ray_session, three, tmp_path, monkeypatch):
    import ray

    ray.cloudpickle.register_pickle_by_value(sys.modules[__name__])  # the workers get these functions by value
    MARKER["path"] = str(tmp_path / "marker")
    res = run_many(JOB, three, "ray", chunk_series=1, chunk_fn=flaky_chunk)
    assert res.retries == 1 and not res.failed and res.done == 3
    assert (tmp_path / "marker").read_text() == "failed once"


def test_a_chunk_that_always_fails_is_reported_and_the_rest_is_written(ray_session, three, tmp_path):
    import ray
    import pandas as pd

    ray.cloudpickle.register_pickle_by_value(sys.modules[__name__])
    out = tmp_path / "r.csv"
    res = run_many(JOB, three, "ray", chunk_series=1, chunk_fn=broken_chunk, results=out)
    assert [f["series"] for f in res.failed] == [["wiki:Cleopatra"]] and "always fails" in res.failed[0]["error"]
    assert res.retries == 2  # two more attempts before giving up
    written = pd.read_csv(out, comment="#")
    assert sorted(written["series"]) == ["wiki:Chinese_New_Year", "wiki:Christmas"]
    assert out.read_text().startswith("# partial: 2 of 3 series")


def test_cli_cv_on_ray_equals_local(ray_session):
    args = ["cv", "wiki:C*", "--models", "linear:28,relu:28x8", "--epochs", "80", "--chunk-series", "2", "--json"]
    local = json.loads(runner.invoke(app, args).stdout)
    r = runner.invoke(app, args + ["--backend", "ray"])
    assert r.exit_code == 0, r.output
    ray = json.loads(r.stdout)
    assert ray["backend"] == "ray" and ray["done"] == 3
    a, b = _by_series(local["rows"]), _by_series(ray["rows"])
    for name in a:
        assert a[name]["chosen"] == b[name]["chosen"]
        assert b[name]["test_mae"] == pytest.approx(a[name]["test_mae"], rel=1e-5)


def test_an_unreachable_address_fails_fast_naming_it():
    t0 = time.perf_counter()
    r = runner.invoke(app, ["fit", "wiki:C*", "--backend", "ray", "--address", "127.0.0.1:1"])
    assert r.exit_code == 2 and "--address 127.0.0.1:1" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert time.perf_counter() - t0 < 30  # seconds, not the minutes a training run would take (no timed claim)
