"""Shared test configuration: database access helpers, factories and a real Chromium."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

# Hypothesis keeps its caches in a temporary folder, removed after the run (no files left).
_HYPOTHESIS_DIR = tempfile.mkdtemp(prefix="paraat-hypothesis-")
os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", _HYPOTHESIS_DIR)

import pytest  # noqa: E402
from hypothesis import settings as hypothesis_settings  # noqa: E402

# Hypothesis keeps no example database in the checkout: tests leave no files behind. No
# per-example deadline: speed is measured by the benchmarks, and a loaded CI machine (two cores,
# two workers) must not turn a slow example into a failure.
hypothesis_settings.register_profile("paraat", database=None, deadline=None)
hypothesis_settings.load_profile("paraat")

REPO = Path(__file__).resolve().parent
SHARED_DATA = Path(os.environ.get("PARAAT_SHARED_DATA_DIR", REPO.parent / "shared" / "data"))
CHROMIUM = Path(os.environ.get("PARAAT_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Remove the temporary folders the test run created."""
    shutil.rmtree(_HYPOTHESIS_DIR, ignore_errors=True)
    try:
        from django.conf import settings

        data_dir = Path(settings.DATA_DIR)
    except Exception:
        return
    if data_dir.name.startswith("paraat-test-") and data_dir.exists():
        shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.exists():
        pytest.skip(f"shared data not found at {SHARED_DATA} (set PARAAT_SHARED_DATA_DIR)")
    return SHARED_DATA


@pytest.fixture(scope="session")
def chromium_browser() -> Iterator[object]:
    """A real headless Chromium driven by Playwright (never a downloaded browser)."""
    if not CHROMIUM.exists():
        if os.environ.get("PARAAT_REQUIRE_CHROMIUM") == "1":
            pytest.fail(f"Chromium is required here but {CHROMIUM} does not exist")
        pytest.skip(f"no Chromium at {CHROMIUM}: install Debian's chromium to run browser tests")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
