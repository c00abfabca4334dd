"""The load scenario's data and its check, without the stack: ``paraat loadtest setup`` makes
what the locustfile needs, and ``verify`` finds lost, duplicated and unacknowledged writes."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from django.core.management import call_command
from django_otp.oath import TOTP

from paraat.ops.load import check
from paraat.ops.load.plan import plan_for, totp


def test_plan_splits_the_users() -> None:
    plan = plan_for(200)
    assert (plan.readers, plan.secretariat, plan.members, plan.importers) == (158, 10, 30, 2)
    small = plan_for(10)
    assert small.secretariat == 2 and small.members == 2 and small.importers == 1
    assert small.readers == 5
    with pytest.raises(ValueError):
        plan_for(5)


def test_totp_matches_django_otp() -> None:
    key = "3132333435363738393031323334353637383930"
    now = time.time()
    expected = TOTP(bytes.fromhex(key), step=30, t0=0, digits=6).token()
    assert totp(key, at=now) == f"{expected:06d}"


def _save(request: Any, actor: Any, section: str, marker: str) -> dict[str, Any]:
    from paraat.advice import services

    latest = request.revisions.order_by("-number").first()
    sections = {**latest.sections, section: latest.sections[section] + "\n" + marker}
    revision = services.advice_revision_save(
        request=request, sections=sections, base_number=latest.number, actor=actor
    )
    return {"number": revision.number, "base": latest.number, "section": section, "marker": marker}


@pytest.mark.django_db(transaction=True)
def test_setup_then_verify_counts_what_was_stored(tmp_path: Any) -> None:
    from paraat.accounts.models import User
    from paraat.advice import services
    from paraat.advice.models import AdviceRequest, DecisionRound
    from paraat.evidence.services import evidence_import

    manifest_path = tmp_path / "manifest.json"
    call_command("loadtest", "setup", "--users", "10", "--manifest", str(manifest_path))
    manifest = json.loads(manifest_path.read_text())
    assert manifest_path.stat().st_mode & 0o077 == 0  # password and tokens: owner only
    assert len(manifest["secretariat"]) == 2 and manifest["secretariat"][0]["token"]
    assert len(manifest["rounds"]) == 5 and manifest["published"] == ["loadtest-gepubliceerd"]
    assert all(User.objects.get(username=a["username"]).is_fictional for a in manifest["members"])

    draft = AdviceRequest.objects.get(key=manifest["draft"])
    editor = User.objects.get(username=manifest["secretariat"][0]["username"])
    member = User.objects.get(username=manifest["members"][0]["username"])
    saves = [_save(draft, editor, "reasoning", f"[lt:a:{n}]") for n in range(3)]
    round_ = DecisionRound.objects.get(request__key=manifest["rounds"][0])
    services.vote_cast(round_=round_, voter=member, answers=[services.Answer("agree")])
    ris = b"TY  - RPRT\nTI  - Een\nER  - \n\nTY  - RPRT\nTI  - Twee\nER  - \n"
    evidence_import(data=ris, file_name="loadtest-x.ris", file_format="ris", user=editor)
    told = {
        "revisions": saves,
        "conflicts": 2,
        "votes": [{"round": round_.request.key, "voter": member.username}],
        "second_votes_refused": 1,
        "imports": [{"file": "loadtest-x.ris", "rows": 2, "job": ""}],
    }
    good = check.verify(manifest, told, wait=0)
    assert (good["lost_updates"], good["duplicated_updates"], good["unacknowledged"]) == (0, 0, 0)
    assert good["revisions_stored"] == 3 and good["votes_stored"] == 1
    assert good["import_items"] == 2 and good["conflicts"] == 2

    wrong = {
        **told,
        "revisions": [{**saves[0], "marker": "[lt:b:9]"}, saves[1]],  # lost; one not told
        "votes": [*told["votes"], {"round": manifest["rounds"][1], "voter": member.username}],
        "imports": [{"file": "loadtest-x.ris", "rows": 3, "job": ""}],
    }
    bad = check.verify(manifest, wrong, wait=0)
    assert bad["revisions_lost"] == 1 and bad["revisions_duplicated"] == 1
    assert bad["votes_lost"] == 1 and bad["imports_lost_rows"] == 1
    assert bad["lost_updates"] == 3 and bad["duplicated_updates"] == 1
