"""The dossier benchmark at a tiny size: its figures, and that it loses no update (speed is
measured by ``paraat bench dossier``, never by a test)."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from paraat.advice import bench
from paraat.advice.models import AdviceRevision, Comment, Vote

TINY = bench.Sizes(measures=3, evidence=60, indicators=4, users=5, comments=2, saves=2, runs=2)


@pytest.mark.django_db
def test_tiny_run_builds_the_dossier_and_loses_no_update() -> None:
    result = bench.measure(TINY, seed=7, threaded=False)
    assert {"dossier_s", "users", "lost_updates"} <= set(result)
    assert result["lost_updates"] == 0, result
    assert result["users"] == 5 and result["concurrency"] == "serial"
    # The dossier holds what was built: all measures, the linked items the CPO may see (all),
    # the indicators in the assessment's domains, and the assessment's ladder.
    assert result["dossier_measures"] == 3
    assert result["dossier_evidence"] == 60
    assert result["dossier_indicators"] == 4
    assert result["dossier_ladder"] == 4
    # Every comment and vote is stored once; the second votes were refused.
    assert result["comments_stored"] == Comment.objects.count() == 5 * 2
    assert result["votes_stored"] == Vote.objects.count() == 5
    assert result["second_votes_refused"] == 5
    # Stale bases were merged or refused as conflicts, never silently overwritten.
    assert result["saves"] == result["saves_expected"] == 5 * 2
    assert result["conflicts_detected"] > 0 and result["merged_versions"] > 0
    assert AdviceRevision.objects.count() == result["versions"] == 1 + result["saves"]


def test_lost_saves_counts_a_silently_dropped_change() -> None:
    saves = [
        {"number": 2, "base": 1, "section": "summary", "marker": "[a]"},
        {"number": 3, "base": 1, "section": "advice", "marker": "[b]"},
    ]
    kept = {1: {"summary": ""}, 2: {"summary": "[a]"}, 3: {"summary": "[a]", "advice": "[b]"}}
    assert bench._lost_saves(saves, kept) == 0
    dropped = {**kept, 3: {"summary": "", "advice": "[b]"}}  # the merge lost [a]
    assert bench._lost_saves(saves, dropped) == 1
    # A later save that started from version 2 may rewrite the summary: not lost.
    rewritten = [*saves, {"number": 4, "base": 3, "section": "summary", "marker": "[c]"}]
    versions = {**kept, 4: {"summary": "[c]", "advice": "[b]"}}
    assert bench._lost_saves(rewritten, versions) == 0
    own_missing = {**kept, 2: {"summary": "other"}}
    assert bench._lost_saves(saves, own_missing) == 1


def test_command_ends_with_the_json_line(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, list[object]]] = []

    def child(module: str, url: str, arguments: list[object]) -> dict[str, Any]:
        calls.append((url, arguments))
        return {
            "dossier_s": 0.5,
            "dossier_median_s": 0.4,
            "lost_updates": 0,
            "conflicts_detected": 3,
            "concurrency": arguments[-1],
        }

    monkeypatch.setattr(bench, "run_child", child)
    monkeypatch.setattr(bench, "postgres_scratch", lambda url: ("postgres://x/y", lambda: None))
    out = StringIO()
    call_command("bench", "dossier", "--users", "4", "--evidence", "10", stdout=out)
    last = json.loads(out.getvalue().strip().splitlines()[-1])
    assert last["dossier_s"] == 0.5 and last["users"] == 4 and last["lost_updates"] == 0
    assert last["concurrency_sqlite"] == "serial" and last["concurrency_postgresql"] == "threads"
    assert calls[0][0].startswith("sqlite:///") and calls[1][0] == "postgres://x/y"
    assert calls[0][1][:4] == [10, 10, 40, 4]


def test_command_rejects_too_few_users() -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--users"):
        call_command("bench", "dossier", "--users", "1")
