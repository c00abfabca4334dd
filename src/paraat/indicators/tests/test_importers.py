"""The other importers: generic CSV, coronadashboard, SDMX and a live StatLine refresh.

Recorded responses (``recorded/``), made offline from the shared data:

* ``cbsodata-83262NED/<name>.json``: what ``cbsodata.get_meta("83262NED", <name>)`` returns
  (the OData ``value`` lists), converted from the StatLine export in
  ``cbs-odata-samples/83262NED`` (numbers as JSON numbers, empty cells as null, each metadata
  entity with the fields of its OData type); ``TypedDataSet.json`` is the data set with keys,
  ``index.json`` the table's root listing. ``get_data.json`` is what the real
  ``cbsodata.get_data("83262NED")`` returned when fed those files through a patched
  ``requests`` transport: the dimension keys replaced by their titles. A test below repeats that
  and checks that the recording still matches the library.
* ``coronadashboard-NL.json``: a small file in the layout of the dashboard's ``NL.json``
  (``hospital_nice``, ``intensive_care_nice``, ``sewer`` as described by the JSON schemas in
  github.com/minvws/nl-covid19-data-dashboard), its figures taken from the shared CSV files.
"""

from __future__ import annotations

import contextlib
import copy
import csv
import datetime as dt
import io
import json
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paraat.indicators.importers import (
    CbsLiveError,
    CoronadashboardError,
    CsvImportError,
    CsvMapping,
    SdmxImportError,
    cbs_live_refresh,
    coronadashboard_import,
    csv_import,
    sdmx_import,
)
from paraat.indicators.importers import coronadashboard as dashboard
from paraat.indicators.importers.csvmap import csv_parse, period_parse, value_parse
from paraat.indicators.importers.sdmx import sdmx_period, sdmx_read, sdmx_status
from paraat.indicators.models import ImportBatch, Indicator, Observation
from paraat.indicators.services import cbs_table_import
from paraat.indicators.tests.factories import IndicatorFactory

pytestmark = pytest.mark.django_db

RECORDED = Path(__file__).parent / "recorded"
CBS_RECORDED = RECORDED / "cbsodata-83262NED"
TABLE = "83262NED"


def _nothing_stored() -> None:
    assert not Observation.objects.exists()
    assert not ImportBatch.objects.exists()


def _snapshot() -> set[tuple[Any, ...]]:
    return set(
        Observation.objects.values_list(
            "indicator__key", "period_code", "breakdown", "value", "status", "vintage"
        )
    )


# --- generic CSV with a column mapping ----------------------------------------------------

WMO = "Perioden;Regio;Waarde;Status\n" + "\n".join(
    [
        "2019JJ00;Nederland;1.234,5;",
        "2019JJ00;Utrecht;98,25;",
        "2020HJ01;Nederland;1.302,0;*",
        "2020HJ01;Utrecht;101;**",
        "2020HJ01;Amsterdam;.;*",
    ]
)


def _wmo_mapping(**changes: Any) -> CsvMapping:
    fields: dict[str, Any] = {
        "period_column": "Perioden",
        "value_column": "Waarde",
        "indicator_key": "wmo",
        "period_format": "cbs",
        "breakdown_columns": ["Regio"],
        "status_column": "Status",
        "decimal_comma": True,
    }
    fields.update(changes)
    return CsvMapping(**fields)


def test_csv_semicolons_decimal_comma_cbs_periods_and_status_markings() -> None:
    indicator = IndicatorFactory(key="wmo", frequency="year")
    report = csv_import(data=WMO.encode(), file_name="wmo.csv", mapping=_wmo_mapping())
    assert report.counts.added == 4 and report.rejected == []  # "." is not there: skipped
    assert report.indicators == ["wmo"]
    observations = {
        (o.period_code, o.breakdown): (o.value, o.status, o.frequency)
        for o in Observation.objects.filter(indicator=indicator)
    }
    assert observations == {
        ("2019JJ00", "Regio=Nederland"): (1234.5, "final", "year"),
        ("2019JJ00", "Regio=Utrecht"): (98.25, "final", "year"),
        ("2020HJ01", "Regio=Nederland"): (1302.0, "provisional", "half_year"),
        ("2020HJ01", "Regio=Utrecht"): (101.0, "revised_provisional", "half_year"),
    }
    batch = ImportBatch.objects.get()
    assert batch.source_kind == "csv" and batch.report["added"] == 4
    indicator.refresh_from_db()
    assert set(indicator.breakdowns["Regio"]["values"]) == {"Nederland", "Utrecht"}


def test_csv_indicator_column_iso_periods_and_unknown_indicators_rejected() -> None:
    IndicatorFactory(key="werkloosheid")
    IndicatorFactory(key="vacatures")
    text = (
        "indicator,period,value\n"
        "werkloosheid,2020-03,2.9\n"
        "vacatures,2020-Q1,286000\n"
        "bestaat-niet,2020-03,1\n"
        "werkloosheid,2020-W14,3.1\n"
    )
    mapping = CsvMapping(
        period_column="period",
        value_column="value",
        indicator_column="indicator",
        period_format="iso",
    )
    report = csv_import(data=text.encode(), file_name="mix.csv", mapping=mapping)
    assert report.counts.added == 3
    assert sorted(report.indicators) == ["vacatures", "werkloosheid"]
    assert report.rejected == [
        {
            "file": "mix.csv",
            "row": 4,
            "field": "indicator",
            "reason": "onbekende indicator 'bestaat-niet'",
        }
    ]
    codes = set(Observation.objects.values_list("period_code", "frequency"))
    assert codes == {("2020-03", "month"), ("2020-Q1", "quarter"), ("2020-W14", "week")}


def test_csv_tabs_and_dutch_days() -> None:
    IndicatorFactory(key="opnames", frequency="day")
    text = "datum\taantal\n1-3-2020\t8\n02-03-2020\t10\n2020-03-03\t10\n"
    mapping = CsvMapping(
        period_column="datum", value_column="aantal", indicator_key="opnames", period_format="date"
    )
    report = csv_import(data=text.encode(), file_name="opnames.tsv", mapping=mapping)
    assert report.counts.added == 3
    assert set(Observation.objects.values_list("period_code", flat=True)) == {
        "2020-03-01",
        "2020-03-02",
        "2020-03-03",
    }


def test_csv_bad_rows_are_rejected_one_by_one_naming_row_and_field() -> None:
    IndicatorFactory(key="wmo")
    text = "\n".join(
        [
            "Perioden;Regio;Waarde;Status",
            "2019JJ00;Nederland;12;",
            "2019XX00;Nederland;13;",  # 3: no period
            "2019JJ00;Utrecht;twaalf;",  # 4: no number
            "2019JJ00;Zeist;3,5;?",  # 5: unknown status
            "2019JJ00;Nederland;14;",  # 6: a second figure for row 2's period
            "2019JJ00;Leiden",  # 7: too few columns
            "2019-03;Leiden;4;",  # 8: an ISO period where CBS codes are mapped
            "2019JJ00;Leiden;1.5;",  # 9: a point where a decimal comma is expected
            "2019JJ00;Gouda;7;*",
        ]
    )
    report = csv_import(data=text.encode(), file_name="wmo.csv", mapping=_wmo_mapping())
    assert report.counts.added == 2
    rejected = [(r["file"], r["row"], r["field"]) for r in report.rejected]
    assert rejected == [
        ("wmo.csv", 3, "Perioden"),
        ("wmo.csv", 4, "Waarde"),
        ("wmo.csv", 5, "Status"),
        ("wmo.csv", 6, "Waarde"),
        ("wmo.csv", 7, ""),
        ("wmo.csv", 8, "Perioden"),
        ("wmo.csv", 9, "Waarde"),
    ]
    reasons = [r["reason"] for r in report.rejected]
    assert "twaalf" in reasons[1]
    assert "staat al op rij 2" in reasons[3]
    assert "geen CBS-periodecode" in reasons[5]
    assert ImportBatch.objects.get().report["rejected"][0]["row"] == 3


@pytest.mark.parametrize(
    ("data", "mapping", "message"),
    [
        (
            b"Perioden;Regio;Getal;Status\n2019JJ00;NL;1;\n",
            _wmo_mapping(),
            "wmo.csv, rij 1, veld 'Waarde': kolom ontbreekt in de kop",
        ),
        (
            "Perioden;Regio;Waarde;Status\n2019JJ00;Zuidwest-Friesland;1;\n".encode("utf-16"),
            _wmo_mapping(),
            "wmo.csv: geen UTF-8-tekst",
        ),
        (
            "Perioden;Regio;Waarde;Status\n2019JJ00;Súdwest-Fryslân;1;\n".encode("latin-1"),
            _wmo_mapping(),
            "wmo.csv: geen UTF-8-tekst",
        ),
        (b"   \n", _wmo_mapping(), "wmo.csv: leeg bestand"),
        (
            b'Perioden;Regio;Waarde;Status\n2019JJ00;"' + b"x" * 200_000 + b'";1;\n',
            _wmo_mapping(),
            "wmo.csv: geen geldige CSV (field larger than field limit",
        ),
        (
            WMO.encode(),
            _wmo_mapping(indicator_key="onbekend"),
            "wmo.csv, veld 'indicator_key': indicator 'onbekend' bestaat niet",
        ),
        (
            b"Perioden;Waarde;Waarde;Regio;Status\n",
            _wmo_mapping(),
            "wmo.csv, rij 1, veld 'Waarde': kolom staat meer dan één keer in de kop",
        ),
    ],
)
def test_csv_a_file_that_does_not_read_is_refused_whole(
    data: bytes, mapping: CsvMapping, message: str
) -> None:
    IndicatorFactory(key="wmo")
    with pytest.raises(CsvImportError) as caught:
        csv_import(data=data, file_name="wmo.csv", mapping=mapping)
    assert message in str(caught.value)
    assert caught.value.file == "wmo.csv"
    _nothing_stored()


def test_csv_a_revised_figure_is_appended_and_an_identical_one_is_not() -> None:
    indicator = IndicatorFactory(key="wmo")
    first = dt.datetime(2020, 9, 1, tzinfo=dt.UTC)
    csv_import(data=WMO.encode(), file_name="wmo.csv", mapping=_wmo_mapping(), vintage=first)
    again = csv_import(
        data=WMO.encode(), file_name="wmo.csv", mapping=_wmo_mapping(), vintage=first
    )
    assert (again.counts.added, again.counts.revised, again.counts.unchanged) == (0, 0, 4)
    revised_text = WMO.replace("2020HJ01;Nederland;1.302,0;*", "2020HJ01;Nederland;1.310,0;")
    later = dt.datetime(2021, 3, 1, tzinfo=dt.UTC)
    third = csv_import(
        data=revised_text.encode(), file_name="wmo.csv", mapping=_wmo_mapping(), vintage=later
    )
    assert (third.counts.added, third.counts.revised, third.counts.unchanged) == (0, 1, 3)
    history = Observation.objects.filter(
        indicator=indicator, period_code="2020HJ01", breakdown="Regio=Nederland"
    ).order_by("vintage")
    assert [(o.value, o.status, o.vintage) for o in history] == [
        (1302.0, "provisional", first),
        (1310.0, "final", later),
    ]


def test_csv_mapping_is_checked() -> None:
    with pytest.raises(ValueError, match="indicator_key óf indicator_column"):
        CsvMapping(period_column="p", value_column="v")
    with pytest.raises(ValueError, match="period_format"):
        CsvMapping(period_column="p", value_column="v", indicator_key="x", period_format="us")
    with pytest.raises(ValueError, match="status_map"):
        CsvMapping(period_column="p", value_column="v", indicator_key="x", status_map={"*": "?"})


def test_csv_value_and_period_readers() -> None:
    assert value_parse(" 1.234.567,8 ", decimal_comma=True) == 1234567.8
    assert value_parse("-", decimal_comma=False) == 0.0
    assert value_parse("NaN", decimal_comma=False) is None
    assert value_parse("-2.5e3", decimal_comma=False) == -2500.0
    for bad in ("1,5", "inf", "1_000", "0x10"):
        with pytest.raises(ValueError):
            value_parse(bad, decimal_comma=False)
    assert period_parse("2020MM04", "auto").code == "2020MM04"
    assert period_parse("31-12-2020", "auto").code == "2020-12-31"


CSV_CELLS = st.text(alphabet=st.sampled_from(list('0123456789,;.\t"*-JJMKWQ: xé\n\r')), max_size=30)


@settings(max_examples=150, deadline=None)
@given(
    content=st.one_of(
        st.binary(max_size=300),
        st.lists(CSV_CELLS, max_size=12).map(lambda cells: "\n".join(cells).encode()),
        st.lists(CSV_CELLS, max_size=12).map(
            lambda cells: ("Perioden;Regio;Waarde;Status\n" + ";".join(cells)).encode()
        ),
    ),
    decimal_comma=st.booleans(),
    period_format=st.sampled_from(["auto", "cbs", "iso", "date"]),
)
def test_fuzzed_csv_fails_only_with_a_csv_import_error(
    content: bytes, decimal_comma: bool, period_format: str
) -> None:
    mapping = _wmo_mapping(decimal_comma=decimal_comma, period_format=period_format)
    try:
        parsed = csv_parse(data=content, file_name="fuzz.csv", mapping=mapping)
    except CsvImportError as error:
        assert str(error).startswith("fuzz.csv")
        return
    for row in parsed.rows:
        assert row.observation.value is not None
    for rejection in parsed.rejected:
        assert rejection.file == "fuzz.csv" and rejection.row >= 2


@settings(max_examples=80, deadline=None)
@given(
    figures=st.dictionaries(
        st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)),
        st.floats(min_value=-1e9, max_value=1e9, allow_nan=False).map(lambda x: round(x, 3)),
        max_size=20,
    ),
    delimiter=st.sampled_from([",", ";", "\t"]),
    decimal_comma=st.booleans(),
)
def test_csv_reads_back_what_was_written(
    figures: dict[dt.date, float], delimiter: str, decimal_comma: bool
) -> None:
    if decimal_comma and delimiter == ",":
        delimiter = ";"
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(["datum", "waarde"])
    for day, value in figures.items():
        text = repr(value)
        writer.writerow([day.isoformat(), text.replace(".", ",") if decimal_comma else text])
    mapping = CsvMapping(
        period_column="datum",
        value_column="waarde",
        indicator_key="x",
        decimal_comma=decimal_comma,
    )
    parsed = csv_parse(data=buffer.getvalue().encode(), file_name="f.csv", mapping=mapping)
    assert parsed.rejected == []
    assert {r.observation.period.start: r.observation.value for r in parsed.rows} == figures


# --- coronadashboard ----------------------------------------------------------------------


def _expected_cells(folder: Path) -> dict[str, int]:
    """Non-empty cells per indicator in the shared CSV files, counted independently."""
    counts: dict[str, int] = {}
    for name in ("nl_hospital_admissions_nice.csv", "nl_sewer_rna_daily.csv"):
        with (folder / name).open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                for column, text in row.items():
                    if column != "date" and text.strip():
                        key = dashboard.COLUMNS[column]
                        counts[key] = counts.get(key, 0) + 1
    return counts


def test_coronadashboard_shared_csv_files(shared_data: Path) -> None:
    folder = shared_data / "coronadashboard"
    report = coronadashboard_import(path=folder)
    expected = _expected_cells(folder)
    assert sorted(report.indicators) == sorted(dashboard.INDICATORS)
    assert report.counts.added == sum(expected.values())
    assert report.rejected == []
    for key, count in expected.items():
        assert Observation.objects.filter(indicator__key=key).count() == count
    day = {
        o.indicator.key: o.value
        for o in Observation.objects.filter(period_code="2020-03-16").select_related("indicator")
    }
    assert day == {
        "nice-hospital-admissions": 168.0,
        "nice-hospital-admissions-7d": 81.4,
        "nice-ic-admissions": 33.0,
        "nice-ic-admissions-7d": 19.6,
    }
    sewage = Indicator.objects.get(key="sewage-rna-per-100k")
    assert sewage.frequency == "day" and sewage.confidentiality == "public"
    assert "RIVM" in sewage.source and sewage.licence.startswith("Publiek domein")
    assert Observation.objects.get(indicator=sewage, period_code="2020-09-07").value == 99.0
    assert ImportBatch.objects.get().source_kind == "coronadashboard"
    again = coronadashboard_import(path=folder / "nl_sewer_rna_daily.csv")
    assert (again.counts.added, again.counts.revised) == (0, 0)
    assert again.counts.unchanged == expected["sewage-rna-per-100k"]


def test_coronadashboard_keys_are_those_of_the_demo_and_the_timeline() -> None:
    from paraat.measures.timeline import HOSPITAL_KEYS
    from paraat.web import demo

    assert set(HOSPITAL_KEYS.values()) <= set(dashboard.INDICATORS)
    # The demo's own column map, while it has one (it is to call coronadashboard_import).
    for key, (column, *_names) in getattr(demo, "NICE", {}).items():
        assert dashboard.COLUMNS[column] == key


def test_coronadashboard_keeps_an_existing_indicator(shared_data: Path, tmp_path: Path) -> None:
    existing = IndicatorFactory(key="nice-hospital-admissions", name_nl="Zoals de demo")
    path = tmp_path / "nl_hospital_admissions_nice.csv"
    shutil.copyfile(shared_data / "coronadashboard" / path.name, path)
    coronadashboard_import(path=path)
    existing.refresh_from_db()
    assert existing.name_nl == "Zoals de demo"
    assert existing.observations.count() == 1477


def test_coronadashboard_json_layout_matches_the_csv(shared_data: Path) -> None:
    report = coronadashboard_import(path=RECORDED / "coronadashboard-NL.json")
    assert report.rejected == []
    # 10 days of admissions (the 7-day means of the last two days not yet known) and 7 of sewage
    assert report.counts.added == 2 * (10 + 8) + 7
    from_json = {
        (o.indicator.key, o.period_code): o.value
        for o in Observation.objects.select_related("indicator")
    }
    vintages = set(Observation.objects.values_list("vintage", flat=True))
    assert vintages == {dt.datetime(2020, 9, 14, 13, 20, tzinfo=dt.UTC)}  # last_generated
    Observation.objects.all().delete()
    coronadashboard_import(path=shared_data / "coronadashboard")
    from_csv = {
        (o.indicator.key, o.period_code): o.value
        for o in Observation.objects.select_related("indicator")
    }
    assert from_json.items() <= from_csv.items()
    assert ("nice-ic-admissions-7d", "2020-03-13") not in from_json


def test_coronadashboard_bad_rows_are_rejected_alone(tmp_path: Path) -> None:
    path = tmp_path / "nl_hospital_admissions_nice.csv"
    path.write_text(
        "date,hospital_admissions,hospital_admissions_7d_avg,ic_admissions,ic_admissions_7d_avg\n"
        "2020-03-01,8,,1,\n"
        "2020-03-32,10,,0,\n"
        "2020-03-03,tien,,2,\n"
        "2020-03-01,9,,1,\n",
        encoding="utf-8",
    )
    report = coronadashboard_import(path=path)
    assert report.counts.added == 3
    assert [(r["row"], r["field"]) for r in report.rejected] == [
        (3, "date"),
        (4, "hospital_admissions"),
        (5, "hospital_admissions"),
        (5, "ic_admissions"),
    ]
    assert "staat al op rij 2" in report.rejected[2]["reason"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "nl_sewer_rna_daily.csv",
            b"datum,rna_per_100k_average\n2020-09-07,99\n",
            "nl_sewer_rna_daily.csv, rij 1, veld 'date': kolom ontbreekt in de kop",
        ),
        (
            "nl_sewer_rna_daily.csv",
            b"date,rna\n2020-09-07,99\n",
            "nl_sewer_rna_daily.csv, rij 1: geen bekende kolom in de kop",
        ),
        (
            "nl_sewer_rna_daily.csv",
            "date,rna_per_100k_average\n2020-09-07,9½\n".encode("cp1252"),
            "nl_sewer_rna_daily.csv: geen UTF-8-tekst",
        ),
        ("NL.json", b'{"hospital_nice": {"values": [', "NL.json: geen geldige JSON"),
        ("NL.json", b'{"reproduction": {"values": []}}', "NL.json: geen bekende onderdelen"),
        (
            "NL.json",
            b'{"sewer": {"values": {}}}',
            "NL.json, veld 'sewer.values': verwacht een lijst",
        ),
        ("NL.json", b"[]", "NL.json: verwacht een JSON-object"),
    ],
)
def test_coronadashboard_a_file_that_does_not_read_is_refused(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    good = tmp_path / "nl_hospital_admissions_nice.csv"
    good.write_text("date,hospital_admissions\n2020-03-01,8\n", encoding="utf-8")
    (tmp_path / name).write_bytes(content)
    with pytest.raises(CoronadashboardError) as caught:
        coronadashboard_import(path=tmp_path)  # the good file is not stored either
    assert message in str(caught.value)
    _nothing_stored()
    assert not Indicator.objects.exists()


def test_coronadashboard_a_revised_figure_is_appended(shared_data: Path, tmp_path: Path) -> None:
    path = tmp_path / "nl_sewer_rna_daily.csv"
    shutil.copyfile(shared_data / "coronadashboard" / path.name, path)
    first = coronadashboard_import(path=path)
    path.write_text(path.read_text().replace("2020-09-08,79\n", "2020-09-08,81\n"))
    second = coronadashboard_import(path=path)
    assert (second.counts.added, second.counts.revised) == (0, 1)
    assert second.counts.unchanged == first.counts.added - 1
    history = Observation.objects.filter(period_code="2020-09-08").order_by("vintage", "pk")
    assert [o.value for o in history] == [79.0, 81.0]


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "values",
                    "date_unix",
                    "average",
                    "admissions_on_date_of_admission",
                    "date_start_unix",
                    "date_end_unix",
                    "last_generated",
                    "x",
                ]
            ),
            children,
            max_size=4,
        )
    ),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None)
@given(
    document=st.dictionaries(
        st.sampled_from(["hospital_nice", "intensive_care_nice", "sewer", "last_generated"]),
        JSON_VALUES,
        max_size=4,
    ),
    raw=st.binary(max_size=100),
)
def test_fuzzed_coronadashboard_files_fail_only_with_its_error(
    document: dict[str, Any], raw: bytes
) -> None:
    for content, reader in (
        (json.dumps(document).encode(), dashboard.json_parse),
        (raw, dashboard.json_parse),
        (raw, dashboard.csv_parse),
    ):
        with contextlib.suppress(CoronadashboardError):
            reader(content, "fuzz")


# --- SDMX ---------------------------------------------------------------------------------

# Eurostat une_rt_m (unemployment by sex and age, monthly), seasonally adjusted, % of the
# labour force; the figures are illustrative, in the range of the published ones.
UNEMPLOYMENT = {
    "NL": [
        ("2020-01", "3.0", None),
        ("2020-02", "2.9", None),
        ("2020-03", "2.9", None),
        ("2020-04", "3.4", None),
        ("2020-05", "3.6", "p"),
        ("2020-06", "4.3", "p"),
    ],
    "BE": [("2020-01", "5.1", None), ("2020-02", "5.0", None), ("2020-03", "NaN", None)],
}
HEADER = """<message:Header>
    <message:ID>UNE_RT_M</message:ID>
    <message:Test>false</message:Test>
    <message:Prepared>2020-07-30T11:00:00+02:00</message:Prepared>
    <message:Sender id="ESTAT"/>
    <message:Structure structureID="ESTAT_UNE_RT_M_1_0" {namespace}
      dimensionAtObservation="TIME_PERIOD">
      <common:Structure><Ref agencyID="ESTAT" id="UNE_RT_M" version="1.0"/></common:Structure>
    </message:Structure>
  </message:Header>"""
NS = (
    'xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message" '
    'xmlns:common="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
)


def _generic(series: dict[str, list[tuple[str, str, str | None]]]) -> str:
    parts = []
    for geo, observations in series.items():
        obs = []
        for period, value, flag in observations:
            attributes = (
                f'<generic:Attributes><generic:Value id="OBS_FLAG" value="{flag}"/>'
                "</generic:Attributes>"
                if flag
                else ""
            )
            obs.append(
                f'<generic:Obs><generic:ObsDimension value="{period}"/>'
                f'<generic:ObsValue value="{value}"/>{attributes}</generic:Obs>'
            )
        key = "".join(
            f'<generic:Value id="{dim}" value="{code}"/>'
            for dim, code in (
                ("FREQ", "M"),
                ("S_ADJ", "SA"),
                ("AGE", "TOTAL"),
                ("UNIT", "PC_ACT"),
                ("SEX", "T"),
                ("GEO", geo),
            )
        )
        parts.append(
            f"<generic:Series><generic:SeriesKey>{key}</generic:SeriesKey>{''.join(obs)}"
            "</generic:Series>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<message:GenericData {NS} "
        'xmlns:generic="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/generic">\n'
        f"  {HEADER.format(namespace='')}\n"
        f'  <message:DataSet structureRef="ESTAT_UNE_RT_M_1_0">{"".join(parts)}'
        "</message:DataSet>\n</message:GenericData>\n"
    )


STRUCTURE_SPECIFIC = """<?xml version="1.0" encoding="UTF-8"?>
<message:StructureSpecificData {ns}
  xmlns:ss="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/structurespecific"
  xmlns:ns1="urn:sdmx:org.sdmx.infomodel.datastructure.DataStructure=ESTAT:UNE_RT_Q(1.0):ObsLevelDim:TIME_PERIOD">
  {header}
  <message:DataSet ss:structureRef="ESTAT_UNE_RT_M_1_0" xsi:type="ns1:DataSetType"
    ss:dataScope="DataStructure">
    <Series FREQ="Q" S_ADJ="SA" AGE="Y15-74" UNIT="PC_ACT" SEX="F" GEO="NL">
      <Obs TIME_PERIOD="2019-Q4" OBS_VALUE="3.3" OBS_STATUS="A"/>
      <Obs TIME_PERIOD="2020-Q1" OBS_VALUE="3.1" OBS_STATUS="E"/>
      <Obs TIME_PERIOD="2020-Q2" OBS_VALUE="{q2}" OBS_STATUS="P"/>
      <Obs TIME_PERIOD="2020-Q3" OBS_STATUS="M"/>
    </Series>
    <Series FREQ="S" S_ADJ="NSA" AGE="Y15-74" UNIT="PC_ACT" SEX="F" GEO="NL">
      <Obs TIME_PERIOD="2020-S1" OBS_VALUE="3.5" OBS_STATUS="B"/>
      <Obs TIME_PERIOD="2020-S2" OBS_VALUE="4.1" OBS_STATUS="{s2_status}"/>
    </Series>
  </message:DataSet>
</message:StructureSpecificData>
"""


def _structure_specific(q2: str = "4.0", s2_status: str = "A") -> str:
    header = HEADER.format(
        namespace='namespace="urn:sdmx:org.sdmx.infomodel.datastructure.DataStructure='
        'ESTAT:UNE_RT_Q(1.0):ObsLevelDim:TIME_PERIOD" '
    )
    return STRUCTURE_SPECIFIC.format(ns=NS, header=header, q2=q2, s2_status=s2_status)


SDMX_JSON = {
    "header": {
        "id": "UNE_RT_A",
        "test": False,
        "prepared": "2021-04-23T11:00:00+02:00",
        "sender": {"id": "ESTAT"},
    },
    "dataSets": [
        {
            "action": "Information",
            "series": {
                "0:0:0": {"attributes": [], "observations": {"0": [3.4, 0], "1": [3.8, 1]}},
                "0:0:1": {"attributes": [], "observations": {"0": [5.4, 0], "1": [5.6, 1]}},
            },
        }
    ],
    "structure": {
        "name": "Unemployment by sex and age - annual data",
        "dimensions": {
            "series": [
                {
                    "id": "FREQ",
                    "name": "Time frequency",
                    "keyPosition": 0,
                    "values": [{"id": "A", "name": "Annual"}],
                },
                {
                    "id": "UNIT",
                    "name": "Unit of measure",
                    "keyPosition": 1,
                    "values": [
                        {"id": "PC_ACT", "name": "Percentage of population in the labour force"}
                    ],
                },
                {
                    "id": "GEO",
                    "name": "Geopolitical entity",
                    "keyPosition": 2,
                    "values": [
                        {"id": "NL", "name": "Netherlands"},
                        {"id": "BE", "name": "Belgium"},
                    ],
                },
            ],
            "observation": [
                {
                    "id": "TIME_PERIOD",
                    "name": "Time",
                    "role": "time",
                    "values": [{"id": "2019", "name": "2019"}, {"id": "2020", "name": "2020"}],
                },
            ],
        },
        "attributes": {
            "dataSet": [],
            "series": [],
            "observation": [
                {
                    "id": "OBS_STATUS",
                    "name": "Observation status",
                    "values": [
                        {"id": "A", "name": "Normal value"},
                        {"id": "P", "name": "Provisional value"},
                    ],
                }
            ],
        },
    },
}


def test_sdmx_generic_message_eurostat_monthly_unemployment(tmp_path: Path) -> None:
    indicator = IndicatorFactory(key="werkloosheid-eu", frequency="month", headline_breakdown="")
    path = tmp_path / "une_rt_m.xml"
    path.write_text(_generic(UNEMPLOYMENT), encoding="utf-8")
    report = sdmx_import(path=path, indicator_key="werkloosheid-eu")
    assert report.counts.added == 8 and report.rejected == []  # BE 2020-03 is NaN: not there
    nl = "S_ADJ=SA;AGE=TOTAL;UNIT=PC_ACT;SEX=T;GEO=NL"
    rows = {
        (o.breakdown, o.period_code): (o.value, o.status, o.frequency)
        for o in Observation.objects.filter(indicator=indicator)
    }
    assert rows[(nl, "2020-03")] == (2.9, "final", "month")
    assert rows[(nl, "2020-06")] == (4.3, "provisional", "month")  # Eurostat flag p
    assert (nl.replace("GEO=NL", "GEO=BE"), "2020-03") not in rows
    vintage = Observation.objects.filter(indicator=indicator).values_list("vintage", flat=True)
    assert set(vintage) == {dt.datetime(2020, 7, 30, 9, 0, tzinfo=dt.UTC)}  # header Prepared
    indicator.refresh_from_db()
    assert indicator.breakdowns["GEO"]["values"] == {"NL": "NL", "BE": "BE"}
    assert indicator.headline_breakdown == ""  # two series: no headline chosen
    assert ImportBatch.objects.get().source_kind == "sdmx"


def test_sdmx_structure_specific_semesters_quarters_and_statuses(tmp_path: Path) -> None:
    indicator = IndicatorFactory(key="werkloosheid-vrouwen")
    path = tmp_path / "une_rt_q.xml"
    path.write_text(_structure_specific(), encoding="utf-8")
    report = sdmx_import(path=path, indicator_key=indicator.key)
    assert report.counts.added == 5 and report.rejected == []  # Q3 is M (missing): not there
    rows = {
        o.period_code: (o.value, o.status, o.frequency, o.breakdown)
        for o in Observation.objects.filter(indicator=indicator)
    }
    assert rows["2019-Q4"][:3] == (3.3, "final", "quarter")
    assert rows["2020-Q1"][1] == "provisional"  # E: estimated
    assert rows["2020-Q2"][1] == "provisional"  # P
    assert rows["2020-H1"][:3] == (3.5, "final", "half_year")  # 2020-S1, B: break
    assert rows["2020-H1"][3] == "S_ADJ=NSA;AGE=Y15-74;UNIT=PC_ACT;SEX=F;GEO=NL"


def test_sdmx_json_message_and_a_single_series_headline(tmp_path: Path) -> None:
    indicator = IndicatorFactory(key="werkloosheid-jaar", frequency="year", headline_breakdown="")
    message = copy.deepcopy(SDMX_JSON)
    del message["dataSets"][0]["series"]["0:0:1"]
    path = tmp_path / "une_rt_a.json"
    path.write_text(json.dumps(message), encoding="utf-8")
    report = sdmx_import(path=path, indicator_key=indicator.key)
    assert report.counts.added == 2
    indicator.refresh_from_db()
    assert indicator.headline_breakdown == "UNIT=PC_ACT;GEO=NL"
    assert {(o.period_code, o.value, o.status) for o in indicator.observations.all()} == {
        ("2019", 3.4, "final"),
        ("2020", 3.8, "provisional"),
    }


def test_sdmx_bad_observations_are_rejected_alone(tmp_path: Path) -> None:
    IndicatorFactory(key="w")
    path = tmp_path / "une.xml"
    path.write_text(_structure_specific(q2="vier", s2_status="Z9"), encoding="utf-8")
    report = sdmx_import(path=path, indicator_key="w")
    assert report.counts.added == 3
    assert [(r["file"], r["row"], r["field"]) for r in report.rejected] == [
        ("une.xml", 3, "OBS_VALUE"),
        ("une.xml", 6, "OBS_STATUS"),
    ]
    assert "vier" in report.rejected[0]["reason"]
    assert "Z9" in report.rejected[1]["reason"] and "GEO=NL" in report.rejected[1]["reason"]
    months = copy.deepcopy(UNEMPLOYMENT)
    months["NL"][1] = ("2020-13", "2.9", None)
    path.write_text(_generic(months), encoding="utf-8")
    report = sdmx_import(path=path, indicator_key="w")
    assert [(r["row"], r["field"]) for r in report.rejected] == [(2, "TIME_PERIOD")]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("dit is geen SDMX", "une.xml: geen SDMX-ML (XML) of SDMX-JSON"),
        ("<message:GenericData", "une.xml: geen leesbaar SDMX-bericht"),
        ("<html><body>Service unavailable</body></html>", "une.xml: geen leesbaar SDMX-bericht"),
        (
            '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>',
            "une.xml: een documenttypedeclaratie is niet toegestaan",
        ),
        ('{"header": {}, "dataSets": "geen"}', "une.xml: geen leesbaar SDMX-bericht"),
        ("", "une.xml: leeg bestand"),
    ],
)
def test_sdmx_a_message_that_does_not_read_is_refused(
    tmp_path: Path, content: str, message: str
) -> None:
    IndicatorFactory(key="w")
    path = tmp_path / "une.xml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(SdmxImportError) as caught:
        sdmx_import(path=path, indicator_key="w")
    assert message in str(caught.value)
    _nothing_stored()


def test_sdmx_unknown_indicator_or_structure_message_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "une.xml"
    path.write_text(_generic(UNEMPLOYMENT), encoding="utf-8")
    with pytest.raises(SdmxImportError, match=r"une\.xml, veld 'indicator_key'"):
        sdmx_import(path=path, indicator_key="onbekend")
    IndicatorFactory(key="w")
    path.write_text(
        f'<?xml version="1.0"?><message:Structure {NS} '
        'xmlns:structure="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/structure">'
        "<message:Header><message:ID>CL_GEO</message:ID><message:Test>false</message:Test>"
        '<message:Prepared>2020-07-30T11:00:00</message:Prepared><message:Sender id="ESTAT"/>'
        "</message:Header><message:Structures><structure:Codelists>"
        '<structure:Codelist id="CL_GEO" agencyID="ESTAT" version="1.0">'
        '<common:Name xml:lang="en">Geopolitical entity</common:Name>'
        '<structure:Code id="NL"><common:Name xml:lang="en">Netherlands</common:Name>'
        "</structure:Code></structure:Codelist></structure:Codelists></message:Structures>"
        "</message:Structure>",
        encoding="utf-8",
    )
    with pytest.raises(SdmxImportError, match="geen SDMX-databericht maar StructureMessage"):
        sdmx_import(path=path, indicator_key="w")
    _nothing_stored()


def test_sdmx_a_revised_figure_is_appended(tmp_path: Path) -> None:
    IndicatorFactory(key="w")
    path = tmp_path / "une.xml"
    path.write_text(_structure_specific(), encoding="utf-8")
    sdmx_import(path=path, indicator_key="w")
    path.write_text(
        _structure_specific(q2="4.2").replace("2020-07-30T11:00", "2020-10-30T11:00"),
        encoding="utf-8",
    )
    report = sdmx_import(path=path, indicator_key="w")
    assert (report.counts.added, report.counts.revised, report.counts.unchanged) == (0, 1, 4)
    history = Observation.objects.filter(period_code="2020-Q2").order_by("vintage")
    assert [(o.value, o.vintage.month) for o in history] == [(4.0, 7), (4.2, 10)]


def test_sdmx_periods_and_statuses() -> None:
    assert sdmx_period("2020-S2").code == "2020-H2"
    assert sdmx_period("2020-A1").code == "2020"
    assert sdmx_period("2020-M04").code == "2020-04"
    assert sdmx_period("2020-W14").code == "2020-W14"
    assert sdmx_period("2020-03-01").frequency == "day"
    assert sdmx_status("") == "final"
    assert sdmx_status("bp") == "provisional"
    assert sdmx_status("r") == "revised"
    assert sdmx_status("L") == "missing"
    with pytest.raises(ValueError):
        sdmx_status("X")


SDMX_SAMPLES = [
    _generic(UNEMPLOYMENT).encode(),
    _structure_specific().encode(),
    json.dumps(SDMX_JSON).encode(),
]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    sample=st.sampled_from(SDMX_SAMPLES),
    cut=st.integers(min_value=0, max_value=4000),
    insert=st.binary(max_size=20),
    raw=st.binary(max_size=200),
    use_raw=st.booleans(),
)
def test_fuzzed_sdmx_fails_only_with_an_sdmx_import_error(
    sample: bytes, cut: int, insert: bytes, raw: bytes, use_raw: bool
) -> None:
    content = raw if use_raw else sample[:cut] + insert + sample[cut + len(insert) :]
    try:
        parsed = sdmx_read(content, "fuzz.xml")
    except SdmxImportError as error:
        assert str(error).startswith("fuzz.xml")
        return
    for row in parsed.rows:
        assert row.observation.period.code


@settings(max_examples=60, deadline=None)
@given(
    period=st.text(alphabet=st.sampled_from(list("0123456789-QSAMWHD ")), max_size=12),
    value=st.text(max_size=8),
    status=st.text(alphabet=st.sampled_from(list("ABEPMLcpz_ U")), max_size=3),
)
def test_fuzzed_sdmx_observations_fail_only_with_an_sdmx_import_error(
    period: str, value: str, status: str
) -> None:
    def attr(text: str) -> str:
        return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")

    content = _structure_specific().replace('"2020-Q1"', f'"{attr(period)}"')
    content = content.replace('OBS_VALUE="3.3"', f'OBS_VALUE="{attr(value)}"')
    content = content.replace('OBS_STATUS="E"', f'OBS_STATUS="{attr(status)}"')
    with contextlib.suppress(SdmxImportError):
        sdmx_read(content.encode(), "fuzz.xml")


# --- live StatLine refresh (cbsodata), offline ---------------------------------------------


class RecordedCbs:
    """Stands in for the ``cbsodata`` module with the recorded answers for 83262NED."""

    def __init__(self, fail: dict[str, Exception] | None = None) -> None:
        self.fail = fail or {}
        self.meta = {
            path.stem: json.loads(path.read_text(encoding="utf-8"))
            for path in CBS_RECORDED.glob("*.json")
        }
        self.data: list[dict[str, Any]] = self.meta.pop("get_data")
        self.calls: list[tuple[str, ...]] = []

    def get_meta(self, table_id: str, name: str) -> list[dict[str, Any]]:
        self.calls.append(("get_meta", table_id, name))
        if name in self.fail:
            raise self.fail[name]
        if table_id != TABLE or name not in self.meta:
            raise requests.HTTPError(f"Downloading table '{table_id}' failed. 404 Client Error")
        return copy.deepcopy(self.meta[name])

    def get_data(self, table_id: str) -> list[dict[str, Any]]:
        self.calls.append(("get_data", table_id))
        if "get_data" in self.fail:
            raise self.fail["get_data"]
        return copy.deepcopy(self.data)


@pytest.fixture
def opendata_offline(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Serves the recorded OData answers to ``requests``; any other address fails."""
    asked: list[str] = []

    def send(self: requests.Session, request: requests.PreparedRequest, **kwargs: Any) -> Any:
        url = str(request.url)
        asked.append(url)
        parts = urlsplit(url)
        if parts.netloc != "opendata.cbs.nl" or not parts.path.startswith(
            f"/ODataFeed/odata/{TABLE}/"
        ):
            raise requests.ConnectionError(f"offline test: no network for {url}")
        name = parts.path.rstrip("/").rsplit("/", 1)[-1]
        file = CBS_RECORDED / ("index.json" if name == TABLE else f"{name}.json")
        response = requests.Response()
        response.url, response.request = url, request
        if name == "get_data" or not file.is_file():
            response.status_code, response._content = 404, b"{}"
            return response
        body = {"odata.metadata": "recorded", "value": json.loads(file.read_text("utf-8"))}
        response.status_code, response._content = 200, json.dumps(body).encode()
        return response

    monkeypatch.setattr(requests.Session, "send", send)
    return asked


def test_live_refresh_gives_the_same_observations_as_the_export_folder(
    shared_data: Path,
) -> None:
    client = RecordedCbs()
    live = cbs_live_refresh(table=TABLE, client=client)
    assert live.source == TABLE
    assert live.counts.added == 110 and live.rejected == []
    assert ("get_meta", TABLE, "Perioden") in client.calls
    live_rows = _snapshot()
    live_indicators = sorted(Indicator.objects.values_list("key", "name_nl", "unit", "frequency"))
    batch = ImportBatch.objects.get()
    assert batch.source_kind == "cbs-live" and batch.name.endswith("(live)")
    statuses = {row[4] for row in live_rows if row[1] == "2020HJ01"}
    assert statuses == {"provisional"}  # Perioden: 2020HJ01 Voorlopig

    Observation.objects.all().delete()
    ImportBatch.objects.all().delete()
    Indicator.objects.all().delete()
    cbs_table_import(directory=shared_data / "cbs-odata-samples" / TABLE)
    assert _snapshot() == live_rows
    assert sorted(Indicator.objects.values_list("key", "name_nl", "unit", "frequency")) == (
        live_indicators
    )
    again = cbs_live_refresh(table=TABLE, client=RecordedCbs())
    assert (again.counts.added, again.counts.revised, again.counts.unchanged) == (0, 0, 110)


def test_live_refresh_with_the_real_cbsodata_module_offline(opendata_offline: list[str]) -> None:
    import cbsodata

    assert cbsodata.get_data(TABLE) == RecordedCbs().data  # the recording matches the library
    report = cbs_live_refresh(table=TABLE)  # client=None: the cbsodata module itself
    assert report.counts.added == 110
    assert any(url.endswith("/Perioden?%24format=json") for url in opendata_offline)


def test_live_refresh_appends_a_revision() -> None:
    cbs_live_refresh(table=TABLE, client=RecordedCbs())
    client = RecordedCbs()
    client.meta["TableInfos"][0]["Modified"] = "2021-05-27T02:00:00"
    client.meta["Perioden"][-1]["Status"] = "Definitief"  # 2020HJ01: Voorlopig before
    row = next(r for r in client.data if r["WmoClienten_1"] is not None)
    assert row["Perioden"] == "1e halfjaar 2016"
    row["WmoClienten_1"] += 5
    first_half_2020 = [
        value
        for r in client.data
        if r["Perioden"] == "1e halfjaar 2020"
        for value in (r["WmoClienten_1"], r["WmoClientenPer1000Inwoners_2"])
        if value is not None
    ]
    report = cbs_live_refresh(table=TABLE, client=client)
    assert report.counts.added == 0
    assert report.counts.revised == len(first_half_2020) + 1
    revised = Observation.objects.filter(batch_id=report.batch_id)
    assert {o.vintage.date() for o in revised} == {dt.date(2021, 5, 27)}
    assert set(revised.filter(period_code="2020HJ01").values_list("status", flat=True)) == {"final"}
    changed = revised.get(period_code="2016HJ01")
    history = Observation.objects.filter(
        indicator=changed.indicator, period_code="2016HJ01", breakdown=changed.breakdown
    ).order_by("vintage")
    assert [o.value for o in history] == [row["WmoClienten_1"] - 5, row["WmoClienten_1"]]


def test_live_refresh_of_a_table_without_rows() -> None:
    client = RecordedCbs()
    client.data = []
    report = cbs_live_refresh(table=TABLE, client=client)
    assert report.counts.added == 0 and report.rejected == []
    assert ImportBatch.objects.get().source_kind == "cbs-live"


@pytest.mark.parametrize(
    ("fail", "message"),
    [
        (
            {"get_data": requests.ConnectionError("Max retries exceeded")},
            "StatLine-tabel 83262NED: ophalen van de data (get_data) mislukt "
            "(Max retries exceeded)",
        ),
        (
            {"Perioden": requests.HTTPError("Downloading table '83262NED' failed. 503")},
            "StatLine-tabel 83262NED: ophalen van Perioden mislukt",
        ),
        (
            {"TableInfos": requests.Timeout("read timed out")},
            "StatLine-tabel 83262NED: ophalen van TableInfos mislukt (read timed out)",
        ),
        (
            {"DataProperties": json.JSONDecodeError("Expecting value", "<html>", 0)},
            "StatLine-tabel 83262NED: onleesbaar antwoord voor DataProperties",
        ),
    ],
)
def test_live_refresh_network_failures(fail: dict[str, Exception], message: str) -> None:
    with pytest.raises(CbsLiveError) as caught:
        cbs_live_refresh(table=TABLE, client=RecordedCbs(fail=fail))
    assert message in str(caught.value)
    _nothing_stored()
    assert not Indicator.objects.exists()


def test_live_refresh_refuses_titles_it_cannot_map_back() -> None:
    client = RecordedCbs()
    client.data[4]["RegioS"] = "Atlantis"
    with pytest.raises(
        CbsLiveError, match=r"get_data, rij 5, veld 'RegioS': 'Atlantis' staat niet"
    ):
        cbs_live_refresh(table=TABLE, client=client)
    client = RecordedCbs()
    client.meta["RegioS"][1]["Title"] = "Nederland"  # two keys, one title
    with pytest.raises(CbsLiveError, match="hoort bij meer dan één sleutel"):
        cbs_live_refresh(table=TABLE, client=client)
    with pytest.raises(CbsLiveError, match="geen geldige tabelcode"):
        cbs_live_refresh(table="../83262NED", client=RecordedCbs())
    _nothing_stored()


def test_live_refresh_rejects_the_rows_of_a_period_it_cannot_read() -> None:
    """One unreadable period code does not block the table: its rows are rejected, naming the
    row of the period file (the same rule as the folder import)."""
    client = RecordedCbs()
    client.meta["Perioden"][3]["Key"] = "2016XX01"
    report = cbs_live_refresh(table=TABLE, client=client)
    assert report.rejected
    assert {r["field"] for r in report.rejected} == {"Perioden"}
    assert "Perioden.csv, rij 5" in report.rejected[0]["reason"]
    assert report.counts.added > 0


def test_live_refresh_rejects_a_cell_that_is_no_number() -> None:
    client = RecordedCbs()
    number, row = next((n, r) for n, r in enumerate(client.data, 1) if r["WmoClienten_1"])
    row["WmoClienten_1"] = "twaalf"
    report = cbs_live_refresh(table=TABLE, client=client)
    assert report.counts.added == 109
    assert report.rejected == [
        {
            "file": "get_data",
            "row": number,
            "field": "WmoClienten_1",
            "reason": "geen getal: 'twaalf'",
        }
    ]
    assert ImportBatch.objects.get().report["rejected"][0]["file"] == "get_data"
