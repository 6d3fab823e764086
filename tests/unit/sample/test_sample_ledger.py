"""The ledger: columns, coverage of RULES.md per provider, statuses over runs, sources."""

from __future__ import annotations

import csv
import json
import re
from collections import defaultdict
from decimal import Decimal

from sample_io import AS_OF, csv_rows, invoice_line, record_text

from backoffice.sample import GeneratedSample
from backoffice.sample.oracle import STATE_MAP

REQUIRED = {
    "ORDER_NOT_SUBMITTED", "ORDER_STUCK", "ORDER_REJECTED", "ORDER_ENTRY_MISMATCH",
    "BILLED_NOT_ACTIVE", "PRICE_MISMATCH", "DUPLICATE_CHARGE", "BILLED_AFTER_CANCELLATION",
    "BILLED_BEFORE_ACTIVATION", "QUANTITY_MISMATCH", "PRORATA_ERROR", "VAT_ERROR",
    "ACTIVE_NOT_BILLED", "UNMATCHED_CREDIT",
}  # fmt: skip
COLUMNS = (
    "as_of,exception_type,status,provider,customer_vat,order_id,order_line_id,invoice_number,"
    "invoice_line,period_month,detected_on,amount_eur,credited_eur,source_file,source_row"
)


def test_columns_and_amount_format(sample: GeneratedSample) -> None:
    with sample.ledger_path.open(encoding="utf-8", newline="") as handle:
        assert handle.readline().strip() == COLUMNS
        rows = list(csv.DictReader(handle, fieldnames=COLUMNS.split(",")))
    assert len(rows) == len(sample.ledger) > 0
    for row in rows:
        assert re.fullmatch(r"-?\d+\.\d{2}", row["amount_eur"])
        assert re.fullmatch(r"-?\d+\.\d{2}", row["credited_eur"])
    for entry in sample.ledger:
        assert isinstance(entry.amount_eur, Decimal)
        assert entry.amount_eur.as_tuple().exponent == -2
        assert entry.credited_eur.as_tuple().exponent == -2


def test_every_exception_type_for_both_providers(sample: GeneratedSample) -> None:
    found = defaultdict(set)
    for row in sample.ledger:
        found[row.provider].add(row.exception_type)
    assert found["alfa"] >= REQUIRED
    assert found["nuvola"] >= REQUIRED


def _current_state(sample: GeneratedSample, provider: str, source_file: str, row: str) -> str:
    if "/orders/" in source_file:
        return "SUBMITTED"
    path = sample.landing_dir / source_file
    if source_file.endswith(".ndjson"):
        event = json.loads(path.read_text("utf-8").splitlines()[int(row) - 1])
        label = event["event"]["productOrder"]["itemStateChange"][0]["state"]
    else:
        label = csv_rows(path)[int(row) - 1][3]
    return STATE_MAP[provider][label]


def test_stuck_in_every_waiting_state(sample: GeneratedSample) -> None:
    for provider in ("alfa", "nuvola"):
        states = {
            _current_state(sample, provider, row.source_file, row.source_row)
            for row in sample.ledger
            if row.provider == provider and row.exception_type == "ORDER_STUCK"
        }
        assert states == {"SUBMITTED", "ACKNOWLEDGED", "IN_PROGRESS", "HELD"}


def test_billed_not_active_variants(sample: GeneratedSample) -> None:
    crm_provider = {}
    for path in (sample.landing_dir / "crm").rglob("*.csv"):
        for row in csv_rows(path):
            crm_provider[row[1]] = row[4]
    for provider in ("alfa", "nuvola"):
        variants = set()
        for row in sample.ledger:
            if (row.provider, row.exception_type) != (provider, "BILLED_NOT_ACTIVE"):
                continue
            owner = crm_provider.get(row.order_line_id)
            variants.add(
                "not in crm" if owner is None else "other" if owner != provider else "never"
            )
        assert variants == {"not in crm", "other", "never"}


def test_statuses_over_the_runs(sample: GeneratedSample) -> None:
    first, last = AS_OF
    by_identity = defaultdict(dict)
    for row in sample.ledger:
        by_identity[row.identity][row.as_of] = row
    assert all(first in runs or runs[last].detected_on == last for runs in by_identity.values())
    resolved = [
        runs for runs in by_identity.values() if runs.get(last) and runs[last].status == "resolved"
    ]
    assert len(resolved) >= 8
    assert all(
        runs[first].status == "open" and runs[last].detected_on == first for runs in resolved
    )
    kept = [
        r
        for r in by_identity.values()
        if len(r) == 2 and {x.status for x in r.values()} == {"open"}
    ]
    assert any(r[first].amount_eur == r[last].amount_eur for r in kept)
    credited = [runs[last] for runs in by_identity.values() if runs[last].status == "credited"]
    assert {(r.provider, r.exception_type) for r in credited} == {
        ("alfa", "DUPLICATE_CHARGE"),
        ("nuvola", "DUPLICATE_CHARGE"),
    }
    assert all(r.credited_eur == r.amount_eur for r in credited)
    partly = [r for r in sample.ledger_for(last) if r.status == "open" and r.credited_eur]
    assert partly and all(0 < r.credited_eur < r.amount_eur for r in partly)
    later = [runs[last] for runs in by_identity.values() if first not in runs]
    assert later and all(r.detected_on == last for r in later)


def test_identity_shapes(sample: GeneratedSample) -> None:
    for row in sample.ledger:
        kind = row.exception_type
        assert re.fullmatch(r"IT\d{11}", row.customer_vat)
        assert bool(row.period_month) == (kind == "ACTIVE_NOT_BILLED")
        assert bool(row.order_line_id) == (kind != "VAT_ERROR")
        has_invoice = not (kind.startswith("ORDER_") or kind == "ACTIVE_NOT_BILLED")
        assert bool(row.invoice_number) == has_invoice
        assert bool(row.invoice_line) == (has_invoice and kind != "VAT_ERROR")
        if kind.startswith("ORDER_"):
            assert row.amount_eur == 0 or kind == "ORDER_ENTRY_MISMATCH"


def test_sources_point_at_the_proving_record(sample: GeneratedSample) -> None:
    for row in sample.ledger:
        text = record_text(sample.landing_dir, row.source_file, row.source_row)
        if row.exception_type == "VAT_ERROR":
            assert row.invoice_number in text
        else:
            assert row.order_line_id in text, row
        if row.exception_type in {"ORDER_NOT_SUBMITTED"}:
            assert row.source_file.startswith("crm/")
        if row.invoice_line and row.source_file.endswith((".xml", ".p7m")):
            line = invoice_line(sample.landing_dir / row.source_file, row.source_row)
            assert line.findtext("NumeroLinea") == row.invoice_line
