"""The review app: the back office's work queue inside Airflow's UI."""
