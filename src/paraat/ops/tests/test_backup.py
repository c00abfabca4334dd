"""Backup, restore, export and import, each put back into an empty database by a separate
process (as an operator would), then every record and file checked."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from paraat.accounts.tests.factories import UserFactory
from paraat.evidence.tests.factories import EvidenceItemFactory
from paraat.ops import backup
from paraat.web.benchtools import postgres_scratch

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def media(tmp_path: Path, settings) -> Path:
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def content(media: Path) -> dict[str, object]:
    """Some records of several apps and two stored files (one in a subfolder)."""
    UserFactory.create_batch(3)
    items = EvidenceItemFactory.create_batch(4)
    default_storage.save("evidence/rapport.pdf", ContentFile(b"%PDF-1.4 synthetic\n"))
    default_storage.save("notities.txt", ContentFile("één regel\n".encode()))
    return {"items": [item.pk for item in items], "counts": backup.row_counts()}


def _paraat(args: list[str], *, database_url: str, data_dir: Path) -> subprocess.CompletedProcess:
    data_dir.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "PARAAT_DATA_DIR": str(data_dir),
        "DJANGO_SETTINGS_MODULE": "paraat.conf.settings",
    }
    return subprocess.run(
        [sys.executable, "-m", "paraat.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def _check_files(data_dir: Path) -> None:
    assert (data_dir / "media/evidence/rapport.pdf").read_bytes() == b"%PDF-1.4 synthetic\n"
    assert (data_dir / "media/notities.txt").read_text("utf-8") == "één regel\n"


def _sqlite_counts(path: Path, tables: list[str]) -> dict[str, int]:
    with sqlite3.connect(path) as db:
        return {t: db.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


def test_manifest_lists_counts_and_files(content: dict[str, object]) -> None:
    description = backup.manifest(kind=backup.FORMAT_BACKUP)
    assert description["vendor"] == connection.vendor
    assert description["counts"]["evidence.evidenceitem"] == 4
    assert {f["path"] for f in description["files"]} == {"evidence/rapport.pdf", "notities.txt"}
    assert "advice" in description["migrations"]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite backup format")
def test_sqlite_backup_restores_into_an_empty_database(
    content: dict[str, object], tmp_path: Path
) -> None:
    archive = backup.backup_create(output=tmp_path / "site.tar.gz")
    target = tmp_path / "target"
    database = target / "restored.sqlite3"
    result = _paraat(
        ["restore", str(archive)], database_url=f"sqlite:///{database}", data_dir=target
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["files"] == 2
    counts = content["counts"]
    assert isinstance(counts, dict)
    assert report["rows"] == sum(counts.values())
    restored = _sqlite_counts(database, ["evidence_evidenceitem", "accounts_user"])
    assert restored == {
        "evidence_evidenceitem": counts["evidence.evidenceitem"],
        "accounts_user": counts["accounts.user"],
    }
    _check_files(target)


def test_postgresql_backup_restores_into_an_empty_database(
    content: dict[str, object], tmp_path: Path
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the PostgreSQL backup format needs the PostgreSQL run")
    url = os.environ.get("DATABASE_URL", "postgres://postgres@localhost:5432/test")
    scratch = postgres_scratch(url, prefix="paraat_restore")
    if scratch is None:
        pytest.skip("no PostgreSQL server to create a scratch database on")
    target_url, drop = scratch
    try:
        archive = backup.backup_create(output=tmp_path / "site.tar.gz")
        target = tmp_path / "target"
        result = _paraat(["restore", str(archive)], database_url=target_url, data_dir=target)
        assert result.returncode == 0, result.stderr
        counts = content["counts"]
        assert isinstance(counts, dict)
        assert json.loads(result.stdout)["rows"] == sum(counts.values())
        import psycopg

        with psycopg.connect(target_url.replace("postgres://", "postgresql://", 1)) as db:
            items = db.execute("SELECT count(*) FROM evidence_evidenceitem").fetchone()
        assert items == (counts["evidence.evidenceitem"],)
        _check_files(target)
    finally:
        drop()


def test_export_imports_into_an_empty_sqlite_database(
    content: dict[str, object], tmp_path: Path
) -> None:
    """The open format moves data between engines: here from the test database to SQLite."""
    archive = backup.export_create(output=tmp_path / "site.zip")
    with zipfile.ZipFile(archive) as zipped:
        records = json.loads(zipped.read("data.json"))
        assert "README.txt" in zipped.namelist()
    assert {r["model"] for r in records} >= {"evidence.evidenceitem", "accounts.user"}
    target = tmp_path / "target"
    database = f"sqlite:///{target / 'imported.sqlite3'}"
    migrated = _paraat(["migrate", "--no-input"], database_url=database, data_dir=target)
    assert migrated.returncode == 0, migrated.stderr
    result = _paraat(["import", str(archive)], database_url=database, data_dir=target)
    assert result.returncode == 0, result.stderr
    counts = content["counts"]
    assert isinstance(counts, dict)
    restored = _sqlite_counts(
        target / "imported.sqlite3", ["evidence_evidenceitem", "accounts_user"]
    )
    assert restored["evidence_evidenceitem"] == counts["evidence.evidenceitem"]
    assert restored["accounts_user"] == counts["accounts.user"]
    _check_files(target)


def test_restore_refuses_a_database_that_holds_data(
    content: dict[str, object], tmp_path: Path
) -> None:
    archive = backup.backup_create(output=tmp_path / "site.tar.gz")
    with pytest.raises(backup.BackupError, match="not empty"):
        backup.backup_restore(archive_path=archive)
    export = backup.export_create(output=tmp_path / "site.zip")
    with pytest.raises(backup.BackupError, match="not empty"):
        backup.export_import(archive_path=export)


def _tar(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def _empty_database() -> None:
    call_command("flush", "--no-input", verbosity=0)


@pytest.mark.parametrize(
    ("members", "message"),
    [
        ({"../evil": b"x"}, "unsafe path"),
        ({"/etc/evil": b"x"}, "unsafe path"),
        ({"database.sqlite3": b"x"}, "manifest.json missing"),
        ({"manifest.json": b"{not json"}, "not valid JSON"),
        ({"manifest.json": b'{"format": "other"}'}, "format is not"),
        (
            {"manifest.json": json.dumps({"format": backup.FORMAT_BACKUP, "counts": {}}).encode()},
            "field 'files'",
        ),
    ],
)
def test_bad_backup_archives_are_refused_before_anything_is_written(
    tmp_path: Path, media: Path, members: dict[str, bytes], message: str
) -> None:
    _empty_database()
    path = tmp_path / "bad.tar.gz"
    path.write_bytes(_tar(members))
    with pytest.raises(backup.BackupError, match=message):
        backup.backup_restore(archive_path=path)
    assert not any(media.iterdir())


def test_a_backup_of_another_engine_is_refused(tmp_path: Path, media: Path) -> None:
    _empty_database()
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    description = {"format": backup.FORMAT_BACKUP, "counts": {}, "files": [], "vendor": other}
    path = tmp_path / "other.tar.gz"
    path.write_bytes(_tar({"manifest.json": json.dumps(description).encode()}))
    with pytest.raises(backup.BackupError, match="paraat export"):
        backup.backup_restore(archive_path=path)


def test_a_file_that_does_not_match_its_checksum_is_refused(tmp_path: Path, media: Path) -> None:
    with pytest.raises(backup.BackupError, match="checksum mismatch"):
        backup._restore_media(
            iter([(Path("a.txt"), b"changed")]),  # type: ignore[list-item]
            [{"path": "a.txt", "sha256": "0" * 64, "size": 7}],
        )
    assert not any(media.iterdir())


@hypothesis_settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=2048))
def test_random_bytes_are_refused_with_a_clear_error(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "fuzz.bin"
    path.write_bytes(data)
    for restore in (backup.backup_restore, backup.export_import):
        with pytest.raises(backup.BackupError):
            restore(archive_path=path)


def test_commands_report_failures_without_a_traceback(tmp_path: Path) -> None:
    result = _paraat(
        ["restore", str(tmp_path / "missing.tar.gz")],
        database_url=f"sqlite:///{tmp_path / 'x.sqlite3'}",
        data_dir=tmp_path,
    )
    assert result.returncode != 0
    assert "no such file" in result.stderr
    assert "Traceback" not in result.stderr
