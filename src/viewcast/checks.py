"""Every numeric setting's constraint, declared once (as scikit-learn's `validate_params` does): the
commands, the Python functions and the configs check through `check`, so a setting is refused in the
same words wherever it is given — `--seeds 0` on the command line, `seeds=0` in Python.

>>> check(days=3, seeds=2, chunk=None)
>>> check(seeds=0)
Traceback (most recent call last):
...
viewcast.errors.ViewcastError: seeds=0: must be at least 1
>>> check(days=400)
Traceback (most recent call last):
...
viewcast.errors.ViewcastError: days=400: must be 1…90
"""
from __future__ import annotations

from dataclasses import dataclass

from .errors import ViewcastError

MAX_DAYS = 90  # a forecast's days ahead: past a quarter the intervals of a daily model say little


@dataclass(frozen=True)
class AtLeast:
    low: int
    what: str = ""  # what one unit is, said after the number ("series per chunk")
    optional: bool = False  # None means "the default"

    def problem(self, value) -> str | None:
        if value is None and self.optional:
            return None
        if not isinstance(value, int) or isinstance(value, bool) or value < self.low:
            return f"must be at least {self.low}{' ' + self.what if self.what else ''}"
        return None


@dataclass(frozen=True)
class Between:
    low: int
    high: int

    def problem(self, value) -> str | None:
        if not isinstance(value, int) or isinstance(value, bool) or not self.low <= value <= self.high:
            return f"must be {self.low}…{self.high}"
        return None


CONSTRAINTS = {
    "days": Between(1, MAX_DAYS),
    "seeds": AtLeast(1),
    "ensemble": AtLeast(1),
    "folds": AtLeast(1),
    "epochs": AtLeast(1),
    "steps": AtLeast(1),
    "batch_size": AtLeast(1, optional=True),
    "batch": AtLeast(1),
    "max_updates": AtLeast(1),
    "workers": AtLeast(1, optional=True),
    "chunk": AtLeast(1, "member per engine program", optional=True),
    "chunk_series": AtLeast(1, "series per chunk"),
    "select": AtLeast(1, "feature", optional=True),  # a table's K best features (None: every one)
}


def check(**params) -> None:
    """Raise ViewcastError for the first setting that breaks its declared constraint."""
    for name, value in params.items():
        problem = CONSTRAINTS[name].problem(value)
        if problem:
            raise ViewcastError(problem, param=name, value=value)
