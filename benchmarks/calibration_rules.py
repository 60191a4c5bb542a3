"""Which residuals should calibrate the intervals? On design origins only (every 28 days of 2019 and of
2020, never 2021): at each origin the default forecaster is fitted on the days up to it (seed 0), its
backtest (the validation block's forecasts 1 … 7 days ahead from each of its 364 start days) is kept,
and the next 7 days are checked against the intervals each rule below makes from that same backtest.

    uniform    every residual of the block (the forecast's rule: split conformal per horizon)
    first182   the first half of the block only: forecasts of networks trained just before it
    last182    the second half only: the most recent days, from networks up to a year old
    weekday    only start days whose day h falls on the same weekday as the forecast's day h
    decay91    every residual, weighted 2^(−age / 91 days) (Barber et al. 2023, nonexchangeable conformal)
    wkscale    every residual ÷ the mean residual of its target's weekday (normalized conformal, Lei et al.
               2018), the quantile then times the forecast day's weekday's mean

    python -m benchmarks.calibration_rules            # ~1 min per origin, one thread; resumable
    python -m benchmarks.calibration_rules --summary

Backtests are cached in results/calibration_rules/ (not committed; large); the coverage per rule,
year and horizon goes to results/calibration_rules.json.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import pickle
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from .calibration import shard
from .peers import machine

RESULTS = Path(__file__).resolve().parent / "results"
CACHE = RESULTS / "calibration_rules"
H = 7
LEVELS = (0.8, 0.95)
ORIGINS = [*pd.date_range("2019-01-06", periods=13, freq="28D"), *pd.date_range("2020-01-05", periods=13, freq="28D")]


def conformal(s: np.ndarray, alpha: float, w: np.ndarray | None = None) -> float:
    """The forecast's split-conformal quantile of scores s (NaN ignored), or its weighted form (the test
    point's weight 1 at +∞, Barber et al. 2023)."""
    from viewcast.forecasting.conformal import conformal_quantile

    if w is None:
        return conformal_quantile(s, alpha)
    ok = np.isfinite(s)
    s, w = s[ok], w[ok]
    o = np.argsort(s)
    cum = np.cumsum(w[o]) / (w.sum() + 1.0)
    i = int(np.searchsorted(cum, 1 - alpha))
    return float(s[o][i]) if i < len(s) else math.inf


def quantiles(res: np.ndarray, rule: str, alpha: float) -> np.ndarray:
    """(H,) quantiles of |residual| res (P, H) by `rule`; start p's day h is (P − p) days before the forecast's."""
    P = len(res)
    age = P - np.arange(P)  # days from start p's day h to the forecast's day h
    out = []
    for h in range(H):
        s = res[:, h]
        if rule == "uniform":
            out.append(conformal(s, alpha))
        elif rule == "first182":
            out.append(conformal(s[:P // 2], alpha))
        elif rule == "last182":
            out.append(conformal(s[P // 2:], alpha))
        elif rule == "weekday":
            out.append(conformal(s[(np.arange(P) - P) % 7 == 0], alpha))
        elif rule == "decay91":
            out.append(conformal(s, alpha, 0.5 ** (age / 91)))
        elif rule == "wkscale":
            wk = (np.arange(P) - P) % 7  # 0: the forecast's day h's weekday
            scale = np.array([np.nanmean(s[wk == d]) for d in range(7)])
            out.append(conformal(s / scale[wk], alpha) * scale[0])
        else:
            raise ValueError(f"unknown rule {rule!r}: one of {', '.join(RULES)}")
    return np.array(out)


RULES = ("uniform", "first182", "last182", "weekday", "decay91", "wkscale")


def cache(sel_name: str) -> Path:
    """The backtests of one selector (the default's in CACHE itself)."""
    return CACHE if sel_name == "default" else CACHE / sel_name.replace(";", "_").replace("=", "-").replace(":", "-")


def fit_at(origin: pd.Timestamp, sel_name: str = "default") -> dict:
    """{series: backtest residuals (P, H) on the log scale, and the forecast's error (H,) on that scale}."""
    from viewcast.data import builtin, load_series
    from viewcast.data.series import DailySeries
    from viewcast.forecasting import forecast_many
    from viewcast.forecasting.conformal import residuals
    from viewcast.train import TrainConfig

    from .vs_peers import selector

    names = builtin.names()
    full = {n: load_series(n).to_pandas() for n in names}
    cut = [DailySeries(n, full[n].loc[:origin].to_numpy(float), full[n].index[0]) for n in names]
    fcs = forecast_many(cut, H, selector(sel_name), TrainConfig(seed=0))
    out = {}
    for n, fc in zip(names, fcs):
        truth = full[n].loc[origin + pd.Timedelta(days=1):origin + pd.Timedelta(days=H)].to_numpy(float)
        out[n] = {"res": np.abs(residuals(fc.backtest.actual, fc.backtest.pred, log=True)),
                  "err": np.abs(residuals(truth, np.asarray(fc.forecast)[:len(truth)], log=True))}
    return out


def score(sel_name: str = "default") -> dict:
    """Coverage per rule × year × level × horizon over the cached origins."""
    got: dict = {}
    for o in ORIGINS:
        f = cache(sel_name) / f"{o:%Y-%m-%d}.pkl"
        if not f.is_file():
            continue
        with open(f, "rb") as fh:
            runs = pickle.load(fh)
        for x in runs.values():
            for rule in RULES:
                for lv in LEVELS:
                    inside = x["err"] <= quantiles(x["res"], rule, 1 - lv)[:len(x["err"])]
                    for year in (str(o.year), "both"):
                        got.setdefault(rule, {}).setdefault(year, {}).setdefault(str(lv), []).append(inside)
    return {rule: {y: {lv: {"coverage": np.mean(v, 0).tolist(), "pairs": len(v)} for lv, v in ys.items()}
                   for y, ys in yrs.items()} for rule, yrs in got.items()}


def table(doc: dict) -> str:
    lines = [f"{'rule':9s} {'year':5s} level  coverage h=1 … 7"]
    for rule, yrs in doc.get("score", {}).items():
        for y, lvs in sorted(yrs.items()):
            for lv, c in lvs.items():
                lines.append(f"{rule:9s} {y:5s} {float(lv):5.0%}  " + " ".join(f"{x:.3f}" for x in c["coverage"])
                             + f"  (all {np.mean(c['coverage']):.3f}, {c['pairs']} pairs)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--summary", action="store_true")
    ap.add_argument("--selector", default="default", help="as vs_peers' --selector: the forecaster whose backtests")
    ap.add_argument("--shard", default="1/1", help="i/n: this process fits every n-th origin from the i-th")
    a = ap.parse_args(argv)
    path = RESULTS / ("calibration_rules.json" if a.selector == "default" else
                      f"calibration_rules.{cache(a.selector).name}.json")
    where = cache(a.selector)
    if not a.summary:
        import torch

        torch.set_num_threads(1)
        where.mkdir(parents=True, exist_ok=True)
        i0, n = shard(a.shard, ap)
        for i, o in enumerate(ORIGINS[i0 - 1::n]):
            f = where / f"{o:%Y-%m-%d}.pkl"
            if f.is_file():
                continue
            t0 = time.perf_counter()
            got = fit_at(o, a.selector)
            with open(f.with_suffix(".tmp"), "wb") as fh:
                pickle.dump(got, fh)
            os.replace(f.with_suffix(".tmp"), f)
            print(f"[{i + 1}/{len(ORIGINS[i0 - 1::n])}] {o:%Y-%m-%d}: {time.perf_counter() - t0:.0f} s", file=sys.stderr, flush=True)
        doc = {"selector": a.selector, "score": score(a.selector), "origins": len(list(where.glob("*.pkl"))), "machine": machine(),
               "measured": time.strftime("%Y-%m-%dT%H:%M:%S")}
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(doc, indent=1) + "\n")
        os.replace(tmp, path)
    print(table(json.loads(path.read_text()) if path.is_file() else {}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
