"""The Makefile and the README's commands: what a user types is what runs.

``make reports`` takes its options as variables; a misspelt one must stop make rather than
build the default set. The reports tests are dry runs (``make -n``), which print the
recipes without running them; ``--old-file`` keeps make from considering the environment's
stamp, so nothing is installed or rebuilt. ``make strip`` runs for real, on copies.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest

from analysis.cli import build_parser

ROOT = Path(__file__).resolve().parents[1]
STAMP = ".venv/.installed"
VALID = ("LEVEL", "AREAS", "REGIONS", "YEARS", "JOBS", "REGION", "YEAR", "MIRROR", "PYTHON")
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
README = (ROOT / "README.md").read_text(encoding="utf-8")
# A call of the command line, with what comes before `python` on the same path.
CLI_CALL = re.compile(r"([\w./-]*)\bpython3? -m analysis\b([^`\n#]*)")


def make(*args: str, cwd: Path = ROOT, **env: str) -> subprocess.CompletedProcess:
    """Run make in ``cwd``, free of the flags and variables of a make that runs pytest."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES"}
    }
    return subprocess.run(
        ["make", "--no-print-directory", f"--old-file={STAMP}", *args],
        cwd=cwd,
        env=clean | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def build_args(*variables: str) -> list[str]:
    """The arguments of `analysis build` that `make reports VARIABLES` would run."""
    result = make("-n", "reports", *variables)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.replace("\\\n", " ").splitlines()
    [line] = [line for line in lines if " -m analysis build" in line]
    words = shlex.split(line)
    assert words[:4] == [".venv/bin/python", "-m", "analysis", "build"]
    return words[4:]


def test_reports_without_variables_builds_the_default_set():
    assert build_args() == []


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        (
            ("YEARS=2019 2024", "REGIONS=11 32", "JOBS=2"),
            ["--region", "11", "32", "--year", "2019", "2024", "--jobs", "2"],
        ),
        (("YEAR=2023", "REGION=11"), ["--region", "11", "--year", "2023"]),
        (("YEAR=2023 2024",), ["--year", "2023", "2024"]),
        (("REGION=11 FR", "JOBS=1"), ["--region", "11", "FR", "--jobs", "1"]),
        (
            ("LEVEL=departement", "YEARS=2019"),
            ["--level", "departement", "region", "--year", "2019"],
        ),
        (
            ("LEVEL=departement", "AREAS=59 2A"),
            ["--level", "departement", "region", "--area", "59", "2A"],
        ),
        (("LEVEL=region",), []),
    ],
)
def test_reports_passes_its_variables_and_the_singular_aliases(variables, expected):
    assert build_args(*variables) == expected


@pytest.mark.parametrize("variable", ["YEARZ=1", "JOB=2", "regions=11", "year=2023", "Years=24"])
def test_unknown_variable_stops_make_with_the_valid_ones(variable):
    result = make("-n", "reports", variable)
    assert result.returncode != 0
    assert "analysis" not in result.stdout  # nothing would have run
    [message] = result.stderr.strip().splitlines()
    assert f"unknown variable {variable.split('=')[0]}" in message
    for name in VALID:
        assert re.search(rf"\b{name}\b", message), name


def test_every_unknown_variable_is_named_at_once():
    result = make("-n", "reports", "JOB=2", "YEARZ=1", "REGIONS=11")
    assert result.returncode != 0
    assert "unknown variables JOB YEARZ" in result.stderr


def test_an_alias_and_its_variable_together_are_refused():
    result = make("-n", "reports", "YEAR=2023", "YEARS=2024")
    assert result.returncode != 0
    assert "analysis" not in result.stdout
    assert "YEAR and YEARS" in result.stderr


def test_environment_variables_are_not_checked():
    # Only the command line is checked: the environment holds many unrelated names.
    result = make("-n", "reports", YEARZ="1", YEAR="2019")
    assert result.returncode == 0, result.stderr
    assert "--year" not in result.stdout


@pytest.fixture
def sandbox(tmp_path) -> Path:
    """A copy of the Makefile and the notebooks, with the project's environment linked."""
    shutil.copy(ROOT / "Makefile", tmp_path)
    (tmp_path / "notebooks").mkdir()
    for path in NOTEBOOKS:
        shutil.copy(path, tmp_path / "notebooks")
    (tmp_path / ".venv").symlink_to(ROOT / ".venv")
    return tmp_path


def test_strip_changes_no_byte_of_the_committed_notebooks(sandbox):
    result = make("strip", cwd=sandbox)
    assert result.returncode == 0, result.stderr
    assert len(NOTEBOOKS) == 4
    for path in NOTEBOOKS:
        assert (sandbox / "notebooks" / path.name).read_bytes() == path.read_bytes(), path.name


def test_strip_of_an_executed_notebook_gives_back_the_committed_one(sandbox):
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        for count, cell in enumerate(c for c in nb.cells if c.cell_type == "code"):
            cell.execution_count = count + 1
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="out\n")]
        nbformat.write(nb, sandbox / "notebooks" / path.name)
        assert (sandbox / "notebooks" / path.name).read_bytes() != path.read_bytes()
    result = make("strip", cwd=sandbox)
    assert result.returncode == 0, result.stderr
    for path in NOTEBOOKS:
        assert (sandbox / "notebooks" / path.name).read_bytes() == path.read_bytes(), path.name


def test_readme_calls_the_command_line_through_the_environment():
    # `make venv` creates .venv; a shell where it is not activated has no `analysis`.
    calls = CLI_CALL.findall(README)
    assert len(calls) >= 5
    assert [prefix for prefix, _ in calls if prefix != ".venv/bin/"] == []


def test_readme_runs_no_python_outside_the_environment():
    # Python code blocks (JupyterLab examples) aside, every `python` command names the venv.
    text = re.sub(r"^```python\n.*?^```$", "", README, flags=re.M | re.S)
    bare = re.findall(r"(?<![\w./-])python3?(?:\.\d+)? +\S+", text)
    assert bare == []


def test_readme_command_lines_parse():
    parser = build_parser()
    seen = set()
    for _, args in CLI_CALL.findall(README):
        words = shlex.split(args)
        try:
            parser.parse_args(words)
        except SystemExit:
            pytest.fail(f"the README's `python -m analysis {args.strip()}` does not parse")
        seen.add(words[0])
    [subparsers] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    assert seen == set(subparsers.choices)
