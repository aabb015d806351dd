"""Batch: run the report notebooks with papermill, export them, write the key figures.

``build(regions, years, jobs, out)`` checks every parameter before any kernel starts,
then runs the reports in parallel worker processes. Each report is one papermill run
(the executed notebook goes to a temporary file), one nbconvert export and one key-figures
JSON, each written through a temporary file and a rename: a failing or interrupted
report never leaves half-written HTML and never replaces the previous good one. A failed
report keeps its executed notebook as ``<code>.failed.ipynb`` beside the reports, with
the error in it. The run ends with the index page (:mod:`analysis.index`).
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ._files import atomic_write_text
from .config import DataPaths
from .datasets import Datasets
from .geo import FRANCE, REGION_CODES
from .indicators import latest_year
from .parameters import check_region, check_year

__all__ = ["Job", "Outcome", "build", "find_notebooks", "plan"]

KERNEL = "python3"


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
    """One report to build: a region (or ``"FR"``) and a year."""

    region: str
    year: int
    name: str
    out: Path
    notebooks: Path
    data_dir: str | None = None

    @property
    def notebook(self) -> Path:
        """The notebook template this report runs."""
        template = "france_overview" if self.region == FRANCE else "region_report"
        return self.notebooks / f"{template}.ipynb"

    @property
    def parameters(self) -> dict:
        """The papermill parameters."""
        params = {"year": self.year, "data_dir": self.data_dir}
        if self.region != FRANCE:
            params["region"] = self.region
        return params

    @property
    def folder(self) -> Path:
        """``<out>/<year>``."""
        return self.out / str(self.year)

    @property
    def html(self) -> Path:
        """Where the report goes."""
        return self.folder / f"{self.region}.html"

    @property
    def json(self) -> Path:
        """Where the key figures go."""
        return self.folder / f"{self.region}.json"

    @property
    def failed_notebook(self) -> Path:
        """Where the executed notebook of a failed run is kept."""
        return self.folder / f"{self.region}.failed.ipynb"

    @property
    def label(self) -> str:
        """``"11 Île-de-France 2024"``."""
        return f"{self.region} {self.name} {self.year}"


@dataclass
class Outcome:
    """What happened to one job."""

    job: Job
    ok: bool
    seconds: float
    error: str = ""
    size: int = 0
    details: dict = field(default_factory=dict)


def plan(
    regions: Sequence[str] | None,
    years: Sequence[int] | None,
    *,
    out: str | os.PathLike = "reports",
    data_dir: str | os.PathLike | None = None,
    datasets: Datasets | None = None,
    notebooks: str | os.PathLike | None = None,
) -> list[Job]:
    """Check the parameters and list the jobs, before any kernel starts.

    By default every region plus the France overview (``"FR"``) for the latest year.

    Raises
    ------
    ParameterError
        For an unknown region or a year without data (exit code 2).
    """
    ds = datasets or Datasets(data_dir)
    regions = list(regions) if regions else [*REGION_CODES, FRANCE]
    years = list(years) if years else [latest_year(ds)]
    checked_years = list(dict.fromkeys(check_year(ds, year) for year in years))
    checked_regions = list(dict.fromkeys(check_region(ds, region) for region in regions))
    folder = Path(notebooks) if notebooks else find_notebooks()
    # Kernels run in the notebooks folder: give them the data folder resolved here.
    raw = str(DataPaths.resolve(data_dir).raw)
    return [
        Job(code, year, ds.names[code], Path(out), folder, raw)
        for year in checked_years
        for code in checked_regions
    ]


# -- worker side ------------------------------------------------------------------------
_DATASETS: dict[str | None, Datasets] = {}


def run_job(job: Job) -> Outcome:
    """Execute, export and write one report (in a worker process)."""
    import nbformat
    import papermill as pm

    from . import keyfigures
    from .export import notebook_to_html
    from .sections import report_title

    start = time.perf_counter()
    job.folder.mkdir(parents=True, exist_ok=True)
    executing = job.folder / f".{job.region}.executing.{os.getpid()}.ipynb"
    try:
        try:
            pm.execute_notebook(
                str(job.notebook),
                str(executing),
                parameters=job.parameters,
                kernel_name=KERNEL,
                cwd=str(job.notebooks),
                progress_bar=False,
                log_output=False,
                # The kernel's own start-up warnings would drown the progress lines;
                # cell errors still reach the notebook and the summary.
                extra_arguments=["--IPKernelApp.log_level=ERROR"],
            )
        except pm.PapermillExecutionError as exc:
            if executing.exists():
                os.replace(executing, job.failed_notebook)
            return Outcome(
                job,
                False,
                time.perf_counter() - start,
                f"cell {exc.exec_count}: {exc.ename}: {exc.evalue}",
                details={"failed_notebook": str(job.failed_notebook)},
            )
        notebook = nbformat.read(executing, as_version=4)
        document = notebook_to_html(notebook, title=report_title(job.name, job.year))
        ds = _DATASETS.setdefault(job.data_dir, Datasets(job.data_dir))
        figures = keyfigures.document(ds, job.region, job.year)
        atomic_write_text(job.html, document)
        keyfigures.write_key_figures(job.json, figures)
        job.failed_notebook.unlink(missing_ok=True)
        return Outcome(job, True, time.perf_counter() - start, size=len(document.encode()))
    except Exception as exc:
        return Outcome(job, False, time.perf_counter() - start, f"{type(exc).__name__}: {exc}")
    finally:
        executing.unlink(missing_ok=True)


def build(
    jobs: Sequence[Job],
    *,
    workers: int | None = None,
    progress: Callable[[Outcome, int, int], None] | None = None,
) -> list[Outcome]:
    """Run ``jobs`` on ``workers`` processes (default: the number of cores).

    A failing report never stops the others. On Ctrl-C, queued reports are cancelled,
    running ones stop at their next cell, and no partial file is kept.

    Returns
    -------
    list of Outcome
        In the order of ``jobs``.
    """
    workers = max(1, min(workers or os.cpu_count() or 1, len(jobs) or 1))
    outcomes: dict[Job, Outcome] = {}
    if workers == 1:
        for job in jobs:
            outcome = run_job(job)
            outcomes[job] = outcome
            if progress:
                progress(outcome, len(outcomes), len(jobs))
        return [outcomes[job] for job in jobs]
    context = multiprocessing.get_context("spawn")
    with cf.ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures = {pool.submit(run_job, job): job for job in jobs}
        try:
            for future in cf.as_completed(futures):
                job = futures[future]
                try:
                    outcome = future.result()
                except Exception as exc:
                    outcome = Outcome(job, False, 0.0, f"{type(exc).__name__}: {exc}")
                outcomes[job] = outcome
                if progress:
                    progress(outcome, len(outcomes), len(jobs))
        except KeyboardInterrupt:
            pool.shutdown(wait=True, cancel_futures=True)
            raise
    return [outcomes[job] for job in jobs]
