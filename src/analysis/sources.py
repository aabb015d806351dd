"""The catalogue of the original open-data files the project reads.

One :class:`Source` per file: who publishes it, under which licence, where it comes from
(the publisher's URL, or the upstream repository's raw file at a fixed commit), where it
lands in ``data/raw``, and its size and sha256, which the fetch step and every loader check.

Two URSSAF files are published upstream as parquet and kept in the mirror as the CSV that
pandas writes from them (``derive``); when they are downloaded rather than copied, the fetch
step performs the same conversion and the checksum of the result is checked all the same.

:data:`CATALOGUE` holds the pinned versions. When ``python -m analysis updates --apply`` has
installed a newer version of a file, the vintage file beside the raw-data folder
(``data/vintages.json``) records its URL, size and sha256, and those take precedence:
:func:`catalogue` and :func:`get_source` return the effective entries of a raw-data folder,
which every check (fetch, loaders, reports' checksums) uses.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace

from ._vintages import Vintage, read_vintages

_GITHUB_RAW = "https://raw.githubusercontent.com"


@dataclass(frozen=True)
class Source:
    """One original file of the catalogue.

    Parameters
    ----------
    id : str
        Short identifier used by loaders and the CLI.
    title, publisher, licence, landing_page : str
        What the file is, who publishes it, its licence and its documentation page.
    url : str
        Download address (publisher, or upstream repository at a fixed commit).
    path : str
        Location under ``data/raw`` (and under a mirror folder), with ``/`` separators.
    size : int
        Size in bytes of the file as stored in ``data/raw``.
    sha256 : str
        Hex digest of the file as stored in ``data/raw``.
    coverage : str
        Geography and period covered, in one line.
    traps : str
        What a user must know before using the figures.
    derive : str or None
        Name of the conversion applied to the downloaded file (``None``: used as is).
    watch : str or None
        How ``python -m analysis updates`` asks the publisher for a newer version, when the
        URL does not say it: ``"datagouv:<dataset>[/<resource id>]"`` (data.gouv.fr API),
        ``"urssaf:<dataset>[/<export format>]"`` (open.urssaf.fr, Opendatasoft), ``"http"``
        (the URL's headers). ``None``: derived from the URL (a GitHub raw URL asks GitHub's
        API; see :func:`analysis.updates.watch_for`).
    version : str or None
        The publisher's name for the pinned version when the URL does not carry it (a
        data.gouv.fr checksum ``sha1:...``, an Opendatasoft ``modified`` date, an ETag or a
        Last-Modified date); the vintage file's replaces it.
    """

    id: str
    title: str
    publisher: str
    licence: str
    landing_page: str
    url: str
    path: str
    size: int
    sha256: str
    coverage: str
    traps: str
    derive: str | None = None
    watch: str | None = None
    version: str | None = None

    @property
    def file_name(self) -> str:
        """Base name of the file."""
        return self.path.rsplit("/", 1)[-1]


def _gh(repo: str, commit: str, path: str) -> str:
    return f"{_GITHUB_RAW}/{repo}/{commit}/{path}"


_ASR = "RemiDumas/ASR-emploi", "bb3ffc11bc67c63618a1fe5906bb20259606eaa6"
_CONJ = "RemiDumas/stage_conjoncture", "a040c016f313f078df7f09d5d9123a0e5f07c1e2"
_PTOD = "vincentroue/ptod-observatoire-territorial", "00822a7586b9f3f85b09b09d05383c1ccc9d6ce7"
_ETALAB = "etalab/barometre-resultats-donnees", "825d445459e2c0528811d8d511259e8682981784"
_DITP = "DITP-pilotage/barometre-resultats", "8bab813aa2926e9293cd85d3ac8c35ed74604347"
_BMO = "clementfays/niveau-d-etudes-et-metiers-verts", "506d5520797554c8fde0a200dbf1028f7d07d289"
_DECOUPAGE = "etalab/decoupage-administratif", "v6.0.0"
_GEOJSON = "gregoiredavid/france-geojson", "5d34ee6d0140c29f785fdb047d9329f1aab58833"
_BAROMETRE_PAGE = (
    "https://www.data.gouv.fr/fr/datasets/barometre-des-resultats-de-laction-publique/"
)
_LO2 = "Licence Ouverte 2.0 (Etalab)"

CATALOGUE: tuple[Source, ...] = (
    Source(
        id="insee_ete_a17",
        title="Estimations trimestrielles d'emploi salarié par département et A17",
        publisher="INSEE (estimations d'emploi; MSA, Urssaf, DARES)",
        licence="Licence Ouverte (INSEE); not restated upstream",
        landing_page="https://github.com/RemiDumas/ASR-emploi",
        url=_gh(*_ASR, "data/ete_dep_a17_2020t1.xls"),
        path="emploi_salarie/ete_dep_a17_2020t1.xls",
        size=2_305_024,
        sha256="d7be500e8a3bce60af2c50fc4d973bfda2cc448cf9f02307e72a2b253582dfb1",
        coverage="100 départements (no Mayotte), 17 regions, 2001T4-2020T1, all salaried jobs",
        traps="Empty before 2010T4 for agriculture, non-market services and the DOM; "
        "the last quarters are provisional; temp work counted in MN78, not in industry.",
    ),
    Source(
        id="insee_a17_labels",
        title="Libellés de la nomenclature A17 et regroupement A5",
        publisher="INSEE (table de passage)",
        licence="Licence Ouverte (INSEE); not restated upstream",
        landing_page="https://www.insee.fr/fr/information/2406147",
        url=_gh(*_CONJ, "tables_passage/table_A17.csv"),
        path="emploi_salarie/table_A17.csv",
        size=1_251,
        sha256="ac15b6acf2cfed450cf317f70872ba76ed0cfb80202901ee7f2161ea013bd245",
        coverage="17 A17 sectors with their A5 group",
        traps="Semicolon-separated.",
    ),
    Source(
        id="urssaf_ze_a38",
        title="Emploi salarié privé par zone d'emploi et secteur A38, 2019 et 2022-2024",
        publisher="Urssaf (open data), aggregated to zones d'emploi 2020 x A38 upstream",
        licence="Licence Ouverte 2.0 (Urssaf open data); none in the upstream repository",
        landing_page="https://github.com/vincentroue/ptod-observatoire-territorial",
        url=_gh(*_PTOD, "src/data/exdeco_pivot_urssaf_a38.parquet"),
        path="emploi_salarie_urssaf_ze/exdeco_pivot_urssaf_a38.csv",
        size=872_036,
        sha256="efcc3f30d32a83d9b449f3a0dc8318baf505a7878f65dc44ff0677e5c4fc315b",
        coverage="305 zones d'emploi (no Mayotte) x 35 A38 sectors, 2019, 2022, 2023, 2024; "
        "private sector only",
        traps="89-115 cells a year empty (secret or absent); 14 zones straddle two regions "
        "(codes 0051-0064); private sector, not INSEE's total salaried employment; URSSAF's "
        "general scheme leaves out employees under the agricultural scheme (MSA), so food "
        "industries (CA) and agricultural cooperatives are undercounted; apprentices "
        "included (URSSAF counts them since its June 2023 publication, Stat'Ur 362; the "
        "series has no 2023 break, so every year follows that convention).",
        derive="parquet_to_csv",
    ),
    Source(
        id="urssaf_region_series",
        title="Emploi salarié privé tous secteurs par région, 2014-2024",
        publisher="Urssaf (open data), annual series compiled upstream",
        licence="Licence Ouverte 2.0 (Urssaf open data); none in the upstream repository",
        landing_page="https://github.com/vincentroue/ptod-observatoire-territorial",
        url=_gh(*_PTOD, "src/data/urssaf_serie_indice100.parquet"),
        path="emploi_salarie_urssaf_ze/urssaf_serie_indice100_reg_dep_france.csv",
        size=30_739,
        sha256="f839488f4c8f748dc87654ec9147efd74a964dc034d6567c2d20a2e24346941b",
        coverage="France, 17 regions (no Mayotte) and départements, 2014-2024, all sectors",
        traps="Totals only, no sector split; region codes are not zero-padded upstream; "
        "general scheme only (no MSA); apprentices included in every year (no 2023 break: "
        "+0.5 % from 2022 to 2023 for France).",
        derive="urssaf_series_subset",
    ),
    Source(
        id="etalab_apprenticeship_regional",
        title="Baromètre des résultats: relance, emploi, économie (détail régional)",
        publisher="Etalab / DITP (DARES PoEm, then DECA)",
        licence=_LO2,
        landing_page=_BAROMETRE_PAGE,
        url=_gh(
            *_ETALAB,
            "secteur-action-publique/economie-emploi/"
            "barometre-resultats-relance-emploi-economie-detail-regional.csv",
        ),
        path="barometre_resultats/barometre-resultats-relance-emploi-economie-detail-regional.csv",
        size=869_873,
        sha256="d17dd6f1c89b2668caeed14c16600b091e3a57f8b8c3510431b43b679f4c783c",
        coverage="18 regions, apprenticeship contracts per calendar year 2017-2021, "
        "then twelve months to 2022-10-31",
        traps="The last value, dated 2022-10-31, is a rolling twelve-month total "
        "(within 2 % of DITP's calendar 2022 in 16 of 18 regions), not January-October; "
        "DARES PoEm until 2019 (chambres consulaires), DECA from 2020: a 2019-2020 change "
        "crosses that change of system.",
    ),
    Source(
        id="etalab_apprenticeship_national",
        title="Baromètre des résultats: relance, emploi, économie (détail national)",
        publisher="Etalab / DITP (DARES PoEm, then DECA)",
        licence=_LO2,
        landing_page=_BAROMETRE_PAGE,
        url=_gh(
            *_ETALAB,
            "secteur-action-publique/economie-emploi/"
            "barometre-resultats-relance-emploi-economie-detail-national.csv",
        ),
        path="barometre_resultats/barometre-resultats-relance-emploi-economie-detail-national.csv",
        size=48_499,
        sha256="dcaccdd97d3ed7b00100bb2d1b754dcfc6098e77732787e4d2d466465e30551d",
        coverage="France, apprenticeship contracts per calendar year 2017-2021, "
        "then twelve months to 2022-10-31",
        traps="The last value, dated 2022-10-31, is a rolling twelve-month total "
        "(within 2 % of DITP's calendar 2022 in 16 of 18 regions), not January-October; "
        "DARES PoEm until 2019 (chambres consulaires), DECA from 2020: a 2019-2020 change "
        "crosses that change of system.",
    ),
    Source(
        id="ditp_ind313",
        title="IND-313 Nombre de nouveaux contrats d'apprentissage (cumul mensuel)",
        publisher="DITP, Baromètre des résultats de l'action publique",
        licence="Public government data; no licence file upstream",
        landing_page=_BAROMETRE_PAGE,
        url=_gh(*_DITP, "data/ind-313.csv"),
        path="apprentissage/ind-313.csv",
        size=135_056,
        sha256="af83523dd3de4348f14badaf09646272bfd96000ffd75eca7c2e45d9cacfa325",
        coverage="France, 18 regions, 101 départements, monthly 2022-01 to 2024-04",
        traps="Cumulative within each calendar year (December = year total); 2024 stops "
        "in April; the 2026-12 row is a target, not an observation.",
    ),
    Source(
        id="bmo_2025",
        title="Enquête Besoins en main-d'œuvre (BMO) 2025",
        publisher="France Travail",
        licence="Licence Ouverte (data.gouv.fr); none in the upstream repository",
        landing_page="https://www.data.gouv.fr/datasets/enquete-besoins-en-main-doeuvre-bmo",
        url=_gh(*_BMO, "Base_open_data_BMO_2025.xlsx"),
        path="bmo/Base_open_data_BMO_2025.xlsx",
        size=3_270_335,
        sha256="dbaa17677c79655a758c596457b41ea166804218c94c913b09c826a0db8ff9ae",
        coverage="18 regions, 101 départements, 406 bassins d'emploi x 217 occupations, 2025",
        traps="About 23 % of cells are masked ('*'): sums underestimate; by occupation, "
        "not by sector.",
    ),
    Source(
        id="geo_regions",
        title="Régions (code officiel géographique)",
        publisher="INSEE COG, packaged by Etalab (decoupage-administratif 6.0.0)",
        licence="MIT (package); data from the INSEE COG",
        landing_page="https://github.com/etalab/decoupage-administratif",
        url=_gh(*_DECOUPAGE, "data/regions.json"),
        path="ref_geo/regions.json",
        size=2_323,
        sha256="98cb7c781d09577634b9e104dfbb92e39a0d10ae0e1c6c20978a49a474e1dba5",
        coverage="18 regions and 8 overseas collectivities",
        traps="Overseas collectivities (zone 'com') are not regions.",
    ),
    Source(
        id="geo_departements",
        title="Départements (code officiel géographique)",
        publisher="INSEE COG, packaged by Etalab (decoupage-administratif 6.0.0)",
        licence="MIT (package); data from the INSEE COG",
        landing_page="https://github.com/etalab/decoupage-administratif",
        url=_gh(*_DECOUPAGE, "data/departements.json"),
        path="ref_geo/departements.json",
        size=10_702,
        sha256="1ebe7e0ad0a49653c899087194344ec67f7115b728c4e1b98f741bd655b545e0",
        coverage="101 départements and 8 overseas collectivities, with their region",
        traps="Overseas collectivities (zone 'com') are not départements.",
    ),
    Source(
        id="geo_region_shapes",
        title="Contours des régions, avec l'outre-mer (IGN Admin Express COG 2018)",
        publisher="IGN, simplified by gregoiredavid/france-geojson",
        licence="Licence Ouverte (Admin Express)",
        landing_page="https://github.com/gregoiredavid/france-geojson",
        url=_gh(*_GEOJSON, "regions-avec-outre-mer.geojson"),
        path="ref_geo/regions-avec-outre-mer.geojson",
        size=1_746_989,
        sha256="a573b672264184d11a2f98220867653b092fe3a964433e30e3a0a4708d72d167",
        coverage="18 regions, WGS84, overseas regions at their true position",
        traps="Simplified outlines: for maps, not for measuring areas.",
    ),
    Source(
        id="urssaf_ze_labels",
        title="Libellés des zones d'emploi 2020 (France métropolitaine)",
        publisher="INSEE zonage en zones d'emploi 2020, as listed upstream",
        licence="Licence Ouverte (INSEE); none in the upstream repository",
        landing_page="https://www.insee.fr/fr/information/4652957",
        url=_gh(*_PTOD, "src/data/agg_ze.json"),
        path="emploi_salarie_urssaf_ze/zones_emploi_libelles.csv",
        size=5_530,
        sha256="06a5d6d1b179ce605e23a357b425102f45cce0706322f03d25ab1523107f111d",
        coverage="287 zones d'emploi 2020 of metropolitan France (no DOM label)",
        traps="Metropolitan France only: the 18 overseas zones of the URSSAF file have no "
        "label here; derived upstream from agg_ze.json (code, libelle).",
        derive="ze_labels",
    ),
    Source(
        id="geo_departement_shapes",
        title="Contours des départements, avec l'outre-mer (IGN Admin Express COG 2018)",
        publisher="IGN, simplified by gregoiredavid/france-geojson",
        licence="Licence Ouverte (Admin Express)",
        landing_page="https://github.com/gregoiredavid/france-geojson",
        url=_gh(*_GEOJSON, "departements-avec-outre-mer.geojson"),
        path="ref_geo/departements-avec-outre-mer.geojson",
        size=3_722_544,
        sha256="0c331e85eef244d8014f68a4c256bb732e28776aceec53ddf849624f2eb6c163",
        coverage="101 départements, WGS84, overseas départements at their true position",
        traps="Simplified outlines: for maps, not for measuring areas; 2018 boundaries "
        "(unchanged since for départements).",
    ),
)

_BY_ID = {source.id: source for source in CATALOGUE}


def get_source(source_id: str, data_dir: str | os.PathLike | None = None) -> Source:
    """Return the entry ``source_id`` of the catalogue, as the vintage file may pin it.

    Parameters
    ----------
    source_id : str
        Identifier, e.g. ``"insee_ete_a17"``.
    data_dir : str or path-like, optional
        Raw-data folder whose vintage file (``vintages.json`` beside it) is read: an entry
        there replaces the catalogue's URL, size, sha256 and version.

    Returns
    -------
    Source

    Raises
    ------
    KeyError
        If no entry has that identifier; the message lists the known ones.
    ParameterError
        If the vintage file exists but is not valid.

    Examples
    --------
    >>> import analysis as an
    >>> source = an.get_source("insee_ete_a17")
    >>> source.path
    'emploi_salarie/ete_dep_a17_2020t1.xls'
    >>> source.file_name, source.size
    ('ete_dep_a17_2020t1.xls', 2305024)
    >>> source.coverage
    '100 départements (no Mayotte), 17 regions, 2001T4-2020T1, all salaried jobs'

    The file in ``data/raw`` is the catalogue's, byte for byte:

    >>> raw = an.DataPaths.resolve().raw
    >>> (raw / source.path).stat().st_size == source.size
    True
    >>> len(an.CATALOGUE)
    13
    >>> an.get_source("insee")
    Traceback (most recent call last):
    ...
    KeyError: 'No source `insee` in the catalogue; known sources: insee_ete_a17, ...'
    """
    try:
        source = _BY_ID[source_id]
    except KeyError:
        raise KeyError(
            f"No source `{source_id}` in the catalogue; known sources: {', '.join(_BY_ID)}."
        ) from None
    return _effective(source, read_vintages(data_dir).get(source_id))


def catalogue(data_dir: str | os.PathLike | None = None) -> tuple[Source, ...]:
    """Return the catalogue as it applies to a raw-data folder: the vintage file's pins first.

    Every file recorded in the vintage file (``vintages.json`` beside the raw-data folder,
    written by ``python -m analysis updates --apply``) has its entry's ``url``, ``size``,
    ``sha256`` and ``version`` replaced by the recorded ones; the others are
    :data:`CATALOGUE`'s, in the same order.

    Parameters
    ----------
    data_dir : str or path-like, optional
        Raw-data folder (default: see :class:`analysis.config.DataPaths`).

    Returns
    -------
    tuple of Source

    Raises
    ------
    ParameterError
        If the vintage file exists but is not valid.

    Examples
    --------
    >>> import analysis as an
    >>> sources = an.catalogue()
    >>> len(sources), sources[0].id
    (13, 'insee_ete_a17')
    >>> [source.id for source in sources] == [source.id for source in an.CATALOGUE]
    True

    An entry of the vintage file takes precedence over the catalogue's pin (here in a
    temporary folder, with a made-up version):

    >>> import json, pathlib, shutil, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> entry = {"url": "https://example.org/v7/regions.json", "size": 2400,
    ...          "sha256": 64 * "0", "version": "v7", "published": "2026-01-05",
    ...          "retrieved": "2026-01-06"}
    >>> text = json.dumps({"format": 1, "sources": {"geo_regions": entry}})
    >>> _ = (folder / "vintages.json").write_text(text)
    >>> an.DataPaths.resolve(folder / "raw").vintages == folder / "vintages.json"
    True
    >>> regions = an.get_source("geo_regions", data_dir=folder / "raw")
    >>> regions.url, regions.size, regions.version
    ('https://example.org/v7/regions.json', 2400, 'v7')
    >>> an.catalogue(folder / "raw")[8] == regions
    True
    >>> shutil.rmtree(folder)
    """
    vintages = read_vintages(data_dir)
    return tuple(_effective(source, vintages.get(source.id)) for source in CATALOGUE)


def pinned_by_vintage(source: Source) -> bool:
    """Return whether ``source`` expects another file than the catalogue's pin."""
    pinned = _BY_ID.get(source.id)
    return pinned is not None and (pinned.sha256, pinned.size) != (source.sha256, source.size)


def _effective(source: Source, vintage: Vintage | None) -> Source:
    """``source`` with the vintage file's URL, size, sha256 and version, if it has an entry."""
    if vintage is None:
        return source
    return replace(
        source,
        url=vintage.url,
        size=vintage.size,
        sha256=vintage.sha256,
        version=vintage.version or None,
    )
