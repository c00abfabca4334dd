"""The ``CACHES`` setting from one address (``PARAAT_CACHE_URL``).

Every web worker and task worker of an installation must share one cache: the API's rate limits
count per client across all workers only then, and a public page part rendered by one worker is
reused by the others. In production that is Redis (``redis://host:6379/0``, ``rediss://`` with
TLS, ``unix:///run/redis.sock?db=0``); without an address each process keeps its own cache in
memory, which is right for the laptop demo (one process) and the test suite.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

_REDIS = {"redis", "rediss", "unix"}


def build_caches(url: str, *, key_prefix: str = "paraat", timeout: int = 300) -> dict[str, Any]:
    """``CACHES`` for ``url``: Redis for ``redis://``, ``rediss://`` and ``unix://``, the
    per-process memory cache for ``""`` or ``locmem://``, no cache at all for ``dummy://``."""
    url = url.strip()
    scheme = urlsplit(url).scheme.lower() if url else "locmem"
    common: dict[str, Any] = {"KEY_PREFIX": key_prefix, "TIMEOUT": timeout}
    if scheme in _REDIS:
        backend = {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            # A cache that is down must not take the site down: after a short wait the
            # request goes on without it (paraat.web.public_cache, paraat.api.throttling).
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    elif scheme == "locmem":
        backend = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "paraat"}
    elif scheme == "dummy":
        backend = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    else:
        raise ImproperlyConfigured(
            f"PARAAT_CACHE_URL={url!r}: use redis://host:port/db, rediss://…, unix://…, "
            "locmem:// or dummy://."
        )
    return {"default": {**backend, **common}}
