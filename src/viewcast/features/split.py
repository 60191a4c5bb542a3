"""Chronological training and test periods: the book's dates when the series covers them, else
the last 10% of days for testing.

>>> from viewcast.data.series import DailySeries
>>> s = DailySeries("x", np.ones(100), pd.Timestamp("2021-01-01"))
>>> choose_split(s).describe()
'train 2021-01-01…2021-03-31, test 2021-04-01…2021-04-10'
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np  # noqa: F401  (doctest)
import pandas as pd

from ..data.series import DailySeries
from ..errors import DataError

BOOK_TRAIN = (pd.Timestamp("2017-01-01"), pd.Timestamp("2020-12-31"))
BOOK_TEST = (pd.Timestamp("2021-01-01"), pd.Timestamp("2021-02-14"))
DEFAULT_TEST_FRACTION = 0.1  # used when the series does not cover the book's dates


@dataclass(frozen=True)
class Split:
    """Target days of the training and test periods (inclusive)."""

    train_start: pd.Timestamp
    train_end: pd.Timestamp
    test_start: pd.Timestamp
    test_end: pd.Timestamp

    def describe(self) -> str:
        return (f"train {self.train_start:%Y-%m-%d}…{self.train_end:%Y-%m-%d}, "
                f"test {self.test_start:%Y-%m-%d}…{self.test_end:%Y-%m-%d}")


def _ts(x: str | pd.Timestamp | None, what: str) -> pd.Timestamp | None:
    if x is None or isinstance(x, pd.Timestamp):
        return x
    try:
        return pd.Timestamp(x)
    except (ValueError, TypeError):
        raise DataError("not a date; use YYYY-MM-DD", param=what, value=x) from None


def choose_split(series: DailySeries, train_start=None, train_end=None, test_start=None, test_end=None) -> Split:
    """The book's dates when the series covers them, else the last 10% of days for testing.
    Any date given overrides its default; the others follow from it."""
    ts, te, ss, se = (_ts(train_start, "train_start"), _ts(train_end, "train_end"),
                      _ts(test_start, "test_start"), _ts(test_end, "test_end"))
    day = pd.Timedelta(days=1)
    covers_book = series.start <= BOOK_TRAIN[0] and series.end >= BOOK_TEST[1]
    if covers_book:
        d_ts, d_te, d_ss, d_se = BOOK_TRAIN[0], BOOK_TRAIN[1], BOOK_TEST[0], BOOK_TEST[1]
    else:
        n_test = max(1, int(round(len(series) * DEFAULT_TEST_FRACTION)))
        d_ss = series.end - (n_test - 1) * day
        d_ts, d_te, d_se = series.start, d_ss - day, series.end
    if te is not None and ss is None:
        d_ss = te + day
    if ss is not None and te is None:
        d_te = ss - day
    if se is None and (ss or d_ss) > d_se:  # a test start past the book's test end: test to the series' end
        d_se = series.end
    split = Split(ts or d_ts, te or d_te, ss or d_ss, se or d_se)
    if split.test_start <= split.train_start:
        raise DataError(f"the test period ({split.test_start:%Y-%m-%d}) must start after the training period "
                        f"({split.train_start:%Y-%m-%d}…); set the training dates before the test start")
    if split.train_end < split.train_start:
        raise DataError(f"training period {split.train_start:%Y-%m-%d}…{split.train_end:%Y-%m-%d} ends before it starts")
    if split.test_end < split.test_start:
        raise DataError(f"test period {split.test_start:%Y-%m-%d}…{split.test_end:%Y-%m-%d} ends before it starts")
    if split.test_start <= split.train_end:
        raise DataError(f"the test period ({split.test_start:%Y-%m-%d}) must start after the training period ends "
                        f"({split.train_end:%Y-%m-%d}); set the test start later or the training end earlier")
    if split.test_start > series.end:
        raise DataError(f"{series.name}: the test period starts {split.test_start:%Y-%m-%d}, after the series ends "
                        f"({series.end:%Y-%m-%d}); set the test dates within the data")
    return split
