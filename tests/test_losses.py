import numpy as np
import torch

from viewcast.train.losses import mae, mse


def test_known_values_numpy_and_torch():
    p, y = np.array([1.0, 2.0, 3.0]), np.array([2.0, 2.0, 5.0])
    assert mae(p, y) == 1.0 and mse(p, y) == 5.0 / 3
    assert float(mae(torch.tensor(p), torch.tensor(y))) == 1.0


def test_gradients_match_hand_derivation():
    # L = mean|b + w x − y| → ∂L/∂w = mean(sign(e)·x); MSE: ∂L/∂w = mean(2e·x)
    x, y = torch.tensor([1.0, 2.0, 4.0]), torch.tensor([3.0, 1.0, 2.0])
    for loss, grad in ((mae, lambda e: torch.sign(e)), (mse, lambda e: 2 * e)):
        w = torch.tensor(0.7, requires_grad=True)
        b = torch.tensor(0.2, requires_grad=True)
        loss(b + w * x, y).backward()
        e = (0.2 + 0.7 * x - y)
        assert torch.allclose(w.grad, (grad(e) * x).mean())
        assert torch.allclose(b.grad, grad(e).mean())
