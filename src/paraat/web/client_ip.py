"""The client's address, the same way for the login throttle and the API rate limits. (The
application's logs record no client address; the request id joins them with the proxy's log.)

Behind ``PARAAT_PROXY_COUNT`` reverse proxies each proxy appends the address it received the
request from to ``X-Forwarded-For``; the client is the address the outermost of *our* proxies
saw, counted from the right. Addresses further left were written by the client itself and are
never believed (DRF's ``NUM_PROXIES`` reads the header the same way).
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The client's IP address; ``REMOTE_ADDR`` without proxies or without a usable header."""
    remote = str(request.META.get("REMOTE_ADDR", "") or "")
    count = int(getattr(settings, "PARAAT_PROXY_COUNT", 0) or 0)
    if count <= 0:
        return remote
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", "") or "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if not hops:
        return remote
    candidate = _without_port(hops[-min(count, len(hops))])
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def _without_port(hop: str) -> str:
    """``203.0.113.7:4711`` → ``203.0.113.7``, ``[2001:db8::1]:443`` → ``2001:db8::1``; a bare
    IPv6 address keeps its colons."""
    if hop.startswith("["):
        return hop[1:].split("]", 1)[0]
    if hop.count(":") == 1:
        return hop.split(":", 1)[0]
    return hop
