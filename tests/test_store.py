import os
import pickle

import numpy as np
import pandas as pd
import pytest

from viewcast import store
from viewcast.errors import ViewcastError
from viewcast.forecasting import predict_days


def forecast(model, scaler, k, s, days, weekday=False) -> pd.Series:
    """The days after the series ends, fed back, as a dated Series (no intervals)."""
    yhat = predict_days(model, scaler, k, weekday, s, days, None)[0]
    return pd.Series(yhat, index=pd.date_range(s.end + pd.Timedelta(days=1), periods=days))
from viewcast.data.series import DailySeries
from viewcast.train import TrainConfig, fit
from viewcast.features import choose_split, prepare

from conftest import weekly_series


@pytest.fixture(scope="module")
def trained():
    s = DailySeries("weekly", weekly_series(400), pd.Timestamp("2020-01-01"))
    return s, fit("relu:7x8", prepare(s, 7, choose_split(s)), TrainConfig(epochs=30))


def test_round_trip_same_predictions(trained, tmp_path):
    s, r = trained
    path = store.save(r, tmp_path / "m.safetensors", s)
    model, meta = store.load(path)
    assert meta["spec"] == "relu:7x8" and meta["data"]["name"] == "weekly"
    X = np.asarray([s.values[-7:]])
    from viewcast.train import predict
    assert predict(model, store.scaler_of(meta), X)[0] == pytest.approx(r.predict(X)[0])
    assert os.listdir(tmp_path) == ["m.safetensors"]  # no temporary file left behind


def test_forecast_feeds_predictions_back(trained):
    s, r = trained
    f = forecast(r.model, r.scaler, 7, s, 3)
    assert list(f.index) == list(pd.date_range(s.end + pd.Timedelta(days=1), periods=3))
    first = r.predict(np.asarray([s.values[-7:]]))[0]
    assert f.iloc[0] == pytest.approx(max(first, 0))
    second = r.predict(np.asarray([np.r_[s.values[-6:], f.iloc[0]]]))[0]
    assert f.iloc[1] == pytest.approx(max(second, 0))


class _Boom:
    def __reduce__(self):
        return (os.system, ("touch /tmp/viewcast_pwned",))


def test_crafted_pickle_refused_and_no_code_runs(tmp_path):
    if os.path.exists("/tmp/viewcast_pwned"):
        os.unlink("/tmp/viewcast_pwned")
    bad = tmp_path / "evil.safetensors"
    bad.write_bytes(pickle.dumps(_Boom()))
    with pytest.raises(ViewcastError, match="pickles are never loaded"):
        store.load(bad)
    assert not os.path.exists("/tmp/viewcast_pwned")


def test_missing_model_file(tmp_path):
    with pytest.raises(ViewcastError, match="no such model file"):
        store.load(tmp_path / "none.safetensors")


def test_failure_mid_write_leaves_the_folder_as_it_was(trained, tmp_path, monkeypatch):
    s, r = trained
    path = store.save(r, tmp_path / "m.safetensors", s)
    before = path.read_bytes()

    def crash(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", crash)
    with pytest.raises(OSError):
        store.save(r, path, s)
    monkeypatch.setattr(os, "fsync", lambda fd: (_ for _ in ()).throw(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):  # Ctrl-C mid-save
        store.save(r, tmp_path / "new.safetensors", s)
    assert os.listdir(tmp_path) == ["m.safetensors"] and path.read_bytes() == before


def _rewrite_meta(path, **changes):
    import json
    from safetensors.torch import load_file, save_file
    from safetensors import safe_open
    with safe_open(str(path), "pt") as f:
        meta = json.loads(f.metadata()["viewcast"])
    save_file(load_file(str(path)), str(path), metadata={"viewcast": json.dumps({**meta, **changes})})


def test_other_format_version_and_damaged_files_refused(trained, tmp_path):
    s, r = trained
    path = store.save(r, tmp_path / "m.safetensors", s)
    _rewrite_meta(path, format_version=99, viewcast="9.9.9")
    with pytest.raises(ViewcastError, match=r"model format 99 from viewcast 9.9.9; this viewcast reads formats 1, 2, 3, 4: refit it"):
        store.load(path)
    good = store.save(r, tmp_path / "g.safetensors", s).read_bytes()
    half = tmp_path / "half.safetensors"
    half.write_bytes(good[: len(good) // 2])
    with pytest.raises(ViewcastError, match="not a viewcast model file"):
        store.load(half)
    other = tmp_path / "other.safetensors"
    from safetensors.torch import save_file
    import torch
    save_file({"w": torch.zeros(3)}, str(other))
    with pytest.raises(ViewcastError, match="not one written by viewcast"):
        store.load(other)


def test_window_that_does_not_fit_the_data(trained, tmp_path):
    from typer.testing import CliRunner
    from viewcast.cli import app
    from conftest import daily_csv
    s, r = trained
    path = store.save(r, tmp_path / "m.safetensors", s)
    short = tmp_path / "short.csv"
    short.write_text(daily_csv([5, 6, 7]))  # 3 days; the model reads 7
    res = CliRunner().invoke(app, ["predict", str(short), "--model", str(path)])
    assert res.exit_code == 2 and "needs the last 7 days complete; the series has 3 days" in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1


def test_spec_that_does_not_match_the_weights_refused(trained, tmp_path):
    s, r = trained
    path = store.save(r, tmp_path / "m.safetensors", s)
    _rewrite_meta(path, spec="relu:7x9")
    with pytest.raises(ViewcastError, match="weights do not fit the model relu:7x9"):
        store.load(path)


def test_weekday_log_ensemble_round_trip(tmp_path):
    from viewcast.train import fit_ensemble
    from viewcast.features import Features

    s = DailySeries("weekly", weekly_series(400), pd.Timestamp("2020-01-01"))
    data = prepare(s, 7, choose_split(s), features=Features(log=True, weekday=True))
    r = fit_ensemble("relu:7x8", data, TrainConfig(epochs=20), 2)
    model, meta = store.load(store.save(r, tmp_path / "m.safetensors", s))
    assert meta["ensemble"] == 2 and meta["features"] == {"log": True, "weekday": True, "diff": False}
    a = forecast(model, store.scaler_of(meta), 7, s, 3, store.features_of(meta).weekday)
    b = forecast(r.model, r.scaler, 7, s, 3, True)
    assert np.allclose(a.to_numpy(), b.to_numpy())


def test_dropout_model_round_trip(tmp_path):
    s = DailySeries("weekly", weekly_series(300), pd.Timestamp("2020-01-01"))
    r = fit("relu:7x8x2", prepare(s, 7, choose_split(s)), TrainConfig(epochs=10, dropout=0.2))
    model, meta = store.load(store.save(r, tmp_path / "d.safetensors", s))
    X = np.asarray([s.values[-7:]])
    from viewcast.train import predict
    assert predict(model, store.scaler_of(meta), X)[0] == pytest.approx(r.predict(X)[0])


def test_a_blend_file_keeps_its_weights_and_a_damaged_weight_is_refused(trained, tmp_path, monkeypatch):
    """A soft blend saves each member's weight (format 3); a tie blend's equal weights stay format 2, which
    an older viewcast reads right — and a format-2 file written before weights were kept reads as equal.
    A viewcast that reads only formats 1 and 2 refuses format 3; a damaged weight is one clean error."""
    import copy

    s, r = trained
    r2 = copy.deepcopy(r)  # a second member with its own tensors
    path = store.save(r, tmp_path / "b.safetensors", s, None, [r, r2], [0.7, 0.3])
    _, meta = store.load(path)
    assert meta["format_version"] == store.WEIGHTED_VERSION and store.weights_of(meta) == pytest.approx([0.7, 0.3])
    assert store.label_of(meta) == f"mean of {r.spec} 70% | {r.spec} 30%"
    equal = store.save(r, tmp_path / "e.safetensors", s, None, [r, r2])
    _, meta2 = store.load(equal)
    assert meta2["format_version"] == store.BLEND_VERSION and store.weights_of(meta2) == [0.5, 0.5]
    _rewrite_meta(equal, blend=[{k: v for k, v in b.items() if k != "weight"} for b in meta2["blend"]])
    assert store.weights_of(store.load(equal)[1]) == [0.5, 0.5]  # as an older viewcast wrote it
    with monkeypatch.context() as m:
        m.setattr(store, "READS", (store.FORMAT_VERSION, store.BLEND_VERSION))
        with pytest.raises(ViewcastError, match="model format 3"):
            store.load(path)
    for bad in (-1.0, float("nan"), "x", None):
        _rewrite_meta(path, blend=[{**b, "weight": bad} for b in meta["blend"]])
        with pytest.raises(ViewcastError, match="blend's weights are missing or not positive numbers"):
            store.load(path)
    _rewrite_meta(path, blend=[{k: v for k, v in b.items() if k != "weight"} for b in meta["blend"]])
    with pytest.raises(ViewcastError, match="blend's weights are missing"):  # format 3 must carry them
        store.load(path)
