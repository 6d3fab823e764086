"""OUTPUT.md's columns are declared once, as the dbt model contract of marts.exceptions.

`backoffice.published.EXCEPTION_COLUMNS` (every listing and export) is read from that
contract; the warehouse a night publishes has exactly those columns, in that order,
with the declared types. OUTPUT.md's list is copied here on purpose: the test must
fail if the contract drifts from the document.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest
import yaml
from support.output_md import OUTPUT_MD_COLUMNS

from backoffice.published import EXCEPTION_COLUMNS, EXCEPTIONS_CONTRACT, contract_columns

pytestmark = pytest.mark.integration


def declared_types() -> dict[str, str]:
    document = yaml.safe_load(EXCEPTIONS_CONTRACT.read_text(encoding="utf-8"))
    (model,) = [m for m in document["models"] if m["name"] == "exceptions"]
    return {c["name"]: re.sub(r"\s+", "", c["data_type"]).upper() for c in model["columns"]}


def test_the_cli_columns_are_the_contracts_and_output_md(published_nights):
    assert EXCEPTION_COLUMNS == OUTPUT_MD_COLUMNS
    publication = published_nights.publications[published_nights.dates[-1]]
    with duckdb.connect(str(publication), read_only=True) as con:
        built = con.execute(
            "select column_name, data_type from duckdb_columns() "
            "where schema_name = 'marts' and table_name = 'exceptions' order by column_index"
        ).fetchall()
    assert tuple(name for name, _ in built) == EXCEPTION_COLUMNS
    types = declared_types()
    assert {name: data_type.replace(" ", "") for name, data_type in built} == types
    assert types["amount_eur"] == types["credited_eur"] == "DECIMAL(18,2)"  # money, never float


def test_a_model_without_an_enforced_contract_is_refused(tmp_path: Path):
    loose = tmp_path / "_models.yml"
    loose.write_text(
        "version: 2\nmodels:\n  - name: exceptions\n    columns:\n      - name: exception_id\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="no enforced contract"):
        contract_columns(loose)
    with pytest.raises(ValueError, match="no model 'elsewhere'"):
        contract_columns(loose, model="elsewhere")
