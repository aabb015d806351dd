"""Open a catalogue file only after checking it, and cache what its parser makes of it.

A parsed table is stored as parquet in the cache folder under a name that holds the raw
file's sha256 and the parser's version, so a new raw file or a changed parser can never
be served a stale table; the cache file is written to a temporary name, then renamed.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from ._files import atomic_write
from .config import DataPaths, fetch_hint
from .errors import DataNotFetchedError
from .integrity import verify_file
from .sources import Source, get_source


def raw_file(source_id: str, data_dir: str | os.PathLike | None = None) -> Path:
    """Return the path of a verified catalogue file in the raw-data folder.

    The file is checked against the entry that applies to that folder: the vintage file's
    (``vintages.json`` beside it) when it records a newer version, else the catalogue's.

    Raises
    ------
    DataNotFetchedError
        If the file is not there.
    ChecksumError
        If it is there but differs from that entry (edited, truncated, other version).
    """
    return _verified(get_source(source_id, data_dir), data_dir)


def _verified(source: Source, data_dir: str | os.PathLike | None) -> Path:
    """Return the path of ``source``'s file in the raw-data folder, once verified."""
    path = DataPaths.resolve(data_dir).raw / source.path
    if not path.is_file():
        raise DataNotFetchedError(
            f"`{source.path}` ({source.title}) is not in {path.parent}. "
            f"Run {fetch_hint(data_dir)} to fetch the verified files."
        )
    verify_file(path, source, origin=f"the raw-data folder ({path})")
    return path


def load_cached(
    source_id: str,
    parse: Callable[[Path], pd.DataFrame],
    *,
    version: int,
    data_dir: str | os.PathLike | None = None,
    cache: bool = True,
    variant: str = "",
) -> pd.DataFrame:
    """Parse a verified catalogue file, or read the parquet its last parse left.

    Parameters
    ----------
    source_id : str
        Catalogue identifier of the raw file (checked against the vintage file's entry
        when it has one; the cache is keyed on the sha256 of the file actually read).
    parse : callable
        ``parse(path) -> DataFrame``: reads, checks and tidies the raw file.
    version : int
        Version of ``parse``; bump it whenever its output changes.
    data_dir : str or path-like, optional
        Raw-data folder.
    cache : bool, default True
        Read and write the parquet cache; ``False`` always parses.
    variant : str, optional
        Name of the table when one file gives several (``"departement"``), so that
        each has its own cache file.

    Returns
    -------
    pandas.DataFrame
    """
    source = get_source(source_id, data_dir)
    path = _verified(source, data_dir)
    if not cache:
        return parse(path)
    paths = DataPaths.resolve(data_dir)
    sha = source.sha256
    name = f"{source_id}-{variant}" if variant else source_id
    target = paths.cache / f"{name}-{sha[:16]}-p{version}.parquet"
    if target.is_file():
        try:
            return pd.read_parquet(target)
        except (OSError, ValueError):  # a damaged cache file is rebuilt, never trusted
            pass
    frame = parse(path)
    _write_atomic(frame, target)
    return frame


def _write_atomic(frame: pd.DataFrame, target: Path) -> None:
    """Write ``frame`` as parquet beside ``target``, then rename it.

    A read-only cache folder only costs speed, so its errors are ignored.
    """
    try:
        atomic_write(target, lambda tmp: frame.to_parquet(tmp, index=False))
    except OSError:
        pass
