package dev.slipway.portal.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.gitops.pullrequest.PullRequest;
import dev.slipway.gitops.testing.MovableClock;
import dev.slipway.gitops.pullrequest.PullRequestException;
import dev.slipway.gitops.pullrequest.PullRequestProvider;
import dev.slipway.portal.PortalTest;
import dev.slipway.portal.audit.AuditLog;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import net.javacrumbs.shedlock.core.LockProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Following pull requests against a stand-in provider that counts its calls: one call per round
 * for all open pull requests, one round per interval across replicas, and a rate limit honoured.
 */
@PortalTest
class PullRequestFollowerTest {

    @Autowired
    Changes changes;
    @Autowired
    AuditLog audit;
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    LockProvider locks;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    PullRequestFollower running;

    final AtomicInteger calls = new AtomicInteger();
    final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    final AtomicReference<PullRequest.State> state = new AtomicReference<>(PullRequest.State.OPEN);
    UUID opened;
    final MovableClock clock = new MovableClock(Instant.parse("2026-12-01T10:00:00Z"));

    final PullRequestProvider provider = new PullRequestProvider() {
        @Override
        public PullRequest open(String source, String target, String title, String description) {
            throw new UnsupportedOperationException();
        }

        @Override
        public PullRequest get(String id) {
            throw new AssertionError("the follower asks for all pull requests at once");
        }

        @Override
        public PullRequest merge(String id) {
            throw new UnsupportedOperationException();
        }

        @Override
        public PullRequest close(String id, String comment) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Map<String, PullRequest> states(Collection<String> ids) {
            calls.incrementAndGet();
            if (failure.get() != null) {
                throw failure.get();
            }
            var states = new java.util.LinkedHashMap<String, PullRequest>();
            ids.forEach(id -> states.put(id, new PullRequest(id, "https://example.invalid/" + id, "b", "main", state.get(),
                    state.get() == PullRequest.State.MERGED ? "e5bd3914e2e596debea16f433f57875b5b90bcd6" : null)));
            return states;
        }
    };

    @BeforeEach
    void onePullRequestOpenAndTheContextsFollowerStopped() throws Exception {
        running.stop();
        Thread.sleep(300); // its last round's lock (held 90% of 200 ms) runs out
        opened = UUID.randomUUID();
        jdbc.sql("""
                        insert into changes (id, mode, state, title, files, requested_by, pull_request_id, completed_at)
                        values (?, 'pull-request', 'pull-request-open', 'Followed', '[{"path": "a", "content": "x", "mode": "CREATE"}]'::jsonb,
                                'dev-alice', ?, now())""")
                .params(opened, "pr-" + opened).update();
    }

    @AfterEach
    void restart() {
        jdbc.sql("update changes set state = 'failed' where state = 'pull-request-open'").update();
        running.start();
    }

    @Test
    void twoReplicasAskOncePerIntervalForAllOpenPullRequests() {
        var interval = Duration.ofMinutes(1);
        PullRequestFollower first = follower(interval);
        PullRequestFollower second = follower(interval);
        assertThat(first.followOnce()).isTrue();
        assertThat(second.followOnce()).as("the other replica's round in the same interval").isFalse();
        assertThat(first.followOnce()).isFalse();
        assertThat(calls).hasValue(1);
    }

    @Test
    void aMergeIsRecordedWithItsCommitAndAnnouncedRateLimitsAreWaitedOut() {
        PullRequestFollower follower = follower(Duration.ofSeconds(30));
        failure.set(new PullRequestException("GitHub: rate limited", true, clock.instant().plus(Duration.ofMinutes(5)), null));
        assertThat(follower.follow()).isZero();
        clock.advance(Duration.ofMinutes(2));
        assertThat(follower.follow()).isZero();
        assertThat(calls).as("nothing asked before the provider said to come back").hasValue(1);

        clock.advance(Duration.ofMinutes(4));
        failure.set(null);
        state.set(PullRequest.State.MERGED);
        assertThat(follower.follow()).isEqualTo(1);
        ChangeRecord merged = changes.find(opened).orElseThrow();
        assertThat(merged.state()).isEqualTo(ChangeState.MERGED);
        assertThat(merged.commitSha()).isEqualTo("e5bd3914e2e596debea16f433f57875b5b90bcd6");
        assertThat(calls).hasValue(2);
    }

    private PullRequestFollower follower(Duration interval) {
        var properties = new GitOpsProperties(null, null, null, null, null, null, 0, null, null, interval);
        return new PullRequestFollower(changes, provider, audit, transactions, clock, properties, locks);
    }
}
