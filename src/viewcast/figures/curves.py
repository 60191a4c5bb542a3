"""Chapter 2's curves: learning curves (training and validation loss after each update), the losses of
every model of the ladder side by side (training, validation, test; the simple references dashed; each
model's verdicts under its name, never on the curves), and a validation curve over one hyperparameter
(window length, width or depth).

>>> c = learning_chart([LearningRun("relu:56x100", np.array([3., 2., 1.]), np.array([3., 2.5, 2.6]), 2)], "en")
>>> [t.name for t in c.panels[0].traces]
['training loss', 'validation loss', 'lowest validation loss: update 2']
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from ..text import i18n
from ..text import verdicts as words
from .chart import Chart, Panel, Trace
from .style import COLORS, CYCLE, model_style


def t(key: str, lang: str | None, **kw) -> str:
    return i18n.t(f"fig.{key}", lang, **kw)


@dataclass
class LearningRun:
    """One panel of learning curves: losses in views per update, of one run (U,) or of several members (M, U)."""

    label: str  # the panel's title (the model)
    train: np.ndarray
    val: np.ndarray | None = None
    best_update: float | None = None  # the update validation liked best (marked), if early stopping kept it


def _mean(a) -> np.ndarray:
    a = np.asarray(a, float)
    if a.ndim == 1:
        return a
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # columns after every member stopped are all NaN
        return np.nanmean(a, 0)


def learning_chart(runs: list[LearningRun], lang: str | None = None, title: str | None = None,
                   key: str = "learning") -> Chart:
    """A panel per run: the mean training and validation loss per update (log scale); with several
    members, each member's validation loss faint behind the mean."""
    panels = []
    for r in runs:
        tr = _mean(r.train)
        u = np.arange(len(tr))  # entry i: the loss after i updates (the engine records L before each update)
        traces = []
        if r.val is not None and np.ndim(r.val) == 2 and len(r.val) > 1:
            traces += [Trace("line", u, h, None, COLORS["val"], width=0.8, alpha=0.2) for h in np.asarray(r.val, float)]
        traces.append(Trace("line", u, tr, i18n.t("term.train_loss", lang), COLORS["train"]))
        if r.val is not None:
            traces.append(Trace("line", u, _mean(r.val), i18n.t("term.val_loss", lang), COLORS["val"]))
        if r.best_update is not None:
            traces.append(Trace("vline", [], [float(r.best_update)], t("learning.best", lang, n=int(r.best_update)),
                                "#000000", "dash", 1))
        panels.append(Panel(r.label, t("axis.update", lang), t("axis.mae", lang), ylog=True, traces=traces))
    return Chart(key, title or t("learning_title", lang), panels, cols=max(1, len(panels)), height=320)


def losses_chart(d, lang: str | None = None, key: str = "validation") -> Chart:
    """Training, validation and test loss of every model of a diagnosis (the gap that grows is
    overfitting), predict-yesterday's and last-week's validation loss dashed, each model's verdicts
    written under its name."""
    L = d.config.loss
    names = [m.spec for m in d.models]
    traces = [Trace("lines+markers", names, [m.fit.train[L] for m in d.models], i18n.t("term.train_loss", lang),
                    COLORS["train"]),
              Trace("lines+markers", names, [m.val[L] for m in d.models], i18n.t("term.val_loss", lang), COLORS["val"]),
              Trace("lines+markers", names, [m.fit.test[L] for m in d.models], i18n.t("term.test_loss", lang),
                    COLORS["test"])]
    refs = [r for r in d.references if r.name in ("yesterday", "last_week")]
    for j, r in enumerate(refs):
        traces.append(Trace("hline", [], [r.val[L]], t("reference", lang, name=r.name), CYCLE[4 + j], "dash", 1))
    sep = "、" if i18n.resolve(lang) == "zh" else ", "
    notes = [sep.join(words.name(v.verdict, lang) for v in m.verdicts) for m in d.models]
    p = Panel(t("validation_panel", lang, source=d.source, scheme=str(d.scheme)), ylabel=t("axis.mae", lang),
              categories=True, xnotes=notes, traces=traces)
    return Chart(key, t("validation_title", lang), [p], height=400)


def validation_curve_chart(xs: list, series: dict[str, dict[str, np.ndarray]], xlabel: str, title: str,
                           lang: str | None = None, key: str = "validation-curve") -> Chart:
    """Validation loss (± its spread over folds and seeds) and training loss against one hyperparameter;
    series: {label: {"val_mean", "val_std", "train_mean"}}, each (len(xs),)."""
    traces = []
    for i, (label, s) in enumerate(series.items()):
        color, _ = model_style(i)
        traces.append(Trace("lines+markers", list(xs), s["val_mean"], t("vcurve.validation", lang, label=label), color,
                            error=s["val_std"]))
        traces.append(Trace("lines+markers", list(xs), s["train_mean"], t("vcurve.training", lang, label=label), color,
                            "dot", size=3))
    p = Panel("", xlabel, t("axis.mae", lang), traces=traces)
    return Chart(key, title, [p], height=400)
