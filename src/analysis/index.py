"""The index page ``reports/index.html``: every report built, grouped by year, with status.

The page reads two things in the reports folder: ``status.json``, where each build
records how each report went (merged with earlier runs, so a report built last month
stays listed), and the key-figures JSON beside each report, for the figures it shows.
The batch records each report the moment it publishes it, under a lock
(``.status.lock``), so that concurrent builds into one folder never lose an entry and an
interrupted build leaves a status that describes exactly the files on disk.
A report whose last build failed keeps its link to the previous good version, if any,
and says so.

Within a year, the page lists the regional reports (France first, then the regions in
INSEE order), then the département reports under their region's name. With some 120
reports a year, a filter box (a few lines of inline script, hidden when scripts do not
run) narrows the rows to the names or codes that contain the text typed.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import unicodedata
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from ._files import atomic_write_text, locked

__all__ = ["STATUS_FILE", "read_status", "record", "write_index"]

STATUS_FILE = "status.json"
LOCK_FILE = ".status.lock"
REGION = "region"
DEPARTEMENT = "departement"


def read_status(out: str | os.PathLike) -> dict:
    """Return ``<out>/status.json`` as a dict (empty when missing or unreadable)."""
    path = Path(out) / STATUS_FILE
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _relative_path(html_path: Path, out: Path) -> str:
    """Return the report's HTML path relative to the reports folder, with ``/``."""
    try:
        return html_path.relative_to(out).as_posix()
    except ValueError:  # one of them relative, or through a symbolic link
        return html_path.resolve().relative_to(out.resolve()).as_posix()


def _identity(job, out: Path) -> dict:
    """Return the fields of a status entry that say which report ``job`` is."""
    return {
        # A region's Job may leave its parent empty: the region is then the report's own.
        "region": job.parent or job.area,
        "name": job.name,
        "year": job.year,
        "level": job.level,
        "area": job.area,
        "region_name": job.parent_name or job.name,
        "path": _relative_path(job.html, out),
    }


def record(out: str | os.PathLike, outcomes, *, run: str = "") -> dict:
    """Merge outcomes into ``<out>/status.json``; return the whole status.

    The read, merge and write happen under an exclusive lock on ``<out>/.status.lock``,
    so that processes recording at the same time never lose each other's entries.

    Parameters
    ----------
    out : str or path-like
        The reports folder.
    outcomes : iterable of analysis.build.Outcome
        What happened to each report.
    run : str, optional
        Identifier of the build that made them (kept in each entry).

    Returns
    -------
    dict
        The status after the merge, keyed by ``job.status_key`` (``"2024/53"`` for a
        region or France, ``"2024/departements/2A"`` for a département). Each entry
        holds ``region`` (the region's code, the parent's for a département), ``name``,
        ``year``, ``level`` (``"region"`` or ``"departement"``), ``area`` (the report's
        own code), ``region_name``, ``path`` (the HTML, relative to ``out``), ``ok``,
        ``seconds``, ``finished``, ``error`` and ``run``.
    """
    out = Path(out)
    with locked(out / LOCK_FILE):
        status = read_status(out)
        now = dt.datetime.now().isoformat(timespec="seconds")
        for outcome in outcomes:
            status[outcome.job.status_key] = {
                **_identity(outcome.job, out),
                "ok": outcome.ok,
                "seconds": round(outcome.seconds, 1),
                "finished": now,
                "error": outcome.error,
                "run": run,
                # What the next build compares (analysis.incremental); absent on failure.
                **{
                    name: outcome.details[name]
                    for name in (
                        "key",
                        "html_sha256",
                        "json_sha256",
                        "xlsx_sha256",
                        "csv_sha256",
                        "kernel",
                        "changes",
                    )
                    if outcome.ok and outcome.details.get(name)
                },
            }
        text = json.dumps(status, ensure_ascii=False, indent=2)
        atomic_write_text(out / STATUS_FILE, text)
    return status


# -- reading entries, old and new ---------------------------------------------------------
def _level(entry: dict) -> str:
    """Entries written before the départements have no level: they are regional."""
    return DEPARTEMENT if entry.get("level") == DEPARTEMENT else REGION


def _area(entry: dict) -> str:
    return entry.get("area") or entry["region"]


def _path(entry: dict) -> str:
    return entry.get("path") or f"{entry['year']}/{entry['region']}.html"


def _code_key(code: str) -> tuple:
    """Sort key in INSEE order: FR, 01 … 19, 2A, 2B, 21 … 95, 971 … (unknown codes last)."""
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


# -- the page -------------------------------------------------------------------------
def _figure(doc: dict, figure_id: str):
    for figure in doc.get("figures", []):
        if figure.get("id") == figure_id:
            return figure
    return None


def _scope(figure: dict) -> str:
    """Return "2024, secteur privé (Urssaf)" for an employment figure."""
    if not figure:
        return ""
    period = figure.get("period", "")
    source = figure.get("source", "")
    if source == "urssaf_ze_a38":
        return f"{period}, secteur privé (Urssaf)"
    if source == "insee_ete_a17":
        provisional = period[-4:].isdigit() and int(period[-4:]) >= 2019
        return f"{period}, tous salariés (Insee{', p' if provisional else ''})"
    return period


def _french_time(stamp: str) -> str:
    """Return ``21/11/2026 à 21:14`` for an ISO timestamp."""
    try:
        moment = dt.datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    return f"{moment:%d/%m/%Y} à {moment:%H:%M}"


def write_index(out: str | os.PathLike) -> Path:
    """Write ``<out>/index.html`` from ``status.json`` and the key-figure files.

    Under the status lock, so that the page written last reflects the latest status.
    """
    out = Path(out)
    with locked(out / LOCK_FILE):
        return atomic_write_text(out / "index.html", _render(out, read_status(out)))


def _row(out: Path, entry: dict) -> str:
    """Return the table row of one report."""
    from . import french  # French number formats (Babel, pandas): only to write the page

    code, path = _area(entry), _path(entry)
    page = out / path
    doc = {}
    try:
        doc = json.loads((out / PurePosixPath(path).with_suffix(".json")).read_text("utf-8"))
    except (OSError, ValueError):
        pass
    employment = _figure(doc, "industrial_employment") or {}
    apprenticeship = _figure(doc, "apprenticeship_contracts") or {}
    name = html.escape(entry["name"])
    link = f'<a href="{html.escape(quote(path))}">{name}</a>' if page.exists() else name
    if entry["ok"]:
        state = '<span class="ok">à jour</span>'
    elif page.exists():
        state = (
            '<span class="failed">échec de la dernière génération</span> '
            "(version précédente en lien)"
        )
    else:
        state = '<span class="failed">échec</span>'
    if not entry["ok"]:
        state += f"<br><small>{html.escape(entry['error'])}</small>"
    changed = entry.get("changes") or []
    if entry["ok"] and changed and page.exists():
        what = "chiffre clé modifié" if len(changed) == 1 else "chiffres clés modifiés"
        state += (
            f'<br><a href="{html.escape(quote(path))}#ce-qui-change">{len(changed)} {what}</a>'
            " depuis l'édition précédente"
        )
    searched = html.escape(_folded(f"{entry['name']} {code}"))
    downloads = []
    for suffix, label, what in ((".xlsx", "Excel", "tableur"), (".json", "JSON", "chiffres clés")):
        target = PurePosixPath(path).with_suffix(suffix)
        if (out / target).is_file():
            downloads.append(
                f'<a href="{html.escape(quote(str(target)))}" title="{what} : {name}">{label}</a>'
            )
    return (
        f"<tr data-filtre=\"{searched}\"><td class='txt'>{link}</td>"
        f"<td class='txt'>{html.escape(code)}</td>"
        f"<td class='num'>{french.number(employment.get('value'))}</td>"
        f"<td class='txt'>{html.escape(_scope(employment))}</td>"
        f"<td class='num'>{french.number(apprenticeship.get('value'))}</td>"
        f"<td class='txt'>{html.escape(apprenticeship.get('period', ''))}</td>"
        f"<td class='txt'>{state}</td>"
        f"<td class='txt'>{' · '.join(downloads)}</td>"
        f"<td class='txt'>{html.escape(_french_time(entry['finished']))}</td></tr>"
    )


_HEADER = (
    '<thead><tr><th scope="col" class="txt">Rapport</th>'
    '<th scope="col" class="txt">Code</th><th scope="col" class="num">Emploi industriel</th>'
    '<th scope="col" class="txt">Période et champ</th>'
    '<th scope="col" class="num">Contrats d\'apprentissage</th>'
    '<th scope="col" class="txt">Période</th><th scope="col" class="txt">État</th>'
    '<th scope="col" class="txt">Données</th>'
    '<th scope="col" class="txt">Produit le</th></tr></thead>'
)


_COLUMN_WIDTHS = "".join(
    f"table.report-table th:nth-child({n}){{width:{width}%}}"
    for n, width in enumerate((17, 5, 10, 18, 12, 8, 13, 7, 10), start=1)
)


def _table(out: Path, entries: list[dict], caption: str) -> str:
    rows = "".join(_row(out, entry) for entry in sorted(entries, key=lambda e: _code_key(_area(e))))
    return (
        '<div class="table-wrap"><table class="report-table">'
        f'<caption class="visually-hidden">{html.escape(caption)}</caption>'
        f"{_HEADER}<tbody>{rows}</tbody></table></div>"
    )


def _year_section(out: Path, year: int, entries: list[dict]) -> tuple[str, list[tuple]]:
    """Return the section of one year and its (anchor, label) pairs for the contents."""
    regional = [e for e in entries if _level(e) == REGION]
    by_region: dict[str, list[dict]] = {}
    for entry in entries:
        if _level(entry) == DEPARTEMENT:
            by_region.setdefault(entry.get("region", ""), []).append(entry)
    parts, anchors = [], []
    if regional:
        anchor = f"annee-{year}-regions"
        anchors.append((anchor, "France et régions"))
        parts.append(
            f'<section class="groupe"><h3 id="{anchor}">France et régions</h3>'
            f"{_table(out, regional, f'France et régions, {year}')}</section>"
        )
    if by_region:
        anchor = f"annee-{year}-departements"
        anchors.append((anchor, "Départements"))
        groups = []
        for region in sorted(by_region, key=_code_key):
            members = by_region[region]
            name = next((e["region_name"] for e in members if e.get("region_name")), region)
            groups.append(
                f'<section class="groupe"><h4 id="{anchor}-{html.escape(region)}">'
                f"{html.escape(name)}</h4>"
                f"{_table(out, members, f'Départements, {name}, {year}')}</section>"
            )
        parts.append(
            f'<section class="groupe"><h3 id="{anchor}">Départements</h3>'
            f"{''.join(groups)}</section>"
        )
    section = f'<section class="groupe"><h2 id="annee-{year}">{year}</h2>{"".join(parts)}</section>'
    return section, anchors


def _contents(anchors: dict[int, list[tuple]]) -> str:
    """Return the table of contents: each year, and each level within it."""
    items = []
    for year, levels in anchors.items():
        links = " · ".join(f'<span><a href="#{a}">{label}</a></span>' for a, label in levels)
        items.append(f'<li><a href="#annee-{year}">{year}</a>\u00a0: {links}</li>')
    return f'<nav class="toc" aria-label="Sommaire"><ul>{"".join(items)}</ul></nav>'


_FILTER = (
    '<div role="search" id="filtre-zone" hidden><label for="filtre">Filtrer les rapports '
    "par nom ou par code</label> "
    '<input type="search" id="filtre" autocomplete="off" spellcheck="false" '
    'aria-describedby="filtre-bilan">'
    '<p id="filtre-bilan" aria-live="polite"></p></div>'
)

# Shows the filter (hidden when scripts do not run, the page then lists everything), then
# hides the rows that do not match and the sections and contents entries left empty.
_SCRIPT = """<script>
(function () {
  var zone = document.getElementById("filtre-zone");
  var box = document.getElementById("filtre");
  var bilan = document.getElementById("filtre-bilan");
  zone.hidden = false;
  function fold(text) {
    return text.normalize("NFD").replace(/\\p{M}/gu, "").toLowerCase().replace(/[-'\\u2019]/g, " ");
  }
  box.addEventListener("input", function () {
    var query = fold(box.value).trim(), shown = 0;
    var rows = document.querySelectorAll("tr[data-filtre]");
    rows.forEach(function (row) {
      row.hidden = row.getAttribute("data-filtre").indexOf(query) < 0;
      if (!row.hidden) shown += 1;
    });
    document.querySelectorAll("section.groupe").forEach(function (section) {
      section.hidden = !section.querySelector("tr[data-filtre]:not([hidden])");
    });
    document.querySelectorAll("nav.toc a").forEach(function (link) {
      var target = document.getElementById(link.hash.slice(1));
      link.parentNode.hidden = !target || target.closest("section").hidden;
    });
    if (!query) bilan.textContent = "";
    else if (shown) bilan.textContent = shown + " rapport(s) sur " + rows.length + " affiché(s).";
    else bilan.textContent = "Pas de rapport dont le nom ou le code contienne «\\u00a0"
      + box.value.trim() + "\\u00a0».";
  });
})();
</script>"""


def _render(out: Path, status: dict) -> str:
    """Return the index page for ``status``."""
    from .blocks import CSS

    by_year: dict[int, list[dict]] = {}
    for entry in status.values():
        by_year.setdefault(int(entry["year"]), []).append(entry)
    sections, anchors = [], {}
    for year in sorted(by_year, reverse=True):
        section, anchors[year] = _year_section(out, year, by_year[year])
        sections.append(section)
    if sections:
        # A contents list with one entry would only repeat the heading below it.
        several = sum(len(levels) for levels in anchors.values()) > 1
        body = _FILTER + (_contents(anchors) if several else "") + "".join(sections) + _SCRIPT
    else:
        body = "<p>Aucun rapport n'a encore été produit.</p>"
    title = "Industrie et apprentissage — rapports territoriaux"
    return (
        '<!DOCTYPE html>\n<html lang="fr"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title>"
        f"<style>{CSS}body{{font-family:system-ui,sans-serif;max-width:70rem;margin:0 auto;"
        "padding:1rem;color:#1a1a1a}.ok{color:#1a7f37;font-weight:600}"
        ".failed{color:#b42318;font-weight:600}[hidden]{display:none!important}"
        ".visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;"
        "clip:rect(0 0 0 0);white-space:nowrap}"
        "#filtre-zone{margin:1rem 0}#filtre-zone label{font-weight:600;margin-right:.5rem}"
        "#filtre{font:inherit;padding:.3rem .5rem;border:1px solid #57606a;border-radius:4px;"
        "min-width:16rem}#filtre-bilan{margin:.3rem 0 0;color:#444}"
        "nav.toc ul{margin:.3rem 0;padding-left:1.2rem}"
        # The same columns in every table, so that the tables of a year line up.
        "table.report-table{width:100%;min-width:56rem;table-layout:fixed}"
        "table.report-table th.num{white-space:normal}"
        f"{_COLUMN_WIDTHS}</style></head><body>"
        f'<h1 class="report-title">{title}</h1>'
        '<p class="report-subtitle">Les rapports produits, année par année : une vue '
        "d'ensemble de la France (code FR), un rapport par région et, pour les années où "
        "ils ont été demandés, un rapport par département. Chaque rapport s'ouvre sans "
        f"connexion ; le champ et la période de chaque chiffre sont donnés à côté.</p>"
        f"{body}</body></html>\n"
    )
