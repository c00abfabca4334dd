"""Full-text search of the knowledge library: Dutch stemming, query syntax, ranking, snippets,
facets, index maintenance and, above all, that search never shows what a reader may not see.

Runs on SQLite (FTS5 + Snowball ``dutch_porter``) and on PostgreSQL (``dutch`` tsvector); the
assertions are the ones both backends agree on.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from paraat.accounts import roles
from paraat.accounts.models import Confidentiality
from paraat.accounts.services import access_grant_create, roles_sync
from paraat.accounts.tests.factories import UserFactory
from paraat.evidence import services
from paraat.evidence.search import search_index_rebuild, search_index_update
from paraat.evidence.selectors import (
    UNGRADED,
    SearchFilters,
    evidence_for_export,
    evidence_search,
)
from paraat.evidence.tests.factories import EvidenceItemFactory
from paraat.measures.tests.factories import MeasureFactory
from paraat.taxonomies.tests.factories import DomainFactory, PopulationGroupFactory

pytestmark = pytest.mark.django_db

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def hit_titles(user, query: str, **kwargs) -> list[str]:
    kwargs.setdefault("with_facets", False)
    return [hit.item.title for hit in evidence_search(user=user, query=query, **kwargs).hits]


def found(query: str, user=None) -> set[str]:
    return set(hit_titles(user or AnonymousUser(), query, page_size=100))


# --- Dutch stemming and query syntax ----------------------------------------------------------


@pytest.fixture
def library():
    return {
        "schools": EvidenceItemFactory(
            title="De sluiting van de scholen", summary="Leerlingen kregen les op afstand."
        ),
        "young": EvidenceItemFactory(
            title="Eenzaamheid onder jongeren",
            summary="Een enquête onder studenten tijdens de lockdown.",
        ),
        "violence": EvidenceItemFactory(
            title="Huiselijk geweld tijdens de lockdown",
            summary="Meer meldingen bij Veilig Thuis.",
        ),
        "street": EvidenceItemFactory(
            title="Geweld op straat na de avondklok",
            summary="Rellen; het huiselijk leven bleef rustig.",
        ),
        "elderly": EvidenceItemFactory(
            title="Bezoekverbod in verpleeghuizen",
            summary="Ouderen voelden zich eenzaam door het bezoekverbod.",
        ),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # school/scholen share the stem "schol" on both backends
        ("school", {"De sluiting van de scholen"}),
        ("scholen", {"De sluiting van de scholen"}),
        ("Scholen", {"De sluiting van de scholen"}),
        ("sluiting", {"De sluiting van de scholen"}),
        # jongeren/jongere → "jonger"
        ("jongere", {"Eenzaamheid onder jongeren"}),
        ("jongeren", {"Eenzaamheid onder jongeren"}),
        # eenzaamheid/eenzaam → "eenzam" (title of one item, summary of another)
        ("eenzaam", {"Eenzaamheid onder jongeren", "Bezoekverbod in verpleeghuizen"}),
        ("eenzaamheid", {"Eenzaamheid onder jongeren", "Bezoekverbod in verpleeghuizen"}),
        ("oudere", {"Bezoekverbod in verpleeghuizen"}),
        ("verpleeghuis", set()),  # "verpleeghuizen" → "verpleeghuiz", not the same stem
    ],
)
def test_dutch_word_forms_find_each_other(library, query, expected) -> None:
    assert found(query) == expected


def test_sluiten_does_not_stem_like_sluiting(library) -> None:
    # Snowball (both backends) stems "sluiten" to "sluit" and "sluiting" to "sluiting".
    assert found("sluiten") == set()


def test_all_words_must_occur(library) -> None:
    assert found("scholen afstand") == {"De sluiting van de scholen"}
    assert found("scholen lockdown") == set()


def test_phrase_versus_words_apart(library) -> None:
    both = {"Huiselijk geweld tijdens de lockdown", "Geweld op straat na de avondklok"}
    assert found("huiselijk geweld") == both
    assert found('"huiselijk geweld"') == {"Huiselijk geweld tijdens de lockdown"}
    assert found('"geweld huiselijk"') == set()
    # a phrase matches stemmed word forms too
    assert found('"sluiting van de scholen"') == {"De sluiting van de scholen"}
    assert found('"sluiting scholen"') == set()


def test_or_and_exclusion(library) -> None:
    assert found("scholen OR jongeren") == {
        "De sluiting van de scholen",
        "Eenzaamheid onder jongeren",
    }
    assert found("geweld -straat") == {"Huiselijk geweld tijdens de lockdown"}
    assert found('geweld -"op straat"') == {"Huiselijk geweld tijdens de lockdown"}
    assert found("lockdown -jongeren") == {"Huiselijk geweld tijdens de lockdown"}
    # a dangling OR is ignored
    assert found("OR scholen") == {"De sluiting van de scholen"}
    assert found("scholen OR") == {"De sluiting van de scholen"}


def test_lower_case_or_is_a_word(library) -> None:
    # Only upper-case OR is the operator (parse_query); "or" is an ordinary word that must occur.
    assert found("scholen or jongeren") == set()
    assert found("scholen Or jongeren") == set()


@pytest.mark.parametrize(
    "query", ["-jongeren", "-straat -geweld", '-"huiselijk geweld"', "-straat OR -geweld"]
)
def test_query_that_only_excludes_matches_nothing(client, library, query) -> None:
    # fts5_expression gives "" (nothing to match); both backends must agree.
    assert found(query) == set()
    assert evidence_search(user=AnonymousUser(), query=query).total == 0
    assert evidence_for_export(user=AnonymousUser(), query=query) == []
    assert client.get(reverse("evidence:list"), {"q": query}).status_code == 200


def test_or_after_an_exclusion_does_not_attach_to_it(library) -> None:
    assert found("-geweld OR jongeren") == {"Eenzaamheid onder jongeren"}


def test_or_binds_tighter_than_and(library) -> None:
    # (scholen OR jongeren) AND eenzaamheid
    assert found("scholen OR jongeren eenzaamheid") == {"Eenzaamheid onder jongeren"}
    assert (
        evidence_search(
            user=AnonymousUser(), query="scholen OR jongeren eenzaamheid", with_facets=False
        ).total
        == 1
    )


def test_or_after_and(library) -> None:
    # eenzaamheid AND (scholen OR jongeren): the same on both backends
    assert found("eenzaamheid scholen OR jongeren") == {"Eenzaamheid onder jongeren"}


ODD_QUERIES = [
    "",
    " ",
    '"',
    '""',
    '"""',
    "-",
    "--",
    "OR",
    "OR OR",
    "- OR -",
    'a"b',
    '"open phrase',
    "NEAR(",
    "NEAR(scholen jongeren, 2)",
    "scholen*",
    "*",
    "^scholen",
    "^",
    ":",
    "title:scholen",
    "title:",
    "{title summary}: scholen",
    "scholen AND NOT jongeren",
    "(scholen",
    "scholen)",
    "'; DROP TABLE evidence_evidenceitem; --",
    "' OR 1=1 --",
    "\\",
    "%",
    "_",
    "x_y",
    "!",
    "&|!<->",
    "<->",
    "scholen <-> jongeren",
    "\x00",
    "scholen\x00jongeren",
    "één",
    "😀 scholen",
    "scholen " * 200,
    "a" * 5000,
    " ".join(f"woord{n}" for n in range(100)),
    '"' * 301,
    "-" * 301,
]


@pytest.mark.parametrize("query", ODD_QUERIES)
def test_odd_queries_never_raise(library, query) -> None:
    for user in (AnonymousUser(),):
        result = evidence_search(user=user, query=query, with_facets=False)
        assert result.total >= len(result.hits) >= 0
        assert isinstance(evidence_for_export(user=user, query=query), list)


@pytest.mark.parametrize(
    "query",
    [
        "^",
        "-",
        "OR",
        '"',
        "NEAR(",
        "title:scholen",
        "scholen*",
        'a"b',
    ],
)
def test_odd_queries_on_the_page_api_and_cli(client, library, query) -> None:
    assert client.get(reverse("evidence:list"), {"q": query}).status_code == 200
    assert client.get("/api/v1/evidence/", {"q": query}).status_code == 200
    response = client.get("/api/v1/evidence/export/", {"q": query, "export_format": "ris"})
    assert response.status_code == 200
    out = io.StringIO()
    call_command("evidence", "search", query, "--json", stdout=out)
    assert isinstance(json.loads(out.getvalue()), list)


def test_odd_queries_with_facets(library) -> None:
    for query in ["", " ", '"', "-", "OR", "- OR -", "*", "^", ":", "\x00"]:
        result = evidence_search(user=AnonymousUser(), query=query)
        assert isinstance(result.facets, list)


@pytest.mark.parametrize("query", ["scholen", "scholen*", "^scholen", "(scholen", "scholen:"])
def test_syntax_characters_are_just_separators(library, query) -> None:
    assert found(query) == {"De sluiting van de scholen"}


@given(query=st.text(max_size=400))
@hypothesis_settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_search_never_raises(library, query) -> None:
    result = evidence_search(user=AnonymousUser(), query=query, with_facets=False)
    assert 0 <= len(result.hits) <= result.total
    assert all(hit.item.confidentiality == Confidentiality.PUBLIC for hit in result.hits)


@given(
    query=st.lists(
        st.sampled_from(
            ["scholen", "jongeren", "geweld", "OR", "-", '"', "NEAR(", "*", ":", "^", "-straat"]
        ),
        max_size=8,
    ).map(" ".join)
)
@hypothesis_settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_search_with_operators_never_raises(library, query) -> None:
    result = evidence_search(user=AnonymousUser(), query=query, with_facets=False)
    assert 0 <= len(result.hits) <= result.total <= len(library)


# --- ranking and snippets ---------------------------------------------------------------------


def test_title_match_ranks_above_body_only_match() -> None:
    # Unrelated items, so that the term is rare enough for bm25 to give positive scores.
    for n in range(6):
        EvidenceItemFactory(title=f"Overig onderzoek {n}", summary="Over iets anders.")
    body = EvidenceItemFactory(
        title="Rapport over de coronaperiode",
        summary="Een overzicht.",
        full_text="Hoofdstuk drie gaat over mondkapjes in het openbaar vervoer.",
        published_on=dt.date(2023, 1, 1),  # newer: would come first without ranking
    )
    title = EvidenceItemFactory(
        title="Mondkapjes in het openbaar vervoer",
        summary="Een overzicht.",
        published_on=dt.date(2020, 1, 1),
    )
    summary = EvidenceItemFactory(
        title="Naleving van de maatregelen",
        summary="Over de mondkapjes in het openbaar vervoer.",
        published_on=dt.date(2022, 1, 1),
    )
    result = evidence_search(user=AnonymousUser(), query="mondkapjes", with_facets=False)
    assert [hit.item.pk for hit in result.hits] == [title.pk, summary.pk, body.pk]
    scores = [hit.score for hit in result.hits]
    assert scores == sorted(scores, reverse=True) and scores[0] > scores[-1]
    # ordering by date ignores the ranking
    result = evidence_search(
        user=AnonymousUser(), query="mondkapjes", with_facets=False, order="date"
    )
    assert [hit.item.pk for hit in result.hits] == [body.pk, summary.pk, title.pk]


def test_paging_of_ranked_results() -> None:
    for n in range(5):
        EvidenceItemFactory(title=f"Avondklok deel {n}", summary="Over de avondklok.")

    def page(number: int):
        return evidence_search(
            user=AnonymousUser(), query="avondklok", page_size=2, page=number, with_facets=False
        )

    first, second, third = page(1), page(2), page(3)
    assert first.total == second.total == 5 and first.pages == 3
    pks = [h.item.pk for r in (first, second, third) for h in r.hits]
    assert len(pks) == len(set(pks)) == 5


def test_highlight_marks_matched_word_forms() -> None:
    EvidenceItemFactory(
        title="Scholen en de school van morgen",
        summary="Na de sluiting van een school gingen leerlingen naar andere scholen.",
    )
    hit = evidence_search(user=AnonymousUser(), query="school", with_facets=False).hits[0]
    assert str(hit.title_html) == "<mark>Scholen</mark> en de <mark>school</mark> van morgen"
    snippet = str(hit.snippet.html)
    assert "<mark>school</mark>" in snippet and "<mark>scholen</mark>" in snippet
    assert "<mark>sluiting</mark>" not in snippet
    assert hit.snippet.field == "summary"


def test_snippet_from_full_text_around_the_match() -> None:
    text = ("Inleiding zonder het woord. " * 40) + "Hier staat iets over thuiswerken. " + "Slot."
    EvidenceItemFactory(title="Arbeid", summary="Samenvatting.", full_text=text)
    hit = evidence_search(user=AnonymousUser(), query="thuiswerk", with_facets=False).hits[0]
    assert hit.snippet.field == "full_text"
    snippet = str(hit.snippet.html)
    assert "<mark>thuiswerken</mark>" in snippet
    assert snippet.startswith("… ") and len(snippet) < len(text)


@pytest.fixture
def scripted():
    return EvidenceItemFactory(
        title="Avondklok <b>vet</b> & rellen",
        summary="Onrust na de avondklok <script>alert(1)</script> in steden.",
    )


def test_item_text_is_escaped_in_title_and_snippet(scripted) -> None:
    hit = evidence_search(user=AnonymousUser(), query="avondklok", with_facets=False).hits[0]
    assert "<script>" not in str(hit.snippet.html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in str(hit.snippet.html)
    assert "<mark>avondklok</mark>" in str(hit.snippet.html)
    assert str(hit.title_html) == "<mark>Avondklok</mark> &lt;b&gt;vet&lt;/b&gt; &amp; rellen"
    # without a query: escaped, nothing marked
    hit = evidence_search(user=AnonymousUser(), query="", with_facets=False).hits[0]
    assert "<mark>" not in str(hit.snippet.html) + str(hit.title_html)
    assert "&lt;script&gt;" in str(hit.snippet.html)


def test_item_text_is_escaped_on_the_page_without_query(client, scripted) -> None:
    content = client.get(reverse("evidence:list")).content.decode()
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
    assert "<b>vet</b>" not in content


def test_item_text_is_escaped_on_the_page_and_api_with_query(client, scripted) -> None:
    for params in ({"q": "avondklok"},):
        content = client.get(reverse("evidence:list"), params).content.decode()
        assert "<script>alert(1)</script>" not in content
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
        assert "<b>vet</b>" not in content
    payload = client.get("/api/v1/evidence/", {"q": "avondklok"}).json()
    assert "<script>" not in payload["results"][0]["snippet_html"]


def test_query_in_page_is_escaped(client) -> None:
    content = client.get(reverse("evidence:list"), {"q": '<script>alert("q")</script>'})
    assert content.status_code == 200
    assert b'<script>alert("q")</script>' not in content.content


# --- facets -----------------------------------------------------------------------------------


def facet_map(result) -> dict[str, dict[str, int]]:
    return {facet.key: {value: n for value, _label, n in facet.values} for facet in result.facets}


@pytest.fixture
def faceted():
    m_schools = MeasureFactory(key="scholen-dicht", name_nl="Scholen dicht")
    m_curfew = MeasureFactory(key="avondklok", name_nl="Avondklok")
    d_mental = DomainFactory(key="mentale-gezondheid", name_nl="Mentale gezondheid")
    d_education = DomainFactory(key="onderwijs", name_nl="Onderwijs")
    g_young = PopulationGroupFactory(key="jongeren", name_nl="Jongeren")
    common = {"summary": "Gevolgen van de pandemie voor het welzijn."}
    items = {
        "a": EvidenceItemFactory(
            title="Studie A",
            item_type="peer_reviewed",
            knowledge_class="scientific",
            certainty="high",
            published_on=dt.date(2021, 5, 1),
            **common,
        ),
        "b": EvidenceItemFactory(
            title="Studie B",
            item_type="peer_reviewed",
            knowledge_class="scientific",
            certainty="",
            published_on=dt.date(2021, 9, 1),
            **common,
        ),
        "c": EvidenceItemFactory(
            title="Signaal C",
            item_type="practice_signal",
            knowledge_class="practice",
            certainty="",
            published_on=dt.date(2022, 2, 1),
            **common,
        ),
        "d": EvidenceItemFactory(
            title="Data D",
            item_type="dataset",
            knowledge_class="administrative",
            certainty="low",
            published_on=None,
            **common,
        ),
        "other": EvidenceItemFactory(
            title="Ander onderwerp",
            summary="Niets over de pandemie.",
            item_type="dataset",
            knowledge_class="administrative",
            published_on=dt.date(2020, 1, 1),
        ),
    }
    link = services.evidence_link_create
    link(item=items["a"], data=services.LinkData(measure=m_schools, domain=d_education), user=None)
    link(item=items["a"], data=services.LinkData(measure=m_schools, group=g_young), user=None)
    link(item=items["b"], data=services.LinkData(measure=m_schools, domain=d_mental), user=None)
    link(item=items["c"], data=services.LinkData(measure=m_curfew, domain=d_mental), user=None)
    link(item=items["other"], data=services.LinkData(measure=m_curfew, group=g_young), user=None)
    return items


def test_facet_counts(faceted) -> None:
    result = evidence_search(user=AnonymousUser(), query="welzijn")
    assert result.total == 4
    facets = facet_map(result)
    assert facets["type"] == {"peer_reviewed": 2, "practice_signal": 1, "dataset": 1}
    assert facets["class"] == {"scientific": 2, "practice": 1, "administrative": 1}
    assert facets["certainty"] == {"high": 1, "low": 1, UNGRADED: 2}
    # item A is linked to "scholen-dicht" twice: counted once
    assert facets["measure"] == {"scholen-dicht": 2, "avondklok": 1}
    assert facets["domain"] == {"onderwijs": 1, "mentale-gezondheid": 2}
    assert facets["group"] == {"jongeren": 1}
    assert facets["year"] == {"2021": 2, "2022": 1}
    labels = {facet.key: {v: label for v, label, _n in facet.values} for facet in result.facets}
    assert labels["measure"]["scholen-dicht"] == "Scholen dicht"
    assert labels["certainty"][UNGRADED] == "niet gegradeerd"


def test_facet_counts_without_query(faceted) -> None:
    result = evidence_search(user=AnonymousUser(), query="")
    assert result.total == 5
    facets = facet_map(result)
    assert facets["type"] == {"peer_reviewed": 2, "practice_signal": 1, "dataset": 2}
    assert facets["measure"] == {"scholen-dicht": 2, "avondklok": 2}
    assert facets["group"] == {"jongeren": 2}
    assert facets["year"] == {"2020": 1, "2021": 2, "2022": 1}


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (SearchFilters(item_types=["peer_reviewed"]), {"Studie A", "Studie B"}),
        (
            SearchFilters(item_types=["peer_reviewed", "dataset"]),
            {"Studie A", "Studie B", "Data D"},
        ),
        (SearchFilters(knowledge_classes=["practice"]), {"Signaal C"}),
        (SearchFilters(certainties=[UNGRADED]), {"Studie B", "Signaal C"}),
        (SearchFilters(certainties=["high", UNGRADED]), {"Studie A", "Studie B", "Signaal C"}),
        (SearchFilters(certainties=["low"]), {"Data D"}),
        (SearchFilters(measure="scholen-dicht"), {"Studie A", "Studie B"}),
        (SearchFilters(measure="avondklok"), {"Signaal C"}),
        (SearchFilters(domain="mentale-gezondheid"), {"Studie B", "Signaal C"}),
        (SearchFilters(group="jongeren"), {"Studie A"}),
        (SearchFilters(year_from=2022), {"Signaal C"}),
        (SearchFilters(year_to=2021), {"Studie A", "Studie B"}),
        (SearchFilters(year_from=2021, year_to=2021), {"Studie A", "Studie B"}),
        (SearchFilters(item_types=["peer_reviewed"], certainties=[UNGRADED]), {"Studie B"}),
        (SearchFilters(measure="onbekend"), set()),
    ],
)
def test_filters_narrow_results(faceted, filters, expected) -> None:
    result = evidence_search(
        user=AnonymousUser(), query="welzijn", filters=filters, with_facets=False
    )
    assert {hit.item.title for hit in result.hits} == expected
    assert result.total == len(expected)
    exported = evidence_for_export(user=AnonymousUser(), query="welzijn", filters=filters)
    assert {item.title for item in exported} == expected


def test_facets_follow_the_filters(faceted) -> None:
    result = evidence_search(
        user=AnonymousUser(), query="welzijn", filters=SearchFilters(measure="scholen-dicht")
    )
    facets = facet_map(result)
    assert facets["type"] == {"peer_reviewed": 2}
    assert facets["certainty"] == {"high": 1, UNGRADED: 1}
    assert facets["measure"] == {"scholen-dicht": 2}
    assert facets["domain"] == {"onderwijs": 1, "mentale-gezondheid": 1}


def test_filters_on_page_and_api(client, faceted) -> None:
    content = client.get(
        reverse("evidence:list"), {"q": "welzijn", "certainty": UNGRADED}
    ).content.decode()
    assert "Studie B" in content and "Signaal C" in content
    assert "Studie A" not in content and "Data D" not in content
    payload = client.get(
        "/api/v1/evidence/", {"q": "welzijn", "type": "peer_reviewed", "measure": "scholen-dicht"}
    ).json()
    assert payload["count"] == 2
    assert {r["title"] for r in payload["results"]} == {"Studie A", "Studie B"}
    # unknown filter values are ignored rather than failing
    response = client.get(
        "/api/v1/evidence/", {"q": "welzijn", "type": "nonsense", "from": "abc", "page": "x"}
    )
    assert response.status_code == 200 and response.json()["count"] == 4


# --- confidentiality --------------------------------------------------------------------------

QUERY = "thuisonderwijs"
PUB = "Thuisonderwijs in het openbaar OPENBAAR111"
INT = "Thuisonderwijs intern bekeken INTERN222"
CONF = "Thuisonderwijs vertrouwelijk advies GEHEIM333"
CONF_GRANTED = "Thuisonderwijs vertrouwelijke peiling GEHEIM444"
SECRET_MEASURE = "Maatregel Kwartelkoning"
SECRET_DOMAIN = "Domein Roerdomp"
SECRET_GROUP = "Groep Woudaap"
MARKERS = {PUB: "OPENBAAR111", INT: "INTERN222", CONF: "GEHEIM333", CONF_GRANTED: "GEHEIM444"}


@pytest.fixture
def people():
    roles_sync()
    return {
        "analyst": UserFactory(username="analist-een", roles=[roles.ANALYST]),
        "other_analyst": UserFactory(username="analist-twee", roles=[roles.ANALYST]),
        "cpo": UserFactory(username="cpo-een", roles=[roles.CPO]),
        "no_role": UserFactory(username="zonder-rol"),
    }


@pytest.fixture
def secrets(people):
    """Four items that all match QUERY, one per level (plus one extra confidential one),
    each with its own type, class, certainty and year so that facet counts betray leaks."""
    items = {
        PUB: EvidenceItemFactory(
            title=PUB,
            summary="Ervaringen met thuisonderwijs.",
            item_type="report",
            knowledge_class="scientific",
            certainty="high",
            published_on=dt.date(2021, 1, 1),
            confidentiality=Confidentiality.PUBLIC,
        ),
        INT: EvidenceItemFactory(
            title=INT,
            summary="Cijfers over thuisonderwijs.",
            item_type="dataset",
            knowledge_class="administrative",
            certainty="low",
            published_on=dt.date(2020, 1, 1),
            confidentiality=Confidentiality.INTERNAL,
        ),
        CONF: EvidenceItemFactory(
            title=CONF,
            summary="Advies over thuisonderwijs.",
            item_type="expert_note",
            knowledge_class="practice",
            certainty="",
            published_on=dt.date(2019, 1, 1),
            confidentiality=Confidentiality.CONFIDENTIAL,
        ),
        CONF_GRANTED: EvidenceItemFactory(
            title=CONF_GRANTED,
            summary="Peiling over thuisonderwijs.",
            item_type="citizen_panel",
            knowledge_class="experiential",
            certainty="very_low",
            published_on=dt.date(2018, 1, 1),
            confidentiality=Confidentiality.CONFIDENTIAL,
        ),
    }
    measure = MeasureFactory(key="kwartelkoning", name_nl=SECRET_MEASURE)
    domain = DomainFactory(key="roerdomp", name_nl=SECRET_DOMAIN)
    group = PopulationGroupFactory(key="woudaap", name_nl=SECRET_GROUP)
    services.evidence_link_create(
        item=items[CONF],
        data=services.LinkData(measure=measure, domain=domain, group=group),
        user=people["cpo"],
    )
    return items


# Per reader: the titles they may see and the facet counts of QUERY.
EXPECTED = {
    "anonymous": {PUB},
    "no_role": {PUB},  # logged in, but without a role: like the public
    "analyst": {PUB, INT},
    "cpo": {PUB, INT, CONF, CONF_GRANTED},
}
READERS = ["anonymous", "analyst", "cpo"]
FACETS_OF = {
    PUB: {"type": "report", "class": "scientific", "certainty": "high", "year": "2021"},
    INT: {"type": "dataset", "class": "administrative", "certainty": "low", "year": "2020"},
    CONF: {
        "type": "expert_note",
        "class": "practice",
        "certainty": UNGRADED,
        "year": "2019",
        "measure": "kwartelkoning",
        "domain": "roerdomp",
        "group": "woudaap",
    },
    CONF_GRANTED: {
        "type": "citizen_panel",
        "class": "experiential",
        "certainty": "very_low",
        "year": "2018",
    },
}


def expected_facets(titles: set[str]) -> dict[str, dict[str, int]]:
    facets: dict[str, dict[str, int]] = {
        key: {} for key in ("type", "class", "certainty", "measure", "domain", "group", "year")
    }
    for title in titles:
        for key, value in FACETS_OF[title].items():
            facets[key][value] = facets[key].get(value, 0) + 1
    return facets


def reader(people, who: str):
    return AnonymousUser() if who == "anonymous" else people[who]


def login(client, people, who: str) -> None:
    if who != "anonymous":
        client.force_login(people[who])


def assert_only(content: str | bytes, allowed: set[str]) -> None:
    """Markers of allowed titles are present, markers of all other titles absent."""
    text = content.decode() if isinstance(content, bytes) else content
    for title, marker in MARKERS.items():
        assert (marker in text) == (title in allowed), (marker, title in allowed)


@pytest.mark.parametrize("who", list(EXPECTED))
def test_search_hits_and_totals_per_reader(secrets, people, who) -> None:
    user = reader(people, who)
    for query in (QUERY, "thuisonderwijs OR niets", '"thuisonderwijs"', ""):
        result = evidence_search(user=user, query=query, with_facets=False)
        assert {hit.item.title for hit in result.hits} == EXPECTED[who], query
        assert result.total == len(EXPECTED[who])
    # searching for the secret words themselves finds nothing either
    for title, marker in MARKERS.items():
        hits = hit_titles(user, marker.lower())
        assert hits == ([title] if title in EXPECTED[who] else [])
    # paging never reveals hidden items
    pages = [
        evidence_search(user=user, query=QUERY, page=p, page_size=1, with_facets=False)
        for p in (1, 2, 3, 4)
    ]
    assert {h.item.title for r in pages for h in r.hits} == EXPECTED[who]


WITH_QUERY = [pytest.param(QUERY, id="query"), pytest.param("", id="all")]


@pytest.mark.parametrize("query", WITH_QUERY)
@pytest.mark.parametrize("who", READERS)
def test_search_facets_per_reader(secrets, people, who, query) -> None:
    result = evidence_search(user=reader(people, who), query=query)
    assert result.total == len(EXPECTED[who])
    assert facet_map(result) == expected_facets(EXPECTED[who])
    labels = {label for facet in result.facets for _v, label, _n in facet.values}
    hidden = who != "cpo"
    assert (SECRET_MEASURE in labels) != hidden
    assert (SECRET_DOMAIN in labels) != hidden
    assert (SECRET_GROUP in labels) != hidden


@pytest.mark.parametrize("query", WITH_QUERY)
@pytest.mark.parametrize("who", READERS)
def test_search_page_per_reader(client, secrets, people, who, query) -> None:
    login(client, people, who)
    for order in ("", "date"):
        response = client.get(reverse("evidence:list"), {"q": query, "order": order})
        assert response.status_code == 200
        assert_only(response.content, EXPECTED[who])
        content = response.content.decode()
        for name in (SECRET_MEASURE, SECRET_DOMAIN, SECRET_GROUP):
            assert (name in content) == (who == "cpo"), name
        assert response.context["result"].total == len(EXPECTED[who])
        counts = facet_map(response.context["result"])
        assert counts == expected_facets(EXPECTED[who])
    if who == "cpo":
        assert f"{SECRET_MEASURE} (1)" in content
    # filtering on the measure that only a confidential item is linked to
    response = client.get(reverse("evidence:list"), {"q": query, "measure": "kwartelkoning"})
    assert_only(response.content, {CONF} if who == "cpo" else set())
    assert response.context["result"].total == (1 if who == "cpo" else 0)


def _csv_titles(text: str) -> set[str]:
    return {row["title"] for row in csv.DictReader(io.StringIO(text))}


def _ris_titles(text: str) -> set[str]:
    return {line[6:].strip() for line in text.splitlines() if line.startswith("TI  - ")}


def _csljson_titles(text: str) -> set[str]:
    return {item["title"] for item in json.loads(text)}


PARSE_EXPORT = {"csv": _csv_titles, "ris": _ris_titles, "csljson": _csljson_titles}


@pytest.mark.parametrize("who", list(EXPECTED))
def test_exports_per_reader(client, secrets, people, who) -> None:
    login(client, people, who)
    user = reader(people, who)
    assert {i.title for i in evidence_for_export(user=user, query=QUERY)} == EXPECTED[who]
    assert {i.title for i in evidence_for_export(user=user)} == EXPECTED[who]
    for file_format, parse in PARSE_EXPORT.items():
        for params in ({"q": QUERY}, {}, {"q": QUERY, "class": "practice"}):
            wanted = EXPECTED[who] if "class" not in params else EXPECTED[who] & {CONF}
            web = client.get(reverse("evidence:export", args=[file_format]), params)
            assert web.status_code == 200
            assert parse(web.content.decode()) == wanted, (file_format, params)
            assert_only(web.content, wanted)
            api = client.get("/api/v1/evidence/export/", {**params, "export_format": file_format})
            assert api.status_code == 200
            assert parse(api.content.decode()) == wanted, (file_format, params)
            assert_only(api.content, wanted)


@pytest.mark.parametrize("query", WITH_QUERY)
@pytest.mark.parametrize("who", READERS)
def test_api_list_per_reader(client, secrets, people, who, query) -> None:
    login(client, people, who)
    for params in ({"q": query}, {"q": query, "page": "1"}):
        payload = client.get("/api/v1/evidence/", params).json()
        assert {r["title"] for r in payload["results"]} == EXPECTED[who]
        assert payload["count"] == len(EXPECTED[who])
        facets = {
            key: {entry["value"]: entry["count"] for entry in values}
            for key, values in payload["facets"].items()
        }
        assert facets == expected_facets(EXPECTED[who])
        assert_only(json.dumps(payload), EXPECTED[who])
    for title, item in secrets.items():
        response = client.get(f"/api/v1/evidence/{item.pk}/")
        assert response.status_code == (200 if title in EXPECTED[who] else 404)


@pytest.mark.parametrize("who", list(EXPECTED))
def test_web_detail_per_reader(client, secrets, people, who) -> None:
    login(client, people, who)
    for title, item in secrets.items():
        response = client.get(reverse("evidence:detail", args=[item.pk]))
        assert response.status_code == (200 if title in EXPECTED[who] else 404)
        response = client.get(reverse("evidence:by_ref", args=[item.ref]))
        assert response.status_code == (302 if title in EXPECTED[who] else 404)


@pytest.mark.parametrize(
    ("who", "username"),
    [
        ("anonymous", None),
        ("analyst", "analist-een"),
        ("cpo", "cpo-een"),
        ("no_role", "zonder-rol"),
    ],
)
def test_cli_search_per_reader(secrets, people, who, username) -> None:
    out = io.StringIO()
    as_user = ["--user", username] if username else []
    call_command("evidence", "search", QUERY, "--json", *as_user, stdout=out)
    rows = json.loads(out.getvalue())
    assert {row["title"] for row in rows} == EXPECTED[who]
    assert_only(out.getvalue(), EXPECTED[who])
    # the plain-text output too
    out = io.StringIO()
    call_command("evidence", "search", QUERY, *as_user, stdout=out)
    text = out.getvalue()
    assert text.startswith(f"{len(EXPECTED[who])} results for ")
    assert_only(text, EXPECTED[who])


def test_access_grant_shows_one_item_to_one_person_only(client, secrets, people) -> None:
    analyst = people["analyst"]
    access_grant_create(
        target=secrets[CONF_GRANTED],
        granted_by=people["cpo"],
        reason="Voor de analyse van de peiling",
        grantee_user=analyst,
    )
    granted = {PUB, INT, CONF_GRANTED}
    result = evidence_search(user=analyst, query=QUERY, with_facets=False)
    assert {h.item.title for h in result.hits} == granted and result.total == 3
    assert {i.title for i in evidence_for_export(user=analyst, query=QUERY)} == granted
    # the other analyst and the public still do not see it
    for user in (people["other_analyst"], AnonymousUser()):
        titles = set(hit_titles(user, QUERY))
        assert CONF_GRANTED not in titles and CONF not in titles
    client.force_login(analyst)
    response = client.get(reverse("evidence:export", args=["csv"]), {"q": QUERY})
    assert _csv_titles(response.content.decode()) == granted
    response = client.get("/api/v1/evidence/export/", {"q": QUERY, "export_format": "ris"})
    assert _ris_titles(response.content.decode()) == granted
    assert client.get(f"/api/v1/evidence/{secrets[CONF_GRANTED].pk}/").status_code == 200
    assert client.get(f"/api/v1/evidence/{secrets[CONF].pk}/").status_code == 404
    out = io.StringIO()
    call_command("evidence", "search", QUERY, "--json", "--user", "analist-een", stdout=out)
    assert {row["title"] for row in json.loads(out.getvalue())} == granted
    out = io.StringIO()
    call_command("evidence", "search", QUERY, "--json", "--user", "analist-twee", stdout=out)
    assert {row["title"] for row in json.loads(out.getvalue())} == {PUB, INT}
    client.force_login(people["other_analyst"])
    assert client.get(f"/api/v1/evidence/{secrets[CONF_GRANTED].pk}/").status_code == 404


def test_access_grant_in_faceted_search_page_and_api(client, secrets, people) -> None:
    analyst = people["analyst"]
    access_grant_create(
        target=secrets[CONF_GRANTED],
        granted_by=people["cpo"],
        reason="Voor de analyse van de peiling",
        grantee_user=analyst,
    )
    granted = {PUB, INT, CONF_GRANTED}
    result = evidence_search(user=analyst, query=QUERY)
    assert facet_map(result) == expected_facets(granted)
    client.force_login(analyst)
    response = client.get(reverse("evidence:list"), {"q": QUERY})
    assert_only(response.content, granted)
    assert SECRET_MEASURE not in response.content.decode()
    payload = client.get("/api/v1/evidence/", {"q": QUERY}).json()
    assert {r["title"] for r in payload["results"]} == granted
    client.force_login(people["other_analyst"])
    assert_only(client.get(reverse("evidence:list"), {"q": QUERY}).content, {PUB, INT})


def test_merged_away_item_no_longer_appears(client, secrets, people) -> None:
    duplicate = EvidenceItemFactory(
        title="Thuisonderwijs in het openbaar DUBBEL555",
        summary="Ervaringen met thuisonderwijs (dubbel ingevoerd).",
        confidentiality=Confidentiality.PUBLIC,
    )
    assert "Thuisonderwijs in het openbaar DUBBEL555" in hit_titles(AnonymousUser(), QUERY)
    services.evidence_merge(keep=secrets[PUB], remove=duplicate, take_fields=[], user=people["cpo"])
    for user in (AnonymousUser(), people["cpo"]):
        assert "Thuisonderwijs in het openbaar DUBBEL555" not in hit_titles(user, QUERY)
        assert hit_titles(user, "dubbel555") == []
        assert evidence_search(user=user, query="dubbel555", with_facets=False).total == 0
        assert all(i.pk != duplicate.pk for i in evidence_for_export(user=user, query=QUERY))
        assert all(i.pk != duplicate.pk for i in evidence_for_export(user=user))
    assert evidence_search(user=AnonymousUser(), query=QUERY, with_facets=False).total == 1
    assert b"DUBBEL555" not in client.get(reverse("evidence:export", args=["csv"])).content
    out = io.StringIO()
    call_command("evidence", "search", "dubbel555", "--json", stdout=out)
    assert json.loads(out.getvalue()) == []
    # the merged-away item's page leads to the item that stayed
    response = client.get(reverse("evidence:detail", args=[duplicate.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("evidence:detail", args=[secrets[PUB].pk])
    assert client.get(f"/api/v1/evidence/{duplicate.pk}/").status_code == 404


def test_merge_with_confidential_item_hides_the_kept_item(secrets, people) -> None:
    # The stricter level wins: merging a confidential duplicate into a public item makes the
    # kept item confidential, so it disappears for the public.
    services.evidence_merge(
        keep=secrets[PUB], remove=secrets[CONF], take_fields=[], user=people["cpo"]
    )
    assert PUB not in hit_titles(AnonymousUser(), QUERY)
    assert PUB not in hit_titles(people["analyst"], QUERY)
    assert PUB in hit_titles(people["cpo"], QUERY)
    assert CONF not in hit_titles(people["cpo"], QUERY)


# --- index maintenance ------------------------------------------------------------------------


def test_updating_an_item_updates_what_it_is_found_by() -> None:
    item = EvidenceItemFactory(title="Sluiting van sportscholen", summary="Geen fitness.")
    assert found("sportscholen") == {"Sluiting van sportscholen"}
    data = dataclasses.replace(
        services.evidence_data_from_item(item),
        title="Sluiting van zwembaden",
        summary="Geen baantjes.",
    )
    services.evidence_update(item=item, data=data)
    assert found("sportscholen") == set()
    assert found("fitness") == set()
    assert found("zwembad") == {"Sluiting van zwembaden"}
    assert found("baantjes") == {"Sluiting van zwembaden"}


def test_confidentiality_change_applies_to_search_at_once() -> None:
    item = EvidenceItemFactory(title="Vaccinatiebereidheid", confidentiality="public")
    assert found("vaccinatiebereidheid") == {"Vaccinatiebereidheid"}
    data = dataclasses.replace(
        services.evidence_data_from_item(item), confidentiality=Confidentiality.INTERNAL
    )
    services.evidence_update(item=item, data=data)
    assert found("vaccinatiebereidheid") == set()


def test_search_index_rebuild() -> None:
    EvidenceItemFactory(title="Evenementen zonder publiek", summary="Lege stadions.")
    EvidenceItemFactory(title="Horeca gesloten", summary="Terrassen dicht.")
    merged_away = EvidenceItemFactory(title="Horeca dicht (dubbel)", summary="Terrassen.")
    services.evidence_merge(
        keep=EvidenceItemFactory(title="Horeca en terrassen"),
        remove=merged_away,
        take_fields=[],
        user=None,
    )
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM evidence_search")
        assert found("stadions") == set()
    assert search_index_rebuild() == 4
    assert found("stadions") == {"Evenementen zonder publiek"}
    assert found("terrassen") == {"Horeca gesloten", "Horeca en terrassen"}
    assert found("dubbel") == set()
    out = io.StringIO()
    call_command("evidence", "reindex", stdout=out)
    assert out.getvalue().strip() == "4 items indexed"
    assert found("horeca") == {"Horeca gesloten", "Horeca en terrassen"}


def test_pdf_text_is_searchable() -> None:
    item = EvidenceItemFactory(title="Bijlage", summary="Zie de bijlage.")
    item.extracted_text = "In de bijlage staat iets over quarantaineplicht."
    item.save()
    search_index_update(item_ids=[item.pk])
    assert found("quarantaineplicht") == {"Bijlage"}


# --- the SQLite fast path: filters inside the FTS5 index, ranking capped ------------------------


def test_pages_past_the_rank_cap_are_complete_and_without_duplicates(monkeypatch) -> None:
    from paraat.evidence import search as search_module

    monkeypatch.setattr(search_module, "RANK_CAP", 4)
    titles = {f"Kwartaalbericht {n} over scholen" for n in range(11)}
    for title in sorted(titles):
        EvidenceItemFactory(title=title)
    EvidenceItemFactory(title="Intern bericht over scholen", confidentiality="internal")
    seen: list[str] = []
    for page in (1, 2, 3, 4):
        result = evidence_search(
            user=AnonymousUser(), query="scholen", page=page, page_size=3, with_facets=False
        )
        # SQLite counts exactly; PostgreSQL stops counting after the cap ("more than 4").
        assert (result.total, result.total_exact) in {(11, True), (5, False)}
        seen += [hit.item.title for hit in result.hits]
    assert len(seen) == 11 and set(seen) == titles
    created = sorted(titles)  # creation order
    # Relevance ranks the 4 most recently added matches; the rest follow newest first.
    assert set(seen[:4]) == set(created[7:])
    assert seen[4:] == list(reversed(created[:7]))
    # With facets the page always shows the exact total.
    assert evidence_search(user=AnonymousUser(), query="scholen").total == 11


def test_index_follows_links_and_confidentiality_changes() -> None:
    import dataclasses

    from paraat.evidence import services
    from paraat.evidence.selectors import SearchFilters
    from paraat.measures.tests.factories import MeasureFactory

    measure = MeasureFactory(key="scholen-dicht", confidentiality="public")
    item = EvidenceItemFactory(title="Leerachterstand na de sluiting")
    filters = SearchFilters(measure="scholen-dicht")

    def found() -> list[str]:
        return hit_titles(AnonymousUser(), "leerachterstand", filters=filters)

    assert found() == []
    link = services.evidence_link_create(
        item=item, data=services.LinkData(measure=measure, direction="negative"), user=None
    )
    assert found() == ["Leerachterstand na de sluiting"]
    services.evidence_update(
        item=item,
        data=dataclasses.replace(
            services.evidence_data_from_item(item), confidentiality="internal"
        ),
    )
    assert found() == []
    services.evidence_update(
        item=item,
        data=dataclasses.replace(services.evidence_data_from_item(item), confidentiality="public"),
    )
    services.evidence_link_delete(link=link)
    assert found() == []
    assert hit_titles(AnonymousUser(), "leerachterstand") == ["Leerachterstand na de sluiting"]


def test_user_words_never_match_attribute_tokens() -> None:
    EvidenceItemFactory(title="Rapport over werkloosheid", confidentiality="public")
    # Attribute tokens live in the meta column; a query for one finds nothing.
    assert hit_titles(AnonymousUser(), "xxcpublic") == []
    assert hit_titles(AnonymousUser(), "xxtreport") == []


def test_index_facets_equal_database_facets() -> None:
    from django.db import connection

    from paraat.evidence import search as search_module
    from paraat.evidence import selectors as sel
    from paraat.evidence import services
    from paraat.measures.tests.factories import MeasureFactory

    if connection.vendor != "sqlite":
        pytest.skip("the attribute-token facets are the SQLite fast path")
    measure = MeasureFactory(key="avondklok", confidentiality="public")
    domain = DomainFactory(key="veiligheid")
    group = PopulationGroupFactory(key="jongeren")
    for n, (kind, certainty) in enumerate(
        [("report", "high"), ("dataset", ""), ("report", "low"), ("media", "low")]
    ):
        item = EvidenceItemFactory(
            title=f"Studie {n} over de avondklok", item_type=kind, certainty=certainty
        )
        for _ in range(2):  # a second identical link must not count twice
            services.evidence_link_create(
                item=item,
                data=services.LinkData(measure=measure, domain=domain, group=group),
                user=None,
            )
    EvidenceItemFactory(title="Interne studie over de avondklok", confidentiality="internal")
    user = AnonymousUser()
    filters = sel.SearchFilters()
    base = sel._apply_filters(sel.evidence_visible(user=user), filters)
    matched = search_module.matching_ids_subquery(base, "avondklok")
    groups = sel._meta_groups(user=user, filters=filters)
    fast = sel._facet_counts_fts(
        search_module.fts_facet_tokens(query="avondklok", meta_groups=groups)
    )
    slow = sel._facet_counts_orm(matched, user)
    assert fast == slow
    assert fast[0]["type"] == {"report": 2, "dataset": 1, "media": 1}
    assert fast[1]["measure"] == {measure.pk: 4}


@pytest.mark.parametrize("share", [0.0, 2.0])
def test_postgresql_plan_choice_does_not_change_results(monkeypatch, share: float) -> None:
    from django.db import connection

    from paraat.evidence import search as search_module

    if connection.vendor != "postgresql":
        pytest.skip("the plan choice exists on PostgreSQL only")
    monkeypatch.setattr(search_module, "PG_BACKWARD_SCAN_SHARE", share)  # always / never backward
    for n in range(5):
        EvidenceItemFactory(title=f"Verslag {n} over mantelzorgers")
    EvidenceItemFactory(title="Intern verslag over mantelzorgers", confidentiality="internal")
    result = evidence_search(user=AnonymousUser(), query="mantelzorgers", with_facets=False)
    assert result.total == 5 and result.total_exact
    assert sorted(hit.item.title for hit in result.hits) == [
        f"Verslag {n} over mantelzorgers" for n in range(5)
    ]
