"""What a series' ladder shows, in three plain sentences — one per table — each built from claims on
the numbers it prints (`text/claims.py`): the words ("falls", "better", "lowest") are chosen by
comparing those numbers as printed, and a sentence whose claims do not hold is not said. With several
seeds per rung, each number is the seeds' mean and carries their spread: an order (lower, worse, an
optimization issue) is claimed only when the two means differ by more than their spreads together —
an order inside the spread is the seed's (and the CPU's float rounding), not the models'.

>>> from viewcast.book.ladder import Row
>>> rows = [Row("A", f"linear:{k}", k + 1, tr, te, None, None, None, "", 0.0)
...         for k, tr, te in ((1, 1574, 1084), (7, 681, 730), (28, 501, 568), (56, 478, 590))]
>>> story(rows)[0]
"More days help up to 28 days: the linear model's L falls from 1,574 (1 day) to 681 (7) and 501 (28); little more after 28 (56 days: 478); L′ is 1,084, 730, 568 and 590: lowest with 28 days."
"""
from __future__ import annotations

from .. import models
from ..text.claims import Claim, Num, Sentence, compare, of, said
from ..text.fmt import scale_of
from ..text.i18n import listed, t
from .ladder import Row

DAYS = (1, 7, 28, 56)
LITTLE = 0.05  # "little more": within 5% of the previous rung's loss


def story(rows: list[Row], scale: float | None = None, lang: str = "en") -> list[Sentence]:
    """Up to three sentences on what this series' ladder shows (whatever it shows), numbers formatted
    at `scale` like the table beside them (default: the smallest loss of the rows), in `lang` (the
    words differ, the claims do not). Interrupted rows are left out: their numbers are not the model's.
    A sentence whose claims fail is not said."""
    return said(sentences(rows, scale, lang))


def sentences(rows: list[Row], scale: float | None = None, lang: str = "en") -> list[Sentence]:
    """`story` before the check: every sentence made, with its claims (what the tests check)."""
    rows = [r for r in rows if not r.interrupted]
    if scale is None:
        scale = scale_of([v for r in rows for v in (r.L()[0], r.Lp()[0])])
    by = {(r.table, r.model): r for r in rows}
    return [s for s in (_days(by, scale, lang), _units(by, scale, lang), _layers(by, scale, lang)) if s is not None]


def _L(r: Row, sc) -> Num:
    v, spread = r.L()
    return of(f"L {r.model}", v, sc, spread if r.train_mae_mean is not None else None)


def _T(r: Row, sc) -> Num:
    v, spread = r.Lp()
    return of(f"L′ {r.model}", v, sc, spread if r.test_mae_mean is not None else None)


def _falls(xs: list[Num]) -> bool:
    return all(compare(b, a) == "<" for a, b in zip(xs, xs[1:]))


def _lowest(xs: list[Num]) -> int:
    return min(range(len(xs)), key=lambda i: xs[i].value)


def _span(xs: list[Num], what: str) -> tuple[str, Num, Num]:
    """'a–b' (or 'a'): the printed range of xs, and its lowest and highest as Nums."""
    lo, hi = min(xs, key=lambda x: x.value), max(xs, key=lambda x: x.value)
    names = "|".join(x.label.split(" ", 1)[1] for x in xs)
    lo, hi = Num(f"{what} min({names})", lo.text, spread=lo.spread), Num(f"{what} max({names})", hi.text, spread=hi.spread)
    return (lo.text if lo.text == hi.text else f"{lo.text}–{hi.text}"), lo, hi


def _days(by: dict, sc, lang: str) -> Sentence | None:
    """Table A: does the linear model's L (training) and L′ (test) fall with more days of input?"""
    a = [by.get(("A", f"linear:{k}")) for k in DAYS]
    if not all(a):
        return None
    L, T = [_L(r, sc) for r in a], [_T(r, sc) for r in a]
    claims: list[Claim] = []
    if _falls(L):
        tail = compare(L[3], L[2], LITTLE)  # '<' (by more than 5%) or '≈'
        claims += [Claim(y, "<", x) for x, y in zip(L, L[1:])] + [Claim(L[3], tail, L[2], LITTLE)]
        tail_text = t("cli.story.days.little_more" if tail == "≈" else "cli.story.days.further", lang)
        ltext = t("cli.story.days.L_falls", lang, L1=L[0], L7=L[1], L28=L[2], L56=L[3], tail=tail_text)
    else:
        i = _lowest(L)
        claims += [Claim(L[i], "<=", x) for x in L]
        ltext = t("cli.story.days.L_lowest", lang, list=listed(L, lang), k=DAYS[i])
    j = _lowest(T)
    if _falls(T):
        claims += [Claim(y, "<", x) for x, y in zip(T, T[1:])]
        head, ttext = t("cli.story.days.help", lang), t("cli.story.days.T_falls", lang, list=listed(T, lang))
    else:
        claims += [Claim(T[j], "<=", x) for x in T]
        ttext = t("cli.story.days.T_lowest" if j > 0 else "cli.story.days.T_lowest_1", lang, list=listed(T, lang),
                  k=DAYS[j])
        if j == 0:
            head = t("cli.story.days.no_help", lang)
        else:
            claims.append(Claim(T[j], "<", T[0]))
            head = (t("cli.story.days.help_up_to", lang, k=DAYS[j]) if j < 3 else
                    t("cli.story.days.help_not_every", lang))
    return Sentence(t("cli.story.days", lang, head=head, L=ltext, T=ttext), claims)


def _units(by: dict, sc, lang: str) -> Sentence | None:
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
        first = t("cli.story.units.all_fit", lang, n=len(relus), range=rng, linear=Ll)
    else:
        i = _lowest(L)
        better = compare(L[i], Ll) == "<"
        claims.append(Claim(L[i], "<" if better else ">=", Ll))
        first = t("cli.story.units.one_fits" if better else "cli.story.units.none_fits", lang, model=relus[i].model,
                  L=L[i], linear=Ll)
    rng, lo, hi = _span(T, "L′")
    if len(relus) > 1 and compare(hi, Tl) == "<":
        claims.append(Claim(hi, "<", Tl))
        second = t("cli.story.units.all_predict", lang, range=rng, linear=Tl)
    else:
        j = _lowest(T)
        better = compare(T[j], Tl) == "<"
        claims.append(Claim(T[j], "<" if better else ">=", Tl))
        second = t("cli.story.units.one_predicts" if better else "cli.story.units.none_predicts", lang,
                   model=relus[j].model, Lp=T[j], linear=Tl)
    return Sentence(t("cli.story.units", lang, first=first, second=second), claims)


def _layers(by: dict, sc, lang: str) -> Sentence | None:
    """Table C: where is test L′ lowest as layers are added; overfitting and optimization issues."""
    c = [r for r in (by.get(("C", s)) for s in ("relu:56x100",) + tuple(f"relu:56x100x{n}" for n in (2, 3, 4, 5))) if r]
    if len(c) < 3:
        return None
    depth = {r.model: models.parse(r.model).layers for r in c}
    L, T = {r.model: _L(r, sc) for r in c}, {r.model: _T(r, sc) for r in c}
    low = min(c, key=lambda r: T[r.model].value)
    best = [r for r in c if compare(T[r.model], T[low.model]) != ">"]  # not worse than the lowest beyond the spread
    others = [r for r in c if r not in best]
    d, Tb, Lb = max(depth[r.model] for r in best), T[low.model], L[low.model]
    claims: list[Claim] = [Claim(T[r.model], "≈", Tb) for r in best if r is not low]
    ds = [depth[r.model] for r in best]
    more = ""
    if others:
        rng, lo, _ = _span([T[r.model] for r in others], "L′")
        claims.append(Claim(Tb, "<", lo))
        more = t("cli.story.layers.others", lang, range=rng)
    key = "lowest_tied" if len(ds) > 1 and any(T[r.model].text != Tb.text for r in best) else (
        "lowest" if ds[-1] > 1 or len(ds) > 1 else "lowest_1")
    s = t(f"cli.story.layers.{key}", lang, at=listed(ds, lang),
          Lp=listed([T[r.model] for r in best], lang) if key == "lowest_tied" else Tb, others=more)
    deeper = [r for r in others if depth[r.model] > d]
    if deeper:
        rng, lo, _ = _span([T[r.model] for r in deeper], "L′")
        if compare(lo, Tb) == ">":  # every deeper net predicts worse
            claims.append(Claim(lo, ">", Tb))
            one = len(deeper) == 1
            s += t("cli.story.layers.worse_1" if one else "cli.story.layers.worse", lang, model=deeper[0].model,
                   range=rng)
            Lrng, Llo, Lhi = _span([L[r.model] for r in deeper], "L")
            n1 = "_1" if one else ""
            if compare(Lhi, Lb) == "<":
                claims.append(Claim(Lhi, "<", Lb))
                s += t("cli.story.layers.overfit_better" + n1, lang, range=Lrng, L=Lb)
            elif compare(Lhi, Lb, LITTLE) != ">":
                claims.append(Claim(Lhi, "<=", Lb, LITTLE))
                s += t("cli.story.layers.overfit_as_well" + n1, lang, range=Lrng, L=Lb)
            elif compare(Llo, Lb) == "<":
                r = min(deeper, key=lambda r: L[r.model].value)
                claims.append(Claim(L[r.model], "<", Lb))
                s += t("cli.story.layers.overfit_one", lang, model=r.model, L=L[r.model], Lb=Lb)
    for prev, r in zip(c, c[1:]):
        if compare(L[r.model], L[prev.model], LITTLE) == ">":
            claims.append(Claim(L[r.model], ">", L[prev.model], LITTLE))
            s += t("cli.story.layers.optimization", lang, model=r.model, prev=prev.model, L=L[r.model],
                   Lprev=L[prev.model])
            break
    return Sentence(t("cli.sentence", lang, text=s), claims)
