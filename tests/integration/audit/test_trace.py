"""`backoffice trace`: for every exception type, the printed source record is the landed row,
byte for byte, and the exception's figures recompute from the printed records alone."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from calendar import monthrange
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

import pytest
from audit_support import AuditNights, read_table, run_cli, three_nights
from lxml import etree

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def nights(published_nights, tmp_path_factory) -> AuditNights:
    return three_nights(published_nights, tmp_path_factory)


ROME = ZoneInfo("Europe/Rome")
ACTIVE = {"ATTIVO", "completed"}
TERMINATED = {"CESSATO", "cancelled"}
CENT = Decimal("0.01")


def cents(value: Decimal) -> Decimal:
    """RULES.md's rounding: half away from zero."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def landed_bytes(path) -> bytes:
    data = path.read_bytes()
    if path.name.endswith(".p7m"):
        from backoffice.parsers.p7m import unwrap_p7m

        return unwrap_p7m(data)
    return data


def assert_is_the_landed_row(landing, record: dict) -> None:
    """The test's own reading of the file at that row, compared with what trace printed."""
    path = landing / record["file"]
    data = path.read_bytes()
    assert hashlib.sha256(data).hexdigest() == record["sha256"]
    raw = record["raw"]
    name = path.name
    if name.endswith(".ndjson"):
        lines = data.decode("utf-8").splitlines()
        assert raw == lines[int(record["row"]) - 1]
    elif name.endswith(".csv"):
        encoding, delimiter = (
            ("cp1252", ";")
            if record["file"].startswith("nuvola/")
            else (
                "utf-8-sig",
                ",",
            )
        )
        rows = list(csv.reader(io.StringIO(data.decode(encoding), newline=""), delimiter=delimiter))
        assert next(csv.reader(io.StringIO(raw), delimiter=delimiter)) == rows[int(record["row"])]
        assert raw.encode(encoding.removesuffix("-sig")) in data  # the very bytes
    else:  # FatturaPA: body/line
        document = landed_bytes(path)
        assert raw.encode("utf-8") in document
        body, line = record["row"].split("/")
        root = etree.fromstring(document)
        bodies = [e for e in root if etree.QName(e).localname == "FatturaElettronicaBody"]
        lines = [
            e
            for e in bodies[int(body) - 1].iter()
            if isinstance(e.tag, str) and etree.QName(e).localname == "DettaglioLinee"
        ]
        if not line.startswith("R"):
            match = [
                e for e in lines if e.findtext("{*}NumeroLinea", e.findtext("NumeroLinea")) == line
            ]
            assert len(match) == 1
            total = match[0].findtext("{*}PrezzoTotale") or match[0].findtext("PrezzoTotale")
            assert f"<PrezzoTotale>{total}</PrezzoTotale>" in raw or total in raw


def rome_date(instant: str) -> date:
    return datetime.fromisoformat(instant).astimezone(ROME).date()


def billable_days(start: date, end: date, activation: date | None, termination: date | None):
    days = []
    day = start
    while day <= end:
        if activation and day >= activation and (termination is None or day < termination):
            days.append(day)
        day += timedelta(days=1)
    return days


def lifecycle_dates(records: list[dict]) -> tuple[date | None, date | None]:
    """Activation and termination from the printed provider state changes."""
    changes = sorted(
        (r["loaded"]["state_at"], r["loaded"]["provider_state"])
        for r in records
        if r["table"] == "raw.provider_order_events"
    )
    activation = next((rome_date(at) for at, state in changes if state in ACTIVE), None)
    termination = next(
        (
            rome_date(at)
            for at, state in changes
            if state in TERMINATED and activation and rome_date(at) >= activation
        ),
        None,
    )
    return activation, termination


def recompute(exception: dict, records: list[dict]) -> None:
    """The exception's amount from the printed records, by RULES.md."""
    kind = exception["exception_type"]
    amount = Decimal(exception["amount_eur"])
    proof = records[0]["loaded"]
    crm = next((r["loaded"] for r in records if r["table"] == "raw.crm_signed_orders"), None)
    if kind in ("ORDER_NOT_SUBMITTED", "ORDER_STUCK", "ORDER_REJECTED"):
        assert amount == 0
        if kind == "ORDER_NOT_SUBMITTED":
            assert f"signed on {proof['signed_date']}" in exception["evidence"]
        else:  # the state began at the proof's moment (a state change or a submission)
            moment = proof.get("state_at") or proof["submitted_at"]
            assert f"since {rome_date(moment)}" in exception["evidence"] or (
                f"on {rome_date(moment)}" in exception["evidence"]
            )
    elif kind == "ORDER_ENTRY_MISMATCH":
        entered = Decimal(str(proof["quantity"])) * Decimal(proof["unit_price"])
        contracted = Decimal(str(crm["quantity"])) * Decimal(crm["unit_price"])
        assert amount == cents(entered - contracted)
    elif kind in ("DUPLICATE_CHARGE", "BILLED_NOT_ACTIVE"):
        assert amount == cents(Decimal(proof["net_amount"]))
    elif kind == "UNMATCHED_CREDIT":
        assert amount == -cents(Decimal(proof["net_amount"]))
    elif kind == "VAT_ERROR":
        lines = [r["loaded"] for r in records if r["table"] == "raw.invoice_lines"]
        summaries = [r["loaded"] for r in records if r["table"] == "raw.invoice_vat_summaries"]
        billed = sum(
            Decimal(x["vat_amount"]) for x in (summaries or lines) if x["vat_amount"] is not None
        )
        crm_rates = {
            r["loaded"]["order_line_id"]: Decimal(r["loaded"]["vat_rate"])
            for r in records
            if r["table"] == "raw.crm_signed_orders"
            and r["loaded"]["provider"] == exception["provider"]
        }
        by_rate: dict[Decimal, Decimal] = {}
        for line in lines:  # at the CRM's rate; a line the CRM does not give it, at its own
            rate = crm_rates.get(line["order_line_id"], Decimal(line["vat_rate"]))
            by_rate[rate] = by_rate.get(rate, Decimal(0)) + Decimal(line["net_amount"])
        expected = sum(cents(net * rate / 100) for rate, net in by_rate.items())
        assert amount == cents(billed - expected)
    elif kind == "ACTIVE_NOT_BILLED":
        activation, termination = lifecycle_dates(records)
        year, month = map(int, exception["period_month"].split("-"))
        days = monthrange(year, month)[1]
        first, last = date(year, month, 1), date(year, month, days)
        billable = billable_days(first, last, activation, termination)
        covered = set()
        for record in records:
            line = record["loaded"]
            if record["table"] == "raw.invoice_lines" and line["document_type"] == "TD01":
                start = date.fromisoformat(line["period_start"])
                end = date.fromisoformat(line["period_end"])
                covered.update(start + timedelta(days=i) for i in range((end - start).days + 1))
        uncovered = len([d for d in billable if d not in covered])
        contracted = Decimal(str(crm["quantity"])) * Decimal(crm["unit_price"])
        assert amount == -cents(contracted * uncovered / days)
    else:  # billing controls 4 to 8: billed - expected
        activation, termination = lifecycle_dates(records)
        start = date.fromisoformat(proof["period_start"])
        end = date.fromisoformat(proof["period_end"])
        days = monthrange(start.year, start.month)[1]
        contracted = Decimal(str(crm["quantity"])) * Decimal(crm["unit_price"])
        billable = billable_days(start, end, activation, termination)
        expected = cents(contracted * len(billable) / days)
        billed = Decimal(proof["net_amount"])
        assert amount == cents(billed - expected), (kind, exception["evidence"])
        assert re.search(rf"expected {expected}\b", exception["evidence"])
        if kind == "PRICE_MISMATCH":
            assert Decimal(proof["unit_price"]) != Decimal(crm["unit_price"])


def test_trace_of_every_exception_type(nights, monkeypatch, capsys) -> None:
    picks = read_table(
        nights.settings,
        "select exception_type, min(exception_id) from marts.exceptions "
        "where status != 'resolved' group by 1 order by 1",
    )
    assert len(picks) >= 12, f"the sample covers too few exception types: {picks}"
    landing = nights.settings.landing_dir
    for exception_type, exception_id in picks:
        code, out, err = run_cli(
            monkeypatch, capsys, nights, "trace", exception_id, "--format", "json"
        )
        assert code == 0, err
        traced = json.loads(out)
        exception = traced["subject"]
        assert exception["exception_type"] == exception_type
        records = traced["records"]
        assert records[0]["role"] == "proof"
        assert (records[0]["file"], records[0]["row"]) == (
            exception["source_file"],
            exception["source_row"],
        )
        for record in records:
            assert record["raw_verified"], record
            assert record["load_id"] and record["sha256"]
            assert_is_the_landed_row(landing, record)
        recompute(exception, records)
        assert "marts.exceptions (model)" in traced["models"]
        assert any(m.startswith("raw.") for m in traced["models"])
        assert traced["nights"] and all(n["exception_id"] == exception_id for n in traced["nights"])
        assert {c["control"] for c in traced["checks"]} == {exception_type}


def test_trace_of_an_order_line_and_an_invoice_line_in_text(nights, monkeypatch, capsys) -> None:
    (order_line_id, provider, invoice, line) = read_table(
        nights.settings,
        "select order_line_id, provider, invoice_number, invoice_line from marts.exceptions "
        "where exception_type = 'PRICE_MISMATCH' order by exception_id limit 1",
    )[0]
    code, out, _ = run_cli(monkeypatch, capsys, nights, "trace", order_line_id)
    assert code == 0
    assert out.startswith(f"order line {order_line_id}")
    assert "CRM line (current version)" in out and "PRICE_MISMATCH" in out
    code, out, _ = run_cli(monkeypatch, capsys, nights, "trace", f"{provider}:{invoice}:{line}")
    assert code == 0
    assert out.startswith(f"invoice line {provider}:{invoice}:{line}")
    code, _, err = run_cli(monkeypatch, capsys, nights, "trace", "NOT-AN-ID")
    assert code == 1 and "NOT-AN-ID" in err
