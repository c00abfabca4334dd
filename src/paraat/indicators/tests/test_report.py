"""The periodic 'maatschappelijk beeld' report: figures as known on the peildatum, PDF and DOCX
read back, confidentiality, the background job, the download and the form.

The data set (all made up; vintages V1 = 15 April 2020, V2 = 15 May 2020):

* **Werkloosheid** (public, synthetic, work and income; monthly, %, higher is worse, threshold
  warning 4.45): 2019MM01 … 2020MM02 = 3.0 + 0.1·k. At V1 March is a provisional 4.6; at V2 it
  is revised to a final 4.4 and April arrives as a provisional 4.5.

  - peildatum 30 April 2020: latest 2020 maart = 4,6 (voorlopig); vs 2020 februari (4.3):
    +0,3 procentpunt (+7,0 %); vs 2019 maart (3.2): +1,4 procentpunt (+43,7 %: in floating
    point 4.6 − 3.2 is a hair below 1.4, so 43.75 rounds down); signal on March;
  - peildatum 15 June 2020: latest 2020 april = 4,5 (voorlopig); vs 2020 maart (4.4): +0,1
    procentpunt (+2,3 %); vs 2019 april (3.3): +1,2 procentpunt (+36,4 %); signal on April too.

* **Vertrouwen in de overheid** (public, real-looking source, trust; monthly, higher is better):
  60, 62, 64, 60, … (2019MM01 … 2020MM03) at V1, 2020MM04 = 61 at V2.
* **Eenzaamheid onder jongeren** (internal, member of the index, with a signal).
* **OMT-inschatting zorgdruk** (confidential).
* **Welzijnsindex** (public composite of the first three).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import uuid

import docx
import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import formats, timezone, translation
from pypdf import PdfReader

from paraat.accounts import roles
from paraat.accounts.models import Confidentiality
from paraat.accounts.services import roles_sync
from paraat.accounts.tests.factories import UserFactory
from paraat.indicators.models import CompositeRun
from paraat.indicators.report import (
    COMPOSITE_DRAWS,
    report_as_of,
    report_data,
    report_docx,
    report_html,
    report_pdf,
)
from paraat.indicators.report_tasks import (
    indicators_report_job,
    report_file_for,
    report_start,
)
from paraat.indicators.services import (
    ObservationInput,
    composite_index_save,
    observations_store,
    signal_rule_create,
    signals_evaluate,
)
from paraat.indicators.tests.factories import IndicatorFactory
from paraat.jobs.models import JobStatus
from paraat.taxonomies.models import Domain
from paraat.taxonomies.services import taxonomy_seed
from paraat_core.periods import parse_period, periods_between

pytestmark = pytest.mark.django_db

V1 = timezone.make_aware(dt.datetime(2020, 4, 15, 12))
V2 = timezone.make_aware(dt.datetime(2020, 5, 15, 12))
EARLY = dt.date(2020, 4, 30)
LATE = dt.date(2020, 6, 15)
URL = "/maatschappelijk-beeld/rapport/"

INTERNAL_NAME = "Eenzaamheid onder jongeren"
CONFIDENTIAL_NAME = "OMT-inschatting zorgdruk"


def _store(indicator, first, last, values, *, vintage, status="final"):  # type: ignore[no-untyped-def]
    periods = periods_between(parse_period(first), parse_period(last))
    observations_store(
        indicator=indicator,
        rows=[
            ObservationInput(period=p, value=v, status=status)
            for p, v in zip(periods, values, strict=True)
        ],
        vintage=vintage,
    )


@pytest.fixture
def picture(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    taxonomy_seed()
    roles_sync()
    domains = {d.key: d for d in Domain.objects.all()}
    unemployment = IndicatorFactory(
        key="werkloosheid",
        name_nl="Werkloosheid",
        domain=domains["work-income"],
        speed="fast",
        source="CBS, StatLine 80590ned (synthetische reeks)",
        licence="CC BY 4.0",
        threshold_warning=4.45,
    )
    _store(
        unemployment,
        "2019MM01",
        "2020MM02",
        [round(3.0 + 0.1 * k, 1) for k in range(14)],
        vintage=V1,
    )
    _store(unemployment, "2020MM03", "2020MM03", [4.6], vintage=V1, status="provisional")
    _store(unemployment, "2020MM03", "2020MM03", [4.4], vintage=V2)
    _store(unemployment, "2020MM04", "2020MM04", [4.5], vintage=V2, status="provisional")
    trust = IndicatorFactory(
        key="vertrouwen",
        name_nl="Vertrouwen in de overheid",
        domain=domains["trust"],
        polarity="higher_better",
        source="SCP, Burgerperspectieven",
        licence="CC BY 4.0",
        is_synthetic=False,
    )
    _store(trust, "2019MM01", "2020MM03", [60.0 + 2 * (k % 3) for k in range(15)], vintage=V1)
    _store(trust, "2020MM04", "2020MM04", [61.0], vintage=V2)
    lonely = IndicatorFactory(
        key="eenzaamheid-jongeren",
        name_nl=INTERNAL_NAME,
        domain=domains["social-relations"],
        confidentiality=Confidentiality.INTERNAL,
        threshold_warning=20.0,
    )
    _store(lonely, "2019MM01", "2020MM04", [15 + 0.5 * k for k in range(16)], vintage=V1)
    omt = IndicatorFactory(
        key="omt-zorgdruk",
        name_nl=CONFIDENTIAL_NAME,
        domain=domains["physical-health"],
        confidentiality=Confidentiality.CONFIDENTIAL,
    )
    _store(omt, "2020MM01", "2020MM04", [1.0, 2.0, 3.0, 4.0], vintage=V1)
    signal_rule_create(indicator=unemployment, kind="threshold")
    signal_rule_create(indicator=lonely, kind="threshold")
    signals_evaluate(as_of=V1)
    signals_evaluate(as_of=V2)
    index = composite_index_save(
        key="welzijnsindex",
        name_nl="Welzijnsindex",
        start_period="2019MM01",
        members=[("werkloosheid", 1.0), ("vertrouwen", 1.0), ("eenzaamheid-jongeren", 2.0)],
        description="Drie indicatoren, genormaliseerd en gewogen (demo).",
    )
    return {"index": index}


def _users():  # type: ignore[no-untyped-def]
    return {
        "analyst": UserFactory(username="analist", roles=[roles.ANALYST]),
        "colleague": UserFactory(username="collega", roles=[roles.ANALYST]),
        "norole": UserFactory(username="zonderrol"),
        "super": UserFactory(username="super", is_superuser=True),
    }


def _sp(text: str) -> str:
    """Non-breaking spaces (number and per cent sign kept together) as plain spaces."""
    return text.replace("\xa0", " ")


def _pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join((page.extract_text() or "") for page in reader.pages).split())


def _docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    parts.extend(p.text for p in document.sections[0].header.paragraphs)
    return " ".join(_sp(" ".join(parts)).split())


def _line(report, key):  # type: ignore[no-untyped-def]
    return next(line for s in report.sections for line in s.indicators if line.key == key)


def _nl(value: float, decimals: int = 1) -> str:
    with translation.override("nl"):
        return formats.number_format(round(value, decimals), decimal_pos=decimals, use_l10n=True)


# --- the data: figures as known on the peildatum ----------------------------------------------


def test_early_peildatum_shows_the_first_figure(picture) -> None:  # type: ignore[no-untyped-def]
    report = report_data(user=None, as_of=report_as_of(EARLY))
    assert report.title == "Maatschappelijk beeld"
    assert report.peildatum == EARLY and report.peildatum_label == "30 april 2020"
    line = _line(report, "werkloosheid")
    assert (line.period, line.value, line.value_display) == ("2020 maart", 4.6, "4,6")
    assert line.is_provisional and line.status_label == "voorlopig"
    assert _sp(line.change_previous) == "+0,3 procentpunt (+7,0 %)"
    assert line.change_previous_against == "2020 februari"
    assert _sp(line.change_year) == "+1,4 procentpunt (+43,7 %)"
    assert line.change_year_against == "2019 maart"
    assert line.direction == "stijgend" and line.judgement == "slechter"
    # freshness judged on the peildatum (not today, when it would be years overdue): April is
    # due on 30 April + 30 days
    assert line.freshness == "actueel" and "30 mei 2020" in line.freshness_reason
    assert line.is_synthetic and line.source.startswith("CBS")
    assert [s.period for s in report.signals] == ["2020 maart"]
    assert "4,6" in report.signals[0].description


def test_late_peildatum_shows_the_revised_figure(picture) -> None:  # type: ignore[no-untyped-def]
    report = report_data(user=None, as_of=report_as_of(LATE))
    line = _line(report, "werkloosheid")
    assert (line.period, line.value_display, line.is_provisional) == ("2020 april", "4,5", True)
    assert _sp(line.change_previous) == "+0,1 procentpunt (+2,3 %)"
    assert _sp(line.change_year) == "+1,2 procentpunt (+36,4 %)"
    assert line.freshness == "actueel"
    assert [s.period for s in report.signals] == ["2020 april", "2020 maart"]
    trust = _line(report, "vertrouwen")
    assert not trust.is_synthetic and trust.polarity == "hoger is beter"
    assert (trust.period, trust.value_display) == ("2020 april", "61")
    # domains in taxonomy order
    assert [s.name for s in report.sections] == [
        "Werk en inkomen",
        "Vertrouwen in overheid en democratie",
    ]


def test_composite_run_for_the_peildatum_is_computed_once_and_reused(picture) -> None:  # type: ignore[no-untyped-def]
    as_of = report_as_of(EARLY)
    report = report_data(user=None, as_of=as_of)
    run = CompositeRun.objects.get(index=picture["index"], as_of=as_of)
    assert run.spec["draws"] == COMPOSITE_DRAWS
    comp = report.composites[0]
    assert comp.available and comp.name == "Welzijnsindex"
    entry = run.result["_all"]
    t = max(k for k, v in enumerate(entry["central"]) if v is not None)
    assert run.result["periods"][t] == "2020MM04"  # the last period with enough coverage
    assert comp.period == "2020 april"
    assert comp.coverage_display == _nl(100 * entry["coverage"][t], 0) + " %"
    assert comp.value == entry["central"][t]
    assert (comp.p05, comp.p95) == (entry["p05"][t], entry["p95"][t])
    assert comp.p05 <= comp.value <= comp.p95
    assert comp.band_display == f"{_nl(comp.p05)} – {_nl(comp.p95)}"
    assert comp.parts and comp.members and comp.methods
    assert [m.share_display for m in comp.members] == ["25,0 %", "25,0 %", "50,0 %"]
    # the public report names the internal member only as "niet-openbare indicator"
    assert [m.name for m in comp.members][2] == "niet-openbare indicator"
    # a second report on the same peildatum reuses the run
    report_data(user=None, as_of=as_of)
    assert CompositeRun.objects.filter(index=picture["index"]).count() == 1


# --- PDF and DOCX, read back ------------------------------------------------------------------


def test_pdf_reads_back_with_the_figures_band_and_labels(picture) -> None:  # type: ignore[no-untyped-def]
    early = report_data(user=None, as_of=report_as_of(EARLY))
    late = report_data(user=None, as_of=report_as_of(LATE))
    data = report_pdf(early)
    assert data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(data))
    assert reader.metadata.title == "Maatschappelijk beeld — 30 april 2020"
    assert reader.trailer["/Root"]["/Lang"] == "nl"
    assert "/StructTreeRoot" in reader.trailer["/Root"]  # tagged: headings and tables
    text = _pdf_text(data)
    assert "Maatschappelijk beeld" in text and "Peildatum 30 april 2020" in text
    assert "Cijfers zoals bekend op 30 april 2020" in text
    assert "Werkloosheid (synthetisch)" in text
    assert "4,6% (voorlopig)" in text and "2020 maart" in text
    assert "+0,3 procentpunt (+7,0 %)" in text and "+1,4 procentpunt (+43,7 %)" in text
    assert "stijgend" in text and "slechter" in text and "actueel" in text
    assert "CBS, StatLine 80590ned" in text and "CC BY 4.0" in text
    assert "band 5–95 %: " + early.composites[0].band_display in text
    assert "Onderdelen en gewichten: Welzijnsindex" in text and "Normalisatie" in text
    assert "waarschuwingsgrens" in text  # the signal's explanation
    assert "2020 april" not in text.split("Signalen", 1)[1]
    assert re.search(r"pagina 1 / \d", text)

    later = _pdf_text(report_pdf(late))
    assert "Peildatum 15 juni 2020" in later
    assert "4,5% (voorlopig)" in later and "4,6%" not in later
    assert "+0,1 procentpunt (+2,3 %)" in later
    assert "band 5–95 %: " + late.composites[0].band_display in later


def test_docx_reads_back_with_the_same_content(picture) -> None:  # type: ignore[no-untyped-def]
    report = report_data(user=None, as_of=report_as_of(LATE))
    data = report_docx(report)
    document = docx.Document(io.BytesIO(data))
    headings = [
        (p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")
    ]
    assert headings[0] == ("Heading 1", "Maatschappelijk beeld")
    level2 = [text for style, text in headings if style == "Heading 2"]
    assert level2 == [
        "Samengestelde index",
        "Indicatoren per domein",
        "Signalen",
        "Methode",
        "Bronnen",
        "Colofon",
    ]
    assert document.core_properties.title == "Maatschappelijk beeld — 15 juni 2020"
    assert document.core_properties.language == "nl"
    indicator_table = next(
        t for t in document.tables if t.rows[0].cells[0].text == "Indicator" and len(t.columns) == 8
    )
    header = [c.text for c in indicator_table.rows[0].cells]
    assert header[:3] == ["Indicator", "Periode", "Waarde"]
    row = [_sp(c.text) for c in indicator_table.rows[1].cells]
    assert row == [
        "Werkloosheid (synthetisch)",
        "2020 april",
        "4,5% (voorlopig)",
        "+0,1 procentpunt (+2,3 %)",
        "+1,2 procentpunt (+36,4 %)",
        "stijgend",
        "slechter",
        "actueel",
    ]
    text = _docx_text(data)
    assert "Peildatum 15 juni 2020" in text
    assert "band 5–95 %: " + report.composites[0].band_display in text
    assert "Cijfers zoals bekend op 15 juni 2020." in text
    assert "SCP, Burgerperspectieven" in text


# --- confidentiality --------------------------------------------------------------------------


def test_reports_hold_only_what_the_reader_may_see(picture) -> None:  # type: ignore[no-untyped-def]
    users = _users()
    as_of = report_as_of(LATE)

    def texts(**kwargs):  # type: ignore[no-untyped-def]
        report = report_data(as_of=as_of, **kwargs)
        return report, report_html(report), _docx_text(report_docx(report))

    analyst, html, word = texts(user=users["analyst"])
    assert INTERNAL_NAME in html and INTERNAL_NAME in word
    assert CONFIDENTIAL_NAME not in html and CONFIDENTIAL_NAME not in word
    assert analyst.has_restricted and "niet verspreiden" in analyst.audience_label
    assert any(s.indicator == INTERNAL_NAME for s in analyst.signals)
    assert "niet-openbare indicator" not in html  # the analyst sees every member

    for kwargs in (
        {"user": users["analyst"], "public": True},
        {"user": users["norole"]},
        {"user": AnonymousUser()},
        {"user": None},
    ):
        report, html, word = texts(**kwargs)
        assert INTERNAL_NAME not in html and INTERNAL_NAME not in word, kwargs
        assert "eenzaamheid-jongeren" not in html and "eenzaamheid-jongeren" not in word
        assert CONFIDENTIAL_NAME not in html and CONFIDENTIAL_NAME not in word
        assert all(s.indicator != INTERNAL_NAME for s in report.signals)
        assert "niet-openbare indicator" in html  # the index keeps its member, unnamed
        assert not report.has_restricted
    pdf = _pdf_text(report_pdf(report_data(user=users["analyst"], as_of=as_of, public=True)))
    assert INTERNAL_NAME not in pdf and "Openbare versie" in pdf

    _report, html, word = texts(user=users["super"])
    assert CONFIDENTIAL_NAME in html and CONFIDENTIAL_NAME in word


# --- the job and the download -----------------------------------------------------------------


def test_job_builds_the_file_and_only_its_creator_or_equals_get_it(
    picture, client, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    users = _users()
    with django_capture_on_commit_callbacks(execute=True):
        job = report_start(user=users["analyst"], as_of=report_as_of(LATE), fmt="pdf", public=False)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.progress_current == job.progress_total == 4
    assert job.result["format"] == "pdf" and job.result["file"].startswith("reports/")
    assert job.result["name"] == "maatschappelijk-beeld-2020-06-15.pdf"
    assert job.result["url"] == reverse("indicator_reports:download", kwargs={"job_id": job.pk})
    path, _name, content_type = report_file_for(job, users["analyst"])
    assert path.is_file() and path.parent.name == "reports" and content_type == "application/pdf"
    assert report_file_for(job, users["norole"]) is None
    assert report_file_for(job, AnonymousUser()) is None

    url = job.result["url"]
    client.force_login(users["analyst"])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert "maatschappelijk-beeld-2020-06-15.pdf" in response["Content-Disposition"]
    body = b"".join(response.streaming_content)
    assert INTERNAL_NAME in _pdf_text(body) and "4,5%" in _pdf_text(body)
    # the job page links to the download
    page = client.get(reverse("jobs:detail", kwargs={"job_id": job.pk}))
    assert url in page.content.decode()

    client.force_login(users["colleague"])  # same rights
    assert client.get(url).status_code == 200
    client.force_login(users["norole"])
    assert client.get(url).status_code == 404
    assert client.get(URL + f"{uuid.uuid4()}/download/").status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # login first
    assert job.result["levels"] == ["public", "internal"]
    # a creator who lost the role that let them see internal figures loses the report too
    users["analyst"].groups.clear()
    client.force_login(users["analyst"])
    assert client.get(url).status_code == 404


def test_docx_job_via_task_function(picture, client) -> None:  # type: ignore[no-untyped-def]
    users = _users()
    job = report_start(user=users["norole"], as_of=report_as_of(EARLY), fmt="docx", public=True)
    job = indicators_report_job(job=job)
    assert job.status == JobStatus.SUCCEEDED, job.error
    client.force_login(users["norole"])
    response = client.get(job.result["url"])
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert "maatschappelijk-beeld-2020-04-30-openbaar.docx" in response["Content-Disposition"]
    text = _docx_text(b"".join(response.streaming_content))
    assert "4,6% (voorlopig)" in text and INTERNAL_NAME not in text


def test_pdf_fetches_nothing_but_the_fonts() -> None:
    from paraat.indicators import report

    fetcher = report._url_fetcher()
    for url in (
        "https://example.org/track.png",
        "http://localhost/static/x.css",
        "file:///etc/passwd",
        (report.FONT_DIR / ".." / ".." / ".." / "paraat" / "app.css").resolve().as_uri(),
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


# --- the form ---------------------------------------------------------------------------------


def test_form_defaults_to_today_and_starts_the_job(
    picture, client, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    users = _users()
    client.force_login(users["analyst"])
    page = client.get(URL)
    assert page.status_code == 200
    content = page.content.decode()
    assert f'value="{timezone.localdate().isoformat()}"' in content
    assert "Alleen openbare gegevens" in content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {"peildatum": "2020-04-30", "fmt": "docx", "public": "on"})
    assert response.status_code == 302
    job_id = response["Location"].rstrip("/").split("/")[-1]
    assert response["Location"] == reverse("jobs:detail", kwargs={"job_id": job_id})
    from paraat.jobs.models import Job

    job = Job.objects.get(pk=job_id)
    assert job.created_by == users["analyst"] and job.params["public"] is True
    assert job.status == JobStatus.SUCCEEDED and job.result["format"] == "docx"


@pytest.mark.parametrize(
    "data",
    [
        {"peildatum": "2020-13-45", "fmt": "pdf"},
        {"peildatum": "gisteren", "fmt": "pdf"},
        {"peildatum": "", "fmt": "pdf"},
        {"peildatum": "9999-12-31", "fmt": "pdf"},
        {"peildatum": "0001-01-01", "fmt": "pdf"},
        {"peildatum": "2020-04-30", "fmt": "exe"},
        {"peildatum": "2020-04-30\x00", "fmt": "pdf"},
    ],
)
def test_bad_input_gives_a_form_error(picture, client, data) -> None:  # type: ignore[no-untyped-def]
    from paraat.jobs.models import Job

    client.force_login(_users()["analyst"])
    response = client.post(URL, data)
    assert response.status_code == 400
    assert 'class="errorlist"' in response.content.decode()
    assert not Job.objects.exists()


def test_anonymous_users_must_log_in(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get(URL)
    assert response.status_code == 302 and "inloggen" in response["Location"]


def test_a_report_with_a_granted_record_stays_with_its_creator_while_the_grant_lasts(
    picture, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    from paraat.accounts.services import access_grant_create, access_grant_revoke
    from paraat.indicators.models import Indicator

    users = _users()
    cpo = UserFactory(username="cpo-rapport", roles=[roles.CPO])
    grant = access_grant_create(
        target=Indicator.objects.get(key="omt-zorgdruk"),
        granted_by=cpo,
        reason="voorbereiding advies",
        grantee_user=users["analyst"],
    )
    with django_capture_on_commit_callbacks(execute=True):
        job = report_start(user=users["analyst"], as_of=report_as_of(LATE), fmt="pdf", public=False)
    job.refresh_from_db()
    assert job.result["granted"] == ["omt-zorgdruk"]
    assert report_file_for(job, users["analyst"]) is not None
    assert report_file_for(job, users["colleague"]) is None  # same role, no grant
    access_grant_revoke(grant=grant, revoked_by=cpo)
    assert report_file_for(job, users["analyst"]) is None
