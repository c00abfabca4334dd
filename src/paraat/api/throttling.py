"""The API's rate limits, counted in the shared cache per client address.

DRF's throttles would turn a cache that cannot be reached into a 500 on every API request; these
let the request through instead (logged), so Redis being down costs the rate limit for that
while, never the API. The client is identified by :func:`paraat.web.client_ip.client_ip`, the
same rule the login throttle uses.
"""

from __future__ import annotations

import logging
from typing import Any

from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from paraat.web.client_ip import client_ip

log = logging.getLogger(__name__)


class _CacheTolerant:
    def get_ident(self, request: Any) -> str:
        return client_ip(request)

    def allow_request(self, request: Any, view: Any) -> bool:
        try:
            return bool(super().allow_request(request, view))  # type: ignore[misc]
        except Exception:  # the cache backend's own errors (redis-py, connection refused)
            log.warning("API rate limit: the cache cannot be reached; request let through")
            return True


class AnonThrottle(_CacheTolerant, AnonRateThrottle):
    """Anonymous callers, per client address (``PARAAT_API_ANON_RATE``)."""


class UserThrottle(_CacheTolerant, UserRateThrottle):
    """Logged-in callers, per account (``PARAAT_API_USER_RATE``)."""
