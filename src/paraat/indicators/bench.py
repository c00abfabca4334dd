"""``paraat bench indicators``: storing observations, the dashboard, the composite index.

Targets (issue 4): storing 1,000,000 observations takes at most 30 s on SQLite and on
PostgreSQL; the public dashboard with 40 indicators renders in at most 300 ms (p95) with
2,000,000 observations stored; the composite index with 10,000 Monte Carlo draws over 30
indicators × 120 periods takes at most 1 s.

The parent runs one child process per database (a fresh SQLite file; a scratch PostgreSQL
database). A child migrates and defines 40 public synthetic indicators over the twelve domains
(10 daily, 10 weekly, 10 monthly, 10 quarterly, 2019–2023, with enough breakdowns — regions or
groups — for 25,000 figures each), then times ``observations_store`` for the first million
figures (generating them is not timed), stores a second vintage of every figure (the revised
figures: 2,000,000 rows), warms up and times full renders of the dashboard page
(``GET /maatschappelijk-beeld/`` through Django's test client, as the public). The composite
figure comes from ``paraat_core.composite.benchmark``.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from paraat.web.benchtools import postgres_scratch, run_child

FREQUENCIES = ("day", "week", "month", "quarter")
ROWS_PER_INDICATOR = 25_000
INDICATORS = 40


def _plan(seed: int) -> list[dict[str, Any]]:
    from paraat_core.periods import Frequency, period_containing, periods_between

    first, last = dt.date(2019, 1, 1), dt.date(2023, 12, 31)
    plans = []
    for number in range(INDICATORS):
        frequency = FREQUENCIES[number % len(FREQUENCIES)]
        periods = periods_between(
            period_containing(first, Frequency(frequency)),
            period_containing(last, Frequency(frequency)),
        )
        breakdowns = math.ceil(ROWS_PER_INDICATOR / len(periods))
        plans.append(
            {
                "key": f"bench-{number:02d}-{frequency}",
                "frequency": frequency,
                "periods": periods,
                "breakdowns": [""] + [f"regio=GM{b:04d}" for b in range(1, breakdowns)],
                "base": 50 + (number * 7 + seed) % 40,
            }
        )
    return plans


def _rows(plan: dict[str, Any], *, revision: bool) -> list[Any]:
    from paraat.indicators.services import ObservationInput

    rows = []
    base = plan["base"]
    for b, breakdown in enumerate(plan["breakdowns"]):
        for t, period in enumerate(plan["periods"]):
            value = base + 10 * math.sin(t / 9 + b) + (0.5 if revision else 0.0)
            rows.append(
                ObservationInput(
                    period=period,
                    value=round(value, 2),
                    status="final" if revision else "provisional",
                    breakdown=breakdown,
                )
            )
            if len(rows) == ROWS_PER_INDICATOR:
                return rows
    return rows


def child(seed: int, renders: int) -> dict[str, Any]:
    """Run inside a process whose DATABASE_URL points at an empty scratch database."""
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "paraat.conf.settings")
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from paraat.accounts.models import Confidentiality
    from paraat.accounts.services import roles_sync
    from paraat.indicators.models import Observation
    from paraat.indicators.services import indicator_upsert, observations_store
    from paraat.taxonomies.services import taxonomy_seed

    call_command("migrate", verbosity=0, interactive=False)
    roles_sync()
    taxonomy_seed()
    domains = [
        "physical-health",
        "mental-health",
        "education",
        "work-income",
        "poverty",
        "social-relations",
        "trust",
        "rule-of-law",
        "safety",
        "economy",
        "culture-sport-leisure",
        "access-to-care",
    ]
    plans = _plan(seed)
    indicators = {}
    for number, plan in enumerate(plans):
        indicators[plan["key"]] = indicator_upsert(
            key=plan["key"],
            name_nl=f"Benchmarkindicator {number} (synthetisch)",
            name_en=f"Benchmark indicator {number} (synthetic)",
            unit="%",
            frequency=plan["frequency"],
            polarity=("higher_better", "higher_worse")[number % 2],
            publication_lag_days=30,
            domain_key=domains[number % len(domains)],
            source="synthetisch (benchmark)",
            is_synthetic=True,
            confidentiality=Confidentiality.PUBLIC,
        )
    first = {key: _rows(plan, revision=False) for key, plan in zip(indicators, plans, strict=True)}
    total = sum(len(rows) for rows in first.values())
    started = time.perf_counter()
    for key, rows in first.items():
        observations_store(
            indicator=indicators[key],
            rows=rows,
            vintage=timezone.make_aware(dt.datetime(2024, 1, 15)),
        )
    ingest_s = time.perf_counter() - started
    del first
    started = time.perf_counter()
    for key, plan in zip(indicators, plans, strict=True):
        observations_store(
            indicator=indicators[key],
            rows=_rows(plan, revision=True),
            vintage=timezone.make_aware(dt.datetime(2024, 3, 15)),
        )
    revision_s = time.perf_counter() - started
    stored = Observation.objects.count()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    # No collectstatic in a scratch run: plain static URLs instead of the hashed manifest.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    client = Client()
    for _ in range(3):  # warm caches, as a running server has them
        assert client.get("/maatschappelijk-beeld/").status_code == 200
    timings = []
    for _ in range(renders):
        start = time.perf_counter()
        response = client.get("/maatschappelijk-beeld/")
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    timings.sort()
    return {
        "vendor": connection.vendor,
        "observations_first": total,
        "observations_stored": stored,
        "ingest_1m_s": round(ingest_s, 2),
        "revision_1m_s": round(revision_s, 2),
        "dashboard_p50_ms": round(statistics.median(timings), 1),
        "dashboard_p95_ms": round(timings[int(0.95 * (len(timings) - 1))], 1),
        "dashboard_max_ms": round(timings[-1], 1),
    }


def run(*, seed: int, renders: int, postgres_url: str, log: Any) -> dict[str, Any]:
    from paraat_core.composite import benchmark

    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="paraat-bench-indicators-") as folder:
        log("SQLite: defining 40 indicators and storing 1,000,000 + 1,000,000 observations …")
        sqlite = run_child(
            "paraat.indicators.bench",
            f"sqlite:///{Path(folder) / 'bench.sqlite3'}",
            [seed, renders],
        )
        log(f"SQLite: {json.dumps(sqlite)}")
    results["ingest_1m_s_sqlite"] = sqlite["ingest_1m_s"]
    dashboard = [sqlite["dashboard_p95_ms"]]
    scratch = postgres_scratch(postgres_url)
    if scratch is None:
        log(f"PostgreSQL not reachable at {postgres_url}: skipped")
        results["ingest_1m_s_postgresql"] = None
    else:
        url, drop = scratch
        try:
            log("PostgreSQL: the same in a scratch database …")
            postgres = run_child("paraat.indicators.bench", url, [seed, renders])
            log(f"PostgreSQL: {json.dumps(postgres)}")
            results["ingest_1m_s_postgresql"] = postgres["ingest_1m_s"]
            dashboard.append(postgres["dashboard_p95_ms"])
        finally:
            drop()
    results["dashboard_p95_ms"] = max(dashboard)  # the slower database
    composite = benchmark(draws=10_000, indicators=30, periods=120, seed=seed)
    log(f"composite: {json.dumps(composite)}")
    results["composite_s"] = round(composite["composite_s"], 3)
    return results


if __name__ == "__main__":
    seed_arg, renders_arg = (int(a) for a in sys.argv[1:3])
    print(json.dumps(child(seed_arg, renders_arg)))
