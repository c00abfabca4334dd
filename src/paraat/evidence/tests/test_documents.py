"""Fiche documents (PDF, DOCX) and the version diff, on plain data: no database needed."""

from __future__ import annotations

import copy
import io
import re

import docx
import pytest
from docx.oxml.ns import qn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from paraat.evidence.documents import fiche_diff, fiche_docx, fiche_html, fiche_pdf

DOMAINS = [
    {"key": "mental-health", "name": "Mentale gezondheid"},
    {"key": "education", "name": "Onderwijs en ontwikkeling"},
    {"key": "income", "name": "Inkomen en werk"},
]
GROUPS = [
    {"key": "", "name": "Hele bevolking"},
    {"key": "young-people", "name": "Jongeren"},
    {"key": "low-income", "name": "Huishoudens met een laag inkomen"},
]


def _cell(domain, group, direction, label, size="", size_label="", **extra):
    cell = {
        "domain": domain,
        "group": group,
        "direction": direction,
        "direction_label": label,
        "size": size,
        "size_label": size_label,
        "certainty": "",
        "certainty_label": "",
        "horizon_label": "",
        "note": "",
        "evidence": [],
    }
    cell.update(extra)
    return cell


def sample_fiche(**overrides):
    """Realistic (synthetic) fiche: 3 domains × 3 groups with one unknown, one no-effect and
    one not-judged cell; one study and one practice signal."""
    fiche = {
        "measure": {
            "key": "primary-schools-closed",
            "name": "Sluiting basisscholen",
            "description": "Basisscholen geven geen fysiek onderwijs; noodopvang blijft open.",
            "oxcgrt": "C1 = 3",
            "legal_basis": "Tijdelijke wet maatregelen covid-19, art. 58j",
        },
        "version": {
            "number": 3,
            "created_at": "2026-11-20 14:03",
            "created_by": "Chris Paraat",
            "change_note": "Nieuw praktijksignaal over jongeren verwerkt.",
            "reviewed_on": "2026-11-01",
            "reviewer": "Vera Zitman",
        },
        "needs_review": True,
        "is_synthetic": True,
        "audience": "public",
        "summary": (
            "Alle basisscholen sluiten voor fysiek onderwijs.\n"
            "Leerlingen krijgen les op afstand.\n"
            "\n"
            "Kinderen van ouders in cruciale beroepen kunnen naar de noodopvang."
        ),
        "domains": copy.deepcopy(DOMAINS),
        "groups": copy.deepcopy(GROUPS),
        "cells": [
            _cell(
                "mental-health",
                "young-people",
                "negative",
                "negatief",
                "large",
                "groot",
                certainty="low",
                certainty_label="laag",
                horizon_label="korte en lange termijn",
                note="Vooral eenzaamheid en somberheid bij oudere basisschoolleerlingen.",
                evidence=[1, 2],
            ),
            _cell("mental-health", "", "mixed", "gemengd", evidence=[1]),
            _cell("mental-health", "low-income", "unknown", "onbekend"),
            _cell(
                "education",
                "young-people",
                "negative",
                "negatief",
                "moderate",
                "middelgroot",
                certainty="moderate",
                certainty_label="redelijk",
                evidence=[1],
            ),
            _cell("education", "", "negative", "negatief", "small", "klein"),
            _cell("education", "low-income", "negative", "negatief", "large", "groot"),
            _cell("income", "", "none", "geen effect"),
            _cell("income", "young-people", "positive", "positief", "small", "klein"),
            # ("income", "low-income") is deliberately not judged
        ],
        "evidence": [
            {
                "number": 1,
                "ref": "mit-2021-jongeren",
                "citation": "MIT (2021). Jongeren en de coronamaatregelen. Den Haag: MIT.",
                "type_label": "rapport",
                "knowledge_class": "scientific",
                "knowledge_class_label": "wetenschappelijke kennis",
                "certainty_label": "redelijk",
                "provenance": "Ingebracht door Vera Zitman namens het kennisteam",
                "interests": "Geen belangen verklaard",
                "is_synthetic": True,
                "url": "https://example.org/mit-2021-jongeren",
            },
            {
                "number": 2,
                "ref": "signaal-jeugdwerk-utrecht",
                "citation": "Jeugdwerk Utrecht (2021). Signaal: meer eenzaamheid onder tieners.",
                "type_label": "praktijksignaal",
                "knowledge_class": "practice",
                "knowledge_class_label": "praktijkkennis",
                "certainty_label": "",
                "provenance": "Ingebracht door Sam de Vries namens Jeugdwerk Utrecht",
                "interests": "Organisatie ontvangt gemeentelijke subsidie voor jongerenwerk",
                "is_synthetic": True,
                "url": "",
            },
        ],
        "key_evidence": [1, 2],
        "mitigations": "Noodopvang uitbreiden voor kwetsbare kinderen\nLaptops uitlenen",
        "knowledge_gaps": "Effect op kleuters is onbekend\nLange-termijneffecten op leerwinst",
        "dossiers": [{"title": "Jongeren en mentale gezondheid", "url": "/kennis/dossiers/jong/"}],
        "generated_at": "2026-11-24 19:30",
        "site_name": "paraat",
        "lang": "nl",
    }
    fiche.update(overrides)
    return fiche


def _squash(text: str) -> str:
    """PDF text with whitespace normalised (line breaks in table cells become spaces)."""
    return re.sub(r"\s+", " ", text)


# --- PDF -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pdf_text():
    data = fiche_pdf(sample_fiche())
    assert data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(data))
    text = _squash(" ".join(page.extract_text() for page in reader.pages))
    return reader, text


def test_pdf_content(pdf_text):
    reader, text = pdf_text
    assert len(reader.pages) >= 1
    assert "Sluiting basisscholen" in text
    for heading in (
        "Wat is de maatregel",
        "Impact per domein en groep",
        "Belangrijkste bronnen",
        "Wetenschappelijke kennis en data",
        "Praktijk- en ervaringskennis",
        "Mogelijke mitigerende maatregelen",
        "Kennislacunes",
        "Kennisdossiers",
    ):
        assert heading in text, heading
    assert "Synthetisch demo-materiaal" in text
    assert "Openbare versie" in text
    assert "Moet opnieuw beoordeeld worden" in text
    assert "Vera Zitman" in text
    for cell_text in ("niet beoordeeld", "onbekend", "geen effect", "▼ negatief, groot"):
        assert cell_text in text, cell_text
    assert "[1][2]" in text
    assert "Organisatie ontvangt gemeentelijke subsidie voor jongerenwerk" in text
    assert "Geen belangen verklaard" in text
    assert "niet gegradeerd" in text  # the practice signal has no GRADE certainty
    assert "(synthetisch)" in text
    assert "Gegenereerd op 2026-11-24 19:30" in text
    assert re.search(r"\b1 / \d+\b", text)  # page numbers from @page


def test_pdf_practice_signal_is_in_its_own_section(pdf_text):
    _reader, text = pdf_text
    sources = text[text.index("Wetenschappelijke kennis en data") :]
    scientific, practice = sources.split("Praktijk- en ervaringskennis", 1)
    assert "MIT (2021)" in scientific
    assert "Jeugdwerk Utrecht" not in scientific
    assert "Jeugdwerk Utrecht" in practice


def test_pdf_metadata(pdf_text):
    reader, _text = pdf_text
    assert reader.metadata.title == "Maatregelfiche: Sluiting basisscholen"
    assert reader.trailer["/Root"]["/Lang"] == "nl"


def test_pdf_url_fetcher_reads_only_the_stylesheet_and_fonts():
    from paraat.evidence import documents

    fetcher = documents._url_fetcher()
    for url in (
        "https://example.org/track.png",
        "http://localhost/static/x.css",
        "data:text/css,body{}",
        "file:///etc/passwd",
        documents.STYLESHEET.parent.joinpath("../../../conf/settings.py").as_uri(),
    ):
        with pytest.raises(ValueError, match="refusing"):
            fetcher(url)
    assert fetcher(documents.STYLESHEET.as_uri()).read().startswith(b"/*")
    font = next(documents.FONT_DIR.glob("*.woff2"))
    assert fetcher(font.as_uri()).read(4) == b"wOF2"


def test_pdf_uses_the_vendored_font_and_escapes_markup(pdf_text):
    reader, _text = pdf_text
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any("Fira-Sans" in name for name in fonts), fonts
    fiche = sample_fiche(
        measure={"key": "x", "name": '<img src="https://example.org/t.png"> Mondkapjes'}
    )
    text = PdfReader(io.BytesIO(fiche_pdf(fiche))).pages[0].extract_text()
    assert '<img src="https://example.org/t.png"> Mondkapjes' in text


# --- HTML ------------------------------------------------------------------------------------


def test_html_is_standalone_and_escaped():
    fiche = sample_fiche(summary="<script>alert(1)</script>", audience="internal")
    html = fiche_html(fiche)
    assert html.lstrip().startswith("<!DOCTYPE html>")
    assert '<html lang="nl">' in html
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "Interne versie — niet verspreiden" in html
    assert "<link" not in html  # WeasyPrint gets the stylesheet directly
    assert "<thead>" in html


def test_base_url_makes_relative_links_absolute():
    html = fiche_html(sample_fiche(), base_url="https://paraat.example.nl/")
    assert 'href="https://paraat.example.nl/kennis/dossiers/jong/"' in html
    assert "/kennis/dossiers/jong/" not in fiche_html(sample_fiche())  # relative: plain text
    data = fiche_docx(sample_fiche(), base_url="https://paraat.example.nl/")
    rels = docx.Document(io.BytesIO(data)).part.rels.values()
    assert "https://paraat.example.nl/kennis/dossiers/jong/" in {r.target_ref for r in rels}


def test_renderer_adds_nothing_that_was_not_given():
    """A source filtered out by the selector (here: number 3, not in the evidence list) never
    shows up, even if a cell or the key evidence still points at it."""
    fiche = sample_fiche(key_evidence=[1, 3])
    fiche["cells"][0]["evidence"] = [1, 3]
    html = fiche_html(fiche)
    assert "[3]" not in html and "bron-3" not in html
    pdf = _squash(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(fiche_pdf(fiche))).pages))
    assert "[3]" not in pdf
    document = docx.Document(io.BytesIO(fiche_docx(fiche)))
    assert "[3]" not in _docx_text(document)
    # and with no sources at all, no citation text appears anywhere
    bare = sample_fiche(evidence=[], key_evidence=[1, 2])
    for text in (fiche_html(bare), _docx_text(docx.Document(io.BytesIO(fiche_docx(bare))))):
        assert "MIT (2021)" not in text
        assert "Jeugdwerk Utrecht" not in text
        assert "Geen bronnen in deze categorie." in text


# --- DOCX ------------------------------------------------------------------------------------


def _docx_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


@pytest.fixture(scope="module")
def word():
    return docx.Document(io.BytesIO(fiche_docx(sample_fiche())))


def test_docx_headings(word):
    headings = [
        (p.style.name, p.text) for p in word.paragraphs if p.style.name.startswith("Heading")
    ]
    assert headings[0] == ("Heading 1", "Sluiting basisscholen")
    names = [text for _style, text in headings]
    expected = [
        "Wat is de maatregel",
        "Impact per domein en groep",
        "Legenda",
        "Toelichting bij de cellen",
        "Belangrijkste bronnen",
        "Bronnen",
        "Wetenschappelijke kennis en data",
        "Praktijk- en ervaringskennis",
        "Mogelijke mitigerende maatregelen",
        "Kennislacunes",
        "Kennisdossiers",
    ]
    assert names[1:] == expected
    assert ("Heading 3", "Praktijk- en ervaringskennis") in headings


def test_docx_matrix_table(word):
    assert len(word.tables) == 1
    table = word.tables[0]
    assert len(table.rows) == 4 and len(table.columns) == 4
    assert [c.text for c in table.rows[0].cells] == [
        "Domein",
        "Hele bevolking",
        "Jongeren",
        "Huishoudens met een laag inkomen",
    ]
    assert [row.cells[0].text for row in table.rows[1:]] == [d["name"] for d in DOMAINS]
    young_mental = table.cell(1, 2).text
    assert young_mental.startswith("▼ negatief, groot")
    assert "zekerheid: laag" in young_mental
    assert "[1][2]" in young_mental
    assert "noot 1" in young_mental
    assert table.cell(1, 1).text.startswith("◆ gemengd")
    assert table.cell(1, 3).text == "? onbekend"
    assert table.cell(3, 1).text == "○ geen effect"
    assert table.cell(3, 2).text == "▲ positief, klein"
    assert table.cell(3, 3).text == "– niet beoordeeld"
    header = table.rows[0]._tr.trPr.find(qn("w:tblHeader"))
    assert header is not None and header.get(qn("w:val")) == "true"
    assert table.rows[1]._tr.trPr is None or table.rows[1]._tr.trPr.find(qn("w:tblHeader")) is None


def test_docx_content_and_properties(word):
    text = _docx_text(word)
    assert "Synthetisch demo-materiaal" in text
    assert "Openbare versie" in text
    assert "Organisatie ontvangt gemeentelijke subsidie voor jongerenwerk" in text
    assert "niet gegradeerd" in text
    assert "(synthetisch)" in text
    assert "Laptops uitlenen" in text
    bullets = [p.text for p in word.paragraphs if p.style.name == "List Bullet"]
    assert "Effect op kleuters is onbekend" in bullets
    assert any(b.startswith("[2] Jeugdwerk Utrecht") for b in bullets)
    assert word.core_properties.title == "Maatregelfiche: Sluiting basisscholen"
    assert word.core_properties.language == "nl"
    section = word.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297


# --- diff ------------------------------------------------------------------------------------


def test_diff_identical_is_empty():
    assert fiche_diff(sample_fiche(), sample_fiche()) == []


def test_diff_concrete_changes():
    old = sample_fiche()
    new = sample_fiche()
    new["summary"] = old["summary"].replace(
        "Leerlingen krijgen les op afstand.",
        "Leerlingen krijgen les op afstand.\nScholen lenen laptops uit.",
    )
    new["cells"][0].update(
        direction="mixed", direction_label="gemengd", certainty="moderate",
        certainty_label="redelijk",
    )  # fmt: skip
    new["key_evidence"] = [1]
    new["mitigations"] = old["mitigations"].replace("Laptops uitlenen", "Laptops en wifi uitlenen")

    diff = fiche_diff(old, new)
    sections = {s["section"]: s for s in diff}
    assert list(sections) == ["summary", "mitigations", "cells", "key_evidence"]

    summary = sections["summary"]
    assert summary["label"] == "Wat is de maatregel"
    inserted = [line for line in summary["lines"] if line["op"] == "insert"]
    assert [line["text"] for line in inserted] == ["Scholen lenen laptops uit."]
    assert not [line for line in summary["lines"] if line["op"] == "delete"]

    mitigations = sections["mitigations"]["lines"]
    deleted = next(line for line in mitigations if line["op"] == "delete")
    added = next(line for line in mitigations if line["op"] == "insert")
    assert deleted["text"] == "Laptops uitlenen"
    assert {"op": "insert", "text": "en wifi "} in added["words"]
    assert "".join(w["text"] for w in added["words"]) == "Laptops en wifi uitlenen"
    assert all(w["op"] in ("equal", "delete") for w in deleted["words"])

    (cell,) = sections["cells"]["changes"]
    assert cell["op"] == "changed"
    assert cell["text"] == (
        "Mentale gezondheid × Jongeren: richting negatief → gemengd; zekerheid laag → redelijk"
    )
    assert [a["name"] for a in cell["attributes"]] == ["direction", "certainty"]

    (removed,) = sections["key_evidence"]["changes"]
    assert removed["op"] == "removed"
    assert removed["ref"] == "signaal-jeugdwerk-utrecht"


def test_diff_cells_added_and_removed_and_first_version():
    old = sample_fiche()
    new = sample_fiche()
    new["cells"] = [c for c in new["cells"] if c["direction"] != "unknown"]
    new["cells"].append(_cell("income", "low-income", "negative", "negatief", "large", "groot"))
    changes = {c["op"]: c for c in fiche_diff(old, new)[0]["changes"]}
    assert changes["added"]["text"] == (
        "Inkomen en werk × Huishoudens met een laag inkomen: nieuw beoordeeld: negatief, groot"
    )
    assert changes["removed"]["text"].startswith(
        "Mentale gezondheid × Huishoudens met een laag inkomen: beoordeling verwijderd"
    )

    first = fiche_diff(None, sample_fiche())
    assert [s["section"] for s in first] == [
        "summary",
        "mitigations",
        "knowledge_gaps",
        "cells",
        "key_evidence",
    ]
    assert all(line["op"] == "insert" for line in first[0]["lines"])
    assert {c["op"] for c in first[3]["changes"]} == {"added"}


def test_diff_evidence_compared_by_ref_not_number():
    old = sample_fiche()
    new = sample_fiche()
    new["evidence"] = list(reversed(copy.deepcopy(old["evidence"])))
    new["evidence"][0]["number"], new["evidence"][1]["number"] = 1, 2  # renumbered
    for cell in new["cells"]:
        cell["evidence"] = [{1: 2, 2: 1}[n] for n in cell["evidence"]]
    new["key_evidence"] = [2, 1]
    assert fiche_diff(old, new) == []


# --- diff properties -------------------------------------------------------------------------

_words = st.sampled_from(["de", "school", "jongeren", "zorg", "werk", "is", "open", "dicht", "."])
_line = st.lists(_words, max_size=6).map(" ".join)
_text = st.lists(_line, max_size=6).map("\n".join)
_direction = st.sampled_from(["positive", "negative", "mixed", "none", "unknown", ""])


@st.composite
def fiches(draw):
    cells = []
    for domain in DOMAINS:
        for group in GROUPS:
            direction = draw(_direction)
            if direction:
                cells.append(
                    _cell(
                        domain["key"],
                        group["key"],
                        direction,
                        direction,
                        certainty_label=draw(st.sampled_from(["", "laag", "hoog"])),
                        evidence=draw(st.lists(st.sampled_from([1, 2]), max_size=2)),
                    )
                )
    return sample_fiche(
        summary=draw(_text),
        mitigations=draw(_text),
        knowledge_gaps=draw(_text),
        cells=cells,
        key_evidence=draw(st.lists(st.sampled_from([1, 2]), max_size=2, unique=True)),
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fiches())
def test_diff_of_a_fiche_with_itself_is_empty(fiche):
    assert fiche_diff(fiche, copy.deepcopy(fiche)) == []


@settings(max_examples=150, deadline=None)
@given(_text, _text)
def test_text_diff_reconstructs_both_versions(old, new):
    diff = fiche_diff({"summary": old}, {"summary": new})
    if old == new:
        assert diff == []
        return
    (section,) = diff
    lines = section["lines"]
    assert "\n".join(x["text"] for x in lines if x["op"] in ("equal", "insert")) == new
    assert "\n".join(x["text"] for x in lines if x["op"] in ("equal", "delete")) == old
    for line in lines:
        if "words" in line:
            assert "".join(w["text"] for w in line["words"]) == line["text"]
            allowed = {"equal", line["op"]}
            assert {w["op"] for w in line["words"]} <= allowed


def test_wide_matrix_gets_landscape_pages():
    groups = [{"key": f"g{i}", "name": f"Groep {i}"} for i in range(7)]
    fiche = sample_fiche(groups=groups, cells=[])
    assert "matrix-block--wide" in fiche_html(fiche)
    document = docx.Document(io.BytesIO(fiche_docx(fiche)))
    orientations = [s.page_width > s.page_height for s in document.sections]
    assert orientations == [False, True, False]
    table = document.tables[0]
    assert len(table.columns) == 8
    assert {c.text for c in table.rows[1].cells[1:]} == {"– niet beoordeeld"}
