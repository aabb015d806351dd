"""Command line: parse, call the library, map errors to exit codes.

``python -m analysis fetch [--mirror DIR] [--data-dir DIR] [--force]``
    Fill the raw-data folder with the catalogue's files, verified by sha256.
``python -m analysis sources [--data-dir DIR] [--check]``
    List every dataset with its coverage and local status (present, missing, corrupt).

Exit codes are those of :mod:`analysis.errors` (2 bad parameters, 3 checksum, 4 source
unavailable, 5 data not fetched, 6 malformed file); 130 when interrupted.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from .config import DataPaths
from .errors import AnalysisError, exit_code_for
from .fetch import FetchResult, fetch, file_status
from .sources import CATALOGUE


def _cmd_fetch(args: argparse.Namespace) -> int:
    def report(result: FetchResult) -> None:
        origin = f" from {result.origin}" if result.origin else ""
        print(f"  {result.action:<10} {result.source.path}{origin}")

    raw = DataPaths.resolve(args.data_dir).raw
    print(f"Fetching {len(CATALOGUE)} files into {raw}")
    results = fetch(data_dir=args.data_dir, mirror=args.mirror, force=args.force, progress=report)
    new = sum(r.action != "present" for r in results)
    kept = len(results) - new
    print(f"{len(results)} files verified by sha256 ({new} new, {kept} already present).")
    return 0


def _cmd_sources(args: argparse.Namespace) -> int:
    raw = DataPaths.resolve(args.data_dir).raw
    statuses = {s.id: file_status(s, raw) for s in CATALOGUE}
    width = max(len(s.id) for s in CATALOGUE)
    print(f"Datasets of the catalogue (raw-data folder: {raw})\n")
    for source in CATALOGUE:
        print(f"{source.id:<{width}}  {statuses[source.id]:<8} {source.title}")
        print(f"{'':<{width}}  {'':<8} {source.publisher}; {source.licence}")
        print(f"{'':<{width}}  {'':<8} coverage: {source.coverage}")
        print(f"{'':<{width}}  {'':<8} traps: {source.traps}")
        print(f"{'':<{width}}  {'':<8} file: {source.path} ({source.size:,} bytes)\n")
    bad = [i for i, status in statuses.items() if status != "present"]
    if bad:
        print(f"{len(bad)} file(s) not usable: {', '.join(bad)}. Run `make data`.")
    else:
        print(f"All {len(CATALOGUE)} files present and verified.")
    return 5 if (args.check and bad) else 0


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of ``python -m analysis``."""
    parser = argparse.ArgumentParser(
        prog="python -m analysis",
        description="Industrial employment and apprenticeship in the French regions.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p_fetch = sub.add_parser("fetch", help="fill data/raw with the verified open-data files")
    p_fetch.add_argument("--mirror", metavar="DIR", help="folder holding copies of the files")
    p_fetch.add_argument("--data-dir", metavar="DIR", help="raw-data folder (default data/raw)")
    p_fetch.add_argument("--force", action="store_true", help="fetch files already present")
    p_fetch.set_defaults(func=_cmd_fetch)

    p_sources = sub.add_parser("sources", help="list the datasets and their local status")
    p_sources.add_argument("--data-dir", metavar="DIR", help="raw-data folder (default data/raw)")
    p_sources.add_argument(
        "--check", action="store_true", help="exit 5 unless every file is present and verified"
    )
    p_sources.set_defaults(func=_cmd_sources)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except AnalysisError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exit_code_for(exc)
    except KeyboardInterrupt:
        print("interrupted: nothing half-written was kept.", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
