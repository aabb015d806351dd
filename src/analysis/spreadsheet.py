"""A report's tables as files: one Excel workbook, and one CSV per table.

The tables are those the report prints and the data of its charts, as the sections hand
them over (:data:`analysis.blocks.TABLES_MIME`): numbers unformatted, columns headed as
printed. Each sheet opens with the table's title (which names its period) and its notes
(field, signs, source), then the header row and the rows, numbers as numbers. The first
sheet, "Sommaire", names the report, its edition and every sheet.

CSV files follow what French Excel expects: UTF-8 with a byte-order mark, ";" between
fields, "," before decimals.

Byte-reproducible: the workbook's creation date is the edition date and its zip entries
carry a fixed timestamp, so the same tables give the same bytes.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import os
import re
import shutil
import tempfile
import unicodedata
import zipfile
from pathlib import Path

from ._files import atomic_write

__all__ = ["sheet_names", "slug", "write_csvs", "write_workbook"]

_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_SHEET_LENGTH = 31
#: Timestamp of every zip entry (the zip format's earliest date).
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def sheet_names(titles) -> list[str]:
    """Return Excel sheet names for ``titles``: allowed characters, 31 at most, unique.

    Examples
    --------
    >>> from analysis.spreadsheet import sheet_names
    >>> sheet_names(["Emploi : région / France", "Emploi : région / France"])
    ['Emploi région France', 'Emploi région France (2)']
    """
    names: list[str] = []
    for number, title in enumerate(titles, start=1):
        name = " ".join(_SHEET_FORBIDDEN.sub(" ", str(title)).split()) or f"Tableau {number}"
        name = name[:_SHEET_LENGTH].strip("' ")
        if name in names or name.casefold() == "sommaire":
            suffix = f" ({number})"
            name = name[: _SHEET_LENGTH - len(suffix)].rstrip() + suffix
        names.append(name)
    return names


def slug(title: str, length: int = 60) -> str:
    """Return a file-name form of ``title``: ASCII, lower case, words joined by "-".

    Examples
    --------
    >>> from analysis.spreadsheet import slug
    >>> slug("Nouveaux contrats d'apprentissage dans les Hauts-de-France, 2017–2023")
    'nouveaux-contrats-d-apprentissage-dans-les-hauts-de-france'
    """
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    text = "-".join(words)
    return text[:length].rsplit("-", 1)[0] if len(text) > length else text or "tableau"


def _number_format(values) -> str | None:
    numbers = [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
    if not numbers:
        return None
    return "#,##0" if all(float(v).is_integer() for v in numbers) else "#,##0.0"


_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def _reproducible_zip(path: Path, stamp: dt.datetime) -> None:
    """Rewrite the workbook at ``path`` with fixed dates: the file's own and its entries'.

    openpyxl writes the time of saving as the workbook's "modified" property, whatever it
    was set to: it becomes ``stamp``, and every zip entry gets the same fixed timestamp.
    """
    modified = stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(path) as source:
        entries = [(info.filename, source.read(info)) for info in source.infolist()]
    entries = [
        (name, _MODIFIED.sub(rb"\g<1>" + modified + rb"\g<2>", data))
        if name == "docProps/core.xml"
        else (name, data)
        for name, data in entries
    ]
    with zipfile.ZipFile(path, "w") as target:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, data)


def write_workbook(
    path: str | os.PathLike, tables: list[dict], *, title: str, edition: str = ""
) -> Path:
    """Write tables to an ``.xlsx`` workbook: a contents sheet, then one sheet per table.

    Parameters
    ----------
    path : str or path-like
        The file to write (through a temporary file and a rename).
    tables : list of dict
        Each ``{"title", "notes", "columns", "rows"}``, as
        :func:`analysis.blocks.table_payload` gives them.
    title : str
        The report's title, on the contents sheet.
    edition : str, optional
        The edition date, ``YYYY-MM-DD``: the workbook's creation date (else 2000-01-01,
        so that the bytes depend on the tables only).

    Returns
    -------
    pathlib.Path

    Examples
    --------
    >>> import pathlib, tempfile
    >>> import pandas as pd
    >>> from analysis.spreadsheet import write_workbook
    >>> table = {"title": "Emploi, 2023", "notes": "Source : Urssaf.",
    ...          "columns": ["Région", "Salariés"], "rows": [["Hauts-de-France", 285369.0]]}
    >>> path = write_workbook(pathlib.Path(tempfile.mkdtemp()) / "r.xlsx", [table],
    ...                       title="Rapport", edition="2024-12-31")
    >>> with pd.ExcelFile(path, engine="calamine") as book:
    ...     book.sheet_names, pd.read_excel(book, "Emploi, 2023", header=None).iloc[4, 1]
    (['Sommaire', 'Emploi, 2023'], 285369)
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    names = sheet_names(t["title"] for t in tables)
    created = dt.datetime.fromisoformat(edition) if edition else dt.datetime(2000, 1, 1)
    # Write-only: rows stream to the file, about twice as fast for a report's tables.
    book = Workbook(write_only=True)
    book.properties.created = book.properties.modified = created
    book.properties.creator = book.properties.lastModifiedBy = "analysis"
    book.properties.title = title

    def styled(sheet, value, **style):
        cell = WriteOnlyCell(sheet, value=value)
        for name, setting in style.items():
            setattr(cell, name, setting)
        return cell

    contents = book.create_sheet("Sommaire")
    contents.column_dimensions["A"].width = 34
    contents.column_dimensions["B"].width = 100
    contents.append([styled(contents, title, font=Font(bold=True, size=13))])
    if edition:
        contents.append([f"Édition du {created:%d/%m/%Y}"])
    contents.append([])
    contents.append(
        [styled(contents, text, font=Font(bold=True)) for text in ("Feuille", "Tableau")]
    )
    for name, table in zip(names, tables, strict=True):
        contents.append([name, table["title"]])
    for name, table in zip(names, tables, strict=True):
        sheet = book.create_sheet(name)
        columns, rows = table["columns"], table["rows"]
        formats = []
        for index, column in enumerate(columns):
            values = [row[index] for row in rows]
            formats.append(_number_format(values))
            longest = max([len(str(column)), *(len(str(v)) for v in values if v is not None)])
            width = min(max(10, longest + 2), 60)
            sheet.column_dimensions[get_column_letter(index + 1)].width = width
        sheet.freeze_panes = "A5"  # title, notes, a blank row and the header stay in view
        sheet.append([styled(sheet, table["title"], font=Font(bold=True, size=12))])
        sheet.append([table.get("notes", "")])
        sheet.append([])
        sheet.append([styled(sheet, str(column), font=Font(bold=True)) for column in columns])
        for row in rows:
            sheet.append(
                [
                    styled(sheet, value, number_format=number_format)
                    if number_format
                    and isinstance(value, int | float)
                    and not isinstance(value, bool)
                    else value
                    for value, number_format in zip(row, formats, strict=True)
                ]
            )

    def write(temporary: Path) -> None:
        try:
            book.save(temporary)
        except BaseException:
            # Finish the write-only sheets' row writers, which would otherwise complain
            # when collected, then let the error through (atomic_write keeps the old file).
            for sheet in book.worksheets:
                with contextlib.suppress(Exception):
                    sheet.close()
            raise
        _reproducible_zip(temporary, created)

    return atomic_write(path, write)


def write_csvs(folder: str | os.PathLike, tables: list[dict]) -> list[Path]:
    """Write one CSV per table into ``folder``, replacing what it held as one step.

    Files are numbered in the report's order (``01-<title>.csv``), UTF-8 with BOM, ";"
    separated, "," before decimals: as French Excel opens them. The new files are
    written into a temporary folder that then takes ``folder``'s place.

    Returns
    -------
    list of pathlib.Path
        The files written, in order.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from analysis.spreadsheet import write_csvs
    >>> table = {"title": "Part, 2023", "columns": ["Région", "Part"],
    ...          "rows": [["Hauts-de-France", 18.5]]}
    >>> (path,) = write_csvs(pathlib.Path(tempfile.mkdtemp()) / "csv", [table])
    >>> path.name, path.read_bytes().decode("utf-8-sig").splitlines()
    ('01-part-2023.csv', ['Région;Part', 'Hauts-de-France;18,5'])
    """
    folder = Path(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    written = []
    try:
        for number, table in enumerate(tables, start=1):
            path = staging / f"{number:02d}-{slug(table['title'])}.csv"
            with path.open("w", encoding="utf-8-sig", newline="") as handle:
                writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
                writer.writerow(table["columns"])
                for row in table["rows"]:
                    writer.writerow(["" if v is None else _csv_value(v) for v in row])
            path.chmod(0o644)
            written.append(folder / path.name)
        staging.chmod(0o755)
        old = None
        if folder.exists():
            old = folder.with_name(f".{folder.name}.old.{os.getpid()}")
            os.replace(folder, old)
        os.replace(staging, folder)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return written


def _csv_value(value) -> str:
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, float):
        return repr(value).replace(".", ",") if not value.is_integer() else str(int(value))
    return str(value)
