package dev.slipway.portal.promotion;

import dev.slipway.portal.gitops.ChangeRecord;
import dev.slipway.portal.gitops.Changes;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The promotions table and its record (transitions, decisions): reads and the statements that move a row. */
@Component
class PromotionRecords {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<List<Promotion.Reason>> REASONS = new TypeReference<>() { };

    /** A promotion's row, as the flow works with it. */
    record Row(UUID id, UUID serviceId, String team, String service, String environment, String registry,
               String repository, String digest, String tag, PromotionState state, List<Promotion.Reason> reasons,
               Promotion.Gate gate, boolean rollback, boolean needsApproval, int requiredApprovals, String requestedBy,
               Instant requestedAt, Instant updatedAt, UUID changeId, UUID supersededBy, Instant deployingSince,
               int attempts, Instant nextAttemptAt, String lastError, String closeComment) {

        String image() {
            return registry + "/" + repository + "@" + digest;
        }

        String label() {
            return (tag == null ? shortDigest(digest) : tag + " (" + shortDigest(digest) + ")");
        }
    }

    /** What a list may be narrowed to (nulls: any). */
    record Filter(PromotionState state, String team, String service, String environment) {
    }

    private final JdbcClient jdbc;
    private final Changes changes;

    PromotionRecords(JdbcClient jdbc, Changes changes) {
        this.jdbc = jdbc;
        this.changes = changes;
    }

    void insert(Row row) {
        jdbc.sql("""
                        insert into promotions (id, service_id, team, service, environment, registry, repository, digest, tag,
                                                state, rollback, needs_approval, required_approvals, requested_by,
                                                requested_at, updated_at)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(row.id(), row.serviceId(), row.team(), row.service(), row.environment(), row.registry(),
                        row.repository(), row.digest(), row.tag(), row.state().id(), row.rollback(), row.needsApproval(),
                        row.requiredApprovals(), row.requestedBy(), ts(row.requestedAt()), ts(row.updatedAt()))
                .update();
    }

    Optional<Row> find(UUID id) {
        return jdbc.sql("select * from promotions where id = ?").param(id).query((rs, n) -> row(rs)).optional();
    }

    /**
     * The row, locked until the transaction ends: every move of a promotion starts here. Its service
     * environment is locked first, as a request locks it before the rows it supersedes: one order for
     * every move, so that none waits for another in a circle, and two promotions of one environment
     * never go on past the gate at the same moment.
     */
    Optional<Row> lock(UUID id) {
        Optional<Row> unlocked = find(id);
        if (unlocked.isEmpty()) {
            return unlocked;
        }
        lockEnvironment(unlocked.get().serviceId(), unlocked.get().environment());
        return jdbc.sql("select * from promotions where id = ? for update").param(id).query((rs, n) -> row(rs)).optional();
    }

    /** Serializes the requests for one service environment across replicas (until the transaction ends). */
    void lockEnvironment(UUID serviceId, String environment) {
        jdbc.sql("select pg_advisory_xact_lock(hashtext(?::text || '/' || ?))").params(serviceId, environment)
                .query(Object.class).single();
    }

    /** Those not yet written to Git for this service environment: a newer request replaces them. */
    List<Row> replaceable(UUID serviceId, String environment) {
        return jdbc.sql("""
                        select * from promotions where service_id = ? and environment = ?
                          and state in ('requested', 'blocked', 'awaiting-approval') for update""")
                .params(serviceId, environment).query((rs, n) -> row(rs)).list();
    }

    /** Moves a row to a state, with the transition; the caller holds the row's lock. */
    void move(Row row, PromotionState state, String actor, String reason, Instant at) {
        jdbc.sql("update promotions set state = ?, updated_at = ? where id = ?").params(state.id(), ts(at), row.id())
                .update();
        jdbc.sql("insert into promotion_transitions (promotion_id, state, actor, reason, at) values (?, ?, ?, ?, ?)")
                .params(row.id(), state.id(), actor, reason, ts(at)).update();
    }

    void setReasons(UUID id, List<Promotion.Reason> reasons, Promotion.Gate gate) {
        jdbc.sql("update promotions set reasons = ?::jsonb, gate = ?::jsonb where id = ?")
                .params(JSON.writeValueAsString(reasons), gate == null ? null : JSON.writeValueAsString(gate), id).update();
    }

    void setChange(UUID id, UUID changeId) {
        jdbc.sql("update promotions set change_id = ? where id = ?").params(changeId, id).update();
    }

    void superseded(UUID id, UUID by, String closeComment) {
        jdbc.sql("update promotions set superseded_by = ?, close_comment = ? where id = ?")
                .params(by, closeComment, id).update();
    }

    void closeWith(UUID id, String comment) {
        jdbc.sql("update promotions set close_comment = ? where id = ?").params(comment, id).update();
    }

    void closed(UUID id) {
        jdbc.sql("update promotions set close_comment = null where id = ?").param(id).update();
    }

    void deploying(UUID id, Instant since) {
        jdbc.sql("update promotions set deploying_since = ?, last_error = null where id = ?").params(ts(since), id).update();
    }

    void mergeDue(UUID id, Instant at) {
        jdbc.sql("update promotions set next_attempt_at = ?, attempts = 0, last_error = null where id = ?")
                .params(ts(at), id).update();
    }

    /** A merge that did not succeed: tried again after a back-off, the approval kept. */
    void mergeFailed(UUID id, String error, Instant retryAt) {
        jdbc.sql("update promotions set attempts = attempts + 1, last_error = ?, next_attempt_at = ? where id = ?")
                .params(error, ts(retryAt), id).update();
    }

    /** Claims the due merges for a while, so that one replica tries each at a time. */
    List<Row> claimMerges(Instant now, Duration lease, int limit) {
        return jdbc.sql("""
                        update promotions set next_attempt_at = ? where id in (
                            select id from promotions where state = 'committing' and next_attempt_at <= ?
                            order by next_attempt_at limit ? for update skip locked)
                        returning *""")
                .params(ts(now.plus(lease)), ts(now), limit).query((rs, n) -> row(rs)).list();
    }

    /** The promotions in a state, oldest first. */
    List<Row> inState(PromotionState state, int limit) {
        return jdbc.sql("select * from promotions where state = ? order by requested_at limit ?")
                .params(state.id(), limit).query((rs, n) -> row(rs)).list();
    }

    /** Ids of the promotions in these states, oldest first. */
    List<UUID> idsIn(List<PromotionState> states, int limit) {
        return jdbc.sql("select id from promotions where state = any(?) order by requested_at limit ?")
                .params(states.stream().map(PromotionState::id).toArray(String[]::new), limit)
                .query(UUID.class).list();
    }

    /** Those undecided since before {@code cutoff}, oldest first. */
    List<UUID> undecidedSince(Instant cutoff, int limit) {
        return jdbc.sql("""
                        select id from promotions where state in ('requested', 'blocked', 'awaiting-approval')
                          and requested_at <= ? order by requested_at limit ?""")
                .params(ts(cutoff), limit).query(UUID.class).list();
    }

    /** Each promotion in these states with the Git change it waits for. */
    Map<UUID, UUID> changesOf(List<PromotionState> states) {
        var changesById = new java.util.LinkedHashMap<UUID, UUID>();
        jdbc.sql("select id, change_id from promotions where state = any(?) and change_id is not null order by requested_at")
                .param(states.stream().map(PromotionState::id).toArray(String[]::new))
                .query(rs -> {
                    changesById.put(rs.getObject("id", UUID.class), rs.getObject("change_id", UUID.class));
                });
        return changesById;
    }

    List<UUID> ofChange(UUID changeId) {
        return jdbc.sql("select id from promotions where change_id = ?").param(changeId).query(UUID.class).list();
    }

    List<UUID> toClose(int limit) {
        return jdbc.sql("select id from promotions where close_comment is not null order by updated_at limit ?")
                .param(limit).query(UUID.class).list();
    }

    boolean decided(UUID id, String by) {
        return jdbc.sql("select 1 from promotion_decisions where promotion_id = ? and decided_by = ?").params(id, by)
                .query(Integer.class).optional().isPresent();
    }

    void decide(UUID id, String by, String decision, String comment, Instant at) {
        jdbc.sql("insert into promotion_decisions (promotion_id, decided_by, decision, comment, at) values (?, ?, ?, ?, ?)")
                .params(id, by, decision, comment == null ? "" : comment, ts(at)).update();
    }

    int approvals(UUID id) {
        return jdbc.sql("select count(*) from promotion_decisions where promotion_id = ? and decision = 'approved'")
                .param(id).query(Integer.class).single();
    }

    /** Whether the digest was deployed by a promotion to this service environment before. */
    boolean deployedBefore(UUID serviceId, String environment, String digest) {
        return jdbc.sql("""
                        select 1 from promotions where service_id = ? and environment = ? and digest = ? and state = 'deployed'
                        limit 1""").params(serviceId, environment, digest).query(Integer.class).optional().isPresent();
    }

    List<Row> list(Filter filter, int offset, int limit) {
        var where = new StringBuilder(" where true");
        var params = new ArrayList<Object>();
        if (filter.state() != null) {
            where.append(" and state = ?");
            params.add(filter.state().id());
        }
        if (filter.team() != null) {
            where.append(" and team = ?");
            params.add(filter.team());
        }
        if (filter.service() != null) {
            where.append(" and service = ?");
            params.add(filter.service());
        }
        if (filter.environment() != null) {
            where.append(" and environment = ?");
            params.add(filter.environment());
        }
        params.add(offset);
        params.add(limit);
        return jdbc.sql("select * from promotions" + where + " order by requested_at desc, id offset ? limit ?")
                .params(params).query((rs, n) -> row(rs)).list();
    }

    /** QA's queue: those awaiting approval, oldest first. */
    List<Row> awaitingApproval(int offset, int limit) {
        return jdbc.sql("""
                        select * from promotions where state = 'awaiting-approval' order by requested_at, id offset ? limit ?""")
                .params(offset, limit).query((rs, n) -> row(rs)).list();
    }

    int countAwaitingApproval() {
        return jdbc.sql("select count(*) from promotions where state = 'awaiting-approval'").query(Integer.class).single();
    }

    /** The rows as the API shows them, with their records, in a few statements for all of them. */
    List<Promotion> views(List<Row> rows, boolean withRecord, Duration approvalTimeout) {
        if (rows.isEmpty()) {
            return List.of();
        }
        UUID[] ids = rows.stream().map(Row::id).toArray(UUID[]::new);
        Map<UUID, List<Promotion.Transition>> transitions = new HashMap<>();
        Map<UUID, List<Promotion.Decision>> decisions = new HashMap<>();
        Map<UUID, Integer> approvals = new HashMap<>();
        jdbc.sql("select * from promotion_decisions where promotion_id = any(?) order by at").param(ids).query(rs -> {
            UUID id = rs.getObject("promotion_id", UUID.class);
            decisions.computeIfAbsent(id, k -> new ArrayList<>()).add(new Promotion.Decision(rs.getString("decided_by"),
                    rs.getString("decision"), rs.getString("comment"), rs.getTimestamp("at").toInstant()));
            if (rs.getString("decision").equals("approved")) {
                approvals.merge(id, 1, Integer::sum);
            }
        });
        if (withRecord) {
            jdbc.sql("select * from promotion_transitions where promotion_id = any(?) order by id").param(ids).query(rs -> {
                transitions.computeIfAbsent(rs.getObject("promotion_id", UUID.class), k -> new ArrayList<>())
                        .add(new Promotion.Transition(PromotionState.fromId(rs.getString("state")), rs.getString("actor"),
                                rs.getString("reason"), rs.getTimestamp("at").toInstant()));
            });
        }
        Map<UUID, ChangeRecord> written = changes.findAll(rows.stream().map(Row::changeId)
                .filter(java.util.Objects::nonNull).toList());
        var views = new ArrayList<Promotion>();
        for (Row row : rows) {
            Optional<ChangeRecord> change = Optional.ofNullable(row.changeId() == null ? null : written.get(row.changeId()));
            Promotion.PullRequest pullRequest = change.filter(c -> c.pullRequestId() != null)
                    .map(c -> new Promotion.PullRequest(c.pullRequestId(), c.pullRequestUrl(), c.state().id()))
                    .orElse(null);
            String commit = change.map(ChangeRecord::commitSha).orElse(null);
            views.add(new Promotion(row.id(), row.team(), row.service(), row.environment(), row.image(), row.digest(),
                    row.tag(), row.state(), row.reasons(), row.rollback(), row.needsApproval(), row.requiredApprovals(),
                    approvals.getOrDefault(row.id(), 0), row.requestedBy(), row.requestedAt(), row.updatedAt(),
                    PromotionState.REPLACEABLE.contains(row.state()) ? row.requestedAt().plus(approvalTimeout) : null,
                    row.changeId(), pullRequest,
                    commit, row.supersededBy(), row.lastError(),
                    withRecord ? transitions.getOrDefault(row.id(), List.of()) : List.of(),
                    decisions.getOrDefault(row.id(), List.of()), row.gate()));
        }
        return views;
    }

    private static Row row(ResultSet rs) throws SQLException {
        String gate = rs.getString("gate");
        return new Row(rs.getObject("id", UUID.class), rs.getObject("service_id", UUID.class), rs.getString("team"),
                rs.getString("service"), rs.getString("environment"), rs.getString("registry"),
                rs.getString("repository"), rs.getString("digest"), rs.getString("tag"),
                PromotionState.fromId(rs.getString("state")), JSON.readValue(rs.getString("reasons"), REASONS),
                gate == null ? null : JSON.readValue(gate, Promotion.Gate.class), rs.getBoolean("rollback"),
                rs.getBoolean("needs_approval"), rs.getInt("required_approvals"), rs.getString("requested_by"),
                instant(rs, "requested_at"), instant(rs, "updated_at"), rs.getObject("change_id", UUID.class),
                rs.getObject("superseded_by", UUID.class), instant(rs, "deploying_since"), rs.getInt("attempts"),
                instant(rs, "next_attempt_at"), rs.getString("last_error"), rs.getString("close_comment"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }

    static Timestamp ts(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    static String shortDigest(String digest) {
        int colon = digest.indexOf(':');
        return digest.substring(0, Math.min(digest.length(), colon + 13));
    }
}
