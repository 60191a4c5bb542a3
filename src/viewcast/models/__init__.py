"""The ladder of models (one shape for every rung, built by name from a spec) and exact optima."""
from .exact import exact_linear
from .nets import Ensemble, build, n_params
from .spec import GRAMMAR, KINDS, TABLE_GRAMMAR, Spec, for_table, parse, parse_list, table_list, table_name

__all__ = ["exact_linear", "Ensemble", "build", "n_params", "GRAMMAR", "KINDS", "TABLE_GRAMMAR", "Spec", "for_table", "parse",
           "parse_list", "table_list", "table_name"]
