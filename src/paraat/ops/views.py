"""Health and readiness probes and security.txt (open to everyone, cache-free)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from paraat.ops import health


@login_not_required
@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@login_not_required
@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    checks = health.readiness()
    ready = all(check.ok for check in checks)
    body = {
        "status": "ready" if ready else "not ready",
        "checks": {
            c.name: ("ok" if c.ok else "failing") + (f": {c.detail}" if c.detail else "")
            for c in checks
        },
    }
    return JsonResponse(body, status=200 if ready else 503)


@login_not_required
@require_safe
def security_txt(request: HttpRequest) -> HttpResponse:
    """RFC 9116: where to report a vulnerability (settings ``PARAAT_SECURITY_*``)."""
    expires = timezone.now().replace(microsecond=0) + dt.timedelta(days=180)
    lines = [
        f"Contact: {settings.PARAAT_SECURITY_CONTACT}",
        f"Expires: {expires.astimezone(dt.UTC).isoformat().replace('+00:00', 'Z')}",
        "Preferred-Languages: nl, en",
        f"Canonical: {request.build_absolute_uri('/.well-known/security.txt')}",
    ]
    if settings.PARAAT_SECURITY_POLICY_URL:
        lines.append(f"Policy: {settings.PARAAT_SECURITY_POLICY_URL}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
