"""``paraat bench NAME``: benchmarks that end with one line holding a JSON object of figures."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


def _indices_command(source: Path, target: Path) -> None:
    """The whole ``paraat oxcgrt indices`` command, in a new process, as a user runs it."""
    subprocess.run(  # noqa: S603 - our own interpreter and command
        [sys.executable, "-m", "paraat.cli", "oxcgrt", "indices", str(source), "-o", str(target)],
        check=True,
        capture_output=True,
    )


class Command(BaseCommand):
    help = "Run a benchmark; the last output line is a JSON object of its figures."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "name", choices=["oxcgrt", "search", "indicators", "assess", "dossier", "load"]
        )
        parser.add_argument("--rows", type=int, default=200_000, help="oxcgrt: rows")
        parser.add_argument("--items", type=int, default=100_000, help="search: library size")
        parser.add_argument("--queries", type=int, default=400, help="search: timed queries")
        parser.add_argument(
            "--postgres-url",
            default=os.environ.get(
                "PARAAT_BENCH_POSTGRES_URL", "postgres://postgres@localhost:5432/postgres"
            ),
            help="search, indicators, dossier: PostgreSQL server to create a scratch database on",
        )
        parser.add_argument(
            "--renders", type=int, default=60, help="indicators: timed dashboard renders"
        )
        parser.add_argument("--samples", type=int, default=10_000, help="assess: SMAA-2 samples")
        parser.add_argument(
            "--loop-samples",
            type=int,
            default=1_000,
            help="assess: samples timed in the pymcdm loop (extrapolated to --samples)",
        )
        parser.add_argument("--measures", type=int, default=10, help="dossier: measures")
        parser.add_argument("--evidence", type=int, default=5_000, help="dossier: evidence items")
        parser.add_argument("--indicators", type=int, default=40, help="dossier: indicators")
        parser.add_argument(
            "--users",
            type=int,
            default=None,
            help="dossier: concurrent users (voting rights; 30); load: simulated users (200)",
        )
        parser.add_argument("--minutes", type=float, default=10, help="load: duration")
        parser.add_argument(
            "--spawn-rate", type=float, default=20, help="load: users started per second"
        )
        parser.add_argument(
            "--web-workers",
            type=int,
            default=None,
            help="load: gunicorn worker processes (production default: 2 x cores + 1)",
        )
        parser.add_argument(
            "--web-threads", type=int, default=None, help="load: threads per web worker (1)"
        )
        parser.add_argument("--runs", type=int, default=10, help="dossier: timed dossier builds")
        parser.add_argument(
            "--sqlite-mode",
            choices=["serial", "threads"],
            default="serial",
            help="dossier: users one after another on SQLite (default) or in threads",
        )
        parser.add_argument("--seed", type=int, default=20200101)
        parser.add_argument("--repeat", type=int, default=3)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["name"] == "search":
            self._search(options)
            return
        if options["name"] == "indicators":
            self._indicators(options)
            return
        if options["name"] == "assess":
            self._assess(options)
            return
        if options["name"] == "dossier":
            self._dossier(options)
            return
        if options["name"] == "load":
            self._load(options)
            return
        if options["rows"] < 1 or options["repeat"] < 1:
            raise CommandError("--rows and --repeat must be positive")
        from paraat_core.oxcgrt import bench

        self.stdout.write(
            f"oxcgrt: {options['rows']} rows of the full-with-notes shape; the whole "
            "`paraat oxcgrt indices` command (new process) against pandas.read_csv of the same "
            f"file, best of {options['repeat']}; target ratio ≤ 2"
        )
        figures = bench.run(
            options["rows"],
            seed=options["seed"],
            repeat=options["repeat"],
            command=_indices_command,
        )
        result = {
            "rows": int(figures["rows"]),
            "command_s": round(figures["command_s"], 3),
            "pandas_read_s": round(figures["pandas_read_s"], 3),
            "ratio": round(figures["ratio"], 3),
        }
        self.stdout.write(json.dumps(result))

    def _search(self, options: dict[str, Any]) -> None:
        from paraat.evidence import bench

        if options["items"] < 1 or options["queries"] < 1:
            raise CommandError("--items and --queries must be positive")
        self.stdout.write(
            f"search: {options['items']} items, {options['queries']} timed searches (first page "
            "with snippets and the total; facets timed separately; anonymous and analist users "
            "alternating) on SQLite and PostgreSQL; target p95 ≤ 50 ms"
        )
        result = bench.run(
            items=options["items"],
            seed=options["seed"],
            queries=options["queries"],
            postgres_url=options["postgres_url"],
            log=self.stdout.write,
        )
        self.stdout.write(json.dumps(result))

    def _indicators(self, options: dict[str, Any]) -> None:
        from paraat.indicators import bench

        if options["renders"] < 1:
            raise CommandError("--renders must be positive")
        self.stdout.write(
            "indicators: storing 1,000,000 observations (target ≤ 30 s, SQLite and PostgreSQL); "
            "the public dashboard with 40 indicators and 2,000,000 observations stored "
            f"({options['renders']} renders, target p95 ≤ 300 ms); the composite index, 10,000 "
            "Monte Carlo draws over 30 indicators × 120 periods (target ≤ 1 s)"
        )
        result = bench.run(
            seed=options["seed"],
            renders=options["renders"],
            postgres_url=options["postgres_url"],
            log=self.stdout.write,
        )
        self.stdout.write(json.dumps(result))

    def _assess(self, options: dict[str, Any]) -> None:
        from paraat_core.assessment import bench

        if options["samples"] < 1 or options["loop_samples"] < 1 or options["repeat"] < 1:
            raise CommandError("--samples, --loop-samples and --repeat must be positive")
        try:
            import pymcdm  # noqa: F401 - the reference the benchmark compares with
        except ImportError:
            raise CommandError(
                "paraat bench assess compares with pymcdm, a development dependency: "
                'pip install -e ".[dev]" (or pip install pymcdm)'
            ) from None
        result = bench.run(
            samples=options["samples"],
            seed=options["seed"] % 2**32,
            repeat=options["repeat"],
            loop_samples=options["loop_samples"],
            log=self.stdout.write,
        )
        self.stdout.write(json.dumps(result))

    def _dossier(self, options: dict[str, Any]) -> None:
        from paraat.advice import bench

        sizes = bench.Sizes(
            measures=options["measures"],
            evidence=options["evidence"],
            indicators=options["indicators"],
            users=30 if options["users"] is None else options["users"],
            runs=options["runs"],
        )
        if min(sizes.measures, sizes.evidence, sizes.indicators, sizes.runs) < 1:
            raise CommandError("--measures, --evidence, --indicators and --runs must be positive")
        if sizes.users < 2:
            raise CommandError("--users must be at least 2 (a chair and a member)")
        self.stdout.write(
            f"dossier: {sizes.measures} measures, {sizes.evidence} evidence items, "
            f"{sizes.indicators} indicators; dossier_s = slowest of {sizes.runs} builds after a "
            f"warm-up (target ≤ 2 s); {sizes.users} users commenting, voting and editing at once "
            "(threads on PostgreSQL; on SQLite "
            f"{options['sqlite_mode']}); target lost_updates = 0"
        )
        result = bench.run(
            sizes=sizes,
            seed=options["seed"] % 2**31,
            postgres_url=options["postgres_url"],
            sqlite_mode=options["sqlite_mode"],
            log=self.stdout.write,
        )
        self.stdout.write(json.dumps(result))

    def _load(self, options: dict[str, Any]) -> None:
        from paraat.ops import bench_load

        users = 200 if options["users"] is None else options["users"]
        if users < 6 or options["minutes"] <= 0 or options["spawn_rate"] <= 0:
            raise CommandError("--users must be at least 6; --minutes and --spawn-rate positive")
        if any((options.get(n) or 1) < 1 for n in ("web_workers", "web_threads")):
            raise CommandError("--web-workers and --web-threads must be 1 or more")
        load = bench_load.Options(
            users=users,
            seconds=max(1, round(options["minutes"] * 60)),
            spawn_rate=options["spawn_rate"],
            **{
                name: options[name]
                for name in ("web_workers", "web_threads")
                if options.get(name) is not None
            },
        )
        self.stdout.write(
            f"load: {load.users} users for {options['minutes']} min against the production-like "
            "stack (scripts/prod-stack.sh, PostgreSQL, demo data); targets: no errors, no lost "
            "or duplicated updates, public p95 ≤ 200 ms, authenticated p95 ≤ 500 ms"
        )
        try:
            figures = bench_load.run(load, log=self.stdout.write)
        except bench_load.LoadError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(json.dumps(figures["details"]))
        self.stdout.write(json.dumps(figures["result"]))
