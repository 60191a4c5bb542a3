"""`viewcast lab` and the message catalogue: the page's numbers are the library's, the file is
self-contained, the CLI checks its output first; in a real browser the page's loss read-out, gradient
descent, divergence, Chinese text, URL state and piece builder give the library's known answers."""
import json
import math
import re
import threading
import urllib.error
import urllib.request

import numpy as np
import pytest
import torch
from typer.testing import CliRunner

from viewcast.cli import app
from viewcast.data import load_series
from viewcast.errors import ViewcastError
from viewcast.features import choose_split, prepare
from viewcast.models.exact import exact_linear
from viewcast.text import i18n
from viewcast.book import lab as lab_numbers
from viewcast.lab import page as lab_page
from viewcast.lab import serve as lab_serve
from viewcast.surface.surface import BOOK_B, BOOK_W, gd_path, linear1_data, loss_at, loss_grid

from conftest import daily_csv, weekly_series

runner = CliRunner()


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """The default series' lab, built once: its data, the library's (x, y) and the pages en and zh."""
    s = load_series()
    split = choose_split(s)
    data = lab_numbers.lab_data(s, split)
    folder = tmp_path_factory.mktemp("lab")
    pages = {}
    for lang in ("en", "zh"):
        pages[lang] = folder / f"lab-{lang}.html"
        pages[lang].write_text(lab_page.render(data, lang), encoding="utf-8")
    x, y, _, _ = linear1_data(s, split, normalize=False)
    xn, yn, mean, std = linear1_data(s, split, normalize=True)
    return {"data": data, "pages": pages, "x": x, "y": y, "xn": xn, "yn": yn, "mean": mean, "std": std,
            "split": split, "series": s}


def same_4(a: float, b: float) -> bool:
    """a equals b to 4 significant digits (half a unit of b's 4th digit)."""
    return abs(a - b) <= 0.5 * 10 ** (math.floor(math.log10(abs(b))) - 3)


def shown(text: str) -> float:
    """The number after '=' in a read-out such as 'training loss L(b, w) = 1,595.58 views'."""
    return float(re.search(r"[=:：]\s*(-?[\d,]+(?:\.\d+)?)", text)[1].replace(",", ""))


def href(page) -> str:
    """The page's URL now (page.url follows history.replaceState only after a round trip of events)."""
    return page.evaluate("location.href")


def url_state(page) -> dict:
    return dict(re.findall(r"([^#&=]+)=([^&]*)", urllib.request.unquote(href(page).split("#", 1)[1])))


# ---------------------------------------------------------------- the page's data is the library's
def test_embedded_numbers_are_the_librarys(lab):
    d, x, y = lab["data"], lab["x"], lab["y"]
    assert d["split"] == {"train_start": "2017-01-01", "train_end": "2020-12-31",
                          "test_start": "2021-01-01", "test_end": "2021-02-14"}
    assert np.array_equal(d["train"]["x"], x) and np.array_equal(d["train"]["y"], y) and len(x) == 1460
    assert len(d["test"]["x"]) == 45
    assert (d["scaler"]["mean"], d["scaler"]["std"]) == (lab["mean"], lab["std"])
    for loss in ("mae", "mse"):
        w, b = exact_linear(x[:, None], y, loss)
        e = d["exact"][loss]
        assert (e["w"][0], e["b"]) == (float(w[0]), b)
        assert e["L"] == pytest.approx(loss_at(x, y, w[0], b, loss), rel=1e-12)
        g = d["grid"]
        ref = loss_grid(x, y, np.array(g["w"][::17]), np.array(g["b"][::23]), loss)
        assert np.allclose(np.array(g[loss])[::23, ::17], ref, rtol=1e-6)  # stored to 7 digits
        assert g["w"][0] <= min(0.0, BOOK_W, w[0]) and g["w"][-1] >= max(BOOK_W, w[0])  # every marked point on the map
    assert d["exact"]["mae"]["L"] == pytest.approx(1595.58, abs=0.01)  # the README's linear:1 exact L
    p56 = prepare(lab["series"], 56, lab["split"], normalize=False)
    w56, b56 = exact_linear(p56.train.X, p56.train.y, "mae")
    ref56 = next(r for r in d["refs"] if r["model"] == "linear:56")["mae"]
    assert ref56["L"] == pytest.approx(np.mean(np.abs(p56.train.X @ w56 + b56 - p56.train.y)))
    assert ref56["Lp"] == pytest.approx(np.mean(np.abs(p56.test.X @ w56 + b56 - p56.test.y)))
    assert d["book"]["linear"]["linear:1"] == [480.0, 580.0] and d["left_out"] == []


def test_fitted_pieces_are_the_trained_network():
    """hardsigmoid:1xH as a constant plus H pieces c·clamp(b + w·x₁, 0, 1) in thousands of views gives
    the network's own predictions."""
    import viewcast as vc

    s = vc.load_series(daily_csv_series())
    r = vc.fit(s, "hardsigmoid:1x4", epochs=50)
    const, pieces = lab_numbers._pieces(r)
    xs = np.linspace(0, 12000, 97)
    with torch.no_grad():
        net = r.model(torch.tensor(r.scaler.transform(xs)[:, None], dtype=torch.float32)).double().numpy()
    built = 1000 * (const + sum(c * np.clip(b + w * xs / 1000, 0, 1) for c, b, w in pieces))
    assert len(pieces) == 4
    assert np.allclose(built, r.scaler.inverse(net), rtol=1e-5, atol=1e-3)


def daily_csv_series():
    import pandas as pd

    return pd.Series(weekly_series(500), index=pd.date_range("2020-01-01", periods=500), name="weekly")


def test_page_is_self_contained_and_small(lab):
    html = lab["pages"]["en"].read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", html, re.I)
    assert "http://" not in html and "https://" not in html and "<link" not in html
    assert len(html.encode()) < 600_000
    assert json.loads(re.search(r'id="lab-data">(.*?)</script>', html, re.S)[1])["series"] == "wiki:Standard_deviation"


# ---------------------------------------------------------------- the message catalogue
def test_every_message_has_every_language_with_the_same_fields():
    for key, texts in i18n.MESSAGES.items():
        assert set(texts) == set(i18n.LANGS), key
        assert all(v.strip() for v in texts.values()), key
        assert i18n.fields(texts["en"]) == i18n.fields(texts["zh"]), key
        assert re.search(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]", texts["zh"]) or key == "lab.switch_lang", key
    for term, zh in [("model_bias", "模型偏差"), ("optimization_issue", "优化问题"), ("overfitting", "过拟合"),
                     ("cross_validation", "交叉验证"), ("mismatch", "不匹配"), ("error_surface", "误差表面"),
                     ("learning_rate", "学习率"), ("gradient_descent", "梯度下降"), ("activation", "激活函数")]:
        assert i18n.t(f"term.{term}", "zh") == zh


def test_every_key_the_page_uses_is_in_the_catalogue():
    from importlib import resources

    assets = resources.files("viewcast.lab").joinpath("assets")
    used = set(re.findall(r'data-t="([\w.]+)"', assets.joinpath("lab.html").read_text()))
    for name in lab_page.JS:
        used |= set(re.findall(r'tr\("([\w.]+)"', assets.joinpath(name).read_text()))
    # keys the scripts build from a value: the value sets they can take
    built = {"lab.status.": ("start", "running", "within", "diverged", "oscillates", "too_slow",
                                     "descending"),
             "lab.unit_": ("mae", "mse"), "lab.builder.": ("hard", "relu", "sigmoid")}
    assert {k for k in used if k.endswith((".", "_"))} == set(built)
    used = {k for k in used if k not in built} | {p + v for p, vs in built.items() for v in vs}
    assert len(used) > 40
    assert used <= set(i18n.MESSAGES), used - set(i18n.MESSAGES)


def test_language_from_argument_then_environment(monkeypatch):
    monkeypatch.delenv(i18n.ENV, raising=False)
    assert i18n.resolve() == "en" and i18n.t("term.overfitting") == "overfitting"
    monkeypatch.setenv(i18n.ENV, "zh_CN.UTF-8")
    assert i18n.resolve() == "zh" and i18n.t("term.overfitting") == "过拟合"
    assert i18n.t("term.overfitting", "en") == "overfitting"  # the argument wins
    with pytest.raises(ViewcastError, match="lang='fr': unknown language"):
        i18n.resolve("fr")
    monkeypatch.setenv(i18n.ENV, "klingon")
    with pytest.raises(ViewcastError, match="VIEWCAST_LANG=klingon"):
        i18n.resolve()


# ---------------------------------------------------------------- the command
@pytest.fixture
def no_work(monkeypatch):
    """Any attempt to build the page fails the test: errors must come before the work."""
    def forbidden(*a, **k):
        raise AssertionError("the page was built before the arguments were checked")

    monkeypatch.setattr(lab_numbers, "lab_data", forbidden)


@pytest.mark.parametrize("args, says", [(["-o", "/proc/nope/lab.html"], "--out /proc/nope/lab.html:"),
                                        (["--lang", "xx"], "--lang xx: unknown language"),
                                        (["--port", "-5", "--serve"], "--port -5:")])
def test_bad_arguments_one_line_exit_2_before_any_work(no_work, tmp_path, args, says):
    r = runner.invoke(app, ["lab", "-o", str(tmp_path / "lab.html"), *args])
    assert r.exit_code == 2, r.output
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and says in lines[0], r.stderr
    assert not (tmp_path / "lab.html").exists()


def test_cli_writes_the_page_and_json(tmp_path):
    csv = tmp_path / "v.csv"
    csv.write_text(daily_csv(weekly_series(130)))  # too short for linear:56
    out = tmp_path / "page.html"
    r = runner.invoke(app, ["lab", str(csv), "-o", str(out), "--units", "2", "--json"], env={"VIEWCAST_LANG": "zh_CN.UTF-8"})
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d == {"file": str(out), "lang": "zh", "source": "v.csv:value", "bytes": out.stat().st_size, "url": None}
    html = out.read_text(encoding="utf-8")
    assert '<html lang="zh">' in html and "hardsigmoid:1x2" in html
    assert json.loads(re.search(r'id="lab-data">(.*?)</script>', html, re.S)[1])["left_out"] == ["linear:56"]


def test_serve_answers_on_localhost_only(tmp_path):
    page = tmp_path / "lab.html"
    page.write_text("<p>lab</p>")
    srv = lab_serve.server(page, 0)
    host, port = srv.server_address
    assert host == "127.0.0.1"
    t = threading.Thread(target=lab_serve.serve, args=(srv, page), daemon=True)
    t.start()
    try:
        assert urllib.request.urlopen(f"http://127.0.0.1:{port}/lab.html").read() == b"<p>lab</p>"
        assert urllib.request.urlopen(f"http://127.0.0.1:{port}/").read() == b"<p>lab</p>"
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(f"http://127.0.0.1:{port}/etc/passwd")
        with pytest.raises(ViewcastError, match="--port|port="):
            lab_serve.server(page, port)  # busy
    finally:
        srv.shutdown()
        t.join()


# ---------------------------------------------------------------- in a real browser
def test_page_loads_offline_with_no_error_and_no_request(lab, open_page):
    url = lab["pages"]["en"].as_uri()
    page = open_page(url)
    assert page.errors == []
    assert [u for u in page.requests if not u.startswith("data:")] == [url]
    assert page.inner_text("#status") == i18n.t("lab.status.start", "en")
    start = shown(page.inner_text("#readout-train"))  # the book's (0.97, 100)
    assert same_4(start, loss_at(lab["x"], lab["y"], BOOK_W, BOOK_B, "mae"))


def test_loss_per_update_says_how_to_start_until_something_runs(lab, open_page):
    """Before the first update the pane has no curve: instead of an empty frame it says what to press."""
    page = open_page(lab["pages"]["en"].as_uri())
    assert page.is_visible("#steps-hint")
    assert page.inner_text("#steps-hint") == i18n.t("lab.steps_hint", "en")
    page.click("#step")
    assert not page.is_visible("#steps-hint")
    page.click("#reset")
    assert page.is_visible("#steps-hint")


def test_legends_say_their_words_plainly(lab, open_page):
    """The book's channel is marked by a tick drawn beside its name, not by a '|' typed after it; every
    pane's legend is readable as text (a screen reader's aria-label)."""
    page = open_page(lab["pages"]["en"].as_uri())
    losses = page.get_attribute("#losses", "aria-label")
    assert losses.split("; ") == [i18n.t("lab.legend.train", "en"), i18n.t("lab.legend.test", "en"),
                                  i18n.t("lab.legend.book_channel", "en")]
    assert "|" not in losses
    for pane in ("scatter", "contour", "steps"):
        assert page.get_attribute(f"#{pane}", "aria-label"), pane


@pytest.mark.parametrize("loss", ["mae", "mse"])
def test_moving_the_w_slider_shows_the_librarys_loss(lab, open_page, loss):
    page = open_page(lab["pages"]["en"].as_uri())
    page.check(f"#loss-{loss}")
    before = page.inner_text("#readout-train")
    page.focus("#w")
    for _ in range(25):
        page.keyboard.press("ArrowLeft")  # 25 slider steps of 0.001
    w, b = float(page.input_value("#w")), float(page.input_value("#b-num"))
    assert w == pytest.approx(BOOK_W - 0.025, abs=1e-9) and b == BOOK_B
    after = page.inner_text("#readout-train")
    assert after != before
    assert same_4(shown(after), loss_at(lab["x"], lab["y"], w, b, loss))
    x_t, y_t = np.array(lab["data"]["test"]["x"]), np.array(lab["data"]["test"]["y"])
    assert same_4(shown(page.inner_text("#readout-test")), loss_at(x_t, y_t, w, b, loss))


def run_to_end(page):
    page.click("#run")
    page.wait_for_function("document.querySelector('#status').dataset.status !== 'running'", timeout=20000)
    return page.get_attribute("#status", "data-status")


@pytest.mark.parametrize("loss, start", [("mae", (BOOK_W, BOOK_B)), ("mse", (0.0, 0.0))])
def test_run_with_a_good_lr_reaches_the_exact_optimum(lab, open_page, loss, start):
    d = lab["data"]
    page = open_page(lab["pages"]["en"].as_uri() + f"#w={start[0]}&b={start[1]}&loss={loss}")
    first = shown(page.inner_text("#readout-train"))
    page.click("button.preset[data-preset='1']")  # "good"
    assert float(page.input_value("#lr")) == d["lrs"][loss][1] == 0.1
    assert run_to_end(page) == "within"
    end, best = shown(page.inner_text("#readout-train")), d["exact"][loss]["L"]
    assert end < first and end <= best * 1.01
    # the page's gradient descent is the library's, in standard units, step by step
    m, s = lab["mean"], lab["std"]
    ref = gd_path(lab["xn"], lab["yn"], (start[0], (start[1] + (start[0] - 1) * m) / s), 0.1, d["steps"], loss,
                  best / (s if loss == "mae" else s * s))  # the optimum's loss in standard units
    state = url_state(page)
    assert int(state["t"]) == d["steps"] == len(ref.w) - 1
    assert float(state["w"]) == pytest.approx(ref.w[-1], rel=1e-7)
    assert float(state["b"]) == pytest.approx(ref.b[-1] * s - (ref.w[-1] - 1) * m, rel=1e-7)
    assert f"at update {ref.within_at};" in page.inner_text("#status")


def test_too_large_lr_is_reported_as_diverging(lab, open_page):
    page = open_page(lab["pages"]["en"].as_uri() + "#loss=mse&lr=1.5")
    assert run_to_end(page) == "diverged"
    m, s = lab["mean"], lab["std"]
    ref = gd_path(lab["xn"], lab["yn"], (BOOK_W, (BOOK_B + (BOOK_W - 1) * m) / s), 1.5, 200, "mse", 0.0)
    text = page.inner_text("#status")
    assert ref.diverged_at == 7 and f"diverges; the loss blew up at update {ref.diverged_at} " in text
    assert "η = 1.5 is too large" in text


def verdict(path) -> str:
    """The library's Path.status as the page's status value."""
    if path.diverged_at is not None:
        return "diverged"
    if path.within_at is not None:
        return "within"
    return "oscillates" if path.status.startswith("oscillates") else "too_slow"


@pytest.mark.parametrize("loss", ["mae", "mse"])
def test_each_lr_preset_gets_the_librarys_verdict(lab, open_page, loss):
    """Too small, good, too large: after a Run from the book's start the page says what the library's
    gradient descent says; MAE's subgradient is bounded, so its too-large η bounces, and the page says why."""
    d, m, s = lab["data"], lab["mean"], lab["std"]
    page = open_page(lab["pages"]["en"].as_uri() + f"#loss={loss}")
    seen = []
    for preset, lr in enumerate(d["lrs"][loss]):
        page.click(f"button.preset[data-preset='{preset}']")
        assert float(page.input_value("#lr")) == lr
        seen.append(run_to_end(page))
        ref = gd_path(lab["xn"], lab["yn"], (BOOK_W, (BOOK_B + (BOOK_W - 1) * m) / s), lr, d["steps"], loss,
                      d["exact"][loss]["L"] / (s if loss == "mae" else s * s))
        assert seen[-1] == verdict(ref), (lr, ref.status)
    assert seen == {"mae": ["within", "within", "oscillates"], "mse": ["too_slow", "within", "diverged"]}[loss]
    if loss == "mae":
        assert i18n.t("lab.mae_bounded", "en") in page.inner_text("#status")


def test_zh_page_reads_in_chinese(lab, open_page):
    page = open_page(lab["pages"]["zh"].as_uri())
    text = page.inner_text("body")
    han = len(re.findall(r"[\u4e00-\u9fff]", text))
    latin = len(re.findall(r"[A-Za-z]", text))
    assert han > latin, (han, latin)
    for term in ("误差表面", "学习率", "梯度下降", "训练损失", "测试损失", "硬S型函数", "损失"):
        assert term in text, term
    assert page.title() == i18n.t("lab.title", "zh")
    assert page.evaluate("document.documentElement.lang") == "zh"
    page.click("#lang")  # the page switches language in place, and the URL remembers it
    assert "training loss" in page.inner_text("#readout-train") and url_state(page)["lang"] == "en"


def test_url_state_round_trips(lab, open_page):
    page = open_page(lab["pages"]["en"].as_uri())
    page.check("#loss-mse")
    page.fill("#lr", "0.03")
    page.dispatch_event("#lr", "change")
    for _ in range(4):
        page.click("#step")
    page.click("#add-relu")
    page.click("#lang")
    ids = ("#readout-train", "#readout-test", "#readout-point", "#status", "#builder-readout")
    seen = {i: page.inner_text(i) for i in ids}
    assert "已更新 4 次" in seen["#readout-point"]
    again = open_page(href(page))
    assert {i: again.inner_text(i) for i in ids} == seen
    assert again.input_value("#lr") == "0.03" and again.is_checked("#loss-mse")
    assert again.eval_on_selector_all("#pieces tr[data-kind]", "rows => rows.map(r => r.dataset.kind)") == ["hard", "relu"]


def test_contour_click_sets_the_start(lab, open_page):
    page = open_page(lab["pages"]["en"].as_uri())
    box = page.locator("#contour").bounding_box()
    px, py = page.evaluate("[Panes.contourAxes.X(0.5), Panes.contourAxes.Y(3000)]")
    page.mouse.click(box["x"] + px, box["y"] + py)
    state = url_state(page)
    w, b = float(state["w"]), float(state["b"])
    assert abs(w - 0.5) < 0.01 and abs(b - 3000) < 100  # within a pixel
    assert same_4(shown(page.inner_text("#readout-train")), loss_at(lab["x"], lab["y"], w, b, "mae"))
    assert page.get_attribute("#status", "data-status") == "start"


def builder_loss(x, y, state) -> float:
    """L (MAE) on the training days of the builder's curve in a URL state (x₁, c in thousands)."""
    acts = {"h": lambda z: np.clip(z, 0, 1), "r": lambda z: np.maximum(z, 0) - np.maximum(z - 1, 0),
            "s": lambda z: 1 / (1 + np.exp(-z))}
    f = np.full_like(x, float(state["c0"]))
    for piece in filter(None, state["p"].split(";")):
        k, c, b, w = piece.split(",")
        f += float(c) * acts[k](float(b) + float(w) * x / 1000)
    return float(np.mean(np.abs(1000 * f - y)))


def test_builder_two_relus_make_one_hard_sigmoid(lab, open_page):
    page = open_page(lab["pages"]["en"].as_uri())
    page.click("#load-fitted")  # the trained network's own pieces: its own training loss
    fitted = shown(page.inner_text("#builder-readout").split("(")[0])
    assert same_4(fitted, lab["data"]["fitted"]["mae"]["L"])
    page.click("#pieces tr[data-kind] >> nth=1 >> button[data-act=split]")
    assert page.eval_on_selector_all("#pieces tr[data-kind]", "rows => rows.map(r => r.dataset.kind)") == ["hard", "relu", "hard"]
    assert shown(page.inner_text("#builder-readout").split("(")[0]) == fitted  # the sum did not move
    x0, y0 = page.evaluate("Builder.pixel(1, 'R')")
    page.mouse.move(x0, y0)
    page.mouse.down()
    page.mouse.move(x0 - 40, y0 - 30, steps=4)
    page.mouse.up()
    state = url_state(page)
    moved = shown(page.inner_text("#builder-readout").split("(")[0])
    assert moved != fitted
    assert same_4(moved, builder_loss(lab["x"], lab["y"], state))
    page.click("#pieces tr[data-kind] >> nth=0 >> button[data-act=delete]")
    assert page.locator("#pieces tr[data-kind]").count() == 2
    assert page.errors == []


def test_missing_browser_skips_unless_required(tmp_path):
    """No Chromium: the browser tests skip and say why; with VIEWCAST_REQUIRE_BROWSER=1 (CI) they fail."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    (tmp_path / "conftest.py").write_text("from browser import browser  # noqa: F401\n")
    (tmp_path / "test_needs_browser.py").write_text("def test_page(browser):\n    pass\n")
    env = {**os.environ, "VIEWCAST_CHROMIUM": str(tmp_path / "no-chromium"), "PYTHONPATH": str(Path(__file__).parent)}
    outcomes = {}
    for require in ("", "1"):
        r = subprocess.run([sys.executable, "-m", "pytest", "-q", "-rsE", "-p", "no:cacheprovider", str(tmp_path)],
                           env={**env, "VIEWCAST_REQUIRE_BROWSER": require}, capture_output=True, text=True, cwd=tmp_path)
        outcomes[require] = r
    assert outcomes[""].returncode == 0 and "1 skipped" in outcomes[""].stdout
    assert "no-chromium not found (apt-get install chromium)" in outcomes[""].stdout
    assert outcomes["1"].returncode != 0 and "1 error" in outcomes["1"].stdout
    assert "VIEWCAST_REQUIRE_BROWSER=1 but" in outcomes["1"].stdout
