from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_not_required
def home(request: HttpRequest) -> HttpResponse:
    from paraat.advice import selectors as advice_selectors

    return render(
        request,
        "web/home.html",
        {"open_advice": advice_selectors.open_with_countdown(user=request.user)},
    )


@login_not_required
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "web/accessibility.html")


@login_not_required
def sources(request: HttpRequest) -> HttpResponse:
    return render(request, "web/sources.html")
