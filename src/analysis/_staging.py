"""Stage, verify and install the new files of ``updates --apply`` (:mod:`analysis.updates`).

A new file is downloaded into the staging folder, checked against the checksum its
publisher announces, converted like the fetch step's download (``derive``), then parsed by
every loader function that reads it (:data:`PARSERS`). Installing keeps each replaced file
under ``data/raw/.previous/<first 16 digits of its sha256>/``, moves the new ones in with
the fetch step's all-or-nothing install, then writes the vintage file; if that write
fails, the kept files are put back.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from ._vintages import Vintage, write_vintages
from .config import DataPaths
from .errors import (
    ChecksumError,
    DataError,
    FetchError,
    SchemaValidationError,
    SourceUnavailableError,
)
from .fetch import FetchResult, _derive, _download, _keep
from .fetch import _install as _install_files
from .integrity import sha256_of
from .sources import Source

if TYPE_CHECKING:
    from .updates import Applied, Update

#: Folder of ``data/raw`` where each replaced file is kept, under its sha256's first 16 digits.
PREVIOUS = ".previous"

#: The parse functions of the loaders, by the source each reads (``module:function``, as
#: each loader passes them to ``load_cached``): a new file is installed only if all accept it.
PARSERS: dict[str, tuple[str, ...]] = {
    "insee_ete_a17": ("loaders.employment:_parse_ete",),
    "insee_a17_labels": ("loaders.employment:_parse_a17",),
    "urssaf_ze_a38": ("loaders.employment:_parse_urssaf_zones",),
    "urssaf_region_series": (
        "loaders.employment:_parse_urssaf_series",
        "loaders.employment:_parse_urssaf_departement_series",
    ),
    "etalab_apprenticeship_regional": ("loaders.apprenticeship:_parse_etalab_regional",),
    "etalab_apprenticeship_national": ("loaders.apprenticeship:_parse_etalab_national",),
    "ditp_ind313": (
        "loaders.apprenticeship:_parse_ditp",
        "loaders.apprenticeship:_parse_ditp_departements",
    ),
    "bmo_2025": ("loaders.recruitment:_parse_bmo",),
    "geo_regions": ("geo:_parse_regions",),
    "geo_departements": ("geo:_parse_departements",),
    "geo_region_shapes": ("geo:_parse_region_shapes",),
    "urssaf_ze_labels": ("geo:_parse_zone_labels",),
    "geo_departement_shapes": ("geo:_parse_departement_shapes",),
}


def parsers_for(source_id: str) -> list[Callable]:
    """Return the parse functions of the loaders that read ``source_id`` (:data:`PARSERS`).

    Parameters
    ----------
    source_id : str
        A catalogue id.

    Returns
    -------
    list of callable
        ``parse(path) -> DataFrame``, as each loader passes it to ``load_cached``; empty for
        an id no loader reads.

    Examples
    --------
    >>> import analysis as an
    >>> from analysis.updates import parsers_for
    >>> [parse.__name__ for parse in parsers_for("ditp_ind313")]
    ['_parse_ditp', '_parse_ditp_departements']
    >>> source = an.get_source("geo_regions")
    >>> (parse,) = parsers_for(source.id)
    >>> len(parse(an.DataPaths.resolve().raw / source.path))
    18
    """
    functions = []
    for spec in PARSERS.get(source_id, ()):
        module, _, name = spec.partition(":")
        functions.append(getattr(importlib.import_module(f".{module}", __package__), name))
    return functions


def refused(update: Update, what: str) -> SchemaValidationError:
    source = update.source
    return SchemaValidationError(
        f"`{source.id}` ({source.path}): the new version from {update.url} is refused: "
        f"{what}. Nothing was installed: the loaders keep reading the file in use until "
        "the package learns the new layout.",
        source=source.path,
    )


def stage(update: Update, staging: Path, opener: Callable) -> tuple[str, Source]:
    """Download, check, convert and parse one new file in ``staging``.

    Return ``("installed", entry)``, or ``("unchanged", entry)`` when the download is the
    file in use byte for byte; ``entry`` has the new URL, size, sha256 and version.
    """
    source = update.source
    staged = staging / source.path
    staged.parent.mkdir(parents=True, exist_ok=True)
    try:
        _download(update.url, staged, opener)
    except SourceUnavailableError as exc:
        raise SourceUnavailableError(
            f"`{source.id}` ({source.path}): the new version could not be downloaded ({exc})."
        ) from exc
    if update.checksum is not None:
        algorithm, announced = update.checksum
        digest = hashlib.new(algorithm)
        with open(staged, "rb") as fh:
            while chunk := fh.read(1 << 20):
                digest.update(chunk)
        if digest.hexdigest() != announced:
            raise ChecksumError(
                f"`{source.id}` ({source.path}): the file downloaded from {update.url} has "
                f"{algorithm} {digest.hexdigest()[:16]}..., but {update.publisher} announces "
                f"{announced[:16]}...: the download is corrupt or the file changed meanwhile. "
                "Nothing was installed; try again later.",
                path=str(staged),
                expected=announced,
                actual=digest.hexdigest(),
            )
    if source.derive:
        try:
            staged.write_bytes(_derive(source.derive, staged.read_bytes()))
        except Exception as exc:  # not parquet or JSON any more, or other columns
            raise refused(update, f"it cannot be converted ({type(exc).__name__}: {exc})") from exc
    new = replace(
        source,
        url=update.url,
        size=staged.stat().st_size,
        sha256=sha256_of(staged),
        version=update.latest or None,
    )
    if (new.size, new.sha256) == (source.size, source.sha256):
        return "unchanged", new
    parsers = parsers_for(source.id)
    if not parsers:
        raise refused(update, "no loader of the package reads it, so it cannot be verified")
    for parse in parsers:
        try:
            parse(staged)
        except Exception as exc:  # SchemaValidationError, or anything the reader raised
            raise refused(update, f"its loader cannot read it ({exc})") from exc
    return "installed", new


def install(staged: list[Applied], staging: Path, data_dir, folder: tuple) -> list[Applied]:
    """Keep the old files, move the new ones in, then write the vintage file."""
    raw = DataPaths.resolve(data_dir).raw
    done, kept = [], []  # kept: the copies this call made under .previous/
    for applied in staged:
        if applied.action == "installed":
            applied, created = _keep_previous(applied, raw)
            kept += [applied.previous] if created else []
        done.append(applied)
    moved = [a for a in done if a.action == "installed"]
    results = [FetchResult(a.source, "downloaded", a.source.url) for a in moved]
    try:
        _install_files(results, staging, raw)  # all or nothing: raises with data/raw as it was
    except BaseException:
        _forget(kept, raw)
        raise
    retrieved = dt.date.today().isoformat()
    entries = {
        a.source.id: Vintage(
            url=a.source.url,
            size=a.source.size,
            sha256=a.source.sha256,
            version=a.update.latest,
            published=a.update.published,
            retrieved=retrieved,
        )
        for a in done
    }
    try:
        write_vintages(data_dir, entries)
    except BaseException as exc:
        _put_back(moved, raw)
        _forget(kept, raw)
        if not isinstance(exc, OSError):
            raise
        path = DataPaths.resolve(data_dir).vintages
        raise FetchError(
            [DataError(f"the vintage file {path} could not be written ({exc}).")],
            folder,
            what="updated",
        ) from exc
    return done


def _keep_previous(applied: Applied, raw: Path) -> tuple[Applied, bool]:
    """Hard-link (or copy) the file about to be replaced under ``.previous/<sha256>/``.

    Return ``applied`` with its ``previous``, and whether this call made that copy.
    """
    current = raw / applied.source.path
    if not current.is_file():
        return applied, False
    keep = raw / PREVIOUS / sha256_of(current)[:16] / applied.source.path
    created = not keep.is_file()
    if created:
        keep.parent.mkdir(parents=True, exist_ok=True)
        _keep(current, keep)
    return replace(applied, previous=keep), created


def _forget(kept: list[Path], raw: Path) -> None:
    """Remove the copies of an install that did not happen, and the folders left empty."""
    for path in kept:
        path.unlink(missing_ok=True)
        for folder in path.parents:
            if folder == raw:
                break
            try:
                folder.rmdir()
            except OSError:  # not empty
                break


def _put_back(moved: list[Applied], raw: Path) -> None:
    """Put the kept files back in place of the new ones (the vintage file was not written)."""
    for applied in moved:
        dest = raw / applied.source.path
        if applied.previous is None:
            dest.unlink(missing_ok=True)
            continue
        tmp = dest.with_name(f".{dest.name}.{os.getpid()}.restore")
        _keep(applied.previous, tmp)
        os.replace(tmp, dest)
