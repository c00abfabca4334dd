"""API of paraat.preparedness under ``/api/v1/``.

``ROUTES`` are registered on the v1 router (prefix, viewset, basename); ``URLS`` are extra paths.
"""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern

ROUTES: list[tuple[str, Any, str]] = []
URLS: list[URLPattern] = []
