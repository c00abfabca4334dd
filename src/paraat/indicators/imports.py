"""The writes behind the management pages of the societal picture.

* An uploaded file imported as a background job with visible progress (like the knowledge
  library's import): :func:`indicator_import_start` stores the upload and enqueues the job,
  :func:`indicator_import_run` unpacks or renames it and dispatches by kind to the importer
  (a StatLine table as a ZIP of its OData export folder, a CSV with a column mapping, an SDMX
  data message, a coronadashboard CSV or JSON file). A file that does not read fails the job
  with the importer's message naming file, row and field; nothing is stored then.
* The recomputation of a composite index as a background job (:func:`composite_recompute_start`).
* Switching a signal rule on or off and saving a user's signal digest subscription; plain
  ``save()`` calls, so the audit trail (django-auditlog, every model included) records them.
"""

from __future__ import annotations

import stat
import tempfile
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from paraat.accounts.models import User
from paraat.indicators.errors import ImportFormatError
from paraat.indicators.models import (
    CompositeIndex,
)
from paraat.jobs.models import Job
from paraat.jobs.services import (
    JobInputError,
    ProgressCallback,
    job_create,
    job_run,
    job_run_upload,
    job_start_for_upload,
)

IMPORT_KINDS = ("statline", "csv", "sdmx", "coronadashboard")

# Limits of a StatLine ZIP: a table folder holds a handful of CSV files.
ZIP_MAX_MEMBERS = 200
ZIP_MAX_MEMBER_BYTES = 200 * 1024 * 1024
ZIP_MAX_TOTAL_BYTES = 500 * 1024 * 1024
ZIP_MAX_RATIO = 200  # uncompressed / compressed per member: refuse zip bombs early
_ZIP_JUNK = ("__MACOSX/",)  # folders macOS Finder adds to every archive: skipped
_ZIP_JUNK_NAMES = (".DS_Store", "Thumbs.db", "desktop.ini")


class ZipImportError(ImportFormatError):
    """A StatLine ZIP that cannot be unpacked safely; names the archive and the member."""


# --- upload import ----------------------------------------------------------------------------


def indicator_import_start(*, upload: Any, kind: str, options: dict[str, Any], user: User) -> Job:
    """Store the upload, create a job and enqueue the import task after commit."""
    from paraat.indicators.manage_tasks import indicator_import_task

    if kind not in IMPORT_KINDS:
        raise ValueError(f"onbekende soort import: {kind!r}")
    return job_start_for_upload(
        upload=upload,
        kind="indicators_import",
        title="Import maatschappelijk beeld: {name}",
        params={"import_kind": kind, "options": options, "user": user.pk},
        created_by=user,
        task=indicator_import_task,
    )


def indicator_import_run(*, job: Job) -> Job:
    """Run the import of a stored upload for ``job``; the stored file is removed afterwards."""

    def work(path: Path, progress: ProgressCallback) -> dict[str, Any]:
        user = User.objects.filter(pk=job.params.get("user")).first()
        name = job.params.get("name") or path.name
        kind = job.params.get("import_kind", "")
        options = job.params.get("options") or {}
        try:
            report = _dispatch(
                kind=kind, path=path, name=name, options=options, user=user, progress=progress
            )
        except ImportFormatError as error:
            raise JobInputError(str(error)) from error
        except ValidationError as error:
            raise JobInputError(f"{name}: {' '.join(error.messages)}") from error
        counts = (
            f"{report['added']} toegevoegd, {report['revised']} herzien, "
            f"{report['unchanged']} ongewijzigd, {len(report['rejected'])} afgewezen"
        )
        return {
            "message": counts,
            "url": reverse("indicator_manage:import_report", args=[report["batch_id"]]),
            "batch_id": report["batch_id"],
            "source": report["source"],
            "added": report["added"],
            "revised": report["revised"],
            "unchanged": report["unchanged"],
            "rejected": len(report["rejected"]),
            "indicators": ", ".join(report["indicators"])[:1000],
        }

    return job_run_upload(job=job, work=work)


def _dispatch(
    *,
    kind: str,
    path: Path,
    name: str,
    options: dict[str, Any],
    user: User | None,
    progress: ProgressCallback,
) -> dict[str, Any]:
    """Import the file at ``path`` (the user's file name ``name``); the report as a dict."""
    from paraat.indicators.importers import (
        CsvMapping,
        coronadashboard_import,
        csv_import,
        sdmx_import,
    )
    from paraat.indicators.services import cbs_table_import

    progress(0, 1, "bestand lezen")
    if kind == "statline":
        with tempfile.TemporaryDirectory(prefix="paraat-statline-") as folder:
            progress(0, 1, "ZIP-bestand uitpakken")
            directory = statline_zip_extract(archive=path, name=name, target=Path(folder))
            try:
                report = cbs_table_import(
                    directory=directory, user=user, progress=_two(progress, "onderwerpen")
                )
            except ImportFormatError as error:
                raise ZipImportError(name, None, "", str(error)) from error
    elif kind == "csv":
        try:
            mapping = CsvMapping(
                indicator_key=options.get("indicator") or "",
                period_column=options.get("period_column") or "",
                value_column=options.get("value_column") or "",
                period_format=options.get("period_format") or "auto",
                status_column=options.get("status_column") or None,
                breakdown_columns=list(options.get("breakdown_columns") or []),
                decimal_comma=bool(options.get("decimal_comma")),
            )
        except ValueError as error:
            raise JobInputError(f"{name}: {error}") from error
        report = csv_import(data=path.read_bytes(), file_name=name, mapping=mapping, user=user)
    elif kind in ("sdmx", "coronadashboard"):
        # The importers name the file in their messages and pick the layout by its suffix:
        # give the stored upload the user's file name, in a folder of its own.
        with tempfile.TemporaryDirectory(prefix="paraat-import-", dir=path.parent) as folder:
            named = Path(folder) / _safe_name(name)
            path.rename(named)
            try:
                if kind == "sdmx":
                    report = sdmx_import(
                        path=named, indicator_key=options.get("indicator") or "", user=user
                    )
                else:
                    report = coronadashboard_import(path=named, user=user)
            finally:
                named.rename(path)  # job_run_upload removes it
    else:
        raise JobInputError(f"{name}: onbekende soort import {kind!r}")
    progress(1, 1, "klaar")
    result = report.as_dict()
    result["batch_id"] = report.batch_id
    return result


def _two(progress: ProgressCallback, what: str) -> Callable[[int, int], None]:
    """A services-style ``progress(done, total)`` that reports to the job."""
    return lambda done, total: progress(done, total, f"{done} van {total} {what}")


def _safe_name(name: str) -> str:
    """A plain file name (no folders, no leading dot) that keeps the suffix."""
    base = PurePosixPath(name.replace("\\", "/")).name.lstrip(".") or "upload"
    return "".join(c if c.isalnum() or c in "-_.() " else "_" for c in base)[:150]


# --- StatLine ZIP -----------------------------------------------------------------------------


def _member_parts(info: zipfile.ZipInfo, name: str) -> tuple[str, ...]:
    """The checked path parts of a ZIP member, or a :class:`ZipImportError`."""
    member = info.filename
    if "\\" in member or "\x00" in member:
        raise ZipImportError(name, None, "", f"{member!r}: ongeldig pad in het ZIP-bestand")
    path = PurePosixPath(member)
    if member.startswith("/") or (len(member) > 1 and member[1] == ":"):
        raise ZipImportError(
            name, None, "", f"{member!r}: een absoluut pad is niet toegestaan in het ZIP-bestand"
        )
    parts = tuple(p for p in path.parts if p not in ("", "."))
    if ".." in parts:
        raise ZipImportError(
            name, None, "", f"{member!r}: een pad buiten de tabelmap ('..') is niet toegestaan"
        )
    if not parts:
        raise ZipImportError(name, None, "", f"{member!r}: leeg pad in het ZIP-bestand")
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        raise ZipImportError(
            name, None, "", f"{member!r}: een symbolische koppeling is niet toegestaan"
        )
    return parts


def _is_junk(member: str) -> bool:
    """Files that archivers add on their own (macOS Finder, Windows Explorer): skipped."""
    return member.startswith(_ZIP_JUNK) or member.rsplit("/", 1)[-1] in _ZIP_JUNK_NAMES


def statline_zip_extract(*, archive: Path, name: str, target: Path) -> Path:
    """Unpack a StatLine ZIP safely into ``target``; the folder holding ``TableInfos.csv``.

    Refused (:class:`ZipImportError`, nothing unpacked is used): not a ZIP, an encrypted
    member, an absolute path, ``..``, a symbolic link, a member that is not a ``.csv`` file,
    more than one folder level, too many members, a member or a total that is too large (the
    sizes are checked while unpacking too, not only as the archive declares them).
    """
    try:
        handle = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ZipImportError(name, None, "", "geen geldig ZIP-bestand") from None
    with handle:
        infos = handle.infolist()
        if len(infos) > ZIP_MAX_MEMBERS:
            raise ZipImportError(
                name, None, "", f"te veel bestanden in het ZIP-bestand (meer dan {ZIP_MAX_MEMBERS})"
            )
        members: list[tuple[zipfile.ZipInfo, tuple[str, ...]]] = []
        total = 0
        for info in infos:
            if _is_junk(info.filename):
                continue
            parts = _member_parts(info, name)
            if info.is_dir():
                if len(parts) > 1:
                    raise ZipImportError(
                        name, None, "", f"{info.filename!r}: geneste mappen zijn niet toegestaan"
                    )
                continue
            member = info.filename
            if len(parts) > 2:
                raise ZipImportError(
                    name, None, "", f"{member!r}: geneste mappen zijn niet toegestaan"
                )
            if not parts[-1].lower().endswith(".csv"):
                raise ZipImportError(
                    name, None, "", f"{member!r}: alleen .csv-bestanden zijn toegestaan"
                )
            if info.flag_bits & 0x1:
                raise ZipImportError(name, None, "", f"{member!r}: versleuteld bestand")
            if info.file_size > ZIP_MAX_MEMBER_BYTES:
                raise ZipImportError(name, None, "", f"{member!r}: bestand is te groot")
            if info.file_size > ZIP_MAX_RATIO * max(info.compress_size, 1) + 1024 * 1024:
                raise ZipImportError(
                    name, None, "", f"{member!r}: verdacht sterk gecomprimeerd bestand"
                )
            total += info.file_size
            if total > ZIP_MAX_TOTAL_BYTES:
                raise ZipImportError(name, None, "", "de bestanden samen zijn te groot")
            members.append((info, parts))
        if not members:
            raise ZipImportError(name, None, "", "het ZIP-bestand bevat geen .csv-bestanden")
        folders = {parts[0] for _info, parts in members if len(parts) == 2}
        if folders and (len(folders) > 1 or any(len(parts) == 1 for _i, parts in members)):
            raise ZipImportError(
                name, None, "", "zet de bestanden van één tabel in de hoofdmap of in één map"
            )
        root = target.resolve()
        written = 0
        for info, parts in members:
            destination = root.joinpath(*parts)
            if not destination.resolve().is_relative_to(root):
                raise ZipImportError(name, None, "", f"{info.filename!r}: pad buiten de tabelmap")
            destination.parent.mkdir(parents=True, exist_ok=True)
            try:
                with handle.open(info) as source, destination.open("xb") as out:
                    copied = 0
                    while chunk := source.read(1024 * 1024):
                        copied += len(chunk)
                        written += len(chunk)
                        if copied > info.file_size or copied > ZIP_MAX_MEMBER_BYTES:
                            raise ZipImportError(
                                name, None, "", f"{info.filename!r}: bestand is te groot"
                            )
                        if written > ZIP_MAX_TOTAL_BYTES:
                            raise ZipImportError(name, None, "", "de bestanden samen zijn te groot")
                        out.write(chunk)
            except FileExistsError:
                raise ZipImportError(
                    name, None, "", f"{info.filename!r}: staat twee keer in het ZIP-bestand"
                ) from None
            except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as error:
                raise ZipImportError(
                    name, None, "", f"{info.filename!r}: beschadigd of onleesbaar ({error})"
                ) from None
    directory = root / next(iter(folders)) if folders else root
    if not (directory / "TableInfos.csv").is_file():
        raise ZipImportError(
            name,
            None,
            "",
            "TableInfos.csv ontbreekt: geen StatLine-tabel (OData-export: TableInfos.csv, "
            "DataProperties.csv, de dimensiebestanden en data.csv)",
        )
    return directory


# --- composite index recomputation ------------------------------------------------------------


@transaction.atomic
def composite_recompute_start(*, index: CompositeIndex, user: User) -> Job:
    """Create the job that recomputes ``index`` and enqueue it once the transaction commits."""
    from paraat.indicators.manage_tasks import composite_recompute_task

    job = job_create(
        kind="composite_compute",
        title=f"Index herberekenen: {index.name_nl}"[:200],
        params={"index": index.pk, "user": user.pk},
        created_by=user,
    )
    transaction.on_commit(lambda: composite_recompute_task.enqueue(job_id=str(job.pk)))
    return job


def composite_recompute_run(*, job: Job) -> Job:
    """Compute the index of ``job`` on the figures known now and store a run."""
    from paraat.indicators.services import composite_compute

    def work(progress: ProgressCallback) -> dict[str, Any]:
        index = CompositeIndex.objects.filter(pk=job.params.get("index")).first()
        if index is None:
            raise JobInputError("De index bestaat niet meer.")
        user = User.objects.filter(pk=job.params.get("user")).first()
        progress(0, 1, "rekenen")
        try:
            run = composite_compute(index=index, user=user, progress=_two(progress, "populaties"))
        except ValueError as error:
            raise JobInputError(f"index {index.key}: {error}") from error
        return {
            "message": f"{index.name_nl}: berekend op de cijfers van {run.as_of:%Y-%m-%d %H:%M}",
            "url": reverse("indicators:composite", args=[index.key]),
            "run": run.pk,
            "index": index.key,
        }

    return job_run(job=job, work=work)
