"""The Ray backend (`--backend ray`): each chunk of series is one Ray task that runs the same batched
engine; the job travels once (`ray.put`), each chunk once (as its task's argument); results come back
as tasks finish. A task that raises is submitted again (up to MAX_ATTEMPTS, counted in `retried`);
one that keeps failing comes back as its exception, and the other chunks go on. Ray's own
`max_retries` covers a worker that dies. Ctrl-C cancels what is pending and shuts down a Ray this
backend started.

    ray start --head                              # on one machine
    ray start --address HEAD_IP:6379              # on the others
    viewcast cv 'wiki:*' --backend ray --address auto
"""
from __future__ import annotations

import os
import socket
from typing import Callable, Iterator

from ...errors import ViewcastError

MAX_ATTEMPTS = 3  # a chunk that raises this many times is reported as failed
CONNECT_TIMEOUT = 5.0  # seconds to reach a cluster's address before giving up


def _call(fn: Callable, job, chunk):
    return fn(job, chunk)


class Ray:
    name = "ray"

    def __init__(self, address: str | None = None, workers: int | None = None):
        try:
            import ray
        except ImportError:
            raise ViewcastError("needs Ray: pip install 'viewcast[ray]'", param="backend", value="ray") from None
        self.ray, self.started, self.retried = ray, False, 0
        if workers is not None and workers < 1:
            raise ViewcastError("must be at least 1", param="workers", value=workers)
        if address is not None and address.startswith("ray://"):
            _reachable(address.removeprefix("ray://"), 10001)  # Ray Client's port
        elif address not in (None, "auto", "local"):
            _reachable(address)
        if ray.is_initialized():  # a Ray this process already started (a notebook, the test suite): share it
            self.workers = workers or int(ray.cluster_resources().get("CPU", 1))
            return
        try:
            ray.init(address=None if address == "local" else address, include_dashboard=False,
                     num_cpus=workers if address in (None, "local") else None, log_to_driver=False,
                     configure_logging=False)
        except (ConnectionError, RuntimeError, ValueError) as e:
            raise ViewcastError(f"cannot connect to a Ray cluster ({str(e).splitlines()[0][:160]})", param="address",
                                value=address or "local", hint="start one with `ray start --head`, or drop --address "
                                "to use a Ray on this machine") from None
        self.started = True
        self.workers = workers or int(ray.cluster_resources().get("CPU", os.cpu_count() or 1))

    def map(self, fn: Callable, chunks: list, job) -> Iterator[tuple[int, object]]:
        """fn(job, chunk) on the cluster, at most `workers` chunks at a time; (index, result or exception)."""
        ray = self.ray
        task = ray.remote(num_cpus=1, max_retries=2)(_call)  # max_retries: a worker that died
        job_ref = ray.put(job)
        todo = list(enumerate(chunks))[::-1]
        attempts: dict[int, int] = {}
        pending: dict = {}

        def submit() -> None:
            while todo and len(pending) < self.workers:
                i, c = todo.pop()
                attempts[i] = attempts.get(i, 0) + 1
                pending[task.remote(fn, job_ref, c)] = (i, c)

        submit()
        try:
            while pending:
                (ref,), _ = ray.wait(list(pending), num_returns=1)
                i, c = pending.pop(ref)
                try:
                    got = ray.get(ref)
                except ray.exceptions.RayTaskError as e:
                    if attempts[i] < MAX_ATTEMPTS:
                        self.retried += 1
                        todo.append((i, c))
                        submit()
                        continue
                    got = e.cause if isinstance(e.cause, Exception) else e
                except ray.exceptions.RayError as e:
                    got = e
                submit()
                yield i, got
        finally:
            for ref in pending:  # Ctrl-C or an error: nothing is left running
                ray.cancel(ref, force=True)

    def close(self) -> None:
        if self.started and self.ray.is_initialized():
            self.ray.shutdown()


def _reachable(address: str, default_port: int = 6379) -> None:
    """Fail within seconds, naming the address, when nothing listens there (HOST, HOST:PORT)."""
    host, sep, port = address.rpartition(":")
    if not sep:  # no port given: Ray's default
        host, port = address, ""
    try:
        socket.create_connection((host, int(port or default_port)), timeout=CONNECT_TIMEOUT).close()
    except (OSError, ValueError) as e:
        raise ViewcastError(f"no Ray cluster answers there ({e})", param="address", value=address,
                            hint="check HOST:PORT (`ray status` on the head node), or use --address auto") from None
