"""Salaried employment: INSEE quarterly estimates (ETE) and URSSAF private-sector counts."""

from __future__ import annotations

import os
import re

import pandas as pd

from .._cache import load_cached
from ..errors import ParameterError
from ..geo import FRANCE, INTERREGIONAL_ZONES, REGION_CODES, zone_region
from ..interregional import fit_shares, split_zones, zone_totals
from ..schemas import (
    COLUMNS,
    check_codes,
    require_columns,
    to_numbers,
    validate,
)
from ._aggregate import check_level, known_sum, strict_sum

#: First quarter treated as provisional in the ETE file published for 2020T1.
ETE_PROVISIONAL_FROM = pd.Period("2019Q1", freq="Q")
_QUARTER = re.compile(r"^eff(\d{4})t([1-4])$")
_LEVELS = ("departement", "region", "france")


def _parse_ete(path: os.PathLike) -> pd.DataFrame:
    return tidy_ete(pd.read_excel(path, engine="calamine", dtype=object), source=path.name)


def tidy_ete(raw: pd.DataFrame, *, source: str) -> pd.DataFrame:
    """Check and tidy the ETE sheet as read (one row per département x A17)."""
    name = source
    require_columns(raw, ["REG2016", "DEP", "A5", "A17"], source=name)
    quarters = [c for c in raw.columns if _QUARTER.match(str(c))]
    if not quarters:
        require_columns(raw, ["eff<year>t<quarter>"], source=name)
    raw["REG2016"] = raw["REG2016"].astype(str).str.zfill(2)
    check_codes(raw, "REG2016", REGION_CODES, source=name)
    values = pd.DataFrame({q: to_numbers(raw, q, source=name) for q in quarters})
    a5 = raw["A5"].astype(str).str.split("-", n=1).str[0].replace({"7820Z": "GU"})
    wide = pd.concat(
        [
            pd.DataFrame(
                {
                    "region": raw["REG2016"],
                    "departement": raw["DEP"].astype(str),
                    "a5": a5,
                    "a17": raw["A17"].astype(str),
                }
            ),
            values,
        ],
        axis=1,
    )
    tidy = wide.melt(
        id_vars=["region", "departement", "a5", "a17"],
        var_name="quarter",
        value_name="employment",
    )
    labels = {q: f"{m[1]}Q{m[2]}" for q in quarters if (m := _QUARTER.match(q))}
    tidy["quarter"] = pd.PeriodIndex(tidy["quarter"].map(labels), freq="Q")
    tidy["provisional"] = tidy["quarter"] >= ETE_PROVISIONAL_FROM
    return validate(tidy, "insee_employment", source=name)


def read_insee_employment(
    *, level: str = "region", data_dir: str | os.PathLike | None = None
) -> pd.DataFrame:
    """Read INSEE's quarterly salaried employment by area and A17 sector, 2001T4-2020T1.

    Source: ``ete_dep_a17_2020t1.xls``, INSEE estimations trimestrielles d'emploi salarié
    by département x A17 (all salaried jobs, public sector included, end of quarter).
    Industry is A5 ``BE`` (A17 C1, C2DE, C3, C4, C5).

    Traps handled:

    * Agriculture (AZ), non-market services (OQ) and the four DOM are empty before 2010T4.
      Empty cells stay missing (NaN), never zero.
    * A region or France total is published only when every one of its départements is
      known (a partial sum would make a false break in the series); so France is missing
      before 2010T4, and a region is missing whenever all its départements are.
    * Quarters from 2019T1 on are flagged ``provisional``: the file came out in mid-2020,
      before the annual benchmarks of 2019 and 2020 were final.
    * Temp work (A17 MN78) stays in services (A5 GU), not in the sector that uses it.
    * Mayotte is not covered.

    Parameters
    ----------
    level : {"region", "departement", "france"}, default "region"
        Geographic level; France is ``region == "FR"``.
    data_dir : str or path-like, optional
        Raw-data folder.

    Returns
    -------
    pandas.DataFrame
        Columns ``region``, ``departement`` (None above that level), ``a5``, ``a17``,
        ``quarter`` (``period[Q-DEC]``), ``employment`` (float, NaN when not available),
        ``provisional`` (bool).

    Examples
    --------
    >>> import analysis as an
    >>> emp = an.read_insee_employment()
    >>> list(emp.columns)
    ['region', 'departement', 'a5', 'a17', 'quarter', 'employment', 'provisional']
    >>> emp.dtypes["quarter"]
    period[Q-DEC]
    >>> emp["region"].nunique(), str(emp["quarter"].min()), str(emp["quarter"].max())
    (17, '2001Q4', '2020Q1')

    ``quarter`` holds :class:`pandas.Period` values. Never compare it with a French
    quarter string: pandas reads the "T4" of ``"2019T4"`` as a time of day, and the
    comparison silently selects the 2nd quarter. Use :func:`analysis.quarter`:

    >>> sorted(emp.loc[emp["quarter"] == "2019T4", "quarter"].astype(str).unique())
    ['2019Q2']
    >>> an.quarter("2019T4")
    Period('2019Q4', 'Q-DEC')
    >>> q4 = emp[emp["quarter"] == an.quarter("2019T4")]

    Industrial employment (A5 ``BE``) in Hauts-de-France at the end of 2019, provisional:

    >>> industry = q4[(q4["region"] == "32") & (q4["a5"] == "BE")]
    >>> print(industry[["a17", "employment", "provisional"]].round().to_string(index=False))
     a17  employment  provisional
      C1     53769.0         True
    C2DE     29253.0         True
      C3     24457.0         True
      C4     31987.0         True
      C5    147173.0         True
    >>> round(industry["employment"].sum())
    286639

    France is missing before 2010T4, when the DOM are not estimated:

    >>> france = an.read_insee_employment(level="france")
    >>> bool(france.loc[france["quarter"] == an.quarter("2010T3"), "employment"].isna().all())
    True
    >>> round(france.loc[france["quarter"] == an.quarter("2019T4"), "employment"].sum())
    25543801

    By département (100: no Mayotte), industry in the Nord (59) at the end of 2019:

    >>> deps = an.read_insee_employment(level="departement")
    >>> deps["departement"].nunique()
    100
    >>> nord = deps[(deps["departement"] == "59") & (deps["quarter"] == an.quarter("2019T4"))]
    >>> round(nord.loc[nord["a5"] == "BE", "employment"].sum())
    123910
    """
    check_level(level, _LEVELS)
    deps = load_cached("insee_ete_a17", _parse_ete, version=1, data_dir=data_dir)
    if level == "departement":
        return deps
    keys = ["region", "a5", "a17", "quarter"]
    if level == "france":
        deps = deps.assign(region=FRANCE)
    total = strict_sum(deps, keys, "employment").rename("employment").reset_index()
    total["departement"] = None
    total["departement"] = total["departement"].astype(object)
    total["provisional"] = total["quarter"] >= ETE_PROVISIONAL_FROM
    return total[list(COLUMNS["insee_employment"])]


def _parse_a17(path: os.PathLike) -> pd.DataFrame:
    raw = pd.read_csv(path, sep=";", dtype=str)
    require_columns(raw, ["A17", "LIBA17", "A5"], source=path.name)
    return pd.DataFrame(
        {
            "a17": raw["A17"],
            "label": raw["LIBA17"],
            "a5": raw["A5"].str.split("-", n=1).str[0].replace({"7820Z": "GU"}),
            "a5_label": raw["A5"].str.split("-", n=1).str[1],
        }
    )


def read_a17_labels(*, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Read the French labels of the 17 A17 sectors and their A5 group.

    Source: ``table_A17.csv`` (INSEE table de passage).

    Returns
    -------
    pandas.DataFrame
        Columns ``a17``, ``label``, ``a5``, ``a5_label``.

    Examples
    --------
    >>> import analysis as an
    >>> labels = an.read_a17_labels()
    >>> list(labels.columns), len(labels)
    (['a17', 'label', 'a5', 'a5_label'], 17)
    >>> labels.loc[labels["a5"] == "BE", "a17"].tolist()
    ['C1', 'C2DE', 'C3', 'C4', 'C5']
    >>> labels.set_index("a17").loc["C4", "label"]
    'Fabrication de matériels de transport'

    Temp work is its own A5 group, in services, whatever sector uses it:

    >>> labels.set_index("a17").loc["MN78", ["label", "a5", "a5_label"]].tolist()
    ['Intérim', 'GU', 'Intérim']
    """
    return load_cached("insee_a17_labels", _parse_a17, version=1, data_dir=data_dir)


_URSSAF_YEARS = {"eff_19": 2019, "eff_22": 2022, "eff_23": 2023, "eff_24": 2024}


def _parse_urssaf_zones(path: os.PathLike) -> pd.DataFrame:
    name = path.name
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    require_columns(raw, ["code_ze", "a38", "a21", "a5", "lib", *_URSSAF_YEARS], source=name)

    def region_of(code: str) -> str | None:
        try:
            return zone_region(code)
        except KeyError:
            return None

    raw["region"] = raw["code_ze"].map(region_of)
    check_codes(
        raw,
        "code_ze",
        set(raw["code_ze"][raw["region"].notna()]),
        source=name,
        expected="a zone d'emploi 2020 code whose first two characters are a region code "
        "(or an interregional zone 0051-0064)",
    )
    frames = []
    for column, year in _URSSAF_YEARS.items():
        frames.append(
            pd.DataFrame(
                {
                    "zone": raw["code_ze"],
                    "region": raw["region"].astype(str),
                    "interregional": raw["code_ze"].isin(list(INTERREGIONAL_ZONES)),
                    "a38": raw["a38"],
                    "a21": raw["a21"],
                    "a5": raw["a5"],
                    "sector": raw["lib"],
                    "year": year,
                    "employment": to_numbers(raw, column, source=name),
                }
            )
        )
    tidy = pd.concat(frames, ignore_index=True)
    tidy["masked"] = tidy["employment"].isna()
    return validate(tidy, "urssaf_zone_employment", source=name)


#: How :func:`read_urssaf_employment` counts the 14 interregional zones above zone level.
URSSAF_ZONE_RULES = ("split", "whole")


def _common_cells(table: pd.DataFrame, years: tuple[int, int]) -> pd.DataFrame:
    """Keep two years; mask in both every zone x A38 cell masked in either."""
    pair = table[table["year"].isin(years)]
    if set(pair["year"].unique()) != set(years):
        raise ParameterError(f"URSSAF has no data for one of the years {years}.")
    masked = pair.groupby(["zone", "a38"])["masked"].transform("any")
    return pair.assign(masked=masked, employment=pair["employment"].where(~masked)).reset_index(
        drop=True
    )


def read_urssaf_employment(
    *,
    level: str = "region",
    zones: str = "split",
    common_years: tuple[int, int] | None = None,
    data_dir: str | os.PathLike | None = None,
) -> pd.DataFrame:
    """Read URSSAF private-sector salaried employment by area and A38 sector.

    Source: ``exdeco_pivot_urssaf_a38.csv``, URSSAF open data aggregated to zones
    d'emploi 2020 x A38, years 2019, 2022, 2023 and 2024 (no 2020-2021, no Mayotte,
    no agriculture). Private sector only: not comparable in level with INSEE's ETE.

    Traps handled:

    * Empty cells (statistical secrecy, or a sector absent from the zone) stay missing
      and are flagged ``masked``; above the zone level, ``employment`` sums the known
      cells and ``masked_cells`` counts those left out, so a total with masked cells is
      a lower bound.
    * The 14 interregional zones (``0051``-``0064``) straddle two regions. At region
      level (``zones="split"``, the default) each one is divided between its two
      regions by the year's estimated share (:mod:`analysis.interregional`: the shares
      make the zones add up to URSSAF's regional all-sector series, and every sector,
      industry included, is assumed to divide like all sectors together); the pole's
      part of each cell is rounded to whole jobs and the other region gets the rest,
      so France's totals do not move. A masked cell of such a zone is counted in the
      ``masked_cells`` of both regions. ``zones="whole"`` counts each zone whole in the
      region of its pole (see :data:`analysis.geo.INTERREGIONAL_ZONES`), the rule used
      before. At zone level the table is per zone: ``region`` is the pole's and
      ``interregional`` flags these zones. Above it, ``interregional_employment`` is the
      part of each total that comes from the shared zones.

    Parameters
    ----------
    level : {"region", "zone", "france"}, default "region"
        Geographic level; France is ``region == "FR"``.
    zones : {"split", "whole"}, default "split"
        How the interregional zones enter the regional totals (no effect on the zone
        and France levels).
    common_years : tuple of two ints, optional
        Keep these two years only, and leave out of both any zone x A38 cell that is
        secret in either: the sums then cover the same cells at both dates, so that a
        cell that stops being secret is not read as growth. For changes, not levels.
    data_dir : str or path-like, optional
        Raw-data folder.

    Returns
    -------
    pandas.DataFrame
        At zone level: ``zone``, ``region``, ``interregional``, ``a38``, ``a21``, ``a5``,
        ``sector``, ``year``, ``employment``, ``masked``. Above it: ``region``, ``a38``,
        ``a21``, ``a5``, ``sector``, ``year``, ``employment``, ``masked_cells``,
        ``interregional_employment``.

    Raises
    ------
    ParameterError
        For an unknown ``level`` or ``zones``.

    Examples
    --------
    >>> import analysis as an
    >>> urssaf = an.read_urssaf_employment()
    >>> list(urssaf.columns)  # doctest: +NORMALIZE_WHITESPACE
    ['region', 'a38', 'a21', 'a5', 'sector', 'year', 'employment', 'masked_cells',
     'interregional_employment']
    >>> sorted(urssaf["year"].unique().tolist()), urssaf["region"].nunique()
    ([2019, 2022, 2023, 2024], 17)

    Private industrial employment (A5 ``BE``) in Hauts-de-France, with the number of
    secret zone x A38 cells left out of each total and the jobs that come from its share
    of the interregional zones:

    >>> hdf = urssaf[(urssaf["region"] == "32") & (urssaf["a5"] == "BE")]
    >>> columns = ["employment", "masked_cells", "interregional_employment"]
    >>> print(hdf.groupby("year")[columns].sum().to_string())
          employment  masked_cells  interregional_employment
    year
    2019    282776.0             2                  22765.0
    2022    284041.0             9                  22154.0
    2023    284710.0             9                  22112.0
    2024    285369.0             7                  21731.0

    Counting each interregional zone whole in its pole's region gives more, since
    Beauvais and La Vallée de la Bresle-Vimeu reach into Normandy:

    >>> whole = an.read_urssaf_employment(zones="whole")
    >>> at = (whole["region"] == "32") & (whole["a5"] == "BE") & (whole["year"] == 2024)
    >>> int(whole.loc[at, "employment"].sum())
    291392

    For a change, compare the same cells at both dates (``common_years``):

    >>> same = an.read_urssaf_employment(common_years=(2019, 2024))
    >>> same[(same["region"] == "32") & (same["a5"] == "BE")].groupby("year")["employment"].sum()
    year
    2019    282714.0
    2024    285007.0
    Name: employment, dtype: float64

    At zone level, each secret cell is flagged:

    >>> zones = an.read_urssaf_employment(level="zone")
    >>> zones["zone"].nunique(), int(zones.loc[zones["year"] == 2024, "masked"].sum())
    (305, 115)
    """
    check_level(level, ("zone", "region", "france"))
    if zones not in URSSAF_ZONE_RULES:
        raise ParameterError(
            f"`zones` must be one of {', '.join(URSSAF_ZONE_RULES)}; got {zones!r}."
        )
    table = load_cached("urssaf_ze_a38", _parse_urssaf_zones, version=1, data_dir=data_dir)
    if common_years is not None:
        table = _common_cells(table, common_years)
    if level == "zone":
        return table
    if level == "france":
        table = table.assign(region=FRANCE)
    elif zones == "split":
        series = read_urssaf_region_series(data_dir=data_dir)
        table = split_zones(table, fit_shares(zone_totals(table), series).shares)
    keys = ["region", "a38", "a21", "a5", "sector", "year"]
    totals = known_sum(table, keys, "employment", "masked")
    inter = table["employment"].where(table["interregional"], 0.0)
    totals["interregional_employment"] = (
        table.assign(_inter=inter).groupby(keys, sort=False)["_inter"].sum()
    )
    return totals.reset_index()


def _parse_urssaf_series(path: os.PathLike) -> pd.DataFrame:
    name = path.name
    raw = pd.read_csv(path, dtype=str)
    require_columns(raw, ["code", "echelon", "year", "eff_total"], source=name)
    raw = raw[raw["echelon"].isin(["reg", "france"])].reset_index(drop=True)
    code = raw["code"].where(raw["echelon"] == "reg", FRANCE).str.zfill(2)
    check_codes(raw.assign(code=code), "code", (*REGION_CODES, FRANCE), source=name)
    tidy = pd.DataFrame(
        {
            "region": code,
            "year": to_numbers(raw, "year", source=name).astype(int),
            "employment": to_numbers(raw, "eff_total", source=name),
        }
    )
    return validate(tidy, "urssaf_region_series", source=name)


def read_urssaf_region_series(*, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Read URSSAF private-sector salaried employment, all sectors, by region, 2014-2024.

    Source: ``urssaf_serie_indice100_reg_dep_france.csv`` (annual URSSAF series). The
    upstream writes region codes without their leading zero (``"1"``); they are padded.
    Totals only (no sector split); Mayotte is not covered.

    Returns
    -------
    pandas.DataFrame
        Columns ``region`` (France is ``"FR"``), ``year``, ``employment``.

    Examples
    --------
    >>> import analysis as an
    >>> series = an.read_urssaf_region_series()
    >>> list(series.columns), len(series)
    (['region', 'year', 'employment'], 198)
    >>> int(series["year"].min()), int(series["year"].max())
    (2014, 2024)
    >>> wide = series.pivot(index="year", columns="region", values="employment")
    >>> print(wide.loc[[2014, 2019, 2024], ["11", "32", "FR"]].to_string())
    region         11         32          FR
    year
    2014    4504451.0  1411196.0  17614085.0
    2019    4874507.0  1463158.0  18748962.0
    2024    5182070.0  1543404.0  19995376.0
    >>> "06" in set(series["region"])  # no Mayotte
    False
    """
    return load_cached("urssaf_region_series", _parse_urssaf_series, version=1, data_dir=data_dir)


def _parse_urssaf_departement_series(path: os.PathLike) -> pd.DataFrame:
    name = path.name
    raw = pd.read_csv(path, dtype=str)
    require_columns(raw, ["code", "echelon", "year", "eff_total"], source=name)
    raw = raw[raw["echelon"].eq("dep")].reset_index(drop=True)
    tidy = pd.DataFrame(
        {
            "departement": raw["code"].str.zfill(2),
            "year": to_numbers(raw, "year", source=name).astype(int),
            "employment": to_numbers(raw, "eff_total", source=name),
        }
    )
    return validate(tidy, "urssaf_departement_series", source=name)


def read_urssaf_departement_series(*, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Read URSSAF private-sector salaried employment, all sectors, by département, 2014-2024.

    Source: ``urssaf_serie_indice100_reg_dep_france.csv``, rows ``echelon == "dep"``:
    100 départements (no Mayotte), totals only (no sector split).

    Returns
    -------
    pandas.DataFrame
        Columns ``departement`` (``"01"``, ``"2A"``, ``"971"``), ``year``, ``employment``.

    Examples
    --------
    >>> import analysis as an
    >>> series = an.read_urssaf_departement_series()
    >>> list(series.columns), series["departement"].nunique()
    (['departement', 'year', 'employment'], 100)
    >>> nord = series[series["departement"] == "59"].set_index("year")["employment"]
    >>> nord.loc[[2019, 2024]]
    year
    2019    729017.0
    2024    773179.0
    Name: employment, dtype: float64
    >>> sorted(set(series["departement"]) & {"2A", "2B", "971", "976"})
    ['2A', '2B', '971']
    """
    return load_cached(
        "urssaf_region_series",
        _parse_urssaf_departement_series,
        version=1,
        data_dir=data_dir,
        variant="departement",
    )
