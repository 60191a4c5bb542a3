"""What every command shares: its options, one-line errors with exit status 2, JSON output,
rich tables on stdout and progress bars on stderr (quiet under --json)."""
from __future__ import annotations

import functools
import json
import math
import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Optional

import numpy as np
import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from .datasets import DEFAULT
from .errors import ViewcastError

out = Console()
err = Console(stderr=True)

# ------------------------------------------------------------------ shared options
Source = Annotated[str, typer.Argument(help="A built-in name (`viewcast data list`) or a CSV path.")]
Column = Annotated[Optional[str], typer.Option("--column", help="The value column (wide CSV) or series key (long CSV).")]
DateColumn = Annotated[Optional[str], typer.Option("--date-column", help="The date column, when it is not detected.")]
Fill = Annotated[str, typer.Option("--fill", help="Missing days: none (refuse), zero, interpolate.")]
Encoding = Annotated[Optional[str], typer.Option("--encoding", help="The CSV's text encoding (default: UTF-8, then GB18030).")]
TrainStart = Annotated[Optional[str], typer.Option("--train-start", help="First training day (default: the book's 2017-01-01, or the series' start).")]
TrainEnd = Annotated[Optional[str], typer.Option("--train-end", help="Last training day (default: the book's 2020-12-31, or before the last 10%).")]
TestStart = Annotated[Optional[str], typer.Option("--test-start", help="First test day (default: the book's 2021-01-01, or the last 10%).")]
TestEnd = Annotated[Optional[str], typer.Option("--test-end", help="Last test day (default: the book's 2021-02-14, or the series' end).")]
Json = Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout and nothing else.")]
Seed = Annotated[int, typer.Option("--seed", help="Random seed: same seed, same numbers.")]
# training options shared by fit, cv and diagnose
Loss = Annotated[str, typer.Option(help="mae (the book's) or mse.")]
Optimizer = Annotated[str, typer.Option(help="gd (full batch, the book's θ ← θ − η∇L), sgd (mini-batch, momentum) or adam.")]
Lr = Annotated[Optional[float], typer.Option(help="Learning rate η (default: 0.01 adam, 0.1 gd, 0.01 sgd in standard units).")]
Epochs = Annotated[int, typer.Option(help="Passes over the training days (full batch: one update each).")]
BatchSize = Annotated[Optional[int], typer.Option(help="Mini-batch size (default: all training days).")]
Schedule = Annotated[str, typer.Option(help="cosine (η decays to 0) or constant.")]
Normalize = Annotated[bool, typer.Option("--normalize/--no-normalize", help="Train in standard units, or on raw views as the book does (needs a tiny η).")]
WeightDecay = Annotated[float, typer.Option(help="L2 penalty on the weights.")]
Dropout = Annotated[float, typer.Option(help="Dropout after each hidden layer.")]
Augment = Annotated[str, typer.Option(help="none, or scale: each training window and its target times one random factor.")]
EarlyStop = Annotated[Optional[int], typer.Option("--early-stop", help="Patience in updates on the validation loss; restores the best weights.")]
Log = Annotated[bool, typer.Option("--log", help="Model views on a log scale (views are multiplicative).")]
Weekday = Annotated[bool, typer.Option("--weekday", help="Give the model the predicted day's weekday (one-hot) as 7 more inputs.")]
Models = Annotated[Optional[str], typer.Option("--models", help="Comma-separated model specs (default: the ladder), e.g. linear:56,relu:56x100x2.")]
Val = Annotated[str, typer.Option("--val", help="holdout:0.1 (last 10% of training, default), random:0.1, kfold:5, timeseries:5.")]
Gap = Annotated[int, typer.Option(help="Days left out between training and validation parts (holdout, timeseries).")]
OutDir = Annotated[Path, typer.Option("--out", "-o", help="Folder for the figures (PNG and HTML).")]
NoPlots = Annotated[bool, typer.Option("--no-plots", help="Do not write figures.")]


def command(fn):
    """Wrap a command: bad input → one line on stderr and exit status 2; Ctrl-C → exit 130."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except ViewcastError as e:
            err.print(f"[bold red]error:[/] {escape(str(e))}", highlight=False, soft_wrap=True)
            raise typer.Exit(2)
        except KeyboardInterrupt:
            err.print("interrupted", highlight=False)
            raise typer.Exit(130)
        except typer.Exit:
            raise
        except Exception as e:  # a bug of ours: one line, the traceback only on request
            if os.environ.get("VIEWCAST_DEBUG"):
                raise
            err.print(f"internal error: {type(e).__name__}: {e} (set VIEWCAST_DEBUG=1 for the traceback; please report it)",
                      highlight=False, markup=False, soft_wrap=True)
            raise typer.Exit(1)

    return wrapper


def jsonable(o):
    """numpy and NaN/inf → plain JSON (NaN and inf become null)."""
    if isinstance(o, dict):
        return {str(k): jsonable(v) for k, v in o.items()}
    if isinstance(o, (list, tuple)):
        return [jsonable(v) for v in o]
    if isinstance(o, np.ndarray):
        return jsonable(o.tolist())
    if isinstance(o, (np.floating, float)):
        return float(o) if math.isfinite(o) else None
    if isinstance(o, np.integer):
        return int(o)
    if hasattr(o, "strftime"):
        return f"{o:%Y-%m-%d}"
    return o


def emit_json(obj) -> None:
    sys.stdout.write(json.dumps(jsonable(obj), ensure_ascii=False) + "\n")


@contextmanager
def progress_bar(quiet: bool, label: str = "training"):
    """Yields (on_task(label, total), on_step(done, total, loss)) callbacks for the library."""
    if quiet or not err.is_terminal:  # no bars (and no stray blank lines) when stderr is piped
        yield (lambda *a: None), None
        return
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("L {task.fields[loss]}"), TimeRemainingColumn(), console=err, transient=True) as p:
        task = p.add_task(label, total=1, loss="")

        def on_task(name: str, i: int = 0, n: int = 0) -> None:
            p.update(task, description=f"{name}" + (f" ({i + 1}/{n})" if n else ""), completed=0)

        def on_step(done: int, total: int, loss: float) -> None:
            p.update(task, completed=done, total=total, loss=f"{loss:,.0f}")

        yield on_task, on_step


def fmt(v, digits: int = 0) -> str:
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return "—"
    return f"{v:,.{digits}f}"


DEFAULT_SOURCE = DEFAULT
