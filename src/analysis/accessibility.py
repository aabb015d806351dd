"""Audit pages with axe-core in headless Chromium: the reports and the index, for everyone.

axe-core (Deque's accessibility engine, the one browsers' developer tools use) comes from
npm into ``tools/axe/node_modules`` (``make axe``, pinned by ``tools/axe/package-lock.json``);
it is injected into each page over the DevTools protocol of Debian's ``chromium``
(:class:`analysis.browser.Browser`), so no test framework and no browser is downloaded.

The audit runs axe's WCAG 2.0, 2.1 and 2.2 A and AA rules plus its best practices.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from .config import _project_root

__all__ = ["AXE_TAGS", "Violation", "audit", "axe_script"]

#: The axe-core rule sets run.
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice")
AXE_ENV = "ANALYSIS_AXE"


@dataclass(frozen=True)
class Violation:
    """One rule a page breaks: its id, impact, help text and the elements at fault."""

    page: str
    rule: str
    impact: str
    help: str
    nodes: tuple[str, ...]

    def __str__(self) -> str:
        where = "; ".join(self.nodes[:3]) + (" ..." if len(self.nodes) > 3 else "")
        count = len(self.nodes)
        return f"{self.page}: {self.rule} ({self.impact}, {count} node(s)): {self.help} [{where}]"


def axe_script(start: str | os.PathLike | None = None) -> Path:
    """Return the path of ``axe.min.js``: ``$ANALYSIS_AXE``, else ``tools/axe`` of the checkout.

    Raises
    ------
    FileNotFoundError
        When it is not installed, with the command that installs it.
    """
    if os.environ.get(AXE_ENV):
        path = Path(os.environ[AXE_ENV])
    else:
        root = _project_root(Path(start or Path.cwd()).resolve())
        if not (root / "pyproject.toml").is_file():  # not in a checkout: the package's
            root = Path(__file__).resolve().parents[2]
        path = root / "tools" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
    if not path.is_file():
        raise FileNotFoundError(f"axe-core is not installed at {path}: run `make axe`.")
    return path


def audit(pages, *, script: str | os.PathLike | None = None) -> list[Violation]:
    """Run axe-core on each page (local HTML files) and return every violation.

    Parameters
    ----------
    pages : iterable of path-like
        The HTML files, opened one after the other in one Chromium.
    script : path-like, optional
        ``axe.min.js`` (default: :func:`axe_script`).

    Returns
    -------
    list of Violation
        Empty when every page passes.

    Examples
    --------
    >>> import analysis as an
    >>> from analysis.accessibility import audit
    >>> audit(["reports/index.html", "reports/2024/94.html"])  # doctest: +SKIP
    []
    """
    from .browser import Browser

    source = Path(script or axe_script()).read_text(encoding="utf-8")
    options = json.dumps({"runOnly": {"type": "tag", "values": list(AXE_TAGS)}})
    found: list[Violation] = []
    with Browser() as browser:
        for page in pages:
            browser.open(page)
            browser.evaluate(source)
            result = browser.evaluate(
                f"axe.run(document, {options}).then(r => r.violations.map(v => ("
                "{id: v.id, impact: v.impact, help: v.help, "
                "nodes: v.nodes.map(n => n.target.join(' '))})))",
                await_promise=True,
            )
            for item in result:
                found.append(
                    Violation(
                        str(page),
                        item["id"],
                        item["impact"] or "",
                        item["help"],
                        tuple(item["nodes"]),
                    )
                )
    return found
