"""Importing Statistics Netherlands StatLine tables (OData v3 export layout)."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paraat.indicators.cbs import CbsFormatError, read_table
from paraat.indicators.models import ImportBatch, Indicator, Observation
from paraat.indicators.selectors import observation_series
from paraat.indicators.services import cbs_table_import
from paraat.indicators.tests.factories import IndicatorFactory

pytestmark = pytest.mark.django_db

# Numeric cells per sample table, counted independently of the importer (every topic column of
# data.csv whose trimmed text is a number; CBS writes "." for unknown figures), and the topics
# with at least one figure (82602NED has 213 topics, 29 of them without a figure in this export).
SAMPLES = {
    "70076ned": {"topics": 7, "observations": 7376},
    "82602NED": {"topics": 184, "observations": 10010},
    "83262NED": {"topics": 2, "observations": 110},
}


def _copy(shared_data: Path, table: str, tmp_path: Path) -> Path:
    target = tmp_path / table
    shutil.copytree(shared_data / "cbs-odata-samples" / table, target)
    for path in target.iterdir():
        path.chmod(0o644)
    target.chmod(0o755)
    return target


def _rewrite(path: Path, change) -> None:  # type: ignore[no-untyped-def]
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    change(rows)
    buffer = io.StringIO()
    csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


@pytest.mark.parametrize("table", sorted(SAMPLES))
def test_each_sample_table_imports_every_numeric_cell(shared_data: Path, table: str) -> None:
    report = cbs_table_import(directory=shared_data / "cbs-odata-samples" / table)
    expected = SAMPLES[table]
    assert report.source == table
    assert report.counts.added == expected["observations"]
    assert report.counts.revised == 0
    assert report.rejected == []
    assert len(report.indicators) == expected["topics"]
    assert len(report.indicators) + len(report.empty_topics) == len(
        read_table(shared_data / "cbs-odata-samples" / table).topics
    )
    assert Observation.objects.count() == expected["observations"]
    assert ImportBatch.objects.get().report["added"] == expected["observations"]


def test_metadata_gives_names_units_periods_status_and_labels(shared_data: Path) -> None:
    cbs_table_import(directory=shared_data / "cbs-odata-samples" / "70076ned")
    index = Indicator.objects.get(key="cbs-70076ned-indexcijfers2000100_3")
    assert index.unit == "2000=100"
    assert index.name_nl == "Volume › Indexcijfers (2000 = 100)"
    assert index.source_table == "70076ned"
    assert index.confidentiality == "public"
    assert index.frequency == "month"  # the finest frequency in a table of months, quarters, years
    labels = index.breakdowns["GoederenEnDiensten"]
    assert labels["title"] == "Goederen en diensten"
    assert labels["values"]["8000"] == "Consumptie binnenland"
    december = Observation.objects.get(
        indicator=index, period_code="2017MM12", breakdown="GoederenEnDiensten=2005"
    )
    assert december.value == 131.9
    assert december.frequency == "month"
    assert str(december.period_start) == "2017-12-01"
    assert str(december.period_end) == "2017-12-31"
    statuses = set(Observation.objects.values_list("status", flat=True))
    assert statuses == {"final", "provisional", "revised_provisional"}
    year = Observation.objects.filter(indicator=index, period_code="2016JJ00").first()
    assert year is not None and year.frequency == "year"
    assert str(year.vintage.date()) == "2018-02-21"  # TableInfos.Modified is the vintage


def test_half_years_regions_and_a_headline_series(shared_data: Path) -> None:
    cbs_table_import(directory=shared_data / "cbs-odata-samples" / "83262NED")
    clients = Indicator.objects.get(key="cbs-83262ned-wmoclienten_1")
    assert clients.headline_breakdown == (
        "Geslacht=T001038;KenmerkenVanPersonen=T009002;TypeMaatwerkarrangement=T001024;RegioS=NL01"
    )
    series = observation_series(indicator=clients)
    assert series  # the national total over the half-years
    assert {p.month for p in series} <= {1, 7}
    assert "GM0518" in clients.breakdowns["RegioS"]["values"]


def test_a_configured_indicator_receives_its_table_topic(shared_data: Path) -> None:
    configured = IndicatorFactory(
        key="consumptie-volume",
        source_table="70076NED",
        source_topic="Volumemutaties_1",
        headline_breakdown="GoederenEnDiensten=8000",
    )
    report = cbs_table_import(directory=shared_data / "cbs-odata-samples" / "70076ned")
    assert "consumptie-volume" in report.indicators
    assert configured.observations.exists()
    assert not Indicator.objects.filter(key="cbs-70076ned-volumemutaties_1").exists()


def test_reimport_is_unchanged_and_a_revision_never_overwrites(
    shared_data: Path, tmp_path: Path
) -> None:
    table = _copy(shared_data, "83262NED", tmp_path)
    first = cbs_table_import(directory=table)
    again = cbs_table_import(directory=table)
    assert again.counts.added == again.counts.revised == 0
    assert again.counts.unchanged == first.counts.added

    def revise(rows: list[list[str]]) -> None:
        header = rows[0]
        column = header.index("WmoClienten_1")
        for row in rows[1:]:
            if row[column].strip():
                row[column] = str(float(row[column]) + 1)
                break

    _rewrite(table / "data.csv", revise)
    _rewrite(
        table / "TableInfos.csv",
        lambda rows: rows[1].__setitem__(rows[0].index("Modified"), "2021-01-15T02:00:00"),
    )
    third = cbs_table_import(directory=table)
    assert third.counts.revised == 1 and third.counts.added == 0
    revised = Observation.objects.filter(batch_id=third.batch_id).get()
    history = Observation.objects.filter(
        indicator=revised.indicator,
        period_code=revised.period_code,
        breakdown=revised.breakdown,
    ).order_by("vintage")
    values = [o.value for o in history]
    assert values[1] == values[0] + 1
    assert str(history[1].vintage.date()) == "2021-01-15"


def test_a_cell_that_is_no_number_is_rejected_alone(shared_data: Path, tmp_path: Path) -> None:
    table = _copy(shared_data, "83262NED", tmp_path)

    def corrupt(rows: list[list[str]]) -> None:
        column = rows[0].index("WmoClienten_1")
        filled = next(i for i, row in enumerate(rows) if i and row[column].strip())
        rows[filled][column] = "twaalf"

    _rewrite(table / "data.csv", corrupt)
    report = cbs_table_import(directory=table)
    assert report.counts.added == SAMPLES["83262NED"]["observations"] - 1
    [rejection] = report.rejected
    assert rejection["file"] == "data.csv"
    assert rejection["field"] == "WmoClienten_1"
    assert "twaalf" in rejection["reason"]


def test_a_period_code_paraat_cannot_read_rejects_its_rows_only(
    shared_data: Path, tmp_path: Path
) -> None:
    """2015HJ02 renamed to a code that is no period: its rows are rejected, the rest imported."""
    table = _copy(shared_data, "83262NED", tmp_path)

    def rename(rows: list[list[str]]) -> None:
        for row in rows:
            if row[0] == "2015HJ02":
                row[0] = "2015HJ07"

    _rewrite(table / "Perioden.csv", rename)
    _rewrite(
        table / "data.csv",
        lambda rows: [r.__setitem__(5, "2015HJ07") for r in rows[1:] if r[5] == "2015HJ02"],
    )
    report = cbs_table_import(directory=table)
    assert report.rejected
    assert all(r["field"] == "Perioden" for r in report.rejected)
    assert "2015HJ07" in report.rejected[0]["reason"]
    assert "Perioden.csv, rij 3" in report.rejected[0]["reason"]
    assert report.counts.added > 0
    assert not Observation.objects.filter(period_code="2015HJ07").exists()


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda t: (t / "Perioden.csv").unlink(), "Perioden.csv: bestand ontbreekt"),
        (lambda t: (t / "data.csv").unlink(), "data.csv: bestand ontbreekt in de tabelmap"),
        (
            lambda t: _rewrite(t / "data.csv", lambda rows: rows[5].__setitem__(5, "2015XX99")),
            "data.csv, rij 6, veld 'Perioden': periode '2015XX99' staat niet in Perioden.csv",
        ),
        (
            lambda t: _rewrite(t / "data.csv", lambda rows: rows[3].pop()),
            "data.csv, rij 4",
        ),
        (
            lambda t: _rewrite(t / "Perioden.csv", lambda rows: rows[2].__setitem__(3, "Fout")),
            "Perioden.csv, rij 3, veld 'Status': onbekende status 'fout'",
        ),
        (
            lambda t: _rewrite(t / "data.csv", lambda rows: rows[0].__setitem__(7, "Iets")),
            "data.csv, rij 1, veld 'WmoClientenPer1000Inwoners_2': kolom ontbreekt",
        ),
        (
            lambda t: _rewrite(t / "data.csv", lambda rows: rows[9].__setitem__(4, "GM9999")),
            "data.csv, rij 10, veld 'RegioS': sleutel 'GM9999' staat niet in RegioS.csv",
        ),
    ],
)
def test_a_corrupted_table_is_refused_naming_file_row_and_field(
    shared_data: Path,
    tmp_path: Path,
    damage,
    message: str,  # type: ignore[no-untyped-def]
) -> None:
    table = _copy(shared_data, "83262NED", tmp_path)
    damage(table)
    with pytest.raises(CbsFormatError) as caught:
        cbs_table_import(directory=table)
    assert message in str(caught.value)
    assert not Observation.objects.exists()
    assert not Indicator.objects.exists()
    assert not ImportBatch.objects.exists()


def test_cli_json_last_line(shared_data: Path) -> None:
    out = io.StringIO()
    call_command(
        "indicators",
        "import-cbs",
        str(shared_data / "cbs-odata-samples" / "70076ned"),
        "--json",
        stdout=out,
    )
    last = json.loads(out.getvalue().strip().splitlines()[-1])
    assert last == {"table": "70076ned", "observations": 7376, "rejected": 0}


def test_cli_refuses_a_corrupted_table(shared_data: Path, tmp_path: Path) -> None:
    table = _copy(shared_data, "83262NED", tmp_path)
    (table / "DataProperties.csv").write_text("niet, wat we verwachten\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"DataProperties\.csv.*nothing was imported"):
        call_command("indicators", "import-cbs", str(table), "--json", stdout=io.StringIO())
    assert not Observation.objects.exists()


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    file=st.sampled_from(
        ["data.csv", "Perioden.csv", "DataProperties.csv", "TableInfos.csv", "RegioS.csv"]
    ),
    content=st.binary(max_size=400),
)
def test_fuzzed_files_fail_only_with_a_format_error(
    shared_data: Path, tmp_path_factory: pytest.TempPathFactory, file: str, content: bytes
) -> None:
    table = _copy(shared_data, "83262NED", tmp_path_factory.mktemp("fuzz"))
    (table / file).write_bytes(content)
    try:
        parsed = read_table(table)
        list(parsed.cells())
    except CbsFormatError as error:
        assert str(error)
