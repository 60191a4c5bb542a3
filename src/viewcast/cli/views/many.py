"""The summary of a many-series run: one row per series (for the ladder: each model's median over
the series), what was skipped, and where the per-series file is."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
from rich.markup import escape
from rich.text import Text

from ...text.fmt import num
from .tables import table

SHOWN = 40  # rows printed before "… and N more" (the file has them all)


def summary(res, results: Path | None = None) -> list:
    df = res.to_frame()
    out: list = []
    if len(df):
        out += VIEWS[res.command](df)
    out.append(f"{res.done:,} of {res.total:,} series done in {res.seconds:,.1f} s ({res.backend})"
               + (f"; {len(res.skipped)} skipped" if res.skipped else "")
               + (f"; {sum(len(f['series']) for f in res.failed)} in failed chunks" if res.failed else "")
               + (f"; {res.resumed} already in the results file" if res.resumed else "")
               + (f"; {res.retries} chunk(s) failed once and succeeded when retried" if res.retries else "") + ".")
    if results is not None:
        out.append(f"per-series results: {results}" + (" (partial)" if res.partial else ""))
    return out


WIDTH = 80  # what `!viewcast` in Jupyter or Colab gets


def _rows(df: pd.DataFrame, cols: list[tuple[str, str, str]]) -> tuple[list[tuple[str, str]], list[list[str]]]:
    """(headers, cells) for the first SHOWN rows; cols: (column, header, kind) with kind 'text' or 'num'."""
    body = [[escape(str(r[c])) if kind == "text" else num(r[c]) for c, _, kind in cols]  # names are data, not markup
            for _, r in df.head(SHOWN).iterrows()]
    return [(h, "left" if kind == "text" else "right") for _, h, kind in cols], body


def fitted(title: str, heads: list[tuple[str, str]], body: list[list[str]], keys: tuple[int, ...]) -> list:
    """A table when every column fits WIDTH whole; else one line per row (`name — header value; …`),
    which wraps between words: names are never cut, and no column is squeezed out."""
    widths = [max([len(h)] + [len(Text.from_markup(r[j], emoji=False).plain) for r in body]) for j, (h, _) in enumerate(heads)]
    if sum(widths) + 2 * len(widths) <= WIDTH:
        return table(title, heads, body, keys=keys)
    lines = [f"[bold]{title}[/]"]
    for r in body:
        lines.append(f"{r[0]} — " + "; ".join(f"{h} {v}" for (h, _), v in zip(heads[1:], r[1:])))
    return lines


def _more(df: pd.DataFrame) -> list:
    return [f"… and {len(df) - SHOWN:,} more rows"] if len(df) > SHOWN else []


def _fit(df):
    heads, body = _rows(df, [("series", "series", "text"), ("model", "model", "text"), ("train_mae", "train MAE", "num"),
                             ("val_mae", "val MAE", "num"), ("test_mae", "test MAE", "num")])
    return fitted("per series: the model trained on each", heads, body, keys=(0, 1)) + _more(df)


def _cv(df):
    heads, body = _rows(df, [("series", "series", "text"), ("chosen", "chosen", "text"),
                             ("val_mae_mean", "val MAE", "num"), ("test_mae", "test MAE", "num")])
    counts = df["chosen"].value_counts()
    return (fitted("per series: the model validation chose, its test MAE (scored once)", heads, body, keys=(0, 1))
            + _more(df) + ["chosen: " + ", ".join(f"{m} ×{n}" for m, n in counts.items())])


def _ladder(df):
    g = df.groupby("model", sort=False).agg(train=("train_mae", "median"), test=("test_mae", "median"),
                                            n=("series", "nunique"))
    body = [[m, num(r["train"]), num(r["test"]), f"{int(r['n']):,}"] for m, r in g.iterrows()]
    return table("the ladder: median L and L′ over the series (each series' own in the results file)",
                 [("model", "left"), ("median L", "right"), ("median L′", "right"), ("series", "right")], body)


def _forecast(df):
    first = df.groupby("series", sort=False).head(1)
    heads, body = _rows(first, [("series", "series", "text"), ("chosen", "chosen", "text"), ("date", "first day", "text"),
                                ("views", "forecast", "num"), ("lower80", "80% low", "num"), ("upper80", "80% high", "num")])
    return fitted("per series: the first forecast day (all days in the results file)", heads, body,
                 keys=(0, 1, 2)) + _more(first)


def _diagnose(df):
    heads, body = _rows(df, [("series", "series", "text"), ("best_model", "best model", "text"),
                             ("verdict", "overall verdict", "text")])
    return fitted("per series: chapter 2's verdict for the model validation would choose", heads, body,
                 keys=(0, 1, 2)) + _more(df)


VIEWS = {"fit": _fit, "cv": _cv, "ladder": _ladder, "forecast": _forecast, "diagnose": _diagnose}
