"""The labelled edge cases: every one is in the ledger as its label says, over runs that
cross weekends, Easter Monday, 4 October, 25/26 December and a 29-day February.

Only the edge and credit scenarios are built (no clean filler), so the two years of
EDGE_AS_OF_DATES stay fast.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from datetime import UTC, date, timedelta

import pytest

from backoffice.sample import GeneratedSample
from backoffice.sample import ledger as ledger_mod
from backoffice.sample.builder import Context
from backoffice.sample.calendar import business_days, rome_date
from backoffice.sample.edges import (
    EDGE_AS_OF_DATES,
    EDGE_SCENARIOS,
    EdgeCase,
    disagreement,
    resolve,
)
from backoffice.sample.generator import SAMPLE_DAYS, _units
from backoffice.sample.landing import LandingWriter
from backoffice.sample.ledger import LedgerRow
from backoffice.sample.oracle import judge
from backoffice.sample.records import UnitRecords
from backoffice.sample.scenarios import CATALOGUE
from backoffice.sample.sinks import Sinks

CREDITS = {"duplicate_charge", "duplicate_charge_credited", "price_mismatch_part_credited",
           "unmatched_credit"}  # fmt: skip
SCENARIOS = [s for s in CATALOGUE if s.name in CREDITS] + list(EDGE_SCENARIOS)
HOLIDAYS = (date(2026, 12, 25), date(2027, 3, 29), date(2027, 10, 4), date(2028, 12, 25),
            date(2028, 12, 26))  # fmt: skip


class Edges:
    def __init__(self) -> None:
        self.cases: list[EdgeCase] = []
        self.ledger: list[LedgerRow] = []
        self.records: dict[str, UnitRecords] = {}

    def rows(self, as_of: date) -> list[LedgerRow]:
        return [r for r in self.ledger if r.as_of == as_of]

    def find(self, scenario: str, text: str = "") -> list[EdgeCase]:
        return [c for c in self.cases if c.scenario.startswith(scenario) and text in c.case]


@pytest.fixture(scope="module")
def edges(tmp_path_factory: pytest.TempPathFactory) -> Edges:
    as_of = EDGE_AS_OF_DATES
    ctx = Context(5, as_of, as_of[0] - timedelta(days=SAMPLE_DAYS))
    writer = LandingWriter(Sinks(tmp_path_factory.mktemp("edges")), ctx)
    out, wanted = Edges(), 2 * len(SCENARIOS)
    for unit in _units(ctx, 5000, SCENARIOS):
        if unit.scenario == "clean":
            continue
        records = writer.write(unit)
        out.records[unit.scenario] = records
        out.cases += resolve(unit, as_of)
        out.ledger += ledger_mod.sequence([(d, judge(records, d)) for d in as_of])
        wanted -= 1
        if not wanted:
            break
    assert not wanted, "every edge scenario is built for both providers"
    return out


def test_every_edge_case_is_in_the_ledger_as_labelled(edges: Edges) -> None:
    assert len(edges.cases) > 300
    problems = [(c, disagreement(c, edges.rows(c.as_of))) for c in edges.cases]
    assert [p for p in problems if p[1]] == []


@pytest.mark.parametrize("provider", ["alfa", "nuvola"])
@pytest.mark.parametrize(
    ("state", "kind"),
    [("not_submitted", "ORDER_NOT_SUBMITTED"), ("submitted", "ORDER_STUCK"),
     ("acknowledged", "ORDER_STUCK"), ("in_progress", "ORDER_STUCK"), ("held", "ORDER_STUCK"),
     ("rejected", "ORDER_REJECTED")],
)  # fmt: skip
def test_at_the_sla_silent_one_day_over_fires_at_every_run(
    edges: Edges, provider: str, state: str, kind: str
) -> None:
    cases = edges.find(f"sla_edge_{state}:{provider}")
    for as_of in EDGE_AS_OF_DATES:
        mine = [c for c in cases if c.as_of == as_of and c.exception_type == kind]
        silent = [c for c in mine if not c.fires]
        assert len(silent) == 2, as_of  # by day, and entered just after midnight in Rome
        assert any("00:xx" in c.case for c in silent)
        assert any(c.fires and "business day(s) later" not in c.case for c in mine)
    for earlier, later in itertools.pairwise(EDGE_AS_OF_DATES):
        if business_days(earlier, later) == 1:  # the line silent at `earlier` fires the next day
            silent = {c.order_line_id for c in cases if c.as_of == earlier and not c.fires}
            fired = {c.order_line_id for c in cases if c.as_of == later and c.fires}
            assert silent <= fired, (earlier, later)
            for line_id in silent:
                assert not [r for r in edges.rows(earlier) if r.order_line_id == line_id]
                row = next(r for r in edges.rows(later) if r.order_line_id == line_id)
                assert (row.exception_type, row.status, row.detected_on) == (kind, "open", later)


def test_the_sla_edges_cross_weekends_and_every_holiday(edges: Edges) -> None:
    silent = [c for c in edges.find("sla_edge_") if not c.fires]
    for holiday in HOLIDAYS:
        marker = f"{holiday:%a %d %b} (holiday)"
        assert any(marker in c.case for c in silent if "SLA of 2" in c.case), holiday
    assert any("Sat" in c.case and "Sun" in c.case for c in silent if "SLA of 2" in c.case)


def test_midnight_moments_have_another_utc_date(edges: Edges) -> None:
    checked = 0
    for scenario, records in edges.records.items():
        if not scenario.startswith("sla_edge_") or "not_submitted" in scenario:
            continue
        lines = {c.order_line_id for c in edges.find(scenario, "00:xx")}
        moments = [o.submitted_at for o in records.orders if o.order_line_id in lines]
        moments += [e.at for e in records.events if e.order_line_id in lines]
        midnight = [m for m in moments if m.astimezone(UTC).date() != rome_date(m)]
        assert len(midnight) == len(lines)  # exactly the moment the current state began
        checked += len(lines)
    assert checked


@pytest.mark.parametrize("provider", ["alfa", "nuvola"])
@pytest.mark.parametrize("where", ["activation", "termination"])
def test_pro_rata_in_months_of_every_length(edges: Edges, provider: str, where: str) -> None:
    cases = edges.find(f"prorata_at_{where}:{provider}")
    by_length = defaultdict(list)
    for c in cases:
        by_length[next(n for n in (28, 29, 30, 31) if f"{n}-day month" in c.case)].append(c)
    assert sorted(by_length) == [28, 29, 30, 31]
    for length, mine in by_length.items():
        thirty = [c for c in mine if "over 30 days" in c.case]
        assert [c.fires for c in thirty] == [length != 30]  # dividing by 30 is right in June
        assert any(not c.fires and "00:xx" in c.case for c in mine)  # billed right
        if where == "termination":
            assert any(c.exception_type == "BILLED_AFTER_CANCELLATION" for c in mine)
        for c in mine:
            assert not c.fires or (c.amount_eur and c.amount_eur != 0)


def test_duplicates_and_credit_notes(edges: Edges) -> None:
    for provider in ("alfa", "nuvola"):
        inside = edges.find(f"duplicate_in_one_invoice:{provider}")
        assert [c.fires for c in inside] == [False, True]
        assert inside[0].invoice_number == inside[1].invoice_number
        assert int(inside[0].invoice_line) < int(inside[1].invoice_line)
        (across,) = edges.find(f"duplicate_charge:{provider}")
        assert across.status == "open" and across.exception_type == "DUPLICATE_CHARGE"
        (full,) = edges.find(f"duplicate_charge_credited:{provider}")
        assert full.status == "credited" and full.credited_eur == full.amount_eur
        (part,) = edges.find(f"price_mismatch_part_credited:{provider}")
        assert part.status == "open" and part.credited_eur
        assert part.amount_eur and 0 < part.credited_eur < part.amount_eur
        (nothing,) = edges.find(f"unmatched_credit:{provider}")
        assert (nothing.exception_type, nothing.amount_eur) == ("UNMATCHED_CREDIT", -10)


def test_activations_on_the_days_the_clock_changes(edges: Edges) -> None:
    for provider in ("alfa", "nuvola"):
        cases = edges.find(f"dst_midnight:{provider}")
        assert {c.case.split(" at ")[1][:5] for c in cases} == {"00:30", "02:30", "03:30"}
        assert not any(c.fires for c in cases)


def test_the_generated_sample_labels_its_units_and_edge_cases(sample: GeneratedSample) -> None:
    names = {u.scenario.split(":")[0] for u in sample.units}
    assert {s.name for s in CATALOGUE} <= names  # the defects come first: small samples keep them
    assert {s.name for s in EDGE_SCENARIOS[:6]} <= names  # the SLA edges fit in 400 lines too
    assert all(u.order_line_ids for u in sample.units)
    assert sample.cases("sla_edge_held:nuvola")
    assert all(c.scenario in {u.scenario for u in sample.units} for c in sample.edge_cases)
    problems = [(c, disagreement(c, sample.ledger_for(c.as_of))) for c in sample.edge_cases]
    assert [p for p in problems if p[1]] == []
