"""Demo content of the knowledge library: real references from the seed documents, synthetic
items (marked), fiches for catalog measures and knowledge dossiers (``demo_data/knowledge.json``).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.db import transaction

from paraat.accounts.models import User
from paraat.evidence import services
from paraat.evidence.models import EvidenceItem, Fiche, KnowledgeDossier
from paraat.measures.models import Measure, Package
from paraat.taxonomies.models import Domain, PopulationGroup

DEMO_FILE = Path(__file__).parent / "demo_data" / "knowledge.json"


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _content(data: dict[str, Any], items: dict[str, EvidenceItem]) -> services.FicheContent:
    domains = {d.key: d for d in Domain.objects.all()}
    groups = {g.key: g for g in PopulationGroup.objects.all()}
    return services.FicheContent(
        summary=data.get("summary", ""),
        mitigations=data.get("mitigations", ""),
        knowledge_gaps=data.get("knowledge_gaps", ""),
        key_evidence=tuple(items[ref] for ref in data.get("key_evidence", [])),
        cells=tuple(
            services.CellData(
                domain=domains[cell["domain"]],
                group=groups[cell["group"]] if cell.get("group") else None,
                direction=cell["direction"],
                size=cell.get("size", ""),
                certainty=cell.get("certainty", ""),
                horizon=cell.get("horizon", ""),
                note=cell.get("note", ""),
                evidence=tuple(items[ref] for ref in cell.get("evidence", [])),
                confidentiality=cell.get("confidentiality", "public"),
            )
            for cell in data.get("cells", [])
        ),
    )


@transaction.atomic
def knowledge_load(*, path: Path = DEMO_FILE) -> dict[str, int]:
    """Load the demo knowledge library once (items already present are left alone)."""
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    users = {u.username: u for u in User.objects.all()}
    measures = {m.key: m for m in Measure.objects.all()}
    packages = {p.key: p for p in Package.objects.all()}
    domains = {d.key: d for d in Domain.objects.all()}
    groups = {g.key: g for g in PopulationGroup.objects.all()}
    items: dict[str, EvidenceItem] = {i.ref: i for i in EvidenceItem.objects.all()}
    created = {"items": 0, "links": 0, "fiches": 0, "dossiers": 0}
    for raw in data["items"]:
        if raw["ref"] in items:
            continue
        item = services.evidence_create(
            data=services.EvidenceData(
                item_type=raw["item_type"],
                title=raw["title"],
                knowledge_class=raw["knowledge_class"],
                authors=tuple(raw.get("authors", [])),
                organisation=raw.get("organisation", ""),
                published_on=_date(raw.get("published_on")),
                date_precision=raw.get("date_precision", "day"),
                doi=raw.get("doi", ""),
                url=raw.get("url", ""),
                language=raw.get("language", "nl"),
                container_title=raw.get("container_title", ""),
                publisher=raw.get("publisher", ""),
                keywords=tuple(raw.get("keywords", [])),
                summary=raw.get("summary", ""),
                licence=raw.get("licence", ""),
                certainty=raw.get("certainty", ""),
                certainty_downgrades=tuple(raw.get("certainty_downgrades", [])),
                certainty_upgrades=tuple(raw.get("certainty_upgrades", [])),
                certainty_note=raw.get("certainty_note", ""),
                on_behalf_of=raw.get("on_behalf_of", ""),
                interests_status=raw.get("interests_status", "unknown"),
                declared_interests=raw.get("declared_interests", ""),
                confidentiality=raw.get("confidentiality", "public"),
                is_synthetic=bool(raw.get("is_synthetic", True)),
            ),
            submitted_by=users.get(raw.get("submitted_by", "")),
            submitted_by_name=raw.get("submitted_by_name", ""),
            ref=raw["ref"],
        )
        items[item.ref] = item
        created["items"] += 1
        for link in raw.get("links", []):
            services.evidence_link_create(
                item=item,
                data=services.LinkData(
                    measure=measures.get(link.get("measure", "")),
                    package=packages.get(link.get("package", "")),
                    domain=domains.get(link.get("domain", "")),
                    group=groups.get(link.get("group", "")),
                    direction=link.get("direction", "unknown"),
                    size=link.get("size", ""),
                    horizon=link.get("horizon", ""),
                    note=link.get("note", ""),
                ),
                user=None,
            )
            created["links"] += 1
    for raw in data.get("fiches", []):
        measure = measures[raw["measure"]]
        if Fiche.objects.filter(measure=measure).exists():
            continue
        reviewer = users.get(raw.get("reviewer", ""))
        author = users.get("cpo")
        previous = raw.get("previous_version")
        fiche = services.fiche_create(
            measure=measure,
            reviewer=reviewer,
            user=author,
            confidentiality=raw.get("confidentiality", "public"),
            is_synthetic=bool(raw.get("is_synthetic", True)),
            content=_content(previous or raw, items),
            change_note=(previous or {}).get("change_note", "") or "Eerste versie (demo).",
        )
        if previous:
            services.fiche_version_create(
                fiche=fiche,
                content=_content(raw, items),
                user=author,
                change_note=raw.get("change_note", "Bijgewerkt na review (demo)."),
                reviewed_on=_date(raw.get("reviewed_on")),
            )
        elif raw.get("reviewed_on"):
            services.fiche_mark_reviewed(
                fiche=fiche, user=reviewer or author, note="Gereviewd (demo)."
            )
        created["fiches"] += 1
    for raw in data.get("dossiers", []):
        if KnowledgeDossier.objects.filter(key=raw["key"]).exists():
            continue
        services.dossier_save(
            dossier=None,
            key=raw["key"],
            title_nl=raw["title_nl"],
            title_en=raw.get("title_en", ""),
            measures=[measures[k] for k in raw.get("measures", [])],
            reviewer=users.get(raw.get("reviewer", "")),
            confidentiality=raw.get("confidentiality", "public"),
            synthesis=raw["synthesis"],
            open_questions=raw.get("open_questions", ""),
            items=[items[ref] for ref in raw.get("items", [])],
            change_note="Eerste versie (demo).",
            user=users.get("cpo"),
            is_synthetic=bool(raw.get("is_synthetic", True)),
        )
        created["dossiers"] += 1
    return created
