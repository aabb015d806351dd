"""Fill ``data/raw`` with the catalogue's files, verified, all or nothing.

Each file comes from a mirror folder (``--mirror``) when it is there, otherwise from its
download URL. It is written to a staging folder inside ``data/raw``, its size and sha256
are checked, and only when *every* file needed has passed are they moved into place, one
atomic ``os.replace`` each. A failure of any kind removes the staging folder and leaves
``data/raw`` exactly as it was: no partial file, no good file replaced by a bad one.

Each replaced file is first hard-linked into the staging folder, then the verified copy is
renamed over it, so that even a ``kill -9`` never leaves a catalogue file missing. The
staging folder's name holds the pid of the process that made it; a later fetch removes
the folders of processes that no longer exist.

The files expected are those of the catalogue as it applies to ``data/raw``
(:func:`analysis.catalogue`): when the vintage file pins a newer version of a file, that
version is fetched, from the mirror if it holds it, else from the vintage file's URL; a
mirror that holds only the catalogue's version is not taken for the new one.
"""

from __future__ import annotations

import http.client
import io
import json
import os
import re
import shutil
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from ._files import pid_alive
from .config import DataPaths
from .errors import ChecksumError, DataError, FetchError, SourceUnavailableError
from .integrity import file_status, sha256_of, verify_file
from .sources import CATALOGUE, Source, catalogue, pinned_by_vintage

# sha256_of, file_status and verify_file live in .integrity; imported from here too.
__all__ = ["FetchResult", "fetch", "file_status", "sha256_of", "verify_file"]

_CHUNK = 1 << 20
_STAGING = ".fetch-staging-"
DOWNLOAD_TIMEOUT = 60  # seconds without a byte before a download is abandoned


@dataclass(frozen=True)
class FetchResult:
    """What the fetch step did with one file.

    Parameters
    ----------
    source : Source
        The catalogue entry.
    action : {"present", "copied", "downloaded", "replaced"}
        ``present``: already there with the right checksum, left alone. ``copied``
        (from the mirror) or ``downloaded``: was missing, or fetched again by ``force``.
        ``replaced``: a corrupt copy (wrong size or sha256) was there and a verified one
        from ``origin`` took its place.
    origin : str
        The mirror file or URL it came from ("" when present).
    """

    source: Source
    action: str
    origin: str = ""


def _mirror_candidate(mirror: Path, source: Source) -> Path | None:
    """Find the file in the mirror: same relative path, or the bare name at its top."""
    for candidate in (mirror / source.path, mirror / source.file_name):
        if candidate.is_file():
            return candidate
    return None


def _download(url: str, dest: Path, opener: Callable = urllib.request.urlopen) -> None:
    """Stream ``url`` to ``dest``; refuse a body shorter than its Content-Length."""
    try:
        with opener(url, timeout=DOWNLOAD_TIMEOUT) as response, open(dest, "wb") as out:
            expected = response.headers.get("Content-Length")
            received = 0
            while chunk := response.read(_CHUNK):
                out.write(chunk)
                received += len(chunk)
    except urllib.error.HTTPError as exc:
        exc.close()  # an HTTPError is an open response: release its socket now
        raise SourceUnavailableError(f"could not download {url}: {exc}") from exc
    except (urllib.error.URLError, http.client.HTTPException, OSError) as exc:
        raise SourceUnavailableError(f"could not download {url}: {exc}") from exc
    if expected is not None and received < int(expected):
        raise SourceUnavailableError(
            f"the download of {url} stopped after {received:,} of {int(expected):,} bytes"
        )


def _derive(kind: str, raw: bytes) -> bytes:
    """Apply a catalogue conversion to a downloaded upstream file."""
    import pandas as pd

    if kind == "ze_labels":  # agg_ze.json: [{"code": "0051", "libelle": "Alençon"}, ...]
        frame = pd.DataFrame(json.loads(raw))
        frame = pd.DataFrame(
            {
                "code_ze": frame["code"].astype(str).str.zfill(4),
                "libelle_ze": frame["libelle"],
                "code_region_prefixe": frame["code"].astype(str).str.zfill(4).str[:2],
            }
        )
        return frame.to_csv(index=False).encode("utf-8")
    frame = pd.read_parquet(io.BytesIO(raw))
    if kind == "urssaf_series_subset":
        frame = frame[frame["echelon"].isin(["reg", "dep", "france"])]
    elif kind != "parquet_to_csv":
        raise ValueError(f"Unknown conversion `{kind}` in the catalogue.")
    return frame.to_csv(index=False).encode("utf-8")


def _stage(source: Source, staging: Path, mirror: Path | None, opener: Callable) -> FetchResult:
    """Put a verified copy of ``source`` in ``staging``; raise a DataError otherwise."""
    staged = staging / source.path
    staged.parent.mkdir(parents=True, exist_ok=True)
    found = _mirror_candidate(mirror, source) if mirror is not None else None
    where = f"is not in the mirror {mirror} and " if mirror is not None else ""
    if found is not None:
        try:
            shutil.copyfile(found, staged)
        except OSError as exc:
            raise SourceUnavailableError(
                f"`{source.path}` could not be read from the mirror ({found}): {exc}."
            ) from exc
        try:
            verify_file(staged, source, origin=f"the mirror ({found})")
            return FetchResult(source, "copied", str(found))
        except ChecksumError:
            if not _is_catalogue_version(staged, source):
                raise
        # The mirror holds the catalogue's version; the vintage file pins a newer one.
        staged.unlink()
        where = (
            f"is in the mirror {mirror} only in the catalogue's version (the vintage file "
            "pins a newer one) and "
        )
    try:
        _download(source.url, staged, opener)
    except SourceUnavailableError as exc:
        raise SourceUnavailableError(
            f"`{source.path}` {where}could not be downloaded ({exc}). Check the network, "
            f"or pass --mirror with a folder that holds the file."
        ) from exc
    if source.derive:
        try:
            staged.write_bytes(_derive(source.derive, staged.read_bytes()))
        except Exception as exc:  # not a parquet file, or not the expected columns
            raise ChecksumError(
                f"`{source.path}` was downloaded from {source.url} but could not be "
                f"converted ({exc}); the download is corrupt or the upstream file changed.",
                path=str(staged),
                expected=source.sha256,
            ) from exc
    verify_file(staged, source, origin=source.url)
    return FetchResult(source, "downloaded", source.url)


def _is_catalogue_version(path: Path, source: Source) -> bool:
    """Whether ``path`` is the catalogue's pin of a file the vintage file pins anew."""
    if not pinned_by_vintage(source):
        return False
    pinned = next(entry for entry in CATALOGUE if entry.id == source.id)
    return path.stat().st_size == pinned.size and sha256_of(path) == pinned.sha256


def _install(staged: list[FetchResult], staging: Path, raw: Path) -> None:
    """Move every staged file into ``raw``; on any failure put back what was there."""
    blocked = [
        raw / r.source.path
        for r in staged
        if (raw / r.source.path).exists() and not (raw / r.source.path).is_file()
    ]
    if blocked:
        raise FetchError(
            [
                DataError(f"`{path}` is in the way (not a regular file); move it and retry.")
                for path in blocked
            ],
            raw,
        )
    backups = staging / ".replaced"
    done: list[tuple[Path, Path | None]] = []  # (installed file, backup of what it replaced)
    try:
        for result in staged:
            dest = raw / result.source.path
            dest.parent.mkdir(parents=True, exist_ok=True)
            backup = None
            if dest.is_file():
                backup = backups / result.source.path
                backup.parent.mkdir(parents=True, exist_ok=True)
                _keep(dest, backup)
            os.replace(staging / result.source.path, dest)  # dest is never missing
            done.append((dest, backup))
    except BaseException as exc:  # OSError, or Ctrl-C: put back what was there
        for installed, backup in reversed(done):
            if backup is not None:
                os.replace(backup, installed)
            else:
                installed.unlink(missing_ok=True)
        if not isinstance(exc, OSError):
            raise
        raise FetchError(
            [DataError(f"could not install the fetched files ({exc}); check the permissions.")],
            raw,
        ) from exc


def _keep(path: Path, backup: Path) -> None:
    """Make ``backup`` a hard link to ``path``, or a copy where links are not allowed.

    A symbolic link is kept as a link, not as the file it points to.
    """
    try:
        os.link(path, backup, follow_symlinks=False)
    except OSError:
        shutil.copy2(path, backup, follow_symlinks=False)


def _remove_dead_staging(raw: Path) -> None:
    """Remove the staging folders left in ``raw`` by fetches whose process is gone.

    A folder is removed only when its name holds a pid (``.fetch-staging-<pid>-XXXX``) and
    that process does not exist; a live pid, or a name without one, is left alone.
    """
    for folder in raw.glob(f"{_STAGING}*"):
        found = re.fullmatch(rf"{re.escape(_STAGING)}(\d+)-.+", folder.name)
        if found and folder.is_dir() and not pid_alive(int(found[1])):
            shutil.rmtree(folder, ignore_errors=True)


def fetch(
    *,
    data_dir: str | os.PathLike | None = None,
    mirror: str | os.PathLike | None = None,
    force: bool = False,
    sources: Iterable[Source] | None = None,
    opener: Callable = urllib.request.urlopen,
    progress: Callable[[FetchResult], None] | None = None,
) -> list[FetchResult]:
    """Fill the raw-data folder with verified copies of the catalogue's files.

    Parameters
    ----------
    data_dir : str or path-like, optional
        Raw-data folder (default: see :class:`analysis.config.DataPaths`).
    mirror : str or path-like, optional
        Folder holding the files (same relative paths, or flat); files missing there
        are downloaded.
    force : bool, default False
        Fetch again files already present with the right checksum.
    sources : iterable of Source, optional
        Which catalogue entries to fetch (default: all, as they apply to ``data_dir``:
        :func:`analysis.catalogue`, the vintage file's pins first).
    opener : callable, optional
        ``urllib.request.urlopen`` or a stand-in with the same signature (tests).
    progress : callable, optional
        Called with each :class:`FetchResult` once every file has been committed.

    Returns
    -------
    list of FetchResult

    Raises
    ------
    FetchError
        If any file could not be obtained or failed its checksum. Every failing file is
        named, and the raw-data folder is left unchanged.

    Examples
    --------
    >>> import analysis as an
    >>> regions = an.get_source("geo_regions")
    >>> an.file_status(regions, an.DataPaths.resolve().raw)
    'present'

    A file already present with the right checksum is left alone: nothing is copied or
    downloaded.

    >>> results = an.fetch(sources=[regions])
    >>> [(result.source.id, result.action) for result in results]
    [('geo_regions', 'present')]

    ``force=True`` fetches every file again, from the mirror when it holds the file and
    otherwise from the publishers' servers; it is not run here, since an example must
    never touch the network:

    >>> an.fetch(mirror="../shared/data", force=True)  # doctest: +SKIP
    """
    raw = DataPaths.resolve(data_dir).raw
    if sources is None:
        sources = catalogue(data_dir)
    mirror_path = Path(mirror).expanduser().resolve() if mirror is not None else None
    if mirror_path is not None and not mirror_path.is_dir():
        raise SourceUnavailableError(
            f"The mirror folder {mirror_path} does not exist; pass an existing folder "
            "to --mirror, or leave it out to download from the catalogue's URLs."
        )
    # The topmost folder this call creates, removed again if the fetch fails.
    created = next((p for p in (*reversed(raw.parents), raw) if not p.exists()), None)
    raw.mkdir(parents=True, exist_ok=True)
    _remove_dead_staging(raw)
    results: list[FetchResult] = []
    todo: list[tuple[Source, str]] = []
    for source in sources:
        status = file_status(source, raw)
        if not force and status == "present":
            results.append(FetchResult(source, "present"))
        else:
            todo.append((source, status))
    staging = Path(tempfile.mkdtemp(prefix=f"{_STAGING}{os.getpid()}-", dir=raw))
    try:
        staged: list[FetchResult] = []
        errors: list[DataError] = []
        for source, status in todo:
            try:
                result = _stage(source, staging, mirror_path, opener)
            except DataError as exc:
                errors.append(exc)
                continue
            if status == "corrupt":
                result = FetchResult(source, "replaced", result.origin)
            staged.append(result)
        if errors:
            raise FetchError(errors, raw)
        _install(staged, staging, raw)
        results.extend(staged)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if created is not None and not any(f.is_file() for f in created.rglob("*")):
            shutil.rmtree(created, ignore_errors=True)
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    order = {source.id: i for i, source in enumerate(CATALOGUE)}
    results.sort(key=lambda r: order.get(r.source.id, len(order)))
    if progress is not None:
        for result in results:
            progress(result)
    return results
