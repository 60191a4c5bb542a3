"""The forecasters a practitioner would otherwise pick, on the 21 built-in series.

Protocol (the issue's): fit on 2017-01-01…2020-12-31 once, then forecast every day of 2021 one
day ahead from the real history up to the day before (no refit); MAE in views over all of 2021
and over the book's test days 2021-01-01…2021-02-14 (L′).

    seasonal_naive  ŷ(t) = y(t − 7), the same weekday last week
    autoets         statsforecast AutoETS(season_length=7)    } StatsForecast(models=[m], freq='D')
    autoarima       statsforecast AutoARIMA(season_length=7)  } .cross_validation(h=1, step_size=1,
                                                                  n_windows=365, refit=False)
    prophet         Prophet() fitted on 2017–2020, predicting the 2021 dates. Prophet's forecast
                    depends on the date only, never on the previous days' values, so "fed the real
                    history, no refit" is the same as fit once, forecast 2021.
    lad_linear56    the exact least-absolute-deviation optimum of linear:56 (viewcast.exact),
                    targets in 2017–2020 (from 2017-02-26: 56 days of input before each), then
                    ŷ(t) = b + w·(the real 56 days before t).

    python -m benchmarks.peers                      # table from the cache, computing what is missing
    python -m benchmarks.peers --series wiki:Easter --refresh
    >>> from benchmarks.peers import peer_maes
    >>> peer_maes("wiki:Standard_deviation")["autoets"]["mae_2021"]   # doctest: +SKIP
    308.4…

Results are cached in benchmarks/results/peers.json, one entry per series, with the machine.
statsforecast and prophet are benchmark-only dependencies: benchmarks/requirements.txt.
"""
from __future__ import annotations

import argparse
import importlib.metadata
import json
import logging
import math
import os
import platform
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from viewcast.data import builtin as datasets
from viewcast.data import load_series
from viewcast.models.exact import exact_linear
from viewcast.features import make_windows

FIT = ("2017-01-01", "2020-12-31")  # every peer is fitted on these days only
TEST = ("2021-01-01", "2021-12-31")  # one-day-ahead forecasts for each of these days
EARLY = ("2021-01-01", "2021-02-14")  # the book's test days (L′), a part of TEST
K = 56  # days of input of the LAD linear model
PEERS = {  # key → label in tables
    "seasonal_naive": "seasonal naive",
    "autoets": "AutoETS",
    "autoarima": "AutoARIMA",
    "prophet": "Prophet",
    "lad_linear56": "LAD linear:56",
}
PROTOCOL = {
    "fit": list(FIT), "test": list(TEST), "early": list(EARLY), "horizon_days": 1, "refit": False,
    "statsforecast": "StatsForecast(models=[m], freq='D').cross_validation(df=2017..2021, h=1, "
                     "step_size=1, n_windows=365, refit=False)",
    "prophet": "Prophet() defaults, fit on 2017-2020, predict the 2021 dates",
    "lad_linear56": "viewcast.exact.exact_linear(loss='mae') on make_windows(k=56), targets 2017-02-26..2020-12-31",
}
RESULTS = Path(__file__).resolve().parent / "results" / "peers.json"


# ---------------------------------------------------------------------------------------------
# the forecasters: each takes the series cut at TEST's end (daily, 2017-01-01…2021-12-31) and
# returns one forecast per TEST day, indexed by date


def seasonal_naive(y: pd.Series) -> pd.Series:
    return y.shift(7).loc[TEST[0]:TEST[1]]


def _statsforecast(y: pd.Series, model) -> pd.Series:
    from statsforecast import StatsForecast

    n_test = len(y.loc[TEST[0]:TEST[1]])  # 365: the first cutoff is FIT's last day
    df = pd.DataFrame({"unique_id": y.name, "ds": y.index, "y": y.to_numpy()})
    cv = StatsForecast(models=[model], freq="D").cross_validation(
        df=df, h=1, step_size=1, n_windows=n_test, refit=False)
    if str(cv["cutoff"].min().date()) != FIT[1]:  # guard the protocol, not just the numbers
        raise RuntimeError(f"first cutoff {cv['cutoff'].min():%Y-%m-%d}, expected {FIT[1]}")
    return pd.Series(cv[repr(model)].to_numpy(), index=pd.DatetimeIndex(cv["ds"]))


def autoets(y: pd.Series) -> pd.Series:
    from statsforecast.models import AutoETS

    return _statsforecast(y, AutoETS(season_length=7))


def autoarima(y: pd.Series) -> pd.Series:
    from statsforecast.models import AutoARIMA

    return _statsforecast(y, AutoARIMA(season_length=7))


def prophet(y: pd.Series) -> pd.Series:
    from prophet import Prophet

    for name in ("cmdstanpy", "prophet"):  # one INFO line per fit otherwise
        log = logging.getLogger(name)
        if not log.handlers:  # cmdstanpy installs its own INFO handler only where none is set
            log.addHandler(logging.NullHandler())
        log.setLevel(logging.WARNING)
    train = y.loc[FIT[0]:FIT[1]]
    test_days = y.loc[TEST[0]:TEST[1]].index
    m = Prophet()
    m.fit(pd.DataFrame({"ds": train.index, "y": train.to_numpy()}))
    return pd.Series(m.predict(pd.DataFrame({"ds": test_days}))["yhat"].to_numpy(), index=test_days)


def lad_linear56(y: pd.Series) -> pd.Series:
    w = make_windows(y.to_numpy(), K, y.index[0])  # X (n, 56): the 56 days before dates[i]
    train = (w.dates >= pd.Timestamp(FIT[0])) & (w.dates <= pd.Timestamp(FIT[1]))
    test = (w.dates >= pd.Timestamp(TEST[0])) & (w.dates <= pd.Timestamp(TEST[1]))
    coef, b = exact_linear(w.X[train], w.y[train], "mae")
    return pd.Series(w.X[test] @ coef + b, index=w.dates[test])


FORECASTERS = {"seasonal_naive": seasonal_naive, "autoets": autoets, "autoarima": autoarima,
               "prophet": prophet, "lad_linear56": lad_linear56}


# ---------------------------------------------------------------------------------------------
# scoring one series


def series_for_protocol(name: str) -> pd.Series:
    """The series `name`, 2017-01-01…2021-12-31, checked complete (the peers need no gaps)."""
    y = load_series(name).to_pandas().loc[FIT[0]:TEST[1]]
    want = pd.date_range(FIT[0], TEST[1], freq="D")
    if not y.index.equals(want):
        raise ValueError(f"{name}: covers {y.index.min():%Y-%m-%d}…{y.index.max():%Y-%m-%d}, needs {FIT[0]}…{TEST[1]}")
    if not np.isfinite(y.to_numpy()).all():
        raise ValueError(f"{name}: {int((~np.isfinite(y.to_numpy())).sum())} missing days in {FIT[0]}…{TEST[1]}")
    return y


def score(forecast: pd.Series, y: pd.Series) -> dict:
    """MAE over TEST and EARLY; refuses a forecast that misses a day or is not finite."""
    actual = y.loc[TEST[0]:TEST[1]]
    f = forecast.reindex(actual.index)
    bad = int((~np.isfinite(f.to_numpy(dtype=float))).sum())
    if bad:
        raise ValueError(f"{bad} of {len(actual)} forecasts missing or not finite")
    err = (f - actual).abs()
    return {"mae_2021": float(err.mean()), "mae_early": float(err.loc[EARLY[0]:EARLY[1]].mean())}


def _first_line(e: BaseException) -> str:
    text = str(e).strip().splitlines()
    return f"{type(e).__name__}: {text[0] if text else ''}"[:300]


def compute(name: str, peers: list[str] | None = None) -> dict:
    """{peer: {mae_2021, mae_early, seconds}} for one series; a failing peer gets {error, seconds}."""
    out: dict = {}
    try:
        y = series_for_protocol(name)
    except Exception as e:  # noqa: BLE001 - recorded, the run goes on
        return {p: {"error": _first_line(e), "seconds": 0.0} for p in peers or FORECASTERS}
    for p in peers or FORECASTERS:
        t0 = time.perf_counter()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                out[p] = score(FORECASTERS[p](y), y)
        except Exception as e:  # noqa: BLE001 - a peer failing on one series must not stop the run
            out[p] = {"error": _first_line(e)}
        out[p]["seconds"] = round(time.perf_counter() - t0, 3)
    return out


# ---------------------------------------------------------------------------------------------
# the cache


def _version(pkg: str) -> str | None:
    try:
        return importlib.metadata.version(pkg)
    except importlib.metadata.PackageNotFoundError:
        return None


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() \
        else platform.processor()
    return {
        "nproc": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "cpu": cpu,
        "platform": platform.platform(),
        "python": platform.python_version(),
        **{pkg: _version(pkg) for pkg in ("torch", "statsforecast", "prophet", "numpy", "pandas", "scipy", "viewcast")},
        "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS"),
    }


def _cache_key() -> dict:
    """What a cached number depends on besides the data: a change recomputes."""
    return {"protocol": PROTOCOL, "statsforecast": _version("statsforecast"), "prophet": _version("prophet")}


def load_cache(path: Path = RESULTS) -> dict:
    if not path.is_file():
        return {"series": {}}
    try:
        doc = json.loads(path.read_text())
    except (OSError, json.JSONDecodeError):
        return {"series": {}}
    return doc if isinstance(doc.get("series"), dict) else {"series": {}}


def save_cache(doc: dict, path: Path = RESULTS) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    doc = {k: doc[k] for k in ("key", "machine", "series") if k in doc} | doc  # the header first
    tmp.write_text(json.dumps(doc, indent=1) + "\n")
    os.replace(tmp, path)  # atomic: a killed run never leaves half a file


def peer_maes(series_name: str, *, refresh: bool = False, cache: Path | None = RESULTS) -> dict:
    """{peer: {"mae_2021", "mae_early", "seconds"}} (or {"error", "seconds"}) for one series,
    from the cache when it was computed under the same protocol and peer versions.

    Keys: seasonal_naive, autoets, autoarima, prophet, lad_linear56. MAE in views per day.
    """
    doc = load_cache(cache) if cache else {"series": {}}
    key = _cache_key()
    hit = doc["series"].get(series_name)
    missing = [pkg for pkg in ("statsforecast", "prophet") if _version(pkg) is None]
    cached_key = doc.get("key") or {}
    same = cached_key == key or (missing and cached_key.get("protocol") == PROTOCOL)  # no peers here: read only
    if hit and not refresh and same and set(hit.get("peers", {})) >= set(FORECASTERS):
        return hit["peers"]
    if missing:  # refuse before touching the cache: a run without them would overwrite it with errors
        raise RuntimeError(f"{', '.join(missing)} not installed: pip install -r benchmarks/requirements.txt")
    peers = compute(series_name)
    if cache:
        doc = load_cache(cache)  # re-read: another run may have written meanwhile
        if doc.get("key") != key:  # old protocol or versions: start over
            doc = {"series": {}}
        doc.update(key=key, machine=machine())
        doc["series"][series_name] = {"peers": peers, "measured": time.strftime("%Y-%m-%dT%H:%M:%S")}
        doc["series"] = {n: doc["series"][n] for n in sorted(doc["series"], key=_order)}
        save_cache(doc, cache)
    return peers


def _order(name: str) -> int:
    names = datasets.names()
    return names.index(name) if name in names else len(names)


def best_peer(peers: dict, which: str = "mae_2021") -> tuple[str, float] | None:
    """(peer, MAE) of the lowest `which` MAE among the peers that did not fail."""
    ok = [(p, r[which]) for p, r in peers.items() if which in r and math.isfinite(r[which])]
    return min(ok, key=lambda t: t[1]) if ok else None


# ---------------------------------------------------------------------------------------------
# the table


def table(results: dict[str, dict], which: str) -> str:
    cols = list(PEERS)
    head = f"{'series':32s}" + "".join(f"{PEERS[c]:>16s}" for c in cols) + "   best"
    lines = [head, "-" * len(head)]
    for name, peers in results.items():
        best = best_peer(peers, which)
        cells = []
        for c in cols:
            r = peers.get(c, {})
            cell = "failed" if "error" in r else f"{r[which]:,.0f}" if which in r else "—"
            cells.append(f"{cell + ('*' if best and best[0] == c else ' '):>16s}")
        short = name if len(name) <= 32 else name[:31] + "…"
        lines.append(f"{short:32s}" + "".join(cells) + f"   {PEERS[best[0]] if best else '—'}")
    return "\n".join(lines)


def summary(results: dict[str, dict]) -> str:
    lines = []
    for which, what in (("mae_2021", "all 2021"), ("mae_early", "2021-01-01…02-14")):
        wins = {p: 0 for p in PEERS}
        for peers in results.values():
            b = best_peer(peers, which)
            if b:
                wins[b[0]] += 1
        lines.append(f"best on {what}: " + ", ".join(f"{PEERS[p]} {n}" for p, n in wins.items()))
    secs = {p: sum(r[p].get("seconds", 0.0) for r in results.values() if p in r) for p in PEERS}
    lines.append("seconds (sum over series): " + ", ".join(f"{PEERS[p]} {s:,.1f}" for p, s in secs.items()))
    fails = [f"{n} {PEERS[p]}: {r['error']}" for n, peers in results.items() for p, r in peers.items() if "error" in r]
    lines += ["failed: " + f for f in fails]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--series", nargs="+", metavar="NAME", help="built-in names (default: all 21)")
    ap.add_argument("--refresh", action="store_true", help="recompute even what the cache holds")
    ap.add_argument("--no-cache", action="store_true", help="neither read nor write benchmarks/results/peers.json")
    ap.add_argument("--json", action="store_true", help="print the results as one JSON document")
    args = ap.parse_args(argv)
    names = args.series or datasets.names()
    t0 = time.perf_counter()
    results = {}
    for i, name in enumerate(names, 1):
        t = time.perf_counter()
        try:
            results[name] = peer_maes(name, refresh=args.refresh, cache=None if args.no_cache else RESULTS)
        except RuntimeError as e:
            print(f"peers.py: {e}", file=sys.stderr)
            return 2
        print(f"[{i}/{len(names)}] {name}: {time.perf_counter() - t:.1f}s", file=sys.stderr, flush=True)
    if args.json:
        print(json.dumps({"series": results, "machine": machine()}, indent=1))
        return 0
    print(f"MAE (views/day), one day ahead, fit {FIT[0]}…{FIT[1]}, no refit; * = best\n")
    print("all of 2021\n" + table(results, "mae_2021") + "\n")
    print("2021-01-01…2021-02-14 (the book's L′ days)\n" + table(results, "mae_early") + "\n")
    print(summary(results))
    print(f"\n{time.perf_counter() - t0:,.1f}s in this run (cached series take none)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
