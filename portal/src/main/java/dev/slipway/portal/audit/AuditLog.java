package dev.slipway.portal.audit;

import dev.slipway.portal.security.CurrentUser;
import dev.slipway.portal.security.Role;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The append-only audit log. Each entry's hash covers the previous entry's hash and its own
 * content, so changing or removing any entry breaks every hash after it; {@link #verify()} finds
 * the first broken link. Entries are written in the caller's transaction: an action and its entry
 * land together or not at all.
 */
@Component
public class AuditLog {

    public static final String GENESIS = "0".repeat(64);
    /** Serializes appends so that each entry chains to the one before it. */
    private static final long APPEND_LOCK = 0x51197A1L;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JdbcClient jdbc;
    private final CurrentUser currentUser;

    AuditLog(JdbcClient jdbc, CurrentUser currentUser) {
        this.jdbc = jdbc;
        this.currentUser = currentUser;
    }

    public record Verification(boolean intact, long entries, Long firstBrokenSeq, String problem) {
    }

    /** Appends an entry in the current transaction (there must be one). */
    @Transactional(propagation = Propagation.MANDATORY)
    public void record(String actor, String action, String subject, Map<String, String> details) {
        recordAll(List.of(new Entry(actor, action, subject, details)));
    }

    /** What {@link #recordAll} appends. */
    public record Entry(String actor, String action, String subject, Map<String, String> details) {
    }

    /**
     * Appends entries in order in the current transaction, with one lock and one round trip for
     * all of them (a batch of changes written to Git is recorded at once).
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void recordAll(List<Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        jdbc.sql("select pg_advisory_xact_lock(?)").param(APPEND_LOCK).query(rs -> { });
        String previous = jdbc.sql("select hash from audit_entries order by seq desc limit 1")
                .query(String.class).optional().orElse(GENESIS);
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        int n = entries.size();
        String[] actors = new String[n];
        String[] actions = new String[n];
        String[] subjects = new String[n];
        String[] details = new String[n];
        String[] previousHashes = new String[n];
        String[] hashes = new String[n];
        for (int i = 0; i < n; i++) {
            Entry entry = entries.get(i);
            var sorted = new TreeMap<>(entry.details());
            actors[i] = entry.actor();
            actions[i] = entry.action();
            subjects[i] = entry.subject();
            details[i] = JSON.writeValueAsString(sorted);
            previousHashes[i] = previous;
            hashes[i] = hash(previous, at, entry.actor(), entry.action(), entry.subject(), sorted);
            previous = hashes[i];
        }
        // the identity column numbers them in the order given, which is the order of the chain
        jdbc.sql("""
                        insert into audit_entries (at, actor, action, subject, details, previous_hash, hash)
                        select ?::timestamptz, actor, action, subject, details, previous_hash, hash
                        from unnest(?::text[], ?::text[], ?::text[], ?::jsonb[], ?::text[], ?::text[])
                            with ordinality as e(actor, action, subject, details, previous_hash, hash, n)
                        order by n""")
                .params(at.toString(), actors, actions, subjects, details, previousHashes, hashes)
                .update();
    }

    /**
     * What the audit view narrows entries to; nulls match all. An entry concerns a team or a
     * service when its subject is the service ({@code service/<team>/<name>}) or its details name
     * them (promotions, waivers); {@code action} ending in a dot matches every action it starts
     * (e.g. {@code promotion.}).
     */
    public record Filter(String team, String service, String actor, String action, Instant from, Instant to) {
        public static final Filter ALL = new Filter(null, null, null, null, null, null);
    }

    /** The newest entries first; platform admins only. */
    @Transactional(readOnly = true)
    public List<AuditEntry> entries(int offset, int limit) {
        return entries(Filter.ALL, offset, limit);
    }

    /** The newest entries that match, first; platform admins only. */
    @Transactional(readOnly = true)
    public List<AuditEntry> entries(Filter filter, int offset, int limit) {
        currentUser.require(Role.PLATFORM_ADMIN);
        var where = new StringBuilder(" where true");
        var params = new java.util.ArrayList<Object>();
        if (filter.team() != null) {
            where.append(" and (subject like ? or details->>'team' = ?)");
            params.add("service/" + like(filter.team()) + "/%");
            params.add(filter.team());
        }
        if (filter.service() != null) {
            where.append(" and (subject like ? or details->>'service' = ?)");
            params.add("service/%/" + like(filter.service()));
            params.add(filter.service());
        }
        if (filter.actor() != null) {
            where.append(" and actor = ?");
            params.add(filter.actor());
        }
        if (filter.action() != null) {
            where.append(filter.action().endsWith(".") ? " and action like ?" : " and action = ?");
            params.add(filter.action().endsWith(".") ? like(filter.action()) + "%" : filter.action());
        }
        if (filter.from() != null) {
            where.append(" and at >= ?");
            params.add(java.sql.Timestamp.from(filter.from()));
        }
        if (filter.to() != null) {
            where.append(" and at < ?");
            params.add(java.sql.Timestamp.from(filter.to()));
        }
        params.add(Math.max(0, offset));
        params.add(Math.clamp(limit, 1, 500));
        return jdbc.sql("select * from audit_entries" + where + " order by seq desc offset ? limit ?")
                .params(params)
                .query((rs, n) -> new AuditEntry(rs.getLong("seq"), rs.getTimestamp("at").toInstant(),
                        rs.getString("actor"), rs.getString("action"), rs.getString("subject"),
                        JSON.readValue(rs.getString("details"), new TypeReference<TreeMap<String, String>>() { }),
                        rs.getString("previous_hash"), rs.getString("hash")))
                .list();
    }

    /** Recomputes the whole chain; platform admins only. */
    @Transactional(readOnly = true)
    public Verification verify() {
        currentUser.require(Role.PLATFORM_ADMIN);
        var state = new Object() {
            String previous = GENESIS;
            long count;
            Long broken;
            String problem;
        };
        jdbc.sql("select * from audit_entries order by seq").query(rs -> {
            state.count++;
            if (state.broken != null) {
                return;
            }
            long seq = rs.getLong("seq");
            var details = JSON.readValue(rs.getString("details"), new TypeReference<TreeMap<String, String>>() { });
            String expected = hash(rs.getString("previous_hash"), rs.getTimestamp("at").toInstant(),
                    rs.getString("actor"), rs.getString("action"), rs.getString("subject"), details);
            if (!rs.getString("previous_hash").equals(state.previous)) {
                state.broken = seq;
                state.problem = "entry " + seq + " does not follow the entry before it (one was removed or reordered)";
            } else if (!expected.equals(rs.getString("hash"))) {
                state.broken = seq;
                state.problem = "entry " + seq + " was changed after it was written";
            }
            state.previous = rs.getString("hash");
        });
        return new Verification(state.broken == null, state.count, state.broken, state.problem);
    }

    private static String like(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    static String hash(String previous, Instant at, String actor, String action, String subject,
                       Map<String, String> details) {
        String content = String.join("\n", previous, at.truncatedTo(ChronoUnit.MICROS).toString(), actor, action,
                subject, JSON.writeValueAsString(new TreeMap<>(details)));
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(content.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
