"""Views of the API itself (not of an app)."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework.exceptions import NotFound


@csrf_exempt
def not_found(request: HttpRequest, path: str = "") -> JsonResponse:
    """404 as JSON (``{"detail": ...}``, as every other API error) for a path under ``/api/``
    that names no endpoint, for example ``/api/v1/measures/a.b/`` (a key the routes refuse),
    instead of the site's HTML error page."""
    return JsonResponse({"detail": str(NotFound.default_detail)}, status=404)
