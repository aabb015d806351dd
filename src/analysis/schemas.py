"""Checks on raw files and one pandera schema per tidy table the loaders return.

Two layers: the raw checks (:func:`require_columns`, :func:`to_numbers`,
:func:`check_codes`) run on the file as read, so a malformed file is reported in its own
terms (file, column, first bad rows with their line numbers); the pandera schemas then
validate the tidy table with ``lazy=True``, so every broken rule is reported at once.
"""

from __future__ import annotations

import functools
from collections.abc import Collection

import pandas as pd

from .errors import SchemaValidationError

_SHOW = 5  # bad rows quoted in a message

_REGION = r"^(0[1-6]|[1-9]\d)$"
_REGION_OR_FR = r"^(0[1-6]|[1-9]\d|FR)$"
_DEPARTEMENT = r"^(0[1-9]|1\d|2[1-9AB]|[3-8]\d|9[0-5]|97[1-6])$"

#: Column order of each tidy table (the schemas below check the same names).
COLUMNS: dict[str, tuple[str, ...]] = {
    "insee_employment": (
        "region",
        "departement",
        "a5",
        "a17",
        "quarter",
        "employment",
        "provisional",
    ),
    "apprenticeship": ("region", "year", "contracts", "source", "period_end", "complete"),
}


def _where(rows: pd.DataFrame, column: str) -> str:
    shown = ", ".join(f"line {i}: {v!r}" for i, v in rows[column].head(_SHOW).items())
    more = f" and {len(rows) - _SHOW} more" if len(rows) > _SHOW else ""
    return f"{shown}{more}"


def require_columns(frame: pd.DataFrame, columns: Collection[str], *, source: str) -> None:
    """Raise :class:`SchemaValidationError` if ``frame`` lacks any of ``columns``."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise SchemaValidationError(
            f"{source}: column(s) {', '.join(f'`{c}`' for c in missing)} missing; found "
            f"{', '.join(f'`{c}`' for c in frame.columns[:20])}. The file is not the "
            "documented one: fetch it again with `python -m analysis fetch --force`.",
            source=source,
            column=missing[0],
        )


def to_numbers(
    frame: pd.DataFrame,
    column: str,
    *,
    source: str,
    masked: Collection[str] = (),
    first_line: int = 2,
) -> pd.Series:
    """Convert a column to float, keeping empty and ``masked`` cells missing.

    Parameters
    ----------
    frame : pandas.DataFrame
        The raw table, as read (index 0 = first data row).
    column : str
        Column to convert.
    source : str
        File name used in the message.
    masked : collection of str, optional
        Markers of secret cells (e.g. ``"*"``), read as missing.
    first_line : int, default 2
        Line number of the first data row in the file, for the message.

    Returns
    -------
    pandas.Series
        Float values, NaN where empty or masked.

    Raises
    ------
    SchemaValidationError
        Naming the column and the first cells that hold text where a number belongs.
    """
    values = frame[column]
    text = values.astype("string").str.strip()
    blank = values.isna() | text.isin(["", *masked])
    numbers = pd.to_numeric(text.where(~blank), errors="coerce")
    bad = numbers.isna() & ~blank
    if bad.any():
        rows = frame.loc[bad, [column]].set_axis(frame.index[bad] + first_line)
        raise SchemaValidationError(
            f"{source}: column `{column}` holds text where a number belongs "
            f"({bad.sum()} cell(s): {_where(rows, column)}).",
            source=source,
            column=column,
            failure_cases=rows,
        )
    return numbers.astype(float)


def check_codes(
    frame: pd.DataFrame,
    column: str,
    valid: Collection[str],
    *,
    source: str,
    first_line: int = 2,
    expected: str | None = None,
) -> None:
    """Raise :class:`SchemaValidationError` on codes of ``column`` not in ``valid``.

    ``expected`` describes the valid codes in the message (default: the first 30).
    """
    bad = ~frame[column].isin(list(valid))
    if bad.any():
        rows = frame.loc[bad, [column]].set_axis(frame.index[bad] + first_line)
        raise SchemaValidationError(
            f"{source}: column `{column}` holds unknown code(s) "
            f"({bad.sum()} row(s): {_where(rows, column)}); expected "
            f"{expected or 'one of ' + ', '.join(sorted(valid)[:30])}.",
            source=source,
            column=column,
            failure_cases=rows,
        )


def validate(frame: pd.DataFrame, name: str, *, source: str) -> pd.DataFrame:
    """Validate a tidy table against the schema ``name``, reporting every failed rule.

    pandera is imported here, not at import time: a table served from the cache was
    validated when it was parsed, so most processes never need it.
    """
    import pandera.pandas as pa

    schema = _schemas()[name]
    try:
        return schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        first = cases.iloc[0]
        raise SchemaValidationError(
            f"{source}: {len(cases)} value(s) break the `{schema.name}` schema; first: "
            f"column `{first['column']}`, check `{first['check']}`, value "
            f"{first['failure_case']!r} (row {first['index']}).",
            source=source,
            column=None if pd.isna(first["column"]) else str(first["column"]),
            failure_cases=cases.head(50),
        ) from exc


@functools.cache
def _schemas() -> dict:
    """Build the pandera schemas once, on first use."""
    import pandera.pandas as pa

    return {
        "insee_employment": pa.DataFrameSchema(
            {
                "region": pa.Column(str, pa.Check.str_matches(_REGION_OR_FR)),
                "departement": pa.Column(str, nullable=True),
                "a5": pa.Column(str, pa.Check.isin(["AZ", "BE", "FZ", "GU", "OQ"])),
                "a17": pa.Column(str),
                "quarter": pa.Column("period[Q-DEC]"),
                "employment": pa.Column(float, pa.Check.ge(0), nullable=True),
                "provisional": pa.Column(bool),
            },
            name="insee_employment",
            strict=True,
            unique=["region", "departement", "a17", "quarter"],
        ),
        "urssaf_zone_employment": pa.DataFrameSchema(
            {
                "zone": pa.Column(str, pa.Check.str_matches(r"^\d{4}$")),
                "region": pa.Column(str, pa.Check.str_matches(_REGION)),
                "interregional": pa.Column(bool),
                "a38": pa.Column(str, pa.Check.str_matches(r"^[A-Z]{2}$")),
                "a21": pa.Column(str),
                "a5": pa.Column(str, pa.Check.isin(["BE", "FZ", "GU", "OQ"])),
                "sector": pa.Column(str),
                "year": pa.Column(int, pa.Check.isin([2019, 2022, 2023, 2024])),
                "employment": pa.Column(float, pa.Check.ge(0), nullable=True),
                "masked": pa.Column(bool),
            },
            name="urssaf_zone_employment",
            strict=True,
            unique=["zone", "a38", "year"],
        ),
        "urssaf_region_series": pa.DataFrameSchema(
            {
                "region": pa.Column(str, pa.Check.str_matches(_REGION_OR_FR)),
                "year": pa.Column(int, pa.Check.in_range(2000, 2100)),
                "employment": pa.Column(float, pa.Check.gt(0)),
            },
            name="urssaf_region_series",
            strict=True,
            unique=["region", "year"],
        ),
        "urssaf_departement_series": pa.DataFrameSchema(
            {
                "departement": pa.Column(str, pa.Check.str_matches(_DEPARTEMENT)),
                "year": pa.Column(int, pa.Check.in_range(2000, 2100)),
                "employment": pa.Column(float, pa.Check.gt(0)),
            },
            name="urssaf_departement_series",
            strict=True,
            unique=["departement", "year"],
        ),
        "apprenticeship_departements": pa.DataFrameSchema(
            {
                "departement": pa.Column(str, pa.Check.str_matches(_DEPARTEMENT)),
                "period_end": pa.Column("datetime64[ns]"),
                "contracts": pa.Column(float, pa.Check.ge(0)),
            },
            name="apprenticeship_departements",
            strict=True,
            unique=["departement", "period_end"],
        ),
        "apprenticeship_observations": pa.DataFrameSchema(
            {
                "region": pa.Column(str, pa.Check.str_matches(_REGION_OR_FR)),
                "source": pa.Column(str, pa.Check.isin(["etalab", "ditp"])),
                "period_end": pa.Column("datetime64[ns]"),
                "contracts": pa.Column(float, pa.Check.ge(0)),
                "cumulative_monthly": pa.Column(bool),
            },
            name="apprenticeship_observations",
            strict=True,
            unique=["region", "source", "period_end"],
        ),
        "bmo": pa.DataFrameSchema(
            {
                "year": pa.Column(int),
                "region": pa.Column(str, pa.Check.str_matches(_REGION)),
                "departement": pa.Column(str),
                "basin": pa.Column(str),
                "basin_name": pa.Column(str),
                "occupation": pa.Column(str, pa.Check.str_matches(r"^[A-Z][0-9A-Z]{4}$")),
                "occupation_name": pa.Column(str),
                "family": pa.Column(str),
                "family_name": pa.Column(str),
                "domain": pa.Column(str, pa.Check.str_matches(r"^[A-Z]$")),
                "industrial": pa.Column(bool),
                "industry_staff": pa.Column(bool),
                "projects": pa.Column(float, pa.Check.ge(0), nullable=True),
                "difficult": pa.Column(float, pa.Check.ge(0), nullable=True),
                "seasonal": pa.Column(float, pa.Check.ge(0), nullable=True),
                "projects_masked": pa.Column(bool),
                "difficult_masked": pa.Column(bool),
                "seasonal_masked": pa.Column(bool),
            },
            name="bmo",
            strict=True,
            unique=["departement", "basin", "occupation"],
        ),
    }
