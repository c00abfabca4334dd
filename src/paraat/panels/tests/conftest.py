"""Shared fixtures of the citizen panel tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from paraat.panels.tests import factories


@pytest.fixture(scope="module")
def people(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    """The users, made once per module inside a transaction rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield factories.people()
        transaction.set_rollback(True)
