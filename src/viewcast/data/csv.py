"""Read one daily series from a CSV file as people really have it. Every problem becomes one
DataError line: the file, the line, what is wrong, how to fix it.

The CSV is read in chunks (memory bounded by one chunk plus one value per day). The fast path
lets pandas' C parser read the value column as float64; when a cell is not a plain number
(thousands separators, a decimal comma, text, inf) the file is read again on the careful path,
as strings, which either cleans the cell or names its line.
"""
from __future__ import annotations

from pathlib import Path

from . import text
from .columns import plan
from .rows import Fallback, read_rows
from .series import DailySeries
from ..errors import DataError


def read_csv(path: Path, *, column: str | None = None, date_column: str | None = None,
             encoding: str | None = None) -> DailySeries:
    """One daily series from a CSV: long `date,value`, Prophet `ds,y`, wide, YouTube Studio, or
    long with a key column (`Page,date,value`: `column` picks the key)."""
    enc, head = text.check_file(path, encoding)
    sep = text.sniff_separator(head)
    try:
        p = plan(path, enc, sep, column, date_column)
        try:
            return read_rows(path, enc, sep, p, fast=True)
        except Fallback:
            return read_rows(path, enc, sep, p, fast=False)
    except DataError:
        raise
    except (ValueError, UnicodeError, OverflowError) as e:  # pandas' tokenizer and the like
        raise text.parser_error(path, e) from None

