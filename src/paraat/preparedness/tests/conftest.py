"""Shared fixtures of the standby tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from paraat.preparedness.tests.factories import team


@pytest.fixture(scope="module")
def people(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    """The users, made once per module inside a transaction rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield team()
        transaction.set_rollback(True)
