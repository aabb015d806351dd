"""*Décomposition de l'évolution*: shift-share against France métropolitaine (URSSAF)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import blocks, french, plots
from .. import indicators as ind
from ..blocks import Block, Column
from ._base import NO_URSSAF, _int, _source

if TYPE_CHECKING:
    from .reports import RegionReport


def decomposition(report: RegionReport) -> Block:
    """Shift-share of the change in industrial employment since 2019 (URSSAF).

    Parameters
    ----------
    report : RegionReport
        The report whose region and year the section shows.

    Returns
    -------
    Block
        The chart of the three effects and the table by branch, with notes on the period and
        on the branches left out.
    """
    period = ind.decomposition_period(report.ds, report.year)
    parts: list = []
    if period is None:
        parts.append(
            blocks.note(
                f"Décomposition non disponible pour {report.year} : elle compare deux années "
                "de données par branche, et l'Urssaf n'en fournit qu'une (2019) avant 2022.",
                "missing",
            )
        )
        return blocks.concat(parts)
    start, year = period
    if year != report.year:
        parts.append(
            blocks.note(
                f"Données par branche non disponibles pour {report.year} ({NO_URSSAF}) : la "
                f"décomposition porte sur {start}-{year}, dernière "
                f"période disponible avant {report.year}.",
                "missing",
            )
        )
    table, _ = ind.decomposition(report.ds, report.region, start, year)
    if table.empty:
        parts.append(
            blocks.note(
                f"Décomposition impossible {report.where} : données Urssaf par branche non "
                "disponibles.",
                "missing",
            )
        )
        return blocks.concat(parts)
    summary = ind.decomposition_summary(report.ds, report.region, start, year)
    dropped = summary["dropped"]
    totals = {
        "Effet national": summary["national"],
        "Effet de structure": summary["mix"],
        "Effet régional": summary["regional"],
        "Évolution observée": summary["change"],
    }
    parts.append(
        plots.shift_share_chart(
            totals,
            title=f"Décomposition de l'évolution de l'emploi industriel {report.where}, "
            f"{start}-{year}",
            source=_source(ind.URSSAF_SOURCE),
            caption="Champ : salariés du secteur privé, branches industrielles dont la valeur "
            "régionale est connue aux deux dates (somme des zones d'emploi non secrètes). "
            "Référence : France métropolitaine. Lecture : l'effet régional est l'écart entre "
            "l'évolution observée et celle qu'aurait connue la région si chacune de ses "
            "branches avait évolué comme en France métropolitaine.",
        )
    )
    if dropped:
        # Both totals: URSSAF, private sector, known cells, the same two years.
        parts.append(
            blocks.note(
                "Branches laissées de côté (valeur secrète ou absente dans la région ou en "
                f"France métropolitaine à l'une des deux dates) : {' ; '.join(dropped)}. "
                f"Les branches retenues évoluent de {french.signed_number(summary['change'])} "
                f"emplois de {start} à {year} ; l'ensemble des branches industrielles connues "
                f"de la région, de {french.signed_number(summary['all_change'])} emplois "
                "(Urssaf, salariés du privé, mêmes années)."
            )
        )
    parts.append(
        blocks.table(
            table.reset_index(),
            [
                Column("sector", "Branche", numeric=False),
                Column("start", f"Salariés {start}", _int),
                Column("end", f"Salariés {year}", _int),
                Column("change", "Évolution observée", french.signed_number),
                Column("national", "Effet national", french.signed_number),
                Column("mix", "Effet de structure", french.signed_number),
                Column("regional", "Effet régional", french.signed_number),
                Column(
                    "contribution",
                    "Contribution (points)",
                    lambda v: french.signed_number(v, 2),
                ),
            ],
            caption=f"Décomposition par branche, {start}-{year} (nombre d'emplois)",
            footer="Les trois effets s'additionnent exactement à l'évolution observée "
            "(aux arrondis près dans ce tableau). "
            "Contribution : part de l'évolution de l'emploi industriel régional due à la "
            "branche, en points de pourcentage. Source : " + _source(ind.URSSAF_SOURCE) + ".",
        )
    )
    return blocks.concat(parts)
