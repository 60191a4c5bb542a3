"""Do the forecast's intervals cover what they say? On all 21 built-in series × 52 weekly origins of 2021:
at each origin the forecaster sees the days up to it only (it is run afresh: validation, calibration and
refit), forecasts 7 days with 80% and 95% intervals, and the days that follow are checked against them.

    viewcast   viewcast.forecasting.forecast_many (the default Selector, one global model per origin)
    lgbm       mlforecast + one LightGBM over the 21 series (peers_ml's chosen setting and features),
               fit(prediction_intervals=PredictionIntervals(n_windows=10, h=7)) at each origin, then
               predict(h=7, level=[80, 95]): its conformal intervals (run it in the peers' venv)

    python -m benchmarks.calibration --contender viewcast              # ~1 min per origin, one thread
    python -m benchmarks.calibration --contender viewcast --shard 1/2 &   # two processes, one per core,
    python -m benchmarks.calibration --contender viewcast --shard 2/2     # sharing the results file
    /work/venv-peers/bin/python -m benchmarks.calibration --contender lgbm
    python -m benchmarks.calibration --summary                         # the table from the results

Coverage is the share of (series, origin) pairs whose actual day h falls inside the interval, per level
and horizon; width is the interval's width ÷ the actual views of that day (median over pairs), so
intervals of series of any size compare. Results: results/calibration_<contender>.json, written after every
origin (a stopped run resumes where it stopped).
"""
from __future__ import annotations

import argparse
import contextlib
import fcntl
import json
import math
import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

RESULTS = Path(__file__).resolve().parent / "results"  # calibration_<contender>.json, one file each (runs in parallel)
H = 7
LEVELS = (80, 95)
FIRST = "2021-01-03"  # the first origin, a Sunday (weekly origins are all Sundays; --stagger moves them)
N_WINDOWS = 10  # LightGBM's conformal windows (bench_forecast's)


def origins(n: int = 52, stagger: bool = False) -> list[pd.Timestamp]:
    """The last day each forecaster sees: weekly from FIRST (every origin a Sunday, so each horizon is one
    weekday), or staggered: week i's origin i mod 7 days later, so every weekday starts a forecast."""
    return [pd.Timestamp(FIRST) + pd.Timedelta(days=7 * i + (i % 7 if stagger else 0)) for i in range(n)]


def files() -> list[str]:
    """The results files' keys: each contender, and its staggered run where there is one."""
    return [*CONTENDERS, *(f"{c}.staggered" for c in CONTENDERS if path(f"{c}.staggered").is_file())]


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
    """Coverage and median relative width per level × horizon (1 … H), over every (series, origin), with
    a 95% interval for each coverage from a bootstrap over whole origins (BOOTSTRAP resamples: the 21
    series of one week share its news, so their misses are not independent draws; the weeks themselves
    are drawn independently, so a run of calm or stormy weeks makes it too narrow)."""
    from viewcast.data import load_series

    full = {n: load_series(n).to_pandas() for n in names}
    inside = {lv: [[] for _ in range(H)] for lv in LEVELS}  # per horizon: per origin, the series' 0/1
    width = {lv: [[] for _ in range(H)] for lv in LEVELS}
    for day, got in runs.items():
        o = pd.Timestamp(day)
        for lv in LEVELS:
            for h in range(H):
                inside[lv][h].append([])
        for n, f in got.items():
            actual = full[n].loc[o + pd.Timedelta(days=1):o + pd.Timedelta(days=H)].to_numpy(float)
            for lv in LEVELS:
                lo, hi = np.array(f[f"lower{lv}"]), np.array(f[f"upper{lv}"])
                for h in range(min(H, len(actual))):
                    inside[lv][h][-1].append(lo[h] <= actual[h] <= hi[h])
                    width[lv][h].append((hi[h] - lo[h]) / max(actual[h], 1.0))
    return {str(lv): {"coverage": [_share(x) for x in inside[lv]],
                      "coverage_95ci": [_origin_bootstrap(x) for x in inside[lv]],
                      "median_width": [float(np.median(x)) for x in width[lv]],
                      "pairs": [sum(map(len, x)) for x in inside[lv]]} for lv in LEVELS}


BOOTSTRAP = 2000


def _share(per_origin: list[list[bool]]) -> float:
    return float(np.mean([v for o in per_origin for v in o]))


def _origin_bootstrap(per_origin: list[list[bool]], seed: int = 0) -> list[float]:
    """2.5% and 97.5% points of the coverage when the origins are drawn again with replacement."""
    hits = np.array([sum(o) for o in per_origin], float)
    count = np.array([len(o) for o in per_origin], float)
    if count.sum() == 0:
        return [math.nan, math.nan]
    i = np.random.default_rng(seed).integers(0, len(hits), (BOOTSTRAP, len(hits)))
    cov = hits[i].sum(1) / np.maximum(count[i].sum(1), 1)
    return [float(x) for x in np.percentile(cov, [2.5, 97.5])]


def path(contender: str) -> Path:
    return RESULTS / f"calibration_{contender}.json"


def load(contender: str) -> dict:
    p = path(contender)
    return json.loads(p.read_text()) if p.is_file() else {"runs": {}}


def save(contender: str, doc: dict) -> None:
    tmp = path(contender).with_suffix(".tmp")
    tmp.write_text(json.dumps(doc, indent=1) + "\n")
    os.replace(tmp, path(contender))


@contextlib.contextmanager
def locked(contender: str):
    """Only one process at a time reads, changes and writes a results file (shards run side by side)."""
    RESULTS.mkdir(exist_ok=True)
    with open(path(contender).with_suffix(".lock"), "w") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def table() -> str:
    lines = [f"{'contender':{max(map(len, files()))}s} {'level':>5s} {'origins':>7s}  coverage h=1 / h=7 / all   95% interval h=1, h=7"
             f"     median width h=1 / h=7"]
    wide = max(map(len, files()))
    for name in files():
        c = load(name)
        for lv, sc in c.get("score", {}).items():
            cov, ci = sc["coverage"], sc.get("coverage_95ci") or [[math.nan] * 2] * H
            lines.append(f"{name:{wide}s} {lv + '%':>5s} {len(c['runs']):7d}  {cov[0]:.1%} / {cov[-1]:.1%} / "
                         f"{np.mean(cov):.1%}   {ci[0][0]:.1%}–{ci[0][1]:.1%}, {ci[-1][0]:.1%}–{ci[-1][1]:.1%}"
                         f"   {sc['median_width'][0]:.3f} / {sc['median_width'][-1]:.3f}")
    return "\n".join(lines)


def shard(text: str, ap: argparse.ArgumentParser) -> tuple[int, int]:
    """'i/n' → (i, n), 1 ≤ i ≤ n."""
    try:
        i, n = (int(x) for x in text.split("/"))
    except ValueError:
        ap.error(f"--shard {text}: give i/n, e.g. 1/2")
    if not 1 <= i <= n:
        ap.error(f"--shard {text}: i must be from 1 to n")
    return i, n


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--contender", choices=list(CONTENDERS))
    ap.add_argument("--origins", type=int, default=52)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--summary", action="store_true")
    ap.add_argument("--rescore", action="store_true", help="score the saved runs again (after a change to score)")
    ap.add_argument("--shard", default="1/1", help="i/n: this process runs every n-th origin from the i-th")
    ap.add_argument("--stagger", action="store_true", help="origins on every weekday (results in "
                                                              "calibration_<contender>.staggered.json)")
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
        i0, n = shard(a.shard, ap)
        key = a.contender + (".staggered" if a.stagger else "")
        if load(key).get("seed", a.seed) != a.seed:
            ap.error(f"{path(key)} holds seed {load(key)['seed']}: move it away to run seed {a.seed}")
        todo = origins(a.origins, a.stagger)[i0 - 1::n]
        for i, o in enumerate(todo):
            if f"{o:%Y-%m-%d}" in load(key)["runs"]:
                continue
            t0 = time.perf_counter()
            got = CONTENDERS[a.contender](names, o, a.seed)
            seconds = time.perf_counter() - t0
            with locked(key):
                c = load(key)
                if c.get("seed", a.seed) != a.seed:
                    raise SystemExit(f"{path(key)} holds seed {c['seed']}: move it away to run seed {a.seed}")
                c["seed"] = a.seed
                c["runs"][f"{o:%Y-%m-%d}"] = got
                c["score"] = score(c["runs"], names)
                c["machine"], c["seconds_last"] = machine(), seconds
                save(key, c)
            print(f"[{i + 1}/{len(todo)}] {o:%Y-%m-%d}: {seconds:.0f} s", file=sys.stderr, flush=True)
    if a.rescore:
        for name in files():
            with locked(name):
                c = load(name)
                if c["runs"]:
                    c["score"] = score(c["runs"], names)
                    save(name, c)
    print(table())
    return 0


if __name__ == "__main__":
    sys.exit(main())
