"""Taxonomy editing pages: beheerders edit impact domains, groups and sectors as data."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from paraat.accounts import roles
from paraat.accounts.services import roles_sync
from paraat.accounts.tests.factories import UserFactory
from paraat.taxonomies.models import Domain, PopulationGroup
from paraat.taxonomies.services import taxonomy_seed

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    roles_sync()
    client.force_login(UserFactory(roles=[roles.ADMIN]))
    return client


def test_seed_gives_broad_wellbeing_domains_and_progress_plus_groups() -> None:
    created = taxonomy_seed()
    assert created["domain"] == 12
    assert Domain.objects.count() == 12
    dimensions = set(PopulationGroup.objects.values_list("dimension", flat=True))
    assert {
        "place",
        "race_ethnicity",
        "occupation",
        "gender",
        "religion",
        "education",
    } <= dimensions
    assert {"socioeconomic", "social_capital", "age", "disability"} <= dimensions
    vulnerable = set(
        PopulationGroup.objects.filter(is_vulnerable=True).values_list("key", flat=True)
    )
    assert {"young-people", "elderly", "low-income", "informal-carers"} <= vulnerable
    # A second run adds nothing and keeps edits.
    Domain.objects.filter(key="mental-health").update(name_nl="Psychische gezondheid")
    assert taxonomy_seed() == {"domain": 0, "group": 0}
    assert Domain.objects.get(key="mental-health").name_nl == "Psychische gezondheid"


def test_admin_edits_a_group_and_the_change_is_audited(admin_client) -> None:
    taxonomy_seed()
    page = admin_client.get(reverse("taxonomies:index")).content.decode()
    assert "Mentale gezondheid" in page or "mental-health" in page
    url = reverse("taxonomies:edit", args=["groepen", "young-people"])
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(
        url,
        {
            "name_nl": "Jongeren (12–25)",
            "name_en": "Young people (12–25)",
            "description": "",
            "position": 5,
            "is_active": "on",
            "dimension": "age",
            "is_vulnerable": "on",
        },
    )
    assert response.status_code == 302
    group = PopulationGroup.objects.get(key="young-people")
    assert group.name_nl == "Jongeren (12–25)" and group.is_vulnerable
    assert LogEntry.objects.get_for_object(group).exists()


def test_admin_adds_a_domain_and_duplicate_keys_are_refused(admin_client) -> None:
    url = reverse("taxonomies:create", args=["domeinen"])
    data = {"key": "huisvesting", "name_nl": "Huisvesting", "position": 130, "is_active": "on"}
    assert admin_client.post(url, data).status_code == 302
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "Deze sleutel bestaat al." in response.content.decode()
    assert Domain.objects.filter(key="huisvesting").count() == 1


def test_deactivated_term_is_no_longer_offered(admin_client) -> None:
    from paraat.taxonomies.selectors import domain_list

    taxonomy_seed()
    url = reverse("taxonomies:edit", args=["domeinen", "safety"])
    admin_client.post(url, {"name_nl": "Veiligheid", "position": 90})
    assert not domain_list().filter(key="safety").exists()


@pytest.mark.parametrize("role", [roles.ANALYST, roles.MEMBER])
def test_other_roles_may_not_edit(client, role) -> None:
    roles_sync()
    client.force_login(UserFactory(roles=[role]))
    assert client.get(reverse("taxonomies:index")).status_code == 403
    assert client.get(reverse("taxonomies:create", args=["groepen"])).status_code == 403


def test_anonymous_is_sent_to_login_and_bad_kinds_are_404(client, admin_client) -> None:
    from django.test import Client

    assert Client().get(reverse("taxonomies:index")).status_code == 302
    assert admin_client.get("/taxonomieen/bestaat-niet/nieuw/").status_code == 404
    assert admin_client.get("/taxonomieen/groepen/bestaat-niet/").status_code == 404
