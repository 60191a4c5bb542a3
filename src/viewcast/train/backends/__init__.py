"""Where chunks of series are trained: `local` (this process, the default) or `ray` (a cluster).
A backend maps one picklable function over chunks and yields (chunk index, result or exception) as
chunks finish; the engine inside each chunk is the same batched program either way."""
from __future__ import annotations

from .local import Local

BACKENDS = ("local", "ray")


def get(name: str, address: str | None = None, workers: int | None = None):
    from ...errors import ViewcastError

    if name == "local":
        return Local()
    if name == "ray":
        from .ray import Ray

        return Ray(address, workers)
    raise ViewcastError(f"use {' or '.join(BACKENDS)}", param="backend", value=name)
