package dev.slipway.portal.gitops;

import dev.slipway.gitops.FileWrite;
import dev.slipway.portal.api.NotFoundException;
import dev.slipway.portal.security.CurrentUser;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The changes waiting for, or written to, the GitOps repository: the outbox. A change is stored
 * in the same transaction as the state that needs it, and only a committed change is ever
 * claimed by a worker.
 */
@Component
public class Changes {

    /** What a published change-state event says: a view showing this change should refresh. */
    public record StateChanged(UUID changeId, ChangeState state) {
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<List<StoredFile>> FILES = new TypeReference<>() { };

    record StoredFile(String path, String content, String mode) {
    }

    private final JdbcClient jdbc;
    private final CurrentUser currentUser;
    private final GitOpsProperties properties;
    private final ApplicationEventPublisher events;
    private final ChangeSignal signal;

    Changes(JdbcClient jdbc, CurrentUser currentUser, GitOpsProperties properties, ApplicationEventPublisher events,
            ChangeSignal signal) {
        this.jdbc = jdbc;
        this.currentUser = currentUser;
        this.properties = properties;
        this.events = events;
        this.signal = signal;
    }

    /**
     * Stores a pending change in the caller's transaction; the worker is woken once it commits.
     * The caller has checked who may ask for it.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public ChangeRecord enqueue(UUID serviceId, String title, String requestedBy, List<FileWrite> files) {
        return insert(UUID.randomUUID(), serviceId, title, null, requestedBy, files, configuredMode(), "").orElseThrow();
    }

    /**
     * Like {@link #enqueue}, but committed straight to the branch in either mode: an environment
     * that follows its images deploys within seconds, with no pull request to wait for.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public ChangeRecord enqueueCommit(UUID id, UUID serviceId, String title, String requestedBy, List<FileWrite> files) {
        return insert(id, serviceId, title, null, requestedBy, files, "commit", "").orElseThrow();
    }

    /**
     * Stores a pending change that becomes a pull request in either mode, with {@code body} as its
     * description: a change that needs reviewers (a production promotion) is never committed straight.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public ChangeRecord enqueuePullRequest(UUID id, UUID serviceId, String title, String body, String requestedBy,
                                           List<FileWrite> files) {
        return insert(id, serviceId, title, body, requestedBy, files, "pull-request", "").orElseThrow();
    }

    /**
     * Stores a pending change of a given id unless one with that id exists already (replicas that
     * start together and plan the same change store it once).
     *
     * @return the change stored, or empty when that id was taken
     */
    @Transactional
    public Optional<ChangeRecord> enqueueOnce(UUID id, String title, String requestedBy, List<FileWrite> files) {
        return insert(id, null, title, null, requestedBy, files, configuredMode(), " on conflict (id) do nothing");
    }

    private String configuredMode() {
        return properties.mode() == GitOpsProperties.Mode.PULL_REQUEST ? "pull-request" : "commit";
    }

    private Optional<ChangeRecord> insert(UUID id, UUID serviceId, String title, String body, String requestedBy,
                                          List<FileWrite> files, String mode, String onConflict) {
        var stored = files.stream().map(f -> new StoredFile(f.path(), f.content(), f.mode().name())).toList();
        Optional<ChangeRecord> change = jdbc.sql("""
                        insert into changes (id, service_id, mode, title, body, files, requested_by)
                        values (?, ?, ?, ?, ?, ?::jsonb, ?)""" + onConflict + "\n" + """
                        returning id, service_id, mode, state, title, requested_by, requested_at, attempts, last_error,
                                  commit_sha, pull_request_id, pull_request_url, conflicting_paths, completed_at, merged_by""")
                .params(id, serviceId, mode, title, body, JSON.writeValueAsString(stored), requestedBy)
                .query((rs, n) -> record(rs)).optional();
        if (change.isEmpty()) {
            return change;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                signal.wake();
            }
        });
        return change;
    }

    /** One change, for anyone who may read Slipway. */
    @Transactional(readOnly = true)
    public ChangeRecord change(UUID id) {
        currentUser.requireReader();
        return find(id).orElseThrow(() -> new NotFoundException("There is no change " + id + "."));
    }

    @Transactional(readOnly = true)
    public List<ChangeRecord> ofService(UUID serviceId) {
        currentUser.requireReader();
        return jdbc.sql("select * from changes where service_id = ? order by requested_at desc").param(serviceId)
                .query((rs, n) -> record(rs)).list();
    }

    /** A change without a caller check: for views refreshing what their user already opened. */
    public Optional<ChangeRecord> find(UUID id) {
        return jdbc.sql("select * from changes where id = ?").param(id).query((rs, n) -> record(rs)).optional();
    }

    /** Several changes at once, by id, without a caller check (a list showing many promotions). */
    public java.util.Map<UUID, ChangeRecord> findAll(java.util.Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return java.util.Map.of();
        }
        var found = new java.util.HashMap<UUID, ChangeRecord>();
        jdbc.sql("select * from changes where id = any(?)").param(ids.toArray(UUID[]::new))
                .query((rs, n) -> record(rs)).list().forEach(c -> found.put(c.id(), c));
        return found;
    }

    /** The files a change writes, as stored (empty when they cannot be decoded). */
    List<FileWrite> filesOf(UUID id) {
        return jdbc.sql("select files from changes where id = ?").param(id).query((rs, n) -> {
            try {
                return files(rs);
            } catch (RuntimeException unreadable) {
                return List.<FileWrite>of();
            }
        }).optional().orElse(List.of());
    }

    /**
     * A change a worker holds under a lease, with the files to write; {@code unreadable} says why its
     * stored files could not be decoded (then there are none, and the change cannot be written).
     */
    record Claimed(ChangeRecord change, List<FileWrite> files, String unreadable, String body) {
    }

    /**
     * Claims up to {@code limit} due pending changes for {@code worker} until the lease ends. A
     * worker that dies loses its lease, and another worker takes its changes over.
     */
    @Transactional
    List<Claimed> claim(String worker, int limit, Duration lease) {
        return jdbc.sql("""
                        update changes set claimed_by = ?, claimed_until = now() + ?::interval, attempts = attempts + 1
                        where id in (
                            select id from changes
                            where state = 'pending' and next_attempt_at <= now()
                              and (claimed_until is null or claimed_until < now())
                            order by requested_at
                            limit ?
                            for update skip locked)
                        returning *""")
                .params(worker, lease.toMillis() + " milliseconds", limit)
                .query((rs, n) -> claimed(rs)).list()
                .stream().sorted(java.util.Comparator.comparing(c -> c.change().requestedAt())).toList();
    }

    /** An outcome to record: the state a change reached and what came with it. */
    record Completion(UUID id, ChangeState state, String commitSha, String pullRequestId, String pullRequestUrl,
                      List<String> conflictingPaths, String error) {
    }

    /**
     * Records outcomes in one statement; only the worker holding the lease may, so a late worker
     * cannot overwrite. Returns the ids it recorded.
     */
    @Transactional
    java.util.Set<UUID> complete(String worker, List<Completion> completions) {
        if (completions.isEmpty()) {
            return java.util.Set.of();
        }
        var recorded = new java.util.HashSet<>(jdbc.sql("""
                        update changes c set state = u.state, commit_sha = u.commit_sha, pull_request_id = u.pull_request_id,
                               pull_request_url = u.pull_request_url, conflicting_paths = u.conflicting_paths::jsonb,
                               last_error = u.error, completed_at = now(), claimed_by = null, claimed_until = null
                        from unnest(?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])
                            as u(id, state, commit_sha, pull_request_id, pull_request_url, conflicting_paths, error)
                        where c.id = u.id and c.state = 'pending' and c.claimed_by = ?
                        returning c.id""")
                .params(column(completions, c -> c.id().toString()), column(completions, c -> c.state().id()),
                        column(completions, Completion::commitSha), column(completions, Completion::pullRequestId),
                        column(completions, Completion::pullRequestUrl),
                        column(completions, c -> c.conflictingPaths() == null ? null : JSON.writeValueAsString(c.conflictingPaths())),
                        column(completions, Completion::error), worker)
                .query(UUID.class).list());
        completions.stream().filter(c -> recorded.contains(c.id()))
                .forEach(c -> events.publishEvent(new StateChanged(c.id(), c.state())));
        return recorded;
    }

    private static String[] column(List<Completion> completions, java.util.function.Function<Completion, String> field) {
        return completions.stream().map(field).toArray(String[]::new);
    }

    /** Changes whose pull request is open, oldest first: the watcher asks their provider how they are. */
    List<ChangeRecord> withOpenPullRequests(int limit) {
        return jdbc.sql("select * from changes where state = 'pull-request-open' order by requested_at limit ?")
                .param(limit).query((rs, n) -> record(rs)).list();
    }

    /** A pull request moved on (merged, closed, conflicting): recorded once, whoever sees it first. */
    @Transactional
    boolean pullRequestMoved(UUID id, ChangeState state, String mergeCommitSha, String mergedBy, String error) {
        int updated = jdbc.sql("""
                        update changes set state = ?, commit_sha = coalesce(?, commit_sha), merged_by = ?, last_error = ?
                        where id = ? and state = 'pull-request-open'""")
                .params(state.id(), mergeCommitSha, mergedBy, error, id).update();
        if (updated == 1) {
            events.publishEvent(new StateChanged(id, state));
        }
        return updated == 1;
    }

    /** The remote was unreachable: the change waits, with the reason, and is tried again later. */
    @Transactional
    void postpone(UUID id, String worker, String error, Duration delay) {
        jdbc.sql("""
                        update changes set last_error = ?, next_attempt_at = now() + ?::interval,
                               claimed_by = null, claimed_until = null
                        where id = ? and state = 'pending' and claimed_by = ?""")
                .params(error, delay.toMillis() + " milliseconds", id, worker).update();
        events.publishEvent(new StateChanged(id, ChangeState.PENDING));
    }

    /** A row that cannot be decoded is still claimed, with the reason: it must fail, not block those behind it. */
    private static Claimed claimed(ResultSet rs) throws SQLException {
        ChangeRecord change = record(rs);
        try {
            return new Claimed(change, files(rs), null, rs.getString("body"));
        } catch (RuntimeException unreadable) {
            return new Claimed(change, List.of(), "the stored change cannot be read: " + unreadable.getMessage(), null);
        }
    }

    private static List<FileWrite> files(ResultSet rs) throws SQLException {
        var files = new ArrayList<FileWrite>();
        for (StoredFile file : JSON.readValue(rs.getString("files"), FILES)) {
            files.add(new FileWrite(file.path(), file.content(), FileWrite.Mode.valueOf(file.mode())));
        }
        return files;
    }

    private static ChangeRecord record(ResultSet rs) throws SQLException {
        String conflicting = rs.getString("conflicting_paths");
        return new ChangeRecord(rs.getObject("id", UUID.class), rs.getObject("service_id", UUID.class),
                rs.getString("mode"), ChangeState.fromId(rs.getString("state")), rs.getString("title"),
                rs.getString("requested_by"), rs.getTimestamp("requested_at").toInstant(), rs.getInt("attempts"),
                rs.getString("last_error"), rs.getString("commit_sha"), rs.getString("pull_request_id"),
                rs.getString("pull_request_url"),
                conflicting == null ? List.of() : JSON.readValue(conflicting, new TypeReference<List<String>>() { }),
                rs.getTimestamp("completed_at") == null ? null : rs.getTimestamp("completed_at").toInstant(),
                rs.getString("merged_by"));
    }
}
