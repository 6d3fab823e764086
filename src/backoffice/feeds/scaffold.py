"""`feeds new`: a registry entry guessed from a sample file's header, for review.

The guess maps each canonical field of the feed's raw table to the header
column whose name is the field's, or a usual Italian or English name for it;
what it cannot guess is written as a commented line for the data engineer to
fill. The entry is appended to the registry as text, so the file's comments
and layout stay as they are.
"""

from __future__ import annotations

import re
from pathlib import Path

from backoffice.parsers import Record, get_format, parse_file
from backoffice.parsers.drift import USUAL_NAMES, plain_name
from backoffice.parsers.formats import formats as registered_formats
from backoffice.registry import Feed, RegistryError, load_registry
from backoffice.warehouse.tables import TABLES

# Usual header names of each canonical field (declared with schema drift, which uses them too).
SYNONYMS = USUAL_NAMES


def guess_columns(kind: str, header: list[str]) -> tuple[dict[str, str], list[str]]:
    """(field -> header column) for what could be guessed, and the fields left unmapped."""
    table = TABLES[kind]
    by_norm = {plain_name(h): h for h in header}
    mapped: dict[str, str] = {}
    missing: list[str] = []
    for column in table.columns:
        if column.name == table.source_column:
            continue
        candidates = (column.name, *SYNONYMS.get(column.name, ()))
        found = next((by_norm[plain_name(c)] for c in candidates if plain_name(c) in by_norm), None)
        if found is not None and found not in mapped.values():
            mapped[column.name] = found
        else:
            missing.append(column.name)
    return mapped, missing


def required_unmapped(kind: str, missing: list[str]) -> list[str]:
    """The required fields among those not mapped: without them the registry would not load."""
    required = {c.name for c in TABLES[kind].columns if c.required}
    return [name for name in missing if name in required]


def entry_text(
    feed: str,
    kind: str,
    fmt: str,
    pattern: str,
    dialect: str | None,
    mapped: dict[str, str],
    missing: list[str],
) -> str:
    """The feed's YAML block, indented to sit under `sources.<source>.feeds`."""
    lines = [
        f"      {feed}:",
        f"        kind: {kind}",
        f"        format: {fmt}",
    ]
    if dialect:
        lines.append(f"        dialect: {dialect}")
    lines.append(f'        patterns: ["{pattern}"]')
    if get_format(fmt).mapped:
        lines.append("        columns:  # guessed from the sample's header: review them")
        lines += [f"          {name}: {column}" for name, column in mapped.items()]
        required = {c.name for c in TABLES[kind].columns if c.required}
        for name in missing:
            need = "REQUIRED" if name in required else "optional"
            lines.append(f"          # {name}: <header column>   ({need}: not guessed)")
    return "\n".join(lines) + "\n"


STATE_HINTS: tuple[tuple[str, str], ...] = (
    ("attiv", "ACTIVE"), ("activ", "ACTIVE"), ("complet", "ACTIVE"),
    ("cess", "TERMINATED"), ("termin", "TERMINATED"), ("cancel", "TERMINATED"),
    ("rifiut", "REJECTED"), ("reject", "REJECTED"), ("fail", "REJECTED"), ("ko", "REJECTED"),
    ("sosp", "HELD"), ("held", "HELD"), ("pend", "HELD"),
    ("lavoraz", "IN_PROGRESS"), ("progress", "IN_PROGRESS"),
)  # fmt: skip


def guess_states(values: list[str]) -> dict[str, str]:
    """A canonical state per provider state, by its name; ACKNOWLEDGED when nothing fits."""
    return {
        value: next((c for hint, c in STATE_HINTS if hint in value.lower()), "ACKNOWLEDGED")
        for value in values
    }


def sample_states(sample: Path, feed: Feed) -> list[str]:
    """The distinct provider states of the sample, in order of appearance (any format)."""
    seen: dict[str, None] = {}
    for item in parse_file(sample, feed):
        state = item.values.get("provider_state") if isinstance(item, Record) else None
        if state:
            seen.setdefault(state, None)
    return list(seen)


def add_entry(
    registry_path: Path, source: str, block: str, states: dict[str, str] | None = None
) -> None:
    """Append the feed under its source (a new source is appended at the end of the file)."""
    text = registry_path.read_text(encoding="utf-8")
    registry = load_registry(registry_path)
    state_lines = ""
    if states:
        state_lines = "    states:  # guessed from the sample's names: review\n" + "".join(
            f'      "{state}": {canonical}\n' for state, canonical in states.items()
        )
    if source in registry.sources:
        lines = text.splitlines(keepends=True)
        start = next(i for i, line in enumerate(lines) if re.match(rf"^  {source}:\s*$", line))
        end = next(
            (i for i in range(start + 1, len(lines)) if re.match(r"^ {0,2}\S", lines[i])),
            len(lines),
        )
        while end > start and not lines[end - 1].strip():
            end -= 1
        feeds_at = next(i for i in range(start, end) if re.match(r"^    feeds:", lines[i]))
        text = "".join([*lines[:feeds_at], state_lines, *lines[feeds_at:end], block, *lines[end:]])
    else:
        header = f'\n  {source}:\n    description: "{source} (added by feeds new, to review)"\n'
        text = text.rstrip("\n") + "\n" + header + state_lines + "    feeds:\n" + block
    registry_path.write_text(text, encoding="utf-8")


def formats() -> list[str]:
    """The names of the registered formats (built-ins and plug-ins)."""
    return sorted(registered_formats())


__all__ = [
    "RegistryError",
    "add_entry",
    "entry_text",
    "formats",
    "guess_columns",
    "guess_states",
    "sample_states",
]
