"""HTML building blocks of the reports: tables, key-figure cards, notes.

Each function returns a :class:`Block`, which a notebook displays as HTML (JupyterLab and
nbconvert alike). Text is escaped here, once; numbers arrive already formatted by
:mod:`analysis.french`. The stylesheet :data:`CSS` travels inside the report's first
block, so a report looks the same in JupyterLab and in the exported HTML file.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from importlib import resources

import pandas as pd

from . import french

CSS = resources.files("analysis").joinpath("templates/report.css").read_text(encoding="utf-8")

__all__ = [
    "CSS",
    "Block",
    "Card",
    "Column",
    "cards",
    "concat",
    "note",
    "paragraph",
    "table",
    "typeset",
]


@dataclass(frozen=True)
class Block:
    """A piece of HTML that notebooks display as such."""

    html: str

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        # Short, so that an executed notebook does not hold every image twice.
        return f"<Block: {len(self.html):,} characters of HTML>"

    def __add__(self, other: Block) -> Block:
        return Block(self.html + other.html)


def concat(blocks: Iterable[Block | object]) -> Block:
    """Join blocks (and charts, anything with ``to_html``) into one."""
    parts = []
    for block in blocks:
        if block is None:
            continue
        parts.append(block.html if isinstance(block, Block) else block.to_html())
    return Block("".join(parts))


def escape(text: object) -> str:
    """Escape text for HTML (attributes included)."""
    return html.escape(str(text), quote=True)


_ORDINAL = re.compile(r"(?<![\w,])(\d+)(er|re|e)(?=[\s\u00a0\u202f])")
_SPACES = (
    (" :", "\u00a0:"),
    (" ;", "\u202f;"),
    ("« ", "«\u00a0"),
    (" »", "\u00a0»"),
    ("1 000", "1\u202f000"),
)
_YEAR_RANGE = re.compile(r"(?<!\d)((?:19|20)\d\d)-((?:19|20)\d\d)(?!\d)")


def typeset(text: object) -> str:
    """Escape text for an element's content, typeset as INSEE prints it.

    Ordinals get their suffix in superscript (``1<sup>er</sup> trimestre``,
    ``2<sup>e</sup> sur 13``), year ranges an en dash (``2010–2020``), and the spaces
    French typography does not break: before ":" (no-break space), before ";" (narrow
    no-break space), inside « » and in "1 000". Never use it inside an attribute:
    :func:`escape` is for those.

    >>> from analysis.blocks import typeset
    >>> typeset("du 4e trimestre 2018 au 1er trimestre 2020, 2019-2024")
    'du 4<sup>e</sup> trimestre 2018 au 1<sup>er</sup> trimestre 2020, 2019–2024'
    """
    escaped = escape(text)
    for plain, kept in _SPACES:
        escaped = escaped.replace(plain, kept)
    escaped = _YEAR_RANGE.sub("\\1\u2013\\2", escaped)
    return _ORDINAL.sub(r"\1<sup>\2</sup>", escaped)


def paragraph(text: str, css_class: str = "") -> Block:
    """Return a paragraph of plain text."""
    attribute = f' class="{css_class}"' if css_class else ""
    return Block(f"<p{attribute}>{typeset(text)}</p>")


def note(text: str, kind: str = "note") -> Block:
    """Return a boxed note; ``kind`` is ``"note"`` (method) or ``"missing"`` (no data)."""
    return Block(f'<p class="{kind}">{typeset(text)}</p>')


@dataclass(frozen=True)
class Column:
    """A table column: source column, French header and formatter.

    ``link``, when given, takes the row (a dict column -> value) and returns the address
    the cell links to, or None for a cell without a link.
    """

    key: str
    header: str
    format: Callable[[object], str] = str
    numeric: bool = True
    link: Callable[[dict], str | None] | None = None


def table(
    frame: pd.DataFrame,
    columns: Sequence[Column],
    *,
    caption: str = "",
    highlight: Callable[[dict], bool] | None = None,
    footer: str = "",
) -> Block:
    """Return an HTML table of ``frame``'s rows with formatted cells.

    Parameters
    ----------
    frame : pandas.DataFrame
        Rows to show, in order.
    columns : sequence of Column
        What to show and how.
    caption : str
        Table caption (title).
    highlight : callable, optional
        Row (a dict column -> value) -> True for the row to emphasise (the region).
    footer : str
        Note under the table (field, source, signs).
    """
    head = "".join(
        f'<th scope="col" class="{"num" if c.numeric else "txt"}">{typeset(c.header)}</th>'
        for c in columns
    )
    body = []
    # Row by row without iterrows(), which would turn integers into floats.
    for position in range(len(frame)):
        row = {key: frame[key].iloc[position] for key in frame.columns}
        marked = highlight is not None and highlight(row)
        cells = "".join(
            f'<td class="{"num" if c.numeric else "txt"}">{_cell(c, row)}</td>' for c in columns
        )
        body.append(f'<tr class="highlight">{cells}</tr>' if marked else f"<tr>{cells}</tr>")
    caption_html = f"<caption>{typeset(caption)}</caption>" if caption else ""
    foot = f'<p class="table-note">{typeset(footer)}</p>' if footer else ""
    return Block(
        f'<div class="table-wrap"><table class="report-table">{caption_html}'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>{foot}</div>"
    )


def _cell(column: Column, row: dict) -> str:
    text = typeset(column.format(row[column.key]))
    href = column.link(row) if column.link is not None else None
    return f'<a href="{escape(href)}">{text}</a>' if href else text


@dataclass(frozen=True)
class Card:
    """A key-figure card: label, value, period and comparison lines."""

    label: str
    value: str
    period: str
    details: tuple[str, ...] = ()


def cards(items: Iterable[Card]) -> Block:
    """Return a grid of key-figure cards."""
    parts = []
    for card in items:
        details = "".join(f"<li>{typeset(d)}</li>" for d in card.details)
        missing = " missing" if card.value == french.NOT_AVAILABLE else ""
        parts.append(
            f'<div class="card{missing}"><p class="card-label">{typeset(card.label)}</p>'
            f'<p class="card-value">{typeset(card.value)}</p>'
            f'<p class="card-period">{typeset(card.period)}</p>'
            f"<ul>{details}</ul></div>"
        )
    return Block(f'<div class="cards">{"".join(parts)}</div>')
