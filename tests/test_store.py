import os
import pickle

import numpy as np
import pandas as pd
import pytest

from viewcast import store
from viewcast.errors import ViewcastError
from viewcast.forecast import forecast
from viewcast.series import DailySeries
from viewcast.train import TrainConfig, fit
from viewcast.windows import choose_split, prepare

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
