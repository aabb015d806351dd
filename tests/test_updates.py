"""Tests of ``analysis.updates`` and ``python -m analysis updates [--apply]``.

The publishers are played by a local server (:mod:`publishers`) answering in the formats of
GitHub's REST API, data.gouv.fr's API, Opendatasoft's Explore API v2.1 and plain HTTP. The
files it serves are the real ones of ``data/raw``, or a real one with one edit that plays
the publisher's revision, each labelled where it is made (``REVISIONS``). Every test works
on a copy of the raw files in ``tmp_path``; ``/work/main/data`` is never written.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import importlib
import io
import json
import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import analysis as an
from analysis import _cache, updates
from analysis.cli import main
from analysis.errors import (
    NEW_DATA,
    ChecksumError,
    FetchError,
    ParameterError,
    SchemaValidationError,
    SourceUnavailableError,
)
from analysis.fetch import fetch, file_status
from analysis.sources import CATALOGUE, get_source
from publishers import (
    BROKEN,
    REVISIONS,
    Publishers,
    datagouv_resource,
    http_date,
    publish_catalogue,
    revise,
)

PROJECT = Path(__file__).resolve().parents[1]
TODAY = dt.date.today().isoformat()
DITP = get_source("ditp_ind313")
DITP_REPO = "DITP-pilotage/barometre-resultats"
DITP_PINNED = "8bab813aa2926e9293cd85d3ac8c35ed74604347"


#: The publishers' revisions: (source id, old bytes, new bytes), one real value changed.
def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def tree(root: Path) -> dict[str, str | None]:
    """{relative path: sha256 of the file, None for a folder} of everything under ``root``."""
    return {
        p.relative_to(root).as_posix(): None if p.is_dir() else sha256(p.read_bytes())
        for p in sorted(root.rglob("*"))
    }


def dead_base() -> str:
    """A base URL on a port of 127.0.0.1 where nothing listens."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


@pytest.fixture
def publishers(monkeypatch):
    """The fake publishers, and the environment that sends ``analysis`` to them."""
    server = Publishers().start()
    for name, value in server.env().items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    yield server
    server.stop()


@pytest.fixture
def raw(tmp_path, real_mirror, isolated_cache) -> Path:
    """A copy of the 13 real files in ``tmp_path/data/raw``; the vintage file goes beside it."""
    folder = tmp_path / "data" / "raw"
    for source in CATALOGUE:
        (folder / source.path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(real_mirror / source.path, folder / source.path)
    return folder


def vintages_of(raw: Path) -> dict:
    return json.loads((raw.parent / "vintages.json").read_text(encoding="utf-8"))


# --- up to date ---------------------------------------------------------------------------


@pytest.mark.network
@pytest.mark.realdata
def test_every_file_up_to_date_exits_0(publishers, raw, capsys):
    """Every file at its pin: 13 "up to date", GitHub asked as documented, exit 0."""
    publish_catalogue(publishers, raw)
    answers = updates.check(raw)
    assert [(u.source.id, u.status) for u in answers] == [(s.id, "up to date") for s in CATALOGUE]
    regions = next(u for u in answers if u.source.id == "geo_regions")
    assert (regions.publisher, regions.current) == (
        "GitHub etalab/decoupage-administratif",
        "v6.0.0",
    )
    asked = publishers.requested("/github/")
    assert len([r for r in asked if "/commits?" in r[1]]) == 13
    # Only the tag needs a comparison: it names no commit.
    assert [r[1].rsplit("/", 1)[1] for r in asked if "/compare/" in r[1]] == [
        f"v6.0.0...{publishers.repo('etalab/decoupage-administratif').commits[0].sha}"
    ] * 2
    for _, _, headers in asked:
        headers = {k.lower(): v for k, v in headers.items()}
        assert headers["accept"] == "application/vnd.github+json"
        assert headers["x-github-api-version"] == "2022-11-28"
        assert "authorization" not in headers
    ditp = next(r[1] for r in asked if DITP_REPO in r[1])
    assert ditp == f"/github/repos/{DITP_REPO}/commits?path=data%2Find-313.csv&per_page=1"
    assert publishers.requested("/raw/") == []  # nothing downloaded

    assert main(["updates", "--data-dir", str(raw)]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert out.startswith(f"Asking the publishers about 13 file(s) (raw-data folder: {raw})\n")
    assert re.search(
        rf"^  ditp_ind313 +up to date  GitHub {DITP_REPO} 8bab813aa292, published "
        r"2022-11-03$",
        out,
        flags=re.M,
    )
    assert out.endswith("Summary: 13 up to date: nothing new.\n")
    assert not (raw.parent / "vintages.json").exists()


@pytest.mark.network
def test_github_token_is_sent_to_github_only(publishers, tmp_path, monkeypatch, capsys):
    """``GITHUB_TOKEN`` goes in GitHub's Authorization header, never into the output."""
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_testtoken")
    publishers.repo(DITP_REPO).commit(
        {"data/ind-313.csv": b"x"}, date="2022-11-03T10:15:00Z", sha=DITP_PINNED
    )
    assert main(["updates", "--data-dir", str(tmp_path / "raw"), "--source", "ditp_ind313"]) == 0
    ((_, _, headers),) = publishers.requested("/github/")
    assert {k.lower(): v for k, v in headers.items()}["authorization"] == "Bearer ghp_testtoken"
    assert "ghp_testtoken" not in "".join(capsys.readouterr())


# --- GitHub: a new version, installed -----------------------------------------------------


@pytest.mark.network
@pytest.mark.realdata
def test_new_github_version_is_found_applied_and_then_expected_everywhere(
    publishers, raw, real_mirror, capsys
):
    """Found (exit 10), installed with its vintage entry (exit 10), then the only one accepted."""
    publish_catalogue(publishers, raw)
    repo = publishers.repo(DITP_REPO)
    original = (raw / DITP.path).read_bytes()
    repo.commit({"README.md": b"# Barometre\n"}, date="2024-06-01T08:00:00Z", message="docs")
    (answer,) = updates.check(raw, sources=["ditp_ind313"])
    assert answer.status == "up to date"  # a later commit that leaves the file alone

    revised = revise(original, REVISIONS["ditp_ind313"])
    new_sha = repo.commit({"data/ind-313.csv": revised}, date="2025-03-04T10:00:00Z")
    (answer,) = updates.check(raw, sources=["ditp_ind313"])
    url = f"{publishers.base}/raw/{DITP_REPO}/{new_sha}/data/ind-313.csv"
    assert (answer.status, answer.current, answer.latest) == ("new", DITP_PINNED, new_sha)
    assert (answer.url, answer.published) == (url, "2025-03-04T10:00:00+00:00")

    before = tree(raw.parent)
    assert main(["updates", "--data-dir", str(raw), "--source", "ditp_ind313"]) == NEW_DATA == 10
    out = capsys.readouterr().out
    assert re.search(
        rf"^  ditp_ind313  new +GitHub {DITP_REPO}: 8bab813aa292 -> {new_sha[:12]}, "
        r"published 2025-03-04$",
        out,
        flags=re.M,
    )
    assert re.search(rf"^ +{re.escape(url)}$", out, flags=re.M)
    assert "Summary: 1 new. `python -m analysis updates --apply` downloads" in out
    assert tree(raw.parent) == before and publishers.requested("/raw/") == []

    assert main(["updates", "--apply", "--no-build", "--data-dir", str(raw)]) == 10
    out = capsys.readouterr().out
    assert re.search(
        r"^  installed  ditp_ind313  apprentissage/ind-313\.csv  135,056 -> 135,056 "
        rf"bytes, sha256 {DITP.sha256[:12]} -> {sha256(revised)[:12]}$",
        out,
        re.M,
    )
    kept = Path(".previous") / DITP.sha256[:16] / DITP.path
    assert f"the replaced file is kept as {kept}\n" in out
    assert out.endswith(
        f"Summary: 1 new file(s) installed and 1 version(s) recorded in "
        f"{raw.parent / 'vintages.json'} (commit it); 12 up to date.\n"
    )
    assert (raw / DITP.path).read_bytes() == revised
    assert (raw / kept).read_bytes() == original
    entry = {
        "url": url,
        "size": len(revised),
        "sha256": sha256(revised),
        "version": new_sha,
        "published": "2025-03-04T10:00:00+00:00",
        "retrieved": TODAY,
    }
    assert vintages_of(raw) == {"format": 1, "sources": {"ditp_ind313": entry}}
    text = (raw.parent / "vintages.json").read_text(encoding="utf-8")
    assert text == json.dumps(vintages_of(raw), indent=2, sort_keys=True) + "\n"
    assert not list(raw.glob(".fetch-staging-*"))

    # The loaders, the fetch step and the reports now expect the new file, and only it.
    effective = get_source("ditp_ind313", raw)
    assert (effective.url, effective.sha256, effective.version) == (url, sha256(revised), new_sha)
    assert an.catalogue(raw)[6] == effective
    assert (file_status(effective, raw), file_status(DITP, raw)) == ("present", "corrupt")
    assert _cache.raw_file("ditp_ind313", raw) == raw / DITP.path
    obs = an.read_apprenticeship_observations(data_dir=raw)
    france = obs[(obs["source"] == "ditp") & (obs["region"] == "FR")].set_index("period_end")
    assert france.loc["2023-12-31", "contracts"] == 852236
    from analysis.sections.sources import checksums_table

    assert sha256(revised) in checksums_table(["ditp_ind313"], data_dir=raw).html
    assert {r.action for r in fetch(data_dir=raw)} == {"present"}
    assert main(["sources", "--data-dir", str(raw)]) == 0
    assert (
        f"pinned by the vintage file {raw.parent / 'vintages.json'}: version {new_sha}, "
        f"published 2025-03-04, retrieved {TODAY}, from {url}"
    ) in capsys.readouterr().out

    (raw / DITP.path).write_bytes(original)  # the old version is refused
    with pytest.raises(ChecksumError, match=r"ind-313\.csv.* but the vintage file expects 135,056"):
        _cache.raw_file("ditp_ind313", raw)
    # A mirror holding only the catalogue's version is not taken for the new one.
    (raw / DITP.path).unlink()
    results = {r.source.id: r for r in fetch(data_dir=raw, mirror=real_mirror)}
    assert (results["ditp_ind313"].action, results["ditp_ind313"].origin) == ("downloaded", url)
    assert (raw / DITP.path).read_bytes() == revised

    (answer,) = updates.check(raw, sources=["ditp_ind313"])
    assert (answer.status, answer.current) == ("up to date", new_sha)
    assert main(["updates", "--data-dir", str(raw), "--source", "ditp_ind313"]) == 0


@pytest.mark.network
@pytest.mark.parametrize(
    ("history", "status", "detail"),
    [
        ("reverted", "up to date", ""),
        ("renamed", "new", "renamed to `data/ind-313-v2.csv`"),
        ("removed", "unknown", f"`data/ind-313.csv` was removed from {DITP_REPO} in commit "),
        ("no-repo", "unknown", "GitHub's API answered HTTP 404 (Not Found) for "),
    ],
)
def test_github_history_after_the_pin(publishers, tmp_path, history, status, detail):
    """What the comparison says decides: a change undone, a rename, a removal, no repository."""
    if history != "no-repo":
        repo = publishers.repo(DITP_REPO)
        repo.commit({"data/ind-313.csv": b"v1\n"}, date="2022-11-03T10:15:00Z", sha=DITP_PINNED)
        changes = {
            "reverted": [{"data/ind-313.csv": b"v2\n"}, {"data/ind-313.csv": b"v1\n"}],
            "renamed": [{"data/ind-313.csv": None, "data/ind-313-v2.csv": b"v1\n"}],
            "removed": [{"data/ind-313.csv": None}],
        }[history]
        for i, change in enumerate(changes):
            repo.commit(change, date=f"2025-0{i + 1}-01T00:00:00Z", message=f"{history} {i}")
    (answer,) = updates.check(tmp_path / "raw", sources=["ditp_ind313"])
    assert answer.status == status
    assert detail in answer.reason
    if history == "renamed":
        latest = publishers.repo(DITP_REPO).commits[-1].sha
        assert answer.url == f"{publishers.base}/raw/{DITP_REPO}/{latest}/data/ind-313-v2.csv"


# --- refused: the loader cannot read the new file ----------------------------------------


@pytest.mark.network
@pytest.mark.realdata
def test_file_that_no_longer_parses_is_refused_and_nothing_changes(publishers, raw, capsys):
    """One new file its loader refuses: exit 6, named with its URL; the good one is not
    installed either (all or nothing); data/raw and the vintage file are unchanged."""
    publish_catalogue(publishers, raw)
    national = get_source("etalab_apprenticeship_national")
    etalab = publishers.repo("etalab/barometre-resultats-donnees")
    upstream = updates.watch_for(national).path
    good = revise((raw / national.path).read_bytes(), REVISIONS[national.id])
    etalab.commit({upstream: good}, date="2025-03-01T00:00:00Z")
    broken = revise((raw / DITP.path).read_bytes(), BROKEN)
    sha = publishers.repo(DITP_REPO).commit(
        {"data/ind-313.csv": broken}, date="2025-03-04T10:00:00Z"
    )
    before = tree(raw.parent)

    assert main(["updates", "--apply", "--no-build", "--data-dir", str(raw)]) == 6
    out, err = capsys.readouterr()
    url = f"{publishers.base}/raw/{DITP_REPO}/{sha}/data/ind-313.csv"
    vintages = raw.parent / "vintages.json"
    assert err.startswith(
        f"error: 1 file(s) could not be updated; {raw} and {vintages} were left "
        "unchanged:\n  - `ditp_ind313` (apprentissage/ind-313.csv): the new "
        f"version from {url} is refused: its loader cannot read it "
        "(ind-313.csv: column(s) `indic_va` missing; "
    )
    assert "Nothing was installed" in err and "Traceback" not in err
    assert "Downloading and verifying 2 new file(s)" in out
    assert tree(raw.parent) == before

    with pytest.raises(FetchError) as excinfo:
        updates.apply(raw)
    assert excinfo.value.exit_code == 6
    assert [type(e) for e in excinfo.value.errors] == [SchemaValidationError]
    assert tree(raw.parent) == before


# --- data.gouv.fr, open.urssaf.fr, HTTP headers --------------------------------------------


@pytest.mark.network
@pytest.mark.realdata
def test_datagouv_resource_checksum_and_download(publishers, raw):
    """Up to date by the local file's sha1; new by the API; a download that is not the
    announced file is refused (exit 3), a missing one too (exit 4); then it is installed."""
    national = get_source("etalab_apprenticeship_national")
    original = (raw / national.path).read_bytes()
    slug, rid = (
        "barometre-des-resultats-de-laction-publique",
        "0b5c6bd6-2a1d-4c4f-9a3b-1a1c2d3e4f50",
    )
    old = f"resources/{slug}/20221103-101500/national.csv"
    publishers.static[old] = original
    publishers.datagouv(
        "5ff5d2b6a5e0f8b1c1e1d2e3",
        slug,
        [
            datagouv_resource(
                rid,
                f"{publishers.base}/static/{old}",
                original,
                title="national.csv",
                last_modified="2022-11-03T10:15:00.000000+00:00",
            )
        ],
    )
    source = dataclasses.replace(
        national, url=f"{publishers.base}/static/{old}", watch=f"datagouv:{slug}/{rid}"
    )
    (answer,) = updates.check(raw, sources=[source])
    sha1 = hashlib.sha1(original).hexdigest()
    assert (answer.status, answer.current, answer.latest) == (
        "up to date",
        f"sha1:{sha1}",
        f"sha1:{sha1}",
    )
    assert answer.publisher == f"data.gouv.fr dataset {slug}"
    assert [r[1] for r in publishers.requests] == [f"/datagouv/datasets/{slug}/"]

    revised = revise(original, REVISIONS[national.id])
    new = f"resources/{slug}/20250304-090000/national.csv"
    publishers.datagouv(
        "5ff5d2b6a5e0f8b1c1e1d2e3",
        slug,
        [
            datagouv_resource(
                rid,
                f"{publishers.base}/static/{new}",
                revised,
                title="national.csv",
                last_modified="2025-03-04T09:00:00.000000+00:00",
            )
        ],
    )
    (answer,) = updates.check(raw, sources=[source])
    new_sha1 = hashlib.sha1(revised).hexdigest()
    assert (answer.status, answer.latest, answer.checksum) == (
        "new",
        f"sha1:{new_sha1}",
        ("sha1", new_sha1),
    )
    assert (answer.url, answer.published) == (
        f"{publishers.base}/static/{new}",
        "2025-03-04T09:00:00+00:00",
    )
    # Without its resource id, the resource is the one at the file's URL, or once that URL
    # has changed, the one with the same file name.
    by_name = dataclasses.replace(source, watch=f"datagouv:{slug}")
    assert updates.check(raw, sources=[by_name])[0].latest == f"sha1:{new_sha1}"
    before = tree(raw.parent)

    with pytest.raises(FetchError, match=r"could not be downloaded .*HTTP Error 404") as excinfo:
        updates.apply(raw, sources=[source])  # announced, but not (yet) served
    assert excinfo.value.exit_code == 4
    assert [type(e) for e in excinfo.value.errors] == [SourceUnavailableError]
    publishers.static[new] = revised.replace(b"305272.0", b"305273.0")  # not the announced file
    with pytest.raises(
        FetchError,
        match=rf"has sha1 [0-9a-f]{{16}}\.\.\., but data\.gouv\.fr "
        rf"dataset {slug} announces {new_sha1[:16]}\.\.\.",
    ) as excinfo:
        updates.apply(raw, sources=[source])
    assert excinfo.value.exit_code == 3
    assert [type(e) for e in excinfo.value.errors] == [ChecksumError]
    assert tree(raw.parent) == before

    publishers.static[new] = revised
    (done,) = updates.apply(raw, sources=[source])
    assert (done.action, done.source.url) == ("installed", f"{publishers.base}/static/{new}")
    assert (raw / national.path).read_bytes() == revised
    assert vintages_of(raw)["sources"][national.id]["version"] == f"sha1:{new_sha1}"
    again = dataclasses.replace(get_source(national.id, raw), watch=source.watch)
    assert updates.check(raw, sources=[again])[0].status == "up to date"


def _parquet(frame: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    return buffer.getvalue()


@pytest.mark.network
@pytest.mark.realdata
def test_urssaf_opendatasoft_dataset_modified_and_parquet_export(publishers, raw):
    """``metas.default.modified`` tells; the parquet export is converted, parsed, installed."""
    series = get_source("urssaf_region_series")
    frame = pd.read_csv(raw / series.path, dtype={"code": str})
    dataset = "effectifs-salaries-du-secteur-prive-series-annuelles"
    publishers.opendatasoft(
        dataset, modified="2025-01-15T08:00:00+00:00", exports={"parquet": _parquet(frame)}
    )
    export = f"{publishers.base}/urssaf/catalog/datasets/{dataset}/exports/parquet"
    source = dataclasses.replace(series, url=export, version="2025-01-15T08:00:00+00:00")
    assert updates.watch_for(source) == updates.Watch("urssaf", dataset=dataset, format="parquet")
    assert updates.check(raw, sources=[source])[0].status == "up to date"

    # The publisher's revision: France's 2024 total, one employee more.
    france = (frame["echelon"] == "france") & (frame["year"] == 2024)
    assert france.sum() == 1
    revised = frame.copy()
    revised.loc[france, "eff_total"] += 1
    publishers.opendatasoft(
        dataset, modified="2025-06-12T09:30:00+00:00", exports={"parquet": _parquet(revised)}
    )
    (answer,) = updates.check(raw, sources=[source])
    assert (answer.status, answer.latest, answer.url) == (
        "new",
        "2025-06-12T09:30:00+00:00",
        export,
    )
    (done,) = updates.apply(raw, sources=[source])
    assert done.action == "installed"
    assert (raw / series.path).read_bytes() == revised.to_csv(index=False).encode()
    assert vintages_of(raw)["sources"][series.id]["version"] == "2025-06-12T09:30:00+00:00"
    totals = an.read_urssaf_region_series(data_dir=raw).set_index(["region", "year"])
    assert totals.loc[("FR", 2024), "employment"] == 19_995_377


@pytest.mark.network
@pytest.mark.realdata
def test_http_headers_etag_and_unchanged_download(publishers, raw):
    """HEAD only; a new ETag is downloaded; the same bytes only record the version."""
    labels = get_source("insee_a17_labels")
    original = (raw / labels.path).read_bytes()
    publishers.files["table_A17.csv"] = (
        original,
        '"a17-2020"',
        http_date("2020-05-04T08:00:00+00:00"),
    )
    url = f"{publishers.base}/files/table_A17.csv"
    source = dataclasses.replace(labels, url=url, version='"a17-2020"')
    (answer,) = updates.check(raw, sources=[source])
    assert (answer.status, answer.publisher, answer.current) == (
        "up to date",
        "HTTP headers",
        '"a17-2020"',
    )
    assert [r[0] for r in publishers.requests] == ["HEAD"]

    # No version recorded: "new" until a download shows it is the same file.
    unpinned = dataclasses.replace(source, version=None)
    (answer,) = updates.check(raw, sources=[unpinned])
    assert (answer.status, answer.reason) == ("new", "no version of the pinned file is recorded")
    mtime = (raw / labels.path).stat().st_mtime_ns
    (done,) = updates.apply(raw, sources=[unpinned])
    assert (done.action, done.previous) == ("unchanged", None)
    assert (raw / labels.path).stat().st_mtime_ns == mtime
    entry = vintages_of(raw)["sources"][labels.id]
    assert (entry["sha256"], entry["version"], entry["published"]) == (
        labels.sha256,
        '"a17-2020"',
        "2020-05-04T08:00:00+00:00",
    )

    revised = revise(original, REVISIONS[labels.id])
    publishers.files["table_A17.csv"] = (
        revised,
        '"a17-2025"',
        http_date("2025-02-01T07:00:00+00:00"),
    )
    (answer,) = updates.check(raw, sources=[source])
    assert (answer.status, answer.latest, answer.published) == (
        "new",
        '"a17-2025"',
        "2025-02-01T07:00:00+00:00",
    )
    (done,) = updates.apply(raw, sources=[source])
    assert done.action == "installed"
    assert an.read_a17_labels(data_dir=raw).set_index("a17").loc["AZ", "label"] == (
        "Agriculture, sylviculture et pêche"
    )


# --- failures: rate limit, publisher unreachable --------------------------------------------


@pytest.mark.network
def test_github_rate_limit_is_said_and_exits_4(publishers, tmp_path, capsys):
    """403 with x-ratelimit-remaining 0: said once, GitHub not asked again, exit 4."""
    raw = tmp_path / "data" / "raw"
    publishers.github_rate_limited = True
    answers = updates.check(raw)
    assert {u.status for u in answers} == {"unknown"}
    assert len(publishers.requested("/github/")) == 1
    reason = answers[0].reason
    assert reason.startswith(
        "GitHub's API rate limit is reached (60 requests an hour without a "
        "token); it resets at 14:05 UTC (2030-01-01). Set GITHUB_TOKEN"
    )
    assert all(u.reason == reason for u in answers)

    assert main(["updates", "--apply", "--no-build", "--data-dir", str(raw)]) == 4
    out, err = capsys.readouterr()
    assert "Summary: 13 unknown." in out
    assert err.startswith(
        "error: 13 file(s) could not be checked with their publisher:\n"
        f"  - `insee_ete_a17`: {reason}.\n"
    )
    assert err.endswith(
        f"Nothing was installed; {raw} and {raw.parent / 'vintages.json'} are unchanged.\n"
    )
    assert not (tmp_path / "data").exists()
    with pytest.raises(FetchError, match="rate limit") as excinfo:
        updates.apply(raw)
    assert excinfo.value.exit_code == 4


@pytest.mark.realdata
def test_unreachable_publisher_exits_4_and_changes_nothing(raw, monkeypatch, capsys):
    """No server at the API's address: a clear message naming it, exit 4, nothing written."""
    base = dead_base()
    monkeypatch.setenv("ANALYSIS_GITHUB_API", base)
    before = tree(raw.parent)
    for argv in (["updates"], ["updates", "--apply", "--no-build"]):
        assert main([*argv, "--data-dir", str(raw), "--source", "ditp_ind313", "bmo_2025"]) == 4
        err = capsys.readouterr().err
        assert err.startswith(
            "error: 2 file(s) could not be checked with their publisher:\n  - `ditp_ind313`: "
            f"GitHub's API could not be reached at {base}/repos/{DITP_REPO}/commits?path=data%2F"
            "ind-313.csv&per_page=1 ([Errno 111] Connection refused)."
        )
    assert tree(raw.parent) == before


def test_unknown_source_id_is_a_parameter_error(capsys):
    assert main(["updates", "--source", "ditp"]) == 2
    assert "No source `ditp`; known sources: insee_ete_a17, " in capsys.readouterr().err


@pytest.mark.network
@pytest.mark.realdata
def test_real_process_exit_codes_10_then_0(publishers, raw):
    """``python -m analysis updates`` in a process: 10 (new), 10 (--apply), 0 (nothing new)."""
    publishers.repo(DITP_REPO).commit(
        {"data/ind-313.csv": b""}, date="2022-11-03T10:15:00Z", sha=DITP_PINNED
    )
    revised = revise((raw / DITP.path).read_bytes(), REVISIONS["ditp_ind313"])
    publishers.repo(DITP_REPO).commit({"data/ind-313.csv": revised}, date="2025-03-04T10:00:00Z")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANALYSIS_", "GITHUB_"))}
    env |= publishers.env()

    def run(*argv: str) -> subprocess.CompletedProcess:
        command = [
            sys.executable,
            "-m",
            "analysis",
            "updates",
            "--data-dir",
            str(raw),
            "--source",
            "ditp_ind313",
            *argv,
        ]
        return subprocess.run(
            command, cwd=PROJECT, env=env, capture_output=True, text=True, timeout=120, check=False
        )

    codes = [run().returncode, run("--apply", "--no-build").returncode, run().returncode]
    assert codes == [10, 10, 0]
    assert (raw / DITP.path).read_bytes() == revised


# --- the watches, the vintage file, the parsers -----------------------------------------------


def test_watch_is_derived_from_the_url_or_given(monkeypatch):
    monkeypatch.delenv("ANALYSIS_URSSAF_API", raising=False)
    assert {updates.watch_for(s).kind for s in CATALOGUE} == {"github"}
    assert updates.watch_for(DITP) == updates.Watch(
        "github", repo=DITP_REPO, ref=DITP_PINNED, path="data/ind-313.csv"
    )
    static = "https://static.data.gouv.fr/resources/enquete-bmo/20250423-101010/bmo_2025.xlsx"
    export = (
        "https://open.urssaf.fr/api/explore/v2.1/catalog/datasets/"
        "nombre-detablissements-employeurs/exports/parquet?lang=fr"
    )
    cases = {
        (static, None): updates.Watch("datagouv", dataset="enquete-bmo"),
        (static, "datagouv:5e7a/5f0b-11"): updates.Watch(
            "datagouv", dataset="5e7a", resource="5f0b-11"
        ),
        (export, None): updates.Watch(
            "urssaf", dataset="nombre-detablissements-employeurs", format="parquet"
        ),
        ("https://x.org/f.csv", "urssaf:effectifs"): updates.Watch(
            "urssaf", dataset="effectifs", format="csv"
        ),
        ("https://www.insee.fr/fr/statistiques/fichier/1/a.xlsx", None): updates.Watch(
            "http", url="https://www.insee.fr/fr/statistiques/fichier/1/a.xlsx"
        ),
        (DITP.url, "http"): updates.Watch("http", url=DITP.url),
    }
    for (url, watch), expected in cases.items():
        assert updates.watch_for(dataclasses.replace(DITP, url=url, watch=watch)) == expected
    for watch in ("github", "ftp:x", "datagouv:"):
        with pytest.raises(ParameterError, match=f"has watch `{watch}`, which is not one of"):
            updates.watch_for(dataclasses.replace(DITP, url=static, watch=watch))


@pytest.mark.parametrize(
    ("text", "what"),
    [
        ("{", "it is not JSON"),
        ('{"format": 2, "sources": {}}', 'it has no `"format": 1`'),
        (
            '{"format": 1, "sources": {"geo_regions": {"url": "u", "size": 1}}}',
            "the entry `geo_regions` has no 'sha256'",
        ),
        (
            '{"format": 1, "sources": {"geo_regions": {"url": "u", "size": -1, "sha256": "00"}}}',
            "the size of `geo_regions` is not a number of bytes",
        ),
    ],
    ids=["not-json", "format", "no-sha256", "size"],
)
def test_invalid_vintage_file_is_named_with_the_fix(tmp_path, capsys, text, what):
    (tmp_path / "vintages.json").write_text(text)
    raw = tmp_path / "raw"
    with pytest.raises(
        ParameterError, match=re.escape(f"{tmp_path / 'vintages.json'} is not valid: {what}")
    ) as excinfo:
        get_source("geo_regions", raw)
    assert "Restore it from version control" in str(excinfo.value)
    assert excinfo.value.exit_code == 2
    assert main(["sources", "--data-dir", str(raw)]) == 2
    assert "is not valid" in capsys.readouterr().err


def test_vintage_file_takes_precedence_for_that_folder_only(tmp_path):
    entry = {
        "url": "https://example.org/regions.json",
        "size": 3,
        "sha256": "ab" * 32,
        "version": "v7",
        "published": "",
        "retrieved": "2026-01-02",
    }
    (tmp_path / "vintages.json").write_text(
        json.dumps({"format": 1, "sources": {"geo_regions": entry}})
    )
    pinned = get_source("geo_regions", tmp_path / "raw")
    assert (pinned.url, pinned.size, pinned.sha256, pinned.version) == (
        entry["url"],
        3,
        "ab" * 32,
        "v7",
    )
    assert get_source("geo_regions") == CATALOGUE[8] != pinned
    assert [s.id for s in an.catalogue(tmp_path / "raw")] == [s.id for s in CATALOGUE]
    (tmp_path / "raw" / "ref_geo").mkdir(parents=True)
    (tmp_path / "raw" / pinned.path).write_bytes(b"abc")
    with pytest.raises(ChecksumError, match="but the vintage file expects 3 bytes"):
        _cache.raw_file("geo_regions", tmp_path / "raw")


def test_every_source_has_the_parsers_its_loaders_use():
    """PARSERS names, for each catalogue file, the functions its loaders pass to load_cached."""
    assert set(updates.PARSERS) == {s.id for s in CATALOGUE}
    package = PROJECT / "src" / "analysis"
    used = set()
    for path in [package / "geo.py", *sorted((package / "loaders").glob("*.py"))]:
        module = path.relative_to(package).with_suffix("").as_posix().replace("/", ".")
        for source_id, function in re.findall(
            r'load_cached\(\s*"(\w+)",\s*(\w+)', path.read_text()
        ):
            used.add((source_id, f"{module}:{function}"))
    assert used, "no load_cached call found"
    assert used <= {(i, spec) for i, specs in updates.PARSERS.items() for spec in specs}
    for source_id in updates.PARSERS:
        assert all(callable(f) for f in updates.parsers_for(source_id))


@pytest.mark.realdata
@pytest.mark.parametrize("source_id", [s.id for s in CATALOGUE])
def test_parsers_accept_the_files_in_use(raw_dir, source_id):
    """The verification of --apply accepts each current file: it refuses only a real change."""
    for parse in updates.parsers_for(source_id):
        assert len(parse(raw_dir / get_source(source_id).path)) > 0


@pytest.fixture
def new_labels(publishers, raw) -> an.Source:
    """``insee_a17_labels`` served over plain HTTP, with a revised version announced."""
    labels = get_source("insee_a17_labels")
    revised = revise((raw / labels.path).read_bytes(), REVISIONS[labels.id])
    date = http_date("2025-02-01T07:00:00+00:00")
    publishers.files["table_A17.csv"] = (revised, '"a17-2025"', date)
    url = f"{publishers.base}/files/table_A17.csv"
    return dataclasses.replace(labels, url=url, version='"a17-2020"')


@pytest.mark.network
@pytest.mark.realdata
def test_server_refusing_head_is_asked_with_get(publishers, raw, new_labels):
    publishers.head_allowed = False
    (answer,) = updates.check(raw, sources=[new_labels])
    assert (answer.status, answer.latest) == ("new", '"a17-2025"')
    assert [r[0] for r in publishers.requests] == ["HEAD", "GET"]


@pytest.mark.network
@pytest.mark.realdata
def test_failed_install_leaves_everything_as_it_was(raw, new_labels, monkeypatch):
    """A rename that fails midway: the old file back, no copy under .previous, no vintage."""
    fetch_module = importlib.import_module("analysis.fetch")
    real_replace = os.replace

    def failing_replace(src, dst):
        if ".fetch-staging-" in str(src) and ".replaced" not in str(src):
            raise PermissionError("read-only file system")
        return real_replace(src, dst)

    before = tree(raw.parent)
    monkeypatch.setattr(fetch_module.os, "replace", failing_replace)
    with pytest.raises(FetchError, match="could not install the fetched files"):
        updates.apply(raw, sources=[new_labels])
    assert tree(raw.parent) == before


@pytest.mark.network
@pytest.mark.realdata
def test_vintage_file_that_cannot_be_written_puts_the_old_file_back(raw, new_labels, monkeypatch):
    def no_space(*args):
        raise OSError(28, "No space left on device")

    before = tree(raw.parent)
    monkeypatch.setattr("analysis._staging.write_vintages", no_space)
    with pytest.raises(
        FetchError,
        match=r"the vintage file .*vintages\.json could not be written "
        r"\(\[Errno 28\] No space left on device\)",
    ) as excinfo:
        updates.apply(raw, sources=[new_labels])
    assert excinfo.value.exit_code == 1
    assert str(excinfo.value).startswith(
        f"1 file(s) could not be updated; {raw} and {raw.parent / 'vintages.json'} were left "
        "unchanged:"
    )
    assert tree(raw.parent) == before
