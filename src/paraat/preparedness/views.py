"""Pages of standby (waakstand) under ``/paraatheid/``.

Every page checks its permission (``permissions.py``): 403 without it. Meetings are found
through ``selectors.meeting_get`` (404 when the user may not see the meeting, e.g. a
confidential one). Writes go through ``services``; their ``ValidationError`` becomes errors on
the form (status 400).
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from paraat.accounts.models import User
from paraat.jobs.files import job_file_download
from paraat.measures.models import ScenarioLevel
from paraat.network import selectors as network_selectors
from paraat.preparedness import forms, selectors, services, tasks
from paraat.preparedness import permissions as perms
from paraat.preparedness.models import Meeting, MeetingStatus, PlaybookActionStatus

# --- helpers ------------------------------------------------------------------------------------


def _require(request: HttpRequest, perm: str) -> User:
    user = request.user
    if not selectors.may(user=user, perm=perm):
        raise PermissionDenied(_("Uw rol staat deze handeling niet toe."))
    assert isinstance(user, User)
    return user


def _can(request: HttpRequest, perm: str) -> bool:
    return selectors.may(user=request.user, perm=perm)


def _form_errors(form: Any, exc: ValidationError) -> None:
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for key, errors in exc.message_dict.items():
        name = key if key in form.fields and not form.fields[key].widget.is_hidden else None
        form.add_error(name, errors)


def _run(
    request: HttpRequest, form: Any, action: Callable[[dict[str, Any]], Any], success: str
) -> bool:
    """Run a service with a valid form's data; False with the errors on the form."""
    if not form.is_valid():
        return False
    try:
        action(form.cleaned_data)
    except ValidationError as exc:
        _form_errors(form, exc)
        return False
    messages.success(request, success)
    return True


def _people(request: HttpRequest) -> Any:
    return network_selectors.person_list(user=request.user).filter(anonymised_on__isnull=True)


def _meeting(request: HttpRequest, pk: int) -> Meeting:
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    if meeting is None:
        raise Http404
    return meeting


def parse_year(raw: str) -> int | None:
    """A year from a query parameter (1990–2200), None otherwise. ASCII digits only: ``"²"``
    passes ``str.isdigit`` but not ``int``."""
    if not raw or len(raw) > 4 or not raw.isascii() or not raw.isdigit():
        return None
    year = int(raw)
    return year if 1990 <= year <= 2200 else None


def _choice_label(choices: Any, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def interval_label(interval: Any) -> str:
    """ "jaar", "maand", "twee weken", "week" or "N maanden en M dagen"."""
    months, days = interval.months, interval.days
    named = {(12, 0): _("jaar"), (1, 0): _("maand"), (0, 14): _("twee weken"), (0, 7): _("week")}
    if (months, days) in named:
        return str(named[(months, days)])
    parts = []
    if months:
        parts.append(_("%(n)s maanden") % {"n": months} if months > 1 else _("maand"))
    if days:
        parts.append(_("%(n)s dagen") % {"n": days} if days > 1 else _("dag"))
    return (" " + _("en") + " ").join(parts)


def _mode_context(
    request: HttpRequest, mode_form: Any = None, plan_form: Any = None
) -> dict[str, Any]:
    today = timezone.localdate()
    state = selectors.current_mode()
    can_manage = _can(request, perms.SET_MODE)
    cadence = selectors.cadence_now(today=today)
    return {
        "state": state,
        "cadence": cadence,
        "intervals": selectors.cadence_intervals(),
        "history": selectors.mode_history()[:50],
        "next_meeting": selectors.meeting_next(user=request.user)
        if _can(request, perms.VIEW_MEETINGS)
        else None,
        "overdue_sections": selectors.sections_overdue(today=today)
        if _can(request, perms.VIEW_PLAYBOOK)
        else [],
        "open_actions": selectors.action_list(open_only=True).count()
        if _can(request, perms.VIEW_ACTIONS)
        else 0,
        "mode_form": mode_form
        if mode_form is not None
        else (
            forms.ModeForm(initial={"mode": state.mode, "scenario_level": state.scenario_level})
            if can_manage
            else None
        ),
        "plan_form": plan_form
        if plan_form is not None
        else (forms.PlanForm() if _can(request, perms.MANAGE_MEETINGS) else None),
        "can_manage": can_manage,
        "can_report": _can(request, perms.REPORT),
        "can_budget": _can(request, perms.VIEW_BUDGET),
        "today": today,
        "level_label": _choice_label(ScenarioLevel, state.scenario_level),
        "cadence_interval": interval_label(cadence.interval) if cadence else "",
    }


# --- landing page: mode, level, cadence --------------------------------------------------------


def index(request: HttpRequest) -> HttpResponse:
    _require(request, perms.VIEW_MODE)
    return render(request, "preparedness/index.html", _mode_context(request))


@require_POST
def mode_set(request: HttpRequest) -> HttpResponse:
    user = _require(request, perms.SET_MODE)
    form = forms.ModeForm(request.POST)

    def action(data: dict[str, Any]) -> Any:
        return services.mode_set(
            mode=data["mode"],
            scenario_level=data["scenario_level"] or "",
            reason=data["reason"],
            actor=user,
            at=data["at"],
        )

    if _run(request, form, action, _("De modus is vastgelegd.")):
        return redirect("preparedness:index")
    return render(
        request, "preparedness/index.html", _mode_context(request, mode_form=form), status=400
    )


@require_POST
def meetings_plan(request: HttpRequest) -> HttpResponse:
    user = _require(request, perms.MANAGE_MEETINGS)
    form = forms.PlanForm(request.POST)
    created: list[Meeting] = []

    def action(data: dict[str, Any]) -> Any:
        created.extend(
            services.meetings_plan(actor=user, until=data["until"], location=data["location"])
        )

    if form.is_valid():
        try:
            action(form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            if created:
                messages.success(
                    request,
                    _("%(n)s vergadering(en) gepland volgens de vergaderfrequentie.")
                    % {"n": len(created)},
                )
            else:
                messages.info(request, _("De vergaderfrequentie is al gedekt; niets gepland."))
            return redirect("preparedness:meetings")
    return render(
        request, "preparedness/index.html", _mode_context(request, plan_form=form), status=400
    )


# --- meetings -----------------------------------------------------------------------------------


def meetings(request: HttpRequest) -> HttpResponse:
    _require(request, perms.VIEW_MEETINGS)
    year = parse_year(request.GET.get("jaar", ""))
    rows = selectors.meeting_list(user=request.user, year=year)
    return render(
        request,
        "preparedness/meetings.html",
        {
            "meetings": rows,
            "year": year,
            "years": selectors.meeting_years(user=request.user),
            "can_manage": _can(request, perms.MANAGE_MEETINGS),
            "can_attendance": _can(request, perms.VIEW_ATTENDANCE),
            "plan_form": forms.PlanForm() if _can(request, perms.MANAGE_MEETINGS) else None,
            "this_year": timezone.localdate().year,
        },
    )


def _meeting_data(form: forms.MeetingForm) -> services.MeetingData:
    data = form.cleaned_data
    return services.MeetingData(
        title=data["title"],
        kind=data["kind"],
        starts_at=data["starts_at"],
        ends_at=data["ends_at"],
        location=data["location"],
        confidentiality=data["confidentiality"],
        agenda=form.agenda_lines(),
    )


def meeting_create(request: HttpRequest) -> HttpResponse:
    user = _require(request, perms.MANAGE_MEETINGS)
    form = forms.MeetingForm(request.POST or None)
    if request.method == "POST":
        result: list[Meeting] = []
        if _run(
            request,
            form,
            lambda d: result.append(services.meeting_create(data=_meeting_data(form), actor=user)),
            _("De vergadering is aangemaakt."),
        ):
            return redirect("preparedness:meeting", pk=result[0].pk)
        return render(request, "preparedness/meeting_form.html", {"form": form}, status=400)
    return render(request, "preparedness/meeting_form.html", {"form": form})


def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _require(request, perms.MANAGE_MEETINGS)
    meeting = _meeting(request, pk)
    if request.method == "POST":
        form = forms.MeetingForm(request.POST)
        if _run(
            request,
            form,
            lambda d: services.meeting_update(
                meeting=meeting, data=_meeting_data(form), actor=user
            ),
            _("De vergadering is bijgewerkt."),
        ):
            return redirect("preparedness:meeting", pk=meeting.pk)
        return render(
            request,
            "preparedness/meeting_form.html",
            {"form": form, "meeting": meeting},
            status=400,
        )
    agenda_text = "\n".join(
        f"{a.title}: {a.description}" if a.description else a.title
        for a in selectors.agenda(meeting=meeting)
    )
    form = forms.MeetingForm(
        initial={
            "title": meeting.title,
            "kind": meeting.kind,
            "starts_at": timezone.localtime(meeting.starts_at),
            "ends_at": timezone.localtime(meeting.ends_at) if meeting.ends_at else None,
            "location": meeting.location,
            "confidentiality": meeting.confidentiality,
            "agenda": agenda_text,
        }
    )
    return render(request, "preparedness/meeting_form.html", {"form": form, "meeting": meeting})


def _meeting_context(request: HttpRequest, meeting: Meeting, **forms_: Any) -> dict[str, Any]:
    can_manage = _can(request, perms.MANAGE_MEETINGS)
    latest = selectors.minutes_latest(meeting=meeting)
    approval = selectors.minutes_approval(meeting=meeting)
    context: dict[str, Any] = {
        "meeting": meeting,
        "agenda": selectors.agenda(meeting=meeting),
        "documents": selectors.documents(meeting=meeting),
        "minutes": latest,
        "minutes_versions": selectors.minutes_versions(meeting=meeting),
        "approval": approval,
        "attendance": selectors.attendance(meeting=meeting),
        "counts": selectors.attendance_counts(meeting=meeting),
        "can_manage": can_manage,
        # A note on someone's attendance ("afgemeld wegens ziekte") is personal data: only for
        # those who keep the attendance (CPO, secretariat), not for every reader.
        "show_notes": _can(request, perms.VIEW_ATTENDANCE),
    }
    if can_manage:
        context["status_form"] = forms_.get("status_form") or forms.MeetingStatusForm(
            initial={"status": MeetingStatus.HELD}
        )
        context["document_form"] = forms_.get("document_form") or forms.DocumentForm()
        if approval is None:
            context["minutes_form"] = forms_.get("minutes_form") or forms.MinutesForm(
                initial={
                    "text": latest.text if latest else "",
                    "base_number": latest.number if latest else None,
                }
            )
            if latest is not None:
                context["approve_form"] = forms_.get("approve_form") or forms.ApproveForm(
                    initial={"approved_on": timezone.localdate()}
                )
        context["attendance_form"] = forms_.get("attendance_form") or forms.AttendanceForm(
            people=_people(request)
        )
    return context


def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, perms.VIEW_MEETINGS)
    meeting = _meeting(request, pk)
    return render(request, "preparedness/meeting_detail.html", _meeting_context(request, meeting))


def _meeting_post(
    request: HttpRequest,
    pk: int,
    form_name: str,
    make_form: Callable[[], Any],
    action: Callable[[Meeting, User, dict[str, Any], Any], Any],
    success: str,
    anchor: str,
) -> HttpResponse:
    user = _require(request, perms.MANAGE_MEETINGS)
    meeting = _meeting(request, pk)
    form = make_form()
    if _run(request, form, lambda data: action(meeting, user, data, form), success):
        return redirect(reverse("preparedness:meeting", kwargs={"pk": meeting.pk}) + f"#{anchor}")
    return render(
        request,
        "preparedness/meeting_detail.html",
        _meeting_context(request, meeting, **{form_name: form}),
        status=400,
    )


@require_POST
def meeting_status(request: HttpRequest, pk: int) -> HttpResponse:
    return _meeting_post(
        request,
        pk,
        "status_form",
        lambda: forms.MeetingStatusForm(request.POST),
        lambda m, u, d, f: services.meeting_status_set(meeting=m, status=d["status"], actor=u),
        _("De status van de vergadering is vastgelegd."),
        "h-meeting",
    )


@require_POST
def meeting_document_add(request: HttpRequest, pk: int) -> HttpResponse:
    def action(meeting: Meeting, user: User, data: dict[str, Any], form: Any) -> Any:
        upload = data["file"]
        content = upload.read(services.document_max_bytes() + 1)
        return services.meeting_document_add(
            meeting=meeting, title=data["title"], content=content, file_name=upload.name, actor=user
        )

    return _meeting_post(
        request,
        pk,
        "document_form",
        lambda: forms.DocumentForm(request.POST, request.FILES),
        action,
        _("Het stuk is toegevoegd."),
        "h-documents",
    )


def meeting_document(request: HttpRequest, pk: int, doc: int) -> FileResponse:
    _require(request, perms.VIEW_MEETINGS)
    meeting = _meeting(request, pk)
    document = selectors.document_get(meeting=meeting, pk=doc)
    if document is None or not document.file:
        raise Http404
    try:
        handle = document.file.open("rb")
    except (OSError, ValueError) as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.file_name,
        content_type=services.DOCUMENT_FORMATS.get(
            document.file_format, "application/octet-stream"
        ),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def minutes_save(request: HttpRequest, pk: int) -> HttpResponse:
    return _meeting_post(
        request,
        pk,
        "minutes_form",
        lambda: forms.MinutesForm(request.POST),
        lambda m, u, d, f: services.minutes_save(
            meeting=m, text=d["text"], note=d["note"], base_number=d["base_number"], actor=u
        ),
        _("Het verslag is opgeslagen als nieuwe versie."),
        "h-minutes",
    )


@require_POST
def minutes_approve(request: HttpRequest, pk: int) -> HttpResponse:
    def action(meeting: Meeting, user: User, data: dict[str, Any], form: Any) -> Any:
        latest = selectors.minutes_latest(meeting=meeting)
        if latest is None:
            raise ValidationError({"approved_on": _("Er is nog geen verslag.")})
        return services.minutes_approve(
            minutes=latest, approved_on=data["approved_on"], note=data["note"], actor=user
        )

    return _meeting_post(
        request,
        pk,
        "approve_form",
        lambda: forms.ApproveForm(request.POST),
        action,
        _("Het verslag is vastgesteld."),
        "h-minutes",
    )


@require_POST
def attendance_record(request: HttpRequest, pk: int) -> HttpResponse:
    return _meeting_post(
        request,
        pk,
        "attendance_form",
        lambda: forms.AttendanceForm(request.POST, people=_people(request)),
        lambda m, u, d, f: services.attendance_record(
            meeting=m,
            person=d["person"],
            presence=d["presence"],
            role=d["role"],
            note=d["note"],
            actor=u,
        ),
        _("De aanwezigheid is vastgelegd."),
        "h-attendance",
    )


@require_POST
def attendance_remove(request: HttpRequest, pk: int, row: int) -> HttpResponse:
    user = _require(request, perms.MANAGE_MEETINGS)
    meeting = _meeting(request, pk)
    attendance = selectors.attendance_get(meeting=meeting, pk=row)
    if attendance is None:
        raise Http404
    services.attendance_remove(attendance=attendance, actor=user)
    messages.success(request, _("De regel is verwijderd."))
    return redirect(reverse("preparedness:meeting", kwargs={"pk": meeting.pk}) + "#h-attendance")


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def attendance_csv(request: HttpRequest) -> HttpResponse:
    """Attendance per person per meeting of a year, for the fees (presentiegelden)."""
    _require(request, perms.VIEW_ATTENDANCE)
    year = parse_year(request.GET.get("jaar", ""))
    if year is None:
        return HttpResponse(_("Geef een jaar (?jaar=2026)."), status=400, content_type="text/plain")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, f"aanwezigheid-{year}.csv")
    response["X-Content-Type-Options"] = "nosniff"
    writer = csv.writer(response)
    writer.writerow(
        ["vergadering", "datum", "persoon", "organisatie", "rol", "aanwezigheid", "aanwezig"]
    )
    for row in selectors.attendance_rows(user=request.user, year=year):
        writer.writerow(
            [
                _csv_cell(row["meeting"].title),
                row["date"].isoformat(),
                _csv_cell(row["person"].name),
                _csv_cell(row["organisation"]),
                _csv_cell(row["role"]),
                row["presence"],
                "ja" if row["attended"] else "nee",
            ]
        )
    return response


# --- playbook -----------------------------------------------------------------------------------


def playbook(request: HttpRequest) -> HttpResponse:
    _require(request, perms.VIEW_PLAYBOOK)
    can_edit = _can(request, perms.EDIT_PLAYBOOK)
    return render(
        request,
        "preparedness/playbook.html",
        {
            "rows": selectors.playbook_rows(),
            "missing": selectors.missing_elements(),
            "can_edit": can_edit,
            "create_form": forms.SectionCreateForm(people=_people(request)) if can_edit else None,
            "format_form": forms.FormatForm(),
        },
    )


def _section(pk: int) -> Any:
    section = selectors.section_get(pk=pk)
    if section is None:
        raise Http404
    return section


def _section_context(request: HttpRequest, section: Any, **forms_: Any) -> dict[str, Any]:
    latest = selectors.section_latest(section=section)
    can_edit = _can(request, perms.EDIT_PLAYBOOK)
    context = {
        "section": section,
        "latest": latest,
        "overdue": selectors.is_overdue(section),
        "help": selectors.ELEMENT_HELP.get(section.element, ""),
        "versions": selectors.section_versions(section=section),
        "actions": selectors.action_list().filter(section=section),
        "can_edit": can_edit,
    }
    if can_edit:
        context["text_form"] = forms_.get("text_form") or forms.SectionTextForm(
            initial={
                "text": latest.text if latest else "",
                "base_number": latest.number if latest else None,
            }
        )
        context["settings_form"] = forms_.get("settings_form") or forms.SectionForm(
            people=_people(request),
            initial={
                "title": section.title,
                "owner": section.owner_id,
                "review_due_on": section.review_due_on,
            },
        )
    return context


def section_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, perms.VIEW_PLAYBOOK)
    section = _section(pk)
    return render(request, "preparedness/section.html", _section_context(request, section))


@require_POST
def section_save(request: HttpRequest, pk: int) -> HttpResponse:
    user = _require(request, perms.EDIT_PLAYBOOK)
    section = _section(pk)
    form = forms.SectionTextForm(request.POST)
    if _run(
        request,
        form,
        lambda d: services.playbook_section_save(
            section=section,
            text=d["text"],
            note=d["note"],
            base_number=d["base_number"],
            review_due_on=d["review_due_on"],
            actor=user,
        ),
        _("De sectie is opgeslagen als nieuwe versie."),
    ):
        return redirect("preparedness:section", pk=section.pk)
    return render(
        request,
        "preparedness/section.html",
        _section_context(request, section, text_form=form),
        status=400,
    )


@require_POST
def section_settings(request: HttpRequest, pk: int) -> HttpResponse:
    user = _require(request, perms.EDIT_PLAYBOOK)
    section = _section(pk)
    form = forms.SectionForm(request.POST, people=_people(request))
    if _run(
        request,
        form,
        lambda d: services.playbook_section_update(
            section=section,
            title=d["title"],
            owner=d["owner"],
            review_due_on=d["review_due_on"],
            actor=user,
        ),
        _("Eigenaar en herziendatum zijn bijgewerkt."),
    ):
        return redirect("preparedness:section", pk=section.pk)
    return render(
        request,
        "preparedness/section.html",
        _section_context(request, section, settings_form=form),
        status=400,
    )


@require_POST
def section_create(request: HttpRequest) -> HttpResponse:
    user = _require(request, perms.EDIT_PLAYBOOK)
    form = forms.SectionCreateForm(request.POST, people=_people(request))
    created: list[Any] = []
    if _run(
        request,
        form,
        lambda d: created.append(
            services.playbook_section_create(
                element=d["element"],
                title=d["title"],
                owner=d["owner"],
                review_due_on=d["review_due_on"],
                actor=user,
            )
        ),
        _("De sectie is toegevoegd."),
    ):
        return redirect("preparedness:section", pk=created[0].pk)
    return render(
        request,
        "preparedness/playbook.html",
        {
            "rows": selectors.playbook_rows(),
            "missing": selectors.missing_elements(),
            "can_edit": True,
            "create_form": form,
            "format_form": forms.FormatForm(),
        },
        status=400,
    )


def section_version(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    _require(request, perms.VIEW_PLAYBOOK)
    section = _section(pk)
    version = selectors.section_version_get(section=section, number=number)
    if version is None:
        raise Http404
    previous = (
        selectors.section_version_get(section=section, number=number - 1) if number > 1 else None
    )
    return render(
        request,
        "preparedness/section_version.html",
        {
            "section": section,
            "version": version,
            "previous": previous,
            "ops": selectors.section_diff(old=previous, new=version),
        },
    )


@require_POST
def playbook_export(request: HttpRequest) -> HttpResponse:
    user = _require(request, perms.VIEW_PLAYBOOK)
    form = forms.FormatForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Kies PDF of Word."))
        return redirect("preparedness:playbook")
    job = tasks.playbook_start(user=user, fmt=form.cleaned_data["fmt"])
    return redirect("jobs:detail", job_id=job.pk)


# --- actions ------------------------------------------------------------------------------------


def actions(request: HttpRequest) -> HttpResponse:
    _require(request, perms.VIEW_ACTIONS)
    status = request.GET.get("status", "")
    if status not in PlaybookActionStatus.values:
        status = ""
    return _actions_page(request, status=status)


def _actions_page(
    request: HttpRequest, *, status: str = "", form: Any = None, status_code: int = 200
) -> HttpResponse:
    can_manage = _can(request, perms.MANAGE_ACTIONS)
    rows = list(selectors.action_list(status=status))
    today = timezone.localdate()
    return render(
        request,
        "preparedness/actions.html",
        {
            "rows": [
                {"action": a, "overdue": selectors.action_overdue(a, today=today)} for a in rows
            ],
            "status": status,
            "statuses": PlaybookActionStatus.choices,
            "can_manage": can_manage,
            "form": (form or forms.ActionForm(sections=selectors.section_list()))
            if can_manage
            else None,
            "status_form": forms.ActionStatusForm() if can_manage else None,
        },
        status=status_code,
    )


@require_POST
def action_create(request: HttpRequest) -> HttpResponse:
    user = _require(request, perms.MANAGE_ACTIONS)
    form = forms.ActionForm(request.POST, sections=selectors.section_list())
    if _run(
        request,
        form,
        lambda d: services.playbook_action_create(
            title=d["title"],
            description=d["description"],
            source=d["source"],
            section=d["section"],
            due_on=d["due_on"],
            actor=user,
        ),
        _("De actie is toegevoegd."),
    ):
        return redirect("preparedness:actions")
    return _actions_page(request, form=form, status_code=400)


@require_POST
def action_status(request: HttpRequest, pk: int) -> HttpResponse:
    user = _require(request, perms.MANAGE_ACTIONS)
    action = selectors.action_get(pk=pk)
    if action is None:
        raise Http404
    form = forms.ActionStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Kies een geldige status."))
        return redirect("preparedness:actions")
    try:
        services.playbook_action_status_set(
            action=action,
            status=form.cleaned_data["status"],
            note=form.cleaned_data["note"],
            actor=user,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("De status van de actie is bijgewerkt."))
    return redirect("preparedness:actions")


# --- budget -------------------------------------------------------------------------------------


def budget(request: HttpRequest, **forms_: Any) -> HttpResponse:
    _require(request, perms.VIEW_BUDGET)
    return _budget_page(request)


def _budget_page(request: HttpRequest, status: int = 200, **forms_: Any) -> HttpResponse:
    can_manage = _can(request, perms.MANAGE_BUDGET)
    streams = selectors.funding_streams()
    rows = selectors.budget_overview()
    context: dict[str, Any] = {
        "streams": streams,
        "rows": rows,
        "totals": selectors.budget_totals(rows),
        "realisations": selectors.realisations().order_by("-date", "-pk")[:100],
        "can_manage": can_manage,
    }
    if can_manage:
        context["stream_form"] = forms_.get("stream_form") or forms.FundingStreamForm()
        context["line_form"] = forms_.get("line_form") or forms.BudgetLineForm(streams=streams)
        context["realisation_form"] = forms_.get("realisation_form") or forms.RealisationForm(
            streams=streams
        )
    return render(request, "preparedness/budget.html", context, status=status)


@require_POST
def stream_create(request: HttpRequest) -> HttpResponse:
    user = _require(request, perms.MANAGE_BUDGET)
    form = forms.FundingStreamForm(request.POST)
    if _run(
        request,
        form,
        lambda d: services.funding_stream_create(actor=user, **d),
        _("De financieringsstroom is toegevoegd."),
    ):
        return redirect("preparedness:budget")
    return _budget_page(request, status=400, stream_form=form)


@require_POST
def line_create(request: HttpRequest) -> HttpResponse:
    user = _require(request, perms.MANAGE_BUDGET)
    form = forms.BudgetLineForm(request.POST, streams=selectors.funding_streams())
    if _run(
        request,
        form,
        lambda d: services.budget_line_create(actor=user, **d),
        _("De begrotingsregel is toegevoegd."),
    ):
        return redirect("preparedness:budget")
    return _budget_page(request, status=400, line_form=form)


@require_POST
def realisation_create(request: HttpRequest) -> HttpResponse:
    user = _require(request, perms.MANAGE_BUDGET)
    form = forms.RealisationForm(request.POST, streams=selectors.funding_streams())
    if _run(
        request,
        form,
        lambda d: services.realisation_create(actor=user, **d),
        _("De realisatie is vastgelegd."),
    ):
        return redirect("preparedness:budget")
    return _budget_page(request, status=400, realisation_form=form)


# --- accountability -----------------------------------------------------------------------------


def _reports_page(request: HttpRequest, status: int = 200, **forms_: Any) -> HttpResponse:
    today = timezone.localdate()
    return render(
        request,
        "preparedness/reports.html",
        {
            "report_form": forms_.get("report_form")
            or forms.ReportForm(initial={"year": today.year, "fmt": "pdf"}),
            "export_form": forms_.get("export_form")
            or forms.ExportForm(
                initial={
                    "start": today.replace(year=max(today.year - 5, 2022), month=1, day=1),
                    "end": today,
                }
            ),
            "compliance": selectors.cadence_compliance(),
        },
        status=status,
    )


def reports(request: HttpRequest) -> HttpResponse:
    _require(request, perms.REPORT)
    return _reports_page(request)


def _job_form(
    request: HttpRequest, form: Any, start: Callable[[dict[str, Any]], Any], form_name: str
) -> HttpResponse:
    if form.is_valid():
        try:
            job = start(form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            return redirect("jobs:detail", job_id=job.pk)
    return _reports_page(request, status=400, **{form_name: form})


@require_POST
def report_start(request: HttpRequest) -> HttpResponse:
    user = _require(request, perms.REPORT)
    return _job_form(
        request,
        forms.ReportForm(request.POST),
        lambda d: tasks.report_start(user=user, year=d["year"], fmt=d["fmt"]),
        "report_form",
    )


@require_POST
def export_start(request: HttpRequest) -> HttpResponse:
    user = _require(request, perms.REPORT)
    return _job_form(
        request,
        forms.ExportForm(request.POST),
        lambda d: tasks.export_start(user=user, start=d["start"], end=d["end"]),
        "export_form",
    )


def job_download(request: HttpRequest, job_id: str) -> HttpResponse:
    """A finished playbook, yearly report or export; 404 for anyone who may not have it."""
    return job_file_download(job_id, lambda job: tasks.job_file_for(job, request.user))
