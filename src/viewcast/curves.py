"""Learning curves (loss per update, best-update marker) and validation curves (validation loss
against window length, width or depth) as PNG (matplotlib) and self-contained HTML (plotly)."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from .store import write_atomic


def _save_png(fig, path: Path) -> Path:
    import io

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=120, bbox_inches="tight")
    write_atomic(path, buf.getvalue())
    return path


def _save_html(fig, path: Path) -> Path:
    write_atomic(path, fig.to_html(include_plotlyjs=True, full_html=True).encode())  # inline js: opens offline
    return path


def learning_curve(hist_train: np.ndarray, hist_val: np.ndarray, best_update: float | None, title: str,
                   stem: Path) -> list[Path]:
    """hist_*: (members, updates) losses in views. Writes stem.png and stem.html; returns the paths."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import plotly.graph_objects as go

    upd = np.arange(hist_train.shape[1])
    tr, va = np.nanmean(hist_train, 0), np.nanmean(hist_val, 0)
    fig, ax = plt.subplots(figsize=(7, 4))
    for h in hist_val:
        ax.plot(upd, h, color="tab:orange", alpha=0.15, lw=0.8)
    ax.plot(upd, tr, label="training loss L", color="tab:blue")
    ax.plot(upd, va, label="validation loss", color="tab:orange")
    if best_update is not None:
        ax.axvline(best_update, color="k", ls="--", lw=1)
        ax.annotate(f"best update {int(best_update)}", (best_update, np.nanmin(va)), textcoords="offset points", xytext=(5, 10))
    ax.set(xlabel="update", ylabel="MAE (views)", title=title, yscale="log")
    ax.legend()
    png = _save_png(fig, stem.with_suffix(".png"))
    plt.close(fig)
    g = go.Figure([go.Scatter(x=upd, y=tr, name="training loss L"), go.Scatter(x=upd, y=va, name="validation loss")])
    if best_update is not None:
        g.add_vline(x=float(best_update), line_dash="dash", annotation_text=f"best update {int(best_update)}")
    g.update_layout(title=title, xaxis_title="update", yaxis_title="MAE (views)", yaxis_type="log")
    return [png, _save_html(g, stem.with_suffix(".html"))]


def validation_curve(xs: list, series: dict[str, dict[str, np.ndarray]], xlabel: str, title: str, stem: Path) -> list[Path]:
    """series: {label: {"val_mean", "val_std", "train_mean"}} each (len(xs),). Writes PNG and HTML."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import plotly.graph_objects as go

    fig, ax = plt.subplots(figsize=(7, 4))
    g = go.Figure()
    for i, (label, s) in enumerate(series.items()):
        c = f"C{i}"
        ax.errorbar(xs, s["val_mean"], yerr=s["val_std"], marker="o", color=c, capsize=3, label=f"validation, {label}")
        ax.plot(xs, s["train_mean"], marker=".", ls=":", color=c, label=f"training, {label}")
        g.add_trace(go.Scatter(x=xs, y=s["val_mean"], name=f"validation, {label}", mode="lines+markers",
                               error_y=dict(type="data", array=s["val_std"])))
        g.add_trace(go.Scatter(x=xs, y=s["train_mean"], name=f"training, {label}", mode="lines+markers", line_dash="dot"))
    ax.set(xlabel=xlabel, ylabel="MAE (views)", title=title)
    ax.set_xticks(xs)
    ax.legend(fontsize=8)
    png = _save_png(fig, stem.with_suffix(".png"))
    plt.close(fig)
    g.update_layout(title=title, xaxis_title=xlabel, yaxis_title="MAE (views)")
    return [png, _save_html(g, stem.with_suffix(".html"))]
