"""OpenAPI generation: document the error answers every API view can give.

drf-spectacular documents only the answers a view declares. The older apps' views (measures,
evidence, indicators, assessments, jobs) declared none, so a 404 for an unknown key, a 400 for a
bad body or query parameter and a 403 for a missing permission were answers the published
document did not name (found by the schemathesis run, ``api/tests/test_schemathesis.py``).
``ErrorAutoSchema`` adds them where the view can give them and did not declare them itself:

* 400 (``ApiValidationError``: messages by field, or ``detail``) for a request body and for
  query parameters other than ``page``;
* 403 (``ApiErrorDetail``) for a write;
* 404 (``ApiErrorDetail``) for a path with parameters and for a paginated list (a page past the
  end).

A view uses it with ``schema = ErrorAutoSchema()``.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import is_list_serializer
from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

_ERROR_DETAIL = inline_serializer("ApiErrorDetail", {"detail": serializers.CharField()})
_SAFE = ("GET", "HEAD", "OPTIONS")


class ErrorAutoSchema(AutoSchema):
    """``AutoSchema`` that adds the undeclared 400, 403 and 404 answers (see the module)."""

    def _error(self, code: str, description: str) -> dict[str, Any]:
        if code == "400":
            schema: Any = {
                "type": "object",
                "additionalProperties": {},
                "description": 'Messages by field (lists of strings), or "detail".',
            }
            return {"content": {"application/json": {"schema": schema}}, "description": description}
        return self._get_response_for_code(_ERROR_DETAIL, code) | {"description": description}

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
        has_body = self.method in ("POST", "PUT", "PATCH")
        paginated = (
            self.method == "GET" and self._is_list_view() and self._get_paginator() is not None
        )
        wanted = []
        if has_body or query:
            wanted.append(("400", "Ongeldige invoer"))
        if self.method not in _SAFE:
            wanted.append(("403", "Uw rol staat dit niet toe"))
        if "{" in self.path or paginated:
            wanted.append(("404", "Onbekend of niet zichtbaar"))
        for code, description in wanted:
            if code not in responses:
                responses[code] = self._error(code, description)
        return dict(sorted(responses.items()))
