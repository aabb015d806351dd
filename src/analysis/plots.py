"""Charts of the reports: one seaborn theme, French labels, a source line, alt text.

Every function takes tidy numbers already computed (by :mod:`analysis.indicators`) and
returns a :class:`Chart`: a matplotlib figure that is *not* registered with pyplot (so a
notebook shows it once, as the report wants it, not twice), its alternative text and its
caption ("Champ", "Lecture"). In a notebook a Chart displays as an inline PNG inside a
``<figure>`` with the alt text, so the HTML report is self-contained and accessible.

Colours come from seaborn's ``colorblind`` palette: the region in dark blue, France in
orange, everything else in grey; maps colour their classes from ``cividis``, and from
``PuOr`` on either side of 0 for a change: both stay readable with every common form of
colour blindness.

What a statistical reader must not misread is drawn apart: provisional quarters dashed
over a grey band, an incomplete year hatched after a gap, a region without a value
("n.d.") or with a value on too small a base ("n.s.") hatched outside the classes.
"""

from __future__ import annotations

import base64
import html
import io
import math
import textwrap
from dataclasses import dataclass, field

import matplotlib as mpl
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Annotation
from matplotlib.ticker import Formatter

from . import french
from .indicators import INSEE_PROVISIONAL_FROM

PALETTE = sns.color_palette("colorblind")
REGION_COLOUR = PALETTE[0]
FRANCE_COLOUR = PALETTE[1]
OTHER_COLOUR = "#b0b0b0"
HIGHLIGHT_COLOUR = PALETTE[0]
MAP_CMAP = "cividis"
DIVERGING_CMAP = "PuOr"
PROVISIONAL_COLOUR = "#ebebeb"
MISSING_COLOUR = "#eeeeee"
#: Extra space between complete years and an incomplete one, and the latter's hatch.
PARTIAL_GAP = 0.6
PARTIAL_HATCH = "////"
#: Hatches of the map's regions without a value ("n.d.") and with one not significant.
MISSING_HATCH = "///"
NOT_SIGNIFICANT_HATCH = "..."
DPI = 100

__all__ = [
    "Chart",
    "apprenticeship_chart",
    "branches_chart",
    "class_breaks",
    "class_labels",
    "classify",
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


def _source(figure: Figure, source: str, below=None) -> None:
    """Write "Source : ..." at the bottom left, under ``below`` (an artist) if given."""
    text = f"Source : {source}"
    style = {"ha": "left", "va": "top", "fontsize": 9, "color": "#444"}
    if below is None:
        figure.text(0.0, -0.01, text, **style)
        return
    # Tied to the artist's bottom edge, so that cropping (bbox_inches="tight") keeps it under.
    figure.add_artist(
        Annotation(
            text,
            xy=(0.0, 0.0),
            xycoords=("figure fraction", below),
            xytext=(0, -6),
            textcoords="offset points",
            **style,
        )
    )


class FrenchTicks(Formatter):
    """Tick labels the French way, with as many decimals as the tick step needs.

    Ticks at 92.5, 95, 97.5 read "92,5", "95,0", "97,5", never "92", "95", "98".
    """

    def set_locs(self, locs):
        """Remember the tick locations, from which the number of decimals follows."""
        super().set_locs(locs)
        self._values = [float(v) for v in locs]

    def __call__(self, x, pos=None):
        """Return the label of the tick at ``x``."""
        return french.number(x, self._decimals())

    def _decimals(self) -> int:
        # Own copy of the locations: ``Formatter.locs`` is deprecated since Matplotlib 3.11.
        locs = [v for v in getattr(self, "_values", []) if np.isfinite(v)]
        for decimals in range(4):
            if all(abs(round(v, decimals) - v) < 1e-9 for v in locs):
                return decimals
        return 3


def _thousands(axis) -> None:
    axis.set_major_formatter(FrenchTicks())


def _wrap_title(title: str, width: int) -> str:
    """Break a long title after its last comma that fits, else between words."""
    if len(title) <= width:
        return title
    head, comma, tail = title.rpartition(", ")
    if comma and len(head) + 1 <= width and len(tail) <= width:
        return f"{head},\n{tail}"
    return textwrap.fill(title, width)


def _quarter_tick(period: pd.Period) -> str:
    """Label a quarter on an axis: ``"T4 2010"`` (INSEE's short form)."""
    return f"T{period.quarter} {period.year}"


def index_chart(
    frame: pd.DataFrame,
    *,
    title: str,
    base_label: str,
    source: str,
    colours: dict[str, object] | None = None,
    caption: str = "",
    annotate_gap: str | None = None,
    provisional_from: pd.Period | str | None = INSEE_PROVISIONAL_FROM,
) -> Chart:
    """Lines of base-100 indexes, one per column of ``frame``.

    A quarterly index has a tick at its first point (the base quarter), then one a year
    on the same quarter (``"T4 2010"``, ``"T4 2011"``...); its provisional quarters are
    drawn dashed over a grey band named in the legend.

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
    provisional_from : pandas.Period or str, optional
        First provisional period of a quarterly (``PeriodIndex``) index: by default
        INSEE's, the 1st quarter of 2019; ``None`` when no period is provisional. Not
        used for an annual index.

    Returns
    -------
    Chart
    """
    figure, ax = _figure()
    colours = colours or dict(zip(frame.columns, [REGION_COLOUR, FRANCE_COLOUR], strict=False))
    x = frame.index
    periodic = isinstance(x, pd.PeriodIndex)
    if periodic:
        positions = x.to_timestamp(how="end")
    else:
        positions = np.asarray(x, dtype=float)
    markers = len(frame) <= 12
    # Annual series with missing years: solid between consecutive years, dashed across
    # a gap, so that no line pretends to know the years in between.
    gaps = np.diff(positions) > 1 if not periodic else np.zeros(len(x) - 1, dtype=bool)
    # Quarterly series: dashed from the last final quarter on, over a grey band.
    first_provisional = None
    if periodic and provisional_from is not None and len(x):
        start = pd.Period(provisional_from).start_time
        flags = np.array([period.start_time >= start for period in x])
        if flags.any():
            first_provisional = int(np.argmax(flags))
    for column in frame.columns:
        values = frame[column].to_numpy(dtype=float)
        style = {
            "color": colours.get(column, OTHER_COLOUR),
            "linewidth": 2.2 if column == frame.columns[0] else 1.8,
        }
        marker = "o" if markers else None
        if gaps.any():
            ax.plot(positions, values, label=column, marker=marker, linestyle="none", **style)
            for i, gap in enumerate(gaps):
                ax.plot(
                    positions[i : i + 2], values[i : i + 2], linestyle="--" if gap else "-", **style
                )
        elif first_provisional is not None:
            cut = first_provisional
            if cut > 0:
                ax.plot(
                    positions[:cut],
                    values[:cut],
                    label=column,
                    marker=marker,
                    linestyle="-",
                    **style,
                )
            ax.plot(
                positions[max(cut - 1, 0) :],
                values[max(cut - 1, 0) :],
                label=column if cut == 0 else "_nolegend_",
                marker=marker,
                linestyle="--",
                **style,
            )
        else:
            ax.plot(positions, values, label=column, marker=marker, linestyle="-", **style)
    if first_provisional is not None:
        cut = first_provisional
        left = (
            positions[cut]
            if cut == 0
            else positions[cut - 1] + (positions[cut] - positions[cut - 1]) / 2
        )
        right = positions[-1] + ((positions[-1] - positions[-2]) / 2 if len(x) > 1 else 0)
        ax.axvspan(
            left,
            right,
            color=PROVISIONAL_COLOUR,
            zorder=0,
            linewidth=0,
            label=f"provisoire (depuis le {french.quarter(x[cut])})",
        )
    ax.axhline(100, color="#666", linewidth=0.8, linestyle=":")
    ax.set_title(_wrap_title(title, 64))
    ax.set_ylabel(
        f"indice base 100 au {base_label}"
        if "trimestre" in base_label
        else (f"indice base 100 en {base_label}")
    )
    ax.set_xlabel("")
    if periodic and len(x):
        # The base quarter gets its own tick, then the same quarter of each year (of
        # every other year and so on beyond ten ticks, so that labels never collide).
        same = [i for i, period in enumerate(x) if period.quarter == x[0].quarter]
        chosen = same[:: max(1, math.ceil(len(same) / 10))]
        ax.set_xticks(positions[chosen], [_quarter_tick(x[i]) for i in chosen])
    elif not periodic:
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
        + (
            f" Trimestres provisoires à partir du {french.quarter(x[first_provisional])}, "
            "en pointillés."
            if first_provisional is not None
            else ""
        )
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


_MONTHS = {
    "janvier": "janv.",
    "février": "févr.",
    "mars": "mars",
    "avril": "avr.",
    "mai": "mai",
    "juin": "juin",
    "juillet": "juil.",
    "août": "août",
    "septembre": "sept.",
    "octobre": "oct.",
    "novembre": "nov.",
    "décembre": "déc.",
}


def _partial_label(year: int, period: object) -> str:
    """Tick label of an incomplete year, on two lines: months abbreviated, then the year.

    ``"janvier-avril 2024"`` gives ``"janv.-avr."`` over ``"2024"``; without a period,
    ``"2024"`` over ``"(partiel)"``.
    """
    text = str(period) if isinstance(period, str) else ""
    months = text.removesuffix(str(year)).strip()
    if not months or months == "année":
        return f"{year}\n(partiel)"
    short = "-".join(_MONTHS.get(month, month) for month in months.split("-"))
    return f"{short}\n{year}"


def apprenticeship_chart(
    history: pd.DataFrame,
    *,
    region_name: str,
    title: str,
    source: str,
    caption: str = "",
) -> Chart:
    """Apprenticeship contracts by year: the region's levels and the year-on-year change.

    An incomplete year (``complete`` false) stands apart in both panels: after a gap and
    a dotted separator, in hatched bars, its tick naming its months (``"janv.-avr."``).
    The legend is the figure's, under both panels, so that it covers no bar or title.

    Parameters
    ----------
    history : pandas.DataFrame
        Columns ``year``, ``region_contracts``, ``complete``, ``source``,
        ``region_change`` and ``france_change`` (percent, missing where not comparable),
        one row per year; optional ``period`` (``"janvier-avril 2024"``), which names the
        months of an incomplete year, and ``significant``, false where the region's change
        rests on too small a base (marked "n.s.").
    region_name : str
        The region's name (``"France"`` for France alone).
    title : str
        French title over both panels.
    source : str
        Text after "Source :".
    caption : str
        "Champ / Lecture" text under the chart.

    Returns
    -------
    Chart
    """
    data = history.sort_values("year").reset_index(drop=True)
    # Two panels over a strip that holds the legend: the legend lives in the layout, so
    # it covers neither bars nor titles, and moves with the panels when cropped.
    figure = Figure(figsize=(10.0, 4.8), layout="constrained")
    grid = figure.add_gridspec(2, 2, height_ratios=[1.0, 0.06])
    left, right = figure.add_subplot(grid[0, 0]), figure.add_subplot(grid[0, 1])
    strip = figure.add_subplot(grid[1, :])
    strip.set_axis_off()
    years = data["year"].astype(int).to_numpy()
    complete = data["complete"].astype(bool).to_numpy()
    # x positions: one per year, plus a gap wherever complete and incomplete years meet.
    positions = years.astype(float).copy()
    for i in range(1, len(years)):
        jump = PARTIAL_GAP if complete[i] != complete[i - 1] else 0.0
        positions[i] = positions[i - 1] + (years[i] - years[i - 1]) + jump
    periods = data["period"] if "period" in data.columns else [None] * len(data)
    labels = [
        str(year) if full else _partial_label(year, period)
        for year, full, period in zip(years, complete, periods, strict=True)
    ]

    def bars(ax, x, values, colour, *, width, label=None):
        for full in (True, False):
            chosen = complete == full
            if chosen.any():
                ax.bar(
                    x[chosen],
                    values[chosen],
                    width=width,
                    color=colour if full else "white",
                    edgecolor=colour if not full else "white",
                    hatch=None if full else PARTIAL_HATCH,
                    linewidth=1.0,
                    label=label if full else "_nolegend_",
                )

    contracts = data["region_contracts"].to_numpy(dtype=float)
    bars(left, positions, contracts, REGION_COLOUR, width=0.8)
    for x, value in zip(positions, contracts, strict=True):
        if np.isfinite(value):
            left.annotate(
                french.number(value),
                (x, value),
                ha="center",
                va="bottom",
                fontsize=8,
                xytext=(0, 2),
                textcoords="offset points",
            )
    left.set_title("Nouveaux contrats")
    left.set_ylabel("nombre de contrats")
    _thousands(left.yaxis)
    left.margins(y=0.12)
    # Right: year-on-year change, like for like (same source, same months); none is
    # drawn across a change of source or on a base too small to mean anything.
    width = 0.38
    series = [(region_name, "region_change", REGION_COLOUR, -width / 2)]
    if region_name != "France":
        series.append(("France", "france_change", FRANCE_COLOUR, width / 2))
    for label, column, colour, shift in series:
        offset = shift if len(series) > 1 else 0.0
        bars(
            right,
            positions + offset,
            data[column].to_numpy(dtype=float),
            colour,
            width=width if len(series) > 1 else 0.6,
            label=label,
        )
    if "significant" in data.columns:
        offset = series[0][3] if len(series) > 1 else 0.0
        small = data["significant"].eq(False).to_numpy() & np.isfinite(contracts)
        for x in positions[small]:
            right.annotate(
                "n.s.",
                (x + offset, 0.0),
                xytext=(0, 2),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=7,
                color="#444",
            )
    right.axhline(0, color="#333", linewidth=0.8)
    right.set_title("Évolution sur un an")
    right.set_ylabel("en %, mêmes mois, même source")
    right.yaxis.set_major_formatter(FrenchTicks())
    right.margins(y=0.08)
    extra = []
    breaks = data.index[data["source"].ne(data["source"].shift()) & (data.index > 0)]
    for position in breaks:
        x = (positions[position - 1] + positions[position]) / 2
        for ax in (left, right):
            ax.axvline(x, color="#666", linestyle="--", linewidth=1)
    if len(breaks):
        extra.append(
            Line2D([], [], color="#666", linestyle="--", linewidth=1, label="changement de source")
        )
    seams = [i for i in range(1, len(years)) if complete[i] != complete[i - 1]]
    for i in seams:
        x = (positions[i - 1] + positions[i]) / 2
        for ax in (left, right):
            ax.axvline(x, color="#333", linestyle=":", linewidth=1.2)
    if (~complete).any():
        extra.append(
            Patch(
                facecolor="white",
                edgecolor="#555",
                hatch=PARTIAL_HATCH,
                label="année incomplète (comparée aux mêmes mois)",
            )
        )
    for ax in (left, right):
        ax.set_xticks(positions, labels)
        ax.set_xlabel("")
    handles, names = right.get_legend_handles_labels()
    if len(series) == 1:  # France alone: its colour is the bars', no entry needed
        handles, names = [], []
    handles += extra
    names += [h.get_label() for h in extra]
    if handles:
        wide = sum(len(name) for name in names) > 90
        strip.legend(
            handles,
            names,
            loc="center",
            ncol=2 if wide else len(handles),
            frameon=False,
            handlelength=1.6,
        )
    figure.suptitle(title, x=0.0, ha="left", fontweight="bold", fontsize=13)
    _source(figure, source)
    alt = (
        f"{title}. "
        + " ; ".join(
            f"{year} : {french.number(value)}" + ("" if full else " (année incomplète)")
            for year, value, full in zip(years, contracts, complete, strict=True)
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


def _floor(value: float, decimals: int) -> float:
    scale = 10.0**decimals
    return math.floor(round(value * scale, 6)) / scale


def _ceil(value: float, decimals: int) -> float:
    scale = 10.0**decimals
    return math.ceil(round(value * scale, 6)) / scale


def class_breaks(
    values, *, classes: int = 5, diverging: bool = False, decimals: int = 1
) -> np.ndarray:
    """Bounds of a map's classes: quantiles rounded to the coarsest step that keeps them apart.

    The values are first rounded to ``decimals``, as the map prints them, so that a region
    falls in the class its printed value reads; each class holds at least one value (but
    on a diverging scale, whose classes mirror each other).

    Parameters
    ----------
    values : array-like
        The values the classes must hold (missing ones are ignored).
    classes : int, default 5
        Number of classes wanted (4 to 6 read well); fewer when there are fewer distinct
        values. A diverging scale has half as many, rounded up, on each side of 0 (so 6 for
        the default 5), at least 2.
    diverging : bool, default False
        Classes symmetric around 0, for a change: 0 is a bound, and the bounds on the
        falls' side mirror those on the rises' side (quantiles of the absolute values).
    decimals : int, default 1
        Finest rounding of the bounds (the decimals the map prints).

    Returns
    -------
    numpy.ndarray
        Increasing bounds, one more than the classes; empty without any value. A value
        ``v`` is in class ``i`` when ``bounds[i] <= v < bounds[i + 1]`` (the last class
        includes its upper bound): see :func:`classify`.
    """
    known = np.asarray(values, dtype=float)
    known = np.sort(np.round(known[np.isfinite(known)], decimals))
    if known.size == 0:
        return np.array([])
    if diverging:
        size = np.abs(known)
        top = float(size.max())
        if top == 0:
            return np.array([-1.0, 0.0, 1.0]) * 10.0**-decimals
        for count in range(max(2, (classes + 1) // 2), 1, -1):
            inner = np.quantile(size, np.linspace(0, 1, count + 1)[1:-1])
            for digits in _roundings(top, decimals):
                rises = np.array([*np.round(inner, digits), _ceil(top, digits)])
                if np.all(np.diff([0.0, *rises]) > 0):
                    return np.concatenate([-rises[::-1], [0.0], rises])
        return np.array([-_ceil(top, decimals), 0.0, _ceil(top, decimals)])
    low, high = float(known[0]), float(known[-1])
    wanted = min(classes, np.unique(known).size)
    for count in range(wanted, 1, -1):
        inner = np.quantile(known, np.linspace(0, 1, count + 1)[1:-1])
        for digits in _roundings(high - low, decimals):
            bounds = np.array([_floor(low, digits), *np.round(inner, digits), _ceil(high, digits)])
            apart = np.all(np.diff(bounds) > 0)
            if apart and np.bincount(classify(known, bounds), minlength=count).all():
                return bounds
    return np.array([_floor(low, decimals), _ceil(high, decimals)])


def _roundings(spread: float, decimals: int) -> range:
    """Digits to round to, from a step of about a tenth of ``spread`` down to ``decimals``."""
    coarsest = -math.floor(math.log10(spread / 10)) if spread > 0 else decimals
    return range(min(coarsest, decimals), decimals + 1)


def classify(values, bounds) -> np.ndarray:
    """Return the class of each value for ``bounds`` from :func:`class_breaks`.

    Parameters
    ----------
    values : array-like
        Values, already rounded as printed.
    bounds : array-like
        Increasing class bounds.

    Returns
    -------
    numpy.ndarray
        Class numbers from 0: ``i`` where ``bounds[i] <= v < bounds[i + 1]``, the last
        class holding its upper bound (values outside go to the nearest end class).
    """
    bounds = np.asarray(bounds, dtype=float)
    found = np.searchsorted(bounds, np.asarray(values, dtype=float), side="right") - 1
    return np.clip(found, 0, len(bounds) - 2)


def class_labels(bounds, *, decimals: int = 1, unit: str = "", printed=()) -> list[str]:
    """Legend labels of a map's classes, the French way: ``"8,0 à 12,0 %"``.

    Parameters
    ----------
    bounds : array-like
        Class bounds from :func:`class_breaks`.
    decimals : int, default 1
        Decimals printed.
    unit : str
        Unit after the upper bound (``"%"``), after a no-break space.
    printed : array-like
        The values the map prints: when one of them equals an inner bound, the labels say
        which class holds it (``"8,0 à moins de 12,0 %"``).

    Returns
    -------
    list of str
        One label per class.
    """
    bounds = np.asarray(bounds, dtype=float)
    suffix = f"{french.NBSP}{unit}" if unit else ""
    on_bound = np.isin(np.round(bounds[1:-1], decimals), np.round(np.asarray(printed), decimals))
    upto = " à moins de " if on_bound.any() else " à "
    if len(bounds) == 2 and bounds[0] == bounds[1]:  # one value, one class
        return [french.number(bounds[0], decimals) + suffix]
    return [
        french.number(bounds[i], decimals)
        + (upto if i < len(bounds) - 2 else " à ")
        + french.number(bounds[i + 1], decimals)
        + suffix
        for i in range(len(bounds) - 1)
    ]


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
    not_significant: pd.Series | None = None,
    classes: int = 5,
    unit: str | None = None,
) -> Chart:
    """Choropleth of the 18 regions in classes, overseas regions in insets.

    The regions are coloured by class (quantiles, rounded), not on a continuous scale, so
    that one extreme region does not wash out the others; the legend names each class's
    bounds the French way (``"8,0 à 12,0 %"``). A missing value is hatched ("n.d."), and so
    is a value flagged not significant, with its own hatch ("n.s."): neither takes part in
    the classes.

    Parameters
    ----------
    shapes : geopandas.GeoDataFrame
        :func:`analysis.read_region_shapes` (``region``, ``name``, ``geometry``).
    values : pandas.Series
        Indicator by region code; a missing value is hatched grey ("n.d.").
    highlight : str, optional
        Region code drawn with a thick outline.
    title : str
        French title.
    legend : str
        Title of the legend (indicator and unit).
    source : str
        Text after "Source :".
    decimals : int, default 1
        Decimals of the values printed on the map and of the class bounds.
    caption : str
        "Champ / Lecture" text under the chart.
    diverging : bool, default False
        For a change: classes symmetric around 0, falls and rises in opposite hues.
    not_significant : pandas.Series, optional
        Booleans by region code, true where the value rests on too small a base: the
        region is hatched and labelled "n.s." instead of coloured and its value left out
        of the classes.
    classes : int, default 5
        Number of classes (see :func:`class_breaks`).
    unit : str, optional
        Unit after the class bounds; by default ``"%"`` when ``legend`` mentions it.

    Returns
    -------
    Chart
    """
    data = shapes.assign(value=shapes["region"].map(values).astype(float))
    flagged = (
        shapes["region"].map(not_significant).eq(True).to_numpy()
        if not_significant is not None
        else np.zeros(len(shapes), dtype=bool)
    )
    data = data.assign(ns=flagged & data["value"].notna().to_numpy())
    unit = ("%" if "%" in legend else "") if unit is None else unit
    shown = data["value"].where(~data["ns"])
    bounds = class_breaks(shown, classes=classes, diverging=diverging, decimals=decimals)
    count = max(len(bounds) - 1, 0)
    if diverging:
        side = count // 2
        steps = np.arange(1, side + 1) / side * 0.45 if side else np.array([])
        positions = [*(0.5 - steps[::-1]), *(0.5 + steps)]
        colours = [mpl.colormaps[DIVERGING_CMAP](p) for p in positions]
    else:
        colours = [mpl.colormaps[MAP_CMAP](p) for p in np.linspace(0.05, 0.95, count)]
    data = data.assign(
        klass=[
            int(classify([v], bounds)[0]) if np.isfinite(v) and count else -1
            for v in np.round(shown.to_numpy(dtype=float), decimals)
        ]
    )
    figure = Figure(figsize=(8.0, 6.6), layout="constrained")
    grid = figure.add_gridspec(5, 4, width_ratios=[1, 1, 1, 0.9])
    main = figure.add_subplot(grid[:, :3])
    overseas = [code for code in ("01", "02", "03", "04", "06") if code in set(data["region"])]
    insets = [figure.add_subplot(grid[i, 3]) for i in range(len(overseas))]
    missing_style = {"color": MISSING_COLOUR, "edgecolor": "#999", "hatch": MISSING_HATCH}
    ns_style = {"color": "white", "edgecolor": "#777", "hatch": NOT_SIGNIFICANT_HATCH}

    def text(row) -> str:
        if row["ns"]:
            return "n.s."
        return french.number(row["value"], decimals)

    def draw(ax, rows):
        known = rows[rows["klass"] >= 0]
        if len(known):
            known.plot(
                ax=ax,
                color=[colours[k] for k in known["klass"]],
                edgecolor="white",
                linewidth=0.6,
            )
        for chosen, style in ((rows["value"].isna(), missing_style), (rows["ns"], ns_style)):
            if chosen.any():
                rows[chosen].plot(ax=ax, linewidth=0.6, **style)
        outlined = rows[rows["region"] == highlight]
        if len(outlined):
            outlined.boundary.plot(ax=ax, color="#d62728", linewidth=2.4)
        ax.set_axis_off()

    metro = data[~data["region"].isin(overseas)].to_crs(2154)
    draw(main, metro)
    for ax, code in zip(insets, overseas, strict=True):
        row = data[data["region"] == code]
        draw(ax, row)
        ax.set_title(
            f"{row['name'].iloc[0]}\n{text(row.iloc[0])}",
            fontsize=8,
            fontweight="normal",
            loc="center",
        )
    for _, row in metro.iterrows():
        point = row.geometry.representative_point()
        main.annotate(
            text(row),
            (point.x, point.y),
            ha="center",
            va="center",
            fontsize=8,
            color="black",
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.75},
        )
    printed = np.round(shown.dropna().to_numpy(dtype=float), decimals)
    labels = class_labels(bounds, decimals=decimals, unit=unit, printed=printed)
    handles = [
        Patch(facecolor=colours[i], edgecolor="white", label=labels[i]) for i in range(count)
    ]
    if data["value"].isna().any():
        handles.append(
            Patch(
                facecolor=MISSING_COLOUR,
                edgecolor="#999",
                hatch=MISSING_HATCH,
                label=f"{french.NOT_AVAILABLE} : non disponible",
            )
        )
    if data["ns"].any():
        handles.append(
            Patch(
                facecolor="white",
                edgecolor="#777",
                hatch=NOT_SIGNIFICANT_HATCH,
                label="n.s. : non significatif",
            )
        )
    key = main.legend(
        handles=handles,
        title=legend,
        loc="upper center",
        bbox_to_anchor=(0.5, 0.0),
        ncol=min(3, len(handles)) if handles else 1,
        frameon=False,
        fontsize=9,
        title_fontsize=10,
        handlelength=1.8,
        handleheight=1.2,
    )
    main.set_title(textwrap.fill(title, 55), loc="left")
    _source(figure, source, below=key)
    named = data.set_index("region")
    scale = (
        f"en {count} classes ({legend}) : " + " ; ".join(labels)
        if count > 1
        else f"({legend}) : " + " ; ".join(labels)
        if count
        else f"({legend}) : aucune valeur disponible"
    )
    alt = (
        f"{title}. Carte des régions {scale}. "
        + (
            f"La région {named.loc[highlight, 'name']} est entourée en rouge "
            f"({text(named.loc[highlight])}). "
            if highlight in named.index
            else ""
        )
        + "Valeurs : "
        + ", ".join(f"{row['name']} {text(row)}" for _, row in data.iterrows())
        + "."
    )
    return Chart(figure, alt, caption)
