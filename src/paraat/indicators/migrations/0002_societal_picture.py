"""Indicator definitions for the societal picture; observations get period codes, status and
vintage (revisions append rows); import batches and the release calendar."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

FREQUENCIES = {
    "daily": "day",
    "weekly": "week",
    "monthly": "month",
    "quarterly": "quarter",
    "yearly": "year",
}


def forward(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    Observation = apps.get_model("indicators", "Observation")
    for old, new in FREQUENCIES.items():
        Indicator.objects.filter(frequency=old).update(frequency=new)
    Observation.objects.filter(is_provisional=True).update(status="provisional")
    Observation.objects.update(vintage=models.F("recorded_at"), period_end=models.F("period_start"))
    # Until now every observation was a day; its code is the ISO date.
    for pk, start in Observation.objects.values_list("pk", "period_start").iterator():
        Observation.objects.filter(pk=pk).update(period_code=start.isoformat())


def backward(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    Observation = apps.get_model("indicators", "Observation")
    for old, new in FREQUENCIES.items():
        Indicator.objects.filter(frequency=new).update(frequency=old)
    Observation.objects.filter(status="provisional").update(is_provisional=True)


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="indicator",
            name="frequency",
            field=models.CharField(
                choices=[
                    ("day", "dagelijks"),
                    ("week", "wekelijks"),
                    ("month", "maandelijks"),
                    ("quarter", "per kwartaal"),
                    ("half_year", "per halfjaar"),
                    ("year", "jaarlijks"),
                ],
                default="day",
                max_length=20,
                verbose_name="frequentie",
            ),
        ),
        migrations.AlterField(
            model_name="indicator",
            name="key",
            field=models.SlugField(max_length=100, unique=True, verbose_name="code"),
        ),
        migrations.AddField(
            model_name="indicator",
            name="polarity",
            field=models.CharField(
                choices=[
                    ("higher_better", "hoger is beter"),
                    ("higher_worse", "hoger is slechter"),
                    ("neutral", "geen oordeel"),
                ],
                default="neutral",
                max_length=20,
                verbose_name="richting",
            ),
        ),
        migrations.AddField(
            model_name="indicator",
            name="publication_lag_days",
            field=models.PositiveIntegerField(
                default=0, verbose_name="verwachte publicatievertraging (dagen)"
            ),
        ),
        migrations.AddField(
            model_name="indicator",
            name="speed",
            field=models.CharField(
                choices=[("fast", "snelle data"), ("slow", "trage data")],
                default="slow",
                max_length=10,
                verbose_name="snelheid",
            ),
        ),
        migrations.AddField(
            model_name="indicator",
            name="source_url",
            field=models.URLField(blank=True, max_length=500, verbose_name="bronadres"),
        ),
        migrations.AddField(
            model_name="indicator",
            name="source_table",
            field=models.CharField(blank=True, max_length=100, verbose_name="brontabel"),
        ),
        migrations.AddField(
            model_name="indicator",
            name="source_topic",
            field=models.CharField(
                blank=True, max_length=200, verbose_name="onderwerp in de brontabel"
            ),
        ),
        migrations.AddField(
            model_name="indicator",
            name="method_note",
            field=models.TextField(blank=True, verbose_name="methode"),
        ),
        migrations.AddField(
            model_name="indicator",
            name="breakdowns",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text="Per dimensie de titel en de labels van de sleutels.",
                verbose_name="beschikbare uitsplitsingen",
            ),
        ),
        migrations.AddField(
            model_name="indicator",
            name="threshold_warning",
            field=models.FloatField(blank=True, null=True, verbose_name="drempel waarschuwing"),
        ),
        migrations.AddField(
            model_name="indicator",
            name="threshold_alert",
            field=models.FloatField(blank=True, null=True, verbose_name="drempel alarm"),
        ),
        migrations.CreateModel(
            name="ImportBatch",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("source_kind", models.CharField(max_length=30, verbose_name="soort bron")),
                ("name", models.CharField(max_length=255, verbose_name="naam")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("report", models.JSONField(default=dict, verbose_name="importverslag")),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "indicatorimport",
                "verbose_name_plural": "indicatorimports",
                "ordering": ["-created_at"],
            },
        ),
        migrations.CreateModel(
            name="ReleaseDate",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("expected_on", models.DateField(verbose_name="verwachte publicatie")),
                (
                    "period_code",
                    models.CharField(blank=True, max_length=20, verbose_name="periode"),
                ),
                ("note", models.CharField(blank=True, max_length=200, verbose_name="toelichting")),
                (
                    "indicator",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="releases",
                        to="indicators.indicator",
                    ),
                ),
            ],
            options={
                "verbose_name": "publicatiedatum",
                "verbose_name_plural": "publicatiekalender",
                "ordering": ["indicator", "expected_on"],
            },
        ),
        migrations.AddConstraint(
            model_name="releasedate",
            constraint=models.UniqueConstraint(
                fields=("indicator", "expected_on"), name="indicators_release_unique"
            ),
        ),
        migrations.AddField(
            model_name="observation",
            name="period_code",
            field=models.CharField(default="", max_length=20),
        ),
        migrations.AddField(
            model_name="indicator",
            name="headline_breakdown",
            field=models.CharField(
                blank=True,
                help_text="De uitsplitsing die het dashboard als hoofdreeks toont (leeg: geen).",
                max_length=500,
                verbose_name="hoofdreeks",
            ),
        ),
        migrations.AddField(
            model_name="observation",
            name="frequency",
            field=models.CharField(
                choices=[
                    ("day", "dagelijks"),
                    ("week", "wekelijks"),
                    ("month", "maandelijks"),
                    ("quarter", "per kwartaal"),
                    ("half_year", "per halfjaar"),
                    ("year", "jaarlijks"),
                ],
                default="day",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="observation",
            name="period_end",
            field=models.DateField(null=True),
        ),
        migrations.AddField(
            model_name="observation",
            name="status",
            field=models.CharField(
                choices=[
                    ("provisional", "voorlopig"),
                    ("revised_provisional", "nader voorlopig"),
                    ("final", "definitief"),
                    ("revised", "herzien"),
                ],
                default="final",
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="observation",
            name="vintage",
            field=models.DateTimeField(null=True),
        ),
        migrations.AddField(
            model_name="observation",
            name="batch",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="indicators.importbatch",
            ),
        ),
        migrations.AlterField(
            model_name="observation",
            name="breakdown",
            field=models.CharField(blank=True, default="", max_length=500),
        ),
        migrations.RunPython(forward, backward),
        migrations.AlterField(
            model_name="observation",
            name="vintage",
            field=models.DateTimeField(),
        ),
        migrations.RemoveField(model_name="observation", name="is_provisional"),
        migrations.RemoveIndex(model_name="observation", name="indicators__indicat_82b7b6_idx"),
        migrations.AddIndex(
            model_name="observation",
            index=models.Index(
                fields=["indicator", "breakdown", "period_start", "vintage"],
                name="indicators_obs_series",
            ),
        ),
        migrations.AlterModelOptions(
            name="observation",
            options={"ordering": ["indicator", "period_start", "vintage"]},
        ),
    ]
