"""``paraat bench search``: p95 latency of a library search over 100,000 items, per database.

The parent process runs one child per database (a fresh SQLite file; a scratch PostgreSQL
database), each with its own ``DATABASE_URL``. A child migrates, bulk-loads synthetic items
(pseudo-Dutch filler text, about one domain term in seven words; 70 % public, 20 % internal,
10 % confidential), builds the index, warms up, and times ``evidence_search`` for anonymous and
logged-in users: the query latency is the first page of ranked hits with highlighted snippets
and the total count (what ``paraat evidence search`` and the API's first response need); the
facet counts of the search page are timed separately and reported beside it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from paraat.web.benchtools import postgres_scratch, run_child

VOCABULARY = [
    "school",
    "scholen",
    "leerlingen",
    "onderwijs",
    "leerachterstand",
    "thuisonderwijs",
    "docenten",
    "ouders",
    "kinderen",
    "jongeren",
    "studenten",
    "ouderen",
    "verpleeghuis",
    "bezoek",
    "eenzaamheid",
    "mentale",
    "gezondheid",
    "angst",
    "depressie",
    "werk",
    "inkomen",
    "werkloosheid",
    "zzp",
    "ondernemers",
    "horeca",
    "cultuur",
    "sport",
    "evenementen",
    "avondklok",
    "lockdown",
    "mondkapje",
    "afstand",
    "quarantaine",
    "isolatie",
    "testen",
    "vaccinatie",
    "coronatoegangsbewijs",
    "armoede",
    "schulden",
    "huishoudens",
    "armoedeval",
    "toeslagen",
    "vertrouwen",
    "overheid",
    "democratie",
    "grondrechten",
    "rechtsstaat",
    "veiligheid",
    "huiselijk",
    "geweld",
    "zorg",
    "toegang",
    "uitgestelde",
    "operaties",
    "economie",
    "bedrijven",
    "steun",
    "omzet",
    "faillissementen",
    "vrijwilligers",
    "mantelzorgers",
    "migranten",
    "taal",
    "gezondheidsverschillen",
    "kwetsbare",
    "groepen",
    "maatregel",
    "effect",
    "onderzoek",
    "studie",
    "rapport",
    "enquête",
    "panel",
    "signaal",
    "praktijk",
    "gemeente",
    "wijk",
    "regio",
    "landelijk",
    "tijdelijk",
    "langdurig",
    "herstel",
    "veerkracht",
    "sociale",
    "cohesie",
    "draagvlak",
    "naleving",
    "gedrag",
    "communicatie",
    "beleid",
    "advies",
    "kabinet",
]
QUERIES = (
    "eenzaamheid ouderen",
    "scholen",
    "mentale gezondheid jongeren",
    "avondklok",
    '"huiselijk geweld"',
    "leerachterstand OR thuisonderwijs",
    "horeca ondernemers steun",
    "vaccinatie -coronatoegangsbewijs",
    "armoede huishoudens",
    "vertrouwen overheid",
    "verpleeghuis bezoek",
    "zorg uitgestelde operaties",
    "draagvlak naleving",
    "mantelzorgers",
    "cultuur sport evenementen",
    "werkloosheid zzp",
)


SYLLABLES = [
    "ba",
    "be",
    "bi",
    "bo",
    "de",
    "di",
    "do",
    "en",
    "er",
    "ge",
    "ha",
    "he",
    "ho",
    "in",
    "ja",
    "ke",
    "ko",
    "la",
    "le",
    "li",
    "lo",
    "ma",
    "me",
    "mo",
    "na",
    "ne",
    "no",
    "pe",
    "po",
    "ra",
    "re",
    "ri",
    "ro",
    "sa",
    "se",
    "si",
    "so",
    "ta",
    "te",
    "ti",
    "to",
    "ve",
    "vo",
    "wa",
    "we",
    "wi",
    "zo",
    "aan",
    "heid",
    "ing",
    "lijk",
    "baar",
    "schap",
]


def _lexicon(rng: random.Random, size: int = 20_000) -> list[str]:
    """Filler words that look like Dutch, so the domain terms are as rare as in real text."""
    return ["".join(rng.choices(SYLLABLES, k=rng.randint(2, 4))) for _ in range(size)]


def _text(rng: random.Random, words: int, lexicon: list[str]) -> str:
    # About one word in seven is a domain term (Zipf-like frequencies), the rest filler.
    weights = [1 / (rank + 1) ** 0.8 for rank in range(len(VOCABULARY))]
    domain = rng.choices(VOCABULARY, weights=weights, k=max(1, words // 7))
    filler = rng.choices(lexicon, k=words - len(domain))
    mixed = domain + filler
    rng.shuffle(mixed)
    return " ".join(mixed).capitalize() + "."


def child(items: int, seed: int, queries: int) -> dict[str, Any]:
    """Run inside a process whose DATABASE_URL points at an empty scratch database."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "paraat.conf.settings")
    django.setup()
    from django.contrib.auth.models import AnonymousUser
    from django.core.management import call_command
    from django.db import connection

    from paraat.accounts import roles
    from paraat.accounts.services import roles_sync, user_create
    from paraat.evidence.models import EvidenceItem, EvidenceLink
    from paraat.evidence.search import search_index_rebuild
    from paraat.evidence.selectors import evidence_search
    from paraat.taxonomies.models import Domain
    from paraat.taxonomies.services import taxonomy_seed

    call_command("migrate", verbosity=0, interactive=False)
    roles_sync()
    taxonomy_seed()
    analyst = user_create(
        username="bench-analist",
        email="bench@example.org",
        password="bench-wachtwoord-lang-genoeg",  # noqa: S106 - scratch database
        roles=[roles.ANALYST],
        is_fictional=True,
    )
    rng = random.Random(seed)
    lexicon = _lexicon(rng)
    types = ["peer_reviewed", "report", "dataset", "expert_note", "practice_signal", "media"]
    classes = ["scientific", "practice", "experiential", "administrative"]
    certainties = ["high", "moderate", "low", "very_low", ""]
    levels = ["public"] * 7 + ["internal"] * 2 + ["confidential"]
    domains = list(Domain.objects.all())
    started = time.perf_counter()
    batch: list[EvidenceItem] = []
    for number in range(items):
        batch.append(
            EvidenceItem(
                ref=f"bench-{number}",
                item_type=rng.choice(types),
                title=_text(rng, rng.randint(6, 14), lexicon),
                organisation="Benchmark (synthetisch)",
                published_on=dt.date(2015, 1, 1) + dt.timedelta(days=rng.randint(0, 4000)),
                summary=_text(rng, rng.randint(40, 90), lexicon),
                full_text=_text(rng, rng.randint(100, 300), lexicon) if number % 4 == 0 else "",
                knowledge_class=rng.choice(classes),
                certainty=rng.choice(certainties),
                confidentiality=rng.choice(levels),
                is_synthetic=True,
            )
        )
        if len(batch) == 5000:
            EvidenceItem.objects.bulk_create(batch)
            batch = []
    EvidenceItem.objects.bulk_create(batch)
    ids = list(EvidenceItem.objects.values_list("pk", flat=True))
    EvidenceLink.objects.bulk_create(
        [
            EvidenceLink(item_id=pk, domain=rng.choice(domains), direction="negative")
            for pk in ids
            if pk % 3 == 0
        ],
        batch_size=5000,
    )
    search_index_rebuild()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    load_s = time.perf_counter() - started
    users = [AnonymousUser(), analyst]
    for query in QUERIES:  # warm caches, as a running server has them
        evidence_search(user=users[0], query=query)
    timings: list[float] = []
    with_facets: list[float] = []
    for number in range(queries):
        query = QUERIES[number % len(QUERIES)]
        user = users[number % 2]
        start = time.perf_counter()
        evidence_search(user=user, query=query, with_facets=False)
        timings.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        evidence_search(user=user, query=query, with_facets=True)
        with_facets.append((time.perf_counter() - start) * 1000)
    per_query = {
        q: round(statistics.median(timings[i :: len(QUERIES)]), 1) for i, q in enumerate(QUERIES)
    }
    timings.sort()
    with_facets.sort()
    return {
        "vendor": connection.vendor,
        **_server_settings(),
        "items": items,
        "queries": queries,
        "load_s": round(load_s, 1),
        "p50_ms": round(statistics.median(timings), 2),
        "p95_ms": round(timings[int(0.95 * (len(timings) - 1))], 2),
        "max_ms": round(timings[-1], 2),
        "p95_ms_with_facets": round(with_facets[int(0.95 * (len(with_facets) - 1))], 2),
        "per_query_p50_ms": per_query,
    }


def _server_settings() -> dict[str, str]:
    """The PostgreSQL settings the latency depends on (the benchmark reports what it ran on)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return {}
    names = ("shared_buffers", "effective_cache_size", "work_mem", "random_page_cost")
    with connection.cursor() as cursor:
        return {name: _show(cursor, name) for name in names}


def _show(cursor: Any, name: str) -> str:
    cursor.execute(f"SHOW {name}")  # names from the fixed tuple above
    return str(cursor.fetchone()[0])


def run(*, items: int, seed: int, queries: int, postgres_url: str, log: Any) -> dict[str, Any]:
    results: dict[str, Any] = {"items": items}
    with tempfile.TemporaryDirectory(prefix="paraat-bench-search-") as folder:
        log(f"SQLite: loading {items} items into a fresh file database …")
        sqlite = run_child(
            "paraat.evidence.bench",
            f"sqlite:///{Path(folder) / 'bench.sqlite3'}",
            [items, seed, queries],
        )
        log(f"SQLite: {json.dumps(sqlite)}")
        results["p95_ms_sqlite"] = sqlite["p95_ms"]
    scratch = postgres_scratch(postgres_url)
    if scratch is None:
        log(f"PostgreSQL not reachable at {postgres_url}: skipped")
        results["p95_ms_postgresql"] = None
    else:
        url, drop = scratch
        try:
            log(f"PostgreSQL: loading {items} items into a scratch database …")
            postgres = run_child("paraat.evidence.bench", url, [items, seed, queries])
            log(f"PostgreSQL: {json.dumps(postgres)}")
            results["p95_ms_postgresql"] = postgres["p95_ms"]
        finally:
            drop()
    return results


if __name__ == "__main__":
    arguments = [int(a) for a in sys.argv[1:4]]
    print(json.dumps(child(*arguments)))
