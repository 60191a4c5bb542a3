"""The bytes of a CSV file as people really have them: existence, permissions, binary files,
encodings (UTF-8 with or without BOM, UTF-16, GB18030/GBK), separators, and line numbers.

Nothing here holds the whole file in memory: the encoding is checked block by block and line
numbers are found by streaming, so a 10-million-row file costs one block at a time.

>>> enc, head = check_file(Path("views.csv"), None)     # doctest: +SKIP
>>> sniff_separator(head)                               # doctest: +SKIP
','
"""
from __future__ import annotations

import codecs
import re
import warnings
from pathlib import Path
from typing import Iterator

import pandas as pd

from ..errors import DataError

ENCODINGS = ("utf-8-sig", "gb18030")  # tried in order when --encoding is not given
SEPARATORS = (",", ";", "\t", "|")
HEAD_BYTES = 1 << 16  # what separator sniffing and binary detection look at
BLOCK = 1 << 20  # read and decode this many bytes at a time
CHUNK_ROWS = 1 << 16  # rows per pandas chunk: bounds the memory of the string columns (10M rows: 34 MB and
# 4.4–5.1 s at 1 << 16, 154 MB and 5.5–6.6 s at 1 << 19, 2-core AMD EPYC; CI saw 3.7× that 154 MB)
NARROW = 8  # files with at most this many columns are read whole (see chunks)


def check_file(path: Path, encoding: str | None) -> tuple[str, str]:
    """(encoding, decoded head of the file), or DataError: missing, a folder, unreadable, empty,
    binary, or not decodable — each with the fix."""
    if not path.exists():
        raise DataError(f"{path}: no such file; give a CSV path or a built-in name (`viewcast data list`)")
    if path.is_dir():
        raise DataError(f"{path}: is a directory, not a CSV file; give the path of a .csv file inside it")
    try:
        with open(path, "rb") as f:
            head = f.read(HEAD_BYTES)
    except OSError as e:
        raise DataError(f"{path}: cannot be read ({e.strerror or e}); check its permissions") from None
    if not head.strip():
        raise DataError(f"{path}: the file is empty; it needs a header and one row per day")
    if encoding is None and head[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        encoding = "utf-16"  # Excel's "Unicode text" export
    kind = _spreadsheet(head)
    if kind:
        raise DataError(f"{path}: this is {kind}, not a CSV file; open it and save it as CSV (File → Save As → "
                        "CSV UTF-8), then give viewcast the .csv")
    if head[:4] == b"PK\x03\x04":
        raise DataError(f"{path}: this is a zip archive, not a CSV file; unzip it and give viewcast the CSV inside")
    if encoding is None and b"\x00" in head:
        raise DataError(f"{path}: looks like a binary file, not a CSV text file (if it is UTF-16 text, pass «encoding=utf-16»)")
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise DataError("unknown encoding; try utf-8, gb18030 or utf-16", param="encoding", value=encoding) from None
    tried = (encoding,) if encoding else ENCODINGS
    for enc in tried:
        bad = _first_undecodable(path, enc)
        if bad is None:
            text = head.decode(enc, errors="ignore")  # the head may end inside a character
            return enc, text
        if len(tried) == 1 or enc == tried[-1]:
            line = _line_at_byte(path, bad)
            raise DataError(f"{path}:{line}: cannot be decoded as {' or '.join(tried)} (byte {bad}); "
                            f"pass the file's encoding with «encoding» (e.g. gbk, latin-1, utf-16)")
    raise AssertionError("unreachable")


def _spreadsheet(head: bytes) -> str | None:
    """'an Excel file (.xlsx)' etc. from the first bytes, or None. (Reading them would need a
    spreadsheet library; saving as CSV takes a user ten seconds.)"""
    if head[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":  # OLE2 compound file: .xls (also old .doc)
        return "an Excel file (.xls)"
    if head[:4] == b"PK\x03\x04":  # a zip: the Office Open XML formats name their parts inside
        if b"xl/" in head:
            return "an Excel file (.xlsx)"
        if b"content.xml" in head and b"spreadsheet" in head:
            return "a LibreOffice spreadsheet (.ods)"
    return None


def _first_undecodable(path: Path, enc: str) -> int | None:
    """Offset of the first byte `enc` cannot decode, or None when the whole file decodes."""
    dec = codecs.getincrementaldecoder(enc)()
    done = 0
    with open(path, "rb") as f:
        while True:
            block = f.read(BLOCK)
            try:
                dec.decode(block, final=not block)
            except UnicodeDecodeError as e:
                return done + max(e.start, 0)
            if not block:
                return None
            done += len(block)


def _line_at_byte(path: Path, offset: int) -> int:
    with open(path, "rb") as f:
        return f.read(offset).count(b"\n") + 1


def sniff_separator(head: str) -> str:
    """The separator the header line uses most: , ; tab or | (',' when none appears)."""
    header = next((ln for ln in head.splitlines() if ln.strip()), "")
    counts = {sep: header.count(sep) for sep in SEPARATORS}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


class LineMap:
    """Data row number (0-based, blank lines skipped, as pandas counts) → line number in the file."""

    def __init__(self, path: Path, encoding: str):
        self.path, self.encoding = path, encoding

    def __call__(self, row: int) -> int:
        seen = -1  # the header is the first non-blank line
        lineno = 0
        with open(self.path, encoding=self.encoding, errors="replace", newline=None) as f:
            for lineno, ln in enumerate(f, start=1):
                if ln.strip():
                    if seen == row:
                        return lineno
                    seen += 1
        return lineno + 1


def header(path: Path, enc: str, sep: str) -> list[str]:
    """The column names as written in the first non-blank line."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            cols = pd.read_csv(path, sep=sep, encoding=enc, nrows=0, index_col=False, skipinitialspace=True).columns
    except pd.errors.EmptyDataError:
        raise DataError(f"{path}: the file is empty; it needs a header and one row per day") from None
    except (pd.errors.ParserError, ValueError, UnicodeError) as e:
        raise parser_error(path, e) from None
    return [str(c) for c in cols]


def chunks(path: Path, enc: str, sep: str, n_cols: int, use: dict[int, object], *, nrows: int | None = None,
           na: dict[int, list[str]] | None = None, chunksize: int | None = None) -> Iterator[pd.DataFrame]:
    """The file's data rows in chunks; column i is named col(i) and read as `use[i]`. The index
    counts data rows from 0 across chunks (blank lines skipped).

    A file of up to NARROW columns is read whole, so that pandas' tokenizer refuses a row with
    more fields than the header (an unquoted 1,234) wherever it is; a wider one reads only the
    `use` columns (usecols), and such rows are caught only among the first rows (the sample)."""
    names = [col(i) for i in range(n_cols)]
    narrow = n_cols <= NARROW
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            warnings.simplefilter("error", pd.errors.ParserWarning)  # index_col=False truncating a row
            reader = pd.read_csv(path, sep=sep, encoding=enc, header=0, names=names,
                                 usecols=None if narrow else [col(i) for i in sorted(use)],
                                 dtype={col(i): t for i, t in use.items()}, index_col=False, skipinitialspace=True,
                                 skip_blank_lines=True, keep_default_na=False,
                                 na_values={col(i): v for i, v in (na or {}).items()}, engine="c",
                                 chunksize=chunksize or CHUNK_ROWS, nrows=nrows)
            with reader:
                yield from reader
    except pd.errors.ParserWarning:
        raise DataError(f"{path}:{LineMap(path, enc)(0)}: more fields than the header's {n_cols}; quote values "
                        f"that contain the separator (\"1,234\") or check the separator") from None


def col(i: int) -> str:
    """The name `chunks` gives the column at position i."""
    return f"c{i}"


def parser_error(path: Path, e: Exception) -> DataError:
    """pandas' tokenizer message → one line naming the file line and the likely fix."""
    msg = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
    m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", msg)
    if m:
        want, line, saw = m.groups()
        return DataError(f"{path}:{line}: {saw} fields where the header has {want}; quote values that contain "
                         f"the separator (\"1,234\") or check the separator")
    if "EOF inside string" in msg or "EOF while" in msg:
        return DataError(f"{path}: a quote (\") is opened and never closed ({msg}); close or remove it")
    return DataError(f"{path}: not a readable CSV ({msg}); check the separator and quoting")
