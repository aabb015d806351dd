"""Incremental builds: what each report depends on, and whether its files are up to date.

A report's **key** is the sha256 of everything its bytes depend on:

* the notebook it runs;
* the package's code it runs: the modules the notebook imports, found by reading the
  import statements (``ast``), with what they import in turn, plus the modules that turn
  the executed notebook into HTML and JSON (:mod:`analysis.export`,
  :mod:`analysis.keyfigures`) and the templates; the command line, the fetch step or the
  index page are not among them, so changing them rebuilds nothing;
* the parameters (region, year) and the edition date printed in it;
* the sha256 of the raw files the report's notebook reads (:data:`NOTEBOOK_SOURCES`), so
  that a new version of one file rebuilds the reports that read it and no other;
* the lock file and the Python version (the libraries that compute and draw).

A build records, for each report it publishes, the key and the sha256 of the HTML and
JSON it wrote (``status.json``). The next build skips a report whose key is the same and
whose two files are still on disk with those digests. Deciding so reads a few files and
imports neither pandas nor Jupyter; the region names and years a plan needs are kept in
a small JSON file of the cache folder, keyed by the data and the code (:func:`plan_facts`).
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import platform
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .config import DataPaths
from .integrity import sha256_of
from .parameters import normalise_departement, normalise_region, parse_year
from .sources import CATALOGUE

__all__ = [
    "NOTEBOOK_SOURCES",
    "PUBLISHING_MODULES",
    "Fingerprint",
    "PlanFacts",
    "code_digest",
    "code_files",
    "digest_of",
    "file_digest",
    "fingerprint",
    "folder_digest",
    "imported_modules",
    "is_up_to_date",
    "pdf_is_current",
    "plan_facts",
    "raw_digests",
    "sources_read_by",
]

PACKAGE = "analysis"
PACKAGE_DIR = Path(__file__).resolve().parent
#: Modules that shape a report's bytes after the kernel: HTML export and key-figures JSON.
PUBLISHING_MODULES = ("analysis.export", "analysis.keyfigures")

_COMMON = (
    "bmo_2025",
    "ditp_ind313",
    "etalab_apprenticeship_national",
    "etalab_apprenticeship_regional",
    "geo_departements",
    "geo_regions",
    "insee_ete_a17",
    "urssaf_region_series",
    "urssaf_ze_a38",
)
#: The catalogue files each report notebook reads, whatever the area and year
#: (``tests/test_readers.py`` checks them against the files a real report opens).
#: Regional reports draw the maps of regions and départements and name the employment
#: zones; the France overview has no département map and no zone; a département's report
#: has no region map, and names the A17 sectors of its table.
NOTEBOOK_SOURCES: dict[str, tuple[str, ...]] = {
    "region_report": tuple(
        sorted((*_COMMON, "geo_region_shapes", "geo_departement_shapes", "urssaf_ze_labels"))
    ),
    "france_overview": tuple(sorted((*_COMMON, "geo_region_shapes"))),
    "departement_report": tuple(sorted((*_COMMON, "geo_departement_shapes", "insee_a17_labels"))),
}


def sources_read_by(notebook: str | os.PathLike) -> tuple[str, ...]:
    """Return the catalogue ids a report notebook reads (every file for another notebook).

    Examples
    --------
    >>> from analysis.incremental import sources_read_by
    >>> "insee_a17_labels" in sources_read_by("notebooks/departement_report.ipynb")
    True
    >>> "insee_a17_labels" in sources_read_by("notebooks/region_report.ipynb")
    False
    """
    stem = Path(notebook).stem
    if stem in NOTEBOOK_SOURCES:
        return NOTEBOOK_SOURCES[stem]
    return tuple(source.id for source in CATALOGUE)


#: The hex sha256 of a file (the loaders' own check, :func:`analysis.integrity.sha256_of`).
file_digest = sha256_of


def digest_of(value) -> str:
    """Return the sha256 of a JSON-able value (keys sorted, so the same value, the same digest)."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


# -- code --------------------------------------------------------------------------------
def _modules(package_dir: Path) -> dict[str, Path]:
    """Map every module of the package folder to its file."""
    modules = {}
    for path in sorted(package_dir.rglob("*.py")):
        parts = list(path.relative_to(package_dir).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules[".".join([PACKAGE, *parts])] = path
    return modules


def _imports_of(source: str, module: str, is_package: bool, known: Iterable[str]) -> set[str]:
    """Return the package's modules that ``source`` (module ``module``) may import.

    Every ``import`` and ``from ... import`` statement counts, wherever it is (lazy
    imports in functions too), and so does any string literal naming a sibling module
    (``".geo"``), as a lazy-import table does: better one module too many than one missed.
    """
    known = set(known)
    package = module if is_package else module.rpartition(".")[0]
    found: set[str] = set()

    def resolve(level: int, name: str | None) -> str | None:
        if level == 0:
            return name
        base = package.split(".")
        if level > 1:
            base = base[: -(level - 1)]
        return ".".join([*base, name] if name else base)

    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            target = resolve(node.level, node.module)
            if target is None:
                continue
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names)
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and node.value.startswith(".")
            and node.value[1:].isidentifier()
        ):
            found.add(resolve(1, node.value[1:]))
    result = set()
    for name in found:
        if not name.startswith(PACKAGE):
            continue
        # Importing a.b.c runs a/__init__ and a/b/__init__ first.
        parts = name.split(".")
        for i in range(1, len(parts) + 1):
            candidate = ".".join(parts[:i])
            if candidate in known:
                result.add(candidate)
    return result


def imported_modules(
    roots: Iterable[str], package_dir: str | os.PathLike | None = None
) -> dict[str, Path]:
    """Return the package's modules ``roots`` import, directly or not (``roots`` included).

    Parameters
    ----------
    roots : iterable of str
        Module names, e.g. ``["analysis.sections"]``.
    package_dir : path-like, optional
        The package's folder (default: this package's).
    """
    return dict(_closure(tuple(sorted(set(roots))), str(package_dir or PACKAGE_DIR)))


@lru_cache(maxsize=32)
def _closure(roots: tuple[str, ...], package_dir: str) -> tuple[tuple[str, Path], ...]:
    modules = _modules(Path(package_dir))
    seen: set[str] = set()
    todo = [r for r in roots if r in modules]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        path = modules[name]
        source = path.read_text(encoding="utf-8")
        todo.extend(_imports_of(source, name, path.name == "__init__.py", modules) - seen)
    return tuple((name, modules[name]) for name in sorted(seen))


def code_digest(files: Mapping[str, Path]) -> str:
    """Return one sha256 for named files (modules, templates): their names and contents."""
    return digest_of({name: file_digest(path) for name, path in files.items()})


def notebook_imports(notebook: str | os.PathLike) -> set[str]:
    """Return the package's modules a notebook's code cells import (magics skipped)."""
    document = json.loads(Path(notebook).read_text(encoding="utf-8"))
    found = set()
    for cell in document.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        source = "".join(cell.get("source", ""))
        lines = [ln for ln in source.splitlines() if not ln.lstrip().startswith(("%", "!"))]
        try:
            tree = ast.parse("\n".join(lines))
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found.update(a.name for a in node.names if a.name.startswith(PACKAGE))
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith(PACKAGE):
                found.add(node.module)
                found.update(f"{node.module}.{a.name}" for a in node.names)
    return found


def code_files(
    notebook: str | os.PathLike, package_dir: str | os.PathLike | None = None
) -> dict[str, Path]:
    """Return every file of the package a report from ``notebook`` depends on, by name.

    The modules the notebook imports (and theirs), the publishing modules (and theirs)
    and the templates folder.
    """
    package_dir = Path(package_dir or PACKAGE_DIR)
    roots = notebook_imports(notebook) | set(PUBLISHING_MODULES)
    files = {name: path for name, path in imported_modules(roots, package_dir).items()}
    for path in sorted((package_dir / "templates").rglob("*")):
        if path.is_file():
            files[f"templates/{path.relative_to(package_dir / 'templates').as_posix()}"] = path
    return files


# -- data and environment ----------------------------------------------------------------
def raw_digests(data_dir: str | os.PathLike | None = None) -> dict[str, str]:
    """Return the sha256 of each catalogue file in the raw-data folder (or ``"missing"``)."""
    raw = DataPaths.resolve(data_dir).raw
    digests = {}
    for source in CATALOGUE:
        path = raw / source.path
        digests[source.id] = file_digest(path) if path.is_file() else "missing"
    return digests


def _lock_digest(notebooks: Path) -> str:
    lock = notebooks.parent / "requirements.lock"
    return file_digest(lock) if lock.is_file() else "no lock file"


# -- keys --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Fingerprint:
    """What one report depends on, each part digested, and the key made of them."""

    notebook: str
    code: str
    parameters: dict
    data: str
    environment: str

    @property
    def key(self) -> str:
        """Return the sha256 of all the parts."""
        return digest_of(
            {
                "notebook": self.notebook,
                "code": self.code,
                "parameters": self.parameters,
                "data": self.data,
                "environment": self.environment,
            }
        )


def fingerprint(
    notebook: str | os.PathLike,
    parameters: Mapping,
    *,
    raw: Mapping[str, str],
    package_dir: str | os.PathLike | None = None,
) -> Fingerprint:
    """Return the fingerprint of one report.

    Parameters
    ----------
    notebook : path-like
        The notebook the report runs.
    parameters : mapping
        What the report varies by: region, year, edition date (not the data folder's
        path: the data's digests stand for it).
    raw : mapping
        :func:`raw_digests` of the data folder; only the files the notebook reads
        (:func:`sources_read_by`) count.
    package_dir : path-like, optional
        The package's folder (tests point it at a copy).
    """
    notebook = Path(notebook)
    files = code_files(notebook, package_dir)
    reads = set(sources_read_by(notebook))
    raw = {source: digest for source, digest in raw.items() if source in reads}
    return Fingerprint(
        notebook=file_digest(notebook),
        code=code_digest(files),
        parameters=dict(parameters),
        data=digest_of(dict(raw)),
        environment=digest_of(
            {"lock": _lock_digest(notebook.parent), "python": platform.python_version()}
        ),
    )


def is_up_to_date(
    entry: Mapping | None,
    key: str,
    html: Path,
    json_path: Path,
    xlsx: Path | None = None,
    csv_folder: Path | None = None,
) -> bool:
    """Tell whether a report's ``status.json`` entry has ``key`` and its files are intact.

    The HTML and JSON (and, when given, the workbook and the CSV folder) must be on disk
    with the sha256 the build recorded: a file edited, truncated or removed since is
    rebuilt.
    """
    if not entry or not entry.get("ok") or entry.get("key") != key:
        return False
    for path, recorded in ((html, entry.get("html_sha256")), (json_path, entry.get("json_sha256"))):
        if not recorded or not path.is_file() or file_digest(path) != recorded:
            return False
    if xlsx is not None:
        recorded = entry.get("xlsx_sha256")
        if not recorded or not xlsx.is_file() or file_digest(xlsx) != recorded:
            return False
    if csv_folder is not None:
        recorded = entry.get("csv_sha256")
        if not recorded or not csv_folder.is_dir() or folder_digest(csv_folder) != recorded:
            return False
    return True


def pdf_is_current(entry: Mapping | None, pdf: Path) -> bool:
    """Tell whether ``status.json`` records the PDF on disk, printed from the HTML on disk.

    The PDF depends only on its HTML (the print stylesheet is inside it): it is current
    when the entry's ``pdf_sha256`` is the file's and ``pdf_html_sha256`` the HTML's.
    """
    recorded = (entry or {}).get("pdf_sha256")
    return bool(
        recorded
        and entry.get("pdf_html_sha256") == entry.get("html_sha256")
        and pdf.is_file()
        and file_digest(pdf) == recorded
    )


def folder_digest(folder: Path) -> str:
    """Return one sha256 over the names and contents of the files of ``folder``."""
    digest = hashlib.sha256()
    for path in sorted(p for p in Path(folder).iterdir() if p.is_file()):
        digest.update(path.name.encode() + b"\0" + file_digest(path).encode() + b"\n")
    return digest.hexdigest()


# -- what a plan needs, without pandas -----------------------------------------------------
@dataclass(frozen=True)
class PlanFacts:
    """Region and département names and report years of a data folder, for the planner."""

    names: dict[str, str]
    regions: list[str]
    years: list[int]
    #: Département code -> [name, region code], in INSEE order.
    departements: dict[str, list[str]] = field(default_factory=dict)

    def departement(self, value) -> str | None:
        """Return the normalised département code of ``value`` if valid, else None."""
        code = normalise_departement(value)
        return code if code in self.departements else None

    def region(self, value) -> str | None:
        """Return the normalised code of ``value`` if valid (as ``check_region``), else None."""
        code = normalise_region(value)
        return code if code in self.names else None

    def year(self, value) -> int | None:
        """Return ``value`` as an int if a report can be built for it, else None."""
        number = parse_year(value)
        return number if number in self.years else None


def _facts_path(data_dir, raw: Mapping[str, str]) -> Path:
    code = code_digest(imported_modules(["analysis.build"]))
    digest = digest_of({"raw": dict(raw), "code": code})[:16]
    return DataPaths.resolve(data_dir).cache / f"plan-facts-{digest}.json"


def plan_facts(data_dir=None, *, raw: Mapping[str, str], compute=None) -> PlanFacts:
    """Return the region names and report years of this data, from the cache or computed.

    ``compute()`` (which loads the data, with pandas) runs only when the cache has no
    file for these raw files and this code; its result is then stored.
    """
    from ._files import atomic_write_text

    path = _facts_path(data_dir, raw)
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
        return PlanFacts(
            stored["names"], stored["regions"], stored["years"], stored["departements"]
        )
    except (OSError, ValueError, KeyError):
        pass
    if compute is None:
        raise LookupError("no stored plan facts")
    facts = compute()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(
            path,
            json.dumps(
                {
                    "names": facts.names,
                    "regions": facts.regions,
                    "years": facts.years,
                    "departements": facts.departements,
                },
                ensure_ascii=False,
            ),
        )
    except OSError:  # a read-only cache only costs speed
        pass
    return facts
