"""Model specs: the ladder's names, parsed into a small frozen value.

    linear:K            y = b + Σⱼ wⱼ xⱼ
    hardsigmoid:KxH     y = b + Σᵢ cᵢ clamp(bᵢ + Σⱼ wᵢⱼ xⱼ, 0, 1)   (a piecewise-linear curve)
    sigmoid:KxH         y = b + Σᵢ cᵢ σ(bᵢ + Σⱼ wᵢⱼ xⱼ)
    relu:KxH            y = b + Σᵢ cᵢ max(0, bᵢ + Σⱼ wᵢⱼ xⱼ)
    relu:KxHxL          L hidden layers of H ReLUs (also sigmoid:KxHxL, hardsigmoid:KxHxL)

>>> parse("relu:56x100x3")
Spec(kind='relu', k=56, hidden=100, layers=3)
>>> str(parse("RELU:56x100x1")), [str(s) for s in parse_list("linear:28, relu:56x100")]
('relu:56x100', ['linear:28', 'relu:56x100'])

A table's models read every feature it offers, so their specs give no input width (TABLE_GRAMMAR):
`linear`, `relu:H[xL]`, `sigmoid:H[xL]`, `hardsigmoid:H[xL]`; `for_table` sets K to the features read.

>>> for_table("relu:64x2", 20), table_name(for_table("relu:64x2", 20)), table_name(for_table("linear", 7))
(Spec(kind='relu', k=20, hidden=64, layers=2), 'relu:64x2', 'linear')
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import SpecError

GRAMMAR = "linear:K | hardsigmoid:KxH[xL] | sigmoid:KxH[xL] | relu:KxH[xL]  (e.g. linear:56, relu:56x100x3)"
TABLE_GRAMMAR = "linear | relu:H[xL] | sigmoid:H[xL] | hardsigmoid:H[xL]  (e.g. linear, relu:64x2: 2 layers of 64)"
KINDS = ("linear", "hardsigmoid", "sigmoid", "relu")
_SPEC = re.compile(r"^(?P<kind>[a-z]+):(?P<k>\d+)(?:x(?P<h>\d+))?(?:x(?P<l>\d+))?$")


@dataclass(frozen=True)
class Spec:
    kind: str  # one of KINDS
    k: int  # days of input
    hidden: int = 0  # H: units per hidden layer (0 for linear)
    layers: int = 0  # L: hidden layers (0 for linear)

    def __str__(self) -> str:
        if self.kind == "linear":
            return f"linear:{self.k}"
        return f"{self.kind}:{self.k}x{self.hidden}" + (f"x{self.layers}" if self.layers != 1 else "")

    def params(self, extra_inputs: int = 0) -> int:
        """The network's weights and biases (what `nets.n_params(nets.build(spec))` counts, without building it).

        >>> parse("linear:56").params(), parse("relu:56x100").params(), parse("relu:56x100x2").params(extra_inputs=7)
        (57, 5801, 16601)
        """
        n = self.k + extra_inputs
        if self.kind == "linear":
            return n + 1
        return (n + 1) * self.hidden + (self.layers - 1) * (self.hidden + 1) * self.hidden + self.hidden + 1


def parse(spec: str) -> Spec:
    """'relu:56x100x3' → Spec('relu', 56, 100, 3). A bad spec raises SpecError showing the grammar."""
    m = _SPEC.match(spec.strip().lower())
    if not m or m["kind"] not in KINDS:
        raise SpecError(f"model spec {spec!r} not understood; grammar: {GRAMMAR}")
    kind, k = m["kind"], int(m["k"])
    h, layers = m["h"], m["l"]
    if kind == "linear":
        if h is not None:
            raise SpecError(f"model spec {spec!r}: linear takes only K (days); grammar: {GRAMMAR}")
        s = Spec(kind, k)
    else:
        if h is None:
            raise SpecError(f"model spec {spec!r}: {kind} needs KxH (days × units); grammar: {GRAMMAR}")
        s = Spec(kind, k, int(h), int(layers) if layers else 1)
        if s.hidden < 1 or s.layers < 1:
            raise SpecError(f"model spec {spec!r}: H and L must be at least 1; grammar: {GRAMMAR}")
    if s.k < 1:
        raise SpecError(f"model spec {spec!r}: K (days of input) must be at least 1; grammar: {GRAMMAR}")
    if s.hidden * max(s.k, s.hidden) * max(s.layers, 1) > 50_000_000:
        raise SpecError(f"model spec {spec!r}: too large for this tool (over 50M weights)")
    return s


def parse_list(specs: str) -> list[Spec]:
    """'linear:28,relu:56x100' → [Spec, Spec]."""
    out = [parse(s) for s in specs.split(",") if s.strip()]
    if not out:
        raise SpecError(f"no model specs given; grammar: {GRAMMAR}")
    return out


_TABLE = re.compile(r"^(?P<kind>[a-z]+)(?::(?P<h>\d+)(?:x(?P<l>\d+))?)?$")


def for_table(spec: str, inputs: int) -> Spec:
    """A table's spec ('linear', 'relu:64x2') with K = `inputs`, the number of features it reads."""
    m = _TABLE.match(spec.strip().lower())
    if not m or m["kind"] not in KINDS:
        raise SpecError(f"model spec {spec!r} not understood for a table; grammar: {TABLE_GRAMMAR}")
    if m["kind"] == "linear":
        if m["h"] is not None:
            raise SpecError(f"model spec {spec!r}: a table's linear model reads every feature: write linear; "
                            f"grammar: {TABLE_GRAMMAR}")
        return Spec("linear", inputs)
    if m["h"] is None:
        raise SpecError(f"model spec {spec!r}: {m['kind']} needs H (units), e.g. {m['kind']}:64; grammar: {TABLE_GRAMMAR}")
    return parse(f"{m['kind']}:{inputs}x{m['h']}" + (f"x{m['l']}" if m["l"] else ""))


def table_name(s: Spec) -> str:
    """How a table's spec is written: without K (the features read)."""
    if s.kind == "linear":
        return "linear"
    return f"{s.kind}:{s.hidden}" + (f"x{s.layers}" if s.layers != 1 else "")


def table_list(specs: str) -> list[str]:
    """'linear, relu:64' → ['linear', 'relu:64'], each checked (with any K)."""
    out = [table_name(for_table(x, 1)) for x in specs.split(",") if x.strip()]
    if not out:
        raise SpecError(f"no model specs given; grammar: {TABLE_GRAMMAR}")
    return out


SPEC = re.compile(r"\s*(linear|relu|sigmoid|hardsigmoid)(:[\dx]+)?\s*", re.I)  # a model, never a series' name or path


def data_first(data, model):
    """(data, model) of `vc.fit`: `fit(model, data)`, the order before every function took the data first,
    still works, with a warning.

    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as said:
    ...     warnings.simplefilter("always")
    ...     data_first("relu:7x8", "wiki:Jesus"), data_first("wiki:Jesus", "relu:7x8"), len(said)
    (('wiki:Jesus', 'relu:7x8'), ('wiki:Jesus', 'relu:7x8'), 1)
    """
    import warnings

    if isinstance(data, str) and SPEC.fullmatch(data) and not (isinstance(model, str) and SPEC.fullmatch(model)):
        warnings.warn("vc.fit(model, data) is vc.fit(data, model) now: the data comes first in every function",
                      DeprecationWarning, stacklevel=3)
        return model, data
    return data, model
