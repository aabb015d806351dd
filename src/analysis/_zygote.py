"""Warm, isolated kernels: a pre-warmed process that forks one fresh kernel per report.

A cold kernel pays, for every report, the start of a Python process, the imports of
ipykernel, IPython, pandas, matplotlib, seaborn and the package (about 3 s), and the
reading of the data. A **zygote** pays them once per batch worker: it imports all that,
reads every table of :class:`analysis.datasets.Datasets` for the build's data folder
(:func:`analysis.datasets.preload`), then waits. For each report the worker's kernel
provisioner (:class:`analysis._kernel.ZygoteProvisioner`) asks it for a kernel; it
``fork()``s, and the child becomes exactly the process ``python -m ipykernel_launcher -f
<connection file>`` would have been: its own session and process group, the kernel's
command line, environment and working folder, then ipykernel's own start-up.

Isolation comes from ``fork``: each kernel starts from the zygote's state, never from a
previous report's. Whatever a report changes (a matplotlib setting, a module global, a
cache, an open figure) dies with its process. The zygote itself never runs a report, a
cell or an event loop; it holds no thread, no zmq context and no open kernel, so forking
it is safe. papermill stays the executor: it talks to the forked kernel through its
connection file as to any other.

A kernel is forked only for the environment the zygote was started with (libraries read
some variables once, on import: ipykernel its parent's pid, matplotlib its backend), and
only for ``<this python> -m ipykernel_launcher``; anything else starts cold.

The protocol is one JSON line each way on two pipes: ``{"argv", "env", "cwd"}`` in,
``{"pid"}`` (or ``{"error"}``) out. The zygote reaps its children on SIGCHLD and, when its
worker goes away (end of file on the request pipe), kills the kernels still running.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
import traceback

__all__ = ["INLINE_BACKEND", "Zygote", "ZygoteUnavailable", "main"]

#: The backend ipykernel selects in every kernel (through ``MPLBACKEND``) before any user
#: code imports matplotlib; the zygote imports matplotlib, so it sets it first.
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"

_LAUNCHER = ["-m", "ipykernel_launcher"]


class ZygoteUnavailable(RuntimeError):
    """The zygote cannot fork this kernel (other command, or the zygote is gone)."""


# -- client side: the batch worker -----------------------------------------------------
class Zygote:
    """A zygote process started by a batch worker, and the pipes to talk to it.

    Parameters
    ----------
    data_dir : str, optional
        Raw-data folder whose tables the zygote preloads.
    """

    def __init__(self, data_dir: str | None = None):
        requests_r, self._requests_w = os.pipe()
        self._responses_r, responses_w = os.pipe()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "from analysis._zygote import main; main()",
                str(requests_r),
                str(responses_w),
                data_dir or "",
            ],
            pass_fds=(requests_r, responses_w),
            stdin=subprocess.DEVNULL,
            # The environment its kernels will get (jupyter_client's launcher adds
            # JPY_PARENT_PID): modules read some variables once, when imported.
            env={**os.environ, "JPY_PARENT_PID": str(os.getpid())},
        )
        os.close(requests_r)
        os.close(responses_w)
        self._responses = os.fdopen(self._responses_r, "rb")
        self._lock = threading.Lock()
        self.ready: dict | None = None

    @property
    def pid(self) -> int:
        """The zygote's process id."""
        return self.process.pid

    def alive(self) -> bool:
        """Whether the zygote is still running."""
        return self.process.poll() is None

    def _read(self) -> dict:
        line = self._responses.readline()
        if not line:
            raise ZygoteUnavailable(f"the zygote (pid {self.pid}) exited")
        return json.loads(line)

    def wait_ready(self) -> dict:
        """Block until the zygote has imported and preloaded; return what it reported."""
        with self._lock:
            if self.ready is None:
                self.ready = self._read()
            return self.ready

    def fork_kernel(self, argv: list[str], env: dict[str, str], cwd: str) -> int:
        """Return the pid of a new kernel forked from the zygote for this command line.

        Raises
        ------
        ZygoteUnavailable
            When the command is not ``<this python> -m ipykernel_launcher ...`` or the
            zygote is gone; the caller then starts a cold kernel.
        """
        if not _is_our_kernel(argv):
            raise ZygoteUnavailable(f"not a kernel of this Python: {argv[:3]}")
        self.wait_ready()
        request = json.dumps({"argv": argv, "env": dict(env), "cwd": str(cwd)}) + "\n"
        with self._lock:
            try:
                os.write(self._requests_w, request.encode())
            except OSError as exc:
                raise ZygoteUnavailable(f"the zygote (pid {self.pid}) is gone: {exc}") from None
            answer = self._read()
        if "pid" not in answer:
            raise ZygoteUnavailable(answer.get("error", "no pid"))
        return int(answer["pid"])

    def close(self, timeout: float = 5.0) -> None:
        """Close the request pipe (the zygote kills its kernels and exits) and wait."""
        with contextlib.suppress(OSError):
            os.close(self._requests_w)
        with contextlib.suppress(OSError):
            self._responses.close()
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _is_our_kernel(argv: list[str]) -> bool:
    """Whether ``argv`` runs ipykernel with this very Python (the zygote's)."""
    return (
        len(argv) >= 3
        and list(argv[1:3]) == _LAUNCHER
        and os.path.realpath(argv[0]) == os.path.realpath(sys.executable)
    )


# -- server side: the zygote process ---------------------------------------------------
_CHILDREN: set[int] = set()


def _reap(signum=None, frame=None) -> None:
    """Collect the exit status of every finished kernel (no zombie stays behind)."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        _CHILDREN.discard(pid)


@contextlib.contextmanager
def _quiet_stderr():
    """Send file descriptor 2 to /dev/null for the duration of the block."""
    sys.stderr.flush()
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def warm(data_dir: str | None) -> dict:
    """Import what every kernel imports, and preload the data; return timings."""
    started = time.perf_counter()
    os.environ.setdefault("MPLBACKEND", INLINE_BACKEND)
    with _quiet_stderr():  # debugpy warns, on import, about frozen modules
        import ipykernel.debugger  # the kernel's own imports, debugpy's too
    import ipykernel.ipkernel
    import ipykernel.kernelapp  # noqa: F401

    import analysis.sections  # noqa: F401  (pandas, matplotlib, seaborn, the package)

    imported = time.perf_counter()
    error = ""
    try:
        from analysis.datasets import preload

        preload(data_dir or None)
    except Exception as exc:  # the reports will meet the error and say it in place
        error = f"{type(exc).__name__}: {exc}"
    return {
        "imports": round(imported - started, 3),
        "data": round(time.perf_counter() - imported, 3),
        "preload_error": error,
        "threads": threading.active_count(),
    }


def _become_kernel(request: dict, fds: tuple[int, ...]) -> None:  # pragma: no cover
    """In the forked child: turn into ``python -m ipykernel_launcher ...`` and run it."""
    code = 1
    try:
        os.setsid()  # its own session and process group, as jupyter_client gives a kernel
        for signum in (signal.SIGCHLD, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        for fd in fds:
            os.close(fd)
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.close(devnull)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        import ipykernel_launcher

        sys.argv = [ipykernel_launcher.__file__, *request["argv"][3:]]
        from ipykernel import kernelapp

        kernelapp.launch_new_instance()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:
        traceback.print_exc()
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)


def main() -> None:  # pragma: no cover - runs as its own process
    """Entry point: ``python -c 'from analysis._zygote import main; main()' R W DATA``."""
    requests, responses, data_dir = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    if sys.path and sys.path[0] == "":  # as ipykernel_launcher does: not the cwd
        del sys.path[0]
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the build's business
    out = os.fdopen(responses, "wb", buffering=0)
    # Libraries read some variables when imported (ipykernel its parent's pid, matplotlib
    # its backend): a kernel is forked only for the environment the zygote started with.
    environment = dict(os.environ)
    stats = warm(data_dir)
    signal.signal(signal.SIGCHLD, _reap)
    out.write((json.dumps({"ready": True, **stats}) + "\n").encode())
    with os.fdopen(requests, "rb") as incoming:
        for line in incoming:
            try:
                request = json.loads(line)
                if not _is_our_kernel(request["argv"]):
                    raise ValueError(f"not a kernel of this Python: {request['argv'][:3]}")
                if request["env"] != environment:
                    changed = sorted(
                        k
                        for k in request["env"].keys() | environment.keys()
                        if request["env"].get(k) != environment.get(k)
                    )
                    raise ValueError(f"environment differs from the zygote's: {changed}")
            except (ValueError, KeyError) as exc:
                out.write((json.dumps({"error": str(exc)}) + "\n").encode())
                continue
            pid = os.fork()
            if pid == 0:
                _become_kernel(request, (requests, responses))
            _CHILDREN.add(pid)
            out.write((json.dumps({"pid": pid}) + "\n").encode())
    # The worker is gone (or done): no kernel of ours outlives it.
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    for pid in list(_CHILDREN):
        with contextlib.suppress(OSError):
            os.killpg(pid, signal.SIGKILL)
    for pid in list(_CHILDREN):
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)  # SIGKILL: at once; no zombie is left to init
