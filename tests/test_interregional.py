"""The split of the 14 interregional zones: the fit on hand-made frames, then on the files.

Witnesses: URSSAF's own regional series (the fit's target), the France totals of
SOURCES.md (unchanged by the split), the whole-zone figures pinned before the split, and
the Insee regional studies of 2020 for which regions each shared zone touches.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

import analysis as an
from analysis.interregional import (
    ASSUMPTION,
    PUBLISHED_ZONE_COUNTS,
    ZONE_SPLITS,
    ZoneSplit,
    box_least_squares,
    fit_shares,
    split_zones,
)

YEARS = (2019, 2022, 2023, 2024)


def _zone(code, pole, other, prior=0.8):
    return ZoneSplit(code, f"Zone {code}", pole, "00", other, (), prior, "test")


def _totals(rows):
    return pd.DataFrame(rows, columns=["zone", "region", "year", "employment"])


def _targets(rows):
    return pd.DataFrame(rows, columns=["region", "year", "employment"])


def _pole_shares(fit):
    pole = fit.shares[fit.shares.role == "pole"]
    return pole.set_index(["zone", "year"])["share"]


class TestFitOnHandMadeFrames:
    def test_identified_shares_are_recovered_year_by_year(self):
        # A tree A - B - C: zone X (pole A, other B) and zone Y (pole B, other C).
        splits = {"X": _zone("X", "A", "B"), "Y": _zone("Y", "B", "C")}
        truth = {2019: (0.7, 0.4), 2024: (0.6, 0.9)}
        totals, targets = [], []
        for year, (sx, sy) in truth.items():
            totals += [
                ("a", "A", year, 1000.0),
                ("b", "B", year, 2000.0),
                ("c", "C", year, 500.0),
                ("X", "A", year, 100.0),
                ("Y", "B", year, 50.0),
            ]
            targets += [
                ("A", year, 1000 + 100 * sx),
                ("B", year, 2000 + 100 * (1 - sx) + 50 * sy),
                ("C", year, 500 + 50 * (1 - sy)),
                ("FR", year, 3650.0),  # ignored
            ]
        fit = fit_shares(_totals(totals), _targets(targets), splits=splits)
        shares = _pole_shares(fit)
        for year, (sx, sy) in truth.items():
            # Exact but for the pull of the tiny ridge toward the priors.
            assert shares[("X", year)] == pytest.approx(sx, abs=1e-5)
            assert shares[("Y", year)] == pytest.approx(sy, abs=1e-5)
        assert fit.residuals.residual.abs().max() < 1e-3
        assert set(fit.residuals.region) == {"A", "B", "C"}
        stability = fit.stability().set_index("zone")
        assert stability.loc["X", "max_diff"] == pytest.approx(0.1, abs=1e-5)

    def test_a_pair_the_data_cannot_separate_moves_equally_from_its_priors(self):
        # Two zones between A and B: the data fix only the 60 jobs B gets from them.
        # (1 - s1) 100 + (1 - s2) 50 = 60 with s1 - 0.8 = s2 - 0.5 gives 0.7 and 0.4.
        splits = {"P": _zone("P", "A", "B", 0.8), "Q": _zone("Q", "A", "B", 0.5)}
        totals = _totals(
            [
                ("a", "A", 2024, 1000.0),
                ("b", "B", 2024, 1000.0),
                ("P", "A", 2024, 100.0),
                ("Q", "A", 2024, 50.0),
            ]
        )
        targets = _targets([("A", 2024, 1090.0), ("B", 2024, 1060.0)])
        fit = fit_shares(totals, targets, splits=splits)
        shares = _pole_shares(fit)
        assert shares[("P", 2024)] == pytest.approx(0.7, abs=1e-4)
        assert shares[("Q", 2024)] == pytest.approx(0.4, abs=1e-4)
        assert fit.residuals.residual.abs().max() < 0.01

    def test_shares_stay_in_bounds_and_each_zone_adds_up_to_one(self):
        # B's target asks for more than the whole zone: the share in A stops at 0.
        splits = {"X": _zone("X", "A", "B")}
        totals = _totals([("a", "A", 2024, 900.0), ("b", "B", 2024, 900.0), ("X", "A", 2024, 100)])
        targets = _targets([("A", 2024, 880.0), ("B", 2024, 1020.0)])
        fit = fit_shares(totals, targets, splits=splits)
        assert fit.shares.share.between(0, 1).all()
        assert fit.shares.groupby(["zone", "year"]).share.sum().tolist() == [1.0]
        assert _pole_shares(fit)[("X", 2024)] == 0
        res = fit.residuals.set_index("region").residual
        assert res["A"] == pytest.approx(20) and res["B"] == pytest.approx(-20)

    def test_jobs_in_no_region_are_spread_as_an_equal_percentage(self):
        # The zones hold 30 jobs more than the targets: each region gets the same % misfit.
        splits = {"X": _zone("X", "A", "B")}
        totals = _totals(
            [("a", "A", 2024, 1000.0), ("b", "B", 2024, 2000.0), ("X", "A", 2024, 300.0)]
        )
        targets = _targets([("A", 2024, 1090.0), ("B", 2024, 2180.0)])
        fit = fit_shares(totals, targets, splits=splits)
        pct = fit.residuals.set_index("region").residual_pct
        assert pct["A"] == pytest.approx(pct["B"], rel=1e-3)
        assert fit.residuals.residual.sum() == pytest.approx(30)

    def test_bad_inputs_are_parameter_errors(self):
        splits = {"X": _zone("X", "A", "B")}
        totals = _totals([("a", "A", 2024, 10.0), ("X", "A", 2024, 0.0)])
        targets = _targets([("A", 2024, 10.0), ("B", 2024, 1.0)])
        with pytest.raises(an.ParameterError, match="No employment for zone"):
            fit_shares(totals, targets, splits=splits)
        with pytest.raises(an.ParameterError, match="`ridge` must be positive"):
            fit_shares(totals, targets, splits=splits, ridge=0)
        totals = _totals([("X", "A", 2024, 5.0)])
        with pytest.raises(an.ParameterError, match="No regional total for region"):
            fit_shares(totals, _targets([("A", 2024, 5.0)]), splits=splits)


class TestBoxLeastSquares:
    @staticmethod
    def _brute_force(matrix, rhs):
        """The exact optimum: try every variable free, at 0 or at 1, keep the best."""
        n = matrix.shape[1]
        best, best_cost = None, np.inf
        for pattern in itertools.product((-1, 0, 1), repeat=n):
            x = np.array([0.0 if p == -1 else 1.0 for p in pattern])
            free = np.array(pattern) == 0
            if free.any():
                rest = rhs - matrix[:, ~free] @ x[~free]
                x[free] = np.linalg.lstsq(matrix[:, free], rest, rcond=None)[0]
            if (x < -1e-12).any() or (x > 1 + 1e-12).any():
                continue
            cost = np.sum((matrix @ x - rhs) ** 2)
            if cost < best_cost:
                best, best_cost = x, cost
        return best, best_cost

    @pytest.mark.parametrize("seed", range(40))
    def test_matches_the_brute_force_optimum(self, seed):
        rng = np.random.default_rng(seed)
        n = int(rng.integers(1, 6))
        matrix = rng.normal(size=(n + int(rng.integers(0, 4)), n))
        rhs = rng.normal(scale=3, size=matrix.shape[0])
        x = box_least_squares(matrix, rhs)
        expected, cost = self._brute_force(matrix, rhs)
        assert ((x >= 0) & (x <= 1)).all()
        assert np.sum((matrix @ x - rhs) ** 2) == pytest.approx(cost, rel=1e-9, abs=1e-12)
        np.testing.assert_allclose(x, expected, atol=1e-7)

    def test_interior_and_bounded_solutions(self):
        eye = np.eye(3)
        np.testing.assert_allclose(box_least_squares(eye, [0.2, 0.5, 0.9]), [0.2, 0.5, 0.9])
        np.testing.assert_allclose(box_least_squares(eye, [-2.0, 0.5, 7.0]), [0.0, 0.5, 1.0])
        # Coupled: x0 + x1 = 3 cannot be met in the box; the best is (1, 1).
        np.testing.assert_allclose(box_least_squares(np.array([[1.0, 1.0]]), [3.0]), [1, 1])

    def test_ill_conditioned_like_the_real_fit(self):
        # Data rows of weight ~30 and ridge rows of weight ~0.2, as in fit_shares.
        rng = np.random.default_rng(7)
        data = rng.normal(scale=30, size=(3, 5))
        matrix = np.vstack([data, 0.2 * np.eye(5)])
        rhs = np.concatenate([rng.normal(scale=40, size=3), 0.2 * np.full(5, 0.8)])
        x = box_least_squares(matrix, rhs)
        _, cost = self._brute_force(matrix, rhs)
        assert np.sum((matrix @ x - rhs) ** 2) == pytest.approx(cost, rel=1e-9)


class TestSplitZones:
    def test_cells_split_in_whole_jobs_that_add_up(self):
        splits = {"X": _zone("X", "A", "B"), "Y": _zone("Y", "A", "C")}
        zones = pd.DataFrame(
            {
                "zone": ["a", "X", "X", "Y"],
                "region": ["A", "A", "A", "A"],
                "a38": ["CA", "CA", "CB", "CA"],
                "year": 2024,
                "employment": [10.0, 101.0, np.nan, 40.0],
                "masked": [False, False, True, False],
            }
        )
        shares = pd.DataFrame(
            {
                "zone": ["X", "X", "Y", "Y"],
                "region": ["A", "B", "A", "C"],
                "year": 2024,
                "share": [0.25, 0.75, 1.0, 0.0],
            }
        )
        out = split_zones(zones, shares, splits=splits)
        x = out[(out.zone == "X") & (out.a38 == "CA")].set_index("region").employment
        assert x.to_dict() == {"A": 25.0, "B": 76.0}  # rint(25.25) and the rest
        masked = out[(out.zone == "X") & (out.a38 == "CB")]
        assert sorted(masked.region) == ["A", "B"] and masked.employment.isna().all()
        assert masked.masked.all()
        # A share of 1 leaves the other region no row.
        assert out[out.zone == "Y"].region.tolist() == ["A"]
        assert out.employment.sum() == zones.employment.sum()
        assert out.loc[out.zone == "a"].equals(zones.loc[zones.zone == "a"])

    def test_a_missing_share_is_an_error(self):
        splits = {"X": _zone("X", "A", "B")}
        zones = pd.DataFrame(
            {"zone": ["X"], "region": ["A"], "year": [2019], "employment": [1.0], "masked": False}
        )
        shares = pd.DataFrame({"zone": ["X"], "region": ["A"], "year": [2024], "share": [0.5]})
        with pytest.raises(an.ParameterError, match="No interregional share for X 2019"):
            split_zones(zones, shares, splits=splits)


def test_unknown_zone_rule_is_a_parameter_error():
    with pytest.raises(an.ParameterError, match="`zones` must be one of split, whole; got 'x'"):
        an.read_urssaf_employment(level="region", zones="x")


def test_assumption_is_one_plain_sentence():
    assert ASSUMPTION.count(". ") == 0 and ASSUMPTION.endswith(".")
    assert "industry" in ASSUMPTION and "same proportion" in ASSUMPTION


# --- The real files -----------------------------------------------------------------


@pytest.fixture(scope="module")
def fit(raw_dir):
    return an.read_interregional_fit(data_dir=raw_dir)


@pytest.fixture(scope="module")
def split(raw_dir):
    return an.read_urssaf_employment(level="region", data_dir=raw_dir)


@pytest.fixture(scope="module")
def whole(raw_dir):
    return an.read_urssaf_employment(level="region", zones="whole", data_dir=raw_dir)


@pytest.fixture(scope="module")
def zones(raw_dir):
    return an.read_urssaf_employment(level="zone", data_dir=raw_dir)


def _lowest_paca_industry_2019(raw_dir, fit):
    """The least industry PACA can get in 2019 with the fitted regional totals held.

    The shared zones form a tree of region pairs, so the fitted totals fix how many jobs
    PACA takes from each of its two pairs (Arles and Avignon, Bollène-Pierrelatte and
    Valréas). Along each pair's segment of shares in [0, 1] that keep this number, PACA's
    industry is linear: its least value is at one end.
    """
    zones = an.read_urssaf_employment(level="zone", data_dir=raw_dir)
    year = zones[zones.year == 2019]
    jobs = year.groupby("zone").employment.sum()
    industry = year[year.a5 == "BE"].groupby("zone").employment.sum()
    pole = fit.shares[(fit.shares.year == 2019) & (fit.shares.role == "pole")]
    share = pole.set_index("zone").share
    inner = year[~year.interregional & (year.region == "93") & (year.a5 == "BE")]
    lowest = inner.employment.sum()
    for one, two in (("0052", "0053"), ("0055", "0064")):
        taken = share[one] * jobs[one] + share[two] * jobs[two]
        ends = []
        for s_one in (max(0.0, (taken - jobs[two]) / jobs[one]), min(1.0, taken / jobs[one])):
            s_two = (taken - s_one * jobs[one]) / jobs[two]
            assert -1e-9 <= s_two <= 1 + 1e-9
            ends.append(s_one * industry[one] + s_two * industry[two])
        lowest += min(ends)
    return lowest


def _industry(frame, region, year):
    rows = frame[(frame.region == region) & (frame.year == year) & (frame.a5 == "BE")]
    return rows.employment.sum()


@pytest.mark.realdata
class TestFitOnTheFiles:
    def test_regions_add_up_to_urssaf_series_within_half_a_percent(self, fit):
        res = fit.residuals.set_index(["region", "year"])
        for region in an.METROPOLITAN_REGIONS:
            for year in YEARS:
                assert abs(res.loc[(region, year), "residual_pct"]) < 0.5, (region, year)
        # The misfit is the ~9 000 jobs the series puts in no region: Île-de-France,
        # which shares no zone, carries 3 632 of them in 2019; the others under 0.05 %.
        assert res.loc[("11", 2019), "residual"] == pytest.approx(3_632)
        shared = [r for r in an.METROPOLITAN_REGIONS if r not in {"11", "44", "94"}]
        assert res.loc[shared, "residual_pct"].abs().max() < 0.05

    def test_shares_are_in_bounds_and_add_up_to_one(self, fit):
        shares = fit.shares
        assert len(shares) == 14 * 2 * len(YEARS)
        assert shares.share.between(0, 1).all()
        total = shares.groupby(["zone", "year"]).share.sum()
        np.testing.assert_allclose(total, 1.0, atol=1e-12)
        assert set(shares.zone) == set(an.INTERREGIONAL_ZONES)

    def test_shares_are_stable_from_year_to_year(self, fit):
        stability = fit.stability()
        assert len(stability) == 14
        assert stability.max_diff.max() < 0.02  # Dreux and Nogent: 1.9 points at most

    def test_zone_table_is_untouched(self, zones):
        interregional = zones[zones.interregional]
        assert set(interregional.zone) == set(an.INTERREGIONAL_ZONES)
        # Still one row per zone, in the pole's region.
        assert not zones.duplicated(["zone", "a38", "year"]).any()
        poles = interregional.groupby("zone").region.first().to_dict()
        assert poles == {z: v[3] for z, v in an.INTERREGIONAL_ZONES.items()}


@pytest.mark.realdata
class TestRegionalTotals:
    def test_france_totals_are_unchanged(self, raw_dir, split, whole):
        france = an.read_urssaf_employment(level="france", data_dir=raw_dir)
        keys = ["year", "a38"]
        by_cell = france.set_index(keys).employment
        for table in (split, whole):
            summed = table.groupby(keys).employment.sum(min_count=1)
            pd.testing.assert_series_equal(
                summed.sort_index(), by_cell.sort_index(), check_names=False
            )
        # SOURCES.md: 19 995 376 private jobs in 2024, 3 179 726 in industry.
        assert split[split.year == 2024].employment.sum() == 19_995_376
        assert split[(split.year == 2024) & (split.a5 == "BE")].employment.sum() == 3_179_726

    def test_whole_zone_option_reproduces_the_old_figures(self, whole, zones):
        # The figure of the issue: PACA 179 363 industrial jobs in 2024, zones counted whole.
        assert _industry(whole, "93", 2024) == 179_363
        assert _industry(whole, "93", 2019) == 165_865
        by_pole = zones[zones.a5 == "BE"].groupby(["region", "year"]).employment.sum()
        ours = whole[whole.a5 == "BE"].groupby(["region", "year"]).employment.sum()
        pd.testing.assert_series_equal(ours.sort_index(), by_pole.sort_index())

    @pytest.mark.parametrize(
        ("region", "industry"),
        [
            # Estimated by this split (fit of 2024, priors of ZONE_SPLITS); zones counted
            # whole they were 495 672, 179 363, 291 392, 186 203 and 168 816.
            ("84", 506_706),
            ("93", 169_660),
            ("32", 285_369),
            ("28", 192_885),
            ("27", 166_040),
        ],
    )
    def test_industry_2024_after_the_split(self, split, region, industry):
        assert _industry(split, region, 2024) == pytest.approx(industry, abs=2)

    def test_paca_2019_comes_down_to_insee_all_employee_level(self, raw_dir, fit, split, whole):
        """PACA's URSSAF 2019 industry was 6.5 % above INSEE's all-employee 2019T4 figure.

        After the split it is 0.8 % above, not below: under the assumption (industry
        divides like all sectors) and with the regional totals met, no shares in [0, 1]
        bring it under about 155 970 (the bound computed here), still above INSEE's
        155 692. The rest is the gap between the two sources (in 2019 URSSAF's industry
        also exceeds INSEE's in three overseas regions and matches it in Burgundy).
        """
        ete = an.read_insee_employment(level="region", data_dir=raw_dir)
        q4 = ete[(ete.region == "93") & (ete.quarter == pd.Period("2019Q4", "Q"))]
        insee = q4[q4.a5 == "BE"].employment.sum()
        assert round(insee) == 155_692
        before, after = _industry(whole, "93", 2019), _industry(split, "93", 2019)
        assert before / insee == pytest.approx(1.065, abs=1e-3)
        assert after < before and after / insee < 1.01
        assert insee < _lowest_paca_industry_2019(raw_dir, fit) <= after

    def test_masked_cells_are_counted_in_both_regions(self, split, whole, zones):
        shared_masked = zones[zones.interregional].groupby("year").masked.sum()
        extra = split.groupby("year").masked_cells.sum() - whole.groupby("year").masked_cells.sum()
        assert extra.equals(shared_masked.astype(extra.dtype))
        assert shared_masked[2024] > 0

    def test_interregional_employment_is_each_regions_part(self, fit, split, zones):
        shared = zones[zones.interregional].groupby("year").employment.sum()
        assert split.groupby("year").interregional_employment.sum().equals(shared)
        # Valréas and Bollène-Pierrelatte: PACA keeps the smaller part of both.
        paca = split[(split.region == "93") & (split.year == 2024)]
        regions = fit.shares[fit.shares.year == 2024].set_index(["zone", "region"]).share
        assert regions[("0055", "84")] > 0.5 and regions[("0064", "84")] > 0.4
        assert 100_000 < paca.interregional_employment.sum() < shared[2024]
        idf = split[split.region == "11"]
        assert idf.interregional_employment.sum() == 0


@pytest.mark.realdata
def test_each_zone_joins_two_neighbouring_regions_as_insee_counts_them(raw_dir, zones):
    """Own zones of the file plus the shared ones = INSEE's published count per region."""
    own = zones[~zones.interregional].drop_duplicates("zone").zone.str[:2].value_counts()
    for region, published in PUBLISHED_ZONE_COUNTS.items():
        sharing = [s for s in ZONE_SPLITS.values() if region in (s.pole_region, s.other_region)]
        assert own[region] + len(sharing) == published, region
    departements = an.read_departements(data_dir=raw_dir).set_index("departement").region
    shapes = an.read_region_shapes(data_dir=raw_dir).set_index("region").geometry
    for code, split in ZONE_SPLITS.items():
        name, _town, departement, region = an.INTERREGIONAL_ZONES[code]
        assert (split.name, split.pole_departement, split.pole_region) == (
            name,
            departement,
            region,
        )
        assert split.other_region != split.pole_region
        assert split.other_departements
        assert all(departements[d] == split.other_region for d in split.other_departements)
        assert departements[split.pole_departement] == split.pole_region
        gap = shapes[split.pole_region].distance(shapes[split.other_region])
        assert gap < 0.01, code  # the two regions touch (simplified outlines)
        assert 0 < split.prior < 1 and split.reason


@pytest.mark.realdata
def test_datasets_use_the_split_and_expose_it(raw_dir, split):
    from analysis.datasets import Datasets

    ds = Datasets(raw_dir)
    ours = ds.urssaf[ds.urssaf.region != an.FRANCE].reset_index(drop=True)
    pd.testing.assert_frame_equal(ours, split)
    assert {"zone", "zone_name", "region", "year", "share"} <= set(ds.interregional_shares)
    assert {"region", "year", "residual", "residual_pct"} <= set(ds.interregional_residuals)
    assert ds.interregional_assumption == ASSUMPTION
