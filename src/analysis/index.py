"""The index page ``reports/index.html``: every report built, with its dates and files.

The page reads two things in the reports folder: ``status.json``, where each build
records how each report went (merged with earlier runs, so a report built last month
stays listed), and the key-figures JSON beside each report, for the figures it shows
and the dates of its data. The batch records each report the moment it publishes it,
under a lock (``.status.lock``), so that concurrent builds into one folder never lose an
entry and an interrupted build leaves a status that describes exactly the files on disk.
A report whose last build failed keeps its link to the previous good version, if any,
and says so.

The page opens on a map of the regions (:mod:`analysis.site_map`), each linked to its
latest report. Then, year by year (the latest first), the France overview and the
regions in the order of INSEE's regional tables (metropolitan regions by code, then the
overseas regions), then the départements under their region's name. Each row gives the
report's main figures, the dates of its data, its edition date, its status and links to
its HTML, PDF, workbook and JSON. A filter box (a few lines of inline script, hidden
when scripts do not run) narrows the rows to the names or codes that contain the text
typed. :func:`write_index` also writes ``methode.html``, the sources and the method
(:mod:`analysis.method_page`).
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
from pathlib import Path

from ._files import atomic_write_text, locked
from ._index_rows import (
    DEPARTEMENT,
    HEADER,
    REGION,
    WIDTHS,
    _area,
    _code_key,
    _level,
    _path,
    _region_key,
    row,
)
from ._site import INDEX_PAGE, METHOD_PAGE, SITE_NAME, page

__all__ = ["STATUS_FILE", "annotate", "read_status", "record", "write_index"]

STATUS_FILE = "status.json"
LOCK_FILE = ".status.lock"


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
                        "sources",
                    )
                    if outcome.ok and outcome.details.get(name)
                },
            }
        text = json.dumps(status, ensure_ascii=False, indent=2)
        atomic_write_text(out / STATUS_FILE, text)
    return status


def annotate(out: str | os.PathLike, fields: dict[str, dict]) -> dict:
    """Merge ``fields`` into existing entries of ``<out>/status.json``, under its lock.

    Used for what is made after a report's HTML, such as its PDF
    (``{"2024/94": {"pdf_sha256": ...}}``); a key with no entry is ignored.
    """
    out = Path(out)
    with locked(out / LOCK_FILE):
        status = read_status(out)
        for key, values in fields.items():
            if key in status:
                status[key].update(values)
        atomic_write_text(out / STATUS_FILE, json.dumps(status, ensure_ascii=False, indent=2))
    return status


# -- the page -------------------------------------------------------------------------
def write_index(out: str | os.PathLike) -> Path:
    """Write ``<out>/index.html`` and ``<out>/methode.html``; return the index's path.

    Under the status lock, so that the page written last reflects the latest status;
    each page through a temporary file and a rename. The method page is only rewritten
    when the package's code changed (:func:`analysis.method_page.write_method_page`).
    """
    from .method_page import write_method_page

    out = Path(out)
    with locked(out / LOCK_FILE):
        write_method_page(out)
        return atomic_write_text(out / INDEX_PAGE, _render(out, read_status(out)))


def _table(out: Path, entries: list[dict], caption: str, key) -> str:
    rows = "".join(row(out, entry) for entry in sorted(entries, key=lambda e: key(_area(e))))
    return (
        '<div class="table-wrap"><table class="liste rapports">'
        f'<caption class="visually-hidden">{html.escape(caption)}</caption>'
        f"{HEADER}<tbody>{rows}</tbody></table></div>"
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
            f"{_table(out, regional, f'France et régions, {year}', _region_key)}</section>"
        )
    if by_region:
        anchor = f"annee-{year}-departements"
        anchors.append((anchor, "Départements"))
        groups = []
        for region in sorted(by_region, key=_region_key):
            members = by_region[region]
            name = next((e["region_name"] for e in members if e.get("region_name")), region)
            caption = f"Départements, {name}, {year}"
            groups.append(
                f'<section class="groupe"><h4 id="{anchor}-{html.escape(region)}">'
                f"{html.escape(name)}</h4>{_table(out, members, caption, _code_key)}</section>"
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
    return f'<nav class="sommaire toc" aria-label="Sommaire"><ul>{"".join(items)}</ul></nav>'


def _latest(out: Path, status: dict) -> dict[str, dict]:
    """Return the latest regional entry of each region (and FR) whose HTML is there."""
    latest: dict[str, dict] = {}
    for entry in status.values():
        if _level(entry) != REGION or not (out / _path(entry)).is_file():
            continue
        code = _area(entry)
        if code not in latest or int(entry["year"]) > int(latest[code]["year"]):
            latest[code] = entry
    return latest


def _map_section(out: Path, status: dict) -> str:
    """Return the map of the regions, each linked to its latest report."""
    from .site_map import region_map

    latest = _latest(out, status)
    links = {
        code: (_path(entry), f"{entry['name']}, rapport {entry['year']}")
        for code, entry in latest.items()
        if code != "FR"
    }
    svg = region_map(links) if links else ""
    if not svg:
        return ""
    france = latest.get("FR")
    overview = (
        f' Vue d\'ensemble\u00a0: <a href="{html.escape(_path(france))}">France, rapport '
        f"{france['year']}</a>."
        if france
        else ""
    )
    return (
        '<section class="carte-zone" aria-labelledby="carte-titre">'
        '<h2 id="carte-titre">Carte des régions</h2>'
        "<p>Chaque région ouvre son rapport le plus récent\u202f; les régions en gris "
        f"n'ont pas de rapport ici.{overview}</p>{svg}</section>"
    )


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

_CSS = (
    ".ok{color:#1a7f37;font-weight:600}.failed{color:#b42318;font-weight:600}"
    ".ouverture{display:flex;flex-wrap:wrap;gap:0 2.5rem;align-items:flex-start}"
    ".carte-zone{flex:1 1 26rem;max-width:40rem}.acces{flex:1 1 20rem}"
    ".carte-zone h2,.acces h2{margin-top:.8rem}"
    "svg.carte{display:block;width:100%;height:auto}"
    "svg.carte a path{fill:#5b8fc7;stroke:#fff;stroke-width:.8}"
    "svg.carte a:hover path{fill:#2f6eb0}"
    "svg.carte a:focus{outline:none}"
    "svg.carte a:focus-visible path{fill:#0b3d66;stroke:#ffd33d;stroke-width:2.5}"
    "svg.carte a:focus-visible .cadre{stroke:#0a58a8;stroke-width:3}"
    "svg.carte .vide path{fill:#e8ebef;stroke:#8c99a6;stroke-width:.6}"
    "svg.carte .cadre{fill:transparent;stroke:none}"
    "svg.carte a{text-decoration:none}"
    "svg.carte text{font:12px system-ui,sans-serif;fill:#1a1a1a;text-anchor:middle}"
    "#filtre-zone{margin:1rem 0}#filtre-zone label{font-weight:600;display:block;"
    "margin-bottom:.3rem}#filtre{font:inherit;padding:.35rem .5rem;border:1px solid #57606a;"
    "border-radius:4px;width:100%;max-width:24rem;min-height:2.2rem}"
    "#filtre-bilan{margin:.3rem 0 0;color:#444;min-height:1.2em}"
    "table.rapports{min-width:62rem;table-layout:fixed}"
    "table.rapports thead th.num{white-space:normal}"
    "ul.dates{list-style:none;margin:0;padding:0}"
    "table.rapports .fichiers a{display:inline-block;min-width:24px;min-height:24px;"
    "padding:.1rem .2rem;margin:0 .1rem .1rem 0}"
    "table.rapports td:first-child{font-weight:600}"
    "table.rapports td:first-child a{display:inline-block;min-height:24px}"
    + "".join(
        f"table.rapports th:nth-child({n}){{width:{width}%}}"
        for n, width in enumerate(WIDTHS, start=1)
    )
)


def _summary(status: dict, by_year: dict[int, list[dict]]) -> str:
    """Return the side box: how many reports, of which years, and where the method is."""
    from .blocks import typeset

    def count(n: int, what: str) -> str:
        return f"{n}\u00a0{what}{'s' if n > 1 else ''}"

    regional = sum(1 for e in status.values() if _level(e) == REGION)
    parts = [f"{count(regional, 'rapport')} pour la France et les régions"] if regional else []
    if len(status) > regional:
        parts.append(f"{count(len(status) - regional, 'rapport')} pour des départements")
    years = ", ".join(str(year) for year in sorted(by_year, reverse=True))
    text = (
        f"{' et '.join(parts)} ; année{'s' if len(by_year) > 1 else ''} {years}. Chaque "
        "rapport se lit dans le navigateur (HTML) et, quand sa ligne en donne le lien, "
        "s'imprime (PDF), s'ouvre dans un tableur (Excel : ses tableaux) ou se réutilise "
        "(JSON : ses chiffres clés). Les sources, leurs licences et la méthode sont "
        "détaillées dans"
    )
    link = f'<a href="{METHOD_PAGE}">Méthode et sources</a>'
    return f"<p>{typeset(text[0].upper() + text[1:])} {link}.</p>"


def _render(out: Path, status: dict) -> str:
    """Return the index page for ``status``."""
    from .blocks import typeset

    by_year: dict[int, list[dict]] = {}
    for entry in status.values():
        by_year.setdefault(int(entry["year"]), []).append(entry)
    sections, anchors = [], {}
    for year in sorted(by_year, reverse=True):
        section, anchors[year] = _year_section(out, year, by_year[year])
        sections.append(section)
    intro = typeset(
        "L'emploi industriel et l'apprentissage, année par année : une vue d'ensemble de la "
        "France (code FR), un rapport par région et, quand ils ont été produits, un rapport "
        "par département. Chaque rapport est un fichier complet, lisible sans connexion, "
        "qui précise le champ et la période de chacun de ses chiffres."
    )
    if sections:
        # A contents list with one entry would only repeat the heading below it.
        several = sum(len(levels) for levels in anchors.values()) > 1
        side = (
            '<div class="acces"><h2 id="acces-titre">Trouver un rapport</h2>'
            f"{_summary(status, by_year)}{_FILTER}{_contents(anchors) if several else ''}</div>"
        )
        body = f'<div class="ouverture">{_map_section(out, status)}{side}</div>' + "".join(sections)
        script = _SCRIPT
    else:
        body, script = "<p>Aucun rapport n'a encore été produit.</p>", ""
    main = f'<h1>{html.escape(SITE_NAME)}</h1><p class="chapo">{intro}</p>{body}'
    return page(file=INDEX_PAGE, title=SITE_NAME, main=main, css=_CSS, script=script)
