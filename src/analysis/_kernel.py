"""The kernel manager the batch hands to papermill, and how a worker stops its kernel.

papermill (through nbclient) starts one Jupyter kernel per report with the manager class
it is given. Ours changes three things of jupyter_client's ``AsyncKernelManager``:

* **No interrupt on a clean shutdown.** jupyter_client's ``shutdown_kernel`` first sends
  SIGINT to the kernel "to stop any running code", then asks it to shut down. After the
  last cell the kernel is idle, so the signal only lands in whatever message handler is
  running at that instant, and ipykernel logs ``KeyboardInterrupt caught in kernel`` (in
  about a third of builds). A kernel that papermill shuts down has finished its cells:
  we skip the interrupt; a kernel that does not answer the shutdown request is still
  killed after jupyter_client's grace period.
* **Connection files we can recognise.** They go to Jupyter's runtime folder as
  ``kernel-analysis-<worker pid>-<random>.json`` instead of anonymous ``/tmp/tmp*.json``,
  so that the next build removes those of dead workers (:func:`remove_dead_connection_files`).
* **A handle for interrupts.** The manager of the running kernel is registered, so the
  worker's SIGTERM handler can kill the kernel's process group at once
  (:func:`kill_running_kernels`) instead of leaving it to papermill's shutdown.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import signal
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from jupyter_core.paths import jupyter_runtime_dir

from ._files import pid_alive

__all__ = [
    "ReportKernelManager",
    "kill_running_kernels",
    "remove_dead_connection_files",
    "runtime_folder",
]

_RUNNING: set[ReportKernelManager] = set()
_CONNECTION = re.compile(r"^kernel-analysis-(?P<pid>\d+)-[0-9a-f]+\.json$")


def runtime_folder() -> Path:
    """Jupyter's runtime folder (``jupyter --runtime-dir``), created private if needed."""
    folder = Path(jupyter_runtime_dir())
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


class ReportKernelManager(AsyncKernelManager):
    """``AsyncKernelManager`` with a quiet shutdown, named connection files, a kill hook."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name = f"kernel-analysis-{os.getpid()}-{secrets.token_hex(4)}.json"
        self.connection_file = str(runtime_folder() / name)

    # AsyncKernelManager binds its public coroutines to KernelManager's functions, so
    # the public names are the ones to override.
    async def start_kernel(self, **kwargs) -> None:
        _RUNNING.add(self)
        await super().start_kernel(**kwargs)

    async def _async_interrupt_kernel(self) -> None:
        # Called by ``_async_shutdown_kernel`` before the shutdown request.
        if self.shutting_down:  # see the module docstring: the cells are done
            return
        await super()._async_interrupt_kernel()

    async def cleanup_resources(self, restart: bool = False) -> None:
        await super().cleanup_resources(restart=restart)
        if not restart:
            _RUNNING.discard(self)

    def kill_now(self) -> None:
        """Kill the kernel's process group and remove its connection file (no await).

        Safe to call from a signal handler: it only sends a signal and unlinks a file.
        """
        pid = getattr(self.provisioner, "pid", None)
        if pid:
            with contextlib.suppress(OSError):
                os.killpg(pid, signal.SIGKILL)  # the kernel leads its own session
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            os.remove(self.connection_file)
        _RUNNING.discard(self)


def kill_running_kernels() -> None:
    """Kill every kernel this process started and has not shut down yet."""
    for manager in list(_RUNNING):
        manager.kill_now()


def remove_dead_connection_files(folder: str | os.PathLike | None = None) -> list[Path]:
    """Remove the connection files of our kernels whose worker process no longer exists."""
    folder = Path(folder) if folder is not None else Path(jupyter_runtime_dir())
    removed = []
    if not folder.is_dir():
        return removed
    for path in folder.glob("kernel-analysis-*.json"):
        match = _CONNECTION.match(path.name)
        if match and not pid_alive(int(match["pid"])):
            with contextlib.suppress(OSError):
                path.unlink()
                removed.append(path)
    return removed
