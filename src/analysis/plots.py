"""Charts of the reports: one seaborn theme, French labels, a source line, alt text.

Every function takes tidy numbers already computed (by :mod:`analysis.indicators`) and
returns a :class:`Chart`: a matplotlib figure that is *not* registered with pyplot (so a
notebook shows it once, as the report wants it, not twice), its alternative text and its
caption ("Champ", "Lecture"). In a notebook a Chart displays as an inline PNG inside a
``<figure>`` with the alt text, so the HTML report is self-contained and accessible.

Colours come from seaborn's ``colorblind`` palette: the region in dark blue, France in
orange, everything else in grey; maps use ``cividis``, and ``PuOr`` centred on 0 for a
change: both stay readable with every common form of colour blindness.
"""

from __future__ import annotations

import base64
import html
import io
import textwrap
from dataclasses import dataclass, field

import matplotlib as mpl
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure
from matplotlib.ticker import Formatter

from . import french

PALETTE = sns.color_palette("colorblind")
REGION_COLOUR = PALETTE[0]
FRANCE_COLOUR = PALETTE[1]
OTHER_COLOUR = "#b0b0b0"
HIGHLIGHT_COLOUR = PALETTE[0]
MAP_CMAP = "cividis"
DIVERGING_CMAP = "PuOr"
DPI = 100

__all__ = [
    "Chart",
    "apprenticeship_chart",
    "branches_chart",
    "index_chart",
    "ranking_chart",
    "region_map",
    "set_theme",
    "shift_share_chart",
]


def set_theme() -> None:
    """Apply the reports' seaborn theme (white grid, colour-blind palette, legible sizes)."""
    sns.set_theme(
        context="notebook",
        style="whitegrid",
        palette="colorblind",
        rc={
            "figure.dpi": DPI,
            "savefig.dpi": DPI,
            "axes.titlesize": 13,
            "axes.titleweight": "bold",
            "axes.titlelocation": "left",
            "axes.labelsize": 11,
            "xtick.labelsize": 10,
            "ytick.labelsize": 10,
            "legend.fontsize": 10,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "font.family": "DejaVu Sans",
        },
    )


@dataclass
class Chart:
    """A finished chart: figure, alternative text and caption.

    Attributes
    ----------
    figure : matplotlib.figure.Figure
    alt : str
        What the chart shows, for screen readers and when images are off.
    caption : str
        "Champ : ... Lecture : ..." printed under the chart.
    """

    figure: Figure
    alt: str
    caption: str = ""
    _png: bytes | None = field(default=None, repr=False)

    def png(self) -> bytes:
        """Return the chart as PNG bytes (rendered once)."""
        if self._png is None:
            buffer = io.BytesIO()
            self.figure.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight")
            self._png = buffer.getvalue()
        return self._png

    def to_html(self) -> str:
        """Return a ``<figure>`` with the PNG inline (base64) and its caption."""
        data = base64.b64encode(self.png()).decode("ascii")
        caption = f"<figcaption>{html.escape(self.caption)}</figcaption>" if self.caption else ""
        return (
            f'<figure class="chart"><img src="data:image/png;base64,{data}" '
            f'alt="{html.escape(self.alt, quote=True)}" style="max-width:100%;height:auto">'
            f"{caption}</figure>"
        )

    def _repr_html_(self) -> str:
        return self.to_html()

    def __repr__(self) -> str:
        return f"<Chart: {self.alt[:80]}>"


def _figure(width: float = 8.0, height: float = 4.5, ncols: int = 1, **kwargs):
    figure = Figure(figsize=(width, height), layout="constrained")
    axes = figure.subplots(1, ncols, **kwargs)
    return figure, axes


def _source(figure: Figure, source: str) -> None:
    figure.text(0.0, -0.01, f"Source : {source}", ha="left", va="top", fontsize=9, color="#444")


class FrenchTicks(Formatter):
    """Tick labels the French way, with as many decimals as the tick step needs.

    Ticks at 92.5, 95, 97.5 read "92,5", "95,0", "97,5", never "92", "95", "98".
    """

    def __call__(self, x, pos=None):
        """Return the label of the tick at ``x``."""
        return french.number(x, self._decimals())

    def _decimals(self) -> int:
        locs = [v for v in getattr(self, "locs", []) if np.isfinite(v)]
        for decimals in range(4):
            if all(abs(round(v, decimals) - v) < 1e-9 for v in locs):
                return decimals
        return 3


def _thousands(axis) -> None:
    axis.set_major_formatter(FrenchTicks())


def index_chart(
    frame: pd.DataFrame,
    *,
    title: str,
    base_label: str,
    source: str,
    colours: dict[str, object] | None = None,
    caption: str = "",
    annotate_gap: str | None = None,
) -> Chart:
    """Lines of base-100 indexes, one per column of ``frame``.

    Parameters
    ----------
    frame : pandas.DataFrame
        Index the periods (``pandas.Period`` or years), one column per area (its French
        name), values already indexed to 100.
    title : str
        French title, which says what is measured.
    base_label : str
        The base period in French (``"4e trimestre 2010"``), shown on the y axis.
    source : str
        Text after "Source :".
    colours : dict, optional
        Column -> colour; by default the first column is the region, the second France.
    caption : str
        "Champ / Lecture" text under the chart.
    annotate_gap : str, optional
        A note drawn on the chart (for a gap in the series).
    """
    figure, ax = _figure()
    colours = colours or dict(zip(frame.columns, [REGION_COLOUR, FRANCE_COLOUR], strict=False))
    x = frame.index
    if isinstance(x, pd.PeriodIndex):
        positions = x.to_timestamp(how="end")
    else:
        positions = np.asarray(x, dtype=float)
    markers = len(frame) <= 12
    # Annual series with missing years: solid between consecutive years, dashed across
    # a gap, so that no line pretends to know the years in between.
    gaps = (
        np.diff(positions) > 1
        if not isinstance(x, pd.PeriodIndex)
        else np.zeros(len(x) - 1, dtype=bool)
    )
    for column in frame.columns:
        values = frame[column].to_numpy(dtype=float)
        style = {
            "color": colours.get(column, OTHER_COLOUR),
            "linewidth": 2.2 if column == frame.columns[0] else 1.8,
        }
        ax.plot(
            positions,
            values,
            label=column,
            marker="o" if markers else None,
            linestyle="none" if gaps.any() else "-",
            **style,
        )
        if gaps.any():
            for i, gap in enumerate(gaps):
                ax.plot(
                    positions[i : i + 2], values[i : i + 2], linestyle="--" if gap else "-", **style
                )
    ax.axhline(100, color="#666", linewidth=0.8, linestyle=":")
    ax.set_title(title)
    ax.set_ylabel(
        f"indice base 100 au {base_label}"
        if "trimestre" in base_label
        else (f"indice base 100 en {base_label}")
    )
    ax.set_xlabel("")
    if not isinstance(x, pd.PeriodIndex):
        ax.set_xticks(positions, [str(int(p)) for p in positions])
    ax.yaxis.set_major_formatter(FrenchTicks())
    ax.legend(frameon=False, loc="best")
    if annotate_gap:
        ax.text(
            0.99,
            0.02,
            annotate_gap,
            transform=ax.transAxes,
            ha="right",
            va="bottom",
            fontsize=9,
            color="#444",
            style="italic",
        )
    _source(figure, source)
    last = frame.ffill().iloc[-1]
    alt = (
        f"{title}. Courbes en indice base 100 au {base_label}. "
        + " ; ".join(
            f"{name} : {french.number(value, 1)} à la dernière période"
            for name, value in last.items()
        )
        + "."
    )
    return Chart(figure, alt, caption)


def branches_chart(branches: pd.DataFrame, *, title: str, source: str, caption: str = "") -> Chart:
    """Employment by industrial branch and specialisation index, highlighted branches in blue.

    Parameters
    ----------
    branches : pandas.DataFrame
        :func:`analysis.indicators.branch_table`: ``sector``, ``employment``,
        ``quotient``, ``highlighted``.
    """
    data = branches.dropna(subset=["employment"]).sort_values("employment", ascending=False)
    figure, (left, right) = _figure(10.0, 0.32 * len(data) + 1.6, ncols=2, sharey=True)
    colours = [HIGHLIGHT_COLOUR if h else OTHER_COLOUR for h in data["highlighted"]]
    # One colour per branch (hue = the branch itself), the same in both panels.
    sectors = data["sector"].to_numpy()
    same = {"y": sectors, "hue": sectors, "palette": colours, "legend": False}
    sns.barplot(x=data["employment"].to_numpy(), ax=left, orient="h", **same)
    left.set_title("Effectifs salariés")
    left.set_xlabel("salariés")
    left.set_ylabel("")
    _thousands(left.xaxis)
    sns.scatterplot(x=data["quotient"].to_numpy(), ax=right, s=70, **same)
    right.axvline(1.0, color="#666", linestyle=":", linewidth=1)
    right.set_title("Indice de spécialisation")
    right.set_xlabel("1 = même poids qu'en France métropolitaine")
    right.xaxis.set_major_formatter(FrenchTicks())
    figure.suptitle(title, x=0.0, ha="left", fontweight="bold", fontsize=13)
    _source(figure, source)
    top = data.iloc[0]
    specialised = data[data["quotient"] > 1]["sector"].tolist()
    alt = (
        f"{title}. Barres horizontales des effectifs par branche, de la plus grande "
        f"({top['sector']} : {french.number(top['employment'])} salariés) à la plus petite ; "
        "à droite, l'indice de spécialisation. "
        + (
            "Branches plus présentes qu'en France métropolitaine : " + ", ".join(specialised)
            if specialised
            else "Aucune branche n'a un indice supérieur à 1"
        )
        + ". Les branches en bleu sont les grandes branches suivies par OPCO 2i."
    )
    return Chart(figure, alt, caption)


def apprenticeship_chart(
    history: pd.DataFrame,
    *,
    region_name: str,
    title: str,
    source: str,
    caption: str = "",
) -> Chart:
    """Apprenticeship contracts by year: the region's levels and the year-on-year change.

    Parameters
    ----------
    history : pandas.DataFrame
        Columns ``year``, ``region_contracts``, ``complete``, ``source``,
        ``region_change`` and ``france_change`` (percent, missing where not comparable),
        one row per year.
    """
    data = history.sort_values("year").reset_index(drop=True)
    figure, (left, right) = _figure(10.0, 4.2, ncols=2)
    years = data["year"].astype(int).to_numpy()
    left.bar(
        years,
        data["region_contracts"].to_numpy(dtype=float),
        color=[REGION_COLOUR if c else "white" for c in data["complete"]],
        edgecolor=REGION_COLOUR,
        hatch=None,
    )
    for year, value, complete in zip(
        years, data["region_contracts"], data["complete"], strict=True
    ):
        if pd.notna(value):
            label = french.number(value) + ("" if complete else "\n(partiel)")
            left.annotate(
                label,
                (year, value),
                ha="center",
                va="bottom",
                fontsize=8,
                xytext=(0, 2),
                textcoords="offset points",
            )
    left.set_title(f"Nouveaux contrats {french.in_region(region_name)}")
    left.set_ylabel("contrats")
    left.set_xticks(years, [str(y) for y in years])
    _thousands(left.yaxis)
    left.margins(y=0.15)
    # Right: year-on-year change, like for like (same source, same months); none is
    # drawn across a change of source or on a base too small to mean anything.
    width = 0.38
    series = [(region_name, "region_change", REGION_COLOUR, -width / 2)]
    if region_name != "France":
        series.append(("France", "france_change", FRANCE_COLOUR, width / 2))
    for label, column, colour, shift in series:
        offset = shift if len(series) > 1 else 0.0
        right.bar(
            years + offset,
            data[column].to_numpy(dtype=float),
            width=width,
            color=colour,
            label=label,
        )
    right.axhline(0, color="#333", linewidth=0.8)
    right.set_ylabel("évolution sur un an, en %")
    right.legend(frameon=False, loc="upper left")
    for year, complete, *changes in zip(
        years, data["complete"], *(data[c] for _, c, _, _ in series), strict=True
    ):
        top = np.nanmax([0.0, *changes]) if not all(pd.isna(changes)) else 0.0
        if not complete:
            right.annotate(
                "janv.-avr.",
                (year, top),
                xytext=(0, 3),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=7,
                color="#444",
            )
    breaks = data.index[data["source"].ne(data["source"].shift()) & (data.index > 0)]
    for position in breaks:
        x = (years[position - 1] + years[position]) / 2
        for ax in (left, right):
            ax.axvline(x, color="#666", linestyle="--", linewidth=1)
        right.text(
            x,
            0.98,
            " changement\n de source",
            transform=right.get_xaxis_transform(),
            fontsize=8,
            va="top",
            color="#444",
        )
    right.set_title("Évolution sur un an, mêmes mois, même source")
    right.set_xticks(years, [str(y) for y in years])
    right.yaxis.set_major_formatter(FrenchTicks())
    figure.suptitle(title, x=0.0, ha="left", fontweight="bold", fontsize=13)
    _source(figure, source)
    alt = (
        f"{title}. "
        + " ; ".join(
            f"{year} : {french.number(value)}" + ("" if complete else " (année partielle)")
            for year, value, complete in zip(
                years, data["region_contracts"], data["complete"], strict=True
            )
        )
        + "."
    )
    return Chart(figure, alt, caption)


def shift_share_chart(
    totals: dict[str, float], *, title: str, source: str, caption: str = ""
) -> Chart:
    """Horizontal bars of the three effects and the actual change (jobs).

    Parameters
    ----------
    totals : dict
        French label -> jobs, in display order (the effects, then the observed change).
    """
    labels = list(totals)
    values = np.array([totals[k] for k in labels], dtype=float)
    figure, ax = _figure(8.0, 3.2)
    colours = [PALETTE[2] if v >= 0 else PALETTE[3] for v in values]
    colours[-1] = REGION_COLOUR
    ax.barh(labels[::-1], values[::-1], color=colours[::-1])
    ax.axvline(0, color="#333", linewidth=0.8)
    for y, value in enumerate(values[::-1]):
        ax.annotate(
            french.signed_number(value),
            (value, y),
            xytext=(4 if value >= 0 else -4, 0),
            textcoords="offset points",
            ha="left" if value >= 0 else "right",
            va="center",
            fontsize=9,
        )
    ax.set_title(title)
    ax.set_xlabel("emplois salariés")
    _thousands(ax.xaxis)
    ax.margins(x=0.25)
    _source(figure, source)
    alt = (
        f"{title}. "
        + " ; ".join(
            f"{label} : {french.signed_number(v)} emplois"
            for label, v in zip(labels, values, strict=True)
        )
        + "."
    )
    return Chart(figure, alt, caption)


def ranking_chart(
    values: pd.Series,
    *,
    highlight: str | None,
    title: str,
    unit: str,
    source: str,
    decimals: int = 0,
    caption: str = "",
    reference: tuple[str, float] | None = None,
) -> Chart:
    """Horizontal bars of one indicator by region, ``highlight`` in blue.

    Parameters
    ----------
    values : pandas.Series
        Indexed by region *name*; missing values are left out (and named in the alt text).
    reference : (str, float), optional
        A vertical line for France, with its label.
    """
    data = values.dropna().sort_values(ascending=True)
    missing = [name for name in values.index if pd.isna(values[name])]
    figure, ax = _figure(8.0, 0.3 * len(data) + 1.4)
    colours = [REGION_COLOUR if name == highlight else OTHER_COLOUR for name in data.index]
    ax.barh(list(data.index), data.to_numpy(dtype=float), color=colours)
    for y, value in enumerate(data):
        ax.annotate(
            french.number(value, decimals),
            (value, y),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
        )
    if reference is not None:
        ax.axvline(reference[1], color=FRANCE_COLOUR, linestyle="--", linewidth=1.5)
        ax.text(
            reference[1],
            0.0,
            f" {reference[0]} : {french.number(reference[1], decimals)}",
            transform=ax.get_xaxis_transform(),
            color=FRANCE_COLOUR,
            fontsize=9,
            va="bottom",
        )
    ax.set_title(title)
    ax.set_xlabel(unit)
    ax.xaxis.set_major_formatter(FrenchTicks())
    ax.margins(x=0.12)
    _source(figure, source)
    ordered = data.sort_values(ascending=False)
    alt = (
        f"{title}. Classement des régions, de la première à la dernière : "
        + ", ".join(f"{name} ({french.number(v, decimals)})" for name, v in ordered.items())
        + "."
        + (f" Non disponible : {', '.join(missing)}." if missing else "")
    )
    return Chart(figure, alt, caption)


def region_map(
    shapes,
    values: pd.Series,
    *,
    highlight: str | None,
    title: str,
    legend: str,
    source: str,
    decimals: int = 1,
    caption: str = "",
    diverging: bool = False,
) -> Chart:
    """Choropleth of the 18 regions, overseas regions in insets, ``highlight`` outlined.

    Parameters
    ----------
    shapes : geopandas.GeoDataFrame
        :func:`analysis.read_region_shapes` (``region``, ``name``, ``geometry``).
    values : pandas.Series
        Indicator by region code; a missing value is hatched grey ("n.d.").
    highlight : str, optional
        Region code drawn with a thick outline.
    legend : str
        Label of the colour bar (indicator and unit).
    """
    data = shapes.assign(value=shapes["region"].map(values).astype(float))
    low, high = np.nanmin(data["value"]), np.nanmax(data["value"])
    if diverging and low < 0 < high:  # a change: centred on 0, falls and rises apart
        norm = mpl.colors.TwoSlopeNorm(vmin=low, vcenter=0.0, vmax=high)
        cmap = mpl.colormaps[DIVERGING_CMAP]
    else:
        norm = mpl.colors.Normalize(vmin=low, vmax=high)
        cmap = mpl.colormaps[MAP_CMAP]
    figure = Figure(figsize=(8.0, 6.2), layout="constrained")
    grid = figure.add_gridspec(5, 4, width_ratios=[1, 1, 1, 0.9])
    main = figure.add_subplot(grid[:, :3])
    overseas = [code for code in ("01", "02", "03", "04", "06") if code in set(data["region"])]
    insets = [figure.add_subplot(grid[i, 3]) for i in range(len(overseas))]

    def draw(ax, rows):
        known = rows[rows["value"].notna()]
        unknown = rows[rows["value"].isna()]
        if len(known):
            known.plot(
                ax=ax,
                color=[cmap(norm(v)) for v in known["value"]],
                edgecolor="white",
                linewidth=0.6,
            )
        if len(unknown):
            unknown.plot(ax=ax, color="#eeeeee", edgecolor="#999", hatch="///", linewidth=0.6)
        chosen = rows[rows["region"] == highlight]
        if len(chosen):
            chosen.boundary.plot(ax=ax, color="#d62728", linewidth=2.4)
        ax.set_axis_off()

    metro = data[~data["region"].isin(overseas)].to_crs(2154)
    draw(main, metro)
    for ax, code in zip(insets, overseas, strict=True):
        row = data[data["region"] == code]
        draw(ax, row)
        value = row["value"].iloc[0]
        ax.set_title(
            f"{row['name'].iloc[0]}\n{french.number(value, decimals)}",
            fontsize=8,
            fontweight="normal",
            loc="center",
        )
    for _, row in metro.iterrows():
        point = row.geometry.representative_point()
        main.annotate(
            french.number(row["value"], decimals),
            (point.x, point.y),
            ha="center",
            va="center",
            fontsize=8,
            color="black",
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.75},
        )
    bar = figure.colorbar(
        mpl.cm.ScalarMappable(norm=norm, cmap=cmap),
        ax=main,
        shrink=0.6,
        orientation="horizontal",
        pad=0.02,
        aspect=30,
    )
    bar.set_label(legend)
    bar.ax.xaxis.set_major_formatter(FrenchTicks())
    main.set_title(textwrap.fill(title, 55), loc="left")
    _source(figure, source)
    named = data.set_index("region")
    alt = (
        f"{title}. Carte des régions colorée selon l'indicateur ({legend}). "
        + (
            f"La région {named.loc[highlight, 'name']} est entourée en rouge "
            f"({french.number(named.loc[highlight, 'value'], decimals)}). "
            if highlight in named.index
            else ""
        )
        + "Valeurs : "
        + ", ".join(
            f"{row['name']} {french.number(row['value'], decimals)}" for _, row in data.iterrows()
        )
        + "."
    )
    return Chart(figure, alt, caption)
