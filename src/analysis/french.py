"""French typographic conventions for the reports, on top of Babel's ``fr_FR`` locale.

Babel (CLDR data) gives the separators: a narrow no-break space (U+202F) between thousands
and a decimal comma. On top of it, this module adds the conventions of the statistical
publications: a no-break space before ``%``, an explicit sign on changes, the signs for
secret (``s``), provisional (``p``) and not available (``n.d.``), ordinal quarters and the
preposition each region or département takes.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from numbers import Real

import numpy as np
import pandas as pd
from babel.dates import format_date
from babel.numbers import format_decimal

LOCALE = "fr_FR"
NARROW_NBSP = "\u202f"
NBSP = "\u00a0"
#: Conventional signs of French official statistics.
SECRET = "s"
PROVISIONAL = "p"
NOT_AVAILABLE = "n.d."

__all__ = [
    "LOCALE",
    "NARROW_NBSP",
    "NBSP",
    "NOT_AVAILABLE",
    "PROVISIONAL",
    "SECRET",
    "flagged",
    "masked_cells",
    "month_span",
    "number",
    "ordinal",
    "percent",
    "points",
    "quarter",
    "report_title",
    "signed_number",
    "signed_percent",
    "with_preposition",
]

#: Preposition before a place name by INSEE's TNCC (type de nom en clair, "typeLiaison"):
#: 0 no article, consonant; 1 no article, vowel; 2 "le"; 3 "la"; 4 "les"; 5 "l'".
_BY_TNCC = {0: "en", 1: "en", 2: "dans le", 3: "en", 4: "dans les", 5: "dans l'"}


@functools.cache
def _preposition_exceptions() -> dict[str, str]:
    """Names whose usage departs from the TNCC rule (``reference/prepositions.csv``)."""
    from importlib import resources

    text = resources.files("analysis").joinpath("reference/prepositions.csv").read_text("utf-8")
    rows = [line.split(";") for line in text.splitlines()[1:] if line.strip()]
    return {row[0]: row[1] for row in rows}


def _missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, Real) and math.isnan(value))


@functools.lru_cache(maxsize=8192, typed=True)
def _format_decimal(value, decimals: int) -> str:
    # Babel takes some 70 µs a number; a chart's tick labels are formatted at each of
    # matplotlib's layout and drawing passes, the same values again and again.
    return format_decimal(value, format=_pattern(decimals), locale=LOCALE)


def _pattern(decimals: int) -> str:
    return "#,##0" + ("." + "0" * decimals if decimals > 0 else "")


def number(value, decimals: int = 0) -> str:
    """Format a number the French way: ``1 234 567`` and ``7,3``.

    Parameters
    ----------
    value : float or None
        The number; missing (None, NaN, ``pd.NA``) gives ``"n.d."``.
    decimals : int, default 0
        Digits after the decimal comma (rounded half to even, as Babel does).

    Returns
    -------
    str
        With U+202F between thousands.
    """
    if _missing(value):
        return NOT_AVAILABLE
    if isinstance(value, np.generic):
        value = value.item()
    text = _format_decimal(value, decimals)
    if text.startswith("-") and not any(digit in text for digit in "123456789"):
        return text[1:]  # a value that prints as zero has no sign
    return text


def signed_number(value, decimals: int = 0) -> str:
    """Format a change with its sign: ``+12 345``, ``-3 210``, and ``0`` with no sign.

    The sign follows the printed digits (Babel rounds half to even), so a value that
    prints as zero never gets one.
    """
    if _missing(value):
        return NOT_AVAILABLE
    text = number(abs(value), decimals)
    if not any(digit in text for digit in "123456789"):
        return text
    return ("+" if value > 0 else "-") + text


def percent(value, decimals: int = 1) -> str:
    """Format a value already in percent: ``7.3`` gives ``"7,3 %"`` (no-break space)."""
    if _missing(value):
        return NOT_AVAILABLE
    return f"{number(value, decimals)}{NBSP}%"


def signed_percent(value, decimals: int = 1) -> str:
    """Format a change in percent with its sign: ``"+2,1 %"``, ``"-0,4 %"``."""
    if _missing(value):
        return NOT_AVAILABLE
    return f"{signed_number(value, decimals)}{NBSP}%"


def points(value, decimals: int = 1) -> str:
    """Format a difference of percentages: ``"+0,4 point"``, ``"-1,2 point"``."""
    if _missing(value):
        return NOT_AVAILABLE
    text = signed_number(value, decimals)
    printed = float(number(abs(value), decimals).replace(NARROW_NBSP, "").replace(",", "."))
    unit = "points" if printed >= 2 else "point"
    return f"{text}{NBSP}{unit}"


def flagged(text: str, *, provisional: bool = False, secret: bool = False) -> str:
    """Return a formatted value with its conventional sign.

    A secret value is replaced by ``s``; a provisional one is followed by ``(p)``.
    """
    if secret:
        return SECRET
    if provisional and text != NOT_AVAILABLE:
        return f"{text}{NBSP}({PROVISIONAL})"
    return text


def quarter(period) -> str:
    """Format a quarter: ``"1er trimestre 2020"``, ``"4e trimestre 2019"``.

    Parameters
    ----------
    period : pandas.Period or str
        A quarterly period, or a string pandas reads as one (``"2020Q1"``).
    """
    period = pd.Period(period, freq="Q")
    return f"{ordinal(period.quarter)} trimestre {period.year}"


def ordinal(rank) -> str:
    """Return a French ordinal: ``"1er"``, ``"2e"``, ``"13e"``.

    >>> from analysis.french import ordinal
    >>> [ordinal(n) for n in (1, 2, 13)]
    ['1er', '2e', '13e']
    """
    return "1er" if int(rank) == 1 else f"{int(rank)}e"


def masked_cells(count) -> str:
    """Say how many cells statistical secrecy keeps out of a total, with its plural.

    >>> from analysis.french import masked_cells
    >>> print(masked_cells(1))
    1 donnée couverte par le secret statistique n'est pas comptée
    >>> print(masked_cells(7))
    7 données couvertes par le secret statistique ne sont pas comptées
    """
    count = int(count)
    if count == 1:
        return "1 donnée couverte par le secret statistique n'est pas comptée"
    return f"{count} données couvertes par le secret statistique ne sont pas comptées"


def month_span(end: dt.date, start_month: int = 1) -> str:
    """Name a span of months within one year: ``"janvier-avril 2024"``, ``"année 2023"``."""
    if start_month == 1 and end.month == 12:
        return f"année {end.year}"
    first = format_date(dt.date(end.year, start_month, 1), "MMMM", locale=LOCALE)
    last = format_date(end, "MMMM", locale=LOCALE)
    if first == last:
        return f"{last} {end.year}"
    return f"{first}-{last} {end.year}"


def with_preposition(name: str, tncc: int) -> str:
    """Return a place's name with the preposition it takes: ``"dans les Bouches-du-Rhône"``.

    The rule follows INSEE's TNCC (``typeLiaison`` in the geography files): "en" before a
    name without article or with "la" (en Normandie, en Seine-Saint-Denis), "dans le",
    "dans les", "dans l'" before the other articles (dans le Nord, dans les Hauts-de-France,
    dans l'Ain). The names whose usage departs from it (à Paris, à La Réunion, en
    Centre-Val de Loire, dans la Somme...) are listed, with the reason, in
    ``reference/prepositions.csv``.

    Raises
    ------
    ValueError
        For a TNCC outside 0-5 (6-8 are for commune names, not regions or départements).
    """
    exception = _preposition_exceptions().get(name)
    if exception:
        return exception
    try:
        word = _BY_TNCC[int(tncc)]
    except (KeyError, ValueError):
        raise ValueError(f"No preposition rule for TNCC {tncc!r} (`{name}`).") from None
    return f"{word}{name}" if word.endswith("'") else f"{word} {name}"


def report_title(name: str, year: int) -> str:
    """``"Industrie et apprentissage — Île-de-France — 2024"``: a report's page title."""
    return f"Industrie et apprentissage — {name} — {year}"
