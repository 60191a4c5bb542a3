"""Which columns of a CSV hold the dates and the values, decided from its header and first rows:
long `date,value`, Prophet `ds,y`, wide (pick with `column`), long with a key column (pytimetk's
`Page,date,value`), YouTube Studio's export; and the date format.

>>> _date_format(pd.Series(["26.02.2021", "27.02.2021"]))
'%d.%m.%Y'
"""
from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import text
from .text import col
from ..errors import DataError

DATE_NAMES = ("date", "ds", "datetime", "day", "time", "timestamp", "日期", "时间", "day_date")
INDEX_NAMES = ("", "rownames", "index", "unnamed: 0", "id")
FOOTERS = ("total", "totals", "sum", "grand total", "合计", "总计")
DATE_FORMATS = ("ISO8601", "%Y/%m/%d", "%Y年%m月%d日", "%d.%m.%Y", "%Y%m%d", "%m/%d/%Y", "%d/%m/%Y", "%b %d, %Y",
                "%d %b %Y")
MISSING = ("", "nan", "na", "n/a", "null", "none", "-")  # a missing day (case-insensitive)
_MISSING_CASES = sorted({v for m in MISSING for v in (m, m.upper(), m.title(), m.capitalize())} | {"NaN"})
_THOUSANDS = re.compile(r"[\s\u00a0\u202f,_']")
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:([,\s\u00a0\u202f_'])\d{3})(?:\1\d{3})*(?:\.\d*)?")
_TZ = re.compile(r"(\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)\s*(?:Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)$")
_SCIENTIFIC = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)[eE][+-]?\d+")
SAMPLE_ROWS = 2000  # rows that decide the columns and the date format
TOO_LARGE = 1e30  # larger views cannot be trained on in float32 without overflow


@dataclass(frozen=True)
class Plan:
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


# ---------------------------------------------------------------------------------------------
# the plan, from the header and the first rows


def plan(path: Path, enc: str, sep: str, column: str | None, date_column: str | None) -> Plan:
    names = _unique([c.strip() for c in text.header(path, enc, sep)])
    n = len(names)
    frames = list(text.chunks(path, enc, sep, n, {i: str for i in range(n)}, nrows=SAMPLE_ROWS, chunksize=SAMPLE_ROWS))
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
    return Plan(tuple(names), names.index(dcol), names.index(vcol), dcol, vcol,
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
            raise DataError(f"{path}: «date_column={date_column}» not found; columns are: {', '.join(cols)}")
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
    raise DataError(f"{path}: no date column found (columns seen: {', '.join(cols)}); name it with «date_column»")


def _cells(c: pd.Series) -> pd.Series:
    """The non-empty, non-footer cells of a sample column, stripped."""
    s = c.str.strip()
    return s[(s != "") & ~s.str.lower().isin(FOOTERS)]


def _looks_numeric(sample: pd.Series) -> bool:
    cleaned = sample.str.replace(_THOUSANDS, "", regex=True)
    return bool(pd.to_numeric(cleaned, errors="coerce").notna().all())


def all_columns(path: Path, date_column: str | None = None, encoding: str | None = None) -> list[str]:
    """Every series of a CSV, as the `column` that reads each: every key of a long file (pytimetk's
    `Page,date,value`), else every numeric column of a wide one (`column="*"`)."""
    enc, head = text.check_file(path, encoding)
    sep = text.sniff_separator(head)
    names = _unique([c.strip() for c in text.header(path, enc, sep)])
    frames = list(text.chunks(path, enc, sep, len(names), {i: str for i in range(len(names))}, nrows=SAMPLE_ROWS,
                              chunksize=SAMPLE_ROWS))
    if not frames or len(frames[0]) == 0:
        raise DataError(f"{path}: the file has a header ({', '.join(names)}) but no rows")
    sample = frames[0].fillna("")
    sample.columns = names
    dcol = _pick_date_column(sample, date_column, path)
    long = _long_keys(path, enc, sep, names, sample, dcol, len(sample) < SAMPLE_ROWS)
    if long is not None:
        return long[1]
    numeric = _numeric_columns(sample, dcol)
    if not numeric:
        raise DataError(f"{path}: no numeric column found (columns seen: {', '.join(names)}); name one with «column»")
    return numeric


def _select_key(path: Path, enc: str, sep: str, names: list[str], sample: pd.DataFrame, dcol: str,
                column: str | None, whole: bool) -> tuple[str | None, str | None]:
    """Long format with a key column (e.g. pytimetk's `Page,date,value`): (key column, key kept)."""
    long = _long_keys(path, enc, sep, names, sample, dcol, whole)
    if long is None:
        return None, None
    key, values = long
    if column is None:
        shown = ", ".join(values[:3])
        raise DataError(f"{path}: long format with {len(values)} series in column '{key}' ({shown}, …); pick one with «column=NAME»")
    match = [v for v in values if v == column] or [v for v in values if v.startswith(column)]
    if len(match) != 1:
        raise DataError(f"{path}: «column={column}» matches {len(match)} of the {len(values)} series in '{key}'; give the full name, e.g. {values[0]!r}")
    return key, match[0]


def _long_keys(path: Path, enc: str, sep: str, names: list[str], sample: pd.DataFrame, dcol: str,
               whole: bool) -> tuple[str, list[str]] | None:
    """Long format: (the key column, its keys in file order); None for a wide file.

    A text column is a key only when the dates repeat and each (key, date) pair is unique: one row
    per series and day. In a wide file (one row per day) a text column — a weather station's
    'conditions', a note — is just text, and `column` picks any numeric column."""
    cands = [c for c in names if c != dcol and c.lower() not in INDEX_NAMES and not _mostly_numeric(sample[c])]
    if not cands:
        return None
    if whole:
        cols = {c: sample[c] for c in cands + [dcol]}
    else:  # the key columns (and the dates) of the whole file, as categories: one small code per row
        use = {names.index(c): "category" for c in cands + [dcol]}
        parts = list(text.chunks(path, enc, sep, len(names), use))
        cols = {c: pd.concat([p[col(names.index(c))] for p in parts], ignore_index=True) for c in cands + [dcol]}
    dates = cols[dcol].astype(str).str.strip()
    if not dates.duplicated().any():
        return None  # one row per date (or per timestamp): wide, not long
    n_rows = len(dates)
    keys = [c for c in cands if 1 < cols[c].nunique() < n_rows
            and not pd.DataFrame({"k": cols[c].astype(str), "d": dates}).duplicated().any()]
    if not keys:
        return None
    key = keys[0]
    return key, [str(v) for v in pd.unique(cols[key].dropna().astype(str))]


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
            raise DataError(f"{path}: «column={column}» not found; columns are: {', '.join(df.columns)}")
        return column
    numeric = _numeric_columns(df, dcol)
    if not numeric and len(cols) == 1:
        return cols[0]  # the only candidate: its bad cells get their own line-numbered errors
    if not numeric:
        raise DataError(f"{path}: no numeric column found (columns seen: {', '.join(df.columns)}); name it with «column»")
    if len(numeric) > 1:
        shown = ", ".join(numeric[:6]) + (", …" if len(numeric) > 6 else "")
        raise DataError(f"{path}: {len(numeric)} numeric columns ({shown}); pick one with «column=NAME»")
    return numeric[0]



def _numeric_columns(df: pd.DataFrame, dcol: str) -> list[str]:
    """The columns that hold numbers, less a row index (0, 1, 2, … in an unnamed or `id` column)."""
    numeric = [c for c in df.columns if c != dcol and _mostly_numeric(df[c])]
    return [c for c in numeric if not (c.lower() in INDEX_NAMES or c.lower().startswith("unnamed")) or not _is_row_index(df[c])]


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

