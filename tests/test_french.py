"""Tests of :mod:`analysis.french`: French typography of numbers, quarters and regions.

Notes
-----
The expected strings spell the special spaces out: ``\\u202f`` (narrow no-break space,
between thousands) and ``\\u00a0`` (no-break space, before ``%``, ``point`` and ``(p)``),
so that a plain space in the output cannot pass for one of them.

Rounding is Babel's: half to even on the number's shortest decimal writing (``7.25`` ->
``7,2``, ``7.35`` -> ``7,4``, ``2.675`` -> ``2,68``), not Python's :func:`round` on the
binary float.
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from analysis.french import (
    NOT_AVAILABLE,
    flagged,
    month_span,
    number,
    percent,
    points,
    quarter,
    signed_number,
    signed_percent,
    with_preposition,
)

NNBSP = "\u202f"
NBSP = "\u00a0"
MISSING = [None, float("nan"), np.nan, np.float64("nan"), pd.NA]
NO_DEADLINE = settings(deadline=None)

# number ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (1234567, 0, f"1{NNBSP}234{NNBSP}567"),
        (999, 0, "999"),
        (1000, 0, f"1{NNBSP}000"),
        (0, 0, "0"),
        (-1234, 0, f"-1{NNBSP}234"),
        (1234.5678, 2, f"1{NNBSP}234,57"),
        (-1234.5, 1, f"-1{NNBSP}234,5"),
        (7, 1, "7,0"),
        (np.int64(1234), 0, f"1{NNBSP}234"),
        (np.float64(0.125), 3, "0,125"),
    ],
)
def test_number_separators(value, decimals, expected):
    assert number(value, decimals) == expected


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (7.25, 1, "7,2"),  # half to even
        (7.35, 1, "7,4"),  # half to even on "7.35", although the float is 7.34999...
        (7.45, 1, "7,4"),
        (7.26, 1, "7,3"),
        (2.675, 2, "2,68"),  # Python's round(2.675, 2) gives 2.67
        (0.5, 0, "0"),
        (1.5, 0, "2"),
        (2.5, 0, "2"),
        (1234.4, 0, f"1{NNBSP}234"),
    ],
)
def test_number_rounds_half_to_even_on_decimal_writing(value, decimals, expected):
    assert number(value, decimals) == expected


@NO_DEADLINE
@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_number_of_integer_parses_back(value):
    text = number(value)
    assert int(text.replace(NNBSP, "")) == value
    groups = text.lstrip("-").split(NNBSP)
    assert 1 <= len(groups[0]) <= 3
    assert all(len(group) == 3 for group in groups[1:])
    assert " " not in text and NBSP not in text


# percent, signed_number, signed_percent, points ------------------------------------------


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (7.3, 1, f"7,3{NBSP}%"),
        (7.3, 0, f"7{NBSP}%"),
        (100, 1, f"100,0{NBSP}%"),
        (12.345, 2, f"12,34{NBSP}%"),  # half to even
        (1234.5, 1, f"1{NNBSP}234,5{NBSP}%"),
    ],
)
def test_percent(value, decimals, expected):
    assert percent(value, decimals) == expected


def test_percent_default_one_decimal():
    assert percent(7) == f"7,0{NBSP}%"


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (12345, 0, f"+12{NNBSP}345"),
        (-3210, 0, f"-3{NNBSP}210"),
        (0, 0, "0"),
        (0.0, 1, "0,0"),
        (0.04, 1, "0,0"),  # rounds to zero: no sign
        (-0.04, 1, "0,0"),
        (-0.0, 0, "0"),
        (0.4, 0, "0"),
        (0.06, 1, "+0,1"),
        (-0.06, 1, "-0,1"),
        (1.25, 1, "+1,2"),
    ],
)
def test_signed_number(value, decimals, expected):
    assert signed_number(value, decimals) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (2.1, f"+2,1{NBSP}%"),
        (-0.4, f"-0,4{NBSP}%"),
        (-2.1, f"-2,1{NBSP}%"),
        (0.0, f"0,0{NBSP}%"),
        (0.04, f"0,0{NBSP}%"),
        (-0.04, f"0,0{NBSP}%"),
    ],
)
def test_signed_percent(value, expected):
    assert signed_percent(value) == expected


def test_signed_minus_is_hyphen_minus():
    assert signed_percent(-2.1).startswith("-")
    assert "\u2212" not in signed_percent(-2.1) + signed_number(-5) + number(-5)


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (0.4, 1, f"+0,4{NBSP}point"),
        (-1.2, 1, f"-1,2{NBSP}point"),
        (1.5, 1, f"+1,5{NBSP}point"),
        (1.94, 1, f"+1,9{NBSP}point"),
        (2, 1, f"+2,0{NBSP}points"),
        (1.96, 1, f"+2,0{NBSP}points"),  # rounds up to 2,0: plural
        (-2.04, 1, f"-2,0{NBSP}points"),
        (-3.5, 1, f"-3,5{NBSP}points"),
        (0, 1, f"0,0{NBSP}point"),
        (-0.04, 1, f"0,0{NBSP}point"),
        (12, 0, f"+12{NBSP}points"),
    ],
)
def test_points_sign_and_plural(value, decimals, expected):
    assert points(value, decimals) == expected


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [(0.05, 1, "0,0"), (-0.05, 1, "0,0"), (0.005, 2, "0,00"), (0.0005, 3, "0,000")],
)
def test_signed_number_no_sign_on_zero_at_exact_half(value, decimals, expected):
    assert signed_number(value, decimals) == expected


def test_signed_percent_no_sign_on_zero_at_exact_half():
    assert signed_percent(0.05) == f"0,0{NBSP}%"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1.95, f"+2,0{NBSP}points"), (-1.95, f"-2,0{NBSP}points"), (0.05, f"0,0{NBSP}point")],
)
def test_points_unit_and_sign_follow_printed_value(value, expected):
    assert points(value) == expected


@NO_DEADLINE
@given(
    st.floats(min_value=-1e9, max_value=1e9, allow_nan=False),
    st.integers(min_value=0, max_value=3),
)
def test_signed_number_is_number_of_absolute_value_with_sign(value, decimals):
    text = signed_number(value, decimals)
    assert text.lstrip("+-") == number(abs(value), decimals)
    assert text[0] in "+-0123456789"


@NO_DEADLINE
@given(
    st.floats(min_value=-1e9, max_value=1e9, allow_nan=False),
    st.integers(min_value=0, max_value=3),
)
@example(0.05, 1)
def test_signed_number_has_sign_iff_printed_digits_not_all_zero(value, decimals):
    text = signed_number(value, decimals)
    nonzero = re.search(r"[1-9]", text) is not None
    assert (text[0] in "+-") == nonzero


# missing values and flags ----------------------------------------------------------------


@pytest.mark.parametrize("value", MISSING)
@pytest.mark.parametrize(
    "formatter", [number, signed_number, percent, signed_percent, points], ids=lambda f: f.__name__
)
def test_missing_values_are_not_available(formatter, value):
    assert formatter(value) == NOT_AVAILABLE == "n.d."


@pytest.mark.parametrize(
    ("text", "kwargs", "expected"),
    [
        (f"1{NNBSP}234", {}, f"1{NNBSP}234"),
        (f"1{NNBSP}234", {"secret": True}, "s"),
        (f"1{NNBSP}234", {"provisional": True}, f"1{NNBSP}234{NBSP}(p)"),
        (f"1{NNBSP}234", {"provisional": True, "secret": True}, "s"),
        ("n.d.", {"provisional": True}, "n.d."),  # nothing to qualify as provisional
        ("n.d.", {"secret": True}, "s"),
    ],
)
def test_flagged(text, kwargs, expected):
    assert flagged(text, **kwargs) == expected


def test_flagged_provisional_percent():
    assert flagged(percent(7.3), provisional=True) == f"7,3{NBSP}%{NBSP}(p)"


# quarter and month_span -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        ("2020Q1", "1er trimestre 2020"),
        ("2020Q2", "2e trimestre 2020"),
        ("2021Q3", "3e trimestre 2021"),
        (pd.Period("2019Q4"), "4e trimestre 2019"),
        (pd.Period("2024Q1", freq="Q"), "1er trimestre 2024"),
    ],
)
def test_quarter(period, expected):
    assert quarter(period) == expected


@pytest.mark.parametrize(
    ("end", "start_month", "expected"),
    [
        (dt.date(2023, 12, 31), 1, "année 2023"),
        (dt.date(2024, 4, 30), 1, "janvier-avril 2024"),
        (dt.date(2024, 1, 31), 1, "janvier 2024"),
        (dt.date(2024, 12, 31), 7, "juillet-décembre 2024"),
        (dt.date(2024, 8, 31), 8, "août 2024"),
        (dt.date(2022, 2, 28), 1, "janvier-février 2022"),
    ],
)
def test_month_span(end, start_month, expected):
    assert month_span(end, start_month) == expected


def test_month_span_default_start_is_january():
    assert month_span(dt.date(2024, 4, 30)) == "janvier-avril 2024"


# with_preposition -------------------------------------------------------------------------

# The 18 regions as the INSEE file spells them (straight apostrophe in "Côte d'Azur"), with
# the phrase INSEE's own publications use; the TNCC comes from the real COG file.
REGIONS = {
    "Guadeloupe": "en Guadeloupe",
    "Martinique": "en Martinique",
    "Guyane": "en Guyane",
    "La Réunion": "à La Réunion",
    "Mayotte": "à Mayotte",
    "Île-de-France": "en Île-de-France",
    "Centre-Val de Loire": "en Centre-Val de Loire",
    "Bourgogne-Franche-Comté": "en Bourgogne-Franche-Comté",
    "Normandie": "en Normandie",
    "Hauts-de-France": "dans les Hauts-de-France",
    "Grand Est": "dans le Grand Est",
    "Pays de la Loire": "dans les Pays de la Loire",
    "Bretagne": "en Bretagne",
    "Nouvelle-Aquitaine": "en Nouvelle-Aquitaine",
    "Occitanie": "en Occitanie",
    "Auvergne-Rhône-Alpes": "en Auvergne-Rhône-Alpes",
    "Provence-Alpes-Côte d'Azur": "en Provence-Alpes-Côte d'Azur",
    "Corse": "en Corse",
}

#: Départements: the issue's examples and one of each TNCC.
DEPARTEMENTS = {
    "Seine-Saint-Denis": "en Seine-Saint-Denis",  # TNCC 3
    "Nord": "dans le Nord",  # 2
    "Bouches-du-Rhône": "dans les Bouches-du-Rhône",  # 4
    "Paris": "à Paris",  # 0, exception
    "Ain": "dans l'Ain",  # 5
    "Isère": "en Isère",  # 5, exception
    "Ille-et-Vilaine": "en Ille-et-Vilaine",  # 1
    "Maine-et-Loire": "en Maine-et-Loire",  # 0
    "Somme": "dans la Somme",  # 3, exception
    "Territoire de Belfort": "dans le Territoire de Belfort",  # 2
    "La Réunion": "à La Réunion",
}


def test_eighteen_regions():
    assert len(REGIONS) == 18


def test_regions_take_their_usual_preposition(raw_dir):
    from analysis.geo import read_regions

    regions = read_regions(data_dir=raw_dir)
    assert dict(zip(regions["name"], regions["where"], strict=True)) == REGIONS


def test_departements_take_their_usual_preposition(raw_dir):
    from analysis.geo import read_departements

    deps = read_departements(data_dir=raw_dir)
    where = dict(zip(deps["name"], deps["where"], strict=True))
    assert {name: where[name] for name in DEPARTEMENTS} == DEPARTEMENTS
    assert len(deps) == 101 and deps["where"].str.match(r"^(en|dans|à) ").all()


@pytest.mark.parametrize(
    ("name", "tncc", "expected"),
    [
        ("Nord", 2, "dans le Nord"),
        ("Yvelines", 4, "dans les Yvelines"),
        ("Oise", 5, "dans l'Oise"),
        ("Gironde", 3, "en Gironde"),
        ("Occitanie", 1, "en Occitanie"),
        ("Normandie", 0, "en Normandie"),
        ("France", 3, "en France"),
    ],
)
def test_with_preposition_follows_tncc(name, tncc, expected):
    assert with_preposition(name, tncc) == expected


@pytest.mark.parametrize("tncc", [6, 8, -1, "x"])
def test_with_preposition_refuses_commune_tncc(tncc):
    with pytest.raises(ValueError, match="No preposition rule"):
        with_preposition("Los Angeles", tncc)
