"""The OxCGRT indicator catalogue, as plain frozen data.

Source: Oxford COVID-19 Government Response Tracker (OxCGRT), Blavatnik School
of Government, University of Oxford — codebook of the final dataset
(``OxCGRT/covid-policy-dataset``, ``documentation_and_codebook.md``, June 2023),
licensed CC BY 4.0.  Level descriptions are short English paraphrases of the
codebook's coding column, meant for display in the user interface.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final, Literal

IndexName = Literal[
    "StringencyIndex",
    "ContainmentHealthIndex",
    "GovernmentResponseIndex",
    "EconomicSupportIndex",
    "StringencyLegacyIndex",
]

STRINGENCY: Final = "StringencyIndex"
CONTAINMENT_HEALTH: Final = "ContainmentHealthIndex"
GOVERNMENT_RESPONSE: Final = "GovernmentResponseIndex"
ECONOMIC_SUPPORT: Final = "EconomicSupportIndex"
STRINGENCY_LEGACY: Final = "StringencyLegacyIndex"

IndicatorKind = Literal["ordinal", "numeric", "binary"]


@dataclass(frozen=True, slots=True)
class Level:
    """One step of an ordinal scale."""

    value: int
    description: str


@dataclass(frozen=True, slots=True)
class Indicator:
    """One OxCGRT indicator.

    ``max_value`` is the top of the ordinal scale (``None`` for the numeric
    US-dollar indicators).  ``has_flag`` says whether a binary flag column
    exists; ``flag_meaning`` explains its 0/1.  ``differentiated`` is true for
    the ten indicators recorded separately for everyone (E), non-vaccinated
    (NV) and vaccinated (V) people.  ``indices`` lists the OxCGRT indices the
    indicator contributes to.  ``csv_label`` is the text after ``<code>_`` in
    OxCGRT CSV headers (for example ``C1E_School closing``).
    """

    code: str
    name: str
    csv_label: str
    kind: IndicatorKind
    max_value: int | None
    has_flag: bool
    flag_meaning: str | None
    differentiated: bool
    indices: frozenset[str]
    levels: tuple[Level, ...] = ()

    @property
    def is_ordinal(self) -> bool:
        return self.kind in ("ordinal", "binary") and self.max_value is not None


_GEO = "0 = targeted (part of the jurisdiction), 1 = general (whole jurisdiction)"

_SI = frozenset({STRINGENCY, CONTAINMENT_HEALTH, GOVERNMENT_RESPONSE})
_SI_LEGACY = _SI | {STRINGENCY_LEGACY}
_CH = frozenset({CONTAINMENT_HEALTH, GOVERNMENT_RESPONSE})
_ES = frozenset({ECONOMIC_SUPPORT, GOVERNMENT_RESPONSE})
_NONE: frozenset[str] = frozenset()


def _levels(*descriptions: str) -> tuple[Level, ...]:
    return tuple(Level(i, d) for i, d in enumerate(descriptions))


_CATALOGUE: tuple[Indicator, ...] = (
    Indicator(
        "C1",
        "School closing",
        "School closing",
        "ordinal",
        3,
        True,
        _GEO,
        True,
        _SI_LEGACY,
        _levels(
            "No measures",
            "Recommend closing, or all schools open with significant operational changes",
            "Require closing of some levels or categories (e.g. only high schools)",
            "Require closing of all levels",
        ),
    ),
    Indicator(
        "C2",
        "Workplace closing",
        "Workplace closing",
        "ordinal",
        3,
        True,
        _GEO,
        True,
        _SI_LEGACY,
        _levels(
            "No measures",
            "Recommend closing or working from home, or significant operational changes",
            "Require closing or working from home for some sectors or categories of workers",
            "Require closing or working from home for all but essential workplaces",
        ),
    ),
    Indicator(
        "C3",
        "Cancel public events",
        "Cancel public events",
        "ordinal",
        2,
        True,
        _GEO,
        True,
        _SI_LEGACY,
        _levels("No measures", "Recommend cancelling", "Require cancelling"),
    ),
    Indicator(
        "C4",
        "Restrictions on gatherings",
        "Restrictions on gatherings",
        "ordinal",
        4,
        True,
        _GEO,
        True,
        _SI_LEGACY,
        _levels(
            "No restrictions",
            "Restrictions on very large gatherings (limit above 1000 people)",
            "Restrictions on gatherings of 101-1000 people",
            "Restrictions on gatherings of 11-100 people",
            "Restrictions on gatherings of 10 people or fewer",
        ),
    ),
    Indicator(
        "C5",
        "Close public transport",
        "Close public transport",
        "ordinal",
        2,
        True,
        _GEO,
        True,
        _SI_LEGACY,
        _levels(
            "No measures",
            "Recommend closing, or significantly reduce volume, routes or means of transport",
            "Require closing, or prohibit most citizens from using it",
        ),
    ),
    Indicator(
        "C6",
        "Stay at home requirements",
        "Stay at home requirements",
        "ordinal",
        3,
        True,
        _GEO,
        True,
        _SI_LEGACY,
        _levels(
            "No measures",
            "Recommend not leaving the house",
            "Require not leaving the house, except for exercise, groceries and essential trips",
            "Require not leaving the house, with minimal exceptions",
        ),
    ),
    Indicator(
        "C7",
        "Restrictions on internal movement",
        "Restrictions on internal movement",
        "ordinal",
        2,
        True,
        _GEO,
        True,
        _SI_LEGACY,
        _levels(
            "No measures",
            "Recommend not to travel between regions or cities",
            "Internal movement restrictions in place",
        ),
    ),
    Indicator(
        "C8",
        "International travel controls",
        "International travel controls",
        "ordinal",
        4,
        False,
        None,
        True,
        _SI_LEGACY,
        _levels(
            "No restrictions",
            "Screening arrivals",
            "Quarantine arrivals from some or all regions",
            "Ban arrivals from some regions",
            "Ban on all regions or total border closure",
        ),
    ),
    Indicator(
        "E1",
        "Income support",
        "Income support",
        "ordinal",
        2,
        True,
        "0 = formal or informal sector workers only, 1 = all workers",
        False,
        _ES,
        _levels(
            "No income support",
            "Government replaces less than 50% of lost salary",
            "Government replaces 50% or more of lost salary",
        ),
    ),
    Indicator(
        "E2",
        "Debt/contract relief for households",
        "Debt/contract relief",
        "ordinal",
        2,
        False,
        None,
        False,
        _ES,
        _levels(
            "No debt or contract relief",
            "Narrow relief, specific to one kind of contract",
            "Broad debt or contract relief",
        ),
    ),
    Indicator(
        "E3", "Fiscal measures", "Fiscal measures", "numeric", None, False, None, False, _NONE
    ),
    Indicator(
        "E4",
        "International support",
        "International support",
        "numeric",
        None,
        False,
        None,
        False,
        _NONE,
    ),
    Indicator(
        "H1",
        "Public information campaigns",
        "Public information campaigns",
        "ordinal",
        2,
        True,
        _GEO,
        False,
        _SI_LEGACY,
        _levels(
            "No COVID-19 public information campaign",
            "Public officials urging caution about COVID-19",
            "Coordinated public information campaign",
        ),
    ),
    Indicator(
        "H2",
        "Testing policy",
        "Testing policy",
        "ordinal",
        3,
        False,
        None,
        False,
        _CH,
        _levels(
            "No testing policy",
            "Testing only for people with symptoms who also meet specific criteria",
            "Testing of anyone showing COVID-19 symptoms",
            "Open public testing, including people without symptoms",
        ),
    ),
    Indicator(
        "H3",
        "Contact tracing",
        "Contact tracing",
        "ordinal",
        2,
        False,
        None,
        False,
        _CH,
        _levels(
            "No contact tracing",
            "Limited contact tracing, not done for all cases",
            "Comprehensive contact tracing, done for all identified cases",
        ),
    ),
    Indicator(
        "H4",
        "Emergency investment in healthcare",
        "Emergency investment in healthcare",
        "numeric",
        None,
        False,
        None,
        False,
        _NONE,
    ),
    Indicator(
        "H5",
        "Investment in vaccines",
        "Investment in vaccines",
        "numeric",
        None,
        False,
        None,
        False,
        _NONE,
    ),
    Indicator(
        "H6",
        "Facial coverings",
        "Facial Coverings",
        "ordinal",
        4,
        True,
        _GEO,
        True,
        _CH,
        _levels(
            "No policy",
            "Recommended",
            "Required in some specified shared or public spaces",
            "Required in all shared or public spaces with other people present",
            "Required outside the home at all times",
        ),
    ),
    Indicator(
        "H7",
        "Vaccination policy",
        "Vaccination policy",
        "ordinal",
        5,
        True,
        "0 = at cost to the individual, 1 = no or minimal cost to the individual",
        False,
        _CH,
        _levels(
            "No availability",
            "Available to one of: key workers, clinically vulnerable, elderly",
            "Available to two of: key workers, clinically vulnerable, elderly",
            "Available to all of: key workers, clinically vulnerable, elderly",
            "Available to those three plus some broad groups or ages",
            "Universal availability",
        ),
    ),
    Indicator(
        "H8",
        "Protection of elderly people",
        "Protection of elderly people",
        "ordinal",
        3,
        True,
        _GEO,
        True,
        _CH,
        _levels(
            "No measures",
            "Recommended isolation, hygiene and visitor restrictions, or elderly stay home",
            "Narrow restrictions on isolation, hygiene and visitors in care homes or at home",
            "Extensive restrictions: non-essential visitors prohibited, elderly must stay home",
        ),
    ),
    Indicator(
        "V1",
        "Vaccine prioritisation (summary)",
        "Vaccine Prioritisation (summary)",
        "ordinal",
        2,
        False,
        None,
        False,
        _NONE,
        _levels("No plan", "A prioritised plan is in place", "Universal or general eligibility"),
    ),
    Indicator(
        "V2",
        "Vaccine eligibility/availability (summary)",
        "Vaccine Availability (summary)",
        "ordinal",
        3,
        False,
        None,
        False,
        _NONE,
        _levels(
            "No categories are receiving vaccines",
            "Vaccines available to some categories",
            "Vaccines available to anyone over 16",
            "Vaccines available to anyone over 16 and to some younger age groups",
        ),
    ),
    Indicator(
        "V3",
        "Vaccine financial support (summary)",
        "Vaccine Financial Support (summary)",
        "ordinal",
        5,
        False,
        None,
        False,
        _NONE,
        _levels(
            "No availability",
            "Full cost to the individual for all categories",
            "Full cost for some categories, some subsidy for others",
            "Partial government funding for all categories",
            "Partial government funding for some categories, full funding for others",
            "All categories fully funded by the government",
        ),
    ),
    Indicator(
        "V4",
        "Mandatory vaccination (summary)",
        "Mandatory Vaccination (summary)",
        "binary",
        1,
        False,
        None,
        False,
        _NONE,
        _levels("No requirement to be vaccinated", "Requirement for one or more groups"),
    ),
)

INDICATORS: Final[Mapping[str, Indicator]] = MappingProxyType({i.code: i for i in _CATALOGUE})
"""All indicators by code, in codebook order."""

#: Index name -> member indicator codes, in the methodology's order.
INDEX_MEMBERS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {
        STRINGENCY: ("C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8", "H1"),
        CONTAINMENT_HEALTH: (
            *("C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8"),
            *("H1", "H2", "H3", "H6", "H7", "H8"),
        ),
        GOVERNMENT_RESPONSE: (
            *("C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8"),
            *("E1", "E2", "H1", "H2", "H3", "H6", "H7", "H8"),
        ),
        ECONOMIC_SUPPORT: ("E1", "E2"),
    }
)

#: Indicators that enter at least one of the four main indices, in codebook order.
INDEX_INDICATORS: Final[tuple[str, ...]] = tuple(
    i.code for i in _CATALOGUE if i.indices - {STRINGENCY_LEGACY}
)

#: The ten indicators recorded separately for everyone / non-vaccinated / vaccinated.
DIFFERENTIATED: Final[tuple[str, ...]] = tuple(i.code for i in _CATALOGUE if i.differentiated)


def indicator(code: str) -> Indicator:
    """Return the catalogue entry for ``code`` (e.g. ``"C1"``); KeyError if unknown."""
    try:
        return INDICATORS[code.upper()]
    except KeyError:
        raise KeyError(f"unknown OxCGRT indicator {code!r}") from None


def level_description(code: str, value: int) -> str:
    """English description of ordinal level ``value`` of indicator ``code``."""
    ind = indicator(code)
    for level in ind.levels:
        if level.value == value:
            return level.description
    raise ValueError(f"{ind.code} has no level {value}")
