"""Ingest into a real DuckDB file: lineage, quarantine, redeliveries, reruns, new providers."""

from __future__ import annotations

import json
import os
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
import yaml

from backoffice import ingest
from backoffice.parsers import columnar, delimited
from backoffice.parsers.records import FileUnreadable, Record
from backoffice.registry import load_registry
from backoffice.sample import cades
from backoffice.settings import PROJECT_DIR, Settings
from backoffice.warehouse import writer
from backoffice.warehouse.tables import LINEAGE_COLUMNS, TABLES

pytestmark = pytest.mark.integration

FATTURAPA_NS = "http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.2"
D1, D2, D3 = date(2026, 3, 2), date(2026, 3, 3), date(2026, 3, 4)
DATA_TABLES = [*TABLES, "landed_files", "quarantine", "state_map"]

CRM_HEADER = (
    "order_id,order_line_id,customer_vat,customer_name,provider,sku,description,quantity,"
    "unit_price,vat_rate,signed_date,line_status,cancelled_date,updated_at"
)
NUVOLA_ORDERS_HEADER = (
    "id_ordine_fornitore;rif_ordine;rif_riga;codice_articolo;quantita;prezzo_unitario;"
    "data_inserimento"
)
NUVOLA_EVENTS_HEADER = "id_evento;id_ordine_fornitore;rif_riga;stato;data_ora;motivo"
NUVOLA_INVOICES_HEADER = (
    "numero_documento;tipo_documento;data_documento;rif_documento_collegato;cliente_piva;"
    "numero_riga;rif_riga;codice_articolo;descrizione;quantita;periodo_dal;periodo_al;"
    "prezzo_unitario;importo;aliquota_iva;imposta;valuta"
)


# --- a small landing zone -------------------------------------------------------


def _put(landing: Path, relative: str, data: bytes | str, encoding: str = "utf-8") -> Path:
    path = landing / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))
    return path


def _csv(lines: list[str]) -> str:
    return "\r\n".join(lines) + "\r\n"


def _create_event(event_id: str, order: str, line_ids: list[str], price: str = "19.90") -> str:
    items = ",".join(
        f'{{"id": "{line}", "quantity": 2, "action": "add", "productOffering": {{"id": "FIBRA"}},'
        f' "itemPrice": [{{"priceType": "recurring", "recurringChargePeriod": "month",'
        f' "price": {{"dutyFreeAmount": {{"unit": "EUR", "value": {price}}}}}}}]}}'
        for line in line_ids
    )
    return (
        f'{{"eventId": "{event_id}", "eventTime": "2026-03-02T10:00:00+01:00",'
        f' "eventType": "ProductOrderCreateEvent", "event": {{"productOrder": {{"id": "{order}",'
        f' "creationDate": "2026-03-02T09:00:00+01:00", "externalId": [{{"id": "SO-1",'
        f' "externalIdentifierType": "resellerOrder"}}], "productOrderItem": [{items}]}}}}}}'
    )


def _state_event(event_id: str, line: str, state: str, at: str) -> str:
    return json.dumps(
        {
            "eventId": event_id,
            "eventTime": at,
            "eventType": "ProductOrderStateChangeEvent",
            "event": {
                "productOrder": {"id": "A-1", "itemStateChange": [{"itemId": line, "state": state}]}
            },
        }
    )


def _fattura(numero: str, lines_per_body: tuple[int, ...]) -> bytes:
    """A FatturaPA 1.2.2 document written here: one body per entry, that many lines each,
    and one VAT summary per body (so a body of n lines loads n + 1 rows)."""
    bodies = []
    for body, lines in enumerate(lines_per_body, start=1):
        detail = "".join(
            f"""<DettaglioLinee><NumeroLinea>{n}</NumeroLinea>
        <CodiceArticolo><CodiceTipo>SKU</CodiceTipo><CodiceValore>FIBRA</CodiceValore></CodiceArticolo>
        <Descrizione>Canone fibra</Descrizione><Quantita>2.00</Quantita>
        <DataInizioPeriodo>2026-02-01</DataInizioPeriodo><DataFinePeriodo>2026-02-28</DataFinePeriodo>
        <PrezzoUnitario>19.90</PrezzoUnitario><PrezzoTotale>39.80</PrezzoTotale>
        <AliquotaIVA>22.00</AliquotaIVA>
        <AltriDatiGestionali><TipoDato>ORDLINE</TipoDato>
          <RiferimentoTesto>SO-1-01</RiferimentoTesto></AltriDatiGestionali>
      </DettaglioLinee>"""
            for n in range(1, lines + 1)
        )
        taxable = f"{Decimal('39.80') * lines:.2f}"
        bodies.append(
            f"""<FatturaElettronicaBody>
    <DatiGenerali><DatiGeneraliDocumento><TipoDocumento>TD01</TipoDocumento>
      <Divisa>EUR</Divisa><Data>2026-02-28</Data><Numero>{numero}-{body}</Numero>
    </DatiGeneraliDocumento></DatiGenerali>
    <DatiBeniServizi>{detail}
      <DatiRiepilogo><AliquotaIVA>22.00</AliquotaIVA><ImponibileImporto>{taxable}</ImponibileImporto>
        <Imposta>{Decimal(taxable) * Decimal("0.22"):.2f}</Imposta></DatiRiepilogo>
    </DatiBeniServizi>
  </FatturaElettronicaBody>"""
        )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<p:FatturaElettronica xmlns:p="{FATTURAPA_NS}" versione="FPR12">
  <FatturaElettronicaHeader><CessionarioCommittente><DatiAnagrafici>
    <IdFiscaleIVA><IdPaese>IT</IdPaese><IdCodice>01234567890</IdCodice></IdFiscaleIVA>
  </DatiAnagrafici></CessionarioCommittente></FatturaElettronicaHeader>
  {"".join(bodies)}
</p:FatturaElettronica>
""".encode()


def _signed(content: bytes) -> bytes:
    """The document in a CAdES (.p7m) envelope made by the project's own signer."""
    return cades.wrap(content, seed=7, signed_at=datetime(2026, 3, 1, 9, tzinfo=UTC), not_before=D1)


def _landing(landing: Path) -> None:
    """One delivery of every contract feed, with one corrupt row or file here and there."""
    _put(
        landing,
        "crm/signed_orders/2026-03-02/crm_20260302.csv",
        _csv(
            [
                CRM_HEADER,
                'SO-1,SO-1-01,IT01234567890,"Caffè Ñandú, S.r.l.",alfa,FIBRA,"Fibra, 1G",2,'
                "19.9,22.00,2026-02-27,signed,,2026-02-27T16:00:00Z",
                "SO-1,SO-1-02,IT01234567890,Rossi,nuvola,VM-S,,1,10.0000,22.00,2026-02-27,"
                "signed,,2026-02-27T16:00:00Z",
                "SO-1,SO-1-03,IT01234567890,Rossi,nuvola,VM-S,,1,10.0000,22.00,27/02/2026,"
                "signed,,2026-02-27T16:00:00Z",
            ]
        ),
    )
    _put(
        landing,
        "alfa/orders/2026-03-02/orders_20260302.ndjson",
        "\n".join([_create_event("E1", "A-1", ["SO-1-01"]), "{not json"]) + "\n",
    )
    _put(
        landing,
        "alfa/activations/2026-03-02/activations_20260302.ndjson",
        "\n".join(
            [
                _state_event("E2", "SO-1-01", "acknowledged", "2026-03-02T11:00:00+01:00"),
                _state_event("E3", "SO-1-01", "partiallyDelivered", "2026-03-02T12:00:00+01:00"),
            ]
        )
        + "\n",
    )
    # One invoice (a line and its VAT summary), a lot of two bodies (2 + 1 lines, a summary
    # each), and the same lot again inside a signed envelope: 2 + 5 + 5 rows.
    folder = "alfa/invoices/2026-03-02"
    _put(landing, f"{folder}/IT01234567890_00101.xml", _fattura("FA-123", (1,)))
    _put(landing, f"{folder}/IT01234567890_00103.xml", _fattura("FA-LOT", (2, 1)))
    _put(landing, f"{folder}/IT01234567890_00103.xml.p7m", _signed(_fattura("FA-LOT", (2, 1))))
    _put(
        landing,
        "nuvola/orders/2026-03-02/ordini_20260302.csv",
        _csv(
            [
                NUVOLA_ORDERS_HEADER,
                "NV-1;SO-1;SO-1-02;VM-S;1;1.234,5;01/03/2026 10:00:00",
                "NV-1;SO-1;SO-1-03;VM-S;due;10,00;01/03/2026 10:00:00",
            ]
        ),
        "cp1252",
    )
    _put(
        landing,
        "nuvola/activations/2026-03-02/attivazioni_20260302.csv",
        _csv(
            [
                NUVOLA_EVENTS_HEADER,
                "EV-1;NV-1;SO-1-02;INSERITO;29/03/2026 01:59:59;",
                "EV-2;NV-1;SO-1-02;IN_LAVORAZIONE;29/03/2026 02:30:00;ora inesistente",
                "EV-3;NV-1;SO-1-02;ATTIVO;29/03/2026 03:00:00;",
                "EV-4;NV-1;SO-1-02;SOSPESO;25/10/2026 02:30:00;ora doppia",
                "EV-5;NV-1;SO-1-02;CESSATO;25/10/2026 03:00:00;disdetta “cliente”",
            ]
        ),
        "cp1252",
    )
    _put(
        landing,
        "nuvola/invoices/2026-03-02/fatture_202602.csv",
        _csv(
            [
                NUVOLA_INVOICES_HEADER,
                "FN-1;TD01;28/02/2026;;IT01234567890;1;SO-1-02;VM-S;"
                "Canone VM S \u2013 10 € al mese;1;"
                "01/02/2026;28/02/2026;1.234,50;1.234,50;22,00;271,59;EUR",
            ]
        ),
        "cp1252",
    )


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    landing = tmp_path / "landing"
    _landing(landing)
    return Settings(project_dir=PROJECT_DIR, landing_dir=landing, data_dir=tmp_path / "data")


def _ingest_all(settings: Settings, as_of: date, **kwargs) -> dict[tuple[str, str], dict]:
    registry = load_registry(settings.registry_path)
    return {
        (s, f): ingest.ingest_feed(settings, s, f, as_of, **kwargs).to_dict()
        for s, f in registry.feeds()
    }


def _query(settings: Settings, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(settings.build_warehouse), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def _snapshot(warehouse: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return {
            t: sorted(con.execute(f"select * from raw.{t}").fetchall(), key=repr)
            for t in DATA_TABLES
        }


# --- the tests ----------------------------------------------------------------------


def _duckdb_type(sql_type: str) -> str:
    """information_schema's spelling of a raw_schema.sql type."""
    named = {"varchar": "VARCHAR", "integer": "INTEGER", "date": "DATE"}
    named["timestamptz"] = "TIMESTAMP WITH TIME ZONE"
    return named.get(sql_type) or sql_type.upper().replace(" ", "")


def test_the_python_mirror_matches_raw_schema_sql():
    con = duckdb.connect()
    ingest.ensure_raw_schema(con, load_registry(PROJECT_DIR / "config" / "providers.yml"))
    ingest.ensure_raw_schema(con)  # idempotent, and the default registry works
    for table in TABLES.values():
        rows = con.execute(
            "select column_name, data_type, is_nullable = 'NO' from information_schema.columns "
            "where table_schema = 'raw' and table_name = ? order by ordinal_position",
            [table.name],
        ).fetchall()
        data = [(c.name, _duckdb_type(c.sql_type), c.required) for c in table.columns]
        assert rows[: len(data)] == data, table.name
        assert [(name, required) for name, _, required in rows[len(data) :]] == [
            (name, True) for name in LINEAGE_COLUMNS
        ]
    assert con.execute("select count(*) from raw.state_map").fetchone() == (14,)


def test_every_feed_loads_with_lineage_and_counts_reconcile_per_file(settings):
    reports = _ingest_all(settings, D1)
    assert reports["nuvola", "orders"] == {
        "source": "nuvola",
        "feed": "orders",
        "files_loaded": 1,
        "files_redelivered": 0,
        "files_unreadable": 0,
        "files_unexpected": 0,
        "rows_read": 2,
        "rows_loaded": 1,
        "rows_quarantined": 1,
    }
    assert reports["alfa", "invoices"]["files_loaded"] == 3
    assert reports["alfa", "invoices"]["rows_loaded"] == 2 + 5 + 5
    assert reports["crm", "signed_orders"]["rows_quarantined"] == 1
    json.dumps(reports[("alfa", "orders")])  # XCom-ready

    # per file: rows_read = rows_loaded + rows_quarantined, and both match the tables
    loaded_rows = " union all ".join(f"select _source_file as f from raw.{t}" for t in TABLES)
    files = _query(
        settings,
        f"""
        with loaded as (select f, count(*) as n from ({loaded_rows}) group by f),
        rejected as (select source_file as f, count(*) as n from raw.quarantine group by 1)
        select file_path, status, rows_read, rows_loaded, rows_quarantined,
            coalesce(loaded.n, 0), coalesce(rejected.n, 0)
        from raw.landed_files
        left join loaded on loaded.f = file_path
        left join rejected on rejected.f = file_path
        """,
    )
    assert len(files) == 9
    for path, status, read, loaded, quarantined, in_tables, in_quarantine in files:
        assert status == "loaded", path
        assert read == loaded + quarantined, path
        assert (loaded, quarantined) == (in_tables, in_quarantine), path

    (lineage,) = _query(
        settings,
        "select _source_file, _source_row, _file_sha256, _load_id, _delivery_date, _loaded_at "
        "from raw.provider_orders where provider = 'nuvola'",
    )
    assert lineage[:2] == ("nuvola/orders/2026-03-02/ordini_20260302.csv", "1")
    assert len(lineage[2]) == 64
    assert lineage[3] == "2026-03-02/nuvola/orders"
    assert lineage[4] == D1
    assert lineage[5] == datetime(2026, 3, 2, 22, 59, 59, tzinfo=UTC)  # 23:59:59 in Rome


def test_a_corrupt_row_is_quarantined_with_its_reason(settings):
    _ingest_all(settings, D1)
    rows = _query(
        settings,
        "select source, feed, source_file, source_row, reason, raw_record, load_id "
        "from raw.quarantine order by source, feed",
    )
    by_feed = {(r[0], r[1]): r for r in rows}
    nuvola = by_feed["nuvola", "orders"]
    assert nuvola[2:6] == (
        "nuvola/orders/2026-03-02/ordini_20260302.csv",
        "2",
        'row 2: quantita "due" is not a whole number',
        "NV-1;SO-1;SO-1-03;VM-S;due;10,00;01/03/2026 10:00:00",
    )
    assert by_feed["crm", "signed_orders"][4] == (
        'row 3: signed_date "27/02/2026" is not a date in the form yyyy-mm-dd'
    )
    assert by_feed["alfa", "orders"][3:5] == (
        "2",
        "line 2: not valid JSON (Expecting property name enclosed in double quotes, column 2)",
    )
    # and the good rows of the same files loaded
    assert _query(
        settings, "select order_line_id, quantity, unit_price from raw.provider_orders order by 1"
    ) == [
        ("SO-1-01", 2, Decimal("19.9000")),
        ("SO-1-02", 1, Decimal("1234.5000")),
    ]


def test_cp1252_text_and_rome_local_times_land_correctly(settings):
    _ingest_all(settings, D1)
    (description,) = _query(
        settings, "select description from raw.invoice_lines where provider = 'nuvola'"
    )
    assert description == ("Canone VM S \u2013 10 € al mese",)
    events = _query(
        settings,
        "select provider_state, state_at, reason from raw.provider_order_events "
        "where provider = 'nuvola' order by event_id",
    )
    assert [(s, t.astimezone(UTC)) for s, t, _ in events] == [
        ("INSERITO", datetime(2026, 3, 29, 0, 59, 59, tzinfo=UTC)),
        ("IN_LAVORAZIONE", datetime(2026, 3, 29, 1, 30, tzinfo=UTC)),  # 02:30 never happened
        ("ATTIVO", datetime(2026, 3, 29, 1, 0, tzinfo=UTC)),
        ("SOSPESO", datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),  # 02:30 happened twice: the first
        ("CESSATO", datetime(2026, 10, 25, 2, 0, tzinfo=UTC)),
    ]
    assert events[4][2] == "disdetta “cliente”"
    # unknown provider states are kept as landed, and the state map is there to map them
    assert _query(
        settings,
        "select provider_state from raw.provider_order_events where provider = 'alfa' order by 1",
    ) == [
        ("acknowledged",),
        ("partiallyDelivered",),
    ]
    assert _query(
        settings,
        "select canonical_state from raw.state_map "
        "where provider = 'nuvola' and provider_state = 'SOSPESO'",
    ) == [("HELD",)]


def test_a_redelivered_identical_file_is_loaded_once(settings):
    original = settings.landing_dir / "nuvola/orders/2026-03-02/ordini_20260302.csv"
    _put(
        settings.landing_dir, "nuvola/orders/2026-03-03/ordini_20260303.csv", original.read_bytes()
    )
    _put(
        settings.landing_dir,
        "nuvola/orders/2026-03-03/ordini_20260303_bis.csv",
        original.read_bytes(),
    )
    report = ingest.ingest_feed(settings, "nuvola", "orders", D2)
    assert (report.files_loaded, report.files_redelivered, report.rows_loaded) == (1, 2, 1)
    assert _query(
        settings,
        "select file_path, status, duplicate_of, rows_read "
        "from raw.landed_files order by file_path",
    ) == [
        ("nuvola/orders/2026-03-02/ordini_20260302.csv", "loaded", None, 2),
        (
            "nuvola/orders/2026-03-03/ordini_20260303.csv",
            "redelivery",
            "nuvola/orders/2026-03-02/ordini_20260302.csv",
            0,
        ),
        (
            "nuvola/orders/2026-03-03/ordini_20260303_bis.csv",
            "redelivery",
            "nuvola/orders/2026-03-02/ordini_20260302.csv",
            0,
        ),
    ]
    assert _query(settings, "select count(*) from raw.provider_orders") == [(1,)]
    assert _query(settings, "select count(*) from raw.quarantine") == [(1,)]


def test_the_same_bytes_in_another_feed_are_not_a_redelivery(settings):
    _put(settings.landing_dir, "alfa/orders/2026-03-03/orders_20260303.ndjson", b"")
    _put(settings.landing_dir, "alfa/activations/2026-03-03/activations_20260303.ndjson", b"")
    assert ingest.ingest_feed(settings, "alfa", "orders", D2).files_loaded == 2
    assert ingest.ingest_feed(settings, "alfa", "activations", D2).files_loaded == 2
    assert _query(settings, "select count(*) from raw.landed_files where status <> 'loaded'") == [
        (0,)
    ]


def test_a_rerun_of_the_same_date_changes_nothing_and_is_reproducible(settings, tmp_path):
    first = _ingest_all(settings, D1)
    before = _snapshot(settings.build_warehouse)
    again = _ingest_all(settings, D1)
    assert _snapshot(settings.build_warehouse) == before
    assert all(r["files_loaded"] == r["rows_read"] == 0 for r in again.values())
    # a fresh warehouse fed the same landing zone is the same, row for row
    other = tmp_path / "other.duckdb"
    assert _ingest_all(settings, D1, warehouse=other) == first
    assert _snapshot(other) == before


def test_deliveries_after_the_as_of_date_wait_for_their_run(settings):
    line = "NV-2;SO-2;SO-2-01;VM-M;3;20,00;03/03/2026 09:00:00"
    _put(
        settings.landing_dir,
        "nuvola/orders/2026-03-03/ordini_20260303.csv",
        _csv([NUVOLA_ORDERS_HEADER, line]),
        "cp1252",
    )
    assert ingest.ingest_feed(settings, "nuvola", "orders", D1).files_loaded == 1
    assert ingest.ingest_feed(settings, "nuvola", "orders", D2).files_loaded == 1
    assert ingest.ingest_feed(settings, "nuvola", "orders", D3).files_loaded == 0
    assert _query(
        settings, "select _load_id, _delivery_date from raw.provider_orders order by 1"
    ) == [
        ("2026-03-02/nuvola/orders", D1),
        ("2026-03-03/nuvola/orders", D2),
    ]


def test_unreadable_files_are_recorded_and_quarantined_and_the_run_goes_on(settings):
    folder = "alfa/invoices/2026-03-03"
    _put(settings.landing_dir, f"{folder}/IT01234567890_00001.xml", b"<p:FatturaElettronica><oops")
    _put(settings.landing_dir, f"{folder}/IT01234567890_00002.xml.p7m", b"\x30\x82\x01\x00broken")
    _put(settings.landing_dir, f"{folder}/leggimi.txt", "consegna di marzo")
    _put(settings.landing_dir, f"{folder}/IT01234567890_00003.xml", _fattura("FA-3", (1,)))
    _put(
        settings.landing_dir,
        "nuvola/orders/2026-03-03/ordini_x.csv",
        _csv(["codice;quantita", "A;1"]),
        "cp1252",
    )

    report = ingest.ingest_feed(settings, "alfa", "invoices", D2)
    assert (report.files_loaded, report.files_unreadable) == (4, 3)
    assert report.rows_read == report.rows_loaded + report.rows_quarantined
    assert ingest.ingest_feed(settings, "nuvola", "orders", D2).files_unreadable == 1

    unreadable = dict(
        _query(
            settings, "select file_path, error from raw.landed_files where status = 'unreadable'"
        )
    )
    assert unreadable[f"{folder}/IT01234567890_00001.xml"].startswith("not well-formed XML")
    assert unreadable[f"{folder}/IT01234567890_00002.xml.p7m"].startswith(
        "not a valid CAdES/PKCS#7"
    )
    assert unreadable[f"{folder}/leggimi.txt"] == (
        "the file name matches none of the feed's patterns (IT*_*.xml, IT*_*.xml.p7m)"
    )
    assert (
        "lacks column(s) ['id_ordine_fornitore'"
        in unreadable["nuvola/orders/2026-03-03/ordini_x.csv"]
    )
    quarantined = dict(
        _query(
            settings,
            "select source_file, raw_record from raw.quarantine where source_row = 'file'",
        )
    )
    assert quarantined[f"{folder}/leggimi.txt"] == "consegna di marzo"
    assert quarantined[f"{folder}/IT01234567890_00001.xml"] == "<p:FatturaElettronica><oops"
    assert quarantined[f"{folder}/IT01234567890_00002.xml.p7m"].startswith("base64:")
    counts = _query(
        settings,
        "select rows_read, rows_loaded, rows_quarantined from raw.landed_files "
        "where status = 'unreadable'",
    )
    assert set(counts) == {(1, 0, 1)}


def test_a_file_that_fails_half_way_leaves_no_rows(settings, monkeypatch):
    real_parse_bytes = ingest.parse_bytes

    def half_then(error, parse):
        def parse_half(*args):
            for number, item in enumerate(parse(*args)):
                if number == 1:
                    raise error
                yield item

        return parse_half

    # invoices are parsed from their bytes, a chunk at a time (parsers/columnar.py)
    truncated = half_then(FileUnreadable("truncated delivery"), real_parse_bytes)
    monkeypatch.setattr(ingest, "parse_bytes", truncated)
    report = ingest.ingest_feed(settings, "alfa", "invoices", D1)
    assert (report.files_loaded, report.files_unreadable, report.rows_loaded) == (0, 3, 0)
    assert _query(settings, "select count(*) from raw.invoice_lines") == [(0,)]
    assert _query(
        settings, "select count(*), min(reason) from raw.quarantine where source = 'alfa'"
    ) == [(3, "the whole file: truncated delivery")]

    # CSV and NDJSON files stream through parse_rows (delimited rows typed set-based)
    real_parse = ingest.parse_rows
    monkeypatch.setattr(ingest, "parse_rows", half_then(RuntimeError("disk on fire"), real_parse))
    monkeypatch.setattr(delimited, "BATCH_ROWS", 1)  # a Rows batch per row, so there is a second
    with pytest.raises(RuntimeError):
        ingest.ingest_feed(settings, "nuvola", "activations", D1)
    assert _query(
        settings,
        "select (select count(*) from raw.landed_files where source = 'nuvola'), "
        "(select count(*) from raw.provider_order_events)",
    ) == [(0, 0)]
    monkeypatch.undo()
    assert ingest.ingest_feed(settings, "nuvola", "activations", D1).rows_loaded == 5


def test_batches_are_flushed_along_the_way(settings, monkeypatch):
    monkeypatch.setattr(writer, "BATCH_ROWS", 7)
    lines = [f"NV-9;SO-9;SO-9-{i:02d};VM-S;{i};{i},50;02/03/2026 10:00:00" for i in range(1, 51)]
    _put(
        settings.landing_dir,
        "nuvola/orders/2026-03-02/ordini_grande.csv",
        _csv([NUVOLA_ORDERS_HEADER, *lines]),
        "cp1252",
    )
    report = ingest.ingest_feed(settings, "nuvola", "orders", D1)
    assert report.rows_loaded == 51
    rows = _query(
        settings,
        "select count(*), count(distinct _source_row), sum(quantity), sum(unit_price) "
        "from raw.provider_orders where _source_file like '%grande%'",
    )
    assert rows == [(50, 50, 1275, Decimal("1300.0000"))]


def test_a_new_provider_needs_only_a_registry_entry(tmp_path):
    """A third provider with Italian CSV and its own column names and states: YAML only."""
    project = tmp_path / "project"
    doc = yaml.safe_load((PROJECT_DIR / "config" / "providers.yml").read_text(encoding="utf-8"))
    doc["sources"]["stella"] = {
        "description": "Stella Telecom (Italian CSV)",
        "states": {"APERTO": "ACKNOWLEDGED", "ATTIVATO": "ACTIVE", "KO": "REJECTED"},
        "feeds": {
            "orders": {
                "kind": "provider_orders",
                "format": "delimited",
                "dialect": {"base": "italian_csv", "delimiter": "|"},
                "patterns": ["STELLA_ORD_*.txt"],
                "columns": {
                    "provider_order_id": "NUM_ORDINE",
                    "order_id": "ORDINE_CLIENTE",
                    "order_line_id": "RIGA_CLIENTE",
                    "sku": "PRODOTTO",
                    "quantity": "QTA",
                    "unit_price": "CANONE_MESE",
                    "submitted_at": "REGISTRATO_IL",
                },
            },
            "activations": {
                "kind": "provider_order_events",
                "format": "delimited",
                "dialect": "italian_csv",
                "patterns": ["STELLA_EVT_*.csv"],
                "columns": {
                    "event_id": "ID",
                    "order_line_id": "RIGA_CLIENTE",
                    "provider_state": "ESITO",
                    "state_at": "QUANDO",
                },
            },
        },
    }
    (project / "config").mkdir(parents=True)
    (project / "config" / "providers.yml").write_text(
        yaml.safe_dump(doc, allow_unicode=True), "utf-8"
    )
    landing = tmp_path / "landing"
    _put(
        landing,
        "stella/orders/2026-03-02/STELLA_ORD_0001.txt",
        _csv(
            [
                "NUM_ORDINE|ORDINE_CLIENTE|RIGA_CLIENTE|PRODOTTO|QTA|CANONE_MESE|REGISTRATO_IL|NOTE",
                "ST-1|SO-7|SO-7-01|SIM-5G|4|1.000,25|01/03/2026 23:30:00|più €",
            ]
        ),
        "cp1252",
    )
    _put(
        landing,
        "stella/activations/2026-03-02/STELLA_EVT_0001.csv",
        _csv(
            [
                "ID;RIGA_CLIENTE;ESITO;QUANDO",
                "X1;SO-7-01;ATTIVATO;02/03/2026 08:00:00",
                "X2;SO-7-01;SCONOSCIUTO;02/03/2026 09:00:00",
            ]
        ),
        "cp1252",
    )
    settings = Settings(project_dir=project, landing_dir=landing, data_dir=tmp_path / "data")
    assert ("stella", "orders") in load_registry(settings.registry_path).feeds()
    assert ingest.ingest_feed(settings, "stella", "orders", D1).rows_loaded == 1
    assert ingest.ingest_feed(settings, "stella", "activations", D1).rows_loaded == 2
    assert _query(
        settings,
        "select provider, provider_order_id, quantity, unit_price, submitted_at "
        "from raw.provider_orders",
    ) == [("stella", "ST-1", 4, Decimal("1000.2500"), datetime(2026, 3, 1, 22, 30, tzinfo=UTC))]
    assert _query(settings, "select provider_state from raw.provider_order_events order by 1") == [
        ("ATTIVATO",),
        ("SCONOSCIUTO",),
    ]
    assert ("stella", "ATTIVATO", "ACTIVE") in _query(settings, "select * from raw.state_map")


def test_parse_results_are_only_records_for_the_feed_tables(settings):
    feed = load_registry(settings.registry_path).feed("alfa", "invoices")
    path = next((settings.landing_dir / "alfa/invoices/2026-03-02").iterdir())
    assert {i.table for i in ingest.parse_file(path, feed) if isinstance(i, Record)} == {
        "invoice_lines",
        "invoice_vat_summaries",
    }


# --- nothing in the landing zone is invisible; many files per transaction ----------------


def test_whatever_the_registry_does_not_expect_is_recorded_once_as_unexpected(settings):
    landing = settings.landing_dir
    _put(landing, "nuvola/orders/marzo/ordini_20260303.csv", "x")  # not a delivery date
    _put(landing, "nuvola/orders/ordini_sciolto.csv", "x")  # outside any delivery folder
    _put(landing, "nuvola/orders/2026-03-02/annidata/ordini_1.csv", "x")  # a nested folder
    _put(landing, "nuvola/orders/2026-02-30/ordini_1.csv", "x")  # no such day
    _put(landing, "gamma/orders/2026-03-02/ordini.csv", "x")  # a source the registry lacks
    _put(landing, "alfa/fatture/2026-03-02/f.xml", "x")  # a feed alfa does not have
    _put(landing, "alfa/LEGGIMI.txt", "x")  # directly under a source
    _put(landing, "note.txt", "x")  # directly in the landing zone
    _put(landing, ".backoffice-sample", "seed=1")  # the generator's marker is not a delivery
    os.mkfifo(landing / "nuvola/orders/2026-03-02/pipe")

    report = ingest.ingest_feed(settings, "nuvola", "orders", D1)
    assert (report.files_loaded, report.files_unexpected) == (1, 5)
    again = _ingest_all(settings, D1)  # every feed, the same night again: nothing twice
    assert sum(r["files_unexpected"] for r in again.values()) == 0
    unexpected = dict(
        _query(
            settings,
            "select file_path, error from raw.landed_files where status = 'unexpected' "
            "and rows_read = 0 and rows_loaded = 0 and rows_quarantined = 0",
        )
    )
    assert sorted(unexpected) == [
        "alfa/LEGGIMI.txt",
        "alfa/fatture",
        "gamma",
        "note.txt",
        "nuvola/orders/2026-02-30",
        "nuvola/orders/2026-03-02/annidata",
        "nuvola/orders/2026-03-02/pipe",
        "nuvola/orders/marzo",
        "nuvola/orders/ordini_sciolto.csv",
    ]
    assert unexpected["gamma"].startswith("a folder that is no source of the registry")
    assert unexpected["alfa/fatture"].startswith("a folder that is no feed of alfa")
    assert unexpected["nuvola/orders/marzo"].startswith("a folder under the feed whose name")
    assert unexpected["nuvola/orders/2026-03-02/pipe"].startswith("not a regular file")
    assert unexpected["nuvola/orders/ordini_sciolto.csv"].startswith("a file directly under")
    # files landed = loaded + unreadable + redelivery + unexpected, and nothing was loaded twice
    statuses = dict(_query(settings, "select status, count(*) from raw.landed_files group by 1"))
    assert statuses == {"loaded": 9, "unexpected": 9}
    assert _query(settings, "select count(*) from raw.provider_orders") == [(2,)]


def test_a_crash_loses_only_its_batch_and_the_rerun_loads_the_same_rows(
    settings, monkeypatch, tmp_path
):
    folder = settings.landing_dir / "alfa/invoices/2026-03-02"
    sample = (folder / "IT01234567890_00101.xml").read_bytes()
    for n in range(1, 8):  # seven more invoices, each its own bytes
        invoice = sample.replace(b"<Numero>FA-123-1</Numero>", f"<Numero>9{n}</Numero>".encode())
        _put(settings.landing_dir, f"alfa/invoices/2026-03-03/IT01234567890_{n:05d}.xml", invoice)
    monkeypatch.setattr(ingest, "FILES_PER_TRANSACTION", 3)
    monkeypatch.setattr(writer, "BATCH_ROWS", 2)  # batches go out half way through files too
    real_parse = ingest.parse_bytes
    parsed = []

    def crash_on_the_eighth(data, name, feed):
        parsed.append(name)
        if len(parsed) == 8:
            raise RuntimeError("power cut")
        yield from real_parse(data, name, feed)

    monkeypatch.setattr(ingest, "parse_bytes", crash_on_the_eighth)
    with pytest.raises(RuntimeError, match="power cut"):
        ingest.ingest_feed(settings, "alfa", "invoices", D2)
    # two whole batches of three files committed; the third batch left nothing behind
    files = _query(settings, "select count(*), count(distinct load_id) from raw.landed_files")
    assert files == [(6, 1)]
    (in_tables,) = _query(settings, "select count(distinct _source_file) from raw.invoice_lines")
    assert in_tables == (6,)

    monkeypatch.setattr(ingest, "parse_bytes", real_parse)
    report = ingest.ingest_feed(settings, "alfa", "invoices", D2)
    assert report.files_loaded == 4
    clean = tmp_path / "clean.duckdb"
    ingest.ingest_feed(settings, "alfa", "invoices", D2, warehouse=clean)
    assert _snapshot(settings.build_warehouse) == _snapshot(clean)


@pytest.mark.parametrize("set_based", [True, False], ids=["set-based", "row-by-row"])
def test_a_file_unreadable_after_a_batch_went_out_is_taken_back_whole(
    settings, monkeypatch, set_based
):
    monkeypatch.setattr(writer, "BATCH_ROWS", 1)  # every row is flushed as soon as parsed
    monkeypatch.setattr(delimited, "BATCH_ROWS", 1)  # and typed set-based one at a time
    monkeypatch.setattr(delimited, "SET_BASED_FROM_ROWS", 0)
    monkeypatch.setattr(ingest, "SET_BASED", set_based)
    real_parse = ingest.parse_rows

    def third_row_fails(path, feed):
        for number, item in enumerate(real_parse(path, feed)):
            if number == 2 and "attivazioni" in path.name:
                raise FileUnreadable("the delivery stops mid-row")
            yield item

    monkeypatch.setattr(ingest, "parse_rows", third_row_fails)
    report = ingest.ingest_feed(settings, "nuvola", "activations", D1)
    assert (report.files_loaded, report.files_unreadable, report.rows_loaded) == (0, 1, 0)
    assert _query(settings, "select count(*) from raw.provider_order_events") == [(0,)]
    assert _query(settings, "select source_row, reason from raw.quarantine") == [
        ("file", "the whole file: the delivery stops mid-row")
    ]


# --- invoices parsed in worker processes --------------------------------------------


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Settings:
    """A generated landing zone (two nights), and in its last delivery what the workers
    must treat as the loading process does: a broken invoice, a name matching no pattern,
    and an invoice delivered twice in the same folder (the same chunk)."""
    from backoffice.sample import generate_landing_zone

    root = tmp_path_factory.mktemp("generated")
    landing = root / "landing"
    generate_landing_zone(
        landing, root / "ledger.csv", seed=5, order_lines=120, as_of_dates=[D1, D2]
    )
    folder = landing / "alfa/invoices" / max(os.listdir(landing / "alfa/invoices"))
    first = sorted(folder.iterdir())[0]
    _put(folder, "IT01234567890_99998.xml", b"<p:FatturaElettronica><oops")
    _put(folder, "zz_copy_of_the_first.xml", first.read_bytes() + b"\n")  # no pattern
    _put(folder, first.name.replace(".xml", "_again.xml"), first.read_bytes())
    orders = landing / "nuvola/orders" / max(os.listdir(landing / "nuvola/orders"))
    text = sorted(orders.iterdir())[0].read_bytes()
    _put(orders, "ordini_99.csv", text.replace(b"quantita", b"qta", 1))  # schema drift
    return Settings(project_dir=PROJECT_DIR, landing_dir=landing, data_dir=root / "data")


def _with(settings: Settings, data: Path, **env: str) -> Settings:
    return Settings(
        project_dir=PROJECT_DIR, landing_dir=settings.landing_dir, data_dir=data, env=env
    )


def test_files_parsed_in_worker_processes_load_exactly_what_one_process_loads(
    generated, tmp_path, monkeypatch
):
    serial = _with(generated, tmp_path / "serial", BACKOFFICE_INGEST_WORKERS="1")
    report = _ingest_all(serial, D2)  # both nights' deliveries in one load per feed

    # small chunks and transactions, so that a load has several of each, all in workers
    monkeypatch.setattr(ingest, "CHUNK_FILES", 4)
    monkeypatch.setattr(ingest, "FILES_PER_TRANSACTION", 10)
    monkeypatch.setattr(ingest, "PARALLEL_FROM_BYTES", 0)  # CSV and NDJSON files too
    started = []
    real_popen = columnar.subprocess.Popen

    def popen(command, **kwargs):
        started.append("/".join(command[-2:]))
        return real_popen(command, **kwargs)

    monkeypatch.setattr(columnar.subprocess, "Popen", popen)
    in_workers = {("alfa", "invoices"), ("alfa", "activations"), ("nuvola", "orders")}
    data = tmp_path / "parallel"
    for source, feed in load_registry(serial.registry_path).feeds():
        workers = "2" if (source, feed) in in_workers else "1"  # each start costs ~0.3 CPU s
        settings = _with(
            generated, data, BACKOFFICE_INGEST_WORKERS=workers, BACKOFFICE_INGEST_PARALLEL_FROM="0"
        )
        loaded = ingest.ingest_feed(settings, source, feed, D2).to_dict()
        assert loaded == report[(source, feed)]
    assert sorted(started) == sorted(f"{s}/{f}" for s, f in in_workers for _ in range(2))

    parallel = _with(generated, data, BACKOFFICE_INGEST_WORKERS="2")
    rows = _snapshot(parallel.build_warehouse)
    assert rows == _snapshot(serial.build_warehouse)
    files = {r[0].rsplit("/", 1)[-1]: (r[7], r[12]) for r in rows["landed_files"]}
    assert files["IT01234567890_99998.xml"][0] == "unreadable"
    assert files["zz_copy_of_the_first.xml"][0] == "unreadable"
    assert any(name.endswith("_again.xml") and s == "redelivery" for name, (s, _) in files.items())
    status, error = files["ordini_99.csv"]
    assert status == "unreadable" and error.startswith("the header changed since")
    assert len(rows["invoice_lines"]) > 50
    assert len(rows["quarantine"]) > 4
    # a rerun in workers changes nothing
    assert _ingest_all(parallel, D2)[("alfa", "invoices")]["files_loaded"] == 0
    assert _snapshot(parallel.build_warehouse) == rows


def _workers_die(patch: pytest.MonkeyPatch) -> None:
    """Each ingest worker is killed just before its parsed chunk is read back."""
    real_receive = columnar._receive

    def kill_then_receive(tag, process):
        process.kill()
        process.wait()
        return real_receive(tag, process)

    patch.setattr(columnar, "_receive", kill_then_receive)


def test_a_worker_that_dies_fails_the_load_and_leaves_nothing_half_loaded(generated, tmp_path):
    settings = _with(
        generated,
        tmp_path / "data",
        BACKOFFICE_INGEST_WORKERS="2",
        BACKOFFICE_INGEST_PARALLEL_FROM="0",
    )
    with pytest.MonkeyPatch.context() as patch:
        _workers_die(patch)
        with pytest.raises(RuntimeError, match="an ingest worker process stopped"):
            ingest.ingest_feed(settings, "alfa", "invoices", D2)
    assert _query(settings, "select count(*) from raw.landed_files") == [(0,)]
    report = ingest.ingest_feed(settings, "alfa", "invoices", D2)  # the rerun loads it all
    assert report.files_loaded > 0
    assert report.rows_read == report.rows_loaded + report.rows_quarantined


def test_the_worker_settings_default_to_the_cores_and_refuse_what_is_not_a_number():
    from backoffice.errors import BackofficeError

    assert Settings.from_env({}).ingest_workers == max(1, os.cpu_count() or 1)
    assert Settings.from_env({"BACKOFFICE_INGEST_WORKERS": "0"}).ingest_workers == 1
    assert Settings.from_env({}).ingest_parallel_from == 500
    with pytest.raises(BackofficeError, match="BACKOFFICE_INGEST_WORKERS is 'two'"):
        _ = Settings.from_env({"BACKOFFICE_INGEST_WORKERS": "two"}).ingest_workers


# --- delimited rows typed set-based (parsers/arrowtyping.py) ---------------------------


@pytest.fixture(scope="module")
def odd_rows(tmp_path_factory) -> Settings:
    """A generated landing zone (its corrupt rows injected by the generator), and a file
    per delimited feed of rows a set-based typing must leave to Python: DST changes, a
    rolled-over date, signs and thousands marks, edge whitespace, mojibake, a short row."""
    from backoffice.sample import generate_landing_zone

    root = tmp_path_factory.mktemp("odd_rows")
    landing = root / "landing"
    generate_landing_zone(
        landing, root / "ledger.csv", seed=11, order_lines=160, as_of_dates=[D1, D2]
    )
    good = (
        "SO-9,SO-9-01,IT01234567890,Rossi,alfa,FIBRA,,2,19.90,22.00,2026-02-27,signed,,"
        "2026-02-27T16:00:00Z"
    )
    odd_crm = [
        good.replace("Rossi", "Rossi\u00a0"),
        good.replace(",2,19.90", ",+2,19.90"),
        good.replace("19.90", "19.900000"),
        good.replace("19.90", "19.123456"),
        good.replace("2026-02-27T16:00:00Z", "2026-02-27T16:00:00"),
        good.replace("2026-02-27,signed", "2026-02-30,signed"),
        good.replace("signed,,", "cancelled,,"),
        "SO-9,short",
    ]
    _put(landing, "crm/signed_orders/2026-03-03/crm_odd.csv", _csv([CRM_HEADER, good, *odd_crm]))
    event = "EV-9;NV-9;SO-9-01;ATTIVO;{};{}"
    odd_events = [
        event.format("29/03/2026 02:30:00", ""),
        event.format("25/10/2026 02:30:00", ""),
        event.format("31/02/2026 10:00:00", ""),
        event.format("1/3/2026 10:00:00", ""),
        event.format("02/03/2026 10:00:00", "perchÃ©"),
        event.format("02/03/2026 10:00:00", "nota\u00a0"),
        event.format("02/03/2026 10:00:00", "disdetta “cliente”"),
    ]
    _put(
        landing,
        "nuvola/activations/2026-03-03/attivazioni_odd.csv",
        _csv([NUVOLA_EVENTS_HEADER, *odd_events]),
        "cp1252",
    )
    order = "NV-9;SO-9;SO-9-{:02d};VM-S;{};{};02/03/2026 10:00:00"
    odd_orders = [order.format(1, "1.000", "10,00"), order.format(2, "3", "1.23,4")]
    odd_orders.append(order.format(3, "2", "-1,00"))
    _put(
        landing,
        "nuvola/orders/2026-03-03/ordini_odd.csv",
        _csv([NUVOLA_ORDERS_HEADER, *odd_orders]),
        "cp1252",
    )
    return Settings(project_dir=PROJECT_DIR, landing_dir=landing, data_dir=root / "data")


def test_set_based_typing_loads_exactly_what_row_by_row_typing_loads(
    odd_rows, tmp_path, monkeypatch
):
    """Every raw table, the quarantine (rows and reasons) and the manifest (counts) are the
    same through both paths; most delimited rows really were typed set-based."""
    from backoffice.parsers import tmf622
    from backoffice.parsers.arrowtyping import RowTyping

    monkeypatch.setattr(delimited, "SET_BASED_FROM_ROWS", 0)  # small files: set-based all the same
    monkeypatch.setattr(tmf622, "SET_BASED_FROM_BYTES", 0)
    monkeypatch.setattr(ingest, "SET_BASED", False)
    reference = _with(odd_rows, tmp_path / "reference", BACKOFFICE_INGEST_WORKERS="1")
    expected = _ingest_all(reference, D2)

    typed_rows = []
    real_type_rows = RowTyping.type_rows

    def counting(self, rows, first):
        result = real_type_rows(self, rows, first)
        typed_rows.append(0 if result is None or result[0] is None else result[0].num_rows)
        return result

    monkeypatch.setattr(RowTyping, "type_rows", counting)
    monkeypatch.setattr(ingest, "SET_BASED", True)
    set_based = _with(odd_rows, tmp_path / "set_based", BACKOFFICE_INGEST_WORKERS="1")
    assert _ingest_all(set_based, D2) == expected
    rows = _snapshot(set_based.build_warehouse)
    assert rows == _snapshot(reference.build_warehouse)

    delimited_rows = sum(r["rows_loaded"] for (s, _), r in expected.items() if s != "alfa")
    assert sum(typed_rows) > 0.9 * delimited_rows
    reasons = {r[4] for r in rows["quarantine"]}  # source_row, reason: the odd ones' reasons
    assert any("signed_date" in r and "is not a date" in r for r in reasons)
    assert any("would load as mojibake" in r for r in reasons)
    assert any("has 2 fields, the header has 14" in r for r in reasons)
    assert any("prezzo_unitario -1.00 is negative" in r for r in reasons), reasons
    (state_at,) = _query(
        set_based,
        "select state_at from raw.provider_order_events where event_id = 'EV-9' "
        "and reason is null order by state_at limit 1",
    )
    assert state_at[0] == datetime(2026, 3, 1, 9, 0, tzinfo=UTC)  # 1/3/2026 10:00 in Rome


# --- every feed at once: invoices parsed ahead while the other feeds load -----------------


def test_feeds_loaded_together_load_what_each_feed_alone_loads(generated, tmp_path, monkeypatch):
    """ingest_feeds has the workers parse the invoices while the CSV and NDJSON feeds load
    here; every table, count and reason is what one feed after the other gives."""
    monkeypatch.setattr(ingest, "CHUNK_FILES", 4)  # several chunks, each parsed in a worker
    env = {"BACKOFFICE_INGEST_WORKERS": "2", "BACKOFFICE_INGEST_PARALLEL_FROM": "0"}
    alone = _with(generated, tmp_path / "alone", **env)
    expected = {f"{s}/{f}": r for (s, f), r in _ingest_all(alone, D2).items()}
    together = _with(generated, tmp_path / "together", **env)
    outcomes = ingest.ingest_feeds(together, D2)
    assert list(outcomes) == list(expected)  # the registry's order
    assert {name: r.to_dict() for name, r in outcomes.items()} == expected
    assert _snapshot(together.build_warehouse) == _snapshot(alone.build_warehouse)
    again = ingest.ingest_feeds(together, D2)  # a rerun: nothing new
    assert all(r.files_loaded == 0 for r in again.values())


def test_a_feed_that_fails_does_not_stop_the_others(generated, tmp_path, monkeypatch):
    """A worker dies while the invoices are parsed ahead: that feed fails whole (nothing of
    it loaded), the other feeds load, and the rerun loads the invoices."""
    settings = _with(
        generated,
        tmp_path / "data",
        BACKOFFICE_INGEST_WORKERS="2",
        BACKOFFICE_INGEST_PARALLEL_FROM="0",
    )
    real_parse = ingest.parse_rows

    def broken_orders(path, feed):
        if feed.source == "nuvola" and feed.name == "orders":
            raise OSError("the disk is gone")
        return real_parse(path, feed)

    _workers_die(monkeypatch)
    monkeypatch.setattr(ingest, "parse_rows", broken_orders)
    outcomes = ingest.ingest_feeds(settings, D2)
    failed = {name: r for name, r in outcomes.items() if isinstance(r, Exception)}
    assert sorted(failed) == ["alfa/invoices", "nuvola/orders"]
    assert "an ingest worker process stopped" in str(failed["alfa/invoices"])
    assert all(r.files_loaded > 0 for n, r in outcomes.items() if n not in failed)
    assert _query(
        settings,
        "select count(*) from raw.landed_files where feed = 'invoices' and source = 'alfa'",
    ) == [(0,)]

    monkeypatch.undo()
    rerun = ingest.ingest_feeds(settings, D2)
    assert rerun["alfa/invoices"].files_loaded > 0
    assert rerun["nuvola/orders"].files_loaded > 0
    assert rerun["crm/signed_orders"].files_loaded == 0


def test_the_public_samples_load_the_same_through_both_paths(tmp_path, monkeypatch):
    """TM Forum's v5 event examples (as NDJSON lines: the state change typed by Arrow, the
    others refused by Python) and the official FatturaPA samples load, and are quarantined
    with their reasons, the same way with and without set-based typing."""
    reference_dir = Settings.from_env({}).reference_dir
    examples = sorted((reference_dir / "tmforum/tmf622/v5-examples").glob("*Event*.json"))
    lines = [json.dumps(json.loads(e.read_text(encoding="utf-8"))) for e in examples]
    landing = tmp_path / "landing"
    for feed in ("orders", "activations"):
        _put(landing, f"alfa/{feed}/2026-03-02/events.ndjson", "\n".join(lines) + "\n")
    state_change = next(line for line in lines if '"ProductOrderStateChangeEvent"' in line)
    _put(landing, "alfa/activations/2026-03-02/only_changes.ndjson", state_change + "\n")
    for sample in sorted((reference_dir / "fatturapa/samples/official-sdi").glob("*.xml")):
        _put(landing, f"alfa/invoices/2026-03-02/{sample.name}", sample.read_bytes())
    from backoffice.parsers import tmf622

    monkeypatch.setattr(delimited, "SET_BASED_FROM_ROWS", 0)  # small files: set-based all the same
    monkeypatch.setattr(tmf622, "SET_BASED_FROM_BYTES", 0)
    snapshots, reports = [], []
    for set_based in (False, True):
        monkeypatch.setattr(ingest, "SET_BASED", set_based)
        settings = Settings(
            project_dir=PROJECT_DIR, landing_dir=landing, data_dir=tmp_path / str(set_based)
        )
        reports.append(_ingest_all(settings, D1))
        snapshots.append(_snapshot(settings.build_warehouse))
    assert reports[0] == reports[1]
    assert snapshots[0] == snapshots[1]
    events = snapshots[1]["provider_order_events"]
    assert len(events) == 4 and {e[3] for e in events} == {"1", "2"}  # two lines, two items
    assert len(snapshots[1]["quarantine"]) >= len(lines)  # the other events, with reasons
