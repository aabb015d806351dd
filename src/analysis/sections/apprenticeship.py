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
    every = ind.apprenticeship_by_year(ds, region)
    where = ds.where[name]
    parts: list = []
    first, last = int(every["year"].min()), int(every["year"].max())
    rows = every[every["year"] <= year]  # an edition shows no later data
    if year not in set(rows["year"]):
        parts.append(
            blocks.note(
                f"Données d'apprentissage non disponibles pour {year} : les séries couvrent "
                f"{first}–{last}.",
                "missing",
            )
        )
    if rows.empty:
        return blocks.concat(parts)
    last = int(rows["year"].max())
    done = rows[rows["complete"].astype(bool)]
    reading = ""
    if len(done):
        final = done.iloc[-1]
        reading = (
            f" Lecture : en {int(final['year'])}, {_int(final['contracts'])} nouveaux contrats "
            f"d'apprentissage ont commencé {where}"
            + (
                f", {_signed(final['change_pct'])} par rapport à {int(final['year']) - 1}"
                if final["significant"] and final["change_pct"] == final["change_pct"]
                else ""
            )
            + "."
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
            title=f"Nouveaux contrats d'apprentissage {where}, {first}–{last}",
            source=_source("etalab_apprenticeship_regional", "ditp_ind313"),
            caption="Champ : nouveaux contrats d'apprentissage, tous secteurs, employeurs "
            "publics et privés (les données ne séparent pas l'industrie). Évolution d'une "
            "année complète à la précédente ; celle de 2019 à 2020 franchit le passage de "
            "PoEm à DECA, celle de 2021 à 2022 le passage d'Etalab à la DITP (même série de "
            "la Dares)."
            + reading
            + (
                " Barres hachurées, après le trait pointillé : année incomplète ("
                + ", ".join(rows.loc[~rows["complete"], "period"])
                + "), comparée aux mêmes mois de l'année précédente, à ne pas comparer à une "
                "année entière."
                if (~rows["complete"]).any()
                else ""
            ),
        )
    )

    marks = {"poem_deca": " (a)", "etalab_ditp": " (b)"}

    def change(row) -> str:
        if not row["significant"]:
            return "n.s."
        return _signed(row["change_pct"]) + marks.get(row["source_break"], "")

    table = rows.assign(
        change_text=[change(r) for _, r in rows.iterrows()],
        france_change_text=[
            _signed(v) + marks.get(b, "") if v == v else french.NOT_AVAILABLE
            for v, b in zip(rows["france_change_pct"], rows["source_break"], strict=True)
        ],
        source_name=rows["source"].map({"etalab": "Etalab", "ditp": "DITP"}).fillna("n.d."),
        # The numbers behind the texts, for the section's data: none where "n.s.".
        change_shown=rows["change_pct"].where(rows["significant"].astype(bool)),
    )
    columns = [
        Column("period", "Période", numeric=False),
        Column("contracts", name, _int),
        Column("change_text", "Évolution", str, raw="change_shown"),
    ]
    if region != FRANCE:
        columns += [
            Column("france", "France", _int),
            Column("france_change_text", "Évolution France", str, raw="france_change_pct"),
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
            footer="Évolution : par rapport à l'année complète précédente"
            + (
                " ; pour l'année incomplète, par rapport aux mêmes mois de l'année précédente"
                if (~rows["complete"]).any()
                else ""
            )
            + " (n.d. en 2017, première année)."
            + (
                " (a) : passage de PoEm (chambres consulaires) à DECA entre 2019 et 2020, "
                "évolution à lire avec prudence."
                if (rows["source_break"] == "poem_deca").any()
                else ""
            )
            + (
                " (b) : passage d'Etalab à la DITP, deux diffusions de la même série de la "
                "Dares (le total Etalab sur douze mois à fin octobre 2022 est proche du total "
                "DITP de 2022)."
                if (rows["source_break"] == "etalab_ditp").any()
                else ""
            )
            + f" n.s. : non significatif, moins de {ind.MIN_BASE} contrats l'année "
            "précédente. Pour 1 000 salariés : contrats des employeurs publics et privés "
            "rapportés aux seuls salariés du privé (Urssaf) de la même année, années "
            "complètes seulement. Source : "
            + _source("etalab_apprenticeship_regional", "ditp_ind313", ind.URSSAF_TOTALS_SOURCE)
            + ".",
        )
    )
    return blocks.concat(parts)
