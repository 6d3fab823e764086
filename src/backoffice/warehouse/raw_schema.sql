-- The landed data, as ingest writes it into the build warehouse (schema raw).
-- Tables are per kind of feed, not per provider: a new provider feed is a
-- registry entry whose rows land here with its `provider` name.
-- Every data row carries its lineage: the landed file (path relative to the
-- landing zone), its row as OUTPUT.md defines it (CSV: data row from 1;
-- NDJSON: line number; FatturaPA: body/line), the file's sha256, the load id.

create schema if not exists raw;

-- One row per landed file that ingest has seen.
create table if not exists raw.landed_files (
    file_path varchar primary key,          -- relative to the landing zone
    source varchar not null,
    feed varchar not null,
    delivery_date date not null,
    size_bytes bigint not null,
    file_sha256 varchar not null,
    load_id varchar not null,
    status varchar not null,                -- loaded | redelivery | unreadable (incl. a name
                                            -- that matches no pattern of the feed)
    duplicate_of varchar,                   -- for a redelivery: the file first loaded with these bytes
    rows_read integer not null,             -- = rows_loaded + rows_quarantined
    rows_loaded integer not null,           -- rows written to raw.* (FatturaPA: lines + summaries)
    rows_quarantined integer not null,      -- unreadable file: 1 (its content, one row)
    error varchar,                          -- why a whole file could not be read
    loaded_at timestamptz not null,
    header_columns varchar                  -- the file's header as a JSON array of names
                                            -- (formats with a header row); schema drift
);

-- Warehouses made before the header was recorded get the column (null for their files).
alter table raw.landed_files add column if not exists header_columns varchar;

-- One row per landed row that could not be parsed.
create table if not exists raw.quarantine (
    source varchar not null,
    feed varchar not null,
    source_file varchar not null,
    source_row varchar not null,            -- as OUTPUT.md; 'file' for a whole unreadable file
    reason varchar not null,                -- for a person: what is wrong, which field
    raw_record varchar,                     -- the row as it landed (text; a whole file: its
                                            -- text, or base64: for binary, first MiB only)
    file_sha256 varchar not null,
    load_id varchar not null,
    quarantined_at timestamptz not null
);

-- The provider-state to canonical-state mapping of the registry, rewritten
-- on every ingest so that dbt maps states by configuration.
create table if not exists raw.state_map (
    provider varchar not null,
    provider_state varchar not null,
    canonical_state varchar not null
);

-- crm/signed_orders: one row per landed CRM line version.
create table if not exists raw.crm_signed_orders (
    order_id varchar not null,
    order_line_id varchar not null,
    customer_vat varchar not null,
    customer_name varchar,
    provider varchar not null,
    sku varchar not null,
    description varchar,
    quantity integer not null,
    unit_price decimal(18, 4) not null,
    vat_rate decimal(5, 2) not null,
    signed_date date not null,
    line_status varchar not null,
    cancelled_date date,
    updated_at timestamptz not null,
    _source_file varchar not null,
    _source_row varchar not null,
    _file_sha256 varchar not null,
    _load_id varchar not null,
    _delivery_date date not null,
    _loaded_at timestamptz not null
);

-- <provider>/orders: one row per order line as the back office entered it
-- at the provider (alfa: a productOrderItem of a ProductOrderCreateEvent;
-- nuvola: an ordini row).
create table if not exists raw.provider_orders (
    provider varchar not null,
    event_id varchar,                       -- null where the feed has none
    provider_order_id varchar not null,
    order_id varchar,                       -- the CRM order_id it names
    order_line_id varchar not null,
    sku varchar not null,
    quantity integer not null,
    unit_price decimal(18, 4) not null,
    submitted_at timestamptz not null,      -- the SUBMITTED moment
    _source_file varchar not null,
    _source_row varchar not null,
    _file_sha256 varchar not null,
    _load_id varchar not null,
    _delivery_date date not null,
    _loaded_at timestamptz not null
);

-- <provider>/activations: one row per state change of an order line.
-- provider_state is kept as landed; raw.state_map maps it.
create table if not exists raw.provider_order_events (
    provider varchar not null,
    event_id varchar not null,
    provider_order_id varchar,
    order_line_id varchar not null,
    provider_state varchar not null,
    state_at timestamptz not null,
    reason varchar,
    _source_file varchar not null,
    _source_row varchar not null,
    _file_sha256 varchar not null,
    _load_id varchar not null,
    _delivery_date date not null,
    _loaded_at timestamptz not null
);

-- <provider>/invoices: one row per invoice line (TD01) or credit-note line (TD04).
create table if not exists raw.invoice_lines (
    provider varchar not null,
    invoice_number varchar not null,
    document_type varchar not null,         -- TD01 | TD04 (others kept as landed)
    invoice_date date not null,
    related_invoice_number varchar,         -- for a TD04: the invoice it corrects
    customer_vat varchar,
    currency varchar not null,
    body_number integer not null,           -- 1 for CSV feeds
    line_number integer not null,           -- NumeroLinea / numero_riga
    order_line_id varchar,                  -- ORDLINE / rif_riga
    sku varchar,
    description varchar,
    quantity decimal(18, 8),
    period_start date,
    period_end date,
    unit_price decimal(18, 8),
    net_amount decimal(18, 8) not null,     -- PrezzoTotale / importo
    vat_rate decimal(5, 2),
    vat_amount decimal(18, 8),              -- imposta (CSV feeds); null for FatturaPA
    _source_file varchar not null,
    _source_row varchar not null,
    _file_sha256 varchar not null,
    _load_id varchar not null,
    _delivery_date date not null,
    _loaded_at timestamptz not null
);

-- FatturaPA DatiRiepilogo: one row per invoice and VAT rate.
create table if not exists raw.invoice_vat_summaries (
    provider varchar not null,
    invoice_number varchar not null,
    document_type varchar not null,
    invoice_date date not null,
    body_number integer not null,
    vat_rate decimal(5, 2) not null,
    taxable_amount decimal(18, 8) not null,
    vat_amount decimal(18, 8) not null,
    _source_file varchar not null,
    _source_row varchar not null,           -- body/summary number, e.g. 1/R1
    _file_sha256 varchar not null,
    _load_id varchar not null,
    _delivery_date date not null,
    _loaded_at timestamptz not null
);
