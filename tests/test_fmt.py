"""Small values stay readable: a series around 1.5 a day — the default series divided by
5,000 — shows every loss with at least two significant digits in every command's tables and sentences,
and no sentence says "0" for a loss or "0 worse" between two different losses."""
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from viewcast.book.story import story
from viewcast.cli import app
from viewcast.data import load_series
from viewcast.diagnosis.verdicts import Thresholds
from viewcast.text.verdicts import reason
from viewcast.text.fmt import diff, num

SPEC = re.compile(r"(linear|relu|sigmoid|hardsigmoid):[\dx]+")
SENTENCE = re.compile(r"^\s*(•|Chosen|Refit|The |Overall|gradient descent|validation MAE)")
NUMBER = re.compile(r"(?<![\w.])-?\d[\d,]*(?:\.\d+)?(?![\w])")


def sig(token: str) -> int:
    """Significant digits of a printed number: '0.041' → 2, '1.5' → 2, '2' → 1, '478' → 3."""
    digits = token.lstrip("-").replace(",", "").replace(".", "").lstrip("0")
    return len(digits)


@pytest.fixture(scope="module")
def small_csv(tmp_path_factory) -> Path:
    s = load_series("wiki:Standard_deviation").to_pandas() / 5000  # ~1.5 a day
    p = tmp_path_factory.mktemp("small") / "small.csv"
    p.write_text("date,value\n" + "".join(f"{d:%Y-%m-%d},{v:.6f}\n" for d, v in s.items()))
    return p


def run(*args) -> list[str]:
    r = CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    return r.stdout.splitlines()


def table_losses(lines, columns: slice) -> list[str]:
    """The loss cells of every table row that starts with a model spec (after the params column)."""
    out = []
    for ln in lines:
        parts = ln.split()
        if parts and SPEC.fullmatch(parts[0]):
            out += [t for t in parts[1:] if NUMBER.fullmatch(t)][columns]
    return out


def check_sentences(lines) -> int:
    said = [ln for ln in lines if SENTENCE.match(ln)]
    for ln in said:
        assert not re.search(r"(?<![\d.,])0 (views|worse)|\b(loss|L|L′|MAE|at) 0(?![.\d])", ln), ln
        for t in NUMBER.findall(re.sub(r"p = [\d.]+", "", ln)):  # p-values have the permutations' resolution
            if "." in t:
                assert sig(t) >= 2, (t, ln)
    return len(said)


def test_fit(small_csv):
    lines = run("fit", small_csv, "--model", "linear:7", "--epochs", "100")
    rows = [ln for ln in lines if ln.strip().startswith(("train L", "test L′", "exact optimum"))]
    losses = [t for ln in rows for t in NUMBER.findall(ln.split(")")[-1])]
    assert len(losses) == 6 and all(sig(t) >= 2 and "." in t for t in losses), losses
    assert check_sentences(lines) >= 1


def test_cv_runner_up_never_zero_worse(small_csv):
    lines = run("cv", small_csv, "--models", "linear:7,linear:28,linear:56", "--epochs", "100", "--no-plots")
    losses = table_losses(lines, slice(1, 3))  # train L, val mean
    assert len(losses) == 6 and all(sig(t) >= 2 for t in losses), losses
    assert check_sentences(lines) == 2
    assert any("runner-up" in ln for ln in lines)


def test_diagnose(small_csv):
    lines = run("diagnose", small_csv, "--models", "linear:1,linear:7,relu:7x10", "--epochs", "100", "--no-plots")
    losses = table_losses(lines, slice(1, 4))  # train, validation, test
    assert len(losses) == 9 and all(sig(t) >= 2 for t in losses), losses
    assert check_sentences(lines) >= 3


def test_ladder(small_csv):
    lines = run("ladder", small_csv, "--epochs", "3", "--seeds", "1")
    losses = table_losses(lines, slice(1, 3))  # L, L′ (one seed: no spread to round to)
    assert len(losses) == 2 * 15 and all(sig(t) >= 2 for t in losses), losses
    assert check_sentences(lines) == 3


def test_ladder_with_seeds_prints_each_mean_to_its_spreads_digits(small_csv):
    cells = table_losses(run("ladder", small_csv, "--epochs", "3"), slice(1, 5))  # L, ±, L′, ± (3 seeds)
    assert len(cells) == 4 * 15, cells
    for mean, sd in zip(cells[::2], cells[1::2]):
        decimals = lambda x: len(x.split(".")[1]) if "." in x else 0  # noqa: E731
        assert sig(sd) <= 1 and decimals(mean) == decimals(sd), (mean, sd)


def test_sentence_makers_on_small_numbers():
    """The words themselves: a verdict's reason and the story print small losses with their digits."""
    r = reason("overfitting", {"train": 0.0123, "val": 0.0456, "gap_frac": 0.73, "simpler_model": "linear:7",
                               "simpler_val": 0.0321, "naive_train": 0.05}, Thresholds())
    assert "0.0123" in r and "0.0456" in r and "0.0321" in r and not r.problems()
    from viewcast.book.ladder import Row

    rows = [Row("A", f"linear:{k}", k + 1, tr, te, None, None, None, "", 0.0)
            for k, tr, te in ((1, 1.531, 1.2), (7, 1.528, 1.1), (28, 1.527, 1.0), (56, 1.526, 0.9))]
    s = story(rows)[0]
    assert "1.531" in s and "1.526" in s and not s.problems()


@pytest.mark.parametrize("a,b", [(1.531, 1.528), (478.1, 478.1 + 1e-9), (0.0012, 0.0011), (12345.0, 12344.0)])
def test_diff_is_never_zero_for_different_numbers(a, b):
    assert diff(a, b) not in ("0", "-0", "0.000000", "-0.000000") and float(diff(a, b).replace(",", "")) != 0


@pytest.mark.parametrize("v", [1.5312, 0.0347, 0.000412, 7.0, 12.5, 478.11, 12345.6])
def test_num_keeps_two_significant_digits(v):
    assert sig(num(v)) >= 2 and abs(float(num(v).replace(",", "")) - v) <= 0.05 * v


SRC = Path(__file__).resolve().parents[1] / "src" / "viewcast"
# every module that makes words with numbers in them: the words, the terminal's views and commands, the
# report page, the ladder's story
TEXT_MODULES = sorted(p.relative_to(SRC).as_posix() for d in ("text", "cli", "report") for p in (SRC / d).rglob("*.py")
                      if p.name != "fmt.py") + ["book/story.py"]  # fmt.py: the formatter itself


@pytest.mark.parametrize("module", TEXT_MODULES)
def test_text_modules_never_round_to_whole_views(module):
    """Printed numbers go through fmt.num; a ':,.0f' would print a loss of 0.41 as '0' again."""
    import viewcast

    text = (Path(viewcast.__file__).parent / module).read_text()
    rounded = [line for line in text.splitlines() if re.search(r":,?\.0f\}", line) and "seconds" not in line]
    assert rounded == [], module  # whole seconds are fine
