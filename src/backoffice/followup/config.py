"""config/followup.yml, read and checked once: escalation rules, owners' addresses, sender.

A mistake in the file names the file and the key, so that the back office can fix it
without reading code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

from backoffice.errors import BackofficeError
from backoffice.settings import Settings

SEVERITIES = ("high", "medium", "low")


@dataclass(frozen=True)
class EscalationRule:
    """Calendar days past the due date after which a case goes to the lead, then the manager."""

    lead_after_days: int
    manager_after_days: int


@dataclass(frozen=True)
class FollowupConfig:
    manager: str
    rules: dict[str, EscalationRule]
    owner_addresses: dict[str, tuple[str, ...]]
    sender: str
    company: str
    reply_to: str
    provider_names: dict[str, str]
    max_items_per_section: int = 300

    def provider_name(self, provider: str, description: str = "") -> str:
        """How letters name a provider: `claims.provider_names`, else the registry's
        description without its parenthesis (formats are no business of the provider's)."""
        if provider in self.provider_names:
            return self.provider_names[provider]
        return description.split(" (")[0].strip() or provider


def load(settings: Settings) -> FollowupConfig:
    path = settings.followup_config_path
    try:
        raw: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        raise BackofficeError(f"{path} is missing: follow-up needs its configuration") from None

    def fail(key: str, problem: str) -> BackofficeError:
        return BackofficeError(f"{path}: {key} {problem}")

    escalation = raw.get("escalation") or {}
    manager = escalation.get("manager")
    if not manager:
        raise fail("escalation.manager", "is missing: name the back-office manager")
    rules = {}
    for severity in SEVERITIES:
        entry = (escalation.get("rules") or {}).get(severity)
        if not isinstance(entry, dict):
            raise fail(f"escalation.rules.{severity}", "is missing")
        try:
            lead, top = int(entry["lead_after_days"]), int(entry["manager_after_days"])
        except (KeyError, TypeError, ValueError):
            raise fail(
                f"escalation.rules.{severity}",
                "needs whole numbers lead_after_days and manager_after_days",
            ) from None
        if not 0 <= lead <= top:
            raise fail(
                f"escalation.rules.{severity}", "needs 0 <= lead_after_days <= manager_after_days"
            )
        rules[severity] = EscalationRule(lead, top)
    owners = {}
    for owner, addresses in (raw.get("owners") or {}).items():
        if isinstance(addresses, str):
            addresses = [addresses]
        if not isinstance(addresses, list) or not all(isinstance(a, str) for a in addresses):
            raise fail(f"owners.{owner}", "must be an address or a list of addresses")
        owners[str(owner)] = tuple(addresses)
    claims = raw.get("claims") or {}
    limit = (raw.get("digest") or {}).get("max_items_per_section", 300)
    if not isinstance(limit, int) or limit < 1:
        raise fail("digest.max_items_per_section", "must be a whole number of at least 1")
    return FollowupConfig(
        manager=str(manager),
        rules=rules,
        owner_addresses=owners,
        sender=str(claims.get("sender") or "Ufficio Back Office"),
        company=str(claims.get("company") or ""),
        reply_to=str(claims.get("reply_to") or ""),
        provider_names={str(k): str(v) for k, v in (claims.get("provider_names") or {}).items()},
        max_items_per_section=limit,
    )
