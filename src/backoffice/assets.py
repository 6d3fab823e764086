"""The data the nightly run produces, as Airflow Assets: defined once, here.

Producers name them as `outlets`; a consumer DAG (a report, an export to the
ERP) is scheduled on them instead of on a clock.
"""

from airflow.sdk import Asset

RAW_TABLES = (
    "crm_signed_orders",
    "provider_orders",
    "provider_order_events",
    "invoice_lines",
    "invoice_vat_summaries",
    "landed_files",
    "quarantine",
)

raw_tables = [
    Asset(name=f"raw.{table}", uri=f"backoffice://warehouse/raw/{table}") for table in RAW_TABLES
]

published_warehouse = Asset(name="published_warehouse", uri="backoffice://warehouse/published")
