"""How much of a series' 2021 MAE spread across seeds is the refit alone (issue 13): one FIXED model,
refit on 2017–2020 as an ensemble of 3 or 9 members with --seed 0, 1, 2 (disjoint member sets: seed_stream),
full cosine schedule, scored one day ahead on 2021 as in vs_peers.py. If the refit alone moves the MAE
by more than 5%, no selector can keep the spread under 5% with refits of that size.

    python benchmarks/refit_noise.py [--series wiki:Thanksgiving] [--ensembles 3 9]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from peers import FIT, TEST  # noqa: E402

from viewcast.data import load_series  # noqa: E402
from viewcast.features import Features, choose_split, prepare_all  # noqa: E402
from viewcast.train import TrainConfig  # noqa: E402
from viewcast.train.fit import fit  # noqa: E402

# the candidates the full selector's tie sets held on Thanksgiving (benchmarks/results/vs_peers.json)
MODELS = (("relu:56x100x2", Features(weekday=True)), ("relu:56x100", Features(weekday=True)),
          ("relu:56x100", Features(log=True, weekday=True)))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--series", default="wiki:Thanksgiving")
    ap.add_argument("--ensembles", nargs="*", type=int, default=[3, 9])
    a = ap.parse_args()
    s = load_series(a.series)
    split = choose_split(s, FIT[0], FIT[1], TEST[0], TEST[1])
    for spec, f in MODELS:
        d = prepare_all(s, [56], split, True, f)[56]
        for n in a.ensembles:
            maes = [fit(spec, d, TrainConfig(seed=i, early_stop=None), ensemble=n).test["mae"] for i in range(3)]
            print(f"{spec}{f} ensemble {n}: 2021 MAE {', '.join(f'{m:,.1f}' for m in maes)}; "
                  f"spread {100 * (max(maes) / min(maes) - 1):.1f}%", flush=True)


if __name__ == "__main__":
    main()
