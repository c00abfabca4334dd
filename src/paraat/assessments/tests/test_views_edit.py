"""The editing pages and the matrix editor: permissions, forms, htmx partials, bad input."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from paraat.accounts import roles
from paraat.accounts.models import Confidentiality
from paraat.accounts.services import roles_sync
from paraat.accounts.tests.factories import UserFactory
from paraat.assessments.forms import JudgementForm, WeightsForm
from paraat.assessments.models import (
    Assessment,
    AssessmentStatusChange,
    Effect,
    Effectiveness,
    Judgement,
    Option,
    RightsAnswer,
    RightTouched,
)
from paraat.assessments.tests.factories import AssessmentFactory, option_make, rights_fixture
from paraat.evidence.models import EvidenceItem
from paraat.evidence.tests.factories import EvidenceItemFactory
from paraat.measures.tests.factories import MeasureFactory
from paraat.taxonomies.tests.factories import DomainFactory, PopulationGroupFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def users():
    roles_sync()
    return {
        "analyst": UserFactory(username="analist", roles=[roles.ANALYST]),
        "member": UserFactory(username="lid", roles=[roles.MEMBER]),
    }


@pytest.fixture
def assessment() -> Assessment:
    return AssessmentFactory(key="china", title="Reizigers uit China (synthetisch)")


def _client(client, user):
    client.force_login(user)
    return client


def _cell_url(assessment, option_key="zero", domain="mental-health", group="young-people"):
    return reverse("assessments:cell", args=[assessment.key, option_key, domain, group])


def _text(html: str) -> str:
    """Visible text of some HTML, whitespace collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _cell_text(html: str, cell_id: str) -> str:
    match = re.search(rf'<td id="{cell_id}".*?</td>', html, re.S)
    assert match, cell_id
    return _text(match.group(0))


def _zero(assessment) -> Option:
    return assessment.options.get(is_zero=True)


# --- access ----------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, assessment) -> None:
    for url in (
        reverse("assessments:list"),
        reverse("assessments:detail", args=[assessment.key]),
        reverse("assessments:matrix", args=[assessment.key, _zero(assessment).key]),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/inloggen/"), url


def test_reader_views_but_cannot_edit(client, users, assessment) -> None:
    c = _client(client, users["member"])
    zero = _zero(assessment)
    listing = c.get(reverse("assessments:list"))
    assert listing.status_code == 200
    assert "Reizigers uit China" in listing.content.decode()
    assert "Nieuwe afweging" not in listing.content.decode()
    detail = c.get(reverse("assessments:detail", args=[assessment.key]))
    assert detail.status_code == 200
    page = detail.content.decode()
    assert "Stap 1. Probleem" in page and "Stap 5. Voorkeursoptie" in page
    assert "Optie toevoegen" not in page
    matrix = c.get(reverse("assessments:matrix", args=[assessment.key, zero.key]))
    assert matrix.status_code == 200
    assert "niet beoordeeld" in matrix.content.decode()
    assert "htmx.min.js" not in matrix.content.decode()  # no editor for readers
    forbidden = [
        ("get", reverse("assessments:create")),
        ("get", reverse("assessments:edit", args=[assessment.key])),
        ("get", reverse("assessments:compass", args=[assessment.key])),
        ("get", reverse("assessments:option_create", args=[assessment.key])),
        ("get", _cell_url(assessment)),
        ("post", _cell_url(assessment)),
        ("post", reverse("assessments:status", args=[assessment.key])),
        ("get", reverse("assessments:option_section", args=[assessment.key, "zero", "etd"])),
    ]
    for method, url in forbidden:
        assert getattr(c, method)(url).status_code == 403, url
    assert not Judgement.objects.exists()


def test_invisible_assessment_is_404(client, users) -> None:
    secret = AssessmentFactory(key="geheim", confidentiality=Confidentiality.CONFIDENTIAL)
    c = _client(client, users["member"])
    assert c.get(reverse("assessments:detail", args=[secret.key])).status_code == 404
    assert "geheim" not in c.get(reverse("assessments:list")).content.decode()


def test_nav_has_assessments_link(client, users) -> None:
    page = _client(client, users["member"]).get("/").content.decode()
    assert 'href="/afwegingen/"' in page and "Afwegingen" in page


# --- create and overview ---------------------------------------------------------------------


def test_create_assessment_with_zero_option_and_status(client, users) -> None:
    c = _client(client, users["analyst"])
    assert c.get(reverse("assessments:create")).status_code == 200
    response = c.post(
        reverse("assessments:create"),
        {
            "key": "scholen-2021",
            "title": "Scholen open of dicht",
            "question": "Moeten de scholen dicht?",
            "assessed_on": "2021-01-04",
            "confidentiality": "internal",
            "scenario_level": "",
        },
    )
    assert response.status_code == 302
    assessment = Assessment.objects.get(key="scholen-2021")
    assert response["Location"] == reverse("assessments:detail", args=[assessment.key])
    assert assessment.options.filter(is_zero=True).count() == 1
    assert AssessmentStatusChange.objects.filter(assessment=assessment).count() == 1
    page = c.get(response["Location"]).content.decode()
    assert "Scholen open of dicht" in page and "nuloptie" in page and "concept" in page


def test_create_bad_input_shows_errors_not_500(client, users, assessment) -> None:
    c = _client(client, users["analyst"])
    response = c.post(
        reverse("assessments:create"),
        {"key": "Geen Slug!", "title": "", "question": "", "assessed_on": "gisteren"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"key", "title", "question", "assessed_on"} <= set(errors)
    # A key that exists already: the service's error lands on the key field.
    duplicate = c.post(
        reverse("assessments:create"),
        {
            "key": assessment.key,
            "title": "Dubbel",
            "question": "?",
            "assessed_on": "2023-01-05",
            "confidentiality": "internal",
        },
    )
    assert duplicate.status_code == 200
    assert duplicate.context["form"].errors
    assert Assessment.objects.count() == 1


def test_compass_terms_weights_and_status(client, users, assessment) -> None:
    c = _client(client, users["analyst"])
    masks = option_make(assessment, name="Mondkapjes", key="masks")
    response = c.post(
        reverse("assessments:compass", args=[assessment.key]),
        {
            "problem": "Een nieuwe variant.",
            "goal": "Tijd winnen.",
            "preferred_option_key": masks.key,
            "preferred_rationale": "Minste last.",
        },
    )
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.problem == "Een nieuwe variant."
    assert assessment.preferred_option == masks

    DomainFactory(key="education", name_nl="Onderwijs")
    terms = c.post(
        reverse("assessments:terms", args=[assessment.key]),
        {"domain_keys": ["mental-health", "education"], "group_keys": ["young-people"]},
    )
    assert terms.status_code == 302
    assert sorted(assessment.domains.values_list("domain__key", flat=True)) == [
        "education",
        "mental-health",
    ]
    assert list(assessment.groups.values_list("group__key", flat=True)) == ["young-people"]
    bad_terms = c.post(
        reverse("assessments:terms", args=[assessment.key]), {"domain_keys": ["bestaat-niet"]}
    )
    assert bad_terms.status_code == 200 and bad_terms.context["form"].errors

    weights = c.post(
        reverse("assessments:weights", args=[assessment.key]),
        {
            "w_domain_mental-health": "2",
            "w_domain_education": "1",
            "constraints": "mental-health weegt minstens zo zwaar als education",
        },
    )
    assert weights.status_code == 302
    assessment.refresh_from_db()
    assert assessment.weights["domains"] == {"mental-health": 2.0, "education": 1.0}
    assert assessment.constraints == [
        {"level": "domain", "more": "mental-health", "less": "education"}
    ]
    bad = c.post(
        reverse("assessments:weights", args=[assessment.key]),
        {"w_domain_education": "-1", "constraints": "economie is belangrijker"},
    )
    assert bad.status_code == 200
    assert {"w_domain_education", "constraints"} <= set(bad.context["form"].errors)
    assert "Regel 1" in str(bad.context["form"].errors["constraints"])

    status = c.post(
        reverse("assessments:status", args=[assessment.key]),
        {"status": "in_review", "note": "Klaar voor de commissie"},
    )
    assert status.status_code == 302
    page = c.get(reverse("assessments:detail", args=[assessment.key])).content.decode()
    assert "Klaar voor de commissie" in page and "in review" in page
    assert assessment.status_changes.count() == 2
    # A status that does not exist is refused with a message, never a 500.
    assert (
        c.post(reverse("assessments:status", args=[assessment.key]), {"status": "x"}).status_code
        == 302
    )
    assert assessment.status_changes.count() == 2


def test_group_size_number_or_error(client, users, assessment) -> None:
    c = _client(client, users["analyst"])
    url = reverse("assessments:group_size", args=[assessment.key, "young-people"])
    assert c.get(url).status_code == 200
    response = c.post(url, {"size": "2100000", "size_source": "CBS (synthetisch)"})
    assert response.status_code == 302
    row = assessment.groups.get(group__key="young-people")
    assert row.size == 2_100_000 and row.size_source == "CBS (synthetisch)"
    bad = c.post(url, {"size": "-5"})
    assert bad.status_code == 200 and "size" in bad.context["form"].errors
    assert (
        c.get(reverse("assessments:group_size", args=[assessment.key, "nope"])).status_code == 404
    )


# --- options ---------------------------------------------------------------------------------


def test_option_create_from_measures_edit_and_delete(client, users, assessment) -> None:
    c = _client(client, users["analyst"])
    MeasureFactory(key="mondkapjes", name_nl="Mondkapjes in het vliegtuig")
    form_page = c.get(reverse("assessments:option_create", args=[assessment.key]))
    assert "Mondkapjes in het vliegtuig" in form_page.content.decode()
    response = c.post(
        reverse("assessments:option_create", args=[assessment.key]),
        {"name": "Mondkapjes", "key": "masks", "measure_keys": ["mondkapjes"]},
    )
    assert response.status_code == 302
    option = assessment.options.get(key="masks")
    assert list(option.measures.values_list("key", flat=True)) == ["mondkapjes"]
    bad = c.post(
        reverse("assessments:option_create", args=[assessment.key]),
        {"name": "", "measure_keys": ["bestaat-niet"]},
    )
    assert bad.status_code == 200 and {"name", "measure_keys"} <= set(bad.context["form"].errors)

    detail = c.get(reverse("assessments:option", args=[assessment.key, "masks"]))
    assert detail.status_code == 200 and "Mondkapjes in het vliegtuig" in detail.content.decode()

    values = c.post(
        reverse("assessments:option_section", args=[assessment.key, "masks", "waarden"]),
        {"justice": "Reizigers dragen de last."},
    )
    assert values.status_code == 302
    etd = c.post(
        reverse("assessments:option_section", args=[assessment.key, "masks", "etd"]),
        {"etd_desirable": "Minder import.", "advice": "conditional_for"},
    )
    assert etd.status_code == 302
    accept = c.post(
        reverse("assessments:option_section", args=[assessment.key, "masks", "draagvlak"]),
        {"support": "0.7", "support_low": "0.6", "support_high": "0.8", "compliance": "0.9"},
    )
    assert accept.status_code == 302
    option.refresh_from_db()
    assert option.justice == "Reizigers dragen de last."
    assert option.advice == "conditional_for" and option.support == 0.7
    bad_accept = c.post(
        reverse("assessments:option_section", args=[assessment.key, "masks", "draagvlak"]),
        {"support": "1.5"},
    )
    assert bad_accept.status_code == 200 and "support" in bad_accept.context["form"].errors
    assert (
        c.get(
            reverse("assessments:option_section", args=[assessment.key, "masks", "onzin"])
        ).status_code
        == 404
    )

    # The zero option cannot be deleted; another option can.
    zero_delete = c.post(reverse("assessments:option_delete", args=[assessment.key, "zero"]))
    assert zero_delete.status_code == 302
    assert assessment.options.filter(is_zero=True).exists()
    c.post(reverse("assessments:option_delete", args=[assessment.key, "masks"]))
    assert not assessment.options.filter(key="masks").exists()


def test_effectiveness_confidential_hidden_from_reader(client, users, assessment) -> None:
    c = _client(client, users["analyst"])
    url = reverse("assessments:option_section", args=[assessment.key, "zero", "effectiviteit"])
    bad = c.post(url, {"outcome": "transmission", "estimate": "0.5", "low": "0.6", "source": ""})
    assert bad.status_code == 200 and {"source", "estimate"} <= set(bad.context["form"].errors)
    response = c.post(
        url,
        {
            "outcome": "transmission",
            "estimate": "-0.05",
            "low": "-0.1",
            "high": "0",
            "unit": "relatieve verandering",
            "source": "OMT-advies 4 jan 2023 (geheim-nummer-731)",
            "confidentiality": "confidential",
        },
    )
    assert response.status_code == 302
    assert Effectiveness.objects.get().confidentiality == "confidential"
    reader = _client(client, users["member"])
    page = reader.get(reverse("assessments:option", args=[assessment.key, "zero"]))
    assert page.status_code == 200
    assert "geheim-nummer-731" not in page.content.decode()
    assert "u mag haar niet inzien" in page.content.decode()


def test_rights_answers_and_touched(client, users, assessment, tmp_path) -> None:
    rights_fixture(tmp_path)
    c = _client(client, users["analyst"])
    url = reverse("assessments:option_section", args=[assessment.key, "zero", "grondrechten"])
    page = c.get(url)
    assert page.status_code == 200 and "Toets necessity?" in page.content.decode()
    response = c.post(
        url,
        {
            "test__necessity__answer": "partly",
            "test__necessity__note": "Er is een lichter middel.",
            "checklist__at_stake__answer": "yes",
            "touched": ["evrm-8"],
        },
    )
    assert response.status_code == 302
    assert RightsAnswer.objects.filter(option__assessment=assessment).count() == 2
    assert list(RightTouched.objects.values_list("right__key", flat=True)) == ["evrm-8"]
    c.post(url, {"touched": []})
    assert not RightTouched.objects.exists()
    bad = c.post(url, {"test__necessity__answer": "misschien", "touched": ["nope"]})
    assert bad.status_code == 200
    assert {"test__necessity__answer", "touched"} <= set(bad.context["form"].errors)


# --- the matrix editor -----------------------------------------------------------------------


def test_matrix_shows_states_as_text_and_symbol(client, users, assessment) -> None:
    c = _client(client, users["analyst"])
    zero = _zero(assessment)
    from paraat.assessments import services

    services.judgement_set(
        actor=None,
        option=zero,
        domain_key="mental-health",
        group_key="young-people",
        effect="moderate_negative",
        certainty="moderate",
    )
    services.judgement_set(
        actor=None, option=zero, domain_key="economy", group_key="young-people", effect="unknown"
    )
    page = c.get(reverse("assessments:matrix", args=[assessment.key, zero.key])).content.decode()
    assert _cell_text(page, "cell-mental-health--young-people") == (
        "Mentale gezondheid, Jongeren: −− middelgroot negatief zekerheid: redelijk"
    )
    assert _cell_text(page, "cell-economy--young-people") == "Economie, Jongeren: ? onbekend"
    assert _cell_text(page, "cell-economy--travellers") == "Economie, Reizigers: — niet beoordeeld"
    assert 'data-state="unknown"' in page and 'data-state="not_assessed"' in page
    # Progressive enhancement: every cell is a real link to its edit page.
    assert f'href="{_cell_url(assessment)}"' in page
    assert "vendor/htmx/htmx.min.js" in page and "assessments/editor.js" in page
    assert 'name="htmx-config"' in page and '"allowEval": false' in page
    assert "<script>" not in page and "style=" not in page and "onclick" not in page


def test_cell_form_full_page_and_htmx_partial(client, users, assessment) -> None:
    c = _client(client, users["analyst"])
    full = c.get(_cell_url(assessment))
    assert full.status_code == 200
    assert (
        "<html" in full.content.decode()
        and "Mentale gezondheid × Jongeren" in full.content.decode()
    )
    partial = c.get(_cell_url(assessment), **HTMX)
    assert partial.status_code == 200
    body = partial.content.decode()
    assert "<html" not in body and "<form" in body and 'name="effect"' in body
    assert "Wissen" in body and 'name="certainty"' in body
    assert c.get(_cell_url(assessment, domain="nope")).status_code == 404
    assert c.get(_cell_url(assessment, option_key="nope")).status_code == 404


def test_cell_save_htmx_returns_cell_and_trigger(client, users, assessment) -> None:
    c = _client(client, users["analyst"])
    evidence = EvidenceItemFactory(
        ref="scp-2022", title="Jongeren in coronatijd", confidentiality=Confidentiality.PUBLIC
    )
    response = c.post(
        _cell_url(assessment),
        {
            "action": "save",
            "effect": "large_negative",
            "low": "large_negative",
            "high": "small_negative",
            "certainty": "low",
            "reach_share": "0.4",
            "duration": "months",
            "evidence_refs": [evidence.ref],
            "rationale": "Eenzaamheid.",
        },
        **HTMX,
    )
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#cell-mental-health--young-people"
    assert response["HX-Reswap"] == "outerHTML"
    trigger = json.loads(response["HX-Trigger-After-Settle"])["paraat:cell-saved"]
    assert trigger["cell"] == "cell-mental-health--young-people"
    assert trigger["message"].startswith("Opgeslagen")
    body = response.content.decode()
    assert body.startswith('<td id="cell-mental-health--young-people"')
    assert _cell_text(body, "cell-mental-health--young-people").endswith(
        "−−− groot negatief zekerheid: laag"
    )
    judgement = Judgement.objects.get()
    assert judgement.effect == Effect.LARGE_NEGATIVE and judgement.reach_share == 0.4
    assert list(judgement.evidence.values_list("ref", flat=True)) == ["scp-2022"]

    # The form shows the saved values when opened again.
    again = c.get(_cell_url(assessment), **HTMX).content.decode()
    assert 'value="large_negative" checked' in again.replace('checked=""', "checked") or (
        "checked" in again and "scp-2022" in again
    )

    cleared = c.post(_cell_url(assessment), {"action": "clear"}, **HTMX)
    assert cleared.status_code == 200
    assert _cell_text(cleared.content.decode(), "cell-mental-health--young-people").endswith(
        "— niet beoordeeld"
    )
    assert not Judgement.objects.exists()


def test_cell_save_without_js_redirects_to_the_cell(client, users, assessment) -> None:
    c = _client(client, users["analyst"])
    response = c.post(_cell_url(assessment), {"action": "save", "effect": "unknown"})
    assert response.status_code == 302
    assert response["Location"].endswith("/matrix/#cell-mental-health--young-people")
    assert Judgement.objects.get().effect == "unknown"
    page = c.get(response["Location"]).content.decode()
    assert "Opgeslagen" in page


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({}, "effect"),
        ({"effect": "enorm"}, "effect"),
        ({"effect": "small_negative", "low": "small_positive"}, "low"),
        ({"effect": "small_negative", "high": "large_negative"}, "high"),
        ({"effect": "unknown", "low": "small_negative"}, "low"),
        ({"effect": "none", "reach_share": "1.5"}, "reach_share"),
        ({"effect": "none", "reach_share": "0.5", "reach_people": "10"}, "reach_share"),
        ({"effect": "none", "reach_people": "veel"}, "reach_people"),
        ({"effect": "none", "certainty": "zeker"}, "certainty"),
        ({"effect": "none", "duration": "eeuwig"}, "duration"),
        ({"effect": "none", "evidence_refs": ["bestaat-niet"]}, "evidence_refs"),
        ({"effect": "none", "evidence_refs": ["<script>"]}, "evidence_refs"),
        ({"effect": "none", "fiche_cell_ids": ["999"]}, "fiche_cell_ids"),
    ],
)
def test_cell_bad_input_shows_error_next_to_field(client, users, assessment, data, field) -> None:
    c = _client(client, users["analyst"])
    for headers in ({}, HTMX):
        response = c.post(_cell_url(assessment), {"action": "save", **data}, **headers)
        assert response.status_code == 200, data
        assert field in response.context["form"].errors, (data, response.context["form"].errors)
        body = response.content.decode()
        assert 'class="errorlist"' in body
        assert "HX-Retarget" not in response
    assert not Judgement.objects.exists()


def test_invisible_evidence_is_refused_and_not_offered(client, users, assessment) -> None:
    EvidenceItemFactory(
        ref="intern-memo", title="Interne notitie", confidentiality=Confidentiality.CONFIDENTIAL
    )
    EvidenceItemFactory(
        ref="open-rapport", title="Openbaar rapport", confidentiality=Confidentiality.PUBLIC
    )
    c = _client(client, users["analyst"])
    search = c.get(
        reverse("assessments:evidence_search", args=[assessment.key]),
        {"evidence_q": "o"},
        **HTMX,
    ).content.decode()
    assert "open-rapport" in search and "intern-memo" not in search
    response = c.post(
        _cell_url(assessment),
        {"action": "save", "effect": "none", "evidence_refs": ["intern-memo"]},
        **HTMX,
    )
    assert response.status_code == 200
    assert "evidence_refs" in response.context["form"].errors
    assert "Interne notitie" not in response.content.decode()


def test_evidence_search_without_js_keeps_the_form(client, users, assessment) -> None:
    EvidenceItemFactory(
        ref="rivm-2023", title="Reizigers en import", confidentiality=Confidentiality.PUBLIC
    )
    c = _client(client, users["analyst"])
    response = c.post(
        _cell_url(assessment),
        {"action": "search", "evidence_q": "reizigers", "effect": "small_negative"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "rivm-2023 – Reizigers en import" in body
    assert not response.context["form"].errors
    assert not Judgement.objects.exists()


def test_other_apps_links_are_tolerated(client, users, assessment) -> None:
    """The overview renders whether or not the results pages exist yet."""
    c = _client(client, users["analyst"])
    page = c.get(reverse("assessments:detail", args=[assessment.key]))
    assert page.status_code == 200
    assert reverse("assessments:results", args=[assessment.key]) in page.content.decode()
    # "methode/" belongs to the results pages, not to an assessment called "methode".
    assert c.get("/afwegingen/methode/").resolver_match.url_name == "methodology"


def test_unknown_domain_group_combination_in_assessment(client, users) -> None:
    DomainFactory(key="d1", name_nl="D1")
    PopulationGroupFactory(key="g1", name_nl="G1")
    assessment = AssessmentFactory(key="leeg", domains=[], groups=[])
    c = _client(client, users["analyst"])
    page = c.get(reverse("assessments:matrix", args=[assessment.key, "zero"]))
    assert page.status_code == 200
    assert "Kies eerst de impactdomeinen en groepen" in page.content.decode()
    assert c.get(_cell_url(assessment, domain="d1", group="g1")).status_code == 404


def test_group_size_from_indicator_without_value_names_the_field(client, users, assessment) -> None:
    from paraat.indicators.tests.factories import IndicatorFactory

    IndicatorFactory(key="jongeren-aantal", name_nl="Aantal jongeren (synthetisch)")
    c = _client(client, users["analyst"])
    url = reverse("assessments:group_size", args=[assessment.key, "young-people"])
    assert "Aantal jongeren (synthetisch)" in c.get(url).content.decode()
    response = c.post(url, {"size_indicator_key": "jongeren-aantal"})
    assert response.status_code == 200
    assert "size_indicator_key" in response.context["form"].errors
    both = c.post(url, {"size": "10", "size_indicator_key": "jongeren-aantal"})
    assert both.status_code == 200 and "size_indicator_key" in both.context["form"].errors
    unknown = c.post(url, {"size_indicator_key": "bestaat-niet"})
    assert unknown.status_code == 200 and "size_indicator_key" in unknown.context["form"].errors


def test_option_details_edit_links_package_and_measures(client, users, assessment) -> None:
    from paraat.measures.tests.factories import PackageFactory

    PackageFactory(key="pakket-jan-2023", name_nl="Pakket januari 2023")
    MeasureFactory(key="test-voor-vertrek", name_nl="Test voor vertrek")
    option_make(assessment, name="Testplicht", key="test")
    c = _client(client, users["analyst"])
    url = reverse("assessments:option_section", args=[assessment.key, "test", "gegevens"])
    page = c.get(url).content.decode()
    assert "Pakket januari 2023" in page and "Test voor vertrek" in page
    response = c.post(
        url,
        {
            "name": "Testplicht voor vertrek",
            "package_key": "pakket-jan-2023",
            "measure_keys": ["test-voor-vertrek"],
        },
    )
    assert response.status_code == 302
    option = assessment.options.get(key="test")
    assert option.name == "Testplicht voor vertrek" and option.package.key == "pakket-jan-2023"
    assert list(option.measures.values_list("key", flat=True)) == ["test-voor-vertrek"]
    bad = c.post(url, {"name": "", "package_key": "bestaat-niet"})
    assert bad.status_code == 200 and {"name", "package_key"} <= set(bad.context["form"].errors)


def test_list_and_overview_show_version_and_review_badge(client, users) -> None:
    from paraat.assessments import services
    from paraat.assessments.tests.factories import filled_assessment

    assessment = filled_assessment(key="gevuld", title="Gevulde afweging (synthetisch)")
    zero = _zero(assessment)
    item = EvidenceItemFactory(ref="bron-1", title="Bron", confidentiality=Confidentiality.PUBLIC)
    services.judgement_set(
        actor=None,
        option=zero,
        domain_key="economy",
        group_key="travellers",
        effect="small_negative",
        evidence_refs=("bron-1",),
    )
    services.assessment_analyse(actor=None, assessment=assessment, samples=200, seed=1)
    c = _client(client, users["member"])
    listing = _text(c.get(reverse("assessments:list")).content.decode())
    assert "versie 1" in listing and "actueel" in listing
    EvidenceItem.objects.filter(pk=item.pk).update(
        title="Bron (herzien)", updated_at=timezone.now() + dt.timedelta(minutes=5)
    )
    listing = _text(c.get(reverse("assessments:list")).content.decode())
    assert "herbeoordelen: 1 bron gewijzigd" in listing
    detail = _text(c.get(reverse("assessments:detail", args=[assessment.key])).content.decode())
    assert "Herbeoordelen" in detail and "Laatste analyse: versie 1" in detail


# --- the form parsers, property-based ---------------------------------------------------------

TERMS = {"domains": [("a", "A"), ("b", "B")], "groups": [("x", "X"), ("y", "Y")]}


@given(st.text(max_size=300))
def test_constraints_parser_never_crashes(text) -> None:
    form = WeightsForm({"constraints": text}, **TERMS)
    if form.is_valid():
        for c in form.cleaned_data["constraints"]:
            assert c["level"] in ("domain", "group") and c["more"] != c["less"]
    else:
        assert "constraints" in form.errors


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["a", "b", "x", "y", "z"]), st.sampled_from(["a", "b", "x", "y"])
        ),
        max_size=5,
    )
)
def test_constraints_parser_round_trips(pairs) -> None:
    text = "\n".join(f"{more} weegt minstens zo zwaar als {less}" for more, less in pairs)
    form = WeightsForm({"constraints": text}, **TERMS)
    same_level = all(
        more != less and ({more, less} <= {"a", "b"} or {more, less} <= {"x", "y"})
        for more, less in pairs
    )
    assert form.is_valid() == same_level
    if same_level:
        parsed = form.cleaned_data["constraints"]
        assert [(c["more"], c["less"]) for c in parsed] == pairs
        again = WeightsForm.initial_from({}, parsed)["constraints"]
        assert again == text


@given(
    st.dictionaries(
        st.sampled_from(list(JudgementForm.base_fields)),
        st.text(max_size=30),
        max_size=8,
    )
)
def test_judgement_form_never_crashes(data) -> None:
    form = JudgementForm(data)
    if form.is_valid():
        assert form.cleaned_data["effect"]
    else:
        assert form.errors


def test_edit_question_and_context(client, users, assessment) -> None:
    c = _client(client, users["analyst"])
    url = reverse("assessments:edit", args=[assessment.key])
    assert "Reizigers uit China" in c.get(url).content.decode()
    response = c.post(
        url,
        {
            "title": "Reizigers uit China, januari 2023",
            "question": "Welke maatregelen voor reizigers?",
            "context": "Nieuwe golf in China.",
            "scenario_level": "flu_plus",
            "assessed_on": "2023-01-05",
            "confidentiality": "public",
        },
    )
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.title == "Reizigers uit China, januari 2023"
    assert (assessment.scenario_level, assessment.confidentiality) == ("flu_plus", "public")
    bad = c.post(url, {"title": "x", "question": "y", "assessed_on": "2023-13-45"})
    assert bad.status_code == 200 and "assessed_on" in bad.context["form"].errors


# --- review findings (regressions) ------------------------------------------------------------


def _hidden_catalogue(assessment):
    """An option linked to a confidential package and measure, and hidden indicators."""
    from paraat.assessments import services
    from paraat.assessments.tests.factories import observation_make
    from paraat.indicators.tests.factories import IndicatorFactory
    from paraat.measures.tests.factories import PackageFactory

    PackageFactory(
        key="geheim-pakket",
        name_nl="Geheim pakket P7",
        confidentiality=Confidentiality.CONFIDENTIAL,
    )
    MeasureFactory(
        key="geheime-maatregel",
        name_nl="Geheime maatregel M7",
        confidentiality=Confidentiality.CONFIDENTIAL,
    )
    MeasureFactory(key="open-maatregel", name_nl="Open maatregel", confidentiality="public")
    option = option_make(
        assessment,
        name="Testplicht",
        key="test",
        package_key="geheim-pakket",
        measure_keys=["geheime-maatregel", "open-maatregel"],
    )
    for key, name, value in (
        ("geheim-omvang", "Geheime omvang I7", 5000),
        ("geheim-steun", "Geheime steun S7", 60),
    ):
        indicator = IndicatorFactory(key=key, name_nl=name, confidentiality="confidential")
        observation_make(indicator, value)
    services.assessment_group_size_set(
        actor=None,
        assessment=assessment,
        group_key="travellers",
        size_indicator_key="geheim-omvang",
    )
    services.option_update(actor=None, option=option, support_indicator_key="geheim-steun")
    return option


SECRETS = ("Geheim pakket P7", "Geheime maatregel M7", "Geheime omvang I7", "Geheime steun S7")


def test_option_and_overview_pages_do_not_name_hidden_records(client, users, assessment) -> None:
    _hidden_catalogue(assessment)
    c = _client(client, users["analyst"])
    for url in (
        reverse("assessments:option", args=[assessment.key, "test"]),
        reverse("assessments:detail", args=[assessment.key]),
        reverse("assessments:option_section", args=[assessment.key, "test", "gegevens"]),
        reverse("assessments:option_section", args=[assessment.key, "test", "draagvlak"]),
        reverse("assessments:group_size", args=[assessment.key, "travellers"]),
    ):
        page = c.get(url).content.decode()
        for secret in SECRETS:
            assert secret not in page, (url, secret)
    option_page = _text(
        c.get(reverse("assessments:option", args=[assessment.key, "test"])).content.decode()
    )
    assert "Open maatregel" in option_page and "(niet zichtbaar)" in option_page
    detail = _text(c.get(reverse("assessments:detail", args=[assessment.key])).content.decode())
    assert "pakket: (niet zichtbaar)" in detail and "indicator: (niet zichtbaar)" in detail


def test_saving_option_details_keeps_hidden_package_and_measures(client, users, assessment) -> None:
    option = _hidden_catalogue(assessment)
    c = _client(client, users["analyst"])
    url = reverse("assessments:option_section", args=[assessment.key, "test", "gegevens"])
    page = _text(c.get(url).content.decode())
    assert "blijven gekoppeld" in page
    response = c.post(url, {"name": "Testplicht (nieuw)", "description": "", "package_key": ""})
    assert response.status_code == 302
    option.refresh_from_db()
    assert option.name == "Testplicht (nieuw)"
    assert option.package.key == "geheim-pakket"
    assert set(option.measures.values_list("key", flat=True)) == {"geheime-maatregel"}
    draagvlak = reverse("assessments:option_section", args=[assessment.key, "test", "draagvlak"])
    assert c.post(draagvlak, {"support": "0.5", "support_indicator_key": ""}).status_code == 302
    option.refresh_from_db()
    assert option.support_indicator.key == "geheim-steun"


def test_deleting_an_option_with_hidden_effectiveness_is_refused(client, users, assessment) -> None:
    from paraat.assessments import services

    option = option_make(assessment, name="Mondkapjes", key="masks")
    services.effectiveness_set(
        actor=None,
        option=option,
        outcome="transmission",
        source="OMT (vertrouwelijk)",
        confidentiality=Confidentiality.CONFIDENTIAL,
    )
    c = _client(client, users["analyst"])
    response = c.post(
        reverse("assessments:option_delete", args=[assessment.key, "masks"]), follow=True
    )
    assert response.status_code == 200
    assert "niet mag zien" in _text(response.content.decode())
    assert Option.objects.filter(pk=option.pk).exists()


def test_clearing_a_cell_with_hidden_evidence_shows_a_message(client, users, assessment) -> None:
    from paraat.assessments import services

    secret = EvidenceItemFactory(confidentiality=Confidentiality.CONFIDENTIAL)
    services.judgement_set(
        actor=None,
        option=_zero(assessment),
        domain_key="mental-health",
        group_key="young-people",
        effect="small_negative",
        evidence_refs=[secret.ref],
    )
    c = _client(client, users["analyst"])
    for extra in ({}, HTMX):
        response = c.post(_cell_url(assessment), {"action": "clear"}, **extra)
        assert response.status_code == 200
        assert "niet mag zien" in _text(response.content.decode())
        assert secret.ref not in response.content.decode()
    assert Judgement.objects.filter(option=_zero(assessment)).count() == 1


def test_terms_page_saves_both_or_nothing(client, users, assessment) -> None:
    from paraat.assessments import services

    DomainFactory(key="education", name_nl="Onderwijs")
    services.judgement_set(
        actor=None,
        option=_zero(assessment),
        domain_key="economy",
        group_key="travellers",
        effect="none",
    )
    c = _client(client, users["analyst"])
    response = c.post(
        reverse("assessments:terms", args=[assessment.key]),
        {"domain_keys": ["education", "economy"], "group_keys": ["young-people"]},
    )
    assert response.status_code == 200
    assert "group_keys" in response.context["form"].errors
    assert list(assessment.domains.values_list("domain__key", flat=True)) == [
        "mental-health",
        "economy",
    ]


def test_rights_page_saves_all_or_nothing(client, users, assessment, tmp_path) -> None:
    rights_fixture(tmp_path)
    from paraat.assessments import services

    services.rights_answer_set(
        actor=None, option=_zero(assessment), kind="test", question_key="necessity", answer="yes"
    )
    c = _client(client, users["analyst"])
    url = reverse("assessments:option_section", args=[assessment.key, "zero", "grondrechten"])
    bad = c.post(url, {"test__necessity__answer": "", "touched": ["nope"]})
    assert bad.status_code == 200 and "touched" in bad.context["form"].errors
    assert RightsAnswer.objects.get().answer == "yes"  # not removed by the failed save
    ok = c.post(url, {"test__necessity__answer": "", "touched": ["evrm-8"]})
    assert ok.status_code == 302
    assert not RightsAnswer.objects.exists()  # an emptied answer is removed
    assert list(RightTouched.objects.values_list("right__key", flat=True)) == ["evrm-8"]


def test_group_size_form_refuses_huge_numbers(client, users, assessment) -> None:
    c = _client(client, users["analyst"])
    url = reverse("assessments:group_size", args=[assessment.key, "young-people"])
    for size in (str(10**30), str(2**63), "0"):
        response = c.post(url, {"size": size})
        assert response.status_code == 200 and "size" in response.context["form"].errors


def test_external_expert_cannot_open_internal_assessments(client, assessment) -> None:
    roles_sync()
    expert = UserFactory(username="expert-views", roles=[roles.EXTERNAL_EXPERT])
    public = AssessmentFactory(key="openbaar", confidentiality=Confidentiality.PUBLIC)
    c = _client(client, expert)
    assert c.get(reverse("assessments:detail", args=[assessment.key])).status_code == 404
    listing = c.get(reverse("assessments:list")).content.decode()
    assert assessment.title not in listing and public.title in listing
    assert c.get(reverse("assessments:detail", args=[public.key])).status_code == 200
