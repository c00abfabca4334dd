"""Rendered parts of public pages, kept in the shared cache (issue 8: the public pages of a
crisis are read by many at once).

Only what every visitor sees alike is kept: the part of the page that a view renders *as the
anonymous public* (today, the societal picture for a visitor without an account; the published
advice pages are cheap and not kept). The rest of the page (the header with the
login state, the language switch and its CSRF token) is rendered per request as always.

Freshness, without any app having to remember to say so:

* every part is keyed by a **generation**; any change made through the site (a POST, PUT,
  PATCH or DELETE by a logged-in user that is not refused: :class:`PublicCacheMiddleware`) and
  every finished background task (``paraat.jobs``, also one that failed half-way) starts a new
  generation, so the next reader
  gets a part rendered after the change — a confidentiality raised, an advice withdrawn or an
  import done is on the public pages at once;
* changes made outside the site (a management command, the database itself) are reached by the
  time limit ``PARAAT_PUBLIC_CACHE_SECONDS`` (default 120; ``0`` switches the cache off);
* the generation lives in the same cache, so with several worker processes the cache must be
  shared (``PARAAT_CACHE_URL``, Redis); with a per-process memory cache parts are only reused
  when there is one process to keep them for — the demo — and never across processes.

A cache that cannot be reached is passed by: the part is rendered as if nothing were kept, and
the page is served (a cache error is logged once per request, never shown).
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

log = logging.getLogger(__name__)

GENERATION_KEY = "public-cache:generation"
_UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def _seconds() -> int:
    return int(getattr(settings, "PARAAT_PUBLIC_CACHE_SECONDS", 0) or 0)


def _usable() -> bool:
    """Parts are kept only where every process sees the same generation: a shared cache, or
    a memory cache when one process serves everything (``PARAAT_PUBLIC_CACHE_LOCAL``)."""
    if _seconds() <= 0:
        return False
    backend = str(settings.CACHES["default"]["BACKEND"])
    if backend.endswith("RedisCache"):
        return True
    return backend.endswith("LocMemCache") and bool(
        getattr(settings, "PARAAT_PUBLIC_CACHE_LOCAL", False)
    )


def _generation() -> str:
    """The current generation: a random token, so that a counter lost to eviction or a restart
    can never bring back a number whose parts are still kept."""
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        value = cache.get(GENERATION_KEY)
    return str(value)


def public_cache_renew() -> None:
    """Start a new generation: every part kept so far is no longer used."""
    try:
        cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:  # a cache that is down keeps nothing to renew -- unless it comes back
        # with old parts, which the time limit bounds (PARAAT_PUBLIC_CACHE_SECONDS)
        log.error("public cache: could not start a new generation", exc_info=True)


def public_fragment(*, name: str, parts: Iterable[object], render: Callable[[], str]) -> SafeString:
    """The HTML ``render()`` gives, kept for ``name`` and ``parts`` (plus the language) in the
    current generation. ``render`` must produce what the anonymous public may see and nothing
    that depends on the request (no CSRF token, no user)."""
    if not _usable():
        return mark_safe(render())  # noqa: S308 -- render() is a template's escaped output
    digest = hashlib.sha256(
        "\x1f".join([name, get_language() or "", *map(str, parts)]).encode()
    ).hexdigest()[:32]
    try:
        key = f"public-cache:{_generation()}:{digest}"
        html = cache.get(key)
    except Exception:  # the page is served without the cache
        log.warning("public cache: unreachable, rendering %s without it", name, exc_info=True)
        return mark_safe(render())  # noqa: S308
    if html is None:
        html = render()
        try:
            cache.set(key, html, timeout=_seconds())
        except Exception:
            log.warning("public cache: could not keep %s", name, exc_info=True)
    return mark_safe(html)  # noqa: S308


class PublicCacheMiddleware:
    """Starts a new generation after every change made through the site."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # Everything the public sees is changed by people with an account (or by a task);
        # an anonymous POST (a login attempt, a panel answer) never renews, so it cannot be
        # used to keep the public pages from being reused.
        user = getattr(request, "user", None)
        if (
            request.method in _UNSAFE
            and response.status_code < 400
            and user is not None
            and user.is_authenticated
            and _usable()
        ):
            public_cache_renew()
        return response
