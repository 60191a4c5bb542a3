"""A daily series on a complete calendar grid: the one shape every later step reads."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import DataError

FILLS = ("none", "zero", "interpolate")


@dataclass(frozen=True)
class DailySeries:
    """Daily values on a gap-free calendar: day i is `start + i days`; a missing day is NaN.

    >>> s = DailySeries("demo", np.array([1.0, np.nan, 3.0]), pd.Timestamp("2021-01-01"))
    >>> s.gaps()
    [(Timestamp('2021-01-02 00:00:00'), Timestamp('2021-01-02 00:00:00'))]
    """

    name: str
    values: np.ndarray  # (n_days,) float64, NaN on a missing day
    start: pd.Timestamp  # date of values[0], midnight
    notes: tuple[str, ...] = field(default=())  # what the loader did that the user should know

    def __len__(self) -> int:
        return len(self.values)

    @property
    def dates(self) -> pd.DatetimeIndex:
        return pd.date_range(self.start, periods=len(self.values), freq="D")

    @property
    def end(self) -> pd.Timestamp:
        return self.start + pd.Timedelta(days=len(self.values) - 1)

    def to_pandas(self) -> pd.Series:
        return pd.Series(self.values, index=self.dates, name=self.name)

    def gaps(self) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
        """Runs of missing days as (first, last) dates, in order."""
        miss = np.isnan(self.values)
        if not miss.any():
            return []
        edges = np.diff(np.concatenate([[0], miss.astype(np.int8), [0]]))
        starts, stops = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1) - 1
        day = pd.Timedelta(days=1)
        return [(self.start + a * day, self.start + b * day) for a, b in zip(starts, stops)]

    def describe_gaps(self, first: int = 3) -> str:
        """'59 missing days in 7 gaps: 2008-07-13…2008-07-31, …' (empty when complete)."""
        gaps = self.gaps()
        if not gaps:
            return ""
        n = int(np.isnan(self.values).sum())
        shown = ", ".join(f"{a:%Y-%m-%d}" if a == b else f"{a:%Y-%m-%d}…{b:%Y-%m-%d}" for a, b in gaps[:first])
        more = ", …" if len(gaps) > first else ""
        return f"{n} missing day{'s' * (n != 1)} in {len(gaps)} gap{'s' * (len(gaps) != 1)}: {shown}{more}"

    def filled(self, how: str) -> "DailySeries":
        """Fill missing days with `how`: 'none' (leave them; windows refuse them), 'zero', 'interpolate'."""
        if how not in FILLS:
            raise DataError("unknown fill; use one of " + ", ".join(FILLS), param="fill", value=how)
        if how == "none" or not np.isnan(self.values).any():
            return self
        if how == "zero":
            values = np.nan_to_num(self.values, nan=0.0)
        else:
            values = pd.Series(self.values).interpolate(method="linear", limit_direction="both").to_numpy(copy=True)
        note = f"filled {self.describe_gaps()} with {how}"
        return DailySeries(self.name, values, self.start, self.notes + (note,))

    def between(self, first: pd.Timestamp | None, last: pd.Timestamp | None) -> "DailySeries":
        """The days from `first` to `last` inclusive (None: the series' own end)."""
        a = 0 if first is None else max(0, (first - self.start).days)
        b = len(self) if last is None else min(len(self), (last - self.start).days + 1)
        if b <= a:
            raise DataError(f"{self.name}: no days between {first:%Y-%m-%d} and {last:%Y-%m-%d} (the series covers {self.start:%Y-%m-%d}…{self.end:%Y-%m-%d})")
        return DailySeries(self.name, self.values[a:b], self.start + pd.Timedelta(days=a), self.notes)

    def require_complete(self) -> None:
        """Raise DataError naming the gaps unless every day has a value."""
        if np.isnan(self.values).any():
            raise DataError(f"{self.name}: {self.describe_gaps()}; choose how to fill them with «fill=zero» or «fill=interpolate»")


def from_pandas(s: pd.Series, name: str, notes: tuple[str, ...] = ()) -> DailySeries:
    """Put a date-indexed series (sorted, unique days) onto a complete daily grid."""
    idx = pd.DatetimeIndex(s.index).normalize()
    grid = pd.date_range(idx[0], idx[-1], freq="D")
    values = pd.Series(s.to_numpy(dtype="float64"), index=idx).reindex(grid).to_numpy(copy=True)
    return DailySeries(name, values, grid[0], notes)


NS_PER_DAY = 86_400 * 10**9


class DayTotals:
    """Rows (timestamp, value) → one value per calendar day, fed chunk by chunk.

    Memory grows with the number of days, not of rows: each chunk is reduced to its days at once.
    A day's value is the sum of its rows' values (NaN rows skipped); NaN when no row had a value.

    >>> t = DayTotals()
    >>> t.add(pd.to_datetime(["2021-01-01 10:00", "2021-01-01 18:00", "2021-01-03 00:00"]).to_numpy(), np.array([1., 2., 5.]))
    >>> start, values, rows = t.grid()
    >>> values.tolist(), rows.tolist()
    ([3.0, nan, 5.0], [2, 0, 1])
    """

    def __init__(self) -> None:
        self._parts: list[tuple[np.ndarray, ...]] = []  # per chunk: (days, rows, with value, sum)
        self.rows = 0
        self.timed = False  # some row has a time of day other than midnight
        self.ordered = True  # the timestamps never went backwards
        self._last: int | None = None

    def add(self, stamps: np.ndarray, values: np.ndarray) -> None:
        """stamps: (n,) datetime64 (naive); values: (n,) float64, NaN for a missing value."""
        if not len(stamps):
            return
        ns = stamps.astype("datetime64[ns]").view("int64")
        if self.ordered:
            self.ordered = bool((ns[1:] >= ns[:-1]).all()) and (self._last is None or ns[0] >= self._last)
        self._last = int(ns[-1])
        days = np.floor_divide(ns, NS_PER_DAY)  # (n,) days since 1970-01-01
        self.timed |= bool((ns != days * NS_PER_DAY).any())
        self._parts.append(_reduce(days, np.ones(len(days)), (~np.isnan(values)).astype(float),
                                   np.where(np.isnan(values), 0.0, values)))
        self.rows += len(ns)

    def grid(self) -> tuple[pd.Timestamp, np.ndarray, np.ndarray]:
        """(first day, values (n_days,) NaN where missing, rows per day (n_days,) int)."""
        days, rows, valued, sums = _reduce(*(np.concatenate(p) for p in zip(*self._parts)))
        first = int(days[0])
        values = np.full(int(days[-1]) - first + 1, np.nan)
        count = np.zeros(len(values), dtype=np.int64)
        values[days - first] = np.where(valued > 0, sums, np.nan)
        count[days - first] = rows.astype(np.int64)
        return pd.Timestamp(first * NS_PER_DAY), values, count


def _reduce(days: np.ndarray, *weights: np.ndarray) -> tuple[np.ndarray, ...]:
    """Sum each weight per distinct day: (sorted distinct days, summed weights…)."""
    u, inv = np.unique(days, return_inverse=True)
    return (u, *(np.bincount(inv, weights=w, minlength=len(u)) for w in weights))
