"""What a series' ladder shows, in two or three plain sentences, each following from the numbers
printed beside it.
"""
from __future__ import annotations

from .. import models
from .ladder import Row


def story(rows: list[Row]) -> list[str]:
    """Two or three plain sentences on what this series' ladder shows (whatever it shows)."""
    by = {(r.table, r.model): r for r in rows}
    out = []
    a = [by.get(("A", f"linear:{k}")) for k in (1, 7, 28, 56)]
    if all(a):
        tr = [r.train_mae for r in a]
        gain_late = tr[2] - tr[3]
        out.append(
            "More days help: the linear model's L falls from {:,.0f} (1 day) to {:,.0f} (7) and {:,.0f} (28); "
            "{} (56 days: {:,.0f}).".format(tr[0], tr[1], tr[2], "little more after 28" if gain_late < 0.05 * tr[2] else "and further with 56", tr[3]))
    lin, relus = by.get(("B", "linear:56")), [by.get(("B", s)) for s in ("relu:56x10", "relu:56x100", "relu:56x1000")]
    relus = [r for r in relus if r]
    if lin and relus:
        best_tr = min(relus, key=lambda r: r.train_mae)
        best_te = min(relus, key=lambda r: r.test_mae)
        test_word = "and" if best_te.test_mae < lin.test_mae else "but not"
        out.append(
            f"ReLUs fit the training days better than linear:56 ({best_tr.model}: L {best_tr.train_mae:,.0f} vs {lin.train_mae:,.0f}), "
            f"{test_word} the test days (best L′ {best_te.test_mae:,.0f} by {best_te.model} vs {lin.test_mae:,.0f}).")
    c = [by.get(("C", s)) for s in ("relu:56x100",) + tuple(f"relu:56x100x{n}" for n in (2, 3, 4, 5))]
    c = [r for r in c if r]
    if len(c) >= 3:
        best = min(c, key=lambda r: r.test_mae)
        depth = lambda r: models.parse(r.model).layers  # noqa: E731
        worse_train = [r for i, r in enumerate(c[1:], 1) if r.train_mae > c[i - 1].train_mae * 1.05]
        s = f"Deeper nets: test L′ is lowest at {depth(best)} layer{'s' * (depth(best) > 1)} ({best.test_mae:,.0f})"
        deeper = [r for r in c if depth(r) > depth(best)]
        if deeper and min(r.train_mae for r in deeper) < best.train_mae:
            s += "; deeper ones fit the training days better yet predict worse: overfitting"
        if worse_train:
            r = worse_train[0]
            s += f"; {r.model} trains worse than the shallower net ({r.train_mae:,.0f}): an optimization issue"
        out.append(s + ".")
    return out
