"""Industrial employment and apprenticeship in the French regions.

Data flow one way: ``fetch`` (verified raw files) -> ``loaders`` (tidy, validated tables)
-> metrics -> plots -> notebooks -> HTML reports -> index.
"""

from .config import DataPaths
from .errors import (
    AnalysisError,
    ChecksumError,
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
from .geo import (
    FRANCE,
    INTERREGIONAL_ZONES,
    METROPOLITAN_REGIONS,
    OVERSEAS_REGIONS,
    REGION_CODES,
    read_departements,
    read_region_shapes,
    read_regions,
    zone_region,
)
from .interregional import (
    ZONE_SPLITS,
    InterregionalFit,
    interregional_residuals,
    interregional_shares,
    read_interregional_fit,
)
from .loaders import (
    INDUSTRIAL_FAP_DOMAINS,
    read_a17_labels,
    read_apprenticeship,
    read_apprenticeship_observations,
    read_bmo,
    read_insee_employment,
    read_urssaf_employment,
    read_urssaf_region_series,
)
from .sources import CATALOGUE, Source, get_source

__version__ = "0.1.0"

__all__ = [
    "CATALOGUE",
    "FRANCE",
    "INDUSTRIAL_FAP_DOMAINS",
    "INTERREGIONAL_ZONES",
    "METROPOLITAN_REGIONS",
    "OVERSEAS_REGIONS",
    "REGION_CODES",
    "ZONE_SPLITS",
    "AnalysisError",
    "ChecksumError",
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
    "get_source",
    "interregional_residuals",
    "interregional_shares",
    "read_a17_labels",
    "read_apprenticeship",
    "read_apprenticeship_observations",
    "read_bmo",
    "read_departements",
    "read_insee_employment",
    "read_interregional_fit",
    "read_region_shapes",
    "read_regions",
    "read_urssaf_employment",
    "read_urssaf_region_series",
    "zone_region",
]
