"""Reproducible editions: the same inputs and date give the same bytes, in any folder.

Two builds of the same reports, in two fresh folders, with the same ``--date``, must give
byte-identical HTML and JSON (papermill's random id of the injected-parameters cell, and
the report date, were the two differences).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os

import pytest

from analysis.cli import main
from analysis.config import EDITION_DATE_ENV, edition_date
from analysis.errors import ParameterError


def digests(folder) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.suffix in (".html", ".json") and p.parent != folder
    }


@pytest.mark.realdata
def test_two_builds_give_the_same_bytes(tmp_path, raw_dir, capsys, monkeypatch):
    monkeypatch.delenv(EDITION_DATE_ENV, raising=False)
    runs = []
    for name in ("first", "second"):
        out = tmp_path / name
        argv = ["build", "--region", "94", "FR", "--year", "2024", "--jobs", "2",
                "--out", str(out), "--data-dir", str(raw_dir), "--date", "2024-12-31"]  # fmt: skip
        assert main(argv) == 0
        runs.append(digests(out))
    capsys.readouterr()
    assert EDITION_DATE_ENV not in os.environ  # not leaked to the caller
    assert sorted(runs[0]) == ["2024/94.html", "2024/94.json", "2024/FR.html", "2024/FR.json"]
    assert runs[0] == runs[1]
    html = (tmp_path / "first" / "2024" / "94.html").read_text(encoding="utf-8")
    assert "<dd>31/12/2024</dd>" in html and 'id="cell-id=injected-parameters"' in html


def test_edition_date_order(monkeypatch):
    monkeypatch.delenv(EDITION_DATE_ENV, raising=False)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert edition_date() == dt.date.today()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735603200")  # 2024-12-31T00:00:00Z
    assert edition_date() == dt.date(2024, 12, 31)
    monkeypatch.setenv(EDITION_DATE_ENV, "2025-01-15")
    assert edition_date() == dt.date(2025, 1, 15)
    monkeypatch.setenv(EDITION_DATE_ENV, "15/01/2025")
    with pytest.raises(ParameterError, match="YYYY-MM-DD"):
        edition_date()


def test_a_bad_date_is_refused_before_any_kernel(tmp_path, capsys):
    with pytest.raises(SystemExit) as excinfo:
        main(["build", "--date", "2024-13-01", "--out", str(tmp_path / "out")])
    assert excinfo.value.code == 2
    assert "--date: not a date: '2024-13-01'" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


@pytest.mark.realdata
def test_warm_and_cold_kernels_give_the_same_bytes_for_every_report(tmp_path, raw_dir, capsys):
    # The proof that forking kernels from a pre-warmed process isolates the reports: the
    # default set (every region and France, latest year) built warm and cold, same bytes.
    # Warm builds each report in a fork of the same zygote; were anything of one report
    # (a matplotlib setting, a cache, a figure) to reach another, or were the zygote's
    # preloaded tables not those a cold kernel reads, a digest would differ.
    runs = {}
    for isolation in ("warm", "cold"):
        out = tmp_path / isolation
        argv = ["build", "--jobs", "2", "--out", str(out), "--data-dir", str(raw_dir),
                "--date", "2024-12-31", "--isolation", isolation]  # fmt: skip
        assert main(argv) == 0
        runs[isolation] = digests(out)
        status = json.loads((out / "status.json").read_text(encoding="utf-8"))
        kernels = {entry["kernel"] for entry in status.values()}
        assert kernels == ({"warm"} if isolation == "warm" else {"cold"}), kernels
    capsys.readouterr()
    assert len(runs["warm"]) == 2 * 19  # HTML and JSON of 18 regions and France
    different = sorted(name for name in runs["warm"] if runs["warm"][name] != runs["cold"][name])
    assert different == []
    assert runs["warm"] == runs["cold"]
