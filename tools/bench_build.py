"""Benchmark: our build against plain papermill + nbconvert loops, side by side, in one run.

The same reports, from the same notebooks and data, timed by wall clock one after the
other, each into a fresh temporary folder:

(a) **sequential loop**: for each report, ``papermill`` then ``jupyter nbconvert --to html
    --no-input`` as two shell commands, one report after the other (the script a user
    would write);
(b) **parallel loop**: the same two commands per report, run ``--jobs`` at a time by
    ``xargs -P``;
(c) **our build**: ``python -m analysis build --jobs N`` into an empty folder (warm
    kernels, the default);
(d) **our no-op rebuild**: the same command again, nothing having changed;
(e) **our build, cold kernels**: ``--isolation cold``, one new Python process per
    report as in (a) and (b), for reference;
(f) **our build with the PDFs**: what ``make reports`` runs, each report also printed
    by Chromium (when installed).

(c), (d) and (e) pass ``--no-pdf``: the loops make HTML only, so the comparison is like
for like; (f) - (c) is what printing the PDFs costs. Our build also writes each report's
workbook, CSV files and key figures, which the loops do not.

Targets on the default set (every region and France, latest year) with ``--jobs 2`` on
a 2-core machine: (c) at least 6x faster than (a) and 3x faster than (b); (d) at most 2 %
of (c). The targets are checked here, never in a timed test. Exit code 0 whether they are
met or not (the table says), 2 on bad arguments.

With ``--level departement`` the reports are the départements' (all 101 by default,
``--area`` to choose): the sequential loop (a), which would take a quarter of an hour, is
left out unless ``--sequential`` is given.

Usage::

    .venv/bin/python tools/bench_build.py [--level region|departement] [--region CODE ...]
        [--area CODE ...] [--year YEAR] [--jobs N] [--sequential]

Before timing, one report is built once so that the parsed-data cache (parquet) and the
plan's cache exist for every side alike.
"""

from __future__ import annotations

import argparse
import os
import platform
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _run(command: list[str], **kwargs) -> None:
    subprocess.run(
        command,
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        **kwargs,
    )


def _timed(function, *args) -> float:
    start = time.perf_counter()
    function(*args)
    return time.perf_counter() - start


def _loop_commands(jobs: list, out: Path) -> list[str]:
    """One shell command per report: papermill, then nbconvert."""
    out.mkdir(parents=True, exist_ok=True)
    data_dir = str(ROOT / "data" / "raw")
    commands = []
    for job in jobs:
        executed = out / f"{job.level}-{job.area}.ipynb"
        params = []
        for name, value in job.parameters.items():
            if name == "data_dir":
                value = data_dir
            if isinstance(value, list):
                params += ["-y", f"{name}: {value!r}"]
            else:
                params += ["-p", name, str(value)]
        papermill = [
            str(BIN / "papermill"),
            f"notebooks/{job.notebook.name}",
            str(executed),
            *params,
            "-k",
            "python3",
            "--cwd",
            "notebooks",
            "--no-progress-bar",
        ]
        nbconvert = [
            str(BIN / "jupyter"),
            "nbconvert",
            "--to",
            "html",
            "--no-input",
            str(executed),
            "--output-dir",
            str(out),
        ]
        commands.append(f"{shlex.join(papermill)} && {shlex.join(nbconvert)}")
    return commands


def sequential_loop(jobs: list, out: Path) -> None:
    """Run (a): one report after the other."""
    for command in _loop_commands(jobs, out):
        _run(["bash", "-c", command])


def parallel_loop(jobs: list, out: Path, workers: int) -> None:
    """Run (b): the same commands, ``workers`` at a time, with ``xargs -P``."""
    script = "\n".join(_loop_commands(jobs, out)) + "\n"
    # One command per line, its quotes left to bash (xargs would strip them otherwise).
    command = ["xargs", "-d", "\n", "-P", str(workers), "-I", "{}", "bash", "-c", "{}"]
    _run(command, input=script.encode())


def our_build(jobs: list, out: Path, workers: int, *extra: str) -> None:
    """Run (c), (d) or (e): ``python -m analysis build``."""
    level = jobs[0].level
    codes = [job.area for job in jobs]
    command = [sys.executable, "-m", "analysis", "build", "--level", level]
    command += ["--area", *codes] if level == "departement" else ["--region", *codes]
    year = str(jobs[0].year)
    _run([*command, "--year", year, "--jobs", str(workers), "--out", str(out), *extra])


def _html_count(folder: Path) -> int:
    """Count the reports, not the pages of our build's site (index.html, methode.html)."""
    return sum(1 for p in folder.rglob("*.html") if p.name not in ("index.html", "methode.html"))


def main(argv: list[str] | None = None) -> int:
    """Run the five timings and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--level", default="region", help="region (default) or departement")
    parser.add_argument("--region", nargs="+", help="default: every region and FR")
    parser.add_argument("--area", nargs="+", help="départements (default: all 101)")
    parser.add_argument("--year", type=int, help="default: the latest")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--sequential", action="store_true", help="time (a) for départements too")
    args = parser.parse_args(argv)
    from analysis import build

    jobs = build.plan(
        args.region,
        [args.year] if args.year else None,
        out=tempfile.mkdtemp(prefix="bench-plan-"),
        levels=[args.level],
        areas=args.area,
    )
    year = jobs[0].year
    n = len(jobs)
    sequential = jobs[0].level == "region" or args.sequential
    cpu = os.cpu_count()
    print(
        f"{n} reports for {year}, --jobs {args.jobs}, on {platform.node()} ({cpu} cores, "
        f"Python {platform.python_version()}, {platform.platform()})",
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        tmp = Path(tmp)
        our_build(jobs[:1], tmp / "warm-up", 1)  # parquet and plan caches
        times = {}
        folders = {}
        for name, function, extra in (
            ("a", sequential_loop, ()),
            ("b", parallel_loop, (args.jobs,)),
            ("c", our_build, (args.jobs, "--no-pdf")),
            ("d", our_build, (args.jobs, "--no-pdf")),
            ("e", our_build, (args.jobs, "--no-pdf", "--isolation", "cold")),
            ("f", our_build, (args.jobs,)),
        ):
            if name == "a" and not sequential:
                continue
            out = tmp / ("c" if name == "d" else name)
            folders[name] = out
            print(f"  ({name}) ...", end=" ", flush=True)
            times[name] = _timed(function, jobs, out, *extra)
            print(f"{times[name]:.1f} s", flush=True)
        counts = {name: _html_count(folder) for name, folder in folders.items()}
    if len(set(counts.values())) != 1 or counts["b"] != n:
        print(f"error: the sides did not build the same reports: {counts}", file=sys.stderr)
        return 1
    rows = [
        ("a", "sequential loop: papermill, then nbconvert", None),
        ("b", f"the same loop with xargs -P {args.jobs}", None),
        ("c", f"analysis build --jobs {args.jobs} (warm kernels)", None),
        ("d", "analysis build again, nothing changed", None),
        ("e", f"analysis build --jobs {args.jobs} --isolation cold", None),
        ("f", f"analysis build --jobs {args.jobs}, with the PDFs", None),
    ]
    print(f"\n{'':<4}{'':<48}{'wall time':>10}{'per report':>12}")
    for name, label, _ in rows:
        if name not in times:
            continue
        print(f"({name}) {label:<48}{times[name]:>9.1f}s{times[name] / n:>11.2f}s")
    checks = [
        *([("(a) / (c)", times["a"] / times["c"], 6.0, "x", ">=")] if "a" in times else []),
        ("(b) / (c)", times["b"] / times["c"], 3.0, "x", ">="),
        ("(d) / (c)", 100 * times["d"] / times["c"], 2.0, " %", "<="),
    ]
    print()
    for label, value, target, unit, sense in checks:
        met = value >= target if sense == ">=" else value <= target
        print(
            f"{label}: {value:6.2f}{unit}  target {sense} {target:g}{unit}  "
            f"{'met' if met else 'NOT MET'}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
