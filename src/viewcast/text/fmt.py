"""The one number formatter: enough significant digits for the data's scale, thousands grouped.
A series of about 1.5 views a day reads 1.53, not 2; one of 7,600 reads 478, not 478.11.

>>> num(478.1106), num(1.5312), num(0.0347), num(12345.6), num(None), num(float("nan"))
('478', '1.5', '0.035', '12,346', '—', '—')
>>> num(3.0, scale=1.53), num(-0.004)
('3.00', '-0.0040')
>>> diff(1.531, 1.528), diff(478.1, 478.1 + 1e-9), diff(532.4, 503.1)
('0.0030', '-1e-09', '29')
>>> scale_of([1.53, 0.41, None, 0.0, float("nan")])
0.41
>>> pct(53.84), pct(0.002)
('+53.8%', '+0.0020%')
>>> coord(9.095e-13), coord(0.0), coord(-0.97), coord(1234.5678), coord(2.5e7)
('0', '0', '-0.97', '1,235', '25,000,000')
>>> spread(517.63, 44.5, scale=69.1), spread(508.47, 5.04, scale=69.1), spread(1573.94, 0.004, scale=69.1)
(('520', '40'), ('508', '5'), ('1,573.9', '0.0'))
"""
from __future__ import annotations

import math

MAX_DECIMALS = 6


def decimals(v: float, sig: int = 2) -> int:
    """Decimals that show `sig` significant digits of v (0 for |v| ≥ 10^(sig−1))."""
    a = abs(v)
    if a == 0 or not math.isfinite(a):
        return 0
    return min(MAX_DECIMALS, max(0, sig - 1 - math.floor(math.log10(a))))


def num(v, scale: float | None = None, sig: int = 2) -> str:
    """v with `sig` significant digits at least — and, given `scale` (the typical size of the column,
    e.g. the series' mean), as many decimals as three significant digits of that scale need."""
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return "—"
    d = decimals(v, sig)
    if scale is not None and math.isfinite(scale) and scale != 0:
        d = max(d, decimals(scale, 3))
    return f"{v:,.{d}f}"


def diff(a: float, b: float, sig: int = 2) -> str:
    """a − b with `sig` significant digits: never '0' for a ≠ b."""
    d = a - b
    if d == 0:
        return "0"
    if abs(d) < 0.5 * 10.0 ** -MAX_DECIMALS:  # would round to 0 at the most decimals num shows
        return f"{d:.{sig - 1}g}"
    return num(d, sig=sig)


def pct(v, digits: int = 1) -> str:
    """A signed percentage with `digits` decimals, more when needed for two significant digits."""
    return "—" if v is None or not math.isfinite(v) else f"{v:+.{max(digits, decimals(v))}f}%"


def scale_of(values) -> float | None:
    """The smallest non-zero |value|: a column formatted for it shows every value's digits."""
    vals = [abs(v) for v in values if v is not None and isinstance(v, (int, float)) and math.isfinite(v) and v != 0]
    return min(vals) if vals else None


def coord(v: float, scale: float = 1.0) -> str:
    """A point's coordinate as a title names it, "(w, b)": four significant digits, thousands grouped, and
    a float's rounding noise (|v| below 1e-9 of the scale: a start at 0 carried through standard units) as 0."""
    if not math.isfinite(v):
        return str(v)
    if abs(v) < 1e-9 * max(abs(scale), 1.0):
        return "0"
    return f"{v:,.0f}" if abs(v) >= 1e4 else f"{v:,.4g}"


def spread(mean: float, sd: float, scale: float | None = None) -> tuple[str, str]:
    """(mean, sd) as "mean ± sd" prints them: the sd to one significant digit and the mean to the same
    place — digits finer than how far the seed alone moves it are noise — but never finer than `scale`
    asks for (`num`)."""
    if not (math.isfinite(mean) and math.isfinite(sd)):
        return num(mean, scale), num(sd)
    d = decimals(scale, 3) if scale is not None and math.isfinite(scale) and scale != 0 else decimals(mean, 2)
    if sd > 0:
        d = min(d, -math.floor(math.log10(sd)))
    if d >= 0:
        return f"{mean:,.{d}f}", f"{sd:,.{d}f}"
    unit = 10.0 ** -d
    return f"{round(mean / unit) * unit:,.0f}", f"{round(sd / unit) * unit:,.0f}"
