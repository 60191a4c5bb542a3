"""Read a daily series from a built-in name or a CSV file as people really have them.

Every problem becomes one DataError line: the file, the line, what is wrong, how to fix it.

The CSV is read in chunks (memory bounded by one chunk plus one value per day). The fast path
lets pandas' C parser read the value column as float64; when a cell is not a plain number
(thousands separators, a decimal comma, text, inf, a negative count) the file is read again on
the careful path, as strings, which either cleans the cell or names its line.

>>> s = load_series("wiki:Standard_deviation")      # doctest: +SKIP
>>> s.start, s.end, len(s)                           # doctest: +SKIP
(Timestamp('2017-01-01'), Timestamp('2024-11-08'), 2869)
"""
from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from . import csvread, datasets
from .csvread import LineMap, col
from .errors import DataError
from .series import DailySeries, DayTotals, from_pandas

DATE_NAMES = ("date", "ds", "datetime", "day", "time", "timestamp", "日期", "时间", "day_date")
INDEX_NAMES = ("", "rownames", "index", "unnamed: 0", "id")
FOOTERS = ("total", "totals", "sum", "grand total", "合计", "总计")
DATE_FORMATS = ("ISO8601", "%Y/%m/%d", "%d.%m.%Y", "%Y%m%d", "%m/%d/%Y", "%d/%m/%Y", "%b %d, %Y", "%d %b %Y")
MISSING = ("", "nan", "na", "n/a", "null", "none", "-")  # a missing day (case-insensitive)
_MISSING_CASES = sorted({v for m in MISSING for v in (m, m.upper(), m.title(), m.capitalize())} | {"NaN"})
_THOUSANDS = re.compile(r"[\s\u00a0\u202f,_']")
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:([,\s\u00a0\u202f_'])\d{3})(?:\1\d{3})*(?:\.\d*)?")
_TZ = re.compile(r"(\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)\s*(?:Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)$")
_SCIENTIFIC = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)[eE][+-]?\d+")
SAMPLE_ROWS = 2000  # rows that decide the columns and the date format
TOO_LARGE = 1e30  # larger views cannot be trained on in float32 without overflow


def load_series(
    source: str = datasets.DEFAULT,
    *,
    column: str | None = None,
    date_column: str | None = None,
    fill: str = "none",
    encoding: str | None = None,
) -> DailySeries:
    """A built-in name (`wiki:<Article>`) or a CSV path → a DailySeries, filled as asked."""
    if datasets.is_builtin(source):
        s = datasets.load(source)
        series = from_pandas(s, source)
    else:
        series = read_csv(Path(source), column=column, date_column=date_column, encoding=encoding)
    return series.filled(fill)


@dataclass(frozen=True)
class _Plan:
    """What the sample decided: which columns to read and how."""

    names: tuple[str, ...]  # the header, stripped
    dpos: int  # position of the date column
    vpos: int  # position of the value column
    dname: str
    vname: str
    key_pos: int | None  # long format: the key column and the key kept
    key: str | None
    fmt: str  # date format for pd.to_datetime
    name: str  # the series' name: file:column or file:key


class _Fallback(Exception):
    """The fast path met a cell it does not read: read the file again the careful way."""


def read_csv(path: Path, *, column: str | None = None, date_column: str | None = None,
             encoding: str | None = None) -> DailySeries:
    """One daily series from a CSV: long `date,value`, Prophet `ds,y`, wide, YouTube Studio, or
    long with a key column (`Page,date,value`: `column` picks the key)."""
    enc, head = csvread.check_file(path, encoding)
    sep = csvread.sniff_separator(head)
    try:
        plan = _plan(path, enc, sep, column, date_column)
        try:
            return _read(path, enc, sep, plan, fast=True)
        except _Fallback:
            return _read(path, enc, sep, plan, fast=False)
    except DataError:
        raise
    except (ValueError, UnicodeError, OverflowError) as e:  # pandas' tokenizer and the like
        raise csvread.parser_error(path, e) from None


# ---------------------------------------------------------------------------------------------
# the plan, from the header and the first rows


def _plan(path: Path, enc: str, sep: str, column: str | None, date_column: str | None) -> _Plan:
    names = _unique([c.strip() for c in csvread.header(path, enc, sep)])
    n = len(names)
    frames = list(csvread.chunks(path, enc, sep, n, {i: str for i in range(n)}, nrows=SAMPLE_ROWS, chunksize=SAMPLE_ROWS))
    sample = frames[0].fillna("") if frames else pd.DataFrame(columns=[col(i) for i in range(n)], dtype=str)
    sample.columns = names
    if len(sample) == 0:
        raise DataError(f"{path}: the file has a header ({', '.join(names)}) but no rows")
    whole = len(sample) < SAMPLE_ROWS  # the sample is the whole file

    dcol = _pick_date_column(sample, date_column, path)
    key_col, key = None, None
    if column is None or column not in names:
        key_col, key = _select_key(path, enc, sep, names, sample, dcol, column, whole)
    kept = sample[sample[key_col] == key] if key_col is not None else sample
    kept = kept if len(kept) else sample
    vcol = _pick_value_column(kept, dcol, column if key_col is None else None, path)
    dates = kept[dcol].str.strip()
    dates = dates[(dates != "") & ~dates.str.lower().isin(FOOTERS)].head(50)
    fmt = (_date_format(dates) if len(dates) else None) or "ISO8601"
    return _Plan(tuple(names), names.index(dcol), names.index(vcol), dcol, vcol,
                 names.index(key_col) if key_col is not None else None, key, fmt,
                 f"{path.name}:{key if key is not None else vcol}")


def _unique(names: list[str]) -> list[str]:
    out: list[str] = []
    for c in names:
        c2, i = c, 1
        while c2 in out:
            c2, i = f"{c}.{i}", i + 1
        out.append(c2)
    return out


def _pick_date_column(df: pd.DataFrame, date_column: str | None, path: Path) -> str:
    cols = list(df.columns)
    if date_column is not None:
        if date_column not in cols:
            raise DataError(f"{path}: --date-column {date_column!r} not found; columns are: {', '.join(cols)}")
        return date_column
    for c in cols:
        if c.lower() in DATE_NAMES:
            return c
    for c in cols:
        sample = _cells(df[c]).head(20)
        if len(sample) and _date_format(sample) is not None and not _looks_numeric(sample):
            return c
    for c in cols:  # 20210226-style integers count only when nothing else looks like a date
        sample = _cells(df[c]).head(20)
        if len(sample) and sample.str.fullmatch(r"\d{8}").all() and _date_format(sample) == "%Y%m%d":
            return c
    raise DataError(f"{path}: no date column found (columns seen: {', '.join(cols)}); name it with --date-column")


def _cells(c: pd.Series) -> pd.Series:
    """The non-empty, non-footer cells of a sample column, stripped."""
    s = c.str.strip()
    return s[(s != "") & ~s.str.lower().isin(FOOTERS)]


def _looks_numeric(sample: pd.Series) -> bool:
    cleaned = sample.str.replace(_THOUSANDS, "", regex=True)
    return bool(pd.to_numeric(cleaned, errors="coerce").notna().all())


def _select_key(path: Path, enc: str, sep: str, names: list[str], sample: pd.DataFrame, dcol: str,
                column: str | None, whole: bool) -> tuple[str | None, str | None]:
    """Long format with a key column (e.g. pytimetk's `Page,date,value`): (key column, key kept)."""
    cands = [c for c in names if c != dcol and c.lower() not in INDEX_NAMES and not _mostly_numeric(sample[c])]
    if not cands:
        return None, None
    if whole:
        cols = {c: sample[c] for c in cands}
    else:  # the key columns of the whole file, as categories: one small code per row
        use = {names.index(c): "category" for c in cands}
        parts = list(csvread.chunks(path, enc, sep, len(names), use))
        cols = {c: pd.concat([p[col(names.index(c))] for p in parts], ignore_index=True) for c in cands}
    n_rows = len(next(iter(cols.values())))
    keys = [c for c in cands if 1 < cols[c].nunique() < n_rows]
    if not keys:
        return None, None
    key = keys[0]
    values = [str(v) for v in pd.unique(cols[key].dropna().astype(str))]
    if column is None:
        shown = ", ".join(values[:3])
        raise DataError(f"{path}: long format with {len(values)} series in column '{key}' ({shown}, …); pick one with --column NAME")
    match = [v for v in values if v == column] or [v for v in values if v.startswith(column)]
    if len(match) != 1:
        raise DataError(f"{path}: --column {column!r} matches {len(match)} of the {len(values)} series in '{key}'; give the full name, e.g. {values[0]!r}")
    return key, match[0]


def _mostly_numeric(c: pd.Series) -> bool:
    sample = c[c.str.strip() != ""].head(50)
    cleaned = sample.str.replace(_THOUSANDS, "", regex=True)
    return len(sample) > 0 and pd.to_numeric(cleaned, errors="coerce").notna().mean() >= 0.5


def _is_row_index(c: pd.Series) -> bool:
    v = pd.to_numeric(c, errors="coerce")
    return bool(v.notna().all() and (v.diff().iloc[1:] == 1).all()) if len(v) > 1 else False


def _pick_value_column(df: pd.DataFrame, dcol: str, column: str | None, path: Path) -> str:
    cols = [c for c in df.columns if c != dcol]
    if column is not None:
        if column not in df.columns:
            raise DataError(f"{path}: --column {column!r} not found; columns are: {', '.join(df.columns)}")
        return column
    numeric = [c for c in cols if _mostly_numeric(df[c])]
    numeric = [c for c in numeric if not (c.lower() in INDEX_NAMES or c.lower().startswith("unnamed")) or not _is_row_index(df[c])]
    if not numeric and len(cols) == 1:
        return cols[0]  # the only candidate: its bad cells get their own line-numbered errors
    if not numeric:
        raise DataError(f"{path}: no numeric column found (columns seen: {', '.join(df.columns)}); name it with --column")
    if len(numeric) > 1:
        shown = ", ".join(numeric[:6]) + (", …" if len(numeric) > 6 else "")
        raise DataError(f"{path}: {len(numeric)} numeric columns ({shown}); pick one with --column NAME")
    return numeric[0]


# ---------------------------------------------------------------------------------------------
# the rows, chunk by chunk


def _read(path: Path, enc: str, sep: str, plan: _Plan, *, fast: bool) -> DailySeries:
    use: dict[int, object] = {plan.dpos: str, plan.vpos: "float64" if fast else str}
    if plan.key_pos is not None:
        use[plan.key_pos] = "category"
    na = {plan.vpos: _MISSING_CASES} if fast else None
    lines = LineMap(path, enc)
    totals, footers, tz = DayTotals(), [], False
    try:
        for ch in csvread.chunks(path, enc, sep, len(plan.names), use, na=na):
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
            raise _Fallback from None
        raise
    return _daily(totals, plan, path, footers, tz)


def _daily(totals: DayTotals, plan: _Plan, path: Path, footers: list[str], tz: bool) -> DailySeries:
    notes: list[str] = []
    if footers:
        notes.append(f"dropped {len(footers)} footer row(s) such as {footers[0]!r}")
    if totals.rows == 0:
        what = f" for {plan.key!r}" if plan.key is not None else ""
        raise DataError(f"{path}: no data rows{what} (only a header and footer rows); it needs one row per day")
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


def _date_format(sample: pd.Series) -> str | None:
    """The first of DATE_FORMATS that reads every cell of the sample, or None."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for fmt in DATE_FORMATS:
            try:
                parsed = pd.to_datetime(sample.str.strip(), format=fmt, errors="coerce")
            except (ValueError, TypeError, OverflowError):
                continue
            if parsed.notna().all():
                return fmt
    return None


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


def _parse_dates(c: pd.Series, plan: _Plan, path: Path, lines: LineMap) -> tuple[np.ndarray, np.ndarray, list[str], bool]:
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
        if np.isinf(values).any() or (values < 0).any() or (values > TOO_LARGE).any():
            raise _Fallback  # the careful path names the cell and its line
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
        (values < 0, "negative"),
        (values > TOO_LARGE, "too large"),
    ]
    with np.errstate(invalid="ignore"):
        first = [(int(np.flatnonzero(m)[0]), what) for m, what in problems if m.any()]
    if first:
        i, what = min(first)
        row, text = int(c.index[i]), stripped.iloc[i]
        at = f"{path}:{lines(row)}:"
        if what == "negative":
            raise DataError(f"{at} negative count {text} in column '{name}'; views cannot be negative")
        if what == "too large" or (np.isinf(values[i]) and text.lower().lstrip("+-") not in ("inf", "infinity")):
            raise DataError(f"{at} {text} in column '{name}' is too large to train on (over 1e30); rescale the column (e.g. thousands of views)")
        hint = " (a decimal comma? write 1234.5; thousands go in groups of three: 1,234)" if "," in text else ""
        raise DataError(f"{at} {text!r} in column '{name}' {what.format(hint=hint)}")
    return values
