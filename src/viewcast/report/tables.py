"""Text views of results for a terminal (rich), 80 columns wide at least: names and dates are never
cut (their columns do not wrap and keep their full width; numbers give way), titles are printed as
plain lines that wrap between words, and numbers keep the digits their scale needs (`fmt.num`).
"""
from __future__ import annotations

import math

from rich import box
from rich.table import Table
from rich.text import Text

from ..book import ladder as book
from ..book.story import story
from .fmt import num


def scale_of(values) -> float | None:
    """The smallest non-zero |value|: a column formatted for it shows every value's digits."""
    vals = [abs(v) for v in values if v is not None and isinstance(v, (int, float)) and math.isfinite(v) and v != 0]
    return min(vals) if vals else None


def table(title: str | None, columns: list[tuple[str, str]], rows: list[list[str]], keys: tuple[int, ...] = (0,),
          caption: str | None = None) -> list:
    """[title line, table]: `columns` are (header, 'left'|'right'); the `keys` columns (names, dates)
    never wrap and keep the width of their longest cell."""
    t = Table(box=box.SIMPLE_HEAD, caption=caption, pad_edge=False)
    for j, (head, justify) in enumerate(columns):
        if j in keys:
            width = max([len(head)] + [len(Text.from_markup(r[j]).plain) for r in rows])
            t.add_column(head, justify=justify, no_wrap=True, min_width=width)
        else:
            t.add_column(head, justify=justify, overflow="fold")
    for r in rows:
        t.add_row(*r)
    return ([Text(title, style="bold")] if title else []) + [t]


# ------------------------------------------------------------------ data
def data_list(rows: list[dict], default: str) -> list:
    body = [[r["name"] + (" (default)" if r["name"] == default else ""), f"{r['start']:%Y-%m-%d}",
             f"{r['end']:%Y-%m-%d}", f"{r['days']:,}", num(r["mean"])] for r in rows]
    return table("built-in series (raw daily Wikipedia page views)",
                 [("name", "left"), ("first day", "left"), ("last day", "left"), ("days", "right"),
                  ("mean/day", "right")], body, keys=(0, 1, 2))


def data_show(info: dict) -> list:
    sc = info["mean"]
    lines = [f"[bold]{info['source']}[/]: {info['start']:%Y-%m-%d} … {info['end']:%Y-%m-%d}, {info['days']:,} days; "
             f"mean {num(info['mean'], sc)}, min {num(info['min'], sc)}, max {num(info['max'], sc)} per day",
             ("gaps: " + info["gaps_text"]) if info["gaps"] else "no missing days"]
    lines += [f"note: {n}" for n in info["notes"]]
    names = list(info["mean_by_weekday"])
    return lines + table("mean by weekday", [(d, "right") for d in names],
                         [[num(info["mean_by_weekday"][d], sc) for d in names]], keys=())


# ------------------------------------------------------------------ fit
def fit(r, val_scheme: str | None = None, saved: str | None = None) -> list:
    sc = scale_of([r.train["mae"], r.test["mae"]])
    rows = [[f"train L ({r.train_days:,} days)", num(r.train["mae"], sc), num(r.train["mse"])],
            [f"test L′ ({r.test_days:,} days)", num(r.test["mae"], sc), num(r.test["mse"])]]
    if r.exact:
        rows.append([f"exact optimum ({r.exact['loss']}), train", num(r.exact["mae"], sc), num(r.exact["mse"])])
    out = table(f"{r.spec} on {r.source} ({r.split.describe()})",
                [("", "left"), ("MAE (views)", "right"), ("MSE (views²)", "right")], rows)
    out.append(f"{r.params:,} parameters; {r.updates:,} updates in {r.seconds:.1f} s; stopped: {r.stop_reason}")
    if r.exact:
        out.append(f"gradient descent is {r.exact['gap_pct']:.2f}% above the exact optimum's training {r.exact['loss']}"
                   + (" — an optimization issue, not model bias" if r.exact["gap_pct"] > 2 else ""))
    if r.val:
        at = f"; weights of update {r.best_update} restored (early stopping)" if r.best_update is not None else ""
        out.append(f"validation MAE {num(r.val['mae'], sc)} on the {val_scheme or 'holdout:0.1'} validation part "
                   f"of the training days{at}")
    if saved:
        out.append(f"saved to {saved}")
    return out


# ------------------------------------------------------------------ ladder
def ladder(res) -> list:
    out = []
    sc = scale_of([r.train_mae for r in res.rows] + [r.test_mae for r in res.rows])
    for name in ("A", "B", "C"):
        rows = [[r.model + (" [red](interrupted)[/]" if r.interrupted else ""), f"{r.params:,}", num(r.train_mae, sc),
                 num(r.test_mae, sc), num(r.book_train_mae), num(r.book_test_mae)] for r in res.rows if r.table == name]
        if rows:
            out += table(f"{book.TITLES[name]} — {res.source}, {res.split.describe()}",
                         [("model", "left"), ("params", "right"), ("L", "right"), ("L′", "right"),
                          ("book L", "right"), ("book L′", "right")], rows)
    out.append(Text("L, L′: mean absolute error per day on the training and test days. The book's numbers are "
                    "for its (private) channel, given for the pattern.", style="dim"))
    out += ["• " + line for line in story([r for r in res.rows if not r.interrupted])]
    return out
