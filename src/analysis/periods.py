"""Quarters as people write them: ``"2019T4"``, ``"2019-T4"``, ``"2019Q4"``.

The tables hold quarters as :class:`pandas.Period` values of frequency ``Q-DEC`` (the
column dtype is ``period[Q-DEC]``). pandas itself reads the French way of writing a
quarter wrongly, and silently: ``pd.Period("2019T4", "Q")`` is the 2nd quarter of 2019,
because "T4" is parsed as a time of day, so ``emp[emp["quarter"] == "2019T4"]`` selects
2019Q2. Every function of the package that takes a quarter passes it through
:func:`quarter`, which reads the French (INSEE's ``T``), the English (``Q``) and the ISO-like
(``2019-T4``) spellings, and refuses anything else with a :class:`ParameterError`.
"""

from __future__ import annotations

import re

import pandas as pd

from .errors import ParameterError

__all__ = ["quarter"]

_QUARTER = re.compile(
    r"^\s*(?:(?P<year>\d{4})\s*-?\s*[TQtq](?P<q>[1-4])"
    r"|[TQtq](?P<q2>[1-4])\s*[- ]?\s*(?P<year2>\d{4}))\s*$"
)


def quarter(value) -> pd.Period:
    """Return ``value`` as a quarter (:class:`pandas.Period`, frequency ``Q-DEC``).

    Parameters
    ----------
    value : str, pandas.Period or pandas.Timestamp
        ``"2019T4"`` (INSEE's form), ``"2019-T4"``, ``"2019Q4"``, ``"2019-Q4"``, ``"T4 2019"``
        (case does not matter), a quarterly or monthly Period, or a date (the quarter it
        falls in).

    Returns
    -------
    pandas.Period
        The quarter, comparable with the ``quarter`` columns of the tables.

    Raises
    ------
    ParameterError
        When ``value`` is not a quarter in one of those forms (``"2019"``, ``"2019T5"``).

    Examples
    --------
    >>> import analysis as an
    >>> an.quarter("2019T4")
    Period('2019Q4', 'Q-DEC')
    >>> an.quarter("2019-T4") == an.quarter("2019Q4") == an.quarter("T4 2019")
    True

    Select a quarter in a table (pandas alone would read ``"2019T4"`` as 2019Q2):

    >>> emp = an.read_insee_employment()
    >>> emp["quarter"].dtype
    period[Q-DEC]
    >>> at = emp[emp["quarter"] == an.quarter("2019T4")]
    >>> sorted(at["quarter"].astype(str).unique())
    ['2019Q4']
    """
    if isinstance(value, pd.Period):
        return value.asfreq("Q-DEC")
    if isinstance(value, pd.Timestamp):
        return value.to_period("Q-DEC")
    if isinstance(value, str):
        match = _QUARTER.match(value)
        if match:
            year = match.group("year") or match.group("year2")
            number = match.group("q") or match.group("q2")
            return pd.Period(year=int(year), quarter=int(number), freq="Q-DEC")
    raise ParameterError(
        f"{value!r} is not a quarter: write it as '2019T4', '2019-T4' or '2019Q4' "
        "(year, then T or Q and the quarter's number, 1 to 4)"
    )
