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
    """Return the source and periods of industrial employment for ``year``, or None."""
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
    """Return the URSSAF year used for the A38 branches: ``year`` if covered, else None."""
    years = set(int(y) for y in ds.urssaf["year"].unique())
    return year if year in years else None


def nearest_branch_year(ds: Datasets, year: int) -> int | None:
    """Return the latest URSSAF branch year not after ``year`` (None before the first).

    An edition never shows later data: a 2021 edition falls back on 2019, not on 2022.
    """
    years = [int(y) for y in ds.urssaf["year"].unique() if int(y) <= year]
    return max(years) if years else None


def latest_employment_year(ds: Datasets, year: int) -> int | None:
    """Return the latest year not after ``year`` with industrial employment data, or None."""
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
        :func:`analysis.metrics.shift_share` by branch, with ``sector``, largest change
        first, plus the contribution of each branch to the change (points).
    dropped : list of str
        Names of the branches left out.
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
    """
    return sorted(source_coverage(ds).index)


def source_coverage(ds: Datasets) -> pd.DataFrame:
    """Describe what each source gives for each report year, in English, for ``analysis years``.

    Returns
    -------
    pandas.DataFrame
        Index ``year``; one column per source (``insee``, ``urssaf``, ``apprenticeship``,
        ``bmo``) with a short description or ``""``.
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
    """Return the latest report year."""
    return report_years(ds)[-1]
