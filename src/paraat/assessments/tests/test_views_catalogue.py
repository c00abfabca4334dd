"""The rights catalogue pages: fundamental rights and rights questions as editable data."""

from __future__ import annotations

import itertools
import re

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paraat.accounts import roles
from paraat.accounts.services import roles_sync
from paraat.accounts.tests.factories import UserFactory
from paraat.assessments import selectors, services
from paraat.assessments.models import FundamentalRight, RightsAnswer, RightsQuestion
from paraat.assessments.tests.factories import AssessmentFactory, option_make, rights_fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def users():
    roles_sync()
    return {
        "admin": UserFactory(username="beheer", roles=[roles.ADMIN]),
        "cpo": UserFactory(username="cpo", roles=[roles.CPO]),
        "analyst": UserFactory(username="analist", roles=[roles.ANALYST]),
        "member": UserFactory(username="lid", roles=[roles.MEMBER]),
        "external": UserFactory(username="extern", roles=[roles.EXTERNAL_EXPERT]),
    }


@pytest.fixture
def seeded(tmp_path) -> None:
    rights_fixture(tmp_path)


def _client(client, user):
    client.force_login(user)
    return client


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _right_data(**overrides) -> dict:
    data = {
        "key": "evrm-p4-2",
        "instrument": "echr",
        "article": "2 Protocol 4",
        "title_nl": "Vrijheid van verplaatsing",
        "title_en": "Freedom of movement",
        "absolute": "",
        "url": "https://www.echr.coe.int/",
        "position": "5",
        "is_active": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def _question_data(**overrides) -> dict:
    data = {
        "kind": "checklist",
        "key": "temporary",
        "text_nl": "Is de beperking tijdelijk?",
        "text_en": "",
        "help_nl": "Noem de einddatum of het evaluatiemoment.",
        "help_en": "",
        "position": "8",
        "is_active": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


RIGHTS = reverse("assessments:catalogue_rights")
RIGHT_NEW = reverse("assessments:catalogue_right_create")
QUESTIONS = reverse("assessments:catalogue_questions")
QUESTION_NEW = reverse("assessments:catalogue_question_create")


def _right_edit(key: str) -> str:
    return reverse("assessments:catalogue_right_edit", args=[key])


def _question_edit(kind: str, key: str) -> str:
    return reverse("assessments:catalogue_question_edit", args=[kind, key])


# --- access -----------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, seeded) -> None:
    urls = [
        RIGHTS,
        RIGHT_NEW,
        _right_edit("evrm-8"),
        QUESTIONS,
        QUESTION_NEW,
        _question_edit("test", "necessity"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/inloggen/"), url
    response = client.post(RIGHT_NEW, _right_data())
    assert response.status_code == 302
    assert not FundamentalRight.objects.filter(key="evrm-p4-2").exists()


def test_readers_see_the_lists_but_may_not_edit(client, users, seeded) -> None:
    for name in ("member", "analyst"):
        c = _client(client, users[name])
        page = c.get(RIGHTS)
        assert page.status_code == 200, name
        text = _text(page.content.decode())
        assert "Recht op eerbiediging van privé-, familie- en gezinsleven" in text
        assert "Grondrecht toevoegen" not in text and "Bewerken" not in text
        page = c.get(QUESTIONS)
        assert page.status_code == 200
        assert "Toets necessity?" in _text(page.content.decode())
        assert "Bewerken" not in page.content.decode()
        for url in (RIGHT_NEW, _right_edit("evrm-8"), QUESTION_NEW):
            assert c.get(url).status_code == 403, (name, url)
        assert c.get(_question_edit("test", "necessity")).status_code == 403
        assert c.post(RIGHT_NEW, _right_data()).status_code == 403
        assert (
            c.post(_right_edit("evrm-8"), _right_data(key="evrm-8", title_nl="Weg")).status_code
            == 403
        )
        assert c.post(QUESTION_NEW, _question_data()).status_code == 403
    assert not FundamentalRight.objects.filter(key="evrm-p4-2").exists()
    assert FundamentalRight.objects.get(key="evrm-8").title_nl.startswith("Recht op")
    assert not RightsQuestion.objects.filter(key="temporary").exists()


def test_users_without_the_read_permission_get_403(client, users, seeded) -> None:
    c = _client(client, users["external"])
    assert c.get(RIGHTS).status_code == 403
    assert c.get(QUESTIONS).status_code == 403


def test_unknown_rows_are_404(client, users, seeded) -> None:
    c = _client(client, users["admin"])
    assert c.get(_right_edit("bestaat-niet")).status_code == 404
    assert c.get(_question_edit("test", "bestaat-niet")).status_code == 404
    assert c.get(_question_edit("anders", "necessity")).status_code == 404


def test_assessment_list_links_to_the_catalogue_for_editors_only(client, users, seeded) -> None:
    url = reverse("assessments:list")
    for name in ("admin", "cpo"):
        html = _client(client, users[name]).get(url).content.decode()
        assert RIGHTS in html and QUESTIONS in html, name
    for name in ("analyst", "member"):
        html = _client(client, users[name]).get(url).content.decode()
        assert RIGHTS not in html and QUESTIONS not in html, name


# --- fundamental rights -----------------------------------------------------------------------


@pytest.mark.parametrize("role", ["admin", "cpo"])
def test_editor_adds_a_right_and_the_audit_trail_records_it(client, users, seeded, role) -> None:
    c = _client(client, users[role])
    form = c.get(RIGHT_NEW)
    assert form.status_code == 200
    html = form.content.decode()
    for name in ("key", "instrument", "article", "title_nl", "url", "position", "is_active"):
        assert f'for="id_{name}"' in html, name
    response = c.post(RIGHT_NEW, _right_data())
    assert response.status_code == 302
    assert response["Location"] == RIGHTS
    right = FundamentalRight.objects.get(key="evrm-p4-2")
    assert (right.instrument, right.article, right.position) == ("echr", "2 Protocol 4", 5)
    assert right.is_active and not right.absolute
    entry = LogEntry.objects.get_for_object(right).get()
    assert entry.action == LogEntry.Action.CREATE
    assert entry.actor == users[role]
    # The list shows it under its instrument with article and flags.
    page = _text(c.get(RIGHTS).content.decode())
    echr = page.split("EVRM (en protocollen)", 1)[1].split("Grondwet", 1)[0]
    assert "art. 2 Protocol 4 Vrijheid van verplaatsing" in echr
    assert "art. 8" in echr


def test_editor_changes_and_deactivates_a_right_without_changing_its_key(
    client, users, seeded
) -> None:
    c = _client(client, users["admin"])
    url = _right_edit("evrm-8")
    page = c.get(url).content.decode()
    assert re.search(r'<input[^>]*name="key"[^>]*disabled', page)
    # A posted key is ignored: the key field is disabled and the view passes the stored key.
    response = c.post(
        url, _right_data(key="iets-anders", article="8", title_nl="Privéleven", is_active=None)
    )
    assert response.status_code == 302
    right = FundamentalRight.objects.get(key="evrm-8")
    assert right.title_nl == "Privéleven" and not right.is_active
    assert not FundamentalRight.objects.filter(key="iets-anders").exists()
    update = LogEntry.objects.get_for_object(right).filter(action=LogEntry.Action.UPDATE).get()
    assert update.actor == users["admin"]
    assert "is_active" in update.changes_dict and "title_nl" in update.changes_dict
    listing = _text(c.get(RIGHTS).content.decode())
    assert "Privéleven Freedom of movement evrm-8 nee nee, uitgezet" in listing
    # The history of the right is shown on its page to trusted roles.
    assert "Wijzigingsgeschiedenis" in c.get(url).content.decode()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"key": "evrm-8"}, "key"),  # already exists
        ({"key": "Geen Slug!"}, "key"),
        ({"instrument": "bijbel"}, "instrument"),
        ({"article": ""}, "article"),
        ({"article": "x" * 41}, "article"),
        ({"title_nl": ""}, "title_nl"),
        ({"url": "geen adres met spaties"}, "url"),
        ({"position": "-1"}, "position"),
        ({"position": "twee"}, "position"),
    ],
)
def test_bad_right_input_is_a_form_error_on_the_field(
    client, users, seeded, overrides, field
) -> None:
    c = _client(client, users["admin"])
    before = FundamentalRight.objects.count()
    response = c.post(RIGHT_NEW, _right_data(**overrides))
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors, form.errors
    assert f'id="id_{field}_error"' in response.content.decode()
    assert FundamentalRight.objects.count() == before


def test_right_service_refuses_a_key_change_and_bad_values(seeded) -> None:
    right = FundamentalRight.objects.get(key="evrm-8")
    common = {"instrument": "echr", "article": "8", "title_nl": "Privéleven"}
    with pytest.raises(ValidationError) as exc:
        services.fundamental_right_save(actor=None, key="evrm-9", right=right, **common)
    assert "key" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.fundamental_right_save(actor=None, key="grondwet-1", **common)
    assert "key" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.fundamental_right_save(actor=None, key="nieuw-1", **{**common, "instrument": "x"})
    assert "instrument" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.fundamental_right_save(actor=None, key="nieuw-1", position=-3, **common)
    assert "position" in exc.value.message_dict
    assert not FundamentalRight.objects.filter(key="nieuw-1").exists()
    saved = services.fundamental_right_save(
        actor=None, key="evrm-8", right=right, absolute=True, **common
    )
    assert saved.pk == right.pk and saved.absolute and saved.title_nl == "Privéleven"


_keys = itertools.count()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    article=st.text(max_size=60),
    title=st.text(max_size=320),
    url=st.text(max_size=40),
    position=st.integers(min_value=-5, max_value=10**6),
)
def test_right_service_saves_or_names_the_field(article, title, url, position) -> None:
    """Whatever the text, the service either saves or raises an error naming known fields."""
    key = f"prop-{next(_keys)}"
    try:
        right = services.fundamental_right_save(
            actor=None,
            key=key,
            instrument="constitution",
            article=article,
            title_nl=title,
            url=url,
            position=position,
        )
    except ValidationError as exc:
        assert set(exc.message_dict) <= {"article", "title_nl", "url", "position"}
        assert not FundamentalRight.objects.filter(key=key).exists()
    else:
        assert right.article == article.strip() and right.title_nl == title.strip()
        assert right.position == position >= 0


# --- rights questions -------------------------------------------------------------------------


def test_question_list_shows_both_lists(client, users, seeded) -> None:
    c = _client(client, users["cpo"])
    page = _text(c.get(QUESTIONS).content.decode())
    tests, checklist = page.split("Beleidskompas-checklist grondrechten", 1)
    assert "Toets legitimate_aim?" in tests and "Vraag at_stake?" not in tests
    assert "Vraag at_stake?" in checklist and "Toets legitimate_aim?" not in checklist
    assert "Toets toevoegen" in page and "Checklistvraag toevoegen" in page


def test_editor_adds_and_changes_a_question(client, users, seeded) -> None:
    c = _client(client, users["cpo"])
    page = c.get(QUESTION_NEW + "?soort=checklist").content.decode()
    assert re.search(r'<option value="checklist" selected>', page)
    response = c.post(QUESTION_NEW, _question_data())
    assert response.status_code == 302 and response["Location"] == QUESTIONS
    question = RightsQuestion.objects.get(kind="checklist", key="temporary")
    assert question.help_nl.startswith("Noem de einddatum") and question.position == 8
    assert LogEntry.objects.get_for_object(question).get().actor == users["cpo"]
    # The same key under the other kind is a different question.
    response = c.post(QUESTION_NEW, _question_data(kind="test"))
    assert response.status_code == 302
    assert RightsQuestion.objects.filter(key="temporary").count() == 2
    # Editing: kind and key stay, text changes, deactivating keeps the row.
    url = _question_edit("checklist", "temporary")
    response = c.post(
        url, _question_data(kind="test", key="other", text_nl="Is het tijdelijk?", is_active=None)
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert (question.kind, question.key, question.text_nl) == (
        "checklist",
        "temporary",
        "Is het tijdelijk?",
    )
    assert not question.is_active
    assert LogEntry.objects.get_for_object(question).filter(action=LogEntry.Action.UPDATE).exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"kind": "test", "key": "necessity"}, "key"),  # exists for this kind
        ({"key": "met spatie"}, "key"),
        ({"kind": "overig"}, "kind"),
        ({"text_nl": "   "}, "text_nl"),
        ({"position": "-2"}, "position"),
    ],
)
def test_bad_question_input_is_a_form_error_on_the_field(
    client, users, seeded, overrides, field
) -> None:
    c = _client(client, users["admin"])
    before = RightsQuestion.objects.count()
    response = c.post(QUESTION_NEW, _question_data(**overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors, response.context["form"].errors
    assert RightsQuestion.objects.count() == before


def test_question_service_refuses_kind_and_key_changes(seeded) -> None:
    question = RightsQuestion.objects.get(kind="test", key="necessity")
    for kind, key, field in (("checklist", "necessity", "kind"), ("test", "needed", "key")):
        with pytest.raises(ValidationError) as exc:
            services.rights_question_save(
                actor=None, kind=kind, key=key, text_nl="Noodzakelijk?", question=question
            )
        assert field in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.rights_question_save(actor=None, kind="test", key="necessity", text_nl="Dubbel")
    assert "key" in exc.value.message_dict


# --- deactivating: out of the choices, kept where used ----------------------------------------


def test_deactivated_right_leaves_the_choices_but_stays_where_used(seeded) -> None:
    assessment = AssessmentFactory(key="china", title="Reizigers uit China (synthetisch)")
    option = option_make(assessment, key="test-duty", name="Testplicht")
    other = option_make(assessment, key="masks", name="Mondkapjes")
    services.right_touched_add(actor=None, option=option, right_key="evrm-8", note="reisvrijheid")
    right = FundamentalRight.objects.get(key="evrm-8")
    services.fundamental_right_save(
        actor=None,
        key=right.key,
        instrument=right.instrument,
        article=right.article,
        title_nl=right.title_nl,
        is_active=False,
        right=right,
    )
    # Not offered for new choices ...
    assert "evrm-8" not in set(selectors.rights_catalogue().values_list("key", flat=True))
    assert "evrm-8" not in set(selectors.rights_choices(option=other).values_list("key", flat=True))
    # ... but kept where it is used: the option's choices, the row and the assessment file.
    assert "evrm-8" in set(selectors.rights_choices(option=option).values_list("key", flat=True))
    assert option.rights_touched.filter(right__key="evrm-8").exists()
    document = selectors.assessment_document(assessment=assessment, include_confidential=True)
    entry = next(o for o in document["options"] if o["id"] == "test-duty")
    assert entry["rights"]["touched"] == [{"right": "evrm-8", "note": "reisvrijheid"}]
    assert [r["key"] for r in document["rights_catalogue"]] == ["evrm-8"]
    # And still listed on the catalogue page, marked as switched off.
    assert right.key in set(selectors.rights_catalogue_all().values_list("key", flat=True))


def test_deactivated_question_is_no_longer_asked_but_answers_stay(seeded) -> None:
    assessment = AssessmentFactory(key="china", title="Reizigers uit China (synthetisch)")
    option = option_make(assessment, key="test-duty", name="Testplicht")
    services.rights_answer_set(
        actor=None, option=option, kind="test", question_key="necessity", answer="partly"
    )
    question = RightsQuestion.objects.get(kind="test", key="necessity")
    services.rights_question_save(
        actor=None,
        kind="test",
        key="necessity",
        text_nl=question.text_nl,
        is_active=False,
        question=question,
    )
    assert "necessity" not in set(
        selectors.rights_questions(kind="test").values_list("key", flat=True)
    )
    assert RightsAnswer.objects.filter(option=option, question=question).exists()
    document = selectors.assessment_document(assessment=assessment, include_confidential=True)
    entry = next(o for o in document["options"] if o["id"] == "test-duty")
    assert entry["rights"]["tests"] == {"necessity": {"answer": "partly"}}
