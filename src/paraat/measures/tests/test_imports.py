from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paraat.accounts import roles
from paraat.accounts.services import roles_sync
from paraat.accounts.tests.factories import UserFactory
from paraat.jobs.models import Job, JobStatus
from paraat.measures.imports import OxcgrtImportError, oxcgrt_import_file
from paraat.measures.models import IndexValue, Jurisdiction, PolicyRecord

pytestmark = pytest.mark.django_db
GBR = "OxCGRT_fullwithnotes_GBR_national_2020.csv"


@pytest.fixture
def oxcgrt(shared_data: Path) -> Path:
    return shared_data / "oxcgrt"


def test_import_full_file_stores_records_and_matching_indices(oxcgrt: Path) -> None:
    result = oxcgrt_import_file(path=oxcgrt / GBR)
    assert result["rows"] == 366 and result["published_columns"] == 13
    gbr = Jurisdiction.objects.get(country_code="GBR", region_code="", kind="NAT_TOTAL")
    c6 = PolicyRecord.objects.get(
        jurisdiction=gbr, date=dt.date(2020, 4, 10), indicator="C6", applies_to="everyone"
    )
    assert (c6.value, c6.flag) == (2, 1)
    computed = IndexValue.objects.get(
        jurisdiction=gbr,
        date=dt.date(2020, 4, 10),
        index="StringencyIndex_WeightedAverage",
        source="computed",
    )
    published = IndexValue.objects.get(
        jurisdiction=gbr,
        date=dt.date(2020, 4, 10),
        index="StringencyIndex_WeightedAverage",
        source="published",
    )
    assert computed.value == published.value == 79.63
    # Importing again replaces, it does not duplicate.
    oxcgrt_import_file(path=oxcgrt / GBR)
    assert PolicyRecord.objects.filter(jurisdiction=gbr).count() == result["policy_records"]


def test_import_timeseries_file(oxcgrt: Path) -> None:
    result = oxcgrt_import_file(path=oxcgrt / "OxCGRT_timeseries_StringencyIndex_v1_selection.csv")
    assert result["jurisdictions"] == 11
    nl = Jurisdiction.objects.get(country_code="NLD", region_code="")
    assert nl.name == "Netherlands"
    england = Jurisdiction.objects.get(country_code="GBR", region_code="UK_ENG")
    assert england.kind == "STATE_TOTAL"
    value = IndexValue.objects.get(
        jurisdiction=nl, date=dt.date(2021, 1, 23), index="StringencyIndex_Average"
    )
    assert value.value > 80  # curfew period


def _bad_copy(tmp_path: Path, oxcgrt: Path) -> Path:
    lines = (oxcgrt / GBR).read_text(encoding="utf-8").splitlines(keepends=True)
    lines[10] = lines[10].replace(",20200110,", ",2020-01-10,", 1)
    bad = tmp_path / "kapot.csv"
    bad.write_text("".join(lines), encoding="utf-8")
    return bad


def test_bad_row_names_file_row_and_column_and_writes_nothing(tmp_path: Path, oxcgrt: Path) -> None:
    with pytest.raises(OxcgrtImportError) as info:
        oxcgrt_import_file(path=_bad_copy(tmp_path, oxcgrt))
    message = str(info.value)
    assert "kapot.csv" in message and "11" in message and "Date" in message
    assert not PolicyRecord.objects.exists() and not IndexValue.objects.exists()


def test_cli_import_and_indices(tmp_path: Path, oxcgrt: Path) -> None:
    out = io.StringIO()
    call_command("oxcgrt", "import", str(oxcgrt / GBR), stdout=out, stderr=io.StringIO())
    assert "366" in out.getvalue()
    target = tmp_path / "uit.csv"
    call_command("oxcgrt", "indices", str(oxcgrt / GBR), "-o", str(target), stdout=io.StringIO())
    header = target.read_text().splitlines()[0].split(",")
    assert header[:4] == ["CountryCode", "RegionCode", "Jurisdiction", "Date"]
    assert "EconomicSupportIndex" in header
    with pytest.raises(CommandError, match=r"kapot\.csv"):
        call_command(
            "oxcgrt", "indices", str(_bad_copy(tmp_path, oxcgrt)), "-o", str(tmp_path / "x.csv")
        )
    assert not (tmp_path / "x.csv").exists()


def test_cli_indices_exits_non_zero_with_file_row_column(tmp_path: Path, oxcgrt: Path) -> None:
    import subprocess
    import sys

    bad = _bad_copy(tmp_path, oxcgrt)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "paraat.cli",
            "oxcgrt",
            "indices",
            str(bad),
            "-o",
            str(tmp_path / "o.csv"),
        ],
        capture_output=True,
        text=True,
        env={**__import__("os").environ, "DJANGO_SETTINGS_MODULE": "paraat.conf.test"},
    )
    assert result.returncode != 0
    assert "kapot.csv" in result.stderr and "Date" in result.stderr


def test_upload_runs_as_background_job_with_progress(
    client, oxcgrt: Path, django_capture_on_commit_callbacks
) -> None:
    roles_sync()
    client.force_login(UserFactory(roles=[roles.CPO]))
    with (oxcgrt / GBR).open("rb") as handle, django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("measures:oxcgrt_import"), {"file": handle})
    assert response.status_code == 302
    job = Job.objects.get()
    assert job.status == JobStatus.SUCCEEDED and job.percent == 100
    assert job.result["rows"] == 366
    page = client.get(response["Location"]).content.decode()
    assert "366" in page
    status = client.get(reverse("jobs:status", args=[job.pk])).json()
    assert status["finished"] and status["percent"] == 100
    assert not list(Path(job.params["path"]).parent.glob("*.csv"))  # upload removed


def test_upload_of_a_bad_file_fails_cleanly(
    client, tmp_path: Path, oxcgrt: Path, django_capture_on_commit_callbacks
) -> None:
    roles_sync()
    client.force_login(UserFactory(roles=[roles.CPO]))
    with (
        _bad_copy(tmp_path, oxcgrt).open("rb") as handle,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(reverse("measures:oxcgrt_import"), {"file": handle})
    job = Job.objects.get()
    assert job.status == JobStatus.FAILED
    assert "kapot.csv" in job.error and "Date" in job.error
    page = client.get(response["Location"]).content.decode()
    assert "Er is niets opgeslagen" in page
    assert not PolicyRecord.objects.exists()


def test_import_page_needs_the_right(client) -> None:
    roles_sync()
    client.force_login(UserFactory(roles=[roles.ANALYST]))
    assert client.get(reverse("measures:oxcgrt_import")).status_code == 403


def test_non_csv_upload_is_refused_with_a_message(client) -> None:
    roles_sync()
    client.force_login(UserFactory(roles=[roles.CPO]))
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("data.xlsx", b"PK\x03\x04")
    response = client.post(reverse("measures:oxcgrt_import"), {"file": upload})
    assert response.status_code == 200
    assert "Alleen CSV-bestanden" in response.content.decode()


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.binary(max_size=400) | st.text(max_size=400).map(lambda t: t.encode("utf-8")))
def test_fuzz_any_upload_gives_a_message_never_a_crash(tmp_path_factory, data: bytes) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "fuzz.csv"
    path.write_bytes(b"CountryCode,Date,C1E_School closing,C1E_Flag\n" + data)
    try:
        oxcgrt_import_file(path=path)
    except OxcgrtImportError as exc:
        assert "fuzz.csv" in str(exc)
    shutil.rmtree(path.parent, ignore_errors=True)


def test_jurisdiction_pages_show_computed_and_published_series(client, oxcgrt: Path) -> None:
    oxcgrt_import_file(path=oxcgrt / GBR)
    gbr = Jurisdiction.objects.get(country_code="GBR", region_code="")
    listing = client.get(reverse("measures:jurisdiction_list")).content.decode()
    assert "United Kingdom" in listing or "GBR" in listing
    url = reverse("measures:jurisdiction_detail", args=[gbr.pk])
    page = client.get(
        url + "?index=StringencyIndex_WeightedAverage&day=2020-04-10"
    ).content.decode()
    assert "79.63" in page.replace(",", ".")
    assert "C6" in page and "chart-data" in page
    csv_text = client.get(
        url + "?index=StringencyIndex_WeightedAverage&format=csv"
    ).content.decode()
    assert csv_text.splitlines()[0] == (
        "date,StringencyIndex_WeightedAverage (published),"
        "StringencyIndex_WeightedAverage (computed)"
    )
    assert "2020-04-10,79.63,79.63" in csv_text
    assert client.get(url + "?day=kapot&index=<script>").status_code == 200
    assert client.get(reverse("measures:jurisdiction_detail", args=[99999])).status_code == 404
