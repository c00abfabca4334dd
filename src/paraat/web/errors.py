"""Error pages in the site's layout. They never show internals."""

from __future__ import annotations

import sys

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from paraat.web.dbfaults import is_database_unavailable, log_unavailable, unavailable_response


def _error(request: HttpRequest, status: int, title: str, text: str) -> HttpResponse:
    return render(request, "web/error.html", {"title": title, "text": text}, status=status)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g}"


@login_not_required
def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if isinstance(exception, RequestDataTooBig | TooManyFieldsSent | TooManyFilesSent):
        return request_too_large(request, exception)
    return _error(request, 400, _("Ongeldig verzoek"), _("Het verzoek kon niet worden verwerkt."))


def request_too_large(request: HttpRequest, exception: Exception) -> HttpResponse:
    """413 for a request over Django's limits, naming the limit (JSON under ``/api/``)."""
    if isinstance(exception, RequestDataTooBig):
        text = _(
            "Het verzoek is te groot: de gegevens (zonder bijgevoegde bestanden) mogen samen "
            "hoogstens %(mb)s MB zijn."
        ) % {"mb": _megabytes(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)}
    elif isinstance(exception, TooManyFilesSent):
        text = _("Het verzoek bevat te veel bestanden: hoogstens %(n)s.") % {
            "n": settings.DATA_UPLOAD_MAX_NUMBER_FILES
        }
    else:
        text = _("Het verzoek bevat te veel velden: hoogstens %(n)s.") % {
            "n": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        }
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": text, "code": "request_too_large"}, status=413)
    return _error(request, 413, _("Verzoek te groot"), text)


@login_not_required
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request, 403, _("Geen toegang"), _("U heeft geen toegang tot deze pagina of dit gegeven.")
    )


@login_not_required
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 404, _("Pagina niet gevonden"), _("Deze pagina bestaat niet (meer)."))


@login_not_required
def server_error(request: HttpRequest) -> HttpResponse:
    # Called while Django handles the exception: a database that cannot be reached (also when
    # middleware found out, before any view ran) is a 503 that needs no database to render.
    exception = sys.exc_info()[1]
    if exception is not None and is_database_unavailable(exception):
        log_unavailable(request, exception)
        return unavailable_response(request)
    return _error(
        request,
        500,
        _("Er ging iets mis"),
        _("Er is een onverwachte fout opgetreden. De beheerder is op de hoogte gebracht."),
    )
