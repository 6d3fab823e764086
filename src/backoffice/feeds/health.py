"""Feed health: is each feed delivering on its rhythm and at its usual volume?

The judgement itself is SQL, in one place: the dbt mart `marts.feed_health` (one row per
registry feed as of the night's date; docs/feed-health.md). This module only feeds it and
reads it:

- `record_feed_schedule` runs at the start of every night (pipeline.begin_run) and writes
  the registry's feeds with their rhythm into the build (`raw.feed_schedule`, replaced each
  night), so that dbt judges the feeds against what the registry expects tonight;
- `read_feed_health` reads the mart back for the night's summary, the report, the review
  app and the audit record, which therefore cannot disagree.

A late or small feed warns; it never blocks a night (no data check or dbt test fails on it).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from backoffice.registry import Registry
from backoffice.settings import Settings
from backoffice.warehouse.catalog import has_table

SCHEDULE_DDL = """
create schema if not exists raw;
create or replace table raw.feed_schedule (
    source varchar not null,
    feed varchar not null,
    kind varchar not null,              -- the raw table the feed loads
    format varchar not null,
    rhythm_every varchar,               -- business_day | week | month; null: no rhythm
    rhythm_weekday integer,             -- week: 1 (Monday) .. 7 (Sunday)
    rhythm_day integer,                 -- month: the day of the month it is due by
    rhythm_grace integer not null,      -- business days of grace after the due date
    rhythm_description varchar not null,
    registry_position integer not null  -- the feed's order in config/providers.yml
)
"""

NO_RHYTHM = "no rhythm (never called late)"
# Statuses that warn, in the order a person should read them.
WARNING_STATUSES = ("never_delivered", "late", "small")


def record_feed_schedule(con: Any, registry: Registry) -> None:
    """Write the registry's feeds and their expected rhythm into the build (raw schema).

    Replaced whole every night: the schedule is what the registry says tonight, so a rhythm
    changed in config/providers.yml judges the very next night.
    """
    rows = []
    for position, (source, name) in enumerate(registry.feeds(), start=1):
        feed = registry.feed(source, name)
        rhythm = feed.rhythm
        rows.append(
            (
                source,
                name,
                feed.kind,
                feed.format,
                rhythm.every if rhythm else None,
                rhythm.iso_weekday if rhythm else None,
                rhythm.day if rhythm else None,
                rhythm.grace if rhythm else 0,
                rhythm.describe() if rhythm else NO_RHYTHM,
                position,
            )
        )
    con.execute(SCHEDULE_DDL)
    if rows:  # DuckDB refuses an empty executemany
        con.executemany(f"insert into raw.feed_schedule values ({', '.join(['?'] * 10)})", rows)


@dataclass(frozen=True)
class FeedHealth:
    """One feed as a night judged it (a row of marts.feed_health)."""

    source: str
    feed: str
    as_of_date: date
    rhythm: str
    status: str
    expected_by_date: date | None
    next_due_date: date | None
    late_since_date: date | None
    last_delivery_date: date | None
    last_delivery_files: int
    last_delivery_rows: int
    judged_period_date: date | None
    period_files: int
    period_rows: int
    usual_files: float | None
    usual_rows: float | None
    usual_periods: int
    business_days_late: int | None
    warning: str | None

    @property
    def name(self) -> str:
        return f"{self.source}/{self.feed}"

    @property
    def is_warning(self) -> bool:
        return self.status in WARNING_STATUSES

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        for key, value in out.items():
            if isinstance(value, date):
                out[key] = value.isoformat()
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FeedHealth:
        """Back from `to_dict` (the night's summary.json): ISO dates become dates again."""
        values = dict(data)
        for key in _DATES:
            if values.get(key):
                values[key] = date.fromisoformat(values[key])
        return cls(**values)


_COLUMNS = [field for field in FeedHealth.__dataclass_fields__]
_DATES = [name for name in _COLUMNS if name.endswith("_date")]


def read_feed_health(con: Any) -> list[FeedHealth]:
    """marts.feed_health in the registry's order; [] on a warehouse built before it existed."""
    if not has_table(con, "marts", "feed_health"):
        return []
    rows = con.execute(
        f"select {', '.join(_COLUMNS)} from marts.feed_health order by registry_position"
    ).fetchall()
    return [FeedHealth(*row) for row in rows]


def published_feed_health(settings: Settings) -> list[FeedHealth]:
    """The current publication's feed health, [] before the first night (`feeds list`, the app)."""
    from backoffice import publish

    try:
        con = publish.connect_published(settings)
    except publish.NoPublicationError:
        return []
    try:
        return read_feed_health(con)
    finally:
        con.close()
