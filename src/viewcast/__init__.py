"""viewcast: forecast tomorrow's daily views the Apple book's way (chapters 1–2 of Hung-yi Lee's
Deep Learning Tutorial): a function with unknown parameters, a loss, gradient descent.

>>> import numpy as np, pandas as pd, viewcast as vc
>>> s = vc.load_series(pd.Series(np.arange(300.0) % 7 + 10, index=pd.date_range("2021-01-01", periods=300)))
>>> r = vc.fit(s, "linear:7", epochs=300)
>>> r.spec, r.train["mae"] < 0.1
('linear:7', True)

Each step of the book in a line: `vc.ladder(s)`, `vc.select(s, ["linear:28", "relu:56x100"])`,
`vc.cross_validate(s, "relu:56x100", "kfold:5")`, `vc.diagnose(s)`, `vc.error_surface(s)`,
`vc.forecast(s, days=7)`; every step takes many series at once too (`vc.forecast("wiki:*", days=7)`). Results have `as_dict()` and `to_frame()` and show as tables in Jupyter.
A table (the course's homework) goes the same way with its target column: `vc.select("covid.train.csv",
target="tested_positive")`, `vc.leaderboard(...)`, `vc.submission("model.safetensors", "covid.test.csv")`.
"""

from .lazy import attach
from .version import __version__

# Each name loads its module on first use: `import viewcast` (and the CLI's --help) imports no torch.
__getattr__, __dir__, __all__ = attach(__name__, {
    **{name: ".api" for name in ("fit", "ladder", "cross_validate", "select", "diagnose", "error_surface", "forecast",
                                 "many_series", "save", "load", "leaderboard", "submission")},
    "DailySeries": ".data", "load_series": ".data", "Table": ".data.table", "load_table": ".data.table",
    "DataError": ".errors", "SpecError": ".errors", "ViewcastError": ".errors",
    **{name: ".features" for name in ("Features", "choose_split", "make_windows", "prepare")},
    "Selector": ".forecasting", "build": ".models", "parse": ".models", "TrainConfig": ".train",
})
__all__ += ["__version__"]
