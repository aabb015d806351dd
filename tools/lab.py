"""Run a notebook through a real JupyterLab server, and photograph JupyterLab.

Usage::

    .venv/bin/python tools/lab.py run notebooks/00-explore.ipynb
    .venv/bin/python tools/lab.py screenshot notebooks/00-explore.ipynb docs/jupyterlab.png

``run`` starts ``jupyter lab`` on 127.0.0.1 with a random token, runs every code cell of
the notebook through the server's REST and websocket kernel API on the "analysis"
kernel (as JupyterLab itself does), prints the output types of each cell and stops the
server; on an error it prints the cell number and the traceback and exits with 1.
``screenshot`` runs a temporary copy of the notebook the same way, saves its outputs in
that copy (the committed notebook stays stripped), opens it in JupyterLab in headless
Chromium and saves the window as a PNG: the README's picture.

The server gets its own temporary runtime, configuration, data, settings and workspace
folders (and the kernel its own IPython folder), so nothing of the user's Jupyter set-up
leaks in and nothing is left behind. Needs only the project's virtual environment (tornado
comes with jupyter-server) and, for the screenshot, Debian's ``chromium`` (``make browser``).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import dataclasses
import datetime as dt
import getpass
import json
import os
import re
import secrets
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
KERNEL = "analysis"
#: The package reads its raw data from there when set (see analysis.config).
DATA_DIR_ENV = "ANALYSIS_DATA_DIR"
PROTOCOL_VERSION = "5.3"
_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")
_WIDGET_STATE = "application/vnd.jupyter.widget-state+json"

__all__ = [
    "CellError",
    "CellRun",
    "LabError",
    "LabServer",
    "NotebookRun",
    "free_port",
    "main",
    "run_notebook",
    "save_outputs",
    "screenshot",
    "strip_ansi",
]


class LabError(RuntimeError):
    """The server, the kernel or the browser did not do what was asked."""


class CellError(LabError):
    """A code cell raised an exception in the kernel.

    Parameters
    ----------
    path : str
        The notebook's path on the server.
    cell : int
        The cell's number in the notebook, from 1, counting every cell as JupyterLab does.
    ename, evalue : str
        The exception's class name and message.
    traceback : list of str
        The traceback's lines as the kernel sent them, ANSI colour codes removed.
    """

    def __init__(self, path: str, cell: int, ename: str, evalue: str, traceback: list[str]):
        self.path, self.cell = path, cell
        self.ename, self.evalue, self.traceback = ename, evalue, traceback
        text = "\n".join(traceback).rstrip()
        super().__init__(f"{path}: cell {cell} raised {ename}: {evalue}\n{text}")


def strip_ansi(text: str) -> str:
    """Return ``text`` without its ANSI escape sequences (the colours of a traceback)."""
    return _ANSI.sub("", text)


def free_port() -> int:
    """Return a TCP port of 127.0.0.1 that was free a moment ago (the system chose it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _jupyter() -> str:
    """Return the ``jupyter`` command of the environment running this module."""
    for folder in (Path(sys.prefix) / "bin", ROOT / ".venv" / "bin"):
        if (folder / "jupyter").is_file():
            return str(folder / "jupyter")
    found = shutil.which("jupyter")
    if found is None:
        raise LabError("No `jupyter` command: run `make venv` and use .venv/bin/python.")
    return found


class LabServer:
    """A ``jupyter lab`` process on 127.0.0.1 with a random token, as a context manager.

    Parameters
    ----------
    root_dir : path-like
        The folder the server shows and where a notebook's kernel starts (its notebook's
        folder is the kernel's working directory). Defaults to the project's notebooks.
    startup_timeout : float
        Seconds to wait for ``GET /api/status`` to answer.
    stop_timeout : float
        Seconds left to the server to stop on SIGTERM before it is killed.

    Attributes
    ----------
    port : int
        The server's port on 127.0.0.1.
    token : str
        The token every request carries.
    url : str
        ``http://127.0.0.1:<port>/``.
    process : subprocess.Popen or None
        The server's process while it runs.

    Examples
    --------
    >>> with LabServer("notebooks") as server:  # doctest: +SKIP
    ...     summary = run_notebook(server, "00-explore.ipynb")
    """

    def __init__(
        self,
        root_dir: str | os.PathLike = NOTEBOOKS,
        *,
        startup_timeout: float = 60.0,
        stop_timeout: float = 10.0,
    ):
        self.root_dir = Path(root_dir).resolve()
        self.startup_timeout = startup_timeout
        self.stop_timeout = stop_timeout
        self.port = 0
        self.token = ""
        self.process: subprocess.Popen | None = None
        self._home: tempfile.TemporaryDirectory | None = None
        self._log: Any = None

    @property
    def url(self) -> str:
        """The server's base URL."""
        return f"http://127.0.0.1:{self.port}/"

    @property
    def log_path(self) -> Path:
        """The file that receives the server's output (and its kernels')."""
        if self._home is None:
            raise LabError("The server is not started.")
        return Path(self._home.name) / "server.log"

    def __enter__(self) -> LabServer:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _environment(self, home: Path) -> dict[str, str]:
        env = dict(os.environ)
        for name in ("config", "data", "runtime", "settings", "workspaces", "ipython"):
            (home / name).mkdir()
        env.update(
            JUPYTER_TOKEN=self.token,  # not on the command line, where `ps` shows it
            JUPYTER_CONFIG_DIR=str(home / "config"),
            JUPYTER_DATA_DIR=str(home / "data"),
            JUPYTER_RUNTIME_DIR=str(home / "runtime"),
            JUPYTERLAB_SETTINGS_DIR=str(home / "settings"),
            JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"),
            IPYTHONDIR=str(home / "ipython"),
            PYTHONUNBUFFERED="1",
        )
        env.pop("JUPYTER_TOKEN_FILE", None)
        # No news or update prompt over the notebook in a screenshot, and no request out.
        notification = home / "settings" / "@jupyterlab" / "apputils-extension"
        notification.mkdir(parents=True)
        (notification / "notification.jupyterlab-settings").write_text(
            json.dumps({"fetchNews": "false", "checkForUpdates": False}), encoding="utf-8"
        )
        # The package finds data/raw above its working directory; a root outside the
        # checkout (the screenshot's copy) is told where the checkout's data are.
        if DATA_DIR_ENV not in env and not self.root_dir.is_relative_to(ROOT):
            env[DATA_DIR_ENV] = str(ROOT / "data" / "raw")
        return env

    def start(self) -> None:
        """Start the server and wait until its API answers.

        The port is chosen free just before; if another process takes it in between,
        the server exits at once and is started again on another port (twice at most).

        Raises
        ------
        LabError
            When the server exits or does not answer within ``startup_timeout`` seconds;
            the message ends with the last lines of its log.
        """
        if self.process is not None:
            raise LabError("The server is already started.")
        if not self.root_dir.is_dir():
            raise LabError(f"No folder {self.root_dir} to serve.")
        for attempt in range(3):
            try:
                self._launch()
                return
            except LabError as error:
                if attempt == 2 or "is not available" not in str(error):
                    raise

    def _launch(self) -> None:
        self._home = tempfile.TemporaryDirectory(prefix="analysis-lab-")
        home = Path(self._home.name)
        self.token = secrets.token_hex(24)
        self.port = free_port()
        command = [
            _jupyter(),
            "lab",
            "--no-browser",
            "--ip=127.0.0.1",
            f"--port={self.port}",
            "--ServerApp.port_retries=0",
            f"--ServerApp.root_dir={self.root_dir}",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--LabApp.news_url=",
        ]
        if hasattr(os, "getuid") and os.getuid() == 0:
            command.append("--allow-root")
        self._log = open(self.log_path, "wb")  # closed by stop()
        try:
            self.process = subprocess.Popen(
                command,
                cwd=self.root_dir,
                env=self._environment(home),
                stdin=subprocess.DEVNULL,
                stdout=self._log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # a Ctrl-C in the terminal reaches us, not it
            )
            self._wait_ready()
        except BaseException:
            self.stop()
            raise

    def _wait_ready(self) -> None:
        assert self.process is not None
        deadline = time.monotonic() + self.startup_timeout
        while True:
            if self.process.poll() is not None:
                raise LabError(
                    f"jupyter lab exited with code {self.process.returncode} before "
                    f"answering:\n{self.log_tail()}"
                )
            try:
                self.api("GET", "api/status", timeout=2)
                return
            except (OSError, LabError):
                pass
            if time.monotonic() > deadline:
                raise LabError(
                    f"jupyter lab did not answer on {self.url} within "
                    f"{self.startup_timeout:.0f} s:\n{self.log_tail()}"
                )
            time.sleep(0.1)

    def api(self, method: str, path: str, body: Any = None, *, timeout: float = 30) -> Any:
        """Send a request to the server's REST API and return the decoded JSON answer.

        Parameters
        ----------
        method : str
            ``GET``, ``POST``, ``PUT``, ``PATCH`` or ``DELETE``.
        path : str
            The path after the base URL, e.g. ``api/sessions``.
        body : object, optional
            Sent as JSON.

        Returns
        -------
        object
            The decoded answer, ``None`` when it is empty (``204 No Content``).

        Raises
        ------
        LabError
            On an HTTP error status, with the server's message.
        """
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(
            self.url + path,
            data=data,
            method=method,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as answer:
                text = answer.read()
        except urllib.error.HTTPError as error:
            detail = error.read().decode("utf-8", "replace")
            with contextlib.suppress(ValueError, AttributeError):
                detail = json.loads(detail).get("message") or detail
            raise LabError(f"{method} /{path}: HTTP {error.code}: {detail}") from None
        return json.loads(text) if text else None

    def log_tail(self, lines: int = 40) -> str:
        """Return the last ``lines`` lines of the server's log."""
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except (OSError, LabError):
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL after ``stop_timeout``) and clean up.

        The server shuts its kernels down when it stops on SIGTERM; the kernels still
        running are first shut down through the API, so that none is left even if the
        server has to be killed.
        """
        process, self.process = self.process, None
        if process is not None:
            if process.poll() is None:
                with contextlib.suppress(OSError, LabError):
                    for kernel in self.api("GET", "api/kernels", timeout=5):
                        self.api("DELETE", f"api/kernels/{kernel['id']}", timeout=10)
                process.terminate()
                try:
                    process.wait(self.stop_timeout)
                except subprocess.TimeoutExpired:
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(process.pid, signal.SIGKILL)
                    process.wait(self.stop_timeout)
            else:
                process.wait()
        if self._log is not None:
            self._log.close()
            self._log = None
        if self._home is not None:
            self._home.cleanup()
            self._home = None


@dataclasses.dataclass(frozen=True)
class CellRun:
    """What one code cell showed.

    Attributes
    ----------
    number : int
        The cell's number in the notebook, from 1, counting every cell.
    mime_types : tuple of str
        The MIME types of its rich outputs, in order of first appearance
        (``text/html``, ``image/png``, ``application/vnd.jupyter.widget-view+json``...).
    streams : tuple of str
        The streams it wrote to (``stdout``, ``stderr``).
    outputs : tuple of dict
        Its outputs in the notebook format (nbformat 4).
    """

    number: int
    mime_types: tuple[str, ...]
    streams: tuple[str, ...]
    outputs: tuple[dict, ...]


@dataclasses.dataclass(frozen=True)
class NotebookRun:
    """The result of :func:`run_notebook`.

    Attributes
    ----------
    path : str
        The notebook's path on the server.
    kernel_name : str
        The name of the kernel of the session, as the server reported it.
    cells : tuple of CellRun
        One per code cell, in order.
    notebook : dict
        The notebook with its outputs, the state of its widgets and the kernel's
        ``kernelspec`` and ``language_info`` metadata, as JupyterLab would save it.
    seconds : float
        The time from the session's request to the last cell's end.
    """

    path: str
    kernel_name: str
    cells: tuple[CellRun, ...]
    notebook: dict
    seconds: float

    @property
    def mime_types(self) -> set[str]:
        """Every MIME type that some cell showed."""
        return {mime for cell in self.cells for mime in cell.mime_types}

    def summary(self) -> str:
        """Return one line per code cell: its number and what it showed."""
        lines = [
            f"{self.path}: {len(self.cells)} code cell{'s' * (len(self.cells) != 1)} ran "
            f'without error on the "{self.kernel_name}" kernel in {self.seconds:.1f} s'
        ]
        for cell in self.cells:
            shown = [*cell.mime_types, *(f"stream/{name}" for name in cell.streams)]
            lines.append(f"  cell {cell.number}: {', '.join(shown) or '(no output)'}")
        return "\n".join(lines)


def _message(msg_type: str, content: dict, session: str) -> dict:
    """Build a shell message of the Jupyter messaging protocol (v5.3)."""
    try:
        user = getpass.getuser()
    except (OSError, KeyError):
        user = "analysis"
    header = {
        "msg_id": uuid.uuid4().hex,
        "msg_type": msg_type,
        "username": user,
        "session": session,
        "date": dt.datetime.now(dt.UTC).isoformat(),
        "version": PROTOCOL_VERSION,
    }
    return {
        "header": header,
        "parent_header": {},
        "metadata": {},
        "content": content,
        "channel": "shell",
        "buffers": [],
    }


def _decode(frame: str | bytes) -> tuple[dict, list[bytes]]:
    """Decode a websocket frame of the server: JSON text, or binary with buffers."""
    if isinstance(frame, str):
        return json.loads(frame), []
    (count,) = struct.unpack_from("!I", frame)
    offsets = [*struct.unpack_from(f"!{count}I", frame, 4), len(frame)]
    parts = [frame[offsets[i] : offsets[i + 1]] for i in range(count)]
    return json.loads(parts[0]), parts[1:]


class _Widgets:
    """The state of the widgets a kernel opened, as JupyterLab saves it in a notebook."""

    def __init__(self) -> None:
        self.models: dict[str, dict] = {}

    def handle(self, msg_type: str, content: dict, buffers: list[bytes]) -> None:
        comm = content.get("comm_id")
        data = content.get("data") or {}
        if msg_type == "comm_open" and content.get("target_name") == "jupyter.widget":
            state = dict(data.get("state") or {})
            self.models[comm] = {
                "model_name": state.get("_model_name"),
                "model_module": state.get("_model_module"),
                "model_module_version": state.get("_model_module_version"),
                "state": state,
            }
        elif msg_type == "comm_msg" and comm in self.models:
            if data.get("method") in ("update", "echo_update"):
                self.models[comm]["state"].update(data.get("state") or {})
        elif msg_type == "comm_close":
            self.models.pop(comm, None)
            return
        else:
            return
        paths = data.get("buffer_paths") or []
        if comm in self.models and paths:
            stored = self.models[comm].setdefault("buffers", [])
            for path, buffer in zip(paths, buffers, strict=False):
                stored.append(
                    {"encoding": "base64", "path": path, "data": base64.b64encode(buffer).decode()}
                )

    def metadata(self) -> dict:
        return {_WIDGET_STATE: {"version_major": 2, "version_minor": 0, "state": self.models}}


class _Kernel:
    """A websocket connection to a kernel of the server, for running cells one by one."""

    def __init__(self, server: LabServer, path: str, kernel_id: str, timeout: float):
        self.server, self.path, self.kernel_id, self.timeout = server, path, kernel_id, timeout
        self.session = uuid.uuid4().hex
        self.widgets = _Widgets()
        self.connection: Any = None
        self.language_info: dict = {}
        #: The outputs shown with a display id, which ``update_display_data`` replaces.
        self.displays: dict[str, list[dict]] = {}

    async def connect(self) -> None:
        """Open the websocket and wait until the kernel answers ``kernel_info``."""
        from tornado.httpclient import HTTPRequest
        from tornado.websocket import websocket_connect

        request = HTTPRequest(
            f"ws://127.0.0.1:{self.server.port}/api/kernels/{self.kernel_id}/channels"
            f"?session_id={self.session}",
            headers={"Authorization": f"token {self.server.token}"},
            connect_timeout=self.timeout,
            request_timeout=self.timeout,
        )
        self.connection = await websocket_connect(request, max_message_size=1 << 28)
        msg_id = self.send("kernel_info_request", {})
        deadline = time.monotonic() + self.timeout
        while True:
            msg, _ = await self.receive(deadline, "the kernel's start")
            if msg.get("parent_header", {}).get("msg_id") == msg_id and (
                msg["header"]["msg_type"] == "kernel_info_reply"
            ):
                self.language_info = msg["content"].get("language_info", {})
                return

    async def close(self) -> None:
        """Close the websocket and wait (a little) for the server to close its side."""
        if self.connection is None:
            return
        self.connection.close()
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(5):
                while await self.connection.read_message() is not None:
                    pass

    def send(self, msg_type: str, content: dict) -> str:
        """Send a shell message and return its ``msg_id``."""
        message = _message(msg_type, content, self.session)
        self.connection.write_message(json.dumps(message))
        return message["header"]["msg_id"]

    async def receive(self, deadline: float, what: str) -> tuple[dict, list[bytes]]:
        """Return the next message from any channel, with its binary buffers."""
        remaining = deadline - time.monotonic()
        try:
            if remaining <= 0:
                raise TimeoutError
            frame = await asyncio.wait_for(self.connection.read_message(), remaining)
        except TimeoutError:
            raise LabError(f"{self.path}: {what} took more than {self.timeout:g} s") from None
        if frame is None:
            raise LabError(f"{self.path}: the kernel's websocket closed during {what}")
        return _decode(frame)

    async def run(self, number: int, cell: dict) -> CellRun:
        """Execute one code cell; store its outputs and execution count in ``cell``.

        Raises
        ------
        CellError
            When the cell raises, unless it is tagged ``raises-exception``.
        """
        msg_id = self.send(
            "execute_request",
            {
                "code": "".join(cell.get("source", "")),
                "silent": False,
                "store_history": True,
                "user_expressions": {},
                "allow_stdin": False,
                "stop_on_error": True,
            },
        )
        deadline = time.monotonic() + self.timeout
        outputs: list[dict] = []
        mime_types: list[str] = []
        streams: list[str] = []
        error: dict | None = None
        reply: dict | None = None
        idle = clear_pending = False
        while not (idle and reply is not None):
            msg, buffers = await self.receive(deadline, f"cell {number}")
            msg_type, content = msg["header"]["msg_type"], msg.get("content", {})
            if msg_type in ("comm_open", "comm_msg", "comm_close"):
                self.widgets.handle(msg_type, content, buffers)
                continue
            if msg_type == "status" and content.get("execution_state") in ("restarting", "dead"):
                raise LabError(f"{self.path}: the kernel died while running cell {number}")
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            if msg_type == "execute_reply":
                reply = content
                if content.get("status") == "error" and error is None:
                    error = content
            elif msg_type == "status":
                idle = content.get("execution_state") == "idle"
            elif msg_type == "update_display_data":
                display = content.get("transient", {}).get("display_id")
                for shown in self.displays.get(display, []):
                    shown.update(data=content["data"], metadata=content["metadata"])
            elif msg_type == "clear_output":
                clear_pending = bool(content.get("wait"))
                if not clear_pending:
                    outputs.clear()
            elif msg_type in ("stream", "display_data", "execute_result", "error"):
                if clear_pending:
                    outputs.clear()
                    clear_pending = False
                output = _output(msg_type, content)
                if msg_type == "error":
                    error = content
                elif msg_type == "stream":
                    if output["name"] not in streams:
                        streams.append(output["name"])
                    last = outputs[-1] if outputs else {}
                    if last.get("output_type") == "stream" and last["name"] == output["name"]:
                        last["text"] += output["text"]
                        continue
                else:
                    mime_types.extend(m for m in output["data"] if m not in mime_types)
                    display = content.get("transient", {}).get("display_id")
                    if display:
                        self.displays.setdefault(display, []).append(output)
                outputs.append(output)
        cell["outputs"] = outputs
        cell["execution_count"] = reply.get("execution_count")
        if error is not None and "raises-exception" not in cell.get("metadata", {}).get("tags", []):
            traceback = [strip_ansi(line) for line in error.get("traceback") or []]
            raise CellError(
                self.path, number, error.get("ename", ""), error.get("evalue", ""), traceback
            )
        return CellRun(number, tuple(mime_types), tuple(streams), tuple(outputs))


def _output(msg_type: str, content: dict) -> dict:
    """Return the notebook output (nbformat 4) that an IOPub message shows."""
    if msg_type == "stream":
        return {"output_type": "stream", "name": content["name"], "text": content["text"]}
    if msg_type == "error":
        keys = ("ename", "evalue", "traceback")
        return {"output_type": "error", **{key: content[key] for key in keys}}
    output = {"output_type": msg_type, "data": content["data"], "metadata": content["metadata"]}
    if msg_type == "execute_result":
        output["execution_count"] = content["execution_count"]
    return output


async def _run_cells(
    server: LabServer, path: str, kernel_id: str, notebook: dict, timeout: float
) -> list[CellRun]:
    """Run the code cells of ``notebook`` in order on the kernel; fill in their outputs."""
    kernel = _Kernel(server, path, kernel_id, timeout)
    try:
        await kernel.connect()
        cells = [
            await kernel.run(number, cell)
            for number, cell in enumerate(notebook["cells"], start=1)
            if cell.get("cell_type") == "code"
        ]
    finally:
        await kernel.close()
    metadata = notebook.setdefault("metadata", {})
    if kernel.language_info:
        metadata["language_info"] = kernel.language_info
    if kernel.widgets.models:
        metadata["widgets"] = kernel.widgets.metadata()
    return cells


def run_notebook(
    server: LabServer,
    path: str,
    kernel_name: str = KERNEL,
    *,
    timeout: float = 120.0,
    keep_session: bool = False,
) -> NotebookRun:
    """Run every code cell of a notebook on the server, as JupyterLab's "Run All" does.

    The notebook is read through the contents API; a session is opened for it with
    ``POST /api/sessions`` on the kernel ``kernel_name``; the cells are sent in order as
    ``execute_request`` messages over the kernel's websocket
    (``/api/kernels/<id>/channels``), and each cell's IOPub messages are collected until
    the kernel is idle again. The session, and so its kernel, is deleted at the end,
    whatever happened, unless ``keep_session`` and the notebook ran. The kernel's working
    directory is the notebook's folder.

    Parameters
    ----------
    server : LabServer
        A started server.
    path : str
        The notebook's path relative to the server's root folder (``/`` separated).
    kernel_name : str
        The kernelspec to run it on; the session must report exactly this kernel.
    timeout : float
        Seconds allowed to the kernel's start and to each cell.
    keep_session : bool
        Leave the session and its kernel running after a successful run, for JupyterLab
        to join when it opens the notebook (its widgets then stay live); the server
        shuts it down when it stops.

    Returns
    -------
    NotebookRun
        For each code cell, the MIME types and streams of its outputs; and the notebook
        with its outputs.

    Raises
    ------
    CellError
        When a cell raises: the cell's number (counting every cell from 1) and the
        traceback without its colour codes.
    LabError
        When the kernel is not installed, is not the one asked for, dies or is too slow.

    Notes
    -----
    Runs its own event loop: call it from synchronous code, not from a running loop.
    """
    path = path.lstrip("/")
    specs = server.api("GET", "api/kernelspecs")["kernelspecs"]
    if kernel_name not in specs:
        raise LabError(
            f"The server knows no kernel named {kernel_name!r} (only {sorted(specs)}): "
            "`make venv` installs the project's."
        )
    notebook = server.api("GET", f"api/contents/{quote(path)}?type=notebook&content=1")["content"]
    start = time.monotonic()
    session = _post_session(server, path, kernel_name)
    try:
        name = session["kernel"]["name"]
        if name != kernel_name:
            raise LabError(f"{path}: the session got the kernel {name!r}, not {kernel_name!r}")
        cells = asyncio.run(_run_cells(server, path, session["kernel"]["id"], notebook, timeout))
    except BaseException:
        keep_session = False
        raise
    finally:
        if not keep_session:
            with contextlib.suppress(LabError, OSError):
                server.api("DELETE", f"api/sessions/{session['id']}")
    spec = specs[kernel_name]["spec"]
    notebook["metadata"]["kernelspec"] = {
        "name": kernel_name,
        "display_name": spec.get("display_name", kernel_name),
        "language": spec.get("language", ""),
    }
    return NotebookRun(path, name, tuple(cells), notebook, time.monotonic() - start)


def _chromium() -> str:
    """Return Chromium's executable, found as the project's other screenshots find it."""
    from analysis.browser import chromium

    try:
        return chromium()
    except FileNotFoundError as error:
        raise LabError(str(error)) from None


def screenshot(
    server: LabServer,
    path: str,
    out_png: str | os.PathLike,
    *,
    width: int = 1400,
    height: int = 900,
    budget_ms: int = 20_000,
    kernel_name: str = KERNEL,
    attempts: int = 3,
) -> Path:
    """Open a notebook in JupyterLab in headless Chromium and save the window as a PNG.

    JupyterLab is a JavaScript application: Chromium is given ``budget_ms`` of virtual
    time to load it, open the notebook, connect to its kernel and render the outputs.
    The notebook's session is opened beforehand, unless it is open already (see
    ``run_notebook(..., keep_session=True)``), and JupyterLab joins it: virtual time does
    not wait for a kernel's start. Chromium saves the DOM with the picture: unless it
    shows the notebook, its outputs and the kernel "Idle", the picture is taken again, up
    to ``attempts`` times.

    Parameters
    ----------
    server : LabServer
        A started server.
    path : str
        The notebook's path relative to the server's root folder.
    out_png : path-like
        Where the PNG goes; its folder is created.
    width, height : int
        The browser window's size in pixels.
    budget_ms : int
        Chromium's ``--virtual-time-budget``: with 5 s JupyterLab is still "Connecting",
        without syntax colours; 20 s is enough.
    kernel_name : str
        The kernel of the notebook's session.
    attempts : int
        How many times to load the page before giving up.

    Returns
    -------
    pathlib.Path
        ``out_png``.

    Raises
    ------
    LabError
        When Chromium is missing or fails, or JupyterLab never looked ready.
    """
    out_png = Path(out_png)
    path = path.lstrip("/")
    _start_session(server, path, kernel_name)
    url = f"{server.url}lab/tree/{quote(path)}?token={server.token}"
    markers = {
        "the notebook": "jp-Notebook",
        "its outputs": "jp-OutputArea-output",
        "the kernel idle": "| Idle</span>",
    }
    missing: list[str] = []
    for _ in range(attempts):
        with tempfile.TemporaryDirectory(prefix="analysis-chromium-") as profile:
            shot = Path(profile) / "shot.png"
            command = [
                _chromium(),
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--no-first-run",
                "--hide-scrollbars",
                f"--user-data-dir={profile}",
                f"--window-size={width},{height}",
                f"--virtual-time-budget={budget_ms}",
                "--dump-dom",
                f"--screenshot={shot}",
                url,
            ]
            try:
                result = subprocess.run(
                    command, capture_output=True, text=True, timeout=budget_ms / 1000 + 120
                )
            except subprocess.TimeoutExpired:
                raise LabError(
                    f"Chromium did not finish with {server.url}lab/tree/{path}"
                ) from None
            if not shot.is_file():
                raise LabError(f"Chromium saved no screenshot:\n{result.stderr[-2000:]}")
            missing = [what for what, marker in markers.items() if marker not in result.stdout]
            if not missing:
                out_png.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(shot, out_png)
                return out_png
    raise LabError(
        f"JupyterLab did not show {', '.join(missing)} of {path} within {budget_ms} ms of "
        f"virtual time, {attempts} times: try a larger budget."
    )


def _post_session(server: LabServer, path: str, kernel_name: str) -> dict:
    """Open (or find) the session of notebook ``path`` on kernel ``kernel_name``."""
    return server.api(
        "POST",
        "api/sessions",
        {
            "path": path,
            "type": "notebook",
            "name": Path(path).name,
            "kernel": {"name": kernel_name},
        },
    )


def _start_session(server: LabServer, path: str, kernel_name: str, timeout: float = 60) -> None:
    """Open a session for ``path`` (or find it) and wait until its kernel is idle."""
    session = _post_session(server, path, kernel_name)
    asyncio.run(_wait_ready(_Kernel(server, path, session["kernel"]["id"], timeout)))


async def _wait_ready(kernel: _Kernel) -> None:
    """Wait until the kernel answers ``kernel_info`` over its websocket."""
    try:
        await kernel.connect()
    finally:
        await kernel.close()


def save_outputs(server: LabServer, path: str, notebook: dict) -> None:
    """Save a notebook that :func:`run_notebook` ran, with its outputs, on the server.

    Its code cells are marked trusted, as JupyterLab marks the cells it ran: the server
    then signs the notebook, and JupyterLab renders its widgets and HTML outputs in full
    when it opens it (an unsigned notebook shows a widget's text form instead).
    """
    for cell in notebook["cells"]:
        if cell.get("cell_type") == "code":
            cell.setdefault("metadata", {})["trusted"] = True
    server.api(
        "PUT",
        f"api/contents/{quote(path.lstrip('/'))}",
        {"type": "notebook", "format": "json", "content": notebook},
    )


def _served(notebook: Path) -> tuple[Path, str]:
    """Return the folder to serve and the notebook's path on the server."""
    if not notebook.is_file():
        raise LabError(f"No notebook {notebook}.")
    return notebook.resolve().parent, notebook.name


def main(argv: list[str] | None = None) -> int:
    """Run the command line: ``run NOTEBOOK`` or ``screenshot NOTEBOOK OUT.png``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="run a notebook on the server's kernel API")
    run.add_argument("notebook", type=Path)
    run.add_argument("--kernel", default=KERNEL)
    run.add_argument("--timeout", type=float, default=120.0, help="seconds per cell")
    shot = commands.add_parser("screenshot", help="run a copy, then photograph JupyterLab")
    shot.add_argument("notebook", type=Path)
    shot.add_argument("out", type=Path)
    shot.add_argument("--width", type=int, default=1400)
    shot.add_argument("--height", type=int, default=900)
    shot.add_argument("--budget", type=int, default=20_000, help="virtual time, ms")
    shot.add_argument("--kernel", default=KERNEL)
    args = parser.parse_args(argv)
    try:
        if args.command == "run":
            folder, name = _served(args.notebook)
            with LabServer(folder) as server:
                print(run_notebook(server, name, args.kernel, timeout=args.timeout).summary())
            return 0
        folder, name = _served(args.notebook)
        with tempfile.TemporaryDirectory(prefix="analysis-notebook-") as copy:
            shutil.copy2(folder / name, Path(copy) / name)
            with LabServer(copy) as server:
                ran = run_notebook(server, name, args.kernel, keep_session=True)
                save_outputs(server, name, ran.notebook)
                out = screenshot(
                    server,
                    name,
                    args.out,
                    width=args.width,
                    height=args.height,
                    budget_ms=args.budget,
                )
        print(ran.summary())
        print(f"{out} ({out.stat().st_size / 1000:.0f} kB)")
        return 0
    except LabError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
