"""Follow-up's parts without a night: Italian figures, the config's checks, a workbook
whose text cannot turn into formulas, and tables the database keeps append-only."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import openpyxl
import pytest
import sqlalchemy
from support import postgres

from backoffice.errors import BackofficeError
from backoffice.settings import Settings

postgres_server = postgres.postgres_server  # the throwaway PostgreSQL, a session fixture


def test_italian_euro_and_dates_round_half_away_from_zero():
    from backoffice.followup.render import date_it, eur_it

    assert eur_it(Decimal("1234567.125")) == "1.234.567,13"
    assert eur_it(Decimal("-0.005")) == "-0,01"
    assert eur_it(Decimal("12")) == "12,00"
    assert date_it(date(2026, 3, 9)) == "09/03/2026"


def test_a_config_mistake_names_the_file_and_the_key(tmp_path):
    from backoffice.followup.config import load

    (tmp_path / "config").mkdir()
    path = tmp_path / "config" / "followup.yml"
    settings = Settings.from_env({"BACKOFFICE_PROJECT_DIR": str(tmp_path)})
    path.write_text(
        "escalation:\n  manager: roberto\n  rules:\n"
        "    high: {lead_after_days: 3, manager_after_days: 1}\n"
        "    medium: {lead_after_days: 1, manager_after_days: 2}\n"
        "    low: {lead_after_days: 1, manager_after_days: 2}\n",
        encoding="utf-8",
    )
    with pytest.raises(BackofficeError, match=r"followup\.yml: escalation\.rules\.high"):
        load(settings)
    path.write_text("escalation:\n  rules: {}\n", encoding="utf-8")
    with pytest.raises(BackofficeError, match=r"escalation\.manager"):
        load(settings)


def test_workbook_text_is_never_a_formula(tmp_path):
    from backoffice.followup.claims import ClaimLine, ClaimPack, _write_xlsx

    line = ClaimLine(
        exception_id="EX-0000000000000001",
        exception_type="PRICE_MISMATCH",
        customer_vat="IT01234567890",
        order_id="SO-1",
        order_line_id='=HYPERLINK("http://evil.invalid","x")',
        invoice_number="=1+1",
        invoice_date=date(2026, 2, 3),
        invoice_line=2,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 1, 31),
        charged_eur=Decimal("1250.00"),
        amount_eur=Decimal("150.00"),
        credited_eur=Decimal("75.00"),
        evidence="=cmd|' /C calc'!A0",
        source_file="alfa/invoices/x.xml",
        source_row="1/2",
    )
    pack = ClaimPack("CLAIM-alfa-20260309-01", "alfa", "Telco Alfa", date(2026, 3, 9), [line])
    path = tmp_path / "pack.xlsx"
    _write_xlsx(pack, path)
    sheet = openpyxl.load_workbook(path)["Reclamo"]
    header = [c.value for c in sheet[1]]
    row = {h: c for h, c in zip(header, sheet[2], strict=True)}
    for column in ("Fattura", "Riga d'ordine", "Controllo"):
        assert row[column].data_type == "s" and row[column].value.startswith("=")
    assert row["Dovuto EUR"].value == 1100 and row["Reclamato EUR"].value == 75
    assert row["Riga"].value == 2


def test_followup_tables_refuse_changes(tmp_path):
    from backoffice.followup import ledger

    settings = Settings.from_env({"BACKOFFICE_DATA_DIR": str(tmp_path)})
    engine = ledger.engine(settings)
    with engine.begin() as conn:
        conn.execute(
            sqlalchemy.insert(ledger.deliveries).values(
                as_of=date(2026, 3, 9),
                recipient="person:anna",
                exception_id="EX-1",
                reason="new",
                at=ledger.now(),
            )
        )
    for statement in (
        "update followup_deliveries set reason = 'x'",
        "delete from followup_deliveries",
    ):
        with (
            pytest.raises(sqlalchemy.exc.DatabaseError, match="append-only"),
            engine.begin() as conn,
        ):
            conn.exec_driver_sql(statement)
    with pytest.raises(sqlalchemy.exc.IntegrityError), engine.begin() as conn:  # same reason
        conn.execute(
            sqlalchemy.insert(ledger.deliveries).values(
                as_of=date(2026, 3, 10),
                recipient="person:anna",
                exception_id="EX-1",
                reason="new",
                at=ledger.now(),
            )
        )


def test_followup_tables_on_postgres_refuse_changes_and_escalate(postgres_server, tmp_path):
    """The same tables and triggers on PostgreSQL (BACKOFFICE_CASES_URL), beside the store."""
    from backoffice.cases.store import CaseStore
    from backoffice.followup import ledger
    from backoffice.followup.escalation import escalate

    url = postgres_server.create_database("followup_parts")
    settings = Settings.from_env(
        {"BACKOFFICE_DATA_DIR": str(tmp_path), "BACKOFFICE_CASES_URL": url}
    )
    CaseStore.open(settings).close()
    assert escalate(settings, date(2026, 3, 10)) == []  # no case: nothing to step up
    engine = ledger.engine(settings)
    with engine.begin() as conn:
        conn.execute(
            sqlalchemy.insert(ledger.escalations).values(
                exception_id="EX-1",
                level=1,
                to_person="lucia",
                on_date=date(2026, 3, 10),
                due_date=date(2026, 3, 4),
                severity="high",
                days_past_due=6,
                at=ledger.now(),
            )
        )
    for statement in ("update followup_escalations set level = 2", "truncate followup_escalations"):
        with (
            pytest.raises(sqlalchemy.exc.DatabaseError, match="append-only"),
            engine.begin() as conn,
        ):
            conn.exec_driver_sql(statement)
    with pytest.raises(sqlalchemy.exc.IntegrityError), engine.begin() as conn:  # twice a day
        conn.execute(
            sqlalchemy.insert(ledger.escalations).values(
                exception_id="EX-1",
                level=2,
                to_person="roberto",
                on_date=date(2026, 3, 10),
                due_date=date(2026, 3, 4),
                severity="high",
                days_past_due=6,
                at=ledger.now(),
            )
        )


def test_a_long_digest_lists_the_first_cases_and_keeps_the_rest_for_the_next(tmp_path):
    """With max_items_per_section 2: five new cases are listed 2, 2, 1 over three nights,
    totals always over all of them, and nothing is listed twice."""
    import re

    from backoffice.cases.store import CaseStore
    from backoffice.cases.sync import sync_exceptions
    from backoffice.followup.night import deliver

    settings = _project(tmp_path, max_items=2)
    night = date(2026, 3, 2)
    amounts = [100, 250, 50, 75, 10]  # euro; medium and low severities: not due for a week
    rows = _cases(night, amounts)
    with CaseStore.open(settings) as store:
        sync_exceptions(store, night, [rows])
    listed = []
    for day in (night, date(2026, 3, 3), date(2026, 3, 4)):
        report = deliver(settings, day)
        assert report["written"] == ["owner:provider_billing"]
        text = (settings.digests_dir / day.isoformat() / "owner-provider_billing.txt").read_text()
        shown = re.findall(r"^- (EX-[0-9a-f]+) ", text, flags=re.M)
        listed.append(shown)
        remaining = len(amounts) - sum(len(s) for s in listed)
        assert f"New ({remaining + len(shown)}, EUR " in text
        if remaining:
            assert f"... and {remaining} more, listed in the next digests" in text
    assert [len(s) for s in listed] == [2, 2, 1]
    assert listed[0] == [f"EX-{1:016x}", f"EX-{0:016x}"]  # medium first, the larger first
    assert len({c for s in listed for c in s}) == 5
    assert deliver(settings, date(2026, 3, 5))["written"] == []  # nothing left: nothing sent


def _project(tmp_path, *, max_items: int = 300, **env: str) -> Settings:
    """Settings on a copy of the project's configuration (digest length changed)."""
    from backoffice.settings import PROJECT_DIR

    project = tmp_path / "project"
    (project / "config").mkdir(parents=True)
    (project / "dbt_project").symlink_to(PROJECT_DIR / "dbt_project")
    cases_yml = (PROJECT_DIR / "config" / "cases.yml").read_text(encoding="utf-8")
    (project / "config" / "cases.yml").write_text(cases_yml, encoding="utf-8")
    followup_yml = (PROJECT_DIR / "config" / "followup.yml").read_text(encoding="utf-8")
    (project / "config" / "followup.yml").write_text(
        followup_yml.replace("max_items_per_section: 300", f"max_items_per_section: {max_items}"),
        encoding="utf-8",
    )
    return Settings.from_env(
        {
            "BACKOFFICE_PROJECT_DIR": str(project),
            "BACKOFFICE_DATA_DIR": str(tmp_path / "data"),
            **env,
        }
    )


def _cases(night: date, amounts: list[int]) -> list[tuple]:
    """Synthetic published exceptions (the sync's incoming rows), owned by provider_billing."""
    return [
        (
            f"EX-{i:016x}", "PRICE_MISMATCH", "open", "alfa", "IT01234567890", "Cliente",
            f"SO-{i}", f"SO-{i}-01", f"FA-{i}", 1, None, night, night, 0, amount * 100, 0,
            "medium" if amount >= 50 else "low", "provider_billing", "billed more", "f", str(i),
        )
        for i, amount in enumerate(amounts)
    ]  # fmt: skip


def test_an_undelivered_digest_is_listed_again_the_next_night(tmp_path):
    from backoffice.cases.store import CaseStore
    from backoffice.cases.sync import sync_exceptions
    from backoffice.followup import ledger
    from backoffice.followup.night import deliver

    failing = _project(
        tmp_path,
        BACKOFFICE_SMTP_HOST="127.0.0.1",
        BACKOFFICE_SMTP_PORT="1",
        BACKOFFICE_SMTP_ATTEMPTS="2",
        BACKOFFICE_SMTP_BACKOFF_SECONDS="0",
    )
    night = date(2026, 3, 2)
    with CaseStore.open(failing) as store:
        sync_exceptions(store, night, [_cases(night, [100, 20])])
    report = deliver(failing, night)
    assert report["failed"] == ["owner:provider_billing"] and report["sent"] == []
    with ledger.engine(failing).connect() as conn:
        log = conn.execute(sqlalchemy.select(ledger.digest_log)).all()
        assert [(r.outcome, r.attempts) for r in log] == [("failed", 2)] and log[0].error
        assert conn.execute(sqlalchemy.select(ledger.deliveries)).all() == []
    # The next night (files only), the same two cases are listed: nothing was lost.
    files_only = Settings.from_env(
        {k: v for k, v in failing.env.items() if not k.startswith("BACKOFFICE_SMTP")}
    )
    assert deliver(files_only, date(2026, 3, 3))["written"] == ["owner:provider_billing"]
    text = (files_only.digests_dir / "2026-03-03" / "owner-provider_billing.txt").read_text()
    assert "New (2, EUR 120.00)" in text
