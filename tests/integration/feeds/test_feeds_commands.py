"""`backoffice feeds`: the data engineer's dry run, listing and new-feed scaffold, for real.

Files are written here by hand in each feed's format; the registry is the project's own
(or a copy, when a test adds to it).
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from backoffice.cli import main
from backoffice.feeds.check import check_files, render_text
from backoffice.registry import load_registry
from backoffice.sample import zefiro
from backoffice.settings import PROJECT_DIR

REGISTRY = PROJECT_DIR / "config" / "providers.yml"
HEADER = "id_evento;id_ordine_fornitore;rif_riga;stato;data_ora;motivo"


def _nuvola(path: Path, lines: list[str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    return path


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    return {
        "renamed": _nuvola(
            tmp_path / "attivazioni_renamed.csv",
            [HEADER.replace("data_ora", "data_evento"),
             "EV1;NV-1;SO-2026-000001-01;ATTIVO;02/03/2026 10:00:00;"],
        ),
        "unknown_state": _nuvola(
            tmp_path / "attivazioni_state.csv",
            [HEADER,
             "EV2;NV-1;SO-2026-000001-01;INSERITO;02/03/2026 10:00:00;",
             "EV3;NV-1;SO-2026-000001-01;PARCHEGGIATO;03/03/2026 10:00:00;in attesa «€»"],
        ),
        "bad_row": _nuvola(
            tmp_path / "attivazioni_bad.csv",
            [HEADER,
             "EV4;NV-2;SO-2026-000002-01;ATTIVO;31/02/2026 10:00:00;",
             "EV5;NV-2;SO-2026-000002-01;ATTIVO;01/03/2026 10:00:00;"],
        ),
    }  # fmt: skip


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_check_names_each_problem_with_its_row_and_fails_only_for_the_renamed_column(files, capsys):
    code, out, _ = _run(
        capsys, "feeds", "check", "nuvola/activations",
        str(files["unknown_state"]), str(files["bad_row"]),
    )  # fmt: skip
    assert code == 0, out
    assert "unknown provider state 'PARCHEGGIATO' (not in the state map) at row(s) 2" in out
    assert "quarantined: row 1: row 1: data_ora" in out and "31/02/2026" in out
    assert "row 2: provider=nuvola, event_id=EV5" in out
    assert out.count("verdict: LOADS") == 2

    code, out, _ = _run(
        capsys, "feeds", "check", "nuvola/activations",
        str(files["renamed"]), str(files["unknown_state"]), str(files["bad_row"]),
    )  # fmt: skip
    assert code == 1
    renamed = out.split("== ")[1]
    assert "state_at                 <- data_ora                 MISSING from the header" in renamed
    assert "columns not used: data_evento" in renamed
    assert "schema drift: column data_ora renamed to data_evento" in renamed
    assert "verdict: CANNOT LOAD" in renamed and "data_ora" in renamed
    assert out.count("verdict: LOADS") == 2


def test_check_refuses_an_unknown_feed_and_a_missing_file(files, capsys):
    code, _, err = _run(capsys, "feeds", "check", "nuvola/nothing", str(files["bad_row"]))
    assert code == 1 and "nuvola/nothing is not in" in err
    code, _, err = _run(capsys, "feeds", "check", "nuvola", str(files["bad_row"]))
    assert code == 1 and "is not SOURCE/FEED" in err
    code, _, err = _run(capsys, "feeds", "check", "nuvola/activations", "/no/such.csv")
    assert code == 1 and "no such file" in err


def test_new_writes_a_reviewable_entry_for_a_new_provider_and_checks_it(tmp_path, capsys):
    registry = tmp_path / "providers.yml"
    shutil.copyfile(REGISTRY, registry)
    before = registry.read_text(encoding="utf-8")
    orders = _nuvola(
        tmp_path / "ordini_cirrus_20260302.csv",
        ["Id_Ordine;Rif_Ordine;Rif_Riga;Articolo;Qta;Prezzo;Data_Inserimento;Canale",
         "CR-1;SO-2026-000001;SO-2026-000001-01;VM-S;2;12,50;02/03/2026 09:00:00;web"],
    )  # fmt: skip
    code, out, _ = _run(
        capsys, "feeds", "new", "cirrus/orders", "--kind", "provider_orders",
        "--format", "delimited", "--sample", str(orders), "--registry", str(registry),
    )  # fmt: skip
    assert code == 0, out
    assert "verdict: LOADS: 1 record(s) of 1 row(s)" in out
    text = registry.read_text(encoding="utf-8")
    assert text.startswith(before.rstrip("\n")), "the existing entries and comments stay"
    feed = load_registry(registry).feed("cirrus", "orders")
    assert feed.patterns == ("ordini_cirrus_*.csv",)
    assert dict(feed.columns) == {
        "provider_order_id": "Id_Ordine", "order_id": "Rif_Ordine", "order_line_id": "Rif_Riga",
        "sku": "Articolo", "quantity": "Qta", "unit_price": "Prezzo",
        "submitted_at": "Data_Inserimento",
    }  # fmt: skip
    assert "# event_id: <header column>   (optional: not guessed)" in text

    events = _nuvola(
        tmp_path / "stati_20260303.csv",
        ["evento;ordine;riga;stato;quando",
         "E1;CR-1;SO-2026-000001-01;Attivato;03/03/2026 10:00:00",
         "E2;CR-1;SO-2026-000001-01;Respinto KO;03/03/2026 11:00:00"],
    )  # fmt: skip
    written = registry.read_text(encoding="utf-8")
    new_feed = (
        "feeds",
        "new",
        "cirrus/activations",
        "--kind",
        "provider_order_events",
        "--format",
        "delimited",
        "--sample",
        str(events),
        "--registry",
        str(registry),
    )
    code, out, err = _run(capsys, *new_feed)
    # Required fields the names do not give are refused, not written: the registry must load.
    assert code == 1 and "['event_id', 'order_line_id', 'state_at']" in err and "--map" in err
    assert "(NOT written)" in out
    assert registry.read_text(encoding="utf-8") == written
    code, out, err = _run(
        capsys, *new_feed, "--map", "event_id=evento", "--map", "order_line_id=riga",
        "--map", "state_at=quando", "--map", "provider_order_id=ordine",
    )  # fmt: skip
    assert code == 0, out + err
    assert "verdict: LOADS: 2 record(s) of 2 row(s)" in out
    added = load_registry(registry)
    assert dict(added.sources["cirrus"].states) == {"Attivato": "ACTIVE", "Respinto KO": "REJECTED"}


def test_new_refuses_a_feed_that_exists(tmp_path, capsys, files):
    registry = tmp_path / "providers.yml"
    shutil.copyfile(REGISTRY, registry)
    code, _, err = _run(
        capsys, "feeds", "new", "nuvola/activations", "--kind", "provider_order_events",
        "--format", "delimited", "--sample", str(files["bad_row"]), "--registry", str(registry),
    )  # fmt: skip
    assert code == 1 and "already in" in err
    assert registry.read_bytes() == REGISTRY.read_bytes()


def test_list_shows_every_feed_of_the_registry_before_any_night(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("BACKOFFICE_DATA_DIR", str(tmp_path / "data"))
    code, out, _ = _run(capsys, "feeds", "list")
    assert code == 0
    for source, feed in load_registry(REGISTRY).feeds():
        line = next(x for x in out.splitlines() if x.startswith(f"{source}/{feed} "))
        assert "never" in line
    assert "no night published yet" in out


def test_check_names_what_changed_since_the_last_delivery(files):
    registry = load_registry(REGISTRY)
    before = HEADER.split(";")
    checks = check_files(
        registry, "nuvola", "activations", [files["renamed"]], (before[:-1], "last.csv")
    )
    out = render_text("nuvola", "activations", checks)
    assert "schema drift since the last delivery (last.csv): column data_ora renamed to " in out
    assert "(last.csv): gained column motivo" in out


def test_new_reads_an_excel_sample_and_checks_it(tmp_path, capsys):
    registry = tmp_path / "providers.yml"
    shutil.copyfile(REGISTRY, registry)
    sample = tmp_path / "ordini_zefiro_20260302.xlsx"
    when = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    sample.write_bytes(
        zefiro.orders_workbook(
            [
                ("ZF000001", "SO-2026-000001", "SO-2026-000001-01", "ZEF-VPN-10", 2,
                 Decimal("47.52"), when),
                ("ZF000001", "SO-2026-000001", "SO-2026-000001-02", "ZEF-DNS-SEC", 25,
                 Decimal("1.7160"), when),
            ]
        )
    )  # fmt: skip
    argv = ("feeds", "new", "zefiro/orders", "--kind", "provider_orders", "--format", "xlsx",
            "--sample", str(sample), "--registry", str(registry))  # fmt: skip
    code, out, err = _run(capsys, *argv)
    assert code == 1 and "['provider_order_id']" in err  # "Codice Ordine" is no usual name
    code, out, err = _run(capsys, *argv, "--map", "provider_order_id=Codice Ordine")
    assert code == 0, out + err
    assert "verdict: LOADS: 2 record(s) of 2 row(s)" in out
    assert "unit_price=1.716" in out and "submitted_at=2026-03-02T09:30:00+00:00" in out
    feed = load_registry(registry).feed("zefiro", "orders")
    assert (feed.format, feed.patterns) == ("xlsx", ("ordini_zefiro_*.xlsx",))
    assert dict(feed.columns) == {
        "provider_order_id": "Codice Ordine", "order_id": "Ordine Cliente",
        "order_line_id": "Riga Ordine", "sku": "Codice Prodotto", "quantity": "Quantità",
        "unit_price": "Prezzo Unitario €", "submitted_at": "Data Inserimento",
    }  # fmt: skip


def test_list_shows_each_feeds_rhythm_and_last_nights_health(published_nights, capsys, monkeypatch):
    from backoffice import publish
    from backoffice.feeds.health import read_feed_health

    for key, value in published_nights.settings.env.items():
        monkeypatch.setenv(key, value)
    with publish.connect_published(published_nights.settings) as con:
        health = {f.name: f.status for f in read_feed_health(con)}
    assert health, "the published nights have a feed_health mart"
    code, out, _ = _run(capsys, "feeds", "list")
    assert code == 0
    registry = load_registry(REGISTRY)
    for source, feed in registry.feeds():
        line = next(x for x in out.splitlines() if x.startswith(f"{source}/{feed} "))
        assert f" {health[f'{source}/{feed}']} " in f"{line} "
        rhythm = registry.feed(source, feed).rhythm
        assert rhythm is not None and rhythm.describe() in line
