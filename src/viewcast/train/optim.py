"""Optimizers for M members stacked along the first dimension of every parameter tensor: the
formulas of torch.optim's SGD and Adam (so one member moves exactly as it would alone), with a
mask that freezes members that have stopped, and the cosine schedule of η.

>>> p, g = torch.zeros(4), torch.ones(4)     # two members of two weights each
>>> opt = Stacked(p, g, torch.tensor([0, 0, 1, 1]), "gd", lr=0.5); opt.step(torch.tensor([True, False]), 0.5)
>>> p.tolist()
[-0.5, -0.5, 0.0, 0.0]
"""
from __future__ import annotations

import math

import torch


def cosine(lr: float, t: int, total: int) -> float:
    """η at update t of `total`: cosine decay from lr to 0 (what LambdaLR gives torch.optim)."""
    return lr * (0.5 * (1 + math.cos(math.pi * min(t, total) / total)))


class Stacked:
    """gd: θ ← θ − η∇L; sgd: with momentum; adam. Weight decay is an L2 penalty (added to ∇L).
    θ and ∇L are 1-D tensors holding every member's weights; `member_of` says whose each element is."""

    def __init__(self, flat: torch.Tensor, grad: torch.Tensor, member_of: torch.Tensor, kind: str, lr: float,
                 weight_decay: float = 0.0, momentum: float = 0.9, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8):
        self.flat, self.grad, self.member_of = flat, grad, member_of
        self.kind, self.lr, self.wd = kind, lr, weight_decay
        self.momentum = momentum if kind == "sgd" else 0.0
        self.betas, self.eps, self.t = betas, eps, 0
        self.state: dict[str, torch.Tensor] = {}

    def step(self, active: torch.Tensor, lr: float) -> None:
        """One update of the members where `active` (M,) is True; the others keep their weights."""
        self.t += 1
        p, st = self.flat, self.state
        with torch.no_grad():
            mask = active.index_select(0, self.member_of)
            g = self.grad if self.wd == 0 else self.grad.add(p, alpha=self.wd)
            if self.kind == "adam":
                b1, b2 = self.betas
                if not st:
                    st["m"], st["v"] = torch.zeros_like(p), torch.zeros_like(p)
                st["m"].lerp_(g, 1 - b1)
                st["v"].mul_(b2).addcmul_(g, g, value=1 - b2)
                denom = (st["v"].sqrt() / (1 - b2 ** self.t) ** 0.5).add_(self.eps)
                new = torch.addcdiv(p, st["m"], denom, value=-lr / (1 - b1 ** self.t))  # torch.optim.Adam's
                p.copy_(torch.where(mask, new, p))  # a frozen member keeps its weights (and no NaN leaks)
                return
            if self.momentum:
                st["buf"] = g.clone() if "buf" not in st else st["buf"].mul_(self.momentum).add_(g)
                g = st["buf"]
            p.copy_(torch.where(mask, p.add(g, alpha=-lr), p))

    def keep(self, old, new, rows: torch.Tensor) -> None:
        """Follow the stack from StackedNet `old` to `new` = old.take(rows): the state of those members only."""
        self.state = {k: old.rows(v, rows) for k, v in self.state.items()}
        self.flat, self.grad, self.member_of = new.flat, new.grad, new.member_of
