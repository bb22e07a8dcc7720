-- What scanners found in an image, per source (trivy, defender): the newest scan of an image from a
-- source replaces the one before, findings and all; scans from different sources stay apart.
create table scans (
    id              bigserial   primary key,
    image_id        bigint      not null references images (id) on delete cascade,
    source          text        not null check (source in ('trivy', 'defender')),
    scanned_at      timestamptz not null,
    received_at     timestamptz not null default now(),
    reported_by     text        not null,
    scanner_version text,
    -- counted once when stored, so that lists and the gate need not count findings
    critical        integer     not null default 0,
    critical_fixable integer    not null default 0,
    high            integer     not null default 0,
    high_fixable    integer     not null default 0,
    medium          integer     not null default 0,
    medium_fixable  integer     not null default 0,
    low             integer     not null default 0,
    low_fixable     integer     not null default 0,
    unknown         integer     not null default 0,
    unknown_fixable integer     not null default 0,
    unique (image_id, source)
);

create table findings (
    id                bigserial primary key,
    scan_id           bigint    not null references scans (id) on delete cascade,
    vulnerability_id  text      not null,
    package_name      text      not null,
    installed_version text,
    fixed_version     text,
    fixable           boolean   not null generated always as (coalesce(fixed_version, '') <> '') stored,
    severity          text      not null check (severity in ('critical', 'high', 'medium', 'low', 'unknown')),
    severity_rank     smallint  not null generated always as (case severity when 'critical' then 0 when 'high' then 1
                                    when 'medium' then 2 when 'low' then 3 else 4 end) stored,
    status            text,
    title             text,
    primary_url       text,
    -- what in the image it was found in: an OS's packages, a lock file, a jar
    target            text
);

-- an image's findings, worst first (the image page's order and its severity filter), and by id (waivers)
create index findings_by_severity on findings (scan_id, severity_rank, vulnerability_id);
create index findings_by_vulnerability on findings (vulnerability_id);
