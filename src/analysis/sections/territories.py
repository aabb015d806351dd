"""*Territoires*: the départements and employment zones of a region, and their map.

Every figure comes from :mod:`analysis.territories`; this module only lays them out:
:func:`departements_table` (INSEE employment, DITP apprenticeship, BMO recruitment, one
row per département and one for the region), :func:`zones_table` (URSSAF industrial
employment by employment zone, the zones shared with a neighbouring region carrying
their estimated share) and :func:`departements_map` (share of industry by département).
Where a source does not cover the report's year the cells read "n.d." and a note under
the table says why; the years a source covers are read from the data, never written
here.

The report handed to :func:`territories` needs ``ds``, ``region``, ``year``, ``name``,
``where`` and ``links`` (the codes of the départements whose report exists, linked as
``departements/<code>.html``, a path relative to the regional report).
"""

from __future__ import annotations

from typing import Protocol

import numpy as np
import pandas as pd

from .. import blocks, french, plots
from ..blocks import Block, Column
from ..datasets import Datasets
from ..territories import (
    APPRENTICESHIP_SOURCE,
    BMO_SOURCE,
    DEPARTEMENT,
    INSEE_SOURCE,
    REGION,
    ZONE_SOURCE,
    apprenticeship_period,
    apprenticeship_table,
    departement_codes,
    employment_levels,
    latest_insee_quarter,
    recruitment_table,
    zone_table,
    zone_year,
)
from ._base import SOURCE_TEXT, _int, _pct, _signed, _source

__all__ = ["departements_map", "departements_table", "territories", "zones_table"]

#: At most this many employment zones are listed (the largest, by industrial employment
#: in the region); every region but two has fewer.
MAX_ZONES = 30
#: Outlines of the départements, when the catalogue's source names lack them.
SHAPES_SOURCE = "geo_departement_shapes"
SHAPES_TEXT = "IGN, Admin Express COG"
#: Mark of a figure that leaves secret cells out (a minimum).
MINIMUM = "≥\u00a0"
#: Mark of an employment zone shared with a neighbouring region.
SHARED = "*"


class _TerritoryReport(Protocol):
    """What the section reads from a report."""

    ds: Datasets
    region: str
    year: int
    name: str
    where: str
    links: frozenset[str]


def territories(report: _TerritoryReport) -> Block:
    """Return the *Territoires* section of a regional report.

    Parameters
    ----------
    report : object
        A regional report: ``ds``, ``region``, ``year``, ``name``, ``where`` and
        ``links`` (the codes of the départements whose report exists).

    Returns
    -------
    Block
        An introduction, :func:`departements_table`, :func:`zones_table` and
        :func:`departements_map`.
    """
    codes = departement_codes(report.ds, report.region)
    zones = zone_year(report.ds, report.year)
    zone_count = len(zone_table(report.ds, report.region, zones)) if zones is not None else 0
    # Name only the figures the table has (a source that misses the year has no column).
    shown = [
        *(["l'emploi salarié dans l'industrie"] if _employment_quarter(report) else []),
        *(
            ["les nouveaux contrats d'apprentissage"]
            if apprenticeship_period(report.ds, report.year) is not None
            else []
        ),
        "les projets de recrutement d'ouvriers de l'industrie",
    ]
    figures = " et ".join([", ".join(shown[:-1]), shown[-1]] if len(shown) > 1 else shown)
    if len(codes) == 1:
        intro = (
            f"La région {report.name} ne compte qu'un département. Le tableau ci-dessous en "
            f"donne {figures}"
        )
    else:
        intro = (
            f"La région {report.name} compte {len(codes)} départements. Le tableau "
            f"ci-dessous donne, pour chacun, {figures}"
        )
    if zone_count:
        intro += (
            f" ; le suivant, l'emploi industriel des {zone_count} zones d'emploi de la "
            "région (territoires où la plupart des actifs résident et travaillent)"
            if zone_count > 1
            else " ; le suivant, l'emploi industriel de sa zone d'emploi"
        )
    intro += ". La carte compare enfin les départements." if len(codes) > 1 else "."
    return blocks.concat(
        [
            blocks.paragraph(intro),
            departements_table(report),
            zones_table(report),
            *([departements_map(report)] if len(codes) > 1 else []),
        ]
    )


# -- départements -----------------------------------------------------------------------
def _employment_quarter(report: _TerritoryReport):
    """Return the INSEE quarter of the départements' employment columns (None: no column)."""
    return employment_levels(report.ds, report.year).attrs.get("quarter")


def _column(table: pd.DataFrame | None, keys: list[tuple[str, str]], column: str) -> np.ndarray:
    """Values of ``column`` at ``keys`` (level, code), NaN where the table has none."""
    if table is None or table.empty:
        return np.full(len(keys), np.nan)
    return table[column].reindex(pd.MultiIndex.from_tuples(keys)).to_numpy(dtype=float)


def _minimum(value, masked) -> str:
    """Format a count, marked as a minimum when secret cells were left out."""
    text = _int(value)
    return f"{MINIMUM}{text}" if masked and text != french.NOT_AVAILABLE else text


def _rank(rank, of) -> str:
    return "" if pd.isna(rank) else f"{french.ordinal(rank)} sur {int(of)}"


def _month(end: pd.Timestamp) -> str:
    """``"avril 2024"``."""
    return french.month_span(end.date(), start_month=end.month)


def _ditp_months(ds: Datasets) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last month DITP's file covers by département."""
    ends = ds.apprenticeship_departements["period_end"]
    return pd.Timestamp(ends.min()), pd.Timestamp(ends.max())


def departements_table(report: _TerritoryReport) -> Block:
    """Return the table of the region's départements, then the region, with its notes.

    Parameters
    ----------
    report : object
        The report whose region and year the table shows.

    Returns
    -------
    Block
        One row per département (INSEE order), its name linked to its report when that
        exists, and a last row for the region; the notes of the sources that do not cover
        the year follow the table.
    """
    ds, year = report.ds, report.year
    codes = departement_codes(ds, report.region)
    keys = [(DEPARTEMENT, c) for c in codes] + [(REGION, report.region)]
    levels = employment_levels(ds, year)
    quarter = _employment_quarter(report)
    period = apprenticeship_period(ds, year)
    contracts = apprenticeship_table(ds, period) if period is not None else None
    bmo = recruitment_table(ds)
    names = ds.departements.set_index("departement")
    frame = pd.DataFrame(
        {
            "name": [names.loc[c, "name"] for c in codes] + ["Ensemble de la région"],
            "code": [*codes, ""],
            "industry": _column(levels, keys, "industry"),
            "change_pct": _column(levels, keys, "change_pct"),
            "share_pct": _column(levels, keys, "share_pct"),
            "rank": _column(levels, keys, "rank_region"),
            "of": _column(levels, keys, "of_region"),
            "contracts": _column(contracts, keys, "contracts"),
            "projects": _column(bmo, keys, "projects"),
            "masked": _column(bmo, keys, "masked_cells"),
        }
    )
    frame["rank_text"] = [_rank(r, o) for r, o in zip(frame["rank"], frame["of"], strict=True)]
    frame["projects_text"] = [
        _minimum(v, m > 0) for v, m in zip(frame["projects"], frame["masked"], strict=True)
    ]
    provisional = quarter is not None and quarter.provisional
    when = f" ({quarter.label})" if quarter is not None else ""
    columns = [
        Column(
            "name",
            "Département",
            str,
            numeric=False,
            link=lambda row: (
                f"departements/{row['code']}.html" if row["code"] in report.links else None
            ),
        ),
        Column("code", "Code", str, numeric=False),
        Column(
            "industry",
            f"Emploi salarié industriel{when}",
            lambda v: french.flagged(_int(v), provisional=provisional),
        ),
        Column("change_pct", "Évolution sur un an", _signed),
        Column("share_pct", "Part de l'industrie", _pct),
        Column("rank_text", "Rang dans la région", str, raw="rank"),
        Column(
            "contracts",
            "Contrats d'apprentissage" + (f" ({period.label})" if period is not None else ""),
            _int,
        ),
        Column(
            "projects_text", "Projets de recrutement d'ouvriers (BMO 2025)", str, raw="projects"
        ),
    ]
    # A source that does not cover the year leaves its columns out; a note says why.
    dropped = set()
    if quarter is None:
        dropped |= {"industry", "change_pct", "share_pct", "rank_text"}
    if period is None:
        dropped.add("contracts")
    columns = [column for column in columns if column.key not in dropped]
    # -- what the figures are --------------------------------------------------------
    footer = []
    if quarter is not None:
        change = f", évolution {quarter.change_label}" if quarter.previous is not None else ""
        footer.append(
            f"Emploi salarié industriel : ensemble des salariés des secteurs B à E, "
            f"{quarter.label}{change} ; part de l'industrie dans l'ensemble de l'emploi "
            "salarié ; rang dans la région selon l'effectif industriel"
            + (" ; (p) : provisoire" if provisional else "")
            + ". Les départements s'additionnent exactement à la région : l'Insee ne publie "
            "un chiffre régional que lorsque tous ses départements sont connus."
        )
    if period is not None:
        footer.append(
            f"Apprentissage : nouveaux contrats, tous secteurs, employeurs publics et privés, "
            f"{period.label}" + ("" if period.complete else " (année incomplète)") + "."
        )
    footer.append(
        "Projets de recrutement : famille « Ouvriers des secteurs de l'industrie » de "
        f"l'enquête Besoins en main-d'œuvre 2025 ; {MINIMUM}: minimum, des cellules "
        "secrètes (petits nombres) ne sont pas comptées."
    )
    if frame[[c.key for c in columns if c.key in frame]].isna().any().any():
        footer.append("n.d. : non disponible.")
    used = [INSEE_SOURCE] * (quarter is not None) + [APPRENTICESHIP_SOURCE] * (period is not None)
    footer.append(f"Source : {_source(*used, BMO_SOURCE)}.")
    table = blocks.table(
        frame,
        columns,
        caption=(
            f"Les départements de la région {report.name} en {year}"
            if len(codes) > 1
            else f"Le département de la région {report.name} en {year}"
        ),
        highlight=lambda row: row["code"] == "",
        footer=" ".join(footer),
    )
    return blocks.concat([table, *_missing_notes(report, frame, quarter, period)])


def _missing_notes(report, frame: pd.DataFrame, quarter, period) -> list[Block]:
    """Say, under the table, why a column reads "n.d."."""
    ds, year = report.ds, report.year
    notes = []
    if quarter is None:
        latest = latest_insee_quarter(ds, year)
        notes.append(
            f"Les estimations d'emploi de l'Insee par département s'arrêtent au {latest.label} "
            f": pas de chiffre pour {year}."
            if latest is not None
            else f"Les estimations d'emploi de l'Insee par département ne couvrent pas {year}."
        )
    else:
        where = ds.departements.set_index("departement")["where"]
        uncovered = frame.loc[(frame["code"] != "") & frame["industry"].isna(), "code"]
        notes += [
            f"Les estimations d'emploi de l'Insee ne couvrent pas l'emploi {where[c]} : pas de "
            "chiffre pour ce département, ni pour la région."
            for c in uncovered
        ]
    if period is None:
        first, last = _ditp_months(ds)
        notes.append(
            f"La DITP ne publie de chiffres d'apprentissage par département qu'à partir de "
            f"{first.year}."
            if year < first.year
            else f"Les chiffres d'apprentissage de la DITP par département s'arrêtent en "
            f"{_month(last)} : pas de chiffre pour {year}."
        )
    if year != 2025:
        notes.append(
            "Projets de recrutement : enquête Besoins en main-d'œuvre 2025, seule édition "
            f"disponible ; elle porte sur les recrutements envisagés en 2025, non sur {year}."
        )
    return [blocks.note(text, "missing") for text in notes]


# -- employment zones -------------------------------------------------------------------
def zones_table(report: _TerritoryReport) -> Block:
    """Return the table of the region's employment zones (URSSAF, private employment).

    Parameters
    ----------
    report : object
        The report whose region and year the table shows.

    Returns
    -------
    Block
        The :data:`MAX_ZONES` zones with the most industrial employment in the region, the
        shared ones marked with their estimated share; or a note when URSSAF has no zone
        year up to the report's, or no zone in the region.
    """
    ds, year = report.ds, report.year
    zones_year = zone_year(ds, year)
    if zones_year is None:
        first = int(ds.urssaf_zones["year"].min())
        return blocks.note(
            f"Emploi industriel par zone d'emploi : les données de l'Urssaf par zone d'emploi "
            f"et secteur commencent en {first}, pas de chiffre pour {year}.",
            "missing",
        )
    table = zone_table(ds, report.region, zones_year)
    if table.empty:
        return blocks.note(
            f"Emploi industriel par zone d'emploi : l'Urssaf ne publie pas de zone d'emploi "
            f"{report.where}.",
            "missing",
        )
    shown = table.head(MAX_ZONES).reset_index()
    shown["label"] = [
        f"{name} {SHARED}" if shared else name
        for name, shared in zip(shown["name"], shown["shared"], strict=True)
    ]
    shown["industry_text"] = [
        _minimum(v, m > 0) for v, m in zip(shown["industry"], shown["masked_cells"], strict=True)
    ]
    shown["region_share_pct"] = (100 * shown["region_share"]).where(shown["shared"])
    shown["in_region"] = shown["in_region"].where(shown["shared"])
    shown["share_text"] = [
        _pct(100 * s) if shared else ""
        for s, shared in zip(shown["region_share"], shown["shared"], strict=True)
    ]
    shown["in_region_text"] = [
        _minimum(v, m > 0) if shared else ""
        for v, m, shared in zip(
            shown["in_region"], shown["masked_cells"], shown["shared"], strict=True
        )
    ]
    when = (
        str(zones_year)
        if zones_year == year
        else f"{zones_year}, dernière année disponible avant {year}"
    )
    caption = f"Emploi salarié privé dans l'industrie par zone d'emploi {report.where}, {when}"
    footer = []
    if len(table) > MAX_ZONES:
        footer.append(
            f"Les {MAX_ZONES} zones d'emploi au plus fort emploi industriel dans la région, "
            f"sur {len(table)}."
        )
    footer.append(
        "Emploi salarié privé des secteurs B à E, zone d'emploi entière ; "
        "part de l'industrie dans l'emploi salarié privé de la zone ; zones classées selon "
        "leur emploi industriel dans la région (estimé pour une zone partagée)."
    )
    if shown["shared"].any():
        footer.append(
            "La part estimée est la même pour toutes les zones partagées entre les deux "
            "mêmes régions : les données ne donnent que leur total de part et d'autre de la "
            "limite."
        )
        footer.append(
            f"{SHARED} Zone d'emploi partagée avec une région voisine : l'Urssaf la publie "
            "en entier. Sa part dans la région est estimée de sorte que les zones "
            "s'additionnent aux totaux régionaux de l'Urssaf (tous secteurs), et l'industrie "
            "est supposée se répartir comme l'ensemble des secteurs (voir « Sources et "
            "méthode »)."
        )
    footer.append(
        f"{MINIMUM}: minimum, des cellules secrètes (secteurs A38 couverts par le secret "
        "statistique) ne sont pas comptées."
    )
    footer.append(f"Source : {_source(ZONE_SOURCE)}.")
    columns = [
        Column("label", "Zone d'emploi", str, numeric=False, raw="name"),
        Column("zone", "Code", str, numeric=False),
        Column("industry_text", "Emploi industriel (zone entière)", str, raw="industry"),
        Column("share_pct", "Part de l'industrie", _pct),
    ]
    if shown["shared"].any():
        columns += [
            Column("share_text", "Part estimée dans la région", str, raw="region_share_pct"),
            Column(
                "in_region_text", "Emploi industriel estimé dans la région", str, raw="in_region"
            ),
        ]
    return blocks.table(
        shown,
        columns,
        caption=caption,
        footer=" ".join(footer),
    )


# -- map --------------------------------------------------------------------------------
def _map_source(source_id: str) -> str:
    """Source line of the map: the figures' source, then the outlines'."""
    if SHAPES_SOURCE in SOURCE_TEXT:
        return _source(source_id, SHAPES_SOURCE)
    return _source(source_id).replace(" ; calculs", f" ; {SHAPES_TEXT} ; calculs", 1)


def departements_map(report: _TerritoryReport) -> plots.Chart:
    """Return the map of the region's départements, coloured by the share of industry.

    Parameters
    ----------
    report : object
        The report whose region and year the map shows.

    Returns
    -------
    plots.Chart
        The share of industry in salaried employment (INSEE) at the year's quarter; where
        INSEE does not cover the year or the region, the share of industrial workers in
        the recruitment projects of BMO 2025, titled as such.
    """
    ds = report.ds
    codes = departement_codes(ds, report.region)
    shapes = ds.departement_shapes[ds.departement_shapes["departement"].isin(codes)]
    levels = employment_levels(ds, report.year)
    quarter = levels.attrs.get("quarter")
    scope = "par département " if len(codes) > 1 else ""
    values = (
        levels.loc[DEPARTEMENT, "share_pct"].reindex(codes)
        if quarter is not None
        else pd.Series(np.nan, index=codes)
    )
    if values.notna().any():
        title = f"Part de l'industrie dans l'emploi salarié {scope}{report.where}, {quarter.label}"
        legend = "% de l'emploi salarié, Insee"
        source = _map_source(INSEE_SOURCE)
        field = "ensemble des salariés, secteurs B à E (industrie)"
        when = f"au {quarter.label}"
        subject = "l'industrie représente {value} de l'emploi salarié"
    else:
        values = recruitment_table(ds).loc[DEPARTEMENT, "industrial_pct"].reindex(codes)
        title = (
            "Part des ouvriers de l'industrie dans les projets de recrutement "
            f"{scope}{report.where}, 2025"
        )
        legend = "% des projets de recrutement, BMO 2025"
        source = _map_source(BMO_SOURCE)
        field = (
            "projets de recrutement connus (hors cellules secrètes), famille « Ouvriers "
            "des secteurs de l'industrie » ; l'emploi industriel par département n'est pas "
            f"disponible pour {report.year}"
        )
        when = "en 2025"
        subject = "les ouvriers de l'industrie représentent {value} des projets de recrutement"
    names = ds.departements.set_index("departement")
    known = values.dropna()
    reading = ""
    if len(known):
        top = known.idxmax()
        reading = (
            f" Lecture : {when}, {subject.format(value=_pct(known[top]))} "
            f"{names.loc[top, 'where']}."
        )
    return plots.departement_map(
        shapes,
        values,
        highlight=None,
        title=title,
        legend=legend,
        source=source,
        caption=f"Champ : {field}.{reading} Classes par quantiles ; une valeur égale à une "
        "borne appartient à la classe supérieure."
        + (" Hachures : donnée non disponible." if values.isna().any() else ""),
    )
