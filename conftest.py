"""Names every doctest may use: `vc`, `np`, `pd`, a small views-like series `s` (600 days, a weekly
cycle with Fri/Sat lows), and `tmp`, a fresh folder."""
import numpy as np
import pandas as pd
import pytest


@pytest.fixture(autouse=True)
def _doctest_names(doctest_namespace, tmp_path):
    import viewcast as vc

    t = np.arange(600)
    week = np.array([1.0, 1.05, 1.05, 1.0, 0.85, 0.55, 0.6])[t % 7]
    views = np.round(5000 * week * (1 + 0.1 * np.sin(t / 60)) + np.random.default_rng(0).normal(0, 150, 600))
    doctest_namespace.update(vc=vc, np=np, pd=pd, tmp=tmp_path,
                             s=vc.load_series(pd.Series(views, index=pd.date_range("2021-01-01", periods=600), name="demo")))
