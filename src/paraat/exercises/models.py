"""Exercises (oefeningen): scenario scripts with timed injects, run in a sandbox (issue 7).

A ``Scenario`` is a script of ``Inject`` rows, each due at an offset (minutes) from the start of
the exercise.  An ``ExerciseRun`` plays a scenario with ``Participant`` users; its clock is the
append-only ``ClockEvent`` history (start, pause, resume, end) and the optional speed factor.
Each inject that became due is appended once to ``InjectDelivery`` (the delivery log).  An
advice-request inject creates an ``advice.AdviceRequest`` with ``exercise_run`` set: the real
advice process then runs in exercise mode and is kept out of every real list, register, public
page and the knowledge library.  After the run an ``Evaluation`` records what went well and what
not; its ``Lesson`` rows become playbook actions (``preparedness.PlaybookAction``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from paraat.preparedness.models import PlaybookAction

_USER = settings.AUTH_USER_MODEL


class InjectKind(models.TextChoices):
    VARIANT = "variant", _("nieuwe variant")
    INDICATOR = "indicator", _("indicatorbeweging")
    ADVICE_REQUEST = "advice_request", _("adviesaanvraag")
    MEASURES = "measures", _("maatregelen")
    MEDIA = "media", _("media")
    PARLIAMENT = "parliament", _("Tweede Kamer")
    OTHER = "other", _("overig")


class Scenario(models.Model):
    key = models.SlugField(_("sleutel"), max_length=100, unique=True)
    title = models.CharField(_("titel"), max_length=300)
    description = models.TextField(_("beschrijving"), blank=True)
    is_synthetic = models.BooleanField(_("synthetisch"), default=False)
    source_note = models.TextField(_("bronnen en licenties"), blank=True)
    created_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("oefenscenario")
        verbose_name_plural = _("oefenscenario's")
        permissions = [
            ("manage_exercises", _("oefeningen voorbereiden, leiden en evalueren")),
        ]

    def __str__(self) -> str:
        return self.title


class Inject(models.Model):
    """One scripted event, due ``offset_minutes`` after the start of the exercise."""

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="injects")
    offset_minutes = models.PositiveIntegerField(_("moment (minuten na de start)"))
    kind = models.CharField(_("soort"), max_length=20, choices=InjectKind.choices)
    title = models.CharField(_("titel"), max_length=300)
    content = models.TextField(_("inhoud"), blank=True)
    payload = models.JSONField(_("gegevens"), default=dict, blank=True)
    is_synthetic = models.BooleanField(_("synthetisch"), default=False)
    source_note = models.CharField(_("bron"), max_length=500, blank=True)
    real_date = models.DateField(_("werkelijke datum"), null=True, blank=True)

    class Meta:
        ordering = ["offset_minutes", "pk"]
        verbose_name = _("inject")
        verbose_name_plural = _("injects")

    def __str__(self) -> str:
        return self.title


class ExerciseRun(models.Model):
    scenario = models.ForeignKey(Scenario, on_delete=models.PROTECT, related_name="runs")
    title = models.CharField(_("titel"), max_length=300)
    speed_factor = models.DecimalField(
        _("tempo (oefenminuten per minuut)"), max_digits=8, decimal_places=2, default=1
    )
    participants = models.ManyToManyField(
        _USER, through="Participant", related_name="exercise_runs", blank=True
    )
    created_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("oefening")
        verbose_name_plural = _("oefeningen")

    def __str__(self) -> str:
        return self.title


class ExerciseRole(models.TextChoices):
    LEAD = "lead", _("oefenleider")
    SECRETARIAT = "secretariat", _("secretariaat")
    CHAIR = "chair", _("voorzitter")
    MEMBER = "member", _("lid")
    EXPERT = "expert", _("expert")
    OBSERVER = "observer", _("waarnemer")


class Participant(models.Model):
    run = models.ForeignKey(ExerciseRun, on_delete=models.CASCADE, related_name="participations")
    user = models.ForeignKey(_USER, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(_("rol in de oefening"), max_length=20, choices=ExerciseRole.choices)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["role", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["run", "user"], name="exercises_participant_unique")
        ]
        verbose_name = _("deelnemer")
        verbose_name_plural = _("deelnemers")

    def __str__(self) -> str:
        return f"{self.user} ({self.role})"


class ClockAction(models.TextChoices):
    START = "start", _("gestart")
    PAUSE = "pause", _("gepauzeerd")
    RESUME = "resume", _("hervat")
    END = "end", _("beëindigd")


class ClockEvent(models.Model):
    """Append-only history of the run's clock; the latest row is the run's state."""

    run = models.ForeignKey(ExerciseRun, on_delete=models.CASCADE, related_name="clock_events")
    action = models.CharField(_("actie"), max_length=10, choices=ClockAction.choices)
    at = models.DateTimeField(_("moment"))
    actor = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("klokgebeurtenis")
        verbose_name_plural = _("klokgebeurtenissen")

    def __str__(self) -> str:
        return f"{self.run_id}: {self.action}"


class InjectDelivery(models.Model):
    """Append-only delivery log: one row per inject delivered in a run."""

    run = models.ForeignKey(ExerciseRun, on_delete=models.CASCADE, related_name="deliveries")
    inject = models.ForeignKey(Inject, on_delete=models.PROTECT, related_name="deliveries")
    due_minutes = models.PositiveIntegerField(_("gepland (oefenminuten)"))
    delivered_at = models.DateTimeField(_("afgeleverd op"))
    exercise_minutes = models.PositiveIntegerField(_("afgeleverd (oefenminuten)"))
    advice_request = models.ForeignKey(
        "advice.AdviceRequest",
        verbose_name=_("adviesaanvraag (oefening)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["due_minutes", "inject__pk", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["run", "inject"], name="exercises_delivery_unique")
        ]
        verbose_name = _("afgeleverde inject")
        verbose_name_plural = _("afgeleverde injects")

    def __str__(self) -> str:
        return f"{self.run_id}: {self.inject_id}"


class Evaluation(models.Model):
    run = models.OneToOneField(ExerciseRun, on_delete=models.CASCADE, related_name="evaluation")
    went_well = models.TextField(_("wat ging goed"), blank=True)
    went_badly = models.TextField(_("wat ging niet goed"), blank=True)
    notes = models.TextField(_("overige opmerkingen"), blank=True)
    created_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("evaluatie")
        verbose_name_plural = _("evaluaties")

    def __str__(self) -> str:
        return f"{self.run}"


class Lesson(models.Model):
    """A lesson of the evaluation; it becomes a playbook action (``playbook_action``)."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="lessons")
    title = models.CharField(_("les"), max_length=300)
    description = models.TextField(_("toelichting"), blank=True)
    playbook_element = models.CharField(_("onderdeel draaiboek"), max_length=40, blank=True)
    playbook_action = models.ForeignKey(
        PlaybookAction,
        verbose_name=_("actie in het draaiboek"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("les")
        verbose_name_plural = _("lessen")

    def __str__(self) -> str:
        return self.title
