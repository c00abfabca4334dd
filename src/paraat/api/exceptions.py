"""API errors: Django validation errors become 400 with field messages, never a 500."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        detail: Any = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        exc = exceptions.ValidationError(detail=detail)
    return drf_exception_handler(exc, context)


T = TypeVar("T")


def validation_detail(exc: DjangoValidationError) -> Any:
    """A service's ``ValidationError`` as an API error body: messages by field, or under
    ``non_field_errors`` when the error names no field."""
    return exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}


def call_service(function: Callable[..., T], /, **kwargs: Any) -> T:
    """Run a service from an API view: its ``ValidationError`` is a 400 by field
    (``validation_detail``), its ``PermissionDenied`` a 403 that keeps the service's message."""
    try:
        return function(**kwargs)
    except DjangoPermissionDenied as exc:
        raise exceptions.PermissionDenied(str(exc) or None) from exc
    except DjangoValidationError as exc:
        raise exceptions.ValidationError(validation_detail(exc)) from exc
