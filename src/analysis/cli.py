"""Command line: parse, call the library, map errors to exit codes.

``python -m analysis fetch [--mirror DIR] [--data-dir DIR] [--force]``
    Fill the raw-data folder with the catalogue's files, verified by sha256.
``python -m analysis sources [--data-dir DIR] [--check]``
    List every dataset with its coverage and local status (present, missing, corrupt).
``python -m analysis regions [--level departement]``
    List the region (or département) codes a report can be built for.
``python -m analysis years``
    List the years a report can be built for, and what each source covers in them.
``python -m analysis build [--level region|departement ...] [--region CODE ...]``
``[--area CODE ...] [--year YEAR ...] [--jobs N] [--out DIR]``
``[--date YYYY-MM-DD] [--force] [--isolation warm|cold] [--scheduler tcp://HOST:PORT]``
    Build the reports (default: every region and France, latest year) and the index;
    ``--level departement`` builds the départements (of ``--area``, else of ``--region``,
    else all 101) into ``<year>/departements/``, and with ``region`` too, the regional
    reports that link to them. Reports whose inputs have not changed are skipped unless
    ``--force``.

Exit codes are those of :mod:`analysis.errors` (2 bad parameters, 3 checksum, 4 source
unavailable, 5 data not fetched, 6 malformed file, 8 output not writable, 9 no Dask
scheduler); ``build`` exits 1 when a report failed; 130 when interrupted.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from .config import DataPaths
from .errors import AnalysisError, exit_code_for
from .fetch import FetchResult, fetch, file_status
from .sources import CATALOGUE


def _cmd_fetch(args: argparse.Namespace) -> int:
    def report(result: FetchResult) -> None:
        origin = f" from {result.origin}" if result.origin else ""
        note = " (replaced a corrupt copy)" if result.action == "replaced" else ""
        print(f"  {result.action:<10} {result.source.path}{origin}{note}")

    raw = DataPaths.resolve(args.data_dir).raw
    print(f"Fetching {len(CATALOGUE)} files into {raw}")
    results = fetch(data_dir=args.data_dir, mirror=args.mirror, force=args.force, progress=report)
    replaced = sum(r.action == "replaced" for r in results)
    kept = sum(r.action == "present" for r in results)
    new = len(results) - replaced - kept
    fixed = f"{replaced} repaired, " if replaced else ""
    print(f"{len(results)} files verified by sha256 ({new} new, {fixed}{kept} already present).")
    return 0


def _cmd_sources(args: argparse.Namespace) -> int:
    from .config import fetch_hint
    from .errors import ChecksumError, DataNotFetchedError

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
        print(f"{len(bad)} file(s) not usable: {', '.join(bad)}. Run {fetch_hint(args.data_dir)}.")
    else:
        print(f"All {len(CATALOGUE)} files present and verified.")
        _print_zone_split(args.data_dir)
    if not args.check:
        return 0
    if "corrupt" in statuses.values():
        return ChecksumError.exit_code  # 3, as for a corrupt file anywhere else
    if "missing" in statuses.values():
        return DataNotFetchedError.exit_code  # 5
    return 0


def _print_zone_split(data_dir) -> None:
    """Print the estimated split of the employment zones shared by two regions."""
    from .interregional import ASSUMPTION, read_interregional_fit

    fit = read_interregional_fit(data_dir=data_dir)
    shares = fit.shares.pivot_table(
        index=["zone", "zone_name", "region", "role"], columns="year", values="share"
    )
    print("\nEmployment zones shared by two regions: share counted in each region, by year")
    print(f"({ASSUMPTION})\n")
    years = list(shares.columns)
    print(f"{'zone':<6}{'name':<30}{'region':<8}{'role':<7}" + "".join(f"{y:>8}" for y in years))
    for (zone, name, region, role), row in shares.iterrows():
        values = "".join(f"{row[y]:>8.3f}" for y in years)
        print(f"{zone:<6}{name[:28]:<30}{region:<8}{role:<7}{values}")
    worst = fit.residuals.loc[fit.residuals["residual_pct"].abs().idxmax()]
    print(
        f"\nFit: regional totals against URSSAF's regional series, largest gap "
        f"{worst['residual_pct']:+.3f} % ({worst['region']}, {int(worst['year'])})."
    )


def _cmd_regions(args: argparse.Namespace) -> int:
    from .geo import FRANCE, METROPOLITAN_REGIONS, read_areas, read_regions
    from .levels import get_level

    if get_level(args.level).name == "departement":
        for row in read_areas("departement", data_dir=args.data_dir).itertuples():
            print(f"{row.code:<4} {row.name:<28} region {row.parent}")
        return 0
    regions = read_regions(data_dir=args.data_dir)
    for row in regions.itertuples():
        kind = "metropolitan" if row.region in METROPOLITAN_REGIONS else "overseas"
        print(f"{row.region}  {row.name:<28} {kind}")
    print(f"{FRANCE}  {'France':<28} overview (france_overview.ipynb)")
    return 0


def _cmd_years(args: argparse.Namespace) -> int:
    from .datasets import Datasets
    from .indicators import source_coverage

    table = source_coverage(Datasets(args.data_dir))
    print("Years a report can be built for, and what each source gives in them")
    print("(BMO 2025, the only edition, is shown in every report with its own date).\n")
    header = f"{'year':<6}{'INSEE quarters':<16}{'URSSAF A38':<14}apprenticeship"
    print(header)
    for year, row in table.iterrows():
        insee = row["insee"] or "-"
        urssaf = row["urssaf"] or "-"
        print(f"{year:<6}{insee:<16}{urssaf:<14}{row['apprenticeship'] or '-'}")
    return 0


def _cmd_diff(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .changes import compare_folders
    from .errors import ParameterError

    for folder in (args.old, args.new):
        if not Path(folder).is_dir():
            raise ParameterError(
                f"{folder} is not a folder: give two report folders, e.g. "
                "`python -m analysis diff reports-2025-06 reports`"
            )
    diff = compare_folders(args.old, args.new)
    if not diff:
        print(f"No key figure differs between {args.old} and {args.new}.")
        return 0
    count = sum(len(changes) for changes in diff.changed.values())
    print(
        f"{args.old} -> {args.new}: {count} key figure(s) differ in {len(diff.changed)} "
        f"report(s); {len(diff.added)} new report(s), {len(diff.removed)} no longer there."
    )
    for report, changes in diff.changed.items():
        print(f"\n{report}")
        for change in changes:
            print(f"  {change.describe()}")
    for title, reports in (("New reports", diff.added), ("Reports no longer there", diff.removed)):
        if reports:
            print(f"\n{title}: {', '.join(reports)}")
    return 0


def _raise_interrupt(signum, frame) -> None:
    """SIGTERM (a scheduler stopping the build) is handled as Ctrl-C."""
    raise KeyboardInterrupt


def _positive_int(text: str) -> int:
    """Return ``text`` as a whole number of at least 1 (an argparse type)."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of 1 or more, not {text!r}")
    return value


def _iso_date(text: str) -> str:
    """Return ``text`` if it is a ``YYYY-MM-DD`` date (an argparse type)."""
    import datetime as dt

    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date: {text!r} (use YYYY-MM-DD)") from None


def _cmd_build(args: argparse.Namespace) -> int:
    from .config import EDITION_DATE_ENV, edition_date

    if args.date is None:
        edition_date()  # a bad $ANALYSIS_EDITION_DATE is refused before any kernel (exit 2)
        return _build(args)
    saved = os.environ.get(EDITION_DATE_ENV)
    os.environ[EDITION_DATE_ENV] = args.date  # read by every kernel of the build
    try:
        return _build(args)
    finally:  # the caller's environment is left as it was
        if saved is None:
            os.environ.pop(EDITION_DATE_ENV, None)
        else:
            os.environ[EDITION_DATE_ENV] = saved


def _build(args: argparse.Namespace) -> int:
    from . import build, index
    from ._progress import BuildProgress

    started = time.perf_counter()
    print(f"Planning the reports into {args.out}", flush=True)  # at once, before any work
    jobs = build.plan(
        args.region,
        args.year,
        out=args.out,
        data_dir=args.data_dir,
        levels=args.level or ["region"],
        areas=args.area,
    )
    progress = BuildProgress(len(jobs))
    run = build.new_run_id()

    def starting(to_build: int, workers: int) -> None:
        fresh = len(jobs) - to_build
        kept = f"; {fresh} up to date" if fresh else ""
        where = f" on {workers} process(es)" if to_build else ""
        if to_build and args.scheduler:
            where = f" on the Dask cluster at {args.scheduler}"
        print(f"{to_build} of {len(jobs)} report(s) to build{where}{kept}", flush=True)
        progress.start(to_build)

    previous = signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        outcomes = build.build(
            jobs,
            workers=args.jobs,
            progress=progress,
            run=run,
            isolation=args.isolation,
            force=args.force,
            started=starting,
            scheduler=args.scheduler,
        )
    except KeyboardInterrupt:
        progress.close()
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # finish writing the index
        index.write_index(args.out)
        status = index.read_status(args.out).values()
        kept = sum(1 for entry in status if entry.get("run") == run and entry["ok"])
        print(
            f"interrupted: {kept} of {len(jobs)} report(s) were finished before the interrupt "
            f"and are in {args.out} and its index; the others were stopped and their "
            "earlier versions, if any, kept.",
            file=sys.stderr,
        )
        return 130
    finally:
        progress.close()
        signal.signal(signal.SIGTERM, previous)
    built = [o for o in outcomes if o.state == "built"]
    failed = [o for o in outcomes if o.state == "failed"]
    page = Path(args.out) / "index.html"
    if built or failed or not page.is_file():  # nothing changed: the page is right as it is
        page = index.write_index(args.out)
    elapsed = time.perf_counter() - started
    fresh = len(outcomes) - len(built) - len(failed)
    print(
        f"\nSummary ({elapsed:.1f} s in all): {len(built)} built, {fresh} up to date, "
        f"{len(failed)} failed"
    )
    for outcome in built + failed:
        where = outcome.job.html if outcome.ok else outcome.details.get("failed_notebook", "")
        state = "built" if outcome.ok else "FAILED"
        print(f"  {outcome.job.label:<40} {state:<6} {outcome.seconds:6.1f} s  {where}")
        if not outcome.ok:
            print(f"      {outcome.error}")
    print(f"Index: {page}")
    if failed:
        kept = [o for o in failed if o.details.get("failed_notebook")]
        hint = (
            " Open the .failed.ipynb notebook(s) listed above to see the error in place."
            if kept
            else ""
        )
        print(
            f"{len(failed)} of {len(outcomes)} report(s) failed; earlier versions, if any, "
            f"are kept.{hint}",
            file=sys.stderr,
        )
        return 1
    return 0


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
        "--check",
        action="store_true",
        help="exit 3 if a file is corrupt, 5 if one is missing (else 0)",
    )
    p_sources.set_defaults(func=_cmd_sources)

    p_regions = sub.add_parser("regions", help="list the region (or département) codes")
    p_regions.add_argument("--data-dir", metavar="DIR", help="raw-data folder (default data/raw)")
    p_regions.add_argument("--level", default="region", help="region (default) or departement")
    p_regions.set_defaults(func=_cmd_regions)

    p_years = sub.add_parser("years", help="list the report years and what each source covers")
    p_years.add_argument("--data-dir", metavar="DIR", help="raw-data folder (default data/raw)")
    p_years.set_defaults(func=_cmd_years)

    p_build = sub.add_parser("build", help="build the HTML reports, key figures and index")
    p_build.add_argument(
        "--region",
        nargs="+",
        metavar="CODE",
        help="region codes, FR for France (default: all and FR); with --level departement, "
        "the départements of these regions",
    )
    p_build.add_argument(
        "--level",
        nargs="+",
        metavar="LEVEL",
        help="region (default) and/or departement; both: départements first, and the "
        "regional reports link to them",
    )
    p_build.add_argument(
        "--area",
        nargs="+",
        metavar="CODE",
        help="département codes (2A, 971...) with --level departement (default: all 101)",
    )
    p_build.add_argument("--year", nargs="+", metavar="YEAR", help="years (default: latest)")
    p_build.add_argument(
        "--jobs",
        type=_positive_int,
        metavar="N",
        help="reports run at once, 1 or more (default: number of cores)",
    )
    p_build.add_argument(
        "--out", default="reports", metavar="DIR", help="output folder (default reports)"
    )
    p_build.add_argument("--data-dir", metavar="DIR", help="raw-data folder (default data/raw)")
    p_build.add_argument(
        "--date",
        type=_iso_date,
        metavar="YYYY-MM-DD",
        help="date printed in the reports (default: $ANALYSIS_EDITION_DATE, "
        "$SOURCE_DATE_EPOCH, else today); the same inputs and date give the same bytes",
    )
    p_build.add_argument(
        "--isolation",
        choices=("warm", "cold"),
        default="warm",
        help="warm (default): each report's kernel is forked from a process that has "
        "imported the libraries and read the data; cold: a new Python process per "
        "report. Both give the same bytes",
    )
    p_build.add_argument(
        "--force",
        action="store_true",
        help="rebuild every report, even those up to date (by default a report is "
        "skipped when nothing it depends on changed: notebook, code, parameters, data, lock)",
    )
    p_build.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="run the reports on an existing Dask cluster (e.g. tcp://10.0.0.5:8786); the "
        "files come back here and are written into --out (see the README)",
    )
    p_build.set_defaults(func=_cmd_build)

    p_diff = sub.add_parser(
        "diff",
        help="list the key figures that differ between two report folders (revised values, "
        "new periods, new source or field)",
    )
    p_diff.add_argument("old", help="the earlier report folder")
    p_diff.add_argument("new", help="the later report folder")
    p_diff.set_defaults(func=_cmd_diff)
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
    except BrokenPipeError:  # `python -m analysis regions | head`: the reader left
        sys.stdout = open(os.devnull, "w")
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
