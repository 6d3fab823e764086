"""Who works cases, and who may change them (config/cases.yml).

The store asks this module before every write, so a role that may only read
(an auditor) or a name nobody configured is refused by the server whatever
the client (CLI, review app, script) is.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from backoffice.errors import BackofficeError
from backoffice.settings import Settings

ROLES = ("back_office", "lead", "manager", "auditor")
WRITING_ROLES = frozenset({"back_office", "lead", "manager"})
TEAMS = ("back_office", "provisioning", "provider_billing", "customer_care")
# The night's own actor: it opens, closes and reopens cases. No person signs in as it.
SYSTEM_ACTOR = "system"


class NotAllowedError(BackofficeError):
    """The actor may not change cases (an auditor, or a name not in config/cases.yml)."""


@dataclass(frozen=True)
class Person:
    name: str
    role: str
    team: str
    lead: str | None
    email: str | None


@dataclass(frozen=True)
class CaseConfig:
    """config/cases.yml, checked once when loaded."""

    people: dict[str, Person]
    root_causes: dict[str, str]
    due_business_days: dict[str, int]

    def person(self, name: str) -> Person | None:
        return self.people.get(name)

    def role(self, name: str) -> str | None:
        if name == SYSTEM_ACTOR:
            return "system"
        person = self.people.get(name)
        return person.role if person else None

    def may_write(self, name: str) -> bool:
        return name == SYSTEM_ACTOR or self.role(name) in WRITING_ROLES

    def check_may_write(self, name: str) -> None:
        if not self.may_write(name):
            role = self.role(name)
            why = f"role {role} only reads" if role else "not a person in config/cases.yml"
            raise NotAllowedError(
                f"{name!r} may not change cases ({why}); "
                "ask a lead to add them with role back_office, lead or manager"
            )


def config_path(settings: Settings) -> Path:
    return settings.cases_config_path


def load(settings: Settings) -> CaseConfig:
    """Read and check config/cases.yml; a mistake names the file and the entry."""
    path = config_path(settings)
    try:
        raw: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        raise BackofficeError(f"{path} is missing: the case configuration is needed") from None
    people = {}
    for name, entry in (raw.get("people") or {}).items():
        entry = entry or {}
        role, team = entry.get("role"), entry.get("team", "back_office")
        if role not in ROLES:
            raise BackofficeError(f"{path}: people.{name}.role is {role!r}; expected {ROLES}")
        if team not in TEAMS:
            raise BackofficeError(f"{path}: people.{name}.team is {team!r}; expected {TEAMS}")
        if name == SYSTEM_ACTOR:
            raise BackofficeError(f"{path}: {SYSTEM_ACTOR!r} is the night's actor, not a person")
        people[str(name)] = Person(str(name), role, team, entry.get("lead"), entry.get("email"))
    due = {str(k): int(v) for k, v in (raw.get("due_business_days") or {}).items()}
    missing = {"high", "medium", "low"} - due.keys()
    if missing:
        raise BackofficeError(f"{path}: due_business_days lacks {sorted(missing)}")
    causes = {str(k): str(v or "") for k, v in (raw.get("root_causes") or {}).items()}
    if "not_an_error" not in causes:
        raise BackofficeError(f"{path}: root_causes must include not_an_error")
    return CaseConfig(people=people, root_causes=causes, due_business_days=due)
