"""Optimizers for M members stacked along the first dimension of every parameter tensor: the
formulas of torch.optim's SGD and Adam (so one member moves exactly as it would alone), with a
mask that freezes members that have stopped, and the cosine schedule of η.

>>> p = torch.zeros(2, 1, requires_grad=True); p.grad = torch.ones(2, 1)
>>> opt = Stacked([p], "gd", lr=0.5); opt.step(torch.tensor([True, False]), 0.5); p.detach().tolist()
[[-0.5], [0.0]]
"""
from __future__ import annotations

import math

import torch


def cosine(lr: float, t: int, total: int) -> float:
    """η at update t of `total`: cosine decay from lr to 0 (what LambdaLR gives torch.optim)."""
    return lr * (0.5 * (1 + math.cos(math.pi * min(t, total) / total)))


class Stacked:
    """gd: θ ← θ − η∇L; sgd: with momentum; adam. Weight decay is an L2 penalty (added to ∇L)."""

    def __init__(self, params: list[torch.Tensor], kind: str, lr: float, weight_decay: float = 0.0,
                 momentum: float = 0.9, betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8):
        self.params, self.kind, self.lr, self.wd = params, kind, lr, weight_decay
        self.momentum = momentum if kind == "sgd" else 0.0
        self.betas, self.eps, self.t = betas, eps, 0
        self.state: list[dict[str, torch.Tensor]] = [{} for _ in params]

    def step(self, active: torch.Tensor, lr: float) -> None:
        """One update of the members where `active` (M,) is True; the others keep their weights."""
        self.t += 1
        with torch.no_grad():
            for p, st in zip(self.params, self.state):
                if p.grad is None:
                    continue
                mask = active.reshape((-1,) + (1,) * (p.dim() - 1))
                g = p.grad if self.wd == 0 else p.grad.add(p, alpha=self.wd)
                if self.kind == "adam":
                    b1, b2 = self.betas
                    if not st:
                        st["m"], st["v"] = torch.zeros_like(p), torch.zeros_like(p)
                    st["m"].lerp_(g, 1 - b1)
                    st["v"].mul_(b2).addcmul_(g, g, value=1 - b2)
                    denom = (st["v"].sqrt() / (1 - b2 ** self.t) ** 0.5).add_(self.eps)
                    new = torch.addcdiv(p, st["m"], denom, value=-lr / (1 - b1 ** self.t))  # torch.optim.Adam's
                    p.copy_(torch.where(mask, new, p))  # a frozen member keeps its weights (and no NaN leaks)
                    continue
                if self.momentum:
                    st["buf"] = g.clone() if "buf" not in st else st["buf"].mul_(self.momentum).add_(g)
                    g = st["buf"]
                p.copy_(torch.where(mask, p.add(g, alpha=-lr), p))

    def keep(self, rows: torch.Tensor) -> None:
        """Drop the members not in `rows` from the optimizer's state (after the stack is compacted)."""
        self.state = [{k: v[rows] for k, v in st.items()} for st in self.state]
