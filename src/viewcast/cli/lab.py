"""`viewcast lab`: write chapter 1's interactive page (one offline HTML file), optionally serve it on
127.0.0.1. Thin: parse, check the output (and the port) before any work, call the library, print."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..book.lab import UNITS
from ..lab.serve import serve as serve_page
from ..lab.serve import server
from . import app, outputs
from .kit import Json, command, emit_json, options, out, progress_bar


@app.command("lab")
@command
@options("src", "split", "lang")
def lab(
    src, split, lang,
    output: Annotated[Path, typer.Option("--out", "-o", help="The page: an .html file (self-contained, opens offline), or a folder (lab.html in it).")] = Path("lab.html"),
    units: Annotated[int, typer.Option("--units", help="Hidden units H of the trained hardsigmoid:1xH behind the builder's red curve.")] = UNITS,
    serve: Annotated[bool, typer.Option("--serve", help="Then serve the page on http://127.0.0.1:PORT until Ctrl-C.")] = False,
    port: Annotated[int, typer.Option("--port", help="--serve: the port (0: any free one).")] = 0,
    json_: Json = False,
) -> None:
    """An interactive page: the data and y = b + w·x₁, the error surface, gradient descent, L beside L′, a piecewise-linear builder (it switches language in place)."""
    path = outputs.plan(output, [outputs.Output("lab", (".html",))])[0].path  # before any work
    srv = server(path, port) if serve else None  # a busy port is refused before any work too
    s = src.load()
    from .. import api  # the engine loads once the input is known to be good
    from ..lab.page import write_lab

    with progress_bar(json_, f"lab: training hardsigmoid:1x{units}", lang) as (_, step):
        data = api.lab_data(s, split=split.of(s), units=units, progress=step)
    written = write_lab(data, path, lang)
    url = f"http://127.0.0.1:{srv.server_address[1]}/{written.name}" if srv else None
    if json_:
        emit_json({"file": str(written), "lang": lang, "source": s.name, "bytes": written.stat().st_size, "url": url})
    else:
        out.print(f"wrote {written} ({written.stat().st_size / 1e6:.2f} MB, {lang}); open it in a browser, offline",
                  highlight=False)
    if srv:
        if not json_:
            out.print(f"serving it on {url} (Ctrl-C stops)", highlight=False)
        try:
            serve_page(srv, written)
        except KeyboardInterrupt:  # Ctrl-C is how serving ends: not an interruption of work
            if not json_:
                out.print("stopped serving", highlight=False)
