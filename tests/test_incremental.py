"""Incremental builds: a report is rebuilt when, and only when, something it depends on changed.

The key of a report (:mod:`analysis.incremental`) digests its notebook, the package code
it runs, its parameters and edition date, the raw files and the lock. The unit tests
change each input in turn on copies; the real-data tests build two reports, then check
that a second build skips both without pandas or a kernel, and that changing a notebook
rebuilds its reports and no other.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analysis import build, incremental, index
from analysis.cli import main
from analysis.config import EDITION_DATE_ENV

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "analysis"
NOTEBOOKS = ROOT / "notebooks"
RAW = {"bmo_2025": "1" * 64, "ditp_ind313": "2" * 64}
PARAMETERS = {"region": "94", "year": 2024, "date": "2024-12-31"}


@pytest.fixture
def copies(tmp_path):
    """Copies of the package and the notebooks that a test may edit."""
    package = tmp_path / "analysis"
    shutil.copytree(PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    notebooks = tmp_path / "notebooks"
    shutil.copytree(NOTEBOOKS, notebooks)
    shutil.copy(ROOT / "requirements.lock", tmp_path)  # found beside the notebooks folder
    return package, notebooks


def keys(package, notebooks, raw=RAW, parameters=PARAMETERS) -> dict[str, str]:
    return {
        name: incremental.fingerprint(
            notebooks / f"{name}.ipynb", parameters, raw=raw, package_dir=package
        ).key
        for name in ("region_report", "france_overview")
    }


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_the_same_inputs_give_the_same_key(copies):
    package, notebooks = copies
    assert keys(package, notebooks) == keys(package, notebooks)
    assert keys(package, notebooks) == keys(PACKAGE, NOTEBOOKS)  # the folder is not in it


def test_a_module_the_reports_run_changes_their_keys(copies):
    package, notebooks = copies
    before = keys(package, notebooks)
    append(package / "sections" / "france.py", "\n# a change\n")
    after = keys(package, notebooks)
    assert all(before[name] != after[name] for name in before)


def test_the_export_step_and_the_templates_are_inputs(copies):
    package, notebooks = copies
    before = keys(package, notebooks)
    append(package / "templates" / "report.css", "\n/* a change */\n")
    after_css = keys(package, notebooks)
    append(package / "export.py", "\n# a change\n")
    after_export = keys(package, notebooks)
    assert (
        len({before["region_report"], after_css["region_report"], after_export["region_report"]})
        == 3
    )


@pytest.mark.parametrize("module", ["cli.py", "index.py", "build.py", "_zygote.py", "browser.py"])
def test_a_module_no_report_imports_changes_nothing(copies, module):
    package, notebooks = copies
    before = keys(package, notebooks)
    append(package / module, "\n# a change\n")
    assert keys(package, notebooks) == before


def test_a_notebook_changes_its_own_reports_only(copies):
    package, notebooks = copies
    before = keys(package, notebooks)
    document = json.loads((notebooks / "france_overview.ipynb").read_text(encoding="utf-8"))
    document["cells"].append({"cell_type": "markdown", "id": "new", "metadata": {}, "source": "x"})
    (notebooks / "france_overview.ipynb").write_text(json.dumps(document), encoding="utf-8")
    after = keys(package, notebooks)
    assert after["region_report"] == before["region_report"]
    assert after["france_overview"] != before["france_overview"]


def test_the_lock_is_an_input(copies):
    package, notebooks = copies
    before = keys(package, notebooks)
    append(notebooks.parent / "requirements.lock", "\n# another pin\n")
    assert keys(package, notebooks)["region_report"] != before["region_report"]


def test_a_raw_file_parameters_and_date_are_inputs(copies):
    package, notebooks = copies
    base = keys(package, notebooks)["region_report"]
    changed_raw = keys(package, notebooks, raw={**RAW, "ditp_ind313": "3" * 64})["region_report"]
    other_year = keys(package, notebooks, parameters={**PARAMETERS, "year": 2023})
    other_date = keys(package, notebooks, parameters={**PARAMETERS, "date": "2025-01-01"})
    values = {base, changed_raw, other_year["region_report"], other_date["region_report"]}
    assert len(values) == 4


def test_the_closure_follows_lazy_and_relative_imports():
    modules = incremental.imported_modules(["analysis.sections"])
    assert "analysis.sections.comparison" in modules  # from .comparison import ...
    assert "analysis.loaders.employment" in modules  # through the loaders package
    assert "analysis.interregional" in modules  # named in analysis/__init__'s lazy table
    assert "analysis.cli" not in modules and "analysis.build" not in modules


def test_a_status_entry_is_trusted_only_with_intact_files(tmp_path):
    html, json_path = tmp_path / "94.html", tmp_path / "94.json"
    html.write_text("<html></html>", encoding="utf-8")
    json_path.write_text("{}", encoding="utf-8")
    entry = {
        "ok": True,
        "key": "k",
        "html_sha256": incremental.file_digest(html),
        "json_sha256": incremental.file_digest(json_path),
    }
    assert incremental.is_up_to_date(entry, "k", html, json_path)
    assert not incremental.is_up_to_date(entry, "other key", html, json_path)
    assert not incremental.is_up_to_date({**entry, "ok": False}, "k", html, json_path)
    html.write_text("<html>edited</html>", encoding="utf-8")
    assert not incremental.is_up_to_date(entry, "k", html, json_path)
    html.unlink()
    assert not incremental.is_up_to_date(entry, "k", html, json_path)


# -- real builds -------------------------------------------------------------------------
def run_build(out, raw_dir, *extra) -> int:
    argv = ["build", "--region", "94", "FR", "--year", "2024", "--jobs", "2", "--out", str(out),
            "--data-dir", str(raw_dir), "--date", "2024-12-31", *extra]  # fmt: skip
    return main(argv)


def states(capsys) -> dict[str, str]:
    out = capsys.readouterr().out
    found = {}
    for line in out.splitlines():
        if line.startswith("  [") and "]" in line:
            label = line.split("]", 1)[1].strip()
            for state in ("up to date", "built", "FAILED"):
                if state in label:
                    found[label.split()[0]] = state
    return found


@pytest.mark.realdata
def test_a_second_build_skips_everything_then_rebuilds_what_changed(
    tmp_path, raw_dir, capsys, monkeypatch
):
    out = tmp_path / "reports"
    assert run_build(out, raw_dir) == 0
    assert states(capsys) == {"94": "built", "FR": "built"}
    status = index.read_status(out)
    assert {e["kernel"] for e in status.values()} == {"warm"}
    first = {p.name: p.read_bytes() for p in (out / "2024").rglob("*") if p.is_file()}

    # Nothing changed: both skipped, without pandas or Jupyter (a fresh process).
    code = (
        "import sys; from analysis.cli import main; "
        f"rc = main({['build', '--region', '94', 'FR', '--year', '2024', '--out', str(out), '--data-dir', str(raw_dir), '--date', '2024-12-31']!r}); "  # noqa: E501
        "heavy = [m for m in ('pandas', 'matplotlib', 'jupyter_client', 'papermill') if m in sys.modules]; "  # noqa: E501
        "print('HEAVY', heavy); sys.exit(rc)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "HEAVY []" in done.stdout
    assert "0 of 2 report(s) to build; 2 up to date" in done.stdout
    assert {p.name: p.read_bytes() for p in (out / "2024").rglob("*") if p.is_file()} == first

    # An edited report is rebuilt; --force rebuilds all; another date rebuilds all.
    (out / "2024" / "94.html").write_text("edited by hand", encoding="utf-8")
    assert run_build(out, raw_dir) == 0
    assert states(capsys) == {"94": "built", "FR": "up to date"}
    assert (out / "2024" / "94.html").read_bytes() == first["94.html"]
    assert run_build(out, raw_dir, "--force") == 0
    assert states(capsys) == {"94": "built", "FR": "built"}

    # A changed notebook rebuilds its reports, and only them.
    notebooks = tmp_path / "notebooks"
    shutil.copytree(NOTEBOOKS, notebooks)
    shutil.copy(ROOT / "requirements.lock", tmp_path)
    document = json.loads((notebooks / "region_report.ipynb").read_text(encoding="utf-8"))
    document["cells"].insert(2, {"cell_type": "markdown", "id": "added", "metadata": {},
                                 "source": "Note ajoutée."})  # fmt: skip
    (notebooks / "region_report.ipynb").write_text(json.dumps(document), encoding="utf-8")
    monkeypatch.setenv(EDITION_DATE_ENV, "2024-12-31")  # what --date does
    jobs = build.plan(["94", "FR"], [2024], out=out, data_dir=raw_dir, notebooks=notebooks)
    outcomes = build.build(jobs, workers=2)
    assert {o.job.region: o.state for o in outcomes} == {"94": "built", "FR": "up to date"}
    assert "Note ajoutée." in (out / "2024" / "94.html").read_text(encoding="utf-8")
