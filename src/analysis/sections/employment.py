"""*Emploi industriel*: INSEE quarterly index, URSSAF yearly index, and the levels."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from .. import blocks, french, metrics, plots
from .. import indicators as ind
from ..blocks import Block, Column
from ..geo import FRANCE
from ._base import NO_URSSAF, _int, _moves, _source

if TYPE_CHECKING:
    from .reports import RegionReport


def employment(report: RegionReport) -> Block:
    """INSEE quarterly trend (base 100), URSSAF 2019-2024, and the levels table.

    Parameters
    ----------
    report : RegionReport
        The report whose region and year the section shows.

    Returns
    -------
    Block
        The two index charts (or a note where a source lacks the region) and the table of levels.
    """
    parts: list = []
    if report.choice is None:
        parts.append(
            blocks.note(
                f"Données non disponibles pour {report.year} : le fichier d'estimations "
                "trimestrielles de l'Insee utilisé ici s'arrête au 1er trimestre 2020 et "
                f"{NO_URSSAF}. Les graphiques ci-dessous montrent les données disponibles "
                f"avant {report.year}.",
                "missing",
            )
        )
    # An edition shows its year's data and earlier ones, never later ones.
    series = ind.insee_industry_series(report.ds, until=report.year)
    start = ind.INSEE_START
    if report.region in series.columns and series[report.region].notna().any():
        frame = pd.DataFrame(
            {
                report.name: metrics.base_100(series[report.region], start),
                "France": metrics.base_100(series[FRANCE], start),
            }
        )
        last = frame.index.max()
        final = frame[report.name].iloc[-1]
        parts.append(
            plots.index_chart(
                frame,
                title=f"Emploi salarié industriel {report.where} et en France, "
                f"{french.quarter(start)} – {french.quarter(last)}",
                base_label=french.quarter(start),
                source=_source(ind.INSEE_SOURCE),
                provisional_from=ind.INSEE_PROVISIONAL_FROM,
                caption=(
                    "Champ : ensemble des salariés, secteurs B à E. Trimestres à partir de "
                    "2019 provisoires (en pointillés, sur fond gris). Lecture : au "
                    f"{french.quarter(last)}, l'indice vaut {french.number(final, 1)}"
                    f" {report.where} : depuis le {french.quarter(start)}, l'emploi "
                    f"industriel y {_moves(final - 100)}."
                ),
            )
        )
    else:
        parts.append(
            blocks.note(
                f"Estimations trimestrielles de l'Insee non disponibles {report.where} "
                "(le fichier ne couvre pas ce territoire).",
                "missing",
            )
        )
    yearly = ind.urssaf_industry_series(report.ds, until=report.year)
    chained = ind.urssaf_industry_index(report.ds, until=report.year)
    known = report.region in yearly.columns and yearly[report.region].notna().any()
    if known and len(yearly) > 1:
        base = int(yearly.index.min())
        frame = pd.DataFrame({report.name: chained[report.region], "France": chained[FRANCE]})
        parts.append(
            plots.index_chart(
                frame,
                title=f"Emploi salarié privé industriel {report.where} et en France, "
                f"{base}–{int(yearly.index.max())}",
                base_label=str(base),
                source=_source(ind.URSSAF_SOURCE),
                annotate_gap="2020 et 2021 : absents de la source",
                caption="Champ : salariés du secteur privé, secteurs B à E. Indice chaîné : "
                "chaque évolution est calculée sur les cellules zone d'emploi × secteur "
                "connues aux deux dates, pour qu'une cellule qui cesse d'être secrète ne "
                f"compte pas comme une hausse. Lecture : en {int(frame.index.max())}, "
                f"l'indice vaut {french.number(frame[report.name].iloc[-1], 1)} "
                f"{report.where}, contre {french.number(frame['France'].iloc[-1], 1)} en "
                "France.",
            )
        )
    elif known:
        parts.append(
            blocks.note(
                f"Données Urssaf par secteur : {int(yearly.index.min())} seulement jusqu'à "
                "cette édition, pas d'évolution à montrer.",
                "missing",
            )
        )
    else:
        parts.append(
            blocks.note(f"Données Urssaf par secteur non disponibles {report.where}.", "missing")
        )
    parts.append(_levels_table(report, series, yearly))
    return blocks.concat(parts)


def _levels_table(report: RegionReport, insee: pd.DataFrame, urssaf: pd.DataFrame) -> Block:
    rows = []
    for quarter in [pd.Period(q, "Q") for q in ("2010Q4", "2014Q4", "2018Q4", "2019Q4", "2020Q1")]:
        if quarter in insee.index:
            rows.append(
                {
                    "source": "Insee (tous salariés)",
                    "period": french.quarter(quarter),
                    "region": french.flagged(
                        _int(insee.loc[quarter].get(report.region)),
                        provisional=quarter.year >= 2019,
                    ),
                    "france": french.flagged(
                        _int(insee.loc[quarter, FRANCE]), provisional=quarter.year >= 2019
                    ),
                    "region_value": insee.loc[quarter].get(report.region),
                    "france_value": insee.loc[quarter, FRANCE],
                }
            )
    for year in urssaf.index:
        rows.append(
            {
                "source": "Urssaf (salariés du privé)",
                "period": str(int(year)),
                "region": _int(urssaf.loc[year].get(report.region)),
                "france": _int(urssaf.loc[year, FRANCE]),
                "region_value": urssaf.loc[year].get(report.region),
                "france_value": urssaf.loc[year, FRANCE],
            }
        )
    return blocks.table(
        pd.DataFrame(rows),
        [
            Column("source", "Source", numeric=False),
            Column("period", "Période", numeric=False),
            Column("region", report.name, raw="region_value"),
            Column("france", "France", raw="france_value"),
        ],
        caption="Emploi salarié industriel (secteurs B à E) selon les deux sources, en nombre "
        "de salariés : Insee, ensemble des salariés ; Urssaf, salariés du privé",
        footer="Les deux sources n'ont ni le même champ ni la même méthode : leurs niveaux "
        "ne se comparent pas entre eux, et pour une même année l'Urssaf peut dépasser "
        "l'Insee (sources administratives différentes, zones d'emploi partagées réparties "
        "par estimation). (p) : provisoire. Source : "
        + _source(ind.INSEE_SOURCE, ind.URSSAF_SOURCE)
        + ".",
    )
