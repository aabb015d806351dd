"""*Apprentissage*: new apprenticeship contracts by year, the region beside France.

:func:`apprenticeship_section` draws the chart and table of one region or of France; the
France overview adds its regions' ranking to it (:func:`analysis.sections.france.apprenticeship`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import blocks, french, plots
from .. import indicators as ind
from ..blocks import Block, Column
from ..datasets import Datasets
from ..geo import FRANCE
from ._base import _int, _signed, _source

if TYPE_CHECKING:
    from .reports import RegionReport


def apprenticeship(report: RegionReport) -> Block:
    """Return new apprenticeship contracts, 2017-2024, region and France.

    Parameters
    ----------
    report : RegionReport
        The report whose region and year the section shows.

    Returns
    -------
    Block
        See :func:`apprenticeship_section`.
    """
    return apprenticeship_section(report.ds, report.region, report.name, report.year)


def apprenticeship_section(ds: Datasets, region: str, name: str, year: int) -> Block:
    """Chart and table of new apprenticeship contracts for ``region`` (or France).

    Parameters
    ----------
    ds : Datasets
        The report's tables.
    region : str
        Region code, or ``"FR"``.
    name : str
        The region's name (``"France"`` for France), as the chart and table print it.
    year : int
        Report year: its row is highlighted; a note says when the series lack it.

    Returns
    -------
    Block
        The chart of contracts and changes, and the table by year.
    """
    rows = ind.apprenticeship_by_year(ds, region)
    where = french.in_region(name)
    parts: list = []
    first, last = int(rows["year"].min()), int(rows["year"].max())
    if year not in set(rows["year"]):
        parts.append(
            blocks.note(
                f"Données d'apprentissage non disponibles pour {year} : les séries couvrent "
                f"{first}-{last}.",
                "missing",
            )
        )
    shown = rows.assign(
        region_change=rows["change_pct"].where(rows["significant"]),
        france_change=rows["france_change_pct"],
        region_contracts=rows["contracts"],
    )
    parts.append(
        plots.apprenticeship_chart(
            shown,
            region_name=name,
            title=f"Nouveaux contrats d'apprentissage {where}, {first}-{last}",
            source=_source("etalab_apprenticeship_regional", "ditp_ind313"),
            caption="Champ : nouveaux contrats d'apprentissage, tous secteurs (les données ne "
            "séparent pas l'industrie). Évolution sur un an calculée dans la même source et sur "
            "les mêmes mois : pas d'évolution en 2017 (première année) ni en 2022 (changement "
            "de source, Etalab puis DITP) ; 2024 : janvier à avril, comparé à janvier-avril 2023.",
        )
    )

    def change(row) -> str:
        return "n.s." if not row["significant"] else _signed(row["change_pct"])

    table = rows.assign(
        change_text=[change(r) for _, r in rows.iterrows()],
        source_name=rows["source"].map({"etalab": "Etalab", "ditp": "DITP"}).fillna("n.d."),
    )
    columns = [
        Column("period", "Période", numeric=False),
        Column("contracts", name, _int),
        Column("change_text", "Évolution", str),
    ]
    if region != FRANCE:
        columns += [
            Column("france", "France", _int),
            Column("france_change_pct", "Évolution France", _signed),
        ]
    columns += [
        Column("per_thousand", "Pour 1 000 salariés du privé", lambda v: french.number(v, 1)),
        Column("source_name", "Source", numeric=False),
    ]
    parts.append(
        blocks.table(
            table,
            columns,
            caption=f"Nouveaux contrats d'apprentissage {where}"
            + ("" if region == FRANCE else " et en France"),
            highlight=lambda r: r["year"] == year,
            footer="Évolution : par rapport aux mêmes mois de l'année précédente, dans la même "
            "source (n.d. en 2017, première année, et en 2022, changement de source) ; n.s. : "
            f"non significatif, moins de {ind.MIN_BASE} contrats l'année précédente. Pour "
            "1 000 salariés : rapporté à l'emploi salarié privé Urssaf de la même année, années "
            "complètes seulement. Source : "
            + _source("etalab_apprenticeship_regional", "ditp_ind313", ind.URSSAF_TOTALS_SOURCE)
            + ".",
        )
    )
    return blocks.concat(parts)
