"""Sharing a busy machine. Torch's OpenMP threads spin while they wait for each other; beside other work
a spinning thread takes the core its partner needs, and training crawls. So `viewcast` looks, as it
starts, at how busy its cores are with other work (a tenth of a second of /proc/stat), and when at least
BUSY_CORES of them is taken, asks for threads that sleep instead of spin (OMP_WAIT_POLICY=PASSIVE), before
torch loads (OpenMP reads the setting once). Alone, spinning is faster, so it is not always asked for.
The times, both ways: `python -m benchmarks.bench_busy`. A value already set is kept, and Python code
that imports viewcast decides for itself (`OMP_WAIT_POLICY=PASSIVE` in the environment before torch
loads, or OMP_NUM_THREADS=1).

>>> env = {}
>>> calm_threads(env, busy=1, torch_loaded=False), env
(True, {'OMP_WAIT_POLICY': 'PASSIVE'})
>>> calm_threads({}, busy=0, torch_loaded=False), calm_threads({"OMP_WAIT_POLICY": "ACTIVE"}, 2, False)
(False, False)
>>> before = ["cpu 9 0 9 80 2 0 0 0", "cpu0 5 0 5 40 0 0 0 0", "cpu1 4 0 4 40 2 0 0 0"]
>>> after = ["cpu 19 0 19 100 2 0 0 0", "cpu0 15 0 15 40 0 0 0 0", "cpu1 5 0 5 58 2 0 0 0"]  # cpu1: 2 of 20 busy
>>> busy_cores(before, after, {0, 1}), busy_cores(before, after, {1}), busy_cores(before, after, {4, 5})
(1, 0, 1)
"""
from __future__ import annotations

import os
import sys
import time
from collections.abc import MutableMapping

BUSY_CORES = 1  # one core taken by other work: one busy process beside a 2-thread forecast doubled its time
HALF = 0.5  # a core at least this busy counts as taken
LOOK = 0.1  # seconds of /proc/stat read before deciding


def _ticks(lines: list[str]) -> dict[int, tuple[int, int]]:
    """Per CPU: (all ticks, idle ticks) from /proc/stat's cpuN lines (user … steal; idle + iowait)."""
    out = {}
    for line in lines:
        name, *fields = line.split() or [""]
        if name.startswith("cpu") and name[3:].isdigit() and len(fields) >= 5:
            v = [int(x) for x in fields[:8]]
            out[int(name[3:])] = (sum(v), v[3] + v[4])
    return out


def busy_cores(before: list[str], after: list[str], cpus: set[int]) -> int:
    """How many of `cpus` were at least half busy between two readings of /proc/stat: cores other work has
    taken (a many-core machine's background hum, a few per cent on each, adds up to none). When none of
    `cpus` is listed (a container that numbers its CPUs from 0), every CPU listed counts."""
    t0, t1 = _ticks(before), _ticks(after)
    mine = [c for c in t1 if c in cpus] or list(t1)
    share = [1 - (t1[c][1] - t0[c][1]) / (t1[c][0] - t0[c][0]) for c in mine if c in t0 and t1[c][0] > t0[c][0]]
    return sum(x >= HALF for x in share)


def other_work(seconds: float = LOOK) -> int | None:
    """Cores of this process's CPUs taken now (before it trains anything: by other work); None where there is
    no /proc/stat to read."""
    try:
        cpus = os.sched_getaffinity(0)
        with open("/proc/stat") as f:
            before = f.read().splitlines()
        time.sleep(seconds)
        with open("/proc/stat") as f:
            after = f.read().splitlines()
        return busy_cores(before, after, cpus)
    except (OSError, AttributeError, ValueError, IndexError, ZeroDivisionError):  # no /proc/stat as Linux has it
        return None


def calm_threads(env: MutableMapping[str, str] | None = None, busy: float | None = None,
                 torch_loaded: bool | None = None) -> bool:
    """Set OMP_WAIT_POLICY=PASSIVE in `env` (the process's) when at least BUSY_CORES of its cores are taken
    (`busy`, else measured), unless it is set already, torch is loaded or one thread is asked for. Returns
    whether it was set."""
    env = os.environ if env is None else env
    if torch_loaded is None:
        torch_loaded = "torch" in sys.modules
    if "OMP_WAIT_POLICY" in env or torch_loaded or env.get("OMP_NUM_THREADS") == "1":
        return False  # set already, too late, or one thread: nothing spins
    if busy is None:
        busy = other_work()
    if busy is None or busy < BUSY_CORES:
        return False
    env["OMP_WAIT_POLICY"] = "PASSIVE"
    return True
