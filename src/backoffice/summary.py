"""The run's summary: what the back office reads first each morning."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal

import duckdb

from backoffice.report import report_path
from backoffice.settings import Settings


@dataclass(frozen=True)
class TypeCount:
    exception_type: str
    open: int
    credited: int
    resolved: int
    open_amount_eur: Decimal
    new_today: int


@dataclass(frozen=True)
class RunSummary:
    as_of: date
    published: str
    by_type: list[TypeCount]
    owed_to_customers_eur: Decimal
    under_billed_eur: Decimal
    files_loaded: int
    files_redelivered: int
    files_unreadable: int
    rows_loaded: int
    rows_quarantined: int
    unmapped_states: int
    where_to_look: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict:
        data = asdict(self)
        data["as_of"] = self.as_of.isoformat()
        return data


def build_summary(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: date) -> RunSummary:
    rows = con.execute(
        """
        select
            exception_type,
            count(*) filter (where status = 'open'),
            count(*) filter (where status = 'credited'),
            count(*) filter (where status = 'resolved'),
            coalesce(sum(amount_eur - credited_eur) filter (where status = 'open'), 0),
            count(*) filter (where status = 'open' and detected_on = ?)
        from marts.exceptions
        group by exception_type
        order by exception_type
        """,
        [as_of],
    ).fetchall()
    owed, under = con.execute(
        """
        select
            coalesce(sum(amount_eur - credited_eur) filter (where amount_eur > 0), 0),
            coalesce(sum(amount_eur) filter (where amount_eur < 0), 0)
        from marts.exceptions
        where status = 'open'
        """
    ).fetchone()
    files = con.execute(
        """
        select
            count(*) filter (where status = 'loaded'),
            count(*) filter (where status = 'redelivery'),
            count(*) filter (where status = 'unreadable'),
            coalesce(sum(rows_loaded), 0),
            coalesce(sum(rows_quarantined), 0)
        from raw.landed_files
        """
    ).fetchone()
    unmapped = con.execute("select count(*) from marts.unmapped_provider_states").fetchone()[0]
    published = con.execute("select path from duckdb_databases() where not internal").fetchone()
    return RunSummary(
        as_of=as_of,
        published=str(published[0]) if published else "",
        by_type=[TypeCount(*row) for row in rows],
        owed_to_customers_eur=owed,
        under_billed_eur=under,
        files_loaded=files[0],
        files_redelivered=files[1],
        files_unreadable=files[2],
        rows_loaded=int(files[3]),
        rows_quarantined=int(files[4]),
        unmapped_states=int(unmapped),
        where_to_look={
            "exceptions": "backoffice exceptions --format csv",
            "data_docs": str(settings.gx_dir / "data_docs" / "index.html"),
            "run_records": str(settings.runs_dir / as_of.isoformat()),
            "report": str(report_path(settings, as_of)),
        },
    )


def render_text(s: RunSummary) -> str:
    lines = [f"Back-office nightly run as of {s.as_of.isoformat()}: published {s.published}", ""]
    lines.append(
        f"{'exception type':<28}{'open':>6}{'new':>6}{'credited':>10}{'resolved':>10}"
        f"{'open EUR':>14}"
    )
    for t in s.by_type:
        lines.append(
            f"{t.exception_type:<28}{t.open:>6}{t.new_today:>6}{t.credited:>10}{t.resolved:>10}"
            f"{t.open_amount_eur:>14,.2f}"
        )
    if not s.by_type:
        lines.append("(no exceptions)")
    lines += [
        "",
        f"Owed to customers (open, net of credits): EUR {s.owed_to_customers_eur:,.2f}",
        f"Under-billed by providers (open):         EUR {s.under_billed_eur:,.2f}",
        f"Files: {s.files_loaded} loaded, {s.files_redelivered} re-deliveries skipped, "
        f"{s.files_unreadable} unreadable; rows: {s.rows_loaded} loaded, "
        f"{s.rows_quarantined} quarantined; unmapped provider states: {s.unmapped_states}",
        "",
        "Where to look next:",
    ]
    lines += [f"  {name:<12} {where}" for name, where in s.where_to_look.items()]
    return "\n".join(lines) + "\n"
