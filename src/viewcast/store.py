"""Saved models: weights in safetensors (loading never executes code) with everything needed to
predict in its JSON metadata. Written atomically: a crash never leaves half a file.

>>> p = save(vc.fit(s, "linear:7", epochs=20), tmp / "m.safetensors", s)
>>> model, meta = load(p)
>>> meta["k"], scaler_of(meta).log
(7, False)
"""
from __future__ import annotations

import hashlib
import json
import math
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from . import models
from .errors import ViewcastError
from .io import check_target, write_atomic
from .version import __version__
from .data.series import DailySeries
from .evaluate.rules import blend_label, equal_weights
from .features import Features, Scaler

if TYPE_CHECKING:  # torch loads with the first model saved or loaded: `viewcast predict --help` needs none
    import torch

FORMAT = "viewcast-model"
FORMAT_VERSION = 1
BLEND_VERSION = 2  # a --rule tie file: several members, equal weights (an older viewcast must say it cannot read it)
WEIGHTED_VERSION = 3  # a blend with each member's weight (--rule ratio or soft): read as equal weights, it would be wrong
TABLE_VERSION = 4  # a table's model: every feature's scaling and the columns it reads (read as a series', it would be wrong)
READS = (FORMAT_VERSION, BLEND_VERSION, WEIGHTED_VERSION, TABLE_VERSION)


def fingerprint(series: DailySeries) -> dict:
    """What data a model was trained on: name, dates, and a hash of the values."""
    digest = hashlib.sha256(np.ascontiguousarray(series.values, dtype="float64").tobytes()).hexdigest()
    return {"name": series.name, "start": f"{series.start:%Y-%m-%d}", "end": f"{series.end:%Y-%m-%d}", "sha256": digest}


def _member(result) -> dict:
    """What it takes to rebuild and use one saved model."""
    return {"spec": result.spec, "k": result.k,
            "scaler": result.scaler.as_dict(),
            "features": {"log": result.features.log, "weekday": result.features.weekday, "diff": result.features.diff},
            "ensemble": len(result.model.members) if isinstance(result.model, models.Ensemble) else 1,
            "dropout": float(result.config.dropout)}


def save(result, path: str | Path, series: DailySeries, calibration=None, blend: list | None = None,
         weights: list[float] | None = None) -> Path:
    """Write `result`'s model to `path` (safetensors + metadata) atomically; returns the path.
    `calibration` (a forecast.Calibration) lets `predict` give the same intervals as `forecast`.
    `blend`: the refit models of a `--rule tie`, `soft` or `ratio` forecast (result first), all saved, with their
    `weights`; `predict` averages their paths as `forecast` did."""
    path = check_target(path)
    meta = {
        "format": FORMAT, "format_version": FORMAT_VERSION, "viewcast": __version__,
        "spec": result.spec, "k": result.k,
        "scaler": result.scaler.as_dict(),
        "features": {"log": result.features.log, "weekday": result.features.weekday, "diff": result.features.diff},
        "ensemble": len(result.model.members) if isinstance(result.model, models.Ensemble) else 1,
        "config": asdict(result.config), "data": fingerprint(series),
        "train": result.train, "test": result.test, "updates": result.updates,
        "stop_reason": result.stop_reason, "interrupted": result.interrupted,
        "trained_through": f"{result.split.train_end:%Y-%m-%d}" if getattr(result, "split", None) is not None else None,
    }
    if calibration is not None:
        meta["conformal"] = {"log": calibration.log, "levels": list(calibration.levels), "q": calibration.q.tolist(),
                             "n": calibration.n.tolist()}
    if blend and len(blend) > 1:
        weights = [1 / len(blend)] * len(blend) if weights is None else [float(w) for w in weights]
        meta["blend"] = [{**_member(r), "weight": w} for r, w in zip(blend, weights)]
        # equal weights (rule tie) read right by a viewcast that knows only format 2; unequal ones would not
        meta["format_version"] = BLEND_VERSION if equal_weights(weights) else WEIGHTED_VERSION
        tensors = {f"blend.{i}.{k}": v.detach().cpu().contiguous()
                   for i, r in enumerate(blend) for k, v in r.model.state_dict().items()}
    else:
        tensors = {k: v.detach().cpu().contiguous() for k, v in result.model.state_dict().items()}
    from safetensors.torch import save as st_save  # torch loads with the first model saved or loaded

    blob = st_save(tensors, metadata={"viewcast": json.dumps(meta)})
    write_atomic(path, blob)
    return path


def save_table(result, path: str | Path) -> Path:
    """Write a table's model (a FitResult of a table's rows) atomically: its weights, and in the metadata
    every feature's mean and std on the training rows (`TableScaler`), the features it reads and the training
    file's columns — all a test file needs to be scaled and checked the same way."""
    path = check_target(path)
    cols = result.columns
    meta = {
        "format": FORMAT, "format_version": TABLE_VERSION, "viewcast": __version__,
        "spec": str(models.for_table(result.spec, result.k)), "model": result.spec, "k": result.k,
        "scaler": result.scaler.as_dict(), "features": {"log": False, "weekday": False, "diff": False},
        "ensemble": len(result.model.members) if isinstance(result.model, models.Ensemble) else 1,
        "config": asdict(result.config), "data": {"name": result.source, "rows": result.train_days},
        "table": {"target": cols.target, "target_column": cols.target_column, "id_column": cols.id_column,
                  "features": list(cols.names),
                  "file_columns": list(cols.file_columns), "select_by": cols.by},
        "train": result.train, "test": result.test, "updates": result.updates,
        "stop_reason": result.stop_reason, "interrupted": result.interrupted,
    }
    tensors = {k: v.detach().cpu().contiguous() for k, v in result.model.state_dict().items()}
    from safetensors.torch import save as st_save

    write_atomic(path, st_save(tensors, metadata={"viewcast": json.dumps(meta)}))
    return path


def load(path: str | Path) -> tuple[torch.nn.Module, dict]:
    """(model in eval mode, metadata) from a file written by `save`. Never executes code. A `--rule tie`
    file gives a torch.nn.ModuleList of its members, meta["blend"] describing each; `fitted_of` pairs
    them with their scalers for `forecast.blend_days`."""
    path = Path(path)
    if not path.is_file():
        raise ViewcastError(f"{path}: no such model file; make one with `viewcast fit --save {path.name}`, "
                            f"`viewcast cv --save {path.name}` or `viewcast forecast --save {path.name}`")
    import torch
    from safetensors import SafetensorError
    from safetensors.torch import load as st_load

    raw = path.read_bytes()
    try:
        tensors = st_load(raw)
        header_len = int.from_bytes(raw[:8], "little")
        header = json.loads(raw[8:8 + header_len])
        meta = json.loads(header.get("__metadata__", {}).get("viewcast", "null"))
    except (SafetensorError, ValueError, UnicodeDecodeError):
        raise ViewcastError(f"{path}: not a viewcast model file (safetensors expected; pickles are never loaded)") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise ViewcastError(f"{path}: a safetensors file, but not one written by viewcast")
    if meta.get("format_version") not in READS:
        raise ViewcastError(f"{path}: model format {meta.get('format_version')} from viewcast {meta.get('viewcast')}; this viewcast reads formats {', '.join(map(str, READS))}: refit it")
    feats = meta.get("features", {})
    extra = 7 if feats.get("weekday") else 0
    n = int(meta.get("ensemble", 1))
    parts = meta.get("blend") or []
    missing = [key for key in ("spec", "k", "scaler") if key not in meta
               or any(not isinstance(m, dict) or key not in m for m in parts)]
    if missing:
        raise ViewcastError(f"{path}: its metadata lacks {', '.join(missing)}; the file is damaged: refit it")
    if parts and not _good_weights(meta):
        raise ViewcastError(f"{path}: its blend's weights are missing or not positive numbers; the file is damaged: refit it")
    try:
        # the same layers as in training (dropout layers shift the numbering; they do nothing in eval mode)
        drop = float(meta.get("config", {}).get("dropout", 0.0))
        if meta.get("blend"):  # a --rule tie, soft or ratio forecast: its members, each with its own weights
            model = torch.nn.ModuleList([_build(m["spec"], float(m.get("dropout", 0.0)),
                                                7 if m["features"]["weekday"] else 0, int(m.get("ensemble", 1)))
                                         for m in meta["blend"]])
            tensors = {k.partition(".")[2]: v for k, v in tensors.items()}  # "blend.0.x" → "0.x"
        else:
            model = _build(meta["spec"], drop, extra, n)
    except (KeyError, TypeError, ValueError) as e:
        raise ViewcastError(f"{path}: its metadata is incomplete or damaged ({type(e).__name__}: {e}); refit it") from None
    try:
        model.load_state_dict(tensors)
    except RuntimeError:
        raise ViewcastError(f"{path}: its weights do not fit the model {meta['spec']}; the file is damaged: refit it") from None
    model.eval()
    return model, meta


def _build(spec: str, dropout: float, extra: int, n: int) -> torch.nn.Module:
    if n > 1:
        return models.Ensemble([models.build(spec, dropout=dropout, extra_inputs=extra) for _ in range(n)])
    return models.build(spec, dropout=dropout, extra_inputs=extra)


def label_of(meta: dict) -> str:
    """What a saved file forecasts with: 'linear:56 +log', or 'mean of A 62% | B 38%' for a blend."""
    one = lambda m: m["spec"] + str(Features(**{k: bool(v) for k, v in m.get("features", {}).items()}))  # noqa: E731
    return blend_label([one(m) for m in meta["blend"]], weights_of(meta)) if meta.get("blend") else one(meta)


def _good_weights(meta: dict) -> bool:
    """A format-3 blend gives every member a weight; weights are finite, not negative, some above 0."""
    w = [m.get("weight", None if meta.get("format_version") == WEIGHTED_VERSION else 1.0) for m in meta["blend"]]
    try:
        w = [float(x) for x in w]
    except (TypeError, ValueError):
        return False
    return all(math.isfinite(x) and x >= 0 for x in w) and sum(w) > 0


def weights_of(meta: dict) -> list[float] | None:
    """A blend's weights (a format-2 file's members weigh the same); None for one model."""
    if not meta.get("blend"):
        return None
    w = [float(m.get("weight", 1.0)) for m in meta["blend"]]
    return [x / sum(w) for x in w]


def fitted_of(model: torch.nn.Module, meta: dict) -> list[tuple]:
    """(model, scaler, k, weekday) of each model a saved file forecasts with: one, or a blend's members."""
    if meta.get("blend"):
        return [(m, scaler_of(b), int(b["k"]), bool(b["features"]["weekday"])) for m, b in zip(model, meta["blend"])]
    return [(model, scaler_of(meta), int(meta["k"]), features_of(meta).weekday)]


def scaler_of(meta: dict) -> Scaler:
    sc = meta["scaler"]
    return Scaler(float(sc["mean"]), float(sc["std"]), bool(sc.get("log", False)), bool(sc.get("diff", False)))


def features_of(meta: dict) -> Features:
    f = meta.get("features", {})
    return Features(log=bool(f.get("log", False)), weekday=bool(f.get("weekday", False)), diff=bool(f.get("diff", False)))


def calibration_of(meta: dict):
    """The forecast intervals' calibration saved with a model (None when it has none)."""
    c = meta.get("conformal")
    if not c:
        return None
    from .forecasting.conformal import Calibration

    return Calibration(bool(c["log"]), tuple(c["levels"]), np.array(c["q"], dtype=float), np.array(c["n"]))
