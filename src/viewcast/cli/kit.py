"""What every command shares: its options (declared once, in groups that a decorator adds to each
command), the one place CLI options become a TrainConfig, one-line errors with exit status 2,
JSON output, rich output on stdout and progress bars on stderr (quiet under --json).
"""
from __future__ import annotations

import functools
import inspect
import json
import math
import os
import sys
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Callable, List, Optional

import numpy as np
import typer
from rich.console import Console
from rich.markup import escape

from ..data.builtin import DEFAULT
from ..errors import ViewcastError
from ..evaluate.validation import parse_scheme
from ..text import i18n
from ..train.config import TrainConfig
from ..train.interrupt import keep_partial_on_interrupt
from . import outputs
from .progress import Quiet, Stages

# Only light modules above: a command imports the library inside itself, so --help, --version and a bad
# argument answer before torch is loaded (tests/test_cli_basics.py counts the modules).

out = Console(emoji=False)  # ':a:' in a series name stays ':a:'
err = Console(stderr=True, emoji=False)

# ------------------------------------------------------------------ options of one command
Json = Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout and nothing else.")]
def models_option(table_default: str):
    """`--models` of a command whose table (`--target`) candidates default to `table_default` (listed with a space
    after each comma: rich cuts a word wider than its column, and a narrow terminal's help column is ~20 wide)."""
    return Annotated[Optional[str], typer.Option("--models", help=f"Comma-separated model specs (default: the ladder; a table's, --target: {table_default}), e.g. linear:56,relu:100.")]


Models = models_option("linear, relu:128")  # cv's (evaluate.table.TableRecipe.models)
OutDir = Annotated[Optional[List[str]], typer.Option("--out", "-o", help=f"Where the figures go: {outputs.HELP} (default: the folder {outputs.FIGURES}).")]
NoPlots = Annotated[bool, typer.Option("--no-plots", help="Do not write figures.")]


# ------------------------------------------------------------------ option groups
@dataclass(frozen=True)
class Opt:
    name: str
    annotation: object
    default: object


def _group(*opts: Opt) -> tuple[Opt, ...]:
    return opts


SOURCE = _group(
    Opt("source", Annotated[str, typer.Argument(help="A built-in name (`viewcast data list`) or a CSV path.")], DEFAULT),
    Opt("column", Annotated[Optional[str], typer.Option("--column", help="The value column (wide CSV) or series key (long CSV).")], None),
    Opt("date_column", Annotated[Optional[str], typer.Option("--date-column", help="The date column, when it is not detected.")], None),
    Opt("fill", Annotated[str, typer.Option("--fill", help="Missing days: none (refuse), zero, interpolate.")], "none"),
    Opt("encoding", Annotated[Optional[str], typer.Option("--encoding", help="The CSV's text encoding (default: UTF-8, then GB18030).")], None),
)
SPLIT = _group(
    Opt("train_start", Annotated[Optional[str], typer.Option("--train-start", help="First training day (default: the book's 2017-01-01, or the series' start).")], None),
    Opt("train_end", Annotated[Optional[str], typer.Option("--train-end", help="Last training day (default: the book's 2020-12-31, or before the last 10%).")], None),
    Opt("test_start", Annotated[Optional[str], typer.Option("--test-start", help="First test day (default: the book's 2021-01-01, or the last 10%).")], None),
    Opt("test_end", Annotated[Optional[str], typer.Option("--test-end", help="Last test day (default: the book's 2021-02-14, or the series' end).")], None),
)
TRAIN = _group(
    Opt("loss", Annotated[str, typer.Option(help="mae (the book's, default) or mse (a table's default, --target).")], TrainConfig.loss),
    Opt("optimizer", Annotated[str, typer.Option(help="gd (full batch, the book's θ ← θ − η∇L), sgd (mini-batch, momentum) or adam.")], TrainConfig.optimizer),
    Opt("lr", Annotated[Optional[float], typer.Option(help="Learning rate η (default: 0.01 adam, 0.1 gd, 0.01 sgd in standard units; cv and forecast given no training option: their own recipe, docs/cli.md «Recipes»).")], None),
    Opt("epochs", Annotated[int, typer.Option(help="Passes over the training days (full batch: one update each; cv and forecast given no training option: their own recipe, docs/cli.md «Recipes»).")], TrainConfig.epochs),
    Opt("batch_size", Annotated[Optional[int], typer.Option(help="Mini-batch size (default: all training days; cv and forecast given no training option: their own recipe, docs/cli.md «Recipes»).")], None),
    Opt("schedule", Annotated[str, typer.Option(help="cosine (η decays to 0) or constant.")], TrainConfig.schedule),
    Opt("normalize", Annotated[bool, typer.Option("--normalize/--no-normalize", help="Train in standard units, or on raw views as the book does (needs a tiny η).")], True),
    Opt("weight_decay", Annotated[float, typer.Option(help="L2 penalty on the weights.")], 0.0),
    Opt("dropout", Annotated[float, typer.Option(help="Dropout after each hidden layer.")], 0.0),
    Opt("early_stop", Annotated[Optional[int], typer.Option("--early-stop", help="Patience in updates on the validation loss; restores the best weights.")], None),
    Opt("augment", Annotated[str, typer.Option(help="none, or scale: each training window and its target times one random factor.")], "none"),
    Opt("seed", Annotated[int, typer.Option("--seed", help="Random seed: same seed, same numbers (docs/determinism.md says which seeds a command's networks train).")], 0),
    Opt("device", Annotated[str, typer.Option(help="auto, cpu or cuda.")], "auto"),
)
FEATURES = _group(
    Opt("log", Annotated[bool, typer.Option("--log", help="Model views on a log scale (views are multiplicative).")], False),
    Opt("weekday", Annotated[bool, typer.Option("--weekday", help="Give the model the predicted day's weekday (one-hot) as 7 more inputs.")], False),
)
VALIDATION = _group(
    Opt("val", Annotated[str, typer.Option("--val", help="holdout:0.1 (last 10% of training, default; a table's: kfold:5 for cv, holdout:0.2 for diagnose and a validating fit), random:0.1, kfold:5, timeseries:5, rolling:4 (the last 20% in 4 blocks, each trained on every day before it).")], "holdout:0.1"),
    Opt("gap", Annotated[int, typer.Option(help="Days left out between training and validation parts (holdout, timeseries, rolling; kfold and random refuse it).")], 0),
)
LANG = _group(
    Opt("lang", Annotated[Optional[str], typer.Option("--lang", help="en or zh (default: $VIEWCAST_LANG, else en).")], None),
)


@dataclass(frozen=True)
class SourceArgs:
    """Where the series comes from; loaded only after the outputs are checked."""

    source: str
    column: str | None
    date_column: str | None
    fill: str
    encoding: str | None

    def load(self):
        from ..data import load_series

        return load_series(self.source, column=self.column, date_column=self.date_column, fill=self.fill,
                           encoding=self.encoding)


_CONTEXT: ContextVar = ContextVar("viewcast_cli_context", default=None)  # the running command's (`options`)


def given(name: str) -> bool:
    """Was option `name` (its parameter name) given on the command line, not left at its default?"""
    ctx = _CONTEXT.get()
    src = ctx.get_parameter_source(name) if ctx is not None else None
    return src is not None and src.name not in ("DEFAULT", "DEFAULT_MAP")


@dataclass(frozen=True)
class SplitArgs:
    train_start: str | None
    train_end: str | None
    test_start: str | None
    test_end: str | None

    def of(self, series):
        from ..features import choose_split

        return choose_split(series, self.train_start, self.train_end, self.test_start, self.test_end)


# What each group gives the command, under this keyword.
BUILDERS: dict[str, tuple[tuple[Opt, ...], Callable]] = {
    "src": (SOURCE, lambda kw: SourceArgs(**kw)),
    "split": (SPLIT, lambda kw: SplitArgs(**kw)),
    "config": (TRAIN, lambda kw: TrainConfig(**kw)),  # the one place CLI options become a TrainConfig
    "features": (FEATURES, lambda kw: _features(**kw)),
    "scheme": (VALIDATION, lambda kw: parse_scheme(kw["val"], kw["gap"])),
    "lang": (LANG, lambda kw: i18n.resolve(kw["lang"])),  # 'en' | 'zh'; an unknown one is refused before any work
}


def _features(**kw):
    from ..features import Features

    return Features(**kw)


def options(*groups: str):
    """Add the option groups `groups` (keys of BUILDERS) to a command: typer sees every option in the
    signature; the command receives one object per group (src=SourceArgs, config=TrainConfig, …)."""

    def deco(fn):
        sig = inspect.signature(fn, eval_str=True)
        own = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in sig.parameters.values() if p.name not in groups]
        added = [inspect.Parameter(o.name, inspect.Parameter.KEYWORD_ONLY, default=o.default, annotation=o.annotation)
                 for g in groups for o in BUILDERS[g][0]]
        args = [p for p in added if p.name == "source"]  # the positional argument first
        ctx = inspect.Parameter("_ctx", inspect.Parameter.KEYWORD_ONLY, annotation=typer.Context)  # for `given`
        params = args + own + [p for p in added if p.name != "source"] + [ctx]

        @functools.wraps(fn)
        def wrapper(**kw):
            token = _CONTEXT.set(kw.pop("_ctx", None))
            try:
                for g in groups:
                    opts, build = BUILDERS[g]
                    kw[g] = build({o.name: kw.pop(o.name) for o in opts})
                return fn(**kw)
            finally:
                _CONTEXT.reset(token)

        wrapper.__signature__ = sig.replace(parameters=params, return_annotation=sig.return_annotation)
        wrapper.__annotations__ = {p.name: p.annotation for p in params}
        del wrapper.__wrapped__  # typer must see the new signature, not the function's own
        return wrapper

    return deco


# ------------------------------------------------------------------ running a command
def command(fn):
    """Wrap a command: bad input → one line on stderr and exit status 2; Ctrl-C → exit 130. Ctrl-C
    during training ends it with what was trained (marked interrupted), for the command to print."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            with keep_partial_on_interrupt() as kept:
                out = fn(*args, **kwargs)
            if kept.interrupted:  # a command that went on after a run was cut short never exits 0
                raise KeyboardInterrupt
            return out
        except ViewcastError as e:
            fail(e.render(cli=True))
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


def fail(message: str) -> None:
    """One line on stderr, exit status 2."""
    err.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(2)


def warn(message: str) -> None:
    err.print(f"warning: {escape(message)}", highlight=False, soft_wrap=True)


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
    if isinstance(o, np.bool_):
        return bool(o)
    if hasattr(o, "strftime"):
        return f"{o:%Y-%m-%d}"
    if isinstance(o, Path):
        return str(o)
    return o


def emit_json(obj) -> None:
    sys.stdout.write(json.dumps(jsonable(obj), ensure_ascii=False) + "\n")


@contextmanager
def progress_bar(quiet: bool, label: str = "", lang: str = "en"):
    """What the command is doing, on stderr (`cli/progress.py`): yields Stages, which unpacks to (task, step)
    — the library's `on_model` and `progress` callbacks — and has `part` for commands made of parts. A bar
    on a terminal, a line per stage when piped, nothing under --json; in `lang` (a command with --lang)."""
    if quiet:
        yield Quiet()
        return
    stages = Stages(err, label, live=err.is_terminal, lang=lang)
    stages.start()
    try:
        yield stages
    except BaseException:
        stages.stop(finished=False)
        raise
    stages.stop()


def print_lines(lines) -> None:
    """Rich renderables or strings, one after another; prose with Chinese in it wrapped between its
    characters too (`tables.Prose`), since rich breaks lines only at spaces."""
    from .views.tables import Prose, has_cjk

    for x in lines:
        out.print(Prose(x) if has_cjk(x) else x)


def say(text: str, **kw) -> None:
    """One line of prose (rich markup) on stdout, wrapped like `print_lines`'; kw as for Console.print."""
    from .views.tables import Prose, has_cjk

    out.print(Prose(text) if has_cjk(text) else text, **kw)
