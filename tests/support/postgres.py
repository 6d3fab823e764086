"""A throwaway PostgreSQL server for tests: a real `postgres`, started and removed by the test.

Uses the server programs of Debian's `postgresql-15` package
(`/usr/lib/postgresql/15/bin`, or `BACKOFFICE_PG_BIN`); CI installs that package
(`.ci/run` does when it is missing). Nothing is downloaded.

PostgreSQL refuses to run as root. When the tests run as root, the cluster is
created and run as the unprivileged user `nobody` (present on every Debian
system) in a fresh directory under /tmp that `nobody` owns; otherwise it runs
as the current user. It listens on 127.0.0.1 only, on a free port, with trust
authentication (nothing secret), and fsync off (a test server needs no
durability).

Use it as a pytest fixture from any test module (tests/ is on sys.path: pytest puts the
folder of the top-level conftest.py there):

    from support import postgres

    postgres_server = postgres.postgres_server  # the fixture, under its own name

    def test_x(postgres_server):
        url = postgres_server.create_database("mine")   # postgresql+psycopg2://...

(An assignment rather than `from ... import postgres_server`, which ruff reports as
redefined by the test's argument; and not from a second conftest.py, which would shadow
the top-level `conftest` module.)

or, without pytest, `with ThrowawayPostgres() as pg: ...`.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

PG_BIN = Path(os.environ.get("BACKOFFICE_PG_BIN", "/usr/lib/postgresql/15/bin"))
RUN_AS = "nobody"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ThrowawayPostgres:
    """initdb + pg_ctl start on a temp dir and a free port; `stop()` removes everything."""

    def __init__(self) -> None:
        if not (PG_BIN / "initdb").exists():
            raise RuntimeError(
                f"PostgreSQL server programs not found in {PG_BIN}: install Debian's "
                "postgresql-15 package (or set BACKOFFICE_PG_BIN)"
            )
        self.port = _free_port()
        self.root = Path(tempfile.mkdtemp(prefix="backoffice-pg-", dir="/tmp"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self._as_root = os.geteuid() == 0
        if self._as_root:
            user = pwd.getpwnam(RUN_AS)
            os.chown(self.root, user.pw_uid, user.pw_gid)
        os.chmod(self.root, 0o700)
        self.started = False

    def _run(self, *command: str) -> None:
        argv = [str(PG_BIN / command[0]), *command[1:]]
        if self._as_root:
            argv = ["runuser", "-u", RUN_AS, "--", *argv]
        result = subprocess.run(argv, capture_output=True, text=True, cwd=self.root, check=False)
        if result.returncode != 0:
            log = self.log.read_text() if self.log.exists() else ""
            raise RuntimeError(
                f"{' '.join(command[:2])} failed ({result.returncode}):\n"
                f"{result.stdout}\n{result.stderr}\n{log}"
            )

    def start(self) -> ThrowawayPostgres:
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        )
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=40 -c shared_buffers=32MB"
        )
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "start")
        self.started = True
        self._wait_ready()
        return self

    def _wait_ready(self, timeout: float = 30.0) -> None:
        import psycopg2

        deadline = time.monotonic() + timeout
        while True:
            try:
                psycopg2.connect(self.dsn("postgres")).close()
                return
            except psycopg2.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def dsn(self, database: str = "postgres") -> str:
        return f"host=127.0.0.1 port={self.port} user=postgres dbname={database}"

    def url(self, database: str = "postgres") -> str:
        """A SQLAlchemy URL (psycopg2 driver) for one database of this server."""
        return f"postgresql+psycopg2://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """A new empty database (name: letters, digits, _); returns its SQLAlchemy URL."""
        import psycopg2

        if not name.replace("_", "").isalnum():
            raise ValueError(f"database name {name!r}: letters, digits and _ only")
        con = psycopg2.connect(self.dsn("postgres"))
        try:
            con.autocommit = True
            with con.cursor() as cursor:
                cursor.execute(f'create database "{name}"')
        finally:
            con.close()
        return self.url(name)

    def stop(self) -> None:
        try:
            if self.started:
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            self.started = False
            shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> ThrowawayPostgres:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


@pytest.fixture(scope="session")
def postgres_server():
    """One throwaway PostgreSQL server for the session; each test makes its own database."""
    server = ThrowawayPostgres().start()
    try:
        yield server
    finally:
        server.stop()
