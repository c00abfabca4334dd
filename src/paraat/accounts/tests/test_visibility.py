"""One check decides visibility everywhere: pages, API, exports and search."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.utils import timezone

from paraat.accounts import roles
from paraat.accounts.models import Confidentiality
from paraat.accounts.selectors import can_view, filter_visible
from paraat.accounts.services import access_grant_create, access_grant_revoke, roles_sync
from paraat.accounts.tests.factories import UserFactory
from paraat.measures.models import Measure
from paraat.measures.tests.factories import MeasureFactory, PackageFactory, PackageItemFactory

pytestmark = pytest.mark.django_db

SECRET = "GeheimeMaatregelXYZ"


@pytest.fixture
def measures():
    roles_sync()
    return {
        "public": MeasureFactory(key="openbaar", confidentiality=Confidentiality.PUBLIC),
        "internal": MeasureFactory(key="intern", confidentiality=Confidentiality.INTERNAL),
        "confidential": MeasureFactory(
            key="geheim-xyz", name_nl=SECRET, confidentiality=Confidentiality.CONFIDENTIAL
        ),
    }


def keys(user) -> set[str]:
    return set(
        filter_visible(user=user, queryset=Measure.objects.all()).values_list("key", flat=True)
    )


def test_levels_per_kind_of_user(measures) -> None:
    assert keys(AnonymousUser()) == {"openbaar"}
    analyst = UserFactory(roles=[roles.ANALYST])
    assert keys(analyst) == {"openbaar", "intern"}
    cpo = UserFactory(roles=[roles.CPO])
    assert keys(cpo) == {"openbaar", "intern", "geheim-xyz"}


def test_grant_to_person_and_role_with_expiry_and_revocation(measures) -> None:
    cpo = UserFactory(roles=[roles.CPO])
    member = UserFactory(roles=[roles.MEMBER])
    secret = measures["confidential"]
    assert not can_view(user=member, obj=secret)
    grant = access_grant_create(
        target=secret, granted_by=cpo, reason="OMT-stuk", grantee_user=member
    )
    assert can_view(user=member, obj=secret)
    assert "geheim-xyz" in keys(member)
    access_grant_revoke(grant=grant, revoked_by=cpo)
    assert not can_view(user=member, obj=secret)
    group = Group.objects.get(name=roles.MEMBER)
    grant = access_grant_create(
        target=secret,
        granted_by=cpo,
        reason="Vergadering",
        grantee_group=group,
        valid_until=timezone.now() + dt.timedelta(hours=1),
    )
    assert can_view(user=member, obj=secret)
    grant.valid_until = timezone.now() - dt.timedelta(seconds=1)
    grant.save()
    assert not can_view(user=member, obj=secret)


def test_confidential_measure_never_leaks_to_public_pages_api_or_exports(client, measures) -> None:
    package = PackageFactory(key="pakket-openbaar")
    PackageItemFactory(package=package, measure=measures["confidential"])
    PackageItemFactory(package=package, measure=measures["public"])
    pages = [
        "/maatregelen/",
        "/maatregelen/?q=Geheime",
        "/pakketten/",
        "/pakketten/pakket-openbaar/",
        "/tijdlijn/?day=2020-04-01",
        "/tijdlijn/csv/",
        "/api/v1/measures/",
        "/api/v1/measures/?q=Geheime",
        "/api/v1/packages/",
        "/api/v1/packages/pakket-openbaar/",
        "/api/v1/packages/pakket-openbaar/indices/",
        "/maatregelen/geheim-xyz/",
        "/api/v1/measures/geheim-xyz/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        assert SECRET not in response.content.decode(), url
        if "geheim-xyz" not in url:  # a 404 page echoes the requested path, nothing more
            assert "geheim-xyz" not in response.content.decode(), url
    analyst = UserFactory(roles=[roles.ANALYST])
    client.force_login(analyst)
    for url in pages:
        assert SECRET not in client.get(url).content.decode(), url
    # The confidential item's indicator does not count in the what-if for people who cannot see it.
    data = client.get("/api/v1/packages/pakket-openbaar/indices/").json()
    cpo = UserFactory(roles=[roles.CPO])
    client.force_login(cpo)
    assert SECRET in client.get("/maatregelen/geheim-xyz/").content.decode()
    assert data["package"] == "pakket-openbaar"
