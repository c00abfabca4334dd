"""Regression tests for findings of the code review (security, import correctness)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from rest_framework.authtoken.models import Token

from paraat.accounts import roles
from paraat.accounts.models import Confidentiality
from paraat.accounts.services import api_token_regenerate, roles_sync
from paraat.accounts.tests.factories import UserFactory
from paraat.measures import services
from paraat.measures.imports import OxcgrtImportError, oxcgrt_import_file
from paraat.measures.models import IndexValue, Jurisdiction
from paraat.measures.tests.factories import MeasureFactory, PackageFactory, PackageItemFactory

pytestmark = pytest.mark.django_db
GBR = "OxCGRT_fullwithnotes_GBR_national_2020.csv"
TS = "OxCGRT_timeseries_StringencyIndex_v1_selection.csv"


def _edit(source: Path, target: Path, line: int, old: str, new: str) -> Path:
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    assert old in lines[line]
    lines[line] = lines[line].replace(old, new, 1)
    target.write_text("".join(lines), encoding="utf-8")
    return target


def test_api_tokens_never_enter_the_audit_trail() -> None:
    user = UserFactory()
    token = api_token_regenerate(user=user)
    assert not LogEntry.objects.filter(object_pk=token.key).exists()
    assert not LogEntry.objects.filter(object_repr__contains=token.key).exists()
    assert Token.objects.filter(user=user).exists()


def test_logged_in_without_a_role_sees_only_public_items(client) -> None:
    MeasureFactory(
        key="intern-m", name_nl="InterneMaatregel", confidentiality=Confidentiality.INTERNAL
    )
    client.force_login(UserFactory())  # no role
    assert "InterneMaatregel" not in client.get("/maatregelen/").content.decode()
    roles_sync()
    client.force_login(UserFactory(roles=[roles.ANALYST]))
    assert "InterneMaatregel" in client.get("/maatregelen/").content.decode()


def test_history_only_for_trusted_roles(client) -> None:
    roles_sync()
    measure = MeasureFactory(key="hist", name_nl="Oud", confidentiality=Confidentiality.PUBLIC)
    services.measure_update(
        measure=measure,
        data=services.MeasureData(
            key="hist",
            name_nl="Nieuw",
            oxcgrt_indicator="C1",
            level=3,
            geographic_scope="general",
            confidentiality=Confidentiality.PUBLIC,
        ),
    )
    client.force_login(UserFactory(roles=[roles.EXTERNAL_EXPERT]))
    assert "Wijzigingsgeschiedenis" not in client.get("/maatregelen/hist/").content.decode()
    client.force_login(UserFactory(roles=[roles.CPO]))
    assert "Wijzigingsgeschiedenis" in client.get("/maatregelen/hist/").content.decode()


def test_package_counts_only_visible_measures(client) -> None:
    package = PackageFactory(key="telling")
    PackageItemFactory(package=package, measure=MeasureFactory(key="pub"))
    PackageItemFactory(
        package=package,
        measure=MeasureFactory(key="geheim", confidentiality=Confidentiality.CONFIDENTIAL),
    )
    page = client.get("/pakketten/").content.decode()
    row = page[page.index("/pakketten/telling/") :]
    assert '<td class="num">1</td>' in row[:600]


def test_new_records_are_internal_by_default(client) -> None:
    roles_sync()
    client.force_login(UserFactory(roles=[roles.CPO]))
    response = client.post(
        "/api/v1/measures/",
        {"key": "nieuw", "name_nl": "Nieuw", "category": "other"},
        content_type="application/json",
    )
    assert response.json()["confidentiality"] == "internal"


def test_daily_import_keeps_published_time_series(shared_data: Path) -> None:
    oxcgrt_import_file(path=shared_data / "oxcgrt" / TS)
    gbr = Jurisdiction.objects.get(country_code="GBR", region_code="")
    before = IndexValue.objects.filter(jurisdiction=gbr, index="StringencyIndex_Average").count()
    oxcgrt_import_file(path=shared_data / "oxcgrt" / GBR)
    after = IndexValue.objects.filter(jurisdiction=gbr, index="StringencyIndex_Average").count()
    assert before == after > 1000


def test_non_finite_published_value_is_refused(tmp_path: Path, shared_data: Path) -> None:
    source = shared_data / "oxcgrt" / GBR
    header = source.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header[-1] == "EconomicSupportIndex"
    bad = _edit(source, tmp_path / "nan.csv", 5, ",0.00\n", ",nan\n")
    with pytest.raises(OxcgrtImportError, match=r"nan\.csv, rij 6, kolom 'EconomicSupportIndex'"):
        oxcgrt_import_file(path=bad)
    assert not IndexValue.objects.exists()


def test_bad_country_code_names_row_and_column(tmp_path: Path, shared_data: Path) -> None:
    bad = _edit(shared_data / "oxcgrt" / GBR, tmp_path / "land.csv", 3, ",GBR,", ",GBRX,")
    with pytest.raises(OxcgrtImportError, match=r"land\.csv, rij 4, kolom 'CountryCode'"):
        oxcgrt_import_file(path=bad)


def test_progress_is_reported_before_storing(shared_data: Path) -> None:
    calls: list[tuple[int, int, str]] = []
    oxcgrt_import_file(path=shared_data / "oxcgrt" / GBR, progress=lambda *a: calls.append(a))
    assert calls and calls[-1][0] == 70 and "opslaan" in calls[-1][2]
    assert [c[0] for c in calls] == sorted(c[0] for c in calls)


def test_long_upload_name_and_odd_audit_filter_are_no_server_errors(
    client, shared_data: Path, django_capture_on_commit_callbacks
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    roles_sync()
    client.force_login(UserFactory(roles=[roles.ADMIN]))
    data = (shared_data / "oxcgrt" / GBR).read_bytes()
    upload = SimpleUploadedFile("x" * 300 + ".csv", data)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("measures:oxcgrt_import"), {"file": upload})
    assert response.status_code == 302
    assert client.get("/audit/?action=²").status_code == 200


def test_timeline_shows_both_reconstructions_when_rules_differ(client) -> None:
    from paraat.measures.tests.factories import JurisdictionFactory

    nl = JurisdictionFactory()
    package = PackageFactory(
        jurisdiction=nl,
        start_date=dt.date(2021, 11, 1),
        end_date=None,
        vaccination_differentiation=True,
    )
    m = MeasureFactory(key="horeca", oxcgrt_indicator="C2", level=2)
    PackageItemFactory(package=package, measure=m, applies_to="non_vaccinated", level=2)
    PackageItemFactory(package=package, measure=m, applies_to="vaccinated", level=1)
    page = client.get("/tijdlijn/?day=2021-11-20").content.decode()
    assert "voor niet-gevaccineerden" in page and "idem, voor gevaccineerden" in page
