"""Backup and restore (native, per database) and a full export and import in an open format.

A **backup** is one ``.tar.gz`` archive:

* ``manifest.json`` — format, paraat version, database vendor, time, the applied migrations, the
  number of rows per model and every stored file with its size and SHA-256;
* the database in its own engine's format — ``database.sqlite3`` (SQLite's online backup API, a
  consistent copy while the site runs) or ``database.pgdump`` (``pg_dump --format=custom``);
* ``media/…`` — every uploaded or generated file.

``restore`` puts such an archive into an **empty** database of the same engine (it refuses a
database that holds data, and an archive whose manifest does not match what it contains), then
checks the row counts and file checksums against the manifest.

An **export** is a ZIP archive in an open, engine-independent format: ``data.json`` (Django's
serialization format, with natural keys for content types and permissions), ``media/…`` and
the same manifest; ``import`` loads it into an empty database of either engine (after
``migrate``), so data can move from SQLite to PostgreSQL and back.

Archive members are checked before anything is written: no absolute paths, no ``..``, no links.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core import management
from django.core.management.color import no_style
from django.db import connection, connections, transaction
from django.db.migrations.recorder import MigrationRecorder

FORMAT_BACKUP = "paraat-backup/1"
FORMAT_EXPORT = "paraat-export/1"
# Tables that are derived or per-process: not counted (the search index is rebuilt on restore).
_SKIP_COUNT = {"sessions.session"}
# Not exported: rebuilt by ``migrate`` (content types, permissions) or per-session state.
_EXPORT_EXCLUDE = ["contenttypes", "auth.permission", "sessions", "admin.logentry"]

Log = Callable[[str], None]


class BackupError(Exception):
    """A backup or export cannot be made or put back; the message says why."""


@dataclass(frozen=True)
class RestoreReport:
    vendor: str
    rows: int
    files: int


# --- what is there ----------------------------------------------------------------------------


def row_counts() -> dict[str, int]:
    """Rows per model (``app_label.model``) for every concrete, managed model."""
    counts: dict[str, int] = {}
    tables = set(connection.introspection.table_names())
    for model in apps.get_models():
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        label = meta.label_lower
        if label in _SKIP_COUNT:
            continue
        exists = meta.db_table in tables
        counts[label] = model._default_manager.using(connection.alias).count() if exists else 0
    return dict(sorted(counts.items()))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def media_files() -> list[dict[str, Any]]:
    root = Path(settings.MEDIA_ROOT)
    if not root.exists():
        return []
    files = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink() and not path.name.startswith(".ready-"):
            relative = path.relative_to(root).as_posix()
            files.append({"path": relative, "size": path.stat().st_size, "sha256": _sha256(path)})
    return files


def manifest(*, kind: str) -> dict[str, Any]:
    from importlib.metadata import version

    recorder = MigrationRecorder(connection)
    applied: dict[str, list[str]] = {}
    for app_label, name in sorted(recorder.applied_migrations()):
        applied.setdefault(app_label, []).append(name)
    return {
        "format": kind,
        "paraat_version": version("paraat"),
        "vendor": connection.vendor,
        "created_at": dt.datetime.now(dt.UTC).isoformat(),
        "migrations": applied,
        "counts": row_counts(),
        "files": media_files(),
    }


def database_is_empty() -> bool:
    """True when nobody has worked in this database: no user account and no audit event.

    A freshly migrated database is empty in this sense even though its migrations seeded
    reference data (content types, permissions, default disciplines, checklist items): a
    restore replaces the whole database, an import replaces every table it loads.
    """
    counts = row_counts()
    return not counts.get("accounts.user") and not counts.get("auditlog.logentry")


# --- backup / restore (native) ----------------------------------------------------------------


def _pg_environment() -> tuple[list[str], dict[str, str]]:
    """Connection options for pg_dump/pg_restore, the password only in the environment."""
    db = settings.DATABASES[connection.alias]
    args = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed (PostgreSQL client tools are needed)")
    completed = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if completed.returncode != 0:
        raise BackupError(f"{command[0]} failed: {completed.stderr.strip()[-500:]}")


def _dump_database(folder: Path) -> str:
    if connection.vendor == "sqlite":
        target = folder / "database.sqlite3"
        connection.ensure_connection()
        source = connection.connection
        with sqlite3.connect(target) as copy:
            source.backup(copy)
        copy.close()
        return target.name
    if connection.vendor == "postgresql":
        target = folder / "database.pgdump"
        args, env = _pg_environment()
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                "--file",
                str(target),
                *args,
            ],
            env,
        )
        return target.name
    raise BackupError(f"backups of {connection.vendor} databases are not supported")


def backup_create(*, output: Path, log: Log = lambda _m: None) -> Path:
    """Write a backup archive of the database and the stored files to ``output``."""
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="paraat-backup-") as tmp:
        folder = Path(tmp)
        log("database …")
        description = manifest(kind=FORMAT_BACKUP)
        description["database_file"] = _dump_database(folder)
        (folder / "manifest.json").write_text(json.dumps(description, indent=2), "utf-8")
        partial = output.with_name(output.name + ".partial")
        log(f"files ({len(description['files'])}) …")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(folder / "manifest.json", arcname="manifest.json")
            archive.add(folder / description["database_file"], arcname=description["database_file"])
            root = Path(settings.MEDIA_ROOT)
            for entry in description["files"]:
                archive.add(root / entry["path"], arcname=f"media/{entry['path']}")
        partial.replace(output)  # never a half-written archive under the final name
    return output


def _safe_member(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise BackupError(f"unsafe path in archive: {name!r}")
    return path


def _read_manifest(data: bytes, kind: str) -> dict[str, Any]:
    try:
        description = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BackupError(f"manifest.json is not valid JSON: {exc}") from exc
    if not isinstance(description, dict) or description.get("format") != kind:
        raise BackupError(f"manifest.json: format is not {kind}")
    for key, typ in (("counts", dict), ("files", list), ("vendor", str)):
        if not isinstance(description.get(key), typ):
            raise BackupError(f"manifest.json: field {key!r} missing or of the wrong type")
    return description


def _restore_media(
    files: Iterator[tuple[PurePosixPath, bytes]], expected: list[dict[str, Any]]
) -> int:
    wanted = {entry["path"]: entry for entry in expected}
    root = Path(settings.MEDIA_ROOT)
    written = 0
    for relative, content in files:
        entry = wanted.get(relative.as_posix())
        if entry is None:
            raise BackupError(f"file not in the manifest: media/{relative}")
        if hashlib.sha256(content).hexdigest() != entry["sha256"]:
            raise BackupError(f"checksum mismatch: media/{relative}")
        target = root.joinpath(*relative.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        written += 1
    if written != len(wanted):
        raise BackupError(f"archive holds {written} of the {len(wanted)} files in the manifest")
    return written


def _verify_counts(expected: dict[str, int]) -> int:
    actual = row_counts()
    wrong = [
        f"{label}: {actual.get(label, 0)} instead of {count}"
        for label, count in expected.items()
        if label not in _SKIP_COUNT and actual.get(label, 0) != count
    ]
    if wrong:
        raise BackupError("restored rows differ from the manifest: " + "; ".join(wrong[:10]))
    return sum(expected.values())


def backup_restore(*, archive_path: Path, log: Log = lambda _m: None) -> RestoreReport:
    """Put a backup archive into this (empty) database and the media folder."""
    if not database_is_empty():
        raise BackupError("the database is not empty: restore only into an empty database")
    try:
        archive = tarfile.open(archive_path, "r:gz")  # noqa: SIM115 - closed by the with below
    except (OSError, tarfile.TarError) as exc:
        raise BackupError(f"{archive_path.name}: not a backup archive ({exc})") from exc
    with archive, tempfile.TemporaryDirectory(prefix="paraat-restore-") as tmp:
        members = {}
        for member in archive.getmembers():
            path = _safe_member(member.name)
            if not member.isfile():
                raise BackupError(f"{archive_path.name}: unexpected entry {member.name!r}")
            members[path.as_posix()] = member
        if "manifest.json" not in members:
            raise BackupError(f"{archive_path.name}: manifest.json missing")
        description = _read_manifest(
            archive.extractfile(members["manifest.json"]).read(), FORMAT_BACKUP
        )
        if description["vendor"] != connection.vendor:
            raise BackupError(
                f"backup of a {description['vendor']} database cannot be restored into "
                f"{connection.vendor}; use paraat export / paraat import to change engines"
            )
        database_file = description.get("database_file")
        if database_file not in members:
            raise BackupError(f"{archive_path.name}: database file missing")
        dump = Path(tmp) / "database"
        dump.write_bytes(archive.extractfile(members[database_file]).read())
        log("database …")
        _load_database(dump)
        log("files …")
        media = (
            (PurePosixPath(*_safe_member(name).parts[1:]), archive.extractfile(m).read())
            for name, m in members.items()
            if name.startswith("media/")
        )
        files = _restore_media(media, description["files"])
        rows = _verify_counts(description["counts"])
    return RestoreReport(vendor=connection.vendor, rows=rows, files=files)


def _load_database(dump: Path) -> None:
    if connection.vendor == "sqlite":
        with sqlite3.connect(dump) as source:
            connection.ensure_connection()
            source.backup(connection.connection)
        source.close()
        return
    args, env = _pg_environment()
    connection.close()  # pg_restore needs the tables free of our own connection's locks
    _run(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--clean",
            "--if-exists",
            "--single-transaction",
            *args,
            str(dump),
        ],
        env,
    )


# --- export / import (open format) ------------------------------------------------------------


def export_create(*, output: Path, log: Log = lambda _m: None) -> Path:
    """A ZIP archive with every record as JSON (Django's serialization format) and the files."""
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    description = manifest(kind=FORMAT_EXPORT)
    partial = output.with_name(output.name + ".partial")
    log("records …")
    data = io.StringIO()
    management.call_command(
        "dumpdata",
        natural_foreign=True,
        natural_primary=True,
        exclude=_EXPORT_EXCLUDE,
        stdout=data,
        indent=None,
    )
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(description, indent=2))
        archive.writestr("data.json", data.getvalue())
        archive.writestr("README.txt", _EXPORT_README)
        log(f"files ({len(description['files'])}) …")
        root = Path(settings.MEDIA_ROOT)
        for entry in description["files"]:
            archive.write(root / entry["path"], arcname=f"media/{entry['path']}")
    partial.replace(output)
    return output


_EXPORT_README = """paraat export (paraat-export/1)

manifest.json  what the archive holds: version, source database, applied migrations,
               rows per model, every file with its size and SHA-256
data.json      every record in Django's JSON serialization format: a list of
               {"model": "app_label.model", "pk": ..., "fields": {...}}; references to
               content types and permissions use natural keys ([app_label, model])
media/         uploaded and generated files, paths as in the data

Load it into an empty database with: paraat migrate && paraat import <this file>
"""


def export_import(*, archive_path: Path, log: Log = lambda _m: None) -> RestoreReport:
    """Load an export into this (empty, migrated) database, all or nothing."""
    if not database_is_empty():
        raise BackupError("the database is not empty: import only into an empty database")
    try:
        archive = zipfile.ZipFile(archive_path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise BackupError(f"{archive_path.name}: not an export archive ({exc})") from exc
    with archive, tempfile.TemporaryDirectory(prefix="paraat-import-") as tmp:
        names = {}
        for info in archive.infolist():
            if info.is_dir():
                continue
            names[_safe_member(info.filename).as_posix()] = info
        for required in ("manifest.json", "data.json"):
            if required not in names:
                raise BackupError(f"{archive_path.name}: {required} missing")
        description = _read_manifest(archive.read("manifest.json"), FORMAT_EXPORT)
        fixture = Path(tmp) / "data.json"
        fixture.write_bytes(archive.read("data.json"))
        log("records …")
        from auditlog.context import disable_auditlog

        with transaction.atomic(), disable_auditlog():
            _clear_loaded_tables()
            try:
                management.call_command("loaddata", str(fixture), verbosity=0)
            except Exception as exc:  # loaddata wraps every cause in its own error types
                raise BackupError(f"data.json could not be loaded: {exc}") from exc
            rows = _verify_counts(
                {k: v for k, v in description["counts"].items() if not _excluded(k)}
            )
        _reset_sequences()
        log("files …")
        media = (
            (PurePosixPath(*PurePosixPath(name).parts[1:]), archive.read(info))
            for name, info in names.items()
            if name.startswith("media/")
        )
        files = _restore_media(media, description["files"])
    return RestoreReport(vendor=connection.vendor, rows=rows, files=files)


def _clear_loaded_tables() -> None:
    """Empty every table but content types and permissions (``migrate`` makes those)."""
    tables = [
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed
        and not model._meta.proxy
        and model._meta.label_lower not in ("contenttypes.contenttype", "auth.permission")
    ]
    existing = set(connection.introspection.table_names())
    statements = connection.ops.sql_flush(
        no_style(), [t for t in tables if t in existing], allow_cascade=False
    )
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _excluded(label: str) -> bool:
    app_label = label.split(".")[0]
    return label in _EXPORT_EXCLUDE or app_label in _EXPORT_EXCLUDE


def _reset_sequences() -> None:
    """After loading rows with their keys, PostgreSQL's sequences must move past them."""
    if connection.vendor != "postgresql":
        return
    models = [m for m in apps.get_models() if m._meta.managed and not m._meta.proxy]
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def close_connections() -> None:
    connections.close_all()
