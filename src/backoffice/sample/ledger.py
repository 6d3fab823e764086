"""The ledger of expected exceptions: the oracle's findings, sequenced over the as-of runs.

Columns (docs/interfaces.md): as_of, exception_type, status, provider, customer_vat,
order_id, order_line_id, invoice_number, invoice_line, period_month, detected_on,
amount_eur, credited_eur, source_file, source_row. Empty string for "empty";
amounts with two decimals and a dot, rounded half away from zero.

Sequencing (OUTPUT.md): the runs are done in the given order on one warehouse. For
each run, every exception found is `open`, or `credited` when credit notes cover it
(credited_eur non-zero and |amount_eur - credited_eur| <= 0.01); `detected_on` is
the first run that found its identity. An exception found by an earlier run and not
by this one is `resolved`, keeps its row with the figures and source of the last
run that found it, and `as_of` is the run that judged it resolved. Found again
later, it is open again with its original `detected_on`.

Which record proves an exception (`source_file`, `source_row`):
- ORDER_NOT_SUBMITTED: the CRM row of the line's current version.
- ORDER_STUCK, ORDER_REJECTED: the record where the current state began: the
  provider's order record for SUBMITTED, the activation event otherwise.
- ORDER_ENTRY_MISMATCH: the provider order record of the latest submission.
- DUPLICATE_CHARGE, BILLED_*, PRICE/QUANTITY_MISMATCH, PRORATA_ERROR: the invoice line.
- VAT_ERROR: the invoice's first line (the lowest NumeroLinea / numero_riga).
- ACTIVE_NOT_BILLED: the activation event (the line's first ACTIVE record).
- UNMATCHED_CREDIT: the credit-note line.
Rows are CSV data rows from 1, NDJSON line numbers, or FatturaPA `body/line`.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from backoffice.sample.money import AMOUNT_TOLERANCE, ZERO, fmt2
from backoffice.sample.oracle import Finding

COLUMNS = (
    "as_of", "exception_type", "status", "provider", "customer_vat", "order_id",
    "order_line_id", "invoice_number", "invoice_line", "period_month", "detected_on",
    "amount_eur", "credited_eur", "source_file", "source_row",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class LedgerRow:
    as_of: date
    exception_type: str
    status: str
    provider: str
    customer_vat: str
    order_id: str
    order_line_id: str
    invoice_number: str
    invoice_line: str
    period_month: str
    detected_on: date
    amount_eur: Decimal
    credited_eur: Decimal
    source_file: str
    source_row: str

    @property
    def identity(self) -> tuple[str, str, str, str, str, str]:
        return (
            self.provider,
            self.exception_type,
            self.order_line_id,
            self.invoice_number,
            self.invoice_line,
            self.period_month,
        )

    def values(self) -> list[str]:
        return [
            self.as_of.isoformat(), self.exception_type, self.status, self.provider,
            self.customer_vat, self.order_id, self.order_line_id, self.invoice_number,
            self.invoice_line, self.period_month, self.detected_on.isoformat(),
            fmt2(self.amount_eur), fmt2(self.credited_eur), self.source_file, self.source_row,
        ]  # fmt: skip


def status_of(finding: Finding) -> str:
    if finding.credited != ZERO and abs(finding.amount - finding.credited) <= AMOUNT_TOLERANCE:
        return "credited"
    return "open"


def sequence(judgements: Sequence[tuple[date, list[Finding]]]) -> list[LedgerRow]:
    """Ledger rows for successive runs (as_of ascending) from each run's findings."""
    known: dict[tuple, tuple[date, Finding]] = {}
    rows = []
    for as_of, findings in judgements:
        found = {}
        for finding in findings:
            if finding.identity in found:
                raise ValueError(f"two findings with one identity: {finding.identity}")
            found[finding.identity] = finding
        for identity, finding in found.items():
            detected = known[identity][0] if identity in known else as_of
            known[identity] = (detected, finding)
        for identity, (detected, finding) in known.items():
            status = status_of(finding) if identity in found else "resolved"
            rows.append(
                LedgerRow(
                    as_of,
                    finding.exception_type,
                    status,
                    finding.provider,
                    finding.customer_vat,
                    finding.order_id,
                    finding.order_line_id,
                    finding.invoice_number,
                    finding.invoice_line,
                    finding.period_month,
                    detected,
                    round_amount(finding.amount),
                    round_amount(finding.credited),
                    finding.source.file,
                    finding.source.row,
                )
            )
    return rows


def round_amount(value: Decimal) -> Decimal:
    return Decimal(fmt2(value))


def sort_key(row: LedgerRow) -> tuple:
    return (row.as_of, row.provider, row.exception_type, row.order_line_id, row.invoice_number,
            row.invoice_line.zfill(6), row.period_month)  # fmt: skip


def write(path: Path, rows: Iterable[LedgerRow]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        for row in rows:
            writer.writerow(row.values())


def read(path: Path) -> list[dict[str, str]]:
    """The ledger as written, one dict per row (for tests and the pipeline's comparisons)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))
