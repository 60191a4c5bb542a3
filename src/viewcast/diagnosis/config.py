"""What a diagnosis is judged with: the rules' margins and the tests' settings, one frozen value (light to
import: the CLI reads its defaults for --help)."""
from __future__ import annotations

from dataclasses import dataclass

from .verdicts import Thresholds


@dataclass(frozen=True)
class DiagnoseConfig:
    thresholds: Thresholds = Thresholds()  # the rules' margins (verdicts.py documents each)
    block: int = 7  # days per block in the residual tests: a week, the series' cycle
    permutations: int = 999  # block shuffles per two-sample test: p-values down to 0.001
    worst_factor: float = 3.0  # a test day every model misses by this many × its validation MAE
    max_worst: int = 10  # at most this many such days are listed
    neighbors: int = 10  # windows averaged by the nearest-neighbour reference
    seed: int = 0  # the permutations' seed (training uses TrainConfig.seed)
