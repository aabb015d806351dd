"""Open a report as a reader would: headless Chromium, networking off.

Two ways in:

* :func:`dump_dom` and :func:`screenshot` run Chromium once per page from its command line
  (the end-to-end test, ``tools/screenshot.py``);
* :class:`Browser` starts Chromium once and drives it over the DevTools protocol (a
  WebSocket on 127.0.0.1, through ``websocket-client``): many pages in one process, for
  the PDFs of a build (:mod:`analysis.printing`) and the accessibility audit
  (:mod:`analysis.accessibility`).

Needs Debian's ``chromium`` package (``make browser``): no browser is downloaded.
"""

from __future__ import annotations

import base64
import itertools
import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

__all__ = ["Browser", "BrowserError", "chromium", "dump_dom", "screenshot"]

# Chromium must not try to reach Google's services (the machines have no network, and a
# report never needs one): no background networking, updates, sync or first-run pages.
_QUIET = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--no-first-run",
    "--no-default-browser-check",
    "--hide-scrollbars",
    "--mute-audio",
)


class BrowserError(RuntimeError):
    """Chromium did not start, died, or answered a DevTools command with an error."""


def chromium() -> str:
    """Return the path of the Chromium executable.

    Raises
    ------
    FileNotFoundError
        When Chromium is not installed, with the command that installs it.
    """
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        raise FileNotFoundError("Chromium is not installed: run `make browser`.")
    return found


def _command(*extra: str, width: int = 1280, height: int = 2000) -> list[str]:
    return [chromium(), *_QUIET, f"--window-size={width},{height}", *extra]


def dump_dom(page: str | os.PathLike) -> str:
    """Return the DOM of ``page`` after Chromium has loaded it."""
    uri = Path(page).resolve().as_uri()
    result = subprocess.run(
        _command("--dump-dom", uri), capture_output=True, text=True, timeout=120, check=True
    )
    return result.stdout


def screenshot(
    page: str | os.PathLike,
    target: str | os.PathLike,
    *,
    width: int = 1280,
    height: int = 2200,
    colours: int | None = None,
) -> Path:
    """Save the first ``height`` pixels of ``page`` rendered ``width`` wide as a PNG.

    Parameters
    ----------
    colours : int, optional
        Reduce the palette to this many colours (a smaller file for the README).
    """
    from PIL import Image

    target = Path(target)
    uri = Path(page).resolve().as_uri()
    with tempfile.TemporaryDirectory() as tmp:
        shot = Path(tmp) / "page.png"
        subprocess.run(
            _command(f"--screenshot={shot}", uri, width=width, height=height),
            capture_output=True,
            timeout=120,
            check=True,
        )
        image = Image.open(shot).convert("RGB")
        if colours:
            image = image.quantize(colors=colours)
        target.parent.mkdir(parents=True, exist_ok=True)
        image.save(target, optimize=True)
    return target


class Browser:
    """One headless Chromium, driven over the DevTools protocol; a context manager.

    Pages are opened one after the other in a single tab, so that a build prints all its
    PDFs with one browser process (starting Chromium costs about 0,6 s; printing a report
    about 0,5 s).

    Parameters
    ----------
    timeout : float, default 60
        Seconds allowed for Chromium to start, and for each command.

    Examples
    --------
    >>> from analysis.browser import Browser
    >>> with Browser() as browser:  # doctest: +SKIP
    ...     browser.open("reports/2024/94.html")
    ...     browser.evaluate("document.documentElement.lang")
    'fr'
    """

    def __init__(self, *, timeout: float = 60.0):
        self.timeout = timeout
        self._ids = itertools.count(1)
        self._process: subprocess.Popen | None = None
        self._socket = None
        self._session = ""
        self._profile = ""
        self.version = ""

    def __enter__(self) -> Browser:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def start(self) -> None:
        """Start Chromium with a fresh profile and open one tab."""
        import websocket  # websocket-client: a light dependency, only needed here

        self._profile = tempfile.mkdtemp(prefix="analysis-chromium-")
        self._process = subprocess.Popen(
            [
                chromium(),
                *_QUIET,
                "--remote-debugging-port=0",
                f"--user-data-dir={self._profile}",
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        # Chromium writes the port it chose, and the browser's endpoint, to this file.
        port_file = Path(self._profile) / "DevToolsActivePort"
        deadline = time.monotonic() + self.timeout
        lines: list[str] = []
        while len(lines) < 2:
            if self._process.poll() is not None:
                self.close()
                raise BrowserError(f"Chromium exited at start (code {self._process.returncode})")
            if time.monotonic() > deadline:
                self.close()
                raise BrowserError(f"Chromium did not start within {self.timeout:.0f} s")
            time.sleep(0.02)
            if port_file.is_file():
                lines = port_file.read_text().splitlines()
        port, endpoint = lines[0], lines[1]
        self._socket = websocket.create_connection(
            f"ws://127.0.0.1:{port}{endpoint}", timeout=self.timeout, suppress_origin=True
        )
        self.version = self.send("Browser.getVersion")["product"]
        target = self.send("Target.createTarget", url="about:blank")["targetId"]
        self._session = self.send("Target.attachToTarget", targetId=target, flatten=True)[
            "sessionId"
        ]
        self.send("Page.enable", session=True)

    def close(self) -> None:
        """Stop Chromium and remove its profile."""
        if self._socket is not None:
            try:
                self._socket.close()
            finally:
                self._socket = None
        if self._process is not None:
            if self._process.poll() is None:
                self._process.terminate()
                try:
                    self._process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self._process.kill()
                    self._process.wait()
            self._process = None
        if self._profile:
            shutil.rmtree(self._profile, ignore_errors=True)
            self._profile = ""

    # -- protocol -------------------------------------------------------------------------
    def send(self, method: str, *, session: bool = False, **params) -> dict:
        """Send one DevTools command and return its result (to the tab when ``session``)."""
        if self._socket is None:
            raise BrowserError("the browser is not started: use `with Browser() as browser:`")
        number = next(self._ids)
        message = {"id": number, "method": method, "params": params}
        if session:
            message["sessionId"] = self._session
        self._socket.send(json.dumps(message))
        while True:
            reply = self._receive()
            if reply.get("id") == number:
                if "error" in reply:
                    raise BrowserError(f"{method}: {reply['error'].get('message', reply['error'])}")
                return reply.get("result", {})

    def _receive(self) -> dict:
        import websocket

        try:
            return json.loads(self._socket.recv())
        except (websocket.WebSocketException, OSError) as exc:
            raise BrowserError(f"lost the connection to Chromium: {exc}") from exc

    def _wait_for(self, event: str) -> dict:
        while True:
            message = self._receive()
            if message.get("method") == event and message.get("sessionId") == self._session:
                return message.get("params", {})

    # -- pages ----------------------------------------------------------------------------
    def open(self, page: str | os.PathLike) -> None:
        """Load a local HTML file in the tab and wait for its ``load`` event."""
        uri = Path(page).resolve().as_uri()
        result = self.send("Page.navigate", session=True, url=uri)
        if result.get("errorText"):
            raise BrowserError(f"cannot open {page}: {result['errorText']}")
        self._wait_for("Page.loadEventFired")

    def evaluate(self, expression: str, *, await_promise: bool = False):
        """Run JavaScript in the page and return its value (JSON-able values only)."""
        result = self.send(
            "Runtime.evaluate",
            session=True,
            expression=expression,
            awaitPromise=await_promise,
            returnByValue=True,
        )
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get("text")
            raise BrowserError(f"the page's script failed: {text}")
        return result["result"].get("value")

    def pdf(self) -> bytes:
        """Print the open page as the print stylesheet lays it out (its ``@page`` rules).

        Backgrounds are printed, the PDF is tagged (structure for screen readers) and
        its outline (bookmarks) follows the headings.
        """
        result = self.send(
            "Page.printToPDF",
            session=True,
            printBackground=True,
            preferCSSPageSize=True,
            displayHeaderFooter=False,
            generateTaggedPDF=True,
            generateDocumentOutline=True,
        )
        return base64.b64decode(result["data"])
