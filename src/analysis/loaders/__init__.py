"""Readers of the official files: one ``read_<dataset>()`` per dataset, tidy and validated.

Each reader checks the raw file's sha256 against the catalogue, parses it once, validates
the result with its pandera schema and caches it as parquet keyed on the checksum.
"""

from .apprenticeship import (
    read_apprenticeship,
    read_apprenticeship_departements,
    read_apprenticeship_observations,
)
from .employment import (
    read_a17_labels,
    read_insee_employment,
    read_urssaf_departement_series,
    read_urssaf_employment,
    read_urssaf_region_series,
)
from .recruitment import INDUSTRIAL_FAP_DOMAINS, read_bmo

__all__ = [
    "INDUSTRIAL_FAP_DOMAINS",
    "read_a17_labels",
    "read_apprenticeship",
    "read_apprenticeship_departements",
    "read_apprenticeship_observations",
    "read_bmo",
    "read_insee_employment",
    "read_urssaf_departement_series",
    "read_urssaf_employment",
    "read_urssaf_region_series",
]
