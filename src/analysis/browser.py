"""Open a report as a reader would: headless Chromium, networking off.

Used by the end-to-end test and by ``tools/screenshot.py`` (the README's picture). Needs
Debian's ``chromium`` package (``make browser``); nothing else in the package does.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

__all__ = ["chromium", "dump_dom", "screenshot"]


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
    return [
        chromium(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--hide-scrollbars",
        f"--window-size={width},{height}",
        *extra,
    ]


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
