"""The standby demo on top of the network demo: standby since 1 September 2024 (seed 003), yearly
meetings with minutes, playbook sections with owners (one overdue), the real funding agreements
with synthetic realisations; everything invented labelled; a second load adds nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from paraat.accounts.services import roles_sync
from paraat.preparedness import selectors
from paraat.preparedness.demo import preparedness_demo_load
from paraat.preparedness.models import (
    BudgetLine,
    FundingStream,
    Meeting,
    ModeChange,
    PlaybookAction,
    PlaybookSection,
    Realisation,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def network() -> None:
    from paraat.network.demo import network_demo_load
    from paraat.taxonomies.services import taxonomy_seed
    from paraat.web.demo import demo_users_create

    roles_sync()
    demo_users_create()
    taxonomy_seed()
    network_demo_load()


def test_demo_loads_and_is_idempotent(network: None) -> None:
    summary = preparedness_demo_load()
    state = selectors.current_mode()
    assert state.mode == "standby"
    assert timezone.localtime(state.since).date() == dt.date(2024, 9, 1)
    sections = list(PlaybookSection.objects.all())
    elements = {s.element for s in sections}
    assert {
        "minister",
        "organisation",
        "quartermaster",
        "housing",
        "fixed_experts",
        "legal_construct",
        "decree_template",
        "secondments",
    } <= elements
    assert all(s.is_synthetic for s in sections)
    assert all(s.owner is not None for s in sections)
    assert [s.element for s in selectors.sections_overdue()] == ["quartermaster"]
    decree = selectors.playbook_section_for(element="decree_template")
    assert decree is not None
    text = selectors.section_text(section=decree)
    for placeholder in (
        "{{ voorzitter }}",
        "{{ leden }}",
        "{{ expertleden }}",
        "{{ datum }}",
        "{{ looptijd }}",
    ):
        assert placeholder in text
    meetings = list(Meeting.objects.all())
    assert meetings and all(m.is_synthetic and m.status == "held" for m in meetings)
    assert all(m.minutes.exists() and m.attendance.exists() for m in meetings)
    szw = FundingStream.objects.get(name__contains="taken")
    assert "70k" in szw.source and not szw.is_synthetic
    assert BudgetLine.objects.filter(stream=szw, amount=Decimal("70000")).count() == 5
    assert FundingStream.objects.filter(name__startswith="Kennisbasis").count() == 3
    assert BudgetLine.objects.filter(amount=Decimal("50000")).count() == 15
    assert Realisation.objects.exists() and all(r.is_synthetic for r in Realisation.objects.all())
    assert PlaybookAction.objects.filter(is_synthetic=True).count() == 2
    state_now = selectors.cadence_now()
    assert state_now is not None and state_now.key == "standby"
    counts = (
        ModeChange.objects.count(),
        Meeting.objects.count(),
        PlaybookSection.objects.count(),
        BudgetLine.objects.count(),
        Realisation.objects.count(),
        PlaybookAction.objects.count(),
    )
    again = preparedness_demo_load()
    assert again["playbook_sections"] == 0 and again["meetings"] == 0
    assert counts == (
        ModeChange.objects.count(),
        Meeting.objects.count(),
        PlaybookSection.objects.count(),
        BudgetLine.objects.count(),
        Realisation.objects.count(),
        PlaybookAction.objects.count(),
    )
    assert summary["mode"] == "standby"
