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

import re
from dataclasses import dataclass

import torch
from torch import nn

from .errors import SpecError

GRAMMAR = "linear:K | hardsigmoid:KxH[xL] | sigmoid:KxH[xL] | relu:KxH[xL]  (e.g. linear:56, relu:56x100x3)"
KINDS = ("linear", "hardsigmoid", "sigmoid", "relu")
_SPEC = re.compile(r"^(?P<kind>[a-z]+):(?P<k>\d+)(?:x(?P<h>\d+))?(?:x(?P<l>\d+))?$")


@dataclass(frozen=True)
class Spec:
    kind: str  # one of KINDS
    k: int  # days of input
    hidden: int = 0  # H: units per hidden layer (0 for linear)
    layers: int = 0  # L: hidden layers (0 for linear)

    def __str__(self) -> str:
        if self.kind == "linear":
            return f"linear:{self.k}"
        return f"{self.kind}:{self.k}x{self.hidden}" + (f"x{self.layers}" if self.layers != 1 else "")


def parse(spec: str) -> Spec:
    """'relu:56x100x3' → Spec('relu', 56, 100, 3). A bad spec raises SpecError showing the grammar."""
    m = _SPEC.match(spec.strip().lower())
    if not m or m["kind"] not in KINDS:
        raise SpecError(f"model spec {spec!r} not understood; grammar: {GRAMMAR}")
    kind, k = m["kind"], int(m["k"])
    h, layers = m["h"], m["l"]
    if kind == "linear":
        if h is not None:
            raise SpecError(f"model spec {spec!r}: linear takes only K (days); grammar: {GRAMMAR}")
        s = Spec(kind, k)
    else:
        if h is None:
            raise SpecError(f"model spec {spec!r}: {kind} needs KxH (days × units); grammar: {GRAMMAR}")
        s = Spec(kind, k, int(h), int(layers) if layers else 1)
        if s.hidden < 1 or s.layers < 1:
            raise SpecError(f"model spec {spec!r}: H and L must be at least 1; grammar: {GRAMMAR}")
    if s.k < 1:
        raise SpecError(f"model spec {spec!r}: K (days of input) must be at least 1; grammar: {GRAMMAR}")
    if s.hidden * max(s.k, s.hidden) * max(s.layers, 1) > 50_000_000:
        raise SpecError(f"model spec {spec!r}: too large for this tool (over 50M weights)")
    return s


def parse_list(specs: str) -> list[Spec]:
    """'linear:28,relu:56x100' → [Spec, Spec]."""
    out = [parse(s) for s in specs.split(",") if s.strip()]
    if not out:
        raise SpecError(f"no model specs given; grammar: {GRAMMAR}")
    return out


class HardSigmoid(nn.Module):
    """clamp(z, 0, 1): two ReLUs, max(0, z) − max(0, z − 1)."""

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return z.clamp(0.0, 1.0)


_ACT = {"relu": nn.ReLU, "sigmoid": nn.Sigmoid, "hardsigmoid": HardSigmoid}


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
