"""Is a file the catalogue's file? Size and sha256, checked the same way everywhere.

The fetch step checks what it stages and the loaders check what they read with these
helpers; they import nothing else from the package but the catalogue's types and errors.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from .errors import ChecksumError
from .sources import Source, pinned_by_vintage

__all__ = ["file_status", "sha256_of", "verify_file"]

_CHUNK = 1 << 20


def sha256_of(path: str | os.PathLike) -> str:
    """Return the hex sha256 digest of a file, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def file_status(source: Source, raw_dir: str | os.PathLike) -> str:
    """Return ``"present"``, ``"missing"`` or ``"corrupt"`` for a file of ``raw_dir``.

    Parameters
    ----------
    source : Source
        The catalogue entry as it applies to ``raw_dir`` (:func:`analysis.get_source` with
        its ``data_dir``, or :func:`analysis.catalogue`: the vintage file's pin first).
    raw_dir : str or path-like
        The raw-data folder (:attr:`analysis.DataPaths.raw`).

    Returns
    -------
    str
        ``"present"`` when the file has the catalogue's size and sha256, ``"missing"``
        when there is no file, ``"corrupt"`` otherwise (truncated, or another version).

    Examples
    --------
    >>> import analysis as an
    >>> raw = an.DataPaths.resolve().raw
    >>> an.file_status(an.get_source("insee_ete_a17"), raw)
    'present'
    >>> sorted({an.file_status(source, raw) for source in an.catalogue()})
    ['present']
    >>> an.file_status(an.get_source("insee_ete_a17"), raw / "no-such-folder")
    'missing'
    """
    path = Path(raw_dir) / source.path
    if not path.is_file():
        return "missing"
    if path.stat().st_size != source.size or sha256_of(path) != source.sha256:
        return "corrupt"
    return "present"


def verify_file(path: str | os.PathLike, source: Source, *, origin: str = "") -> None:
    """Check a file's size and sha256 against the catalogue.

    Parameters
    ----------
    path : str or path-like
        The file to check.
    source : Source
        Its catalogue entry.
    origin : str, optional
        Where the file came from, named in the message.

    Raises
    ------
    ChecksumError
        If the size or the digest differs.
    """
    size = Path(path).stat().st_size
    actual = sha256_of(path)
    if size == source.size and actual == source.sha256:
        return
    where = origin or str(path)
    kind = (
        "truncated or a different version"
        if size < source.size
        else "corrupt or a different version"
    )
    expecting = "the vintage file" if pinned_by_vintage(source) else "the catalogue"
    raise ChecksumError(
        f"`{source.path}` from {where} has {size:,} bytes and sha256 {actual[:16]}..., "
        f"but {expecting} expects {source.size:,} bytes and sha256 {source.sha256[:16]}... "
        f"The copy is {kind}: replace it (or run `python -m analysis fetch` without --mirror "
        f"to download it from {source.url}).",
        path=str(path),
        expected=source.sha256,
        actual=actual,
    )
