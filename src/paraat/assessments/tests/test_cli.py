"""``paraat assess FILE``: no database, stdout for text formats, -o for binary, clear errors.

The tests run against a stand-in engine that returns the contract fixture (so they hold while
the engine is written) and, when ``paraat_core.assessment`` is complete, against the real one.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import types
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from paraat.assessments.tests.test_reports import DOCUMENT, RESULT, docx_text, pdf_text

REPO = Path(__file__).resolve().parents[4]
EXAMPLES = REPO / "examples" / "assessments"


@dataclass
class _Problem:
    code: str
    path: str
    message: str


class _FakeError(ValueError):
    def __init__(self, problems: list[_Problem], *, file: str | None = None) -> None:
        self.problems = tuple(problems)
        self.file = file
        super().__init__("problems")


@dataclass
class _Loaded:
    document: dict[str, Any] = field(default_factory=dict)


@pytest.fixture
def fake_engine(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """A stand-in for ``paraat_core.assessment``: load_file reads JSON, analyse returns RESULT."""
    calls: dict[str, Any] = {}
    module = types.ModuleType("paraat_core.assessment")

    def load_file(path: str) -> _Loaded:
        text = Path(path).read_text(encoding="utf-8")
        document = json.loads(text)
        problems = []
        if "title" not in document:
            problems.append(_Problem("required", "$", "'title' is a required property"))
        for i, option in enumerate(document.get("options", [])):
            if "name" not in option:
                problems.append(_Problem("required", f"$.options[{i}]", "'name' is required"))
        if problems:
            raise _FakeError(problems, file=path)
        return _Loaded(document=document)

    def analyse(assessment: _Loaded, **kwargs: Any) -> dict[str, Any]:
        calls["kwargs"] = kwargs
        return json.loads(json.dumps(RESULT))

    module.load_file = load_file  # type: ignore[attr-defined]
    module.analyse = analyse  # type: ignore[attr-defined]
    module.AssessmentError = _FakeError  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "paraat_core.assessment", module)
    return calls


@pytest.fixture
def demo_file(tmp_path: Path) -> Path:
    path = tmp_path / "afweging.json"
    path.write_text(json.dumps(DOCUMENT), encoding="utf-8")
    return path


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("assess", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_json_to_stdout_passes_samples_and_seed(fake_engine, demo_file) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(_run(str(demo_file), "--samples", "500", "--seed", "7"))
    assert fake_engine["kwargs"] == {"samples": 500, "seed": 7}
    assert data["schema"] == "paraat-assessment-result/1"
    assert [o["id"] for o in data["options"]] == ["zero", "close", "masks"]
    for option in data["options"]:
        assert {"id", "name", "rank_acceptability"} <= set(option)


def test_defaults_leave_samples_and_seed_to_the_engine(fake_engine, demo_file) -> None:  # type: ignore[no-untyped-def]
    _run(str(demo_file))
    assert fake_engine["kwargs"] == {}


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_text_formats_go_to_stdout(fake_engine, demo_file, fmt) -> None:  # type: ignore[no-untyped-def]
    text = _run(str(demo_file), "--format", fmt)
    assert "Demo-afweging scholen" in text
    assert "Onder elke aannemelijke weging belast Mondkapjes" in text


def test_pdf_and_docx_need_an_output_file(fake_engine, demo_file, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError, match="-o"):
        _run(str(demo_file), "--format", "pdf")
    pdf = tmp_path / "rapport.pdf"
    _run(str(demo_file), "--format", "pdf", "-o", str(pdf))
    assert "Impactladder" in pdf_text(pdf.read_bytes())
    word = tmp_path / "rapport.docx"
    _run(str(demo_file), "--format", "docx", "--output", str(word))
    assert "Synthetisch" in docx_text(word.read_bytes())


def test_bad_file_names_the_file_and_every_json_path(fake_engine, tmp_path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "kapot.json"
    bad.write_text(json.dumps({"options": [{"id": "a"}, {"id": "b"}]}), encoding="utf-8")
    with pytest.raises(CommandError) as info:
        _run(str(bad))
    message = str(info.value)
    assert str(bad) in message
    assert "3 fouten" in message
    assert "$.options[0]" in message and "$.options[1]" in message and "'title'" in message


@pytest.mark.parametrize("args", [["--samples", "0"], ["--samples", "x"], ["--seed", "-1"]])
def test_bad_numbers_are_refused(fake_engine, demo_file, args) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError):
        _run(str(demo_file), *args)


def test_unwritable_output_is_a_clear_error(fake_engine, demo_file, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError, match="kan niet schrijven"):
        _run(str(demo_file), "--format", "md", "-o", str(tmp_path / "geen" / "map" / "x.md"))


# --- the real engine, as a subprocess (exit code, no traceback) --------------------------------


def _engine_ready() -> bool:
    try:
        import paraat_core.assessment as engine
    except ImportError:
        return False
    return hasattr(engine, "analyse") and hasattr(engine, "load_file")


needs_engine = pytest.mark.skipif(not _engine_ready(), reason="paraat_core.assessment not ready")


def _paraat(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "paraat.conf.test"}
    return subprocess.run(
        [sys.executable, "-m", "paraat.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=300,
        check=False,
    )


@needs_engine
def test_real_engine_bad_file_exits_non_zero_without_traceback(tmp_path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "kapot.json"
    bad.write_text(json.dumps({"schema": "paraat-assessment/1", "options": 3}), encoding="utf-8")
    done = _paraat("assess", str(bad), cwd=tmp_path)
    assert done.returncode != 0
    assert str(bad) in done.stderr
    assert "Traceback" not in done.stderr
    assert "options: must be a list" in done.stderr  # the JSON path of the problem
    syntax = tmp_path / "syntax.json"
    syntax.write_text("{", encoding="utf-8")
    done = _paraat("assess", str(syntax), cwd=tmp_path)
    assert done.returncode != 0 and "Traceback" not in done.stderr and "line 1" in done.stderr


@needs_engine
def test_real_engine_on_the_examples(tmp_path) -> None:  # type: ignore[no-untyped-def]
    files = sorted(EXAMPLES.glob("*.json"))
    if not files:
        pytest.skip("no example files yet")
    for path in files:
        done = _paraat("assess", str(path), "--samples", "300", "--seed", "1", cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        data = json.loads(done.stdout)
        for option in data["options"]:
            assert abs(sum(option["rank_acceptability"]) - 1) < 1e-5
        out = tmp_path / "r.pdf"
        done = _paraat(
            "assess", str(path), "--samples", "300", "--format", "pdf", "-o", str(out), cwd=tmp_path
        )
        assert done.returncode == 0, done.stderr
        assert "Impactladder" in pdf_text(out.read_bytes())


@needs_engine
def test_real_engine_mask_confidential(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = EXAMPLES / "school-closure-synthetic.json"
    if not path.exists():
        pytest.skip("example not there yet")
    secret = "Niet-openbare modeluitkomsten"
    args = ["assess", str(path), "--samples", "200", "--seed", "1", "--format", "md"]
    done = _paraat(*args, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert secret in done.stdout  # the file's owner sees everything
    done = _paraat(*args, "--mask-confidential", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert secret not in done.stdout
    assert "vertrouwelijk (niet zichtbaar voor u)" in done.stdout
