"""Regions, départements, employment zones and region shapes.

The 18 regions are identified by their INSEE codes as two-character strings (``"01"`` to
``"06"`` overseas, ``"11"`` to ``"94"`` in metropolitan France); France as a whole is
``"FR"`` in every table of the package.

Employment zones (zones d'emploi 2020) nest in regions, except 14 interregional zones,
coded ``0051`` to ``0064``, that straddle two regions. Without the communes of each zone we
cannot split them, so :data:`INTERREGIONAL_ZONES` assigns each one *whole* to the region of
the town that names it (its main pole; for a double name, the first). Tables keep an
``interregional`` flag so that a user can leave these zones out instead.
"""

from __future__ import annotations

import json
import os

import pandas as pd

from ._cache import load_cached, raw_file
from .config import FRANCE as FRANCE  # defined there, light to import
from .schemas import check_codes, require_columns

#: INSEE codes of the 13 metropolitan regions.
METROPOLITAN_REGIONS = (
    "11",
    "24",
    "27",
    "28",
    "32",
    "44",
    "52",
    "53",
    "75",
    "76",
    "84",
    "93",
    "94",
)
#: INSEE codes of the 5 overseas regions (DROM).
OVERSEAS_REGIONS = ("01", "02", "03", "04", "06")
#: INSEE codes of the 18 regions, in INSEE order.
REGION_CODES = OVERSEAS_REGIONS + METROPOLITAN_REGIONS

#: Interregional employment zones: code -> (name, pole town, its département, region kept).
INTERREGIONAL_ZONES: dict[str, tuple[str, str, str, str]] = {
    "0051": ("Alençon", "Alençon", "61", "28"),
    "0052": ("Arles", "Arles", "13", "93"),
    "0053": ("Avignon", "Avignon", "84", "93"),
    "0054": ("Beauvais", "Beauvais", "60", "32"),
    "0055": ("Bollène-Pierrelatte", "Bollène", "84", "93"),
    "0056": ("Cosne-Cours-sur-Loire", "Cosne-Cours-sur-Loire", "58", "27"),
    "0057": ("Dreux", "Dreux", "28", "24"),
    "0058": ("La Vallée de la Bresle-Vimeu", "Vimeu (Somme)", "80", "32"),
    "0059": ("Mâcon", "Mâcon", "71", "27"),
    "0060": ("Nevers", "Nevers", "58", "27"),
    "0061": ("Nogent-le-Rotrou", "Nogent-le-Rotrou", "28", "24"),
    "0062": ("Redon", "Redon", "35", "53"),
    "0063": ("Ussel", "Ussel", "19", "75"),
    "0064": ("Valréas", "Valréas", "84", "93"),
}


def zone_region(zone: str) -> str:
    """Return the region an employment zone (ZE 2020 code) is counted in.

    Parameters
    ----------
    zone : str
        Four-character ZE 2020 code, e.g. ``"1101"`` or ``"0053"``.

    Returns
    -------
    str
        Region code: the first two characters for a zone inside one region (``"01"``
        to ``"04"`` overseas), the region of the pole for an interregional zone.

    Raises
    ------
    KeyError
        For a code that is neither interregional nor prefixed by a region code.
    """
    if zone in INTERREGIONAL_ZONES:
        return INTERREGIONAL_ZONES[zone][3]
    prefix = zone[:2]
    if len(zone) != 4 or prefix not in REGION_CODES:
        raise KeyError(f"`{zone}` is not a zone d'emploi 2020 code of a known region.")
    return prefix


def _parse_regions(path: os.PathLike) -> pd.DataFrame:
    with open(path, encoding="utf-8") as fh:
        raw = pd.DataFrame(json.load(fh))
    require_columns(raw, ["code", "nom", "zone", "chefLieu"], source=path.name)
    regions = raw[raw["zone"].isin(["metro", "drom"])].reset_index(drop=True)
    check_codes(regions, "code", REGION_CODES, source=path.name, first_line=1)
    return pd.DataFrame(
        {
            "region": regions["code"].astype(str),
            "name": regions["nom"].astype(str),
            "metropolitan": regions["zone"].eq("metro"),
            "chef_lieu": regions["chefLieu"].astype(str),
        }
    )


def read_regions(*, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Read the 18 regions of the INSEE code officiel géographique.

    Source: ``ref_geo/regions.json`` (Etalab decoupage-administratif 6.0.0, from the
    COG). The 8 overseas collectivities of the file (``zone == "com"``) are dropped.

    Parameters
    ----------
    data_dir : str or path-like, optional
        Raw-data folder.

    Returns
    -------
    pandas.DataFrame
        Columns ``region`` (``"11"``), ``name`` (``"Île-de-France"``), ``metropolitan``
        (bool), ``chef_lieu`` (commune code of the prefecture), in INSEE order.
    """
    return load_cached("geo_regions", _parse_regions, version=1, data_dir=data_dir)


def _parse_departements(path: os.PathLike) -> pd.DataFrame:
    with open(path, encoding="utf-8") as fh:
        raw = pd.DataFrame(json.load(fh))
    require_columns(raw, ["code", "nom", "zone", "region"], source=path.name)
    deps = raw[raw["zone"].isin(["metro", "drom"])].reset_index(drop=True)
    check_codes(deps, "region", REGION_CODES, source=path.name, first_line=1)
    return pd.DataFrame(
        {
            "departement": deps["code"].astype(str),
            "name": deps["nom"].astype(str),
            "region": deps["region"].astype(str),
        }
    )


def read_departements(*, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Read the 101 départements with their region.

    Source: ``ref_geo/departements.json`` (Etalab decoupage-administratif 6.0.0).
    Overseas collectivities are dropped; Corsica is ``2A`` and ``2B``.

    Parameters
    ----------
    data_dir : str or path-like, optional
        Raw-data folder.

    Returns
    -------
    pandas.DataFrame
        Columns ``departement``, ``name``, ``region``.
    """
    return load_cached("geo_departements", _parse_departements, version=1, data_dir=data_dir)


def read_region_shapes(*, data_dir: str | os.PathLike | None = None):
    """Read the outlines of the 18 regions, for maps.

    Source: ``ref_geo/regions-avec-outre-mer.geojson`` (IGN Admin Express COG 2018,
    simplified). Coordinates are WGS84 longitudes and latitudes; overseas regions lie at
    their true position, so a map of France draws them as insets.

    Parameters
    ----------
    data_dir : str or path-like, optional
        Raw-data folder.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``region``, ``name``, ``geometry`` (CRS EPSG:4326), in INSEE order.
    """
    import geopandas as gpd

    path = raw_file("geo_region_shapes", data_dir)
    with open(path, encoding="utf-8") as fh:
        features = json.load(fh)["features"]
    shapes = gpd.GeoDataFrame.from_features(features, crs="EPSG:4326")
    require_columns(shapes, ["code", "nom", "geometry"], source=path.name)
    check_codes(shapes, "code", REGION_CODES, source=path.name, first_line=1)
    shapes = shapes.rename(columns={"code": "region", "nom": "name"})
    order = {code: i for i, code in enumerate(REGION_CODES)}
    shapes = shapes.sort_values("region", key=lambda s: s.map(order)).reset_index(drop=True)
    return shapes[["region", "name", "geometry"]]
