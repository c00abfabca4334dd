"""API of paraat.panels under ``/api/v1/panels/``.

``ROUTES`` are registered on the v1 router (prefix, viewset, basename); ``URLS`` are extra paths.
The rules are those of the pages: results need ``view_panel_results`` (committee, CPO), writes
``manage_panels`` (CPO); panelists are not in the API (privacy: pseudonyms are handled in the
pages only). ``/panels/answer/<token>/`` needs no account, only a valid link token; an unknown,
used, revoked, not yet open or closed link is a 404/410 with a clear message. Bad input is a 400
naming the field, never a 500; so is an unknown panel or assessment named in a request body (the
404 is for the resource the URL names).
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from paraat.accounts.models import Confidentiality
from paraat.api.exceptions import call_service
from paraat.api.parsers import SafeJSONParser
from paraat.assessments import selectors as assessment_selectors
from paraat.panels import selectors, services
from paraat.panels.models import (
    DilemmaSession,
    Panel,
    QuestionKind,
    Questionnaire,
    SessionKind,
)
from paraat.panels.permissions import MANAGE_PERM, PANELIST_VIEW_PERM, RESULTS_PERM

# --- permissions ---------------------------------------------------------------------------------


class PanelPermission(permissions.BasePermission):
    """Logged in; reads need the results permission (or, for panels, the panelist one), writes
    the manage permission."""

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if request.method in permissions.SAFE_METHODS:
            extra = getattr(view, "read_also", ())
            return any(user.has_perm(p) for p in (RESULTS_PERM, *extra))
        return bool(user.has_perm(MANAGE_PERM))


class MomentField(serializers.DateTimeField):
    """DRF's DateTimeField, but a moment that cannot be moved into the time zone (e.g.
    ``0001-01-01``) is a 400 naming the field, not an ``OverflowError`` (a 500)."""

    def to_internal_value(self, value: Any) -> Any:
        try:
            return super().to_internal_value(value)
        except (OverflowError, ValueError):
            self.fail("invalid", format="YYYY-MM-DDThh:mm[:ss][+HH:MM|-HH:MM|Z]")
            raise  # unreachable: fail() raises


# --- serializers ---------------------------------------------------------------------------------

_PK_MAX = 2**31 - 1


class PanelSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    recruitment = serializers.CharField(required=False, allow_blank=True, default="")
    is_active = serializers.BooleanField(read_only=True)
    is_synthetic = serializers.BooleanField(read_only=True)


class QuestionSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField(read_only=True)
    field = serializers.CharField(read_only=True, help_text="Name of the answer field (q<id>).")
    kind = serializers.ChoiceField(choices=QuestionKind.choices)
    text = serializers.CharField(max_length=services.MAX_TEXT)
    choices = serializers.ListField(
        child=serializers.CharField(max_length=300), required=False, default=list, max_length=50
    )
    required = serializers.BooleanField(required=False, default=False)


class QuestionnaireSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField(read_only=True)
    panel = serializers.IntegerField(min_value=1, max_value=_PK_MAX, help_text="id of the panel")
    title = serializers.CharField(max_length=300)
    intro = serializers.CharField(required=False, allow_blank=True, default="")
    opens_at = MomentField()
    closes_at = MomentField()
    confidentiality = serializers.ChoiceField(
        choices=Confidentiality.choices, required=False, default=Confidentiality.INTERNAL
    )
    is_synthetic = serializers.BooleanField(read_only=True)
    questions = QuestionSerializer(many=True, read_only=True)
    responses = serializers.IntegerField(read_only=True)
    evidence_ref = serializers.CharField(read_only=True, allow_null=True)


class SessionSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField(read_only=True)
    panel = serializers.IntegerField(min_value=1, max_value=_PK_MAX, help_text="id of the panel")
    title = serializers.CharField(max_length=300)
    intro = serializers.CharField(required=False, allow_blank=True, default="")
    kind = serializers.ChoiceField(choices=SessionKind.choices)
    assessment = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Key of the assessment."
    )
    domains = serializers.ListField(
        child=serializers.CharField(max_length=80), required=False, default=list, max_length=50
    )
    options = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, default=list, max_length=50
    )
    offer_weights = serializers.BooleanField(required=False, default=False)
    opens_at = MomentField()
    closes_at = MomentField()
    confidentiality = serializers.ChoiceField(
        choices=Confidentiality.choices, required=False, default=Confidentiality.INTERNAL
    )
    is_synthetic = serializers.BooleanField(read_only=True)
    items = serializers.ListField(child=serializers.CharField(), read_only=True)
    ballots = serializers.IntegerField(read_only=True)
    evidence_ref = serializers.CharField(read_only=True, allow_null=True)


_SHARES = inline_serializer(
    "PanelShare",
    {
        "key": serializers.CharField(),
        "count": serializers.IntegerField(),
        "share": serializers.FloatField(),
        "low": serializers.FloatField(),
        "high": serializers.FloatField(),
    },
    many=True,
)
_QUESTIONNAIRE_RESULTS = inline_serializer(
    "PanelQuestionnaireResults",
    {
        "questionnaire": serializers.IntegerField(),
        "responses": serializers.IntegerField(),
        "invited": serializers.IntegerField(),
        "questions": inline_serializer(
            "PanelQuestionResult",
            {
                "id": serializers.IntegerField(),
                "kind": serializers.CharField(),
                "text": serializers.CharField(),
                "n": serializers.IntegerField(),
                "median": serializers.FloatField(allow_null=True),
                "shares": _SHARES,
                "open_answers": serializers.ListField(child=serializers.CharField()),
            },
            many=True,
        ),
    },
)
_SESSION_RESULTS = inline_serializer(
    "PanelSessionResults",
    {
        "session": serializers.IntegerField(),
        "kind": serializers.CharField(),
        "ballots": serializers.IntegerField(),
        "invited": serializers.IntegerField(),
        "items": serializers.ListField(child=serializers.CharField()),
        "ranking": inline_serializer(
            "PanelRankRow",
            {
                "key": serializers.CharField(),
                "label": serializers.CharField(),
                "mean_weight": serializers.FloatField(),
                "sd_weight": serializers.FloatField(),
                "p10": serializers.FloatField(),
                "p90": serializers.FloatField(),
                "mean_rank": serializers.FloatField(),
                "borda": serializers.IntegerField(),
                "first": serializers.IntegerField(),
            },
            many=True,
            allow_null=True,
        ),
        "choices": _SHARES,
        "weights": serializers.ListField(
            child=serializers.ListField(child=serializers.FloatField())
        ),
    },
)
_INVITED = inline_serializer(
    "PanelInvitationRun",
    {
        "sent": serializers.IntegerField(),
        "skipped_no_email": serializers.IntegerField(),
        "already": serializers.IntegerField(),
    },
)
_PUBLISHED = inline_serializer("PanelEvidencePublished", {"evidence_ref": serializers.CharField()})
_ID = OpenApiParameter("id", int, OpenApiParameter.PATH)


def _parse(serializer_class: Any, data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _panel(row: Panel) -> dict[str, Any]:
    return {
        "id": row.pk,
        "name": row.name,
        "description": row.description,
        "recruitment": row.recruitment,
        "is_active": row.is_active,
        "is_synthetic": row.is_synthetic,
    }


def _questionnaire(row: Questionnaire) -> dict[str, Any]:
    return {
        "id": row.pk,
        "panel": row.panel_id,
        "title": row.title,
        "intro": row.intro,
        "opens_at": row.opens_at,
        "closes_at": row.closes_at,
        "confidentiality": row.confidentiality,
        "is_synthetic": row.is_synthetic,
        "questions": [
            {
                "id": q.pk,
                "field": services.field_name(q),
                "kind": q.kind,
                "text": q.text,
                "choices": q.choices,
                "required": q.required,
            }
            for q in selectors.questions(questionnaire=row)
        ],
        "responses": row.responses.count(),
        "evidence_ref": row.evidence_item.ref if row.evidence_item else None,
    }


def _session(row: DilemmaSession) -> dict[str, Any]:
    return {
        "id": row.pk,
        "panel": row.panel_id,
        "title": row.title,
        "intro": row.intro,
        "kind": row.kind,
        "assessment": row.assessment.key if row.assessment else "",
        "domains": list(row.domains.values_list("key", flat=True)),
        "options": list(row.options.values_list("key", flat=True)),
        "offer_weights": row.offer_weights,
        "opens_at": row.opens_at,
        "closes_at": row.closes_at,
        "confidentiality": row.confidentiality,
        "is_synthetic": row.is_synthetic,
        "items": services.session_items(row),
        "ballots": row.ballots.count(),
        "evidence_ref": row.evidence_item.ref if row.evidence_item else None,
    }


def _share(s: Any) -> dict[str, Any]:
    return {"key": s.key, "count": s.count, "share": s.share, "low": s.low, "high": s.high}


def _body_panel(pk: int) -> Panel:
    """The panel a request body names: the resource of the URL exists, so an unknown panel
    is invalid input (a 400 naming the field), not a 404."""
    try:
        return selectors.panel_get(pk=pk)
    except Http404:
        raise ValidationError({"panel": [_("Onbekend panel.")]}) from None


def _pk(raw: Any) -> int:
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise NotFound from None
    if not 0 < value < 2**31:
        raise NotFound
    return value


# --- viewsets ------------------------------------------------------------------------------


class PanelViewSet(viewsets.ViewSet):
    """Citizen panels (burgerpanels)."""

    permission_classes = [PanelPermission]
    read_also = (PANELIST_VIEW_PERM,)

    @extend_schema(responses={200: PanelSerializer(many=True)})
    def list(self, request: Request) -> Response:
        return Response([_panel(p) for p in selectors.panel_list()])

    @extend_schema(parameters=[_ID], responses={200: PanelSerializer})
    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(_panel(selectors.panel_get(pk=_pk(pk))))

    @extend_schema(request=PanelSerializer, responses={201: PanelSerializer})
    def create(self, request: Request) -> Response:
        data = _parse(PanelSerializer, request.data)
        row = call_service(services.panel_create, actor=request.user, **data)
        return Response(_panel(row), status=status.HTTP_201_CREATED)


class QuestionnaireViewSet(viewsets.ViewSet):
    """Questionnaires (vragenlijsten) with their questions, invitations and results."""

    permission_classes = [PanelPermission]

    def _get(self, request: Request, pk: str) -> Questionnaire:
        return selectors.questionnaire_get(user=request.user, pk=_pk(pk))

    @extend_schema(responses={200: QuestionnaireSerializer(many=True)})
    def list(self, request: Request) -> Response:
        return Response(
            [_questionnaire(q) for q in selectors.questionnaire_list(user=request.user)]
        )

    @extend_schema(parameters=[_ID], responses={200: QuestionnaireSerializer})
    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(_questionnaire(self._get(request, pk)))

    @extend_schema(request=QuestionnaireSerializer, responses={201: QuestionnaireSerializer})
    def create(self, request: Request) -> Response:
        data = _parse(QuestionnaireSerializer, request.data)
        panel = _body_panel(data["panel"])
        row = call_service(
            services.questionnaire_create,
            panel=panel,
            data=services.QuestionnaireData(
                title=data["title"],
                intro=data["intro"],
                opens_at=data["opens_at"],
                closes_at=data["closes_at"],
                confidentiality=data["confidentiality"],
            ),
            actor=request.user,
        )
        return Response(_questionnaire(row), status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[_ID],
        request=QuestionSerializer,
        responses={201: QuestionSerializer},
    )
    @action(detail=True, methods=["post"])
    def questions(self, request: Request, pk: str) -> Response:
        """Add a question (only while nobody has answered)."""
        row = self._get(request, pk)
        data = _parse(QuestionSerializer, request.data)
        q = call_service(services.question_add, questionnaire=row, actor=request.user, **data)
        return Response(
            {
                "id": q.pk,
                "field": services.field_name(q),
                "kind": q.kind,
                "text": q.text,
                "choices": q.choices,
                "required": q.required,
            },
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(parameters=[_ID], request=None, responses={200: _INVITED})
    @action(detail=True, methods=["post"])
    def invite(self, request: Request, pk: str) -> Response:
        """E-mail a link to every active panelist not yet invited."""
        run = call_service(
            services.invitations_send, questionnaire=self._get(request, pk), actor=request.user
        )
        return Response(
            {"sent": run.sent, "skipped_no_email": run.skipped_no_email, "already": run.already}
        )

    @extend_schema(parameters=[_ID], responses={200: _QUESTIONNAIRE_RESULTS})
    @action(detail=True, methods=["get"])
    def results(self, request: Request, pk: str) -> Response:
        """Counts, shares with Wilson 95 % intervals, Likert medians; open answers for the CPO."""
        row = self._get(request, pk)
        res = selectors.questionnaire_results(
            questionnaire=row, with_open=request.user.has_perm(MANAGE_PERM)
        )
        return Response(
            {
                "questionnaire": row.pk,
                "responses": res.responses,
                "invited": res.invited,
                "questions": [
                    {
                        "id": r.question.pk,
                        "kind": r.question.kind,
                        "text": r.question.text,
                        "n": r.n,
                        "median": r.likert.median if r.likert else None,
                        "shares": [_share(s) for s in r.shares],
                        "open_answers": r.open_answers,
                    }
                    for r in res.questions
                ],
            }
        )

    @extend_schema(parameters=[_ID], request=None, responses={201: _PUBLISHED})
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str) -> Response:
        """Publish the results as an evidence item (experiential knowledge, internal)."""
        item = call_service(
            services.questionnaire_publish_evidence,
            questionnaire=self._get(request, pk),
            actor=request.user,
        )
        return Response({"evidence_ref": item.ref}, status=status.HTTP_201_CREATED)


class SessionViewSet(viewsets.ViewSet):
    """Dilemma sessions (dilemmasessies): rank impact domains or choose between options."""

    permission_classes = [PanelPermission]

    def _get(self, request: Request, pk: str) -> DilemmaSession:
        return selectors.session_get(user=request.user, pk=_pk(pk))

    @extend_schema(responses={200: SessionSerializer(many=True)})
    def list(self, request: Request) -> Response:
        return Response([_session(s) for s in selectors.session_list(user=request.user)])

    @extend_schema(parameters=[_ID], responses={200: SessionSerializer})
    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(_session(self._get(request, pk)))

    @extend_schema(request=SessionSerializer, responses={201: SessionSerializer})
    def create(self, request: Request) -> Response:
        data = _parse(SessionSerializer, request.data)
        panel = _body_panel(data["panel"])
        assessment = None
        if data["assessment"]:
            assessment = (
                assessment_selectors.assessment_list(user=request.user)
                .filter(key=data["assessment"])
                .first()
            )
            if assessment is None:
                raise ValidationError({"assessment": [_("Onbekende afweging.")]})
        row = call_service(
            services.session_create,
            panel=panel,
            data=services.SessionData(
                title=data["title"],
                intro=data["intro"],
                kind=data["kind"],
                opens_at=data["opens_at"],
                closes_at=data["closes_at"],
                assessment=assessment,
                domain_keys=tuple(data["domains"]),
                option_keys=tuple(data["options"]),
                offer_weights=data["offer_weights"],
                confidentiality=data["confidentiality"],
            ),
            actor=request.user,
        )
        return Response(_session(row), status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[_ID], request=None, responses={200: _INVITED})
    @action(detail=True, methods=["post"])
    def invite(self, request: Request, pk: str) -> Response:
        """E-mail a link to every active panelist not yet invited."""
        run = call_service(
            services.invitations_send, session=self._get(request, pk), actor=request.user
        )
        return Response(
            {"sent": run.sent, "skipped_no_email": run.skipped_no_email, "already": run.already}
        )

    @extend_schema(parameters=[_ID], responses={200: _SESSION_RESULTS})
    @action(detail=True, methods=["get"])
    def results(self, request: Request, pk: str) -> Response:
        """Rankings: mean ROC weights, spread, mean rank, Borda, the weight distribution;
        choices: counts and shares with Wilson 95 % intervals."""
        row = self._get(request, pk)
        res = selectors.session_results(session=row)
        return Response(
            {
                "session": row.pk,
                "kind": row.kind,
                "ballots": res.ballots,
                "invited": res.invited,
                "items": res.items,
                "ranking": None
                if res.ranking is None
                else [
                    {
                        "key": r.key,
                        "label": r.label,
                        "mean_weight": r.mean_weight,
                        "sd_weight": r.sd_weight,
                        "p10": r.p10,
                        "p90": r.p90,
                        "mean_rank": r.mean_rank,
                        "borda": r.borda,
                        "first": r.first,
                    }
                    for r in res.ranking
                ],
                "choices": [_share(c) for c in res.choices],
                "weights": res.weights,
            }
        )

    @extend_schema(parameters=[_ID], request=None, responses={201: _PUBLISHED})
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str) -> Response:
        """Publish the results as an evidence item (experiential knowledge, internal)."""
        item = call_service(
            services.session_publish_evidence, session=self._get(request, pk), actor=request.user
        )
        return Response({"evidence_ref": item.ref}, status=status.HTTP_201_CREATED)


# --- the anonymous answer endpoint -----------------------------------------------------------


_LINK_STATUS = {
    services.LinkState.UNKNOWN: status.HTTP_404_NOT_FOUND,
    services.LinkState.USED: status.HTTP_410_GONE,
    services.LinkState.REVOKED: status.HTTP_410_GONE,
    services.LinkState.CLOSED: status.HTTP_410_GONE,
    services.LinkState.NOT_OPEN: status.HTTP_403_FORBIDDEN,
}
_ANSWER_FORM = inline_serializer(
    "PanelAnswerForm",
    {
        "kind": serializers.CharField(),
        "title": serializers.CharField(),
        "intro": serializers.CharField(),
        "closes_at": serializers.DateTimeField(),
        "questions": QuestionSerializer(many=True),
        "items": serializers.ListField(child=serializers.DictField()),
    },
)
_LINK_ERROR = OpenApiResponse(
    inline_serializer(
        "PanelLinkError",
        {
            "state": serializers.CharField(
                required=False, help_text="unknown, used, revoked, closed or not_open"
            ),
            "detail": serializers.CharField(),
        },
    ),
    description="The link is unknown (404), used/revoked/closed (410) "
    "or not open yet (403); ``state`` and ``detail`` say which.",
)


class PanelAnswerView(APIView):
    """Answer a questionnaire or dilemma session with the token of an invitation link (no
    account). Answers are stored anonymously; the link works once."""

    permission_classes = [permissions.AllowAny]
    authentication_classes: list[Any] = []  # the token is the credential
    parser_classes = [SafeJSONParser]

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        add_never_cache_headers(response)
        response["Referrer-Policy"] = "no-referrer"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    def _closed(self, state: services.LinkState) -> Response:
        detail = services.link_error(state).message_dict["token"][0]
        return Response(
            {"state": state.value, "detail": detail},
            status=_LINK_STATUS.get(state, status.HTTP_404_NOT_FOUND),
        )

    @extend_schema(
        responses={200: _ANSWER_FORM, 403: _LINK_ERROR, 404: _LINK_ERROR, 410: _LINK_ERROR}
    )
    def get(self, request: Request, token: str) -> Response:
        """What to answer: the questions (``field`` names) or the items to rank or choose."""
        inv, state = services.invitation_by_token(token)
        if inv is None or state != services.LinkState.OK:
            return self._closed(state)
        target: Any = inv.questionnaire or inv.session
        body: dict[str, Any] = {
            "title": target.title,
            "intro": target.intro,
            "closes_at": timezone.localtime(target.closes_at).isoformat(),
            "questions": [],
            "items": [],
        }
        if inv.questionnaire is not None:
            body["kind"] = "questionnaire"
            body["questions"] = _questionnaire(inv.questionnaire)["questions"]
        else:
            session = inv.session
            assert session is not None
            labels = selectors.item_labels(session)
            body["kind"] = session.kind
            body["items"] = [
                {"key": k, "label": labels.get(k, k)} for k in services.session_items(session)
            ]
        return Response(body)

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses={
            201: inline_serializer("PanelAnswerReceived", {"detail": serializers.CharField()}),
            403: _LINK_ERROR,
            404: _LINK_ERROR,
            410: _LINK_ERROR,
        },
    )
    def post(self, request: Request, token: str) -> Response:
        """Questionnaire: ``{"q<id>": value, …}`` (Likert "1"–"5", a choice, or text). Ranking:
        ``{"ranking": [key, …]}`` (every item once, most important first). Choice:
        ``{"option": key}``."""
        inv, state = services.invitation_by_token(token)
        if inv is None or state != services.LinkState.OK:
            return self._closed(state)
        if not isinstance(request.data, dict):
            return Response(
                {"non_field_errors": [_("Stuur de antwoorden als een JSON-object.")]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        data = request.data
        if inv.questionnaire is not None:
            call_service(services.response_submit, token=token, data=data)
        else:
            call_service(services.ballot_submit, token=token, data=data)
        return Response(
            {"detail": _("Dank u wel. Uw antwoorden zijn anoniem ontvangen.")},
            status=status.HTTP_201_CREATED,
        )


ROUTES: list[tuple[str, Any, str]] = [
    ("panels/panels", PanelViewSet, "panel"),
    ("panels/questionnaires", QuestionnaireViewSet, "panel-questionnaire"),
    ("panels/sessions", SessionViewSet, "panel-session"),
]
URLS: list[URLPattern] = [
    path("panels/answer/<str:token>/", PanelAnswerView.as_view(), name="panel-answer"),
]
