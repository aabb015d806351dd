"""*Besoins de recrutement*: BMO 2025 projects in the region's industrial occupations."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from .. import blocks, french, keyfigures
from .. import indicators as ind
from ..blocks import Block, Column
from ..geo import FRANCE
from ._base import _int, _pct, _source

if TYPE_CHECKING:
    from .reports import RegionReport


def recruitment(report: RegionReport) -> Block:
    """BMO 2025: the region's projects for industrial workers, share judged difficult.

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
    projects = report.figures["industrial_recruitment_projects"]
    france = report.france_figures["industrial_recruitment_projects"]
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
    keyfigures.check_comparable(projects, france)  # the sentence sets them side by side
    difficult = (
        f"{_pct(summary['difficult_pct'])} de ces projets sont jugés difficiles, contre "
        f"{_pct(summary['all_difficult_pct'])} pour l'ensemble des métiers de la région."
        if not summary["small_base"]
        else f"Moins de {ind.MIN_PROJECTS} projets : parts non significatives."
    )
    parts.append(
        blocks.paragraph(
            f"En 2025, les employeurs {report.where} envisagent au moins "
            f"{_int(summary['projects'])} recrutements d'ouvriers des secteurs de l'industrie "
            f"(famille de métiers de France Travail), soit {_pct(summary['share_pct'])} de "
            "l'ensemble de leurs projets"
            + (
                ""
                if report.region == FRANCE
                else f" ({_pct(ind.recruitment_summary(report.ds, FRANCE)['share_pct'])} en France)"
            )
            + f". {difficult} S'y ajoutent {_int(summary['staff_projects'])} projets de "
            "techniciens, agents de maîtrise et ingénieurs de l'industrie, que France Travail "
            "range dans d'autres familles."
        )
    )

    def share_text(value, small, masked) -> str:
        if small:
            return "n.s."
        return french.flagged(_pct(value), secret=pd.isna(value))  # every part cell secret

    shown = table.assign(
        # The numbers behind the texts, for the section's data: none where "n.s.".
        difficult_shown=table["difficult_pct"].where(~table["small_base"].astype(bool)),
        seasonal_shown=table["seasonal_pct"].where(~table["small_base"].astype(bool)),
        difficult_text=[
            share_text(v, s, m)
            for v, s, m in zip(
                table["difficult_pct"], table["small_base"], table["masked"], strict=True
            )
        ],
        seasonal_text=[
            share_text(v, s, m)
            for v, s, m in zip(
                table["seasonal_pct"], table["small_base"], table["masked"], strict=True
            )
        ],
    )
    parts.append(
        blocks.table(
            shown,
            [
                Column("occupation_name", "Métier (FAP)", numeric=False),
                Column(
                    "projects",
                    "Projets de recrutement",
                    lambda v: french.flagged(_int(v), secret=pd.isna(v)),
                ),
                Column("difficult_text", "Part jugée difficile", str, raw="difficult_shown"),
                Column("seasonal_text", "Part saisonnière", str, raw="seasonal_shown"),
            ],
            caption="Les 10 métiers de la famille « Ouvriers des secteurs de l'industrie » aux "
            f"plus nombreux projets {report.where}, 2025",
            footer=f"Cellules secrètes (s) laissées de côté : {summary['masked_cells']} "
            "cellules bassin × métier ne sont pas comptées, les nombres sont des minimums ; "
            "une part secrète dans un bassin compte comme inconnue (petit nombre), les parts "
            f"sont donc elles aussi des minimums. n.s. : moins de "
            f"{ind.MIN_PROJECTS} projets. Coquilles évidentes des noms de métiers de la "
            "source corrigées à l'affichage. Source : " + _source(ind.BMO_SOURCE) + ".",
        )
    )
    return blocks.concat(parts)
