"""Recovery inside a task worker: a thread that runs :func:`jobs_recover` at the worker's start
and then every ``PARAAT_JOB_RECOVER_SECONDS``.

A worker that restarts after being killed thus queues its lost job again by itself; several
workers may all run it (the recovery locks each job row, on PostgreSQL with SKIP LOCKED). A
timer running ``paraat jobs recover`` does the same where no worker restarts.
"""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.db import DatabaseError, connection

logger = logging.getLogger(__name__)
_started = threading.Event()


def recovery_pass() -> None:
    """One recovery; database errors are logged (the next pass tries again)."""
    from paraat.jobs.services import jobs_recover

    try:
        report = jobs_recover()
    except DatabaseError:
        logger.warning("job recovery: database not available; trying again later", exc_info=True)
    else:
        if report.requeued or report.failed:
            logger.warning(
                "job recovery: %s queued again, %s failed", len(report.requeued), len(report.failed)
            )


def _loop() -> None:
    interval = float(settings.PARAAT_JOB_RECOVER_SECONDS)
    while True:
        try:
            recovery_pass()
        finally:
            connection.close()  # this thread's own connection: not kept between passes
        if interval <= 0:
            return
        threading.Event().wait(interval)


def recovery_thread_start() -> None:
    """Start the recovery thread once in this process (a daemon: it ends with the worker)."""
    if _started.is_set() or settings.PARAAT_JOB_RECOVER_SECONDS < 0:
        return
    _started.set()
    threading.Thread(target=_loop, name="paraat-job-recovery", daemon=True).start()
