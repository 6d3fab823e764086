# The two commands of the README. Both set up everything on a fresh machine
# (Python 3.11): uv, then the locked environment in .venv.
export UV_PYTHON_DOWNLOADS := never
UV := $(shell command -v uv 2>/dev/null || echo "python3 -m uv")

.PHONY: demo test setup lint

setup:
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet "uv==0.13.8"
	$(UV) sync --frozen --python python3

demo: setup
	$(UV) run --frozen backoffice demo

lint: setup
	$(UV) run --frozen ruff check .
	$(UV) run --frozen ruff format --check .

# sqlfluff (dbt templater) runs inside pytest: tests/integration/test_dbt_lint.py.
test: lint
	$(UV) run --frozen pytest
