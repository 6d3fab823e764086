"""The dbt models follow the project's SQL style (`.sqlfluff`: dbt templater, duckdb).

The dbt templater compiles every model, so it needs the profile's environment
variable; the warehouse file itself need not exist.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
SQLFLUFF = Path(sys.executable).with_name("sqlfluff")


def test_sqlfluff_lint_dbt_models_and_tests_is_clean(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DBT_")}
    env["BACKOFFICE_WAREHOUSE_PATH"] = str(tmp_path / "lint.duckdb")
    env["DBT_TARGET_PATH"] = str(tmp_path / "target")
    done = subprocess.run(
        [
            str(SQLFLUFF),
            "lint",
            "dbt_project/models",
            "dbt_project/tests",
            "--format",
            "json",
            "--nofail",
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report, "sqlfluff linted no file"
    problems = [
        f"{f['filepath']}:{v['start_line_no']} {v['code']} {v['description']}"
        for f in report
        for v in f["violations"]
    ]
    assert not problems, "\n".join(problems)
