"""The *Territoires* section (:mod:`analysis.sections.territories`) on the real files.

Notes
-----
The section reads a report's ``ds``, ``region``, ``year``, ``name``, ``where`` and
``links``: a :class:`types.SimpleNamespace` stands in for the report. The HTML is read
row by row; the map (:func:`analysis.plots.departement_map`) through its alt text and its
artists, its labels measured on the layout of the saved PNG.
"""

from __future__ import annotations

import re
from itertools import combinations
from types import SimpleNamespace

import pytest
from matplotlib.text import Text

from analysis import french, plots
from analysis.datasets import Datasets
from analysis.sections import territories as section
from analysis.territories import departement_codes, employment_levels, zone_table

pytestmark = pytest.mark.realdata

NNBSP, NBSP = "\u202f", "\u00a0"


@pytest.fixture(scope="module")
def ds(raw_dir):
    return Datasets(raw_dir)


@pytest.fixture(autouse=True)
def _close_figures():
    import matplotlib.pyplot as plt

    yield
    plt.close("all")


def _report(ds, region: str, year: int, links=()) -> SimpleNamespace:
    name = ds.names[region]
    return SimpleNamespace(
        ds=ds, region=region, year=year, name=name, where=ds.where[name], links=frozenset(links)
    )


def _tables(html: str) -> list[str]:
    return re.findall(r"<table.*?</table>.*?</div>", html, flags=re.S)


def _rows(table: str) -> list[list[str]]:
    """Cells of each body row, as HTML."""
    body = re.search(r"<tbody>(.*)</tbody>", table, flags=re.S).group(1)
    return [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in re.findall(r"<tr.*?</tr>", body)]


def _text(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


# --------------------------------------------------------------------------- départements


def test_hauts_de_france_2019_lists_its_departements_with_links(ds):
    block = section.departements_table(_report(ds, "32", 2019, links={"59", "80", "75"}))
    rows = _rows(_tables(block.html)[0])
    assert [row[1] for row in rows] == ["02", "59", "60", "62", "80", ""]
    assert _text(rows[-1][0]) == "Ensemble de la région"
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', block.html)
    assert links == [("departements/59.html", "Nord"), ("departements/80.html", "Somme")]
    nord = rows[1]
    assert nord[2] == f"123{NNBSP}910{NBSP}(p)"  # INSEE 2019T4, provisional
    assert "4<sup>e</sup> trimestre 2019" in block.html
    assert nord[5] == "1<sup>er</sup> sur 5"
    assert nord[6].startswith("≥")  # BMO: secret cells left out, a minimum
    assert "Contrats d&#x27;apprentissage" not in block.html  # no DITP column in 2019
    assert "tous ses départements sont connus" in block.html
    assert "qu&#x27;à partir de 2022" in block.html  # DITP starts in 2022


def test_departements_add_up_to_the_region_row(ds):
    rows = _rows(_tables(section.departements_table(_report(ds, "32", 2019)).html)[0])
    levels = employment_levels(ds, 2019)
    assert rows[-1][2] == french.flagged(
        french.number(levels.loc[("region", "32"), "industry"]), provisional=True
    )


def test_2024_has_no_insee_column_and_says_why(ds):
    block = section.departements_table(_report(ds, "32", 2024))
    rows = _rows(_tables(block.html)[0])
    assert "Emploi salarié industriel" not in _tables(block.html)[0]  # the column is left out
    assert all(len(row) == 4 for row in rows)  # name, code, contracts, projects
    assert "s&#x27;arrêtent au 1<sup>er</sup> trimestre 2020" in block.html
    assert "janvier-avril 2024" in block.html  # DITP's incomplete year
    assert all(row[2] != french.NOT_AVAILABLE for row in rows)


def test_shared_zones_are_marked_with_their_share(ds):
    block = section.zones_table(_report(ds, "32", 2019))
    rows = {row[1]: row for row in _rows(_tables(block.html)[0])}
    zones = zone_table(ds, "32", 2019)
    beauvais = rows["0054"]
    assert beauvais[0] == f"Beauvais {section.SHARED}"
    assert beauvais[4] == french.percent(100 * zones.loc["0054", "region_share"])
    assert beauvais[5] == french.number(zones.loc["0054", "in_region"])
    assert rows["3216"][0] == "Lille" and rows["3216"][4] == ""
    assert "partagée avec une région voisine" in block.html
    assert len(rows) == len(zones) <= section.MAX_ZONES


def test_zone_year_before_the_report_year_is_named(ds):
    html = section.zones_table(_report(ds, "11", 2021)).html
    assert "2019, dernière année disponible avant 2021" in html


def test_no_zone_year_gives_a_note(ds):
    html = section.zones_table(_report(ds, "32", 2017)).html
    assert "<table" not in html and "commencent en 2019" in html


def test_large_regions_show_at_most_max_zones(ds):
    rows = _rows(_tables(section.zones_table(_report(ds, "84", 2024)).html)[0])
    assert len(rows) == section.MAX_ZONES
    assert f"Les {section.MAX_ZONES} zones" in section.zones_table(_report(ds, "84", 2024)).html


@pytest.mark.parametrize("year", [2019, 2024])
def test_mayotte_says_what_is_missing(ds, year):
    html = section.territories(_report(ds, "06", year)).html
    assert "ne compte qu&#x27;un département" in html
    assert "Mayotte" in html
    if year == 2019:
        assert "ne couvrent pas l&#x27;emploi à Mayotte" in html
    assert "pas de zone d&#x27;emploi à Mayotte" in html
    assert "<img" not in html  # no map of a single département


def test_whole_section_renders(ds):
    html = section.territories(_report(ds, "32", 2019, links={"59"})).html
    assert html.startswith("<p>La région Hauts-de-France compte 5 départements.")
    assert html.count("<table") == 2 and html.count("<figure") == 1


# --------------------------------------------------------------------------- map


def test_map_alt_names_every_departement_with_its_value(ds):
    chart = section.departements_map(_report(ds, "32", 2019))
    shares = employment_levels(ds, 2019).loc["departement", "share_pct"]
    for code in departement_codes(ds, "32"):
        name = ds.departements.set_index("departement").loc[code, "name"]
        assert f"{name} {french.number(shares[code], 1)}" in chart.alt
    assert "4e trimestre 2019" in chart.alt
    texts = [t.get_text() for t in chart.figure.findobj(Text)]
    assert any("IGN, Admin Express COG" in t for t in texts)  # the outlines' source
    chart.figure.clear()


def test_map_falls_back_to_recruitment_without_insee(ds):
    chart = section.departements_map(_report(ds, "32", 2024))
    assert chart.alt.startswith("Part des ouvriers de l'industrie dans les projets")
    assert "pas disponible pour 2024" in chart.caption
    assert "Hachures" not in chart.caption  # no département without a value
    chart.figure.clear()


def _label_boxes(chart: plots.Chart) -> list[tuple[str, object]]:
    """Boxes of the département labels and of the legend, on the saved PNG's layout."""
    seen = []

    def collect(event):
        ax = chart.figure.axes[0]
        boxes = [(t.get_text(), t.get_bbox_patch().get_window_extent()) for t in ax.texts]
        boxes.append(("legend", ax.get_legend().get_window_extent(event.renderer)))
        seen.append(boxes)

    cid = chart.figure.canvas.mpl_connect("draw_event", collect)
    try:
        chart.png()
    finally:
        chart.figure.canvas.mpl_disconnect(cid)
    return seen[-1]


@pytest.mark.parametrize("region", ["11", "27", "75", "84", "93", "04"])
def test_map_labels_do_not_overlap(ds, region):
    codes = departement_codes(ds, region)
    shapes = ds.departement_shapes[ds.departement_shapes["departement"].isin(codes)]
    chart = plots.departement_map(
        shapes,
        employment_levels(ds, 2019).loc["departement", "share_pct"],
        highlight=codes[0],
        title="Part de l'industrie dans l'emploi salarié, 4e trimestre 2019",
        legend="% de l'emploi salarié",
        source="Insee ; IGN, Admin Express COG",
    )
    boxes = _label_boxes(chart)
    assert len(boxes) == len(codes) + 1
    overlapping = [
        (a, b)
        for (a, box_a), (b, box_b) in combinations(boxes, 2)
        if min(box_a.x1, box_b.x1) - max(box_a.x0, box_b.x0) > 0.5
        and min(box_a.y1, box_b.y1) - max(box_a.y0, box_b.y0) > 0.5
    ]
    assert overlapping == []
    # The highlighted département is outlined in red.
    red = [
        c
        for c in chart.figure.axes[0].collections
        if len(c.get_edgecolor())
        and tuple(c.get_edgecolor()[0][:3]) == (214 / 255, 39 / 255, 40 / 255)
    ]
    assert red
    chart.figure.clear()


def test_map_missing_value_is_hatched_and_named(ds):
    shapes = ds.departement_shapes[ds.departement_shapes["departement"] == "976"]
    chart = plots.departement_map(
        shapes,
        employment_levels(ds, 2019).loc["departement", "share_pct"],
        highlight=None,
        title="Part de l'industrie",
        legend="% de l'emploi salarié",
        source="Insee",
    )
    assert chart.alt.endswith("Valeurs : Mayotte n.d.")
    legend = chart.figure.axes[0].get_legend()
    assert [t.get_text() for t in legend.get_texts()] == [
        f"{french.NOT_AVAILABLE} : non disponible"
    ]
    chart.figure.clear()
