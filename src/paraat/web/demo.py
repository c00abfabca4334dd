"""Demo data for the whole site: fictional people, the NL catalog, the knowledge library, real
OxCGRT data, the societal picture (real NICE, sewage and stringency series; the rest
synthetic), the example assessments (with the rights data of the assessment framework) and the
advice process (the January 2023 China request replayed, and a synthetic request in progress)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import transaction

from paraat.accounts import roles
from paraat.accounts.models import User
from paraat.accounts.services import roles_sync, user_create
from paraat.activation.demo import activation_demo_load
from paraat.advice.demo import advice_demo_load
from paraat.assessments.demo import assessments_demo_load
from paraat.evidence.demo import knowledge_load
from paraat.exercises.demo import exercises_demo_load
from paraat.indicators.demo import indicators_demo_load
from paraat.measures.demo import nl_catalog_load
from paraat.measures.imports import oxcgrt_import_file
from paraat.network.demo import network_demo_load
from paraat.panels.demo import panels_demo_load
from paraat.preparedness.demo import preparedness_demo_load
from paraat.taxonomies.services import taxonomy_seed

DEMO_PASSWORD = "paraat-demo-wachtwoord"  # noqa: S105 - fictional demo accounts on localhost only

# Fictional people, one per role (three committee members, so that a vote can have a minority).
# Names are invented; no real person is meant.
DEMO_PEOPLE = [
    ("beheer", "Bea", "Heerkens", "SCP (fictief)", roles.ADMIN),
    ("cpo", "Chris", "Paraat", "SCP (fictief)", roles.CPO),
    ("voorzitter", "Vera", "Zitman", "Universiteit (fictief)", roles.CHAIR),
    ("lid", "Lars", "Idema", "Hogeschool (fictief)", roles.MEMBER),
    ("lid2", "Noor", "Stemberg", "Gemeente (fictief)", roles.MEMBER),
    ("lid3", "Daan", "Minderhout", "Adviesbureau (fictief)", roles.MEMBER),
    ("expert", "Eva", "Xpert", "Planbureau (fictief)", roles.EXPERT_MEMBER),
    ("extern", "Erik", "Sterman", "Kennisinstituut (fictief)", roles.EXTERNAL_EXPERT),
    ("kring", "Kim", "Ringma", "Praktijkorganisatie (fictief)", roles.CIRCLE_LEAD),
    ("szw", "Sanne", "Zwart", "Ministerie van SZW (fictief)", roles.SZW_OFFICER),
    ("analist", "Ali", "Nalist", "Ministerie (fictief)", roles.ANALYST),
]


def demo_users_create() -> list[User]:
    people = []
    for username, first, last, organisation, role in DEMO_PEOPLE:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = user_create(
                username=username,
                email=f"{username}@example.org",
                password=DEMO_PASSWORD,
                first_name=first,
                last_name=last,
                organisation=organisation,
                roles=[role],
                is_fictional=True,
                # The beheerder works in the admin (/beheer/) with the rights of the role only:
                # staff, never a superuser (docs/permissions.md).
                is_staff=(role == roles.ADMIN),
            )
        people.append(user)
    return people


@transaction.atomic
def demo_load(*, data_dir: Path | None = None) -> dict[str, object]:
    data_dir = data_dir or settings.PARAAT_SHARED_DATA_DIR
    roles_sync()
    summary: dict[str, object] = {"users": len(demo_users_create())}
    summary["taxonomies"] = taxonomy_seed()
    summary.update(nl_catalog_load())
    summary["knowledge"] = knowledge_load()
    oxcgrt_dir = data_dir / "oxcgrt"
    imported = {}
    for path in sorted(oxcgrt_dir.glob("OxCGRT_*.csv")):
        imported[path.name] = oxcgrt_import_file(path=path)["rows"]
    summary["oxcgrt"] = imported
    summary["indicators"] = indicators_demo_load(data_dir=data_dir)
    summary["assessments"] = assessments_demo_load()
    summary["advice"] = advice_demo_load()
    # Issue 7, in dependency order: people, then the playbook that activation and exercises use.
    summary["network"] = network_demo_load()
    summary["panels"] = panels_demo_load()
    summary["preparedness"] = preparedness_demo_load()
    summary["activation"] = activation_demo_load()
    summary["exercises"] = exercises_demo_load()
    return summary
