"""E-mail of the advice process, sent after the transaction commits.

Mails name a request by its title only when it is not confidential, and never carry the
text of drafts, votes or OMT information: they link to the page (or, for input, to the
secure form) where a person with the right access reads it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from paraat.accounts.models import User
from paraat.advice import selectors, workflow
from paraat.advice.models import (
    AdviceRequest,
    Assignment,
    CabinetResponse,
    DecisionRound,
    Dispatch,
    FollowUp,
    InputRequest,
    InputResponse,
)

logger = logging.getLogger(__name__)


def _url(path: str) -> str:
    return settings.PARAAT_SITE_URL.rstrip("/") + path


def _title(request: AdviceRequest) -> str:
    return selectors.request_name(request, quoted=True)


def _when(moment: object) -> str:
    return date_format(timezone.localtime(moment), "j F Y H:i")  # type: ignore[arg-type]


def _send(subject: str, body: str, recipients: Iterable[str]) -> None:
    to = sorted({address for address in recipients if address})
    if not to:
        return

    def deliver() -> None:
        try:
            send_mail(subject, body, None, to)
        except Exception:
            logger.exception("advice notification could not be sent", extra={"subject": subject})

    transaction.on_commit(deliver)


def _staff_addresses() -> list[str]:
    users = User.objects.filter(
        is_active=True, groups__permissions__codename="manage_advice"
    ).distinct()
    return [u.email for u in users if u.email]


def input_request_sent(*, input_request: InputRequest, token: str) -> None:
    link = _url(reverse("advice:input-respond", kwargs={"token": token}))
    body = _(
        "Beste %(name)s,\n\nHet Maatschappelijk Impact Team vraagt uw input bij %(title)s.\n"
        "Reageer vóór %(deadline)s via deze persoonlijke, beveiligde link:\n\n%(link)s\n\n"
        "Deel de link niet: wie hem heeft, kan namens u reageren.\n"
    ) % {
        "name": input_request.recipient_name,
        "title": _title(input_request.request),
        "deadline": _when(input_request.deadline),
        "link": link,
    }
    _send(_("Uitvraag van het MIT"), body, [input_request.recipient_email])


def input_reminder(*, input_request: InputRequest, token: str) -> None:
    link = _url(reverse("advice:input-respond", kwargs={"token": token}))
    body = _(
        "Beste %(name)s,\n\nHerinnering: het MIT ontvangt uw input bij %(title)s graag vóór "
        "%(deadline)s. Uw nieuwe link (de vorige werkt niet meer):\n\n%(link)s\n"
    ) % {
        "name": input_request.recipient_name,
        "title": _title(input_request.request),
        "deadline": _when(input_request.deadline),
        "link": link,
    }
    _send(_("Herinnering: uitvraag van het MIT"), body, [input_request.recipient_email])


def input_response_received(*, response: InputResponse) -> None:
    request = response.input_request.request
    body = _("Er is input ontvangen bij %(title)s.\n\n%(link)s\n") % {
        "title": _title(request),
        "link": _url(reverse("advice:detail", kwargs={"key": request.key})),
    }
    _send(_("Input ontvangen"), body, _staff_addresses())


def assignment_created(*, assignment: Assignment) -> None:
    body = _("U heeft een taak bij %(title)s: %(task)s\n\n%(link)s\n") % {
        "title": _title(assignment.request),
        "task": assignment.task,
        "link": _url(reverse("advice:detail", kwargs={"key": assignment.request.key})),
    }
    _send(_("Nieuwe taak in het adviesproces"), body, [assignment.assignee.email])


def vote_opened(*, round_: DecisionRound) -> None:
    body = _("De stemming over %(title)s is geopend tot %(closes)s.\n\n%(link)s\n") % {
        "title": _title(round_.request),
        "closes": _when(round_.closes_at),
        "link": _url(reverse("advice:vote", kwargs={"key": round_.request.key})),
    }
    _send(_("Stemming geopend"), body, [u.email for u in workflow.voters()])


def vote_reminder(*, round_: DecisionRound, users: Sequence[User]) -> None:
    body = _("Herinnering: de stemming over %(title)s sluit op %(closes)s.\n\n%(link)s\n") % {
        "title": _title(round_.request),
        "closes": _when(round_.closes_at),
        "link": _url(reverse("advice:vote", kwargs={"key": round_.request.key})),
    }
    _send(_("Herinnering: stemming"), body, [u.email for u in users])


def advice_dispatched(*, dispatch: Dispatch) -> None:
    body = _("%(title)s is verzonden aan %(to)s en staat onder embargo.\n\n%(link)s\n") % {
        "title": _title(dispatch.request),
        "to": dispatch.recipient,
        "link": _url(reverse("advice:detail", kwargs={"key": dispatch.request.key})),
    }
    _send(_("Advies verzonden"), body, _staff_addresses())


def cabinet_response_recorded(*, response: CabinetResponse) -> None:
    body = _("De kabinetsreactie op %(title)s is vastgelegd.\n\n%(link)s\n") % {
        "title": _title(response.request),
        "link": _url(reverse("advice:detail", kwargs={"key": response.request.key})),
    }

    _send(
        _("Kabinetsreactie vastgelegd"),
        body,
        [*_staff_addresses(), *(u.email for u in workflow.voters())],
    )


def follow_up_recorded(*, follow_up: FollowUp) -> None:
    body = _("Nieuwe opvolging bij %(title)s: %(what)s\n\n%(link)s\n") % {
        "title": _title(follow_up.request),
        "what": follow_up.title,
        "link": _url(reverse("advice:detail", kwargs={"key": follow_up.request.key})),
    }
    _send(_("Opvolging vastgelegd"), body, _staff_addresses())
