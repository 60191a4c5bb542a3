"""The docs say what the code does: docs/cli.md is regenerated from the commands' --help and must equal
the committed file; a stale copy is caught; help strings stay short (the docs hold the long story); the
README's demo transcript is what `viewcast demo` prints."""
import re
from pathlib import Path

import pytest

from viewcast.cli.docs import BEGIN, blocks, cli_markdown, demo_transcript, generated, stale

ROOT = Path(__file__).resolve().parents[1]


def test_every_generated_doc_is_current():
    for path, fresh in generated().items():
        assert stale(path.read_text(), fresh) == [], f"{path} is stale: run `python -m viewcast.cli.docs`"


def test_a_stale_copy_is_caught(tmp_path):
    """The committed docs/cli.md with one option's help changed, as if the code had moved on."""
    text = (ROOT / "docs" / "cli.md").read_text()
    assert "| `--days` |" in text
    old = text.replace("| `--days` |", "| `--days` (old) |", 1)
    assert stale(old, {"cli": cli_markdown()}) == ["cli"]
    assert stale(text.replace(BEGIN.format(name="cli"), ""), {"cli": cli_markdown()}) == ["cli"]  # a block gone


def test_docs_cli_covers_every_command_and_option():
    import typer.main

    from viewcast.cli import app

    body = blocks((ROOT / "docs" / "cli.md").read_text())["cli"]
    root = typer.main.get_command(app)
    for name, cmd in root.commands.items():
        subs = cmd.commands.items() if hasattr(cmd, "commands") else [(None, cmd)]
        for sub, c in subs:
            assert f"## `viewcast {name}{' ' + sub if sub else ''}`" in body
            for p in c.params:
                for opt in p.opts:
                    if opt.startswith("-"):
                        assert f"`{opt}`" in body, (name, sub, opt)


def test_help_strings_are_short():
    """One or two lines each: what an option does, not its history (that is in docs/)."""
    import typer.main

    from viewcast.cli import app

    root = typer.main.get_command(app)
    long = []
    for name, cmd in root.commands.items():
        for c in (cmd.commands.values() if hasattr(cmd, "commands") else [cmd]):
            long += [(name, p.name, len(p.help)) for p in c.params if p.help and len(p.help) > 240]
    assert long == []


def test_help_in_an_80_column_terminal_cuts_no_word(monkeypatch):
    """rich cuts a word wider than its column with '…' (a Colab cell, an 80-column terminal: the help column is
    about 20 wide), so lists in help read 'a, b' and paths stay short: `relu:28x64x2,relu:5…` once hid a default."""
    import click
    import typer.main
    import typer.rich_utils
    from typer.testing import CliRunner

    from viewcast.cli import app

    # typer reads TERMINAL_WIDTH and FORCE_COLOR-like variables once, at import: whatever this shell has set
    monkeypatch.setattr(typer.rich_utils, "MAX_WIDTH", 80)
    monkeypatch.setattr(typer.rich_utils, "FORCE_TERMINAL", False)
    root, cut = typer.main.get_command(app), []
    pages = [[]] + [[name, *([sub] if sub else [])] for name, cmd in root.commands.items()
                    for sub in ([None, *cmd.commands] if hasattr(cmd, "commands") else [None])]
    for page in pages:
        args = [*page, "--help"]
        out = click.unstyle(CliRunner().invoke(app, args, env={"COLUMNS": "80"}).stdout)
        assert out.strip() and max(len(x) for x in out.splitlines()) <= 80, args
        cut += [(" ".join(args), x.strip()) for x in out.splitlines() if re.search(r"\S…\s*│", x)]
    assert cut == []


def test_forecast_help_states_the_selector_defaults():
    """`forecast --help` says the defaults `Selector.DEFAULT` holds (it once said 3 and 3 after they became 2
    and 6): each option's "(default …)" is the field's value."""
    import typer.main

    from viewcast.cli import app
    from viewcast.forecasting import Selector

    said = {p.name: p.help for p in typer.main.get_command(app).commands["forecast"].params}
    d = Selector.DEFAULT
    for option, value in [("seeds", d.seeds), ("ensemble", d.ensemble), ("val", d.validation),
                          ("models_", ", ".join(d.models)), ("rule", d.rule)]:
        stated = re.findall(r"\(default:? ([^)]+)\)", said[option]) or re.findall(r"(\S+) \(default\)", said[option])
        assert stated == [str(value)], (option, said[option])


def test_the_table_defaults_in_help_are_the_code_s():
    """`cv --models` and `diagnose --models` name a table's default candidates as the code has them."""
    import typer.main

    from viewcast.cli import app
    from viewcast.diagnosis.table import DEFAULT_MODELS
    from viewcast.evaluate.table import TableRecipe

    cmds = typer.main.get_command(app).commands
    for cmd, want in (("cv", TableRecipe.DEFAULT.models), ("diagnose", DEFAULT_MODELS)):
        helps = {p.name: p.help for p in cmds[cmd].params}
        assert f"a table's, --target: {', '.join(want)})" in helps["models_"], (cmd, helps["models_"])


NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?")


def same_but_rounding(shown: str, fresh: str, rel: float = 0.01) -> bool:
    """The same words and layout, and every number within `rel` of the README's (at least one unit of its last
    digit, "40" a step of 10): the networks' sums run in a different order on another x86 CPU or thread count,
    which moves a forecast of 3,516 views by a view or two, or a spread printed to one digit by a step (1 vs
    2 threads: ± 30 vs 40 on relu:56x10); the sentences must be the same."""
    def layout(text: str) -> list[str]:  # the words between the numbers; column widths may differ with them
        return [re.sub(r"─+", "─", re.sub(r"\s+", " ", part)) for part in NUMBER.split(text)]

    if layout(shown) != layout(fresh):
        return False
    for x, y in zip(NUMBER.findall(shown), NUMBER.findall(fresh)):
        vx, vy = float(x.replace(",", "")), float(y.replace(",", ""))
        digits = x.replace(",", "").lstrip("-")
        zeros = 10.0 ** (len(digits) - len(digits.rstrip("0"))) if digits.strip("0") else 1.0
        if "." in digits:
            unit = 10.0 ** -len(digits.split(".")[1])
        elif zeros > 1 and vy % zeros == 0:  # printed to its tens (a spread "40", a mean "520"): still so, a step away
            unit = zeros
        else:
            unit = 1.0
        if abs(vx - vy) > max(rel * abs(vx), unit):
            return False
    return True


def first_difference(shown: str, fresh: str) -> str:
    """Where two transcripts first part: the README's line and the fresh one."""
    for a, b in zip(shown.splitlines(), fresh.splitlines()):
        if not same_but_rounding(a, b):
            return f"README: {a.strip()!r} / now: {b.strip()!r}"
    return "a line more or less"


@pytest.mark.slow
def test_readme_demo_transcript_is_what_demo_prints():
    readme = (ROOT / "README.md").read_text()
    shown = blocks(readme)["demo"]
    fresh = demo_transcript().strip()
    assert same_but_rounding(shown, fresh), f"{first_difference(shown, fresh)}; run `python -m viewcast.cli.docs --demo`"


def test_a_transcript_differing_by_rounding_passes_and_by_a_word_fails():
    shown = "forecasts 3,516 views (80%: 3,233…3,824); L 478.1 ± 0.0"
    assert same_but_rounding(shown, "forecasts 3,517 views (80%: 3,231…3,825); L 478.1 ± 0.0")
    assert same_but_rounding("L′ 520 ± 40", "L′ 520 ± 30")  # a spread printed to one digit moves by its step
    assert same_but_rounding("L′ 520 ± 40", "L′ 510 ± 40")  # and the mean printed to the spread's digits
    assert same_but_rounding("relu:56x10   581   520    40", "relu:56x10   581   520    30")  # a table's column
    assert not same_but_rounding("L′ 520 ± 40", "L′ 520 ± 60")
    for shown_, fresh_ in (("1,000 views", "1,900 views"), ("L 100", "L 199"), ("20 epochs", "29 epochs")):
        assert not same_but_rounding(shown_, fresh_)  # 1,900 is not 1,000 rounded again, nor 29 a 20
    assert same_but_rounding(" 1,083.8   40 \n ─────", " 1,083.9    40 \n ──────")  # a column one wider
    assert not same_but_rounding(shown, "forecasts 3,716 views (80%: 3,233…3,824); L 478.1 ± 0.0")
    assert not same_but_rounding(shown, "forecasts 3,516 views (95%: 3,233…3,824); L 478.1 ± 0.0")
    assert not same_but_rounding(shown, "forecasts 3,516 views (80%: 3,233…3,824); L 488.1 ± 0.0")
