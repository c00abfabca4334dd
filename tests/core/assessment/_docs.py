"""Small assessment documents for the tests (all values synthetic)."""

from __future__ import annotations

import copy
from typing import Any

LEVEL_NAMES = {
    -3: "large_negative",
    -2: "moderate_negative",
    -1: "small_negative",
    0: "none",
    1: "small_positive",
    2: "moderate_positive",
    3: "large_positive",
}


def grid_doc(
    values: list[list[list[int | str | None]]],
    *,
    certainty: str = "high",
    option_ids: list[str] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A document from ``values[option][domain][group]``: an int level, "unknown" or None.

    None = not assessed (no judgement).  Option 0 is the zero option.  Certainty "high" with
    the default spread 0 gives point judgements.
    """
    m, n_dom, n_grp = len(values), len(values[0]), len(values[0][0])
    ids = option_ids or [f"o{i}" for i in range(m)]
    doc: dict[str, Any] = {
        "schema": "paraat-assessment/1",
        "id": "test",
        "title": "Test (synthetisch)",
        "question": "Which option burdens least?",
        "date": "2023-01-05",
        "synthetic": True,
        "domains": [{"key": f"d{k}", "name": f"Domein {k}"} for k in range(n_dom)],
        "groups": [
            {"key": f"g{k}", "name": f"Groep {k}", "vulnerable": k == 0, "size": 1000}
            for k in range(n_grp)
        ],
        "options": [{"id": ids[i], "name": f"Optie {ids[i]}", "zero": i == 0} for i in range(m)],
        "judgements": [],
    }
    for i in range(m):
        for d in range(n_dom):
            for g in range(n_grp):
                v = values[i][d][g]
                if v is None:
                    continue
                effect = "unknown" if v == "unknown" else LEVEL_NAMES[int(v)]
                j: dict[str, Any] = {
                    "option": ids[i],
                    "domain": f"d{d}",
                    "group": f"g{g}",
                    "effect": effect,
                }
                if effect != "unknown":
                    j["certainty"] = certainty
                doc["judgements"].append(j)
    doc.update(copy.deepcopy(extra))
    return doc


def full_doc() -> dict[str, Any]:
    """A document using every part of the format."""
    return {
        "schema": "paraat-assessment/1",
        "id": "full-example",
        "title": "Volledig voorbeeld (synthetisch)",
        "question": "Welke maatregel?",
        "context": "Synthetisch testgeval.",
        "scenario_level": "flu_plus",
        "date": "2023-01-05",
        "synthetic": True,
        "beleidskompas": {
            "problem": "p",
            "goal": "g",
            "preferred_option": "masks",
            "preferred_rationale": "r",
        },
        "domains": [
            {"key": "mental-health", "name": "Mentale gezondheid"},
            {"key": "education", "name": "Onderwijs"},
            {"key": "economy", "name": "Economie"},
        ],
        "groups": [
            {
                "key": "young-people",
                "name": "Jongeren",
                "vulnerable": True,
                "size": 2_000_000,
                "size_source": "CBS (synthetisch)",
                "size_as_of": "2023-01-01",
            },
            {"key": "travellers", "name": "Reizigers", "vulnerable": False, "size": 50_000},
        ],
        "rights_catalogue": [
            {
                "key": "evrm-8",
                "instrument": "echr",
                "article": "8",
                "title": "Privéleven",
                "absolute": False,
            },
            {
                "key": "evrm-3",
                "instrument": "echr",
                "article": "3",
                "title": "Foltering",
                "absolute": True,
            },
        ],
        "evidence": [
            {
                "ref": "scp-2022",
                "title": "Rapport",
                "year": 2022,
                "type": "report",
                "knowledge_class": "scientific",
                "certainty": "moderate",
            },
            {
                "ref": "panel-2023",
                "title": "Burgerpanel",
                "type": "citizen_panel",
                "knowledge_class": "experiential",
                "certainty": "",
            },
        ],
        "options": [
            {"id": "zero", "name": "Geen nieuwe maatregel", "zero": True},
            {
                "id": "masks",
                "name": "Mondkapjes in het vliegtuig",
                "measures": ["masks-flights"],
                "effectiveness": {
                    "outcome": "transmission",
                    "estimate": -0.05,
                    "low": -0.1,
                    "high": 0.0,
                    "unit": "relatieve verandering",
                    "source": "OMT (synthetisch)",
                    "confidential": True,
                },
                "acceptability": {
                    "support": 0.6,
                    "support_low": 0.5,
                    "support_high": 0.7,
                    "compliance": 0.8,
                    "source": "panel",
                },
                "rights": {
                    "tests": {
                        "legitimate_aim": {"answer": "yes", "note": "volksgezondheid"},
                        "necessity": {"answer": "unknown"},
                    },
                    "checklist": {"at_stake": {"answer": "yes"}},
                    "touched": [{"right": "evrm-8", "note": "n"}],
                },
                "values": {"justice": "rechtvaardigheid", "future_generations": "geen"},
                "etd": {"desirable": "d", "advice": "conditional_for", "rationale": "r"},
            },
            {
                "id": "test-duty",
                "name": "Testplicht voor vertrek",
                "effectiveness": {
                    "outcome": "hospital_admissions",
                    "estimate": -0.02,
                    "source": "OMT (synthetisch)",
                },
            },
        ],
        "judgements": [
            {
                "option": "zero",
                "domain": "mental-health",
                "group": "young-people",
                "effect": "none",
                "certainty": "high",
            },
            {
                "option": "masks",
                "domain": "mental-health",
                "group": "young-people",
                "effect": "small_negative",
                "certainty": "low",
                "reach": {"share": 0.1},
                "evidence": ["scp-2022"],
                "horizon": "short",
            },
            {
                "option": "masks",
                "domain": "education",
                "group": "young-people",
                "effect": "small_negative",
                "low": "moderate_negative",
                "high": "none",
                "certainty": "moderate",
                "duration": "lasting",
                "evidence": ["scp-2022"],
            },
            {"option": "masks", "domain": "economy", "group": "travellers", "effect": "unknown"},
            {
                "option": "test-duty",
                "domain": "economy",
                "group": "travellers",
                "effect": "moderate_negative",
                "reach": {"people": 40_000},
                "certainty": "very_low",
                "reversibility": "irreversible",
                "evidence": ["panel-2023"],
                "fiche_cells": [
                    {"measure": "m1", "domain": "economy", "group": "travellers", "version": 2}
                ],
            },
            {
                "option": "test-duty",
                "domain": "mental-health",
                "group": "young-people",
                "effect": "small_negative",
                "certainty": "moderate",
            },
        ],
        "weights": {"domains": {"mental-health": 2, "education": 1, "economy": 1}},
        "constraints": [{"level": "domain", "more": "mental-health", "less": "economy"}],
        "history": [
            {
                "label": "Pakket december 2020",
                "date": "2020-12-14",
                "burden": {"young-people": -1.5},
            },
        ],
        "parameters": {
            "certainty_spread": {"moderate": 0.5},
            "distribution": "triangular",
            "lens_domains": {"equal_opportunities": ["education"]},
        },
    }
