"""Pages of the network under ``/netwerk/``.  Views parse input, check the permission of
``network.permissions``, call ``network.services`` / ``network.selectors`` and render."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from paraat.accounts.models import User
from paraat.network import forms as f
from paraat.network import permissions as perms
from paraat.network import selectors, services
from paraat.network.models import CommitteeRole, Person

T = TypeVar("T")


def _has(request: HttpRequest, perm: str) -> bool:
    return bool(request.user.is_authenticated and request.user.has_perm(perm))


def _need(request: HttpRequest, *needed: str) -> None:
    """403 unless the user has one of the permissions."""
    if not any(_has(request, perm) for perm in needed):
        raise PermissionDenied(_("Uw rol staat deze handeling niet toe."))


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _form_errors(form: Any, exc: ValidationError) -> None:
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for key, errors in exc.message_dict.items():
        name = key if key in form.fields and not form.fields[key].widget.is_hidden else None
        form.add_error(name, errors)


def _form_action(
    request: HttpRequest,
    form: Any,
    action: Callable[[dict[str, Any]], T],
    *,
    success: str | Callable[[T], str],
    to: str | Callable[[T], str],
) -> HttpResponse | None:
    """Run a service with a valid form's data; a message and a redirect, or None (errors on
    the form; the caller renders again with status 400)."""
    if not form.is_valid():
        return None
    try:
        result = action(form.cleaned_data)
    except ValidationError as exc:
        _form_errors(form, exc)
        return None
    messages.success(request, success(result) if callable(success) else success)
    return redirect(to(result) if callable(to) else to)


def _form_page(
    request: HttpRequest, template: str, context: dict[str, Any], *, bound: bool
) -> HttpResponse:
    return render(request, template, context, status=400 if bound else 200)


def _today() -> dt.date:
    return timezone.localdate()


def _person_or_404(request: HttpRequest, pk: int) -> Person:
    person = selectors.person_get(user=request.user, pk=pk)
    if person is None:
        raise Http404
    return person


# --- landing -------------------------------------------------------------------------------------


def index(request: HttpRequest) -> HttpResponse:
    if not any(_has(request, p) for p in (*perms.MANAGE, *perms.READ, *perms.ADMIN)):
        raise PermissionDenied(_("Uw rol staat deze handeling niet toe."))
    return render(
        request,
        "network/index.html",
        {"counts": selectors.network_counts(), "today": _today()},
    )


# --- people --------------------------------------------------------------------------------------


ROLE_FILTERS = [
    *CommitteeRole.choices,
    ("pool", _("expertpool")),
    ("candidate", _("kaartenbak")),
    ("anonymised", _("geanonimiseerd")),
]


def person_list(request: HttpRequest) -> HttpResponse:
    _need(request, perms.VIEW_PEOPLE)
    role = request.GET.get("role", "")
    role = role if role in dict(ROLE_FILTERS) else ""
    discipline_pk = f.parse_pk(request.GET.get("discipline"))
    discipline = selectors.discipline_get(pk=discipline_pk) if discipline_pk else None
    organisation_pk = f.parse_pk(request.GET.get("organisation"))
    organisation = selectors.organisation_get(pk=organisation_pk) if organisation_pk else None
    stale = request.GET.get("stale") == "1"
    query = (request.GET.get("q") or "").replace("\x00", "")[:200]
    rows = selectors.person_list(
        user=request.user,
        role=role,
        discipline=discipline,
        organisation=organisation,
        stale=stale,
        q=query,
        today=_today(),
    )
    return render(
        request,
        "network/person_list.html",
        {
            "rows": rows,
            "role": role,
            "role_choices": [(str(k), str(v)) for k, v in ROLE_FILTERS],
            "discipline": discipline,
            "disciplines": selectors.discipline_list(active_only=False),
            "organisation": organisation,
            "organisations": selectors.organisation_list(),
            "stale": stale,
            "query": query,
            "filtered": bool(role or discipline or organisation or stale or query),
            "can_add": _has(request, perms.ADD_PERSON),
            "show_contact": selectors.can_see_contact(user=request.user),
            "stale_months": selectors.stale_months(),
        },
    )


@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest) -> HttpResponse:
    _need(request, perms.ADD_PERSON)
    form = f.PersonForm(_posted(request))
    if request.method == "POST":
        done = _form_action(
            request,
            form,
            lambda _d: services.person_create(data=form.person_data(), actor=_user(request)),
            success=_("De persoon is vastgelegd."),
            to=lambda person: reverse("network:person", args=[person.pk]),
        )
        if done:
            return done
    return _form_page(
        request, "network/person_form.html", {"form": form}, bound=request.method == "POST"
    )


def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _need(request, perms.VIEW_PEOPLE)
    person = _person_or_404(request, pk)
    overview = selectors.privacy_overview(person=person, today=_today())
    return render(
        request,
        "network/person_detail.html",
        {
            "person": person,
            "overview": overview,
            "show_contact": selectors.can_see_contact(user=request.user),
            "can_change": _has(request, perms.CHANGE_PERSON) and not person.is_anonymised,
            "can_erase": _has(request, perms.ERASE_PERSON) and not person.is_anonymised,
            "can_manage": _has(request, perms.ADD_CANDIDATE) and not person.is_anonymised,
            "declaration_form": f.DeclarationForm()
            if _has(request, perms.ADD_DECLARATION) and not person.is_anonymised
            else None,
        },
    )


@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _need(request, perms.CHANGE_PERSON)
    person = _person_or_404(request, pk)
    if person.is_anonymised:
        raise Http404
    form = f.PersonForm(_posted(request), initial=f.PersonForm.initial_for(person))
    if request.method == "POST":
        done = _form_action(
            request,
            form,
            lambda _d: services.person_update(
                person=person, data=form.person_data(), actor=_user(request)
            ),
            success=_("De gegevens zijn opgeslagen."),
            to=reverse("network:person", args=[person.pk]),
        )
        if done:
            return done
    return _form_page(
        request,
        "network/person_form.html",
        {"form": form, "person": person},
        bound=request.method == "POST",
    )


@require_http_methods(["GET", "POST"])
def person_privacy(request: HttpRequest, pk: int) -> HttpResponse:
    """What is stored about the person and where it is used; delete on request."""
    _need(request, perms.VIEW_CONTACT)
    person = _person_or_404(request, pk)
    can_erase = _has(request, perms.ERASE_PERSON) and not person.is_anonymised
    form = f.EraseForm(_posted(request)) if can_erase else None
    if request.method == "POST":
        _need(request, perms.ERASE_PERSON)
        if form is None:
            raise Http404
        done = _form_action(
            request,
            form,
            lambda data: services.person_erase(
                person=person, reason=data["reason"], actor=_user(request)
            ),
            success=lambda outcome: (
                (
                    _("De persoon is geanonimiseerd (#%(n)s).")
                    if outcome.action == "anonymised"
                    else _("De persoon is verwijderd (#%(n)s).")
                )
                % {"n": outcome.person_ref}
            ),
            to=lambda outcome: (
                reverse("network:person", args=[outcome.person_ref])
                if outcome.action == "anonymised"
                else reverse("network:people")
            ),
        )
        if done:
            return done
    return _form_page(
        request,
        "network/person_privacy.html",
        {
            "person": person,
            "overview": selectors.privacy_overview(person=person, today=_today()),
            "form": form,
        },
        bound=request.method == "POST",
    )


@require_GET
def person_export(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything stored about the person as a JSON download (right of access), with the same
    categories as the privacy page; who downloaded it is written to the audit trail."""
    _need(request, perms.VIEW_CONTACT)
    person = _person_or_404(request, pk)
    data = selectors.person_export(person=person)
    services.person_export_record(person=person, actor=_user(request))
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    # Named by internal number, never by name (file names end up in download folders and logs).
    response["Content-Disposition"] = f'attachment; filename="paraat-persoon-{person.pk}.json"'
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def declaration_add(request: HttpRequest, pk: int) -> HttpResponse:
    _need(request, perms.ADD_DECLARATION)
    person = _person_or_404(request, pk)
    form = f.DeclarationForm(request.POST)
    done = _form_action(
        request,
        form,
        lambda data: services.interest_declaration_add(
            person=person,
            text=data["text"],
            declared_on=data.get("declared_on"),
            actor=_user(request),
        ),
        success=_("De belangenverklaring is toegevoegd."),
        to=reverse("network:person", args=[person.pk]) + "#declarations",
    )
    if done:
        return done
    return _form_page(
        request,
        "network/simple_form.html",
        {
            "form": form,
            "title": _("Belangenverklaring toevoegen"),
            "back": reverse("network:person", args=[person.pk]),
            "action": reverse("network:declaration-add", args=[person.pk]),
        },
        bound=True,
    )


@require_http_methods(["GET", "POST"])
def person_pool_add(request: HttpRequest, pk: int) -> HttpResponse:
    _need(request, perms.ADD_POOL)
    person = _person_or_404(request, pk)
    form = f.EntryForm(_posted(request))
    if request.method == "POST":
        done = _form_action(
            request,
            form,
            lambda data: services.pool_expert_add(
                person=person,
                disciplines=list(data["disciplines"]),
                availability_confirmed_on=data.get("availability_confirmed_on"),
                actor=_user(request),
            ),
            success=_("De persoon staat nu in de expertpool."),
            to=reverse("network:person", args=[person.pk]),
        )
        if done:
            return done
    return _form_page(
        request,
        "network/simple_form.html",
        {
            "form": form,
            "title": _("%(name)s toevoegen aan de expertpool") % {"name": person.name},
            "back": reverse("network:person", args=[person.pk]),
        },
        bound=request.method == "POST",
    )


@require_http_methods(["GET", "POST"])
def person_candidate_add(request: HttpRequest, pk: int) -> HttpResponse:
    _need(request, perms.ADD_CANDIDATE)
    person = _person_or_404(request, pk)
    form = f.CandidateForm(_posted(request))
    form.fields.pop("is_active")
    if request.method == "POST":
        done = _form_action(
            request,
            form,
            lambda data: services.candidate_add(
                person=person,
                disciplines=list(data["disciplines"]),
                availability_confirmed_on=data.get("availability_confirmed_on"),
                notes=data.get("notes") or "",
                actor=_user(request),
            ),
            success=_("De persoon staat nu in de kaartenbak."),
            to=reverse("network:person", args=[person.pk]),
        )
        if done:
            return done
    return _form_page(
        request,
        "network/simple_form.html",
        {
            "form": form,
            "title": _("%(name)s toevoegen aan de kaartenbak") % {"name": person.name},
            "back": reverse("network:person", args=[person.pk]),
        },
        bound=request.method == "POST",
    )


def erasure_log(request: HttpRequest) -> HttpResponse:
    _need(request, perms.VIEW_ERASURES)
    return render(request, "network/erasure_log.html", {"rows": selectors.erasure_list()[:500]})


# --- organisations -------------------------------------------------------------------------------


def organisation_list(request: HttpRequest) -> HttpResponse:
    _need(request, perms.VIEW_ORGANISATIONS)
    return render(
        request,
        "network/organisation_list.html",
        {
            "rows": selectors.organisation_list(),
            "can_add": _has(request, perms.ADD_ORGANISATION),
            "can_change": _has(request, perms.CHANGE_ORGANISATION),
        },
    )


@require_http_methods(["GET", "POST"])
def organisation_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    organisation = None
    if pk is not None:
        _need(request, perms.CHANGE_ORGANISATION)
        organisation = selectors.organisation_get(pk=pk)
        if organisation is None:
            raise Http404
        initial = {
            "name": organisation.name,
            "abbreviation": organisation.abbreviation,
            "kind": organisation.kind,
            "website": organisation.website,
            "is_synthetic": organisation.is_synthetic,
        }
    else:
        _need(request, perms.ADD_ORGANISATION)
        initial = {}
    form = f.OrganisationForm(_posted(request), initial=initial)
    if request.method == "POST":

        def save(_d: dict[str, Any]) -> Any:
            if organisation is None:
                return services.organisation_create(data=form.to_data(), actor=_user(request))
            return services.organisation_update(
                organisation=organisation, data=form.to_data(), actor=_user(request)
            )

        done = _form_action(
            request,
            form,
            save,
            success=_("De organisatie is opgeslagen."),
            to=reverse("network:organisations"),
        )
        if done:
            return done
    return _form_page(
        request,
        "network/simple_form.html",
        {
            "form": form,
            "title": _("Organisatie bewerken") if organisation else _("Nieuwe organisatie"),
            "back": reverse("network:organisations"),
        },
        bound=request.method == "POST",
    )


# --- committee -----------------------------------------------------------------------------------


def committee(request: HttpRequest) -> HttpResponse:
    _need(request, perms.VIEW_COMMITTEE)
    raw = request.GET.get("op", "")
    on = f.parse_date(raw) or _today()
    invalid = bool(raw) and f.parse_date(raw) is None
    rows = list(selectors.committee_on(on=on))
    return render(
        request,
        "network/committee.html",
        {
            "rows": rows,
            "on": on,
            "invalid_date": invalid,
            "voting": sum(1 for r in rows if r.has_vote),
            "can_add": _has(request, perms.ADD_MEMBERSHIP),
            "can_end": _has(request, perms.CHANGE_MEMBERSHIP),
            "can_view_people": _has(request, perms.VIEW_PEOPLE),
        },
    )


@require_http_methods(["GET", "POST"])
def membership_add(request: HttpRequest) -> HttpResponse:
    _need(request, perms.ADD_MEMBERSHIP)
    people = selectors.person_list(user=request.user).filter(anonymised_on__isnull=True)
    initial: dict[str, Any] = {"starts_on": _today()}
    person_pk = f.parse_pk(request.GET.get("persoon"))
    if person_pk:
        initial["person"] = person_pk
    form = f.MembershipForm(_posted(request), people=people, initial=initial)
    if request.method == "POST":
        done = _form_action(
            request,
            form,
            lambda data: services.membership_start(
                person=data["person"],
                role=data["role"],
                starts_on=data["starts_on"],
                institution=data.get("institution"),
                source=data.get("source") or "",
                actor=_user(request),
            ),
            success=_("Het lidmaatschap is vastgelegd."),
            to=reverse("network:committee"),
        )
        if done:
            return done
    return _form_page(
        request,
        "network/simple_form.html",
        {
            "form": form,
            "title": _("Lidmaatschap vastleggen"),
            "back": reverse("network:committee"),
        },
        bound=request.method == "POST",
    )


@require_http_methods(["GET", "POST"])
def membership_end(request: HttpRequest, pk: int) -> HttpResponse:
    _need(request, perms.CHANGE_MEMBERSHIP)
    membership = selectors.membership_get(pk=pk)
    if membership is None:
        raise Http404
    form = f.MembershipEndForm(_posted(request), initial={"ends_on": _today()})
    if request.method == "POST":
        done = _form_action(
            request,
            form,
            lambda data: services.membership_end(
                membership=membership, ends_on=data["ends_on"], actor=_user(request)
            ),
            success=_("Het lidmaatschap is beëindigd."),
            to=reverse("network:committee"),
        )
        if done:
            return done
    return _form_page(
        request,
        "network/simple_form.html",
        {
            "form": form,
            "title": _("Lidmaatschap beëindigen: %(m)s") % {"m": membership},
            "back": reverse("network:committee"),
        },
        bound=request.method == "POST",
    )


# --- disciplines ---------------------------------------------------------------------------------


def discipline_list(request: HttpRequest) -> HttpResponse:
    _need(request, perms.VIEW_DISCIPLINES)
    return render(
        request,
        "network/discipline_list.html",
        {
            "rows": selectors.discipline_list(active_only=False),
            "can_add": _has(request, perms.ADD_DISCIPLINE),
            "can_change": _has(request, perms.CHANGE_DISCIPLINE),
        },
    )


@require_http_methods(["GET", "POST"])
def discipline_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    discipline = None
    initial: dict[str, Any] = {}
    if pk is not None:
        _need(request, perms.CHANGE_DISCIPLINE)
        discipline = selectors.discipline_get(pk=pk)
        if discipline is None:
            raise Http404
        initial = {
            "name_nl": discipline.name_nl,
            "name_en": discipline.name_en,
            "description": discipline.description,
            "position": discipline.position,
            "is_active": discipline.is_active,
        }
    else:
        _need(request, perms.ADD_DISCIPLINE)
    form = f.DisciplineForm(_posted(request), initial=initial)
    if request.method == "POST":

        def save(_d: dict[str, Any]) -> Any:
            if discipline is None:
                return services.discipline_create(data=form.to_data(), actor=_user(request))
            return services.discipline_update(
                discipline=discipline, data=form.to_data(), actor=_user(request)
            )

        done = _form_action(
            request,
            form,
            save,
            success=_("De discipline is opgeslagen."),
            to=reverse("network:disciplines"),
        )
        if done:
            return done
    return _form_page(
        request,
        "network/simple_form.html",
        {
            "form": form,
            "title": _("Discipline bewerken") if discipline else _("Nieuwe discipline"),
            "back": reverse("network:disciplines"),
        },
        bound=request.method == "POST",
    )


# --- expert pool ---------------------------------------------------------------------------------


def pool(request: HttpRequest) -> HttpResponse:
    _need(request, perms.VIEW_POOL)
    discipline_pk = f.parse_pk(request.GET.get("discipline"))
    discipline = selectors.discipline_get(pk=discipline_pk) if discipline_pk else None
    cutoff = selectors.stale_cutoff(today=_today())
    rows = [
        {
            "expert": expert,
            "stale": expert.availability_confirmed_on is None
            or expert.availability_confirmed_on < cutoff,
        }
        for expert in selectors.pool_expert_list(discipline=discipline)
    ]
    return render(
        request,
        "network/pool.html",
        {
            "rows": rows,
            "discipline": discipline,
            "disciplines": selectors.discipline_list(),
            "can_change": _has(request, perms.CHANGE_POOL),
            "show_contact": selectors.can_see_contact(user=request.user),
            "stale_months": selectors.stale_months(),
        },
    )


@require_http_methods(["GET", "POST"])
def pool_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _need(request, perms.CHANGE_POOL)
    expert = selectors.pool_expert_get(pk=pk)
    if expert is None:
        raise Http404
    form = f.PoolExpertForm(
        _posted(request),
        initial={
            "disciplines": list(expert.disciplines.all()),
            "availability_confirmed_on": expert.availability_confirmed_on,
            "is_active": expert.is_active,
        },
    )
    if request.method == "POST":
        done = _form_action(
            request,
            form,
            lambda data: services.pool_expert_update(
                expert=expert,
                disciplines=list(data["disciplines"]),
                availability_confirmed_on=data.get("availability_confirmed_on"),
                is_active=bool(data.get("is_active")),
                actor=_user(request),
            ),
            success=_("De gegevens zijn opgeslagen."),
            to=reverse("network:pool"),
        )
        if done:
            return done
    return _form_page(
        request,
        "network/simple_form.html",
        {
            "form": form,
            "title": _("Expert in de pool: %(name)s") % {"name": expert.person.name},
            "back": reverse("network:pool"),
        },
        bound=request.method == "POST",
    )


@require_POST
def pool_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    _need(request, perms.CHANGE_POOL)
    expert = selectors.pool_expert_get(pk=pk)
    if expert is None:
        raise Http404
    try:
        services.availability_confirm(entry=expert, actor=_user(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Beschikbaarheid van %(name)s bevestigd op %(d)s.")
            % {"name": expert.person.name, "d": expert.availability_confirmed_on},
        )
    return redirect("network:pool")


# --- card index ----------------------------------------------------------------------------------


def candidates(request: HttpRequest) -> HttpResponse:
    _need(request, perms.VIEW_CANDIDATES)
    discipline_pk = f.parse_pk(request.GET.get("discipline"))
    discipline = selectors.discipline_get(pk=discipline_pk) if discipline_pk else None
    show_inactive = request.GET.get("inactief") == "1"
    rows_qs = selectors.candidate_list(user=request.user, include_inactive=show_inactive)
    if discipline is not None:
        rows_qs = rows_qs.filter(disciplines=discipline)
    cutoff = selectors.stale_cutoff(today=_today())
    rows = [
        {
            "candidate": candidate,
            "stale": candidate.availability_confirmed_on is None
            or candidate.availability_confirmed_on < cutoff,
        }
        for candidate in rows_qs
    ]
    return render(
        request,
        "network/candidates.html",
        {
            "rows": rows,
            "discipline": discipline,
            "disciplines": selectors.discipline_list(),
            "show_inactive": show_inactive,
            "can_add": _has(request, perms.ADD_CANDIDATE),
            "can_change": _has(request, perms.CHANGE_CANDIDATE),
            "can_confirm": _has(request, perms.CONFIRM_AVAILABILITY),
            "show_contact": selectors.can_see_contact(user=request.user),
            "stale_months": selectors.stale_months(),
        },
    )


@require_http_methods(["GET", "POST"])
def candidate_create(request: HttpRequest) -> HttpResponse:
    _need(request, perms.ADD_CANDIDATE)
    _need(request, perms.ADD_PERSON)
    form = f.CandidateRegisterForm(_posted(request))
    if request.method == "POST":
        done = _form_action(
            request,
            form,
            lambda data: services.candidate_register(
                person_data=form.person_data(),
                disciplines=list(data["disciplines"]),
                availability_confirmed_on=data.get("availability_confirmed_on"),
                notes=data.get("notes") or "",
                declaration=data.get("declaration") or "",
                actor=_user(request),
            ),
            success=lambda c: _("%(name)s staat in de kaartenbak.") % {"name": c.person.name},
            to=reverse("network:candidates"),
        )
        if done:
            return done
    return _form_page(
        request,
        "network/candidate_form.html",
        {"form": form},
        bound=request.method == "POST",
    )


@require_http_methods(["GET", "POST"])
def candidate_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _need(request, perms.CHANGE_CANDIDATE)
    candidate = selectors.candidate_get(user=request.user, pk=pk)
    if candidate is None:
        raise Http404
    form = f.CandidateForm(
        _posted(request),
        initial={
            "disciplines": list(candidate.disciplines.all()),
            "availability_confirmed_on": candidate.availability_confirmed_on,
            "notes": candidate.notes,
            "is_active": candidate.is_active,
        },
    )
    if request.method == "POST":
        done = _form_action(
            request,
            form,
            lambda data: services.candidate_update(
                candidate=candidate,
                disciplines=list(data["disciplines"]),
                availability_confirmed_on=data.get("availability_confirmed_on"),
                notes=data.get("notes") or "",
                is_active=bool(data.get("is_active")),
                actor=_user(request),
            ),
            success=_("De gegevens zijn opgeslagen."),
            to=reverse("network:candidates"),
        )
        if done:
            return done
    return _form_page(
        request,
        "network/simple_form.html",
        {
            "form": form,
            "title": _("Kandidaat: %(name)s") % {"name": candidate.person.name},
            "back": reverse("network:candidates"),
        },
        bound=request.method == "POST",
    )


@require_POST
def candidate_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    _need(request, perms.CONFIRM_AVAILABILITY)
    candidate = selectors.candidate_get(user=request.user, pk=pk)
    if candidate is None:
        raise Http404
    try:
        services.availability_confirm(entry=candidate, actor=_user(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Beschikbaarheid van %(name)s bevestigd op %(d)s.")
            % {"name": candidate.person.name, "d": candidate.availability_confirmed_on},
        )
    return redirect("network:candidates")


# --- practice circles ----------------------------------------------------------------------------


def circles(request: HttpRequest) -> HttpResponse:
    _need(request, perms.VIEW_CIRCLES)
    show_inactive = request.GET.get("inactief") == "1"
    return render(
        request,
        "network/circles.html",
        {
            "rows": selectors.practice_circle_list(active_only=not show_inactive),
            "show_inactive": show_inactive,
            "can_add": _has(request, perms.ADD_CIRCLE),
            "show_contact": selectors.can_see_contact(user=request.user),
        },
    )


def circle_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _need(request, perms.VIEW_CIRCLES)
    circle = selectors.practice_circle_get(pk=pk)
    if circle is None:
        raise Http404
    cutoff = selectors.stale_cutoff(today=_today())
    return render(
        request,
        "network/circle_detail.html",
        {
            "circle": circle,
            "stale": circle.contact_confirmed_on is None or circle.contact_confirmed_on < cutoff,
            "stale_months": selectors.stale_months(),
            "can_change": _has(request, perms.CHANGE_CIRCLE),
            "show_contact": selectors.can_see_contact(user=request.user),
            "can_view_people": _has(request, perms.VIEW_PEOPLE),
        },
    )


@require_http_methods(["GET", "POST"])
def circle_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    circle = None
    initial: dict[str, Any] = {}
    if pk is not None:
        _need(request, perms.CHANGE_CIRCLE)
        circle = selectors.practice_circle_get(pk=pk)
        if circle is None:
            raise Http404
        initial = {
            "name": circle.name,
            "description": circle.description,
            "lead_organisation": circle.lead_organisation_id,
            "member_organisations": list(circle.member_organisations.all()),
            "contact": circle.contact_id,
            "groups": list(circle.groups.all()),
            "response_hours": circle.response_hours,
            "contact_confirmed_on": circle.contact_confirmed_on,
            "is_active": circle.is_active,
            "is_synthetic": circle.is_synthetic,
        }
    else:
        _need(request, perms.ADD_CIRCLE)
    people = selectors.person_list(user=request.user).filter(anonymised_on__isnull=True)
    form = f.CircleForm(_posted(request), people=people, initial=initial)
    if request.method == "POST":

        def save(_d: dict[str, Any]) -> Any:
            if circle is None:
                return services.practice_circle_create(data=form.to_data(), actor=_user(request))
            return services.practice_circle_update(
                circle=circle, data=form.to_data(), actor=_user(request)
            )

        done = _form_action(
            request,
            form,
            save,
            success=_("De praktijkkring is opgeslagen."),
            to=lambda c: reverse("network:circle", args=[c.pk]),
        )
        if done:
            return done
    return _form_page(
        request,
        "network/simple_form.html",
        {
            "form": form,
            "title": _("Praktijkkring bewerken") if circle else _("Nieuwe praktijkkring"),
            "back": reverse("network:circles"),
        },
        bound=request.method == "POST",
    )


@require_POST
def circle_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    _need(request, perms.CHANGE_CIRCLE)
    circle = selectors.practice_circle_get(pk=pk)
    if circle is None:
        raise Http404
    services.practice_circle_confirm(circle=circle, actor=_user(request))
    messages.success(request, _("Contactpersoon en reactietijd bevestigd."))
    return redirect("network:circle", pk=circle.pk)


# --- coverage ------------------------------------------------------------------------------------


def coverage(request: HttpRequest) -> HttpResponse:
    _need(request, perms.VIEW_COVERAGE)
    rows = selectors.coverage(today=_today())
    flagged_only = request.GET.get("gemarkeerd") == "1"
    shown = [r for r in rows if r.flagged] if flagged_only else rows
    return render(
        request,
        "network/coverage.html",
        {
            "disciplines": [r for r in shown if r.kind == "discipline"],
            "groups": [r for r in shown if r.kind == "group"],
            "summary": selectors.coverage_summary(rows=rows),
            "flagged_only": flagged_only,
            "min_contacts": selectors.min_contacts(),
            "stale_months": selectors.stale_months(),
            "today": _today(),
            "can_view_pool": _has(request, perms.VIEW_POOL),
        },
    )
