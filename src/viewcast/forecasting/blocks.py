"""Where validation looks: the most recent days of a series cut into blocks, each forecast by models
trained only on the days before it (rolling origins). The same forecasts choose among the candidates
(their one-day-ahead errors) and calibrate the intervals (their errors 1 … H days ahead), so nothing is
trained twice. Pure functions on day indices.

>>> blocks(n=1000, history=56, folds=4, days=364)
[(636, 727), (727, 818), (818, 909), (909, 1000)]
>>> blocks(n=300, history=56, folds=4, days=364)      # a short series: fewer days, the same folds
[(178, 209), (209, 240), (240, 271), (271, 300)]
"""
from __future__ import annotations

import math

from ..errors import DataError

MIN_TRAIN_SHARE = 0.5  # the first block starts after at least this share of the usable days (trained on)


def blocks(n: int, history: int, folds: int, days: int) -> list[tuple[int, int]]:
    """[(first, end)) day indices of `folds` blocks covering the last `days` days of an n-day series,
    or fewer days when the series is short (the blocks never take more than half of the days after
    the first `history`, which only feed the first windows). Each block's models train on days < first."""
    usable = n - history
    span = min(days, int(usable * (1 - MIN_TRAIN_SHARE)))
    if folds < 1:
        raise DataError("must be at least 1", param="folds", value=folds)
    if span < folds:
        raise DataError(f"{n} days leave no room to validate a forecast of a {history}-day model: it needs at least "
                        f"{history + 2 * folds} days")
    size = math.ceil(span / folds)
    first = n - span
    starts = [first + j * size for j in range(folds)]
    return [(a, min(a + size, n) if j < folds - 1 else n) for j, a in enumerate(starts)]
