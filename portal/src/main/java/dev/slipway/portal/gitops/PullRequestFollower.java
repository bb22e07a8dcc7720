package dev.slipway.portal.gitops;

import dev.slipway.gitops.pullrequest.PullRequest;
import dev.slipway.gitops.pullrequest.PullRequestException;
import dev.slipway.gitops.pullrequest.PullRequestProvider;
import dev.slipway.portal.audit.AuditLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import net.javacrumbs.shedlock.core.DefaultLockingTaskExecutor;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.LockingTaskExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Follows the pull requests Slipway opened until they are merged or closed, on a thread of its own
 * (a slow or limiting provider never holds up the writer): every {@code slipway.gitops.pull-request-poll}
 * one {@link PullRequestProvider#states} call for all of them, which the hosted providers answer
 * with one paged, conditional list. When the provider announces a rate limit, nothing is asked
 * until it said to come back. However many replicas run, one of them asks per interval (a ShedLock
 * lock in PostgreSQL, held at least most of the interval).
 */
@Component
class PullRequestFollower implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PullRequestFollower.class);
    static final int MOST_FOLLOWED = 1000;
    static final String LOCK = "pull-request-follower";

    private final Changes changes;
    private final PullRequestProvider pullRequests;
    private final AuditLog audit;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final Duration interval;
    private final LockingTaskExecutor locks;
    private volatile Instant notBefore = Instant.MIN;
    private ScheduledExecutorService scheduler;

    PullRequestFollower(Changes changes, PullRequestProvider pullRequests, AuditLog audit,
                        TransactionTemplate transactions, Clock clock, GitOpsProperties properties, LockProvider locks) {
        this.changes = changes;
        this.pullRequests = pullRequests;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
        this.interval = properties.pullRequestPoll();
        this.locks = new DefaultLockingTaskExecutor(locks);
    }

    /**
     * Asks the provider once about every open pull request and records those that moved on.
     * Returns how many did.
     */
    int follow() {
        Instant now = clock.instant();
        if (now.isBefore(notBefore)) {
            return 0;
        }
        List<ChangeRecord> open = changes.withOpenPullRequests(MOST_FOLLOWED);
        if (open.isEmpty()) {
            return 0;
        }
        Map<String, PullRequest> states;
        try {
            states = pullRequests.states(open.stream().map(ChangeRecord::pullRequestId).toList());
        } catch (PullRequestException unreadable) {
            unreadable.retryAfter().ifPresent(until -> notBefore = until);
            log.info("Pull requests not readable now: {}", unreadable.getMessage());
            return 0;
        }
        int moved = 0;
        for (ChangeRecord change : open) {
            PullRequest pullRequest = states.get(change.pullRequestId());
            ChangeState state = pullRequest == null ? null : switch (pullRequest.state()) {
                case MERGED -> ChangeState.MERGED;
                case CLOSED -> ChangeState.FAILED;
                case OPEN, CONFLICTING -> null;
            };
            if (state == null) {
                continue;
            }
            String error = state == ChangeState.FAILED ? "the pull request was closed without merging" : null;
            Boolean recorded = transactions.execute(tx -> {
                if (!changes.pullRequestMoved(change.id(), state, pullRequest.mergeCommitSha(), error)) {
                    return false;
                }
                audit.record("slipway", "change." + state.id(), "change/" + change.id(),
                        pullRequest.mergeCommitSha() == null ? Map.of("pullRequest", pullRequest.id())
                                : Map.of("pullRequest", pullRequest.id(), "commit", pullRequest.mergeCommitSha()));
                return true;
            });
            moved += Boolean.TRUE.equals(recorded) ? 1 : 0;
        }
        return moved;
    }

    /** One round, unless another replica has had one within the interval. Returns whether this one ran. */
    boolean followOnce() {
        // held at least 90% of the interval, so that the other replicas' rounds in it find it taken
        var lock = new LockConfiguration(clock.instant(), LOCK, max(interval.multipliedBy(3), Duration.ofMinutes(5)),
                interval.minus(interval.dividedBy(10)));
        try {
            return locks.executeWithLock(this::follow, lock).wasExecuted();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private void followSafely() {
        try {
            followOnce();
        } catch (RuntimeException e) {
            log.error("Following pull requests failed; trying again in {}", interval, e);
        }
    }

    @Override
    public void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("slipway-pull-requests").daemon().factory());
        scheduler.scheduleWithFixedDelay(this::followSafely, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return scheduler != null && !scheduler.isShutdown();
    }
}
