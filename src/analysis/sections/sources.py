"""*Sources et méthode*: each source's period, field and caveats, the method, the checksums."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pandas as pd

from .. import blocks
from .. import indicators as ind
from ..blocks import Block, Column
from ..sources import get_source
from ._base import SOURCE_TEXT

if TYPE_CHECKING:
    from ._base import _Report


#: French description of each source for the "Sources et méthode" section:
#: (period covered, field, precautions).
SOURCE_NOTES = {
    ind.INSEE_SOURCE: (
        "4e trimestre 2001 - 1er trimestre 2020, trimestriel",
        "ensemble des salariés (public et privé), par département et secteur A17",
        "Cellules vides laissées manquantes (jamais mises à zéro) : la France n'est complète "
        "qu'à partir du 4e trimestre 2010 (départements d'outre-mer). Trimestres à partir de "
        "2019 considérés comme provisoires (p). Mayotte absente.",
    ),
    ind.URSSAF_SOURCE: (
        "2019, 2022, 2023 et 2024 (pas de 2020 ni de 2021), annuel",
        "salariés du secteur privé (régime général), 35 secteurs A38, hors agriculture",
        "Cellules secrètes (s) laissées de côté : un total qui en contient est un minimum. "
        "Les 14 zones d'emploi interrégionales sont comptées entières dans la région de leur "
        "pôle. Mayotte absente. Champ différent de celui de l'Insee : niveaux non comparables.",
    ),
    ind.URSSAF_TOTALS_SOURCE: (
        "2014-2024, annuel",
        "salariés du secteur privé, tous secteurs",
        "Totaux seulement (sans détail sectoriel). Mayotte absente.",
    ),
    "etalab_apprenticeship_regional": (
        "années 2017 à 2021, et 2022 jusqu'à fin octobre",
        "nouveaux contrats d'apprentissage, tous secteurs, secteurs privé et public",
        "L'année 2022 arrêtée à fin octobre n'est pas utilisée (année incomplète).",
    ),
    "ditp_ind313": (
        "janvier 2022 - avril 2024, cumul mensuel depuis janvier",
        "nouveaux contrats d'apprentissage, tous secteurs",
        "Série cumulée : seule la valeur de décembre mesure l'année ; 2024 s'arrête en "
        "avril et n'est comparée qu'aux mêmes mois de 2023. Écart d'environ 10 % avec la "
        "série Etalab pour les mêmes mois : aucune évolution n'est calculée entre les deux.",
    ),
    ind.BMO_SOURCE: (
        "enquête 2025 (seule édition disponible)",
        "projets de recrutement des employeurs, par bassin d'emploi et métier (FAP)",
        "Cellules secrètes (s) laissées de côté : les totaux sont des minimums. Métiers "
        "industriels : domaines C, D, E, F et H de la nomenclature FAP (39 métiers).",
    ),
}


def sources(report: _Report) -> Block:
    """Return "Sources et méthode": sources, parameters, checksums, version.

    Parameters
    ----------
    report : RegionReport or FranceReport
        The report whose region and year the section shows.

    Returns
    -------
    Block
        The table of sources, the method, the report's parameters and the sha256 of every file read.
    """
    from .. import __version__

    used = [
        ind.INSEE_SOURCE,
        ind.URSSAF_SOURCE,
        ind.URSSAF_TOTALS_SOURCE,
        "etalab_apprenticeship_regional",
        "ditp_ind313",
        ind.BMO_SOURCE,
    ]
    rows = []
    for source_id in used:
        period, field, caveat = SOURCE_NOTES[source_id]
        rows.append(
            {
                "source": SOURCE_TEXT[source_id],
                "period": period,
                "field": field,
                "caveat": caveat,
            }
        )
    sources_table = blocks.table(
        pd.DataFrame(rows),
        [
            Column("source", "Source", numeric=False),
            Column("period", "Période couverte", numeric=False),
            Column("field", "Champ", numeric=False),
            Column("caveat", "Précautions et traitements", numeric=False),
        ],
        caption="Sources utilisées",
    )
    files = [get_source(i) for i in [*used, "geo_regions", "geo_region_shapes"]]
    checksums = blocks.table(
        pd.DataFrame({"path": [f.path for f in files], "sha256": [f.sha256 for f in files]}),
        [
            Column("path", "Fichier", numeric=False),
            Column("sha256", "Empreinte SHA-256", numeric=False),
        ],
        caption="Fichiers lus (chacun vérifié par son empreinte avant lecture)",
    )
    method = blocks.concat(
        [
            blocks.paragraph(
                "Industrie : secteurs B à E de la nomenclature d'activités (industries "
                "extractives, manufacturières, énergie, eau et déchets), regroupement A5 "
                "« BE ». Jusqu'en 2020, l'emploi industriel est celui des estimations de "
                "l'Insee au dernier trimestre disponible de l'année, comparé au même "
                "trimestre de l'année précédente ; à partir de 2022, celui de l'Urssaf "
                "(secteur privé), comparé à l'année précédente disponible (2019 pour 2022)."
            ),
            blocks.paragraph(
                "Indice de spécialisation : part d'une branche dans l'emploi salarié privé "
                "de la région rapportée à la même part en France métropolitaine (1 = même "
                "poids). Décomposition de l'évolution (« shift-share ») : effet national "
                "(évolution de l'ensemble de l'industrie en France métropolitaine appliquée "
                "à chaque branche de la région), effet de structure (écart entre "
                "l'évolution nationale de la branche et celle de l'industrie) et effet "
                "régional (le reste) ; les trois s'additionnent exactement à l'évolution "
                "observée."
            ),
            blocks.paragraph(
                "Signes conventionnels : s = secret statistique ; p = provisoire ; "
                "n.d. = non disponible. Les valeurs secrètes ne sont jamais estimées : un "
                "total qui en contient est présenté comme un minimum."
            ),
        ]
    )
    params = Block(
        '<dl class="params">'
        f"<dt>Paramètres</dt><dd>région = {blocks.escape(report.region)} "
        f"({blocks.escape(report.name)}), année = {report.year}</dd>"
        f"<dt>Version du paquet analysis</dt><dd>{blocks.escape(__version__)}</dd>"
        f"<dt>Rapport produit le</dt><dd>{dt.date.today():%d/%m/%Y}</dd></dl>"
    )
    return blocks.concat([sources_table, method, params, checksums])
