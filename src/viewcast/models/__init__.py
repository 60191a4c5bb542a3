"""The ladder of models (one shape for every rung, built by name from a spec) and exact optima.
Its names load on first use (`viewcast.lazy`): parsing a spec needs neither torch nor scipy."""
from ..lazy import attach

__getattr__, __dir__, __all__ = attach(__name__, {
    "exact_linear": ".exact", "Ensemble": ".nets", "build": ".nets", "n_params": ".nets",
    **{name: ".spec" for name in ("GRAMMAR", "KINDS", "TABLE_GRAMMAR", "Spec", "data_first", "for_table", "parse",
                                       "parse_list", "table_list", "table_name")},
})
