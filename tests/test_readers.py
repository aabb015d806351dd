"""Each report notebook reads the catalogue files ``incremental.NOTEBOOK_SOURCES`` declares.

The incremental build rebuilds a report when a file it reads changes, and only then
(``updates --apply`` relies on it). Here each kind of report is computed in a fresh
process with every section and the key figures, recording each file opened through
``_cache._verified`` (the one door to ``data/raw``: ``raw_file`` and ``load_cached`` both
verify a file there before it is read), and the set is compared with the declaration.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from analysis.incremental import NOTEBOOK_SOURCES, fingerprint, raw_digests, sources_read_by
from analysis.sources import CATALOGUE

pytestmark = pytest.mark.realdata

_RECORD = """
import json, sys
import analysis._cache as cache
opened = set()
real = cache._verified
def verified(source, data_dir=None):
    opened.add(source.id)
    return real(source, data_dir)
cache._verified = verified
from analysis import sections
kind, area, year = sys.argv[1], sys.argv[2], int(sys.argv[3])
report = {
    "region_report": lambda: sections.RegionReport(area, year),
    "departement_report": lambda: sections.DepartementReport(area, year),
    "france_overview": lambda: sections.FranceReport(year),
}[kind]()
report.title()
for _, names in report.SECTIONS:
    for name in names:
        getattr(report, name)()
report.key_figures()
print(json.dumps(sorted(opened)))
"""

CASES = [
    ("region_report", "94", 2024),
    ("region_report", "04", 2019),
    ("departement_report", "2A", 2024),
    ("france_overview", "FR", 2024),
]


@pytest.fixture(scope="module")
def opened(raw_dir):
    """Run the four reports at once (two cores: about 10 s) and return what each opened."""
    runs = {
        case: subprocess.Popen(
            [sys.executable, "-c", _RECORD, *map(str, case)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for case in CASES
    }
    result = {}
    for case, process in runs.items():
        out, err = process.communicate(timeout=600)
        assert process.returncode == 0, err[-2000:]
        result[case] = tuple(json.loads(out.strip().splitlines()[-1]))
    return result


@pytest.mark.parametrize("case", CASES, ids=["-".join(map(str, c)) for c in CASES])
def test_each_report_reads_only_declared_files(opened, case):
    # Some areas read less (La Réunion, one département, has no département map).
    assert set(opened[case]) <= set(NOTEBOOK_SOURCES[case[0]])


def test_each_declared_file_is_read_by_some_report_of_its_notebook(opened):
    for stem, declared in NOTEBOOK_SOURCES.items():
        read = set().union(*(files for case, files in opened.items() if case[0] == stem))
        assert read == set(declared), stem


def test_every_catalogue_file_is_read_by_some_report():
    read = {source for sources in NOTEBOOK_SOURCES.values() for source in sources}
    assert read == {source.id for source in CATALOGUE}


def test_a_new_file_changes_the_key_of_its_readers_only(raw_dir, tmp_path):
    notebooks = {stem: f"notebooks/{stem}.ipynb" for stem in NOTEBOOK_SOURCES}
    raw = raw_digests(raw_dir)

    def keys(digests):
        return {
            stem: fingerprint(path, {"year": 2024}, raw=digests).key
            for stem, path in notebooks.items()
        }

    before = keys(raw)
    for source in CATALOGUE:
        after = keys({**raw, source.id: "0" * 64})
        changed = {stem for stem in notebooks if after[stem] != before[stem]}
        assert changed == {stem for stem in notebooks if source.id in sources_read_by(stem)}
    # A label file read by the département reports only.
    assert {s for s in notebooks if "insee_a17_labels" in sources_read_by(s)} == {
        "departement_report"
    }
