"""What the leaderboard lesson says (chapter 2.4), in sentences built from claims on the numbers they print
(`text.claims`): the words — "worse", "better", "no worse" — are picked by comparing the numbers as
printed, and a sentence whose claims fail is not said. In English or Chinese; the claims are the same.

>>> from viewcast.evaluate.leaderboard import Entry, LeaderboardResult
>>> e = lambda m, v, pub, pri: Entry(m, "linear", None, 0, 10, 0.9, v, pub, pri)
>>> r = LeaderboardResult("t", "y", "mse", {"train": 8, "val": 2, "public": 5, "private": 5}, 0,
...                       [e("a", 1.10, 0.95, 1.30), e("b", 1.00, 1.05, 1.12)])
>>> print(lesson(r)[0])
Chosen by the public score: a — public MSE 0.950, private MSE 1.300: worse on the half that counts than the leaderboard showed; among 2 candidates, the public half picked the one that was luckiest on it.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..text.claims import Claim, Num, Sentence, compare, of, said
from ..text.fmt import scale_of
from ..text.i18n import t

if TYPE_CHECKING:
    from ..evaluate.leaderboard import LeaderboardResult


def lesson(res: LeaderboardResult, lang: str = "en") -> list[Sentence]:
    """The sentences that follow from the numbers (see `sentences`)."""
    return said(sentences(res, lang))


def sentences(res: LeaderboardResult, lang: str = "en") -> list[Sentence]:
    """Every sentence made, with its claims (what the tests check): the public winner's public and private
    losses, validation's choice beside it, where the public winner ranks in private, and the moral."""
    pub, val = res.by_public, res.by_val
    sc = scale_of([pub.public, pub.private, val.val, val.private])
    L = res.loss.upper()
    a, b = of(f"public {pub.model}", pub.public, sc), of(f"private {pub.model}", pub.private, sc)
    worse = compare(b, a) == ">"
    out = [Sentence(t("lb.public." + ("worse" if worse else "not_worse"), lang, model=pub.model, pub=a, priv=b, loss=L,
                      n=len(res.candidates)), [Claim(b, ">" if worse else "<=", a)])]
    if val is pub:
        out.append(Sentence(t("lb.val.same", lang, model=val.model), []))
    else:
        v, vp = of(f"val {val.model}", val.val, sc), of(f"private {val.model}", val.private, sc)
        better = compare(vp, b) == "<"
        out.append(Sentence(t("lb.val." + ("better" if better else "not_better"), lang, model=val.model, val=v, priv=vp,
                              ppriv=b, loss=L), [Claim(vp, "<" if better else ">=", b)]))
    rank, n = res.private_rank(pub), len(res.candidates)
    r, one = Num("private rank of the public winner", str(rank)), Num("first", "1", False)
    out.append(Sentence(t("lb.rank", lang, rank=r, n=n), [Claim(r, ">=", one)]))
    out.append(Sentence(t("lb.moral", lang), []))
    return out
