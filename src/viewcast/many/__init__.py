"""Many series through one command: jobs (what a command does to a chunk of series) and the runner
(chunks through a backend, rows streamed to a results file)."""
from .jobs import Job, run_chunk
from .runner import ManyResult, run_many

__all__ = ["Job", "run_chunk", "ManyResult", "run_many"]
