"""Pages where beheerders edit the shared taxonomies. Parse, call services, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from paraat.taxonomies import selectors, services
from paraat.taxonomies.forms import form_for
from paraat.web.viewhelpers import add_errors, object_history

# URL segment → (kind, model name for permissions, heading)
KINDS: dict[str, tuple[str, str, Any]] = {
    "domeinen": ("domain", "domain", gettext_lazy("Impactdomeinen")),
    "groepen": ("group", "populationgroup", gettext_lazy("Groepen")),
    "sectoren": ("sector", "sector", gettext_lazy("Sectoren")),
}


def _kind(request: HttpRequest, segment: str, action: str) -> tuple[str, Any]:
    if segment not in KINDS:
        raise Http404
    kind, model_name, heading = KINDS[segment]
    if not request.user.has_perm(f"taxonomies.{action}_{model_name}"):
        raise PermissionDenied
    return kind, heading


def taxonomy_index(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("taxonomies.change_domain"):
        raise PermissionDenied
    sections = [
        {"segment": segment, "heading": heading, "terms": selectors.term_list_all(kind=kind)}
        for segment, (kind, _model, heading) in KINDS.items()
    ]
    return render(request, "taxonomies/index.html", {"sections": sections})


def term_edit(request: HttpRequest, segment: str, key: str | None = None) -> HttpResponse:
    kind, heading = _kind(request, segment, "change" if key else "add")
    term = selectors.term_get(kind=kind, key=key) if key else None
    if key and term is None:
        raise Http404
    form_class = form_for(kind)
    initial = {name: getattr(term, name) for name in form_class.base_fields} if term else None
    form = form_class(request.POST or None, initial=initial)
    if term is not None:
        form.fields["key"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if term is None and selectors.term_get(kind=kind, key=data["key"]) is not None:
            form.add_error("key", _("Deze sleutel bestaat al."))
        else:
            try:
                services.term_upsert(kind=kind, **data)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("Opgeslagen."))
                return redirect("taxonomies:index")
    history = object_history(request, term) if term is not None else []
    return render(
        request,
        "taxonomies/term_form.html",
        {"form": form, "term": term, "heading": heading, "segment": segment, "history": history},
    )
