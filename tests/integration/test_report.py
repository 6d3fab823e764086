"""The nightly report renders, and its figures are the published warehouse's.

Two real nights (`pipeline.run_night`, shared with other tests: the `published_nights`
fixture) on a small generated landing zone; each night's report is then read back with lxml
and every figure a back-office lead would act on (new exceptions, what is owed, counts and
euro by type) is compared with the answer of plain SQL on the publication that night's report
was written from.
A hand-made warehouse holding only `marts.exceptions` checks escaping and the sections of
missing marts.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import duckdb
import pytest
from lxml import etree
from lxml import html as lxml_html

from backoffice import report
from backoffice.settings import Settings

pytestmark = pytest.mark.integration

NIGHTS = (date(2026, 3, 2), date(2026, 3, 9))
SEVERITIES = ("high", "medium", "low")


@pytest.fixture(scope="module")
def nights(published_nights) -> dict:
    """The shared two nights (tests/conftest.py): per night, its publication and summary."""
    assert published_nights.dates == NIGHTS
    return {
        "settings": published_nights.settings,
        "runs": {
            as_of: {
                "publication": published_nights.publications[as_of],
                "summary": published_nights.summaries[as_of],
            }
            for as_of in NIGHTS
        },
    }


def _page(nights: dict, as_of: date) -> etree._Element:
    path = report.report_path(nights["settings"], as_of)
    return lxml_html.parse(str(path)).getroot()


def _sql(nights: dict, as_of: date, query: str, params: list | None = None) -> list[tuple]:
    """Ask the publication that night's report was written from."""
    with duckdb.connect(str(nights["runs"][as_of]["publication"]), read_only=True) as con:
        return con.execute(query, params or []).fetchall()


def _eur(text: str) -> Decimal:
    return Decimal(text.strip().replace(",", ""))


def _cells(row: etree._Element) -> dict[str, str]:
    """A row's cells by their class (the number class first), each cell's own text."""
    out = {}
    for td in row.findall("td"):
        for name in (td.get("class") or "").split():
            if name not in ("num", "neg"):
                out[name] = (td.text or "").strip()
    return out


def _table_rows(page: etree._Element, table_id: str) -> list[etree._Element]:
    return page.xpath(f'//table[@id="{table_id}"]/tbody/tr[not(@class="total")]')


def _tile(page: etree._Element, tile_id: str) -> str:
    return page.xpath(f'//div[@id="{tile_id}"]/div[@class="figure"]')[0].text.strip()


# --- the page itself -----------------------------------------------------------------------------


def test_each_night_writes_its_report_linked_from_the_summary(nights):
    settings = nights["settings"]
    for as_of, run in nights["runs"].items():
        path = report.report_path(settings, as_of)
        assert path == settings.data_dir / "reports" / as_of.isoformat() / "index.html"
        assert path.is_file()
        assert run["summary"]["where_to_look"]["report"] == str(path)
        text = (settings.runs_dir / as_of.isoformat() / "summary.txt").read_text("utf-8")
        assert str(path) in text
    latest = lxml_html.parse(str(report.latest_path(settings))).getroot()
    assert latest.xpath("//a/@href") == [f"{NIGHTS[-1].isoformat()}/index.html"]


@pytest.mark.parametrize("as_of", NIGHTS)
def test_the_page_is_well_formed_self_contained_and_has_charts(nights, as_of):
    path = report.report_path(nights["settings"], as_of)
    text = path.read_text("utf-8")
    assert text.startswith("<!DOCTYPE html>")
    tree = etree.fromstring(text.split("\n", 1)[1].encode())  # strict XML: raises if malformed
    assert tree.tag == "html"
    page = _page(nights, as_of)
    assert page.xpath("//title")[0].text == f"Back-office nightly report {as_of.isoformat()}"
    assert page.xpath('//*[@id="as-of"]')[0].text == as_of.isoformat()
    # Offline: no scripts, no external stylesheet, nothing fetched from a network.
    assert not page.xpath("//script | //link | //iframe | //img")
    assert not [u for u in page.xpath("//@href | //@src") if "://" in u]
    assert page.xpath("//style")[0].text.strip()
    charts = page.xpath('//section[@id="by-type"]//svg')
    assert len(charts) == 2 and all(svg.xpath(".//rect") for svg in charts)
    # One stacked bar per type with open exceptions, labelled with the type.
    open_types = _sql(nights, as_of, "select distinct exception_type from marts.exceptions "
                      "where status = 'open'")  # fmt: skip
    labels = {t.text for t in charts[0].xpath("./text[@text-anchor='end']")}
    assert {t for (t,) in open_types} <= labels
    # Links: the Data Docs relative to the report, and the CSV command.
    docs = page.xpath('//a[@id="data-docs"]/@href')[0]
    assert docs == "../../gx/data_docs/index.html"
    assert page.xpath('//code[@id="csv-command"]')[0].text == "backoffice exceptions --format csv"


# --- its figures against the warehouse -------------------------------------------------------


@pytest.mark.parametrize("as_of", NIGHTS)
def test_new_exceptions_are_the_warehouse_s(nights, as_of):
    page = _page(nights, as_of)
    expected = dict(
        _sql(
            nights,
            as_of,
            "select exception_id, amount_eur from marts.exceptions where detected_on = ?",
            [as_of],
        )
    )
    assert int(_tile(page, "tile-new")) == len(expected)
    assert int(page.xpath('//*[@id="new-count"]')[0].text) == len(expected)
    rows = _table_rows(page, "new-exceptions")
    # Amounts are shown without a sign, labelled by which way the money goes.
    shown = {row.get("data-exception-id"): _eur(_cells(row)["amount"]) for row in rows}
    assert shown == {k: abs(v) for k, v in expected.items()}
    for row in rows:
        amount = expected[row.get("data-exception-id")]
        label = row.xpath('./td[contains(@class, "amount")]')[0].text_content()
        if amount > 0:
            assert "owed to the customer" in label or "overcharged" in label, label
        elif amount < 0:
            assert "owed to the customer" not in label and "overcharged" not in label, label
            assert "under" in label or "credited" in label, label
    for row in rows:  # the id printed under the source is the row's
        assert row.xpath('.//span[contains(@class, "id")]')[0].text == row.get("data-exception-id")
    assert any(v < 0 for v in expected.values()) or as_of != NIGHTS[0], "both directions shown"
    if as_of == NIGHTS[0]:
        assert len(expected) > 10, "the first night finds the sample's defects"


@pytest.mark.parametrize("as_of", NIGHTS)
def test_open_totals_are_the_warehouse_s(nights, as_of):
    page = _page(nights, as_of)
    ((owed, under, open_count),) = _sql(
        nights,
        as_of,
        """
        select
            coalesce(sum(amount_eur - credited_eur) filter (where amount_eur > 0), 0),
            coalesce(sum(amount_eur) filter (where amount_eur < 0), 0),
            count(*)
        from marts.exceptions where status = 'open'
        """,
    )
    assert owed > 0 and under < 0
    # Shown without a sign: the tiles' labels say which way the money goes.
    assert _eur(_tile(page, "tile-owed")) == owed
    assert _eur(_tile(page, "tile-under")) == abs(under)
    assert int(_tile(page, "tile-open")) == open_count
    # ... and they are the figures of the night's summary.
    summary = nights["runs"][as_of]["summary"]
    assert _eur(_tile(page, "tile-owed")) == summary["owed_to_customers_eur"]
    assert _eur(_tile(page, "tile-under")) == abs(Decimal(str(summary["under_billed_eur"])))


@pytest.mark.parametrize("as_of", NIGHTS)
def test_counts_and_euro_by_type_and_severity_are_the_warehouse_s(nights, as_of):
    page = _page(nights, as_of)
    expected = {
        r[0]: {
            "new": r[1],
            "open": r[2],
            "high": r[3],
            "medium": r[4],
            "low": r[5],
            "open-eur": r[6],
            "credited": r[7],
            "resolved": r[8],
        }
        for r in _sql(
            nights,
            as_of,
            """
            select
                exception_type,
                count(*) filter (where detected_on = ?),
                count(*) filter (where status = 'open'),
                count(*) filter (where status = 'open' and severity = 'high'),
                count(*) filter (where status = 'open' and severity = 'medium'),
                count(*) filter (where status = 'open' and severity = 'low'),
                coalesce(sum(amount_eur - credited_eur) filter (where status = 'open'), 0),
                count(*) filter (where status = 'credited'),
                count(*) filter (where status = 'resolved')
            from marts.exceptions
            group by exception_type
            """,
            [as_of],
        )
    }
    shown = {}
    for row in _table_rows(page, "by-type-table"):
        cells = _cells(row)
        shown[cells["type"]] = {
            key: _eur(value) if key == "open-eur" else int(value)
            for key, value in cells.items()
            if key != "type"
        }
    assert shown == expected
    assert len(expected) >= 8, "the sample exercises most of the catalogue"


@pytest.mark.parametrize("as_of", NIGHTS)
def test_what_customers_are_owed_is_the_warehouse_s(nights, as_of):
    page = _page(nights, as_of)
    section = page.xpath('//section[@id="owed"]')[0]
    per_customer = {
        vat: (owed, under, count)
        for vat, owed, under, count in _sql(
            nights,
            as_of,
            "select customer_vat, sum(owed_eur), sum(under_billed_eur), sum(open_exceptions) "
            "from marts.customer_balances group by customer_vat",
        )
    }
    total_owed = sum(owed for owed, _, _ in per_customer.values())
    assert _eur(section.xpath('.//*[@id="balances-owed"]')[0].text) == total_owed
    assert _eur(section.xpath('.//*[@id="balances-under"]')[0].text) == abs(
        sum(under for _, under, _ in per_customer.values())
    )
    # The balances agree with the open exceptions (else the page says so in a notice).
    assert total_owed == _eur(_tile(page, "tile-owed"))
    assert not section.xpath('.//div[contains(@class, "notice")]')
    rows = _table_rows(page, "customers")
    assert rows
    for row in rows:
        cells = _cells(row)
        owed, under, count = per_customer[row.get("data-customer-vat")]
        assert (_eur(cells["owed"]), _eur(cells["under-billed"])) == (owed, abs(under))
        assert int(row.findall("td")[-1].text) == count
    # The largest balances, most owed first.
    owed = [_eur(_cells(row)["owed"]) for row in rows]
    assert owed == sorted((o for o, _, _ in per_customer.values()), reverse=True)[: len(owed)]


def _kpi_expected(kind: str, value) -> str:
    """How the page prints a KPI: a dash for nothing to measure."""
    if value is None:
        return "\u2014"
    if kind == "eur":
        return f"{value:,.2f}"
    if kind == "share":
        return f"{(value * 100).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)} %"
    if kind == "days":
        return f"{Decimal(value).quantize(Decimal('0.1'))}"
    return str(value)


KPI_KINDS = {
    "activated_lines": "count",
    "cycle_time_median_business_days": "days",
    "cycle_time_p90_business_days": "days",
    "share_lines_stuck": "share",
    "share_first_time_right": "share",
    "credit_note_lines": "count",
    "credits_issued_eur": "eur",
    "open_exceptions": "count",
    "open_aged_0_2": "count",
    "open_aged_3_7": "count",
    "open_aged_8_15": "count",
    "open_aged_16_30": "count",
    "open_aged_over_30": "count",
    "money_at_stake_eur": "eur",
}


@pytest.mark.parametrize("as_of", NIGHTS)
def test_provider_kpis_are_the_warehouse_s(nights, as_of):
    page = _page(nights, as_of)
    columns = ", ".join(KPI_KINDS)
    expected = {
        (r[0], r[1]): dict(zip(KPI_KINDS, r[2:], strict=True))
        for r in _sql(
            nights, as_of, f"select provider, month, {columns} from marts.provider_kpis_monthly"
        )
    }
    rows = _table_rows(page, "kpi-table")
    assert {(row.get("data-provider"), row.get("data-month")) for row in rows} == set(expected)
    for row in rows:
        cells = _cells(row)
        want = expected[(row.get("data-provider"), row.get("data-month"))]
        assert {c: cells[c] for c in KPI_KINDS} == {
            c: _kpi_expected(kind, want[c]) for c, kind in KPI_KINDS.items()
        }
    assert any(v["money_at_stake_eur"] for v in expected.values())
    charts = page.xpath('//section[@id="kpis"]//svg')
    assert len(charts) >= 2, "cycle time per provider, and open exceptions by age"


# --- a hand-made warehouse: escaping, missing marts ------------------------------------------


HOSTILE = "<script>alert(\"x\")</script> & <b>bold</b> 'quoted'"


def _minimal_warehouse(path: Path, as_of: date) -> None:
    """Only `marts.exceptions` (OUTPUT.md's columns): no balances, no KPIs, no raw tables."""
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
        con.execute(
            """
            create table marts.exceptions (
                exception_id varchar, exception_type varchar, status varchar, provider varchar,
                customer_vat varchar, order_id varchar, order_line_id varchar,
                invoice_number varchar, invoice_line integer, period_month varchar,
                as_of date, detected_on date, age_business_days integer,
                amount_eur decimal(18, 2), credited_eur decimal(18, 2), severity varchar,
                owner varchar, evidence varchar, source_file varchar, source_row varchar
            )
            """
        )
        rows = [
            ("EX-1", "PRICE_MISMATCH", "open", "alfa", "IT0<i>1", "SO-1", "SO-1-01",
             "A/1", 1, None, as_of, as_of, 0, "1234.50", "0.00", "high", "provider_billing",
             HOSTILE, "alfa/invoices/x<&>.xml", "1/1"),
            ("EX-2", "VAT_ERROR", "open", "nuvola", "IT02", None, None, "F-1", None, None,
             as_of, as_of, 0, "-0.05", "0.00", "low", "provider_billing", "vat", "n.csv", "3"),
            ("EX-3", "ORDER_STUCK", "resolved", "alfa", "IT02", "SO-2", "SO-2-01", None, None,
             None, as_of, date(2026, 1, 5), 9, "0.00", "0.00", "medium", "customer_care",
             "stuck", "a.ndjson", "2"),
        ]  # fmt: skip
        con.executemany(f"insert into marts.exceptions values ({', '.join('?' * 20)})", rows)


def test_data_is_escaped_and_missing_marts_are_said_not_available(tmp_path):
    as_of = date(2026, 3, 2)
    settings = Settings.from_env({"BACKOFFICE_DATA_DIR": str(tmp_path / "data")})
    warehouse = tmp_path / "warehouse.duckdb"
    _minimal_warehouse(warehouse, as_of)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        path = report.write_report(settings, con, as_of)
    text = path.read_text("utf-8")
    etree.fromstring(text.split("\n", 1)[1].encode())
    page = lxml_html.fromstring(text)
    assert not page.xpath("//script | //b | //i"), "data became markup"
    row = page.xpath('//tr[@data-exception-id="EX-1"]')[0]
    assert row.xpath('./td[@class="evidence"]')[0].text == HOSTILE
    assert row.xpath('./td[@class="customer"]')[0].text == "IT0<i>1"
    assert row.xpath('./td[@class="source"]')[0].text == "alfa/invoices/x<&>.xml : 1/1"
    assert _eur(_cells(row)["amount"]) == Decimal("1234.50")
    assert _tile(page, "tile-owed") == "1,234.50"
    assert _tile(page, "tile-under") == "0.05"  # without a sign: the tile says under-billed
    assert int(_tile(page, "tile-new")) == 2
    notices = [n.text_content() for n in page.xpath('//div[contains(@class, "not-available")]')]
    assert any("marts.customer_balances" in n for n in notices)
    assert any("marts.provider_kpis_monthly" in n for n in notices)
    assert page.xpath('//*[@id="run-status"]')[0].text_content().count("no data-check record")
    assert (
        "No feed health in this publication"
        in page.xpath('//section[@id="feeds"]')[0].text_content()
    )


@pytest.mark.parametrize("as_of", NIGHTS)
def test_the_feeds_section_is_marts_feed_health(nights, as_of):
    page = _page(nights, as_of)
    mart = _sql(
        nights,
        as_of,
        "select feed_name, status, rhythm, last_delivery_date, period_files, period_rows, "
        "usual_files, usual_rows, warning from marts.feed_health order by registry_position",
    )
    assert len(mart) >= 7
    rows = _table_rows(page, "feed-health")
    assert [_cells(r)["feed"] for r in rows] == [m[0] for m in mart]
    for row, (_, status, rhythm, last, files, lines, usual_files, usual_rows, _w) in zip(
        rows, mart, strict=True
    ):
        cells = _cells(row)
        assert row.get("class") == f"status-{status}"
        assert cells["rhythm"] == rhythm
        assert cells["last"] == (last.isoformat() if last else "\u2014")
        assert (cells["files"], cells["rows"]) == (str(files), str(lines))
        assert cells["usual-rows"] == (str(usual_rows) if usual_rows is not None else "\u2014")
        assert cells["usual-files"] == (str(usual_files) if usual_files is not None else "\u2014")
    warnings = [w for *_, w in mart if w]
    assert [li.text for li in page.xpath('//ul[@id="feed-warnings"]/li')] == warnings
    assert int(_tile(page, "tile-feeds")) == len(warnings)


def test_the_page_shows_the_nights_summary_not_a_second_count(tmp_path):
    """What the summary holds is shown from it: here it differs from the warehouse on purpose."""
    from dataclasses import replace

    from backoffice.summary import build_summary

    as_of = date(2026, 3, 2)
    settings = Settings.from_env({"BACKOFFICE_DATA_DIR": str(tmp_path / "data")})
    warehouse = tmp_path / "warehouse.duckdb"
    _minimal_warehouse(warehouse, as_of)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        summary = build_summary(con, settings, as_of)
        assert summary.owed_to_customers_eur == Decimal("1234.50")  # the warehouse's figure
        told = replace(summary, owed_to_customers_eur=Decimal("42.00"), files_loaded=7)
        path = report.write_report(settings, con, as_of, summary=told)
    page = lxml_html.fromstring(path.read_text("utf-8"))
    assert _tile(page, "tile-owed") == "42.00"
    assert _tile(page, "tile-under") == "0.05"
    assert page.xpath('//li[@id="files"]')[0].text.startswith("Files: 7 loaded,")


# --- rows not loaded: each unknown state with the row it landed as ---------------------------


def _landed_row(con: duckdb.DuckDBPyConnection, source_file: str, source_row: str) -> str:
    """The landed row, asked one record at a time across the raw tables (the slow, plain way)."""
    tables = con.execute(
        "select table_name from information_schema.columns where table_schema = 'raw' "
        "and column_name = '_source_file' order by table_name"
    ).fetchall()
    for (table,) in tables:
        cursor = con.execute(
            f'select * exclude (_file_sha256, _load_id) from raw."{table}" '
            "where _source_file = ? and _source_row = ?",
            [source_file, source_row],
        )
        found = cursor.fetchall()
        if found:
            names = [d[0] for d in cursor.description]
            pairs = zip(names, found[0], strict=True)
            return ", ".join(f"{n}={v}" for n, v in pairs if v is not None)
    return ""


def test_each_unknown_state_shows_the_row_it_landed_as(tmp_path):
    as_of = date(2026, 3, 2)
    settings = Settings.from_env({"BACKOFFICE_DATA_DIR": str(tmp_path / "data")})
    warehouse = tmp_path / "warehouse.duckdb"
    _minimal_warehouse(warehouse, as_of)
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create schema raw")
        con.execute(
            "create table raw.provider_order_events (order_line_id varchar, state varchar, "
            "_source_file varchar, _source_row varchar, _file_sha256 varchar, _load_id varchar)"
        )
        con.execute(
            "insert into raw.provider_order_events select 'SO-' || i, 'odd_' || (i % 7), "
            "'alfa/events/' || (i % 3) || '.ndjson', cast(i as varchar), 'sha', 'load' "
            "from range(300) as r(i)"
        )
        con.execute(
            "create table marts.unmapped_provider_states as select 'alfa' as provider, "
            "state as provider_state, order_line_id, _source_file as source_file, "
            "_source_row as source_row, 'not in the registry' as reason, "
            "timestamp '2026-03-01 00:00' + to_seconds(cast(_source_row as integer)) as state_at "
            "from raw.provider_order_events"
        )
    with duckdb.connect(str(warehouse), read_only=True) as con:
        path = report.write_report(settings, con, as_of)
        rows = _table_rows(lxml_html.parse(str(path)).getroot(), "unmapped")
        assert len(rows) == 200  # the newest 200 of 300
        for row in rows:
            cells = _cells(row)
            expected = _landed_row(con, cells["file"], cells["row"])
            assert cells["raw"] == expected[:500].strip()
            assert f"state={cells['state']}" in expected


def test_landed_records_are_found_in_one_query_per_table_first_table_first(tmp_path):
    from backoffice.warehouse.landed import raw_records

    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        con.execute("create schema raw")
        for table in ("b_events", "a_orders"):
            con.execute(
                f"create table raw.{table} (state varchar, note varchar, _source_file varchar, "
                "_source_row varchar, _file_sha256 varchar, _load_id varchar)"
            )
        con.execute("insert into raw.a_orders values ('open', null, 'f.csv', '1', 'x', 'l')")
        con.execute(
            "insert into raw.b_events values ('zzz', 'n', 'f.csv', '1', 'x', 'l'), "
            "('weird', 'it''s', 'e.ndjson', '7', 'x', 'l'), "
            "('other', null, 'e.ndjson', '8', 'x', 'l')"
        )
        found = raw_records(con, [("e.ndjson", 7), ("f.csv", "1"), ("gone.csv", "2"), (None, 1)])
    assert found == {
        ("e.ndjson", "7"): "state=weird, note=it's, _source_file=e.ndjson, _source_row=7",
        ("f.csv", "1"): "state=open, _source_file=f.csv, _source_row=1",  # a_orders, by name
    }
