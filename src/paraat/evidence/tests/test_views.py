"""Pages of the knowledge library: who may see what, forms through the UI, downloads, bad input."""

from __future__ import annotations

import io
import os
import re

import docx
import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx.oxml.ns import qn
from pypdf import PdfReader

from paraat.accounts import roles
from paraat.accounts.models import Confidentiality
from paraat.accounts.services import roles_sync
from paraat.accounts.tests.factories import UserFactory
from paraat.evidence import services
from paraat.evidence.models import (
    DuplicateCandidate,
    DuplicateStatus,
    EvidenceItem,
    EvidenceLink,
    Fiche,
    FicheEvent,
    FicheVersion,
    ImportBatch,
    KnowledgeDossier,
    MergeRecord,
)
from paraat.evidence.tests.factories import EvidenceItemFactory, fiche_create
from paraat.jobs.models import Job
from paraat.measures.tests.factories import MeasureFactory
from paraat.taxonomies.tests.factories import DomainFactory, PopulationGroupFactory

pytestmark = pytest.mark.django_db

ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres", "postgis", "pgsql"))
LOGIN = "/accounts/inloggen/"


@pytest.fixture
def users():
    roles_sync()
    return {
        "analyst": UserFactory(username="analist", roles=[roles.ANALYST]),
        "expert": UserFactory(username="expert", roles=[roles.EXPERT_MEMBER]),
        "cpo": UserFactory(username="cpo", roles=[roles.CPO]),
    }


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _status(client, user, url: str, method: str = "get", data=None) -> int | str:
    """The status code, or "login" for a redirect to the login page."""
    client.logout()
    if user is not None:
        client.force_login(user)
    response = getattr(client, method)(url, data or {})
    if response.status_code == 302 and response.url.startswith(LOGIN + "?next="):
        return "login"
    return response.status_code


def _item_form(**overrides) -> dict[str, object]:
    data: dict[str, object] = {
        "item_type": "report",
        "title": "Rapport over thuisonderwijs",
        "authors": "Jansen, Els\nPietersen, Ko",
        "organisation": "",
        "published_on": "2021-05-01",
        "date_precision": "month",
        "doi": "",
        "url": "",
        "language": "nl",
        "container_title": "",
        "publisher": "",
        "keywords": "onderwijs, jongeren",
        "summary": "Leerachterstanden door thuisonderwijs.",
        "full_text": "",
        "licence": "",
        "knowledge_class": "scientific",
        "certainty": "",
        "certainty_note": "",
        "on_behalf_of": "",
        "interests_status": "unknown",
        "declared_interests": "",
        "confidentiality": "internal",
    }
    data.update(overrides)
    return data


# --- who may see which page ---------------------------------------------------------------------


def test_item_pages_by_role(client, users) -> None:
    public = EvidenceItemFactory(title="Openbaar onderzoek", confidentiality="public")
    internal = EvidenceItemFactory(title="Intern onderzoek", confidentiality="internal")
    secret = EvidenceItemFactory(title="Geheim onderzoek", confidentiality="confidential")
    analyst, expert, cpo = users["analyst"], users["expert"], users["cpo"]
    expected = [
        (None, reverse("evidence:list"), 200),
        (None, reverse("evidence:detail", args=[public.pk]), 200),
        (None, reverse("evidence:detail", args=[internal.pk]), 404),
        (analyst, reverse("evidence:detail", args=[internal.pk]), 200),
        (analyst, reverse("evidence:detail", args=[secret.pk]), 404),
        (cpo, reverse("evidence:detail", args=[secret.pk]), 200),
        (None, reverse("evidence:detail", args=[999999]), 404),
        (None, reverse("evidence:by_ref", args=[public.ref]), 302),
        (None, reverse("evidence:by_ref", args=[internal.ref]), 404),
        (None, reverse("evidence:create"), "login"),
        (analyst, reverse("evidence:create"), 403),
        (expert, reverse("evidence:create"), 200),
        (cpo, reverse("evidence:create"), 200),
        (None, reverse("evidence:edit", args=[public.pk]), "login"),
        (analyst, reverse("evidence:edit", args=[public.pk]), 403),
        (expert, reverse("evidence:edit", args=[public.pk]), 403),
        (cpo, reverse("evidence:edit", args=[public.pk]), 200),
        (cpo, reverse("evidence:edit", args=[999999]), 404),
        (None, reverse("evidence:import"), "login"),
        (analyst, reverse("evidence:import"), 403),
        (expert, reverse("evidence:import"), 403),
        (cpo, reverse("evidence:import"), 200),
        (analyst, reverse("evidence:duplicates"), 403),
        (cpo, reverse("evidence:duplicates"), 200),
        (cpo, reverse("evidence:import_report", args=[999999]), 404),
        (analyst, reverse("evidence:import_report", args=[999999]), 403),
        (None, reverse("evidence:attachment", args=[public.pk]), 404),  # no attachment
    ]
    for user, url, status in expected:
        assert _status(client, user, url) == status, (user, url)
    # The import page needs exactly the permission evidence.import_evidence, not a role.
    importer = UserFactory()
    importer.user_permissions.add(Permission.objects.get(codename="import_evidence"))
    assert _status(client, importer, reverse("evidence:import")) == 200
    assert _status(client, importer, reverse("evidence:duplicates")) == 200
    assert _status(client, importer, reverse("evidence:create")) == 403
    client.logout()
    page = client.get(reverse("evidence:list")).content.decode()
    assert "Openbaar onderzoek" in page
    assert "Intern onderzoek" not in page and "Geheim onderzoek" not in page
    client.force_login(analyst)
    page = client.get(reverse("evidence:list")).content.decode()
    assert "Intern onderzoek" in page and "Geheim onderzoek" not in page
    assert reverse("evidence:create") not in page  # no add button for the analyst


def test_search_page_with_a_query_highlights_the_hit(client) -> None:
    EvidenceItemFactory(title="Sluiting van scholen en leerachterstand", summary="Over onderwijs.")
    EvidenceItemFactory(title="Avondklok en jongeren", summary="Over de avond.")
    response = client.get(reverse("evidence:list"), {"q": "school"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "<mark>scholen</mark>" in page
    assert "Avondklok en jongeren" not in page


def test_fiche_and_dossier_pages_by_role(client, users) -> None:
    analyst, cpo = users["analyst"], users["cpo"]
    public_fiche = fiche_create(MeasureFactory(key="openbaar-m", name_nl="Openbare maatregel"))
    fiche_create(
        MeasureFactory(key="intern-m", name_nl="Interne maatregel"),
        confidentiality=Confidentiality.INTERNAL,
    )
    MeasureFactory(key="zonder-fiche")
    item = EvidenceItemFactory(ref="bron-een")
    for key, level in (("openbaar-d", "public"), ("intern-d", "internal")):
        services.dossier_save(
            dossier=None,
            key=key,
            title_nl=f"Dossier {key}",
            title_en="",
            measures=[public_fiche.measure],
            reviewer=None,
            confidentiality=level,
            synthesis="Tekst [@bron-een].",
            open_questions="",
            items=[item],
            change_note="Eerste versie",
            user=None,
        )
    expected = [
        (None, "/fiches/", 200),
        (None, "/fiches/openbaar-m/", 200),
        (None, "/fiches/intern-m/", 404),
        (analyst, "/fiches/intern-m/", 200),
        (None, "/fiches/onbekend/", 404),
        (None, "/fiches/openbaar-m/bewerken/", "login"),
        (analyst, "/fiches/openbaar-m/bewerken/", 403),
        (cpo, "/fiches/openbaar-m/bewerken/", 200),
        (cpo, "/fiches/zonder-fiche/nieuw/", 200),
        (analyst, "/fiches/zonder-fiche/nieuw/", 403),
        (cpo, "/fiches/openbaar-m/nieuw/", 302),  # already has a fiche: to the edit page
        (None, "/fiches/openbaar-m/review/", "login"),
        (None, "/fiches/openbaar-m/verschil/", 200),
        (None, "/fiches/openbaar-m/download.pdf", 200),
        (None, "/fiches/intern-m/download.pdf", 404),
        (None, "/fiches/openbaar-m/download.odt", 404),
        (None, "/kennisdossiers/", 200),
        (None, "/kennisdossiers/openbaar-d/", 200),
        (None, "/kennisdossiers/intern-d/", 404),
        (analyst, "/kennisdossiers/intern-d/", 200),
        (None, "/kennisdossiers/nieuw/", "login"),
        (analyst, "/kennisdossiers/nieuw/", 403),
        (cpo, "/kennisdossiers/nieuw/", 200),
        (analyst, "/kennisdossiers/openbaar-d/bewerken/", 403),
        (cpo, "/kennisdossiers/openbaar-d/bewerken/", 200),
    ]
    for user, url, status in expected:
        assert _status(client, user, url) == status, (user, url)
    client.logout()
    page = client.get("/fiches/").content.decode()
    assert "Openbare maatregel" in page and "Interne maatregel" not in page
    page = client.get("/kennisdossiers/").content.decode()
    assert "Dossier openbaar-d" in page and "Dossier intern-d" not in page


# --- items through the UI ---------------------------------------------------------------------


def test_create_item_with_pdf_and_edit_it(client, users, media_root) -> None:
    from weasyprint import HTML

    client.force_login(users["expert"])
    pdf = HTML(string="<p>Leerlingen misten de klasgenoten.</p>").write_pdf()
    response = client.post(
        reverse("evidence:create"),
        {**_item_form(), "attachment": SimpleUploadedFile("verslag.pdf", pdf, "application/pdf")},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    item = EvidenceItem.objects.get()
    assert response.url == reverse("evidence:detail", args=[item.pk])
    assert item.submitted_by == users["expert"]
    assert item.authors == ["Jansen, Els", "Pietersen, Ko"]
    assert item.keywords == ["onderwijs", "jongeren"]
    assert "klasgenoten" in item.extracted_text
    download = client.get(reverse("evidence:attachment", args=[item.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == pdf

    client.force_login(users["cpo"])
    response = client.post(
        reverse("evidence:edit", args=[item.pk]),
        _item_form(title="Rapport over thuisonderwijs (herzien)", certainty="low"),
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "Rapport over thuisonderwijs (herzien)" and item.certainty == "low"
    assert "klasgenoten" in item.extracted_text  # the attachment stays
    page = client.get(reverse("evidence:detail", args=[item.pk])).content.decode()
    assert "Rapport over thuisonderwijs (herzien)" in page


def test_item_form_shows_service_errors_and_refuses_non_pdf(client, users, media_root) -> None:
    client.force_login(users["cpo"])
    response = client.post(
        reverse("evidence:create"),
        _item_form(certainty="", certainty_downgrades=["imprecision"]),
    )
    assert response.status_code == 200
    assert (
        "Redenen voor af- of opwaarderen horen bij een GRADE-niveau." in response.content.decode()
    )
    response = client.post(
        reverse("evidence:create"),
        {
            **_item_form(),
            "attachment": SimpleUploadedFile("x.pdf", b"MZ\x90\x00 geen pdf", "application/pdf"),
        },
    )
    assert response.status_code == 200
    assert "x.pdf is geen PDF-bestand (gecontroleerd op inhoud)." in response.content.decode()
    assert not EvidenceItem.objects.exists()


def test_link_through_the_ui_flags_the_fiche_and_mails_once(
    client, users, django_capture_on_commit_callbacks
) -> None:
    reviewer = UserFactory(email="reviewer@example.org", roles=[roles.EXPERT_MEMBER])
    measure = MeasureFactory(key="scholen-dicht", name_nl="Scholen dicht")
    fiche = fiche_create(measure, reviewer=reviewer)
    item = EvidenceItemFactory(title="Vertrouwelijke peiling", confidentiality="confidential")
    client.force_login(users["cpo"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("evidence:link_add", args=[item.pk]),
            {"measure": measure.pk, "direction": "negative", "size": "small"},
        )
    assert response.status_code == 302
    link = EvidenceLink.objects.get()
    assert (link.item, link.measure, link.direction) == (item, measure, "negative")
    fiche.refresh_from_db()
    assert fiche.needs_review
    assert len(mail.outbox) == 1 and "Vertrouwelijke peiling" not in mail.outbox[0].body
    # The reviewer sees the fiche in "voor u om te reviewen".
    client.force_login(reviewer)
    page = client.get("/fiches/").content.decode()
    assert "Voor u om te reviewen" in page
    # Garbage: a link to nothing is refused with a message, nothing stored.
    client.force_login(users["cpo"])
    response = client.post(
        reverse("evidence:link_add", args=[item.pk]), {"direction": "sideways"}, follow=True
    )
    assert response.status_code == 200 and EvidenceLink.objects.count() == 1
    assert (
        _status(
            client,
            users["analyst"],
            reverse("evidence:link_add", args=[item.pk]),
            "post",
            {"measure": measure.pk},
        )
        == 403
    )


# --- import, report, duplicates ---------------------------------------------------------------


def test_import_upload_runs_job_and_job_page_links_the_report(
    client, users, media_root, django_capture_on_commit_callbacks
) -> None:
    EvidenceItemFactory(title="Sluiting van scholen en het welzijn van kinderen")
    csv = (
        "title,published_on,summary\n"
        "Nieuwe studie over thuiswerken,2021,Samenvatting\n"
        ",2021,Regel zonder titel\n"
        "Sluiting van scholen en het welzijn van kinderen!,2022,\n"
    )
    client.force_login(users["cpo"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("evidence:import"),
            {
                "file": SimpleUploadedFile("zotero.csv", csv.encode(), "text/csv"),
                "file_format": "",
                "confidentiality": "public",
            },
        )
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == reverse("jobs:detail", args=[job.pk])
    job.refresh_from_db()
    assert job.status == "succeeded", job.error
    batch = ImportBatch.objects.get()
    assert batch.created_by == users["cpo"]
    report_url = reverse("evidence:import_report", args=[batch.pk])
    page = client.get(response.url).content.decode()
    assert f'href="{report_url}"' in page
    assert not any((media_root / "imports").iterdir())  # the stored upload is removed

    report = client.get(report_url).content.decode()
    assert "1 record afgewezen" in report
    assert re.search(r'<td class="num">3</td><td>title</td><td>titel ontbreekt</td>', report)
    assert "Mogelijke dubbelen" in report and "Naar het samenvoegscherm" in report
    assert EvidenceItem.objects.filter(confidentiality="public").count() == 3
    overview = client.get(reverse("evidence:import")).content.decode()
    assert "zotero.csv" in overview


def test_import_of_a_broken_file_fails_the_job_and_stores_nothing(
    client, users, media_root, django_capture_on_commit_callbacks
) -> None:
    client.force_login(users["cpo"])
    broken = "TY  - RPRT\nTI  - Goed\nER  - \nTY  - RPRT\nTI  - Kapot\n"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("evidence:import"),
            {
                "file": SimpleUploadedFile("kapot.ris", broken.encode()),
                "file_format": "",
                "confidentiality": "internal",
            },
        )
    job = Job.objects.get()
    assert job.status == "failed"
    assert "kapot.ris, regel 4" in job.error
    page = client.get(response.url).content.decode()
    assert "kapot.ris, regel 4" in page and "Er is niets opgeslagen" in page
    assert not EvidenceItem.objects.exists() and not ImportBatch.objects.exists()


def test_duplicate_merge_and_dismiss_through_the_ui(client, users) -> None:
    keep = EvidenceItemFactory(title="Scholen dicht in 2020", summary="")
    remove = EvidenceItemFactory(title="Scholen dicht in 2020.", summary="Samenvatting B")
    third = EvidenceItemFactory(title="Scholen dicht, 2020")
    measure = MeasureFactory()
    link = services.evidence_link_create(
        item=remove, data=services.LinkData(measure=measure), user=None
    )
    merge = DuplicateCandidate.objects.create(item=remove, other=keep, score=97.5, reason="title")
    dismiss = DuplicateCandidate.objects.create(item=third, other=keep, score=93, reason="title")
    client.force_login(users["cpo"])
    page = client.get(reverse("evidence:duplicates")).content.decode()
    assert reverse("evidence:merge", args=[merge.pk]) in page and "97,5%" in page
    page = client.get(reverse("evidence:merge", args=[merge.pk])).content.decode()
    assert "Samenvatting B" in page and "verschilt" in page
    assert _status(client, users["analyst"], reverse("evidence:merge", args=[merge.pk])) == 403

    client.force_login(users["cpo"])
    response = client.post(
        reverse("evidence:merge", args=[merge.pk]),
        {"keep": str(keep.pk), "take_fields": ["summary"], "merge": ""},
    )
    assert response.status_code == 302 and response.url == reverse(
        "evidence:detail", args=[keep.pk]
    )
    keep.refresh_from_db()
    remove.refresh_from_db()
    link.refresh_from_db()
    assert remove.merged_into == keep and link.item == keep
    assert keep.summary == "Samenvatting B"
    assert MergeRecord.objects.get().merged_by == users["cpo"]
    merge.refresh_from_db()
    assert merge.status == DuplicateStatus.MERGED
    # The retired item redirects to the one that stayed.
    response = client.get(reverse("evidence:detail", args=[remove.pk]))
    assert response.status_code == 302 and response.url == reverse(
        "evidence:detail", args=[keep.pk]
    )
    # A resolved candidate has no merge screen any more.
    assert client.get(reverse("evidence:merge", args=[merge.pk])).status_code == 404

    response = client.post(reverse("evidence:merge", args=[dismiss.pk]), {"dismiss": ""})
    assert response.status_code == 302 and response.url == reverse("evidence:duplicates")
    dismiss.refresh_from_db()
    assert dismiss.status == DuplicateStatus.DISMISSED and dismiss.resolved_by == users["cpo"]
    assert (
        "Geen open mogelijke dubbelen."
        in client.get(reverse("evidence:duplicates")).content.decode()
    )


# --- fiches -----------------------------------------------------------------------------------


@pytest.fixture
def fiche_data(users):
    """A public fiche with a public and an internal cell; the internal cell cites an internal
    item and has a note only insiders may read."""
    mental = DomainFactory(key="mentaal", name_nl="Mentale gezondheid", position=1)
    income = DomainFactory(key="inkomen", name_nl="Inkomen en werk", position=2)
    young = PopulationGroupFactory(key="jongeren", name_nl="Jongeren", position=1)
    public_item = EvidenceItemFactory(
        title="Openbare studie Kolibrie", ref="kolibrie", confidentiality="public"
    )
    internal_item = EvidenceItemFactory(
        title="Interne notitie Zwaluwstaart", ref="zwaluwstaart", confidentiality="internal"
    )
    measure = MeasureFactory(key="scholen-dicht", name_nl="Scholen dicht")
    fiche = fiche_create(
        measure,
        reviewer=users["analyst"],
        summary="Scholen gaan dicht.\nOuders werken thuis.\nKinderen missen vrienden.",
        key_evidence=(public_item, internal_item),
        cells=(
            services.CellData(
                domain=mental,
                direction="negative",
                size="large",
                certainty="low",
                evidence=(public_item,),
                note="Openbare toelichting Merel",
            ),
            services.CellData(domain=mental, group=young, direction="unknown"),
            services.CellData(domain=income, direction="none"),
            services.CellData(
                domain=income,
                group=young,
                direction="positive",
                size="small",
                evidence=(internal_item,),
                note="Geheimetoelichting Ekster",
                confidentiality=Confidentiality.INTERNAL,
            ),
        ),
    )
    return {
        "fiche": fiche,
        "measure": measure,
        "mental": mental,
        "income": income,
        "young": young,
        "public_item": public_item,
        "internal_item": internal_item,
    }


def _cells(page: str) -> dict[str, str]:
    """Matrix cells as {css modifier: visible text} (the first cell of each kind)."""
    found: dict[str, str] = {}
    for kind, body in re.findall(
        r'<td class="paraat-cell paraat-cell--(\w+)">(.*?)</td>', page, re.S
    ):
        found.setdefault(kind, " ".join(re.sub(r"<[^>]+>", " ", body).split()))
    return found


def test_fiche_detail_public_reader_sees_no_internal_cell_or_item(
    client, users, fiche_data
) -> None:
    page = client.get("/fiches/scholen-dicht/").content.decode()
    assert "Kolibrie" in page and "Openbare toelichting Merel" in page
    assert "Zwaluwstaart" not in page and "zwaluwstaart" not in page
    assert "Ekster" not in page
    assert "Openbare weergave: interne en vertrouwelijke onderdelen zijn weggelaten." in page
    cells = _cells(page)
    assert "positive" not in cells  # the internal cell is left out: shown as not judged
    assert cells["empty"] == "niet beoordeeld"
    assert cells["unknown"].startswith("? onbekend")
    assert cells["none"].startswith("○ geen effect")
    assert (
        cells["negative"].startswith("▼ negatief, groot") and "zekerheid: laag" in cells["negative"]
    )
    assert "Reviewgeschiedenis" not in page and "review-title" not in page

    client.force_login(users["analyst"])  # internal reader and the assigned reviewer
    page = client.get("/fiches/scholen-dicht/").content.decode()
    assert "Zwaluwstaart" in page and "Geheimetoelichting Ekster" in page
    cells = _cells(page)
    assert cells["positive"].startswith("▲ positief, klein") and "intern" in cells["positive"]
    assert {"unknown", "none", "negative"} <= set(cells)
    assert "empty" not in cells  # every domain × group is judged for this reader
    assert "Openbare weergave" not in page
    assert 'id="review-title"' in page  # the assigned reviewer gets the review form


def test_not_judged_unknown_and_no_effect_are_distinct(client, fiche_data) -> None:
    page = client.get("/fiches/scholen-dicht/").content.decode()
    cells = _cells(page)
    texts = {cells["empty"], cells["unknown"], cells["none"]}
    assert len(texts) == 3
    assert "onbekend" not in cells["empty"] and "geen effect" not in cells["empty"]
    assert "niet beoordeeld" not in cells["unknown"] and "niet beoordeeld" not in cells["none"]


def _docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    return "".join(node.text or "" for node in document.element.body.iter(qn("w:t")))


def _pdf_text(content: bytes) -> str:
    return " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)


def test_fiche_downloads_leave_out_internal_parts_for_the_public(client, users, fiche_data) -> None:
    for file_format, reader in (("pdf", _pdf_text), ("docx", _docx_text)):
        url = f"/fiches/scholen-dicht/download.{file_format}"
        client.logout()
        public = client.get(url)
        assert public.status_code == 200
        assert "openbaar" in public["Content-Disposition"]
        public_text = reader(public.content)
        assert "Kolibrie" in public_text and "Merel" in public_text
        assert "Zwaluwstaart" not in public_text and "Ekster" not in public_text

        client.force_login(users["cpo"])
        internal = client.get(url + "?versie=1")
        assert internal.status_code == 200
        assert "intern" in internal["Content-Disposition"]
        internal_text = reader(internal.content)
        assert "Zwaluwstaart" in internal_text and "Ekster" in internal_text
    assert public["Content-Type"].startswith("application/vnd.openxmlformats")


def _cell_post(index: int, **values) -> dict[str, str]:
    defaults = {
        "domain": "",
        "group": "",
        "direction": "",
        "size": "",
        "certainty": "",
        "horizon": "",
        "note": "",
        "evidence": "",
        "confidentiality": "public",
    }
    defaults.update({k: str(v) for k, v in values.items()})
    return {f"cells-{index}-{k}": v for k, v in defaults.items()}


def _fiche_post(cells: list[dict[str, object]], **fields) -> dict[str, str]:
    data = {
        "summary": "Scholen gaan dicht.\nKinderen missen vrienden.\nNoodopvang blijft open.",
        "mitigations": "Laptops voor leerlingen",
        "knowledge_gaps": "",
        "key_evidence": "kolibrie",
        "reviewer": "",
        "confidentiality": "public",
        "change_note": "Nieuwe inzichten",
        "cells-TOTAL_FORMS": str(len(cells)),
        "cells-INITIAL_FORMS": "0",
        "cells-MIN_NUM_FORMS": "0",
        "cells-MAX_NUM_FORMS": "1000",
    }
    for index, cell in enumerate(cells):
        data.update(_cell_post(index, **cell))
    data.update({k: str(v) for k, v in fields.items()})
    return data


def test_fiche_edit_creates_a_new_version_and_the_diff_shows_it(client, users, fiche_data) -> None:
    fiche, mental, income, young = (
        fiche_data["fiche"],
        fiche_data["mental"],
        fiche_data["income"],
        fiche_data["young"],
    )
    client.force_login(users["cpo"])
    form_page = client.get("/fiches/scholen-dicht/bewerken/").content.decode()
    assert 'name="cells-TOTAL_FORMS"' in form_page and "zwaluwstaart" in form_page
    cells = [
        {"domain": mental.pk, "direction": "mixed", "certainty": "low", "evidence": "kolibrie"},
        {"domain": mental.pk, "group": young.pk, "direction": "unknown"},
        {"domain": income.pk, "direction": "none"},
        {
            "domain": income.pk,
            "group": young.pk,
            "direction": "positive",
            "size": "small",
            "evidence": "zwaluwstaart",
            "note": "Geheimetoelichting Ekster",
            "confidentiality": "internal",
        },
    ]
    response = client.post(
        "/fiches/scholen-dicht/bewerken/", _fiche_post(cells, reviewer=users["analyst"].pk)
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    versions = list(FicheVersion.objects.filter(fiche=fiche).order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].summary.startswith("Scholen gaan dicht.\nOuders werken thuis.")
    assert versions[1].created_by == users["cpo"] and versions[1].change_note == "Nieuwe inzichten"
    assert versions[0].cells.get(domain=mental, group=None).direction == "negative"
    assert versions[1].cells.get(domain=mental, group=None).direction == "mixed"
    assert list(versions[1].key_evidence.values_list("ref", flat=True)) == ["kolibrie"]

    client.logout()
    page = client.get("/fiches/scholen-dicht/verschil/").content.decode()
    assert "Versie 1 → versie 2" in page
    assert re.search(r'class="paraat-diff__delete">.*?<del>Ouders werken thuis\.</del>', page, re.S)
    assert re.search(
        r'class="paraat-diff__insert">.*?<ins>Noodopvang blijft open\.</ins>', page, re.S
    )
    assert (
        "Mentale gezondheid × Hele bevolking: richting negatief → gemengd; omvang groot → (leeg)"
        in page
    )
    assert "Zwaluwstaart" not in page and "Ekster" not in page  # the public diff
    # An old version is still there, marked as not the newest.
    old = client.get("/fiches/scholen-dicht/?versie=1").content.decode()
    assert "U bekijkt versie 1; dit is niet de nieuwste versie." in old
    assert "Ouders werken thuis." in old


def test_fiche_edit_with_a_refused_cell_shows_the_error(client, users, fiche_data) -> None:
    mental = fiche_data["mental"]
    client.force_login(users["cpo"])
    cells = [
        {"domain": mental.pk, "direction": "none", "size": "large"},
    ]
    response = client.post("/fiches/scholen-dicht/bewerken/", _fiche_post(cells))
    assert response.status_code == 200
    assert "Regel 1: ‘geen effect’ of ‘onbekend’ heeft geen omvang." in response.content.decode()
    cells = [{"domain": mental.pk, "direction": "negative", "evidence": "zwaluwstaart"}]
    response = client.post("/fiches/scholen-dicht/bewerken/", _fiche_post(cells))
    assert response.status_code == 200
    assert "openbare regel kan niet rusten op niet-openbare items" in response.content.decode()
    cells = [{"domain": mental.pk, "direction": "negative", "evidence": "bestaat-niet"}]
    response = client.post("/fiches/scholen-dicht/bewerken/", _fiche_post(cells))
    assert response.status_code == 200
    assert "Onbekende citeersleutel(s): bestaat-niet" in response.content.decode()
    assert fiche_data["fiche"].versions.count() == 1


def test_refused_fiche_edit_changes_nothing(client, users, fiche_data) -> None:
    fiche, mental = fiche_data["fiche"], fiche_data["mental"]
    client.force_login(users["cpo"])
    cells = [
        {"domain": mental.pk, "direction": "negative"},
        {"domain": mental.pk, "direction": "positive"},  # same domain × group twice
    ]
    response = client.post(
        "/fiches/scholen-dicht/bewerken/",
        _fiche_post(cells, confidentiality="confidential", reviewer=users["expert"].pk),
    )
    assert response.status_code == 200
    assert "staat er al in" in response.content.decode()
    fiche.refresh_from_db()
    assert fiche.versions.count() == 1
    assert fiche.confidentiality == Confidentiality.PUBLIC
    assert fiche.reviewer == users["analyst"]


def test_fiche_create_through_the_ui(client, users) -> None:
    domain = DomainFactory(key="onderwijs", name_nl="Onderwijs")
    measure = MeasureFactory(key="nieuwe-maatregel")
    client.force_login(users["cpo"])
    response = client.post(
        "/fiches/nieuwe-maatregel/nieuw/",
        _fiche_post(
            [{"domain": domain.pk, "direction": "negative"}],
            key_evidence="",
            confidentiality="internal",
            change_note="Eerste versie",
        ),
    )
    assert response.status_code == 302 and response.url == "/fiches/nieuwe-maatregel/"
    fiche = Fiche.objects.get(measure=measure)
    assert fiche.confidentiality == "internal" and fiche.versions.get().number == 1
    assert client.get("/fiches/nieuwe-maatregel/").status_code == 200


def test_fiche_review_by_the_assigned_reviewer(client, users, fiche_data) -> None:
    fiche = fiche_data["fiche"]
    services.fiche_flag_review(fiche=fiche, reason="nieuw bewijs")
    other_analyst = UserFactory(roles=[roles.ANALYST])
    assert _status(client, other_analyst, "/fiches/scholen-dicht/review/", "post") == 403
    assert _status(client, users["analyst"], "/fiches/scholen-dicht/review/") == 405
    client.force_login(users["analyst"])
    page = client.get("/fiches/scholen-dicht/").content.decode()
    assert "Review nodig" in page
    response = client.post("/fiches/scholen-dicht/review/", {"note": "Alles nagelopen"})
    assert response.status_code == 302 and response.url == "/fiches/scholen-dicht/"
    fiche.refresh_from_db()
    assert not fiche.needs_review
    version = fiche.versions.order_by("-number").first()
    assert version.number == 2 and version.reviewed_by == users["analyst"]
    assert version.reviewed_on is not None and version.change_note == "Alles nagelopen"
    # The review copies the whole content, including the internal cell.
    assert version.cells.count() == 4
    assert FicheEvent.objects.filter(fiche=fiche, kind="reviewed", actor=users["analyst"]).exists()
    page = client.get("/fiches/scholen-dicht/").content.decode()
    assert "Review nodig" not in page and "Alles nagelopen" in page


# --- dossiers ---------------------------------------------------------------------------------


def _dossier_post(**overrides) -> dict[str, str]:
    data = {
        "key": "jongeren-en-scholen",
        "title_nl": "Jongeren en scholen",
        "title_en": "",
        "reviewer": "",
        "confidentiality": "public",
        "items": "",
        "synthesis": "Jongeren zijn eenzamer [@kolibrie].\n\nDit is een alinea zonder bron.",
        "open_questions": "Hoe lang duurt het effect?",
        "change_note": "Eerste versie",
    }
    data.update(overrides)
    return data


def test_dossier_create_with_citationless_paragraph_shows_the_error(client, users) -> None:
    EvidenceItemFactory(title="Openbare studie Kolibrie", ref="kolibrie")
    client.force_login(users["cpo"])
    response = client.post("/kennisdossiers/nieuw/", _dossier_post())
    assert response.status_code == 200
    page = response.content.decode()
    assert "Alinea 2 citeert geen item (gebruik [@sleutel])" in page
    assert not KnowledgeDossier.objects.exists()
    response = client.post(
        "/kennisdossiers/nieuw/", _dossier_post(synthesis="Eenzamer [@kolibrie] en [@onbekend].")
    )
    assert response.status_code == 200
    assert "Onbekende citeersleutel(s): onbekend" in response.content.decode()

    response = client.post(
        "/kennisdossiers/nieuw/", _dossier_post(synthesis="Jongeren zijn eenzamer [@kolibrie].")
    )
    assert response.status_code == 302 and response.url == "/kennisdossiers/jongeren-en-scholen/"
    client.logout()
    page = client.get(response.url).content.decode()
    assert "Jongeren en scholen" in page and "Openbare studie Kolibrie" in page
    assert "Hoe lang duurt het effect?" in page
    # The same key again is refused with a message.
    client.force_login(users["cpo"])
    response = client.post(
        "/kennisdossiers/nieuw/", _dossier_post(synthesis="Nog eens [@kolibrie].")
    )
    assert response.status_code == 200
    assert "Er is al een dossier met deze sleutel." in response.content.decode()


def test_dossier_hides_citations_of_items_the_reader_may_not_see(client, users) -> None:
    public = EvidenceItemFactory(title="Openbare studie Kolibrie", ref="kolibrie")
    internal = EvidenceItemFactory(
        title="Interne notitie Zwaluwstaart", ref="zwaluwstaart", confidentiality="internal"
    )
    services.dossier_save(
        dossier=None,
        key="gemengd",
        title_nl="Gemengd dossier",
        title_en="",
        measures=[],
        reviewer=None,
        confidentiality="public",
        synthesis="Openbaar [@kolibrie] en intern [@zwaluwstaart].",
        open_questions="",
        items=[public, internal],
        change_note="v1",
        user=None,
    )
    page = client.get("/kennisdossiers/gemengd/").content.decode()
    assert "Kolibrie" in page and "[niet openbaar]" in page
    assert "Zwaluwstaart" not in page and "zwaluwstaart" not in page
    client.force_login(users["analyst"])
    assert "Zwaluwstaart" in client.get("/kennisdossiers/gemengd/").content.decode()


# --- bad input never gives a server error -----------------------------------------------------


def test_bad_query_parameters_never_500(client, fiche_data) -> None:
    cases = [
        ("/fiches/scholen-dicht/?versie=abc", {404}),
        ("/fiches/scholen-dicht/?versie=999999999999", {404}),
        ("/fiches/scholen-dicht/?versie=7", {404}),
        ("/fiches/scholen-dicht/?versie=-1", {200, 404}),
        ("/fiches/x/?versie=abc", {404}),
        ("/fiches/scholen-dicht/download.pdf?versie=abc", {404}),
        ("/fiches/scholen-dicht/download.docx?versie=42", {404}),
        ("/fiches/scholen-dicht/verschil/?van=abc&naar=xyz", {404}),
        ("/fiches/scholen-dicht/verschil/?van=99&naar=1", {200}),
        ("/fiches/scholen-dicht/verschil/?naar=5", {404}),
        ("/kennisbibliotheek/?page=-1&from=abc&type=bogus", {200}),
        ("/kennisbibliotheek/?page=99999999999999999999&to=3000&certainty=x&synthetic=y", {200}),
        ("/kennisbibliotheek/?measure=" + "m" * 500 + "&domain=" + "d" * 500, {200}),
        ("/kennisbibliotheek/export/xml/", {404}),
        ("/kennisbibliotheek/export/csv/?from=abc", {200}),
        ("/kennisbibliotheek/bron/bestaat-niet/", {404}),
        ("/kennisbibliotheek/999999/bijlage/", {404}),
        ("/kennisdossiers/bestaat-niet/?versie=abc", {404}),
    ]
    for url, allowed in cases:
        status = client.get(url).status_code
        assert status in allowed, (url, status)
    page = client.get("/fiches/scholen-dicht/?versie=1").content.decode()
    assert "Versie 1," in page


def test_garbage_posts_never_500(client, users, fiche_data, media_root) -> None:
    item = fiche_data["public_item"]
    candidate = DuplicateCandidate.objects.create(
        item=item, other=fiche_data["internal_item"], score=92.5, reason="title"
    )
    client.force_login(users["cpo"])
    garbage = {
        "title": "x" * 600,
        "item_type": "bogus",
        "published_on": "gisteren",
        "doi": "\x00",
        "confidentiality": "topgeheim",
        "certainty_downgrades": ["zeker"],
    }
    cases = [
        (reverse("evidence:create"), garbage, 200),
        (reverse("evidence:edit", args=[item.pk]), garbage, 200),
        (reverse("evidence:import"), {"file_format": "doc", "confidentiality": "x"}, 200),
        (
            reverse("evidence:import"),
            {"file": SimpleUploadedFile("leeg.csv", b""), "confidentiality": "x"},
            200,
        ),
        (
            reverse("evidence:merge", args=[candidate.pk]),
            {"keep": "999", "take_fields": ["ref"]},
            200,
        ),
        ("/fiches/scholen-dicht/bewerken/", {"cells-TOTAL_FORMS": "abc", "summary": "x"}, 200),
        (
            "/fiches/scholen-dicht/bewerken/",
            _fiche_post([{"domain": "999999", "direction": "up", "confidentiality": "?"}]),
            200,
        ),
        ("/kennisdossiers/nieuw/", {"key": "met spaties!", "synthesis": ""}, 200),
        ("/kennisdossiers/nieuw/", _dossier_post(measures=["999999"], reviewer="abc"), 200),
        ("/fiches/scholen-dicht/review/", {"note": "x" * 5000}, 302),
    ]
    for url, data, status in cases:
        response = client.post(url, data)
        assert response.status_code == status, (url, response.status_code)
    assert EvidenceItem.objects.count() == 2
    assert not KnowledgeDossier.objects.exists() and not Job.objects.exists()
    candidate.refresh_from_db()
    assert candidate.status == DuplicateStatus.OPEN
    # The review note is cut to 500 characters.
    latest = fiche_data["fiche"].versions.order_by("-number").first()
    assert len(latest.change_note) == 500


def test_nul_byte_in_the_query_never_500(client) -> None:
    EvidenceItemFactory(title="Sluiting van scholen")
    response = client.get("/kennisbibliotheek/export/csv/", {"q": "scholen\x00"})
    assert response.status_code == 200 and "Sluiting van scholen" in response.content.decode()


@pytest.mark.parametrize("name", ["measure", "domain", "group"])
@pytest.mark.parametrize("path", ["/kennisbibliotheek/", "/kennisbibliotheek/export/csv/"])
def test_nul_byte_in_a_facet_parameter_never_500(client, path: str, name: str) -> None:
    EvidenceItemFactory(title="Sluiting van scholen")
    response = client.get(path, {name: "scholen\x00"})
    assert response.status_code in (200, 400, 404)


def test_citations_of_a_merged_item_still_resolve(client, users) -> None:
    keep = EvidenceItemFactory(title="Studie Reiger (origineel)", ref="reiger")
    retired = EvidenceItemFactory(title="Studie Reiger (dubbel)", ref="reiger-dubbel")
    services.dossier_save(
        dossier=None,
        key="reigers",
        title_nl="Reigers",
        title_en="",
        measures=[],
        reviewer=None,
        confidentiality="public",
        synthesis="Een bevinding [@reiger-dubbel].",
        open_questions="",
        items=[retired],
        change_note="v1",
        user=None,
    )
    services.evidence_merge(keep=keep, remove=retired, take_fields=[], user=None)
    client.force_login(users["cpo"])
    page = client.get("/kennisdossiers/reigers/").content.decode()
    assert "[niet openbaar]" not in page
    assert "Studie Reiger" in page


def test_dossier_edit_needs_sight_of_every_item(client) -> None:
    roles_sync()
    secret = EvidenceItemFactory(title="Vertrouwelijke OMT-notitie", confidentiality="confidential")
    services.dossier_save(
        dossier=None,
        key="geheim-dossier",
        title_nl="Dossier met vertrouwelijk item",
        title_en="",
        measures=[],
        reviewer=None,
        confidentiality="internal",
        synthesis=f"Een bewering [@{secret.ref}].",
        open_questions="",
        items=[secret],
        change_note="",
        user=None,
    )
    editor = UserFactory(roles=[roles.CHAIR])
    editor.user_permissions.add(*Permission.objects.filter(codename="change_knowledgedossier"))
    client.force_login(editor)
    url = reverse("evidence:dossier_edit", args=["geheim-dossier"])
    assert client.get(url).status_code == 403
    page = client.get(reverse("evidence:dossier_detail", args=["geheim-dossier"])).content.decode()
    assert url not in page and "Vertrouwelijke OMT-notitie" not in page
    client.force_login(UserFactory(roles=[roles.CPO]))
    assert client.get(url).status_code == 200


def test_dossier_shows_provenance_and_interests_of_cited_items(client) -> None:
    item = EvidenceItemFactory(
        title="Signaal uit de praktijkkring onderwijs",
        knowledge_class="practice",
        item_type="practice_signal",
        on_behalf_of="Praktijkkring onderwijs (fictief)",
        interests_status="declared",
        declared_interests="Vertegenwoordigt schoolbesturen",
    )
    services.dossier_save(
        dossier=None,
        key="leerachterstand",
        title_nl="Leerachterstand",
        title_en="",
        measures=[],
        reviewer=None,
        confidentiality="public",
        synthesis=f"Scholen melden achterstand [@{item.ref}].",
        open_questions="",
        items=[item],
        change_note="",
        user=None,
    )
    page = client.get(reverse("evidence:dossier_detail", args=["leerachterstand"])).content.decode()
    assert "namens Praktijkkring onderwijs (fictief)" in page
    assert "Verklaarde belangen: Vertegenwoordigt schoolbesturen" in page


def test_item_page_lists_the_latest_fiche_versions_and_dossiers_that_cite_it(
    client, users, fiche_data
) -> None:
    item, fiche = fiche_data["public_item"], fiche_data["fiche"]
    services.dossier_save(
        dossier=None,
        key="kolibries",
        title_nl="Dossier Kolibries",
        title_en="",
        measures=[],
        reviewer=None,
        confidentiality="public",
        synthesis="Een bewering [@kolibrie].",
        open_questions="",
        items=[item],
        change_note="",
        user=None,
    )
    url = reverse("evidence:detail", args=[item.pk])
    page = client.get(url).content.decode()
    assert "Geciteerd in" in page
    assert reverse("evidence:fiche_detail", args=["scholen-dicht"]) in page
    assert reverse("evidence:dossier_detail", args=["kolibries"]) in page
    # A newer fiche version that no longer cites the item drops the fiche from the list.
    services.fiche_version_create(
        fiche=fiche, content=services.FicheContent(summary="Herschreven."), user=None
    )
    page = client.get(url).content.decode()
    assert reverse("evidence:fiche_detail", args=["scholen-dicht"]) not in page
    assert reverse("evidence:dossier_detail", args=["kolibries"]) in page
