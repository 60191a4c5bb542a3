"""`viewcast report` and the fixed pictures: the page shows the library's numbers, every part in
English and Chinese, opens offline in a real browser with no request and no error; a short series
gets the parts that fit and says what was left out; --png draws every figure; bad outputs are refused
before any work. The error surface's default picture has a path that reaches the minimum, a loss
axis from 0 and the same colours in PNG and HTML."""
import json
import re
from html import escape

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import viewcast as vc
from conftest import daily_csv, weekly_series
from viewcast import api
from viewcast.cli import app
from viewcast.features import choose_split, prepare
from viewcast.book import report as collect
from viewcast.figures import surface as surface_fig
from viewcast.figures.style import colorscale
from viewcast.forecasting import Selector
from viewcast.report import page
from viewcast.text import i18n
from viewcast.text.fmt import num
from viewcast.report.sections import PARTS, lag_correlations
from viewcast.surface.surface import SurfaceConfig, linear1_data, loss_at

runner = CliRunner()
EPOCHS = 40  # enough for every rung to learn the weekly cycle; the assertions compare numbers, not quality
QUICK = collect.ReportConfig(epochs=EPOCHS, days=7, grid=30)


def series(n: int, name: str = "weekly"):
    """A views-like daily series of n days with a weekly cycle, from 2020-01-01."""
    return vc.load_series(pd.Series(weekly_series(n), index=pd.date_range("2020-01-01", periods=n), name=name))


def cells(html: str, div_id: str) -> list[list[str]]:
    """The rows of the table inside <div id=div_id>: each cell's data-value (a number) or its text."""
    block = re.search(rf'<div[^>]*id="{div_id}"[^>]*>(.*?)</table>', html, re.S)[1]
    rows = re.findall(r"<tr>(.*?)</tr>", re.search(r"<tbody>(.*)", block, re.S)[1], re.S)
    out = []
    for r in rows:
        out.append([m[1] if m[1] is not None else re.sub(r"<[^>]+>", "", m[2])
                    for m in re.finditer(r'<td(?: class="num")?(?: data-value="([^"]*)")?>(.*?)</td>', r, re.S)])
    return out


def prose(html: str) -> str:
    """The page's visible sentences and headings (not the data, not the scripts)."""
    body = re.sub(r"<script.*?</script>", "", html, flags=re.S)
    tags = "p|h1|h2|li|caption|th"
    return " ".join(re.sub(r"<[^>]+>", "", m) for m in re.findall(rf"<(?:{tags})[^>]*>(.*?)</(?:{tags})>", body, re.S))


def cjk_share(text: str) -> float:
    """CJK characters among the letters (Latin or CJK) of `text`."""
    cjk = len(re.findall(r"[\u4e00-\u9fff]", text))
    return cjk / max(1, cjk + len(re.findall(r"[A-Za-z]", text)))


# ---------------------------------------------------------------- the default series, every part, en and zh
@pytest.fixture(scope="module")
def default(tmp_path_factory):
    """The default series collected once (fewer updates than the default recipe) and rendered in both languages."""
    s = vc.load_series()
    d = collect.collect(s, config=collect.ReportConfig(epochs=100, days=14))
    folder = tmp_path_factory.mktemp("report")
    pages = {}
    for lang in ("en", "zh"):
        pages[lang] = folder / f"report-{lang}.html"
        pages[lang].write_text(page.render(d, lang), encoding="utf-8")
    return {"data": d, "pages": pages}


@pytest.mark.slow
def test_default_series_has_every_part_in_both_languages(default):
    d = default["data"]
    assert d.left_out == [] and d.split == choose_split(d.series)
    figs = page.figures(d, "en")
    assert set(figs) == {"series", "weekday", "ladder", "predictions", "surface", "learning", "validation", "worst",
                         "forecast"}
    for lang, path in default["pages"].items():
        html = path.read_text(encoding="utf-8")
        assert page.present_parts(html) == list(PARTS), lang
        assert 'data-left-out' not in html and 'id="sec-left-out"' not in html
        for key in figs:
            assert f'<figure class="chart" id="fig-{key}">' in html
        assert html.count("Plotly.newPlot(") == len(figs)
        assert html.count("* plotly.js v") == 1  # plotly.js inlined once, for every figure
        assert not re.search(r"""<(script|link|img|iframe)[^>]+(src|href)\s*=""", html, re.I)  # nothing fetched
        for formula in ("L(b, w)", "η", "θ*", "σ(x) = 1/(1+e⁻ˣ)", "arg min<sub>w, b</sub>"):
            assert formula in html, formula
    en, zh = (prose(default["pages"][lang].read_text(encoding="utf-8")) for lang in ("en", "zh"))
    assert cjk_share(zh) > 0.5 and cjk_share(en) == 0
    assert '<html lang="zh-CN">' in default["pages"]["zh"].read_text(encoding="utf-8")
    for term in ("模型偏差", "过拟合", "误差表面", "学习率", "梯度下降"):
        assert term in zh


@pytest.mark.slow
def test_pages_open_offline_with_no_request_and_no_error(default, open_page):
    for lang, path in default["pages"].items():
        url = path.as_uri()
        pg = open_page(url)
        assert pg.errors == [], lang
        assert [u for u in pg.requests if not u.startswith(("data:", "blob:"))] == [url]
        assert pg.evaluate("document.querySelectorAll('.js-plotly-plot .main-svg').length") > 0
        drawn = pg.evaluate("[...document.querySelectorAll('figure.chart')]"
                            ".map(f => f.querySelector('.js-plotly-plot') !== null)")
        assert drawn and all(drawn)
        assert pg.evaluate("document.documentElement.scrollWidth") <= 1400  # a 1400-px window: no sideways scroll
        for part in PARTS:
            assert pg.is_visible(f"#sec-{part} h2")
        if lang == "zh":
            assert cjk_share(pg.inner_text("main")) > 0.5


# ---------------------------------------------------------------- the numbers are the library's
@pytest.fixture(scope="module")
def weekly(tmp_path_factory):
    """A 600-day weekly series' report (every part), computed by the library and written with its PNGs."""
    s = series(600)
    folder = tmp_path_factory.mktemp("weekly")
    d = api.report_data(s, config=QUICK)
    res = page.write_report(d, folder / "r.html", "en", folder / "png")
    return {"series": s, "result": res, "html": res.path.read_text(encoding="utf-8"), "data": d}


@pytest.fixture(scope="module")
def weekly_ladder(weekly):
    return api.ladder(weekly["series"], epochs=EPOCHS)  # the call a user makes: same seed, same numbers


def test_numbers_shown_are_the_librarys(weekly, weekly_ladder):
    s, html, lad = weekly["series"], weekly["html"], weekly_ladder
    table_a = {r[0]: r for r in cells(html, "table-A")}
    row = lad.to_frame().loc[("A", "linear:56")]
    assert float(table_a["linear:56"][2]) == row["train_mae"] and float(table_a["linear:56"][3]) == row["test_mae"]
    assert float(table_a["linear:1"][4]) == 480.0 and float(table_a["linear:1"][5]) == 580.0  # the book's, in views
    assert [r[0] for r in cells(html, "table-C")] == ["relu:56x100", "relu:56x100x2", "relu:56x100x3",
                                                      "relu:56x100x4", "relu:56x100x5"]
    f = api.forecast(s, days=QUICK.days, models=list(Selector.DEFAULT.models), epochs=EPOCHS)
    shown = cells(html, "forecast-table")
    assert shown[0][0] == f"{f.dates[0]:%Y-%m-%d}" and float(shown[0][2]) == float(f.forecast[0])
    assert weekly["result"].forecast_first == float(f.forecast[0]) and len(shown) == QUICK.days
    x, y, _, _ = linear1_data(s, choose_split(s), normalize=False)
    w, b = api.error_surface(s, grid=10).surfaces[0].exact_views
    assert f"w* = {w:.3f}" in html and f"L = {num(loss_at(x, y, w, b, 'mae'))} views a day" in html


def test_png_per_figure_same_as_the_page(weekly):
    res, html = weekly["result"], weekly["html"]
    figs = re.findall(r'<figure class="chart" id="fig-(\w+)">', html)
    assert sorted(p.stem for p in res.pngs) == sorted(figs) and len(figs) == 9
    for p in res.pngs:
        assert p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and p.stat().st_size > 10_000


def test_the_one_day_model_trails_the_truth_by_a_day(weekly, weekly_ladder):
    """The book's red curve one day behind the blue: linear:1's predictions follow yesterday's views."""
    d = weekly["data"]
    same, before = lag_correlations(d.test_actual, d.predictions["linear:1"])
    assert before > 0.9 and before > same + 0.2
    assert escape(f"correlate {before:.2f} with the previous day's views and {same:.2f}") in weekly["html"]
    ref = weekly_ladder.fits["linear:1"]  # the page's linear:1 is the library's
    w = prepare(weekly["series"], 1, choose_split(weekly["series"]), history=56).test  # the ladder's target days
    assert np.array_equal(ref.predict(w.X), d.predictions["linear:1"]) and np.array_equal(w.y, d.test_actual)


# ---------------------------------------------------------------- a short series
def test_short_series_gets_the_parts_that_fit_and_says_what_was_left_out(tmp_path):
    s = series(150)  # 135 training days: linear:1, :7, :28 fit; every 56-day model needs 170
    d = collect.collect(s, config=QUICK)
    assert list(d.ladder.fits) == ["linear:1", "linear:7", "linear:28"]
    for lang in ("en", "zh"):
        html = page.render(d, lang)
        assert page.present_parts(html) == list(PARTS)  # each part still has what fits
        box = re.search(r'<aside id="sec-left-out".*?</aside>', html, re.S)[0]
        assert "relu:56x100x5" in box and "135" in box and "170" in box
        assert "relu:56x100" not in "".join(r[0] for r in cells(html, "table-A"))
        assert 'id="table-C"' not in html
    assert i18n.t("report.left.title", "zh") in page.render(d, "zh")


def test_too_short_for_any_model_still_shows_the_series(tmp_path):
    s = series(10)  # 9 training days: not even yesterday → today has enough windows
    d = collect.collect(s, config=QUICK)
    html = page.render(d, "en")
    forecast = ["forecast"] if d.forecast is not None else []  # the page shows a forecast when the library gives one
    assert page.present_parts(html) == ["series", "steps"] + forecast
    for part in ["ladder", "predictions", "surface", "curves", "diagnosis"] + (["forecast"] if not forecast else []):
        sec = re.search(rf'<section id="sec-{part}" data-part="{part}" data-left-out="1">.*?</section>', html, re.S)
        assert sec and 'class="left-out"' in sec[0], part
    assert "training period has 9 days, and the shortest of their windows needs at least 11" in html
    assert list(page.figures(d, "en")) == ["series", "weekday"] + forecast


# ---------------------------------------------------------------- the command
@pytest.fixture
def no_work(monkeypatch):
    def forbidden(*a, **k):
        raise AssertionError("the report was computed before the outputs were checked")

    monkeypatch.setattr(collect, "collect", forbidden)
    monkeypatch.setattr(collect.book_ladder, "run", forbidden)


@pytest.mark.parametrize("args, says", [(["-o", "/proc/nope/r.html"], "--out /proc/nope/r.html:"),
                                        (["--lang", "xx"], "--lang xx: unknown language"),
                                        (["--png", "FILE"], "--png"),
                                        (["-o", "r.txt"], "--out r.txt: use .html"),
                                        (["--days", "0"], "--days 0: must be")])
def test_bad_outputs_one_line_exit_2_before_any_work(no_work, tmp_path, args, says):
    (tmp_path / "file.txt").write_text("x")
    args = [str(tmp_path / "file.txt") if a == "FILE" else str(tmp_path) if a == "DIR" else a for a in args]
    r = runner.invoke(app, ["report", "-o", str(tmp_path / "r.html"), *args])
    assert r.exit_code == 2, r.output
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and says in lines[0], r.stderr
    assert not (tmp_path / "r.html").exists()


def test_cli_json_and_language_from_the_environment(tmp_path):
    csv = tmp_path / "v.csv"
    csv.write_text(daily_csv(weekly_series(150)))  # too short for 56 days of input
    out = tmp_path / "r.html"
    r = runner.invoke(app, ["report", str(csv), "-o", str(out), "--epochs", "20", "--days", "3", "--json"],
                      env={"VIEWCAST_LANG": "zh"})
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["file"] == str(out) and d["lang"] == "zh" and d["bytes"] == out.stat().st_size and d["png"] == []
    assert d["parts"] == list(PARTS) and [x["part"] for x in d["left_out"]] == ["rungs"]
    assert d["source"] == "v.csv:value" and d["forecast_first"] > 0


def test_many_series_one_page_each_and_an_index(tmp_path):
    folder = tmp_path / "csvs"
    folder.mkdir()
    for i in range(2):
        (folder / f"s{i}.csv").write_text(daily_csv(weekly_series(120, seed=i)))
    (folder / "bad.csv").write_text("date,value\n2020-01-01,1\n")
    out = tmp_path / "site"
    r = runner.invoke(app, ["report", str(folder), "-o", str(out), "--epochs", "10", "--days", "2", "--json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert sorted(p["source"] for p in d["pages"]) == ["s0.csv:value", "s1.csv:value"]
    index = (out / "index.html").read_text(encoding="utf-8")
    for p in d["pages"]:
        assert f'href="{p["file"].split("/")[-1]}"' in index and (out / p["file"].split("/")[-1]).exists()
    assert "bad.csv" in index and [s["series"] for s in d["skipped"]] == ["bad.csv:value"]


# ---------------------------------------------------------------- the fixed pictures
@pytest.mark.slow
def test_default_surface_has_a_too_small_a_good_and_a_too_large_step(default):
    """The default picture: one η reaches the minimum within the updates shown, one is too small, one too large;
    gradient descent steps in standard units and is drawn in views (the surface's units)."""
    s = default["data"].series
    res = api.error_surface(s, grid=20)
    x, y, _, _ = linear1_data(s, choose_split(s), normalize=False)
    for surf in res.surfaces:
        small, good, large = surf.paths
        assert [q.outcome for q in surf.paths] == ["too_slow", "within",
                                                    "oscillates" if surf.loss == "mae" else "diverged"]
        assert good.within_at < SurfaceConfig.steps and all(q.standard for q in surf.paths)
        for q in (small, good):  # drawn in views: each point's loss is L at that (w, b) in views
            for i in (0, len(q.loss) // 2, -1):
                assert q.loss[i] == pytest.approx(loss_at(x, y, q.w[i], q.b[i], surf.loss), rel=1e-9)
        assert (good.w[0], good.b[0]) == (0.0, 0.0)
    # the book's plain gradient descent on raw views is still there when η is given
    raw = api.error_surface(s, grid=20, lrs=(1e-9,), losses=("mse",)).surfaces[0].paths[0]
    assert not raw.standard and raw.outcome == "too_slow"


def test_surface_png_and_html_share_colours_and_the_loss_axis_starts_at_zero(default):
    surfs = api.error_surface(default["data"].series, grid=20).surfaces
    fig = surface_fig.surface_html(surfs, "en")
    contours = [t for t in fig.data if t.type == "contour"]
    assert [list(map(list, t.colorscale)) for t in contours] == [colorscale()] * 2  # matplotlib's rainbow
    assert fig.layout.width is None  # fills its window: never wider than 1400 px
    for scene in (fig.layout.scene, fig.layout.scene2):
        assert scene.zaxis.range[0] >= 0
    png = surface_fig.surface_png(surfs, "en")
    z3d = [ax for ax in png.axes if ax.name == "3d"]
    assert all(ax.get_zlim()[0] >= 0 for ax in z3d)
    assert all(ax.zaxis.label.get_rotation() == 90 for ax in z3d)  # reads bottom to top, not mirrored
    html_paths = [t.line.color for t in fig.data if t.type == "scatter" and t.mode == "lines+markers"]
    png_paths = [line.get_color() for ax in png.axes if ax.name != "3d" for line in ax.lines if line.get_label().startswith("η")]
    assert html_paths == png_paths == surface_fig.PATH_COLORS[:3] * 2
    for ax in png.axes:  # legends below the axes, never over the contours
        leg = ax.get_legend()
        if leg is not None:
            assert leg.get_bbox_to_anchor().y1 < ax.get_window_extent().y0 + 1


def test_surface_html_fits_a_1400_px_window(tmp_path, open_page):
    from viewcast.figures.write import write_file

    path = write_file(surface_fig.surface_figure(api.error_surface(vc.load_series(), grid=20).surfaces), tmp_path / "s.html")
    text = path.read_text(encoding="utf-8")
    text = text.replace("</body>", "<script>document.body.dataset.ready = '1';</script></body>")
    path.write_text(text, encoding="utf-8")
    pg = open_page(path.as_uri())
    assert pg.errors == [] and pg.evaluate("document.documentElement.scrollWidth") <= 1400
