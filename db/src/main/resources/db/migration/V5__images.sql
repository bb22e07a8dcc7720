-- Container images as the registry reports them: (registry, repository, digest), their tags, and
-- whether they were deleted. The service that owns an image is the one whose image repository is
-- <registry>/<repository>: it is looked up, not stored, so an image pushed before its service
-- existed belongs to the service once it is created.
create table images (
    id           bigserial primary key,
    registry     text        not null,
    repository   text        not null,
    digest       text        not null,
    media_type   text,
    size_bytes   bigint,
    pushed_at    timestamptz not null,
    -- when the registry said it was deleted (the event's time): a push older than that does not bring it back
    deleted_at   timestamptz,
    first_seen   timestamptz not null default now(),
    unique (registry, repository, digest)
);

create index images_newest on images (registry, repository, pushed_at desc);

-- a tag names one digest of a repository at a time: moving it removes it from the other image
create table image_tags (
    image_id  bigint      not null references images (id) on delete cascade,
    tag       text        not null,
    tagged_at timestamptz not null,
    primary key (image_id, tag)
);

-- every registry event handled, by its id: a delivery the registry retries changes nothing
create table registry_events (
    event_id    text        primary key,
    action      text        not null,
    received_at timestamptz not null default now()
);
