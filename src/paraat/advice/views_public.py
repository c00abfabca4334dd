"""Public pages of the advice process under ``/adviezen/`` (namespace ``advice_public``).

The register of published advice (also as CSV and JSON, open data), a page per published
advice with the expert members' reflections beside it, the sent documents, and a timeline of
advice milestones against covid hospital admissions.

Everything here is read through the public selectors (``selectors.public_list``,
``public_get``, ``public_view``, ``register_rows(public=True)``, ``public_timeline``) and
always as an anonymous visitor: a logged-in member of staff sees exactly what the public
sees (drafts, votes, the dossier and OMT information are on the staff pages only). The
hospital series is read the same way, so only a public indicator is shown.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from paraat.advice import selectors
from paraat.advice.documents import FORMATS
from paraat.advice.models import (
    AdviceRequest,
    AdviceStatus,
    DecisionOutcome,
    Requester,
    RequestKind,
)
from paraat.advice.views_common import csv_response, file_response, label

# --- plain text as blocks ----------------------------------------------------------------------

_BULLET = re.compile(r"^\s*[-*•]\s+(?P<text>.+)$")
_NUMBERED = re.compile(r"^\s*(?P<number>\d{1,6})[.)]\s+(?P<text>.+)$")


@dataclass
class Block:
    """A paragraph (``lines``), a bulleted list or a numbered list (``items``, from ``start``)."""

    kind: str  # "p", "ul" or "ol"
    lines: list[str] = field(default_factory=list)
    items: list[str] = field(default_factory=list)
    start: int = 1


def text_blocks(text: str) -> list[Block]:
    """Plain text as paragraphs, bulleted and numbered lists. The template escapes every
    string (nothing here is marked safe); a blank line ends a paragraph or a list, a line
    that is not an item continues the item above it."""
    blocks: list[Block] = []
    current: Block | None = None
    for raw in (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.strip()
        if not line:
            current = None
            continue
        bullet, numbered = _BULLET.match(raw), _NUMBERED.match(raw)
        if bullet or numbered:
            kind = "ul" if bullet else "ol"
            match = bullet or numbered
            assert match is not None
            item = match.group("text").strip()
            if current is None or current.kind != kind:
                current = Block(kind=kind)
                if numbered:
                    current.start = int(numbered.group("number"))
                blocks.append(current)
            current.items.append(item)
        elif current is not None and current.kind in ("ul", "ol"):
            current.items[-1] = f"{current.items[-1]} {line}"
        else:
            if current is None:
                current = Block(kind="p")
                blocks.append(current)
            current.lines.append(line)
    return blocks


# --- the register ------------------------------------------------------------------------------

REGISTER_COLUMNS = [
    "key",
    "title",
    "url",
    "synthetic",
    "asked",
    "requester",
    "kind",
    "kind_label",
    "received_at",
    "sent_at",
    "published_at",
    "cabinet_response_date",
    "status",
    "status_label",
]
"""The open-data columns of the register, the same in CSV and JSON."""


def _moment(value: dt.datetime | None) -> str:
    return timezone.localtime(value).isoformat() if value else ""


def _register() -> list[dict[str, Any]]:
    """The public register rows with labels and open-data values."""
    rows = []
    for row in selectors.register_rows(public=True):
        advice: AdviceRequest = row["request"]
        response = row["cabinet_response"]
        status = str(row["status"])
        rows.append(
            {
                **row,
                "status_label": label(AdviceStatus, status),
                "kind_label": label(RequestKind, advice.kind),
                "requester_label": label(Requester, advice.requester),
                "response_date": response.date if response else None,
                "open": {
                    "key": advice.key,
                    "title": advice.title,
                    "url": settings.PARAAT_SITE_URL.rstrip("/")
                    + reverse("advice_public:detail", args=[advice.key]),
                    "synthetic": advice.is_synthetic,
                    "asked": bool(row["asked"]),
                    "requester": advice.requester,
                    "kind": advice.kind,
                    "kind_label": label(RequestKind, advice.kind),
                    "received_at": _moment(row["received_at"]),
                    "sent_at": _moment(row["sent_at"]),
                    "published_at": _moment(row["published_at"]),
                    "cabinet_response_date": response.date.isoformat() if response else "",
                    "status": status,
                    "status_label": label(AdviceStatus, status),
                },
            }
        )
    return rows


@login_not_required
@require_safe
def advice_list(request: HttpRequest) -> HttpResponse:
    """The public register; ``?format=csv`` or ``?format=json`` for open data."""
    rows = _register()
    fmt = request.GET.get("format", "")
    stamp = timezone.localdate().isoformat()
    if fmt == "csv":
        return csv_response(
            f"paraat-adviesregister-{stamp}.csv",
            REGISTER_COLUMNS,
            [[row["open"][c] for c in REGISTER_COLUMNS] for row in rows],
        )
    if fmt == "json":
        response = JsonResponse(
            {"columns": REGISTER_COLUMNS, "items": [row["open"] for row in rows]},
            json_dumps_params={"ensure_ascii": False, "indent": 1},
        )
        response["Content-Disposition"] = content_disposition_header(
            False, f"paraat-adviesregister-{stamp}.json"
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response
    return render(request, "advice/public/list.html", {"rows": rows})


# --- one published advice ----------------------------------------------------------------------


def _published(key: str) -> AdviceRequest:
    advice = selectors.public_get(key=key)
    if advice is None:
        raise Http404
    return advice


@login_not_required
@require_safe
def advice_detail(request: HttpRequest, key: str) -> HttpResponse:
    advice = _published(key)
    view = selectors.public_view(request=advice)
    dispatch = advice.dispatch
    decision = view["decision"]
    responses = view["responses"]
    return render(
        request,
        "advice/public/detail.html",
        {
            "advice": advice,
            "status_label": label(AdviceStatus, selectors.status_of(advice)),
            "question": text_blocks(advice.question),
            "dispatch": dispatch,
            "publication": advice.publication,
            "files": [fmt for fmt in FORMATS if getattr(dispatch, fmt)],
            "sections": [
                {"key": s["key"], "label": s["label"], "blocks": text_blocks(s["text"])}
                for s in view["sections"]
            ],
            "recommendations": view["recommendations"],
            "responses": [
                {
                    "response": entry["response"],
                    "summary": text_blocks(entry["response"].summary),
                    "statuses": entry["statuses"],
                }
                for entry in responses
            ],
            "follow_ups": view["follow_ups"],
            # the outcome and the minority position are part of the advice; never the
            # ballots or who cast them
            "decision": {
                "outcome": decision.outcome,
                "label": label(DecisionOutcome, decision.outcome),
                "minority": text_blocks(decision.minority_position),
            }
            if decision is not None
            else None,
            "reflections": [
                {
                    "institution": reflection.institution,
                    "date": reflection.submitted_at,
                    "blocks": text_blocks(reflection.body),
                }
                for reflection in view["reflections"]
            ],
        },
    )


@login_not_required
@require_safe
def advice_file(request: HttpRequest, key: str, fmt: str) -> FileResponse:
    """The sent PDF or DOCX of a published advice, as an attachment."""
    if fmt not in FORMATS:
        raise Http404
    advice = _published(key)
    return file_response(
        getattr(advice.dispatch, fmt), filename=f"{advice.key}.{fmt}", content_type=FORMATS[fmt]
    )


# --- the timeline ------------------------------------------------------------------------------

_MILESTONE_STYLES = {
    "received": ("#154273", "triangle", [6, 3]),
    "sent": ("#8b4a00", "rect", [2, 2]),
    "published": ("#1f5e1f", "circle", []),
    "cabinet_response": ("#5b2c83", "star", [10, 3, 2, 3]),
}


def _chart_data(timeline: selectors.PublicTimeline) -> dict[str, Any]:
    """What the chart script draws: the admissions per day and the milestones in range."""
    hospital = timeline.hospital
    days = timeline.days
    return {
        "dates": [day.isoformat() for day in days],
        "hospital": {
            "label": hospital.name if hospital else "",
            "values": [hospital.values.get(day) for day in days] if hospital else [],
        },
        "axis": _("Ziekenhuisopnames per dag (7-daags gemiddelde)"),
        "kinds": [
            {
                "key": kind,
                "label": selectors.milestone_label(kind),
                "color": _MILESTONE_STYLES[kind][0],
                "point": _MILESTONE_STYLES[kind][1],
                "dash": _MILESTONE_STYLES[kind][2],
            }
            for kind in selectors.MILESTONE_KINDS
        ],
        "milestones": [
            {
                "date": m["date"].isoformat(),
                "kind": m["kind"],
                "title": m["request"].title,
                "url": reverse("advice_public:detail", args=[m["request"].key]),
            }
            for m in timeline.milestones
            if timeline.start is not None
            and timeline.end is not None
            and timeline.start <= m["date"] <= timeline.end
        ],
    }


def _number(value: float | None) -> str:
    return "" if value is None or not math.isfinite(value) else f"{value:g}"


@login_not_required
@require_safe
def advice_timeline(request: HttpRequest) -> HttpResponse:
    """Milestones of published advice against hospital admissions; ``?format=csv``."""
    timeline = selectors.public_timeline()
    if request.GET.get("format", "") == "csv":
        rows = [
            [
                row["date"].isoformat(),
                _number(row["hospital"]),
                "; ".join(f"{m['label']}: {m['request'].title}" for m in row["milestones"]),
            ]
            for row in timeline.rows()
        ]
        return csv_response(
            f"paraat-adviezen-tijdlijn-{timezone.localdate().isoformat()}.csv",
            ["date", "hospital_admissions_7d_avg", "milestones"],
            rows,
        )
    hospital = timeline.hospital
    has_hospital = bool(hospital and hospital.points)
    return render(
        request,
        "advice/public/timeline.html",
        {
            "timeline": timeline,
            "hospital": hospital,
            "has_hospital": has_hospital,
            "rows": timeline.rows() if has_hospital else [],
            "chart": _chart_data(timeline) if has_hospital else None,
        },
    )
