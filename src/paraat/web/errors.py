"""Error pages in the site's layout. They never show internals."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def _error(request: HttpRequest, status: int, title: str, text: str) -> HttpResponse:
    return render(request, "web/error.html", {"title": title, "text": text}, status=status)


@login_not_required
def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 400, _("Ongeldig verzoek"), _("Het verzoek kon niet worden verwerkt."))


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
    return _error(
        request,
        500,
        _("Er ging iets mis"),
        _("Er is een onverwachte fout opgetreden. De beheerder is op de hoogte gebracht."),
    )
