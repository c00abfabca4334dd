"""The advice as a document: PDF (WeasyPrint) and Word (python-docx), with the same content.

:func:`revision_document` renders one version of the advice text of a request: a title block
(Maatschappelijk Impact Team, title, request key, version, date, the synthetic label, the
status or embargo), each non-empty section under its heading, and, when the committee decided
on this version, the outcome with the tally and the minority position.

The section texts are plain text with a few Markdown-like lines: paragraphs separated by blank
lines, ``- `` (or ``*``, ``•``) bullets, indented bullets one level deeper, and numbered lines
(``1.`` or ``1)``), which keep the author's number. Nothing in the text is interpreted as
markup: HTML is escaped in the PDF and written as literal text in Word; citations such as
``[@ref]`` stay as they are. The PDF reads nothing but the vendored fonts (``web.printing``).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from paraat.advice import selectors, workflow
from paraat.advice.models import (
    AdviceRequest,
    AdviceRevision,
    AdviceStatus,
    Decision,
    DecisionOutcome,
    Section,
)
from paraat.web.printing import docx_a4_document, pdf_render_fonts_only

__all__ = ["FORMATS", "TEMPLATE", "document_data", "parse_blocks", "revision_document"]

#: Formats of the advice document and their content types.
FORMATS: dict[str, str] = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
TEMPLATE = "advice/document/advice_print.html"
LANGUAGE = "nl"

# Characters XML (and so Word) cannot hold, and that have no place in a printed text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_BULLET = re.compile(r"^(?P<indent>[ \t]*)[-*•]\s+(?P<text>.*)$")
_NUMBERED = re.compile(r"^(?P<indent>[ \t]*)(?P<number>\d{1,4})[.)]\s+(?P<text>.*)$")


# --- parsing the text -----------------------------------------------------------------------------


@dataclass
class Block:
    """A paragraph (``p``: ``lines``), a bullet list (``ul``) or a numbered list (``ol``:
    ``items`` of ``{"text", "level", "number"}``)."""

    kind: str
    lines: list[str] = field(default_factory=list)
    items: list[dict[str, Any]] = field(default_factory=list)


def _clean(text: Any) -> str:
    value = "" if text is None else str(text)
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", value)


def _level(indent: str) -> int:
    width = len(indent.replace("\t", "    "))
    return 2 if width >= 2 else 1


def parse_blocks(text: Any) -> list[Block]:
    """The text as blocks. Consecutive plain lines form one paragraph (line breaks kept)."""
    blocks: list[Block] = []
    current: Block | None = None
    for raw in _clean(text).split("\n"):
        line = raw.rstrip()
        if not line.strip():
            current = None
            continue
        numbered = _NUMBERED.match(line)
        bullet = None if numbered else _BULLET.match(line)
        if numbered or bullet:
            match = numbered or bullet
            assert match is not None
            kind = "ol" if numbered else "ul"
            item = {
                "text": match.group("text").strip(),
                "level": _level(match.group("indent")),
                "number": numbered.group("number") if numbered else "",
            }
            if current is None or current.kind != kind:
                current = Block(kind=kind)
                blocks.append(current)
            current.items.append(item)
            continue
        if current is None or current.kind != "p":
            current = Block(kind="p")
            blocks.append(current)
        current.lines.append(line.strip())
    return blocks


# --- the document's data --------------------------------------------------------------------------


def _date(value: dt.date | dt.datetime | None, *, with_time: bool = False) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        if with_time:
            return formats.date_format(local, "j F Y, H:i")
        value = local.date()
    return formats.date_format(value, "j F Y")


def _tally_line(tally: dict[str, Any]) -> str:
    return _(
        "eens %(agree)s, eens met voorbehoud %(res)s, oneens %(dis)s, onthouding %(abs)s "
        "(%(cast)s van %(eligible)s stemgerechtigden gestemd; nodig voor het quorum: %(needed)s)"
    ) % {
        "agree": tally.get("agree", 0),
        "res": tally.get("agree_with_reservations", 0),
        "dis": tally.get("disagree", 0),
        "abs": tally.get("abstain", 0),
        "cast": tally.get("cast", 0),
        "eligible": tally.get("eligible", 0),
        "needed": tally.get("needed", 0),
    }


def _tally_lines(decision: Decision) -> list[str]:
    tally = decision.tally or {}
    if "statements" not in tally:
        return [_tally_line(tally)]
    statements = {str(s.order): s.text for s in selectors.round_statements(round_=decision.round)}
    lines = []
    for order, entry in sorted(tally["statements"].items(), key=lambda kv: int(kv[0])):
        text = _clean(statements.get(order, ""))
        lines.append(
            _("Oordeel %(n)s (%(text)s): %(tally)s")
            % {"n": order, "text": text[:200], "tally": _tally_line(entry)}
        )
    return lines


def _status_note(
    request: AdviceRequest, *, embargo_until: dt.datetime | None, embargo_note: str
) -> str:
    """What the reader must know about the status: embargo, public, or a draft."""
    if embargo_until is not None or embargo_note.strip():
        parts = [_("Onder embargo")]
        if embargo_until is not None:
            parts.append(_("tot %(when)s") % {"when": _date(embargo_until, with_time=True)})
        text = " ".join(parts)
        if embargo_note.strip():
            text += ": " + _clean(embargo_note).strip()
        return text + ". " + _("Niet openbaar maken vóór het embargo is opgeheven.")
    status = workflow.status_of(request)
    if status in workflow.PUBLIC:
        return _("Openbaar advies.")
    if status in (AdviceStatus.SENT, AdviceStatus.EMBARGO):
        dispatch = selectors.dispatch_of(request=request)
        if dispatch is not None:
            return _status_note(
                request, embargo_until=dispatch.embargo_until, embargo_note=dispatch.embargo_note
            )
        return _("Onder embargo.") + " " + _("Niet openbaar maken vóór het embargo is opgeheven.")
    return (
        _("Status: %(s)s.") % {"s": AdviceStatus(status).label} + " " + _("Concept, niet openbaar.")
    )


def document_data(
    *,
    request: AdviceRequest,
    revision: AdviceRevision,
    embargo_until: dt.datetime | None = None,
    embargo_note: str = "",
    when: dt.date | None = None,
) -> dict[str, Any]:
    """Plain data for both renderers (all strings display-ready, not yet escaped)."""
    sections = []
    texts = revision.sections or {}
    for key, label in Section.choices:
        text = _clean(texts.get(key, ""))
        if text.strip():
            sections.append({"key": key, "label": str(label), "blocks": parse_blocks(text)})
    sign_off = selectors.sign_off_for_revision(request=request, revision=revision)
    signed = ""
    if sign_off is not None:
        chair = sign_off.chair
        signed = _("Ondertekend door de voorzitter, %(name)s, op %(date)s.") % {
            "name": chair.get_full_name() or chair.get_username(),
            "date": _date(sign_off.at),
        }
    decision = selectors.decision_for_revision(revision=revision)
    decision_data = None
    if decision is not None:
        decision_data = {
            "outcome": str(DecisionOutcome(decision.outcome).label)
            if decision.outcome in DecisionOutcome.values
            else decision.outcome,
            "closed_at": _date(decision.closed_at),
            "tally": _tally_lines(decision),
            "minority": parse_blocks(decision.minority_position),
        }
    title = _clean(request.title).strip()
    return {
        "lang": LANGUAGE,
        "body": _("Maatschappelijk Impact Team"),
        "kind": _("Advies"),
        "title": title,
        "doc_title": _("Advies: %(title)s") % {"title": title},
        "question": _clean(request.question).strip(),
        "key": request.key,
        "version": revision.number,
        "date": _date(when or timezone.localdate()),
        "synthetic": bool(request.is_synthetic),
        "status_note": _status_note(
            request, embargo_until=embargo_until, embargo_note=embargo_note
        ),
        "signed": signed,
        "sections": sections,
        "decision": decision_data,
    }


# --- rendering ------------------------------------------------------------------------------------


def document_html(data: dict[str, Any]) -> str:
    """The print HTML of the document (styles inline; WeasyPrint reads only the fonts)."""
    return render_to_string(TEMPLATE, {"doc": data})


def _pdf(data: dict[str, Any]) -> bytes:
    return pdf_render_fonts_only(document_html(data), what="advice PDF")


def _docx_blocks(doc: Any, blocks: list[Block]) -> None:
    from docx.shared import Mm

    for block in blocks:
        if block.kind == "p":
            para = doc.add_paragraph()
            for i, line in enumerate(block.lines):
                if i:
                    para.add_run().add_break()
                para.add_run(line)
            continue
        for item in block.items:
            if block.kind == "ul":
                style = "List Bullet 2" if item["level"] > 1 else "List Bullet"
                doc.add_paragraph(item["text"], style=style)
            else:  # numbered: the author's number as text, so the numbers stay as written
                para = doc.add_paragraph()
                para.paragraph_format.left_indent = Mm(6 * item["level"])
                para.paragraph_format.first_line_indent = Mm(-6)
                para.add_run(f"{item['number']}.\t{item['text']}")


def _docx(data: dict[str, Any]) -> bytes:
    from docx.shared import RGBColor

    synthetic = _("Synthetisch voorbeeld")
    doc = docx_a4_document(
        lang=data["lang"],
        title=data["doc_title"],
        subject=data["question"][:250],
        keywords=f"advies, {data['key']}",
        header=f"{data['body']} · {data['title']}"
        + (f" · {synthetic}" if data["synthetic"] else ""),
        comments=data["status_note"],
    )
    doc.add_paragraph(f"{data['body']} · {data['kind']}")
    doc.add_heading(data["title"], level=1)
    if data["synthetic"]:
        run = doc.add_paragraph().add_run(
            synthetic + " — " + _("geen echt advies; fictieve gegevens en personen.")
        )
        run.bold = True
        run.font.color.rgb = RGBColor(0x8A, 0x5A, 0x00)
    run = doc.add_paragraph().add_run(data["status_note"])
    run.bold = True
    meta = doc.add_paragraph()
    for i, (label, value) in enumerate(
        (
            (_("Kenmerk"), data["key"]),
            (_("Versie"), str(data["version"])),
            (_("Datum"), data["date"]),
        )
    ):
        if i:
            meta.add_run().add_break()
        meta.add_run(label + ": ").bold = True
        meta.add_run(value)
    if data["question"]:
        para = doc.add_paragraph()
        para.add_run(_("Adviesvraag") + ": ").bold = True
        para.add_run(data["question"])
    if data["signed"]:
        doc.add_paragraph(data["signed"])
    for section in data["sections"]:
        doc.add_heading(section["label"][:1].upper() + section["label"][1:], level=2)
        _docx_blocks(doc, section["blocks"])
    decision = data["decision"]
    if decision:
        doc.add_heading(_("Besluitvorming"), level=2)
        para = doc.add_paragraph()
        para.add_run(_("Uitkomst") + ": ").bold = True
        para.add_run(decision["outcome"])
        if decision["closed_at"]:
            para.add_run(" (" + decision["closed_at"] + ")")
        for line in decision["tally"]:
            doc.add_paragraph(line)
        if decision["minority"]:
            doc.add_heading(_("Minderheidsstandpunt"), level=3)
            _docx_blocks(doc, decision["minority"])
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def document_filename(*, request: AdviceRequest, revision: AdviceRevision, fmt: str) -> str:
    """``advies-<key>-v<n>.<fmt>`` (the key is a slug, so the name is safe)."""
    return f"advies-{request.key}-v{revision.number}.{fmt}"


def revision_document(
    *,
    request: AdviceRequest,
    revision: AdviceRevision,
    fmt: str,
    embargo_until: dt.datetime | None = None,
    embargo_note: str = "",
) -> tuple[str, bytes]:
    """``(file name, content)`` of ``revision`` of ``request`` as ``pdf`` or ``docx``.

    ``embargo_until`` / ``embargo_note`` put the embargo on the title page (the dispatch passes
    them before the dispatch exists); without them the request's status decides the note."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown advice document format {fmt!r}; expected one of {list(FORMATS)}")
    if revision.request_id != request.pk:
        raise ValueError("the revision belongs to another request")
    with translation.override(LANGUAGE):
        data = document_data(
            request=request,
            revision=revision,
            embargo_until=embargo_until,
            embargo_note=embargo_note,
        )
        content = _pdf(data) if fmt == "pdf" else _docx(data)
    return document_filename(request=request, revision=revision, fmt=fmt), content
