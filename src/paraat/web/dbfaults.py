"""The database is down: a clean 503 instead of a 500, and recovery without a restart.

When the database restarts or cannot be reached, Django raises ``OperationalError`` or
``InterfaceError`` wherever the request first touches it: in a view, or already in middleware
(the session, the logged-in user). Both end here:

* :class:`DatabaseUnavailableMiddleware` (right after ``SecurityMiddleware``) turns such an error
  raised by a view into the 503 response;
* ``paraat.web.errors.server_error`` (``handler500``) does the same for one raised in
  middleware or while rendering an error page.

The response is a small page in Dutch and English (JSON under ``/api/``) with ``Retry-After``,
rendered without touching the database (no layout with the user's menu, no context
processors) and without internals. The error itself goes to the log. Nothing needs resetting:
Django drops a broken connection at the end of the request, and with ``CONN_HEALTH_CHECKS``
(settings) a kept connection is checked before the next request uses it, so the first request
after the database is back succeeds.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

#: Seconds a client is asked to wait before trying again.
RETRY_AFTER_SECONDS = 30

MESSAGE_NL = "De database is tijdelijk niet bereikbaar. Probeer het over een halve minuut opnieuw."
MESSAGE_EN = "The database is temporarily unavailable. Please try again in half a minute."


def is_database_unavailable(exception: BaseException | None) -> bool:
    """Whether ``exception`` says the database cannot be reached (not a query's own error)."""
    return isinstance(exception, OperationalError | InterfaceError)


def unavailable_response(request: HttpRequest) -> HttpResponse:
    """The 503 answer: JSON for the API, otherwise a page that needs no database."""
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"detail": MESSAGE_NL, "detail_en": MESSAGE_EN, "code": "database_unavailable"},
            status=503,
        )
    else:
        response = HttpResponse(
            render_to_string(
                "web/unavailable.html", {"message_nl": MESSAGE_NL, "message_en": MESSAGE_EN}
            ),
            status=503,
            content_type="text/html; charset=utf-8",
        )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def log_unavailable(request: HttpRequest, exception: BaseException) -> None:
    logger.warning(
        "database unavailable during %s %s: %s",
        request.method,
        request.path,
        type(exception).__name__,
        exc_info=exception,
    )


class DatabaseUnavailableMiddleware:
    """Answer 503 (see the module docstring) when a view finds the database unreachable."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_database_unavailable(exception):
            return None
        log_unavailable(request, exception)
        return unavailable_response(request)
