"""The clickable map of the regions on the index page: an inline SVG, no file fetched.

The outlines are the catalogue's (``geo_region_shapes``, read by
:func:`analysis.geo.read_region_shapes`), drawn as the reports draw them
(:func:`analysis.plots.plot_region_map`): metropolitan France in Lambert-93, the five
overseas regions as insets down the right side, each in its local projection (the one
the département maps use) and at its own scale. To keep the page small, the metropolitan
outlines are simplified as one coverage (shared borders stay shared, so no gap opens
between neighbours), islands smaller than a few pixels are dropped and coordinates are
rounded to a tenth of a pixel: some 20 kB for the 18 regions.

The outlines, once projected and simplified, are cached as parquet beside the other
parsed tables (:func:`analysis._cache.load_cached`), so that writing the index after a
build reads a small table instead of the 1.7 MB GeoJSON.
"""

from __future__ import annotations

import html
import os
from collections.abc import Mapping
from pathlib import Path

__all__ = ["HEIGHT", "WIDTH", "region_map", "region_outlines"]

#: Size of the drawing (SVG user units, about CSS pixels at full size).
WIDTH, HEIGHT = 620, 462
#: Box of metropolitan France: left, top, width, height.
_METRO = (4.0, 6.0, 480.0, 450.0)
#: Column of the overseas insets: left, width; each inset's label height.
_INSET_LEFT, _INSET_WIDTH, _LABEL = 500.0, 116.0, 16.0
_OVERSEAS = ("01", "02", "03", "04", "06")
#: Département code of each overseas region, to take the reports' local projection.
_OVERSEAS_DEPARTEMENT = {"01": "971", "02": "972", "03": "973", "04": "974", "06": "976"}
#: Simplification tolerance and smallest island kept, in pixels.
_TOLERANCE, _SMALLEST = 1.0, 1.5
#: Version of the cached table: bump it whenever the drawing changes.
_VERSION = 2


def _inset_box(number: int) -> tuple[float, float, float, float]:
    """Return the box (left, top, width, height) of the ``number``-th overseas inset."""
    height = _METRO[3] / len(_OVERSEAS)
    return (_INSET_LEFT, _METRO[1] + number * height, _INSET_WIDTH, height - 4)


def _fit(box, bounds):
    """Return the affine parameters that fit ``bounds`` into ``box``, y pointing down."""
    left, top, width, height = box
    x0, y0, x1, y1 = bounds
    scale = min(width / (x1 - x0), height / (y1 - y0))
    # Centred in the box; SVG's y axis points down, the projection's up.
    dx = left + (width - scale * (x1 - x0)) / 2 - scale * x0
    dy = top + (height - scale * (y1 - y0)) / 2 + scale * y1
    return [scale, 0, 0, -scale, dx, dy], scale


def _number(tenths: int) -> str:
    """Return ``tenths / 10`` written as briefly as SVG reads it (``-.5``, ``12``, ``1.3``)."""
    text = f"{tenths / 10:.1f}".removesuffix(".0")
    return text.replace("0.", ".", 1) if text.startswith(("0.", "-0.")) else text


def _path(geometry) -> str:
    """Return the SVG path data of a (multi)polygon already in pixels, to a tenth of a pixel.

    Relative moves (``m x y dx dy …z``) between points rounded to a tenth of a pixel, so
    that the numbers are short and the rounding never drifts. Islands smaller than
    ``_SMALLEST`` square pixels are dropped, unless the region has nothing bigger.
    """
    polygons = [p for p in getattr(geometry, "geoms", [geometry]) if not p.is_empty]
    kept = [p for p in polygons if p.area >= _SMALLEST] or [max(polygons, key=lambda p: p.area)]
    parts, here = [], (0, 0)
    for polygon in kept:
        for ring in (polygon.exterior, *polygon.interiors):
            points = [(round(x * 10), round(y * 10)) for x, y in ring.coords[:-1]]
            # Rounding may leave the same point twice in a row: drop the repeats.
            points = [p for i, p in enumerate(points) if i == 0 or p != points[i - 1]]
            if len(points) < 3:
                continue
            text = "m"
            for x, y in points:
                for value in (x - here[0], y - here[1]):
                    number = _number(value)
                    text += number if text[-1] == "m" or number[0] == "-" else " " + number
                here = (x, y)
            parts.append(text + "z")
            here = points[0]  # where "z" leaves the pen
    return "".join(parts)


def _parse(path: Path):
    """Project, simplify and place the 18 regions; return ``region``, ``name``, ``d``."""
    import pandas as pd
    import shapely
    from shapely import affinity

    from .geo import read_region_shapes
    from .plots import _OVERSEAS_CRS

    # ``path`` is <raw>/ref_geo/<file>: read it through the geo loader, which checks it.
    shapes = read_region_shapes(data_dir=path.parent.parent)
    rows = []
    metro = shapes[~shapes["region"].isin(_OVERSEAS)].to_crs(2154)
    matrix, scale = _fit(_METRO, metro.total_bounds)
    # One tolerance in metres for the whole coverage, so that borders stay shared.
    simplified = shapely.coverage_simplify(metro.geometry.values, _TOLERANCE / scale)
    for (code, name), geometry in zip(
        metro[["region", "name"]].itertuples(index=False), simplified, strict=True
    ):
        rows.append((code, name, _path(affinity.affine_transform(geometry, matrix))))
    for number, code in enumerate(_OVERSEAS):
        row = shapes[shapes["region"] == code]
        if row.empty:
            continue
        local = row.to_crs(_OVERSEAS_CRS[_OVERSEAS_DEPARTEMENT[code]])
        left, top, width, height = _inset_box(number)
        box = (left, top + _LABEL, width, height - _LABEL)
        matrix, scale = _fit(box, local.total_bounds)
        geometry = local.geometry.iloc[0].simplify(_TOLERANCE / scale)
        rows.append((code, row["name"].iloc[0], _path(affinity.affine_transform(geometry, matrix))))
    return pd.DataFrame(rows, columns=["region", "name", "d"])


def region_outlines(*, data_dir: str | os.PathLike | None = None):
    """Return the outlines of the 18 regions as SVG path data, placed on the index's map.

    Parameters
    ----------
    data_dir : str or path-like, optional
        Raw-data folder (default: ``$ANALYSIS_DATA_DIR`` or the checkout's ``data/raw``).

    Returns
    -------
    pandas.DataFrame
        Columns ``region``, ``name`` and ``d`` (the ``d`` attribute of an SVG path, in
        the units of a ``0 0 620 462`` view box), metropolitan regions first in INSEE
        order, then the overseas regions.

    Raises
    ------
    DataNotFetchedError, ChecksumError
        When the shapes file is missing or not the catalogue's.

    Examples
    --------
    >>> import analysis.site_map as site_map
    >>> outlines = site_map.region_outlines()
    >>> outlines["region"].tolist()[:3], len(outlines)
    (['11', '24', '27'], 18)
    >>> outlines.set_index("region").loc["94", "d"][:6]  # Corsica, from its first point
    'm480.3'
    """
    from ._cache import load_cached

    return load_cached(
        "geo_region_shapes", _parse, version=_VERSION, data_dir=data_dir, variant="site-map"
    )


def region_map(
    links: Mapping[str, tuple[str, str]],
    *,
    data_dir: str | os.PathLike | None = None,
    title: str = "Carte des régions",
) -> str:
    """Return the map as inline SVG: each region in ``links`` a link, the others grey.

    Parameters
    ----------
    links : mapping
        Region code -> (``href``, accessible name), e.g.
        ``{"94": ("2024/94.html", "Corse, rapport 2024")}``.
    data_dir : str or path-like, optional
        Raw-data folder of the outlines.
    title : str
        The drawing's own title (its accessible name).

    Returns
    -------
    str
        ``<svg>…</svg>``, well-formed XML; ``""`` when the outlines cannot be read (raw
        data not fetched, or geopandas missing), so that the index is written anyway.

    Examples
    --------
    >>> import analysis.site_map as site_map
    >>> svg = site_map.region_map({"94": ("2024/94.html", "Corse, rapport 2024")})
    >>> svg.count("<a "), '<a href="2024/94.html" aria-label="Corse, rapport 2024">' in svg
    (1, True)
    """
    from .errors import AnalysisError

    try:
        outlines = region_outlines(data_dir=data_dir)
    except (AnalysisError, OSError, ImportError, ValueError):
        return ""
    shapes = []
    for code, name, d in outlines[["region", "name", "d"]].itertuples(index=False):
        inset, label = "", ""
        if code in _OVERSEAS:  # an inset: its frame, and the region's name above it
            left, top, width, height = _inset_box(_OVERSEAS.index(code))
            inset = (
                f'<rect class="cadre" x="{left:g}" y="{top:g}" width="{width:g}" '
                f'height="{height:g}"/>'
            )
            label = f'<text x="{left + width / 2:g}" y="{top + 12:g}">{html.escape(name)}</text>'
        if code in links:
            href, accessible = (html.escape(text) for text in links[code])
            # The whole inset is the link, its name included.
            shapes.append(
                f'<a href="{href}" aria-label="{accessible}"><title>{accessible}</title>'
                f'{inset}<path d="{d}"/>{label}</a>'
            )
        else:
            shapes.append(f'<g class="vide" aria-hidden="true"><path d="{d}"/>{label}</g>')
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="carte" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="group" aria-label="{html.escape(title)}">'
        f"<title>{html.escape(title)}</title>{''.join(shapes)}</svg>"
    )
