-- How far Slipway has read each repository of a registry: a poll lists a repository's manifests
-- newest first and stops at what it read before, so a round costs a page per repository, not the
-- repository's whole history.
create table registry_polls (
    registry     text        not null,
    repository   text        not null,
    polled_until timestamptz not null,
    polled_at    timestamptz not null default now(),
    primary key (registry, repository)
);
