"""What-if: the OxCGRT indices of a set of package items as if they were in force (read-only).

The formulas live in ``paraat_core.oxcgrt``; this module only turns package items into the
plain per-indicator values the core expects.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from paraat.measures.models import AppliesTo, GeographicScope, Package, PackageItem
from paraat_core.oxcgrt import indices as core
from paraat_core.oxcgrt.indicators import DIFFERENTIATED, INDEX_INDICATORS, INDICATORS

Policy = dict[str, tuple[int, int | None]]


@dataclass(frozen=True)
class WhatIf:
    values: dict[str, float | None]
    policies: dict[str, Policy]
    differentiated: bool

    def get(self, name: str) -> float | None:
        return self.values.get(name)

    @property
    def rows(self) -> list[tuple[str, float | None]]:
        return list(self.values.items())


def _strictest(policy: Policy, code: str, level: int, flag: int | None) -> None:
    """Keep the item that gives the highest sub-index when several code the same indicator."""
    current = policy.get(code)
    if current is None or core.sub_index(code, level, flag) > core.sub_index(
        code, current[0], current[1]
    ):
        policy[code] = (level, flag)


def _fill(policy: Policy, everyone: dict[str, object]) -> dict[str, object] | None:
    """A differentiated population's policies: its own where given, else everyone's."""
    if not policy:
        return None
    return {code: policy.get(code, everyone[code]) for code in DIFFERENTIATED}


def items_what_if(*, items: Iterable[PackageItem], vaccinated_percent: float = 0.0) -> WhatIf:
    policies: dict[str, Policy] = {
        AppliesTo.EVERYONE: {},
        AppliesTo.NON_VACCINATED: {},
        AppliesTo.VACCINATED: {},
    }
    for item in items:
        code = item.measure.oxcgrt_indicator
        spec = INDICATORS.get(code) if code else None
        if spec is None or spec.max_value is None or item.level is None:
            continue
        flag = None
        if spec.has_flag and item.level > 0:
            flag = 1 if item.geographic_scope == GeographicScope.GENERAL else 0
        _strictest(policies[item.applies_to], code, item.level, flag)
    differentiated = bool(policies[AppliesTo.NON_VACCINATED] or policies[AppliesTo.VACCINATED])
    # "As if in force": an indicator without a measure is "no policy" (0), not missing data.
    everyone: dict[str, object] = dict.fromkeys(INDEX_INDICATORS, (0, None))
    everyone.update(policies[AppliesTo.EVERYONE])
    values = core.day_indices(
        everyone,
        non_vaccinated=_fill(policies[AppliesTo.NON_VACCINATED], everyone),
        vaccinated=_fill(policies[AppliesTo.VACCINATED], everyone),
        population_vaccinated=vaccinated_percent,
    )
    return WhatIf(values=dict(values), policies=policies, differentiated=differentiated)


def package_what_if(
    *, package: Package, items: Iterable[PackageItem] | None = None, vaccinated_percent: float = 0.0
) -> WhatIf:
    return items_what_if(
        items=package.items.all() if items is None else items,
        vaccinated_percent=vaccinated_percent,
    )
