package dev.slipway.portal.gitops;

import dev.slipway.gitops.pullrequest.PullRequest;
import dev.slipway.gitops.pullrequest.PullRequestException;
import dev.slipway.gitops.pullrequest.PullRequestProvider;
import dev.slipway.portal.audit.AuditLog;
import java.util.LinkedHashMap;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Merging and closing the pull requests of changes, for features that decide them (a promotion's
 * approval, its replacement). The provider is called outside any transaction; what it answered is
 * recorded on the change with its audit entry, once, whoever records it first (this or the follower).
 */
@Component
public class PullRequests {

    /** What became of the pull request: merged (with its commit) or closed. */
    public record Result(ChangeState state, String commitSha, String by) {
    }

    private final Changes changes;
    private final PullRequestProvider provider;
    private final AuditLog audit;
    private final TransactionTemplate transactions;

    PullRequests(Changes changes, PullRequestProvider provider, AuditLog audit, TransactionTemplate transactions) {
        this.changes = changes;
        this.provider = provider;
        this.audit = audit;
        this.transactions = transactions;
    }

    /**
     * Merges the change's open pull request ({@code actor} decided it). A pull request merged
     * already is returned as merged.
     *
     * @throws PullRequestException when the provider refused ({@link PullRequestException#retryable()}
     *                              says whether trying again may help)
     * @throws IllegalStateException when the change has no pull request (yet)
     */
    public Result merge(UUID changeId, String actor) {
        ChangeRecord change = withPullRequest(changeId);
        if (change.state() == ChangeState.MERGED) {
            return new Result(ChangeState.MERGED, change.commitSha(), change.mergedBy());
        }
        PullRequest merged = provider.merge(change.pullRequestId());
        record(change, ChangeState.MERGED, merged, actor, null);
        return new Result(ChangeState.MERGED, merged.mergeCommitSha(), actor);
    }

    /**
     * Closes the change's pull request with a comment. One merged meanwhile is not closed: the
     * answer says it was merged.
     */
    public Result close(UUID changeId, String comment, String actor) {
        ChangeRecord change = withPullRequest(changeId);
        if (change.state() != ChangeState.PULL_REQUEST_OPEN) {
            return new Result(change.state(), change.commitSha(), change.mergedBy());
        }
        PullRequest closed = provider.close(change.pullRequestId(), comment);
        if (closed.state() == PullRequest.State.MERGED) {
            record(change, ChangeState.MERGED, closed, closed.mergedBy(), null);
            return new Result(ChangeState.MERGED, closed.mergeCommitSha(), closed.mergedBy());
        }
        record(change, ChangeState.FAILED, closed, actor, "closed: " + comment);
        return new Result(ChangeState.FAILED, null, actor);
    }

    private ChangeRecord withPullRequest(UUID changeId) {
        ChangeRecord change = changes.find(changeId)
                .orElseThrow(() -> new IllegalStateException("there is no change " + changeId));
        if (change.pullRequestId() == null) {
            throw new IllegalStateException("change " + changeId + " has no pull request yet");
        }
        return change;
    }

    private void record(ChangeRecord change, ChangeState state, PullRequest pullRequest, String by, String error) {
        transactions.executeWithoutResult(tx -> {
            if (!changes.pullRequestMoved(change.id(), state, pullRequest.mergeCommitSha(), by, error)) {
                return;
            }
            var details = new LinkedHashMap<String, String>();
            details.put("pullRequest", change.pullRequestId());
            if (pullRequest.mergeCommitSha() != null) {
                details.put("commit", pullRequest.mergeCommitSha());
            }
            if (by != null) {
                details.put("by", by);
            }
            audit.record("slipway", "change." + state.id(), "change/" + change.id(), details);
        });
    }
}
