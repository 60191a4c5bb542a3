"""Do the forecast's intervals cover what they say? On all 21 built-in series × 52 weekly origins of 2021:
at each origin the forecaster sees the days up to it only (it is run afresh: validation, calibration and
refit), forecasts 7 days with 80% and 95% intervals, and the days that follow are checked against them.

    viewcast   viewcast.forecasting.forecast_many (the default Selector, one global model per origin)
    lgbm       mlforecast + one LightGBM over the 21 series (peers_ml's chosen setting and features),
               fit(prediction_intervals=PredictionIntervals(n_windows=10, h=7)) at each origin, then
               predict(h=7, level=[80, 95]): its conformal intervals (run it in the peers' venv)

    python -m benchmarks.calibration --contender viewcast              # ~1 min per origin on 2 cores
    /work/venv-peers/bin/python -m benchmarks.calibration --contender lgbm
    python -m benchmarks.calibration --summary                         # the table from the results

Coverage is the share of (series, origin) pairs whose actual day h falls inside the interval, per level
and horizon; width is the interval's width ÷ the actual views of that day (median over pairs), so
intervals of series of any size compare. Results: results/calibration_<contender>.json, written after every
origin (a stopped run resumes where it stopped).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

RESULTS = Path(__file__).resolve().parent / "results"  # calibration_<contender>.json, one file each (runs in parallel)
H = 7
LEVELS = (80, 95)
FIRST = "2021-01-03"  # the first origin (a Sunday: origins then fall on every weekday of the week ahead alike)
N_WINDOWS = 10  # LightGBM's conformal windows (bench_forecast's)


def origins(n: int = 52) -> list[pd.Timestamp]:
    """The last day each forecaster sees: weekly from FIRST."""
    return list(pd.date_range(FIRST, periods=n, freq="7D"))


def viewcast_at(names: list[str], origin: pd.Timestamp, seed: int) -> dict:
    """{series: {"forecast": [H], "lower80": […], …}} from viewcast fitted on the days up to `origin`."""
    from viewcast.data import load_series
    from viewcast.data.series import DailySeries
    from viewcast.forecasting import Selector, forecast_many
    from viewcast.train import TrainConfig

    cut = []
    for n in names:
        y = load_series(n).to_pandas().loc[:origin]
        cut.append(DailySeries(n, y.to_numpy(float), y.index[0]))
    fcs = forecast_many(cut, H, Selector.DEFAULT, TrainConfig(seed=seed))
    return {f.source: {"forecast": f.forecast.tolist(), **{f"{b}{lv}": getattr(f, b)[lv].tolist()
                                                           for b in ("lower", "upper") for lv in LEVELS}}
            for f in fcs}


def lgbm_at(names: list[str], origin: pd.Timestamp, seed: int) -> dict:
    """The same from mlforecast + LightGBM with conformal intervals (peers' venv)."""
    from mlforecast.utils import PredictionIntervals

    from .bench_forecast import full_history
    from .peers_ml import lgbm, load_settings, make_mlforecast

    df = full_history(names)
    df = df[df["ds"] <= origin]
    params = load_settings()["peers"]["lgbm_global"]["chosen"]
    mlf = make_mlforecast({"lgbm": lgbm(**params, random_state=seed)})
    mlf.fit(df, prediction_intervals=PredictionIntervals(n_windows=N_WINDOWS, h=H),
            models_fit_kwargs={"lgbm": {"categorical_feature": ["dayofweek"]}})
    out = mlf.predict(h=H, level=list(LEVELS))
    got = {}
    for n, g in out.groupby("unique_id", sort=False):
        g = g.sort_values("ds")
        got[n] = {"forecast": g["lgbm"].tolist(),
                  **{f"{b}{lv}": g[f"lgbm-{'lo' if b == 'lower' else 'hi'}-{lv}"].tolist()
                     for b in ("lower", "upper") for lv in LEVELS}}
    return got


CONTENDERS = {"viewcast": viewcast_at, "lgbm": lgbm_at}


def score(runs: dict[str, dict], names: list[str]) -> dict:
    """Coverage and median relative width per level × horizon (1 … H), over every (series, origin)."""
    from viewcast.data import load_series

    full = {n: load_series(n).to_pandas() for n in names}
    inside = {lv: [[] for _ in range(H)] for lv in LEVELS}
    width = {lv: [[] for _ in range(H)] for lv in LEVELS}
    for day, got in runs.items():
        o = pd.Timestamp(day)
        for n, f in got.items():
            actual = full[n].loc[o + pd.Timedelta(days=1):o + pd.Timedelta(days=H)].to_numpy(float)
            for lv in LEVELS:
                lo, hi = np.array(f[f"lower{lv}"]), np.array(f[f"upper{lv}"])
                for h in range(min(H, len(actual))):
                    inside[lv][h].append(lo[h] <= actual[h] <= hi[h])
                    width[lv][h].append((hi[h] - lo[h]) / max(actual[h], 1.0))
    return {str(lv): {"coverage": [float(np.mean(x)) for x in inside[lv]],
                      "median_width": [float(np.median(x)) for x in width[lv]],
                      "pairs": [len(x) for x in inside[lv]]} for lv in LEVELS}


def path(contender: str) -> Path:
    return RESULTS / f"calibration_{contender}.json"


def load(contender: str) -> dict:
    p = path(contender)
    return json.loads(p.read_text()) if p.is_file() else {"runs": {}}


def save(contender: str, doc: dict) -> None:
    tmp = path(contender).with_suffix(".tmp")
    tmp.write_text(json.dumps(doc, indent=1) + "\n")
    os.replace(tmp, path(contender))


def table() -> str:
    lines = [f"{'contender':10s} {'level':>5s} {'origins':>7s}  coverage h=1 / h=7 / all  median width h=1 / h=7"]
    for name in CONTENDERS:
        c = load(name)
        for lv, sc in c.get("score", {}).items():
            cov = sc["coverage"]
            lines.append(f"{name:10s} {lv + '%':>5s} {len(c['runs']):7d}  {cov[0]:.1%} / {cov[-1]:.1%} / "
                         f"{np.mean(cov):.1%}        {sc['median_width'][0]:.3f} / {sc['median_width'][-1]:.3f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--contender", choices=list(CONTENDERS))
    ap.add_argument("--origins", type=int, default=52)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--summary", action="store_true")
    a = ap.parse_args(argv)
    from viewcast.data import builtin

    from .peers import machine

    names = builtin.names()
    if not a.summary:
        if not a.contender:
            ap.error("--contender is required unless --summary")
        os.environ.setdefault("OMP_NUM_THREADS", "1")
        try:
            import torch

            torch.set_num_threads(1)
        except ImportError:
            pass
        c = load(a.contender)
        c["seed"] = a.seed
        for i, o in enumerate(origins(a.origins)):
            if f"{o:%Y-%m-%d}" in c["runs"]:
                continue
            t0 = time.perf_counter()
            c["runs"][f"{o:%Y-%m-%d}"] = CONTENDERS[a.contender](names, o, a.seed)
            c["score"] = score(c["runs"], names)
            c["machine"], c["seconds_last"] = machine(), time.perf_counter() - t0
            save(a.contender, c)
            print(f"[{i + 1}/{a.origins}] {o:%Y-%m-%d}: {c['seconds_last']:.0f} s", file=sys.stderr, flush=True)
    print(table())
    return 0


if __name__ == "__main__":
    sys.exit(main())
