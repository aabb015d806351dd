"""The shell of the site's own pages (the index and "Méthode et sources").

Both pages share it: ``<html lang="fr">``, a skip link, a header with the site's name and
its navigation, ``<main>``, a footer, and one inline stylesheet, so that every piece of
content sits in a landmark, nothing is fetched and the pages open offline like the
reports. The stylesheet is the site's own (the reports' one, ``templates/report.css``,
styles report pages): system fonts, contrasts of 4.5:1 or more, a visible focus ring,
and links and controls at least 24 pixels high (WCAG 2.2, target size).
"""

from __future__ import annotations

import datetime as dt
import html

__all__ = ["INDEX_PAGE", "METHOD_PAGE", "SITE_NAME", "page", "visually_hidden"]

SITE_NAME = "Industrie et apprentissage — rapports territoriaux"
#: The name in the header of every page, a link to the index.
_BRAND = "Industrie et apprentissage"
INDEX_PAGE = "index.html"
METHOD_PAGE = "methode.html"
#: The navigation: file, label.
_NAVIGATION = ((INDEX_PAGE, "Rapports"), (METHOD_PAGE, "Méthode et sources"))

_FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif'
_CSS = f"""
*{{box-sizing:border-box}}
html{{font-family:{_FONT};color:#1a1a1a;background:#fff;line-height:1.45}}
body{{margin:0}}
a{{color:#0a58a8;text-decoration:underline;text-underline-offset:.15em}}
a:hover{{color:#06386b}}
:focus-visible{{outline:3px solid #0a58a8;outline-offset:2px}}
.visually-hidden{{position:absolute!important;width:1px;height:1px;overflow:hidden;
clip:rect(0 0 0 0);clip-path:inset(50%);white-space:nowrap;margin:-1px;padding:0;border:0}}
.evitement{{position:absolute;left:.5rem;top:-4rem;background:#fff;padding:.4rem .8rem;
z-index:2}}
.evitement:focus{{top:.5rem}}
header.site{{background:#0b3d66;color:#fff}}
header.site .barre,main,footer.site .barre{{max-width:76rem;margin:0 auto;padding:0 1rem}}
header.site .barre{{display:flex;flex-wrap:wrap;align-items:center;
justify-content:space-between;gap:.2rem 1.5rem;padding-top:.4rem;padding-bottom:.4rem}}
header.site a{{color:#fff}}
header.site :focus-visible{{outline-color:#ffd33d}}
.site-nom{{margin:0;font-weight:700;font-size:1.05rem}}
.site-nom a{{text-decoration:none;display:inline-block;padding:.3rem 0}}
header.site nav ul{{list-style:none;display:flex;flex-wrap:wrap;gap:.2rem 1.2rem;margin:0;
padding:0}}
header.site nav a{{display:inline-block;padding:.35rem 0;min-height:24px}}
header.site nav a[aria-current="page"]{{font-weight:700;text-decoration-thickness:3px}}
main{{padding-top:.5rem;padding-bottom:2rem}}
h1{{font-size:1.8rem;margin:.6rem 0 .3rem;line-height:1.2}}
h2{{font-size:1.4rem;margin:1.6rem 0 .5rem;border-bottom:2px solid #d0d7de;
padding-bottom:.2rem}}
h3{{font-size:1.15rem;margin:1.2rem 0 .4rem}}
h4{{font-size:1rem;margin:1rem 0 .3rem}}
.chapo{{color:#444;margin:0 0 1rem;max-width:60rem}}
nav.sommaire{{background:#f6f8fa;border:1px solid #d0d7de;border-radius:6px;
padding:.4rem 1rem;margin:1rem 0}}
nav.sommaire ul{{margin:.2rem 0;padding-left:1.2rem}}
nav.sommaire li{{margin:.35rem 0}}
nav.sommaire a{{display:inline-block;min-height:24px;padding:.1rem 0}}
.table-wrap{{overflow-x:auto;margin:.4rem 0 1rem}}
table.liste{{border-collapse:collapse;font-size:.85rem;width:100%}}
table.liste caption{{caption-side:top;text-align:left;font-weight:700;padding:.3rem 0}}
table.liste th,table.liste td{{text-align:left;vertical-align:top;padding:.3rem .45rem;
border-bottom:1px solid #d8dee4}}
table.liste thead th{{background:#eef2f6;border-bottom:2px solid #8c99a6;
vertical-align:bottom}}
table.liste tbody th{{font-weight:600}}
table.liste .num{{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}}
table.liste code{{font-size:.78rem;word-break:break-all}}
footer.site{{border-top:1px solid #d0d7de;background:#f6f8fa;font-size:.88rem;color:#333}}
footer.site .barre{{padding-top:.8rem;padding-bottom:1rem}}
footer.site p{{margin:.3rem 0}}
footer.site a{{display:inline-block;min-height:24px}}
[hidden]{{display:none!important}}
@media print{{header.site,.evitement,#filtre-zone{{display:none}}}}
"""


_FOOTER = (
    "Pages statiques, lisibles sans connexion : rien n'est chargé depuis le web. Données "
    "publiques ouvertes de l'Insee, de l'Urssaf, de la Dares et de la DITP, de France "
    "Travail et de l'IGN ; producteurs, licences et empreintes des fichiers :"
)


def visually_hidden(text: str) -> str:
    """Return ``text`` (escaped) for screen readers only, e.g. inside a link."""
    return f'<span class="visually-hidden">{html.escape(text)}</span>'


def french_date(moment: dt.date) -> str:
    """Return ``23/11/2026``, as the reports print their edition date."""
    return f"{moment:%d/%m/%Y}"


def page(
    *, file: str, title: str, main: str, css: str = "", script: str = "", head: str = ""
) -> str:
    """Return a whole page of the site.

    Parameters
    ----------
    file : str
        The page's file name (``"index.html"``): its navigation link is the current one.
    title : str
        The ``<title>``.
    main : str
        The content of ``<main>`` (its ``<h1>`` included).
    css : str, optional
        Style rules of this page only, after the site's.
    script : str, optional
        An inline ``<script>`` element, put at the end of ``<body>``.
    head : str, optional
        More elements for ``<head>`` (a ``<meta>``).
    """
    from . import __version__
    from .blocks import typeset

    current = ' aria-current="page"'
    links = "".join(
        f'<li><a href="{target}"{current if target == file else ""}>{html.escape(label)}</a></li>'
        for target, label in _NAVIGATION
    )
    return (
        '<!DOCTYPE html>\n<html lang="fr"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="generator" content="analysis {html.escape(__version__)}">'
        f"{head}<title>{html.escape(title)}</title><style>{_CSS}{css}</style></head><body>"
        '<a class="evitement" href="#contenu">Aller au contenu</a>'
        '<header class="site"><div class="barre">'
        f'<p class="site-nom"><a href="{INDEX_PAGE}">{html.escape(_BRAND)}</a></p>'
        f'<nav aria-label="Pages du site"><ul>{links}</ul></nav></div></header>'
        f'<main id="contenu" tabindex="-1">{main}</main>'
        '<footer class="site"><div class="barre">'
        f"<p>{typeset(_FOOTER)} "
        f'<a href="{METHOD_PAGE}">Méthode et sources</a>.</p>'
        f"<p>Produit par le paquet Python <code>analysis</code> {html.escape(__version__)}."
        "</p></div></footer>"
        f"{script}</body></html>\n"
    )
