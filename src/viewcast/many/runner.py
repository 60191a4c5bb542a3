"""Many series through one command: the series are cut into chunks, a backend (local or Ray) runs
`jobs.run_chunk` on each, and the rows stream back as chunks finish — written to the results file
after each one, so Ctrl-C or a failing chunk never loses what finished (the file says it is partial).
Ctrl-C then raises KeyboardInterrupt, or, in the CLI, ends the run with what finished.
With `resume`, series already in the results file are not run again.

>>> from viewcast.many import Job
>>> r = run_many(Job("fit", specs=("linear:7",), config=TrainConfig(epochs=30)), [s])
>>> r.done, r.partial, list(r.to_frame().columns[:2])
(1, False, ['series', 'model'])
"""
from __future__ import annotations

import functools
import io
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

import pandas as pd

from ..data.series import DailySeries
from ..checks import check
from ..errors import ViewcastError
from ..io import write_atomic
from ..train.config import TrainConfig  # noqa: F401  (doctest)
from ..train.backends import get as get_backend
from ..train.interrupt import keep_partial

if TYPE_CHECKING:  # the jobs (and the engine) load when a run starts: the CLI's options need no torch
    from .jobs import Job

CHUNK_SERIES = 64  # series per chunk (a Ray task): seconds of work each, far above Ray's per-task overhead


@dataclass
class ManyResult:
    command: str
    total: int  # series asked for
    rows: list[dict] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)  # {"series", "reason"}: unusable series
    failed: list[dict] = field(default_factory=list)  # {"chunk", "series": [...], "error"}: chunks that kept failing
    resumed: int = 0  # series found done in the results file
    interrupted: bool = False
    seconds: float = 0.0
    backend: str = "local"
    retries: int = 0  # chunks that failed once and succeeded on a retry (Ray)

    @property
    def done(self) -> int:
        return len({r["series"] for r in self.rows})

    @property
    def partial(self) -> bool:
        return self.interrupted or bool(self.failed)

    def to_frame(self) -> pd.DataFrame:
        """One row per series (or series × model / day); nested values (e.g. each candidate's loss) as JSON text."""
        return pd.DataFrame([{k: json.dumps(v, default=str) if isinstance(v, (dict, list)) else v for k, v in r.items()}
                             for r in self.rows])

    def as_dict(self) -> dict:
        return {"command": self.command, "series": self.total, "done": self.done, "skipped": self.skipped,
                "failed": self.failed, "resumed": self.resumed, "partial": self.partial,
                "interrupted": self.interrupted, "seconds": self.seconds, "backend": self.backend,
                "retries": self.retries, "rows": self.rows}


def check_results_path(path: str | Path) -> Path:
    """A .csv or .parquet results file that can be written (checked before any work)."""
    from ..io import check_target

    path = Path(path)
    if path.suffix.lower() not in (".csv", ".parquet"):
        raise ViewcastError("use a .csv or .parquet file name", param="results", value=str(path))
    if path.suffix.lower() == ".parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise ViewcastError("writing Parquet needs pyarrow: pip install pyarrow (or use a .csv file)",
                                param="results", value=str(path)) from None
    return check_target(path, "results")


def check_settings(backend: str, address, workers, results, resume: bool, chunk_series: int | None) -> Path | None:
    """The settings of a many-series run, checked before a series is read — one check for the CLI and for
    Python (the messages name each setting as the caller writes it); the results file to write, if any."""
    if chunk_series is not None:
        check(chunk_series=chunk_series)
    if backend == "local" and (address is not None or workers is not None):
        raise ViewcastError("is for «backend=ray»", param="address" if address is not None else "workers",
                            value=address if address is not None else workers)
    out = None if results is None else check_results_path(results)
    if resume and out is None:
        raise ViewcastError("needs the results file to resume from", param="resume", value=True,
                            hint="add «results=FILE»")
    return out


def read_done(path: Path) -> tuple[list[dict], set[str]]:
    """The rows of an earlier results file and the series they cover (for --resume)."""
    if not path.exists():
        return [], set()
    if path.suffix.lower() == ".parquet":
        df = pd.read_parquet(path)
    else:  # only the first line can be the `# partial:` mark; a '#' elsewhere is part of a name
        with open(path, encoding="utf-8") as f:
            partial = f.readline().startswith("# partial:")
        df = pd.read_csv(path, skiprows=1 if partial else 0, dtype={"series": str})
    rows = df.to_dict("records")
    return rows, {str(r["series"]) for r in rows}


def write_results(res: ManyResult, path: Path) -> None:
    """All rows so far, atomically; a CSV starts with `# partial: …` while the run is incomplete."""
    df = res.to_frame()
    if path.suffix.lower() == ".parquet":
        buf = io.BytesIO()
        df.to_parquet(buf, index=False)
        write_atomic(path, buf.getvalue())
        return
    head = f"# partial: {res.done} of {res.total} series\n" if res.partial else ""
    write_atomic(path, (head + df.to_csv(index=False, float_format="%.8g")).encode())


def run_many(job: Job, series: list[DailySeries], backend="local", address: str | None = None,
             workers: int | None = None, chunk_series: int = CHUNK_SERIES, results: Path | None = None,
             resume: bool = False, on_series: Callable[[int, int], None] | None = None,
             skipped: list[dict] | None = None, chunk_fn: Callable | None = None,
             on_chunk: Callable[[int, int, int], None] | None = None, on_model: Callable | None = None,
             progress: Callable | None = None) -> ManyResult:
    """Run `job` on every series in chunks through `backend` (a name, or a backend already connected);
    `on_series(done, total)` as chunks finish, `on_chunk(done, total, size)` as the next chunk of `size`
    series starts. `chunk_fn(job, series)` does a chunk's work (default: `jobs.run_chunk`; it must be
    picklable for Ray). On the local backend, the chunk's steps and engine updates are reported through
    `on_model` and `progress` too (a Ray worker reports only when its chunk is done)."""
    from .jobs import ChunkResult, run_chunk

    check(chunk_series=chunk_series)
    t0 = time.perf_counter()
    be = get_backend(backend, address, workers) if isinstance(backend, str) else backend  # fails here, before work
    res = ManyResult(job.command, len(series) + len(skipped or []), skipped=list(skipped or []), backend=be.name)
    if resume and results is not None:
        res.rows, done = read_done(results)
        res.resumed = len(done)
        series = [s for s in series if s.name not in done]
    chunks = [series[a:a + chunk_series] for a in range(0, len(series), chunk_series)]
    finished = res.resumed
    fn = chunk_fn or run_chunk
    if chunk_fn is None and be.name == "local" and (on_model or progress):
        fn = functools.partial(_reporting, on_model=on_model, progress=progress)
    total = res.total - len(skipped or [])
    if on_chunk and chunks:
        on_chunk(finished, total, len(chunks[0]))
    try:
        for i, got in be.map(fn, chunks, job):
            if isinstance(got, BaseException):
                res.failed.append({"chunk": i, "series": [s.name for s in chunks[i]],
                                   "error": f"{type(got).__name__}: {got}".splitlines()[0]})
            else:
                assert isinstance(got, ChunkResult)
                res.rows += got.rows
                res.skipped += got.skipped
            res.retries = getattr(be, "retried", 0)
            finished += len(chunks[i])
            if results is not None:
                write_results(res, results)
            if on_series:
                on_series(finished, total)
            if on_chunk and i + 1 < len(chunks):
                on_chunk(finished, total, len(chunks[i + 1]))
    except KeyboardInterrupt:
        res.interrupted = True
        if not keep_partial():  # Python: Ctrl-C raises, once the results file says what finished
            if results is not None:
                write_results(res, results)
            raise
    finally:
        be.close()
    if results is not None:
        write_results(res, results)
    res.seconds = time.perf_counter() - t0
    return res


def _reporting(job, chunk, on_model=None, progress=None):
    """`jobs.run_chunk` with the step and update callbacks (local backend only: they live in this process)."""
    from .jobs import run_chunk

    return run_chunk(job, chunk, progress, on_model)
