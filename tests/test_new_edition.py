"""New data, new edition, end to end: ``updates --apply`` from the publishers, then the build.

Reports of Corse, its two départements and France for 2024 are built from a copy of the
real files. The fake publishers on 127.0.0.1 (``tests/publishers.py``) then release,
through GitHub's API, two revisions of real files (``publishers.REVISIONS``), one at a
time, and ``python -m analysis updates --apply`` runs in a separate process, as a
scheduler would run it:

1. INSEE's A17 labels, which only the département reports read: exactly those two are
   rebuilt; the regional and France reports keep their bytes;
2. DITP's cumulative apprenticeship series (France's total for 2023 revised from 852 235
   to 852 236 contracts), which every report reads: all four are rebuilt, and the France
   report's "what changed" box shows the revised figure, old and new; Corse's figures do
   not change, so its report gets no box.

Then nothing is new: exit code 0, nothing rebuilt.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.config import DataPaths
from analysis.errors import NEW_DATA
from analysis.sources import CATALOGUE, get_source
from publishers import REVISIONS, Publishers, publish_catalogue, revise

pytestmark = [pytest.mark.realdata, pytest.mark.network]

PROJECT = Path(__file__).resolve().parents[1]
REPORTS = ("2024/94", "2024/FR", "2024/departements/2A", "2024/departements/2B")
DATE = "2026-11-23"


@pytest.fixture
def site(tmp_path, real_mirror):
    """A copy of the real files, the fake publishers, and a function running the CLI."""
    raw = tmp_path / "data" / "raw"
    for source in CATALOGUE:
        (raw / source.path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(real_mirror / source.path, raw / source.path)
    server = Publishers().start()
    publish_catalogue(server, raw)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANALYSIS_", "GITHUB_"))}
    # The parsed-table cache is keyed by each file's sha256: sharing the project's is safe.
    env |= server.env() | {"ANALYSIS_CACHE_DIR": str(DataPaths.resolve().cache)}
    env["ANALYSIS_EDITION_DATE"] = DATE  # the date the scheduled rebuilds print
    out = tmp_path / "reports"

    def run(*argv: str) -> subprocess.CompletedProcess:
        done = subprocess.run(
            [sys.executable, "-m", "analysis", *argv],
            cwd=PROJECT,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        print(done.stdout, done.stderr)
        return done

    yield raw, out, server, run
    server.stop()


def _files(out: Path) -> dict[str, bytes]:
    return {key: (out / f"{key}.html").read_bytes() for key in REPORTS}


def _status(out: Path) -> dict:
    return json.loads((out / "status.json").read_text(encoding="utf-8"))


def _release(server: Publishers, raw: Path, source_id: str, date: str) -> bytes:
    """Commit the labelled revision of one real file upstream; return its new bytes."""
    source = get_source(source_id)
    path = source.url.split("/", 6)[6]  # raw.githubusercontent.com/owner/repo/ref/PATH
    repo = "/".join(source.url.split("/")[3:5])
    revised = revise((raw / source.path).read_bytes(), REVISIONS[source_id])
    server.repo(repo).commit({path: revised}, date=date, message=f"revise {source_id}")
    return revised


def test_updates_apply_rebuilds_the_readers_and_shows_the_revised_figures(site):
    raw, out, server, run = site
    common = ["--data-dir", str(raw), "--out", str(out)]
    built = run("build", "--level", "departement", "region", "--region", "94", "FR",
                "--year", "2024", "--date", DATE, "--jobs", "2", *common)  # fmt: skip
    # --region 94 FR with both levels: Corse's départements, then Corse and France.
    assert built.returncode == 0, built.stderr
    status = _status(out)
    assert sorted(status) == sorted(REPORTS)
    first = _files(out)
    assert run("updates", "--data-dir", str(raw)).returncode == 0  # nothing new yet

    # 1. A file read by the département reports only.
    labels = _release(server, raw, "insee_a17_labels", "2025-06-02T09:00:00Z")
    done = run("updates", "--apply", "--jobs", "2", *common)
    assert done.returncode == NEW_DATA, done.stderr
    assert (raw / get_source("insee_a17_labels").path).read_bytes() == labels
    vintages = json.loads((raw.parent / "vintages.json").read_text(encoding="utf-8"))
    assert set(vintages["sources"]) == {"insee_a17_labels"}
    second = _files(out)
    changed = {key for key in REPORTS if second[key] != first[key]}
    assert changed == {"2024/departements/2A", "2024/departements/2B"}
    assert "2 of 4 report(s) to build" in done.stdout
    after = _status(out)
    assert after["2024/94"]["run"] == status["2024/94"]["run"]  # not rebuilt
    assert after["2024/departements/2A"]["run"] != status["2024/departements/2A"]["run"]
    # Labels are no key figures: no "what changed" box.
    assert b'id="ce-qui-change"' not in second["2024/departements/2A"]

    # 2. A file every report reads, with a revised figure for France.
    _release(server, raw, "ditp_ind313", "2025-06-03T09:00:00Z")
    done = run("updates", "--apply", "--jobs", "2", *common)
    assert done.returncode == NEW_DATA, done.stderr
    assert "4 of 4 report(s) to build" in done.stdout
    third = _files(out)
    assert all(third[key] != second[key] for key in REPORTS)
    france = third["2024/FR"].decode()
    assert 'id="ce-qui-change"' in france
    box = france[france.index('id="ce-qui-change"') :].split("</section>")[0]
    assert "852\u202f235" in box and "852\u202f236" in box  # old and new value
    changes = _status(out)["2024/FR"]["changes"]
    assert {c["id"] for c in changes} >= {"apprenticeship_contracts"}
    # Corse's figures are the same: no box.
    assert 'id="ce-qui-change"' not in third["2024/94"].decode()
    # The index says what changed, and the PDF of each rebuilt report was printed again.
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "2024/FR.html#ce-qui-change" in index
    assert all(_status(out)[key].get("pdf_sha256") for key in REPORTS)

    # 3. Nothing new: exit 0, nothing rebuilt.
    done = run("updates", "--apply", *common)
    assert done.returncode == 0, done.stderr
    assert _files(out) == third
