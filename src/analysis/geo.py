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
from pathlib import Path

import pandas as pd

from ._cache import load_cached, raw_file
from .config import FRANCE as FRANCE  # defined there, light to import
from .errors import ParameterError
from .french import with_preposition
from .levels import LEVELS, Level
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

    Examples
    --------
    >>> import analysis as an
    >>> an.zone_region("3213")  # Dunkerque
    '32'
    >>> an.zone_region("0054")  # Beauvais: interregional, counted in its pole's region
    '32'

    With the zone names of the real file: Hauts-de-France counts 22 zones of its own and
    2 shared ones, the 24 of INSEE's 2020 study:

    >>> zones = an.read_zone_labels()
    >>> regions = zones["zone"].map(an.zone_region)
    >>> int((regions == "32").sum())
    24
    >>> zones.loc[(regions == "32") & zones["zone"].str.startswith("00"), "name"].tolist()
    ['Beauvais', 'La Vallée de la Bresle-Vimeu']
    >>> an.zone_region("9901")
    Traceback (most recent call last):
    ...
    KeyError: "`9901` is not a zone d'emploi 2020 code of a known region."
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
    require_columns(raw, ["code", "nom", "zone", "chefLieu", "typeLiaison"], source=path.name)
    regions = raw[raw["zone"].isin(["metro", "drom"])].reset_index(drop=True)
    check_codes(regions, "code", REGION_CODES, source=path.name, first_line=1)
    return pd.DataFrame(
        {
            "region": regions["code"].astype(str),
            "name": regions["nom"].astype(str),
            "metropolitan": regions["zone"].eq("metro"),
            "chef_lieu": regions["chefLieu"].astype(str),
            "tncc": regions["typeLiaison"].astype(int),
            "where": [
                with_preposition(n, t)
                for n, t in zip(regions["nom"], regions["typeLiaison"], strict=True)
            ],
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
        (bool), ``chef_lieu`` (commune code of the prefecture), ``tncc`` (INSEE's type of
        name, 0-5) and ``where`` (the name with its preposition, "en Île-de-France"),
        in INSEE order.

    Examples
    --------
    >>> import analysis as an
    >>> regions = an.read_regions()
    >>> list(regions.columns)
    ['region', 'name', 'metropolitan', 'chef_lieu', 'tncc', 'where']
    >>> len(regions), int(regions["metropolitan"].sum())
    (18, 13)
    >>> print(regions[regions["region"].isin(["11", "32", "94"])].to_string(index=False))
    region            name  metropolitan chef_lieu  tncc                    where
        11   Île-de-France          True     75056     1         en Île-de-France
        32 Hauts-de-France          True     59350     4 dans les Hauts-de-France
        94           Corse          True     2A004     0                 en Corse
    """
    return load_cached("geo_regions", _parse_regions, version=2, data_dir=data_dir)


def _parse_departements(path: os.PathLike) -> pd.DataFrame:
    with open(path, encoding="utf-8") as fh:
        raw = pd.DataFrame(json.load(fh))
    require_columns(raw, ["code", "nom", "zone", "region", "typeLiaison"], source=path.name)
    deps = raw[raw["zone"].isin(["metro", "drom"])].reset_index(drop=True)
    check_codes(deps, "region", REGION_CODES, source=path.name, first_line=1)
    return pd.DataFrame(
        {
            "departement": deps["code"].astype(str),
            "name": deps["nom"].astype(str),
            "region": deps["region"].astype(str),
            "metropolitan": deps["zone"].eq("metro"),
            "tncc": deps["typeLiaison"].astype(int),
            "where": [
                with_preposition(n, t)
                for n, t in zip(deps["nom"], deps["typeLiaison"], strict=True)
            ],
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
        Columns ``departement``, ``name``, ``region``, ``metropolitan``, ``tncc``,
        ``where`` ("dans le Nord"), in the file's order (Corsica after 29);
        :func:`read_areas` and :func:`departement_order` give INSEE's.

    Examples
    --------
    >>> import analysis as an
    >>> deps = an.read_departements()
    >>> list(deps.columns), len(deps)
    (['departement', 'name', 'region', 'metropolitan', 'tncc', 'where'], 101)
    >>> deps.set_index("departement").loc["59", ["name", "region", "where"]].tolist()
    ['Nord', '32', 'dans le Nord']
    >>> deps.loc[deps["region"] == "32", "name"].tolist()
    ['Aisne', 'Nord', 'Oise', 'Pas-de-Calais', 'Somme']
    >>> deps["departement"].tolist()[18:22]  # the file's order: Corsica after 29
    ['19', '21', '22', '23']
    """
    return load_cached("geo_departements", _parse_departements, version=2, data_dir=data_dir)


def _parse_zone_labels(path: os.PathLike) -> pd.DataFrame:
    raw = pd.read_csv(path, dtype=str)
    require_columns(raw, ["code_ze", "libelle_ze"], source=path.name)
    return pd.DataFrame({"zone": raw["code_ze"].str.zfill(4), "name": raw["libelle_ze"]})


def read_zone_labels(*, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Read the names of the 287 metropolitan employment zones (ZE 2020).

    Source: ``zones_emploi_libelles.csv``. The 18 overseas zones have no name there;
    the reports name them by their code.

    Returns
    -------
    pandas.DataFrame
        Columns ``zone`` (``"1109"``), ``name`` (``"Paris"``).

    Examples
    --------
    >>> import analysis as an
    >>> zones = an.read_zone_labels()
    >>> list(zones.columns), len(zones)
    (['zone', 'name'], 287)
    >>> zones.set_index("zone").loc[["1109", "3213", "3216"], "name"].tolist()
    ['Paris', 'Dunkerque', 'Lille']
    >>> int(zones["zone"].str.startswith("0").sum())  # the 14 interregional zones, no DOM one
    14
    """
    return load_cached("urssaf_ze_labels", _parse_zone_labels, version=1, data_dir=data_dir)


def read_areas(level: str | Level, *, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Read the areas of a level, with their parent and preposition.

    Parameters
    ----------
    level : str or Level
        ``"region"`` or ``"departement"`` (see :mod:`analysis.levels`).
    data_dir : str or path-like, optional
        Raw-data folder.

    Returns
    -------
    pandas.DataFrame
        Columns ``code``, ``name``, ``level``, ``parent`` (``"FR"`` for a region, the
        region for a département), ``where`` ("dans les Bouches-du-Rhône"),
        ``metropolitan``, in INSEE order.

    Raises
    ------
    ParameterError
        For a level whose areas are not read here.

    Examples
    --------
    >>> import analysis as an
    >>> deps = an.read_areas("departement")
    >>> list(deps.columns), len(deps)
    (['code', 'name', 'level', 'parent', 'where', 'metropolitan'], 101)
    >>> deps["code"].tolist()[18:22]  # INSEE order
    ['19', '2A', '2B', '21']
    >>> print(deps[deps["parent"] == "32"].to_string(index=False))
    code          name       level parent              where  metropolitan
      02         Aisne departement     32       dans l'Aisne          True
      59          Nord departement     32        dans le Nord          True
      60          Oise departement     32        dans l'Oise          True
      62 Pas-de-Calais departement     32 dans le Pas-de-Calais          True
      80         Somme departement     32       dans la Somme          True
    >>> regions = an.read_areas(an.get_level("region"))
    >>> len(regions), regions["parent"].unique().tolist()
    (18, ['FR'])
    """
    name = level.name if isinstance(level, Level) else str(level)
    if name == "region":
        table = read_regions(data_dir=data_dir).rename(columns={"region": "code"})
        table = table.assign(parent=FRANCE)
    elif name == "departement":
        table = read_departements(data_dir=data_dir).rename(
            columns={"departement": "code", "region": "parent"}
        )
        table = table.sort_values("code", key=lambda codes: codes.map(departement_order))
        table = table.reset_index(drop=True)
    else:
        raise ParameterError(
            f"No area list for level `{name}`; levels with areas: region, departement."
        )
    table = table.assign(level=LEVELS[name].name)
    return table[["code", "name", "level", "parent", "where", "metropolitan"]]


def read_departement_shapes(*, data_dir: str | os.PathLike | None = None):
    """Read the outlines of the 101 départements, for maps.

    Source: ``ref_geo/departements-avec-outre-mer.geojson`` (IGN Admin Express COG 2018,
    simplified). WGS84; overseas départements at their true position.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``departement``, ``name``, ``geometry`` (CRS EPSG:4326), in code order.

    Examples
    --------
    >>> import analysis as an
    >>> shapes = an.read_departement_shapes()
    >>> type(shapes).__name__, list(shapes.columns), len(shapes), str(shapes.crs)
    ('GeoDataFrame', ['departement', 'name', 'geometry'], 101, 'EPSG:4326')
    >>> nord = shapes.set_index("departement").loc["59"]
    >>> nord["name"], nord["geometry"].geom_type
    ('Nord', 'MultiPolygon')
    >>> [round(value, 2) for value in nord["geometry"].bounds]  # lon, lat of its box
    [2.07, 49.97, 4.23, 51.09]
    """
    return _parse_departement_shapes(raw_file("geo_departement_shapes", data_dir))


def _parse_departement_shapes(path: os.PathLike):
    shapes = _parse_shapes(path, "departement")
    shapes = shapes.sort_values("departement", key=lambda s: s.map(departement_order))
    return shapes.reset_index(drop=True)


def _parse_shapes(path: os.PathLike, key: str):
    """Read a GeoJSON of the catalogue: columns ``key`` (its ``code``), ``name``, ``geometry``."""
    import geopandas as gpd

    path = Path(path)
    with open(path, encoding="utf-8") as fh:
        features = json.load(fh)["features"]
    shapes = gpd.GeoDataFrame.from_features(features, crs="EPSG:4326")
    require_columns(shapes, ["code", "nom", "geometry"], source=path.name)
    shapes = shapes.rename(columns={"code": key, "nom": "name"})
    return shapes[[key, "name", "geometry"]]


def departement_order(code: str) -> tuple[int, str]:
    """Sort key of département codes in INSEE order: 01 ... 19, 2A, 2B, 21 ... 95, 971 ...

    >>> sorted(["21", "2B", "971", "2A", "19"], key=departement_order)
    ['19', '2A', '2B', '21', '971']
    """
    text = str(code)
    if text in ("2A", "2B"):
        return (20, text)
    return (int(text), "") if text.isdigit() else (10_000, text)


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

    Examples
    --------
    >>> import analysis as an
    >>> shapes = an.read_region_shapes()
    >>> type(shapes).__name__, list(shapes.columns), len(shapes), str(shapes.crs)
    ('GeoDataFrame', ['region', 'name', 'geometry'], 18, 'EPSG:4326')
    >>> shapes["region"].tolist() == list(an.REGION_CODES)
    True
    >>> hdf = shapes.set_index("region").loc["32", "geometry"]
    >>> [round(value, 2) for value in hdf.bounds]  # lon, lat of its box
    [1.38, 48.84, 4.26, 51.09]
    """
    return _parse_region_shapes(raw_file("geo_region_shapes", data_dir))


def _parse_region_shapes(path: os.PathLike):
    shapes = _parse_shapes(path, "region")
    check_codes(shapes, "region", REGION_CODES, source=Path(path).name, first_line=1)
    order = {code: i for i, code in enumerate(REGION_CODES)}
    shapes = shapes.sort_values("region", key=lambda s: s.map(order)).reset_index(drop=True)
    return shapes[["region", "name", "geometry"]]
