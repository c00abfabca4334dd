"""The playbook (draaiboek) and the yearly report as documents: PDF (WeasyPrint) and Word
(python-docx), with the same content. Texts are plain: paragraphs separated by blank lines,
nothing interpreted as markup (HTML is escaped in the PDF, literal text in Word). The PDF reads
nothing but the vendored fonts (``paraat.web.printing``).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from paraat.preparedness import selectors
from paraat.web.printing import docx_a4_document, docx_table, pdf_render_fonts_only

__all__ = [
    "FORMATS",
    "playbook_data",
    "playbook_document",
    "yearly_report_document",
]

FORMATS: dict[str, str] = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
LANGUAGE = "nl"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def _clean(text: Any) -> str:
    value = "" if text is None else str(text)
    return _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def paragraphs(text: Any) -> list[list[str]]:
    """The text as paragraphs (blank-line separated), each a list of its lines."""
    out: list[list[str]] = []
    current: list[str] = []
    for line in _clean(text).split("\n"):
        if line.strip():
            current.append(line.rstrip())
        elif current:
            out.append(current)
            current = []
    if current:
        out.append(current)
    return out


def _date(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return "–"
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return formats.date_format(value, "j F Y")


def euro(value: Decimal | int | float | None) -> str:
    """``€ 70.000,00`` (Dutch grouping)."""
    if value is None:
        return "–"
    amount = Decimal(str(value)).quantize(Decimal("0.01"))
    sign = "-" if amount < 0 else ""
    whole, cents = f"{abs(amount):.2f}".split(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return f"{sign}€ {'.'.join(groups)},{cents}"


def _syn(text: Any, synthetic: Any) -> str:
    """``text`` labelled "(synthetisch)" when ``synthetic`` and not labelled already."""
    value = _clean(text)
    if synthetic and "synthetisch" not in value.lower():
        return f"{value} ({_('synthetisch')})"
    return value


def _docx_paragraphs(doc: Any, text: Any) -> None:
    for lines in paragraphs(text):
        para = doc.add_paragraph()
        for i, line in enumerate(lines):
            if i:
                para.add_run().add_break()
            para.add_run(line)


def _synthetic_note(doc: Any, text: str) -> None:
    from docx.shared import RGBColor

    run = doc.add_paragraph().add_run(text)
    run.bold = True
    run.font.color.rgb = RGBColor(0x8A, 0x5A, 0x00)


# --- playbook ----------------------------------------------------------------------------------


def playbook_data(*, today: dt.date | None = None) -> dict[str, Any]:
    day = today or timezone.localdate()
    sections = []
    for row in selectors.playbook_rows(today=day):
        section, latest = row["section"], row["latest"]
        sections.append(
            {
                "title": _clean(section.title),
                "element": str(section.get_element_display()),
                "owner": str(section.owner) if section.owner else _("geen eigenaar"),
                "review_due_on": _date(section.review_due_on),
                "overdue": row["overdue"],
                "version": latest.number if latest else 0,
                "version_date": _date(latest.created_at) if latest else "–",
                "paragraphs": paragraphs(latest.text) if latest else [],
                "synthetic": section.is_synthetic,
            }
        )
    actions = [
        {
            "title": _clean(a.title),
            "status": str(a.get_status_display()),
            "due_on": _date(a.due_on),
            "section": a.section.title if a.section else "–",
            "source": a.source or "–",
        }
        for a in selectors.action_list(open_only=True)
    ]
    return {
        "lang": LANGUAGE,
        "body": _("Maatschappelijk Impact Team in waakstand"),
        "title": _("Draaiboek"),
        "date": _date(day),
        "sections": sections,
        "overdue": sum(1 for s in sections if s["overdue"]),
        "actions": actions,
        "synthetic": any(s["synthetic"] for s in sections),
    }


def _playbook_docx(data: dict[str, Any]) -> bytes:
    doc = docx_a4_document(
        lang=data["lang"],
        title=f"{data['title']} — {data['body']}",
        subject=data["title"],
        keywords="draaiboek, waakstand, MIT",
        header=f"{data['body']} · {data['title']} · {data['date']}",
    )
    doc.add_paragraph(data["body"])
    doc.add_heading(data["title"], level=1)
    doc.add_paragraph(_("Stand van %(date)s.") % {"date": data["date"]})
    if data["synthetic"]:
        _synthetic_note(doc, _("Synthetisch voorbeeld — demotekst, geen vastgesteld draaiboek."))
    if data["overdue"]:
        doc.add_paragraph(
            _("Let op: %(n)s sectie(s) zijn niet op tijd herzien.") % {"n": data["overdue"]}
        )
    for section in data["sections"]:
        doc.add_heading(section["title"], level=2)
        meta = doc.add_paragraph()
        for i, (label, value) in enumerate(
            (
                (_("Onderdeel"), section["element"]),
                (_("Eigenaar"), section["owner"]),
                (
                    _("Herzien uiterlijk"),
                    section["review_due_on"]
                    + (" — " + _("herziening te laat") if section["overdue"] else ""),
                ),
                (
                    _("Versie"),
                    f"{section['version']} ({section['version_date']})"
                    if section["version"]
                    else _("nog geen tekst"),
                ),
            )
        ):
            if i:
                meta.add_run().add_break()
            meta.add_run(label + ": ").bold = True
            meta.add_run(value)
        for lines in section["paragraphs"]:
            para = doc.add_paragraph()
            for i, line in enumerate(lines):
                if i:
                    para.add_run().add_break()
                para.add_run(line)
    doc.add_heading(_("Openstaande acties"), level=2)
    if data["actions"]:
        docx_table(
            doc,
            _("Openstaande acties op het draaiboek"),
            [_("Actie"), _("Status"), _("Gereed uiterlijk"), _("Sectie"), _("Bron")],
            [
                [a["title"], a["status"], a["due_on"], a["section"], a["source"]]
                for a in data["actions"]
            ],
            font_size=9,
        )
    else:
        doc.add_paragraph(_("Geen openstaande acties."))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def playbook_document(*, fmt: str, today: dt.date | None = None) -> tuple[str, bytes]:
    """``(file name, content)`` of the whole playbook as ``pdf`` or ``docx``."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    day = today or timezone.localdate()
    with translation.override(LANGUAGE):
        data = playbook_data(today=day)
        if fmt == "pdf":
            html = render_to_string("preparedness/document/playbook_print.html", {"doc": data})
            content = pdf_render_fonts_only(html, what="playbook PDF")
        else:
            content = _playbook_docx(data)
    return f"draaiboek-{day.isoformat()}.{fmt}", content


# --- yearly report -----------------------------------------------------------------------------


def _yes(value: bool) -> str:
    return _("ja") if value else _("nee")


def report_view(data: dict[str, Any]) -> dict[str, Any]:
    """The report data with display strings (dates, amounts, percentages) for both formats."""
    view = dict(data)
    view["title"] = _("Jaarverslag %(year)s") % {"year": data["year"]}
    view["body"] = _("Maatschappelijk Impact Team in waakstand")
    view["lang"] = LANGUAGE
    view["generated_label"] = _date(data["generated"])
    view["as_of_label"] = _date(data["as_of"])
    view["activities_rows"] = [
        [_date(a["date"]), str(a["kind"]), _clean(a["text"])] for a in data["activities"]
    ]
    view["meeting_rows"] = [
        [
            _date(m["date"]),
            _syn(m["title"], m["synthetic"]),
            str(m["status"]),
            str(m["attended"]),
            str(m["absent"]),
            _date(m["minutes_approved"]) if m["minutes_approved"] else "–",
        ]
        for m in data["meetings"]
    ]
    view["cadence_rows"] = [
        [
            _date(c["due"]),
            _date(c["met_on"]) if c["met_on"] else _("niet gehouden"),
            _("op tijd") if c["on_time"] else _("%(n)s dagen te laat") % {"n": c["days_late"]},
        ]
        for c in data["cadence"]
    ]
    view["playbook_rows"] = [
        [
            _clean(p["title"]),
            p["owner"] or "–",
            _date(p["review_due_on"]) + (" — " + _("te laat") if p["overdue"] else ""),
            str(p["version"]),
            str(p["open_actions"]),
        ]
        for p in data["playbook"]
    ]
    view["action_rows"] = [
        [
            _clean(a["title"]),
            str(a["status"]),
            _date(a["due_on"]),
            a["section"] or "–",
            a["source"] or "–",
        ]
        for a in data["actions_open"]
    ]
    view["coverage_rows"] = [
        [
            str(r.get("name", r.get("item", ""))),
            str(r.get("kind", "")),
            str(r.get("contacts", "")),
            str(r.get("stale", "")),
            _yes(bool(r.get("flagged"))),
            "; ".join(str(x) for x in r.get("reasons", []) or []),
        ]
        for r in data["coverage"]
    ]
    view["exercise_rows"] = [_exercise_row(r) for r in data["exercises"]]
    view["activation_rows"] = [_activation_row(r) for r in data["activations"]]
    view["advice_rows"] = [
        [
            _syn(a["title"], a["is_synthetic"]),
            _date(
                dt.datetime.fromisoformat(a["sent_at"])
                if isinstance(a["sent_at"], str)
                else a["sent_at"]
            ),
            _yes(bool(a["asked"])),
            "; ".join(f"{r['number']}. {r['status']}" for r in a["recommendations"]) or "–",
        ]
        for a in data["advice"]
    ]
    view["budget_rows"] = [
        [
            _syn(b["stream"], b["synthetic"]),
            b["funder"],
            euro(b["budgeted"]),
            euro(b["realised"]),
            euro(b["remaining"]),
            f"{b['share'] * 100:.0f}%" if b["share"] is not None else "–",
        ]
        for b in data["budget"]
    ]
    view["budget_total_row"] = [
        _("Totaal"),
        "",
        euro(data["budget_total"]["budgeted"]),
        euro(data["budget_total"]["realised"]),
        euro(data["budget_total"]["budgeted"] - data["budget_total"]["realised"]),
        "",
    ]
    view["tables"] = _tables(view)
    view["summary"] = [
        (_("Modus aan het begin van het jaar"), data["mode_at_start"]),
        (_("Modus nu"), data["mode_now"]),
        (_("Vergaderingen gehouden"), str(data["meetings_held"])),
        (_("Aanwezigen in totaal (aanwezig of op afstand)"), str(data["attendance_total"])),
        (_("Vergaderfrequentie gehaald"), _yes(data["cadence_met"]) if data["cadence"] else "–"),
        (_("Draaiboeksecties te laat herzien"), str(data["playbook_overdue"])),
        (_("Nieuwe versies van draaiboeksecties"), str(data["playbook_versions"])),
        (_("Openstaande acties"), str(len(data["actions_open"]))),
        (_("Oefeningen"), str(len(data["exercises"]))),
        (_("Activeringen"), str(len(data["activations"]))),
        (_("Verzonden adviezen"), str(len(data["advice"]))),
        (_("Netwerk: gemarkeerde onderdelen"), str(data["coverage_flagged"])),
    ]
    return view


def _spec(
    heading: str,
    caption: str,
    header: list[str],
    rows: list[list[str]],
    empty: str,
    error: str = "",
    total: list[str] | None = None,
) -> dict[str, Any]:
    return {
        "heading": heading,
        "caption": caption,
        "header": header,
        "rows": rows,
        "empty": empty,
        "error": error,
        "total": total or [],
    }


def _tables(v: dict[str, Any]) -> list[dict[str, Any]]:
    """The report's sections, in order, as captioned tables (the same in PDF and Word)."""
    return [
        _spec(
            _("Activiteiten"),
            _("Activiteiten in het jaar"),
            [_("Datum"), _("Soort"), _("Omschrijving")],
            v["activities_rows"],
            _("Geen activiteiten vastgelegd."),
        ),
        _spec(
            _("Vergaderingen"),
            _("Vergaderingen en aanwezigheid"),
            [
                _("Datum"),
                _("Vergadering"),
                _("Status"),
                _("Aanwezig"),
                _("Afwezig"),
                _("Verslag vastgesteld"),
            ],
            v["meeting_rows"],
            _("Geen vergaderingen."),
        ),
        _spec(
            _("Vergaderfrequentie"),
            _("Vervaldata in het jaar"),
            [_("Uiterlijk op"), _("Gehouden op"), _("Oordeel")],
            v["cadence_rows"],
            _("Geen vervaldatum in dit jaar."),
        ),
        _spec(
            _("Draaiboek"),
            _("Stand van het draaiboek"),
            [_("Sectie"), _("Eigenaar"), _("Herzien uiterlijk"), _("Versie"), _("Open acties")],
            v["playbook_rows"],
            _("Geen secties."),
        ),
        _spec(
            _("Openstaande acties"),
            _("Openstaande acties op het draaiboek"),
            [_("Actie"), _("Status"), _("Gereed uiterlijk"), _("Sectie"), _("Bron")],
            v["action_rows"],
            _("Geen openstaande acties."),
        ),
        _spec(
            _("Netwerk"),
            _("Dekking van het netwerk"),
            [
                _("Onderdeel"),
                _("Soort"),
                _("Contacten"),
                _("Verouderd"),
                _("Gemarkeerd"),
                _("Redenen"),
            ],
            v["coverage_rows"],
            _("Geen gegevens over de dekking."),
            v["coverage_error"],
        ),
        _spec(
            _("Oefeningen"),
            _("Oefeningen in het jaar"),
            [_("Oefening"), _("Scenario"), _("Gestart"), _("Deelnemers"), _("Lessen en acties")],
            v["exercise_rows"],
            _("Geen oefeningen in dit jaar."),
            v["exercises_error"],
        ),
        _spec(
            _("Activeringen"),
            _("Activeringen in het jaar"),
            [
                _("Activering"),
                _("Signaal aan SG"),
                _("Besluit"),
                _("Operationeel"),
                _("Uren tot operationeel"),
            ],
            v["activation_rows"],
            _("Geen activeringen in dit jaar."),
            v["activations_error"],
        ),
        _spec(
            _("Adviezen en opvolging"),
            _("Verzonden adviezen en de kabinetsreactie per aanbeveling"),
            [_("Advies"), _("Verzonden"), _("Gevraagd"), _("Kabinetsreactie per aanbeveling")],
            v["advice_rows"],
            _("Geen adviezen verzonden in dit jaar."),
            v["advice_error"],
        ),
        _spec(
            _("Begroting en realisatie"),
            _("Begroting tegenover realisatie per financieringsstroom"),
            [
                _("Financieringsstroom"),
                _("Financier"),
                _("Begroot"),
                _("Gerealiseerd"),
                _("Resteert"),
                _("Besteed"),
            ],
            v["budget_rows"],
            _("Geen begroting vastgelegd voor dit jaar."),
            total=v["budget_total_row"],
        ),
    ]


def _iso_date(value: Any) -> str:
    if isinstance(value, str) and len(value) >= 10:
        try:
            return _date(dt.date.fromisoformat(value[:10]))
        except ValueError:
            return value
    return "–"


def _exercise_row(row: dict[str, Any]) -> list[str]:
    """A row of ``exercise_list_between`` (an ``ExerciseRow``, as plain values)."""
    if "run_id" not in row:
        title, details = _generic_row(row)
        return [title, "", "", "", details]
    lessons = []
    for lesson in row.get("lessons") or []:
        text = str(lesson.get("title", ""))
        if lesson.get("playbook_action_title"):
            text += " → " + _("actie") + ": " + str(lesson["playbook_action_title"])
            if lesson.get("playbook_action_status"):
                text += f" ({lesson['playbook_action_status']})"
        lessons.append(text)
    evaluated = "" if row.get("evaluated") else " (" + _("nog niet geëvalueerd") + ")"
    return [
        _clean(row.get("title", "")) + evaluated,
        _syn(row.get("scenario", ""), row.get("scenario_is_synthetic")),
        _iso_date(row.get("started_at")),
        str(row.get("participants", "")),
        _clean("; ".join(lessons)) or "–",
    ]


def _activation_row(row: dict[str, Any]) -> list[str]:
    """A row of ``activation_list_between`` (an ``ActivationSummary``, as plain values)."""
    if "signal_sent_on" not in row:
        title, details = _generic_row(row)
        return [title, "", "", "", details]
    decisions = {"establish": _("instellen"), "not_now": _("nu niet instellen")}
    hours = row.get("hours_to_operational")
    return [
        _syn(row.get("title", ""), row.get("is_synthetic")),
        _iso_date(row.get("signal_sent_on")),
        str(decisions.get(str(row.get("decision") or ""), _("nog geen besluit"))),
        _iso_date(row.get("operational_at")),
        f"{float(hours):.1f}" if hours is not None else "–",
    ]


def _generic_row(row: dict[str, Any]) -> list[str]:
    """An exercise or activation row as (title, details)."""
    title = ""
    for key in ("title", "name", "scenario", "item"):
        if row.get(key):
            title = str(row[key])
            break
    details = []
    for key, value in row.items():
        if key in ("id", "title", "name", "item") or value in (None, "", [], {}):
            continue
        if isinstance(value, list):
            value = "; ".join(
                str(v.get("title") or v.get("text") or v.get("item") or v)
                if isinstance(v, dict)
                else str(v)
                for v in value
            )
        elif isinstance(value, dict):
            value = ", ".join(f"{k}: {v}" for k, v in value.items())
        details.append(f"{key}: {value}")
    return [_clean(title) or "–", _clean("; ".join(details))[:1500]]


def _report_docx(view: dict[str, Any]) -> bytes:
    doc = docx_a4_document(
        lang=view["lang"],
        title=f"{view['title']} — {view['body']}",
        subject=view["title"],
        keywords="jaarverslag, waakstand, MIT, verantwoording",
        header=f"{view['body']} · {view['title']}",
    )
    doc.add_paragraph(view["body"])
    doc.add_heading(view["title"], level=1)
    doc.add_paragraph(
        _("Over %(start)s t/m %(end)s; gemaakt op %(date)s uit de gegevens in paraat.")
        % {
            "start": _date(view["start"]),
            "end": _date(view["end"]),
            "date": view["generated_label"],
        }
    )
    if view["synthetic"]:
        _synthetic_note(doc, _("Bevat synthetische demogegevens (gemarkeerd); geen echte cijfers."))
    doc.add_heading(_("Samenvatting"), level=2)
    docx_table(doc, _("Kerncijfers"), [_("Onderwerp"), _("Waarde")], view["summary"], font_size=9)

    for spec in view["tables"]:
        doc.add_heading(spec["heading"], level=2)
        if spec["error"]:
            doc.add_paragraph(spec["error"])
        rows = spec["rows"] + ([spec["total"]] if spec["total"] and spec["rows"] else [])
        if rows:
            docx_table(doc, spec["caption"], spec["header"], rows, font_size=8.5)
        else:
            doc.add_paragraph(spec["empty"])
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def yearly_report_document(*, data: dict[str, Any], fmt: str) -> tuple[str, bytes]:
    """``(file name, content)`` of the yearly report (data of ``reports.yearly_report_data``)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    with translation.override(LANGUAGE):
        view = report_view(data)
        if fmt == "pdf":
            html = render_to_string("preparedness/document/report_print.html", {"doc": view})
            content = pdf_render_fonts_only(html, what="yearly report PDF")
        else:
            content = _report_docx(view)
    return f"jaarverslag-waakstand-{data['year']}.{fmt}", content
