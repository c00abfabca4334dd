"""The management pages of the societal picture: imports as jobs, refresh, recompute, signal
rules and the digest subscription."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import stat
import zipfile
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from paraat.accounts import roles
from paraat.accounts.services import roles_sync
from paraat.accounts.tests.factories import UserFactory
from paraat.indicators.imports import ZipImportError, statline_zip_extract
from paraat.indicators.models import (
    CompositeIndex,
    CompositeRun,
    ImportBatch,
    Indicator,
    Observation,
    SignalRule,
    SignalSubscription,
)
from paraat.indicators.services import (
    ObservationInput,
    composite_index_save,
    observations_store,
)
from paraat.indicators.tests.factories import IndicatorFactory
from paraat.jobs.models import Job
from paraat.taxonomies.services import taxonomy_seed
from paraat.taxonomies.tests.factories import DomainFactory
from paraat_core.periods import parse_period

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/inloggen/"
TABLE = "83262NED"


@pytest.fixture
def users():  # type: ignore[no-untyped-def]
    roles_sync()
    return {
        "analyst": UserFactory(username="analist", roles=[roles.ANALYST]),
        "cpo": UserFactory(username="cpo", roles=[roles.CPO]),
        "admin": UserFactory(username="beheer", roles=[roles.ADMIN]),
    }


@pytest.fixture
def media_root(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _status(client, user, url: str, method: str = "get", data=None) -> int | str:  # type: ignore[no-untyped-def]
    """The status code, or "login" for a redirect to the login page."""
    client.logout()
    if user is not None:
        client.force_login(user)
    response = getattr(client, method)(url, data or {})
    if response.status_code == 302 and response.url.startswith(LOGIN + "?next="):
        return "login"
    return response.status_code


def _table_zip(shared_data: Path, *, folder: str = "", change=None, extra=()) -> bytes:  # type: ignore[no-untyped-def]
    """A ZIP of the StatLine sample table; ``change(name, text)`` may rewrite a file."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted((shared_data / "cbs-odata-samples" / TABLE).iterdir()):
            text = path.read_text(encoding="utf-8")
            if change is not None:
                text = change(path.name, text)
            archive.writestr(f"{folder}{path.name}", text)
        for name, data in extra:
            archive.writestr(name, data)
    return buffer.getvalue()


def _upload(client, django_capture_on_commit_callbacks, data: dict):  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("indicator_manage:import"), data)
    return response


# --- who may do what ----------------------------------------------------------------------------


def test_pages_by_role(client, users) -> None:  # type: ignore[no-untyped-def]
    batch = ImportBatch.objects.create(source_kind="csv", name="x.csv", report={})
    rule = SignalRule.objects.create(indicator=IndicatorFactory(), kind="threshold")
    index = CompositeIndex.objects.create(key="idx", name_nl="Index", start_period="2020MM01")
    analyst, cpo, admin = users["analyst"], users["cpo"], users["admin"]
    manage_pages = [
        reverse("indicator_manage:overview"),
        reverse("indicator_manage:import"),
        reverse("indicator_manage:import_report", args=[batch.pk]),
        reverse("indicator_manage:rule_create"),
    ]
    posts = [
        reverse("indicator_manage:refresh"),
        reverse("indicator_manage:composite_recompute", args=[index.key]),
        reverse("indicator_manage:rule_set_active", args=[rule.pk]),
    ]
    subscription = reverse("indicator_manage:subscription")
    assert subscription == "/maatschappelijk-beeld/beheer/abonnement/"
    for url in [*manage_pages, subscription]:
        assert _status(client, None, url) == "login", url
    for url in posts:
        assert _status(client, None, url, "post") == "login", url
    for url in manage_pages:
        assert _status(client, analyst, url) == 403, url
        assert _status(client, cpo, url) == 200, url
        assert _status(client, admin, url) == 200, url
    for url in posts:
        assert _status(client, analyst, url, "post") == 403, url
    assert not Job.objects.exists()
    assert SignalRule.objects.get().is_active
    assert _status(client, analyst, subscription) == 200
    assert _status(client, cpo, reverse("indicator_manage:import_report", args=[999999])) == 404
    # buttons change state: never on GET
    assert _status(client, cpo, reverse("indicator_manage:refresh")) == 405


def test_overview_lists_batches_indices_and_rules(client, users) -> None:  # type: ignore[no-untyped-def]
    indicator = IndicatorFactory(key="werkloosheid", name_nl="Werkloosheid")
    ImportBatch.objects.create(
        source_kind="cbs",
        name="83262NED Wmo-cliënten",
        created_by=users["cpo"],
        report={"added": 110, "revised": 3, "unchanged": 7, "rejected": [{"row": 2}]},
    )
    SignalRule.objects.create(indicator=indicator, kind="threshold", params={"warning": 5})
    CompositeIndex.objects.create(key="welzijn", name_nl="Welzijnsindex", start_period="2020MM01")
    client.force_login(users["cpo"])
    page = client.get(reverse("indicator_manage:overview")).content.decode()
    assert "83262NED Wmo-cliënten" in page and str(users["cpo"]) in page
    assert re.search(
        r'<td class="num">110</td><td class="num">3</td><td class="num">7</td>'
        r'<td class="num">1</td>',
        page,
    )
    assert "Welzijnsindex" in page and "nog nooit" in page and "Herberekenen" in page
    assert "Werkloosheid" in page and "warning=5" in page and "Uitzetten" in page
    assert "Nu verversen" in page


# --- imports ------------------------------------------------------------------------------------


def test_statline_zip_runs_through_the_job_and_the_report_lists_counts(  # type: ignore[no-untyped-def]
    client, users, media_root, shared_data, django_capture_on_commit_callbacks
) -> None:
    client.force_login(users["cpo"])
    upload = SimpleUploadedFile(f"{TABLE}.zip", _table_zip(shared_data, folder=f"{TABLE}/"))
    response = _upload(
        client, django_capture_on_commit_callbacks, {"kind": "statline", "file": upload}
    )
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == reverse("jobs:detail", args=[job.pk])
    assert job.status == "succeeded", job.error
    batch = ImportBatch.objects.get()
    assert batch.created_by == users["cpo"] and batch.source_kind == "cbs"
    assert job.result["added"] == 110 and job.result["rejected"] == 0
    assert job.result["batch_id"] == batch.pk
    assert Observation.objects.count() == 110
    report_url = reverse("indicator_manage:import_report", args=[batch.pk])
    assert report_url == f"/maatschappelijk-beeld/beheer/import/{batch.pk}/"
    assert f'href="{report_url}"' in client.get(response.url).content.decode()
    assert not any((media_root / "imports").iterdir())  # the stored upload is removed

    report = client.get(report_url).content.decode()
    assert "110 cijfers toegevoegd" in report and "0 cijfers herzien" in report
    assert "cbs-83262ned-wmoclienten_1" in report
    overview = client.get(reverse("indicator_manage:overview")).content.decode()
    assert report_url in overview

    # The same table again: nothing new, everything unchanged.
    upload = SimpleUploadedFile(f"{TABLE}.zip", _table_zip(shared_data))
    _upload(client, django_capture_on_commit_callbacks, {"kind": "statline", "file": upload})
    second = ImportBatch.objects.order_by("-pk").first()
    assert second.report["added"] == 0 and second.report["unchanged"] == 110
    assert Observation.objects.count() == 110


def test_statline_rejected_cells_are_listed_with_file_row_field_and_reason(  # type: ignore[no-untyped-def]
    client, users, media_root, shared_data, django_capture_on_commit_callbacks
) -> None:
    def change(name: str, text: str) -> str:
        if name != "data.csv":
            return text
        lines = text.splitlines()
        lines[4] = lines[4].rsplit(",", 2)[0] + ",veel,57"  # row 5: WmoClienten_1 not a number
        return "\n".join(lines) + "\n"

    client.force_login(users["cpo"])
    upload = SimpleUploadedFile("tabel.zip", _table_zip(shared_data, change=change))
    _upload(client, django_capture_on_commit_callbacks, {"kind": "statline", "file": upload})
    job = Job.objects.get()
    assert job.status == "succeeded", job.error
    batch = ImportBatch.objects.get()
    report = client.get(reverse("indicator_manage:import_report", args=[batch.pk])).content
    page = report.decode()
    assert "1 cel of regel afgewezen" in page and "109 cijfers toegevoegd" in page
    assert re.search(r"<td>data\.csv</td><td class=\"num\">5</td><td>WmoClienten_1</td><td>", page)


@pytest.mark.parametrize(
    ("member", "expected"),
    [
        ("../evil.csv", "'../evil.csv': een pad buiten de tabelmap ('..') is niet toegestaan"),
        (
            "/etc/evil.csv",
            "'/etc/evil.csv': een absoluut pad is niet toegestaan in het ZIP-bestand",
        ),
        ("readme.txt", "'readme.txt': alleen .csv-bestanden zijn toegestaan"),
    ],
)
def test_unsafe_zip_fails_the_job_and_stores_nothing(  # type: ignore[no-untyped-def]
    client,
    users,
    media_root,
    shared_data,
    tmp_path,
    django_capture_on_commit_callbacks,
    member,
    expected,
) -> None:
    client.force_login(users["cpo"])
    data = _table_zip(shared_data, extra=[(member, "Key,Title\nx,y\n")])
    upload = SimpleUploadedFile("kwaad.zip", data)
    response = _upload(
        client, django_capture_on_commit_callbacks, {"kind": "statline", "file": upload}
    )
    job = Job.objects.get()
    assert job.status == "failed"
    assert job.error == f"kwaad.zip: {expected}"
    page = client.get(response.url).content.decode()
    assert "kwaad.zip" in page and "Er is niets opgeslagen" in page
    assert not ImportBatch.objects.exists() and not Observation.objects.exists()
    assert not Indicator.objects.exists()
    assert not (tmp_path / "evil.csv").exists() and not (media_root / "evil.csv").exists()
    assert not any((media_root / "imports").iterdir())


def test_corrupted_data_csv_fails_the_job_naming_file_row_and_field(  # type: ignore[no-untyped-def]
    client, users, media_root, shared_data, django_capture_on_commit_callbacks
) -> None:
    def change(name: str, text: str) -> str:
        return text.replace('"2016HJ02"', '"2016XX02"', 1) if name == "data.csv" else text

    client.force_login(users["cpo"])
    upload = SimpleUploadedFile("kapot.zip", _table_zip(shared_data, change=change))
    _upload(client, django_capture_on_commit_callbacks, {"kind": "statline", "file": upload})
    job = Job.objects.get()
    assert job.status == "failed"
    assert job.error == (
        "kapot.zip: data.csv, rij 6, veld 'Perioden': periode '2016XX02' staat niet in Perioden.csv"
    )
    assert not ImportBatch.objects.exists() and not Observation.objects.exists()
    assert not Indicator.objects.exists()


def _zip_with(tmp_path: Path, entries) -> Path:  # type: ignore[no-untyped-def]
    path = tmp_path / "t.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for info, data in entries:
            archive.writestr(info, data)
    return path


def test_zip_extraction_refuses_links_nesting_bombs_and_non_zips(
    tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "out"
    target.mkdir()
    link = zipfile.ZipInfo("TableInfos.csv")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    path = _zip_with(tmp_path, [(link, "/etc/passwd")])
    with pytest.raises(ZipImportError, match="symbolische koppeling"):
        statline_zip_extract(archive=path, name="t.zip", target=target)
    path = _zip_with(tmp_path, [("a/b/data.csv", "x")])
    with pytest.raises(ZipImportError, match="geneste mappen"):
        statline_zip_extract(archive=path, name="t.zip", target=target)
    path = _zip_with(tmp_path, [("data.csv", "x" * 5000)])
    monkeypatch.setattr("paraat.indicators.imports.ZIP_MAX_MEMBER_BYTES", 1000)
    with pytest.raises(ZipImportError, match="te groot"):
        statline_zip_extract(archive=path, name="t.zip", target=target)
    path = _zip_with(tmp_path, [("data.csv", "x")])
    with pytest.raises(ZipImportError, match=r"TableInfos\.csv ontbreekt"):
        statline_zip_extract(archive=path, name="t.zip", target=target)
    not_zip = tmp_path / "geen.zip"
    not_zip.write_bytes(b"PK\x03\x04 kapot")
    with pytest.raises(ZipImportError, match="geen geldig ZIP-bestand"):
        statline_zip_extract(archive=not_zip, name="geen.zip", target=target)
    path = _zip_with(tmp_path, [("__MACOSX/._data.csv", "x"), ("TableInfos.csv", "x")])
    assert (
        statline_zip_extract(archive=path, name="t.zip", target=tmp_path / "ok")
        == (tmp_path / "ok").resolve()
    )
    assert not (tmp_path / "ok" / "__MACOSX").exists()


def test_csv_with_column_mapping_end_to_end(  # type: ignore[no-untyped-def]
    client, users, media_root, django_capture_on_commit_callbacks
) -> None:
    indicator = IndicatorFactory(key="werkloosheid", frequency="month", headline_breakdown="")
    csv_text = (
        "periode;waarde;status;leeftijd\n"
        "2020-01;4,5;;jong\n"
        "2020-02;4,8;*;jong\n"
        "2020-02;3,1;;oud\n"
        "2020-13;5,0;;jong\n"
        "2020-03;veel;;jong\n"
    )
    client.force_login(users["cpo"])
    response = _upload(
        client,
        django_capture_on_commit_callbacks,
        {
            "kind": "csv",
            "file": SimpleUploadedFile("werkloosheid.csv", csv_text.encode()),
            "indicator": "werkloosheid",
            "period_column": "periode",
            "value_column": "waarde",
            "period_format": "iso",
            "status_column": "status",
            "breakdown_columns": "leeftijd",
            "decimal_comma": "on",
        },
    )
    job = Job.objects.get()
    assert response.url == reverse("jobs:detail", args=[job.pk])
    assert job.status == "succeeded", job.error
    assert (job.result["added"], job.result["rejected"]) == (3, 2)
    rows = {
        (o.period_code, o.breakdown): (o.value, o.status)
        for o in Observation.objects.filter(indicator=indicator)
    }
    assert rows[("2020-02", "leeftijd=jong")] == (4.8, "provisional")
    assert rows[("2020-02", "leeftijd=oud")] == (3.1, "final")
    page = client.get(job.result["url"]).content.decode()
    assert "3 cijfers toegevoegd" in page and "2 cellen of regels afgewezen" in page
    assert re.search(r"<td>werkloosheid\.csv</td><td class=\"num\">5</td><td>periode</td>", page)
    assert re.search(r"<td>werkloosheid\.csv</td><td class=\"num\">6</td><td>waarde</td>", page)


def test_csv_that_does_not_read_fails_the_job(  # type: ignore[no-untyped-def]
    client, users, media_root, django_capture_on_commit_callbacks
) -> None:
    IndicatorFactory(key="werkloosheid")
    client.force_login(users["cpo"])
    _upload(
        client,
        django_capture_on_commit_callbacks,
        {
            "kind": "csv",
            "file": SimpleUploadedFile("w.csv", b"datum,aantal\n2020-01,4\n"),
            "indicator": "werkloosheid",
            "period_column": "periode",
            "value_column": "aantal",
            "period_format": "auto",
        },
    )
    job = Job.objects.get()
    assert job.status == "failed"
    assert job.error == "w.csv, rij 1, veld 'periode': kolom ontbreekt in de kop"
    assert not ImportBatch.objects.exists() and not Observation.objects.exists()


def test_sdmx_and_coronadashboard_uploads(  # type: ignore[no-untyped-def]
    client, users, media_root, shared_data, django_capture_on_commit_callbacks
) -> None:
    from paraat.indicators.tests.test_importers import SDMX_JSON

    IndicatorFactory(key="werkloosheid-eu", frequency="year", headline_breakdown="")
    client.force_login(users["cpo"])
    _upload(
        client,
        django_capture_on_commit_callbacks,
        {
            "kind": "sdmx",
            "file": SimpleUploadedFile("une_rt_a.json", json.dumps(SDMX_JSON).encode()),
            "indicator": "werkloosheid-eu",
        },
    )
    job = Job.objects.get()
    assert job.status == "succeeded", job.error
    assert job.result["added"] == 4
    assert ImportBatch.objects.get().name == "une_rt_a.json"

    nice = (shared_data / "coronadashboard" / "nl_hospital_admissions_nice.csv").read_bytes()
    _upload(
        client,
        django_capture_on_commit_callbacks,
        {
            "kind": "coronadashboard",
            "file": SimpleUploadedFile("nl_hospital_admissions_nice.csv", nice),
        },
    )
    job = Job.objects.order_by("-created_at").first()
    assert job.status == "succeeded", job.error
    assert job.result["added"] > 100
    assert not any((media_root / "imports").iterdir())


def test_import_form_errors_are_shown_not_raised(client, users, media_root) -> None:  # type: ignore[no-untyped-def]
    client.force_login(users["cpo"])
    url = reverse("indicator_manage:import")
    cases = [
        ({"kind": "csv", "file": SimpleUploadedFile("a.csv", b"a,b\n")}, "Kies de indicator"),
        ({"kind": "statline", "file": SimpleUploadedFile("a.zip", b"geen zip")}, "ZIP-bestand"),
        ({"kind": "coronadashboard", "file": SimpleUploadedFile("a.xlsx", b"x")}, ".csv of .json"),
        (
            {"kind": "sdmx", "file": SimpleUploadedFile("a.xml", b"<x/>"), "indicator": "nope"},
            "keuze",
        ),
        ({"kind": "onzin", "file": SimpleUploadedFile("a.csv", b"x")}, "keuze"),
        ({"kind": "csv"}, "verplicht"),
    ]
    for data, message in cases:
        response = client.post(url, data)
        assert response.status_code == 200, data
        assert message in response.content.decode(), data
    assert not Job.objects.exists()


# --- refresh and recompute ----------------------------------------------------------------------


def test_refresh_button_creates_a_job(client, users) -> None:  # type: ignore[no-untyped-def]
    client.force_login(users["admin"])
    response = client.post(reverse("indicator_manage:refresh"))
    job = Job.objects.get()
    assert job.kind == "indicators_refresh" and job.created_by == users["admin"]
    assert response.status_code == 302 and response.url == reverse("jobs:detail", args=[job.pk])


def _index() -> CompositeIndex:
    taxonomy_seed()
    vintage = timezone.make_aware(dt.datetime(2020, 6, 1))
    for key, polarity, values in (
        ("werkloosheid", "higher_worse", [4.0, 5.0, 6.0, 5.0]),
        ("tevredenheid", "higher_better", [7.8, 7.6, 7.4, 7.5]),
    ):
        indicator = IndicatorFactory(key=key, polarity=polarity)
        observations_store(
            indicator=indicator,
            rows=[
                ObservationInput(period=parse_period(f"2020MM0{m}"), value=v)
                for m, v in enumerate(values, start=1)
            ],
            vintage=vintage,
        )
    index = composite_index_save(
        key="welzijn",
        name_nl="Maatschappelijke index",
        start_period="2020MM01",
        members=[("werkloosheid", 1.0), ("tevredenheid", 1.0)],
    )
    CompositeIndex.objects.filter(pk=index.pk).update(draws=200)
    return index


def test_recompute_creates_a_job_that_stores_a_run(  # type: ignore[no-untyped-def]
    client, users, django_capture_on_commit_callbacks
) -> None:
    index = _index()
    client.force_login(users["cpo"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("indicator_manage:composite_recompute", args=["welzijn"]))
    job = Job.objects.get()
    assert response.url == reverse("jobs:detail", args=[job.pk])
    assert job.kind == "composite_compute" and job.status == "succeeded", job.error
    run = CompositeRun.objects.get()
    assert run.index == index and run.created_by == users["cpo"] and run.spec["draws"] == 200
    assert job.result["run"] == run.pk
    assert job.result["url"] == reverse("indicators:composite", args=["welzijn"])
    page = client.get(reverse("indicator_manage:overview")).content.decode()
    assert "nog nooit" not in page
    assert (
        _status(
            client,
            users["cpo"],
            reverse("indicator_manage:composite_recompute", args=["x"]),
            "post",
        )
        == 404
    )


def test_recompute_of_an_index_that_cannot_compute_fails_with_the_reason(  # type: ignore[no-untyped-def]
    client, users, django_capture_on_commit_callbacks
) -> None:
    CompositeIndex.objects.create(key="leeg", name_nl="Leeg", start_period="2020MM01")
    client.force_login(users["cpo"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("indicator_manage:composite_recompute", args=["leeg"]))
    job = Job.objects.get()
    assert job.status == "failed"
    assert job.error == "index leeg: de index heeft geen indicatoren"
    assert not CompositeRun.objects.exists()


# --- signal rules -------------------------------------------------------------------------------


def test_rule_form_adds_a_rule_and_refuses_bad_parameters(client, users) -> None:  # type: ignore[no-untyped-def]
    IndicatorFactory(key="werkloosheid", name_nl="Werkloosheid", polarity="higher_worse")
    client.force_login(users["cpo"])
    url = reverse("indicator_manage:rule_create")
    page = client.get(url).content.decode()
    assert "Werkloosheid (werkloosheid)" in page
    assert "warning_pct, alert_pct" in page and "window, warning_p, alert_p, min_points" in page

    response = client.post(
        url,
        {
            "indicator": "werkloosheid",
            "kind": "threshold",
            "breakdown": "",
            "params": '{"warning": 5.0, "alert": 6.0, "only_crossings": true}',
        },
    )
    assert response.status_code == 302 and response.url == reverse("indicator_manage:overview")
    rule = SignalRule.objects.get()
    assert rule.kind == "threshold" and rule.is_active
    assert rule.params == {"warning": 5.0, "alert": 6.0, "only_crossings": True}

    bad = [
        ('{"window": 8, "drempel": 3}', "onbekende parameter(s) voor baseline: drempel"),
        ('{"window": 1}', "baseline"),
        ('{"window": ', "Geen geldige JSON"),
        ("[1, 2]", "JSON-object"),
    ]
    for params, message in bad:
        response = client.post(
            url, {"indicator": "werkloosheid", "kind": "baseline", "params": params}
        )
        assert response.status_code == 200, params
        page = response.content.decode()
        assert message in page.replace("&#x27;", "'"), (params, page)
        assert 'aria-invalid="true"' in page
    response = client.post(url, {"indicator": "werkloosheid", "kind": "survey_change"})
    assert "steekproefomvang" in response.content.decode()
    assert SignalRule.objects.count() == 1


def test_rule_can_be_switched_off_and_on_and_the_audit_trail_records_it(client, users) -> None:  # type: ignore[no-untyped-def]
    rule = SignalRule.objects.create(indicator=IndicatorFactory(), kind="threshold")
    client.force_login(users["cpo"])
    url = reverse("indicator_manage:rule_set_active", args=[rule.pk])
    response = client.post(url, {"active": "0"})
    assert response.url == reverse("indicator_manage:overview")
    rule.refresh_from_db()
    assert not rule.is_active
    entry = LogEntry.objects.get_for_object(rule).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor == users["cpo"] and "is_active" in entry.changes_dict
    client.post(url, {"active": "1"})
    rule.refresh_from_db()
    assert rule.is_active
    assert (
        _status(
            client, users["cpo"], reverse("indicator_manage:rule_set_active", args=[9999]), "post"
        )
        == 404
    )


# --- subscription -------------------------------------------------------------------------------


def test_any_user_manages_their_own_subscription(client, users) -> None:  # type: ignore[no-untyped-def]
    health = DomainFactory(key="gezondheid", name_nl="Gezondheid")
    DomainFactory(key="onderwijs", name_nl="Onderwijs")
    analyst = users["analyst"]
    client.force_login(analyst)
    url = reverse("indicator_manage:subscription")
    page = client.get(url).content.decode()
    assert "Gezondheid" in page and "Onderwijs" in page
    assert "alleen bij wie die indicatoren mag zien" in page
    response = client.post(
        url, {"is_active": "on", "min_severity": "alert", "domains": [health.pk]}
    )
    assert response.status_code == 302 and response.url == url
    subscription = SignalSubscription.objects.get(user=analyst)
    assert subscription.is_active and subscription.min_severity == "alert"
    assert list(subscription.domains.all()) == [health]
    page = client.get(url).content.decode()
    assert "U bent geabonneerd." in page
    assert re.search(rf'value="{health.pk}"[^>]*checked', page)

    response = client.post(url, {"min_severity": "warning"})  # unsubscribe, all domains
    subscription.refresh_from_db()
    assert not subscription.is_active and subscription.min_severity == "warning"
    assert not subscription.domains.exists()
    response = client.post(url, {"is_active": "on", "min_severity": "heel-erg"})
    assert response.status_code == 200 and "keuze" in response.content.decode()
    assert SignalSubscription.objects.count() == 1
