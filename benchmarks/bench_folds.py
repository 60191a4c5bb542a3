"""Folds trained together (members of one engine run) against the same folds trained one by one
with `fit`, measured in the same run on the default series. Prints the ratio; asserts nothing.

    python -m benchmarks.bench_folds [--epochs 300] [--folds 5] [--repeat 3]
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import time

import numpy as np
import torch

from viewcast.data import load_series
from viewcast.evaluate.candidates import evaluate
from viewcast.evaluate.validation import parse_scheme, split_indices
from viewcast.features import Prepared, Scaler, choose_split, prepare
from viewcast.train import TrainConfig, fit


def one_by_one(spec, data, folds, cfg):
    out = []
    for tr, va in folds:
        own = Prepared(data.k, data.train.take(tr), data.test, Scaler.fit(data.train.y[tr]), data.split)
        out.append(fit(spec, own, cfg, val=data.train.take(va)).val["mae"])
    return np.array(out)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--epochs", type=int, default=300)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--specs", default="linear:56,relu:56x100,relu:56x100x3")
    a = ap.parse_args()
    s = load_series()
    data = prepare(s, 56, choose_split(s))
    scheme = parse_scheme(f"kfold:{a.folds}")
    folds = split_indices(len(data.train), scheme)
    cfg = TrainConfig(epochs=a.epochs)
    rows = []
    for spec in a.specs.split(","):
        t_seq, t_stk = [], []
        for _ in range(a.repeat):  # interleaved, so drifts in machine load hit both alike
            t = time.perf_counter(); seq = one_by_one(spec, data, folds, cfg); t_seq.append(time.perf_counter() - t)
            t = time.perf_counter(); stk = evaluate(spec, data, scheme, cfg); t_stk.append(time.perf_counter() - t)
        same = bool(np.allclose(seq, stk.val_mae, rtol=1e-2))  # float32 sums in another order drift ~0.3% over 200 Adam steps
        rows.append({"model": spec, "one_by_one_s": min(t_seq), "stacked_s": min(t_stk),
                     "speedup": min(t_seq) / min(t_stk), "same_val_mae": same})
        print(f"{spec:16s} one by one {min(t_seq):6.2f} s   stacked {min(t_stk):6.2f} s   "
              f"speed-up ×{min(t_seq) / min(t_stk):.2f}   validation MAE agrees within 1%: {same}")
    info = {"machine": {"cpus": os.cpu_count(), "processor": platform.processor() or platform.machine(),
                        "torch": torch.__version__, "threads": torch.get_num_threads()},
            "epochs": a.epochs, "folds": a.folds, "rows": rows}
    print(json.dumps(info))


if __name__ == "__main__":
    main()
