"""Seed the disciplines of the expert pool named in issue 7 (editable data afterwards)."""

from django.db import migrations

DISCIPLINES = (
    ("public-order-safety", "openbare orde en veiligheid", "public order and safety"),
    ("human-rights", "mensenrechten", "human rights"),
    ("public-health-lifestyle", "publieke gezondheid en leefstijl", "public health and lifestyle"),
    ("mental-health", "mentale gezondheid", "mental health"),
    ("care", "zorg", "care"),
    ("education", "onderwijs", "education"),
    (
        "innovation-entrepreneurship",
        "innovatie en ondernemerschap",
        "innovation and entrepreneurship",
    ),
    ("sport", "sport", "sport"),
    ("culture", "cultuur", "culture"),
    ("media", "media", "media"),
    ("international", "internationaal", "international"),
    ("economics", "economie", "economics"),
    ("behaviour", "gedrag", "behaviour"),
    ("law", "recht", "law"),
)


def forward(apps, schema_editor):  # type: ignore[no-untyped-def]
    discipline = apps.get_model("network", "Discipline")
    for position, (key, name_nl, name_en) in enumerate(DISCIPLINES, start=1):
        discipline.objects.get_or_create(
            key=key, defaults={"name_nl": name_nl, "name_en": name_en, "position": position}
        )


def backward(apps, schema_editor):  # type: ignore[no-untyped-def]
    discipline = apps.get_model("network", "Discipline")
    discipline.objects.filter(key__in=[key for key, _nl, _en in DISCIPLINES]).delete()


class Migration(migrations.Migration):
    dependencies = [("network", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
