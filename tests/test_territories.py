"""Département figures on the real files: pinned values, published witnesses, sums.

Witnesses: INSEE's own regional notes on the overseas départements (each one a
single-département region, so its regional figure is the département's), quoted below
with their addresses. They are rounded to the hundred and come from vintages a few
months apart from our file (ETE published for 2020T1), hence the tolerances.
"""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import keyfigures
from analysis import territories as ter
from analysis.datasets import Datasets
from analysis.errors import ParameterError
from analysis.levels import DEPARTEMENT, LEVELS, REGION, get_level

DEP, REG, FR = ter.DEPARTEMENT, ter.REGION, ter.NATIONAL


@pytest.fixture(scope="module")
def ds(raw_dir):
    return Datasets(raw_dir)


@pytest.fixture(scope="module")
def levels_2019(ds):
    return ter.employment_levels(ds, 2019)


def _total(ds, code: str, quarter: str) -> float:
    rows = ds.insee_departements
    rows = rows[(rows["departement"] == code) & (rows["quarter"] == pd.Period(quarter, "Q"))]
    return float(rows["employment"].sum(min_count=17))


# -- published witnesses ---------------------------------------------------------------
# (département, quarter, field, published value, tolerance, source)
WITNESSES = [
    # « Au 3e trimestre 2019, 263 400 salariés et salariées travaillent à La Réunion,
    # secteurs privé et public confondus. » Insee Conjoncture Réunion n° 11 (09/01/2020),
    # https://www.insee.fr/fr/statistiques/4280547
    ("974", "2019Q3", "total", 263_400, 0.005),
    # « Fin mars 2020, 55 200 salariés travaillent en Guyane » Insee Conjoncture Guyane
    # n° 10 (10/07/2020), https://www.insee.fr/fr/statistiques/4631732
    ("973", "2020Q1", "total", 55_200, 0.005),
    # « Le nombre de salariés s'établit ainsi à 117 400 » (fin mars 2020), Insee
    # Conjoncture Guadeloupe n° 10 (10/07/2020), https://www.insee.fr/fr/statistiques/4629194
    ("971", "2020Q1", "total", 117_400, 0.005),
    # « l'effectif salarié s'établit à 54 700 au 2e trimestre 2019 en Guyane », Insee
    # Guyane, https://www.insee.fr/fr/statistiques/4230968
    ("973", "2019Q2", "total", 54_700, 0.005),
    # Figure 3, row « Industrie », Martinique, « Effectif T3 2018 » 8 300 (CVS, fin de
    # trimestre), Insee Martinique, « Un repli dû aux services non marchands »,
    # https://www.insee.fr/fr/statistiques/3708308 (an early-2019 vintage: 1.5 %)
    ("972", "2018Q3", "industry", 8_300, 0.015),
]


@pytest.mark.parametrize(("code", "quarter", "field", "published", "tolerance"), WITNESSES)
def test_departement_figures_match_published_insee_figures(
    ds, code, quarter, field, published, tolerance
):
    period = pd.Period(quarter, "Q")
    if field == "total":
        ours = _total(ds, code, quarter)
    else:
        levels = ter.employment_levels(ds, period.year)
        # the witness quarter is not the year's last: read the département's A17 cells
        rows = ds.insee_departements
        rows = rows[
            (rows["departement"] == code) & (rows["quarter"] == period) & (rows["a5"] == "BE")
        ]
        ours = float(rows["employment"].sum(min_count=5))
        assert (DEP, code) in levels.index
    assert ours == pytest.approx(published, rel=tolerance)


def test_guadeloupe_quarterly_fall_matches_the_published_jobs_lost(ds):
    """« Au total, 3 300 emplois ont été détruits à la fin mars » (2020T1, Guadeloupe)."""
    lost = _total(ds, "971", "2019Q4") - _total(ds, "971", "2020Q1")
    assert lost == pytest.approx(3_300, abs=100)


# -- pinned figures --------------------------------------------------------------------
def test_nord_2019_pinned(levels_2019):
    """Nord at 2019T4 (provisional), from ete_dep_a17_2020t1.xls, checked by hand."""
    nord = levels_2019.loc[(DEP, "59")]
    assert round(nord["industry"]) == 123_910
    assert nord["change_pct"] == pytest.approx(-0.4238, abs=1e-3)
    assert nord["share_pct"] == pytest.approx(12.58, abs=0.01)
    assert (nord["rank_region"], nord["of_region"], nord["rank_metro"]) == (1, 5, 1)


def test_gers_and_hauts_de_france_share_a_code_but_not_a_row(levels_2019):
    assert levels_2019.loc[(DEP, "32"), "name"] == "Gers"
    assert levels_2019.loc[(REG, "32"), "name"] == "Hauts-de-France"


def test_departements_add_up_to_their_region(levels_2019):
    deps = levels_2019.loc[DEP]
    sums = deps.groupby("region")["industry"].sum(min_count=1)
    regions = levels_2019.loc[REG].loc[sums.index, "industry"]
    known = regions.notna()
    assert known.sum() == 17  # every region but Mayotte
    assert (sums[known] - regions[known]).abs().max() < 1e-6
    france = levels_2019.loc[(FR, "FR"), "industry"]
    assert deps["industry"].sum() == pytest.approx(france)
    assert round(france, -3) == 3_167_000  # SOURCES.md: industry 3.17 M at 2019T4


def test_mayotte_is_missing_not_zero(levels_2019):
    mayotte = levels_2019.loc[(DEP, "976")]
    assert pd.isna(mayotte["industry"]) and pd.isna(mayotte["rank_region"])


def test_ranks_cover_96_metropolitan_departements(levels_2019):
    ranks = levels_2019.loc[DEP, "rank_metro"].dropna()
    assert len(ranks) == 96 and sorted(ranks) == list(range(1, 97))


def test_no_insee_after_2020(ds):
    assert ter.insee_quarter(ds, 2021) is None
    assert ter.employment_levels(ds, 2024).empty
    assert ter.latest_insee_quarter(ds, 2024).period == pd.Period("2020Q1", "Q")


def test_apprenticeship_departements_add_up_and_pin(ds):
    period = ter.apprenticeship_period(ds, 2023)
    assert period.complete and period.label == "2023"
    table = ter.apprenticeship_table(ds, period)
    deps = table.loc[DEP, "contracts"]
    assert len(deps) == 101
    # SOURCES.md: France 2023 = 852 235 (DITP, December cumulative)
    assert table.loc[(FR, "FR"), "contracts"] == 852_235
    # The départements' sum is within 0.5 % of France (DITP rounds nothing; contracts
    # whose employer's département is unknown are counted in France only).
    assert deps.sum() == pytest.approx(852_235, rel=0.005)
    assert table.loc[(DEP, "59"), "contracts"] == 31_910


def test_apprenticeship_2024_is_january_april_against_same_months(ds):
    period = ter.apprenticeship_period(ds, 2024)
    assert not period.complete and period.label == "janvier-avril 2024"
    table = ter.apprenticeship_table(ds, period)
    assert table.loc[(FR, "FR"), "contracts"] == 71_605  # SOURCES.md
    assert table.loc[(DEP, "59"), "previous"] == 2_438  # April 2023 cumulative


def test_bmo_departements_add_up_to_region_known_cells(ds):
    table = ter.recruitment_table(ds)
    deps = ds.departements.set_index("departement")["region"]
    sums = table.loc[DEP, "projects"].groupby(deps).sum()
    assert (sums - table.loc[REG].loc[sums.index, "projects"]).abs().max() < 1e-6
    assert table.loc[(DEP, "59"), "masked_cells"] == 31


def test_zone_table_marks_shared_zones(ds):
    zones = ter.zone_table(ds, "32", 2019)
    beauvais = zones.loc["0054"]
    assert beauvais["shared"] and 0.8 < beauvais["region_share"] < 1.0
    assert zones.loc["3216", "name"] == "Lille" and not zones.loc["3216", "shared"]
    assert zones["in_region"].is_monotonic_decreasing


# -- key figures -----------------------------------------------------------------------
def test_key_figures_of_a_departement(ds):
    figures = {f.id: f for f in keyfigures.departement_key_figures(ds, "59", 2019)}
    employment = figures["industrial_employment"]
    assert round(employment.value) == 123_910
    assert employment.period == "4e trimestre 2019" and "provisional" in employment.flags
    assert figures["apprenticeship_contracts"].value is None
    assert "2022" in figures["apprenticeship_contracts"].note
    assert figures["industrial_recruitment_projects"].flags == ("secret_cells",)


def test_key_figures_say_what_a_late_year_lacks(ds):
    figures = {f.id: f for f in keyfigures.departement_key_figures(ds, "2A", 2024)}
    assert figures["industrial_employment"].value is None
    assert "1er trimestre 2020" in figures["industrial_employment"].note
    assert figures["apprenticeship_contracts"].period == "2023"
    assert figures["apprenticeship_contracts_year_to_date"].period == "janvier-avril 2024"


def test_document_carries_the_level(ds):
    doc = keyfigures.document(
        "32",
        "Nord",
        2019,
        keyfigures.departement_key_figures(ds, "59", 2019),
        level="departement",
        code="59",
    )
    assert (doc["level"], doc["code"], doc["region"]) == ("departement", "59", "32")


# -- levels ----------------------------------------------------------------------------
def test_levels_know_their_folder_and_coverage():
    assert get_level("département") is DEPARTEMENT
    assert DEPARTEMENT.report_path(2019, "2A") == "2019/departements/2A.html"
    assert REGION.report_path(2019, "11") == "2019/11.html"
    assert DEPARTEMENT.coverage("ditp_ind313").covers(2022)
    assert not DEPARTEMENT.coverage("ditp_ind313").covers(2021)
    assert LEVELS["zone"].notebook is None
    with pytest.raises(ParameterError, match="Valid levels: region, departement"):
        get_level("zone")


@pytest.mark.parametrize(
    ("value", "expected"), [("1", "01"), (1, "01"), ("2a", "2A"), (" 971 ", "971"), ("59", "59")]
)
def test_departement_codes_are_normalised(value, expected):
    from analysis.parameters import normalise_departement

    assert normalise_departement(value) == expected


def test_series_keep_levels_apart(ds):
    """("departement", "06") is the Alpes-Maritimes, ("region", "06") Mayotte (no INSEE)."""
    series = ter.insee_series(
        ds, [(DEP, "06"), (REG, "06"), (DEP, "75")], until=pd.Period("2019Q4", "Q")
    )
    assert series[(DEP, "06")].notna().all() and series[(REG, "06")].isna().all()
    paris = series[(DEP, "75")]
    assert round(100 * paris.iloc[-1] / paris.iloc[0], 1) == 77.8  # Paris, 2010T4 = 100
