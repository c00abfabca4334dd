"""Export of evidence items as CSV, RIS and CSL-JSON (what reference managers read)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from paraat.evidence import formats
from paraat.evidence.models import EvidenceItem


@dataclass(frozen=True)
class ExportFormat:
    content_type: str
    extension: str
    write: Callable[[Iterable[formats.ParsedReference]], str]


EXPORT_FORMATS: dict[str, ExportFormat] = {
    "csv": ExportFormat("text/csv; charset=utf-8", "csv", formats.write_csv),
    "ris": ExportFormat(
        "application/x-research-info-systems; charset=utf-8", "ris", formats.write_ris
    ),
    "csljson": ExportFormat(
        "application/vnd.citationstyles.csl+json; charset=utf-8", "json", formats.write_csljson
    ),
}


def item_reference(item: EvidenceItem) -> formats.ParsedReference:
    return formats.ParsedReference(
        line=0,
        ref_key=item.ref,
        item_type=item.item_type,
        title=item.title,
        authors=list(item.authors),
        organisation=item.organisation,
        published_on=item.published_on,
        date_precision=item.date_precision,
        doi=item.doi,
        url=item.url,
        language=item.language,
        container_title=item.container_title,
        publisher=item.publisher,
        keywords=list(item.keywords),
        summary=item.summary,
        licence=item.licence,
        knowledge_class=item.knowledge_class,
        certainty=item.certainty,
        on_behalf_of=item.on_behalf_of,
        declared_interests=item.declared_interests,
    )


def export_items(items: Iterable[EvidenceItem], file_format: str) -> str:
    """The items in ``file_format`` (csv, ris or csljson); the caller filtered for visibility."""
    return EXPORT_FORMATS[file_format].write(item_reference(item) for item in items)
