"""The section functions of :mod:`analysis.sections`, called with a report, on the real files.

Notes
-----
Each report method hands the report to one function of a section module;
calling that function directly must give the same HTML, byte for byte (the charts'
PNG included). One region (Île-de-France, 2024) and the France overview of 2024.

``plots.FrenchTicks`` reads ``Formatter.locs``, deprecated in Matplotlib 3.11: the warning
is silenced here, where charts are drawn under ``-W error``, and left to the plots.
"""

from __future__ import annotations

import inspect
import re

import pytest

from analysis import sections
from analysis.datasets import Datasets
from analysis.sections import (
    apprenticeship,
    branches,
    comparison,
    decomposition,
    employment,
    france,
    recruitment,
)
from analysis.sections import sources as sources_section

pytestmark = [
    pytest.mark.realdata,
    pytest.mark.filterwarnings("ignore:The locs attribute was deprecated in Matplotlib"),
]

#: (method, section function) of each report; title and summary live on the base class.
REGION_SECTIONS = {
    "employment": employment.employment,
    "branches": branches.branches,
    "decomposition": decomposition.decomposition,
    "apprenticeship": apprenticeship.apprenticeship,
    "recruitment": recruitment.recruitment,
    "comparison": comparison.comparison,
    "regions_table": comparison.regions_table,
    "share_map": comparison.share_map,
    "sources": sources_section.sources,
}
FRANCE_SECTIONS = {
    "maps": france.maps,
    "rankings": france.rankings,
    "trends": france.trends,
    "apprenticeship": france.apprenticeship,
    "recruitment": france.recruitment,
    "regions_table": comparison.regions_table,
    "share_map": comparison.share_map,
    "sources": sources_section.sources,
}
ON_THE_BASE = {"title", "summary"}


@pytest.fixture(scope="module")
def ds(raw_dir):
    return Datasets(raw_dir)


@pytest.fixture(scope="module")
def region_report(ds):
    return sections.RegionReport("11", 2024, datasets=ds)


@pytest.fixture(scope="module")
def france_report(ds):
    return sections.FranceReport(2024, datasets=ds)


def _html(result) -> str:
    return result._repr_html_()


def _public_methods(cls) -> set[str]:
    return {n for n, _ in inspect.getmembers(cls, inspect.isfunction) if not n.startswith("_")}


@pytest.mark.parametrize(
    ("cls", "table"),
    [(sections.RegionReport, REGION_SECTIONS), (sections.FranceReport, FRANCE_SECTIONS)],
)
def test_every_section_function_has_its_method(cls, table):
    assert set(table) | ON_THE_BASE <= _public_methods(cls)


@pytest.mark.parametrize("method", sorted(REGION_SECTIONS))
def test_region_section_function_is_the_method(region_report, method):
    direct = REGION_SECTIONS[method](region_report)
    assert _html(direct) == _html(getattr(region_report, method)())


@pytest.mark.parametrize("method", sorted(FRANCE_SECTIONS))
def test_france_section_function_is_the_method(france_report, method):
    direct = FRANCE_SECTIONS[method](france_report)
    assert _html(direct) == _html(getattr(france_report, method)())


def test_package_exports():
    assert sections.__all__ == [
        "DepartementReport",
        "FranceReport",
        "RegionReport",
        "report_title",
    ]
    assert sections.report_title("Bretagne", 2024) == "Industrie et apprentissage — Bretagne — 2024"


@pytest.mark.realdata
@pytest.mark.parametrize("year", [2019, 2021, 2024])
def test_every_section_of_every_area_renders(year, raw_dir):
    """All 18 regions and France, in an INSEE year, a year without employment data and an
    URSSAF year with a partial apprenticeship year: every section renders (Mayotte, with
    neither INSEE nor URSSAF data, broke the branches once)."""
    from analysis import REGION_CODES
    from analysis.datasets import Datasets

    ds = Datasets(raw_dir)
    for code in [*REGION_CODES, "FR"]:
        report = (
            sections.FranceReport(year, datasets=ds)
            if code == "FR"
            else sections.RegionReport(code, year, datasets=ds)
        )
        names = [n for n in dir(report) if not n.startswith("_") and callable(getattr(report, n))]
        for name in names:
            shown = getattr(report, name)()
            html = shown._repr_html_() if hasattr(shown, "_repr_html_") else ""
            text = re.sub(r'src="data:image/png;base64,[^"]*"', "", html)
            assert not re.search(r"\b(nan|NaN|None)\b", text), (code, name)


@pytest.mark.realdata
@pytest.mark.parametrize(
    ("year", "field"), [(2019, "ensemble des salariés"), (2024, "salariés du privé")]
)
def test_rank_card_names_the_field_of_its_source(year, field, raw_dir):
    """INSEE's field, "ensemble des salariés, public et privé", contains the word "privé":
    the label must come from the source, not from a word in the field."""
    card = sections.RegionReport("11", year, data_dir=raw_dir)._rank_card()
    assert card.label == f"Rang de l'emploi industriel ({field})"
