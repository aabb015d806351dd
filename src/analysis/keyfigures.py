"""Key figures of a report: each computed once, with its field, period, source and flags.

The "En bref" cards, the sentences that quote them and ``reports/<year>/<code>.json`` all
read the same :class:`KeyFigure` objects. ``<code>.json`` holds ``{"region", "name",
"year", "figures": [{"id", "label", "value", "unit", "period", "source", "field", "flags",
"note"}, ...]}``: ``value`` is a plain number, or null when the sources do not cover the
year; ``period`` says what it measures; ``field`` (champ) who is counted; ``flags`` what a
reader must know (provisional, secret cells, partial year, small base, change of source).

Two figures are compared in a sentence only through :func:`check_comparable`, which
refuses figures of different fields or periods unless the caller says in words how they
differ.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

import pandas as pd

from . import french
from . import indicators as ind
from ._files import atomic_write_text
from .datasets import Datasets
from .geo import FRANCE, METROPOLITAN_REGIONS, REGION_CODES

__all__ = [
    "FIELDS",
    "FLAGS",
    "IncomparableFigures",
    "KeyFigure",
    "check_comparable",
    "departement_key_figures",
    "document",
    "key_figure_table",
    "key_figures",
    "write_key_figures",
]

#: Fields (champs), in French, by key.
FIELDS = {
    "private": "salariés du secteur privé, régime général",
    "all_employees": "ensemble des salariés, public et privé",
    "apprenticeship": "nouveaux contrats d'apprentissage, employeurs publics et privés",
    "apprenticeship_per_private": (
        "nouveaux contrats d'apprentissage (employeurs publics et privés) rapportés aux "
        "salariés du secteur privé"
    ),
    "bmo_industry": "projets de recrutement, famille « Ouvriers des secteurs de l'industrie »",
    "none": "",
}

#: What each flag means, in French, for notes and legends.
FLAGS = {
    "provisional": "données provisoires",
    "secret_cells": "données couvertes par le secret statistique non comptées : minimum",
    "partial_year": "année incomplète",
    "small_base": "base trop faible : évolution non significative",
    "poem_deca": "changement de système de collecte (PoEm puis DECA) entre 2019 et 2020",
    "etalab_ditp": "changement de diffuseur (Etalab puis DITP) entre 2021 et 2022",
    "field_change": "champ différent de l'édition précédente",
    "shared_zones": "zones d'emploi partagées entre deux régions réparties par estimation",
}


@dataclass(frozen=True)
class KeyFigure:
    """One figure of a report.

    Attributes
    ----------
    id : str
        Stable identifier (``"industrial_employment"``).
    label : str
        French label, naming the field where it matters ("salariés du privé").
    value : float or None
        The number, None when not available.
    unit : str
        ``"salariés"``, ``"%"``, ``"contrats"``, ``"rang"``...
    period : str
        What the value measures, in French (``"2024"``, ``"de 2023 à 2024"``).
    source : str
        Catalogue id of the dataset, or ids joined by ``"+"``.
    field : str
        Who is counted (a value of :data:`FIELDS`), ``""`` when it does not apply.
    flags : tuple of str
        Keys of :data:`FLAGS`.
    note : str
        A French sentence a reader needs beside the value (``""`` if none).

    Examples
    --------
    >>> import analysis as an
    >>> ds = an.Datasets()
    >>> figures = {figure.id: figure for figure in an.key_figures(ds, "32", 2024)}
    >>> figure = figures["industrial_employment"]
    >>> figure.value, figure.unit, figure.period, figure.source
    (285369.0, 'salariés', '2024', 'urssaf_ze_a38')
    >>> figure.field, figure.flags
    ('salariés du secteur privé, régime général', ('secret_cells', 'shared_zones'))
    >>> figure.note
    "7 données couvertes par le secret statistique ne sont pas comptées : le total est un..."
    >>> sorted(figure.to_json())
    ['field', 'flags', 'id', 'label', 'note', 'period', 'source', 'unit', 'value']
    >>> figure.to_json()["flags"]
    ['secret_cells', 'shared_zones']
    """

    id: str
    label: str
    value: float | None
    unit: str
    period: str
    source: str
    field: str = ""
    flags: tuple[str, ...] = ()
    note: str = ""

    def to_json(self) -> dict:
        """Return the figure as a JSON-ready dict."""
        doc = asdict(self)
        doc["flags"] = list(self.flags)
        return doc


class IncomparableFigures(ValueError):
    """Two figures of different fields or periods were about to be compared."""


def check_comparable(a: KeyFigure, b: KeyFigure, *, differences: str = "") -> str:
    """Allow a sentence to compare ``a`` and ``b``; return the words it must add.

    Parameters
    ----------
    a, b : KeyFigure
        The figures compared.
    differences : str, optional
        Words, printed in the sentence, that say how their fields or periods differ.

    Returns
    -------
    str
        ``""`` when field and period match, else ``differences``.

    Raises
    ------
    IncomparableFigures
        When fields or periods differ and ``differences`` is empty.

    Examples
    --------
    >>> import analysis as an
    >>> from analysis import keyfigures
    >>> ds = an.Datasets()
    >>> figures = {figure.id: figure for figure in an.key_figures(ds, "32", 2024)}
    >>> employment, share = figures["industrial_employment"], figures["industry_share_pct"]
    >>> keyfigures.check_comparable(employment, share)  # same field, same period (2024)
    ''

    Industrial employment (private employees, 2024) and apprenticeship contracts (public
    and private employers, 2023) differ in both:

    >>> contracts = figures["apprenticeship_contracts"]
    >>> contracts.period
    'année 2023'
    >>> keyfigures.check_comparable(employment, contracts)
    Traceback (most recent call last):
        ...
    analysis.keyfigures.IncomparableFigures: `industrial_employment` (salariés du secteur privé, ...
    >>> keyfigures.check_comparable(employment, contracts, differences="(contrats de 2023)")
    '(contrats de 2023)'
    """
    if a.field == b.field and a.period == b.period:
        return ""
    if not differences:
        raise IncomparableFigures(
            f"`{a.id}` ({a.field}, {a.period}) and `{b.id}` ({b.field}, {b.period}) differ "
            "in field or period: say so in the sentence, or compare other figures."
        )
    return differences


def _clean(value) -> float | None:
    if value is None or pd.isna(value):
        return None
    return float(value)


def _employment_field(choice) -> str:
    if choice is None:
        return ""
    return FIELDS["private"] if choice.source == ind.URSSAF_SOURCE else FIELDS["all_employees"]


def _previous_edition(ds: Datasets, year: int):
    """Return the latest earlier edition with employment data and its choice, or Nones."""
    earlier = ind.latest_employment_year(ds, year - 1)
    if earlier is None:
        return None, None
    return earlier, ind.employment_choice(ds, earlier)


def _employment_figures(ds: Datasets, region: str, year: int) -> list[KeyFigure]:
    choice, table = ind.employment_table(ds, year)
    row = table.loc[region]
    period = choice.label() if choice else str(year)
    source = choice.source if choice else f"{ind.INSEE_SOURCE}+{ind.URSSAF_SOURCE}"
    field_ = _employment_field(choice)
    short = f" ({choice.short_field})" if choice else ""
    flags: list[str] = []
    notes: list[str] = []
    if choice is not None and choice.provisional:
        flags.append("provisional")
    if choice is not None and int(row["masked_cells"] or 0) > 0:
        flags.append("secret_cells")
        notes.append(
            f"{french.masked_cells(row['masked_cells'])} : le total est un minimum ; "
            "l'évolution porte sur les données connues aux deux dates."
        )
    earlier, before = _previous_edition(ds, year)
    if choice is not None and before is not None and before.source != choice.source:
        flags.append("field_change")
        notes.append(
            f"Champ différent de l'édition {earlier} ({before.short_field}, "
            f"{before.publisher}) : "
            "niveaux non comparables d'une édition à l'autre."
        )
    if choice is not None and region != FRANCE and row["shared"] > 0:
        flags.append("shared_zones")
        notes.append(
            f"Dont {french.number(row['shared'])} salariés ({french.percent(row['shared_pct'])}) "
            "dans des zones d'emploi partagées avec une région voisine, répartis par "
            "estimation."
        )
    share_source = (
        source
        if choice is None or choice.source == ind.INSEE_SOURCE
        else f"{ind.URSSAF_SOURCE}+{ind.URSSAF_TOTALS_SOURCE}"
    )
    metro = region in METROPOLITAN_REGIONS
    ranked = int(table.loc[list(REGION_CODES), "industry"].notna().sum())
    rank_value = row["rank_metro"] if metro else row["rank_all"]
    if region == FRANCE:
        rank_label, rank_value = "Rang (sans objet pour la France)", None
    elif choice is None or ranked == 0:
        rank_label, rank_value = f"Rang de l'emploi industriel (pas de données pour {year})", None
    elif pd.isna(row["industry"]):
        rank_label = "Rang de l'emploi industriel (pas de données pour cette région)"
        rank_value = None
    elif metro:
        rank_label = f"Rang de l'emploi industriel{short} parmi les 13 régions métropolitaines"
    else:
        rank_label = f"Rang de l'emploi industriel{short} parmi les {ranked} régions avec données"
    common = {"field": field_, "flags": tuple(flags), "note": " ".join(notes)}
    change_period = choice.change_label if choice and choice.previous is not None else period
    return [
        KeyFigure(
            "industrial_employment",
            f"Emploi salarié dans l'industrie{short}",
            _clean(row["industry"]),
            "salariés",
            period,
            source,
            **common,
        ),
        KeyFigure(
            "industrial_employment_change_pct",
            f"Évolution de l'emploi salarié dans l'industrie{short}",
            _clean(row["change_pct"]),
            "%",
            change_period,
            source,
            **common,
        ),
        KeyFigure(
            "industry_share_pct",
            "Part de l'industrie dans l'emploi salarié"
            + (" privé" if choice and choice.source == ind.URSSAF_SOURCE else short),
            _clean(row["share_pct"]),
            "%",
            period,
            share_source,
            **common,
        ),
        KeyFigure(
            "industrial_employment_rank",
            rank_label,
            _clean(rank_value),
            "rang",
            period,
            source,
            field=field_,
            flags=tuple(f for f in flags if f in ("provisional", "field_change", "shared_zones")),
        ),
    ]


def _apprenticeship_figures(ds: Datasets, region: str, year: int) -> list[KeyFigure]:
    row = ind.apprenticeship_table(ds, year).loc[region]
    source = ind.APPRENTICESHIP_SOURCES.get(row["source"], "etalab_apprenticeship_regional")
    period = row["period"] if isinstance(row["period"], str) else f"année {year}"
    flags: list[str] = []
    notes: list[str] = []
    has_change = _clean(row["previous"]) is not None
    if has_change and row["source_break"]:
        flags.append(row["source_break"])
        text = ind.SOURCE_BREAKS[int(row["year"])][1]
        notes.append(f"{text[0].upper()}{text[1:]}.")
        source = f"etalab_apprenticeship_regional+{source}" if row["year"] == 2022 else source
    if has_change and not row["significant"]:
        flags.append("small_base")
    change = _clean(row["change_pct"]) if row["significant"] else None
    headline = int(row["year"]) if pd.notna(row["year"]) else None
    change_period = (
        f"de {headline - 1} à {headline}" if has_change and headline is not None else period
    )
    figures = [
        KeyFigure(
            "apprenticeship_contracts",
            "Nouveaux contrats d'apprentissage (tous secteurs, employeurs publics et privés)",
            _clean(row["contracts"]),
            "contrats",
            period,
            source,
            field=FIELDS["apprenticeship"],
        ),
        KeyFigure(
            "apprenticeship_contracts_change_pct",
            "Évolution des nouveaux contrats d'apprentissage",
            change,
            "%",
            change_period,
            source,
            field=FIELDS["apprenticeship"],
            flags=tuple(flags),
            note=" ".join(notes),
        ),
        KeyFigure(
            "apprenticeship_per_1000",
            "Nouveaux contrats d'apprentissage pour 1 000 salariés du secteur privé",
            _clean(row["per_thousand"]),
            "contrats pour 1 000 salariés",
            period,
            f"{source}+{ind.URSSAF_TOTALS_SOURCE}",
            field=FIELDS["apprenticeship_per_private"],
            note=(
                "Le numérateur compte les contrats des employeurs publics et privés, le "
                "dénominateur les seuls salariés du secteur privé (Urssaf)."
            ),
        ),
    ]
    if isinstance(row["partial_period"], str):
        partial_source = ind.APPRENTICESHIP_SOURCES.get(row["partial_source"], "ditp_ind313")
        significant = bool(row["partial_significant"])
        figures += [
            KeyFigure(
                "apprenticeship_contracts_year_to_date",
                f"Nouveaux contrats d'apprentissage, {row['partial_period']} (année incomplète)",
                _clean(row["partial_contracts"]),
                "contrats",
                row["partial_period"],
                partial_source,
                field=FIELDS["apprenticeship"],
                flags=("partial_year",),
                note="Année incomplète : ni rang ni part entre régions.",
            ),
            KeyFigure(
                "apprenticeship_contracts_year_to_date_change_pct",
                "Évolution sur les mêmes mois de l'année précédente",
                _clean(row["partial_change_pct"]) if significant else None,
                "%",
                f"{row['partial_period']} par rapport à la même période de {year - 1}",
                partial_source,
                field=FIELDS["apprenticeship"],
                flags=("partial_year",) + (() if significant else ("small_base",)),
            ),
        ]
    return figures


def _recruitment_figures(ds: Datasets, region: str) -> list[KeyFigure]:
    summary = ind.recruitment_summary(ds, region)
    flags = ("secret_cells",) if summary["masked_cells"] else ()
    note = (
        f"{french.masked_cells(summary['masked_cells'])} : c'est un minimum."
        if summary["masked_cells"]
        else ""
    )
    small = ("small_base",) if summary["small_base"] else ()
    return [
        KeyFigure(
            "industrial_recruitment_projects",
            "Projets de recrutement d'ouvriers des secteurs de l'industrie",
            _clean(summary["projects"]),
            "projets",
            "enquête BMO 2025",
            ind.BMO_SOURCE,
            field=FIELDS["bmo_industry"],
            flags=flags,
            note=note,
        ),
        KeyFigure(
            "industrial_recruitment_difficult_pct",
            "Part des projets d'ouvriers de l'industrie jugés difficiles",
            _clean(summary["difficult_pct"]),
            "%",
            "enquête BMO 2025",
            ind.BMO_SOURCE,
            field=FIELDS["bmo_industry"],
            flags=flags + small,
        ),
    ]


def key_figures(ds: Datasets, region: str, year: int) -> list[KeyFigure]:
    """Compute the key figures of ``region`` (or ``"FR"``) for ``year``.

    Parameters
    ----------
    ds : Datasets
        The loaded tables.
    region : str
        Region code, or ``"FR"`` for France.
    year : int
        Report year.

    Returns
    -------
    list of KeyFigure
        ``industrial_employment``, ``industrial_employment_change_pct``,
        ``industry_share_pct``, ``industrial_employment_rank``,
        ``apprenticeship_contracts`` (the last complete year of the edition),
        ``apprenticeship_contracts_change_pct``, ``apprenticeship_per_1000``, then, when
        the edition's year is incomplete, ``apprenticeship_contracts_year_to_date`` and
        its ``_change_pct``, and last ``industrial_recruitment_projects`` and
        ``industrial_recruitment_difficult_pct``.

    Examples
    --------
    >>> import analysis as an
    >>> ds = an.Datasets()
    >>> figures = an.key_figures(ds, "32", 2024)
    >>> [figure.id for figure in figures]
    ['industrial_employment', 'industrial_employment_change_pct', 'industry_share_pct',
     'industrial_employment_rank', 'apprenticeship_contracts',
     'apprenticeship_contracts_change_pct', 'apprenticeship_per_1000',
     'apprenticeship_contracts_year_to_date', 'apprenticeship_contracts_year_to_date_change_pct',
     'industrial_recruitment_projects', 'industrial_recruitment_difficult_pct']
    >>> for figure in figures[:7]:
    ...     print(f"{figure.id:36} {round(figure.value, 1):>9} | {figure.period}")
    industrial_employment                 285369.0 | 2024
    industrial_employment_change_pct           0.2 | de 2023 à 2024
    industry_share_pct                        18.5 | 2024
    industrial_employment_rank                 4.0 | 2024
    apprenticeship_contracts               63004.0 | année 2023
    apprenticeship_contracts_change_pct        0.4 | de 2022 à 2023
    apprenticeship_per_1000                   40.9 | année 2023

    A figure the sources do not cover for the year is None (2021 has no industrial
    employment source):

    >>> france = {figure.id: figure for figure in an.key_figures(ds, "FR", 2021)}
    >>> print(france["industrial_employment"].value, france["apprenticeship_contracts"].value)
    None 731785.0
    """
    return [
        *_employment_figures(ds, region, year),
        *_apprenticeship_figures(ds, region, year),
        *_recruitment_figures(ds, region),
    ]


def document(
    region: str, name: str, year: int, figures, *, level: str = "region", code: str = ""
) -> dict:
    """Return the JSON document of a report's key figures (as ``<code>.json`` holds it).

    Parameters
    ----------
    region, name : str
        The region's code (the département's region for a département) and the area's name.
    year : int
        The edition.
    figures : iterable of KeyFigure
        The figures the report computed (:func:`key_figures`).
    level : {"region", "departement"}
        The report's geography level.
    code : str
        The area's code; the region's when omitted.

    Examples
    --------
    >>> import analysis as an
    >>> from analysis import keyfigures
    >>> ds = an.Datasets()
    >>> doc = keyfigures.document("32", "Hauts-de-France", 2024, an.key_figures(ds, "32", 2024))
    >>> {key: doc[key] for key in ("level", "code", "region", "name", "year")}
    {'level': 'region', 'code': '32', 'region': '32', 'name': 'Hauts-de-France', 'year': 2024}
    >>> doc["figures"][0]["id"], doc["figures"][0]["value"], doc["figures"][0]["flags"]
    ('industrial_employment', 285369.0, ['secret_cells', 'shared_zones'])

    A département's document keeps its region:

    >>> figures = an.departement_key_figures(ds, "59", 2024)
    >>> doc = keyfigures.document("32", "Nord", 2024, figures, level="departement", code="59")
    >>> doc["level"], doc["code"], doc["region"], len(doc["figures"])
    ('departement', '59', '32', 12)
    """
    return {
        "level": level,
        "code": code or region,
        "region": region,
        "name": name,
        "year": int(year),
        "figures": [figure.to_json() for figure in figures],
    }


def write_key_figures(path: str | os.PathLike, doc: dict) -> Path:
    """Write ``doc`` to ``path`` as UTF-8 JSON, atomically.

    Examples
    --------
    >>> import json, tempfile
    >>> from pathlib import Path
    >>> import analysis as an
    >>> from analysis import keyfigures
    >>> ds = an.Datasets()
    >>> doc = keyfigures.document("FR", "France", 2024, an.key_figures(ds, "FR", 2024))
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = keyfigures.write_key_figures(Path(folder) / "FR.json", doc)
    ...     back = json.loads(path.read_text(encoding="utf-8"))
    >>> back == doc, back["figures"][0]["value"]
    (True, 3179726.0)
    """
    return atomic_write_text(path, json.dumps(doc, ensure_ascii=False, indent=2) + "\n")


# -- départements ------------------------------------------------------------------------
def departement_key_figures(ds: Datasets, code: str, year: int) -> list[KeyFigure]:
    """Compute the key figures of département ``code`` for ``year``.

    Industrial employment is INSEE's (the only source with sectors by département), so it
    stops at 2020T1; apprenticeship is DITP's (from 2022); recruitment is BMO 2025. A
    figure the sources do not give for the year has ``value`` None and says why in its
    ``note``.

    Returns
    -------
    list of KeyFigure
        ``industrial_employment``, ``industrial_employment_change_pct``,
        ``industry_share_pct``, ``industrial_employment_rank_region``,
        ``industrial_employment_rank_metro``, ``private_employment``,
        ``apprenticeship_contracts`` (last complete year of the edition) and its
        ``_change_pct``, ``apprenticeship_contracts_year_to_date`` and its ``_change_pct``
        when the edition's year is incomplete, ``industrial_recruitment_projects`` and
        ``industrial_recruitment_difficult_pct``.

    Examples
    --------
    >>> import analysis as an
    >>> ds = an.Datasets()
    >>> figures = {figure.id: figure for figure in an.departement_key_figures(ds, "59", 2019)}
    >>> list(figures)
    ['industrial_employment', 'industrial_employment_change_pct', 'industry_share_pct',
     'industrial_employment_rank_region', 'industrial_employment_rank_metro',
     'private_employment', 'apprenticeship_contracts', 'apprenticeship_contracts_change_pct',
     'industrial_recruitment_projects', 'industrial_recruitment_difficult_pct']
    >>> employment = figures["industrial_employment"]
    >>> round(employment.value, 1), employment.period, employment.flags
    (123909.9, '4e trimestre 2019', ('provisional',))
    >>> figures["industrial_employment_rank_metro"].value
    1.0
    >>> figures["private_employment"].value, figures["industrial_recruitment_projects"].value
    (729017.0, 6725.0)

    Apprenticeship by département starts in 2022, so 2019 has none, and says why:

    >>> print(figures["apprenticeship_contracts"].value)
    None
    >>> figures["apprenticeship_contracts"].note
    "La DITP ne publie de chiffres par département qu'à partir de 2022 ; ..."

    In 2024, INSEE's estimates have stopped (2020T1) but apprenticeship is there:

    >>> figures = {figure.id: figure for figure in an.departement_key_figures(ds, "59", 2024)}
    >>> print(figures["industrial_employment"].value)
    None
    >>> for figure in figures.values():
    ...     if figure.id.startswith("apprenticeship"):
    ...         print(f"{figure.id:49} {round(figure.value, 2):>8} | {figure.period}")
    apprenticeship_contracts                           31910.0 | 2023
    apprenticeship_contracts_change_pct                  -0.03 | de 2022 à 2023
    apprenticeship_contracts_year_to_date               2812.0 | janvier-avril 2024
    apprenticeship_contracts_year_to_date_change_pct     15.34 | janvier-avril 2024 par ...
    """
    from . import territories as ter

    figures: list[KeyFigure] = []
    level = ter.DEPARTEMENT
    quarter = ter.insee_quarter(ds, year)
    levels = ter.employment_levels(ds, year)
    row = levels.loc[(level, code)] if (level, code) in levels.index else None
    flags = ("provisional",) if quarter is not None and quarter.provisional else ()
    if quarter is None:
        latest = ter.latest_insee_quarter(ds, year)
        note = (
            "Les estimations d'emploi de l'Insee par département s'arrêtent au "
            f"{latest.label} ; aucune source du rapport ne donne l'emploi industriel par "
            f"département en {year}."
        )
        period = str(year)
    elif row is None or pd.isna(row["industry"]):
        note = "Département non couvert par les estimations d'emploi de l'Insee."
        period = quarter.label
    else:
        note = ""
        period = quarter.label
    value = None if row is None else _clean(row["industry"])
    figures.append(
        KeyFigure(
            "industrial_employment",
            "Emploi salarié dans l'industrie",
            value,
            "salariés",
            period,
            ter.INSEE_SOURCE,
            field=FIELDS["all_employees"],
            flags=flags if value is not None else (),
            note=note,
        )
    )
    change = None if row is None else _clean(row["change_pct"])
    figures.append(
        KeyFigure(
            "industrial_employment_change_pct",
            "Évolution de l'emploi salarié industriel sur un an",
            change,
            "%",
            quarter.change_label if quarter is not None else str(year),
            ter.INSEE_SOURCE,
            field=FIELDS["all_employees"],
            flags=flags if change is not None else (),
        )
    )
    share = None if row is None else _clean(row["share_pct"])
    figures.append(
        KeyFigure(
            "industry_share_pct",
            "Part de l'industrie dans l'emploi salarié",
            share,
            "%",
            period,
            ter.INSEE_SOURCE,
            field=FIELDS["all_employees"],
            flags=flags if share is not None else (),
        )
    )
    of_region = None if row is None else _clean(row["of_region"])
    figures.append(
        KeyFigure(
            "industrial_employment_rank_region",
            "Rang de l'emploi salarié industriel parmi les départements de la région"
            + (f" ({int(of_region)} classés)" if of_region else ""),
            None if row is None else _clean(row["rank_region"]),
            "rang",
            period,
            ter.INSEE_SOURCE,
            field=FIELDS["all_employees"],
        )
    )
    figures.append(
        KeyFigure(
            "industrial_employment_rank_metro",
            "Rang de l'emploi salarié industriel parmi les 96 départements métropolitains",
            None if row is None else _clean(row["rank_metro"]),
            "rang",
            period,
            ter.INSEE_SOURCE,
            field=FIELDS["all_employees"],
            note="" if code not in ("971", "972", "973", "974", "976") else "Sans objet outre-mer.",
        )
    )
    private = ter.private_employment(ds, code, year)
    figures.append(
        KeyFigure(
            "private_employment",
            "Emploi salarié privé, tous secteurs",
            private,
            "salariés",
            str(year),
            ter.URSSAF_TOTALS_SOURCE,
            field="salariés du secteur privé, régime général, tous secteurs",
            note="" if private is not None else f"Pas de donnée Urssaf pour {year}.",
        )
    )
    figures += _departement_apprenticeship(ds, code, year)
    bmo = ter.recruitment_table(ds)
    bmo_row = bmo.loc[(level, code)] if (level, code) in bmo.index else None
    masked = 0 if bmo_row is None else int(bmo_row["masked_cells"])
    bmo_flags = ("secret_cells",) if masked else ()
    figures.append(
        KeyFigure(
            "industrial_recruitment_projects",
            "Projets de recrutement d'ouvriers des secteurs de l'industrie",
            None if bmo_row is None else _clean(bmo_row["projects"]),
            "projets",
            "enquête BMO 2025",
            ter.BMO_SOURCE,
            field=FIELDS["bmo_industry"],
            flags=bmo_flags,
            note=f"{french.masked_cells(masked)} : c'est un minimum." if masked else "",
        )
    )
    difficult = None if bmo_row is None else _clean(bmo_row["difficult_pct"])
    figures.append(
        KeyFigure(
            "industrial_recruitment_difficult_pct",
            "Part des projets d'ouvriers de l'industrie jugés difficiles",
            difficult,
            "%",
            "enquête BMO 2025",
            ter.BMO_SOURCE,
            field=FIELDS["bmo_industry"],
            flags=bmo_flags
            + (("small_base",) if bmo_row is not None and difficult is None else ()),
        )
    )
    return figures


def _departement_apprenticeship(ds: Datasets, code: str, year: int) -> list[KeyFigure]:
    from . import territories as ter

    level = ter.DEPARTEMENT
    first = int(ds.apprenticeship_departements["period_end"].dt.year.min())
    period = ter.apprenticeship_period(ds, year)
    complete = period
    if period is not None and not period.complete:
        complete = ter.apprenticeship_period(ds, year - 1)
    figures = []

    def pair(ident: str, label: str, chosen) -> list[KeyFigure]:
        if chosen is None:
            note = (
                f"La DITP ne publie de chiffres par département qu'à partir de {first} ; "
                "aucune source du rapport ne donne l'apprentissage par département avant."
            )
            return [
                KeyFigure(
                    ident,
                    label,
                    None,
                    "contrats",
                    str(year),
                    ter.APPRENTICESHIP_SOURCE,
                    field=FIELDS["apprenticeship"],
                    note=note,
                ),
                KeyFigure(
                    f"{ident}_change_pct",
                    f"Évolution : {label.lower()}",
                    None,
                    "%",
                    str(year),
                    ter.APPRENTICESHIP_SOURCE,
                    field=FIELDS["apprenticeship"],
                ),
            ]
        table = ter.apprenticeship_table(ds, chosen)
        row = table.loc[(level, code)] if (level, code) in table.index else None
        flags = () if chosen.complete else ("partial_year",)
        value = None if row is None else _clean(row["contracts"])
        change = None if row is None or row["small_base"] else _clean(row["change_pct"])
        previous = chosen.previous_end
        change_period = (
            f"de {chosen.year - 1} à {chosen.year}"
            if chosen.complete
            else f"{chosen.label} par rapport à {french.month_span(previous.date())}"
        )
        return [
            KeyFigure(
                ident,
                label,
                value,
                "contrats",
                chosen.label,
                ter.APPRENTICESHIP_SOURCE,
                field=FIELDS["apprenticeship"],
                flags=flags,
            ),
            KeyFigure(
                f"{ident}_change_pct",
                f"Évolution : {label.lower()}",
                change,
                "%",
                change_period,
                ter.APPRENTICESHIP_SOURCE,
                field=FIELDS["apprenticeship"],
                flags=flags
                + (("small_base",) if row is not None and bool(row["small_base"]) else ()),
                note=""
                if row is None or not pd.isna(row["previous"])
                else f"Pas d'année précédente par département (série DITP à partir de {first}).",
            ),
        ]

    figures += pair("apprenticeship_contracts", "Nouveaux contrats d'apprentissage", complete)
    if period is not None and not period.complete:
        figures += pair(
            "apprenticeship_contracts_year_to_date",
            "Nouveaux contrats d'apprentissage, année en cours",
            period,
        )
    return figures


def key_figure_table(figures) -> pd.DataFrame:
    """Return key figures as a table: one row per figure, indexed by ``id``.

    Parameters
    ----------
    figures : iterable of KeyFigure
        As :func:`key_figures` or :func:`departement_key_figures` return them.

    Returns
    -------
    pandas.DataFrame
        Columns ``label``, ``value`` (float, missing where the source has no figure),
        ``unit``, ``period``, ``source``, ``field``, ``flags`` (comma-separated keys of
        :data:`FLAGS`) and ``note``.

    Examples
    --------
    >>> import analysis as an
    >>> table = an.key_figure_table(an.key_figures(an.Datasets(), "32", 2019))
    >>> list(table.columns)
    ['label', 'value', 'unit', 'period', 'source', 'field', 'flags', 'note']
    >>> print(table.loc["industrial_employment", "period"])
    4e trimestre 2019
    >>> round(table.loc["industrial_employment", "value"])
    286639
    """
    rows = [asdict(figure) for figure in figures]
    for row in rows:
        row["flags"] = ", ".join(row["flags"])
    columns = ["id", "label", "value", "unit", "period", "source", "field", "flags", "note"]
    table = pd.DataFrame(rows, columns=columns).set_index("id")
    return table.astype({"value": float})
