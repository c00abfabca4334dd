"""The default operational checklist (editable afterwards as ``ChecklistDefault`` rows)."""

from django.db import migrations

DEFAULTS = (
    "Huisvesting geregeld (werkplekken en vergaderruimte)",
    "IT-accounts aangemaakt voor leden en secretariaat",
    "Beveiligde e-mail ingericht",
    "Documentsysteem ingericht (dossier en archivering)",
    "Eerste vergadering gepland",
    "Afspraak over informatie-uitwisseling met het OMT vastgelegd",
    "Verklaringen van belangen van de leden ontvangen",
    "Vergoedingsregeling en budget vastgesteld",
)


def load(apps, schema_editor):
    model = apps.get_model("activation", "ChecklistDefault")
    for order, title in enumerate(DEFAULTS, start=1):
        model.objects.get_or_create(title=title, defaults={"order": order * 10})


class Migration(migrations.Migration):
    dependencies = [("activation", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
