"""A process's own peak memory. Not `ru_maxrss`: a child started by subprocess (vfork, then exec) keeps
its parent's high-water mark there (a 600 MB parent: ru_maxrss 597 MB in a fresh `python -c`, VmHWM
8 MB), so a benchmark's worker would report at least its driver's peak. VmHWM belongs to the process's
own memory map, new at exec."""
from __future__ import annotations

import resource


def peak_rss_mb() -> float:
    """This process's peak resident memory in MB (MiB): /proc/self/status' VmHWM on Linux, else ru_maxrss
    (Linux and BSD count it in KiB; macOS in bytes, which this overstates, never understates)."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
