"""The night's summary says which way money goes in words: no minus sign to decode."""

from datetime import date
from decimal import Decimal

from backoffice.summary import RunSummary, TypeCount, render_text


def _summary() -> RunSummary:
    return RunSummary(
        as_of=date(2026, 3, 9),
        published="warehouse.duckdb",
        by_type=[
            TypeCount("ACTIVE_NOT_BILLED", 2, 0, 0, Decimal("-55.59"), 1),
            TypeCount("PRICE_MISMATCH", 1, 0, 0, Decimal("33.46"), 1),
            TypeCount("ORDER_STUCK", 3, 0, 0, Decimal("0.00"), 0),
        ],
        owed_to_customers_eur=Decimal("33.46"),
        under_billed_eur=Decimal("-125.32"),
        files_loaded=3,
        files_redelivered=0,
        files_unreadable=0,
        rows_loaded=10,
        rows_quarantined=0,
        unmapped_states=0,
    )


def test_figures_are_labelled_by_what_they_mean_and_carry_no_sign():
    text = render_text(_summary())
    rows = {line.split()[0]: line for line in text.splitlines() if line[:1].isupper()}
    assert rows["ACTIVE_NOT_BILLED"].endswith("55.59  under-billed by the provider")
    assert rows["PRICE_MISMATCH"].endswith("33.46  owed to the customer")
    assert rows["ORDER_STUCK"].endswith("0.00  no money at stake")
    assert "Under-billed by providers (open):         EUR 125.32" in text
    assert "-125.32" not in text and "-55.59" not in text
