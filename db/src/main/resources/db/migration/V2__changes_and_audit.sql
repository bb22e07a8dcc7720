-- A Change: a request to write one ChangeSet to the GitOps repository. Stored in the same
-- transaction as the state change that needs it (an outbox); workers claim pending changes with a
-- lease, write them idempotently (the change id is a commit trailer) and record the outcome.
create table changes (
    id                uuid        primary key,
    service_id        uuid        references services (id),
    mode              text        not null,
    state             text        not null default 'pending',
    title             text        not null,
    files             jsonb       not null,
    requested_by      text        not null,
    requested_at      timestamptz not null default now(),
    attempts          integer     not null default 0,
    next_attempt_at   timestamptz not null default now(),
    claimed_by        text,
    claimed_until     timestamptz,
    last_error        text,
    commit_sha        text,
    pull_request_id   text,
    pull_request_url  text,
    conflicting_paths jsonb,
    completed_at      timestamptz,
    constraint changes_mode check (mode in ('commit', 'pull-request')),
    constraint changes_state check (state in ('pending', 'committed', 'pull-request-open', 'merged', 'conflicting', 'failed')),
    constraint changes_files_array check (jsonb_typeof(files) = 'array' and jsonb_array_length(files) > 0),
    constraint changes_sha check (commit_sha is null or commit_sha ~ '^[0-9a-f]{40}$'),
    constraint changes_committed_has_sha check (state not in ('committed', 'merged') or commit_sha is not null),
    constraint changes_pull_request_has_id check (state <> 'pull-request-open' or pull_request_id is not null),
    constraint changes_done_when_completed check ((state = 'pending') = (completed_at is null)),
    constraint changes_attempts check (attempts >= 0)
);

create index changes_pending_idx on changes (next_attempt_at) where state = 'pending';
create index changes_service_idx on changes (service_id);

-- The audit log: append-only, each entry hash-chained to the one before, so that an edit or a
-- removal anywhere is detectable.
create table audit_entries (
    seq           bigint      generated always as identity primary key,
    at            timestamptz not null,
    actor         text        not null,
    action        text        not null,
    subject       text        not null,
    details       jsonb       not null,
    previous_hash text        not null,
    hash          text        not null unique,
    constraint audit_hash_format check (hash ~ '^[0-9a-f]{64}$' and previous_hash ~ '^[0-9a-f]{64}$')
);

create function audit_entries_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'the audit log is append-only';
end;
$$;

create trigger audit_entries_no_update before update or delete on audit_entries
    for each row execute function audit_entries_append_only();
create trigger audit_entries_no_truncate before truncate on audit_entries
    for each statement execute function audit_entries_append_only();
