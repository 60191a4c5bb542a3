"""Learning curves (loss per update, the best update marked) and validation curves (validation
loss against window length, width or depth), as PNG and self-contained HTML.
"""
from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np

from .figures import COLORS, CYCLE, new_figure, save_html, save_png


def _nanmean(a: np.ndarray) -> np.ndarray:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # columns after every member stopped are all NaN
        return np.nanmean(a, 0)


def learning_curve(hist_train: np.ndarray, hist_val: np.ndarray, best_update: float | None, title: str,
                   stem: Path, unit: str = "MAE (views)") -> list[Path]:
    """hist_*: (members, updates) losses in views. Writes stem.png and stem.html; returns the paths."""
    import plotly.graph_objects as go

    upd = np.arange(hist_train.shape[1])
    tr, va = _nanmean(hist_train), _nanmean(hist_val)
    fig = new_figure((7, 4))
    ax = fig.add_subplot()
    for h in hist_val:
        ax.plot(upd, h, color=COLORS["val"], alpha=0.15, lw=0.8)
    ax.plot(upd, tr, label="training loss L", color=COLORS["train"])
    ax.plot(upd, va, label="validation loss", color=COLORS["val"])
    if best_update is not None:
        ax.axvline(best_update, color="k", ls="--", lw=1)
        ax.annotate(f"best update {int(best_update)}", (best_update, np.nanmin(va)), textcoords="offset points", xytext=(5, 10))
    ax.set(xlabel="update", ylabel=unit, title=title, yscale="log")
    ax.legend()
    png = save_png(fig, stem.with_suffix(".png"))
    g = go.Figure([go.Scatter(x=upd, y=tr, name="training loss L", line=dict(color=COLORS["train"])),
                   go.Scatter(x=upd, y=va, name="validation loss", line=dict(color=COLORS["val"]))])
    if best_update is not None:
        g.add_vline(x=float(best_update), line_dash="dash", annotation_text=f"best update {int(best_update)}")
    g.update_layout(title=title, xaxis_title="update", yaxis_title=unit, yaxis_type="log", template="plotly_white")
    return [png, save_html(g, stem.with_suffix(".html"))]


def validation_curve(xs: list, series: dict[str, dict[str, np.ndarray]], xlabel: str, title: str, stem: Path) -> list[Path]:
    """series: {label: {"val_mean", "val_std", "train_mean"}} each (len(xs),). Writes PNG and HTML."""
    import plotly.graph_objects as go

    fig = new_figure((7, 4))
    ax = fig.add_subplot()
    g = go.Figure()
    for i, (label, s) in enumerate(series.items()):
        c = CYCLE[i % len(CYCLE)]
        ax.errorbar(xs, s["val_mean"], yerr=s["val_std"], marker="o", color=c, capsize=3, label=f"validation, {label}")
        ax.plot(xs, s["train_mean"], marker=".", ls=":", color=c, label=f"training, {label}")
        g.add_trace(go.Scatter(x=xs, y=s["val_mean"], name=f"validation, {label}", mode="lines+markers",
                               line=dict(color=c), error_y=dict(type="data", array=s["val_std"])))
        g.add_trace(go.Scatter(x=xs, y=s["train_mean"], name=f"training, {label}", mode="lines+markers",
                               line=dict(color=c, dash="dot")))
    ax.set(xlabel=xlabel, ylabel="MAE (views)", title=title)
    ax.set_xticks(xs)
    ax.legend(fontsize=8)
    png = save_png(fig, stem.with_suffix(".png"))
    g.update_layout(title=title, xaxis_title=xlabel, yaxis_title="MAE (views)", template="plotly_white")
    return [png, save_html(g, stem.with_suffix(".html"))]
