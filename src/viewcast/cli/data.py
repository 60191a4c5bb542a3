"""`viewcast data list|show|export`: the built-in series, what a series looks like, and a series as a CSV."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Optional

import numpy as np
import typer

from ..data import DEFAULT, builtin, load_series
from ..errors import ViewcastError
from .views import tables
from . import app, outputs
from . import many as many_cli
from .kit import Json, command, emit_json, options, print_lines

data_app = typer.Typer(help="List and inspect daily series.", no_args_is_help=True)
app.add_typer(data_app, name="data")


@data_app.command("list")
@command
def data_list(json_: Json = False) -> None:
    """List the built-in series (Wikipedia daily page views shipped with autots)."""
    rows = []
    for name in builtin.names():
        s = load_series(name)
        rows.append({"name": name, "start": s.start, "end": s.end, "days": len(s), "mean": float(np.nanmean(s.values))})
    if json_:
        return emit_json({"default": DEFAULT, "series": rows})
    print_lines(tables.data_list(rows, DEFAULT))


def _one(src, what: str) -> None:
    if many_cli.is_many(src.source, src.column):
        raise ViewcastError(f"{src.source}: names several series; data {what} takes one (`viewcast data list` lists "
                            "the built-in ones)")


@data_app.command("show")
@command
@options("src")
def data_show(src, json_: Json = False) -> None:
    """Date range, length, gaps and mean by weekday of a series."""
    _one(src, "show")
    s = src.load()
    ps = s.to_pandas()
    by_day = ps.groupby(ps.index.day_of_week).mean()
    names = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    weekday = {names[int(d)]: float(v) for d, v in by_day.items()}
    gaps = [{"first": a, "last": b, "days": (b - a).days + 1} for a, b in s.gaps()]
    info = {"source": s.name, "start": s.start, "end": s.end, "days": len(s),
            "missing_days": int(np.isnan(s.values).sum()), "gaps": gaps,
            "mean": float(np.nanmean(s.values)), "min": float(np.nanmin(s.values)), "max": float(np.nanmax(s.values)),
            "mean_by_weekday": weekday, "notes": list(s.notes)}
    if json_:
        return emit_json(info)
    print_lines(tables.data_show({**info, "gaps_text": s.describe_gaps()}))


@data_app.command("export")
@command
@options("src")
def data_export(
    src,
    output: Annotated[Optional[Path], typer.Option("--out", "-o", help="The CSV to write (date,value), or a folder (NAME.csv in it); default: stdout.")] = None,
    json_: Json = False,
) -> None:
    """Write a series — a built-in one, or any SOURCE — as a date,value CSV: a file to start your own from."""
    _one(src, "export")
    name_of = re.sub(r"[^\w.-]+", "_", src.source.split("/")[-1].removesuffix(".csv")) or "series"
    path = outputs.plan(output, [outputs.Output(name_of, (".csv",))])[0].path if output is not None else None
    s = src.load()
    from ..io import write_atomic

    ps = s.to_pandas().rename_axis("date").rename("value")
    text = ps.to_csv(date_format="%Y-%m-%d", float_format="%.10g")
    if path is None:
        if json_:
            return emit_json({"source": s.name, "file": None, "days": len(s), "csv": text})
        typer.echo(text, nl=False)
        return
    write_atomic(path, text.encode())
    if json_:
        return emit_json({"source": s.name, "file": str(path), "days": len(s), "start": s.start, "end": s.end})
    print_lines([f"wrote {path}: {s.name}, {len(s):,} days {s.start:%Y-%m-%d}…{s.end:%Y-%m-%d} (date,value)"])
