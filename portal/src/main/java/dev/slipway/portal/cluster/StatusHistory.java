package dev.slipway.portal.cluster;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The state changes of every service environment, stored (the last {@value #KEPT} of each), so that
 * a restart keeps them and a promotion can wait for "healthy with digest D". Written off the
 * informers' threads, one at a time; a state is stored only when it differs from the last one stored
 * (so replicas, and a restart rebuilding the model, store each change once).
 */
@Component
public class StatusHistory implements SmartLifecycle {

    static final int KEPT = 100;
    private static final Logger log = LoggerFactory.getLogger(StatusHistory.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A stored state change. */
    public record Transition(String state, String reason, String message, Map<String, Integer> running, Instant at) {
    }

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final StatusModel model;
    private ExecutorService writer;
    private Runnable registration;
    // the last state handed to the writer per service environment: most changes a user sees (a pod's
    // readiness, a digest's count) are no change of state and need no round trip to the database
    private final Map<EnvironmentStatus.Key, EnvironmentStatus.State> lastState = new java.util.concurrent.ConcurrentHashMap<>();

    StatusHistory(JdbcClient jdbc, TransactionTemplate transactions, StatusModel model) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.model = model;
    }

    /** The newest transitions first. */
    public List<Transition> of(EnvironmentStatus.Key key, int limit) {
        return jdbc.sql("""
                        select state, reason, message, running::text as running, at from environment_transitions
                        where team = ? and service = ? and environment = ? order by at desc, id desc limit ?""")
                .params(key.team(), key.service(), key.environment(), Math.min(limit, KEPT))
                .query((rs, n) -> new Transition(rs.getString("state"), rs.getString("reason"), rs.getString("message"),
                        running(rs.getString("running")), rs.getTimestamp("at").toInstant()))
                .list();
    }

    void record(EnvironmentStatus status) {
        transactions.executeWithoutResult(tx -> {
            EnvironmentStatus.Key key = status.key();
            // one writer per service environment across replicas, for the check and the insert together
            jdbc.sql("select pg_advisory_xact_lock(hashtext(? || '/' || ? || '/' || ?))")
                    .params(key.team(), key.service(), key.environment()).query(Object.class).single();
            String last = jdbc.sql("""
                            select state from environment_transitions where team = ? and service = ? and environment = ?
                            order by at desc, id desc limit 1""")
                    .params(key.team(), key.service(), key.environment()).query(String.class).optional().orElse(null);
            if (status.state().id().equals(last)) {
                return;
            }
            jdbc.sql("""
                            insert into environment_transitions (team, service, environment, state, reason, message, running, at)
                            values (?, ?, ?, ?, ?, ?, ?::jsonb, ?)""")
                    .params(key.team(), key.service(), key.environment(), status.state().id(), status.reason(),
                            status.message(), JSON.writeValueAsString(status.running()), Timestamp.from(status.since()))
                    .update();
            jdbc.sql("""
                            delete from environment_transitions where team = ? and service = ? and environment = ? and id not in (
                                select id from environment_transitions where team = ? and service = ? and environment = ?
                                order by at desc, id desc limit ?)""")
                    .params(key.team(), key.service(), key.environment(), key.team(), key.service(), key.environment(), KEPT)
                    .update();
        });
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Integer> running(String json) {
        return json == null ? Map.of() : JSON.readValue(json, Map.class);
    }

    @Override
    public void start() {
        writer = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("slipway-status-history").daemon().factory());
        registration = model.listen(status -> {
            if (lastState.put(status.key(), status.state()) == status.state()) {
                return;
            }
            writer.execute(() -> {
                try {
                    record(status);
                } catch (RuntimeException e) {
                    lastState.remove(status.key()); // the next change tries again
                    log.warn("Could not store the status of {}: {}", status.key(), e.getMessage());
                }
            });
        });
    }

    @Override
    public void stop() {
        if (registration != null) {
            registration.run();
        }
        writer.shutdown();
        try {
            writer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return writer != null && !writer.isShutdown();
    }
}
