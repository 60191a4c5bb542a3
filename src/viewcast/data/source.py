"""Where a series comes from: a built-in name, a CSV path, or a pandas object → a DailySeries.

>>> s = load_series(pd.Series([3.0, 4.0, 5.0], index=pd.date_range("2021-01-01", periods=3), name="views"))
>>> s.name, s.start.date().isoformat(), s.values.tolist()
('views', '2021-01-01', [3.0, 4.0, 5.0])
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from . import builtin
from .csv import read_csv
from .series import DailySeries, from_pandas
from ..errors import DataError

SourceLike = "str | Path | pd.Series | pd.DataFrame | DailySeries"


def load_series(source: str | Path | pd.Series | pd.DataFrame | DailySeries = builtin.DEFAULT, *,
                column: str | None = None, date_column: str | None = None, fill: str = "none",
                encoding: str | None = None, name: str | None = None) -> DailySeries:
    """A built-in name (`wiki:<Article>`), a CSV path, a pandas Series indexed by date, or a
    DataFrame (a date column or index, and a value column: `column` picks one) → a DailySeries on
    a complete daily grid, filled as asked (`fill`: none, zero or interpolate).

    >>> vc.load_series("wiki:Standard_deviation").start.date().isoformat()
    '2017-01-01'
    >>> vc.load_series(pd.DataFrame({"ds": ["2021-01-02", "2021-01-01"], "y": [5, 4]})).values.tolist()
    [4.0, 5.0]
    """
    if isinstance(source, DailySeries):
        series = source
    elif isinstance(source, pd.Series):
        series = _from_series(source, name or (str(source.name) if source.name is not None else "series"))
    elif isinstance(source, pd.DataFrame):
        series = _from_frame(source, column, date_column, name)
    elif isinstance(source, (str, Path)):
        if isinstance(source, str) and builtin.is_builtin(source):
            series = from_pandas(builtin.load(source), source)
        else:
            series = read_csv(Path(source), column=column, date_column=date_column, encoding=encoding)
    else:
        raise DataError(f"cannot read a series from a {type(source).__name__}; give a built-in name, a CSV path, "
                        "a pandas Series indexed by date, or a DataFrame")
    return _note_negatives(series).filled(fill)


def _note_negatives(series: DailySeries) -> DailySeries:
    """Negative values (temperatures, net changes) are kept, with a note: a log scale cannot take them."""
    with np.errstate(invalid="ignore"):
        neg = series.values < 0
    if not neg.any():
        return series
    i, n = int(np.nanargmin(series.values)), int(neg.sum())
    note = (f"{n:,} negative value{'s' * (n != 1)} (lowest {series.values[i]:g} on "
            f"{series.start + pd.Timedelta(days=i):%Y-%m-%d}): kept as they are, but the log scale cannot take them")
    return DailySeries(series.name, series.values, series.start, series.notes + (note,))


def _from_series(s: pd.Series, name: str) -> DailySeries:
    try:
        idx = pd.DatetimeIndex(s.index)
    except (TypeError, ValueError):
        raise DataError(f"{name}: the Series' index is not dates ({s.index.dtype}); index it by date, "
                        "e.g. s.index = pd.to_datetime(s.index)") from None
    if idx.tz is not None:
        idx = idx.tz_localize(None)
    values = pd.to_numeric(pd.Series(s.to_numpy()), errors="coerce").to_numpy(dtype="float64")
    bad = np.isnan(values) & pd.notna(s.to_numpy())
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise DataError(f"{name}: {s.iloc[i]!r} on {idx[i]:%Y-%m-%d} is not a number")
    if np.isinf(values).any():
        i = int(np.flatnonzero(np.isinf(values))[0])
        raise DataError(f"{name}: the value on {idx[i]:%Y-%m-%d} is not a finite number")
    if len(values) == 0:
        raise DataError(f"{name}: the Series is empty")
    idx = idx.normalize()
    if idx.has_duplicates:
        d = idx[idx.duplicated()][0]
        raise DataError(f"{name}: the date {d:%Y-%m-%d} appears more than once; keep one value per day")
    order = np.argsort(idx.values, kind="stable")
    notes = () if (order == np.arange(len(order))).all() else ("rows were out of order: sorted by date",)
    return from_pandas(pd.Series(values[order], index=idx[order]), name, notes)


def _from_frame(df: pd.DataFrame, column: str | None, date_column: str | None, name: str | None) -> DailySeries:
    if date_column is not None:
        if date_column not in df.columns:
            raise DataError(f"the DataFrame has no column {date_column!r}; its columns are {', '.join(map(str, df.columns))}",
                            param="date_column", value=date_column)
        df = df.set_index(date_column)
    elif not isinstance(df.index, pd.DatetimeIndex):
        dates = [c for c in df.columns if str(c).lower() in ("date", "ds", "datetime", "day", "日期")]
        if not dates:
            raise DataError("the DataFrame has no date index and no date column (date, ds, datetime); "
                            "name it with date_column=")
        df = df.set_index(dates[0])
    numeric = [c for c in df.columns if pd.api.types.is_numeric_dtype(df[c])]
    if column is None:
        if len(numeric) != 1:
            raise DataError(f"the DataFrame has {len(numeric)} numeric columns ({', '.join(map(str, numeric[:6]))}); "
                            "pick one with column=")
        column = numeric[0]
    if column not in df.columns:
        raise DataError(f"the DataFrame has no column {column!r}; its columns are {', '.join(map(str, df.columns))}",
                        param="column", value=column)
    return _from_series(df[column], name or str(column))
