"""API of paraat.network under ``/api/v1/network/``.

``ROUTES`` are registered on the v1 router (prefix, viewset, basename); ``URLS`` are extra paths.
Every endpoint checks a permission of ``network.permissions`` (403 otherwise; anonymous callers
get 401/403).  People, with their e-mail and phone, are only for the CPO, the secretariat and the
beheerder (``network.view_person``); memberships, circles and the coverage show names but never
contact details unless the caller has ``network.view_contact_details``.  Writes go through
``network.services``; bad input is a 400 naming the field.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import URLPattern, path
from django.utils import timezone
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
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from paraat.api.exceptions import call_service
from paraat.network import permissions as perms
from paraat.network import selectors, services
from paraat.network.forms import parse_date
from paraat.network.models import (
    Candidate,
    CommitteeRole,
    Discipline,
    ErasureReason,
    Membership,
    Organisation,
    OrganisationKind,
    Person,
    PoolExpert,
    PracticeCircle,
)

INT_MAX = 2**31 - 1
LIST_MAX = 100


def _iso(day: dt.date | dt.datetime | None) -> str | None:
    if day is None:
        return None
    if isinstance(day, dt.datetime):
        return timezone.localtime(day).isoformat()
    return day.isoformat()


class Authenticated(permissions.BasePermission):
    """Every network endpoint needs a logged-in caller; the view checks the permission."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user and request.user.is_authenticated)


def _need(request: Request, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied(_("Uw rol staat deze handeling niet toe."))


def _parse(serializer_class: Any, data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _text(max_length: int, *, required: bool = False) -> Any:
    if required:
        return serializers.CharField(max_length=max_length)
    return serializers.CharField(
        max_length=max_length, required=False, allow_blank=True, default=""
    )


def _date(*, required: bool = False) -> Any:
    if required:
        return serializers.DateField()
    return serializers.DateField(required=False, allow_null=True, default=None)


def _id(*, required: bool = False) -> Any:
    if required:
        return serializers.IntegerField(min_value=1, max_value=INT_MAX)
    return serializers.IntegerField(
        min_value=1, max_value=INT_MAX, required=False, allow_null=True, default=None
    )


def _keys() -> Any:
    return serializers.ListField(
        child=serializers.CharField(max_length=80),
        max_length=LIST_MAX,
        required=False,
        default=list,
    )


def _ids() -> Any:
    return serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=INT_MAX),
        max_length=LIST_MAX,
        required=False,
        default=list,
    )


# --- resolving references ------------------------------------------------------------------------


def _organisation(pk: int | None, field: str) -> Organisation | None:
    if pk is None:
        return None
    found = selectors.organisation_get(pk=pk)
    if found is None:
        raise ValidationError({field: [_("Onbekende organisatie: %(n)s") % {"n": pk}]})
    return found


def _person(request: Request, pk: int | None, field: str = "person") -> Person | None:
    if pk is None:
        return None
    found = selectors.person_get(user=request.user, pk=pk)
    if found is None:
        raise ValidationError({field: [_("Onbekende persoon: %(n)s") % {"n": pk}]})
    return found


def _disciplines(keys: list[str]) -> list[Discipline]:
    known = {d.key: d for d in selectors.discipline_list()}
    missing = [key for key in keys if key not in known]
    if missing:
        raise ValidationError(
            {"disciplines": [_("Onbekende discipline: %(k)s") % {"k": ", ".join(missing)}]}
        )
    return [known[key] for key in dict.fromkeys(keys)]


def _groups(keys: list[str]) -> list[Any]:
    known = {g.key: g for g in selectors.population_group_list()}
    missing = [key for key in keys if key not in known]
    if missing:
        raise ValidationError({"groups": [_("Onbekende groep: %(k)s") % {"k": ", ".join(missing)}]})
    return [known[key] for key in dict.fromkeys(keys)]


# --- rendering -----------------------------------------------------------------------------------


def _organisation_data(org: Organisation | None) -> dict[str, Any] | None:
    if org is None:
        return None
    return {
        "id": org.pk,
        "name": org.name,
        "abbreviation": org.abbreviation,
        "kind": org.kind,
        "website": org.website,
        "is_synthetic": org.is_synthetic,
    }


def _person_ref(person: Person | None, *, contact: bool) -> dict[str, Any] | None:
    """A person as others see them: name and organisation; contact details only for
    callers who may see them."""
    if person is None:
        return None
    data: dict[str, Any] = {
        "id": person.pk,
        "name": person.name,
        "organisation": person.organisation.short_name if person.organisation else "",
        "is_fictional": person.is_fictional,
    }
    if contact:
        data["email"] = person.email
        data["phone"] = person.phone
    return data


def _person_data(person: Person) -> dict[str, Any]:
    return {
        "id": person.pk,
        "name": person.name,
        "email": person.email,
        "phone": person.phone,
        "organisation": _organisation_data(person.organisation),
        "function_title": person.function_title,
        "user": person.user.get_username() if person.user else None,
        "consent_on": _iso(person.consent_on),
        "consent_scope": person.consent_scope,
        "retention_until": _iso(person.retention_until),
        "is_fictional": person.is_fictional,
        "anonymised_on": _iso(person.anonymised_on),
    }


def _membership_data(m: Membership, *, contact: bool) -> dict[str, Any]:
    return {
        "id": m.pk,
        "person": _person_ref(m.person, contact=contact),
        "role": m.role,
        "has_vote": m.has_vote,
        "institution": _organisation_data(m.institution),
        "starts_on": _iso(m.starts_on),
        "ends_on": _iso(m.ends_on),
        "source": m.source,
    }


def _discipline_data(d: Discipline) -> dict[str, Any]:
    return {
        "id": d.pk,
        "key": d.key,
        "name_nl": d.name_nl,
        "name_en": d.name_en,
        "description": d.description,
        "position": d.position,
        "is_active": d.is_active,
    }


def _entry_data(entry: PoolExpert | Candidate, *, contact: bool) -> dict[str, Any]:
    return {
        "id": entry.pk,
        "person": _person_ref(entry.person, contact=contact),
        "disciplines": [d.key for d in entry.disciplines.all()],
        "availability_confirmed_on": _iso(entry.availability_confirmed_on),
        "is_active": entry.is_active,
    }


def _candidate_data(c: Candidate, *, contact: bool) -> dict[str, Any]:
    return {
        **_entry_data(c, contact=contact),
        "notes": c.notes,
        "declarations": [
            {"declared_on": _iso(d.declared_on), "text": d.text}
            for d in c.person.interest_declarations.all()
        ],
    }


def _circle_data(c: PracticeCircle, *, contact: bool) -> dict[str, Any]:
    return {
        "id": c.pk,
        "name": c.name,
        "description": c.description,
        "lead_organisation": _organisation_data(c.lead_organisation),
        "member_organisations": [_organisation_data(o) for o in c.member_organisations.all()],
        "contact": _person_ref(c.contact, contact=contact),
        "contact_confirmed_on": _iso(c.contact_confirmed_on),
        "groups": [g.key for g in c.groups.all()],
        "response_hours": c.response_hours,
        "is_active": c.is_active,
        "is_synthetic": c.is_synthetic,
    }


# --- input serializers ---------------------------------------------------------------------------


class OrganisationInSerializer(serializers.Serializer):  # type: ignore[type-arg]
    name = _text(300, required=True)
    abbreviation = _text(40)
    kind = serializers.ChoiceField(choices=OrganisationKind.choices, default=OrganisationKind.OTHER)
    website = _text(500)
    is_synthetic = serializers.BooleanField(default=False)


class PersonInSerializer(serializers.Serializer):  # type: ignore[type-arg]
    name = _text(200, required=True)
    email = _text(254)
    phone = _text(40)
    organisation = _id()
    function_title = _text(200)
    consent_on = _date()
    consent_scope = _text(500)
    retention_until = _date(required=True)
    is_fictional = serializers.BooleanField(default=False)


class EraseSerializer(serializers.Serializer):  # type: ignore[type-arg]
    reason = serializers.ChoiceField(choices=ErasureReason.choices, default=ErasureReason.REQUEST)


class DeclarationInSerializer(serializers.Serializer):  # type: ignore[type-arg]
    text = _text(services.TEXT_MAX, required=True)
    declared_on = _date()


class MembershipInSerializer(serializers.Serializer):  # type: ignore[type-arg]
    person = _id(required=True)
    role = serializers.ChoiceField(choices=CommitteeRole.choices)
    institution = _id()
    starts_on = _date(required=True)
    source = _text(300)


class MembershipEndSerializer(serializers.Serializer):  # type: ignore[type-arg]
    ends_on = _date(required=True)


class DisciplineInSerializer(serializers.Serializer):  # type: ignore[type-arg]
    name_nl = _text(200, required=True)
    name_en = _text(200)
    description = _text(services.TEXT_MAX)
    position = serializers.IntegerField(min_value=0, max_value=10_000, default=0)
    is_active = serializers.BooleanField(default=True)


class EntryInSerializer(serializers.Serializer):  # type: ignore[type-arg]
    person = _id(required=True)
    disciplines = _keys()
    availability_confirmed_on = _date()


class CandidateInSerializer(EntryInSerializer):
    notes = _text(services.TEXT_MAX)


class ConfirmSerializer(serializers.Serializer):  # type: ignore[type-arg]
    on = _date()


class CircleInSerializer(serializers.Serializer):  # type: ignore[type-arg]
    name = _text(300, required=True)
    description = _text(services.TEXT_MAX)
    lead_organisation = _id(required=True)
    member_organisations = _ids()
    contact = _id()
    groups = _keys()
    response_hours = serializers.IntegerField(min_value=1, max_value=services.RESPONSE_HOURS_MAX)
    contact_confirmed_on = _date()
    is_active = serializers.BooleanField(default=True)
    is_synthetic = serializers.BooleanField(default=False)


# --- schema helpers ------------------------------------------------------------------------------

_DETAIL_ERROR = inline_serializer("NetworkErrorDetail", {"detail": serializers.CharField()})
_ERRORS = {
    400: OpenApiResponse(OpenApiTypes.OBJECT, description="Foute invoer, per veld"),
    403: OpenApiResponse(_DETAIL_ERROR, description="Uw rol staat dit niet toe"),
    404: OpenApiResponse(_DETAIL_ERROR, description="Onbekend of niet zichtbaar"),
}


def _errors(*codes: int) -> dict[int, OpenApiResponse]:
    return {code: _ERRORS[code] for code in codes}


_OBJ = OpenApiTypes.OBJECT
# For the ``list`` actions: drf-spectacular makes this item schema a JSON array of such
# objects (the lists are not paginated).
_LIST = OpenApiResponse({"type": "object", "additionalProperties": {}}, description="Lijst")


class _Base(viewsets.ViewSet):
    permission_classes = [Authenticated]
    pagination_class = None
    lookup_value_regex = "[0-9]{1,12}"

    @property
    def contact(self) -> bool:
        return selectors.can_see_contact(user=self.request.user)

    def _pk(self, pk: str | None) -> int:
        try:
            return int(pk or "")
        except ValueError:
            raise NotFound from None


# --- persons -------------------------------------------------------------------------------------


class PersonViewSet(_Base):
    """People in the network with their contact details (CPO, secretariat, beheerder only)."""

    def _get(self, pk: str | None) -> Person:
        _need(self.request, perms.VIEW_PEOPLE)
        person = selectors.person_get(user=self.request.user, pk=self._pk(pk))
        if person is None:
            raise NotFound(_("Persoon niet gevonden."))
        return person

    @extend_schema(
        parameters=[
            OpenApiParameter("role", str, description="Rol in de commissie, pool of candidate"),
            OpenApiParameter("discipline", str, description="Sleutel van een discipline"),
            OpenApiParameter("organisation", int),
            OpenApiParameter("stale", bool),
            OpenApiParameter("q", str),
        ],
        responses={200: _LIST, **_errors(403)},
    )
    def list(self, request: Request) -> Response:
        _need(request, perms.VIEW_PEOPLE)
        params = request.query_params
        discipline = None
        if params.get("discipline"):
            discipline = next(
                (
                    d
                    for d in selectors.discipline_list(active_only=False)
                    if d.key == params["discipline"]
                ),
                None,
            )
            if discipline is None:
                return Response([])
        organisation = None
        if params.get("organisation"):
            from paraat.network.forms import parse_pk

            org_pk = parse_pk(params["organisation"])
            organisation = selectors.organisation_get(pk=org_pk) if org_pk else None
            if organisation is None:
                return Response([])
        rows = selectors.person_list(
            user=request.user,
            role=params.get("role", "")[:40],
            discipline=discipline,
            organisation=organisation,
            stale=params.get("stale") in ("1", "true"),
            q=params.get("q", "").replace("\x00", "")[:200],
            today=timezone.localdate(),
        )
        return Response([_person_data(p) for p in rows])

    @extend_schema(responses={200: _OBJ, **_errors(403, 404)})
    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        return Response(_person_data(self._get(pk)))

    def _data(self, request: Request) -> services.PersonData:
        data = _parse(PersonInSerializer, request.data)
        return services.PersonData(
            name=data["name"],
            email=data["email"],
            phone=data["phone"],
            organisation=_organisation(data["organisation"], "organisation"),
            function_title=data["function_title"],
            consent_on=data["consent_on"],
            consent_scope=data["consent_scope"],
            retention_until=data["retention_until"],
            is_fictional=data["is_fictional"],
        )

    @extend_schema(request=PersonInSerializer, responses={201: _OBJ, **_errors(400, 403)})
    def create(self, request: Request) -> Response:
        _need(request, perms.ADD_PERSON)
        person = call_service(services.person_create, data=self._data(request), actor=request.user)
        return Response(_person_data(person), status=status.HTTP_201_CREATED)

    @extend_schema(request=PersonInSerializer, responses={200: _OBJ, **_errors(400, 403, 404)})
    def update(self, request: Request, pk: str | None = None) -> Response:
        person = self._get(pk)
        _need(request, perms.CHANGE_PERSON)
        data = self._data(request)
        data = services.PersonData(**{**data.__dict__, "user": person.user})
        updated = call_service(services.person_update, person=person, data=data, actor=request.user)
        return Response(_person_data(updated))

    @extend_schema(responses={200: _OBJ, **_errors(403, 404)})
    @action(detail=True, methods=["get"])
    def privacy(self, request: Request, pk: str | None = None) -> Response:
        """What is stored about the person and where it is used."""
        person = self._get(pk)
        _need(request, perms.VIEW_CONTACT)
        overview = selectors.privacy_overview(person=person)
        return Response(
            {
                "person": _person_data(person),
                "memberships": [_membership_data(m, contact=False) for m in overview.memberships],
                "pool": _entry_data(overview.pool, contact=False) if overview.pool else None,
                "candidate": _entry_data(overview.candidate, contact=False)
                if overview.candidate
                else None,
                "circles": [c.name for c in overview.circles],
                "declarations": [
                    {"declared_on": _iso(d.declared_on), "text": d.text}
                    for d in overview.declarations
                ],
                "elsewhere": overview.elsewhere,
                "retention_passed": overview.retention_passed,
            }
        )

    @extend_schema(request=EraseSerializer, responses={200: _OBJ, **_errors(400, 403, 404)})
    @action(detail=True, methods=["post"])
    def erase(self, request: Request, pk: str | None = None) -> Response:
        """Delete on request: anonymise when referenced, delete otherwise."""
        person = self._get(pk)
        _need(request, perms.ERASE_PERSON)
        data = _parse(EraseSerializer, request.data)
        outcome = call_service(
            services.person_erase, person=person, reason=data["reason"], actor=request.user
        )
        return Response(
            {"person_ref": outcome.person_ref, "action": outcome.action, "reason": outcome.reason}
        )

    @extend_schema(request=DeclarationInSerializer, responses={201: _OBJ, **_errors(400, 403, 404)})
    @action(detail=True, methods=["post"])
    def declarations(self, request: Request, pk: str | None = None) -> Response:
        """Append a declaration of interests."""
        person = self._get(pk)
        _need(request, perms.ADD_DECLARATION)
        data = _parse(DeclarationInSerializer, request.data)
        row = call_service(
            services.interest_declaration_add,
            person=person,
            text=data["text"],
            declared_on=data["declared_on"],
            actor=request.user,
        )
        return Response(
            {"id": row.pk, "declared_on": _iso(row.declared_on), "text": row.text},
            status=status.HTTP_201_CREATED,
        )


# --- organisations -------------------------------------------------------------------------------


class OrganisationViewSet(_Base):
    """Organisations: institutions of expert members, circle leads and members."""

    @extend_schema(responses={200: _LIST, **_errors(403)})
    def list(self, request: Request) -> Response:
        _need(request, perms.VIEW_ORGANISATIONS)
        return Response([_organisation_data(o) for o in selectors.organisation_list()])

    @extend_schema(responses={200: _OBJ, **_errors(403, 404)})
    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        _need(request, perms.VIEW_ORGANISATIONS)
        org = selectors.organisation_get(pk=self._pk(pk))
        if org is None:
            raise NotFound
        return Response(_organisation_data(org))

    def _data(self, request: Request) -> services.OrganisationData:
        data = _parse(OrganisationInSerializer, request.data)
        return services.OrganisationData(**data)

    @extend_schema(request=OrganisationInSerializer, responses={201: _OBJ, **_errors(400, 403)})
    def create(self, request: Request) -> Response:
        _need(request, perms.ADD_ORGANISATION)
        org = call_service(
            services.organisation_create, data=self._data(request), actor=request.user
        )
        return Response(_organisation_data(org), status=status.HTTP_201_CREATED)

    @extend_schema(
        request=OrganisationInSerializer, responses={200: _OBJ, **_errors(400, 403, 404)}
    )
    def update(self, request: Request, pk: str | None = None) -> Response:
        _need(request, perms.CHANGE_ORGANISATION)
        org = selectors.organisation_get(pk=self._pk(pk))
        if org is None:
            raise NotFound
        org = call_service(
            services.organisation_update,
            organisation=org,
            data=self._data(request),
            actor=request.user,
        )
        return Response(_organisation_data(org))


# --- committee -----------------------------------------------------------------------------------


class MembershipViewSet(_Base):
    """Memberships of the committee; ``?on=YYYY-MM-DD`` gives the committee on that date."""

    @extend_schema(
        parameters=[OpenApiParameter("on", OpenApiTypes.DATE, description="Commissie op datum")],
        responses={200: _LIST, **_errors(400, 403)},
    )
    def list(self, request: Request) -> Response:
        _need(request, perms.VIEW_COMMITTEE)
        raw = request.query_params.get("on")
        if raw:
            on = parse_date(raw)
            if on is None:
                raise ValidationError({"on": [_("Geef een datum als JJJJ-MM-DD.")]})
            rows = selectors.committee_on(on=on)
        else:
            rows = selectors.membership_list()
        return Response([_membership_data(m, contact=self.contact) for m in rows])

    @extend_schema(request=MembershipInSerializer, responses={201: _OBJ, **_errors(400, 403)})
    def create(self, request: Request) -> Response:
        _need(request, perms.ADD_MEMBERSHIP)
        data = _parse(MembershipInSerializer, request.data)
        person = _person(request, data["person"])
        membership = call_service(
            services.membership_start,
            person=person,
            role=data["role"],
            starts_on=data["starts_on"],
            institution=_organisation(data["institution"], "institution"),
            source=data["source"],
            actor=request.user,
        )
        return Response(_membership_data(membership, contact=self.contact), status=201)

    @extend_schema(request=MembershipEndSerializer, responses={200: _OBJ, **_errors(400, 403, 404)})
    @action(detail=True, methods=["post"])
    def end(self, request: Request, pk: str | None = None) -> Response:
        _need(request, perms.CHANGE_MEMBERSHIP)
        membership = selectors.membership_get(pk=self._pk(pk))
        if membership is None:
            raise NotFound
        data = _parse(MembershipEndSerializer, request.data)
        membership = call_service(
            services.membership_end,
            membership=membership,
            ends_on=data["ends_on"],
            actor=request.user,
        )
        return Response(_membership_data(membership, contact=self.contact))


# --- disciplines ---------------------------------------------------------------------------------


class DisciplineViewSet(_Base):
    """Expertise areas (editable by the CPO and the beheerder)."""

    @extend_schema(responses={200: _LIST, **_errors(403)})
    def list(self, request: Request) -> Response:
        _need(request, perms.VIEW_DISCIPLINES)
        return Response([_discipline_data(d) for d in selectors.discipline_list(active_only=False)])

    @extend_schema(request=DisciplineInSerializer, responses={201: _OBJ, **_errors(400, 403)})
    def create(self, request: Request) -> Response:
        _need(request, perms.ADD_DISCIPLINE)
        data = _parse(DisciplineInSerializer, request.data)
        row = call_service(
            services.discipline_create, data=services.DisciplineData(**data), actor=request.user
        )
        return Response(_discipline_data(row), status=status.HTTP_201_CREATED)

    @extend_schema(request=DisciplineInSerializer, responses={200: _OBJ, **_errors(400, 403, 404)})
    def update(self, request: Request, pk: str | None = None) -> Response:
        _need(request, perms.CHANGE_DISCIPLINE)
        row = selectors.discipline_get(pk=self._pk(pk))
        if row is None:
            raise NotFound
        data = _parse(DisciplineInSerializer, request.data)
        row = call_service(
            services.discipline_update,
            discipline=row,
            data=services.DisciplineData(**data),
            actor=request.user,
        )
        return Response(_discipline_data(row))


# --- pool and card index -------------------------------------------------------------------------


class PoolViewSet(_Base):
    """The expert pool by discipline (``?discipline=<key>``)."""

    @extend_schema(
        parameters=[OpenApiParameter("discipline", str)], responses={200: _LIST, **_errors(403)}
    )
    def list(self, request: Request) -> Response:
        _need(request, perms.VIEW_POOL)
        discipline = None
        key = request.query_params.get("discipline")
        if key:
            discipline = next((d for d in selectors.discipline_list() if d.key == key), None)
            if discipline is None:
                return Response([])
        rows = selectors.pool_expert_list(discipline=discipline)
        return Response([_entry_data(e, contact=self.contact) for e in rows])

    @extend_schema(request=EntryInSerializer, responses={201: _OBJ, **_errors(400, 403)})
    def create(self, request: Request) -> Response:
        _need(request, perms.ADD_POOL)
        data = _parse(EntryInSerializer, request.data)
        expert = call_service(
            services.pool_expert_add,
            person=_person(request, data["person"]),
            disciplines=_disciplines(data["disciplines"]),
            availability_confirmed_on=data["availability_confirmed_on"],
            actor=request.user,
        )
        return Response(_entry_data(expert, contact=self.contact), status=201)

    @extend_schema(request=ConfirmSerializer, responses={200: _OBJ, **_errors(400, 403, 404)})
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: str | None = None) -> Response:
        _need(request, perms.CHANGE_POOL)
        expert = selectors.pool_expert_get(pk=self._pk(pk))
        if expert is None:
            raise NotFound
        data = _parse(ConfirmSerializer, request.data)
        call_service(services.availability_confirm, entry=expert, on=data["on"], actor=request.user)
        return Response(_entry_data(expert, contact=self.contact))


class CandidateViewSet(_Base):
    """The card index (kaartenbak) of candidate committee members (CPO and secretariat)."""

    @extend_schema(responses={200: _LIST, **_errors(403)})
    def list(self, request: Request) -> Response:
        _need(request, perms.VIEW_CANDIDATES)
        rows = selectors.candidate_list(user=request.user)
        return Response([_candidate_data(c, contact=self.contact) for c in rows])

    @extend_schema(responses={200: _OBJ, **_errors(403, 404)})
    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        _need(request, perms.VIEW_CANDIDATES)
        row = selectors.candidate_get(user=request.user, pk=self._pk(pk))
        if row is None:
            raise NotFound
        return Response(_candidate_data(row, contact=self.contact))

    @extend_schema(request=CandidateInSerializer, responses={201: _OBJ, **_errors(400, 403)})
    def create(self, request: Request) -> Response:
        _need(request, perms.ADD_CANDIDATE)
        data = _parse(CandidateInSerializer, request.data)
        row = call_service(
            services.candidate_add,
            person=_person(request, data["person"]),
            disciplines=_disciplines(data["disciplines"]),
            availability_confirmed_on=data["availability_confirmed_on"],
            notes=data["notes"],
            actor=request.user,
        )
        return Response(_candidate_data(row, contact=self.contact), status=201)

    @extend_schema(request=ConfirmSerializer, responses={200: _OBJ, **_errors(400, 403, 404)})
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: str | None = None) -> Response:
        _need(request, perms.CONFIRM_AVAILABILITY)
        row = selectors.candidate_get(user=request.user, pk=self._pk(pk))
        if row is None:
            raise NotFound
        data = _parse(ConfirmSerializer, request.data)
        call_service(services.availability_confirm, entry=row, on=data["on"], actor=request.user)
        return Response(_candidate_data(row, contact=self.contact))


# --- practice circles ----------------------------------------------------------------------------


class CircleViewSet(_Base):
    """Practice circles (praktijkkringen)."""

    @extend_schema(
        parameters=[OpenApiParameter("all", bool, description="Ook niet-actieve kringen")],
        responses={200: _LIST, **_errors(403)},
    )
    def list(self, request: Request) -> Response:
        _need(request, perms.VIEW_CIRCLES)
        every = request.query_params.get("all") in ("1", "true")
        rows = selectors.practice_circle_list(active_only=not every)
        return Response([_circle_data(c, contact=self.contact) for c in rows])

    @extend_schema(responses={200: _OBJ, **_errors(403, 404)})
    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        _need(request, perms.VIEW_CIRCLES)
        row = selectors.practice_circle_get(pk=self._pk(pk))
        if row is None:
            raise NotFound
        return Response(_circle_data(row, contact=self.contact))

    def _data(self, request: Request) -> services.CircleData:
        data = _parse(CircleInSerializer, request.data)
        return services.CircleData(
            name=data["name"],
            description=data["description"],
            lead_organisation=_organisation(data["lead_organisation"], "lead_organisation"),
            member_organisations=[
                org
                for org in (
                    _organisation(pk, "member_organisations") for pk in data["member_organisations"]
                )
                if org is not None
            ],
            contact=_person(request, data["contact"], "contact"),
            groups=_groups(data["groups"]),
            response_hours=data["response_hours"],
            contact_confirmed_on=data["contact_confirmed_on"],
            is_active=data["is_active"],
            is_synthetic=data["is_synthetic"],
        )

    @extend_schema(request=CircleInSerializer, responses={201: _OBJ, **_errors(400, 403)})
    def create(self, request: Request) -> Response:
        _need(request, perms.ADD_CIRCLE)
        row = call_service(
            services.practice_circle_create, data=self._data(request), actor=request.user
        )
        return Response(_circle_data(row, contact=self.contact), status=201)

    @extend_schema(request=CircleInSerializer, responses={200: _OBJ, **_errors(400, 403, 404)})
    def update(self, request: Request, pk: str | None = None) -> Response:
        _need(request, perms.CHANGE_CIRCLE)
        row = selectors.practice_circle_get(pk=self._pk(pk))
        if row is None:
            raise NotFound
        row = call_service(
            services.practice_circle_update,
            circle=row,
            data=self._data(request),
            actor=request.user,
        )
        return Response(_circle_data(row, contact=self.contact))


# --- coverage ------------------------------------------------------------------------------------


class CoverageView(APIView):
    """Coverage of disciplines and groups: contacts, stale contacts, flags with reasons."""

    permission_classes = [Authenticated]

    @extend_schema(
        parameters=[OpenApiParameter("today", OpenApiTypes.DATE)],
        responses={
            200: inline_serializer(
                "NetworkCoverage",
                {
                    "today": serializers.DateField(),
                    "min_contacts": serializers.IntegerField(),
                    "stale_months": serializers.IntegerField(),
                    "rows": serializers.ListField(child=serializers.DictField()),
                },
            ),
            **_errors(400, 403),
        },
    )
    def get(self, request: Request) -> Response:
        _need(request, perms.VIEW_COVERAGE)
        raw = request.query_params.get("today")
        today = timezone.localdate()
        if raw:
            parsed = parse_date(raw)
            if parsed is None:
                raise ValidationError({"today": [_("Geef een datum als JJJJ-MM-DD.")]})
            today = parsed
        rows = selectors.coverage(today=today)
        return Response(
            {
                "today": today.isoformat(),
                "min_contacts": selectors.min_contacts(),
                "stale_months": selectors.stale_months(),
                "rows": [
                    {
                        "kind": r.kind,
                        "key": r.key,
                        "name": r.name,
                        "contacts": r.contacts,
                        "stale": r.stale,
                        "current": r.current,
                        "flagged": r.flagged,
                        "reasons": r.reasons,
                        "codes": r.codes,
                    }
                    for r in rows
                ],
            }
        )


ROUTES: list[tuple[str, Any, str]] = [
    ("network/persons", PersonViewSet, "network-person"),
    ("network/organisations", OrganisationViewSet, "network-organisation"),
    ("network/memberships", MembershipViewSet, "network-membership"),
    ("network/disciplines", DisciplineViewSet, "network-discipline"),
    ("network/pool", PoolViewSet, "network-pool"),
    ("network/candidates", CandidateViewSet, "network-candidate"),
    ("network/circles", CircleViewSet, "network-circle"),
]
URLS: list[URLPattern] = [
    path("network/coverage/", CoverageView.as_view(), name="network-coverage"),
]
