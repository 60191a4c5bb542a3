"""Chapter 2's checks: verdict rules, references, mismatch (numbers only). Its names load on first use
(`viewcast.lazy`)."""
from ..lazy import attach

__getattr__, __dir__, __all__ = attach(__name__, {"DiagnoseConfig": ".config", "Diagnosis": ".diagnose",
                                                  "diagnose": ".diagnose"})
