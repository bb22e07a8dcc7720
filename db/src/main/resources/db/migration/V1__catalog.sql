-- Teams own services. A name is a DNS-1123 label because it becomes part of namespace names
-- (<team>-<env>) and of paths in the GitOps repository.
create table teams (
    id             bigint generated always as identity primary key,
    name           text        not null,
    display_name   text        not null,
    entra_group_id uuid,
    created_at     timestamptz not null default now(),
    constraint teams_name_unique unique (name),
    constraint teams_entra_group_unique unique (entra_group_id),
    constraint teams_name_dns1123_label
        check (name ~ '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' and length(name) <= 63),
    constraint teams_display_name_present
        check (length(btrim(display_name)) between 1 and 200)
);

-- A team's quota per tier of environment: prod and non-prod namespaces get different budgets.
create table team_quotas (
    team_id              bigint  not null references teams (id) on delete cascade,
    tier                 text    not null,
    requests_cpu_millis  integer not null,
    requests_memory_mib  integer not null,
    limits_cpu_millis    integer not null,
    limits_memory_mib    integer not null,
    max_pods             integer not null,
    primary key (team_id, tier),
    constraint team_quotas_tier check (tier in ('nonprod', 'prod')),
    constraint team_quotas_requests_positive check (requests_cpu_millis > 0 and requests_memory_mib > 0),
    constraint team_quotas_limits_cover_requests
        check (limits_cpu_millis >= requests_cpu_millis and limits_memory_mib >= requests_memory_mib),
    constraint team_quotas_pods_positive check (max_pods > 0)
);

-- A service a team owns. Its name becomes a Kubernetes Service name, so it is a DNS-1035 label
-- (a DNS-1123 label that starts with a letter).
create table services (
    id               uuid        primary key,
    team_id          bigint      not null references teams (id),
    name             text        not null,
    template_id      text        not null,
    template_version text        not null,
    description      text        not null default '',
    created_by       text        not null,
    created_at       timestamptz not null default now(),
    constraint services_team_name_unique unique (team_id, name),
    constraint services_name_dns1035_label
        check (name ~ '^[a-z]([-a-z0-9]*[a-z0-9])?$' and length(name) <= 63),
    constraint services_template_present
        check (length(template_id) between 1 and 100 and length(template_version) between 1 and 50),
    constraint services_description_length check (length(description) <= 2000),
    constraint services_created_by_present check (length(btrim(created_by)) > 0)
);

create index services_created_at_idx on services (created_at desc);
