"""Charts of the reports: one seaborn theme, French labels, a source line, alt text.

Every function takes tidy numbers already computed (by :mod:`analysis.indicators`) and
returns a :class:`Chart`: a matplotlib figure that is *not* registered with pyplot (so a
notebook shows it once, as the report wants it, not twice), its alternative text and its
caption ("Champ", "Lecture"). In a notebook a Chart displays as an inline PNG inside a
``<figure>`` with the alt text, so the HTML report is self-contained and accessible.

Colours come from seaborn's ``colorblind`` palette: the region in dark blue, France in
orange, everything else in grey; a chart of more than two lines takes
:data:`SERIES_COLOURS`, and no two of its lines share a colour that a reader could confuse,
with normal vision or with one of the three dichromacies (see :func:`distinct_colours`).
Maps colour their classes from ``cividis``, and from ``PuOr`` on either side of 0 for a
change: both stay readable with every common form of colour blindness.

Titles and texts are typeset as the reports' prose is: ranges take an en dash
(``"2019–2024"``, ``"4e trimestre 2010 – 1er trimestre 2020"``, ``"janv.–avr."``) and a
caption, in HTML, its ordinals in superscript (:func:`analysis.blocks.typeset`).

What a statistical reader must not misread is drawn apart: provisional quarters dashed
over a grey band, an incomplete year hatched after a gap, a region without a value
("n.d.") or with a value on too small a base ("n.s.") hatched outside the classes.
"""

from __future__ import annotations

import base64
import html
import io
import itertools
import math
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field

import matplotlib as mpl
import matplotlib.dates as mdates
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Annotation, Text
from matplotlib.ticker import Formatter, MaxNLocator

from . import french
from .blocks import typeset
from .indicators import INSEE_PROVISIONAL_FROM
from .periods import quarter

PALETTE = sns.color_palette("colorblind")
REGION_COLOUR = PALETTE[0]
FRANCE_COLOUR = PALETTE[1]
OTHER_COLOUR = "#b0b0b0"
HIGHLIGHT_COLOUR = PALETTE[0]
#: Colours of the lines of a chart of more than two series, in order: the house blue and
#: orange, a sky blue and a dark red, apart in lightness as well as in hue, so that they
#: stay apart for every common colour blindness (see :func:`distinct_colours`).
SERIES_COLOURS = (PALETTE[0], PALETTE[1], "#66ccee", "#b2182b")
#: Further colours for a fifth line and beyond, tried in this order.
_SPARE_COLOURS = ("#000000", PALETTE[4], PALETTE[2], PALETTE[5], PALETTE[7], PALETTE[9])
#: Smallest colour difference (CIE 1976 ΔE*ab) between two lines of one chart, with normal
#: vision and for each simulated dichromacy.
MIN_COLOUR_DIFFERENCE = 30.0
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
#: Most intervals between ticks on a panel of the branches chart (about half the width).
BRANCH_TICKS = 4

__all__ = [
    "Chart",
    "apprenticeship_chart",
    "branches_chart",
    "class_breaks",
    "class_labels",
    "classify",
    "colour_difference",
    "distinct_colours",
    "index_chart",
    "ranking_chart",
    "region_map",
    "shift_share_chart",
    "theme",
]


#: The reports' matplotlib settings over seaborn's "whitegrid" style and "notebook"
#: context: colour-blind palette, legible sizes, bold titles on the left.
THEME_RC = {
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
}


def theme():
    """Return a context in which matplotlib draws with the reports' theme.

    The theme is seaborn's ``"whitegrid"`` style and ``"notebook"`` context with the
    ``"colorblind"`` palette, plus :data:`THEME_RC`. It applies only inside the ``with``
    block, as :func:`seaborn.axes_style` does: the user's own settings are never changed.
    Create the figure inside the block (styles are read when artists are made).

    Returns
    -------
    contextlib.AbstractContextManager
        :func:`matplotlib.rc_context` over the theme's settings.

    Examples
    --------
    >>> import matplotlib as mpl
    >>> import analysis as an
    >>> before = mpl.rcParams["axes.titleweight"]
    >>> with an.theme():
    ...     mpl.rcParams["axes.titleweight"]
    'bold'
    >>> mpl.rcParams["axes.titleweight"] == before
    True
    """
    rc = {
        **sns.axes_style("whitegrid"),
        **sns.plotting_context("notebook"),
        "axes.prop_cycle": mpl.cycler(color=PALETTE),
        **THEME_RC,
    }
    return mpl.rc_context(rc)


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


_MONTH = "|".join(
    re.escape(name) for name in sorted({*_MONTHS, *_MONTHS.values()}, key=len, reverse=True)
)
#: Ranges written with a hyphen: of years (``"2019-2024"``, ``"2019 - 2024"``), of months
#: (``"janvier-avril"``, ``"janv.-avr."``), and any spaced hyphen (``"4e trimestre 2010 -
#: 1er trimestre 2020"``).
_RANGES = (
    (re.compile(r"(?<![\w.,])((?:19|20)\d\d) ?- ?((?:19|20)\d\d)(?![\d,])"), "\\1\u2013\\2"),
    (re.compile(rf"(?<!\w)({_MONTH})-(?=(?:{_MONTH})(?!\w))", re.IGNORECASE), "\\1\u2013"),
    (re.compile(r"(?<=\S) - (?=\S)"), " \u2013 "),
)


def _ranges(text: str) -> str:
    """Write every range of ``text`` with an en dash, as French typography wants.

    >>> _ranges("4e trimestre 2001 - 1er trimestre 2020, 2019-2024, janv.-avr. 2024")
    '4e trimestre 2001 – 1er trimestre 2020, 2019–2024, janv.–avr. 2024'
    """
    for pattern, replacement in _RANGES:
        text = pattern.sub(replacement, text)
    return text


def _base_phrase(base_label: str) -> str:
    """Say the base of an index: ``"au 4e trimestre 2010"``, ``"en 2019"``."""
    return f"au {base_label}" if "trimestre" in base_label else f"en {base_label}"


# Machado, Oliveira and Fernandes (2009): dichromacies (severity 1) in linear RGB.
_DICHROMACIES = {
    "protanopie": np.array(
        [
            [0.152286, 1.052583, -0.204868],
            [0.114503, 0.786281, 0.099216],
            [-0.003882, -0.048116, 1.051998],
        ]
    ),
    "deutéranopie": np.array(
        [
            [0.367322, 0.860646, -0.227968],
            [0.280085, 0.672501, 0.047413],
            [-0.011820, 0.042940, 0.968881],
        ]
    ),
    "tritanopie": np.array(
        [
            [1.255528, -0.076749, -0.178779],
            [-0.078411, 0.930809, 0.147602],
            [0.004733, 0.691367, 0.303900],
        ]
    ),
}
_SRGB_TO_XYZ = np.array(
    [[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]
)
_WHITE = np.array([0.95047, 1.0, 1.08883])


def _lab(linear: np.ndarray) -> np.ndarray:
    xyz = _SRGB_TO_XYZ @ np.clip(linear, 0.0, 1.0) / _WHITE
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def colour_difference(first, second) -> float:
    """Smallest CIELAB difference (ΔE*ab) of two colours, seen normally or by a dichromat.

    Both colours are also simulated for protanopia, deuteranopia and tritanopia (Machado
    et al., 2009); the smallest of the four differences is returned: below
    :data:`MIN_COLOUR_DIFFERENCE`, some reader takes one colour for the other.
    """
    linear = []
    for colour in (first, second):
        rgb = np.asarray(mpl.colors.to_rgb(colour))
        linear.append(np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4))
    return min(
        float(np.linalg.norm(_lab(matrix @ linear[0]) - _lab(matrix @ linear[1])))
        for matrix in (np.eye(3), *_DICHROMACIES.values())
    )


def distinct_colours(wanted: Sequence[object | None]) -> list[object]:
    """Return one colour per line, each clearly apart from the others.

    A wanted colour is kept unless it is too close (:func:`colour_difference` under
    :data:`MIN_COLOUR_DIFFERENCE`) to one already given to an earlier line; it is then
    replaced, like a missing one (``None``), by the first of :data:`SERIES_COLOURS` (then
    of a few spare colours) apart from every colour given so far.
    """
    chosen: list[object] = []
    spares = (*SERIES_COLOURS, *_SPARE_COLOURS)
    for colour in wanted:
        if colour is None or any(
            colour_difference(colour, other) < MIN_COLOUR_DIFFERENCE for other in chosen
        ):
            fits = [
                c
                for c in spares
                if all(colour_difference(c, other) >= MIN_COLOUR_DIFFERENCE for other in chosen)
            ]
            colour = (
                fits[0]
                if fits
                else max(spares, key=lambda c: min(colour_difference(c, o) for o in chosen))
            )
        chosen.append(colour)
    return chosen


@dataclass
class Chart:
    """A report's chart: figure, alternative text, caption and the data drawn.

    Built by :func:`finish_chart`. In a notebook it displays as an inline PNG inside a
    ``<figure>`` with its alt text and caption; the PNG is drawn from the figure each time,
    so a chart changed after it was made (a title, a limit) shows as changed.

    Attributes
    ----------
    figure : matplotlib.figure.Figure
    alt : str
        What the chart shows, for screen readers and when images are off.
    caption : str
        "Champ : ... Lecture : ..." printed under the chart.
    data : pandas.DataFrame or pandas.Series, optional
        The numbers the chart draws, as the section passed them.
    title : str
        The chart's title, on one line.
    source : str
        What the chart's "Source :" line names.
    """

    figure: Figure
    alt: str
    caption: str = ""
    data: object = field(default=None, repr=False)
    title: str = ""
    source: str = ""

    def __post_init__(self) -> None:
        # Ranges with an en dash, in the alt text as in the caption.
        self.alt = _ranges(self.alt)
        self.caption = _ranges(self.caption)

    def png(self) -> bytes:
        """Return the chart as PNG bytes, drawn now under the reports' :func:`theme`."""
        buffer = io.BytesIO()
        with theme():
            self.figure.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight")
        return buffer.getvalue()

    def to_html(self) -> str:
        """Return a ``<figure>`` with the PNG inline (base64) and its caption.

        The caption is escaped and typeset (ordinals in superscript, en dashes:
        :func:`analysis.blocks.typeset`); the alt text, an attribute, is only escaped.
        """
        data = base64.b64encode(self.png()).decode("ascii")
        caption = f"<figcaption>{typeset(self.caption)}</figcaption>" if self.caption else ""
        return (
            f'<figure class="chart"><img src="data:image/png;base64,{data}" '
            f'alt="{html.escape(self.alt, quote=True)}" style="max-width:100%;height:auto">'
            f"{caption}</figure>"
        )

    def _repr_html_(self) -> str:
        return self.to_html()

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        from .blocks import TABLES_MIME, chart_payload

        bundle = {"text/html": self.to_html()}
        if self.data is not None:
            bundle[TABLES_MIME] = chart_payload(self)
        return bundle

    @property
    def notes(self) -> str:
        """The chart's caption and source, as a table of its data is annotated."""
        source = f"Source : {self.source}." if self.source else ""
        return " ".join(text for text in (self.caption, source) if text)

    def __repr__(self) -> str:
        return f"<Chart: {self.alt[:80]}>"


def finish_chart(
    figure: Figure,
    *,
    title: str,
    source: str,
    alt: str,
    caption: str = "",
    ax=None,
    wrap: int = 64,
    below=None,
    data=None,
) -> Chart:
    """Make a drawn figure a report's chart: title, source line, alt text and caption.

    The ``plot_*`` functions draw; this is the separate step that gives the drawing what a
    published chart needs.

    Parameters
    ----------
    figure : matplotlib.figure.Figure
        The drawing, e.g. ``ax.figure`` after a ``plot_*`` function.
    title : str
        French title: the axes' title when ``ax`` is given, else the figure's, on the left.
    source : str
        Text after "Source :", written under the chart.
    alt : str
        Alternative text (what the chart shows, with its main values).
    caption : str
        "Champ / Lecture" text under the chart.
    ax : matplotlib.axes.Axes, optional
        Axes that carries the title (a single-panel chart).
    wrap : int, default 64
        Longest line of the title, in characters.
    below : matplotlib.artist.Artist, optional
        Artist under which the source line goes (a map's legend), else the figure's bottom.
    data : pandas.DataFrame or pandas.Series, optional
        The numbers drawn, kept on the chart (:attr:`Chart.data`).

    Returns
    -------
    Chart

    Examples
    --------
    >>> import analysis as an
    >>> series = an.insee_industry_series(an.Datasets())["32"].dropna()
    >>> with an.theme():
    ...     ax = an.plot_index(an.base_100(series).to_frame("Hauts-de-France"),
    ...                        base_label="4e trimestre 2010")
    ...     chart = an.finish_chart(ax.figure, title="Emploi industriel", ax=ax,
    ...                             source="Insee", alt="Indice de l'emploi industriel")
    >>> chart.png()[1:4]
    b'PNG'
    """
    title = _ranges(title)
    if ax is not None:
        ax.set_title(_wrap_title(title, wrap), loc="left")
    else:
        figure.suptitle(_wrap_title(title, wrap), x=0.0, ha="left", fontweight="bold", fontsize=13)
    _source(figure, source, below)
    return Chart(figure, alt, caption, data, " ".join(title.split()), source)


def _new_axes(ax, width: float, height: float):
    """Return ``ax``, or the axes of a new pyplot figure of that size (shown in a notebook)."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    figure = plt.figure(figsize=(width, height), layout="constrained")
    return figure.add_subplot()


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


def plot_index(
    frame: pd.DataFrame,
    *,
    ax=None,
    base_label: str | None = None,
    colours: dict[str, object] | None = None,
    provisional_from: pd.Period | str | None = INSEE_PROVISIONAL_FROM,
    annotate_gap: str | None = None,
):
    """Draw lines of base-100 indexes, one per column of ``frame``.

    A quarterly index has a tick at its first point (the base quarter), then one a year
    on the same quarter (``"T4 2010"``, ``"T4 2011"``...); its provisional quarters are
    drawn dashed over a grey band named in the legend. An annual index with missing years
    is dashed across each gap.

    Parameters
    ----------
    frame : pandas.DataFrame
        Index the periods (``pandas.Period`` or years), one column per area (its French
        name), values already indexed to 100 (:func:`analysis.metrics.base_100`).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; by default those of a new figure (8 x 4.5 in).
    base_label : str, optional
        The base period in French (``"4e trimestre 2010"``), shown on the y axis.
    colours : dict, optional
        Column -> colour. By default, with one or two columns, the first is the region
        (dark blue) and the second France (orange); with more, the columns take
        :data:`SERIES_COLOURS` in order. A column without a colour, or whose colour a
        reader could confuse with an earlier column's (:func:`distinct_colours`), takes
        the next distinct one: every line has its own colour.
    provisional_from : pandas.Period or str, optional
        First provisional period of a quarterly (``PeriodIndex``) index: by default
        INSEE's, the 1st quarter of 2019; ``None`` when no period is provisional; a string
        is read by :func:`analysis.quarter` (``"2019T1"``). Not used for an annual index.
    annotate_gap : str, optional
        A note drawn on the chart for a gap in the series: over the widest gap between two
        years (else in the right part of the chart), where it is clear of every line and
        of the legend; on two lines (after ``" : "``) when it is wider than the gap.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import analysis as an
    >>> series = an.insee_industry_series(an.Datasets())[["32", "FR"]].loc["2015Q4":]
    >>> frame = series.apply(an.base_100).rename(columns={"32": "Hauts-de-France", "FR": "France"})
    >>> with an.theme():
    ...     ax = an.plot_index(frame, base_label="4e trimestre 2015", provisional_from="2019T1")
    >>> [line.get_label() for line in ax.get_legend().get_lines()]
    ['Hauts-de-France', 'France']
    >>> ax.get_ylabel()
    'indice base 100 au 4e trimestre 2015'
    """
    ax = _new_axes(ax, 8.0, 4.5)
    if colours is None:
        defaults = [REGION_COLOUR, FRANCE_COLOUR] if len(frame.columns) <= 2 else SERIES_COLOURS
        colours = dict(zip(frame.columns, defaults, strict=False))
    line_colours = dict(
        zip(
            frame.columns,
            distinct_colours([colours.get(column, OTHER_COLOUR) for column in frame.columns]),
            strict=True,
        )
    )
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
        start = quarter(provisional_from).start_time
        flags = np.array([period.start_time >= start for period in x])
        if flags.any():
            first_provisional = int(np.argmax(flags))
    for column in frame.columns:
        values = frame[column].to_numpy(dtype=float)
        style = {
            "color": line_colours[column],
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
    ax.set_ylabel(
        f"indice base 100 {_base_phrase(base_label)}" if base_label else "indice base 100"
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
    legend = ax.legend(frameon=False, loc="best")
    if annotate_gap:
        numbers = mdates.date2num(positions) if periodic else np.asarray(positions, dtype=float)
        _place_note(ax, legend, annotate_gap, _widest_gap(numbers))
    return ax


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
    """Return the report's chart of base-100 indexes (:func:`plot_index`, finished).

    Parameters
    ----------
    frame, base_label, colours, provisional_from, annotate_gap
        As :func:`plot_index`.
    title : str
        French title, which says what is measured.
    source : str
        Text after "Source :".
    caption : str
        "Champ / Lecture" text under the chart.

    Returns
    -------
    Chart
        Its alt text gives each line's last value and where provisional quarters start.
    """
    title = _ranges(title)
    with theme():
        figure, ax = _figure()
        ax.set_title(_wrap_title(title, 64))  # before the gap's note is placed, as drawn
        plot_index(
            frame,
            ax=ax,
            base_label=base_label,
            colours=colours,
            provisional_from=provisional_from,
            annotate_gap=annotate_gap,
        )
    x = frame.index
    first_provisional = None
    if isinstance(x, pd.PeriodIndex) and provisional_from is not None:
        later = [i for i, period in enumerate(x) if period >= quarter(provisional_from)]
        first_provisional = later[0] if later else None
    last = frame.ffill().iloc[-1]
    alt = (
        f"{title}. Courbes en indice base 100 {_base_phrase(base_label)}. "
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
    return finish_chart(
        figure, title=title, source=source, alt=alt, caption=caption, ax=ax, data=frame
    )


def _widest_gap(positions: np.ndarray) -> tuple[float, float] | None:
    """Return the ends of an annual series' widest gap (years more than one apart), if any."""
    if len(positions) < 2:
        return None
    steps = np.diff(positions)
    widest = int(np.argmax(steps))
    if steps[widest] <= 1 or not np.isfinite(steps[widest]):
        return None
    return float(positions[widest]), float(positions[widest + 1])


def _clearance(box, obstacles, paths, frame) -> float:
    """Margin (pixels) by which ``box``, inside ``frame``, stays off paths and boxes; else -1."""
    inside = frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1
    for margin in (16.0, 10.0, 6.0, 3.0, 0.0) if inside else ():
        padded = box.padded(margin)
        if not any(path.intersects_bbox(padded, filled=False) for path in paths) and not any(
            padded.overlaps(other) for other in obstacles
        ):
            return margin
    return -1.0


def _place_note(ax, legend, note: str, gap: tuple[float, float] | None) -> Text:
    """Write ``note`` over ``gap`` (x data ends), clear of the lines and of the legend.

    The layout is computed once (``draw_without_rendering``) to measure the lines, the
    legend and the note where the PNG will show them; the legend is then pinned where it
    is, and the note tried at a column of heights over the middle of the gap (or, without
    a gap, at three places from the right), kept where it stays farthest from every line.
    """
    figure = ax.figure
    style = {"ha": "center", "va": "center", "fontsize": 9, "color": "#444", "style": "italic"}
    text = ax.text(0.0, 0.5, note, transform=ax.get_xaxis_transform(), visible=False, **style)
    figure.draw_without_rendering()
    frame = ax.get_window_extent()
    # Pin the legend where "best" put it (without the note): the note then avoids it.
    spot = legend.get_window_extent()
    legend.set_loc(tuple(ax.transAxes.inverted().transform((spot.x0, spot.y0))))
    paths = [line.get_transform().transform_path(line.get_path()) for line in ax.get_lines()]
    low, high = sorted(ax.get_xlim())
    if gap is not None:
        columns = [(gap[0] + gap[1]) / 2]
        room = abs(ax.transData.transform((gap[1], 0))[0] - ax.transData.transform((gap[0], 0))[0])
    else:
        columns = [low + (high - low) * share for share in (0.8, 0.5, 0.2)]
        room = frame.width * 0.3
    text.set_visible(True)
    wrapped = note.replace(" : ", " :\n", 1)
    if wrapped != note and text.get_window_extent().width > 0.9 * room:
        text.set_text(wrapped)
    heights = np.linspace(0.08, 0.92, 29)
    best = None
    for column in columns:
        scores = []
        for height in heights:
            text.set_position((column, height))
            scores.append(_clearance(text.get_window_extent(), [spot], paths, frame))
        top = max(scores)
        # The widest margin wins; among equal ones, the middle of the longest run of them.
        runs = [
            [i for i, _ in group]
            for key, group in itertools.groupby(enumerate(scores), key=lambda s: s[1] == top)
            if key
        ]
        run = max(runs, key=len)
        if best is None or top > best[0]:
            best = (top, column, heights[run[len(run) // 2]])
    text.set_position((best[1], float(best[2])))
    return text


def _branch_rows(branches: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """Rows with a level, largest first, and the seaborn options shared by both panels."""
    data = branches.dropna(subset=["employment"]).sort_values("employment", ascending=False)
    colours = [HIGHLIGHT_COLOUR if h else OTHER_COLOUR for h in data["highlighted"]]
    # One colour per branch (hue = the branch itself), the same in both panels.
    sectors = data["sector"].to_numpy()
    return data, {"y": sectors, "hue": sectors, "palette": colours, "legend": False}


def plot_branch_employment(branches: pd.DataFrame, *, ax=None):
    """Draw horizontal bars of employment by industrial branch, largest first.

    The branches that OPCO 2i follows (``highlighted``) are blue, the others grey. The x
    axis has at most :data:`BRANCH_TICKS` intervals between ticks, so that labels such as
    ``"20 000"`` never run into each other in a half-width panel.

    Parameters
    ----------
    branches : pandas.DataFrame
        :func:`analysis.indicators.branch_table`: ``sector``, ``employment``,
        ``highlighted``; rows without employment are left out.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; by default those of a new figure.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import analysis as an
    >>> table = an.branch_table(an.Datasets(), "32", 2023)
    >>> with an.theme():
    ...     ax = an.plot_branch_employment(table)
    >>> len(ax.patches) == int(table["employment"].notna().sum())
    True
    >>> ax.get_xlabel()
    'salariés'
    """
    data, same = _branch_rows(branches)
    ax = _new_axes(ax, 5.0, 0.32 * len(data) + 1.6)
    sns.barplot(x=data["employment"].to_numpy(), ax=ax, orient="h", **same)
    ax.set_title("Effectifs salariés")
    ax.set_xlabel("salariés")
    ax.set_ylabel("")
    _thousands(ax.xaxis)
    ax.xaxis.set_major_locator(MaxNLocator(BRANCH_TICKS, steps=[1, 2, 2.5, 5, 10]))
    return ax


def plot_specialisation(branches: pd.DataFrame, *, ax=None):
    """Draw each industrial branch's specialisation index, against 1 (France métropolitaine).

    Parameters
    ----------
    branches : pandas.DataFrame
        :func:`analysis.indicators.branch_table`: ``sector``, ``employment``,
        ``quotient``, ``highlighted``; rows without employment are left out.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; by default those of a new figure. Share the y axis of
        :func:`plot_branch_employment`'s axes to put the two panels side by side.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import analysis as an
    >>> table = an.branch_table(an.Datasets(), "32", 2023)
    >>> with an.theme():
    ...     ax = an.plot_specialisation(table)
    >>> ax.get_xlabel()
    "1 = même poids qu'en France métropolitaine"
    """
    data, same = _branch_rows(branches)
    ax = _new_axes(ax, 5.0, 0.32 * len(data) + 1.6)
    sns.scatterplot(x=data["quotient"].to_numpy(), ax=ax, s=70, **same)
    ax.axvline(1.0, color="#666", linestyle=":", linewidth=1)
    ax.set_title("Indice de spécialisation")
    ax.set_xlabel("1 = même poids qu'en France métropolitaine")
    ax.xaxis.set_major_formatter(FrenchTicks())
    # Short labels ("0,4"): one more interval than on the left fits.
    ax.xaxis.set_major_locator(MaxNLocator(BRANCH_TICKS + 1, steps=[1, 2, 2.5, 5, 10]))
    return ax


def branches_chart(branches: pd.DataFrame, *, title: str, source: str, caption: str = "") -> Chart:
    """Return the report's branches chart: employment and specialisation side by side.

    Parameters
    ----------
    branches : pandas.DataFrame
        :func:`analysis.indicators.branch_table`: ``sector``, ``employment``,
        ``quotient``, ``highlighted``.
    title, source, caption : str
        As :func:`finish_chart`.

    Returns
    -------
    Chart
    """
    title = _ranges(title)
    data, _ = _branch_rows(branches)
    with theme():
        figure, (left, right) = _figure(10.0, 0.32 * len(data) + 1.6, ncols=2, sharey=True)
        plot_branch_employment(branches, ax=left)
        plot_specialisation(branches, ax=right)
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
    return finish_chart(
        figure, title=title, source=source, alt=alt, caption=caption, wrap=200, data=branches
    )


def _partial_label(year: int, period: object) -> str:
    """Tick label of an incomplete year, on two lines: months abbreviated, then the year.

    ``"janvier-avril 2024"`` gives ``"janv.–avr."`` (a range: en dash) over ``"2024"``;
    without a period, ``"2024"`` over ``"(partiel)"``.
    """
    text = str(period) if isinstance(period, str) else ""
    months = text.removesuffix(str(year)).strip()
    if not months or months == "année":
        return f"{year}\n(partiel)"
    short = "\u2013".join(_MONTHS.get(month, month) for month in re.split("[-\u2013]", months))
    return f"{short}\n{year}"


#: Short labels of the apprenticeship series' breaks, by their ``source_break`` code
#: (:data:`analysis.indicators.SOURCE_BREAKS`).
BREAK_LABELS = {"poem_deca": "PoEm → DECA", "etalab_ditp": "Etalab → DITP"}
_SOURCE_NAMES = {"etalab": "Etalab", "ditp": "DITP", "poem": "PoEm", "deca": "DECA"}


def _series_breaks(data: pd.DataFrame, breaks) -> list[tuple[int, int, str]]:
    """Return the breaks of an apprenticeship history: (year before, year after, label).

    Given ``breaks`` win. Otherwise each row with a ``source_break`` code is a break
    from the year before, labelled from :data:`BREAK_LABELS`; and so is every change of
    ``source`` between two rows that no code already marks.
    """
    if breaks is not None:
        return [(int(before), int(after), str(label)) for before, after, label in breaks]
    years = data["year"].astype(int).tolist()
    found: list[tuple[int, int, str]] = []
    if "source_break" in data.columns:
        for i, code in enumerate(data["source_break"]):
            if i and isinstance(code, str) and code:
                found.append((years[i - 1], years[i], BREAK_LABELS.get(code, code)))
    if "source" in data.columns:
        sources = data["source"].tolist()
        marked = {(before, after) for before, after, _ in found}
        for i in range(1, len(years)):
            if sources[i] != sources[i - 1] and (years[i - 1], years[i]) not in marked:
                names = [_SOURCE_NAMES.get(str(s), str(s)) for s in sources[i - 1 : i + 1]]
                found.append((years[i - 1], years[i], " → ".join(names)))
    return sorted(found)


@dataclass
class _YearAxis:
    """Where each year of an apprenticeship history sits, and what marks its x axis."""

    data: pd.DataFrame
    years: np.ndarray
    complete: np.ndarray
    positions: np.ndarray
    labels: list[str]
    shown: list[tuple[float, str, int, int]]

    @classmethod
    def of(cls, history: pd.DataFrame, breaks) -> _YearAxis:
        data = history.sort_values("year").reset_index(drop=True)
        # The columns of indicators.apprenticeship_by_year, under the chart's names.
        if "region_contracts" not in data.columns:
            data = data.assign(region_contracts=data["contracts"])
        if "region_change" not in data.columns:
            change = data["change_pct"]
            if "significant" in data.columns:
                change = change.where(data["significant"].astype(bool))
            data = data.assign(region_change=change)
        if "france_change" not in data.columns:
            data = data.assign(france_change=data["france_change_pct"])
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
        where = {int(year): i for i, year in enumerate(years)}
        shown = [
            ((positions[where[before]] + positions[where[after]]) / 2, label, before, after)
            for before, after, label in _series_breaks(data, breaks)
            if before in where and after in where
        ]
        return cls(data, years, complete, positions, labels, shown)

    def bars(self, ax, x, values, colour, *, width, label=None) -> None:
        """Bars of complete years filled, of an incomplete one hatched."""
        for full in (True, False):
            chosen = self.complete == full
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

    def mark(self, ax) -> None:
        """Draw the breaks (dashed, named on top), the seam before an incomplete year, ticks."""
        for x, *_ in self.shown:
            ax.axvline(x, color="#666", linestyle="--", linewidth=1)
        if self.shown:
            _name_breaks(ax, [x for x, *_ in self.shown], [label for _, label, *_ in self.shown])
        complete = self.complete
        for i in range(1, len(self.years)):
            if complete[i] != complete[i - 1]:
                x = (self.positions[i - 1] + self.positions[i]) / 2
                ax.axvline(x, color="#333", linestyle=":", linewidth=1.2)
        ax.set_xticks(self.positions, self.labels)
        ax.set_xlabel("")

    def keys(self) -> list:
        """Legend entries of the marks: a change of source, an incomplete year."""
        extra = []
        if self.shown:
            extra.append(
                Line2D(
                    [], [], color="#666", linestyle="--", linewidth=1, label="changement de source"
                )
            )
        if (~self.complete).any():
            extra.append(
                Patch(
                    facecolor="white",
                    edgecolor="#555",
                    hatch=PARTIAL_HATCH,
                    label="année incomplète (comparée aux mêmes mois)",
                )
            )
        return extra


def plot_apprenticeship_contracts(
    history: pd.DataFrame, *, ax=None, breaks: Sequence[tuple[int, int, str]] | None = None
):
    """Draw the new apprenticeship contracts of each year, as bars with their values.

    An incomplete year (``complete`` false) stands apart: after a gap and a dotted
    separator, in a hatched bar, its tick naming its months (``"janv.–avr."``). Each break
    in the series (a change of source or of collection system) is a dashed line, named
    over the panel in short (``"PoEm → DECA"``).

    Parameters
    ----------
    history : pandas.DataFrame
        :func:`analysis.indicators.apprenticeship_by_year`, or any frame with columns
        ``year``, ``contracts`` (or ``region_contracts``), ``complete``, ``source``;
        optional ``period``
        (``"janvier-avril 2024"``), which names the months of an incomplete year, and
        ``source_break`` (``"poem_deca"``, ``"etalab_ditp"``, else empty).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; by default those of a new figure.
    breaks : sequence of (int, int, str), optional
        The series' breaks, each as (year before, year after, short label); ``[]`` for
        none. By default, from the ``source_break`` column (labels from
        :data:`BREAK_LABELS`), and wherever ``source`` changes without a code.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import analysis as an
    >>> history = an.apprenticeship_by_year(an.Datasets(), "32")
    >>> with an.theme():
    ...     ax = an.plot_apprenticeship_contracts(history)
    >>> ax.get_ylabel()
    'nombre de contrats'
    >>> len(ax.patches) == int(history["contracts"].notna().sum())
    True
    """
    axis = _YearAxis.of(history, breaks)
    ax = _new_axes(ax, 5.5, 4.5)
    contracts = axis.data["region_contracts"].to_numpy(dtype=float)
    axis.bars(ax, axis.positions, contracts, REGION_COLOUR, width=0.8)
    for x, value in zip(axis.positions, contracts, strict=True):
        if np.isfinite(value):
            ax.annotate(
                french.number(value),
                (x, value),
                ha="center",
                va="bottom",
                fontsize=8,
                xytext=(0, 2),
                textcoords="offset points",
            )
    ax.set_title("Nouveaux contrats")
    ax.set_ylabel("nombre de contrats")
    _thousands(ax.yaxis)
    ax.margins(y=0.12)
    axis.mark(ax)
    return ax


def plot_apprenticeship_change(
    history: pd.DataFrame,
    *,
    region_name: str = "Région",
    ax=None,
    breaks: Sequence[tuple[int, int, str]] | None = None,
    legend: bool = True,
):
    """Draw the year-on-year change of new apprenticeship contracts, the area's and France's.

    The change of an incomplete year compares the same months a year before; a change on
    a base too small to mean anything is marked "n.s."; breaks and an incomplete year are
    marked as in :func:`plot_apprenticeship_contracts`.

    Parameters
    ----------
    history : pandas.DataFrame
        :func:`analysis.indicators.apprenticeship_by_year`: columns ``year``,
        ``complete``, ``source``, ``contracts``, ``change_pct`` and ``france_change_pct``
        (percent, missing where not comparable), ``significant`` (false where the area's
        change rests on too small a base: marked "n.s." and not drawn); or the same with
        ``region_contracts``, ``region_change`` and ``france_change``.
    region_name : str, default "Région"
        The area's name in the legend; ``"France"`` draws France alone.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; by default those of a new figure.
    breaks : sequence of (int, int, str), optional
        As :func:`plot_apprenticeship_contracts`.
    legend : bool, default True
        Draw the legend on the axes (the report draws one under both panels instead).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import analysis as an
    >>> history = an.apprenticeship_by_year(an.Datasets(), "32")
    >>> with an.theme():
    ...     ax = an.plot_apprenticeship_change(history, region_name="Hauts-de-France")
    >>> [text.get_text() for text in ax.get_legend().get_texts()][:2]
    ['Hauts-de-France', 'France']
    """
    axis = _YearAxis.of(history, breaks)
    ax = _new_axes(ax, 5.5, 4.5)
    data, positions = axis.data, axis.positions
    contracts = data["region_contracts"].to_numpy(dtype=float)
    width = 0.38
    series = [(region_name, "region_change", REGION_COLOUR, -width / 2)]
    if region_name != "France":
        series.append(("France", "france_change", FRANCE_COLOUR, width / 2))
    for label, column, colour, shift in series:
        offset = shift if len(series) > 1 else 0.0
        axis.bars(
            ax,
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
            ax.annotate(
                "n.s.",
                (x + offset, 0.0),
                xytext=(0, 2),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=7,
                color="#444",
            )
    ax.axhline(0, color="#333", linewidth=0.8)
    ax.set_title("Évolution sur un an")
    ax.set_ylabel("évolution sur un an, en %")
    ax.yaxis.set_major_formatter(FrenchTicks())
    ax.margins(y=0.08)
    axis.mark(ax)
    if legend:
        handles, names = _change_legend(ax, axis, len(series))
        if handles:
            ax.legend(handles, names, frameon=False, loc="best")
    return ax


def _change_legend(ax, axis: _YearAxis, count: int) -> tuple[list, list[str]]:
    handles, names = ax.get_legend_handles_labels()
    if count == 1:  # France alone: its colour is the bars', no entry needed
        handles, names = [], []
    extra = axis.keys()
    return handles + extra, names + [h.get_label() for h in extra]


def apprenticeship_chart(
    history: pd.DataFrame,
    *,
    region_name: str,
    title: str,
    source: str,
    caption: str = "",
    breaks: Sequence[tuple[int, int, str]] | None = None,
) -> Chart:
    """Return the report's apprenticeship chart: contracts and their change side by side.

    The legend is the figure's, under both panels, so that it covers no bar or title.

    Parameters
    ----------
    history, breaks
        As :func:`plot_apprenticeship_contracts` and :func:`plot_apprenticeship_change`.
    region_name : str
        The region's name (``"France"`` for France alone).
    title, source, caption : str
        As :func:`finish_chart`.

    Returns
    -------
    Chart
        Its alt text gives each year's contracts and the breaks of the series.
    """
    title = _ranges(title)
    axis = _YearAxis.of(history, breaks)
    with theme():
        # Two panels over a strip that holds the legend: the legend lives in the layout, so
        # it covers neither bars nor titles, and moves with the panels when cropped.
        figure = Figure(figsize=(10.0, 4.8), layout="constrained")
        grid = figure.add_gridspec(2, 2, height_ratios=[1.0, 0.06])
        left, right = figure.add_subplot(grid[0, 0]), figure.add_subplot(grid[0, 1])
        strip = figure.add_subplot(grid[1, :])
        strip.set_axis_off()
        plot_apprenticeship_contracts(history, ax=left, breaks=breaks)
        plot_apprenticeship_change(
            history, region_name=region_name, ax=right, breaks=breaks, legend=False
        )
        handles, names = _change_legend(right, axis, 1 if region_name == "France" else 2)
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
    contracts = axis.data["region_contracts"].to_numpy(dtype=float)
    alt = (
        f"{title}. "
        + " ; ".join(
            f"{year} : {french.number(value)}" + ("" if full else " (année incomplète)")
            for year, value, full in zip(axis.years, contracts, axis.complete, strict=True)
        )
        + "."
        + (
            " Ruptures de série, en tirets : "
            + " ; ".join(f"entre {a} et {b} ({label})" for _, label, a, b in axis.shown)
            + "."
            if axis.shown
            else ""
        )
    )
    return finish_chart(
        figure, title=title, source=source, alt=alt, caption=caption, wrap=200, data=history
    )


def _name_breaks(ax, xs: list[float], labels: list[str]) -> None:
    """Name each break over the panel, as a tick label of a secondary top axis.

    Above the plotting area, the names cover no bar and no value; the panel's title moves
    up over them (Matplotlib does so for an axis with labels on top).
    """
    top = ax.secondary_xaxis("top")
    top.set_xticks(xs, labels)
    top.tick_params(axis="x", length=0, pad=2, labelsize=8, labelcolor="#444")
    for spine in top.spines.values():
        spine.set_visible(False)


def plot_shift_share(totals: dict[str, float], *, ax=None):
    """Draw horizontal bars of the shift-share effects and the actual change, in jobs.

    Parameters
    ----------
    totals : dict
        French label -> jobs, in display order (the effects, then the observed change,
        drawn in the region's blue); see :func:`analysis.indicators.decomposition_summary`.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; by default those of a new figure.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import analysis as an
    >>> with an.theme():
    ...     ax = an.plot_shift_share({"Effet national": 1200.0, "Effet de structure": -300.0,
    ...                               "Effet local": 450.0, "Évolution observée": 1350.0})
    >>> [label.get_text() for label in ax.get_yticklabels()]
    ['Évolution observée', 'Effet local', 'Effet de structure', 'Effet national']
    """
    ax = _new_axes(ax, 8.0, 3.2)
    labels = list(totals)
    values = np.array([totals[k] for k in labels], dtype=float)
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
    ax.set_xlabel("emplois salariés")
    _thousands(ax.xaxis)
    ax.margins(x=0.25)
    return ax


def shift_share_chart(
    totals: dict[str, float], *, title: str, source: str, caption: str = ""
) -> Chart:
    """Return the report's shift-share chart (:func:`plot_shift_share`, finished).

    Parameters
    ----------
    totals : dict
        As :func:`plot_shift_share`.
    title, source, caption : str
        As :func:`finish_chart`.

    Returns
    -------
    Chart
    """
    title = _ranges(title)
    with theme():
        figure, ax = _figure(8.0, 3.2)
        plot_shift_share(totals, ax=ax)
    alt = (
        f"{title}. "
        + " ; ".join(f"{label} : {french.signed_number(v)} emplois" for label, v in totals.items())
        + "."
    )
    return finish_chart(
        figure,
        title=title,
        source=source,
        alt=alt,
        caption=caption,
        ax=ax,
        wrap=60,
        data=pd.Series(totals, dtype=float),
    )


def plot_ranking(
    values: pd.Series,
    *,
    ax=None,
    highlight: str | None = None,
    unit: str = "",
    decimals: int = 0,
    reference: tuple[str, float] | None = None,
):
    """Draw horizontal bars of one indicator by area, smallest at the bottom, ``highlight`` blue.

    Each value is written just outside its bar's end: right of a positive bar, left of a
    negative one. A value that the reference line would cross moves past the line, on the
    same side; the line's own label has a row of its own under the bars. The x axis widens
    when a value would stick out of the chart.

    Parameters
    ----------
    values : pandas.Series
        Indexed by area *name*; missing values are left out.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; by default those of a new figure.
    highlight : str, optional
        Name of the area drawn in blue (the others are grey).
    unit : str
        Label of the x axis (what is measured, with its unit).
    decimals : int, default 0
        Decimals of the values written by the bars.
    reference : (str, float), optional
        A vertical line (for France), with its label.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import analysis as an
    >>> levels = an.employment_table(an.Datasets(), 2019)[1]
    >>> names = an.read_regions().set_index("region")["name"]
    >>> shares = levels["share_pct"].drop("FR").rename(names)
    >>> with an.theme():
    ...     ax = an.plot_ranking(shares, highlight="Hauts-de-France", unit="%", decimals=1)
    >>> ax.get_yticklabels()[-1].get_text()  # the highest share, at the top
    'Bourgogne-Franche-Comté'
    """
    data = values.dropna().sort_values(ascending=True)
    height = 0.3 * len(data) + 1.4 + (0.3 if reference is not None else 0.0)
    ax = _new_axes(ax, 8.0, height)
    colours = [REGION_COLOUR if name == highlight else OTHER_COLOUR for name in data.index]
    ax.barh(list(data.index), data.to_numpy(dtype=float), color=colours)
    labels = []
    for y, value in enumerate(data):
        outward = 1 if value >= 0 else -1
        labels.append(
            ax.annotate(
                french.number(value, decimals),
                (value, y),
                xytext=(3 * outward, 0),
                textcoords="offset points",
                ha="left" if outward > 0 else "right",
                va="center",
                fontsize=8,
            )
        )
    line = note = None
    if reference is not None:
        line = ax.axvline(reference[1], color=FRANCE_COLOUR, linestyle="--", linewidth=1.5)
        # In a row of its own under the bars: no value label can meet it.
        note = ax.annotate(
            f"{reference[0]} : {french.number(reference[1], decimals)}",
            (reference[1], -1.0),
            xytext=(4, 0),
            textcoords="offset points",
            color=FRANCE_COLOUR,
            fontsize=9,
            ha="left",
            va="center",
        )
        ax.set_ylim(-1.6, len(data) - 0.4)
    ax.set_xlabel(unit)
    ax.xaxis.set_major_formatter(FrenchTicks())
    ax.margins(x=0.12)
    _place_values(ax, labels, line, note)
    return ax


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
    """Return the report's ranking of the regions (:func:`plot_ranking`, finished).

    Parameters
    ----------
    values, highlight, unit, decimals, reference
        As :func:`plot_ranking`.
    title, source, caption : str
        As :func:`finish_chart`.

    Returns
    -------
    Chart
        Its alt text ranks the areas and names those without a value.
    """
    title = _ranges(title)
    data = values.dropna()
    missing = [name for name in values.index if pd.isna(values[name])]
    with theme():
        figure, ax = _figure(8.0, 0.3 * len(data) + 1.4 + (0.3 if reference is not None else 0.0))
        ax.set_title(_wrap_title(title, 60))  # before the values are placed, as drawn
        plot_ranking(
            values, ax=ax, highlight=highlight, unit=unit, decimals=decimals, reference=reference
        )
    ordered = data.sort_values(ascending=False)
    alt = (
        f"{title}. Classement des régions, de la première à la dernière : "
        + ", ".join(f"{name} ({french.number(v, decimals)})" for name, v in ordered.items())
        + "."
        + (f" Non disponible : {', '.join(missing)}." if missing else "")
    )
    return finish_chart(
        figure, title=title, source=source, alt=alt, caption=caption, ax=ax, wrap=60, data=values
    )


def _place_values(ax, labels: list[Annotation], line, note) -> None:
    """Move value labels off the reference ``line`` and widen the x axis to hold them all.

    Measured on the layout the PNG will have (``draw_without_rendering``): a label that
    the line crosses moves past it, on its own side (it stays outside its bar's end); the
    line's label ``note`` turns to the line's left when it would stick out on the right;
    the x limits then grow until every label lies inside the axes, and the check starts
    again on the new scale.
    """
    figure = ax.figure
    shown = [*labels, *([note] if note is not None else [])]
    for _ in range(5):
        figure.draw_without_rendering()
        frame = ax.get_window_extent()
        if line is not None:
            at = float(np.atleast_1d(line.get_xdata())[0])
            x = ax.transData.transform((at, 0))[0]
            reach = line.get_linewidth() * DPI / 72 / 2 + 2
            for label in labels:
                box = label.get_window_extent()
                if box.x0 - reach < x < box.x1 + reach:
                    label.xy = (at, label.xy[1])
                    label.set_position((4 if label.get_ha() == "left" else -4, 0))
            if note.get_ha() == "left" and note.get_window_extent().x1 > frame.x1:
                note.set_ha("right")
                note.set_position((-4, 0))
        boxes = [label.get_window_extent() for label in shown]
        left = max([frame.x0 - box.x0 for box in boxes] + [0.0])
        right = max([box.x1 - frame.x1 for box in boxes] + [0.0])
        if left <= 0 and right <= 0:
            return
        low, high = ax.get_xlim()
        per_pixel = (high - low) / frame.width
        ax.set_xlim(
            low - (left + 6) * per_pixel if left > 0 else low,
            high + (right + 6) * per_pixel if right > 0 else high,
        )


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


def _class_legend(
    ax,
    colours,
    labels: list[str],
    title: str,
    *,
    missing: bool,
    not_significant: bool = False,
    below: float = 0.0,
):
    """Draw a map's legend under ``ax``: one patch per class, then "n.d." and "n.s." if used."""
    handles = [
        Patch(facecolor=colour, edgecolor="white", label=label)
        for colour, label in zip(colours, labels, strict=False)
    ]
    if missing:
        handles.append(
            Patch(
                facecolor=MISSING_COLOUR,
                edgecolor="#999",
                hatch=MISSING_HATCH,
                label=f"{french.NOT_AVAILABLE} : non disponible",
            )
        )
    if not_significant:
        handles.append(
            Patch(
                facecolor="white",
                edgecolor="#777",
                hatch=NOT_SIGNIFICANT_HATCH,
                label="n.s. : non significatif",
            )
        )
    return ax.legend(
        handles=handles,
        title=title,
        loc="upper center",
        bbox_to_anchor=(0.5, below),
        ncol=min(3, len(handles)) if handles else 1,
        frameon=False,
        fontsize=9,
        title_fontsize=10,
        handlelength=1.8,
        handleheight=1.2,
    )


def _scale_text(labels: list[str], legend: str) -> str:
    """Describe a map's classes for its alt text: "en 5 classes (legend) : a ; b ; ..."."""
    if len(labels) > 1:
        return f"en {len(labels)} classes ({legend}) : " + " ; ".join(labels)
    if labels:
        return f"({legend}) : " + " ; ".join(labels)
    return f"({legend}) : aucune valeur disponible"


@dataclass
class _MapKey:
    """What a drawn map says: its rows (values, classes), class labels, legend and texts."""

    data: pd.DataFrame
    labels: list[str]
    legend: object
    text: object


def _region_classes(shapes, values, not_significant, *, legend, decimals, diverging, classes, unit):
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
    printed = np.round(shown.dropna().to_numpy(dtype=float), decimals)
    labels = class_labels(bounds, decimals=decimals, unit=unit, printed=printed)
    return data, colours, labels


def _draw_region_map(
    values,
    *,
    shapes,
    ax,
    overseas_axes,
    highlight,
    legend,
    decimals,
    diverging,
    not_significant,
    classes,
    unit,
) -> _MapKey:
    data, colours, labels = _region_classes(
        shapes,
        values,
        not_significant,
        legend=legend,
        decimals=decimals,
        diverging=diverging,
        classes=classes,
        unit=unit,
    )
    overseas = [code for code in ("01", "02", "03", "04", "06") if code in set(data["region"])]
    if overseas_axes is None:
        # Insets down the right side of the axes, as the report's grid has them.
        height = 1.0 / 5
        overseas_axes = [
            ax.inset_axes([1.02, 1.0 - (i + 1) * height, 0.3, height * 0.9])
            for i in range(len(overseas))
        ]
    missing_style = {"color": MISSING_COLOUR, "edgecolor": "#999", "hatch": MISSING_HATCH}
    ns_style = {"color": "white", "edgecolor": "#777", "hatch": NOT_SIGNIFICANT_HATCH}

    def text(row) -> str:
        if row["ns"]:
            return "n.s."
        return french.number(row["value"], decimals)

    def draw(axes, rows):
        known = rows[rows["klass"] >= 0]
        if len(known):
            known.plot(
                ax=axes,
                color=[colours[k] for k in known["klass"]],
                edgecolor="white",
                linewidth=0.6,
            )
        for chosen, style in ((rows["value"].isna(), missing_style), (rows["ns"], ns_style)):
            if chosen.any():
                rows[chosen].plot(ax=axes, linewidth=0.6, **style)
        outlined = rows[rows["region"] == highlight]
        if len(outlined):
            outlined.boundary.plot(ax=axes, color="#d62728", linewidth=2.4)
        axes.set_axis_off()

    metro = data[~data["region"].isin(overseas)].to_crs(2154)
    draw(ax, metro)
    for inset, code in zip(overseas_axes, overseas, strict=False):
        row = data[data["region"] == code]
        draw(inset, row)
        inset.set_title(
            f"{row['name'].iloc[0]}\n{text(row.iloc[0])}",
            fontsize=8,
            fontweight="normal",
            loc="center",
        )
    for _, row in metro.iterrows():
        point = row.geometry.representative_point()
        ax.annotate(
            text(row),
            (point.x, point.y),
            ha="center",
            va="center",
            fontsize=8,
            color="black",
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.75},
        )
    key = _class_legend(
        ax,
        colours,
        labels,
        legend,
        missing=data["value"].isna().any(),
        not_significant=data["ns"].any(),
        below=0.0,
    )
    return _MapKey(data, labels, key, text)


def plot_region_map(
    values: pd.Series,
    *,
    shapes,
    ax=None,
    overseas_axes=None,
    highlight: str | None = None,
    legend: str = "",
    decimals: int = 1,
    diverging: bool = False,
    not_significant: pd.Series | None = None,
    classes: int = 5,
    unit: str | None = None,
):
    """Draw a choropleth of the regions in classes, the overseas regions in insets.

    The regions are coloured by class (quantiles, rounded), not on a continuous scale, so
    that one extreme region does not wash out the others; the legend names each class's
    bounds the French way (``"8,0 à 12,0 %"``). A missing value is hatched ("n.d."), and so
    is a value flagged not significant, with its own hatch ("n.s."): neither takes part in
    the classes.

    Parameters
    ----------
    values : pandas.Series
        Indicator by region code; a missing value is hatched grey ("n.d.").
    shapes : geopandas.GeoDataFrame
        :func:`analysis.read_region_shapes` (``region``, ``name``, ``geometry``).
    ax : matplotlib.axes.Axes, optional
        Axes of the metropolitan map; by default those of a new figure.
    overseas_axes : sequence of matplotlib.axes.Axes, optional
        One per overseas region in the shapes (Guadeloupe, Martinique, Guyane, La Réunion,
        Mayotte, in that order); by default insets down the right side of ``ax``.
    highlight : str, optional
        Region code drawn with a thick red outline.
    legend : str
        Title of the legend (indicator and unit).
    decimals : int, default 1
        Decimals of the values printed on the map and of the class bounds.
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
    matplotlib.axes.Axes
        The metropolitan map's axes; its legend lists the classes.

    Examples
    --------
    >>> import analysis as an
    >>> levels = an.employment_table(an.Datasets(), 2019)[1]
    >>> with an.theme():
    ...     ax = an.plot_region_map(levels["share_pct"], shapes=an.read_region_shapes(),
    ...                             highlight="32", legend="Part de l'industrie (%)")
    >>> for text in ax.get_legend().get_texts():
    ...     print(text.get_text())
    5,0 à moins de 7,0 %
    7,0 à moins de 9,0 %
    9,0 à moins de 14,0 %
    14,0 à moins de 16,0 %
    16,0 à 18,0 %
    n.d. : non disponible
    """
    ax = _new_axes(ax, 8.0, 6.6)
    _draw_region_map(
        values,
        shapes=shapes,
        ax=ax,
        overseas_axes=overseas_axes,
        highlight=highlight,
        legend=legend,
        decimals=decimals,
        diverging=diverging,
        not_significant=not_significant,
        classes=classes,
        unit=unit,
    )
    return ax


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
    """Return the report's map of the regions (:func:`plot_region_map`, finished).

    Parameters
    ----------
    shapes, values, highlight, legend, decimals, diverging, not_significant, classes, unit
        As :func:`plot_region_map`.
    title, source, caption : str
        As :func:`finish_chart`.

    Returns
    -------
    Chart
        Its alt text names the classes and every region's value.
    """
    title = _ranges(title)
    overseas = [c for c in ("01", "02", "03", "04", "06") if c in set(shapes["region"])]
    with theme():
        figure = Figure(figsize=(8.0, 6.6), layout="constrained")
        grid = figure.add_gridspec(5, 4, width_ratios=[1, 1, 1, 0.9])
        main = figure.add_subplot(grid[:, :3])
        insets = [figure.add_subplot(grid[i, 3]) for i in range(len(overseas))]
        drawn = _draw_region_map(
            values,
            shapes=shapes,
            ax=main,
            overseas_axes=insets,
            highlight=highlight,
            legend=legend,
            decimals=decimals,
            diverging=diverging,
            not_significant=not_significant,
            classes=classes,
            unit=unit,
        )
    data, text = drawn.data, drawn.text
    named = data.set_index("region")
    scale = _scale_text(drawn.labels, legend)
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
    return finish_chart(
        figure,
        title=textwrap.fill(title, 55),
        source=source,
        alt=alt,
        caption=caption,
        ax=main,
        wrap=10_000,
        below=drawn.legend,
        data=values,
    )


#: Projection of each overseas département (UTM zone of its local geodetic frame); the
#: metropolitan départements take Lambert-93 (EPSG:2154).
_OVERSEAS_CRS = {"971": 5490, "972": 5490, "973": 2972, "974": 2975, "976": 4471}
_LABEL_STYLE = {
    "ha": "center",
    "va": "center",
    "fontsize": 8,
    "color": "black",
    "linespacing": 1.1,
    "bbox": {"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.75},
}


def _departement_crs(codes) -> int:
    """Lambert-93 for metropolitan départements, the local UTM zone for one overseas."""
    local = {_OVERSEAS_CRS.get(code) for code in codes}
    if local == {None}:
        return 2154
    return local.pop() if len(local) == 1 else 4326


def _short_name(name: str, width: int = 14) -> str:
    """Break a long name in two at the hyphen or space nearest its middle."""
    cuts = [i for i, char in enumerate(name) if char in "- "]
    if len(name) <= width or not cuts:
        return name
    cut = min(cuts, key=lambda i: abs(i - len(name) / 2))
    return name[: cut + 1].rstrip() + "\n" + name[cut + 1 :]


def _spread(targets: list[float], heights: list[float], low: float, high: float) -> list[float]:
    """Centres near ``targets`` (sorted) that keep boxes of ``heights`` apart, in [low, high]."""
    centres = list(targets)
    for _ in range(50):
        moved = False
        for i in range(1, len(centres)):
            gap = (heights[i - 1] + heights[i]) / 2 - (centres[i] - centres[i - 1])
            if gap > 1e-9:
                centres[i - 1] -= gap / 2
                centres[i] += gap / 2
                moved = True
        shift_up = max(0.0, low + heights[0] / 2 - centres[0]) if centres else 0.0
        shift_down = max(0.0, centres[-1] + heights[-1] / 2 - high) if centres else 0.0
        centres = [c + shift_up - shift_down for c in centres]
        if not moved and not shift_up and not shift_down:
            break
    return centres


def _label_departements(ax, data, texts: list[str]) -> list[Annotation]:
    """Label each département inside it, or beside the map with a leader line.

    The larger départements are labelled first, each at the first spot of
    :func:`_label_spots` where its label lies mostly (70 %) inside it, hides at most a
    third of it, and stays clear of the labels already placed and of the leader lines; a
    département without such a spot is labelled beside the map (left or right, on its
    side). The layout is measured as the PNG will have it
    (``draw_without_rendering``) again after each move, since labels beside the map shrink
    it: at most as many times as there are départements.
    """
    from shapely.geometry import LineString
    from shapely.geometry import box as rectangle

    spots = [_label_spots(geometry) for geometry in data.geometry]
    points = [spot[0] for spot in spots]
    order = np.argsort(-data.geometry.area.to_numpy())
    outside: set[int] = set()
    labels: list[Annotation] = []
    while True:
        for label in labels:
            label.remove()
        labels = _draw_labels(ax, texts, points, outside)
        to_data = ax.transData.inverted()
        # Leader lines, in pixels, from the labels beside the map to their départements.
        leaders = []
        for i in outside:
            extent = labels[i].get_bbox_patch().get_window_extent()
            start = extent.x1 if labels[i].get_horizontalalignment() == "right" else extent.x0
            leaders.append(
                LineString(
                    [(start, extent.y0 + extent.height / 2), ax.transData.transform(labels[i].xy)]
                )
            )
        placed, moved = [], set()
        for i in order:
            if i in outside:
                continue
            extent = labels[i].get_bbox_patch().get_window_extent()
            for spot in spots[i]:
                x, y = ax.transData.transform((spot.x, spot.y))
                box = extent.translated(
                    x - (extent.x0 + extent.x1) / 2, y - (extent.y0 + extent.y1) / 2
                )
                (x0, y0), (x1, y1) = to_data.transform([(box.x0, box.y0), (box.x1, box.y1)])
                shape = rectangle(x0, y0, x1, y1)
                geometry = data.geometry.iloc[i]
                fits = geometry.intersection(shape).area >= 0.7 * shape.area
                small = shape.area <= 0.35 * geometry.area  # the colour stays visible
                pixels = rectangle(box.x0, box.y0, box.x1, box.y1)
                clear = not any(box.overlaps(other) for other in placed) and not any(
                    line.intersects(pixels) for line in leaders
                )
                if fits and small and clear:
                    labels[i].xy = labels[i].xyann = (spot.x, spot.y)
                    placed.append(box)
                    break
            else:
                moved.add(int(i))
        if not moved:
            break
        outside |= moved
    return labels


def _label_spots(geometry, steps: int = 9) -> list:
    """Points inside ``geometry`` where a label may go, the most central first.

    The pole of inaccessibility of its largest part (farthest from the edges), then the
    points of a ``steps`` x ``steps`` grid that fall inside, nearest that pole first.
    """
    from shapely.geometry import Point
    from shapely.ops import polylabel

    parts = getattr(geometry, "geoms", [geometry])
    largest = max(parts, key=lambda part: part.area)
    x0, y0, x1, y1 = largest.bounds
    pole = polylabel(largest, tolerance=max(x1 - x0, y1 - y0) / 200)
    grid = [
        Point(x, y)
        for x in np.linspace(x0, x1, steps + 2)[1:-1]
        for y in np.linspace(y0, y1, steps + 2)[1:-1]
    ]
    inside = sorted((p for p in grid if largest.contains(p)), key=pole.distance)
    return [pole, *inside]


def _draw_labels(ax, texts: list[str], points, outside: set[int]) -> list[Annotation]:
    """Write the labels, those in ``outside`` in columns beside the map; lay the figure out."""
    (x_low, x_high), (y_low, y_high) = ax.get_xlim(), ax.get_ylim()
    labels = []
    for i, (text, point) in enumerate(zip(texts, points, strict=True)):
        if i not in outside:
            labels.append(ax.annotate(text, (point.x, point.y), **_LABEL_STYLE))
            continue
        left = (point.x - x_low) / (x_high - x_low) < 0.5
        labels.append(
            ax.annotate(
                text,
                (point.x, point.y),
                xytext=(-0.03 if left else 1.03, (point.y - y_low) / (y_high - y_low)),
                textcoords="axes fraction",
                arrowprops={"arrowstyle": "-", "color": "#555", "linewidth": 0.7, "shrinkB": 0},
                **(_LABEL_STYLE | {"ha": "right" if left else "left"}),
            )
        )
    ax.figure.draw_without_rendering()
    if not outside:
        return labels
    # Spread each column so that its labels do not overlap, near their départements.
    height = ax.get_window_extent().height
    for side in ("left", "right"):
        column = sorted(
            (i for i in outside if labels[i].get_horizontalalignment() == side),
            key=lambda i: labels[i].xyann[1],
        )
        if not column:
            continue
        sizes = [
            (labels[i].get_bbox_patch().get_window_extent().height + 6) / height for i in column
        ]
        centres = _spread([labels[i].xyann[1] for i in column], sizes, 0.0, 1.0)
        for i, centre in zip(column, centres, strict=True):
            labels[i].xyann = (labels[i].xyann[0], centre)
    ax.figure.draw_without_rendering()
    return labels


def _draw_departement_map(values, *, shapes, ax, highlight, legend, decimals) -> _MapKey:
    data = shapes.assign(value=shapes["departement"].map(values).astype(float))
    data = data.to_crs(_departement_crs(data["departement"])).reset_index(drop=True)
    unit = "%" if "%" in legend else ""
    bounds = class_breaks(data["value"], classes=5, decimals=decimals)
    count = max(len(bounds) - 1, 0)
    # One class (one département, or equal values) takes the middle of the scale.
    steps = np.linspace(0.05, 0.95, count) if count > 1 else [0.5] * count
    colours = [mpl.colormaps[MAP_CMAP](p) for p in steps]
    rounded = np.round(data["value"].to_numpy(dtype=float), decimals)
    data = data.assign(
        klass=[int(classify([v], bounds)[0]) if np.isfinite(v) and count else -1 for v in rounded]
    )
    known = data[data["klass"] >= 0]
    if len(known):
        known.plot(
            ax=ax, color=[colours[k] for k in known["klass"]], edgecolor="white", linewidth=0.8
        )
    missing = data["value"].isna()
    if missing.any():
        data[missing].plot(
            ax=ax, color=MISSING_COLOUR, edgecolor="#999", hatch=MISSING_HATCH, linewidth=0.8
        )
    outlined = data[data["departement"] == highlight]
    if len(outlined):
        outlined.boundary.plot(ax=ax, color="#d62728", linewidth=2.4)
    ax.set_axis_off()

    def text(row) -> str:
        return french.number(row["value"], decimals)

    labels = class_labels(
        bounds, decimals=decimals, unit=unit, printed=rounded[np.isfinite(rounded)]
    )
    key = _class_legend(ax, colours, labels, legend, missing=missing.any(), below=-0.02)
    return _MapKey(data, labels, key, text)


def plot_departement_map(
    values: pd.Series,
    *,
    shapes,
    ax=None,
    highlight: str | None = None,
    legend: str = "",
    decimals: int = 1,
):
    """Draw a choropleth of a few départements (typically a region's) in classes, labelled.

    Coloured by class as :func:`plot_region_map` is (quantiles, rounded; a missing value
    hatched, "n.d."), each département labelled with its name and value: inside it when
    the label fits, else beside the map with a leader line (Paris and the small
    départements around it). Metropolitan départements are drawn in Lambert-93, an overseas
    one in the UTM zone of its local frame.

    Parameters
    ----------
    values : pandas.Series
        Indicator by département code; a missing value is hatched grey ("n.d.").
    shapes : geopandas.GeoDataFrame
        Outlines of the départements to draw (``departement``, ``name``, ``geometry``), as
        :func:`analysis.read_departement_shapes`, EPSG:4326.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; by default those of a new figure.
    highlight : str, optional
        Département code outlined in red.
    legend : str
        Title of the legend (indicator and unit); ``"%"`` in it puts "%" after the bounds.
    decimals : int, default 1
        Decimals of the values printed on the map and of the class bounds.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import analysis as an
    >>> shapes = an.read_departement_shapes()
    >>> brittany = shapes[shapes["departement"].isin(["22", "29", "35", "56"])]
    >>> values = an.read_departements().set_index("departement")["region"].eq("53").astype(float)
    >>> with an.theme():
    ...     ax = an.plot_departement_map(values, shapes=brittany, highlight="35", legend="Test")
    >>> ax.get_legend().get_title().get_text()
    'Test'
    """
    ax = _new_axes(ax, 8.0, 6.6)
    drawn = _draw_departement_map(
        values, shapes=shapes, ax=ax, highlight=highlight, legend=legend, decimals=decimals
    )
    _label_departements(
        ax,
        drawn.data,
        [f"{_short_name(row['name'])}\n{drawn.text(row)}" for _, row in drawn.data.iterrows()],
    )
    return ax


def departement_map(
    shapes,
    values: pd.Series,
    *,
    highlight: str | None,
    title: str,
    legend: str,
    source: str,
    decimals: int = 1,
    caption: str = "",
) -> Chart:
    """Return the report's map of départements (:func:`plot_departement_map`, finished).

    Parameters
    ----------
    shapes, values, highlight, legend, decimals
        As :func:`plot_departement_map`.
    title, source, caption : str
        As :func:`finish_chart`.

    Returns
    -------
    Chart
        Its alt text names every département with its value.
    """
    title = _ranges(title)
    with theme():
        figure = Figure(figsize=(8.0, 6.6), layout="constrained")
        ax = figure.add_subplot()
        drawn = _draw_departement_map(
            values, shapes=shapes, ax=ax, highlight=highlight, legend=legend, decimals=decimals
        )
        ax.set_title(textwrap.fill(title, 70, break_on_hyphens=False), loc="left")
        _source(figure, source, below=drawn.legend)
        data, text = drawn.data, drawn.text
        _label_departements(
            ax, data, [f"{_short_name(row['name'])}\n{text(row)}" for _, row in data.iterrows()]
        )
    scale = _scale_text(drawn.labels, legend)
    named = data.set_index("departement")
    what = "du département" if len(data) == 1 else "des départements"
    alt = (
        f"{title}. Carte {what} {scale}. "
        + (
            f"Contour rouge : {named.loc[highlight, 'name']} ({text(named.loc[highlight])}). "
            if highlight in named.index
            else ""
        )
        + "Valeurs : "
        + ", ".join(f"{row['name']} {text(row)}" for _, row in data.iterrows()).removesuffix(".")
        + "."
    )
    return Chart(figure, alt, caption, values, title, source)
