"""How long a forecast with intervals takes: viewcast against the libraries a practitioner compares it with.

Each contender runs in its OWN subprocess (its own interpreter, so each library can live in its own
venv, and no contender warms another's caches), with one thread (OMP/OpenBLAS/MKL/numba = 1).
Imports and data loading happen before the clock starts; only the fit + forecast call is timed,
--repeat times in the same process. The first call pays any JIT compilation (numba in statsforecast),
so `worst_s` is the cold number and `median_s` the warm one; `times_s` keeps every call.

    mlforecast_lgbm_21  MLForecast, ONE LightGBM over all 21 built-in series (peers_ml's chosen
                        lgbm_global setting and features), full history to 2024-11-08,
                        fit(prediction_intervals=PredictionIntervals(n_windows=10, h=7)) then
                        predict(h=7, level=[80, 95]): conformal intervals
    autoets_1           statsforecast AutoETS(season_length=7) on wiki:Standard_deviation, full
                        history, StatsForecast.forecast(h=7, level=[80, 95])

    OMP_NUM_THREADS=1 /work/venv-peers/bin/python -m benchmarks.bench_forecast              # all, 3 repeats
    python -m benchmarks.bench_forecast --contenders autoets_1 --repeat 5 --peers-python /work/venv-peers/bin/python
    python -m benchmarks.bench_forecast --contender autoets_1 --repeat 3   # the child: one JSON line

A contender is a function that imports, loads its data and returns a zero-argument callable doing the
fit + forecast; add it to CONTENDERS with the venv it needs ("peers" or "viewcast"). Results go to
benchmarks/results/bench_forecast.json (merged per contender, each with its interpreter and versions).
"""
from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

from .memory import peak_rss_mb

ROOT = Path(__file__).resolve().parents[1]  # the child runs `python -m benchmarks.bench_forecast` here
RESULTS = ROOT / "benchmarks" / "results" / "bench_forecast.json"
H = 7  # a week ahead
LEVELS = [80, 95]
N_WINDOWS = 10  # conformal calibration windows of h days each: 10 errors per series and step
ONE_THREAD = {v: "1" for v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                               "NUMBA_NUM_THREADS", "VECLIB_MAXIMUM_THREADS")}
MARK = "BENCH_RESULT "  # the child's result line, so library chatter on stdout cannot be mistaken for it


# ---------------------------------------------------------------------------------------------
# contenders: each runs in the child; everything before `return run` is untimed


def full_history(names: list[str]):
    """(unique_id, ds, y) of the built-in series, all their days; refuses gaps or missing values."""
    import numpy as np
    import pandas as pd
    from viewcast.data import load_series

    frames = []
    for n in names:
        y = load_series(n).to_pandas()
        if not y.index.equals(pd.date_range(y.index[0], y.index[-1], freq="D")) or not np.isfinite(y.to_numpy()).all():
            raise ValueError(f"{n}: gaps or missing values")
        frames.append(pd.DataFrame({"unique_id": n, "ds": y.index, "y": y.to_numpy()}))
    return pd.concat(frames, ignore_index=True)


def mlforecast_lgbm_21() -> Callable[[], object]:
    """MLForecast + one LightGBM (peers_ml's lgbm_global setting) over the 21 built-in series, full
    history; fit with conformal PredictionIntervals(n_windows=10, h=7), predict(h=7, level=[80, 95])."""
    from mlforecast.utils import PredictionIntervals
    from viewcast.data import builtin

    from .peers_ml import lgbm, load_settings, make_mlforecast

    params = load_settings()["peers"]["lgbm_global"]["chosen"]  # chosen on the 2020 fold
    df = full_history(builtin.names())

    def run():
        mlf = make_mlforecast({"lgbm": lgbm(**params)})
        mlf.fit(df, prediction_intervals=PredictionIntervals(n_windows=N_WINDOWS, h=H),
                models_fit_kwargs={"lgbm": {"categorical_feature": ["dayofweek"]}})
        return mlf.predict(h=H, level=LEVELS)
    return run


def autoets_1() -> Callable[[], object]:
    """statsforecast AutoETS(season_length=7) on wiki:Standard_deviation, full history,
    StatsForecast.forecast(h=7, level=[80, 95])."""
    from statsforecast import StatsForecast
    from statsforecast.models import AutoETS

    df = full_history(["wiki:Standard_deviation"])

    def run():
        return StatsForecast(models=[AutoETS(season_length=7)], freq="D", n_jobs=1).forecast(df=df, h=H, level=LEVELS)
    return run


def _viewcast(names: list[str], quick: bool = False, series: list | None = None,
              ensemble: int | None = None) -> Callable[[], object]:
    """viewcast.forecast_many on these built-in series (the default Selector, or QUICK; `ensemble` refit
    networks per candidate if given), 7 days with its 80% and 95% intervals: what `viewcast forecast 'wiki:*'
    --days 7` (or one series) computes."""
    import torch
    from viewcast.data import load_series
    from viewcast.forecasting import Selector, forecast_many

    torch.set_num_threads(1)
    series = series or [load_series(n) for n in names]
    sel = (Selector.QUICK if quick else Selector.DEFAULT).but(ensemble=ensemble)

    def run():
        fcs = forecast_many(series, H, sel)
        return __import__("pandas").concat([f.to_frame().assign(series=f.source) for f in fcs])
    return run


def viewcast_21() -> Callable[[], object]:
    """viewcast's default forecast of all 21 built-in series, 7 days, 80%/95% intervals (one global model)."""
    from viewcast.data import builtin

    return _viewcast(builtin.names())


def viewcast_steady_21() -> Callable[[], object]:
    """`viewcast forecast 'wiki:*' --days 7 --ensemble 40`: forty refit networks per candidate, what the design
    folds say keeps each series' MAE within 5% across seeds (forecast_preregistered.md)."""
    from viewcast.data import builtin

    return _viewcast(builtin.names(), ensemble=40)


def viewcast_1() -> Callable[[], object]:
    """viewcast's default forecast of wiki:Standard_deviation alone, 7 days, 80%/95% intervals."""
    return _viewcast(["wiki:Standard_deviation"])


def viewcast_quick_1() -> Callable[[], object]:
    """`viewcast forecast --quick` of wiki:Standard_deviation alone, 7 days, 80%/95% intervals."""
    return _viewcast(["wiki:Standard_deviation"], quick=True)


def viewcast_2100() -> Callable[[], object]:
    """viewcast's default forecast of 2,100 series (bench_many's: the 21 built-in series over 100 date
    windows shifted by a week, 1,826 days each), 7 days, 80%/95% intervals, one global model."""
    from .bench_many import series_set

    return _viewcast([], series=series_set(2100))


CONTENDERS: dict[str, tuple[Callable[[], Callable[[], object]], str]] = {  # name → (setup, venv)
    "mlforecast_lgbm_21": (mlforecast_lgbm_21, "peers"),
    "viewcast_21": (viewcast_21, "viewcast"),
    "viewcast_steady_21": (viewcast_steady_21, "viewcast"),
    "autoets_1": (autoets_1, "peers"),
    "viewcast_1": (viewcast_1, "viewcast"),
    "viewcast_quick_1": (viewcast_quick_1, "viewcast"),
    "viewcast_2100": (viewcast_2100, "viewcast"),
}
VERSIONS = ("mlforecast", "lightgbm", "scikit-learn", "statsforecast", "numba", "numpy", "pandas", "viewcast", "torch")


# ---------------------------------------------------------------------------------------------
# the child: one contender, --repeat timed calls, one JSON line


def _summary(out) -> dict:
    """Enough of the forecast to see it is real: its shape, columns and first row."""
    try:
        first = {k: (v if isinstance(v, (int, float, str)) else str(v)) for k, v in out.iloc[0].to_dict().items()}
        return {"rows": int(len(out)), "columns": [str(c) for c in out.columns], "first": first}
    except AttributeError:  # a contender that returns something other than a DataFrame
        return {"repr": repr(out)[:500]}


def child(name: str, repeat: int) -> dict:
    run = CONTENDERS[name][0]()  # imports + data: not timed
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = run()
        times.append(time.perf_counter() - t0)

    def version(p):
        try:
            return importlib.metadata.version(p)
        except importlib.metadata.PackageNotFoundError:
            return None
    return {"times_s": [round(t, 4) for t in times], "median_s": round(statistics.median(times), 4),
            "worst_s": round(max(times), 4), "python": sys.executable,
            "peak_rss_mb": round(peak_rss_mb(), 1),
            "versions": {p: v for p in VERSIONS if (v := version(p))},
            "threads": {k: os.environ.get(k) for k in ONE_THREAD}, "output": _summary(out)}


# ---------------------------------------------------------------------------------------------
# the parent: one subprocess per contender


def run_contender(name: str, python: str, repeat: int, timeout: float) -> dict:
    env = os.environ | ONE_THREAD
    try:
        p = subprocess.run([python, "-m", "benchmarks.bench_forecast", "--contender", name, "--repeat", str(repeat)],
                           cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f}s", "python": python}
    except OSError as e:  # no such interpreter
        return {"error": f"cannot run {python}: {e.strerror}", "python": python}
    lines = [ln for ln in p.stdout.splitlines() if ln.startswith(MARK)]
    if p.returncode or not lines:
        tail = (p.stderr.strip().splitlines() or ["no output"])[-1]
        return {"error": f"exit {p.returncode}: {tail}"[:300], "python": python}
    return json.loads(lines[-1][len(MARK):])


def _default_viewcast_python() -> str:
    venv = ROOT / ".venv" / "bin" / "python"
    return os.environ.get("VIEWCAST_PYTHON") or (str(venv) if venv.exists() else sys.executable)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.bench_forecast", description=__doc__.split("\n\n")[0],
                                 epilog=__doc__.split("\n\n", 1)[1],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--contenders", nargs="+", choices=list(CONTENDERS), metavar="NAME",
                    help=f"which to run (default: all): {', '.join(CONTENDERS)}")
    ap.add_argument("--repeat", type=int, default=3, help="timed fit+forecast calls per contender (default 3)")
    ap.add_argument("--peers-python", default=os.environ.get("VIEWCAST_PEERS_PYTHON") or sys.executable,
                    metavar="PATH", help="interpreter for the peers' contenders (default: $VIEWCAST_PEERS_PYTHON "
                                         "or this one)")
    ap.add_argument("--viewcast-python", default=_default_viewcast_python(), metavar="PATH",
                    help="interpreter for viewcast's contenders (default: $VIEWCAST_PYTHON, else .venv/bin/python)")
    ap.add_argument("--timeout", type=float, default=600, help="seconds per contender before it is stopped")
    ap.add_argument("--no-save", action="store_true", help="print, do not write results/bench_forecast.json")
    ap.add_argument("--contender", choices=list(CONTENDERS), help=argparse.SUPPRESS)  # the child's mode
    args = ap.parse_args(argv)
    if args.repeat < 1:
        ap.error("--repeat must be at least 1")
    if args.contender:
        os.environ.update(ONE_THREAD)  # also when the child is run by hand; before any library loads OpenMP
        print(MARK + json.dumps(child(args.contender, args.repeat)), flush=True)
        return 0

    os.environ.update(ONE_THREAD)  # the children get it anyway; this makes machine() record it
    from .peers import machine, save_cache

    pythons = {"peers": args.peers_python, "viewcast": args.viewcast_python}
    doc = json.loads(RESULTS.read_text()) if RESULTS.is_file() else {}
    doc.setdefault("contenders", {})
    failed = False
    for name in args.contenders or CONTENDERS:
        setup, venv = CONTENDERS[name]
        print(f"{name}: {args.repeat} × fit+forecast in {pythons[venv]} …", file=sys.stderr, flush=True)
        r = run_contender(name, pythons[venv], args.repeat, args.timeout)
        r |= {"what": " ".join((setup.__doc__ or name).split()), "venv": venv, "repeat": args.repeat,
              "measured": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
        failed |= "error" in r
        doc["contenders"][name] = r
        print(f"  {name:22s} " + (r["error"] if "error" in r else
              f"median {r['median_s']:.2f}s  worst {r['worst_s']:.2f}s  ({', '.join(f'{t:.2f}' for t in r['times_s'])})"))
    doc |= {"machine": machine(), "protocol": {"h": H, "level": LEVELS, "conformal_n_windows": N_WINDOWS,
                                               "threads": 1, "timed": "fit + forecast only, after imports and data"}}
    if not args.no_save:
        save_cache(doc, RESULTS)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
