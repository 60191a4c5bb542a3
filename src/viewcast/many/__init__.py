"""Many series through one command: jobs (what a command does to a chunk of series) and the runner
(chunks through a backend, rows streamed to a results file). Its names load on first use (`viewcast.lazy`)."""
from ..lazy import attach

__getattr__, __dir__, __all__ = attach(__name__, {"Job": ".jobs", "run_chunk": ".jobs", "ManyResult": ".runner",
                                                  "run_many": ".runner"})
