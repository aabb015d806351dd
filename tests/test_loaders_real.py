"""Figures of the real files, pinned, each with the witness it was checked against."""

from __future__ import annotations

import math

import pandas as pd
import pytest

import analysis as an

pytestmark = pytest.mark.realdata

Q = pd.Period


@pytest.fixture(scope="module")
def ete_region(raw_dir):
    return an.read_insee_employment(level="region", data_dir=raw_dir)


@pytest.fixture(scope="module")
def ete_france(raw_dir):
    return an.read_insee_employment(level="france", data_dir=raw_dir)


def _industry(frame, region, quarter):
    rows = frame[(frame.region == region) & (frame.quarter == Q(quarter, "Q")) & (frame.a5 == "BE")]
    assert len(rows) == 5  # C1, C2DE, C3, C4, C5
    return rows.employment.sum(min_count=5)


class TestInseeEmployment:
    def test_france_industry_2019q4(self, ete_france):
        # INSEE: about 3.167 million industrial salaried jobs at end 2019 (SOURCES.md: 3.17 M).
        assert _industry(ete_france, "FR", "2019Q4") == pytest.approx(3_166_970, abs=1)

    def test_france_all_sectors_2019q4(self, ete_france):
        # SOURCES.md sanity check: France total 25.54 M at 2019T4.
        total = ete_france[ete_france.quarter == Q("2019Q4", "Q")].employment.sum()
        assert total == pytest.approx(25.54e6, rel=5e-4)

    def test_industry_share_ile_de_france(self, ete_region):
        # Industry is about 7.3 % of salaried employment in Île-de-France at 2019T4.
        idf = ete_region[(ete_region.region == "11") & (ete_region.quarter == Q("2019Q4", "Q"))]
        share = idf[idf.a5 == "BE"].employment.sum() / idf.employment.sum()
        assert round(100 * share, 1) == 7.3

    def test_auvergne_rhone_alpes_2001(self, ete_region):
        # Insee Flash Auvergne-Rhône-Alpes n°136 gives 617 200 industrial jobs for 2001;
        # the file's end-2001 quarter is within 0.2 % of it.
        value = _industry(ete_region, "84", "2001Q4")
        assert value == pytest.approx(618_107, abs=1)
        assert value == pytest.approx(617_200, rel=2e-3)

    @pytest.mark.parametrize(
        ("region", "thousands"), [("84", 489), ("11", 434), ("44", 311), ("32", 287)]
    )
    def test_regional_industry_2019q4(self, ete_region, region, thousands):
        # SOURCES.md sanity checks at 2019T4, in thousands.
        assert round(_industry(ete_region, region, "2019Q4") / 1000) == thousands

    def test_empty_cells_stay_missing_never_zero(self, raw_dir, ete_region, ete_france):
        deps = an.read_insee_employment(level="departement", data_dir=raw_dir)
        before = deps.quarter < Q("2010Q4", "Q")
        assert deps.loc[before & (deps.a17 == "AZ"), "employment"].isna().all()
        assert deps.loc[before & (deps.departement == "974"), "employment"].isna().all()
        assert not (deps.employment == 0).any()
        # La Réunion (one département) is missing before 2010T4, present after.
        reunion = ete_region[(ete_region.region == "04") & (ete_region.a5 == "BE")]
        assert reunion[reunion.quarter < Q("2010Q4", "Q")].employment.isna().all()
        assert reunion[reunion.quarter >= Q("2010Q4", "Q")].employment.notna().all()
        # France is not summed over a partial set of regions: missing before 2010T4.
        assert math.isnan(_industry(ete_france, "FR", "2009Q4"))
        assert not math.isnan(_industry(ete_france, "FR", "2010Q4"))

    def test_coverage_and_flags(self, ete_region):
        assert sorted(ete_region.region.unique()) == sorted(set(an.REGION_CODES) - {"06"})
        quarters = ete_region.quarter.drop_duplicates().sort_values()
        assert (quarters.iloc[0], quarters.iloc[-1], len(quarters)) == (
            Q("2001Q4", "Q"),
            Q("2020Q1", "Q"),
            74,
        )
        provisional = ete_region.groupby("quarter").provisional.first()
        assert not provisional[: Q("2018Q4", "Q")].any()
        assert provisional[Q("2019Q1", "Q") :].all()


class TestUrssafEmployment:
    def test_france_totals_match_published_checks(self, raw_dir):
        fr = an.read_urssaf_employment(level="france", data_dir=raw_dir)
        by_year = fr.groupby("year").employment.sum()
        # SOURCES.md: France 19.995 M in 2024, industry 3.18 M, manufacturing 2.81 M.
        assert by_year[2024] == 19_995_376
        assert fr[(fr.year == 2024) & (fr.a5 == "BE")].employment.sum() == 3_179_726
        assert round(fr[(fr.year == 2024) & (fr.a21 == "C")].employment.sum() / 1e4) == 281

    def test_two_urssaf_files_agree(self, raw_dir):
        # The zone x A38 file and the regional series are two extracts of one source.
        fr = an.read_urssaf_employment(level="france", data_dir=raw_dir)
        series = an.read_urssaf_region_series(data_dir=raw_dir).set_index(["region", "year"])
        for year in (2019, 2022, 2023, 2024):
            assert fr[fr.year == year].employment.sum() == series.loc[("FR", year), "employment"]

    def test_masked_cells_are_flagged_not_zero(self, raw_dir):
        zones = an.read_urssaf_employment(level="zone", data_dir=raw_dir)
        # SOURCES.md: 89-115 empty cells a year.
        assert zones.groupby("year").masked.sum().to_dict() == {
            2019: 89,
            2022: 83,
            2023: 104,
            2024: 115,
        }
        assert zones.loc[zones.masked, "employment"].isna().all()

    def test_interregional_zones_assigned_whole(self, raw_dir):
        zones = an.read_urssaf_employment(level="zone", data_dir=raw_dir)
        regions = an.read_urssaf_employment(level="region", data_dir=raw_dir)
        france = an.read_urssaf_employment(level="france", data_dir=raw_dir)
        assert sorted(zones.loc[zones.interregional, "zone"].unique()) == sorted(
            an.INTERREGIONAL_ZONES
        )
        # Nothing is lost or counted twice: the regions add up to France.
        assert (
            regions.groupby("year").employment.sum().equals(france.groupby("year").employment.sum())
        )
        # Avignon (0053) is counted in Provence-Alpes-Côte d'Azur.
        paca = regions[(regions.region == "93") & (regions.year == 2024)]
        avignon = zones[(zones.zone == "0053") & (zones.year == 2024)].employment.sum()
        assert paca.interregional_employment.sum() >= avignon > 80_000

    def test_ile_de_france_industry_2019(self, raw_dir):
        # SOURCES.md cross-check: 426 k in URSSAF for 2019 (no interregional zone is
        # assigned to Île-de-France, so the upstream figure must be matched exactly).
        regions = an.read_urssaf_employment(level="region", data_dir=raw_dir)
        idf = regions[(regions.region == "11") & (regions.year == 2019) & (regions.a5 == "BE")]
        assert round(idf.employment.sum() / 1000) == 426
        assert idf.interregional_employment.sum() == 0

    def test_region_series(self, raw_dir):
        series = an.read_urssaf_region_series(data_dir=raw_dir).set_index(["region", "year"])
        # SOURCES.md: France 17.61 M (2014) and 20.00 M (2024); IdF 4.50 M and 5.18 M.
        assert series.loc[("FR", 2014), "employment"] == 17_614_085
        assert round(series.loc[("11", 2014), "employment"] / 1e4) == 450
        assert round(series.loc[("11", 2024), "employment"] / 1e4) == 518
        assert "06" not in series.index.get_level_values("region")


@pytest.fixture(scope="module")
def series(raw_dir):
    return an.read_apprenticeship(data_dir=raw_dir)


class TestApprenticeship:
    def test_national_figures(self, series):
        fr = series[series.region == "FR"].set_index("year")
        # Etalab: 526 418 contracts in 2020; DITP: 852 235 in 2023 (December total).
        assert (fr.loc[2020, "contracts"], fr.loc[2020, "source"]) == (526_418, "etalab")
        assert (fr.loc[2023, "contracts"], fr.loc[2023, "source"]) == (852_235, "ditp")
        assert (fr.loc[2022, "contracts"], fr.loc[2022, "source"]) == (833_406, "ditp")
        assert fr.loc[2017:2021, "contracts"].tolist() == [
            305_271,
            321_038,
            368_968,
            526_418,
            731_785,
        ]

    def test_one_source_per_year_and_incomplete_year_flagged(self, series):
        assert not series.duplicated(["region", "year"]).any()
        fr = series[series.region == "FR"].set_index("year")
        assert not fr.loc[2024, "complete"]
        assert fr.loc[2024, "period_end"] == pd.Timestamp("2024-04-30")
        assert fr.loc[2024, "contracts"] == 71_605
        assert fr.loc[:2023, "complete"].all()

    def test_partial_etalab_2022_is_kept_aside_not_lost(self, raw_dir, series):
        obs = an.read_apprenticeship_observations(data_dir=raw_dir)
        etalab_2022 = obs[
            (obs.region == "FR")
            & (obs.source == "etalab")
            & (obs.period_end == pd.Timestamp("2022-10-31"))
        ]
        assert etalab_2022.contracts.tolist() == [834_549]

    def test_regions_add_up_to_france(self, series):
        regions = series[series.region != "FR"].groupby("year").contracts.sum()
        france = series[series.region == "FR"].set_index("year").contracts
        assert regions.equals(france)
        assert series[series.region != "FR"].region.nunique() == 18


class TestBmo:
    def test_totals_and_masking(self, raw_dir):
        bmo = an.read_bmo(data_dir=raw_dir)
        # SOURCES.md: the non-masked values add up to 2.40 M; about 23 % of cells masked.
        assert bmo.projects.sum() == 2_401_105
        assert round(100 * bmo.projects_masked.mean()) == 23
        assert bmo.loc[bmo.projects_masked, "projects"].isna().all()

    def test_industrial_occupations(self, raw_dir):
        """France Travail's family "Ouvriers des secteurs de l'industrie" is the headline."""
        bmo = an.read_bmo(data_dir=raw_dir)
        industrial = bmo[bmo.industrial].drop_duplicates("occupation")
        assert len(industrial) == 37
        assert set(industrial.family_name) == {"Ouvriers des secteurs de l'industrie"}
        assert "D1X33" in set(industrial.occupation)  # Soudeurs
        assert "G" in set(industrial.domain)  # maintenance workers, left out before
        staff = bmo[bmo.industry_staff].drop_duplicates("occupation")
        assert len(staff) == 10 and not (bmo.industrial & bmo.industry_staff).any()
        assert set(staff.domain) <= set(an.INDUSTRIAL_FAP_DOMAINS)
        france = an.read_bmo(level="france", data_dir=raw_dir)
        assert france.loc[france.industrial, "projects"].sum() == 197_960  # known cells
        assert france.loc[france.industry_staff, "projects"].sum() == 21_622

    def test_typos_are_corrected_for_display_only(self, raw_dir):
        from analysis.loaders.recruitment import occupation_label

        names = set(an.read_bmo(level="france", data_dir=raw_dir).occupation_name)
        assert "Ouviers qualifiés des industries agro-alimentaires" in names  # as published
        assert not any("Ouviers" in occupation_label(name) for name in names)

    def test_region_level_counts_masked_cells(self, raw_dir):
        basins = an.read_bmo(data_dir=raw_dir)
        regions = an.read_bmo(level="region", data_dir=raw_dir)
        assert regions.projects.sum() == basins.projects.sum()
        assert regions.projects_masked_cells.sum() == basins.projects_masked.sum()
        assert regions.region.nunique() == 18


class TestGeography:
    def test_regions(self, raw_dir):
        regions = an.read_regions(data_dir=raw_dir)
        assert tuple(regions.region) == an.REGION_CODES
        assert regions.metropolitan.sum() == 13
        assert regions.set_index("region").loc["32", "name"] == "Hauts-de-France"

    def test_departements_and_shapes(self, raw_dir):
        deps = an.read_departements(data_dir=raw_dir)
        assert len(deps) == 101
        assert set(deps.region) == set(an.REGION_CODES)
        assert deps.set_index("departement").loc["2A", "region"] == "94"
        shapes = an.read_region_shapes(data_dir=raw_dir)
        assert tuple(shapes.region) == an.REGION_CODES
        assert shapes.crs.to_epsg() == 4326
        assert shapes.geometry.is_valid.all()

    def test_interregional_poles_lie_in_their_region(self, raw_dir):
        deps = an.read_departements(data_dir=raw_dir).set_index("departement")
        for _name, _pole, dep, region in an.INTERREGIONAL_ZONES.values():
            assert deps.loc[dep, "region"] == region
