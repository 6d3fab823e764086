# The product's image for a real Airflow deployment (docker-compose.yml).
# Same lock file, same package, same DAGs as the single-machine default.
FROM python:3.11-slim

ENV UV_PYTHON_DOWNLOADS=never \
    UV_COMPILE_BYTECODE=1 \
    UV_PROJECT_ENVIRONMENT=/opt/backoffice/.venv \
    PATH=/opt/backoffice/.venv/bin:$PATH \
    BACKOFFICE_PROJECT_DIR=/opt/backoffice \
    BACKOFFICE_LANDING_DIR=/landing \
    BACKOFFICE_DATA_DIR=/data \
    AIRFLOW_HOME=/opt/airflow \
    AIRFLOW__CORE__DAGS_FOLDER=/opt/backoffice/dags \
    AIRFLOW__CORE__PLUGINS_FOLDER=/opt/backoffice/plugins \
    AIRFLOW__CORE__LOAD_EXAMPLES=False \
    AIRFLOW__COSMOS__ENABLE_TELEMETRY=False \
    GX_ANALYTICS_ENABLED=False \
    DO_NOT_TRACK=1

RUN pip install --no-cache-dir "uv==0.13.8"
WORKDIR /opt/backoffice
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-dev --extra deploy --no-install-project
COPY . .
RUN uv sync --frozen --no-dev --extra deploy \
    && useradd --create-home --uid 50000 airflow \
    && mkdir -p /data /landing /opt/airflow && chown -R airflow /data /opt/airflow /opt/backoffice/dbt_project
USER airflow
