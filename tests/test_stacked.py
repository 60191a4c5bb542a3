import numpy as np
import pandas as pd
import pytest

from viewcast.series import DailySeries
from viewcast.stacked import Member, train_members
from viewcast.train import TrainConfig, fit
from viewcast.windows import choose_split, prepare

from conftest import weekly_series


@pytest.fixture(scope="module")
def data():
    s = DailySeries("weekly", weekly_series(500), pd.Timestamp("2020-01-01"))
    return prepare(s, 7, choose_split(s))


@pytest.mark.parametrize("spec", ["linear:7", "relu:7x16x2"])
def test_one_member_equals_fit(data, spec):
    n = len(data.train)
    cfg = TrainConfig(epochs=80)
    r = fit(spec, data, cfg)
    st = train_members(spec, data.train, [Member(np.arange(n), np.arange(0), 0)], cfg)
    assert st.train["mae"][0] == pytest.approx(r.train["mae"], rel=1e-4)


def test_folds_together_equal_folds_one_by_one(data):
    n = len(data.train)
    folds = [(np.r_[0:100, 200:n], np.arange(100, 200)), (np.arange(0, n - 100), np.arange(n - 100, n))]
    cfg = TrainConfig(epochs=60)
    st = train_members("relu:7x8", data.train, [Member(tr, va, 0) for tr, va in folds], cfg)
    for i, (tr, va) in enumerate(folds):
        # the fold alone, with its own scaler (fitted on its own training rows)
        from viewcast.windows import Prepared, Scaler

        own = Prepared(7, data.train.take(tr), data.test, Scaler.fit(data.train.y[tr]), data.split)
        r = fit("relu:7x8", own, cfg, val=data.train.take(va))
        assert st.val["mae"][i] == pytest.approx(r.val["mae"], rel=1e-4)


def test_early_stopping_restores_the_best_weights(data):
    n = len(data.train)
    tr, va = np.arange(0, n - 80), np.arange(n - 80, n)
    cfg = TrainConfig(epochs=400, early_stop=20, lr=0.05)
    r = fit("relu:7x64x2", data, cfg, val=data.train.take(va), train_windows=data.train.take(tr))
    best = int(np.nanargmin(r.history.val))
    assert r.best_update == best
    assert r.val["mae"] == pytest.approx(min(r.history.val), rel=1e-4)
    assert r.stop_reason.startswith("early stop") and r.updates < 400
    st = train_members("relu:7x64x2", data.train, [Member(tr, va, 0)], cfg)
    assert st.val["mae"][0] == pytest.approx(np.nanmin(st.history_val[0]), rel=1e-4)
    assert st.best_update[0] == np.nanargmin(st.history_val[0])


def test_same_seed_same_result(data):
    n = len(data.train)
    m = [Member(np.arange(n - 50), np.arange(n - 50, n), s) for s in (0, 1)]
    a = train_members("relu:7x8", data.train, m, TrainConfig(epochs=30))
    b = train_members("relu:7x8", data.train, m, TrainConfig(epochs=30))
    assert np.array_equal(a.val["mae"], b.val["mae"])
    assert a.val["mae"][0] != a.val["mae"][1]  # different seeds, different starts


def test_a_diverging_run_keeps_its_last_finite_weights(data):
    n = len(data.train)
    st = train_members("linear:7", data.train, [Member(np.arange(n - 50), np.arange(n - 50, n), 0)],
                       TrainConfig(loss="mse", optimizer="gd", lr=1e6, epochs=200, schedule="constant"))
    assert st.stop_reason.startswith("diverged at update")
    assert np.isfinite(st.val["mae"]).all() and np.isfinite(st.train["mae"]).all()
