"""What the index says of one report: its row, with dates, status and files.

A status entry (:func:`analysis.index.record`) says which report it is and how its last
build went; the key-figure JSON beside the report gives its figures and the periods of
its data; the HTML gives the edition date it prints; the files beside it are linked
when they exist. Old entries, written before the départements, have no level, area or
path: they are read as regional reports.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import json
import re
import unicodedata
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from ._site import visually_hidden

REGION = "region"
DEPARTEMENT = "departement"


def _level(entry: dict) -> str:
    """Entries written before the départements have no level: they are regional."""
    return DEPARTEMENT if entry.get("level") == DEPARTEMENT else REGION


def _area(entry: dict) -> str:
    return entry.get("area") or entry["region"]


def _path(entry: dict) -> str:
    return entry.get("path") or f"{entry['year']}/{entry['region']}.html"


@functools.cache
def _region_ranks() -> dict[str, int]:
    """Rank of each region code in INSEE's regional tables: metropolitan, then overseas."""
    from .geo import METROPOLITAN_REGIONS, OVERSEAS_REGIONS

    return {code: rank for rank, code in enumerate(METROPOLITAN_REGIONS + OVERSEAS_REGIONS)}


def _region_key(code: str) -> tuple:
    """Sort key of France and the regions: FR, 11, 24 … 94, 01 … 06 (unknown codes last)."""
    if code == "FR":
        return (0, 0, "")
    rank = _region_ranks().get(code)
    return (1, rank, "") if rank is not None else (2, 0, code)


def _code_key(code: str) -> tuple:
    """Sort key of départements in INSEE order: 01 … 19, 2A, 2B, 21 … 95, 971 … (unknown last)."""
    if code == "FR":
        return (0, 0, "")
    if code.upper() in ("2A", "2B"):  # Corsica's two départements, where 20 would be
        return (1, 20, code.upper())
    if code.isdigit():
        return (1, int(code), "")
    return (2, 0, code)


def _folded(text: str) -> str:
    """Return ``text`` as the filter compares it: no accents, lower case, no hyphens."""
    decomposed = unicodedata.normalize("NFD", text)
    plain = "".join(c for c in decomposed if not unicodedata.category(c).startswith("M"))
    return plain.lower().replace("-", " ").replace("'", " ").replace("\u2019", " ")


def _figure(doc: dict, figure_id: str):
    for figure in doc.get("figures", []):
        if figure.get("id") == figure_id:
            return figure
    return None


#: The dates of a report's data, as the index gives them: each theme and the key figures
#: that date it (the periods of those with a value).
_DATED = (
    ("emploi industriel", ("industrial_employment",)),
    ("emploi salarié privé", ("private_employment",)),
    ("apprentissage", ("apprenticeship_contracts", "apprenticeship_contracts_year_to_date")),
    ("BMO", ("industrial_recruitment_projects",)),
)
#: A theme left out when another is there: a département's industrial employment, when
#: known, makes its private employment (all sectors) redundant.
_REDUNDANT = {"emploi salarié privé": "emploi industriel"}
#: Field of the employment figures, by source and flag.
_FIELD = {
    "urssaf_ze_a38": "Urssaf, secteur privé",
    "urssaf_region_series": "Urssaf, tous secteurs",
    "insee_ete_a17": "Insee, tous salariés",
}


def _short_period(period: str) -> str:
    """Return ``"2023"`` for ``"année 2023"``, ``"2025"`` for ``"enquête BMO 2025"``."""
    return period.removeprefix("année ").removeprefix("enquête BMO ").strip()


def data_dates(doc: dict) -> list[tuple[str, str]]:
    """Return the dates of a report's data from its key figures, theme by theme.

    Parameters
    ----------
    doc : dict
        The report's key-figure JSON (``<code>.json``): ``{"figures": [...]}``, each
        figure with ``id``, ``value``, ``period``, ``source`` and ``flags``.

    Returns
    -------
    list of (str, str)
        ``(theme, dates)``, e.g. ``[("emploi industriel", "2024 (Urssaf, secteur
        privé)"), ("apprentissage", "2023 et janvier-avril 2024"), ("BMO", "2025")]``.
        A figure without a value dates nothing; industrial employment, when known,
        makes private employment redundant.

    Examples
    --------
    >>> from analysis._index_rows import data_dates
    >>> doc = {"figures": [
    ...     {"id": "industrial_employment", "value": 7037.0, "period": "2024",
    ...      "source": "urssaf_ze_a38", "flags": []},
    ...     {"id": "apprenticeship_contracts", "value": 2792.0, "period": "année 2023"},
    ...     {"id": "apprenticeship_contracts_year_to_date", "value": None,
    ...      "period": "janvier-avril 2024"},
    ...     {"id": "industrial_recruitment_projects", "value": 1090.0,
    ...      "period": "enquête BMO 2025"}]}
    >>> for theme, dates in data_dates(doc):
    ...     print(f"{theme} : {dates}")
    emploi industriel : 2024 (Urssaf, secteur privé)
    apprentissage : 2023
    BMO : 2025
    """
    dates: list[tuple[str, str]] = []
    for theme, ids in _DATED:
        found = [f for f in (_figure(doc, i) for i in ids) if f and f.get("value") is not None]
        if not found or any(t == _REDUNDANT.get(theme) for t, _ in dates):
            continue
        periods = " et ".join(dict.fromkeys(_short_period(f.get("period", "")) for f in found))
        field = _FIELD.get(found[0].get("source", ""), "") if theme.startswith("emploi") else ""
        if field and "provisional" in (found[0].get("flags") or []):
            field += ", provisoire"
        dates.append((theme, f"{periods} ({field})" if field else periods))
    return dates


_EDITION = re.compile(r"Rapport produit le</dt>\s*<dd>(\d\d)/(\d\d)/(\d{4})")


def edition_date(page: Path, finished: str = "") -> dt.date | None:
    """Return the edition date a report prints ("Rapport produit le"), else its build date.

    Only the end of the HTML is read: the date is in its last section.
    """
    try:
        with page.open("rb") as handle:
            handle.seek(max(0, page.stat().st_size - 65_536))
            match = _EDITION.search(handle.read().decode("utf-8", "replace"))
        if match:
            return dt.date(int(match[3]), int(match[2]), int(match[1]))
    except (OSError, ValueError):
        pass
    try:
        return dt.datetime.fromisoformat(finished).date()
    except ValueError:
        return None


#: The files of a report, as the index links them: suffix, visible label.
_FILES = ((".html", "HTML"), (".pdf", "PDF"), (".xlsx", "Excel"), (".json", "JSON"))


def report_files(out: Path, path: str) -> list[tuple[str, str]]:
    """Return ``(href, label)`` for each file of a report that exists, HTML first."""
    found = []
    for suffix, label in _FILES:
        target = PurePosixPath(path).with_suffix(suffix)
        if (out / target).is_file():
            found.append((quote(str(target)), label))
    return found


def _state(entry: dict, exists: bool, href: str) -> str:
    """Return the status cell: à jour or échec, and how many key figures changed."""
    if entry["ok"]:
        state = '<span class="ok">à jour</span>'
    elif exists:
        state = (
            '<span class="failed">échec de la dernière génération</span> '
            "(version précédente en lien)"
        )
    else:
        state = '<span class="failed">échec</span>'
    if not entry["ok"]:
        state += f"<br><small>{html.escape(entry['error'])}</small>"
    changed = entry.get("changes") or []
    if entry["ok"] and changed and exists:
        what = "chiffre clé modifié" if len(changed) == 1 else "chiffres clés modifiés"
        state += (
            f'<br><a href="{href}#ce-qui-change">{len(changed)}\u00a0{what}</a>'
            " depuis l'édition précédente"
        )
    return state


def row(out: Path, entry: dict) -> str:
    """Return the table row of one report."""
    from . import french  # French number formats (Babel, pandas): only to write the page
    from .blocks import typeset

    code, path = _area(entry), _path(entry)
    doc = {}
    try:
        doc = json.loads((out / PurePosixPath(path).with_suffix(".json")).read_text("utf-8"))
    except (OSError, ValueError):
        pass
    files = report_files(out, path)
    exists = bool(files) and files[0][1] == "HTML"
    href = files[0][0] if exists else ""
    # A département is named with its code, as its report's title does: Guadeloupe (971)
    # is not the region Guadeloupe, whose report has the same year.
    who = entry["name"] if _level(entry) == REGION else f"{entry['name']} ({code})"
    who = f"{who} {entry['year']}"
    name = html.escape(entry["name"])
    if exists:
        name = f'<a href="{html.escape(href)}">{name}</a>'
    links = " ".join(
        f'<a class="fichier" href="{html.escape(target)}">{visually_hidden(who + ", ")}{label}</a>'
        for target, label in files
    )
    dated = "".join(
        f"<li>{typeset(f'{theme[0].upper()}{theme[1:]} : {when}')}</li>"
        for theme, when in data_dates(doc)
    )
    dated = f'<ul class="dates">{dated}</ul>' if dated else "n.d."
    edition = edition_date(out / path, entry.get("finished", "")) if exists else None
    edited = f'<time datetime="{edition.isoformat()}">{edition:%d/%m/%Y}</time>' if edition else ""
    employment = _figure(doc, "industrial_employment") or {}
    apprenticeship = _figure(doc, "apprenticeship_contracts") or {}
    searched = html.escape(_folded(f"{entry['name']} {code}"))
    return (
        f"<tr data-filtre=\"{searched}\"><td class='txt'>{name}</td>"
        f"<td class='txt'>{html.escape(code)}</td>"
        f"<td class='num'>{french.number(employment.get('value'))}</td>"
        f"<td class='num'>{french.number(apprenticeship.get('value'))}</td>"
        f"<td class='txt'>{dated}</td>"
        f"<td class='txt'>{edited}</td>"
        f"<td class='txt'>{_state(entry, exists, html.escape(href))}</td>"
        f"<td class='txt fichiers'>{links}</td></tr>"
    )


HEADER = (
    '<thead><tr><th scope="col">Rapport</th><th scope="col">Code</th>'
    '<th scope="col" class="num">Emploi industriel</th>'
    '<th scope="col" class="num">Contrats d\'appren\u00adtissage</th>'
    '<th scope="col">Dates des données</th><th scope="col">Produit le</th>'
    '<th scope="col">État</th><th scope="col">Fichiers</th></tr></thead>'
)
#: Column widths (%), the same in every table so that the tables of a year line up.
WIDTHS = (14, 5, 8, 9, 27, 8, 12, 17)
