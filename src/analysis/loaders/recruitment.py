"""Recruitment projects of France Travail's BMO survey (Besoins en main-d'œuvre) 2025."""

from __future__ import annotations

import os

import pandas as pd

from .._cache import load_cached
from ..geo import FRANCE, REGION_CODES
from ..schemas import check_codes, require_columns, to_numbers, validate
from ._aggregate import check_level, known_sum

#: France Travail's own family of industrial occupations ("Famille_met"), the headline
#: definition: regional figures then compare with France Travail's BMO publications.
INDUSTRIAL_FAMILY = "I"
#: FAP 2021 domains (first letter of the BMO occupation code) of the industrial
#: occupations. Their technicians, supervisors and engineers, whom France Travail files
#: under other families ("Autres techniciens et employés", "Fonctions d'encadrement"),
#: are flagged ``industry_staff`` and shown apart.
INDUSTRIAL_FAP_DOMAINS: dict[str, str] = {
    "C": "Électricité, électronique",
    "D": "Mécanique, travail des métaux",
    "E": "Industries de process",
    "F": "Matériaux souples, bois, industries graphiques",
    "H": "Personnels de l'industrie : qualité, méthodes, ingénieurs et cadres",
}
#: Obvious typos of the source, corrected for display only (the tables keep the
#: published names); the sources section of a report says so.
TYPO_FIXES: dict[str, str] = {"Ouviers ": "Ouvriers ", "maitrise": "maîtrise"}
_SHEET = "BMO_2025_open_data"
_COLUMNS = {
    "annee": "year",
    "REG": "region",
    "Dept": "departement",
    "BE25": "basin",
    "NOMBE25": "basin_name",
    "Code métier BMO": "occupation",
    "Nom métier BMO": "occupation_name",
    "Famille_met": "family",
    "Lbl_fam_met": "family_name",
}
_MEASURES = {"met": "projects", "xmet": "difficult", "smet": "seasonal"}


def _parse_bmo(path: os.PathLike) -> pd.DataFrame:
    raw = pd.read_excel(path, sheet_name=_SHEET, engine="calamine", dtype=object)
    return tidy_bmo(raw, source=path.name)


def tidy_bmo(raw: pd.DataFrame, *, source: str) -> pd.DataFrame:
    """Check and tidy the BMO sheet as read (one row per basin x occupation)."""
    name = source
    require_columns(raw, [*_COLUMNS, *_MEASURES], source=name)
    raw["REG"] = raw["REG"].astype(str).str.zfill(2)
    check_codes(raw, "REG", REGION_CODES, source=name)
    tidy = raw[list(_COLUMNS)].astype(str).rename(columns=_COLUMNS)
    tidy["year"] = to_numbers(raw, "annee", source=name).astype(int)
    tidy["domain"] = tidy["occupation"].str[0]
    tidy["industrial"] = tidy["family"].eq(INDUSTRIAL_FAMILY)
    tidy["industry_staff"] = ~tidy["industrial"] & tidy["domain"].isin(list(INDUSTRIAL_FAP_DOMAINS))
    for column, measure in _MEASURES.items():
        tidy[measure] = to_numbers(raw, column, source=name, masked=["*"])
    for column, measure in _MEASURES.items():
        tidy[f"{measure}_masked"] = raw[column].astype(str).str.strip().eq("*")
    return validate(tidy, "bmo", source=name)


def read_bmo(*, level: str = "basin", data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Read France Travail's 2025 recruitment projects by area and occupation.

    Source: ``Base_open_data_BMO_2025.xlsx`` (enquête Besoins en main-d'œuvre 2025), by
    bassin d'emploi x occupation (FAP 2021): ``projects`` (recruitment projects),
    ``difficult`` (of which judged difficult) and ``seasonal`` (of which seasonal).

    Traps handled:

    * About 23 % of cells are masked (``*``, small numbers): they stay missing and are
      flagged ``<measure>_masked``. Above the basin level the sums cover the known cells
      only and ``<measure>_masked_cells`` counts those left out: they are lower bounds.
    * The survey is by occupation, not by sector. ``industrial`` marks France Travail's
      family "Ouvriers des secteurs de l'industrie" (:data:`INDUSTRIAL_FAMILY`, maintenance
      workers included), whatever the employer's sector; ``industry_staff`` marks the
      technicians, supervisors and engineers of the industrial FAP domains
      (:data:`INDUSTRIAL_FAP_DOMAINS`), which France Travail files in other families.
    * Names are kept as published, typos included ("Ouviers"); :func:`occupation_label`
      corrects them for display.
    * 2025 only.

    Parameters
    ----------
    level : {"basin", "departement", "region", "france"}, default "basin"
        Geographic level; France is ``region == "FR"``.
    data_dir : str or path-like, optional
        Raw-data folder.

    Returns
    -------
    pandas.DataFrame
        At basin level: ``year``, ``region``, ``departement``, ``basin``, ``basin_name``,
        ``occupation``, ``occupation_name``, ``family``, ``family_name``, ``domain``,
        ``industrial``, ``industry_staff``, ``projects``, ``difficult``, ``seasonal`` and the three
        ``*_masked`` flags. Above it, one row per area and occupation (with
        ``departement`` at that level), the sums and ``*_masked_cells`` counts.

    Examples
    --------
    >>> import analysis as an
    >>> bmo = an.read_bmo()
    >>> bmo.shape
    (50076, 18)
    >>> bmo["basin"].nunique(), bmo["occupation"].nunique(), bmo["year"].unique().tolist()
    (406, 217, [2025])
    >>> round(float(bmo["projects_masked"].mean()) * 100, 1)  # % of cells masked
    22.9

    By region, the sums cover the known cells; the ``*_masked_cells`` columns count
    those left out. Industrial workers in Hauts-de-France:

    >>> regions = an.read_bmo(level="region")
    >>> list(regions.columns)  # doctest: +NORMALIZE_WHITESPACE
    ['year', 'region', 'occupation', 'occupation_name', 'family', 'family_name', 'domain',
     'industrial', 'industry_staff', 'projects', 'projects_masked_cells', 'difficult',
     'difficult_masked_cells', 'seasonal', 'seasonal_masked_cells']
    >>> hdf = regions[(regions["region"] == "32") & regions["industrial"]]
    >>> hdf[["projects", "difficult", "seasonal", "projects_masked_cells"]].sum().tolist()
    [15337.0, 8172.0, 2996.0, 135.0]
    >>> int(regions.loc[regions["region"] == "32", "projects"].sum())
    155530

    The technicians, supervisors and engineers of industry are filed elsewhere:

    >>> int(regions.loc[(regions["region"] == "32") & regions["industry_staff"], "projects"].sum())
    2783
    """
    check_level(level, ("basin", "departement", "region", "france"))
    basins = load_cached("bmo_2025", _parse_bmo, version=2, data_dir=data_dir)
    if level == "basin":
        return basins
    if level == "france":
        basins = basins.assign(region=FRANCE)
    keys = [
        "year",
        "region",
        *(["departement"] if level == "departement" else []),
        "occupation",
        "occupation_name",
        "family",
        "family_name",
        "domain",
        "industrial",
        "industry_staff",
    ]
    parts = [known_sum(basins, keys, m, f"{m}_masked") for m in _MEASURES.values()]
    return pd.concat(parts, axis=1).reset_index()


def occupation_label(name: str) -> str:
    """Return an occupation's published name with the source's obvious typos corrected.

    >>> occupation_label("Ouviers qualifiés des industries agro-alimentaires")
    'Ouvriers qualifiés des industries agro-alimentaires'
    """
    for wrong, right in TYPO_FIXES.items():
        name = name.replace(wrong, right)
    return name
