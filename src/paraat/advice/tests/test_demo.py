"""The advice demo: the China request replayed to its follow-up with historic times, and a
synthetic request in progress; everything invented labelled; a second load adds nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from paraat.accounts.services import roles_sync
from paraat.advice import selectors, workflow
from paraat.advice.demo import CHINA_KEY, SCHOOLS_KEY, advice_demo_load
from paraat.advice.models import AdviceRequest, AdviceStatusChange, Vote
from paraat.evidence.models import EvidenceItem

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def prerequisites(settings: object, tmp_path: Path) -> None:
    """What ``paraat demo`` loads before the advice part (the assessments with few samples)."""
    from paraat.assessments.demo import assessments_demo_load
    from paraat.evidence.demo import knowledge_load
    from paraat.measures.demo import nl_catalog_load
    from paraat.taxonomies.services import taxonomy_seed
    from paraat.web.demo import demo_users_create

    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    roles_sync()
    demo_users_create()
    taxonomy_seed()
    nl_catalog_load()
    knowledge_load()
    assessments_demo_load(samples=200)


def test_demo_replays_china_and_leaves_one_request_running(
    prerequisites: None, mailoutbox: list[object], django_capture_on_commit_callbacks: object
) -> None:
    real_now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        summary = advice_demo_load()
    assert summary == {"requests": 2, "published": 1, "in_progress": 1}
    # No advice mail to the fictional people (a new signal on a measure still flags its fiche
    # for review, as the knowledge library always does).
    subjects = [m.subject for m in mailoutbox]  # type: ignore[attr-defined]
    assert all(s.startswith("Fiche ") for s in subjects), subjects
    assert abs(timezone.now() - real_now) < dt.timedelta(minutes=5)  # the clock is restored

    china = AdviceRequest.objects.get(key=CHINA_KEY)
    assert china.is_synthetic and china.title.endswith("(synthetisch)")
    assert china.assessment is not None and china.assessment.key == "china-travel-2023"
    measures = {item.measure.key for o in china.options.all() for item in o.items.all()}
    assert measures == {"masks-flights-eu-china", "pre-departure-test-china"}
    assert workflow.status_of(china) == "follow_up"
    # The history is historic: received 4 January 2023, sent on 5 January, within 48 hours.
    history = list(selectors.status_history(request=china))
    assert timezone.localtime(history[0].at, AMS) == dt.datetime(2023, 1, 4, 9, tzinfo=AMS)
    assert [c.status for c in history][:3] == ["received", "input_requested", "contributions"]
    line = selectors.timeline(request=china)
    assert line.met_deadline is True and line.countdown is None
    assert 0 < line.total_hours < 48
    assert set(line.hours) >= {"received", "draft", "feedback", "decision", "alignment"}
    sent = china.dispatch
    assert timezone.localdate(sent.sent_at) == dt.date(2023, 1, 5)
    assert sent.pdf.read(4) == b"%PDF" and sent.docx.read(2) == b"PK"
    # Majority with a minority; the expert member's position is shown, not counted.
    decision = china.decision_rounds.get().decision
    assert decision.outcome == "majority" and "synthetisch" in decision.minority_position
    assert Vote.objects.filter(round__request=china, counted=False).count() == 1
    assert china.revisions.filter(merged=True).exists()  # the concurrent edit was merged
    # Published with the cabinet's response per recommendation and the follow-up.
    assert selectors.public_get(key=CHINA_KEY) is not None
    public = selectors.public_view(request=china)
    assert [r.number for r in public["recommendations"]] == [1, 2]
    statuses = public["responses"][0]["statuses"]
    assert {s.status for s in statuses} == {"adopted"}
    assert {f.kind for f in public["follow_ups"]} == {"questions", "other"}
    assert public["reflections"]

    schools = AdviceRequest.objects.get(key=SCHOOLS_KEY)
    assert schools.is_synthetic and workflow.status_of(schools) == "decision"
    assert selectors.public_get(key=SCHOOLS_KEY) is None
    countdown = selectors.timeline(request=schools).countdown
    assert countdown is not None and 0 < countdown.hours_left < 12 and countdown.warning
    round_ = selectors.round_open(request=schools)
    assert round_ is not None and round_.mode == "rapid" and round_.closes_at > timezone.now()
    voted = set(round_.votes.filter(counted=True).values_list("voter__username", flat=True))
    assert voted == {"voorzitter", "lid"}  # lid2 and lid3 still have to vote
    assert all(c.at <= timezone.now() for c in AdviceStatusChange.objects.all())

    # Everything the demo added to the knowledge library is labelled synthetic.
    added = EvidenceItem.objects.filter(is_synthetic=True, title__icontains="reizigers")
    assert added.exists()
    for title in EvidenceItem.objects.filter(is_synthetic=True).values_list("title", flat=True):
        assert title.endswith("(synthetisch)"), title
    assert not selectors.advice_list(user=AnonymousUser()).exists()

    counts = (AdviceRequest.objects.count(), EvidenceItem.objects.count(), Vote.objects.count())
    assert advice_demo_load() == {"requests": 0, "published": 0, "in_progress": 0}
    assert (AdviceRequest.objects.count(), EvidenceItem.objects.count(), Vote.objects.count()) == (
        counts
    )


def test_demo_needs_the_demo_people() -> None:
    roles_sync()
    with pytest.raises(RuntimeError, match="demo people"):
        advice_demo_load()


def test_admin_shows_the_process_read_only(client: Any, settings: Any, tmp_path: Path) -> None:
    """The admin lists every advice model for inspection but adds, changes or deletes nothing,
    and never shows the OMT documents or the token hashes."""
    from django.contrib import admin

    from paraat.accounts.tests.factories import UserFactory
    from paraat.advice import services
    from paraat.advice.models import InputRequest, OmtDocument
    from paraat.advice.tests.factories import committee, decided, input_make, request_make

    settings.MEDIA_ROOT = tmp_path
    people = committee()
    request = decided(request=request_make(actor=people["cpo"]), people=people)
    input_make(request=request_make(actor=people["cpo"]), actor=people["cpo"])
    services.omt_document_add(request=request, actor=people["cpo"], title="Geheim", body="x")
    assert OmtDocument not in admin.site._registry
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(root)
    for model in (AdviceRequest, AdviceStatusChange, Vote, InputRequest):
        name = f"admin:advice_{model._meta.model_name}"
        assert client.get(reverse(f"{name}_changelist")).status_code == 200
        obj = model.objects.first()
        page = client.get(reverse(f"{name}_change", args=[obj.pk]))
        assert page.status_code == 200 and b'name="_save"' not in page.content
        assert client.get(reverse(f"{name}_add")).status_code == 403
        assert client.get(reverse(f"{name}_delete", args=[obj.pk])).status_code == 403
    row = InputRequest.objects.first()
    page = client.get(reverse("admin:advice_inputrequest_change", args=[row.pk]))
    assert row.token_hash.encode() not in page.content
