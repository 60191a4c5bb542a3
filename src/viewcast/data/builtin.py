"""The built-in series: the 21 Wikipedia page-view columns shipped in autots's data file.

The file is located with importlib (autots is never imported) and its sha256 is checked,
so every user trains on exactly the bytes the book's numbers were compared against.
"""
from __future__ import annotations

import hashlib
import importlib.util
from functools import lru_cache
from pathlib import Path

import pandas as pd

from ..errors import DataError

SHA256 = "feed9c8779dd6a6376af24b0645f1fcc6e7c9c0e64b481dab98b1c920876e31f"
DEFAULT = "wiki:Standard_deviation"  # ~7.6k views/day, low at weekends (the book's channel: Fri/Sat): the closest to it
PREFIX = "wiki:"


def data_file() -> Path:
    """Path of autots's `holidays.zip` (raises DataError if autots is not installed)."""
    spec = importlib.util.find_spec("autots")
    if spec is None or not spec.submodule_search_locations:
        raise DataError("the built-in series need the 'autots' package (its data file only): pip install autots")
    path = Path(list(spec.submodule_search_locations)[0]) / "datasets" / "data" / "holidays.zip"
    if not path.is_file():
        raise DataError(f"{path}: autots is installed but its data file is missing; reinstall with pip install --force-reinstall 'autots>=0.6.16'")
    return path


def check_hash(path: Path, expected: str = SHA256) -> None:
    """Raise DataError unless the file's sha256 is `expected`."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != expected:
        raise DataError(
            f"{path}: sha256 {digest[:12]}… is not the expected {expected[:12]}…; "
            "this autots version ships different data: pip install --force-reinstall 'autots>=0.6.16'"
        )


@lru_cache(maxsize=1)
def _frame() -> pd.DataFrame:
    path = data_file()
    check_hash(path)
    df = pd.read_csv(path)
    df.index = pd.DatetimeIndex(pd.to_datetime(df.pop("datetime")), name="date")
    return df[[c for c in df.columns if c.startswith("wiki_")]]


def names() -> list[str]:
    """All built-in names, e.g. ['wiki:United_States', …, 'wiki:all']."""
    return [PREFIX + c[len("wiki_"):] for c in _frame().columns]


def is_builtin(source: str) -> bool:
    return source.startswith(PREFIX) and not Path(source).exists()


def load(name: str) -> pd.Series:
    """The built-in series `name` (e.g. 'wiki:Standard_deviation') as float views indexed by date."""
    column = "wiki_" + name[len(PREFIX):]
    df = _frame()
    if column not in df.columns:
        raise DataError(f"{name}: no such built-in series; `viewcast data list` shows the {df.shape[1]} names")
    return df[column].astype("float64").rename(name)
