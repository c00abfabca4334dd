"""Load the Dutch measures of 2020–2022 (``demo_data/nl_measures.json``) through services."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.db import transaction

from paraat.accounts.models import Confidentiality
from paraat.measures import services
from paraat.measures.models import Measure, Package
from paraat.taxonomies.selectors import term_exists
from paraat.taxonomies.services import term_upsert

DEMO_FILE = Path(__file__).resolve().parent / "demo_data" / "nl_measures.json"


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


@transaction.atomic
def nl_catalog_load(*, path: Path = DEMO_FILE) -> dict[str, int]:
    """Create or update the taxonomies, measures, packages and events of the NL catalog."""
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    synthetic = bool(data.get("about", {}).get("synthetic", False))
    for kind, section in (("group", "groups"), ("sector", "sectors")):
        for position, term in enumerate(data.get(section, [])):
            if kind == "group" and term_exists(kind=kind, key=term["key"]):
                continue  # the base taxonomy (paraat setup) defines it; keep its edits
            term_upsert(
                kind=kind,
                key=term["key"],
                name_nl=term["name_nl"],
                name_en=term.get("name_en", ""),
                position=position,
            )
    netherlands = services.jurisdiction_get_or_create(
        country_code="NLD", kind="NAT_TOTAL", name="Nederland"
    )
    for m in data["measures"]:
        measure_data = services.MeasureData(
            key=m["key"],
            name_nl=m["name_nl"],
            name_en=m.get("name_en", ""),
            description_nl=m.get("description_nl", ""),
            description_en=m.get("description_en", ""),
            category=m["category"],
            oxcgrt_indicator=m.get("oxcgrt_indicator") or "",
            level=m.get("level"),
            geographic_scope=m.get("geographic_scope") or "",
            legal_basis=m.get("legal_basis", ""),
            coding_note=m.get("coding_note", ""),
            confidentiality=Confidentiality.PUBLIC,
            is_synthetic=synthetic,
            groups=tuple(m.get("groups", [])),
            sectors=tuple(m.get("sectors", [])),
        )
        existing = Measure.objects.filter(key=m["key"]).first()
        if existing:
            services.measure_update(measure=existing, data=measure_data)
        else:
            services.measure_create(data=measure_data)
    for p in data["packages"]:
        package_data = services.PackageData(
            key=p["key"],
            name_nl=p["name_nl"],
            name_en=p.get("name_en", ""),
            description_nl=p.get("description_nl", ""),
            description_en=p.get("description_en", ""),
            jurisdiction=netherlands,
            kind="enacted",
            scope=p.get("scope", "general"),
            vaccination_differentiation=bool(p.get("vaccination_differentiation", False)),
            start_date=_date(p.get("start")),
            end_date=_date(p.get("end")),
            scenario_level=p.get("scenario_level") or "",
            sector_key=p.get("sector") or "",
            source=p.get("source", ""),
            confidentiality=Confidentiality.PUBLIC,
            is_synthetic=synthetic,
            items=tuple(
                services.PackageItemData(
                    measure_key=i["measure"],
                    level=i.get("level"),
                    geographic_scope=i.get("geographic_scope", "general"),
                    applies_to=i.get("applies_to", "everyone"),
                    note=i.get("note", ""),
                )
                for i in p["items"]
            ),
        )
        existing_package = Package.objects.filter(key=p["key"]).first()
        if existing_package:
            services.package_update(package=existing_package, data=package_data)
        else:
            services.package_create(data=package_data)
    if not netherlands.timelineevent_set.exists():
        for e in data.get("events", []):
            services.timeline_event_create(
                jurisdiction=netherlands,
                date=dt.date.fromisoformat(e["date"]),
                title_nl=e["title_nl"],
                title_en=e.get("title_en", ""),
                kind=e.get("kind", "other"),
                source=e.get("source", ""),
                confidentiality=Confidentiality.PUBLIC,
            )
    return {
        "measures": len(data["measures"]),
        "packages": len(data["packages"]),
        "events": len(data.get("events", [])),
    }
