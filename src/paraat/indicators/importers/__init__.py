"""Importers of indicator observations besides StatLine export folders.

* :func:`~paraat.indicators.importers.csvmap.csv_import` — any CSV with a column mapping;
* :func:`~paraat.indicators.importers.coronadashboard.coronadashboard_import` — the national
  coronadashboard's CSV and JSON layouts (NICE admissions, sewage);
* :func:`~paraat.indicators.importers.sdmx.sdmx_import` — SDMX-ML and SDMX-JSON data messages;
* :func:`~paraat.indicators.importers.cbs_live.cbs_live_refresh` — a StatLine table fetched live
  with ``cbsodata`` and imported through :func:`paraat.indicators.services.cbs_table_import`.

Each reads its whole input before writing, stores through
:func:`paraat.indicators.services.observations_store` in one transaction (revised figures are
appended), and returns an :class:`~paraat.indicators.services.ImportReport`. A file that does not
read raises the module's error naming file, row and field; nothing is stored then.
"""

from paraat.indicators.errors import ImportFormatError
from paraat.indicators.importers.cbs_live import CbsLiveError, cbs_live_refresh
from paraat.indicators.importers.coronadashboard import (
    CoronadashboardError,
    coronadashboard_import,
)
from paraat.indicators.importers.csvmap import CsvImportError, CsvMapping, csv_import
from paraat.indicators.importers.sdmx import SdmxImportError, sdmx_import

__all__ = [
    "CbsLiveError",
    "CoronadashboardError",
    "CsvImportError",
    "CsvMapping",
    "ImportFormatError",
    "SdmxImportError",
    "cbs_live_refresh",
    "coronadashboard_import",
    "csv_import",
    "sdmx_import",
]
