"""*Sources et méthode*: each source's period, field and caveats, the method, the checksums."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from .. import blocks, french
from .. import indicators as ind
from ..blocks import Block, Column
from ..config import edition_date
from ..geo import FRANCE
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
        "Les 14 zones d'emploi à cheval sur deux régions sont réparties entre elles par "
        "estimation (voir la méthode). Régime général seulement : les salariés relevant de "
        "la MSA (régime agricole) manquent, si bien que les industries agroalimentaires sont "
        "sous-estimées. Apprentis compris dans les effectifs (convention de l'Urssaf depuis "
        "juin 2023 ; la série ne présente pas de rupture en 2023). Mayotte absente. Champ "
        "différent de celui de l'Insee : niveaux non comparables.",
    ),
    ind.URSSAF_TOTALS_SOURCE: (
        "2014-2024, annuel",
        "salariés du secteur privé, tous secteurs",
        "Totaux seulement (sans détail sectoriel) ; régime général, apprentis compris. Sert "
        "aussi à estimer la répartition des zones d'emploi partagées. Mayotte absente.",
    ),
    "etalab_apprenticeship_regional": (
        "années 2017 à 2021, puis douze mois glissants à fin octobre 2022",
        "nouveaux contrats d'apprentissage, tous secteurs, employeurs privés et publics",
        "Dares : PoEm (chambres consulaires) jusqu'en 2019, DECA à partir de 2020 ; "
        "l'évolution de 2019 à 2020 franchit ce changement. La dernière valeur couvre les "
        "douze mois de novembre 2021 à octobre 2022 (pas janvier-octobre) : elle sert à "
        "vérifier la continuité avec la DITP, non comme année 2022.",
    ),
    "ditp_ind313": (
        "janvier 2022 - avril 2024, cumul mensuel depuis janvier",
        "nouveaux contrats d'apprentissage, tous secteurs",
        "Série cumulée : seule la valeur de décembre mesure l'année ; 2024 s'arrête en "
        "avril : ni rang ni part entre régions, comparaison aux seuls mêmes mois de 2023. "
        "Même série de la Dares qu'Etalab : l'évolution de 2021 à 2022 est calculée.",
    ),
    ind.BMO_SOURCE: (
        "enquête 2025 (seule édition disponible)",
        "projets de recrutement des employeurs, par bassin d'emploi et métier (FAP)",
        "Cellules secrètes (s) laissées de côté : les totaux sont des minimums. Métiers "
        "industriels : famille « Ouvriers des secteurs de l'industrie » de France Travail "
        "(37 métiers, maintenance comprise) ; techniciens, agents de maîtrise et ingénieurs "
        "de l'industrie (10 métiers d'autres familles) comptés à part. Parts non calculées "
        "sous 30 projets (n.s.). Coquilles évidentes de la source corrigées à l'affichage "
        "(une lettre manquante dans « Ouvriers », un accent dans « maîtrise »).",
    ),
}


#: The method, as the "Sources et méthode" section of a regional report (and the site's
#: page "Méthode et sources", :mod:`analysis.method_page`) states it.
INDUSTRY_METHOD = (
    "Industrie : secteurs B à E de la nomenclature d'activités (industries "
    "extractives, manufacturières, énergie, eau et déchets), regroupement A5 "
    "« BE ». Jusqu'en 2020, l'emploi industriel est celui des estimations de "
    "l'Insee au dernier trimestre disponible de l'année, comparé au même "
    "trimestre de l'année précédente ; à partir de 2022, celui de l'Urssaf "
    "(secteur privé), comparé à l'année précédente disponible (2019 pour 2022)."
)
SPECIALISATION_METHOD = (
    "Indice de spécialisation : part d'une branche dans l'emploi salarié privé "
    "de la région rapportée à la même part en France métropolitaine (1 = même "
    "poids). Décomposition de l'évolution (« shift-share ») : effet national "
    "(évolution de l'ensemble de l'industrie en France métropolitaine appliquée "
    "à chaque branche de la région), effet de structure (écart entre "
    "l'évolution nationale de la branche et celle de l'industrie) et effet "
    "régional (le reste) ; les trois s'additionnent exactement à l'évolution "
    "observée."
)
SHARED_ZONES_METHOD = (
    "Zones d'emploi partagées : 14 zones d'emploi s'étendent sur deux régions. Faute de "
    "la liste de leurs communes, on estime chaque année combien de leurs emplois se "
    "trouvent de part et d'autre de chaque limite régionale, de sorte que les zones "
    "s'additionnent aux totaux régionaux de l'Urssaf (tous secteurs) ; les totaux "
    "régionaux obtenus s'écartent de moins de 0,1 % de cette série. Quand deux zones "
    "partagent la même paire de régions, les données ne disent que le total qui "
    "franchit la limite : il est réparti entre elles selon une hypothèse a priori "
    "(80 % dans la région du pôle, 50 % quand le nom de la zone chevauche la limite), "
    "d'où des parts parfois égales. On suppose que l'industrie se répartit comme "
    "l'ensemble des secteurs."
)
SIGNS = (
    "Signes conventionnels : s = secret statistique ; p = provisoire ; "
    "n.d. = non disponible. Les valeurs secrètes ne sont jamais estimées : un "
    "total qui en contient est présenté comme un minimum."
)


def _zones_paragraph(report: _Report) -> Block | None:
    """Return the estimated split of the zones shared by two regions, for this region.

    For the URSSAF year the edition uses (none before 2019: no paragraph).
    """
    year = ind.nearest_branch_year(report.ds, report.year)
    if year is None:
        return None
    shares = report.ds.interregional_shares
    mine = shares[(shares["year"] == year) & (shares["region"] == report.region)]
    text = SHARED_ZONES_METHOD
    if report.region != FRANCE and len(mine):
        items = " ; ".join(
            f"{row.zone_name} : {french.percent(100 * row.share)}"
            for row in mine.sort_values("zone").itertuples()
        )
        text += f" Parts comptées {report.where} en {year} : {items}."
    elif report.region != FRANCE:
        text += " Aucune de ces zones ne s'étend sur la région."
    return blocks.paragraph(text)


def _apprenticeship_bridge(report: _Report) -> Block | None:
    """Return how Etalab's last value bridges to DITP's first year (editions from 2022)."""
    if report.year < 2022:
        return None
    check = ind.rolling_twelve_months_check(report.ds).loc[FRANCE]
    text = (
        "Apprentissage, continuité des sources : la dernière valeur d'Etalab "
        f"({french.number(check['rolling'])} contrats en France sur les douze mois à fin "
        f"octobre 2022) et le total 2022 de la DITP ({french.number(check['calendar'])}) "
        f"s'écartent de {french.signed_percent(check['gap_pct'])} : les deux diffusent la "
        "même série de la Dares, et l'évolution de 2021 (Etalab) à 2022 (DITP) est calculée."
    )
    ytd = report.figures.get("apprenticeship_contracts_year_to_date")
    if ytd is not None:
        text += (
            f" L'année {report.year} est incomplète ({ytd.period}) : elle n'est comparée "
            "qu'aux mêmes mois de l'année précédente et ne sert ni à classer les régions ni "
            "à calculer de part."
        )
    return blocks.paragraph(text)


def checksums_table(source_ids, *, data_dir=None) -> Block:
    """Return the table of the files a report read, each with its sha256.

    The sha256 is the one the loaders checked: the vintage file's for a file it pins
    (``data_dir``'s ``vintages.json``), else the catalogue's.
    """
    files = [get_source(i, data_dir) for i in source_ids]
    return blocks.table(
        pd.DataFrame({"path": [f.path for f in files], "sha256": [f.sha256 for f in files]}),
        [
            Column("path", "Fichier", numeric=False),
            Column("sha256", "Empreinte SHA-256", numeric=False),
        ],
        caption="Fichiers lus (chacun vérifié par son empreinte avant lecture)",
    )


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
    checksums = checksums_table(
        [*used, "geo_regions", "geo_region_shapes"], data_dir=getattr(report.ds, "data_dir", None)
    )
    method = blocks.concat(
        [
            blocks.paragraph(INDUSTRY_METHOD),
            blocks.paragraph(SPECIALISATION_METHOD),
            _zones_paragraph(report),
            _apprenticeship_bridge(report),
            blocks.paragraph(SIGNS),
        ]
    )
    params = Block(
        '<dl class="params">'
        f"<dt>Paramètres</dt><dd>région = {blocks.escape(report.region)} "
        f"({blocks.escape(report.name)}), année = {report.year}</dd>"
        f"<dt>Version du logiciel (analysis)</dt><dd>{blocks.escape(__version__)}</dd>"
        f"<dt>Rapport produit le</dt><dd>{edition_date():%d/%m/%Y}</dd></dl>"
    )
    return blocks.concat([sources_table, method, params, checksums])
