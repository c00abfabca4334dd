"""The advice as PDF and Word: read back, the text and the decision are in it, nothing in the
text is interpreted as markup, and the Markdown-like lines become paragraphs and lists."""

from __future__ import annotations

import io
from typing import Any

import pytest
from docx import Document

from paraat.advice import documents, services
from paraat.advice.models import AdviceRevision
from paraat.advice.tests import factories

pytestmark = pytest.mark.django_db

MARKUP = '<b>vet</b> & <script>alert("x")</script> [@cbs-2023]'


def _pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)


def _docx_text(content: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)


@pytest.fixture
def decided() -> dict[str, Any]:
    people = factories.committee()
    advice = factories.request_make(actor=people["cpo"])
    factories.decided(request=advice, people=people)
    return {**people, "advice": advice, "revision": advice.revisions.get()}


def _with_markup(people: dict[str, Any]) -> tuple[Any, AdviceRevision]:
    advice = factories.request_make(actor=people["cpo"], title="Markup <i>titel</i>")
    revision = services.advice_revision_save(
        request=advice,
        sections={
            "summary": f"Eerste alinea {MARKUP}\nnog een regel.\n\nTweede alinea.",
            "advice": "1. Geen inreisverbod.\n2. Wel een test.\n\n- los punt\n  - dieper punt",
            "dilemmas": "",
        },
        base_number=None,
        actor=people["cpo"],
    )
    return advice, revision


def test_pdf_has_title_sections_decision(decided: dict[str, Any]) -> None:
    advice, revision = decided["advice"], decided["revision"]
    name, content = documents.revision_document(request=advice, revision=revision, fmt="pdf")
    assert name == f"advies-{advice.key}-v1.pdf"
    assert content.startswith(b"%PDF")
    text = _pdf_text(content)
    assert advice.title in text
    assert "Maatschappelijk Impact Team".upper() in text.upper()
    assert "Synthetisch voorbeeld" in text  # request_make makes synthetic requests
    assert "Geen inreisverbod." in text
    assert "Onderbouwing" in text  # a section heading
    assert "Mitigerende maatregelen" not in text  # empty sections are left out
    assert "Besluitvorming" in text and "consensus" in text
    assert advice.key in text


def test_docx_has_title_sections_decision(decided: dict[str, Any]) -> None:
    advice, revision = decided["advice"], decided["revision"]
    name, content = documents.revision_document(request=advice, revision=revision, fmt="docx")
    assert name.endswith("-v1.docx")
    doc = Document(io.BytesIO(content))
    text = _docx_text(content)
    assert advice.title in text
    assert "Synthetisch voorbeeld" in text
    assert "Wel een test vóór vertrek." in text
    assert "consensus" in text
    assert doc.core_properties.title == f"Advies: {advice.title}"
    assert doc.core_properties.language == "nl"
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:1] == [advice.title]
    assert "Samenvatting" in headings and "Besluitvorming" in headings


def test_markup_is_escaped_everywhere() -> None:
    people = factories.committee()
    advice, revision = _with_markup(people)
    data = documents.document_data(request=advice, revision=revision)
    html = documents.document_html(data)
    assert "<b>vet</b>" not in html and "<script>" not in html
    assert "&lt;b&gt;vet&lt;/b&gt;" in html and "&lt;script&gt;" in html
    assert "&lt;i&gt;titel&lt;/i&gt;" in html
    assert "[@cbs-2023]" in html  # citations stay as text

    pdf = _pdf_text(documents.revision_document(request=advice, revision=revision, fmt="pdf")[1])
    assert "<b>vet</b>" in pdf  # shown literally, not made bold
    assert "[@cbs-2023]" in pdf
    assert "Markup <i>titel</i>" in pdf

    word = _docx_text(documents.revision_document(request=advice, revision=revision, fmt="docx")[1])
    assert '<script>alert("x")</script>' in word
    assert "Markup <i>titel</i>" in word


def test_markdown_like_lines() -> None:
    blocks = documents.parse_blocks(
        "Alinea een\nregel twee\n\n- punt a\n* punt b\n  - dieper\n3. derde\n4) vierde\nSlot"
    )
    assert [b.kind for b in blocks] == ["p", "ul", "ol", "p"]
    assert blocks[0].lines == ["Alinea een", "regel twee"]
    assert [(i["text"], i["level"]) for i in blocks[1].items] == [
        ("punt a", 1),
        ("punt b", 1),
        ("dieper", 2),
    ]
    assert [(i["number"], i["text"]) for i in blocks[2].items] == [("3", "derde"), ("4", "vierde")]
    assert documents.parse_blocks("\x00\x07  \n") == []

    people = factories.committee()
    advice, revision = _with_markup(people)
    content = documents.revision_document(request=advice, revision=revision, fmt="docx")[1]
    doc = Document(io.BytesIO(content))
    styles = {p.text: p.style.name for p in doc.paragraphs}
    assert styles["los punt"] == "List Bullet"
    assert styles["dieper punt"] == "List Bullet 2"
    assert "1.\tGeen inreisverbod." in styles  # the author's numbers are kept
    para = next(p for p in doc.paragraphs if p.text.startswith("Eerste alinea"))
    assert "nog een regel." in para.text  # one paragraph, line break kept


def test_minority_position_and_embargo_note() -> None:
    people = factories.committee()
    advice = factories.request_make(actor=people["cpo"], is_synthetic=False)
    services.advice_revision_save(
        request=advice, sections=factories.SECTIONS, base_number=None, actor=people["cpo"]
    )
    services.advice_transition(request=advice, to="final_draft", actor=people["cpo"])
    round_ = services.decision_round_open(request=advice, actor=people["cpo"])
    services.vote_cast(round_=round_, voter=people["chair"], answers=[services.Answer("agree")])
    services.vote_cast(
        round_=round_, voter=people["members"][0], answers=[services.Answer("agree")]
    )
    services.vote_cast(
        round_=round_,
        voter=people["members"][1],
        answers=[services.Answer("disagree", "Te streng")],
    )
    services.decision_round_close(
        round_=round_, actor=people["chair"], minority_position="Lid 2 vindt de test te streng."
    )
    revision = advice.revisions.get()
    _name, content = documents.revision_document(
        request=advice, revision=revision, fmt="docx", embargo_note="Tot de Kamerbrief."
    )
    text = _docx_text(content)
    assert "Minderheidsstandpunt" in text
    assert "Lid 2 vindt de test te streng." in text
    assert "meerderheid" in text
    assert "Onder embargo: Tot de Kamerbrief." in text
    assert "Synthetisch voorbeeld" not in text


def test_unknown_format_and_foreign_revision(decided: dict[str, Any]) -> None:
    advice, revision = decided["advice"], decided["revision"]
    with pytest.raises(ValueError):
        documents.revision_document(request=advice, revision=revision, fmt="html")
    other = factories.request_make(actor=decided["cpo"], title="Ander advies")
    with pytest.raises(ValueError):
        documents.revision_document(request=other, revision=revision, fmt="pdf")
