"""Many series, relu:56x100, hold-out validation + early stopping + refit, measured side by side in one
run: viewcast with per-series models batched (series are members of one engine program),
viewcast's global model (one network for all series), the plain PyTorch loop of the course's sample
code and scikit-learn's MLPRegressor, one series after another.

Series: the 21 built-in series over shifted date windows — window o of series s covers the 1,826 days
from 2017-01-01 + 7·o: 1,461 training days (the last 10% of their windows for validation) and the next
365 test days. 21, 210 and 2,100 series are o = 0, 0…9 and 0…99. A contender whose cost is a plain
loop over series runs on at most --loop-max series and is extrapolated linearly (said in the output).

    python -m benchmarks.bench_many [--sizes 21 210 2100] [--loop-max 210] [--threads 2]

Each (contender, size) runs in a fresh subprocess: wall time and peak RSS are its own. Metrics: wall
time, peak RSS, median relative validation and test MAE (MAE ÷ the series' mean training views —
series differ in scale by 1,000×), series per second, and viewcast's achieved GFLOP/s on the largest
workload against the float32 matmul peak measured in the same run.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from .memory import peak_rss_mb

HERE = Path(__file__).resolve().parent
OUT = HERE / "results" / "bench_many.json"
WINDOW, TRAIN, STEP = 1826, 1461, 7
SPEC, K, HIDDEN = "relu:56x100", 56, 100
# viewcast's recipe for many series: mini-batches (fewer sample passes to the same quality than full
# batches), validation once per epoch, each member stopped by its own patience, refit for its own updates
RECIPE = {"optimizer": "adam", "lr": 3e-3, "batch_size": 128, "epochs": 300, "early_stop": 100, "schedule": "constant"}
# the global model: the library's own recipe for a global model asked for with no batch size or epochs
# (`viewcast.train.pooled.scaled`: a batch that makes an epoch about 160 updates — 2,048 rows at 21 and 210
# series, 16,384 at 2,100 — about 480 updates in all, η ∝ √batch, cosine, no early stopping), so the work grows
# with the rows and no faster. With batches of 2,048 for every size and early stopping (patience 100 updates,
# validated once an epoch) the 2,100-series run went on for more epochs than the 210 one and its time grew ×17.8.
GLOBAL_RECIPE = {"optimizer": "adam", "schedule": "cosine", "early_stop": None}


def global_recipe(rows: int) -> dict:
    """The recipe `viewcast … --global` trains `rows` training rows with."""
    from viewcast.train import TrainConfig
    from viewcast.train.pooled import scaled

    c = scaled(TrainConfig(**GLOBAL_RECIPE), rows)
    return {**GLOBAL_RECIPE, "batch_size": c.batch_size, "epochs": c.epochs, "lr": c.learning_rate()}


def series_set(n: int):
    from viewcast.data import builtin, load_series
    from viewcast.data.series import DailySeries

    base = [load_series(name) for name in builtin.names()]
    out = []
    for o in range(n // len(base)):
        for s in base:
            a = o * STEP
            out.append(DailySeries(f"{s.name}@{o}", s.values[a:a + WINDOW].copy(), s.start + pd.Timedelta(days=a)))
    return out


def prepared(n: int):
    from viewcast.features import Split, prepare

    out = []
    for s in series_set(n):
        d = pd.Timedelta(days=1)
        split = Split(s.start, s.start + (TRAIN - 1) * d, s.start + TRAIN * d, s.end)
        out.append(prepare(s, K, split))
    return out


def rel(mae: float, d) -> float:
    return float(mae / np.mean(np.abs(d.train.y)))


def flops_per_pass() -> float:
    params = (K + 1) * HIDDEN + HIDDEN + 1
    return 6.0 * params  # forward + backward ≈ 3 × (2 FLOPs per weight)


# ------------------------------------------------------------------ contenders
def run_viewcast(n: int, seed: int, pooled: bool = False) -> dict:
    from viewcast.evaluate.candidates import evaluate_global, evaluate_many, updates_chosen
    from viewcast.evaluate.validation import parse_scheme
    from viewcast.train import TrainConfig
    from viewcast.train.fit import fit_many
    from viewcast.train.pooled import fit_global

    datas = prepared(n)
    rows = sum(len(d.train) for d in datas)
    recipe = global_recipe(rows) if pooled else RECIPE
    cfg = TrainConfig(seed=seed, **recipe)
    scheme = parse_scheme("holdout:0.1")
    t0 = time.perf_counter()
    if pooled:
        cands = evaluate_global(SPEC, datas, scheme, cfg, (seed,))
        fits = fit_global(SPEC, datas, cfg.but(early_stop=None), stop_after=updates_chosen(cands[0]))
        passes = cands[0].run.sample_passes + fits[0].sample_passes
    else:
        cands = evaluate_many(SPEC, datas, scheme, cfg, (seed,))
        fits = fit_many(SPEC, datas, cfg.but(early_stop=None), stop_after=[updates_chosen(c) for c in cands])
        passes = sum(c.run.sample_passes for c in cands) + sum(f.sample_passes for f in fits)
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "series": n, "measured_series": n,
            "val_rel": [rel(c.val_mean, d) for c, d in zip(cands, datas)],
            "test_rel": [rel(f.test["mae"], d) for f, d in zip(fits, datas)],
            "sample_passes": passes, "gflops": passes * flops_per_pass() / seconds / 1e9, "recipe": recipe}


def run_loop(n: int, seed: int, which: str, loop_max: int) -> dict:
    from .contenders import plain_pytorch, sklearn_mlp
    from viewcast.features import encode

    m = min(n, loop_max)
    datas = prepared(n)[:m]
    fn = plain_pytorch if which == "pytorch" else sklearn_mlp
    t0 = time.perf_counter()
    val, test, passes = [], [], 0
    for d in datas:
        X = encode(d.train.X, d.train.dates, d.scaler, False)
        y = d.scaler.transform(d.train.y)
        cut = len(y) - int(round(0.1 * len(y)))
        r = fn(X, y, np.arange(cut), np.arange(cut, len(y)), seed,
               X_test=encode(d.test.X, d.test.dates, d.scaler, False))
        val.append(rel(r["val_mae"] * d.scaler.std, d))
        test.append(rel(float(np.mean(np.abs(d.scaler.inverse(r["pred_test"]) - d.test.y))), d))
        passes += r["sample_passes"]
    seconds = time.perf_counter() - t0
    return {"seconds": seconds * n / m, "measured_seconds": seconds, "series": n, "measured_series": m,
            "extrapolated": m < n, "val_rel": val, "test_rel": test, "sample_passes": passes * n / m}


def matmul_peak(threads: int) -> float:
    import torch

    torch.set_num_threads(threads)
    a, b = torch.randn(2048, 2048), torch.randn(2048, 2048)
    a @ b
    best = float("inf")
    for _ in range(5):
        t = time.perf_counter()
        a @ b
        best = min(best, time.perf_counter() - t)
    return 2 * 2048 ** 3 / best / 1e9


def shape_peaks(threads: int) -> dict:
    """What bounds the engine: float32 GFLOP/s of the workload's own matmul shapes, timed alone — the
    per-series models' stacked first layer (2,100 members × a batch of 128 × 57 inputs → 100 units,
    forward and both backward products) and the global model's (a batch of 2,048 rows)."""
    import torch

    torch.set_num_threads(threads)

    def rate(fn, flops: float) -> float:
        fn()
        best = float("inf")
        for _ in range(5):
            t = time.perf_counter()
            fn()
            best = min(best, time.perf_counter() - t)
        return flops / best / 1e9

    M, B = 2100, RECIPE["batch_size"]
    x, w, g = torch.randn(M, B, K + 1), torch.randn(M, K + 1, HIDDEN), torch.randn(M, B, HIDDEN)
    stacked = rate(lambda: (torch.bmm(x, w), torch.bmm(x.transpose(1, 2), g), torch.bmm(g, w.transpose(1, 2))),
                   3 * 2 * M * B * (K + 1) * HIDDEN)
    Bg = 2048  # the global recipe's smallest batch (viewcast.train.pooled.GLOBAL_BATCH)
    xg, wg, gg = torch.randn(Bg, K + 1), torch.randn(K + 1, HIDDEN), torch.randn(Bg, HIDDEN)
    pooled = rate(lambda: (xg @ wg, xg.T @ gg, gg @ wg.T), 3 * 2 * Bg * (K + 1) * HIDDEN)
    return {"stacked_bmm_gflops": stacked, "global_mm_gflops": pooled}


def worker(args: list[str]) -> None:
    import torch

    which, n, seed, threads, loop_max = args[0], int(args[1]), int(args[2]), int(args[3]), int(args[4])
    torch.set_num_threads(threads)
    if which == "peak":
        out = {"gflops": matmul_peak(threads), **shape_peaks(threads)}
    elif which in ("viewcast", "global"):
        out = run_viewcast(n, seed, pooled=which == "global")
    else:
        out = run_loop(n, seed, which, loop_max)
    out["peak_rss_mb"] = peak_rss_mb()
    print(json.dumps(out))


def measure(which: str, n: int, seed: int, threads: int, loop_max: int) -> dict:
    env = {**os.environ, "OMP_NUM_THREADS": str(threads)}
    r = subprocess.run(cwd=str(HERE.parent), args=[sys.executable, "-m", "benchmarks.bench_many", "--worker", which, str(n), str(seed), str(threads), str(loop_max)],
                       capture_output=True, text=True, env=env)
    if r.returncode != 0:
        raise SystemExit(f"{which} {n}: {r.stderr.strip().splitlines()[-1] if r.stderr.strip() else r.returncode}")
    return json.loads(r.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", nargs="*", type=int, default=[21, 210, 2100])
    ap.add_argument("--contenders", nargs="*", default=["viewcast", "global", "pytorch", "sklearn"])
    ap.add_argument("--loop-max", type=int, default=210)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--worker", nargs=5)
    a = ap.parse_args()
    if a.worker:
        return worker(a.worker)
    from .peers import machine

    doc = {"machine": machine(), "threads": a.threads, "recipe": RECIPE, "global_recipe": GLOBAL_RECIPE, "spec": SPEC,
           "rows": []}
    peak = measure("peak", 0, 0, a.threads, 0)
    doc["matmul_peak_gflops"] = peak["gflops"]
    doc["shape_gflops"] = {k: peak[k] for k in ("stacked_bmm_gflops", "global_mm_gflops")}
    print(f"float32 matmul peak (2048²): {doc['matmul_peak_gflops']:.0f} GFLOP/s; the workload's own shapes alone: "
          f"stacked bmm {peak['stacked_bmm_gflops']:.0f}, global mm {peak['global_mm_gflops']:.0f} GFLOP/s", flush=True)
    for n in a.sizes:
        for c in a.contenders:
            r = measure(c, n, 0, a.threads, a.loop_max)
            row = {"contender": c, "series": n, "seconds": r["seconds"], "peak_rss_mb": r["peak_rss_mb"],
                   "series_per_s": n / r["seconds"], "median_val_rel": statistics.median(r["val_rel"]),
                   "median_test_rel": statistics.median(r["test_rel"]), "extrapolated_from": r["measured_series"]
                   if r.get("extrapolated") else None, "sample_passes": r["sample_passes"], "gflops": r.get("gflops"),
                   "val_rel": r["val_rel"], "test_rel": r["test_rel"], "recipe": r.get("recipe")}
            doc["rows"].append(row)
            OUT.write_text(json.dumps(doc, indent=1))
            print(f"{n:5d} {c:9s} {r['seconds']:8.1f} s{' (extrapolated from ' + str(r['measured_series']) + ')' if r.get('extrapolated') else ''}"
                  f"  {n / r['seconds']:7.2f} series/s  val {row['median_val_rel']:.4f}  test {row['median_test_rel']:.4f}"
                  f"  RSS {r['peak_rss_mb']:6.0f} MB" + (f"  {r['gflops']:.1f} GFLOP/s" if r.get("gflops") else ""), flush=True)
    for n in a.sizes:
        by = {r["contender"]: r for r in doc["rows"] if r["series"] == n}
        m = min(len(r["val_rel"]) for r in by.values())  # the series every contender ran (loops: the first m)
        common = {c: {"val": statistics.median(r["val_rel"][:m]), "test": statistics.median(r["test_rel"][:m])}
                  for c, r in by.items()}
        doc.setdefault("common", {})[str(n)] = {"series": m, **common}
        print(f"{n} series — medians on the {m} series every contender ran: "
              + ", ".join(f"{c} val {v['val']:.4f} test {v['test']:.4f}" for c, v in common.items()))
        if "viewcast" in by and "pytorch" in by:
            best = max(("viewcast", "global"), key=lambda c: by[c]["series_per_s"] if c in by else 0)
            print(f"{n} series: viewcast ({best}) {by[best]['series_per_s'] / by['pytorch']['series_per_s']:.1f}× the "
                  "plain PyTorch loop's throughput")
    OUT.write_text(json.dumps(doc, indent=1))


if __name__ == "__main__":
    main()
