"""Services of the assessment framework: validation names the field, the zero option always
exists, status history is append-only, imports are all-or-nothing."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from paraat.accounts import roles
from paraat.accounts.models import Confidentiality
from paraat.accounts.services import roles_sync
from paraat.accounts.tests.factories import UserFactory
from paraat.assessments import selectors, services
from paraat.assessments.models import (
    Assessment,
    AssessmentStatus,
    AssessmentStatusChange,
    Effectiveness,
    FundamentalRight,
    Judgement,
    Option,
    RightsAnswer,
    RightsQuestion,
    RightTouched,
)
from paraat.assessments.tests.factories import (
    AssessmentFactory,
    observation_make,
    option_make,
    rights_fixture,
)
from paraat.evidence.models import EvidenceItem
from paraat.evidence.tests.factories import EvidenceItemFactory
from paraat.indicators.tests.factories import IndicatorFactory
from paraat.measures.tests.factories import MeasureFactory, PackageFactory
from paraat.taxonomies.tests.factories import DomainFactory, PopulationGroupFactory

pytestmark = pytest.mark.django_db


def fields_of(exc: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    return set(exc.value.message_dict)


def _observe(indicator, value: float, month: int = 1) -> None:
    observation_make(indicator, value, month=month, period_end=dt.date(2023, month, 28))


# --- base data --------------------------------------------------------------------------------


def test_rights_seed_adds_missing_rows_once_and_keeps_edits(tmp_path: Path) -> None:
    assert rights_fixture(tmp_path) == 2 + 14
    right = FundamentalRight.objects.get(key="evrm-8")
    right.title_nl = "Bewerkt"
    right.save()
    assert rights_fixture(tmp_path) == 0
    assert FundamentalRight.objects.get(key="evrm-8").title_nl == "Bewerkt"
    assert RightsQuestion.objects.filter(kind="test").count() == 7
    assert RightsQuestion.objects.filter(kind="checklist").count() == 7


def test_rights_seed_reads_the_shipped_data_files() -> None:
    if not services.RIGHTS_FILE.exists():
        pytest.skip("data/rights.json not written yet")
    added = services.rights_seed()
    assert added > 0
    assert FundamentalRight.objects.filter(key="evrm-8").exists()
    assert {q.key for q in RightsQuestion.objects.filter(kind="test")} >= {
        "legitimate_aim",
        "proportionality",
        "time_limit",
    }
    assert services.rights_seed() == 0


# --- assessments ------------------------------------------------------------------------------


def test_create_makes_the_zero_option_and_a_draft_status() -> None:
    user = UserFactory()
    domain = DomainFactory(key="education")
    group = PopulationGroupFactory(key="pupils")
    assessment = services.assessment_create(
        actor=user,
        key="scholen-2023",
        title="Scholen",
        question="Scholen sluiten?",
        assessed_on=dt.date(2023, 1, 1),
        domain_keys=["education"],
        group_keys=["pupils"],
    )
    zero = assessment.options.get()
    assert zero.is_zero and zero.key == "zero"
    assert selectors.assessment_status(assessment=assessment) == AssessmentStatus.DRAFT
    assert assessment.created_by == user
    assert assessment.confidentiality == Confidentiality.INTERNAL
    assert [d.domain for d in assessment.domains.all()] == [domain]
    assert [g.group for g in assessment.groups.all()] == [group]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"key": "Niet Goed"}, "key"),
        ({"title": "  "}, "title"),
        ({"question": ""}, "question"),
        ({"scenario_level": "apocalyps"}, "scenario_level"),
        ({"confidentiality": "geheim"}, "confidentiality"),
        ({"domain_keys": ["bestaat-niet"]}, "domain_keys"),
        ({"group_keys": ["bestaat-niet"]}, "group_keys"),
    ],
)
def test_create_names_the_bad_field(overrides: dict, field: str) -> None:
    data = {
        "actor": None,
        "key": "afweging",
        "title": "Titel",
        "question": "Vraag?",
        "assessed_on": dt.date(2023, 1, 1),
    }
    with pytest.raises(ValidationError) as exc:
        services.assessment_create(**(data | overrides))
    assert field in fields_of(exc)
    assert not Assessment.objects.exists()  # nothing half-made


def test_create_refuses_a_duplicate_key() -> None:
    AssessmentFactory(key="dubbel")
    with pytest.raises(ValidationError) as exc:
        AssessmentFactory(key="dubbel")
    assert fields_of(exc) == {"key"}


def test_status_history_is_appended_never_overwritten() -> None:
    assessment = AssessmentFactory()
    services.assessment_status_set(
        actor=None, assessment=assessment, status=AssessmentStatus.IN_REVIEW, note="ter review"
    )
    services.assessment_status_set(actor=None, assessment=assessment, status=AssessmentStatus.FINAL)
    history = list(
        AssessmentStatusChange.objects.filter(assessment=assessment).order_by("created_at", "id")
    )
    assert [c.status for c in history] == ["draft", "in_review", "final"]
    assert history[1].note == "ter review"
    assert selectors.assessment_status(assessment=assessment) == "final"
    with pytest.raises(ValidationError) as exc:
        services.assessment_status_set(actor=None, assessment=assessment, status="klaar")
    assert fields_of(exc) == {"status"}


def test_update_validates_weights_and_constraints_by_key() -> None:
    assessment = AssessmentFactory()
    services.assessment_update(
        actor=None,
        assessment=assessment,
        weights={"domains": {"mental-health": 2, "economy": 1}},
        constraints=[{"level": "domain", "more": "mental-health", "less": "economy"}],
        problem=" Probleem ",
    )
    assessment.refresh_from_db()
    assert assessment.weights == {"domains": {"mental-health": 2, "economy": 1}}
    assert assessment.problem == "Probleem"
    bad = [
        ({"weights": {"domains": {"onderwijs": 1}}}, "weights.domains.onderwijs"),
        ({"weights": {"domains": {"economy": -1}}}, "weights.domains.economy"),
        ({"weights": {"domains": {"economy": 0}}}, "weights.domains"),
        ({"weights": {"sectors": {}}}, "weights"),
        (
            {"constraints": [{"level": "group", "more": "economy", "less": "x"}]},
            "constraints[0].more",
        ),
        (
            {"constraints": [{"level": "domain", "more": "economy", "less": "economy"}]},
            "constraints[0]",
        ),
        ({"constraints": [{"level": "domain"}]}, "constraints[0]"),
        ({"preferred_option_key": "geen"}, "preferred_option_key"),
        ({"samples": 5}, "samples"),
        ({"onbekend": 1}, "onbekend"),
    ]
    for fields, path in bad:
        with pytest.raises(ValidationError) as exc:
            services.assessment_update(actor=None, assessment=assessment, **fields)
        assert path in fields_of(exc), fields
    assessment.refresh_from_db()
    assert assessment.weights == {"domains": {"mental-health": 2, "economy": 1}}


def test_preferred_option_is_set_by_key() -> None:
    assessment = AssessmentFactory()
    option = option_make(assessment, key="masks")
    services.assessment_update(actor=None, assessment=assessment, preferred_option_key="masks")
    assessment.refresh_from_db()
    assert assessment.preferred_option == option


def test_domains_with_judgements_cannot_be_removed_and_weights_follow() -> None:
    assessment = AssessmentFactory()
    services.assessment_update(
        actor=None, assessment=assessment, weights={"domains": {"economy": 1, "mental-health": 1}}
    )
    zero = assessment.options.get(is_zero=True)
    services.judgement_set(
        actor=None, option=zero, domain_key="economy", group_key="travellers", effect="none"
    )
    with pytest.raises(ValidationError) as exc:
        services.assessment_domains_set(
            actor=None, assessment=assessment, domain_keys=["mental-health"]
        )
    assert "economy" in exc.value.message_dict["domain_keys"][0]
    services.judgement_clear(actor=None, option=zero, domain_key="economy", group_key="travellers")
    DomainFactory(key="education")
    services.assessment_domains_set(
        actor=None, assessment=assessment, domain_keys=["education", "mental-health"]
    )
    assessment.refresh_from_db()
    assert [row.domain.key for row in assessment.domains.all()] == ["education", "mental-health"]
    assert assessment.weights == {"domains": {"mental-health": 1}}


def test_group_size_entered_or_taken_from_an_indicator() -> None:
    assessment = AssessmentFactory()
    row = services.assessment_group_size_set(
        actor=None,
        assessment=assessment,
        group_key="travellers",
        size=12000,
        size_source="schatting (synthetisch)",
    )
    assert (row.size, row.size_source) == (12000, "schatting (synthetisch)")
    indicator = IndicatorFactory(key="jongeren-aantal", unit="personen", source="CBS")
    _observe(indicator, 2_000_000, month=1)
    _observe(indicator, 2_100_000.4, month=2)
    row = services.assessment_group_size_set(
        actor=None,
        assessment=assessment,
        group_key="young-people",
        size_indicator_key=indicator.key,
    )
    assert row.size == 2_100_000
    assert row.size_as_of == dt.date(2023, 2, 28)
    assert "CBS" in row.size_source
    assert row.size_indicator == indicator
    for kwargs, field in (
        ({"group_key": "onbekend", "size": 1}, "group_key"),
        ({"group_key": "travellers", "size": -5}, "size"),
        ({"group_key": "travellers", "size_indicator_key": "nee"}, "size_indicator_key"),
    ):
        with pytest.raises(ValidationError) as exc:
            services.assessment_group_size_set(actor=None, assessment=assessment, **kwargs)
        assert fields_of(exc) == {field}


def test_internal_indicator_is_unknown_to_a_reader_without_a_role() -> None:
    assessment = AssessmentFactory()
    indicator = IndicatorFactory(key="geheim", confidentiality=Confidentiality.CONFIDENTIAL)
    _observe(indicator, 100)
    with pytest.raises(ValidationError) as exc:
        services.assessment_group_size_set(
            actor=UserFactory(),
            assessment=assessment,
            group_key="travellers",
            size_indicator_key="geheim",
        )
    assert fields_of(exc) == {"size_indicator_key"}


# --- options ----------------------------------------------------------------------------------


def test_the_zero_option_cannot_be_deleted_other_options_can() -> None:
    assessment = AssessmentFactory()
    zero = assessment.options.get(is_zero=True)
    with pytest.raises(ValidationError) as exc:
        services.option_delete(actor=None, option=zero)
    assert fields_of(exc) == {"option"}
    other = option_make(assessment)
    services.option_delete(actor=None, option=other)
    assert list(assessment.options.all()) == [zero]


def test_option_create_takes_catalog_keys_and_makes_unique_keys() -> None:
    assessment = AssessmentFactory()
    package = PackageFactory(key="pakket-china")
    measure = MeasureFactory(key="mondkapje-vlucht")
    one = option_make(
        assessment, name="Mondkapjes", package_key="pakket-china", measure_keys=["mondkapje-vlucht"]
    )
    two = option_make(assessment, name="Mondkapjes")
    assert (one.key, two.key) == ("mondkapjes", "mondkapjes-2")
    assert one.package == package and list(one.measures.all()) == [measure]
    assert two.position > one.position > 0
    for kwargs, field in (
        ({"name": ""}, "name"),
        ({"name": "x", "package_key": "nee"}, "package_key"),
        ({"name": "x", "measure_keys": ["nee"]}, "measure_keys"),
        ({"name": "x", "key": "mondkapjes"}, "key"),
    ):
        with pytest.raises(ValidationError) as exc:
            services.option_create(actor=None, assessment=assessment, **kwargs)
        assert fields_of(exc) == {field}


def test_option_update_validates_shares_and_fills_support_from_an_indicator() -> None:
    assessment = AssessmentFactory()
    option = option_make(assessment)
    services.option_update(
        actor=None, option=option, support=0.6, support_low=0.5, support_high=0.7, advice="for"
    )
    for fields, field in (
        ({"support": 1.5}, "support"),
        ({"compliance": -0.1}, "compliance"),
        ({"support": 0.9}, "support"),  # outside 0.5–0.7
        ({"advice": "misschien"}, "advice"),
        ({"kleur": "rood"}, "kleur"),
    ):
        with pytest.raises(ValidationError) as exc:
            services.option_update(actor=None, option=option, **fields)
        assert fields_of(exc) == {field}
    indicator = IndicatorFactory(key="draagvlak-maatregelen", unit="%", source="Gedragsunit")
    _observe(indicator, 62.0)
    services.option_update(
        actor=None,
        option=option,
        support_indicator_key=indicator.key,
        support_low=None,
        support_high=None,
    )
    option.refresh_from_db()
    assert option.support == pytest.approx(0.62)
    assert option.support_indicator == indicator
    assert "Gedragsunit" in option.acceptability_source


def test_effectiveness_is_recorded_with_a_source_and_a_consistent_range() -> None:
    option = option_make(AssessmentFactory())
    effectiveness = services.effectiveness_set(
        actor=None,
        option=option,
        outcome="transmission",
        source="OMT-advies (synthetisch)",
        estimate=-0.02,
        low=-0.05,
        high=0.0,
        confidentiality=Confidentiality.CONFIDENTIAL,
    )
    assert effectiveness.confidentiality == "confidential"
    for kwargs, field in (
        ({"outcome": "vreugde", "source": "x"}, "outcome"),
        ({"outcome": "deaths", "source": ""}, "source"),
        ({"outcome": "deaths", "source": "x", "low": 1, "high": 0}, "low"),
        ({"outcome": "deaths", "source": "x", "estimate": 2, "high": 1}, "estimate"),
    ):
        with pytest.raises(ValidationError) as exc:
            services.effectiveness_set(actor=None, option=option, **kwargs)
        assert fields_of(exc) == {field}
    services.effectiveness_clear(actor=None, option=option)
    assert not Effectiveness.objects.exists()


def test_confidential_effectiveness_cannot_be_overwritten_by_who_may_not_see_it() -> None:
    roles_sync()
    analyst = UserFactory(roles=[roles.ANALYST])
    option = option_make(AssessmentFactory())
    services.effectiveness_set(
        actor=None,
        option=option,
        outcome="transmission",
        source="OMT (vertrouwelijk)",
        confidentiality=Confidentiality.CONFIDENTIAL,
    )
    with pytest.raises(ValidationError) as exc:
        services.effectiveness_set(actor=analyst, option=option, outcome="deaths", source="x")
    assert fields_of(exc) == {"effectiveness"}
    with pytest.raises(ValidationError):
        services.effectiveness_clear(actor=analyst, option=option)
    assert Effectiveness.objects.get().source == "OMT (vertrouwelijk)"


# --- judgements -------------------------------------------------------------------------------


def test_judgement_is_set_and_replaced_per_cell() -> None:
    assessment = AssessmentFactory()
    option = option_make(assessment)
    item = EvidenceItemFactory()
    judgement = services.judgement_set(
        actor=None,
        option=option,
        domain_key="mental-health",
        group_key="young-people",
        effect="small_negative",
        low="moderate_negative",
        high="none",
        reach_share=0.4,
        certainty="low",
        evidence_refs=[item.ref],
        rationale="Minder contact",
    )
    assert list(judgement.evidence.all()) == [item]
    services.judgement_set(
        actor=None,
        option=option,
        domain_key="mental-health",
        group_key="young-people",
        effect="unknown",
    )
    judgement = Judgement.objects.get()
    assert judgement.effect == "unknown" and judgement.low == "" and judgement.reach_share is None
    assert not judgement.evidence.exists()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"effect": "small_negative", "low": "none"}, "low"),
        ({"effect": "small_negative", "high": "large_negative"}, "high"),
        ({"effect": "unknown", "low": "large_negative"}, "low"),
        ({"effect": "groot"}, "effect"),
        ({"effect": "none", "reach_share": 1.2}, "reach_share"),
        ({"effect": "none", "reach_share": 0.2, "reach_people": 100}, "reach_share"),
        ({"effect": "none", "reach_people": -1}, "reach_people"),
        ({"effect": "none", "certainty": "zeker"}, "certainty"),
        ({"effect": "none", "duration": "eeuwig"}, "duration"),
        ({"effect": "none", "evidence_refs": ["bestaat-niet"]}, "evidence"),
        ({"effect": "none", "fiche_cell_ids": [999999]}, "fiche_cells"),
        ({"effect": "none", "domain_key": "education"}, "domain"),
        ({"effect": "none", "group_key": "elderly"}, "group"),
    ],
)
def test_judgement_validation_names_the_field(kwargs: dict, field: str) -> None:
    assessment = AssessmentFactory()
    DomainFactory(key="education")
    PopulationGroupFactory(key="elderly")
    data = {"domain_key": "mental-health", "group_key": "young-people"} | kwargs
    with pytest.raises(ValidationError) as exc:
        services.judgement_set(actor=None, option=assessment.options.get(), **data)
    assert fields_of(exc) == {field}
    assert not Judgement.objects.exists()


def test_evidence_the_actor_may_not_see_cannot_be_cited() -> None:
    roles_sync()
    analyst = UserFactory(roles=[roles.ANALYST])
    secret = EvidenceItemFactory(confidentiality=Confidentiality.CONFIDENTIAL)
    assessment = AssessmentFactory()
    with pytest.raises(ValidationError) as exc:
        services.judgement_set(
            actor=analyst,
            option=assessment.options.get(),
            domain_key="economy",
            group_key="travellers",
            effect="none",
            evidence_refs=[secret.ref],
        )
    assert secret.ref in exc.value.message_dict["evidence"][0]


def test_rights_answers_and_touched_rights(tmp_path: Path) -> None:
    rights_fixture(tmp_path)
    option = option_make(AssessmentFactory())
    services.rights_answer_set(
        actor=None, option=option, kind="test", question_key="necessity", answer="partly", note="n"
    )
    services.rights_answer_set(
        actor=None, option=option, kind="checklist", question_key="at_stake", answer="yes"
    )
    assert RightsAnswer.objects.filter(option=option).count() == 2
    services.rights_answer_set(
        actor=None, option=option, kind="test", question_key="necessity", answer=""
    )
    assert RightsAnswer.objects.filter(option=option).count() == 1
    for kwargs, field in (
        ({"kind": "toets", "question_key": "necessity", "answer": "yes"}, "kind"),
        ({"kind": "test", "question_key": "nee", "answer": "yes"}, "question_key"),
        ({"kind": "test", "question_key": "necessity", "answer": "soms"}, "answer"),
    ):
        with pytest.raises(ValidationError) as exc:
            services.rights_answer_set(actor=None, option=option, **kwargs)
        assert fields_of(exc) == {field}
    services.right_touched_add(actor=None, option=option, right_key="evrm-8", note="privacy")
    services.right_touched_add(actor=None, option=option, right_key="evrm-8", note="privacy 2")
    assert RightTouched.objects.get().note == "privacy 2"
    with pytest.raises(ValidationError) as exc:
        services.right_touched_add(actor=None, option=option, right_key="evrm-99")
    assert fields_of(exc) == {"right_key"}
    services.right_touched_remove(actor=None, option=option, right_key="evrm-8")
    assert not RightTouched.objects.exists()


def test_history_entries_validate_groups_and_burdens() -> None:
    assessment = AssessmentFactory()
    entry = services.history_entry_add(
        actor=None,
        assessment=assessment,
        label="Pakket december 2020",
        date=dt.date(2020, 12, 14),
        burden={"young-people": -1.5},
    )
    assert entry.burden == {"young-people": -1.5}
    for burden, field in (
        ({"elderly": -1}, "burden.elderly"),
        ({"young-people": 2}, "burden.young-people"),
    ):
        with pytest.raises(ValidationError) as exc:
            services.history_entry_add(actor=None, assessment=assessment, label="x", burden=burden)
        assert fields_of(exc) == {field}


# --- import -----------------------------------------------------------------------------------


def _document() -> dict:
    return {
        "schema": "paraat-assessment/1",
        "id": "import-test",
        "title": "Importtest (synthetisch)",
        "question": "Welke optie?",
        "date": "2023-01-05",
        "synthetic": True,
        "beleidskompas": {"problem": "P", "preferred_option": "masks"},
        "domains": [
            {"key": "mental-health", "name": "Mentale gezondheid"},
            {"key": "economy", "name": "Economie"},
        ],
        "groups": [
            {"key": "young-people", "name": "Jongeren", "vulnerable": True, "size": 2000000},
            {"key": "travellers", "name": "Reizigers"},
        ],
        "rights_catalogue": [
            {
                "key": "evrm-8",
                "instrument": "echr",
                "article": "8",
                "title": "Recht op eerbiediging van privé-, familie- en gezinsleven",
            }
        ],
        "evidence": [{"ref": "bron-1", "title": "Bron 1", "certainty": "low"}],
        "options": [
            {"id": "zero", "name": "Niets doen", "zero": True},
            {
                "id": "masks",
                "name": "Mondkapjes",
                "effectiveness": {
                    "outcome": "transmission",
                    "estimate": -0.01,
                    "source": "OMT (synthetisch)",
                    "confidential": True,
                },
                "acceptability": {"support": 0.6},
                "rights": {
                    "tests": {"necessity": {"answer": "partly", "note": "minder ingrijpend?"}},
                    "touched": [{"right": "evrm-8"}],
                },
                "etd": {"advice": "conditional_for"},
            },
        ],
        "judgements": [
            {
                "option": "masks",
                "domain": "mental-health",
                "group": "young-people",
                "effect": "small_negative",
                "reach": {"share": 0.1},
                "certainty": "low",
                "evidence": ["bron-1"],
            },
            {"option": "zero", "domain": "economy", "group": "travellers", "effect": "unknown"},
        ],
        "weights": {"domains": {"mental-health": 2, "economy": 1}},
        "constraints": [{"level": "domain", "more": "mental-health", "less": "economy"}],
        "history": [
            {"label": "Eerder pakket", "date": "2020-12-14", "burden": {"young-people": -1}}
        ],
    }


@pytest.fixture
def base(tmp_path: Path) -> None:
    rights_fixture(tmp_path)
    DomainFactory(key="mental-health", name_nl="Mentale gezondheid")
    DomainFactory(key="economy", name_nl="Economie")
    PopulationGroupFactory(key="young-people", name_nl="Jongeren")
    PopulationGroupFactory(key="travellers", name_nl="Reizigers")


def test_import_builds_the_assessment_and_the_document_round_trips(base: None) -> None:
    EvidenceItemFactory(ref="bron-1", title="Bron 1")
    document = _document()
    assessment = services.assessment_import(actor=None, document=copy.deepcopy(document))
    assert assessment.key == "import-test" and assessment.is_synthetic
    masks = assessment.options.get(key="masks")
    assert assessment.preferred_option == masks
    assert masks.effectiveness.confidentiality == Confidentiality.CONFIDENTIAL
    assert masks.support == 0.6 and masks.advice == "conditional_for"
    assert assessment.history.get().burden == {"young-people": -1}
    assert selectors.assessment_status(assessment=assessment) == "draft"
    out = selectors.assessment_document(assessment=assessment, include_confidential=True)
    for key in (
        "id",
        "title",
        "question",
        "date",
        "weights",
        "constraints",
        "history",
    ):
        assert out[key] == document[key], key
    order = lambda j: (j["option"], j["domain"], j["group"])  # noqa: E731
    assert sorted(out["judgements"], key=order) == sorted(document["judgements"], key=order)
    assert out["options"][1]["effectiveness"]["confidential"] is True
    assert out["options"][1]["rights"]["tests"] == document["options"][1]["rights"]["tests"]
    assert out["rights_catalogue"][0]["key"] == "evrm-8"
    assert out["groups"][0]["size"] == 2000000


def test_import_reports_every_unknown_key_by_json_path_and_writes_nothing(base: None) -> None:
    document = _document()
    document["domains"][1]["key"] = "onbekend-domein"
    document["options"][1]["measures"] = ["geen-maatregel"]
    document["options"][1]["rights"]["touched"][0]["right"] = "evrm-99"
    document["rights_catalogue"][0]["key"] = "evrm-99"  # in the file, not in paraat
    document["weights"] = {"domains": {"mental-health": 1, "onbekend-domein": 1}}
    document["constraints"] = []
    document["judgements"][1]["domain"] = "onbekend-domein"
    with pytest.raises(ValidationError) as exc:
        services.assessment_import(actor=None, document=document)
    errors = exc.value.message_dict
    assert "domains[1].key" in errors
    assert "options[1].measures[0]" in errors
    assert "options[1].rights.touched[0].right" in errors
    assert "evidence[0].ref" in errors  # bron-1 is not in the library
    assert not Assessment.objects.exists()
    assert not Option.objects.exists()
    assert not EvidenceItem.objects.exists()


def test_import_rejects_a_file_that_does_not_load_naming_the_path(base: None) -> None:
    document = _document()
    document["judgements"][0]["effect"] = "enorm"
    with pytest.raises(ValidationError) as exc:
        services.assessment_import(actor=None, document=document)
    assert any(path.startswith("judgements[0]") for path in exc.value.message_dict)
    with pytest.raises(ValidationError):
        services.assessment_import(actor=None, document=["geen", "object"])
    assert not Assessment.objects.exists()


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda d: d.__setitem__("title", "a\x00b"), "title"),
        (lambda d: d["options"][1].__setitem__("title", "\x00"), "options[1].title"),
        (lambda d: d["judgements"][0].__setitem__("note", "x\x00"), "judgements[0].note"),
        (
            lambda d: d.__setitem__("weights", {"domains": {"mental\x00": 1}}),
            "weights.domains (key)",
        ),
    ],
)
def test_import_refuses_a_nul_character_naming_the_path(base: None, change, path: str) -> None:  # type: ignore[no-untyped-def]
    # PostgreSQL cannot store NUL in text or jsonb: a 400 by path, never a DataError (a 500)
    document = _document()
    change(document)
    with pytest.raises(ValidationError) as exc:
        services.assessment_import(actor=None, document=document)
    assert list(exc.value.message_dict) == [path]
    assert "NUL" in exc.value.message_dict[path][0]
    assert not Assessment.objects.exists()


def test_import_can_add_missing_evidence_and_refuses_a_taken_key(base: None) -> None:
    services.assessment_import(actor=None, document=_document(), create_missing_evidence=True)
    item = EvidenceItem.objects.get(ref="bron-1")
    assert item.certainty == "low"
    with pytest.raises(ValidationError) as exc:
        services.assessment_import(actor=None, document=_document())
    assert "id" in exc.value.message_dict


def test_import_file_names_line_and_column_of_bad_json(tmp_path: Path) -> None:
    path = tmp_path / "kapot.json"
    path.write_text('{"schema": "paraat-assessment/1",\n  "id": }', encoding="utf-8")
    with pytest.raises(ValidationError) as exc:
        services.assessment_import_file(actor=None, path=path)
    message = exc.value.message_dict["file"][0]
    assert "kapot.json" in message and "regel 2" in message


# --- analysis ---------------------------------------------------------------------------------


def test_analyse_appends_numbered_versions_with_the_seed(base: None) -> None:
    EvidenceItemFactory(ref="bron-1", title="Bron 1")
    assessment = services.assessment_import(actor=None, document=_document())
    steps: list[float] = []
    one = services.assessment_analyse(
        actor=None,
        assessment=assessment,
        samples=300,
        seed=7,
        progress=lambda f, _m: steps.append(f),
    )
    two = services.assessment_analyse(actor=None, assessment=assessment, samples=300)
    assert (one.number, two.number) == (1, 2)
    assert one.seed == 7 and isinstance(two.seed, int)
    assert steps[-1] == 1.0 and steps == sorted(steps)
    assert one.result["schema"] == "paraat-assessment-result/1"
    assert {o["id"] for o in one.result["options"]} == {"zero", "masks"}
    assert one.document["id"] == "import-test"
    # the stored file holds the confidential effectiveness; the analysis is reproducible
    assert one.document["options"][1]["effectiveness"]["confidential"] is True
    again = services.assessment_analyse(actor=None, assessment=assessment, samples=300, seed=7)
    assert again.result["options"] == one.result["options"]
    with pytest.raises(ValidationError) as exc:
        services.assessment_analyse(actor=None, assessment=assessment, samples=10)
    assert fields_of(exc) == {"samples"}


def test_demo_imports_and_analyses_the_examples_once() -> None:
    from paraat.assessments.demo import DEMO_FILES, EXAMPLES_DIR, assessments_demo_load
    from paraat.evidence.demo import knowledge_load
    from paraat.measures.demo import nl_catalog_load
    from paraat.taxonomies.services import taxonomy_seed
    from paraat.web.demo import demo_users_create

    present = [name for name, _c in DEMO_FILES if (EXAMPLES_DIR / name).exists()]
    if not present:
        pytest.skip("example files not written yet")
    roles_sync()
    demo_users_create()
    taxonomy_seed()
    nl_catalog_load()  # the examples refer to catalog measures and fiche cells
    knowledge_load()
    summary = assessments_demo_load(samples=200)
    assert summary["assessments"] == summary["versions"] == len(present)
    assert summary["rights"] > 0
    for name in present:
        key = json.loads((EXAMPLES_DIR / name).read_text(encoding="utf-8"))["id"]
        assessment = Assessment.objects.get(key=key)
        version = assessment.versions.get()
        assert version.created_by.username == "analist" and version.created_by.is_fictional
        assert assessment.created_by.username == "cpo"
        assert len(version.result["options"]) == assessment.options.count()
        for option in version.result["options"]:
            assert sum(option["rank_acceptability"]) == pytest.approx(1.0)
    if "china-travel-2023.json" in present:
        china = Assessment.objects.get(key="china-travel-2023")
        assert china.confidentiality == Confidentiality.PUBLIC
    again = assessments_demo_load(samples=200)
    assert again == {"rights": 0, "assessments": 0, "versions": 0}


# --- review findings (regressions) ------------------------------------------------------------


@pytest.fixture
def analyst():
    roles_sync()
    return UserFactory(username="analist-review", roles=[roles.ANALYST])


def test_indicator_sources_are_stored_neutral_never_naming_a_hidden_indicator(analyst) -> None:
    assessment = AssessmentFactory()
    secret = IndicatorFactory(
        key="geheim-ind",
        name_nl="Geheime peiling X9",
        source="Geheim instituut",
        confidentiality=Confidentiality.INTERNAL,
    )
    _observe(secret, 5000)
    row = services.assessment_group_size_set(
        actor=None, assessment=assessment, group_key="travellers", size_indicator_key=secret.key
    )
    assert row.size == 5000 and row.size_indicator == secret
    assert "Geheime peiling" not in row.size_source and "Geheim instituut" not in row.size_source
    assert row.size_source == "Indicator uit het maatschappelijk beeld"
    option = option_make(assessment)
    _observe(secret, 62, month=2)
    option = services.option_update(actor=None, option=option, support_indicator_key=secret.key)
    assert "Geheime peiling" not in option.acceptability_source
    assert "Geheim instituut" not in option.acceptability_source
    # A public indicator's own source may be named.
    public = IndicatorFactory(key="open-ind", source="CBS StatLine")
    _observe(public, 7000)
    row = services.assessment_group_size_set(
        actor=None, assessment=assessment, group_key="travellers", size_indicator_key=public.key
    )
    assert row.size_source == "CBS StatLine"


def test_saving_an_option_keeps_measures_and_package_the_actor_may_not_see(analyst) -> None:
    assessment = AssessmentFactory()
    visible = MeasureFactory(key="zichtbaar", confidentiality=Confidentiality.PUBLIC)
    hidden = MeasureFactory(key="verborgen", confidentiality=Confidentiality.CONFIDENTIAL)
    package = PackageFactory(key="geheim-pakket", confidentiality=Confidentiality.CONFIDENTIAL)
    other = PackageFactory(key="open-pakket", confidentiality=Confidentiality.PUBLIC)
    option = option_make(
        assessment, measure_keys=["zichtbaar", "verborgen"], package_key="geheim-pakket"
    )
    option = services.option_update(
        actor=analyst, option=option, name="Nieuw", package_key=None, measure_keys=[]
    )
    option.refresh_from_db()
    assert option.package == package
    assert set(option.measures.all()) == {hidden}
    with pytest.raises(ValidationError) as exc:
        services.option_update(actor=analyst, option=option, package_key=other.key)
    assert fields_of(exc) == {"package_key"}
    option.refresh_from_db()
    assert option.package == package
    services.option_update(actor=analyst, option=option, measure_keys=[visible.key])
    assert set(option.measures.all()) == {hidden, visible}
    # The system (or who sees everything) can still change both.
    services.option_update(actor=None, option=option, package_key=other.key, measure_keys=[])
    option.refresh_from_db()
    assert option.package == other and not option.measures.exists()


def test_hidden_support_indicator_stays_linked_when_the_actor_saves(analyst) -> None:
    option = option_make(AssessmentFactory())
    secret = IndicatorFactory(key="geheim-draagvlak", confidentiality=Confidentiality.CONFIDENTIAL)
    _observe(secret, 55)
    services.option_update(actor=None, option=option, support_indicator_key=secret.key)
    services.option_update(actor=analyst, option=option, support_indicator_key=None, support=0.4)
    option.refresh_from_db()
    assert option.support_indicator == secret and option.support == 0.4


def test_option_delete_and_cell_clear_refuse_what_the_actor_may_not_see(analyst) -> None:
    assessment = AssessmentFactory()
    option = option_make(assessment, key="masks")
    services.effectiveness_set(
        actor=None,
        option=option,
        outcome="transmission",
        source="OMT (vertrouwelijk)",
        confidentiality=Confidentiality.CONFIDENTIAL,
    )
    with pytest.raises(ValidationError) as exc:
        services.option_delete(actor=analyst, option=option)
    assert fields_of(exc) == {"option"}
    assert Option.objects.filter(pk=option.pk).exists()

    other = option_make(assessment, name="Testen", key="tests")
    secret = EvidenceItemFactory(confidentiality=Confidentiality.CONFIDENTIAL)
    services.judgement_set(
        actor=None,
        option=other,
        domain_key="economy",
        group_key="travellers",
        effect="none",
        evidence_refs=[secret.ref],
    )
    with pytest.raises(ValidationError) as exc:
        services.option_delete(actor=analyst, option=other)
    assert fields_of(exc) == {"option"}
    with pytest.raises(ValidationError) as exc:
        services.judgement_clear(
            actor=analyst, option=other, domain_key="economy", group_key="travellers"
        )
    assert fields_of(exc) == {"judgement"}
    assert Judgement.objects.filter(option=other).count() == 1
    # A cell without hidden sources is cleared; the system may delete everything.
    services.judgement_set(
        actor=None, option=other, domain_key="economy", group_key="young-people", effect="none"
    )
    services.judgement_clear(
        actor=analyst, option=other, domain_key="economy", group_key="young-people"
    )
    assert Judgement.objects.filter(option=other).count() == 1
    services.option_delete(actor=None, option=other)
    services.option_delete(actor=None, option=option)
    assert list(assessment.options.values_list("key", flat=True)) == ["zero"]


def test_terms_set_is_all_or_nothing() -> None:
    assessment = AssessmentFactory()
    DomainFactory(key="education")
    services.judgement_set(
        actor=None,
        option=assessment.options.get(),
        domain_key="economy",
        group_key="travellers",
        effect="none",
    )
    with pytest.raises(ValidationError) as exc:
        services.assessment_terms_set(
            actor=None,
            assessment=assessment,
            domain_keys=["mental-health", "economy", "education"],  # valid on its own
            group_keys=["young-people"],  # travellers still has a judgement
        )
    assert fields_of(exc) == {"group_keys"}
    assert list(assessment.domains.values_list("domain__key", flat=True)) == [
        "mental-health",
        "economy",
    ]
    with pytest.raises(ValidationError) as exc:
        services.assessment_terms_set(
            actor=None, assessment=assessment, domain_keys=["onbekend"], group_keys=["onbekend"]
        )
    assert fields_of(exc) == {"domain_keys", "group_keys"}
    services.assessment_terms_set(
        actor=None,
        assessment=assessment,
        domain_keys=["education", "economy"],
        group_keys=["travellers"],
    )
    assert list(assessment.domains.values_list("domain__key", flat=True)) == [
        "education",
        "economy",
    ]
    assert list(assessment.groups.values_list("group__key", flat=True)) == ["travellers"]


def test_option_rights_set_is_all_or_nothing_and_keeps_notes(tmp_path: Path) -> None:
    rights_fixture(tmp_path)
    option = option_make(AssessmentFactory())
    services.right_touched_add(actor=None, option=option, right_key="evrm-8", note="reisvrijheid")
    services.rights_answer_set(
        actor=None, option=option, kind="test", question_key="necessity", answer="partly"
    )
    with pytest.raises(ValidationError) as exc:
        services.option_rights_set(
            actor=None,
            option=option,
            answers=[("test", "necessity", "", ""), ("test", "suitability", "misschien", "")],
            touched_keys=["grondwet-1"],
        )
    assert fields_of(exc) == {"test__suitability__answer"}
    assert RightsAnswer.objects.get(option=option).answer == "partly"  # nothing changed
    assert list(option.rights_touched.values_list("right__key", flat=True)) == ["evrm-8"]
    services.option_rights_set(
        actor=None,
        option=option,
        answers=[("test", "necessity", "", ""), ("test", "suitability", "yes", "ja")],
        touched_keys=["evrm-8", "grondwet-1"],
    )
    assert list(RightsAnswer.objects.filter(option=option).values_list("question__key", flat=True))
    assert set(RightsAnswer.objects.values_list("question__key", flat=True)) == {"suitability"}
    assert RightTouched.objects.get(option=option, right__key="evrm-8").note == "reisvrijheid"
    with pytest.raises(ValidationError) as exc:
        services.option_rights_set(actor=None, option=option, answers=[], touched_keys=["evrm-99"])
    assert fields_of(exc) == {"touched"}
    services.option_rights_set(actor=None, option=option, answers=[], touched_keys=[])
    assert not option.rights_touched.exists()


@pytest.mark.parametrize("people", [10**30, 2**63, 2**63 - 1, 10**11 + 1, -5, True, 1.5])
def test_reach_people_out_of_range_is_refused_before_writing(people) -> None:
    assessment = AssessmentFactory()
    services.assessment_group_size_set(
        actor=None, assessment=assessment, group_key="travellers", size=1000
    )
    with pytest.raises(ValidationError) as exc:
        services.judgement_set(
            actor=None,
            option=assessment.options.get(),
            domain_key="economy",
            group_key="travellers",
            effect="none",
            reach_people=people,
        )
    assert fields_of(exc) == {"reach_people"}
    assert not Judgement.objects.exists()


@pytest.mark.parametrize("size", [10**30, 2**63, 10**11 + 1, 0, True])
def test_group_size_out_of_range_is_refused(size) -> None:
    assessment = AssessmentFactory()
    with pytest.raises(ValidationError) as exc:
        services.assessment_group_size_set(
            actor=None, assessment=assessment, group_key="travellers", size=size
        )
    assert fields_of(exc) == {"size"}


def test_reach_in_people_needs_the_group_size() -> None:
    assessment = AssessmentFactory()
    option = assessment.options.get()
    with pytest.raises(ValidationError) as exc:
        services.judgement_set(
            actor=None,
            option=option,
            domain_key="economy",
            group_key="travellers",
            effect="none",
            reach_people=10,
        )
    assert fields_of(exc) == {"reach_people"}
    assert "omvang" in exc.value.message_dict["reach_people"][0]
    services.assessment_group_size_set(
        actor=None, assessment=assessment, group_key="travellers", size=1000
    )
    services.judgement_set(
        actor=None,
        option=option,
        domain_key="economy",
        group_key="travellers",
        effect="none",
        reach_people=10,
    )
    # The size cannot then be cleared under the judgement.
    with pytest.raises(ValidationError) as exc:
        services.assessment_group_size_set(
            actor=None, assessment=assessment, group_key="travellers", size=None
        )
    assert fields_of(exc) == {"size"}
    assert assessment.groups.get(group__key="travellers").size == 1000


@pytest.mark.parametrize(
    ("weights", "path"),
    [
        ({"domains": {"economy": 1001}}, "weights.domains.economy"),
        ({"domains": {"economy": float("inf")}}, "weights.domains.economy"),
        ({"domains": {"economy": float("nan")}}, "weights.domains.economy"),
        ({"domains": {"economy": 1e308, "mental-health": 1e308}}, "weights.domains.economy"),
        ({"groups": {"travellers": 0}}, "weights.groups"),
    ],
)
def test_weights_must_be_finite_bounded_with_a_positive_sum(weights, path) -> None:
    assessment = AssessmentFactory()
    with pytest.raises(ValidationError) as exc:
        services.assessment_update(actor=None, assessment=assessment, weights=weights)
    assert fields_of(exc) == {path}


def test_analysis_errors_of_the_core_become_validation_errors(monkeypatch) -> None:
    from paraat_core import assessment as core

    assessment = AssessmentFactory()
    option_make(assessment, key="masks")

    def fail(*args, **kwargs):
        raise core.AssessmentError([])

    for error in (fail, ValueError("weights sum to inf"), OverflowError("too big")):

        def boom(*args, error=error, **kwargs):
            if callable(error):
                return error()
            raise error

        monkeypatch.setattr(core, "analyse", boom)
        with pytest.raises(ValidationError) as exc:
            services.assessment_analyse(actor=None, assessment=assessment, samples=100, seed=1)
        assert fields_of(exc)
    assert not assessment.versions.exists()


def test_analysis_with_overflowing_stored_weights_is_a_validation_error() -> None:
    """A real case: stored weights whose sum overflows make the core raise ValueError."""
    from paraat.assessments.models import AssessmentVersion

    assessment = AssessmentFactory()
    option_make(assessment, key="masks")
    Assessment.objects.filter(pk=assessment.pk).update(
        weights={"domains": {"economy": 1e308, "mental-health": 1e308}}
    )
    assessment.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.assessment_analyse(actor=None, assessment=assessment, samples=100, seed=1)
    assert "document" in exc.value.message_dict
    assert not AssessmentVersion.objects.exists()


def test_version_numbers_are_retried_when_taken(monkeypatch) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    assessment = AssessmentFactory()
    option_make(assessment, key="masks")
    first = services.assessment_analyse(actor=None, assessment=assessment, samples=100, seed=1)
    assert first.number == 1
    real = services._version_number_next
    calls = []

    def stale(a):  # the number another analysis has just taken
        calls.append(a)
        return 1 if len(calls) == 1 else real(a)

    monkeypatch.setattr(services, "_version_number_next", stale)
    with CaptureQueriesContext(connection) as queries:
        second = services.assessment_analyse(actor=None, assessment=assessment, samples=100, seed=2)
    assert second.number == 2 and len(calls) == 2
    if connection.features.has_select_for_update:
        assert any("FOR UPDATE" in q["sql"] for q in queries.captured_queries)


def test_import_refuses_a_second_zero_option_naming_the_path(base: None) -> None:
    EvidenceItemFactory(ref="bron-1", title="Bron 1")
    document = _document()
    document["options"].append({"id": "ook-nul", "name": "Ook niets doen", "zero": True})
    with pytest.raises(ValidationError) as exc:
        services.assessment_import(actor=None, document=document)
    assert "options[2].zero" in exc.value.message_dict
    assert not Assessment.objects.exists()


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda d: d["judgements"][0].update(reach={"people": 10**30}), "judgements[0]"),
        (lambda d: d["judgements"][0].update(reach={"people": 2**63}), "judgements[0]"),
        (lambda d: d["groups"][0].update(size=2**63), "groups[0]"),
        (lambda d: d["judgements"][1].update(reach={"people": 5}), "judgements[1]"),
    ],
)
def test_import_refuses_numbers_out_of_range_naming_the_path(base: None, change, path) -> None:
    EvidenceItemFactory(ref="bron-1", title="Bron 1")
    document = _document()
    change(document)
    with pytest.raises(ValidationError) as exc:
        services.assessment_import(actor=None, document=document)
    assert any(key.startswith(path) for key in exc.value.message_dict), exc.value.message_dict
    assert not Assessment.objects.exists()


def test_import_keeps_the_strictest_effectiveness_level(base: None) -> None:
    EvidenceItemFactory(ref="bron-1", title="Bron 1", confidentiality=Confidentiality.PUBLIC)
    document = _document()
    effectiveness = document["options"][1]["effectiveness"]
    effectiveness.update(confidential=False, confidentiality="public")
    assessment = services.assessment_import(
        actor=None, document=copy.deepcopy(document), confidentiality=Confidentiality.INTERNAL
    )
    assert assessment.options.get(key="masks").effectiveness.confidentiality == "internal"
    out = selectors.assessment_document(assessment=assessment, include_confidential=True)
    assert out["options"][1]["effectiveness"]["confidentiality"] == "internal"
    document["id"] = "import-test-2"
    effectiveness.update(confidentiality="confidential")
    assessment = services.assessment_import(
        actor=None, document=document, confidentiality=Confidentiality.PUBLIC
    )
    assert assessment.options.get(key="masks").effectiveness.confidentiality == "confidential"


def test_import_answers_to_a_deactivated_question(base: None) -> None:
    EvidenceItemFactory(ref="bron-1", title="Bron 1")
    RightsQuestion.objects.filter(kind="test", key="necessity").update(is_active=False)
    assessment = services.assessment_import(actor=None, document=_document())
    answer = RightsAnswer.objects.get(option__assessment=assessment)
    assert (answer.question.key, answer.answer) == ("necessity", "partly")


def test_import_file_too_deeply_nested_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "diep.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(ValidationError) as exc:
        services.assessment_import_file(actor=None, path=path)
    assert "diep.json" in exc.value.message_dict["file"][0]


def test_versions_are_not_copied_into_the_audit_log() -> None:
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    from paraat.assessments.models import AssessmentVersion

    assessment = AssessmentFactory()
    option = option_make(assessment, key="masks")
    services.effectiveness_set(
        actor=None,
        option=option,
        outcome="transmission",
        source="OMT geheim (synthetisch) Z4",
        confidentiality=Confidentiality.CONFIDENTIAL,
    )
    services.assessment_analyse(actor=None, assessment=assessment, samples=100, seed=1)
    version_type = ContentType.objects.get_for_model(AssessmentVersion)
    assert not LogEntry.objects.filter(content_type=version_type).exists()
    assert LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Assessment)
    ).exists()  # the rest of the framework is still audited
    assert "Z4" not in "".join(
        str(e.changes)
        for e in LogEntry.objects.exclude(
            content_type=ContentType.objects.get_for_model(Effectiveness)
        )
    )
