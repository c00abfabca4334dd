"""The assessment report (``paraat.assessments.reports``): content, formats, masking.

The report is built against a hand-made document and result that follow the contract in
``docs/schema/README.md`` exactly (``DOCUMENT`` and ``RESULT`` below, also used by the CLI and
view tests), and once against the real engine when it is installed.
"""

from __future__ import annotations

import copy
import html
import io
import json
import re
from typing import Any

import docx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

from paraat.assessments import reports

SECRET_SOURCE = "OMT-advies vertrouwelijk 4 januari"
SECRET_EFFECT = -0.37

DOCUMENT: dict[str, Any] = {
    "schema": "paraat-assessment/1",
    "id": "demo-afweging",
    "title": "Demo-afweging scholen",
    "question": "Moeten de scholen dicht bij een nieuwe golf?",
    "context": "Fictieve context voor de test.",
    "date": "2023-01-05",
    "synthetic": True,
    "beleidskompas": {"problem": "Snelle verspreiding", "goal": "Zorg ontlasten"},
    "domains": [
        {"key": "mental-health", "name": "Mentale gezondheid"},
        {"key": "education", "name": "Onderwijs"},
    ],
    "groups": [
        {"key": "young-people", "name": "Jongeren", "vulnerable": True, "size": 2100000},
        {"key": "elderly", "name": "Ouderen", "vulnerable": False, "size": 3000000},
    ],
    "rights_catalogue": [
        {
            "key": "gw-23",
            "instrument": "constitution",
            "article": "23",
            "title": "Vrijheid van onderwijs",
            "absolute": False,
        }
    ],
    "evidence": [
        {
            "ref": "scp-2022",
            "title": "Jongeren in coronatijd",
            "year": 2022,
            "type": "report",
            "knowledge_class": "science",
            "certainty": "moderate",
        }
    ],
    "options": [
        {"id": "zero", "name": "Geen nieuwe maatregel", "zero": True, "description": "Niets."},
        {
            "id": "close",
            "name": "Scholen dicht",
            "description": "Alle scholen twee weken dicht.",
            "effectiveness": {
                "outcome": "transmission",
                "estimate": SECRET_EFFECT,
                "low": -0.5,
                "high": -0.2,
                "unit": "relative change",
                "source": SECRET_SOURCE,
                "confidential": True,
            },
            "rights": {
                "tests": {"necessity": {"answer": "partly", "note": "Minder ingrijpend kan."}},
                "touched": [{"right": "gw-23", "note": "Onderwijs ligt stil."}],
            },
            "values": {"justice": "Jongeren dragen de last."},
            "etd": {"desirable": "Minder besmettingen", "advice": "conditional_against"},
        },
        {"id": "masks", "name": "Mondkapjes", "description": "Mondkapjes in de klas."},
    ],
    "judgements": [],
}


def _cell(effect: str, value: float, state: str = "assessed") -> dict[str, Any]:
    return {
        "value": value,
        "low": value - 0.5,
        "high": value + 0.5,
        "effect": effect,
        "certainty": "low",
        "state": state,
    }


RESULT: dict[str, Any] = {
    "schema": "paraat-assessment-result/1",
    "assessment": {
        "id": "demo-afweging",
        "title": "Demo-afweging scholen",
        "question": "Moeten de scholen dicht bij een nieuwe golf?",
        "date": "2023-01-05",
        "scenario_level": "",
        "synthetic": True,
    },
    "parameters": {
        "samples": 2000,
        "seed": 42,
        "distribution": "triangular",
        "scale": [-3, 3],
        "certainty_spread": {"high": 0, "moderate": 0.5, "low": 1, "very_low": 1.5, "": 1},
        "weights": {"domains": {}, "groups": {}},
        "constraints": [{"level": "domain", "more": "mental-health", "less": "education"}],
        "acceptance": 0.5,
    },
    "domains": DOCUMENT["domains"],
    "groups": [
        {"key": "young-people", "name": "Jongeren", "vulnerable": True, "size": 2100000},
        {"key": "elderly", "name": "Ouderen", "vulnerable": False, "size": 3000000},
    ],
    "options": [
        {
            "id": "zero",
            "name": "Geen nieuwe maatregel",
            "zero": True,
            "rank_acceptability": [0.7, 0.28, 0.02],
            "expected_rank": 1.35,
            "holistic": 0.8,
            "central_weights": {"domains": {"mental-health": 0.5, "education": 0.5}, "groups": {}},
            "confidence": 0.93,
            "score": {"explicit": -0.1, "p05": -0.4, "p95": 0.2, "p50": -0.1},
            "explicit_rank": 1,
            "cells": {"assessed": 3, "unknown": 1, "not_assessed": 0},
            "certainty": "low",
            "effectiveness": None,
            "acceptability": None,
        },
        {
            "id": "close",
            "name": "Scholen dicht",
            "zero": False,
            "rank_acceptability": [0.0, 0.02, 0.98],
            "expected_rank": 2.98,
            "holistic": 0.1,
            "central_weights": None,
            "confidence": None,
            "score": {"explicit": -1.6, "p05": -2.1, "p95": -1.1, "p50": -1.6},
            "explicit_rank": 3,
            "cells": {"assessed": 4, "unknown": 0, "not_assessed": 0},
            "certainty": "moderate",
            "effectiveness": {
                "outcome": "transmission",
                "estimate": SECRET_EFFECT,
                "low": -0.5,
                "high": -0.2,
                "unit": "relative change",
                "source": SECRET_SOURCE,
                "confidential": True,
            },
            "acceptability": None,
        },
        {
            "id": "masks",
            "name": "Mondkapjes",
            "zero": False,
            "rank_acceptability": [0.3, 0.7, 0.0],
            "expected_rank": 1.7,
            "holistic": 0.5,
            "central_weights": {"domains": {"mental-health": 0.3, "education": 0.7}, "groups": {}},
            "confidence": 0.6,
            "score": {"explicit": -0.3, "p05": -0.6, "p95": 0.0, "p50": -0.3},
            "explicit_rank": 2,
            "cells": {"assessed": 2, "unknown": 1, "not_assessed": 1},
            "certainty": "very_low",
            "effectiveness": None,
            "acceptability": None,
        },
    ],
    "ladder": [
        {"option": "zero", "position": 1, "score": -0.1, "rank1_share": 0.7, "beats_next": 0.7},
        {"option": "masks", "position": 2, "score": -0.3, "rank1_share": 0.3, "beats_next": 0.99},
        {"option": "close", "position": 3, "score": -1.6, "rank1_share": 0.0, "beats_next": None},
    ],
    "robustness": {
        "level": "depends_on_weights",
        "statement_facts": {},
        "pairs": [{"better": "zero", "worse": "masks", "share": 0.7}],
        "decisive_domains": ["education"],
    },
    "dominance": [{"better": "masks", "worse": "close", "certain": True}],
    "winning": [[0.0, 0.99, 0.7], [0.01, 0.0, 0.01], [0.3, 0.99, 0.0]],
    "group_winning": {
        "young-people": [[0.0, 1.0, 0.6], [0.0, 0.0, 0.0], [0.4, 1.0, 0.0]],
        "elderly": [[0.0, 0.5, 0.5], [0.5, 0.0, 0.5], [0.5, 0.5, 0.0]],
    },
    "explanation": {
        "close": [
            {
                "domain": "education",
                "group": "young-people",
                "value": -3,
                "weight": 0.25,
                "contribution": -0.75,
            },
            {
                "domain": "mental-health",
                "group": "young-people",
                "value": -2,
                "weight": 0.25,
                "contribution": -0.5,
            },
        ],
        "zero": [],
        "masks": [],
    },
    "sensitivity": [
        {
            "domain": "education",
            "weights": [0, 0.5, 1],
            "orders": [
                ["zero", "masks", "close"],
                ["masks", "zero", "close"],
                ["masks", "zero", "close"],
            ],
            "switch_points": [0.4],
        }
    ],
    "matrix": [
        {
            "option": "zero",
            "impact": -0.1,
            "impact_low": -0.4,
            "impact_high": 0.2,
            "effect": 0.0,
            "effect_low": 0.0,
            "effect_high": 0.0,
            "outcome": "transmission",
            "unit": "relative change",
            "source": "aanname",
            "masked": False,
        },
        {
            "option": "close",
            "impact": -1.6,
            "impact_low": -2.1,
            "impact_high": -1.1,
            "effect": SECRET_EFFECT,
            "effect_low": -0.5,
            "effect_high": -0.2,
            "outcome": "transmission",
            "unit": "relative change",
            "source": SECRET_SOURCE,
            "masked": False,
        },
        {
            "option": "masks",
            "impact": -0.3,
            "impact_low": -0.6,
            "impact_high": 0.0,
            "effect": None,
            "effect_low": None,
            "effect_high": None,
            "outcome": None,
            "unit": None,
            "source": None,
            "masked": False,
        },
    ],
    "distribution": {
        "zero": [
            [_cell("none", 0), _cell("unknown", 0, "unknown")],
            [_cell("none", 0), _cell("small_negative", -1)],
        ],
        "close": [
            [_cell("moderate_negative", -2), _cell("small_negative", -1)],
            [_cell("large_negative", -3), _cell("none", 0)],
        ],
        "masks": [
            [_cell("small_negative", -1), {"state": "not_assessed", "effect": None}],
            [_cell("unknown", 0, "unknown"), _cell("small_positive", 1)],
        ],
    },
    "stacking": [
        {
            "group": "young-people",
            "vulnerable": True,
            "negative_domains": ["education", "mental-health"],
            "burden": -1.2,
            "burden_by_option": {"zero": 0.0, "close": -2.5, "masks": -0.5},
            "history": [{"label": "Pakket 14 december 2020", "burden": -1.8}],
            "cumulative": -3.0,
            "flag": True,
        }
    ],
    "rights": {
        "close": {
            "tests": {"necessity": {"answer": "partly", "note": "Minder ingrijpend kan."}},
            "checklist": {},
            "touched": [{"right": "gw-23", "note": "Onderwijs ligt stil."}],
            "open_questions": 6,
        }
    },
    "lenses": {"close": {"justice": {"vulnerable_burdened": ["young-people"]}}},
    "etd": {"close": {"advice": "conditional_against", "certainty_computed": "moderate"}},
    "evidence": [
        {
            "ref": "scp-2022",
            "title": "Jongeren in coronatijd",
            "certainty": "moderate",
            "knowledge_class": "science",
            "cells": 2,
        }
    ],
    "warnings": ["Cel masks × onderwijs × ouderen is niet beoordeeld."],
}


def masked_result() -> dict[str, Any]:
    """``RESULT`` as ``selectors.version_result`` returns it to a reader without access."""
    result = copy.deepcopy(RESULT)
    for row in result["matrix"]:
        if row["option"] == "close":
            row.update(
                effect=None,
                effect_low=None,
                effect_high=None,
                outcome=None,
                unit=None,
                source=None,
                masked=True,
            )
    for option in result["options"]:
        if option["id"] == "close":
            option["effectiveness"] = None
    return result


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join((page.extract_text() or "") for page in reader.pages).split())


def docx_text(data: bytes) -> str:
    """The text of a Word document in reading order (paragraphs and tables as they come)."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.sections[0].header.paragraphs]
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            parts.append(Paragraph(child, document).text)
        elif tag == "tbl":
            for row in Table(child, document).rows:
                parts.extend(cell.text for cell in row.cells)
    return " ".join(" ".join(parts).replace("\xa0", " ").split())


def _text(fmt: str, result: dict[str, Any] | None = None) -> str:
    content = reports.render(DOCUMENT, result or RESULT, fmt=fmt)
    if fmt == "pdf":
        return pdf_text(content)
    if fmt == "docx":
        return docx_text(content)
    return " ".join(content.decode("utf-8").replace("\xa0", " ").split())


def _ladder_order_ok(text: str) -> bool:
    """The ladder lists zero, masks, close in that order (least burden first)."""
    start = text.index("Impactladder")
    a = text.index("Geen nieuwe maatregel", start)
    b = text.index("Mondkapjes", start)
    c = text.index("Scholen dicht", start)
    return a < b < c


# --- the words ---------------------------------------------------------------------------------


def test_robustness_statements_follow_the_shares() -> None:
    statements = reports.robustness_statements(RESULT)
    assert statements["level"] == "depends_on_weights"
    assert statements["level_label"] == "hangt af van de weging"
    assert "hangt af van een waardekeuze" in statements["headline"]
    assert "Onderwijs" in statements["headline"]  # the decisive domain, by name
    # zero beats masks in 70 %: a value choice, naming the decisive domain
    assert statements["pairs"][0].startswith(
        "De volgorde van Geen nieuwe maatregel en Mondkapjes hangt af van een waardekeuze"
    )
    assert "Onderwijs" in statements["pairs"][0] and "70\u00a0%" in statements["pairs"][0]
    # masks beats close in 99 %: "under every plausible weighting"
    assert statements["pairs"][1] == (
        "Onder elke aannemelijke weging belast Mondkapjes de samenleving minder dan "
        "Scholen dicht (in 99\u00a0% van de trekkingen)."
    )
    # per group: only shares >= 0.95, the vulnerable group first
    assert statements["groups"] == [
        "Onder elke aannemelijke weging belast Geen nieuwe maatregel jongeren minder dan "
        "Scholen dicht (in 100\u00a0% van de trekkingen).",
        "Onder elke aannemelijke weging belast Mondkapjes jongeren minder dan Scholen dicht "
        "(in 100\u00a0% van de trekkingen).",
    ]


def test_robust_level_and_missing_winning_matrix_fall_back_to_beats_next() -> None:
    result = copy.deepcopy(RESULT)
    result["robustness"] = {"level": "robust", "decisive_domains": []}
    result.pop("winning")
    result["group_winning"] = {}
    statements = reports.robustness_statements(result)
    assert "robuust" in statements["headline"]
    assert "Onder de meeste wegingen" not in statements["pairs"][0]
    assert statements["pairs"][0].startswith("De volgorde van Geen nieuwe maatregel en Mondkapjes")
    assert "Onder elke aannemelijke weging" in statements["pairs"][1]
    assert statements["groups"] == []


def test_report_data_cells_have_text_and_symbol_and_keep_unknown_apart() -> None:
    data = reports.report_data(DOCUMENT, RESULT)
    assert [e["name"] for e in data["ladder"]] == [
        "Geen nieuwe maatregel",
        "Mondkapjes",
        "Scholen dicht",
    ]
    masks = next(o for o in data["distribution"] if o["name"] == "Mondkapjes")
    first_row = masks["rows"][0]
    assert first_row["domain"] == "Mentale gezondheid"
    assert [(c["symbol"], c["text"]) for c in first_row["cells"]] == [
        ("▼", "klein negatief"),
        ("·", "niet beoordeeld"),
    ]
    assert [(c["symbol"], c["text"]) for c in masks["rows"][1]["cells"]] == [
        ("?", "onbekend"),
        ("▲", "klein positief"),
    ]
    close = next(o for o in data["distribution"] if o["name"] == "Scholen dicht")
    assert close["rows"][1]["cells"][0]["symbol"] == "▼▼▼"
    assert close["rows"][1]["cells"][0]["css"] == "cell-n3"
    assert data["stacking"][0]["negative_domains"] == "Onderwijs, Mentale gezondheid"
    assert data["stacking"][0]["flag"] is True
    assert data["dominance"][0].startswith("Mondkapjes is voor elk domein en elke groep")
    assert data["explanation"][1]["cells"][0]["domain"] == "Onderwijs"  # largest first
    assert data["etd"][1]["advice"] == "voorwaardelijk negatief advies"
    assert data["evidence"][0]["knowledge_class"] == "wetenschappelijke kennis"
    assert data["evidence"][0]["certainty"] == "redelijk"
    assert ("Seed", "42") in data["parameters"]
    assert any(
        "Mentale gezondheid weegt minstens zo zwaar als Onderwijs" in v
        for _k, v in data["parameters"]
    )


def test_matrix_svg_draws_only_visible_effects_and_escapes_names() -> None:
    data = reports.report_data(DOCUMENT, RESULT)
    svg = str(data["matrix_svg"])
    assert svg.startswith("<svg") and "<title" in svg
    assert "Scholen dicht" in svg and "Geen nieuwe maatregel" in svg
    assert "Mondkapjes" not in svg  # no effectiveness: table only
    rows = [dict(r, name="<b>&") for r in data["matrix"]]
    assert "&lt;b&gt;&amp;" in reports.matrix_svg(rows)
    assert reports.matrix_svg([]) == ""


# --- the formats -------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["pdf", "docx", "html", "md"])
def test_every_format_has_ladder_robustness_and_synthetic_label(fmt: str) -> None:
    text = _text(fmt)
    assert "Demo-afweging scholen" in text
    assert "Moeten de scholen dicht bij een nieuwe golf?" in text
    assert "Synthetisch" in text
    assert _ladder_order_ok(text)
    assert (
        "Onder elke aannemelijke weging belast Mondkapjes de samenleving minder dan Scholen dicht"
        in text
    )
    assert "hangt af van een waardekeuze" in text
    assert "Vrijheid van onderwijs" in text  # rights touched
    assert "voorwaardelijk negatief advies" in text  # EtD advice type
    assert "wetenschappelijke kennis" in text  # evidence knowledge class
    assert "niet beoordeeld" in text and "onbekend" in text
    assert "/afwegingen/methode/" in text
    assert SECRET_SOURCE in text  # the unmasked result shows the effectiveness


@pytest.mark.parametrize("fmt", ["pdf", "docx", "html", "md"])
def test_masked_effectiveness_does_not_appear(fmt: str) -> None:
    text = _text(fmt, masked_result())
    assert SECRET_SOURCE not in text
    assert "0,37" not in text and "−0,37" not in text
    assert "vertrouwelijk (niet zichtbaar voor u)" in text


def test_effectiveness_is_never_taken_from_the_document() -> None:
    """The stored file holds the confidential effectiveness; the report reads the result."""
    html = reports.render(DOCUMENT, masked_result(), fmt="html").decode()
    assert SECRET_SOURCE in json.dumps(DOCUMENT)
    assert SECRET_SOURCE not in html


def test_not_synthetic_has_no_label() -> None:
    result = copy.deepcopy(RESULT)
    result["assessment"]["synthetic"] = False
    document = dict(DOCUMENT, synthetic=False)
    text = reports.render(document, result, fmt="md").decode()
    assert "Synthetisch" not in text


def test_json_is_the_result_with_rank_acceptability() -> None:
    data = json.loads(reports.render(DOCUMENT, RESULT, fmt="json"))
    assert data == RESULT
    for option in data["options"]:
        assert {"id", "name", "rank_acceptability"} <= set(option)
        assert abs(sum(option["rank_acceptability"]) - 1) < 1e-9


def test_pdf_is_tagged_a4_with_the_title() -> None:
    reader = PdfReader(io.BytesIO(reports.render(DOCUMENT, RESULT, fmt="pdf")))
    assert reader.metadata.title == "Afweging: Demo-afweging scholen"
    box = reader.pages[0].mediabox
    assert round(float(box.width)) == 595 and round(float(box.height)) == 842


def test_english_report() -> None:
    text = reports.render(DOCUMENT, RESULT, fmt="md", language="en").decode()
    assert text.startswith("# ")  # the catalogue may not be compiled yet: only the structure
    assert "Demo-afweging scholen" in text


def test_unknown_format_and_empty_result_are_refused() -> None:
    with pytest.raises(reports.ReportError, match="Onbekend formaat"):
        reports.render(DOCUMENT, RESULT, fmt="xls")
    with pytest.raises(reports.ReportError, match="geen opties"):
        reports.render(DOCUMENT, {}, fmt="html")


def test_filename() -> None:
    assert reports.report_filename(RESULT, "pdf", 3) == "afweging-demo-afweging-v3.pdf"
    assert reports.report_filename({"assessment": {"id": "../x y"}}, "md") == "afweging----x-y.md"


# --- the summary before the annex ---------------------------------------------------------------

#: Text that only the summary holds, and text that only the annex holds.
SUMMARY_MARKERS = (
    "Soort advies per optie",
    "Gesignaleerde groepen (stapeling)",
    "Wat de onzekerheid bepaalt",
    "Grootte van de verschillen",
)
ANNEX_MARKERS = (
    "Verdeling: Scholen dicht",
    "Kansen op elke plaats (SMAA-2)",
    "Bewijs met zekerheid en kennissoort",
    "Toetsen: Scholen dicht",
    "Parameters",
)


def _result_with_warnings() -> dict[str, Any]:
    result = copy.deepcopy(RESULT)
    result["warnings"] = [
        {
            "code": "explicit_unknown",
            "message": "the explicit score of 'zero' counts unknown ... 25% of the weight",
            "params": {"option": "zero", "weight_share": 0.25},
        },
        {
            "code": "not_assessed",
            "message": "1 of 12 cells are not assessed; SMAA samples them over the whole scale",
            "params": {"count": 1, "total": 12},
        },
        {"code": "something_new", "message": "an engine message", "params": {}},
    ]
    return result


@pytest.mark.parametrize("fmt", ["pdf", "docx", "html", "md"])
def test_summary_comes_before_the_annex(fmt: str) -> None:
    text = _text(fmt, _result_with_warnings())
    if fmt == "html":  # what a reader sees: no head (styles), no tags
        text = re.sub(r"<[^>]+>", " ", text[text.index("<body>") :])
        text = " ".join(html.unescape(text).split())
    summary = text.index("Samenvatting")
    annex = text.index("Bijlagen")
    assert summary < annex
    for marker in SUMMARY_MARKERS:
        assert summary < text.index(marker) < annex, marker
    for marker in ANNEX_MARKERS:
        assert text.index(marker, annex) > annex, marker
        assert marker not in text[:annex], marker
    head = text[:annex]
    # question and date, the ladder with robustness, dominance and the magnitude in words
    assert "Moeten de scholen dicht bij een nieuwe golf?" in head and "2023-01-05" in head
    assert _ladder_order_ok(head)
    assert "hangt af van een waardekeuze" in head
    assert "Alle opties liggen tussen −1,60 en −0,10 op een schaal van −3 tot +3" in head
    assert "Mondkapjes is voor elk domein en elke groep niet slechter dan Scholen dicht" in head
    # the matrix, the advice type, the flagged group, rights and uncertainty
    assert SECRET_SOURCE in head
    assert "voorwaardelijk negatief advies" in head
    assert "Jongeren" in head and "kwetsbare groep, negatief in meerdere domeinen" not in head
    assert "In de score van Geen nieuwe maatregel tellen onbekende" not in head  # annex only
    assert "1 van de 12 cellen zijn niet beoordeeld" in head
    assert "25 %" in head  # the weight share of unknown cells of the zero option
    assert "Noodzakelijkheid" not in head  # "partly" is not a failed test
    # the annex holds the engine's unknown warning as it came, and the translated ones
    assert "an engine message" in text[annex:]
    assert "In de score van Geen nieuwe maatregel tellen onbekende" in text[annex:]


def test_summary_data() -> None:
    data = reports.report_data(DOCUMENT, _result_with_warnings())
    s = data["summary"]
    assert [a["advice"] for a in s["advice"]] == [
        "nog geen advies",
        "voorwaardelijk negatief advies",
        "nog geen advies",
    ]
    assert [f["group"] for f in s["flagged"]] == ["Jongeren"]
    close = next(r for r in s["rights"] if r["name"] == "Scholen dicht")
    assert close == {
        "name": "Scholen dicht",
        "touched": 1,
        "absolute": "geen",
        "absolute_any": False,
        "open_questions": "6",
        "failed": "–",
    }
    zero = next(u for u in s["uncertainty"] if u["name"] == "Geen nieuwe maatregel")
    assert (zero["unknown"], zero["not_assessed"], zero["share"]) == ("1", "0", "25\u00a0%")
    assert s["uncertainty_notes"][0] == (
        "Het gewicht van Onderwijs bepaalt de volgorde het meest (beslissende domeinen)."
    )
    assert s["magnitude"]["verdict"] == "large"
    # without the engine's structured warnings the share is not known, not 0 %
    plain = reports.report_data(DOCUMENT, RESULT)["summary"]["uncertainty"]
    assert plain[0]["share"] == "–"


def test_word_annex_starts_on_a_new_page() -> None:
    document = docx.Document(io.BytesIO(reports.render(DOCUMENT, RESULT, fmt="docx")))
    paragraphs = document.paragraphs
    index = next(i for i, p in enumerate(paragraphs) if p.text == "Bijlagen")
    assert paragraphs[index].style.name == "Heading 2"
    assert 'w:type="page"' in paragraphs[index - 1]._p.xml
    assert [p.text for p in paragraphs if p.style.name == "Heading 2"] == [
        "Samenvatting",
        "Bijlagen",
    ]


def test_absolute_right_and_failed_tests_reach_the_summary() -> None:
    result = copy.deepcopy(RESULT)
    result["rights"]["close"]["touched"].append(
        {"right": "evrm-3", "title": "Verbod van foltering", "absolute": True}
    )
    result["rights"]["close"]["tests"]["proportionality"] = {"answer": "no", "note": ""}
    text = reports.render(DOCUMENT, result, fmt="md").decode()
    head = text[: text.index("## Bijlagen")]
    assert "| Scholen dicht | 2 | Verbod van foltering | 6 | Proportionaliteit |" in head


def _scores(*rows: tuple[float, float, float]) -> dict[str, Any]:
    return {
        "parameters": {"scale": [-3, 3]},
        "options": [
            {"id": f"o{i}", "score": {"explicit": e, "p05": lo, "p95": hi}}
            for i, (e, lo, hi) in enumerate(rows)
        ],
    }


def test_magnitude_rule() -> None:
    # spread 0.03, median band 0.8: small (0.03 < 0.5 × 0.8)
    small = reports.magnitude(_scores((-0.03, -0.4, 0.4), (0.0, -0.4, 0.4), (-0.01, -0.5, 0.3)))
    assert small["verdict"] == "small"
    assert small["sentence"].startswith(
        "Alle opties liggen tussen −0,03 en 0,00 op een schaal van −3 tot +3: de verschillen "
        "zijn klein."
    )
    # spread 0.5, median band 0.8: the same order (0.4 <= 0.5 < 0.8)
    moderate = reports.magnitude(_scores((-0.5, -0.9, -0.1), (0.0, -0.4, 0.4)))
    assert moderate["verdict"] == "moderate"
    assert "van dezelfde orde als de onzekerheid" in moderate["sentence"]
    # spread 0.8 equals the band: large
    large = reports.magnitude(_scores((-0.8, -1.2, -0.4), (0.0, -0.4, 0.4)))
    assert large["verdict"] == "large"
    assert "groot ten opzichte van de onzekerheid" in large["sentence"]
    # the boundary: spread exactly half the band is no longer small
    assert reports.magnitude(_scores((-0.4, -0.8, 0.0), (0.0, -0.4, 0.4)))["verdict"] == (
        "moderate"
    )
    # no bands: only the range; one option: nothing
    bare = {"options": [{"score": {"explicit": -1}}, {"score": {"explicit": 0.5}}]}
    assert reports.magnitude(bare)["verdict"] == ""
    assert reports.magnitude(bare)["sentence"] == (
        "Alle opties liggen tussen −1,00 en 0,50 op een schaal van −3 tot +3."
    )
    assert reports.magnitude(_scores((0.0, -1, 1)))["sentence"] == ""
    # zero-width bands (all certainty high) and equal scores: small, not a division by zero
    assert reports.magnitude(_scores((0.0, 0.0, 0.0), (0.0, 0.0, 0.0)))["verdict"] == "small"


def test_warning_text_translates_known_codes() -> None:
    names = {"zero": "Geen nieuwe maatregel"}
    assert reports.warning_text(
        {"code": "explicit_unknown", "params": {"option": "zero", "weight_share": 0.272727}},
        names,
    ) == (
        "In de score van Geen nieuwe maatregel tellen onbekende en niet-beoordeelde cellen mee "
        "als het midden van de schaal (0); zij dragen 27\u00a0% van het gewicht."
    )
    assert reports.warning_text({"code": "reach_assumed", "params": {"count": 3}}).startswith(
        "3 beoordeelde cellen geven geen bereik"
    )
    assert reports.warning_text("platte tekst") == "platte tekst"
    assert reports.warning_text({"code": "x", "message": "engine text"}) == "engine text"


def test_school_example_summary_fits_in_three_pages() -> None:
    """The ten-minute part of the school-closure example: the annex heading is on page 3 at the
    latest (the annex starts on a new page, so the summary is at most the pages before it)."""
    engine = pytest.importorskip("paraat_core.assessment")
    from pathlib import Path

    path = (
        Path(__file__).resolve().parents[4]
        / "examples"
        / "assessments"
        / "school-closure-synthetic.json"
    )
    if not path.exists():
        pytest.skip("no school-closure example")
    document = json.loads(path.read_text(encoding="utf-8"))
    result = engine.analyse(engine.load_file(path), samples=1000, seed=1)
    reader = PdfReader(io.BytesIO(reports.render(document, result, fmt="pdf")))
    pages = [page.extract_text() or "" for page in reader.pages]
    annex_pages = [
        i
        for i, text in enumerate(pages)
        if "Bijlagen" in [line.strip() for line in text.splitlines()]
    ]
    assert annex_pages, "no page with the heading Bijlagen"
    annex_page = annex_pages[0]  # 0-based
    summary = " ".join(" ".join(pages[:annex_page]).split())
    assert annex_page <= 3, f"the summary takes {annex_page} pages"
    assert "Samenvatting" in pages[0]
    assert pages[annex_page].lstrip().startswith("Bijlagen")  # a new page
    for marker in (
        "Impactladder",
        "Grootte van de verschillen",
        "Soort advies per optie",
        "Wat de onzekerheid bepaalt",
        "Jongeren",
    ):
        assert marker in summary, marker
    assert len(reader.pages) > annex_page + 3  # the annex is where the length went


def test_real_engine_result_renders(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Against the real engine (skipped until ``paraat_core.assessment`` lands)."""
    engine = pytest.importorskip("paraat_core.assessment")
    if not hasattr(engine, "analyse"):
        pytest.skip("engine not complete yet")
    from pathlib import Path

    example = Path(__file__).resolve().parents[4] / "examples" / "assessments"
    files = sorted(example.glob("*.json"))
    if not files:
        pytest.skip("no example assessment files yet")
    loaded = engine.load_file(files[0])
    result = engine.analyse(loaded, samples=300, seed=1)
    document = json.loads(files[0].read_text(encoding="utf-8"))
    for fmt in ("md", "docx", "pdf"):
        content = reports.render(document, result, fmt=fmt)
        assert content
    data = reports.report_data(document, result)
    assert len(data["ladder"]) == len(result["options"])


# --- Markdown: user text is text ---------------------------------------------------------------

EVIL_NAME = "<script>alert(1)</script> [x](javascript:alert(1)) # kop"
EVIL_RATIONALE = "**vet** _schuin_ `code` ![beeld](javascript:alert(2)) <b>&amp;</b> a|b ~~weg~~"
EVIL_CONTEXT = "\n".join(
    [
        "regel",
        "# kop2",
        "- lijst",
        "1. genummerd",
        "---",
        "===",
        "    code",
        "> citaat",
        "",
        "<img src=x onerror=alert(3)>",
        "[ref]: javascript:alert(4)",
        "[ref]",
    ]
)
#: What Markdown reads in a line: backslash escapes and the entities ``md_escape`` writes.
MD_DECODE = re.compile(r"\\(.)|&(amp|lt|gt|#\d+);")


def _md_decode(text: str) -> str:
    def one(match: re.Match[str]) -> str:
        return match.group(1) if match.group(1) is not None else html.unescape(match.group(0))

    return MD_DECODE.sub(one, text)


def _evil_markdown() -> tuple[str, list[Any]]:
    document = copy.deepcopy(DOCUMENT)
    result = copy.deepcopy(RESULT)
    for option in [*document["options"], *result["options"]]:
        if option["id"] == "masks":
            option["name"] = EVIL_NAME
    close = next(o for o in document["options"] if o["id"] == "close")
    close["etd"]["rationale"] = EVIL_RATIONALE
    close["rights"]["touched"][0]["note"] = "## notitie\n- punt"
    document["context"] = EVIL_CONTEXT
    result["domains"] = [{"key": "mental-health", "name": "Mentale | gezondheid # 1."}] + [
        d for d in result["domains"] if d["key"] != "mental-health"
    ]
    blocks = reports.report_blocks(reports.report_data(document, result))
    return reports.render(document, result, fmt="md").decode("utf-8"), blocks


def test_markdown_report_keeps_user_text_literal() -> None:
    """Names, rationales, notes and context went into the .md raw: ``<script>``, a
    ``javascript:`` link and a heading could be injected through an option name."""
    md, blocks = _evil_markdown()
    lines = md.splitlines()
    headings = [b for b in blocks if b[0] == "h"]
    bullets = sum(len(b[1]) for b in blocks if b[0] == "bullets")
    # the raw file: no HTML, no link or image syntax, no emphasis from user text
    assert "<" not in md and ">" not in md  # not even our own "a > b" (an entity)
    unescaped = re.sub(r"\\.", "", md)  # what is left once the backslash escapes are taken out
    assert "[" not in unescaped and "]" not in unescaped
    assert "**vet**" not in md and r"\*\*vet\*\*" in md
    assert "`" not in unescaped and "~~" not in md
    # only our own headings, list items and table rows; no setext underline, break, code, quote
    heading_lines = [line for line in lines if re.match(r" {0,3}#{1,6}(\s|$)", line)]
    assert heading_lines == ["#" * b[1] + " " + reports.md_escape(b[2]) for b in headings]
    assert any(EVIL_NAME.split("#")[0][:8] in _md_decode(h) for h in heading_lines)  # quoted
    assert sum(bool(re.match(r" {0,3}([-+*]|\d+[.)])(\s|$)", line)) for line in lines) == bullets
    assert not any(re.fullmatch(r" {0,3}(=+|[-*_ ]{3,})", line) for line in lines)
    assert not any(line.startswith(("    ", "\t", ">")) for line in lines)
    # every row of a table has as many cells as its header (a pipe in a name is an entity)
    tables = [t.split("\n") for t in re.findall(r"(?m)(?:^\|.*\n?)+", md)]
    assert len(tables) == sum(1 for b in blocks if b[0] == "table")
    for table in tables:
        rows = [row for row in table if row]
        assert len({row.count("|") for row in rows}) == 1, rows[0]
    assert "Mentale &#124; gezondheid" in md
    # what a reader sees is exactly what was typed
    decoded = _md_decode(md)
    assert EVIL_NAME in decoded and EVIL_RATIONALE in decoded
    assert "Mentale | gezondheid # 1." in decoded
    assert "# kop2\n- lijst\n1. genummerd\n---\n===\ncode\n> citaat\n\n<img" in decoded


def test_markdown_report_renders_without_markup_from_user_text() -> None:
    """Rendered by a Markdown implementation (when one is installed): no script, no
    ``javascript:`` link, no heading, list, emphasis or code made from user text."""
    markdown = pytest.importorskip("markdown")
    md, blocks = _evil_markdown()
    out = markdown.markdown(md, extensions=["tables"])
    low = out.lower()
    assert "<script" not in low and "<img" not in low and "<b>" not in low
    assert not re.search(r"(href|src)\s*=\s*[\"']?\s*javascript:", low)
    assert "<strong>vet" not in low and "<em>schuin" not in low and "<code>" not in low
    assert "<blockquote" not in low and "<pre" not in low and "<hr" not in low
    assert len(re.findall(r"<h[1-6][\s>]", low)) == sum(1 for b in blocks if b[0] == "h")
    assert low.count("<li>") == sum(len(b[1]) for b in blocks if b[0] == "bullets")
    text = html.unescape(re.sub(r"<[^>]+>", "", out))
    assert EVIL_NAME in text and EVIL_RATIONALE in text


MD_SPECIALS = set("\\`*_{}[]#!<>|~&")


@given(st.text())
def test_md_escape_is_literal(text: str) -> None:
    escaped = reports.md_escape(text)
    expected = re.sub(r"[ \t\r\n\f\v]+", " ", text).strip(" ")
    assert _md_decode(escaped) == expected
    assert "\n" not in escaped and "\r" not in escaped
    bare = MD_DECODE.sub("", escaped)
    assert not MD_SPECIALS & set(bare)
    assert not re.match(r"([-+=]|\d+[.)])", escaped)


@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",))), max_size=5))
def test_md_escape_block_keeps_lines_and_paragraphs(lines: list[str]) -> None:
    text = "\n".join(lines)
    escaped = reports.md_escape(text, block=True)
    for line in escaped.split("\n"):
        assert line == "" or not re.match(r"[ \t]|[-+=]|\d+[.)]", line)
    assert "\n\n\n" not in escaped
    expected = [
        re.sub(r"[ \t\f\v]+", " ", line).strip(" ") for line in re.split(r"\r\n|\r|\n", text)
    ]
    decoded = _md_decode(escaped).split("\n")
    assert [line for line in decoded if line] == [line for line in expected if line]
