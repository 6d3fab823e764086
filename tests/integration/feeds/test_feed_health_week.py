"""A provider stops sending invoices for a week: every night says so, and nothing else moves.

A tiny generated landing zone (40 order lines, seed 11) is judged on seven successive
nights, Tuesday 3 to Monday 9 March 2026, in process (`pipeline.run_night`) on one data
directory. Alfa's invoice feed is due monthly by the 3rd (config/providers.yml); before the
first night every alfa/invoices delivery of that week is removed from the landing zone, as if
the provider had stopped. Each night must:

- publish (a late feed warns, it never blocks a night);
- judge alfa/invoices late in `marts.feed_health`, late since the 3rd by the business days
  the sample generator's own calendar counts, and say so in one sentence that the night's
  summary (summary.json and summary.txt) and its audit warnings repeat word for word;
- keep nuvola/invoices (due by the 10th, delivered in February) on time: the warning is
  about the stopped feed, not about invoices in general;
- publish exactly the generator's ledger for that date, but for the exceptions that involve
  the stopped invoices (raised on them, or settled by a credit note among them), which are
  absent or still open: every other exception, of every feed, is there as expected.

Seven nights are the test's cost (about 15-20 CPU s each on these machines, mostly dbt and
the data checks); the sample is as small as keeps alfa's monthly run in the stopped week and
three earlier months to judge volumes by.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from backoffice import pipeline, publish
from backoffice.feeds.health import read_feed_health
from backoffice.parsers.fatturapa import parse_fatturapa
from backoffice.parsers.records import Record
from backoffice.published import write_exceptions_csv
from backoffice.registry import load_registry
from backoffice.sample import generate_landing_zone
from backoffice.sample.calendar import business_days
from backoffice.sample.ledger import read as read_ledger
from backoffice.settings import Settings

pytestmark = pytest.mark.integration

NIGHTS = tuple(date(2026, 3, 3) + timedelta(days=n) for n in range(7))  # Tue 3 .. Mon 9 March
STOPPED = ("alfa", "invoices")
COMPARED = (
    "exception_type", "status", "provider", "customer_vat", "order_id", "order_line_id",
    "invoice_number", "invoice_line", "period_month", "detected_on", "amount_eur",
    "credited_eur", "source_file", "source_row",
)  # fmt: skip


class Week:
    """The seven nights' outcomes, read back right after each night."""

    def __init__(self, root: Path) -> None:
        self.settings = Settings.from_env(
            {
                "BACKOFFICE_LANDING_DIR": str(root / "landing"),
                "BACKOFFICE_DATA_DIR": str(root / "data"),
                "BACKOFFICE_AUDIT_DOCS": "0",  # dbt docs: not what this test is about
            }
        )
        self.ledger = root / "expected_exceptions.csv"
        self.stopped_files: list[Path] = []
        self.last_before_stop: date | None = None
        self.stopped_invoices: set[str] = set()  # numbers raised or credited in them
        self.summaries: dict[date, dict] = {}
        self.summary_texts: dict[date, str] = {}
        self.warnings: dict[date, list[dict]] = {}
        self.health: dict[date, dict[str, object]] = {}
        self.exceptions: dict[date, list[dict[str, str]]] = {}


def _stop_the_feed(week: Week) -> None:
    """Remove the feed's deliveries of the week, keeping what they held to judge by."""
    feed_dir = week.settings.landing_dir.joinpath(*STOPPED)
    feed = load_registry(week.settings.registry_path).feed(*STOPPED)
    folders = sorted(p for p in feed_dir.iterdir() if p.is_dir())
    before = [date.fromisoformat(p.name) for p in folders if date.fromisoformat(p.name) < NIGHTS[0]]
    week.last_before_stop = max(before)
    for folder in folders:
        if NIGHTS[0] <= date.fromisoformat(folder.name) <= NIGHTS[-1]:
            for file in sorted(folder.iterdir()):
                week.stopped_files.append(file.relative_to(week.settings.landing_dir))
                for record in parse_fatturapa(file, feed):
                    if isinstance(record, Record) and record.table == "invoice_lines":
                        week.stopped_invoices.add(record.values["invoice_number"])
                        related = record.values.get("related_invoice_number")
                        if related:
                            week.stopped_invoices.add(related)
            shutil.rmtree(folder)


def _published_exceptions(settings: Settings) -> list[dict[str, str]]:
    out = io.StringIO()
    write_exceptions_csv(settings, out)
    out.seek(0)
    return list(csv.DictReader(out))


@pytest.fixture(scope="module")
def week(tmp_path_factory: pytest.TempPathFactory) -> Week:
    week = Week(tmp_path_factory.mktemp("feed-health-week"))
    generate_landing_zone(
        week.settings.landing_dir, week.ledger, seed=11, order_lines=40, as_of_dates=NIGHTS
    )
    _stop_the_feed(week)
    for night in NIGHTS:
        week.summaries[night] = pipeline.run_night(week.settings, night)
        folder = week.settings.runs_dir / night.isoformat()
        week.summary_texts[night] = (folder / "summary.txt").read_text(encoding="utf-8")
        week.warnings[night] = json.loads((folder / "warnings.json").read_text(encoding="utf-8"))
        with duckdb.connect(str(publish.current_publication(week.settings)), read_only=True) as con:
            week.health[night] = {f.name: f for f in read_feed_health(con)}
        week.exceptions[night] = _published_exceptions(week.settings)
    return week


def test_the_stopped_week_held_the_providers_monthly_run(week: Week) -> None:
    assert any(p.parts[2] == NIGHTS[0].isoformat() for p in week.stopped_files)
    assert len(week.stopped_files) >= 3 and week.stopped_invoices
    assert week.last_before_stop < NIGHTS[0]


@pytest.mark.parametrize("night", NIGHTS)
def test_the_night_publishes_and_its_mart_calls_the_feed_late(week: Week, night: date) -> None:
    assert week.summaries[night]["as_of"] == night.isoformat()  # published, not blocked
    alfa = week.health[night]["alfa/invoices"]
    assert alfa.status == "late"
    assert alfa.late_since_date == NIGHTS[0] == alfa.expected_by_date
    assert alfa.last_delivery_date == week.last_before_stop
    # business days from the 3rd to the night, both counted, by the generator's calendar
    assert alfa.business_days_late == business_days(NIGHTS[0] - timedelta(days=1), night)
    assert alfa.warning.startswith("alfa/invoices is late: nothing has come for the delivery due")
    assert "2026-03-03" in alfa.warning and "monthly by day 3" in alfa.warning
    assert week.health[night]["nuvola/invoices"].status == "on_time"


@pytest.mark.parametrize("night", NIGHTS)
def test_the_summary_and_the_audit_repeat_the_marts_warning(week: Week, night: date) -> None:
    sentence = week.health[night]["alfa/invoices"].warning
    summary = week.summaries[night]
    assert sentence in summary["feed_warnings"]
    row = next(f for f in summary["feed_health"] if (f["source"], f["feed"]) == STOPPED)
    assert row["status"] == "late" and row["warning"] == sentence
    assert f"  ! {sentence}" in week.summary_texts[night].splitlines()
    assert {"kind": "feed_late", "subject": "alfa/invoices", "detail": sentence} in week.warnings[
        night
    ]
    assert not any(w["subject"] == "nuvola/invoices" for w in week.warnings[night])


@pytest.mark.parametrize("night", NIGHTS)
def test_every_exception_not_involving_the_stopped_invoices_is_the_ledgers(
    week: Week, night: date
) -> None:
    def involved(row: dict[str, str]) -> bool:
        return (
            row["provider"] == STOPPED[0] and row["invoice_number"] in week.stopped_invoices
        ) or any(row["source_file"] == str(p) for p in week.stopped_files)

    expected = [r for r in read_ledger(week.ledger) if r["as_of"] == night.isoformat()]
    published = week.exceptions[night]
    kept = sorted(tuple(r[c] for c in COMPARED) for r in expected if not involved(r))
    assert sorted(tuple(r[c] for c in COMPARED) for r in published if not involved(r)) == kept
    assert len(kept) > 20
    # what the stop took away is exactly what involves it: nothing published cites those files
    assert not any(r["source_file"] in {str(p) for p in week.stopped_files} for r in published)
