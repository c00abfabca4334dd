"""Logging configuration: plain lines for development, one JSON object per line for production.

``build_logging(level, fmt)`` returns Django's ``LOGGING`` dict (``PARAAT_LOG_LEVEL``,
``PARAAT_LOG_FORMAT``); ``build_gunicorn_logging(level, fmt)`` returns gunicorn's
``logconfig_dict`` (``deploy/gunicorn.conf.py``), so the web server's access and error logs
come out in the same form as the application's.

A JSON line carries ``time`` (UTC, ISO 8601 with milliseconds), ``level``, ``logger``,
``message``, ``process``, ``request_id`` when one is known (set by
``paraat.ops.middleware.RequestIdMiddleware`` for the request being served), ``exception`` (the
traceback text) when there is one, and any simple ``extra`` values (strings, numbers, booleans).
An access line adds ``http``: method, path, query, status, bytes, duration in milliseconds,
client address, referrer and user agent. Secret tokens in links (requests for input, citizen
panel answers, password resets) are replaced by ``[redacted]`` in access lines, plain or JSON.

Standard library only: this module is imported by gunicorn's configuration before Django is
set up, and must not import Django.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from collections.abc import Mapping
from contextvars import ContextVar
from typing import Any

FORMATS = ("plain", "json")
LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")

#: The id of the request being served in this thread (``None`` outside a request).
REQUEST_ID: ContextVar[str | None] = ContextVar("paraat_request_id", default=None)

PLAIN_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"

# Libraries that report every step at INFO (django-axes: every login; WeasyPrint and fontTools:
# every stage of every PDF): warnings and errors only.
QUIET_LOGGERS = ("axes", "weasyprint", "fontTools")

# Attributes every LogRecord has; anything else on a record came from ``extra=``.
_RECORD_ATTRS = frozenset(
    vars(logging.LogRecord("", logging.INFO, "", 0, "", None, None, None, None))
) | {"message", "asctime", "request_id", "taskName"}

# Paths whose last part(s) are a secret: the link is the credential (see the advice, panels and
# accounts URL configurations). The secret is cut from access lines and referrers.
_SECRET_PATHS = [
    re.compile(r"(/input/)[^/?#\s]+"),
    re.compile(r"(/antwoord/)[^/?#\s]+"),
    re.compile(r"(/wachtwoord-herstellen/[^/?#\s]+/)(?!set-password\b)[^/?#\s]+"),
]
_SECRET_QUERY = re.compile(r"((?:^|[?&])(?:token|key|code|password)=)[^&#\s]*", re.IGNORECASE)
REDACTED = "[redacted]"


def redact(text: str) -> str:
    """``text`` (a path, query string, request line or URL) without the secrets in links."""
    for pattern in _SECRET_PATHS:
        text = pattern.sub(rf"\g<1>{REDACTED}", text)
    return _SECRET_QUERY.sub(rf"\g<1>{REDACTED}", text)


# Loggers whose messages quote the request path ("Not Found: /path", "Internal Server Error: …").
_PATH_LOGGERS = ("django.request", "django.server", "django.security")


def _message(record: logging.LogRecord) -> str:
    text = record.getMessage()
    if record.name.startswith(_PATH_LOGGERS):
        return redact(text)
    return text


def _utc_time(created: float) -> str:
    moment = dt.datetime.fromtimestamp(created, tz=dt.UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


class RequestIdFilter(logging.Filter):
    """Give every record a ``request_id`` attribute (``-`` outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = REQUEST_ID.get() or "-"
        return True


class PlainFormatter(logging.Formatter):
    """The plain line format, with the secrets in quoted request paths cut out."""

    def __init__(self, fmt: str = PLAIN_FORMAT, datefmt: str | None = None) -> None:
        super().__init__(fmt, datefmt)

    def formatMessage(self, record: logging.LogRecord) -> str:
        if not record.name.startswith(_PATH_LOGGERS):
            return super().formatMessage(record)
        original = record.message
        record.message = redact(original)  # for this line only: other handlers see the record
        try:
            return super().formatMessage(record)
        finally:
            record.message = original


class JsonFormatter(logging.Formatter):
    """One JSON object per line; never raises on odd values (they become strings)."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": _utc_time(record.created),
            "level": record.levelname,
            "logger": record.name,
            "message": _message(record),
            "process": record.process,
        }
        request_id = getattr(record, "request_id", None) or REQUEST_ID.get()
        if request_id and request_id != "-":
            entry["request_id"] = request_id
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        for key, value in record.__dict__.items():
            if key in _RECORD_ATTRS or key.startswith("_") or key in entry:
                continue
            if value is None or isinstance(value, str | int | float | bool):
                entry[key] = value
        return json.dumps(entry, ensure_ascii=False, default=str)


def _atom(atoms: Mapping[str, Any], key: str) -> str:
    value = atoms.get(key)
    if value is None or value == "-":
        return ""
    # gunicorn escapes double quotes for its own quoted log format; JSON escapes by itself.
    return str(value).replace('\\"', '"')


def _access_fields(atoms: Mapping[str, Any]) -> dict[str, Any]:
    status = _atom(atoms, "s")
    sent = atoms.get("B")
    if not sent:  # a file sent with sendfile (WhiteNoise) is not counted: its declared length
        length = _atom(atoms, "{content-length}o")
        sent = int(length) if length.isdigit() else sent
    micros = atoms.get("D")
    return {
        "method": _atom(atoms, "m"),
        "path": redact(_atom(atoms, "U")),
        "query": redact(_atom(atoms, "q")),
        "protocol": _atom(atoms, "H"),
        "status": int(status) if status.isdigit() else status,
        "bytes": sent if isinstance(sent, int) else None,
        "duration_ms": round(micros / 1000, 3) if isinstance(micros, int) else None,
        "remote_addr": _atom(atoms, "h"),
        "forwarded_for": _atom(atoms, "{x-forwarded-for}i"),
        "referer": redact(_atom(atoms, "f")),
        "user_agent": _atom(atoms, "a"),
    }


def _access_request_id(atoms: Mapping[str, Any]) -> str:
    return _atom(atoms, "{x-request-id}o") or _atom(atoms, "{x-request-id}i")


class AccessFormatter(logging.Formatter):
    """gunicorn's access log (``gunicorn.access``): its record's args are the request's atoms.

    ``fmt="json"``: one JSON object with an ``http`` part; ``fmt="plain"``: a combined-log-format
    line with the duration and request id. Either way with the secrets in links cut out.
    """

    def __init__(self, fmt: str = "plain") -> None:
        super().__init__()
        self.kind = fmt

    def format(self, record: logging.LogRecord) -> str:
        atoms = record.args if isinstance(record.args, Mapping) else None
        if atoms is None:  # not an access record: format it like any other line
            text = record.getMessage()
            if self.kind == "json":
                return json.dumps(
                    {
                        "time": _utc_time(record.created),
                        "level": record.levelname,
                        "logger": record.name,
                        "message": text,
                        "process": record.process,
                    },
                    ensure_ascii=False,
                )
            return text
        http = _access_fields(atoms)
        request_id = _access_request_id(atoms)
        line = f"{http['method']} {http['path']}{'?' if http['query'] else ''}{http['query']}"
        if self.kind == "json":
            entry: dict[str, Any] = {
                "time": _utc_time(record.created),
                "level": record.levelname,
                "logger": record.name,
                "message": f"{line} {http['status']}",
                "process": record.process,
            }
            if request_id:
                entry["request_id"] = request_id
            entry["http"] = http
            return json.dumps(entry, ensure_ascii=False, default=str)
        return '{} - - [{}] "{} {}" {} {} "{}" "{}" {}ms {}'.format(
            http["remote_addr"] or "-",
            dt.datetime.fromtimestamp(record.created).astimezone().strftime("%d/%b/%Y:%H:%M:%S %z"),
            line,
            http["protocol"],
            http["status"],
            http["bytes"] if http["bytes"] is not None else "-",
            http["referer"] or "-",
            http["user_agent"] or "-",
            http["duration_ms"] if http["duration_ms"] is not None else "-",
            request_id or "-",
        )


def _check(level: str, fmt: str) -> tuple[str, str]:
    level_name = (level or "INFO").strip().upper()
    kind = (fmt or "plain").strip().lower()
    if level_name not in LEVELS:
        raise ValueError(
            f"PARAAT_LOG_LEVEL={level!r} is not a log level (use one of {', '.join(LEVELS)})."
        )
    if kind not in FORMATS:
        raise ValueError(f"PARAAT_LOG_FORMAT={fmt!r} is not a log format (use plain or json).")
    return level_name, kind


def _formatter(kind: str) -> dict[str, Any]:
    if kind == "json":
        return {"()": "paraat.conf.logging.JsonFormatter"}
    return {"()": "paraat.conf.logging.PlainFormatter", "fmt": PLAIN_FORMAT}


def build_logging(level: str = "INFO", fmt: str = "plain") -> dict[str, Any]:
    """Django's ``LOGGING``: everything to standard error, as plain lines or JSON lines."""
    level_name, kind = _check(level, fmt)
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "paraat.conf.logging.RequestIdFilter"}},
        "formatters": {kind: _formatter(kind)},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": kind,
                "filters": ["request_id"],
            }
        },
        "root": {"handlers": ["console"], "level": level_name},
        "loggers": {name: {"level": "WARNING"} for name in QUIET_LOGGERS},
    }


def build_gunicorn_logging(level: str = "INFO", fmt: str = "plain") -> dict[str, Any]:
    """gunicorn's ``logconfig_dict``: access lines to standard output, its own messages to
    standard error, in the same format as the application's (they do not propagate, so the
    application's root handler never prints them twice)."""
    level_name, kind = _check(level, fmt)
    error_formatter = (
        {"()": "paraat.conf.logging.JsonFormatter"}
        if kind == "json"
        else {"format": "%(asctime)s %(levelname)s %(name)s [%(process)d] %(message)s"}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "access": {"()": "paraat.conf.logging.AccessFormatter", "fmt": kind},
            "server": error_formatter,
        },
        "handlers": {
            "access": {
                "class": "logging.StreamHandler",
                "formatter": "access",
                "stream": "ext://sys.stdout",
            },
            "server": {
                "class": "logging.StreamHandler",
                "formatter": "server",
                "stream": "ext://sys.stderr",
            },
        },
        "root": {"handlers": ["server"], "level": level_name},
        "loggers": {
            "gunicorn.error": {"handlers": ["server"], "level": level_name, "propagate": False},
            "gunicorn.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
        },
    }
