"""The vintage file: the newer versions of catalogue files that take precedence over its pins.

``python -m analysis updates --apply`` records there each file it installed, so that the
checks of the fetch step and the loaders expect the new file, not the catalogue's::

    {
      "format": 1,
      "sources": {
        "ditp_ind313": {
          "published": "2025-03-04T10:00:00+00:00",
          "retrieved": "2026-11-23",
          "sha256": "0c1d...",
          "size": 135061,
          "url": "https://raw.githubusercontent.com/DITP-pilotage/barometre-resultats/<commit>/data/ind-313.csv",
          "version": "<commit>"
        }
      }
    }

It lives beside the raw-data folder (``data/vintages.json``, :attr:`DataPaths.vintages`),
is written atomically with sorted keys and a trailing newline, and is committed by the
user: a checkout then reads the same files as the one that installed them. Standard
library only, like :mod:`analysis.sources`, which reads it.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path

from .config import DataPaths

#: Version of the file's layout, written as its ``format``.
FORMAT = 1
_SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class Vintage:
    """One file's entry in the vintage file.

    Parameters
    ----------
    url : str
        Where the recorded version was downloaded from.
    size : int
        Size in bytes of the file as stored in ``data/raw``.
    sha256 : str
        Hex digest of the file as stored in ``data/raw``.
    version : str
        The publisher's name for that version: a commit, a checksum (``sha1:...``), an
        Opendatasoft ``modified`` date, an ETag or a Last-Modified date.
    published : str
        When the publisher made it available (ISO 8601; ``""`` when not said).
    retrieved : str
        Date of the ``updates --apply`` that installed it (``YYYY-MM-DD``).
    """

    url: str
    size: int
    sha256: str
    version: str
    published: str
    retrieved: str


def _error(path: Path, what: str):
    from .errors import ParameterError

    return ParameterError(
        f"The vintage file {path} is not valid: {what}. Restore it from version control "
        "(it is committed with the project), or remove the faulty entry to go back to the "
        "catalogue's version of that file."
    )


def read_vintages(data_dir: str | os.PathLike | None = None) -> dict[str, Vintage]:
    """Return the entries of the vintage file of ``data_dir``, by source id (``{}`` if none).

    Parameters
    ----------
    data_dir : str or path-like, optional
        Raw-data folder; the vintage file is ``vintages.json`` beside it.

    Returns
    -------
    dict of str to Vintage

    Raises
    ------
    ParameterError
        If the file exists but is not a vintage file (not JSON, unknown format, an entry
        without its url, size or sha256).

    Examples
    --------
    >>> import json, pathlib, shutil, tempfile
    >>> from analysis.updates import read_vintages
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> read_vintages(folder / "raw")  # no vintage file: every file as the catalogue pins it
    {}
    >>> entry = {"url": "https://example.org/ind-313.csv", "size": 135061,
    ...          "sha256": 64 * "0", "version": "5d0f", "published": "2025-03-04",
    ...          "retrieved": "2025-03-05"}
    >>> text = json.dumps({"format": 1, "sources": {"ditp_ind313": entry}})
    >>> _ = (folder / "vintages.json").write_text(text)
    >>> read_vintages(folder / "raw")["ditp_ind313"].version
    '5d0f'
    >>> shutil.rmtree(folder)
    """
    path = DataPaths.resolve(data_dir).vintages
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise _error(path, f"it cannot be read ({exc})") from exc
    try:
        document = json.loads(text)
    except ValueError as exc:
        raise _error(path, f"it is not JSON ({exc})") from exc
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise _error(path, f'it has no `"format": {FORMAT}`')
    entries = document.get("sources", {})
    if not isinstance(entries, dict):
        raise _error(path, "`sources` is not an object")
    vintages = {}
    for source_id, entry in entries.items():
        if not isinstance(entry, dict):
            raise _error(path, f"the entry `{source_id}` is not an object")
        try:
            vintage = Vintage(
                url=str(entry["url"]),
                size=entry["size"],
                sha256=str(entry["sha256"]),
                version=str(entry.get("version", "")),
                published=str(entry.get("published", "")),
                retrieved=str(entry.get("retrieved", "")),
            )
        except KeyError as exc:
            raise _error(path, f"the entry `{source_id}` has no {exc}") from None
        if type(vintage.size) is not int or vintage.size < 0:
            raise _error(path, f"the size of `{source_id}` is not a number of bytes")
        if not _SHA256.fullmatch(vintage.sha256):
            raise _error(path, f"the sha256 of `{source_id}` is not 64 hex digits")
        vintages[source_id] = vintage
    return vintages


def write_vintages(data_dir: str | os.PathLike | None, entries: Mapping[str, Vintage]) -> Path:
    """Record ``entries`` in the vintage file (other entries kept); return its path.

    Written atomically: a reader sees the old file or the new one, never half of it.
    """
    from ._files import atomic_write_text

    path = DataPaths.resolve(data_dir).vintages
    merged = {**read_vintages(data_dir), **entries}
    document = {
        "format": FORMAT,
        "sources": {key: asdict(value) for key, value in sorted(merged.items())},
    }
    text = json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    return atomic_write_text(path, text)
