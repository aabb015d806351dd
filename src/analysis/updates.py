"""Ask the publishers for newer versions of the catalogue's files, and install them.

:func:`check` asks each file's publisher through its documented metadata interface
(GitHub's API for the files taken from a repository, data.gouv.fr's and open.urssaf.fr's
APIs, the HTTP headers of any other URL; see :func:`watch_for`) whether a version newer
than the one in use exists. Nothing is downloaded.

:func:`apply` downloads each new file into a staging folder inside ``data/raw``, checks it
against the checksum its publisher announces (data.gouv.fr), converts it as the fetch step
does (``derive``), and parses it with the loader that reads it: a file that no longer
parses is refused, and then nothing at all is installed. When every new file has passed,
they replace the old ones, which are kept under ``data/raw/.previous/<sha256>/``, and the
vintage file (``data/vintages.json``) records each new version: its URL, size, sha256, the
publisher's version and dates. From then on the fetch step, the loaders and the reports
expect the new file (:func:`analysis.catalogue`). The user commits the vintage file.

``python -m analysis updates [--apply]`` exits 0 when nothing is new, and
:data:`analysis.errors.NEW_DATA` (10) when a new file is available (installed, with
``--apply``).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import urllib.request
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ._publishers import Session, Unknown, Watch, ask, watch_for
from ._staging import PARSERS, PREVIOUS, install, parsers_for, stage
from ._vintages import Vintage, read_vintages
from .config import DataPaths
from .errors import (
    NEW_DATA,
    DataError,
    FetchError,
    ParameterError,
    SourceUnavailableError,
)
from .fetch import _STAGING, _remove_dead_staging
from .sources import CATALOGUE, Source, catalogue, get_source

__all__ = [
    "NEW_DATA",
    "PARSERS",
    "PREVIOUS",
    "Applied",
    "Update",
    "Vintage",
    "Watch",
    "apply",
    "check",
    "parsers_for",
    "read_vintages",
    "watch_for",
]


@dataclass(frozen=True)
class Update:
    """What a publisher says about one file.

    Parameters
    ----------
    source : Source
        The entry in use (the vintage file's pin, else the catalogue's).
    status : {"up to date", "new", "unknown"}
        ``unknown``: the publisher could not be asked or could not say (``reason``).
    publisher : str
        The interface asked, e.g. ``"GitHub DITP-pilotage/barometre-resultats"``.
    current, latest : str
        The publisher's name of the version in use and of its latest one (a commit, a
        checksum ``sha1:...``, a date, an ETag); ``current`` is ``""`` when none is recorded.
    url : str
        Where the latest version is downloaded from.
    published : str
        When the publisher made the latest version available (ISO 8601, or ``""``).
    reason : str
        Why the status is ``unknown``; for a new file, what else is worth knowing.
    checksum : tuple of str, optional
        ``(algorithm, hex digest)`` the publisher announces for the download.
    """

    source: Source
    status: str
    publisher: str = ""
    current: str = ""
    latest: str = ""
    url: str = ""
    published: str = ""
    reason: str = ""
    checksum: tuple[str, str] | None = None

    def describe(self) -> str:
        """Say it in one line (without the source id): interface, versions, date, reason.

        Examples
        --------
        >>> import analysis as an
        >>> from analysis.updates import Update
        >>> source = an.get_source("ditp_ind313")
        >>> update = Update(source, "new", "GitHub DITP-pilotage/barometre-resultats",
        ...                 current=40 * "a", latest=40 * "b", published="2025-03-04T10:00:00Z")
        >>> print(update.describe())
        GitHub DITP-pilotage/barometre-resultats: aaaaaaaaaaaa -> bbbbbbbbbbbb, published 2025-03-04
        >>> print(Update(source, "unknown", reason="GitHub could not be reached").describe())
        GitHub could not be reached
        """
        when = f", published {self.published[:10]}" if self.published else ""
        if self.status == "unknown":
            return self.reason
        if self.status == "up to date":
            return f"{self.publisher} {_short(self.current)}{when}"
        current = _short(self.current) or "(no version recorded)"
        reason = f" ({self.reason})" if self.reason else ""
        return f"{self.publisher}: {current} -> {_short(self.latest)}{when}{reason}"


@dataclass(frozen=True)
class Applied:
    """What :func:`apply` did with one new file.

    Parameters
    ----------
    update : Update
        What the publisher said.
    action : {"installed", "unchanged"}
        ``installed``: the new file replaced the old one. ``unchanged``: the download is
        the file already in use, byte for byte; only its version was recorded.
    source : Source
        The entry that now applies (new URL, size, sha256, version).
    previous : pathlib.Path or None
        Where the replaced file is kept (``data/raw/.previous/<sha256>/<path>``).
    """

    update: Update
    action: str
    source: Source
    previous: Path | None = None


def _short(version: str) -> str:
    """Cut a commit or checksum to 12 hex digits; leave anything else as is."""
    kind, _, digest = version.rpartition(":")
    if len(digest) >= 32 and all(c in "0123456789abcdef" for c in digest):
        return f"{kind}:{digest[:12]}" if kind else digest[:12]
    return version


def _select(sources: Iterable[Source | str] | None, data_dir) -> list[Source]:
    """Return the entries to check: all, or those given (ids resolved for ``data_dir``)."""
    if sources is None:
        return list(catalogue(data_dir))
    chosen = []
    for source in sources:
        if isinstance(source, str):
            try:
                source = get_source(source, data_dir)
            except KeyError:
                known = ", ".join(entry.id for entry in CATALOGUE)
                raise ParameterError(f"No source `{source}`; known sources: {known}.") from None
        chosen.append(source)
    return chosen


def check(
    data_dir: str | os.PathLike | None = None,
    *,
    sources: Iterable[Source | str] | None = None,
    opener: Callable = urllib.request.urlopen,
) -> list[Update]:
    """Ask each file's publisher whether a newer version exists; download nothing.

    Parameters
    ----------
    data_dir : str or path-like, optional
        Raw-data folder; its vintage file says which version of each file is in use.
    sources : iterable of Source or str, optional
        The files to check, as entries or ids (default: the whole catalogue).
    opener : callable, optional
        ``urllib.request.urlopen`` or a stand-in with the same signature.

    Returns
    -------
    list of Update
        One per file, in the order given. A publisher that cannot be reached or that
        refuses (GitHub's rate limit) gives ``status == "unknown"`` and its ``reason``.

    Raises
    ------
    ParameterError
        If a source id is not in the catalogue, or the vintage file is not valid.

    Examples
    --------
    Each file's publisher is asked over the network, so this is not run here:

    >>> from analysis import updates
    >>> for update in updates.check():  # doctest: +SKIP
    ...     print(update.source.id, update.status, update.describe())
    insee_ete_a17 up to date GitHub RemiDumas/ASR-emploi bb3ffc11bc67, published ...
    ...

    The interface asked for each file follows from its URL:

    >>> import analysis as an
    >>> [updates.watch_for(source).kind for source in an.CATALOGUE][:3]
    ['github', 'github', 'github']
    """
    session = Session(opener)
    raw = DataPaths.resolve(data_dir).raw
    return [_check_one(source, session, raw) for source in _select(sources, data_dir)]


def _check_one(source: Source, session: Session, raw: Path) -> Update:
    try:
        watch = watch_for(source)
    except ParameterError as exc:
        return Update(source, "unknown", reason=str(exc))
    try:
        answer = ask(watch, source, session, raw)
    except Unknown as exc:
        current = watch.ref if watch.kind == "github" else source.version or ""
        return Update(source, "unknown", watch.describe(), current, reason=str(exc))
    return Update(
        source,
        answer.status,
        watch.describe(),
        answer.current,
        answer.latest,
        answer.url,
        answer.published,
        answer.reason,
        answer.checksum,
    )


def apply(
    data_dir: str | os.PathLike | None = None,
    *,
    sources: Iterable[Source | str] | None = None,
    opener: Callable = urllib.request.urlopen,
    updates: Sequence[Update] | None = None,
) -> list[Applied]:
    """Download, verify and install every new file, and record it in the vintage file.

    All or nothing: every new file is downloaded into a staging folder inside the
    raw-data folder, checked against the checksum its publisher announces, converted as
    the fetch step would (``derive``), and parsed by the loaders that read it. Only when
    all have passed do they replace the files in use (each replaced file is kept under
    ``data/raw/.previous/<first 16 digits of its sha256>/``), and the vintage file
    (``vintages.json`` beside the raw-data folder) records their URL, size, sha256,
    version, publication date and today's date.

    Parameters
    ----------
    data_dir : str or path-like, optional
        Raw-data folder.
    sources : iterable of Source or str, optional
        The files to check and update (default: the whole catalogue).
    opener : callable, optional
        ``urllib.request.urlopen`` or a stand-in with the same signature.
    updates : sequence of Update, optional
        The answers of an earlier :func:`check`, not to ask twice.

    Returns
    -------
    list of Applied
        One per new file (none when everything is up to date).

    Raises
    ------
    FetchError
        Nothing was installed and the vintage file is unchanged. Its ``errors`` name each
        file at fault, and its exit code is the first one's: 4 when a publisher could not
        be asked or a download failed (:class:`SourceUnavailableError`), 3 when a download
        is not the file its publisher announced (:class:`ChecksumError`), 6 when a new file
        no longer parses (:class:`SchemaValidationError`), 1 when the files could not be
        moved in or the vintage file written (the old files are then put back).

    Examples
    --------
    Over the network, so not run here; ``errors.NEW_DATA`` is the exit code of
    ``python -m analysis updates --apply`` when it installed something:

    >>> from analysis import updates
    >>> for done in updates.apply():  # doctest: +SKIP
    ...     print(done.action, done.source.id, done.source.url)
    installed ditp_ind313 https://raw.githubusercontent.com/DITP-pilotage/...
    >>> updates.NEW_DATA
    10
    """
    paths = DataPaths.resolve(data_dir)
    if updates is None:
        updates = check(data_dir, sources=sources, opener=opener)
    folder = (paths.raw, paths.vintages)
    unknown = [u for u in updates if u.status == "unknown"]
    if unknown:
        errors = [
            SourceUnavailableError(f"`{u.source.id}` could not be checked: {u.reason}.")
            for u in unknown
        ]
        raise FetchError(errors, folder, what="updated")
    new = [u for u in updates if u.status == "new"]
    if not new:
        return []
    raw = paths.raw
    raw.mkdir(parents=True, exist_ok=True)
    _remove_dead_staging(raw)
    staging = Path(tempfile.mkdtemp(prefix=f"{_STAGING}{os.getpid()}-", dir=raw))
    try:
        staged: list[Applied] = []
        errors = []
        for update in new:
            try:
                action, entry = stage(update, staging, opener)
            except DataError as exc:
                errors.append(exc)
                continue
            staged.append(Applied(update, action, entry))
        if errors:
            raise FetchError(errors, folder, what="updated")
        return install(staged, staging, data_dir, folder)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
