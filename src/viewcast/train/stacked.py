"""M copies of one rung of the ladder as stacked tensors, so that one batched matmul trains them
all: layer l holds W (M, out, in) and b (M, 1, out), nn.Linear's layout, as views of one tensor. A stack
of one runs the very kernels nn.Linear runs (F.linear), so `fit` gives the numbers a plain PyTorch loop
gives. Member i starts from exactly the weights `models.build(spec)` gives after torch.manual_seed(seed_i),
drawn from a generator of its own (torch's global random state is left alone), and goes back to such a
module.

>>> net = StackedNet.init("relu:3x4", seeds=[0, 1])
>>> net.forward(torch.zeros(2, 5, 3)).shape
torch.Size([2, 5])
>>> torch.manual_seed(1); m = models.build("relu:3x4"); x = torch.randn(5, 3)  # doctest: +ELLIPSIS
<torch._C.Generator object at ...>
>>> torch.allclose(net.module(1)(x), net.forward(torch.stack([x, x]))[1], atol=1e-6)
True
"""
from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

from .. import models
from ..models.nets import ACTIVATIONS


class StackedNet:
    """Every weight of every member lives in one 1-D tensor `flat` (layer by layer: all members' W,
    then all members' b), and W, b are contiguous views of it — leaves that autograd accumulates
    into views of one gradient tensor `grad`. So the optimizer, the best-weights copy and the
    gradient norms are one tensor operation each, whatever the depth (`member_of` says whose each
    element is), while a stack of one runs exactly the kernels a plain nn.Linear network runs."""

    def __init__(self, spec: models.Spec, weights: list[torch.Tensor], biases: list[torch.Tensor],
                 dropout: float = 0.0, extra_inputs: int = 0, trainable: bool | None = None):
        self.spec, self.dropout, self.extra_inputs = spec, dropout, extra_inputs
        self.act = ACTIVATIONS.get(spec.kind)  # None for linear
        pieces = [t for pair in zip(weights, biases) for t in pair]
        trainable = any(t.requires_grad for t in pieces) if trainable is None else trainable
        self.flat = torch.cat([t.detach().reshape(-1) for t in pieces])
        views = split(self.flat, [t.shape for t in pieces])
        M = pieces[0].shape[0]
        self.member_of = torch.cat([torch.arange(M, device=self.flat.device).repeat_interleave(t[0].numel())
                                    for t in pieces])
        self.grad = torch.zeros_like(self.flat) if trainable else None
        if trainable:
            for v, g in zip(views, split(self.grad, [t.shape for t in pieces])):
                v.requires_grad_(True)
                v.grad = g  # backward accumulates into it in place: the gradient lands in self.grad
        self.W, self.b = views[0::2], views[1::2]

    @classmethod
    def init(cls, spec: str | models.Spec, seeds: list[int], dropout: float = 0.0, extra_inputs: int = 0,
             device: torch.device | str = "cpu") -> "StackedNet":
        """One freshly initialised member per seed (the same start as `models.build` after manual_seed)."""
        s = models.parse(spec) if isinstance(spec, str) else spec
        with torch.device("meta"):  # the layers' shapes, in order, without drawing a number
            shapes = [tuple(lin.weight.shape) for lin in _linears(models.build(s, extra_inputs=extra_inputs))]
        layers = [_init(shapes, torch.Generator().manual_seed(seed)) for seed in seeds]
        W = [torch.stack([ls[j][0] for ls in layers]).to(device) for j in range(len(shapes))]
        b = [torch.stack([ls[j][1][None] for ls in layers]).to(device) for j in range(len(shapes))]
        return cls(s, W, b, dropout, extra_inputs, trainable=True)

    @property
    def params(self) -> list[torch.Tensor]:
        return [t for pair in zip(self.W, self.b) for t in pair]

    @property
    def members(self) -> int:
        return self.W[0].shape[0]

    def rows(self, buf: torch.Tensor, rows: torch.Tensor) -> torch.Tensor:
        """A 1-D tensor laid out like `flat` (e.g. optimizer state), for the members `rows` only."""
        return torch.cat([v[rows].reshape(-1) for v in split(buf, [p.shape for p in self.params])])

    def forward(self, x: torch.Tensor, train: bool = False, generator: torch.Generator | None = None) -> torch.Tensor:
        """x (M, n, in) → (M, n): each member on its own rows. Training with dropout draws its masks from
        `generator` (None: torch's global one)."""
        one = x.shape[0] == 1
        h = x[0] if one else x
        last = len(self.W) - 1
        for j, (W, b) in enumerate(zip(self.W, self.b)):
            h = F.linear(h, W[0], b[0, 0]) if one else torch.baddbmm(b, h, W.transpose(1, 2))
            if j < last:
                h = self.act(h)
                if train and self.dropout > 0:
                    h = _dropout(h, self.dropout, generator)
        h = h.squeeze(-1)
        return h[None] if one else h

    def zero_grad(self) -> None:
        if self.grad is not None:
            self.grad.zero_()

    def grad_norms(self) -> torch.Tensor:
        """‖∇L‖ of each member over all its weights: (M,)."""
        sq = self.grad * self.grad
        return sum(v.reshape(self.members, -1).sum(1) for v in split(sq, [p.shape for p in self.params])).sqrt()

    def each(self, mask: torch.Tensor) -> torch.Tensor:
        """A per-member mask (M,) spread over every weight: laid out like `flat`."""
        return mask.index_select(0, self.member_of)  # index_select: several times faster than mask[member_of]

    def take(self, rows: torch.Tensor) -> "StackedNet":
        """The members `rows` only (a new stack; gradients start afresh)."""
        return StackedNet(self.spec, [w[rows] for w in self.W], [b[rows] for b in self.b], self.dropout,
                          self.extra_inputs, trainable=self.grad is not None)

    def detached(self) -> "StackedNet":
        return StackedNet(self.spec, [w.detach().clone() for w in self.W], [b.detach().clone() for b in self.b],
                          self.dropout, self.extra_inputs, trainable=False)

    def module(self, i: int) -> nn.Module:
        """Member i as a plain `models.build` module on the CPU, in eval mode."""
        m = models.build(self.spec, dropout=self.dropout, extra_inputs=self.extra_inputs)
        with torch.no_grad():
            for lin, W, b in zip(_linears(m), self.W, self.b):
                lin.weight.copy_(W[i])
                lin.bias.copy_(b[i, 0])
        return m.eval()


def split(flat: torch.Tensor, shapes: list[torch.Size]) -> list[torch.Tensor]:
    """Contiguous views of the 1-D `flat`, one per shape, in order."""
    out, at = [], 0
    for shape in shapes:
        n = int(torch.Size(shape).numel())
        out.append(flat[at:at + n].view(shape))
        at += n
    return out


def _linears(m: nn.Module) -> list[nn.Linear]:
    return [x for x in m.modules() if isinstance(x, nn.Linear)]


def _init(shapes: list[tuple[int, int]], g: torch.Generator) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """(W, b) of each layer as nn.Linear.reset_parameters draws them, in the same order, from `g`:
    the numbers `models.build` gives after torch.manual_seed (a test holds them equal bit for bit)."""
    out = []
    for shape in shapes:
        W = nn.init.kaiming_uniform_(torch.empty(shape), a=math.sqrt(5), generator=g)
        bound = 1 / math.sqrt(shape[1]) if shape[1] > 0 else 0
        out.append((W, nn.init.uniform_(torch.empty(shape[0]), -bound, bound, generator=g)))
    return out


def _dropout(h: torch.Tensor, p: float, generator: torch.Generator | None) -> torch.Tensor:
    """F.dropout's computation on the CPU (h times a Bernoulli(1 − p) mask over 1 − p) with the mask
    drawn from `generator`: F.dropout itself takes no generator."""
    return h * torch.empty_like(h).bernoulli_(1 - p, generator=generator).div_(1 - p)
