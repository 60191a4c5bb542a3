"""The ladder of models (one shape for every rung, built by name from a spec) and exact optima."""
from .exact import exact_linear
from .nets import Ensemble, build, n_params
from .spec import GRAMMAR, KINDS, Spec, parse, parse_list

__all__ = ["exact_linear", "Ensemble", "build", "n_params", "GRAMMAR", "KINDS", "Spec", "parse", "parse_list"]
