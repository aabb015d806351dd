"""The France overview's own sections: maps, rankings, trends, apprenticeship, recruitment.

The overview also shows :func:`analysis.sections.comparison.regions_table` and the
sections of :mod:`analysis.sections._base` (title, *En bref*) and
:mod:`analysis.sections.sources`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from .. import blocks, french, metrics, plots
from .. import indicators as ind
from ..blocks import Block, Column
from ..geo import FRANCE, METROPOLITAN_REGIONS, REGION_CODES
from ._base import _int, _moves, _ns_pct, _pct, _signed, _source
from .apprenticeship import apprenticeship_section
from .comparison import share_map

if TYPE_CHECKING:
    from .reports import FranceReport


def maps(report: FranceReport) -> Block:
    """Return the maps: share of industry; apprenticeship change or contracts per 1 000.

    Parameters
    ----------
    report : FranceReport
        The France overview whose year the section shows.

    Returns
    -------
    Block
        The map of industry's share, then the map of contracts per 1 000 employees (or, when
        the year has none, of their change), or a note.
    """
    parts: list = [share_map(report)]
    appr = report.apprenticeship_year
    values = appr["per_thousand"]
    diverging = False
    if values.notna().any():
        title = (
            "Nouveaux contrats d'apprentissage pour 1 000 salariés du privé, "
            f"{appr.loc[FRANCE, 'period']}"
        )
        legend = "contrats pour 1 000 salariés du privé"
        names = values.loc[list(REGION_CODES)].rename(index=report.ds.names)
        caption = (
            "Champ : nouveaux contrats de tous secteurs, employeurs publics et privés, "
            "rapportés aux seuls salariés du secteur privé (Urssaf) ; dernière année complète. "
            f"Lecture : c'est {report.ds.where[_top(names)[0]]} que les nouveaux contrats "
            f"rapportés aux salariés du privé sont les plus nombreux, "
            f"{french.number(_top(names)[1], 1)} pour 1 000."
        )
    else:
        values = appr["change_pct"]
        diverging = True
        title = (
            f"Évolution des nouveaux contrats d'apprentissage, "
            f"{appr.loc[FRANCE, 'period']} sur un an"
        )
        legend = "évolution sur un an (mêmes mois), en %"
        caption = "Champ : tous secteurs ; même source et mêmes mois l'année précédente."
    if values.loc[list(REGION_CODES)].notna().any():
        parts.append(
            plots.region_map(
                report.ds.shapes,
                values,
                highlight=None,
                title=title,
                legend=legend,
                source=_source(
                    ind.APPRENTICESHIP_SOURCES.get(appr.loc[FRANCE, "source"], "ditp_ind313"),
                    *(() if diverging else (ind.URSSAF_TOTALS_SOURCE,)),
                    "geo_region_shapes",
                ),
                caption=caption,
                diverging=diverging,
                not_significant=appr["significant"].eq(False) if diverging else None,
            )
        )
    else:
        parts.append(
            blocks.note(f"Carte de l'apprentissage non disponible pour {report.year}.", "missing")
        )
    return blocks.concat(parts)


def _top(values: pd.Series) -> tuple[str, float]:
    """Return the label and value of the largest of ``values`` (missing ones left out)."""
    known = values.dropna()
    return str(known.idxmax()), float(known.max())


def rankings(report: FranceReport) -> Block:
    """Regions ranked by industrial employment and by its change.

    Parameters
    ----------
    report : FranceReport
        The France overview whose year the section shows.

    Returns
    -------
    Block
        The two ranking charts, or a note when the year has no employment data.
    """
    if report.choice is None:
        return blocks.note(
            f"Données d'emploi industriel non disponibles pour {report.year} : pas de classement.",
            "missing",
        )
    names = {c: report.ds.names[c] for c in REGION_CODES}
    employment = report.levels.loc[list(REGION_CODES)].rename(index=names)
    source = _source(report.choice.source)
    parts = [
        plots.ranking_chart(
            employment["industry"],
            highlight=None,
            title=f"Emploi salarié industriel par région ({report.choice.short_field}), "
            f"{report.choice.label()}",
            unit="salariés",
            source=source,
            caption=f"Champ : {report.choice.field}, secteurs B à E. Lecture : "
            f"c'est {report.ds.where[_top(employment['industry'])[0]]} que l'industrie compte "
            f"le plus de salariés, {_int(_top(employment['industry'])[1])}.",
        )
    ]
    if employment["change_pct"].notna().any():
        parts.append(
            plots.ranking_chart(
                employment["change_pct"],
                highlight=None,
                title="Évolution de l'emploi industriel par région "
                f"({report.choice.short_field}), {report.choice.change_label}",
                unit="évolution en %",
                source=source,
                decimals=1,
                reference=("France", report.levels.loc[FRANCE, "change_pct"]),
                caption=f"Champ : {report.choice.field}. Ligne : France. Lecture : "
                f"c'est {report.ds.where[_top(employment['change_pct'])[0]]} que l'emploi "
                f"industriel évolue le plus, {_signed(_top(employment['change_pct'])[1])}, contre "
                f"{_signed(report.levels.loc[FRANCE, 'change_pct'])} en France.",
            )
        )
    return blocks.concat(parts)


def trends(report: FranceReport) -> Block:
    """National trends: INSEE quarterly (base 100) and URSSAF annual.

    Parameters
    ----------
    report : FranceReport
        The France overview whose year the section shows.

    Returns
    -------
    Block
        The index chart of the four broad sectors and the table of private employment by year.
    """
    by_a5 = ind.france_sector_series(report.ds, until=report.year)
    start = ind.INSEE_START
    frame = pd.DataFrame({ind.A5_LABELS[k]: metrics.base_100(by_a5[k], start) for k in by_a5})
    colours = dict(zip(frame.columns, plots.SERIES_COLOURS, strict=False))
    last = frame.index.max()
    parts = [
        plots.index_chart(
            frame,
            title=f"Emploi salarié en France par grand secteur, {french.quarter(start)} – "
            f"{french.quarter(last)}",
            base_label=french.quarter(start),
            source=_source(ind.INSEE_SOURCE),
            colours=colours,
            provisional_from=ind.INSEE_PROVISIONAL_FROM,
            caption="Champ : ensemble des salariés, France hors Mayotte. Trimestres à partir "
            "de 2019 provisoires (en pointillés, sur fond gris). Lecture : au "
            f"{french.quarter(last)}, l'indice de l'industrie vaut "
            f"{french.number(frame['Industrie'].iloc[-1], 1)} : depuis le "
            f"{french.quarter(start)}, l'emploi industriel "
            f"{_moves(frame['Industrie'].iloc[-1] - 100)}.",
        )
    ]
    rows = ind.urssaf_france_table(report.ds, until=report.year)
    parts.append(
        blocks.table(
            rows.reset_index(),
            [
                Column("year", "Année", lambda v: str(int(v)), numeric=False),
                Column("total", "Salariés du privé, tous secteurs", _int),
                Column("industry", "dont industrie", _int),
                Column("share", "Part de l'industrie (salariés du privé)", _pct),
            ],
            caption=f"Emploi salarié privé en France, {int(rows.index.min())}–"
            f"{int(rows.index.max())}",
            highlight=lambda r: r["year"] == report.year,
            footer="n.d. : pas de donnée par secteur pour cette année. Source : "
            + _source(ind.URSSAF_TOTALS_SOURCE, ind.URSSAF_SOURCE)
            + ".",
        )
    )
    return blocks.concat(parts)


def apprenticeship(report: FranceReport) -> Block:
    """Return the national apprenticeship series and the regions' contracts.

    Parameters
    ----------
    report : FranceReport
        The France overview whose year the section shows.

    Returns
    -------
    Block
        France's chart and table
        (:func:`~analysis.sections.apprenticeship.apprenticeship_section`), then the regions
        ranked by contracts.
    """
    parts: list = [apprenticeship_section(report.ds, FRANCE, "France", report.year)]
    names = {c: report.ds.names[c] for c in REGION_CODES}
    contracts = report.apprenticeship_year.loc[list(REGION_CODES), "contracts"].rename(index=names)
    if contracts.notna().any():
        parts.append(
            plots.ranking_chart(
                contracts,
                highlight=None,
                title=f"Nouveaux contrats d'apprentissage par région, "
                f"{report.apprenticeship_year.loc[FRANCE, 'period']}",
                unit="contrats",
                source=_source(
                    ind.APPRENTICESHIP_SOURCES.get(
                        report.apprenticeship_year.loc[FRANCE, "source"], "ditp_ind313"
                    )
                ),
                caption="Champ : tous secteurs, employeurs publics et privés ; dernière année "
                "complète de l'édition (une année incomplète ne classe pas les régions). "
                f"Lecture : c'est {report.ds.where[_top(contracts)[0]]} que les nouveaux "
                f"contrats sont les plus nombreux, {_int(_top(contracts)[1])}.",
            )
        )
    return blocks.concat(parts)


def recruitment(report: FranceReport) -> Block:
    """BMO 2025 by region: industrial projects and share judged difficult.

    Parameters
    ----------
    report : FranceReport
        The France overview whose year the section shows.

    Returns
    -------
    Block
        The table of every region's industrial projects, France last.
    """
    rows = []
    for code in [
        *METROPOLITAN_REGIONS,
        *[c for c in REGION_CODES if c not in METROPOLITAN_REGIONS],
        FRANCE,
    ]:
        summary = ind.recruitment_summary(report.ds, code)
        rows.append({"name": report.ds.names[code], "code": code, **summary})
    parts: list = []
    if report.year != 2025:
        parts.append(
            blocks.note(
                "Enquête Besoins en main-d'œuvre 2025 : seule édition disponible ; elle porte "
                f"sur les recrutements envisagés en 2025, non sur {report.year}.",
                "missing",
            )
        )
    parts.append(
        blocks.table(
            pd.DataFrame(rows),
            [
                Column("name", "Région", numeric=False),
                Column("projects", "Ouvriers de l'industrie : projets (au moins)", _int),
                Column("share_pct", "Part dans tous les projets", _pct),
                Column("difficult_pct", "Part jugée difficile", _ns_pct),
                Column("staff_projects", "Techniciens et ingénieurs de l'industrie", _int),
                Column("all_difficult_pct", "Tous métiers : part difficile", _pct),
            ],
            caption="Projets de recrutement d'ouvriers des secteurs de l'industrie, 2025",
            highlight=lambda r: r["code"] == FRANCE,
            footer="Ouvriers de l'industrie : famille « Ouvriers des secteurs de l'industrie » "
            "de France Travail ; techniciens, agents de maîtrise et ingénieurs de "
            "l'industrie comptés à part. Cellules secrètes laissées de côté : les nombres "
            f"sont des minimums. n.s. : moins de {ind.MIN_PROJECTS} projets. Source : "
            + _source(ind.BMO_SOURCE)
            + ".",
        )
    )
    return blocks.concat(parts)
