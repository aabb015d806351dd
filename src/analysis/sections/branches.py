"""*Branches industrielles*: A38 levels, change and specialisation; OPCO 2i's picked out."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from .. import blocks, french, plots
from .. import indicators as ind
from ..blocks import Block, Column
from ._base import _branch_year, _int, _pct, _signed, _source

if TYPE_CHECKING:
    from .reports import RegionReport


def branches(report: RegionReport) -> Block:
    """A38 industrial branches: levels, change, specialisation; OPCO 2i's picked out.

    Parameters
    ----------
    report : RegionReport
        The report whose region and year the section shows.

    Returns
    -------
    Block
        The branches chart and table, after a note when the year shown is not the report's;
        only a note when URSSAF does not cover the region.
    """
    year, warning = _branch_year(report)
    parts: list = [blocks.note(warning, "missing")] if warning else []
    if year is None:
        return blocks.concat(parts)
    table = ind.branch_table(report.ds, report.region, year)
    if table["employment"].notna().sum() == 0:
        parts.append(
            blocks.note(
                f"Données Urssaf par branche non disponibles {report.where} (territoire non "
                "couvert par la source).",
                "missing",
            )
        )
        return blocks.concat(parts)
    parts.append(
        plots.branches_chart(
            table,
            title=f"Branches industrielles {report.where} en {year} (salariés du privé)",
            source=_source(ind.URSSAF_SOURCE),
            caption="Champ : salariés du secteur privé. En bleu, les grandes branches de "
            "l'industrie suivies par OPCO 2i (métallurgie, caoutchouc-plastique, chimie, "
            "matériels de transport) et l'agroalimentaire. Lecture : un indice de "
            "spécialisation de 1,5 signifie que la branche pèse 1,5 fois plus dans l'emploi "
            "salarié privé de la région qu'en France métropolitaine.",
        )
    )
    years = sorted(int(y) for y in report.ds.urssaf["year"].unique())
    earlier = [y for y in years if y < year]
    change_header = f"Évolution {earlier[-1]}-{year}" if earlier else "Évolution"

    def level(value, masked=False):
        return _int(value)

    shown = table.assign(
        label=[
            f"{s} ●" if h else s for s, h in zip(table["sector"], table["highlighted"], strict=True)
        ],
        level=[
            f"{_int(v)} (s)" if m and pd.notna(v) else (french.SECRET if pd.isna(v) else _int(v))
            for v, m in zip(table["employment"], table["masked"], strict=True)
        ],
    )
    parts.append(
        blocks.table(
            shown,
            [
                Column("label", "Branche (A38)", numeric=False, raw="sector"),
                Column("level", f"Salariés {year}", str, raw="employment"),
                Column("share_pct", "Part de l'industrie régionale", _pct),
                Column("change_pct", change_header, _signed),
                Column("quotient", "Indice de spécialisation", lambda v: french.number(v, 2)),
            ],
            caption=f"Emploi salarié privé par branche industrielle {report.where}, {year}",
            footer="● : grande branche mise en avant (OPCO 2i et agroalimentaire). (s) : "
            "certaines zones d'emploi sont secrètes pour cette branche ; la valeur est un "
            "minimum. Indice de spécialisation calculé par rapport à la France métropolitaine. "
            "Source : " + _source(ind.URSSAF_SOURCE) + ".",
            highlight=lambda r: bool(r["highlighted"]),
        )
    )
    return blocks.concat(parts)
