"""Tests of :mod:`analysis.metrics`: growth rates, indexes, shares, shift-share, sums.

Notes
-----
Example tests use small frames whose expected values are computed by hand in the
comments. Property tests (hypothesis) check the accounting identities the module
promises: the three shift-share effects add up to the change, contributions add up to
the growth of the total, shares add up to 100, location quotients weighted by the
reference shares average to 1, and so on. Levels are bounded positive floats so that
no identity is lost in float overflow.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.metrics import (
    annual_average_growth,
    base_100,
    contributions,
    growth_rate,
    location_quotient,
    per_thousand,
    rank,
    shares,
    shift_share,
    strict_sum,
)

# Strategies ----------------------------------------------------------------------------

# pandas calls are slow the first time and on a loaded machine: no per-example deadline.
NO_DEADLINE = settings(deadline=None)
LEVEL = st.floats(min_value=1.0, max_value=1e7, allow_nan=False, allow_infinity=False)
# At least one year: over a fraction of a year the yearly rate of a large fall is so close
# to -100 % that ``1 + rate / 100`` loses most of its digits (cancellation, not a bug).
YEARS = st.one_of(st.integers(1, 30), st.floats(min_value=1.0, max_value=50.0))


@st.composite
def sector_frames(draw, columns=4, min_size=1, max_size=8):
    """Draw ``columns`` positive Series of levels sharing one index of sectors."""
    size = draw(st.integers(min_size, max_size))
    index = [f"s{i}" for i in range(size)]
    return [
        pd.Series(draw(st.lists(LEVEL, min_size=size, max_size=size)), index=index)
        for _ in range(columns)
    ]


def _tight(actual, expected, scale) -> bool:
    """Whether ``actual`` equals ``expected`` up to float rounding on terms of ``scale``."""
    return bool(np.all(np.isclose(actual, expected, rtol=0.0, atol=1e-12 * (scale + 1.0))))


# growth_rate ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("end", "start", "expected"),
    [
        (110, 100, 10.0),
        (90, 100, -10.0),
        (100, 100, 0.0),
        (300, 200, 50.0),
        (0, 50, -100.0),
    ],
)
def test_growth_rate_examples(end, start, expected):
    assert growth_rate(end, start) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("start", [0, 0.0, -0.0, np.int64(0), np.float64(0.0)])
def test_growth_rate_zero_start_gives_nan_not_inf(start):
    result = growth_rate(5.0, start)
    assert math.isnan(result)


@pytest.mark.parametrize(("end", "start"), [(np.nan, 100.0), (110.0, np.nan), (np.nan, np.nan)])
def test_growth_rate_nan_propagates(end, start):
    assert math.isnan(growth_rate(end, start))


def test_growth_rate_series_elementwise():
    end = pd.Series([110.0, 5.0, np.nan, 75.0], index=list("abcd"))
    start = pd.Series([100.0, 0.0, 3.0, 100.0], index=list("abcd"))
    result = growth_rate(end, start)
    assert list(result.index) == list("abcd")
    assert result["a"] == pytest.approx(10.0)
    assert np.isnan(result["b"]) and np.isnan(result["c"])
    assert result["d"] == pytest.approx(-25.0)
    assert not np.isinf(result).any()


def test_growth_rate_ndarray_zero_start():
    result = growth_rate(np.array([110.0, 5.0]), np.array([100.0, 0.0]))
    assert result[0] == pytest.approx(10.0)
    assert np.isnan(result[1])


# annual_average_growth -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("end", "start", "years", "expected"),
    [
        (121, 100, 2, 10.0),  # 1.1 ** 2 = 1.21
        (81, 100, 2, -10.0),  # 0.9 ** 2 = 0.81
        (133.1, 100, 3, 10.0),  # 1.1 ** 3 = 1.331
        (150, 100, 1, 50.0),  # one year: the plain growth rate
        (100, 100, 5, 0.0),
        (400, 100, 2, 100.0),  # doubling each year
    ],
)
def test_annual_average_growth_examples(end, start, years, expected):
    assert annual_average_growth(end, start, years) == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize("years", [0, -1, -0.5, np.nan])
def test_annual_average_growth_rejects_non_positive_years(years):
    with pytest.raises(ValueError, match="years"):
        annual_average_growth(121.0, 100.0, years)


def test_annual_average_growth_zero_start_and_nan():
    assert math.isnan(annual_average_growth(5.0, 0.0, 3))
    assert math.isnan(annual_average_growth(np.nan, 100.0, 3))
    result = annual_average_growth(pd.Series([121.0, 1.0]), pd.Series([100.0, 0.0]), 2)
    assert result[0] == pytest.approx(10.0)
    assert np.isnan(result[1])


@NO_DEADLINE
@given(end=LEVEL, start=LEVEL, years=YEARS)
def test_annual_average_growth_compounds_back_to_growth_rate(end, start, years):
    average = annual_average_growth(end, start, years)
    compounded = ((1.0 + average / 100.0) ** years - 1.0) * 100.0
    assert np.isclose(compounded, growth_rate(end, start), rtol=1e-9, atol=1e-9)


# base_100 ------------------------------------------------------------------------------


def test_base_100_defaults_to_first_non_missing_value():
    series = pd.Series([np.nan, 50.0, 75.0, 100.0], index=[2019, 2020, 2021, 2022])
    result = base_100(series)
    assert np.isnan(result[2019])
    assert result[[2020, 2021, 2022]].tolist() == [100.0, 150.0, 200.0]
    assert list(result.index) == [2019, 2020, 2021, 2022]


def test_base_100_explicit_base():
    series = pd.Series([50.0, 75.0, 100.0], index=["2020Q1", "2020Q2", "2020Q3"])
    assert base_100(series, "2020Q3").tolist() == [50.0, 75.0, 100.0]
    assert base_100(series, "2020Q2").tolist() == pytest.approx([200 / 3, 100.0, 400 / 3])


def test_base_100_unknown_base_raises_key_error():
    with pytest.raises(KeyError):
        base_100(pd.Series([1.0, 2.0], index=[2020, 2021]), 2030)


@pytest.mark.parametrize(
    ("values", "base"),
    [
        ([np.nan, 50.0, 75.0], 0),  # missing base value
        ([0.0, 50.0, 75.0], 0),  # zero base value
        ([0.0, 50.0, 75.0], None),  # default base is the first non-missing value: zero
    ],
)
def test_base_100_rejects_missing_or_zero_base(values, base):
    with pytest.raises(ValueError, match="non-zero"):
        base_100(pd.Series(values), base)


def test_base_100_rejects_all_missing_series():
    with pytest.raises(ValueError, match="no value"):
        base_100(pd.Series([np.nan, np.nan]))


@NO_DEADLINE
@given(st.lists(LEVEL, min_size=1, max_size=12), st.data())
def test_base_100_is_100_at_base_and_preserves_ratios(values, data):
    series = pd.Series(values, index=range(2000, 2000 + len(values)))
    base = data.draw(st.sampled_from(list(series.index)))
    result = base_100(series, base)
    assert result[base] == 100.0
    assert np.allclose(result / result.iloc[0], series / series.iloc[0], rtol=1e-12, atol=0)


# shares --------------------------------------------------------------------------------


def test_shares_of_own_sum():
    assert shares(pd.Series([1.0, 3.0])).tolist() == [25.0, 75.0]


def test_shares_of_published_total():
    assert shares(pd.Series([1.0, 3.0]), 8).tolist() == [12.5, 37.5]


def test_shares_missing_part_stays_missing():
    result = shares(pd.Series([1.0, np.nan, 3.0]))
    assert result[0] == 25.0 and np.isnan(result[1]) and result[2] == 75.0


@pytest.mark.parametrize("values", [[0.0, 0.0], [np.nan, np.nan]])
def test_shares_zero_or_missing_total_gives_nan(values):
    result = shares(pd.Series(values))
    assert result.isna().all()


@NO_DEADLINE
@given(st.lists(LEVEL, min_size=1, max_size=20))
def test_shares_sum_to_100(values):
    assert np.isclose(shares(pd.Series(values)).sum(), 100.0, rtol=1e-12, atol=1e-9)


# location_quotient ---------------------------------------------------------------------


def test_location_quotient_example():
    # Region: 30 % in a, 70 % in b; reference: 10 % in a, 90 % in b.
    region = pd.Series({"a": 30.0, "b": 70.0})
    reference = pd.Series({"a": 100.0, "b": 900.0})
    result = location_quotient(region, reference)
    assert result["a"] == pytest.approx(3.0)
    assert result["b"] == pytest.approx(70 / 90)


def test_location_quotient_with_published_totals():
    # Sectors a and b are 30/200 = 15 % of the region, 100/2000 = 5 % of the reference.
    region = pd.Series({"a": 30.0, "b": 70.0})
    reference = pd.Series({"a": 100.0, "b": 900.0})
    result = location_quotient(region, reference, region_total=200, reference_total=2000)
    assert result["a"] == pytest.approx(3.0)
    assert result["b"] == pytest.approx(0.35 / 0.45)


def test_location_quotient_zero_or_absent_reference_sector_gives_nan():
    region = pd.Series({"a": 30.0, "b": 70.0, "c": 5.0})
    reference = pd.Series({"a": 0.0, "b": 10.0})
    result = location_quotient(region, reference)
    assert list(result.index) == ["a", "b", "c"]
    assert np.isnan(result["a"]) and np.isnan(result["c"])
    assert not np.isinf(result).any()


@NO_DEADLINE
@given(sector_frames(columns=2))
def test_location_quotient_weighted_by_reference_shares_is_one(frames):
    region, reference = frames
    quotient = location_quotient(region, reference)
    weights = reference / reference.sum()
    assert np.isclose((quotient * weights).sum(), 1.0, rtol=0, atol=1e-9)


# shift_share ---------------------------------------------------------------------------


def _hand_example():
    idx = ["industry", "services"]
    return (
        pd.Series([100.0, 200.0], index=idx),
        pd.Series([90.0, 260.0], index=idx),
        pd.Series([1000.0, 3000.0], index=idx),
        pd.Series([900.0, 3500.0], index=idx),
    )


def test_shift_share_hand_computed():
    # g = 4400 / 4000 - 1 = 0.1; g_industry = -0.1; g_services = 3500 / 3000 - 1 = 1/6.
    result = shift_share(*_hand_example())
    assert list(result.columns) == ["start", "end", "change", "national", "mix", "regional"]
    industry, services = result.loc["industry"], result.loc["services"]
    # industry: national 100 * 0.1; mix 100 * (-0.1 - 0.1); regional -10 - 10 + 20.
    assert industry.tolist() == pytest.approx([100, 90, -10, 10, -20, 0], abs=1e-9)
    # services: national 200 * 0.1; mix 200 * (1/6 - 1/10) = 40/3; regional 60 - 20 - 40/3.
    assert services.tolist() == pytest.approx([200, 260, 60, 20, 40 / 3, 80 / 3], abs=1e-9)


@pytest.mark.parametrize("position", range(4))
def test_shift_share_refuses_nan(position):
    inputs = list(_hand_example())
    inputs[position] = inputs[position].where(inputs[position].index != "services")
    with pytest.raises(ValueError, match=r"missing values for \['services'\]"):
        shift_share(*inputs)


@pytest.mark.parametrize("position", [1, 2, 3])
@pytest.mark.parametrize(
    "reindex",
    [
        lambda s: s.rename(index={"services": "other"}),  # a different sector
        lambda s: s.iloc[::-1],  # same sectors, another order
        lambda s: s.iloc[:1],  # a sector fewer
    ],
)
def test_shift_share_refuses_mismatched_indexes(position, reindex):
    inputs = list(_hand_example())
    inputs[position] = reindex(inputs[position])
    with pytest.raises(ValueError, match="not indexed like"):
        shift_share(*inputs)


def test_shift_share_refuses_zero_reference_start():
    inputs = list(_hand_example())
    inputs[2] = pd.Series([0.0, 3000.0], index=inputs[2].index)
    with pytest.raises(ValueError, match="zero level"):
        shift_share(*inputs)


@NO_DEADLINE
@given(sector_frames(columns=4))
def test_shift_share_effects_add_up_exactly(frames):
    result = shift_share(*frames)
    effects = result[["national", "mix", "regional"]]
    scale = float(effects.abs().to_numpy().max() + result["change"].abs().max())
    assert _tight(effects.sum(axis=1), result["change"], scale)
    n_sectors = len(result)
    assert _tight(effects.to_numpy().sum(), result["change"].sum(), scale * n_sectors)
    assert (result["change"] == result["end"] - result["start"]).all()


@NO_DEADLINE
@given(sector_frames(columns=4))
def test_shift_share_regional_effect_is_own_growth_gap(frames):
    region_start, region_end, reference_start, reference_end = frames
    result = shift_share(*frames)
    own = region_end / region_start - 1.0
    national = reference_end / reference_start - 1.0
    expected = region_start * (own - national)
    scale = float(result[["national", "mix", "regional", "change"]].abs().to_numpy().max())
    assert _tight(result["regional"], expected, scale * 10)


@NO_DEADLINE
@given(sector_frames(columns=4))
def test_shift_share_national_effect_total(frames):
    region_start, _, reference_start, reference_end = frames
    result = shift_share(*frames)
    g = reference_end.sum() / reference_start.sum() - 1.0
    expected = region_start.sum() * g
    assert np.isclose(result["national"].sum(), expected, rtol=1e-9, atol=1e-6)


# contributions -------------------------------------------------------------------------


def test_contributions_hand_computed():
    # Total 400 -> 380: -5 %; sector a adds +10 / 400 = +2.5 pts, b -30 / 400 = -7.5 pts.
    start = pd.Series({"a": 100.0, "b": 300.0})
    end = pd.Series({"a": 110.0, "b": 270.0})
    result = contributions(start, end)
    assert result.to_dict() == pytest.approx({"a": 2.5, "b": -7.5})
    assert result.sum() == pytest.approx(growth_rate(end.sum(), start.sum()))


def test_contributions_zero_total_gives_nan():
    result = contributions(pd.Series([0.0, 0.0]), pd.Series([1.0, 2.0]))
    assert result.isna().all()


def test_contributions_missing_sector_stays_missing():
    result = contributions(pd.Series([100.0, 300.0]), pd.Series([110.0, np.nan]))
    assert result[0] == pytest.approx(2.5)
    assert np.isnan(result[1])


@NO_DEADLINE
@given(sector_frames(columns=2))
def test_contributions_sum_to_growth_of_total(frames):
    start, end = frames
    result = contributions(start, end)
    expected = growth_rate(end.sum(), start.sum())
    assert _tight(result.sum(), expected, float(result.abs().sum()) * 100)


# strict_sum ----------------------------------------------------------------------------


def test_strict_sum_region_missing_when_all_or_any_part_missing():
    frame = pd.DataFrame(
        {
            "region": ["A", "A", "B", "B", "C"],
            "employment": [1.0, 2.0, np.nan, np.nan, np.nan],
        }
    )
    frame.loc[5] = ["D", 4.0]
    frame.loc[6] = ["D", np.nan]
    total = strict_sum(frame, ["region"], "employment")
    assert total["A"] == 3.0
    assert np.isnan(total["B"]) and np.isnan(total["C"]) and np.isnan(total["D"])
    assert not (total == 0).any()


@given(st.lists(st.one_of(st.none(), st.integers(0, 10_000)), min_size=1, max_size=12))
def test_strict_sum_property(values):
    cells = pd.Series([np.nan if v is None else float(v) for v in values])
    frame = pd.DataFrame({"g": "x", "v": cells})
    total = strict_sum(frame, ["g"], "v")["x"]
    if cells.isna().any():
        assert np.isnan(total)
    else:
        assert total == sum(values)


# per_thousand --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [(50, 20_000, 2.5), (1, 1_000, 1.0), (0, 10, 0.0), (3, 4, 750.0)],
)
def test_per_thousand_examples(numerator, denominator, expected):
    assert per_thousand(numerator, denominator) == pytest.approx(expected)


def test_per_thousand_zero_or_missing_denominator_gives_nan():
    assert math.isnan(per_thousand(5, 0))
    assert math.isnan(per_thousand(5, np.nan))
    result = per_thousand(pd.Series([1.0, 2.0]), pd.Series([0.0, 4.0]))
    assert np.isnan(result[0]) and result[1] == 500.0


# rank ----------------------------------------------------------------------------------


def test_rank_descending_ties_min_and_nan_excluded():
    values = pd.Series({"A": 3.0, "B": 5.0, "C": 5.0, "D": np.nan, "E": 1.0})
    result = rank(values)
    assert str(result.dtype) == "Int64"
    assert result.drop("D").to_dict() == {"A": 3, "B": 1, "C": 1, "E": 4}
    assert result["D"] is pd.NA


def test_rank_ascending():
    values = pd.Series({"A": 3.0, "B": 5.0, "C": 5.0, "D": np.nan, "E": 1.0})
    result = rank(values, ascending=True)
    assert result.drop("D").to_dict() == {"A": 2, "B": 3, "C": 3, "E": 1}
    assert result["D"] is pd.NA


def test_rank_missing_values_do_not_count():
    # Three regions with data: the lowest is 3rd, whatever the number of missing ones.
    values = pd.Series([np.nan, 10.0, np.nan, 20.0, 30.0, np.nan])
    assert rank(values).max() == 3


def test_rank_all_missing():
    result = rank(pd.Series([np.nan, np.nan]))
    assert str(result.dtype) == "Int64"
    assert result.isna().all()


@NO_DEADLINE
@given(st.lists(st.one_of(st.none(), st.integers(0, 20)), min_size=1, max_size=18))
def test_rank_property(values):
    series = pd.Series([np.nan if v is None else float(v) for v in values])
    result = rank(series)
    known = series.dropna()
    assert result.isna().equals(series.isna())
    for label, value in known.items():
        assert result[label] == 1 + int((known > value).sum())
