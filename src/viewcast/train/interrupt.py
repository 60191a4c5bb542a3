"""What Ctrl-C does to a run. In Python it raises KeyboardInterrupt, as any long call does: a half-trained
result never comes back looking finished (in Jupyter, "interrupt kernel" stops the cell). The CLI runs
each command inside `keep_partial_on_interrupt()`: there a run ends with what was trained, its members
marked INTERRUPTED, and the command prints (and saves) what was finished and exits 130. Inside that,
`abandon_on_interrupt()` raises again: where a partial result means nothing (a chunk of many series,
left for `--resume`; a forecast's refit).

>>> keep_partial()
False
>>> with keep_partial_on_interrupt() as kept:
...     inside = keep_partial()
...     with abandon_on_interrupt():
...         nested = keep_partial()
>>> inside, nested, keep_partial(), kept.interrupted
(True, False, False, True)
"""
from __future__ import annotations

import contextlib
import contextvars
from typing import Iterator


class Kept:
    """What the CLI learns from a command's runs: whether one of them ended early on Ctrl-C."""

    interrupted: bool = False


_KEEP: contextvars.ContextVar[Kept | None] = contextvars.ContextVar("keep_partial_on_interrupt", default=None)


@contextlib.contextmanager
def keep_partial_on_interrupt() -> Iterator[Kept]:
    """Within it, Ctrl-C during training ends the run with what was trained; `.interrupted` says it did."""
    kept = Kept()
    token = _KEEP.set(kept)
    try:
        yield kept
    finally:
        _KEEP.reset(token)


@contextlib.contextmanager
def abandon_on_interrupt() -> Iterator[None]:
    """Within it, Ctrl-C raises even where the caller keeps partial results."""
    token = _KEEP.set(None)
    try:
        yield
    finally:
        _KEEP.reset(token)


def keep_partial() -> bool:
    """Asked on Ctrl-C: end the run with what was finished (True, and noted for the CLI's exit status)
    or let KeyboardInterrupt go on (False)."""
    kept = _KEEP.get()
    if kept is not None:
        kept.interrupted = True
    return kept is not None
