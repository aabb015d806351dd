"""Metrics of regional statistics, as pure functions of numbers, Series and DataFrames.

Every rate is returned in **percent** (``7.3`` means 7.3 %), as publications print them;
ratios that are not percentages (an index, a location quotient) say so in their name.
No function here reads a file or formats a string: that is the job of the loaders and of
:mod:`analysis.french`.

Missing values are never guessed: a NaN input gives a NaN output (a total by
:func:`strict_sum` is NaN as soon as one of its parts is), except in :func:`shift_share`,
which refuses NaN because its three effects must add up exactly.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence

import numpy as np
import pandas as pd

Number = float | int

__all__ = [
    "annual_average_growth",
    "base_100",
    "contributions",
    "growth_rate",
    "location_quotient",
    "per_thousand",
    "rank",
    "shares",
    "shift_share",
    "strict_sum",
]


def growth_rate(end, start):
    """Return the growth rate from ``start`` to ``end``, in percent.

    Parameters
    ----------
    end, start : float or array-like
        Levels at the end and at the start of the period (same shape).

    Returns
    -------
    float or array-like
        ``(end / start - 1) * 100``; NaN where ``start`` is 0 or either level is NaN.

    Examples
    --------
    >>> import analysis as an
    >>> an.growth_rate(150, 120)
    25.0
    >>> an.growth_rate(5, 0)
    nan

    Private industrial employment in Hauts-de-France from 2019 to 2024, on the cells
    known at both dates:

    >>> urssaf = an.read_urssaf_employment(common_years=(2019, 2024))
    >>> industry = urssaf[urssaf["a5"] == "BE"]
    >>> jobs = industry.pivot_table(index="region", columns="year", values="employment",
    ...                             aggfunc="sum")
    >>> round(float(an.growth_rate(jobs.loc["32", 2024], jobs.loc["32", 2019])), 2)
    0.81

    On Series, region by region:

    >>> an.growth_rate(jobs[2024], jobs[2019]).round(2).loc[["11", "32", "84"]].tolist()
    [2.59, 0.81, 4.64]
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        start = _nan_where_zero(start)
        return (end / start - 1.0) * 100.0


def annual_average_growth(end, start, years: Number):
    """Return the annual average growth rate (compound) over ``years`` years, in percent.

    Parameters
    ----------
    end, start : float or array-like
        Levels at the end and at the start of the period.
    years : float
        Length of the period in years (> 0); ``2024 - 2019 = 5`` for 2019 to 2024.

    Returns
    -------
    float or array-like
        ``((end / start) ** (1 / years) - 1) * 100``.

    Raises
    ------
    ValueError
        If ``years`` is not positive.

    Examples
    --------
    >>> import analysis as an
    >>> round(an.annual_average_growth(121, 100, 2), 6)
    10.0

    INSEE's industrial employment in Hauts-de-France, end 2001 to end 2019 (18 years):

    >>> emp = an.read_insee_employment()
    >>> industry = emp[(emp["region"] == "32") & (emp["a5"] == "BE")]
    >>> jobs = industry.groupby("quarter")["employment"].sum()
    >>> start, end = jobs[an.quarter("2001T4")], jobs[an.quarter("2019T4")]
    >>> round(float(an.annual_average_growth(end, start, 2019 - 2001)), 2)
    -2.36
    >>> an.annual_average_growth(end, start, 0)
    Traceback (most recent call last):
    ...
    ValueError: `years` must be positive, got 0.
    """
    if not years > 0:
        raise ValueError(f"`years` must be positive, got {years!r}.")
    with np.errstate(divide="ignore", invalid="ignore"):
        start = _nan_where_zero(start)
        return ((end / start) ** (1.0 / years) - 1.0) * 100.0


def base_100(series: pd.Series, base: Hashable | None = None) -> pd.Series:
    """Return ``series`` as an index equal to 100 at ``base``.

    Parameters
    ----------
    series : pandas.Series
        Levels indexed by period.
    base : label, optional
        Index label of the base period; by default the first non-missing value.

    Returns
    -------
    pandas.Series
        ``series / series[base] * 100``, same index.

    Raises
    ------
    KeyError
        If ``base`` is not in the index.
    ValueError
        If the base value is missing or zero.

    Examples
    --------
    >>> import analysis as an
    >>> import pandas as pd
    >>> an.base_100(pd.Series([80.0, 100.0, 60.0], index=[2019, 2022, 2024])).tolist()
    [100.0, 125.0, 75.0]

    INSEE's industrial employment in Hauts-de-France at the end of each year, as an index
    equal to 100 at the end of 2008:

    >>> emp = an.read_insee_employment()
    >>> industry = emp[(emp["region"] == "32") & (emp["a5"] == "BE")]
    >>> jobs = industry.groupby("quarter")["employment"].sum()
    >>> year_ends = jobs[jobs.index.quarter == 4]
    >>> index = an.base_100(year_ends, base=an.quarter("2008T4"))
    >>> index.loc[[an.quarter(q) for q in ("2001T4", "2008T4", "2019T4")]].round(1).tolist()
    [122.3, 100.0, 79.5]
    """
    if base is None:
        valid = series.dropna()
        if valid.empty:
            raise ValueError("Cannot index a series with no value.")
        base = valid.index[0]
    value = series.loc[base]
    if pd.isna(value) or value == 0:
        raise ValueError(f"The base value at {base!r} is {value!r}; it must be a non-zero number.")
    return series / value * 100.0


def shares(values: pd.Series, total: Number | pd.Series | None = None) -> pd.Series:
    """Return each value's share of ``total``, in percent.

    Parameters
    ----------
    values : pandas.Series
        Parts (for example employment by sector).
    total : float or pandas.Series, optional
        The whole; by default the sum of ``values`` (NaN parts count for nothing, so pass
        the published total when some parts are masked).

    Returns
    -------
    pandas.Series
        ``values / total * 100``.

    Examples
    --------
    >>> import analysis as an
    >>> import pandas as pd
    >>> an.shares(pd.Series({"a": 1.0, "b": 3.0})).tolist()
    [25.0, 75.0]

    The five industrial A17 sectors of Hauts-de-France at the end of 2019, as shares of
    industry, then of all salaried jobs (the published total):

    >>> emp = an.read_insee_employment()
    >>> q4 = emp[(emp["region"] == "32") & (emp["quarter"] == an.quarter("2019T4"))]
    >>> by_sector = q4.set_index("a17")["employment"]
    >>> industry = by_sector[["C1", "C2DE", "C3", "C4", "C5"]]
    >>> an.shares(industry).round(1).to_dict()
    {'C1': 18.8, 'C2DE': 10.2, 'C3': 8.5, 'C4': 11.2, 'C5': 51.3}
    >>> round(float(an.shares(industry, by_sector.sum()).sum()), 1)
    14.0
    """
    if total is None:
        total = values.sum(min_count=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return values / _nan_where_zero(total) * 100.0


def location_quotient(
    region: pd.Series,
    reference: pd.Series,
    *,
    region_total: Number | None = None,
    reference_total: Number | None = None,
) -> pd.Series:
    """Return the specialisation index (location quotient) of a region by sector.

    ``LQ_i = (e_i / e) / (E_i / E)``: above 1, sector ``i`` weighs more in the region than
    in the reference (France métropolitaine in the reports).

    Parameters
    ----------
    region, reference : pandas.Series
        Employment by sector, indexed alike.
    region_total, reference_total : float, optional
        All-sector totals; by default the sums of ``region`` and ``reference``.

    Returns
    -------
    pandas.Series
        The quotient by sector (a ratio, not a percentage).

    Examples
    --------
    >>> import analysis as an
    >>> emp = an.read_insee_employment()
    >>> fr = an.read_insee_employment(level="france")
    >>> q4 = an.quarter("2019T4")
    >>> hdf = emp[(emp["region"] == "32") & (emp["quarter"] == q4)].set_index("a17")["employment"]
    >>> france = fr[fr["quarter"] == q4].set_index("a17")["employment"]

    Hauts-de-France is specialised in "other industrial products" (C5: metals, chemicals,
    glass, plastics...) and transport equipment (C4), less so in information and
    communication (JZ):

    >>> lq = an.location_quotient(hdf, france)
    >>> lq.loc[["C1", "C4", "C5", "JZ"]].round(2).to_dict()
    {'C1': 1.14, 'C4': 1.16, 'C5': 1.29, 'JZ': 0.56}
    """
    region_share = shares(region, region_total)
    reference_share = shares(reference, reference_total).reindex(region.index)
    with np.errstate(divide="ignore", invalid="ignore"):
        return region_share / _nan_where_zero(reference_share)


def shift_share(
    region_start: pd.Series,
    region_end: pd.Series,
    reference_start: pd.Series,
    reference_end: pd.Series,
) -> pd.DataFrame:
    """Split a region's change by sector into national, sector-mix and regional effects.

    With ``r0_i``, ``r1_i`` the region's employment in sector ``i`` at the start and end,
    ``g`` the reference's all-sector growth and ``g_i`` its growth in sector ``i``:

    - national effect ``r0_i * g``: the change had the sector grown as the whole reference;
    - sector-mix effect ``r0_i * (g_i - g)``: what the sector's national trend adds;
    - regional effect ``r1_i - r0_i - national - mix``: what is left, the region's own
      dynamism. It equals ``r0_i * (r_i - g_i)`` and makes the three effects add up exactly
      to the actual change, sector by sector and in total.

    Parameters
    ----------
    region_start, region_end, reference_start, reference_end : pandas.Series
        Employment by sector, same index, no missing value.

    Returns
    -------
    pandas.DataFrame
        Index the sectors; columns ``start``, ``end``, ``change``, ``national``, ``mix``,
        ``regional`` (jobs).

    Raises
    ------
    ValueError
        If an input has a missing value or a zero reference level, or the indexes differ.

    Examples
    --------
    >>> import analysis as an
    >>> emp = an.read_insee_employment()
    >>> fr = an.read_insee_employment(level="france")
    >>> sectors = ["C1", "C2DE", "C3", "C4", "C5"]
    >>> def industry(table, region, quarter):
    ...     at = (table["region"] == region) & (table["quarter"] == an.quarter(quarter))
    ...     return table[at].set_index("a17")["employment"].loc[sectors]

    Industrial employment in Hauts-de-France from the end of 2010 (the first quarter with a
    France total) to the end of 2019, against France's industry:

    >>> effects = an.shift_share(
    ...     industry(emp, "32", "2010T4"), industry(emp, "32", "2019T4"),
    ...     industry(fr, "FR", "2010T4"), industry(fr, "FR", "2019T4"),
    ... )
    >>> list(effects.columns)
    ['start', 'end', 'change', 'national', 'mix', 'regional']
    >>> print(effects.round().to_string())
             start       end   change  national     mix  regional
    a17
    C1     53977.0   53769.0   -208.0   -2349.0  5069.0   -2928.0
    C2DE   30051.0   29253.0   -798.0   -1308.0  1834.0   -1324.0
    C3     30094.0   24457.0  -5637.0   -1310.0  -888.0   -3440.0
    C4     37286.0   31987.0  -5299.0   -1623.0  -172.0   -3504.0
    C5    175777.0  147173.0 -28604.0   -7649.0 -6932.0  -14022.0

    The three effects add up to the change; most of the loss is regional:

    >>> total = effects.sum()
    >>> round(total["change"]), round(total["national"] + total["mix"] + total["regional"])
    (-40545, -40545)
    >>> round(total["regional"])
    -25218
    """
    inputs = {
        "region_start": region_start,
        "region_end": region_end,
        "reference_start": reference_start,
        "reference_end": reference_end,
    }
    index = region_start.index
    for name, series in inputs.items():
        if not series.index.equals(index):
            raise ValueError(f"`{name}` is not indexed like `region_start`.")
        if series.isna().any():
            missing = list(series.index[series.isna()])
            raise ValueError(
                f"`{name}` has missing values for {missing}; drop or fill those sectors "
                "explicitly before a shift-share decomposition."
            )
    if (reference_start == 0).any():
        raise ValueError("`reference_start` has a zero level; its growth rate is undefined.")
    g = reference_end.sum() / reference_start.sum() - 1.0
    g_i = reference_end / reference_start - 1.0
    change = region_end - region_start
    national = region_start * g
    mix = region_start * (g_i - g)
    regional = change - national - mix
    return pd.DataFrame(
        {
            "start": region_start,
            "end": region_end,
            "change": change,
            "national": national,
            "mix": mix,
            "regional": regional,
        }
    )


def contributions(start: pd.Series, end: pd.Series) -> pd.Series:
    """Return each sector's contribution to the total growth rate, in percentage points.

    ``(end_i - start_i) / sum(start) * 100``; the contributions add up to the growth rate
    of the total (:func:`growth_rate` of the sums).

    Parameters
    ----------
    start, end : pandas.Series
        Levels by sector at the start and end of the period.

    Returns
    -------
    pandas.Series
        Contributions in points, indexed like ``start``.

    Examples
    --------
    >>> import analysis as an
    >>> emp = an.read_insee_employment()
    >>> hdf = emp[(emp["region"] == "32") & (emp["a5"] == "BE")]
    >>> def level(quarter):
    ...     return hdf[hdf["quarter"] == an.quarter(quarter)].set_index("a17")["employment"]
    >>> start, end = level("2010T4"), level("2019T4")
    >>> points = an.contributions(start, end)
    >>> points.round(2).to_dict()
    {'C1': -0.06, 'C2DE': -0.24, 'C3': -1.72, 'C4': -1.62, 'C5': -8.74}

    They add up to the growth rate of industry as a whole:

    >>> round(float(points.sum()), 2), round(float(an.growth_rate(end.sum(), start.sum())), 2)
    (-12.39, -12.39)
    """
    total = start.sum(min_count=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return (end - start) / _nan_where_zero(total) * 100.0


def strict_sum(frame: pd.DataFrame, by: Sequence[str], value: str) -> pd.Series:
    """Sum ``value`` by groups; a group with any missing cell is missing.

    pandas' ``sum`` reads NaN as 0 and returns 0 for a group of NaN; official totals must
    not, so a total is published only when every part of it is known.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per part (for example one per département and sector).
    by : sequence of str
        Columns of ``frame`` that define the groups.
    value : str
        Column to sum.

    Returns
    -------
    pandas.Series
        One total per group, indexed by ``by`` (groups in order of appearance); NaN for a
        group where any ``value`` is NaN.

    Examples
    --------
    >>> import analysis as an
    >>> import pandas as pd
    >>> parts = pd.DataFrame({"area": ["a", "a", "b"], "value": [1.0, None, 2.0]})
    >>> an.strict_sum(parts, ["area"], "value").tolist()
    [nan, 2.0]

    Agriculture is not estimated by département before 2010T4: the regional total is
    missing, where pandas' ``sum`` would give 0 jobs.

    >>> deps = an.read_insee_employment(level="departement")
    >>> hdf = deps[(deps["region"] == "32") & (deps["quarter"] == an.quarter("2009T4"))]
    >>> hdf = hdf[hdf["a17"].isin(["AZ", "C1"])]
    >>> an.strict_sum(hdf, ["region", "a17"], "employment").round().tolist()
    [nan, 54194.0]
    >>> hdf.groupby("a17")["employment"].sum().round().tolist()
    [0.0, 54194.0]
    """
    keys = [frame[k] for k in by]
    total = frame[value].groupby(keys, sort=False, observed=True).sum(min_count=1)
    incomplete = frame[value].isna().groupby(keys, sort=False, observed=True).any()
    return total.mask(incomplete)


def per_thousand(numerator, denominator):
    """Return ``numerator`` per 1 000 of ``denominator`` (contracts per 1 000 employees).

    Examples
    --------
    >>> import analysis as an
    >>> an.per_thousand(3, 200)
    15.0

    New apprenticeship contracts of 2023 per 1 000 private salaried jobs, by region:

    >>> app = an.read_apprenticeship()
    >>> contracts = app[app["year"] == 2023].set_index("region")["contracts"]
    >>> urssaf = an.read_urssaf_region_series()
    >>> jobs = urssaf[urssaf["year"] == 2023].set_index("region")["employment"]
    >>> rate = an.per_thousand(contracts, jobs)
    >>> rate.loc[["32", "FR"]].round(1).tolist()
    [40.9, 42.7]
    >>> bool(rate.isna()["06"])  # no URSSAF figure for Mayotte
    True
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        return numerator / _nan_where_zero(denominator) * 1000.0


def rank(values: pd.Series, *, ascending: bool = False) -> pd.Series:
    """Rank values, 1 for the highest (or lowest with ``ascending=True``).

    Ties share the best rank (``"min"`` method); missing values get no rank (``<NA>``)
    and do not count, so a rank is always "among the regions with data".

    Parameters
    ----------
    values : pandas.Series
        One value per region.
    ascending : bool, default False
        Rank 1 for the smallest value instead of the largest.

    Returns
    -------
    pandas.Series
        Ranks as nullable integers (``Int64``).

    Examples
    --------
    >>> import analysis as an
    >>> import pandas as pd
    >>> an.rank(pd.Series({"a": 3.0, "b": 5.0, "c": 3.0, "d": None})).tolist()
    [2, 1, 2, <NA>]

    Regions ranked by new apprenticeship contracts of 2023 per 1 000 private salaried jobs
    (Mayotte, without URSSAF figure, gets no rank):

    >>> app = an.read_apprenticeship()
    >>> contracts = app[app["year"] == 2023].set_index("region")["contracts"]
    >>> urssaf = an.read_urssaf_region_series()
    >>> jobs = urssaf[urssaf["year"] == 2023].set_index("region")["employment"]
    >>> rate = an.per_thousand(contracts, jobs).drop("FR")
    >>> ranks = an.rank(rate)
    >>> ranks.loc[["04", "76", "32", "06"]].tolist()
    [1, 2, 11, <NA>]
    >>> int(ranks.max())
    17
    """
    return values.rank(method="min", ascending=ascending, na_option="keep").astype("Int64")


def _nan_where_zero(value):
    """Return ``value`` with zeros replaced by NaN, so that x / 0 gives NaN, not inf."""
    if isinstance(value, pd.Series | pd.DataFrame):
        return value.where(value != 0)
    if isinstance(value, np.ndarray):
        return np.where(value == 0, np.nan, value)
    if value == 0 or (isinstance(value, float) and math.isnan(value)):
        return math.nan
    return value
