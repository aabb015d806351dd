"""Every table a report needs, loaded once and shared by the sections of a report.

:class:`Datasets` wraps the loaders (each verified and cached on disk) and adds the few
views the reports use over and over: regions with France stacked in one frame, and
France métropolitaine as the sum of its 13 regions. It holds no logic of its own.
"""

from __future__ import annotations

import contextlib
import os
import pickle
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from .config import DataPaths
from .geo import (
    FRANCE,
    read_departement_shapes,
    read_departements,
    read_region_shapes,
    read_regions,
    read_zone_labels,
)
from .interregional import ASSUMPTION, InterregionalFit, read_interregional_fit
from .loaders import (
    read_apprenticeship,
    read_apprenticeship_departements,
    read_apprenticeship_observations,
    read_bmo,
    read_insee_employment,
    read_urssaf_departement_series,
    read_urssaf_employment,
    read_urssaf_region_series,
)

#: Code used in the tables for France métropolitaine (the 13 regions), the reference of
#: the specialisation index and of the shift-share decomposition.
METROPOLE = "FM"

__all__ = ["METROPOLE", "Datasets", "preload", "shared"]

# Tables read before any report, by the batch's warm process (see :func:`preload`).
_PRELOADED: dict[str, Datasets] = {}


@dataclass(frozen=True)
class Datasets:
    """The tables of the reports, each read on first use.

    Parameters
    ----------
    data_dir : str or path-like, optional
        Raw-data folder (see :class:`analysis.DataPaths`).

    Examples
    --------
    >>> import analysis as an
    >>> ds = an.Datasets()
    >>> ds.names["32"], ds.names[an.METROPOLE], ds.where["Nord"]
    ('Hauts-de-France', 'France métropolitaine', 'dans le Nord')

    Each table is read on first use, then kept. ``insee`` stacks the regions and France:

    >>> insee = ds.insee
    >>> list(insee.columns)
    ['region', 'departement', 'a5', 'a17', 'quarter', 'employment', 'provisional']
    >>> insee["region"].nunique(), "FR" in set(insee["region"])
    (18, True)
    >>> ds.insee is insee
    True
    >>> at = (insee["region"] == "FR") & (insee["quarter"] == an.quarter("2019T4"))
    >>> round(insee.loc[at & (insee["a5"] == "BE"), "employment"].sum())
    3166970
    """

    data_dir: str | os.PathLike | None = None

    @cached_property
    def regions(self) -> pd.DataFrame:
        """The 18 regions: ``region``, ``name``, ``metropolitan``, ``chef_lieu``."""
        return read_regions(data_dir=self.data_dir)

    @cached_property
    def names(self) -> dict[str, str]:
        """Region code -> name, with ``"FR"`` -> ``"France"``."""
        names = dict(zip(self.regions["region"], self.regions["name"], strict=True))
        names[FRANCE] = "France"
        names[METROPOLE] = "France métropolitaine"
        return names

    @cached_property
    def departements(self) -> pd.DataFrame:
        """The 101 départements: ``departement``, ``name``, ``region``, ``where``..."""
        return read_departements(data_dir=self.data_dir)

    @cached_property
    def where(self) -> dict[str, str]:
        """Name -> name with its preposition, for regions, départements and France.

        Derived from INSEE's TNCC in the geography files
        (:func:`analysis.french.with_preposition`): ``"Nord"`` -> ``"dans le Nord"``.
        """
        where = dict(zip(self.regions["name"], self.regions["where"], strict=True))
        where.update(zip(self.departements["name"], self.departements["where"], strict=True))
        where["France"] = "en France"
        where["France métropolitaine"] = "en France métropolitaine"
        return where

    @cached_property
    def departement_shapes(self):
        """Département outlines (GeoDataFrame, EPSG:4326)."""
        return read_departement_shapes(data_dir=self.data_dir)

    @cached_property
    def insee_departements(self) -> pd.DataFrame:
        """INSEE quarterly salaried employment by département and A17."""
        return read_insee_employment(level="departement", data_dir=self.data_dir)

    @cached_property
    def urssaf_departement_totals(self) -> pd.DataFrame:
        """URSSAF private employment, all sectors, by département and year (2014-2024)."""
        return read_urssaf_departement_series(data_dir=self.data_dir)

    @cached_property
    def apprenticeship_departements(self) -> pd.DataFrame:
        """DITP's monthly cumulative apprenticeship contracts by département, 2022-2024."""
        return read_apprenticeship_departements(data_dir=self.data_dir)

    @cached_property
    def bmo_departements(self) -> pd.DataFrame:
        """BMO 2025 recruitment projects by département and occupation."""
        return read_bmo(level="departement", data_dir=self.data_dir)

    @cached_property
    def urssaf_zones(self) -> pd.DataFrame:
        """URSSAF private employment by employment zone and A38 (2019, 2022-2024)."""
        return read_urssaf_employment(level="zone", data_dir=self.data_dir)

    @cached_property
    def zone_names(self) -> dict[str, str]:
        """Employment-zone code -> name (metropolitan zones only)."""
        labels = read_zone_labels(data_dir=self.data_dir)
        return dict(zip(labels["zone"], labels["name"], strict=True))

    @cached_property
    def shapes(self):
        """Region outlines (GeoDataFrame, EPSG:4326)."""
        return read_region_shapes(data_dir=self.data_dir)

    @cached_property
    def insee(self) -> pd.DataFrame:
        """INSEE quarterly salaried employment by region and A17, France as ``"FR"``."""
        regions = read_insee_employment(level="region", data_dir=self.data_dir)
        france = read_insee_employment(level="france", data_dir=self.data_dir)
        return pd.concat([regions, france], ignore_index=True)

    @cached_property
    def urssaf(self) -> pd.DataFrame:
        """URSSAF private employment by region and A38 (2019, 2022-2024), with ``"FR"``.

        The 14 interregional zones are split between their two regions
        (:mod:`analysis.interregional`); see :attr:`interregional_shares`.
        """
        regions = read_urssaf_employment(level="region", zones="split", data_dir=self.data_dir)
        france = read_urssaf_employment(level="france", data_dir=self.data_dir)
        return pd.concat([regions, france], ignore_index=True)

    @cached_property
    def _like_for_like(self) -> dict:
        return {}

    def urssaf_like_for_like(self, start: int, end: int) -> pd.DataFrame:
        """URSSAF by region and A38 for ``start`` and ``end``, on the cells known at both.

        The table of :attr:`urssaf` restricted to two years, where a zone x A38 cell
        secret in either year is left out of both: the base of every change, so that a
        cell that stops being secret is not counted as growth.
        """
        key = (int(start), int(end))
        if key not in self._like_for_like:
            regions = read_urssaf_employment(
                level="region", zones="split", common_years=key, data_dir=self.data_dir
            )
            france = read_urssaf_employment(
                level="france", common_years=key, data_dir=self.data_dir
            )
            self._like_for_like[key] = pd.concat([regions, france], ignore_index=True)
        return self._like_for_like[key]

    @cached_property
    def interregional(self) -> InterregionalFit:
        """The estimated split of the 14 interregional zones, with its residuals."""
        return read_interregional_fit(data_dir=self.data_dir)

    @property
    def interregional_shares(self) -> pd.DataFrame:
        """Share of each interregional zone in each of its two regions, by year.

        Columns ``zone``, ``zone_name``, ``region``, ``role``, ``year``, ``share``,
        ``prior`` (see :class:`analysis.interregional.InterregionalFit`).
        """
        return self.interregional.shares

    @property
    def interregional_residuals(self) -> pd.DataFrame:
        """Split regional totals against URSSAF's regional series, by region and year.

        Columns ``region``, ``year``, ``target``, ``fitted``, ``residual``,
        ``residual_pct``.
        """
        return self.interregional.residuals

    @property
    def interregional_assumption(self) -> str:
        """The assumption behind the split, in one English sentence."""
        return ASSUMPTION

    @cached_property
    def urssaf_totals(self) -> pd.DataFrame:
        """URSSAF private employment, all sectors, by region and year (2014-2024)."""
        return read_urssaf_region_series(data_dir=self.data_dir)

    @cached_property
    def apprenticeship(self) -> pd.DataFrame:
        """New apprenticeship contracts, one value per region and year (2017-2024)."""
        return read_apprenticeship(data_dir=self.data_dir)

    @cached_property
    def apprenticeship_observations(self) -> pd.DataFrame:
        """Every published apprenticeship figure, with its source and cut-off date."""
        return read_apprenticeship_observations(data_dir=self.data_dir)

    @cached_property
    def bmo(self) -> pd.DataFrame:
        """BMO 2025 recruitment projects by region and occupation, with ``"FR"``."""
        regions = read_bmo(level="region", data_dir=self.data_dir)
        france = read_bmo(level="france", data_dir=self.data_dir)
        return pd.concat([regions, france], ignore_index=True)


def _key(data_dir) -> str:
    return str(DataPaths.resolve(data_dir).raw.resolve())


def preload(data_dir: str | os.PathLike | None = None, *, cache: bool = True) -> Datasets:
    """Read every table of :class:`Datasets` now and keep it for :func:`shared`.

    Called by the batch's zygote (:mod:`analysis._zygote`) before it forks a kernel per
    report: each report then starts with the tables read, in a process of its own, so
    that what one report does to them never reaches another.

    With ``cache``, the tables read are also kept as one pickle in the cache folder,
    under a name made of the raw files' sha256, the data folder and the code that reads
    them; it is used only when every raw file has the catalogue's sha256 (the check a
    loader makes), so a changed or corrupt file is read, and reported, the usual way.
    """
    path = _preload_path(data_dir) if cache else None
    if path is not None and path.is_file():
        try:
            with open(path, "rb") as fh:
                ds = pickle.load(fh)
        except Exception:  # a damaged cache file is rebuilt, never trusted
            ds = None
        if isinstance(ds, Datasets):
            _PRELOADED[_key(data_dir)] = ds
            return ds
    ds = Datasets(data_dir)
    for name in (
        "regions",
        "names",
        "shapes",
        "insee",
        "urssaf",
        "interregional",
        "urssaf_totals",
        "apprenticeship",
        "apprenticeship_observations",
        "bmo",
        "departements",
        "where",
        "departement_shapes",
        "insee_departements",
        "urssaf_departement_totals",
        "apprenticeship_departements",
        "bmo_departements",
        "urssaf_zones",
        "zone_names",
    ):
        getattr(ds, name)
    # The like-for-like pairs of URSSAF years the reports compare (a handful).
    years = sorted(int(y) for y in ds.urssaf["year"].unique())
    for i, start in enumerate(years):
        for end in years[i + 1 :]:
            ds.urssaf_like_for_like(start, end)
    _PRELOADED[_key(data_dir)] = ds
    if path is not None:
        from ._files import atomic_write

        def dump(tmp) -> None:
            with open(tmp, "wb") as fh:
                pickle.dump(ds, fh, protocol=pickle.HIGHEST_PROTOCOL)

        with contextlib.suppress(OSError):  # a read-only cache only costs speed
            atomic_write(path, dump)
    return ds


def _preload_path(data_dir) -> Path | None:
    """Where :func:`preload` keeps its tables for this data and code, if the data are valid."""
    from . import incremental
    from .sources import catalogue

    raw = incremental.raw_digests(data_dir)
    if any(raw[source.id] != source.sha256 for source in catalogue(data_dir)):
        return None
    code = incremental.code_digest(incremental.imported_modules(["analysis.datasets"]))
    digest = incremental.digest_of({"raw": raw, "folder": _key(data_dir), "code": code})[:16]
    return DataPaths.resolve(data_dir).cache / f"preload-{digest}.pickle"


def shared(data_dir: str | os.PathLike | None = None) -> Datasets:
    """Return the tables preloaded for ``data_dir`` in this process, else a new :class:`Datasets`.

    Outside the batch's warm kernels nothing is preloaded, and each call reads anew.
    """
    return _PRELOADED.get(_key(data_dir)) or Datasets(data_dir)
