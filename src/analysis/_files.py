"""Atomic file writes, file locks, and the removal of what a dead process left behind.

Every file the package writes (cache, reports, key figures, index) goes through
:func:`atomic_write`: a temporary file beside the target, then one rename, so that a
reader never sees a half-written file and an interrupted run leaves the previous version
in place. The temporary name carries the writer's process id
(``.<target>.<pid>.<random>.tmp``), so that what a killed process left can be told from
what a live one is writing: :func:`remove_dead_leftovers` removes only the former.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

__all__ = [
    "atomic_write",
    "atomic_write_text",
    "locked",
    "pid_alive",
    "remove_dead_leftovers",
]

# `.<name>.<pid>.<random>.tmp` (atomic_write) and `.<code>.executing.<pid>.ipynb` (build).
_LEFTOVER = re.compile(r"^\..+\.(?P<pid>\d+)(\.[^.]+\.tmp|\.ipynb)$")


def atomic_write(target: str | os.PathLike, write: Callable[[Path], object]) -> Path:
    """Call ``write(tmp)`` on a temporary path beside ``target``, then rename it to ``target``.

    The temporary file is removed if ``write`` fails or the run is interrupted; if the
    process is killed outright, the next build removes it (:func:`remove_dead_leftovers`).
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    prefix = f".{target.name}.{os.getpid()}."
    fd, name = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        write(tmp)
        tmp.chmod(0o644)  # mkstemp's 0600 would hide reports from a web server
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target


def atomic_write_text(target: str | os.PathLike, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``target`` atomically."""
    return atomic_write(target, lambda tmp: tmp.write_text(text, encoding="utf-8"))


@contextlib.contextmanager
def locked(path: str | os.PathLike) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (created if needed) for the ``with`` block.

    ``fcntl.flock`` on a lock file: processes that read, merge and rewrite a shared file
    (``status.json``) take turns. The kernel releases the lock when its holder dies, so
    a killed build never leaves the folder locked.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def pid_alive(pid: int) -> bool:
    """Return whether a process ``pid`` may exist (owned by anyone).

    Only a definite "no such process" reads as dead. A recycled pid, another user's
    process, a number that is no pid, or a system without ``os.kill(pid, 0)`` (Windows,
    where it would end the process) read as alive: callers then keep a leftover rather
    than remove a live process's file.
    """
    if os.name != "posix":
        return True
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (OSError, OverflowError):
        return True
    return True


def remove_dead_leftovers(folders: Iterable[str | os.PathLike], *, depth: int = 1) -> list[Path]:
    """Remove the temporary files of dead processes in ``folders`` (and ``depth`` levels below).

    Only names made by this package are considered (``.<name>.<pid>.<random>.tmp`` and
    ``.<code>.executing.<pid>.ipynb``), and only when process ``pid`` no longer exists.

    Returns
    -------
    list of pathlib.Path
        The files removed.
    """
    removed: list[Path] = []
    for folder in folders:
        folder = Path(folder)
        if not folder.is_dir():
            continue
        patterns = ["/".join(["*"] * level + [".*"]) for level in range(depth + 1)]
        for path in (p for pattern in patterns for p in folder.glob(pattern)):
            match = _LEFTOVER.match(path.name)
            if match and path.is_file() and not pid_alive(int(match["pid"])):
                with contextlib.suppress(OSError):
                    path.unlink()
                    removed.append(path)
    return removed
