"""viewcast's forecaster against every peer (benchmarks/peers.py's five and peers_ml.py's three), on the
protocol of both: fit on 2017-01-01…2020-12-31 (everything `forecast` does — validation, weighing,
calibration, refit — sees only those days), then forecast every day of 2021 one day ahead from the
real history up to the day before, no refit; MAE in views over 2021 (and over the book's 01-01…02-14).

For each seed: wins against the best of all eight peers (per series), the median of MAE ÷ that best,
the geometric mean over the 21 series of MAE ÷ seasonal-naive MAE, and — across seeds — how far each
series' 2021 MAE moves (max ÷ min − 1).

    python -m benchmarks.vs_peers --seeds 5 6 7                  # the default selector, three seeds
    python -m benchmarks.vs_peers --selector per-series --seeds 5 # each series alone (no siblings)
    python -m benchmarks.vs_peers --fold 2020 --seeds 0           # a design fold: fit ≤ 2019, score 2020
    python -m benchmarks.vs_peers --summary                       # the table from results/vs_peers.json

Folds 2019 and 2020 score the year after fitting on the years before it, for choosing a design without
looking at 2021; only the 2021 fold has the peers' numbers. Results: results/vs_peers.json, one entry per
(selector, fold, seed), written as each finishes.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from .peers import machine
from .peers_ml import all_peer_maes, best_of_all

RESULTS = Path(__file__).resolve().parent / "results" / "vs_peers.json"
SELECTORS = ("default", "quick", "per-series", "classic")


def selector(name: str):
    """A named selector, with `;key=value` changes after the name ("default;weight_power=0;seeds=2")."""
    from viewcast.forecasting import Selector

    base, *changes = name.split(";")
    sel = {"default": Selector.DEFAULT, "quick": Selector.QUICK, "per-series": Selector.DEFAULT.but(pooled=False),
           "classic": Selector.PER_SERIES}[base]
    kw = {}
    for c in changes:
        key, _, value = c.partition("=")
        kind = type(getattr(Selector.DEFAULT, key))
        kw[key] = tuple(value.split(",")) if kind is tuple else (value == "True") if kind is bool else kind(value)
    return sel.but(**kw)


def one_day_ahead(fc, full: pd.Series, first: str, last: str) -> pd.Series:
    """The refit blend's forecast of each day in first…last from the real days before it (no refit)."""
    from viewcast.forecasting.recursive import Group, one_step

    idx = np.flatnonzero((full.index >= first) & (full.index <= last))
    v = full.to_numpy(float)
    refits = fc.blend_refits or [fc.refit]
    weights = fc.blend_weights or [1.0]
    out = np.zeros(len(idx))
    for r, w in zip(refits, weights):
        X = np.stack([v[t - r.k:t] for t in idx])
        days = full.index[idx].values.astype("datetime64[D]")
        out += w * np.maximum(one_step(r.model, [Group(r.scaler, 0, len(X))], X, days, r.features.weekday), 0.0)
    return pd.Series(out, index=full.index[idx])


def run(sel_name: str, seed: int, fold: int, names: list[str]) -> dict:
    """One (selector, fold, seed): the forecaster fitted on the years before `fold`, scored on `fold`."""
    from viewcast.data import load_series
    from viewcast.data.series import DailySeries
    from viewcast.forecasting import forecast_many
    from viewcast.train import TrainConfig

    end = pd.Timestamp(f"{fold - 1}-12-31")
    full = {n: load_series(n).to_pandas() for n in names}
    cut = [DailySeries(n, full[n].loc[:end].to_numpy(float), full[n].index[0]) for n in names]
    t0 = time.perf_counter()
    fcs = forecast_many(cut, 1, selector(sel_name), TrainConfig(seed=seed))
    seconds = time.perf_counter() - t0
    out = {"selector": sel_name, "seed": seed, "fold": fold, "seconds": seconds, "series": {}}
    for n, fc in zip(names, fcs):
        y = full[n]
        pred = one_day_ahead(fc, y, f"{fold}-01-01", f"{fold}-12-31")
        err = (pred - y.loc[pred.index]).abs()
        snaive = (y - y.shift(7)).abs().loc[f"{fold}-01-01":f"{fold}-12-31"].mean()
        out["series"][n] = {"chosen": fc.label, "mae": float(err.mean()),
                            "mae_early": float(err.loc[f"{fold}-01-01":f"{fold}-02-14"].mean()),
                            "snaive": float(snaive)}
    return out


def summarize(r: dict) -> dict:
    """Wins against the best peer (2021 only), median ratio to it, geometric mean of MAE ÷ seasonal naive."""
    s = r["series"]
    gm = math.exp(statistics.fmean(math.log(x["mae"] / x["snaive"]) for x in s.values()))
    out = {"geo_mean_vs_snaive": gm, "series": len(s)}
    if r["fold"] == 2021:
        ratios = {n: x["mae"] / best_of_all(n)[1] for n, x in s.items()}
        out.update(wins=sum(v < 1 for v in ratios.values()), median_ratio=statistics.median(ratios.values()),
                   ratios=ratios)
    return out


def spread(runs: list[dict]) -> dict[str, float]:
    """Per series: max ÷ min − 1 of the MAE across the runs (seeds)."""
    names = runs[0]["series"]
    return {n: max(r["series"][n]["mae"] for r in runs) / min(r["series"][n]["mae"] for r in runs) - 1
            for n in names}


def load() -> dict:
    return json.loads(RESULTS.read_text()) if RESULTS.is_file() else {"runs": []}


def save(doc: dict) -> None:
    tmp = RESULTS.with_suffix(".tmp")
    tmp.write_text(json.dumps(doc, indent=1) + "\n")
    os.replace(tmp, RESULTS)


def table(doc: dict, sel_name: str, fold: int, seeds: list[int] | None = None) -> str:
    runs = [r for r in doc["runs"] if r["selector"] == sel_name and r["fold"] == fold
            and (seeds is None or r["seed"] in seeds)]
    if not runs:
        return f"no runs of {sel_name} on fold {fold}"
    lines = [f"{sel_name}, fold {fold} (fit ≤ {fold - 1}-12-31, one day ahead through {fold}):"]
    for r in runs:
        sm = summarize(r)
        more = (f"  wins {sm['wins']}/{sm['series']}  median ratio {sm['median_ratio']:.3f}" if fold == 2021 else "")
        lines.append(f"  seed {r['seed']}: geo-mean ÷ seasonal naive {sm['geo_mean_vs_snaive']:.4f}{more}"
                     f"  ({r['seconds']:.0f} s)")
    if len(runs) > 1:
        sp = spread(runs)
        worst = max(sp, key=sp.get)
        lines.append(f"  spread across seeds: largest {sp[worst]:.1%} ({worst}), over 5%: "
                     f"{sum(v > 0.05 for v in sp.values())}")
    if fold == 2021:
        lines.append(f"  {'series':44s} {'MAE':>10s} {'best peer':>10s} {'ratio':>6s}")
        for n in runs[0]["series"]:
            maes = [r["series"][n]["mae"] for r in runs]
            peer, best = best_of_all(n)
            lines.append(f"  {n[:44]:44s} {statistics.fmean(maes):10,.1f} {best:10,.1f} "
                         f"{max(maes) / best:6.3f}  {peer}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--selector", default="default", help=f"one of {', '.join(SELECTORS)}, with ';key=value' changes "
                                                          "to its settings, e.g. 'default;weight_power=0'")
    ap.add_argument("--seeds", type=int, nargs="+", default=[0])
    ap.add_argument("--fold", type=int, default=2021, choices=(2019, 2020, 2021))
    ap.add_argument("--series", nargs="+", metavar="NAME", help="built-in names (default: all 21)")
    ap.add_argument("--summary", action="store_true", help="print the table from the results file only")
    ap.add_argument("--threads", type=int, default=1, help="torch threads (default 1, as the peers)")
    a = ap.parse_args(argv)
    import torch
    from viewcast.data import builtin

    torch.set_num_threads(a.threads)
    names = a.series or builtin.names()
    doc = load()
    if not a.summary:
        for seed in a.seeds:
            r = run(a.selector, seed, a.fold, names)
            r["machine"], r["measured"] = machine(), time.strftime("%Y-%m-%dT%H:%M:%S")
            doc = load()
            doc["runs"] = [x for x in doc["runs"] if (x["selector"], x["fold"], x["seed"], sorted(x["series"]))
                           != (a.selector, a.fold, seed, sorted(names))] + [r]
            save(doc)
            print(f"seed {seed}: {summarize(r)['geo_mean_vs_snaive']:.4f} ({r['seconds']:.0f} s)", file=sys.stderr)
    print(table(doc, a.selector, a.fold, a.seeds if not a.summary else None))
    _ = all_peer_maes  # the peers' numbers come from their caches (peers.py, peers_ml.py)
    return 0


if __name__ == "__main__":
    sys.exit(main())
