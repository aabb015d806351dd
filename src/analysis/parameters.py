"""Report parameters: a region code and a year, checked before any work starts."""

from __future__ import annotations

from .datasets import Datasets
from .errors import ParameterError
from .geo import FRANCE, REGION_CODES
from .indicators import report_years

__all__ = ["check_parameters", "check_region", "check_year"]


def check_region(ds: Datasets, region) -> str:
    """Return the normalised region code (``"4"`` -> ``"04"``, ``"fr"`` -> ``"FR"``).

    Raises
    ------
    ParameterError
        For an unknown code; the message lists the valid ones.
    """
    text = str(region).strip()
    code = FRANCE if text.upper() == FRANCE else text.zfill(2)
    if code not in (*REGION_CODES, FRANCE):
        valid = ", ".join(f"{c} ({ds.names[c]})" for c in REGION_CODES)
        raise ParameterError(
            f"Unknown region `{text}`. Valid codes: {valid}; FR for the France overview. "
            "See `python -m analysis regions`."
        )
    return code


def check_year(ds: Datasets, year) -> int:
    """Return ``year`` as an int if some source covers it.

    Raises
    ------
    ParameterError
        For a year no source covers; the message lists the years available.
    """
    years = report_years(ds)
    try:
        value = int(str(year).strip())
    except ValueError:
        value = None
    if value not in years:
        raise ParameterError(
            f"No data for year `{year}`. Years available: {', '.join(map(str, years))}. "
            "See `python -m analysis years`."
        )
    return value


def check_parameters(ds: Datasets, region, year) -> tuple[str, int]:
    """Check a region and a year together; see :func:`check_region` and :func:`check_year`."""
    return check_region(ds, region), check_year(ds, year)
