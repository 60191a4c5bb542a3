"""The ladder of models, each a small nn.Module with the same forward(x): (batch, k) → (batch,).

Built by name from a spec string:

    linear:K            y = b + Σⱼ wⱼ xⱼ
    hardsigmoid:KxH     y = b + Σᵢ cᵢ clamp(bᵢ + Σⱼ wᵢⱼ xⱼ, 0, 1)   (a piecewise-linear curve)
    sigmoid:KxH         y = b + Σᵢ cᵢ σ(bᵢ + Σⱼ wᵢⱼ xⱼ)
    relu:KxH            y = b + Σᵢ cᵢ max(0, bᵢ + Σⱼ wᵢⱼ xⱼ)
    relu:KxHxL          L hidden layers of H ReLUs (also sigmoid:KxHxL, hardsigmoid:KxHxL)

>>> build("relu:56x100x3")(torch.zeros(4, 56)).shape
torch.Size([4])
"""
from __future__ import annotations

import torch
from torch import nn

from .spec import Spec, parse


class HardSigmoid(nn.Module):
    """clamp(z, 0, 1): two ReLUs, max(0, z) − max(0, z − 1)."""

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return z.clamp(0.0, 1.0)


_ACT = {"relu": nn.ReLU, "sigmoid": nn.Sigmoid, "hardsigmoid": HardSigmoid}
ACTIVATIONS = {"relu": torch.relu, "sigmoid": torch.sigmoid, "hardsigmoid": lambda z: z.clamp(0.0, 1.0)}  # functional forms


class Linear(nn.Module):
    """y = b + Σⱼ wⱼ xⱼ."""

    def __init__(self, k: int):
        super().__init__()
        self.out = nn.Linear(k, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # (batch, k) → (batch,)
        return self.out(x).squeeze(-1)


class Net(nn.Module):
    """L hidden layers of H units with one activation, then a weighted sum: y = b + Σᵢ cᵢ aᵢ."""

    def __init__(self, k: int, hidden: int, layers: int, activation: str, dropout: float = 0.0):
        super().__init__()
        blocks: list[nn.Module] = []
        width = k
        for _ in range(layers):
            blocks += [nn.Linear(width, hidden), _ACT[activation]()]
            if dropout > 0:
                blocks.append(nn.Dropout(dropout))
            width = hidden
        self.hidden = nn.Sequential(*blocks)
        self.out = nn.Linear(width, 1)  # c and b

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # (batch, k) → (batch,)
        return self.out(self.hidden(x)).squeeze(-1)


class HardSigmoidSum(Net):
    def __init__(self, k: int, hidden: int, layers: int = 1, dropout: float = 0.0):
        super().__init__(k, hidden, layers, "hardsigmoid", dropout)


class SigmoidSum(Net):
    def __init__(self, k: int, hidden: int, layers: int = 1, dropout: float = 0.0):
        super().__init__(k, hidden, layers, "sigmoid", dropout)


class ReLUNet(Net):
    def __init__(self, k: int, hidden: int, layers: int = 1, dropout: float = 0.0):
        super().__init__(k, hidden, layers, "relu", dropout)


_CLASSES = {"hardsigmoid": HardSigmoidSum, "sigmoid": SigmoidSum, "relu": ReLUNet}


def build(spec: str | Spec, dropout: float = 0.0, extra_inputs: int = 0) -> nn.Module:
    """A freshly initialised model for `spec` (seed torch first for reproducible weights).
    `extra_inputs`: inputs after the K days (e.g. 7 for a one-hot weekday)."""
    s = parse(spec) if isinstance(spec, str) else spec
    if s.kind == "linear":
        return Linear(s.k + extra_inputs)
    return _CLASSES[s.kind](s.k + extra_inputs, s.hidden, s.layers, dropout)


class Ensemble(nn.Module):
    """The average of several networks' outputs (e.g. the same spec from several seeds)."""

    def __init__(self, members: list[nn.Module]):
        super().__init__()
        self.members = nn.ModuleList(members)

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # (batch, in) → (batch,)
        return torch.stack([m(x) for m in self.members]).mean(0)


def n_params(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())
