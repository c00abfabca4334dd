"""Structured logs (paraat.conf.logging), the request-id middleware and the deploy files."""

from __future__ import annotations

import io
import json
import logging
import logging.config
import os
import re
import runpy
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from paraat.conf import logging as paraat_logging
from paraat.conf.logging import (
    REQUEST_ID,
    AccessFormatter,
    JsonFormatter,
    PlainFormatter,
    build_gunicorn_logging,
    build_logging,
    redact,
)
from paraat.ops.middleware import RequestIdMiddleware

REPO = Path(__file__).resolve().parents[4]


def _record(
    message: str = "hello %s",
    args: Any = ("world",),
    *,
    name: str = "paraat.test",
    level: int = logging.INFO,
    exc_info: Any = None,
    **extra: Any,
) -> logging.LogRecord:
    record = logging.LogRecord(name, level, __file__, 1, message, args, exc_info)
    for key, value in extra.items():
        setattr(record, key, value)
    return record


# --- the JSON formatter ------------------------------------------------------------------------


def test_json_line_has_the_fields() -> None:
    line = JsonFormatter().format(_record())
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "hello world"
    assert entry["level"] == "INFO"
    assert entry["logger"] == "paraat.test"
    assert entry["process"] == os.getpid()
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", entry["time"])
    assert "request_id" not in entry and "exception" not in entry


def test_json_line_stays_one_line_and_keeps_unicode() -> None:
    line = JsonFormatter().format(_record("regel één\nregel twee", None))
    assert "\n" not in line
    assert json.loads(line)["message"] == "regel één\nregel twee"
    assert "één" in line  # not \u-escaped


def test_json_line_carries_the_exception_text() -> None:
    try:
        raise ValueError("kapot")
    except ValueError:
        record = _record("it failed", None, level=logging.ERROR, exc_info=sys.exc_info())
    entry = json.loads(JsonFormatter().format(record))
    assert entry["level"] == "ERROR"
    assert "Traceback" in entry["exception"]
    assert "ValueError: kapot" in entry["exception"]


def test_json_line_keeps_simple_extras_and_drops_objects() -> None:
    entry = json.loads(
        JsonFormatter().format(
            _record(status_code=404, job="import", ratio=0.5, ok=True, request=object())
        )
    )
    assert entry["status_code"] == 404
    assert entry["job"] == "import"
    assert entry["ratio"] == 0.5 and entry["ok"] is True
    assert "request" not in entry


def test_json_line_has_the_request_id_of_the_request_being_served() -> None:
    token = REQUEST_ID.set("abc-123")
    try:
        entry = json.loads(JsonFormatter().format(_record()))
    finally:
        REQUEST_ID.reset(token)
    assert entry["request_id"] == "abc-123"
    assert "request_id" not in json.loads(JsonFormatter().format(_record()))


def test_django_request_messages_lose_the_secret_in_the_path() -> None:
    record = _record("Not Found: %s", ("/adviesproces/input/s3cr3t-t0ken/",), name="django.request")
    assert json.loads(JsonFormatter().format(record))["message"] == (
        "Not Found: /adviesproces/input/[redacted]/"
    )
    plain = PlainFormatter().format(record)
    assert "s3cr3t" not in plain and "[redacted]" in plain
    # Only this line is changed: the record itself still says what happened.
    assert record.getMessage() == "Not Found: /adviesproces/input/s3cr3t-t0ken/"
    # Other loggers' messages are left alone.
    other = _record("see /input/abc/", None, name="paraat.measures")
    assert json.loads(JsonFormatter().format(other))["message"] == "see /input/abc/"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/adviesproces/input/AbC_123-x/", "/adviesproces/input/[redacted]/"),
        ("/burgerpanel/antwoord/tok3n/", "/burgerpanel/antwoord/[redacted]/"),
        (
            "/accounts/wachtwoord-herstellen/MQ/c3n4-abcdef/",
            "/accounts/wachtwoord-herstellen/MQ/[redacted]/",
        ),
        (
            "/accounts/wachtwoord-herstellen/MQ/set-password/",
            "/accounts/wachtwoord-herstellen/MQ/set-password/",
        ),
        ("next=/x&token=abc&page=2", "next=/x&token=[redacted]&page=2"),
        ("/maatschappelijk-beeld/?page=2", "/maatschappelijk-beeld/?page=2"),
    ],
)
def test_redact(text: str, expected: str) -> None:
    assert redact(text) == expected


# --- gunicorn's access lines -------------------------------------------------------------------


def _atoms(**overrides: Any) -> dict[str, Any]:
    atoms: dict[str, Any] = {
        "h": "10.0.0.7",
        "m": "GET",
        "U": "/adviesproces/input/geheim123/",
        "q": "token=geheim456",
        "H": "HTTP/1.1",
        "s": "200",
        "B": 512,
        "D": 12345,
        "f": "https://paraat.example/adviesproces/input/geheim123/",
        "a": 'Mozilla/5.0 \\"quoted\\"',
        "{x-request-id}o": "req-42",
        "{x-forwarded-for}i": "203.0.113.9",
    }
    atoms.update(overrides)
    try:  # the mapping gunicorn really passes, when gunicorn is installed
        from gunicorn.glogging import SafeAtoms

        wrapped = SafeAtoms({})
        dict.update(wrapped, atoms)
        return wrapped
    except ImportError:
        return atoms


def _access_record(atoms: dict[str, Any]) -> logging.LogRecord:
    record = logging.LogRecord("gunicorn.access", logging.INFO, __file__, 1, "%(h)s", (), None)
    record.args = atoms  # as gunicorn's access_log.info(format, atoms) leaves it
    return record


def test_access_line_as_json() -> None:
    entry = json.loads(AccessFormatter("json").format(_access_record(_atoms())))
    assert entry["logger"] == "gunicorn.access"
    assert entry["request_id"] == "req-42"
    http = entry["http"]
    assert http["method"] == "GET"
    assert http["path"] == "/adviesproces/input/[redacted]/"
    assert http["query"] == "token=[redacted]"
    assert http["status"] == 200
    assert http["bytes"] == 512
    assert http["duration_ms"] == 12.345
    assert http["remote_addr"] == "10.0.0.7"
    assert http["forwarded_for"] == "203.0.113.9"
    assert http["referer"] == "https://paraat.example/adviesproces/input/[redacted]/"
    assert http["user_agent"] == 'Mozilla/5.0 "quoted"'
    assert "geheim" not in json.dumps(entry)
    assert entry["message"] == "GET /adviesproces/input/[redacted]/?token=[redacted] 200"


def test_access_line_counts_a_file_sent_with_sendfile() -> None:
    atoms = _atoms(B=0, **{"{content-length}o": "2048"})
    assert json.loads(AccessFormatter("json").format(_access_record(atoms)))["http"]["bytes"] == (
        2048
    )


def test_access_line_plain() -> None:
    line = AccessFormatter("plain").format(_access_record(_atoms()))
    assert line.startswith("10.0.0.7 - - [")
    assert '"GET /adviesproces/input/[redacted]/?token=[redacted] HTTP/1.1" 200 512' in line
    assert line.endswith("12.345ms req-42")
    assert "geheim" not in line


# --- the dict builders -------------------------------------------------------------------------


def test_build_logging_plain_is_the_development_default() -> None:
    config = build_logging()
    handler = config["handlers"]["console"]
    assert handler["formatter"] == "plain"
    assert config["formatters"]["plain"]["()"] == "paraat.conf.logging.PlainFormatter"
    assert config["root"] == {"handlers": ["console"], "level": "INFO"}
    assert config["loggers"]["axes"] == {"level": "WARNING"}
    assert config["loggers"]["weasyprint"] == {"level": "WARNING"}
    assert config["disable_existing_loggers"] is False


def test_build_logging_json_writes_json_lines() -> None:
    config = build_logging("debug", "JSON")
    assert config["root"]["level"] == "DEBUG"
    assert config["formatters"]["json"]["()"] == "paraat.conf.logging.JsonFormatter"
    stream = io.StringIO()
    config["handlers"]["console"]["stream"] = stream
    del config["root"]  # leave the test run's own root logger (level, handlers) alone
    config["loggers"] = {"paraat.test.json": {"handlers": ["console"], "propagate": False}}
    logging.config.dictConfig(config)
    logger = logging.getLogger("paraat.test.json")
    logger.warning("één %s", 2)
    entry = json.loads(stream.getvalue().strip())
    assert entry["message"] == "één 2" and entry["level"] == "WARNING"
    logger.handlers.clear()


@pytest.mark.parametrize(("level", "fmt"), [("LOUD", "plain"), ("INFO", "xml")])
def test_build_logging_refuses_unknown_values(level: str, fmt: str) -> None:
    with pytest.raises(ValueError, match="PARAAT_LOG_"):
        build_logging(level, fmt)


def test_gunicorn_logging_keeps_access_and_server_lines_apart() -> None:
    config = build_gunicorn_logging("INFO", "json")
    assert config["handlers"]["access"]["stream"] == "ext://sys.stdout"
    assert config["handlers"]["server"]["stream"] == "ext://sys.stderr"
    assert config["formatters"]["access"] == {
        "()": "paraat.conf.logging.AccessFormatter",
        "fmt": "json",
    }
    for name in ("gunicorn.access", "gunicorn.error"):
        assert config["loggers"][name]["propagate"] is False


def test_settings_build_logging_from_the_environment(tmp_path: Path) -> None:
    """A real ``paraat`` process with PARAAT_LOG_FORMAT=json writes JSON lines."""
    if not (REPO / ".venv" / "bin" / "paraat").exists():
        pytest.skip("no .venv/bin/paraat")
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE"}}
    env.update(
        DJANGO_SETTINGS_MODULE="paraat.conf.settings",
        PARAAT_DATA_DIR=str(tmp_path),
        PARAAT_SECRET_KEY="logging-test-only",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        PARAAT_LOG_FORMAT="json",
        PARAAT_LOG_LEVEL="INFO",
    )
    code = "import logging; logging.getLogger('paraat.probe').warning('probe %s', 7)"
    done = subprocess.run(
        [str(REPO / ".venv" / "bin" / "paraat"), "shell", "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stderr.splitlines() if line.startswith("{")]
    probe = [e for e in lines if e["logger"] == "paraat.probe"]
    assert probe and probe[0]["message"] == "probe 7" and probe[0]["level"] == "WARNING"


def test_this_run_uses_build_logging(settings: Any) -> None:
    configured = settings.LOGGING
    expected = build_logging(
        os.environ.get("PARAAT_LOG_LEVEL", "INFO"), os.environ.get("PARAAT_LOG_FORMAT", "plain")
    )
    assert configured == expected


# --- the request-id middleware -----------------------------------------------------------------


def _serve(request: HttpRequest, seen: dict[str, Any]) -> HttpResponse:
    def view(req: HttpRequest) -> HttpResponse:
        seen["context"] = REQUEST_ID.get()
        seen["attribute"] = req.request_id  # type: ignore[attr-defined]
        stream = io.StringIO()
        handler = logging.StreamHandler(stream)
        handler.setFormatter(JsonFormatter())
        logger = logging.getLogger("paraat.test.request")
        logger.addHandler(handler)
        logger.propagate = False
        try:
            logger.warning("inside")
        finally:
            logger.removeHandler(handler)
            logger.propagate = True
        seen["line"] = json.loads(stream.getvalue())
        return HttpResponse("ok")

    return RequestIdMiddleware(view)(request)  # type: ignore[return-value]


def test_middleware_keeps_a_plain_id_from_the_proxy() -> None:
    seen: dict[str, Any] = {}
    response = _serve(RequestFactory().get("/", HTTP_X_REQUEST_ID="proxy-id.42_x"), seen)
    assert response["X-Request-ID"] == "proxy-id.42_x"
    assert seen["context"] == seen["attribute"] == "proxy-id.42_x"
    assert seen["line"]["request_id"] == "proxy-id.42_x"
    assert REQUEST_ID.get() is None  # reset after the request


@pytest.mark.parametrize("incoming", ["", "evil\nline", "x" * 65, '"quoted"', "a b"])
def test_middleware_makes_up_an_id_for_anything_else(incoming: str) -> None:
    seen: dict[str, Any] = {}
    response = _serve(RequestFactory().get("/", HTTP_X_REQUEST_ID=incoming), seen)
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])
    assert seen["context"] == response["X-Request-ID"]


def test_middleware_resets_the_id_when_the_view_raises() -> None:
    def broken(request: HttpRequest) -> HttpResponse:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        RequestIdMiddleware(broken)(RequestFactory().get("/"))
    assert REQUEST_ID.get() is None


# --- gunicorn's configuration file -------------------------------------------------------------


def _gunicorn_conf(monkeypatch: pytest.MonkeyPatch, **env: str) -> dict[str, Any]:
    for name in list(os.environ):
        if name.startswith(("PARAAT_WEB_", "PARAAT_BIND", "PARAAT_FORWARDED")) or name in {
            "PORT",
            "WEB_CONCURRENCY",
        }:
            monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(REPO / "deploy" / "gunicorn.conf.py"))


def test_gunicorn_conf_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    conf = _gunicorn_conf(monkeypatch)
    assert conf["bind"] == ["127.0.0.1:8000"]
    assert conf["workers"] == min(2 * (os.cpu_count() or 1) + 1, 9)
    assert conf["threads"] == 1
    assert conf["timeout"] == 60 and conf["graceful_timeout"] == 30
    assert conf["forwarded_allow_ips"] == "127.0.0.1,::1"
    assert conf["accesslog"] == "-"
    assert conf["control_socket_disable"] is True
    assert conf["preload_app"] is False
    assert conf["wsgi_app"] == "paraat.wsgi:application"


def test_gunicorn_conf_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    conf = _gunicorn_conf(
        monkeypatch,
        PARAAT_BIND="0.0.0.0:9000, unix:/run/paraat/web.sock",
        PARAAT_WEB_WORKERS="3",
        PARAAT_WEB_THREADS="4",
        PARAAT_WEB_TIMEOUT="120",
        PARAAT_WEB_GRACEFUL_TIMEOUT="10",
        PARAAT_FORWARDED_ALLOW_IPS="10.0.0.0/8",
        PARAAT_WEB_ACCESS_LOG="off",
        PARAAT_LOG_FORMAT="json",
    )
    assert conf["bind"] == ["0.0.0.0:9000", "unix:/run/paraat/web.sock"]
    assert (conf["workers"], conf["threads"], conf["timeout"]) == (3, 4, 120)
    assert conf["graceful_timeout"] == 10
    assert conf["forwarded_allow_ips"] == conf["proxy_allow_ips"] == "10.0.0.0/8"
    assert conf["accesslog"] is None
    assert conf["logconfig_dict"]["formatters"]["server"]["()"].endswith("JsonFormatter")
    assert conf["logconfig_dict"]["loggers"]["gunicorn.access"]["level"] == "CRITICAL"


def test_gunicorn_conf_follows_a_platform_port(monkeypatch: pytest.MonkeyPatch) -> None:
    conf = _gunicorn_conf(monkeypatch, PORT="5123", WEB_CONCURRENCY="2")
    assert conf["bind"] == ["0.0.0.0:5123"]
    assert conf["workers"] == 2


def test_gunicorn_accepts_every_value_of_the_conf(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("gunicorn", reason="gunicorn is not installed (pip install -e .)")
    from gunicorn.config import Config

    conf = _gunicorn_conf(monkeypatch, PARAAT_WEB_WORKERS="3", PARAAT_LOG_FORMAT="json")
    config = Config()
    names = [n for n in conf if not n.startswith("_") and n in config.settings]
    assert {"bind", "workers", "timeout", "graceful_timeout", "forwarded_allow_ips"} <= set(names)
    for name in names:
        config.set(name, conf[name])  # runs gunicorn's validator of each setting
    assert config.workers == 3
    unknown = {
        n
        for n, v in conf.items()
        if not n.startswith("_") and n not in config.settings and not callable(v)
    }
    assert unknown <= {"annotations", "os", "build_gunicorn_logging"}, unknown


def test_the_module_imports_no_django() -> None:
    source = Path(paraat_logging.__file__).read_text()
    assert not re.search(r"^\s*(from|import) django", source, re.MULTILINE)
