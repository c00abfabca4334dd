"""Forms of the accounts pages (the login form itself is Django's)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from paraat.accounts.models import AccountErasureReason


class CodeForm(forms.Form):
    """One code: six digits from the authenticator app, or (``allow_backup``) a backup code."""

    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        strip=True,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )

    def __init__(self, *args: object, allow_backup: bool = True, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["code"]
        if allow_backup:
            field.help_text = _(
                "De zes cijfers die uw authenticator-app nu toont, of een van uw back-upcodes."
            )
        else:
            field.help_text = _("De zes cijfers die uw authenticator-app nu toont.")
            field.widget.attrs["inputmode"] = "numeric"


class AccountEraseForm(forms.Form):
    """A beheerder erases an account on request: the reason, and the confirmation."""

    reason = forms.ChoiceField(
        label=_("Reden"),
        choices=AccountErasureReason.choices,
        initial=AccountErasureReason.REQUEST,
    )
    confirm = forms.BooleanField(
        label=_("Ik begrijp dat dit niet ongedaan kan worden gemaakt."), required=True
    )
