"""*Besoins de recrutement*: BMO 2025 projects in the region's industrial occupations."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from .. import blocks, french
from .. import indicators as ind
from ..blocks import Block, Column
from ..geo import FRANCE
from ._base import _int, _pct, _secret_pct, _source

if TYPE_CHECKING:
    from .reports import RegionReport


def recruitment(report: RegionReport) -> Block:
    """BMO 2025: industrial occupations, share judged difficult.

    Parameters
    ----------
    report : RegionReport
        The report whose region and year the section shows.

    Returns
    -------
    Block
        A sentence on the region's projects and the table of its ten industrial occupations
        with the most projects.
    """
    table, summary = ind.bmo_table(report.ds, report.region)
    france = ind.recruitment_summary(report.ds, FRANCE)
    parts: list = []
    if report.year != 2025:
        parts.append(
            blocks.note(
                "Enquête Besoins en main-d'œuvre 2025 : seule édition disponible dans les "
                f"données. Elle porte sur les recrutements envisagés en 2025, non sur "
                f"{report.year}.",
                "missing",
            )
        )
    parts.append(
        blocks.paragraph(
            f"En 2025, les employeurs {report.where} envisagent au moins "
            f"{_int(summary['projects'])} recrutements dans les métiers industriels, soit "
            f"{_pct(summary['share_pct'])} de l'ensemble de leurs projets "
            f"({_pct(france['share_pct'])} en France). {_pct(summary['difficult_pct'])} de ces "
            f"projets sont jugés difficiles, contre {_pct(summary['all_difficult_pct'])} "
            "pour l'ensemble des métiers de la région."
        )
    )
    parts.append(
        blocks.table(
            table,
            [
                Column("occupation_name", "Métier (FAP)", numeric=False),
                Column(
                    "projects",
                    "Projets de recrutement",
                    lambda v: french.flagged(_int(v), secret=pd.isna(v)),
                ),
                Column("difficult_pct", "Part jugée difficile", _secret_pct),
                Column("seasonal_pct", "Part saisonnière", _secret_pct),
            ],
            caption=f"Les 10 métiers industriels aux plus nombreux projets {report.where}, 2025",
            footer=f"Cellules secrètes (s) laissées de côté : {summary['masked_cells']} "
            "cellules bassin × métier industriel ne sont pas comptées, les nombres sont des "
            "minimums et les parts portent sur les seules cellules connues. Source : "
            + _source(ind.BMO_SOURCE)
            + ".",
        )
    )
    return blocks.concat(parts)
