# The README's commands. Each sets up everything on a fresh machine (Python 3.11): uv, then
# the locked environment in .venv.
export UV_PYTHON_DOWNLOADS := never
# Compiled once at install: every Airflow task process imports Airflow, dbt and pandas again.
export UV_COMPILE_BYTECODE := 1
UV := $(shell command -v uv 2>/dev/null || echo "python3 -m uv")

.PHONY: demo test setup lint system-packages conformance resilience bench ui

setup:
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet "uv==0.13.8"
	$(UV) sync --frozen --python python3

demo: setup
	$(UV) run --frozen backoffice demo

lint: setup
	$(UV) run --frozen ruff check .
	$(UV) run --frozen ruff format --check .

# sqlfluff (dbt templater) runs inside pytest: tests/integration/test_dbt_lint.py.
# Two folders have targets of their own (CI runs all three): tests/conformance needs the
# public format samples beside the project; tests/resilience runs whole nights killed at
# every step and the real scheduler on PostgreSQL (several minutes).
# Debian's chromium and postgresql-15, installed when missing (scripts/system-packages).
system-packages:
	@scripts/system-packages

test: lint system-packages
	$(UV) run --frozen pytest --ignore=tests/conformance --ignore=tests/resilience

# The parsers against the official public samples (FatturaPA, TM Forum), read in place from
# BACKOFFICE_REFERENCE_DIR (default: ../shared/reference beside the project).
conformance: setup
	$(UV) run --frozen pytest tests/conformance

# A night killed (kill -9) during each step and rerun to the same publication; the real
# scheduler, DAG processor and API server on a throwaway PostgreSQL.
resilience: setup system-packages
	$(UV) run --frozen pytest tests/resilience

# A night at LINES order lines (default 5000) beside the parse floor and the naive peer;
# the table is printed and appended to docs/benchmarks.md.
bench: setup
	$(UV) run --frozen backoffice bench --lines $(or $(LINES),5000)

# Airflow with the back-office review app on this machine (Ctrl-C stops it).
ui: setup
	$(UV) run --frozen backoffice ui
