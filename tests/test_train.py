import numpy as np
import pandas as pd
import pytest
import torch

from viewcast.errors import ViewcastError
from viewcast.data.series import DailySeries
from viewcast.train import TrainConfig, fit
from viewcast.features import choose_split, prepare

from conftest import weekly_series


@pytest.fixture(scope="module")
def data7():
    s = DailySeries("weekly", weekly_series(600), pd.Timestamp("2020-01-01"))
    return prepare(s, 7, choose_split(s))


def test_gd_reaches_exact_mse_optimum(data7):
    r = fit("linear:7", data7, TrainConfig(loss="mse", optimizer="gd", lr=0.3, epochs=3000, schedule="constant"))
    assert r.exact["loss"] == "mse"
    assert r.exact["gap_pct"] < 0.1, r.exact
    assert np.allclose(r.model.out.weight.detach().numpy()[0], np.array(r.exact["w"]), atol=0.02)


def test_default_recipe_reaches_exact_lad_optimum(data7):
    r = fit("linear:7", data7, TrainConfig(epochs=1000))
    assert r.exact["loss"] == "mae"
    assert 0 <= r.exact["gap_pct"] < 1.0, r.exact  # GD can't beat the exact optimum


def test_same_seed_same_weights(data7):
    cfg = TrainConfig(epochs=50, optimizer="sgd", batch_size=32)
    a, b = fit("relu:7x16x2", data7, cfg), fit("relu:7x16x2", data7, cfg)
    for (ka, va), (kb, vb) in zip(a.model.state_dict().items(), b.model.state_dict().items()):
        assert torch.equal(va, vb)
    assert a.train == b.train
    c = fit("relu:7x16x2", data7, TrainConfig(epochs=50, optimizer="sgd", batch_size=32, seed=1))
    assert c.train != a.train


def test_history_in_views(data7):
    r = fit("linear:7", data7, TrainConfig(epochs=20))
    assert len(r.history.train) == 20 == r.updates
    # the test period is scored once, for the kept weights, never during training
    assert not hasattr(r.history, "test")
    assert r.history.train[0] > 100 and r.history.train[0] > r.train["mae"]  # views, not standard units
    assert np.isnan(r.history.val).all() and r.val is None


def test_divergence_caught_and_weights_kept(data7):
    r = fit("linear:7", data7, TrainConfig(loss="mse", optimizer="gd", lr=1e6, epochs=200, schedule="constant"))
    assert r.stop_reason.startswith("diverged at update")
    assert "smaller learning rate" in r.stop_reason and r.stop.reason.value == "diverged"
    assert np.isfinite(r.train["mae"])


def test_gradient_zero_stops():
    # y = 2x + 1 exactly: MSE GD reaches a critical point and says so
    s = DailySeries("exp", 2.0 ** (np.arange(40) % 10), pd.Timestamp("2020-01-01"))
    data = prepare(s, 1, choose_split(s))
    r = fit("linear:1", data, TrainConfig(loss="mse", optimizer="gd", lr=0.5, epochs=5000, schedule="constant", grad_tol=1e-5))
    assert r.stop_reason.startswith("gradient ≈ 0"), r.stop_reason
    assert r.updates < 5000


@pytest.mark.parametrize("kw", [dict(lr=0), dict(lr=-1), dict(epochs=0), dict(optimizer="lbfgs"), dict(loss="huber"), dict(dropout=1.0)])
def test_bad_settings_refused(kw):
    with pytest.raises(ViewcastError):
        TrainConfig(**kw)


def test_raw_views_train_too(data7):
    raw = prepare(DailySeries("weekly", weekly_series(600), pd.Timestamp("2020-01-01")), 7,
                  data7.split, normalize=False)
    r = fit("linear:7", raw, TrainConfig(normalize=False, optimizer="gd", epochs=300))
    assert r.history.lr[0] < 1e-5  # the book's tiny η in raw units
    assert np.isfinite(r.train["mae"]) and r.train["mae"] < r.history.train[0] / 2


def test_weekday_inputs_let_a_one_day_model_see_the_week():
    from viewcast.features import Features

    s = DailySeries("weekly", weekly_series(600), pd.Timestamp("2020-01-01"))
    sp = choose_split(s)
    plain = fit("linear:1", prepare(s, 1, sp), TrainConfig(epochs=500))
    week = fit("linear:1", prepare(s, 1, sp, features=Features(weekday=True)), TrainConfig(epochs=500))
    assert week.params == plain.params + 7
    assert week.train["mae"] < 0.6 * plain.train["mae"]  # Fri/Sat lows are now predictable
    assert week.exact is None  # the exact optimum is of the plain linear model only


@pytest.mark.parametrize("seed,first", [(0, 0), (1, 3)])
def test_ensemble_averages_members(seed, first):
    """--seed s averages the networks of seeds 3s, 3s+1, 3s+2: seed 1 shares none with seed 0."""
    from viewcast.train import fit_ensemble

    s = DailySeries("weekly", weekly_series(400), pd.Timestamp("2020-01-01"))
    data = prepare(s, 7, choose_split(s))
    e = fit_ensemble("relu:7x8", data, TrainConfig(epochs=40, seed=seed), 3)
    members = [fit("relu:7x8", data, TrainConfig(epochs=40, seed=i)) for i in range(first, first + 3)]
    z = np.mean([m.model(torch.as_tensor(data.scaler.transform(data.test.X), dtype=torch.float32)).detach().numpy() for m in members], 0)
    assert np.allclose(e.predict(data.test.X), data.scaler.inverse(z), rtol=1e-5)
    assert e.params == 3 * members[0].params
