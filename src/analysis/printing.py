"""Report HTML -> PDF, printed by headless Chromium with the reports' print stylesheet.

The stylesheet (``templates/report.css``, ``@media print`` and ``@page``) lays the page
out on A4 with the report's title and "page n / N" in the margins, keeps a chart, a card
or a table row on one page, repeats table headers, and keeps the table of contents, whose
links lead to their sections' pages. The page is printed twice: the first PDF tells on
which page each section starts (:func:`destination_pages`), and the second carries those
numbers in the table of contents, for those who read it on paper. Chromium embeds the
subset of each font it uses, tags the PDF and gives it an outline (bookmarks) following
the headings.

Two things in Chromium's PDF depend on the run rather than on the page: the creation and
modification dates (the moment of printing) and the identifiers of the tagged structure's
elements (``node00000204``, numbered by the browser's DOM node counter, which differs from
one run to the next). :func:`make_reproducible` replaces the dates by the edition date and
renumbers the identifiers in order of appearance, each with a string of the same length,
so no offset moves: the PDF of the same HTML is the same, byte for byte.

A :class:`PdfPrinter` (one :class:`analysis.browser.Browser`) prints PDFs one after the
other; a build runs two of them (:class:`analysis.build.Printer`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from ._files import atomic_write

__all__ = [
    "MAX_BYTES",
    "PdfPrinter",
    "Printed",
    "destination_pages",
    "make_reproducible",
    "print_pdf",
    "print_reports",
]

#: The largest PDF we publish: 3 MB, for an attachment to an e-mail.
MAX_BYTES = 3_000_000

_DATES = re.compile(rb"/(CreationDate|ModDate) \(D:\d{14}[^)]*\)")
_NODE_IDS = re.compile(rb"\(node(\d+)\)")
_OBJECT = re.compile(rb"(?m)^(\d+) 0 obj\n(.*?)\nendobj", re.DOTALL)
_REF = re.compile(rb"(\d+) 0 R")
_DEST = re.compile(rb"/((?:[^\s/\[\]<>()#]|#[0-9A-Fa-f]{2})+) \[(\d+) 0 R /XYZ")
# Adds each section's page number to the table of contents of the page being printed.
_NUMBER_TOC = """
((pages) => {
  const style = document.createElement("style");
  style.textContent = "nav.toc .toc-page { float: right; padding-left: 1em; " +
    "font-variant-numeric: tabular-nums; }";
  document.head.append(style);
  for (const link of document.querySelectorAll('nav.toc a[href^="#"]')) {
    const page = pages[decodeURIComponent(link.getAttribute("href").slice(1))];
    if (!page) continue;
    const number = document.createElement("span");
    number.className = "toc-page";
    number.textContent = page;
    link.after(number);
  }
})(%s)
"""


# A table of up to 25 rows (with its caption and note) is kept on one page; a longer one
# may break between rows, its header repeated.
_KEEP_SHORT_TABLES = """
for (const wrap of document.querySelectorAll(".table-wrap")) {
  if (wrap.querySelectorAll("tbody tr").length <= 25) wrap.style.breakInside = "avoid";
}
"""


def _pdf_name(raw: bytes) -> str:
    """Decode a PDF name (``#xx`` escapes), then the URL escapes Chromium put in it."""
    from urllib.parse import unquote

    decoded = re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), raw)
    return unquote(decoded.decode("utf-8", errors="replace"))


def destination_pages(pdf: bytes) -> dict[str, int]:
    """Return the page (1, 2, ...) of each named destination of a Chromium PDF.

    Chromium names a destination after the HTML anchor a link of the page points to
    (the table of contents' ``#Emploi-industriel``), in the catalogue's ``/Dests``.
    Skia writes every object uncompressed, so the page tree and that dictionary are
    read with a few patterns; a PDF laid out otherwise gives ``{}``.
    """
    objects = {int(m.group(1)): m.group(2) for m in _OBJECT.finditer(pdf)}
    catalog = next((body for body in objects.values() if b"/Type /Catalog" in body), b"")
    root = re.search(rb"/Pages (\d+) 0 R", catalog)
    dests = re.search(rb"/Dests (\d+) 0 R", catalog)
    if not root or not dests:
        return {}
    order: list[int] = []

    def walk(number: int) -> None:
        body = objects.get(number, b"")
        if b"/Type /Pages" in body:
            kids = re.search(rb"/Kids \[([^\]]*)\]", body)
            for ref in _REF.findall(kids.group(1) if kids else b""):
                walk(int(ref))
        elif b"/Type /Page" in body:
            order.append(number)

    walk(int(root.group(1)))
    page_of = {number: index + 1 for index, number in enumerate(order)}
    return {
        _pdf_name(name): page_of[int(ref)]
        for name, ref in _DEST.findall(objects.get(int(dests.group(1)), b""))
        if int(ref) in page_of
    }


def make_reproducible(pdf: bytes, date: dt.date) -> bytes:
    """Date the PDF by ``date`` (midnight, UTC) and renumber its structure identifiers.

    Every replacement has the length of what it replaces, so the cross-reference table
    stays right. An identifier keeps one new number wherever it appears (table cells refer
    to their headers by it).

    Examples
    --------
    >>> import datetime as dt
    >>> from analysis.printing import make_reproducible
    >>> make_reproducible(b"/CreationDate (D:20261123164052+00'00')", dt.date(2026, 11, 2))
    b"/CreationDate (D:20261102000000+00'00')"
    >>> make_reproducible(b"/ID (node00002123) /Headers [(node00002123)] /ID (node00000099)",
    ...                   dt.date(2026, 11, 2))
    b'/ID (node00000001) /Headers [(node00000001)] /ID (node00000002)'
    """
    stamp = f"D:{date:%Y%m%d}000000+00'00'".encode()
    pdf = _DATES.sub(lambda m: b"/" + m.group(1) + b" (" + stamp + b")", pdf)
    numbers: dict[bytes, bytes] = {}

    def renumber(match: re.Match) -> bytes:
        old = match.group(1)
        if old not in numbers:
            new = str(len(numbers) + 1).encode()
            if len(new) > len(old):  # cannot keep the length: leave the file as it is
                raise OverflowError
            numbers[old] = new.rjust(len(old), b"0")
        return b"(node" + numbers[old] + b")"

    try:
        return _NODE_IDS.sub(renumber, pdf)
    except OverflowError:
        return pdf


@dataclass(frozen=True)
class Printed:
    """One PDF: where it went, its size and sha256, or why it could not be made."""

    html: Path
    pdf: Path
    ok: bool
    size: int = 0
    sha256: str = ""
    error: str = ""


def print_pdf(browser, html: str | os.PathLike, target: str | os.PathLike, *, date: dt.date):
    """Print one HTML file to ``target`` (written to a temporary file, then renamed).

    Parameters
    ----------
    browser : analysis.browser.Browser
        A started browser.
    html, target : path-like
        The report and its PDF.
    date : datetime.date
        The edition date, stamped as the PDF's dates.

    Returns
    -------
    Printed

    Examples
    --------
    >>> import analysis as an
    >>> from analysis.browser import Browser
    >>> with Browser() as browser:  # doctest: +SKIP
    ...     an.printing.print_pdf(browser, "reports/2024/94.html", "94.pdf", date=an.edition_date())
    """
    html, target = Path(html), Path(target)
    browser.open(html)
    browser.evaluate(_KEEP_SHORT_TABLES)
    data = browser.pdf()
    # Paper has no links: print again with each section's page in the table of contents
    # (a number at the end of a line changes no page break).
    pages = destination_pages(data)
    if pages:
        browser.evaluate(_NUMBER_TOC % json.dumps(pages, ensure_ascii=False))
        data = browser.pdf()
    data = make_reproducible(data, date)
    if len(data) > MAX_BYTES:
        return Printed(html, target, False, len(data), error=f"{len(data):,} bytes > 3 MB")
    atomic_write(target, lambda tmp: Path(tmp).write_bytes(data))
    return Printed(html, target, True, len(data), hashlib.sha256(data).hexdigest())


class PdfPrinter:
    """One Chromium that prints PDFs one after the other; a context manager.

    Chromium is started at the first PDF (or by :meth:`start`), and started again after
    a failure that may have left its tab dead. If it cannot start, every PDF asked for
    afterwards fails at once with that reason.

    Parameters
    ----------
    date : datetime.date
        The edition date, stamped as the PDFs' dates.
    """

    def __init__(self, *, date: dt.date):
        self.date = date
        self._browser = None
        self._failure = ""

    def __enter__(self) -> PdfPrinter:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def start(self) -> None:
        """Start Chromium now.

        Raises
        ------
        FileNotFoundError
            When Chromium is not installed (``make browser``).
        analysis.browser.BrowserError
            When Chromium cannot be started.
        """
        from .browser import Browser

        if self._browser is None:
            browser = Browser()
            browser.start()
            self._browser = browser

    def print(self, html: str | os.PathLike, target: str | os.PathLike) -> Printed:
        """Print one report (:func:`print_pdf`); a failure is returned, never raised."""
        from .browser import BrowserError

        html, target = Path(html), Path(target)
        if self._failure:
            return Printed(html, target, False, error=self._failure)
        try:
            self.start()
        except (OSError, BrowserError) as exc:
            self._failure = f"{type(exc).__name__}: {exc}"
            return Printed(html, target, False, error=self._failure)
        try:
            return print_pdf(self._browser, html, target, date=self.date)
        except (BrowserError, OSError) as exc:
            if isinstance(exc, BrowserError):  # the tab may be dead: a new one next time
                self.close()
            return Printed(html, target, False, error=f"{type(exc).__name__}: {exc}")

    def close(self) -> None:
        """Stop Chromium."""
        if self._browser is not None:
            self._browser.close()
            self._browser = None


def print_reports(
    pairs: Iterable[tuple[Path, Path]],
    *,
    date: dt.date,
    progress: Callable[[Printed], None] | None = None,
) -> list[Printed]:
    """Print each ``(html, pdf)`` pair with one Chromium; a failure never stops the others.

    Raises
    ------
    FileNotFoundError
        When Chromium is not installed (``make browser``).
    analysis.browser.BrowserError
        When Chromium cannot be started.
    """
    pairs = list(pairs)
    results: list[Printed] = []
    if not pairs:
        return results
    with PdfPrinter(date=date) as printer:
        printer.start()
        for html, pdf in pairs:
            results.append(printer.print(html, pdf))
            if progress:
                progress(results[-1])
    return results
