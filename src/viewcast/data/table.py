"""A table as a source: each row one example, one column the target, the other numeric columns its
features (the course's homework: survey features of a US state → the share of positive tests). An
identifier column (`id`, or a unique run of whole numbers) and constant columns are left out, and
said; `features` picks columns by name or glob. Every problem is one DataError line: the file, the
line, the column, what is wrong, how to fix it.

A header that names a column several times (the homework's `cli, …, tested_positive` once per day)
gets pandas' names for the repeats (`cli`, `cli.1`, …); the target named so is its *last* column —
the day a test file lacks — and the earlier ones stay features.

>>> df = pd.DataFrame({"id": [0, 1, 2, 3], "a": [1.0, 2, 3, 4], "c": [5.0, 5, 5, 5], "y": [2.0, 4, 6, 8]})
>>> t = load_table(df, target="y")
>>> t.features, t.id_column, [why for _, why in t.left_out]
(('a',), 'id', ['the row id', 'constant'])
>>> load_table(df, target="y", features="a,c").features
('a',)
"""
from __future__ import annotations

import csv
import fnmatch
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from . import text
from .columns import MISSING, TOO_LARGE
from ..errors import DataError

ID_NAMES = ("id", "row_id", "rowid", "index")  # a column so named is the rows' identifier


@dataclass(frozen=True)
class Table:
    """A table's examples as numbers: X (n, d) features, y (n,) target (None in a test file)."""

    name: str  # the file (or "table")
    X: np.ndarray  # (n, d) float64
    y: np.ndarray | None  # (n,) float64; None: no target (a test file)
    features: tuple[str, ...]  # the d feature columns, in the file's order
    target: str | None  # the target column's name as given
    ids: np.ndarray  # (n,) each row's id (the id column, else 0 … n−1)
    id_column: str | None
    columns: tuple[str, ...]  # every column but the target, as read: what a test file must have
    left_out: tuple[tuple[str, str], ...] = ()  # (column, why) of the columns that are not features
    notes: tuple[str, ...] = ()  # what the loader did that the user should know
    target_column: str | None = None  # the target's column as read ('tested_positive.4' when named 5 times)

    def __len__(self) -> int:
        return len(self.X)

    def said(self) -> list[str]:
        """The loader's decisions in a few plain lines (what is left out and why, the notes)."""
        groups: dict[str, list[str]] = {}
        for c, why in self.left_out:
            groups.setdefault(why, []).append(c)
        out = [f"left out ({why}): {_short(cs)}" for why, cs in groups.items()]
        return out + list(self.notes)


def _short(names: list[str], most: int = 8) -> str:
    return ", ".join(names[:most]) + (f", … ({len(names)} in all)" if len(names) > most else "")


def load_table(source: str | Path | pd.DataFrame, target: str | None, features: str | list[str] | None = None,
               *, encoding: str | None = None, name: str | None = None) -> Table:
    """A CSV path or a DataFrame → a Table. `target`: the column to predict (None: a test file, every
    column a feature); `features`: the columns to read, by name or glob ('a,b', 'tested_positive*'),
    else every numeric column but the identifier and the constants."""
    if isinstance(source, pd.DataFrame):
        cells, raw = source.copy(), [str(c) for c in source.columns]
        cells.columns = _dedupe(raw)
        where = name or "table"
        line = lambda i: f"{where}: row {i}"  # noqa: E731
    elif isinstance(source, (str, Path)):
        path = Path(source)
        cells, raw, line = _read(path, encoding)
        where = name or str(path)
    else:
        raise DataError(f"cannot read a table from a {type(source).__name__}; give a CSV path or a DataFrame")
    if len(cells) == 0:
        raise DataError(f"{where}: the table has a header but no rows")
    names = list(cells.columns)
    tcol, notes = _target(names, raw, target, where)
    rest = [c for c in names if c != tcol]
    y = None if tcol is None else _numbers(cells[tcol], tcol, line, target=True)
    chosen, left = _choose(rest, features, where)
    id_col = next((c for c in rest if c.lower() in ID_NAMES), None)
    auto = features is None  # the id and the constants leave by themselves only when no column is named
    X_cols = {c: _numbers(cells[c], c, line) for c in chosen if not (auto and c == id_col)}
    if id_col is None and auto:
        id_col = next((c for c in chosen if _is_id(X_cols[c])), None)
    keep = []
    for c in chosen:
        if c == id_col and auto:
            left.append((c, "the row id"))
        elif y is not None and np.ptp(X_cols[c]) == 0:
            left.append((c, "constant"))
        else:
            keep.append(c)
    if y is not None and not keep:
        raise DataError(f"{where}: no feature column is left (every other column is the id, constant or not "
                        f"chosen); give some with «features=a,b»")
    X = np.column_stack([X_cols[c] for c in keep]) if keep else np.empty((len(cells), 0))
    ids = _ids(cells[id_col]) if id_col is not None else np.arange(len(cells))
    return Table(where, X, y, tuple(keep), target, ids, id_col, tuple(rest), tuple(left), tuple(notes), tcol)


def _read(path: Path, encoding: str | None):
    """(cells as strings with pandas' names, the header as written, row → 'file:line')."""
    enc, head = text.check_file(path, encoding)
    sep = text.sniff_separator(head)
    first = next((ln for ln in head.splitlines() if ln.strip()), "")
    raw = [c.strip() for c in next(csv.reader([first], delimiter=sep), [])]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            cells = pd.read_csv(path, sep=sep, encoding=enc, dtype=str, keep_default_na=False, index_col=False,
                                skipinitialspace=True, skip_blank_lines=True, engine="c")
    except pd.errors.EmptyDataError:
        raise DataError(f"{path}: the file is empty; it needs a header and one row per example") from None
    except (pd.errors.ParserError, ValueError, UnicodeError) as e:
        raise text.parser_error(path, e) from None
    cells.columns = [str(c).strip() for c in cells.columns]
    lines = text.LineMap(path, enc)
    if len(raw) != cells.shape[1]:
        raw = list(cells.columns)
    return cells, raw, lambda i: f"{path}:{lines(i)}"


def _dedupe(names: list[str]) -> list[str]:
    """pandas' names for a header's repeats: a, a.1, a.2 …

    >>> _dedupe(["a", "b", "a", "a"])
    ['a', 'b', 'a.1', 'a.2']
    """
    seen: dict[str, int] = {}
    out = []
    for n in names:
        k = seen.get(n, 0)
        out.append(n if k == 0 else f"{n}.{k}")
        seen[n] = k + 1
    return out


def _target(names: list[str], raw: list[str], target: str | None, where: str) -> tuple[str | None, list[str]]:
    """The target's column (its last, when the header names it several times), and what to say of it."""
    if target is None:
        return None, []
    at = [i for i, r in enumerate(raw) if r == target] or [i for i, n in enumerate(names) if n == target]
    if not at:
        close = [n for n in names if n.lower() == target.lower()]
        hint = f"; did you mean {close[0]!r}?" if close else f"; its columns are {_short(names, 12)}"
        raise DataError(f"{where}: no column {target!r} to predict{hint}", param="target", value=target)
    notes = []
    if len(at) > 1:
        earlier = [names[i] for i in at[:-1]]
        notes.append(f"{target!r} names {len(at)} columns: the last (column {at[-1] + 1}) is the target, the others "
                     f"({_short(earlier, 4)}) are features")
    return names[at[-1]], notes


def _choose(rest: list[str], features, where: str) -> tuple[list[str], list[tuple[str, str]]]:
    """The columns asked for (names or globs, in the file's order), and those not chosen."""
    if features is None:
        return list(rest), []
    pats = [p.strip() for p in (features.split(",") if isinstance(features, str) else features) if p.strip()]
    if not pats:
        raise DataError("no column given; e.g. «features=cli,ili» or «features=tested_positive*»",
                        param="features", value=features)
    missing = [p for p in pats if not any(fnmatch.fnmatchcase(c, p) for c in rest)]
    if missing:
        raise DataError(f"{where}: no feature column matches {', '.join(map(repr, missing))}; its columns are "
                        f"{_short(rest, 12)}", param="features", value=features)
    chosen = [c for c in rest if any(fnmatch.fnmatchcase(c, p) for p in pats)]
    return chosen, [(c, "not chosen") for c in rest if c not in chosen]


def _numbers(col: pd.Series, name: str, line, target: bool = False) -> np.ndarray:
    """A column as float64, or DataError naming the first cell that is not a finite number."""
    if pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col):
        v = col.to_numpy(dtype="float64", na_value=np.nan)
        bad_text = np.zeros(len(v), dtype=bool)
    else:
        s = col.astype(str).str.strip()
        missing = s.str.lower().isin(MISSING).to_numpy() | col.isna().to_numpy()
        v = pd.to_numeric(s.where(~missing, "nan"), errors="coerce").to_numpy(dtype="float64")
        bad_text = np.isnan(v) & ~missing
    if bad_text.any():
        i = int(np.flatnonzero(bad_text)[0])
        cell = str(col.iloc[i]).strip()
        if bad_text.mean() > 0.5 and target:
            raise DataError(f"{line(i)}: the target column {name!r} holds text ({cell!r}); the target must be "
                            f"numbers: choose a numeric column as the target", param=None)
        if bad_text.mean() > 0.5:
            raise DataError(f"{line(i)}: column {name!r} holds text ({cell!r}); a table's features are numbers: "
                            f"leave it out with «features=…» or encode it as numbers", param=None)
        raise DataError(f"{line(i)}: {cell!r} in column {name!r} is not a number; fix or delete that row")
    if np.isnan(v).any():
        i = int(np.flatnonzero(np.isnan(v))[0])
        if target:
            raise DataError(f"{line(i)}: no value in the target column {name!r}; every training row needs one: "
                            "fill or delete that row")
        raise DataError(f"{line(i)}: empty cell in column {name!r}; fill it, delete the row, or leave the column "
                        "out with «features=…»")
    with np.errstate(invalid="ignore"):
        big = ~np.isfinite(v) | (np.abs(v) > TOO_LARGE)
    if big.any():
        i = int(np.flatnonzero(big)[0])
        raise DataError(f"{line(i)}: {str(col.iloc[i]).strip()!r} in column {name!r} is not a finite number "
                        "(or over 1e30); fix or delete that row")
    return v


def _ids(col: pd.Series) -> np.ndarray:
    """The id column as written: whole numbers as int64, anything else as text."""
    v = pd.to_numeric(col.astype(str).str.strip(), errors="coerce").to_numpy(dtype="float64")
    if np.all(np.isfinite(v)) and np.all(v == np.round(v)):
        return v.astype(np.int64)
    return col.astype(str).str.strip().to_numpy()


def _is_id(v: np.ndarray) -> bool:
    """A unique run of whole numbers (0, 1, 2, … in any order): the rows' numbers, not a feature.

    >>> _is_id(np.array([3., 1., 2., 0.])), _is_id(np.array([0., 1., 1., 2.])), _is_id(np.array([0., 1.]))
    (True, False, False)
    """
    if len(v) < 3 or not np.all(v == np.round(v)):
        return False
    s = np.sort(v)
    return bool(np.all(np.diff(s) == 1))
