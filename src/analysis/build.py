"""Batch: run the report notebooks with papermill, export them, write the key figures.

``plan(regions, years, out=...)`` checks every parameter (regions, years, the output
folder) before any kernel starts. ``build(jobs, workers=...)`` then runs the reports in
worker processes of its own, one Jupyter kernel per report:

* **Publishing is one short step.** A worker executes the notebook (papermill writes it
  to ``.<code>.executing.<pid>.ipynb``), exports the HTML and takes the key figures the
  notebook displayed (:func:`analysis.export.key_figures_of`: computed once, in the
  kernel, the same objects the cards print), all in memory. Only then does it publish:
  HTML and JSON through a temporary file and a rename, and its entry in ``status.json``
  (:func:`analysis.index.record`, under a lock); a SIGTERM that arrives meanwhile waits
  for those few milliseconds. A failing report keeps its executed notebook as
  ``<code>.failed.ipynb``; its previous HTML stays in place.
* **Ctrl-C.** Workers ignore SIGINT; the main process alone handles it: it tells the
  workers to publish nothing more, sends them SIGTERM, on which each kills its kernel's
  process group, removes its executing notebook and exits. What was published before the
  interrupt is in ``status.json``; nothing is published after it.
* **A worker that dies** (killed, out of memory) fails its report only; a new worker
  takes the next ones.
* **Leftovers of dead runs.** At start, temporary files, executing notebooks and kernel
  connection files whose process no longer exists are removed.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import multiprocessing
import os
import queue
import signal
import sys
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import incremental, index
from ._files import remove_dead_leftovers
from .config import FRANCE, DataPaths, edition_date
from .levels import LEVELS, get_level
from .parameters import check_output

if TYPE_CHECKING:
    from .datasets import Datasets

# Jupyter, pandas and the data are imported where they are needed, so that a build with
# nothing to do decides so without them (see analysis.incremental).

__all__ = [
    "Job",
    "Outcome",
    "build",
    "find_notebooks",
    "new_run_id",
    "plan",
    "run_job",
    "up_to_date",
]

KERNEL = "python3"
#: How a report's kernel starts: forked from a pre-warmed zygote, or as a new process.
ISOLATIONS = ("warm", "cold")


def find_notebooks(start: str | os.PathLike | None = None) -> Path:
    """Return the project's ``notebooks`` folder (nearest ancestor of ``start`` with one).

    Raises
    ------
    FileNotFoundError
        When no ancestor has ``notebooks/region_report.ipynb``.
    """
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "notebooks" / "region_report.ipynb").is_file():
            return folder / "notebooks"
    package_root = Path(__file__).resolve().parents[2]
    if (package_root / "notebooks" / "region_report.ipynb").is_file():
        return package_root / "notebooks"
    raise FileNotFoundError(
        "Cannot find notebooks/region_report.ipynb above the current folder; run the "
        "command from the project's checkout."
    )


@dataclass(frozen=True)
class Job:
    """One report to build: an area (a region, ``"FR"`` or a département) and a year."""

    area: str
    year: int
    name: str
    out: Path
    notebooks: Path
    data_dir: str | None = None
    #: What the report's bytes depend on (:mod:`analysis.incremental`); "" if unknown.
    key: str = ""
    #: Geography level (:mod:`analysis.levels`): ``"region"`` (and FR) or ``"departement"``.
    level: str = "region"
    #: The region of a département ("" for a region: itself), and its name.
    parent: str = ""
    parent_name: str = ""
    #: What the report links to, for the notebook's ``links`` parameter: the codes of a
    #: region's départements whose report exists, or ``("region",)`` for a département
    #: whose region's report does.
    links: tuple[str, ...] = ()
    #: Whether the build prints the report to PDF (Chromium is there), and the HTML says so.
    printed: bool = False

    @property
    def region(self) -> str:
        """The report's region: its own code, or the département's region."""
        return self.parent or self.area

    @property
    def notebook(self) -> Path:
        """The notebook template this report runs."""
        if self.level == "region":
            template = "france_overview" if self.area == FRANCE else "region_report"
        else:
            template = LEVELS[self.level].notebook
        return self.notebooks / f"{template}.ipynb"

    @property
    def parameters(self) -> dict:
        """The papermill parameters."""
        params = {"year": self.year, "data_dir": self.data_dir}
        if self.level == "departement":
            params["departement"] = self.area
            params["links"] = list(self.links)
        elif self.area != FRANCE:
            params["region"] = self.area
            params["links"] = list(self.links)
        return params

    @property
    def folder(self) -> Path:
        """``<out>/<year>``, or ``<out>/<year>/departements`` for a département."""
        sub = LEVELS[self.level].folder
        return self.out / str(self.year) / sub if sub else self.out / str(self.year)

    @property
    def status_key(self) -> str:
        """The report's key in ``status.json``: ``"2019/11"``, ``"2019/departements/2A"``."""
        sub = LEVELS[self.level].folder
        return f"{self.year}/{sub}/{self.area}" if sub else f"{self.year}/{self.area}"

    @property
    def html(self) -> Path:
        """Where the report goes."""
        return self.folder / f"{self.area}.html"

    @property
    def json(self) -> Path:
        """Where the key figures go."""
        return self.folder / f"{self.area}.json"

    @property
    def pdf(self) -> Path:
        """Where the report's PDF goes."""
        return self.folder / f"{self.area}.pdf"

    @property
    def xlsx(self) -> Path:
        """Where the report's tables go, as one workbook."""
        return self.folder / f"{self.area}.xlsx"

    @property
    def csv_folder(self) -> Path:
        """Where the report's tables go, one CSV each."""
        return self.folder / f"{self.area}-csv"

    @property
    def failed_notebook(self) -> Path:
        """Where the executed notebook of a failed run is kept."""
        return self.folder / f"{self.area}.failed.ipynb"

    def executing(self, pid: int | None = None) -> Path:
        """Where papermill writes the notebook while it runs (hidden, named by pid)."""
        return self.folder / f".{self.area}.executing.{pid or os.getpid()}.ipynb"

    @property
    def label(self) -> str:
        """``"11 Île-de-France 2024"``."""
        return f"{self.area} {self.name} {self.year}"


@dataclass
class Outcome:
    """What happened to one job."""

    job: Job
    ok: bool
    seconds: float
    error: str = ""
    size: int = 0
    details: dict = field(default_factory=dict)

    @property
    def state(self) -> str:
        """``"built"``, ``"up to date"`` (nothing it depends on changed) or ``"failed"``."""
        if not self.ok:
            return "failed"
        return self.details.get("state", "built")


def plan(
    regions: Sequence[str] | None,
    years: Sequence[int] | None,
    *,
    out: str | os.PathLike = "reports",
    data_dir: str | os.PathLike | None = None,
    datasets: Datasets | None = None,
    notebooks: str | os.PathLike | None = None,
    levels: Sequence[str] = ("region",),
    areas: Sequence[str] | None = None,
    pdf: bool | None = None,
) -> list[Job]:
    """Check the parameters and list the jobs, before any kernel starts.

    By default every region plus the France overview (``"FR"``) for the latest year.
    With ``levels=("departement",)``, the départements: those of ``areas``, else those of
    ``regions``, else all 101. With both levels, the départements come first, and each
    region's report links to the départements' reports of the same build.

    Links between levels are decided here, from the files in ``out`` and the jobs of this
    build: a regional report links to the reports of its départements that exist (and a
    département's report to its region's), and the links are part of the report's key,
    so that a report is rebuilt when a report it can link to appears.

    Raises
    ------
    ParameterError
        For an unknown level, region, département, a year without data, or an ``out``
        that is a file or lies under one (exit code 2).
    OutputError
        When ``out`` cannot be written (exit code 8).
    """
    chosen = [get_level(level).name for level in dict.fromkeys(levels or ("region",))]
    raw_digests = incremental.raw_digests(data_dir)
    facts = _facts(data_dir, raw_digests, datasets)
    requested_years = list(years) if years else [facts.years[-1]]
    checked_years = [facts.year(y) for y in requested_years]
    requested_regions = list(regions) if regions else None
    checked_regions = [facts.region(r) for r in requested_regions or []]
    requested_deps = list(areas) if areas else []
    checked_deps = [facts.departement(d) for d in requested_deps]
    if None in checked_years or None in checked_regions or None in checked_deps:
        _refuse(requested_regions or [], requested_years, data_dir, datasets, requested_deps)
    check_output(out)
    folder = Path(notebooks) if notebooks else find_notebooks()
    # Kernels run in the notebooks folder: give them the data folder resolved here.
    raw = str(DataPaths.resolve(data_dir).raw)
    date = edition_date().isoformat()
    if pdf is None:
        pdf = printer_available()
    wanted: list[tuple[str, str]] = []  # (level, code), départements first
    if "departement" in chosen:
        deps = checked_deps or [
            code
            for code, (_, region) in facts.departements.items()
            if not checked_regions or region in checked_regions
        ]
        wanted += [("departement", code) for code in dict.fromkeys(deps)]
    if "region" in chosen:
        parents = [facts.departements[code][1] for code in checked_deps]
        codes = checked_regions or parents or [*facts.regions, FRANCE]
        wanted += [("region", code) for code in dict.fromkeys(codes)]
    out = Path(out)
    jobs = []
    for year in dict.fromkeys(checked_years):
        planned = {(level, code) for level, code in wanted}
        for level, code in wanted:
            if level == "departement":
                name, region = facts.departements[code]
                job = Job(
                    code,
                    year,
                    name,
                    out,
                    folder,
                    raw,
                    level=level,
                    parent=region,
                    parent_name=facts.names[region],
                )
                exists = ("region", region) in planned or (
                    out / str(year) / f"{region}.html"
                ).is_file()
                links = ("region",) if exists else ()
            else:
                job = Job(
                    code, year, facts.names[code], out, folder, raw, parent_name=facts.names[code]
                )
                links = tuple(
                    dep
                    for dep, (_, region) in facts.departements.items()
                    if region == code
                    and (
                        ("departement", dep) in planned
                        or (out / str(year) / "departements" / f"{dep}.html").is_file()
                    )
                )
            job = dataclasses.replace(job, links=links, printed=pdf)
            parameters = {
                "level": level,
                "area": code,
                "year": year,
                "date": date,
                "links": list(links),
                "pdf": pdf,
            }
            key = incremental.fingerprint(job.notebook, parameters, raw=raw_digests).key
            jobs.append(dataclasses.replace(job, key=key))
    return jobs


def plan_published(
    out: str | os.PathLike = "reports",
    *,
    data_dir: str | os.PathLike | None = None,
    pdf: bool | None = None,
) -> list[Job]:
    """Plan again every report that ``<out>/status.json`` records, as :func:`plan` would.

    After new data (``updates --apply``), :func:`build` then rebuilds those whose key
    changed, that is the reports whose notebook reads a new file
    (:data:`analysis.incremental.NOTEBOOK_SOURCES`), and leaves the others as they are.
    Départements come before regions, so that each region links to its départements.

    Returns
    -------
    list of Job
        Empty when nothing is published in ``out``.
    """
    wanted: dict[int, dict[str, set[str]]] = {}
    for entry in index.read_status(out).values():
        level = "departement" if entry.get("level") == "departement" else "region"
        area = entry.get("area") or entry.get("region")
        if area and entry.get("year"):
            wanted.setdefault(int(entry["year"]), {"region": set(), "departement": set()})
            wanted[int(entry["year"])][level].add(str(area))
    jobs: list[Job] = []
    for year, areas in sorted(wanted.items()):
        if areas["departement"]:
            jobs += plan(
                None, [year], out=out, data_dir=data_dir, levels=["departement"],
                areas=sorted(areas["departement"]), pdf=pdf,
            )  # fmt: skip
        if areas["region"]:
            jobs += plan(sorted(areas["region"]), [year], out=out, data_dir=data_dir, pdf=pdf)
    return jobs


def _facts(data_dir, raw_digests, datasets) -> incremental.PlanFacts:
    """Region and département names and report years, from the cache, else from the data."""

    def compute() -> incremental.PlanFacts:
        from .datasets import Datasets
        from .geo import REGION_CODES, departement_order
        from .indicators import report_years

        ds = datasets or Datasets(data_dir)
        codes = list(REGION_CODES)
        names = {code: ds.names[code] for code in [*codes, FRANCE]}
        deps = ds.departements.set_index("departement")
        departements = {
            code: [str(deps.loc[code, "name"]), str(deps.loc[code, "region"])]
            for code in sorted(deps.index, key=departement_order)
        }
        return incremental.PlanFacts(names, codes, [int(y) for y in report_years(ds)], departements)

    return incremental.plan_facts(data_dir, raw=raw_digests, compute=compute)


def _refuse(regions, years, data_dir, datasets, departements=()) -> None:
    """Raise the error a bad area or year deserves (with the data: it lists the valid ones)."""
    from .datasets import Datasets
    from .parameters import check_departement, check_region, check_year

    ds = datasets or Datasets(data_dir)
    for year in years:
        check_year(ds, year)
    for region in regions:
        check_region(ds, region)
    for code in departements:
        check_departement(ds, code)
    raise AssertionError("a value the plan refused was accepted by the checks")  # pragma: no cover


# -- worker side ------------------------------------------------------------------------
_WORKER: dict = {"cancel": None, "run": "", "executing": None, "publishing": False, "stop": 0}


def new_run_id() -> str:
    """Return an identifier for one build, kept in each ``status.json`` entry it writes."""
    return f"{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{uuid.uuid4().hex[:6]}"


@contextlib.contextmanager
def _publishing():
    """Defer SIGTERM while a report is published; say whether it may be published at all.

    Yields False once the build has been cancelled: nothing is published after an
    interrupt. A SIGTERM that arrives meanwhile is acted on when the block ends (a flag,
    not a signal mask: Python runs handlers in the main thread whichever thread the
    signal was delivered to).
    """
    _WORKER["publishing"] = True
    try:
        cancel = _WORKER["cancel"]
        yield cancel is None or not cancel.is_set()
    finally:
        _WORKER["publishing"] = False
        if _WORKER["stop"]:
            _stop_now(_WORKER["stop"], None)


def _execute(job: Job, executing: Path):
    """Run the job's notebook with papermill into ``executing``; return the executed notebook."""
    import papermill as pm

    from ._kernel import ReportKernelManager

    return pm.execute_notebook(
        str(job.notebook),
        str(executing),
        parameters=job.parameters,
        kernel_name=KERNEL,
        cwd=str(job.notebooks),
        progress_bar=False,
        log_output=False,
        # Written once, at the end (or on failure), rather than after every cell: the
        # notebook carries its charts, and re-serialising it 12 times costs CPU.
        request_save_on_cell_execute=False,
        # The kernel's own start-up warnings would drown the progress lines; cell errors
        # still reach the notebook and the summary.
        extra_arguments=["--IPKernelApp.log_level=ERROR"],
        kernel_manager_class=ReportKernelManager,
    )


@dataclass
class Rendered:
    """A report executed and exported in memory, not yet published (see :func:`render`)."""

    ok: bool
    seconds: float
    error: str = ""
    html: str = ""
    figures: dict | None = None
    kernel: str = ""
    #: The tables the report printed and its charts' data (analysis.blocks.TABLES_MIME).
    tables: list = field(default_factory=list)


def render(job: Job, executing: Path) -> Rendered:
    """Execute the job's notebook into ``executing`` and export it, all in memory.

    Nothing is published: :func:`publish` writes the files. The executed notebook stays at
    ``executing`` (the caller keeps it when the report failed, then removes it).
    """
    import papermill as pm

    from ._kernel import LAST_START
    from .export import fix_cell_ids, key_figures_of, notebook_to_html, tables_of
    from .french import report_title

    start = time.perf_counter()
    try:
        # papermill has written the executed notebook (kept if the report fails) and
        # returns it: no need to read it back.
        notebook = fix_cell_ids(_execute(job, executing))
        document = notebook_to_html(notebook, title=report_title(job.name, job.year))
        figures = key_figures_of(notebook)  # computed once, in the kernel
        result = Rendered(
            True,
            0.0,
            html=document,
            figures=figures,
            kernel=LAST_START["kernel"],
            tables=tables_of(notebook),
        )
    except pm.PapermillExecutionError as exc:
        result = Rendered(False, 0.0, f"cell {exc.exec_count}: {exc.ename}: {exc.evalue}")
    except Exception as exc:
        result = Rendered(False, 0.0, f"{type(exc).__name__}: {exc}")
    result.seconds = time.perf_counter() - start
    return result


def publish(
    job: Job, rendered: Rendered, *, executed: Path | None = None, run: str = ""
) -> Outcome:
    """Write a rendered report (HTML and JSON, atomically) and record it in ``status.json``.

    A failed report writes nothing but its executed notebook, moved from ``executed`` to
    ``<code>.failed.ipynb``; the previous HTML, if any, stays.
    """
    from . import export, keyfigures
    from ._files import atomic_write_text

    outcome = Outcome(job, rendered.ok, rendered.seconds, rendered.error)
    try:
        job.folder.mkdir(parents=True, exist_ok=True)
        if rendered.ok:
            document, found = _with_changes(job, rendered)
            files = _write_tables(job, rendered)
            box = export.downloads_html(job.area, files, pdf=job.printed)
            document = export.add_downloads(document, box)
            atomic_write_text(job.html, document)
            keyfigures.write_key_figures(job.json, rendered.figures)
            job.failed_notebook.unlink(missing_ok=True)
            outcome.size = len(document.encode())
            outcome.details.update(
                key=job.key,
                html_sha256=hashlib.sha256(document.encode()).hexdigest(),
                json_sha256=incremental.file_digest(job.json),
                kernel=rendered.kernel,
                changes=[change.to_json() for change in found],
                xlsx_sha256=incremental.file_digest(job.xlsx) if files else "",
                csv_sha256=incremental.folder_digest(job.csv_folder) if files else "",
            )
        elif executed is not None and executed.is_file():
            os.replace(executed, job.failed_notebook)
            outcome.details["failed_notebook"] = str(job.failed_notebook)
    except OSError as exc:
        outcome.ok, outcome.error = False, f"{type(exc).__name__}: {exc}"
    with contextlib.suppress(OSError):
        index.record(job.out, [outcome], run=run)
    return outcome


def _write_tables(job: Job, rendered: Rendered) -> list[Path]:
    """Write the report's workbook and CSV files; return the CSV files (none: no table)."""
    from .french import report_title
    from .spreadsheet import write_csvs, write_workbook

    if not rendered.tables:
        return []
    write_workbook(
        job.xlsx,
        rendered.tables,
        title=report_title(job.name, job.year),
        edition=edition_date().isoformat(),
    )
    return write_csvs(job.csv_folder, rendered.tables)


def _with_changes(job: Job, rendered: Rendered) -> tuple[str, list]:
    """Return the report's HTML with what changed since the edition it replaces, and that.

    The edition on disk (``<code>.json``) is compared with the new key figures
    (:func:`analysis.changes.compare`); a report built for the first time, or whose
    figures are all the same, gets no box.
    """
    from . import changes, export

    previous = changes.read_document(job.json)
    found = changes.compare(previous, rendered.figures)
    if not found:
        return rendered.html, found
    built = index.read_status(job.out).get(job.status_key, {}).get("finished", "")
    try:
        when = dt.datetime.fromisoformat(built).strftime("%d/%m/%Y")
    except ValueError:
        when = dt.datetime.fromtimestamp(job.json.stat().st_mtime).strftime("%d/%m/%Y")
    return export.add_changes(rendered.html, export.changes_html(found, previous=when)), found


def run_job(job: Job) -> Outcome:
    """Execute, export and publish one report; record it in ``status.json``.

    Runs in a worker process of :func:`build` (it can also be called directly).
    """
    executing = job.executing()
    _WORKER["executing"] = executing
    try:
        try:
            job.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            rendered = Rendered(False, 0.0, f"{type(exc).__name__}: {exc}")
        else:
            rendered = render(job, executing)
        with _publishing() as allowed:
            if not allowed:
                return Outcome(job, False, rendered.seconds, "interrupted")
            return publish(job, rendered, executed=executing, run=_WORKER["run"])
    finally:
        executing.unlink(missing_ok=True)
        _WORKER["executing"] = None


def _stop_now(signum, frame) -> None:  # pragma: no cover - runs in a worker process
    """SIGTERM in a worker: kill the running kernel, remove its traces, exit at once.

    While a report is being published the exit waits for the end of it (a few ms).
    """
    if _WORKER["publishing"]:
        _WORKER["stop"] = signum
        return
    from ._kernel import kill_running_kernels  # already imported by the worker

    kill_running_kernels()
    executing = _WORKER.get("executing")
    if executing is not None:
        with contextlib.suppress(OSError):
            os.unlink(executing)
    os._exit(128 + signum)


def _worker(
    tasks, results, cancel, parent: int, run: str, warm: str | None
) -> None:  # pragma: no cover
    """Worker process: take jobs until a sentinel, a cancel or the parent's death.

    With ``warm`` (a raw-data folder), the worker first starts a zygote that preloads
    that folder's tables, and each report's kernel is forked from it.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's business
    signal.signal(signal.SIGTERM, _stop_now)
    # jsonschema imports rfc3987_syntax when it is installed (JupyterLab's jupyter-events
    # wants it), which builds a grammar for 0.9 s at import. The worker's jsonschema only
    # validates notebooks (nbformat), whose schema checks no IRI format: a None in
    # sys.modules makes that optional import fail, as if the package were absent.
    sys.modules.setdefault("rfc3987_syntax", None)
    from ._kernel import use_zygote
    from ._zygote import Zygote

    _WORKER.update(cancel=cancel, run=run)
    zygote = Zygote(warm) if warm is not None else None
    use_zygote(zygote)
    try:
        while not cancel.is_set():
            try:
                item = tasks.get(timeout=0.5)
            except queue.Empty:
                if os.getppid() != parent:  # the main process is gone: stop quietly
                    return
                continue
            if item is None or cancel.is_set():
                return
            number, job = item
            if zygote is not None and not zygote.alive():  # killed: the next one is fresh
                zygote = Zygote(warm)
                use_zygote(zygote)
            results.put(("start", number, os.getpid()))
            results.put(("done", number, run_job(job)))
    finally:
        if zygote is not None:
            zygote.close()


# -- main side --------------------------------------------------------------------------
def up_to_date(jobs: Sequence[Job]) -> list[Outcome | None]:
    """For each job, an ``Outcome`` if its report is up to date, else None.

    Up to date: ``status.json`` records a good build with the job's key, and the HTML and
    JSON on disk still have the sha256 that build recorded
    (:func:`analysis.incremental.is_up_to_date`). Reads files only: no kernel, no pandas.
    """
    statuses = {out: index.read_status(out) for out in {job.out for job in jobs}}
    result: list[Outcome | None] = []
    for job in jobs:
        entry = statuses[job.out].get(job.status_key)
        outputs = (job.html, job.json, job.xlsx, job.csv_folder)
        if job.key and incremental.is_up_to_date(entry, job.key, *outputs):
            result.append(Outcome(job, True, 0.0, details={"state": "up to date"}))
        else:
            result.append(None)
    return result


def clean_leftovers(jobs: Sequence[Job]) -> list[Path]:
    """Remove what dead builds left: temporary files, executing notebooks, connection files.

    Looks in each output folder (and its year folders), the parquet cache and Jupyter's
    runtime folder; only files whose process no longer exists are removed.
    """
    from ._kernel import remove_dead_connection_files

    folders = {job.out for job in jobs} | {DataPaths.resolve(job.data_dir).cache for job in jobs}
    return remove_dead_leftovers(sorted(folders), depth=1) + remove_dead_connection_files()


class _Pool:
    """Worker processes fed from one queue; Ctrl-C and dead workers handled here."""

    def __init__(
        self, items: Sequence[tuple[int, Job]], workers: int, run: str, warm: str | None = None
    ):
        self.warm = warm
        self.context = multiprocessing.get_context("spawn")  # a forked zmq context is unsafe
        self.tasks = self.context.Queue()
        self.results = self.context.Queue()
        self.cancel = self.context.Event()
        self.run = run
        self.processes: dict[int, multiprocessing.process.BaseProcess] = {}
        for item in items:  # (job number, job)
            self.tasks.put(item)
        for _ in range(workers):
            self.start_worker()

    def start_worker(self) -> None:
        """Start one worker with SIGINT ignored from its first instruction."""
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)  # inherited through exec
        try:
            process = self.context.Process(
                target=_worker,
                args=(self.tasks, self.results, self.cancel, os.getpid(), self.run, self.warm),
                daemon=True,
            )
            process.start()
        finally:
            signal.signal(signal.SIGINT, previous)
        self.processes[process.pid] = process

    def dead_workers(self) -> list[multiprocessing.process.BaseProcess]:
        """Remove and return the workers that have exited."""
        dead = [p for p in self.processes.values() if not p.is_alive()]
        for process in dead:
            process.join()
            del self.processes[process.pid]
        return dead

    def stop(self) -> None:
        """Let idle workers exit after the queue's sentinels."""
        for _ in self.processes:
            self.tasks.put(None)
        for process in self.processes.values():
            process.join(timeout=10)
            if process.is_alive():
                process.kill()
                process.join()
        self.close()

    def cancel_all(self) -> None:
        """Interrupt: publish nothing more, stop every worker and its kernel now."""
        self.cancel.set()
        for process in self.processes.values():
            with contextlib.suppress(OSError):
                process.terminate()  # SIGTERM: the worker kills its kernel and exits
        deadline = time.monotonic() + 3
        for process in self.processes.values():
            process.join(timeout=max(0.1, deadline - time.monotonic()))
            if process.is_alive():
                process.kill()
                process.join()
        self.close()

    def close(self) -> None:
        """Release the queues without waiting for their feeder threads."""
        for q in (self.tasks, self.results):
            q.cancel_join_thread()
            q.close()


def build(
    jobs: Sequence[Job],
    *,
    workers: int | None = None,
    progress: Callable[[Outcome, int, int], None] | None = None,
    run: str | None = None,
    isolation: str = "warm",
    force: bool = False,
    started: Callable[[int, int], None] | None = None,
    scheduler: str | None = None,
    printing: Callable[[int], None] | None = None,
) -> list[Outcome]:
    """Run ``jobs`` on ``workers`` processes (default: the number of cores).

    Each report is recorded in ``<out>/status.json`` as it is published. A failing
    report, or a worker that dies, never stops the others.

    Parameters
    ----------
    jobs : sequence of Job
        From :func:`plan`.
    workers : int, optional
        Processes, each running one kernel at a time.
    progress : callable, optional
        ``progress(outcome, done, total)`` after each report.
    run : str, optional
        Build identifier written in ``status.json`` (default: :func:`new_run_id`).
    isolation : {"warm", "cold"}, default "warm"
        ``"warm"``: each worker keeps a zygote that has imported the libraries and read
        the data, and forks a fresh kernel from it per report (:mod:`analysis._zygote`).
        ``"cold"``: a new Python process per kernel, as a plain papermill run starts.
        Both give the same bytes.
    force : bool, default False
        Rebuild every report, even those whose files are up to date
        (:func:`up_to_date`).
    started : callable, optional
        ``started(n, processes)`` once the reports to build are known, before the first
        starts: how many, and on how many local processes (0 on a cluster).
    scheduler : str, optional
        Address of a Dask scheduler (``tcp://host:8786``): the reports run on that
        cluster's workers and come back here to be published (:mod:`analysis.cluster`);
        ``workers`` is then ignored.
    printing : callable, optional
        ``printing(n)`` once every report is built, with how many PDFs are printed so
        far; the PDFs are printed by a :class:`Printer` as the reports finish.

    Returns
    -------
    list of Outcome
        In the order of ``jobs``; ``details["pdf"]`` says what became of each PDF.

    Raises
    ------
    KeyboardInterrupt
        On Ctrl-C (or SIGTERM turned into one by the caller), once every worker and
        kernel has stopped; reports published before it are in ``status.json``.
    """
    if isolation not in ISOLATIONS:
        raise ValueError(f"isolation must be one of {ISOLATIONS}, not {isolation!r}")
    printer = Printer() if any(job.printed for job in jobs) else None

    def finished(outcome: Outcome, done: int, total: int) -> None:
        if printer is not None:  # printed while the other reports are being built
            printer.offer(outcome)
        if progress:
            progress(outcome, done, total)

    try:
        outcomes = _build_html(jobs, workers, finished, run, isolation, force, started, scheduler)
    except BaseException:
        if printer is not None:
            printer.cancel()
        raise
    if printer is not None:
        if printing:
            printing(printer.printed)
        printer.close()
    return outcomes


def _build_html(jobs, workers, progress, run, isolation, force, started, scheduler):
    """Run the reports' notebooks: the HTML, JSON and spreadsheets of :func:`build`."""
    if not jobs:
        return []
    run = run or new_run_id()
    outcomes: dict[int, Outcome] = {}
    running: dict[int, tuple[int, float]] = {}  # worker pid -> (job number, start)

    def finish(number: int, outcome: Outcome) -> None:
        outcomes[number] = outcome
        if progress:
            progress(outcome, len(outcomes), len(jobs))

    fresh = [None] * len(jobs) if force else up_to_date(jobs)
    stale = [number for number, outcome in enumerate(fresh) if outcome is None]
    workers = 0 if scheduler else max(1, min(workers or os.cpu_count() or 1, len(stale)))
    if started:
        started(len(stale), workers)
    for number, outcome in enumerate(fresh):
        if outcome is not None:
            finish(number, outcome)
    if not stale:
        return [outcomes[number] for number in range(len(jobs))]
    if scheduler:
        from .cluster import build_on_cluster

        items = [(number, jobs[number]) for number in stale]
        build_on_cluster(items, scheduler, finish=finish, run=run, isolation=isolation)
        return [outcomes[number] for number in range(len(jobs))]
    clean_leftovers(jobs)
    warm = (jobs[0].data_dir or "") if isolation == "warm" else None
    # The France overview, the longest report, first: a long report started last would
    # leave the other processes idle at the end.
    queue_order = sorted(stale, key=lambda number: jobs[number].area != FRANCE)
    pool = _Pool([(number, jobs[number]) for number in queue_order], workers, run, warm)
    try:
        while len(outcomes) < len(jobs):
            try:
                kind, number, payload = pool.results.get(timeout=0.5)
            except queue.Empty:
                for process in pool.dead_workers():
                    number, since = running.pop(process.pid, (None, 0.0))
                    if number is not None and number not in outcomes:
                        error = (
                            f"the worker process died (exit code {process.exitcode}) while "
                            "building this report; the other reports went on"
                        )
                        outcome = Outcome(jobs[number], False, time.monotonic() - since, error)
                        with contextlib.suppress(OSError):
                            index.record(outcome.job.out, [outcome], run=run)
                        finish(number, outcome)
                    if len(outcomes) + len(running) < len(jobs):
                        pool.start_worker()
                continue
            if kind == "start":
                running[payload] = (number, time.monotonic())
            else:
                running = {pid: v for pid, v in running.items() if v[0] != number}
                finish(number, payload)
    except BaseException:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut this short
        try:
            pool.cancel_all()
        finally:
            signal.signal(signal.SIGINT, signal.default_int_handler)
        raise
    pool.stop()
    return [outcomes[number] for number in range(len(jobs))]


# -- PDF ---------------------------------------------------------------------------------
def printer_available() -> bool:
    """Return whether Chromium is installed, so that a build can print its PDFs."""
    from .browser import chromium

    try:
        chromium()
    except FileNotFoundError:
        return False
    return True


class Printer:
    """Print reports to PDF in threads of the main process, each with its PdfPrinter.

    :func:`build` hands it each report as the workers finish it, so that the PDFs are
    printed while the other reports are still being built. A report is printed when its
    PDF is missing or older than its HTML (else ``details["pdf"] = "up to date"``);
    ``status.json`` records each PDF's sha256 and the HTML it was printed from.
    """

    def __init__(self, tabs: int = 2):
        self.printed = 0
        self._date = edition_date()
        self._queue: queue.Queue = queue.Queue()
        self._stop = False
        self._lock = threading.Lock()
        # Two Chromiums, one tab each: a print is mostly waiting on one process, and the
        # last reports' PDFs are printed on both cores once the workers are done.
        self._threads = [
            threading.Thread(target=self._run, name=f"pdf-printer-{n}", daemon=True)
            for n in range(max(1, tabs))
        ]
        for thread in self._threads:
            thread.start()

    def offer(self, outcome: Outcome) -> None:
        """Queue a finished report (ignored unless it is good and meant to be printed)."""
        if outcome.ok and outcome.job.printed:
            self._queue.put(outcome)

    def close(self) -> None:
        """Print what is queued, then stop Chromium."""
        for _ in self._threads:
            self._queue.put(None)
        for thread in self._threads:
            thread.join()

    def cancel(self) -> None:
        """Stop now (an interrupted build): what is queued is not printed."""
        self._stop = True
        for _ in self._threads:
            self._queue.put(None)
        for thread in self._threads:
            thread.join(timeout=10)

    def _run(self) -> None:
        from .printing import PdfPrinter

        with PdfPrinter(date=self._date) as printer:  # this thread's Chromium
            while (outcome := self._queue.get()) is not None:
                if self._stop:
                    break
                try:
                    self._print(outcome, printer)
                except Exception as exc:  # one PDF's failure never stops the others
                    outcome.details["pdf"] = f"not printed: {type(exc).__name__}: {exc}"

    def _print(self, outcome: Outcome, printer) -> None:
        job = outcome.job
        entry = index.read_status(job.out).get(job.status_key, {})
        if incremental.pdf_is_current(entry, job.pdf):
            outcome.details["pdf"] = "up to date"
            return
        result = printer.print(job.html, job.pdf)
        if not result.ok:
            outcome.details["pdf"] = f"not printed: {result.error}"
            return
        with contextlib.suppress(OSError):
            index.annotate(
                job.out,
                {
                    job.status_key: {
                        "pdf_sha256": result.sha256,
                        "pdf_html_sha256": entry.get("html_sha256", ""),
                    }
                },
            )
        outcome.details["pdf"] = "printed"
        with self._lock:
            self.printed += 1
