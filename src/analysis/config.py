"""Where the data live: frozen, explicit paths, resolved without I/O at import.

The raw-data folder is, in order of precedence: the ``data_dir`` argument, the
``ANALYSIS_DATA_DIR`` environment variable, then ``data/raw`` in the nearest folder at or
above the working directory that holds a ``pyproject.toml`` (the project checkout), so that
notebooks run from ``notebooks/`` and scripts run from the top level read the same files.
The cache folder defaults to ``data/processed`` beside it (``ANALYSIS_CACHE_DIR`` overrides),
and the vintage file, which pins newer versions of the catalogue's files
(``python -m analysis updates --apply``), is ``data/vintages.json``, also beside it.
"""

from __future__ import annotations

import datetime as dt
import os
import shlex
from dataclasses import dataclass
from pathlib import Path

DATA_DIR_ENV = "ANALYSIS_DATA_DIR"
CACHE_DIR_ENV = "ANALYSIS_CACHE_DIR"
EDITION_DATE_ENV = "ANALYSIS_EDITION_DATE"
#: Name of the vintage file, beside the raw-data folder (``data/vintages.json``).
VINTAGES_FILE = "vintages.json"
#: Code of the France overview, beside the region codes.
FRANCE = "FR"


def _project_root(start: Path) -> Path:
    """Nearest folder at or above ``start`` holding a pyproject.toml, else ``start``."""
    for folder in (start, *start.parents):
        if (folder / "pyproject.toml").is_file():
            return folder
    return start


@dataclass(frozen=True)
class DataPaths:
    """The raw-data and cache folders used by the fetch step and the loaders.

    Parameters
    ----------
    raw : pathlib.Path
        Folder of the verified original files (``data/raw``).
    cache : pathlib.Path
        Folder of the parsed tables cached as parquet (``data/processed``).
    """

    raw: Path
    cache: Path

    @classmethod
    def resolve(cls, data_dir: str | os.PathLike | None = None) -> DataPaths:
        """Build the paths from an explicit folder, the environment, or the checkout.

        Parameters
        ----------
        data_dir : str or path-like, optional
            Raw-data folder; when omitted, ``$ANALYSIS_DATA_DIR`` or ``<project>/data/raw``.

        Returns
        -------
        DataPaths
        """
        if data_dir is None:
            data_dir = os.environ.get(DATA_DIR_ENV) or (_project_root(Path.cwd()) / "data" / "raw")
        raw = Path(data_dir).expanduser().resolve()
        cache_env = os.environ.get(CACHE_DIR_ENV)
        cache = Path(cache_env).expanduser().resolve() if cache_env else raw.parent / "processed"
        return cls(raw=raw, cache=cache)

    @property
    def vintages(self) -> Path:
        """The vintage file beside the raw-data folder (``data/vintages.json``).

        It records the newer versions of catalogue files installed by ``python -m analysis
        updates --apply``; they take precedence over the catalogue's pins. The user commits it.
        """
        return self.raw.parent / VINTAGES_FILE


def fetch_hint(data_dir: str | os.PathLike | None = None) -> str:
    """Return the command that fills the raw-data folder that ``data_dir`` designates.

    ``make data`` only fills the checkout's own ``data/raw``, so it is advised only when no
    folder was chosen (no ``data_dir``, no ``$ANALYSIS_DATA_DIR``) and a Makefile sits at
    the top of the checkout; otherwise the ``fetch`` command names the folder.

    Parameters
    ----------
    data_dir : str or path-like, optional
        The raw-data folder the caller was given, as passed to :meth:`DataPaths.resolve`.

    Returns
    -------
    str
        A command in backquotes, for a sentence such as ``f"Run {fetch_hint(d)}."``.
    """
    chosen = data_dir is not None or os.environ.get(DATA_DIR_ENV)
    if not chosen and (_project_root(Path.cwd()) / "Makefile").is_file():
        return "`make data`"
    raw = DataPaths.resolve(data_dir).raw
    return f"`python -m analysis fetch --data-dir {shlex.quote(str(raw))} [--mirror DIR]`"


def edition_date() -> dt.date:
    """Return the date printed in a report ("Rapport produit le").

    In order: ``$ANALYSIS_EDITION_DATE`` (``YYYY-MM-DD``, set by ``build --date``), then
    ``$SOURCE_DATE_EPOCH`` (the reproducible-builds convention, seconds since 1970, UTC),
    then today. Rebuilding an old edition with its date reproduces it byte for byte.

    Raises
    ------
    ParameterError
        When a variable holds no valid date.
    """
    from .errors import ParameterError

    text = os.environ.get(EDITION_DATE_ENV)
    if text:
        try:
            return dt.date.fromisoformat(text.strip())
        except ValueError:
            raise ParameterError(
                f"{EDITION_DATE_ENV}={text!r} is not a date: use YYYY-MM-DD."
            ) from None
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
        except (ValueError, OverflowError, OSError):
            raise ParameterError(
                f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds since 1970."
            ) from None
    return dt.date.today()
