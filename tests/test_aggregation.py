"""Totals over areas never turn missing cells into zeros; one value per apprenticeship year."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import metrics
from analysis.loaders import _aggregate
from analysis.loaders._aggregate import known_sum
from analysis.loaders.apprenticeship import calendar_year_series


def test_loaders_sum_strictly_with_the_metric():
    # One strict sum for the whole package (its tests are in test_metrics.py); the loaders
    # import it from _aggregate, beside known_sum.
    assert _aggregate.strict_sum is metrics.strict_sum


def test_known_sum_counts_masked_cells():
    frame = pd.DataFrame(
        {
            "r": ["A", "A", "A", "B"],
            "v": [1.0, np.nan, 2.0, np.nan],
            "m": [False, True, False, True],
        }
    )
    out = known_sum(frame, ["r"], "v", "m")
    assert out.loc["A"].tolist() == [3.0, 1]
    assert np.isnan(out.loc["B", "v"]) and out.loc["B", "m_cells"] == 1


def _obs(rows):
    frame = pd.DataFrame(rows, columns=["region", "source", "period_end", "contracts"])
    frame["period_end"] = pd.to_datetime(frame["period_end"])
    frame["cumulative_monthly"] = frame["source"].eq("ditp")
    return frame


def test_calendar_year_rule():
    obs = _obs(
        [
            ("11", "etalab", "2021-12-31", 100),
            ("11", "etalab", "2022-10-31", 190),  # partial year: set aside
            ("11", "ditp", "2022-11-30", 195),
            ("11", "ditp", "2022-12-31", 200),  # complete: wins 2022
            ("11", "ditp", "2024-03-31", 20),
            ("11", "ditp", "2024-04-30", 30),  # latest cut-off of a partial year
        ]
    )
    series = calendar_year_series(obs).set_index("year")
    assert series.contracts.to_dict() == {2021: 100, 2022: 200, 2024: 30}
    assert series.source.to_dict() == {2021: "etalab", 2022: "ditp", 2024: "ditp"}
    assert series.complete.to_dict() == {2021: True, 2022: True, 2024: False}
    assert series.loc[2024, "period_end"] == pd.Timestamp("2024-04-30")


@pytest.mark.parametrize(
    ("rows", "expected_source"),
    [
        # Two complete values for one year: the later cut-off cannot differ, DITP wins ties.
        ([("FR", "etalab", "2022-12-31", 10), ("FR", "ditp", "2022-12-31", 11)], "ditp"),
        # A complete Etalab year beats a partial DITP one whatever the dates.
        ([("FR", "etalab", "2023-12-31", 10), ("FR", "ditp", "2023-06-30", 5)], "etalab"),
    ],
)
def test_calendar_year_tie_breaks(rows, expected_source):
    series = calendar_year_series(_obs(rows))
    assert len(series) == 1
    assert series.source.iloc[0] == expected_source


@pytest.mark.parametrize(
    ("reader", "expected"),
    [
        ("read_insee_employment", "departement, region, france"),
        ("read_urssaf_employment", "zone, region, france"),
        ("read_bmo", "basin, departement, region, france"),
    ],
)
def test_unknown_level_is_a_parameter_error(reader, expected):
    import analysis as an

    with pytest.raises(an.ParameterError, match=f"must be one of {expected}; got 'regions'"):
        getattr(an, reader)(level="regions")
