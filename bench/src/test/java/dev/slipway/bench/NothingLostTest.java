package dev.slipway.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4, section 3: the packaged portal as a child process, a PostgreSQL of the test's own (so it
 * outlives a killed portal and can be queried directly), a bare repository as the GitOps remote.
 * Nothing accepted is lost, nothing is written twice, nothing unaccepted is written.
 */
class NothingLostTest {

    private static final Duration READY = Duration.ofSeconds(90);

    private static Path root;
    private static Postgres postgres;
    private final List<PortalProcess> portals = new ArrayList<>();

    @TempDir
    Path dir;

    @BeforeAll
    static void database() throws Exception {
        root = Files.createTempDirectory("slipway-nothing-lost-");
        postgres = Postgres.start(root.resolve("postgres"));
    }

    @AfterAll
    static void stopDatabase() {
        if (postgres != null) {
            postgres.close();
        }
        NaiveWriter.deleteTree(root);
    }

    @AfterEach
    void killPortals() {
        portals.forEach(PortalProcess::close);
    }

    @Test
    @Timeout(240)
    void sigkillDuringABurstLosesAndDuplicatesNothing() throws Exception {
        Postgres.Database database = postgres.createDatabase("sigkill");
        GitRemote remote = GitRemote.createBare(dir.resolve("remote.git"));
        var options = PortalProcess.Options.of(dir.resolve("portal"), PortalProcess.env(database, remote.directory().toString()));
        PortalProcess portal = start(options);

        var killed = new AtomicBoolean();
        var firstAccepted = new AtomicReference<Long>();
        var accepted = new AtomicInteger();
        try (SlipwayApi api = new SlipwayApi(portal.base())) {
            Burst.Running burst = new Burst(8, 5_000, "kill", c -> api)
                    .keepGoing(() -> !killed.get())
                    .maxDuration(Duration.ofSeconds(60))
                    .onAnswer(c -> {
                        if (c.accepted()) {
                            firstAccepted.compareAndSet(null, System.nanoTime());
                            accepted.incrementAndGet();
                        }
                    })
                    .start();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while ((firstAccepted.get() == null || System.nanoTime() - firstAccepted.get() < 2_500_000_000L)
                    && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            int acceptedBeforeKill = accepted.get();
            portal.kill();
            killed.set(true);
            List<SlipwayApi.Creation> creations = burst.await(Duration.ofSeconds(60));

            assertThat(acceptedBeforeKill).as("creations accepted before the kill").isGreaterThan(10);
            Map<SlipwayApi.Outcome, Long> outcomes = count(creations);
            assertThat(outcomes.getOrDefault(SlipwayApi.Outcome.REFUSED, 0L))
                    .as("refused: %s", creations.stream().filter(c -> c.outcome() == SlipwayApi.Outcome.REFUSED).findFirst())
                    .isZero();
            assertThat(outcomes.getOrDefault(SlipwayApi.Outcome.NO_ANSWER, 0L)).as("requests cut off by the kill")
                    .isPositive();
            State atKill = state(database);
            System.out.printf("sigkill: %s; at the kill: %d changes stored, %d pending, %d of them leased%n", outcomes,
                    atKill.changes().size(), atKill.pending(), atKill.leased());

            long restarted = System.nanoTime();
            PortalProcess again = start(options);
            awaitNothingPending(database, Duration.ofSeconds(150));
            System.out.printf("sigkill: everything committed %.1f s after the restart began%n",
                    (System.nanoTime() - restarted) / 1e9);

            try (SlipwayApi restartedApi = new SlipwayApi(again.base())) {
                for (SlipwayApi.Creation creation : creations) {
                    if (creation.accepted()) {
                        assertThat(restartedApi.change(creation.changeId()).path("state").asText())
                                .as("change of %s", creation.request().name()).isEqualTo("committed");
                    }
                }
            }
            assertConsistent(database, remote, creations);
        }
    }

    @Test
    @Timeout(240)
    void aLocalModePortalKilledWithSigkillStartsAgainAtOnceAndCommitsEverythingOnce() throws Exception {
        // local mode as a newcomer runs it: its own embedded PostgreSQL and its own remote in the data directory,
        // both of which the killed portal leaves behind (the database server still running)
        Path data = dir.resolve("local");
        var options = PortalProcess.Options.of(data, Map.of());
        PortalProcess portal = start(options);
        var killed = new AtomicBoolean();
        var accepted = new AtomicInteger();
        List<SlipwayApi.Creation> creations;
        try (SlipwayApi api = new SlipwayApi(portal.base())) {
            Burst.Running burst = new Burst(4, 5_000, "local", c -> api).keepGoing(() -> !killed.get())
                    .maxDuration(Duration.ofSeconds(60))
                    .onAnswer(c -> {
                        if (c.accepted()) {
                            accepted.incrementAndGet();
                        }
                    })
                    .start();
            long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
            while (accepted.get() < 40 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            portal.kill();
            killed.set(true);
            creations = burst.await(Duration.ofSeconds(60));
        }
        assertThat(accepted.get()).as("creations accepted before the kill").isGreaterThanOrEqualTo(40);

        // at once, on the same data directory
        long restarted = System.nanoTime();
        PortalProcess again = start(options);
        System.out.printf("local-mode sigkill: %d accepted before the kill; ready again %.1f s after the restart began%n",
                accepted.get(), (System.nanoTime() - restarted) / 1e9);
        assertThat(Files.readString(again.log())).as("the restart found the killed portal's PostgreSQL")
                .contains("An earlier portal left PostgreSQL");
        GitRemote remote = GitRemote.at(data.resolve("gitops.git"));
        try (SlipwayApi api = new SlipwayApi(again.base())) {
            for (SlipwayApi.Creation creation : creations) {
                if (creation.accepted()) {
                    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                    String state = api.change(creation.changeId()).path("state").asText();
                    while (!state.equals("committed") && System.nanoTime() < deadline) {
                        Thread.sleep(100);
                        state = api.change(creation.changeId()).path("state").asText();
                    }
                    assertThat(state).as("change of %s", creation.request().name()).isEqualTo("committed");
                }
            }
        }
        Map<String, List<String>> onRemote = remote.commitsByChangeId();
        for (SlipwayApi.Creation creation : creations) {
            if (creation.accepted()) {
                assertThat(onRemote.getOrDefault(creation.changeId(), List.of()))
                        .as("commits carrying %s", creation.changeId()).hasSize(1);
            }
        }
        assertThat(onRemote.values()).allSatisfy(commits -> assertThat(commits).hasSize(1));
        // and it stops its database with it
        assertThat(again.stop(Duration.ofSeconds(30))).as("the restarted portal exited on SIGTERM").isTrue();
        assertThat(data.resolve("postgres/postmaster.pid")).doesNotExist();
    }

    @Test
    @Timeout(180)
    void twoPortalsOnOneDatabaseAndOneRemoteWriteEveryChangeOnce() throws Exception {
        Postgres.Database database = postgres.createDatabase("two_portals");
        GitRemote remote = GitRemote.createBare(dir.resolve("served/remote.git"));
        // the remote as production has it: a receive-pack at the other end of a connection, pushed to by both
        SlowGitDaemon daemon = new SlowGitDaemon(remote.directory().getParent(), Duration.ZERO);
        var env = PortalProcess.env(database, daemon.uri("remote.git"));
        // both start at once on the empty database: migrations and the local teams' seeding race too
        PortalProcess first = launch(PortalProcess.Options.of(dir.resolve("portal-1"), env));
        PortalProcess second = launch(PortalProcess.Options.of(dir.resolve("portal-2"), env));
        first.awaitReady(READY);
        second.awaitReady(READY);

        try (daemon; SlipwayApi one = new SlipwayApi(first.base()); SlipwayApi two = new SlipwayApi(second.base())) {
            List<SlipwayApi.Creation> creations = new Burst(8, 200, "twin", c -> c % 2 == 0 ? one : two)
                    .maxDuration(Duration.ofSeconds(90)).run();

            assertThat(creations).hasSize(200);
            assertThat(creations).allSatisfy(c -> assertThat(c.accepted()).as("%s", c).isTrue());
            awaitNothingPending(database, Duration.ofSeconds(60));
            assertConsistent(database, remote, creations);
            assertThat(remote.commits()).as("commits on the branch").hasSize(200);
            State state = state(database);
            assertThat(state.changes()).hasSize(200);
            assertThat(state.changes().values()).as("change states").containsOnly("committed");
        }
        // a rolling update: each portal, having rendered charts with Helm, still shuts down on SIGTERM
        assertThat(first.stop(Duration.ofSeconds(20))).as("the first portal exited on SIGTERM").isTrue();
        assertThat(second.stop(Duration.ofSeconds(20))).as("the second portal exited on SIGTERM").isTrue();
    }

    @Test
    @Timeout(180)
    void aRemoteDownForAWhileDelaysButLosesNothing() throws Exception {
        Postgres.Database database = postgres.createDatabase("remote_down");
        GitRemote remote = GitRemote.createBare(dir.resolve("remote.git"));
        Path away = dir.resolve("remote.git.away");
        PortalProcess portal = start(PortalProcess.Options.of(dir.resolve("portal"),
                PortalProcess.env(database, remote.directory().toString())));

        try (SlipwayApi api = new SlipwayApi(portal.base())) {
            var back = new AtomicReference<Long>();
            var acceptedWhileDown = new ArrayList<String>();
            var down = new AtomicBoolean();
            Burst.Running burst = new Burst(4, 1_000, "down", c -> api)
                    // the burst spans the outage and goes on for a second after the remote is back
                    .keepGoing(() -> back.get() == null || System.nanoTime() - back.get() < 1_000_000_000L)
                    .maxDuration(Duration.ofSeconds(60))
                    .onAnswer(c -> {
                        if (c.accepted() && down.get()) {
                            synchronized (acceptedWhileDown) {
                                acceptedWhileDown.add(c.changeId());
                            }
                        }
                    })
                    .start();
            Thread.sleep(1_000);
            Files.move(remote.directory(), away);
            down.set(true);
            long wentDown = System.nanoTime();
            // meanwhile, changes wait as PENDING and say why
            String waiting = null;
            while (waiting == null && System.nanoTime() - wentDown < 5_000_000_000L) {
                Thread.sleep(100);
                List<String> candidates;
                synchronized (acceptedWhileDown) {
                    candidates = List.copyOf(acceptedWhileDown);
                }
                for (String id : candidates) {
                    var change = api.change(id);
                    if (change.path("state").asText().equals("pending") && change.hasNonNull("lastError")) {
                        waiting = id + " " + change.path("lastError").asText();
                        break;
                    }
                }
            }
            Thread.sleep(Math.max(0, 5_000 - (System.nanoTime() - wentDown) / 1_000_000));
            State whileDown = state(database);
            down.set(false);
            Files.move(away, remote.directory());
            back.set(System.nanoTime());
            List<SlipwayApi.Creation> creations = burst.await(Duration.ofSeconds(60));
            System.out.printf("remote down: %d creations, %d accepted while down, %d pending with an error at the end"
                    + " of the outage; e.g. %s%n", creations.size(), acceptedWhileDown.size(), whileDown.pendingWithError(),
                    waiting);

            assertThat(waiting).as("a change accepted while the remote was away shows PENDING with its lastError")
                    .isNotNull();
            assertThat(whileDown.pendingWithError()).as("pending changes with an error at the end of the outage")
                    .isPositive();
            assertThat(creations).allSatisfy(c -> assertThat(c.accepted()).as("%s", c).isTrue());
            long recovering = System.nanoTime();
            awaitNothingPending(database, Duration.ofSeconds(90));
            System.out.printf("remote down: everything committed %.1f s after the remote came back%n",
                    (System.nanoTime() - recovering) / 1e9);
            assertConsistent(database, remote, creations);
            assertThat(remote.commits()).as("commits on the branch").hasSize(creations.size());
            assertThat(state(database).changes().values()).containsOnly("committed");
        }
    }

    // ---------------------------------------------------------------------------------------------

    private PortalProcess start(PortalProcess.Options options) {
        PortalProcess portal = launch(options);
        portal.awaitReady(READY);
        return portal;
    }

    private PortalProcess launch(PortalProcess.Options options) {
        PortalProcess portal = PortalProcess.launch(options);
        portals.add(portal);
        return portal;
    }

    /**
     * The database, the remote and what the clients saw agree: every change in the database is on the
     * branch exactly once (as the commit the database names), the branch carries no other change, every
     * accepted creation has its service row and its change, and a request that got no answer either
     * fully exists (service row, change, one commit) or not at all (no row, no commit).
     */
    private static void assertConsistent(Postgres.Database database, GitRemote remote,
                                         List<SlipwayApi.Creation> creations) throws SQLException {
        State state = state(database);
        Map<String, List<String>> onRemote = remote.commitsByChangeId();
        List<GitRemote.RemoteCommit> commits = remote.commits();

        assertThat(commits).as("every commit carries exactly one change id")
                .allSatisfy(c -> assertThat(c.changeIds()).hasSize(1));
        assertThat(state.changes().keySet()).as("change ids on the branch that the database does not know")
                .containsAll(onRemote.keySet());
        for (var change : state.changes().entrySet()) {
            assertThat(onRemote.getOrDefault(change.getKey(), List.of())).as("commits carrying change %s", change.getKey())
                    .hasSize(1)
                    .containsExactly(state.commitShas().get(change.getKey()));
        }

        int unanswered = 0;
        int unansweredStored = 0;
        for (SlipwayApi.Creation creation : creations) {
            String name = creation.request().name();
            String serviceKey = creation.request().team() + "/" + name;
            switch (creation.outcome()) {
                case ACCEPTED -> {
                    assertThat(state.serviceIds()).as("service row of accepted %s", serviceKey)
                            .containsEntry(serviceKey, creation.serviceId());
                    assertThat(state.changeOfService()).as("change of accepted %s", serviceKey)
                            .containsEntry(creation.serviceId(), creation.changeId());
                    assertThat(onRemote.getOrDefault(creation.changeId(), List.of()))
                            .as("commits carrying accepted %s", serviceKey).hasSize(1);
                }
                case NO_ANSWER -> {
                    unanswered++;
                    String serviceId = state.serviceIds().get(serviceKey);
                    String subject = "Create service " + serviceKey + " from ";
                    long commitsNamingIt = commits.stream().filter(c -> c.subject().startsWith(subject)).count();
                    if (serviceId == null) {
                        assertThat(commitsNamingIt).as("commits for %s, which has no row", serviceKey).isZero();
                    } else {
                        unansweredStored++;
                        String changeId = state.changeOfService().get(serviceId);
                        assertThat(changeId).as("change of %s, which has a row", serviceKey).isNotNull();
                        assertThat(onRemote.getOrDefault(changeId, List.of())).as("commits carrying %s", serviceKey)
                                .hasSize(1);
                        assertThat(commitsNamingIt).isEqualTo(1);
                    }
                }
                case REFUSED -> throw new AssertionError("refused: " + creation);
            }
        }
        long acceptedCount = creations.stream().filter(SlipwayApi.Creation::accepted).count();
        assertThat(state.serviceIds()).as("service rows: the accepted ones and unanswered ones that were stored")
                .hasSize((int) acceptedCount + unansweredStored);
        if (unanswered > 0) {
            System.out.printf("unanswered requests: %d, of which stored (and committed once): %d%n", unanswered,
                    unansweredStored);
        }
    }

    /** The catalog and the outbox as the database holds them. */
    record State(Map<String, String> serviceIds, Map<String, String> changeOfService, Map<String, String> changes,
                 Map<String, String> commitShas, int pending, int leased, int pendingWithError) {
    }

    private static State state(Postgres.Database database) throws SQLException {
        var serviceIds = new HashMap<String, String>();
        var changeOfService = new HashMap<String, String>();
        var changes = new HashMap<String, String>();
        var commitShas = new HashMap<String, String>();
        int pending = 0;
        int leased = 0;
        int pendingWithError = 0;
        try (Connection connection = database.connect(); var statement = connection.createStatement()) {
            try (var rs = statement.executeQuery(
                    "select t.name as team, s.name, s.id from services s join teams t on t.id = s.team_id")) {
                while (rs.next()) {
                    serviceIds.put(rs.getString("team") + "/" + rs.getString("name"), rs.getString("id"));
                }
            }
            try (var rs = statement.executeQuery("""
                    select id, service_id, state, commit_sha, last_error,
                           claimed_until is not null and claimed_until > now() as leased
                    from changes""")) {
                while (rs.next()) {
                    String id = rs.getString("id");
                    changes.put(id, rs.getString("state"));
                    commitShas.put(id, rs.getString("commit_sha"));
                    if (rs.getString("service_id") != null) {
                        String previous = changeOfService.put(rs.getString("service_id"), id);
                        assertThat(previous).as("a second change for service %s", rs.getString("service_id")).isNull();
                    }
                    if (rs.getString("state").equals("pending")) {
                        pending++;
                        leased += rs.getBoolean("leased") ? 1 : 0;
                        pendingWithError += rs.getString("last_error") != null ? 1 : 0;
                    }
                }
            }
        }
        return new State(serviceIds, changeOfService, changes, commitShas, pending, leased, pendingWithError);
    }

    private static void awaitNothingPending(Postgres.Database database, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        State state = state(database);
        while (state.pending() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(250);
            state = state(database);
        }
        Set<String> states = new HashSet<>(state.changes().values());
        var errors = new ArrayList<String>();
        try (Connection connection = database.connect(); var statement = connection.createStatement();
             var rs = statement.executeQuery("select last_error from changes where state = 'pending' limit 3")) {
            while (rs.next()) {
                errors.add(rs.getString(1));
            }
        }
        assertThat(state.pending()).as("changes still pending after %s (states: %s; their last errors: %s)", timeout,
                states, errors).isZero();
    }

    private static Map<SlipwayApi.Outcome, Long> count(List<SlipwayApi.Creation> creations) {
        var counts = new java.util.EnumMap<SlipwayApi.Outcome, Long>(SlipwayApi.Outcome.class);
        creations.forEach(c -> counts.merge(c.outcome(), 1L, Long::sum));
        return counts;
    }
}
