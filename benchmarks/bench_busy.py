"""Does `viewcast` share a busy machine well? `viewcast forecast --days 7 --json` on the default series,
wall time, beside 0, 1 and 2 other busy processes (each a Python loop that never sleeps), as:

    viewcast    the command as shipped: it asks OpenMP for sleeping threads when its cores are busy
                as it starts (viewcast.busy.calm_threads)
    spin        the same command without that check: torch's own OpenMP waiting (its threads spin)
    one_thread  the command with OMP_NUM_THREADS=1
    passive     the command with sleeping threads always (OMP_WAIT_POLICY=PASSIVE): what not checking would cost

Each cell is run --repeat times, the contenders taking turns to go first; the table shows the worst (and every time is
kept). The ratios compare contenders measured in the same run, beside the same load.

    python -m benchmarks.bench_busy                  # ~8 min on 2 cores
    python -m benchmarks.bench_busy --summary

Results: results/bench_busy.json.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from .peers import machine

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "bench_busy.json"
ARGS = ["forecast", "--days", "7", "--json"]
SPIN = "import sys; from viewcast.cli import app; sys.argv = ['viewcast', *sys.argv[1:]]; app()"  # main() without calm_threads
CONTENDERS = {
    "viewcast": ([sys.executable, "-m", "viewcast"], {}),
    "spin": ([sys.executable, "-c", SPIN], {}),
    "one_thread": ([sys.executable, "-m", "viewcast"], {"OMP_NUM_THREADS": "1"}),
    "passive": ([sys.executable, "-m", "viewcast"], {"OMP_WAIT_POLICY": "PASSIVE"}),
}
LOOP = "while True: pass"


def timed(name: str, cwd: Path) -> float:
    cmd, extra = CONTENDERS[name]
    env = {k: v for k, v in os.environ.items() if k not in ("OMP_WAIT_POLICY", "OMP_NUM_THREADS")} | extra
    t0 = time.perf_counter()
    r = subprocess.run([*cmd, *ARGS], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    seconds = time.perf_counter() - t0
    if r.returncode != 0:
        raise RuntimeError(f"{name}: exit {r.returncode}: {r.stderr.strip()[-500:]}")
    json.loads(r.stdout)  # a forecast came back
    return seconds


def run(levels: list[int], repeat: int) -> dict:
    out: dict = {}
    work = ROOT / "benchmarks" / "results" / "bench_busy.tmp"
    work.mkdir(exist_ok=True)
    for busy in levels:
        loops = [subprocess.Popen([sys.executable, "-c", LOOP]) for _ in range(busy)]
        try:
            time.sleep(1.0)
            cell = {name: [] for name in CONTENDERS}
            names = list(CONTENDERS)
            for r in range(repeat):
                for name in names[r % len(names):] + names[:r % len(names)]:  # each goes first in turn
                    cell[name].append(timed(name, work))
                    print(f"busy {busy}, {name}: {cell[name][-1]:.1f} s", file=sys.stderr, flush=True)
            out[str(busy)] = cell
        finally:
            for p in loops:
                p.kill()
                p.wait()
    work.rmdir()
    return out


def table(doc: dict) -> str:
    lines = [f"viewcast forecast --days 7, worst of {doc['repeat']} (s); {doc['machine']['nproc']} cores, "
             f"{doc['machine']['cpu']}, {doc['measured']}",
             f"{'other busy processes':>22s} {'viewcast':>9s} {'spin':>7s} {'one_thread':>11s} {'passive':>8s}  "
             "viewcast ÷ spin"]
    for busy, cell in doc["times_s"].items():
        w = {k: max(v) for k, v in cell.items()}
        lines.append(f"{busy:>22s} {w['viewcast']:9.1f} {w['spin']:7.1f} {w['one_thread']:11.1f} "
                     f"{w.get('passive', float('nan')):8.1f}  {w['viewcast'] / w['spin']:.2f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--busy", type=int, nargs="+", default=[0, 1, 2], help="numbers of other busy processes")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--summary", action="store_true")
    a = ap.parse_args(argv)
    if a.repeat < 1 or any(b < 0 for b in a.busy):
        ap.error("--repeat must be at least 1 and --busy at least 0")
    if not a.summary:
        doc = {"times_s": run(a.busy, a.repeat), "repeat": a.repeat, "args": ARGS, "machine": machine(),
               "measured": time.strftime("%Y-%m-%dT%H:%M:%S")}
        tmp = RESULTS.with_suffix(".tmp")
        tmp.write_text(json.dumps(doc, indent=1) + "\n")
        os.replace(tmp, RESULTS)
    if not RESULTS.is_file():
        print("no results yet: run python -m benchmarks.bench_busy", file=sys.stderr)
        return 2
    print(table(json.loads(RESULTS.read_text())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
