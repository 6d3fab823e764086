"""generate_landing_zone: the sample landing zone and its ledger of expected exceptions.

Units (a customer's batch of orders) are built, written and judged one at a time:
scenario units with injected defects are spread among clean units, every record is
written to its daily file as it is produced, and the oracle judges the unit's
written records as of every as-of date. Memory stays proportional to one unit
plus the write buffers and the ledger, so any size streams.
"""

from __future__ import annotations

import itertools
import random
import shutil
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from backoffice.sample import ledger as ledger_mod
from backoffice.sample import zefiro
from backoffice.sample.billing import Billing
from backoffice.sample.builder import PROVIDERS, Builder, Context
from backoffice.sample.catalogue import customer
from backoffice.sample.edges import EDGE_SCENARIOS, EdgeCase, UnitLabel, resolve
from backoffice.sample.landing import CorruptRow, LandingWriter, UnmappedState
from backoffice.sample.ledger import LedgerRow
from backoffice.sample.model import Unit
from backoffice.sample.oracle import judge
from backoffice.sample.scenarios import CATALOGUE, Scenario, clean
from backoffice.sample.sinks import Sinks

SAMPLE_DAYS = 128  # the sample starts about four months before the first as-of date
LINES_PER_CATALOGUE = 2000  # the catalogue repeats once per this many order lines
SOURCES = ("crm", "alfa", "nuvola", zefiro.NAME)
# The fourth source's units: every catalogue scenario but the one that needs a second
# provider (billed_other_providers_line), numbered after any sample's own units.
ZEFIRO_SCENARIOS = tuple(s for s in CATALOGUE if s.name != "billed_other_providers_line")
ZEFIRO_FIRST_UNIT = 10_000_000
SCENARIOS = CATALOGUE + EDGE_SCENARIOS  # defects first, so that small samples keep them


@dataclass(frozen=True, slots=True)
class FeedCounts:
    """What landed for one source/feed, to reconcile ingest's counts against."""

    files: int  # distinct files written, re-deliveries included
    redelivered_files: int  # of which byte-identical copies in a later folder (load once)
    records: int  # source rows in first deliveries: CSV rows, NDJSON lines, invoice lines
    quarantined: int  # of which corrupt rows that ingest must quarantine
    warehouse_rows: int  # rows ingest loads into raw (alfa: items / item state changes)
    vat_summaries: int  # FatturaPA DatiRiepilogo rows (raw.invoice_vat_summaries)


@dataclass(frozen=True, slots=True)
class Redelivery:
    original: str
    copy: str


@dataclass(frozen=True)
class GeneratedSample:
    landing_dir: Path
    ledger_path: Path
    seed: int
    as_of_dates: tuple[date, ...]
    order_lines: int
    ledger: tuple[LedgerRow, ...]
    feeds: dict[tuple[str, str], FeedCounts]
    corrupt_rows: tuple[CorruptRow, ...]
    redeliveries: tuple[Redelivery, ...]
    unmapped_states: tuple[UnmappedState, ...]
    scenarios: dict[str, int] = field(default_factory=dict)  # units built per scenario
    units: tuple[UnitLabel, ...] = ()  # every scenario unit (not the clean ones) and its lines
    edge_cases: tuple[EdgeCase, ...] = ()  # labelled edge cases and their expected results

    def ledger_for(self, as_of: date) -> list[LedgerRow]:
        return [row for row in self.ledger if row.as_of == as_of]

    def counts_by_type(self, as_of: date) -> Counter[str]:
        return Counter(row.exception_type for row in self.ledger_for(as_of))

    def cases(self, scenario: str = "") -> list[EdgeCase]:
        """The labelled edge cases of the units whose label starts with `scenario`."""
        return [c for c in self.edge_cases if c.scenario.startswith(scenario)]


def _units(
    ctx: Context,
    order_lines: int,
    scenarios: Sequence[Scenario] = SCENARIOS,
    providers: tuple[str, ...] = PROVIDERS,
    first_index: int = 0,
) -> Iterator[Unit]:
    """Scenario units spread evenly among clean units, exactly `order_lines` CRM lines."""
    reps = max(1, order_lines // LINES_PER_CATALOGUE)
    planned = [(s, p) for _ in range(reps) for s in scenarios for p in providers]
    customers = max(12, order_lines // 5)
    emitted, index, next_scenario = 0, first_index, 0
    while emitted < order_lines:
        rng = random.Random(f"unit:{ctx.seed}:{index}")
        who = customer(ctx.seed, rng.randrange(customers))
        due = next_scenario < len(planned) and emitted >= next_scenario * order_lines / (
            len(planned) + 1
        )
        if due:
            scenario, provider = planned[next_scenario]
            next_scenario += 1
            builder = Builder(ctx, index, f"{scenario.name}:{provider}", who, rng)
            tweak = scenario.build(builder, provider)
            size = len(builder.unit.lines)
            if emitted + size > order_lines:
                next_scenario = len(planned)  # no room left for defects: fill with clean lines
                continue
        else:
            builder = Builder(ctx, index, "clean", who, rng)
            clean(builder, order_lines - emitted, providers)
            tweak = None
            size = len(builder.unit.lines)
        unit = builder.unit
        for line in unit.lines:
            line.trim(ctx.horizon)
        billing = Billing(unit, ctx.horizon)
        billing.bill_clean()
        if tweak is not None:
            tweak(billing)
        emitted += size
        index += 1
        yield unit


def _redeliver(sinks: Sinks, landing: Path, ctx: Context) -> list[Redelivery]:
    """Copy a few files, byte for byte, into a later delivery folder of the same feed."""
    rng = random.Random(f"redeliver:{ctx.seed}")
    copies = []
    for source, feed in (("crm", "signed_orders"), ("alfa", "activations"), ("alfa", "invoices"),
                         ("nuvola", "invoices"), ("nuvola", "orders")):  # fmt: skip
        candidates = sorted(
            rel
            for rel, stats in sinks.stats.items()
            if (stats.source, stats.feed) == (source, feed)
            and date.fromisoformat(rel.split("/")[2]) < ctx.horizon
        )
        if not candidates:
            continue
        original = rng.choice(candidates)
        delivered = date.fromisoformat(original.split("/")[2])
        later = min(delivered + timedelta(days=rng.randint(1, 3)), ctx.horizon)
        copy = f"{source}/{feed}/{later}/{original.rsplit('/', 1)[1]}"
        (landing / copy).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(landing / original, landing / copy)
        copies.append(Redelivery(original, copy))
    return copies


def _prepare(landing_dir: Path, overwrite: bool) -> None:
    existing = [landing_dir / s for s in SOURCES if (landing_dir / s).exists()]
    if existing and not overwrite:
        raise FileExistsError(
            f"{landing_dir} already holds {', '.join(p.name for p in existing)}; "
            "pass overwrite=True (--overwrite) to replace the sample"
        )
    for path in existing:
        shutil.rmtree(path)
    landing_dir.mkdir(parents=True, exist_ok=True)


def generate_landing_zone(
    landing_dir: Path,
    ledger_path: Path,
    *,
    seed: int = 7,
    order_lines: int = 400,
    as_of_dates: Sequence[date],
    overwrite: bool = False,
    fourth_provider_lines: int = 0,
) -> GeneratedSample:
    """Write the sample landing zone and the ledger of exceptions expected at each as-of date.

    Same arguments, same bytes. `as_of_dates` are the runs, in the order they are done
    (strictly increasing); nothing is delivered after the last one.
    `fourth_provider_lines` > 0 adds that many CRM lines of the opt-in fourth source,
    zefiro (sample/zefiro.py: Excel orders), after the others: the others' files and
    ledger rows stay what they are without it, and zefiro's exceptions join the ledger.
    """
    as_of = tuple(as_of_dates)
    if not as_of or any(b <= a for a, b in itertools.pairwise(as_of)):
        raise ValueError("as_of_dates must be a non-empty, strictly increasing sequence")
    if order_lines < 1:
        raise ValueError("order_lines must be positive")
    landing_dir, ledger_path = Path(landing_dir), Path(ledger_path)
    _prepare(landing_dir, overwrite)
    ctx = Context(seed, as_of, as_of[0] - timedelta(days=SAMPLE_DAYS))
    sinks = Sinks(landing_dir)
    writer = LandingWriter(sinks, ctx)
    rows: list[LedgerRow] = []
    built: Counter[str] = Counter()
    labels: list[UnitLabel] = []
    cases: list[EdgeCase] = []
    units = _units(ctx, order_lines)
    if fourth_provider_lines > 0:
        units = itertools.chain(
            units,
            _units(ctx, fourth_provider_lines, ZEFIRO_SCENARIOS, (zefiro.NAME,), ZEFIRO_FIRST_UNIT),
        )
    for unit in units:
        built[unit.scenario] += 1
        records = writer.write(unit)
        if unit.scenario != "clean":
            labels.append(UnitLabel(unit.scenario, tuple(x.order_line_id for x in unit.lines)))
            cases.extend(resolve(unit, as_of))
        rows.extend(ledger_mod.sequence([(d, judge(records, d)) for d in as_of]))
    writer.finish()
    sinks.flush()
    redeliveries = _redeliver(sinks, landing_dir, ctx)
    rows.sort(key=ledger_mod.sort_key)
    ledger_mod.write(ledger_path, rows)
    return GeneratedSample(
        landing_dir=landing_dir,
        ledger_path=ledger_path,
        seed=seed,
        as_of_dates=as_of,
        order_lines=order_lines,
        ledger=tuple(rows),
        feeds=_feed_counts(sinks, redeliveries),
        corrupt_rows=tuple(writer.corrupt),
        redeliveries=tuple(redeliveries),
        unmapped_states=tuple(writer.unmapped),
        scenarios=dict(sorted(built.items())),
        units=tuple(labels),
        edge_cases=tuple(cases),
    )


def _feed_counts(sinks: Sinks, redeliveries: list[Redelivery]) -> dict[tuple[str, str], FeedCounts]:
    copies = Counter(tuple(r.copy.split("/")[:2]) for r in redeliveries)
    totals: dict[tuple[str, str], list[int]] = {}
    for stats in sinks.stats.values():
        t = totals.setdefault((stats.source, stats.feed), [0, 0, 0, 0, 0])
        for i, value in enumerate(
            (1, stats.records, stats.quarantined, stats.warehouse_rows, stats.vat_summaries)
        ):
            t[i] += value
    return {
        key: FeedCounts(t[0] + copies[key], copies[key], t[1], t[2], t[3], t[4])
        for key, t in sorted(totals.items())
    }
