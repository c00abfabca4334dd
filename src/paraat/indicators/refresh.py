"""The scheduled refresh: live StatLine tables, then signals, then composite indices.

Run as a background job (``indicators_refresh_start`` enqueues it; ``paraat indicators refresh
--background`` does so from cron or a systemd timer). Each table is refreshed on its own: one
failing source (network down, table withdrawn) is recorded as a failure notice in the job's
result and e-mailed to the administrators, and the other sources still refresh.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import transaction

from paraat.accounts.models import User
from paraat.indicators.models import CompositeIndex, Indicator
from paraat.jobs.models import Job
from paraat.jobs.services import ProgressCallback, job_create, job_run

Refresher = Callable[..., Any]


def refresh_tables() -> list[str]:
    """The StatLine tables behind the defined indicators (distinct, sorted)."""
    tables = (
        Indicator.objects.exclude(source_table="")
        .filter(source__icontains="CBS")
        .values_list("source_table", flat=True)
    )
    return sorted({t.strip() for t in tables if t.strip()}, key=str.lower)


def refresh_run(
    *,
    progress: ProgressCallback,
    refresher: Refresher | None = None,
    user: User | None = None,
    as_of: dt.datetime | None = None,
) -> dict[str, Any]:
    """Refresh every table, evaluate signals, recompute the composite indices."""
    from paraat.indicators.services import composite_compute, signals_evaluate

    if refresher is None:
        from paraat.indicators.importers.cbs_live import cbs_live_refresh

        refresher = cbs_live_refresh
    tables = refresh_tables()
    indices = list(CompositeIndex.objects.all())
    total = len(tables) + 1 + len(indices)
    done = 0
    refreshed: list[dict[str, Any]] = []
    failures: list[dict[str, str]] = []
    for table in tables:
        progress(done, total, f"StatLine {table}")
        try:
            report = refresher(table=table, user=user)
        except Exception as error:
            failures.append({"source": f"StatLine {table}", "error": str(error)[:500]})
        else:
            refreshed.append(
                {
                    "table": table,
                    "added": report.counts.added,
                    "revised": report.counts.revised,
                    "rejected": len(report.rejected),
                }
            )
        done += 1
    progress(done, total, "signalen")
    signals = signals_evaluate(as_of=as_of)
    done += 1
    for index in indices:
        progress(done, total, f"index {index.key}")
        try:
            composite_compute(index=index, as_of=as_of, user=user)
        except ValueError as error:
            failures.append({"source": f"index {index.key}", "error": str(error)[:500]})
        done += 1
    progress(total, total, "klaar")
    if failures:
        _notify_failures(failures)
    return {
        "tables": refreshed,
        "signals": len(signals),
        "composites": len(indices),
        "failures": failures,
        "message": f"{len(refreshed)} tabellen ververst, {len(signals)} nieuwe signalen, "
        f"{len(failures)} mislukt",
    }


def _notify_failures(failures: list[dict[str, str]]) -> None:
    """E-mail the administrators (role beheerder) which sources failed."""
    from django.core.mail import send_mail

    from paraat.accounts import roles

    recipients = list(
        User.objects.filter(groups__name=roles.ADMIN, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if not recipients:
        return
    lines = [f"- {f['source']}: {f['error']}" for f in failures]
    send_mail(
        "paraat: verversen van indicatoren deels mislukt",
        "Bij het verversen van het maatschappelijk beeld zijn deze bronnen mislukt:\n\n"
        + "\n".join(lines)
        + "\n\nDe andere bronnen zijn wel ververst.",
        None,
        recipients,
    )


@transaction.atomic
def indicators_refresh_start(*, user: User | None) -> Job:
    """Create the refresh job and enqueue it once the transaction commits."""
    from paraat.indicators.tasks import indicators_refresh_task

    job = job_create(
        kind="indicators_refresh",
        title="Maatschappelijk beeld verversen",
        params={},
        created_by=user,
    )
    transaction.on_commit(lambda: indicators_refresh_task.enqueue(job_id=str(job.pk)))
    return job


def indicators_refresh_job(*, job: Job) -> Job:
    return job_run(
        job=job, work=lambda progress: refresh_run(progress=progress, user=job.created_by)
    )
