"""Shared fixtures of the exercises tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from paraat.advice.tests.factories import committee


@pytest.fixture(scope="module")
def people(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    """The committee (fictional), made once per module in a transaction rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield committee()
        transaction.set_rollback(True)
