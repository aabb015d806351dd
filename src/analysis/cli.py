"""Command line: parse, call the library, map errors to exit codes.

``python -m analysis fetch [--mirror DIR] [--data-dir DIR] [--force]``
    Fill the raw-data folder with the catalogue's files, verified by sha256.
``python -m analysis sources [--data-dir DIR] [--check]``
    List every dataset with its coverage and local status (present, missing, corrupt),
    and the files that the vintage file (``data/vintages.json``) pins to a newer version.
``python -m analysis updates [--apply] [--data-dir DIR] [--source ID ...]``
    Ask each file's publisher (GitHub, data.gouv.fr, open.urssaf.fr APIs, or the URL's
    headers) whether a newer version exists, and print for each file "up to date" or what
    is new. ``--apply`` downloads the new files, verifies them (announced checksum, the
    loader must parse them), installs them all or none, keeps the replaced files under
    ``data/raw/.previous/``, records the new versions in ``data/vintages.json``, then
    rebuilds the reports published in ``--out`` (default ``reports``) that read a new file
    (the incremental build; ``--no-build`` skips it).
``python -m analysis regions [--level departement]``
    List the region (or département) codes a report can be built for.
``python -m analysis years``
    List the years a report can be built for, and what each source covers in them.
``python -m analysis build [--level region|departement ...] [--region CODE ...]``
``[--area CODE ...] [--year YEAR ...] [--jobs N] [--out DIR]``
``[--date YYYY-MM-DD] [--force] [--no-pdf] [--isolation warm|cold] [--scheduler ADDRESS]``
    Build the reports (default: every region and France, latest year) and the index;
    ``--level departement`` builds the départements (of ``--area``, else of ``--region``,
    else all 101) into ``<year>/departements/``, and with ``region`` too, the regional
    reports that link to them. Reports whose inputs have not changed are skipped unless
    ``--force``. Each report gets its PDF (printed by Chromium, when installed), its
    workbook, CSV files and key figures beside it.

Exit codes are those of :mod:`analysis.errors` (2 bad parameters, 3 checksum, 4 source
unavailable, 5 data not fetched, 6 malformed file, 8 output not writable, 9 no Dask
scheduler); ``build`` exits 1 when a report failed; 130 when interrupted. ``updates``
exits 0 when every file is up to date (nothing new) and 10 (``errors.NEW_DATA``) when a
new file is available (with ``--apply``: installed, recorded, and the new edition built);
4 when a publisher could not be asked, 3 when a download is not the announced file, 6
when its loader refuses a new file, 1 when a report of the new edition failed.
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
from .sources import CATALOGUE, catalogue


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
    from ._vintages import read_vintages
    from .config import fetch_hint
    from .errors import ChecksumError, DataNotFetchedError

    paths = DataPaths.resolve(args.data_dir)
    raw = paths.raw
    sources = catalogue(args.data_dir)
    vintages = read_vintages(args.data_dir)
    statuses = {s.id: file_status(s, raw) for s in sources}
    width = max(len(s.id) for s in sources)
    print(f"Datasets of the catalogue (raw-data folder: {raw})\n")
    for source in sources:
        print(f"{source.id:<{width}}  {statuses[source.id]:<8} {source.title}")
        print(f"{'':<{width}}  {'':<8} {source.publisher}; {source.licence}")
        print(f"{'':<{width}}  {'':<8} coverage: {source.coverage}")
        print(f"{'':<{width}}  {'':<8} traps: {source.traps}")
        print(f"{'':<{width}}  {'':<8} file: {source.path} ({source.size:,} bytes)")
        if source.id in vintages:
            v = vintages[source.id]
            print(
                f"{'':<{width}}  {'':<8} pinned by the vintage file {paths.vintages}: version "
                f"{v.version or '-'}, published {v.published[:10] or '-'}, retrieved "
                f"{v.retrieved or '-'}, from {v.url}"
            )
        print()
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


def _cmd_updates(args: argparse.Namespace) -> int:
    from . import updates
    from .errors import NEW_DATA, SourceUnavailableError

    paths = DataPaths.resolve(args.data_dir)
    answers = updates.check(args.data_dir, sources=args.source)
    print(f"Asking the publishers about {len(answers)} file(s) (raw-data folder: {paths.raw})")
    width = max((len(u.source.id) for u in answers), default=0)
    for update in answers:
        print(f"  {update.source.id:<{width}}  {update.status:<10}  {update.describe()}")
        if update.status == "new":
            print(f"  {'':<{width}}  {'':<10}  {update.url}")
    counts = {s: sum(u.status == s for u in answers) for s in ("new", "up to date", "unknown")}
    summary = ", ".join(f"{n} {status}" for status, n in counts.items() if n)
    unknown = [u for u in answers if u.status == "unknown"]
    if unknown:
        print(f"Summary: {summary}.")
        lines = [f"{len(unknown)} file(s) could not be checked with their publisher:"]
        lines += [f"  - `{u.source.id}`: {u.reason}." for u in unknown]
        if args.apply:
            lines.append(f"Nothing was installed; {paths.raw} and {paths.vintages} are unchanged.")
        raise SourceUnavailableError("\n".join(lines))
    if not counts["new"]:
        print(f"Summary: {summary}: nothing new.")
        return 0
    if not args.apply:
        print(
            f"Summary: {summary}. `python -m analysis updates --apply` downloads, verifies "
            "and installs the new file(s), and records them in the vintage file."
        )
        return NEW_DATA
    print(f"Downloading and verifying {counts['new']} new file(s)", flush=True)
    done = updates.apply(args.data_dir, updates=answers)
    for applied in done:
        old, new = applied.update.source, applied.source
        if applied.action == "unchanged":
            print(f"  unchanged  {new.id}: the same file as before; its version was recorded")
            continue
        print(
            f"  installed  {new.id}  {new.path}  {old.size:,} -> {new.size:,} bytes, sha256 "
            f"{old.sha256[:12]} -> {new.sha256[:12]}"
        )
        if applied.previous is not None:
            kept = applied.previous.relative_to(paths.raw)
            print(f"  {'':<9}  the replaced file is kept as {kept}")
    installed = sum(a.action == "installed" for a in done)
    print(
        f"Summary: {installed} new file(s) installed and {len(done)} version(s) recorded in "
        f"{paths.vintages} (commit it); {counts['up to date']} up to date."
    )
    if not installed:
        return 0
    if args.no_build:
        return NEW_DATA
    return _new_edition(args)


def _new_edition(args: argparse.Namespace) -> int:
    """Rebuild the reports published in ``args.out`` (those that read a new file)."""
    from . import build
    from .errors import NEW_DATA

    jobs = build.plan_published(args.out, data_dir=args.data_dir)
    if not jobs:
        print(
            f"\nNo report is published in {args.out} yet: `python -m analysis build` builds them."
        )
        return NEW_DATA
    print(f"\nNew edition: the {len(jobs)} report(s) published in {args.out}", flush=True)
    code = _run_build(args, jobs, time.perf_counter())
    return NEW_DATA if code == 0 else code


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
    from . import build

    started = time.perf_counter()
    print(f"Planning the reports into {args.out}", flush=True)  # at once, before any work
    jobs = build.plan(
        args.region,
        args.year,
        out=args.out,
        data_dir=args.data_dir,
        levels=args.level or ["region"],
        areas=args.area,
        pdf=False if args.no_pdf else None,
    )
    return _run_build(args, jobs, started)


def _run_build(args: argparse.Namespace, jobs: list, started: float) -> int:
    """Build ``jobs`` with progress, write the index, print the summary; the exit code."""
    from . import build, index
    from ._progress import BuildProgress

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
    unprinted = [o for o in outcomes if o.details.get("pdf", "").startswith("not printed")]
    if jobs and not jobs[0].printed and not args.no_pdf:
        print("No PDF: Chromium is not installed (`make browser` installs Debian's chromium).")
    page = Path(args.out) / "index.html"
    printed = any(o.details.get("pdf") == "printed" for o in outcomes)
    if built or failed or printed or not page.is_file():  # else the page is right as it is
        page = index.write_index(args.out)
    elapsed = time.perf_counter() - started
    fresh = len(outcomes) - len(built) - len(failed)
    print(
        f"\nSummary ({elapsed:.1f} s in all): {len(built)} built, {fresh} up to date, "
        f"{len(failed)} failed"
    )
    pdfs = [o.details["pdf"] for o in outcomes if o.details.get("pdf")]
    if pdfs:
        fresh_pdfs = pdfs.count("up to date")
        print(
            f"PDF (Chromium): {pdfs.count('printed')} printed, {fresh_pdfs} up to date"
            + (f", {len(unprinted)} not printed" if unprinted else "")
        )
    for outcome in built + failed:
        where = outcome.job.html if outcome.ok else outcome.details.get("failed_notebook", "")
        state = "built" if outcome.ok else "FAILED"
        print(f"  {outcome.job.label:<40} {state:<6} {outcome.seconds:6.1f} s  {where}")
        if not outcome.ok:
            print(f"      {outcome.error}")
    print(f"Index: {page}")
    for outcome in unprinted:
        print(f"  {outcome.job.label:<40} PDF {outcome.details['pdf']}", file=sys.stderr)
    if failed or unprinted:
        kept = [o for o in failed if o.details.get("failed_notebook")]
        hint = (
            " Open the .failed.ipynb notebook(s) listed above to see the error in place."
            if kept
            else ""
        )
        if failed:
            print(
                f"{len(failed)} of {len(outcomes)} report(s) failed; earlier versions, if "
                f"any, are kept.{hint}",
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

    p_updates = sub.add_parser(
        "updates",
        help="ask the publishers for newer versions of the files (--apply installs them)",
    )
    p_updates.add_argument(
        "--apply",
        action="store_true",
        help="download the new files, verify them (announced checksum; their loader must "
        "parse them), install them all or none and record them in data/vintages.json",
    )
    p_updates.add_argument("--data-dir", metavar="DIR", help="raw-data folder (default data/raw)")
    p_updates.add_argument(
        "--source", nargs="+", metavar="ID", help="only these files (ids of `sources`)"
    )
    p_updates.add_argument(
        "--out",
        default="reports",
        metavar="DIR",
        help="the published reports that --apply rebuilds when they read a new file "
        "(default reports)",
    )
    p_updates.add_argument(
        "--no-build", action="store_true", help="with --apply: install the files, build nothing"
    )
    p_updates.add_argument(
        "--jobs", type=_positive_int, metavar="N", help="processes to build with"
    )
    p_updates.set_defaults(
        func=_cmd_updates, isolation="warm", force=False, scheduler=None, no_pdf=False
    )

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
        "--no-pdf",
        action="store_true",
        help="do not print the reports to PDF (by default each report is printed by "
        "Debian's chromium when it is installed)",
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
