"""The course's homework 1 (COVID-19 cases, a table): 5-fold cross-validated MSE on the same folds of each
year's training file for

    (a) the course's sample recipe as the course wrote it: every column (the id too) as raw features, a
        16-8-1 ReLU net, SGD η = 1e-5 with momentum 0.9, batches of 256, up to 3000 epochs with early
        stopping after 400 epochs without improvement on a random 20% of the training rows;
    (b) the best of scikit-learn's LinearRegression / Ridge after StandardScaler and SelectKBest(f_regression),
        over a small grid (K × α), every grid point scored on these very folds (so the best is a little
        optimistic);
    (c) viewcast's default pipeline, `viewcast cv TABLE --target tested_positive` with no other option: its
        own validation on each fold's training rows, its choice refit on them, scored on the fold.

Each with its time; results with the machine in benchmarks/results/bench_hw1.json.

    python -m benchmarks.bench_hw1 [--years 2022 2023] [--data ../shared/data/hw1] [--folds 5]
"""
from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

import numpy as np
import pandas as pd
import torch

from viewcast.book import homework
from viewcast.data.table import load_table
from viewcast.features import RowSplit

from .peers import machine

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("VIEWCAST_SHARED", ROOT.parent / "shared")) / "data" / "hw1"
FILES = {"2021": "ml2021/covid.train.csv", "2022": "ml2022/covid.train.csv", "2023": "ml2023/covid_train.csv"}
OUT = ROOT / "benchmarks" / "results" / "bench_hw1.json"
TARGET = "tested_positive"
KS = (8, 16, 24, 32, 48, 64, "all")  # (b)'s grid
ALPHAS = (0.0, 0.1, 1.0, 10.0, 100.0)  # 0: LinearRegression


def course_recipe(X: np.ndarray, y: np.ndarray, tr: np.ndarray, te: np.ndarray, seed: int = 5201314) -> float:
    """(a): the sample code's loop on raw features (id included), as written for the course."""
    g = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    perm = rng.permutation(tr)
    n_val = int(0.2 * len(perm))
    fit, val = perm[n_val:], perm[:n_val]
    d = X.shape[1]
    net = torch.nn.Sequential(torch.nn.Linear(d, 16), torch.nn.ReLU(), torch.nn.Linear(16, 8), torch.nn.ReLU(),
                              torch.nn.Linear(8, 1))
    opt = torch.optim.SGD(net.parameters(), lr=1e-5, momentum=0.9)
    Xf, yf = torch.tensor(X[fit], dtype=torch.float32), torch.tensor(y[fit], dtype=torch.float32)
    Xv, yv = torch.tensor(X[val], dtype=torch.float32), torch.tensor(y[val], dtype=torch.float32)
    best, best_state, stale = np.inf, None, 0
    for _ in range(3000):
        net.train()
        for b in torch.randperm(len(Xf), generator=g).split(256):
            opt.zero_grad()
            loss = torch.nn.functional.mse_loss(net(Xf[b]).squeeze(-1), yf[b])
            loss.backward()
            opt.step()
        net.eval()
        with torch.no_grad():
            lv = float(torch.nn.functional.mse_loss(net(Xv).squeeze(-1), yv))
        if lv < best:
            best, best_state, stale = lv, {k: v.clone() for k, v in net.state_dict().items()}, 0
        else:
            stale += 1
            if stale >= 400:
                break
    net.load_state_dict(best_state)
    with torch.no_grad():
        pred = net(torch.tensor(X[te], dtype=torch.float32)).squeeze(-1).numpy()
    return float(np.mean((pred - y[te]) ** 2))


def sklearn_grid(X: np.ndarray, y: np.ndarray, folds) -> dict:
    """(b): every K × α on the folds; the best mean MSE."""
    from sklearn.feature_selection import SelectKBest, f_regression
    from sklearn.linear_model import LinearRegression, Ridge
    from sklearn.model_selection import cross_val_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    rows = []
    for k in KS:
        for a in ALPHAS:
            m = make_pipeline(StandardScaler(), SelectKBest(f_regression, k=k), Ridge(alpha=a) if a else LinearRegression())
            mse = -cross_val_score(m, X, y, cv=folds, scoring="neg_mean_squared_error")
            rows.append({"k": k, "alpha": a, "mse": float(mse.mean()), "folds": mse.tolist()})
    best = min(rows, key=lambda r: r["mse"])
    return {"mse": best["mse"], "folds": best["folds"], "k": best["k"], "alpha": best["alpha"], "grid": len(rows)}


def viewcast_default(path: Path, folds) -> dict:
    """(c): the default pipeline of `viewcast cv TABLE --target tested_positive`, one run per fold."""
    table = load_table(path, TARGET)
    mse, chosen = [], []
    for tr, te in folds:
        sel = homework.cv(table, rows=RowSplit.given(tr, te), config=homework.table_config(None, {}))
        mse.append(sel.test["mse"])
        chosen.append(sel.chosen.label)
    return {"mse": float(np.mean(mse)), "folds": mse, "chosen": chosen, "features": len(table.features),
            "left_out": [list(x) for x in table.left_out]}


def timed(fn, *args) -> dict:
    t0 = time.perf_counter()
    out = fn(*args)
    return {**out, "seconds": round(time.perf_counter() - t0, 1)}


def year(name: str, data: Path, k: int, seed: int) -> dict:
    from sklearn.model_selection import KFold

    path = data / FILES[name]
    df = pd.read_csv(path)
    X_all, y = df.iloc[:, :-1].to_numpy(float), df.iloc[:, -1].to_numpy(float)  # (a) reads the id too
    X = df.iloc[:, 1:-1].to_numpy(float)  # (b) leaves it out
    folds = list(KFold(k, shuffle=True, random_state=seed).split(X))
    a = timed(lambda: {"folds": (f := [course_recipe(X_all, y, tr, te) for tr, te in folds]), "mse": float(np.mean(f))})
    print(f"{name} (a) course recipe: MSE {a['mse']:.4f} in {a['seconds']} s", flush=True)
    b = timed(sklearn_grid, X, y, folds)
    print(f"{name} (b) best sklearn (K={b['k']}, α={b['alpha']}): MSE {b['mse']:.4f} in {b['seconds']} s", flush=True)
    c = timed(viewcast_default, path, folds)
    print(f"{name} (c) viewcast default ({', '.join(sorted(set(c['chosen'])))}): MSE {c['mse']:.4f} in "
          f"{c['seconds']} s; (c)/(b) = {c['mse'] / b['mse']:.3f}", flush=True)
    return {"rows": len(y), "a": a, "b": b, "c": c, "c_over_b": c["mse"] / b["mse"], "c_over_a": c["mse"] / a["mse"],
            "goal_c": 0.97 * b["mse"], "met": c["mse"] <= 0.97 * b["mse"]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--years", nargs="+", default=["2022", "2023"], choices=sorted(FILES))
    ap.add_argument("--data", type=Path, default=DATA, help="the folder with ml2021/, ml2022/, ml2023/")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0, help="the folds' shuffle")
    ap.add_argument("--out", type=Path, default=OUT)
    a = ap.parse_args()
    t0 = time.perf_counter()
    # the 1-minute load average before and after: on a shared machine the times depend on it
    res = {"machine": machine(), "load_before": os.getloadavg()[0], "folds": a.folds, "seed": a.seed, "years": {}}
    for y in a.years:
        res["years"][y] = year(y, a.data, a.folds, a.seed)
    res["seconds"], res["load_after"] = round(time.perf_counter() - t0, 1), os.getloadavg()[0]
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(json.dumps(res, indent=1) + "\n")
    print(f"wrote {a.out} ({res['seconds']} s)")


if __name__ == "__main__":
    main()
