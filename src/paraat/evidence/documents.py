"""A measure's fiche as a document: print HTML, PDF (WeasyPrint), DOCX (python-docx), and a
readable diff between two fiche versions.

Everything here works on PLAIN DATA: a ``fiche`` dict produced by a selector elsewhere, already
filtered for the reader's permissions and with every string translated and display-ready. This
module imports no models and touches no database; it renders exactly what it is given and adds
nothing: key evidence and cell references that point at a number missing from
``fiche["evidence"]`` are dropped rather than shown as bare numbers, so a filtered-out source
does not even leave a trace.

The fiche dict (all keys optional except where the result would be meaningless)::

    {
      "measure": {"key", "name", "description", "oxcgrt", "legal_basis"},
      "version": {"number", "created_at", "created_by", "change_note", "reviewed_on",
                  "reviewer"},
      "needs_review": bool, "is_synthetic": bool, "audience": "public" | "internal",
      "summary": str,                       # paragraphs separated by blank lines
      "domains": [{"key", "name"}],         # matrix rows, in order
      "groups": [{"key", "name"}],          # matrix columns, in order ("" = whole population)
      "cells": [{"domain", "group", "direction", "direction_label", "size", "size_label",
                 "certainty", "certainty_label", "horizon_label", "note",
                 "evidence": [numbers]}],
      "evidence": [{"number", "ref", "citation", "type_label", "knowledge_class",
                    "knowledge_class_label", "certainty_label", "provenance", "interests",
                    "is_synthetic", "url"}],
      "key_evidence": [numbers],
      "mitigations": str,                   # one option per line
      "knowledge_gaps": str,                # one gap per line
      "dossiers": [{"title", "url"}],
      "generated_at": str, "site_name": str, "lang": "nl",
    }

Public API: :func:`fiche_html`, :func:`fiche_pdf`, :func:`fiche_docx`, :func:`fiche_diff`.
"""

from __future__ import annotations

import difflib
import io
import re
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

__all__ = ["fiche_diff", "fiche_docx", "fiche_html", "fiche_pdf"]

from paraat.web.printing import (
    FONT_DIR,
    docx_field,
    docx_language,
    docx_repeat_header,
    local_url_fetcher,
    pdf_render,
)

TEMPLATE = "evidence/fiche_print.html"
STYLESHEET = Path(__file__).resolve().parent / "static" / "evidence" / "fiche-print.css"
#: A matrix with more group columns than this gets a landscape page of its own in the PDF.
WIDE_MATRIX_COLUMNS = 5

# Direction symbols: the direction is always spelled out as well; colour is only a redundant cue.
SYMBOLS = {
    "negative": "▼",
    "positive": "▲",
    "mixed": "◆",
    "none": "○",
    "unknown": "?",
}
OTHER_SYMBOL = "•"
NOT_JUDGED_SYMBOL = "–"
SCIENTIFIC_CLASSES = ("scientific", "administrative")
PRACTICE_CLASSES = ("practice", "experiential")


# --------------------------------------------------------------------------------------------
# Preparing the data (shared by the HTML/PDF and the DOCX renderers)
# --------------------------------------------------------------------------------------------


def _s(value: Any) -> str:
    """A display string: None becomes "", everything else str() and stripped."""
    return "" if value is None else str(value).strip()


def _lines(text: Any) -> list[str]:
    """Text split into lines, line endings normalised to ``\\n``; empty text has no lines."""
    text = "" if text is None else str(text)
    if not text:
        return []
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _paragraphs(text: Any) -> list[str]:
    """Paragraphs separated by blank lines (single line breaks stay inside a paragraph)."""
    text = "\n".join(_lines(text))
    return [p.strip() for p in re.split(r"\n[ \t]*\n", text) if p.strip()]


_BULLET = re.compile(r"^\s*(?:[-*•·–]\s+)")


def _items(text: Any) -> list[str]:
    """One item per non-empty line, without a leading bullet character."""
    return [_BULLET.sub("", line).strip() for line in _lines(text) if line.strip()]


def _link(url: Any, base_url: str | None) -> str:
    """A safe http(s)/mailto link for ``url`` or "" (relative URLs are joined to base_url)."""
    url = _s(url)
    if not url:
        return ""
    if base_url and not urlsplit(url).scheme:
        url = urljoin(base_url, url)
    scheme = urlsplit(url).scheme.lower()
    return url if scheme in ("http", "https", "mailto") else ""


def _direction_text(cell: dict[str, Any]) -> str:
    direction = _s(cell.get("direction"))
    label = _s(cell.get("direction_label")) or direction
    symbol = SYMBOLS.get(direction, OTHER_SYMBOL)
    text = f"{symbol} {label}"
    size = _s(cell.get("size_label"))
    if size and direction not in ("none", "unknown"):
        text += f", {size}"
    return text


def _evidence_view(item: dict[str, Any], base_url: str | None) -> dict[str, Any]:
    return {
        "number": item.get("number"),
        "anchor": f"bron-{item.get('number')}",
        "ref": _s(item.get("ref")),
        "citation": _s(item.get("citation")) or _s(item.get("ref")),
        "type_label": _s(item.get("type_label")),
        "knowledge_class": _s(item.get("knowledge_class")),
        "knowledge_class_label": _s(item.get("knowledge_class_label")),
        "certainty_label": _s(item.get("certainty_label")) or _("niet gegradeerd"),
        "is_graded": bool(_s(item.get("certainty_label"))),
        "provenance": _s(item.get("provenance")),
        "interests": _s(item.get("interests")) or _("niet opgegeven"),
        "is_synthetic": bool(item.get("is_synthetic")),
        "url": _s(item.get("url")),
        "href": _link(item.get("url"), base_url),
    }


def _prepare(fiche: dict[str, Any], base_url: str | None = None) -> dict[str, Any]:
    """The view model both renderers use: labels resolved, matrix laid out, sources grouped."""
    measure = fiche.get("measure") or {}
    version = fiche.get("version") or {}
    name = _s(measure.get("name")) or _s(measure.get("key"))
    evidence = [_evidence_view(e, base_url) for e in (fiche.get("evidence") or []) if e is not None]
    by_number = {e["number"]: e for e in evidence}

    def refs(numbers: Any) -> list[dict[str, Any]]:
        seen: list[dict[str, Any]] = []
        for n in numbers or []:
            if n in by_number and by_number[n] not in seen:
                seen.append(by_number[n])
        return seen

    domains = [d for d in (fiche.get("domains") or []) if d is not None]
    groups = [g for g in (fiche.get("groups") or []) if g is not None]
    cells = {(_s(c.get("domain")), _s(c.get("group"))): c for c in (fiche.get("cells") or []) if c}
    notes: list[dict[str, Any]] = []
    rows = []
    for domain in domains:
        row_cells = []
        for group in groups:
            cell = cells.get((_s(domain.get("key")), _s(group.get("key"))))
            if cell is None or not _s(cell.get("direction")):
                row_cells.append(
                    {
                        "judged": False,
                        "direction": "",
                        "text": f"{NOT_JUDGED_SYMBOL} {_('niet beoordeeld')}",
                        "certainty": "",
                        "horizon": "",
                        "evidence": [],
                        "note_number": None,
                    }
                )
                continue
            note_number = None
            if _s(cell.get("note")):
                note_number = len(notes) + 1
                notes.append(
                    {
                        "number": note_number,
                        "where": f"{_s(domain.get('name'))} × {_s(group.get('name'))}",
                        "text": _s(cell.get("note")),
                    }
                )
            direction = _s(cell.get("direction"))
            row_cells.append(
                {
                    "judged": True,
                    "direction": direction if direction in SYMBOLS else "other",
                    "text": _direction_text(cell),
                    "certainty": _s(cell.get("certainty_label")),
                    "horizon": _s(cell.get("horizon_label")),
                    "evidence": refs(cell.get("evidence")),
                    "note_number": note_number,
                }
            )
        rows.append({"domain": domain, "cells": row_cells})

    scientific = [e for e in evidence if e["knowledge_class"] in SCIENTIFIC_CLASSES]
    practice = [e for e in evidence if e["knowledge_class"] in PRACTICE_CLASSES]
    other = [e for e in evidence if e not in scientific and e not in practice]
    evidence_sections = [
        {"key": "scientific", "title": _("Wetenschappelijke kennis en data"), "items": scientific},
        {"key": "practice", "title": _("Praktijk- en ervaringskennis"), "items": practice},
    ]
    if other:  # never silently drop a source with an unexpected knowledge class
        evidence_sections.append({"key": "other", "title": _("Overige bronnen"), "items": other})

    audience = _s(fiche.get("audience")) or "public"
    lang = _s(fiche.get("lang")) or translation.get_language() or "nl"
    number = version.get("number")
    version_bits = []
    if number not in (None, ""):
        version_bits.append(_("Versie %(number)s") % {"number": number})
    if _s(version.get("created_at")) or _s(version.get("created_by")):
        made = _s(version.get("created_at"))
        if _s(version.get("created_by")):
            made = made + " " + _("door %(name)s") % {"name": _s(version.get("created_by"))}
        version_bits.append(made.strip())
    reviewed = ""
    if _s(version.get("reviewed_on")) or _s(version.get("reviewer")):
        reviewed = _("Laatst beoordeeld")
        if _s(version.get("reviewed_on")):
            reviewed += " " + _("op %(date)s") % {"date": _s(version.get("reviewed_on"))}
        if _s(version.get("reviewer")):
            reviewed += " " + _("door %(name)s") % {"name": _s(version.get("reviewer"))}
    else:
        reviewed = _("Nog niet inhoudelijk beoordeeld")

    legend = [
        (SYMBOLS["negative"], _("negatief"), _("de maatregel schaadt deze groep op dit domein")),
        (SYMBOLS["positive"], _("positief"), _("de maatregel helpt deze groep op dit domein")),
        (SYMBOLS["mixed"], _("gemengd"), _("zowel negatieve als positieve effecten")),
        (SYMBOLS["none"], _("geen effect"), _("beoordeeld: geen effect van betekenis verwacht")),
        (SYMBOLS["unknown"], _("onbekend"), _("beoordeeld, maar het effect is niet te bepalen")),
        (NOT_JUDGED_SYMBOL, _("niet beoordeeld"), _("voor deze cel is (nog) geen oordeel")),
    ]

    return {
        "lang": lang,
        "site_name": _s(fiche.get("site_name")) or "paraat",
        "doc_title": _("Maatregelfiche: %(name)s") % {"name": name},
        "measure": {
            "key": _s(measure.get("key")),
            "name": name,
            "description": _s(measure.get("description")),
            "oxcgrt": _s(measure.get("oxcgrt")),
            "legal_basis": _s(measure.get("legal_basis")),
        },
        "version_line": " · ".join(version_bits),
        "reviewed_line": reviewed,
        "change_note": _s(version.get("change_note")),
        "is_synthetic": bool(fiche.get("is_synthetic")),
        "needs_review": bool(fiche.get("needs_review")),
        "is_internal": audience == "internal",
        "audience_label": (
            _("Interne versie — niet verspreiden")
            if audience == "internal"
            else _("Openbare versie")
        ),
        "summary_paragraphs": _paragraphs(fiche.get("summary")),
        "groups": groups,
        "rows": rows,
        "wide_matrix": len(groups) > WIDE_MATRIX_COLUMNS,
        "legend": [{"symbol": s, "label": label, "meaning": m} for s, label, m in legend],
        "notes": notes,
        "key_evidence": refs(fiche.get("key_evidence")),
        "evidence_sections": evidence_sections,
        "mitigations": _items(fiche.get("mitigations")),
        "knowledge_gaps": _items(fiche.get("knowledge_gaps")),
        "dossiers": [
            {"title": _s(d.get("title")) or _s(d.get("url")), "href": _link(d.get("url"), base_url)}
            for d in (fiche.get("dossiers") or [])
            if d
        ],
        "generated_at": _s(fiche.get("generated_at")),
    }


def _language(fiche: dict[str, Any] | None) -> str:
    return _s((fiche or {}).get("lang")) or translation.get_language() or "nl"


# --------------------------------------------------------------------------------------------
# HTML and PDF
# --------------------------------------------------------------------------------------------


def fiche_html(
    fiche: dict[str, Any], *, base_url: str | None = None, stylesheet_url: str | None = None
) -> str:
    """The fiche as a standalone print HTML document (template ``evidence/fiche_print.html``).

    ``base_url`` (the site's absolute root URL) makes relative links in the data (dossiers,
    sources) absolute, so they still work in a PDF. The template links no stylesheet unless
    ``stylesheet_url`` is given (e.g. ``static("evidence/fiche-print.css")`` for a browser
    preview); :func:`fiche_pdf` hands WeasyPrint the CSS file directly.
    """
    with translation.override(_language(fiche)):
        context = _prepare(fiche, base_url)
        context["stylesheet_url"] = stylesheet_url or ""
        return render_to_string(TEMPLATE, context)


def _allowed_roots() -> tuple[Path, ...]:
    return (STYLESHEET.parent.resolve(), FONT_DIR.resolve())


def _url_fetcher() -> Any:
    """A WeasyPrint URL fetcher that only reads the stylesheet and font directories."""
    return local_url_fetcher(roots=_allowed_roots(), what="fiche PDF")


def fiche_pdf(fiche: dict[str, Any], *, base_url: str | None = None) -> bytes:
    """The fiche as an A4 PDF (tagged, with title and language metadata). Fetches nothing over
    the network: only the print stylesheet and the vendored font files are read. ``base_url``
    as for :func:`fiche_html` (only used to make links absolute, never fetched)."""
    html = fiche_html(fiche, base_url=base_url)
    return pdf_render(html, fetcher=_url_fetcher(), stylesheets=[STYLESHEET])


# --------------------------------------------------------------------------------------------
# DOCX
# --------------------------------------------------------------------------------------------


def _docx_hyperlink(paragraph: Any, url: str, text: str) -> None:
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rel_id = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel_id)
    run = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    style = OxmlElement("w:rStyle")
    style.set(qn("w:val"), "Hyperlink")
    props.append(style)
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    props.append(underline)
    color = OxmlElement("w:color")
    color.set(qn("w:val"), "1F4E79")
    props.append(color)
    run.append(props)
    node = OxmlElement("w:t")
    node.text = text
    node.set(qn("xml:space"), "preserve")
    run.append(node)
    link.append(run)
    paragraph._p.append(link)


def _docx_keep_row_together(row: Any) -> None:
    """Do not split a table row across pages (``w:cantSplit``)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    cant_split = OxmlElement("w:cantSplit")
    cant_split.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().insert(0, cant_split)


def _docx_page(section: Any, *, landscape: bool) -> None:
    """A4 page, portrait or landscape, with the PDF's margins."""
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    width, height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = width, height
    section.left_margin, section.right_margin = Mm(18), Mm(16)
    section.top_margin, section.bottom_margin = Mm(18), Mm(20)


def fiche_docx(fiche: dict[str, Any], *, base_url: str | None = None) -> bytes:
    """The fiche as a Word document with the same content and structure as the PDF: Heading 1
    title, Heading 2 sections, the impact matrix as a real table (header row repeats on every
    page), sources as lists, core properties title/language/author set."""
    from docx import Document
    from docx.enum.section import WD_SECTION
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.shared import Pt, RGBColor

    with translation.override(_language(fiche)):
        ctx = _prepare(fiche, base_url)
        doc = Document()

        section = doc.sections[0]
        _docx_page(section, landscape=False)
        doc.styles["Normal"].font.size = Pt(10.5)
        docx_language(doc, ctx["lang"])

        props = doc.core_properties
        props.title = ctx["doc_title"]
        props.subject = ctx["measure"]["name"]
        props.language = ctx["lang"]
        props.author = ctx["site_name"]
        props.last_modified_by = ctx["site_name"]
        props.keywords = ctx["measure"]["key"]
        props.comments = ctx["audience_label"]

        header = section.header.paragraphs[0]
        header.text = f"{ctx['measure']['name']} · {ctx['audience_label']}"
        footer = section.footer.paragraphs[0]
        footer.text = ""
        if ctx["generated_at"]:
            footer.add_run(
                _("Gegenereerd op %(when)s door %(site)s")
                % {"when": ctx["generated_at"], "site": ctx["site_name"]}
                + " · "
            )
        footer.add_run(_("pagina") + " ")
        docx_field(footer, "PAGE")
        footer.add_run(" / ")
        docx_field(footer, "NUMPAGES")

        def heading(text: str, level: int) -> None:
            doc.add_heading(text, level=level)

        def bullets(items: list[str], empty: str) -> None:
            if not items:
                doc.add_paragraph(empty)
            for item in items:
                doc.add_paragraph(item, style="List Bullet")

        def notice(text: str) -> None:
            para = doc.add_paragraph()
            run = para.add_run(text)
            run.bold = True
            run.font.color.rgb = RGBColor(0x8A, 0x1C, 0x1C)

        # Title, notices, version
        doc.add_paragraph(_("Maatregelfiche"))
        heading(ctx["measure"]["name"], 1)
        if ctx["measure"]["description"]:
            doc.add_paragraph(ctx["measure"]["description"])
        if ctx["is_synthetic"]:
            notice(_("Synthetisch demo-materiaal") + " — " + _("geen echte gegevens of adviezen"))
        notice(ctx["audience_label"])
        if ctx["needs_review"]:
            notice(
                _("Moet opnieuw beoordeeld worden")
                + " — "
                + _("de inhoud kan verouderd zijn door nieuwe kennis")
            )
        meta = doc.add_paragraph()
        if ctx["version_line"]:
            meta.add_run(ctx["version_line"])
            meta.add_run().add_break()
        meta.add_run(ctx["reviewed_line"])
        if ctx["change_note"]:
            meta.add_run().add_break()
            meta.add_run(_("Wijziging") + ": ").bold = True
            meta.add_run(ctx["change_note"])
        if ctx["measure"]["oxcgrt"] or ctx["measure"]["legal_basis"]:
            facts = doc.add_paragraph()
            if ctx["measure"]["oxcgrt"]:
                facts.add_run(_("OxCGRT-indicator") + ": ").bold = True
                facts.add_run(ctx["measure"]["oxcgrt"])
            if ctx["measure"]["legal_basis"]:
                if ctx["measure"]["oxcgrt"]:
                    facts.add_run().add_break()
                facts.add_run(_("Wettelijke grondslag") + ": ").bold = True
                facts.add_run(ctx["measure"]["legal_basis"])

        # Summary
        heading(_("Wat is de maatregel"), 2)
        if not ctx["summary_paragraphs"]:
            doc.add_paragraph(_("Nog niet beschreven."))
        for text in ctx["summary_paragraphs"]:
            para = doc.add_paragraph()
            for i, line in enumerate(text.split("\n")):
                if i:
                    para.add_run().add_break()
                para.add_run(line)

        # Impact matrix (on landscape pages of its own when it has many columns, as in the PDF)
        if ctx["wide_matrix"]:
            _docx_page(doc.add_section(WD_SECTION.NEW_PAGE), landscape=True)
        heading(_("Impact per domein en groep"), 2)
        if ctx["rows"] and ctx["groups"]:
            table = doc.add_table(rows=1 + len(ctx["rows"]), cols=1 + len(ctx["groups"]))
            table.style = "Table Grid"
            table.alignment = WD_TABLE_ALIGNMENT.CENTER
            head = table.rows[0]
            docx_repeat_header(head)
            for row in table.rows:
                _docx_keep_row_together(row)
            head.cells[0].text = _("Domein")
            for j, group in enumerate(ctx["groups"], start=1):
                head.cells[j].text = _s(group.get("name"))
            for cell in head.cells:
                for run in cell.paragraphs[0].runs:
                    run.bold = True
            for i, row in enumerate(ctx["rows"], start=1):
                cells = table.rows[i].cells
                cells[0].text = _s(row["domain"].get("name"))
                cells[0].paragraphs[0].runs[0].bold = True
                for j, cell in enumerate(row["cells"], start=1):
                    para = cells[j].paragraphs[0]
                    run = para.add_run(cell["text"])
                    run.bold = cell["judged"]
                    extra = []
                    if cell["certainty"]:
                        extra.append(
                            _("zekerheid: %(certainty)s") % {"certainty": cell["certainty"]}
                        )
                    if cell["horizon"]:
                        extra.append(cell["horizon"])
                    if cell["evidence"]:
                        extra.append("".join(f"[{e['number']}]" for e in cell["evidence"]))
                    if cell["note_number"]:
                        extra.append(_("noot %(number)s") % {"number": cell["note_number"]})
                    for text in extra:
                        para.add_run().add_break()
                        para.add_run(text)
            for row in table.rows:
                for cell in row.cells:
                    for para in cell.paragraphs:
                        for run in para.runs:
                            run.font.size = Pt(9)
        else:
            doc.add_paragraph(_("Nog geen domeinen en groepen vastgelegd."))

        heading(_("Legenda"), 3)
        for item in ctx["legend"]:
            para = doc.add_paragraph(style="List Bullet")
            para.add_run(f"{item['symbol']} {item['label']}").bold = True
            para.add_run(f": {item['meaning']}")
        doc.add_paragraph(_("Tussen haken: nummers van de bronnen in de bronnenlijst hieronder."))
        if ctx["wide_matrix"]:
            _docx_page(doc.add_section(WD_SECTION.NEW_PAGE), landscape=False)

        if ctx["notes"]:
            heading(_("Toelichting bij de cellen"), 3)
            for note in ctx["notes"]:
                para = doc.add_paragraph()
                para.add_run(
                    _("Noot %(n)s") % {"n": note["number"]} + f" — {note['where']}: "
                ).bold = True
                para.add_run(note["text"])

        # Key evidence
        heading(_("Belangrijkste bronnen"), 2)
        if not ctx["key_evidence"]:
            doc.add_paragraph(_("Geen bronnen aangemerkt als belangrijkste."))
        for item in ctx["key_evidence"]:
            para = doc.add_paragraph(style="List Bullet")
            para.add_run(f"[{item['number']}] ").bold = True
            para.add_run(item["citation"])
            if item["knowledge_class_label"]:
                para.add_run(f" ({item['knowledge_class_label']})")

        # Full evidence list, practice signals separate
        heading(_("Bronnen"), 2)
        for group in ctx["evidence_sections"]:
            heading(group["title"], 3)
            if not group["items"]:
                doc.add_paragraph(_("Geen bronnen in deze categorie."))
            for item in group["items"]:
                para = doc.add_paragraph(style="List Bullet")
                para.add_run(f"[{item['number']}] ").bold = True
                para.add_run(item["citation"])
                if item["is_synthetic"]:
                    para.add_run(" (" + _("synthetisch") + ")").italic = True
                details = [
                    (_("Type"), item["type_label"]),
                    (_("Kennissoort"), item["knowledge_class_label"]),
                    (_("Zekerheid"), item["certainty_label"]),
                    (_("Herkomst"), item["provenance"]),
                    (_("Belangen"), item["interests"]),
                ]
                for label, value in details:
                    if value:
                        para.add_run().add_break()
                        para.add_run(f"{label}: ").italic = True
                        para.add_run(value)
                if item["href"]:
                    para.add_run().add_break()
                    _docx_hyperlink(para, item["href"], item["href"])

        heading(_("Mogelijke mitigerende maatregelen"), 2)
        bullets(ctx["mitigations"], _("Nog geen opties vastgelegd."))
        heading(_("Kennislacunes"), 2)
        bullets(ctx["knowledge_gaps"], _("Nog geen kennislacunes vastgelegd."))
        heading(_("Kennisdossiers"), 2)
        if not ctx["dossiers"]:
            doc.add_paragraph(_("Deze maatregel komt (nog) in geen kennisdossier voor."))
        for dossier in ctx["dossiers"]:
            para = doc.add_paragraph(style="List Bullet")
            if dossier["href"]:
                _docx_hyperlink(para, dossier["href"], dossier["title"])
            else:
                para.add_run(dossier["title"])

        out = io.BytesIO()
        doc.save(out)
        return out.getvalue()


# --------------------------------------------------------------------------------------------
# Diff between two versions
# --------------------------------------------------------------------------------------------

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


def _merge(chunks: list[dict[str, str]], op: str, text: str) -> None:
    if not text:
        return
    if chunks and chunks[-1]["op"] == op:
        chunks[-1]["text"] += text
    else:
        chunks.append({"op": op, "text": text})


def _word_diff(old: str, new: str) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """Word-level chunks for a replaced line: (old line's equal/delete, new line's
    equal/insert). Whitespace is kept as tokens, so joining the chunks gives the line back."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    old_chunks: list[dict[str, str]] = []
    new_chunks: list[dict[str, str]] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            _merge(old_chunks, "equal", "".join(a[i1:i2]))
            _merge(new_chunks, "equal", "".join(b[j1:j2]))
        else:
            _merge(old_chunks, "delete", "".join(a[i1:i2]))
            _merge(new_chunks, "insert", "".join(b[j1:j2]))
    return old_chunks, new_chunks


def _text_diff(old: Any, new: Any) -> list[dict[str, Any]] | None:
    """Line diff, or None when the texts are the same (after normalising line endings)."""
    a, b = _lines(old), _lines(new)
    if a == b:
        return None
    out: list[dict[str, Any]] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for k in range(i2 - i1):
                out.append(
                    {
                        "op": "equal",
                        "text": a[i1 + k],
                        "old_line": i1 + k + 1,
                        "new_line": j1 + k + 1,
                    }
                )
            continue
        deleted = [
            {"op": "delete", "text": a[i], "old_line": i + 1, "new_line": None}
            for i in range(i1, i2)
        ]
        inserted = [
            {"op": "insert", "text": b[j], "old_line": None, "new_line": j + 1}
            for j in range(j1, j2)
        ]
        if tag == "replace":  # pair the lines in order and mark the changed words
            for d, n in zip(deleted, inserted, strict=False):
                d["words"], n["words"] = _word_diff(d["text"], n["text"])
        out.extend(deleted)
        out.extend(inserted)
    return out


def _names(fiche: dict[str, Any] | None, key: str) -> dict[str, str]:
    return {
        _s(item.get("key")): _s(item.get("name")) or _s(item.get("key"))
        for item in ((fiche or {}).get(key) or [])
        if item
    }


def _refs_by_number(fiche: dict[str, Any] | None) -> dict[Any, dict[str, Any]]:
    return {e.get("number"): e for e in ((fiche or {}).get("evidence") or []) if e}


def _ref_of(number: Any, evidence: dict[Any, dict[str, Any]]) -> str:
    item = evidence.get(number)
    if item is None:
        return f"#{number}"
    return _s(item.get("ref")) or f"#{number}"


def _cell_map(fiche: dict[str, Any] | None) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (_s(c.get("domain")), _s(c.get("group"))): c
        for c in ((fiche or {}).get("cells") or [])
        if c and _s(c.get("direction"))
    }


_CELL_ATTRIBUTES = (  # (name, key compared, key shown, label)
    ("direction", "direction", "direction_label", gettext_noop("richting")),
    ("size", "size", "size_label", gettext_noop("omvang")),
    ("certainty", "certainty", "certainty_label", gettext_noop("zekerheid")),
    ("horizon", "horizon_label", "horizon_label", gettext_noop("termijn")),
)


def _cell_summary(cell: dict[str, Any]) -> str:
    bits = [_s(cell.get("direction_label")) or _s(cell.get("direction"))]
    if _s(cell.get("size_label")):
        bits.append(_s(cell.get("size_label")))
    text = ", ".join(bits)
    if _s(cell.get("certainty_label")):
        text += "; " + _("zekerheid %(c)s") % {"c": _s(cell.get("certainty_label"))}
    return text


def _cells_diff(old: dict[str, Any] | None, new: dict[str, Any]) -> list[dict[str, Any]]:
    old_cells, new_cells = _cell_map(old), _cell_map(new)
    domains = {**_names(old, "domains"), **_names(new, "domains")}
    groups = {**_names(old, "groups"), **_names(new, "groups")}
    old_ev, new_ev = _refs_by_number(old), _refs_by_number(new)
    order: list[tuple[str, str]] = []
    for fiche in (new, old):
        for d in _names(fiche, "domains"):
            for g in _names(fiche, "groups"):
                if (d, g) not in order:
                    order.append((d, g))
    for key in [*new_cells, *old_cells]:  # cells outside the listed rows/columns
        if key not in order:
            order.append(key)

    empty = _("(leeg)")
    changes = []
    for key in order:
        before, after = old_cells.get(key), new_cells.get(key)
        if before is None and after is None:
            continue
        where = f"{domains.get(key[0], key[0])} × {groups.get(key[1], key[1])}"
        base = {"domain": key[0], "group": key[1], "where": where}
        if before is None:
            text = f"{where}: " + _("nieuw beoordeeld: %(s)s") % {"s": _cell_summary(after)}
            changes.append({**base, "op": "added", "attributes": [], "text": text})
            continue
        if after is None:
            text = f"{where}: " + _("beoordeling verwijderd (was %(s)s)") % {
                "s": _cell_summary(before)
            }
            changes.append({**base, "op": "removed", "attributes": [], "text": text})
            continue
        attributes = []
        for name, compare, show, label in _CELL_ATTRIBUTES:
            if _s(before.get(compare)) != _s(after.get(compare)):
                attributes.append(
                    {
                        "name": name,
                        "label": _(label),
                        "old": _s(before.get(show)) or _s(before.get(compare)) or empty,
                        "new": _s(after.get(show)) or _s(after.get(compare)) or empty,
                    }
                )
        if _s(before.get("note")) != _s(after.get("note")):
            attributes.append(
                {
                    "name": "note",
                    "label": _("toelichting"),
                    "old": _s(before.get("note")) or empty,
                    "new": _s(after.get("note")) or empty,
                }
            )
        old_refs = [_ref_of(n, old_ev) for n in before.get("evidence") or []]
        new_refs = [_ref_of(n, new_ev) for n in after.get("evidence") or []]
        if sorted(set(old_refs)) != sorted(set(new_refs)):
            attributes.append(
                {
                    "name": "evidence",
                    "label": _("bronnen"),
                    "old": ", ".join(old_refs) or empty,
                    "new": ", ".join(new_refs) or empty,
                    "added": [r for r in new_refs if r not in old_refs],
                    "removed": [r for r in old_refs if r not in new_refs],
                }
            )
        if not attributes:
            continue
        words = []
        for attr in attributes:
            if attr["name"] == "note":
                words.append(_("toelichting gewijzigd"))
            elif attr["name"] == "evidence":
                bits = []
                if attr["added"]:
                    bits.append(_("bron erbij: %(r)s") % {"r": ", ".join(attr["added"])})
                if attr["removed"]:
                    bits.append(_("bron eraf: %(r)s") % {"r": ", ".join(attr["removed"])})
                words.append("; ".join(bits))
            else:
                words.append(f"{attr['label']} {attr['old']} → {attr['new']}")
        text = f"{where}: " + "; ".join(words)
        changes.append({**base, "op": "changed", "attributes": attributes, "text": text})
    return changes


def _key_evidence_diff(old: dict[str, Any] | None, new: dict[str, Any]) -> list[dict[str, Any]]:
    old_ev, new_ev = _refs_by_number(old), _refs_by_number(new)
    before = [(n, _ref_of(n, old_ev)) for n in (old or {}).get("key_evidence") or []]
    after = [(n, _ref_of(n, new_ev)) for n in new.get("key_evidence") or []]
    before_refs = {r for _n, r in before}
    after_refs = {r for _n, r in after}
    changes = []
    for number, ref in after:
        if ref not in before_refs:
            citation = _s(new_ev.get(number, {}).get("citation")) or ref
            changes.append(
                {
                    "op": "added",
                    "ref": ref,
                    "number": number,
                    "citation": citation,
                    "text": _("Toegevoegd: %(c)s") % {"c": citation},
                }
            )
    for number, ref in before:
        if ref not in after_refs:
            citation = _s(old_ev.get(number, {}).get("citation")) or ref
            changes.append(
                {
                    "op": "removed",
                    "ref": ref,
                    "number": number,
                    "citation": citation,
                    "text": _("Verwijderd: %(c)s") % {"c": citation},
                }
            )
    return changes


def fiche_diff(old: dict[str, Any] | None, new: dict[str, Any]) -> list[dict[str, Any]]:
    """What changed between two fiche versions, section by section (pure function).

    ``old`` is None for the first version (everything counts as new). Only sections with
    changes are returned, in this order; identical versions give ``[]``. Every section has
    ``section`` (key), ``label`` (translated heading) and ``kind``:

    * ``kind == "text"`` — sections ``summary`` ("Wat is de maatregel"), ``mitigations``,
      ``knowledge_gaps``: ``lines`` is a line diff (``difflib``), each line
      ``{"op": "equal"|"delete"|"insert", "text", "old_line", "new_line"}`` (1-based line
      numbers, None on the side the line does not exist). Lines of a replaced block are
      given as all deletes, then all inserts; the i-th deleted and i-th inserted line are
      paired and both get ``words``: chunks ``{"op", "text"}`` — "equal"/"delete" on the old
      line, "equal"/"insert" on the new — whose texts join back into the line. Joining the
      texts of the "equal"+"insert" lines with "\\n" gives the new text, "equal"+"delete"
      the old one (line endings normalised to "\\n").
    * ``kind == "cells"`` — section ``cells``: ``changes``, one per (domain, group) whose
      judgement was ``op`` "added", "removed" or "changed", with ``domain``, ``group`` (keys),
      ``where`` ("Mentale gezondheid × Jongeren"), ``attributes`` (for "changed":
      ``{"name": "direction"|"size"|"certainty"|"horizon"|"note"|"evidence", "label", "old",
      "new"}``, evidence also ``added``/``removed`` refs) and ``text``, the change in words:
      "Mentale gezondheid × Jongeren: richting negatief → gemengd; zekerheid laag → redelijk".
      Cells without a direction count as not judged. Evidence is compared by ``ref`` (numbers
      may be renumbered between versions).
    * ``kind == "refs"`` — section ``key_evidence``: ``changes``, each ``{"op": "added" |
      "removed", "ref", "number", "citation", "text"}``.
    """
    with translation.override(_language(new)):
        old_data = old or {}
        sections: list[dict[str, Any]] = []
        for key, label in (
            ("summary", _("Wat is de maatregel")),
            ("mitigations", _("Mogelijke mitigerende maatregelen")),
            ("knowledge_gaps", _("Kennislacunes")),
        ):
            lines = _text_diff(old_data.get(key), new.get(key))
            if lines:
                sections.append({"section": key, "label": label, "kind": "text", "lines": lines})
        cells = _cells_diff(old, new)
        if cells:
            sections.append(
                {
                    "section": "cells",
                    "label": _("Impact per domein en groep"),
                    "kind": "cells",
                    "changes": cells,
                }
            )
        key_evidence = _key_evidence_diff(old, new)
        if key_evidence:
            sections.append(
                {
                    "section": "key_evidence",
                    "label": _("Belangrijkste bronnen"),
                    "kind": "refs",
                    "changes": key_evidence,
                }
            )
        return sections
