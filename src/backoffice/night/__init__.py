"""The nightly run as people start it: through Airflow (`backoffice run`), or the demo."""
