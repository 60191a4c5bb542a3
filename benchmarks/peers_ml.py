"""The "strong peers": gradient-boosted trees and ridge on lags, as a practitioner would set them up.

Same protocol as benchmarks/peers.py: fit on 2017-01-01…2020-12-31 once, forecast every day of 2021
one day ahead from the real history up to the day before, no refit; MAE in views over all 2021
(mae_2021) and over 2021-01-01…02-14 (mae_early). All three peers see the same features:

    target   y'(t) = log1p(y(t)) − log1p(y(t−1)); forecast ŷ(t) = expm1(ŷ'(t) + log1p(y(t−1)))
    inputs   y' at lags 1–7, 14, 21, 28, 35, 42, 49, 56, and the target day's weekday
    lgbm_global   ONE lightgbm.LGBMRegressor over all 21 series (weekday categorical)
    lgbm_local    one LGBMRegressor per series, LightGBM defaults except the objective
    ridge_global  ONE sklearn Ridge over all 21 series (weekday one-hot)

The features come from mlforecast's MLForecast.preprocess (target_transforms GlobalSklearnTransformer
(log1p) then Differences([1])), computed once over 2017…2021 from the real series: every feature
looks backwards only, and log1p + one difference estimate nothing, so fitting on the rows ≤ 2020-12-31
and predicting the 2021 rows IS one-day-ahead with a frozen model. `--check` proves it against
MLForecast.predict(h=1, new_df=<history up to the day before>).

Settings are chosen on a 2020 fold (fit 2017…2019, one day ahead through 2020) by the geometric
mean over the series of MAE ÷ seasonal-naive MAE, and written to results/peers_ml_settings.json
before 2021 is scored; --score refuses to run without that file.

    OMP_NUM_THREADS=1 /work/venv-peers/bin/python -m benchmarks.peers_ml --check   # correctness
    OMP_NUM_THREADS=1 /work/venv-peers/bin/python -m benchmarks.peers_ml --choose  # 2020 fold → settings
    OMP_NUM_THREADS=1 /work/venv-peers/bin/python -m benchmarks.peers_ml --score   # 2021 → peers_ml.json
    /work/venv-peers/bin/python -m benchmarks.peers_ml                           # table from the caches
    >>> from benchmarks.peers_ml import best_of_all
    >>> best_of_all("wiki:Standard_deviation")   # doctest: +SKIP
"""
from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")  # one thread everywhere, set before OpenMP loads

import argparse
import json
import sys
import time

import numpy as np
import pandas as pd

from .peers import EARLY, FIT, PEERS, RESULTS as PEERS_RESULTS, TEST, _version, best_peer, load_cache, \
    machine, save_cache, score, series_for_protocol
from viewcast.data import builtin as datasets

LAGS = [*range(1, 8), 14, 21, 28, 35, 42, 49, 56]
FOLD = {"fit": ("2017-01-01", "2019-12-31"), "test": ("2020-01-01", "2020-12-31")}  # choose here
GRIDS = {  # small on purpose: a practitioner's first sweep, not a search that could overfit the fold
    "lgbm_global": [{"objective": o, "n_estimators": n, "learning_rate": lr}
                    for o in ("l1", "l2") for n in (250, 500, 1000) for lr in (0.03, 0.1)],
    "lgbm_local": [{"objective": o} for o in ("l1", "l2")],
    "ridge_global": [{"alpha": a} for a in (0.01, 0.1, 1.0, 10.0, 100.0)],
}
DEFAULT = {"lgbm_global": {"objective": "l1", "n_estimators": 500, "learning_rate": 0.03},  # the issue's
           "lgbm_local": {"objective": "l1"}, "ridge_global": {"alpha": 1.0}}               # (--check only)
ML_PEERS = {"lgbm_global": "LGBM global", "lgbm_local": "LGBM local", "ridge_global": "Ridge global"}
RESULTS_DIR = PEERS_RESULTS.parent
SETTINGS = RESULTS_DIR / "peers_ml_settings.json"
RESULTS = RESULTS_DIR / "peers_ml.json"
ID = "unique_id"


# ---------------------------------------------------------------------------------------------
# features: one MLForecast set-up, shared by the three peers and by the check


def make_mlforecast(models: dict, dummies: bool = False):
    """The MLForecast every peer's features come from (and the check's reference forecaster)."""
    from mlforecast import MLForecast
    from mlforecast.target_transforms import Differences, GlobalSklearnTransformer
    from sklearn.preprocessing import FunctionTransformer

    return MLForecast(models=models, freq="D", lags=LAGS, date_features=["dayofweek"],
                      date_features_as_dummies=dummies, num_threads=1,
                      target_transforms=[GlobalSklearnTransformer(FunctionTransformer(np.log1p, np.expm1)),
                                         Differences([1])])


def lgbm(**params):
    from lightgbm import LGBMRegressor

    return LGBMRegressor(num_threads=1, verbose=-1, **params)


def long_frame(names: list[str], end: str) -> pd.DataFrame:
    """(unique_id, ds, y) for every series, 2017-01-01…end, checked complete by peers.py."""
    return pd.concat([pd.DataFrame({ID: n, "ds": s.index, "y": s.to_numpy()})
                      for n in names for s in [series_for_protocol(n).loc[:end]]], ignore_index=True)


def features(df: pd.DataFrame) -> pd.DataFrame:
    """MLForecast.preprocess: y is y', lag1…lag56 its lags, dayofweek; rows from day 58 on (57 lost
    to the difference and lag 56). Adds `prev` = log1p of the REAL previous day, for going back."""
    X = make_mlforecast({"unused": lgbm()}).preprocess(df)  # preprocess never touches the model
    prev = df.assign(prev=np.log1p(df.groupby(ID)["y"].shift(1)))[[ID, "ds", "prev"]]
    return X.merge(prev, on=[ID, "ds"], how="left", validate="1:1")


FEATS = [f"lag{k}" for k in LAGS] + ["dayofweek"]


def one_hot(X: pd.DataFrame) -> pd.DataFrame:
    """Lags + dayofweek_0…6, the same columns MLForecast(date_features_as_dummies=True) makes."""
    dow = pd.get_dummies(X["dayofweek"].astype(pd.CategoricalDtype(range(7))), prefix="dayofweek", dtype=np.uint8)
    return pd.concat([X[FEATS[:-1]], dow], axis=1)


# ---------------------------------------------------------------------------------------------
# the peers: fit on the rows ≤ fit_end, predict y' for the test rows; returns the test rows with
# `forecast` in views and `seconds` (a global model's whole time, stated for each of its series);
# .attrs["seconds"] is the peer's whole wall time (features + every fit + every prediction)


def forecast(peer: str, params: dict, df: pd.DataFrame, fit_end: str, test: tuple[str, str]) -> pd.DataFrame:
    t0 = time.perf_counter()
    X = features(df)
    train = X[X["ds"] <= fit_end]
    out = X[(X["ds"] >= test[0]) & (X["ds"] <= test[1])].copy()
    if peer == "lgbm_global":
        m = lgbm(**params).fit(train[FEATS], train["y"], categorical_feature=["dayofweek"])
        out["yhat"] = m.predict(out[FEATS])
    elif peer == "ridge_global":
        from sklearn.linear_model import Ridge

        out["yhat"] = Ridge(**params).fit(one_hot(train), train["y"]).predict(one_hot(out))
    elif peer == "lgbm_local":
        secs = {}
        for name, rows in out.groupby(ID, sort=False):
            t = time.perf_counter()
            tr = train[train[ID] == name]
            m = lgbm(**params).fit(tr[FEATS], tr["y"], categorical_feature=["dayofweek"])
            out.loc[rows.index, "yhat"] = m.predict(rows[FEATS])
            secs[name] = time.perf_counter() - t
        out["seconds"] = out[ID].map(secs)
    else:
        raise ValueError(f"unknown peer {peer!r}: one of {', '.join(ML_PEERS)}")
    out["forecast"] = np.expm1(out["yhat"] + out["prev"])  # back to views via the real previous day
    if "seconds" not in out:
        out["seconds"] = time.perf_counter() - t0
    out = out[[ID, "ds", "forecast", "seconds"]]
    out.attrs["seconds"] = time.perf_counter() - t0
    return out


def geo_mean(ratios) -> float:
    r = np.asarray(list(ratios), dtype=float)
    return float(np.exp(np.log(r).mean()))


# ---------------------------------------------------------------------------------------------
# choose on 2020, score 2021


def choose(names: list[str]) -> dict:
    """Every grid point on the 2020 fold; the chosen point is the lowest geometric mean of
    MAE ÷ seasonal-naive MAE over the series (ties: the first in the grid)."""
    df = long_frame(names, FOLD["test"][1])  # nothing after 2020 is even loaded
    y = df.set_index([ID, "ds"])["y"]
    n_days = len(pd.date_range(*FOLD["test"]))  # 366: 2020 is a leap year
    naive = (y.groupby(level=0).shift(7) - y).abs()
    naive = naive[naive.index.get_level_values("ds") >= FOLD["test"][0]].groupby(level=0).mean()
    doc = {"fold": FOLD, "rule": "min geometric mean over series of MAE_2020 / seasonal_naive MAE_2020",
           "grids": GRIDS, "series": names, "seasonal_naive_mae_2020": naive.round(4).to_dict(), "peers": {}}
    for peer, grid in GRIDS.items():
        rows = []
        for params in grid:
            f = forecast(peer, params, df, FOLD["fit"][1], FOLD["test"]).set_index([ID, "ds"])
            err = (f["forecast"] - y.reindex(f.index)).abs()
            if len(err) != len(names) * n_days or not np.isfinite(err).all():
                raise RuntimeError(f"{peer} {params}: forecasts missing or not finite on the fold")
            mae = err.groupby(level=0).mean()
            g = geo_mean(mae[n] / naive[n] for n in names)
            rows.append({"params": params, "geo_mean": round(g, 5), "seconds": round(f.attrs["seconds"], 3),
                         "mae_2020": mae.round(3).to_dict()})
            print(f"  2020 fold {peer:12s} {json.dumps(params):58s} geo-mean {g:.4f}", file=sys.stderr, flush=True)
        best = min(rows, key=lambda r: r["geo_mean"])
        doc["peers"][peer] = {"chosen": best["params"], "chosen_geo_mean": best["geo_mean"], "grid": rows}
    return doc


def load_settings() -> dict:
    if not SETTINGS.is_file():
        raise RuntimeError(f"{SETTINGS.name} missing: run `python -m benchmarks.peers_ml --choose` first "
                           "(settings are chosen on 2020 before 2021 is scored)")
    doc = json.loads(SETTINGS.read_text())
    if doc.get("grids") != json.loads(json.dumps(GRIDS)):
        raise RuntimeError(f"{SETTINGS.name} was chosen on other grids: rerun --choose")
    return doc


def score_2021(names: list[str], settings: dict) -> dict:
    """{series: {peer: {mae_2021, mae_early, seconds}}} with the settings chosen on 2020."""
    df = long_frame(names, TEST[1])
    ys = {n: series_for_protocol(n) for n in names}
    out: dict = {n: {} for n in names}
    for peer in ML_PEERS:
        f = forecast(peer, settings["peers"][peer]["chosen"], df, FIT[1], TEST)
        for name, rows in f.groupby(ID, sort=False):
            r = score(pd.Series(rows["forecast"].to_numpy(), index=pd.DatetimeIndex(rows["ds"])), ys[name])
            out[name][peer] = r | {"seconds": round(float(rows["seconds"].iloc[0]), 3)}
        print(f"  2021 {peer}: {f.attrs['seconds']:.1f}s", file=sys.stderr, flush=True)
    return out


def versions() -> dict:
    return {p: _version(p) for p in ("mlforecast", "lightgbm", "scikit-learn", "numpy", "pandas")}


# ---------------------------------------------------------------------------------------------
# what other benchmarks use: all eight peers of a series, read from the two caches (never computed)


def all_peer_maes(name: str) -> dict:
    """{peer: {"mae_2021", "mae_early", "seconds"}} for peers.py's five and this module's three."""
    old = load_cache(PEERS_RESULTS)["series"].get(name, {}).get("peers")
    new = load_cache(RESULTS)["series"].get(name, {}).get("peers")
    if not old or not new:
        raise KeyError(f"{name}: not in {PEERS_RESULTS.name if not old else RESULTS.name}; run "
                       f"`python -m benchmarks.{'peers' if not old else 'peers_ml --score'}`")
    return old | new


def best_of_all(name: str, which: str = "mae_2021") -> tuple[str, float]:
    """(peer, MAE) of the best of all eight peers on `which` (mae_2021 or mae_early)."""
    return best_peer(all_peer_maes(name), which)


# ---------------------------------------------------------------------------------------------
# the correctness check


def check_one_day_ahead(name: str = "wiki:Standard_deviation",
                        days=("2021-01-01", "2021-02-26", "2021-07-04", "2021-12-31")) -> float:
    """Each peer's 2021 forecasts for `days` equal MLForecast.predict(h=1, new_df=<real history up
    to the day before>) of an MLForecast fitted once on 2017…2020 (frozen); also the features equal
    lags of log1p-differences computed by hand. Returns the largest relative difference."""
    from sklearn.linear_model import Ridge

    names = datasets.names()
    settings = json.loads(SETTINGS.read_text())["peers"] if SETTINGS.is_file() else None
    params = {p: settings[p]["chosen"] if settings else DEFAULT[p] for p in ML_PEERS}
    df = long_frame(names, TEST[1])
    one = df[df[ID] == name]
    # 1. the features against numpy: y'(t) = log1p y(t) − log1p y(t−1), lag k = y'(t−k)
    X = features(one).set_index("ds")
    d = pd.Series(np.log1p(one["y"].to_numpy()), index=one["ds"].to_numpy()).diff()
    want = pd.DataFrame({f"lag{k}": d.shift(k) for k in LAGS}).loc[X.index]
    _require(np.allclose(X[FEATS[:-1]], want, rtol=1e-12, atol=1e-12) and np.allclose(X["y"], d.loc[X.index])
             and (X["dayofweek"] == X.index.dayofweek).all(), "features differ from the hand-made ones")
    # 2. each peer against MLForecast fed the real history up to the day before, model frozen
    refs = {"lgbm_global": (make_mlforecast({"m": lgbm(**params["lgbm_global"])}), df),
            "lgbm_local": (make_mlforecast({"m": lgbm(**params["lgbm_local"])}), one),
            "ridge_global": (make_mlforecast({"m": Ridge(**params["ridge_global"])}, dummies=True), df)}
    worst = 0.0
    for peer, (mlf, data) in refs.items():
        kw = {} if peer == "ridge_global" else {"models_fit_kwargs": {"m": {"categorical_feature": ["dayofweek"]}}}
        mlf.fit(data[data["ds"] <= FIT[1]], **kw)
        ours = forecast(peer, params[peer], df if peer != "lgbm_local" else one, FIT[1], TEST)
        ours = ours[ours[ID] == name].set_index("ds")["forecast"]
        for day in days:
            hist = one[one["ds"] < day]
            pred = mlf.predict(h=1, new_df=hist)
            _require(len(pred) == 1 and pred["ds"].iloc[0] == pd.Timestamp(day), f"MLForecast predicted {pred['ds'].tolist()}")
            ref = float(pred["m"].iloc[0])
            rel = abs(ours.loc[day] - ref) / abs(ref)
            worst = max(worst, rel)
            print(f"  {peer:12s} {day}: ours {ours.loc[day]:12.4f}  MLForecast.predict(h=1) {ref:12.4f}  "
                  f"rel diff {rel:.1e}", file=sys.stderr)
            _require(rel < 1e-9, f"{peer} {day}: one-day-ahead forecast differs from MLForecast's")
    return worst


def _require(ok: bool, message: str) -> None:  # not `assert`: the check must also hold under python -O
    if not ok:
        raise RuntimeError(f"check failed: {message}")


# ---------------------------------------------------------------------------------------------
# the table


def _fmt(v: float) -> str:
    return f"{v / 1e6:.2f}M" if v >= 1e6 else f"{v / 1e3:.1f}k" if v >= 1e4 else f"{v:.0f}" if v >= 100 else f"{v:.1f}"


def table(names: list[str], which: str = "mae_2021") -> str:
    labels = {**{p: PEERS[p].replace("seasonal naive", "s.naive").replace("LAD linear:56", "LAD56")
                 .replace("AutoARIMA", "ARIMA") for p in PEERS}, "lgbm_global": "LGBM-g",
              "lgbm_local": "LGBM-l", "ridge_global": "Ridge-g"}
    rows = {n: all_peer_maes(n) for n in names}
    lines = [f"{'series':16s}" + "".join(f"{labels[p]:>8s}" for p in labels), "-" * 80]  # 80 columns
    for n, r in rows.items():
        best = best_peer(r, which)[0]
        short = n.removeprefix("wiki:")
        short = short if len(short) <= 15 else short[:14] + "…"
        lines.append(f"{short:16s}" + "".join(f"{_fmt(r[p][which]) + ('*' if p == best else ' '):>8s}" for p in labels))
    g = {p: geo_mean(rows[n][p][which] / rows[n]["seasonal_naive"][which] for n in names) for p in labels}
    lines.append(f"{'geo-mean÷naive':16s}" + "".join(f"{g[p]:7.3f} " for p in labels))
    wins = {p: sum(best_peer(r, which)[0] == p for r in rows.values()) for p in labels}
    lines.append(f"{'best on (*)':16s}" + "".join(f"{wins[p]:7d} " for p in labels))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.peers_ml", description=__doc__.split("\n\n")[0],
                                 epilog=__doc__.split("\n\n", 1)[1], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--choose", action="store_true", help="run the 2020 fold, write results/peers_ml_settings.json")
    ap.add_argument("--score", action="store_true", help="score 2021 with the chosen settings → results/peers_ml.json")
    ap.add_argument("--check", action="store_true", help="check the one-day-ahead forecasts against MLForecast.predict")
    ap.add_argument("--series", nargs="+", metavar="NAME",
                    help="built-in names (default: all 21). With fewer, the global models are trained on those "
                         "only, so nothing is written; --check checks the first")
    args = ap.parse_args(argv)
    names = args.series or datasets.names()
    write = set(names) == set(datasets.names())
    try:
        if args.check:
            print(f"check: worst relative difference {check_one_day_ahead(names[0] if args.series else 'wiki:Standard_deviation'):.1e}: ok")
        if args.choose:
            doc = choose(names) | {"machine": machine(), "versions": versions(),
                                   "written": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
            for p, r in doc["peers"].items():
                print(f"{p}: chosen {json.dumps(r['chosen'])} (2020 geo-mean {r['chosen_geo_mean']:.4f})")
            if write:
                save_cache(doc, SETTINGS)
        if args.score:
            settings = load_settings()
            res = score_2021(names, settings)
            doc = {"protocol": {"fit": FIT, "test": TEST, "early": EARLY, "lags": LAGS, "horizon_days": 1,
                                "refit": False, "target": "log1p then first difference"},
                   "settings": {p: r["chosen"] for p, r in settings["peers"].items()},
                   "settings_written": settings["written"], "machine": machine(), "versions": versions(),
                   "measured": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                   "series": {n: {"peers": res[n]} for n in names}}
            if write:
                save_cache(doc, RESULTS)
            else:
                print(json.dumps(res, indent=1))
                return 0
        if not (args.check or args.choose) or args.score:  # the table: bare, or after scoring
            for which, what in (("mae_2021", "all of 2021"), ("mae_early", "2021-01-01…02-14")):
                print(f"\nMAE (views/day), one day ahead, {what}; * = best of the eight\n" + table(names, which))
    except (RuntimeError, KeyError) as e:  # a one-line error and status 2, not a traceback
        print(f"peers_ml: {e.args[0]}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
