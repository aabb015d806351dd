"""An interactive report form for JupyterLab: choose level, area, year and section.

R Markdown asks for a report's parameters with ``params = "ask"``; here the exploration
notebook shows :func:`report_form`, whose drop-downs rebuild the chosen sections in place
whenever a choice changes. The report behind the display stays at hand
(:attr:`ReportForm.report`), so that its tables can be taken out
(``form.report.branches().data``).

The form only lays out what :class:`~analysis.sections.RegionReport` and
:class:`~analysis.sections.DepartementReport` compute; it holds no figure of its own.
ipywidgets is imported when a form is made, not with the package.
"""

from __future__ import annotations

from pathlib import Path

from .blocks import Block, concat, note
from .datasets import Datasets
from .datasets import shared as shared_datasets
from .errors import AnalysisError
from .geo import read_areas
from .indicators import report_years

__all__ = ["ReportForm", "report_form", "write_excel"]

#: Level key -> French label, in the order of the level buttons.
LEVEL_LABELS = {"region": "Région", "departement": "Département"}
#: The section drop-down's first choice: every section of the report.
ALL_SECTIONS = "Toutes les sections"


def _report_class(level: str):
    from .sections import DepartementReport, RegionReport

    return {"region": RegionReport, "departement": DepartementReport}[level]


class ReportForm:
    """Drop-downs for a report's parameters over the sections they show.

    Made by :func:`report_form`. In a notebook it displays as the form; changing a
    drop-down rebuilds the report and its sections in place.

    Attributes
    ----------
    level, area, year, section : ipywidgets.Widget
        The choices: level buttons (région or département), area and year drop-downs, and
        the section drop-down (:data:`ALL_SECTIONS` or one section's French heading).
    output : ipywidgets.HTML
        The chosen sections, as the report shows them (or the message of a report that
        cannot be made, e.g. a year without data).
    report : RegionReport or DepartementReport or None
        The report currently shown; None after an error.
    widget : ipywidgets.VBox
        The whole form.
    """

    def __init__(self, level: str, area: str | None, year: int | None, datasets: Datasets):
        import ipywidgets as widgets

        self.datasets = datasets
        self.report = None
        self._quiet = False
        self._years = report_years(datasets)
        self.level = widgets.ToggleButtons(
            options=[(label, key) for key, label in LEVEL_LABELS.items()],
            value=level,
            description="Niveau",
        )
        self.area = widgets.Dropdown(description="Territoire", options=self._areas(level))
        if area is not None:
            self.area.value = str(area)
        self.year = widgets.Dropdown(
            description="Année",
            options=self._years,
            value=year if year is not None else self._years[-1],
        )
        self.section = widgets.Dropdown(description="Section", options=self._sections(level))
        self.status = widgets.HTML()
        self.output = widgets.HTML()
        self.widget = widgets.VBox(
            [
                self.level,
                widgets.HBox([self.area, self.year, self.section]),
                self.status,
                self.output,
            ]
        )
        self.level.observe(self._level_changed, names="value")
        for choice in (self.area, self.year):
            choice.observe(self._choice_changed, names="value")
        self.section.observe(self._section_changed, names="value")
        self.refresh()

    # -- choices ------------------------------------------------------------------------
    @staticmethod
    def _areas(level: str) -> list[tuple[str, str]]:
        areas = read_areas(level)
        return [(f"{row.name} ({row.code})", row.code) for row in areas.itertuples()]

    @staticmethod
    def _sections(level: str) -> list[str]:
        return [ALL_SECTIONS, *(heading for heading, _ in _report_class(level).SECTIONS)]

    def _level_changed(self, change) -> None:
        # New options reset the area (and the section): one rebuild, once both are set.
        self._quiet = True
        try:
            self.section.options = self._sections(change["new"])
            self.area.options = self._areas(change["new"])
        finally:
            self._quiet = False
        self.refresh()

    def _choice_changed(self, _change) -> None:
        if not self._quiet:
            self.refresh()

    # -- display ------------------------------------------------------------------------
    def refresh(self) -> None:
        """Rebuild the report for the chosen level, area and year, then show its sections."""
        self.status.value = "<em>Calcul en cours…</em>"
        try:
            self.report = _report_class(self.level.value)(
                self.area.value, int(self.year.value), datasets=self.datasets
            )
        except AnalysisError as error:
            self.report = None
            self.status.value = ""
            self.output.value = note(str(error), "missing").html
            return
        self._show()

    def sections(self) -> Block:
        """Return the chosen sections of the current report, each under its heading."""
        if self.report is None:
            return Block("")
        chosen = self.section.value
        parts = [self.report.title()]
        for heading, methods in type(self.report).SECTIONS:
            if chosen in (ALL_SECTIONS, heading):
                parts.append(Block(f"<h2>{heading}</h2>"))
                parts += [getattr(self.report, method)() for method in methods]
        return concat(parts)

    def _section_changed(self, _change) -> None:
        if not self._quiet:
            self._show()

    def _show(self) -> None:
        self.status.value = "<em>Mise en page…</em>"
        self.output.value = self.sections().html
        self.status.value = ""

    def _repr_mimebundle_(self, include=None, exclude=None):
        return self.widget._repr_mimebundle_(include=include, exclude=exclude)


def report_form(
    level: str = "region",
    area: str | None = None,
    year: int | None = None,
    *,
    data_dir=None,
    datasets: Datasets | None = None,
) -> ReportForm:
    """Return a form that shows a report's sections for the area and year chosen.

    Parameters
    ----------
    level : {"region", "departement"}
        Level shown first.
    area : str, optional
        INSEE code of the area shown first (``"32"``, ``"59"``); by default the level's
        first area.
    year : int, optional
        Year shown first; by default the latest year with data.
    data_dir : str or path-like, optional
        Raw-data folder (see :class:`analysis.DataPaths`).
    datasets : Datasets, optional
        Tables already loaded (else those of ``data_dir``, shared across reports).

    Returns
    -------
    ReportForm
        Display it (last line of a cell); its :attr:`~ReportForm.report` is the report
        shown.

    Examples
    --------
    >>> import analysis as an
    >>> form = an.report_form("region", "32", 2019)
    >>> form.report.name
    'Hauts-de-France'
    >>> form.section.value = "Branches industrielles"
    >>> "<h2>Branches industrielles</h2>" in form.output.value
    True
    >>> form.level.value = "departement"
    >>> form.area.value = "59"
    >>> form.report.name
    'Nord'
    """
    if level not in LEVEL_LABELS:
        from .errors import ParameterError

        raise ParameterError(
            f"Unknown level {level!r}: the form shows {', '.join(map(repr, LEVEL_LABELS))}."
        )
    return ReportForm(level, area, year, datasets or shared_datasets(data_dir))


def write_excel(tables, path, *, title: str = "Tableaux") -> Path:
    """Write tables to an Excel workbook, one sheet each, after a contents sheet.

    The layout of the reports' own workbooks (:func:`analysis.spreadsheet.write_workbook`):
    each sheet starts with the table's title and notes, then its header and rows (numbers
    as numbers); sheet names are the titles cut to Excel's 31 characters, and the first
    sheet, "Sommaire", gives each sheet's full title. The file is written to a temporary
    name, then renamed: an earlier workbook of the same name stays whole if writing fails.

    Parameters
    ----------
    tables : dict of str to pandas.DataFrame or Series, or Block
        Title -> table, as :attr:`analysis.blocks.Block.tables`; a section's block itself.
    path : str or path-like
        The ``.xlsx`` file to write.
    title : str, default "Tableaux"
        What the contents sheet calls the workbook.

    Returns
    -------
    pathlib.Path
        The file written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import pandas as pd
    >>> import analysis as an
    >>> section = an.RegionReport("32", 2019).apprenticeship()
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> an.write_excel(section, folder / "apprentissage.xlsx").name
    'apprentissage.xlsx'
    >>> with pd.ExcelFile(folder / "apprentissage.xlsx", engine="calamine") as book:
    ...     book.sheet_names
    ['Sommaire', "Graphique Nouveaux contrats d'a", "Nouveaux contrats d'apprentissa"]
    """
    from .blocks import table_payload
    from .spreadsheet import write_workbook

    if isinstance(tables, Block):
        tables = tables.tables
    payloads = [table_payload(name, table) for name, table in tables.items()]
    return write_workbook(path, payloads, title=title)
