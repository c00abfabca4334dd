"""The scheduled refresh: every source on its own, failure notices, signals and indices after."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command

from paraat.accounts import roles
from paraat.accounts.services import roles_sync
from paraat.accounts.tests.factories import UserFactory
from paraat.indicators.models import Signal
from paraat.indicators.refresh import indicators_refresh_start, refresh_run, refresh_tables
from paraat.indicators.services import cbs_table_import, signal_rule_create
from paraat.indicators.tests.factories import IndicatorFactory
from paraat.jobs.models import Job, JobStatus

pytestmark = pytest.mark.django_db


def test_one_failing_source_is_a_notice_and_the_rest_still_refreshes(shared_data: Path) -> None:
    roles_sync()
    admin = UserFactory(roles=[roles.ADMIN])
    IndicatorFactory(
        key="wmo",
        source="CBS",
        source_table="83262NED",
        source_topic="WmoClienten_1",
        frequency="half_year",
        threshold_warning=1.0,
        threshold_alert=None,
        polarity="higher_worse",
    )
    IndicatorFactory(key="weg", source="CBS", source_table="99999NED")
    signal_rule_create(indicator=IndicatorFactory(key="wmo"), kind="threshold")
    assert refresh_tables() == ["83262NED", "99999NED"]

    def refresher(*, table: str, user=None):  # type: ignore[no-untyped-def]
        if table == "99999NED":
            raise ConnectionError("StatLine niet bereikbaar")
        return cbs_table_import(directory=shared_data / "cbs-odata-samples" / table)

    steps: list[tuple[int, int, str]] = []
    mail.outbox.clear()
    result = refresh_run(progress=lambda *step: steps.append(step), refresher=refresher)
    assert [t["table"] for t in result["tables"]] == ["83262NED"]
    assert result["failures"] == [
        {"source": "StatLine 99999NED", "error": "StatLine niet bereikbaar"}
    ]
    assert result["signals"] == Signal.objects.count() > 0
    assert steps[-1][0] == steps[-1][1]  # progress ends at 100 %
    [notice] = mail.outbox
    assert notice.to == [admin.email] and "99999NED" in notice.body


def test_background_refresh_is_a_job(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = indicators_refresh_start(user=None)
    assert job.status == JobStatus.QUEUED and len(callbacks) == 1
    assert Job.objects.filter(kind="indicators_refresh").count() == 1


def test_cli_signals_and_composite(shared_data: Path) -> None:
    cbs_table_import(directory=shared_data / "cbs-odata-samples" / "83262NED")
    from paraat.indicators.models import Indicator
    from paraat.indicators.services import composite_index_save

    Indicator.objects.filter(key="cbs-83262ned-wmoclienten_1").update(polarity="higher_worse")
    composite_index_save(
        key="wmo-index",
        name_nl="Wmo-index",
        start_period="2015HJ01",
        frequency="half_year",
        members=[("cbs-83262ned-wmoclienten_1", 1.0)],
    )
    out = io.StringIO()
    call_command("indicators", "composite", "wmo-index", "--draws", "50", stdout=out)
    assert "wmo-index 20" in out.getvalue() and "5–95 %" in out.getvalue()
    call_command("indicators", "signals", stdout=io.StringIO())
