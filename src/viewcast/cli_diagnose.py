"""`viewcast diagnose`: chapter 2's methodology — why is a model bad? Thin: parse, call
viewcast.diagnose.diagnose, print the report (or --json), write the figures."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from . import datasets, ladder
from .clikit import (BatchSize, Column, DateColumn, Dropout, Encoding, Epochs, Fill, Gap, Json, Loss, Lr, Models, NoPlots, Normalize, Optimizer, OutDir, Schedule, Seed, Source, TestEnd, TestStart, TrainEnd, TrainStart, Val, WeightDecay, command, emit_json, err, out, progress_bar)
from .data import load_series
from .diagnose import DiagnoseConfig, diagnose as run_diagnosis
from .diagnose_report import figures, reference_line, sentences, verdict_table, worst_table
from .errors import ViewcastError
from .models import parse_list
from .select import RANDOM_WARNING, parse_scheme
from .train import TrainConfig
from .windows import choose_split


def diagnose(
    source: Source = datasets.DEFAULT,
    models_: Models = None,
    val: Val = "holdout:0.1",
    gap: Gap = 0,
    loss: Loss = "mae",
    optimizer: Optimizer = "adam",
    lr: Lr = None,
    epochs: Epochs = TrainConfig.epochs,
    batch_size: BatchSize = None,
    schedule: Schedule = "cosine",
    normalize: Normalize = True,
    weight_decay: WeightDecay = 0.0,
    dropout: Dropout = 0.0,
    worst_factor: Annotated[float, typer.Option("--worst-factor", help="List test days every model (without bias or an optimization issue) misses by more than this × its validation MAE.")] = DiagnoseConfig.worst_factor,
    out_dir: OutDir = Path("viewcast-out"),
    no_plots: NoPlots = False,
    seed: Seed = 0,
    column: Column = None, date_column: DateColumn = None, fill: Fill = "none", encoding: Encoding = None,
    train_start: TrainStart = None, train_end: TrainEnd = None, test_start: TestStart = None, test_end: TestEnd = None,
    json_: Json = False,
) -> None:
    """Why is a model bad? Model bias, optimization issue, overfitting or mismatch, with the evidence (chapter 2)."""
    scheme = parse_scheme(val, gap)
    if worst_factor <= 0:
        raise ViewcastError(f"--worst-factor {worst_factor}: must be a positive number, e.g. 3")
    config = TrainConfig(loss=loss, optimizer=optimizer, lr=lr, epochs=epochs, batch_size=batch_size, schedule=schedule,
                         seed=seed, normalize=normalize, weight_decay=weight_decay, dropout=dropout)
    dconfig = DiagnoseConfig(worst_factor=worst_factor, seed=seed)
    if not no_plots and out_dir.exists() and not out_dir.is_dir():
        raise ViewcastError(f"--out {out_dir}: exists and is not a folder")
    s = load_series(source, column=column, date_column=date_column, fill=fill, encoding=encoding)
    split = choose_split(s, train_start, train_end, test_start, test_end)
    specs = [str(p) for p in parse_list(models_)] if models_ else ladder.specs()
    with progress_bar(json_) as (task, step):
        d = run_diagnosis(s, split, specs, scheme, config, dconfig, on_model=task, progress=step)
    paths = []
    if not no_plots:
        out_dir.mkdir(parents=True, exist_ok=True)
        paths = figures(d, out_dir / "diagnose")
    warnings = [RANDOM_WARNING] if scheme.kind == "random" else []
    if json_:
        return emit_json({**d.as_dict(), "figures": [str(p) for p in paths], "warnings": warnings})
    for w in warnings:
        err.print(f"warning: {w}", highlight=False)
    out.print(verdict_table(d))
    out.print(reference_line(d), style="dim")
    for line in sentences(d):
        out.print(line)
    t = worst_table(d)
    if t is not None:
        out.print(t)
    else:
        out.print(f"No test day was missed by every judged model by more than {d.dconfig.worst_factor:g}× its validation MAE.")
    for p in paths:
        out.print(f"figure: {p}")


def register(app: typer.Typer) -> None:
    app.command("diagnose")(command(diagnose))
