"""AutoETS with statsforecast's conformal intervals on the origins of benchmarks/calibration.py
(issue 12): every week of 2021, refit on every day before the origin, forecast 7 days with 80% and
95% intervals. Runs in its own venv (statsforecast needs pandas<3) and needs no viewcast: it reads
the built-in series straight from autots's data file.

    /path/to/bench-venv/bin/python benchmarks/calibration_peers.py [--series wiki:Easter ...] [--windows 4]

Protocol per series: StatsForecast(models=[AutoETS(season_length=7)], freq='D').cross_validation(
df=<2017-01-01…2021-12-30>, h=7, step_size=7, n_windows=52, refit=R, level=[80, 95],
prediction_intervals=ConformalIntervals(h=7, n_windows=W)) — cutoffs 2020-12-31, 2021-01-07, …,
2021-12-23 (the day before each origin). ConformalIntervals calibrates on the last W windows of h days
before each fit (W=4 by default: 4 residuals per horizon; statsforecast's default is 2). Each fit
costs W + 1 AutoETS fits, so AutoETS is refit every R=4 origins (statsforecast's `refit=4`; between
refits it forecasts from the new data with the fitted model): 13 × 5 = 65 fits per series, where
weekly refits with W=8 would be 468 (one series took 70 minutes on this shared machine).
Results: benchmarks/results/calibration_peers.json (per series, per origin, per horizon).
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import time
from pathlib import Path

import pandas as pd

OUT = Path(__file__).resolve().parent / "results" / "calibration_peers.json"
FIRST, LAST = "2017-01-01", "2021-12-30"  # the last origin 2021-12-24 forecasts through 2021-12-30
ORIGINS, H = 52, 7
REFIT = 4  # refit AutoETS every 4 origins (see the protocol above)


def builtin() -> pd.DataFrame:
    spec = importlib.util.find_spec("autots")
    path = Path(list(spec.submodule_search_locations)[0]) / "datasets" / "data" / "holidays.zip"
    df = pd.read_csv(path)
    df.index = pd.DatetimeIndex(pd.to_datetime(df.pop("datetime")))
    return df[[c for c in df.columns if c.startswith("wiki_")]].astype("float64")


def autoets(y: pd.Series, windows: int) -> dict:
    from statsforecast import StatsForecast
    from statsforecast.models import AutoETS
    from statsforecast.utils import ConformalIntervals

    df = pd.DataFrame({"unique_id": "s", "ds": y.index, "y": y.to_numpy()})
    cv = StatsForecast(models=[AutoETS(season_length=7)], freq="D").cross_validation(
        df=df, h=H, step_size=7, n_windows=ORIGINS, refit=REFIT, level=[80, 95],
        prediction_intervals=ConformalIntervals(h=H, n_windows=windows))
    cv = cv.sort_values(["cutoff", "ds"])
    first = pd.Timestamp(cv["cutoff"].min())
    if first != pd.Timestamp("2020-12-31"):
        raise SystemExit(f"unexpected first cutoff {first:%Y-%m-%d}")
    out = {}
    for cutoff, g in cv.groupby("cutoff"):
        origin = (pd.Timestamp(cutoff) + pd.Timedelta(days=1)).strftime("%Y-%m-%d")
        out[origin] = {"actual": g["y"].tolist(), "forecast": g["AutoETS"].tolist(),
                       "lower80": g["AutoETS-lo-80"].tolist(), "upper80": g["AutoETS-hi-80"].tolist(),
                       "lower95": g["AutoETS-lo-95"].tolist(), "upper95": g["AutoETS-hi-95"].tolist()}
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--series", nargs="*")
    ap.add_argument("--windows", type=int, default=4)
    a = ap.parse_args()
    frame = builtin()
    names = a.series or ["wiki:" + c[len("wiki_"):] for c in frame.columns]
    doc = json.loads(OUT.read_text()) if OUT.exists() else {"series": {}}
    doc["protocol"] = {"origins": ORIGINS, "h": H, "conformal_windows": a.windows, "data": [FIRST, LAST],
                       "refit_every_origins": REFIT,
                       "statsforecast": __import__("statsforecast").__version__}
    for name in names:
        if name in doc["series"] and doc["series"][name].get("windows") == a.windows \
                and doc["series"][name].get("refit") == REFIT:
            continue
        y = frame["wiki_" + name[len("wiki:"):]].loc[FIRST:LAST]
        t0 = time.perf_counter()
        doc["series"][name] = {"windows": a.windows, "refit": REFIT, "origins": autoets(y, a.windows),
                               "seconds": time.perf_counter() - t0}
        OUT.write_text(json.dumps(doc))
        print(f"{name}: {doc['series'][name]['seconds']:.0f} s", flush=True)


if __name__ == "__main__":
    main()
