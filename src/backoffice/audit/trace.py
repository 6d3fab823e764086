"""`backoffice trace ID`: a figure back to the landed bytes, the models, the nights and the case.

ID is an exception (`EX-...`), an order line (the CRM `order_line_id`) or an invoice line
(`[provider:]invoice_number:line`). The trace is read from the current publication (never the
build) and holds:

- `records`: the source records with file, row, file sha256, load id, the values as loaded and
  the raw bytes as landed (read from the landing zone and checked against the sha256);
- `models`: the dbt models the figures passed through, from the night's dbt manifest;
- `nights`: every night that judged it and what each said (from `marts.exception_history`);
- `checks`: the data-check results of those nights (from `audit.control_log`);
- `cases`: the case history, when the case store has one.

`trace()` returns a JSON-able dict (the review app's page and `--format json` use it);
`render_text()` writes it for people.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import duckdb

from backoffice import publish
from backoffice.audit.history import judged_nights
from backoffice.audit.landed import RecordNotFoundError, read_record
from backoffice.errors import BackofficeError
from backoffice.settings import Settings
from backoffice.warehouse.landed import dicts

RAW_TABLES = (
    ("raw.crm_signed_orders", "CRM line"),
    ("raw.provider_orders", "provider order line"),
    ("raw.provider_order_events", "provider state change"),
    ("raw.invoice_lines", "invoice line"),
    ("raw.invoice_vat_summaries", "VAT summary"),
)
MART_OF_KIND = {
    "exception": "model.backoffice.exceptions",
    "order_line": "model.backoffice.order_lines",
    "invoice_line": "model.backoffice.invoice_lines",
}


def trace(settings: Settings, item_id: str) -> dict[str, Any]:
    """Everything an auditor needs about one exception, order line or invoice line."""
    item_id = item_id.strip()
    with publish.connect_published(settings) as con:
        kind, subject, exception_ids, anchors = _identify(con, item_id)
        records = _records(con, settings, anchors)
        nights = _nights(con, exception_ids)
        checks = _checks(con, {n["exception_type"] for n in nights}, {n["as_of"] for n in nights})
    return _jsonable(
        {
            "id": item_id,
            "kind": kind,
            "subject": subject,
            "exception_ids": exception_ids,
            "records": records,
            "models": _models(settings, MART_OF_KIND[kind]),
            "nights": nights,
            "checks": checks,
            "cases": _cases(settings, exception_ids),
        }
    )


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    return dicts(con.execute(sql, params))


def _identify(con: duckdb.DuckDBPyConnection, item_id: str):
    """What the id names, the exceptions about it, and the raw records to show (anchors)."""
    if item_id.upper().startswith("EX-"):
        found = _rows(con, "select * from marts.exceptions where exception_id = ?", [item_id])
        if not found:
            raise BackofficeError(
                f"no exception {item_id} in the current publication: "
                "copy the id from `backoffice exceptions`"
            )
        exception = found[0]
        anchors = [("proof", exception["source_file"], exception["source_row"])]
        anchors += _context_anchors(con, exception)
        return "exception", exception, [item_id], anchors
    lines = _rows(con, "select * from marts.order_lines where order_line_id = ?", [item_id])
    if lines:
        line = lines[0]
        ids = _exception_ids(con, "order_line_id = ?", [item_id])
        anchors = [("CRM line (current version)", line["source_file"], line["source_row"])]
        anchors += _order_line_anchors(con, item_id)
        return "order_line", line, ids, anchors
    parts = item_id.split(":")
    if len(parts) in (2, 3) and parts[-1].isdigit():
        provider = parts[0] if len(parts) == 3 else None
        number, line_number = parts[-2], int(parts[-1])
        invoice_lines = _rows(
            con,
            "select * from marts.invoice_lines where invoice_number = ? and line_number = ? "
            "and (? is null or provider = ?) order by provider, source_file, source_row",
            [number, line_number, provider, provider],
        )
        if invoice_lines:
            invoice_line = invoice_lines[0]
            ids = _exception_ids(
                con,
                "provider = ? and invoice_number = ? and invoice_line = ?",
                [invoice_line["provider"], number, line_number],
            )
            anchors = [("invoice line", r["source_file"], r["source_row"]) for r in invoice_lines]
            if invoice_line["order_line_id"]:
                anchors += _crm_anchor(con, invoice_line["order_line_id"])
            return "invoice_line", invoice_line, ids, anchors
    raise BackofficeError(
        f"'{item_id}' is neither an exception id (EX-...), a CRM order line id nor an invoice "
        "line written [provider:]invoice_number:line in the current publication"
    )


def _exception_ids(con: duckdb.DuckDBPyConnection, where: str, params: list[Any]) -> list[str]:
    sql = f"select exception_id from marts.exceptions where {where} order by exception_id"
    return [row[0] for row in con.execute(sql, params).fetchall()]


def _crm_anchor(con: duckdb.DuckDBPyConnection, order_line_id: str) -> list[tuple[str, str, str]]:
    rows = con.execute(
        "select source_file, source_row from marts.order_lines where order_line_id = ?",
        [order_line_id],
    ).fetchall()
    return [("CRM line (current version)", f, r) for f, r in rows]


def _order_line_anchors(
    con: duckdb.DuckDBPyConnection, order_line_id: str
) -> list[tuple[str, str, str]]:
    """The provider's records of the line: its submissions and state changes."""
    rows = con.execute(
        """
        select 'provider order line', _source_file, _source_row from raw.provider_orders
        where order_line_id = ?
        union all
        select 'provider state change', _source_file, _source_row from raw.provider_order_events
        where order_line_id = ?
        order by 2, 3, 1
        """,
        [order_line_id, order_line_id],
    ).fetchall()
    return [tuple(row) for row in rows]


def _context_anchors(con: duckdb.DuckDBPyConnection, exception: dict[str, Any]):
    """The records an exception's figures are computed from, beside its proof."""
    anchors: list[tuple[str, str, str]] = []
    kind = exception["exception_type"]
    if exception["order_line_id"]:
        anchors += _crm_anchor(con, exception["order_line_id"])
    if kind == "ORDER_ENTRY_MISMATCH" or kind.startswith("ORDER_"):
        anchors += _order_line_anchors(con, exception["order_line_id"])
    elif kind == "VAT_ERROR":
        anchors += [
            tuple(row)
            for row in con.execute(
                """
                select 'invoice line', _source_file, _source_row from raw.invoice_lines
                where provider = ? and invoice_number = ?
                union all
                select 'VAT summary', _source_file, _source_row from raw.invoice_vat_summaries
                where provider = ? and invoice_number = ?
                order by 2, 3, 1
                """,
                [exception["provider"], exception["invoice_number"]] * 2,
            ).fetchall()
        ]
        # Expected VAT is at the CRM's rate of each line: the CRM lines of the invoice's lines.
        for (order_line_id,) in con.execute(
            "select distinct order_line_id from raw.invoice_lines "
            "where provider = ? and invoice_number = ? and order_line_id is not null "
            "order by order_line_id",
            [exception["provider"], exception["invoice_number"]],
        ).fetchall():
            anchors += _crm_anchor(con, order_line_id)
    elif exception["order_line_id"]:
        # Billing: the line's activation and termination and the invoice lines that bill it.
        anchors += [
            tuple(row)
            for row in con.execute(
                """
                select 'provider state change', _source_file, _source_row
                from raw.provider_order_events where order_line_id = ?
                union all
                select 'invoice line', _source_file, _source_row from raw.invoice_lines
                where order_line_id = ? and provider = ?
                order by 2, 3, 1
                """,
                [exception["order_line_id"], exception["order_line_id"], exception["provider"]],
            ).fetchall()
        ]
    return anchors


def _records(con: duckdb.DuckDBPyConnection, settings: Settings, anchors) -> list[dict[str, Any]]:
    """Each anchor once: the values as loaded and the bytes as landed."""
    seen: set[tuple[str, str]] = set()
    out: list[dict[str, Any]] = []
    for role, source_file, source_row in anchors:
        key = (source_file, str(source_row))
        if key in seen or source_file is None:
            continue
        seen.add(key)
        loaded = None
        table_name = None
        for table, _label in RAW_TABLES:
            rows = _rows(
                con,
                # A TMF622 line's items share its row: the same one every time.
                f"select * from {table} where _source_file = ? and _source_row = ? "
                "order by all limit 1",
                [source_file, str(source_row)],
            )
            if rows:
                loaded, table_name = rows[0], table
                break
        file_row = con.execute(
            "select file_sha256, load_id from raw.landed_files where file_path = ?", [source_file]
        ).fetchone()
        sha = file_row[0] if file_row else (loaded or {}).get("_file_sha256")
        record: dict[str, Any] = {
            "role": role,
            "file": source_file,
            "row": str(source_row),
            "sha256": sha,
            "load_id": file_row[1] if file_row else (loaded or {}).get("_load_id"),
            "table": table_name,
            "loaded": {k: v for k, v in (loaded or {}).items() if not k.startswith("_")},
        }
        try:
            landed = read_record(settings.landing_dir, source_file, str(source_row), sha)
            record["raw"] = landed.text
            record["raw_verified"] = True
        except (RecordNotFoundError, ValueError) as problem:
            record["raw"] = None
            record["raw_verified"] = False
            record["raw_problem"] = str(problem)
        out.append(record)
    return out


def _nights(con: duckdb.DuckDBPyConnection, exception_ids: list[str]) -> list[dict[str, Any]]:
    """Per night from the first that found each exception: what the night published of it."""
    if not exception_ids:
        return []
    nights = judged_nights(con)
    rows = _rows(
        con,
        """
        with history as (
            select * from marts.exception_history where list_contains(?, exception_id)
        ),
        nights as (select unnest(?::date[]) as night),
        states as (
            select nights.night, history.*
            from nights
            inner join history on history.as_of <= nights.night
            qualify row_number() over (
                partition by nights.night, history.exception_id order by history.as_of desc
            ) = 1
        )
        select
            night as as_of,
            exception_id,
            exception_type,
            case when is_found then status else 'resolved' end as status,
            change_kind as last_change,
            as_of as changed_on,
            amount_eur,
            credited_eur,
            severity,
            evidence
        from states
        order by exception_id, night
        """,
        [exception_ids, nights],
    )
    return rows


def _checks(con: duckdb.DuckDBPyConnection, controls: set[str], nights: set[Any]):
    """The control executions of those nights for those controls (every rerun included)."""
    if not controls or not nights:
        return []
    return _rows(
        con,
        """
        select as_of, control, run_id, execution_id, population_rows, population_eur,
               exceptions_found, eur_at_stake, checks_evaluated, checks_failed, checks_warned,
               check_warnings, dbt_tests_passed, dbt_tests_failed, dbt_invocation_id,
               git_commit, dbt_project_sha256, config_sha256, recorded_at
        from audit.control_log
        where list_contains(?, control) and list_contains(?::date[], as_of)
        order by as_of, control, recorded_at
        """,
        [sorted(controls), sorted(nights)],
    )


def _models(settings: Settings, mart: str) -> list[str]:
    """The dbt nodes upstream of the mart, sources first, from the night's manifest."""
    from backoffice.dbt_runner import target_dir

    path = target_dir(settings) / "manifest.json"
    if not path.is_file():
        return []
    manifest = json.loads(path.read_text(encoding="utf-8"))
    parents = manifest.get("parent_map", {})
    depth: dict[str, int] = {}

    def walk(node: str) -> int:
        if node not in depth:
            depth[node] = 0
            depth[node] = 1 + max((walk(p) for p in parents.get(node, [])), default=-1)
        return depth[node]

    walk(mart)
    names = []
    for node in sorted(depth, key=lambda n: (depth[n], n)):
        kind = node.split(".")[0]
        if kind not in ("model", "source", "seed", "snapshot"):
            continue
        info = manifest.get("sources" if kind == "source" else "nodes", {}).get(node, {})
        relation = f"{info.get('schema', '?')}.{info.get('alias') or info.get('name') or node}"
        if kind == "source":
            relation = f"{info.get('schema', '?')}.{info.get('identifier') or info.get('name')}"
        names.append(f"{relation} ({kind})")
    return names


def _cases(settings: Settings, exception_ids: list[str]) -> list[dict[str, Any]]:
    """The case history of each exception, from the case store when there is one."""
    try:
        from backoffice.cases.store import CaseStore
    except ImportError:
        return []
    out: list[dict[str, Any]] = []
    try:
        store = CaseStore.open(settings)
    except Exception:  # no case store yet: cases start after the first publication
        return []
    try:
        for exception_id in exception_ids:
            for row in store.history(exception_id):
                out.append(
                    {
                        "exception_id": row.exception_id,
                        "at": row.at,
                        "actor": row.actor,
                        "field": row.field,
                        "old_value": row.old_value,
                        "new_value": row.new_value,
                        "reason": row.reason,
                    }
                )
    finally:
        store.close()
    return out


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def render_text(result: dict[str, Any]) -> str:
    """The trace for people: what it is, where it comes from, who judged it, what was done."""
    out: list[str] = []
    subject = result["subject"]
    out.append(f"{result['kind'].replace('_', ' ')} {result['id']}")
    for key in ("exception_type", "status", "amount_eur", "credited_eur", "evidence"):
        if subject.get(key) not in (None, ""):
            out.append(f"  {key}: {subject[key]}")
    out.append("")
    out.append("Source records (as landed):")
    for record in result["records"]:
        out.append(
            f"- {record['role']}: {record['file']} row {record['row']}"
            f"  sha256 {record['sha256']}  load {record['load_id']}"
        )
        if record.get("raw") is not None:
            for line in record["raw"].splitlines() or [""]:
                out.append(f"    | {line}")
        else:
            out.append(f"    (not readable: {record.get('raw_problem')})")
        loaded = ", ".join(f"{k}={v}" for k, v in record["loaded"].items() if v is not None)
        out.append(f"    loaded as {record['table']}: {loaded}")
    out.append("")
    out.append("Models the figures passed through (dbt manifest):")
    out.extend(f"  {name}" for name in result["models"])
    out.append("")
    out.append("Nights that judged it:")
    for night in result["nights"]:
        out.append(
            f"  {night['as_of']}  {night['exception_id']}  {night['status']:<8}"
            f" amount {night['amount_eur']} credited {night['credited_eur']}"
            f"  ({night['last_change']} on {night['changed_on']}): {night['evidence']}"
        )
    if not result["nights"]:
        out.append("  none: no night found an exception about it")
    out.append("")
    out.append("Data checks of those nights:")
    for check in result["checks"]:
        out.append(
            f"  {check['as_of']} {check['control']}: population {check['population_rows']} rows"
            f" / {check['population_eur']} EUR, found {check['exceptions_found']},"
            f" checks {check['checks_evaluated']} evaluated, {check['checks_failed']} failed,"
            f" {check['checks_warned']} warnings; dbt {check['dbt_invocation_id']},"
            f" commit {check['git_commit'] or '-'}"
        )
    out.append("")
    out.append("Case history:")
    for change in result["cases"]:
        out.append(
            f"  {change['at']} {change['actor']}: {change['field']}"
            f" {change['old_value']} -> {change['new_value']}"
            + (f" ({change['reason']})" if change.get("reason") else "")
        )
    if not result["cases"]:
        out.append("  none")
    return "\n".join(out) + "\n"
