"""The docs say what the code does: docs/cli.md is regenerated from the commands' --help and must equal
the committed file; a stale copy is caught; help strings stay short (the docs hold the long story); the
README's demo transcript is what `viewcast demo` prints."""
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


@pytest.mark.slow
def test_readme_demo_transcript_is_what_demo_prints():
    readme = (ROOT / "README.md").read_text()
    assert stale(readme, {"demo": demo_transcript()}) == [], "run `python -m viewcast.cli.docs --demo`"
