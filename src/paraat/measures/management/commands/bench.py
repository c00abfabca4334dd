"""``paraat bench NAME``: benchmarks that end with one line holding a JSON object of figures."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


def _best_of(runs: int, func: Any) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - start)
    return best


class Command(BaseCommand):
    help = "Run a benchmark; the last output line is a JSON object of its figures."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", choices=["oxcgrt"])
        parser.add_argument("--rows", type=int, default=200_000)
        parser.add_argument("--seed", type=int, default=20200101)
        parser.add_argument("--repeat", type=int, default=3)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["rows"] < 1 or options["repeat"] < 1:
            raise CommandError("--rows and --repeat must be positive")
        self.stdout.write(json.dumps(self._oxcgrt(options)))

    def _oxcgrt(self, options: dict[str, Any]) -> dict[str, Any]:
        import pandas as pd

        from paraat_core.oxcgrt.bench import make_synthetic_file

        rows, repeat = options["rows"], options["repeat"]
        with tempfile.TemporaryDirectory(prefix="paraat-bench-") as tmp:
            source, target = Path(tmp) / "input.csv", Path(tmp) / "output.csv"
            make_synthetic_file(source, rows, seed=options["seed"])
            size_mb = source.stat().st_size / 1e6
            self.stdout.write(
                f"oxcgrt: {rows} rows of the full-with-notes shape ({size_mb:.0f} MB); "
                f"whole `paraat oxcgrt indices` command (new process) vs pandas.read_csv of the "
                f"same file, best of {repeat}"
            )
            command = [
                sys.executable,
                "-m",
                "paraat.cli",
                "oxcgrt",
                "indices",
                str(source),
                "-o",
                str(target),
            ]

            def run_command() -> None:
                subprocess.run(command, check=True, capture_output=True)  # noqa: S603

            command_s = _best_of(repeat, run_command)
            pandas_read_s = _best_of(repeat, lambda: pd.read_csv(source, low_memory=False))
        figures = {
            "rows": rows,
            "command_s": round(command_s, 3),
            "pandas_read_s": round(pandas_read_s, 3),
            "ratio": round(command_s / pandas_read_s, 3),
        }
        self.stdout.write(
            f"command {figures['command_s']} s, pandas read {figures['pandas_read_s']} s, "
            f"ratio {figures['ratio']} (target ≤ 2)"
        )
        return figures
