"""The registry as a data engineer reads it: every feed, and what the last night got from it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb

from backoffice import publish
from backoffice.feeds.health import NO_RHYTHM, read_feed_health
from backoffice.registry import Registry
from backoffice.settings import Settings


@dataclass(frozen=True)
class FeedLine:
    source: str
    feed: str
    kind: str
    format: str
    patterns: str
    last_delivery: date | None
    last_night: date | None
    files: int
    rows_loaded: int
    rows_quarantined: int
    rhythm: str = NO_RHYTHM
    health: str = ""  # marts.feed_health's status as of the last night


def feed_lines(settings: Settings, registry: Registry) -> list[FeedLine]:
    """One line per registry feed, with its last delivery and the latest night's counts."""
    stats: dict[tuple[str, str], tuple] = {}
    health: dict[str, str] = {}
    night: date | None = None
    path = publish.current_publication(settings)
    if path is not None:
        with duckdb.connect(str(path), read_only=True) as con:
            night = con.execute(
                "select max(cast(split_part(load_id, '/', 1) as date)) from raw.landed_files"
            ).fetchone()[0]
            for source, feed, last, files, loaded, quarantined in con.execute(
                """
                select source, feed, max(delivery_date),
                    count(*) filter (where split_part(load_id, '/', 1) = cast(? as varchar)),
                    coalesce(sum(rows_loaded) filter (
                        where split_part(load_id, '/', 1) = cast(? as varchar)), 0),
                    coalesce(sum(rows_quarantined) filter (
                        where split_part(load_id, '/', 1) = cast(? as varchar)), 0)
                from raw.landed_files
                group by source, feed
                """,
                [night, night, night],
            ).fetchall():
                stats[(source, feed)] = (last, files, int(loaded), int(quarantined))
            health = {f.name: f.status for f in read_feed_health(con)}
    lines = []
    for source, name in registry.feeds():
        feed = registry.feed(source, name)
        last, files, loaded, quarantined = stats.get((source, name), (None, 0, 0, 0))
        lines.append(
            FeedLine(source, name, feed.kind, feed.format, " ".join(feed.patterns),
                     last, night, files, loaded, quarantined,
                     feed.rhythm.describe() if feed.rhythm else NO_RHYTHM,
                     health.get(f"{source}/{name}", ""))
        )  # fmt: skip
    return lines


def render_table(lines: list[FeedLine]) -> str:
    header = ("feed", "kind", "format", "patterns", "rhythm", "health", "last delivery", "files",
              "rows", "quar.")  # fmt: skip
    rows = [
        (
            f"{line.source}/{line.feed}",
            line.kind,
            line.format,
            line.patterns,
            line.rhythm,
            line.health or "-",
            line.last_delivery.isoformat() if line.last_delivery else "never",
            str(line.files),
            str(line.rows_loaded),
            str(line.rows_quarantined),
        )
        for line in lines
    ]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    out = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
           for r in [header, *rows]]  # fmt: skip
    night = next((line.last_night for line in lines if line.last_night), None)
    out.append(
        f"(files, rows: what the night as of {night} loaded)"
        if night
        else "(no night published yet: no deliveries to show)"
    )
    return "\n".join(out) + "\n"
