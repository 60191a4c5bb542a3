"""Mismatch evidence that respects a time series (chapter 2): are the test days drawn from the same
distribution as the days before them? And which test days does every model miss?

Neighbouring days are alike (autocorrelation), so n days are far fewer than n independent draws,
and an ordinary two-sample test would call almost any two periods different. Here the days are cut
into blocks of a week and the p-values come from shuffling whole blocks between the two samples
(a block permutation test); the KS test is also run on the weekly means, which are nearly
independent.

>>> a, b = np.zeros(70), np.ones(21)
>>> t = two_sample(a, b, block=7, permutations=199)
>>> t["ks"], t["wasserstein"], t["ks_p_block"] < 0.01
(1.0, 1.0, True)
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def block_length(x: np.ndarray, base: int = 7, cap: int | None = None) -> int:
    """Days per block: the first lag at which x's autocorrelation falls below 1/e, rounded up to whole
    weeks (at least `base`, at most `cap`): blocks about as long as the days stay alike.

    >>> block_length(np.tile([1.0, -1.0], 50))
    7
    """
    x = np.asarray(x, float)
    x = x[np.isfinite(x)] - np.nanmean(x)
    denom = float(np.dot(x, x))
    lag = 1
    if denom > 0:
        n = len(x)
        while lag < n // 2 and np.dot(x[:-lag], x[lag:]) / denom >= 1 / np.e:
            lag += 1
    days = base * int(np.ceil(lag / base))
    return max(base, min(days, cap)) if cap else max(base, days)


def _blocks(n: int, block: int) -> np.ndarray:
    """Block number of each of n consecutive days. (n,)"""
    return np.arange(n) // max(block, 1)


def _ecdf_gaps(sorted_labels: np.ndarray, n_a: np.ndarray, n_b: np.ndarray) -> np.ndarray:
    """F_a − F_b at each pooled point. sorted_labels: (P, N) True for sample a, in pooled sorted order."""
    ca = np.cumsum(sorted_labels, axis=1) / n_a[:, None]
    cb = np.cumsum(~sorted_labels, axis=1) / n_b[:, None]
    return ca - cb  # (P, N)


def two_sample(a: np.ndarray, b: np.ndarray, block: int = 7, permutations: int = 999, seed: int = 0) -> dict:
    """KS and Wasserstein between samples a and b (each in time order), with block-permutation p-values,
    the KS test on weekly means, and the difference of the mean absolute values (for residuals: does
    b err more than a?) with its one-sided block-permutation p-value."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    a, b = a[np.isfinite(a)], b[np.isfinite(b)]
    if len(a) < 2 or len(b) < 2:
        nan = float("nan")
        return {"n_a": len(a), "n_b": len(b), "ks": nan, "ks_p_block": nan, "ks_weekly_means_p": nan,
                "wasserstein": nan, "wasserstein_p_block": nan, "mean_abs_a": nan, "mean_abs_b": nan,
                "mean_abs_diff": nan, "mean_abs_diff_p_block": nan, "blocks_a": 0, "blocks_b": 0, "block_days": block}
    pooled = np.concatenate([a, b])
    order = np.argsort(pooled, kind="stable")
    xs = pooled[order]
    dx = np.diff(xs)  # (N-1,)
    blk = np.concatenate([_blocks(len(a), block), _blocks(len(b), block) + _blocks(len(a), block)[-1] + 1])
    n_blocks_a = int(_blocks(len(a), block)[-1] + 1)
    n_blocks = int(blk[-1] + 1)
    rng = np.random.default_rng(seed)
    # Row 0: the observed labelling; rows 1…P: whole blocks shuffled between a and b.
    perm = np.vstack([np.arange(n_blocks)] + [rng.permutation(n_blocks) for _ in range(permutations)])
    is_a = perm[:, blk] < n_blocks_a  # (P+1, N): block blk[i] of the shuffled order lands in a
    n_a, n_b = is_a.sum(1), (~is_a).sum(1)
    ok = (n_a > 0) & (n_b > 0)
    gaps = _ecdf_gaps(is_a[:, order], np.maximum(n_a, 1), np.maximum(n_b, 1))
    ks = np.abs(gaps).max(1)
    w1 = (np.abs(gaps[:, :-1]) * dx).sum(1)
    absd = np.abs(pooled)
    mdiff = (absd * ~is_a).sum(1) / np.maximum(n_b, 1) - (absd * is_a).sum(1) / np.maximum(n_a, 1)

    def p(stat: np.ndarray) -> float:  # one-sided: a statistic at least as large as observed
        s = stat[1:][ok[1:]]
        return float((1 + np.sum(s >= stat[0] - 1e-12)) / (1 + len(s)))

    wa = pd.Series(a).groupby(_blocks(len(a), block)).mean().to_numpy()
    wb = pd.Series(b).groupby(_blocks(len(b), block)).mean().to_numpy()
    return {"n_a": len(a), "n_b": len(b), "blocks_a": n_blocks_a, "blocks_b": n_blocks - n_blocks_a, "block_days": block,
            "ks": float(ks[0]), "ks_p_block": p(ks), "ks_weekly_means_p": float(stats.ks_2samp(wa, wb).pvalue),
            "wasserstein": float(w1[0]), "wasserstein_p_block": p(w1),
            "mean_abs_a": float(np.mean(np.abs(a))), "mean_abs_b": float(np.mean(np.abs(b))),
            "mean_abs_diff": float(mdiff[0]), "mean_abs_diff_p_block": p(mdiff)}


def worst_days(dates: pd.DatetimeIndex, actual: np.ndarray, preds: dict[str, np.ndarray], val_error: dict[str, float],
               factor: float = 3.0, limit: int = 10, usual: np.ndarray | None = None,
               judged: list[str] | None = None) -> list[dict]:
    """Test days on which *every* model (of `judged`, default all) errs by more than `factor` × its own
    validation MAE — the book's 2021-02-26 table — worst first (by the smallest such ratio over the
    models), at most `limit`. preds: {model: (n,) views}; usual: (n,) the usual views for that weekday.

    >>> d = pd.date_range("2021-02-22", periods=5)
    >>> [r["weekday"] for r in worst_days(d, np.array([5., 5, 5, 5, 20]), {"a": np.full(5, 5.5), "b": np.full(5, 4.)},
    ...                                    {"a": 1.0, "b": 2.0})]
    ['Fri']
    """
    names = [m for m in (judged or list(preds)) if np.isfinite(val_error.get(m, np.nan)) and val_error[m] > 0]
    if not names:
        return []
    ratio = np.vstack([np.abs(preds[m] - actual) / val_error[m] for m in names])  # (models, n)
    low = np.nan_to_num(ratio, nan=0.0).min(0)
    rows = []
    for i in np.argsort(-low, kind="stable"):
        if low[i] < factor or len(rows) >= limit:
            break
        d = dates[i]
        rows.append({"date": f"{d:%Y-%m-%d}", "weekday": WEEKDAYS[d.day_of_week], "actual": float(actual[i]),
                     "usual_for_weekday": None if usual is None else float(usual[i]),
                     "predictions": {m: float(preds[m][i]) for m in preds},
                     "errors": {m: float(preds[m][i] - actual[i]) for m in preds},
                     "min_error_over_val_mae": float(low[i])})
    return rows


def usual_for_weekday(values: np.ndarray, start: pd.Timestamp, train_end: pd.Timestamp, dates: pd.DatetimeIndex,
                      weeks: int = 8) -> np.ndarray:
    """Mean views of each date's weekday over the last `weeks` weeks of the training period. (n,)"""
    s = pd.Series(values, index=pd.date_range(start, periods=len(values), freq="D"))
    recent = s[(s.index > train_end - pd.Timedelta(weeks=weeks)) & (s.index <= train_end)]
    by = recent.groupby(recent.index.day_of_week).mean()
    return np.array([by.get(d.day_of_week, np.nan) for d in dates], dtype=float)
