"""*La région parmi les régions*: every region side by side, and the map of industry's share.

:func:`regions_table` and :func:`share_map` serve both reports: the France overview shows
the table under *Toutes les régions* and the map among its maps, with no region outlined.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from .. import blocks, french, plots
from .. import indicators as ind
from ..blocks import Block, Column
from ..geo import FRANCE, METROPOLITAN_REGIONS, REGION_CODES
from ._base import _int, _pct, _signed, _source

if TYPE_CHECKING:
    from ._base import _Report
    from .reports import RegionReport


def comparison(report: RegionReport) -> Block:
    """All regions side by side with this one highlighted, and the map.

    Parameters
    ----------
    report : RegionReport
        The report whose region and year the section shows.

    Returns
    -------
    Block
        :func:`regions_table` then :func:`share_map`.
    """
    return blocks.concat([regions_table(report), share_map(report)])


def regions_table(report: _Report) -> Block:
    """Return every region side by side, the report's region highlighted, France last.

    Parameters
    ----------
    report : RegionReport or FranceReport
        The report whose region and year the section shows.

    Returns
    -------
    Block
        The table of employment, rank, change, share of industry and apprenticeship, with
        its footer of periods and sources.
    """
    appr = report.apprenticeship_year
    order = [
        *METROPOLITAN_REGIONS,
        *(c for c in REGION_CODES if c not in METROPOLITAN_REGIONS),
        FRANCE,
    ]
    frame = pd.DataFrame(
        {
            "code": order,
            "name": [report.ds.names[c] for c in order],
            "industry": report.levels.loc[order, "industry"].to_numpy(),
            "rank": report.levels.loc[order, "rank_all"].to_numpy(),
            "change_pct": report.levels.loc[order, "change_pct"].to_numpy(),
            "share_pct": report.levels.loc[order, "share_pct"].to_numpy(),
            "contracts": appr.loc[order, "contracts"].to_numpy(),
            "appr_change": appr.loc[order, "change_pct"].to_numpy(),
            "per_thousand": appr.loc[order, "per_thousand"].to_numpy(),
        }
    )
    provisional = report.choice is not None and report.choice.provisional

    def emp(value):
        return french.flagged(_int(value), provisional=provisional)

    field = report.figures["industrial_employment"].label.removeprefix(
        "Emploi salarié dans l'industrie"
    )
    # Each change says its period: the two columns do not cover the same years.
    choice = report.choice
    employment_change = (
        f"Évolution {choice.change_label}"
        if choice is not None and choice.previous
        else "Évolution"
    )
    headline = appr.loc[FRANCE, "period"]
    contracts_header = "Contrats d'apprentissage" + (
        f" ({headline})" if isinstance(headline, str) else ""
    )
    columns = [
        Column("name", "Région", str, numeric=False),
        Column("industry", f"Emploi industriel{field}", emp),
        Column("rank", "Rang (régions avec données)", lambda v: "" if pd.isna(v) else str(int(v))),
        Column("change_pct", employment_change, _signed),
        Column("share_pct", f"Part de l'industrie{field}", _pct),
        Column("contracts", contracts_header, _int),
        Column("appr_change", "Évolution sur un an", _signed),
        Column("per_thousand", "Pour 1 000 salariés", lambda v: french.number(v, 1)),
    ]
    if report.choice is None:
        employment_note = (
            f"Emploi industriel : données non disponibles pour {report.year} (voir la carte "
            "ci-dessous pour la dernière donnée disponible). "
        )
    else:
        change = f", évolution {report.choice.change_label}" if report.choice.previous else ""
        employment_note = (
            f"Emploi industriel : {report.choice.label()}{change}, champ : {report.choice.field}"
            f" ; rang de l'effectif parmi les {report._ranked()} régions disposant de "
            "données. "
        )
    appr_sources = [
        ind.APPRENTICESHIP_SOURCES[s] for s in dict.fromkeys(appr["source"].dropna())
    ] or ["etalab_apprenticeship_regional"]
    footer = (
        employment_note
        + (
            f"Apprentissage (tous secteurs, employeurs publics et privés) : {headline}, "
            "dernière année complète de l'édition, évolution sur l'année précédente ; pour "
            "1 000 salariés du privé : même année, contrats publics et privés rapportés aux "
            "seuls salariés du privé. "
            if isinstance(headline, str)
            else f"Apprentissage : données non disponibles pour {report.year}. "
        )
        + "Source : "
        + _source(
            report.choice.source if report.choice else ind.URSSAF_SOURCE,
            *appr_sources,
            ind.URSSAF_TOTALS_SOURCE,
        )
        + ". n.d. : non disponible ; (p) : provisoire."
    )
    return blocks.table(
        frame,
        columns,
        caption=f"Les régions en {report.year}",
        highlight=lambda r: r["code"] == report.region,
        footer=footer,
    )


def share_map(report: _Report) -> plots.Chart:
    """Return the map of the share of industry in employment, the region outlined.

    Parameters
    ----------
    report : RegionReport or FranceReport
        The report whose region and year the section shows.

    Returns
    -------
    plots.Chart
        The map for the report's year, or for the latest earlier period with data,
        labelled as such.
    """
    if report.choice is None:
        latest = ind.latest_employment_year(report.ds, report.year)
        choice, table = ind.employment_table(report.ds, latest)
        period = f"{choice.label()} (dernière donnée disponible avant {report.year})"
    else:
        choice, table = report.choice, report.levels
        period = choice.label()
    private = choice.source == ind.URSSAF_SOURCE
    field = choice.short_field
    title_field = " privé" if private else f" ({field})"
    value = table.loc[report.region, "share_pct"]
    when = f"{'au' if 'trimestre' in choice.label() else 'en'} {choice.label()}"
    if report.region != FRANCE and not pd.isna(value):
        reading = (
            f" Lecture : {when}, l'industrie représente {_pct(value)} de l'emploi salarié "
            f"{report.where}."
        )
    else:  # the France overview reads the map at its highest region
        shares = table.loc[list(REGION_CODES), "share_pct"].dropna()
        top = shares.idxmax()
        reading = (
            f" Lecture : {when}, c'est {report.ds.where[report.ds.names[top]]} que "
            f"l'industrie pèse le plus dans l'emploi salarié, {_pct(shares.max())}."
        )
    return plots.region_map(
        report.ds.shapes,
        table["share_pct"],
        highlight=None if report.region == FRANCE else report.region,
        title=f"Part de l'industrie dans l'emploi salarié{title_field}, {period}",
        legend=f"% de l'emploi salarié ({field})",
        source=_source(choice.source, "geo_region_shapes"),
        caption=f"Champ : {field}, secteurs B à E (industrie).{reading} Classes par "
        "quantiles ; une valeur égale à une borne appartient à la classe supérieure. "
        "Hachures : donnée non disponible.",
    )
