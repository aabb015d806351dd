"""Key figures: one field and one period each, named in the label; comparisons refused
across fields or periods; the partial year never ranked; flags for what a reader must know.

Witnesses: DITP IND-313 (France, December 2023: 852 235 contracts; January-April 2024:
71 605 against 62 589), the change DARES publishes for 2022 (+13,9 %), URSSAF (France
2024: 3 179 726 industrial private employees) and France Travail's BMO 2025 open data.
"""

from __future__ import annotations

import pytest

from analysis import FRANCE
from analysis.datasets import Datasets
from analysis.keyfigures import (
    FIELDS,
    FLAGS,
    IncomparableFigures,
    KeyFigure,
    check_comparable,
    key_figures,
)


def figure(**changes) -> KeyFigure:
    base = {
        "id": "x",
        "label": "X",
        "value": 1.0,
        "unit": "%",
        "period": "2024",
        "source": "urssaf_ze_a38",
        "field": FIELDS["private"],
    }
    return KeyFigure(**(base | changes))


def test_same_field_and_period_compare_freely():
    assert check_comparable(figure(), figure(id="y")) == ""


@pytest.mark.parametrize(
    "other",
    [
        {"field": FIELDS["all_employees"]},
        {"period": "4e trimestre 2019"},
    ],
    ids=["field", "period"],
)
def test_a_comparison_across_fields_or_periods_must_say_so(other):
    with pytest.raises(IncomparableFigures, match="differ in field or period"):
        check_comparable(figure(), figure(id="y", **other))
    words = "(champs différents : Urssaf, secteur privé ; Insee, ensemble des salariés)"
    assert check_comparable(figure(), figure(id="y", **other), differences=words) == words


def test_json_carries_field_flags_and_note():
    doc = figure(flags=("provisional",), note="n").to_json()
    assert set(doc) == {
        "id",
        "label",
        "value",
        "unit",
        "period",
        "source",
        "field",
        "flags",
        "note",
    }
    assert doc["flags"] == ["provisional"]


@pytest.fixture(scope="module")
def ds(raw_dir):
    return Datasets(raw_dir)


def by_id(ds, region, year) -> dict[str, KeyFigure]:
    return {f.id: f for f in key_figures(ds, region, year)}


@pytest.mark.realdata
def test_employment_labels_name_their_field(ds):
    private = by_id(ds, "93", 2024)
    assert "salariés du privé" in private["industrial_employment"].label
    assert private["industry_share_pct"].label == "Part de l'industrie dans l'emploi salarié privé"
    assert private["industrial_employment"].field == FIELDS["private"]
    insee = by_id(ds, "93", 2019)
    assert "ensemble des salariés" in insee["industry_share_pct"].label
    assert insee["industrial_employment"].field == FIELDS["all_employees"]
    assert "provisional" in insee["industrial_employment"].flags  # INSEE from 2019T1


@pytest.mark.realdata
def test_a_change_of_field_between_editions_is_said(ds):
    first_urssaf = by_id(ds, "84", 2022)["industrial_employment"]
    assert "field_change" in first_urssaf.flags
    assert "Champ différent de l'édition 2020" in first_urssaf.note
    assert "field_change" not in by_id(ds, "84", 2023)["industrial_employment"].flags


@pytest.mark.realdata
def test_no_rank_among_zero_regions(ds):
    rank = by_id(ds, "04", 2021)["industrial_employment_rank"]
    assert rank.value is None
    assert "0 régions" not in rank.label and "pas de données pour 2021" in rank.label


@pytest.mark.realdata
def test_partial_year_is_apart_and_the_headline_is_complete(ds):
    figures = by_id(ds, FRANCE, 2024)
    headline = figures["apprenticeship_contracts"]
    assert (headline.value, headline.period) == (852_235, "année 2023")
    assert figures["apprenticeship_contracts_change_pct"].period == "de 2022 à 2023"
    ytd = figures["apprenticeship_contracts_year_to_date"]
    assert (ytd.value, ytd.period, ytd.flags) == (71_605, "janvier-avril 2024", ("partial_year",))
    change = figures["apprenticeship_contracts_year_to_date_change_pct"]
    assert change.value == pytest.approx((71_605 / 62_589 - 1) * 100)
    assert "apprenticeship_contracts_year_to_date" not in by_id(ds, FRANCE, 2023)


@pytest.mark.realdata
def test_2022_change_is_published_with_its_source_break(ds):
    change = by_id(ds, FRANCE, 2022)["apprenticeship_contracts_change_pct"]
    assert round(change.value, 1) == 13.9
    assert change.flags == ("etalab_ditp",) and change.note.startswith("2021 vient d'Etalab")


@pytest.mark.realdata
def test_per_thousand_says_its_numerator_and_denominator_differ(ds):
    rate = by_id(ds, "11", 2023)["apprenticeship_per_1000"]
    assert rate.field == FIELDS["apprenticeship_per_private"]
    assert "publics et privés" in rate.note and "secteur privé" in rate.note


@pytest.mark.realdata
def test_recruitment_uses_france_travail_industrial_family(ds):
    projects = by_id(ds, FRANCE, 2024)["industrial_recruitment_projects"]
    assert projects.value == 197_960 and projects.field == FIELDS["bmo_industry"]
    assert "secret_cells" in projects.flags


def test_every_flag_used_is_explained():
    used = {"provisional", "secret_cells", "partial_year", "small_base", "poem_deca",
            "etalab_ditp", "field_change", "shared_zones"}  # fmt: skip
    assert used <= set(FLAGS)
