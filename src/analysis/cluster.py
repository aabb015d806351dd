"""The reports on a Dask cluster: ``python -m analysis build --scheduler tcp://HOST:PORT``.

The client (the machine that runs the command) plans the reports and decides which are
up to date exactly as a local build does. Each report to build becomes one task of an
existing ``dask.distributed`` cluster:

* **On the worker**, the task writes the notebook it was sent into a temporary folder,
  executes and exports it (:func:`analysis.build.render`) with a kernel forked from the
  worker's zygote (kept by the worker process from one task to the next: the warm
  state), and returns the HTML, the key figures and, when it failed, the executed
  notebook. It writes nothing outside its temporary folder: no shared file system is
  assumed.
* **On the client**, each result is published as a local build publishes it: HTML and
  JSON through a temporary file and a rename, ``status.json`` under its lock, the failed
  notebook kept as ``<code>.failed.ipynb``.

Each worker needs the package installed from the same lock, and the raw files: at the
path the client names if it exists there (a shared file system), else in the worker's
own raw-data folder (``$ANALYSIS_DATA_DIR`` or ``data/raw`` of its checkout, filled by
``python -m analysis fetch``). The loaders verify every file's sha256 against the
catalogue, so a worker can only compute from the very same data.

A failing report fails alone. A worker that dies mid-report (killed, out of memory)
has its task run again on another worker by the scheduler; a report whose workers keep
dying fails with the scheduler's explanation, and the others go on.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from .build import Job, Outcome, Rendered, publish, render
from .errors import ClusterUnavailableError

__all__ = ["CONNECT_TIMEOUT", "build_on_cluster", "render_on_worker"]

#: How long the client tries to reach the scheduler before giving up.
CONNECT_TIMEOUT = "20s"

# The warm state of a worker process: its zygote and the environment it was made for.
_STATE: dict = {"zygote": None, "signature": None}


def _warm_zygote(data_dir: str | None, date: str):
    """Return this worker's zygote for ``data_dir`` and the edition ``date``, started once."""
    from ._kernel import use_zygote
    from ._zygote import Zygote
    from .config import EDITION_DATE_ENV

    # The kernels read the edition date from the environment, and a zygote forks only
    # for the environment it started with: set it first, restart only if it changes.
    os.environ[EDITION_DATE_ENV] = date
    signature = (data_dir, date)
    zygote = _STATE["zygote"]
    if zygote is None or _STATE["signature"] != signature or not zygote.alive():
        if zygote is not None:
            zygote.close()
        zygote = Zygote(data_dir or "")
        _STATE.update(zygote=zygote, signature=signature)
    use_zygote(zygote)
    return zygote


def render_on_worker(job: Job, notebook: str, date: str, isolation: str) -> dict:
    """Task run by a Dask worker: render one report, return what the client publishes.

    Parameters
    ----------
    job : Job
        The report, as planned on the client.
    notebook : str
        The notebook's JSON text (the worker may have no copy of the project).
    date : str
        Edition date (``YYYY-MM-DD``).
    isolation : {"warm", "cold"}
        As for a local build.

    Returns
    -------
    dict
        ``rendered`` (:class:`analysis.build.Rendered`), ``failed_notebook`` (the executed
        notebook's text when the report failed, else ""), ``worker`` (host and pid).
    """
    from ._kernel import use_zygote
    from .config import EDITION_DATE_ENV

    data_dir = job.data_dir if job.data_dir and Path(job.data_dir).is_dir() else None
    if data_dir is None:  # not on a shared file system: the worker's own verified copy
        from .config import DataPaths

        data_dir = str(DataPaths.resolve().raw)
    if isolation == "warm":
        _warm_zygote(data_dir, date)
    else:
        os.environ[EDITION_DATE_ENV] = date
        use_zygote(None)
    with tempfile.TemporaryDirectory(prefix="analysis-task-") as folder:
        folder = Path(folder)
        local = dataclasses.replace(job, notebooks=folder, data_dir=data_dir)
        local.notebook.write_text(notebook, encoding="utf-8")
        executing = folder / f"{job.area}.executed.ipynb"
        rendered = render(local, executing)
        failed = ""
        if not rendered.ok and executing.is_file():
            failed = executing.read_text(encoding="utf-8")
    return {
        "rendered": rendered,
        "failed_notebook": failed,
        "worker": f"{os.uname()[1]}:{os.getpid()}",
    }


def build_on_cluster(
    jobs: Sequence[tuple[int, Job]],
    scheduler: str,
    *,
    finish: Callable[[int, Outcome], None],
    run: str,
    isolation: str = "warm",
) -> None:
    """Run ``jobs`` (numbered) on the Dask cluster at ``scheduler``; publish each result here.

    ``finish(number, outcome)`` is called as each report is published. On Ctrl-C the
    tasks are cancelled and the exception goes on.
    """
    from distributed import Client, as_completed

    from .config import edition_date

    date = edition_date().isoformat()
    notebooks = {job.notebook: job.notebook.read_text(encoding="utf-8") for _, job in jobs}
    try:
        client = Client(scheduler, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError, ValueError) as exc:
        raise ClusterUnavailableError(
            f"Cannot reach a Dask scheduler at {scheduler} ({type(exc).__name__}: {exc}). "
            "Check the address (tcp://HOST:PORT) and that the scheduler runs (`dask "
            "scheduler`); without --scheduler the reports are built on this machine."
        ) from exc
    with client:
        futures = {}
        for number, job in jobs:
            future = client.submit(
                render_on_worker,
                job,
                notebooks[job.notebook],
                date,
                isolation,
                key=f"analysis-report-{job.year}-{job.level}-{job.area}-{run}",
                pure=False,
            )
            futures[future] = (number, job, time.monotonic())
        try:
            for future in as_completed(list(futures)):
                number, job, submitted = futures[future]
                try:
                    result = future.result()
                except Exception as exc:  # the worker died too often, or could not unpickle
                    rendered = Rendered(
                        False,
                        time.monotonic() - submitted,
                        f"the cluster could not build this report ({type(exc).__name__}: "
                        f"{exc}); the other reports went on",
                    )
                    finish(number, publish(job, rendered, run=run))
                    continue
                executed = None
                if result["failed_notebook"]:
                    executed = job.folder / f".{job.area}.executed.{os.getpid()}.ipynb"
                    job.folder.mkdir(parents=True, exist_ok=True)
                    executed.write_text(result["failed_notebook"], encoding="utf-8")
                try:
                    outcome = publish(job, result["rendered"], executed=executed, run=run)
                finally:
                    if executed is not None:
                        with contextlib.suppress(OSError):
                            executed.unlink()
                outcome.details["worker"] = result["worker"]
                finish(number, outcome)
        except BaseException:
            client.cancel(list(futures), force=True)
            raise
