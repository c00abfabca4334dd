"""Selectors of the assessment framework: visibility, masking of confidential effectiveness and
evidence, the editor's matrix, choices, and the "needs review" state."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from paraat.accounts import roles
from paraat.accounts.models import Confidentiality
from paraat.accounts.services import access_grant_create, roles_sync
from paraat.accounts.tests.factories import UserFactory
from paraat.assessments import selectors, services
from paraat.assessments.models import AssessmentVersion
from paraat.assessments.tests.factories import AssessmentFactory, observation_make, option_make
from paraat.evidence import services as evidence_services
from paraat.evidence.models import Fiche
from paraat.evidence.tests.factories import EvidenceItemFactory, fiche_create
from paraat.indicators.tests.factories import IndicatorFactory
from paraat.measures.tests.factories import MeasureFactory
from paraat.taxonomies.models import Domain, PopulationGroup

pytestmark = pytest.mark.django_db

SECRET_SOURCE = "OMT-advies vertrouwelijk 4 januari (synthetisch)"


@pytest.fixture
def people():
    roles_sync()
    return {
        "anonymous": AnonymousUser(),
        "member": UserFactory(username="lid-sel", roles=[roles.MEMBER]),
        "analyst": UserFactory(username="analist-sel", roles=[roles.ANALYST]),
        "cpo": UserFactory(username="cpo-sel", roles=[roles.CPO]),
        "no_role": UserFactory(username="zonder-rol"),
        "expert": UserFactory(username="expert-sel", roles=[roles.EXTERNAL_EXPERT]),
    }


def _with_secret_effectiveness(**kwargs):
    assessment = AssessmentFactory(**kwargs)
    option = option_make(assessment, key="masks")
    effectiveness = services.effectiveness_set(
        actor=None,
        option=option,
        outcome="transmission",
        source=SECRET_SOURCE,
        estimate=-0.0123,
        low=-0.05,
        high=0.0,
        confidentiality=Confidentiality.CONFIDENTIAL,
    )
    return assessment, option, effectiveness


def _fake_version(assessment, *, created_at=None) -> AssessmentVersion:
    """A stored version with a result in the contract's shape (no engine needed)."""
    document = selectors.assessment_document(assessment=assessment, include_confidential=True)
    options = [o["id"] for o in document["options"]]
    refs = [e["ref"] for e in document["evidence"]]
    result = {
        "schema": "paraat-assessment-result/1",
        "options": [
            {
                "id": o["id"],
                "name": o["name"],
                "rank_acceptability": [1.0 / len(options)] * len(options),
                "effectiveness": o.get("effectiveness"),
            }
            for o in document["options"]
        ],
        "matrix": [
            {
                "option": key,
                "impact": -0.5,
                "effect": -0.0123 if key == "masks" else None,
                "effect_low": -0.05 if key == "masks" else None,
                "effect_high": 0.0 if key == "masks" else None,
                "outcome": "transmission",
                "unit": "",
                "source": SECRET_SOURCE if key == "masks" else "",
                "masked": False,
            }
            for key in options
        ],
        "evidence": [{"ref": ref, "title": ref, "cells": 1} for ref in refs],
    }
    version = AssessmentVersion.objects.create(
        assessment=assessment, number=1, document=document, result=result, samples=100, seed=1
    )
    if created_at is not None:
        AssessmentVersion.objects.filter(pk=version.pk).update(created_at=created_at)
        version.refresh_from_db()
    return version


# --- visibility -------------------------------------------------------------------------------


def test_internal_assessment_is_invisible_to_the_public_and_to_people_without_a_role(people):
    internal = AssessmentFactory(key="intern")
    public = AssessmentFactory(key="openbaar", confidentiality=Confidentiality.PUBLIC)
    for who in ("anonymous", "no_role"):
        assert list(selectors.assessment_list(user=people[who])) == [public]
        with pytest.raises(Http404):
            selectors.assessment_get(user=people[who], key="intern")
        assert selectors.assessment_get(user=people[who], key="openbaar") == public
    assert set(selectors.assessment_list(user=people["member"])) == {internal, public}
    assert selectors.assessment_get(user=people["member"], key="intern") == internal
    with pytest.raises(Http404):
        selectors.assessment_get(user=people["member"], key="bestaat-niet")


def test_confidential_assessment_needs_the_level_or_a_grant(people):
    AssessmentFactory(key="geheim", confidentiality=Confidentiality.CONFIDENTIAL)
    with pytest.raises(Http404):
        selectors.assessment_get(user=people["member"], key="geheim")
    assert selectors.assessment_get(user=people["cpo"], key="geheim").key == "geheim"
    target = selectors.assessment_get(user=people["cpo"], key="geheim")
    access_grant_create(
        target=target, granted_by=people["cpo"], reason="meelezen", grantee_user=people["member"]
    )
    assert selectors.assessment_get(user=people["member"], key="geheim") == target
    assert target in selectors.assessment_list(user=people["member"])


def test_document_masks_confidential_effectiveness_unless_allowed(people):
    assessment, _option, effectiveness = _with_secret_effectiveness()
    for who in ("member", "analyst"):
        document = selectors.assessment_document(assessment=assessment, user=people[who])
        masks = next(o for o in document["options"] if o["id"] == "masks")
        assert "effectiveness" not in masks
        assert SECRET_SOURCE not in str(document)
    for who in ("cpo",):
        document = selectors.assessment_document(assessment=assessment, user=people[who])
        masks = next(o for o in document["options"] if o["id"] == "masks")
        assert masks["effectiveness"]["source"] == SECRET_SOURCE
        assert masks["effectiveness"]["confidential"] is True
    access_grant_create(
        target=effectiveness,
        granted_by=people["cpo"],
        reason="nodig voor het advies",
        grantee_user=people["member"],
    )
    document = selectors.assessment_document(assessment=assessment, user=people["member"])
    assert next(o for o in document["options"] if o["id"] == "masks")["effectiveness"]
    full = selectors.assessment_document(assessment=assessment, include_confidential=True)
    assert SECRET_SOURCE in str(full)


def test_document_leaves_out_evidence_the_reader_may_not_see(people):
    assessment = AssessmentFactory(confidentiality=Confidentiality.PUBLIC)
    public = EvidenceItemFactory(ref="openbaar-item", title="Openbaar rapport")
    secret = EvidenceItemFactory(
        ref="geheim-item", title="Geheim rapport", confidentiality=Confidentiality.CONFIDENTIAL
    )
    services.judgement_set(
        actor=None,
        option=assessment.options.get(),
        domain_key="economy",
        group_key="travellers",
        effect="small_negative",
        evidence_refs=[public.ref, secret.ref],
    )
    for who in ("anonymous", "member"):
        document = selectors.assessment_document(assessment=assessment, user=people[who])
        assert [e["ref"] for e in document["evidence"]] == ["openbaar-item"]
        assert document["judgements"][0]["evidence"] == ["openbaar-item"]
        assert "Geheim rapport" not in str(document) and "geheim-item" not in str(document)
    document = selectors.assessment_document(assessment=assessment, user=people["cpo"])
    assert [e["ref"] for e in document["evidence"]] == ["geheim-item", "openbaar-item"]


def test_version_result_masks_effectiveness_and_evidence_per_reader(people):
    assessment, option, effectiveness = _with_secret_effectiveness()
    secret = EvidenceItemFactory(
        ref="geheim-bewijs", title="Geheim", confidentiality=Confidentiality.CONFIDENTIAL
    )
    services.judgement_set(
        actor=None,
        option=option,
        domain_key="economy",
        group_key="travellers",
        effect="none",
        evidence_refs=[secret.ref],
    )
    version = _fake_version(assessment)
    assert version.result["matrix"][1]["source"] == SECRET_SOURCE  # stored in full
    for who in ("member", "analyst", "anonymous"):
        result = selectors.version_result(version=version, user=people[who])
        row = next(r for r in result["matrix"] if r["option"] == "masks")
        assert row["masked"] is True
        assert row["effect"] is None and row["effect_low"] is None and row["effect_high"] is None
        assert row["source"] is None
        assert next(o for o in result["options"] if o["id"] == "masks")["effectiveness"] is None
        assert result["evidence"] == []
        assert SECRET_SOURCE not in str(result) and "-0.0123" not in str(result)
    result = selectors.version_result(version=version, user=people["cpo"])
    row = next(r for r in result["matrix"] if r["option"] == "masks")
    assert row["effect"] == -0.0123 and row["masked"] is False
    assert [e["ref"] for e in result["evidence"]] == ["geheim-bewijs"]
    access_grant_create(
        target=effectiveness,
        granted_by=people["cpo"],
        reason="advies",
        grantee_user=people["member"],
    )
    row = next(
        r
        for r in selectors.version_result(version=version, user=people["member"])["matrix"]
        if r["option"] == "masks"
    )
    assert row["effect"] == -0.0123
    # the stored result itself is never changed by masking
    version.refresh_from_db()
    assert version.result["matrix"][1]["effect"] == -0.0123


# --- editor -----------------------------------------------------------------------------------


def test_option_matrix_keeps_unknown_apart_from_not_assessed():
    assessment = AssessmentFactory()
    option = option_make(assessment)
    services.judgement_set(
        actor=None,
        option=option,
        domain_key="mental-health",
        group_key="young-people",
        effect="none",
    )
    services.judgement_set(
        actor=None, option=option, domain_key="economy", group_key="travellers", effect="unknown"
    )
    grid = selectors.option_matrix(option=option)
    assert [d.key for d in grid["domains"]] == ["mental-health", "economy"]
    assert [g["key"] for g in grid["groups"]] == ["young-people", "travellers"]
    states = [[cell["state"] for cell in row["cells"]] for row in grid["rows"]]
    assert states == [["assessed", "not_assessed"], ["not_assessed", "unknown"]]
    assert grid["counts"] == {"assessed": 1, "unknown": 1, "not_assessed": 2}
    assert grid["rows"][0]["cells"][0]["judgement"].effect == "none"


def test_evidence_choices_search_ref_and_title_within_what_the_user_may_see(people):
    EvidenceItemFactory(ref="mondkapjes-2021", title="Mondkapjes in het OV")
    EvidenceItemFactory(
        ref="mondkapjes-geheim",
        title="Mondkapjes vertrouwelijk",
        confidentiality=Confidentiality.CONFIDENTIAL,
    )
    EvidenceItemFactory(ref="scholen-2021", title="Scholen dicht")
    found = selectors.evidence_choices(user=people["member"], query="mondkap")
    assert [item.ref for item in found] == ["mondkapjes-2021"]
    assert {i.ref for i in selectors.evidence_choices(user=people["cpo"], query="mondkap")} == {
        "mondkapjes-2021",
        "mondkapjes-geheim",
    }
    assert [i.ref for i in selectors.evidence_choices(user=people["member"], query="OV")] == [
        "mondkapjes-2021"
    ]


def test_fiche_cell_choices_are_the_latest_version_of_the_options_measures(people):
    assessment = AssessmentFactory()
    domain = Domain.objects.get(key="economy")
    group = PopulationGroup.objects.get(key="travellers")
    measure = MeasureFactory(key="testplicht")
    MeasureFactory(key="andere-maatregel")
    fiche = fiche_create(
        measure,
        cells=(evidence_services.CellData(domain=domain, group=group, direction="negative"),),
    )
    evidence_services.fiche_version_create(
        fiche=fiche,
        content=evidence_services.FicheContent(
            cells=(
                evidence_services.CellData(domain=domain, group=group, direction="negative"),
                evidence_services.CellData(
                    domain=domain,
                    direction="unknown",
                    confidentiality=Confidentiality.CONFIDENTIAL,
                ),
            )
        ),
        user=None,
    )
    option = option_make(assessment, measure_keys=["testplicht"])
    cells = selectors.fiche_cell_choices(option=option)
    assert {c.version.number for c in cells} == {2} and len(cells) == 2
    assert len(selectors.fiche_cell_choices(option=option, user=people["member"])) == 1
    other = option_make(assessment, name="Anders", measure_keys=["andere-maatregel"])
    assert selectors.fiche_cell_choices(option=other) == []
    visible = next(c for c in cells if c.group is not None)
    judgement = services.judgement_set(
        actor=people["analyst"],
        option=option,
        domain_key="economy",
        group_key="travellers",
        effect="small_negative",
        fiche_cell_ids=[visible.pk],
    )
    assert list(judgement.fiche_cells.all()) == [visible]
    hidden = next(c for c in cells if c.group is None)
    with pytest.raises(ValidationError) as exc:  # a cell the analyst may not see
        services.judgement_set(
            actor=people["analyst"],
            option=option,
            domain_key="economy",
            group_key="travellers",
            effect="none",
            fiche_cell_ids=[hidden.pk],
        )
    assert set(exc.value.message_dict) == {"fiche_cells"}
    document = selectors.assessment_document(assessment=assessment, user=people["member"])
    assert document["judgements"][0]["fiche_cells"] == [
        {"measure": "testplicht", "domain": "economy", "group": "travellers", "version": 2}
    ]


def test_rights_catalogue_and_questions_are_active_rows(tmp_path):
    from paraat.assessments.tests.factories import rights_fixture

    rights_fixture(tmp_path)
    assert [r.key for r in selectors.rights_catalogue()] == ["evrm-8", "grondwet-1"]
    assert len(selectors.rights_questions(kind="test")) == 7
    assert len(selectors.rights_questions()) == 14


# --- needs review -----------------------------------------------------------------------------


def test_review_state_flags_what_changed_after_the_latest_version(people):
    assessment = AssessmentFactory()
    item = EvidenceItemFactory(ref="onderbouwing", title="Onderbouwing")
    measure = MeasureFactory(key="avondklok")
    domain = Domain.objects.get(key="economy")
    fiche = fiche_create(
        measure, cells=(evidence_services.CellData(domain=domain, direction="negative"),)
    )
    option = option_make(assessment, measure_keys=["avondklok"])
    services.judgement_set(
        actor=None,
        option=option,
        domain_key="economy",
        group_key="travellers",
        effect="small_negative",
        evidence_refs=[item.ref],
    )
    indicator = IndicatorFactory(key="omvang-reizigers")
    observation_make(indicator, 5000)
    services.assessment_group_size_set(
        actor=None, assessment=assessment, group_key="travellers", size_indicator_key=indicator.key
    )
    assert selectors.assessment_review_state(assessment=assessment) == []  # no version yet
    _fake_version(assessment)
    assert selectors.assessment_review_state(assessment=assessment) == []

    data = evidence_services.evidence_data_from_item(item)
    evidence_services.evidence_update(item=item, data=dataclasses.replace(data, title="Herzien"))
    state = selectors.assessment_review_state(assessment=assessment)
    assert [(s["kind"], s["key"]) for s in state] == [("evidence", "onderbouwing")]
    assert state[0]["changed_at"] > assessment.versions.get().created_at
    assert "1" in state[0]["reason"]

    evidence_services.fiche_flag_review(fiche=Fiche.objects.get(pk=fiche.pk), reason="nieuw bewijs")
    observation_make(indicator, 5200, month=2)
    kinds = {
        (s["kind"], s["key"]) for s in selectors.assessment_review_state(assessment=assessment)
    }
    assert kinds == {
        ("evidence", "onderbouwing"),
        ("fiche", "avondklok"),
        ("indicator", "omvang-reizigers"),
    }


def test_review_state_hides_labels_of_records_the_reader_may_not_see(people):
    assessment = AssessmentFactory()
    secret = EvidenceItemFactory(
        ref="geheim-1", title="Geheime titel", confidentiality=Confidentiality.CONFIDENTIAL
    )
    services.judgement_set(
        actor=None,
        option=assessment.options.get(),
        domain_key="economy",
        group_key="travellers",
        effect="none",
        evidence_refs=[secret.ref],
    )
    _fake_version(assessment, created_at=timezone.now() - dt.timedelta(days=1))
    data = evidence_services.evidence_data_from_item(secret)
    evidence_services.evidence_update(item=secret, data=dataclasses.replace(data, summary="nieuw"))
    state = selectors.assessment_review_state(assessment=assessment, user=people["member"])
    # Left out altogether: not even that a hidden source changed, nor its key.
    assert state == []
    full = selectors.assessment_review_state(assessment=assessment, user=people["cpo"])
    assert full[0]["label"] == "Geheime titel" and full[0]["key"] == "geheim-1"
    assert len(selectors.assessment_review_state(assessment=assessment)) == 1


# --- review findings (regressions) ------------------------------------------------------------


def test_review_state_leaves_out_hidden_fiches_and_indicators(people):
    assessment = AssessmentFactory()
    measure = MeasureFactory(key="geheime-maatregel", confidentiality=Confidentiality.CONFIDENTIAL)
    domain = Domain.objects.get(key="economy")
    fiche = fiche_create(
        measure, cells=(evidence_services.CellData(domain=domain, direction="negative"),)
    )
    option_make(assessment, measure_keys=[measure.key])
    indicator = IndicatorFactory(key="geheime-omvang", confidentiality=Confidentiality.CONFIDENTIAL)
    observation_make(indicator, 5000)
    services.assessment_group_size_set(
        actor=None, assessment=assessment, group_key="travellers", size_indicator_key=indicator.key
    )
    _fake_version(assessment, created_at=timezone.now() - dt.timedelta(days=1))
    evidence_services.fiche_flag_review(fiche=Fiche.objects.get(pk=fiche.pk), reason="nieuw")
    observation_make(indicator, 5100, month=2)
    for who in ("member", "analyst"):
        state = selectors.assessment_review_state(assessment=assessment, user=people[who])
        assert state == [], who
        assert "geheime" not in str(state)
    full = selectors.assessment_review_state(assessment=assessment, user=people["cpo"])
    assert {(s["kind"], s["key"]) for s in full} == {
        ("fiche", "geheime-maatregel"),
        ("indicator", "geheime-omvang"),
    }


def _public_with_effectiveness(level: str):
    assessment = AssessmentFactory(confidentiality=Confidentiality.PUBLIC)
    option = option_make(assessment, key="masks")
    services.effectiveness_set(
        actor=None,
        option=option,
        outcome="transmission",
        source=SECRET_SOURCE,
        estimate=-0.0123,
        low=-0.05,
        high=0.0,
        confidentiality=level,
    )
    return assessment, option


def _masks_row(result):
    return next(r for r in result["matrix"] if r["option"] == "masks")


def test_version_records_the_effectiveness_level(people):
    assessment, _option = _public_with_effectiveness(Confidentiality.INTERNAL)
    version = _fake_version(assessment)
    recorded = next(o for o in version.document["options"] if o["id"] == "masks")
    assert recorded["effectiveness"]["confidentiality"] == "internal"
    assert recorded["effectiveness"]["confidential"] is False


@pytest.mark.parametrize("remove", ["clear", "delete_option"])
def test_internal_effectiveness_stays_hidden_from_the_public_after_it_is_removed(people, remove):
    assessment, option = _public_with_effectiveness(Confidentiality.INTERNAL)
    version = _fake_version(assessment)
    assert _masks_row(selectors.version_result(version=version, user=people["anonymous"]))["masked"]
    if remove == "clear":
        services.effectiveness_clear(actor=None, option=option)
    else:
        services.option_delete(actor=None, option=option)
    for who in ("anonymous", "no_role"):
        result = selectors.version_result(version=version, user=people[who])
        row = _masks_row(result)
        assert row["masked"] is True and row["effect"] is None, who
        assert SECRET_SOURCE not in str(result) and "-0.0123" not in str(result)
    assert (
        _masks_row(selectors.version_result(version=version, user=people["member"]))["effect"]
        == -0.0123
    )


def test_public_effectiveness_stays_visible_after_removal_and_raising_hides_it(people):
    assessment, option = _public_with_effectiveness(Confidentiality.PUBLIC)
    version = _fake_version(assessment)
    anonymous = people["anonymous"]
    assert _masks_row(selectors.version_result(version=version, user=anonymous))["effect"]
    # Raised to confidential later: the current record now decides too (fail closed).
    effectiveness = option.effectiveness
    effectiveness.confidentiality = Confidentiality.CONFIDENTIAL
    effectiveness.save()
    assert _masks_row(selectors.version_result(version=version, user=people["member"]))["masked"]
    services.effectiveness_clear(actor=None, option=option)
    assert _masks_row(selectors.version_result(version=version, user=anonymous))["effect"]


def test_confidential_level_in_a_version_needs_the_level_or_a_grant(people):
    assessment, option = _public_with_effectiveness(Confidentiality.CONFIDENTIAL)
    version = _fake_version(assessment)
    # Lowered afterwards: the version still holds the confidential figures.
    effectiveness = option.effectiveness
    effectiveness.confidentiality = Confidentiality.INTERNAL
    effectiveness.save()
    assert _masks_row(selectors.version_result(version=version, user=people["member"]))["masked"]
    access_grant_create(
        target=effectiveness,
        granted_by=people["cpo"],
        reason="advies",
        grantee_user=people["member"],
    )
    assert (
        _masks_row(selectors.version_result(version=version, user=people["member"]))["effect"]
        == -0.0123
    )
    assert _masks_row(selectors.version_result(version=version, user=people["cpo"]))["effect"]


def test_older_version_without_a_level_fails_closed_without_a_record(people):
    assessment, option = _public_with_effectiveness(Confidentiality.PUBLIC)
    version = _fake_version(assessment)
    document = version.document
    for entry in document["options"]:
        if entry.get("effectiveness"):
            del entry["effectiveness"]["confidentiality"]
    AssessmentVersion.objects.filter(pk=version.pk).update(document=document)
    version.refresh_from_db()
    assert _masks_row(selectors.version_result(version=version, user=people["anonymous"]))[
        "effect"
    ]  # the public record still exists
    services.effectiveness_clear(actor=None, option=option)
    for who in ("anonymous", "member"):
        assert _masks_row(selectors.version_result(version=version, user=people[who]))["masked"]
    assert _masks_row(selectors.version_result(version=version, user=people["cpo"]))["effect"]


def test_roles_without_the_view_permission_see_only_public_assessments(people):
    internal = AssessmentFactory(key="intern")
    secret = AssessmentFactory(key="geheim", confidentiality=Confidentiality.CONFIDENTIAL)
    public = AssessmentFactory(key="openbaar", confidentiality=Confidentiality.PUBLIC)
    expert = people["expert"]
    assert not expert.has_perm("assessments.view_assessment")
    assert list(selectors.assessment_list(user=expert)) == [public]
    for key in ("intern", "geheim"):
        with pytest.raises(Http404):
            selectors.assessment_get(user=expert, key=key)
    assert selectors.assessment_get(user=expert, key="openbaar") == public
    # A grant does not open a non-public assessment to a role without the permission.
    access_grant_create(
        target=secret, granted_by=people["cpo"], reason="input", grantee_user=expert
    )
    with pytest.raises(Http404):
        selectors.assessment_get(user=expert, key="geheim")
    assert set(selectors.assessment_list(user=people["member"])) == {internal, public}


def test_reader_documents_do_not_name_hidden_indicators(people):
    assessment = AssessmentFactory(confidentiality=Confidentiality.PUBLIC)
    indicator = IndicatorFactory(
        key="geheim-ind", name_nl="Geheime peiling Q3", confidentiality=Confidentiality.INTERNAL
    )
    observation_make(indicator, 5000)
    # Older data may have the indicator's name in the stored free text.
    services.assessment_group_size_set(
        actor=None, assessment=assessment, group_key="travellers", size_indicator_key=indicator.key
    )
    assessment.groups.filter(group__key="travellers").update(size_source="Geheime peiling Q3")
    support = IndicatorFactory(
        key="geheim-draagvlak", name_nl="Geheime peiling Q3", confidentiality="internal"
    )
    observation_make(support, 60)
    option = option_make(assessment)
    services.option_update(actor=None, option=option, support_indicator_key=support.key)
    type(option).objects.filter(pk=option.pk).update(acceptability_source="Geheime peiling Q3")
    public = selectors.assessment_document(assessment=assessment, user=people["anonymous"])
    assert "Geheime peiling" not in str(public)
    member = selectors.assessment_document(assessment=assessment, user=people["member"])
    assert "Geheime peiling Q3" in str(member)
    links = selectors.option_links(option=option, user=people["anonymous"])
    assert links["support_indicator"] == "(niet zichtbaar)"
    assert "Geheime" not in links["acceptability_source"]
    rows = selectors.assessment_group_rows(assessment=assessment, user=people["anonymous"])
    assert "Geheime" not in str(rows)
