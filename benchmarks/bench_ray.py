"""Ray on this machine: its start-up and per-task overhead, and the many-series job
(benchmarks/bench_many.py's: relu:56x100, hold-out + early stopping + refit, per series) on 2,100
series with --backend local and with Ray at 1 and 2 workers, measured in the same run; then a
projection to 100k and 1M series on a cluster of N CPUs from those measurements.

    python -m benchmarks.bench_ray [--series 2100] [--chunk-series 64]

The model of a run of S series on N CPUs (written down, each term measured here):
    T(S, N) ≈ start + ⌈S / c⌉ · (t_chunk + o) / N     with t_chunk = c · t_series
where start is Ray's start-up (connecting to a running cluster is less), c the series per task,
t_series one series' compute on one CPU, and o Ray's per-task overhead (scheduling, the chunk's data
in and its rows out). It assumes chunks spread evenly and no shared bottleneck (the driver only
collects rows: ~1 KB per series).
"""
from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import time
from pathlib import Path

from .memory import peak_rss_mb

HERE = Path(__file__).resolve().parent
OUT = HERE / "results" / "bench_ray.json"


def overhead(workers: int, tasks: int = 400) -> dict:
    """Ray's start-up (init + a first task) and the time per trivial task once warm."""
    import ray

    t0 = time.perf_counter()
    ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False)

    @ray.remote(num_cpus=1)
    def echo(x):
        return x

    ray.get(echo.remote(0))
    start = time.perf_counter() - t0
    t0 = time.perf_counter()
    ray.get([echo.remote(i) for i in range(tasks)])
    per_task = (time.perf_counter() - t0) / tasks * workers  # CPU-seconds of overhead per task
    payload = list(range(64 * 2000))  # ~ a chunk of 64 series × 2,000 days
    t0 = time.perf_counter()
    ray.get([echo.remote(payload) for _ in range(20)])
    per_chunk_data = (time.perf_counter() - t0) / 20 * workers
    ray.shutdown()
    return {"workers": workers, "start_s": start, "per_task_s": per_task, "per_chunk_with_data_s": per_chunk_data}


def job_run(backend: str, workers: int, n: int, chunk_series: int) -> dict:
    from .bench_many import RECIPE, series_set

    from viewcast.many import Job, run_many
    from viewcast.train import TrainConfig

    series = series_set(n)
    job = Job("fit", specs=("relu:56x100",), config=TrainConfig(**RECIPE), validation="holdout:0.1",
              split=(None, None, None, None))
    t0 = time.perf_counter()
    res = run_many(job, series, backend, workers=workers, chunk_series=chunk_series)
    return {"backend": backend, "workers": workers, "series": n, "seconds": time.perf_counter() - t0,
            "driver_peak_rss_mb": peak_rss_mb(),
            "done": res.done, "failed": len(res.failed), "rows": {r["series"]: r["val_mae"] for r in res.rows}}


def sub(args: list[str]) -> dict:
    r = subprocess.run(cwd=str(HERE.parent), args=[sys.executable, "-m", "benchmarks.bench_ray", "--worker", *args], capture_output=True, text=True,
                       env={**os.environ, "OMP_NUM_THREADS": "1"})
    if r.returncode != 0:
        raise SystemExit(r.stderr.strip().splitlines()[-1] if r.stderr.strip() else str(r.returncode))
    return json.loads(r.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--series", type=int, default=2100)
    ap.add_argument("--chunk-series", type=int, default=64)
    ap.add_argument("--worker", nargs="*")
    a = ap.parse_args()
    if a.worker:
        kind = a.worker[0]
        if kind == "overhead":
            print(json.dumps(overhead(int(a.worker[1]))))
        else:
            print(json.dumps(job_run(kind, int(a.worker[1]), int(a.worker[2]), int(a.worker[3]))))
        return
    from .peers import machine

    doc = {"machine": machine(), "series": a.series, "chunk_series": a.chunk_series}
    doc["overhead"] = [sub(["overhead", str(w)]) for w in (1, 2)]
    for o in doc["overhead"]:
        print(f"Ray, {o['workers']} worker(s): start-up {o['start_s']:.1f} s; per task {1000 * o['per_task_s']:.1f} ms "
              f"(with a chunk's data {1000 * o['per_chunk_with_data_s']:.1f} ms)", flush=True)
    small = sub(["local", "1", str(a.series // 10), str(a.chunk_series)])  # memory and time as the count grows
    small.pop("rows")
    doc["local_tenth"] = small
    print(f"local, {small['series']} series: {small['seconds']:.1f} s, peak RSS {small['driver_peak_rss_mb']:.0f} MB",
          flush=True)
    runs = [sub(["local", "1", str(a.series), str(a.chunk_series)]),
            sub(["ray", "1", str(a.series), str(a.chunk_series)]),
            sub(["ray", "2", str(a.series), str(a.chunk_series)])]
    base = runs[0]["rows"]
    for r in runs:
        diff = max(abs(r["rows"][k] - base[k]) / abs(base[k]) for k in base) if r["rows"].keys() == base.keys() else None
        r["max_rel_diff_vs_local"] = diff
        print(f"{r['backend']:5s} workers {r['workers']}: {r['seconds']:7.1f} s for {r['series']} series "
              f"({r['done']} done, {r['failed']} failed), driver peak RSS {r['driver_peak_rss_mb']:.0f} MB; "
              f"results vs local: max relative difference {diff}", flush=True)
        del r["rows"]
    doc["runs"] = runs
    # the projection: per-series compute on one CPU from Ray with 1 worker (start-up taken out)
    o = doc["overhead"][1]
    one = runs[1]
    chunks = math.ceil(a.series / a.chunk_series)
    t_series = max(1e-6, (one["seconds"] - doc["overhead"][0]["start_s"] - chunks * o["per_chunk_with_data_s"]) / a.series)
    doc["model"] = {"t_series_s": t_series, "per_task_s": o["per_chunk_with_data_s"], "start_s": o["start_s"],
                    "chunk_series": a.chunk_series,
                    "overhead_share_of_a_chunk": o["per_chunk_with_data_s"] / (a.chunk_series * t_series)}
    doc["projection"] = []
    for S in (100_000, 1_000_000):
        for N in (16, 128, 1024, 2000):
            T = o["start_s"] + math.ceil(S / a.chunk_series) * (a.chunk_series * t_series + o["per_chunk_with_data_s"]) / N
            doc["projection"].append({"series": S, "cpus": N, "minutes": T / 60})
            print(f"projected: {S:>9,} series on {N:>5} CPUs ≈ {T / 60:8.1f} min", flush=True)
    print(f"per-task overhead is {100 * doc['model']['overhead_share_of_a_chunk']:.2f}% of a {a.chunk_series}-series "
          f"chunk's compute ({a.chunk_series * t_series:.1f} s)")
    OUT.write_text(json.dumps(doc, indent=1))


if __name__ == "__main__":
    main()
