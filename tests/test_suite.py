"""The test suite itself: a fresh clone runs it without the real data beside it, and the quick loop is
declared where `make test-fast` and CI read it."""
from __future__ import annotations

import ast
import os
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA_NAMES = {"VIEWS", "HW1", "SHARED"}  # conftest's paths into ../shared


def shared_data_tests() -> list[str]:
    """Node ids of the tests whose body names one of conftest's ../shared paths."""
    ids = []
    for path in sorted((ROOT / "tests").glob("test_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
                names = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
                if names & DATA_NAMES:
                    ids.append(f"tests/{path.name}::{node.name}")
    return ids


def test_tests_that_read_shared_data_skip_without_it(tmp_path):
    """With no ../shared (a fresh clone), each test that reads the real data skips and says why, or uses its
    fallback; none fails."""
    ids = shared_data_tests()
    assert len(ids) >= 5
    env = {**os.environ, "VIEWCAST_SHARED": str(tmp_path / "no-shared")}
    r = subprocess.run([sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", *ids], cwd=ROOT,
                       env=env, capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stdout[-3000:]
    assert "SKIPPED" in r.stdout and "../shared/data beside the clone" in r.stdout, r.stdout[-3000:]


def test_slow_marker_and_the_quick_loop():
    """`slow` is a declared marker (a misspelt one fails: --strict-markers); `make test-fast` leaves the slow
    tests out; `make test`, which CI runs, prints the slowest tests."""
    opts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
    assert any(m.startswith("slow:") for m in opts["markers"]) and "--strict-markers" in opts["addopts"]
    make = (ROOT / "Makefile").read_text()
    fast = make.split("\ntest-fast:")[1].split("\n\n")[0]
    test = make.split("\ntest:")[1].split("\n\n")[0]
    assert '-m "not slow"' in fast and "--durations=25" in test
    assert "make test" in (ROOT / ".ci" / "run").read_text()
