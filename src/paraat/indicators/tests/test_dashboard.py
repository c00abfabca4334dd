"""The public societal picture: tiles' numbers, as-of dates, confidentiality, CSV and pages.

The data set (all synthetic; vintages V1 = 15 April 2020, V2 = 15 May 2020; "today" 15 June 2020):

* **Werkloosheid** (work and income; monthly, higher is worse, lag 30 days, fast data):
  2019MM01 … 2020MM04 = 3.0 + 0.1·k (k = 0 … 15). At V1 March is a provisional 4.6; at V2 it is
  revised to a final 4.4 and April arrives as a provisional 4.5, with Jongeren (group) 9.0.

  - latest 2020MM04 = 4.5, provisional;
  - vs 2020MM03 (4.4): +0.1 = 100 · 0.1 / 4.4 = +2.2727 %;
  - vs 2019MM04 (3.3): +1.2 = 100 · 1.2 / 3.3 = +36.36 %;
  - trend: 12 months 2019MM05 … 2020MM04 lie on a line of slope 0.1 (residual spread 0):
    Δ = 0.1 · 11 = 1.1 > 0 → stijgend; higher is worse → slechter;
  - freshness: May is due on 31 May + 30 days = 30 June; on 15 June → actueel;
  - known on 30 April 2020 (peildatum): latest 2020MM03 = 4.6 (provisional), vs 2020MM02 (4.3)
    +0.3 = +6.977 %, vs 2019MM03 (3.2) +1.4 = +43.75 %.

* **Tevredenheid** (social relations; quarterly, higher is better, lag 45 days):
  2018KW01 … 2019KW04 = 7.0, 7.2, 7.0, 7.2, 7.0, 7.2, 7.0, 7.2.

  - vs 2019KW03 (7.0): +0.2 = +2.857 %; vs 2018KW04 (7.2): 0.0 = 0 %;
  - trend over the 8 quarters, x = 0 … 7, deviations from the mean 7.1 are ∓0.1:
    Sxy = Σ (x − 3.5) · d = 0.35 − 0.25 + 0.15 − 0.05 − 0.05 + 0.15 − 0.25 + 0.35 = 0.4,
    Sxx = 42, b = 0.4 / 42 = 0.009524, Δ = 7 b = 0.0667;
    Σ e² = 8 · 0.01 − 0.4² / 42 = 0.07619, s = √(0.07619 / 6) = 0.1127, 2 s = 0.2254 > Δ
    → stabiel → onveranderd;
  - freshness: 2020KW01 was due 31 March + 45 = 15 May; on 15 June 31 days late → achterstallig.

* **Uitkeringen** (no domain; yearly, no polarity, lag 167 days): 2011 … 2018 = 10, 9, …, 3.

  - vs 2017 (4): −1 = −25 % (the previous period is also the year before);
  - trend: a straight falling line → dalend; neutral → geen oordeel;
  - freshness: 2019 is due on 31 December 2019 + 167 days = 15 June 2020 → verwacht (today).

* **Schulden** (poverty; half-yearly, higher is worse, lag 90 days): 2017HJ01 … 2019HJ02 = 12 … 7.

  - vs 2019HJ01 (8): −1 = −12.5 %; vs 2018HJ02 (9): −2 = −22.22 %;
  - trend: falling line over 6 half-years → dalend; higher is worse → beter; actueel.

* **Nog leeg** (work and income): no figures → geen gegevens.
* An internal and a confidential indicator, each with a threshold signal.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paraat.accounts import roles
from paraat.accounts.models import Confidentiality
from paraat.accounts.services import roles_sync
from paraat.accounts.tests.factories import UserFactory
from paraat.indicators.dashboard import dashboard, indicator_detail, medium_term_trend
from paraat.indicators.selectors import SeriesPoint
from paraat.indicators.services import (
    ObservationInput,
    composite_compute,
    composite_index_save,
    observations_store,
    signal_rule_create,
    signals_evaluate,
)
from paraat.indicators.tests.factories import IndicatorFactory, ReleaseDateFactory
from paraat.measures.models import IndexValue
from paraat.measures.tests.factories import (
    JurisdictionFactory,
    MeasureFactory,
    PackageFactory,
    PackageItemFactory,
)
from paraat.taxonomies.models import Domain
from paraat.taxonomies.services import taxonomy_seed
from paraat_core.periods import parse_period, periods_between

pytestmark = pytest.mark.django_db

V1 = timezone.make_aware(dt.datetime(2020, 4, 15, 12))
V2 = timezone.make_aware(dt.datetime(2020, 5, 15, 12))
TODAY = dt.date(2020, 6, 15)
URL = "/maatschappelijk-beeld/"


def _store(indicator, first, last, values, *, vintage, status="final", breakdown=""):  # type: ignore[no-untyped-def]
    periods = periods_between(parse_period(first), parse_period(last))
    observations_store(
        indicator=indicator,
        rows=[
            ObservationInput(period=p, value=v, status=status, breakdown=breakdown)
            for p, v in zip(periods, values, strict=True)
        ],
        vintage=vintage,
    )


@pytest.fixture
def picture():  # type: ignore[no-untyped-def]
    taxonomy_seed()
    roles_sync()
    domains = {d.key: d for d in Domain.objects.all()}
    unemployment = IndicatorFactory(
        key="werkloosheid",
        name_nl="Werkloosheid",
        domain=domains["work-income"],
        speed="fast",
        source="CBS, StatLine 80590ned (synthetische reeks)",
        licence="CC BY 4.0",
        threshold_warning=4.0,
    )
    _store(
        unemployment,
        "2019MM01",
        "2020MM02",
        [round(3.0 + 0.1 * k, 1) for k in range(14)],
        vintage=V1,
    )
    _store(unemployment, "2020MM03", "2020MM03", [4.6], vintage=V1, status="provisional")
    _store(unemployment, "2020MM03", "2020MM03", [4.4], vintage=V2)
    _store(unemployment, "2020MM04", "2020MM04", [4.5], vintage=V2, status="provisional")
    _store(
        unemployment,
        "2020MM04",
        "2020MM04",
        [9.0],
        vintage=V2,
        status="provisional",
        breakdown="group=young-people",
    )
    satisfaction = IndicatorFactory(
        key="tevredenheid",
        name_nl="Tevredenheid met het leven",
        domain=domains["social-relations"],
        frequency="quarter",
        polarity="higher_better",
        unit="rapportcijfer",
        publication_lag_days=45,
    )
    _store(satisfaction, "2018KW01", "2019KW04", [7.0, 7.2] * 4, vintage=V1)
    benefits = IndicatorFactory(
        key="uitkeringen",
        name_nl="Uitkeringen",
        frequency="year",
        polarity="neutral",
        unit="x 1 000",
        publication_lag_days=167,
    )
    _store(benefits, "2011JJ00", "2018JJ00", [10, 9, 8, 7, 6, 5, 4, 3], vintage=V1)
    debts = IndicatorFactory(
        key="schulden",
        name_nl="Problematische schulden",
        domain=domains["poverty"],
        frequency="half_year",
        publication_lag_days=90,
    )
    _store(debts, "2017HJ01", "2019HJ02", [12, 11, 10, 9, 8, 7], vintage=V1)
    IndicatorFactory(key="nog-leeg", name_nl="Nog leeg", domain=domains["work-income"])
    for key, name, level in (
        ("intern-cijfer", "Geheime reeks intern", Confidentiality.INTERNAL),
        ("vertrouwelijk-cijfer", "Zeer geheime reeks", Confidentiality.CONFIDENTIAL),
    ):
        hidden = IndicatorFactory(
            key=key,
            name_nl=name,
            domain=domains["work-income"],
            confidentiality=level,
            threshold_warning=1.0,
        )
        _store(hidden, "2020MM01", "2020MM04", [0.5, 0.8, 1.5, 2.0], vintage=V2)
        signal_rule_create(indicator=hidden, kind="threshold")
    signal_rule_create(indicator=unemployment, kind="threshold")
    signals_evaluate()
    return {"unemployment": unemployment}


def _tiles(board):  # type: ignore[no-untyped-def]
    return {tile.key: tile for tile in board.tiles}


# --- the numbers on the tiles -------------------------------------------------------------


def test_tiles_changes_trend_judgement_and_freshness(picture) -> None:  # type: ignore[no-untyped-def]
    board = dashboard(AnonymousUser(), today=TODAY)
    tiles = _tiles(board)
    assert set(tiles) == {"werkloosheid", "tevredenheid", "uitkeringen", "schulden", "nog-leeg"}

    a = tiles["werkloosheid"]
    assert a.latest.period.code == "2020MM04" and a.latest.value == pytest.approx(4.5)
    assert a.is_provisional and a.latest_label == "2020 april"
    assert a.change_previous.against.code == "2020MM03"
    assert a.change_previous.absolute == pytest.approx(0.1)
    assert a.change_previous.percent == pytest.approx(2.2727, abs=1e-4)
    assert a.change_year.against.code == "2019MM04"
    assert a.change_year.absolute == pytest.approx(1.2)
    assert a.change_year.percent == pytest.approx(36.3636, abs=1e-4)
    assert a.trend.direction == "rising" and a.trend.label == "stijgend"
    assert a.trend.change == pytest.approx(1.1)
    assert a.judgement == "worse" and a.judgement_label == "slechter"
    assert a.freshness_status == "current" and a.freshness_label == "actueel"
    assert "30 juni 2020" in a.freshness_reason
    assert a.speed_label == "snel"
    assert [g.label for g in a.groups] == ["Jongeren"] and a.groups[0].value == 9.0
    assert [p.code for p in a.provisional_periods] == ["2020MM04"]
    assert a.change_previous.text == "+0,1 procentpunt (+2,3 %)"

    b = tiles["tevredenheid"]
    assert b.change_previous.absolute == pytest.approx(0.2)
    assert b.change_previous.percent == pytest.approx(2.857, abs=1e-3)
    assert b.change_year.absolute == pytest.approx(0.0, abs=1e-9)
    assert b.change_year.percent == pytest.approx(0.0, abs=1e-9)
    assert b.trend.direction == "stable" and b.trend.label == "stabiel"
    assert b.trend.change == pytest.approx(0.0667, abs=1e-4)
    assert b.trend.spread == pytest.approx(0.1127, abs=1e-4)
    assert b.judgement == "unchanged" and b.judgement_label == "onveranderd"
    assert b.freshness_status == "overdue" and b.freshness.days_overdue == 31
    assert b.freshness_label == "achterstallig"

    c = tiles["uitkeringen"]
    assert c.change_previous.absolute == -1 and c.change_previous.percent == -25
    assert c.change_year.against.code == "2017JJ00"
    assert c.trend.direction == "falling" and c.trend.label == "dalend"
    assert c.judgement == "none" and c.judgement_label == "geen oordeel"
    assert c.freshness_status == "due" and c.freshness_label == "verwacht"

    d = tiles["schulden"]
    assert d.change_previous.percent == pytest.approx(-12.5)
    assert d.change_year.absolute == -2
    assert d.change_year.percent == pytest.approx(-22.222, abs=1e-3)
    assert d.trend.direction == "falling" and d.judgement == "better"
    assert d.freshness_status == "current"

    e = tiles["nog-leeg"]
    assert e.latest is None and e.freshness_status == "no_data"
    assert e.freshness_label == "geen gegevens"


def test_domains_in_taxonomy_order_and_indicators_without_domain_last(picture) -> None:  # type: ignore[no-untyped-def]
    board = dashboard(AnonymousUser(), today=TODAY)
    assert [s.name for s in board.sections] == [
        "Werk en inkomen",
        "Armoede en materiële welvaart",
        "Sociale relaties en eenzaamheid",
        "Overige indicatoren",
    ]
    assert [t.key for t in board.sections[0].tiles] == ["nog-leeg", "werkloosheid"]


def test_release_calendar_moves_the_due_date(picture) -> None:  # type: ignore[no-untyped-def]
    """Without a calendar May is due on 30 June, so on 26 June Werkloosheid is current.
    With releases on 28 May (announces April) and 25 June (announces May) it is a day late."""
    day = dt.date(2020, 6, 26)
    before = _tiles(dashboard(AnonymousUser(), today=day))["werkloosheid"]
    assert before.freshness_status == "current"
    for expected_on in (dt.date(2020, 5, 28), dt.date(2020, 6, 25)):
        ReleaseDateFactory(indicator=picture["unemployment"], expected_on=expected_on)
    after = _tiles(dashboard(AnonymousUser(), today=day))["werkloosheid"]
    assert after.freshness_status == "overdue" and after.freshness.days_overdue == 1


def test_as_of_shows_the_older_vintages(picture) -> None:  # type: ignore[no-untyped-def]
    as_of = timezone.make_aware(dt.datetime(2020, 4, 30, 23, 59))
    a = _tiles(dashboard(AnonymousUser(), as_of=as_of))["werkloosheid"]
    assert a.latest.period.code == "2020MM03" and a.latest.value == pytest.approx(4.6)
    assert a.is_provisional
    assert a.change_previous.absolute == pytest.approx(0.3)
    assert a.change_previous.percent == pytest.approx(6.977, abs=1e-3)
    assert a.change_year.absolute == pytest.approx(1.4)
    assert a.change_year.percent == pytest.approx(43.75)
    assert a.groups == []  # the group figure came with V2
    assert a.freshness_status == "current"  # on 30 April, April is due on 30 May

    before = timezone.make_aware(dt.datetime(2020, 4, 1))
    assert _tiles(dashboard(AnonymousUser(), as_of=before))["werkloosheid"].latest is None


def test_peildatum_on_the_page(client, picture) -> None:  # type: ignore[no-untyped-def]
    html = client.get(f"{URL}?peildatum=2020-04-30").content.decode()
    assert "U ziet de cijfers zoals ze op 30 april 2020 bekend waren" in html
    assert "4,6" in html and "2020 maart (voorlopig cijfer)" in html
    detail = client.get(f"{URL}indicatoren/werkloosheid/?peildatum=2020-04-30").content.decode()
    assert "2020 april" not in detail.split('id="series-table"')[1].split("</table>")[0]


@pytest.mark.parametrize(
    "raw, message",
    [
        ("2020-02-30", "Vul een geldige datum in"),
        ("gisteren", "Vul een geldige datum in"),
        ("9999-01-01", "De peildatum ligt in de toekomst"),
        ("1850-01-01", "Kies een peildatum na 1900"),
        ("2020-01-01%00", "Vul een geldige datum in"),
    ],
)
def test_bad_peildatum_gives_a_message_not_a_500(client, picture, raw, message) -> None:  # type: ignore[no-untyped-def]
    for path in (URL, f"{URL}indicatoren/werkloosheid/", f"{URL}signalen/"):
        response = client.get(f"{path}?peildatum={raw}")
        assert response.status_code == 200, path
        assert message in response.content.decode(), path
    assert client.get(f"{URL}csv/?peildatum={raw}").status_code == 400


# --- trend method -------------------------------------------------------------------------


def _points(first: str, values: list[float | None]) -> list[SeriesPoint]:
    start = parse_period(first)
    periods = periods_between(start, parse_period("2030MM12"))[: len(values)]
    return [
        SeriesPoint(period=p, value=v, status="final", vintage=V1)
        for p, v in zip(periods, values, strict=True)
        if v is not None
    ]


def test_trend_dead_band_and_minimum_data() -> None:
    """Alternating 7.2/7.0 from 2018MM01: 12 months, Δ = b·11 with b = Sxy/Sxx = 0.6/143,
    s ≈ 0.105: |Δ| = 0.046 < 2 s → stable. A clear rise with noise stays rising. Fewer than
    half the 12 months (5 values) give no trend."""
    flat = medium_term_trend(_points("2018MM01", [7.2, 7.0] * 6), "month")
    assert flat.direction == "stable"
    assert flat.change == pytest.approx(-0.6 / 143 * 11, abs=1e-9)
    noisy = medium_term_trend(
        _points("2018MM01", [1.0 + 0.5 * k + (0.1 if k % 2 else -0.1) for k in range(12)]),
        "month",
    )
    assert noisy.direction == "rising"
    gaps = _points("2018MM01", [1.0, None, None, 2.0, None, None, 3.0, None, 4.0, None, 5.0])
    assert medium_term_trend(gaps, "month") is None
    assert (
        medium_term_trend(
            _points("2018MM01", [1.0, None, 2.0, None, 3.0, 4.0, 5.0, 6.0]), "month"
        ).direction
        == "rising"
    )


# --- confidentiality ----------------------------------------------------------------------


def test_internal_indicators_and_their_signals_stay_off_public_pages(client, picture) -> None:  # type: ignore[no-untyped-def]
    pages = [URL, f"{URL}signalen/", f"{URL}csv/", f"{URL}methode/"]
    for path in pages:
        body = client.get(path).content.decode()
        assert "Geheime reeks intern" not in body and "intern-cijfer" not in body, path
        assert "Zeer geheime reeks" not in body and "vertrouwelijk-cijfer" not in body, path
    assert "Werkloosheid" in client.get(URL).content.decode()
    for key in ("intern-cijfer", "vertrouwelijk-cijfer"):
        assert client.get(f"{URL}indicatoren/{key}/").status_code == 404
        assert client.get(f"{URL}indicatoren/{key}/csv/").status_code == 404
    assert client.get(f"{URL}indicatoren/bestaat-niet/").status_code == 404


def test_an_analyst_sees_internal_but_not_confidential_indicators(client, picture) -> None:  # type: ignore[no-untyped-def]
    client.force_login(UserFactory(username="analist", roles=[roles.ANALYST]))
    body = client.get(URL).content.decode()
    assert "Geheime reeks intern" in body and "Zeer geheime reeks" not in body
    assert "Geheime reeks intern" in client.get(f"{URL}signalen/").content.decode()
    assert client.get(f"{URL}indicatoren/intern-cijfer/").status_code == 200
    assert client.get(f"{URL}indicatoren/vertrouwelijk-cijfer/").status_code == 404
    assert "intern-cijfer" in client.get(f"{URL}csv/").content.decode()


# --- pages, CSV and attribution -----------------------------------------------------------


def test_dashboard_page_shows_words_marks_badges_and_sources(client, picture) -> None:  # type: ignore[no-untyped-def]
    body = client.get(URL).content.decode()
    tile = body.split('aria-labelledby="tile-werkloosheid"')[1].split("</article>")[0]
    assert "stijgend" in tile and "slechter" in tile and 'class="ind-judgement__mark"' in tile
    assert "voorlopig" in tile and "snel" in tile and "synthetisch" in tile
    assert 'role="img"' in tile and "<title" in tile and "ind-spark__shade" in tile
    assert "CBS, StatLine 80590ned (synthetische reeks)" in tile and "CC BY 4.0" in tile
    assert "Jongeren" in tile
    assert "/maatschappelijk-beeld/indicatoren/werkloosheid/" in tile
    # signals explain themselves
    assert "Recente signalen" in body and "drempel" in body
    assert 'href="/maatschappelijk-beeld/csv/"' in body
    assert "<script>" not in body and "style=" not in body  # strict CSP: no inline code


def test_dashboard_csv_has_the_tiles_with_source_and_licence(client, picture) -> None:  # type: ignore[no-untyped-def]
    response = client.get(f"{URL}csv/?peildatum=2020-06-15")
    assert response["Content-Type"].startswith("text/csv")
    assert "paraat-maatschappelijk-beeld-2020-06-15.csv" in response["Content-Disposition"]
    rows = {row["indicator"]: row for row in csv.DictReader(io.StringIO(response.content.decode()))}
    a = rows["werkloosheid"]
    assert (a["period"], a["value"], a["status"]) == ("2020MM04", "4.5", "provisional")
    assert float(a["change_previous"]) == pytest.approx(0.1)
    assert float(a["change_year_pct"]) == pytest.approx(36.3636, abs=1e-4)
    assert (a["trend"], a["judgement"], a["freshness"]) == ("rising", "worse", "current")
    assert a["source"].startswith("CBS") and a["licence"] == "CC BY 4.0" and a["synthetic"] == "1"
    assert rows["tevredenheid"]["freshness"] == "overdue"
    assert rows["nog-leeg"]["freshness"] == "no_data"


def test_detail_page_has_chart_table_groups_revisions_signals_and_context(client, picture) -> None:  # type: ignore[no-untyped-def]
    nl = JurisdictionFactory()
    IndexValue.objects.bulk_create(
        IndexValue(
            jurisdiction=nl,
            date=dt.date(2020, 3, 1) + dt.timedelta(days=i),
            index="StringencyIndex_Average",
            source="published",
            value=60.0,
        )
        for i in range(61)
    )
    package = PackageFactory(
        key="intelligente-lockdown",
        name_nl="Intelligente lockdown",
        jurisdiction=nl,
        start_date=dt.date(2020, 3, 23),
        end_date=dt.date(2020, 5, 10),
    )
    PackageItemFactory(
        package=package, measure=MeasureFactory(key="scholen-dicht", name_nl="Scholen dicht")
    )
    body = client.get(f"{URL}indicatoren/werkloosheid/?day=2020-04-01").content.decode()
    assert 'id="series-chart"' in body and 'id="chart-data"' in body
    table = body.split('id="series-table"')[1].split("</table>")[0]
    assert "2020 april" in table and "Jongeren" in table and "Stringency-index" in table
    assert "60,0" in table or "60" in table
    assert 'id="revisions-table"' in body and "bekend op 15 april 2020" in body
    assert "Crisiscontext" in body and "Intelligente lockdown" in body
    assert "Scholen dicht" in body.split('id="in-force"')[1]
    assert "Alarm" in body or "Waarschuwing" in body
    assert "CBS, StatLine 80590ned" in body and "CC BY 4.0" in body

    detail = indicator_detail(AnonymousUser(), "werkloosheid")
    chart = detail.chart_data()
    labels = [s["label"] for s in chart["series"]]
    assert labels[:2] == ["Werkloosheid", "Werkloosheid (voorlopig)"]
    assert "Jongeren" in labels and "Stringency-index (OxCGRT)" in labels
    march = chart["dates"].index("2020-03-01")
    stringency = next(s for s in chart["series"] if s["label"].startswith("Stringency"))
    assert stringency["values"][march] == 60.0  # March 2020: mean of the daily index
    revised = {row.period.code: row for row in detail.revisions.rows}
    assert revised["2020MM03"].revised and revised["2020MM03"].values == [4.6, 4.4]


def test_detail_csv_has_every_series_with_status_vintage_and_source(client, picture) -> None:  # type: ignore[no-untyped-def]
    response = client.get(f"{URL}indicatoren/werkloosheid/csv/")
    assert "paraat-werkloosheid.csv" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    headline = [r for r in rows if r["breakdown"] == ""]
    assert len(headline) == 16 and headline[-1]["status"] == "provisional"
    assert headline[-2]["value"] == "4.4" and headline[-2]["vintage"].startswith("2020-05-15")
    group = [r for r in rows if r["breakdown"] == "group=young-people"]
    assert group[0]["breakdown_label"] == "Jongeren" and group[0]["value"] == "9"
    assert all(r["licence"] == "CC BY 4.0" and r["synthetic"] == "1" for r in rows)


def test_signal_list_filters_and_explains(client, picture) -> None:  # type: ignore[no-untyped-def]
    body = client.get(f"{URL}signalen/?ernst=warning").content.decode()
    assert "6 signalen" in body
    assert "Hoe is dit signaal berekend?" in body
    assert "op voorlopige cijfers" in body
    assert client.get(f"{URL}signalen/?ernst=onzin&page=abc").status_code == 200


def test_methodology_page(client) -> None:  # type: ignore[no-untyped-def]
    body = client.get(f"{URL}methode/").content.decode()
    for word in ("stabiel", "actueel", "achterstallig", "onzekerheidsband", "Chow", "synthetisch"):
        assert word in body


def test_query_count_does_not_grow_with_the_number_of_indicators() -> None:
    taxonomy_seed()

    def build(count: int, offset: int) -> None:
        for i in range(count):
            indicator = IndicatorFactory(key=f"reeks-{offset + i}")
            _store(indicator, "2019MM01", "2020MM04", [1.0 + k for k in range(16)], vintage=V1)
            _store(
                indicator,
                "2020MM04",
                "2020MM04",
                [3.0],
                vintage=V1,
                breakdown="group=young-people",
            )

    build(2, 0)
    with CaptureQueriesContext(connection) as few:
        dashboard(AnonymousUser(), today=TODAY)
    build(6, 10)
    with CaptureQueriesContext(connection) as many:
        board = dashboard(AnonymousUser(), today=TODAY)
    assert len(board.tiles) == 8
    assert len(many.captured_queries) == len(few.captured_queries)
    assert len(many.captured_queries) <= 10


# --- composite index ----------------------------------------------------------------------


@pytest.fixture
def index():  # type: ignore[no-untyped-def]
    taxonomy_seed()
    vintage = timezone.make_aware(dt.datetime(2020, 6, 1))
    public = IndicatorFactory(key="werkloos", name_nl="Werkloos", polarity="higher_worse")
    hidden = IndicatorFactory(
        key="stil-intern",
        name_nl="Interne tevredenheid",
        polarity="higher_better",
        confidentiality=Confidentiality.INTERNAL,
    )
    _store(public, "2020MM01", "2020MM04", [4.0, 5.0, 6.0, 5.0], vintage=vintage)
    _store(hidden, "2020MM01", "2020MM04", [7.8, 7.6, 7.4, 7.5], vintage=vintage)
    _store(
        public,
        "2020MM01",
        "2020MM04",
        [8.0, 10.0, 12.0, 11.0],
        vintage=vintage,
        breakdown="group=young-people",
    )
    _store(
        hidden,
        "2020MM01",
        "2020MM04",
        [7.5, 7.0, 6.8, 6.9],
        vintage=vintage,
        breakdown="group=young-people",
    )
    composite = composite_index_save(
        key="welzijn",
        name_nl="Maatschappelijke index",
        start_period="2020MM01",
        members=[("werkloos", 1.0), ("stil-intern", 1.0)],
        group_keys=["young-people"],
    )
    composite_compute(
        index=composite, as_of=timezone.make_aware(dt.datetime(2020, 6, 5)), draws=200
    )
    return composite


def test_the_index_is_never_shown_without_band_and_parts(client, index) -> None:  # type: ignore[no-untyped-def]
    body = client.get(URL).content.decode()
    card = body.split('aria-labelledby="index-welzijn"')[1].split("</article>")[0]
    assert "Onzekerheidsband (5–95 %)" in card
    assert "Grootste bijdragen" in card and "Werkloos" in card
    assert "Interne tevredenheid" not in body and "niet-openbare indicator" in card

    page = client.get(f"{URL}index/welzijn/").content.decode()
    assert 'id="series-chart"' in page and 'id="index-table"' in page
    assert "Onzekerheidsband" in page and "Bijdragen aan de verandering" in page
    assert 'id="members-table"' in page and 'id="sensitivity-table"' in page
    assert "Normalisatie" in page and "min-max" in page and "Monte-Carlotrekkingen" in page
    assert "Jongeren" in page  # the group line
    assert "Interne tevredenheid" not in page and "stil-intern" not in page
    assert 'href="/maatschappelijk-beeld/methode/#index"' in page
    assert client.get(f"{URL}index/bestaat-niet/").status_code == 404
    rows = list(
        csv.DictReader(io.StringIO(client.get(f"{URL}index/welzijn/csv/").content.decode()))
    )
    assert {r["population"] for r in rows} == {"_all", "young-people"}


def test_the_index_page_as_of_a_date_before_any_run(client, index) -> None:  # type: ignore[no-untyped-def]
    page = client.get(f"{URL}index/welzijn/?peildatum=2020-05-01").content.decode()
    assert "Deze index is nog niet berekend." in page


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    page=st.sampled_from(
        [
            URL,
            f"{URL}csv/",
            f"{URL}indicatoren/werkloosheid/",
            f"{URL}indicatoren/werkloosheid/csv/",
            f"{URL}signalen/",
            f"{URL}index/bestaat-niet/",
        ]
    ),
    params=st.dictionaries(
        st.sampled_from(["peildatum", "day", "ernst", "page"]), st.text(max_size=30), max_size=3
    ),
)
def test_pages_never_fail_on_odd_query_strings(client, picture, page, params) -> None:  # type: ignore[no-untyped-def]
    response = client.get(f"{page}?{urlencode(params)}")
    assert response.status_code < 500, (page, params)
