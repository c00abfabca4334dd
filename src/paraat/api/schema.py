"""OpenAPI generation: document the error answers every API view can give.

drf-spectacular documents only the answers a view declares. Answers that do not depend on the
view's own code were therefore missing from the published document (found by the schemathesis
run, ``api/tests/test_schemathesis.py``). ``ErrorAutoSchema`` is the ``DEFAULT_SCHEMA_CLASS``
of the API; it adds these answers to every operation that can give them and did not declare
them itself:

* 400 (``ApiValidationError``: messages by field, or ``detail``) for a request body, for query
  parameters other than ``page``, and for every write (a service can refuse the object's
  state, e.g. starting an exercise that already runs);
* 401 (``ApiErrorDetail``) for an operation that is not open to anonymous callers: DRF's
  answer to a call without (valid) credentials;
* 403 (``ApiErrorDetail``) for every operation: a write the role does not allow, a read that
  needs a role, and for a caller logged in by session cookie who has not given the two-factor
  code yet (``accounts.middleware.TwoFactorMiddleware`` refuses every ``/api/`` path then);
* 404 (``ApiErrorDetail``) for a path with parameters and for a paginated list (a page past the
  end);
* 413 (``ApiRequestTooLarge``) and 415 (``ApiErrorDetail``) for an operation with a request
  body: a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (``web.errors.request_too_large``) and a
  body in a media type the operation has no parser for;
* 429 (``ApiErrorDetail``, with ``Retry-After``) for a view with throttles (the settings'
  ``DEFAULT_THROTTLE_CLASSES``).

It also corrects who may call: reads of a view whose permission classes all let anonymous
callers read (``ANONYMOUS_READ``, e.g. ``ModelPermissionsOrReadOnly``) are documented as open
(the empty security requirement ``{}``), as drf-spectacular already does for ``AllowAny`` and
``IsAuthenticatedOrReadOnly``.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import is_list_serializer
from drf_spectacular.utils import inline_serializer
from rest_framework import permissions, serializers

_ERROR_DETAIL = inline_serializer("ApiErrorDetail", {"detail": serializers.CharField()})
_TOO_LARGE = inline_serializer(
    "ApiRequestTooLarge",
    {"detail": serializers.CharField(), "code": serializers.CharField()},
)
_SAFE = ("GET", "HEAD", "OPTIONS")

#: Permission classes that let anyone read (a safe method); the view's selectors decide what.
#: A permission class can also say so itself with ``anonymous_read = True``.
ANONYMOUS_READ: tuple[type[Any], ...] = (
    permissions.AllowAny,
    permissions.IsAuthenticatedOrReadOnly,
)

_DESCRIPTIONS = {
    "400": "Ongeldige invoer",
    "401": "Niet aangemeld (geen of een ongeldig token)",
    "403": "Uw rol staat dit niet toe, of tweestapsverificatie ontbreekt (sessie)",
    "404": "Onbekend of niet zichtbaar",
    "413": "Verzoek te groot",
    "415": "Mediatype van de inhoud niet ondersteund",
    "429": "Te veel verzoeken; probeer het na Retry-After seconden opnieuw",
}


def _reads_anonymously(permission: Any) -> bool:
    return isinstance(permission, ANONYMOUS_READ) or bool(
        getattr(permission, "anonymous_read", False)
    )


class ErrorAutoSchema(AutoSchema):
    """``AutoSchema`` that adds the undeclared generic answers (see the module)."""

    def _error(self, code: str) -> dict[str, Any]:
        description = _DESCRIPTIONS[code]
        if code == "400":
            schema: Any = {
                "type": "object",
                "additionalProperties": {},
                "description": 'Messages by field (lists of strings), or "detail".',
            }
            return {"content": {"application/json": {"schema": schema}}, "description": description}
        serializer = _TOO_LARGE if code == "413" else _ERROR_DETAIL
        response = self._get_response_for_code(serializer, code) | {"description": description}
        if code == "429":
            response["headers"] = {
                "Retry-After": {
                    "schema": {"type": "integer"},
                    "description": "Seconden tot een nieuw verzoek kan",
                }
            }
        return response

    def get_auth(self) -> list[dict[str, Any]]:
        auths: list[dict[str, Any]] = super().get_auth()
        if (
            self.method in _SAFE
            and {} not in auths
            and all(_reads_anonymously(p) for p in self.view.get_permissions())
        ):
            auths.append({})
        return auths

    def _is_list_view(self, serializer: Any = None) -> bool:
        # The response body of a ``list`` action without pagination is what it declares: an
        # array only for a list serializer (``many=True``), otherwise one object (the knowledge
        # library's search result, which pages itself). The operation id stays ``*_list``.
        if (
            serializer is not None
            and getattr(self.view, "action", None) == "list"
            and self._get_paginator() is None
            and not isinstance(serializer, dict)
        ):
            return is_list_serializer(serializer)
        return bool(super()._is_list_view(serializer))

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        query = [
            p for p in self._get_parameters() if p.get("in") == "query" and p["name"] != "page"
        ]
        write = self.method not in _SAFE
        has_body = write and self._get_request_body() is not None
        paginated = (
            self.method == "GET" and self._is_list_view() and self._get_paginator() is not None
        )
        wanted = []
        if write or query:
            wanted.append("400")
        if {} not in self.get_auth():
            wanted.append("401")
        wanted.append("403")
        if "{" in self.path or paginated:
            wanted.append("404")
        if has_body:
            wanted += ["413", "415"]
        if self.view.get_throttles():
            wanted.append("429")
        for code in wanted:
            if code not in responses:
                responses[code] = self._error(code)
        return dict(sorted(responses.items()))
