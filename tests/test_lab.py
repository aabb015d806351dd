"""JupyterLab for real: the exploration notebook runs through a server's kernel API.

``tools/lab.py`` starts ``jupyter lab`` on 127.0.0.1 with a random token, opens a session
for the notebook on the "analysis" kernel with ``POST /api/sessions`` and sends its cells
over the kernel's websocket, as JupyterLab's "Run All" does; the kernel starts in
``notebooks/``, where the package finds ``data/raw`` above it. Then the server stops and
no process of it is left.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import urllib.error
import urllib.request
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
EXPLORE = ROOT / "notebooks" / "00-explore.ipynb"

pytestmark = pytest.mark.network


def _load_lab():
    """Import tools/lab.py (tools/ is not a package) under a name of its own."""
    spec = importlib.util.spec_from_file_location("tools_lab", ROOT / "tools" / "lab.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


lab = _load_lab()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _processes_mentioning(folder: Path) -> list[str]:
    """Command lines of the live processes naming ``folder`` (kernels name their runtime)."""
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                command = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if str(folder) in command:
                found.append(command)
    return found


@pytest.mark.realdata
def test_exploration_notebook_runs_on_the_analysis_kernel(raw_dir):
    assert EXPLORE.is_file(), f"{EXPLORE} is missing"
    with lab.LabServer(EXPLORE.parent) as server:
        pid, home = server.process.pid, server.log_path.parent
        assert server.url.startswith("http://127.0.0.1:")
        ran = lab.run_notebook(server, EXPLORE.name, "analysis", timeout=90)
        assert server.api("GET", "api/sessions") == []  # the session and kernel are gone
        kernels_running = _processes_mentioning(home)
    print(ran.summary())
    assert ran.kernel_name == "analysis"
    committed = nbformat.read(EXPLORE, as_version=4)
    # JupyterLab starts the kernel the notebook names: `make lab` must open it on ours.
    assert committed.metadata.kernelspec.name == "analysis"
    code_cells = [c for c in committed.cells if c.cell_type == "code"]
    assert len(ran.cells) == len(code_cells) > 0
    assert not any(o["output_type"] == "error" for cell in ran.cells for o in cell.outputs)
    assert "image/png" in ran.mime_types  # a matplotlib figure, inline
    assert "text/html" in ran.mime_types  # a DataFrame
    assert "application/vnd.jupyter.widget-view+json" in ran.mime_types  # the report form
    assert kernels_running == []
    assert not _alive(pid)
    assert _processes_mentioning(home) == []
    assert not home.exists()


def test_failing_cell_is_named_with_its_traceback(tmp_path):
    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell("1+1"), nbformat.v4.new_code_cell("1/0")]
    )
    nbformat.write(notebook, tmp_path / "fails.ipynb")
    with lab.LabServer(tmp_path) as server:
        pid = server.process.pid
        with pytest.raises(lab.CellError) as caught:
            lab.run_notebook(server, "fails.ipynb")
        assert server.api("GET", "api/sessions") == []
        # Without the token the API refuses.
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(server.url + "api/sessions", timeout=10)
        refused.value.close()
        assert refused.value.code == 403
    error = caught.value
    assert (error.cell, error.ename, error.evalue) == (2, "ZeroDivisionError", "division by zero")
    message = str(error)
    assert message.startswith("fails.ipynb: cell 2 raised ZeroDivisionError: division by zero")
    assert "----> 1 1/0" in message  # the traceback, without its colour codes
    assert "\x1b[" not in message
    assert not _alive(pid)


def test_cli_run_exits_1_and_names_the_cell(tmp_path, capsys):
    notebook = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("# Title"),
            nbformat.v4.new_code_cell("import analysis\nprint(analysis.__name__)"),
            nbformat.v4.new_code_cell("raise ValueError('bad area')"),
        ]
    )
    nbformat.write(notebook, tmp_path / "bad.ipynb")
    assert lab.main(["run", str(tmp_path / "bad.ipynb")]) == 1
    err = capsys.readouterr().err
    assert "error: bad.ipynb: cell 3 raised ValueError: bad area" in err


def test_cli_screenshot_shows_the_notebook_in_jupyterlab(tmp_path, capsys):
    notebook = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("# Exploration"),
            nbformat.v4.new_code_cell("import pandas as pd\npd.DataFrame({'a': [1, 2]})"),
        ],
        metadata={"kernelspec": {"name": "analysis", "display_name": "Python (analysis)"}},
    )
    nbformat.write(notebook, tmp_path / "small.ipynb")
    out = tmp_path / "docs" / "lab.png"
    args = ["screenshot", str(tmp_path / "small.ipynb"), str(out), "--width", "1000"]
    assert lab.main([*args, "--height", "700"]) == 0, capsys.readouterr().err
    # The committed notebook stays as it was: the outputs went to a temporary copy.
    assert nbformat.read(tmp_path / "small.ipynb", as_version=4) == notebook
    from PIL import Image

    with Image.open(out) as image:
        assert image.size == (1000, 700)
        grey = image.convert("L").histogram()
    # JupyterLab's bars and panels; its loading splash is a logo on white (< 1 % not white).
    assert 1 - grey[255] / sum(grey) > 0.1
    assert "small.ipynb: 1 code cell ran without error" in capsys.readouterr().out
