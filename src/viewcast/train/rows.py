"""Which rows each member of an engine run sees: its training rows in its own random order each
epoch (mini-batches), its validation rows gathered once, and the 'scale' augmentation drawn from
its own generator. Pure tensor bookkeeping around `engine.train`.

>>> trm = torch.tensor([[1., 1., 1., 1.], [1., 1., 0., 0.]])
>>> o = orders(trm, [torch.Generator().manual_seed(0)] * 2, torch.arange(2), 4, 2)
>>> sorted(o[0].tolist()), sorted(o[1, :1].tolist() + o[1, 2:3].tolist())  # the 2-row member: one row a batch
([0, 1, 2, 3], [0, 1])
"""
from __future__ import annotations

import math

import numpy as np
import torch


def gather(X: torch.Tensor, y: torch.Tensor, mask: torch.Tensor):
    """The rows of each member where `mask` is 1, packed to the front: X (M, most, d), y and a 0/1 mask (M, most)."""
    count = mask.sum(1).long()
    most = max(int(count.max()), 1)
    pos = torch.argsort(-mask, dim=1, stable=True)[:, :most]  # the masked rows first, in order
    rows = torch.arange(len(X), device=X.device)[:, None]
    keep = (torch.arange(most, device=X.device)[None, :] < count[:, None]).to(X.dtype)
    return X[rows, pos], y[rows, pos], keep


def orders(trm: torch.Tensor, gens: list[torch.Generator], ids: torch.Tensor, length: int,
            batch: int) -> torch.Tensor:
    """Each member's training rows (weight > 0) in its own random order for one epoch, padded with −1: (cur, length),
    read `batch` at a time. A member with fewer rows than the epoch's batches need (the stack's largest
    sets their number) has its rows spread over all of them — never an empty batch, whose zero gradient
    would still move Adam's weights and look like a critical point — the others fill batches in order,
    as a plain PyTorch loop does."""
    out = torch.full((len(ids), length), -1, dtype=torch.long)
    batches = length // batch
    for r, i in enumerate(ids.tolist()):
        rows = trm[r].nonzero().flatten().cpu()
        order = rows[torch.randperm(len(rows), generator=gens[i])]
        n = len(order)
        if n > (batches - 1) * batch or n == 0:
            out[r, :n] = order
            continue
        edges = (np.arange(batches + 1) * n) // batches  # batch j takes order[edges[j]:edges[j + 1]]
        for j in range(batches):
            part = order[edges[j]:edges[j + 1]] if edges[j + 1] > edges[j] else order[j % n:j % n + 1]
            out[r, j * batch:j * batch + len(part)] = part  # fewer rows than batches: some rows come twice
    return out.to(trm.device)


def scale_augment(xb, yb, mean, std, log, gens, ids, k):
    """Each window and its target (in views) times one factor in [0.8, 1.25], drawn from the member's
    own generator: a page twice as popular has twice the views. Only the k day inputs scale."""
    b = yb.shape[1]
    f = torch.stack([torch.exp(torch.empty(b).uniform_(math.log(0.8), math.log(1.25), generator=gens[i]))
                     for i in ids.tolist()]).to(yb.device)  # (cur, b)
    mu, sd, lg = mean[:, None], std[:, None], log[:, None]

    def times(z, fz, mu, sd, lg):
        g = z * sd + mu
        return (torch.where(lg, torch.log1p(torch.expm1(g) * fz), g * fz) - mu) / sd

    days = times(xb[..., :k], f[..., None], mu[..., None], sd[..., None], lg[..., None])
    return torch.cat([days, xb[..., k:]], -1), times(yb, f, mu, sd, lg)
