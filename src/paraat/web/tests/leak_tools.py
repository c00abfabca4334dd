"""Plumbing of the leak tests (``test_leaks.py``): fetching a URL as one audience inside a
savepoint, turning any answer (HTML, JSON, CSV, PDF, DOCX, ZIP) into searchable text, a
bounded crawl, and a log handler that keeps every record."""

from __future__ import annotations

import html
import io
import json
import logging
import re
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urldefrag, urlsplit

from django.conf import settings
from django.db import transaction
from django.test import Client, TestCase
from django.urls import reverse

from paraat.conf.logging import JsonFormatter, PlainFormatter, RequestIdFilter


@dataclass
class Seen:
    """One answer as one audience saw it."""

    channel: str
    audience: str
    method: str
    url: str
    status: int
    content_type: str
    text: str
    location: str = ""
    asked: str = ""
    """What the request carried itself (URL and form data): a page may echo it."""

    @property
    def where(self) -> str:
        return f"{self.channel}: {self.method} {self.url} as {self.audience} → {self.status}"


def close_response(response: Any) -> None:
    """Close a streamed test response without ending the test's database connection."""
    from django.core.signals import request_finished
    from django.db import close_old_connections

    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


# --- turning answers into text -------------------------------------------------------------------

_TAGS = re.compile(r"<[^>]+>")


def _xml_text(raw: bytes) -> str:
    text = raw.decode("utf-8", errors="replace")
    # Word splits a sentence over runs: drop the tags so the runs join up again.
    return html.unescape(_TAGS.sub("", text))


def pdf_text(raw: bytes) -> str:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(raw))
        parts = [page.extract_text() or "" for page in reader.pages]
        info = reader.metadata or {}
        parts += [str(value) for value in info.values()]
    except Exception:  # not a real PDF (a test fixture's bytes): read it as it is
        return raw.decode("latin-1")
    return "\n".join(parts)


def docx_text(raw: bytes) -> str:
    """Paragraphs and tables with python-docx, and every XML part of the package stripped of
    its tags (headers, footers, comments, core properties)."""
    from docx import Document

    parts: list[str] = []
    try:
        document = Document(io.BytesIO(raw))
        parts += [p.text for p in document.paragraphs]
        for table in document.tables:
            for row in table.rows:
                parts += [cell.text for cell in row.cells]
    except Exception:
        parts.append(raw.decode("latin-1"))
    return "\n".join(parts) + "\n" + zip_text(raw)


def zip_text(raw: bytes) -> str:
    """Every member of a ZIP archive, each read by its own kind."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except zipfile.BadZipFile:
        return raw.decode("latin-1")
    parts = []
    for name in archive.namelist():
        parts.append(f"== {name}")
        parts.append(body_text(archive.read(name), name=name))
    return "\n".join(parts)


def body_text(raw: bytes, *, content_type: str = "", name: str = "") -> str:
    kind = content_type.split(";")[0].strip().lower()
    lower = name.lower()
    if kind == "application/pdf" or lower.endswith(".pdf") or raw.startswith(b"%PDF"):
        return pdf_text(raw)
    if "wordprocessingml" in kind or lower.endswith(".docx"):
        return docx_text(raw)
    if lower.endswith((".xml", ".rels")):
        return _xml_text(raw)
    if kind in ("application/zip", "application/x-zip-compressed") or lower.endswith(".zip"):
        return zip_text(raw)
    if raw.startswith(b"PK\x03\x04"):
        return zip_text(raw)
    text = raw.decode("utf-8", errors="replace")
    if kind.endswith("json") or lower.endswith(".json"):
        # JSON may escape non-ASCII; a decoded dump reads as the page would.
        with suppress(ValueError):
            text += "\n" + json.dumps(json.loads(text), ensure_ascii=False)
    return html.unescape(text) if "html" in kind else text


def response_text(response: Any) -> str:
    if getattr(response, "streaming", False):
        raw = b"".join(response.streaming_content)
        close_response(response)
    else:
        raw = response.content
    name = ""
    disposition = response.get("Content-Disposition", "")
    match = re.search(r'filename\*?=(?:UTF-8\'\')?"?([^";]+)', disposition)
    if match:
        name = unquote(match.group(1))
    return body_text(raw, content_type=response.get("Content-Type", ""), name=name)


# --- requests ------------------------------------------------------------------------------------


def fetch(
    client: Client,
    *,
    channel: str,
    audience: str,
    url: str,
    method: str = "GET",
    data: dict[str, Any] | None = None,
    is_api: bool | None = None,
) -> Seen:
    """One request in a savepoint that is rolled back (a POST changes nothing for the next)."""
    with transaction.atomic():
        response = _send(
            client, method, url, data, url.startswith("/api/") if is_api is None else is_api
        )
        text = response_text(response)
        transaction.set_rollback(True)
    return Seen(
        channel=channel,
        audience=audience,
        method=method,
        url=url,
        status=response.status_code,
        content_type=response.get("Content-Type", ""),
        text=text,
        location=response.get("Location", ""),
        asked=url + " " + json.dumps(data or {}, ensure_ascii=False),
    )


def _send(client: Client, method: str, url: str, data: dict[str, Any] | None, is_api: bool) -> Any:
    if method == "GET":
        return client.get(url, data=data)
    if is_api and method in ("POST", "PUT", "PATCH"):
        return getattr(client, method.lower())(
            url, data=data or {}, content_type="application/json"
        )
    if method == "POST":
        return client.post(url, data=data or {})
    return getattr(client, method.lower())(url)


@contextmanager
def jobs_run() -> Iterator[None]:
    """Run what is enqueued after the (test) transaction would commit: background jobs run
    at once (the test settings use the immediate task backend), mails are handed over."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        yield


def job_file(
    client: Client, *, channel: str, audience: str, start: str, data: dict[str, Any], user: Any
) -> list[Seen]:
    """Start a report job with a POST, run it, and download its file; all rolled back."""
    from paraat.jobs.models import Job

    seen: list[Seen] = []
    with transaction.atomic():
        before = set(Job.objects.values_list("pk", flat=True))
        with jobs_run():
            response = client.post(start, data=data)
        seen.append(
            Seen(
                channel,
                audience,
                "POST",
                start,
                response.status_code,
                response.get("Content-Type", ""),
                response_text(response),
                response.get("Location", ""),
                start + json.dumps(data),
            )
        )
        jobs = Job.objects.exclude(pk__in=before).filter(created_by=user)
        for job in jobs:
            url = (job.result or {}).get("url", "")
            if not url:
                seen.append(
                    Seen(channel, audience, "JOB", start, 0, "", f"{job.status}: {job.error}")
                )
                continue
            download = client.get(url)
            seen.append(
                Seen(
                    channel,
                    audience,
                    "GET",
                    url,
                    download.status_code,
                    download.get("Content-Type", ""),
                    response_text(download),
                )
            )
        transaction.set_rollback(True)
    return seen


# --- the crawl -----------------------------------------------------------------------------------

_HREF = re.compile(r"""href\s*=\s*["']([^"'#]+)""", re.IGNORECASE)
_SKIP = ("/static/", "/media/", "/beheer/", "/i18n/", "/accounts/uitloggen/", "/api/")
_SKIP_END = (".pdf", ".docx", "/pdf/", "/docx/", ".css", ".js", ".woff2", ".svg", ".ico")


def links(page: str) -> list[str]:
    found = []
    for href in _HREF.findall(page):
        href = html.unescape(urldefrag(href)[0])
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue
        path = parts.path
        if path.startswith(_SKIP) or path.endswith(_SKIP_END):
            continue
        found.append(path + (f"?{parts.query}" if parts.query else ""))
    return found


def crawl(
    client: Client,
    *,
    channel: str,
    audience: str,
    start: Iterable[str],
    depth: int,
    limit: int,
    done: set[str],
) -> list[Seen]:
    """Follow the links of the pages to ``depth`` (at most ``limit`` new pages), skipping the
    URLs in ``done`` (and adding what it fetched)."""
    seen: list[Seen] = []
    frontier = list(start)
    for _level in range(depth + 1):
        following: list[str] = []
        for url in frontier:
            if url in done or len(seen) >= limit:
                continue
            done.add(url)
            answer = fetch(client, channel=channel, audience=audience, url=url)
            seen.append(answer)
            if answer.status == 200 and "html" in answer.content_type:
                following += links(answer.text)
        frontier = following
    return seen


def login_url() -> str:
    return reverse(settings.LOGIN_URL)


def refused(seen: Seen) -> bool:
    """404, 403, 401, or a redirect to the login page."""
    if seen.status in (401, 403, 404):
        return True
    return seen.status in (301, 302, 303) and urlsplit(seen.location).path == login_url()


# --- logs ----------------------------------------------------------------------------------------


class KeepAll(logging.Handler):
    """Keeps every record, formatted the ways production writes it (JSON and plain)."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []
        self.lines: list[str] = []
        self.request_ids = RequestIdFilter()
        self.json = JsonFormatter()
        self.plain = PlainFormatter()

    def emit(self, record: logging.LogRecord) -> None:
        self.request_ids.filter(record)
        self.records.append(record)
        extras = {
            k: v
            for k, v in record.__dict__.items()
            if k not in logging.LogRecord("", 0, "", 0, "", None, None).__dict__
        }
        self.lines.append(
            "\n".join(
                [
                    self.json.format(record),
                    self.plain.format(record),
                    repr(record.args),
                    repr(extras),
                    record.exc_text or "",
                ]
            )
        )


@contextmanager
def logs_kept() -> Iterator[KeepAll]:
    """Every log record of every logger at DEBUG while the block runs."""
    handler = KeepAll()
    root = logging.getLogger()
    old_level = root.level
    logging.disable(logging.NOTSET)
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
