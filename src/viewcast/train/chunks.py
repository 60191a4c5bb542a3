"""Many members in chunks that bound memory: the engine's tensors grow with members × rows, so a
run over thousands of series × folds × seeds is split into chunks, each trained as one program, and
their results are joined as if they had been one run (each member trains exactly as it would alone).

>>> chunk_size(rows=1400, inputs=56, width=100, layers=1, budget=140 * 2**20)
28
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from .. import models
from .config import TrainConfig
from .engine import EngineResult, train
from .members import Member, pack
from .stacked import StackedNet

BUDGET_SHARE = 0.25  # of the memory available now, at most…
BUDGET_MAX = 2 * 2**30  # …and at most 2 GiB per chunk: past that, bigger batched matmuls gain nothing


def available_memory() -> int:
    """Bytes of memory available now (MemAvailable), or 8 GiB when it cannot be read."""
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 8 * 2**30


def chunk_size(rows: int, inputs: int, width: int, layers: int, budget: int | None = None) -> int:
    """Members per chunk: each holds its rows' inputs, targets and masks, and per hidden layer the
    pre-activation, activation and their gradients (float32), plus a copy for the optimizer's step."""
    budget = budget or int(min(BUDGET_MAX, BUDGET_SHARE * available_memory()))
    per_member = 4 * rows * (inputs + 4 + 4 * max(width, 1) * max(layers, 1)) * 2
    return max(1, budget // max(per_member, 1))


def train_members(spec: str | models.Spec, members: list[Member], config: TrainConfig, chunk: int | None = None,
                  progress: Callable | None = None, stop_after=None) -> EngineResult:
    """The engine over `members`, `chunk` at a time (None: sized from the available memory)."""
    s = models.parse(spec) if isinstance(spec, str) else spec
    if chunk is None:
        rows = max(len(m.windows) for m in members)
        chunk = chunk_size(rows, s.k + (7 if members[0].weekday else 0), s.hidden, s.layers)
    if chunk >= len(members):
        return train(s, pack(members), config, progress=progress, stop_after=stop_after)
    per = stop_after is not None and np.ndim(stop_after) > 0
    parts = [train(s, pack(members[a:a + chunk]), config, progress=progress,
                   stop_after=stop_after[a:a + chunk] if per else stop_after)
             for a in range(0, len(members), chunk)]
    return join(parts)


def join(parts: list[EngineResult]) -> EngineResult:
    """One EngineResult from chunks run one after another (histories padded with NaN to the longest)."""
    if len(parts) == 1:
        return parts[0]
    T = max(p.history["train"].shape[1] for p in parts)

    def pad(a: np.ndarray) -> np.ndarray:
        return np.pad(a, ((0, 0), (0, T - a.shape[1])), constant_values=np.nan)

    import torch

    net = StackedNet(parts[0].net.spec, [torch.cat([p.net.W[j] for p in parts]) for j in range(len(parts[0].net.W))],
                     [torch.cat([p.net.b[j] for p in parts]) for j in range(len(parts[0].net.b))],
                     parts[0].net.dropout, parts[0].net.extra_inputs)
    best = None if all(p.best_update is None for p in parts) else np.concatenate(  # −1: no early stopping there
        [np.full(len(p.stops), -1) if p.best_update is None else p.best_update for p in parts])
    lr = max((p.lr for p in parts), key=len)
    return EngineResult(net, {k: np.vstack([pad(p.history[k]) for p in parts]) for k in parts[0].history}, lr,
                        parts[0].lr0, [s for p in parts for s in p.stops], best, sum(p.seconds for p in parts),
                        np.concatenate([p.passes for p in parts]))
