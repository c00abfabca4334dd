"""``paraat evidence import|search|reindex``: reference files in, JSON out, all or nothing."""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from paraat.accounts import roles
from paraat.accounts.models import Confidentiality
from paraat.accounts.services import roles_sync
from paraat.accounts.tests.factories import UserFactory
from paraat.evidence.models import DuplicateCandidate, EvidenceItem, ImportBatch
from paraat.evidence.tests.factories import EvidenceItemFactory

pytestmark = pytest.mark.django_db

RIS = """\
Provider: Zotero
Content: text/plain; charset="UTF-8"

TY  - JOUR
ID  - smit-2021-leerachterstanden
TI  - Leerachterstanden na de sluiting van de basisscholen
AU  - Smit, Jan
AU  - de Vries, Anna
PY  - 2021
DA  - 2021/06/15
DO  - https://doi.org/10.1000/ONDERWIJS.2021.17
T2  - Pedagogische Studiën
LA  - nl
KW  - onderwijs
KW  - basisschool
AB  - Leerlingen liepen gemiddeld drie maanden achterstand op.
Vooral kinderen van laagopgeleide ouders.
ER  -

TY  - RPRT
TI  - Eenzaamheid onder ouderen in verpleeghuizen
AU  - Sociaal en Cultureel Planbureau
PY  - 2020
PB  - SCP
UR  - https://www.scp.nl/publicaties/eenzaamheid
ER  -
"""

BIBTEX = """\
@article{jansen2022thuiswerken,
  title = {Thuiswerken en het welzijn van werknemers},
  author = {Jansen, Piet and Bakker, Els},
  journal = {Economisch Statistische Berichten},
  year = {2022},
  month = mar,
  doi = {10.1000/esb.2022.3},
  keywords = {thuiswerken; welzijn},
  abstract = {Werknemers die thuiswerkten rapporteerden meer autonomie.},
}

@techreport{rivm2021naleving,
  title = {Naleving van de coronamaatregelen},
  author = {{Rijksinstituut voor Volksgezondheid en Milieu}},
  institution = {RIVM},
  year = {2021},
  type = {praktijksignaal},
}
"""

CSLJSON = json.dumps(
    [
        {
            "id": "cbs-2021-werkloosheid",
            "type": "dataset",
            "title": "Werkloosheid tijdens de pandemie",
            "author": [{"literal": "Centraal Bureau voor de Statistiek"}],
            "issued": {"date-parts": [[2021, 2]]},
            "URL": "https://www.cbs.nl/werkloosheid",
            "keyword": "werkloosheid, arbeidsmarkt",
        },
        {
            "id": "devries-2020-mondkapjes",
            "type": "article-journal",
            "title": "Mondkapjes in het openbaar vervoer",
            "author": [{"family": "Vries", "given": "Karin", "non-dropping-particle": "de"}],
            "issued": {"date-parts": [[2020, 11, 3]]},
            "DOI": "10.1000/ov.2020.11",
            "container-title": "Nederlands Tijdschrift voor Geneeskunde",
        },
    ],
    ensure_ascii=False,
    indent=2,
)

CSV = (
    "ref,item_type,title,authors,organisation,published_on,doi,knowledge_class,certainty,summary\n"
    "signaal-jeugdwerk,practice_signal,Jongerenwerkers zien meer somberheid,,"
    'Jongerenwerk Utrecht,2021-01,,practice,,"Jongeren komen minder naar het jongerencentrum.\n'
    'Veel somberheid."\n'
    "panel-avondklok,citizen_panel,Burgerpanel over de avondklok,,Burgerpanel MIT,2021-02-15,,"
    "experiential,low,Deelnemers vonden de avondklok zwaar.\n"
)

FILES = {
    "zotero.ris": (RIS, "ris"),
    "bibliotheek.bib": (BIBTEX, "bibtex"),
    "items.json": (CSLJSON, "csljson"),
    "signalen.csv": (CSV, "csv"),
}


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("evidence", *args, stdout=out)
    return out.getvalue()


def run_json(*args: str):
    return json.loads(run(*args, "--json"))


def snapshot() -> tuple[int, int, int]:
    return (
        EvidenceItem.objects.count(),
        ImportBatch.objects.count(),
        DuplicateCandidate.objects.count(),
    )


# --- importing good files ---------------------------------------------------------------------


@pytest.mark.parametrize("name", list(FILES))
def test_import_each_format_reports_counts(tmp_path, name) -> None:
    text, file_format = FILES[name]
    path = write(tmp_path, name, text)
    report = run_json("import", str(path))
    assert report["file"] == name and report["format"] == file_format
    assert report["counts"] == {
        "added": 2,
        "merged": 0,
        "possible_duplicates": 0,
        "rejected": 0,
    }
    assert len(report["added"]) == 2 and report["rejected"] == []
    refs = [entry["ref"] for entry in report["added"]]
    items = EvidenceItem.objects.filter(ref__in=refs)
    assert items.count() == 2
    assert {item.confidentiality for item in items} == {Confidentiality.INTERNAL}
    assert {item.submitted_by_name for item in items} == {"import via de opdrachtregel"}
    batch = ImportBatch.objects.get()
    assert batch.file_name == name and batch.report == report
    assert set(items.values_list("import_batch", flat=True)) == {batch.pk}


def test_ris_import_details(tmp_path) -> None:
    report = run_json("import", str(write(tmp_path, "zotero.ris", RIS)))
    assert [entry["line"] for entry in report["added"]] == [4, 20]
    item = EvidenceItem.objects.get(ref="smit-2021-leerachterstanden")
    assert item.title == "Leerachterstanden na de sluiting van de basisscholen"
    assert item.item_type == "peer_reviewed" and item.knowledge_class == "scientific"
    assert item.authors == ["Smit, Jan", "de Vries, Anna"]
    assert item.published_on == dt.date(2021, 6, 15) and item.date_precision == "day"
    assert item.doi == "10.1000/onderwijs.2021.17"
    assert item.container_title == "Pedagogische Studiën"
    assert item.keywords == ["onderwijs", "basisschool"]
    assert item.summary.splitlines() == [
        "Leerlingen liepen gemiddeld drie maanden achterstand op.",
        "Vooral kinderen van laagopgeleide ouders.",
    ]
    report_item = EvidenceItem.objects.get(title__startswith="Eenzaamheid")
    assert report_item.item_type == "report"
    assert report_item.organisation == "Sociaal en Cultureel Planbureau"
    assert report_item.date_precision == "year"


def test_bibtex_csljson_and_csv_details(tmp_path) -> None:
    run("import", str(write(tmp_path, "b.bib", BIBTEX)))
    run("import", str(write(tmp_path, "c.json", CSLJSON)))
    run("import", str(write(tmp_path, "d.csv", CSV)))
    item = EvidenceItem.objects.get(ref="jansen2022thuiswerken")
    assert item.authors == ["Jansen, Piet", "Bakker, Els"]
    assert item.published_on == dt.date(2022, 3, 1) and item.date_precision == "month"
    assert item.keywords == ["thuiswerken", "welzijn"]
    rivm = EvidenceItem.objects.get(ref="rivm2021naleving")
    assert rivm.item_type == "practice_signal" and rivm.knowledge_class == "practice"
    assert rivm.organisation == "Rijksinstituut voor Volksgezondheid en Milieu"
    cbs = EvidenceItem.objects.get(ref="cbs-2021-werkloosheid")
    assert cbs.item_type == "dataset" and cbs.knowledge_class == "administrative"
    assert cbs.organisation == "Centraal Bureau voor de Statistiek"
    assert cbs.keywords == ["werkloosheid", "arbeidsmarkt"]
    assert EvidenceItem.objects.get(ref="devries-2020-mondkapjes").authors == ["de Vries, Karin"]
    signal = EvidenceItem.objects.get(ref="signaal-jeugdwerk")
    assert signal.item_type == "practice_signal" and signal.knowledge_class == "practice"
    assert signal.summary == ("Jongeren komen minder naar het jongerencentrum.\nVeel somberheid.")
    panel = EvidenceItem.objects.get(ref="panel-avondklok")
    assert panel.certainty == "low" and panel.published_on == dt.date(2021, 2, 15)


def test_imported_items_are_searchable(tmp_path) -> None:
    run("import", str(write(tmp_path, "b.bib", BIBTEX)), "--confidentiality", "public")
    rows = run_json("search", "thuiswerken")
    assert [row["title"] for row in rows] == ["Thuiswerken en het welzijn van werknemers"]
    assert run_json("search", "autonomie")[0]["title"].startswith("Thuiswerken")


def test_import_options_user_confidentiality_and_format(tmp_path) -> None:
    roles_sync()
    cpo = UserFactory(username="cpo-import", roles=[roles.CPO])
    path = write(tmp_path, "export.txt", BIBTEX)  # the extension says nothing
    report = run_json(
        "import",
        str(path),
        "--format",
        "bibtex",
        "--user",
        "cpo-import",
        "--confidentiality",
        "confidential",
    )
    assert report["format"] == "bibtex" and report["counts"]["added"] == 2
    items = EvidenceItem.objects.all()
    assert {i.submitted_by for i in items} == {cpo}
    assert {i.confidentiality for i in items} == {Confidentiality.CONFIDENTIAL}
    assert ImportBatch.objects.get().created_by == cpo
    # confidential imports are not found by the public
    assert run_json("search", "thuiswerken") == []
    assert len(run_json("search", "thuiswerken", "--user", "cpo-import")) == 1


def test_plain_text_report(tmp_path) -> None:
    out = run("import", str(write(tmp_path, "zotero.ris", RIS)))
    assert out.strip() == ("zotero.ris: 2 added, 0 merged, 0 possible duplicates, 0 rejected")


def test_empty_file_imports_nothing(tmp_path) -> None:
    report = run_json("import", str(write(tmp_path, "leeg.ris", "")))
    assert report["counts"] == {"added": 0, "merged": 0, "possible_duplicates": 0, "rejected": 0}
    assert EvidenceItem.objects.count() == 0


# --- broken files: nothing is stored ----------------------------------------------------------


BROKEN = {
    # a line without a tag inside a record (TI is not a multi-line tag)
    "untagged.ris": (
        "TY  - JOUR\nTI  - Eerste record\nER  - \n\n"
        "TY  - JOUR\nTI  - Tweede record\nDit hoort hier niet\nER  - \n",
        7,
    ),
    # a record that is never closed
    "unclosed.ris": ("TY  - JOUR\nTI  - Goed\nER  - \n\nTY  - JOUR\nTI  - Open record\n", 5),
    # a new record before the previous one was closed
    "nested.ris": ("TY  - JOUR\nTI  - Een\nTY  - JOUR\nTI  - Twee\nER  - \n", 3),
    # a field outside any record
    "outside.ris": ("TY  - JOUR\nTI  - Een\nER  - \nTI  - Verdwaald\n", 4),
    # an unclosed BibTeX entry after a good one
    "unclosed.bib": (
        "@article{goed2020,\n  title = {Goed},\n  year = {2020},\n}\n\n"
        "@article{open2021,\n  title = {Nooit gesloten},\n  year = {2021}\n",
        6,
    ),
    "duplicate-key.bib": (
        "@article{zelfde,\n  title = {Een},\n}\n\n@article{zelfde,\n  title = {Twee},\n}\n",
        5,
    ),
    "broken.json": ('[\n  {"title": "Goed"},\n  {"title": "Kapot",\n]\n', 4),
    "not-objects.json": ('[\n  {"title": "Goed"},\n  "geen object"\n]\n', 3),
    "too-many-cells.csv": ("title,doi\nGoed,\nKapot,10.1/x,extra\n", 3),
    "unknown-column.csv": ("title,kleur\nGoed,rood\n", 1),
    "latin1.ris": (None, 2),
}


@pytest.mark.parametrize("name", list(BROKEN))
def test_broken_file_names_the_line_and_stores_nothing(tmp_path, name) -> None:
    EvidenceItemFactory(title="Al aanwezig")
    before = snapshot()
    text, line = BROKEN[name]
    path = tmp_path / name
    if text is None:
        path.write_bytes("TY  - JOUR\nTI  - Caf\u00e9\nER  - \n".encode("latin-1"))
    else:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        run("import", str(path))
    message = str(caught.value)
    assert name in message
    assert re.search(rf"\bregel {line}\b", message), message
    assert "nothing was imported" in message
    assert snapshot() == before


def test_failure_while_storing_rolls_back_the_whole_file(tmp_path, monkeypatch) -> None:
    # The first record is stored, then storing fails unexpectedly: that write is undone too.
    from paraat.evidence import services

    calls = {"n": 0}
    real = services.search.search_index_update

    def failing(*, item_ids):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("schijf vol")
        real(item_ids=item_ids)

    monkeypatch.setattr(services.search, "search_index_update", failing)
    text = (
        "TY  - JOUR\nTI  - Eerste goede record\nER  - \n\nTY  - JOUR\nTI  - Tweede record\nER  - \n"
    )
    before = snapshot()
    with pytest.raises(RuntimeError, match="schijf vol"):
        run("import", str(write(tmp_path, "twee.ris", text)))
    assert snapshot() == before
    assert not EvidenceItem.objects.filter(title="Eerste goede record").exists()


def test_record_with_invalid_url_is_rejected_with_its_line(tmp_path) -> None:
    text = (
        "TY  - JOUR\nTI  - Eerste goede record\nER  - \n\n"
        "TY  - JOUR\nTI  - Tweede record\nUR  - geen geldige url\nER  - \n"
    )
    report = run_json("import", str(write(tmp_path, "url.ris", text)))
    assert report["counts"]["added"] == 1
    assert [(r["line"], r["field"]) for r in report["rejected"]] == [(5, "url")]
    assert EvidenceItem.objects.filter(title="Eerste goede record").exists()
    assert not EvidenceItem.objects.filter(title="Tweede record").exists()


def test_merge_by_doi_does_not_store_an_invalid_url(client, tmp_path) -> None:
    existing = EvidenceItemFactory(title="Bestaand item", doi="10.1000/xss.1", url="")
    text = (
        "TY  - JOUR\nTI  - Bestaand item\nDO  - 10.1000/xss.1\nUR  - javascript:alert(1)\nER  -\n"
    )
    report = run_json("import", str(write(tmp_path, "xss.ris", text)))
    assert [r["line"] for r in report["rejected"]] == [1]
    assert report["rejected"][0]["field"] == "url"
    existing.refresh_from_db()
    page = client.get(reverse("evidence:detail", args=[existing.pk])).content
    assert b"javascript:alert(1)" not in page
    assert existing.url == ""


def test_missing_file_unknown_user_and_unknown_format(tmp_path) -> None:
    with pytest.raises(CommandError, match="file not found"):
        run("import", str(tmp_path / "bestaat-niet.ris"))
    path = write(tmp_path, "zotero.ris", RIS)
    with pytest.raises(CommandError, match="unknown or inactive user: niemand"):
        run("import", str(path), "--user", "niemand")
    with pytest.raises(CommandError):
        run("import", str(path), "--format", "endnote")
    with pytest.raises(CommandError):
        run("import", str(path), "--confidentiality", "geheim")
    with pytest.raises(CommandError, match="regel 1"):
        run("import", str(write(tmp_path, "notities.txt", "Zomaar wat tekst.\n")))
    assert snapshot() == (0, 0, 0)


# --- duplicates and rejections ----------------------------------------------------------------


def test_same_doi_is_merged(tmp_path) -> None:
    existing = EvidenceItemFactory(
        title="Leerachterstanden basisscholen (eerder ingevoerd)",
        doi="10.1000/onderwijs.2021.17",
        summary="",
        container_title="",
        ref="eerder-ingevoerd",
    )
    report = run_json("import", str(write(tmp_path, "zotero.ris", RIS)))
    assert report["counts"] == {"added": 1, "merged": 1, "possible_duplicates": 0, "rejected": 0}
    (merged,) = report["merged"]
    assert merged["line"] == 4 and merged["into"] == "eerder-ingevoerd"
    assert set(merged["fields"]) >= {"summary", "container_title"}
    existing.refresh_from_db()
    assert existing.title == "Leerachterstanden basisscholen (eerder ingevoerd)"  # kept
    assert existing.container_title == "Pedagogische Studiën"
    assert EvidenceItem.objects.filter(doi="10.1000/onderwijs.2021.17").count() == 1
    # the filled-in summary is searchable
    rows = run_json("search", "laagopgeleide")
    assert [row["id"] for row in rows] == [existing.pk]


def test_importing_the_same_file_twice(tmp_path) -> None:
    path = write(tmp_path, "c.json", CSLJSON)
    run("import", str(path))
    report = run_json("import", str(path))
    # the item with a DOI is merged (nothing new to fill in), the one without becomes a
    # possible duplicate of itself
    assert report["counts"] == {"added": 1, "merged": 1, "possible_duplicates": 1, "rejected": 0}
    assert report["merged"][0]["fields"] == []
    assert report["possible_duplicates"][0]["score"] == 100.0
    assert EvidenceItem.objects.count() == 3


def test_near_duplicate_title_is_listed(tmp_path) -> None:
    existing = EvidenceItemFactory(
        title="Leerachterstanden na sluiting van de basisscholen", ref="al-aanwezig"
    )
    report = run_json("import", str(write(tmp_path, "zotero.ris", RIS)))
    assert report["counts"]["added"] == 2
    assert report["counts"]["possible_duplicates"] == 1
    (dup,) = report["possible_duplicates"]
    assert dup["line"] == 4 and dup["other"] == "al-aanwezig"
    assert dup["ref"] == "smit-2021-leerachterstanden"
    assert 92 <= dup["score"] < 100
    candidate = DuplicateCandidate.objects.get()
    assert candidate.other == existing and candidate.item.ref == dup["ref"]
    assert candidate.reason == "title" and candidate.status == "open"
    # again, under other keys: the DOI record is merged, the other one is a near duplicate
    out = run("import", str(write(tmp_path, "nog-eens.ris", RIS.replace("smit-2021", "x-2021"))))
    assert out.strip() == "nog-eens.ris: 1 added, 1 merged, 1 possible duplicates, 0 rejected"


def test_near_duplicates_within_one_file(tmp_path) -> None:
    text = (
        "title,published_on\n"
        "Vaccinatiebereidheid onder zorgmedewerkers,2021\n"
        "Vaccinatiebereidheid onder zorgmedewerkers.,2021\n"
        "Iets heel anders,2021\n"
    )
    report = run_json("import", str(write(tmp_path, "dubbel.csv", text)))
    assert report["counts"]["added"] == 3
    assert [(d["line"], d["score"]) for d in report["possible_duplicates"]] == [(3, 100.0)]


def test_rejected_records_are_listed_with_their_line(tmp_path) -> None:
    text = (
        "TY  - JOUR\nTI  - Goed record\nPY  - 2021\nER  - \n\n"
        "TY  - JOUR\nAU  - Zonder, Titel\nPY  - 2021\nER  - \n\n"
        "TY  - JOUR\nTI  - Met een kapotte datum\nPY  - twintig21\nER  - \n"
    )
    before = EvidenceItem.objects.count()
    report = run_json("import", str(write(tmp_path, "deels.ris", text)))
    assert report["counts"] == {"added": 1, "merged": 0, "possible_duplicates": 0, "rejected": 2}
    # the field is named as in the file (RIS tag) or as in the library
    assert [r["line"] for r in report["rejected"]] == [6, 11]
    assert report["rejected"][0]["field"] in ("TI", "title")
    assert report["rejected"][0]["message"] == "titel ontbreekt"
    assert report["rejected"][1]["field"] == "PY"
    assert report["rejected"][1]["message"].startswith("ongeldige datum")
    assert EvidenceItem.objects.count() == before + 1
    out = run("import", str(write(tmp_path, "deels2.ris", text.replace("Goed", "Ander"))))
    assert re.search(r"^  line 6: (TI|title): titel ontbreekt$", out, flags=re.MULTILINE)
    assert "  line 11: PY: ongeldige datum" in out


def test_csv_rejections_with_line_numbers(tmp_path) -> None:
    text = (
        "title,item_type,knowledge_class,certainty\n"
        "Goed,report,scientific,high\n"
        ",report,scientific,\n"
        "Onbekend type,blog,scientific,\n"
        "Onbekende zekerheid,report,scientific,zeker\n"
    )
    report = run_json("import", str(write(tmp_path, "deels.csv", text)))
    assert report["counts"]["added"] == 1
    assert [(r["line"], r["field"]) for r in report["rejected"]] == [
        (3, "title"),
        (4, "item_type"),
        (5, "certainty"),
    ]


# --- search and reindex -----------------------------------------------------------------------


def test_search_json_keys_and_values(tmp_path) -> None:
    item = EvidenceItemFactory(
        title="Sluiting van de scholen",
        item_type="systematic_review",
        certainty="",
        confidentiality=Confidentiality.PUBLIC,
    )
    EvidenceItemFactory(title="Iets anders")
    rows = run_json("search", "school")
    assert isinstance(rows, list) and len(rows) == 1
    (row,) = rows
    assert set(row) == {"id", "title", "type", "certainty", "score"}
    assert row["id"] == item.pk and row["title"] == "Sluiting van de scholen"
    assert row["type"] == "systematic_review" and row["certainty"] == ""
    assert isinstance(row["score"], float)
    assert run_json("search", "bestaat-nergens") == []
    assert run_json("search", "") == [
        {"id": i.pk, "title": i.title, "type": i.item_type, "certainty": i.certainty, "score": 0.0}
        for i in EvidenceItem.objects.order_by("-published_on", "title", "pk")
    ]


def test_search_limit_and_text_output() -> None:
    for n in range(5):
        EvidenceItemFactory(title=f"Avondklok studie {n}", certainty="high" if n else "")
    assert len(run_json("search", "avondklok", "--limit", "2")) == 2
    assert len(run_json("search", "avondklok", "--limit", "0")) == 1
    out = run("search", "avondklok")
    lines = out.splitlines()
    assert lines[0] == "5 results for 'avondklok'"
    assert len(lines) == 6
    assert any("[report, ungraded]" in line for line in lines[1:])
    assert all(re.match(r"\s*-?\d+\.\d{3}  #\d+  \[report, \w+\]  Avondklok", x) for x in lines[1:])


def test_search_as_unknown_user_fails() -> None:
    with pytest.raises(CommandError, match="unknown or inactive user"):
        run("search", "x", "--user", "niemand")
    UserFactory(username="oud-lid", is_active=False)
    with pytest.raises(CommandError, match="unknown or inactive user"):
        run("search", "x", "--user", "oud-lid")


def test_reindex() -> None:
    EvidenceItemFactory(title="Een")
    EvidenceItemFactory(title="Twee")
    assert run("reindex").strip() == "2 items indexed"
    assert [row["title"] for row in run_json("search", "twee")] == ["Twee"]
