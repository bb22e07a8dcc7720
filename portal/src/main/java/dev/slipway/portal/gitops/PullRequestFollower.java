package dev.slipway.portal.gitops;

import dev.slipway.gitops.pullrequest.PullRequest;
import dev.slipway.gitops.pullrequest.PullRequestException;
import dev.slipway.gitops.pullrequest.PullRequestProvider;
import dev.slipway.portal.audit.AuditLog;
import dev.slipway.portal.database.OncePerInterval;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import net.javacrumbs.shedlock.core.LockProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
class PullRequestFollower extends OncePerInterval {

    private static final Logger log = LoggerFactory.getLogger(PullRequestFollower.class);
    static final int MOST_FOLLOWED = 1000;
    static final String LOCK = "pull-request-follower";

    private final Changes changes;
    private final PullRequestProvider pullRequests;
    private final AuditLog audit;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private volatile Instant notBefore = Instant.MIN;

    PullRequestFollower(Changes changes, PullRequestProvider pullRequests, AuditLog audit,
                        TransactionTemplate transactions, Clock clock, GitOpsProperties properties, LockProvider locks) {
        super(LOCK, properties.pullRequestPoll(), locks, clock, true);
        this.changes = changes;
        this.pullRequests = pullRequests;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
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
                if (!changes.pullRequestMoved(change.id(), state, pullRequest.mergeCommitSha(), pullRequest.mergedBy(), error)) {
                    return false;
                }
                var details = new java.util.LinkedHashMap<String, String>();
                details.put("pullRequest", pullRequest.id());
                if (pullRequest.mergeCommitSha() != null) {
                    details.put("commit", pullRequest.mergeCommitSha());
                }
                if (pullRequest.mergedBy() != null) {
                    details.put("by", pullRequest.mergedBy());
                }
                audit.record("slipway", "change." + state.id(),
                        "change/" + change.id(), details);
                return true;
            });
            moved += Boolean.TRUE.equals(recorded) ? 1 : 0;
        }
        return moved;
    }

    /** One round, unless another replica has had one within the interval. Returns whether this one ran. */
    boolean followOnce() {
        return runOnce();
    }

    @Override
    protected Object round() {
        return follow();
    }
}
