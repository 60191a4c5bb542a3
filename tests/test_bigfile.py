"""Big inputs: a 10-million-row CSV loads in memory bounded by the data and `data show`
on it stays fast.

10 million *days* do not fit pandas' calendar (1677–2262), so the honest big file is 10 million
one-minute rows (2000-01-01 00:00 … 2019-01-05 10:39, 230 MB), which the loader sums to 6,945
daily totals — the shape of a per-minute analytics export. VIEWCAST_BIG_ROWS changes the size."""
import json
import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

ROWS = int(os.environ.get("VIEWCAST_BIG_ROWS", 10_000_000))


def write_minutely(path, n: int, start: str = "2000-01-01", seed: int = 0, days_per_chunk: int = 500) -> None:
    """`timestamp,views` with one row a minute, built byte by byte in numpy (2 s for 10M rows)."""
    rng = np.random.default_rng(seed)
    minutes = np.arange(1440)
    tod = np.empty((1440, 6), np.uint8)  # b' HH:MM'
    tod[:, 0], tod[:, 3] = ord(" "), ord(":")
    for pos, digit in ((1, minutes // 600), (2, minutes // 60 % 10), (4, minutes % 60 // 10), (5, minutes % 10)):
        tod[:, pos] = ord("0") + digit
    day0 = np.datetime64(start, "D")
    with open(path, "wb") as f:
        f.write(b"timestamp,views\n")
        for d in range(0, -(-n // 1440), days_per_chunk):
            nd = min(days_per_chunk, -(-n // 1440) - d)
            dates = np.datetime_as_string(day0 + np.arange(d, d + nd)).astype("S10")
            buf = np.empty((nd, 1440, 23), np.uint8)  # b'YYYY-MM-DD HH:MM,VVVVV\n'
            buf[:, :, :10] = np.frombuffer(dates.tobytes(), np.uint8).reshape(nd, 1, 10)
            buf[:, :, 10:16] = tod
            buf[:, :, 16], buf[:, :, 22] = ord(","), ord("\n")
            views = rng.integers(10_000, 100_000, (nd, 1440))
            for i in range(5):
                buf[:, :, 21 - i] = ord("0") + views // 10 ** i % 10
            f.write(buf.reshape(-1, 23)[: n - d * 1440].tobytes())


PROBE = r"""
import json, os, resource, sys, time
from viewcast.cli import app
def status_kib(field):  # this process's own memory map (Linux); elsewhere ru_maxrss, which only overstates
    try:
        with open("/proc/self/status") as f:
            return next(int(l.split()[1]) for l in f if l.startswith(field + ":"))
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
before = status_kib("VmRSS")
t = time.perf_counter()
try:
    app(["data", "show", sys.argv[1], "--json"], standalone_mode=False)
finally:
    after = status_kib("VmHWM")  # not ru_maxrss: a child of subprocess keeps its parent's peak there (CI: pytest's)
    sys.stderr.write(json.dumps({"seconds": time.perf_counter() - t, "kib_before": before, "kib_after": after}) + "\n")
"""


@pytest.mark.slow
def test_ten_million_rows_bounded_memory_and_fast_data_show(tmp_path):
    path = tmp_path / "minutes.csv"
    write_minutely(path, ROWS)
    size = path.stat().st_size
    r = subprocess.run([sys.executable, "-c", PROBE, str(path)], capture_output=True, text=True,
                       env={**os.environ, "OMP_NUM_THREADS": "1"}, timeout=300)
    assert r.returncode == 0, r.stderr
    info = json.loads(r.stdout)
    probe = json.loads(r.stderr.strip().splitlines()[-1])
    days = -(-ROWS // 1440)
    assert info["days"] == days and info["missing_days"] == 0
    assert info["start"] == "2000-01-01" and any("summed to" in n for n in info["notes"])
    grown = (probe["kib_after"] - probe["kib_before"]) * 1024  # peak RSS (VmHWM) over the RSS before, bytes
    print(f"\n{ROWS:,} rows, {size / 1e6:.0f} MB: data show took {probe['seconds']:.1f} s, "
          f"peak RSS grew by {grown / 1e6:.0f} MB ({grown / size:.2f}× the file)")
    # The whole frame as Python strings would be ~6× the file; chunks of CHUNK_ROWS rows take 36 MB here
    # (0.16×, 2-core AMD EPYC; chunks 8× as long took 154 MB), and this bound leaves room for another allocator.
    assert grown < size / 4 + 50e6
    assert probe["seconds"] < 120  # ~20 s on the shared 2-core dev machine


def test_generated_file_is_what_it_says(tmp_path):
    path = tmp_path / "m.csv"
    write_minutely(path, 1500)
    df = pd.read_csv(path)
    assert len(df) == 1500 and df["timestamp"].iloc[0] == "2000-01-01 00:00" and df["timestamp"].iloc[-1] == "2000-01-02 00:59"
    assert df["views"].between(10_000, 99_999).all()
