"""The index page ``reports/index.html``: every report built, grouped by year, with status.

The page reads two things in the reports folder: ``status.json``, where each build
records how each report went (merged with earlier runs, so a report built last month
stays listed), and the key-figures JSON beside each report, for the figures it shows.
The batch records each report the moment it publishes it, under a lock
(``.status.lock``), so that concurrent builds into one folder never lose an entry and an
interrupted build leaves a status that describes exactly the files on disk.
A report whose last build failed keeps its link to the previous good version, if any,
and says so.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
from pathlib import Path

from ._files import atomic_write_text, locked

__all__ = ["STATUS_FILE", "read_status", "record", "write_index"]

STATUS_FILE = "status.json"
LOCK_FILE = ".status.lock"


def read_status(out: str | os.PathLike) -> dict:
    """Return ``<out>/status.json`` as a dict (empty when missing or unreadable)."""
    path = Path(out) / STATUS_FILE
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


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
    """
    out = Path(out)
    with locked(out / LOCK_FILE):
        status = read_status(out)
        now = dt.datetime.now().isoformat(timespec="seconds")
        for outcome in outcomes:
            job = outcome.job
            status[f"{job.year}/{job.region}"] = {
                "region": job.region,
                "name": job.name,
                "year": job.year,
                "ok": outcome.ok,
                "seconds": round(outcome.seconds, 1),
                "finished": now,
                "error": outcome.error,
                "run": run,
                # What the next build compares (analysis.incremental); absent on failure.
                **{
                    name: outcome.details[name]
                    for name in ("key", "html_sha256", "json_sha256", "kernel")
                    if outcome.ok and outcome.details.get(name)
                },
            }
        text = json.dumps(status, ensure_ascii=False, indent=2)
        atomic_write_text(out / STATUS_FILE, text)
    return status


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


def _render(out: Path, status: dict) -> str:
    """Return the index page for ``status``."""
    from . import french  # French number formats (Babel, pandas): only to write the page
    from .blocks import CSS

    by_year: dict[int, list[dict]] = {}
    for entry in status.values():
        by_year.setdefault(int(entry["year"]), []).append(entry)
    sections = []
    for year in sorted(by_year, reverse=True):
        rows = []
        entries = sorted(by_year[year], key=lambda e: (e["region"] != "FR", e["region"]))
        for entry in entries:
            code = entry["region"]
            page = out / str(year) / f"{code}.html"
            doc = {}
            try:
                doc = json.loads((out / str(year) / f"{code}.json").read_text(encoding="utf-8"))
            except (OSError, ValueError):
                pass
            employment = _figure(doc, "industrial_employment") or {}
            apprenticeship = _figure(doc, "apprenticeship_contracts") or {}
            name = html.escape(entry["name"])
            link = f'<a href="{year}/{code}.html">{name}</a>' if page.exists() else name
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
            rows.append(
                f"<tr><td class='txt'>{link}</td><td class='txt'>{html.escape(code)}</td>"
                f"<td class='num'>{french.number(employment.get('value'))}</td>"
                f"<td class='txt'>{html.escape(_scope(employment))}</td>"
                f"<td class='num'>{french.number(apprenticeship.get('value'))}</td>"
                f"<td class='txt'>{html.escape(apprenticeship.get('period', ''))}</td>"
                f"<td class='txt'>{state}</td>"
                f"<td class='txt'>{html.escape(_french_time(entry['finished']))}</td></tr>"
            )
        sections.append(
            f'<h2 id="annee-{year}">{year}</h2><div class="table-wrap">'
            '<table class="report-table"><thead><tr><th class="txt">Rapport</th>'
            '<th class="txt">Code</th><th class="num">Emploi industriel</th>'
            '<th class="txt">Période et champ</th>'
            '<th class="num">Contrats d\'apprentissage</th><th class="txt">Période</th>'
            '<th class="txt">État</th>'
            '<th class="txt">Produit le</th></tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></div>"
        )
    body = "".join(sections) or "<p>Aucun rapport n'a encore été produit.</p>"
    page = (
        '<!DOCTYPE html>\n<html lang="fr"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>Industrie et apprentissage — rapports régionaux</title>"
        f"<style>{CSS}body{{font-family:system-ui,sans-serif;max-width:70rem;margin:0 auto;"
        "padding:1rem;color:#1a1a1a}.ok{color:#1a7f37;font-weight:600}"
        ".failed{color:#b42318;font-weight:600}</style></head><body>"
        '<h1 class="report-title">Industrie et apprentissage — rapports régionaux</h1>'
        '<p class="report-subtitle">Un rapport par région et par année, et une vue '
        "d'ensemble de la France (code FR). Chaque rapport s'ouvre sans connexion.</p>"
        f"{body}</body></html>\n"
    )
    return page
