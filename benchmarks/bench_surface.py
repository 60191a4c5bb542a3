"""The error surface in one vectorized pass vs a plain Python double loop over the grid.

All three compute the MAE of linear:1, L(w, b) = mean |b + w·x − y|, on every point of a 200×200
grid over the default series' training days (2017–2020, 1,460 days), in the same run, on the same
machine:

    vectorized  viewcast.surface.loss_grid: residuals once per w, sorted, running sums (what
                `viewcast surface` uses)
    direct      loss_grid_direct: every (w, b, day) broadcast at once, in memory-bounded blocks
    loop        a plain Python double loop over the grid, numpy's mean over the days per point
                (its inner sum is already vectorized, so the ratio is a lower bound vs pure Python)

The grids must agree to 1e-9 of the largest loss.

    OMP_NUM_THREADS=1 .venv/bin/python -m benchmarks.bench_surface            # a table
    .venv/bin/python -m benchmarks.bench_surface --grid 100 --repeat 3 --json  # one JSON document
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time

import numpy as np

from viewcast.data import load_series
from viewcast.surface.surface import default_ranges, linear1_data, loss_grid, loss_grid_direct
from viewcast.models.exact import exact_linear
from viewcast.features import choose_split


def double_loop(x: np.ndarray, y: np.ndarray, ws: np.ndarray, bs: np.ndarray) -> np.ndarray:
    out = np.empty((len(bs), len(ws)))
    for i, b in enumerate(bs):
        for j, w in enumerate(ws):
            out[i, j] = np.mean(np.abs(b + w * x - y))
    return out


def timed(fn, repeat: int) -> tuple[float, np.ndarray]:
    times, res = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        res = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--series", default="wiki:Standard_deviation")
    ap.add_argument("--grid", type=int, default=200, help="points per axis")
    ap.add_argument("--repeat", type=int, default=5, help="runs of the vectorized pass (median); the loop runs once")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()

    s = load_series(a.series)
    x, y, _, _ = linear1_data(s, choose_split(s), normalize=False)
    (w,), b = exact_linear(x[:, None], y, "mae")
    wr, br = default_ranges(x, [(0.0, 0.0)], (w, b))
    ws, bs = np.linspace(*wr, a.grid), np.linspace(*br, a.grid)

    t_vec, L_vec = timed(lambda: loss_grid(x, y, ws, bs, "mae"), a.repeat)
    t_dir, L_dir = timed(lambda: loss_grid_direct(x, y, ws, bs, "mae"), a.repeat)
    t_loop, L_loop = timed(lambda: double_loop(x, y, ws, bs), 1)
    diff = float(max(np.abs(L_vec - L_loop).max(), np.abs(L_dir - L_loop).max()))
    assert diff < 1e-9 * float(np.abs(L_loop).max()), diff
    res = {"series": s.name, "days": len(x), "grid": [a.grid, a.grid], "vectorized_s": t_vec, "direct_s": t_dir,
           "loop_s": t_loop, "ratio": t_loop / t_vec, "ratio_direct": t_loop / t_dir, "max_abs_diff": diff,
           "machine": platform.machine(),
           "cpus": os.cpu_count(), "omp_num_threads": os.environ.get("OMP_NUM_THREADS"), "numpy": np.__version__}
    if a.json:
        print(json.dumps(res))
        return
    print(f"MAE surface of linear:1, {a.grid}×{a.grid} grid over {len(x):,} training days of {s.name}")
    print(f"  vectorized, sorted residuals (median of {a.repeat}): {t_vec:8.4f} s   {t_loop / t_vec:6.1f}× the loop")
    print(f"  direct broadcast, chunked (median of {a.repeat}):    {t_dir:8.4f} s   {t_loop / t_dir:6.1f}× the loop")
    print(f"  plain Python double loop (numpy per point):       {t_loop:8.4f} s")
    print(f"  the three grids agree to {diff:.1e} views")


if __name__ == "__main__":
    main()
