"""OxCGRT (Oxford COVID-19 Government Response Tracker) indices, exactly as published.

Source: Oxford COVID-19 Government Response Tracker, Blavatnik School of
Government, University of Oxford (CC BY 4.0).  See
``docs/methodology/oxcgrt-indices.md``.
"""

from .csvio import (
    IndicatorPolicy,
    JurisdictionKey,
    OxcgrtFormatError,
    PolicyRecord,
    PolicyTable,
    Timeseries,
    TimeseriesJurisdiction,
    compute_file,
    format_hundredths,
    iter_policy_records,
    read_policy_table,
    read_timeseries,
)
from .indicators import (
    DIFFERENTIATED,
    INDEX_INDICATORS,
    INDEX_MEMBERS,
    INDICATORS,
    Indicator,
    Level,
    indicator,
    level_description,
)
from .indices import (
    ALL_COLUMNS,
    EXTRA_COLUMNS,
    INDEX_COLUMNS,
    IndexTable,
    IndicatorValueError,
    PolicyColumns,
    compute_indices,
    day_indices,
    legacy_sub_index,
    sub_index,
)

__all__ = [
    "ALL_COLUMNS",
    "DIFFERENTIATED",
    "EXTRA_COLUMNS",
    "INDEX_COLUMNS",
    "INDEX_INDICATORS",
    "INDEX_MEMBERS",
    "INDICATORS",
    "IndexTable",
    "Indicator",
    "IndicatorPolicy",
    "IndicatorValueError",
    "JurisdictionKey",
    "Level",
    "OxcgrtFormatError",
    "PolicyColumns",
    "PolicyRecord",
    "PolicyTable",
    "Timeseries",
    "TimeseriesJurisdiction",
    "compute_file",
    "compute_indices",
    "day_indices",
    "format_hundredths",
    "indicator",
    "iter_policy_records",
    "legacy_sub_index",
    "level_description",
    "read_policy_table",
    "read_timeseries",
    "sub_index",
]
