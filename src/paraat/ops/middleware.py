"""Request ids: one id per request, in every log line written while serving it.

The id comes from the reverse proxy's ``X-Request-ID`` header when it is a plain token (letters,
digits, ``.``, ``_``, ``-``, at most 64 characters; anything else could forge log lines) and is
made up otherwise. It is returned in the response's ``X-Request-ID`` header, so the proxy's,
gunicorn's and the application's log lines of one request can be joined.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase

from paraat.conf.logging import REQUEST_ID

HEADER = "X-Request-ID"
_VALID = re.compile(r"[A-Za-z0-9._-]{1,64}")


def request_id_from(request: HttpRequest) -> str:
    incoming = request.META.get("HTTP_X_REQUEST_ID", "")
    if _VALID.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Put first in ``MIDDLEWARE`` so that every response, static files included, carries it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        request_id = request_id_from(request)
        request.request_id = request_id  # type: ignore[attr-defined]
        token = REQUEST_ID.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            REQUEST_ID.reset(token)
        response[HEADER] = request_id
        return response
