"""Do viewcast's forecast intervals hold? (issue 12). On the 21 built-in series, rolling origin
through 2021: every week (origins 2021-01-01, 01-08, …, 12-24) refit to the day before and forecast
7 days; the empirical coverage of the 80% and 95% intervals 1 and 7 days ahead, pooled over the
series and per series, and the mean interval width — beside statsforecast's AutoETS with conformal
intervals on the same origins (benchmarks/calibration_peers.py, cached in results/calibration_peers.json).

    python benchmarks/calibration.py [--series NAME ...] [--selector default|1se-early]
    python benchmarks/calibration.py --series A B --out a.json & …; python benchmarks/calibration.py --merge a.json b.json

What viewcast does at each origin is `viewcast forecast`'s path, with two shortcuts that keep the
run to minutes (both said in the results): the model (spec, log/weekday, updates) is chosen once,
by the forecast's own validation on the days through 2020-12-31; and the calibration backtest's
refits (every 28 days) are shared by the origins — origin o calibrates on the rolling-origin
forecasts that start in the 364 days before o and end before o, as `viewcast forecast` would at o.
All 21 series run together: the candidates of every series are members of one engine run per
spec × features, and the weekly refits (and the 28-day backtest refits) of the series that chose the
same model are members of one run.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from peers import machine  # noqa: E402

from viewcast.data import builtin, load_series  # noqa: E402
from viewcast.data.series import DailySeries  # noqa: E402
from viewcast.evaluate.candidates import compare_many, updates_chosen  # noqa: E402
from viewcast.evaluate.rules import blend_of, blend_items  # noqa: E402
from viewcast.evaluate.validation import parse_scheme  # noqa: E402
from viewcast.features.prepare import through_end  # noqa: E402
from viewcast.forecasting.backtest import backtest_many  # noqa: E402
from viewcast.forecasting.conformal import Calibration  # noqa: E402
from viewcast.forecasting.forecast import (BACKTEST_ENSEMBLE, MODELS, PATIENCE, RULE, SEEDS, VALIDATION,  # noqa: E402
                                        candidates_for, mean_backtest)
from viewcast.models import parse  # noqa: E402
from viewcast.train import TrainConfig, seed_stream  # noqa: E402

OUT = HERE / "results" / "calibration.json"
PEERS = HERE / "results" / "calibration_peers.json"
FIRST_ORIGIN, ORIGINS, H, LAST = pd.Timestamp("2021-01-01"), 52, 7, pd.Timestamp("2021-12-30")
LEVELS = (80, 95)


def cut(s: DailySeries, last: pd.Timestamp) -> DailySeries:
    return s.between(None, last)


SELECTORS = {  # what `viewcast forecast` is run with
    # forecast's defaults; its intervals come from one-member backtests (forecast.BACKTEST_ENSEMBLE), which
    # is what is measured here (the 9-member refit's point forecast is not: 52 weekly refits × 9 members)
    "default": {"early_stop": None, "seeds": SEEDS, "rule": RULE, "ensemble": BACKTEST_ENSEMBLE},
    "1se-early": {"early_stop": PATIENCE, "seeds": 1, "rule": "1se", "ensemble": 1},  # the defaults until issue 13
}


def viewcast_origins(names: list[str], seed: int = 0, selector: str = "default") -> dict:
    """Every series at once: the candidates are members of one engine run per spec × features, and
    the backtests of the series that chose the same model are members of one run each. A blend's
    backtests are its members' weighted mean (`forecast.mean_backtest`), as `viewcast forecast` does."""
    sel = SELECTORS[selector]
    series = [cut(load_series(n), LAST) for n in names]
    pasts = [cut(s, FIRST_ORIGIN - pd.Timedelta(days=1)) for s in series]
    config = TrainConfig(seed=seed, early_stop=sel["early_stop"])
    specs, feats = candidates_for(pasts, list(MODELS))
    ks = {parse(sp).k for sp in specs}
    history = max(ks)
    prepared = [{f: {k: through_end(p, k, history, True, f) for k in ks} for f in feats} for p in pasts]
    cands = compare_many(prepared, specs, parse_scheme(VALIDATION), config, seed_stream(seed, sel["seeds"]))
    weighted = [blend_of(c, sel["rule"]) for c in cands]
    members = [[c for c, _ in cw] for cw in weighted]
    groups: dict[tuple, list[tuple]] = {}
    for i, ms in enumerate(members):
        for c in ms:
            groups.setdefault((c.spec, c.features), []).append((i, c))
    done = {}
    for (spec, features), jobs in groups.items():
        ser = [series[i] for i, _ in jobs]
        stops = [updates_chosen(c) for _, c in jobs]
        n_first = [(FIRST_ORIGIN - s.start).days for s in ser]
        # calibration start days from 364 days before the first origin; forecasts from each origin
        cal_days = min(len(s) - (n - 364) for s, n in zip(ser, n_first))
        fc_days = min(len(s) - n for s, n in zip(ser, n_first))
        bts_cal = backtest_many(ser, spec, features, config, H, stops, sel["ensemble"], days=cal_days, every=28,
                                history=history)
        bts_fc = backtest_many(ser, spec, features, config, H, stops, sel["ensemble"], days=fc_days, every=7,
                               history=history)
        for (i, c), bt_cal, bt_fc in zip(jobs, bts_cal, bts_fc):
            done[i, c.label] = (bt_cal, bt_fc)
    out = {}
    for i, (ms, cw) in enumerate(zip(members, weighted)):
        w = [x for _, x in cw]
        cal = mean_backtest([done[i, c.label][0] for c in ms], w)
        fc = mean_backtest([done[i, c.label][1] for c in ms], w)
        out[names[i]] = {"chosen": " | ".join(blend_items([c.label for c in ms], w)), "updates": [updates_chosen(c) for c in ms],
                         "origins": origins(cal, fc, all(c.features.log for c in ms))}
    return out


def origins(bt_cal, bt_fc, log: bool) -> dict:
    """Each weekly origin's 7-day forecast with intervals calibrated on what was known at it."""
    out = {}
    for j in range(ORIGINS):
        o = FIRST_ORIGIN + pd.Timedelta(days=7 * j)
        row = int(np.flatnonzero(bt_fc.starts == o)[0])
        pred, actual = bt_fc.pred[row], bt_fc.actual[row]
        t = bt_cal.starts
        known = (t >= o - pd.Timedelta(days=364)) & (t < o)
        ends = t[known].values[:, None] + np.arange(H).astype("timedelta64[D]")[None, :]  # (P, H) day forecast
        act = np.where(ends < o.to_datetime64(), bt_cal.actual[known], np.nan)  # only days already seen at o
        cal = Calibration.from_residuals(act, bt_cal.pred[known], log, tuple(lv / 100 for lv in LEVELS))
        rec = {"actual": actual.tolist(), "forecast": pred.tolist()}
        for lv in LEVELS:
            lo, hi = cal.interval(pred, lv / 100)
            rec[f"lower{lv}"], rec[f"upper{lv}"] = np.maximum(lo, 0).tolist(), np.maximum(hi, 0).tolist()
        out[f"{o:%Y-%m-%d}"] = rec
    return out


def coverage(origins: dict, h: int, lv: int) -> tuple[int, int, float]:
    """(covered, total, mean width) of the level-lv interval h days ahead over the origins."""
    hit = tot = 0
    widths = []
    for r in origins.values():
        y, lo, hi = r["actual"][h - 1], r[f"lower{lv}"][h - 1], r[f"upper{lv}"][h - 1]
        if y is None or not np.isfinite(y):
            continue
        tot += 1
        hit += lo <= y <= hi
        widths.append(hi - lo)
    return hit, tot, float(np.mean(widths)) if widths else float("nan")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--series", nargs="*")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--summary", action="store_true", help="only the summary, from the cached results")
    ap.add_argument("--selector", default="default", choices=list(SELECTORS))
    ap.add_argument("--out", help="results file (default: results/calibration.json, or calibration_<selector>.json)")
    ap.add_argument("--merge", nargs="*", help="add these --out files' series (runs made in parallel) and summarize")
    a = ap.parse_args()
    names = a.series or builtin.names()
    out = Path(a.out) if a.out else OUT if a.selector == "default" else OUT.with_name(f"calibration_{a.selector}.json")
    doc = json.loads(out.read_text()) if out.exists() else {"series": {}}
    peers = json.loads(PEERS.read_text())["series"] if PEERS.exists() else {}
    if a.merge:  # runs made in parallel, a part of the series each: their seconds add up
        doc = {"series": {}, "seconds": 0.0}
    for f in a.merge or []:
        part = json.loads(Path(f).read_text())
        if part["selector"] != SELECTORS[a.selector]:
            sys.exit(f"{f} was run with {part['selector']}, not --selector {a.selector} ({SELECTORS[a.selector]})")
        doc["series"].update(part["series"])
        doc["seconds"] += part["seconds"]
        doc.update({k: part[k] for k in ("machine", "protocol", "seed", "selector")})
    if not a.summary and not a.merge:
        doc["machine"], doc["protocol"] = machine(), __doc__.split("\n\n")[2].strip()
        t0 = time.perf_counter()
        got = viewcast_origins(names, a.seed, a.selector)
        doc["seconds"], doc["seed"], doc["selector"] = time.perf_counter() - t0, a.seed, SELECTORS[a.selector]
        doc["series"] = got
        out.write_text(json.dumps(doc))
        for name in names:
            print(f"{name:50s} {got[name]['chosen']}", flush=True)
        print(f"{len(names)} series in {doc['seconds']:.0f} s", flush=True)
    summary = {}
    for who, table in (("viewcast", {n: v["origins"] for n, v in doc["series"].items()}),
                       ("autoets", {n: v["origins"] for n, v in peers.items() if n in doc["series"]})):
        for h in (1, H):
            for lv in LEVELS:
                per = {n: coverage(o, h, lv) for n, o in table.items()}
                hit, tot = sum(p[0] for p in per.values()), sum(p[1] for p in per.values())
                summary[f"{who} h{h} {lv}%"] = {
                    "pooled_coverage": hit / tot if tot else None, "days": tot,
                    "per_series": {n: p[0] / p[1] for n, p in per.items() if p[1]},
                    "mean_width": {n: p[2] for n, p in per.items()}}
    doc["summary"] = summary
    out.write_text(json.dumps(doc))
    print(f"{'':18s} {'viewcast':>10s} {'AutoETS':>10s}   median width ratio (viewcast ÷ AutoETS)")
    for h in (1, H):
        for lv in LEVELS:
            v, e = summary[f"viewcast h{h} {lv}%"], summary.get(f"autoets h{h} {lv}%", {})
            ratios = [v["mean_width"][n] / e["mean_width"][n] for n in v["mean_width"]
                      if e.get("mean_width", {}).get(n)]
            pc = e.get("pooled_coverage")
            print(f"{h}-day, {lv}% interval {100 * v['pooled_coverage']:9.1f}% "
                  f"{(f'{100 * pc:9.1f}%' if pc is not None else '         —')}   "
                  f"{(f'{statistics.median(ratios):.3f}' if ratios else '—')}")
    # AutoETS's intervals cover less than they say: compare widths where the coverages are about equal
    # (viewcast's 80% interval against AutoETS's 95%), on the series both ran
    both = [n for n in summary.get("autoets h1 95%", {}).get("mean_width", {}) if n in doc["series"]]
    same = {}
    for h in (1, H):
        v, e = summary[f"viewcast h{h} 80%"], summary[f"autoets h{h} 95%"] if both else None
        if not both:
            continue
        same[f"h{h}"] = {"series": len(both), "viewcast80_coverage": statistics.mean(v["per_series"][n] for n in both),
                         "autoets95_coverage": statistics.mean(e["per_series"][n] for n in both),
                         "median_width_ratio": statistics.median(v["mean_width"][n] / e["mean_width"][n] for n in both)}
        x = same[f"h{h}"]
        print(f"{h}-day, about equal coverage on the {len(both)} series both ran: viewcast 80% covers "
              f"{100 * x['viewcast80_coverage']:.1f}%, AutoETS 95% covers {100 * x['autoets95_coverage']:.1f}%; "
              f"width ratio (viewcast ÷ AutoETS) {x['median_width_ratio']:.3f}")
    doc["same_coverage"] = same
    out.write_text(json.dumps(doc))


if __name__ == "__main__":
    main()
