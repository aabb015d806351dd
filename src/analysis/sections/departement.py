"""The report of one département for one year: :class:`DepartementReport`.

Every number it prints comes from :mod:`analysis.territories` and
:func:`analysis.keyfigures.departement_key_figures`, computed once in the constructor;
the methods lay them out, one per section of ``notebooks/departement_report.ipynb``.
Comparisons with the region and France read the same tables, so that field and period
match by construction (INSEE's quarter, DITP's months, the BMO survey).
"""

from __future__ import annotations

import pandas as pd

from .. import blocks, french, keyfigures, plots
from .. import territories as ter
from ..blocks import Block, Card, Column
from ..config import edition_date
from ..datasets import shared as shared_datasets
from ..geo import FRANCE
from ..levels import DEPARTEMENT
from ..loaders.recruitment import occupation_label
from ..parameters import check_departement, check_year
from ._base import SOURCE_TEXT, KeyFiguresDisplay, _int, _pct, _signed, _source
from .sources import checksums_table

__all__ = ["DepartementReport"]

_DEP, _REG, _FR = ter.DEPARTEMENT, ter.REGION, ter.NATIONAL


class DepartementReport:
    """The report of one département for one year.

    Parameters
    ----------
    departement : str
        INSEE département code (``"59"``, ``"2A"``, ``"971"``).
    year : int
        Report year; see ``python -m analysis years``.
    data_dir : str or path-like, optional
        Raw-data folder.
    links : iterable of str, optional
        What the report may link to: ``"region"`` when the region's report of the same
        year exists beside it.

    Raises
    ------
    ParameterError
        For an unknown département or a year without data.
    """

    #: The report's sections in order (see :attr:`RegionReport.SECTIONS`).
    SECTIONS = (
        ("En bref", ("summary",)),
        ("Emploi industriel", ("employment",)),
        ("Le département dans sa région", ("neighbours", "map")),
        ("Apprentissage", ("apprenticeship",)),
        ("Besoins de recrutement", ("recruitment",)),
        ("Sources et méthode", ("sources",)),
    )

    def __init__(self, departement, year, *, data_dir=None, datasets=None, links=()):
        self.ds = datasets or shared_datasets(data_dir)
        self.code = check_departement(self.ds, departement)
        self.year = check_year(self.ds, year)
        row = self.ds.departements.set_index("departement").loc[self.code]
        self.name, self.region = str(row["name"]), str(row["region"])
        self.region_name = self.ds.names[self.region]
        self.where = self.ds.where[self.name]
        self.links = frozenset(links)
        self.figures = {
            f.id: f for f in keyfigures.departement_key_figures(self.ds, self.code, year)
        }
        self.quarter = ter.insee_quarter(self.ds, self.year)
        self.latest = self.quarter or ter.latest_insee_quarter(self.ds, self.year)
        self.levels = ter.employment_levels(self.ds, self.latest.period.year)
        self.bmo = ter.recruitment_table(self.ds)
        # An overseas département is a region of its own: no comparison with itself.
        self.alone = len(ter.departement_codes(self.ds, self.region)) == 1

    # -- helpers ------------------------------------------------------------------------
    def _row(self, table: pd.DataFrame, level: str, code: str):
        return table.loc[(level, code)] if (level, code) in table.index else None

    def _trio(self):
        """(label, level, code) of the département, its region (unless alone) and France."""
        region = [] if self.alone else [(self.region_name, _REG, self.region)]
        return [(self.name, _DEP, self.code), *region, ("France", _FR, FRANCE)]

    # -- header and summary -------------------------------------------------------------
    def title(self) -> Block:
        """Return the title, subtitle and stylesheet."""
        region = blocks.escape(self.region_name)
        if "region" in self.links:
            region = f'<a href="../{blocks.escape(self.region)}.html">{region}</a>'
        title = french.report_title(f"{self.name} ({self.code})", self.year)
        return Block(
            f"<style>{blocks.CSS}{blocks.page_footer(title)}</style>"
            f"{blocks.report_heading(title)}"
            f'<p class="report-subtitle">Emploi salarié industriel et apprentissage '
            f"{blocks.typeset(self.where)} (département {blocks.escape(self.code)}, région "
            f"{region}) : chiffres clés et comparaisons avec la région et la France, à partir "
            "des données ouvertes de l'Insee, de l'Urssaf, de la DITP et de France Travail.</p>"
        )

    def _employment_card(self) -> Card:
        fig = self.figures["industrial_employment"]
        if fig.value is None:
            details = [fig.note] if fig.note else []
            latest = self._row(self.levels, _DEP, self.code)
            if self.quarter is None and latest is not None and not pd.isna(latest["industry"]):
                details.append(
                    f"Dernière donnée : {self.latest.label}, "
                    f"{_int(latest['industry'])} salariés (p)"
                )
            return Card(fig.label, french.NOT_AVAILABLE, fig.period, tuple(details))
        change = self.figures["industrial_employment_change_pct"]
        details = []
        if change.value is not None:
            details.append(f"Évolution {change.period} : {_signed(change.value)}")
            for label, level, code in self._trio()[1:]:
                row = self._row(self.levels, level, code)
                if row is not None and not pd.isna(row["change_pct"]):
                    details.append(f"{label} : {_signed(row['change_pct'])}")
        details.append(f"Champ : {fig.field}")
        value = french.flagged(_int(fig.value), provisional="provisional" in fig.flags)
        return Card(fig.label, value, fig.period, tuple(details))

    def _share_card(self) -> Card:
        fig = self.figures["industry_share_pct"]
        details = []
        if fig.value is not None:
            for label, level, code in self._trio()[1:]:
                row = self._row(self.levels, level, code)
                if row is not None and not pd.isna(row["share_pct"]):
                    details.append(f"{label} : {_pct(row['share_pct'])}")
        return Card(fig.label, _pct(fig.value), fig.period, tuple(details))

    def _rank_card(self) -> Card:
        rank = self.figures["industrial_employment_rank_region"]
        metro = self.figures["industrial_employment_rank_metro"]
        if self.alone:
            return Card(
                "Rang de l'emploi industriel dans la région",
                "sans objet",
                rank.period,
                (
                    "Département et région à la fois : le rapport régional le compare aux "
                    "autres régions",
                ),
            )
        if rank.value is None:
            return Card("Rang de l'emploi industriel", french.NOT_AVAILABLE, rank.period, ())
        row = self._row(self.levels, _DEP, self.code)
        details = [f"parmi les {int(row['of_region'])} départements de la région avec données"]
        if metro.value is not None:
            details.append(f"{french.ordinal(metro.value)} des 96 départements métropolitains")
        return Card(
            "Rang de l'emploi industriel dans la région",
            f"{french.ordinal(rank.value)} sur {int(row['of_region'])}",
            rank.period,
            tuple(details),
        )

    def _apprenticeship_cards(self) -> list[Card]:
        fig = self.figures["apprenticeship_contracts"]
        change = self.figures["apprenticeship_contracts_change_pct"]
        if fig.value is None:
            return [Card(fig.label, french.NOT_AVAILABLE, fig.period, (fig.note,))]
        details = []
        if change.value is not None:
            details.append(f"Évolution {change.period} : {_signed(change.value)}")
        elif "small_base" in change.flags:
            details.append(f"Évolution {change.period} : n.s. (base trop faible)")
        elif change.note:
            details.append(change.note)
        details.append("Tous secteurs, employeurs publics et privés")
        cards = [Card(fig.label, _int(fig.value), fig.period, tuple(details))]
        ytd = self.figures.get("apprenticeship_contracts_year_to_date")
        if ytd is not None and ytd.value is not None:
            ytd_change = self.figures["apprenticeship_contracts_year_to_date_change_pct"]
            lines = []
            if ytd_change.value is not None:
                lines.append(f"Sur un an, mêmes mois : {_signed(ytd_change.value)}")
            lines.append("Année incomplète : comparée aux seuls mêmes mois de l'année précédente")
            cards.append(
                Card(f"{fig.label}, {ytd.period}", _int(ytd.value), ytd.period, tuple(lines))
            )
        return cards

    def _recruitment_card(self) -> Card:
        projects = self.figures["industrial_recruitment_projects"]
        difficult = self.figures["industrial_recruitment_difficult_pct"]
        details = []
        if difficult.value is None:
            details.append("Part jugée difficile : n.s. (moins de 30 projets)")
        else:
            details.append(f"{_pct(difficult.value)} jugés difficiles")
            for label, level, code in self._trio()[1:]:
                row = self._row(self.bmo, level, code)
                if row is not None and not pd.isna(row["difficult_pct"]):
                    details.append(f"{label} : {_pct(row['difficult_pct'])}")
        details.append("Enquête 2025, seule édition disponible ; cellules secrètes non comptées")
        period = projects.period + (", minimum" if "secret_cells" in projects.flags else "")
        return Card(projects.label, _int(projects.value), period, tuple(details))

    def _private_note(self) -> str:
        series = self.ds.urssaf_departement_totals
        if not series["departement"].eq(self.code).any():
            return f"La série de l'Urssaf par département ne couvre pas {self.name}."
        return self.figures["private_employment"].note

    def summary(self) -> Block:
        """Return "En bref": the key-figure cards."""
        private = self.figures["private_employment"]
        cards = [
            self._employment_card(),
            self._share_card(),
            self._rank_card(),
            Card(
                private.label,
                _int(private.value),
                private.period,
                (self._private_note(),) if private.value is None else ("Champ : " + private.field,),
            ),
            *self._apprenticeship_cards(),
            self._recruitment_card(),
        ]
        figures = keyfigures.key_figure_table(self.figures.values())
        return blocks.cards(cards) + Block("", {"Chiffres clés": figures})

    # -- sections -----------------------------------------------------------------------
    def employment(self) -> Block:
        """INSEE quarterly industrial employment (base 100), against the region and France."""
        parts: list = []
        if self.quarter is None:
            parts.append(
                blocks.note(
                    f"{self.figures['industrial_employment'].note} Le graphique et le "
                    f"tableau ci-dessous s'arrêtent au {self.latest.label}."
                )
            )
        areas = [(level, code) for _, level, code in self._trio()]
        series = ter.insee_series(self.ds, areas, until=self.latest.period)
        series.columns = [label for label, _, _ in self._trio()]
        known = series.dropna(axis=1, how="all")
        if self.name not in known.columns:
            parts.append(
                blocks.note(
                    f"Les estimations d'emploi de l'Insee ne couvrent pas {self.name} : pas "
                    "de série d'emploi industriel, ni de rang ou de part de l'industrie."
                )
            )
            return blocks.concat(parts)
        base = known.index[0]
        index = known.apply(lambda s: 100 * s / s.loc[base])
        parts.append(
            plots.index_chart(
                index,
                title=f"Emploi salarié industriel {self.where}"
                + (" et en France" if self.alone else ", dans la région et en France")
                + f", indice base 100 au {french.quarter(base)}",
                base_label=french.quarter(base),
                source=_source(ter.INSEE_SOURCE),
                caption="Champ : ensemble des salariés (public et privé), secteurs B à E, "
                "fin de trimestre. Trimestres à partir de 2019 provisoires.",
            )
        )
        table = ter.a17_table(self.ds, self.code, self.latest)
        parts.append(
            blocks.table(
                table.reset_index(),
                [
                    Column("label", "Secteur (A17)", numeric=False),
                    Column("employment", f"Salariés, {self.latest.label}", _int),
                    Column("share_pct", "Part dans l'industrie du département", _pct),
                    Column("change_pct", "Évolution sur un an", _signed),
                ],
                caption=f"Emploi salarié industriel par secteur {self.where}, {self.latest.label}",
                footer="Champ : ensemble des salariés, public et privé. Source : "
                f"{_source(ter.INSEE_SOURCE)}. p : provisoire (trimestres à partir de 2019).",
            )
        )
        return blocks.concat(parts)

    def neighbours(self) -> Block:
        """Return the départements of the region side by side, this one highlighted."""
        if self.alone:
            return blocks.note(
                f"{self.name} forme à elle seule une région d'outre-mer : ses chiffres sont "
                "ceux de la région, que le rapport régional compare aux autres régions."
                if self.name in ("Guadeloupe", "Martinique", "Guyane", "La Réunion", "Mayotte")
                else f"Le département {self.code} forme à lui seul une région."
            )
        deps = ter.departement_codes(self.ds, self.region)
        rows = []
        for code in deps:
            row = self._row(self.levels, _DEP, code)
            rows.append(
                {
                    "code": code,
                    "name": self.ds.departements.set_index("departement").loc[code, "name"],
                    "industry": None if row is None else row["industry"],
                    "share_pct": None if row is None else row["share_pct"],
                    "change_pct": None if row is None else row["change_pct"],
                    "rank": None
                    if row is None or pd.isna(row["rank_region"])
                    else row["rank_region"],
                }
            )
        region = self._row(self.levels, _REG, self.region)
        if region is not None:
            rows.append(
                {
                    "code": self.region,
                    "name": f"Région {self.region_name}",
                    "industry": region["industry"],
                    "share_pct": region["share_pct"],
                    "change_pct": region["change_pct"],
                    "rank": None,
                }
            )
        frame = pd.DataFrame(rows)
        return blocks.table(
            frame,
            [
                Column("name", "Département", numeric=False),
                Column("code", "Code", numeric=False),
                Column("industry", f"Emploi industriel, {self.latest.label}", _int),
                Column("share_pct", "Part de l'industrie dans l'emploi salarié", _pct),
                Column("change_pct", "Évolution sur un an", _signed),
                Column(
                    "rank", "Rang", lambda v: "" if v is None or pd.isna(v) else french.ordinal(v)
                ),
            ],
            caption=f"Les départements de la région {self.region_name}, {self.latest.label}",
            highlight=lambda r: r["code"] == self.code,
            footer="Champ : ensemble des salariés, public et privé, secteurs B à E. Les "
            "départements s'additionnent au total régional : l'Insee ne publie une région que "
            f"si tous ses départements sont connus. Source : {_source(ter.INSEE_SOURCE)}.",
        )

    def apprenticeship(self) -> Block:
        """Return new apprenticeship contracts by year (DITP, from 2022), region and France."""
        first = int(self.ds.apprenticeship_departements["period_end"].dt.year.min())
        if self.year < first:
            regional = int(self.ds.apprenticeship["year"].min())
            return blocks.note(
                "La DITP ne publie de chiffres d'apprentissage par département qu'à partir de "
                f"{first} : pas de données pour {self.year}. Le rapport régional donne la "
                f"série de la région depuis {regional}."
            )
        by_period: dict[str, dict] = {}
        for label, level, code in self._trio():
            years = ter.apprenticeship_years(self.ds, level, code, self.year)
            for item in years.itertuples():
                by_period.setdefault(item.period, {"period": item.period})[label] = item.contracts
        wide = pd.DataFrame(list(by_period.values()))
        table = blocks.table(
            wide,
            [
                Column("period", "Période", numeric=False),
                *(Column(label, label, _int) for label, _, _ in self._trio()),
            ],
            caption=f"Nouveaux contrats d'apprentissage {self.where}, dans la région et en France",
            footer="Champ : nouveaux contrats, tous secteurs, employeurs publics et privés ; "
            "cumul depuis janvier (une année incomplète n'est comparée qu'aux mêmes mois). "
            f"Source : {_source(ter.APPRENTICESHIP_SOURCE)}.",
        )
        return table

    def recruitment(self) -> Block:
        """BMO 2025: industrial occupations with the most recruitment projects."""
        rows = self.ds.bmo_departements
        mine = rows[(rows["departement"] == self.code) & rows["industrial"]]
        mine = mine.dropna(subset=["projects"]).sort_values("projects", ascending=False).head(10)
        if mine.empty:
            return blocks.note(
                f"Aucun projet de recrutement d'ouvriers de l'industrie publié {self.where} "
                "(cellules secrètes ou absentes)."
            )
        frame = pd.DataFrame(
            {
                "occupation": [occupation_label(n) for n in mine["occupation_name"]],
                "projects": mine["projects"].to_numpy(),
                "difficult_pct": (
                    (100 * mine["difficult"] / mine["projects"])
                    .where(mine["projects"] >= ter.MIN_PROJECTS)
                    .to_numpy()
                ),
            }
        )
        return blocks.concat(
            [
                blocks.table(
                    frame,
                    [
                        Column("occupation", "Métier", numeric=False),
                        Column("projects", "Projets de recrutement", _int),
                        Column(
                            "difficult_pct",
                            "Part jugée difficile",
                            lambda v: "n.s." if pd.isna(v) else _pct(v),
                        ),
                    ],
                    caption=f"Les métiers d'ouvriers de l'industrie les plus recherchés "
                    f"{self.where}, 2025",
                    footer="Famille « Ouvriers des secteurs de l'industrie » ; cellules "
                    "secrètes non comptées ; part non calculée sous 30 projets (n.s.). "
                    f"Source : {_source(ter.BMO_SOURCE)}.",
                ),
            ]
        )

    def map(self) -> plots.Chart | Block:
        """Return the département on the map of its region's départements."""
        if self.alone:
            return Block("")
        deps = ter.departement_codes(self.ds, self.region)
        shapes = self.ds.departement_shapes
        shapes = shapes[shapes["departement"].isin(deps)]
        values = pd.Series(
            {
                code: self.levels.loc[(_DEP, code), "share_pct"]
                if (_DEP, code) in self.levels.index
                else float("nan")
                for code in deps
            }
        )
        if values.notna().any():
            title = (
                f"Part de l'industrie dans l'emploi salarié, départements de la région "
                f"{self.region_name}, {self.latest.label}"
            )
            legend, source = "part de l'industrie (%)", _source(ter.INSEE_SOURCE)
        else:
            values = pd.Series(
                {
                    code: self.bmo.loc[(_DEP, code), "industrial_pct"]
                    if (_DEP, code) in self.bmo.index
                    else float("nan")
                    for code in deps
                }
            )
            title = (
                "Part des ouvriers de l'industrie dans les projets de recrutement, "
                f"départements de la région {self.region_name}, 2025"
            )
            legend, source = "part des projets (%)", _source(ter.BMO_SOURCE)
        return plots.departement_map(
            shapes,
            values,
            highlight=self.code,
            title=title,
            legend=legend,
            source=source + " ; IGN, Admin Express COG",
            caption=f"Contour rouge : {self.name}.",
        )

    def sources(self) -> Block:
        """Return "Sources et méthode": coverage of each source at this level, checksums."""
        from .. import __version__

        rows = []
        for coverage in DEPARTEMENT.sources:
            rows.append(
                {
                    "source": SOURCE_TEXT[coverage.source],
                    "what": coverage.what,
                    "period": f"{coverage.first}-{coverage.last}"
                    if coverage.first != coverage.last
                    else str(coverage.first),
                    "year": "oui" if coverage.covers(self.year) else "non",
                    "gaps": coverage.gaps,
                }
            )
        table = blocks.table(
            pd.DataFrame(rows),
            [
                Column("source", "Source", numeric=False),
                Column("what", "Ce qu'elle donne par département", numeric=False),
                Column("period", "Années", numeric=False),
                Column("year", f"Couvre {self.year}", numeric=False),
                Column("gaps", "Limites", numeric=False),
            ],
            caption="Sources par département",
        )
        ids = [c.source for c in DEPARTEMENT.sources] + [
            "insee_a17_labels",
            "geo_departements",
            "geo_departement_shapes",
        ]
        checksums = checksums_table(ids, data_dir=getattr(self.ds, "data_dir", None))
        method = blocks.concat(
            [
                blocks.paragraph(
                    "Industrie : secteurs B à E (regroupement A5 « BE »). Emploi industriel par "
                    "département : estimations trimestrielles de l'Insee, seule source du "
                    "rapport ventilée par secteur à ce niveau ; dernier trimestre disponible de "
                    "l'année, comparé au même trimestre de l'année précédente ; trimestres à "
                    "partir de 2019 provisoires (p). Rangs : par effectif industriel, parmi les "
                    "départements de la région dont l'effectif est connu, et parmi les 96 "
                    "départements métropolitains."
                ),
                blocks.paragraph(
                    "Apprentissage : indicateur IND-313 de la DITP, cumulé depuis janvier ; la "
                    "valeur de décembre mesure l'année ; 2024 s'arrête en avril et n'est "
                    "comparée qu'aux mêmes mois de 2023. Besoins en main-d'œuvre : enquête "
                    "2025 de France Travail, famille « Ouvriers des secteurs de l'industrie » ; "
                    "les cellules secrètes ne sont pas comptées (minimum)."
                ),
                blocks.paragraph(
                    "Signes conventionnels : s = secret statistique ; p = provisoire ; "
                    "n.d. = non disponible ; n.s. = non significatif."
                ),
            ]
        )
        params = Block(
            '<dl class="params">'
            f"<dt>Paramètres</dt><dd>département = {blocks.escape(self.code)} "
            f"({blocks.escape(self.name)}), année = {self.year}</dd>"
            f"<dt>Version du logiciel (analysis)</dt><dd>{blocks.escape(__version__)}</dd>"
            f"<dt>Rapport produit le</dt><dd>{edition_date():%d/%m/%Y}</dd></dl>"
        )
        return blocks.concat([table, method, params, checksums])

    def key_figures(self) -> KeyFiguresDisplay:
        """Return the key figures, for the notebook's last cell and ``<code>.json``."""
        return KeyFiguresDisplay(
            keyfigures.document(
                self.region,
                self.name,
                self.year,
                self.figures.values(),
                level=DEPARTEMENT.name,
                code=self.code,
            )
        )
