"""The homework notebooks (docs/hw1.ipynb, docs/hw1.zh.ipynb) run top to bottom on the course's 2022 files — read
from ../shared/data/hw1 (or $VIEWCAST_SHARED/data/hw1); without them these tests are skipped — with
VIEWCAST_NOTEBOOK_FAST=1 (shorter training, the same cells), every section shows what its heading promises, and the
only files they leave are the model and the submission, a well-formed one."""
from __future__ import annotations

import os
import shutil

import nbformat
import pandas as pd
import pytest
from nbclient import NotebookClient

from conftest import ROOT, need
from test_notebooks import kernel_for_this_python, sections, sections_show_what_they_promise

pytestmark = pytest.mark.slow  # each runs a whole notebook in a kernel: make test and CI run them, test-fast not

DOCS = ROOT / "docs"
NOTEBOOKS = ["hw1.ipynb", "hw1.zh.ipynb"]
SECTIONS = ["setup", "table", "three-steps", "traps", "selection", "ladder", "validation", "diagnosis", "leaderboard",
            "submission"]
HW1 = __import__("pathlib").Path(os.environ.get("VIEWCAST_SHARED", ROOT.parent / "shared")) / "data" / "hw1" / "ml2022"


@pytest.fixture(scope="module", params=NOTEBOOKS)
def executed(request, tmp_path_factory):
    name = request.param
    data = need(HW1 / "covid.train.csv").parent
    work = tmp_path_factory.mktemp("hw1")
    shutil.copy(DOCS / name, work / name)
    nb = nbformat.read(work / name, as_version=4)
    km = kernel_for_this_python(tmp_path_factory.mktemp("kernel"), {"VIEWCAST_HW1": str(data)})
    NotebookClient(nb, km=km, timeout=600, resources={"metadata": {"path": str(work)}}).execute()
    return name, nb, work, data


def test_every_section_shows_what_it_promises(executed):
    name, nb, _, _ = executed
    sections_show_what_they_promise(name, nb, SECTIONS)
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            assert not (o.output_type == "stream" and o.name == "stderr"), f"{name} cell {cell.id}: {o.text[:300]}"


def test_it_leaves_a_well_formed_submission_and_nothing_else(executed):
    name, _, work, data = executed
    assert sorted(p.name for p in work.iterdir()) == sorted([name, "hw1-model.safetensors", "submission.csv"])
    sub, test = pd.read_csv(work / "submission.csv"), pd.read_csv(data / "covid.test.csv")
    assert list(sub.columns) == ["id", "tested_positive"] and sub["id"].tolist() == test["id"].tolist()
    assert sub["tested_positive"].notna().all()


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_committed_notebooks_carry_no_outputs(name):
    nb = nbformat.read(DOCS / name, as_version=4)
    nbformat.validate(nb)
    assert all(c.outputs == [] and c.execution_count is None for c in nb.cells if c.cell_type == "code")


def test_both_languages_have_the_same_code():
    en, zh = (nbformat.read(DOCS / n, as_version=4) for n in NOTEBOOKS)
    code = [[c.source for c in nb.cells if c.cell_type == "code"] for nb in (en, zh)]
    assert [s.replace('LANG = "zh"', 'LANG = "en"') for s in code[1]] == code[0]
    assert [(s, e) for s, e, _ in sections(en)] == [(s, e) for s, e, _ in sections(zh)]
