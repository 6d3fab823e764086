"""The evidence pack (unpack, verify, tamper, detect) and the auditors' read-only SQL."""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile

import pytest
from audit_support import AuditNights, read_table, run_cli, three_nights

from backoffice.audit.pack import MANIFEST, verify_directory
from backoffice.audit.sql import RefusedStatementError, run_readonly

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def nights(published_nights, tmp_path_factory) -> AuditNights:
    return three_nights(published_nights, tmp_path_factory)


def test_evidence_pack_verifies_and_names_a_tampered_file(
    nights, monkeypatch, capsys, tmp_path
) -> None:
    first, _, last = nights.dates
    pack = tmp_path / "evidence.zip"
    period = ["--from", str(first), "--to", str(last)]
    code, out, err = run_cli(monkeypatch, capsys, nights, "audit-pack", *period, "--out", str(pack))
    assert code == 0, err
    assert out.strip() == str(pack)

    unpacked = tmp_path / "unpacked"
    with zipfile.ZipFile(pack) as archive:
        archive.extractall(unpacked)
    names = {p.relative_to(unpacked).as_posix() for p in unpacked.rglob("*") if p.is_file()}
    assert {
        MANIFEST,
        "control_log.csv",
        "completeness.csv",
        "data_checks.csv",
        "exception_changes.csv",
        "case_history.csv",
        "code_versions.csv",
        "README.txt",
    } | {f"exceptions/{night}.csv" for night in nights.dates} == names
    for line in (unpacked / MANIFEST).read_text().splitlines():  # what `sha256sum -c` checks
        digest, name = line.split("  ", 1)
        assert hashlib.sha256((unpacked / name).read_bytes()).hexdigest() == digest
    assert verify_directory(unpacked).ok

    log = list(csv.DictReader(io.StringIO((unpacked / "control_log.csv").read_text())))
    assert {row["as_of"] for row in log} == {str(d) for d in nights.dates}
    published = read_table(
        nights.settings, f"select count(*) from marts.exceptions where as_of = '{last}'"
    )[0][0]
    night = list(csv.reader(io.StringIO((unpacked / f"exceptions/{last}.csv").read_text())))
    assert len(night) - 1 == published

    code, out, _ = run_cli(monkeypatch, capsys, nights, "audit-pack", "verify", str(pack))
    assert code == 0 and "intact" in out

    # tamper: one amount changed inside the archive
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(pack) as source, zipfile.ZipFile(tampered, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == f"exceptions/{last}.csv":
                data = data.replace(b",open,", b",resolved,", 1)
            target.writestr(item, data)
    code, out, _ = run_cli(monkeypatch, capsys, nights, "audit-pack", "verify", str(tampered))
    assert code == 2
    assert f"exceptions/{last}.csv: altered" in out and "ALTERED" in out

    # tamper the unpacked copy: an edited file and an added one are both named
    (unpacked / "control_log.csv").write_text("as_of\n2026-03-02\n")
    (unpacked / "extra.csv").write_text("x\n")
    problems = verify_directory(unpacked).problems
    assert problems == ["control_log.csv: altered (its sha256 is not the manifest's)",
                        "extra.csv: not in the manifest"]  # fmt: skip


def test_readonly_sql_answers_queries_and_refuses_writes(nights) -> None:
    settings = nights.settings
    result = run_readonly(
        settings,
        "select exception_type, count(*) as n from marts.exceptions group by 1 order by 1",
        limit=5,
    )
    assert result.columns == ["exception_type", "n"]
    assert len(result.rows) == 5 and result.truncated
    history = run_readonly(settings, "from marts.exception_history limit 3")
    assert len(history.rows) == 3

    from backoffice import publish

    publication = publish.current_publication(settings)
    before = hashlib.sha256(publication.read_bytes()).hexdigest()
    for sql in (
        "insert into marts.exceptions select * from marts.exceptions",
        "delete from audit.control_log",
        "update marts.exceptions set status = 'resolved'",
        "drop table marts.exceptions",
        "create table x as select 1",
        "attach 'elsewhere.duckdb' as other",
        "copy marts.exceptions to '/tmp/out.csv'",
        "pragma database_list",
        "set enable_external_access = true",
        "select 1; delete from audit.control_log",
        "select * from read_csv('/etc/passwd')",
        "select getenv('HOME')",
    ):
        with pytest.raises(RefusedStatementError):
            run_readonly(settings, sql)
    assert hashlib.sha256(publication.read_bytes()).hexdigest() == before


def test_audit_sql_command_writes_csv_and_refuses_a_write(nights, monkeypatch, capsys) -> None:
    code, out, err = run_cli(
        monkeypatch, capsys, nights, "audit-sql",
        "select as_of, count(*) as controls from audit.control_log group by 1 order by 1",
    )  # fmt: skip
    assert code == 0, err
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["as_of", "controls"]
    assert [r[0] for r in rows[1:]] == [str(d) for d in nights.dates]
    code, out, err = run_cli(
        monkeypatch, capsys, nights, "audit-sql", "delete from audit.control_log"
    )
    assert code == 1 and "DELETE" in err and out == ""
