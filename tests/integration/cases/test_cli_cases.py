"""The CLI as a new user meets it: filters everywhere, files people can open, clear errors."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import duckdb
import openpyxl
import pytest
from night_copy import copy_nights

from backoffice.cli import main
from backoffice.published import EXCEPTION_COLUMNS

pytestmark = pytest.mark.integration
BACKOFFICE = Path(sys.executable).with_name("backoffice")
CONTRACT_HEADER = (
    "exception_id,exception_type,status,provider,customer_vat,order_id,order_line_id,"
    "invoice_number,invoice_line,period_month,as_of,detected_on,age_business_days,amount_eur,"
    "credited_eur,severity,owner,evidence,source_file,source_row"
)


@pytest.fixture(scope="module")
def settings(published_nights, tmp_path_factory):
    """A private copy: the CLI's case changes must not reach the shared sample."""
    return copy_nights(published_nights, tmp_path_factory.mktemp("cli") / "copy")


@pytest.fixture
def cli(settings, monkeypatch, capsys):
    monkeypatch.setenv("BACKOFFICE_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("BACKOFFICE_LANDING_DIR", str(settings.landing_dir))
    monkeypatch.delenv("BACKOFFICE_USER", raising=False)

    def run(*argv: str) -> tuple[int, str, str]:
        try:
            code = main(list(argv))
        except SystemExit as exit_:  # argparse refusals
            code = exit_.code
        out, err = capsys.readouterr()
        return code, out, err

    return run


def _published(settings, where: str = "true") -> list[tuple]:
    from backoffice import publish

    with publish.connect_published(settings) as con:
        return con.execute(
            f"select exception_id, status, provider from marts.exceptions where {where}"
        ).fetchall()


def test_exceptions_csv_is_the_contract_and_filters_select(cli, settings, tmp_path):
    code, default, _ = cli("exceptions")
    assert code == 0
    lines = default.splitlines()
    assert lines[0] == CONTRACT_HEADER == ",".join(EXCEPTION_COLUMNS)
    assert len(lines) - 1 == len(_published(settings))
    # The filtered path writes the same bytes when its filter selects everything.
    code, _, _ = cli("exceptions", "--format", "csv", "--out", str(tmp_path / "all.csv"))
    assert code == 0 and (tmp_path / "all.csv").read_text(encoding="utf-8") == default

    code, out, _ = cli("exceptions", "--status", "open", "--provider", "alfa")
    rows = list(csv.DictReader(io.StringIO(out)))
    expected = _published(settings, "status = 'open' and provider = 'alfa'")
    assert rows and {r["exception_id"] for r in rows} == {e[0] for e in expected}
    code, out, _ = cli("exceptions", "--status", "resolved,credited", "--format", "table")
    assert code == 0
    assert len(out.splitlines()) - 1 == len(_published(settings, "status <> 'open'"))


def test_exceptions_as_of_an_earlier_night(cli, published_nights):
    first = published_nights.dates[0]
    code, out, _ = cli("exceptions", "--as-of", first.isoformat(), "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    with duckdb.connect(str(published_nights.publications[first]), read_only=True) as con:
        expected = dict(con.execute("select exception_id, status from marts.exceptions").fetchall())
    assert {r["exception_id"]: r["status"] for r in rows} == expected
    assert {r["as_of"] for r in rows} == {first.isoformat()}
    code, _, err = cli("exceptions", "--as-of", "2020-01-01")
    assert code == 1 and "2020-01-01" in err


def test_exceptions_xlsx_has_numbers_dates_and_a_frozen_filtered_header(cli, tmp_path):
    target = tmp_path / "exceptions.xlsx"
    code, _, err = cli("exceptions", "--format", "xlsx", "--out", str(target))
    assert code == 0 and "written to" in err
    sheet = openpyxl.load_workbook(target).active
    header = [c.value for c in sheet[1]]
    assert header == list(EXCEPTION_COLUMNS)
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref.startswith("A1:T")
    amount = sheet.cell(row=2, column=header.index("amount_eur") + 1)
    assert amount.data_type == "n" and amount.number_format == "#,##0.00"
    detected = sheet.cell(row=2, column=header.index("detected_on") + 1)
    assert isinstance(detected.value, datetime) and detected.number_format == "yyyy-mm-dd"


def test_cases_update_show_list_and_bulk(cli, settings, tmp_path):
    code, out, _ = cli("cases", "list", "--status", "new", "--format", "csv")
    assert code == 0
    ids = [r["exception_id"] for r in csv.DictReader(io.StringIO(out))]
    assert len(ids) >= 3

    code, _, err = cli("cases", "update", ids[0], "--note", "=cmd|' /C calc'!A0", "--as", "sara")
    assert code == 1 and "only reads" in err
    code, _, err = cli("cases", "update", ids[0], "--note", "hello")
    assert code == 1 and "--as NAME" in err
    code, _, err = cli(
        "cases", "update", ids[0], "--note", "=cmd|' /C calc'!A0", "--set-assignee", "x"
    )
    assert code == 2  # not an option of update: refused by argparse
    code, _, err = cli(
        "cases", "update", ids[0], ids[1], "--status", "waiting_provider",
        "--assignee", "marco", "--note", "=cmd|' /C calc'!A0", "--as", "anna",
    )  # fmt: skip
    assert code == 0 and "2 case(s) changed by anna" in err

    code, out, _ = cli("cases", "show", ids[0])
    assert "waiting_provider" in out and "anna: status new -> waiting_provider" in out
    assert "anna: =cmd|' /C calc'!A0" in out

    code, out, _ = cli("cases", "list", "--assignee", "marco", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["exception_id"] for r in rows} == {ids[0], ids[1]}
    assert rows[0]["last_note"] == "'=cmd|' /C calc'!A0"  # CSV: protected text

    target = tmp_path / "cases.xlsx"
    code, _, _ = cli(
        "cases", "list", "--assignee", "marco", "--format", "xlsx", "--out", str(target)
    )
    sheet = openpyxl.load_workbook(target).active
    header = [c.value for c in sheet[1]]
    note = sheet.cell(row=2, column=header.index("last_note") + 1)
    assert note.data_type == "s" and note.value == "=cmd|' /C calc'!A0"
    due = sheet.cell(row=2, column=header.index("due_date") + 1)
    assert isinstance(due.value, datetime)

    code, _, err = cli("cases", "bulk", "--set-assignee", "giulia", "--as", "lucia")
    assert code == 1 and "at least one filter" in err
    code, out, _ = cli(
        "cases", "list", "--status", "new", "--provider", "nuvola", "--format", "csv"
    )
    selected = {r["exception_id"] for r in csv.DictReader(io.StringIO(out))}
    assert selected
    code, _, err = cli(
        "cases", "bulk", "--status", "new", "--provider", "nuvola",
        "--set-assignee", "giulia", "--as", "lucia",
    )  # fmt: skip
    assert code == 0 and f"{len(selected)} case(s) changed by lucia" in err
    code, out, _ = cli("cases", "list", "--assignee", "giulia", "--format", "csv")
    assert {r["exception_id"] for r in csv.DictReader(io.StringIO(out))} == selected


def test_errors_say_what_is_expected(cli, tmp_path):
    code, _, err = cli("exceptions", "--as-of", "09/03/2026")
    assert code == 2 and "'09/03/2026' is not a date: write it YYYY-MM-DD" in err
    code, _, err = cli("exceptions", "--type", "DUPLICATE")
    assert code == 2 and "expected one of ORDER_NOT_SUBMITTED" in err
    code, _, err = cli("exceptions", "--format", "xlsx")
    assert code == 1 and "needs --out" in err
    code, _, err = cli("cases", "list", "--customer", "12345")
    assert code == 2 and "IT and 11 digits" in err
    code, _, err = cli("cases", "show", "no-such-case")
    assert code == 1 and "backoffice cases list" in err
    code, out, _ = cli("exceptions", "--help")
    assert code == 0 and "docs/glossary.md" in out


def test_a_closed_pipe_is_quiet(settings):
    env = {
        **os.environ,
        "BACKOFFICE_DATA_DIR": str(settings.data_dir),
        "BACKOFFICE_LANDING_DIR": str(settings.landing_dir),
    }
    for reader in ("head -1", "true"):
        done = subprocess.run(
            ["bash", "-c", f'"{BACKOFFICE}" exceptions --format csv | {reader}; '
             'echo "status=${PIPESTATUS[0]}" >&2'],
            env=env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert done.stderr.strip() == "status=0", done.stderr
