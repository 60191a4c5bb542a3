"""Every picture is drawn by one function from one description, and both backends draw it: matplotlib
(PNG) and plotly (HTML). And the pictures read well: 13 models in 13 colours and 13 line styles, verdicts
under the names (not on the curves), titles that fit the figure, the forecast joined to the last
observed day, starting points without rounding noise, a weekly cycle that shows, and ticks that group
thousands as the tables do.
"""
from __future__ import annotations

import dataclasses
from types import SimpleNamespace as NS

import numpy as np
import pandas as pd
import pytest

import viewcast as vc
from viewcast import figures
from viewcast.book.ladder import BOOK, Row, specs
from viewcast.figures.chart import TITLE_WIDTH, Chart
from viewcast.figures.curves import LearningRun
from viewcast.figures.write import write
from viewcast.surface.landscape import Curve, Landscape, Run
from viewcast.surface.surface import SurfaceConfig, error_surface

from conftest import weekly_series

LADDER = specs()  # the book's 13 models


def weekly(n: int = 400):
    return vc.load_series(pd.Series(weekly_series(n), index=pd.date_range("2020-01-01", periods=n), name="weekly"))


def diagnosis(n_models: int = len(LADDER), worst: bool = True):
    """A diagnosis-shaped value of n models (what the figures read of one), without training."""
    days = pd.date_range("2021-01-01", periods=45)
    actual = 8000 + 600 * np.sin(np.arange(45) * 2 * np.pi / 7)
    kinds = ["model_bias", "optimization", "overfitting", "ok"]
    ms = [NS(spec=spec, params=10 * (i + 1), fit=NS(train={"mae": 700.0 - 20 * i}, test={"mae": 900.0 + 5 * i}),
             val={"mae": 800.0 - 5 * i + (i % 3) * 30}, pred_test=actual + 100 * np.cos(np.arange(45) + i),
             verdicts=[NS(verdict=kinds[i % 4], confidence=0.7)])
          for i, spec in enumerate(LADDER[:n_models])]
    wd = [{"date": "2021-02-05", "weekday": "Fri", "actual": 12000.0}] if worst else []
    return NS(config=NS(loss="mae"), models=ms, source="wiki:Demo", scheme="holdout:0.1",
              references=[NS(name="yesterday", val={"mae": 950.0}), NS(name="last_week", val={"mae": 1050.0})],
              overall={"best_model": LADDER[4]}, worst_days=wd, test_dates=days, test_actual=actual)


LONG_BLEND = " | ".join(f"relu:56x100 +log +weekday seed {i} {w}%" for i, w in enumerate([31, 22, 14, 11, 9, 7, 6]))


def forecast_result(label: str = LONG_BLEND):
    history = pd.Series(7000 + 1500 * np.sin(np.arange(120) / 5), index=pd.date_range("2021-01-01", periods=120),
                        name="wiki:Demo")
    dates = pd.date_range(history.index[-1] + pd.Timedelta(days=1), periods=14)
    fc = np.full(14, 14000.0)
    return NS(dates=dates, forecast=fc, lower={80: fc - 900, 95: fc - 1500}, upper={80: fc + 900, 95: fc + 1500},
              history=history, label=label)


def surfaces():
    x = np.linspace(5000, 9000, 60)
    y = 100 + 0.97 * x + np.random.default_rng(0).normal(0, 200, 60)
    cfg = SurfaceConfig(losses=("mae",), grid=15, steps=20)
    return [error_surface(x, y, "mae", cfg)]


def curves():
    th = np.linspace(-1, 2, 30)
    run = Run(0.0, 0.1, np.array([0.0, 0.5, 0.8]), np.array([3.0, 2.0, 1.5]), np.array([-2.0, -1.0, -0.5]), "global")
    c = Curve("linear:1 — L(w)", "w", th, (th - 1) ** 2 + 1, [run], None)
    return (c, dataclasses.replace(c, title="relu:1x2 — L(w₁)"))


def landscape():
    a = np.linspace(-1, 1, 7)
    return Landscape("relu:56x10", "mae", a, a, np.add.outer(a ** 2, a ** 2) + 1, 1.0, 581, 0.0)


def ladder_rows():
    return [Row(t, spec, 2, 500.0, 600.0, bl and bl * 1000, bt and bt * 1000, None, "", 0.0) for t, spec, bl, bt in BOOK]


def leaderboard():
    from viewcast.evaluate.leaderboard import Entry, LeaderboardResult

    rng = np.random.default_rng(0)
    pub = 1.0 + rng.normal(0, 0.05, 12)
    return LeaderboardResult("covid.train.csv", "tested_positive", "mse", {"train": 8, "val": 2, "public": 5, "private": 5},
                             0, [Entry(f"relu:16, seed {i}", "relu:16", None, i, 10, 0.8, 1.0 + rng.normal(0, 0.05), p,
                                       1.0 + rng.normal(0, 0.05)) for i, p in enumerate(pub)])


s = weekly()
PICTURES = {
    "series": lambda: figures.series_chart(s, vc.choose_split(s)),
    "weekday": lambda: figures.weekday_chart([7541, 8567, 8500, 8400, 7700, 7541, 7900]),
    "ladder": lambda: figures.ladder_chart(ladder_rows()),
    "predictions": lambda: figures.predictions_chart(pd.date_range("2021-01-01", periods=5), np.arange(5.0),
                                                     {"linear:1": (np.arange(5.0) + 1, 1.0)}),
    "surface": lambda: figures.surface_figure(surfaces()),
    "curve": lambda: figures.curve_figure(curves()),
    "landscape": lambda: figures.landscape_figure(landscape()),
    "learning": lambda: figures.learning_chart([LearningRun("relu:56x100", np.array([[3, 2, 1.0], [3, 2.5, 1.5]]),
                                                            np.array([[3, 2.4, 2.6], [3, 2.6, 2.9]]), 2)]),
    "validation": lambda: figures.losses_chart(diagnosis()),
    "validation-curve": lambda: figures.validation_curve_chart(
        [1, 7, 28], {"early stop": {"val_mean": np.array([3.0, 2, 2.5]), "val_std": np.array([0.1, 0.2, 0.1]),
                                    "train_mean": np.array([2.8, 1.5, 1.0])}}, "k", "validation curve"),
    "worst": lambda: figures.worst_chart(diagnosis()),
    "forecast": lambda: figures.forecast_chart(forecast_result()),
    "leaderboard": lambda: figures.leaderboard_chart(leaderboard()),
}


@pytest.mark.parametrize("name", list(PICTURES))
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_picture_renders_through_both_backends(name, lang, tmp_path, monkeypatch):
    monkeypatch.setenv("VIEWCAST_LANG", lang)
    picture = PICTURES[name]()
    assert len(picture.matplotlib().axes) > 0 and len(picture.plotly().data) > 0
    png, html = write(picture, tmp_path / name)  # with a Chinese font when the words are Chinese
    assert png.read_bytes()[:4] == b"\x89PNG" and b"Plotly.newPlot" in html.read_bytes()


def test_the_same_traces_in_both_backends():
    """A Chart's named traces reach both renderers, in its colours and line styles."""
    c = figures.worst_chart(diagnosis())
    g = c.plotly()
    named = [t for t in c.panels[0].traces if t.name]
    assert [d.name for d in g.data if d.showlegend] == [t.name for t in named]
    fig = c.matplotlib()
    assert [t.get_text() for t in fig.legends[0].get_texts()] == [t.name for t in named]


# ---------------------------------------------------------------- pictures that read well
def test_thirteen_models_thirteen_colours_and_line_styles():
    """The ladder's 13 models on the worst-days chart: no two share a colour or a line style."""
    c = figures.worst_chart(diagnosis())
    models = [t for t in c.panels[0].traces if t.name in LADDER]
    assert len(models) == 13
    assert len({t.color for t in models}) == 13 and len({t.dash for t in models}) == 13
    lines = {d.name: d.line for d in c.plotly().data if d.name in LADDER}
    assert len({ln.color for ln in lines.values()}) == 13 and len({ln.dash for ln in lines.values()}) == 13
    drawn = [ln for ln in c.matplotlib().axes[0].get_lines() if ln.get_label() in LADDER or ln.get_color() in
             {t.color for t in models}]
    assert len({(ln.get_color(), str(ln._unscaled_dash_pattern)) for ln in drawn}) >= 13


def test_verdicts_sit_under_the_names_not_on_the_curves():
    c = figures.losses_chart(diagnosis())
    fig = c.matplotlib()
    ax = fig.axes[0]
    assert len(ax.texts) == 0  # nothing written inside the plot
    fig.canvas.draw()
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert ticks[0] == "linear:1\nmodel bias" and ticks[1] == "linear:7\noptimization issue"
    g = c.plotly()
    assert all(a.text in ("<br>".join(c.panel_title_lines(p)) for p in c.panels) for a in g.layout.annotations)
    assert "overfitting" in g.layout.xaxis.ticktext[2]


def test_forecast_titles_fit_and_its_line_joins_the_last_observed_day():
    f = forecast_result()
    c = figures.forecast_chart(f, "en", "wiki:Demo")
    panel = c.panels[0]
    assert all(len(line) <= TITLE_WIDTH for line in c.title_lines() + c.panel_title_lines(panel))
    assert "| 4 more," in panel.title and "seed 3" not in panel.title  # a blend's first members, the rest counted
    line = next(t for t in panel.traces if t.name == "forecast")
    assert line.x[0] == np.datetime64(f.history.index[-1].date()) and line.y[0] == f.history.iloc[-1]
    assert list(line.y[1:]) == list(f.forecast)
    fig = c.matplotlib()
    fig.canvas.draw()
    edge = fig.bbox.x1
    for text in [fig._suptitle, fig.axes[0].title]:  # drawn inside the figure, not cut at its right edge
        box = text.get_window_extent()
        assert box.x0 >= 0 and box.x1 <= edge, text.get_text()


def test_a_starting_point_at_zero_reads_zero():
    """A start at (0, 0) carried through standard units comes back as (0, 9.095e-13): titles say (0, 0)."""
    from viewcast.cli.views.surface import surfaces as surface_text
    from viewcast.figures.surface import titles

    x = surfaces()[0]
    p0 = x.paths[0]
    noisy = dataclasses.replace(x, paths=[dataclasses.replace(p0, b=np.r_[9.095e-13, p0.b[1:]])] + x.paths[1:])
    assert "from (0, 0)" in titles(noisy, "en")[1]
    res = NS(surfaces=[noisy], source="demo", split=NS(describe=lambda: "train …"))
    assert any("gradient descent from (0, 0)" in str(line) for line in surface_text(res))


def test_weekday_bars_start_near_the_data():
    """From 0, 7,541 against 8,567 look equal; the axis starts near the lowest bar."""
    c = figures.weekday_chart([7541, 8567, 8500, 8400, 7700, 7541, 7900])
    lo, hi = c.matplotlib().axes[0].get_ylim()
    assert 5000 < lo < 7541 and hi > 8567
    assert (8567 - lo) > 1.8 * (7541 - lo)  # the highest bar is clearly taller than the lowest
    assert c.plotly().layout.yaxis.range[0] > 5000
    fig = c.matplotlib()
    fig.canvas.draw()
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def test_ticks_group_thousands_as_the_tables_do():
    c = figures.forecast_chart(forecast_result(), "en")
    fig = c.matplotlib()
    fig.canvas.draw()
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert any("," in lab for lab in labels) and not any(lab.isdigit() and len(lab) > 3 for lab in labels), labels
    assert c.plotly().layout.yaxis.tickformat == ","
    for name in ("series", "validation", "worst"):
        g = PICTURES[name]().plotly()
        assert g.layout.yaxis.tickformat == ",", name


def test_pictures_are_one_chart_each():
    """Each picture has one function; the CLI, the report and the notebooks call the same ones."""
    from pathlib import Path

    root = Path(vc.__file__).parent
    assert not (root / "report" / "chart.py").exists() and not (root / "report" / "charts.py").exists()
    drawing = [p.relative_to(root).as_posix() for p in root.rglob("*.py")
               if ("make_subplots" in p.read_text() or "add_subplot" in p.read_text())
               and not p.relative_to(root).as_posix().startswith("figures/")]
    assert drawing == []
    for nb in (root.parents[1] / "docs").glob("tutorial*.ipynb"):  # the tutorials draw viewcast's pictures with it
        text = nb.read_text(encoding="utf-8")
        for name in ("series_chart", "surface_figure", "ladder_chart", "losses_chart", "learning_chart", "worst_chart",
                     "forecast_chart"):
            assert f"figures.{name}(" in text, (nb.name, name)
        assert "make_subplots" not in text and "go.Contour" not in text, nb.name
    assert isinstance(PICTURES["forecast"](), Chart)
