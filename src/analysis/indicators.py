"""The report's indicators for one year, region by region, each with its period and source.

This is where the sources meet. For a requested year, each indicator takes the best
source that covers it and says which, for which period:

* **Industrial employment** (A5 = BE: extractive industries, manufacturing, energy,
  water and waste). From 2022, URSSAF (private sector, annual; the change is against the
  previous year the file has, so 2022 is compared with 2019). Up to 2020, INSEE's
  quarterly estimates (all salaried jobs) at the last quarter of the year the file has,
  compared with the same quarter a year before. 2021 has neither.
* **Apprenticeship** (new contracts, all sectors): one value per year by the rule of
  :func:`analysis.loaders.read_apprenticeship`. A complete year heads the figures and is
  compared with the previous complete year, across the Etalab-to-DITP hand-over (both
  diffuse DARES's counts; Etalab's last value is twelve months to October 2022, within
  2 % of DITP's 2022 in 16 regions of 18) and across PoEm-to-DECA (2019-2020), each
  change flagged. A partial year (2024) comes apart, against the same months a year
  before, never ranked.
* **Recruitment projects**: BMO 2025, the only edition in the data, whatever the year.

Every function returns plain tables; :mod:`analysis.keyfigures` turns them into the
figures of a report, :mod:`analysis.sections` into its text, tables and charts.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import french, metrics
from .datasets import METROPOLE, Datasets
from .geo import FRANCE, METROPOLITAN_REGIONS, REGION_CODES
from .metrics import strict_sum

INDUSTRY = "BE"
#: A38 branches picked out in the reports, after OPCO 2i's largest branches.
HIGHLIGHTED_BRANCHES = {
    "CH": "Métallurgie",
    "CG": "Caoutchouc, plastique",
    "CE": "Chimie",
    "CL": "Matériels de transport",
    "CA": "Agroalimentaire",
}
#: First provisional quarter of INSEE's file (its last quarters are not yet revised).
INSEE_PROVISIONAL_FROM = pd.Period("2019Q1", "Q")
#: Source ids of the catalogue, as the figures cite them.
INSEE_SOURCE = "insee_ete_a17"
URSSAF_SOURCE = "urssaf_ze_a38"
URSSAF_TOTALS_SOURCE = "urssaf_region_series"
BMO_SOURCE = "bmo_2025"
#: Catalogue id of each apprenticeship source named in the tables' ``source`` column.
APPRENTICESHIP_SOURCES = {
    "etalab": "etalab_apprenticeship_regional",
    "ditp": "ditp_ind313",
}

__all__ = [
    "A5_LABELS",
    "APPRENTICESHIP_SOURCES",
    "HIGHLIGHTED_BRANCHES",
    "INDUSTRY",
    "INSEE_PROVISIONAL_FROM",
    "EmploymentChoice",
    "apprenticeship_by_year",
    "apprenticeship_series",
    "apprenticeship_table",
    "bmo_table",
    "branch_table",
    "decomposition_period",
    "decomposition_summary",
    "employment_choice",
    "employment_table",
    "france_sector_series",
    "headline_apprenticeship_year",
    "insee_industry_series",
    "latest_employment_year",
    "recruitment_summary",
    "report_years",
    "rolling_twelve_months_check",
    "source_coverage",
    "urssaf_france_table",
    "urssaf_industry_index",
    "urssaf_industry_series",
]


@dataclass(frozen=True)
class EmploymentChoice:
    """Which source and periods measure industrial employment for a report year.

    Attributes
    ----------
    source : str
        Catalogue id (``"urssaf_ze_a38"`` or ``"insee_ete_a17"``).
    period, previous : int or pandas.Period
        The period measured and the one the change is computed against (``None``
        when the source has no earlier period).

    Examples
    --------
    >>> import analysis as an
    >>> from analysis import indicators
    >>> ds = an.Datasets()
    >>> choice = indicators.employment_choice(ds, 2024)
    >>> choice.publisher, choice.short_field, choice.label(), choice.change_label
    ('Urssaf', 'salariés du privé', '2024', 'de 2023 à 2024')
    >>> choice = indicators.employment_choice(ds, 2019)
    >>> choice.publisher, choice.field
    ('Insee', 'ensemble des salariés, public et privé')
    >>> choice.label(), choice.change_label, choice.provisional
    ('4e trimestre 2019', 'du 4e trimestre 2018 au 4e trimestre 2019', True)
    """

    source: str
    period: object
    previous: object | None

    @property
    def field(self) -> str:
        """The field (champ) in French."""
        if self.source == URSSAF_SOURCE:
            return "salariés du secteur privé, régime général"
        return "ensemble des salariés, public et privé"

    @property
    def short_field(self) -> str:
        """The field in a few words, for labels: ``"salariés du privé"``."""
        return "salariés du privé" if self.source == URSSAF_SOURCE else "ensemble des salariés"

    @property
    def publisher(self) -> str:
        """``"Insee"`` or ``"Urssaf"``."""
        return "Urssaf" if self.source == URSSAF_SOURCE else "Insee"

    @property
    def provisional(self) -> bool:
        """True for the INSEE quarters from 2019 on, which the file does not revise."""
        return self.source == INSEE_SOURCE and self.period >= INSEE_PROVISIONAL_FROM

    def label(self, period=None) -> str:
        """Return the period in French: ``"2024"`` or ``"1er trimestre 2020"``."""
        period = self.period if period is None else period
        return french.quarter(period) if isinstance(period, pd.Period) else str(period)

    @property
    def change_label(self) -> str:
        """``"de 2023 à 2024"``; empty without a previous period."""
        if self.previous is None:
            return ""
        return (
            f"du {self.label(self.previous)} au {self.label()}"
            if isinstance(self.period, pd.Period)
            else f"de {self.previous} à {self.period}"
        )


def _insee_quarters(ds: Datasets) -> pd.PeriodIndex:
    france = ds.insee[ds.insee["region"] == FRANCE]
    totals = france.groupby("quarter")["employment"].sum(min_count=1).dropna()
    return totals.index


def employment_choice(ds: Datasets, year: int) -> EmploymentChoice | None:
    """Return the source and periods of industrial employment for ``year``, or None.

    Examples
    --------
    >>> import analysis as an
    >>> from analysis import indicators
    >>> ds = an.Datasets()
    >>> choice = indicators.employment_choice(ds, 2024)
    >>> choice.source, choice.period, int(choice.previous)
    ('urssaf_ze_a38', 2024, 2023)

    2022 is compared with 2019, the previous year URSSAF's file has:

    >>> indicators.employment_choice(ds, 2022).change_label
    'de 2019 à 2022'

    Up to 2020, INSEE's last quarter of the year (the file stops at 2020T1); 2021 has
    no source:

    >>> choice = indicators.employment_choice(ds, 2020)
    >>> choice.source, str(choice.period), str(choice.previous), choice.provisional
    ('insee_ete_a17', '2020Q1', '2019Q1', True)
    >>> print(indicators.employment_choice(ds, 2021))
    None
    """
    urssaf_years = sorted(ds.urssaf["year"].unique())
    if year in urssaf_years and year >= 2022:
        earlier = [y for y in urssaf_years if y < year]
        return EmploymentChoice(URSSAF_SOURCE, year, earlier[-1] if earlier else None)
    quarters = _insee_quarters(ds)
    in_year = quarters[quarters.year == year]
    if len(in_year):
        period = in_year.max()
        previous = period - 4
        return EmploymentChoice(INSEE_SOURCE, period, previous if previous in quarters else None)
    return None


#: First quarter at which INSEE's France total is complete (the DOM start in 2010T4).
INSEE_START = pd.Period("2010Q4", "Q")


def insee_industry_series(ds: Datasets, *, until: int | None = None) -> pd.DataFrame:
    """INSEE's quarterly industrial employment, quarter x region, from 2010T4.

    A quarter is known only when all the industrial sectors of every département of the
    area are (strict sums: an empty cell never counts as zero).

    Parameters
    ----------
    ds : Datasets
        The loaded tables.
    until : int, optional
        Last year kept (an edition shows no later data).

    Returns
    -------
    pandas.DataFrame
        Index ``quarter``; one column per region code and ``"FR"``.

    Examples
    --------
    >>> import analysis as an
    >>> ds = an.Datasets()
    >>> series = an.insee_industry_series(ds)
    >>> series.index.name, str(series.index[0]), str(series.index[-1]), len(series)
    ('quarter', '2010Q4', '2020Q1', 38)
    >>> len(series.columns), "06" in series.columns  # 17 regions (no Mayotte) and "FR"
    (18, False)

    INSEE's estimates are not whole numbers; Île-de-France, Hauts-de-France and France:

    >>> at = series.loc[["2010Q4", "2019Q4", "2020Q1"], ["11", "32", "FR"]]
    >>> print(at.round().astype(int).to_string())
    region       11      32       FR
    quarter
    2010Q4   471713  327185  3311059
    2019Q4   433990  286639  3166970
    2020Q1   432709  285445  3155664

    Year-on-year change (%) of Hauts-de-France at 2019T4, and the cut of an edition:

    >>> hdf = series["32"]
    >>> print(round(100 * (hdf["2019Q4"] / hdf["2018Q4"] - 1), 2))
    -0.65
    >>> str(an.insee_industry_series(ds, until=2015).index[-1])
    '2015Q4'
    """
    industry = ds.insee[ds.insee["a5"] == INDUSTRY]
    series = strict_sum(industry, ["region", "quarter"], "employment").unstack(0)  # noqa: PD010
    series = series.loc[series.index >= INSEE_START]
    if until is not None:
        series = series.loc[series.index.year <= until]
    return series


def urssaf_industry_series(ds: Datasets, *, until: int | None = None) -> pd.DataFrame:
    """URSSAF's yearly industrial private employment, year x region (known cells).

    Parameters
    ----------
    ds : Datasets
        The loaded tables.
    until : int, optional
        Last year kept.

    Returns
    -------
    pandas.DataFrame
        Index ``year``; one column per region code and ``"FR"``.

    Examples
    --------
    >>> import analysis as an
    >>> ds = an.Datasets()
    >>> yearly = an.urssaf_industry_series(ds)
    >>> list(yearly.index), len(yearly.columns)  # no 2020-2021; Mayotte ("06") absent
    ([2019, 2022, 2023, 2024], 18)
    >>> print(yearly[["11", "32", "FR"]].astype(int).to_string())
    region      11      32       FR
    year
    2019    426495  282776  3090263
    2022    426399  284041  3137281
    2023    435442  284710  3171177
    2024    437510  285369  3179726
    >>> list(an.urssaf_industry_series(ds, until=2022).index)
    [2019, 2022]
    """
    urssaf = ds.urssaf[ds.urssaf["a5"] == INDUSTRY]
    yearly = urssaf.groupby(["region", "year"])["employment"].sum(min_count=1).unstack(0)  # noqa: PD010
    if until is not None:
        yearly = yearly.loc[yearly.index <= until]
    return yearly


#: The A5 groups of INSEE's quarterly file, in French.
A5_LABELS = {
    "BE": "Industrie",
    "FZ": "Construction",
    "GU": "Tertiaire marchand",
    "OQ": "Tertiaire non marchand",
}


def france_sector_series(ds: Datasets, *, until: int | None = None) -> pd.DataFrame:
    """INSEE's quarterly salaried employment of France by A5 group, from 2010T4.

    Strict sums: a quarter is known only when every département's every A17 sector of the
    group is (agriculture, a fifth group, is left out: empty before 2010T4).

    Returns
    -------
    pandas.DataFrame
        Index ``quarter``; columns the A5 codes of :data:`A5_LABELS`.

    Examples
    --------
    >>> from analysis import indicators
    >>> import analysis as an
    >>> ds = an.Datasets()
    >>> by_a5 = indicators.france_sector_series(ds)
    >>> [indicators.A5_LABELS[code] for code in by_a5.columns]
    ['Industrie', 'Construction', 'Tertiaire marchand', 'Tertiaire non marchand']
    >>> print(by_a5.loc[["2010Q4", "2020Q1"]].round().astype(int).to_string())
    a5            BE       FZ        GU       OQ
    quarter
    2010Q4   3311059  1476457  11501290  7787133
    2020Q1   3155664  1422446  12122218  8042023
    """
    france = ds.insee[ds.insee["region"] == FRANCE]
    by_a5 = strict_sum(france, ["quarter", "a5"], "employment").unstack()  # noqa: PD010
    by_a5 = by_a5.loc[by_a5.index >= INSEE_START, list(A5_LABELS)]
    if until is not None:
        by_a5 = by_a5.loc[by_a5.index.year <= until]
    return by_a5


def urssaf_france_table(ds: Datasets, *, until: int | None = None) -> pd.DataFrame:
    """URSSAF's private employment of France by year: all sectors, industry, its share.

    Returns
    -------
    pandas.DataFrame
        Index ``year``; ``total`` (all sectors), ``industry`` (known cells; NaN in the
        years without sector detail) and ``share`` (%).

    Examples
    --------
    >>> from analysis import indicators
    >>> import analysis as an
    >>> ds = an.Datasets()
    >>> table = indicators.urssaf_france_table(ds)
    >>> list(table.columns), int(table.index.min()), int(table.index.max())
    (['total', 'industry', 'share'], 2014, 2024)
    >>> print(table.loc[2019:].round(1).to_string())
               total   industry  share
    year
    2019  18748962.0  3090263.0   16.5
    2020  18648649.0        NaN    NaN
    2021  19477996.0        NaN    NaN
    2022  19871883.0  3137281.0   15.8
    2023  19969005.0  3171177.0   15.9
    2024  19995376.0  3179726.0   15.9
    """
    totals = ds.urssaf_totals[ds.urssaf_totals["region"] == FRANCE].set_index("year")
    industry = urssaf_industry_series(ds)[FRANCE]
    table = pd.DataFrame({"total": totals["employment"]})
    table["industry"] = industry.reindex(table.index)
    table["share"] = metrics.shares(table["industry"], table["total"])
    if until is not None:
        table = table.loc[table.index <= until]
    return table


def urssaf_industry_index(ds: Datasets, *, until: int | None = None) -> pd.DataFrame:
    """URSSAF's industrial employment as a chained index, base 100 in the first year.

    Each link is the change between two consecutive URSSAF years on the zone x A38
    cells known at both, so that secret cells never move the index.

    Returns
    -------
    pandas.DataFrame
        Index ``year``; one column per region code and ``"FR"``.

    Examples
    --------
    >>> import analysis as an
    >>> ds = an.Datasets()
    >>> index = an.urssaf_industry_index(ds)
    >>> list(index.index), index.index.name
    ([2019, 2022, 2023, 2024], 'year')
    >>> print(index[["11", "32", "FR"]].round(1).to_string())
    region     11     32     FR
    year
    2019    100.0  100.0  100.0
    2022    100.0  100.5  101.5
    2023    102.1  100.6  102.6
    2024    102.6  100.8  102.9

    The links are like for like (zone x A38 cells known at both dates), so the index is
    not the ratio of the levels of :func:`urssaf_industry_series`:

    >>> levels = an.urssaf_industry_series(ds)
    >>> print(round(100 * levels.loc[2024, "32"] / levels.loc[2019, "32"], 1))
    100.9
    """
    years = sorted(int(y) for y in ds.urssaf["year"].unique())
    if until is not None:
        years = [y for y in years if y <= until]
    if not years:
        return pd.DataFrame(index=pd.Index([], name="year"), dtype=float)
    level = None
    rows = {}
    for start, end in itertools.pairwise(years):
        before, after = _like_for_like_industry(ds, start, end)
        link = (after / before).drop(METROPOLE, errors="ignore")
        if level is None:
            level = pd.Series(100.0, index=link.index)
            rows[start] = level
        level = level * link
        rows[end] = level
    if not rows:  # one year: the base alone
        regions = ds.urssaf.loc[ds.urssaf["year"] == years[0], "region"].unique()
        rows[years[0]] = pd.Series(100.0, index=sorted(regions))
    return pd.DataFrame(rows).T.rename_axis("year")


def _insee_levels(ds: Datasets, quarter: pd.Period) -> pd.DataFrame:
    rows = ds.insee[ds.insee["quarter"] == quarter]
    total = strict_sum(rows, ["region"], "employment")
    industry = strict_sum(rows[rows["a5"] == INDUSTRY], ["region"], "employment")
    frame = pd.DataFrame({"industry": industry, "total": total, "masked_cells": 0, "shared": 0.0})
    return frame.reset_index()


def _urssaf_levels(ds: Datasets, year: int) -> pd.DataFrame:
    rows = ds.urssaf[(ds.urssaf["year"] == year) & (ds.urssaf["a5"] == INDUSTRY)]
    grouped = rows.groupby("region")
    frame = pd.DataFrame(
        {
            "industry": grouped["employment"].sum(min_count=1),
            "masked_cells": grouped["masked_cells"].sum(),
            "shared": grouped["interregional_employment"].sum(),
        }
    )
    totals = ds.urssaf_totals[ds.urssaf_totals["year"] == year].set_index("region")
    frame["total"] = totals["employment"]
    return frame.reset_index()


def _levels(ds: Datasets, choice: EmploymentChoice, period) -> pd.DataFrame:
    if choice.source == URSSAF_SOURCE:
        levels = _urssaf_levels(ds, period)
    else:
        levels = _insee_levels(ds, period)
    return _add_metropole(levels).set_index("region")


def _add_metropole(levels: pd.DataFrame) -> pd.DataFrame:
    metro = levels[levels["region"].isin(METROPOLITAN_REGIONS)]
    complete = len(metro) == len(METROPOLITAN_REGIONS)
    row = {
        "region": METROPOLE,
        "industry": metro["industry"].sum(min_count=13) if complete else np.nan,
        "total": metro["total"].sum(min_count=13) if complete else np.nan,
        "masked_cells": int(metro["masked_cells"].sum()),
        "shared": 0.0,  # the shared zones lie inside France métropolitaine
    }
    return pd.concat([levels, pd.DataFrame([row])], ignore_index=True)


def _like_for_like_industry(ds: Datasets, start: int, end: int) -> tuple[pd.Series, pd.Series]:
    """Return industrial employment by area in ``start`` and ``end`` on common cells.

    Regions, France and France métropolitaine, summed over the zone x A38 cells known at
    both dates.
    """
    pair = ds.urssaf_like_for_like(start, end)
    rows = pair[pair["a5"] == INDUSTRY]
    sums = rows.groupby(["region", "year"])["employment"].sum(min_count=1).unstack()  # noqa: PD010
    sums.loc[METROPOLE] = sums.loc[sums.index.isin(METROPOLITAN_REGIONS)].sum(min_count=1)
    return sums[start], sums[end]


def employment_table(ds: Datasets, year: int) -> tuple[EmploymentChoice | None, pd.DataFrame]:
    """Industrial employment of every region, France and France métropolitaine for ``year``.

    Returns
    -------
    choice : EmploymentChoice or None
        The source and periods; None when no source covers ``year`` (then the table has
        the regions and missing values).
    table : pandas.DataFrame
        Index ``region`` (18 codes, ``"FR"``, ``"FM"``); columns ``industry``, ``total``,
        ``share_pct`` (industry in all salaried employment), ``previous``, ``change``,
        ``change_pct`` (for URSSAF, on the zone x A38 cells known at both dates, so that
        a cell that stops being secret is not read as growth; ``change`` is then not
        ``industry - previous``), ``masked_cells`` (URSSAF cells left out of the sum), ``shared``
        and ``shared_pct`` (industrial jobs, and their share of the total, that come from
        employment zones shared with a neighbouring region, split by estimation: see
        :mod:`analysis.interregional`),
        ``rank_metro`` (among the 13 metropolitan regions) and ``rank_all`` (among the
        regions with data).

    Examples
    --------
    >>> import analysis as an
    >>> ds = an.Datasets()
    >>> choice, table = an.employment_table(ds, 2024)
    >>> choice.source, choice.change_label
    ('urssaf_ze_a38', 'de 2023 à 2024')
    >>> len(table), list(table.index[-3:])
    (20, ['94', 'FR', 'FM'])
    >>> list(table.columns)
    ['industry', 'total', 'masked_cells', 'shared', 'shared_pct', 'share_pct', 'previous',
     'change', 'change_pct', 'rank_all', 'rank_metro']
    >>> cols = ["industry", "share_pct", "change_pct", "masked_cells", "rank_metro"]
    >>> print(table.loc[["11", "32", "FR"], cols].round(1).to_string())
            industry  share_pct  change_pct  masked_cells  rank_metro
    region
    11      437510.0        8.4         0.5             2           2
    32      285369.0       18.5         0.2             7           4
    FR     3179726.0       15.9         0.2            70        <NA>

    With URSSAF the change is like for like, so it is not ``industry - previous``:

    >>> fr = table.loc["FR"]
    >>> int(fr["industry"] - fr["previous"]), int(fr["change"])
    (8549, 7909)

    Hauts-de-France's industrial jobs in employment zones shared with a neighbour, and
    the regions URSSAF does not cover:

    >>> print(int(table.loc["32", "shared"]), round(table.loc["32", "shared_pct"], 1))
    21731 7.6
    >>> list(table.index[table["industry"].isna()])
    ['06']

    Up to 2020 the table is INSEE's (all salaried jobs), at a quarter:

    >>> choice, table = an.employment_table(ds, 2020)
    >>> print(choice.label(), round(table.loc["32", "share_pct"], 1))
    1er trimestre 2020 14.3
    """
    index = pd.Index([*REGION_CODES, FRANCE, METROPOLE], name="region")
    choice = employment_choice(ds, year)
    columns = ["industry", "total", "share_pct", "previous", "change", "change_pct"]
    if choice is None:
        table = pd.DataFrame(np.nan, index=index, columns=columns)
        table["masked_cells"] = 0
        table["shared"] = table["shared_pct"] = np.nan
    else:
        now = _levels(ds, choice, choice.period).reindex(index)
        table = now[["industry", "total"]].copy()
        table["masked_cells"] = now["masked_cells"].fillna(0).astype(int)
        table["shared"] = now["shared"].fillna(0.0)
        table["shared_pct"] = metrics.shares(table["shared"], table["industry"])
        table["share_pct"] = metrics.shares(table["industry"], table["total"])
        if choice.previous is not None:
            before = _levels(ds, choice, choice.previous).reindex(index)
            table["previous"] = before["industry"]
        else:
            table["previous"] = np.nan
        if choice.source == URSSAF_SOURCE and choice.previous is not None:
            # Like for like: the cells known at both dates (a cell that stops being
            # secret is not growth).
            start, end = _like_for_like_industry(ds, choice.previous, choice.period)
            table["change"] = (end - start).reindex(index)
            table["change_pct"] = metrics.growth_rate(end, start).reindex(index)
        else:
            table["change"] = table["industry"] - table["previous"]
            table["change_pct"] = metrics.growth_rate(table["industry"], table["previous"])
    regions = table.loc[list(REGION_CODES), "industry"]
    table["rank_all"] = metrics.rank(regions).reindex(index)
    table["rank_metro"] = metrics.rank(regions.loc[list(METROPOLITAN_REGIONS)]).reindex(index)
    return choice, table


def _like_for_like(observations: pd.DataFrame, region: str, source: str, end) -> float:
    """Contracts in ``source`` for ``region`` to the same date a year before, or NaN."""
    end = pd.Timestamp(end)
    before = end - pd.DateOffset(years=1)
    before = before + pd.offsets.MonthEnd(0)
    rows = observations[
        (observations["region"] == region)
        & (observations["source"] == source)
        & (observations["period_end"] == before)
    ]
    return float(rows["contracts"].iloc[0]) if len(rows) else np.nan


#: Below this many contracts the year before, a change in percent is "n.s." (not
#: significant): Mayotte's 14 contracts in 2017 would make a +800 % of a few contracts.
MIN_BASE = 100

#: Changes of source that a year-on-year change of apprenticeship contracts can cross,
#: keyed by the later year: code and what the report says about it.
SOURCE_BREAKS: dict[int, tuple[str, str]] = {
    2020: (
        "poem_deca",
        "les contrats de 2019 et avant viennent de PoEm (chambres consulaires), ceux de "
        "2020 et après de DECA : l'évolution de 2019 à 2020 franchit ce changement de "
        "système de collecte et se lit avec prudence",
    ),
    2022: (
        "etalab_ditp",
        "2021 vient d'Etalab, 2022 de la DITP : deux diffusions de la même série de la "
        "Dares (DECA) ; le total d'Etalab sur douze mois glissants à fin octobre 2022 est "
        "proche du total 2022 de la DITP, l'évolution est donc calculée",
    ),
}


def apprenticeship_series(ds: Datasets) -> pd.DataFrame:
    """Return the new apprenticeship contracts of every region and France, with changes.

    A complete calendar year is compared with the previous complete year, whichever of
    Etalab or DITP publishes it (both diffuse DARES's counts; the change that crosses a
    change of source carries its code in ``source_break``, see :data:`SOURCE_BREAKS`). A
    partial year (2024, January to April) is compared with the same months of the year
    before, in the same source.

    Returns
    -------
    pandas.DataFrame
        One row per region (18 codes and ``"FR"``) and year: ``region``, ``year``,
        ``contracts``, ``source``, ``period_end``, ``complete``, ``period`` (French
        label), ``previous``, ``change_pct``, ``significant`` (False when ``previous`` is
        under :data:`MIN_BASE`), ``source_break`` (``""``, ``"poem_deca"`` or
        ``"etalab_ditp"``) and ``per_thousand`` (contracts per 1 000 private-sector
        employees of the same year, complete years only; the numerator counts public and
        private employers' contracts).

    Examples
    --------
    >>> import analysis as an
    >>> ds = an.Datasets()
    >>> series = an.apprenticeship_series(ds)
    >>> list(series.columns)
    ['region', 'year', 'contracts', 'source', 'period_end', 'complete', 'previous',
     'change_pct', 'significant', 'period', 'source_break', 'per_thousand']
    >>> france = series[series["region"] == "FR"].set_index("year")
    >>> cols = ["contracts", "source", "period", "change_pct", "source_break"]
    >>> print(france[cols].round(1).to_string())
          contracts  source              period  change_pct source_break
    year
    2017   305271.0  etalab          année 2017         NaN
    2018   321038.0  etalab          année 2018         5.2
    2019   368968.0  etalab          année 2019        14.9
    2020   526418.0  etalab          année 2020        42.7    poem_deca
    2021   731785.0  etalab          année 2021        39.0
    2022   833406.0    ditp          année 2022        13.9  etalab_ditp
    2023   852235.0    ditp          année 2023         2.3
    2024    71605.0    ditp  janvier-avril 2024        14.4

    The partial year is compared with January-April 2023, and has no rate per 1 000:

    >>> print(france.loc[2024, "previous"], france.loc[2024, "per_thousand"])
    62589.0 nan

    Contracts per 1 000 private-sector employees, Hauts-de-France 2023:

    >>> hdf = series[(series["region"] == "32") & (series["year"] == 2023)].iloc[0]
    >>> print(hdf["contracts"], round(hdf["per_thousand"], 1))
    63004.0 40.9
    """
    rows = ds.apprenticeship.copy()
    rows["year"] = rows["year"].astype(int)
    complete = rows[rows["complete"]].set_index(["region", "year"])["contracts"]
    previous = []
    for row in rows.itertuples():
        if row.complete:
            previous.append(complete.get((row.region, row.year - 1), np.nan))
        else:
            previous.append(
                _like_for_like(
                    ds.apprenticeship_observations, row.region, row.source, row.period_end
                )
            )
    rows["previous"] = previous
    rows["change_pct"] = metrics.growth_rate(rows["contracts"], rows["previous"])
    rows["significant"] = ~(rows["previous"] < MIN_BASE)
    rows["period"] = [
        f"année {year}" if done else french.month_span(pd.Timestamp(end).date())
        for year, done, end in zip(rows["year"], rows["complete"], rows["period_end"], strict=True)
    ]
    crosses = rows["complete"] & rows["previous"].notna()
    rows["source_break"] = [
        SOURCE_BREAKS.get(year, ("", ""))[0] if cross else ""
        for year, cross in zip(rows["year"], crosses, strict=True)
    ]
    totals = ds.urssaf_totals.set_index(["region", "year"])["employment"]
    employees = pd.Series(
        [totals.get((r, y), np.nan) for r, y in zip(rows["region"], rows["year"], strict=True)],
        index=rows.index,
    )
    rows["per_thousand"] = metrics.per_thousand(rows["contracts"], employees).where(
        rows["complete"]
    )
    return rows.sort_values(["region", "year"]).reset_index(drop=True)


def headline_apprenticeship_year(ds: Datasets, year: int) -> int | None:
    """Return the complete year heading a ``year`` edition's apprenticeship figures, or None.

    ``year`` itself when France's count for it is complete; when it is partial (2024:
    January to April), the last complete year before it; None when no source covers
    ``year`` (editions before 2017).

    Examples
    --------
    >>> import analysis as an
    >>> from analysis import indicators
    >>> ds = an.Datasets()
    >>> [indicators.headline_apprenticeship_year(ds, year) for year in (2016, 2017, 2023, 2024)]
    [None, 2017, 2023, 2023]
    """
    france = ds.apprenticeship[ds.apprenticeship["region"] == FRANCE]
    covered = set(france["year"].astype(int))
    if year not in covered:
        return None
    complete = sorted(int(y) for y in france.loc[france["complete"], "year"] if y <= year)
    return complete[-1] if complete else None


def apprenticeship_table(ds: Datasets, year: int) -> pd.DataFrame:
    """Return the apprenticeship figures of the ``year`` edition, every region and France.

    The headline is a complete calendar year (:func:`headline_apprenticeship_year`): a
    partial year never heads a figure or ranks regions, since its months weigh
    differently from one region to the next (January-April is 4,7 % of Centre-Val de
    Loire's year and 19,9 % of La Réunion's). The partial year, when the edition's year
    is one, comes in the ``partial_*`` columns with its like-for-like change.

    Returns
    -------
    pandas.DataFrame
        Index ``region`` (18 codes and ``"FR"``); columns of :func:`apprenticeship_series`
        for the headline year (``year``, ``contracts``, ``source``, ``period_end``,
        ``complete``, ``period``, ``previous``, ``change_pct``, ``significant``,
        ``source_break``, ``per_thousand``), ``rank_metro`` (among the 13 metropolitan
        regions) and ``partial_contracts``, ``partial_period``, ``partial_previous``,
        ``partial_change_pct``, ``partial_significant``, ``partial_source``.

    Examples
    --------
    >>> import analysis as an
    >>> ds = an.Datasets()
    >>> table = an.apprenticeship_table(ds, 2024)  # 2024 is partial: 2023 heads the figures
    >>> len(table), int(table["year"].iloc[0])
    (19, 2023)
    >>> cols = ["contracts", "change_pct", "per_thousand", "rank_metro"]
    >>> print(table.loc[["11", "32", "FR"], cols].round(1).to_string())
            contracts  change_pct  per_thousand  rank_metro
    region
    11       207041.0         6.1          40.0           1
    32        63004.0         0.4          40.9           6
    FR       852235.0         2.3          42.7        <NA>

    January-April 2024 against January-April 2023, never ranked:

    >>> cols = ["partial_period", "partial_contracts", "partial_previous", "partial_change_pct"]
    >>> print(table.loc[["32", "FR"], cols].round(1).to_string())
                partial_period  partial_contracts  partial_previous  partial_change_pct
    region
    32      janvier-avril 2024             5221.0            4444.0                17.5
    FR      janvier-avril 2024            71605.0           62589.0                14.4

    A complete year has no ``partial_*`` values:

    >>> bool(an.apprenticeship_table(ds, 2022)["partial_contracts"].isna().all())
    True
    """
    index = pd.Index([*REGION_CODES, FRANCE], name="region")
    series = apprenticeship_series(ds)
    headline = headline_apprenticeship_year(ds, year)
    columns = [
        "year", "contracts", "source", "period_end", "complete", "period", "previous",
        "change_pct", "significant", "source_break", "per_thousand",
    ]  # fmt: skip
    rows = series[series["year"] == headline].set_index("region")
    table = rows[columns].reindex(index)
    metro = table.loc[list(METROPOLITAN_REGIONS), "contracts"].astype(float)
    table["rank_metro"] = metrics.rank(metro).reindex(index)
    partial = series[(series["year"] == year) & ~series["complete"].astype(bool)]
    partial = partial.set_index("region").reindex(index)
    for column in ("contracts", "period", "previous", "change_pct", "significant", "source"):
        table[f"partial_{column}"] = partial[column]
    return table


def apprenticeship_by_year(ds: Datasets, region: str) -> pd.DataFrame:
    """Contracts of ``region`` and France for every year the sources cover.

    Returns
    -------
    pandas.DataFrame
        One row per year: ``year``, ``period``, ``source``, ``complete``, ``contracts``,
        ``change_pct``, ``significant``, ``source_break`` (see
        :func:`apprenticeship_series`), ``france``, ``france_change_pct`` and
        ``per_thousand``.

    Examples
    --------
    >>> import analysis as an
    >>> ds = an.Datasets()
    >>> table = an.apprenticeship_by_year(ds, "32")
    >>> list(table.columns)
    ['year', 'period', 'source', 'complete', 'contracts', 'change_pct', 'significant',
     'source_break', 'per_thousand', 'france', 'france_change_pct']
    >>> cols = ["year", "contracts", "change_pct", "france", "france_change_pct"]
    >>> print(table.loc[table["year"] >= 2021, cols].round(1).to_string(index=False))
     year  contracts  change_pct   france  france_change_pct
     2021    56967.0        47.4 731785.0               39.0
     2022    62780.0        10.2 833406.0               13.9
     2023    63004.0         0.4 852235.0                2.3
     2024     5221.0        17.5  71605.0               14.4
    >>> table.loc[~table["complete"], "period"].tolist()
    ['janvier-avril 2024']
    """
    series = apprenticeship_series(ds)
    mine = series[series["region"] == region].set_index("year")
    france = series[series["region"] == FRANCE].set_index("year")
    table = mine[
        ["period", "source", "complete", "contracts", "change_pct", "significant",
         "source_break", "per_thousand"]
    ].copy()  # fmt: skip
    table["complete"] = table["complete"].astype(bool)
    table["france"] = france["contracts"].reindex(table.index)
    table["france_change_pct"] = france["change_pct"].reindex(table.index)
    return table.reset_index()


def rolling_twelve_months_check(ds: Datasets) -> pd.DataFrame:
    """Etalab's last value (twelve months to 31 October 2022) against DITP's year 2022.

    Etalab's value dated 2022-10-31 is a rolling twelve-month total, not January to
    October: it lies within 2 % of DITP's calendar-year 2022 total in 16 of 18 regions
    (beyond: Martinique and Mayotte, small bases; France: 834 549 against 833 406).
    That closeness is what allows the 2021 (Etalab) to 2022 (DITP) change.

    Returns
    -------
    pandas.DataFrame
        Index ``region`` (18 codes and ``"FR"``); ``rolling`` (Etalab, 12 months to
        2022-10-31), ``calendar`` (DITP, January-December 2022), ``gap_pct``.

    Examples
    --------
    >>> from analysis import indicators
    >>> import analysis as an
    >>> ds = an.Datasets()
    >>> check = indicators.rolling_twelve_months_check(ds)
    >>> print(check.loc[["11", "32", "FR"]].round(1).to_string())
             rolling  calendar  gap_pct
    region
    11      193723.0  195055.0     -0.7
    32       62733.0   62780.0     -0.1
    FR      834549.0  833406.0      0.1
    >>> far = check.drop("FR")["gap_pct"].abs() >= 2  # beyond 2 %: Martinique, Mayotte
    >>> int((~far).sum()), list(far.index[far])
    (16, ['02', '06'])
    """
    obs = ds.apprenticeship_observations
    end = pd.Timestamp("2022-10-31")
    rolling = obs[(obs["source"] == "etalab") & (obs["period_end"] == end)]
    calendar = obs[(obs["source"] == "ditp") & (obs["period_end"] == pd.Timestamp("2022-12-31"))]
    index = pd.Index([*REGION_CODES, FRANCE], name="region")
    table = pd.DataFrame(
        {
            "rolling": rolling.set_index("region")["contracts"].reindex(index),
            "calendar": calendar.set_index("region")["contracts"].reindex(index),
        }
    )
    table["gap_pct"] = metrics.growth_rate(table["rolling"], table["calendar"])
    return table


def branch_year(ds: Datasets, year: int) -> int | None:
    """Return the URSSAF year used for the A38 branches: ``year`` if covered, else None.

    Examples
    --------
    >>> from analysis import indicators
    >>> import analysis as an
    >>> ds = an.Datasets()
    >>> indicators.branch_year(ds, 2024), indicators.branch_year(ds, 2021)
    (2024, None)
    """
    years = set(int(y) for y in ds.urssaf["year"].unique())
    return year if year in years else None


def nearest_branch_year(ds: Datasets, year: int) -> int | None:
    """Return the latest URSSAF branch year not after ``year`` (None before the first).

    An edition never shows later data: a 2021 edition falls back on 2019, not on 2022.

    Examples
    --------
    >>> from analysis import indicators
    >>> import analysis as an
    >>> ds = an.Datasets()
    >>> [indicators.nearest_branch_year(ds, year) for year in (2018, 2019, 2021, 2025)]
    [None, 2019, 2019, 2024]
    """
    years = [int(y) for y in ds.urssaf["year"].unique() if int(y) <= year]
    return max(years) if years else None


def latest_employment_year(ds: Datasets, year: int) -> int | None:
    """Return the latest year not after ``year`` with industrial employment data, or None.

    Examples
    --------
    >>> from analysis import indicators
    >>> import analysis as an
    >>> ds = an.Datasets()
    >>> indicators.latest_employment_year(ds, 2021), indicators.latest_employment_year(ds, 2024)
    (2020, 2024)
    """
    for earlier in range(year, 2009, -1):
        if employment_choice(ds, earlier) is not None:
            return earlier
    return None


def branch_table(ds: Datasets, region: str, year: int) -> pd.DataFrame:
    """Industrial branches (A38 within BE) of ``region`` in URSSAF year ``year``.

    Returns
    -------
    pandas.DataFrame
        One row per branch, largest first: ``a38``, ``sector``, ``employment``,
        ``masked`` (True when some zone cells are secret, so the value is a lower
        bound), ``share_pct`` of the region's industry, ``previous`` and ``change_pct``
        (against the previous URSSAF year, on the zone cells known at both dates),
        ``quotient`` (specialisation index against France métropolitaine, all private
        sectors as the total), ``highlighted``.

    Examples
    --------
    >>> import analysis as an
    >>> ds = an.Datasets()
    >>> table = an.branch_table(ds, "32", 2023)
    >>> list(table.columns)
    ['a38', 'sector', 'employment', 'masked', 'share_pct', 'previous', 'change_pct',
     'quotient', 'highlighted']
    >>> print(len(table), round(table["share_pct"].sum(), 1))  # the 16 branches of industry
    16 100.0
    >>> cols = ["a38", "sector", "employment", "share_pct", "change_pct", "quotient"]
    >>> print(table[cols].head(3).round(2).to_string(index=False))
    a38              sector  employment  share_pct  change_pct  quotient
     CA   Ind. alimentaires     53401.0      18.76        0.91      1.18
     CH         Métallurgie     39636.0      13.92       -0.04      1.36
     CL Matériels transport     34317.0      12.05       -1.04      1.23

    A masked branch is a lower bound; a quotient above 1 means more specialised than France
    métropolitaine:

    >>> table.loc[table["masked"], "a38"].tolist()
    ['CE', 'CB', 'CF', 'CI', 'BZ', 'CD']
    >>> table.loc[table["quotient"] > 1.4, "sector"].tolist()
    ['Caoutchouc, plastique', 'Chimie']

    The first URSSAF year has no previous year, so no change:

    >>> bool(an.branch_table(ds, "32", 2019)["change_pct"].isna().all())
    True
    """
    urssaf = ds.urssaf
    years = sorted(int(y) for y in urssaf["year"].unique())
    earlier = [y for y in years if y < year]
    metro = urssaf[urssaf["region"].isin(METROPOLITAN_REGIONS)]
    reference = metro[metro["year"] == year].groupby("a38")["employment"].sum(min_count=1)
    reference_total = ds.urssaf_totals.query("year == @year and region in @METROPOLITAN_REGIONS")[
        "employment"
    ].sum()
    rows = urssaf[(urssaf["region"] == region) & (urssaf["year"] == year)].set_index("a38")
    total = ds.urssaf_totals.query("year == @year and region == @region")["employment"]
    total = float(total.iloc[0]) if len(total) else np.nan
    industry = rows[rows["a5"] == INDUSTRY]
    table = pd.DataFrame(
        {
            "sector": industry["sector"],
            "employment": industry["employment"],
            "masked": industry["masked_cells"] > 0,
        }
    )
    table["share_pct"] = metrics.shares(table["employment"], industry["employment"].sum())
    if earlier:
        before = urssaf[(urssaf["region"] == region) & (urssaf["year"] == earlier[-1])]
        table["previous"] = before.set_index("a38")["employment"].reindex(table.index)
        pair = ds.urssaf_like_for_like(earlier[-1], year)
        pair = (
            pair[pair["region"] == region]
            .pivot_table(index="a38", columns="year", values="employment", aggfunc="sum")
            .reindex(columns=[earlier[-1], year])  # a region URSSAF lacks (Mayotte)
        )
        table["change_pct"] = metrics.growth_rate(
            pair[year].reindex(table.index), pair[earlier[-1]].reindex(table.index)
        )
    else:
        table["previous"] = np.nan
        table["change_pct"] = np.nan
    table["quotient"] = metrics.location_quotient(
        rows["employment"], reference, region_total=total, reference_total=reference_total
    ).reindex(table.index)
    table["highlighted"] = table.index.isin(list(HIGHLIGHTED_BRANCHES))
    table = table.sort_values("employment", ascending=False, na_position="last")
    return table.reset_index()


def decomposition(
    ds: Datasets, region: str, start: int, end: int
) -> tuple[pd.DataFrame, list[str]]:
    """Shift-share of ``region``'s industrial branches from URSSAF ``start`` to ``end``.

    The reference is France métropolitaine. Branches with a missing value (secret) in
    the region at either date are left out and returned, so the report can say so.

    Returns
    -------
    table : pandas.DataFrame
        :func:`analysis.metrics.shift_share` by branch, with ``sector``, sorted by
        ``change`` from the largest fall to the largest rise, plus the contribution of
        each branch to the change (points).
    dropped : list of str
        Names of the branches left out.

    Examples
    --------
    >>> import analysis as an
    >>> ds = an.Datasets()
    >>> table, dropped = an.decomposition(ds, "32", 2019, 2024)
    >>> list(table.columns), table.index.name, dropped
    (['sector', 'start', 'end', 'change', 'national', 'mix', 'regional', 'contribution'], 'a38', [])
    >>> print(table.loc[["CA", "CG"]].round(1).to_string())
                        sector    start      end  change  national     mix  regional  contribution
    a38
    CA       Ind. alimentaires  49817.0  54489.0  4672.0    1381.5  2954.2     336.3           1.7
    CG   Caoutchouc, plastique  31966.0  29575.0 -2391.0     886.4 -2183.6   -1093.9          -0.8

    The three effects add up to the change, branch by branch:

    >>> effects = table[["national", "mix", "regional"]].sum(axis=1)
    >>> bool((effects - table["change"]).abs().max() < 1e-6)
    True

    Overseas, branches secret at either date are left out:

    >>> an.decomposition(ds, "01", 2019, 2024)[1]
    ['Cokéfaction, raffinage', 'Pharmacie']
    """
    pair = ds.urssaf_like_for_like(start, end)
    urssaf = pair[pair["a5"] == INDUSTRY]

    def level(codes, year):
        # Sums of the zone cells known at both dates: a cell that stops being secret is
        # not growth.
        rows = urssaf[urssaf["region"].isin(codes) & (urssaf["year"] == year)]
        return rows.groupby("a38")["employment"].sum(min_count=1)

    r0, r1 = level([region], start), level([region], end)
    f0, f1 = level(list(METROPOLITAN_REGIONS), start), level(list(METROPOLITAN_REGIONS), end)
    frame = pd.DataFrame({"r0": r0, "r1": r1, "f0": f0, "f1": f1})
    labels = urssaf.drop_duplicates("a38").set_index("a38")["sector"]
    missing = frame.index[frame.isna().any(axis=1)]
    dropped = sorted(labels.reindex(missing).fillna(pd.Series(missing, index=missing)))
    frame = frame.dropna()
    if frame.empty:
        return pd.DataFrame(
            columns=[
                "sector",
                "start",
                "end",
                "change",
                "national",
                "mix",
                "regional",
                "contribution",
            ]
        ), dropped
    table = metrics.shift_share(frame["r0"], frame["r1"], frame["f0"], frame["f1"])
    table["contribution"] = metrics.contributions(frame["r0"], frame["r1"])
    table.insert(0, "sector", labels.reindex(table.index))
    return table.sort_values("change"), dropped


def decomposition_period(ds: Datasets, year: int) -> tuple[int, int] | None:
    """Return the URSSAF years a ``year`` edition decomposes, or None.

    From the first URSSAF year (2019) to the latest one not after ``year``; None when
    there are not two such years (editions before 2022).

    Examples
    --------
    >>> from analysis import indicators
    >>> import analysis as an
    >>> ds = an.Datasets()
    >>> [indicators.decomposition_period(ds, year) for year in (2020, 2022, 2024, 2025)]
    [None, (2019, 2022), (2019, 2024), (2019, 2024)]
    """
    years = sorted(int(y) for y in ds.urssaf["year"].unique())
    end = nearest_branch_year(ds, year)
    if end is None or end == years[0]:
        return None
    return years[0], end


def decomposition_summary(ds: Datasets, region: str, start: int, end: int) -> dict:
    """Totals of the shift-share and, in the same field, the change of all industry.

    Returns
    -------
    dict
        ``national``, ``mix``, ``regional``, ``change`` (sums over the branches kept by
        :func:`decomposition`), ``dropped`` (names of the branches left out) and
        ``all_change``: the change of the region's industrial employment over the same
        years in the same source and field (URSSAF, private sector, cells known at both
        dates), so that a sentence may set the kept branches beside the whole.

    Examples
    --------
    >>> import analysis as an
    >>> ds = an.Datasets()
    >>> summary = an.decomposition_summary(ds, "32", 2019, 2024)
    >>> sorted(summary)
    ['all_change', 'change', 'dropped', 'mix', 'national', 'regional']
    >>> {key: round(summary[key]) for key in ("national", "mix", "regional", "change")}
    {'national': 7840, 'mix': -1318, 'regional': -4229, 'change': 2293}
    >>> summary["all_change"], summary["dropped"]
    (2293.0, [])
    """
    table, dropped = decomposition(ds, region, start, end)
    before, after = _like_for_like_industry(ds, start, end)
    return {
        "national": float(table["national"].sum()),
        "mix": float(table["mix"].sum()),
        "regional": float(table["regional"].sum()),
        "change": float(table["change"].sum()),
        "dropped": dropped,
        "all_change": float(after.get(region, np.nan) - before.get(region, np.nan)),
    }


#: Below this many recruitment projects, a share of them (difficult, seasonal) is "n.s.".
MIN_PROJECTS = 30


def _share_of_projects(part: pd.Series, projects: pd.Series) -> pd.Series:
    """Share of ``part`` in ``projects`` (%), NaN on a base under :data:`MIN_PROJECTS`.

    Both are sums of the known basin cells. A part that is secret ("*") in a cell whose
    projects are known counts as unknown, so the share is a lower bound. Secret cells
    hide small counts: leaving those cells out of the base instead would bias the share
    up. Checked on France: 49,6 % of projects judged difficult this way, 50,1 % published
    by France Travail, 55,2 % if the cells were left out.
    """
    return metrics.shares(part, projects).where(projects >= MIN_PROJECTS)


def bmo_table(ds: Datasets, region: str, top: int = 10) -> tuple[pd.DataFrame, dict]:
    """Industrial occupations with the most recruitment projects in BMO 2025.

    Industrial occupations are France Travail's family "Ouvriers des secteurs de
    l'industrie" (the ``industrial`` flag of :func:`analysis.loaders.read_bmo`).

    Returns
    -------
    table : pandas.DataFrame
        ``occupation_name`` (typos of the source corrected), ``projects``,
        ``difficult_pct``, ``seasonal_pct`` (NaN on fewer than :data:`MIN_PROJECTS`
        projects, printed "n.s."), ``small_base``, ``masked`` (some basin cells secret),
        largest first, ``top`` rows.
    summary : dict
        See :func:`recruitment_summary`.

    Examples
    --------
    >>> import analysis as an
    >>> ds = an.Datasets()
    >>> table, summary = an.bmo_table(ds, "32", top=3)
    >>> list(table.columns)
    ['occupation_name', 'projects', 'difficult_pct', 'seasonal_pct', 'small_base', 'masked']
    >>> print(table[["occupation_name", "projects", "difficult_pct"]].round(1).to_string())
                                               occupation_name  projects  difficult_pct
    0  Ouvriers peu qualifiés des industries agro-alimentaires    2071.0           31.4
    1                        Ouvriers mécaniciens de véhicules    1469.0           72.1
    2         Ouvriers de la maintenance générale et mécanique    1054.0           85.3
    >>> print(table[["seasonal_pct", "small_base", "masked"]].round(1).to_string())
       seasonal_pct  small_base  masked
    0          56.2       False    True
    1           3.7       False   False
    2           4.3       False    True

    ``summary`` is :func:`recruitment_summary`'s (all the family, not the top rows):

    >>> print(summary["projects"], summary["masked_cells"])
    15337.0 135
    """
    from .loaders.recruitment import occupation_label

    rows = ds.bmo[(ds.bmo["region"] == region) & ds.bmo["industrial"]]
    table = pd.DataFrame(
        {
            "occupation_name": rows["occupation_name"].map(occupation_label),
            "projects": rows["projects"],
            "difficult_pct": _share_of_projects(rows["difficult"], rows["projects"]),
            "seasonal_pct": _share_of_projects(rows["seasonal"], rows["projects"]),
            "small_base": ~(rows["projects"] >= MIN_PROJECTS),
            "masked": rows["projects_masked_cells"] > 0,
        }
    )
    table = table.sort_values("projects", ascending=False, na_position="last").head(top)
    return table.reset_index(drop=True), recruitment_summary(ds, region)


def recruitment_summary(ds: Datasets, region: str) -> dict:
    """Industrial recruitment projects of ``region`` in BMO 2025 against all projects.

    Returns a dict with ``projects`` (family "Ouvriers des secteurs de l'industrie",
    known cells), ``staff_projects`` (technicians, supervisors and engineers of industry,
    shown apart), ``all_projects``, ``share_pct`` (industrial in all), ``difficult_pct``
    (industrial projects judged difficult; NaN on fewer than :data:`MIN_PROJECTS`
    projects), ``all_difficult_pct``, ``masked_cells`` (secret cells left out of
    ``projects``: it is a lower bound) and ``small_base``.

    Examples
    --------
    >>> import analysis as an
    >>> ds = an.Datasets()
    >>> summary = an.recruitment_summary(ds, "32")
    >>> sorted(summary)
    ['all_difficult_pct', 'all_projects', 'difficult_pct', 'masked_cells', 'projects',
     'share_pct', 'small_base', 'staff_projects']
    >>> int(summary["projects"]), int(summary["all_projects"]), round(summary["share_pct"], 1)
    (15337, 155530, 9.9)
    >>> round(summary["difficult_pct"], 1), round(summary["all_difficult_pct"], 1)
    (53.3, 43.8)
    >>> summary["masked_cells"], summary["small_base"]
    (135, False)
    >>> france = an.recruitment_summary(ds, "FR")
    >>> int(france["projects"]), round(france["difficult_pct"], 1)
    (197960, 58.7)
    """
    rows = ds.bmo[ds.bmo["region"] == region]
    industrial = rows[rows["industrial"]]
    projects = industrial["projects"].sum(min_count=1)
    all_projects = rows["projects"].sum(min_count=1)

    def share(part, base) -> float:
        return float(_share_of_projects(pd.Series([part]), pd.Series([base])).iloc[0])

    return {
        "projects": projects,
        "staff_projects": rows.loc[rows["industry_staff"], "projects"].sum(min_count=1),
        "all_projects": all_projects,
        "share_pct": share(projects, all_projects),
        "difficult_pct": share(industrial["difficult"].sum(), projects),
        "all_difficult_pct": share(rows["difficult"].sum(), all_projects),
        "masked_cells": int(industrial["projects_masked_cells"].sum()),
        "small_base": not (projects >= MIN_PROJECTS),
    }


def report_years(ds: Datasets) -> list[int]:
    """Years a report can be built for: industrial employment or apprenticeship exists.

    France as a whole must be covered, so INSEE counts from 2010 (its first complete
    quarter, 2010T4).

    Examples
    --------
    >>> import analysis as an
    >>> ds = an.Datasets()
    >>> years = an.report_years(ds)
    >>> years[0], years[-1], len(years)
    (2010, 2024, 15)
    """
    return sorted(source_coverage(ds).index)


def source_coverage(ds: Datasets) -> pd.DataFrame:
    """Describe what each source gives for each report year, in English, for ``analysis years``.

    Returns
    -------
    pandas.DataFrame
        Index ``year``; one column per source (``insee``, ``urssaf``, ``apprenticeship``,
        ``bmo``) with a short description or ``""``.

    Examples
    --------
    >>> import analysis as an
    >>> ds = an.Datasets()
    >>> coverage = an.source_coverage(ds)
    >>> list(coverage.columns), coverage.index.name
    (['insee', 'urssaf', 'apprenticeship', 'bmo'], 'year')
    >>> years, cols = [2010, 2019, 2020, 2021, 2024], ["insee", "urssaf", "apprenticeship"]
    >>> print(coverage.loc[years, cols].to_string())
                  insee        urssaf                apprenticeship
    year
    2010         2010Q4
    2019  2019Q1-2019Q4  A38 branches          etalab to 2019-12-31
    2020         2020Q1                        etalab to 2020-12-31
    2021                                       etalab to 2021-12-31
    2024                 A38 branches  ditp to 2024-04-30 (partial)
    """
    quarters = _insee_quarters(ds)
    urssaf_years = set(int(y) for y in ds.urssaf["year"].unique())
    france = ds.apprenticeship[ds.apprenticeship["region"] == FRANCE].set_index("year")
    years = sorted(set(quarters.year) | urssaf_years | set(int(y) for y in france.index))
    rows = {}
    for year in years:
        in_year = quarters[quarters.year == year]
        insee = ""
        if len(in_year):
            insee = f"{in_year.min()}-{in_year.max()}" if len(in_year) > 1 else str(in_year[0])
        urssaf = "A38 branches" if year in urssaf_years else ""
        appr = ""
        if year in france.index:
            row = france.loc[year]
            end = pd.Timestamp(row["period_end"]).date()
            appr = f"{row['source']} to {end:%Y-%m-%d}" + ("" if row["complete"] else " (partial)")
        rows[year] = {"insee": insee, "urssaf": urssaf, "apprenticeship": appr, "bmo": ""}
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "year"
    return table


def latest_year(ds: Datasets) -> int:
    """Return the latest report year.

    Examples
    --------
    >>> from analysis import indicators
    >>> import analysis as an
    >>> indicators.latest_year(an.Datasets())
    2024
    """
    return report_years(ds)[-1]
