"""The library as a statistician explores with it: one import, quarters, charts, section data.

Real figures pinned here are checked elsewhere against their witnesses: the Nord's INSEE
industrial employment at the end of 2019 (123 910, ``test_territories.py``) and the
Hauts-de-France's URSSAF branches (``test_indicators.py``); these tests check that a
section hands back the very numbers it prints.
"""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

import analysis as an
from analysis import blocks, plots
from analysis.blocks import Block, Column


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


# ------------------------------------------------------------------------ quarters


@pytest.mark.parametrize("text", ["2019T4", "2019-T4", "2019Q4", "2019-q4", "T4 2019", " 2019t4 "])
def test_quarter_reads_the_ways_people_write_it(text):
    assert an.quarter(text) == pd.Period("2019Q4", "Q-DEC")


def test_quarter_accepts_periods_and_dates():
    assert an.quarter(pd.Period("2019-11", "M")) == pd.Period("2019Q4", "Q")
    assert an.quarter(pd.Timestamp("2019-02-14")) == pd.Period("2019Q1", "Q")


@pytest.mark.parametrize("text", ["2019", "2019T5", "2019T0", "T4", "4e trimestre 2019", ""])
def test_quarter_refuses_what_is_not_a_quarter(text):
    with pytest.raises(an.ParameterError, match="is not a quarter"):
        an.quarter(text)


def test_pandas_alone_misreads_the_french_quarter():
    # The trap an.quarter exists for: if pandas ever reads "2019T4" right, say so here.
    quarters = pd.Series(pd.period_range("2019Q1", "2019Q4", freq="Q"))
    assert quarters[quarters == "2019T4"].tolist() == [pd.Period("2019Q2", "Q")]
    assert quarters[quarters == an.quarter("2019T4")].tolist() == [pd.Period("2019Q4", "Q")]


# --------------------------------------------------------------------------- theme


def test_theme_applies_inside_its_block_only():
    before = dict(mpl.rcParams)
    with an.theme():
        assert mpl.rcParams["axes.titleweight"] == "bold"
        assert mpl.rcParams["axes.spines.top"] is False
    assert dict(mpl.rcParams) == before


@pytest.mark.realdata
def test_a_report_leaves_the_users_settings_alone(raw_dir):
    before = dict(mpl.rcParams)
    report = an.RegionReport("32", 2019, data_dir=raw_dir)
    report.employment()
    report.comparison()
    assert dict(mpl.rcParams) == before


# -------------------------------------------------------------------------- charts


def _frame() -> pd.DataFrame:
    index = pd.period_range("2018Q4", "2019Q4", freq="Q")
    return pd.DataFrame(
        {"Région": [100.0, 100.5, 101.0, 100.2, 99.8], "France": [100.0, 100.1, 100.3, 100.6, 101]},
        index=index,
    )


def test_plot_draws_on_the_axes_it_is_given():
    _, (left, right) = plt.subplots(1, 2)
    drawn = an.plot_index(_frame(), ax=right, provisional_from="2019T3")
    assert drawn is right
    assert not left.lines
    assert [line.get_label() for line in right.get_legend().get_lines()] == ["Région", "France"]
    assert right.get_title(loc="left") == right.get_title() == ""  # the caller titles


def test_plot_without_axes_makes_a_pyplot_figure():
    before = set(plt.get_fignums())
    ax = an.plot_shift_share({"Effet national": 10.0, "Évolution observée": -5.0})
    assert set(plt.get_fignums()) - before == {ax.figure.number}


def test_provisional_quarter_accepts_the_french_spelling():
    ax = an.plot_index(_frame(), provisional_from="2019T3")
    band = [p for p in ax.patches if p.get_label().startswith("provisoire")]
    assert band and band[0].get_label() == "provisoire (depuis le 3e trimestre 2019)"


def test_finish_chart_adds_title_source_and_alt():
    with an.theme():
        ax = an.plot_index(_frame())
        chart = an.finish_chart(
            ax.figure, title="Emploi, 2018-2019", source="Insee", alt="Deux courbes", ax=ax
        )
    assert ax.get_title(loc="left") == "Emploi, 2018–2019"
    assert "Source : Insee" in [t.get_text() for t in ax.figure.texts]
    assert chart.alt == "Deux courbes" and chart.title == "Emploi, 2018–2019"


def test_chart_png_shows_a_changed_figure():
    chart = plots.index_chart(_frame(), title="Emploi", base_label="2018", source="Insee")
    first = chart.png()
    chart.figure.axes[0].set_title("Un autre titre, bien plus long que le premier")
    assert chart.png() != first


# ------------------------------------------------------------------- section data


def test_table_block_carries_its_numbers_headed_as_printed():
    frame = pd.DataFrame(
        {"name": ["Nord", "Aisne"], "jobs": [123909.9, 23543.5], "jobs_text": ["123 910", "s"]}
    )
    block = blocks.table(
        frame,
        [
            Column("name", "Département", numeric=False),
            Column("jobs", "Salariés", str),
            Column("jobs_text", "Salariés\n(texte)", str, raw="jobs"),
        ],
        caption="Emploi",
    )
    assert list(block.tables) == ["Emploi"]
    data = block.data
    assert list(data.columns) == ["Département", "Salariés", "Salariés (texte)"]
    assert data["Salariés (texte)"].tolist() == [123909.9, 23543.5]


def test_concat_gathers_tables_and_chart_data():
    one = Block("<p>a</p>", {"Tableau": pd.DataFrame({"x": [1]})})
    two = Block("<p>b</p>", {"Tableau": pd.DataFrame({"x": [2]})})
    chart = plots.index_chart(_frame(), title="Emploi", base_label="2018", source="Insee")
    joined = blocks.concat([one, chart, two])
    assert list(joined.tables) == ["Tableau", "Graphique : Emploi", "Tableau (2)"]
    assert joined.tables["Tableau (2)"]["x"].tolist() == [2]
    assert joined.tables["Graphique : Emploi"].equals(chart.data)
    assert joined.tables["Graphique : Emploi"].attrs["notes"] == "Source : Insee."
    assert (one + two).tables["Tableau (2)"]["x"].tolist() == [2]


def test_a_block_without_table_has_empty_data():
    assert blocks.note("Rien").data.empty


@pytest.fixture(scope="module")
def report(raw_dir):
    return an.RegionReport("32", 2019, data_dir=raw_dir)


@pytest.mark.realdata
def test_branches_section_gives_back_the_branch_table(report):
    data = report.branches().data
    expected = an.branch_table(report.ds, "32", 2019)
    assert set(data.columns) >= {"sector", "employment", "quotient", "highlighted"}
    pd.testing.assert_series_equal(
        data.set_index("a38")["employment"], expected.set_index("a38")["employment"]
    )
    printed = report.branches().tables[
        "Emploi salarié privé par branche industrielle dans les Hauts-de-France, 2019"
    ]
    assert printed["Salariés 2019"].dtype == float  # numbers, not "40 789"


@pytest.mark.realdata
def test_territories_section_prints_and_returns_the_same_nord(report):
    table = report.territories().tables["Les départements de la région Hauts-de-France en 2019"]
    nord = table.set_index("Code").loc["59"]
    assert round(nord["Emploi salarié industriel (4e trimestre 2019)"]) == 123_910
    assert nord["Rang dans la région"] == 1


@pytest.mark.realdata
def test_summary_gives_the_key_figures(report):
    figures = report.summary().tables["Chiffres clés"]
    assert figures.loc["industrial_employment", "period"] == "4e trimestre 2019"
    assert figures.loc["industrial_employment", "flags"] == "provisional"
    assert np.isclose(
        figures.loc["industrial_employment", "value"],
        report.figures["industrial_employment"].value,
    )


@pytest.mark.realdata
def test_every_section_that_shows_a_table_returns_it(report):
    for section in ("employment", "branches", "apprenticeship", "recruitment", "comparison"):
        block = getattr(report, section)()
        assert block.tables, section
        assert all(len(frame) for frame in block.tables.values()), section


# ------------------------------------------------------------------ form and export


@pytest.mark.realdata
def test_report_form_rebuilds_in_place(raw_dir):
    form = an.report_form("region", "32", 2019, data_dir=raw_dir)
    assert form.report.name == "Hauts-de-France" and form.report.year == 2019
    assert "<h2>Territoires</h2>" in form.output.value
    form.section.value = "Apprentissage"
    assert "<h2>Apprentissage</h2>" in form.output.value
    assert "<h2>Territoires</h2>" not in form.output.value
    form.year.value = 2023
    assert form.report.year == 2023 and "2023" in form.output.value
    form.level.value = "departement"
    assert len(form.area.options) == 101
    assert form.section.options[-1] == "Sources et méthode"
    form.area.value = "59"
    assert form.report.name == "Nord"
    assert "<h2>Le département dans sa région</h2>" in form.output.value


def test_report_form_refuses_an_unknown_level():
    with pytest.raises(an.ParameterError, match="Unknown level 'zone'"):
        an.report_form("zone")


def test_write_excel_names_sheets_as_excel_allows(tmp_path):
    tables = {
        "Emploi : région / France [2019]": pd.DataFrame({"a": [1]}),
        "Emploi : région / France [2019], suite": pd.DataFrame({"a": [2]}),
        "Par trimestre": pd.Series(
            [1.0, 2.0], index=pd.period_range("2019Q1", periods=2, freq="Q"), name="x"
        ),
    }
    path = an.write_excel(tables, tmp_path / "t.xlsx")
    with pd.ExcelFile(path, engine="calamine") as book:
        names = book.sheet_names
        contents = pd.read_excel(book, "Sommaire", header=2)
        quarters = pd.read_excel(book, names[3], header=3)
    assert names[0] == "Sommaire"
    assert all(len(name) <= 31 and not set("[]:*?/\\") & set(name) for name in names)
    assert len(set(names)) == 4
    assert contents["Tableau"].tolist() == list(tables)
    assert quarters.iloc[:, 0].tolist() == ["2019Q1", "2019Q2"]


def test_write_excel_keeps_the_earlier_file_when_it_fails(tmp_path, monkeypatch):
    from openpyxl import Workbook

    path = an.write_excel({"A": pd.DataFrame({"a": [1]})}, tmp_path / "t.xlsx")
    before = path.read_bytes()

    def full_disk(self, filename):
        with open(filename, "wb") as handle:
            handle.write(b"PK half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Workbook, "save", full_disk)
    with pytest.raises(OSError, match="No space left"):
        an.write_excel({"A": pd.DataFrame({"a": [2]})}, path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["t.xlsx"]
