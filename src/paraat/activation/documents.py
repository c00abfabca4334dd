"""The signal to the Secretary-General and the establishment decree as documents: PDF
(WeasyPrint, reading nothing but the vendored fonts) and Word (python-docx), same content.

Texts are plain: paragraphs separated by blank lines, ``- `` bullets, and in a decree a line
``Artikel …`` starts a section. Nothing is interpreted as markup: HTML is escaped in the PDF
and written as literal text in Word.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from paraat.activation.models import ActivationCase, ActivationSignal, EstablishmentDecree
from paraat.web.printing import docx_a4_document, pdf_render_fonts_only

FORMATS: dict[str, str] = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
TEMPLATE = "activation/document/print.html"
LANGUAGE = "nl"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_BULLET = re.compile(r"^\s*[-*•]\s+(?P<text>.*)$")
_ARTICLE = re.compile(r"^(Artikel|Article)\s+\S+", re.IGNORECASE)


def _clean(text: Any) -> str:
    value = "" if text is None else str(text)
    return _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def blocks(text: Any) -> list[dict[str, Any]]:
    """Paragraphs (``p``: lines) and bullet lists (``ul``: items)."""
    result: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None
    for raw in _clean(text).split("\n"):
        line = raw.strip()
        if not line:
            current = None
            continue
        bullet = _BULLET.match(raw)
        kind = "ul" if bullet else "p"
        if current is None or current["kind"] != kind:
            current = {"kind": kind, "lines": [], "items": []}
            result.append(current)
        if bullet:
            current["items"].append(bullet.group("text").strip())
        else:
            current["lines"].append(line)
    return result


def _sections_of_text(text: str) -> list[dict[str, Any]]:
    """A decree's text in sections: a line ``Artikel …`` starts a new one."""
    sections: list[dict[str, Any]] = [{"heading": "", "text": []}]
    for line in _clean(text).split("\n"):
        if _ARTICLE.match(line.strip()):
            sections.append({"heading": line.strip(), "text": []})
        else:
            sections[-1]["text"].append(line)
    return [
        {"heading": s["heading"], "blocks": blocks("\n".join(s["text"]))}
        for s in sections
        if s["heading"] or "".join(s["text"]).strip()
    ]


def _date(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return formats.date_format(value, "j F Y")


def _base(case: ActivationCase) -> dict[str, Any]:
    return {
        "lang": LANGUAGE,
        "body": _("Maatschappelijk Impact Team"),
        "synthetic": bool(case.is_synthetic),
    }


#: The evidence levels a document of a case at a given level may name: never an item more
#: confidential than the case itself (whoever may download the case's documents may see the
#: case, not necessarily a more confidential item; e.g. a committee member and an internal
#: case citing a confidential item).
_LEVELS_UP_TO: dict[str, tuple[str, ...]] = {
    "public": ("public",),
    "internal": ("public", "internal"),
    "confidential": ("public", "internal", "confidential"),
}


def signal_data(*, signal: ActivationSignal) -> dict[str, Any]:
    """The signal: why the CPO proposes to establish the committee, criterion by criterion.
    Evidence items are named only up to the case's own confidentiality (an item more
    confidential than the case is left out)."""
    case = signal.case
    sections = []
    if case.description.strip():
        sections.append({"heading": _("Aanleiding"), "blocks": blocks(case.description)})
    shown = _LEVELS_UP_TO.get(case.confidentiality, ("public",))
    for reason in signal.reasons or []:
        parts = [_("Oordeel: %(j)s.") % {"j": reason.get("judgement_label", "")}]
        text = _clean(reason.get("evidence_text", "")).strip()
        items = [
            f"{e.get('ref', '')} — {e.get('title', '')}"
            for e in reason.get("evidence", [])
            if e.get("confidentiality") in shown
        ]
        section_blocks = blocks("\n".join(parts))
        if text:
            section_blocks += blocks(text)
        if items:
            section_blocks.append(
                {"kind": "p", "lines": [_("Bronnen uit de kennisbibliotheek:")], "items": []}
            )
            section_blocks.append({"kind": "ul", "lines": [], "items": items})
        label = str(reason.get("label", reason.get("criterion", "")))
        sections.append({"heading": label[:1].upper() + label[1:], "blocks": section_blocks})
    met = sum(1 for r in signal.reasons or [] if r.get("judgement") == "met")
    sections.append(
        {
            "heading": _("Verzoek"),
            "blocks": blocks(
                _(
                    "Op grond van deze criteria (%(met)s van %(n)s voldaan) signaleert de "
                    "Chief Preparedness Officer dat het instellen van het Maatschappelijk "
                    "Impact Team moet worden overwogen, en verzoekt de secretaris-generaal "
                    "de minister van SZW hierover te laten besluiten."
                )
                % {"met": met, "n": len(signal.reasons or [])}
            ),
        }
    )
    return {
        **_base(case),
        "kind": _("Signaal aan de secretaris-generaal"),
        "title": _("Signaal: %(title)s") % {"title": _clean(case.title).strip()},
        "keywords": _("activering, signaal"),
        "notice": _("Vertrouwelijkheid: %(level)s.")
        % {"level": case.get_confidentiality_display()},
        "meta": [
            (_("Aan"), signal.recipient),
            (_("Versie"), str(signal.number)),
            (_("Datum"), _date(signal.created_at)),
            (_("Scenarioniveau"), case.get_scenario_level_display() or "–"),
        ],
        "sections": sections,
    }


def decree_data(*, decree: EstablishmentDecree) -> dict[str, Any]:
    case = decree.case
    return {
        **_base(case),
        "kind": _("Instellingsbesluit"),
        "title": _("Instellingsbesluit Maatschappelijk Impact Team"),
        "keywords": _("instellingsbesluit, activering"),
        "notice": _("Ontwerp, versie %(n)s.") % {"n": decree.number}
        if decree.adopted_on is None
        else _("Vastgesteld op %(d)s.") % {"d": _date(decree.adopted_on)},
        "meta": [
            (_("Datum"), _date(decree.decree_date)),
            (_("Looptijd"), decree.term),
            (_("Versie"), str(decree.number)),
        ],
        "sections": _sections_of_text(decree.text),
    }


def _pdf(data: dict[str, Any]) -> bytes:
    return pdf_render_fonts_only(render_to_string(TEMPLATE, {"doc": data}), what="activation PDF")


def _docx(data: dict[str, Any]) -> bytes:
    from docx.shared import RGBColor

    synthetic = _("Synthetisch voorbeeld")
    doc = docx_a4_document(
        lang=data["lang"],
        title=data["title"],
        subject=data["kind"],
        keywords=data["keywords"],
        header=f"{data['body']} · {data['kind']}"
        + (f" · {synthetic}" if data["synthetic"] else ""),
        comments=data.get("notice", ""),
    )
    doc.add_paragraph(f"{data['body']} · {data['kind']}")
    doc.add_heading(data["title"], level=1)
    if data["synthetic"]:
        run = doc.add_paragraph().add_run(
            synthetic + " — " + _("geen echt document; fictieve gegevens en personen.")
        )
        run.bold = True
        run.font.color.rgb = RGBColor(0x8A, 0x5A, 0x00)
    if data.get("notice"):
        doc.add_paragraph().add_run(data["notice"]).bold = True
    meta = doc.add_paragraph()
    for i, (label, value) in enumerate(data["meta"]):
        if i:
            meta.add_run().add_break()
        meta.add_run(f"{label}: ").bold = True
        meta.add_run(str(value))
    for section in data["sections"]:
        if section["heading"]:
            doc.add_heading(section["heading"], level=2)
        for block in section["blocks"]:
            if block["kind"] == "ul":
                for item in block["items"]:
                    doc.add_paragraph(item, style="List Bullet")
            else:
                para = doc.add_paragraph()
                for i, line in enumerate(block["lines"]):
                    if i:
                        para.add_run().add_break()
                    para.add_run(line)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _render(data: dict[str, Any], fmt: str) -> bytes:
    if fmt not in FORMATS:
        raise ValueError(f"unknown document format {fmt!r}; expected one of {list(FORMATS)}")
    return _pdf(data) if fmt == "pdf" else _docx(data)


def signal_document(*, signal: ActivationSignal, fmt: str) -> tuple[str, bytes]:
    """``(file name, content)`` of the signal as ``pdf`` or ``docx``."""
    with translation.override(LANGUAGE):
        content = _render(signal_data(signal=signal), fmt)
    return f"signaal-activering-{signal.case_id}-v{signal.number}.{fmt}", content


def decree_document(*, decree: EstablishmentDecree, fmt: str) -> tuple[str, bytes]:
    """``(file name, content)`` of the decree version as ``pdf`` or ``docx``."""
    with translation.override(LANGUAGE):
        content = _render(decree_data(decree=decree), fmt)
    return f"instellingsbesluit-{decree.case_id}-v{decree.number}.{fmt}", content
