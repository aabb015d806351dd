"""Tests of ``analysis.fetch``: mirror copies, downloads, checksums, all-or-nothing commit."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import http.server
import importlib
import io
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import urllib.error
from pathlib import Path

import pandas as pd
import pytest

from analysis.errors import ChecksumError, FetchError, SourceUnavailableError
from analysis.fetch import fetch, file_status, sha256_of
from analysis.sources import CATALOGUE, Source, get_source

fetch_module = importlib.import_module("analysis.fetch")  # `analysis.fetch` is the function
FILES = {  # a small fake catalogue: relative path -> content
    "tables/one.csv": b"code,value\n01,1\n02,2\n",
    "tables/deep/two.json": b'{"a": [1, 2, 3]}\n',
    "three.txt": b"third file\n",
}
BAD = "tables/deep/two.json"
OLD_NS = 1_000_000_000_000_000_000  # an mtime (2001) that any rewrite would change


def make_source(path: str, content: bytes, url: str = "http://127.0.0.1:9/x", **kw) -> Source:
    """A catalogue entry whose size and sha256 are those of ``content``."""
    return Source(
        id=Path(path).stem, title=f"Test file {path}", publisher="tests", licence="none",
        landing_page="", url=url, path=path, size=len(content),
        sha256=hashlib.sha256(content).hexdigest(), coverage="", traps="", **kw,
    )  # fmt: skip


def write_tree(root: Path, files: dict[str, bytes]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for rel, content in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(content)
    return root


def snapshot(root: Path) -> dict[str, bytes | None] | None:
    """{relative path: bytes} of everything under ``root`` (None for folders; None if absent)."""
    if not root.exists():
        return None
    return {
        p.relative_to(root).as_posix(): None if p.is_dir() else p.read_bytes()
        for p in sorted(root.rglob("*"))
    }


def with_dirs(files: dict[str, bytes]) -> dict[str, bytes | None]:
    """What ``snapshot`` shows for ``files``: the files plus their parent folders."""
    tree: dict[str, bytes | None] = dict(files)
    for rel in files:
        tree.update({parent.as_posix(): None for parent in Path(rel).parents[:-1]})
    return tree


def flip_first_byte(data: bytes) -> bytes:
    return bytes([data[0] ^ 0x01]) + data[1:]


def stats(root: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(root).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in root.rglob("*") if p.is_file()}  # fmt: skip


@pytest.fixture(autouse=True)
def _short_timeout(monkeypatch):
    monkeypatch.setattr(fetch_module, "DOWNLOAD_TIMEOUT", 5)


@pytest.fixture
def sources() -> list[Source]:
    return [make_source(rel, content) for rel, content in FILES.items()]


@pytest.mark.parametrize("layout", ["nested", "flat"])
def test_mirror_fills_data_dir_then_second_run_is_a_noop(tmp_path, sources, layout):
    """Every file is copied and verified; a second run leaves every file untouched."""
    flat = {Path(rel).name: content for rel, content in FILES.items()}
    mirror = write_tree(tmp_path / "mirror", FILES if layout == "nested" else flat)
    raw = tmp_path / "raw"
    seen = []
    results = fetch(data_dir=raw, mirror=mirror, sources=sources, progress=seen.append)
    assert [(r.source.path, r.action) for r in results] == [(p, "copied") for p in FILES]
    by_layout = {"nested": list(FILES), "flat": list(flat)}[layout]
    assert [r.origin for r in results] == [str(mirror.resolve() / p) for p in by_layout]
    assert seen == results
    assert snapshot(raw) == with_dirs(FILES)
    assert [file_status(s, raw) for s in sources] == ["present"] * 3

    for path in raw.rglob("*"):
        os.utime(path, ns=(OLD_NS, OLD_NS))
    before = stats(raw)
    again = fetch(data_dir=raw, mirror=mirror, sources=sources)
    assert [(r.action, r.origin) for r in again] == [("present", "")] * 3
    assert stats(raw) == before
    forced = fetch(data_dir=raw, mirror=mirror, sources=sources, force=True)
    assert [r.action for r in forced] == ["copied"] * 3
    assert all(st[1] != OLD_NS for st in stats(raw).values())


@pytest.mark.parametrize(
    ("prefill", "force"),
    [(None, False), ({}, False), ({**FILES, "notes.md": b"kept\n"}, True),
     ({**FILES, BAD: b'{"a": [0]}\n'}, False)],
    ids=["absent", "empty", "good-copies-force", "stale-copy"],
)  # fmt: skip
def test_corrupt_mirror_file_is_refused_and_data_dir_unchanged(tmp_path, sources, prefill, force):
    """Same size, one byte changed: exit code 3, message names it, data_dir untouched."""
    mirror = write_tree(tmp_path / "mirror", {**FILES, BAD: flip_first_byte(FILES[BAD])})
    raw = tmp_path / "raw"
    if prefill is not None:
        write_tree(raw, prefill)
    before = snapshot(raw)
    expected = re.escape(f"`{BAD}` from the mirror ({mirror.resolve() / BAD}) has 17 bytes")
    expected += r" and sha256 [0-9a-f]{16}\.\.\., but the catalogue expects 17 bytes and sha256 "
    expected += re.escape(f"{sources[1].sha256[:16]}... The copy is corrupt or a different")
    with pytest.raises(FetchError, match=expected) as excinfo:
        fetch(data_dir=raw, mirror=mirror, sources=sources, force=force)
    assert excinfo.value.exit_code == 3
    assert [type(e) for e in excinfo.value.errors] == [ChecksumError]
    assert snapshot(raw) == before


def test_truncated_mirror_file_is_refused(tmp_path, sources):
    """A shorter copy is called truncated, with its size and the expected one."""
    mirror = write_tree(tmp_path / "mirror", {**FILES, BAD: FILES[BAD][:-5]})
    raw = write_tree(tmp_path / "raw", {})
    match = rf"`{re.escape(BAD)}` from .* has 12 bytes .* expects 17 bytes .* is truncated"
    with pytest.raises(FetchError, match=match) as excinfo:
        fetch(data_dir=raw, mirror=mirror, sources=sources)
    assert excinfo.value.exit_code == 3
    assert snapshot(raw) == {}


@pytest.mark.parametrize("bad", list(FILES))
def test_one_bad_file_means_none_is_installed(tmp_path, sources, bad):
    """All or nothing: the good files staged before or after the bad one are discarded."""
    mirror = write_tree(tmp_path / "mirror", {**FILES, bad: flip_first_byte(FILES[bad])})
    raw = write_tree(tmp_path / "raw", {})
    with pytest.raises(FetchError) as excinfo:
        fetch(data_dir=raw, mirror=mirror, sources=sources)
    message = str(excinfo.value)
    assert message.startswith("1 file(s) could not be fetched")
    assert [p for p in FILES if f"`{p}`" in message] == [bad]
    assert snapshot(raw) == {}


@pytest.mark.parametrize(("first", "code"), [("corrupt", 3), ("offline", 4)])
def test_every_failure_is_listed_and_the_first_sets_the_exit_code(tmp_path, first, code):
    """A corrupt copy and an unreachable file are both reported, in catalogue order."""
    corrupt = make_source("corrupt.csv", b"good\n")
    offline = make_source("offline.csv", b"never\n", url="http://example.invalid/offline.csv")
    order = [corrupt, offline] if first == "corrupt" else [offline, corrupt]
    mirror = write_tree(tmp_path / "mirror", {"corrupt.csv": b"gooD\n"})

    def no_network(url, timeout):
        raise urllib.error.URLError("network is off")

    with pytest.raises(FetchError, match=r"^2 file\(s\) could not be fetched") as excinfo:
        fetch(data_dir=tmp_path / "raw", mirror=mirror, sources=order, opener=no_network)
    kinds = {"corrupt": ChecksumError, "offline": SourceUnavailableError}
    assert [type(e) for e in excinfo.value.errors] == [kinds[s.id] for s in order]
    assert excinfo.value.exit_code == code
    assert re.search(r"`offline\.csv` is not in the mirror .* could not be downloaded "
                     r"\(could not download .*network is off", str(excinfo.value))  # fmt: skip
    assert not (tmp_path / "raw").exists()


@pytest.mark.parametrize(
    ("content", "status"),
    [(None, "missing"), (b"x" * 21, "corrupt"), (b"code,value\n", "corrupt"),
     (FILES["tables/one.csv"], "present")],
    ids=["missing", "same-size", "shorter", "good"],
)  # fmt: skip
def test_file_status(tmp_path, content, status):
    """Missing, same size but different bytes, shorter, and the right copy."""
    source = make_source("tables/one.csv", FILES["tables/one.csv"])
    if content is not None:
        write_tree(tmp_path, {"tables/one.csv": content})
    assert file_status(source, tmp_path) == status


def test_missing_mirror_folder_is_named(tmp_path, sources):
    """A mirror that does not exist is refused before anything is created."""
    missing = (tmp_path / "no-such-mirror").resolve()
    match = rf"The mirror folder {re.escape(str(missing))} does not exist"
    with pytest.raises(SourceUnavailableError, match=match) as excinfo:
        fetch(data_dir=tmp_path / "raw", mirror=missing, sources=sources)
    assert excinfo.value.exit_code == 4
    assert not (tmp_path / "raw").exists()


@pytest.mark.realdata
def test_real_catalogue_from_real_mirror_and_repair(tmp_path, real_mirror):
    """All 13 real files verify; a corrupt and a missing one are repaired, others untouched."""
    raw = tmp_path / "raw"
    results = fetch(data_dir=raw, mirror=real_mirror)
    assert [(r.source.id, r.action) for r in results] == [(s.id, "copied") for s in CATALOGUE]
    assert {file_status(s, raw) for s in CATALOGUE} == {"present"}

    corrupt, gone = get_source("insee_a17_labels"), get_source("geo_regions")
    (raw / corrupt.path).write_bytes(flip_first_byte((raw / corrupt.path).read_bytes()))
    (raw / gone.path).unlink()
    assert (file_status(corrupt, raw), file_status(gone, raw)) == ("corrupt", "missing")
    for path in raw.rglob("*"):
        os.utime(path, ns=(OLD_NS, OLD_NS))
    before = stats(raw)

    results = fetch(data_dir=raw, mirror=real_mirror)
    actions = {corrupt.id: "replaced", gone.id: "copied"}
    assert {r.source.id: r.action for r in results} == {
        s.id: actions.get(s.id, "present") for s in CATALOGUE
    }
    for source in (corrupt, gone):
        assert sha256_of(raw / source.path) == source.sha256
        before.pop(source.path, None)
    after = stats(raw)
    assert {p: after[p] for p in before} == before


# --- downloads from a local HTTP server --------------------------------------------------


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves a folder; ``/short/NAME`` announces NAME's length, sends half and hangs up."""

    def do_GET(self):
        if not self.path.startswith("/short/"):
            return super().do_GET()
        body = (Path(self.directory) / self.path.removeprefix("/short/")).read_bytes()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body[: len(body) // 2])
        self.close_connection = True

    def log_message(self, format, *args):
        pass


@pytest.fixture
def server(tmp_path):
    """(folder served, base URL) of a server on 127.0.0.1, stopped after the test."""
    root = write_tree(tmp_path / "served", {})
    handler = functools.partial(_Handler, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


def _close_http_errors(exc: FetchError) -> None:
    """Close the HTTPError (an open response) fetch never closes: its socket would warn."""
    for error in exc.errors:
        while error is not None:
            if isinstance(error, urllib.error.HTTPError):
                error.close()
            error = error.__cause__


def dead_url() -> str:
    """A URL on a port of 127.0.0.1 where nothing listens."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/one.csv"


@pytest.mark.network
@pytest.mark.parametrize("with_mirror", [False, True])
def test_download_verifies_good_file(tmp_path, server, with_mirror):
    """Not in the mirror (or no mirror): downloaded from its URL and verified."""
    root, base = server
    write_tree(root, {"one.csv": FILES["tables/one.csv"]})
    source = make_source("tables/one.csv", FILES["tables/one.csv"], url=f"{base}/one.csv")
    mirror = write_tree(tmp_path / "mirror", {"other.txt": b"x"}) if with_mirror else None
    results = fetch(data_dir=tmp_path / "raw", mirror=mirror, sources=[source])
    assert [(r.action, r.origin) for r in results] == [("downloaded", f"{base}/one.csv")]
    assert snapshot(tmp_path / "raw") == with_dirs({"tables/one.csv": FILES["tables/one.csv"]})


@pytest.mark.network
@pytest.mark.parametrize(
    ("route", "reason"),
    [("short/one.csv", r"the download of .*/short/one\.csv stopped after 10 of 21 bytes"),
     ("nope.csv", r"HTTP Error 404"),
     (None, r"Connection refused")],
    ids=["cut-off", "404", "closed-port"],
)  # fmt: skip
def test_failed_download_is_refused_and_data_dir_unchanged(tmp_path, server, route, reason):
    """Cut-off body, 404 or closed port: exit code 4, message names the file and the cure."""
    root, base = server
    write_tree(root, {"one.csv": FILES["tables/one.csv"]})
    url = f"{base}/{route}" if route else dead_url()
    source = make_source("tables/one.csv", FILES["tables/one.csv"], url=url)
    raw = write_tree(tmp_path / "raw", {"tables/one.csv": b"old\n", "keep.txt": b"keep\n"})
    before = snapshot(raw)
    match = rf"`tables/one\.csv` .*could not be downloaded \(.*{reason}.*\)\. Check the network, "
    with pytest.raises(FetchError, match=match + "or pass --mirror") as excinfo:
        fetch(data_dir=raw, sources=[source])
    _close_http_errors(excinfo.value)
    assert excinfo.value.exit_code == 4
    assert [type(e) for e in excinfo.value.errors] == [SourceUnavailableError]
    assert snapshot(raw) == before


def _upstream_parquet(source: Source, mirror: Path, dtype: dict | None) -> bytes:
    """The parquet the mirror CSV was derived from (plus rows the subset must drop)."""
    frame = pd.read_csv(mirror / source.path, dtype=dtype)
    if source.derive == "urssaf_series_subset":
        ze = pd.DataFrame({"code": ["0051", "0052"], "echelon": "ze", "year": [2014, 2015],
                           "eff_total": [1000, 2000], "indice_fr_2014": [0.01, 0.02]})  # fmt: skip
        frame = pd.concat([ze, frame.iloc[:100], ze, frame.iloc[100:], ze], ignore_index=True)
        assert (frame["echelon"] == "ze").sum() == 6
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    return buffer.getvalue()


@pytest.mark.network
@pytest.mark.realdata
@pytest.mark.parametrize(
    ("sid", "dtype"),
    [("urssaf_ze_a38", {"code_ze": str}), ("urssaf_region_series", {"code": str})],
    ids=["parquet_to_csv", "urssaf_series_subset"],
)
def test_derived_csv_from_parquet_matches_catalogue(tmp_path, server, real_mirror, sid, dtype):
    """Downloading the upstream parquet and converting it gives the mirror's exact bytes."""
    root, base = server
    source = get_source(sid)
    (root / "up.parquet").write_bytes(_upstream_parquet(source, real_mirror, dtype))
    source = dataclasses.replace(source, url=f"{base}/up.parquet")
    results = fetch(data_dir=tmp_path / "raw", sources=[source])
    assert [r.action for r in results] == ["downloaded"]
    assert sha256_of(tmp_path / "raw" / source.path) == source.sha256
    assert (tmp_path / "raw" / source.path).read_bytes() == (real_mirror / source.path).read_bytes()


@pytest.mark.network
@pytest.mark.realdata
def test_derived_csv_of_another_version_is_refused(tmp_path, server, real_mirror):
    """Zone codes stored as integers upstream ("51", not "0051"): the checksum refuses it."""
    root, base = server
    source = get_source("urssaf_ze_a38")
    (root / "up.parquet").write_bytes(_upstream_parquet(source, real_mirror, dtype=None))
    source = dataclasses.replace(source, url=f"{base}/up.parquet")
    with pytest.raises(FetchError, match=r"has 870,564 bytes .* expects 872,036 bytes") as exc:
        fetch(data_dir=tmp_path / "raw", sources=[source])
    assert exc.value.exit_code == 3
    assert not (tmp_path / "raw").exists()


@pytest.mark.network
def test_download_that_is_not_parquet_is_refused(tmp_path, server):
    """A derived source whose download does not parse is a checksum failure (exit 3)."""
    root, base = server
    write_tree(root, {"up.parquet": b"this is not parquet"})
    source = make_source("x.csv", b"a\n1\n", url=f"{base}/up.parquet", derive="parquet_to_csv")
    match = r"`x\.csv` was downloaded from .*/up\.parquet but could not be converted"
    with pytest.raises(FetchError, match=match) as excinfo:
        fetch(data_dir=tmp_path / "raw", sources=[source])
    assert excinfo.value.exit_code == 3


def test_install_failure_puts_back_what_was_there(tmp_path, monkeypatch):
    """If moving the verified files into place fails midway, the old files come back."""
    fetch_module = importlib.import_module("analysis.fetch")  # `analysis.fetch` is the function
    data = {f"d/f{i}.csv": f"new {i}\n".encode() for i in range(3)}
    sources = [make_source(path, body) for path, body in data.items()]
    mirror = tmp_path / "mirror"
    for path, body in data.items():
        (mirror / path).parent.mkdir(parents=True, exist_ok=True)
        (mirror / path).write_bytes(body)
    raw = tmp_path / "raw"
    (raw / "d").mkdir(parents=True)
    for i in range(3):
        (raw / f"d/f{i}.csv").write_bytes(f"old {i}\n".encode())
    before = {p: p.read_bytes() for p in raw.rglob("*") if p.is_file()}
    real_replace = os.replace
    calls = []

    def flaky_replace(src, dst):
        calls.append((src, dst))
        if (
            str(dst).endswith("f2.csv")
            and ".fetch-staging-" in str(src)
            and ".replaced" not in str(src)
        ):
            raise PermissionError("read-only file")
        return real_replace(src, dst)

    monkeypatch.setattr(fetch_module.os, "replace", flaky_replace)
    with pytest.raises(FetchError, match=r"could not install the fetched files.*read-only file"):
        fetch(data_dir=raw, mirror=mirror, sources=sources, force=True)
    assert {p: p.read_bytes() for p in raw.rglob("*") if p.is_file()} == before
    assert not list(raw.glob(".fetch-staging-*"))


def test_directory_in_the_way_is_refused_before_anything_moves(tmp_path):
    """A folder where a file should go: refused, nothing else installed, folder kept."""
    data = {"a.csv": b"a\n", "b.csv": b"b\n"}
    sources = [make_source(path, body) for path, body in data.items()]
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    for path, body in data.items():
        (mirror / path).write_bytes(body)
    raw = tmp_path / "raw"
    (raw / "b.csv").mkdir(parents=True)
    (raw / "b.csv" / "keep.txt").write_text("mine")
    with pytest.raises(FetchError, match=r"b\.csv` is in the way"):
        fetch(data_dir=raw, mirror=mirror, sources=sources)
    assert not (raw / "a.csv").exists()
    assert (raw / "b.csv" / "keep.txt").read_text() == "mine"


@pytest.mark.parametrize("force", [False, True])
def test_corrupt_copy_is_reported_as_replaced(tmp_path, sources, force):
    """A corrupt copy in data/raw is `replaced`, a missing one `copied`, a good one kept."""
    mirror = write_tree(tmp_path / "mirror", FILES)
    one, three = "tables/one.csv", "three.txt"
    raw = write_tree(tmp_path / "raw", {one: FILES[one], BAD: flip_first_byte(FILES[BAD])})
    results = fetch(data_dir=raw, mirror=mirror, sources=sources, force=force)
    good = "copied" if force else "present"
    assert [(r.source.path, r.action) for r in results] == [
        (one, good),
        (BAD, "replaced"),
        (three, "copied"),
    ]
    assert results[1].origin == str(mirror.resolve() / BAD)
    assert snapshot(raw) == with_dirs(FILES)


def test_integrity_helpers_live_in_one_module():
    """fetch and the loaders' cache check files with the same functions."""
    integrity = importlib.import_module("analysis.integrity")
    cache = importlib.import_module("analysis._cache")
    for name in ("sha256_of", "verify_file", "file_status"):
        assert getattr(fetch_module, name) is getattr(integrity, name)
    assert cache.verify_file is integrity.verify_file


# --- interrupted fetches: nothing lost, nothing left behind -------------------------------


def dead_pid() -> int:
    """The pid of a process that has exited and been reaped."""
    child = subprocess.Popen(["true"])
    child.wait()
    with pytest.raises(ProcessLookupError):
        os.kill(child.pid, 0)
    return child.pid


def test_staging_folders_of_dead_processes_are_removed(tmp_path, sources, monkeypatch):
    """A staging folder named with a dead pid goes; a live pid or no pid in the name stays."""
    dead = f".fetch-staging-{dead_pid()}-k2j4x9q1"
    kept = [f".fetch-staging-{os.getpid()}-a1b2c3d4",  # a fetch still running
            ".fetch-staging-k2j4_x9q",  # old-style name: whose it was cannot be known
            ".fetch-staging-notapid-1"]  # fmt: skip
    raw = write_tree(
        tmp_path / "raw", {f"{name}/tables/one.csv": b"partial" for name in [dead, *kept]}
    )
    used = []
    real_install = fetch_module._install

    def install(staged, staging, raw):
        used.append(staging.name)
        return real_install(staged, staging, raw)

    monkeypatch.setattr(fetch_module, "_install", install)
    fetch(data_dir=raw, mirror=write_tree(tmp_path / "mirror", FILES), sources=sources)
    assert sorted(p.name for p in raw.glob(".fetch-staging-*")) == sorted(kept)
    assert re.fullmatch(rf"\.fetch-staging-{os.getpid()}-\w+", used[0])


@pytest.mark.parametrize("mode", ["killed", "interrupted"])
def test_crash_at_any_rename_of_the_install_loses_no_file(tmp_path, sources, monkeypatch, mode):
    """Stop the install at its n-th ``os.replace``, for every n: no file is ever missing.

    ``killed``: that call and every later one fail, as if the process died there (the
    rollback cannot run). ``interrupted``: only that call raises (Ctrl-C), the rollback runs
    and data/raw is as it was. Either way the next fetch completes and leaves no staging.
    """
    mirror = write_tree(tmp_path / "mirror", FILES)
    before = {"tables/one.csv": b"stale copy\n", BAD: FILES[BAD]}  # three.txt is missing
    real_replace = os.replace
    for n in range(1, 20):
        raw = write_tree(tmp_path / f"raw-{n}", before)
        calls = 0

        def crashing_replace(src, dst, n=n):
            nonlocal calls
            calls += 1
            if calls == n or (mode == "killed" and calls > n):
                raise SystemExit("killed") if mode == "killed" else KeyboardInterrupt
            return real_replace(src, dst)

        monkeypatch.setattr(fetch_module.os, "replace", crashing_replace)
        try:
            fetch(data_dir=raw, mirror=mirror, sources=sources, force=True)
            crashed = False
        except (SystemExit, KeyboardInterrupt):
            crashed = True
        finally:
            monkeypatch.setattr(fetch_module.os, "replace", real_replace)
        for path, content in before.items():
            assert (raw / path).read_bytes() in (content, FILES[path]), (n, path)
        if crashed and mode == "interrupted":
            assert snapshot(raw) == with_dirs(before), n
        fetch(data_dir=raw, mirror=mirror, sources=sources)
        assert snapshot(raw) == with_dirs(FILES), n
        if not crashed:
            break
    assert not crashed, "the install never completed"


_KILLED_FETCH = """
import json, os, signal, sys
from analysis.fetch import fetch
from analysis.sources import Source
raw, mirror, kill_at, sources = sys.argv[1:]
real_replace, calls = os.replace, []
def replace(src, dst):
    calls.append(dst)
    if len(calls) == int(kill_at):
        os.kill(os.getpid(), signal.SIGKILL)
    return real_replace(src, dst)
os.replace = replace
fetch(data_dir=raw, mirror=mirror, sources=[Source(**s) for s in json.loads(sources)])
"""


def test_kill_9_during_install_loses_no_file_and_next_fetch_cleans_up(tmp_path, sources):
    """A real ``kill -9`` at the install's second rename; then a fetch repairs and tidies."""
    mirror = write_tree(tmp_path / "mirror", FILES)
    raw = write_tree(tmp_path / "raw", {p: flip_first_byte(c) for p, c in FILES.items()})
    spec = json.dumps([dataclasses.asdict(s) for s in sources])
    argv = [sys.executable, "-c", _KILLED_FETCH, str(raw), str(mirror), "2", spec]
    with subprocess.Popen(argv, stderr=subprocess.PIPE, text=True) as child:
        _, err = child.communicate(timeout=120)
    assert child.returncode == -signal.SIGKILL, err
    assert all((raw / path).is_file() for path in FILES)
    left = [p.name for p in raw.glob(".fetch-staging-*")]
    assert len(left) == 1 and left[0].startswith(f".fetch-staging-{child.pid}-"), left
    results = fetch(data_dir=raw, mirror=mirror, sources=sources)
    assert [r.action for r in results] == ["present", "replaced", "replaced"]
    assert snapshot(raw) == with_dirs(FILES)
