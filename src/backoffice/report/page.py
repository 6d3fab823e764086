"""The report as one self-contained HTML page, built as an lxml tree.

Building a tree rather than pasting strings means every value from the warehouse is a text
node or an attribute, escaped by the serializer: a customer name or an evidence sentence can
never become markup. The page is written as polyglot XHTML (an XML parser and a browser read
it the same way), with its stylesheet and charts inline: it opens offline, from a file.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from importlib import resources
from pathlib import Path
from typing import Any

from lxml import etree

from backoffice.report import charts
from backoffice.report.data import (
    AGING_BUCKETS,
    AGING_COLUMNS,
    SEVERITIES,
    Balances,
    KpiRow,
    Kpis,
    Missing,
    ReportData,
    money,
)
from backoffice.review import words
from backoffice.run_records import CHECKS_JSON, SUMMARY_TXT

VOID = {"meta", "link", "br", "hr", "img", "col", "input", "wbr"}
SEVERITY_COLORS = {"high": "#b42318", "medium": "#dc6803", "low": "#9aa5b1"}
AGING_COLORS = ("#d1e9ff", "#84caff", "#2e90fa", "#175cd3", "#102a56")
DASH = "\u2014"
CSV_COMMAND = "backoffice exceptions --format csv"


class Links:
    """Where the page points, relative to the folder it is written in."""

    def __init__(
        self,
        report_dir: Path,
        data_docs: Path,
        run_dir: Path,
        glossary: Path | None = None,
        dbt_docs: Path | None = None,
    ) -> None:
        self.dbt_docs = _relative(dbt_docs, report_dir) if dbt_docs else None
        self.dbt_docs_exists = bool(dbt_docs and dbt_docs.is_file())
        self.data_docs = _relative(data_docs, report_dir)
        self.data_docs_exists = data_docs.is_file()
        self.summary = _relative(run_dir / SUMMARY_TXT, report_dir)
        self.checks = _relative(run_dir / CHECKS_JSON, report_dir)
        self.checks_exists = (run_dir / CHECKS_JSON).is_file()
        self.glossary = _relative(glossary, report_dir) if glossary else GLOSSARY_URL


GLOSSARY_URL = "/backoffice/glossary"
APP_URL = "/backoffice/"


def _relative(target: Path, start: Path) -> str:
    return Path(os.path.relpath(target, start)).as_posix()


# --- small builders --------------------------------------------------------------------------


# Characters XML cannot hold (a binary file's bytes kept as text in quarantine, say).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_text(value: Any) -> str:
    """Text as a page can show it: what XML cannot hold becomes U+FFFD, never an error."""
    return _NOT_XML.sub("\ufffd", str(value))


def h(tag: str, attrs: dict[str, str] | None = None, *children: Any) -> etree._Element:
    """An element with attributes and children (strings, elements, None or lists of them)."""
    node = etree.Element(tag, {k: xml_text(v) for k, v in (attrs or {}).items()})
    for child in _flatten(children):
        if isinstance(child, etree._Element):
            node.append(child)
        elif len(node):
            last = node[-1]
            last.tail = (last.tail or "") + xml_text(child)
        else:
            node.text = (node.text or "") + xml_text(child)
    return node


def _flatten(items: Iterable[Any]) -> Iterable[Any]:
    for item in items:
        if item is None:
            continue
        if isinstance(item, list | tuple):
            yield from _flatten(item)
        else:
            yield item


def eur(value: Decimal | None) -> str:
    """Money to the cent with thousands separators; a dash when there is none."""
    return DASH if value is None else f"{money(value):,.2f}"


def size(value: Decimal | None) -> Decimal | None:
    """A figure's size: its label, not a minus sign, says which way the money goes."""
    return None if value is None else abs(value)


def num_cell(text: str, *, cls: str = "num", negative: bool = False) -> etree._Element:
    return h("td", {"class": f"{cls} neg" if negative else cls}, text)


def eur_cell(value: Decimal | None, cls: str = "num eur") -> etree._Element:
    return num_cell(eur(value), cls=cls, negative=value is not None and value < 0)


def table(table_id: str, headers: list[tuple[str, bool]], rows: list[etree._Element]):
    """`headers`: (title, numeric) pairs; `rows`: <tr> elements."""
    head = h("tr", None, [h("th", {"class": "num"} if n else None, t) for t, n in headers])
    return h("table", {"id": table_id}, h("thead", None, head), h("tbody", None, rows))


def not_available(missing: Missing) -> etree._Element:
    return h(
        "div",
        {"class": "notice not-available"},
        h("strong", None, "Not available: "),
        f"{missing.table}: {missing.reason}. The rest of the report is unaffected.",
    )


def figure(caption: str, svg: etree._Element) -> etree._Element:
    return h("figure", None, h("figcaption", None, caption), svg)


def sub(text: str | None) -> etree._Element | None:
    return h("span", {"class": "sub"}, text) if text else None


# --- the page --------------------------------------------------------------------------------


def render(data: ReportData, links: Links) -> str:
    """The whole page, serialized."""
    hd = data.header
    title = f"Back-office nightly report {hd.as_of.isoformat()}"
    page = h(
        "html",
        {"lang": "en"},
        h(
            "head",
            None,
            h("meta", {"charset": "utf-8"}),
            h("meta", {"name": "viewport", "content": "width=device-width, initial-scale=1"}),
            h("title", None, title),
            h("style", None, _stylesheet()),
        ),
        h(
            "body",
            None,
            _top(data, title),
            h(
                "nav",
                None,
                h("a", {"href": "#new"}, "New today"),
                h("a", {"href": "#by-type"}, "By type and severity"),
                h("a", {"href": "#owed"}, "What customers are owed"),
                h("a", {"href": "#kpis"}, "Provider KPIs"),
                h("a", {"href": "#not-loaded"}, "Rows not loaded"),
                h("a", {"href": "#feeds"}, "Feeds"),
                h("a", {"href": "#where"}, "Where to look"),
                h("a", {"href": links.glossary, "id": "glossary-link"}, "Glossary"),
            ),
            h(
                "main",
                None,
                _tiles(data),
                _new_section(data),
                _type_section(data),
                _owed_section(data),
                _kpi_section(data),
                _not_loaded_section(data),
                _feeds_section(data),
                _where_section(data, links),
            ),
            h(
                "footer",
                None,
                f"Figures read from the published warehouse {hd.publication or DASH} "
                "(read-only). Amounts in EUR, net of VAT, shown without a sign and labelled by "
                "what they mean: 'owed to the customer' when the customer was charged more than "
                "agreed, 'under-billed by the provider' when less was billed than agreed. "
                "Dates are ISO 8601; ages in business days (Italian calendar).",
            ),
        ),
    )
    return serialize(page)


def _top(data: ReportData, title: str) -> etree._Element:
    hd = data.header
    if hd.checks is None:
        checks = h("span", {"class": "status-warn"}, "no data-check record for this run")
    elif hd.checks.get("success"):
        checks = h(
            "span",
            {"class": "status-ok"},
            f"data checks passed: {hd.checks.get('passed')} of {hd.checks.get('evaluated')}",
        )
    else:
        checks = h("span", {"class": "status-warn"}, "data checks failed")
    warned = (hd.checks or {}).get("warned") or 0
    return h(
        "header",
        {"class": "top"},
        h("h1", None, title),
        h(
            "p",
            {"id": "run-status"},
            "As of ",
            h("strong", {"id": "as-of"}, hd.as_of.isoformat()),
            " \u00b7 run status: ",
            h("span", {"class": "status-ok"}, "published"),
            " \u00b7 ",
            checks,
            f" ({warned} warnings)" if warned else None,
        ),
        h("p", None, "Publication: ", h("span", {"class": "mono"}, hd.publication or DASH)),
    )


def _tile(tile_id: str, label: str, figure_text: str, note: str | None = None, alert=False):
    return h(
        "div",
        {"class": "tile alert" if alert else "tile", "id": tile_id},
        h("div", {"class": "label"}, label),
        h("div", {"class": "figure"}, figure_text),
        sub(note),
    )


def _tiles(data: ReportData) -> etree._Element:
    hd = data.header
    return h(
        "div",
        {"class": "tiles"},
        _tile("tile-new", "New exceptions today", str(hd.new_today), alert=hd.new_today > 0),
        _tile("tile-open", "Open exceptions", str(hd.open_count), f"{hd.open_high} high severity"),
        _tile(
            "tile-owed",
            "Owed to customers (EUR)",
            eur(hd.owed_eur),
            "open, net of credits",
            alert=hd.owed_eur > 0,
        ),
        _tile(
            "tile-under",
            "Under-billed by providers (EUR)",
            eur(size(hd.under_billed_eur)),
            "open; no customer is owed this",
        ),
        _feeds_tile(data),
    )


def _feeds_tile(data: ReportData) -> etree._Element | None:
    if not data.feeds:
        return None
    warned = [f.name for f in data.feeds if f.is_warning]
    return _tile(
        "tile-feeds",
        "Feeds late or small",
        str(len(warned)),
        ", ".join(warned) if warned else f"all {len(data.feeds)} feeds on their rhythm",
        alert=bool(warned),
    )


def _new_section(data: ReportData) -> etree._Element:
    hd = data.header
    rows = []
    for x in data.new_exceptions:
        where = x.order_line_id or DASH
        detail = []
        if x.invoice_number:
            detail.append(f"invoice {x.invoice_number}")
            if x.invoice_line:
                detail.append(f"line {x.invoice_line}")
        if x.period_month:
            detail.append(f"period {x.period_month}")
        if not detail and x.order_id:
            detail.append(f"order {x.order_id}")
        age = f"{x.age_business_days} bd old" if x.age_business_days else None
        credited = f"credited {eur(x.credited_eur)}" if x.credited_eur else None
        owner = x.owner if x.status == "open" else f"{x.status} \u00b7 {x.owner}"
        rows.append(
            h(
                "tr",
                {"data-exception-id": x.exception_id},
                h(
                    "td",
                    {"class": "severity"},
                    h("span", {"class": f"sev sev-{x.severity}"}, x.severity),
                    sub(age),
                ),
                h("td", {"class": "type"}, x.exception_type, sub(owner)),
                h("td", {"class": "provider"}, x.provider),
                h(
                    "td",
                    {"class": "customer"},
                    x.customer_name or x.customer_vat,
                    sub(x.customer_vat if x.customer_name else None),
                ),
                h("td", {"class": "line"}, where, sub(", ".join(detail) or None)),
                h(
                    "td",
                    {"class": "num amount neg" if x.amount_eur < 0 else "num amount"},
                    eur(size(x.amount_eur)),
                    sub(words.amount_meaning(x.amount_eur, x.exception_type)),
                    sub(credited),
                ),
                h("td", {"class": "evidence"}, x.evidence),
                h(
                    "td",
                    {"class": "source"},
                    f"{x.source_file} : {x.source_row}",
                    h("span", {"class": "sub id"}, x.exception_id),
                ),
            )
        )
    shown = len(data.new_exceptions)
    if not rows:
        body = h("p", {"class": "empty"}, "No exception was first found by this run.")
    else:
        body = table(
            "new-exceptions",
            [
                ("Severity", False),
                ("Type", False),
                ("Provider", False),
                ("Customer", False),
                ("Order line / invoice", False),
                ("Amount EUR", True),
                ("Evidence", False),
                ("Source file : row", False),
            ],
            rows,
        )
    return h(
        "section",
        {"id": "new"},
        h("h2", None, f"New exceptions today ({hd.as_of.isoformat()})"),
        h(
            "p",
            {"class": "lead"},
            h("span", {"id": "new-count"}, str(data.new_exceptions_total)),
            " exceptions first found by this run, most severe and largest first.",
        ),
        h(
            "div",
            {"class": "notice"},
            f"Showing the first {shown} of {data.new_exceptions_total}; ",
            h("code", None, CSV_COMMAND),
            " lists them all.",
        )
        if shown < data.new_exceptions_total
        else None,
        h("div", {"class": "scroll"}, body),
    )


def _type_section(data: ReportData) -> etree._Element:
    rows = []
    for t in data.by_type:
        rows.append(
            h(
                "tr",
                {"data-type": t.exception_type},
                h("td", {"class": "type"}, t.exception_type),
                num_cell(str(t.new_today), cls="num new"),
                num_cell(str(t.open), cls="num open"),
                [num_cell(str(t.open_by_severity[s]), cls=f"num {s}") for s in SEVERITIES],
                eur_cell(t.open_eur, "num open-eur"),
                num_cell(str(t.credited), cls="num credited"),
                num_cell(str(t.resolved), cls="num resolved"),
            )
        )
    if not rows:
        return h(
            "section",
            {"id": "by-type"},
            h("h2", None, "Exceptions by type and severity"),
            h("p", {"class": "empty"}, "The warehouse holds no exceptions."),
        )
    total_eur = sum((t.open_eur for t in data.by_type), Decimal(0))
    rows.append(
        h(
            "tr",
            {"class": "total"},
            h("td", None, "All types"),
            num_cell(str(sum(t.new_today for t in data.by_type))),
            num_cell(str(sum(t.open for t in data.by_type))),
            [num_cell(str(sum(t.open_by_severity[s] for t in data.by_type))) for s in SEVERITIES],
            eur_cell(total_eur),
            num_cell(str(sum(t.credited for t in data.by_type))),
            num_cell(str(sum(t.resolved for t in data.by_type))),
        )
    )
    open_types = [t for t in data.by_type if t.open]
    by_count = charts.stacked_bars(
        "Open exceptions by type and severity",
        [
            charts.Bar(
                t.exception_type,
                [float(t.open_by_severity[s]) for s in SEVERITIES],
                note=str(t.open),
            )
            for t in sorted(open_types, key=lambda t: (-t.open, t.exception_type))
        ],
        [charts.Series(s, SEVERITY_COLORS[s]) for s in SEVERITIES],
        value_format=lambda v: f"{v:.0f}",
        width=540,
    )
    money_types = [t for t in open_types if t.open_eur]
    by_eur = charts.diverging_bars(
        "Open EUR by type, net of credits",
        [
            charts.Bar(t.exception_type, [float(t.open_eur)], note=eur(t.open_eur))
            for t in sorted(money_types, key=lambda t: (-t.open_eur, t.exception_type))
        ],
        positive=charts.Series("charged beyond contract", "#b42318"),
        negative=charts.Series("not billed", "#175cd3"),
        width=600,
    )
    return h(
        "section",
        {"id": "by-type"},
        h("h2", None, "Exceptions by type and severity"),
        h(
            "p",
            {"class": "lead"},
            "Every exception the warehouse knows: open now (by severity), new today, "
            "credited and resolved. EUR is what the open ones put at stake, net of credits.",
        ),
        table(
            "by-type-table",
            [
                ("Type", False),
                ("New today", True),
                ("Open", True),
                ("High", True),
                ("Medium", True),
                ("Low", True),
                ("Open EUR (net of credits)", True),
                ("Credited", True),
                ("Resolved", True),
            ],
            rows,
        ),
        h(
            "div",
            {"class": "charts"},
            figure("Open exceptions: how many, and how severe", by_count) if open_types else None,
            figure("Open EUR at stake by type", by_eur) if money_types else None,
        ),
    )


def _owed_section(data: ReportData) -> etree._Element:
    section = h("section", {"id": "owed"}, h("h2", None, "What customers are owed"))
    balances = data.balances
    if isinstance(balances, Missing):
        section.append(not_available(balances))
        section.append(
            h(
                "p",
                {"class": "lead"},
                "From the open exceptions: customers are owed ",
                h("strong", None, eur(data.header.owed_eur)),
                " EUR in all (see the tiles above).",
            )
        )
        return section
    section.append(_owed_lead(balances))
    if balances.owed_eur != data.header.owed_eur:
        section.append(
            h(
                "div",
                {"class": "notice"},
                f"The balances total {eur(balances.owed_eur)} EUR differs from the open "
                f"exceptions' {eur(data.header.owed_eur)} EUR: ask the data team.",
            )
        )
    if not balances.customers:
        section.append(h("p", {"class": "empty"}, "No customer is owed anything."))
        return section
    rows = [
        h(
            "tr",
            {"data-customer-vat": c.customer_vat},
            num_cell(str(i)),
            h("td", {"class": "customer"}, c.customer_name or c.customer_vat, sub(c.customer_vat)),
            h("td", {"class": "providers"}, c.providers or DASH),
            eur_cell(c.owed_eur, "num owed"),
            num_cell(eur(size(c.under_billed_eur)), cls="num under-billed"),
            num_cell(DASH if c.open_exceptions is None else str(c.open_exceptions)),
        )
        for i, c in enumerate(balances.customers, start=1)
    ]
    owed = [c for c in balances.customers if c.owed_eur > 0][:10]
    chart = charts.diverging_bars(
        "Top customers by amount owed",
        [
            charts.Bar(c.customer_name or c.customer_vat, [float(c.owed_eur)], note=eur(c.owed_eur))
            for c in owed
        ],
        positive=charts.Series("owed to the customer", "#b42318"),
        width=420,
    )
    section.append(
        h(
            "div",
            {"class": "charts"},
            table(
                "customers",
                [
                    ("#", True),
                    ("Customer", False),
                    ("Providers", False),
                    ("Owed EUR", True),
                    ("Under-billed EUR", True),
                    ("Open exceptions", True),
                ],
                rows,
            ),
            figure("The ten customers owed most", chart) if owed else None,
        )
    )
    return section


def _owed_lead(b: Balances) -> etree._Element:
    return h(
        "p",
        {"class": "lead"},
        h("span", {"id": "customers-owed"}, str(b.customers_owed)),
        f" of {b.customers_total} customers are owed money, ",
        h("strong", {"id": "balances-owed"}, eur(b.owed_eur)),
        " EUR in all (open exceptions, net of credits)",
        [
            ", and providers under-billed ",
            h("strong", {"id": "balances-under"}, eur(size(b.under_billed_eur))),
            " EUR",
        ]
        if b.under_billed_eur is not None
        else None,
        f". The {len(b.customers)} largest balances (the exceptions behind each figure, with "
        "their source file and row, are in ",
        h("code", None, "marts.customer_balance_exceptions"),
        "):",
    )


# (column, header, kind, the columns of its "n of m" note) in the order of the table.
KPI_TABLE = (
    ("activated_lines", "Lines activated", "count", None),
    ("cycle_time_median_business_days", "Cycle time median (bd)", "days", None),
    ("cycle_time_p90_business_days", "Cycle time p90 (bd)", "days", None),
    ("share_lines_stuck", "Lines stuck", "share", ("lines_stuck", "lines_in_flight", "in flight")),
    (
        "share_first_time_right",
        "First-time-right invoice lines",
        "share",
        ("first_time_right_invoice_lines", "invoice_lines", "lines"),
    ),
    ("credit_note_lines", "Credit-note lines", "count", None),
    ("credits_issued_eur", "Credits issued EUR", "eur", None),
    ("open_exceptions", "Open exceptions", "count", None),
    *(
        (column, f"aged {bucket} bd", "count", None)
        for column, bucket in zip(AGING_COLUMNS, AGING_BUCKETS, strict=True)
    ),
    ("money_at_stake_eur", "Money at stake EUR", "eur", None),
)
CHART_MONTHS = 12


def _kpi_text(kind: str, value: Any) -> str:
    if value is None:
        return DASH
    if kind == "eur":
        return eur(money(value))
    if kind == "share":
        percent = (Decimal(str(value)) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        return f"{percent} %"
    if kind == "days":
        return str(Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
    return str(int(value))


def _kpi_cell(row: KpiRow, column: str, kind: str, note) -> etree._Element:
    cell = num_cell(_kpi_text(kind, row.values.get(column)), cls=f"num {column}")
    if note:
        part, whole = row.values.get(note[0]), row.values.get(note[1])
        if part is not None and whole:
            cell.append(sub(f"{part} of {whole} {note[2]}"))
    return cell


def _kpi_section(data: ReportData) -> etree._Element:
    section = h("section", {"id": "kpis"}, h("h2", None, "Provider KPIs by month"))
    kpis = data.kpis
    if isinstance(kpis, Missing):
        section.append(not_available(kpis))
        return section
    if not kpis.rows:
        section.append(h("p", {"class": "empty"}, "No KPI has been computed yet."))
        return section
    section.append(
        h(
            "p",
            {"class": "lead"},
            "Cycle time: business days (bd) from signature to activation, of the lines "
            "activated in the month. Lines stuck: of the lines signed in the month and not yet "
            "active, those with an open lifecycle exception. First-time-right: invoice lines "
            "dated in the month on which no billing control fired. Open exceptions by the "
            "month that first found them, and by age. A dash: nothing to measure.",
        )
    )
    shown = [spec for spec in KPI_TABLE if spec[0] in kpis.fields]
    headers = [("Provider", False), ("Month", False)] + [(spec[1], True) for spec in shown]
    rows = [
        h(
            "tr",
            {"data-provider": r.provider, "data-month": r.month},
            h("td", None, r.provider),
            h("td", {"class": "nowrap"}, r.month),
            [_kpi_cell(r, column, kind, note) for column, _, kind, note in shown],
        )
        for r in kpis.rows
    ]
    section.append(h("div", {"class": "scroll"}, table("kpi-table", headers, rows)))
    section.append(h("div", {"class": "charts"}, _cycle_charts(kpis), _aging_chart(kpis)))
    return section


def _cycle_charts(kpis: Kpis) -> list[etree._Element]:
    keys = [
        (column, name, color)
        for column, name, color in (
            ("cycle_time_median_business_days", "median", "#2e90fa"),
            ("cycle_time_p90_business_days", "p90", "#102a56"),
        )
        if column in kpis.fields
    ]
    if not keys:
        return []
    series = [charts.Series(name, color) for _, name, color in keys]
    figures = []
    for provider in sorted({r.provider for r in kpis.rows}):
        months = [
            r
            for r in kpis.rows
            if r.provider == provider and any(r.values.get(k) is not None for k, _, _ in keys)
        ][-CHART_MONTHS:]
        if not months:
            continue
        groups = [
            charts.Bar(r.month, [_float(r.values.get(k)) for k, _, _ in keys]) for r in months
        ]
        svg = charts.grouped_columns(
            f"{provider}: cycle time by month of activation",
            groups,
            series,
            unit=" bd",
            width=max(260, 90 + 64 * len(groups)),
        )
        figures.append(figure(f"{provider}: cycle time by month of activation (bd)", svg))
    return figures


def _aging_chart(kpis: Kpis) -> etree._Element | None:
    aging = [c for c in AGING_COLUMNS if c in kpis.fields]
    rows = [r for r in kpis.rows if any(r.values.get(c) for c in aging)]
    if not rows:
        return None
    bars = [
        charts.Bar(
            f"{r.provider} {r.month}",
            [_float(r.values.get(c)) or 0.0 for c in aging],
            note=str(int(sum(_float(r.values.get(c)) or 0.0 for c in aging))),
        )
        for r in rows
    ]
    series = [
        charts.Series(f"{AGING_BUCKETS[AGING_COLUMNS.index(c)]} bd", AGING_COLORS[i])
        for i, c in enumerate(aging)
    ]
    svg = charts.stacked_bars(
        "Open exceptions by month found and age", bars, series, value_format=lambda v: f"{v:.0f}"
    )
    return figure("Open exceptions by the month that found them, and their age (bd)", svg)


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _where_section(data: ReportData, links: Links) -> etree._Element:
    hd = data.header
    return h(
        "section",
        {"id": "where"},
        h("h2", None, "Data quality and where to look"),
        h(
            "ul",
            None,
            h(
                "li",
                {"id": "files"},
                f"Files: {hd.files_loaded} loaded, {hd.files_redelivered} re-deliveries "
                f"skipped, {hd.files_unreadable} unreadable. Rows: {hd.rows_loaded} loaded, "
                f"{hd.rows_quarantined} quarantined. Unmapped provider states: "
                f"{hd.unmapped_states}.",
            ),
            h(
                "li",
                None,
                "Great Expectations Data Docs: ",
                h("a", {"href": links.data_docs, "id": "data-docs"}, links.data_docs),
                None if links.data_docs_exists else " (not built in this data directory yet)",
            ),
            h(
                "li",
                None,
                "What every table and column of the warehouse means (dbt docs): ",
                h("a", {"href": links.dbt_docs, "id": "dbt-docs"}, links.dbt_docs),
            )
            if links.dbt_docs_exists
            else None,
            h(
                "li",
                None,
                "This run's records: ",
                h("a", {"href": links.summary}, "summary.txt"),
                [", ", h("a", {"href": links.checks}, "checks.json")]
                if links.checks_exists
                else None,
            ),
            h(
                "li",
                None,
                "Every exception, as CSV: ",
                h("code", {"id": "csv-command"}, CSV_COMMAND),
            ),
            h(
                "li",
                None,
                "Work the cases in the review app: ",
                h("code", None, "backoffice ui"),
                ", then ",
                h("a", {"href": APP_URL, "id": "app-link"}, "the back-office queue"),
                " in Airflow (http://localhost:8080/backoffice/ on one machine).",
            ),
            h(
                "li",
                None,
                "What each exception type means, who owns it and the sign of amounts: ",
                h("a", {"href": links.glossary}, "the glossary"),
                ".",
            ),
        ),
    )


def _not_loaded_section(data: ReportData) -> etree._Element:
    """Every quarantined row and unknown provider state, listed (not only counted)."""
    section = h("section", {"id": "not-loaded"}, h("h2", None, "Rows not loaded"))
    nl = data.not_loaded
    if nl is None:
        return section
    section.append(
        h(
            "p",
            None,
            f"{nl.quarantined_total} landed rows were quarantined (not loaded) and "
            f"{nl.unmapped_total} provider state changes carry a state the registry does not "
            "map. Each is listed with its file, row, reason and the record as it landed; fix "
            "the file at the provider, or map the state in config/providers.yml.",
        )
    )
    shown = (
        f" (the newest {len(nl.quarantined)} shown)"
        if nl.quarantined_total > len(nl.quarantined)
        else ""
    )
    section.append(h("h3", None, f"Quarantined rows: {nl.quarantined_total}{shown}"))
    if nl.quarantined:
        section.append(
            h(
                "div",
                {"class": "scroll"},
                table(
                    "quarantined",
                    [("File", False), ("Row", False), ("Reason", False), ("Raw record", False)],
                    [
                        h(
                            "tr",
                            None,
                            h("td", {"class": "file"}, r["source_file"]),
                            h("td", {"class": "row"}, str(r["source_row"])),
                            h("td", {"class": "reason"}, r["reason"]),
                            h("td", {"class": "raw"}, (r["raw_record"] or "")[:500]),
                        )
                        for r in nl.quarantined
                    ],
                ),
            )
        )
    section.append(h("h3", None, f"Unknown provider states: {nl.unmapped_total}"))
    if nl.unmapped:
        section.append(
            h(
                "div",
                {"class": "scroll"},
                table(
                    "unmapped",
                    [
                        ("Provider", False),
                        ("State", False),
                        ("File", False),
                        ("Row", False),
                        ("Reason", False),
                        ("Raw record", False),
                    ],
                    [
                        h(
                            "tr",
                            None,
                            h("td", {"class": "provider"}, r["provider"]),
                            h("td", {"class": "state"}, r["provider_state"]),
                            h("td", {"class": "file"}, r["source_file"]),
                            h("td", {"class": "row"}, str(r["source_row"])),
                            h("td", {"class": "reason"}, r["reason"] or ""),
                            h("td", {"class": "raw"}, r["raw_record"][:500]),
                        )
                        for r in nl.unmapped
                    ],
                ),
            )
        )
    return section


FEED_STATUS_WORDS = {
    "on_time": "on time",
    "late": "late",
    "small": "unusually small",
    "never_delivered": "never delivered",
    "no_rhythm": "no rhythm",
}


def _feeds_section(data: ReportData) -> etree._Element:
    """Each feed against its rhythm and usual volume (marts.feed_health), warnings first."""
    section = h("section", {"id": "feeds"}, h("h2", None, "Feeds"))
    if not data.feeds:
        section.append(h("p", None, "No feed health in this publication (marts.feed_health)."))
        return section
    warnings = [f.warning for f in data.feeds if f.is_warning and f.warning]
    section.append(
        h(
            "p",
            None,
            "Each feed's last delivery and its judged period's files and rows against its usual "
            "(the median of its previous periods), judged against the rhythm config/providers.yml "
            "gives it. A late or small feed warns; it never blocks the night.",
        )
    )
    if warnings:
        items = [h("li", None, warning) for warning in warnings]
        section.append(h("ul", {"class": "notice", "id": "feed-warnings"}, items))
    rows = [
        h(
            "tr",
            {"class": f"status-{f.status}"},
            h("td", {"class": "feed"}, f.name),
            h("td", {"class": "status"}, FEED_STATUS_WORDS.get(f.status, f.status)),
            h("td", {"class": "rhythm"}, f.rhythm),
            h("td", {"class": "expected"}, _date_text(f.expected_by_date)),
            h("td", {"class": "last"}, _date_text(f.last_delivery_date)),
            num_cell(str(f.period_files), cls="num files"),
            num_cell(str(f.period_rows), cls="num rows"),
            num_cell(_count_text(f.usual_files), cls="num usual-files"),
            num_cell(_count_text(f.usual_rows), cls="num usual-rows"),
            num_cell(_count_text(f.business_days_late), cls="num late"),
        )
        for f in data.feeds
    ]
    section.append(
        h(
            "div",
            {"class": "scroll"},
            table(
                "feed-health",
                [
                    ("Feed", False),
                    ("Status", False),
                    ("Rhythm", False),
                    ("Due by", False),
                    ("Last delivery", False),
                    ("Files", True),
                    ("Rows", True),
                    ("Usual files", True),
                    ("Usual rows", True),
                    ("Business days late", True),
                ],
                rows,
            ),
        )
    )
    return section


def _date_text(value: Any) -> str:
    return value.isoformat() if value else DASH


def _count_text(value: Any) -> str:
    return DASH if value is None else str(value)


# --- serialization -----------------------------------------------------------------------------


def _stylesheet() -> str:
    css = resources.files("backoffice.report").joinpath("report.css").read_text("utf-8")
    if any(c in css for c in "<>&"):
        raise ValueError("report.css must not contain <, > or &: the page is polyglot XHTML")
    return css


def serialize(page: etree._Element) -> str:
    """Polyglot XHTML: non-void elements are never self-closed, so HTML parsers agree."""
    for node in page.iter():
        if (
            isinstance(node.tag, str)
            and node.tag not in VOID
            and node.text is None
            and not len(node)
        ):
            node.text = ""
    body = etree.tostring(page, encoding="unicode", method="xml")
    return "<!DOCTYPE html>\n" + body + "\n"
