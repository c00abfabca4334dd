"""Forms of the advice text pages: the editor, comments and assignments.

The forms only parse input; ``advice.services`` validates and writes. Field names match the
keyword arguments (and the ``ValidationError`` keys) of those services, so a service error
lands on the field it names.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from paraat.accounts.models import User
from paraat.advice import selectors
from paraat.advice.forms_process import moment_field
from paraat.advice.models import AdviceRequest, Comment, Section
from paraat.advice.services import TEXT_MAX

DATETIME_INPUT = "%Y-%m-%dT%H:%M"

_HELP: dict[str, Any] = {
    Section.SUMMARY: _("De kern van het advies in enkele zinnen."),
    Section.ADVICE: _(
        "De aanbevelingen, één per regel en genummerd (1. …): elke genummerde regel wordt "
        "een aanbeveling waarop het kabinet reageert."
    ),
    Section.REASONING: _("Waarom: de afweging, de bronnen met hun verwijzing [@sleutel]."),
    Section.GROUPS: _("De gevolgen per groep, met de signalen en indicatoren."),
    Section.MITIGATION: _("Flankerend beleid dat de nadelige gevolgen verzacht."),
    Section.DILEMMAS: _("De afwegingen die het kabinet moet maken."),
    Section.MINORITY: _("Standpunten van een minderheid van de commissie."),
}


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        name = obj.get_full_name() or obj.get_username()
        return f"{name} ({obj.organisation})" if getattr(obj, "organisation", "") else name


class TextForm(forms.Form):
    """A textarea per section, the version the editor started from and a note."""

    base_number = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=0, max_value=2**31 - 1
    )
    note = forms.CharField(
        label=_("Toelichting bij deze versie (optioneel)"),
        max_length=300,
        required=False,
        error_messages={"max_length": _("Hoogstens %(limit_value)d tekens.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, forms.Field] = {}
        for key, label in Section.choices:
            fields[key] = forms.CharField(
                label=capfirst(label),
                required=False,
                strip=False,
                max_length=TEXT_MAX,
                help_text=_HELP.get(key, ""),
                widget=forms.Textarea(attrs={"rows": 8, "cols": 80, "spellcheck": "true"}),
                error_messages={"max_length": _("Te lang (meer dan %(limit_value)d tekens).")},
            )
        fields["base_number"] = self.fields.pop("base_number")
        fields["note"] = self.fields.pop("note")
        self.fields = fields

    def sections(self) -> dict[str, str]:
        return {key: self.cleaned_data.get(key) or "" for key in Section.values}

    def section_fields(self) -> list[forms.BoundField]:
        return [self[key] for key in Section.values]


class CommentForm(forms.Form):
    """A new comment on a section, a reply in a thread, or closing a thread (``resolve``)."""

    section = forms.ChoiceField(
        label=_("Sectie"),
        choices=[("", _("Kies een sectie")), *Section.choices],
        required=False,
    )
    body = forms.CharField(
        label=_("Opmerking"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        error_messages={"max_length": _("De opmerking is te lang.")},
    )
    thread = forms.ModelChoiceField(
        queryset=Comment.objects.none(),
        widget=forms.HiddenInput,
        required=False,
        error_messages={"invalid_choice": _("Onbekende draad.")},
    )
    resolve = forms.BooleanField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, advice: AdviceRequest, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "comment-%s")
        super().__init__(*args, **kwargs)
        thread_field = self.fields["thread"]
        assert isinstance(thread_field, forms.ModelChoiceField)
        thread_field.queryset = selectors.comment_thread_starts(request=advice)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        thread = data.get("thread")
        if thread is not None:
            data["section"] = thread.section
        elif not data.get("section") and "thread" not in self.errors:
            self.add_error("section", _("Kies een sectie."))
        return data


class AssignmentForm(forms.Form):
    assignee = UserChoiceField(
        label=_("Uitvoerder"),
        queryset=User.objects.none(),
        empty_label=_("Kies een persoon"),
        error_messages={
            "required": _("Kies wie de taak uitvoert."),
            "invalid_choice": _("Kies een persoon uit de lijst."),
        },
    )
    task = forms.CharField(
        label=_("Taak"),
        max_length=300,
        error_messages={
            "required": _("Beschrijf de taak."),
            "max_length": _("Hoogstens %(limit_value)d tekens."),
        },
    )
    section = forms.ChoiceField(
        label=_("Sectie (optioneel)"),
        choices=[("", _("geen bepaalde sectie")), *Section.choices],
        required=False,
        error_messages={"invalid_choice": _("Kies een van de secties.")},
    )
    due = moment_field(
        label=_("Gereed op (optioneel)"),
        required=False,
        help_text=_("Datum en tijd (Nederlandse tijd)."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "task-%s")
        super().__init__(*args, **kwargs)
        assignee = self.fields["assignee"]
        assert isinstance(assignee, forms.ModelChoiceField)
        assignee.queryset = selectors.drafts_readers()


class ReplyForm(CommentForm):
    """A reply in a thread (or closing it): the thread fixes the section."""

    def __init__(self, *args: Any, advice: AdviceRequest, **kwargs: Any) -> None:
        super().__init__(*args, advice=advice, **kwargs)
        self.fields["section"].widget = forms.HiddenInput()
        self.fields["body"].label = _("Reactie")
        thread_field = self.fields["thread"]
        thread_field.required = True
        thread_field.error_messages["required"] = _("Onbekende draad.")

    @staticmethod
    def parse_pk(raw: object) -> int | None:
        try:
            value = int(str(raw))
        except (TypeError, ValueError):
            return None
        return value if 0 < value < 2**31 else None

    def thread_pk(self) -> int | None:
        if self.is_bound:
            return self.parse_pk(self.data.get("thread"))
        return self.parse_pk(self.initial.get("thread"))
