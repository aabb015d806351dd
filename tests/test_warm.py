"""Warm kernels: forked from a pre-warmed zygote, yet isolated from one report to the next.

The zygote (:mod:`analysis._zygote`) imports the libraries and reads the data once; each
kernel is a fork of it. These tests run small notebooks through the same kernel manager
papermill gets in the batch, and check that the kernels really are forks (their parent
is the zygote, pandas is imported before any cell), that nothing one notebook changes
reaches the next, and that what the zygote cannot fork starts cold. That the warm and
cold paths give the same bytes for every report is in ``test_reproducible.py``.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time

import nbformat
import pytest
from nbclient import NotebookClient

from analysis import _kernel
from analysis._zygote import Zygote, ZygoteUnavailable

PROBE = """
import json, os, sys
import matplotlib
import analysis.config
from matplotlib import pyplot as plt
print(json.dumps({
    "pid": os.getpid(), "ppid": os.getppid(), "pgid": os.getpgid(0),
    "preloaded": "pandas" in sys.modules and "seaborn" in sys.modules,
    "linewidth": matplotlib.rcParams["lines.linewidth"],
    "leak": getattr(analysis.config, "LEAKED", None),
    "figures": plt.get_fignums(),
    "cwd": os.getcwd(), "backend": matplotlib.get_backend(),
}))
"""

MUTATE = """
import matplotlib
import analysis.config
from matplotlib import pyplot as plt
matplotlib.rcParams["lines.linewidth"] = 9.0
analysis.config.LEAKED = "from the previous notebook"
plt.figure()
"""


def run_cells(*sources: str, cwd) -> list[dict]:
    """Run one notebook with our kernel manager; return the JSON each cell printed."""
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    client = NotebookClient(
        notebook,
        kernel_name="python3",
        kernel_manager_class=_kernel.ReportKernelManager,
        resources={"metadata": {"path": str(cwd)}},
        extra_arguments=["--IPKernelApp.log_level=ERROR"],
    )
    asyncio.run(client.async_execute())
    printed = []
    for cell in notebook.cells:
        text = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
        printed.append(json.loads(text) if text.strip() else {})
    return printed


@pytest.fixture
def start_zygote(raw_dir):
    """Start a zygote from within the test (call it there, not in a fixture).

    A kernel is forked only for the environment the zygote started with, and pytest
    changes PYTEST_CURRENT_TEST between a fixture's set-up and the test.
    """
    started = []

    def start() -> Zygote:
        zygote = Zygote(str(raw_dir))
        _kernel.use_zygote(zygote)
        started.append(zygote)
        return zygote

    yield start
    _kernel.use_zygote(None)
    for zygote in started:
        zygote.close()


def test_the_zygote_preloads_and_has_no_thread(start_zygote):
    zygote = start_zygote()
    ready = zygote.wait_ready()
    assert ready["ready"] and ready["preload_error"] == ""
    assert ready["threads"] == 1  # forking a process with threads would be unsafe


def test_kernels_are_forks_and_share_nothing(start_zygote, tmp_path):
    zygote = start_zygote()
    first = run_cells(MUTATE, PROBE, cwd=tmp_path)[1]
    assert _kernel.LAST_START["kernel"] == "warm"
    second = run_cells(PROBE, cwd=tmp_path)[0]
    for probe in (first, second):
        assert probe["ppid"] == zygote.pid  # forked from the zygote, not started cold
        assert probe["pgid"] == probe["pid"]  # its own process group, as a cold kernel
        assert probe["preloaded"]
        assert probe["cwd"] == str(tmp_path)
        assert probe["backend"] == "module://matplotlib_inline.backend_inline"
    assert first["pid"] != second["pid"]
    # What the first notebook changed stayed in its process.
    assert first["linewidth"] == 9.0 and first["leak"]
    assert second["linewidth"] != 9.0
    assert second["leak"] is None
    assert second["figures"] == []


def test_kernels_without_a_zygote_start_cold(tmp_path):
    _kernel.use_zygote(None)
    probe = run_cells(PROBE, cwd=tmp_path)[0]
    assert probe["ppid"] == os.getpid()  # started by jupyter_client, as papermill does
    assert not probe["preloaded"]


def test_another_environment_is_not_forked(start_zygote, tmp_path, monkeypatch):
    zygote = start_zygote()
    # Libraries read some variables once, on import: a kernel whose environment differs
    # from the zygote's would not be the kernel asked for, so it starts cold.
    monkeypatch.setenv("ANALYSIS_TEST_VARIABLE", "changed after the zygote started")
    probe = run_cells(PROBE, cwd=tmp_path)[0]
    assert probe["ppid"] == os.getpid()
    assert _kernel.LAST_START["kernel"].startswith("cold: environment differs")
    with pytest.raises(ZygoteUnavailable, match="ANALYSIS_TEST_VARIABLE"):
        zygote.fork_kernel(
            [sys.executable, "-m", "ipykernel_launcher", "-f", "x.json"],
            dict(os.environ),
            str(tmp_path),
        )


def test_only_this_pythons_kernel_is_forked(start_zygote, tmp_path):
    zygote = start_zygote()
    with pytest.raises(ZygoteUnavailable, match="not a kernel of this Python"):
        zygote.fork_kernel(["/usr/bin/env", "R", "--slave"], dict(os.environ), str(tmp_path))


def test_closing_the_zygote_kills_its_kernels(raw_dir, tmp_path):
    zygote = Zygote(str(raw_dir))
    env = {**os.environ, "JPY_PARENT_PID": str(os.getpid())}
    # A kernel whose connection file never appears: it waits, the zygote must kill it.
    pid = zygote.fork_kernel(
        [sys.executable, "-m", "ipykernel_launcher", "-f", str(tmp_path / "kernel.json")],
        env,
        str(tmp_path),
    )
    os.kill(pid, 0)  # running
    zygote.close()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    else:
        pytest.fail(f"kernel {pid} outlived its zygote")
