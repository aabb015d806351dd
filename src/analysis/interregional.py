r"""Split the 14 interregional employment zones between the two regions each one straddles.

URSSAF's file by zone d'emploi x A38 (``exdeco_pivot_urssaf_a38.csv``) has 14 zones,
coded ``0051`` to ``0064``, that lie across a regional border. Without the communes of
each zone, the zone level cannot say how its jobs divide between the two regions; but
URSSAF's own regional series (``urssaf_serie_indice100_reg_dep_france.csv``, all sectors)
does, in total. This module estimates, for each zone and year, the share of its
employment on each side of the border so that the zones add up to that series, and
applies the share to every sector of the zone.

Method
------
For a year, let :math:`I_r` be the all-sector employment of the zones lying wholly in
region :math:`r`, :math:`E_z` that of interregional zone :math:`z`, :math:`s_z` the share
of :math:`E_z` in the zone's *pole* region (the region of the town naming it) and
:math:`1 - s_z` the share in its other region, and :math:`T_r` URSSAF's regional total.
Each region gives one equation

.. math:: I_r + \sum_{z:\,\mathrm{pole}(z)=r} s_z E_z
          + \sum_{z:\,\mathrm{other}(z)=r} (1 - s_z) E_z = T_r ,

and the shares solve the bounded, penalised least-squares problem

.. math:: \min_{0 \le s \le 1}\ \sum_r \frac{(\mathrm{fitted}_r - T_r)^2}{T_r}
          + \lambda \sum_z E_z (s_z - p_z)^2 .

*Identifiability.* Ten regions are touched by the 14 zones, and the zones form a tree of
nine region pairs, five of which are linked by two zones (Arles and Avignon for
PACA-Occitanie, Bollène-Pierrelatte and Valréas for PACA-Auvergne-Rhône-Alpes, Cosne and
Nevers for Bourgogne-Franche-Comté-Centre-Val de Loire, Dreux and Nogent-le-Rotrou for
Centre-Val de Loire-Normandie, Beauvais and La Vallée de la Bresle-Vimeu for
Hauts-de-France-Normandie). The regional totals fix how many jobs cross each of the nine
borders (nine independent equations: the tenth, and the three regions with no shared
zone, add nothing), not how the two zones of a pair share them: 14 unknowns, 9 equations,
a five-dimensional set of exact solutions. The penalty picks in that set the solution
closest to a documented prior :math:`p_z` (:attr:`ZoneSplit.prior`); weighting it by
:math:`E_z` makes it move both zones of a pair by the *same* share away from their priors.
:data:`RIDGE` (:math:`\lambda`) is small enough that the penalty costs the fit nothing
measurable: it only chooses among the solutions the data cannot tell apart. So the
number of jobs each region gets from the shared zones comes from the data; how a pair's
jobs divide between its two zones (and therefore the sector mix of what crosses the
border) comes from the prior.

*Residuals.* URSSAF's regional series leaves about 9 000 jobs a year (0.05 % of France)
in no region, whereas the zone file places them in zones, so the fitted regions exceed
the series by that much in sum; Île-de-France alone, which shares no zone, is 3 600 to
4 300 jobs above its series. Dividing each squared residual by :math:`T_r` spreads the
remainder over the regions that share zones in proportion to their size, the same
percentage for each (about 0.04 %), unless a bound stops it.

The département rows of the same series are not used: the zones that lie wholly in a
region are not nested in its départements, and their départements are not in any file
here, so a département equation cannot be written.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .errors import ParameterError
from .geo import FRANCE, INTERREGIONAL_ZONES

__all__ = [
    "ASSUMPTION",
    "POLE_PRIOR",
    "PUBLISHED_ZONE_COUNTS",
    "RIDGE",
    "SHARED_PRIOR",
    "ZONE_SPLITS",
    "InterregionalFit",
    "ZoneSplit",
    "box_least_squares",
    "fit_shares",
    "interregional_residuals",
    "interregional_shares",
    "read_interregional_fit",
    "split_zones",
    "zone_totals",
]

#: The assumption behind every regional figure by sector, in one sentence.
ASSUMPTION = (
    "Each employment zone that straddles two regions is divided between them in the "
    "proportion that makes the zones add up to URSSAF's regional all-sector totals, "
    "estimated year by year; every sector of the zone, industry included, is assumed to "
    "divide in that same proportion."
)

#: Weight of the pull toward the prior shares, per job (see the module docstring): a
#: millionth of the data's weight, enough to choose among exact fits and no more.
RIDGE = 1e-6

#: Prior share in the pole region of a zone named after one town of that region.
POLE_PRIOR = 0.8
#: Prior share in the pole region of a zone whose very name spans the border.
SHARED_PRIOR = 0.5


@dataclass(frozen=True)
class ZoneSplit:
    """The two regions of an interregional zone, and the prior share of its pole.

    Attributes
    ----------
    zone : str
        ZE 2020 code, ``"0051"`` to ``"0064"``.
    name : str
        Zone name.
    pole_region, pole_departement : str
        Region and département of the town naming the zone (from
        :data:`analysis.geo.INTERREGIONAL_ZONES`).
    other_region : str
        The region on the other side of the border.
    other_departements : tuple of str
        Départements of that side, as described by the reason (documentation; the fit
        uses regions only).
    prior : float
        Prior share of the zone's employment in the pole region; only the difference
        between the two zones of a pair matters (see the module docstring).
    reason : str
        Why this other region, and why this prior.
    """

    zone: str
    name: str
    pole_region: str
    pole_departement: str
    other_region: str
    other_departements: tuple[str, ...]
    prior: float
    reason: str


def _split(
    zone: str, other_region: str, other_departements: tuple[str, ...], prior: float, reason: str
) -> ZoneSplit:
    name, _town, departement, region = INTERREGIONAL_ZONES[zone]
    return ZoneSplit(
        zone, name, region, departement, other_region, other_departements, prior, reason
    )


_ONE_TOWN = f"Prior {POLE_PRIOR}: the zone is named after one town, on the pole's side."
_BOTH_SIDES = f"Prior {SHARED_PRIOR}: the zone's name spans the border."
_ARA = (
    "Auvergne-Rhône-Alpes counts 39 zones, 35 of its own; the four it shares are "
    "Bollène-Pierrelatte, Mâcon, Valréas and Ussel (Insee, 2020; CCI Auvergne-Rhône-Alpes)."
)
_PDL = "Pays de la Loire names its two shared zones: Redon and Alençon (Insee, 2020)."
_HDF = (
    "Hauts-de-France shares two zones with Normandy: Beauvais, which reaches into the Eure "
    "and the Seine-Maritime, and La Vallée de la Bresle-Vimeu (Insee, 2020)."
)
_OCC = "Occitanie counts two zones astride its border with PACA: Arles and Avignon (Insee, 2020)."
_CVL = (
    "Centre-Val de Loire counts 19 zones, 15 of its own: besides Dreux and "
    "Nogent-le-Rotrou, two Burgundian zones facing the Cher across the Loire."
)
_NOR = (
    "Normandy counts 24 zones, 19 of its own: besides Alençon, Beauvais and the Bresle, "
    "two from Centre-Val de Loire, the only other shared zones on its border."
)

#: Number of zones d'emploi 2020 in a region, its own and those it shares, as published
#: by the Insee regional studies of September 2020 ("Les nouvelles zones d'emploi").
#: With the zones of the file, it pins down which regions the 14 shared zones touch:
#: ``tests/test_interregional.py`` checks :data:`ZONE_SPLITS` against it.
PUBLISHED_ZONE_COUNTS: dict[str, int] = {
    "24": 19,  # Centre-Val de Loire
    "27": 21,  # Bourgogne-Franche-Comté
    "28": 24,  # Normandie
    "32": 24,  # Hauts-de-France
    "52": 23,  # Pays de la Loire
    "76": 27,  # Occitanie
    "84": 39,  # Auvergne-Rhône-Alpes
    "93": 22,  # Provence-Alpes-Côte d'Azur
}

#: Interregional zone code -> its two regions, the prior and the reason for both.
ZONE_SPLITS: dict[str, ZoneSplit] = {
    s.zone: s
    for s in (
        _split(
            "0051",
            "52",
            ("72",),
            POLE_PRIOR,
            f"Alençon (Orne) spreads into the Sarthe. {_PDL} {_ONE_TOWN}",
        ),
        _split(
            "0052",
            "76",
            ("30",),
            POLE_PRIOR,
            f"Arles (Bouches-du-Rhône) spreads onto the Gard bank of the Rhône. {_OCC} {_ONE_TOWN}",
        ),
        _split(
            "0053",
            "76",
            ("30",),
            POLE_PRIOR,
            "Avignon (Vaucluse) takes in Villeneuve-lès-Avignon and Les Angles, in the Gard. "
            f"{_OCC} {_ONE_TOWN}",
        ),
        _split("0054", "28", ("27", "76"), POLE_PRIOR, f"Beauvais (Oise). {_HDF} {_ONE_TOWN}"),
        _split(
            "0055",
            "84",
            ("26",),
            SHARED_PRIOR,
            "Bollène is in the Vaucluse; Pierrelatte and most of the Tricastin site are in "
            f"the Drôme. {_ARA} {_BOTH_SIDES}",
        ),
        _split(
            "0056",
            "24",
            ("18",),
            POLE_PRIOR,
            f"Cosne-Cours-sur-Loire (Nièvre) faces the Cher across the Loire. {_CVL} {_ONE_TOWN}",
        ),
        _split(
            "0057",
            "28",
            ("27",),
            POLE_PRIOR,
            f"Dreux (Eure-et-Loir) borders the Eure. {_NOR} {_ONE_TOWN}",
        ),
        _split(
            "0058",
            "28",
            ("76",),
            SHARED_PRIOR,
            "The Vimeu is in the Somme; the Bresle valley, half Picard and half Norman, is "
            f"the border with the Seine-Maritime. {_HDF} {_BOTH_SIDES}",
        ),
        _split(
            "0059",
            "84",
            ("01",),
            POLE_PRIOR,
            f"Mâcon (Saône-et-Loire) faces the Ain across the Saône. {_ARA} {_ONE_TOWN}",
        ),
        _split(
            "0060",
            "24",
            ("18",),
            POLE_PRIOR,
            f"Nevers (Nièvre) faces the Cher across the Loire. {_CVL} {_ONE_TOWN}",
        ),
        _split(
            "0061",
            "28",
            ("61",),
            POLE_PRIOR,
            "Nogent-le-Rotrou (Eure-et-Loir) is the town of the Perche, shared with the Orne; "
            f"not Pays de la Loire. {_NOR} {_PDL} {_ONE_TOWN}",
        ),
        _split(
            "0062",
            "52",
            ("44",),
            POLE_PRIOR,
            f"Redon (Ille-et-Vilaine) spreads into the Loire-Atlantique. {_PDL} {_ONE_TOWN}",
        ),
        _split(
            "0063",
            "84",
            ("15", "63"),
            POLE_PRIOR,
            "Ussel (Corrèze) spreads across the upper Dordogne into the Cantal and the "
            f"Puy-de-Dôme. {_ARA} {_ONE_TOWN}",
        ),
        _split(
            "0064",
            "84",
            ("26",),
            POLE_PRIOR,
            "Valréas is the town of the Enclave des Papes (Vaucluse), which the Drôme "
            f"surrounds. {_ARA} {_ONE_TOWN}",
        ),
    )
}


@dataclass(frozen=True)
class InterregionalFit:
    """The estimated shares and how well they fit, for every year.

    Attributes
    ----------
    shares : pandas.DataFrame
        One row per zone, region and year: ``zone``, ``zone_name``, ``region``, ``role``
        (``"pole"`` or ``"other"``), ``year``, ``share`` (of the zone's employment in
        that region; the zone's two rows add up to 1), ``prior``.
    residuals : pandas.DataFrame
        One row per region and year: ``region``, ``year``, ``target`` (URSSAF's regional
        series), ``fitted`` (the zones, interregional ones split), ``residual``
        (``fitted - target``, jobs) and ``residual_pct`` (% of the target).
    """

    shares: pd.DataFrame
    residuals: pd.DataFrame

    def stability(self) -> pd.DataFrame:
        """How much each zone's pole share moves from one year to another.

        Returns
        -------
        pandas.DataFrame
            One row per zone: ``zone``, ``zone_name``, ``region`` (the pole), ``min``,
            ``max`` of its pole share over the years, and ``max_diff`` (``max - min``).
        """
        pole = self.shares[self.shares["role"] == "pole"]
        grouped = pole.groupby(["zone", "zone_name", "region"], sort=True)["share"]
        table = grouped.agg(["min", "max"]).reset_index()
        table["max_diff"] = table["max"] - table["min"]
        return table


def zone_totals(zones: pd.DataFrame) -> pd.DataFrame:
    """All-sector employment of every zone and year, from the zone x A38 table.

    Parameters
    ----------
    zones : pandas.DataFrame
        The zone-level table of :func:`analysis.read_urssaf_employment`
        (``level="zone"``): at least ``zone``, ``region``, ``year``, ``employment``.

    Returns
    -------
    pandas.DataFrame
        ``zone``, ``region``, ``year``, ``employment`` (sum of the known cells; masked
        cells, which the regional series does not hold either, add nothing).
    """
    grouped = zones.groupby(["zone", "region", "year"], sort=True, observed=True)
    return grouped["employment"].sum().reset_index()


def fit_shares(
    totals: pd.DataFrame,
    targets: pd.DataFrame,
    *,
    splits: dict[str, ZoneSplit] | None = None,
    ridge: float = RIDGE,
) -> InterregionalFit:
    """Estimate each interregional zone's share in its two regions, year by year.

    Each year is fitted on its own (see the module docstring for the equations, the
    weights and the penalty), by :func:`box_least_squares`.

    Parameters
    ----------
    totals : pandas.DataFrame
        All-sector employment by zone: ``zone``, ``region`` (used for the zones not in
        ``splits``), ``year``, ``employment`` (see :func:`zone_totals`).
    targets : pandas.DataFrame
        Regional totals to add up to: ``region``, ``year``, ``employment`` (the
        France row, ``"FR"``, is ignored). Years missing from either frame are skipped.
    splits : dict of str to ZoneSplit, optional
        The interregional zones; :data:`ZONE_SPLITS` by default.
    ridge : float, default :data:`RIDGE`
        Weight of the pull toward the prior shares, per job.

    Returns
    -------
    InterregionalFit

    Raises
    ------
    ParameterError
        If ``ridge`` is not positive, if a zone of ``splits`` has no employment in a
        year, or if one of its regions has no target.
    """
    splits = ZONE_SPLITS if splits is None else splits
    if not ridge > 0:
        raise ParameterError(f"`ridge` must be positive; got {ridge!r}.")
    codes = list(splits)
    targets = targets[targets["region"] != FRANCE]
    years = sorted(set(totals["year"]) & set(targets["year"]))
    share_rows, residual_rows = [], []
    for year in years:
        of_year = totals[totals["year"] == year]
        shared = of_year[of_year["zone"].isin(codes)].groupby("zone")["employment"].sum()
        missing = [z for z in codes if not shared.get(z, 0) > 0]
        if missing:
            raise ParameterError(f"No employment for zone(s) {', '.join(missing)} in {year}.")
        employment = shared.reindex(codes).to_numpy(dtype=float)
        inner = of_year[~of_year["zone"].isin(codes)].groupby("region")["employment"].sum()
        target = targets[targets["year"] == year].set_index("region")["employment"]
        regions = list(target.index)
        needed = {s.pole_region for s in splits.values()} | {
            s.other_region for s in splits.values()
        }
        if not needed <= set(regions):
            lacking = ", ".join(sorted(needed - set(regions)))
            raise ParameterError(f"No regional total for region(s) {lacking} in {year}.")
        row = {r: i for i, r in enumerate(regions)}
        # fitted = base + a @ s, with s the pole shares.
        a = np.zeros((len(regions), len(codes)))
        base = np.array(inner.reindex(regions, fill_value=0.0), dtype=float)
        for j, code in enumerate(codes):
            split = splits[code]
            a[row[split.pole_region], j] += employment[j]
            a[row[split.other_region], j] -= employment[j]
            base[row[split.other_region]] += employment[j]
        goal = target.to_numpy(dtype=float)
        weight = 1 / np.sqrt(goal)
        prior = np.array([splits[c].prior for c in codes])
        penalty = np.sqrt(ridge * employment)
        matrix = np.vstack([a * weight[:, None], np.diag(penalty)])
        rhs = np.concatenate([(goal - base) * weight, penalty * prior])
        share = box_least_squares(matrix, rhs)
        fitted = base + a @ share
        for j, code in enumerate(codes):
            split = splits[code]
            for region, role, value, pri in (
                (split.pole_region, "pole", share[j], prior[j]),
                (split.other_region, "other", 1 - share[j], 1 - prior[j]),
            ):
                share_rows.append((code, split.name, region, role, year, value, pri))
        for region, goal_r, fitted_r in zip(regions, goal, fitted, strict=True):
            residual_rows.append((region, year, goal_r, fitted_r))
    shares = pd.DataFrame(
        share_rows, columns=["zone", "zone_name", "region", "role", "year", "share", "prior"]
    )
    residuals = pd.DataFrame(residual_rows, columns=["region", "year", "target", "fitted"])
    residuals["residual"] = residuals["fitted"] - residuals["target"]
    residuals["residual_pct"] = residuals["residual"] / residuals["target"] * 100
    return InterregionalFit(shares=shares, residuals=residuals)


def box_least_squares(
    matrix: np.ndarray, rhs: np.ndarray, lower: float = 0.0, upper: float = 1.0
) -> np.ndarray:
    """Solve ``min ||matrix @ x - rhs||`` subject to ``lower <= x <= upper``, exactly.

    A primal active-set method (Nocedal and Wright, *Numerical Optimization*, 2nd ed.,
    algorithm 16.3, for the box): variables held at a bound form the working set; the
    others take the unconstrained least-squares step, cut short at the first bound it
    crosses, which then joins the set; once no step is left, a bound whose multiplier
    has the wrong sign is released. For a matrix of full column rank (the ridge rows of
    :func:`fit_shares` make it so) the problem is strictly convex and the method ends on
    its one solution, in a finite number of steps; the subproblems are solved by
    ``numpy.linalg.lstsq`` on the free columns, not by normal equations.

    Parameters
    ----------
    matrix : numpy.ndarray
        Shape ``(m, n)``, full column rank.
    rhs : numpy.ndarray
        Shape ``(m,)``.
    lower, upper : float, default 0 and 1
        The bounds, the same for every variable.

    Returns
    -------
    numpy.ndarray
        Shape ``(n,)``, within the bounds.

    Raises
    ------
    RuntimeError
        If the method has not ended after ``10 n + 100`` steps (it cannot, save for a
        rank-deficient matrix).
    """
    matrix = np.asarray(matrix, dtype=float)
    rhs = np.asarray(rhs, dtype=float)
    n = matrix.shape[1]
    x = np.clip(np.linalg.lstsq(matrix, rhs, rcond=None)[0], lower, upper)
    # The working set: -1 held at the lower bound, +1 at the upper one, 0 free.
    held = np.where(x <= lower, -1, np.where(x >= upper, 1, 0))
    scale = np.abs(matrix).max(initial=0.0) * max(np.abs(rhs).max(initial=0.0), 1.0)
    tol = 1e-12 * max(scale, 1.0)
    for _ in range(10 * n + 100):
        free = held == 0
        residual = rhs - matrix @ x
        step = np.zeros(n)
        if free.any():
            step[free] = np.linalg.lstsq(matrix[:, free], residual, rcond=None)[0]
        if np.abs(step).max(initial=0.0) <= 1e-13 * max(1.0, np.abs(x).max()):
            gradient = matrix.T @ (matrix @ x - rhs)
            # At the lower bound the gradient must point up, at the upper bound down.
            multiplier = np.where(held == -1, gradient, np.where(held == 1, -gradient, 0.0))
            worst = int(np.argmin(multiplier))
            if multiplier[worst] >= -tol:
                return np.clip(x, lower, upper)
            held[worst] = 0
            continue
        with np.errstate(divide="ignore", invalid="ignore"):
            room = np.where(
                step < 0, (lower - x) / step, np.where(step > 0, (upper - x) / step, np.inf)
            )
        room[~free] = np.inf
        blocking = int(np.argmin(room))
        if room[blocking] >= 1:
            x = x + step
        else:
            x = x + max(room[blocking], 0.0) * step
            x[blocking] = lower if step[blocking] < 0 else upper
            held[blocking] = -1 if step[blocking] < 0 else 1
    raise RuntimeError("box_least_squares did not converge; is the matrix of full rank?")


def split_zones(
    zones: pd.DataFrame, shares: pd.DataFrame, *, splits: dict[str, ZoneSplit] | None = None
) -> pd.DataFrame:
    """Divide every cell of the interregional zones between their two regions.

    Each cell of an interregional zone becomes two rows, one per region, holding the
    year's share of it: the pole region's part is rounded to whole jobs and the other
    region gets the rest, so the two parts add up exactly to the cell and France's
    totals do not move. A masked cell stays masked (missing) in both regions; a region
    whose share is 0 gets no row.

    Parameters
    ----------
    zones : pandas.DataFrame
        The zone-level table (``zone``, ``region``, ``year``, ``employment``, ``masked``
        and any other columns, which are kept).
    shares : pandas.DataFrame
        :attr:`InterregionalFit.shares` (``zone``, ``region``, ``year``, ``share``).
    splits : dict of str to ZoneSplit, optional
        The interregional zones; :data:`ZONE_SPLITS` by default.

    Returns
    -------
    pandas.DataFrame
        The same columns; the zones not in ``splits`` unchanged, first.

    Raises
    ------
    ParameterError
        If a year of an interregional zone has no share.
    """
    splits = ZONE_SPLITS if splits is None else splits
    shared = zones["zone"].isin(list(splits))
    pole = shares[shares["zone"].isin(list(splits))]
    pole = pole[pole["region"] == pole["zone"].map(lambda z: splits[z].pole_region)]
    pole_share = pole.set_index(["zone", "year"])["share"]
    cells = zones[shared]
    keys = pd.MultiIndex.from_frame(cells[["zone", "year"]])
    share = pd.Series(pole_share.reindex(keys).to_numpy(), index=cells.index)
    if share.isna().any():
        lacking = cells.loc[share.isna(), ["zone", "year"]].drop_duplicates()
        pairs = ", ".join(f"{z} {y}" for z, y in lacking.itertuples(index=False))
        raise ParameterError(f"No interregional share for {pairs}.")
    pole_part = np.rint(cells["employment"] * share)
    pole_rows = cells.assign(employment=pole_part)[share > 0]
    other_rows = cells.assign(
        region=cells["zone"].map(lambda z: splits[z].other_region),
        employment=cells["employment"] - pole_part,
    )[share < 1]
    return pd.concat([zones[~shared], pole_rows, other_rows], ignore_index=True)


def read_interregional_fit(*, data_dir: str | os.PathLike | None = None) -> InterregionalFit:
    """Fit the interregional shares on the URSSAF files.

    Reads the zone x A38 file and the regional series (both verified and cached, see
    :func:`analysis.read_urssaf_employment` and
    :func:`analysis.read_urssaf_region_series`) and runs :func:`fit_shares` for 2019,
    2022, 2023 and 2024.

    Parameters
    ----------
    data_dir : str or path-like, optional
        Raw-data folder.

    Returns
    -------
    InterregionalFit

    Examples
    --------
    >>> import analysis as an
    >>> fit = an.read_interregional_fit()
    >>> type(fit).__name__, fit.shares.shape, fit.residuals.shape
    ('InterregionalFit', (112, 7), (68, 6))

    Beauvais (``0054``), whose pole is in Hauts-de-France, has about 90 % of its jobs
    there (prior: 80 %), and the share barely moves from year to year:

    >>> beauvais = fit.shares[(fit.shares["zone"] == "0054") & (fit.shares["role"] == "pole")]
    >>> beauvais.set_index("year")["share"].round(3).to_dict()
    {2019: 0.905, 2022: 0.904, 2023: 0.905, 2024: 0.905}
    >>> stability = fit.stability().set_index("zone")
    >>> round(float(stability["max_diff"].max()), 3)  # largest move of a share, 2019-2024
    0.019
    """
    # Imported here: the loader imports this module to split its regional totals.
    from .loaders.employment import read_urssaf_employment, read_urssaf_region_series

    zones = read_urssaf_employment(level="zone", data_dir=data_dir)
    return fit_shares(zone_totals(zones), read_urssaf_region_series(data_dir=data_dir))


def interregional_shares(*, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Return the share of each interregional zone's employment in each region, by year.

    Parameters
    ----------
    data_dir : str or path-like, optional
        Raw-data folder.

    Returns
    -------
    pandas.DataFrame
        ``zone``, ``zone_name``, ``region``, ``role``, ``year``, ``share``, ``prior``
        (see :class:`InterregionalFit`).

    Examples
    --------
    >>> import analysis as an
    >>> shares = an.interregional_shares()
    >>> list(shares.columns)
    ['zone', 'zone_name', 'region', 'role', 'year', 'share', 'prior']
    >>> shares["zone"].nunique(), sorted(shares["year"].unique().tolist())
    (14, [2019, 2022, 2023, 2024])

    The two rows of a zone add up to 1. Bollène-Pierrelatte is named after a town of the
    Vaucluse (PACA, ``93``), but three quarters of its jobs are on the Drôme side
    (Auvergne-Rhône-Alpes, ``84``), where the Tricastin site is:

    >>> bollene = shares[(shares["zone"] == "0055") & (shares["year"] == 2024)]
    >>> print(bollene[["region", "role", "share", "prior"]].round(3).to_string(index=False))
    region  role  share  prior
        93  pole  0.265    0.5
        84 other  0.735    0.5
    """
    return read_interregional_fit(data_dir=data_dir).shares


def interregional_residuals(*, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Return how far the split regional totals are from URSSAF's regional series.

    Parameters
    ----------
    data_dir : str or path-like, optional
        Raw-data folder.

    Returns
    -------
    pandas.DataFrame
        ``region``, ``year``, ``target``, ``fitted``, ``residual`` (jobs),
        ``residual_pct`` (see :class:`InterregionalFit`).

    Examples
    --------
    >>> import analysis as an
    >>> residuals = an.interregional_residuals()
    >>> list(residuals.columns)
    ['region', 'year', 'target', 'fitted', 'residual', 'residual_pct']

    URSSAF's regional series leaves about 9 000 jobs a year in no region; Île-de-France,
    which shares no zone, keeps its own gap, and the regions that share zones split the
    rest at about 0.04 % each:

    >>> of_2024 = residuals[residuals["year"] == 2024].drop(columns="year").set_index("region")
    >>> round(float(of_2024["residual"].sum()))
    9099
    >>> print(of_2024.loc[["11", "32"]].round(2).to_string())
               target     fitted  residual  residual_pct
    region
    11      5182070.0  5186129.00   4059.00          0.08
    32      1543404.0  1544002.96    598.96          0.04
    """
    return read_interregional_fit(data_dir=data_dir).residuals
