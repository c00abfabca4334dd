"""Result pages, the analyse and report jobs, the download and the methodology page.

A stored version holds the contract fixture (``test_reports.DOCUMENT`` / ``RESULT``) with a
confidential effectiveness for the option "close"; a committee member (a role, no access to
confidential records) must never see it, on the page or in any report download.
"""

from __future__ import annotations

import copy
import itertools
import json
import re
import uuid
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from paraat.accounts import roles
from paraat.accounts.models import Confidentiality
from paraat.accounts.services import roles_sync
from paraat.accounts.tests.factories import UserFactory
from paraat.assessments import services, tasks
from paraat.assessments.models import AssessmentVersion
from paraat.assessments.tests.factories import AssessmentFactory, option_make
from paraat.assessments.tests.test_reports import (
    DOCUMENT,
    RESULT,
    SECRET_SOURCE,
    docx_text,
    pdf_text,
)
from paraat.jobs.models import Job, JobStatus

pytestmark = pytest.mark.django_db

SECRET_NUMBER = "0,37"


@pytest.fixture
def world(settings, tmp_path) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    roles_sync()
    users = {
        "analyst": UserFactory(username="analist", roles=[roles.ANALYST]),
        "member": UserFactory(username="lid", roles=[roles.MEMBER]),
        "norole": UserFactory(username="zonderrol"),
        "super": UserFactory(username="super", is_superuser=True),
    }
    assessment = AssessmentFactory(key="demo-afweging", title="Demo-afweging scholen")
    close = option_make(assessment, name="Scholen dicht", key="close")
    option_make(assessment, name="Mondkapjes", key="masks")
    services.effectiveness_set(
        actor=None,
        option=close,
        outcome="transmission",
        source=SECRET_SOURCE,
        estimate=-0.37,
        low=-0.5,
        high=-0.2,
        confidentiality=Confidentiality.CONFIDENTIAL,
    )
    v1 = AssessmentVersion.objects.create(
        assessment=assessment,
        number=1,
        document=copy.deepcopy(DOCUMENT),
        result=copy.deepcopy(RESULT),
        samples=2000,
        seed=42,
    )
    result2 = copy.deepcopy(RESULT)
    result2["assessment"]["title"] = "Tweede versie"
    v2 = AssessmentVersion.objects.create(
        assessment=assessment,
        number=2,
        document=copy.deepcopy(DOCUMENT),
        result=result2,
        samples=2000,
        seed=43,
        note="herzien",
    )
    return {"users": users, "assessment": assessment, "v1": v1, "v2": v2}


def _url(name: str, **kwargs: Any) -> str:
    return reverse(f"assessments:{name}", kwargs=kwargs)


RESULTS = "/afwegingen/demo-afweging/resultaten/"


def test_url_names_and_paths() -> None:
    assert _url("results", key="x") == "/afwegingen/x/resultaten/"
    assert _url("versions", key="x") == "/afwegingen/x/versies/"
    assert _url("analyse", key="x") == "/afwegingen/x/analyse/"
    assert _url("report", key="x") == "/afwegingen/x/rapport/"
    assert _url("methodology") == "/afwegingen/methode/"


# --- the results page --------------------------------------------------------------------------


def test_results_page_shows_the_latest_version(world, client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world["users"]["super"])
    page = client.get(RESULTS)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Versie 2" in html
    text = " ".join(html.replace("\xa0", " ").split())
    assert (
        "Onder elke aannemelijke weging belast Mondkapjes de samenleving minder dan Scholen dicht"
        in text
    )
    ladder = html[html.index('id="ladder-table"') :]
    assert (
        ladder.index("Geen nieuwe maatregel")
        < ladder.index("Mondkapjes")
        < ladder.index("Scholen dicht")
    )
    for anchor in ("rank-table", "matrix-table", "stacking-table", "evidence-table"):
        assert f'id="{anchor}"' in html
    assert 'id="matrix-data"' in html and 'id="matrix-chart"' in html  # chart + table
    assert "niet beoordeeld" in html and "onbekend" in html
    assert "Synthetisch" in html
    assert SECRET_SOURCE in html  # superuser sees the confidential effectiveness
    assert "<script>" not in html.replace('<script id="matrix-data" type="application/json">', "")
    assert 'style="' not in html


def test_results_page_puts_the_summary_first_with_headings_in_order(world, client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world["users"]["member"])
    html = client.get(RESULTS).content.decode()
    main = html[html.index("<h1") :]
    summary, annex = main.index('id="samenvatting"'), main.index('id="bijlagen"')
    assert summary < annex
    # the summary's parts, then the annex's, each under its own heading
    for anchor in (
        "ladder-table",
        "magnitude",
        "matrix-table",
        "advice-table",
        "flagged-table",
        "rights-summary-table",
        "uncertainty-table",
    ):
        assert summary < main.index(f'id="{anchor}"') < annex, anchor
    for anchor in ("stacking-table", "rank-table", "evidence-table", 'id="h-params"'):
        assert main.index(anchor) > annex, anchor
    assert main.index('id="rapport"') > annex
    # heading levels never skip one (h1 → h2 → h3 → h4)
    levels = [int(level) for level in re.findall(r"<h([1-6])[\s>]", main)]
    assert levels[0] == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), levels
    text = " ".join(html.replace("\xa0", " ").split())
    assert "Alle opties liggen tussen −1,60 en −0,10 op een schaal van −3 tot +3" in text
    assert '<a href="#samenvatting">' in html and '<a href="#bijlagen">' in html


def test_confidential_effectiveness_is_masked_for_a_member(world, client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world["users"]["member"])
    page = client.get(RESULTS)
    assert page.status_code == 200
    html = page.content.decode()
    assert SECRET_SOURCE not in html
    assert SECRET_NUMBER not in html and "-0.37" not in html and "−0,37" not in html
    assert "vertrouwelijk (niet zichtbaar voor u)" in html
    assert "Analyse uitvoeren" not in html  # members read only


def test_older_version_and_bad_versie(world, client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world["users"]["analyst"])
    page = client.get(RESULTS + "?versie=1")
    assert page.status_code == 200
    html = page.content.decode()
    assert "U bekijkt versie 1; de nieuwste is versie 2." in html
    for bad in ("abc", "0", "-1", "99", "1.5", "99999999999999999999"):
        assert client.get(RESULTS + f"?versie={bad}").status_code == 404, bad


def test_visibility_of_the_pages(world, client) -> None:  # type: ignore[no-untyped-def]
    assert client.get(RESULTS).status_code == 302  # login first
    client.force_login(world["users"]["norole"])  # internal assessment: not visible
    assert client.get(RESULTS).status_code == 404
    assert client.get(_url("versions", key="demo-afweging")).status_code == 404
    client.force_login(world["users"]["member"])
    assert client.get("/afwegingen/bestaat-niet/resultaten/").status_code == 404


def test_page_without_versions_offers_the_analysis(world, client) -> None:  # type: ignore[no-untyped-def]
    AssessmentFactory(key="leeg", title="Lege afweging")
    client.force_login(world["users"]["analyst"])
    page = client.get("/afwegingen/leeg/resultaten/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "nog niet geanalyseerd" in html
    assert 'action="/afwegingen/leeg/analyse/"' in html


def test_versions_page(world, client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world["users"]["member"])
    page = client.get(_url("versions", key="demo-afweging"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "?versie=1" in html and "?versie=2" in html and "herzien" in html
    assert html.index("Versie 2") < html.index("Versie 1")


def test_needs_review_notice_lists_what_changed(world, client, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    from paraat.assessments import selectors

    monkeypatch.setattr(
        selectors,
        "assessment_review_state",
        lambda **kw: [
            {
                "kind": "evidence",
                "key": "scp-2022",
                "label": "Jongeren in coronatijd",
                "changed_at": dt.datetime(2023, 2, 1, 12, 0, tzinfo=dt.UTC),
                "reason": "gewijzigd na versie 2",
            }
        ],
    )
    client.force_login(world["users"]["member"])
    html = client.get(RESULTS).content.decode()
    assert "Review nodig" in html
    assert "Jongeren in coronatijd (bron: scp-2022) — gewijzigd na versie 2" in html


# --- the analysis job --------------------------------------------------------------------------


def test_analyse_button_starts_a_job_with_progress(
    world, client, monkeypatch, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    calls: dict[str, Any] = {}

    def fake_analyse(*, actor, assessment, samples=None, seed=None, note="", progress=None):  # type: ignore[no-untyped-def]
        calls.update(actor=actor, samples=samples, note=note)
        progress(0.5, "Analyse (SMAA) draait")
        return AssessmentVersion.objects.create(
            assessment=assessment,
            number=3,
            document=DOCUMENT,
            result=RESULT,
            samples=samples,
            seed=7,
        )

    monkeypatch.setattr(services, "assessment_analyse", fake_analyse)
    client.force_login(world["users"]["analyst"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _url("analyse", key="demo-afweging"), {"samples": "2000", "note": "na review"}
        )
    job = Job.objects.get(kind=tasks.ANALYSE_KIND)
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:detail", kwargs={"job_id": job.pk})
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert calls == {"actor": world["users"]["analyst"], "samples": 2000, "note": "na review"}
    assert job.result["version"] == 3
    assert job.result["url"] == RESULTS + "?versie=3"
    assert job.progress_total == 100


def test_analyse_validation_and_permissions(world, client) -> None:  # type: ignore[no-untyped-def]
    url = _url("analyse", key="demo-afweging")
    client.force_login(world["users"]["member"])
    assert client.post(url, {"samples": "2000"}).status_code == 403
    client.force_login(world["users"]["analyst"])
    for bad in ("", "abc", "5", "10000000"):
        page = client.post(url, {"samples": bad})
        assert page.status_code == 400, bad
        assert "errorlist" in page.content.decode()
    assert not Job.objects.exists()
    assert client.get(url).status_code == 302  # GET: back to the form on the results page


def test_analyse_job_turns_validation_errors_into_a_message(world, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from django.core.exceptions import ValidationError

    def refuse(**kwargs):  # type: ignore[no-untyped-def]
        raise ValidationError({"samples": ["Kies tussen 100 en 200000 trekkingen."]})

    monkeypatch.setattr(services, "assessment_analyse", refuse)
    job = tasks.analyse_start(
        user=world["users"]["analyst"], assessment=world["assessment"], samples=5
    )
    job = tasks.analyse_job(job=job)
    assert job.status == JobStatus.FAILED
    assert job.error == "samples: Kies tussen 100 en 200000 trekkingen."


def test_real_analysis(world, client, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    engine = pytest.importorskip("paraat_core.assessment")
    if not hasattr(engine, "analyse"):
        pytest.skip("engine not complete yet")
    from paraat.assessments.tests.factories import filled_assessment

    assessment = filled_assessment(key="echt", title="Echte analyse")
    client.force_login(world["users"]["analyst"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url("analyse", key="echt"), {"samples": "500"})
    job = Job.objects.get(kind=tasks.ANALYSE_KIND)
    assert job.status == JobStatus.SUCCEEDED, job.error
    page = client.get(f"/afwegingen/echt/resultaten/?versie={job.result['version']}")
    assert page.status_code == 200
    assert 'id="ladder-table"' in page.content.decode()
    assert assessment.versions.count() == 1


# --- the report job and download ---------------------------------------------------------------


def _report(client, user, fmt: str, version: int = 2, capture=None) -> Job:  # type: ignore[no-untyped-def]
    client.force_login(user)
    with capture(execute=True):
        response = client.post(_url("report", key="demo-afweging"), {"fmt": fmt, "versie": version})
    assert response.status_code == 302, response.content.decode()[:500]
    job = Job.objects.filter(kind=tasks.REPORT_KIND).order_by("-created_at").first()
    assert job is not None
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error
    return job


def _download(client, job: Job) -> bytes:  # type: ignore[no-untyped-def]
    response = client.get(job.result["url"])
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    return b"".join(response.streaming_content)


@pytest.mark.parametrize("fmt", ["pdf", "docx", "md", "html", "json"])
def test_member_report_downloads_never_hold_the_masked_effectiveness(
    world, client, django_capture_on_commit_callbacks, fmt
) -> None:  # type: ignore[no-untyped-def]
    job = _report(client, world["users"]["member"], fmt, capture=django_capture_on_commit_callbacks)
    assert job.result["masked"] == ["close"]
    assert job.result["name"] == f"afweging-demo-afweging-v2.{fmt}"
    body = _download(client, job)
    if fmt == "pdf":
        text = pdf_text(body)
    elif fmt == "docx":
        text = docx_text(body)
    else:
        text = body.decode("utf-8")
    assert SECRET_SOURCE not in text
    assert SECRET_NUMBER not in text and "-0.37" not in text and "0.37" not in text
    if fmt != "json":
        assert "Impactladder" in text


def test_superuser_report_holds_it_and_only_the_creator_downloads(
    world, client, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    users = world["users"]
    job = _report(
        client, users["super"], "pdf", version=1, capture=django_capture_on_commit_callbacks
    )
    assert job.result["masked"] == []
    assert SECRET_SOURCE in pdf_text(_download(client, job))
    url = job.result["url"]
    assert url == f"/afwegingen/demo-afweging/rapport/{job.pk}/"
    # the job page links to the download
    assert url in client.get(reverse("jobs:detail", kwargs={"job_id": job.pk})).content.decode()
    for other in ("member", "analyst", "norole"):
        client.force_login(users[other])
        assert client.get(url).status_code == 404, other
    client.logout()
    assert client.get(url).status_code == 302
    assert tasks.report_file_for(job, AnonymousUser()) is None
    client.force_login(users["super"])
    assert client.get(f"/afwegingen/anders/rapport/{job.pk}/").status_code == 404
    assert client.get(f"/afwegingen/demo-afweging/rapport/{uuid.uuid4()}/").status_code == 404


def test_creator_who_loses_access_loses_the_report(
    world, client, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    from django.contrib.auth.models import Group

    users = world["users"]
    chair = UserFactory(username="secretaris", roles=[roles.CPO])
    job = _report(client, chair, "md", capture=django_capture_on_commit_callbacks)
    assert job.result["masked"] == []  # the CPO secretariat may see confidential records
    client.force_login(chair)
    assert client.get(job.result["url"]).status_code == 200
    chair.groups.set([Group.objects.get(name=roles.MEMBER)])  # now only a member
    assert client.get(job.result["url"]).status_code == 404
    chair.groups.clear()  # no role: the internal assessment is out of sight
    assert client.get(job.result["url"]).status_code == 404
    assert users  # fixture used


@pytest.fixture
def sourced(world) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """Version 3 names an evidence item, a fiche cell, measures and a package, all internal (a
    committee member sees them)."""
    from paraat.evidence.services import CellData
    from paraat.evidence.tests.factories import EvidenceItemFactory, fiche_create
    from paraat.measures.tests.factories import MeasureFactory, PackageFactory
    from paraat.taxonomies.tests.factories import DomainFactory, PopulationGroupFactory

    internal = Confidentiality.INTERNAL
    evidence = EvidenceItemFactory(ref="scp-2022", confidentiality=internal)
    measure = MeasureFactory(key="scholen-sluiten", confidentiality=internal)
    package = PackageFactory(key="pakket-scholen", confidentiality=internal)
    fiche_measure = MeasureFactory(key="afstandsonderwijs", confidentiality=internal)
    fiche = fiche_create(
        fiche_measure,
        confidentiality=internal,
        cells=(
            CellData(
                domain=DomainFactory(key="mental-health"),
                group=PopulationGroupFactory(key="young-people"),
                direction="negative",
                confidentiality=internal,
            ),
        ),
    )
    document = copy.deepcopy(DOCUMENT)
    close = next(o for o in document["options"] if o["id"] == "close")
    close["package"] = package.key
    close["measures"] = [measure.key]
    document["judgements"] = [
        {
            "option": "close",
            "domain": "mental-health",
            "group": "young-people",
            "effect": "small_negative",
            "evidence": ["scp-2022"],
            "fiche_cells": [
                {
                    "measure": fiche_measure.key,
                    "domain": "mental-health",
                    "group": "young-people",
                    "version": 1,
                }
            ],
        }
    ]
    AssessmentVersion.objects.create(
        assessment=world["assessment"],
        number=3,
        document=document,
        result=copy.deepcopy(RESULT),
        samples=2000,
        seed=44,
    )
    cell = fiche.versions.get().cells.get()
    return {
        "evidence": evidence,
        "measure": measure,
        "package": package,
        "fiche_measure": fiche_measure,
        "fiche": fiche,
        "cell": cell,
    }


def test_report_sources_are_what_the_reader_sees(world, sourced) -> None:  # type: ignore[no-untyped-def]
    version = AssessmentVersion.objects.get(number=3)
    sources = tasks.report_sources(version=version, user=world["users"]["member"])
    assert sources == {
        "evidence": ["scp-2022"],
        "fiche_cells": ["afstandsonderwijs/v1/mental-health/young-people"],
        "measures": ["afstandsonderwijs", "scholen-sluiten"],
        "packages": ["pakket-scholen"],
    }
    public = tasks.report_sources(version=version, user=AnonymousUser())
    assert public == {"evidence": [], "fiche_cells": [], "measures": [], "packages": []}


@pytest.mark.parametrize(
    "hidden", ["evidence", "cell", "fiche", "measure", "fiche_measure", "package"]
)
def test_creator_who_loses_access_to_a_source_loses_the_report(
    world, sourced, client, django_capture_on_commit_callbacks, hidden
) -> None:  # type: ignore[no-untyped-def]
    """Before, only the effectiveness was checked again: a member who lost access to an
    evidence item (or fiche cell, measure, package) the report was made with still had it."""
    member = world["users"]["member"]
    job = _report(client, member, "md", version=3, capture=django_capture_on_commit_callbacks)
    recorded = job.result["sources"]
    assert len(recorded) == 5  # evidence, fiche cell, two measures, package
    # the job page shows the result: the record names no source
    for key in ("scp-2022", "scholen-sluiten", "pakket-scholen", "afstandsonderwijs"):
        assert key not in json.dumps(job.result)
    assert "Jongeren in coronatijd" in _download(client, job).decode()  # the evidence is in it
    obj = sourced[hidden]
    obj.confidentiality = Confidentiality.CONFIDENTIAL
    obj.save(update_fields=["confidentiality"])
    assert tasks.report_file_for(job, member) is None
    assert client.get(job.result["url"]).status_code == 404
    obj.confidentiality = Confidentiality.INTERNAL  # visible again: the report is back
    obj.save(update_fields=["confidentiality"])
    assert client.get(job.result["url"]).status_code == 200


def test_report_refused_when_a_source_is_gone_or_was_not_recorded(
    world, sourced, client, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    from paraat.evidence.models import EvidenceItem

    member = world["users"]["member"]
    job = _report(client, member, "json", version=3, capture=django_capture_on_commit_callbacks)
    assert tasks.report_file_for(job, member) is not None
    without = Job.objects.get(pk=job.pk)
    without.result = {k: v for k, v in job.result.items() if k != "sources"}
    assert tasks.report_file_for(without, member) is None  # made before sources were recorded
    EvidenceItem.objects.filter(pk=sourced["evidence"].pk).update(ref="ander-rapport")
    assert tasks.report_file_for(job, member) is None
    # a source the member could not see when the report was made does not count
    EvidenceItem.objects.filter(pk=sourced["evidence"].pk).update(
        ref="scp-2022", confidentiality=Confidentiality.CONFIDENTIAL
    )
    job = _report(client, member, "json", version=3, capture=django_capture_on_commit_callbacks)
    assert len(job.result["sources"]) == 4
    assert tasks.report_file_for(job, member) is not None


def test_report_form_errors(world, client) -> None:  # type: ignore[no-untyped-def]
    url = _url("report", key="demo-afweging")
    client.force_login(world["users"]["member"])
    assert client.post(url, {"fmt": "xls", "versie": 2}).status_code == 400
    assert client.post(url, {"fmt": "pdf", "versie": "x"}).status_code == 400
    assert client.post(url, {"fmt": "pdf", "versie": 99}).status_code == 404
    assert client.get(url).status_code == 302
    assert not Job.objects.exists()
    client.force_login(world["users"]["norole"])
    assert client.post(url, {"fmt": "pdf", "versie": 2}).status_code == 404


# --- methodology -------------------------------------------------------------------------------


def test_methodology_page_is_public_and_explains_the_formulas(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/afwegingen/methode/")
    assert page.status_code == 200
    html = page.content.decode()
    for text in ("SMAA-2", "certainty_spread", "95 %", "niet beoordeeld", "Dominantie"):
        assert text in html, text
    assert 'style="' not in html
