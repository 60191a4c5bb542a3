"""viewcast's validation-chosen model against the peers of benchmarks/peers.py (issues 7 and 13), for
several seeds and three selectors, same protocol: fit on 2017-01-01…2020-12-31, one-day-ahead on every
day of 2021 fed the real history, no refit; MAE in views over all of 2021 (and the book's 01-01…02-14).

Selectors (the choice is made on 2017–2020 only; the test period is scored once, after it):
    old  hold-out on the last 10% of 2017–2020, one seed, the lowest mean validation MAE (issue 7's);
         candidates linear:56, relu:56x100, relu:56x1000, relu:56x100x2 × {plain, log, weekday, both};
         1,000 updates
    new  rolling origins (the last 20% of 2017–2020 in 4 blocks, each after all days before it), two
         seeds per candidate, the 1-SE rule (the simplest candidate within one paired standard error
         of the best); early stopping (patience 100) and a refit for the updates it chose; candidates
         linear:56, relu:56x100, relu:56x100x2 × the same four (relu:56x1000 costs ten times the
         others in every run, see benchmarks/README.md)
    full the new selector without early stopping: every member trains the whole cosine schedule (η
         decays to 0), so a refit ends converged rather than at an update count where η is still large
    full4 the full selector with four seeds per candidate instead of two (a steadier tie set, twice the cost)
    forecast  `viewcast forecast`'s default (forecast.py: MODELS linear:56 and relu:56x100 × the four,
         VALIDATION rolling:4, SEEDS 2, whole schedules, RULE ratio, each refit an ENSEMBLE of 9)
From the same validation runs, every selector but old also reports (only the refits differ):
    -min    the lowest mean validation MAE instead of the selector's rule
    -1se    the 1-SE rule (for a selector whose rule is another)
    -blend  the mean forecast of the 3 candidates with the lowest mean validation MAE
    -tie    the mean forecast of the best and every candidate within one paired standard error of it
    -soft   every candidate weighted exp(−z) by its paired log-MAE ratio to the best (evaluate.rules)
    -ratio  every candidate weighted (the best's geometric-mean validation MAE ÷ its own)^RATIO_POWER (evaluate.rules;
            5 until seeds 9–11 chose 2: results/vs_peers.json keeps power 5's runs as forecast-2seeds-p5*; --from-study
            refuses their two-seed files now that forecast validates with 4, so they cannot be rebuilt as they are)
All but `forecast` refit the choice as a 3-seed ensemble (--ensemble). All 21 series go through one engine run per candidate
(series × folds × seeds are its members).

    python benchmarks/vs_peers.py [--seeds 0 1 2] [--selector forecast new full full4 old] [--series NAME ...]
    python benchmarks/vs_peers.py --selector forecast --from-study A_0.npz B_0.npz A_1.npz …   # no training

Peers' numbers come from benchmarks/results/peers.json (python benchmarks/peers.py makes it).
Results: benchmarks/results/vs_peers.json, written after each (selector, seed).
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from peers import EARLY, FIT, PEERS, TEST, best_peer, machine, peer_maes  # noqa: E402

from viewcast.data import builtin, load_series  # noqa: E402
from viewcast.evaluate.rules import blend_of, blend_items  # noqa: E402
from viewcast.forecasting.forecast import ENSEMBLE as FC_ENSEMBLE, MODELS, RULE, SEEDS, VALIDATION  # noqa: E402
from viewcast.evaluate.select import refit_many, select_many  # noqa: E402
from viewcast.evaluate.validation import parse_scheme  # noqa: E402
from viewcast.features import SEARCH, choose_split, prepare_all  # noqa: E402
from viewcast.models import parse  # noqa: E402
from viewcast.train import TrainConfig, seed_stream  # noqa: E402

OUT = HERE / "results" / "vs_peers.json"
SELECTORS = {
    "old": {"specs": ["linear:56", "relu:56x100", "relu:56x1000", "relu:56x100x2"], "scheme": "holdout:0.1",
            "seeds": 1, "rule": "min", "early_stop": None},
    "new": {"specs": ["linear:56", "relu:56x100", "relu:56x100x2"], "scheme": "rolling:4",
            "seeds": 2, "rule": "1se", "early_stop": 100},
    "full": {"specs": ["linear:56", "relu:56x100", "relu:56x100x2"], "scheme": "rolling:4",
             "seeds": 2, "rule": "1se", "early_stop": None},
    "full4": {"specs": ["linear:56", "relu:56x100", "relu:56x100x2"], "scheme": "rolling:4",
              "seeds": 4, "rule": "1se", "early_stop": None},
    # what `viewcast forecast` chooses with by default (forecast.py's MODELS, VALIDATION, SEEDS, ENSEMBLE;
    # whole schedules): its rule and the others are the variants (-min, -tie, -blend) of these runs
    "forecast": {"specs": list(MODELS), "scheme": VALIDATION, "seeds": SEEDS, "rule": RULE, "early_stop": None,
                 "ensemble": FC_ENSEMBLE},
}
ENSEMBLE = 3
BLEND = 3  # -blend averages this many top candidates


def run(selector: str, seed: int, names: list[str]) -> dict[str, dict]:
    """{selector: result}, and for a 1-SE selector also {"<selector>-min" | "-blend" | "-tie": …}: other
    choices from the same validation runs (only the refits differ)."""
    cfg = SELECTORS[selector]
    series = [load_series(n) for n in names]
    splits = [choose_split(s, FIT[0], FIT[1], TEST[0], TEST[1]) for s in series]
    config = TrainConfig(seed=seed, early_stop=cfg["early_stop"])
    ensemble = cfg.get("ensemble", ENSEMBLE)
    t0 = time.perf_counter()
    sels = select_many(series, splits, cfg["specs"], parse_scheme(cfg["scheme"]), config,
                       seed_stream(seed, cfg["seeds"]), features=SEARCH, ensemble=ensemble, rule=cfg["rule"])
    out = {selector: {"series": {sel.source: averaged(sel.blend, list(zip(sel.blend_refits, sel.blend_data)),
                                                      sel.blend_weights)
                                 if sel.blend else scored(sel.chosen, sel.refit, sel.data, sel.near_tie)
                                 for sel in sels}, "seconds": time.perf_counter() - t0}}
    if cfg["rule"] != "min":  # other choices from the same validation runs: only their refits differ
        ks = [parse(x).k for x in cfg["specs"]]
        variants = {r: [blend_of(sel.candidates, r) for sel in sels] for r in ("min", "1se", "tie", "soft", "ratio")}
        variants["blend"] = [[(c, 1 / BLEND) for c in sorted(sel.candidates, key=lambda c: c.val_mean)[:BLEND]]
                             for sel in sels]
        variants.pop(cfg["rule"], None)  # that one is the selector itself
        refits = {(i, sel.chosen.label): (sel.refit, sel.data) for i, sel in enumerate(sels)}  # refit once only
        refits.update({(i, c.label): (r, d) for i, sel in enumerate(sels)
                       for c, r, d in zip(sel.blend, sel.blend_refits, sel.blend_data)})
        todo = {(i, c.label): c for sets in variants.values() for i, cs in enumerate(sets) for c, _ in cs
                if (i, c.label) not in refits}
        keys = list(todo)
        data = [prepare_all(series[i], ks, splits[i], config.normalize, todo[i, lab].features)[parse(todo[i, lab].spec).k]
                for i, lab in keys]
        refits.update(zip(keys, zip(refit_many([todo[k] for k in keys], data, config, ensemble=ensemble), data)))
        for name, sets in variants.items():
            out[f"{selector}-{name}"] = {"series": {sel.source: averaged([c for c, _ in cs],
                                                                         [refits[i, c.label] for c, _ in cs],
                                                                         [w for _, w in cs])
                                                    for i, (sel, cs) in enumerate(zip(sels, sets))},
                                         "seconds": time.perf_counter() - t0}
    return out


def from_study(files: list[str], selector: str, only: list[str] | None = None) -> dict[str, dict[str, dict]]:
    """A selector's results from selector_study.py's runs instead of training again: the same validation
    (compare_many) and refits (refit_many, the first members of each refit), every candidate refit, so
    each rule is its weights over them. {name: {seed: result}} with the names run() gives."""
    from selector_study import merged, weights

    cfg = SELECTORS[selector]
    docs = merged(files)
    for d in docs:  # files from before these were kept say nothing: they were the full selector's
        got = (str(d.get("scheme", "rolling:4")), int(d.get("val_seeds", 2)), int(d.get("early_stop", -1)))
        want = (cfg["scheme"], cfg["seeds"], -1 if cfg["early_stop"] is None else cfg["early_stop"])
        if got != want:
            sys.exit(f"the study's runs were {got} (scheme, seeds, early stop), --selector {selector} is {want}")
    keep = np.array([lab.split(" ")[0] in cfg["specs"] for lab in docs[0]["labels"]])
    size = list(docs[0]["sizes"]).index(cfg.get("ensemble", ENSEMBLE))
    early = slice(0, (np.datetime64(EARLY[1]) - np.datetime64(EARLY[0])).astype(int) + 1)  # the test days start at TEST[0]
    out: dict[str, dict[str, dict]] = {}
    rules = {selector: cfg["rule"], **{f"{selector}-{r}": r for r in ("min", "1se", "tie", "soft", "ratio") if r != cfg["rule"]},
             f"{selector}-blend": f"top{BLEND}"}
    for name, rule in rules.items():
        for d in docs:
            res = {}
            for j, n in enumerate(d["names"]):
                if only and str(n) not in only:
                    continue
                val, labels = d["val"][j][keep], d["labels"][keep]
                w = weights(val, rule, d["params"][keep], labels)
                used = sorted(np.flatnonzero(w), key=lambda c: (-w[c], val[c].mean()))  # heaviest first
                pred = sum(w[c] * d["pred"][j][np.flatnonzero(keep)[c], size] for c in used)
                y = d["y"][j]
                res[str(n)] = {"chosen": " | ".join(blend_items([str(labels[c]) for c in used], [w[c] for c in used])),
                               "val_mae": float(sum(w[c] * val[c].mean() for c in used)),  # weighted as the forecast
                               "val_mae_std": float(val[used[0]].std(ddof=1)) if len(used) == 1 else None,
                               "near_tie": None, "mae_2021": float(np.mean(np.abs(pred - y))),
                               "mae_early": float(np.mean(np.abs(pred[early] - y[early])))}
            out.setdefault(name, {})[str(int(d["seed"]))] = {  # seconds: the study's, which refit EVERY candidate
                "series": res, "seconds": float(d["t_val"] + d["t_refit"]), "from_study": [str(f) for f in files]}
    return out


def averaged(cands, fitted, weights=None) -> dict:
    """The scores of the (weighted) mean forecast of several refit candidates (one: that candidate alone)."""
    test = fitted[0][1].test
    pred = np.average([r.predict(d.test.X, d.test.dates) for r, d in fitted], axis=0, weights=weights)
    early = (test.dates >= EARLY[0]) & (test.dates <= EARLY[1])
    return {"chosen": " | ".join(blend_items([c.label for c in cands], weights)),
            "val_mae": float(np.average([c.val_mean for c in cands], weights=weights)),
            "val_mae_std": cands[0].val_std if len(cands) == 1 else None, "near_tie": None,
            "mae_2021": float(np.mean(np.abs(pred - test.y))), "mae_early": float(np.mean(np.abs(pred[early] - test.y[early])))}


def scored(chosen, refit, data, tie) -> dict:
    return {**averaged([chosen], [(refit, data)]), "near_tie": tie["model"] if tie else None}


def summarize(doc: dict) -> dict:
    summary = {}
    for selector, by_seed in doc["runs"].items():
        per_seed = {}
        for seed, r in by_seed.items():
            ratios = {n: v["mae_2021"] / doc["best_peer"][n]["mae_2021"] for n, v in r["series"].items()}
            per_seed[seed] = {"wins": sum(x < 1 for x in ratios.values()), "series": len(ratios),
                              "median_ratio": statistics.median(ratios.values()), "ratios": ratios}
        names = set.intersection(*(set(r["series"]) for r in by_seed.values()))
        spread = {n: max(r["series"][n]["mae_2021"] for r in by_seed.values())
                  / min(r["series"][n]["mae_2021"] for r in by_seed.values()) - 1 for n in names}
        summary[selector] = {"per_seed": per_seed,
                             "worst_wins": min(p["wins"] for p in per_seed.values()),
                             "worst_median_ratio": max(p["median_ratio"] for p in per_seed.values()),
                             "max_spread": max(spread.values()) if spread else None, "spread": spread}
    return summary


def main() -> None:
    global ENSEMBLE
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", nargs="*", type=int, default=[0, 1, 2])
    ap.add_argument("--selector", nargs="*", default=["forecast"], choices=list(SELECTORS))
    ap.add_argument("--series", nargs="*", default=None)
    ap.add_argument("--out", help="write here instead of results/vs_peers.json (runs in parallel)")
    ap.add_argument("--ensemble", type=int, default=ENSEMBLE, help="members of each refit (3)")
    ap.add_argument("--merge", nargs="*", help="merge these --out files into results/vs_peers.json and summarize")
    ap.add_argument("--from-study", nargs="*", help="score --selector from selector_study.py's .npz files "
                    "(every seed's runs) instead of training again")
    a = ap.parse_args()
    names = a.series or builtin.names()
    ENSEMBLE = a.ensemble
    out = Path(a.out) if a.out else OUT
    if a.merge:  # runs made in parallel (one --out file each) into results/vs_peers.json
        doc = json.loads(OUT.read_text()) if OUT.exists() else {"runs": {}}
        for f in a.merge:
            for sel, by_seed in json.loads(Path(f).read_text())["runs"].items():
                doc["runs"].setdefault(sel, {}).update(by_seed)
        doc["summary"] = summarize(doc)
        OUT.write_text(json.dumps(doc, indent=1))
        return report(doc, names)
    doc = json.loads(out.read_text()) if out.exists() else {}
    if "runs" not in doc:
        doc = {"runs": {}}  # a file from before the selectors: start afresh
    doc["machine"], doc["selectors"], doc["ensemble"] = machine(), SELECTORS, ENSEMBLE
    doc["best_peer"] = {}
    for n in names:
        name, mae = best_peer(peer_maes(n))
        doc["best_peer"][n] = {"name": name, "label": PEERS[name], "mae_2021": mae}
    for selector in a.selector if a.from_study else []:
        for name, by_seed in from_study(a.from_study, selector, names).items():
            doc["runs"].setdefault(name, {}).update(by_seed)
    for selector in [] if a.from_study else a.selector:
        for seed in a.seeds:
            for name, r in run(selector, seed, names).items():
                doc["runs"].setdefault(name, {})[str(seed)] = r
                ratios = [v["mae_2021"] / doc["best_peer"][n]["mae_2021"] for n, v in r["series"].items()]
                print(f"{name} seed {seed}: wins {sum(x < 1 for x in ratios)}/{len(ratios)}, median ratio "
                      f"{statistics.median(ratios):.3f} [{r['seconds']:.0f} s]", flush=True)
            out.write_text(json.dumps(doc, indent=1))
    doc["summary"] = summarize(doc)
    out.write_text(json.dumps(doc, indent=1))
    report(doc, names)


def report(doc: dict, names: list[str]) -> None:
    for selector, s in doc["summary"].items():
        print(f"{selector}: worst seed wins {s['worst_wins']}/{len(names)}, worst median ratio "
              f"{s['worst_median_ratio']:.3f}, largest spread of a series' 2021 MAE across seeds "
              f"{100 * s['max_spread']:.1f}%" if s["max_spread"] is not None else f"{selector}: one seed")


if __name__ == "__main__":
    main()
