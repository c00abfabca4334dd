"""Exercise mode of the advice process (issue 7, docs/adr/0020-exercise-sandbox.md).

A request of an exercise run (``exercise_run`` set) runs through the real process, labelled
OEFENING, but never appears in a real list, register, CSV/JSON, public page, public API, public
timeline or start page, and adds nothing to the knowledge library.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from paraat.advice import selectors, services
from paraat.advice.models import AdviceRequest, AdviceStatus, AdviceStatusChange, Publication
from paraat.advice.tests import factories
from paraat.evidence.models import EvidenceItem
from paraat.exercises.tests.factories import run_make

pytestmark = pytest.mark.django_db

DOCUMENTS = {"pdf": ("a.pdf", b"%PDF-1.4 test"), "docx": ("a.docx", b"PK test")}


@pytest.fixture
def people(settings: Any, tmp_path: Any) -> dict[str, Any]:
    settings.MEDIA_ROOT = tmp_path
    return factories.committee()


def _exercise_request(people: dict[str, Any], **overrides: Any) -> AdviceRequest:
    run = run_make(actor=people["cpo"])
    return factories.request_make(
        actor=people["cpo"],
        title="Avondklok",
        exercise_run=run,
        **overrides,
    )


def _sent(people: dict[str, Any], advice: AdviceRequest) -> AdviceRequest:
    factories.decided(request=advice, people=people)
    services.advice_sign_off(request=advice, actor=people["chair"])
    services.advice_dispatch(request=advice, actor=people["chair"], documents=DOCUMENTS)
    return advice


def _force_published(advice: AdviceRequest, people: dict[str, Any]) -> None:
    """Defence in depth: even a publication row made around the services stays hidden."""
    Publication.objects.create(
        request=advice, published_at=timezone.now(), published_by=people["cpo"]
    )
    AdviceStatusChange.objects.create(
        request=advice, status=AdviceStatus.PUBLISHED, at=timezone.now()
    )


def test_exercise_request_is_labelled_and_keyed(people):
    advice = _exercise_request(people)
    assert advice.title == "OEFENING: Avondklok"
    assert advice.key.startswith("oefening-")
    assert selectors.is_exercise(advice)
    services.advice_request_update(
        request=advice,
        data=services.RequestData(
            title="Andere titel", question="Vraag?", requester="sg_szw", kind="urgent"
        ),
        actor=people["cpo"],
    )
    advice.refresh_from_db()
    assert advice.title == "OEFENING: Andere titel"
    assert advice.exercise_run_id is not None


def test_staff_lists_exclude_but_detail_opens(people, client):
    real = factories.request_make(actor=people["cpo"], title="Echt verzoek")
    exercise = _exercise_request(people)
    cpo = people["cpo"]
    assert list(selectors.advice_list(user=cpo)) == [real]
    assert selectors.advice_get(user=cpo, key=exercise.key) == exercise
    assert list(selectors.exercise_requests(user=cpo, run=exercise.exercise_run)) == [exercise]
    assert [r["request"] for r in selectors.register_rows(user=cpo, public=False)] == [real]
    assert [r["request"] for r in selectors.open_with_countdown(user=cpo)] == [real]
    client.force_login(cpo)
    html = client.get(reverse("advice:list")).content.decode()
    assert "Echt verzoek" in html and exercise.title not in html
    register = client.get(reverse("advice:register")).content.decode()
    assert exercise.title not in register
    rows = list(
        csv.reader(
            io.StringIO(client.get(reverse("advice:register"), {"format": "csv"}).content.decode())
        )
    )
    assert any("Echt verzoek" in cell for row in rows for cell in row)
    assert not any("OEFENING" in cell for row in rows for cell in row)
    detail = client.get(reverse("advice:detail", args=[exercise.key]))
    assert detail.status_code == 200 and "OEFENING" in detail.content.decode()
    home = client.get(reverse("web:home")).content.decode()
    assert "Echt verzoek" in home and "OEFENING" not in home


def test_overdue_excludes_exercise(people):
    past = timezone.now() - timezone.timedelta(days=5)
    _exercise_request(people, received_at=past, deadline=past + timezone.timedelta(hours=1))
    assert selectors.overdue_requests(user=people["cpo"]) == []


def test_staff_api_excludes_from_list_but_serves_detail(people):
    real = factories.request_make(actor=people["cpo"], title="Echt verzoek")
    exercise = _exercise_request(people)
    client = Client()
    client.force_login(people["cpo"])
    listed = client.get("/api/v1/advice/requests/").json()
    assert [row["key"] for row in listed] == [real.key]
    detail = client.get(f"/api/v1/advice/requests/{exercise.key}/")
    assert detail.status_code == 200
    assert detail.json()["title"].startswith("OEFENING")


def test_input_response_stays_out_of_the_knowledge_library(people):
    exercise = _exercise_request(people)
    row, _token = factories.input_make(request=exercise, actor=people["cpo"])
    before = EvidenceItem.objects.count()
    response = services.input_response_submit(
        input_request=row,
        data=services.ResponseData(
            signal="Ondernemers zien omzetverlies.",
            severity="high",
            interests_status="none",
        ),
    )
    assert response.evidence is None
    assert EvidenceItem.objects.count() == before
    assert selectors.status_of(exercise) == AdviceStatus.CONTRIBUTIONS
    # a real request's answer still becomes an evidence item
    real = factories.request_make(actor=people["cpo"], title="Echt verzoek")
    real_row, _ = factories.input_make(request=real, actor=people["cpo"])
    real_response = services.input_response_submit(
        input_request=real_row,
        data=services.ResponseData(signal="Signaal.", severity="low", interests_status="none"),
    )
    assert real_response.evidence is not None
    assert EvidenceItem.objects.count() == before + 1


def test_exercise_advice_is_sent_but_never_published(people):
    exercise = _sent(people, _exercise_request(people))
    dispatch = selectors.dispatch_of(request=exercise)
    assert dispatch is not None
    before = EvidenceItem.objects.count()
    with pytest.raises(ValidationError):
        services.advice_publish(request=exercise, actor=people["cpo"])
    dispatch.embargo_until = timezone.now() - timezone.timedelta(minutes=1)
    dispatch.save()
    assert services.embargoes_release() == []
    assert EvidenceItem.objects.count() == before
    assert selectors.status_of(exercise) == AdviceStatus.EMBARGO


def test_public_pages_api_and_timeline_exclude(people, client):
    real = _sent(people, factories.request_make(actor=people["cpo"], title="Echt advies"))
    services.advice_publish(request=real, actor=people["cpo"])
    exercise = _sent(people, _exercise_request(people))
    _force_published(exercise, people)
    assert list(selectors.public_list()) == [real]
    assert selectors.public_get(key=exercise.key) is None
    assert [r["request"] for r in selectors.register_rows(public=True)] == [real]
    assert {m["request"] for m in selectors.milestones(public=True)} == {real}
    assert {m["request"] for m in selectors.public_timeline().milestones} == {real}
    html = client.get(reverse("advice_public:list")).content.decode()
    assert "Echt advies" in html and "OEFENING" not in html
    data = json.loads(client.get(reverse("advice_public:list"), {"format": "json"}).content)
    assert "OEFENING" not in json.dumps(data, ensure_ascii=False)
    csv_text = client.get(reverse("advice_public:list"), {"format": "csv"}).content.decode()
    assert "OEFENING" not in csv_text and "Echt advies" in csv_text
    assert client.get(reverse("advice_public:detail", args=[exercise.key])).status_code == 404
    assert client.get(reverse("advice_public:file", args=[exercise.key, "pdf"])).status_code == 404
    timeline = client.get(reverse("advice_public:timeline"), {"format": "csv"}).content.decode()
    assert "OEFENING" not in timeline
    api = client.get("/api/v1/advice/published/").json()
    assert [row["key"] for row in api] == [real.key]
    assert client.get(f"/api/v1/advice/published/{exercise.key}/").status_code == 404


def test_exercise_answers_reach_the_exercise_dossier(people):
    """No library item holds them, so the dossier shows them under the request's own level."""
    from paraat.advice import dossier

    exercise = _exercise_request(people)
    row, _token = factories.input_make(request=exercise, actor=people["cpo"])
    services.input_response_submit(
        input_request=row,
        data=services.ResponseData(
            signal="Ondernemers zien omzetverlies.", severity="high", interests_status="none"
        ),
    )
    built = dossier.dossier_build(request=exercise, user=people["cpo"])
    assert [c["signal"] for c in built.contributions] == ["Ondernemers zien omzetverlies."]
    assert built.contributions[0]["ref"] == ""
