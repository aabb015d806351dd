"""Benchmark: our batch build against a plain loop of papermill and nbconvert commands.

Both sides build the same reports from the same notebooks in one run, one after the
other, into two temporary folders, and are timed by wall clock:

* **batch**: ``python -m analysis build --region ... --year ... --jobs N``;
* **plain loop**: for each report, ``papermill`` then ``jupyter nbconvert --to html
  --no-input`` as separate commands, one report after the other (what a user would write
  in a shell script).

Usage::

    .venv/bin/python tools/bench_build.py [--region CODE ...] [--year YEAR] [--jobs N] [--all]

By default six reports (four metropolitan regions, one overseas, France) for the latest
year; ``--all`` takes every region and France. The data cache is warmed first so that
neither side pays for parsing the raw files.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SAMPLE = ["11", "32", "84", "53", "04", "FR"]


def _run(command: list[str]) -> None:
    subprocess.run(
        command, check=True, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def batch(regions: list[str], year: int, jobs: int, out: Path) -> float:
    """Time ``python -m analysis build`` for ``regions``."""
    start = time.perf_counter()
    _run(
        [
            sys.executable,
            "-m",
            "analysis",
            "build",
            "--region",
            *regions,
            "--year",
            str(year),
            "--jobs",
            str(jobs),
            "--out",
            str(out),
        ]
    )
    return time.perf_counter() - start


def plain_loop(regions: list[str], year: int, out: Path) -> float:
    """Time one papermill command and one nbconvert command per report, in sequence."""
    data_dir = str(ROOT / "data" / "raw")
    start = time.perf_counter()
    for region in regions:
        notebook = "france_overview" if region == "FR" else "region_report"
        executed = out / f"{region}.ipynb"
        params = ["-p", "year", str(year), "-p", "data_dir", data_dir]
        if region != "FR":
            params += ["-p", "region", region]
        _run(
            [
                str(BIN / "papermill"),
                f"notebooks/{notebook}.ipynb",
                str(executed),
                *params,
                "-k",
                "python3",
                "--cwd",
                "notebooks",
                "--no-progress-bar",
            ]
        )
        _run(
            [
                str(BIN / "jupyter"),
                "nbconvert",
                "--to",
                "html",
                "--no-input",
                str(executed),
                "--output-dir",
                str(out),
            ]
        )
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    """Run both builds and print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--region", nargs="+", default=SAMPLE)
    parser.add_argument("--all", action="store_true", help="every region and France")
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    if args.all:
        from analysis import REGION_CODES

        args.region = [*REGION_CODES, "FR"]
    sys.path.insert(0, str(ROOT / "src"))
    from analysis.datasets import Datasets
    from analysis.indicators import report_years

    report_years(Datasets())  # warm the parquet cache for both sides
    n = len(args.region)
    print(f"{n} reports for {args.year} on a machine with {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
        plain = plain_loop(args.region, args.year, Path(b))
        ours = batch(args.region, args.year, args.jobs, Path(a))
        sizes_ours = sorted(
            p.stat().st_size for p in Path(a).rglob("*.html") if p.name != "index.html"
        )
        sizes_plain = sorted(p.stat().st_size for p in Path(b).glob("*.html"))
    print(f"{'':<34}{'wall time':>10}{'per report':>12}")
    print(f"{'plain loop (papermill + nbconvert)':<34}{plain:>9.1f}s{plain / n:>11.1f}s")
    print(f"{f'analysis build --jobs {args.jobs}':<34}{ours:>9.1f}s{ours / n:>11.1f}s")
    print(f"speed-up: {plain / ours:.2f}x")
    print(
        f"HTML sizes, ours: {sizes_ours[0] / 1e6:.2f}-{sizes_ours[-1] / 1e6:.2f} MB; plain "
        f"nbconvert: {sizes_plain[0] / 1e6:.2f}-{sizes_plain[-1] / 1e6:.2f} MB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
