"""The report's indicators for one year, region by region, each with its period and source.

This is where the sources meet. For a requested year, each indicator takes the best
source that covers it and says which, for which period:

* **Industrial employment** (A5 = BE: extractive industries, manufacturing, energy,
  water and waste). From 2022, URSSAF (private sector, annual; the change is against the
  previous year the file has, so 2022 is compared with 2019). Up to 2020, INSEE's
  quarterly estimates (all salaried jobs) at the last quarter of the year the file has,
  compared with the same quarter a year before. 2021 has neither.
* **Apprenticeship** (new contracts, all sectors): one value per year by the rule of
  :func:`analysis.loaders.read_apprenticeship`; the change compares like with like, the
  same months of the previous year *in the same source* (the Etalab and DITP series
  differ by about 10 % for the same months, so no change is computed across them).
* **Recruitment projects**: BMO 2025, the only edition in the data, whatever the year.

Every function returns plain tables; :mod:`analysis.keyfigures` turns them into the
figures of a report, :mod:`analysis.sections` into its text, tables and charts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import french, metrics
from .datasets import METROPOLE, Datasets
from .geo import FRANCE, METROPOLITAN_REGIONS, REGION_CODES
from .loaders._aggregate import strict_sum

INDUSTRY = "BE"
#: A38 branches picked out in the reports, after OPCO 2i's largest branches.
HIGHLIGHTED_BRANCHES = {
    "CH": "Métallurgie",
    "CG": "Caoutchouc, plastique",
    "CE": "Chimie",
    "CL": "Matériels de transport",
    "CA": "Agroalimentaire",
}
#: Source ids of the catalogue, as the figures cite them.
INSEE_SOURCE = "insee_ete_a17"
URSSAF_SOURCE = "urssaf_ze_a38"
URSSAF_TOTALS_SOURCE = "urssaf_region_series"
BMO_SOURCE = "bmo_2025"

__all__ = [
    "HIGHLIGHTED_BRANCHES",
    "INDUSTRY",
    "EmploymentChoice",
    "apprenticeship_table",
    "bmo_table",
    "branch_table",
    "employment_choice",
    "employment_table",
    "recruitment_summary",
    "report_years",
    "source_coverage",
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
    def provisional(self) -> bool:
        """True for the INSEE quarters from 2019 on, which the file does not revise."""
        return self.source == INSEE_SOURCE and self.period >= pd.Period("2019Q1", "Q")

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


def _insee_levels(ds: Datasets, quarter: pd.Period) -> pd.DataFrame:
    rows = ds.insee[ds.insee["quarter"] == quarter]
    total = strict_sum(rows, ["region"], "employment")
    industry = strict_sum(rows[rows["a5"] == INDUSTRY], ["region"], "employment")
    frame = pd.DataFrame({"industry": industry, "total": total, "masked_cells": 0})
    return frame.reset_index()


def _urssaf_levels(ds: Datasets, year: int) -> pd.DataFrame:
    rows = ds.urssaf[(ds.urssaf["year"] == year) & (ds.urssaf["a5"] == INDUSTRY)]
    grouped = rows.groupby("region")
    frame = pd.DataFrame(
        {
            "industry": grouped["employment"].sum(min_count=1),
            "masked_cells": grouped["masked_cells"].sum(),
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
    }
    return pd.concat([levels, pd.DataFrame([row])], ignore_index=True)


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
        ``change_pct``, ``masked_cells`` (URSSAF cells left out of the sum),
        ``rank_metro`` (among the 13 metropolitan regions) and ``rank_all`` (among the
        regions with data).
    """
    index = pd.Index([*REGION_CODES, FRANCE, METROPOLE], name="region")
    choice = employment_choice(ds, year)
    columns = ["industry", "total", "share_pct", "previous", "change", "change_pct"]
    if choice is None:
        table = pd.DataFrame(np.nan, index=index, columns=columns)
        table["masked_cells"] = 0
    else:
        now = _levels(ds, choice, choice.period).reindex(index)
        table = now[["industry", "total"]].copy()
        table["masked_cells"] = now["masked_cells"].fillna(0).astype(int)
        table["share_pct"] = metrics.shares(table["industry"], table["total"])
        if choice.previous is not None:
            before = _levels(ds, choice, choice.previous).reindex(index)
            table["previous"] = before["industry"]
        else:
            table["previous"] = np.nan
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


def apprenticeship_table(ds: Datasets, year: int) -> pd.DataFrame:
    """Return new apprenticeship contracts in ``year``, every region and France.

    Returns
    -------
    pandas.DataFrame
        Index ``region`` (18 codes and ``"FR"``); columns ``contracts``, ``source``,
        ``period_end``, ``complete``, ``period`` (French label, e.g. ``"année 2023"`` or
        ``"janvier-avril 2024"``), ``previous`` (same months of the year before, same
        source), ``change_pct``, ``per_thousand`` (contracts per 1 000 private
        salaried employees of the same year, complete years only) and ``rank_metro``.
    """
    index = pd.Index([*REGION_CODES, FRANCE], name="region")
    rows = ds.apprenticeship[ds.apprenticeship["year"] == year].set_index("region")
    table = rows[["contracts", "source", "period_end", "complete"]].reindex(index)
    table["period"] = [
        french.month_span(end.date()) if pd.notna(end) else f"année {year}"
        for end in table["period_end"]
    ]
    table["previous"] = [
        _like_for_like(ds.apprenticeship_observations, region, source, end)
        if isinstance(source, str)
        else np.nan
        for region, source, end in zip(
            table.index, table["source"], table["period_end"], strict=True
        )
    ]
    table["change_pct"] = metrics.growth_rate(table["contracts"], table["previous"])
    totals = ds.urssaf_totals[ds.urssaf_totals["year"] == year].set_index("region")["employment"]
    per_thousand = metrics.per_thousand(table["contracts"], totals.reindex(index))
    table["per_thousand"] = per_thousand.where(table["complete"].fillna(False).astype(bool))
    table["rank_metro"] = metrics.rank(table.loc[list(METROPOLITAN_REGIONS), "contracts"]).reindex(
        index
    )
    return table


#: Below this many contracts the year before, a change in percent is "n.s." (not
#: significant): Mayotte's 14 contracts in 2017 would make a +800 % of a few contracts.
MIN_BASE = 100


def apprenticeship_by_year(ds: Datasets, region: str) -> pd.DataFrame:
    """Contracts of ``region`` and France for every year the sources cover.

    Returns
    -------
    pandas.DataFrame
        One row per year: ``year``, ``period``, ``source``, ``complete``, ``contracts``,
        ``change_pct`` (like for like, see :func:`apprenticeship_table`), ``significant``
        (False when the base is under :data:`MIN_BASE` contracts), ``france``,
        ``france_change_pct`` and ``per_thousand``.
    """
    rows = []
    for year in sorted(int(y) for y in ds.apprenticeship["year"].unique()):
        table = apprenticeship_table(ds, year)
        mine, france = table.loc[region], table.loc[FRANCE]
        rows.append(
            {
                "year": year,
                "period": mine["period"],
                "source": mine["source"],
                "complete": bool(mine["complete"]) if pd.notna(mine["complete"]) else False,
                "contracts": mine["contracts"],
                "change_pct": mine["change_pct"],
                "significant": not (mine["previous"] < MIN_BASE),
                "france": france["contracts"],
                "france_change_pct": france["change_pct"],
                "per_thousand": mine["per_thousand"],
            }
        )
    return pd.DataFrame(rows)


def branch_year(ds: Datasets, year: int) -> int | None:
    """Return the URSSAF year used for the A38 branches: ``year`` if covered, else None."""
    years = set(int(y) for y in ds.urssaf["year"].unique())
    return year if year in years else None


def nearest_branch_year(ds: Datasets, year: int) -> int:
    """Return the URSSAF year closest to ``year`` (the later one on a tie)."""
    years = sorted(int(y) for y in ds.urssaf["year"].unique())
    return min(years, key=lambda y: (abs(y - year), -y))


def branch_table(ds: Datasets, region: str, year: int) -> pd.DataFrame:
    """Industrial branches (A38 within BE) of ``region`` in URSSAF year ``year``.

    Returns
    -------
    pandas.DataFrame
        One row per branch, largest first: ``a38``, ``sector``, ``employment``,
        ``masked`` (True when some zone cells are secret, so the value is a lower
        bound), ``share_pct`` of the region's industry, ``previous`` and ``change_pct``
        (against the previous URSSAF year), ``quotient`` (specialisation index against
        France métropolitaine, all private sectors as the total), ``highlighted``.
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
    else:
        table["previous"] = np.nan
    table["change_pct"] = metrics.growth_rate(table["employment"], table["previous"])
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
    urssaf = ds.urssaf[ds.urssaf["a5"] == INDUSTRY]

    def level(codes, year):
        # Sums of the known cells: the reference's growth does not need every cell.
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


def bmo_table(ds: Datasets, region: str, top: int = 10) -> tuple[pd.DataFrame, dict]:
    """Industrial occupations with the most recruitment projects in BMO 2025.

    Returns
    -------
    table : pandas.DataFrame
        ``occupation_name``, ``projects``, ``difficult_pct``, ``seasonal_pct``,
        ``masked`` (some basin cells secret), largest first, ``top`` rows.
    summary : dict
        See :func:`recruitment_summary`.
    """
    rows = ds.bmo[(ds.bmo["region"] == region) & ds.bmo["industrial"]]
    table = pd.DataFrame(
        {
            "occupation_name": rows["occupation_name"],
            "projects": rows["projects"],
            "difficult_pct": metrics.shares(rows["difficult"], rows["projects"]),
            "seasonal_pct": metrics.shares(rows["seasonal"], rows["projects"]),
            "masked": rows["projects_masked_cells"] > 0,
        }
    )
    table = table.sort_values("projects", ascending=False, na_position="last").head(top)
    return table.reset_index(drop=True), recruitment_summary(ds, region)


def recruitment_summary(ds: Datasets, region: str) -> dict:
    """Industrial recruitment projects of ``region`` in BMO 2025 against all projects.

    Returns a dict with ``projects`` (industrial occupations), ``all_projects``,
    ``share_pct`` (industrial in all), ``difficult_pct`` (industrial projects judged
    difficult), ``all_difficult_pct`` and ``masked_cells`` (secret cells left out).
    """
    rows = ds.bmo[ds.bmo["region"] == region]
    industrial = rows[rows["industrial"]]
    projects = industrial["projects"].sum(min_count=1)
    return {
        "projects": projects,
        "all_projects": rows["projects"].sum(min_count=1),
        "share_pct": metrics.shares(pd.Series([projects]), rows["projects"].sum())[0],
        "difficult_pct": metrics.shares(pd.Series([industrial["difficult"].sum()]), projects)[0],
        "all_difficult_pct": metrics.shares(
            pd.Series([rows["difficult"].sum()]), rows["projects"].sum()
        )[0],
        "masked_cells": int(industrial["projects_masked_cells"].sum()),
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
