"""Liveness and readiness checks (plain functions; the views only render them). Liveness says the
process answers. Readiness says it can serve requests: the database answers and has every
migration applied, the data directory is writable and the task queue's table is reachable; the
shared cache is reported but never makes the process unready. Each check returns a short status
without details that could leak (no connection strings, no error texts); the details go to the
log.
"""

from __future__ import annotations

import logging
import tempfile
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str = ""


def check_database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("readiness: database unreachable")
        return Check("database", False, "unreachable")
    return Check("database", True)


def check_migrations() -> Check:
    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError:
        logger.exception("readiness: migration state unreadable")
        return Check("migrations", False, "unreadable")
    if plan:
        return Check("migrations", False, f"{len(plan)} not applied")
    return Check("migrations", True)


def check_data_dir() -> Check:
    try:
        settings.MEDIA_ROOT.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=settings.MEDIA_ROOT, prefix=".ready-"):
            pass
    except OSError:
        logger.exception("readiness: data directory not writable")
        return Check("storage", False, "not writable")
    return Check("storage", True)


def check_tasks() -> Check:
    backend = settings.TASKS["default"]["BACKEND"]
    if not backend.startswith("django_tasks_db"):
        return Check("tasks", True, "in process")
    from django_tasks_db.models import DBTaskResult

    try:
        DBTaskResult.objects.filter(pk__isnull=True).exists()
    except DatabaseError:
        logger.exception("readiness: task queue unreachable")
        return Check("tasks", False, "unreachable")
    return Check("tasks", True)


def check_cache() -> Check:
    """The shared cache. Never a reason to be unready: without it pages are rendered anew and
    rate limits count per process, so it is reported (``ok: unreachable``), not failed."""
    backend = str(settings.CACHES["default"]["BACKEND"])
    if not backend.endswith("RedisCache"):
        return Check("cache", True, "per process")
    from django.core.cache import cache

    try:
        cache.set("readyz", "1", timeout=5)
        shared = cache.get("readyz") == "1"
    except Exception:  # the redis client's own errors
        logger.exception("readiness: shared cache unreachable")
        shared = False
    return Check("cache", True, "shared" if shared else "unreachable")


def readiness() -> list[Check]:
    database = check_database()
    if not database.ok:  # the other checks need the database
        return [database]
    return [database, check_migrations(), check_data_dir(), check_tasks(), check_cache()]
