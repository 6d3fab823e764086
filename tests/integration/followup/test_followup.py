"""Follow-up on two real nights: digests read from a local SMTP server, claim packs opened
with openpyxl, escalation steps in the case history. Expected figures come from the
published exceptions (and the case store's due dates), never from follow-up's code."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from decimal import Decimal

import duckdb
import followup_fixtures
import openpyxl
import pytest

NIGHT_1, NIGHT_2 = date(2026, 3, 2), date(2026, 3, 9)

pytestmark = pytest.mark.integration
followup_nights = followup_fixtures.followup_nights  # the module fixture (two real nights)

OVER_BILLING = {
    "DUPLICATE_CHARGE",
    "BILLED_NOT_ACTIVE",
    "BILLED_AFTER_CANCELLATION",
    "BILLED_BEFORE_ACTIVATION",
    "PRICE_MISMATCH",
    "QUANTITY_MISMATCH",
    "PRORATA_ERROR",
    "VAT_ERROR",
}
TEAM_ADDRESS = {  # config/cases.yml: the back_office-role people of each team
    "back_office": "anna@example.invalid",
    "provider_billing": "marco@example.invalid",
    "customer_care": "giulia@example.invalid",
}
CENT = Decimal("0.01")


def exceptions(path) -> dict[str, dict]:
    with duckdb.connect(str(path), read_only=True) as con:
        cursor = con.execute("select * from marts.exceptions")
        names = [d[0] for d in cursor.description]
        return {row[0]: dict(zip(names, row, strict=True)) for row in cursor.fetchall()}


def digest_of(message) -> dict:
    """What a mailed digest lists: {(case, section)} and the section totals, from its HTML."""
    html = message.get_body(("html",)).get_content()
    text = message.get_body(("plain",)).get_content()
    rows = set(re.findall(r'<tr data-case="(EX-[0-9a-f]+)" data-reason="(\w+)">', html))
    totals = {
        k: Decimal(v.replace(",", ""))
        for k, v in re.findall(r'data-total="(\w+)">(-?[\d,]+\.\d\d)<', html)
    }
    links = set(re.findall(r'href="([^"]+)"', html))
    return {"rows": rows, "totals": totals, "links": links, "text": text}


def by_recipient(mail) -> dict[str, tuple[list, object]]:
    result = {}
    for rcpt, message in mail:
        recipient = message["X-Backoffice-Recipient"]
        assert recipient not in result, f"{recipient} got two digests in one night"
        result[recipient] = (rcpt, message)
    return result


def outstanding(rows) -> Decimal:
    return sum((r["amount_eur"] - r["credited_eur"] for r in rows), Decimal("0.00"))


def test_digests_list_each_owners_new_and_overdue_cases_once(followup_nights):
    from backoffice.cases.store import CaseFilter, CaseStore

    settings = followup_nights.settings
    first = exceptions(followup_nights.publications[NIGHT_1])
    second = exceptions(followup_nights.publications[NIGHT_2])
    mail = {night: by_recipient(followup_nights.mail[night]) for night in (NIGHT_1, NIGHT_2)}

    # Night 1: every open exception is new to its owner; nothing is overdue yet.
    owners = {e["owner"] for e in first.values() if e["status"] == "open"}
    assert owners <= set(TEAM_ADDRESS) and len(owners) >= 2
    for owner in owners:
        rcpt, message = mail[NIGHT_1][f"owner:{owner}"]
        assert rcpt == [TEAM_ADDRESS[owner]]
        seen = digest_of(message)
        expected = [e for e in first.values() if e["owner"] == owner and e["status"] == "open"]
        assert {c for c, r in seen["rows"] if r == "new"} == {e["exception_id"] for e in expected}
        assert {r for _, r in seen["rows"]} == {"new"}
        assert seen["totals"]["new"] == outstanding(expected)
        for e in expected:
            assert f"http://review.test/backoffice/exceptions/{e['exception_id']}" in seen["links"]

    # Night 2: new = open now and not open (so not told) on night 1; overdue = past due date.
    today = date(2026, 3, 10)
    with CaseStore.open(settings) as store:
        overdue_cases = {
            c.exception_id: c
            for c in store.iter_cases(CaseFilter(overdue=True, today=today), sort="due_date")
        }
    assert overdue_cases, "the sample should leave some cases past due by the second night"
    told_new_1 = {e for e, x in first.items() if x["status"] == "open"}
    for owner in owners:
        rcpt, message = mail[NIGHT_2][f"owner:{owner}"]
        seen = digest_of(message)
        new = [
            e
            for e in second.values()
            if e["owner"] == owner and e["status"] == "open" and e["exception_id"] not in told_new_1
        ]
        overdue = [second[i] for i, c in overdue_cases.items() if c.owner == owner]
        assert {c for c, r in seen["rows"] if r == "new"} == {e["exception_id"] for e in new}
        assert {c for c, r in seen["rows"] if r == "overdue"} == {
            e["exception_id"] for e in overdue
        }
        if new:
            assert seen["totals"]["new"] == outstanding(new)
        if overdue:
            assert seen["totals"]["overdue"] == outstanding(overdue)
        settled = {
            e
            for e in told_new_1
            if first[e]["owner"] == owner and second[e]["status"] in ("credited", "resolved")
        }
        assert {c for c, r in seen["rows"] if r == "closed"} == settled

    # Nobody gets the same case twice for the same reason.
    for recipient, (_rcpt, message) in mail[NIGHT_2].items():
        if recipient in mail[NIGHT_1]:
            again = digest_of(message)["rows"] & digest_of(mail[NIGHT_1][recipient][1])["rows"]
            assert not again, f"{recipient} told twice: {sorted(again)[:3]}"
    # The digests are also on disk, one HTML and one text file per recipient.
    for night in (NIGHT_1, NIGHT_2):
        folder = settings.digests_dir / night.isoformat()
        for recipient in mail[night]:
            stem = recipient.replace(":", "-")
            assert (folder / f"{stem}.html").is_file() and (folder / f"{stem}.txt").is_file()


def test_a_rerun_of_the_digests_sends_nothing_again(followup_nights, tmp_path):
    from backoffice.followup.night import deliver
    from backoffice.settings import Settings

    copy = followup_nights.copy_case_store("rerun")
    nowhere = Settings.from_env(
        {
            **copy.env,
            "BACKOFFICE_DATA_DIR": str(tmp_path),  # the fixture's digest files stay as mailed
            "BACKOFFICE_SMTP_PORT": "1",
            "BACKOFFICE_SMTP_ATTEMPTS": "1",
        }
    )
    report = deliver(nowhere, NIGHT_2)
    assert report["sent"] == [] and report["failed"] == [] and report["repeat"]


def test_claim_pack_lines_and_totals_match_the_exceptions(followup_nights):
    pack = followup_nights.packs[NIGHT_1]
    path = followup_nights.publications[NIGHT_1]
    first = exceptions(path)
    expected = {
        e["exception_id"]: e
        for e in first.values()
        if e["provider"] == "alfa"
        and e["status"] == "open"
        and e["exception_type"] in OVER_BILLING
        and e["amount_eur"] > 0
        and e["amount_eur"] > e["credited_eur"]
    }
    assert len(expected) >= 5
    with duckdb.connect(str(path), read_only=True) as con:
        billed = dict(
            ((f, r), n)
            for f, r, n in con.execute(
                "select source_file, source_row, net_amount_eur from marts.invoice_lines "
                "where document_type = 'TD01'"
            ).fetchall()
        )
        vat = dict(
            con.execute(
                "select invoice_number, billed_vat_eur from intermediate.int_invoices__vat "
                "where provider = 'alfa'"
            ).fetchall()
        )
    book = openpyxl.load_workbook(pack.xlsx_path, read_only=True)
    sheet = list(book["Reclamo"].iter_rows(values_only=True))
    header = sheet[0]
    lines = [dict(zip(header, row, strict=True)) for row in sheet[1:] if row[0] != "Totale"]
    assert {line["Caso"] for line in lines} == set(expected)

    def eur(value) -> Decimal:
        return Decimal(str(value)).quantize(CENT)

    per_invoice: dict[str, Decimal] = defaultdict(Decimal)
    for line in lines:
        e = expected[line["Caso"]]
        assert line["Fattura"] == e["invoice_number"]
        if e["exception_type"] == "VAT_ERROR":
            charged = vat[e["invoice_number"]]
        else:
            assert line["Riga"] == e["invoice_line"]
            charged = billed[(e["source_file"], e["source_row"])]
        assert eur(line["Addebitato EUR"]) == eur(charged)
        assert eur(line["Differenza EUR"]) == e["amount_eur"]
        assert eur(line["Addebitato EUR"]) - eur(line["Dovuto EUR"]) == e["amount_eur"]
        assert eur(line["Già accreditato EUR"]) == e["credited_eur"]
        assert eur(line["Reclamato EUR"]) == e["amount_eur"] - e["credited_eur"]
        assert e["exception_type"] in line["Regola"]
        assert e["source_file"] in line["Evidenza"]
        per_invoice[e["invoice_number"]] += e["amount_eur"] - e["credited_eur"]
    grand = next(row for row in sheet[1:] if row[0] == "Totale")
    assert eur(grand[header.index("Reclamato EUR")]) == sum(per_invoice.values())
    totals = list(book["Totali per fattura"].iter_rows(values_only=True))
    by_invoice = {row[0]: eur(row[7]) for row in totals[1:] if row[0] != "Totale"}
    assert by_invoice == per_invoice
    assert eur(totals[-1][7]) == sum(per_invoice.values())
    # The Italian letter carries the pack's id and its grand total.
    letter = pack.html_path.read_text(encoding="utf-8")
    assert pack.pack_id in letter and "Spett.le" in letter
    assert (
        f"{sum(per_invoice.values()):,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
        in letter
    )


def test_a_credit_note_next_night_closes_the_claimed_line(followup_nights):
    from backoffice.cases.store import CaseStore
    from backoffice.followup.claims import claim_status

    settings = followup_nights.settings
    first_pack, second_pack = followup_nights.packs[NIGHT_1], followup_nights.packs[NIGHT_2]
    second = exceptions(followup_nights.publications[NIGHT_2])
    claimed = {line.exception_id: line for line in first_pack.lines}
    credited = {i for i in claimed if second[i]["status"] == "credited"}
    assert credited, "the sample lands a credit note for a claimed alfa line before night 2"
    status = {s.exception_id: s for s in claim_status(settings, "alfa")}
    for exception_id in credited:
        assert status[exception_id].state == "credited"
        assert status[exception_id].pack_id == first_pack.pack_id
        assert exception_id not in {line.exception_id for line in second_pack.lines}
    # The next pack shows the earlier line as credited, with what was credited since.
    rows = list(openpyxl.load_workbook(second_pack.xlsx_path)["Reclami precedenti"].values)
    earlier = {row[4]: row for row in rows[1:]}
    for exception_id in credited:
        assert earlier[exception_id][7].startswith("accreditato (")
        assert Decimal(str(earlier[exception_id][6])).quantize(CENT) == (
            second[exception_id]["credited_eur"] - claimed[exception_id].credited_eur
        )
    # Each case records the claim (which pack) and, later, the credit that closed it.
    with CaseStore.open(settings) as store:
        for exception_id in credited:
            events = [h for h in store.history(exception_id) if h.field == "claim"]
            assert events[0].new_value.startswith(first_pack.pack_id)
            assert "credited" in events[-1].new_value
        for line in second_pack.lines:
            events = [h for h in store.history(line.exception_id) if h.field == "claim"]
            assert events[-1].new_value.startswith(second_pack.pack_id)
            if line.exception_id in claimed:
                assert events[-1].old_value == first_pack.pack_id


def test_escalation_steps_up_overdue_cases_once_a_day(followup_nights):
    from backoffice.cases.store import CaseFilter, CaseStore
    from backoffice.followup.escalation import escalate

    settings = followup_nights.copy_case_store("escalation")
    night_2_morning = date(2026, 3, 10)
    # The night already took today's steps: running again the same day takes none.
    assert escalate(settings, night_2_morning) == []
    with CaseStore.open(settings) as store:
        overdue = list(store.iter_cases(CaseFilter(overdue=True, today=night_2_morning)))
        lead_of = {name: p.lead for name, p in store.config.people.items()}
        histories = {c.exception_id: store.history(c.exception_id) for c in overdue}
    rules = {"high": (1, 3), "medium": (2, 5), "low": (5, 10)}  # config/followup.yml
    stepped = {
        c.exception_id
        for c in overdue
        if (night_2_morning - c.due_date).days >= rules[c.severity][0]
    }
    assert stepped, "some case should be past its lead threshold on the second morning"
    for case in overdue:
        events = [h for h in histories[case.exception_id] if h.field == "escalation"]
        if case.exception_id in stepped:
            assert len(events) == 1 and events[0].actor == "system"
            expected = lead_of[case.assignee] if case.assignee else "lucia"
            assert events[0].new_value == f"lead {expected}"
        else:
            assert events == []
    # The next morning: those past the manager threshold go to the manager, one step only.
    next_morning = date(2026, 3, 11)
    steps = escalate(settings, next_morning)
    by_case = {s.exception_id: s for s in steps}
    assert len(by_case) == len(steps)
    for case in overdue:
        days = (next_morning - case.due_date).days
        lead_days, manager_days = rules[case.severity]
        if case.exception_id in stepped:
            if days >= manager_days:
                assert (by_case[case.exception_id].level, by_case[case.exception_id].to_person) == (
                    2,
                    "roberto",
                )
            else:
                assert case.exception_id not in by_case
        elif days >= lead_days:
            assert by_case[case.exception_id].level == 1
    assert escalate(settings, next_morning) == []
    with CaseStore.open(settings) as store:
        for exception_id, step in by_case.items():
            events = [h for h in store.history(exception_id) if h.field == "escalation"]
            assert (
                events[-1].new_value
                == f"{'lead' if step.level == 1 else 'manager'} {step.to_person}"
            )


def test_the_lead_receives_the_escalated_cases(followup_nights):
    from backoffice.followup.escalation import escalated_on

    steps = escalated_on(followup_nights.settings, date(2026, 3, 10))
    mail = by_recipient(followup_nights.mail[NIGHT_2])
    to = defaultdict(set)
    for step in steps:
        to[step.to_person].add(step.exception_id)
    assert to
    for person, cases in to.items():
        rcpt, message = mail[f"person:{person}"]
        assert rcpt == [f"{person}@example.invalid"]
        assert {c for c, r in digest_of(message)["rows"] if r == "escalated"} == cases


def test_statement_lists_what_the_customer_is_owed(followup_nights):
    from backoffice.followup.statement import build_statement

    settings = followup_nights.settings
    second = exceptions(followup_nights.publications[NIGHT_2])
    with duckdb.connect(str(followup_nights.publications[NIGHT_2]), read_only=True) as con:
        vat, owed = con.execute(
            "select customer_vat, sum(owed_eur) from marts.customer_balances "
            "group by customer_vat order by sum(owed_eur) desc limit 1"
        ).fetchone()
    statement = build_statement(settings, vat)
    assert statement.owed_eur == owed > 0
    mine = {
        e["exception_id"]
        for e in second.values()
        if e["customer_vat"] == vat and e["status"] == "open" and e["amount_eur"] > 0
    }
    assert {x.exception_id for g in statement.groups for x in g.lines} == mine
    text = statement.text_path.read_text(encoding="utf-8")
    owed_it = f"{owed:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
    assert f"Totale a Vostro credito: {owed_it} €" in text


def test_a_failed_delivery_is_retried_reported_and_never_raises(followup_nights, tmp_path):
    from backoffice.followup import mail
    from backoffice.followup.night import send_digests
    from backoffice.settings import Settings

    nowhere = Settings.from_env(
        {
            **followup_nights.settings.env,
            "BACKOFFICE_SMTP_HOST": "127.0.0.1",
            "BACKOFFICE_SMTP_PORT": "1",
            "BACKOFFICE_SMTP_ATTEMPTS": "3",
            "BACKOFFICE_SMTP_BACKOFF_SECONDS": "0.5",
        }
    )
    waits: list[float] = []
    message = mail.build_message(nowhere, ("a@example.invalid",), "s", "t", "<p>t</p>", "person:a")
    outcome = mail.send(nowhere, message, sleep=waits.append)
    assert not outcome.sent and outcome.attempts == 3 and outcome.error
    assert waits == [0.5, 1.0]
    # A case store nobody can reach: the night's step reports it and returns.
    broken = Settings.from_env(
        {
            **followup_nights.settings.env,
            "BACKOFFICE_CASES_URL": "postgresql+psycopg2://nobody@127.0.0.1:1/nothing",
        }
    )
    result = send_digests(broken, NIGHT_2)
    assert "error" in result and "claims_error" in result


def test_the_commands(followup_nights, monkeypatch, capsys):
    from backoffice.cli import main

    for name, value in followup_nights.settings.env.items():
        monkeypatch.setenv(name, value)
    assert main(["claims", "--provider", "alfa", "--status"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert listed and any(line.endswith("\tcredited") for line in listed)
    assert main(["claims", "--provider", "nowhere", "--as", "marco"]) == 1
    assert "unknown provider 'nowhere'" in capsys.readouterr().err
    assert main(["statement", "--customer", "IT123"]) == 1
    assert "IT and 11 digits" in capsys.readouterr().err
    assert main(["claims", "--provider", "alfa", "--as-of", "2026-01-01", "--status"]) == 1
    assert "no publication as of 2026-01-01" in capsys.readouterr().err
