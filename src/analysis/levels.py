"""Geography levels: region, département, employment zone, each as one object.

A :class:`Level` knows what the rest of the package needs about a kind of area without
reading any data: its French names, its parent level, where its reports go and which
notebook builds them, its shapes in the catalogue, and which sources cover it and when.
The areas themselves (codes, names, parents, prepositions) are data, read by
:func:`analysis.geo.read_areas`.

Light to import (no pandas), so that the planner of a build with nothing to do stays fast.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import ParameterError

__all__ = ["DEPARTEMENT", "LEVELS", "REGION", "ZONE", "Coverage", "Level", "get_level"]


@dataclass(frozen=True)
class Coverage:
    """Which source covers a level, over which period, and what it lacks.

    Attributes
    ----------
    source : str
        Catalogue id (:data:`analysis.sources.CATALOGUE`).
    first, last : int
        First and last years with a figure at this level.
    what : str
        What the source gives at this level, in French ("emploi salarié par secteur A17").
    gaps : str
        What it lacks at this level, in French ("pas de Mayotte ; DOM à partir de 2010"),
        ``""`` if nothing.
    """

    source: str
    first: int
    last: int
    what: str
    gaps: str = ""

    def covers(self, year: int) -> bool:
        """Return True when the source has a figure for ``year`` at this level."""
        return self.first <= int(year) <= self.last


@dataclass(frozen=True)
class Level:
    """One geography level.

    Attributes
    ----------
    name : str
        ``"region"``, ``"departement"`` or ``"zone"`` (the CLI's ``--level``).
    label, plural : str
        French names ("département", "départements").
    parent : str or None
        Name of the level above (``"region"`` for a département), None for regions,
        whose parent is France.
    folder : str
        Sub-folder of ``reports/<year>`` for its reports (``""``: the year folder itself).
    notebook : str or None
        Template notebook (without ``.ipynb``) of its reports; None when the level has
        tables in other reports but no report of its own.
    shapes : str or None
        Catalogue id of its outlines, None when we have none.
    sources : tuple of Coverage
        Which sources give figures at this level, and when.
    """

    name: str
    label: str
    plural: str
    parent: str | None
    folder: str
    notebook: str | None
    shapes: str | None
    sources: tuple[Coverage, ...]

    def coverage(self, source: str) -> Coverage | None:
        """Return how ``source`` covers this level, None if it does not."""
        return next((c for c in self.sources if c.source == source), None)

    def report_path(self, year: int, code: str) -> str:
        """Return the report's HTML path relative to the reports folder."""
        folder = f"{int(year)}/{self.folder}" if self.folder else str(int(year))
        return f"{folder}/{code}.html"


REGION = Level(
    name="region",
    label="région",
    plural="régions",
    parent=None,
    folder="",
    notebook="region_report",
    shapes="geo_region_shapes",
    sources=(
        Coverage("insee_ete_a17", 2001, 2020, "emploi salarié par secteur A17", "pas de Mayotte"),
        Coverage(
            "urssaf_ze_a38",
            2019,
            2024,
            "emploi salarié privé par secteur A38",
            "2019 puis 2022-2024 ; pas de Mayotte",
        ),
        Coverage("urssaf_region_series", 2014, 2024, "emploi salarié privé, tous secteurs"),
        Coverage("etalab_apprenticeship_regional", 2017, 2022, "contrats d'apprentissage"),
        Coverage("ditp_ind313", 2022, 2024, "contrats d'apprentissage", "2024 : janvier-avril"),
        Coverage("bmo_2025", 2025, 2025, "projets de recrutement"),
    ),
)

DEPARTEMENT = Level(
    name="departement",
    label="département",
    plural="départements",
    parent="region",
    folder="departements",
    notebook="departement_report",
    shapes="geo_departement_shapes",
    sources=(
        Coverage(
            "insee_ete_a17",
            2001,
            2020,
            "emploi salarié par secteur A17",
            "jusqu'au 1er trimestre 2020 ; DOM à partir du 4e trimestre 2010 ; pas de Mayotte",
        ),
        Coverage(
            "urssaf_region_series",
            2014,
            2024,
            "emploi salarié privé, tous secteurs",
            "pas de détail par secteur ; pas de Mayotte",
        ),
        Coverage(
            "ditp_ind313",
            2022,
            2024,
            "contrats d'apprentissage (cumul mensuel)",
            "rien avant 2022 par département ; 2024 : janvier-avril",
        ),
        Coverage(
            "bmo_2025",
            2025,
            2025,
            "projets de recrutement",
            "enquête 2025 seulement, quelle que soit l'édition ; cellules secrètes",
        ),
    ),
)

ZONE = Level(
    name="zone",
    label="zone d'emploi",
    plural="zones d'emploi",
    parent="region",
    folder="zones",
    notebook=None,
    shapes=None,
    sources=(
        Coverage(
            "urssaf_ze_a38",
            2019,
            2024,
            "emploi salarié privé par secteur A38",
            "2019 puis 2022-2024 ; 14 zones partagées entre deux régions ; pas de Mayotte",
        ),
    ),
)

#: The levels by name, from the largest areas to the smallest.
LEVELS: dict[str, Level] = {level.name: level for level in (REGION, DEPARTEMENT, ZONE)}
#: The levels that have reports of their own (``build --level``).
REPORT_LEVELS = tuple(name for name, level in LEVELS.items() if level.notebook)


def get_level(name: str) -> Level:
    """Return the level called ``name`` (``"departement"``; ``"département"`` accepted).

    Raises
    ------
    ParameterError
        For an unknown name, or a level without reports of its own; the message lists
        the valid ones.

    Examples
    --------
    >>> import analysis as an
    >>> level = an.get_level("département")
    >>> level.name, level.label, level.plural, level.parent
    ('departement', 'département', 'départements', 'region')
    >>> level.report_path(2024, "59")
    '2024/departements/59.html'

    What each source gives at this level, and when:

    >>> insee = level.coverage("insee_ete_a17")
    >>> insee.first, insee.last, insee.covers(2021)
    (2001, 2020, False)
    >>> [c.source for c in level.sources]
    ['insee_ete_a17', 'urssaf_region_series', 'ditp_ind313', 'bmo_2025']

    The areas themselves are data:

    >>> areas = an.read_areas(level)
    >>> len(areas), areas.loc[areas["code"] == "59", "name"].item()
    (101, 'Nord')

    Employment zones have tables but no report of their own:

    >>> an.get_level("zone")
    Traceback (most recent call last):
    ...
    analysis.errors.ParameterError: Unknown report level `zone`. Valid levels: region, departement.
    """
    key = str(name).strip().lower().replace("é", "e")
    level = LEVELS.get(key)
    if level is None or level.notebook is None:
        raise ParameterError(
            f"Unknown report level `{name}`. Valid levels: {', '.join(REPORT_LEVELS)}."
        )
    return level
