"""Executed notebook -> one self-contained French HTML file.

nbconvert's ``lab`` template, through the package's ``report`` template
(``templates/report``), which drops every script the lab template fetches from a CDN
(require.js, MathJax, mermaid, the widget manager), and the comments of the inlined
stylesheets are dropped (they only cite web pages, but a reader's audit tool should find
no address of another host in the file). All code and prompts are hidden, the
page is ``<html lang="fr">`` with the report's title, and a table of contents built from
the section headings is inserted before the first section. Charts are already inline PNGs
(:class:`analysis.plots.Chart`), so the file needs nothing but itself.

The notebook's last cell, tagged ``key-figures``, displays the report's key figures as
JSON (the very objects its cards print); the HTML leaves that cell out and
:func:`key_figures_of` hands the document to the batch, which writes ``<code>.json``:
the figures are computed once, in the kernel.
"""

from __future__ import annotations

import functools
import html
import re
from importlib import resources

import nbformat

__all__ = [
    "KEY_FIGURES_TAG",
    "add_changes",
    "add_downloads",
    "add_table_of_contents",
    "changes_html",
    "downloads_html",
    "fix_cell_ids",
    "hide_anchor_marks",
    "key_figures_of",
    "notebook_to_html",
    "number_figures",
    "tables_of",
]

#: Tag of the notebook cell that displays the key figures as JSON.
KEY_FIGURES_TAG = "key-figures"

_TEMPLATES = resources.files("analysis").joinpath("templates")
_HEADING = re.compile(r'<h2 id="(?P<id>[^"]+)"[^>]*>(?P<text>.*?)</h2>', re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_STYLE = re.compile(r"(<style[^>]*>)(.*?)(</style>)", re.DOTALL)
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_ANCHOR = re.compile(r'(<a class="anchor-link")(?![^>]*aria-hidden)')
# A chart's caption (inside <figure class="chart">) and a table's <caption>.
_NUMBERED = re.compile(
    r'<figure class="chart">(?:(?!</figure>).)*?<figcaption>|<caption>', re.DOTALL
)


def notebook_to_html(notebook: nbformat.NotebookNode, *, title: str) -> str:
    """Export an executed report notebook to HTML.

    Parameters
    ----------
    notebook : nbformat.NotebookNode
        The executed notebook.
    title : str
        The page title (``<title>``).

    Returns
    -------
    str
        The HTML document, with a table of contents.
    """
    from . import __version__

    exporter = _exporter()
    notebook = nbformat.from_dict(notebook)
    notebook.metadata["title"] = title
    body, _ = exporter.from_notebook_node(notebook, resources={"analysis_version": __version__})
    body = number_figures(hide_anchor_marks(_strip_css_comments(body)))
    return add_table_of_contents(body)


def fix_cell_ids(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Give papermill's injected-parameters cell a fixed id (papermill draws a random one).

    The HTML carries cell ids, so without this two builds of one report would differ.
    """
    for cell in notebook.cells:
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            cell["id"] = "injected-parameters"
    return notebook


@functools.cache
def _exporter():
    """Return the HTML exporter, made once per process (templates compiled once)."""
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = HTMLExporter(
        template_name="report",
        extra_template_basedirs=[str(_TEMPLATES)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        language_code="fr",
        embed_images=True,
        # Validate the notebook once, after the preprocessors, not after each of the 13
        # (0,15 s a report, for a notebook papermill has just written and validated).
        optimistic_validation=True,
    )
    exporter.register_preprocessor(
        TagRemovePreprocessor(remove_cell_tags={KEY_FIGURES_TAG}), enabled=True
    )
    return exporter


def hide_anchor_marks(document: str) -> str:
    """Hide the headings' "¶" permalinks from screen readers and from the tab order."""
    return _ANCHOR.sub(r'\1 aria-hidden="true" tabindex="-1"', document)


def number_figures(document: str) -> str:
    """Give charts and tables a number, "Figure 1", "Figure 2"..., as Insee does.

    The number opens each chart's ``<figcaption>`` and each table's ``<caption>``.
    """
    count = 0

    def number(match: re.Match) -> str:
        nonlocal count
        count += 1
        return f'{match[0]}<span class="figure-number">Figure {count}. </span>'

    return _NUMBERED.sub(number, document)


def key_figures_of(notebook: nbformat.NotebookNode) -> dict:
    """Return the key-figures document an executed report notebook displayed.

    Raises
    ------
    ValueError
        When no cell tagged ``key-figures`` displayed a JSON document.
    """
    for cell in notebook.cells:
        if KEY_FIGURES_TAG not in cell.get("metadata", {}).get("tags", []):
            continue
        for output in cell.get("outputs", []):
            document = output.get("data", {}).get("application/json")
            if isinstance(document, dict) and "figures" in document:
                return dict(document)
    raise ValueError(
        f"The notebook has no cell tagged `{KEY_FIGURES_TAG}` that displayed the key figures "
        "as JSON; add `report.key_figures()` as its last cell, tagged so."
    )


def add_table_of_contents(document: str) -> str:
    """Insert a ``<nav>`` listing the ``<h2>`` sections before the first of them."""
    headings = list(_HEADING.finditer(document))
    if not headings:
        return document
    items = "".join(
        f'<li><a href="#{m["id"]}">{_heading_text(m["text"])}</a></li>' for m in headings
    )
    nav = f'<nav class="toc" aria-label="Sommaire"><strong>Sommaire</strong><ol>{items}</ol></nav>'
    at = _cell_start(document, headings[0].start())
    return document[:at] + nav + document[at:]


def _cell_start(document: str, position: int) -> int:
    """Return where the notebook cell holding ``position`` starts (else ``position``).

    What goes before a section goes before its cell, not inside its markdown (the trailing
    space of the class excludes inner wrappers such as "jp-Cell-inputWrapper").
    """
    cell = document.rfind('<div class="jp-Cell ', 0, position)
    return cell if cell != -1 else position


def _heading_text(inner: str) -> str:
    """Return a heading's text, without tags and the "¶" anchor, escaped for HTML."""
    return html.escape(html.unescape(_TAG.sub("", inner)).replace("¶", "").strip())


def _strip_css_comments(document: str) -> str:
    """Drop comments from the inline stylesheets (JupyterLab's cite web pages by URL)."""
    return _STYLE.sub(lambda m: m[1] + _CSS_COMMENT.sub("", m[2]) + m[3], document)


#: French name of each kind of change (analysis.changes.KINDS).
CHANGE_KINDS = {
    "added": "nouveau chiffre",
    "removed": "chiffre retiré",
    "source": "changement de source",
    "field": "changement de champ",
    "period": "nouvelle période",
    "revised": "révisé",
    "flags": "statut changé",
}
#: Short French names of the key figures' flags (analysis.keyfigures.FLAGS in full).
_FLAG_NAMES = {
    "provisional": "provisoire",
    "secret_cells": "minimum, cellules secrètes exclues",
    "shared_zones": "zones partagées estimées",
    "partial_year": "année incomplète",
    "small_base": "non significatif",
    "poem_deca": "rupture de série",
    "etalab_ditp": "rupture de série",
    "field_change": "champ différent",
}


def _figure_text(figure: dict | None) -> str:
    from . import french

    if figure is None:
        return "—"
    value, unit = figure.get("value"), figure.get("unit", "")
    if value is None:
        text = french.NOT_AVAILABLE
    elif unit == "%":
        text = french.percent(value)
    elif unit == "rang":
        text = french.ordinal(value)
    else:
        decimals = 1 if "pour 1 000" in unit else 0
        text = f"{french.number(value, decimals)} {unit}"
    flags = [_FLAG_NAMES.get(flag, flag) for flag in figure.get("flags") or []]
    return text + (f" ({', '.join(flags)})" if flags else "")


def changes_html(changes, *, previous: str) -> str:
    """Return the "what changed" box of a report that replaces an earlier edition.

    Parameters
    ----------
    changes : list of analysis.changes.Change
        :func:`analysis.changes.compare` of the earlier and the new key figures.
    previous : str
        When the earlier edition was built, in French (``"23/11/2026"``).

    Returns
    -------
    str
        A ``<section>`` listing each changed key figure (old value and period, new value
        and period, and what changed); ``""`` when nothing changed.
    """
    from .blocks import escape, scroll_box, typeset

    if not changes:
        return ""
    rows = []
    for change in changes:
        old, new = change.old or {}, change.new or {}
        kinds = ", ".join(CHANGE_KINDS[a] for a in change.aspects)
        rows.append(
            f'<tr><th scope="row">{typeset(change.label)}</th>'
            f"<td>{typeset(_figure_text(change.old))}<br><small>{typeset(old.get('period', ''))}"
            f"</small></td><td>{typeset(_figure_text(change.new))}<br><small>"
            f"{typeset(new.get('period', ''))}</small></td><td>{escape(kinds)}</td></tr>"
        )
    return (
        '<section class="changes" id="ce-qui-change" aria-labelledby="ce-qui-change-titre">'
        '<p class="changes-title" id="ce-qui-change-titre"><strong>Ce qui change depuis '
        f"l'édition précédente</strong> (construite le {escape(previous)})</p>"
        + scroll_box(
            '<table class="report-table"><caption>Chiffres clés modifiés par de nouvelles '
            "données : révisions d'un même chiffre, nouvelle période, changement de source ou "
            'de champ</caption><thead><tr><th scope="col" class="txt">Chiffre</th>'
            '<th scope="col" class="txt">Édition précédente</th><th scope="col" class="txt">'
            'Cette édition</th><th scope="col" class="txt">Changement</th></tr></thead><tbody>'
            + "".join(rows)
            + "</tbody></table>",
            "Chiffres clés modifiés",
        )
        + "</section>"
    )


def add_changes(document: str, box: str) -> str:
    """Insert the "what changed" ``box`` before the table of contents (or the first section)."""
    if not box:
        return document
    at = document.find('<nav class="toc"')
    if at == -1:
        first = _HEADING.search(document)
        at = _cell_start(document, first.start()) if first else document.find("</body>")
    return document[:at] + box + document[at:]


def tables_of(notebook: nbformat.NotebookNode) -> list[dict]:
    """Return the tables an executed report notebook displayed, in order, titles unique.

    Each is ``{"title", "notes", "columns", "rows"}`` (:func:`analysis.blocks.table_payload`),
    from the outputs of type :data:`analysis.blocks.TABLES_MIME`; a title met twice gets
    " (2)".
    """
    from .blocks import TABLES_MIME

    found, seen = [], set()
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            document = output.get("data", {}).get(TABLES_MIME)
            if not isinstance(document, dict):
                continue
            for table in document.get("tables", []):
                title, number = table["title"], 2
                while title in seen:
                    title, number = f"{table['title']} ({number})", number + 1
                seen.add(title)
                found.append(dict(table, title=title))
    return found


def downloads_html(code: str, csv_files, *, pdf: bool = False) -> str:
    """Return the report's download links: PDF, workbook, key figures, one CSV per table.

    Parameters
    ----------
    code : str
        The report's file name without extension (``"32"``): the files sit beside it.
    csv_files : list of pathlib.Path
        The CSV files written (their folder is ``<code>-csv``); none: no table, no links.
    pdf : bool, default False
        Whether the build prints the report to ``<code>.pdf``.
    """
    from urllib.parse import quote

    if not csv_files:
        return ""
    items = "".join(
        f'<li><a href="{html.escape(quote(f"{path.parent.name}/{path.name}"))}">'
        f"{html.escape(path.name)}</a></li>"
        for path in csv_files
    )
    printed = (
        f'<a href="{html.escape(quote(code))}.pdf">le rapport en PDF (A4, à imprimer)</a> · '
        if pdf
        else ""
    )
    return (
        '<section class="downloads" aria-label="Télécharger le rapport et ses données">'
        f"<p><strong>Télécharger</strong> : {printed}"
        f'<a href="{html.escape(quote(code))}.xlsx">tous les tableaux (Excel, une feuille par '
        f"tableau ou graphique)</a> · "
        f'<a href="{html.escape(quote(code))}.json">chiffres clés (JSON)</a></p>'
        f"<details><summary>Un fichier CSV par tableau ({len(csv_files)} fichiers, "
        "séparateur « ; », pour Excel en français)</summary>"
        f"<ul>{items}</ul></details></section>"
    )


def add_downloads(document: str, box: str) -> str:
    """Insert the download links right after the report's subtitle (else before its sections)."""
    if not box:
        return document
    subtitle = re.search(r'<p class="report-subtitle">.*?</p>', document, re.DOTALL)
    if subtitle:
        return document[: subtitle.end()] + box + document[subtitle.end() :]
    return add_changes(document, box)
