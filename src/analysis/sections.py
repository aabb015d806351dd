"""The sections of the reports, in French: what a notebook cell displays.

:class:`RegionReport` and :class:`FranceReport` compute nothing themselves: they ask
:mod:`analysis.indicators` and :mod:`analysis.keyfigures` for numbers, format them with
:mod:`analysis.french`, and lay them out with :mod:`analysis.blocks` and
:mod:`analysis.plots`. A notebook calls one method per section, so the notebooks stay
thin and every sentence of a report can be unit-tested.

Wherever a source does not cover the report's year, the section says so in place
("Données non disponibles pour 2021") and shows the nearest period only under a label
that names it.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from . import blocks, french, keyfigures, metrics, plots
from . import indicators as ind
from .blocks import Block, Card, Column
from .datasets import Datasets
from .errors import ParameterError
from .geo import FRANCE, METROPOLITAN_REGIONS, REGION_CODES
from .loaders._aggregate import strict_sum
from .parameters import check_parameters
from .sources import get_source

__all__ = ["FranceReport", "RegionReport", "report_title"]

SOURCE_TEXT = {
    ind.INSEE_SOURCE: "Insee, estimations d'emploi salarié (ETE)",
    ind.URSSAF_SOURCE: "Urssaf, emploi salarié privé par zone d'emploi et secteur A38",
    ind.URSSAF_TOTALS_SOURCE: "Urssaf, emploi salarié privé par région",
    "etalab_apprenticeship_regional": "Etalab-DITP, Baromètre des résultats",
    "ditp_ind313": "DITP, indicateur IND-313 (cumul mensuel)",
    ind.BMO_SOURCE: "France Travail, enquête Besoins en main-d'œuvre 2025",
    "geo_region_shapes": "IGN, Admin Express COG",
}
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


def report_title(name: str, year: int) -> str:
    """``"Industrie et apprentissage — Île-de-France — 2024"``."""
    return f"Industrie et apprentissage — {name} — {year}"


def _source(*ids: str) -> str:
    return " ; ".join(SOURCE_TEXT[i] for i in ids) + " ; calculs de l'auteur du rapport"


def _int(value) -> str:
    return french.number(value)


def _pct(value) -> str:
    return french.percent(value)


def _secret_pct(value) -> str:
    """Format a share whose missing value comes from secret cells: ``s``, not ``n.d.``."""
    return french.flagged(_pct(value), secret=pd.isna(value))


def _ordinal(rank) -> str:
    """Return "1er", "2e", "13e"."""
    return "1er" if int(rank) == 1 else f"{int(rank)}e"


def _moves(change_pct) -> str:
    """Return "progresse de 0,5 %", "recule de 1,6 %" or "est stable"."""
    printed = french.percent(abs(change_pct))
    if french.signed_percent(change_pct) == printed:
        return "est stable"
    return f"progresse de {printed}" if change_pct > 0 else f"recule de {printed}"


def _signed(value) -> str:
    return french.signed_percent(value)


class _Report:
    """What the region report and the France overview share."""

    def __init__(self, region: str, year: int, *, data_dir=None, datasets: Datasets | None = None):
        self.ds = datasets or Datasets(data_dir)
        self.region, self.year = check_parameters(self.ds, region, year)
        self.name = self.ds.names[self.region]
        self.where = french.in_region(self.name)
        plots.set_theme()
        self.choice, self.levels = ind.employment_table(self.ds, self.year)
        self.apprenticeship_year = ind.apprenticeship_table(self.ds, self.year)
        self.figures = {f.id: f for f in keyfigures.key_figures(self.ds, self.region, self.year)}
        # Contracts per 1 000 employees only mean something on a whole year: on a partial
        # one, the last complete year is shown, labelled as such.
        rates = self.apprenticeship_year
        self.rate_label = f"année {self.year}"
        if not rates.loc[FRANCE, "complete"] and self.year - 1 in set(
            self.ds.apprenticeship["year"]
        ):
            rates = ind.apprenticeship_table(self.ds, self.year - 1)
            self.rate_label = f"année {self.year - 1} (dernière année complète)"
        self.rates = rates["per_thousand"]

    # -- header and summary ------------------------------------------------------------
    def title(self) -> Block:
        """Return the report's title, subtitle and stylesheet."""
        return Block(
            f"<style>{blocks.CSS}</style>"
            f'<h1 class="report-title">{blocks.escape(report_title(self.name, self.year))}</h1>'
            f'<p class="report-subtitle">Emploi salarié industriel et apprentissage '
            f"{blocks.escape(self.where)} : chiffres clés, évolutions et comparaisons, à partir "
            "des données ouvertes de l'Insee, de l'Urssaf, de la DITP et de France Travail. "
            "Dernières données disponibles : emploi Insee au 1er trimestre 2020, emploi Urssaf "
            "2024, apprentissage à fin avril 2024, besoins en main-d'œuvre 2025.</p>"
        )

    def _france_row(self):
        return self.levels.loc[FRANCE]

    def _employment_card(self) -> Card:
        row = self.levels.loc[self.region]
        fig = self.figures["industrial_employment"]
        if self.choice is None or pd.isna(row["industry"]):
            return Card(
                "Emploi salarié dans l'industrie",
                french.NOT_AVAILABLE,
                f"données non disponibles pour {self.year}",
                self._employment_fallback(),
            )
        value = french.flagged(_int(row["industry"]), provisional=self.choice.provisional)
        details = []
        if not pd.isna(row["change_pct"]):
            details.append(f"Évolution {self.choice.change_label} : {_signed(row['change_pct'])}")
            if self.region != FRANCE:
                details.append(f"France : {_signed(self._france_row()['change_pct'])}")
        details.append(f"Champ : {self.choice.field}")
        if row["masked_cells"]:
            cells = int(row["masked_cells"])
            details.append(
                "Minimum : une cellule secrète non comptée"
                if cells == 1
                else f"Minimum : {cells} cellules secrètes non comptées"
            )
        return Card("Emploi salarié dans l'industrie", value, fig.period, tuple(details))

    def _covered(self) -> bool:
        """Return True when some employment source covers the region at all."""
        return self.region == FRANCE or self.ds.urssaf["region"].eq(self.region).any()

    def _employment_fallback(self) -> tuple[str, ...]:
        if not self._covered():
            return (
                f"{self.name} n'est couverte ni par les estimations d'emploi de l'Insee ni "
                "par les données Urssaf de ce rapport.",
            )
        nearest = ind.nearest_branch_year(self.ds, self.year)
        _, table = ind.employment_table(self.ds, nearest)
        return (
            f"Année la plus proche : {nearest} (Urssaf, secteur privé) : "
            f"{_int(table.loc[self.region, 'industry'])} salariés",
            "Les estimations trimestrielles de l'Insee s'arrêtent au 1er trimestre 2020.",
        )

    def _cards(self) -> list[Card]:
        row = self.levels.loc[self.region]
        france = self._france_row()
        share = Card(
            "Part de l'industrie dans l'emploi salarié",
            _pct(row["share_pct"]),
            self.figures["industry_share_pct"].period,
            () if self.region == FRANCE else (f"France : {_pct(france['share_pct'])}",),
        )
        appr = self.apprenticeship_year.loc[self.region]
        appr_fr = self.apprenticeship_year.loc[FRANCE]
        appr_details = []
        if pd.isna(appr["contracts"]):
            appr_details.append(f"données non disponibles pour {self.year}")
        elif pd.isna(appr["change_pct"]):
            appr_details.append(
                "Évolution non calculée : pas de données comparables l'année précédente "
                "(changement de source en 2022)"
                if self.year == 2022
                else "Évolution non calculée : pas de données l'année précédente"
            )
        else:
            appr_details.append(f"Évolution sur un an (mêmes mois) : {_signed(appr['change_pct'])}")
            if self.region != FRANCE:
                appr_details.append(f"France : {_signed(appr_fr['change_pct'])}")
        if not appr["complete"] and not pd.isna(appr["contracts"]):
            appr_details.append("Année incomplète : à ne pas comparer à une année entière")
        per_thousand = Card(
            "Contrats d'apprentissage pour 1 000 salariés du privé",
            french.number(self.rates.loc[self.region], 1),
            self.rate_label,
            ("Calculé sur les seules années complètes",)
            + (
                ()
                if self.region == FRANCE
                else (f"France : {french.number(self.rates.loc[FRANCE], 1)}",)
            ),
        )
        recruitment = ind.recruitment_summary(self.ds, self.region)
        france_recruitment = ind.recruitment_summary(self.ds, FRANCE)
        bmo_details = [
            f"{_pct(recruitment['difficult_pct'])} jugés difficiles"
            + (
                ""
                if self.region == FRANCE
                else f" (France : {_pct(france_recruitment['difficult_pct'])})"
            ),
            "Enquête 2025, seule édition disponible ; cellules secrètes non comptées",
        ]
        cards = [
            self._employment_card(),
            share,
        ]
        if self.region != FRANCE:
            rank = self.figures["industrial_employment_rank"]
            cards.append(
                Card(
                    "Rang de l'emploi industriel",
                    french.NOT_AVAILABLE
                    if rank.value is None
                    else (
                        f"{_ordinal(rank.value)} sur "
                        f"{13 if self.region in METROPOLITAN_REGIONS else self._ranked()}"
                    ),
                    rank.period,
                    (rank.label,)
                    + (
                        (
                            f"{_ordinal(row['rank_all'])} parmi les {self._ranked()} régions "
                            "disposant de données",
                        )
                        if self.region in METROPOLITAN_REGIONS and not pd.isna(row["rank_all"])
                        else ()
                    ),
                )
            )
        cards += [
            Card(
                "Nouveaux contrats d'apprentissage (tous secteurs)",
                _int(appr["contracts"]),
                appr["period"],
                tuple(appr_details),
            ),
            per_thousand,
            Card(
                "Projets de recrutement dans les métiers industriels",
                f"{_int(recruitment['projects'])}",
                "enquête BMO 2025",
                tuple(bmo_details),
            ),
        ]
        return cards

    def _ranked(self) -> int:
        return int(self.levels.loc[list(REGION_CODES), "industry"].notna().sum())

    def summary(self) -> Block:
        """Return "En bref": key-figure cards and two sentences that read them."""
        return blocks.concat([blocks.cards(self._cards()), self._summary_text()])

    def _summary_text(self) -> Block:
        row = self.levels.loc[self.region]
        france = self._france_row()
        sentences = []
        if self.choice is not None and not pd.isna(row["industry"]):
            period = self.choice.label()
            when = f"Au {period}" if "trimestre" in period else f"En {period}"
            at_least = "au moins " if row["masked_cells"] else ""
            sentence = (
                f"{when}, l'industrie compte {at_least}{_int(row['industry'])} salariés "
                f"{self.where} (champ : {self.choice.field}), soit {_pct(row['share_pct'])} de "
                "l'emploi salarié"
            )
            if self.region != FRANCE:
                sentence += f", contre {_pct(france['share_pct'])} en France"
            sentences.append(sentence + ".")
            if not pd.isna(row["change_pct"]):
                sentences.append(
                    f"{self.choice.change_label[0].upper()}{self.choice.change_label[1:]}, "
                    f"l'emploi industriel {_moves(row['change_pct'])} "
                    f"({french.signed_number(row['change'])} emplois)"
                    + (
                        ""
                        if self.region == FRANCE
                        else f", contre {_signed(france['change_pct'])} en France"
                    )
                    + "."
                )
        else:
            if self._covered():
                sentences.append(
                    f"Données d'emploi industriel non disponibles pour {self.year} "
                    f"{self.where} : les estimations de l'Insee s'arrêtent au 1er trimestre "
                    "2020 et les données Urssaf par secteur couvrent 2019 et 2022-2024."
                )
            else:
                sentences.append(self._employment_fallback()[0])
        appr = self.apprenticeship_year.loc[self.region]
        if not pd.isna(appr["contracts"]):
            when = f"En {self.year}" if appr["complete"] else f"Sur la période {appr['period']}"
            sentences.append(
                f"{when}, {_int(appr['contracts'])} nouveaux contrats "
                f"d'apprentissage ont été signés {self.where}, tous secteurs confondus."
            )
        else:
            sentences.append(
                f"Données d'apprentissage non disponibles pour {self.year} {self.where}."
            )
        return blocks.paragraph(" ".join(sentences), "lead")

    # -- shared sections ---------------------------------------------------------------
    def regions_table(self) -> Block:
        """Return every region side by side, the report's region highlighted, France last."""
        appr = self.apprenticeship_year
        order = [
            *METROPOLITAN_REGIONS,
            *(c for c in REGION_CODES if c not in METROPOLITAN_REGIONS),
            FRANCE,
        ]
        frame = pd.DataFrame(
            {
                "code": order,
                "name": [self.ds.names[c] for c in order],
                "industry": self.levels.loc[order, "industry"].to_numpy(),
                "rank": self.levels.loc[order, "rank_all"].to_numpy(),
                "change_pct": self.levels.loc[order, "change_pct"].to_numpy(),
                "share_pct": self.levels.loc[order, "share_pct"].to_numpy(),
                "contracts": appr.loc[order, "contracts"].to_numpy(),
                "appr_change": appr.loc[order, "change_pct"].to_numpy(),
                "per_thousand": self.rates.loc[order].to_numpy(),
            }
        )
        provisional = self.choice is not None and self.choice.provisional

        def emp(value):
            return french.flagged(_int(value), provisional=provisional)

        columns = [
            Column("name", "Région", str, numeric=False),
            Column("industry", "Emploi industriel", emp),
            Column("rank", "Rang", lambda v: "" if pd.isna(v) else str(int(v))),
            Column("change_pct", "Évolution", _signed),
            Column("share_pct", "Part de l'industrie", _pct),
            Column("contracts", "Contrats d'apprentissage", _int),
            Column("appr_change", "Évolution", _signed),
            Column("per_thousand", "Pour 1 000 salariés", lambda v: french.number(v, 1)),
        ]
        if self.choice is None:
            employment_note = (
                f"Emploi industriel : données non disponibles pour {self.year} (voir la carte "
                "ci-dessous pour l'année la plus proche). "
            )
        else:
            change = f", évolution {self.choice.change_label}" if self.choice.previous else ""
            employment_note = (
                f"Emploi industriel : {self.choice.label()}{change}, champ : {self.choice.field}"
                f" ; rang de l'effectif parmi les {self._ranked()} régions disposant de "
                "données. "
            )
        footer = (
            employment_note
            + f"Apprentissage (tous secteurs) : {appr.loc[FRANCE, 'period']}, évolution sur "
            f"les mêmes mois de l'année précédente ; pour 1 000 salariés du privé : "
            f"{self.rate_label}. Source : "
            + _source(
                self.choice.source if self.choice else ind.URSSAF_SOURCE,
                "ditp_ind313" if self.year >= 2022 else "etalab_apprenticeship_regional",
            )
            + ". n.d. : non disponible ; (p) : provisoire."
        )
        return blocks.table(
            frame,
            columns,
            caption=f"Les régions en {self.year}",
            highlight=lambda r: r["code"] == self.region,
            footer=footer,
        )

    def share_map(self) -> plots.Chart:
        """Return the map of the share of industry in employment, the region outlined."""
        if self.choice is None:
            nearest = ind.nearest_branch_year(self.ds, self.year)
            choice, table = ind.employment_table(self.ds, nearest)
            period = f"{nearest} (année la plus proche disponible)"
        else:
            choice, table = self.choice, self.levels
            period = choice.label()
        field = "salariés du privé" if choice.source == ind.URSSAF_SOURCE else "tous salariés"
        value = table.loc[self.region, "share_pct"]
        reading = (
            f" Lecture : en {choice.label()}, l'industrie représente {_pct(value)} de l'emploi "
            f"salarié {self.where}."
            if self.region != FRANCE and not pd.isna(value)
            else ""
        )
        return plots.region_map(
            self.ds.shapes,
            table["share_pct"],
            highlight=None if self.region == FRANCE else self.region,
            title=f"Part de l'industrie dans l'emploi salarié, {period}",
            legend=f"% de l'emploi salarié ({field})",
            source=_source(choice.source, "geo_region_shapes"),
            caption=f"Champ : {field}, secteurs B à E (industrie).{reading} Hachures : donnée "
            "non disponible.",
        )

    def sources(self) -> Block:
        """Return "Sources et méthode": sources, parameters, checksums, version."""
        from . import __version__

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
            f"<dt>Paramètres</dt><dd>région = {blocks.escape(self.region)} "
            f"({blocks.escape(self.name)}), année = {self.year}</dd>"
            f"<dt>Version du paquet analysis</dt><dd>{blocks.escape(__version__)}</dd>"
            f"<dt>Rapport produit le</dt><dd>{dt.date.today():%d/%m/%Y}</dd></dl>"
        )
        return blocks.concat([sources_table, method, params, checksums])


class RegionReport(_Report):
    """The report of one region for one year.

    Parameters
    ----------
    region : str
        INSEE region code (``"11"``); see ``python -m analysis regions``.
    year : int
        Report year; see ``python -m analysis years``.
    data_dir : str or path-like, optional
        Raw-data folder.

    Raises
    ------
    ParameterError
        For an unknown region or a year without data.
    """

    def __init__(self, region: str, year: int, *, data_dir=None, datasets=None):
        super().__init__(region, year, data_dir=data_dir, datasets=datasets)
        if self.region == FRANCE:
            raise ParameterError("Use FranceReport (france_overview.ipynb) for France.")

    # -- Emploi industriel --------------------------------------------------------------
    def employment(self) -> Block:
        """INSEE quarterly trend (base 100), URSSAF 2019-2024, and the levels table."""
        parts: list = []
        if self.choice is None:
            parts.append(
                blocks.note(
                    f"Données non disponibles pour {self.year} : les estimations trimestrielles "
                    "de l'Insee s'arrêtent au 1er trimestre 2020 et les données Urssaf par "
                    "secteur couvrent 2019 et 2022 à 2024. Les graphiques ci-dessous montrent les "
                    "périodes disponibles les plus proches.",
                    "missing",
                )
            )
        insee = self.ds.insee
        industry = insee[insee["a5"] == ind.INDUSTRY]
        # INSEE empty cells: a quarter is known only when all its industrial sectors are.
        series = strict_sum(industry, ["region", "quarter"], "employment").unstack(0)  # noqa: PD010
        start = pd.Period("2010Q4", "Q")
        series = series.loc[series.index >= start]
        if self.region in series.columns and series[self.region].notna().any():
            frame = pd.DataFrame(
                {
                    self.name: metrics.base_100(series[self.region], start),
                    "France": metrics.base_100(series[FRANCE], start),
                }
            )
            last = frame.index.max()
            final = frame[self.name].iloc[-1]
            parts.append(
                plots.index_chart(
                    frame,
                    title=f"Emploi salarié industriel {self.where} et en France, "
                    f"{french.quarter(start)} - {french.quarter(last)}",
                    base_label=french.quarter(start),
                    source=_source(ind.INSEE_SOURCE),
                    caption=(
                        "Champ : ensemble des salariés, secteurs B à E. Trimestres à partir de "
                        "2019 provisoires. Lecture : au "
                        f"{french.quarter(last)}, l'indice vaut {french.number(final, 1)}"
                        f" {self.where} : l'emploi industriel y a évolué de "
                        f"{_signed(final - 100)} depuis le {french.quarter(start)}."
                    ),
                )
            )
        else:
            parts.append(
                blocks.note(
                    f"Estimations trimestrielles de l'Insee non disponibles {self.where} "
                    "(le fichier ne couvre pas ce territoire).",
                    "missing",
                )
            )
        urssaf = self.ds.urssaf[self.ds.urssaf["a5"] == ind.INDUSTRY]
        yearly = urssaf.groupby(["region", "year"])["employment"].sum(min_count=1).unstack(0)  # noqa: PD010
        if self.region in yearly.columns and yearly[self.region].notna().any():
            base = int(yearly.index.min())
            frame = pd.DataFrame(
                {
                    self.name: metrics.base_100(yearly[self.region], base),
                    "France": metrics.base_100(yearly[FRANCE], base),
                }
            )
            parts.append(
                plots.index_chart(
                    frame,
                    title=f"Emploi salarié privé industriel {self.where} et en France, "
                    f"{base}-{int(yearly.index.max())}",
                    base_label=str(base),
                    source=_source(ind.URSSAF_SOURCE),
                    annotate_gap="2020 et 2021 : absents de la source",
                    caption="Champ : salariés du secteur privé, secteurs B à E ; somme des"
                    " cellules connues (les cellules secrètes ne sont pas comptées).",
                )
            )
        else:
            parts.append(
                blocks.note(f"Données Urssaf par secteur non disponibles {self.where}.", "missing")
            )
        parts.append(self._levels_table(series, yearly))
        return blocks.concat(parts)

    def _levels_table(self, insee: pd.DataFrame, urssaf: pd.DataFrame) -> Block:
        rows = []
        for quarter in [pd.Period(q, "Q") for q in ("2010Q4", "2014Q4", "2019Q4", "2020Q1")]:
            if quarter in insee.index:
                rows.append(
                    {
                        "source": "Insee (tous salariés)",
                        "period": french.quarter(quarter),
                        "region": french.flagged(
                            _int(insee.loc[quarter].get(self.region)),
                            provisional=quarter.year >= 2019,
                        ),
                        "france": french.flagged(
                            _int(insee.loc[quarter, FRANCE]), provisional=quarter.year >= 2019
                        ),
                    }
                )
        for year in urssaf.index:
            rows.append(
                {
                    "source": "Urssaf (salariés du privé)",
                    "period": str(int(year)),
                    "region": _int(urssaf.loc[year].get(self.region)),
                    "france": _int(urssaf.loc[year, FRANCE]),
                }
            )
        return blocks.table(
            pd.DataFrame(rows),
            [
                Column("source", "Source", numeric=False),
                Column("period", "Période", numeric=False),
                Column("region", self.name),
                Column("france", "France"),
            ],
            caption="Emploi salarié industriel (secteurs B à E), en nombre de salariés",
            footer="Les deux sources n'ont pas le même champ : leurs niveaux ne se comparent "
            "pas entre eux. (p) : provisoire. Source : "
            + _source(ind.INSEE_SOURCE, ind.URSSAF_SOURCE)
            + ".",
        )

    # -- Branches -------------------------------------------------------------------------
    def _branch_year(self) -> tuple[int, str]:
        year = ind.branch_year(self.ds, self.year)
        if year is not None:
            return year, ""
        nearest = ind.nearest_branch_year(self.ds, self.year)
        return nearest, (
            f"Données par branche non disponibles pour {self.year} (l'Urssaf fournit 2019 et "
            f"2022-2024) : les chiffres ci-dessous portent sur {nearest}, l'année la plus "
            "proche."
        )

    def branches(self) -> Block:
        """A38 industrial branches: levels, change, specialisation; OPCO 2i's picked out."""
        year, warning = self._branch_year()
        table = ind.branch_table(self.ds, self.region, year)
        parts: list = [blocks.note(warning, "missing")] if warning else []
        if table["employment"].notna().sum() == 0:
            parts.append(
                blocks.note(
                    f"Données Urssaf par branche non disponibles {self.where} (territoire non "
                    "couvert par la source).",
                    "missing",
                )
            )
            return blocks.concat(parts)
        parts.append(
            plots.branches_chart(
                table,
                title=f"Branches industrielles {self.where} en {year}",
                source=_source(ind.URSSAF_SOURCE),
                caption="Champ : salariés du secteur privé. En bleu, les grandes branches de "
                "l'industrie suivies par OPCO 2i (métallurgie, caoutchouc-plastique, chimie, "
                "matériels de transport) et l'agroalimentaire. Lecture : un indice de "
                "spécialisation de 1,5 signifie que la branche pèse 1,5 fois plus dans l'emploi "
                "salarié privé de la région qu'en France métropolitaine.",
            )
        )
        years = sorted(int(y) for y in self.ds.urssaf["year"].unique())
        earlier = [y for y in years if y < year]
        change_header = f"Évolution {earlier[-1]}-{year}" if earlier else "Évolution"

        def level(value, masked=False):
            return _int(value)

        shown = table.assign(
            label=[
                f"{s} ●" if h else s
                for s, h in zip(table["sector"], table["highlighted"], strict=True)
            ],
            level=[
                f"{_int(v)} (s)"
                if m and pd.notna(v)
                else (french.SECRET if pd.isna(v) else _int(v))
                for v, m in zip(table["employment"], table["masked"], strict=True)
            ],
        )
        parts.append(
            blocks.table(
                shown,
                [
                    Column("label", "Branche (A38)", numeric=False),
                    Column("level", f"Salariés {year}", str),
                    Column("share_pct", "Part de l'industrie régionale", _pct),
                    Column("change_pct", change_header, _signed),
                    Column("quotient", "Indice de spécialisation", lambda v: french.number(v, 2)),
                ],
                caption=f"Emploi salarié privé par branche industrielle {self.where}, {year}",
                footer="● : grande branche mise en avant (OPCO 2i et agroalimentaire). (s) : "
                "certaines zones d'emploi sont secrètes pour cette branche ; la valeur est un "
                "minimum. Indice de spécialisation calculé par rapport à la France métropolitaine. "
                "Source : " + _source(ind.URSSAF_SOURCE) + ".",
                highlight=lambda r: bool(r["highlighted"]),
            )
        )
        return blocks.concat(parts)

    # -- Décomposition ------------------------------------------------------------------
    def decomposition(self) -> Block:
        """Shift-share of the change in industrial employment since 2019 (URSSAF)."""
        year, warning = self._branch_year()
        years = sorted(int(y) for y in self.ds.urssaf["year"].unique())
        start = years[0]
        parts: list = []
        if year == start:
            year = years[1]
            warning = (
                f"La décomposition porte sur {start}-{year}, la première période couverte "
                f"par les données Urssaf par branche (pas de données par branche avant "
                f"{start})."
            )
        if warning:
            parts.append(blocks.note(warning, "missing"))
        table, dropped = ind.decomposition(self.ds, self.region, start, year)
        if table.empty:
            parts.append(
                blocks.note(
                    f"Décomposition impossible {self.where} : données Urssaf par branche non "
                    "disponibles.",
                    "missing",
                )
            )
            return blocks.concat(parts)
        totals = {
            "Effet national": table["national"].sum(),
            "Effet de structure": table["mix"].sum(),
            "Effet régional": table["regional"].sum(),
            "Évolution observée": table["change"].sum(),
        }
        parts.append(
            plots.shift_share_chart(
                totals,
                title=f"Décomposition de l'évolution de l'emploi industriel {self.where}, "
                f"{start}-{year}",
                source=_source(ind.URSSAF_SOURCE),
                caption="Champ : salariés du secteur privé, branches industrielles dont la valeur "
                "régionale est connue aux deux dates (somme des zones d'emploi non secrètes). "
                "Référence : France métropolitaine. Lecture : l'effet régional est l'écart entre "
                "l'évolution observée et celle qu'aurait connue la région si chacune de ses "
                "branches avait évolué comme en France métropolitaine.",
            )
        )
        _, before = ind.employment_table(self.ds, start)
        _, after = ind.employment_table(self.ds, year)
        whole = after.loc[self.region, "industry"] - before.loc[self.region, "industry"]
        gap = (
            f" Elles évoluent de {french.signed_number(totals['Évolution observée'])} emplois, "
            f"l'ensemble de l'industrie de la région de {french.signed_number(whole)}."
            if dropped
            else ""
        )
        if dropped:
            parts.append(
                blocks.note(
                    "Branches laissées de côté (valeur secrète ou absente dans la région ou en "
                    f"France métropolitaine à l'une des deux dates) : {', '.join(dropped)}." + gap
                )
            )
        parts.append(
            blocks.table(
                table.reset_index(),
                [
                    Column("sector", "Branche", numeric=False),
                    Column("start", f"Salariés {start}", _int),
                    Column("end", f"Salariés {year}", _int),
                    Column("change", "Évolution observée", french.signed_number),
                    Column("national", "Effet national", french.signed_number),
                    Column("mix", "Effet de structure", french.signed_number),
                    Column("regional", "Effet régional", french.signed_number),
                    Column(
                        "contribution",
                        "Contribution (points)",
                        lambda v: french.signed_number(v, 2),
                    ),
                ],
                caption=f"Décomposition par branche, {start}-{year} (nombre d'emplois)",
                footer="Les trois effets s'additionnent exactement à l'évolution observée "
                "(aux arrondis près dans ce tableau). "
                "Contribution : part de l'évolution de l'emploi industriel régional due à la "
                "branche, en points de pourcentage. Source : " + _source(ind.URSSAF_SOURCE) + ".",
            )
        )
        return blocks.concat(parts)

    # -- Apprentissage --------------------------------------------------------------------
    def apprenticeship(self) -> Block:
        """Return new apprenticeship contracts, 2017-2024, region and France."""
        return _apprenticeship_section(self.ds, self.region, self.name, self.year)

    # -- Besoins de recrutement ------------------------------------------------------------
    def recruitment(self) -> Block:
        """BMO 2025: industrial occupations, share judged difficult."""
        table, summary = ind.bmo_table(self.ds, self.region)
        france = ind.recruitment_summary(self.ds, FRANCE)
        parts: list = []
        if self.year != 2025:
            parts.append(
                blocks.note(
                    "Enquête Besoins en main-d'œuvre 2025 : seule édition disponible dans les "
                    f"données. Elle porte sur les recrutements envisagés en 2025, non sur "
                    f"{self.year}.",
                    "missing",
                )
            )
        parts.append(
            blocks.paragraph(
                f"En 2025, les employeurs {self.where} envisagent au moins "
                f"{_int(summary['projects'])} recrutements dans les métiers industriels, soit "
                f"{_pct(summary['share_pct'])} de l'ensemble de leurs projets "
                f"({_pct(france['share_pct'])} en France). {_pct(summary['difficult_pct'])} de ces "
                f"projets sont jugés difficiles, contre {_pct(summary['all_difficult_pct'])} "
                "pour l'ensemble des métiers de la région."
            )
        )
        parts.append(
            blocks.table(
                table,
                [
                    Column("occupation_name", "Métier (FAP)", numeric=False),
                    Column(
                        "projects",
                        "Projets de recrutement",
                        lambda v: french.flagged(_int(v), secret=pd.isna(v)),
                    ),
                    Column("difficult_pct", "Part jugée difficile", _secret_pct),
                    Column("seasonal_pct", "Part saisonnière", _secret_pct),
                ],
                caption=f"Les 10 métiers industriels aux plus nombreux projets {self.where}, 2025",
                footer=f"Cellules secrètes (s) laissées de côté : {summary['masked_cells']} "
                "cellules bassin × métier industriel ne sont pas comptées, les nombres sont des "
                "minimums et les parts portent sur les seules cellules connues. Source : "
                + _source(ind.BMO_SOURCE)
                + ".",
            )
        )
        return blocks.concat(parts)

    # -- La région parmi les régions --------------------------------------------------
    def comparison(self) -> Block:
        """All regions side by side with this one highlighted, and the map."""
        return blocks.concat([self.regions_table(), self.share_map()])


class FranceReport(_Report):
    """The France overview for one year: every region side by side.

    Parameters
    ----------
    year : int
        Report year.
    """

    def __init__(self, year: int, *, data_dir=None, datasets=None):
        super().__init__(FRANCE, year, data_dir=data_dir, datasets=datasets)

    def maps(self) -> Block:
        """Return the maps: share of industry; apprenticeship change or contracts per 1 000."""
        parts: list = [self.share_map()]
        appr = self.apprenticeship_year
        values = appr["per_thousand"]
        diverging = False
        if values.notna().any():
            title = f"Nouveaux contrats d'apprentissage pour 1 000 salariés du privé, {self.year}"
            legend = "contrats pour 1 000 salariés du privé"
            caption = "Champ : tous secteurs ; rapporté à l'emploi salarié privé Urssaf."
        else:
            values = appr["change_pct"]
            diverging = True
            title = (
                f"Évolution des nouveaux contrats d'apprentissage, "
                f"{appr.loc[FRANCE, 'period']} sur un an"
            )
            legend = "évolution sur un an (mêmes mois), en %"
            caption = "Champ : tous secteurs ; même source et mêmes mois l'année précédente."
        if values.loc[list(REGION_CODES)].notna().any():
            parts.append(
                plots.region_map(
                    self.ds.shapes,
                    values,
                    highlight=None,
                    title=title,
                    legend=legend,
                    source=_source(
                        "ditp_ind313" if self.year >= 2022 else "etalab_apprenticeship_regional",
                        "geo_region_shapes",
                    ),
                    caption=caption,
                    diverging=diverging,
                )
            )
        else:
            parts.append(
                blocks.note(f"Carte de l'apprentissage non disponible pour {self.year}.", "missing")
            )
        return blocks.concat(parts)

    def rankings(self) -> Block:
        """Regions ranked by industrial employment and by its change."""
        if self.choice is None:
            return blocks.note(
                f"Données d'emploi industriel non disponibles pour {self.year} : pas de "
                "classement.",
                "missing",
            )
        names = {c: self.ds.names[c] for c in REGION_CODES}
        employment = self.levels.loc[list(REGION_CODES)].rename(index=names)
        source = _source(self.choice.source)
        parts = [
            plots.ranking_chart(
                employment["industry"],
                highlight=None,
                title=f"Emploi salarié industriel par région, {self.choice.label()}",
                unit="salariés",
                source=source,
                caption=f"Champ : {self.choice.field}, secteurs B à E.",
            )
        ]
        if employment["change_pct"].notna().any():
            parts.append(
                plots.ranking_chart(
                    employment["change_pct"],
                    highlight=None,
                    title="Évolution de l'emploi industriel par région, "
                    + self.choice.change_label,
                    unit="évolution en %",
                    source=source,
                    decimals=1,
                    reference=("France", self.levels.loc[FRANCE, "change_pct"]),
                    caption=f"Champ : {self.choice.field}. Ligne : France.",
                )
            )
        return blocks.concat(parts)

    def trends(self) -> Block:
        """National trends: INSEE quarterly (base 100) and URSSAF annual."""
        insee = self.ds.insee
        france = insee[insee["region"] == FRANCE]
        start = pd.Period("2010Q4", "Q")
        by_a5 = france.groupby(["quarter", "a5"])["employment"].sum(min_count=1).unstack()  # noqa: PD010
        by_a5 = by_a5.loc[by_a5.index >= start]
        labels = {
            "BE": "Industrie",
            "FZ": "Construction",
            "GU": "Tertiaire marchand",
            "OQ": "Tertiaire non marchand",
        }
        frame = pd.DataFrame({labels[k]: metrics.base_100(by_a5[k], start) for k in labels})
        colours = dict(zip(frame.columns, plots.PALETTE, strict=False))
        last = frame.index.max()
        parts = [
            plots.index_chart(
                frame,
                title=f"Emploi salarié en France par grand secteur, {french.quarter(start)} - "
                f"{french.quarter(last)}",
                base_label=french.quarter(start),
                source=_source(ind.INSEE_SOURCE),
                colours=colours,
                caption="Champ : ensemble des salariés, France hors Mayotte. Trimestres à partir "
                "de 2019 provisoires.",
            )
        ]
        totals = self.ds.urssaf_totals
        series = totals[totals["region"] == FRANCE].set_index("year")["employment"]
        urssaf = self.ds.urssaf[
            (self.ds.urssaf["region"] == FRANCE) & (self.ds.urssaf["a5"] == ind.INDUSTRY)
        ]
        industry = urssaf.groupby("year")["employment"].sum(min_count=1)
        rows = pd.DataFrame({"total": series, "industry": industry.reindex(series.index)})
        rows["share"] = metrics.shares(rows["industry"], rows["total"])
        parts.append(
            blocks.table(
                rows.reset_index(),
                [
                    Column("year", "Année", lambda v: str(int(v)), numeric=False),
                    Column("total", "Salariés du privé, tous secteurs", _int),
                    Column("industry", "dont industrie", _int),
                    Column("share", "Part de l'industrie", _pct),
                ],
                caption="Emploi salarié privé en France, 2014-2024",
                highlight=lambda r: r["year"] == self.year,
                footer="n.d. : pas de donnée par secteur pour cette année. Source : "
                + _source(ind.URSSAF_TOTALS_SOURCE, ind.URSSAF_SOURCE)
                + ".",
            )
        )
        return blocks.concat(parts)

    def apprenticeship(self) -> Block:
        """Return the national apprenticeship series and the regions' contracts."""
        parts: list = [_apprenticeship_section(self.ds, FRANCE, "France", self.year)]
        names = {c: self.ds.names[c] for c in REGION_CODES}
        contracts = self.apprenticeship_year.loc[list(REGION_CODES), "contracts"].rename(
            index=names
        )
        if contracts.notna().any():
            parts.append(
                plots.ranking_chart(
                    contracts,
                    highlight=None,
                    title=f"Nouveaux contrats d'apprentissage par région, "
                    f"{self.apprenticeship_year.loc[FRANCE, 'period']}",
                    unit="contrats",
                    source=_source(
                        "ditp_ind313" if self.year >= 2022 else "etalab_apprenticeship_regional"
                    ),
                    caption="Champ : tous secteurs.",
                )
            )
        return blocks.concat(parts)

    def recruitment(self) -> Block:
        """BMO 2025 by region: industrial projects and share judged difficult."""
        rows = []
        for code in [
            *METROPOLITAN_REGIONS,
            *[c for c in REGION_CODES if c not in METROPOLITAN_REGIONS],
            FRANCE,
        ]:
            summary = ind.recruitment_summary(self.ds, code)
            rows.append({"name": self.ds.names[code], "code": code, **summary})
        parts: list = []
        if self.year != 2025:
            parts.append(
                blocks.note(
                    "Enquête Besoins en main-d'œuvre 2025 : seule édition disponible ; elle porte "
                    f"sur les recrutements envisagés en 2025, non sur {self.year}.",
                    "missing",
                )
            )
        parts.append(
            blocks.table(
                pd.DataFrame(rows),
                [
                    Column("name", "Région", numeric=False),
                    Column("projects", "Projets industriels (au moins)", _int),
                    Column("share_pct", "Part dans tous les projets", _pct),
                    Column("difficult_pct", "Part jugée difficile", _pct),
                    Column("all_difficult_pct", "Tous métiers : part difficile", _pct),
                ],
                caption="Projets de recrutement dans les métiers industriels, 2025",
                highlight=lambda r: r["code"] == FRANCE,
                footer="Cellules secrètes laissées de côté : les nombres sont des minimums. "
                "Source : " + _source(ind.BMO_SOURCE) + ".",
            )
        )
        return blocks.concat(parts)


def _apprenticeship_section(ds: Datasets, region: str, name: str, year: int) -> Block:
    """Chart and table of new apprenticeship contracts for ``region`` (or France)."""
    rows = ind.apprenticeship_by_year(ds, region)
    where = french.in_region(name)
    parts: list = []
    first, last = int(rows["year"].min()), int(rows["year"].max())
    if year not in set(rows["year"]):
        parts.append(
            blocks.note(
                f"Données d'apprentissage non disponibles pour {year} : les séries couvrent "
                f"{first}-{last}.",
                "missing",
            )
        )
    shown = rows.assign(
        region_change=rows["change_pct"].where(rows["significant"]),
        france_change=rows["france_change_pct"],
        region_contracts=rows["contracts"],
    )
    parts.append(
        plots.apprenticeship_chart(
            shown,
            region_name=name,
            title=f"Nouveaux contrats d'apprentissage {where}, {first}-{last}",
            source=_source("etalab_apprenticeship_regional", "ditp_ind313"),
            caption="Champ : nouveaux contrats d'apprentissage, tous secteurs (les données ne "
            "séparent pas l'industrie). Évolution sur un an calculée dans la même source et sur "
            "les mêmes mois : pas d'évolution en 2017 (première année) ni en 2022 (changement "
            "de source, Etalab puis DITP) ; 2024 : janvier à avril, comparé à janvier-avril 2023.",
        )
    )

    def change(row) -> str:
        return "n.s." if not row["significant"] else _signed(row["change_pct"])

    table = rows.assign(
        change_text=[change(r) for _, r in rows.iterrows()],
        source_name=rows["source"].map({"etalab": "Etalab", "ditp": "DITP"}).fillna("n.d."),
    )
    columns = [
        Column("period", "Période", numeric=False),
        Column("contracts", name, _int),
        Column("change_text", "Évolution", str),
    ]
    if region != FRANCE:
        columns += [
            Column("france", "France", _int),
            Column("france_change_pct", "Évolution France", _signed),
        ]
    columns += [
        Column("per_thousand", "Pour 1 000 salariés du privé", lambda v: french.number(v, 1)),
        Column("source_name", "Source", numeric=False),
    ]
    parts.append(
        blocks.table(
            table,
            columns,
            caption=f"Nouveaux contrats d'apprentissage {where}"
            + ("" if region == FRANCE else " et en France"),
            highlight=lambda r: r["year"] == year,
            footer="Évolution : par rapport aux mêmes mois de l'année précédente, dans la même "
            "source (n.d. en 2017, première année, et en 2022, changement de source) ; n.s. : "
            f"non significatif, moins de {ind.MIN_BASE} contrats l'année précédente. Pour "
            "1 000 salariés : rapporté à l'emploi salarié privé Urssaf de la même année, années "
            "complètes seulement. Source : "
            + _source("etalab_apprenticeship_regional", "ditp_ind313", ind.URSSAF_TOTALS_SOURCE)
            + ".",
        )
    )
    return blocks.concat(parts)
