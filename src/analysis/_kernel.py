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
  The kernel listens on Unix sockets beside it (``...-ipc-1`` to ``-5``) rather than on
  TCP ports: workers choosing "free" ports at the same moment could choose the same one.
* **Warm kernels.** When the worker has a zygote (:mod:`analysis._zygote`, see
  :func:`use_zygote`), the kernel is forked from it by :class:`ZygoteProvisioner`, a
  jupyter_client kernel provisioner, instead of started as a new Python process; if the
  zygote cannot fork it, the kernel starts cold as before.
* **No idle wait at start.** jupyter_client's ``wait_for_ready``, once the kernel has
  answered, drains the IOPub channel until nothing comes for 0,2 s: a fixed 0,2 s per
  report, a tenth of a warm report's time. :class:`ReportKernelClient` drains it with a
  short timeout instead (the messages of a starting kernel are already there, and
  nbclient ignores any IOPub message that answers none of its requests).
* **No idle wait at shutdown.** After the shutdown request, jupyter_client checks every
  0,1 s whether the kernel has exited; ours checks every 0,01 s.
* **A handle for interrupts.** The manager of the running kernel is registered, so the
  worker's SIGTERM handler can kill the kernel's process group at once
  (:func:`kill_running_kernels`) instead of leaving it to papermill's shutdown.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import secrets
import signal
import time
import uuid
from pathlib import Path
from queue import Empty

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner
from jupyter_core.paths import jupyter_runtime_dir
from traitlets import DottedObjectName, Type

from ._files import pid_alive
from ._zygote import Zygote, ZygoteUnavailable

__all__ = [
    "ReportKernelClient",
    "ReportKernelManager",
    "ZygoteProvisioner",
    "kill_running_kernels",
    "remove_dead_connection_files",
    "runtime_folder",
    "use_zygote",
]

_RUNNING: set[ReportKernelManager] = set()
_ZYGOTE: dict[str, Zygote | None] = {"current": None}
#: How this process's last kernel started: "warm" (forked) or "cold: <why>".
LAST_START: dict[str, str] = {"kernel": ""}


def use_zygote(zygote: Zygote | None) -> None:
    """Fork this process's next kernels from ``zygote`` (``None``: start them cold)."""
    _ZYGOTE["current"] = zygote


class ZygoteProvisioner(LocalProvisioner):
    """A kernel provisioner that forks the kernel from the worker's zygote.

    The kernel is the zygote's child, not ours, so it is followed by pid: alive while
    ``kill(pid, 0)`` finds it (the zygote reaps it as soon as it exits), signalled through
    its process group. Anything the zygote cannot fork starts cold (``LocalProvisioner``).
    """

    forked = False

    async def launch_kernel(self, cmd: list[str], **kwargs):
        zygote = _ZYGOTE["current"]
        env = dict(kwargs.get("env") or os.environ)
        if not kwargs.get("independent"):
            env["JPY_PARENT_PID"] = str(os.getpid())  # as jupyter_client's launcher sets
        cwd = str(kwargs.get("cwd") or Path.cwd())
        try:
            if zygote is None:
                raise ZygoteUnavailable("no zygote")
            pid = zygote.fork_kernel(cmd, env, cwd)
        except ZygoteUnavailable as exc:
            LAST_START["kernel"] = f"cold: {exc}"
            return await super().launch_kernel(cmd, **kwargs)
        LAST_START["kernel"] = "warm"
        self.forked = True
        self.pid = self.pgid = pid
        self.cwd = cwd
        return self.connection_info

    @property
    def has_process(self) -> bool:
        return self.pid is not None if self.forked else super().has_process

    async def poll(self) -> int | None:
        if not self.forked:
            return await super().poll()
        if self.pid is None:
            return 0
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return 0  # exited and reaped by the zygote
        except PermissionError:
            return None
        return None

    async def wait(self) -> int | None:
        if not self.forked:
            return await super().wait()
        while await self.poll() is None:
            await asyncio.sleep(0.05)
        self.pid = None
        return 0

    async def send_signal(self, signum: int) -> None:
        if not self.forked:
            return await super().send_signal(signum)
        if self.pid is None:
            return
        try:
            os.killpg(self.pgid, signum)
        except OSError:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signum)

    async def kill(self, restart: bool = False) -> None:
        if not self.forked:
            return await super().kill(restart=restart)
        await self.send_signal(signal.SIGKILL)

    async def terminate(self, restart: bool = False) -> None:
        if not self.forked:
            return await super().terminate(restart=restart)
        await self.send_signal(signal.SIGTERM)


_CONNECTION = re.compile(r"^kernel-analysis-(?P<pid>\d+)-[0-9a-f]+(\.json|-ipc-\d+)$")


def runtime_folder() -> Path:
    """Jupyter's runtime folder (``jupyter --runtime-dir``), created private if needed."""
    folder = Path(jupyter_runtime_dir())
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


class ReportKernelClient(AsyncKernelClient):
    """``AsyncKernelClient`` whose readiness check ends as soon as the kernel is ready."""

    #: How long to wait for one more IOPub message of the starting kernel, in seconds.
    drain_timeout = 0.02

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        """Return once the kernel answers ``kernel_info`` and IOPub is connected.

        As jupyter_client's, except the final drain of IOPub (see the module docstring).

        Raises
        ------
        RuntimeError
            When the kernel dies first, or does not answer within ``timeout`` seconds.
        """
        deadline = time.monotonic() + (timeout if timeout is not None else float("inf"))
        while True:
            self.kernel_info()
            try:
                reply = await self.shell_channel.get_msg(timeout=1)
            except Empty:
                reply = None
            if reply is not None and reply["msg_type"] == "kernel_info_reply":
                try:  # a message on IOPub proves the subscription is live
                    await self.iopub_channel.get_msg(timeout=0.2)
                except Empty:
                    pass
                else:
                    self._handle_kernel_info_reply(reply)
                    break
            if not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout:.0f} seconds")
        while True:
            try:
                await self.iopub_channel.get_msg(timeout=self.drain_timeout)
            except Empty:
                break


class ReportKernelManager(AsyncKernelManager):
    """``AsyncKernelManager`` with a quiet shutdown, named connection files, a kill hook."""

    client_class = DottedObjectName("analysis._kernel.ReportKernelClient")
    client_factory = Type(ReportKernelClient, klass=AsyncKernelClient)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name = f"kernel-analysis-{os.getpid()}-{secrets.token_hex(4)}"
        self.connection_file = str(runtime_folder() / f"{name}.json")
        # Unix sockets named after the connection file rather than TCP ports: two
        # workers picking "free" ports at once could pick the same one.
        self.transport = "ipc"
        self.ip = str(runtime_folder() / f"{name}-ipc")

    # AsyncKernelManager binds its public coroutines to KernelManager's functions, so
    # the public names are the ones to override.
    async def start_kernel(self, **kwargs) -> None:
        _RUNNING.add(self)
        await super().start_kernel(**kwargs)

    async def _async_pre_start_kernel(self, **kwargs):
        # The provisioner jupyter_client would take from the kernel spec (a local
        # process) is replaced by ours, which forks from the zygote when there is one.
        LAST_START["kernel"] = "cold"
        if self.provisioner is None and _ZYGOTE["current"] is not None:
            self.kernel_id = self.kernel_id or kwargs.pop("kernel_id", str(uuid.uuid4()))
            self.provisioner = ZygoteProvisioner(
                kernel_id=self.kernel_id, kernel_spec=self.kernel_spec, parent=self
            )
        return await super()._async_pre_start_kernel(**kwargs)

    async def _async_wait(self, pollinterval: float = 0.1) -> None:
        # After the shutdown request jupyter_client polls the kernel every 0,1 s; a kernel
        # that has finished its cells exits within a few milliseconds.
        await super()._async_wait(pollinterval=min(pollinterval, 0.01))

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
    for path in folder.glob("kernel-analysis-*"):
        match = _CONNECTION.match(path.name)
        if match and not pid_alive(int(match["pid"])):
            with contextlib.suppress(OSError):
                path.unlink()
                removed.append(path)
    return removed
