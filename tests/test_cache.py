"""Loaders read only verified files and cache their parse, keyed on the checksum."""

from __future__ import annotations

import shutil

import pytest

import analysis as an
from analysis import _cache
from analysis.errors import ChecksumError, DataNotFetchedError

pytestmark = pytest.mark.realdata


def test_missing_file_says_how_to_fill_that_folder(tmp_path):
    """Outside the checkout's data/raw, `make data` cannot help: the hint names the folder."""
    raw = (tmp_path / "raw").resolve()
    with pytest.raises(
        DataNotFetchedError,
        match=rf"detail-regional\.csv.*is not in .*`python -m analysis fetch --data-dir {raw} ",
    ) as err:
        an.read_apprenticeship(data_dir=tmp_path / "raw")
    assert err.value.exit_code == 5


def test_edited_raw_file_is_refused(raw_dir, tmp_path, isolated_cache):
    raw = tmp_path / "raw"
    shutil.copytree(raw_dir, raw)
    target = raw / an.get_source("ditp_ind313").path
    target.write_bytes(target.read_bytes().replace(b"852235", b"852236"))
    with pytest.raises(ChecksumError, match=r"ind-313\.csv.*corrupt or a different version"):
        an.read_apprenticeship(data_dir=raw)
    assert not isolated_cache.exists() or not any(isolated_cache.glob("ditp_ind313-*"))


def test_cache_written_once_then_reused(raw_dir, isolated_cache, monkeypatch):
    first = an.read_urssaf_region_series(data_dir=raw_dir)
    files = list(isolated_cache.glob("urssaf_region_series-*.parquet"))
    assert len(files) == 1
    assert an.get_source("urssaf_region_series").sha256[:16] in files[0].name
    calls = []
    monkeypatch.setattr(
        "analysis.loaders.employment._parse_urssaf_series",
        lambda path: calls.append(path),
    )
    second = an.read_urssaf_region_series(data_dir=raw_dir)
    assert calls == []  # served from the parquet cache, not parsed again
    assert second.equals(first)
    assert list(isolated_cache.glob(".*")) == []  # no temporary file left behind


def test_damaged_cache_is_rebuilt(raw_dir, isolated_cache):
    first = an.read_regions(data_dir=raw_dir)
    (cached,) = isolated_cache.glob("geo_regions-*.parquet")
    cached.write_bytes(b"not parquet")
    again = an.read_regions(data_dir=raw_dir)
    assert again.equals(first)
    assert cached.read_bytes()[:4] == b"PAR1"


def test_cache_can_be_bypassed(raw_dir, isolated_cache):
    frame = _cache.load_cached(
        "geo_regions",
        lambda path: an.read_regions(data_dir=raw_dir),
        version=99,
        data_dir=raw_dir,
        cache=False,
    )
    assert len(frame) == 18
    assert not list(isolated_cache.glob("geo_regions-*-p99.parquet"))
