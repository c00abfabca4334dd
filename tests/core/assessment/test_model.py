"""The assessment file: JSON Schema, semantic checks, error paths, files, fuzzing."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paraat_core.assessment import AssessmentError, check, load, load_file, loads, schema
from paraat_core.assessment.model import json_path

from ._docs import full_doc, grid_doc

ROOT = Path(__file__).resolve().parents[3]


def problems(doc: Any) -> dict[str, str]:
    """``{path: code}`` of every problem (load must raise)."""
    with pytest.raises(AssessmentError) as info:
        load(doc)
    return {p.path: p.code for p in info.value.problems}


# --------------------------------------------------------------------------- schema file


def test_schema_copies_are_identical_and_valid() -> None:
    packaged = ROOT / "src/paraat_core/assessment/assessment-v1.schema.json"
    documented = ROOT / "docs/schema/assessment-v1.schema.json"
    assert packaged.read_bytes() == documented.read_bytes()
    import jsonschema

    jsonschema.Draft202012Validator.check_schema(schema())
    assert schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_json_path_format() -> None:
    assert json_path(["judgements", 3, "effect"]) == "judgements[3].effect"
    assert json_path([]) == ""
    assert json_path(["options", 0, "rights", "tests", "necessity"]) == (
        "options[0].rights.tests.necessity"
    )


# --------------------------------------------------------------------------- valid documents


def test_full_document_loads_with_every_part() -> None:
    a = load(full_doc())
    assert a.id == "full-example" and a.synthetic
    assert [o.id for o in a.options] == ["zero", "masks", "test-duty"]
    masks = a.option("masks")
    assert masks.effectiveness is not None and masks.effectiveness.confidential
    assert masks.rights.tests["legitimate_aim"].answer == "yes"
    assert masks.rights.touched[0].right == "evrm-8"
    j = a.judgements[4]
    assert j.reach_people == 40_000 and j.fiche_cells[0].version == 2
    assert a.domain_weights == {"mental-health": 2.0, "education": 1.0, "economy": 1.0}
    assert a.group_weights is None
    assert a.parameters.certainty_spread["moderate"] == 0.5
    assert a.parameters.certainty_spread["very_low"] == 1.5  # default kept
    assert a.parameters.lens_domains["equal_opportunities"] == ("education",)
    assert a.history[0].burden == {"young-people": -1.5}
    assert a.document["id"] == "full-example"


def test_minimal_document_and_defaults() -> None:
    a = load(grid_doc([[[0]], [[-1]]]))
    assert a.parameters.distribution == "triangular"
    assert a.constraints == () and a.history == ()
    assert a.judgements[1].effect == "small_negative"


# --------------------------------------------------------------------------- schema errors


def test_schema_errors_name_paths_and_list_all() -> None:
    doc = full_doc()
    doc["judgements"][3]["effect"] = "huge"
    doc["judgements"][1]["reach"] = {"share": 1.5}
    doc["options"][1]["effectiveness"]["outcome"] = "vibes"
    doc["options"][0]["colour"] = "red"
    del doc["question"]
    doc["groups"][0]["size"] = -5
    doc["domains"][0]["key"] = "Mental Health"
    doc["date"] = "5-1-2023"
    found = problems(doc)
    assert found == {
        "judgements[3].effect": "enum",
        "judgements[1].reach.share": "maximum",
        "options[1].effectiveness.outcome": "enum",
        "options[0].colour": "unknown_field",
        "question": "required",
        "groups[0].size": "minimum",
        "domains[0].key": "slug",
        "date": "date",
    }


def test_error_messages_are_data_and_do_not_echo_values() -> None:
    doc = full_doc()
    doc["options"][1]["effectiveness"]["estimate"] = "secret-figure-123"
    with pytest.raises(AssessmentError) as info:
        load(doc)
    (p,) = info.value.problems
    assert p.path == "options[1].effectiveness.estimate"
    assert p.code == "type"
    assert p.params == {"expected": ["number", "null"]}
    assert "secret-figure-123" not in str(info.value)
    assert info.value.as_dict()["problems"][0]["path"] == p.path


def test_enum_error_lists_allowed_values() -> None:
    doc = grid_doc([[[0]], [[1]]])
    doc["judgements"][0]["certainty"] = "sure"
    with pytest.raises(AssessmentError) as info:
        load(doc)
    (p,) = info.value.problems
    assert p.path == "judgements[0].certainty" and p.code == "enum"
    assert "very_low" in p.message and p.params["allowed"][-1] == ""


def test_reach_must_be_share_or_people() -> None:
    doc = grid_doc([[[0]], [[1]]])
    doc["judgements"][0]["reach"] = {"share": 0.5, "people": 10}
    assert problems(doc) == {"judgements[0].reach": "reach"}


@pytest.mark.parametrize(
    "document", [None, [], "text", 3, {"schema": "paraat-assessment/2"}], ids=repr
)
def test_not_an_assessment(document: Any) -> None:
    with pytest.raises(AssessmentError) as info:
        load(document)
    assert info.value.problems


def test_non_finite_numbers_are_refused() -> None:
    doc = full_doc()
    doc["weights"]["domains"]["education"] = float("nan")
    assert problems(doc) == {"weights.domains.education": "not_finite"}


# --------------------------------------------------------------------------- semantic errors


def test_semantic_errors_all_reported_with_paths() -> None:
    doc = full_doc()
    doc["options"][0]["zero"] = False
    doc["domains"].append({"key": "education", "name": "Dubbel"})
    doc["judgements"][0]["group"] = "pensioners"
    doc["judgements"][1]["evidence"] = ["scp-2022", "nope"]
    doc["judgements"][2]["low"] = "small_positive"  # effect small_negative
    doc["judgements"][3]["high"] = "none"  # effect unknown
    doc["judgements"].append(copy.deepcopy(doc["judgements"][5]))
    doc["weights"] = {"domains": {"mental-health": 0, "economy": 0, "health": 1}}
    doc["constraints"] = [
        {"level": "domain", "more": "economy", "less": "education"},
        {"level": "domain", "more": "education", "less": "economy"},
        {"level": "group", "more": "travellers", "less": "nobody"},
    ]
    doc["beleidskompas"]["preferred_option"] = "ghost"
    doc["options"][1]["rights"]["touched"].append({"right": "gw-99"})
    doc["options"][1]["effectiveness"]["estimate"] = -0.5  # below low
    doc["history"][0]["burden"]["elderly"] = -1
    doc["parameters"]["lens_domains"]["equal_opportunities"] = ["work"]
    found = problems(doc)
    assert found == {
        "options": "zero_option",
        "domains[3].key": "duplicate",
        "judgements[0].group": "unknown_group",
        "judgements[1].evidence[1]": "unknown_evidence",
        "judgements[2].low": "range",
        "judgements[3].high": "range_unknown",
        "judgements[6]": "duplicate_cell",
        "weights.domains.health": "unknown_key",
        "weights.domains": "weights_zero",  # the known keys weigh 0 in total
        "constraints": "constraint_cycle",
        "constraints[2].less": "unknown_key",
        "beleidskompas.preferred_option": "unknown_option",
        "options[1].rights.touched[1].right": "unknown_right",
        "options[1].effectiveness.estimate": "range",
        "history[0].burden.elderly": "unknown_group",
        "parameters.lens_domains.equal_opportunities[0]": "unknown_domain",
    }


def test_weights_need_a_positive_sum() -> None:
    doc = full_doc()
    doc["weights"] = {"groups": {"young-people": 0, "travellers": 0}}
    assert problems(doc) == {"weights.groups": "weights_zero"}


def test_reach_people_needs_group_size() -> None:
    doc = full_doc()
    del doc["groups"][1]["size"]
    assert problems(doc) == {"judgements[4].reach.people": "reach_needs_size"}


def test_cycle_message_names_the_keys() -> None:
    doc = full_doc()
    doc["constraints"] = [
        {"level": "group", "more": "travellers", "less": "young-people"},
        {"level": "group", "more": "young-people", "less": "travellers"},
    ]
    with pytest.raises(AssessmentError) as info:
        load(doc)
    (p,) = info.value.problems
    assert p.params["cycle"] in (
        ["travellers", "young-people", "travellers"],
        ["young-people", "travellers", "young-people"],
    )


def test_impossible_dates() -> None:
    doc = full_doc()
    doc["date"] = "2023-02-30"
    assert problems(doc) == {"date": "date"}


# --------------------------------------------------------------------------- files


def test_load_file_ok(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text(json.dumps(full_doc()), encoding="utf-8")
    assert load_file(path).id == "full-example"


def test_json_syntax_error_names_file_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{\n  "schema": "paraat-assessment/1",\n  "id": oops\n}\n', encoding="utf-8")
    with pytest.raises(AssessmentError) as info:
        load_file(path)
    (p,) = info.value.problems
    assert p.code == "json_syntax"
    assert p.params["line"] == 3 and p.params["column"] == 9
    assert str(path) in str(info.value) and "line 3, column 9" in str(info.value)
    assert info.value.file == str(path)


def test_schema_errors_in_a_file_name_the_file(tmp_path: Path) -> None:
    doc = full_doc()
    doc["judgements"][0]["effect"] = "meh"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(AssessmentError) as info:
        load_file(path)
    assert info.value.file == str(path)
    assert str(info.value).startswith(f"{path}: 1 problem")
    assert "judgements[0].effect" in str(info.value)


def test_unreadable_and_non_utf8_files(tmp_path: Path) -> None:
    with pytest.raises(AssessmentError) as info:
        load_file(tmp_path / "missing.json")
    assert info.value.problems[0].code == "unreadable"
    latin = tmp_path / "latin.json"
    latin.write_bytes('{"title": "café"}'.encode("latin-1"))
    with pytest.raises(AssessmentError) as info:
        load_file(latin)
    assert info.value.problems[0].code == "encoding"


def test_loads_nan_literal_is_reported_with_path() -> None:
    text = json.dumps(full_doc()).replace('"estimate": -0.02', '"estimate": NaN')
    with pytest.raises(AssessmentError) as info:
        loads(text)
    assert info.value.problems[0].path == "options[2].effectiveness.estimate"


def test_china_example_loads_when_present() -> None:
    path = ROOT / "examples/assessments/china-travel-2023.json"
    if not path.exists():
        pytest.skip("examples/assessments/china-travel-2023.json is not written yet")
    a = load_file(path)
    assert any(o.zero for o in a.options)


# --------------------------------------------------------------------------- fuzzing

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**20), 10**20)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)
KEYS = [
    "schema", "id", "domains", "groups", "options", "judgements", "weights", "constraints",
    "effect", "low", "high", "reach", "share", "people", "option", "domain", "group", "zero",
    "history", "burden", "parameters", "evidence", "rights", "touched", "more", "less", "level",
]  # fmt: skip


def _paths(doc: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(doc, dict):
        for k, v in doc.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            out += _paths(v, (*prefix, i))
    return out


def _set(doc: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    target = doc
    for p in path[:-1]:
        target = target[p]
    target[path[-1]] = value
    return doc


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(json_values)
def test_fuzz_random_json_only_raises_assessment_error(doc: Any) -> None:
    try:
        load(doc)
    except AssessmentError as exc:
        assert exc.problems
        assert all(isinstance(p.path, str) and p.message for p in exc.problems)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_fuzz_mutated_documents_only_raise_assessment_error(data: st.DataObject) -> None:
    doc = full_doc()
    for _ in range(data.draw(st.integers(1, 4))):
        paths = _paths(doc)
        path = data.draw(st.sampled_from(paths))
        action = data.draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "replace":
            doc = _set(doc, path, data.draw(json_values))
        elif action == "delete" and path:
            parent = doc
            for p in path[:-1]:
                parent = parent[p]
            del parent[path[-1]]
        else:
            target = doc
            for p in path:
                target = target[p]
            if isinstance(target, dict):
                target[data.draw(st.sampled_from(KEYS))] = data.draw(json_values)
            elif isinstance(target, list):
                target.append(data.draw(json_values))
        if not isinstance(doc, dict):
            break
    try:
        a = load(doc)
    except AssessmentError as exc:
        assert exc.problems
        assert check(doc) == list(exc.problems)
    else:
        assert a.options
