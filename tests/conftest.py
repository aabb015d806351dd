"""Shared fixtures: where the verified raw files are, and a skip-free guard for them."""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib
import pytest

from analysis import CATALOGUE, DataPaths, catalogue, file_status

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parents[1]
RAW = Path(os.environ.get("ANALYSIS_DATA_DIR", ROOT / "data" / "raw"))
REAL_MIRROR = ROOT.parent / "shared" / "data"  # the mirror beside the checkout


@pytest.fixture(scope="session")
def raw_dir() -> Path:
    """The raw-data folder filled by `make data`; the realdata tests need every file.

    `make test` runs `make data` first, so a missing file is a failure, not a skip: a
    test suite that silently skipped its real-data checks would prove nothing. The files
    are checked as that folder's vintage file pins them (``data/vintages.json``), if any.
    """
    sources = catalogue(RAW)
    bad = {s.path: file_status(s, RAW) for s in sources if file_status(s, RAW) != "present"}
    if bad:
        pytest.fail(f"Raw files not usable in {RAW}: {bad}. Run `make data` first.")
    return RAW


@pytest.fixture(scope="session")
def real_mirror() -> Path:
    """Verified copies of the 13 real files: the shared mirror, else data/raw (`make data`)."""
    folders = (REAL_MIRROR, DataPaths.resolve().raw)
    for folder in folders:
        if all(file_status(source, folder) == "present" for source in CATALOGUE):
            return folder
    pytest.fail(f"None of {folders} holds every verified file; run `make data` first.")


@pytest.fixture
def isolated_cache(tmp_path, monkeypatch) -> Path:
    """Send the parquet cache to a temporary folder for one test."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("ANALYSIS_CACHE_DIR", str(cache))
    return cache
