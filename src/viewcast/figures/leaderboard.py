"""The leaderboard lesson as a picture: every candidate's public score against its private score (a
candidate on the dashed line scored the same on both halves; below it, it was lucky on the public half),
the public winner and validation's choice marked; beside it, the two choices' validation, public and
private losses as bars.

>>> from viewcast.evaluate.leaderboard import Entry, LeaderboardResult
>>> e = lambda m, v, pub, pri: Entry(m, "linear", None, 0, 10, 0.9, v, pub, pri)
>>> r = LeaderboardResult("t", "y", "mse", {"train": 8, "val": 2, "public": 5, "private": 5}, 0,
...                       [e("a", 1.10, 0.95, 1.30), e("b", 1.00, 1.05, 1.12)])
>>> c = leaderboard_chart(r)
>>> [len(p.traces) for p in c.panels], c.panels[1].traces[0].x
([4, 3], ['chosen by the public score', 'chosen by validation'])
"""
from __future__ import annotations

from ..text import i18n
from .chart import Chart, Panel, Trace
from .style import COLORS

PUBLIC, VALIDATION = "#d62728", "#1f77b4"  # the public winner (the book's red: a prediction), validation's choice


def t(key: str, lang: str | None, **kw) -> str:
    return i18n.t(f"fig.lb.{key}", lang, **kw)


def leaderboard_chart(res, lang: str | None = None) -> Chart:
    """`res`: an evaluate.leaderboard.LeaderboardResult."""
    L = res.loss.upper()
    pub, val = res.by_public, res.by_val
    xs = [c.public for c in res.candidates]
    ys = [c.private for c in res.candidates]
    lo, hi = min(xs + ys), max(xs + ys)
    scatter = Panel(t("scatter", lang), t("axis_public", lang, loss=L), t("axis_private", lang, loss=L), [
        Trace("line", [lo, hi], [lo, hi], t("same", lang), COLORS["reference"], "dash", 1.0),
        Trace("markers", xs, ys, t("candidates", lang), COLORS["reference"], size=6, alpha=0.6),
        Trace("markers", [pub.public], [pub.private], t("by_public", lang) + f": {pub.model}", PUBLIC, symbol="diamond",
              size=11),
        Trace("markers", [val.public], [val.private], t("by_val", lang) + f": {val.model}", VALIDATION, symbol="ring",
              size=13, width=2.5)])
    names = [t("by_public", lang), t("by_val", lang)]
    bars = Panel(t("bars", lang), "", L, [
        Trace("bar", names, [pub.val, val.val], t("val", lang), COLORS["val"]),
        Trace("bar", names, [pub.public, val.public], t("public", lang), COLORS["test"]),
        Trace("bar", names, [pub.private, val.private], t("private", lang), COLORS["prediction"])], categories=True)
    return Chart("leaderboard", t("title", lang, source=res.source, loss=L, n=len(res.candidates)), [scatter, bars],
                 cols=2, height=420)
