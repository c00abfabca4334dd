"""The permission matrix (issue 8): every URL and API endpoint × every role, checked.

The expected matrix is written down once, in ``permission_matrix.yaml`` next to this file:
per URL name and HTTP method, whether the public (anonymous) may use it and which roles may.
Its ``defects`` list names the cells where today's behaviour differs from the intended one;
those cells are strict xfails (they fail the run once fixed, so the list stays true).
``docs/permissions.md`` is rendered from the same file.

How a cell is measured: the demo world (``paraat.web.demo.demo_load``) is loaded once per
module inside a transaction that is rolled back at the end; every request runs in a savepoint
that is rolled back too, so a POST of one role never changes what the next role sees. One
client per role (``force_login`` as the demo user of that role), two-factor authentication off
(``PARAAT_REQUIRE_2FA = False``; the second step is tested in ``accounts``), background tasks
not run (the dummy task backend: starting a report is the permission, rendering it is not).
Outcome of one request:

* ``allow``: anything else than below (200, 201, 204, a redirect elsewhere, 400 for the empty
  body, 409, …);
* ``deny``: 403, or 404 (an object the user may not see is not revealed), for a logged-in user
  also a redirect to the login page;
* ``login``: anonymous and redirected to the login page, 401 or 403;
* ``n/a``: 405 (the method does not exist there);
* ``error``: 500 — never expected for anyone.

Write mode: ``PARAAT_MATRIX_WRITE=1 pytest src/paraat/web/tests/test_permission_matrix.py``
rewrites the yaml file from the current behaviour (keeping the intended value of every cell
listed under ``defects``) and renders ``docs/permissions.md``; review the diff before
committing it.
"""

from __future__ import annotations

import inspect
import logging
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.conf import settings
from django.core.exceptions import FieldError
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

HERE = Path(__file__).resolve().parent
MATRIX_FILE = HERE / "permission_matrix.yaml"
DOC_FILE = HERE.parents[3] / "docs" / "permissions.md"
WRITE = os.environ.get("PARAAT_MATRIX_WRITE") == "1"

# Role key → demo username (paraat.web.demo.DEMO_PEOPLE); ``anonymous`` is the public.
ROLE_USERS: dict[str, str | None] = {
    "anonymous": None,
    "beheerder": "beheer",
    "cpo-secretariaat": "cpo",
    "voorzitter": "voorzitter",
    "commissielid": "lid",
    "expertlid": "expert",
    "externe-expert": "extern",
    "praktijkkring-trekker": "kring",
    "szw-beleidsmedewerker": "szw",
    "analist": "analist",
}
ROLES = [role for role in ROLE_USERS if role != "anonymous"]

# Left out of the matrix, with the reason (repeated in docs/permissions.md).
EXCLUDED_PREFIXES = {
    "beheer/": "Django admin: its own staff-only gate (test_admin_is_staff_only)",
}
EXCLUDED_NAMES = {
    "set_language": "language switch (i18n plumbing, public by design, changes only a cookie)",
}
# Secret-token links: public with a valid token, 404 with another (test_token_links).
TOKEN_NAMES = {
    "advice:input-respond",
    "advice-input-respond",
    "panels:answer",
    "panel-answer",
}
HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


# --- the URLs --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Endpoint:
    name: str  # the URL name, namespaced for pages ("advice:detail"), bare for the API
    route: str
    view: str
    methods: tuple[str, ...]
    kwargs: tuple[str, ...]

    @property
    def is_api(self) -> bool:
        return self.route.startswith("api/")


def _route_text(pattern: Any) -> str:
    text = str(pattern)
    return text.replace("^", "").replace("$", "")


def _kwarg_names(route: str) -> tuple[str, ...]:
    names = re.findall(r"<(?:\w+:)?(\w+)>", route) + re.findall(r"\(\?P<(\w+)>", route)
    return tuple(names)


def _view_methods(callback: Any) -> tuple[str, ...]:
    """The HTTP methods a view answers: a DRF viewset's action map, an API view's handlers, a
    Django class-based view's ``get``/``post``, or for a function view its ``require_*``
    decorator / the ``POST`` it (or a helper of its module that it calls) reads."""
    actions = getattr(callback, "actions", None)
    if actions:
        return tuple(m for m in HTTP_METHODS if m.lower() in actions)
    api_class = getattr(callback, "cls", None)
    if api_class is not None:
        found = [m for m in HTTP_METHODS if hasattr(api_class, m.lower())]
        return tuple(found) or ("GET",)
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        allowed = [m for m in view_class.http_method_names if m.upper() in ("GET", "POST")]
        return tuple(m.upper() for m in allowed if hasattr(view_class, m))
    source = _source(callback)
    if "require_POST" in source:
        return ("POST",)
    match = re.search(r"require_http_methods\(\s*\[([^\]]*)\]", source)
    if match:
        listed = re.findall(r"[A-Z]+", match.group(1))
        return tuple(m for m in HTTP_METHODS if m in listed)
    if "require_GET" in source or "require_safe" in source:
        return ("GET",)
    function = inspect.unwrap(callback)
    module_globals = getattr(function, "__globals__", {})
    sources = [source]
    for helper in set(re.findall(r"\b(_?[a-z]\w*)\(", source)):
        target = module_globals.get(helper)
        if inspect.isfunction(target) and target.__module__ == function.__module__:
            sources.append(_source(target))
    if any("POST" in text or "request.method" in text for text in sources):
        return ("GET", "POST")
    return ("GET",)


def _source(function: Any) -> str:
    try:
        return inspect.getsource(function)
    except (OSError, TypeError):
        return ""


def _walk(resolver: URLResolver, prefix: str = "", namespace: str = "") -> Iterator[Any]:
    for pattern in resolver.url_patterns:
        route = prefix + _route_text(pattern.pattern)
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern, route, ns)
        elif isinstance(pattern, URLPattern):
            yield route, namespace, pattern


def endpoints() -> list[Endpoint]:
    """Every URL of the project except the exclusions, once per view (format suffixes of the
    API, ``.json`` and the like, are the same view and are not repeated)."""
    found: dict[str, Endpoint] = {}
    for route, namespace, pattern in _walk(get_resolver()):
        if any(route.startswith(p) for p in EXCLUDED_PREFIXES):
            continue
        if not pattern.name or "format>" in route:
            continue
        name = f"{namespace}:{pattern.name}" if namespace else pattern.name
        if name in EXCLUDED_NAMES:
            continue
        callback = pattern.callback
        view = f"{callback.__module__}.{getattr(callback, '__qualname__', callback.__name__)}"
        if getattr(callback, "cls", None) is not None:
            view = f"{callback.cls.__module__}.{callback.cls.__name__}"
        elif getattr(callback, "view_class", None) is not None:
            view = f"{callback.view_class.__module__}.{callback.view_class.__name__}"
        endpoint = Endpoint(name, route, view, _view_methods(callback), _kwarg_names(route))
        assert name not in found, f"two URLs named {name}: {found[name].route} and {route}"
        found[name] = endpoint
    return list(found.values())


# --- the world of objects the URLs need ------------------------------------------------------


WORLD_NOTES: list[str] = []


def _first(model_path: str, *order: str, **filters: Any) -> Any:
    from django.apps import apps

    app_label, model_name = model_path.split(".")
    model = apps.get_model(app_label, model_name)
    try:
        return model.objects.filter(**filters).order_by(*(order or ("pk",))).first()
    except FieldError as exc:  # a renamed field: fall back to any row, and say so
        WORLD_NOTES.append(f"{model_path}: {exc}"[:200])
        return model.objects.order_by("pk").first()


def _pk(obj: Any) -> Any:
    return None if obj is None else obj.pk


def build_world() -> dict[str, Any]:
    """One real object per kind the URLs name, from the demo (``None`` when there is none)."""
    from paraat.advice.models import AdviceRequest

    _world_extras()
    w: dict[str, Any] = {}
    fiche = _first("evidence.Fiche")
    w["measure_key"] = fiche.measure.key if fiche else _first("measures.Measure").key
    w["package_key"] = _first("measures.Package", kind="enacted") or _first("measures.Package")
    w["package_key"] = w["package_key"].key
    w["jurisdiction_pk"] = _pk(_first("measures.Jurisdiction", country_code="NLD")) or _pk(
        _first("measures.Jurisdiction")
    )
    link = _first("evidence.EvidenceLink")
    w["evidence_pk"] = link.item_id if link else _pk(_first("evidence.EvidenceItem"))
    w["evidence_link_pk"] = _pk(link)
    attached = _first("evidence.EvidenceItem", attachment__gt="")
    w["evidence_attachment_pk"] = _pk(attached) or w["evidence_pk"]
    item = (
        _first("evidence.EvidenceItem", ref__gt="")
        if _has_field("evidence.EvidenceItem", "ref")
        else None
    )
    w["evidence_ref"] = getattr(item, "ref", "unknown")
    w["evidence_import_pk"] = _pk(_first("evidence.ImportBatch"))
    w["duplicate_pk"] = _pk(_first("evidence.DuplicateCandidate"))
    w["dossier_key"] = _first("evidence.KnowledgeDossier").key
    w["indicator_key"] = _first("indicators.Indicator").key
    w["composite_key"] = _first("indicators.CompositeIndex").key
    w["indicator_import_pk"] = _pk(_first("indicators.ImportBatch"))
    w["signal_rule_pk"] = _pk(_first("indicators.SignalRule"))
    w["signal_pk"] = _pk(_first("indicators.Signal"))
    assessment = _first("assessments.Assessment", key="china-travel-2023") or _first(
        "assessments.Assessment"
    )
    w["assessment_key"] = assessment.key
    option = assessment.options.order_by("pk").first()
    w["option_key"] = option.key
    adomain = _first("assessments.AssessmentDomain", assessment=assessment)
    agroup = _first("assessments.AssessmentGroup", assessment=assessment)
    w["domain_key"] = adomain.domain.key if adomain else _first("taxonomies.Domain").key
    w["group_key"] = agroup.group.key if agroup else _first("taxonomies.PopulationGroup").key
    version = assessment.versions.order_by("number").first()
    w["assessment_version"] = getattr(version, "number", 1)
    w["right_key"] = _first("assessments.FundamentalRight").key
    question = _first("assessments.RightsQuestion")
    w["question_kind"] = question.kind
    w["question_key"] = question.key
    # The advice process: the synthetic request in progress (drafts, comments, inputs) and the
    # published China request.
    real = AdviceRequest.objects.filter(exercise_run__isnull=True)
    published = real.filter(publication__isnull=False).order_by("pk").first()
    in_progress = real.filter(publication__isnull=True).order_by("-pk").first()
    w["advice_published_key"] = published.key if published else None
    w["advice_key"] = (in_progress or published).key
    w["advice_done_key"] = published.key if published else w["advice_key"]
    w["advice_revision"] = getattr(
        _first("advice.AdviceRevision", "number", request__key=w["advice_key"]), "number", 1
    )
    w["advice_input_pk"] = _pk(_first("advice.InputRequest", request__key=w["advice_key"]))
    w["advice_assignment_pk"] = _pk(_first("advice.Assignment", request__key=w["advice_key"]))
    w["network_person_pk"] = (
        _pk(_first("network.Person", anonymised_at__isnull=True))
        if (_has_field("network.Person", "anonymised_at"))
        else _pk(_first("network.Person"))
    )
    w["network_org_pk"] = _pk(_first("network.Organisation"))
    w["network_membership_pk"] = _pk(_first("network.Membership"))
    w["network_discipline_pk"] = _pk(_first("network.Discipline"))
    w["network_pool_pk"] = _pk(_first("network.PoolExpert"))
    w["network_candidate_pk"] = _pk(_first("network.Candidate"))
    w["network_circle_pk"] = _pk(_first("network.PracticeCircle"))
    w["panel_pk"] = _pk(_first("panels.Panel"))
    w["panelist_pk"] = _pk(_first("panels.Panelist", panel_id=w["panel_pk"]))
    questionnaire = _first("panels.Questionnaire")
    w["questionnaire_pk"] = _pk(questionnaire)
    w["question_pk"] = _pk(_first("panels.Question", questionnaire=questionnaire))
    w["session_pk"] = _pk(_first("panels.DilemmaSession"))
    meeting = _first("preparedness.MeetingDocument")
    w["meeting_pk"] = meeting.meeting_id if meeting else _pk(_first("preparedness.Meeting"))
    w["meeting_document_pk"] = _pk(meeting)
    w["attendance_pk"] = _pk(_first("preparedness.Attendance", meeting_id=w["meeting_pk"]))
    section_version = _first("preparedness.PlaybookSectionVersion")
    w["section_pk"] = section_version.section_id if section_version else None
    w["section_version"] = getattr(section_version, "number", 1)
    w["action_pk"] = _pk(_first("preparedness.PlaybookAction"))
    w["agreement_pk"] = _pk(_first("activation.SecondmentAgreement"))
    case = _first("activation.ActivationCase")
    w["case_pk"] = _pk(case)
    signal = _first("activation.ActivationSignal", case=case)
    w["case_signal_number"] = getattr(signal, "number", 1)
    decree = _first("activation.EstablishmentDecree", case=case)
    w["case_decree_number"] = getattr(decree, "number", 1)
    w["case_assignment_pk"] = _pk(_first("activation.SecondmentAssignment", case=case))
    w["case_checklist_pk"] = _pk(_first("activation.ChecklistItem", case=case))
    scenario = _first("exercises.Inject")
    w["scenario_key"] = scenario.scenario.key if scenario else _first("exercises.Scenario").key
    w["inject_pk"] = _pk(scenario)
    participant = _first("exercises.Participant")
    w["run_pk"] = participant.run_id if participant else _pk(_first("exercises.ExerciseRun"))
    w["participant_pk"] = _pk(participant)
    w["job_id"] = _pk(_first("jobs.Job")) or _matrix_job().pk
    w["domain_term_key"] = _first("taxonomies.Domain").key
    w["account_pk"] = _pk(_first("accounts.User", username="analist"))
    return w


def _world_extras() -> None:
    """Objects the demo does not make but some URLs need (rolled back with everything)."""
    import datetime as dt

    from django.core.files.base import ContentFile

    from paraat.accounts.models import User

    cpo = User.objects.get(username="cpo")
    pdf = b"%PDF-1.4\n% permission matrix\n"

    def evidence_batch() -> None:
        from paraat.evidence.models import DuplicateCandidate, EvidenceItem, ImportBatch

        kinds = ("added", "merged", "possible_duplicates", "rejected")
        report: dict[str, Any] = {kind: [] for kind in kinds}
        report["counts"] = dict.fromkeys(kinds, 0)
        batch = ImportBatch.objects.create(
            file_name="matrix.ris", file_format="ris", created_by=cpo, report=report
        )
        first, second = EvidenceItem.objects.order_by("pk")[:2]
        DuplicateCandidate.objects.create(
            item=first, other=second, score=0.9, reason="title", batch=batch
        )

    def attachment() -> None:
        from paraat.evidence.models import EvidenceItem

        if not EvidenceItem.objects.exclude(attachment="").exists():
            item = EvidenceItem.objects.order_by("pk").first()
            assert item is not None
            item.attachment.save("matrix.pdf", ContentFile(pdf), save=True)

    def meeting_document() -> None:
        from paraat.preparedness.models import Meeting, MeetingDocument

        meeting = Meeting.objects.order_by("pk").first()
        MeetingDocument.objects.create(
            meeting=meeting,
            title="Matrix",
            file=ContentFile(pdf, name="matrix.pdf"),
            file_name="matrix.pdf",
            file_format="pdf",
            size=len(pdf),
            sha256="0" * 64,
            uploaded_by=cpo,
        )

    def secondment() -> None:
        from paraat.activation.models import (
            ActivationCase,
            SecondmentAgreement,
            SecondmentAssignment,
        )

        SecondmentAssignment.objects.create(
            case=ActivationCase.objects.order_by("pk").first(),
            agreement=SecondmentAgreement.objects.order_by("pk").first(),
            name="Matrix",
            fte=1,
            starts_on=dt.date(2026, 1, 1),
            created_by=cpo,
        )

    for make in (evidence_batch, attachment, meeting_document, secondment):
        try:
            with transaction.atomic():
                make()
        except Exception as exc:  # the URL is then reported as not checked
            WORLD_NOTES.append(f"{make.__name__}: {type(exc).__name__}: {exc}"[:200])


def _matrix_job() -> Any:
    """A finished job of the CPO (the demo runs its imports without jobs)."""
    from paraat.accounts.models import User
    from paraat.jobs.models import Job

    return Job.objects.create(
        kind="matrix", title="permission matrix", created_by=User.objects.get(username="cpo")
    )


def _has_field(model_path: str, name: str) -> bool:
    from django.apps import apps

    model = apps.get_model(*model_path.split("."))
    return any(f.name == name for f in model._meta.get_fields())


# URL kwarg → world key, first by URL name, then by namespace / API basename, then by kwarg.
KWARGS_BY_NAME: dict[str, dict[str, Any]] = {
    "evidence:link_delete": {"pk": "evidence_pk", "link_id": "evidence_link_pk"},
    "evidence:attachment": {"pk": "evidence_attachment_pk"},
    "evidence:import_report": {"pk": "evidence_import_pk"},
    "evidence:merge": {"pk": "duplicate_pk"},
    "evidence:by_ref": {"ref": "evidence_ref"},
    "evidence:export": {"file_format": "=csv"},
    "evidence:fiche_download": {"key": "measure_key", "file_format": "=docx"},
    "indicator_manage:import_report": {"batch_id": "indicator_import_pk"},
    "indicator_manage:composite_recompute": {"key": "composite_key"},
    "indicator_manage:rule_set_active": {"pk": "signal_rule_pk"},
    "indicator_manage:indicator_edit": {"key": "indicator_key"},
    "indicators:composite": {"key": "composite_key"},
    "indicators:composite_csv": {"key": "composite_key"},
    "assessments:catalogue_right_edit": {"right_key": "right_key"},
    "assessments:catalogue_question_edit": {
        "kind": "question_kind",
        "question_key": "question_key",
    },
    "assessments:option_section": {"section": "=rights"},
    "advice:revision-document": {"fmt": "=docx"},
    "advice:dispatch-file": {"key": "advice_done_key", "fmt": "=pdf"},
    "advice:input-revoke": {"pk": "advice_input_pk"},
    "advice:assignment-done": {"pk": "advice_assignment_pk"},
    "advice_public:file": {"key": "advice_published_key", "fmt": "=pdf"},
    "advice-request-input-revoke": {"pk": "advice_input_pk"},
    "advice-request-assignment-done": {"pk": "advice_assignment_pk"},
    "advice-request-revision": {"number": "advice_revision"},
    "assessment-version-result": {"number": "assessment_version"},
    "network:organisation-edit": {"pk": "network_org_pk"},
    "network:membership-end": {"pk": "network_membership_pk"},
    "network:discipline-edit": {"pk": "network_discipline_pk"},
    "network:pool-edit": {"pk": "network_pool_pk"},
    "network:pool-confirm": {"pk": "network_pool_pk"},
    "network:candidate-edit": {"pk": "network_candidate_pk"},
    "network:candidate-confirm": {"pk": "network_candidate_pk"},
    "network:circle": {"pk": "network_circle_pk"},
    "network:circle-edit": {"pk": "network_circle_pk"},
    "network:circle-confirm": {"pk": "network_circle_pk"},
    # "…_create" under a panel takes the panel's pk, not the questionnaire's or session's that
    # the prefixes below would give (they coincide only on a fresh database's sequences)
    "panels:questionnaire_create": {"pk": "panel_pk"},
    "panels:session_create": {"pk": "panel_pk"},
    "panels:panelist_withdraw": {"pk": "panel_pk", "panelist_pk": "panelist_pk"},
    "panels:panelist_delete": {"pk": "panel_pk", "panelist_pk": "panelist_pk"},
    "panels:question_delete": {"pk": "questionnaire_pk", "question_pk": "question_pk"},
    "preparedness:document": {"pk": "meeting_pk", "doc": "meeting_document_pk"},
    "preparedness:attendance-remove": {"pk": "meeting_pk", "row": "attendance_pk"},
    "preparedness:section-version": {"pk": "section_pk", "number": "section_version"},
    "preparedness:action-status": {"pk": "action_pk"},
    "activation:agreement-edit": {"pk": "agreement_pk"},
    "activation:agreement-delete": {"pk": "agreement_pk"},
    "activation:signal-file": {"number": "case_signal_number", "fmt": "=pdf"},
    "activation:decree-file": {"number": "case_decree_number", "fmt": "=pdf"},
    "activation:assignment-remove": {"assignment": "case_assignment_pk"},
    "activation:checklist-done": {"item": "case_checklist_pk"},
    "activation:checklist-reopen": {"item": "case_checklist_pk"},
    "exercises:inject_edit": {"pk": "inject_pk"},
    "exercises:inject_delete": {"pk": "inject_pk"},
    "exercises:run_clock": {"action": "=pause"},
    "exercises:participant_remove": {"participant": "participant_pk"},
    "taxonomies:create": {"segment": "=domeinen"},
    "taxonomies:edit": {"segment": "=domeinen", "key": "domain_term_key"},
    "api-not-found": {"path": "=no-such-endpoint"},
    "accounts:password_reset_confirm": {"uidb64": "=MQ", "token": "=invalid-token"},
    "accounts:user_data": {"pk": "account_pk"},
    "accounts:user_data_export": {"pk": "account_pk"},
    "activation-agreement-detail": {"pk": "agreement_pk"},
    "activation-case-checklist-done": {"item": "case_checklist_pk"},
    "exercise-scenario-inject": {"inject_pk": "inject_pk"},
    "network-organisation-detail": {"pk": "network_org_pk"},
    "network-membership-end": {"pk": "network_membership_pk"},
    "network-discipline-detail": {"pk": "network_discipline_pk"},
    "network-pool-confirm": {"pk": "network_pool_pk"},
    "network-candidate-detail": {"pk": "network_candidate_pk"},
    "network-candidate-confirm": {"pk": "network_candidate_pk"},
    "network-circle-detail": {"pk": "network_circle_pk"},
    "panel-detail": {"pk": "panel_pk"},
    "signal-detail": {"pk": "signal_pk"},
    "job-detail": {"pk": "job_id"},
    "jurisdiction-detail": {"pk": "jurisdiction_pk"},
    "jurisdiction-indices": {"pk": "jurisdiction_pk"},
    "fiche-detail": {"measure_key": "measure_key"},
}
KWARGS_BY_PREFIX: list[tuple[str, dict[str, str]]] = [
    ("measures:measure_", {"key": "measure_key"}),
    ("measures:package_", {"key": "package_key"}),
    ("measures:jurisdiction_", {"pk": "jurisdiction_pk"}),
    ("evidence:fiche_", {"key": "measure_key"}),
    ("evidence:dossier_", {"key": "dossier_key"}),
    ("evidence:", {"pk": "evidence_pk"}),
    ("indicators:", {"key": "indicator_key"}),
    ("indicator_reports:", {"job_id": "job_id"}),
    (
        "assessments:",
        {
            "key": "assessment_key",
            "option_key": "option_key",
            "domain_key": "domain_key",
            "group_key": "group_key",
            "job_id": "job_id",
        },
    ),
    ("advice_public:", {"key": "advice_published_key"}),
    ("advice:", {"key": "advice_key", "number": "advice_revision"}),
    ("network:", {"pk": "network_person_pk"}),
    ("panels:questionnaire", {"pk": "questionnaire_pk"}),
    ("panels:question_", {"pk": "questionnaire_pk"}),
    ("panels:session", {"pk": "session_pk"}),
    ("panels:", {"pk": "panel_pk"}),
    ("preparedness:section", {"pk": "section_pk"}),
    ("preparedness:", {"pk": "meeting_pk", "job_id": "job_id"}),
    ("activation:", {"pk": "case_pk"}),
    ("exercises:", {"key": "scenario_key", "pk": "run_pk"}),
    ("jobs:", {"job_id": "job_id"}),
    ("measure-", {"key": "measure_key"}),
    ("package-", {"key": "package_key"}),
    ("evidence-", {"pk": "evidence_pk"}),
    ("dossier-", {"key": "dossier_key"}),
    ("indicator-", {"key": "indicator_key"}),
    ("composite-index-", {"key": "composite_key"}),
    ("assessment-", {"key": "assessment_key"}),
    ("advice-request-", {"key": "advice_key"}),
    ("advice-published-", {"key": "advice_published_key"}),
    ("network-person-", {"pk": "network_person_pk"}),
    ("panel-questionnaire-", {"pk": "questionnaire_pk"}),
    ("panel-session-", {"pk": "session_pk"}),
    ("preparedness-meeting-", {"pk": "meeting_pk"}),
    ("preparedness-playbook-", {"pk": "section_pk"}),
    ("preparedness-action-", {"pk": "action_pk"}),
    ("activation-case-", {"pk": "case_pk"}),
    ("exercise-scenario-", {"key": "scenario_key"}),
    ("exercise-run-", {"pk": "run_pk"}),
]


def url_for(endpoint: Endpoint, world: dict[str, Any]) -> str | None:
    """The URL of ``endpoint`` with real objects, or ``None`` when a kwarg has no mapping or
    the demo has no such object."""
    values: dict[str, Any] = {}
    for kwarg in endpoint.kwargs:
        source = KWARGS_BY_NAME.get(endpoint.name, {}).get(kwarg)
        if source is None:
            for prefix, table in KWARGS_BY_PREFIX:
                if endpoint.name.startswith(prefix) and kwarg in table:
                    source = table[kwarg]
                    break
        if source is None:
            return None
        value = source[1:] if source.startswith("=") else world.get(source)
        if value is None:
            return None
        values[kwarg] = value
    return reverse(endpoint.name, kwargs=values)


# --- measuring ---------------------------------------------------------------------------------


def classify(role: str, response: Any) -> str:
    status = response.status_code
    if status >= 500:
        return "error"
    if status == 405:
        return "n/a"
    login_path = reverse(settings.LOGIN_URL)
    redirected_to_login = status in (301, 302, 303) and response.get("Location", "").split("?")[
        0
    ].endswith(login_path)
    if role == "anonymous":
        if redirected_to_login or status in (401, 403):
            return "login"
        return "deny" if status == 404 else "allow"
    if redirected_to_login or status in (401, 403, 404):
        return "deny"
    return "allow"


@dataclass
class Observed:
    url: str | None
    cells: dict[str, dict[str, str]] = field(default_factory=dict)  # method → role → outcome
    details: dict[tuple[str, str], str] = field(default_factory=dict)  # (method, role) → note


def _request(client: Client, method: str, url: str, is_api: bool) -> Any:
    if method == "GET":
        return client.get(url)
    if method == "DELETE":
        return client.delete(url)
    if is_api:
        return getattr(client, method.lower())(url, data={}, content_type="application/json")
    if method == "POST":
        return client.post(url, data={})
    form = "application/x-www-form-urlencoded"
    return getattr(client, method.lower())(url, data="", content_type=form)


def _clients() -> dict[str, Client]:
    from paraat.accounts.models import User

    clients: dict[str, Client] = {}
    for role, username in ROLE_USERS.items():
        client = Client(raise_request_exception=False)
        if username is not None:
            client.force_login(User.objects.get(username=username))
        clients[role] = client
    return clients


def measure(all_endpoints: list[Endpoint]) -> tuple[dict[str, Observed], dict[str, Any]]:
    """Every endpoint × method × role, each request in a savepoint that is rolled back."""
    from paraat.accounts.models import User

    world = build_world()
    clients = _clients()
    cookie = settings.SESSION_COOKIE_NAME
    sessions = {r: c.cookies[cookie].value for r, c in clients.items() if cookie in c.cookies}
    results: dict[str, Observed] = {}
    for endpoint in all_endpoints:
        if endpoint.name in TOKEN_NAMES:
            continue
        url = url_for(endpoint, world)
        observed = Observed(url)
        results[endpoint.name] = observed
        if url is None:
            continue
        for method in endpoint.methods:
            row: dict[str, str] = {}
            for role, client in clients.items():
                with transaction.atomic():
                    response = _request(client, method, url, endpoint.is_api)
                    transaction.set_rollback(True)
                outcome = classify(role, response)
                row[role] = outcome
                if outcome == "error" and getattr(response, "exc_info", None):
                    exc = response.exc_info[1]
                    observed.details[(method, role)] = f"{type(exc).__name__}: {exc}"[:300]
                else:
                    observed.details[(method, role)] = str(response.status_code)
                # A request that ended the session (logout, password change) logs in again.
                username = ROLE_USERS[role]
                if (
                    username
                    and client.cookies.get(cookie)
                    and (
                        client.cookies[cookie].value != sessions.get(role)
                        or not client.cookies[cookie].value
                    )
                ):
                    client.force_login(User.objects.get(username=username))
                    sessions[role] = client.cookies[cookie].value
            observed.cells[method] = row
    return results, world


# --- the expected matrix -------------------------------------------------------------------------


def load_matrix() -> dict[str, Any]:
    if not MATRIX_FILE.exists():
        return {"endpoints": {}, "defects": []}
    data = yaml.safe_load(MATRIX_FILE.read_text(encoding="utf-8")) or {}
    data.setdefault("endpoints", {})
    data.setdefault("defects", [])
    return data


def expected_cell(spec: dict[str, Any], role: str) -> str:
    """``allow`` or ``deny`` for one role of one method's spec."""
    if role == "anonymous":
        return "allow" if spec.get("public") else "deny"
    roles = spec.get("roles", [])
    allowed = ROLES if roles == "all" else roles
    return "allow" if role in allowed else "deny"


def _is_allowed(outcome: str) -> bool:
    return outcome == "allow"


def defects_by_cell(matrix: dict[str, Any]) -> dict[tuple[str, str, str], dict[str, Any]]:
    return {(d["url"], d["method"], d["role"]): d for d in matrix.get("defects", [])}


def _roles_text(roles: list[str]) -> Any:
    if sorted(roles) == sorted(ROLES):
        return "all"
    return [r for r in ROLES if r in roles]


def matrix_from_observed(
    all_endpoints: list[Endpoint], observed: dict[str, Observed], old: dict[str, Any]
) -> dict[str, Any]:
    """The matrix as measured, except the defect cells, which keep their intended value."""
    defects = defects_by_cell(old)
    out: dict[str, Any] = {}
    for endpoint in all_endpoints:
        if endpoint.name in TOKEN_NAMES:
            continue
        entry: dict[str, Any] = {"route": "/" + endpoint.route}
        obs = observed.get(endpoint.name)
        old_entry = old.get("endpoints", {}).get(endpoint.name, {})
        if old_entry.get("note") and not old_entry["note"].startswith("no object"):
            entry["note"] = old_entry["note"]
        if obs is None or obs.url is None:
            entry["note"] = "no object in the demo world to build the URL with: not checked"
            for method in endpoint.methods:
                entry[method] = old_entry.get(method, {"public": False, "roles": []})
            out[endpoint.name] = entry
            continue
        for method in endpoint.methods:
            row = obs.cells.get(method, {})
            if row and all(v == "n/a" for v in row.values()):
                continue
            public = _is_allowed(row.get("anonymous", "deny"))
            roles = [r for r in ROLES if _is_allowed(row.get(r, "deny"))]
            for (name, m, role), defect in defects.items():
                if name == endpoint.name and m == method:
                    want = defect["expected"] == "allow"
                    if role == "anonymous":
                        public = want
                    elif want and role not in roles:
                        roles.append(role)
                    elif not want and role in roles:
                        roles.remove(role)
            entry[method] = {"public": public, "roles": _roles_text(roles)}
        out[endpoint.name] = entry
    return {"endpoints": out, "defects": old.get("defects", [])}


def _yaml_scalar(value: Any) -> str:
    text = yaml.safe_dump(value, default_flow_style=True, width=10_000, allow_unicode=True)
    return text.removesuffix("\n").removesuffix("\n...").strip()


def dump_matrix(matrix: dict[str, Any]) -> str:
    lines = [
        "# The permission matrix of paraat (issue 8): per URL name and HTTP method, whether the",
        "# public may use it and which roles may. Checked by test_permission_matrix.py; rendered",
        "# to docs/permissions.md. `roles: all` = all nine roles. Intended values: where today's",
        "# behaviour differs, the cell is listed under `defects` (a strict xfail in the test).",
        "endpoints:",
    ]
    for name, entry in matrix["endpoints"].items():
        lines.append(f"  {_yaml_scalar(name)}:")
        lines.append(f"    route: {_yaml_scalar(entry['route'])}")
        if entry.get("note"):
            lines.append(f"    note: {_yaml_scalar(entry['note'])}")
        for method in HTTP_METHODS:
            if method in entry:
                spec = entry[method]
                roles = spec["roles"]
                lines.append(
                    f"    {method}: {{public: {str(spec['public']).lower()}, "
                    f"roles: {_yaml_scalar(roles)}}}"
                )
    lines.append("defects:")
    if not matrix.get("defects"):
        lines[-1] = "defects: []"
    for defect in matrix.get("defects", []):
        lines.append(f"  - url: {_yaml_scalar(defect['url'])}")
        for key in ("method", "role", "got", "expected", "why"):
            lines.append(f"    {key}: {_yaml_scalar(defect[key])}")
    return "\n".join(lines) + "\n"


ROLE_SHORT = {
    "beheerder": "beheer",
    "cpo-secretariaat": "cpo",
    "voorzitter": "vz",
    "commissielid": "lid",
    "expertlid": "expert",
    "externe-expert": "extern",
    "praktijkkring-trekker": "kring",
    "szw-beleidsmedewerker": "szw",
    "analist": "analist",
}


def render_doc(matrix: dict[str, Any]) -> str:
    head = [
        "# Permissions",
        "",
        "Who may use which page and API endpoint of paraat: every URL × every role. This page is",
        "generated from `src/paraat/web/tests/permission_matrix.yaml`, the matrix written down",
        "once, and `src/paraat/web/tests/test_permission_matrix.py` checks every cell against the",
        "running application (the demo data, one demo user per role).",
        "",
        "**After adding or changing a URL** the test fails, listing the unknown (or removed) URL",
        "names. Run it in write mode, review the diff of the yaml file against the roles' intent",
        "(`src/paraat/accounts/roles.py`) and commit both files:",
        "",
        "```bash",
        "PARAAT_MATRIX_WRITE=1 .venv/bin/pytest src/paraat/web/tests/test_permission_matrix.py -q",
        "```",
        "",
        "Write mode takes the current behaviour, except the cells listed under `defects`, which",
        "keep their intended value and stay strict xfails until the code is fixed. When a cell is",
        "fixed, the xfail passes and the run fails: remove it from `defects`.",
        "",
        "How a cell is measured: `GET`, and for write methods a request with an empty body (`{}`),",
        "each in a savepoint that is rolled back. *Allowed* is any answer but 403, 404, a",
        "redirect to the login page or 401 — a 400 for the empty body is allowed; *denied* is",
        "403 or 404 (an object one may not see is not revealed). A 500 fails the test for any",
        "role. Two-factor authentication is off for the matrix (it is tested in `accounts`);",
        "background tasks are not run (starting a report is the permission checked).",
        "",
        "Limits of an empty body: some endpoints (mostly `/api/v1/advice/requests/<key>/…`",
        "writes) check the body before the role, so a role the service would refuse gets a",
        "400 and counts as allowed there; the matrix then shows who passes the view's first",
        "check (seeing the request), and the service's own role check is left to the app tests.",
        "",
        "The world: the demo data (`paraat demo`) plus a few objects it lacks (an import batch",
        "with a duplicate, an attachment, a meeting document, a secondment, a job of the CPO).",
        "No demo account is a superuser (a superuser passes every check whatever its role",
        "says): the demo's `beheer` has the beheerder role's permissions and staff status for",
        "the admin (`test_beheerder_account_is_not_a_superuser`).",
        "",
        "Not in the matrix:",
        "",
        "* `/beheer/` — the Django admin, with its own staff-only gate (one check: a role without",
        "  staff status cannot open it);",
        "* `/i18n/setlang/` — the language switch (public, it sets a cookie);",
        "* static files and the API's format-suffix variants (`/api/v1/measures.json`: the same",
        "  view as `/api/v1/measures/`);",
        "* the secret-token links (`adviesproces/input/<token>/`, `burgerpanel/antwoord/<token>/`",
        "  and their API twins): checked separately — public with a valid token, 404 with another.",
        "",
        "Roles: " + ", ".join(f"`{v}` = {k}" for k, v in ROLE_SHORT.items()) + ".",
        "",
    ]
    defects = matrix.get("defects", [])
    defect_cells = defects_by_cell(matrix)
    if defects:
        head += [
            "## Known defects",
            "",
            "Cells where the application does not yet do what is intended (the table below shows",
            "the intended value, marked ✱):",
            "",
            "| URL name | method | role | today | intended | why |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        for d in defects:
            head.append(
                f"| `{d['url']}` | {d['method']} | {d['role']} | {d['got']} | {d['expected']} "
                f"| {d['why']} |"
            )
        head.append("")
    groups: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for name, entry in matrix["endpoints"].items():
        if entry["route"].startswith("/api/"):
            group = "API (`/api/v1/`)"
        else:
            group = "Pages: " + (name.split(":")[0] if ":" in name else "site")
        groups.setdefault(group, []).append((name, entry))
    body: list[str] = []
    for group in sorted(groups, key=lambda g: (g.startswith("API"), g)):
        body += [f"## {group}", "", "| URL name | route | method | public | roles |"]
        body.append("| --- | --- | --- | --- | --- |")
        for name, entry in groups[group]:
            for method in HTTP_METHODS:
                if method not in entry:
                    continue
                spec = entry[method]
                roles = ROLES if spec["roles"] == "all" else spec["roles"]
                marks = {role for (url, m, role) in defect_cells if url == name and m == method}
                public = "yes" if spec["public"] else "no"
                if "anonymous" in marks:
                    public += " ✱"
                shown = []
                for role in ROLES:
                    if role in roles:
                        shown.append(ROLE_SHORT[role] + (" ✱" if role in marks else ""))
                for role in ROLES:
                    if role in marks and role not in roles:
                        shown.append(f"~~{ROLE_SHORT[role]}~~ ✱")
                roles_text = (
                    "all roles"
                    if spec["roles"] == "all" and not marks
                    else (", ".join(shown) or "—")
                )
                note = f" ({entry['note']})" if entry.get("note") else ""
                route = entry["route"].replace("|", "\\|")
                body.append(f"| `{name}` | `{route}` | {method} | {public} | {roles_text}{note} |")
        body.append("")
    return "\n".join(head + body).rstrip() + "\n"


# --- the tests ---------------------------------------------------------------------------------

ALL_ENDPOINTS = endpoints()
MATRIX = load_matrix()
# The marker makes pytest-django create the test database; each test then runs in a savepoint
# inside the module's transaction.
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def observed(
    django_db_setup: None, django_db_blocker: Any, shared_data: Path
) -> Iterator[dict[str, Observed]]:
    """The demo world, loaded once, and every cell measured in it; all rolled back."""
    from django.test.utils import override_settings

    from paraat.accounts.models import User
    from paraat.web.demo import demo_load

    dummy_tasks = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    logging.disable(logging.CRITICAL)  # thousands of expected 403/404 lines; 500s are kept
    with (
        django_db_blocker.unblock(),
        override_settings(PARAAT_REQUIRE_2FA=False, TASKS=dummy_tasks, AXES_ENABLED=False),
        transaction.atomic(),
    ):
        demo_load(data_dir=shared_data)
        # The matrix checks the roles: no demo account is a superuser (the demo's ``beheer`` is
        # staff, for the admin, with its role's permissions only).
        beheer_is_superuser = User.objects.get(username="beheer").is_superuser
        results, world = measure(ALL_ENDPOINTS)
        world["beheer_is_superuser"] = beheer_is_superuser
        results["__world__"] = world  # type: ignore[assignment]
        logging.disable(logging.NOTSET)
        yield results
        transaction.set_rollback(True)


def _cell_params() -> list[Any]:
    params: list[Any] = []
    defects = defects_by_cell(MATRIX)
    for name, entry in MATRIX["endpoints"].items():
        for method in HTTP_METHODS:
            if method in entry:
                params.append(pytest.param(name, method, id=f"{name} {method}"))
    for (name, method, role), defect in defects.items():
        params.append(
            pytest.param(
                name,
                method,
                role,
                id=f"DEFECT {name} {method} {role}",
                marks=pytest.mark.xfail(strict=True, reason=defect["why"]),
            )
        )
    return params


_CELL_PARAMS = _cell_params()


@pytest.mark.parametrize(("name", "method"), [p for p in _CELL_PARAMS if len(p.values) == 2])
def test_permission_matrix(observed: dict[str, Observed], name: str, method: str) -> None:
    """Each role gets what the matrix says on this URL and method (defect cells aside)."""
    if WRITE:
        pytest.skip("write mode")
    entry = MATRIX["endpoints"][name]
    obs = observed.get(name)
    if obs is None:
        pytest.fail(f"{name} is in the matrix but no longer a URL: remove it")
    if obs.url is None:
        if entry.get("note", "").startswith("no object"):
            pytest.skip(entry["note"])
        pytest.fail(f"{name}: no object to build the URL with (map its kwargs)")
    row = obs.cells.get(method)
    assert row is not None, f"{name} {method}: the view no longer answers {method}"
    defects = defects_by_cell(MATRIX)
    problems = []
    for role in ROLE_USERS:
        got = row[role]
        if (name, method, role) in defects:
            continue
        want = expected_cell(entry[method], role)
        if got == "error" or (got == "allow") != (want == "allow"):
            detail = obs.details.get((method, role), "")
            problems.append(f"  {role:24} expected {want:5}  got {got:5} ({detail})")
    assert not problems, f"{method} {obs.url} ({name}):\n" + "\n".join(problems)


@pytest.mark.parametrize(
    ("name", "method", "role"), [p for p in _CELL_PARAMS if len(p.values) == 3]
)
def test_known_defect(observed: dict[str, Observed], name: str, method: str, role: str) -> None:
    """A cell listed under ``defects``: fails (xfail) while the defect is there."""
    if WRITE:
        pytest.skip("write mode")
    defect = defects_by_cell(MATRIX)[(name, method, role)]
    obs = observed[name]
    got = obs.cells[method][role]
    assert got != "error"
    assert (got == "allow") == (defect["expected"] == "allow"), (
        f"{method} {obs.url} as {role}: got {got}, intended {defect['expected']}: {defect['why']}"
    )


def test_every_url_is_in_the_matrix() -> None:
    """A URL added without a line in the matrix (or a line for a removed URL) fails here."""
    if WRITE:
        pytest.skip("write mode")
    known = MATRIX["endpoints"]
    current = {e.name: e for e in ALL_ENDPOINTS if e.name not in TOKEN_NAMES}
    unknown = sorted(set(current) - set(known))
    removed = sorted(set(known) - set(current))
    changed = sorted(
        f"{name}: methods {sorted(m for m in HTTP_METHODS if m in known[name])} → "
        f"{sorted(current[name].methods)}"
        for name in set(current) & set(known)
        if not {m for m in HTTP_METHODS if m in known[name]} <= set(current[name].methods)
    )
    message = []
    if unknown:
        message.append("URLs not in the matrix (add them: PARAAT_MATRIX_WRITE=1, then review):")
        message += [f"  {name}  /{current[name].route}" for name in unknown]
    if removed:
        message.append("Matrix lines for URLs that no longer exist:")
        message += [f"  {name}" for name in removed]
    if changed:
        message.append("Methods in the matrix the view no longer answers:")
        message += [f"  {line}" for line in changed]
    assert not message, "\n".join(message)


def test_docs_match_the_matrix() -> None:
    if WRITE:
        pytest.skip("write mode")
    assert DOC_FILE.read_text(encoding="utf-8") == render_doc(MATRIX), (
        "docs/permissions.md is stale: run with PARAAT_MATRIX_WRITE=1"
    )


def test_world_is_complete(observed: dict[str, Observed]) -> None:
    """Every object of the world was found or made as written (no silent fall-back)."""
    assert observed
    assert not WORLD_NOTES, "\n".join(WORLD_NOTES)


def test_token_links(observed: dict[str, Observed]) -> None:
    """Answer links are public with a valid token and a 404 with any other (also for a
    POST): the token is the only key, and no login page is in the way."""
    import datetime as dt

    from django.utils import timezone

    from paraat.advice import workflow
    from paraat.advice.models import AdviceStatus, AdviceStatusChange, InputRequest
    from paraat.advice.services import token_hash as advice_hash
    from paraat.panels.models import Invitation, Panelist, Questionnaire
    from paraat.panels.services import token_hash as panel_hash

    assert observed
    client = Client(raise_request_exception=False)
    valid = "matrix-valid-token-" + "x" * 24
    problems = []
    with transaction.atomic():
        input_request = (
            InputRequest.objects.filter(
                revoked_at__isnull=True,
                response__isnull=True,
                request__publication__isnull=True,
                request__exercise_run__isnull=True,
            )
            .order_by("pk")
            .first()
        )
        questionnaire = Questionnaire.objects.order_by("pk").first()
        invitation = None
        if questionnaire is not None:  # the demo's answers came without links: make one
            now = timezone.now()
            Questionnaire.objects.filter(pk=questionnaire.pk).update(
                opens_at=now - dt.timedelta(days=1), closes_at=now + dt.timedelta(days=7)
            )
            invitation = Invitation.objects.create(
                panelist=Panelist.objects.filter(panel_id=questionnaire.panel_id).first(),
                questionnaire=questionnaire,
                token_hash=panel_hash(valid),
                sent_on=now.date(),
            )
        names: list[str] = []
        if input_request is not None:
            InputRequest.objects.filter(pk=input_request.pk).update(
                token_hash=advice_hash(valid), deadline=timezone.now() + dt.timedelta(days=7)
            )
            # The demo's request in progress is past the input phase: reopen it for the check.
            advice = input_request.request
            current = workflow.status_of(advice, fresh=True)
            if current in workflow.INPUT_CLOSED:
                AdviceStatusChange.objects.create(
                    request=advice,
                    status=next(s for s in AdviceStatus if s not in workflow.INPUT_CLOSED),
                    previous=current,
                    note="permission matrix",
                    at=timezone.now(),
                )
            names += ["advice:input-respond", "advice-input-respond"]
        if invitation is not None:
            names += ["panels:answer", "panel-answer"]
        assert names, "no open input request or panel invitation in the demo"
        assert set(names) == TOKEN_NAMES, f"token links without a check: {TOKEN_NAMES - set(names)}"
        for name in names:
            good = client.get(reverse(name, kwargs={"token": valid}))
            bad = client.get(reverse(name, kwargs={"token": "not-" + valid}))
            bad_post = client.post(reverse(name, kwargs={"token": "not-" + valid}), data={})
            if good.status_code in (302, 401, 403, 404) or good.status_code >= 500:
                problems.append(f"{name}: valid token → {good.status_code}")
            if bad.status_code != 404:
                problems.append(f"{name}: GET with an unknown token → {bad.status_code}, not 404")
            if bad_post.status_code not in (404, 405):
                problems.append(f"{name}: POST with an unknown token → {bad_post.status_code}")
        transaction.set_rollback(True)
    assert not problems, "\n".join(problems)


def test_admin_is_staff_only(observed: dict[str, Observed]) -> None:
    """The Django admin (``/beheer/``) is closed to every role without staff status."""
    from paraat.accounts.models import User

    client = Client(raise_request_exception=False)
    problems = []
    for role in ROLES:
        user = User.objects.get(username=ROLE_USERS[role])
        if user.is_staff:
            continue
        client.force_login(user)
        response = client.get("/beheer/")
        if response.status_code == 200:
            problems.append(f"{role}: /beheer/ → 200")
    anonymous = Client(raise_request_exception=False).get("/beheer/")
    assert anonymous.status_code in (302, 403, 404)
    assert not problems, "\n".join(problems)


def test_beheerder_account_is_not_a_superuser(observed: dict[str, Observed]) -> None:
    """A superuser passes every permission check whatever its role says: the demo's beheerder
    must have the rights of the role only (it is staff, for the admin)."""
    from paraat.accounts.models import User

    world: dict[str, Any] = observed["__world__"]  # type: ignore[assignment]
    assert not world["beheer_is_superuser"], "the demo user beheer (role beheerder) is a superuser"
    assert not User.objects.filter(is_fictional=True, is_superuser=True).exists()
    assert User.objects.get(username="beheer").is_staff


def test_write_matrix(observed: dict[str, Observed]) -> None:
    """Write mode: the yaml file from the current behaviour, and docs/permissions.md."""
    if not WRITE:
        pytest.skip("set PARAAT_MATRIX_WRITE=1 to rewrite the matrix from the current behaviour")
    matrix = matrix_from_observed(ALL_ENDPOINTS, observed, MATRIX)
    MATRIX_FILE.write_text(dump_matrix(matrix), encoding="utf-8")
    DOC_FILE.write_text(render_doc(yaml.safe_load(dump_matrix(matrix))), encoding="utf-8")
    errors = [
        f"{name} {method} {role}: {obs.details.get((method, role))}"
        for name, obs in observed.items()
        if isinstance(obs, Observed)
        for method, row in obs.cells.items()
        for role, outcome in row.items()
        if outcome == "error"
    ]
    unmapped = [n for n, o in observed.items() if isinstance(o, Observed) and o.url is None]
    print(f"\nwrote {MATRIX_FILE} and {DOC_FILE}")
    print("server errors:\n  " + "\n  ".join(errors or ["none"]))
    by_400 = [
        f"{name} {method}: {', '.join(r for r in row if obs.details.get((method, r)) == '400')}"
        for name, obs in observed.items()
        if isinstance(obs, Observed)
        for method, row in obs.cells.items()
        if any(obs.details.get((method, r)) == "400" for r in row)
        and any(obs.details.get((method, r)) in ("403", "404") for r in row)
    ]
    print("allowed on a 400 beside roles refused (the body was checked before the role):")
    print("  " + "\n  ".join(by_400 or ["none"]))
    print("world notes:\n  " + "\n  ".join(WORLD_NOTES or ["none"]))
    print("not checked (no object / no kwarg mapping):\n  " + "\n  ".join(unmapped or ["none"]))
