"""Indicators of the reports on the real files: source choice, periods, pinned figures.

Witnesses: SOURCES.md for the URSSAF totals (France 2024: 3.18 M industrial employees of
19.995 M) and the INSEE 2019T4 figure (3.17 M); DITP IND-313 for the monthly cumulative
apprenticeship series; the shift-share identity for the decomposition.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import FRANCE, METROPOLITAN_REGIONS, REGION_CODES, ParameterError
from analysis import indicators as ind
from analysis.datasets import METROPOLE, Datasets
from analysis.keyfigures import key_figures
from analysis.parameters import check_region, check_year

pytestmark = pytest.mark.realdata


@pytest.fixture(scope="module")
def ds(raw_dir):
    return Datasets(raw_dir)


def test_report_years_span_the_sources(ds):
    assert ind.report_years(ds) == list(range(2010, 2025))
    coverage = ind.source_coverage(ds)
    assert coverage.loc[2021, "insee"] == "" and coverage.loc[2021, "urssaf"] == ""
    assert coverage.loc[2020, "insee"] == "2020Q1"
    assert "partial" in coverage.loc[2024, "apprenticeship"]


@pytest.mark.parametrize(
    ("year", "source", "period", "previous"),
    [
        (2024, ind.URSSAF_SOURCE, 2024, 2023),
        (2022, ind.URSSAF_SOURCE, 2022, 2019),  # no 2020-2021 in the URSSAF file
        (2020, ind.INSEE_SOURCE, pd.Period("2020Q1", "Q"), pd.Period("2019Q1", "Q")),
        (2019, ind.INSEE_SOURCE, pd.Period("2019Q4", "Q"), pd.Period("2018Q4", "Q")),
        (2010, ind.INSEE_SOURCE, pd.Period("2010Q4", "Q"), None),  # France starts at 2010T4
    ],
)
def test_employment_source_choice(ds, year, source, period, previous):
    choice = ind.employment_choice(ds, year)
    assert (choice.source, choice.period, choice.previous) == (source, period, previous)


def test_no_employment_source_for_2021(ds):
    assert ind.employment_choice(ds, 2021) is None
    choice, table = ind.employment_table(ds, 2021)
    assert choice is None and table["industry"].isna().all()


def test_industrial_employment_2024_matches_sources_md(ds):
    _, table = ind.employment_table(ds, 2024)
    assert table.loc[FRANCE, "industry"] == 3_179_726
    assert table.loc[FRANCE, "total"] == 19_995_376
    assert table.loc["11", "industry"] == 437_510
    assert np.isnan(table.loc["06", "industry"])  # Mayotte: not in the URSSAF file
    metro = table.loc[list(METROPOLITAN_REGIONS), "industry"].sum()
    assert table.loc[METROPOLE, "industry"] == metro
    assert table.loc["84", "rank_metro"] == 1 and table.loc["11", "rank_metro"] == 2
    assert table.loc[list(REGION_CODES), "rank_all"].max() == 17


def test_industrial_employment_2019_is_insee_fourth_quarter(ds):
    _, table = ind.employment_table(ds, 2019)
    assert table.loc[FRANCE, "industry"] == pytest.approx(3_166_970, abs=1)  # SOURCES.md 3.17 M
    assert table.loc["11", "share_pct"] == pytest.approx(7.26, abs=0.01)  # 7.3 % in SOURCES.md
    assert table.loc[FRANCE, "share_pct"] == pytest.approx(12.4, abs=0.05)


def test_apprenticeship_2024_edition_heads_with_the_last_complete_year(ds):
    """January-April never heads a figure or ranks regions; it comes apart, like for like."""
    table = ind.apprenticeship_table(ds, 2024)
    france = table.loc[FRANCE]
    # DITP IND-313, France: 852 235 in 2023 against 833 406 in 2022 (December totals).
    assert (france["year"], france["contracts"], france["previous"]) == (2023, 852_235, 833_406)
    assert france["period"] == "année 2023"
    assert france["per_thousand"] == pytest.approx(852_235 / 19_969_005 * 1000)
    # DITP, France, January-April: 71 605 in 2024 against 62 589 in 2023.
    assert france["partial_contracts"] == 71_605 and france["partial_previous"] == 62_589
    assert france["partial_period"] == "janvier-avril 2024"
    assert france["partial_change_pct"] == pytest.approx((71_605 / 62_589 - 1) * 100)
    assert table.loc[list(REGION_CODES), "partial_contracts"].sum() == 71_605
    ranks = table.loc[list(METROPOLITAN_REGIONS), "rank_metro"]
    assert sorted(ranks) == list(range(1, 14))
    assert table.loc["11", "rank_metro"] == 1  # on 2023, not on January-April


def test_apprenticeship_2022_change_crosses_the_etalab_ditp_hand_over(ds):
    """Etalab's 2022-10-31 value is twelve rolling months, so 2021 -> 2022 is computable.

    Witness: +13,9 %, the change of new contracts DARES publishes for 2022 (as quoted in
    issue 8 of our tracker): 833 406 against 731 785 in France.
    """
    table = ind.apprenticeship_table(ds, 2022)
    france = table.loc[FRANCE]
    assert france["contracts"] == 833_406 and france["previous"] == 731_785
    assert round(france["change_pct"], 1) == 13.9
    assert france["source_break"] == "etalab_ditp"
    check = ind.rolling_twelve_months_check(ds)
    assert check.loc[FRANCE, "rolling"] == 834_549
    assert check.loc[FRANCE, "gap_pct"] == pytest.approx(0.137, abs=0.001)
    assert (check.loc[list(REGION_CODES), "gap_pct"].abs() < 2).sum() == 16


def test_apprenticeship_2020_change_is_flagged_poem_to_deca(ds):
    table = ind.apprenticeship_table(ds, 2020)
    assert table.loc[FRANCE, "change_pct"] == pytest.approx((526_418 / 368_968 - 1) * 100)
    assert (table["source_break"] == "poem_deca").all()
    assert round(table.loc["04", "change_pct"], 1) == 172.2  # La Réunion: says the break
    table = ind.apprenticeship_table(ds, 2021)
    assert table.loc[FRANCE, "change_pct"] == pytest.approx((731_785 / 526_418 - 1) * 100)
    assert (table["source_break"] == "").all()


def test_apprenticeship_small_bases_are_not_significant(ds):
    series = ind.apprenticeship_series(ds).set_index(["region", "year"])
    mayotte = series.loc[("06", 2018)]
    assert mayotte["previous"] < ind.MIN_BASE and not mayotte["significant"]
    assert series.loc[(FRANCE, 2018), "significant"]


def test_no_apprenticeship_figure_before_the_sources_start(ds):
    assert ind.headline_apprenticeship_year(ds, 2016) is None
    assert ind.apprenticeship_table(ds, 2016)["contracts"].isna().all()
    assert ind.headline_apprenticeship_year(ds, 2024) == 2023


def test_shift_share_adds_up_on_real_data(ds):
    table, dropped = ind.decomposition(ds, "84", 2019, 2024)
    effects = table[["national", "mix", "regional"]].sum(axis=1)
    np.testing.assert_allclose(effects, table["change"], atol=1e-6)
    assert table["contribution"].sum() == pytest.approx(
        table["change"].sum() / table["start"].sum() * 100
    )
    assert set(dropped).isdisjoint(table.index)


def test_branch_table_marks_opco_branches(ds):
    table = ind.branch_table(ds, "84", 2024).set_index("a38")
    assert set(ind.HIGHLIGHTED_BRANCHES) <= set(table.index)
    assert table["highlighted"].sum() == len(ind.HIGHLIGHTED_BRANCHES)
    assert table["share_pct"].sum() == pytest.approx(100)
    # Auvergne-Rhône-Alpes is the metallurgy region: CH weighs more than in France métro.
    assert table.loc["CH", "quotient"] > 1.2


def test_recruitment_summary_france(ds):
    """France Travail's family "Ouvriers des secteurs de l'industrie" (known cells)."""
    summary = ind.recruitment_summary(ds, FRANCE)
    assert summary["projects"] == 197_960 and summary["staff_projects"] == 21_622
    assert summary["share_pct"] == pytest.approx(197_960 / 2_401_105 * 100)
    assert summary["masked_cells"] > 0


def test_bmo_shares_need_thirty_projects(ds):
    table, _ = ind.bmo_table(ds, "06", top=40)
    small = table[table["projects"] < ind.MIN_PROJECTS]
    assert len(small) and small["difficult_pct"].isna().all() and small["small_base"].all()
    assert not table["occupation_name"].str.contains("Ouviers").any()


def test_key_figure_ids_and_periods(ds):
    figures = {f.id: f for f in key_figures(ds, "32", 2023)}
    assert list(figures)[:6] == [
        "industrial_employment",
        "industrial_employment_change_pct",
        "industry_share_pct",
        "industrial_employment_rank",
        "apprenticeship_contracts",
        "apprenticeship_contracts_change_pct",
    ]
    assert figures["industrial_employment"].period == "2023"
    assert figures["industrial_employment_change_pct"].period == "de 2022 à 2023"
    assert figures["apprenticeship_contracts"].period == "année 2023"


@pytest.mark.parametrize(
    ("given", "expected"), [("11", "11"), ("4", "04"), (" 04 ", "04"), ("fr", "FR"), (84, "84")]
)
def test_check_region_normalises(ds, given, expected):
    assert check_region(ds, given) == expected


@pytest.mark.parametrize("bad", ["99", "05", "", "Île-de-France"])
def test_check_region_lists_valid_codes(ds, bad):
    with pytest.raises(ParameterError, match=r"Valid codes: 01 \(Guadeloupe\)") as info:
        check_region(ds, bad)
    assert info.value.exit_code == 2


@pytest.mark.parametrize("bad", [2009, 2025, "2024a", None])
def test_check_year_lists_available_years(ds, bad):
    with pytest.raises(ParameterError, match="Years available: 2010, 2011"):
        check_year(ds, bad)
    assert check_year(ds, "2023") == 2023


def test_changes_are_like_for_like_on_secret_cells(ds):
    """Pharmacie in zone 9307 is secret until 2023 and shows 609 employees in 2024: on
    the cells known in both years PACA's industry grows by 1,1 %, not the 1,4 % of the
    known-cell sums, and its Pharmacie falls (-1,7 %) instead of rising (+15,2 %)."""
    _, table = ind.employment_table(ds, 2024)
    naive = (table.loc["93", "industry"] / table.loc["93", "previous"] - 1) * 100
    assert round(naive, 1) == 1.4
    assert round(table.loc["93", "change_pct"], 1) == 1.1
    branches = ind.branch_table(ds, "93", 2024).set_index("a38")
    assert round(branches.loc["CF", "change_pct"], 1) == -1.7
    index = ind.urssaf_industry_index(ds)
    assert index.loc[2024, "93"] / index.loc[2023, "93"] == pytest.approx(
        1 + table.loc["93", "change_pct"] / 100
    )


def test_like_for_like_pairs_mask_a_cell_in_both_years(raw_dir):
    import analysis as an

    pair = an.read_urssaf_employment(level="zone", common_years=(2023, 2024), data_dir=raw_dir)
    cell = pair[(pair["zone"] == "9307") & (pair["a38"] == "CF")]
    assert sorted(cell["year"]) == [2023, 2024] and cell["employment"].isna().all()
    with pytest.raises(ParameterError, match="no data for one of the years"):
        an.read_urssaf_employment(level="zone", common_years=(2020, 2024), data_dir=raw_dir)
