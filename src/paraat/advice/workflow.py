"""The MIT's advice process as data: which status may follow which, and who may act.

Statuses after the process table in the evaluation (seed 001 §2.4, §3.3):
received → input requested → contributions → draft ⇄ feedback → final draft → decision →
chairs' alignment → sent → embargo → published → cabinet response → follow-up; a request
can be withdrawn before it is sent.  Sent, embargo, published and cabinet response are
reached only through their actions (dispatch, publish, record the response), which check
more than a status change can.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from paraat.accounts.models import User
from paraat.accounts.roles import EXPERT_MEMBER, ROLES
from paraat.advice.models import AdviceRequest, AdviceStatus

S = AdviceStatus

NEXT: dict[str, tuple[str, ...]] = {
    S.RECEIVED: (S.INPUT_REQUESTED, S.DRAFT, S.WITHDRAWN),
    S.INPUT_REQUESTED: (S.CONTRIBUTIONS, S.DRAFT, S.WITHDRAWN),
    S.CONTRIBUTIONS: (S.DRAFT, S.WITHDRAWN),
    S.DRAFT: (S.FEEDBACK, S.FINAL_DRAFT, S.WITHDRAWN),
    S.FEEDBACK: (S.DRAFT, S.FINAL_DRAFT, S.WITHDRAWN),
    S.FINAL_DRAFT: (S.DECISION, S.DRAFT, S.WITHDRAWN),
    S.DECISION: (S.ALIGNMENT, S.FINAL_DRAFT, S.WITHDRAWN),
    S.ALIGNMENT: (S.SENT, S.FINAL_DRAFT, S.WITHDRAWN),
    S.SENT: (S.EMBARGO,),
    S.EMBARGO: (S.PUBLISHED,),
    S.PUBLISHED: (S.CABINET_RESPONSE,),
    S.CABINET_RESPONSE: (S.FOLLOW_UP,),
    S.FOLLOW_UP: (),
    S.WITHDRAWN: (),
}
ORDER: tuple[str, ...] = tuple(S.values)

ACTION_ONLY = frozenset({S.SENT, S.EMBARGO, S.PUBLISHED, S.CABINET_RESPONSE})
"""Reached through an action (dispatch, publish, cabinet response), not a plain move."""
AFTER_DISPATCH = frozenset(
    {S.SENT, S.EMBARGO, S.PUBLISHED, S.CABINET_RESPONSE, S.FOLLOW_UP, S.WITHDRAWN}
)
BEFORE_DRAFT = frozenset({S.RECEIVED, S.INPUT_REQUESTED, S.CONTRIBUTIONS})
TEXT_FROZEN = AFTER_DISPATCH | {S.DECISION, S.ALIGNMENT}
"""The text voted on stays as it is; a rejected draft goes back to final draft."""
INPUT_CLOSED = AFTER_DISPATCH | {S.DECISION, S.ALIGNMENT}
PUBLIC = frozenset({S.PUBLISHED, S.CABINET_RESPONSE, S.FOLLOW_UP})
"""Statuses in which the advice is public (after the embargo)."""

# Action → the permissions that allow it (any of them).
ACTIONS: dict[str, tuple[str, ...]] = {
    "view": ("advice.view_advicerequest",),
    "view_drafts": ("advice.view_advicerevision",),
    "create": ("advice.add_advicerequest",),
    "manage": ("advice.manage_advice",),
    "edit_text": ("advice.manage_advice", "advice.add_advicerevision"),
    "comment": ("advice.add_comment",),
    "close_vote": ("advice.manage_advice", "advice.sign_off_advice"),
    "sign_off": ("advice.sign_off_advice",),
    "grant_omt": ("advice.grant_omt_access",),
    "cabinet_response": ("advice.record_cabinet_response",),
}

# Target status → the action whose permission moves a request there.
MOVE_ACTION: dict[str, str] = {
    S.ALIGNMENT: "close_vote",
    S.FOLLOW_UP: "cabinet_response",
}


def allowed(user: User, action: str) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return any(user.has_perm(perm) for perm in ACTIONS[action])


def require(user: User, action: str) -> None:
    if not allowed(user, action):
        raise PermissionDenied(_("Uw rol staat deze handeling niet toe."))


def status_of(request: AdviceRequest, *, fresh: bool = False) -> str:
    """The request's current status: the latest appended change. Lists annotate it
    (``current_status``); ``fresh`` always asks the database (services do)."""
    annotated = None if fresh else getattr(request, "current_status", None)
    if annotated:
        return str(annotated)
    last = request.status_changes.order_by("-at", "-pk").values_list("status", flat=True).first()
    return str(last or S.RECEIVED)


def check_move(*, actor: User, current: str, to: str) -> None:
    if to not in S.values:
        raise ValidationError({"to": _("Onbekende status: %(v)s") % {"v": to}})
    require(actor, MOVE_ACTION.get(to, "manage"))
    if to not in NEXT.get(current, ()):
        raise ValidationError(
            {
                "to": _("Van ‘%(a)s’ kan het advies niet naar ‘%(b)s’.")
                % {"a": S(current).label, "b": S(to).label}
            }
        )


def moves(*, user: User, current: str) -> list[str]:
    """The plain moves this user may make from ``current`` (for buttons and the API)."""
    return [
        to
        for to in NEXT.get(current, ())
        if to not in ACTION_ONLY and allowed(user, MOVE_ACTION.get(to, "manage"))
    ]


def action_hint(to: str) -> str:
    hints = {
        S.SENT: _("Verzenden gaat via ‘Ondertekenen en verzenden’."),
        S.EMBARGO: _("Het embargo begint bij het verzenden."),
        S.PUBLISHED: _("Publiceren gaat via ‘Embargo opheffen en publiceren’."),
        S.CABINET_RESPONSE: _("Leg de kabinetsreactie vast; de status volgt."),
    }
    return str(hints.get(to, ""))


_VOTING_ROLES = [role.key for role in ROLES if role.can_vote]


def voters() -> QuerySet[User]:
    """Active people with voting rights (chair and members)."""
    return User.objects.filter(is_active=True, groups__name__in=_VOTING_ROLES).distinct()


def can_vote(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active) and (
        user.groups.filter(name__in=_VOTING_ROLES).exists()
    )


def may_take_position(user: User) -> bool:
    """Expert members: a position shown with the vote, never counted; and reflections."""
    return bool(user.is_authenticated and user.is_active) and (
        user.groups.filter(name=EXPERT_MEMBER).exists()
    )
