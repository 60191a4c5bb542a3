"""The rows of a CSV, chunk by chunk, onto a daily grid: dates parsed with the planned format,
values read fast as float64 or, when a cell is not a plain number, carefully as strings — which
either cleans the cell (thousands groups) or names its line.

>>> _fast_values(pd.Series([1.0, 2.5])).tolist()
[1.0, 2.5]
"""
from __future__ import annotations

import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from . import text
from .columns import _GROUPED, _MISSING_CASES, _SCIENTIFIC, _THOUSANDS, _TZ, FOOTERS, MISSING, TOO_LARGE, Plan
from .series import DailySeries, DayTotals
from .text import LineMap, col
from ..errors import DataError


class Fallback(Exception):
    """The fast path met a cell it does not read: read the file again the careful way."""



def read_rows(path: Path, enc: str, sep: str, plan: Plan, *, fast: bool) -> DailySeries:
    use: dict[int, object] = {plan.dpos: str, plan.vpos: "float64" if fast else str}
    if plan.key_pos is not None:
        use[plan.key_pos] = "category"
    na = {plan.vpos: _MISSING_CASES} if fast else None
    lines = LineMap(path, enc)
    totals, footers, tz = DayTotals(), [], False
    try:
        for ch in text.chunks(path, enc, sep, len(plan.names), use, na=na):
            if plan.key_pos is not None:
                ch = ch[(ch[col(plan.key_pos)] == plan.key).to_numpy()]
            stamps, keep, foot, tz_here = _parse_dates(ch[col(plan.dpos)], plan, path, lines)
            footers += foot
            tz |= tz_here
            v = ch[col(plan.vpos)][keep]
            values = _fast_values(v) if fast else _parse_values(v, plan.vname, path, lines)
            totals.add(stamps, values)
    except (ValueError, OverflowError) as e:
        if fast and not isinstance(e, DataError):
            raise Fallback from None
        raise
    return _daily(totals, plan, path, footers, tz)


def _daily(totals: DayTotals, plan: Plan, path: Path, footers: list[str], tz: bool) -> DailySeries:
    notes: list[str] = []
    if footers:  # YouTube Studio puts its Total row first; other exports put it last
        notes.append(f"dropped {len(footers)} total row{'s' * (len(footers) != 1)} ({footers[0]!r}): not a day")
    if totals.rows == 0:
        what = f" for {plan.key!r}" if plan.key is not None else ""
        raise DataError(f"{path}: no data rows{what} (only a header and total rows such as {footers[0]!r}); "
                        "it needs one row per day" if footers else
                        f"{path}: no data rows{what}; it needs one row per day")
    if tz:
        notes.append("dates carry a UTC offset: each row counts on the local date written in the file")
    if not totals.ordered:
        notes.append("rows were out of order: sorted by date")
    start, values, rows = totals.grid()
    multi = rows > 1
    if multi.any() and not totals.timed:
        days = start + pd.to_timedelta(np.flatnonzero(multi), unit="D")
        shown = ", ".join(f"{d:%Y-%m-%d}" for d in days[:3])
        n = int(multi.sum())
        raise DataError(f"{path}: {n} duplicate date(s) in column '{plan.dname}': {shown}{', …' if n > 3 else ''}; keep one row per day")
    if multi.any():
        notes.append(f"{totals.rows:,} rows at times of day: summed to {int((rows > 0).sum()):,} daily totals")
    return DailySeries(plan.name, values, start, tuple(notes))


def _to_datetime(s: pd.Series, fmt: str) -> tuple[pd.Series, bool]:
    """Parse with `fmt`: (naive datetime64 Series, NaT where unreadable; whether offsets were
    dropped). A UTC offset is dropped, not converted: the local date written is the day meant."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            out = pd.to_datetime(s, format=fmt, errors="coerce")
        except (ValueError, TypeError, OverflowError):
            out = None
        if out is not None and isinstance(out.dtype, pd.DatetimeTZDtype):
            return out.dt.tz_localize(None), True
        if out is not None and out.dtype.kind == "M":
            return out, False
        local = s.str.strip().str.replace(_TZ, r"\1", regex=True)
        for f in dict.fromkeys((fmt, "ISO8601")):
            try:
                out = pd.to_datetime(local, format=f, errors="coerce")
            except (ValueError, TypeError, OverflowError):
                continue
            if out.dtype.kind == "M" and not isinstance(out.dtype, pd.DatetimeTZDtype):
                return out, True
    return pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns]"), True


def _parse_dates(c: pd.Series, plan: Plan, path: Path, lines: LineMap) -> tuple[np.ndarray, np.ndarray, list[str], bool]:
    """(datetimes of the kept rows, kept-row mask, footer cells dropped, offsets dropped?)."""
    c = c.fillna("") if c.hasnans else c
    parsed, tz = _to_datetime(c, plan.fmt)
    bad = parsed.isna().to_numpy()
    keep = np.ones(len(c), dtype=bool)
    footers: list[str] = []
    if bad.any():
        sub = c[bad].str.strip()
        foot = sub.str.lower().isin(FOOTERS).to_numpy()
        footers = sub[foot].tolist()
        keep[np.flatnonzero(bad)[foot]] = False
        rest = sub[~foot]
        again, tz2 = _to_datetime(rest, plan.fmt) if len(rest) else (rest, False)
        tz |= tz2
        wrong = (rest == "").to_numpy() | again.isna().to_numpy()
        if wrong.any():
            i = int(np.flatnonzero(wrong)[0])
            row, text = int(rest.index[i]), rest.iloc[i]
            if text == "":
                raise DataError(f"{path}:{lines(row)}: empty date in column '{plan.dname}'; every row needs a date (delete the row if it is not data)")
            hint = ""
            m = re.match(r"\s*(\d{4})\D", text)
            if m and not 1678 <= int(m.group(1)) <= 2261:
                hint = "; years before 1678 or after 2261 are out of range"
            raise DataError(f"{path}:{lines(row)}: cannot read {text!r} in column '{plan.dname}' as a date "
                            f"(expected e.g. 2021-02-26, 2021/2/26, 26.02.2021 or 20210226){hint}")
        parsed = parsed.copy()
        parsed[rest.index] = again
    years = parsed.dt.year.to_numpy()
    out = keep & ((years < 1678) | (years > 2261))  # pandas 3 parses them; a daily series never has them
    if out.any():
        row = int(c.index[int(np.flatnonzero(out)[0])])
        raise DataError(f"{path}:{lines(row)}: the date {c.loc[row].strip()!r} in column '{plan.dname}' is out of range: "
                        "years before 1678 or after 2261 are out of range; fix the date")
    return parsed.to_numpy()[keep], keep, footers, tz


def _fast_values(v: pd.Series) -> np.ndarray:
    values = v.to_numpy(dtype="float64", copy=True)
    with np.errstate(invalid="ignore"):
        if np.isinf(values).any() or (np.abs(values) > TOO_LARGE).any():
            raise Fallback  # the careful path names the cell and its line
    return values


def _parse_values(c: pd.Series, name: str, path: Path, lines: LineMap) -> np.ndarray:
    stripped = (c.fillna("") if c.hasnans else c).str.strip()
    missing = stripped.str.lower().isin(MISSING).to_numpy()
    values = pd.to_numeric(stripped.where(~missing, "nan"), errors="coerce").to_numpy(dtype="float64", copy=True)
    todo = np.isnan(values) & ~missing
    if todo.any():  # thousands separators, only in groups of three: 1,234 · 1 234 · 1'234
        sub = stripped[todo]
        grouped = sub.str.fullmatch(_GROUPED).to_numpy()
        cleaned = sub.str.replace(_THOUSANDS, "", regex=True).where(grouped, "x")
        values[todo] = pd.to_numeric(cleaned, errors="coerce").to_numpy(dtype="float64")
        overflow = sub.str.fullmatch(_SCIENTIFIC).to_numpy() & np.isnan(values[todo])
        values[np.flatnonzero(todo)[overflow]] = np.inf  # 1e400: a number, too large for a float
    problems = [
        (np.isnan(values) & ~missing, "is not a number{hint}; fix or delete that row"),
        (np.isinf(values), "is not a finite number; fix or delete that row"),
        (np.abs(values) > TOO_LARGE, "too large"),
    ]
    with np.errstate(invalid="ignore"):
        first = [(int(np.flatnonzero(m)[0]), what) for m, what in problems if m.any()]
    if first:
        i, what = min(first)
        row, text = int(c.index[i]), stripped.iloc[i]
        at = f"{path}:{lines(row)}:"
        if what == "too large" or (np.isinf(values[i]) and text.lower().lstrip("+-") not in ("inf", "infinity")):
            raise DataError(f"{at} {text} in column '{name}' is too large to train on (over 1e30); rescale the column (e.g. thousands of views)")
        hint = " (a decimal comma? write 1234.5; thousands go in groups of three: 1,234)" if "," in text else ""
        raise DataError(f"{at} {text!r} in column '{name}' {what.format(hint=hint)}")
    return values
