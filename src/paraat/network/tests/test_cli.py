"""``paraat network retention [--dry-run] [--today]``: anonymise or delete, logged without
personal data."""

from __future__ import annotations

import datetime as dt
import logging
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from paraat.network.models import CommitteeRole, ErasureRecord, Membership, Person
from paraat.network.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def run(*args: str) -> list[str]:
    out = StringIO()
    call_command("network", *args, stdout=out)
    return out.getvalue().splitlines()


def test_retention_dry_run_then_real(caplog: pytest.LogCaptureFixture) -> None:
    gone = PersonFactory(
        name="Weg Persoon", email="weg@example.org", retention_until=dt.date(2026, 1, 1)
    )
    member = PersonFactory(name="Oud Lid", retention_until=dt.date(2025, 1, 1))
    Membership.objects.create(
        person=member, role=CommitteeRole.CHAIR, starts_on=dt.date(2022, 9, 1)
    )
    PersonFactory(retention_until=dt.date(2030, 1, 1))

    dry = run("retention", "--dry-run", "--today", "2026-03-15")
    assert f"[proef] persoon #{gone.pk} zou worden verwijderd" in dry
    assert f"[proef] persoon #{member.pk} zou worden geanonimiseerd" in dry
    assert (
        dry[-1] == "[proef] 2 personen met verstreken bewaartermijn: 1 geanonimiseerd, 1 verwijderd"
    )
    assert Person.objects.count() == 3 and not ErasureRecord.objects.exists()

    with caplog.at_level(logging.INFO, logger="paraat.network"):
        done = run("retention", "--today", "2026-03-15")
    assert f"persoon #{gone.pk} is verwijderd" in done
    assert not Person.objects.filter(pk=gone.pk).exists()
    member.refresh_from_db()
    assert member.name.startswith("Geanonimiseerd persoon")
    assert Membership.objects.get(person=member).role == "chair"  # the history stays complete
    assert ErasureRecord.objects.filter(reason="retention").count() == 2
    log = caplog.text + "\n".join(done)
    for secret in ("Weg Persoon", "weg@example.org", "Oud Lid"):
        assert secret not in log
    assert run("retention", "--today", "2026-03-15")[-1].startswith("0 personen")


def test_retention_refuses_a_bad_date() -> None:
    with pytest.raises(CommandError):
        run("retention", "--today", "morgen")
