"""Every selection rule from the same runs (issue 13): the full selector's validation (rolling:4, two
seeds per candidate, whole cosine schedule) and a refit of EVERY candidate on 2017–2020 (an ensemble of
`--ensemble` members, each member's 2021 one-day-ahead forecast kept), for each seed. Any rule that
chooses or weights candidates from their validation losses can then be scored on 2021 without training
again — the rules never see 2021, only the scoring does.

    python benchmarks/selector_study.py run --seeds 0 1 2 --series wiki:Thanksgiving --out /tmp/s.npz
    python benchmarks/selector_study.py rules /tmp/s_0.npz /tmp/s_1.npz /tmp/s_2.npz   # one file per seed

Rules scored (`rules`): the product's min, 1se, tie (one paired SE), ratio (forecast's default: weights
(G_best ÷ G)^RATIO_POWER of the geometric-mean validation MAEs, rules.ratio_weights: power 2 since seeds 9–11,
power 5 before — results/selector_study.json's "ratio" rows are power 5; boltz0.5 is power 2 and boltz0.2
power 5, written again) and soft (weights
exp(−z) from the paired log-MAE ratios, rules.soft_weights), and variants kept to compare: tie2 (two SE),
softv (weights exp(−gap/SE) with the gap in views), tielog (the tie set on soft's log ratios), gausslog
(weights exp(−z²/2)), softlogF (soft with the seeds averaged per fold first), top-k means, boltz0.2
(weights exp(−mean log ratio / 0.2), no SE), …; each with the refit's first 1, 3, 5, 9 or 18 members (up to --ensemble).

Seeds are the product's (train.seed_stream): seed s validates with seeds 2s, 2s+1 (4s … 4s+3 with
--val-seeds 4, forecast's default since seeds 9–11) and refits members 9s … 9s+8, so two seeds share no network. Files made before that change (seed s: validation seeds s, s+1,
members s … s+8; made before 2026-11-26 12:22 UTC) overlap from one seed to the next, which understates
the spread. The smaller refits scored (1, 3, 5) are the first members of the 9 (seeds 9s …): independent
draws like `--ensemble k --seed s`'s (3s … for k = 3), not the same networks.
"""
from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

import numpy as np
import torch

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from peers import FIT, TEST, best_peer, peer_maes  # noqa: E402
from vs_peers import SELECTORS  # noqa: E402

from viewcast.data import builtin, load_series  # noqa: E402
from viewcast.evaluate.candidates import Candidate, compare_many  # noqa: E402
from viewcast.evaluate.rules import blend_of  # noqa: E402
from viewcast.features import Features  # noqa: E402
from viewcast.evaluate.select import refit_many  # noqa: E402
from viewcast.evaluate.validation import parse_scheme  # noqa: E402
from viewcast.features import SEARCH, choose_split, prepare_all  # noqa: E402
from viewcast.features.scaling import offered  # noqa: E402
from viewcast.models import parse  # noqa: E402
from viewcast.train import TrainConfig, seed_stream  # noqa: E402
from viewcast.features.scaling import encode  # noqa: E402


def run(seed: int, names: list[str], ensemble: int, selector: str, specs: list[str] | None = None,
        val_seeds: int | None = None) -> dict:
    cfg = {**SELECTORS[selector], **({"specs": specs} if specs else {}), **({"seeds": val_seeds} if val_seeds else {})}
    config = TrainConfig(seed=seed, early_stop=cfg["early_stop"])
    series = [load_series(n) for n in names]
    splits = [choose_split(s, FIT[0], FIT[1], TEST[0], TEST[1]) for s in series]
    ks = [parse(x).k for x in cfg["specs"]]
    feats = offered(SEARCH, series[0].values)
    assert all(offered(SEARCH, s.values) == feats for s in series), "every series needs the same candidates"
    prepared = [{f: prepare_all(s, ks, sp, config.normalize, f) for f in feats} for s, sp in zip(series, splits)]
    t0 = time.perf_counter()
    cands = compare_many(prepared, cfg["specs"], parse_scheme(cfg["scheme"]), config,
                         seed_stream(seed, cfg["seeds"]))
    t_val = time.perf_counter() - t0
    flat = [(i, c) for i, cs in enumerate(cands) for c in cs]
    data = [prepared[i][c.features][parse(c.spec).k] for i, c in flat]
    fitted = refit_many([c for _, c in flat], data, config, ensemble=ensemble)
    t_refit = time.perf_counter() - t0 - t_val
    out = {"selector": selector, "scheme": cfg["scheme"], "val_seeds": cfg["seeds"],
           "early_stop": -1 if cfg["early_stop"] is None else cfg["early_stop"],
           "names": np.array(names), "labels": np.array([c.label for c in cands[0]]),
           "params": np.array([c.params for c in cands[0]]), "t_val": t_val, "t_refit": t_refit, "seed": seed}
    n, m = len(names), len(cands[0])
    out["val"] = np.array([[c.val_mae for c in cs] for cs in cands])  # (series, candidates, folds × seeds)
    preds, ys = [], []
    for (i, c), r, d in zip(flat, fitted, data):
        x = torch.as_tensor(encode(d.test.X, d.test.dates, r.scaler, c.features.weekday), dtype=torch.float32)
        with torch.no_grad():
            z = np.array([net(x).double().numpy() for net in _members(r.model)])  # (members, days) scaled
        # members are averaged in the scaled space, then back to views, as models.Ensemble does
        preds.append([r.scaler.inverse(z[:k].mean(0)) for k in SIZES if k <= ensemble])
        ys.append(d.test.y)
    out["pred"] = np.array(preds).reshape(n, m, len(preds[0]), -1)  # (series, candidates, SIZES, days)
    out["sizes"] = np.array([k for k in SIZES if k <= ensemble])
    out["y"] = np.array(ys).reshape(n, m, -1)[:, 0]
    out["ensemble"] = ensemble
    return out


SIZES = (1, 3, 5, 9, 18)  # refit ensembles scored: the first k members' mean (those up to --ensemble)


def _members(model):
    return list(model.members) if hasattr(model, "members") else [model]


def weights(val: np.ndarray, rule: str, params: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """(candidates,) weights from one series' (candidates, folds × seeds) validation MAEs."""
    mean = val.mean(1)
    ok = np.isfinite(mean)
    b = int(np.argmin(np.where(ok, mean, np.inf)))
    d = val - val[b]
    gap = d.mean(1)
    se = d.std(1, ddof=1) / math.sqrt(val.shape[1])
    tie = (gap <= se) & ok
    tie[b] = True
    w = np.zeros(len(mean))
    if rule in RULES_OF_PRODUCT:  # the product's own rules, on Candidates made from the arrays
        cands = [Candidate(str(lab).split(" ")[0], int(p), v, v, None, None,
                           Features(log="+log" in str(lab), weekday="+weekday" in str(lab)))
                 for lab, p, v in zip(labels, params, val)]
        for x, wx in blend_of(cands, rule):
            w[next(i for i, c in enumerate(cands) if c is x)] = wx
    elif rule == "tie2":
        w[(gap <= 2 * se) & ok] = 1
    elif rule == "tie+":  # the tie set, and the runner-up when the tie set is one model
        w[tie] = 1
        if tie.sum() == 1:
            w[np.argsort(np.where(ok, mean, np.inf))[1]] = 1
    elif rule == "tiew":  # the tie set weighted by 1 / validation MAE²
        w[tie] = 1 / mean[tie] ** 2
    elif rule.startswith("softv"):  # weights exp(−gap / SE) in views; softv2, softv3: none beyond 2 or 3 SE
        z = np.divide(gap, se, out=np.full_like(gap, np.inf), where=se > 0)
        w = np.where(ok & (z <= (float(rule[5:]) if rule[5:] else np.inf)), np.exp(-z), 0)
        w[b] = 1
    elif rule in ("tielog", "gausslog", "softlogF"):  # soft's log ratios with a cut-off, Gaussian weights,
        v = val.reshape(len(val), -1, FOLDS).mean(1) if rule.endswith("F") else val  # …or seeds averaged per fold
        lg = np.log(np.maximum(v, 1e-12))
        lb = int(np.argmin(np.where(ok, lg.mean(1), np.inf)))
        dl = lg - lg[lb]
        zl = np.divide(dl.mean(1), dl.std(1, ddof=1) / math.sqrt(dl.shape[1]), out=np.zeros(len(dl)),
                       where=dl.std(1, ddof=1) > 0)
        zl = np.where(ok, np.maximum(zl, 0), np.inf)
        w = (zl <= 1).astype(float) if rule == "tielog" else np.exp(-zl ** 2 / 2) if rule == "gausslog" else np.exp(-zl)
        w[w < 0.01] = 0
        w[lb] = 1
    elif rule.startswith("boltz"):  # weights exp(−mean log ratio to the best / τ), no SE: boltz0.2 is τ = 0.2
        lg = np.log(np.maximum(val, 1e-12))
        lb = int(np.argmin(np.where(ok, lg.mean(1), np.inf)))
        w = np.where(ok, np.exp(-(lg.mean(1) - lg[lb].mean()) / float(rule[5:])), 0)
        w[w < 0.01] = 0
    elif rule == "vote":  # the share of folds × seeds each candidate is the best on
        v = np.where(np.isfinite(val), val, np.inf)
        w = np.bincount(v.argmin(0), minlength=len(mean)).astype(float)
    elif rule.startswith("top"):
        w[np.argsort(np.where(ok, mean, np.inf))[:int(rule[3:])]] = 1
    return w / w.sum()


FOLDS = 4  # rolling:4, every selector here: the columns of val are seed-major (seed 0's folds, then seed 1's, …)
RULES_OF_PRODUCT = ("min", "1se", "tie", "soft", "ratio")  # evaluate.rules: what cv and forecast run
RULES = ("min", "1se", "tie", "soft", "ratio", "tie+", "tiew", "tie2", "softv", "softv2", "softv3", "tielog", "gausslog",
         "softlogF", "vote", "top2", "top3", "boltz0.2", "boltz0.5")


def score(doc: dict, rule: str, size: int, keep: np.ndarray) -> np.ndarray:
    """2021 MAE of each series under a rule over the candidates `keep`: the weighted mean forecast of
    their refits (the first `sizes[size]` members of each)."""
    out = []
    for j in range(len(doc["names"])):
        w = weights(doc["val"][j][keep], rule, doc["params"][keep], doc["labels"][keep])
        pred = sum(wi * doc["pred"][j, c, size] for c, wi in zip(np.flatnonzero(keep), w) if wi)
        out.append(np.mean(np.abs(pred - doc["y"][j])))
    return np.array(out)


def merged(files: list[str]) -> list[dict]:
    """One doc per seed, the series of every file of that seed together (runs split by series)."""
    by: dict[int, list[dict]] = {}
    for f in files:
        d = dict(np.load(f, allow_pickle=False))
        d.setdefault("sizes", np.array([3, int(d["ensemble"])]))  # files from before SIZES kept 3 and all
        by.setdefault(int(d["seed"]), []).append(d)
    out = []
    for seed in sorted(by):
        ds = by[seed]
        assert all(list(d["labels"]) == list(ds[0]["labels"]) for d in ds), "the parts have other candidates"
        every = [n for d in ds for n in d["names"]]
        assert len(set(every)) == len(every), f"seed {seed}: a series is in two parts"
        doc = {**ds[0], **{k: np.concatenate([d[k] for d in ds]) for k in ("names", "val", "pred", "y")}}
        doc["t_val"], doc["t_refit"] = sum(d["t_val"] for d in ds), sum(d["t_refit"] for d in ds)
        order = np.argsort(doc["names"])
        out.append({**doc, **{k: doc[k][order] for k in ("names", "val", "pred", "y")}})
    return out


def rules(files: list[str], drop: list[str], only: list[str] | None, val_seeds: int | None = None) -> dict:
    docs = merged(files)
    if val_seeds:  # only the first seeds' validation (columns seed-major): what fewer validation seeds would weigh
        docs = [{**d, "val": d["val"][:, :, :val_seeds * FOLDS]} for d in docs]
    names = list(docs[0]["names"])
    assert all(list(d["names"]) == names for d in docs), "every seed needs the same series"
    peer = np.array([best_peer(peer_maes(n))[1] for n in names])
    keep = np.array([not any(x == lab.split(" ")[0] for x in drop) for lab in docs[0]["labels"]])
    print(f"{len(names)} series, seeds {[int(d['seed']) for d in docs]}; candidates {int(keep.sum())} "
          f"(dropped {drop or 'none'}); validation {sum(d['t_val'] for d in docs):.0f} s, refits "
          f"{sum(d['t_refit'] for d in docs):.0f} s (CPU seconds of every run)")
    table = {}
    for size, n in enumerate(docs[0]["sizes"]):
        for rule in only or RULES:
            maes = np.array([score(d, rule, size, keep) for d in docs])  # (seeds, series)
            ratio = maes / peer
            wins = (ratio < 1).sum(1)
            spread = maes.max(0) / maes.min(0) - 1
            worst = int(np.argmax(spread))
            table[f"{rule} x{n}"] = {"wins": wins.tolist(), "median_ratio": np.median(ratio, 1).tolist(),
                                     "spread": dict(zip(names, spread.tolist())), "mae": maes.tolist()}
            print(f"{rule:5s} ×{n}: wins {'/'.join(map(str, wins))}, median ratio "
                  f"{'/'.join(f'{r:.3f}' for r in np.median(ratio, 1))}, max spread {100 * spread[worst]:.1f}% "
                  f"({names[worst][5:20]}: {' / '.join(f'{m:.1f}' for m in maes[:, worst])}), "
                  f"over 5%: {int((spread > 0.05).sum())}", flush=True)
    return table


def main() -> None:
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run")
    r.add_argument("--seeds", nargs="*", type=int, default=[0])
    r.add_argument("--series", nargs="*")
    r.add_argument("--ensemble", type=int, default=9)
    r.add_argument("--selector", default="full")
    r.add_argument("--specs", nargs="*", help="the candidates (default: the selector's)")
    r.add_argument("--val-seeds", type=int, help="validation seeds per candidate (default: the selector's)")
    r.add_argument("--out", required=True, help="an .npz per seed: OUT with the seed before .npz")
    s = sub.add_parser("rules")
    s.add_argument("files", nargs="+")
    s.add_argument("--drop", nargs="*", default=[], help="leave out these specs, e.g. relu:56x100x2")
    s.add_argument("--rules", nargs="*", help=f"only these of {', '.join(RULES)}")
    s.add_argument("--json", help="write the table here")
    s.add_argument("--val-seeds", type=int, help="score with only the first N validation seeds of each run")
    a = ap.parse_args()
    if a.cmd == "run" and not a.out.endswith(".npz"):
        ap.error("--out must end with .npz (each seed writes OUT with _<seed> before it)")
    if a.cmd == "rules":
        table = rules(a.files, a.drop, a.rules, a.val_seeds)
        table["val_seeds_scored"] = a.val_seeds
        if a.json:  # with what each run was and took (seconds of wall clock, two runs sharing the 2 cores)
            table["runs"] = [{"file": Path(f).name, "seed": int(d["seed"]), "series": [str(n) for n in d["names"]],
                              "validation_s": float(d["t_val"]), "refits_s": float(d["t_refit"])}
                             for f in a.files for d in [np.load(f)]]
            Path(a.json).write_text(json.dumps(table, indent=1))
        return
    for seed in a.seeds:
        doc = run(seed, a.series or builtin.names(), a.ensemble, a.selector, a.specs, a.val_seeds)
        path = a.out.replace(".npz", f"_{seed}.npz")
        np.savez(path, **doc)
        print(f"seed {seed}: {path} (validation {doc['t_val']:.0f} s, refits {doc['t_refit']:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
