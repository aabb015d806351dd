"""The build's progress: one line per report, a bar on a terminal only."""

from __future__ import annotations

import io
from pathlib import Path

from analysis._progress import BuildProgress
from analysis.build import Job, Outcome


def outcome(region: str, state: str, seconds: float = 2.5) -> Outcome:
    job = Job(region, 2024, "Bretagne" if region == "53" else "France", Path("r"), Path("n"))
    ok = state != "failed"
    details = {"state": "up to date"} if state == "up to date" else {}
    return Outcome(job, ok, seconds if state != "up to date" else 0.0, details=details)


def test_plain_lines_when_the_output_is_not_a_terminal():
    stream = io.StringIO()  # what CI logs are: no bar, no escape codes
    progress = BuildProgress(3, stream=stream)
    progress.start(2)
    progress(outcome("FR", "up to date"), 1, 3)
    progress(outcome("53", "built", 3.25), 2, 3)
    progress(outcome("53", "failed", 1.0), 3, 3)
    progress.close()
    lines = stream.getvalue().splitlines()
    assert lines == [
        "  [1/3] FR France 2024                           up to date",
        "  [2/3] 53 Bretagne 2024                         built         3.2 s",
        "  [3/3] 53 Bretagne 2024                         FAILED        1.0 s",
    ]
    assert "\x1b" not in stream.getvalue() and "\r" not in stream.getvalue()


def test_a_bar_with_the_time_left_on_a_terminal():
    stream = io.StringIO()
    progress = BuildProgress(2, stream=stream, bar=True)
    progress.start(2)
    progress(outcome("53", "built"), 1, 2)
    text = stream.getvalue()
    assert "building" in text and "1/2" in text  # the bar, counting the reports built
    assert "<" in text  # tqdm's [elapsed<remaining]
    assert "53 Bretagne 2024" in text
    progress.close()


def test_no_bar_when_nothing_is_to_build():
    stream = io.StringIO()
    progress = BuildProgress(1, stream=stream, bar=True)
    progress.start(0)
    progress(outcome("FR", "up to date"), 1, 1)
    progress.close()
    assert stream.getvalue() == "  [1/1] FR France 2024                           up to date\n"
