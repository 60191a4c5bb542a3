"""Several series from one source: `wiki:*` (the built-in series matching a pattern), a folder or a
glob of CSV files, every numeric column of a wide CSV or every key of a long one (`column="*"`), a
DataFrame with a key column, or a list of anything `load_series` reads. A series that cannot be used
is reported by name with its reason and skipped; the others still come.

>>> got = load_many("wiki:C*")
>>> [s.name for s in got.series], got.skipped
(['wiki:Christmas', 'wiki:Chinese_New_Year', 'wiki:Cleopatra'], [])
"""
from __future__ import annotations

import fnmatch
import glob
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import builtin
from .series import DailySeries
from .source import load_series
from ..errors import DataError, ViewcastError

GLOB = set("*?[")


@dataclass
class Many:
    series: list[DailySeries] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)  # {"series": name, "reason": one line}

    def skip(self, name: str, reason: str) -> None:
        self.skipped.append({"series": name, "reason": reason})


def is_many(source, column: str | None = None) -> bool:
    """Does `source` name several series (a pattern, a folder, a list, `column="*"`)?"""
    if isinstance(source, (list, tuple)):
        return True
    if column == "*":
        return True
    if isinstance(source, str):
        if Path(source).is_file():  # a file named like a pattern ('x[1].csv') is that file
            return False
        return bool(GLOB & set(source)) or (Path(source).is_dir())
    return isinstance(source, Path) and source.is_dir()


def load_many(source, *, column: str | None = None, date_column: str | None = None, fill: str = "none",
              encoding: str | None = None, key: str | None = None) -> Many:
    """Every series `source` names, each as `load_series` would read it; the unusable ones skipped."""
    got = Many()
    if isinstance(source, pd.DataFrame):
        return _frame(source, key, column, date_column, fill)
    if isinstance(source, (list, tuple)):
        for i, x in enumerate(source):
            name = getattr(x, "name", None) or (str(x) if isinstance(x, (str, Path)) else f"series {i + 1}")
            _one(got, str(name), lambda x=x: load_series(x, column=column, date_column=date_column, fill=fill,
                                                           encoding=encoding))
        return got
    text = str(source)
    if text.startswith(builtin.PREFIX) and GLOB & set(text):
        if column is not None:
            raise ViewcastError(f"built-in series have one column each; drop «column={column}» for {text!r}")
        names = [n for n in builtin.names() if fnmatch.fnmatchcase(n, text)]
        if not names:
            raise ViewcastError(f"no built-in series matches {text!r}; `viewcast data list` shows the names")
        for n in names:
            _one(got, n, lambda n=n: load_series(n, fill=fill))
        return got
    if text.startswith(builtin.PREFIX):
        raise ViewcastError(f"«column=*» reads every column of a CSV file; for several built-in series give a pattern "
                            f"such as 'wiki:*' or 'wiki:C*' instead of {text!r}")
    if Path(text).is_file():
        files = [Path(text)]
    elif Path(text).is_dir():
        files = sorted(Path(text).glob("*.csv"))
        if not files:
            raise DataError(f"{text}: a folder without .csv files; give CSV files or a pattern such as 'data/*.csv'")
    elif GLOB & set(text):
        files = [Path(p) for p in sorted(glob.glob(text))]
        if not files:
            raise DataError(f"no file matches {text!r}; check the pattern (quote it so the shell leaves it alone)")
    else:
        files = [Path(text)]
    for f in files:
        if column == "*":
            from .columns import all_columns  # every numeric column (wide) or every key (long)

            try:
                cols = all_columns(f, date_column, encoding)
            except DataError as e:
                got.skip(str(f), e.render(cli=True))
                continue
            for c in cols:
                _one(got, f"{f.name}:{c}", lambda f=f, c=c: load_series(f, column=c, date_column=date_column,
                                                                         fill=fill, encoding=encoding))
        else:
            _one(got, str(f), lambda f=f: load_series(f, column=column, date_column=date_column, fill=fill,
                                                      encoding=encoding))
    return got


def _one(got: Many, name: str, load) -> None:
    try:
        got.series.append(load())
    except DataError as e:
        got.skip(name, e.render(cli=True))


def _frame(df: pd.DataFrame, key: str | None, column: str | None, date_column: str | None, fill: str) -> Many:
    """A long DataFrame with a key column: one series per key (its date column or index, its values)."""
    got = Many()
    if key is None or key not in df.columns:
        raise DataError("a DataFrame of several series needs its key column: give «key=NAME» "
                        f"(columns: {', '.join(map(str, df.columns))})")
    for k, part in df.groupby(key, sort=True):
        _one(got, str(k), lambda part=part, k=k: load_series(part.drop(columns=[key]), column=column,
                                                            date_column=date_column, fill=fill, name=str(k)))
    return got
