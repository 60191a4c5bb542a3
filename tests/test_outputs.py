"""Outputs: every path a command writes to is checked before any work — a bad
-o or --save costs one line and exit status 2, never a finished run — and written files are ordinary
files (the umask decides, as for any program), in the folder or file the help text says."""
import importlib
import os
import stat

import pytest
import typer.main
from typer.testing import CliRunner

from viewcast.cli import app, kit
from viewcast.io import write_atomic

from conftest import daily_csv, weekly_series

runner = CliRunner()
NOWHERE = {"--out": "/proc/nope", "--output": "/proc/nope/x.png", "--save": "/proc/nope/m.safetensors"}


def commands():
    """(path, click command) of every command."""
    found = []

    def walk(cmd, path):
        if getattr(cmd, "commands", None):
            for name, sub in cmd.commands.items():
                walk(sub, path + (name,))
        else:
            found.append((path, cmd))

    walk(typer.main.get_command(app), ())
    return found


def writers():
    """(command path, option) for every option that names where a command writes."""
    out = []
    for path, cmd in commands():
        if any(p.required for p in cmd.params):
            continue  # predict: needs a model file first; it writes nothing
        for p in cmd.params:
            flag = next((o for o in p.opts if o in NOWHERE), None)
            if flag:
                out.append((path, flag))
    return out


@pytest.fixture
def no_work(monkeypatch):
    """Loading the series or training anything fails the test: the check must come first."""

    def boom(*a, **k):
        raise AssertionError("work started before the output path was checked")

    monkeypatch.setattr(kit.SourceArgs, "load", boom)
    monkeypatch.setattr(importlib.import_module("viewcast.train.engine"), "_train", boom)  # every training run


def test_the_writers_are_the_ones_we_know():
    """ladder, demo, data list and data show write nothing (no -o); cv, diagnose, surface, forecast, report, lab,
    data export and fit do — each -o named --out alike."""
    found = {(" ".join(p), f) for p, f in writers()}
    assert {("cv", "--out"), ("cv", "--save"), ("diagnose", "--out"), ("surface", "--out"), ("fit", "--save"),
            ("forecast", "--out"), ("report", "--out"), ("lab", "--out"), ("data export", "--out")} <= found
    assert not {p for p, _ in found} & {"ladder", "demo", "data list", "data show"}


@pytest.mark.parametrize("path,flag", writers(), ids=lambda x: " ".join(x) if isinstance(x, tuple) else x)
def test_unwritable_output_refused_before_any_work(no_work, path, flag):
    needs = {("leaderboard",): ["--target", "y"]}.get(tuple(path), [])  # what the command refuses first without
    r = runner.invoke(app, [*path, *needs, flag, NOWHERE[flag]])
    assert r.exit_code == 2, r.output
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "/proc/nope" in lines[0] and "Traceback" not in r.output, r.stderr


@pytest.mark.parametrize("args", [("cv", "--curve", "k", "-o", "/proc/nope"), ("surface", "-o", "/proc/nope/"),
                                  ("surface", "--view", "curve", "-o", "/proc/nope/c.html"),
                                  ("cv", "-o", "/etc/hostname")])
def test_other_unwritable_outputs_refused_before_any_work(no_work, args):
    r = runner.invoke(app, list(args))
    assert r.exit_code == 2 and len(r.stderr.strip().splitlines()) == 1, r.output


def test_surface_output_may_be_a_folder(tmp_path):
    """-o FOLDER/ (or an existing folder) → surface.png and surface.html in it; -o FILE as before."""
    folder = tmp_path / "pics"
    r = runner.invoke(app, ["surface", "--grid", "9", "--steps", "5", "-o", f"{folder}/"])
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in folder.iterdir()) == ["surface.html", "surface.png"]
    r = runner.invoke(app, ["surface", "--grid", "9", "--steps", "5", "-o", str(tmp_path), "-o", str(tmp_path / "one.png")])
    assert r.exit_code == 0, r.output
    assert {"surface.html", "surface.png", "one.png"} <= {p.name for p in tmp_path.iterdir()}


def test_help_says_o_is_a_folder_or_a_file_everywhere():
    """The -o option's own help (not the command's description) says both a folder and a file are taken."""
    helps = {path: next(p.help for p in cmd.params if "-o" in p.opts) for path, cmd in commands()
             if any("-o" in p.opts for p in cmd.params)}
    assert set(helps) >= {("surface",), ("cv",), ("diagnose",), ("forecast",), ("report",), ("lab",), ("data", "export"),
                          ("predict",), ("leaderboard",)}
    for path, h in helps.items():
        assert "folder" in h and ("suffix picks" in h or ".html file" in h or "CSV to write" in h or ".csv file" in h), \
            (path, h)


def test_o_is_a_folder_or_a_file_whose_suffix_picks_the_format(tmp_path):
    """The same -o in every command: a folder gets the usual files, a file what its suffix says."""
    csv = tmp_path / "v.csv"
    csv.write_text(daily_csv(weekly_series(900)))
    quick = ["--quick", "--epochs", "5"]
    r = runner.invoke(app, ["forecast", str(csv), *quick, "-o", str(tmp_path / "f.png"), "-o", str(tmp_path / "fc")])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "f.png").is_file() and not (tmp_path / "f.csv").exists()  # a file: only the chart
    assert sorted(p.name for p in (tmp_path / "fc").iterdir()) == ["forecast.csv", "forecast.html", "forecast.png"]
    r = runner.invoke(app, ["diagnose", str(csv), "--models", "linear:1,linear:7", "--epochs", "20",
                            "-o", str(tmp_path / "d.png")])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "d-losses.png").is_file() and (tmp_path / "d-worst-days.png").is_file()
    r = runner.invoke(app, ["cv", str(csv), "--models", "linear:1,linear:7", "-o", str(tmp_path / "cv.html")])
    assert r.exit_code == 0 and (tmp_path / "cv.html").is_file(), r.output
    r = runner.invoke(app, ["data", "export", str(csv), "-o", str(tmp_path / "exp")])
    assert r.exit_code == 0 and (tmp_path / "exp" / "v.csv").is_file(), r.output
    r = runner.invoke(app, ["forecast", str(csv), *quick, "-o", str(tmp_path / "f.txt")])
    assert r.exit_code == 2 and "use .csv or .html or .png (or a folder)" in r.stderr, r.output


def test_a_refused_command_leaves_no_folder_behind(tmp_path, monkeypatch):
    """Folders are checked before the work but made only when a file is written: a command refused after
    its checks (bad data, a bad model, a missing column, a bad count) leaves the working folder as it was."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "empty.csv").write_text("date,views\n")
    (tmp_path / "v.csv").write_text(daily_csv(weekly_series(200)))
    (tmp_path / "t.csv").write_text("id,a,b,y\n" + "".join(f"{i},{i % 7},{i % 5},{i % 3}\n" for i in range(60)))
    before = sorted(p.name for p in tmp_path.iterdir())
    for args in (["cv", "empty.csv"], ["cv", "v.csv", "--models", "nosuch:1"], ["surface", "empty.csv", "-o", "surf"],
                 ["forecast", "empty.csv", "-o", "fc"], ["lab", "empty.csv", "-o", "labdir"],
                 ["diagnose", "t.csv", "--target", "nosuchcol"], ["leaderboard", "t.csv", "--target", "nosuchcol"],
                 ["leaderboard", "t.csv", "--target", "y", "--seeds", "0"], ["data", "export", "empty.csv", "-o", "exp"]):
        r = runner.invoke(app, args)
        assert r.exit_code == 2 and len(r.stderr.strip().splitlines()) == 1, (args, r.output)
        assert sorted(p.name for p in tmp_path.iterdir()) == before, args


@pytest.fixture
def umask022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_written_files_are_ordinary_files(tmp_path, umask022):
    """Not mkstemp's owner-only 0600: 0666 less the umask for a new file; a replaced file keeps its mode."""
    p = tmp_path / "a.bin"
    write_atomic(p, b"x")
    assert stat.S_IMODE(p.stat().st_mode) == 0o644
    p.chmod(0o664)
    write_atomic(p, b"y")
    assert stat.S_IMODE(p.stat().st_mode) == 0o664 and p.read_bytes() == b"y"
    os.umask(0o077)
    write_atomic(tmp_path / "b.bin", b"x")
    assert stat.S_IMODE((tmp_path / "b.bin").stat().st_mode) == 0o600


def test_commands_write_readable_files(tmp_path, umask022):
    csv = tmp_path / "v.csv"
    csv.write_text(daily_csv(weekly_series(300)))
    m = tmp_path / "m.safetensors"
    assert runner.invoke(app, ["fit", str(csv), "--model", "linear:7", "--epochs", "20", "--save", str(m)]).exit_code == 0
    r = runner.invoke(app, ["diagnose", str(csv), "--models", "linear:1,linear:7", "--epochs", "20", "-o", str(tmp_path / "d")])
    assert r.exit_code == 0, r.output
    written = [m] + list((tmp_path / "d").iterdir())
    assert len(written) == 5 and all(stat.S_IMODE(p.stat().st_mode) == 0o644 for p in written)
