-- Each image's findings over all its sources, counted when a scan is stored: a vulnerability of a
-- package once, at the worst severity a source gave it, fixable if any source knows a fix. Lists of
-- images read these rows instead of counting findings.
create table image_summaries (
    image_id         bigint  primary key references images (id) on delete cascade,
    critical         integer not null,
    critical_fixable integer not null,
    high             integer not null,
    high_fixable     integer not null,
    medium           integer not null,
    medium_fixable   integer not null,
    low              integer not null,
    low_fixable      integer not null,
    unknown          integer not null,
    unknown_fixable  integer not null
);

-- the Images view: every image of the registry, newest first
create index images_of_registry_newest on images (registry, pushed_at desc, id desc);
