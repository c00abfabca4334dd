from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from paraat.accounts import roles
from paraat.accounts.services import roles_sync
from paraat.accounts.tests.factories import UserFactory
from paraat.measures import services
from paraat.measures.tests.factories import MeasureFactory

pytestmark = pytest.mark.django_db


def test_changes_are_recorded_with_before_and_after() -> None:
    measure = MeasureFactory(key="avondklok", name_nl="Avondklok", oxcgrt_indicator="C6", level=2)
    services.measure_update(
        measure=measure,
        data=services.MeasureData(
            key="avondklok",
            name_nl="Avondklok 21.00 uur",
            oxcgrt_indicator="C6",
            level=2,
            geographic_scope="general",
        ),
    )
    entries = LogEntry.objects.get_for_object(measure)
    assert entries.filter(action=LogEntry.Action.CREATE).exists()
    update = entries.filter(action=LogEntry.Action.UPDATE).get()
    assert update.changes_dict["name_nl"] == ["Avondklok", "Avondklok 21.00 uur"]


def test_audit_page_only_for_beheerder(client) -> None:
    roles_sync()
    MeasureFactory(key="x-audit", name_nl="Audit-proef")
    client.force_login(UserFactory(roles=[roles.ANALYST]))
    assert client.get(reverse("audit:list")).status_code == 403
    client.force_login(UserFactory(roles=[roles.ADMIN]))
    page = client.get(reverse("audit:list") + "?model=measures.measure")
    assert page.status_code == 200 and "Audit-proef" in page.content.decode()
    assert client.get(reverse("audit:list") + "?action=x&since=kapot").status_code == 200


@pytest.mark.postgres
def test_audit_trail_is_append_only_in_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger exists on PostgreSQL only (SQLite: demo database)")
    MeasureFactory(key="y-audit")
    entry = LogEntry.objects.latest("pk")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        LogEntry.objects.filter(pk=entry.pk).update(object_repr="vervalst")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        LogEntry.objects.filter(pk=entry.pk).delete()
    assert LogEntry.objects.filter(pk=entry.pk).exists()
