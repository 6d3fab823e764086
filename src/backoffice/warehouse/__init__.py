"""The raw layer of the build warehouse: its tables and how ingest writes them."""
