"""viewcast's validation-chosen model against the peers of benchmarks/peers.py (issue 7), same
protocol: fit on 2017-01-01…2020-12-31, one-day-ahead on every day of 2021 fed the real history,
no refit. MAE in views over all of 2021 and over the book's 2021-01-01…02-14.

The configuration is chosen by hold-out validation on the last 10% of 2017–2020 only:
`viewcast.select.select` validates every candidate before the test period is scored, and the test
loss of the chosen model is computed once, after the choice (tests/test_select.py checks that
changing every 2021 value changes neither the validation losses nor the choice).

    python benchmarks/vs_peers.py [--series NAME ...] [--ensemble 3]

Peers' numbers come from benchmarks/results/peers.json (python benchmarks/peers.py makes it).
Results: benchmarks/results/vs_peers.json, written after each series.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from peers import EARLY, FIT, PEERS, TEST, best_peer, machine, peer_maes  # noqa: E402

from viewcast.data import builtin as datasets  # noqa: E402
from viewcast.data import load_series  # noqa: E402
from viewcast.evaluate.select import select  # noqa: E402
from viewcast.evaluate.validation import parse_scheme  # noqa: E402
from viewcast.features import SEARCH  # noqa: E402
from viewcast.train import TrainConfig  # noqa: E402
from viewcast.features import choose_split  # noqa: E402

SPECS = ["linear:56", "relu:56x100", "relu:56x1000", "relu:56x100x2"]  # candidates, × SEARCH features
OUT = HERE / "results" / "vs_peers.json"


def viewcast_maes(name: str, ensemble: int) -> dict:
    s = load_series(name)
    split = choose_split(s, FIT[0], FIT[1], TEST[0], TEST[1])
    t0 = time.perf_counter()
    sel = select(s, split, SPECS, parse_scheme("holdout:0.1"), TrainConfig(), features=SEARCH, ensemble=ensemble)
    test = sel.data.test
    pred = sel.refit.predict(test.X, test.dates)
    early = (test.dates >= EARLY[0]) & (test.dates <= EARLY[1])
    return {"chosen": sel.chosen.label, "val_mae": sel.chosen.val_mean,
            "mae_2021": float(np.mean(np.abs(pred - test.y))),
            "mae_early": float(np.mean(np.abs(pred[early] - test.y[early]))),
            "candidates": {c.label: c.val_mean for c in sel.candidates},
            "seconds": time.perf_counter() - t0}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--series", nargs="*", default=None)
    ap.add_argument("--ensemble", type=int, default=3)
    a = ap.parse_args()
    names = a.series or datasets.names()
    doc = json.loads(OUT.read_text()) if OUT.exists() else {"series": {}}
    doc["machine"], doc["ensemble"], doc["specs"] = machine(), a.ensemble, SPECS
    for name in names:
        peers = peer_maes(name)
        vc = viewcast_maes(name, a.ensemble)
        best = best_peer(peers)
        doc["series"][name] = {"viewcast": vc, "best_peer": {"name": best[0], "mae_2021": best[1]},
                               "ratio": vc["mae_2021"] / best[1],
                               "peers": {k: v.get("mae_2021") for k, v in peers.items()}}
        print(f"{name:70s} viewcast {vc['mae_2021']:12,.1f} ({vc['chosen']})  best peer {PEERS[best[0]]} "
              f"{best[1]:12,.1f}  ratio {vc['mae_2021'] / best[1]:.3f}  [{vc['seconds']:.0f} s]", flush=True)
        OUT.write_text(json.dumps(doc, indent=1))
    ratios = [v["ratio"] for v in doc["series"].values()]
    wins = sum(r < 1 for r in ratios)
    doc["summary"] = {"series": len(ratios), "wins": wins, "median_ratio": statistics.median(ratios)}
    OUT.write_text(json.dumps(doc, indent=1))
    print(f"viewcast beats the best peer on {wins} of {len(ratios)} series; median MAE ratio {statistics.median(ratios):.3f}")


if __name__ == "__main__":
    main()
