"""The house's floors: data flows one way, and so do imports. Every import in src/viewcast — at the top of
a module or inside a function, where lazy imports live — is read with `ast`, and each must go from a
package to one on its own floor or below:

    text, errors, io, version, checks → data → features → models → train → evaluate → (forecasting, surface, diagnose)
    → (book, store) → many → figures → (report, lab) → api → cli → the root package (viewcast/__init__)

No package may import one above it, and the packages' graph has no cycle (two packages on one floor may use
one another in one direction only).
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "viewcast"
FLOORS = [("text", "errors", "io", "version", "lazy", "checks", "busy"), ("data",), ("features",), ("models",), ("train",), ("evaluate",),
          ("forecasting", "surface", "diagnosis"), ("book", "store"), ("many",), ("figures",),
          ("report", "lab"), ("api",), ("cli",), ("viewcast", "__main__")]
FLOOR = {name: i for i, names in enumerate(FLOORS) for name in names}
TEXT_MAY_USE = {"errors"}  # the words at the bottom know nothing of the library above them


def package_of(module: str) -> str:
    """'viewcast.report.page' → 'report'; 'viewcast.io' → 'io'; 'viewcast' → 'viewcast'."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "viewcast"


def module_name(path: Path, root: Path = SRC.parent) -> str:
    rel = path.relative_to(root).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports(path: Path, root: Path = SRC.parent) -> list[tuple[int, str]]:
    """(line, absolute module) of every viewcast import in the file — at its top or inside a function —
    relative ones resolved."""
    me = module_name(path, root)
    base = me.split(".") if path.name == "__init__.py" else me.split(".")[:-1]
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names if a.name.split(".")[0] == "viewcast"]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                stem = ".".join(base[: len(base) - node.level + 1] + ([node.module] if node.module else []))
            else:
                stem = node.module or ""
            if stem.split(".")[0] != "viewcast":
                continue
            # `from . import x` / `from .. import models`: x may be a module or package of its own
            for a in node.names:
                sub = f"{stem}.{a.name}"
                out.append((node.lineno, sub if _exists(sub, root) else stem))
    return out


def _exists(module: str, root: Path) -> bool:
    p = root.joinpath(*module.split("."))
    return p.with_suffix(".py").exists() or (p / "__init__.py").exists()


def edges() -> list[tuple[str, str, str]]:
    """(importing package, imported package, 'file:line') for every import between two packages."""
    out = []
    for path in sorted(SRC.rglob("*.py")):
        src = package_of(module_name(path))
        for line, mod in imports(path):
            dst = package_of(mod)
            if dst != src:
                out.append((src, dst, f"{path.relative_to(SRC)}:{line}"))
    return out


def test_every_package_has_a_floor():
    packages = {package_of(module_name(p)) for p in SRC.rglob("*.py")}
    assert packages - set(FLOOR) == set(), "add the new package to FLOORS"


def test_no_import_runs_up_the_flow():
    up = [f"{where}: {src} imports {dst}" for src, dst, where in edges() if FLOOR[dst] > FLOOR[src]]
    assert up == []


def test_text_imports_nothing_but_errors():
    bad = [f"{where}: text imports {dst}" for src, dst, where in edges() if src == "text" and dst not in TEXT_MAY_USE]
    assert bad == []


def test_pages_and_pictures_render_what_they_are_handed():
    """report/, lab/ and figures/ never train: they import neither the engine, model selection, the API nor
    the many-series runner (what they show is computed by book/ and handed to them)."""
    trains = {"train", "evaluate", "api", "many", "store"}
    bad = [f"{where}: {src} imports {dst}" for src, dst, where in edges()
           if src in ("report", "lab", "figures") and dst in trains]
    assert bad == []


def test_no_package_cycle():
    graph: dict[str, set[str]] = {}
    for src, dst, _ in edges():
        graph.setdefault(src, set()).add(dst)
    cycle = find_cycle(graph)
    assert cycle is None, " → ".join(cycle or [])


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """A cycle of `graph` as [a, b, …, a], or None (depth-first, three colours)."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(n: str) -> list[str] | None:
        state[n] = 1
        stack.append(n)
        for m in sorted(graph.get(n, ())):
            if state.get(m) == 1:
                return stack[stack.index(m):] + [m]
            if state.get(m) is None and (c := visit(m)):
                return c
        stack.pop()
        state[n] = 2
        return None

    for n in sorted(graph):
        if state.get(n) is None and (c := visit(n)):
            return c
    return None


@pytest.mark.parametrize("graph, cycle", [({"a": {"b"}, "b": {"c"}}, None),
                                          ({"a": {"b"}, "b": {"c"}, "c": {"a"}}, ["a", "b", "c", "a"]),
                                          ({"report": {"book"}, "book": {"report"}}, ["book", "report", "book"])])
def test_find_cycle(graph, cycle):
    assert find_cycle(graph) == cycle


def test_imports_resolve_relative_and_lazy_ones(tmp_path):
    """The walker sees a relative import inside a function, and `from .. import models` as the package."""
    pkg = tmp_path / "viewcast"
    for d in ("book", "report", "models"):
        (pkg / d).mkdir(parents=True)
        (pkg / d / "__init__.py").write_text("")
    (pkg / "report" / "i18n.py").write_text("")
    (pkg / "book" / "ladder.py").write_text("from .. import models\n\ndef f():\n    from ..report.i18n import t\n")
    assert imports(pkg / "book" / "ladder.py", tmp_path) == [(1, "viewcast.models"), (4, "viewcast.report.i18n")]


def test_every_module_and_function_reads_in_one_sitting():
    """No module in src over 300 lines, no function over 80 (the catalogues are data files, not modules)."""
    import ast

    long_modules, long_functions = [], []
    for path in sorted(SRC.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if len(text.splitlines()) > 300:
            long_modules.append(f"{path.relative_to(SRC)}: {len(text.splitlines())} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno - node.lineno >= 80:
                long_functions.append(f"{path.relative_to(SRC)}:{node.name}: {node.end_lineno - node.lineno + 1} lines")
    assert long_modules == [] and long_functions == [], long_modules + long_functions
