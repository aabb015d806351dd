"""Industrial employment and apprenticeship in the French regions.

Data flow one way: ``fetch`` (verified raw files) -> ``loaders`` (tidy, validated tables)
-> metrics -> plots -> notebooks -> HTML reports -> index.
"""

import importlib

# Light modules (standard library only): imported at once. `fetch` must be bound here,
# after its submodule, so that `analysis.fetch` is the function, as before.
from .config import DataPaths
from .errors import (
    AnalysisError,
    ChecksumError,
    ClusterUnavailableError,
    DataError,
    DataNotFetchedError,
    FetchError,
    OutputError,
    ParameterError,
    ReportExecutionError,
    SchemaValidationError,
    SourceUnavailableError,
)
from .fetch import fetch, file_status
from .sources import CATALOGUE, Source, get_source

__version__ = "0.1.0"

# The other public names and the module each lives in. They are imported on first use (PEP 562), so
# that `import analysis` and the command line start without pandas, matplotlib or
# pandera: the CLI decides what to do before paying for them.
_LAZY = {
    "FRANCE": ".geo",
    "INTERREGIONAL_ZONES": ".geo",
    "METROPOLITAN_REGIONS": ".geo",
    "OVERSEAS_REGIONS": ".geo",
    "REGION_CODES": ".geo",
    "read_areas": ".geo",
    "read_departement_shapes": ".geo",
    "read_departements": ".geo",
    "read_zone_labels": ".geo",
    "get_level": ".levels",
    "LEVELS": ".levels",
    "read_region_shapes": ".geo",
    "read_regions": ".geo",
    "zone_region": ".geo",
    "ZONE_SPLITS": ".interregional",
    "InterregionalFit": ".interregional",
    "interregional_residuals": ".interregional",
    "interregional_shares": ".interregional",
    "read_interregional_fit": ".interregional",
    "INDUSTRIAL_FAP_DOMAINS": ".loaders",
    "read_a17_labels": ".loaders",
    "read_apprenticeship": ".loaders",
    "read_apprenticeship_departements": ".loaders",
    "read_apprenticeship_observations": ".loaders",
    "read_bmo": ".loaders",
    "read_insee_employment": ".loaders",
    "read_urssaf_departement_series": ".loaders",
    "read_urssaf_employment": ".loaders",
    "read_urssaf_region_series": ".loaders",
}


def __getattr__(name: str):
    try:
        module = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'analysis' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "CATALOGUE",
    "FRANCE",
    "INDUSTRIAL_FAP_DOMAINS",
    "INTERREGIONAL_ZONES",
    "LEVELS",
    "METROPOLITAN_REGIONS",
    "OVERSEAS_REGIONS",
    "REGION_CODES",
    "ZONE_SPLITS",
    "AnalysisError",
    "ChecksumError",
    "ClusterUnavailableError",
    "DataError",
    "DataNotFetchedError",
    "DataPaths",
    "FetchError",
    "InterregionalFit",
    "OutputError",
    "ParameterError",
    "ReportExecutionError",
    "SchemaValidationError",
    "Source",
    "SourceUnavailableError",
    "__version__",
    "fetch",
    "file_status",
    "get_level",
    "get_source",
    "interregional_residuals",
    "interregional_shares",
    "read_a17_labels",
    "read_apprenticeship",
    "read_apprenticeship_departements",
    "read_apprenticeship_observations",
    "read_areas",
    "read_bmo",
    "read_departement_shapes",
    "read_departements",
    "read_insee_employment",
    "read_interregional_fit",
    "read_region_shapes",
    "read_regions",
    "read_urssaf_departement_series",
    "read_urssaf_employment",
    "read_urssaf_region_series",
    "read_zone_labels",
    "zone_region",
]
