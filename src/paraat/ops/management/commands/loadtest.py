"""``paraat loadtest setup|verify``: the data of the load scenario and the check afterwards
(``paraat bench load`` runs both in the production-like stack; see docs/benchmarks.md).

    paraat loadtest setup --users 200 --manifest FILE
        fictional accounts, a draft, open decision rounds and a published advice; FILE (owner
        only) tells the locustfile who logs in with what
    paraat loadtest verify --manifest FILE --results FILE
        compares the locustfile's results file with the database

Both end with one line holding a JSON object.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Load scenario: create its fictional data (setup) or check the run (verify)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["setup", "verify"])
        parser.add_argument("--manifest", required=True, type=Path, help="the manifest file")
        parser.add_argument(
            "--users", type=int, default=200, help="setup: simulated users (sizes the accounts)"
        )
        parser.add_argument("--rounds", type=int, default=5, help="setup: open decision rounds")
        parser.add_argument("--results", type=Path, help="verify: the locustfile's results file")
        parser.add_argument(
            "--wait", type=float, default=180, help="verify: seconds to wait for import jobs"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "setup":
            self._setup(options)
        else:
            self._verify(options)

    def _setup(self, options: dict[str, Any]) -> None:
        from paraat.ops.load import scenario
        from paraat.ops.load.plan import plan_for

        try:
            plan = plan_for(options["users"], rounds=options["rounds"])
            manifest = scenario.setup(plan)
        except (ValueError, scenario.SetupError) as exc:
            raise CommandError(str(exc)) from exc
        scenario.write_manifest(manifest, options["manifest"])
        self.stdout.write(json.dumps({"manifest": str(options["manifest"]), **plan.as_dict()}))

    def _verify(self, options: dict[str, Any]) -> None:
        from paraat.ops.load import check

        if options["results"] is None:
            raise CommandError("verify needs --results (the locustfile's results file)")
        try:
            manifest = json.loads(options["manifest"].read_text(encoding="utf-8"))
            results = json.loads(options["results"].read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CommandError(f"cannot read the manifest or results: {exc}") from exc
        self.stdout.write(json.dumps(check.verify(manifest, results, wait=options["wait"])))
