"""The practical methodology of chapter 2: train the ladder (or given models) with validation and
tell why each is bad — model bias, optimization issue, overfitting, mismatch — with the evidence.

Each model is trained once on the training part of the validation scheme (hold-out: the first 90%
of the training days; k-fold/time-series: its last fold, with the cross-validated loss reported
beside) and scored on the validation part and the test period. Its numbers are then set against
simple references (`references.py`), against the functions it contains (a deeper or wider net
contains the shallower or narrower one, every net contains the linear model of its window), against
the other models on held-out days, and against its own validation errors (`mismatch.py`). The
rules themselves are pure functions in `verdicts.py`.

>>> from viewcast.features import choose_split
>>> d = diagnose(s, choose_split(s), ["linear:1", "linear:7"], Scheme("holdout", 0.1), TrainConfig(epochs=300))
>>> d.models[0].verdicts[0].verdict
'model_bias'
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Callable

import numpy as np
import torch

import pandas as pd

from .. import models
from ..data.series import DailySeries
from ..train import losses
from ..evaluate.candidates import evaluate
from ..evaluate.validation import Scheme, split_indices
from ..features import Prepared, Split, Windows, prepare_all
from ..text import verdicts as words
from ..train import FitResult, StopReason, TrainConfig, fit
from . import mismatch, references
from .config import DiagnoseConfig
from .verdicts import Numbers, Verdict, judge, overall


@dataclass
class ModelDiagnosis:
    spec: str
    params: int
    fit: FitResult = field(repr=False)  # trained on the training part, scored on validation and test
    val: dict  # {"mae", "mse"} on the validation part (k-fold: mean over folds)
    val_cv: dict | None  # k-fold / time-series: {"mean", "std", "folds"} of the validation MAE
    pred_val: np.ndarray = field(repr=False)  # (n_val,) views on the hold-out validation part
    pred_test: np.ndarray = field(repr=False)  # (n_test,) views
    evidence: dict = field(default_factory=dict)
    verdicts: list[Verdict] = field(default_factory=list)


@dataclass
class Diagnosis:
    source: str
    split: Split
    scheme: Scheme
    config: TrainConfig
    dconfig: DiagnoseConfig
    references: list[references.Reference]
    models: list[ModelDiagnosis]
    target_shift: dict  # two-sample tests, training-period views vs test-period views
    worst_days: list[dict]
    worst_judged: list[str]  # the models whose misses define a worst day (those fitting their training days)
    overall: dict
    test_dates: object = field(repr=False)  # pd.DatetimeIndex of the test days
    test_actual: np.ndarray = field(repr=False)  # (n_test,) views

    def as_dict(self) -> dict:
        """Every number, as the JSON schema `schema.json` documents it."""
        return {
            "source": self.source, "split": self.split.describe(), "val": str(self.scheme), "loss": self.config.loss,
            "config": {**self.config.__dict__}, "thresholds": asdict(self.dconfig.thresholds),
            "references": [asdict(r) for r in self.references],
            "models": [{"model": m.spec, "params": m.params, "train": m.fit.train, "val": m.val, "val_cv": m.val_cv,
                        "test": m.fit.test, "verdict": m.verdicts[0].verdict,
                        "verdicts": [self._said(v) for v in m.verdicts], "evidence": m.evidence,
                        "updates": m.fit.updates, "stop_reason": m.fit.stop_reason, "seconds": m.fit.seconds}
                       for m in self.models],
            "overall": self.overall,
            "mismatch": {"target": self.target_shift, "worst_factor": self.dconfig.worst_factor,
                         "worst_judged_models": self.worst_judged, "worst_days": self.worst_days},
        }

    def _said(self, v: Verdict) -> dict:
        """A verdict's values with its English words, as the JSON carries them (made by `text.verdicts`)."""
        return {**asdict(v), "reason": str(words.said(v, self.dconfig.thresholds)),
                "next_step": words.next_step(v.verdict)}

    def to_frame(self) -> pd.DataFrame:
        """Models × (params, train, validation, test loss in views, verdicts with confidence)."""
        L = self.config.loss
        return pd.DataFrame([{"model": m.spec, "params": m.params, "train": m.fit.train[L], "val": m.val[L],
                              "test": m.fit.test[L], "verdict": m.verdicts[0].verdict,
                              "verdicts": ", ".join(f"{v.verdict} ({v.confidence:.2f})" for v in m.verdicts)}
                             for m in self.models]).set_index("model")

    def _repr_html_(self) -> str:
        ov = self.overall
        return (f"<p>diagnosis of {self.source}: overall <b>{ov['verdict']}</b> for {ov['best_model']}</p>"
                + self.to_frame().to_html(float_format=lambda v: f"{v:,.4g}"))


def contains(big: models.Spec, small: models.Spec) -> bool:
    """Can `big` represent every function of `small` (on the data's bounded range)? A longer window
    (zero weights on the extra days), more units (zero output weights), more layers (ReLU is the identity
    on its non-negative inputs; sigmoids nearly so in their linear regime); and every net contains the
    linear model of its window (one unit kept in its linear part).

    >>> contains(models.parse("relu:56x100x5"), models.parse("relu:56x100x4"))
    True
    >>> contains(models.parse("relu:56x10"), models.parse("relu:56x100"))
    False
    """
    if big == small or small.k > big.k:
        return big == small
    if small.kind == "linear":
        return True
    return big.kind == small.kind and big.hidden >= small.hidden and big.layers >= small.layers


def layer_grad_ratio(model: torch.nn.Module, X: np.ndarray, y: np.ndarray, loss: str) -> float | None:
    """RMS gradient per weight of the first layer over the output layer's, at the trained weights, on
    standardized rows X (n, k), y (n,). Tiny: the gradient vanishes on its way back (sigmoids)."""
    lin = [m for m in model.modules() if isinstance(m, torch.nn.Linear)]
    if len(lin) < 2:
        return None
    out = model(torch.as_tensor(X, dtype=torch.float32))
    L = losses.mean_loss(out, torch.as_tensor(y, dtype=torch.float32), loss)
    grads = torch.autograd.grad(L, [lin[0].weight, lin[-1].weight])
    rms = [float(g.pow(2).mean().sqrt()) for g in grads]
    return rms[0] / rms[1] if rms[1] > 0 else None


def _tail_drop_pct(h: list[float]) -> float:
    """How much (%) the training loss fell over the last 10% of updates."""
    h = [v for v in h if math.isfinite(v)]
    if len(h) < 20:
        return 0.0
    a, b = h[-max(2, len(h) // 10)], h[-1]
    return 100.0 * (a - b) / b if b > 0 else 0.0


def diagnose(series: DailySeries, split: Split, specs: list[str], scheme: Scheme, config: TrainConfig = TrainConfig(),
             dconfig: DiagnoseConfig = DiagnoseConfig(), on_model: Callable[[str, int, int], None] | None = None,
             progress: Callable | None = None) -> Diagnosis:
    """Train every spec with validation and judge it (see the module docstring)."""
    parsed = [models.parse(s) for s in specs]
    prepared: dict[int, Prepared] = prepare_all(series, [p.k for p in parsed], split, config.normalize)
    some = next(iter(prepared.values()))
    folds = split_indices(len(some.train), scheme, seed=config.seed)
    tr_idx, va_idx = folds[-1]  # the hold-out part (k-fold / time-series: the last fold)
    parts = {k: (d.train.take(tr_idx), d.train.take(va_idx), d.test) for k, d in prepared.items()}
    L = config.loss
    refs = references.compute(series.values, series.start, parts, L, dconfig.neighbors)

    runs = _train_all(parsed, prepared, parts, scheme, config, on_model, progress)
    naive_tr = next(x for x in refs if x.name == "yesterday").train[L]
    th = dconfig.thresholds
    for m, p in zip(runs, parsed):
        va, te = parts[p.k][1], parts[p.k][2]
        res_test = mismatch.two_sample(m.pred_val - va.y, m.pred_test - te.y, dconfig.block,
                                       dconfig.permutations, dconfig.seed)
        contained = [(o.spec, o.fit.train[L], o.val[L]) for o, q in zip(runs, parsed) if o is not m and contains(p, q)]
        contained += [(x.name, x.train[L], x.val[L]) for x in refs
                      if x.contained_in_k is not None and x.contained_in_k <= p.k]
        others = [(o.spec, o.val[L]) for o in runs if o is not m] + [(x.name, x.val[L]) for x in refs]
        judge_model(m, p.kind, contained, others, refs, res_test, parts[p.k][0], naive_tr, config, th)

    d = next(iter(prepared.values()))
    target = mismatch.two_sample(d.train.y, d.test.y, mismatch.block_length(d.train.y, dconfig.block, max(dconfig.block, len(d.test) // 2)),
                                 dconfig.permutations, dconfig.seed)
    usual = mismatch.usual_for_weekday(series.values, series.start, split.train_end, d.test.dates)
    # A model with bias or an optimization issue errs on every day: its misses say nothing about the day.
    judged = [m.spec for m in runs if not {v.verdict for v in m.verdicts} & {"model_bias", "optimization"}]
    judged = judged or [m.spec for m in runs]
    worst = mismatch.worst_days(d.test.dates, d.test.y, {m.spec: m.pred_test for m in runs},
                                {m.spec: m.val["mae"] for m in runs}, dconfig.worst_factor, dconfig.max_worst, usual, judged)
    ov = overall({m.spec: m.verdicts for m in runs}, {m.spec: m.val[L] for m in runs})
    ov["gap_growth"] = _gap_growth(runs, L)
    return Diagnosis(series.name, split, scheme, config, dconfig, refs, runs, target, worst, judged, ov, d.test.dates, d.test.y)


def judge_model(m: ModelDiagnosis, kind: str, contained: list[tuple], others: list[tuple], refs: list,
                res_test: dict, train: Windows, naive: float, config: TrainConfig, thresholds) -> None:
    """Model m's verdicts and their evidence (a series' models and a table's alike): `contained`, the models
    and references nested in it (name, train, val); `others`, every other (name, val); `train`, its training
    windows (for the layers' gradients); `naive`, yesterday's training loss."""
    L, r, h = config.loss, m.fit, m.fit.history
    diverged = r.stop.reason is StopReason.DIVERGED
    stalled = (L == "mse" and len(h.grad_norm) > 20 and _tail_drop_pct(h.train) < 0.1
               and h.grad_norm[-1] > 0.1 * h.grad_norm[0])
    ratio = layer_grad_ratio(r.model, r.scaler.inputs(train.X), r.scaler.transform(train.y), L)
    exact_gap = r.exact["gap_pct"] if r.exact else None
    n = Numbers(m.spec, r.train[L], m.val[L], r.test[L], naive, contained, others, exact_gap, diverged,
                _tail_drop_pct(h.train), stalled, ratio, kind == "sigmoid" and config.optimizer == "gd",
                res_test["mean_abs_diff_p_block"])
    m.verdicts = judge(n, thresholds)
    m.evidence = {
        "train_vs_references": {x.name: r.train[L] / x.train[L] if x.train[L] > 0 else None for x in refs},
        "contained": [{"model": c[0], "train": c[1], "val": c[2]} for c in contained],
        "attainable": dict(zip(("model", "val"), min(others, key=lambda o: o[1]))) if others else None,
        "train_val_gap": m.val[L] - r.train[L],
        "train_val_gap_frac": (m.val[L] - r.train[L]) / m.val[L] if m.val[L] > 0 else None,
        "val_test_gap": r.test[L] - m.val[L], "test_over_val": r.test[L] / m.val[L] if m.val[L] > 0 else None,
        "residuals_val_vs_test": res_test,
        "optimization": {"optimizer": config.optimizer, "updates": r.updates, "stop_reason": r.stop_reason,
                         "diverged": diverged, "exact_gap_pct": exact_gap, "exact_train": r.exact[L] if r.exact else None,
                         "tail_drop_pct": n.tail_drop_pct, "stalled_big_gradient": stalled,
                         "grad_norm_first": h.grad_norm[0] if h.grad_norm else None,
                         "grad_norm_last": h.grad_norm[-1] if h.grad_norm else None, "layer_grad_ratio": ratio},
    }


def _train_all(parsed: list, prepared: dict[int, Prepared], parts: dict, scheme: Scheme, config: TrainConfig,
               on_model: Callable | None, progress: Callable | None) -> list[ModelDiagnosis]:
    """Each model trained on the hold-out parts (and, for k-fold or time-series validation, scored over every
    fold too), with its predictions on the validation and test days. Ctrl-C raises."""
    runs: list[ModelDiagnosis] = []
    for i, p in enumerate(parsed):
        if on_model:
            on_model(str(p), i, len(parsed))
        tr, va, te = parts[p.k]
        r = fit(p, prepared[p.k], config, val=va, train_windows=tr, progress=progress)
        if r.interrupted:
            raise KeyboardInterrupt
        val, val_cv = r.val, None
        if scheme.kind in ("kfold", "timeseries"):
            c = evaluate(p, prepared[p.k], scheme, config, (config.seed,))
            if c.interrupted:
                raise KeyboardInterrupt
            val_cv = {"mean": c.val_mean, "std": c.val_std, "folds": c.val_mae.tolist()}
            val = {"mae": c.val_mean, "mse": float(np.mean(c.val_mse))}
        runs.append(ModelDiagnosis(str(p), r.params, r, val, val_cv, r.predict(va.X), r.predict(te.X)))
    return runs


def _gap_growth(runs: list[ModelDiagnosis], L: str) -> dict:
    """How the train–validation gap grows with flexibility: Spearman's ρ between parameters and gap."""
    from scipy.stats import spearmanr

    pts = sorted(({"model": m.spec, "params": m.params, "gap": m.val[L] - m.fit.train[L]} for m in runs),
                 key=lambda p: p["params"])
    rho = float(spearmanr([p["params"] for p in pts], [p["gap"] for p in pts]).statistic) if len(pts) >= 3 else None
    return {"spearman": rho if rho is None or math.isfinite(rho) else None, "points": pts}
