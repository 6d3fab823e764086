"""The provider registry: every source and feed the nightly run ingests.

Sources, feeds, file formats, locales and state mappings are configuration
(`config/providers.yml`), so that adding a provider is a YAML entry, not code.
This module loads that file into frozen objects and refuses it, with the file,
the key and what is wrong, before any data is touched.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from backoffice.feeds.rhythm import Rhythm, parse_rhythm

if TYPE_CHECKING:
    from backoffice.parsers.formats import Format
from backoffice.warehouse.tables import TABLES

CANONICAL_STATES: tuple[str, ...] = (
    "SUBMITTED",
    "ACKNOWLEDGED",
    "IN_PROGRESS",
    "HELD",
    "REJECTED",
    "ACTIVE",
    "TERMINATED",
)

ISO8601 = "iso8601"
AMBIGUOUS_POLICIES = ("earlier", "later", "reject")
NONEXISTENT_POLICIES = ("shift_forward", "reject")

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_DIALECT_KEYS = {
    "encoding",
    "delimiter",
    "quotechar",
    "decimal_mark",
    "thousands_mark",
    "date_format",
    "timestamp_format",
    "timezone",
    "ambiguous_time",
    "nonexistent_time",
}
_FEED_KEYS = {
    "kind",
    "format",
    "patterns",
    "dialect",
    "columns",
    "constants",
    "description",
    "rhythm",
}
_SOURCE_KEYS = {"description", "states", "feeds"}


class RegistryError(ValueError):
    """The registry file is wrong; the message names the file and the key."""


@dataclass(frozen=True)
class Dialect:
    """How a delimited file is written: encoding, separators, locale, clock.

    `timezone` is the zone of naive timestamps. A local time that happens
    twice (autumn DST change) is read per `ambiguous_time`; one that never
    happens (spring change) per `nonexistent_time`.
    """

    encoding: str = "utf-8"
    delimiter: str = ","
    quotechar: str = '"'
    decimal_mark: str = "."
    thousands_mark: str = ""
    date_format: str = "%Y-%m-%d"
    timestamp_format: str = ISO8601
    timezone: str = "UTC"
    ambiguous_time: str = "earlier"
    nonexistent_time: str = "shift_forward"


@dataclass(frozen=True)
class Feed:
    """One feed of one source: which files, in which format, into which table."""

    source: str
    name: str
    kind: str
    format: str
    patterns: tuple[str, ...]
    dialect: Dialect | None = None
    columns: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    constants: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    description: str = ""
    rhythm: Rhythm | None = None  # expected deliveries (feed health); None: never late


@dataclass(frozen=True)
class Source:
    name: str
    description: str
    states: Mapping[str, str]
    feeds: Mapping[str, Feed]


@dataclass(frozen=True)
class Registry:
    path: Path
    sources: Mapping[str, Source]

    def feeds(self) -> list[tuple[str, str]]:
        """Every (source, feed) pair, in the order of the file."""
        return [(s.name, f) for s in self.sources.values() for f in s.feeds]

    def feed(self, source: str, feed: str) -> Feed:
        if source not in self.sources:
            raise KeyError(f"{self.path}: no source {source!r} (known: {sorted(self.sources)})")
        feeds = self.sources[source].feeds
        if feed not in feeds:
            raise KeyError(f"{self.path}: source {source!r} has no feed {feed!r} ({sorted(feeds)})")
        return feeds[feed]

    def state_map(self) -> list[tuple[str, str, str]]:
        """(provider, provider_state, canonical_state) rows for raw.state_map."""
        return [
            (s.name, state, canonical)
            for s in self.sources.values()
            for state, canonical in s.states.items()
        ]


def load_registry(path: Path) -> Registry:
    """Read and validate the registry; raise RegistryError on the first problem."""
    path = Path(path)
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise RegistryError(f"{path}: cannot read the registry: {exc}") from exc
    except yaml.YAMLError as exc:
        raise RegistryError(f"{path}: not valid YAML: {exc}") from exc
    return _Loader(path).registry(doc)


class _Loader:
    """Validation with the file name and the key path in every message."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, key: str, problem: str) -> RegistryError:
        return RegistryError(f"{self.path}: {key}: {problem}")

    def mapping(self, value: Any, key: str, allowed: set[str] | None = None) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(key, f"expected a mapping, got {type(value).__name__}")
        if allowed is not None:
            unknown = sorted(str(k) for k in value if k not in allowed)
            if unknown:
                raise self.fail(key, f"unknown key(s) {unknown}; allowed: {sorted(allowed)}")
        return value

    def text(self, value: Any, key: str, allow_empty: bool = False) -> str:
        if not isinstance(value, str) or (not value and not allow_empty):
            raise self.fail(key, f"expected a non-empty text, got {value!r}")
        return value

    def registry(self, doc: Any) -> Registry:
        doc = self.mapping(doc, "(top level)", {"version", "dialects", "sources"})
        if doc.get("version") != 1:
            raise self.fail("version", f"expected 1, got {doc.get('version')!r}")
        dialects = {
            self.name(name, "dialects"): self.dialect(spec, f"dialects.{name}", {})
            for name, spec in self.mapping(doc.get("dialects", {}), "dialects").items()
        }
        sources_doc = self.mapping(doc.get("sources"), "sources")
        if not sources_doc:
            raise self.fail("sources", "no source is configured")
        sources = {
            self.name(name, "sources"): self.source(name, spec, dialects)
            for name, spec in sources_doc.items()
        }
        return Registry(self.path, MappingProxyType(sources))

    def name(self, name: Any, key: str) -> str:
        if not isinstance(name, str) or not _NAME.match(name):
            raise self.fail(f"{key}.{name}", "names are lower-case letters, digits and _")
        return name

    def source(self, name: str, spec: Any, dialects: dict[str, Dialect]) -> Source:
        key = f"sources.{name}"
        spec = self.mapping(spec, key, _SOURCE_KEYS)
        feeds_doc = self.mapping(spec.get("feeds"), f"{key}.feeds")
        if not feeds_doc:
            raise self.fail(f"{key}.feeds", "no feed is configured")
        feeds = {
            self.name(fname, f"{key}.feeds"): self.feed(name, fname, fspec, dialects)
            for fname, fspec in feeds_doc.items()
        }
        states = self.states(spec.get("states", {}), f"{key}.states")
        if not states and any(f.kind == "provider_order_events" for f in feeds.values()):
            raise self.fail(f"{key}.states", "required: the source has a state-change feed")
        description = str(spec.get("description", ""))
        return Source(name, description, MappingProxyType(states), MappingProxyType(feeds))

    def states(self, spec: Any, key: str) -> dict[str, str]:
        spec = self.mapping(spec, key)
        states: dict[str, str] = {}
        for state, canonical in spec.items():
            if not isinstance(state, str):
                raise self.fail(f"{key}.{state}", "quote the state: YAML read it as not text")
            if canonical not in CANONICAL_STATES[1:]:
                raise self.fail(
                    f"{key}.{state}",
                    f"{canonical!r} is not a canonical state; "
                    f"expected one of {list(CANONICAL_STATES[1:])}",
                )
            states[str(state)] = canonical
        return states

    def feed(self, source: str, name: str, spec: Any, dialects: dict[str, Dialect]) -> Feed:
        key = f"sources.{source}.feeds.{name}"
        spec = self.mapping(spec, key, _FEED_KEYS)
        fmt = spec.get("format")
        declared = self.file_format(fmt, f"{key}.format")
        kind = spec.get("kind")
        if kind not in declared.kinds:
            raise self.fail(
                f"{key}.kind",
                f"{kind!r} cannot be loaded from {fmt}; use {sorted(declared.kinds)}",
            )
        patterns = spec.get("patterns")
        if isinstance(patterns, str):
            patterns = [patterns]
        if not isinstance(patterns, list) or not patterns:
            raise self.fail(f"{key}.patterns", "expected a list of file-name patterns")
        patterns = tuple(self.text(p, f"{key}.patterns") for p in patterns)
        feed = Feed(
            source=source,
            name=name,
            kind=kind,
            format=fmt,
            patterns=patterns,
            description=str(spec.get("description", "")),
            rhythm=self.rhythm(spec.get("rhythm"), f"{key}.rhythm"),
        )
        if not declared.mapped:
            for extra in ("dialect", "columns", "constants"):
                if extra in spec:
                    raise self.fail(f"{key}.{extra}", f"not used by format {fmt}")
            return feed
        dialect = self.feed_dialect(spec.get("dialect"), f"{key}.dialect", dialects)
        columns, constants = self.columns(spec, key, kind)
        return Feed(
            **{**feed.__dict__, "dialect": dialect, "columns": columns, "constants": constants}
        )

    def file_format(self, name: Any, key: str) -> Format:
        """The registered format (parsers/formats.py) the feed names."""
        from backoffice.parsers.formats import UnknownFormat, get_format

        try:
            return get_format(name if isinstance(name, str) else str(name))
        except UnknownFormat as exc:
            raise self.fail(key, str(exc.args[0])) from None

    def rhythm(self, spec: Any, key: str) -> Rhythm | None:
        if spec is None:
            return None
        try:
            return parse_rhythm(spec)
        except ValueError as exc:
            raise self.fail(key, str(exc)) from None

    def feed_dialect(self, spec: Any, key: str, dialects: dict[str, Dialect]) -> Dialect:
        """A dialect name, or a mapping with an optional `base` name and overrides."""
        if isinstance(spec, str):
            spec = {"base": spec}
        spec = self.mapping(spec, key, _DIALECT_KEYS | {"base"})
        base_name = spec.get("base")
        if base_name is None:
            base = Dialect()
        elif base_name in dialects:
            base = dialects[base_name]
        else:
            raise self.fail(key, f"no dialect {base_name!r} (known: {sorted(dialects)})")
        overrides = {k: v for k, v in spec.items() if k != "base"}
        return self.dialect(overrides, key, base.__dict__)

    def dialect(self, spec: Any, key: str, base: dict[str, Any]) -> Dialect:
        spec = self.mapping(spec, key, _DIALECT_KEYS)
        values = {**base, **spec}
        for name, value in values.items():
            empty_ok = name == "thousands_mark"
            self.text(value, f"{key}.{name}", allow_empty=empty_ok)
        d = Dialect(**values)
        try:
            codecs.lookup(d.encoding)
        except LookupError:
            raise self.fail(f"{key}.encoding", f"unknown encoding {d.encoding!r}") from None
        for name in ("delimiter", "quotechar", "decimal_mark"):
            if len(getattr(d, name)) != 1:
                raise self.fail(
                    f"{key}.{name}", f"expected one character, got {getattr(d, name)!r}"
                )
        if d.decimal_mark not in ".,":
            raise self.fail(f"{key}.decimal_mark", f"expected '.' or ',', got {d.decimal_mark!r}")
        if len(d.thousands_mark) > 1 or d.thousands_mark == d.decimal_mark:
            raise self.fail(
                f"{key}.thousands_mark",
                f"expected one character other than the decimal mark, or empty; "
                f"got {d.thousands_mark!r}",
            )
        if d.date_format != ISO8601:
            self.check_format(d.date_format, f"{key}.date_format", date(2026, 12, 31))
        if d.timestamp_format != ISO8601:
            sample = datetime(2026, 12, 31, 23, 59, 58)
            self.check_format(d.timestamp_format, f"{key}.timestamp_format", sample)
        try:
            ZoneInfo(d.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise self.fail(f"{key}.timezone", f"unknown time zone {d.timezone!r}") from None
        if d.ambiguous_time not in AMBIGUOUS_POLICIES:
            raise self.fail(f"{key}.ambiguous_time", f"expected one of {AMBIGUOUS_POLICIES}")
        if d.nonexistent_time not in NONEXISTENT_POLICIES:
            raise self.fail(f"{key}.nonexistent_time", f"expected one of {NONEXISTENT_POLICIES}")
        return d

    def check_format(self, fmt: str, key: str, sample: date | datetime) -> None:
        """A strftime format must give back the value it wrote."""
        try:
            parsed = datetime.strptime(sample.strftime(fmt), fmt)
        except ValueError as exc:
            raise self.fail(key, f"{fmt!r} is not a usable date format: {exc}") from None
        back: date | datetime = parsed if isinstance(sample, datetime) else parsed.date()
        if back != sample:
            raise self.fail(key, f"{fmt!r} loses part of the value ({sample} read as {back})")

    def columns(
        self, spec: dict[str, Any], key: str, kind: str
    ) -> tuple[Mapping[str, str], Mapping[str, str]]:
        table = TABLES[kind]
        mappable = set(table.names) - {table.source_column}
        columns = self.mapping(spec.get("columns"), f"{key}.columns")
        constants = self.mapping(spec.get("constants", {}), f"{key}.constants")
        for name, value in [*columns.items(), *constants.items()]:
            where = "columns" if name in columns else "constants"
            if name not in mappable:
                raise self.fail(
                    f"{key}.{where}.{name}",
                    f"{kind} has no field {name!r}; fields: {sorted(mappable)}",
                )
            self.text(value, f"{key}.{where}.{name}", allow_empty=where == "constants")
        both = sorted(set(columns) & set(constants))
        if both:
            raise self.fail(f"{key}.constants", f"{both} also mapped in columns")
        missing = [
            c.name
            for c in table.columns
            if c.required and c.name in mappable and c.name not in set(columns) | set(constants)
        ]
        if missing:
            raise self.fail(f"{key}.columns", f"required field(s) of {kind} not mapped: {missing}")
        return (
            MappingProxyType({str(k): str(v) for k, v in columns.items()}),
            MappingProxyType({str(k): str(v) for k, v in constants.items()}),
        )
