"""Tests of the command line ``python -m analysis`` (fetch, sources, exit codes)."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from analysis import _cache
from analysis.cli import main
from analysis.config import DATA_DIR_ENV
from analysis.errors import DataNotFetchedError
from analysis.fetch import fetch
from analysis.sources import CATALOGUE, get_source

PROJECT = Path(__file__).resolve().parents[1]
IDS = [source.id for source in CATALOGUE]


def snapshot(root: Path) -> dict[str, bytes | None]:
    """{relative path: bytes} of everything under ``root`` (None for folders)."""
    return {
        p.relative_to(root).as_posix(): None if p.is_dir() else p.read_bytes()
        for p in sorted(root.rglob("*"))
    }


def flip_first_byte(data: bytes) -> bytes:
    return bytes([data[0] ^ 0x01]) + data[1:]


@pytest.fixture
def mirror(tmp_path, real_mirror) -> Path:
    """A mirror of the catalogue in tmp_path: symbolic links to the real (read-only) files."""
    root = tmp_path / "mirror"
    for source in CATALOGUE:
        (root / source.path).parent.mkdir(parents=True, exist_ok=True)
        (root / source.path).symlink_to(real_mirror / source.path)
    return root


@pytest.fixture
def filled(tmp_path, real_mirror) -> Path:
    """A raw-data folder holding every verified file of the catalogue."""
    raw = tmp_path / "raw"
    fetch(data_dir=raw, mirror=real_mirror)
    return raw


def fetch_hint(raw: Path) -> str:
    """The command advised for a raw-data folder that is not the checkout's data/raw."""
    return f"`python -m analysis fetch --data-dir {shlex.quote(str(raw.resolve()))} [--mirror DIR]`"


def corrupt_in(root: Path, source_id: str) -> Path:
    """Replace a file (or a link) under ``root`` by a copy with one byte changed."""
    path = root / get_source(source_id).path
    data = path.read_bytes()
    path.unlink()
    path.write_bytes(flip_first_byte(data))
    return path


@pytest.mark.realdata
def test_fetch_fills_data_dir_then_reports_already_present(tmp_path, mirror, capsys):
    """Exit 0 and a summary; the second run copies nothing."""
    raw = tmp_path / "raw"
    assert main(["fetch", "--mirror", str(mirror), "--data-dir", str(raw)]) == 0
    out, err = capsys.readouterr()
    assert out.startswith(f"Fetching 13 files into {raw.resolve()}\n")
    assert len(re.findall(r"^  copied +\S+ from ", out, flags=re.M)) == 13
    assert out.endswith("13 files verified by sha256 (13 new, 0 already present).\n")
    assert err == ""
    assert sorted(p.relative_to(raw).as_posix() for p in raw.rglob("*") if p.is_file()) == sorted(
        s.path for s in CATALOGUE
    )

    assert main(["fetch", "--mirror", str(mirror), "--data-dir", str(raw)]) == 0
    out, _ = capsys.readouterr()
    assert len(re.findall(r"^  present +\S+$", out, flags=re.M)) == 13
    assert out.endswith("13 files verified by sha256 (0 new, 13 already present).\n")


@pytest.mark.realdata
def test_fetch_with_corrupt_mirror_exits_3_and_changes_nothing(tmp_path, mirror, capsys):
    """One bad file: exit 3, one error message naming it, the raw-data folder untouched."""
    bad = corrupt_in(mirror, "insee_a17_labels")
    raw = tmp_path / "raw"
    for source_id in ("geo_regions", "geo_departements"):  # good copies from an earlier run
        path = raw / get_source(source_id).path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes((mirror / get_source(source_id).path).read_bytes())
    (raw / "notes.txt").write_text("mine\n")
    before = snapshot(raw)

    code = main(["fetch", "--mirror", str(mirror), "--data-dir", str(raw)])
    out, err = capsys.readouterr()
    assert code == 3
    assert err.count("error:") == 1
    assert err.startswith(
        f"error: 1 file(s) could not be fetched; {raw.resolve()} was left unchanged:"
    )
    assert f"`emploi_salarie/table_A17.csv` from the mirror ({bad.resolve()})" in err
    assert "The copy is corrupt or a different version" in err
    assert "verified" not in out
    assert snapshot(raw) == before


def test_fetch_with_missing_mirror_exits_4(tmp_path, capsys):
    """A mirror folder that does not exist: exit 4, the folder named, nothing created."""
    missing = tmp_path / "nowhere"
    code = main(["fetch", "--mirror", str(missing), "--data-dir", str(tmp_path / "raw")])
    _, err = capsys.readouterr()
    assert code == 4
    assert err.startswith(f"error: The mirror folder {missing.resolve()} does not exist")
    assert not (tmp_path / "raw").exists()


def _statuses(out: str) -> dict[str, str]:
    """{source id: status} read from the output of ``sources``."""
    pattern = rf"^({'|'.join(IDS)}) +(present|missing|corrupt) "
    return dict(re.findall(pattern, out, flags=re.M))


@pytest.mark.realdata
def test_sources_lists_every_id_with_its_status(filled, capsys):
    """Present, corrupt (one byte changed) and missing files are told apart."""
    corrupt_in(filled, "bmo_2025")
    (filled / get_source("geo_regions").path).unlink()
    assert main(["sources", "--data-dir", str(filled)]) == 0
    out, _ = capsys.readouterr()
    expected = dict.fromkeys(IDS, "present") | {"bmo_2025": "corrupt", "geo_regions": "missing"}
    assert _statuses(out) == expected
    assert out.startswith(f"Datasets of the catalogue (raw-data folder: {filled.resolve()})")
    assert f"2 file(s) not usable: bmo_2025, geo_regions. Run {fetch_hint(filled)}." in out


@pytest.mark.realdata
@pytest.mark.parametrize(
    ("missing", "corrupt", "check", "code"),
    [
        ([], [], True, 0),
        (["ditp_ind313"], [], True, 5),
        ([], ["ditp_ind313"], True, 3),
        (["ditp_ind313"], ["bmo_2025"], True, 3),
        (["ditp_ind313"], [], False, 0),
        ([], ["ditp_ind313"], False, 0),
    ],
    ids=["all-present", "missing-check", "corrupt-check", "both-check", "missing-no-check",
         "corrupt-no-check"],
)  # fmt: skip
def test_sources_check_exit_code(filled, capsys, missing, corrupt, check, code):
    """``--check``: 3 if a file is corrupt (checksum), else 5 if one is missing, else 0."""
    for source_id in missing:
        (filled / get_source(source_id).path).unlink()
    for source_id in corrupt:
        corrupt_in(filled, source_id)
    argv = ["sources", "--data-dir", str(filled)] + (["--check"] if check else [])
    assert main(argv) == code
    bad = [i for i in IDS if i in missing + corrupt]
    last_line = (
        f"{len(bad)} file(s) not usable: {', '.join(bad)}. Run {fetch_hint(filled)}."
        if bad
        else "All 13 files present and verified."
    )
    out = capsys.readouterr().out
    assert last_line in out.splitlines()
    if not bad:  # with every file verified, the estimated split of the shared zones follows
        assert "Employment zones shared by two regions" in out
        assert "0055  Bollène-Pierrelatte" in out and out.splitlines()[-1].startswith("Fit: ")


@pytest.mark.parametrize("chosen", [None, "--data-dir", "env", "no-makefile"])
def test_fetch_hint_names_a_command_that_fills_that_folder(tmp_path, monkeypatch, capsys, chosen):
    """`make data` only for the checkout's data/raw; otherwise `fetch --data-dir` that folder.

    The same advice ends ``sources`` and the error of a loader whose file is missing.
    """
    checkout = tmp_path / "checkout"
    (checkout / "notebooks").mkdir(parents=True)
    (checkout / "pyproject.toml").write_text("[project]\n")
    if chosen != "no-makefile":
        (checkout / "Makefile").write_text("data:\n")
    monkeypatch.chdir(checkout / "notebooks")
    monkeypatch.delenv(DATA_DIR_ENV, raising=False)
    other = tmp_path / "my data"  # quoted in the command
    argv, data_dir, raw = ["sources"], None, checkout / "data" / "raw"
    if chosen == "--data-dir":
        argv, data_dir, raw = ["sources", "--data-dir", str(other)], other, other
    elif chosen == "env":
        monkeypatch.setenv(DATA_DIR_ENV, str(other))
        raw = other
    hint = "`make data`" if chosen is None else fetch_hint(raw)
    assert main(argv) == 0
    last = capsys.readouterr().out.splitlines()[-1]
    assert last == f"13 file(s) not usable: {', '.join(IDS)}. Run {hint}."
    with pytest.raises(DataNotFetchedError, match=re.escape(f"Run {hint} to fetch")):
        _cache.raw_file("geo_regions", data_dir)


@pytest.mark.realdata
def test_fetch_says_it_replaced_a_corrupt_copy(filled, mirror, capsys):
    """A corrupt copy in data/raw is repaired and said so, apart from a missing one."""
    corrupt = corrupt_in(filled, "bmo_2025")
    (filled / get_source("geo_regions").path).unlink()
    assert main(["fetch", "--mirror", str(mirror), "--data-dir", str(filled)]) == 0
    out = capsys.readouterr().out
    bmo, regions = get_source("bmo_2025").path, get_source("geo_regions").path
    assert re.search(rf"^  replaced +{re.escape(bmo)} from \S+ \(replaced a corrupt copy\)$",
                     out, flags=re.M)  # fmt: skip
    assert re.search(rf"^  copied +{re.escape(regions)} from \S+$", out, flags=re.M)
    assert out.count("corrupt") == 1
    assert out.endswith("13 files verified by sha256 (1 new, 1 repaired, 11 already present).\n")
    assert corrupt.read_bytes() == (mirror / bmo).read_bytes()


def test_sources_on_empty_folder_lists_everything_missing(tmp_path, capsys):
    """No files at all: every id is missing and ``--check`` exits 5."""
    assert main(["sources", "--data-dir", str(tmp_path), "--check"]) == 5
    assert _statuses(capsys.readouterr().out) == dict.fromkeys(IDS, "missing")


@pytest.mark.parametrize(
    "argv",
    [["frobnicate"], [], ["fetch", "--no-such-option"], ["sources", "extra"]],
    ids=["unknown-command", "no-command", "unknown-option", "extra-argument"],
)
def test_bad_command_line_exits_2(argv, capsys):
    """argparse refuses it with exit code 2 and a usage message on stderr."""
    with pytest.raises(SystemExit) as excinfo:
        main(argv)
    assert excinfo.value.code == 2
    assert capsys.readouterr().err.startswith("usage: python -m analysis")


@pytest.mark.realdata
def test_python_dash_m_runs_in_a_real_process(tmp_path, mirror):
    """``python -m analysis`` in a real process: exit codes 5 and 3, messages on stderr."""
    raw = tmp_path / "raw"
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANALYSIS_")}

    def run(*argv: str) -> subprocess.CompletedProcess:
        command = [sys.executable, "-m", "analysis", *argv]
        return subprocess.run(command, cwd=PROJECT, env=env, capture_output=True, text=True,
                              timeout=120, check=False)  # fmt: skip

    checked = run("sources", "--data-dir", str(raw), "--check")
    assert (checked.returncode, checked.stderr) == (5, "")
    assert "13 file(s) not usable" in checked.stdout

    corrupt_in(mirror, "geo_departements")
    failed = run("fetch", "--mirror", str(mirror), "--data-dir", str(raw))
    assert failed.returncode == 3
    assert failed.stderr.count("error:") == 1
    assert "`ref_geo/departements.json` from the mirror" in failed.stderr
    assert "Traceback" not in failed.stderr
    assert failed.stdout == f"Fetching 13 files into {raw.resolve()}\n"
    assert not raw.exists()


@pytest.mark.realdata
def test_regions_lists_the_18_codes_and_france(raw_dir, capsys):
    assert main(["regions", "--data-dir", str(raw_dir)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 19
    assert lines[0].split()[:2] == ["01", "Guadeloupe"]
    assert any(line.startswith("11  Île-de-France") for line in lines)
    assert lines[-1].startswith("FR  France")


@pytest.mark.realdata
def test_regions_lists_the_101_departements_with_their_region(raw_dir, capsys):
    assert main(["regions", "--level", "departement", "--data-dir", str(raw_dir)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 101
    assert [line.split()[0] for line in lines[18:22]] == ["19", "2A", "2B", "21"]
    assert lines[-1].split()[:2] == ["976", "Mayotte"] and lines[-1].endswith("region 06")


def test_regions_refuses_a_level_without_reports(capsys):
    assert main(["regions", "--level", "commune"]) == 2
    assert "Valid levels: region, departement" in capsys.readouterr().err


@pytest.mark.realdata
def test_years_lists_what_each_source_covers(raw_dir, capsys):
    assert main(["years", "--data-dir", str(raw_dir)]) == 0
    out = capsys.readouterr().out
    rows = {line.split()[0]: line for line in out.splitlines() if line[:4].isdigit()}
    assert list(rows) == [str(y) for y in range(2010, 2025)]
    assert "2020Q1" in rows["2020"] and "A38" not in rows["2020"]
    assert rows["2021"].split()[1:3] == ["-", "-"]
    assert "ditp to 2024-04-30 (partial)" in rows["2024"]
