"""What Ctrl-C does to a run. In Python it raises KeyboardInterrupt, as any long call does: a half-trained
result never comes back looking finished (in Jupyter, "interrupt kernel" stops the cell). The CLI runs
each command inside `keep_partial_on_interrupt()`: there a run ends with what was trained, its members
marked INTERRUPTED, and the command prints (and saves) what was finished and exits 130. Inside that,
`abandon_on_interrupt()` raises again: a chunk of many series is then not recorded half-trained as
done, but left for `--resume`.

>>> keeps_partial()
False
>>> with keep_partial_on_interrupt():
...     inside = keeps_partial()
...     with abandon_on_interrupt():
...         nested = keeps_partial()
>>> inside, nested, keeps_partial()
(True, False, False)
"""
from __future__ import annotations

import contextlib
import contextvars
from typing import Iterator

_KEEP = contextvars.ContextVar("keep_partial_on_interrupt", default=False)


@contextlib.contextmanager
def keep_partial_on_interrupt(keep: bool = True) -> Iterator[None]:
    """Within it, Ctrl-C during training ends the run with what was trained (False: it raises)."""
    token = _KEEP.set(keep)
    try:
        yield
    finally:
        _KEEP.reset(token)


def abandon_on_interrupt() -> contextlib.AbstractContextManager[None]:
    """Within it, Ctrl-C raises even where the caller keeps partial results."""
    return keep_partial_on_interrupt(False)


def keeps_partial() -> bool:
    """Whether Ctrl-C here should end a run with what was trained, rather than raise."""
    return _KEEP.get()
