"""Tests for paraat.evidence.formats (pure Python, no database)."""

from __future__ import annotations

import dataclasses
import datetime
import json
import re
import subprocess
import sys
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from paraat.evidence.formats import (
    CERTAINTIES,
    CSV_COLUMNS,
    FORMATS,
    ITEM_TYPES,
    KNOWLEDGE_CLASSES,
    FormatError,
    ParsedReference,
    ParseResult,
    Rejection,
    detect_format,
    normalize_doi,
    parse,
    write_csljson,
    write_csv,
    write_ris,
)

# --------------------------------------------------------------------------- fixtures

# As Zotero exports it (CRLF, blank line between records, multi-line abstract).
ZOTERO_RIS = (
    "TY  - JOUR\r\n"
    "TI  - Vertrouwen in de overheid tijdens de coronacrisis\r\n"
    "AU  - Jansen, Jan\r\n"
    "AU  - de Vries, Piet\r\n"
    "T2  - Tijdschrift voor Gezondheidswetenschappen\r\n"
    "AB  - Eerste alinea over vertrouwen.\r\n"
    "\r\n"
    "Tweede alinea.\r\n"
    "DA  - 2021/03/04\r\n"
    "PY  - 2021\r\n"
    "DO  - https://doi.org/10.1007/S12508-021-00300-1\r\n"
    "VL  - 99\r\n"
    "SP  - 12\r\n"
    "LA  - nl\r\n"
    "SN  - 1388-7491\r\n"
    "UR  - https://link.springer.com/article/10.1007/s12508-021-00300-1\r\n"
    "KW  - vertrouwen\r\n"
    "KW  - covid-19\r\n"
    "ID  - jansen2021\r\n"
    "ER  - \r\n"
    "\r\n"
    "TY  - RPRT\r\n"
    "TI  - Burgerperspectieven 2022, bericht 2\r\n"
    "AU  - Sociaal en Cultureel Planbureau\r\n"
    "CY  - Den Haag\r\n"
    "DA  - 2022/06//\r\n"
    "PY  - 2022\r\n"
    "PB  - Sociaal en Cultureel Planbureau\r\n"
    "LA  - nl\r\n"
    "ER  - \r\n"
    "\r\n"
    "TY  - JOUR\r\n"
    "TI  - Risk communication during pandemics: a systematic review\r\n"
    "AU  - Smith, Anna\r\n"
    "AU  - Bakker, Ben\r\n"
    "T2  - BMJ Open\r\n"
    "PY  - 2020\r\n"
    "DO  - doi:10.1136/bmjopen-2020-044123\r\n"
    "LA  - en\r\n"
    "ER  - \r\n"
)

ZOTERO_BIBTEX = r"""
@article{jansen_vertrouwen_2021,
	title = {Vertrouwen in de overheid tijdens de {COVID}-19-crisis},
	volume = {99},
	url = {https://link.springer.com/article/10.1007/s12508-021-00300-1},
	doi = {10.1007/s12508-021-00300-1},
	language = {nl},
	journal = {Tijdschrift voor Gezondheidswetenschappen},
	author = {Jansen, Jan and de Vries, Piet and M{\"u}ller, Anna},
	month = mar,
	year = {2021},
	keywords = {covid-19, vertrouwen},
	pages = {12--20},
}

@techreport{scp_burgerperspectieven_2022,
	address = {Den Haag},
	title = {Burgerperspectieven 2022: 50\% heeft vertrouwen},
	institution = {Sociaal en Cultureel Planbureau},
	author = {{Sociaal en Cultureel Planbureau}},
	year = {2022},
	abstract = {Hoe kijken Nederlanders aan tegen de samenleving?},
}

@misc{rivm_gedrag_2023,
	title = {Coronadashboard: gedragsonderzoek},
	url = {https://coronadashboard.rijksoverheid.nl/landelijk/gedrag},
	author = {{Rijksinstituut voor Volksgezondheid en Milieu}},
	date = {2023-01-05},
	note = {Geraadpleegd 5 januari 2023},
}
"""

ZOTERO_CSLJSON = """[
  {
    "id": "http://zotero.org/users/1234/items/ABCD1234",
    "type": "article-journal",
    "title": "Effect of lockdowns on mental health: a systematic review",
    "container-title": "BMJ Open",
    "DOI": "https://doi.org/10.1136/BMJOPEN-2020-044123",
    "language": "en",
    "author": [
      {"family": "Smith", "given": "Anna"},
      {"family": "Beethoven", "given": "Ludwig", "non-dropping-particle": "van"}
    ],
    "issued": {"date-parts": [["2021", 5]]}
  },
  {
    "id": "rivm2020",
    "type": "report",
    "title": "Gedragsonderzoek ronde 7",
    "publisher": "RIVM",
    "author": [{"literal": "Rijksinstituut voor Volksgezondheid en Milieu"}],
    "issued": {"date-parts": [[2020]]},
    "abstract": "Resultaten van ronde 7.",
    "license": "CC BY 4.0"
  },
  {
    "id": "nos2023",
    "type": "article-newspaper",
    "title": "Kabinet versoepelt maatregelen",
    "container-title": "NOS Nieuws",
    "URL": "https://nos.nl/artikel/123",
    "issued": {"raw": "2023-01-05"}
  }
]
"""

OUR_CSV = (
    "ref,item_type,title,authors,organisation,published_on,doi,knowledge_class,certainty,"
    "keywords,summary\n"
    'r1,practice_signal,Signaal uit de wijk,"Jansen, Jan; Pietersen, Piet",GGD Amsterdam,'
    '2023-02,doi:10.5555/ABC,practice,low,wijk; signaal,"Regel een.\n'
    'Regel twee."\n'
    "r2,citizen_panel,Burgerpanel ronde 1,,,2022,,experiential,moderate,,\n"
)


def _one(result: ParseResult, title: str) -> ParsedReference:
    return next(r for r in result.references if r.title == title)


# --------------------------------------------------------------------------- RIS


def test_ris_zotero_export() -> None:
    result = parse(data=ZOTERO_RIS.encode(), file_name="export.ris")
    assert result.file_format == "ris"
    assert result.rejected == []
    assert len(result.references) == 3
    article, report, review = result.references
    assert article.line == 1
    assert article.ref_key == "jansen2021"
    assert article.item_type == "peer_reviewed"
    assert article.title == "Vertrouwen in de overheid tijdens de coronacrisis"
    assert article.authors == ["Jansen, Jan", "de Vries, Piet"]
    assert article.organisation == ""
    assert article.published_on == datetime.date(2021, 3, 4)
    assert article.date_precision == "day"
    assert article.doi == "10.1007/s12508-021-00300-1"
    assert article.url == "https://link.springer.com/article/10.1007/s12508-021-00300-1"
    assert article.language == "nl"
    assert article.container_title == "Tijdschrift voor Gezondheidswetenschappen"
    assert article.keywords == ["vertrouwen", "covid-19"]
    assert article.summary == "Eerste alinea over vertrouwen.\n\nTweede alinea."

    assert report.line == 22
    assert report.item_type == "report"
    assert report.title == "Burgerperspectieven 2022, bericht 2"
    assert report.authors == []
    assert report.organisation == "Sociaal en Cultureel Planbureau"
    assert report.publisher == "Sociaal en Cultureel Planbureau"
    assert report.published_on == datetime.date(2022, 6, 1)
    assert report.date_precision == "month"

    assert review.item_type == "systematic_review"
    assert review.published_on == datetime.date(2020, 1, 1)
    assert review.date_precision == "year"
    assert review.doi == "10.1136/bmjopen-2020-044123"


@pytest.mark.parametrize(
    ("ty", "expected"),
    [
        ("JOUR", "peer_reviewed"),
        ("RPRT", "report"),
        ("DATA", "dataset"),
        ("DBASE", "dataset"),
        ("GOVDOC", "policy_document"),
        ("STAT", "policy_document"),
        ("NEWS", "media"),
        ("BLOG", "media"),
        ("ELEC", "media"),
        ("BOOK", "report"),
        ("CHAP", "report"),
        ("CONF", "peer_reviewed"),
    ],
)
def test_ris_type_mapping(ty: str, expected: str) -> None:
    data = f"TY  - {ty}\nTI  - Iets\nER  - \n".encode()
    assert parse(data=data, file_name="a.ris").references[0].item_type == expected


def test_ris_keyword_makes_systematic_review() -> None:
    data = b"TY  - JOUR\nTI  - Iets\nKW  - Systematic review\nER  -\n"
    assert parse(data=data, file_name="a.ris").references[0].item_type == "systematic_review"


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("TY  - JOUR\nTI  - Titel\nzomaar tekst\nER  - \n", 3, "geen geldige RIS-regel"),
        ("TY  - JOUR\nTI  - Titel\nER  - \n\nTY  - RPRT\nTI  - Open\n", 5, "ER  -"),
        ("TY  - JOUR\nTI  - Titel\nTY  - RPRT\nTI  - B\nER  - \n", 3, "regel 1"),
        ("TI  - Zonder TY\nER  - \n", 1, "buiten een record"),
        ("Dit is geen RIS\n", 1, "geen RIS-records"),
    ],
)
def test_ris_syntax_errors(text: str, line: int, fragment: str) -> None:
    with pytest.raises(FormatError) as info:
        parse(data=text.encode(), file_name="fout.ris")
    assert info.value.line == line
    assert info.value.file_name == "fout.ris"
    assert f"fout.ris, regel {line}: " in str(info.value)
    assert fragment in str(info.value)


def test_ris_rejections_keep_other_records() -> None:
    text = (
        "TY  - JOUR\nTI  - Goed\nPY  - 2020\nER  - \n"
        "TY  - JOUR\nAU  - Jansen, Jan\nER  - \n"
        "TY  - JOUR\nTI  - Slechte datum\nDA  - 2021/13/01\nER  - \n"
        "TY  - JOUR\nTI  - Geen datum\nPY  - ooit\nER  - \n"
    )
    result = parse(data=text.encode(), file_name="a.ris")
    assert [r.title for r in result.references] == ["Goed"]
    assert result.rejected == [
        Rejection(5, "TI", "titel ontbreekt"),
        Rejection(8, "DA", "ongeldige datum: '2021/13/01'"),
        Rejection(12, "PY", "ongeldige datum: 'ooit'"),
    ]


# --------------------------------------------------------------------------- BibTeX


def test_bibtex_zotero_export() -> None:
    result = parse(data=ZOTERO_BIBTEX.encode(), file_name="export.bib")
    assert result.file_format == "bibtex"
    assert result.rejected == []
    article, report, misc = result.references
    assert article.line == 2
    assert article.ref_key == "jansen_vertrouwen_2021"
    assert article.item_type == "peer_reviewed"
    assert article.title == "Vertrouwen in de overheid tijdens de COVID-19-crisis"
    assert article.authors == ["Jansen, Jan", "de Vries, Piet", "Müller, Anna"]
    assert article.published_on == datetime.date(2021, 3, 1)
    assert article.date_precision == "month"
    assert article.doi == "10.1007/s12508-021-00300-1"
    assert article.container_title == "Tijdschrift voor Gezondheidswetenschappen"
    assert article.language == "nl"
    assert article.keywords == ["covid-19", "vertrouwen"]

    assert report.item_type == "report"
    assert report.title == "Burgerperspectieven 2022: 50% heeft vertrouwen"
    assert report.authors == []
    assert report.organisation == "Sociaal en Cultureel Planbureau"
    assert report.published_on == datetime.date(2022, 1, 1)
    assert report.date_precision == "year"
    assert report.summary == "Hoe kijken Nederlanders aan tegen de samenleving?"

    assert misc.item_type == "report"
    assert misc.organisation == "Rijksinstituut voor Volksgezondheid en Milieu"
    assert misc.url == "https://coronadashboard.rijksoverheid.nl/landelijk/gedrag"
    assert misc.published_on == datetime.date(2023, 1, 5)
    assert misc.date_precision == "day"


def test_bibtex_types_and_latex() -> None:
    text = r"""@dataset{d1, title = {Open data}, year = 2020}
@online{o1, title = {Caf\'e {\&} co}, author = {King, Jr, Martin and others}}
@article{a1, title = {A {Systematic Review} of x}}
"""
    refs = parse(data=text.encode(), file_name="x.bib").references
    assert [r.item_type for r in refs] == ["dataset", "report", "systematic_review"]
    assert refs[1].title == "Café & co"
    assert refs[1].authors == ["King, Jr, Martin"]


def test_bibtex_unbalanced_block() -> None:
    text = "@article{ok, title = {Goed}}\n\n@article{kapot,\n  title = {Niet afgesloten\n"
    with pytest.raises(FormatError) as info:
        parse(data=text.encode(), file_name="refs.bib")
    assert info.value.line == 3
    assert info.value.field == "title"
    assert str(info.value).startswith("refs.bib, regel 3: onleesbaar BibTeX-blok (veld: title)")


def test_bibtex_duplicate_field() -> None:
    text = "@article{a, title = {Een}}\n@article{b,\n title = {X}, title = {Y}}\n"
    with pytest.raises(FormatError) as info:
        parse(data=text.encode(), file_name="refs.bib")
    assert (info.value.line, info.value.field) == (2, "title")


def test_bibtex_rejections() -> None:
    text = (
        "@article{a, title = {Goed}, year = 2020}\n"
        "@article{b, author = {Jansen, Jan}, year = 2020}\n"
        "@article{c, title = {Jaar}, year = {binnenkort}}\n"
        "@article{d, title = {Maand}, year = 2020, month = {smarch}}\n"
    )
    result = parse(data=text.encode(), file_name="x.bib")
    assert [r.ref_key for r in result.references] == ["a"]
    assert [(r.line, r.field) for r in result.rejected] == [
        (2, "title"),
        (3, "year"),
        (4, "month"),
    ]


# --------------------------------------------------------------------------- CSL-JSON


def test_csljson_zotero_export() -> None:
    result = parse(data=ZOTERO_CSLJSON.encode(), file_name="export.json")
    assert result.file_format == "csljson"
    assert result.rejected == []
    review, report, news = result.references
    assert review.line == 2
    assert review.ref_key == "http://zotero.org/users/1234/items/ABCD1234"
    assert review.item_type == "systematic_review"
    assert review.authors == ["Smith, Anna", "van Beethoven, Ludwig"]
    assert review.published_on == datetime.date(2021, 5, 1)
    assert review.date_precision == "month"
    assert review.doi == "10.1136/bmjopen-2020-044123"
    assert review.container_title == "BMJ Open"

    assert report.line == 15
    assert report.item_type == "report"
    assert report.organisation == "Rijksinstituut voor Volksgezondheid en Milieu"
    assert report.authors == []
    assert report.publisher == "RIVM"
    assert report.published_on == datetime.date(2020, 1, 1)
    assert report.date_precision == "year"
    assert report.licence == "CC BY 4.0"
    assert report.summary == "Resultaten van ronde 7."

    assert news.item_type == "media"
    assert news.published_on == datetime.date(2023, 1, 5)
    assert news.url == "https://nos.nl/artikel/123"


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ('[\n  {"title": "a"},\n  {"title": "b",}\n]', 3, "ongeldige JSON"),
        ('{"title": "geen lijst"}', 1, "lijst van objecten"),
        ('[\n  {"title": "a"},\n  "tekst"\n]', 3, "element 2"),
    ],
)
def test_csljson_syntax_errors(text: str, line: int, fragment: str) -> None:
    with pytest.raises(FormatError) as info:
        parse(data=text.encode(), file_name="refs.json")
    assert info.value.line == line
    assert fragment in str(info.value)


def test_csljson_rejections() -> None:
    text = json.dumps(
        [
            {"type": "report", "title": "Goed"},
            {"type": "report"},
            {"type": "report", "title": "Datum", "issued": {"date-parts": [[2021, 2, 30]]}},
            {"type": "report", "title": "Tekst", "issued": {"literal": "ergens in de zomer"}},
        ],
        indent=1,
    )
    result = parse(data=text.encode(), file_name="x.json")
    assert [r.title for r in result.references] == ["Goed"]
    assert [(r.field, r.line) for r in result.rejected] == [
        ("title", 6),
        ("issued", 9),
        ("issued", 22),
    ]


# --------------------------------------------------------------------------- CSV


def test_csv_own_layout() -> None:
    result = parse(data=b"\xef\xbb\xbf" + OUR_CSV.encode(), file_name="refs.csv")
    assert result.file_format == "csv"
    assert result.rejected == []
    signal, panel = result.references
    assert signal.line == 2
    assert signal.ref_key == "r1"
    assert signal.item_type == "practice_signal"
    assert signal.authors == ["Jansen, Jan", "Pietersen, Piet"]
    assert signal.organisation == "GGD Amsterdam"
    assert signal.published_on == datetime.date(2023, 2, 1)
    assert signal.date_precision == "month"
    assert signal.doi == "10.5555/abc"
    assert signal.knowledge_class == "practice"
    assert signal.certainty == "low"
    assert signal.keywords == ["wijk", "signaal"]
    assert signal.summary == "Regel een.\nRegel twee."
    assert panel.line == 4
    assert panel.item_type == "citizen_panel"
    assert panel.date_precision == "year"


def test_csv_semicolon_delimiter() -> None:
    data = b"title;published_on\nTitel;2021-05-06\n"
    ref = parse(data=data, file_name="x.csv").references[0]
    assert (ref.title, ref.published_on, ref.item_type) == (
        "Titel",
        datetime.date(2021, 5, 6),
        "peer_reviewed",
    )


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("ref,titel\nr1,x\n", 1, "onbekende kolom 'titel'"),
        ("ref,doi\nr1,10.1/x\n", 1, "kolom 'title' ontbreekt"),
        ('title,ref\nA,r1\n"B\nmet regel",r2\nC,r3,extra\n', 5, "meer cellen (3)"),
    ],
)
def test_csv_syntax_errors(text: str, line: int, fragment: str) -> None:
    with pytest.raises(FormatError) as info:
        parse(data=text.encode(), file_name="refs.csv")
    assert info.value.line == line
    assert fragment in str(info.value)


def test_csv_rejections() -> None:
    text = (
        "title,item_type,knowledge_class,certainty,published_on\n"
        "Goed,report,scientific,high,2020-01-02\n"
        ",report,,,\n"
        "Type,artikel,,,\n"
        "Klasse,,wetenschap,,\n"
        "Zekerheid,,,zeker,\n"
        "Datum,,,,2020-02-30\n"
    )
    result = parse(data=text.encode(), file_name="x.csv")
    assert [r.title for r in result.references] == ["Goed"]
    assert [(r.line, r.field) for r in result.rejected] == [
        (3, "title"),
        (4, "item_type"),
        (5, "knowledge_class"),
        (6, "certainty"),
        (7, "published_on"),
    ]
    assert result.rejected[1].message.startswith("onbekend itemtype 'artikel'")


# --------------------------------------------------------------------------- generic


def test_encoding_error_names_line() -> None:
    data = b"TY  - JOUR\nTI  - Goed\nAB  - caf\xe9\nER  - \n"
    with pytest.raises(FormatError) as info:
        parse(data=data, file_name="latin1.ris")
    assert info.value.line == 3
    assert "UTF-8" in str(info.value)


@pytest.mark.parametrize("name", ["leeg.ris", "leeg.bib", "leeg.json", "leeg.csv", "leeg"])
def test_empty_file_is_not_an_error(name: str) -> None:
    result = parse(data=b"  \n", file_name=name)
    assert result.references == [] and result.rejected == []


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("a.ris", b"", "ris"),
        ("a.txt", b"TY  - JOUR\nER  - \n", "ris"),
        ("a.bib", b"", "bibtex"),
        ("a.bibtex", b"", "bibtex"),
        ("a.json", b"[]", "csljson"),
        ("a.csv", b"title\n", "csv"),
        ("export", ZOTERO_RIS.encode(), "ris"),
        ("export", ZOTERO_BIBTEX.encode(), "bibtex"),
        ("export", ZOTERO_CSLJSON.encode(), "csljson"),
        ("export.txt", OUR_CSV.encode(), "csv"),
    ],
)
def test_detect_format(name: str, data: bytes, expected: str) -> None:
    assert detect_format(file_name=name, data=data) == expected


def test_detect_format_unknown() -> None:
    with pytest.raises(FormatError) as info:
        detect_format(file_name="notities.txt", data=b"Zomaar wat tekst\n")
    assert info.value.line == 1


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("10.1000/XYZ123", "10.1000/xyz123"),
        ("  https://doi.org/10.1136/BMJ.m1234 ", "10.1136/bmj.m1234"),
        ("http://dx.doi.org/10.1000/abc%2Fdef", "10.1000/abc/def"),
        ("doi:10.1007/s12508-021-00300-1", "10.1007/s12508-021-00300-1"),
        ("DOI: 10.5555/a.b", "10.5555/a.b"),
        ("https://example.org/10.1000/x", ""),
        ("11.1000/x", ""),
        ("10.1000", ""),
        ("", ""),
    ],
)
def test_normalize_doi(value: str, expected: str) -> None:
    assert normalize_doi(value) == expected


def test_writers_type_tags() -> None:
    ref = ParsedReference(line=0, title="Notitie", item_type="expert_note")
    assert "TY  - RPRT\r\n" in write_ris([ref])
    assert "M3  - expertnotitie\r\n" in write_ris([ref])
    item = json.loads(write_csljson([ref]))[0]
    assert (item["type"], item["genre"]) == ("report", "expertnotitie")
    assert write_csv([]).strip() == ",".join(CSV_COLUMNS)


def test_module_does_not_import_django() -> None:
    code = "import sys, paraat.evidence.formats; print('django' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


# --------------------------------------------------------------------------- hypothesis

FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
SAMPLES = {
    "ris": ZOTERO_RIS,
    "bibtex": ZOTERO_BIBTEX,
    "csljson": ZOTERO_CSLJSON,
    "csv": OUR_CSV,
}
EXTENSIONS = {"ris": "ris", "bibtex": "bib", "csljson": "json", "csv": "csv"}


def _parse_or_format_error(data: bytes, file_name: str, file_format: str | None) -> None:
    try:
        result = parse(data=data, file_name=file_name, file_format=file_format)
    except FormatError as exc:
        assert exc.line >= 1
        assert str(exc).startswith(f"{file_name}, regel {exc.line}: ")
        return
    assert isinstance(result, ParseResult)
    for ref in result.references:
        assert ref.title and ref.line >= 1
        assert ref.item_type in ITEM_TYPES
    for rejection in result.rejected:
        assert rejection.line >= 1 and rejection.message


@FUZZ
@given(
    data=st.binary(max_size=400),
    file_format=st.sampled_from([None, *FORMATS]),
    name=st.sampled_from(["x.ris", "x.txt", "x.bib", "x.json", "x.csv", "x"]),
)
def test_fuzz_arbitrary_bytes(data: bytes, file_format: str | None, name: str) -> None:
    _parse_or_format_error(data, name, file_format)


@FUZZ
@given(
    text=st.text(alphabet='TYERAUI -\n\r{}@[]",;:=\\%&aé0123456789/', max_size=300),
    file_format=st.sampled_from(FORMATS),
)
def test_fuzz_syntax_like_text(text: str, file_format: str) -> None:
    _parse_or_format_error(text.encode(), f"x.{EXTENSIONS[file_format]}", file_format)


_MUTATION = st.tuples(
    st.sampled_from(["insert", "delete", "replace"]),
    st.floats(min_value=0, max_value=1, exclude_max=True),
    st.sampled_from(list('{}[]"\\,;=@\n\r -TYERAU%&é\x00\ufeff')) | st.characters(),
)


@FUZZ
@given(
    file_format=st.sampled_from(FORMATS),
    mutations=st.lists(_MUTATION, min_size=1, max_size=6),
)
def test_fuzz_mutated_valid_files(
    file_format: str, mutations: list[tuple[str, float, str]]
) -> None:
    text = SAMPLES[file_format]
    for operation, where, char in mutations:
        position = int(where * len(text))
        if operation == "insert":
            text = text[:position] + char + text[position:]
        elif operation == "delete":
            text = text[:position] + text[position + 1 :]
        else:
            text = text[:position] + char + text[position + 1 :]
    data = text.encode("utf-8", errors="surrogatepass")
    _parse_or_format_error(data, f"export.{EXTENSIONS[file_format]}", file_format)
    _parse_or_format_error(data, f"export.{EXTENSIONS[file_format]}", None)


# Canonical ("valid") references: text is whitespace-normalised, authors are
# "Family, Given", organisations have no comma, lists hold no duplicates and no ";"/",".
_CHARS = st.characters(
    categories=["Lu", "Ll", "Lo", "Nd", "Pd", "Po", "Ps", "Pe", "Sm", "Sc", "Zs"],
    exclude_characters="\x85",
)


def _line_text(*, exclude: str = "", min_size: int = 0) -> st.SearchStrategy[str]:
    return (
        st.text(_CHARS.filter(lambda c: c not in exclude), max_size=30)
        .map(lambda s: " ".join(s.split()))
        .filter(lambda s: len(s) >= min_size)
    )


_NAME_PART = _line_text(exclude=",;", min_size=1)
_AUTHOR = st.builds(lambda f, g: f"{f}, {g}", _NAME_PART, _NAME_PART)
_KEYWORD = _line_text(exclude=",;", min_size=1)
_SUMMARY = st.lists(_line_text(), max_size=4).map(lambda ls: "\n".join(ls).strip())
_DOI = st.one_of(
    st.just(""),
    st.builds(
        lambda reg, suffix: f"10.{reg}/{suffix}",
        st.integers(1000, 99999),
        st.text("abcdefghijklmnopqrstuvwxyz0123456789.-_()/:", min_size=1, max_size=20),
    ),
)
_URL = st.one_of(
    st.just(""),
    st.text("abcdefghijklmnopqrstuvwxyz0123456789/._-~%?=&;", max_size=25).map(
        lambda p: f"https://example.org/{p}"
    ),
)


@st.composite
def _dates(draw: st.DrawFn) -> tuple[datetime.date | None, str]:
    value = draw(st.none() | st.dates())
    if value is None:
        return None, "day"
    precision = draw(st.sampled_from(["year", "month", "day"]))
    if precision == "year":
        value = value.replace(month=1, day=1)
    elif precision == "month":
        value = value.replace(day=1)
    return value, precision


_SYSTEMATIC = re.compile(r"systematic\s+review|systematische\s+review", re.IGNORECASE)
_TAG_LINE = re.compile(r"[A-Z][A-Z0-9]  -.*")


@st.composite
def references(draw: st.DrawFn) -> ParsedReference:
    item_type = draw(st.sampled_from(ITEM_TYPES))
    title = draw(_line_text(min_size=1))
    keywords = draw(st.lists(_KEYWORD, max_size=4, unique=True))
    if item_type != "systematic_review":
        assume(not _SYSTEMATIC.search(title))
        assume(not any(_SYSTEMATIC.search(k) for k in keywords))
    summary = draw(_SUMMARY)
    assume(not any(_TAG_LINE.fullmatch(line) for line in summary.split("\n")))
    published_on, precision = draw(_dates())
    return ParsedReference(
        line=0,
        ref_key=draw(_line_text()),
        item_type=item_type,
        title=title,
        authors=draw(st.lists(_AUTHOR, max_size=4, unique=True)),
        organisation=draw(_line_text(exclude=",")),
        published_on=published_on,
        date_precision=precision,
        doi=draw(_DOI),
        url=draw(_URL),
        language=draw(st.sampled_from(["", "nl", "en", "en-GB"])),
        container_title=draw(_line_text()),
        publisher=draw(_line_text()),
        keywords=keywords,
        summary=summary,
        licence=draw(_line_text()),
        knowledge_class=draw(st.sampled_from(("", *KNOWLEDGE_CLASSES))),
        certainty=draw(st.sampled_from(("", *CERTAINTIES))),
        on_behalf_of=draw(_line_text()),
        declared_interests=draw(_SUMMARY),
    )


ROUND_TRIP = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
_NOT_IN_RIS = {
    "licence": "",
    "knowledge_class": "",
    "certainty": "",
    "on_behalf_of": "",
    "declared_interests": "",
}
_NOT_IN_CSL = {k: v for k, v in _NOT_IN_RIS.items() if k != "licence"}


def _without_line(refs: list[ParsedReference], **blank: Any) -> list[ParsedReference]:
    return [dataclasses.replace(r, line=0, **blank) for r in refs]


@ROUND_TRIP
@given(refs=st.lists(references(), max_size=4))
def test_round_trip_csv(refs: list[ParsedReference]) -> None:
    result = parse(data=write_csv(refs).encode(), file_name="uit.csv")
    assert result.rejected == []
    assert _without_line(result.references) == refs


@ROUND_TRIP
@given(refs=st.lists(references(), max_size=4))
def test_round_trip_ris(refs: list[ParsedReference]) -> None:
    result = parse(data=write_ris(refs).encode(), file_name="uit.ris")
    assert result.rejected == []
    assert _without_line(result.references) == _without_line(refs, **_NOT_IN_RIS)


@ROUND_TRIP
@given(refs=st.lists(references(), max_size=4))
def test_round_trip_csljson(refs: list[ParsedReference]) -> None:
    result = parse(data=write_csljson(refs).encode(), file_name="uit.json")
    assert result.rejected == []
    assert _without_line(result.references) == _without_line(refs, **_NOT_IN_CSL)


def test_round_trip_of_fixtures_through_every_writer() -> None:
    for fmt, sample in SAMPLES.items():
        refs = parse(data=sample.encode(), file_name=f"x.{EXTENSIONS[fmt]}").references
        again = parse(data=write_csv(refs).encode(), file_name="x.csv").references
        assert _without_line(again) == _without_line(refs)


def test_csv_cells_that_look_like_formulas_are_guarded_and_read_back() -> None:
    from paraat.evidence import formats

    ref = formats.ParsedReference(
        line=1, title='=HYPERLINK("http://x")', summary="-3 % werkloosheid", organisation="@org"
    )
    text = formats.write_csv([ref])
    assert "'=HYPERLINK" in text and "'-3 %" in text and "'@org" in text
    back = formats.parse(data=text.encode(), file_name="x.csv").references[0]
    assert back.title == ref.title and back.summary == ref.summary
    assert back.organisation == ref.organisation
