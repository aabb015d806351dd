"""New apprenticeship contracts by region and calendar year, from two sources.

* **Etalab** (Baromètre des résultats, 2023 extract): one value a year, 2017 to 2021 for
  calendar years, then a last value dated 2022-10-31 that counts the *twelve months* to
  that date (within 2 % of DITP's calendar 2022 in 16 of 18 regions), not January to
  October.
* **DITP** (indicator IND-313): a monthly series 2022-01 to 2024-04, cumulative within
  each calendar year (it resets every January); December gives the year's total, and 2024
  stops in April.

:func:`read_apprenticeship` turns them into one value per region and year with an
explicit rule: a complete calendar year beats a partial one, then the later cut-off wins.
So 2017-2021 come from Etalab, 2022-2023 from DITP's December totals (Etalab's rolling
twelve months to October 2022 is set aside, and used by
:func:`analysis.indicators.rolling_twelve_months_check` to bridge the two diffusions),
and 2024 is DITP to April, flagged ``complete=False``. Every value keeps
its ``source`` and ``period_end``; :func:`read_apprenticeship_observations` shows all
values, including those set aside.
"""

from __future__ import annotations

import os

import pandas as pd

from .._cache import load_cached
from ..geo import FRANCE, REGION_CODES
from ..schemas import COLUMNS, check_codes, require_columns, to_numbers, validate

_INDICATOR = "nombre-contrats-apprentissage"
_SOURCE_RANK = {"ditp": 0, "etalab": 1}  # tie-break only, for equal completeness and date


def _parse_etalab(path: os.PathLike, *, national: bool) -> pd.DataFrame:
    name = path.name
    raw = pd.read_csv(path, dtype=str)
    geo = [] if national else ["code_region"]
    require_columns(raw, ["id_indicateur", *geo, "date", "valeur"], source=name)
    rows = raw[raw["id_indicateur"] == _INDICATOR].reset_index(drop=True)
    region = pd.Series(FRANCE, index=rows.index) if national else rows["code_region"]
    if not national:
        check_codes(rows, "code_region", REGION_CODES, source=name)
    date = pd.to_datetime(rows["date"], format="%Y-%m-%d", errors="coerce")
    if date.isna().any():
        check_codes(rows[date.isna()], "date", [], source=name, expected="a YYYY-MM-DD date")
    tidy = pd.DataFrame(
        {
            "region": region.astype(str),
            "source": "etalab",
            "period_end": date.astype("datetime64[ns]"),
            "contracts": to_numbers(rows, "valeur", source=name),
            "cumulative_monthly": False,
        }
    )
    return validate(tidy, "apprenticeship_observations", source=name)


def _parse_etalab_regional(path: os.PathLike) -> pd.DataFrame:
    return _parse_etalab(path, national=False)


def _parse_etalab_national(path: os.PathLike) -> pd.DataFrame:
    return _parse_etalab(path, national=True)


def _parse_ditp(path: os.PathLike) -> pd.DataFrame:
    name = path.name
    raw = pd.read_csv(path, dtype=str)
    require_columns(
        raw, ["enforce_zone_id", "metric_enforce_date", "maille", "indic_va"], source=name
    )
    rows = raw[raw["maille"].isin(["REG", "NAT"])].reset_index(drop=True)
    rows["indic_va"] = to_numbers(rows, "indic_va", source=name)
    # Rows without a current value are the initial value (2021-12) and the 2026 target.
    rows = rows[rows["indic_va"].notna()].reset_index(drop=True)
    region = rows["enforce_zone_id"].str.removeprefix("R").where(rows["maille"] == "REG", FRANCE)
    check_codes(rows.assign(region=region), "region", (*REGION_CODES, FRANCE), source=name)
    month = pd.to_datetime(rows["metric_enforce_date"], format="%Y-%m-%d")
    tidy = pd.DataFrame(
        {
            "region": region.astype(str),
            "source": "ditp",
            # a row dated the first of a month counts the contracts to the end of that month
            "period_end": (month + pd.offsets.MonthEnd(0)).astype("datetime64[ns]"),
            "contracts": rows["indic_va"],
            "cumulative_monthly": True,
        }
    )
    return validate(tidy, "apprenticeship_observations", source=name)


def read_apprenticeship_observations(*, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Read every apprenticeship-contract value of both sources, as published.

    Parameters
    ----------
    data_dir : str or path-like, optional
        Raw-data folder.

    Returns
    -------
    pandas.DataFrame
        Columns ``region`` (France is ``"FR"``), ``source`` (``etalab`` or ``ditp``),
        ``period_end`` (the last day counted), ``contracts`` (contracts since January 1 of
        that year), ``cumulative_monthly`` (bool: a month of DITP's running total).

    Examples
    --------
    >>> import analysis as an
    >>> obs = an.read_apprenticeship_observations()
    >>> list(obs.columns)
    ['region', 'source', 'period_end', 'contracts', 'cumulative_monthly']
    >>> obs.groupby("source").size().to_dict()
    {'ditp': 532, 'etalab': 114}

    Etalab's last value for Hauts-de-France counts the twelve months to October 2022,
    not January to October (DITP's running total to October); it is within 47 contracts
    of DITP's calendar 2022:

    >>> hdf = obs[(obs["region"] == "32") & (obs["period_end"].dt.year == 2022)]
    >>> print(hdf[hdf["period_end"].dt.month.isin([10, 12])].to_string(index=False))
    region source period_end  contracts  cumulative_monthly
        32 etalab 2022-10-31    62733.0               False
        32   ditp 2022-10-31    56740.0                True
        32   ditp 2022-12-31    62780.0                True
    """
    parts = [
        load_cached(
            "etalab_apprenticeship_regional", _parse_etalab_regional, version=2, data_dir=data_dir
        ),
        load_cached(
            "etalab_apprenticeship_national", _parse_etalab_national, version=2, data_dir=data_dir
        ),
        load_cached("ditp_ind313", _parse_ditp, version=2, data_dir=data_dir),
    ]
    return pd.concat(parts, ignore_index=True)


def calendar_year_series(observations: pd.DataFrame) -> pd.DataFrame:
    """Pick one value per region and calendar year from dated cumulative observations.

    For each region, source and year only the latest cut-off is kept (a cumulative total
    supersedes the months before it); then a complete year (cut-off on December 31) beats
    a partial one, and between equals the later cut-off, then DITP, wins.

    Parameters
    ----------
    observations : pandas.DataFrame
        As returned by :func:`read_apprenticeship_observations`.

    Returns
    -------
    pandas.DataFrame
        Columns ``region``, ``year``, ``contracts``, ``source``, ``period_end``,
        ``complete``, sorted by region and year.
    """
    obs = observations.assign(
        year=observations["period_end"].dt.year.astype(int),
        complete=(observations["period_end"].dt.month == 12)
        & (observations["period_end"].dt.day == 31),
        _rank=observations["source"].map(_SOURCE_RANK),
    )
    obs = obs.sort_values(
        ["region", "year", "complete", "period_end", "_rank"],
        ascending=[True, True, False, False, True],
    )
    best = obs.drop_duplicates(["region", "year"], keep="first")
    return best[list(COLUMNS["apprenticeship"])].reset_index(drop=True)


def read_apprenticeship(*, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Read new apprenticeship contracts by region and calendar year, 2017-2024.

    One value per region and year, chosen by the rule in the module docstring: Etalab
    for 2017-2021, DITP December totals for 2022 and 2023, DITP to April for 2024.

    Parameters
    ----------
    data_dir : str or path-like, optional
        Raw-data folder.

    Returns
    -------
    pandas.DataFrame
        Columns ``region`` (the 18 regions and ``"FR"``), ``year``, ``contracts``,
        ``source`` (``etalab`` or ``ditp``), ``period_end`` (last day counted),
        ``complete`` (False for a partial year: 2024 to April).

    Examples
    --------
    >>> import analysis as an
    >>> app = an.read_apprenticeship()
    >>> list(app.columns)
    ['region', 'year', 'contracts', 'source', 'period_end', 'complete']
    >>> app["region"].nunique(), int(app["year"].min()), int(app["year"].max())
    (19, 2017, 2024)
    >>> print(app[app["region"] == "32"].to_string(index=False))
    region  year  contracts source period_end  complete
        32  2017    24143.0 etalab 2017-12-31      True
        32  2018    25557.0 etalab 2018-12-31      True
        32  2019    27819.0 etalab 2019-12-31      True
        32  2020    38641.0 etalab 2020-12-31      True
        32  2021    56967.0 etalab 2021-12-31      True
        32  2022    62780.0   ditp 2022-12-31      True
        32  2023    63004.0   ditp 2023-12-31      True
        32  2024     5221.0   ditp 2024-04-30     False

    Keep ``complete`` years for a change over time: 2024 stops in April, before the
    autumn peak of signatures.

    >>> france = app[(app["region"] == "FR") & app["complete"]].set_index("year")["contracts"]
    >>> france.loc[[2019, 2023]].tolist()
    [368968.0, 852235.0]
    """
    return calendar_year_series(read_apprenticeship_observations(data_dir=data_dir))


def _parse_ditp_departements(path: os.PathLike) -> pd.DataFrame:
    name = path.name
    raw = pd.read_csv(path, dtype=str)
    require_columns(
        raw, ["enforce_zone_id", "metric_enforce_date", "maille", "indic_va"], source=name
    )
    rows = raw[raw["maille"].eq("DEPT")].reset_index(drop=True)
    rows["indic_va"] = to_numbers(rows, "indic_va", source=name)
    rows = rows[rows["indic_va"].notna()].reset_index(drop=True)  # initial value, target
    month = pd.to_datetime(rows["metric_enforce_date"], format="%Y-%m-%d")
    tidy = pd.DataFrame(
        {
            "departement": rows["enforce_zone_id"].str.removeprefix("D"),
            "period_end": (month + pd.offsets.MonthEnd(0)).astype("datetime64[ns]"),
            "contracts": rows["indic_va"],
        }
    )
    return validate(tidy, "apprenticeship_departements", source=name)


def read_apprenticeship_departements(*, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Read DITP's new apprenticeship contracts by département, month by month, 2022-2024.

    Source: ``ind-313.csv``, rows ``maille == "DEPT"`` (101 départements). The only
    département-level apprenticeship source of the catalogue: nothing before 2022.

    Traps handled: values are cumulative since January 1 (the December row is the
    calendar-year total); 2024 stops in April; the initial value (2021-12, without a
    current value) and the 2026 target are left out.

    Returns
    -------
    pandas.DataFrame
        Columns ``departement``, ``period_end`` (last day counted), ``contracts``
        (contracts since January 1 of that year).

    Examples
    --------
    >>> import analysis as an
    >>> deps = an.read_apprenticeship_departements()
    >>> list(deps.columns), deps["departement"].nunique()
    (['departement', 'period_end', 'contracts'], 101)
    >>> str(deps["period_end"].min().date()), str(deps["period_end"].max().date())
    ('2022-01-31', '2024-04-30')

    The running total resets every January: the December row is the year's total.

    >>> nord = deps[deps["departement"] == "59"].set_index("period_end")["contracts"]
    >>> nord.loc[["2022-12-31", "2023-01-31", "2023-12-31", "2024-04-30"]].tolist()
    [31919.0, 885.0, 31910.0, 2812.0]
    """
    return load_cached(
        "ditp_ind313", _parse_ditp_departements, version=1, data_dir=data_dir, variant="departement"
    )
