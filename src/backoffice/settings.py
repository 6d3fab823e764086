"""Where things are, read once from the environment into a frozen object.

The CLI, the DAGs and the tests all build a `Settings` and pass it down, so
no module reads environment variables on its own.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]
ENV_PREFIX = "BACKOFFICE_"


@dataclass(frozen=True)
class Settings:
    project_dir: Path
    landing_dir: Path
    data_dir: Path

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        project_dir = Path(env.get("BACKOFFICE_PROJECT_DIR", PROJECT_DIR)).resolve()
        landing = Path(env.get("BACKOFFICE_LANDING_DIR", project_dir / "landing")).resolve()
        data = Path(env.get("BACKOFFICE_DATA_DIR", project_dir / "data")).resolve()
        expectations = env.get("BACKOFFICE_EXPECTATIONS_DIR")
        return cls(
            project_dir=project_dir,
            landing_dir=landing,
            data_dir=data,
            expectations_override=Path(expectations).resolve() if expectations else None,
            env={k: v for k, v in env.items() if k.startswith(ENV_PREFIX)},
        )

    # --- configuration shipped with the project -------------------------------
    @property
    def registry_path(self) -> Path:
        """config/providers.yml, or the file BACKOFFICE_REGISTRY names (a copy under test)."""
        override = self.env.get("BACKOFFICE_REGISTRY")
        return (
            Path(override).resolve() if override else self.project_dir / "config" / "providers.yml"
        )

    @property
    def dbt_project_dir(self) -> Path:
        return self.project_dir / "dbt_project"

    expectations_override: Path | None = None
    # Every BACKOFFICE_* variable, read once: the properties of each area below read it.
    env: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)

    @property
    def expectations_dir(self) -> Path:
        """The GX suites; BACKOFFICE_EXPECTATIONS_DIR points elsewhere (tests, staging)."""
        return self.expectations_override or self.project_dir / "expectations"

    # --- what the pipeline writes ---------------------------------------------
    @property
    def build_warehouse(self) -> Path:
        """The private DuckDB file a run writes; never read by the back office."""
        return self.data_dir / "build" / "warehouse.duckdb"

    @property
    def published_dir(self) -> Path:
        return self.data_dir / "published"

    @property
    def gx_dir(self) -> Path:
        """GX's working context and Data Docs for the runs."""
        return self.data_dir / "gx"

    @property
    def runs_dir(self) -> Path:
        """One folder per run: summary, check results, logs."""
        return self.data_dir / "runs"

    @property
    def airflow_home(self) -> Path:
        return self.data_dir / "airflow"

    @property
    def config_dir(self) -> Path:
        """The back office's configuration (providers, cases, follow-up)."""
        return self.project_dir / "config"

    # --- cases and the review app ----------------------------------------------
    @property
    def cases_url(self) -> str:
        """The case store: BACKOFFICE_CASES_URL (e.g. postgresql+psycopg2://...), else SQLite.

        The default lives in the data directory but apart from what a night rebuilds.
        """
        url = self.env.get("BACKOFFICE_CASES_URL")
        return url or f"sqlite:///{self.data_dir / 'cases' / 'cases.sqlite'}"

    @property
    def cases_config_path(self) -> Path:
        """People, roles, root causes and due dates of cases."""
        return self.config_dir / "cases.yml"

    @property
    def cases_actor(self) -> str | None:
        """BACKOFFICE_USER: who a CLI change is recorded as when `--as` is not given."""
        return self.env.get("BACKOFFICE_USER") or None

    # --- audit -------------------------------------------------------------------
    @property
    def audit_docs_every_night(self) -> bool:
        """Whether a night writes dbt docs (BACKOFFICE_AUDIT_DOCS=0 turns it off; on by default)."""
        value = self.env.get("BACKOFFICE_AUDIT_DOCS", "1").strip().lower()
        return value not in ("0", "false", "no")

    # --- feeds and robustness ----------------------------------------------------
    @property
    def reference_dir(self) -> Path:
        """The official public format samples the conformance tests read (not shipped).

        BACKOFFICE_REFERENCE_DIR; by default `../shared/reference` beside the project.
        """
        default = self.project_dir.parent / "shared" / "reference"
        return Path(self.env.get("BACKOFFICE_REFERENCE_DIR", default)).resolve()

    @property
    def allow_future_as_of(self) -> bool:
        """BACKOFFICE_ALLOW_FUTURE_AS_OF=1 lets a night judge a date after today.

        Only for generated samples dated ahead of the clock (simulations, tests):
        real deliveries for a future day cannot have landed yet.
        """
        return self.env.get("BACKOFFICE_ALLOW_FUTURE_AS_OF", "") in {"1", "true", "yes"}

    # --- follow-up ---------------------------------------------------------------
    @property
    def followup_config_path(self) -> Path:
        """Escalation rules, digest recipients, the claim letter's sender."""
        return self.config_dir / "followup.yml"

    @property
    def review_url(self) -> str:
        """BACKOFFICE_REVIEW_URL: the review app's base, for links in digests and letters."""
        url = self.env.get("BACKOFFICE_REVIEW_URL") or "http://localhost:8080/backoffice"
        return url.rstrip("/")

    @property
    def smtp_host(self) -> str | None:
        """BACKOFFICE_SMTP_HOST: where digests are mailed; unset, they are only written."""
        return self.env.get("BACKOFFICE_SMTP_HOST") or None

    @property
    def smtp_port(self) -> int:
        return int(self.env.get("BACKOFFICE_SMTP_PORT") or 25)

    @property
    def smtp_sender(self) -> str:
        return self.env.get("BACKOFFICE_SMTP_FROM") or "backoffice@localhost"

    @property
    def smtp_user(self) -> str | None:
        return self.env.get("BACKOFFICE_SMTP_USER") or None

    @property
    def smtp_password(self) -> str | None:
        """Only ever from the environment (a secret store), never from a file in the repo."""
        return self.env.get("BACKOFFICE_SMTP_PASSWORD") or None

    @property
    def smtp_starttls(self) -> bool:
        return (self.env.get("BACKOFFICE_SMTP_STARTTLS") or "").lower() in ("1", "true", "yes")

    @property
    def smtp_attempts(self) -> int:
        """How many times one message is tried before it is reported as failed."""
        return max(1, int(self.env.get("BACKOFFICE_SMTP_ATTEMPTS") or 3))

    @property
    def smtp_backoff_seconds(self) -> float:
        """The wait before the first retry; doubled before each later one."""
        return float(self.env.get("BACKOFFICE_SMTP_BACKOFF_SECONDS") or 2)

    @property
    def digests_dir(self) -> Path:
        """`<as_of>/<recipient>.html|.txt`: every digest, written whether mailed or not."""
        return self.data_dir / "digests"

    @property
    def claims_dir(self) -> Path:
        """`<provider>/<pack_id>.xlsx|.html`: the provider claim packs."""
        return self.data_dir / "claims"

    @property
    def statements_dir(self) -> Path:
        """`<customer_vat>/<as_of>.html|.txt`: the customer statements."""
        return self.data_dir / "statements"

    # --- publication -------------------------------------------------------------
    @property
    def publication_mode(self) -> str:
        """BACKOFFICE_PUBLICATION: `parts` (the default: shared Parquet) or `copy` (a full copy).

        `parts` publishes a small catalog of views over content-addressed Parquet files that
        publications share, so a night writes only what changed (see publish.py); `copy`
        writes the whole warehouse every night, as before.
        """
        mode = (self.env.get("BACKOFFICE_PUBLICATION") or "parts").strip().lower()
        if mode not in ("copy", "parts"):
            from backoffice.errors import BackofficeError

            raise BackofficeError(
                f"BACKOFFICE_PUBLICATION is {mode!r}: set it to copy or parts, or leave it unset"
            )
        return mode

    # --- ingest ------------------------------------------------------------------
    @property
    def ingest_workers(self) -> int:
        """BACKOFFICE_INGEST_WORKERS: processes that parse landed files (default: the
        machine's cores; 1 parses in the loading process). Only the loading process writes
        DuckDB."""
        return max(1, self._ingest_count("BACKOFFICE_INGEST_WORKERS", os.cpu_count() or 1))

    @property
    def ingest_parallel_from(self) -> int:
        """BACKOFFICE_INGEST_PARALLEL_FROM: a load parses its first this-many invoices in
        process and only then starts the workers (default 500: a small load never pays for
        their start)."""
        return max(0, self._ingest_count("BACKOFFICE_INGEST_PARALLEL_FROM", 500))

    def _ingest_count(self, name: str, default: int) -> int:
        value = (self.env.get(name) or "").strip()
        if not value:
            return default
        if not value.isdigit():
            from backoffice.errors import BackofficeError

            raise BackofficeError(f"{name} is {value!r}: set it to a whole number, or unset it")
        return int(value)
