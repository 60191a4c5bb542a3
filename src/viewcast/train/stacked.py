"""M copies of one rung of the ladder as stacked tensors, so that one batched matmul trains them
all: layer l holds W (M, out, in) and b (M, 1, out), nn.Linear's layout. A stack of one runs the
very kernels nn.Linear runs (F.linear), so `fit` gives the numbers a plain PyTorch loop gives. Member i starts from exactly the weights
`models.build(spec)` gives after torch.manual_seed(seed_i), and goes back to such a module.

>>> net = StackedNet.init("relu:3x4", seeds=[0, 1])
>>> net.forward(torch.zeros(2, 5, 3)).shape
torch.Size([2, 5])
>>> torch.manual_seed(1); m = models.build("relu:3x4"); x = torch.randn(5, 3)  # doctest: +ELLIPSIS
<torch._C.Generator object at ...>
>>> torch.allclose(net.module(1)(x), net.forward(torch.stack([x, x]))[1], atol=1e-6)
True
"""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from .. import models
from ..models.nets import ACTIVATIONS


class StackedNet:
    def __init__(self, spec: models.Spec, weights: list[torch.Tensor], biases: list[torch.Tensor],
                 dropout: float = 0.0, extra_inputs: int = 0):
        self.spec, self.W, self.b = spec, weights, biases
        self.dropout, self.extra_inputs = dropout, extra_inputs
        self.act = ACTIVATIONS.get(spec.kind)  # None for linear

    @classmethod
    def init(cls, spec: str | models.Spec, seeds: list[int], dropout: float = 0.0, extra_inputs: int = 0,
             device: torch.device | str = "cpu") -> "StackedNet":
        """One freshly initialised member per seed (the same start as `models.build` after manual_seed)."""
        s = models.parse(spec) if isinstance(spec, str) else spec
        layers: list[list[nn.Linear]] = []
        for seed in seeds:
            torch.manual_seed(seed)
            layers.append(_linears(models.build(s, extra_inputs=extra_inputs)))
        W = [torch.stack([ls[j].weight.detach() for ls in layers]).to(device) for j in range(len(layers[0]))]
        b = [torch.stack([ls[j].bias.detach()[None] for ls in layers]).to(device) for j in range(len(layers[0]))]
        for t in W + b:
            t.requires_grad_(True)
        return cls(s, W, b, dropout, extra_inputs)

    @property
    def params(self) -> list[torch.Tensor]:
        return [t for pair in zip(self.W, self.b) for t in pair]

    @property
    def members(self) -> int:
        return self.W[0].shape[0]

    def forward(self, x: torch.Tensor, train: bool = False) -> torch.Tensor:
        """x (M, n, in) → (M, n): each member on its own rows."""
        one = x.shape[0] == 1
        h = x[0] if one else x
        last = len(self.W) - 1
        for j, (W, b) in enumerate(zip(self.W, self.b)):
            h = F.linear(h, W[0], b[0, 0]) if one else torch.baddbmm(b, h, W.transpose(1, 2))
            if j < last:
                h = self.act(h)
                if train and self.dropout > 0:
                    h = F.dropout(h, self.dropout, training=True)
        h = h.squeeze(-1)
        return h[None] if one else h

    def zero_grad(self) -> None:
        for p in self.params:
            p.grad = None

    def grad_norms(self) -> torch.Tensor:
        """‖∇L‖ of each member over all its weights: (M,)."""
        sq = sum(p.grad.pow(2).flatten(1).sum(1) for p in self.params if p.grad is not None)
        return torch.sqrt(sq)

    def take(self, rows: torch.Tensor) -> "StackedNet":
        """The members `rows` only (a new stack; gradients start afresh)."""
        return StackedNet(self.spec, [w[rows].detach().requires_grad_(True) for w in self.W],
                          [b[rows].detach().requires_grad_(True) for b in self.b], self.dropout, self.extra_inputs)

    def detached(self) -> "StackedNet":
        return StackedNet(self.spec, [w.detach().clone() for w in self.W], [b.detach().clone() for b in self.b],
                          self.dropout, self.extra_inputs)

    def module(self, i: int) -> nn.Module:
        """Member i as a plain `models.build` module on the CPU, in eval mode."""
        m = models.build(self.spec, dropout=self.dropout, extra_inputs=self.extra_inputs)
        with torch.no_grad():
            for lin, W, b in zip(_linears(m), self.W, self.b):
                lin.weight.copy_(W[i])
                lin.bias.copy_(b[i, 0])
        return m.eval()


def _linears(m: nn.Module) -> list[nn.Linear]:
    return [x for x in m.modules() if isinstance(x, nn.Linear)]
