"""`backoffice feeds list|check|new`: the data engineer's tools around the provider registry."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from backoffice.errors import BackofficeError
from backoffice.feeds import scaffold
from backoffice.feeds.check import check_files, last_delivered_header, render_text
from backoffice.feeds.inventory import feed_lines, render_table
from backoffice.parsers import FileUnreadable, get_format, read_header
from backoffice.registry import Dialect, Feed, RegistryError, load_registry
from backoffice.settings import Settings


def register(commands: argparse._SubParsersAction) -> None:
    feeds = commands.add_parser(
        "feeds",
        help="the provider registry: list feeds, dry-run a feed on sample files, add a feed",
        description="Tools for data engineers around config/providers.yml (see "
        "docs/data-engineers.md).",
    )
    sub = feeds.add_subparsers(dest="feeds_command", required=True, metavar="ACTION")

    listing = sub.add_parser(
        "list", help="sources, feeds, formats, patterns, last delivery and last night's counts"
    )
    _registry_option(listing)
    listing.set_defaults(handler=_list)

    check = sub.add_parser(
        "check",
        help="dry run of a feed entry against sample files (nothing is written)",
        description="Parse sample files with a feed's registry entry and show the header and "
        "its mapping, the first canonical records, every row that would be quarantined and "
        "why, provider states not in the state map, and a verdict. Exits 1 when the entry "
        "cannot load a file (quarantined rows and unknown states do not make it fail).",
    )
    check.add_argument("feed", metavar="SOURCE/FEED")
    check.add_argument("files", nargs="+", type=Path, metavar="FILE")
    _registry_option(check)
    check.set_defaults(handler=_check)

    new = sub.add_parser(
        "new",
        help="write a registry entry guessed from a sample's header, then dry-run it",
        description="Append a feed entry to the registry with the columns guessed from the "
        "sample's header (review it: unguessed fields are left as comments), then run "
        "`feeds check` on the sample.",
    )
    new.add_argument("feed", metavar="SOURCE/FEED")
    new.add_argument("--kind", required=True, help="the raw table it loads, e.g. provider_orders")
    new.add_argument("--format", required=True, choices=scaffold.formats())
    new.add_argument("--sample", required=True, type=Path, metavar="FILE")
    new.add_argument(
        "--dialect",
        help="a dialect of the registry, for formats with a header mapping (delimited, xlsx); "
        "default: a CSV's by its separator, italian_csv otherwise",
    )
    new.add_argument("--pattern", help="file-name pattern (default: from the sample's name)")
    new.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="FIELD=COLUMN",
        help="map a canonical field to a header column where the guess is wrong or missing",
    )
    _registry_option(new)
    new.set_defaults(handler=_new)


def _registry_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--registry", type=Path, help="the registry file (default: config/providers.yml)"
    )


def _registry_path(settings: Settings, args: argparse.Namespace) -> Path:
    return args.registry or settings.registry_path


def _load(path: Path):
    try:
        return load_registry(path)
    except RegistryError as exc:
        raise BackofficeError(str(exc)) from None


def _split(feed: str) -> tuple[str, str]:
    source, _, name = feed.partition("/")
    if not source or not name:
        raise BackofficeError(f"'{feed}' is not SOURCE/FEED, e.g. nuvola/activations")
    return source, name


def _list(settings: Settings, args: argparse.Namespace) -> int:
    registry = _load(_registry_path(settings, args))
    sys.stdout.write(render_table(feed_lines(settings, registry)))
    return 0


def _check(settings: Settings, args: argparse.Namespace) -> int:
    registry = _load(_registry_path(settings, args))
    source, name = _split(args.feed)
    try:
        registry.feed(source, name)
    except KeyError:
        raise BackofficeError(f"{args.feed} is not in {registry.path}") from None
    for path in args.files:
        if not path.is_file():
            raise BackofficeError(f"{path}: no such file")
    previous = last_delivered_header(settings, source, name)
    checks = check_files(registry, source, name, list(args.files), previous)
    sys.stdout.write(render_text(source, name, checks))
    return 0 if all(c.can_load for c in checks) else 1


def _new(settings: Settings, args: argparse.Namespace) -> int:
    path = _registry_path(settings, args)
    registry = _load(path)
    source, name = _split(args.feed)
    if source in registry.sources and name in registry.sources[source].feeds:
        raise BackofficeError(f"{args.feed} is already in {path}: edit it there")
    if not args.sample.is_file():
        raise BackofficeError(f"{args.sample}: no such file")
    pattern = args.pattern or _pattern_of(args.sample.name)
    mapped: dict[str, str] = {}
    missing: list[str] = []
    states: dict[str, str] | None = None
    dialect_name = args.dialect
    fmt = get_format(args.format)
    if args.kind not in fmt.kinds:
        raise BackofficeError(
            f"--kind {args.kind} cannot be loaded from {args.format}: use {sorted(fmt.kinds)}"
        )
    if fmt.mapped:
        dialect_name = dialect_name or _dialect_of(path, args.sample, args.format)
        dialect = _dialect(path, dialect_name)
        provisional = Feed(source, name, args.kind, args.format, (pattern,), dialect)
        try:
            header = [h for h in read_header(args.sample, provisional) or [] if h]
        except (FileUnreadable, UnicodeError) as exc:
            raise BackofficeError(f"{args.sample}: {exc}") from None
        if not header:
            raise BackofficeError(f"{args.sample}: the sample has no header row")
        mapped, missing = scaffold.guess_columns(args.kind, header)
        for item in args.map:
            field, _, column = item.partition("=")
            if column not in header:
                raise BackofficeError(f"--map {item}: {column!r} is not in the header {header}")
            mapped[field] = column
            missing = [m for m in missing if m != field]
        unmapped = scaffold.required_unmapped(args.kind, missing)
        if unmapped:
            block = scaffold.entry_text(
                name, args.kind, args.format, pattern, dialect_name, mapped, missing
            )
            print(f"proposed entry for {args.feed} (NOT written):\n{block}")
            raise BackofficeError(
                f"required field(s) {unmapped} match no column of the sample's header "
                f"{header}: add --map FIELD=COLUMN for each, then run again"
            )
        known = registry.sources.get(source)
        if args.kind == "provider_order_events" and (known is None or not known.states):
            with_columns = Feed(**{**provisional.__dict__, "columns": dict(mapped)})
            states = scaffold.guess_states(scaffold.sample_states(args.sample, with_columns))
    block = scaffold.entry_text(
        name, args.kind, args.format, pattern, dialect_name, mapped, missing
    )
    scaffold.add_entry(path, source, block, states)
    print(f"added {args.feed} to {path}; review it, then:")
    registry = _load(path)
    checks = check_files(registry, source, name, [args.sample])
    sys.stdout.write(render_text(source, name, checks))
    return 0 if all(c.can_load for c in checks) else 1


def _pattern_of(filename: str) -> str:
    """`ordini_2026-03-01.csv` -> `ordini_*.csv`: the name's stem up to its first digit."""
    stem, dot, ext = filename.partition(".")
    prefix = stem.rstrip("0123456789-_")
    head = next((i for i, ch in enumerate(stem) if ch.isdigit()), len(stem))
    prefix = stem[:head] if head else prefix
    return f"{prefix}*{dot}{ext}" if prefix else f"*{dot}{ext}"


def _dialect_of(registry_path: Path, sample: Path, fmt: str) -> str:
    """The shipped dialect a sample most likely uses (override with --dialect).

    A CSV by its separator; any other format (an Excel sheet) italian_csv: the
    dialect only says how dates and numbers written as text read, and the clock.
    """
    if fmt != "delimited":
        return "italian_csv"
    with sample.open("rb") as fh:
        first = fh.readline()
    return "italian_csv" if first.count(b";") > first.count(b",") else "crm_csv"


def _dialect(registry_path: Path, name: str):
    """A named dialect of the registry file (the loader validated it when it loaded the file)."""
    import yaml

    doc = yaml.safe_load(registry_path.read_text(encoding="utf-8"))
    spec = (doc.get("dialects") or {}).get(name)
    if spec is None:
        raise BackofficeError(f"dialect {name!r} is not in {registry_path}")
    return Dialect(**spec)
