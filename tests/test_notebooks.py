"""The tutorials (docs/tutorial.ipynb, docs/tutorial.zh.ipynb) run top to bottom in a kernel of
this interpreter, every section shows what its heading promises (a figure, a table, printed numbers), they
write no file, and the committed copies carry no outputs.

Each notebook runs once per session, as a copy in a fresh folder, with VIEWCAST_NOTEBOOK_FAST=1 (the
notebooks read it: 100 updates per training run instead of 1000, the same cells)."""
from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import nbformat
import pytest
from jupyter_client import KernelManager
from jupyter_client.kernelspec import KernelSpecManager
from nbclient import NotebookClient

import viewcast as vc
from viewcast.text.i18n import t as term

pytestmark = pytest.mark.slow  # each runs a whole notebook in a kernel: make test and CI run them, test-fast not

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
NOTEBOOKS = ["tutorial.ipynb", "tutorial.zh.ipynb"]
# The chapters in order: each section starts at a markdown cell whose metadata.viewcast names it and
# lists what its code cells must show.
SECTIONS = ["setup", "case", "three-steps", "surface", "more-days", "pieces", "deeper", "model-bias",
            "optimization", "overfitting", "cross-validation", "mismatch", "forecast"]
PLOTLY = "application/vnd.plotly.v1+json"


def read(name: str):
    return nbformat.read(DOCS / name, as_version=4)


def sections(nb) -> list[tuple[str, list[str], list]]:
    """[(section, expects, code cells)] in order: a section runs from its marked cell to the next."""
    out: list[tuple[str, list[str], list]] = []
    for cell in nb.cells:
        meta = cell.metadata.get("viewcast")
        if meta:
            out.append((meta["section"], meta["expects"], []))
        elif cell.cell_type == "code":
            assert out, f"code cell {cell.id} comes before the first section"
            out[-1][2].append(cell)
    return out


def shown(cell) -> set[str]:
    """What a code cell's outputs show: 'text' (printed), 'table' (an HTML table), 'figure' (plotly)."""
    kinds = set()
    for o in cell.get("outputs", []):
        if o.output_type == "stream" and o.name == "stdout" and o.text.strip():
            kinds.add("text")
        data = o.get("data", {})
        html = data.get("text/html", "")
        if "<table" in html:
            kinds.add("table")
        if PLOTLY in data or "Plotly.newPlot" in html:  # the mimetype (Jupyter) or plotly.js HTML (Colab)
            kinds.add("figure")
    return kinds


def kernel_for_this_python(folder: Path, env: dict | None = None) -> KernelManager:
    """A kernel of the interpreter running the tests that imports the viewcast under test, whichever
    kernels Jupyter has installed (`env`: more environment variables for it)."""
    spec = folder / "kernels" / "viewcast-test"
    spec.mkdir(parents=True)
    src = str(Path(vc.__file__).resolve().parents[1])
    env = {"PYTHONPATH": os.pathsep.join(p for p in (src, os.environ.get("PYTHONPATH")) if p),
           "VIEWCAST_NOTEBOOK_FAST": "1",
           # small trainings: on a shared CPU, torch's spinning threads cost more than they give
           "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", "1"), **(env or {})}
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "viewcast tests", "language": "python", "env": env}))
    return KernelManager(kernel_name="viewcast-test",
                         kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(folder / "kernels")]))


@pytest.fixture(scope="module", params=NOTEBOOKS)
def executed(request, tmp_path_factory):
    """(name, the executed notebook, the files left in the folder it ran in, the repository's top level
    before and after)."""
    name = request.param
    work = tmp_path_factory.mktemp("notebook")
    shutil.copy(DOCS / name, work / name)
    nb = nbformat.read(work / name, as_version=4)
    before = sorted(p.name for p in ROOT.iterdir())
    km = kernel_for_this_python(tmp_path_factory.mktemp("kernel"))
    NotebookClient(nb, km=km, timeout=600, resources={"metadata": {"path": str(work)}}).execute()
    after = sorted(p.name for p in ROOT.iterdir())
    return name, nb, sorted(p.name for p in work.iterdir()), (before, after)


def sections_show_what_they_promise(name: str, nb, headings: list[str]) -> list:
    """The notebook's sections are `headings`, each showing what its heading promises; returns the sections."""
    secs = sections(nb)
    assert [s for s, _, _ in secs] == headings
    for section, expects, cells in secs:
        got = set().union(*(shown(c) for c in cells))
        assert set(expects) <= got, f"{name} § {section}: shows {sorted(got)}, promises {expects}"
    return secs


def test_every_section_shows_what_it_promises(executed):
    name, nb, _, _ = executed
    secs = sections_show_what_they_promise(name, nb, SECTIONS)
    setup = secs[0][2]
    assert setup[0].outputs == []  # the Colab cell does nothing outside Colab
    assert "EPOCHS = 100" in "".join(o.get("text", "") for o in setup[1].outputs)  # the test's setting reached it


def test_nothing_on_stderr(executed):
    name, nb, _, _ = executed
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            assert not (o.output_type == "stream" and o.name == "stderr"), f"{name} cell {cell.id}: {o.text[:300]}"


def test_the_notebooks_write_no_file(executed):
    name, _, left, (before, after) = executed
    assert left == [name]  # the folder it ran in holds only the copy
    assert before == after  # and nothing appeared in the repository


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_committed_notebooks_carry_no_outputs(name):
    nb = read(name)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{name} cell {cell.id} has outputs"


def test_both_languages_have_the_same_sections_and_cells():
    en, zh = (sections(read(n)) for n in NOTEBOOKS)
    assert [(s, e, len(c)) for s, e, c in en] == [(s, e, len(c)) for s, e, c in zh]
    assert len(read(NOTEBOOKS[0]).cells) == len(read(NOTEBOOKS[1]).cells)


def test_the_chinese_notebook_speaks_the_books_terms():
    text = "".join(c.source for c in read("tutorial.zh.ipynb").cells if c.cell_type == "markdown")
    for key in ("model_bias", "optimization_issue", "overfitting", "cross_validation", "mismatch", "error_surface",
                "learning_rate", "gradient_descent", "training_data", "hyperparameter", "piecewise_linear"):
        assert term(f"term.{key}", "zh") in text, term(f"term.{key}", "zh")


def test_the_first_cell_installs_from_the_repository_only_in_colab():
    for name in NOTEBOOKS:
        first = next(c for c in read(name).cells if c.cell_type == "code")
        assert first.source.splitlines()[1].startswith('REPO = ""') and "google.colab" in first.source
        assert "git\", \"clone" in first.source and "pip\", \"install" in first.source
