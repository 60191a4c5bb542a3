"""Chapter 2's checks: verdict rules, references, mismatch (numbers only)."""
from .diagnose import DiagnoseConfig, Diagnosis, diagnose

__all__ = ["DiagnoseConfig", "Diagnosis", "diagnose"]
