"""viewcast's version, at the bottom of the house: what `viewcast --version` prints and a saved model
records. One source: pyproject.toml's `version`, read from the installed distribution's metadata.

>>> from importlib.metadata import version
>>> __version__ == version("viewcast")
True
"""
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("viewcast")
except PackageNotFoundError:  # run from a source tree that was never installed (`pip install -e .` fixes it)
    __version__ = "0+unknown"
