-- Each service environment's state changes as Slipway saw them in the clusters, kept across restarts
-- (the last 100 per service and environment): what the UI's history shows, and what a promotion waits on.
create table environment_transitions (
    id          bigserial   primary key,
    team        text        not null,
    service     text        not null,
    environment text        not null,
    state       text        not null,
    reason      text,
    message     text,
    running     jsonb       not null default '{}',
    at          timestamptz not null
);

create index environment_transitions_newest on environment_transitions (team, service, environment, at desc, id desc);
