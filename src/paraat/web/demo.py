"""Demo data for the whole site: fictional people, the NL catalog, real OxCGRT and NICE data."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import transaction

from paraat.accounts import roles
from paraat.accounts.models import Confidentiality, User
from paraat.accounts.services import roles_sync, user_create
from paraat.evidence.demo import knowledge_load
from paraat.indicators.services import indicator_upsert, observations_import_csv
from paraat.measures.demo import nl_catalog_load
from paraat.measures.imports import oxcgrt_import_file
from paraat.taxonomies.services import taxonomy_seed

DEMO_PASSWORD = "paraat-demo-wachtwoord"  # noqa: S105 - fictional demo accounts on localhost only

# Fictional people, one per role. Names are invented; no real person is meant.
DEMO_PEOPLE = [
    ("beheer", "Bea", "Heerkens", "SCP (fictief)", roles.ADMIN),
    ("cpo", "Chris", "Paraat", "SCP (fictief)", roles.CPO),
    ("voorzitter", "Vera", "Zitman", "Universiteit (fictief)", roles.CHAIR),
    ("lid", "Lars", "Idema", "Hogeschool (fictief)", roles.MEMBER),
    ("expert", "Eva", "Xpert", "Planbureau (fictief)", roles.EXPERT_MEMBER),
    ("extern", "Erik", "Sterman", "Kennisinstituut (fictief)", roles.EXTERNAL_EXPERT),
    ("kring", "Kim", "Ringma", "Praktijkorganisatie (fictief)", roles.CIRCLE_LEAD),
    ("szw", "Sanne", "Zwart", "Ministerie van SZW (fictief)", roles.SZW_OFFICER),
    ("analist", "Ali", "Nalist", "Ministerie (fictief)", roles.ANALYST),
]

NICE = {
    "nice-hospital-admissions": (
        "hospital_admissions",
        "Covid-ziekenhuisopnames per dag",
        "Covid hospital admissions per day",
    ),
    "nice-hospital-admissions-7d": (
        "hospital_admissions_7d_avg",
        "Covid-ziekenhuisopnames, 7-daags gemiddelde",
        "Covid hospital admissions, 7-day average",
    ),
    "nice-ic-admissions": (
        "ic_admissions",
        "Covid-IC-opnames per dag",
        "Covid ICU admissions per day",
    ),
    "nice-ic-admissions-7d": (
        "ic_admissions_7d_avg",
        "Covid-IC-opnames, 7-daags gemiddelde",
        "Covid ICU admissions, 7-day average",
    ),
}
NICE_SOURCE = (
    "Coronadashboard, Rijksoverheid (RIVM, Stichting NICE): ziekenhuis- en IC-opnames "
    "(NICE-registratie)"
)


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
                is_superuser=(role == roles.ADMIN),
            )
        people.append(user)
    return people


def nice_load(*, data_dir: Path) -> int:
    path = data_dir / "coronadashboard" / "nl_hospital_admissions_nice.csv"
    total = 0
    for key, (column, name_nl, name_en) in NICE.items():
        indicator = indicator_upsert(
            key=key,
            name_nl=name_nl,
            name_en=name_en,
            unit="opnames per dag",
            source=NICE_SOURCE,
            licence="Rijksoverheid, open data",
            confidentiality=Confidentiality.PUBLIC,
        )
        if not indicator.observations.exists():
            total += observations_import_csv(
                indicator=indicator, path=path, date_column="date", value_column=column
            )
    return total


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
    summary["nice_observations"] = nice_load(data_dir=data_dir)
    return summary
