"""viewcast: forecast tomorrow's daily views the Apple book's way (chapters 1–2 of Hung-yi Lee's
Deep Learning Tutorial): a function with unknown parameters, a loss, gradient descent.

>>> import viewcast as vc
>>> s = vc.load_series("wiki:Standard_deviation")                       # doctest: +SKIP
>>> data = vc.prepare(s, 56, vc.choose_split(s))                        # doctest: +SKIP
>>> vc.fit("linear:56", data).test["mae"]                               # doctest: +SKIP
"""
__version__ = "0.1.0"

from .data import load_series  # noqa: E402
from .errors import DataError, SpecError, ViewcastError  # noqa: E402
from .series import DailySeries  # noqa: E402
from .windows import choose_split, make_windows, prepare  # noqa: E402
from .models import build, parse  # noqa: E402
from .train import TrainConfig, fit  # noqa: E402

__all__ = ["load_series", "DataError", "SpecError", "ViewcastError", "DailySeries", "choose_split",
           "make_windows", "prepare", "build", "parse", "TrainConfig", "fit", "__version__"]
