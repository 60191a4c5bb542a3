"""What a user would do instead of viewcast, for one series: the course's plain PyTorch loop and
scikit-learn's MLPRegressor. Both take standardized arrays (X (n, k), y (n,)), training and
validation rows, and return the validation MAE in standard units, the epochs/iterations validation
chose, the predictions of the model refit on all rows, and the sample passes done (rows × passes).
"""
from __future__ import annotations

import warnings

import numpy as np


def plain_pytorch(X: np.ndarray, y: np.ndarray, tr: np.ndarray, va: np.ndarray, seed: int = 0,
                  X_test: np.ndarray | None = None, refit: bool = True, patience: int = 10,
                  max_epochs: int = 1000) -> dict:
    """nn.Sequential(Linear, ReLU, Linear), DataLoader(batch 256, shuffle), Adam(1e-3), L1 loss,
    validation after every epoch, early stop after `patience` epochs without improvement (the best
    weights restored), then a refit on all rows for the best number of epochs."""
    import torch
    from torch import nn
    from torch.utils.data import DataLoader, TensorDataset

    X, y = X.astype(np.float32), y.astype(np.float32)
    passes = 0

    def loop(rows, val_rows, epochs):
        nonlocal passes
        torch.manual_seed(seed)
        model = nn.Sequential(nn.Linear(X.shape[1], 100), nn.ReLU(), nn.Linear(100, 1))
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)
        loader = DataLoader(TensorDataset(torch.from_numpy(X[rows]), torch.from_numpy(y[rows])), batch_size=256,
                            shuffle=True)
        Xv = torch.from_numpy(X[val_rows]) if val_rows is not None else None
        yv = torch.from_numpy(y[val_rows]) if val_rows is not None else None
        best, best_epoch, best_state, bad = float("inf"), epochs, None, 0
        for epoch in range(epochs):
            model.train()
            for xb, yb in loader:
                opt.zero_grad()
                nn.functional.l1_loss(model(xb).squeeze(-1), yb).backward()
                opt.step()
                passes += len(xb)
            if Xv is None:
                continue
            model.eval()
            with torch.no_grad():
                v = float(nn.functional.l1_loss(model(Xv).squeeze(-1), yv))
            if v < best:
                best, best_epoch, bad = v, epoch + 1, 0
                best_state = {k: t.clone() for k, t in model.state_dict().items()}
            else:
                bad += 1
                if bad >= patience:
                    break
        if best_state is not None:
            model.load_state_dict(best_state)
        return model, best, best_epoch

    model, val, epochs = loop(tr, va, max_epochs)
    out = {"val_mae": val, "epochs": epochs}
    if refit:
        model, _, _ = loop(np.arange(len(y)), None, epochs)
    if X_test is not None:
        with torch.no_grad():
            out["pred_test"] = model(torch.from_numpy(X_test.astype(np.float32))).squeeze(-1).numpy().astype(float)
    out["sample_passes"] = passes
    return out


def sklearn_mlp(X: np.ndarray, y: np.ndarray, tr: np.ndarray, va: np.ndarray, seed: int = 0,
                X_test: np.ndarray | None = None, refit: bool = True) -> dict:
    """MLPRegressor(100) with its own early stopping (a random 10% of what it is given; squared error,
    sklearn's only loss), scored on our validation rows, then refit on all rows for as many iterations."""
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPRegressor

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        m = MLPRegressor(hidden_layer_sizes=(100,), early_stopping=True, random_state=seed, max_iter=1000).fit(X[tr], y[tr])
        out = {"val_mae": float(np.mean(np.abs(m.predict(X[va]) - y[va]))), "epochs": m.n_iter_,
               "sample_passes": m.n_iter_ * len(tr)}
        if refit:
            m = MLPRegressor(hidden_layer_sizes=(100,), random_state=seed, max_iter=m.n_iter_).fit(X, y)
            out["sample_passes"] += m.n_iter_ * len(y)
    if X_test is not None:
        out["pred_test"] = m.predict(X_test)
    return out
