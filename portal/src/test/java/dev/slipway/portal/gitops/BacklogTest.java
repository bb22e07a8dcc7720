package dev.slipway.portal.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The gate in front of new changes: a creation waits while the writer is behind, goes on as soon
 * as the writer takes the waiting changes, never waits past the longest wait, and is never held by
 * changes that wait for an unreachable remote. No worker runs here: the test plays the writer.
 */
class BacklogTest {

    static EmbeddedPostgres postgres;
    static JdbcClient jdbc;

    @BeforeAll
    static void database() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        Flyway.configure().dataSource(postgres.getPostgresDatabase()).locations("classpath:db/migration").load().migrate();
        jdbc = JdbcClient.create(postgres.getPostgresDatabase());
    }

    @AfterAll
    static void stop() throws Exception {
        postgres.close();
    }

    @BeforeEach
    void noChanges() {
        jdbc.sql("delete from changes").update();
    }

    @Test
    void aCreationGoesOnAtOnceWhileTheWriterKeepsUp() throws Exception {
        Backlog backlog = backlog(3, Duration.ofSeconds(30));
        due(2);

        var passing = CompletableFuture.supplyAsync(backlog::pass);

        passing.get(5, TimeUnit.SECONDS).close();
    }

    @Test
    void aCreationWaitsWhileTheWriterIsBehindAndGoesOnOnceTheWriterTakesTheChanges() throws Exception {
        Backlog backlog = backlog(3, Duration.ofSeconds(30));
        due(3);

        var passing = CompletableFuture.supplyAsync(backlog::pass);
        assertStillWaiting(passing);

        jdbc.sql("update changes set claimed_by = 'worker-1', claimed_until = now() + interval '1 minute'").update();
        backlog.moved();
        passing.get(5, TimeUnit.SECONDS).close();
    }

    @Test
    void requestsAlreadyPastTheGateCountUntilTheirChangeIsStoredOrGivenUp() throws Exception {
        Backlog backlog = backlog(2, Duration.ofSeconds(30));
        Backlog.Passage first = backlog.pass();
        Backlog.Passage second = backlog.pass();

        var third = CompletableFuture.supplyAsync(backlog::pass);
        assertStillWaiting(third);

        first.close();
        third.get(5, TimeUnit.SECONDS).close();
        second.close();
    }

    @Test
    void aStalledWriterHoldsACreationNoLongerThanTheLongestWait() throws Exception {
        Backlog backlog = backlog(3, Duration.ofMillis(1500));
        due(5);

        long start = System.nanoTime();
        backlog.pass().close();
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(waited).isBetween(1400L, 10_000L);
    }

    @Test
    void changesWaitingForAnUnreachableRemoteHoldNobody() throws Exception {
        Backlog backlog = backlog(3, Duration.ofSeconds(30));
        due(10);
        jdbc.sql("update changes set next_attempt_at = now() + interval '1 minute', last_error = 'unreachable'").update();

        CompletableFuture.supplyAsync(backlog::pass).get(5, TimeUnit.SECONDS).close();
    }

    @Test
    void withoutALimitNobodyWaits() throws Exception {
        Backlog backlog = backlog(0, Duration.ofSeconds(30));
        due(10);

        CompletableFuture.supplyAsync(backlog::pass).get(5, TimeUnit.SECONDS).close();
    }

    @Test
    void aDatabaseThatCannotCountHoldsNobodyAndLeavesTheGateAsItWas() throws Exception {
        var unreachable = new org.springframework.jdbc.datasource.DriverManagerDataSource(
                "jdbc:postgresql://127.0.0.1:1/none?connectTimeout=2", "nobody", "none");
        Backlog backlog = backlog(JdbcClient.create(unreachable), 1, Duration.ofSeconds(30));

        CompletableFuture.supplyAsync(backlog::pass).get(10, TimeUnit.SECONDS).close();
        // the first request's passage was given back: the next one is not held either
        CompletableFuture.supplyAsync(backlog::pass).get(10, TimeUnit.SECONDS).close();
    }

    private static Backlog backlog(int limit, Duration maxWait) {
        return backlog(jdbc, limit, maxWait);
    }

    private static Backlog backlog(JdbcClient database, int limit, Duration maxWait) {
        var properties = new GitOpsProperties(null, null, null, null, null, null, 64,
                new GitOpsProperties.BacklogGate(limit, maxWait), null, null, null);
        return new Backlog(database, properties);
    }

    /** Pending changes that are due and that no writer has taken. */
    private static void due(int count) {
        for (int i = 0; i < count; i++) {
            jdbc.sql("""
                            insert into changes (id, mode, title, files, requested_by)
                            values (?, 'commit', 'Create service', '[{"path": "a.yaml"}]'::jsonb, 'dev-alice')""")
                    .param(UUID.randomUUID()).update();
        }
    }

    private static void assertStillWaiting(CompletableFuture<Backlog.Passage> passing) throws Exception {
        try {
            passing.get(700, TimeUnit.MILLISECONDS).close();
            throw new AssertionError("the creation went on although the writer was behind");
        } catch (TimeoutException waiting) {
            // as it should
        }
    }
}
