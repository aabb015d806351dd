"""What every section shares: French formats, source lines and the report's state.

:class:`_Report` holds what a report computes once (the employment source chosen for the
year, the levels of every region, the apprenticeship table, the key figures) and the
parts that only read it: the title and *En bref* (key-figure cards and their sentences).
The section modules take a report object and read those attributes; they import the
small helpers below rather than formatting numbers themselves.
"""

from __future__ import annotations

import pandas as pd

from .. import blocks, french, keyfigures
from .. import indicators as ind
from ..blocks import Block, Card
from ..datasets import Datasets
from ..datasets import shared as shared_datasets
from ..french import report_title
from ..geo import FRANCE, METROPOLITAN_REGIONS, REGION_CODES
from ..parameters import check_parameters

#: French name of each source, for the "Source :" lines.
SOURCE_TEXT = {
    ind.INSEE_SOURCE: "Insee, estimations d'emploi salarié (ETE)",
    ind.URSSAF_SOURCE: "Urssaf, emploi salarié privé par zone d'emploi et secteur A38",
    ind.URSSAF_TOTALS_SOURCE: "Urssaf, emploi salarié privé par région et par département",
    "etalab_apprenticeship_regional": "Etalab-DITP, Baromètre des résultats",
    "ditp_ind313": "DITP, indicateur IND-313 (cumul mensuel)",
    ind.BMO_SOURCE: "France Travail, enquête Besoins en main-d'œuvre 2025",
    "geo_region_shapes": "IGN, Admin Express COG",
}


def _source(*ids: str) -> str:
    return " ; ".join(SOURCE_TEXT[i] for i in ids) + " ; calculs de l'auteur du rapport"


def _int(value) -> str:
    return french.number(value)


def _pct(value) -> str:
    return french.percent(value)


def _secret_pct(value) -> str:
    """Format a share whose missing value comes from secret cells: ``s``, not ``n.d.``."""
    return french.flagged(_pct(value), secret=pd.isna(value))


def _ns_pct(value) -> str:
    """Format a share whose missing value means a base too small: ``n.s.``."""
    return "n.s." if pd.isna(value) else _pct(value)


def _moves(change_pct) -> str:
    """Return "progresse de 0,5 %", "recule de 1,6 %" or "est stable"."""
    printed = french.percent(abs(change_pct))
    if french.signed_percent(change_pct) == printed:
        return "est stable"
    return f"progresse de {printed}" if change_pct > 0 else f"recule de {printed}"


#: Why 2020 and 2021 have no URSSAF figure by sector, in French.
NO_URSSAF = "l'Urssaf ne publie pas de données par secteur pour 2020 et 2021"


def _signed(value) -> str:
    return french.signed_percent(value)


class KeyFiguresDisplay:
    """The key figures as a notebook output: JSON for the batch, a table for a reader.

    The notebook's last cell displays it (tagged ``key-figures``); the batch writes the
    JSON it carries to ``<code>.json`` (:func:`analysis.export.key_figures_of`) and the
    HTML export leaves the cell out.
    """

    def __init__(self, document: dict):
        self.document = document

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        lines = [f"{f['label']} ({f['period']}) : {f['value']}" for f in self.document["figures"]]
        return {"application/json": self.document, "text/plain": "\n".join(lines)}


class _Report:
    """What the region report and the France overview share.

    The report's figures are computed once, here: the employment source and levels of the
    year (:func:`analysis.indicators.employment_table`), the apprenticeship table of the
    edition, and the key figures of the region and of France
    (:func:`analysis.keyfigures.key_figures`). Cards, sentences, tables and the JSON read
    them; the section functions lay them out.
    """

    def __init__(self, region: str, year: int, *, data_dir=None, datasets: Datasets | None = None):
        self.ds = datasets or shared_datasets(data_dir)
        self.region, self.year = check_parameters(self.ds, region, year)
        self.name = self.ds.names[self.region]
        self.where = self.ds.where[self.name]
        self.choice, self.levels = ind.employment_table(self.ds, self.year)
        self.apprenticeship_year = ind.apprenticeship_table(self.ds, self.year)
        self.figures = {f.id: f for f in keyfigures.key_figures(self.ds, self.region, self.year)}
        self.france_figures = (
            self.figures
            if self.region == FRANCE
            else {f.id: f for f in keyfigures.key_figures(self.ds, FRANCE, self.year)}
        )
        # Contracts per 1 000 employees: on the edition's headline year, always complete.
        self.rates = self.apprenticeship_year["per_thousand"]
        self.rate_label = self.figures["apprenticeship_per_1000"].period

    def key_figures(self) -> KeyFiguresDisplay:
        """Return the key figures, for the notebook's last cell and ``<code>.json``."""
        return KeyFiguresDisplay(
            keyfigures.document(self.region, self.name, self.year, self.figures.values())
        )

    # -- header and summary ------------------------------------------------------------
    def _edition_data(self) -> str:
        """Return what the edition's data are, source by source (not the latest in the files)."""
        employment = self.figures["industrial_employment"]
        parts = []
        if self.choice is None:
            parts.append(f"emploi industriel : pas de données pour {self.year}")
        else:
            who = "Insee" if self.choice.source == ind.INSEE_SOURCE else "Urssaf"
            parts.append(f"emploi salarié {who} : {employment.period}")
        appr = self.figures["apprenticeship_contracts"]
        if appr.value is None:
            parts.append(f"apprentissage : pas de données pour {self.year}")
        else:
            text = f"apprentissage : {appr.period}"
            ytd = self.figures.get("apprenticeship_contracts_year_to_date")
            if ytd is not None:
                text += f" et {ytd.period} (année incomplète)"
            parts.append(text)
        parts.append("besoins en main-d'œuvre : enquête 2025 (seule édition disponible)")
        return " ; ".join(parts)

    def title(self) -> Block:
        """Return the report's title, subtitle and stylesheet."""
        title = report_title(self.name, self.year)
        return Block(
            f"<style>{blocks.CSS}{blocks.page_footer(title)}</style>"
            f"{blocks.report_heading(title)}"
            f'<p class="report-subtitle">Emploi salarié industriel et apprentissage '
            f"{blocks.typeset(self.where)} : chiffres clés, évolutions et comparaisons, à partir "
            "des données ouvertes de l'Insee, de l'Urssaf, de la DITP et de France Travail. "
            f"Données de l'édition {self.year} : {blocks.typeset(self._edition_data())}.</p>"
        )

    def _france_row(self):
        return self.levels.loc[FRANCE]

    def _versus_france(self, figure_id: str, text) -> tuple[str, ...]:
        """``("France : +0,3 %",)`` when the region's and France's figures compare."""
        if self.region == FRANCE:
            return ()
        mine, france = self.figures[figure_id], self.france_figures[figure_id]
        if france.value is None:
            return ()
        keyfigures.check_comparable(mine, france)
        return (f"France : {text(france.value)}",)

    def _employment_card(self) -> Card:
        fig = self.figures["industrial_employment"]
        if fig.value is None:
            return Card(
                "Emploi salarié dans l'industrie",
                french.NOT_AVAILABLE,
                f"données non disponibles pour {self.year}",
                self._employment_fallback(),
            )
        value = french.flagged(_int(fig.value), provisional="provisional" in fig.flags)
        period = f"{fig.period}, minimum" if "secret_cells" in fig.flags else fig.period
        details = []
        change = self.figures["industrial_employment_change_pct"]
        if change.value is not None:
            details.append(f"Évolution {change.period} : {_signed(change.value)}")
            details += self._versus_france(change.id, _signed)
        details.append(f"Champ : {fig.field}")
        if fig.note:
            details.append(fig.note)
        return Card(fig.label, value, period, tuple(details))

    def _covered(self) -> bool:
        """Return True when some employment source covers the region at all."""
        return self.region == FRANCE or self.ds.urssaf["region"].eq(self.region).any()

    def _employment_fallback(self) -> tuple[str, ...]:
        if not self._covered():
            return (
                f"{self.name} n'est couverte ni par les estimations d'emploi de l'Insee ni "
                "par les données Urssaf de ce rapport.",
            )
        latest = ind.latest_employment_year(self.ds, self.year)
        if latest is None:
            return (f"Pas de données d'emploi industriel jusqu'en {self.year}.",)
        choice, table = ind.employment_table(self.ds, latest)
        return (
            f"Dernière donnée disponible avant {self.year} : {choice.label()} "
            f"({choice.publisher}, {choice.short_field}) : "
            f"{_int(table.loc[self.region, 'industry'])} salariés",
            "Le fichier d'estimations trimestrielles de l'Insee utilisé ici s'arrête au "
            f"1er trimestre 2020 ; {NO_URSSAF}.",
        )

    def _rank_card(self) -> Card:
        rank = self.figures["industrial_employment_rank"]
        row = self.levels.loc[self.region]
        metro = self.region in METROPOLITAN_REGIONS
        if rank.value is None:
            return Card(
                "Rang de l'emploi industriel",
                french.NOT_AVAILABLE,
                rank.period,
                (rank.label,) if "pas de données" in rank.label else (),
            )
        among = 13 if metro else self._ranked()
        details = [
            "parmi les 13 régions métropolitaines"
            if metro
            else f"parmi les {among} régions avec données",
            f"Champ : {rank.field}",
        ]
        if metro and not pd.isna(row["rank_all"]):
            details.append(
                f"{french.ordinal(row['rank_all'])} parmi les {self._ranked()} régions avec données"
            )
        return Card(
            f"Rang de l'emploi industriel ({self.choice.short_field})",
            f"{french.ordinal(rank.value)} sur {among}",
            rank.period,
            tuple(details),
        )

    def _apprenticeship_cards(self) -> list[Card]:
        fig = self.figures["apprenticeship_contracts"]
        change = self.figures["apprenticeship_contracts_change_pct"]
        if fig.value is None:
            return [
                Card(
                    "Nouveaux contrats d'apprentissage",
                    french.NOT_AVAILABLE,
                    f"données non disponibles pour {self.year}",
                    ("Les séries d'apprentissage commencent en 2017.",),
                )
            ]
        details = []
        if change.value is not None:
            details.append(f"Évolution {change.period} : {_signed(change.value)}")
            details += self._versus_france(change.id, _signed)
        elif "small_base" in change.flags:
            details.append(f"Évolution {change.period} : n.s. (base trop faible)")
        else:
            details.append("Évolution non calculée : pas de données l'année précédente")
        for flag in change.flags:
            if flag in ("poem_deca", "etalab_ditp"):
                details.append(f"Attention : {keyfigures.FLAGS[flag]}")
        details.append("Tous secteurs, employeurs publics et privés")
        cards = [
            Card("Nouveaux contrats d'apprentissage", _int(fig.value), fig.period, tuple(details))
        ]
        ytd = self.figures.get("apprenticeship_contracts_year_to_date")
        if ytd is not None and ytd.value is not None:
            ytd_change = self.figures["apprenticeship_contracts_year_to_date_change_pct"]
            lines = []
            if ytd_change.value is not None:
                lines.append(f"Sur un an, mêmes mois : {_signed(ytd_change.value)}")
                lines += self._versus_france(ytd_change.id, _signed)
            lines.append("Année incomplète : ni rang ni comparaison de niveau entre régions")
            cards.append(
                Card(
                    f"Contrats d'apprentissage, {ytd.period} (année incomplète)",
                    _int(ytd.value),
                    ytd.period,
                    tuple(lines),
                )
            )
        rate = self.figures["apprenticeship_per_1000"]
        cards.append(
            Card(
                "Contrats d'apprentissage pour 1 000 salariés du privé",
                french.number(rate.value, 1),
                rate.period,
                (
                    *self._versus_france(rate.id, lambda v: french.number(v, 1)),
                    "Contrats publics et privés rapportés aux seuls salariés du privé",
                ),
            )
        )
        return cards

    def _recruitment_card(self) -> Card:
        projects = self.figures["industrial_recruitment_projects"]
        difficult = self.figures["industrial_recruitment_difficult_pct"]
        details = []
        if difficult.value is None:
            details.append("Part jugée difficile : n.s. (moins de 30 projets)")
        else:
            details.append(
                f"{_pct(difficult.value)} jugés difficiles"
                + "".join(f" ({t})" for t in self._versus_france(difficult.id, _pct))
            )
        staff = ind.recruitment_summary(self.ds, self.region)["staff_projects"]
        details.append(
            f"À part : {_int(staff)} projets de techniciens, agents de maîtrise et "
            "ingénieurs de l'industrie"
        )
        details.append("Enquête 2025, seule édition disponible ; cellules secrètes non comptées")
        period = projects.period + (", minimum" if "secret_cells" in projects.flags else "")
        return Card(
            "Projets de recrutement d'ouvriers de l'industrie",
            _int(projects.value),
            period,
            tuple(details),
        )

    def _cards(self) -> list[Card]:
        share = self.figures["industry_share_pct"]
        share_details = ()
        if share.value is None and self._covered():
            latest = ind.latest_employment_year(self.ds, self.year)
            if latest is not None:
                choice, table = ind.employment_table(self.ds, latest)
                share_details = (
                    f"Dernière donnée disponible avant {self.year} : {choice.label()} "
                    f"({choice.publisher}, {choice.short_field}) : "
                    f"{_pct(table.loc[self.region, 'share_pct'])}",
                )
        cards = [
            self._employment_card(),
            Card(
                share.label,
                _pct(share.value),
                share.period,
                share_details
                + self._versus_france(share.id, _pct)
                + ((f"Champ : {share.field}",) if share.field else ()),
            ),
        ]
        if self.region != FRANCE:
            cards.append(self._rank_card())
        return [*cards, *self._apprenticeship_cards(), self._recruitment_card()]

    def _ranked(self) -> int:
        return int(self.levels.loc[list(REGION_CODES), "industry"].notna().sum())

    def summary(self) -> Block:
        """Return "En bref": three findings, then the key-figure cards."""
        figures = keyfigures.key_figure_table(self.figures.values())
        return blocks.concat(
            [self._findings(), blocks.cards(self._cards()), Block("", {"Chiffres clés": figures})]
        )

    def _findings(self) -> Block:
        """Three findings, each titled by what it finds (as an Insee Flash opens)."""
        items = [
            self._employment_finding(),
            self._apprenticeship_finding(),
            self._recruitment_finding(),
        ]
        body = "".join(
            f"<li><strong>{blocks.typeset(title)}</strong> {blocks.typeset(text)}</li>"
            for title, text in items
        )
        return Block(f'<ol class="findings">{body}</ol>')

    def _employment_finding(self) -> tuple[str, str]:
        fig = self.figures["industrial_employment"]
        change = self.figures["industrial_employment_change_pct"]
        share = self.figures["industry_share_pct"]
        if fig.value is None:
            if self._covered():
                return (
                    f"Pas de données d'emploi industriel pour {self.year}.",
                    "Le fichier d'estimations trimestrielles de l'Insee utilisé ici s'arrête au "
                    f"1er trimestre 2020 et {NO_URSSAF}.",
                )
            return ("Pas de données d'emploi industriel.", self._employment_fallback()[0])
        period = fig.period
        when = f"Au {period}" if "trimestre" in period else f"En {period}"
        at_least = "au moins " if "secret_cells" in fig.flags else ""
        text = (
            f"{when}, l'industrie compte {at_least}{_int(fig.value)} salariés {self.where} "
            f"({fig.field}), soit {_pct(share.value)} de l'emploi salarié de ce champ"
            + "".join(
                f", contre {t.removeprefix('France : ')} en France"
                for t in self._versus_france(share.id, _pct)
            )
            + "."
        )
        if change.value is None:
            return (f"{_int(fig.value)} salariés dans l'industrie {self.where}.", text)
        title = (
            f"L'emploi industriel {_moves(change.value)} {change.period}"
            + "".join(f" ({t})" for t in self._versus_france(change.id, _signed))
            + "."
        )
        return (title[0].upper() + title[1:], text)

    def _apprenticeship_finding(self) -> tuple[str, str]:
        fig = self.figures["apprenticeship_contracts"]
        change = self.figures["apprenticeship_contracts_change_pct"]
        if fig.value is None:
            return (
                f"Pas de données d'apprentissage pour {self.year}.",
                "Les séries de nouveaux contrats commencent en 2017.",
            )
        text = (
            f"{_int(fig.value)} nouveaux contrats d'apprentissage ont été signés {self.where} "
            f"({fig.period}), tous secteurs confondus."
        )
        ytd = self.figures.get("apprenticeship_contracts_year_to_date")
        ytd_change = self.figures.get("apprenticeship_contracts_year_to_date_change_pct")
        if ytd is not None and ytd.value is not None and ytd_change.value is not None:
            text += (
                f" Sur {ytd.period}, {_int(ytd.value)} contrats, soit "
                f"{_signed(ytd_change.value)} par rapport aux mêmes mois de {self.year - 1}."
            )
        if change.note:
            text += f" {change.note}"
        if change.value is None:
            return (f"{_int(fig.value)} nouveaux contrats d'apprentissage ({fig.period}).", text)
        verb = "progressent" if change.value > 0 else "reculent"
        if french.signed_percent(change.value) == _pct(abs(change.value)):
            title = f"Les entrées en apprentissage sont stables {change.period}."
        else:
            title = (
                f"Les entrées en apprentissage {verb} de {_pct(abs(change.value))} {change.period}."
            )
        return (title, text)

    def _recruitment_finding(self) -> tuple[str, str]:
        projects = self.figures["industrial_recruitment_projects"]
        difficult = self.figures["industrial_recruitment_difficult_pct"]
        at_least = "au moins " if "secret_cells" in projects.flags else ""
        text = (
            f"En 2025, les employeurs {self.where} envisagent {at_least}"
            f"{_int(projects.value)} recrutements d'ouvriers des secteurs de l'industrie "
            "(enquête Besoins en main-d'œuvre 2025 de France Travail, seule édition "
            "disponible)."
        )
        if difficult.value is None:
            return ("Des projets de recrutement industriels trop peu nombreux pour une part.", text)
        title = (
            f"En 2025, {_pct(difficult.value)} des projets de recrutement d'ouvriers de "
            "l'industrie sont jugés difficiles"
            + "".join(f" ({t})" for t in self._versus_france(difficult.id, _pct))
            + "."
        )
        return (title, text)


def _branch_year(report: _Report) -> tuple[int, str]:
    """Return the year the branch sections show, and the warning that goes with it.

    Parameters
    ----------
    report : RegionReport
        The report whose year is asked for.

    Returns
    -------
    tuple of (int or None, str)
        The report's year when URSSAF has branch data for it, otherwise the latest year
        before it (an edition never shows later data), with a French note that says so;
        None and a note for editions before the first URSSAF year.
    """
    year = ind.branch_year(report.ds, report.year)
    if year is not None:
        return year, ""
    latest = ind.nearest_branch_year(report.ds, report.year)
    if latest is None:
        return None, (
            f"Données par branche non disponibles pour {report.year} : l'Urssaf les fournit "
            "à partir de 2019."
        )
    return latest, (
        f"Données par branche non disponibles pour {report.year} ({NO_URSSAF}) : les "
        f"chiffres ci-dessous portent sur {latest}, dernière année "
        f"disponible avant {report.year}."
    )
