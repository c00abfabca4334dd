"""A decree member names the person (kept, anonymised if erased); the card-index entry may go.

The network's erasure removes card-index entries; a decree member must not block that, so the
candidate link becomes optional (SET_NULL) and the person is stored on the member itself."""

import django.db.models.deletion
from django.db import migrations, models


def fill_person(apps, schema_editor):
    member_model = apps.get_model("activation", "DecreeMember")
    for member in member_model.objects.select_related("candidate"):
        member.person_id = member.candidate.person_id
        member.save(update_fields=["person"])


class Migration(migrations.Migration):
    dependencies = [
        ("activation", "0003_decree_ends_on"),
        ("network", "0001_initial"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="decreemember", name="activation_decree_member"),
        migrations.AddField(
            model_name="decreemember",
            name="person",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="decree_memberships",
                to="network.person",
                verbose_name="persoon",
            ),
        ),
        migrations.RunPython(fill_person, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="decreemember",
            name="person",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="decree_memberships",
                to="network.person",
                verbose_name="persoon",
            ),
        ),
        migrations.AlterField(
            model_name="decreemember",
            name="candidate",
            field=models.ForeignKey(
                blank=True,
                help_text="Leeg als de kandidaat later uit de kaartenbak is verwijderd.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="network.candidate",
                verbose_name="kandidaat (kaartenbak)",
            ),
        ),
        migrations.AddConstraint(
            model_name="decreemember",
            constraint=models.UniqueConstraint(
                fields=("decree", "person"), name="activation_decree_person"
            ),
        ),
    ]
