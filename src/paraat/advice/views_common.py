"""What the staff and public pages of the advice process share: finding the request the user
may see, the role check, a service's errors on a form, running a service from a form, CSV
cells and stored files. Parsing and rendering only; reads go through ``advice.selectors``.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from paraat.accounts.models import User
from paraat.advice import selectors
from paraat.advice.models import AdviceRequest

T = TypeVar("T")


def may(request: HttpRequest, action: str) -> bool:
    return selectors.may(user=request.user, action=action)


def require(request: HttpRequest, *actions: str) -> None:
    """403 unless the user's role allows one of ``actions``."""
    if not any(may(request, action) for action in actions):
        raise PermissionDenied(_("Uw rol staat deze handeling niet toe."))


def advice_or_404(request: HttpRequest, key: str, *actions: str) -> AdviceRequest:
    """The request ``key`` if the user may see it (else 404: its existence is not revealed)
    and, when ``actions`` are named, may take one of them (else 403)."""
    advice = selectors.advice_get(user=request.user, key=key)
    if advice is None:
        raise Http404
    if actions:
        require(request, *actions)
    return advice


def user_of(request: HttpRequest) -> User:
    """The logged-in user of a staff page (every staff page needs a login)."""
    user = request.user
    assert isinstance(user, User)
    return user


def label(choices: Any, value: str) -> str:
    """The label of ``value`` in a ``TextChoices`` class, or the value itself."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def form_errors(form: Any, exc: ValidationError) -> None:
    """A service's ``ValidationError`` on the form: each key on its field (a form's
    ``field_for`` maps keys such as ``answers.0.reason``; ``sections.<key>`` is the field of
    that section), anything else, or a hidden field, above the form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    mapper = getattr(form, "field_for", None)
    for key, errors in exc.message_dict.items():
        name = mapper(key) if mapper else key.removeprefix("sections.")
        if name is not None and (name not in form.fields or form.fields[name].widget.is_hidden):
            name = None
        form.add_error(name, errors)


def form_action(
    request: HttpRequest,
    form: Any,
    action: Callable[[dict[str, Any]], T],
    *,
    success: str | Callable[[T], str],
    to: str | Callable[[T], str],
) -> HttpResponse | None:
    """Run ``action`` (a service call) with the data of a valid form: then the ``success``
    message and a redirect to ``to`` (both may depend on the result). ``None`` when the form
    or the service refused: the errors are on the form and the caller shows the page again
    (status 400)."""
    if not form.is_valid():
        return None
    try:
        result = action(form.cleaned_data)
    except ValidationError as exc:
        form_errors(form, exc)
        return None
    messages.success(request, success(result) if callable(success) else success)
    return redirect(to(result) if callable(to) else to)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: str) -> str:
    """Keep spreadsheet programs from reading a cell as a formula (CSV injection)."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def csv_response(filename: str, header: list[str], rows: list[list[Any]]) -> HttpResponse:
    """A CSV download; every cell guarded by ``csv_safe``, booleans as true/false."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow(
            [
                ("true" if value else "false") if isinstance(value, bool) else csv_safe(str(value))
                for value in row
            ]
        )
    return response


def file_response(
    stored: FieldFile | None, *, filename: str, content_type: str, private: bool = False
) -> FileResponse:
    """A stored document as an attachment; a missing or unreadable file is a 404.
    ``private``: never kept in a shared cache."""
    if not stored:
        raise Http404
    try:
        handle = stored.open("rb")
    except (OSError, ValueError) as exc:
        raise Http404 from exc
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type
    )
    if private:
        response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
