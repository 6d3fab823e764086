"""Schema drift, for real: a provider's header gains a column, then renames one.

Four deliveries of nuvola/activations are ingested into a DuckDB warehouse
(the project's registry), then dbt builds marts.schema_drift: the gained column
loads and is still named, the renamed one is named with the delivery that
first showed it and the latest that still does, and the refused file's reason
says what changed since which file.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from backoffice.dbt_runner import run_dbt
from backoffice.ingest import ingest_feed
from backoffice.settings import Settings

HEADER = ["id_evento", "id_ordine_fornitore", "rif_riga", "stato", "data_ora", "motivo"]
DAYS = (date(2026, 3, 2), date(2026, 3, 3), date(2026, 3, 4), date(2026, 3, 5))
LANDED_FILES_BEFORE_HEADERS = """
create schema raw;
create table raw.landed_files (
    file_path varchar primary key, source varchar not null, feed varchar not null,
    delivery_date date not null, size_bytes bigint not null, file_sha256 varchar not null,
    load_id varchar not null, status varchar not null, duplicate_of varchar,
    rows_read integer not null, rows_loaded integer not null, rows_quarantined integer not null,
    error varchar, loaded_at timestamptz not null
);
insert into raw.landed_files values ('crm/signed_orders/2026-03-01/old.csv', 'crm',
    'signed_orders', '2026-03-01', 10, 'ab', '2026-03-01/crm/signed_orders', 'loaded', null,
    0, 0, 0, null, '2026-03-01 22:59:59+00');
"""


def _file(landing: Path, day: date, header: list[str]) -> str:
    folder = landing / "nuvola" / "activations" / day.isoformat()
    folder.mkdir(parents=True)
    rows = [";".join(header)]
    for n in (1, 2):
        values = {"id_evento": f"EV{day:%d}{n}", "id_ordine_fornitore": "NV-1",
                  "rif_riga": f"SO-2026-00000{n}-01", "stato": "ATTIVO",
                  "data_ora": f"{day:%d/%m/%Y} 10:00:00", "data_evento": f"{day:%d/%m/%Y} 10:00:00",
                  "motivo": "", "canale": "web"}  # fmt: skip
        rows.append(";".join(values[c] for c in header))
    path = folder / f"attivazioni_{day:%Y%m%d}.csv"
    path.write_bytes(("\r\n".join(rows) + "\r\n").encode("cp1252"))
    return path.relative_to(landing).as_posix()


@pytest.fixture(scope="module")
def drift(tmp_path_factory):
    root = tmp_path_factory.mktemp("drift")
    landing = root / "landing"
    gained = [*HEADER, "canale"]
    renamed = [c if c != "data_ora" else "data_evento" for c in gained]
    files = [
        _file(landing, DAYS[0], HEADER),
        _file(landing, DAYS[1], gained),
        _file(landing, DAYS[2], renamed),
        _file(landing, DAYS[3], renamed),
    ]
    # Unreadable for its encoding, not its header: its header is no drift.
    utf16 = landing / files[1].replace(".csv", "_b.csv")
    utf16.write_bytes(";".join(renamed).encode("utf-16"))
    files.append(utf16.relative_to(landing).as_posix())
    settings = Settings.from_env(
        {"BACKOFFICE_LANDING_DIR": str(landing), "BACKOFFICE_DATA_DIR": str(root / "data")}
    )
    warehouse = root / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as con:  # a warehouse from before headers were kept
        con.execute(LANDED_FILES_BEFORE_HEADERS)
    reports = [ingest_feed(settings, "nuvola", "activations", d, warehouse=warehouse) for d in DAYS]
    run_dbt(settings, "run", "--select", "+schema_drift", as_of=DAYS[-1], warehouse=warehouse)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        marts = con.execute(
            "select drift_type, column_name, renamed_to, drift, first_delivery_date, "
            "first_file_path, compared_with_file_path, last_seen_date, last_seen_file_path, "
            "is_current from marts.schema_drift order by first_file_path"
        ).fetchall()
        manifest = dict(
            con.execute(
                "select file_path, coalesce(error, status) from raw.landed_files"
            ).fetchall()
        )
        headers = con.execute(
            "select file_path, header_columns from raw.landed_files order by file_path"
        ).fetchall()
    return files, reports, marts, manifest, headers


def test_a_gained_column_loads_and_is_still_named(drift):
    files, reports, marts, manifest, _ = drift
    assert reports[1].files_loaded == 1 and reports[1].rows_loaded == 2
    assert manifest[files[1]] == "loaded"
    assert marts[0] == (
        "gained", "canale", None, "gained column canale", DAYS[1], files[1], files[0],
        DAYS[3], files[3], True,
    )  # fmt: skip


def test_a_renamed_column_is_named_since_its_first_delivery(drift):
    files, reports, marts, manifest, _ = drift
    assert marts[1:] == [
        (
            "renamed", "data_ora", "data_evento", "column data_ora renamed to data_evento",
            DAYS[2], files[2], files[1], DAYS[3], files[3], True,
        )
    ]  # fmt: skip
    assert [r.files_unreadable for r in reports[2:]] == [1, 1]
    first = manifest[files[2]]
    assert first.startswith(
        f"the header changed since {files[1]}: column data_ora renamed to data_evento; "
    ), first
    assert "schema drift: column data_ora renamed to data_evento" in manifest[files[3]]


def test_a_file_unreadable_for_another_reason_is_no_drift(drift):
    files, _, marts, manifest, headers = drift
    assert "UTF-16 byte-order mark" in manifest[files[4]]
    assert dict(headers)[files[4]] is None
    assert [row[6] for row in marts] == [files[0], files[1]]  # compared with the good files


def test_an_existing_warehouse_gets_the_header_column(drift):
    files, _, _, _, headers = drift
    recorded = dict(headers)
    assert recorded["crm/signed_orders/2026-03-01/old.csv"] is None
    assert recorded[files[0]] == '["' + '", "'.join(HEADER) + '"]'
