"""Tests of the charts of :mod:`analysis.plots`, read from their matplotlib artists.

Notes
-----
As in seaborn's own tests, each chart is checked through what it drew: texts, tick labels,
patches, lines, collections and legend entries, never through its pixels. Overlaps are
measured on the layout of the saved PNG: :meth:`Chart.png` crops the figure
(``bbox_inches="tight"``), which moves whatever is placed in figure coordinates, so the
extents are read inside the ``draw_event`` of that very save.

Most inputs are built by hand (the numbers of the 2024 and 2019 editions for
Provence-Alpes-Côte d'Azur and Île-de-France, squares for the regions of a map); the tests
marked ``realdata`` draw the apprenticeship chart from the real series, the branches of
Île-de-France in 2019 and a map on the real outlines of the regions.

Colours are compared as readers see them: in CIELAB, with normal vision and as simulated
for protanopia, deuteranopia and tritanopia (Machado et al., 2009), computed here apart
from the module's own check.

Every test draws under the reports' theme (:func:`analysis.plots.theme`), whose bold
left-aligned titles are what made the apprenticeship panels' titles collide.
"""

from __future__ import annotations

import re
import warnings
from itertools import combinations, pairwise

import matplotlib as mpl
import matplotlib.dates as mdates
import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PatchCollection
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.text import Text

from analysis import plots
from analysis.geo import METROPOLITAN_REGIONS, OVERSEAS_REGIONS

NBSP = "\u00a0"


@pytest.fixture(autouse=True)
def _theme():
    """Draw with the reports' theme (as the sections do), then restore the rcParams.

    Every figure is closed after each test (the charts' own are not registered with
    pyplot: each test also clears its chart's figure).
    """
    import matplotlib.pyplot as plt

    with plots.theme():
        yield
    plt.close("all")


def _done(chart: plots.Chart) -> None:
    chart.figure.clear()


# --------------------------------------------------------------------------- helpers


def _saved_extents(chart: plots.Chart, collect):
    """Render ``chart`` as :meth:`Chart.png` does and return ``collect(renderer)`` at that draw.

    ``collect`` runs inside the last ``draw_event`` of the save, when the artists sit where
    the cropped PNG shows them.
    """
    seen = []
    figure = chart.figure
    cid = figure.canvas.mpl_connect("draw_event", lambda event: seen.append(collect(event)))
    try:
        chart.png()
    finally:
        figure.canvas.mpl_disconnect(cid)
    assert seen, "the figure was never drawn"
    return seen[-1]


def _drawn_texts(figure) -> list[Text]:
    """Every non-empty, visible text of the figure, tick labels only where a tick is drawn."""
    ticklabels = set()
    shown = []
    for ax in figure.axes:
        for axis in (ax.xaxis, ax.yaxis):
            low, high = sorted(axis.get_view_interval())
            for tick in axis.get_major_ticks():
                ticklabels.update({tick.label1, tick.label2})
                drawn = ax.axison and tick.label1.get_visible()
                if drawn and low - 1e-9 <= tick.get_loc() <= high + 1e-9:
                    shown.append(tick.label1)
    hidden = {t for ax in figure.axes if not ax.axison for t in ax.xaxis.findobj(Text)}
    hidden |= {t for ax in figure.axes if not ax.axison for t in ax.yaxis.findobj(Text)}
    for text in figure.findobj(Text):
        if (
            text in ticklabels
            or text in hidden
            or not text.get_visible()
            or not text.get_text().strip()
        ):
            continue
        shown.append(text)
    return shown


def _overlaps(chart: plots.Chart, *, patches_of=()) -> list[tuple[str, str]]:
    """Pairs of drawn texts or legends whose boxes intersect, and legends over bars.

    Texts that belong to one legend are that legend's business: only the legend's box is
    compared with the other texts.
    """

    def collect(event):
        renderer = event.renderer
        figure = chart.figure
        legends = [a for a in figure.findobj(Legend) if a.get_visible()]
        in_legend = {t for legend in legends for t in legend.findobj(Text)}
        keys = [
            (f"legend {legend.get_texts()[0].get_text()!r}", legend.get_window_extent(renderer))
            for legend in legends
        ]
        boxes = [
            (repr(t.get_text()), t.get_window_extent(renderer))
            for t in _drawn_texts(figure)
            if t not in in_legend
        ] + keys
        found = [
            (a, b)
            for (a, box_a), (b, box_b) in combinations(boxes, 2)
            if box_a.width and box_b.width and _intersect(box_a, box_b)
        ]
        bars = [p for ax in patches_of for p in ax.patches if isinstance(p, Rectangle)]
        found += [
            (name, f"bar at {bar.get_x():.2f}")
            for name, box in keys
            for bar in bars
            if _drawn(bar) and _intersect(box, bar.get_window_extent(renderer))
        ]
        return found

    return _saved_extents(chart, collect)


def _drawn(bar: Rectangle) -> bool:
    return bool(np.isfinite(bar.get_height()) and bar.get_height() != 0)


def _intersect(a, b, tolerance: float = 0.5) -> bool:
    return (
        min(a.x1, b.x1) - max(a.x0, b.x0) > tolerance
        and min(a.y1, b.y1) - max(a.y0, b.y0) > tolerance
    )


def _legend_texts(figure) -> list[str]:
    return [t.get_text() for legend in figure.findobj(Legend) for t in legend.get_texts()]


# --------------------------------------------------------------------------- FrenchTicks


def test_french_ticks_decimals_follow_the_step_without_deprecated_locs():
    formatter = plots.FrenchTicks()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert formatter.format_ticks([92.5, 95.0, 97.5]) == ["92,5", "95,0", "97,5"]
        assert formatter.format_ticks([0, 20000, 40000]) == ["0", "20\u202f000", "40\u202f000"]


# --------------------------------------------------------------------------- apprenticeship


def _history(contracts, region_change, france_change, *, partial=True, significant=None):
    years = list(range(2017, 2017 + len(contracts)))
    complete = [True] * len(years)
    period = [f"année {y}" for y in years]
    if partial:
        complete[-1] = False
        period[-1] = f"janvier-avril {years[-1]}"
    frame = pd.DataFrame(
        {
            "year": years,
            "period": period,
            "source": ["etalab" if y < 2022 else "ditp" for y in years],
            "complete": complete,
            "region_contracts": contracts,
            "region_change": region_change,
            "france_change": france_change,
        }
    )
    if significant is not None:
        frame["significant"] = significant
    return frame


FRANCE_CHANGE = [np.nan, 5.16, 14.93, 42.67, 39.01, 13.89, 2.26, 14.41]
#: The 2024 editions (2024 is January-April) of Provence-Alpes-Côte d'Azur and Île-de-France.
EDITIONS_2024 = {
    "Provence-Alpes-Côte d'Azur": _history(
        [20635, 21443, 25622, 38685, 53694, 62005, 63192, 6298],
        [np.nan, 3.92, 19.49, 50.98, 38.80, 15.48, 1.91, 19.28],
        FRANCE_CHANGE,
    ),
    "Île-de-France": _history(
        [64155, 66971, 79070, 116526, 167623, 195055, 207041, 22019],
        [np.nan, 4.39, 18.07, 47.37, 43.85, 16.37, 6.14, 17.31],
        FRANCE_CHANGE,
    ),
}
EDITIONS_2019 = {
    name: frame[frame["year"] <= 2019].assign(complete=True)
    for name, frame in EDITIONS_2024.items()
}


def _apprenticeship(name: str, history: pd.DataFrame) -> plots.Chart:
    where = "en Provence-Alpes-Côte d'Azur" if name.startswith("Provence") else "en " + name
    return plots.apprenticeship_chart(
        history,
        region_name=name,
        title=f"Nouveaux contrats d'apprentissage {where}, 2017–{history['year'].max()}",
        source="Etalab-DITP, Baromètre des résultats ; DITP, indicateur IND-313 (cumul "
        "mensuel) ; calculs de l'auteur du rapport",
    )


@pytest.mark.parametrize("edition", ["2024", "2019"])
@pytest.mark.parametrize("name", sorted(EDITIONS_2024))
def test_apprenticeship_titles_legends_and_labels_do_not_overlap(name, edition):
    history = (EDITIONS_2024 if edition == "2024" else EDITIONS_2019)[name]
    chart = _apprenticeship(name, history)
    left, right = chart.figure.axes[:2]
    assert _overlaps(chart, patches_of=(left, right)) == []
    _done(chart)


def test_apprenticeship_france_alone_does_not_overlap():
    france = EDITIONS_2024["Île-de-France"].assign(
        region_contracts=[305271, 321038, 368968, 526418, 731785, 833406, 852235, 71605],
        region_change=FRANCE_CHANGE,
    )
    chart = _apprenticeship("France", france)
    assert _overlaps(chart, patches_of=chart.figure.axes[:2]) == []
    _done(chart)


def _bars(ax) -> list[Rectangle]:
    return sorted(
        (p for p in ax.patches if isinstance(p, Rectangle) and np.isfinite(p.get_height())),
        key=lambda p: p.get_x(),
    )


def _centre(bar: Rectangle) -> float:
    return bar.get_x() + bar.get_width() / 2


def test_apprenticeship_partial_year_stands_apart_in_both_panels():
    chart = _apprenticeship(
        "Provence-Alpes-Côte d'Azur", EDITIONS_2024["Provence-Alpes-Côte d'Azur"]
    )
    left, right = chart.figure.axes[:2]
    for ax in (left, right):
        ticks = dict(
            zip(ax.get_xticks(), (t.get_text() for t in ax.get_xticklabels()), strict=True)
        )
        # Its tick names the months, after a gap wider than a year's step.
        (partial_tick,) = [x for x, label in ticks.items() if "janv.\u2013avr." in label]
        assert ticks[partial_tick] == "janv.\u2013avr.\n2024"  # a range: en dash
        last_full = max(x for x in ticks if x < partial_tick)
        assert ticks[last_full] == "2023"
        assert partial_tick - last_full >= 1.5
        # A separator in the gap.
        seams = [
            float(np.atleast_1d(line.get_xdata())[0])
            for line in ax.get_lines()
            if len(set(np.atleast_1d(line.get_xdata()))) == 1
            and last_full + 0.5 < float(np.atleast_1d(line.get_xdata())[0]) < partial_tick - 0.5
        ]
        assert len(seams) == 1
        # Hollow and hatched after it, filled and plain before it: never alike.
        bars = [b for b in _bars(ax) if _drawn(b)]
        after = [b for b in bars if _centre(b) > seams[0]]
        before = [b for b in bars if _centre(b) < seams[0]]
        assert after and before
        assert all(b.get_hatch() for b in after)
        assert all(mpl.colors.to_hex(b.get_facecolor()) == "#ffffff" for b in after)
        assert not any(b.get_hatch() for b in before)
        assert all(mpl.colors.to_hex(b.get_facecolor()) != "#ffffff" for b in before)
        assert not any("(partiel)" in t.get_text() for t in ax.texts)
    assert any("année incomplète" in text for text in _legend_texts(chart.figure))
    assert "2024 : 6\u202f298 (année incomplète)" in chart.alt
    _done(chart)


def test_apprenticeship_without_partial_year_has_no_gap_or_hatch():
    chart = _apprenticeship("Île-de-France", EDITIONS_2019["Île-de-France"])
    left, right = chart.figure.axes[:2]
    assert list(left.get_xticks()) == [2017.0, 2018.0, 2019.0]
    assert [t.get_text() for t in left.get_xticklabels()] == ["2017", "2018", "2019"]
    assert not any(b.get_hatch() for ax in (left, right) for b in _bars(ax))
    assert not any("incomplète" in text for text in _legend_texts(chart.figure))
    _done(chart)


def test_apprenticeship_legend_names_series_and_source_change():
    chart = _apprenticeship("Île-de-France", EDITIONS_2024["Île-de-France"])
    texts = _legend_texts(chart.figure)
    assert texts[:2] == ["Île-de-France", "France"]
    assert "changement de source" in texts
    # The change of source is a dashed line between 2021 and 2022 in both panels.
    for ax in chart.figure.axes[:2]:
        dashed = [
            line
            for line in ax.get_lines()
            if line.get_linestyle() == "--" and set(np.atleast_1d(line.get_xdata())) == {2021.5}
        ]
        assert dashed
    _done(chart)


def test_apprenticeship_marks_not_significant_change():
    history = EDITIONS_2019["Île-de-France"].assign(
        region_change=[np.nan, np.nan, 18.07], significant=[True, False, True]
    )
    chart = _apprenticeship("Île-de-France", history)
    right = chart.figure.axes[1]
    marks = [t for t in right.texts if t.get_text() == "n.s."]
    assert len(marks) == 1
    assert abs(marks[0].xy[0] - 2018) < 0.5
    _done(chart)


@pytest.mark.realdata
@pytest.mark.parametrize("year", [2024, 2019])
@pytest.mark.parametrize(
    ("code", "name"), [("93", "Provence-Alpes-Côte d'Azur"), ("11", "Île-de-France")]
)
def test_apprenticeship_real_series_do_not_overlap(raw_dir, code, name, year):
    from analysis import indicators as ind
    from analysis.datasets import Datasets

    rows = ind.apprenticeship_by_year(Datasets(raw_dir), code)
    rows = rows[rows["year"] <= year]
    shown = rows.assign(  # as the section passes them
        region_change=rows["change_pct"].where(rows["significant"]),
        france_change=rows["france_change_pct"],
        region_contracts=rows["contracts"],
    )
    chart = _apprenticeship(name, shown)
    assert _overlaps(chart, patches_of=chart.figure.axes[:2]) == []
    hatched = [b for ax in chart.figure.axes[:2] for b in _bars(ax) if b.get_hatch()]
    assert bool(hatched) == (not rows["complete"].all())
    _done(chart)


# --------------------------------------------------------------------------- index chart


def _quarterly(start="2010Q4", end="2020Q1", columns=("Provence-Alpes-Côte d'Azur", "France")):
    periods = pd.period_range(start, end, freq="Q")
    rng = np.random.default_rng(0)
    return pd.DataFrame(
        {c: 100 + np.cumsum(rng.normal(0, 0.3, len(periods))) for c in columns},
        index=periods,
    ).assign(**{c: lambda f, c=c: f[c] - f[c].iloc[0] + 100 for c in columns})


def _index(frame, **kwargs) -> plots.Chart:
    return plots.index_chart(
        frame,
        title="Emploi salarié industriel en Provence-Alpes-Côte d'Azur et en France, "
        "4e trimestre 2010 – 1er trimestre 2020",
        base_label="4e trimestre 2010",
        source="Insee, estimations d'emploi salarié (ETE)",
        **kwargs,
    )


def _position(period: pd.Period) -> float:
    return mdates.date2num(period.to_timestamp(how="end"))


def _xs(line: Line2D) -> np.ndarray:
    return mdates.date2num(np.atleast_1d(line.get_xdata()))


def test_index_chart_provisional_quarters_dashed_over_a_labelled_band():
    frame = _quarterly()
    chart = _index(frame)
    ax = chart.figure.axes[0]
    last_final, first_provisional = pd.Period("2018Q4", "Q"), pd.Period("2019Q1", "Q")
    for column in frame.columns:
        values = frame[column].to_numpy()
        drawn = [line for line in ax.get_lines() if np.isin(line.get_ydata(), values).all()]
        solid = [line for line in drawn if line.get_linestyle() == "-"]
        dashed = [line for line in drawn if line.get_linestyle() == "--"]
        assert len(solid) == 1 and len(dashed) == 1
        # Solid up to the last final quarter, dashed from it to the end.
        assert _xs(solid[0])[-1] == pytest.approx(_position(last_final))
        assert _xs(dashed[0])[0] == pytest.approx(_position(last_final))
        assert _xs(dashed[0])[-1] == pytest.approx(_position(frame.index[-1]))
        assert solid[0].get_label() == column
    spans = [p for p in ax.patches if p.get_label().startswith("provisoire")]
    assert len(spans) == 1
    x0 = spans[0].get_x()
    assert _position(last_final) < x0 < _position(first_provisional)
    assert spans[0].get_x() + spans[0].get_width() >= _position(frame.index[-1])
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == [*frame.columns, "provisoire (depuis le 1er trimestre 2019)"]
    assert "Trimestres provisoires à partir du 1er trimestre 2019" in chart.alt
    _done(chart)


def test_index_chart_without_provisional_quarters():
    chart = _index(_quarterly(end="2018Q4"))
    ax = chart.figure.axes[0]
    assert not any("provisoire" in t for t in _legend_texts(chart.figure))
    assert {line.get_linestyle() for line in ax.get_lines()} <= {"-", ":"}
    _done(chart)
    chart = _index(_quarterly(), provisional_from=None)
    assert not any("provisoire" in t for t in _legend_texts(chart.figure))
    _done(chart)


def test_index_chart_annual_has_no_provisional_band():
    frame = pd.DataFrame(
        {
            "Provence-Alpes-Côte d'Azur": [100, 104.6, 106.7, 108.2],
            "France": [100, 101.5, 102.6, 102.9],
        },
        index=[2019, 2022, 2023, 2024],
    )
    chart = plots.index_chart(
        frame, title="Emploi", base_label="2019", source="Urssaf", annotate_gap="2020 et 2021"
    )
    ax = chart.figure.axes[0]
    assert not any("provisoire" in t for t in _legend_texts(chart.figure))
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2019", "2022", "2023", "2024"]
    _done(chart)


@pytest.mark.parametrize(
    "columns",
    [
        ("Provence-Alpes-Côte d'Azur", "France"),
        ("Industrie", "Construction", "Tertiaire marchand", "Tertiaire non marchand"),
    ],
)
def test_index_chart_base_quarter_has_its_own_french_tick(columns):
    frame = _quarterly(columns=columns)
    chart = _index(frame, colours=dict(zip(columns, plots.PALETTE, strict=False)))
    ax = chart.figure.axes[0]
    ticks = list(ax.get_xticks())
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert ticks[0] == pytest.approx(_position(frame.index[0]))
    assert labels[0] == "T4 2010"
    assert all(re.fullmatch(r"T[1-4] \d{4}", label) for label in labels)
    assert labels == [f"T4 {year}" for year in range(2010, 2020)]
    assert _overlaps(chart) == []
    _done(chart)


def test_index_chart_long_series_thins_its_ticks():
    frame = _quarterly(end="2024Q4")
    chart = _index(frame)
    labels = [t.get_text() for t in chart.figure.axes[0].get_xticklabels()]
    assert labels[0] == "T4 2010"
    assert len(labels) <= 10
    assert _overlaps(chart) == []
    _done(chart)


# --------------------------------------------------------------------------- maps


def _shapes():
    import geopandas as gpd
    from shapely.geometry import box

    rows = []
    for i, code in enumerate(METROPOLITAN_REGIONS):
        x, y = -4 + 2.2 * (i % 5), 43 + 2.2 * (i // 5)
        rows.append((code, f"Région {code}", box(x, y, x + 2, y + 2)))
    for i, code in enumerate(OVERSEAS_REGIONS):
        rows.append((code, f"Outre-mer {code}", box(50 + i, -20, 50.5 + i, -19.5)))
    return gpd.GeoDataFrame(rows, columns=["region", "name", "geometry"], crs="EPSG:4326")


def _values(seed: int = 1, centre: float = 15.0) -> pd.Series:
    codes = [*OVERSEAS_REGIONS, *METROPOLITAN_REGIONS]
    rng = np.random.default_rng(seed)
    return pd.Series(np.round(rng.normal(centre, 4.0, len(codes)), 1), index=codes)


CLASS = re.compile(r"(-?\d+,\d) à (moins de )?(-?\d+,\d)(\u00a0%)?")


def _class_entries(figure) -> list[tuple[float, float]]:
    found = []
    for text in _legend_texts(figure):
        match = CLASS.fullmatch(text)
        if match:
            found.append(tuple(float(match.group(i).replace(",", ".")) for i in (1, 3)))
    return found


def _collections(ax) -> list[PatchCollection]:
    return [c for c in ax.collections if isinstance(c, PatchCollection)]


def _map(values, **kwargs) -> plots.Chart:
    options = {
        "highlight": "93",
        "title": "Part de l'industrie dans l'emploi salarié privé, 2024",
        "legend": "% de l'emploi salarié (salariés du privé)",
        "source": "Urssaf",
    }
    return plots.region_map(_shapes(), values, **(options | kwargs))


def test_region_map_draws_classes_not_a_colour_bar():
    values = _values()
    values.loc["27"] = 60.0  # one extreme region: it must not wash out the others
    chart = _map(values)
    main = chart.figure.axes[0]
    # No colour bar: the map's axes and the five insets only.
    assert len(chart.figure.axes) == 1 + len(OVERSEAS_REGIONS)
    classes = _class_entries(chart.figure)
    assert 4 <= len(classes) <= 6
    assert all(
        text.endswith(f"{NBSP}%") for text in _legend_texts(chart.figure) if CLASS.fullmatch(text)
    )
    assert classes[0][0] <= values.min() and classes[-1][1] >= values.max()
    assert all(low < high for low, high in classes)
    assert all(a[1] == b[0] for a, b in pairwise(classes))
    # Every region coloured with one of the classes' colours, and at most as many colours.
    legend = main.get_legend()
    class_colours = {
        mpl.colors.to_hex(h.get_facecolor())
        for h, t in zip(legend.legend_handles, legend.get_texts(), strict=True)
        if CLASS.fullmatch(t.get_text())
    }
    filled = {
        mpl.colors.to_hex(c)
        for coll in _collections(main)
        if not coll.get_hatch()
        for c in coll.get_facecolor()
    }
    assert filled <= class_colours
    # Quantile classes: the extreme region shares its class with others' colours spread out.
    assert len(filled) >= 4
    _done(chart)


def test_region_map_missing_and_not_significant_are_hatched_apart():
    values = _values()
    values.loc["06"] = np.nan  # Mayotte: not available
    values.loc["24"] = np.nan
    values.loc["94"] = 500.0  # Corse: a small base, flagged not significant
    values.loc["02"] = -300.0  # Martinique too
    small = pd.Series(False, index=values.index)
    small.loc[["94", "02"]] = True
    chart = _map(values, not_significant=small)
    main = chart.figure.axes[0]
    texts = _legend_texts(chart.figure)
    assert any(t.startswith("n.d.") for t in texts)
    assert any(t.startswith("n.s.") for t in texts)
    # The flagged values drive no class.
    classes = _class_entries(chart.figure)
    assert classes[-1][1] < 100 and classes[0][0] > -100
    # Hatched collections: one for n.d. (24 on the main map), one for n.s. (94), apart.
    hatched = {c.get_hatch(): len(c.get_paths()) for c in _collections(main) if c.get_hatch()}
    assert len(hatched) == 2
    assert sorted(hatched.values()) == [1, 1]
    legend = main.get_legend()
    hatches = {
        t.get_text()[:4]: h.get_hatch()
        for h, t in zip(legend.legend_handles, legend.get_texts(), strict=True)
    }
    assert hatches["n.d."] and hatches["n.s."] and hatches["n.d."] != hatches["n.s."]
    assert set(hatched) == {hatches["n.d."], hatches["n.s."]}
    # Labels on the map and in the insets' titles.
    labels = [t.get_text() for t in main.texts]
    assert "n.s." in labels and "n.d." in labels and "500,0" not in labels
    inset_titles = {ax.get_title() for ax in chart.figure.axes[1:]}
    assert "Outre-mer 02\nn.s." in inset_titles
    assert "Outre-mer 06\nn.d." in inset_titles
    assert "Région 94 n.s." in chart.alt
    assert _overlaps(chart) == []
    _done(chart)


def test_region_map_without_missing_values_has_no_hatched_entry():
    chart = _map(_values())
    assert not any(t.startswith(("n.d.", "n.s.")) for t in _legend_texts(chart.figure))
    _done(chart)


def test_region_map_diverging_classes_are_symmetric_around_zero():
    values = _values(seed=3, centre=2.0) * 3
    chart = _map(
        values,
        diverging=True,
        title="Évolution des nouveaux contrats d'apprentissage sur un an",
        legend="évolution sur un an (mêmes mois), en %",
    )
    classes = _class_entries(chart.figure)
    bounds = [classes[0][0], *(high for _, high in classes)]
    assert 4 <= len(classes) <= 6
    assert 0.0 in bounds
    assert bounds == [-b for b in bounds[::-1]]
    # Falls and rises in opposite hues of the diverging map: two hues, light near 0.
    legend = chart.figure.axes[0].get_legend()
    colours = [
        h.get_facecolor()
        for h, t in zip(legend.legend_handles, legend.get_texts(), strict=True)
        if CLASS.fullmatch(t.get_text())
    ]
    cmap = mpl.colormaps[plots.DIVERGING_CMAP]
    half = len(colours) // 2
    assert all(c[0] > c[2] for c in colours[:half])  # orange side: red above blue
    assert all(c[2] > c[1] for c in colours[half:])  # purple side: blue above green
    assert cmap(0.5) not in colours
    _done(chart)


def test_class_breaks_quantiles_rounded_and_filled():
    values = np.array(
        [
            8.4,
            8.5,
            10.7,
            11.1,
            11.5,
            11.6,
            12.5,
            15.2,
            17.0,
            18.5,
            18.8,
            20.2,
            20.7,
            22.0,
            22.1,
            22.4,
            24.2,
        ]
    )
    bounds = plots.class_breaks(values, classes=5, decimals=1)
    assert len(bounds) == 6
    assert bounds[0] <= values.min() and bounds[-1] >= values.max()
    assert np.all(np.diff(bounds) > 0)
    assert np.all(bounds == np.round(bounds))  # whole numbers are enough here
    assert np.bincount(plots.classify(values, bounds), minlength=5).all()
    labels = plots.class_labels(bounds, decimals=1, unit="%", printed=values)
    assert len(labels) == 5
    assert all(CLASS.fullmatch(label) for label in labels)
    assert labels[0].startswith(plots.french.number(bounds[0], 1) + " à ")


def test_class_breaks_edge_cases():
    assert plots.class_breaks([np.nan, np.nan]).size == 0
    single = plots.class_breaks([3.0, 3.0, 3.0])
    assert list(single) == [3.0, 3.0]
    assert plots.class_labels(single, decimals=1, unit="%") == [f"3,0{NBSP}%"]
    few = plots.class_breaks([1.0, 2.0, 3.0], classes=5, decimals=0)
    assert len(few) - 1 <= 3
    symmetric = plots.class_breaks([-5.0, 1.0, 2.0, 12.0], diverging=True, decimals=1)
    assert list(symmetric) == [-b for b in symmetric[::-1]]


def test_class_labels_say_which_class_holds_a_value_on_a_bound():
    bounds = [9.0, 12.0, 15.0]
    assert plots.class_labels(bounds, decimals=1, unit="%", printed=[10.0, 13.0]) == [
        f"9,0 à 12,0{NBSP}%",
        f"12,0 à 15,0{NBSP}%",
    ]
    assert plots.class_labels(bounds, decimals=1, printed=[12.0, 13.0]) == [
        "9,0 à moins de 12,0",
        "12,0 à 15,0",
    ]


@pytest.mark.realdata
@pytest.mark.parametrize("diverging", [False, True])
def test_region_map_on_real_outlines_has_no_overlap(raw_dir, diverging):
    from analysis.datasets import Datasets

    shapes = Datasets(raw_dir).shapes
    values = _values(seed=5, centre=1.0 if diverging else 40.0)
    values.loc["06"] = np.nan
    small = pd.Series(False, index=values.index)
    small.loc["94"] = True
    chart = plots.region_map(
        shapes,
        values,
        highlight="93",
        title="Nouveaux contrats d'apprentissage pour 1 000 salariés du privé, année 2023",
        legend="contrats pour 1 000 salariés du privé",
        source="DITP, indicateur IND-313 (cumul mensuel) ; IGN, Admin Express COG",
        diverging=diverging,
        not_significant=small,
    )
    assert _overlaps(chart) == []
    assert 4 <= len(_class_entries(chart.figure)) <= 6
    _done(chart)


# --------------------------------------------------------------------------- colours


_SIMULATIONS = {"vision normale": np.eye(3), **plots._DICHROMACIES}


def _seen_lab(colour, simulation) -> np.ndarray:
    rgb = np.asarray(mpl.colors.to_rgb(colour))
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    linear = np.clip(_SIMULATIONS[simulation] @ linear, 0, 1)
    xyz = (
        np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
        @ linear
        / np.array([0.95047, 1.0, 1.08883])
    )
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def _confusable(colours, threshold: float = 30.0) -> list[tuple[str, str, str, float]]:
    """Pairs of colours closer than ``threshold`` (ΔE*ab) for some reader."""
    return [
        (a, b, simulation, round(distance, 1))
        for a, b in combinations(colours, 2)
        for simulation in _SIMULATIONS
        if (distance := float(np.linalg.norm(_seen_lab(a, simulation) - _seen_lab(b, simulation))))
        < threshold
    ]


SECTORS = ("Industrie", "Construction", "Tertiaire marchand", "Tertiaire non marchand")


def _line_colours(ax, columns) -> dict[str, str]:
    found = {}
    for line in ax.get_lines():
        if line.get_label() in columns:
            found[line.get_label()] = mpl.colors.to_hex(line.get_color())
    return found


@pytest.mark.parametrize(
    "colours",
    [
        # As the France overview passes them: the first four colours of the palette.
        pytest.param(dict(zip(SECTORS, plots.PALETTE, strict=False)), id="palette-mapping"),
        pytest.param(None, id="no-mapping"),
    ],
)
def test_index_chart_four_sectors_get_four_clearly_distinct_colours(colours):
    frame = _quarterly(columns=SECTORS)
    chart = plots.index_chart(
        frame,
        title="Emploi salarié en France par grand secteur, 4e trimestre 2010 – 1er trimestre 2020",
        base_label="4e trimestre 2010",
        source="Insee, estimations d'emploi salarié (ETE)",
        colours=colours,
    )
    ax = chart.figure.axes[0]
    drawn = _line_colours(ax, SECTORS)
    assert set(drawn) == set(SECTORS)
    assert len(set(drawn.values())) == 4
    # Apart for every reader: Construction and Tertiaire non marchand were two oranges
    # that a deuteranope could not tell apart.
    assert _confusable(drawn.values()) == []
    # Every segment of a column (solid, then dashed) has that column's colour.
    values = {c: frame[c].to_numpy() for c in SECTORS}
    for line in ax.get_lines():
        for column, known in values.items():
            if len(set(line.get_ydata())) > 1 and np.isin(line.get_ydata(), known).all():
                assert mpl.colors.to_hex(line.get_color()) == drawn[column]
    legend = {
        t.get_text(): mpl.colors.to_hex(h.get_color())
        for h, t in zip(ax.get_legend().legend_handles, ax.get_legend().get_texts(), strict=True)
        if t.get_text() in SECTORS
    }
    assert legend == drawn
    _done(chart)


def test_index_chart_honours_a_mapping_of_distinct_colours():
    wanted = dict(zip(SECTORS, ("#0173b2", "#de8f05", "#66ccee", "#b2182b"), strict=True))
    chart = _index(_quarterly(columns=SECTORS), colours=wanted)
    assert _line_colours(chart.figure.axes[0], SECTORS) == wanted
    _done(chart)
    # Two lines: the region in the house blue, France in orange, as before.
    frame = _quarterly()
    chart = _index(frame)
    drawn = _line_colours(chart.figure.axes[0], frame.columns)
    assert drawn == {
        frame.columns[0]: mpl.colors.to_hex(plots.REGION_COLOUR),
        frame.columns[1]: mpl.colors.to_hex(plots.FRANCE_COLOUR),
    }
    _done(chart)


# --------------------------------------------------------------------------- typesetting


def test_chart_caption_is_typeset_and_alt_text_stays_plain():
    from matplotlib.figure import Figure

    from analysis.plots import Chart

    chart = Chart(
        Figure(figsize=(1, 1)),
        alt="Emploi, 1er trimestre 2020 <b>",
        caption="Lecture : au 1er trimestre 2020, 2019-2024 <b> & 4e trimestre 2001 - "
        "1er trimestre 2020.",
    )
    page = chart.to_html()
    caption = re.search(r"<figcaption>(.*)</figcaption>", page).group(1)
    # Whatever spaces typeset() keeps from breaking, the words and marks are these.
    caption = re.sub("[\u00a0\u202f]", " ", caption)
    assert caption == (
        "Lecture : au 1<sup>er</sup> trimestre 2020, 2019\u20132024 &lt;b&gt; &amp; "
        "4<sup>e</sup> trimestre 2001 \u2013 1<sup>er</sup> trimestre 2020."
    )
    assert 'alt="Emploi, 1er trimestre 2020 &lt;b&gt;"' in page
    assert "<sup>" not in re.search(r'alt="([^"]*)"', page).group(1)


def test_index_chart_base_is_said_en_for_a_year_au_for_a_quarter():
    annual = pd.DataFrame(
        {"Provence-Alpes-Côte d'Azur": [100, 104.6], "France": [100, 101.5]}, index=[2019, 2022]
    )
    chart = plots.index_chart(annual, title="Emploi", base_label="2019", source="Urssaf")
    assert "indice base 100 en 2019" in chart.alt
    assert "au 2019" not in chart.alt
    assert chart.figure.axes[0].get_ylabel() == "indice base 100 en 2019"
    _done(chart)
    chart = _index(_quarterly())
    assert "indice base 100 au 4e trimestre 2010" in chart.alt
    assert chart.figure.axes[0].get_ylabel() == "indice base 100 au 4e trimestre 2010"
    _done(chart)


def test_titles_write_every_range_with_an_en_dash():
    chart = plots.index_chart(
        _quarterly(start="2001Q4"),
        title="Emploi salarié en France, 4e trimestre 2001 - 1er trimestre 2020",
        base_label="4e trimestre 2001",
        source="Insee",
    )
    title = chart.figure.axes[0].get_title(loc="left")
    assert "4e trimestre 2001 \u2013 1er trimestre 2020" in title.replace("\n", " ")
    assert " - " not in title and " - " not in chart.alt
    assert "4e trimestre 2001 \u2013 1er trimestre 2020" in chart.alt
    _done(chart)
    chart = plots.shift_share_chart(
        {"Effet national": 4391.0, "Évolution observée": 12784.0},
        title="Décomposition de l'évolution de l'emploi industriel, 2019-2024",
        source="Urssaf",
    )
    assert chart.figure.axes[0].get_title(loc="left").endswith("2019\u20132024")
    assert "2019\u20132024" in chart.alt and "2019-2024" not in chart.alt
    _done(chart)
    chart = _apprenticeship("Île-de-France", EDITIONS_2024["Île-de-France"])
    ticks = [t.get_text() for t in chart.figure.axes[0].get_xticklabels()]
    assert "janv.\u2013avr.\n2024" in ticks
    _done(chart)


# --------------------------------------------------------------------------- breaks


def _with_breaks(history: pd.DataFrame) -> pd.DataFrame:
    """Add ``source_break`` as the indicators give it: PoEm to DECA in 2020, Etalab to DITP
    in 2022."""
    codes = {2020: "poem_deca", 2022: "etalab_ditp"}
    return history.assign(source_break=[codes.get(int(y), "") for y in history["year"]])


def _separators(ax) -> list[float]:
    return sorted(
        float(np.atleast_1d(line.get_xdata())[0])
        for line in ax.get_lines()
        if line.get_linestyle() == "--" and len(set(np.atleast_1d(line.get_xdata()))) == 1
    )


def _named(chart, label: str) -> list[Text]:
    return [t for t in chart.figure.findobj(Text) if t.get_text() == label and t.get_visible()]


def test_apprenticeship_draws_and_names_every_break_of_the_series():
    history = _with_breaks(EDITIONS_2024["Provence-Alpes-Côte d'Azur"])
    chart = _apprenticeship("Provence-Alpes-Côte d'Azur", history)
    left, right = chart.figure.axes[:2]
    for ax in (left, right):
        assert _separators(ax) == [2019.5, 2021.5]
    # Each separator named, in each panel, over its own line.
    xs = {}
    for label, x in (("PoEm \u2192 DECA", 2019.5), ("Etalab \u2192 DITP", 2021.5)):
        names = _named(chart, label)
        assert len(names) == 2
        xs[label] = (names, x)

    def collect(event):
        found = []
        for names, x in xs.values():
            lines = [ax.transData.transform((x, 0))[0] for ax in (left, right)]
            for name in names:
                box = name.get_window_extent(event.renderer)
                found.append(min(abs((box.x0 + box.x1) / 2 - line) for line in lines))
        return found

    # One name centred over each separator of each panel.
    assert max(_saved_extents(chart, collect)) < 1.0
    assert _overlaps(chart, patches_of=(left, right)) == []
    assert right.get_ylabel() == "évolution sur un an, en %"
    assert "entre 2019 et 2020 (PoEm \u2192 DECA)" in chart.alt
    assert "entre 2021 et 2022 (Etalab \u2192 DITP)" in chart.alt
    _done(chart)


def test_apprenticeship_breaks_argument():
    history = EDITIONS_2024["Île-de-France"]  # no source_break column
    chart = plots.apprenticeship_chart(
        history,
        region_name="Île-de-France",
        title="Nouveaux contrats d'apprentissage en Île-de-France, 2017–2024",
        source="DITP",
        breaks=[(2019, 2020, "PoEm \u2192 DECA"), (2021, 2022, "Etalab \u2192 DITP")],
    )
    for ax in chart.figure.axes[:2]:
        assert _separators(ax) == [2019.5, 2021.5]
    assert len(_named(chart, "PoEm \u2192 DECA")) == 2
    _done(chart)
    # Without the argument, the change of source alone, named after the sources.
    chart = _apprenticeship("Île-de-France", history)
    for ax in chart.figure.axes[:2]:
        assert _separators(ax) == [2021.5]
    assert len(_named(chart, "Etalab \u2192 DITP")) == 2
    _done(chart)
    # An empty list: no separator at all; a break outside the years shown: none either.
    for breaks in ([], [(2025, 2026, "plus tard")]):
        chart = plots.apprenticeship_chart(
            history, region_name="Île-de-France", title="Contrats", source="DITP", breaks=breaks
        )
        assert all(_separators(ax) == [] for ax in chart.figure.axes[:2])
        assert "changement de source" not in _legend_texts(chart.figure)
        _done(chart)


# --------------------------------------------------------------------------- gap note


URSSAF_INDEXES = {
    "Provence-Alpes-Côte d'Azur": ([100, 104.6, 106.7, 107.9], [100, 101.5, 102.6, 102.9]),
    "Île-de-France": ([100, 99.98, 102.1, 102.6], [100, 101.5, 102.6, 102.9]),
    "Grand Est": ([100, 96.0, 96.5, 96.1], [100, 101.5, 102.6, 102.9]),
}


@pytest.mark.parametrize("name", sorted(URSSAF_INDEXES))
def test_index_chart_gap_note_sits_over_the_gap_clear_of_lines(name):
    region, france = URSSAF_INDEXES[name]
    frame = pd.DataFrame({name: region, "France": france}, index=[2019, 2022, 2023, 2024])
    chart = plots.index_chart(
        frame,
        title=f"Emploi salarié privé industriel en {name} et en France, 2019–2024",
        base_label="2019",
        source="Urssaf, emploi salarié privé par zone d'emploi et secteur A38",
        annotate_gap="2020 et 2021 : absents de la source",
    )
    ax = chart.figure.axes[0]
    (note,) = [t for t in ax.texts if "absents de la source" in t.get_text()]

    def collect(event):
        box = note.get_window_extent(event.renderer)
        before, after = (ax.transData.transform((year, 100))[0] for year in (2019, 2022))
        crossed = [
            line.get_label()
            for line in ax.get_lines()
            if line.get_transform()
            .transform_path(line.get_path())
            .intersects_bbox(box.padded(2), filled=False)
        ]
        return before < box.x0 and box.x1 < after, crossed

    over_the_gap, crossed = _saved_extents(chart, collect)
    assert over_the_gap
    assert crossed == []  # not the 100 line, nor either series
    assert _overlaps(chart) == []
    _done(chart)


# --------------------------------------------------------------------------- branches


@pytest.mark.realdata
def test_branches_chart_tick_labels_never_run_together(raw_dir):
    from analysis import indicators as ind
    from analysis.datasets import Datasets

    table = ind.branch_table(Datasets(raw_dir), "11", 2019)
    chart = plots.branches_chart(
        table,
        title="Branches industrielles en Île-de-France en 2019",
        source="Urssaf, emploi salarié privé par zone d'emploi et secteur A38",
    )

    def collect(event):
        found = []
        for ax in chart.figure.axes[:2]:
            low, high = sorted(ax.get_xlim())
            boxes = sorted(
                (
                    tick.label1.get_window_extent(event.renderer)
                    for tick in ax.xaxis.get_major_ticks()
                    if low <= tick.get_loc() <= high and tick.label1.get_text()
                ),
                key=lambda box: box.x0,
            )
            # At least half an em between two labels: "10 000 20 000" reads as one number.
            space = ax.xaxis.get_major_ticks()[0].label1.get_size() * plots.DPI / 72 / 2
            found.append([round(b.x0 - a.x1, 1) for a, b in pairwise(boxes) if b.x0 - a.x1 < space])
        return found

    assert _saved_extents(chart, collect) == [[], []]
    assert _overlaps(chart) == []
    _done(chart)


# --------------------------------------------------------------------------- ranking


#: Change of industrial employment from 2023 to 2024 by region (URSSAF), France 0,25 %.
CHANGES_2024 = pd.Series(
    {
        "Guadeloupe": -1.288,
        "Martinique": -0.388,
        "Guyane": 2.714,
        "La Réunion": -1.555,
        "Mayotte": np.nan,
        "Île-de-France": 0.475,
        "Centre-Val de Loire": 0.379,
        "Bourgogne-Franche-Comté": -0.358,
        "Normandie": -0.361,
        "Hauts-de-France": 0.223,
        "Grand Est": -1.12,
        "Pays de la Loire": 0.56,
        "Bretagne": 0.158,
        "Nouvelle-Aquitaine": 0.46,
        "Occitanie": 1.643,
        "Auvergne-Rhône-Alpes": 0.212,
        "Provence-Alpes-Côte d'Azur": 1.121,
        "Corse": 0.342,
    }
)


@pytest.mark.parametrize("france", [0.249, -0.37, 1.2])
def test_ranking_labels_outside_bar_ends_and_off_the_reference(france):
    chart = plots.ranking_chart(
        CHANGES_2024,
        highlight=None,
        title="Évolution de l'emploi industriel par région, de 2023 à 2024",
        unit="évolution en %",
        source="Urssaf",
        decimals=1,
        reference=("France", france),
    )
    ax = chart.figure.axes[0]
    bars = {
        round(p.get_y() + p.get_height() / 2): p for p in ax.patches if isinstance(p, Rectangle)
    }
    labels = [t for t in ax.texts if re.fullmatch(r"-?\d+,\d", t.get_text())]
    (note,) = [t for t in ax.texts if t.get_text().strip().startswith("France")]
    (line,) = [line for line in ax.get_lines() if line.get_linestyle() == "--"]
    assert len(labels) == CHANGES_2024.notna().sum()

    def collect(event):
        renderer = event.renderer
        wrong = []
        x = line.get_transform().transform_path(line.get_path()).vertices[0][0]
        reference = note.get_window_extent(renderer)
        for label in labels:
            box = label.get_window_extent(renderer)
            bar = bars[round(label.xy[1])]
            end = bar.get_window_extent(renderer)
            value = bar.get_width()
            if value >= 0 and box.x0 < end.x1:
                wrong.append((label.get_text(), "not right of its bar"))
            if value < 0 and box.x1 > end.x0:
                wrong.append((label.get_text(), "not left of its bar"))
            if box.x0 - 1 < x < box.x1 + 1:
                wrong.append((label.get_text(), "crossed by the reference line"))
            if _intersect(box, reference, tolerance=0):
                wrong.append((label.get_text(), "over the reference label"))
            if not ax.get_window_extent(renderer).contains(box.x0, box.y0):
                wrong.append((label.get_text(), "outside the axes"))
        return wrong

    assert _saved_extents(chart, collect) == []
    assert _overlaps(chart) == []
    _done(chart)
