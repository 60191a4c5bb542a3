"""What a series' ladder shows, in three plain sentences — one per table — each built from claims on
the numbers it prints (`report/claims.py`): the words ("falls", "better", "lowest") are chosen by
comparing those numbers as printed, and a sentence whose claims do not hold is not said.

>>> from viewcast.book.ladder import Row
>>> rows = [Row("A", f"linear:{k}", k + 1, tr, te, None, None, None, "", 0.0)
...         for k, tr, te in ((1, 1574, 1084), (7, 681, 730), (28, 501, 568), (56, 478, 590))]
>>> story(rows)[0]
"More days help up to 28 days: the linear model's L falls from 1,574 (1 day) to 681 (7) and 501 (28); little more after 28 (56 days: 478); L′ is 1,084, 730, 568 and 590: lowest with 28 days."
"""
from __future__ import annotations

from .. import models
from ..report.claims import Claim, Num, Sentence, compare, of, said
from ..report.fmt import scale_of
from .ladder import Row

DAYS = (1, 7, 28, 56)
LITTLE = 0.05  # "little more": within 5% of the previous rung's loss


def story(rows: list[Row], scale: float | None = None) -> list[Sentence]:
    """Up to three sentences on what this series' ladder shows (whatever it shows), numbers formatted
    at `scale` like the table beside them (default: the smallest loss of the rows). Interrupted rows
    are left out: their numbers are not the model's. A sentence whose claims fail is not said."""
    return said(sentences(rows, scale))


def sentences(rows: list[Row], scale: float | None = None) -> list[Sentence]:
    """`story` before the check: every sentence made, with its claims (what the tests check)."""
    rows = [r for r in rows if not r.interrupted]
    if scale is None:
        scale = scale_of([r.train_mae for r in rows] + [r.test_mae for r in rows])
    by = {(r.table, r.model): r for r in rows}
    return [s for s in (_days(by, scale), _units(by, scale), _layers(by, scale)) if s is not None]


def _L(r: Row, sc) -> Num:
    return of(f"L {r.model}", r.train_mae, sc)


def _T(r: Row, sc) -> Num:
    return of(f"L′ {r.model}", r.test_mae, sc)


def _falls(xs: list[Num]) -> bool:
    return all(compare(b, a) == "<" for a, b in zip(xs, xs[1:]))


def _lowest(xs: list[Num]) -> int:
    return min(range(len(xs)), key=lambda i: xs[i].value)


def _listed(xs: list[Num]) -> str:
    return ", ".join(x.text for x in xs[:-1]) + f" and {xs[-1].text}"


def _span(xs: list[Num], what: str) -> tuple[str, Num, Num]:
    """'a–b' (or 'a'): the printed range of xs, and its lowest and highest as Nums."""
    lo, hi = min(xs, key=lambda x: x.value), max(xs, key=lambda x: x.value)
    names = "|".join(x.label.split(" ", 1)[1] for x in xs)
    lo, hi = Num(f"{what} min({names})", lo.text), Num(f"{what} max({names})", hi.text)
    return (lo.text if lo.text == hi.text else f"{lo.text}–{hi.text}"), lo, hi


def _days(by: dict, sc) -> Sentence | None:
    """Table A: does the linear model's L (training) and L′ (test) fall with more days of input?"""
    a = [by.get(("A", f"linear:{k}")) for k in DAYS]
    if not all(a):
        return None
    L, T = [_L(r, sc) for r in a], [_T(r, sc) for r in a]
    claims: list[Claim] = []
    if _falls(L):
        tail = compare(L[3], L[2], LITTLE)  # '<' (by more than 5%) or '≈'
        claims += [Claim(y, "<", x) for x, y in zip(L, L[1:])] + [Claim(L[3], tail, L[2], LITTLE)]
        ltext = (f"the linear model's L falls from {L[0]} (1 day) to {L[1]} (7) and {L[2]} (28); "
                 f"{'little more after 28' if tail == '≈' else 'and further with 56'} (56 days: {L[3]})")
    else:
        i = _lowest(L)
        claims += [Claim(L[i], "<=", x) for x in L]
        ltext = f"the linear model's L is {_listed(L)} with 1, 7, 28 and 56 days: lowest with {DAYS[i]}"
    j = _lowest(T)
    if _falls(T):
        claims += [Claim(y, "<", x) for x, y in zip(T, T[1:])]
        head, ttext = "More days help", f"L′ falls too: {_listed(T)}"
    else:
        claims += [Claim(T[j], "<=", x) for x in T]
        ttext = f"L′ is {_listed(T)}: lowest with {DAYS[j]} day{'s' * (j > 0)}"
        if j == 0:
            head = "More days do not help on the test days"
        else:
            claims.append(Claim(T[j], "<", T[0]))
            head = f"More days help up to {DAYS[j]} days" if j < 3 else "More days help, though not at every step"
    return Sentence(f"{head}: {ltext}; {ttext}.", claims)


def _units(by: dict, sc) -> Sentence | None:
    """Table B: do ReLU nets fit (L) and predict (L′) better than linear:56?"""
    lin = by.get(("B", "linear:56"))
    relus = [r for r in (by.get(("B", s)) for s in ("relu:56x10", "relu:56x100", "relu:56x1000")) if r]
    if not lin or not relus:
        return None
    claims: list[Claim] = []
    Ll, Tl = _L(lin, sc), _T(lin, sc)
    L, T = [_L(r, sc) for r in relus], [_T(r, sc) for r in relus]
    rng, lo, hi = _span(L, "L")
    if len(relus) > 1 and compare(hi, Ll) == "<":
        claims.append(Claim(hi, "<", Ll))
        first = f"All {len(relus)} ReLU nets fit the training days better than linear:56 (L {rng} vs {Ll})"
    else:
        i = _lowest(L)
        better = compare(L[i], Ll) == "<"
        claims.append(Claim(L[i], "<" if better else ">=", Ll))
        first = (f"{relus[i].model} fits the training days better than linear:56 (L {L[i]} vs {Ll})" if better else
                 f"No ReLU net fits the training days better than linear:56 (best L {L[i]} by {relus[i].model} vs {Ll})")
    rng, lo, hi = _span(T, "L′")
    if len(relus) > 1 and compare(hi, Tl) == "<":
        claims.append(Claim(hi, "<", Tl))
        second = f"all predict the test days better too (L′ {rng} vs {Tl})"
    else:
        j = _lowest(T)
        better = compare(T[j], Tl) == "<"
        claims.append(Claim(T[j], "<" if better else ">=", Tl))
        second = (f"{relus[j].model} predicts the test days better (L′ {T[j]} vs {Tl})" if better else
                  f"none predicts the test days better (best L′ {T[j]} by {relus[j].model} vs {Tl})")
    return Sentence(f"{first}; {second}.", claims)


def _layers(by: dict, sc) -> Sentence | None:
    """Table C: where is test L′ lowest as layers are added; overfitting and optimization issues."""
    c = [r for r in (by.get(("C", s)) for s in ("relu:56x100",) + tuple(f"relu:56x100x{n}" for n in (2, 3, 4, 5))) if r]
    if len(c) < 3:
        return None
    depth = {r.model: models.parse(r.model).layers for r in c}
    L, T = {r.model: _L(r, sc) for r in c}, {r.model: _T(r, sc) for r in c}
    low = min(T[r.model].value for r in c)
    best = [r for r in c if T[r.model].value == low]  # ties at the printed digits are all lowest
    others = [r for r in c if r not in best]
    d, Tb, Lb = depth[best[0].model], T[best[0].model], L[best[0].model]
    claims: list[Claim] = []
    ds = [depth[r.model] for r in best]
    at = ", ".join(map(str, ds[:-1])) + (f" and {ds[-1]}" if len(ds) > 1 else f"{ds[-1]}")
    s = f"Deeper nets: test L′ is lowest at {at} layer{'s' * (ds[-1] > 1 or len(ds) > 1)} ({Tb}"
    if others:
        rng, lo, _ = _span([T[r.model] for r in others], "L′")
        claims.append(Claim(Tb, "<", lo))
        s += f"; {rng} for the others"
    s += ")"
    deeper = [r for r in others if depth[r.model] > d]
    if deeper:
        rng, lo, _ = _span([T[r.model] for r in deeper], "L′")
        if compare(lo, Tb) == ">":  # every deeper net predicts worse
            claims.append(Claim(lo, ">", Tb))
            one = len(deeper) == 1
            s += f"; {deeper[0].model if one else 'deeper ones'} predict{'s' * one} worse (L′ {rng})"
            Lrng, Llo, Lhi = _span([L[r.model] for r in deeper], "L")
            if compare(Lhi, Lb) == "<":
                claims.append(Claim(Lhi, "<", Lb))
                s += f" though {'it fits' if one else 'they fit'} the training days better (L {Lrng} vs {Lb}): overfitting"
            elif compare(Lhi, Lb, LITTLE) != ">":
                claims.append(Claim(Lhi, "<=", Lb, LITTLE))
                s += f" though {'it fits' if one else 'they fit'} the training days as well (L {Lrng} vs {Lb}): overfitting"
            elif compare(Llo, Lb) == "<":
                r = min(deeper, key=lambda r: L[r.model].value)
                claims.append(Claim(L[r.model], "<", Lb))
                s += f", and {r.model} fits the training days better (L {L[r.model]} vs {Lb}): overfitting"
    for prev, r in zip(c, c[1:]):
        if compare(L[r.model], L[prev.model], LITTLE) == ">":
            claims.append(Claim(L[r.model], ">", L[prev.model], LITTLE))
            s += (f"; {r.model} fits the training days worse than {prev.model} (L {L[r.model]} vs {L[prev.model]}): "
                  "an optimization issue")
            break
    return Sentence(s + ".", claims)
