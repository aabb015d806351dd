"""Key figures of a report, the same numbers in the "En bref" cards and in the JSON file.

``reports/<year>/<code>.json`` holds
``{"region", "name", "year", "figures": [{"id", "label", "value", "unit", "period",
"source"}, ...]}``: ``value`` is a plain number, or null when the sources do not cover
the year, and ``period`` always says what the number measures.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

import pandas as pd

from . import indicators as ind
from ._files import atomic_write_text
from .datasets import Datasets
from .geo import FRANCE, METROPOLITAN_REGIONS, REGION_CODES

__all__ = ["KeyFigure", "key_figures", "write_key_figures"]

_APPRENTICESHIP_SOURCES = {
    "etalab": "etalab_apprenticeship_regional",
    "ditp": "ditp_ind313",
}


@dataclass(frozen=True)
class KeyFigure:
    """One figure of a report.

    Attributes
    ----------
    id : str
        Stable identifier (``"industrial_employment"``).
    label : str
        French label.
    value : float or None
        The number, None when not available.
    unit : str
        ``"salariés"``, ``"%"``, ``"contrats"``, ``"rang"``...
    period : str
        What the value measures, in French (``"2024"``, ``"de 2023 à 2024"``).
    source : str
        Catalogue id of the dataset, or ids joined by ``"+"``.
    """

    id: str
    label: str
    value: float | None
    unit: str
    period: str
    source: str

    def to_json(self) -> dict:
        """Return the figure as a JSON-ready dict."""
        return asdict(self)


def _clean(value) -> float | None:
    if value is None or pd.isna(value):
        return None
    return float(value)


def key_figures(ds: Datasets, region: str, year: int) -> list[KeyFigure]:
    """Compute the key figures of ``region`` (or ``"FR"``) for ``year``.

    Parameters
    ----------
    ds : Datasets
        The loaded tables.
    region : str
        Region code, or ``"FR"`` for France.
    year : int
        Report year.

    Returns
    -------
    list of KeyFigure
        ``industrial_employment``, ``industrial_employment_change_pct``,
        ``industry_share_pct``, ``industrial_employment_rank``,
        ``apprenticeship_contracts``, ``apprenticeship_contracts_change_pct``,
        ``apprenticeship_per_1000``, ``industrial_recruitment_projects`` and
        ``industrial_recruitment_difficult_pct``, in that order.
    """
    choice, employment = ind.employment_table(ds, year)
    row = employment.loc[region]
    period = choice.label() if choice else str(year)
    source = choice.source if choice else f"{ind.INSEE_SOURCE}+{ind.URSSAF_SOURCE}"
    field = f", {choice.field}" if choice else ""
    share_source = (
        source
        if choice is None or choice.source == ind.INSEE_SOURCE
        else (f"{ind.URSSAF_SOURCE}+{ind.URSSAF_TOTALS_SOURCE}")
    )
    metro = region in METROPOLITAN_REGIONS
    rank_value = row["rank_metro"] if metro else row["rank_all"]
    ranked = int(employment.loc[list(REGION_CODES), "industry"].notna().sum())
    rank_label = (
        "Rang de l'emploi industriel parmi les 13 régions métropolitaines"
        if metro
        else f"Rang de l'emploi industriel parmi les {ranked} régions disposant de données"
    )
    appr = ind.apprenticeship_table(ds, year).loc[region]
    appr_source = _APPRENTICESHIP_SOURCES.get(appr["source"], "etalab_apprenticeship_regional")
    appr_period = appr["period"]
    change_period = (
        f"{appr_period} par rapport à la même période de {year - 1}"
        if _clean(appr["previous"]) is not None
        else appr_period
    )
    recruitment = ind.recruitment_summary(ds, region)
    return [
        KeyFigure(
            "industrial_employment",
            f"Emploi salarié dans l'industrie{field}",
            _clean(row["industry"]),
            "salariés",
            period,
            source,
        ),
        KeyFigure(
            "industrial_employment_change_pct",
            "Évolution de l'emploi salarié dans l'industrie",
            _clean(row["change_pct"]),
            "%",
            choice.change_label if choice and choice.previous is not None else period,
            source,
        ),
        KeyFigure(
            "industry_share_pct",
            "Part de l'industrie dans l'emploi salarié",
            _clean(row["share_pct"]),
            "%",
            period,
            share_source,
        ),
        KeyFigure(
            "industrial_employment_rank",
            rank_label if region != FRANCE else "Rang (sans objet pour la France)",
            _clean(rank_value) if region != FRANCE else None,
            "rang",
            period,
            source,
        ),
        KeyFigure(
            "apprenticeship_contracts",
            "Nouveaux contrats d'apprentissage (tous secteurs)",
            _clean(appr["contracts"]),
            "contrats",
            appr_period,
            appr_source,
        ),
        KeyFigure(
            "apprenticeship_contracts_change_pct",
            "Évolution des nouveaux contrats d'apprentissage",
            _clean(appr["change_pct"]),
            "%",
            change_period,
            appr_source,
        ),
        KeyFigure(
            "apprenticeship_per_1000",
            "Nouveaux contrats d'apprentissage pour 1 000 salariés du privé",
            _clean(appr["per_thousand"]),
            "contrats pour 1 000 salariés",
            appr_period,
            f"{appr_source}+{ind.URSSAF_TOTALS_SOURCE}",
        ),
        KeyFigure(
            "industrial_recruitment_projects",
            "Projets de recrutement dans les métiers industriels (au moins)",
            _clean(recruitment["projects"]),
            "projets",
            "enquête BMO 2025",
            ind.BMO_SOURCE,
        ),
        KeyFigure(
            "industrial_recruitment_difficult_pct",
            "Part des projets industriels jugés difficiles",
            _clean(recruitment["difficult_pct"]),
            "%",
            "enquête BMO 2025",
            ind.BMO_SOURCE,
        ),
    ]


def document(ds: Datasets, region: str, year: int) -> dict:
    """Return the JSON document of a report's key figures."""
    return {
        "region": region,
        "name": ds.names[region],
        "year": int(year),
        "figures": [figure.to_json() for figure in key_figures(ds, region, year)],
    }


def write_key_figures(path: str | os.PathLike, doc: dict) -> Path:
    """Write ``doc`` to ``path`` as UTF-8 JSON, atomically."""
    return atomic_write_text(path, json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
