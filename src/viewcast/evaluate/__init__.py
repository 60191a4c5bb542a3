"""Losses and units, validation schemes, model selection, curves."""
