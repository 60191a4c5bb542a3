import numpy as np
import pytest
from sklearn.linear_model import QuantileRegressor

from viewcast.models.exact import exact_linear


def test_mse_closed_form():
    X = np.array([[0.0], [1.0], [2.0], [3.0]])
    y = np.array([1.0, 3.0, 5.0, 8.0])
    w, b = exact_linear(X, y, "mse")
    A = np.hstack([X, np.ones((4, 1))])
    ref = np.linalg.solve(A.T @ A, A.T @ y)
    assert np.allclose([w[0], b], ref)


def test_lad_constant_is_median():
    X = np.zeros((5, 1))
    y = np.array([1.0, 2.0, 10.0, 3.0, 100.0])
    w, b = exact_linear(X, y, "mae")
    assert np.mean(np.abs(y - b)) == pytest.approx(np.mean(np.abs(y - 3.0)))


def test_lad_matches_sklearn_on_random_data():
    rng = np.random.default_rng(1)
    X = rng.normal(5000, 1000, (300, 4))
    y = X @ np.array([0.2, 0.1, 0.3, 0.4]) + rng.laplace(0, 200, 300)
    w, b = exact_linear(X, y, "mae")
    q = QuantileRegressor(quantile=0.5, alpha=0.0, solver="highs").fit(X, y)
    ours = np.mean(np.abs(y - X @ w - b))
    theirs = np.mean(np.abs(y - q.predict(X)))
    assert ours == pytest.approx(theirs, rel=1e-6)
    # and no other point does better: perturbations only raise the loss
    for d in rng.normal(0, 0.01, (20, 4)):
        assert np.mean(np.abs(y - X @ (w + d) - b)) >= ours - 1e-9
