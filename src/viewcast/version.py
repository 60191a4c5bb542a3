"""viewcast's version, at the bottom of the house: what `viewcast --version` prints and a saved model records."""
__version__ = "0.2.0"
