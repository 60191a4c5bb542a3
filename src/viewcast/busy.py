"""Sharing a busy machine. Torch's OpenMP threads spin while they wait for each other; beside other work
a spinning thread takes the core its partner needs, and training crawls. So `viewcast` looks, as it
starts, at how busy its cores are with other work (a tenth of a second of /proc/stat), and when at least
BUSY_CORES of them are, asks for threads that sleep instead of spin (OMP_WAIT_POLICY=PASSIVE), before
torch loads (OpenMP reads the setting once). Alone, spinning is faster; that is why it is not always
asked for. The times: `python -m benchmarks.bench_busy`. A value already set is kept, and Python code
that imports viewcast decides for itself (`OMP_WAIT_POLICY=PASSIVE` in the environment before torch
loads, or OMP_NUM_THREADS=1).

>>> env = {}
>>> calm_threads(env, busy=1.0, torch_loaded=False), env
(True, {'OMP_WAIT_POLICY': 'PASSIVE'})
>>> calm_threads({}, busy=0.2, torch_loaded=False), calm_threads({"OMP_WAIT_POLICY": "ACTIVE"}, 2.0, False)
(False, False)
>>> busy_cores(["cpu 9 0 9 80 2 0 0 0", "cpu0 5 0 5 40 0 0 0 0", "cpu1 4 0 4 40 2 0 0 0"],
...            ["cpu 19 0 19 100 2 0 0 0", "cpu0 15 0 15 40 0 0 0 0", "cpu1 4 0 4 60 2 0 0 0"], {0, 1})
1.0
"""
from __future__ import annotations

import os
import sys
import time
from collections.abc import MutableMapping

BUSY_CORES = 0.75  # about one core's worth of other work: one busy process beside a 2-thread forecast doubled its time
LOOK = 0.1  # seconds of /proc/stat read before deciding


def _ticks(lines: list[str], cpus: set[int]) -> tuple[dict[int, int], dict[int, int]]:
    """Per CPU in `cpus`: (all ticks, idle ticks) from /proc/stat's cpuN lines."""
    total, idle = {}, {}
    for line in lines:
        name, *fields = line.split()
        if not name.startswith("cpu") or name == "cpu" or int(name[3:]) not in cpus:
            continue
        v = [int(x) for x in fields[:8]]
        total[int(name[3:])], idle[int(name[3:])] = sum(v), v[3] + v[4]  # idle + iowait
    return total, idle


def busy_cores(before: list[str], after: list[str], cpus: set[int]) -> float:
    """How many of `cpus` were busy between two readings of /proc/stat (in cores)."""
    t0, i0 = _ticks(before, cpus)
    t1, i1 = _ticks(after, cpus)
    return sum(1 - (i1[c] - i0[c]) / (t1[c] - t0[c]) for c in t1 if c in t0 and t1[c] > t0[c])


def other_work(seconds: float = LOOK) -> float | None:
    """Cores of this process's CPUs busy now (before it trains anything: other work); None where there is no
    /proc/stat to read."""
    try:
        cpus = os.sched_getaffinity(0)
        with open("/proc/stat") as f:
            before = f.read().splitlines()
        time.sleep(seconds)
        with open("/proc/stat") as f:
            after = f.read().splitlines()
    except (OSError, AttributeError, ValueError):
        return None
    return busy_cores(before, after, cpus)


def calm_threads(env: MutableMapping[str, str] | None = None, busy: float | None = None,
                 torch_loaded: bool | None = None) -> bool:
    """Set OMP_WAIT_POLICY=PASSIVE in `env` (the process's) when at least BUSY_CORES of its cores are busy
    (`busy`, else measured), unless it is set already or torch is loaded. Returns whether it was set."""
    env = os.environ if env is None else env
    if torch_loaded is None:
        torch_loaded = "torch" in sys.modules
    if "OMP_WAIT_POLICY" in env or torch_loaded:
        return False
    if busy is None:
        busy = other_work()
    if busy is None or busy < BUSY_CORES:
        return False
    env["OMP_WAIT_POLICY"] = "PASSIVE"
    return True
