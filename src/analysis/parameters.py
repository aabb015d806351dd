"""Report parameters: region codes, years, the output folder, checked before any work starts.

Light to import (pandas comes with the first check that needs the data), so that a build
with nothing to do never loads it.
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from .config import FRANCE
from .errors import OutputError, ParameterError

if TYPE_CHECKING:
    from .datasets import Datasets

__all__ = [
    "check_departement",
    "check_output",
    "check_parameters",
    "check_region",
    "check_year",
    "normalise_departement",
    "normalise_region",
    "parse_year",
]


def normalise_region(value) -> str:
    """Return a region code as the reports name it: ``"4"`` -> ``"04"``, ``"fr"`` -> ``"FR"``."""
    text = str(value).strip()
    return FRANCE if text.upper() == FRANCE else text.zfill(2)


def normalise_departement(value) -> str:
    """Return a département code as INSEE writes it: ``"1"`` -> ``"01"``, ``"2a"`` -> ``"2A"``."""
    text = str(value).strip().upper()
    return text.zfill(2) if text.isdigit() else text


def parse_year(value) -> int | None:
    """Return ``value`` as a whole number of a year, or None if it is not one."""
    try:
        return int(str(value).strip())
    except ValueError:
        return None


def check_region(ds: Datasets, region) -> str:
    """Return the normalised region code (``"4"`` -> ``"04"``, ``"fr"`` -> ``"FR"``).

    Raises
    ------
    ParameterError
        For an unknown code; the message lists the valid ones.
    """
    from .geo import REGION_CODES

    text = str(region).strip()
    code = normalise_region(text)
    if code not in (*REGION_CODES, FRANCE):
        valid = ", ".join(f"{c} ({ds.names[c]})" for c in REGION_CODES)
        raise ParameterError(
            f"Unknown region `{text}`. Valid codes: {valid}; FR for the France overview. "
            "See `python -m analysis regions`."
        )
    return code


def check_departement(ds: Datasets, code) -> str:
    """Return the normalised département code (``"1"`` -> ``"01"``, ``"2a"`` -> ``"2A"``).

    Raises
    ------
    ParameterError
        For an unknown code; the message lists the valid ones.
    """
    from .territories import departement_codes

    text = str(code).strip()
    value = normalise_departement(text)
    codes = departement_codes(ds)
    if value not in codes:
        raise ParameterError(
            f"Unknown département `{text}`. Valid codes: {', '.join(codes)}. "
            "See `python -m analysis regions --level departement`."
        )
    return value


def check_year(ds: Datasets, year) -> int:
    """Return ``year`` as an int if some source covers it.

    Raises
    ------
    ParameterError
        For a year no source covers; the message lists the years available.
    """
    from .indicators import report_years

    years = report_years(ds)
    value = parse_year(year)
    if value not in years:
        raise ParameterError(
            f"No data for year `{year}`. Years available: {', '.join(map(str, years))}. "
            "See `python -m analysis years`."
        )
    return value


def check_parameters(ds: Datasets, region, year) -> tuple[str, int]:
    """Check a region and a year together; see :func:`check_region` and :func:`check_year`."""
    return check_region(ds, region), check_year(ds, year)


def check_output(out: str | os.PathLike) -> Path:
    """Check that reports can be written into ``out``; return it as an absolute path.

    Nothing is left behind: the folder is not created here (the build creates it), and
    the write probe is a temporary file removed at once.

    Raises
    ------
    ParameterError
        When ``out`` is an existing file, or one of its parents is (exit code 2).
    OutputError
        When the folder, or the nearest existing parent it would be created in, cannot be
        written: permissions, a read-only file system, a pseudo-file system (exit code 8).
    """
    folder = Path(out).expanduser().absolute()
    if folder.exists() and not folder.is_dir():
        raise ParameterError(
            f"--out {folder} is an existing file, not a folder. Choose a folder (it is "
            "created if needed), for example --out reports."
        )
    existing = next(p for p in (folder, *folder.parents) if p.exists())
    if not existing.is_dir():
        raise ParameterError(
            f"--out {folder} cannot be created: {existing} is a file, not a folder. "
            "Choose another place for the reports."
        )
    try:
        fd, probe = tempfile.mkstemp(prefix=".write-probe.", dir=existing)
    except OSError as exc:
        reason = {
            errno.EROFS: "the file system is read-only",
            errno.EACCES: "permission denied",
            errno.EPERM: "permission denied",
            errno.ENOSPC: "the disk is full",
        }.get(exc.errno, exc.strerror or str(exc))
        where = "" if existing == folder else f" (it would be created in {existing})"
        raise OutputError(
            f"--out {folder} cannot be written{where}: {reason}. Choose a folder you can "
            "write to, or fix its permissions."
        ) from exc
    os.close(fd)
    os.unlink(probe)
    return folder
