"""Time loading every dataset in a fresh process: cold (empty cache) against cached.

Each run is a new interpreter, as a papermill kernel is, and imports the package itself;
the two are measured side by side in one run so the comparison shares the machine's state.

    .venv/bin/python tools/bench_load.py [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time

LOAD_ALL = """
import analysis as an
an.read_regions(); an.read_departements(); an.read_region_shapes(); an.read_a17_labels()
for level in ("departement", "region", "france"):
    an.read_insee_employment(level=level)
for level in ("zone", "region", "france"):
    an.read_urssaf_employment(level=level)
an.read_urssaf_region_series(); an.read_apprenticeship()
for level in ("basin", "region", "france"):
    an.read_bmo(level=level)
"""
IMPORT_ONLY = "import analysis"


def _run(code: str, cache_dir: str) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", code],
        check=True,
        env={**__import__("os").environ, "ANALYSIS_CACHE_DIR": cache_dir},
    )
    return time.perf_counter() - start


def main() -> None:
    """Print the median wall time of each scenario."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rows = {"import only": [], "cold (empty cache)": [], "cached": []}
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as cache:
            rows["import only"].append(_run(IMPORT_ONLY, cache))
            rows["cold (empty cache)"].append(_run(LOAD_ALL, cache))
            rows["cached"].append(_run(LOAD_ALL, cache))
    print(f"Loading every dataset in a fresh process (median of {args.repeat} runs):")
    for name, times in rows.items():
        print(f"  {name:<20} {statistics.median(times):6.2f} s")


if __name__ == "__main__":
    main()
