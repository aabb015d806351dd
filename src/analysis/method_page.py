"""The page ``reports/methode.html``, "Méthode et sources", linked from the index.

Everything on it comes from where the reports take it, so that the page and the reports
never disagree: the catalogue (:data:`analysis.sources.CATALOGUE`: publisher, licence,
landing page, coverage, traps, file and sha256), the coverage of each level
(:data:`analysis.levels.LEVELS`), and the texts of the reports' "Sources et méthode"
section (:mod:`analysis.sections.sources`: the French notes on each source, the method
and the conventional signs). The catalogue describes the files in English; the page
shows those fields as they are, marked ``lang="en"``, beside the reports' French notes.

The page depends on the package's code alone, so :func:`write_method_page` rewrites it
only when that code changed (a digest of the package's files, kept in the page): the
texts live in the report sections, whose import costs more than the rest of the index.
"""

from __future__ import annotations

import hashlib
import html
import os
import re
from pathlib import Path

from ._files import atomic_write_text
from ._site import METHOD_PAGE, SITE_NAME, page

__all__ = ["render_method_page", "write_method_page"]

TITLE = "Méthode et sources"
_INTRO = (
    "Les rapports sont calculés à partir de fichiers de données publiques ouvertes. Chaque "
    "fichier est vérifié par son empreinte SHA-256 avant d'être lu : un fichier modifié, "
    "tronqué ou d'une autre édition est refusé. Cette page donne, pour chacun, son "
    "producteur, sa licence, sa page de référence, ce qu'il couvre et ce qu'il faut savoir "
    "avant d'utiliser ses chiffres, puis ce que chaque source couvre à chaque niveau "
    "géographique et les principaux points de méthode."
)
_CSS = (
    "dl.fiche{display:grid;grid-template-columns:minmax(9rem,14rem) 1fr;gap:.25rem 1rem;"
    "margin:.4rem 0 1rem;font-size:.92rem}"
    "dl.fiche dt{font-weight:600;color:#333}dl.fiche dd{margin:0}"
    "dl.fiche code{word-break:break-all;font-size:.85rem}"
    "dl.fiche a{word-break:break-all}"
    "section.source{border-top:1px solid #d0d7de;padding-top:.2rem}"
    "table.liste a{display:inline-block;min-height:24px}"
    ".methode p{max-width:60rem}"
    "@media (max-width:40rem){dl.fiche{grid-template-columns:1fr}dl.fiche dd{margin-bottom:.4rem}}"
)


def _size(size: int) -> str:
    """Return ``2,3 Mo`` or ``5,5 ko``."""
    from . import french

    if size >= 1_000_000:
        return f"{french.number(size / 1_000_000, 1)}\u00a0Mo"
    return f"{french.number(size / 1_000, 1)}\u00a0ko"


#: Words that tell the catalogue's English notes ("not restated upstream") from French.
_ENGLISH = frozenset(
    "as by file from government in listed no none not of packaged public repository "
    "restated simplified the then to upstream aggregated annual compiled series".split()
)


def _marked(text: str) -> str:
    """Return catalogue text typeset, its English parts (between "; ") marked ``lang="en"``."""
    from .blocks import typeset

    parts = []
    for part in text.split("; "):
        words = set(re.findall(r"[a-z]+", part.lower()))
        parts.append(
            f'<span lang="en">{html.escape(part)}</span>' if words & _ENGLISH else typeset(part)
        )
    return "; ".join(parts)


def _link(url: str) -> str:
    return f'<a href="{html.escape(url)}">{html.escape(url)}</a>'


def _copy_note(url: str) -> str:
    """Say that a file read from a GitHub repository is a copy, frozen at one commit."""
    if "raw.githubusercontent.com/" not in url:
        return ""
    return (
        " (copie publique du fichier du producteur, figée à une version : "
        "<code>python -m analysis updates</code> demande s'il en existe une plus récente)"
    )


def _licences_table(catalogue) -> str:
    """Return the table of every source with its publisher and licence."""
    from .blocks import typeset

    rows = "".join(
        f'<tr><th scope="row"><a href="#source-{s.id}">{typeset(s.title)}</a></th>'
        f"<td>{_marked(s.publisher)}</td><td>{_marked(s.licence)}</td>"
        f"<td><code>{html.escape(s.file_name)}</code></td></tr>"
        for s in catalogue
    )
    return (
        '<div class="table-wrap"><table class="liste">'
        "<caption>Les fichiers lus par les rapports, leur producteur et leur licence</caption>"
        '<thead><tr><th scope="col">Source</th><th scope="col">Producteur</th>'
        '<th scope="col">Licence</th><th scope="col">Fichier</th></tr></thead>'
        f"<tbody>{rows}</tbody></table></div>"
    )


def _source_section(source) -> str:
    """Return the card of one source: its French notes, its catalogue entry, its file."""
    from .blocks import typeset
    from .sections._base import SOURCE_TEXT
    from .sections.sources import SOURCE_NOTES

    items = [
        ("Producteur", _marked(source.publisher), ""),
        ("Licence", _marked(source.licence), ""),
        (
            "Dépôt public (GitHub)"
            if "github.com/" in source.landing_page
            else "Page de référence",
            _link(source.landing_page),
            "",
        ),
    ]
    if source.id in SOURCE_TEXT:
        items.append(("Cité dans les rapports", typeset(SOURCE_TEXT[source.id]), ""))
    if source.id in SOURCE_NOTES:
        period, field, caveat = SOURCE_NOTES[source.id]
        items += [
            ("Période couverte", typeset(period), ""),
            ("Champ", typeset(field), ""),
            ("Précautions et traitements", typeset(caveat), ""),
        ]
    items += [
        ("Couverture (catalogue, en anglais)", html.escape(source.coverage), "en"),
        ("Pièges (catalogue, en anglais)", html.escape(source.traps), "en"),
        ("Fichier", f"<code>{html.escape(source.path)}</code> ({_size(source.size)})", ""),
        ("Téléchargé depuis", _link(source.url) + _copy_note(source.url), ""),
        ("Empreinte SHA-256", f"<code>{source.sha256}</code>", ""),
    ]
    english = ' lang="en"'
    rows = "".join(
        f"<dt>{term}</dt><dd{english if lang == 'en' else ''}>{value}</dd>"
        for term, value, lang in items
    )
    return (
        f'<section class="source">'
        f'<h3 id="source-{source.id}">{typeset(source.title)}</h3>'
        f'<dl class="fiche">{rows}</dl></section>'
    )


def _level_table(level) -> str:
    """Return what each source gives at one level, over which years, and what it lacks."""
    from .blocks import typeset
    from .sections._base import SOURCE_TEXT
    from .sources import get_source

    rows = []
    for coverage in level.sources:
        name = SOURCE_TEXT.get(coverage.source) or get_source(coverage.source).title
        years = (
            f"{coverage.first}-{coverage.last}"
            if coverage.first != coverage.last
            else str(coverage.first)
        )
        rows.append(
            f'<tr><th scope="row"><a href="#source-{coverage.source}">{typeset(name)}</a></th>'
            f"<td>{typeset(coverage.what)}</td><td>{typeset(years)}</td>"
            f"<td>{typeset(coverage.gaps) or '—'}</td></tr>"
        )
    return (
        f"<section>"
        f'<h3 id="niveau-{level.name}">{html.escape(level.plural.capitalize())}</h3>'
        '<div class="table-wrap"><table class="liste">'
        f"<caption>Sources par {html.escape(level.label)}</caption>"
        '<thead><tr><th scope="col">Source</th><th scope="col">Ce qu\'elle donne</th>'
        '<th scope="col">Années</th><th scope="col">Limites</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div></section>"
    )


def code_digest() -> str:
    """Return the sha256 of the package's files (modules and templates), names included."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".css", ".j2", ".json", ".csv"):
            digest.update(path.relative_to(package).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _marker(digest: str) -> str:
    return f'<meta name="analysis-code" content="{digest}">'


def write_method_page(out: str | os.PathLike) -> Path:
    """Write ``<out>/methode.html``, unless it is there and the package's code is unchanged.

    Parameters
    ----------
    out : str or path-like
        The reports folder.

    Returns
    -------
    pathlib.Path
        The page.
    """
    target = Path(out) / METHOD_PAGE
    marker = _marker(code_digest())
    try:
        with target.open(encoding="utf-8") as handle:
            if marker in handle.read(2048):
                return target
    except OSError:
        pass
    return atomic_write_text(target, render_method_page(head=marker))


def render_method_page(*, head: str = "") -> str:
    """Return the page "Méthode et sources".

    Parameters
    ----------
    head : str, optional
        More elements for ``<head>``.

    Returns
    -------
    str
        The whole HTML page: every catalogue source with its publisher, licence, landing
        page, coverage, traps, file and sha256; what each source covers at each level;
        the method and the conventional signs of the reports.

    Examples
    --------
    >>> from analysis.method_page import render_method_page
    >>> text = render_method_page()
    >>> "<h1>Méthode et sources</h1>" in text, text.count('<section class="source"')
    (True, 13)
    """
    from .blocks import typeset
    from .levels import LEVELS
    from .sections.sources import (
        INDUSTRY_METHOD,
        SHARED_ZONES_METHOD,
        SIGNS,
        SPECIALISATION_METHOD,
    )
    from .sources import CATALOGUE

    contents = (
        ("sources", "Les sources et leur licence"),
        ("niveaux", "Ce que couvre chaque niveau"),
        ("methode", "Méthode et signes conventionnels"),
    )
    toc = "".join(f'<li><a href="#{anchor}">{label}</a></li>' for anchor, label in contents)
    method = "".join(
        f"<p>{typeset(text)}</p>"
        for text in (INDUSTRY_METHOD, SPECIALISATION_METHOD, SHARED_ZONES_METHOD, SIGNS)
    )
    main = (
        f'<h1>{TITLE}</h1><p class="chapo">{typeset(_INTRO)}</p>'
        f'<nav class="sommaire" aria-label="Sommaire"><ul>{toc}</ul></nav>'
        '<section><h2 id="sources">Les sources et leur licence</h2>'
        f"{_licences_table(CATALOGUE)}{''.join(_source_section(s) for s in CATALOGUE)}"
        "</section>"
        '<section><h2 id="niveaux">Ce que couvre chaque niveau</h2>'
        f"{''.join(_level_table(level) for level in LEVELS.values())}</section>"
        '<section class="methode">'
        f'<h2 id="methode">Méthode et signes conventionnels</h2>{method}</section>'
    )
    return page(file=METHOD_PAGE, title=f"{TITLE} — {SITE_NAME}", main=main, css=_CSS, head=head)
