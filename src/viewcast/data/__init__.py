"""Bytes → a validated daily series, no torch: CSV sniffing, the built-in series, pandas objects."""
from .builtin import DEFAULT
from .series import DailySeries
from .source import load_series

__all__ = ["DEFAULT", "DailySeries", "load_series"]
