"""Tables at 80 columns — what `!viewcast` in Jupyter or Colab gets — and the
interrupted ladder row (item 6). Every model name, series name and date appears whole on one line;
no line is wider than the terminal; nothing is cut with an ellipsis."""
import io
import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from rich.console import Console
from typer.testing import CliRunner

from viewcast.book import ladder as book
from viewcast.book.ladder import LadderResult, Row
from viewcast.cli import app, kit
from viewcast.data import builtin, load_series
from viewcast.features import choose_split
from viewcast.cli.views import tables
from viewcast.cli.views.diagnose import worst_table
from viewcast.train import TrainConfig

FIXTURES = Path(__file__).parent / "fixtures"
LONG = "wiki:List_of_countries_that_have_gained_independence_from_the_United_Kingdom"  # 77 characters


def render(items, width=80) -> list[str]:
    c = Console(width=width, file=io.StringIO(), color_system=None)
    for x in items:
        c.print(x)
    return c.file.getvalue().splitlines()


def whole(lines, *texts):
    """Each text on some line, not cut; no line wider than 80; no ellipsis anywhere."""
    assert all(len(ln) <= 80 for ln in lines), max(lines, key=len)
    assert not any(re.search(r"…(?!\d)", ln) for ln in lines), [ln for ln in lines if "…" in ln]  # a range is 2017…2020
    for t in texts:
        assert any(t in ln for ln in lines), t


@pytest.fixture
def cli80(monkeypatch):
    monkeypatch.setattr(kit.out, "_width", 80)  # as if COLUMNS=80 had been set when viewcast started

    def run(*args):
        r = CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "80"})
        assert r.exit_code == 0, r.output
        return r.stdout.splitlines()

    return run


def test_data_list_names_and_dates_whole(cli80):
    lines = cli80("data", "list")
    names = builtin.names()
    whole(lines, *names)
    assert LONG in names and sum("2017-01-01" in ln and "2024-11-08" in ln for ln in lines) == 21


def test_wide_enough_terminal_keeps_one_row_per_line():
    rows = [{"name": n, "start": load_series(n).start, "end": load_series(n).end, "days": 2869, "mean": 1.0}
            for n in ("wiki:Easter", "wiki:Jesus")]
    lines = render(tables.data_list(rows, "wiki:Easter"))
    assert any("wiki:Easter (default)" in ln and "2017-01-01" in ln for ln in lines)


def test_cv_names_whole(cli80):
    lines = cli80("cv", LONG, "--models", "linear:7,relu:7x10", "--search", "--epochs", "20", "--no-plots")
    labels = [f"{m}{f}" for f in ("", " +log", " +weekday", " +log +weekday") for m in ("linear:7", "relu:7x10")]
    whole(lines, *labels, "✓", "2017-01-01…2020-12-31")
    assert any(ln.split(" ✓")[0].strip() in labels for ln in lines if "✓" in ln)  # the chosen label whole beside ✓


def test_diagnose_names_and_dates_whole(cli80):
    lines = cli80("diagnose", "wiki:Elizabeth_II", "--models", "linear:1,linear:7", "--epochs", "30", "--no-plots",
                  "--train-end", "2022-09-04", "--test-start", "2022-09-05", "--test-end", "2022-10-19")
    whole(lines, "linear:1", "linear:7", "2022-09-08", "2022-09-10", "wiki:Elizabeth_II")
    assert any(re.search(r"linear:[17] ✓", ln) for ln in lines)  # the chosen one, whole beside its mark


def test_worst_days_table_shows_fewer_models_when_narrow():
    """Model names are its headers: at 80 columns it shows as many whole as fit, and says so."""
    specs = ["hardsigmoid:56x1000x3", "relu:56x1000x5", "sigmoid:56x1000x2", "relu:56x100x4"]
    days = [{"date": f"2021-02-{d}", "weekday": "Fri", "actual": 12345.0, "usual_for_weekday": 7000.0,
             "predictions": {s: 4000.0 + i for i, s in enumerate(specs)}, "min_error_over_val_mae": 4.2}
            for d in (19, 26)]
    models = [SimpleNamespace(spec=s, val={"mae": 100.0 + i}) for i, s in enumerate(specs)]
    d = SimpleNamespace(worst_days=days, models=models, worst_judged=specs, config=SimpleNamespace(loss="mae"),
                        dconfig=SimpleNamespace(worst_factor=3.0))
    wide = render(worst_table(d), width=200)
    assert all(any(s in ln for ln in wide) for s in specs)
    narrow = render(worst_table(d))
    shown = [s for s in specs if any(s in ln for ln in narrow)]
    whole(narrow, "2021-02-19", "2021-02-26", *shown)
    assert 1 <= len(shown) < 4 and shown == specs[:len(shown)]  # the best-validated first
    assert any(f"predictions of the {len(shown)} best-validated" in ln for ln in narrow)


def fixture_ladder(name: str) -> LadderResult:
    cached = json.loads((FIXTURES / "ladder_rows.json").read_text())[name]
    s = load_series(name)
    return LadderResult(name, choose_split(s), [Row(**r) for r in cached["rows"]], {})


@pytest.mark.parametrize("name", [LONG, "wiki:List_of_United_States_cities_by_population", "wiki:all"])
def test_ladder_names_whole(name):
    lines = render(tables.ladder(fixture_ladder(name)))
    whole(lines, name, *{spec for _, spec, _, _ in book.BOOK}, "2017-01-01…2020-12-31")


def test_ctrl_c_in_ladder_marks_the_row_leaves_it_out_of_the_story(monkeypatch, cli80):
    """The half-trained model: '(interrupted)' in its row, no sentence about it, interrupted in the JSON."""
    real = book.fit
    calls = {"n": 0}

    def fit_then_ctrl_c(spec, data, config, progress=None, **kw):
        calls["n"] += 1
        if calls["n"] < 6:  # linear:1 … linear:56, relu:56x10 finish; relu:56x100 is stopped
            return real(spec, data, TrainConfig(epochs=5), **kw)

        def ctrl_c(done, total, loss):
            raise KeyboardInterrupt

        return real(spec, data, TrainConfig(epochs=5), progress=ctrl_c, **kw)

    monkeypatch.setattr(book, "fit", fit_then_ctrl_c)
    r = CliRunner().invoke(app, ["ladder", "--epochs", "5"], env={"COLUMNS": "80"})  # the other seeds' runs too
    assert r.exit_code == 130
    lines = r.stdout.splitlines()
    marked = [ln for ln in lines if "(interrupted)" in ln]
    assert len(marked) == 2 and all("relu:56x100 " in ln for ln in marked)  # in tables B and C
    story = [ln for ln in lines if ln.startswith("• ")]
    assert story and not any("relu:56x100" in ln for ln in story)
    assert any("relu:56x10 " in ln for ln in story)  # the finished one is told
    calls["n"] = 0
    r = CliRunner().invoke(app, ["ladder", "--json"])
    rows = {(x["table"], x["model"]): x["interrupted"] for x in json.loads(r.stdout)["rows"]}
    assert rows[("B", "relu:56x100")] and rows[("C", "relu:56x100")] and not rows[("B", "relu:56x10")]
