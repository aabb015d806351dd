"""What changed between two editions of a report: key figures compared one by one.

A report's key figures (``<code>.json``, :func:`analysis.keyfigures.document`) carry each
figure's value, period, field, source and flags. Two editions of the same report differ
when a publisher revises a figure (new data vintage, same period), when the figure moves
to a new period (a new quarter or year), when its field or source changes (INSEE's
quarterly estimates replaced by URSSAF's annual private-sector figures), when its flags
change (a provisional figure becomes final), or when a figure appears or disappears.

:func:`compare` lists those differences; the batch shows them in the report that replaces
an earlier one and in the index, and ``python -m analysis diff OLD NEW`` prints them for two
report folders (:func:`compare_folders`). Nothing here formats French: :mod:`analysis.export`
lays the changes out.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass
from pathlib import Path

__all__ = ["KINDS", "Change", "FolderDiff", "compare", "compare_folders", "read_document"]

#: Kinds of change, in the order a figure's change is named by (the first that applies).
KINDS = ("added", "removed", "source", "field", "period", "revised", "flags")
#: Relative difference under which two values are the same figure (float noise of sums).
TOLERANCE = 1e-9


@dataclass(frozen=True)
class Change:
    """How one key figure differs between two editions.

    Attributes
    ----------
    id : str
        The figure's id (``"industrial_employment"``).
    kind : str
        One of :data:`KINDS`: the main change (a new source outranks a new period, which
        outranks a revised value).
    aspects : tuple of str
        Every kind that applies (``("period", "revised")`` is not possible: a value at a
        new period is not a revision, so only ``"period"``).
    old, new : dict or None
        The figure in each edition, as in ``<code>.json`` (None where it is absent).
    """

    id: str
    kind: str
    aspects: tuple[str, ...]
    old: dict | None
    new: dict | None

    @property
    def label(self) -> str:
        """The figure's label, in the newer edition where it exists."""
        return (self.new or self.old or {}).get("label", self.id)

    def to_json(self) -> dict:
        """Return the change as a JSON-ready dict."""
        return {
            "id": self.id,
            "kind": self.kind,
            "aspects": list(self.aspects),
            "old": self.old,
            "new": self.new,
        }

    def describe(self) -> str:
        """Return one English line for the command line."""
        old, new = self.old or {}, self.new or {}
        if self.kind == "added":
            return f"{self.id}: new figure, {_plain(new.get('value'))} ({new.get('period')})"
        if self.kind == "removed":
            was = f"{_plain(old.get('value'))}, {old.get('period')}"
            return f"{self.id}: no longer given (was {was})"
        parts = [f"{_plain(old.get('value'))} -> {_plain(new.get('value'))}"]
        if "period" in self.aspects:
            parts.append(f"period {old.get('period')} -> {new.get('period')}")
        else:
            parts.append(str(new.get("period")))
        if "source" in self.aspects:
            parts.append(f"source {old.get('source')} -> {new.get('source')}")
        if "field" in self.aspects:
            parts.append(f"field '{old.get('field')}' -> '{new.get('field')}'")
        if "flags" in self.aspects:
            parts.append(f"flags {old.get('flags') or []} -> {new.get('flags') or []}")
        return f"{self.id} ({self.kind}): " + ", ".join(parts)


def _plain(value) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() else f"{value:,.1f}"
    return f"{value:,}"


def _same_value(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return math.isclose(float(a), float(b), rel_tol=TOLERANCE, abs_tol=1e-12)


def compare(old: dict | None, new: dict) -> list[Change]:
    """Return the key figures that differ between two editions of one report.

    Parameters
    ----------
    old, new : dict
        Key-figure documents (``<code>.json``), the earlier and the later edition; with
        ``old`` None (no earlier edition) nothing differs.

    Returns
    -------
    list of Change
        In the order of the newer edition's figures, then those it no longer has.

    Examples
    --------
    >>> from analysis import changes
    >>> figure = {"id": "jobs", "label": "Emploi", "value": 100.0, "unit": "salariés",
    ...           "period": "2023", "source": "urssaf", "field": "privé", "flags": []}
    >>> revised = dict(figure, value=104.0)
    >>> [c.describe() for c in changes.compare({"figures": [figure]}, {"figures": [revised]})]
    ['jobs (revised): 100 -> 104, 2023']
    >>> later = dict(figure, value=98.0, period="2024")
    >>> changes.compare({"figures": [figure]}, {"figures": [later]})[0].kind
    'period'
    """
    if old is None:
        return []
    before = {figure["id"]: figure for figure in old.get("figures", [])}
    after = {figure["id"]: figure for figure in new.get("figures", [])}
    found = []
    for figure_id, figure in after.items():
        earlier = before.get(figure_id)
        if earlier is None:
            found.append(Change(figure_id, "added", ("added",), None, figure))
            continue
        aspects = []
        for key in ("source", "field", "period"):
            if earlier.get(key) != figure.get(key):
                aspects.append(key)
        if not aspects and not _same_value(earlier.get("value"), figure.get("value")):
            aspects.append("revised")
        if sorted(earlier.get("flags") or []) != sorted(figure.get("flags") or []):
            aspects.append("flags")
        if aspects:
            kind = next(k for k in KINDS if k in aspects)
            found.append(Change(figure_id, kind, tuple(aspects), earlier, figure))
    for figure_id, figure in before.items():
        if figure_id not in after:
            found.append(Change(figure_id, "removed", ("removed",), figure, None))
    return found


def read_document(path: str | os.PathLike) -> dict | None:
    """Return the key-figure document at ``path``, None if absent or not one (unreadable)."""
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return document if isinstance(document, dict) and "figures" in document else None


def _documents(folder: Path) -> dict[str, dict]:
    found = {}
    for path in sorted(folder.rglob("*.json")):
        document = read_document(path)
        if document is not None:
            found[path.relative_to(folder).with_suffix("").as_posix()] = document
    return found


@dataclass(frozen=True)
class FolderDiff:
    """How two report folders differ.

    Attributes
    ----------
    changed : dict
        Report key (``"2024/32"``, ``"2024/departements/59"``) -> its changed key figures,
        for the reports of both folders that differ.
    added, removed : list of str
        Reports only in the later folder, and only in the earlier one.
    """

    changed: dict[str, list[Change]]
    added: list[str]
    removed: list[str]

    def __bool__(self) -> bool:
        return bool(self.changed or self.added or self.removed)


def compare_folders(old: str | os.PathLike, new: str | os.PathLike) -> FolderDiff:
    """Compare every report's key figures in two report folders.

    Parameters
    ----------
    old, new : str or path-like
        Report folders (``reports/`` of two builds): their ``<year>/<code>.json`` and
        ``<year>/departements/<code>.json``.

    Returns
    -------
    FolderDiff
        The changed key figures of the reports in both folders, and the reports in only
        one of them.

    Examples
    --------
    >>> import json, pathlib, tempfile
    >>> from analysis import changes
    >>> old, new = (pathlib.Path(tempfile.mkdtemp()) for _ in range(2))
    >>> figure = {"id": "jobs", "label": "Emploi", "value": 100.0, "period": "2023"}
    >>> for folder, value in ((old, 100.0), (new, 101.5)):
    ...     (folder / "2023").mkdir()
    ...     text = json.dumps({"figures": [dict(figure, value=value)]})
    ...     _ = (folder / "2023" / "32.json").write_text(text)
    >>> diff = changes.compare_folders(old, new)
    >>> {key: [c.kind for c in found] for key, found in diff.changed.items()}
    {'2023/32': ['revised']}
    >>> diff.added, diff.removed
    ([], [])
    """
    before, after = _documents(Path(old)), _documents(Path(new))
    changed = {}
    for key in sorted(set(before) & set(after)):
        found = compare(before[key], after[key])
        if found:
            changed[key] = found
    return FolderDiff(changed, sorted(set(after) - set(before)), sorted(set(before) - set(after)))
