"""Small things a new user meets: --version and -h, advice for a series too short for
the model asked, and no deprecation warnings from viewcast's own code on its main paths."""
import os
from pathlib import Path
import warnings

import pytest
from typer.testing import CliRunner

import viewcast
from viewcast.cli import app

from conftest import daily_csv, weekly_series

runner = CliRunner()


def test_version_is_the_installed_distributions():
    """One source: pyproject.toml's version, as the installed distribution's metadata carries it."""
    import tomllib
    from importlib.metadata import version

    r = runner.invoke(app, ["--version"])
    declared = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text())["project"]["version"]
    assert r.exit_code == 0 and r.stdout.strip() == f"viewcast {version('viewcast')}" == f"viewcast {declared}"


@pytest.mark.parametrize("path", [(), ("fit",), ("data", "show"), ("surface",)])
def test_dash_h_is_help(path):
    a, b = runner.invoke(app, [*path, "-h"]), runner.invoke(app, [*path, "--help"])
    assert a.exit_code == 0 and "Usage" in a.stdout and a.stdout == b.stdout


@pytest.mark.parametrize("days,args,advice", [
    (100, ("fit", "--model", "linear:56"), "a 28-day model fits (e.g. `viewcast fit --model linear:28`)"),
    (100, ("ladder",), "alone, a 28-day model fits"),
    (20, ("ladder",), "alone, a 1-day model fits"),
    (20, ("fit", "--model", "linear:7"), "a 1-day model fits"),
    (6, ("fit", "--model", "linear:1"), "give more training days"),
])
def test_too_short_says_what_still_fits(tmp_path, days, args, advice):
    csv = tmp_path / "short.csv"
    csv.write_text(daily_csv(weekly_series(days)))
    r = runner.invoke(app, [args[0], str(csv), *args[1:]])
    assert r.exit_code == 2 and len(r.stderr.strip().splitlines()) == 1, r.output
    assert advice in r.stderr and "shorter window" not in r.stderr
    if args[0] == "ladder":
        assert "every model is scored on the same days" in r.stderr  # why a 1-day model needs 56 days more


def test_no_deprecation_warnings_from_viewcast(tmp_path):
    """pandas 3 removes what it deprecates now: none of viewcast's own lines may trigger a warning."""
    csv = tmp_path / "w.csv"
    csv.write_text(daily_csv(weekly_series(300)))
    src = os.path.dirname(viewcast.__file__)
    model = tmp_path / "m.safetensors"
    runs = [["data", "show"], ["data", "show", csv], ["data", "list"],
            ["fit", csv, "--model", "relu:7x10", "--epochs", "20", "--weekday", "--log", "--save", model],
            ["predict", csv, "--model", model, "--days", "3"],
            ["cv", csv, "--models", "linear:7,linear:14", "--epochs", "20", "-o", tmp_path / "o"],
            ["diagnose", csv, "--models", "linear:1,linear:7", "--epochs", "20", "-o", tmp_path / "o"],
            ["surface", csv, "--grid", "9", "--steps", "5", "-o", tmp_path / "o" / "s.png"]]
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        for args in runs:
            r = runner.invoke(app, [str(a) for a in args])
            assert r.exit_code == 0, (args, r.output)
    ours = [w for w in seen if issubclass(w.category, (DeprecationWarning, PendingDeprecationWarning, FutureWarning))
            and w.filename.startswith(src)]
    assert not ours, [f"{w.filename}:{w.lineno}: {w.message}" for w in ours]


# The child reports the heavy libraries it loaded and its CPU seconds (start-up included), as JSON.
_PROBE = """
import contextlib, io, json, sys, time
sys.argv = ["viewcast", *sys.argv[1:]]
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    try:
        from viewcast.cli import main
        main()
    except SystemExit:
        pass
heavy = [m for m in ("torch", "scipy", "sklearn", "matplotlib", "plotly") if m in sys.modules]
print(json.dumps({"heavy": heavy, "cpu": time.process_time()}))
"""


def _probe(*args: str) -> dict:
    import json
    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-c", _PROBE, *args], capture_output=True, text=True, timeout=300)
    return json.loads(r.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("args", [("--version",), ("--help",), ("data", "show", "nosuch.csv"),
                                  ("forecast", "--help"), ("forecast", "nosuch.csv"), ("report", "nosuch.csv"),
                                  ("fit", "--model", "nosuch:1"), ("predict", "--model", "nosuch.safetensors")])
def test_start_up_loads_no_engine(args):
    """--version, --help and a bad argument or file answer before torch (or scipy, scikit-learn, matplotlib,
    plotly: a second or more each on a small machine) is imported: each command loads the library inside
    itself, once its input is known to be good."""
    assert _probe(*args)["heavy"] == []


@pytest.mark.parametrize("busy,policy,argv", [(2.0, "PASSIVE", ["forecast", "--seeds", "0"]),
                                              (0.0, None, ["forecast", "--seeds", "0"]),
                                              (2.0, None, ["--version"]), (2.0, None, ["forecast", "--help"])])
def test_the_command_lets_threads_sleep_on_a_busy_machine(busy, policy, argv):
    """`viewcast` asks OpenMP for sleeping threads when its cores are busy with other work as it starts, before
    torch loads (spinning threads beside other work doubled a forecast's time: benchmarks/bench_busy.py). Help
    and the version train nothing and do not look."""
    import json
    import subprocess
    import sys

    child = f"""
import json, os, sys
import viewcast.busy
viewcast.busy.other_work = lambda seconds=0.1: {busy}
sys.argv = ["viewcast", *{argv!r}]
from viewcast.cli import main
try:
    main()
except SystemExit:
    pass
print(json.dumps({{"policy": os.environ.get("OMP_WAIT_POLICY"), "torch": "torch" in sys.modules}}))
"""
    env = {k: v for k, v in os.environ.items() if k not in ("OMP_WAIT_POLICY", "OMP_NUM_THREADS")}  # one thread: no spin
    r = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True, timeout=300, env=env)
    assert json.loads(r.stdout.strip().splitlines()[-1]) == {"policy": policy, "torch": False}, r.stderr


def test_a_busy_loop_beside_us_is_a_core_taken():
    """The real /proc/stat: a process that never sleeps, on our CPUs (it inherits them), is counted as a core
    other work has taken."""
    import subprocess
    import sys
    import time

    from viewcast.busy import other_work

    if not os.path.exists("/proc/stat"):
        pytest.skip("no /proc/stat: the check does nothing on this system")
    loop = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        time.sleep(0.5)
        assert other_work(0.3) >= 1
    finally:
        loop.kill()
        loop.wait()


def test_version_costs_less_than_importing_torch():
    """Measured in the same run, in CPU seconds (a busy machine stretches wall time, not these): `viewcast
    --version` whole, interpreter start-up included, against `import torch` alone."""
    import subprocess
    import sys

    torch_cpu = float(subprocess.run([sys.executable, "-c", "import time, torch; print(time.process_time())"],
                                     capture_output=True, text=True, timeout=300).stdout)
    version_cpu = min(_probe("--version")["cpu"] for _ in range(2))
    assert version_cpu < 0.75 * torch_cpu, (version_cpu, torch_cpu)


def test_cv_quick_compares_three_models_and_refuses_models_beside_it():
    r = runner.invoke(app, ["cv", "--quick", "--epochs", "3", "--no-plots", "--json"])
    assert r.exit_code == 0, r.output
    import json

    assert [c["model"] for c in json.loads(r.stdout)["models"]] == ["linear:7", "linear:56", "relu:56x100"]
    bad = runner.invoke(app, ["cv", "--quick", "--models", "linear:7"])
    assert bad.exit_code == 2 and "--quick" in bad.stderr and len(bad.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("args, says", [(["ladder", "--seeds", "x"], "'--seeds'"),
                                        (["fit", "--epochs", "abc"], "'--epochs'"),
                                        (["forecast", "--nope"], "No such option: --nope"),
                                        (["nosuchcmd"], "No such command 'nosuchcmd'")])
def test_a_bad_option_is_one_line_and_exit_2_not_a_usage_box(args, says):
    """What click itself refuses (a type, a range, an unknown option) reads like every other bad input."""
    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-m", "viewcast", *args], capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and r.stdout == "", r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and says in lines[0] and "--help" in lines[0], r.stderr


def test_a_count_below_one_reads_the_same_in_every_command():
    for args in (["ladder", "--seeds", "0"], ["demo", "--seeds", "0"], ["cv", "--seeds", "0"]):
        r = runner.invoke(app, args)
        assert r.exit_code == 2 and r.stderr.strip() == "error: --seeds 0: must be at least 1", (args, r.stderr)


def _piped_stages(label="forecast"):
    import io as _io

    from rich.console import Console

    from viewcast.cli.progress import Stages

    buf, now = _io.StringIO(), [0.0]
    return Stages(Console(file=buf, force_terminal=False, width=200), label, live=False, clock=lambda: now[0]), buf, now


def test_piped_stage_lines_say_each_stage_once_work_follows_it():
    """Piped, one line per stage — printed when work follows it (an update, the next stage, the end), with the
    time it began and an ETA from the share done; a command that fails at a stage prints no line for it."""
    st, buf, now = _piped_stages()
    st.start()
    st.task("validating", 0, 2)
    assert buf.getvalue() == ""  # nothing yet: input refused here is the error's line alone
    now[0] = 10.0
    st.step(5, 10)  # half of stage 1 of 2: a quarter of the work in 10 s
    now[0] = 20.0
    st.task("refitting", 1, 2)  # half of the work in 20 s: 20 s more
    st.stop()
    assert buf.getvalue().splitlines() == ["0:00:00 forecast · validating (1/2) · ETA …",
                                           "0:00:20 forecast · refitting (2/2) · ETA 0:00:20"]
    st, buf, now = _piped_stages()
    st.start()
    st.task("loading the engine")
    st.stop(finished=False)  # refused at its first stage
    assert buf.getvalue() == ""


def test_the_eta_counts_each_rung_by_its_cost():
    """A ladder's rungs cost what their weights do (relu:56x1000 a dozen times linear:1): after a rung of cost 1
    of 1 + 3, a quarter is done, so 10 s spent leave 30 s, not the 10 s that one of two would say."""
    st, buf, now = _piped_stages("ladder")
    st.start()
    st.weigh([1, 3])
    st.task("cheap", 0, 2)
    now[0] = 10.0
    st.task("dear", 1, 2)
    now[0] = 12.0
    st.step(1, 3)  # a third of the dear rung: 1 + 1 of 4 done in 12 s
    assert st.fraction == 0.5 and st.eta() == "ETA 0:00:12"
    st.stop()
    assert buf.getvalue().splitlines()[-1] == "0:00:10 ladder · dear (2/2) · ETA 0:00:30"
    st.part("the forecast", 0.9, 0.1)  # a new part: its tasks count alike again
    st.task("one", 0, 2)
    assert st.costs == [] and abs(st.fraction - 0.9) < 1e-12
