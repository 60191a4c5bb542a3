"""Text views of results for a terminal (rich) of any width, 80 columns included (`!viewcast` in
Jupyter): names and dates are never cut and numbers never fold. A table is laid out when it is printed,
for the console's width: at full width if it fits; else with headers and prose wrapped between words;
else in a narrower layout its caller offers (fewer columns); else with the longest key (a model or
series name) on a line of its own above each row. Titles are plain lines that wrap between words.
Numbers keep the digits their scale needs (`fmt.num`).

>>> import io; from rich.console import Console
>>> c = Console(width=40, file=io.StringIO())
>>> c.print(*table("t", [("name", "left"), ("days", "right"), ("mean", "right")],
...                 [["wiki:List_of_highest-grossing_films", "2,869", "12,345"]]))
>>> print(c.file.getvalue().rstrip())
t
   days     mean
  ──────────────
wiki:List_of_highest-grossing_films
  2,869   12,345
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from rich import box
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions
from rich.measure import Measurement
from rich.padding import Padding
from rich.table import Table
from rich.markup import escape
from rich.text import Text

from ...book.story import story
from ...text.fmt import num, scale_of, spread  # noqa: F401  (scale_of: re-exported for callers of tables.scale_of)
from ...text.i18n import t

GAP = 3  # between two columns: padding, divider, padding
INDENT = 2  # the rest of a row below its lifted name


@dataclass(frozen=True)
class Layout:
    """One way to show a table: columns (header, 'left'|'right'), rows of cells (rich markup), the
    key columns (names, dates: never wrapped), and a caption."""

    columns: list[tuple[str, str]]
    rows: list[list[str]]
    keys: tuple[int, ...] = (0,)
    caption: str | None = None

    def widths(self) -> tuple[list[int], list[int]]:
        """(natural, smallest) width of each column in terminal cells (a Chinese character takes two):
        the smallest keeps keys and every word whole."""
        natural, smallest = [], []
        for j, (head, _) in enumerate(self.columns):
            cells = [Text.from_markup(r[j], emoji=False).plain for r in self.rows]
            natural.append(max([cell_len(head)] + [cell_len(c) for c in cells]))
            words = [cell_len(w) for c in cells for w in ([c] if j in self.keys else c.split())] + [
                cell_len(w) for w in head.split()]
            smallest.append(max(words + [1]))
        return natural, smallest

    def fit(self, width: int, edge: int) -> list[int] | None:
        """Column widths within `width` (the smallest, grown toward natural), or None if it cannot fit."""
        natural, smallest = self.widths()
        spare = width - edge - GAP * (len(self.columns) - 1) - sum(smallest)
        if spare < 0:
            return None
        w = list(smallest)
        for j in sorted(range(len(w)), key=lambda j: natural[j] - smallest[j]):  # the cheapest first
            grow = min(spare, natural[j] - w[j])
            w[j] += grow
            spare -= grow
        return w

    def render(self, widths: list[int], header: bool = True, edge: bool = True, rows=None) -> Table:
        t = Table(box=box.SIMPLE_HEAD, caption=self.caption, pad_edge=False, show_header=header, show_edge=edge)
        for j, (head, justify) in enumerate(self.columns):
            t.add_column(head, justify=justify, width=widths[j], no_wrap=j in self.keys, overflow="fold")
        for r in self.rows if rows is None else rows:
            t.add_row(*r)
        return t

    def without(self, j: int) -> "Layout":
        return Layout([c for i, c in enumerate(self.columns) if i != j], [[c for i, c in enumerate(r) if i != j] for r in self.rows],
                      tuple(k - (k > j) for k in self.keys if k != j), self.caption)


class Fitted:
    """A table laid out for the console's width when printed (see the module docstring): `layouts`
    are tried in order, the widest first."""

    def __init__(self, layouts: list[Layout]):
        self.layouts = layouts

    def __rich_console__(self, console: Console, options: ConsoleOptions):
        width = options.max_width
        for lay in self.layouts:
            w = lay.fit(width, edge=2)
            if w is not None:
                yield lay.render(w)
                return
        yield from _stacked(self.layouts[-1], width)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        natural = sum(self.layouts[0].widths()[0]) + 2 + GAP * (len(self.layouts[0].columns) - 1)
        return Measurement(min(natural, options.max_width), min(natural, options.max_width))


def _stacked(lay: Layout, width: int):
    """The longest key of each row on a line of its own, the rest of the row below it, indented and
    aligned with the other rows."""
    lifted = []
    while lay.keys and lay.fit(width - INDENT, edge=0) is None and len(lay.columns) > 1:
        natural = lay.widths()[0]
        j = max(lay.keys, key=lambda k: natural[k])
        lifted.append([Text.from_markup(r[j], emoji=False) for r in lay.rows])
        lay = lay.without(j)
    w = lay.fit(width - INDENT, edge=0) or lay.widths()[1]
    yield Padding(lay.render(w, edge=False, rows=[]), (0, 0, 0, INDENT), expand=False)
    for i, row in enumerate(lay.rows):
        for keys in lifted[::-1]:
            yield keys[i]
        yield Padding(lay.render(w, header=False, edge=False, rows=[row]), (0, 0, 0, INDENT), expand=False)
    if lay.caption:
        yield Text(lay.caption, style="dim")


# ------------------------------------------------------------------ prose with Chinese in it
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
NO_START = set("，。、；：？！）》」』”’…—%")  # never first on a line (the rules of Chinese typesetting)
NO_END = set("（《「『“‘")  # never last on a line


def has_cjk(x) -> bool:
    """Does this text (str, markup or rich Text) hold Chinese characters or punctuation?"""
    return isinstance(x, (str, Text)) and bool(_CJK.search(x.plain if isinstance(x, Text) else x))


def breaks(plain: str, width: int) -> list[int]:
    """Where to break `plain` into lines of at most `width` cells: at spaces, as rich does, and also
    between Chinese characters (a Chinese sentence has no spaces; rich alone would break it only at the
    spaces around its numbers). Greedy; a run that cannot break is folded.

    >>> breaks("训练损失 192，验证损失却是 439", 12)  # '训练损失 ' | '192，验证损' | '失却是 439'
    [5, 12]
    """
    def allowed(i: int) -> bool:
        a, b = plain[i - 1], plain[i]
        if b.isspace() or not plain[:i].strip():
            return False
        if a.isspace():
            return True
        return bool(_CJK.match(a) or _CJK.match(b)) and b not in NO_START and a not in NO_END

    out: list[int] = []
    start, col, last = 0, 0, None
    for i, ch in enumerate(plain):
        if i > start and allowed(i):
            last = i
        w = cell_len(ch)
        if col + w > width and not ch.isspace() and i > start:
            cut = last if last is not None and last > start else i
            out.append(cut)
            start, last = cut, (i if cut < i and allowed(i) else None)
            col = cell_len(plain[cut:i])
        col += w
    return out


class Prose:
    """A paragraph (rich markup or Text) wrapped for the console's width by `breaks`: what a sentence
    with Chinese in it is printed as (`cli.kit.print_lines`); English prints as before, by rich."""

    def __init__(self, text: str | Text, style: str = ""):
        self.text = text.copy() if isinstance(text, Text) else Text.from_markup(text, style=style, emoji=False)

    def __rich_console__(self, console: Console, options: ConsoleOptions):
        for para in self.text.split("\n"):
            for line in para.divide(breaks(para.plain, options.max_width)):
                line.rstrip()
                yield line

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(1, min(cell_len(self.text.plain), options.max_width))


def fitted(title: str | None, layouts: list[Layout]) -> list:
    """[title line, a table in the first of `layouts` that fits the console (see Fitted)]."""
    return ([Text(title, style="bold")] if title else []) + [Fitted(layouts)]


def table(title: str | None, columns: list[tuple[str, str]], rows: list[list[str]], keys: tuple[int, ...] = (0,),
          caption: str | None = None) -> list:
    """[title line, table]: `columns` are (header, 'left'|'right'); the `keys` columns (names, dates)
    are never cut or wrapped, and no number is folded (see the module docstring)."""
    return fitted(title, [Layout(columns, rows, keys, caption)])


# ------------------------------------------------------------------ data
def data_list(rows: list[dict], default: str) -> list:
    body = [[r["name"] + (" (default)" if r["name"] == default else ""), f"{r['start']:%Y-%m-%d}",
             f"{r['end']:%Y-%m-%d}", f"{r['days']:,}", num(r["mean"])] for r in rows]
    return table("built-in series (raw daily Wikipedia page views)",
                 [("name", "left"), ("first day", "left"), ("last day", "left"), ("days", "right"),
                  ("mean/day", "right")], body, keys=(0, 1, 2))


def data_show(info: dict) -> list:
    sc = info["mean"]
    lines = [f"[bold]{escape(info['source'])}[/]: {info['start']:%Y-%m-%d} … {info['end']:%Y-%m-%d}, {info['days']:,} days; "
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
def split_text(split, lang: str = "en") -> str:
    """`Split.describe()` in `lang`: 'train 2017-01-01…2020-12-31, test 2021-01-01…2021-02-14' (a table's rows:
    '2,159 training rows, 540 test rows (a random 20% held out, seed 0)')."""
    if not hasattr(split, "train_start"):
        key = "cli.split.rows_given" if not split.fraction else "cli.split.rows_last" if split.last else "cli.split.rows"
        return t(key, lang, train=f"{len(split.train):,}", test=f"{len(split.test):,}",
                 pct=f"{split.fraction or 0:.0%}", seed=split.seed)
    return t("cli.split", lang, **{k: f"{getattr(split, k):%Y-%m-%d}"
                                   for k in ("train_start", "train_end", "test_start", "test_end")})


def ladder(res, lang: str = "en") -> list:
    """Tables A, B, C beside the book's numbers — with several seeds, each L and L′ the seeds' mean ± their
    spread — then the story (book/story.py), in `lang`."""
    out = []
    sc = ladder_scale(res.rows)
    seeds = max((r.seeds for r in res.rows), default=1)
    stop = t("cli.ladder.interrupted", lang)
    pm = [("±", "right")] if seeds > 1 else []
    for name in ("A", "B", "C"):
        rows = [[r.model + (f" [red]{stop}[/]" if r.interrupted else ""), f"{r.params:,}", *ladder_cells(r, sc, seeds),
                 num(r.book_train_mae), num(r.book_test_mae)] for r in res.rows if r.table == name]
        if rows:
            out += table(t("cli.ladder.title", lang, table=t(f"report.table.{name}", lang), source=res.source,
                           split=split_text(res.split, lang)),
                         [(t("cli.col.model", lang), "left"), (t("cli.col.params", lang), "right"), ("L", "right"),
                          *pm, ("L′", "right"), *pm, (t("cli.ladder.col.book_L", lang), "right"),
                          (t("cli.ladder.col.book_Lp", lang), "right")], rows)
    out.append(Text(t("cli.ladder.note", lang) + (" " + t("cli.ladder.seeds", lang, n=seeds) if seeds > 1 else ""),
                    style="dim"))
    out += ["• " + line for line in story(res.rows, scale=sc, lang=lang)]  # interrupted rows are left out of the story
    return out


def ladder_scale(rows) -> float | None:
    """The scale every loss of the ladder is printed at (the smallest one's)."""
    return scale_of([v for r in rows for v in (r.L()[0], r.Lp()[0])])


def ladder_cells(r, sc, seeds: int = 1) -> list[str]:
    """[L, L′] — or, in a table of several seeds (`seeds`), [L, ±, L′, ±]: each mean printed to its spread's
    digits (`fmt.spread`); a row with one network (cut short by Ctrl-C) has no spread: "—"."""
    if r.seeds <= 1 or r.train_mae_mean is None:
        one = [num(r.train_mae, sc), num(r.test_mae, sc)]
        return one if seeds <= 1 else [one[0], "—", one[1], "—"]
    return [*spread(*r.L(), scale=sc), *spread(*r.Lp(), scale=sc)]
