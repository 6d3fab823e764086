"""The run's summary: what the back office reads first each morning.

Files add up: every entry ingest recorded is loaded, a redelivery, unreadable or
unexpected (files_landed is their sum), and the summary says which feeds
brought nothing new tonight, so a silent provider is noticed the same morning. Feed
health (`marts.feed_health`: each feed against its rhythm and usual volume) comes with it,
and the warnings of the late or small feeds, word for word as the mart states them.
`write_summary` puts it where the night's records live (backoffice.run_records).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal

import duckdb

from backoffice.feeds.health import read_feed_health
from backoffice.registry import load_registry
from backoffice.report import report_path
from backoffice.review import words  # the report's and the app's words for amounts
from backoffice.run_records import records
from backoffice.settings import Settings
from backoffice.warehouse.catalog import has_table


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
    files_unexpected: int = 0
    files_landed: int = 0  # loaded + redelivered + unreadable + unexpected
    files_new_tonight: int = 0  # entries first recorded by this night
    feeds_without_new_files: list[str] = field(default_factory=list)  # "source/feed"
    feed_health: list[dict] = field(default_factory=list)  # marts.feed_health, one per feed
    feed_warnings: list[str] = field(default_factory=list)  # its late / small sentences

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
    files, fed = (0, 0, 0, 0, 0, 0, 0, 0), set()
    if has_table(con, "raw", "landed_files"):  # a hand-made warehouse may lack ingest's
        files = con.execute(
            """
            select
                count(*) filter (where status = 'loaded'),
                count(*) filter (where status = 'redelivery'),
                count(*) filter (where status = 'unreadable'),
                coalesce(sum(rows_loaded), 0),
                coalesce(sum(rows_quarantined), 0),
                count(*) filter (where status = 'unexpected'),
                count(*),
                count(*) filter (where starts_with(load_id, ?))
            from raw.landed_files
            """,
            [f"{as_of.isoformat()}/"],
        ).fetchone()
        fed = {
            f"{source}/{feed}"
            for source, feed in con.execute(
                "select distinct source, feed from raw.landed_files "
                "where starts_with(load_id, ?) and status <> 'unexpected'",
                [f"{as_of.isoformat()}/"],
            ).fetchall()
        }
    unmapped = 0
    if has_table(con, "marts", "unmapped_provider_states"):
        unmapped = con.execute("select count(*) from marts.unmapped_provider_states").fetchone()[0]
    published = con.execute("select path from duckdb_databases() where not internal").fetchone()
    health = read_feed_health(con)
    # The night's feeds: marts.feed_health has one row per feed of the registry that night
    # (raw.feed_schedule); the registry file (and its parsers) only for a warehouse without it.
    feeds = [feed.name for feed in health] or [
        f"{s}/{f}" for s, f in load_registry(settings.registry_path).feeds()
    ]
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
        files_unexpected=int(files[5]),
        files_landed=int(files[6]),
        files_new_tonight=int(files[7]),
        feeds_without_new_files=[f for f in feeds if f not in fed],
        feed_health=[feed.to_dict() for feed in health],
        feed_warnings=[feed.warning for feed in health if feed.is_warning and feed.warning],
        where_to_look={
            "exceptions": "backoffice exceptions --format csv",
            "data_docs": str(settings.gx_dir / "data_docs" / "index.html"),
            "run_records": str(records(settings, as_of).directory),
            "report": str(report_path(settings, as_of)),
        },
    )


def render_text(s: RunSummary) -> str:
    lines = [f"Back-office nightly run as of {s.as_of.isoformat()}: published {s.published}", ""]
    lines.append(
        f"{'exception type':<28}{'open':>6}{'new':>6}{'credited':>10}{'resolved':>10}"
        f"{'open EUR':>14}  which is (net of credits)"
    )
    for t in s.by_type:
        lines.append(
            f"{t.exception_type:<28}{t.open:>6}{t.new_today:>6}{t.credited:>10}{t.resolved:>10}"
            f"{abs(t.open_amount_eur):>14,.2f}  "
            f"{words.amount_meaning(t.open_amount_eur, t.exception_type).removesuffix(' by')}"
        )
    if not s.by_type:
        lines.append("(no exceptions)")
    lines += [
        "",
        f"Owed to customers (open, net of credits): EUR {s.owed_to_customers_eur:,.2f}",
        f"Under-billed by providers (open):         EUR {abs(s.under_billed_eur):,.2f}"
        " (they may still bill it; no customer is owed it)",
        "Amounts are net of VAT; what each exception type means: docs/glossary.md",
        f"Files: {s.files_landed} landed: {s.files_loaded} loaded, {s.files_redelivered} "
        f"re-deliveries skipped, {s.files_unreadable} unreadable, {s.files_unexpected} "
        f"unexpected (not where the registry expects a file); rows: {s.rows_loaded} loaded, "
        f"{s.rows_quarantined} quarantined; unmapped provider states: {s.unmapped_states}",
        _tonight(s),
        "",
        *_feeds(s),
        "Where to look next:",
    ]
    lines += [f"  {name:<12} {where}" for name, where in s.where_to_look.items()]
    return "\n".join(lines) + "\n"


def _tonight(s: RunSummary) -> str:
    if s.files_new_tonight == 0:
        return "No new deliveries tonight: nothing landed since the last night."
    line = f"New tonight: {s.files_new_tonight} files."
    if s.feeds_without_new_files:
        line += f" No new files from: {', '.join(s.feeds_without_new_files)}."
    return line


STATUS_WORDS = {
    "on_time": "on time",
    "late": "LATE",
    "small": "SMALL",
    "never_delivered": "NEVER DELIVERED",
    "no_rhythm": "no rhythm",
}


def _feeds(s: RunSummary) -> list[str]:
    """Each feed against its rhythm and usual volume, then the warnings (docs/feed-health.md)."""
    if not s.feed_health:
        return []
    lines = ["Feeds: status, last delivery, files/rows of the judged period and usually, rhythm"]
    for f in s.feed_health:
        name = f"{f['source']}/{f['feed']}"
        usual = (
            f"{f['usual_files']}/{f['usual_rows']}" if f["usual_files"] is not None else "none yet"
        )
        lines.append(
            f"  {name:<22}{STATUS_WORDS.get(f['status'], f['status']):<16}"
            f"last {f['last_delivery_date'] or 'never':<11} "
            f"{f['period_files']}/{f['period_rows']}, usually {usual}  ({f['rhythm']})"
        )
    if s.feed_warnings:
        lines.append("Feed warnings (they never block the night):")
        lines += [f"  ! {warning}" for warning in s.feed_warnings]
    else:
        lines.append("Every feed is on its rhythm and at its usual volume.")
    return [*lines, ""]


def write_summary(settings: Settings, summary: RunSummary) -> RunSummary:
    """Write summary.json and summary.txt among the night's records."""
    night = records(settings, summary.as_of).create()
    night.write_json(night.summary_json, summary.to_dict())
    night.summary_txt.write_text(render_text(summary), encoding="utf-8")
    return summary
