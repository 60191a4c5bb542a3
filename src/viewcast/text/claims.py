"""Summary sentences that say only what their numbers show.

A sentence is built from claims: comparisons between two numbers *as printed* (so "1.53 vs 1.53" can
never be called "better"), and its words are picked from the comparison's result, so it cannot say
"falls" beside two numbers that rise. Each Sentence (a str) carries its claims; `said` keeps only the
sentences whose claims hold and whose numbers it prints — a sentence that does not follow from its
numbers is not said — and the tests check every claim against the results it was made from.

>>> a, b = Num("L linear:1", "1,574"), Num("L linear:7", "681")
>>> compare(b, a)
'<'
>>> s = Sentence(f"L falls from {a} to {b}.", [Claim(b, "<", a)])
>>> s, s.problems()
('L falls from 1,574 to 681.', [])
>>> Sentence(f"L rises from {a} to {b}.", [Claim(b, ">", a)]).problems()
['L linear:7 681 > L linear:1 1,574 is false']
>>> said([s, Sentence("L is 5.", [Claim(b, "<", a)])])
['L falls from 1,574 to 681.']
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from .fmt import num
from .fmt import spread as fmt_spread

RELATIONS = ("<", ">", "<=", ">=", "≈")


@dataclass(frozen=True)
class Num:
    """A number as a sentence prints it, and what it is (tests look the label up in the result)."""

    label: str  # e.g. "L′ linear:56", "val relu:56x100", "ks_p"
    text: str  # exactly as printed: "1,574", "0.015", "0.003"
    shown: bool = True  # False for a rule's threshold the sentence need not print (α = 0.05)
    spread: float = 0.0  # how far it moves with nothing but the seed (its seeds' standard deviation): an order
    #                      between two numbers is claimed only beyond the sum of their spreads

    @property
    def value(self) -> float:
        try:
            return float(self.text.replace(",", "").replace("−", "-"))
        except ValueError:
            return math.nan

    def __str__(self) -> str:
        return self.text


def of(label: str, v: float, scale: float | None = None, spread: float | None = None) -> Num:
    """The Num for value v printed by the one formatter (`fmt.num`) at `scale` — or, given its spread (a
    mean over seeds), to that spread's digits (`fmt.spread`), as the table beside it prints it."""
    if spread is None:
        return Num(label, num(v, scale))
    return Num(label, fmt_spread(v, spread, scale)[0], spread=spread)


@dataclass(frozen=True)
class Claim:
    """`a rel b`, on the printed values; tol widens "≈" (|a − b| ≤ tol·|b|) and demands "<"/">" by
    more than tol·|b|, and by more than the two numbers' spreads: an order inside them is the seed's, not
    the models'.

    >>> a, b = Num("L′ x", "516"), Num("L′ y", "537")
    >>> Claim(a, "<", b).holds(), Claim(a, "<", Num("L′ y", "537", spread=25.0)).holds()
    (True, False)
    """

    a: Num
    rel: str
    b: Num
    tol: float = 0.0

    def holds(self) -> bool:
        x, y = self.a.value, self.b.value
        if not (math.isfinite(x) and math.isfinite(y)):
            return False
        t = self.tol * abs(y) + self.a.spread + self.b.spread
        return {"<": x < y - t, ">": x > y + t, "<=": x <= y + t, ">=": x >= y - t, "≈": abs(x - y) <= t}[self.rel]

    def __str__(self) -> str:
        tol = f" (tolerance {self.tol:g})" if self.tol else ""
        spread = self.a.spread + self.b.spread
        tol += f" (beyond their spread {spread:.4g})" if spread else ""
        return f"{self.a.label} {self.a.text} {self.rel} {self.b.label} {self.b.text}{tol}"


def compare(a: Num, b: Num, tol: float = 0.0) -> str:
    """'<', '>' or '≈' (within tol·|b|) — on the printed values, the same the reader sees."""
    for rel in ("<", ">"):
        if Claim(a, rel, b, tol).holds():
            return rel
    return "≈"


class Sentence(str):
    """A summary sentence (a plain str for every caller) with the claims it makes."""

    claims: tuple[Claim, ...]

    def __new__(cls, text: str, claims=()):
        s = super().__new__(cls, text)
        s.claims = tuple(claims)
        return s

    def __reduce__(self):  # copies and pickles keep the claims
        return (Sentence, (str(self), self.claims))

    def problems(self) -> list[str]:
        """What is wrong: a claim that is false, or a number it compares that the sentence does not print."""
        out = [f"{c} is false" for c in self.claims if not c.holds()]
        out += [f"{n.label} {n.text} is not printed" for c in self.claims for n in (c.a, c.b)
                if n.shown and n.text not in self]
        return out


def said(sentences) -> list:
    """The sentences that follow from their numbers (plain strings, which claim nothing, pass)."""
    return [s for s in sentences if not isinstance(s, Sentence) or not s.problems()]
