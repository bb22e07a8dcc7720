-- A pull request's description (a promotion's lists its gate and scans), and who merged or closed a
-- pull request when the provider says so (a merge outside Slipway is recorded with them).
alter table changes add column body text;
alter table changes add column merged_by text;

-- A request to run one image (by digest) of a service in one environment, and where it is on its way.
create table promotions (
    id                 uuid        primary key,
    service_id         uuid        not null references services (id) on delete cascade,
    team               text        not null,
    service            text        not null,
    environment        text        not null,
    registry           text        not null,
    repository         text        not null,
    digest             text        not null,
    tag                text,
    state              text        not null,
    -- why it is blocked or failed: [{rule, message, findings}]
    reasons            jsonb       not null default '[]',
    -- the scan gate's last verdict, as shown to reviewers
    gate               jsonb,
    rollback           boolean     not null default false,
    needs_approval     boolean     not null,
    required_approvals integer     not null,
    requested_by       text        not null,
    requested_at       timestamptz not null,
    updated_at         timestamptz not null,
    -- the Git write: a commit, or the pull request reviewers see
    change_id          uuid        references changes (id),
    superseded_by      uuid        references promotions (id),
    deploying_since    timestamptz,
    -- merge retries (Git or the provider unreachable): the approval is kept, the merge tried again
    attempts           integer     not null default 0,
    next_attempt_at    timestamptz,
    last_error         text,
    -- its pull request is still to be closed (rejected, cancelled, superseded, expired), with this comment
    close_comment      text,
    constraint promotions_state check (state in ('requested', 'blocked', 'awaiting-approval', 'approved', 'rejected',
        'cancelled', 'superseded', 'expired', 'committing', 'deploying', 'deployed', 'failed')),
    constraint promotions_quorum check (required_approvals >= 0),
    constraint promotions_digest check (digest ~ '^sha256:[a-f0-9]{64}$')
);

-- never two promotions of one service environment between approved and deployed: never both merged
create unique index promotions_one_on_its_way on promotions (service_id, environment)
    where state in ('approved', 'committing', 'deploying');
create index promotions_open on promotions (state, requested_at)
    where state in ('requested', 'blocked', 'awaiting-approval', 'approved', 'committing', 'deploying');
create index promotions_of_service on promotions (service_id, environment, requested_at desc);
create index promotions_newest on promotions (requested_at desc, id);
create index promotions_change on promotions (change_id);
create index promotions_to_close on promotions (updated_at) where close_comment is not null;

-- every state a promotion went through: who moved it, when and why
create table promotion_transitions (
    id           bigserial   primary key,
    promotion_id uuid        not null references promotions (id) on delete cascade,
    state        text        not null,
    actor        text        not null,
    reason       text,
    at           timestamptz not null
);

create index promotion_transitions_of on promotion_transitions (promotion_id, id);

-- a QA engineer's decision: each person decides once
create table promotion_decisions (
    promotion_id uuid        not null references promotions (id) on delete cascade,
    decided_by   text        not null,
    decision     text        not null,
    comment      text        not null,
    at           timestamptz not null,
    primary key (promotion_id, decided_by),
    constraint promotion_decisions_decision check (decision in ('approved', 'rejected'))
);

-- messages to chat webhooks (Microsoft Teams, Slack), delivered from here with retries: a restart
-- loses none, and a slow webhook never holds up the decision that caused it
create table notifications (
    id              bigserial   primary key,
    webhook         text        not null,
    event           text        not null,
    subject         text        not null,
    payload         jsonb       not null,
    created_at      timestamptz not null,
    attempts        integer     not null default 0,
    next_attempt_at timestamptz not null,
    claimed_until   timestamptz,
    delivered_at    timestamptz,
    gave_up_at      timestamptz,
    last_error      text
);

create index notifications_due on notifications (next_attempt_at) where delivered_at is null and gave_up_at is null;

-- environments that stopped following new pushes (after a rollback) until someone promotes forward
create table following_paused (
    service_id  uuid        not null references services (id) on delete cascade,
    environment text        not null,
    paused_by   text        not null,
    reason      text        not null,
    at          timestamptz not null,
    primary key (service_id, environment)
);

-- the audit view filters by actor, action and time
create index audit_entries_actor on audit_entries (actor, seq desc);
create index audit_entries_action on audit_entries (action, seq desc);
create index audit_entries_at on audit_entries (at desc);
create index audit_entries_subject on audit_entries (subject text_pattern_ops);
