"""The one exception a user can cause, speaking the caller's language.

An error about a setting carries the parameter, the value and the hint as fields; it reads
`lr=-1: the learning rate must be a positive number, e.g. 0.01` in Python, and the CLI renders
the same error as `--lr -1: …`. An error about data carries only its message (file, line, what,
how to fix). The CLI prints either as one line and exits 2.

>>> e = ViewcastError("the learning rate must be a positive number, e.g. 0.01", param="lr", value=-1)
>>> str(e)
'lr=-1: the learning rate must be a positive number, e.g. 0.01'
>>> e.render(cli=True)
'--lr -1: the learning rate must be a positive number, e.g. 0.01'

A message names another setting as «name» or «name=value», rendered for each caller:

>>> d = DataError("x.csv: 2 numeric columns (a, b); pick one with «column=NAME»")
>>> str(d), d.render(cli=True)
("x.csv: 2 numeric columns (a, b); pick one with column='NAME'", 'x.csv: 2 numeric columns (a, b); pick one with --column NAME')
"""
from __future__ import annotations

import re

_OPTION = re.compile(r"«([a-z_]+)(?:=([^»]*))?»")


def option(name: str, value: str | None = None, cli: bool = False) -> str:
    """How the caller writes setting `name` (with `value`): --fill zero (CLI), fill='zero' (Python)."""
    if cli:
        return "--" + name.replace("_", "-") + (f" {value}" if value else "")
    return f"{name}=" + (repr(value) if value else "")


class ViewcastError(ValueError):
    """Bad input or settings: the message says what, where, and how to fix it."""

    def __init__(self, message: str, *, param: str | None = None, value: object = None, hint: str | None = None):
        self.message, self.param, self.value, self.hint = message, param, value, hint
        super().__init__(self.render())

    def render(self, cli: bool = False) -> str:
        r"""The one line: `param=value: message; hint` (Python) or `--param value: …` (CLI). A line break
        quoted from the input (a column name, a cell) is shown as \n, so it stays one line.

        >>> DataError("x.csv: the file has a header (0" + chr(10) + "2021-01-01,) but no rows").render()
        'x.csv: the file has a header (0\\n2021-01-01,) but no rows'
        """
        text = self.message + (f"; {self.hint}" if self.hint else "")
        text = _OPTION.sub(lambda m: option(m[1], m[2], cli), text)
        if self.param is None:
            return _one_line(text)
        if cli:
            flag = "--" + self.param.replace("_", "-")
            if self.value is None:  # an option not given (and needed): --target: …
                return _one_line(f"{flag}: {text}")
            if isinstance(self.value, bool):  # a switch: --log, --no-normalize
                return _one_line(f"{flag if self.value else '--no-' + flag[2:]}: {text}")
            return _one_line(f"{flag} {_show(self.value)}: {text}")
        return _one_line(f"{self.param}={self.value!r}: {text}")

    def __str__(self) -> str:
        return self.render()


def _one_line(text: str) -> str:
    return text.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def _show(value: object) -> str:
    if isinstance(value, (tuple, list)):
        return ",".join(_show(v) for v in value)
    return f"{value:g}" if isinstance(value, float) else str(value)


class DataError(ViewcastError):
    """A series that cannot be read or used as it is."""


class SpecError(ViewcastError):
    """A model spec string that does not follow the grammar."""
