"""The two reports a notebook builds: :class:`RegionReport` and :class:`FranceReport`.

Each method is one section of the report, as a notebook cell displays it; it hands the
report to the function of the section's module (``report.branches()`` is
``analysis.sections.branches.branches(report)``), so the notebooks keep calling methods
while each section lives, and is tested, in a module of its own.
"""

from __future__ import annotations

from .. import plots
from ..blocks import Block
from ..errors import ParameterError
from ..geo import FRANCE
from . import (
    apprenticeship,
    branches,
    comparison,
    decomposition,
    employment,
    france,
    recruitment,
    sources,
    territories,
)
from ._base import _Report

__all__ = ["FranceReport", "RegionReport"]


class _CommonSections(_Report):
    """The sections both reports show, beside the title and *En bref* of :class:`_Report`."""

    def regions_table(self) -> Block:
        """Return every region side by side, the report's region highlighted, France last."""
        return comparison.regions_table(self)

    def share_map(self) -> plots.Chart:
        """Return the map of the share of industry in employment, the region outlined."""
        return comparison.share_map(self)

    def sources(self) -> Block:
        """Return "Sources et méthode": sources, parameters, checksums, version."""
        return sources.sources(self)


class RegionReport(_CommonSections):
    """The report of one region for one year.

    Parameters
    ----------
    region : str
        INSEE region code (``"11"``); see ``python -m analysis regions``.
    year : int
        Report year; see ``python -m analysis years``.
    data_dir : str or path-like, optional
        Raw-data folder.
    links : iterable of str, optional
        Codes of the région's départements whose report of the same year exists beside
        this one (``departements/<code>.html``): the *Territoires* section links to them.

    Raises
    ------
    ParameterError
        For an unknown region or a year without data.
    """

    #: The report's sections in order: French heading, then the methods that show it (the
    #: notebook has one ``## heading`` cell, then one cell per method).
    SECTIONS = (
        ("En bref", ("summary",)),
        ("Emploi industriel", ("employment",)),
        ("Branches industrielles", ("branches",)),
        ("Décomposition de l'évolution", ("decomposition",)),
        ("Apprentissage", ("apprenticeship",)),
        ("Besoins de recrutement", ("recruitment",)),
        ("La région parmi les régions", ("comparison",)),
        ("Territoires", ("territories",)),
        ("Sources et méthode", ("sources",)),
    )

    def __init__(self, region: str, year: int, *, data_dir=None, datasets=None, links=()):
        super().__init__(region, year, data_dir=data_dir, datasets=datasets)
        if self.region == FRANCE:
            raise ParameterError("Use FranceReport (france_overview.ipynb) for France.")
        self.links = frozenset(str(code) for code in links)

    def employment(self) -> Block:
        """INSEE quarterly trend (base 100), URSSAF 2019-2024, and the levels table."""
        return employment.employment(self)

    def branches(self) -> Block:
        """A38 industrial branches: levels, change, specialisation; OPCO 2i's picked out."""
        return branches.branches(self)

    def decomposition(self) -> Block:
        """Shift-share of the change in industrial employment since 2019 (URSSAF)."""
        return decomposition.decomposition(self)

    def apprenticeship(self) -> Block:
        """Return new apprenticeship contracts, 2017-2024, region and France."""
        return apprenticeship.apprenticeship(self)

    def recruitment(self) -> Block:
        """BMO 2025: industrial occupations, share judged difficult."""
        return recruitment.recruitment(self)

    def comparison(self) -> Block:
        """All regions side by side with this one highlighted, and the map."""
        return comparison.comparison(self)

    def territories(self) -> Block:
        """Its départements and employment zones, and the map of its départements."""
        return territories.territories(self)


class FranceReport(_CommonSections):
    """The France overview for one year: every region side by side.

    Parameters
    ----------
    year : int
        Report year.
    """

    #: The report's sections in order (see :attr:`RegionReport.SECTIONS`).
    SECTIONS = (
        ("En bref", ("summary",)),
        ("Les régions sur la carte", ("maps",)),
        ("Classements", ("rankings",)),
        ("Tendances nationales", ("trends",)),
        ("Apprentissage", ("apprenticeship",)),
        ("Besoins de recrutement", ("recruitment",)),
        ("Toutes les régions", ("regions_table",)),
        ("Sources et méthode", ("sources",)),
    )

    def __init__(self, year: int, *, data_dir=None, datasets=None):
        super().__init__(FRANCE, year, data_dir=data_dir, datasets=datasets)

    def maps(self) -> Block:
        """Return the maps: share of industry; apprenticeship change or contracts per 1 000."""
        return france.maps(self)

    def rankings(self) -> Block:
        """Regions ranked by industrial employment and by its change."""
        return france.rankings(self)

    def trends(self) -> Block:
        """National trends: INSEE quarterly (base 100) and URSSAF annual."""
        return france.trends(self)

    def apprenticeship(self) -> Block:
        """Return the national apprenticeship series and the regions' contracts."""
        return france.apprenticeship(self)

    def recruitment(self) -> Block:
        """BMO 2025 by region: industrial projects and share judged difficult."""
        return france.recruitment(self)
