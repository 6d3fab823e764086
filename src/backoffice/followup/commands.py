"""`backoffice digest | claims | statement | escalate`: follow-up from a shell."""

from __future__ import annotations

import argparse

from backoffice.settings import Settings


def register(commands: argparse._SubParsersAction) -> None:
    from backoffice.cli import iso_date

    digest = commands.add_parser(
        "digest",
        help="write (and mail) the morning digests of a night again",
        description="Escalate overdue cases and write each recipient's digest of the night "
        "(mailed where BACKOFFICE_SMTP_HOST is set); what was already delivered is not resent.",
    )
    digest.add_argument("--as-of", type=iso_date, required=True, help="the night, YYYY-MM-DD")
    digest.set_defaults(handler=_digest)

    claims = commands.add_parser(
        "claims",
        help="a provider claim pack (.xlsx and an Italian letter)",
        description="Claim from one provider every open over-billing exception, net of what it "
        "already credited; records the claim on each case. --status lists earlier claims.",
    )
    claims.add_argument("--provider", required=True, help="the provider's source name, e.g. alfa")
    claims.add_argument("--as-of", type=iso_date, help="a kept night (default: the latest)")
    claims.add_argument("--as", dest="actor", help="who makes the pack (default BACKOFFICE_USER)")
    claims.add_argument("--status", action="store_true", help="only list earlier claim lines")
    claims.set_defaults(handler=_claims)

    statement = commands.add_parser(
        "statement",
        help="what a customer is owed, in Italian (HTML and text)",
        description="What the customer is owed per order and invoice, net of credits received.",
    )
    statement.add_argument("--customer", required=True, help="the customer's VAT, IT + 11 digits")
    statement.add_argument("--as-of", type=iso_date, help="a kept night (default: the latest)")
    statement.set_defaults(handler=_statement)

    escalate = commands.add_parser(
        "escalate",
        help="take overdue cases a step up (lead, then manager)",
        description="Escalate every case past its due date as config/followup.yml says, "
        "at most one step per case per day.",
    )
    escalate.add_argument("--today", type=iso_date, help="the day judged (default: today in Italy)")
    escalate.set_defaults(handler=_escalate)


def _digest(settings: Settings, args: argparse.Namespace) -> int:
    from backoffice.followup.night import deliver

    report = deliver(settings, args.as_of)
    print(
        f"digests of {args.as_of}: {len(report['sent'])} mailed, {len(report['written'])} written "
        f"only, {len(report['failed'])} failed, {len(report['repeat'])} already sent, "
        f"{report['empty']} empty; {report['escalated']} escalation step(s); "
        f"in {report['directory']}"
    )
    for recipient in report["failed"]:
        print(f"  not delivered: {recipient} (see the digest log; retried next night)")
    return 1 if report["failed"] else 0


def _claims(settings: Settings, args: argparse.Namespace) -> int:
    from backoffice.errors import BackofficeError
    from backoffice.followup.claims import claim_status, make_claim_pack

    if args.status:
        for s in claim_status(settings, args.provider, args.as_of):
            print(
                f"{s.pack_id}\t{s.claimed_on}\t{s.exception_id}\t{s.invoice_number or ''}\t"
                f"{s.invoice_line or ''}\t{s.claimed_eur}\t{s.credited_since_eur}\t{s.state}"
            )
        return 0
    actor = args.actor or settings.cases_actor
    if not actor:
        raise BackofficeError("say who makes the pack: --as NAME or BACKOFFICE_USER")
    pack = make_claim_pack(settings, args.provider, args.as_of, actor)
    print(
        f"{pack.pack_id}: {len(pack.lines)} line(s) on {len(pack.invoices)} invoice(s), "
        f"EUR {pack.total_eur} claimed from {pack.provider}"
    )
    print(pack.xlsx_path)
    print(pack.html_path)
    return 0


def _statement(settings: Settings, args: argparse.Namespace) -> int:
    from backoffice.followup.statement import build_statement

    statement = build_statement(settings, args.customer, args.as_of)
    print(statement.text_path.read_text(encoding="utf-8"), end="")
    print(f"\n{statement.html_path}")
    return 0


def _escalate(settings: Settings, args: argparse.Namespace) -> int:
    from backoffice.cases.store import today_in_italy
    from backoffice.followup.escalation import escalate

    steps = escalate(settings, args.today or today_in_italy())
    for s in steps:
        print(
            f"{s.exception_id}\tstep {s.level}\t-> {s.to_person}\t{s.days_past_due} day(s) past "
            f"due {s.due_date} ({s.severity})"
        )
    print(f"{len(steps)} escalation step(s)")
    return 0
