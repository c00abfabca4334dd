"""The dossier of a request (``advice.dossier``), assembled as the reader may see it, and the
skeleton of the advice text built from it: facts with references, no invented prose."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from typing import Any

import pytest

from paraat.accounts.models import Confidentiality
from paraat.advice import dossier, services
from paraat.advice.models import RecipientKind, Section
from paraat.advice.tests.factories import input_make, request_make
from paraat.assessments import services as assessment_services
from paraat.assessments.tests.factories import AssessmentFactory, filled_assessment
from paraat.evidence import services as evidence_services
from paraat.evidence.tests.factories import EvidenceItemFactory, fiche_create
from paraat.indicators.tests.factories import IndicatorFactory
from paraat.measures.tests.factories import MeasureFactory, PackageFactory, PackageItemFactory
from paraat.taxonomies.tests.factories import DomainFactory, PopulationGroupFactory

pytestmark = pytest.mark.django_db


def link(item: Any, **target: Any) -> None:
    evidence_services.evidence_link_create(
        item=item, data=evidence_services.LinkData(**target), user=None
    )


def respond(request: Any, people: dict[str, Any], signal: str, groups: list[Any], **kw: Any) -> Any:
    row, _token = input_make(request=request, actor=people["cpo"], **kw)
    return services.input_response_submit(
        input_request=row,
        data=services.ResponseData(
            signal=signal,
            severity="high",
            interests_status="declared",
            declared_interests="Lid van de brancheorganisatie",
            groups=groups,
            direction="negative",
        ),
    )


@pytest.fixture
def world(people: dict[str, Any]) -> dict[str, Any]:
    """A package of two measures with fiches, evidence at each visibility level, a
    contribution from a practice circle, an information item and an OMT document."""
    package = PackageFactory(name_nl="Maatregelen reizigers China")
    masks = MeasureFactory(key="mondkapje-vlucht", name_nl="Mondkapje in het vliegtuig")
    test = MeasureFactory(key="test-voor-vertrek", name_nl="Test vóór vertrek")
    other = MeasureFactory(key="avondklok", name_nl="Avondklok")
    PackageItemFactory(package=package, measure=masks)
    PackageItemFactory(package=package, measure=test)
    fiche_create(
        masks,
        summary="Weinig last voor reizigers.",
        mitigations="Mondkapjes gratis uitdelen bij de gate.",
    )
    fiche_create(test, summary="Geheime fiche.", confidentiality=Confidentiality.CONFIDENTIAL)
    fiche_create(other, summary="Hoort er niet bij.")
    on_measure = EvidenceItemFactory(ref="studie-mondkapjes", title="Studie mondkapjes")
    link(on_measure, measure=masks)
    on_package = EvidenceItemFactory(ref="rapport-reizen", title="Rapport reizen")
    link(on_package, package=package)
    secret = EvidenceItemFactory(
        ref="vertrouwelijk-item",
        title="Vertrouwelijk",
        confidentiality=Confidentiality.CONFIDENTIAL,
    )
    link(secret, measure=test)
    unrelated = EvidenceItemFactory(ref="los-item", title="Los item")
    link(unrelated, measure=other)
    EvidenceItemFactory(ref="ongekoppeld", title="Ongekoppeld")
    request = request_make(actor=people["cpo"], options=[package])
    group = PopulationGroupFactory(key="reizigers", name_nl="Reizigers")
    response = respond(request, people, "Reizigers ervaren stigma op Schiphol.", [group])
    services.information_item_add(
        request=request, actor=people["cpo"], title="Notitie VWS", evidence=on_package
    )
    services.omt_document_add(
        request=request, actor=people["cpo"], title="OMT-advies 141", body="Vertrouwelijk."
    )
    return {
        "request": request,
        "package": package,
        "masks": masks,
        "test": test,
        "group": group,
        "response": response,
    }


# --- gathering ----------------------------------------------------------------------------------


def test_options_and_measures(people: dict[str, Any], world: dict[str, Any]) -> None:
    built = dossier.dossier_build(request=world["request"], user=people["cpo"])
    assert built.request == world["request"]
    assert [o["name"] for o in built.options] == ["Maatregelen reizigers China"]
    assert {m["key"] for m in built.options[0]["measures"]} == {
        "mondkapje-vlucht",
        "test-voor-vertrek",
    }
    assert built.measure_count == 2


def test_fiches_of_the_measures_as_the_reader_may_see_them(
    people: dict[str, Any], world: dict[str, Any]
) -> None:
    cpo = dossier.dossier_build(request=world["request"], user=people["cpo"])
    assert [f["measure_key"] for f in cpo.fiches] == ["mondkapje-vlucht", "test-voor-vertrek"]
    masks = cpo.fiches[0]
    assert masks["version"] == 1 and masks["summary"] == "Weinig last voor reizigers."
    assert masks["mitigations"] == "Mondkapjes gratis uitdelen bij de gate."
    assert masks["needs_review"] is True  # new evidence was linked to the measure
    member = dossier.dossier_build(request=world["request"], user=people["members"][0])
    assert [f["measure_key"] for f in member.fiches] == ["mondkapje-vlucht"]


def test_evidence_linked_to_measures_and_packages_respects_visibility(
    people: dict[str, Any], world: dict[str, Any]
) -> None:
    contribution_ref = world["response"].evidence.ref
    cpo = {
        e["ref"]
        for e in dossier.dossier_build(request=world["request"], user=people["cpo"]).evidence
    }
    assert cpo == {"studie-mondkapjes", "rapport-reizen", "vertrouwelijk-item", contribution_ref}
    member = dossier.dossier_build(request=world["request"], user=people["members"][0])
    assert {e["ref"] for e in member.evidence} == {
        "studie-mondkapjes",
        "rapport-reizen",
        contribution_ref,
    }
    row = next(e for e in member.evidence if e["ref"] == contribution_ref)
    assert row["item_type"] == "practice_signal" and row["interests_status"] == "declared"
    assert row["on_behalf_of"] == "Praktijkkring reizen (fictief)"
    analyst = dossier.dossier_build(request=world["request"], user=people["analyst"])
    assert "vertrouwelijk-item" not in {e["ref"] for e in analyst.evidence}


def test_contributions_groups_and_information(
    people: dict[str, Any], world: dict[str, Any]
) -> None:
    built = dossier.dossier_build(request=world["request"], user=people["members"][0])
    (contribution,) = built.contributions
    assert contribution["signal"] == "Reizigers ervaren stigma op Schiphol."
    assert contribution["organisation"] == "Praktijkkring reizen (fictief)"
    assert contribution["from"] == "Kring reizen en toerisme"
    assert contribution["groups"] == ["Reizigers"]
    assert contribution["declared_interests"] == "Lid van de brancheorganisatie"
    assert contribution["ref"] == world["response"].evidence.ref
    assert contribution["severity"] == "ernstig" and contribution["kind"] == "praktijkkring"
    assert built.groups == [{"key": "reizigers", "name": "Reizigers", "size": None}]
    assert built.information == [{"title": "Notitie VWS", "url": "", "ref": "rapport-reizen"}]


def test_contributions_respect_the_visibility_of_their_evidence(
    people: dict[str, Any], world: dict[str, Any]
) -> None:
    item = world["response"].evidence
    evidence_services.evidence_update(
        item=item,
        data=dataclasses.replace(
            evidence_services.evidence_data_from_item(item),
            confidentiality=Confidentiality.CONFIDENTIAL,
        ),
    )
    built = dossier.dossier_build(request=world["request"], user=people["members"][0])
    assert item.ref not in {e["ref"] for e in built.evidence}
    assert built.contributions == []
    assert item.ref not in "\n".join(dossier.skeleton(built).values())


def test_omt_only_with_a_grant(people: dict[str, Any], world: dict[str, Any]) -> None:
    request, member = world["request"], people["members"][0]
    assert dossier.dossier_build(request=request, user=member).omt is None
    cpo = dossier.dossier_build(request=request, user=people["cpo"]).omt
    assert [d.title for d in cpo or []] == ["OMT-advies 141"]
    services.omt_access_grant(request=request, actor=people["cpo"], grantee=member, reason="r")
    granted = dossier.dossier_build(request=request, user=member).omt
    assert [d.title for d in granted or []] == ["OMT-advies 141"]


def test_no_assessment(people: dict[str, Any], world: dict[str, Any]) -> None:
    built = dossier.dossier_build(request=world["request"], user=people["cpo"])
    assert built.assessment is None and built.indicators == [] and built.signals == []


def test_assessment_without_a_version(people: dict[str, Any]) -> None:
    assessment = AssessmentFactory(title="Afweging reizigers")
    request = request_make(actor=people["cpo"], assessment=assessment)
    built = dossier.dossier_build(request=request, user=people["cpo"])
    assert built.assessment is not None
    assert (built.assessment["title"], built.assessment["version"]) == ("Afweging reizigers", None)
    assert built.assessment["ladder"] == [] and built.assessment["robustness"] is None
    assert [g["name"] for g in built.groups] == ["Jongeren", "Reizigers"]


def test_a_confidential_assessment_is_left_out_for_a_member(people: dict[str, Any]) -> None:
    assessment = AssessmentFactory(confidentiality=Confidentiality.CONFIDENTIAL)
    request = request_make(actor=people["cpo"], assessment=assessment)
    assert dossier.dossier_build(request=request, user=people["cpo"]).assessment is not None
    member = dossier.dossier_build(request=request, user=people["members"][0])
    assert member.assessment is None and member.groups == []


@pytest.fixture
def analysed(people: dict[str, Any]) -> dict[str, Any]:
    """An analysed assessment (100 draws) with an indicator in one of its domains."""
    assessment = filled_assessment(title="Afweging mondkapjes")
    version = assessment_services.assessment_analyse(
        actor=None, assessment=assessment, samples=100, seed=1
    )
    domain = DomainFactory(key="mental-health")
    shown = IndicatorFactory(key="eenzaamheid", name_nl="Eenzaamheid", domain=domain, unit="%")
    from paraat.assessments.tests.factories import observation_make

    observation_make(shown, 12.5, month=1)
    IndicatorFactory(
        key="geheim",
        name_nl="Geheime reeks",
        domain=domain,
        confidentiality=Confidentiality.CONFIDENTIAL,
    )
    request = request_make(actor=people["cpo"], assessment=assessment)
    return {"request": request, "assessment": assessment, "version": version}


def test_assessment_ladder_and_indicators(people: dict[str, Any], analysed: dict[str, Any]) -> None:
    built = dossier.dossier_build(request=analysed["request"], user=people["cpo"])
    entry = built.assessment
    assert entry is not None and entry["version"] == analysed["version"].number == 1
    assert [row["position"] for row in entry["ladder"]] == [1, 2]
    assert {row["option"] for row in entry["ladder"]} == {
        "Geen nieuwe maatregel (huidig beleid)",
        "Mondkapjes in het vliegtuig",
    }
    assert entry["robustness"] and set(entry["domains"]) == {"mental-health", "economy"}
    assert set(entry["etd"]) == {row["option"] for row in entry["ladder"]}
    assert {i["key"] for i in built.indicators} == {"eenzaamheid", "geheim"}
    shown = next(i for i in built.indicators if i["key"] == "eenzaamheid")
    assert shown["value"] == 12.5 and shown["name"] == "Eenzaamheid"
    member = dossier.dossier_build(request=analysed["request"], user=people["members"][0])
    assert [i["key"] for i in member.indicators] == ["eenzaamheid"]


# --- skeleton -----------------------------------------------------------------------------------

#: The skeleton's own words: headings and labels that hold no claim.
SCAFFOLD = [
    "Adviesvraag:",
    "Opties:",
    "Aanbevelingen (één per regel, genummerd):",
    "Afweging",
    "versie",
    "robuustheid:",
    "Maatregelfiches:",
    "fiche versie",
    "Ingebrachte signalen:",
    "Maatschappelijk beeld:",
    "nog geen adviestype",
    "Adviestype per optie (afweging, bewijs naar besluit)",
    "Grondrechten die de opties raken (uit de afweging)",
]
# The one instruction to the committee (no content: it names what to write where).
INSTRUCTION = "Schrijf hier de aanbevelingen, één per regel, genummerd (1., 2., …)."


def _data(value: object) -> Iterator[str]:
    """Every string (and number) the dossier holds, recursively."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, bool) or value is None:
        return
    elif isinstance(value, int | float):
        yield str(value)
        yield f"{value:g}"
    elif isinstance(value, dict):
        for item in value.values():
            yield from _data(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _data(item)
    elif hasattr(value, "isoformat"):
        yield str(value)


def untraced(built: dossier.Dossier, text: str) -> list[str]:
    """Lines of ``text`` that hold words not found in the dossier or the scaffold."""
    data = set(_data([getattr(built, f.name) for f in dataclasses.fields(built)][2:]))
    data |= {built.request.question}
    pieces = sorted((d for d in data | set(SCAFFOLD) if len(d.strip()) >= 2), key=len, reverse=True)
    leftovers = []
    for line in text.splitlines():
        if not line.strip() or line == INSTRUCTION:
            continue
        cited = re.findall(r"\[@([a-z0-9_-]+)\]", line)
        leftovers += [f"{line!r} cites unknown [@{ref}]" for ref in cited if ref not in data]
        rest = re.sub(r"\[@[a-z0-9_-]+\]", " ", line)  # references, checked above
        for piece in pieces:
            rest = rest.replace(piece, " ")
        rest = re.sub(r"[\s\-–•⚠:;.,()%‘’\d]+", "", rest)  # bullets, numbers, punctuation
        if rest:
            leftovers.append(f"{line!r} → {rest!r}")
    return leftovers


def test_skeleton_holds_question_options_and_references(
    people: dict[str, Any], world: dict[str, Any]
) -> None:
    built = dossier.dossier_build(request=world["request"], user=people["cpo"])
    text = dossier.skeleton(built)
    assert set(text) == set(Section.values)
    assert text[Section.SUMMARY].startswith(f"Adviesvraag: {world['request'].question}")
    assert "- Maatregelen reizigers China" in text[Section.SUMMARY]
    ref = world["response"].evidence.ref
    assert f"Reizigers ervaren stigma op Schiphol. [@{ref}]" in text[Section.REASONING]
    assert f"[@{ref}]" in text[Section.GROUPS] and "- Reizigers" in text[Section.GROUPS]
    assert "Mondkapje in het vliegtuig (fiche versie 1)" in text[Section.REASONING]
    assert "- Mondkapje in het vliegtuig: Mondkapjes gratis uitdelen" in text[Section.MITIGATION]
    assert text[Section.MINORITY] == "" and text[Section.DILEMMAS] == ""
    # the skeleton is the committee's starting point: saving it is a first version
    revision = services.advice_revision_save(
        request=world["request"], sections=text, base_number=None, actor=people["cpo"]
    )
    assert revision.number == 1


def test_skeleton_invents_no_prose(people: dict[str, Any], world: dict[str, Any]) -> None:
    respond(
        world["request"],
        people,
        "Ouderen kunnen niet reizen.",
        [PopulationGroupFactory(key="ouderen", name_nl="Ouderen")],
        kind=RecipientKind.EXPERT_MEMBER,
        recipient_email="expert@example.org",
        organisation="",
    )
    for user in (people["cpo"], people["members"][0]):
        built = dossier.dossier_build(request=world["request"], user=user)
        text = "\n".join(dossier.skeleton(built).values())
        assert untraced(built, text) == []
    # the check itself would notice an invented sentence
    assert untraced(built, text + "\nHet MIT vindt dit een slecht idee.") != []


def test_skeleton_with_an_analysed_assessment_invents_no_prose(
    people: dict[str, Any], analysed: dict[str, Any]
) -> None:
    built = dossier.dossier_build(request=analysed["request"], user=people["cpo"])
    text = dossier.skeleton(built)
    assert "Afweging ‘Afweging mondkapjes’, versie 1" in text[Section.REASONING]
    assert "1. " in text[Section.REASONING]
    assert "Eenzaamheid: 12.5 %" in text[Section.GROUPS]
    assert untraced(built, "\n".join(text.values())) == []


def test_skeleton_names_fundamental_rights_only_when_touched(
    people: dict[str, Any], analysed: dict[str, Any]
) -> None:
    built = dossier.dossier_build(request=analysed["request"], user=people["cpo"])
    assert built.assessment is not None
    # No option touches a right in this analysis: nothing is claimed about rights.
    assert built.assessment["rights_touched"] == {}
    assert dossier.skeleton(built)[Section.DILEMMAS] == ""
