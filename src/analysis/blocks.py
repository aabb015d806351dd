"""HTML building blocks of the reports: tables, key-figure cards, notes.

Each function returns a :class:`Block`, which a notebook displays as HTML (JupyterLab and
nbconvert alike). Text is escaped here, once; numbers arrive already formatted by
:mod:`analysis.french`. The stylesheet :data:`CSS` travels inside the report's first
block, so a report looks the same in JupyterLab and in the exported HTML file.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources

import pandas as pd

from . import french

#: MIME type under which a displayed block also carries its tables, for the batch (the
#: report's spreadsheet and CSV files): JupyterLab and the HTML export ignore it.
TABLES_MIME = "application/vnd.analysis.tables+json"

CSS = resources.files("analysis").joinpath("templates/report.css").read_text(encoding="utf-8")

__all__ = [
    "CSS",
    "Block",
    "Card",
    "Column",
    "cards",
    "concat",
    "note",
    "page_footer",
    "paragraph",
    "report_heading",
    "scroll_box",
    "table",
    "typeset",
]


@dataclass(frozen=True)
class Block:
    """A piece of HTML that notebooks display as such, with the tables it shows.

    Attributes
    ----------
    html : str
        What the notebook displays.
    tables : dict of str to pandas.DataFrame
        The data behind the block, by caption: each table as shown (one column per
        printed column, headed as printed) but with the numbers unformatted, and the
        numbers each chart draws. Re-sort, filter or export them (``to_csv``,
        ``to_excel``).
    """

    html: str
    tables: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def data(self) -> pd.DataFrame:
        """The block's first table (see :attr:`tables`); an empty frame if it shows none."""
        for frame in self.tables.values():
            if isinstance(frame, pd.DataFrame):
                return frame
            return frame.to_frame() if isinstance(frame, pd.Series) else pd.DataFrame(frame)
        return pd.DataFrame()

    def _repr_html_(self) -> str:
        return self.html

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        bundle = {"text/html": self.html}
        if self.tables:
            bundle[TABLES_MIME] = tables_payload(self.tables)
        return bundle

    def __repr__(self) -> str:
        # Short, so that an executed notebook does not hold every image twice.
        names = f", tables {list(self.tables)}" if self.tables else ""
        return f"<Block: {len(self.html):,} characters of HTML{names}>"

    def __add__(self, other: Block) -> Block:
        return concat([self, other])


def _cell_value(value):
    """Return ``value`` for JSON: numbers as numbers, missing as None, the rest as text."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(value, int | float):
        return value
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        return value.item()
    return str(value)


def table_payload(title: str, table, notes: str | None = None) -> dict:
    """Return one table as JSON: title, notes, columns (index first) and rows.

    ``notes`` (field, signs, source) default to the table's ``attrs["notes"]``.
    """
    if notes is None:
        notes = str(getattr(table, "attrs", {}).get("notes", ""))
    frame = table.to_frame() if isinstance(table, pd.Series) else pd.DataFrame(table)
    if not isinstance(frame.index, pd.RangeIndex):
        frame = frame.reset_index()
    return {
        "title": title,
        "notes": notes,
        "columns": [str(column) for column in frame.columns],
        "rows": [[_cell_value(v) for v in row] for row in frame.itertuples(index=False)],
    }


def tables_payload(tables: dict) -> dict:
    """Return a block's tables as the JSON document of :data:`TABLES_MIME`."""
    return _json_ready([table_payload(title, table) for title, table in tables.items()])


def chart_payload(chart) -> dict:
    """Return a chart's data as the JSON document of :data:`TABLES_MIME`."""
    return _json_ready([table_payload(f"Graphique : {chart.title}", chart.data, chart.notes)])


def _json_ready(payloads: list[dict]) -> dict:
    return json.loads(json.dumps({"tables": payloads}, allow_nan=False, default=str))


def _merge(tables: dict, name: str, frame) -> None:
    """Add ``frame`` under ``name``, numbered when the name is taken ("Carte (2)")."""
    key, number = name, 2
    while key in tables:
        key, number = f"{name} ({number})", number + 1
    tables[key] = frame


def concat(blocks: Iterable[Block | object]) -> Block:
    """Join blocks (and charts, anything with ``to_html``) into one, tables included."""
    parts = []
    tables: dict = {}
    for block in blocks:
        if block is None:
            continue
        if isinstance(block, Block):
            parts.append(block.html)
            for name, frame in block.tables.items():
                _merge(tables, name, frame)
        else:
            parts.append(block.to_html())
            data = getattr(block, "data", None)
            if data is not None:
                data = data.copy()  # the chart's own frame keeps its attrs
                data.attrs["notes"] = getattr(block, "notes", "")
                _merge(tables, f"Graphique : {getattr(block, 'title', '') or 'données'}", data)
    return Block("".join(parts), tables)


def report_heading(title: str) -> str:
    """Return the report's ``<h1>``, its last words kept on one line with the year.

    Examples
    --------
    >>> from analysis import blocks
    >>> heading = blocks.report_heading("Industrie et apprentissage — Corse — 2024")
    >>> heading.endswith("Corse\N{NO-BREAK SPACE}—\N{NO-BREAK SPACE}2024</h1>")
    True
    """
    head, dash, year = str(title).rpartition(" — ")
    text = f"{escape(head)}\u00a0—\u00a0{escape(year)}" if dash else escape(title)
    return f'<h1 class="report-title">{text}</h1>'


def page_footer(title: str) -> str:
    """Return the print rule that writes ``title`` at the foot of every printed page.

    Examples
    --------
    >>> from analysis import blocks
    >>> rule = blocks.page_footer("Industrie et apprentissage — Corse — 2024")
    >>> rule[:rule.index(";") + 1]
    '@page { @bottom-left { content: "Industrie et apprentissage — Corse — 2024";'
    """
    text = str(title).replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ")
    return (
        f'@page {{ @bottom-left {{ content: "{text}"; '
        'font: 8pt "DejaVu Sans", sans-serif; color: #555; } }'
    )


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
    the cell links to, or None for a cell without a link. ``raw`` names the column of
    numbers behind a column of text the section formatted itself (``"employment"`` behind
    ``"12 345 (s)"``), for :attr:`Block.tables`.
    """

    key: str
    header: str
    format: Callable[[object], str] = str
    numeric: bool = True
    link: Callable[[dict], str | None] | None = None
    raw: str | None = None


def table(
    frame: pd.DataFrame,
    columns: Sequence[Column],
    *,
    caption: str = "",
    highlight: Callable[[dict], bool] | None = None,
    footer: str = "",
    data: pd.DataFrame | None = None,
) -> Block:
    """Return an HTML table of ``frame``'s rows with formatted cells, and its data.

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
    data : pandas.DataFrame, optional
        The table's data, for :attr:`Block.tables`; by default the printed columns with
        their numbers unformatted, headed as printed.
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
    if data is None:
        data = _shown(frame, columns)
    if footer:
        data.attrs["notes"] = footer
    return Block(
        scroll_box(
            f'<table class="report-table">{caption_html}'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>{foot}",
            caption or "Tableau",
        ),
        {caption or "Tableau": data},
    )


def scroll_box(inner: str, label: str) -> str:
    """Wrap a table in a box that scrolls sideways on a narrow screen.

    The box can take the keyboard's focus and is named after the table, so that a
    keyboard or screen-reader user can scroll it too (axe's ``scrollable-region-focusable``).

    Examples
    --------
    >>> from analysis import blocks
    >>> print(blocks.scroll_box("<table></table>", "Emploi, 2024"))
    <div class="table-wrap" tabindex="0" role="region" aria-label="Emploi, 2024"><table>...
    """
    return (
        f'<div class="table-wrap" tabindex="0" role="region" aria-label="{escape(label)}">'
        f"{inner}</div>"
    )


def _shown(frame: pd.DataFrame, columns: Sequence[Column]) -> pd.DataFrame:
    """Return the table as printed but unformatted: a column per printed column, as headed.

    A column printed from text the section formatted itself takes its ``raw`` column's
    numbers instead.
    """
    data = {}
    for column in columns:
        header = name = " ".join(column.header.split())
        number = 2
        while name in data:
            name, number = f"{header} ({number})", number + 1
        key = column.raw or column.key
        data[name] = frame[key].to_numpy() if key in frame.columns else None
    return pd.DataFrame(data)


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
