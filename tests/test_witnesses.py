"""Our figures against figures the publishers printed themselves (published witnesses).

Each test names its witness. Our files are open-data extracts of another vintage, or
leave out secret cells, so a witness is matched within a stated tolerance and the
direction of any gap is explained; an exact match would be the suspicious case.
"""

from __future__ import annotations

import pandas as pd
import pytest

import analysis as an
from analysis import FRANCE
from analysis import indicators as ind
from analysis.datasets import Datasets

pytestmark = pytest.mark.realdata


@pytest.fixture(scope="module")
def ds(raw_dir):
    return Datasets(raw_dir)


def test_bmo_2025_national_total_and_difficulty(ds):
    """France Travail, communiqué "Besoins en main-d'œuvre (BMO) 2025", 11 April 2025:
    2,43 million recruitment projects, 50,1 % of them judged difficult.

    Our sum leaves out the ~23 % of basin x occupation cells masked as "*" (small
    values), so it must fall just below the published total.
    """
    summary = ind.recruitment_summary(ds, FRANCE)
    assert 0.98 * 2_430_000 < summary["all_projects"] < 2_430_000  # 2 401 105
    assert summary["all_difficult_pct"] == pytest.approx(50.1, abs=1.0)  # 49,6 %


@pytest.mark.parametrize(
    ("occupation", "published"),
    [("Ouvriers mécaniciens de véhicules", 74.0), ("Carrossiers automobiles", 80.8)],
)
def test_bmo_2025_difficulty_of_industrial_occupations(raw_dir, occupation, published):
    """France Travail BMO 2025 national results, as relayed by the Carif-Oref of PACA and
    the artisanat watch (April 2025): carrossiers 80,8 %, mécaniciens 74 % difficult."""
    france = an.read_bmo(level="france", data_dir=raw_dir)
    row = france[france["occupation_name"] == occupation].iloc[0]
    assert row["industrial"]  # France Travail's family "Ouvriers des secteurs de l'industrie"
    assert row["difficult"] / row["projects"] * 100 == pytest.approx(published, abs=1.0)


def test_apprenticeship_2022_dares(ds):
    """DARES, 2 March 2023: 837 000 apprenticeship contracts began in 2022, +14 %.

    Ours is DITP's December 2022 total, 833 406 (-0,4 %: a later vintage of the same
    DECA count, without the late records DARES had added), and +13,9 % on Etalab 2021.
    """
    row = ind.apprenticeship_table(ds, 2022).loc[FRANCE]
    assert row["contracts"] == pytest.approx(837_000, rel=0.005)
    assert round(row["change_pct"]) == 14


def test_apprenticeship_2023_dares(ds):
    """DARES, "L'apprentissage en 2023" (2024): 852 000 contracts began in 2023, +1,9 %.

    Ours: 852 235 (DITP, December 2023), +2,3 % on DITP's 2022 (833 406, see above: the
    DARES base for 2022 is slightly higher, hence the smaller published rise).
    """
    row = ind.apprenticeship_table(ds, 2023).loc[FRANCE]
    assert row["contracts"] == pytest.approx(852_000, rel=0.001)
    assert row["change_pct"] == pytest.approx(1.9, abs=0.5)


def test_apprenticeship_january_to_november_2022_dares(raw_dir):
    """DARES, 31 January 2023: 809 100 contracts began from January to November 2022.

    DITP's cumulative series gives 803 038 at the end of November (-0,7 %), the same
    order as the gap on the whole year: the monthly series is a cumulative total.
    """
    obs = an.read_apprenticeship_observations(data_dir=raw_dir)
    ditp = obs[(obs["source"] == "ditp") & (obs["region"] == FRANCE)]
    november = ditp.set_index("period_end").loc[pd.Timestamp("2022-11-30"), "contracts"]
    assert november == pytest.approx(809_100, rel=0.01)
