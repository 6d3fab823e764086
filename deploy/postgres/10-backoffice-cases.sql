-- The case store's own database, beside Airflow's metadata (docker-compose.yml mounts this
-- into the Postgres image's init folder: it runs once, when the volume is first created).
-- The product creates its tables on first use.
create database backoffice owner airflow;
