"""How far does a series' yearly MAE move with the seed, and how many refit networks would hold it
within 5%? On a design fold only (fit ≤ fold − 1, one day ahead through the fold, never 2021).

One forecast is trained with a large pool of refit networks per candidate (`--pool`, seed 0). Every
network of a pool is a function of its own seed alone (its initial weights and its row order), so
disjoint groups of m networks stand for the refits of different seeds: for each series, three
disjoint groups of m are averaged as the refit averages its ensemble, blended with the forecast's
weights, and the spread max ÷ min − 1 of their three MAEs is taken — what `vs_peers` measures across
three seeds, less the (small) movement of the blend weights. Repeated over `--draws` shuffles: the
mean and 90th percentile of that spread, for each m with 3m ≤ pool.

    python -m benchmarks.seed_spread --fold 2020 --pool 24 --time 12               # ~4 min, one thread
    python -m benchmarks.seed_spread --fold 2020 --pool 30 --selector 'default;models=relu:28x48x2,relu:56x48x2'
    python -m benchmarks.seed_spread --summary

Results: results/seed_spread.json, one entry per (selector, fold, pool).
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

from .peers import machine
from .vs_peers import selector

RESULTS = Path(__file__).resolve().parent / "results" / "seed_spread.json"
SHOWN = 4  # series per m in the table: the largest spreads


def member_predictions(sel_name: str, fold: int, pool: int) -> dict:
    """{series: (actual (D,), [(weight, z (pool, D), windows, scaler)] per candidate)} on the fold's days:
    each refit network's output z before it becomes views, so that a group's average is the refit's."""
    import torch

    from viewcast.data import builtin, load_series
    from viewcast.data.series import DailySeries
    from viewcast.forecasting import forecast_many
    from viewcast.forecasting.recursive import Group, network_inputs
    from viewcast.train import TrainConfig

    names = builtin.names()
    end = pd.Timestamp(f"{fold - 1}-12-31")
    full = {n: load_series(n).to_pandas() for n in names}
    cut = [DailySeries(n, full[n].loc[:end].to_numpy(float), full[n].index[0]) for n in names]
    fcs = forecast_many(cut, 1, selector(sel_name).but(ensemble=pool), TrainConfig(seed=0))
    out = {}
    for n, fc in zip(names, fcs):
        y = full[n]
        v = y.to_numpy(float)
        idx = np.flatnonzero((y.index >= f"{fold}-01-01") & (y.index <= f"{fold}-12-31"))
        cands = []
        for r, w in zip(fc.blend_refits or [fc.refit], fc.blend_weights or [1.0]):
            X = np.stack([v[t - r.k:t] for t in idx])
            Z = torch.from_numpy(network_inputs([Group(r.scaler, 0, len(X))], X,
                                                y.index[idx].values.astype("datetime64[D]"), r.features.weekday))
            with torch.no_grad():
                z = np.stack([m.eval()(Z).reshape(-1).double().numpy() for m in r.model.members])
            cands.append((w, z, X, r.scaler))
        out[n] = (v[idx], cands)
    return out


def blend(cands: list, pick: np.ndarray) -> np.ndarray:
    """The forecast (D,) in views of the refits made of networks `pick` of each candidate's pool."""
    return sum(w * np.maximum(sc.views(z[pick].mean(0), X), 0) for w, z, X, sc in cands)


def spreads(pred: dict, m: int, draws: int, seed: int = 0) -> dict[str, dict]:
    """Per series: mean and 90th percentile over `draws` shuffles of the spread of three disjoint m-groups."""
    rng = np.random.default_rng(seed)
    pool = next(iter(pred.values()))[1][0][1].shape[0]
    groups = [rng.permutation(pool)[:3 * m].reshape(3, m) for _ in range(draws)]
    out = {}
    for n, (actual, cands) in pred.items():
        got = []
        for g in groups:
            maes = [np.mean(np.abs(blend(cands, pick) - actual)) for pick in g]
            got.append(max(maes) / min(maes) - 1)
        out[n] = {"mean": float(np.mean(got)), "p90": float(np.percentile(got, 90))}
    return out


def spike_share(pred: dict, name: str, m: int = 6, days: int = 10, draws: int = 30, seed: int = 0) -> float:
    """How much of the variance of `name`'s MAE across m-network refits goes when its `days` most variable
    days are held at their mean error: 1 − var(MAE without their movement) ÷ var(MAE)."""
    rng = np.random.default_rng(seed)
    actual, cands = pred[name]
    pool = cands[0][1].shape[0]
    err = np.array([np.abs(blend(cands, rng.permutation(pool)[:m]) - actual) for _ in range(draws)])  # (draws, D)
    dev = err - err.mean(0)
    top = np.argsort(-err.std(0))[:days]
    total = dev.mean(1).var()
    rest = dev.copy()
    rest[:, top] = 0.0
    return float(1 - rest.mean(1).var() / total) if total > 0 else 0.0


def seconds_21(sel_name: str, sizes: tuple[int, ...]) -> dict[str, float]:
    """Wall time of the 21 series' 7-day forecast with each number of refit networks, one after the other."""
    from viewcast.data import builtin, load_series
    from viewcast.forecasting import forecast_many
    from viewcast.train import TrainConfig

    series = [load_series(n) for n in builtin.names()]
    out = {}
    for m in sizes:
        t0 = time.perf_counter()
        forecast_many(series, 7, selector(sel_name).but(ensemble=m), TrainConfig(seed=0))
        out[str(m)] = time.perf_counter() - t0
    return out


def load() -> dict:
    return json.loads(RESULTS.read_text()) if RESULTS.is_file() else {"runs": []}


def table(doc: dict) -> str:
    lines = []
    for r in doc["runs"]:
        lines.append(f"{r['selector']}, fold {r['fold']}, pool of {r['pool']} per candidate ({r['seconds']:.0f} s):")
        for m, per in r["spread"].items():
            top = sorted(per.items(), key=lambda t: -t[1]["mean"])[:SHOWN]
            lines.append(f"  m = {m:>2s}: " + ", ".join(f"{n.removeprefix('wiki:')[:16]} {x['mean']:.1%} "
                                                         f"(p90 {x['p90']:.1%})" for n, x in top))
        if "spike_share" in r:
            worst = sorted(r["spike_share"], key=lambda n: -r["spread"]["6"][n]["mean"])[:2] if "6" in r["spread"] else []
            lines += [f"  {n.removeprefix('wiki:')}: holding its 10 most variable days still removes "
                      f"{r['spike_share'][n]:.0%} of its MAE's variance (6 networks)" for n in worst]
        if "seconds_21" in r:
            t = r["seconds_21"]
            lines.append("  21 series × 7 days, one thread, same run: " + ", ".join(
                f"{m} refit networks {sec:.0f} s" for m, sec in t.items())
                + f" — {t[max(t, key=int)] / t[min(t, key=int)]:.2f}× for {max(t, key=int)} against {min(t, key=int)}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--selector", default="default", help="as vs_peers' --selector")
    ap.add_argument("--fold", type=int, default=2020, choices=(2019, 2020), help="a design fold (never 2021)")
    ap.add_argument("--pool", type=int, default=24, help="refit networks per candidate (at least 3)")
    ap.add_argument("--draws", type=int, default=40)
    ap.add_argument("--summary", action="store_true")
    ap.add_argument("--time", type=int, nargs="*", metavar="M",
                    help="also time the 21 series' 7-day forecast with the default's refit networks and these")
    a = ap.parse_args(argv)
    doc = load()
    if not a.summary:
        if a.pool < 3:
            ap.error("--pool must be at least 3: three disjoint groups of one network")
        import torch

        torch.set_num_threads(1)
        t0 = time.perf_counter()
        pred = member_predictions(a.selector, a.fold, a.pool)
        seconds = time.perf_counter() - t0
        sizes = sorted({m for m in (1, 2, 3, 4, 6, 8, 10, 12, 16) if 3 * m <= a.pool} | {a.pool // 3})
        r = {"selector": a.selector, "fold": a.fold, "pool": a.pool, "seconds": seconds, "draws": a.draws,
             "spread": {str(m): spreads(pred, m, a.draws) for m in sizes},
             "spike_share": {n: spike_share(pred, n) for n in pred},
             **({"seconds_21": seconds_21(a.selector, (selector(a.selector).ensemble, *a.time))} if a.time else {}),
             "machine": machine(), "measured": time.strftime("%Y-%m-%dT%H:%M:%S")}
        doc = load()
        doc["runs"] = [x for x in doc["runs"] if (x["selector"], x["fold"], x["pool"]) != (a.selector, a.fold, a.pool)]
        doc["runs"].append(r)
        tmp = RESULTS.with_suffix(".tmp")
        tmp.write_text(json.dumps(doc, indent=1) + "\n")
        os.replace(tmp, RESULTS)
    print(table(doc))
    return 0


if __name__ == "__main__":
    sys.exit(main())
