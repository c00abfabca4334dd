"""The network demo: the demo accounts as committee, institutions, pool, card index and the
practice circles of the brief; everything invented labelled; a second load adds nothing."""

from __future__ import annotations

import pytest
from django.utils import timezone

from paraat.accounts.services import roles_sync
from paraat.network import selectors
from paraat.network.demo import CIRCLES, network_demo_load
from paraat.network.models import (
    Candidate,
    Membership,
    Organisation,
    Person,
    PoolExpert,
    PracticeCircle,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def prerequisites() -> None:
    """What ``paraat demo`` loads before the network part that it needs (accounts, groups)."""
    from paraat.taxonomies.services import taxonomy_seed
    from paraat.web.demo import demo_users_create

    roles_sync()
    demo_users_create()
    taxonomy_seed()


def test_demo_loads_the_network_once(prerequisites: None) -> None:
    summary = network_demo_load()
    assert summary["committee"] == 6
    assert summary["circles"] == len(CIRCLES) == 11
    assert summary["flagged"] > 0

    # The demo accounts are people with memberships; the expert member sits for the SCP.
    committee = selectors.committee_on(on=timezone.localdate())
    by_user = {m.person.user.username: m for m in committee if m.person.user}
    assert set(by_user) == {"voorzitter", "lid", "lid2", "lid3", "expert", "cpo"}
    assert by_user["voorzitter"].role == "chair" and by_user["voorzitter"].has_vote
    assert by_user["expert"].institution.abbreviation == "SCP"
    assert any(m.role == "secretariat" for m in committee)
    extern = Person.objects.get(user__username="extern")
    assert PoolExpert.objects.filter(person=extern).exists()
    kring = Person.objects.get(user__username="kring")
    assert PracticeCircle.objects.filter(contact=kring).exists()

    # Real institutions, fictional everything else, labelled.
    assert set(
        Organisation.objects.filter(kind="institution").values_list("abbreviation", flat=True)
    ) >= {"CPB", "SCP", "PBL", "SER", "RIVM"}
    for circle in PracticeCircle.objects.select_related("lead_organisation"):
        assert circle.is_synthetic and circle.lead_organisation.is_synthetic
        assert "(fictief)" in circle.lead_organisation.name
        assert circle.groups.exists()
    assert not Person.objects.filter(is_fictional=False).exists()
    assert all(p.retention_until and p.consent_on for p in Person.objects.all())

    # Some contacts are stale, so the coverage view shows flags with reasons in text.
    rows = selectors.coverage(today=timezone.localdate())
    assert any("stale" in r.codes for r in rows if r.kind == "discipline")
    assert any("too_few" in r.codes for r in rows if r.kind == "group")
    assert all(r.reasons for r in rows if r.flagged)
    assert Candidate.objects.filter(person__interest_declarations__isnull=False).exists()

    counts = (
        Person.objects.count(),
        Membership.objects.count(),
        PoolExpert.objects.count(),
        Candidate.objects.count(),
        PracticeCircle.objects.count(),
        Organisation.objects.count(),
    )
    again = network_demo_load()
    assert again["committee"] == summary["committee"]
    assert counts == (
        Person.objects.count(),
        Membership.objects.count(),
        PoolExpert.objects.count(),
        Candidate.objects.count(),
        PracticeCircle.objects.count(),
        Organisation.objects.count(),
    )
