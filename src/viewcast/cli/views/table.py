"""What the table commands print: a fit's losses on the training, validation and test rows, the features
chosen with their scores, the candidates of `cv`, the ladder's tables, the diagnosis and the leaderboard
lesson — in the target's units, MSE first (the homework's metric)."""
from __future__ import annotations

import math

from rich.markup import escape
from rich.text import Text

from ...book.leaderboard import lesson
from ...text.claims import said
from ...text.fmt import num, scale_of
from ...text.i18n import t
from .tables import table


def notes(lines: list[str]) -> list[str]:
    """The loader's decisions (what was left out, which column is the target), dimmed."""
    return [f"[dim]note: {escape(x)}[/]" for x in lines]


def features(cols, most: int = 12) -> list:
    """The K best features and their scores (on the training rows), when they were selected."""
    if cols is None or not cols.by:
        return []
    ranked = cols.ranked()
    rows = [[name + (" ✓" if chosen else ""), num(score) if math.isfinite(score) else "—"]
            for name, score, chosen in ranked[:most]]
    more = len(ranked) - most
    return table(f"the {len(cols.names)} best of {len(cols.offered)} features by {cols.by}, scored on the training rows",
                 [("feature", "left"), ("score", "right")], rows,
                 caption=f"… {more} more in --json" if more > 0 else None)


def fit(r, val_scheme: str | None = None, saved: str | None = None) -> list:
    sc = scale_of([r.train["mse"], r.test["mse"]])
    rows = [[f"train L ({r.train_days:,} rows)", num(r.train["mse"], sc), num(r.train["mae"])]]
    if r.val:
        rows.append([f"validation ({val_scheme or 'holdout:0.2'} of the training rows)", num(r.val["mse"], sc),
                     num(r.val["mae"])])
    if r.test_days:
        rows.append([f"test L′ ({r.test_days:,} rows)", num(r.test["mse"], sc), num(r.test["mae"])])
    if r.exact:
        rows.append([f"exact optimum ({r.exact['loss']}), train", num(r.exact["mse"], sc), num(r.exact["mae"])])
    target = r.columns.target if r.columns is not None else "target"
    out = notes(r.warnings) + features(r.columns)
    out += table(f"{r.spec} on {r.source} → {target} ({r.k} features; {r.split.describe()})",
                 [("", "left"), ("MSE", "right"), ("MAE", "right")], rows)
    out.append(f"{r.params:,} parameters; {r.updates:,} updates in {r.seconds:.1f} s; stopped: {r.stop_reason}")
    if r.exact:
        out.append(f"gradient descent is {r.exact['gap_pct']:.2f}% above the exact optimum's training {r.exact['loss']}"
                   + (" — an optimization issue, not model bias" if r.exact["gap_pct"] > 2 else ""))
    if saved:
        out.append(f"saved to {saved}: `viewcast predict --model {saved} TEST.csv -o submission.csv` writes a submission")
    return out


def selection(sel) -> list:
    L, c, r = sel.config.loss, sel.chosen, sel.refit
    sc = scale_of([k.val_mean_loss for k in sel.candidates])
    body = [[k.label + (" ✓" if k is c else ""), f"{k.params:,}", num(float(k.train_loss.mean()), sc),
             num(k.val_mean_loss, sc), num(k.val_std_loss, sc)] for k in sel.candidates]
    out = notes(sel.warnings)
    out += table(f"validation ({sel.scheme}, {len(sel.seeds)} seed(s)) of {sel.source} → {sel.data.columns.target}, "
                 f"{sel.split.describe()}; {L.upper()}",
                 [("model", "left"), ("params", "right"), ("train L", "right"), ("val mean", "right"), ("± sd", "right")],
                 body)
    out += features(sel.data.columns)
    test = f"[bold]test {L.upper()} {num(r.test[L], sc)}[/] — the test rows are scored once, for the chosen model" \
        if r.test_days else "no test rows held out (--test 0)"
    out.append(f"Chosen ({sel.rule}): [bold]{c.label}[/], validation {L.upper()} {num(c.val_mean_loss, sc)}; refit on "
               f"every training row ({r.updates} updates; {r.stop_reason}): training {L.upper()} {num(r.train[L], sc)}, "
               + test + ".")
    return out


# A diagnosis' sentences speak of a series' days and views; a table's are rows and the target's units. The
# sentences are checked against their numbers before these words are swapped (the numbers do not move).
ROWS = {"en": [("held-out validation days", "held-out validation rows"), ("training days", "training rows"),
               ("validation days", "validation rows"), ("days it did not see", "rows it did not see"),
               ("the test days differ from the days validation saw", "the test rows differ from those validation saw"),
               ("The test period's views differ from the training period's",
                "The test rows' targets differ from the training rows'"),
               ("the test period's views to differ from the training period's",
                "the test rows' targets to differ from the training rows'"),
               (" with 1-day blocks", ""), ("block-permutation p", "permutation p"), (" test blocks", " test rows"), (" test block", " test row"),
               (" views, p =", ", p ="), ("; MSE in views)", "; MSE)"), ("; MAE in views)", "; MAE)")],
        "zh": [("没见过的日子上", "没见过的行上"), ("测试期的观看次数与训练期的", "测试行的目标与训练行的"),
               ("以 1 天为一块的块置换检验", "置换检验"), ("块置换检验", "置换检验"), ("测试期只有", "测试行只有"), (" 次，p =", "，p ="),
               ("，单位为次）", "）")]}


def as_rows(line, lang: str = "en"):
    """A diagnosis line in a table's words (rows, not days; the target's units, not views)."""
    if isinstance(line, Text):
        return Text(as_rows(line.plain, lang), style=line.style)
    if not isinstance(line, str):
        return line
    for a, b in ROWS.get(lang, []):
        line = line.replace(a, b)
    return line


def ladder(res, lang: str = "en") -> list:
    L = res.loss
    sc = scale_of([r.train[L] for r in res.rows] + [r.test[L] for r in res.rows])
    out = []
    for name in ("A", "B", "C"):
        rows = [[r.model, f"{r.params:,}", num(r.train[L], sc), num(r.test[L], sc)] for r in res.rows if r.table == name]
        if rows:
            out += table(t("cli.table.ladder.title", lang, table=t(f"cli.table.ladder.{name}", lang), source=res.source,
                           target=res.target, split=res.split.describe(), loss=L.upper()),
                         [(t("cli.col.model", lang), "left"), (t("cli.col.params", lang), "right"), ("L", "right"),
                          ("L′", "right")], rows)
    return out


def leaderboard(res, lang: str = "en", most: int = 10) -> list:
    """The leaderboard as it was shown (by public loss, the first `most`), then the lesson in sentences."""
    L = res.loss.upper()
    shown = sorted(res.candidates, key=lambda c: c.public)[:most]
    sc = scale_of([c.public for c in shown] + [c.private for c in shown])
    pub, val = res.by_public, res.by_val
    rows = [[c.model + (" ◆" if c is pub else "") + (" ✓" if c is val else ""), num(c.val, sc), num(c.public, sc),
             num(c.private, sc), str(res.private_rank(c))] for c in shown]
    out = table(t("cli.lb.title", lang, source=res.source, target=res.target, n=len(res.candidates), loss=L,
                  **res.rows),
                [(t("cli.col.model", lang), "left"), (t("cli.lb.col.val", lang), "right"),
                 (t("cli.lb.col.public", lang), "right"), (t("cli.lb.col.private", lang), "right"),
                 (t("cli.lb.col.rank", lang), "right")], rows, caption=t("cli.lb.caption", lang, shown=len(shown)))
    return out + said(lesson(res, lang))
