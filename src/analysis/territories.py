"""Figures below the region: départements and employment zones.

Every figure of a département report, and of the *Territoires* section of a regional
report, is computed here once, from the tables of :class:`analysis.datasets.Datasets`:

* industrial employment by département: INSEE's quarterly estimates (ETE) by A17, the only
  source of the catalogue with a sector split by département; it stops at 2020T1, and the
  DOM start at 2010T4 (Mayotte is not covered);
* the share of industry, and the département's rank in its region and in France
  métropolitaine (96 départements);
* private employment, all sectors (URSSAF, 2014-2024);
* new apprenticeship contracts (DITP, cumulative monthly, 2022 to April 2024): complete
  years, and the months of an incomplete year against the same months a year before;
* recruitment projects of industrial workers (BMO 2025), secret cells counted;
* industrial employment by employment zone (URSSAF, 2019 and 2022-2024), the zones shared
  between two regions carrying their estimated share (:mod:`analysis.interregional`).

A département total is a sum over its A17 cells; a region total is published by INSEE only
when every one of its départements is known, so the départements of a region always add
up to it (tested on the real file).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import french, metrics
from .datasets import Datasets
from .geo import FRANCE, METROPOLITAN_REGIONS, departement_order

__all__ = [
    "APPRENTICESHIP_SOURCE",
    "INSEE_SOURCE",
    "URSSAF_TOTALS_SOURCE",
    "ApprenticeshipPeriod",
    "InseeQuarter",
    "apprenticeship_period",
    "apprenticeship_table",
    "departement_codes",
    "employment_levels",
    "insee_quarter",
    "insee_series",
    "recruitment_table",
    "zone_table",
]

INSEE_SOURCE = "insee_ete_a17"
URSSAF_TOTALS_SOURCE = "urssaf_region_series"
APPRENTICESHIP_SOURCE = "ditp_ind313"
ZONE_SOURCE = "urssaf_ze_a38"
BMO_SOURCE = "bmo_2025"
INDUSTRY = "BE"
#: The ``level`` of the (level, code) index of the tables below.
DEPARTEMENT, REGION, NATIONAL = "departement", "region", "france"
#: First quarter treated as provisional in the ETE file (as for regions).
PROVISIONAL_FROM = pd.Period("2019Q1", "Q")
#: Below this many recruitment projects a share judged difficult is not significant.
MIN_PROJECTS = 30


def departement_codes(ds: Datasets, region: str | None = None) -> list[str]:
    """Return the codes of the départements (of ``region``), in INSEE order.

    Examples
    --------
    >>> import analysis as an
    >>> from analysis import territories
    >>> ds = an.Datasets()
    >>> territories.departement_codes(ds, "32")
    ['02', '59', '60', '62', '80']
    >>> codes = territories.departement_codes(ds)
    >>> len(codes), codes[18:22], codes[-5:]  # Corsica between 19 and 21
    (101, ['19', '2A', '2B', '21'], ['971', '972', '973', '974', '976'])
    """
    deps = ds.departements
    if region is not None:
        deps = deps[deps["region"] == region]
    return sorted(deps["departement"], key=departement_order)


# -- industrial employment (INSEE) ------------------------------------------------------
@dataclass(frozen=True)
class InseeQuarter:
    """The INSEE quarter that measures a report year, and the one a year before.

    Attributes
    ----------
    period : pandas.Period
        The year's last quarter in the file (the 4th, or the 1st for 2020).
    previous : pandas.Period or None
        Four quarters earlier, None when the file does not go back that far.

    Examples
    --------
    >>> import analysis as an
    >>> from analysis import territories
    >>> ds = an.Datasets()
    >>> quarter = territories.insee_quarter(ds, 2019)
    >>> str(quarter.period), str(quarter.previous)
    ('2019Q4', '2018Q4')
    >>> quarter.label, quarter.provisional
    ('4e trimestre 2019', True)
    >>> quarter.change_label
    'du 4e trimestre 2018 au 4e trimestre 2019'
    """

    period: pd.Period
    previous: pd.Period | None

    @property
    def label(self) -> str:
        """``"4e trimestre 2019"``."""
        return french.quarter(self.period)

    @property
    def change_label(self) -> str:
        """``"du 4e trimestre 2018 au 4e trimestre 2019"``."""
        if self.previous is None:
            return ""
        return f"du {french.quarter(self.previous)} au {self.label}"

    @property
    def provisional(self) -> bool:
        """True from 2019T1: the file came out before those quarters were benchmarked."""
        return self.period >= PROVISIONAL_FROM


def _quarters(ds: Datasets) -> pd.PeriodIndex:
    known = ds.insee_departements.dropna(subset=["employment"])
    return pd.PeriodIndex(sorted(known["quarter"].unique()), freq="Q")


def insee_quarter(ds: Datasets, year: int) -> InseeQuarter | None:
    """Return the INSEE quarter of ``year`` for the départements, None after 2020T1.

    Examples
    --------
    >>> import analysis as an
    >>> from analysis import territories
    >>> ds = an.Datasets()
    >>> territories.insee_quarter(ds, 2020).label  # the file stops at 2020T1
    '1er trimestre 2020'
    >>> territories.insee_quarter(ds, 2015).change_label
    'du 4e trimestre 2014 au 4e trimestre 2015'
    >>> print(territories.insee_quarter(ds, 2021))
    None
    """
    quarters = _quarters(ds)
    in_year = quarters[quarters.year == int(year)]
    if not len(in_year):
        return None
    period = in_year.max()
    previous = period - 4
    return InseeQuarter(period, previous if previous in quarters else None)


def latest_insee_quarter(ds: Datasets, year: int) -> InseeQuarter | None:
    """Return the last INSEE quarter not after ``year`` (the fallback of a later edition).

    Examples
    --------
    >>> import analysis as an
    >>> from analysis import territories
    >>> ds = an.Datasets()
    >>> territories.latest_insee_quarter(ds, 2024).label
    '1er trimestre 2020'
    >>> territories.latest_insee_quarter(ds, 2018).label
    '4e trimestre 2018'
    """
    quarters = _quarters(ds)
    earlier = quarters[quarters.year <= int(year)]
    return insee_quarter(ds, int(earlier.max().year)) if len(earlier) else None


def _industry_and_total(ds: Datasets, quarter: pd.Period) -> pd.DataFrame:
    rows = ds.insee_departements[ds.insee_departements["quarter"] == quarter]
    grouped = rows.groupby("departement")
    total = grouped["employment"].sum(min_count=17)
    industry = rows[rows["a5"] == INDUSTRY].groupby("departement")["employment"].sum(min_count=5)
    return pd.DataFrame({"industry": industry, "total": total})


def employment_levels(ds: Datasets, year: int) -> pd.DataFrame:
    """Industrial employment of every département, its region and France, for ``year``.

    Parameters
    ----------
    ds : Datasets
    year : int

    Returns
    -------
    pandas.DataFrame
        Index (``level``, ``code``): the départements, the regions, then France
        (``("france", "FR")``): codes alone are ambiguous ("32" is the Gers and the
        Hauts-de-France). Columns ``name``, ``region``, ``industry``,
        ``total`` (all salaried jobs), ``share_pct`` (industry in total, %),
        ``previous`` (industry four quarters earlier), ``change_pct``,
        ``rank_region`` and ``of_region`` (rank by industrial employment among the
        départements of its region, and how many are ranked), ``rank_metro`` (among
        the 96 metropolitan départements; NaN overseas). Empty when INSEE does not cover
        ``year``. A département without data (Mayotte) has NaN values and no rank.

    Examples
    --------
    >>> import analysis as an
    >>> from analysis import territories
    >>> ds = an.Datasets()
    >>> levels = territories.employment_levels(ds, 2019)
    >>> levels.attrs["quarter"].label, list(levels.index.names), len(levels)
    ('4e trimestre 2019', ['level', 'code'], 120)
    >>> list(levels.columns)
    ['name', 'region', 'industry', 'total', 'previous', 'share_pct', 'change_pct',
     'rank_region', 'of_region', 'rank_metro']

    The (level, code) pairs: "32" is a département and a region.

    >>> levels.loc[("departement", "32"), "name"], levels.loc[("region", "32"), "name"]
    ('Gers', 'Hauts-de-France')
    >>> rows = [("departement", "59"), ("region", "32"), ("france", "FR")]
    >>> cols = ["industry", "share_pct", "change_pct", "rank_region", "rank_metro"]
    >>> print(levels.loc[rows, cols].round(1).to_string())
                       industry  share_pct  change_pct  rank_region  rank_metro
    level       code
    departement 59     123909.9       12.6        -0.4          1.0         1.0
    region      32     286639.5       14.0        -0.7          NaN         NaN
    france      FR    3166970.4       12.4         0.3          NaN         NaN

    The départements of a region add up to it; Mayotte has no data:

    >>> deps = levels.loc["departement"]
    >>> hdf = deps.loc[deps["region"] == "32", "industry"].sum()
    >>> print(round(hdf, 1), round(levels.loc[("region", "32"), "industry"], 1))
    286639.5 286639.5
    >>> list(deps.index[deps["industry"].isna()])
    ['976']

    No INSEE data by département after 2020T1:

    >>> territories.employment_levels(ds, 2024).empty
    True
    """
    quarter = insee_quarter(ds, year)
    deps = ds.departements.set_index("departement")
    if quarter is None:
        return pd.DataFrame()
    now = _industry_and_total(ds, quarter.period)
    before = (
        _industry_and_total(ds, quarter.previous)["industry"]
        if quarter.previous is not None
        else pd.Series(dtype=float)
    )
    codes = departement_codes(ds)
    table = pd.DataFrame(index=pd.Index(codes, name="code"))
    table["level"] = DEPARTEMENT
    table["name"] = deps.loc[codes, "name"]
    table["region"] = deps.loc[codes, "region"]
    table["industry"] = now["industry"].reindex(codes)
    table["total"] = now["total"].reindex(codes)
    table["previous"] = before.reindex(codes)
    # Regions and France: INSEE's strict sums (missing when any département is missing).
    regions = ds.insee[(ds.insee["region"] != FRANCE)]
    above = []
    for code, rows in [
        *((r, regions[regions["region"] == r]) for r in ds.regions["region"]),
        (FRANCE, ds.insee[ds.insee["region"] == FRANCE]),
    ]:
        at = rows[rows["quarter"] == quarter.period]
        was = rows[rows["quarter"] == quarter.previous] if quarter.previous is not None else at[:0]
        above.append(
            {
                "code": code,
                "level": NATIONAL if code == FRANCE else REGION,
                "name": ds.names[code],
                "region": code,
                "industry": at.loc[at["a5"] == INDUSTRY, "employment"].sum(min_count=5),
                "total": at["employment"].sum(min_count=17),
                "previous": was.loc[was["a5"] == INDUSTRY, "employment"].sum(min_count=5)
                if len(was)
                else np.nan,
            }
        )
    table = pd.concat([table.reset_index(), pd.DataFrame(above)]).set_index(["level", "code"])
    table["share_pct"] = 100 * table["industry"] / table["total"]
    table["change_pct"] = metrics.growth_rate(table["industry"], table["previous"])
    is_dep = table.index.get_level_values("level") == DEPARTEMENT
    ranked = table[is_dep & table["industry"].notna()]
    table["rank_region"] = ranked.groupby("region")["industry"].rank(ascending=False, method="min")
    table["of_region"] = ranked.groupby("region")["industry"].transform("count")
    metro = ranked[ranked["region"].isin(METROPOLITAN_REGIONS)]
    table["rank_metro"] = metro["industry"].rank(ascending=False, method="min")
    table.attrs["quarter"] = quarter
    return table


def insee_series(ds: Datasets, areas: list[tuple[str, str]], *, until: pd.Period) -> pd.DataFrame:
    """Quarterly industrial employment of départements, regions or France up to ``until``.

    Parameters
    ----------
    areas : list of (level, code)
        ``("departement", "06")`` is the Alpes-Maritimes, ``("region", "06")`` Mayotte.

    Returns
    -------
    pandas.DataFrame
        Index: quarters (from 2010T4, the first quarter every département has); one
        column per area, named by its (level, code) pair.

    Examples
    --------
    >>> import analysis as an
    >>> import pandas as pd
    >>> from analysis import territories
    >>> ds = an.Datasets()
    >>> areas = [("departement", "59"), ("region", "32"), ("france", "FR")]
    >>> series = territories.insee_series(ds, areas, until=pd.Period("2020Q1", "Q"))
    >>> list(series.columns) == areas, str(series.index[0]), str(series.index[-1])
    (True, '2010Q4', '2020Q1')
    >>> print(series.loc[["2010Q4", "2020Q1"]].round().astype(int).to_string())
            departement  region   france
                     59      32       FR
    quarter
    2010Q4       141241  327185  3311059
    2020Q1       123779  285445  3155664
    """
    start = pd.Period("2010Q4", "Q")
    columns = {}
    for level, code in areas:
        if level == DEPARTEMENT:
            rows = ds.insee_departements[ds.insee_departements["departement"] == code]
        else:
            rows = ds.insee[ds.insee["region"] == code]
        rows = rows[(rows["a5"] == INDUSTRY) & (rows["quarter"] >= start)]
        rows = rows[rows["quarter"] <= until]
        columns[(level, code)] = rows.groupby("quarter")["employment"].sum(min_count=5)
    return pd.DataFrame(columns).sort_index()


def a17_table(ds: Datasets, code: str, quarter: InseeQuarter) -> pd.DataFrame:
    """Return the five industrial A17 sectors of a département at ``quarter``, with their change.

    Returns
    -------
    pandas.DataFrame
        Index ``a17``; columns ``employment``, ``previous``, ``change_pct``, ``share_pct``
        (of the département's industry).

    Examples
    --------
    >>> import analysis as an
    >>> from analysis import territories
    >>> ds = an.Datasets()
    >>> table = territories.a17_table(ds, "59", territories.insee_quarter(ds, 2019))
    >>> list(table.columns)
    ['employment', 'previous', 'label', 'change_pct', 'share_pct']
    >>> print(table[["employment", "change_pct", "share_pct"]].round(1).to_string())
          employment  change_pct  share_pct
    a17
    C1       18499.5         2.8       14.9
    C2DE     14880.2        -0.5       12.0
    C3        8755.3        -0.4        7.1
    C4       19344.5         2.7       15.6
    C5       62430.4        -2.2       50.4
    >>> table.loc["C4", "label"]
    'Fabrication de matériels de transport'
    """
    from .loaders import read_a17_labels

    rows = ds.insee_departements[
        (ds.insee_departements["departement"] == code) & (ds.insee_departements["a5"] == INDUSTRY)
    ]
    now = rows[rows["quarter"] == quarter.period].set_index("a17")["employment"]
    was = (
        rows[rows["quarter"] == quarter.previous].set_index("a17")["employment"]
        if quarter.previous is not None
        else now * np.nan
    )
    labels = read_a17_labels(data_dir=ds.data_dir).set_index("a17")["label"]
    table = pd.DataFrame({"employment": now, "previous": was.reindex(now.index)})
    table["label"] = labels.reindex(table.index)
    table["change_pct"] = metrics.growth_rate(table["employment"], table["previous"])
    table["share_pct"] = 100 * table["employment"] / table["employment"].sum(min_count=1)
    return table


# -- private employment (URSSAF totals) -------------------------------------------------
def private_employment(ds: Datasets, code: str, year: int) -> float | None:
    """URSSAF private employment, all sectors, of a département in ``year`` (None if none).

    Examples
    --------
    >>> import analysis as an
    >>> from analysis import territories
    >>> ds = an.Datasets()
    >>> territories.private_employment(ds, "59", 2024)
    773179.0
    >>> print(territories.private_employment(ds, "59", 2013))  # URSSAF starts in 2014
    None
    """
    rows = ds.urssaf_departement_totals
    value = rows.loc[(rows["departement"] == code) & (rows["year"] == int(year)), "employment"]
    return float(value.iloc[0]) if len(value) else None


# -- apprenticeship (DITP) --------------------------------------------------------------
@dataclass(frozen=True)
class ApprenticeshipPeriod:
    """Which months of DITP's series measure a report year.

    Attributes
    ----------
    year : int
        Calendar year of the figure (the report year, or the last complete year before).
    end : pandas.Timestamp
        Last day counted (December 31 for a complete year).
    complete : bool
        False for a year the file stops in (2024: January-April).

    Examples
    --------
    >>> import analysis as an
    >>> from analysis import territories
    >>> ds = an.Datasets()
    >>> period = territories.apprenticeship_period(ds, 2024)
    >>> period.year, period.complete, period.label
    (2024, False, 'janvier-avril 2024')
    >>> str(period.end.date()), str(period.previous_end.date())
    ('2024-04-30', '2023-04-30')
    >>> territories.apprenticeship_period(ds, 2023).label
    '2023'
    """

    year: int
    end: pd.Timestamp
    complete: bool

    @property
    def label(self) -> str:
        """``"2023"`` or ``"janvier-avril 2024"``."""
        return str(self.year) if self.complete else french.month_span(self.end.date())

    @property
    def previous_end(self) -> pd.Timestamp:
        """The same cut-off a year earlier, the base of the change."""
        return self.end - pd.DateOffset(years=1) + pd.offsets.MonthEnd(0)


def apprenticeship_period(ds: Datasets, year: int) -> ApprenticeshipPeriod | None:
    """Return DITP's period for ``year`` at département level, None before 2022.

    Examples
    --------
    >>> import analysis as an
    >>> from analysis import territories
    >>> ds = an.Datasets()
    >>> period = territories.apprenticeship_period(ds, 2023)
    >>> str(period.end.date()), period.complete
    ('2023-12-31', True)
    >>> territories.apprenticeship_period(ds, 2024).label
    'janvier-avril 2024'
    >>> print(territories.apprenticeship_period(ds, 2021))
    None
    """
    ends = ds.apprenticeship_departements["period_end"]
    in_year = ends[ends.dt.year == int(year)]
    if not len(in_year):
        return None
    end = pd.Timestamp(in_year.max())
    return ApprenticeshipPeriod(int(year), end, end.month == 12 and end.day == 31)


def apprenticeship_table(ds: Datasets, period: ApprenticeshipPeriod) -> pd.DataFrame:
    """Return new apprenticeship contracts of every département, its region and France.

    Contracts since January 1 to ``period.end``, and over the same months a year before
    (the base of the change; None in 2022, the first year of the series).

    Returns
    -------
    pandas.DataFrame
        Index (``level``, ``code``). Columns ``contracts``,
        ``previous``, ``change_pct``, ``small_base`` (previous below 100 contracts:
        change not significant).

    Examples
    --------
    >>> import analysis as an
    >>> from analysis import territories
    >>> ds = an.Datasets()
    >>> table = territories.apprenticeship_table(ds, territories.apprenticeship_period(ds, 2024))
    >>> list(table.columns), list(table.index.names), len(table)
    (['contracts', 'previous', 'change_pct', 'small_base'], ['level', 'code'], 120)
    >>> rows = [("departement", "59"), ("region", "32"), ("france", "FR"), ("departement", "48")]
    >>> print(table.loc[rows].round(1).to_string())
                      contracts  previous  change_pct  small_base
    level       code
    departement 59       2812.0    2438.0        15.3       False
    region      32       5221.0    4444.0        17.5       False
    france      FR      71605.0   62589.0        14.4       False
    departement 48         41.0      58.0       -29.3        True

    2022, the first year of the series, has no previous year:

    >>> first = territories.apprenticeship_table(ds, territories.apprenticeship_period(ds, 2022))
    >>> print(first.loc[("departement", "59"), ["contracts", "previous"]].tolist())
    [31919.0, nan]
    """
    obs = ds.apprenticeship_observations
    ditp = obs[obs["source"] == "ditp"]
    deps = ds.apprenticeship_departements

    def at(end) -> pd.Series:
        parts = {
            DEPARTEMENT: deps[deps["period_end"] == end].set_index("departement"),
            REGION: ditp[(ditp["period_end"] == end) & (ditp["region"] != FRANCE)].set_index(
                "region"
            ),
            NATIONAL: ditp[(ditp["period_end"] == end) & (ditp["region"] == FRANCE)].set_index(
                "region"
            ),
        }
        return pd.concat(
            {level: frame["contracts"] for level, frame in parts.items()},
            names=["level", "code"],
        )

    table = pd.DataFrame({"contracts": at(period.end)})
    table["previous"] = at(period.previous_end).reindex(table.index)
    table["change_pct"] = metrics.growth_rate(table["contracts"], table["previous"])
    table["small_base"] = table["previous"] < 100
    return table


def apprenticeship_years(ds: Datasets, level: str, code: str, until: int) -> pd.DataFrame:
    """Every DITP year of a département (or region, or France) up to ``until``.

    Returns
    -------
    pandas.DataFrame
        One row per year: ``year``, ``contracts``, ``period`` (label), ``complete``.

    Examples
    --------
    >>> import analysis as an
    >>> from analysis import territories
    >>> ds = an.Datasets()
    >>> years = territories.apprenticeship_years(ds, "departement", "59", 2024)
    >>> print(years.to_string(index=False))
     year  contracts             period  complete
     2022    31919.0               2022      True
     2023    31910.0               2023      True
     2024     2812.0 janvier-avril 2024     False
    >>> territories.apprenticeship_years(ds, "region", "11", 2023)["contracts"].tolist()
    [195055.0, 207041.0]
    """
    rows = []
    for year in range(2022, int(until) + 1):
        period = apprenticeship_period(ds, year)
        if period is None:
            continue
        table = apprenticeship_table(ds, period)
        if (level, code) in table.index:
            rows.append(
                {
                    "year": year,
                    "contracts": table.loc[(level, code), "contracts"],
                    "period": period.label,
                    "complete": period.complete,
                }
            )
    return pd.DataFrame(rows, columns=["year", "contracts", "period", "complete"])


# -- recruitment projects (BMO) ---------------------------------------------------------
def recruitment_table(ds: Datasets) -> pd.DataFrame:
    """BMO 2025 industrial recruitment projects of every département, region and France.

    Returns
    -------
    pandas.DataFrame
        Index (``level``, ``code``). Columns ``projects`` (family "Ouvriers des secteurs de
        l'industrie", known cells), ``difficult_pct`` (share judged difficult, NaN under
        :data:`MIN_PROJECTS`), ``all_projects`` (every occupation), ``industrial_pct``
        (share of industrial workers in all projects), ``masked_cells`` (secret cells
        left out of ``projects``: the figure is a minimum when above 0).

    Examples
    --------
    >>> import analysis as an
    >>> from analysis import territories
    >>> ds = an.Datasets()
    >>> table = territories.recruitment_table(ds)
    >>> list(table.columns)
    ['projects', 'difficult', 'all_projects', 'masked_cells', 'difficult_pct', 'industrial_pct']
    >>> rows = [("departement", "59"), ("region", "32"), ("france", "FR")]
    >>> cols = ["projects", "difficult_pct", "industrial_pct", "masked_cells"]
    >>> print(table.loc[rows, cols].round(1).to_string())
                      projects  difficult_pct  industrial_pct  masked_cells
    level       code
    departement 59      6725.0           55.8             9.2            31
    region      32     15337.0           53.3             9.9           135
    france      FR    197960.0           58.7             8.2          2102

    The départements with the most industrial projects:

    >>> deps = table.loc["departement"]
    >>> deps.nlargest(3, "projects")["projects"].to_dict()
    {'59': 6725.0, '44': 5834.0, '69': 5510.0}
    """
    frames = {}
    for level, frame, key in (
        (DEPARTEMENT, ds.bmo_departements, "departement"),
        (REGION, ds.bmo[ds.bmo["region"] != FRANCE], "region"),
        (NATIONAL, ds.bmo[ds.bmo["region"] == FRANCE], "region"),
    ):
        industrial = frame[frame["industrial"]].groupby(key)
        every = frame.groupby(key)
        part = pd.DataFrame(
            {
                "projects": industrial["projects"].sum(min_count=1),
                "difficult": industrial["difficult"].sum(min_count=1),
                "all_projects": every["projects"].sum(min_count=1),
                "masked_cells": industrial["projects_masked_cells"].sum(),
            }
        )
        frames[level] = part
    table = pd.concat(frames, names=["level", "code"])
    table["difficult_pct"] = (100 * table["difficult"] / table["projects"]).where(
        table["projects"] >= MIN_PROJECTS
    )
    table["industrial_pct"] = 100 * table["projects"] / table["all_projects"]
    table["masked_cells"] = table["masked_cells"].astype(int)
    return table


# -- employment zones (URSSAF) ----------------------------------------------------------
def zone_year(ds: Datasets, year: int) -> int | None:
    """Return the URSSAF zone year of a report year: the latest not after it, or None.

    Examples
    --------
    >>> import analysis as an
    >>> from analysis import territories
    >>> ds = an.Datasets()
    >>> [territories.zone_year(ds, year) for year in (2018, 2019, 2021, 2024, 2025)]
    [None, 2019, 2019, 2024, 2024]
    """
    years = [int(y) for y in ds.urssaf_zones["year"].unique() if int(y) <= int(year)]
    return max(years) if years else None


def zone_table(ds: Datasets, region: str, year: int) -> pd.DataFrame:
    """Industrial private employment of the employment zones of a region, URSSAF ``year``.

    A zone shared with another region (codes 0051-0064) is listed in both, with its
    estimated share in this region (:attr:`Datasets.interregional_shares`) and the
    employment that share gives.

    Returns
    -------
    pandas.DataFrame
        Index ``zone``; columns ``name``, ``industry`` (whole zone, known cells),
        ``masked_cells``, ``total`` (all sectors, known cells), ``share_pct`` (industry
        in total), ``shared`` (bool), ``region_share`` (estimated share of the zone in
        the region, 1 for a zone inside it), ``in_region`` (industry x share). Sorted by
        ``in_region``, the industrial employment in the region (estimated for a shared
        zone), largest first.

    Examples
    --------
    >>> import analysis as an
    >>> from analysis import territories
    >>> ds = an.Datasets()
    >>> table = territories.zone_table(ds, "32", 2024)
    >>> len(table), table.index.name
    (24, 'zone')
    >>> list(table.columns)
    ['name', 'industry', 'masked_cells', 'total', 'share_pct', 'shared', 'region_share',
     'in_region']
    >>> cols = ["name", "industry", "share_pct", "in_region"]
    >>> print(table[cols].head(3).round(1).to_string())
                  name  industry  share_pct  in_region
    zone
    3216         Lille   30902.0        8.2    30902.0
    3222  Valenciennes   27100.0       27.6    27100.0
    3213     Dunkerque   22265.0       30.1    22265.0

    Zones shared with a neighbouring region count for their estimated share:

    >>> cols = ["name", "industry", "region_share", "in_region"]
    >>> print(table.loc[table["shared"], cols].round(3).to_string())
                                  name  industry  region_share  in_region
    zone
    0054                      Beauvais   16469.0         0.905  14903.175
    0058  La Vallée de la Bresle-Vimeu   11285.0         0.605   6826.555
    >>> print(round(table["in_region"].sum()))  # employment_table gives 285 369 for 2024
    285368
    """
    zones = ds.urssaf_zones[ds.urssaf_zones["year"] == int(year)]
    shares = ds.interregional_shares
    shares = shares[(shares["year"] == int(year)) & (shares["region"] == region)]
    shared = dict(zip(shares["zone"], shares["share"], strict=True))
    mine = zones[(zones["region"] == region) & ~zones["interregional"]]
    mine = pd.concat([mine, zones[zones["zone"].isin(list(shared))]])
    grouped = mine.groupby("zone")
    industry_rows = mine[mine["a5"] == INDUSTRY].groupby("zone")
    table = pd.DataFrame(
        {
            "industry": industry_rows["employment"].sum(min_count=1),
            "masked_cells": industry_rows["masked"].sum().astype(int),
            "total": grouped["employment"].sum(min_count=1),
        }
    )
    table.index.name = "zone"
    names = ds.zone_names
    table.insert(0, "name", [names.get(z, f"Zone {z}") for z in table.index])
    table["share_pct"] = 100 * table["industry"] / table["total"]
    table["shared"] = table.index.isin(list(shared))
    table["region_share"] = [shared.get(z, 1.0) for z in table.index]
    table["in_region"] = table["industry"] * table["region_share"]
    return table.sort_values("in_region", ascending=False)
