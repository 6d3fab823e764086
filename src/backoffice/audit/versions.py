"""Which code judged a night: the git commit and hashes of the dbt project and configuration.

A commit alone does not say what ran (a deployment may be a tarball, or carry local edits),
so the dbt project and the configuration (provider registry, cases and follow-up settings,
the GX suites) are also hashed file by file: two nights with the same hashes ran the same
models and rules on the same settings.
"""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

from backoffice.settings import Settings

DBT_SKIP = {"target", "logs", "dbt_packages", ".user.yml"}


def tree_sha256(root: Path, skip: set[str] | frozenset[str] = frozenset()) -> str:
    """sha256 over every file's relative path and bytes, in path order; '' when absent."""
    if not root.exists():
        return ""
    digest = hashlib.sha256()
    files = sorted(
        p for p in root.rglob("*") if p.is_file() and not (set(p.relative_to(root).parts) & skip)
    )
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def git_commit(project_dir: Path) -> str | None:
    """The checked-out commit, or None outside a git checkout (or without git)."""
    try:
        done = subprocess.run(
            ["git", "-C", str(project_dir), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    commit = done.stdout.strip()
    return commit if done.returncode == 0 and len(commit) == 40 else None


def code_version(settings: Settings) -> dict[str, str | None]:
    """The commit and the hashes an auditor compares between nights."""
    config = hashlib.sha256()
    for part in (settings.config_dir, settings.expectations_dir):
        config.update(tree_sha256(part, {"uncommitted", ".gitignore"}).encode())
    return {
        "git_commit": git_commit(settings.project_dir),
        "dbt_project_sha256": tree_sha256(settings.dbt_project_dir, DBT_SKIP),
        "config_sha256": config.hexdigest(),
    }
