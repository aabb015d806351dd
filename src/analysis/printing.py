"""Report HTML -> PDF, printed by headless Chromium with the reports' print stylesheet.

The stylesheet (``templates/report.css``, ``@media print`` and ``@page``) lays the page
out on A4 with the report's title and "page n / N" in the margins, keeps a chart, a card
or a table row on one page, repeats table headers, and keeps the table of contents, whose
links lead to their sections' pages. Chromium embeds the subset of each font it uses, tags
the PDF and gives it an outline (bookmarks) following the headings.

Two things in Chromium's PDF depend on the run rather than on the page: the creation and
modification dates (the moment of printing) and the identifiers of the tagged structure's
elements (``node00000204``, numbered by the browser's DOM node counter, which differs from
one run to the next). :func:`make_reproducible` replaces the dates by the edition date and
renumbers the identifiers in order of appearance, each with a string of the same length,
so no offset moves: the PDF of the same HTML is the same, byte for byte.

One :class:`analysis.browser.Browser` prints every PDF of a build, one after the other.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from ._files import atomic_write

__all__ = ["MAX_BYTES", "Printed", "make_reproducible", "print_pdf", "print_reports"]

#: The largest PDF we publish: 3 MB, for an attachment to an e-mail.
MAX_BYTES = 3_000_000

_DATES = re.compile(rb"/(CreationDate|ModDate) \(D:\d{14}[^)]*\)")
_NODE_IDS = re.compile(rb"\(node(\d+)\)")


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
    data = make_reproducible(browser.pdf(), date)
    if len(data) > MAX_BYTES:
        return Printed(html, target, False, len(data), error=f"{len(data):,} bytes > 3 MB")
    atomic_write(target, lambda tmp: Path(tmp).write_bytes(data))
    return Printed(html, target, True, len(data), hashlib.sha256(data).hexdigest())


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
    from .browser import Browser, BrowserError

    pairs = list(pairs)
    results: list[Printed] = []
    if not pairs:
        return results
    browser = Browser()
    browser.start()
    try:
        for html, pdf in pairs:
            try:
                result = print_pdf(browser, html, pdf, date=date)
            except (BrowserError, OSError) as exc:
                result = Printed(Path(html), Path(pdf), False, error=f"{type(exc).__name__}: {exc}")
                if isinstance(exc, BrowserError):  # the tab may be dead: start again
                    browser.close()
                    browser.start()
            results.append(result)
            if progress:
                progress(result)
    finally:
        browser.close()
    return results
