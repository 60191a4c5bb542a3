"""`--lang zh|en` (and VIEWCAST_LANG) for the prose of `ladder`, `demo` and `diagnose`:
the book's Chinese terms, the same claims checked in both languages, English unchanged, --json unchanged,
an unknown language refused before any work, and Chinese tables and sentences inside 80 columns."""
import json
import re
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from conftest import daily_csv, weekly_series
from rich.cells import cell_len
from typer.testing import CliRunner

from viewcast import api
from viewcast.book.ladder import LadderResult, Row
from viewcast.book.story import sentences as story_sentences
from viewcast.cli import app, kit
from viewcast.data import load_series
from viewcast.diagnosis.verdicts import Numbers, Thresholds, judge
from viewcast.text.verdicts import reason, said
from viewcast.features import choose_split
from viewcast.cli.views import tables
from viewcast.text import i18n
from viewcast.cli.views.diagnose import all_sentences

FIXTURES = Path(__file__).parent / "fixtures"
SRC = Path(__file__).resolve().parents[1] / "src" / "viewcast"
runner = CliRunner()


def claims(sentences) -> list[list[str]]:
    return [[str(c) for c in getattr(s, "claims", ())] for s in sentences]


def fits_80(lines: list[str]) -> None:
    """No line wider than 80 terminal cells (a Chinese character takes two)."""
    assert all(cell_len(ln) <= 80 for ln in lines), max(lines, key=cell_len)


# ------------------------------------------------------------------ the words, without training
@pytest.mark.parametrize("name", ["wiki:Standard_deviation", "wiki:all", "wiki:Easter"])
def test_story_in_chinese_makes_the_same_claims(name):
    rows = [Row(**r) for r in json.loads((FIXTURES / "ladder_rows.json").read_text())[name]["rows"]]
    en, zh = story_sentences(rows), story_sentences(rows, lang="zh")
    assert claims(en) == claims(zh) and len(zh) == 3
    assert [bool(s.problems()) for s in en] == [bool(s.problems()) for s in zh]  # said in both or in neither
    assert all(re.search(r"[\u4e00-\u9fff]", s) for s in zh) and not any("the linear model" in s for s in zh)


def test_every_diagnosis_in_chinese_makes_the_same_claims():
    """All 21 cached diagnoses: each sentence has its Chinese twin with the same claims, said or not alike."""
    for name, doc in json.loads((FIXTURES / "diagnoses.json").read_text()).items():
        en, zh = all_sentences(doc), all_sentences(doc, "zh")
        assert claims(en) == claims(zh), name
        assert [bool(getattr(s, "problems", list)()) for s in en] == [bool(getattr(s, "problems", list)()) for s in zh]
        assert zh[-1].startswith(f"总体：验证会选出 {doc['overall']['best_model']}，")


def test_verdict_sentences_use_the_books_terms():
    t = Thresholds()
    bias = Numbers(model="linear:1", train=1500, val=1550, test=1600, naive_train=1700,
                   contained=[("yesterday", 1700, 1750)], others_val=[("knn:1", 400)])
    [v] = judge(bias, t)
    assert v.verdict == "model_bias" and said(v, t).startswith("Model bias: at best it fits the training days at 1,500")
    zh = reason("model_bias", v.numbers, t, "zh")
    assert zh.startswith("模型偏差：") and "1,500" in zh and "knn:1" in zh and "400" in zh and not zh.problems()
    cases = {"overfitting": ({"train": 200.0, "val": 450.0, "gap_frac": 0.56, "naive_train": 1700.0}, "过拟合：训练损失 200"),
             "mismatch": ({"val": 380.0, "test": 600.0, "test_over_val": 1.58, "p_block": 0.011, "naive_train": 1700.0},
                          "不匹配：测试损失 600 是验证损失 380 的 1.6 倍"),
             "optimization": ({"exact_gap_pct": 7.2, "naive_train": 1700.0}, "优化问题：梯度下降"),
             "ok": ({"train": 300.0, "val": 310.0, "test": 320.0, "test_over_val": 1.03, "p_block": 0.4,
                     "naive_train": 1700.0}, "正常：训练 300")}
    for kind, (nums, head) in cases.items():
        en, zh = reason(kind, nums, t), reason(kind, nums, t, "zh")
        assert zh.startswith(head), zh
        assert claims([en]) == claims([zh]) and not zh.problems() and not en.problems()
    assert reason("optimization", cases["optimization"][0], t) == (
        "Optimization issue: gradient descent stopped 7.2% above the exact optimum of the same model (more than 5%).")


def test_every_cli_key_the_code_names_is_in_the_catalogue():
    """Literal `cli.…` keys in the source exist; every key has en and zh with the same fields (test_lab
    checks the whole catalogue, this one the CLI's own section)."""
    used = set()
    for path in SRC.rglob("*.py"):
        if path.name != "i18n_cli.py":
            used |= set(re.findall(r'"(cli\.[\w.]+[\w])"', path.read_text()))
    used -= {"cli.md"}  # a file's name (docs/cli.md, written by viewcast.cli.docs), not a message key
    cli = {k for k in i18n.MESSAGES if k.startswith("cli.")}
    assert len(cli) > 80 and used and used <= cli, used - cli
    for key in cli:
        assert set(i18n.MESSAGES[key]) == {"en", "zh"}, key
        assert i18n.fields(i18n.MESSAGES[key]["en"]) == i18n.fields(i18n.MESSAGES[key]["zh"]), key
    for term in ("model_bias", "optimization_issue", "overfitting", "mismatch", "learning_rate", "gradient_descent"):
        assert any(i18n.t(f"term.{term}", "zh") in i18n.MESSAGES[k]["zh"] for k in cli), term


def test_chinese_text_breaks_between_characters_inside_80_columns():
    text = "  → 下一步：" + i18n.t("cli.next.optimization", "zh")
    printed = render([tables.Prose(text)])
    fits_80(printed)
    assert "".join(ln.strip() for ln in printed).replace(" ", "") == text.replace(" ", "")
    assert not any(ln.lstrip().startswith(("，", "。", "）", "；")) for ln in printed)  # no line starts with closing punctuation


def render(items, width=80) -> list[str]:
    import io

    from rich.console import Console

    c = Console(width=width, file=io.StringIO(), color_system=None)
    for x in items:
        c.print(tables.Prose(x) if tables.has_cjk(x) else x)
    return c.file.getvalue().splitlines()


# ------------------------------------------------------------------ the commands
def fixture_ladder(name: str = "wiki:Standard_deviation") -> LadderResult:
    cached = json.loads((FIXTURES / "ladder_rows.json").read_text())[name]
    return LadderResult(name, choose_split(load_series(name)), [Row(**r) for r in cached["rows"]], {})


@pytest.fixture
def cached_ladder(monkeypatch):
    """`ladder` and `demo` print the cached ladder (no training); demo's forecast is a fixed one."""
    monkeypatch.setattr(kit.out, "_width", 80)
    import viewcast.api
    import viewcast.forecasting

    monkeypatch.setattr(viewcast.api, "ladder", lambda *a, **k: fixture_ladder())  # the commands import it inside
    f = SimpleNamespace(chosen=SimpleNamespace(label="linear:56 +log"), label="linear:56 +log", blend=[], weighted=False, dates=pd.DatetimeIndex(["2024-11-09"]),
                        forecast=np.array([3613.2]), lower={80: np.array([3279.0]), 95: np.array([2907.0])},
                        upper={80: np.array([3981.0]), 95: np.array([4490.0])}, trained_through=pd.Timestamp("2024-11-08"))
    monkeypatch.setattr(viewcast.forecasting, "forecast", lambda *a, **k: f)


def run(args, env=None):
    r = runner.invoke(app, args, env={"COLUMNS": "80", **(env or {})})
    assert r.exit_code == 0, r.output
    return r.stdout


def test_ladder_and_demo_speak_chinese_from_the_environment_and_english_by_argument(cached_ladder, monkeypatch):
    monkeypatch.delenv(i18n.ENV, raising=False)
    en = run(["demo"])
    assert ("Tomorrow (Sat 2024-11-09), linear:56 +log — chosen by validation on the most recent days and refit on "
            "every day through 2024-11-08 — forecasts 3,613 views (80%: 3,279…3,981; 95%: 2,907…4,490).") in " ".join(
        en.split())
    zh = run(["demo"], env={i18n.ENV: "zh"})
    assert "明天（2024-11-09 周六）：linear:56 +log" in zh and "3,613 次观看" in zh
    assert "表 A：线性模型，输入更多天" in zh and "书中 L′" in zh and "• 输入更多天有帮助" in zh
    assert "Tomorrow" not in zh and "More days" not in zh
    fits_80(zh.splitlines())
    assert run(["demo", "--lang", "en"], env={i18n.ENV: "zh"}) == en  # the argument wins
    assert run(["ladder", "--lang", "zh"]) == run(["ladder"], env={i18n.ENV: "zh_CN.UTF-8"})
    assert run(["ladder", "--json", "--lang", "zh"]) == run(["ladder", "--json"])  # JSON stays English


@pytest.mark.parametrize("cmd", [["ladder"], ["demo"], ["diagnose", "--no-plots"], ["diagnose", "-o", "OUT"]])
def test_unknown_language_refused_before_any_work(cmd, tmp_path, monkeypatch):
    def forbidden(*a, **k):
        raise AssertionError("work started before --lang was checked")

    monkeypatch.setattr(api, "ladder", forbidden)
    monkeypatch.setattr(api, "diagnose", forbidden)
    cmd = [str(tmp_path / "out") if c == "OUT" else c for c in cmd]
    r = runner.invoke(app, [*cmd, "--lang", "fr"])
    assert r.exit_code == 2, r.output
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "--lang fr: unknown language" in lines[0] and r.stdout == ""
    assert not (tmp_path / "out").exists()
    r = runner.invoke(app, cmd, env={i18n.ENV: "klingon"})
    assert r.exit_code == 2 and "VIEWCAST_LANG=klingon" in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_diagnose_in_chinese(tmp_path, monkeypatch):
    """A known verdict (linear:1 cannot see the week: model bias) said with the book's terms; the same
    JSON in both languages; English by default as test_diagnose expects."""
    monkeypatch.setattr(kit.out, "_width", 80)
    csv = tmp_path / "v.csv"
    csv.write_text(daily_csv(weekly_series(400)))
    args = ["diagnose", str(csv), "--models", "linear:1,linear:7", "--epochs", "100", "--no-plots"]
    zh = run([*args, "--lang", "zh"])
    assert "模型偏差" in zh and "诊断（置信度）" in zh and "下一步：增加模型的弹性" in zh
    assert "总体：验证会选出 linear:7" in zh and "参照（训练/验证）" in zh
    assert "model bias" not in zh and "Overall" not in zh
    fits_80(zh.splitlines())
    zh_json, en_json = (json.loads(run([*args, "--json"], env=env)) for env in ({i18n.ENV: "zh"}, {i18n.ENV: "en"}))
    assert untimed(zh_json) == untimed(en_json)  # the JSON does not speak Chinese


def untimed(o):
    """o without its "seconds" (wall-clock time differs between two runs)."""
    if isinstance(o, dict):
        return {k: untimed(v) for k, v in o.items() if k != "seconds"}
    return [untimed(v) for v in o] if isinstance(o, list) else o


def test_stage_lines_speak_the_commands_language(tmp_path):
    """Under --lang zh the stage lines on stderr are Chinese too. The stage names are the library's own, collected
    from its callbacks on small runs (a forecast, a pooled selection with a blend, a table's rungs), so a name the
    library starts to say without a `progress.…` message fails here; model names stay as they are."""
    from viewcast.book.report import ReportConfig
    from viewcast.book.table_ladder import label
    from viewcast.cli.progress import spoken
    from viewcast.evaluate.select import select_many
    from viewcast.evaluate.validation import parse_scheme
    from viewcast.forecasting import Selector, forecast
    from viewcast.train import TrainConfig

    names = []
    said = lambda name, i=0, n=0: names.append(name)  # noqa: E731
    from viewcast.data.series import DailySeries

    day0 = pd.Timestamp("2020-01-01")
    forecast(DailySeries("w", weekly_series(400), day0), 2, Selector.QUICK.but(epochs=10, max_updates=30), on_model=said)
    series = [DailySeries(f"w{s}", weekly_series(300, seed=s), day0) for s in (0, 1)]
    for pooled, rule in ((True, "1se"), (False, "ratio")):  # ratio: a blend of both
        select_many(series, [choose_split(s) for s in series], ["linear:7", "linear:14"], parse_scheme("holdout:0.2"),
                    TrainConfig(epochs=5), on_model=said, pooled=pooled, rule=rule)
    names += [*ReportConfig().shares(), label("relu:8", 1), label("relu:8", 3), "relu:8 · every feature", "the ladder",
              "tomorrow's forecast", "loading the engine", "writing the page", "report (draft)", "lab: training relu:8"]
    model = r"(linear|relu|sigmoid|hardsigmoid)[:\w]*|\+(log|diff|weekday)|^lab"  # models, and a command typed
    left = {n: spoken(n, "zh") for n in names if re.search(r"[a-z]{3,}", re.sub(model, "", spoken(n, "zh")))}
    assert not left, left
    assert {"refit the chosen", "refit the other candidates of the blend", "linear:7 global"} <= set(names)
    assert all(spoken(n, "en") == n for n in names)

    csv = tmp_path / "v.csv"
    csv.write_text(daily_csv(weekly_series(400)))
    r = runner.invoke(app, ["diagnose", str(csv), "--models", "linear:1,linear:7", "--epochs", "20", "--no-plots",
                            "--lang", "zh"])
    lines = [x for x in r.stderr.splitlines() if x.strip()]
    assert r.exit_code == 0 and lines, r.output
    assert all(" 诊断 · " in x and "预计还需" in x and "ETA" not in x for x in lines), lines
