"""What ``python -m analysis build`` prints while it works: a line per report, a bar.

Each report gets one line when it is done: built, up to date or failed, and its time.
On a terminal, a tqdm bar under those lines counts the reports being built and estimates
the time left; when the output is a file or a pipe (CI logs) there is no bar, only the
lines, flushed one by one.
"""

from __future__ import annotations

import sys
from typing import TextIO

__all__ = ["BuildProgress"]

_STATES = {"built": "built", "up to date": "up to date", "failed": "FAILED"}


class BuildProgress:
    """Print build progress to ``stream`` (default stdout), with a bar on a terminal.

    Parameters
    ----------
    total : int
        Reports in the build.
    stream : file, optional
        Where the lines go.
    bar : bool, optional
        Force the bar on or off (default: on when ``stream`` is a terminal).
    """

    def __init__(self, total: int, *, stream: TextIO | None = None, bar: bool | None = None):
        self.total = total
        self.stream = stream or sys.stdout
        self.width = len(str(total))
        self.bar = None
        self.started = False
        self.use_bar = self.stream.isatty() if bar is None else bar

    def start(self, to_build: int) -> None:
        """Show the bar for the ``to_build`` reports that will run (on a terminal)."""
        self.started = True
        if self.use_bar and to_build:
            from tqdm import tqdm

            self.bar = tqdm(
                total=to_build,
                unit="report",
                file=self.stream,
                dynamic_ncols=True,
                leave=False,
                bar_format="{l_bar}{bar}| {n_fmt}/{total_fmt} [{elapsed}<{remaining}]",
                desc="building",
            )

    def __call__(self, outcome, done: int, total: int) -> None:
        """Print one report's line (the callback of :func:`analysis.build.build`)."""
        state = outcome.state
        seconds = f"{outcome.seconds:6.1f} s" if state != "up to date" else ""
        line = (
            f"  [{done:>{self.width}}/{total}] {outcome.job.label:<40} "
            f"{_STATES[state]:<10} {seconds}".rstrip()
        )
        if self.bar is not None:
            self.bar.write(line, file=self.stream)
            if state != "up to date":
                self.bar.update(1)
        else:
            print(line, file=self.stream, flush=True)

    def close(self) -> None:
        """Remove the bar."""
        if self.bar is not None:
            self.bar.close()
            self.bar = None
