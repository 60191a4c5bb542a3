"""viewcast: forecast tomorrow's daily views the Apple book's way (chapters 1–2 of Hung-yi Lee's
Deep Learning Tutorial): a function with unknown parameters, a loss, gradient descent.

>>> import numpy as np, pandas as pd, viewcast as vc
>>> s = vc.load_series(pd.Series(np.arange(300.0) % 7 + 10, index=pd.date_range("2021-01-01", periods=300)))
>>> r = vc.fit("linear:7", s, epochs=300)
>>> r.spec, r.train["mae"] < 0.1
('linear:7', True)

Each step of the book in a line: `vc.ladder(s)`, `vc.select(s, ["linear:28", "relu:56x100"])`,
`vc.cross_validate(s, "relu:56x100", "kfold:5")`, `vc.diagnose(s)`, `vc.error_surface(s)`,
`vc.forecast(s, days=7)`; `vc.many_series("cv", "wiki:*")` runs a command on many series at once. Results have `as_dict()` and `to_frame()` and show as tables in Jupyter.
"""

from .api import cross_validate, diagnose, error_surface, fit, forecast, ladder, load, many_series, save, select
from .data import DailySeries, load_series
from .errors import DataError, SpecError, ViewcastError
from .features import Features, choose_split, make_windows, prepare
from .forecasting import Selector
from .models import build, parse
from .train import TrainConfig
from .version import __version__

__all__ = ["load_series", "fit", "ladder", "cross_validate", "select", "diagnose", "error_surface", "forecast", "many_series",
           "save", "load", "TrainConfig", "Features", "DailySeries", "DataError", "SpecError", "ViewcastError",
           "Selector", "choose_split", "make_windows", "prepare", "build", "parse", "__version__"]
