"""``paraat loadtest verify``: what the simulated users were told against what was stored.

The locustfile's results file lists every acknowledged write: each advice text save that got
a 201 (its version number, base, section and the unique marker it appended), each vote that got
a 201 (round and voter), each reference import the site accepted (file name, rows, job).  Here
they are compared with the database:

* **text versions** — every 201 appended exactly one version: the versions after the start
  are numbered without gaps, as many as there were 201s (more: ``duplicated``; a 201 whose
  number is not stored: ``lost``); the marker is in its own version and, since the editors
  only append, in every later one (missing later: a change a merge silently dropped, ``lost``);
* **votes** — every accepted vote is stored (else ``lost``) once (a voter twice in a round, or
  a second vote the site accepted: ``duplicated``); stored votes nobody was told about are
  ``unacknowledged`` (a request that failed on the client side after the server committed);
* **imports** — the job of every accepted upload finished (waited for), one import batch per
  file (more: ``duplicated``), holding as many new items as the file had rows (fewer: ``lost``,
  more: ``duplicated``).
"""

from __future__ import annotations

import re
import time
from collections import Counter
from typing import Any

from paraat.ops.load.plan import PREFIX

MARKER = re.compile(r"\[lt:[^\]\s]+\]")


def _versions(manifest: dict[str, Any], results: dict[str, Any]) -> dict[str, Any]:
    from paraat.advice.models import AdviceRevision

    before = int(manifest["draft_revisions_before"])
    rows = AdviceRevision.objects.filter(request__key=manifest["draft"]).order_by("number")
    stored = {row.number: row.sections for row in rows}
    numbers = sorted(stored)
    gaps = 0 if numbers == list(range(1, len(numbers) + 1)) else 1
    new = [n for n in numbers if n > before]
    saves = results.get("revisions", [])
    told = Counter(int(s["number"]) for s in saves)
    present: dict[int, dict[str, set[str]]] = {
        n: {key: set(MARKER.findall(str(text))) for key, text in sections.items()}
        for n, sections in stored.items()
    }
    lost = 0
    for save in saves:
        number, section, marker = int(save["number"]), save["section"], save["marker"]
        if number not in present or marker not in present[number].get(section, set()):
            lost += 1
            continue
        if any(marker not in present[n].get(section, set()) for n in new if n > number):
            lost += 1
    # What each new version added: a marker added by two versions is one save stored twice;
    # a version no 201 named is a save the client was not told about: a duplicate, unless a
    # save request failed on the client's side (then it may be that one).
    added: Counter[str] = Counter()
    for n in new:
        for key, markers in present[n].items():
            added.update(markers - present.get(n - 1, {}).get(key, set()))
    unacknowledged = sum(1 for n in new if n not in told)
    duplicated = sum(count - 1 for count in told.values() if count > 1)
    duplicated += sum(count - 1 for count in added.values() if count > 1)
    duplicated += max(0, unacknowledged - int(results.get("revision_post_failures", 0)))
    return {
        "revisions_acknowledged": len(saves),
        "revisions_stored": len(new),
        "revisions_unacknowledged": unacknowledged,
        "revision_gaps": gaps,
        "revisions_lost": lost,
        "revisions_duplicated": duplicated,
    }


def _votes(manifest: dict[str, Any], results: dict[str, Any]) -> dict[str, Any]:
    from paraat.advice.models import Vote

    rows = Vote.objects.filter(
        round__request__key__in=manifest["rounds"], voter__username__startswith=f"{PREFIX}-"
    ).values_list("round__request__key", "voter__username")
    stored = Counter(rows)
    accepted = Counter((v["round"], v["voter"]) for v in results.get("votes", []))
    lost = sum(1 for pair in accepted if pair not in stored)
    duplicated = sum(count - 1 for count in stored.values() if count > 1)
    duplicated += sum(count - 1 for count in accepted.values() if count > 1)
    duplicated += int(results.get("second_votes_accepted", 0))
    return {
        "votes_accepted": sum(accepted.values()),
        "votes_stored": sum(stored.values()),
        "votes_lost": lost,
        "votes_duplicated": duplicated,
        "votes_unacknowledged": sum(1 for pair in stored if pair not in accepted),
        "second_votes_refused": int(results.get("second_votes_refused", 0)),
    }


def _wait_for_jobs(job_ids: list[str], timeout: float) -> None:
    from paraat.jobs.models import Job, JobStatus

    deadline = time.monotonic() + timeout
    pending = [JobStatus.QUEUED, JobStatus.RUNNING]
    while time.monotonic() < deadline:
        if not Job.objects.filter(pk__in=job_ids, status__in=pending).exists():
            return
        time.sleep(1)


def _imports(results: dict[str, Any], *, wait: float) -> dict[str, Any]:
    from paraat.evidence.models import EvidenceItem, ImportBatch
    from paraat.jobs.models import Job, JobStatus

    uploads = results.get("imports", [])
    job_ids = [u["job"] for u in uploads if u.get("job")]
    _wait_for_jobs(job_ids, wait)
    statuses = dict(Job.objects.filter(pk__in=job_ids).values_list("pk", "status"))
    batches = Counter(
        ImportBatch.objects.filter(file_name__startswith=f"{PREFIX}-").values_list(
            "file_name", flat=True
        )
    )
    items = Counter(
        EvidenceItem.objects.filter(import_batch__file_name__startswith=f"{PREFIX}-").values_list(
            "import_batch__file_name", flat=True
        )
    )
    lost = duplicated = failed = 0
    names = set()
    for upload in uploads:
        name, rows = upload["file"], int(upload["rows"])
        names.add(name)
        status = next((s for pk, s in statuses.items() if str(pk) == upload.get("job")), None)
        if status != JobStatus.SUCCEEDED:
            failed += 1
        duplicated += max(0, batches.get(name, 0) - 1)
        lost += max(0, rows - items.get(name, 0))
        duplicated += max(0, items.get(name, 0) - rows)
    return {
        "imports_accepted": len(uploads),
        "import_rows": sum(int(u["rows"]) for u in uploads),
        "import_items": sum(items[name] for name in names),
        "imports_failed": failed,
        "imports_lost_rows": lost,
        "imports_duplicated": duplicated,
        "imports_unacknowledged": sum(1 for name in batches if name not in names),
    }


def verify(
    manifest: dict[str, Any], results: dict[str, Any], *, wait: float = 180
) -> dict[str, Any]:
    """The comparison as one dict; ``lost_updates`` and ``duplicated_updates`` sum the parts
    (a version gap counts as lost)."""
    versions = _versions(manifest, results)
    votes = _votes(manifest, results)
    imports = _imports(results, wait=wait)
    lost = (
        versions["revisions_lost"]
        + versions["revision_gaps"]
        + votes["votes_lost"]
        + imports["imports_lost_rows"]
    )
    duplicated = (
        versions["revisions_duplicated"] + votes["votes_duplicated"] + imports["imports_duplicated"]
    )
    return {
        "lost_updates": lost,
        "duplicated_updates": duplicated,
        "conflicts": int(results.get("conflicts", 0)),
        "unacknowledged": versions["revisions_unacknowledged"]
        + votes["votes_unacknowledged"]
        + imports["imports_unacknowledged"],
        **versions,
        **votes,
        **imports,
    }
