"""Published exceptions as the night's sync reads them, for the case-store tests."""

from __future__ import annotations

from datetime import date


def exception_row(
    number: int,
    *,
    status: str = "open",
    amount_cents: int = 1000,
    severity: str = "medium",
    owner: str = "provider_billing",
    exception_type: str = "PRICE_MISMATCH",
    provider: str = "alfa",
    detected_on: date = date(2026, 3, 2),
    as_of: date = date(2026, 3, 2),
    evidence: str = "billed 20.00, expected 10.00: unit price 2.00 vs contracted 1.00",
) -> tuple:
    """One published exception as the sync reads it (sync.INCOMING_COLUMNS, cents)."""
    return (
        f"ex{number:06d}",
        exception_type,
        status,
        provider,
        f"IT{number % 7:011d}",
        f"Cliente {number % 7}, S.r.l.",
        f"SO-2026-{number:06d}",
        f"SO-2026-{number:06d}-01",
        None if owner != "provider_billing" else f"FT-{number}",
        None if owner != "provider_billing" else 1,
        None,
        as_of,
        detected_on,
        number % 13,
        amount_cents,
        0,
        severity,
        owner,
        evidence,
        f"{provider}/invoices/2026-03-02/IT0000_{number}.xml",
        "1/1",
    )
