-- The image each environment of a service is to run, as Slipway last asked Git for it (the change
-- that wrote it). A push older than what an environment has never moves it back: pushed_at is the
-- time of the push (or promotion) the pin came from, and an update must be newer.
create table environment_images (
    service_id  uuid        not null references services (id) on delete cascade,
    environment text        not null,
    registry    text        not null,
    repository  text        not null,
    digest      text        not null,
    tag         text,
    pushed_at   timestamptz not null,
    -- checked at commit: the pin is taken first (it decides whether there is a change to make), its change after
    change_id   uuid        not null references changes (id) deferrable initially deferred,
    pinned_by   text        not null,
    pinned_at   timestamptz not null default now(),
    primary key (service_id, environment)
);

create index environment_images_digest on environment_images (registry, repository, digest);
