-- Periodic work that one replica does for all (following pull requests), locked by ShedLock:
-- a row per task, held until lock_until by the replica named in locked_by.
create table shedlock (
    name       varchar(64)  primary key,
    lock_until timestamptz  not null,
    locked_at  timestamptz  not null,
    locked_by  varchar(255) not null
);
