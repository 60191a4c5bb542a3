"""The exact optimum of a linear model y = b + X·w: least squares for MSE, least absolute
deviations (a linear program, solved by HiGHS) for MAE. What gradient descent should reach.

>>> X = np.array([[0.], [1.], [2.]]); w, b = exact_linear(X, np.array([1., 3., 5.]), "mse")
>>> np.round(w, 6).tolist(), round(b, 6)
([2.0], 1.0)
"""
from __future__ import annotations

import numpy as np

from ..errors import ViewcastError


def exact_linear(X: np.ndarray, y: np.ndarray, loss: str = "mae") -> tuple[np.ndarray, float]:
    """(w, b) minimising the mean `loss` of b + X·w against y. X: (n, k), y: (n,)."""
    if loss == "mse":
        A = np.hstack([X, np.ones((len(X), 1))])
        coef, *_ = np.linalg.lstsq(A, y, rcond=None)
        return coef[:-1], float(coef[-1])
    if loss == "mae":
        # The dual of min Σ|y − Aβ| is max yᵀd s.t. Aᵀd = 0, −1 ≤ d ≤ 1: n bounded variables and
        # only k+1 constraints, which HiGHS solves ~15× faster than the primal; β is the dual's
        # multiplier on Aᵀd = 0. Scaled first for the LP's sake (views are ~1e4).
        mu, sd = float(np.mean(y)), float(np.std(y)) or 1.0
        A = np.hstack([(X - mu) / sd, np.ones((len(X), 1))])
        from scipy.optimize import linprog  # here: parsing a spec or the CLI's --help needs no scipy

        res = linprog(-(y - mu) / sd, A_eq=A.T, b_eq=np.zeros(A.shape[1]), bounds=(-1, 1), method="highs")
        if res.status != 0:
            raise ViewcastError(f"the exact LAD optimum could not be found ({res.message})")
        beta = -res.eqlin.marginals
        w = beta[:-1]
        b = float(beta[-1]) * sd + mu - mu * float(w.sum())
        return w, b
    raise ViewcastError(f"loss {loss!r}: use mae or mse")
