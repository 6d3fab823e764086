"""OUTPUT.md's exception columns as the tests know them: written from the contract by hand.

The product reads its own list from the dbt model contract on `marts.exceptions`
(`backoffice.published.EXCEPTION_COLUMNS`); the tests keep this independent copy so a
change on the product's side cannot pass unnoticed.
"""

OUTPUT_MD_COLUMNS = (
    "exception_id",
    "exception_type",
    "status",
    "provider",
    "customer_vat",
    "order_id",
    "order_line_id",
    "invoice_number",
    "invoice_line",
    "period_month",
    "as_of",
    "detected_on",
    "age_business_days",
    "amount_eur",
    "credited_eur",
    "severity",
    "owner",
    "evidence",
    "source_file",
    "source_row",
)
