"""The oracle against hand-made records: RULES.md facts, one at a time."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from backoffice.sample.oracle import judge
from backoffice.sample.records import (
    CrmRow,
    EventRow,
    InvoiceLineRow,
    OrderRow,
    Ref,
    UnitRecords,
    VatSummaryRow,
)

LINE = "SO-2026-000001-01"
VAT = "IT01234567897"


def ref(day: date, row: str = "1", file: str = "f") -> Ref:
    return Ref(file, row, day)


def moment(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def crm(signed: date, *, price: str = "31", quantity: int = 1, provider: str = "alfa",
        status: str = "signed") -> CrmRow:  # fmt: skip
    return CrmRow(
        "SO-2026-000001", LINE, VAT, provider, "ALF-X", quantity, Decimal(price),
        Decimal("22.00"), signed, status, None, moment(signed, 9), ref(signed, file="crm"),
    )  # fmt: skip


def submitted(day: date, *, price: str = "31", quantity: int = 1, sku: str = "ALF-X") -> OrderRow:
    return OrderRow(
        "alfa", "AO1", "SO-2026-000001", LINE, sku, quantity, Decimal(price), moment(day, 11),
        ref(day, file="orders"),
    )  # fmt: skip


def event(day: date, state: str, row: str = "1", hour: int = 12) -> EventRow:
    return EventRow("alfa", LINE, state, moment(day, hour), ref(day, row, "events"))


def billed(
    number: str,
    issued: date,
    start: date,
    end: date,
    net: str,
    *,
    line_no: int = 1,
    price: str = "31",
    quantity: str = "1",
    doc: str = "TD01",
    related: str = "",
    csv_vat: bool = True,
) -> InvoiceLineRow:
    """An invoice line; with csv_vat its VAT is on the line (Nuvola style), else in summaries."""
    vat = (Decimal(net) * Decimal("0.22")).quantize(Decimal("0.01")) if csv_vat else None
    return InvoiceLineRow(
        "alfa", number, doc, issued, related, VAT, line_no, LINE, Decimal(quantity), start, end,
        Decimal(price), Decimal(net), Decimal("22.00"), vat, ref(issued, f"1/{line_no}", number),
    )  # fmt: skip


def kinds(records: UnitRecords, as_of: date) -> list[str]:
    return sorted(f.exception_type for f in judge(records, as_of))


def test_not_submitted_after_two_business_days() -> None:
    records = UnitRecords(crm=[crm(date(2026, 1, 9))])  # a Friday
    assert kinds(records, date(2026, 1, 13)) == []
    assert kinds(records, date(2026, 1, 14)) == ["ORDER_NOT_SUBMITTED"]


def test_state_entered_friday_is_one_day_old_on_monday() -> None:
    records = UnitRecords(crm=[crm(date(2026, 1, 15))], orders=[submitted(date(2026, 1, 16))])
    assert kinds(records, date(2026, 1, 19)) == []
    assert kinds(records, date(2026, 1, 20)) == []
    assert kinds(records, date(2026, 1, 21)) == ["ORDER_STUCK"]


def test_state_began_at_first_record_of_a_run_and_unmapped_states_are_ignored() -> None:
    records = UnitRecords(
        crm=[crm(date(2026, 1, 5))],
        orders=[submitted(date(2026, 1, 5))],
        events=[
            event(date(2026, 1, 6), "inProgress", "7"),
            event(date(2026, 1, 14), "assessingCancellation", "8"),
            event(date(2026, 1, 15), "inProgress", "9"),
        ],
    )
    findings = judge(records, date(2026, 1, 21))  # 11 business days after 6 January
    assert [(f.exception_type, f.source.row) for f in findings] == [("ORDER_STUCK", "7")]


def test_rejected_then_resubmitted_is_submitted_again() -> None:
    records = UnitRecords(
        crm=[crm(date(2026, 1, 5))],
        orders=[submitted(date(2026, 1, 5)), submitted(date(2026, 1, 12))],
        events=[event(date(2026, 1, 6), "failed")],
    )
    assert kinds(records, date(2026, 1, 9)) == ["ORDER_REJECTED"]
    assert kinds(records, date(2026, 1, 13)) == []


def test_entry_mismatch_amount_and_tolerance() -> None:
    records = UnitRecords(
        crm=[crm(date(2026, 1, 5), price="10.0040", quantity=2)],
        orders=[submitted(date(2026, 1, 5), price="10.0089", quantity=2)],
    )
    assert kinds(records, date(2026, 1, 6)) == []
    records.orders[0] = submitted(date(2026, 1, 5), price="12.50", quantity=3)
    [finding] = judge(records, date(2026, 1, 6))
    assert finding.exception_type == "ORDER_ENTRY_MISMATCH"
    assert finding.amount == Decimal("17.49")  # 3 x 12.50 - 2 x 10.0040 = 17.492


def _active_from(day: date) -> UnitRecords:
    """A signed line entered, acknowledged and activated on `day`."""
    return UnitRecords(
        crm=[crm(day)],
        orders=[submitted(day)],
        events=[event(day, "acknowledged", hour=12), event(day, "completed", "5", hour=15)],
    )


def test_pro_rata_and_the_judgement_order() -> None:
    records = _active_from(date(2026, 1, 10))  # 22 billable days of 31 at 31.00
    records.invoice_lines.append(
        billed("A1", date(2026, 2, 3), date(2026, 1, 10), date(2026, 1, 31), "22.01")
    )
    assert kinds(records, date(2026, 2, 3)) == []  # within a cent
    records.invoice_lines[0] = billed(
        "A1", date(2026, 2, 3), date(2026, 1, 10), date(2026, 1, 31), "23.00"
    )
    [finding] = judge(records, date(2026, 2, 3))
    assert (finding.exception_type, finding.amount) == ("PRORATA_ERROR", Decimal("1.00"))
    records.invoice_lines[0] = billed("A1", date(2026, 2, 3), date(2026, 1, 10), date(2026, 1, 31),
                                      "23.00", price="32.40")  # fmt: skip
    assert kinds(records, date(2026, 2, 3)) == ["PRICE_MISMATCH"]
    records.invoice_lines[0] = billed(
        "A1", date(2026, 2, 3), date(2026, 1, 1), date(2026, 1, 31), "31.00"
    )
    [finding] = judge(records, date(2026, 2, 3))
    assert (finding.exception_type, finding.amount) == ("BILLED_BEFORE_ACTIVATION", Decimal("9.00"))


def test_billed_after_termination_and_not_active() -> None:
    records = _active_from(date(2026, 1, 1))
    records.events.append(event(date(2026, 1, 21), "cancelled", "9"))  # 20 billable days
    records.invoice_lines.append(
        billed("A1", date(2026, 2, 3), date(2026, 1, 1), date(2026, 1, 31), "31.00")
    )
    [finding] = judge(records, date(2026, 2, 3))
    assert (finding.exception_type, finding.amount) == (
        "BILLED_AFTER_CANCELLATION",
        Decimal("11.00"),
    )
    late = _active_from(date(2026, 2, 4))
    late.invoice_lines.append(
        billed("A1", date(2026, 2, 3), date(2026, 1, 1), date(2026, 1, 31), "31.00")
    )
    assert kinds(late, date(2026, 2, 10)) == ["BILLED_NOT_ACTIVE"]


def test_duplicate_is_the_later_line_by_date_number_and_line() -> None:
    records = _active_from(date(2026, 1, 1))
    records.invoice_lines += [
        billed("B", date(2026, 2, 3), date(2026, 1, 1), date(2026, 1, 31), "31.00"),
        billed("A", date(2026, 2, 3), date(2026, 1, 1), date(2026, 1, 31), "31.00"),
    ]
    [finding] = judge(records, date(2026, 2, 5))
    assert (finding.exception_type, finding.invoice_number) == ("DUPLICATE_CHARGE", "B")
    assert finding.amount == Decimal("31.00")


def test_credit_notes_credit_or_are_unmatched() -> None:
    records = _active_from(date(2026, 1, 1))
    records.invoice_lines += [
        billed("A", date(2026, 2, 3), date(2026, 1, 1), date(2026, 1, 31), "31.00"),
        billed("A", date(2026, 2, 3), date(2026, 1, 1), date(2026, 1, 31), "31.00", line_no=2),
        billed("N1", date(2026, 2, 10), date(2026, 1, 1), date(2026, 1, 31), "31.00", doc="TD04",
               related="A"),
        billed("N2", date(2026, 2, 10), date(2026, 1, 1), date(2026, 1, 31), "5.00", doc="TD04",
               related="Z"),
    ]  # fmt: skip
    by_kind = {f.exception_type: f for f in judge(records, date(2026, 2, 10))}
    assert by_kind["DUPLICATE_CHARGE"].credited == Decimal("31.00")
    assert by_kind["UNMATCHED_CREDIT"].amount == Decimal("-5.00")
    assert by_kind["UNMATCHED_CREDIT"].invoice_number == "N2"
    assert "UNMATCHED_CREDIT" not in kinds(UnitRecords(), date(2026, 2, 10))


def test_vat_error_uses_the_crm_rate() -> None:
    records = _active_from(date(2026, 1, 1))
    line = billed(
        "A", date(2026, 2, 3), date(2026, 1, 1), date(2026, 1, 31), "31.00", csv_vat=False
    )
    records.invoice_lines.append(line)
    records.vat_summaries.append(
        VatSummaryRow(
            "alfa",
            "A",
            "TD01",
            Decimal("10.00"),
            Decimal("31.00"),
            Decimal("3.10"),
            date(2026, 2, 3),
        )
    )
    [finding] = judge(records, date(2026, 2, 3))
    assert (finding.exception_type, finding.amount) == (
        "VAT_ERROR",
        Decimal("-3.72"),
    )  # 3.10 - 6.82
    assert (finding.order_line_id, finding.invoice_line) == ("", "")


def test_active_not_billed_after_twenty_days() -> None:
    records = _active_from(date(2025, 12, 1))
    assert kinds(records, date(2026, 1, 19)) == []
    [finding] = judge(records, date(2026, 1, 20))
    assert (finding.exception_type, finding.period_month) == ("ACTIVE_NOT_BILLED", "2025-12")
    assert finding.amount == Decimal("-31.00")


def test_only_deliveries_up_to_the_as_of_date_count() -> None:
    records = UnitRecords(crm=[crm(date(2026, 1, 5))])
    records.orders.append(
        OrderRow(
            "alfa",
            "AO1",
            "SO",
            LINE,
            "ALF-X",
            1,
            Decimal(31),
            moment(date(2026, 1, 6)),
            ref(date(2026, 1, 20)),
        )
    )
    assert kinds(records, date(2026, 1, 19)) == ["ORDER_NOT_SUBMITTED"]
    assert kinds(records, date(2026, 1, 20)) == ["ORDER_STUCK"]
