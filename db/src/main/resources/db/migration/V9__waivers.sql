-- A security engineer's decision that one vulnerability does not block one image (digest set) or
-- any image of a service's repository (digest null), until a date. Revoked waivers are kept, as
-- expired ones are: the gate says which waiver stopped counting and when.
create table waivers (
    id               uuid        primary key,
    vulnerability_id text        not null check (length(vulnerability_id) between 1 and 200),
    service_id       uuid        not null references services (id) on delete cascade,
    digest           text,
    until            timestamptz not null,
    reason           text        not null check (length(btrim(reason)) between 1 and 2000),
    granted_by       text        not null,
    granted_at       timestamptz not null default now(),
    revoked_by       text,
    revoked_at       timestamptz
);

create index waivers_of_service on waivers (service_id, vulnerability_id);
