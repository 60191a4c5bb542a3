"""The default backend: chunks run one after another in this process.

>>> list(Local().map(lambda c: sum(c), [[1, 2], [3]]))
[(0, 3), (1, 3)]
"""
from __future__ import annotations

from typing import Callable, Iterator


class Local:
    name = "local"
    workers = 1

    def map(self, fn: Callable, chunks: list, *args) -> Iterator[tuple[int, object]]:
        """fn(*args, chunk) for each chunk, in order; an exception is yielded in place of its result."""
        for i, c in enumerate(chunks):
            try:
                yield i, fn(*args, c)
            except KeyboardInterrupt:
                raise
            except Exception as e:  # reported with the chunk's series; the other chunks still run
                yield i, e

    def close(self) -> None:
        pass
