"""Notebook hygiene: committed stripped, parameterised for papermill, thin.

The notebooks call one library method per section; anything longer than a few lines in a
code cell belongs in ``src/analysis`` where it can be tested.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import papermill as pm
import pytest

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
PARAMETERS = {
    "region_report.ipynb": {"region", "year", "data_dir", "links"},
    "france_overview.ipynb": {"year", "data_dir"},
    "departement_report.ipynb": {"departement", "year", "data_dir", "links"},
}


@pytest.fixture(params=sorted(PARAMETERS))
def notebook(request):
    return request.param, nbformat.read(NOTEBOOKS / request.param, as_version=4)


def test_committed_without_outputs(notebook):
    _, nb = notebook
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == []
            assert cell.execution_count is None
    assert "widgets" not in nb.metadata


def test_papermill_sees_the_parameters(notebook):
    name, _ = notebook
    inferred = pm.inspect_notebook(str(NOTEBOOKS / name))
    assert set(inferred) == PARAMETERS[name]


def test_code_cells_are_thin(notebook):
    _, nb = notebook
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    for source in code[1:]:
        lines = [line for line in source.splitlines() if line.strip()]
        assert len(lines) <= 3, source
        assert "def " not in source and "for " not in source
        assert "import pandas" not in source and "read_" not in source


def test_sections_are_markdown_headings(notebook):
    name, nb = notebook
    headings = [c.source for c in nb.cells if c.cell_type == "markdown"]
    assert headings[0] == "## En bref"
    assert headings[-1] == "## Sources et méthode"
    if name == "region_report.ipynb":
        assert headings == [
            "## En bref",
            "## Emploi industriel",
            "## Branches industrielles",
            "## Décomposition de l'évolution",
            "## Apprentissage",
            "## Besoins de recrutement",
            "## La région parmi les régions",
            "## Territoires",
            "## Sources et méthode",
        ]
    if name == "departement_report.ipynb":
        assert headings == [
            "## En bref",
            "## Emploi industriel",
            "## Le département dans sa région",
            "## Apprentissage",
            "## Besoins de recrutement",
            "## Sources et méthode",
        ]


ALL_NOTEBOOKS = sorted(path.name for path in NOTEBOOKS.glob("*.ipynb"))


def test_every_notebook_is_known():
    assert set(ALL_NOTEBOOKS) == {*PARAMETERS, "00-explore.ipynb"}


@pytest.mark.parametrize("name", ALL_NOTEBOOKS)
def test_every_notebook_uses_the_project_kernel_and_is_stripped(name):
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    assert nb.metadata.kernelspec.name == "analysis"
    assert nb.metadata.kernelspec.display_name == "Python (analysis)"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, name
    assert "widgets" not in nb.metadata


def test_exploration_notebook_parameters():
    inferred = pm.inspect_notebook(str(NOTEBOOKS / "00-explore.ipynb"))
    assert set(inferred) == {"region", "year", "export_dir"}


@pytest.mark.parametrize(
    ("name", "report"),
    [
        ("region_report.ipynb", "RegionReport"),
        ("france_overview.ipynb", "FranceReport"),
        ("departement_report.ipynb", "DepartementReport"),
    ],
)
def test_report_notebooks_follow_their_reports_sections(name, report):
    """One list of sections: the report class's, which the notebook and the form follow."""
    import analysis as an

    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    shown, heading = [], None
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            heading = cell.source.removeprefix("## ")
            shown.append((heading, []))
        elif heading is not None and cell.source.startswith("report."):
            method = cell.source.removeprefix("report.").removesuffix("()")
            if method != "key_figures":
                shown[-1][1].append(method)
    expected = [(title, list(methods)) for title, methods in getattr(an, report).SECTIONS]
    assert shown == expected
