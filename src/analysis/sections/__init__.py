"""The sections of the reports, in French: what a notebook cell displays.

:class:`RegionReport` and :class:`FranceReport` compute nothing themselves: they ask
:mod:`analysis.indicators` and :mod:`analysis.keyfigures` for numbers, format them with
:mod:`analysis.french`, and lay them out with :mod:`analysis.blocks` and
:mod:`analysis.plots`. A notebook calls one method per section, so the notebooks stay
thin and every sentence of a report can be unit-tested.

Wherever a source does not cover the report's year, the section says so in place
("Données non disponibles pour 2021") and shows the nearest period only under a label
that names it.

Modules
-------
_base
    French-formatting helpers (``_source``, ``_int``, ``_pct``, ...), the source names,
    :func:`report_title`, and ``_Report``: constructor, title, *En bref* (cards, summary).
reports
    :class:`RegionReport` and :class:`FranceReport`, whose methods hand the report to the
    section functions below.
employment
    *Emploi industriel*: INSEE and URSSAF indexes, levels table.
branches
    *Branches industrielles*: A38 chart and table.
decomposition
    *Décomposition de l'évolution*: shift-share.
apprenticeship
    *Apprentissage*: contracts by year, region and France.
recruitment
    *Besoins de recrutement*: BMO 2025 in the region.
comparison
    *La région parmi les régions*: table of all regions and map of industry's share
    (both reports).
sources
    *Sources et méthode* (both reports).
territories
    *Territoires* of a regional report: its départements (linked to their reports) and
    employment zones, and the map of its départements.
departement
    :class:`DepartementReport`, the report of one département.
france
    The France overview's own sections: maps, rankings, national trends, apprenticeship
    and recruitment by region.

Each section module has a function that takes the report and returns its block or chart:
``branches.branches(report)`` is what ``report.branches()`` returns.
"""

from ._base import SOURCE_TEXT as SOURCE_TEXT
from ._base import report_title
from .departement import DepartementReport
from .reports import FranceReport, RegionReport
from .sources import SOURCE_NOTES as SOURCE_NOTES

__all__ = ["DepartementReport", "FranceReport", "RegionReport", "report_title"]
