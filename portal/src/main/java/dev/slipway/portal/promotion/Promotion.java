package dev.slipway.portal.promotion;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A request to run one image of a service in one environment, with its record: every state it went
 * through (who, when, why), the QA decisions, the gate's verdict and its Git write.
 *
 * @param reasons       why it is blocked, or why it failed
 * @param rollback      the image ran in this environment before
 * @param approvals     how many QA engineers approved; {@code requiredApprovals} how many must
 * @param pullRequest   the pull request reviewers see (null for a direct commit or before it is opened)
 * @param commit        the commit that wrote it to the branch, once written
 * @param supersededBy  the newer promotion that replaced it
 * @param lastError     why the last merge attempt did not succeed (it is tried again)
 */
public record Promotion(UUID id, String team, String service, String environment, String image, String digest,
                        String tag, PromotionState state, List<Reason> reasons, boolean rollback, boolean needsApproval,
                        int requiredApprovals, int approvals, String requestedBy, Instant requestedAt,
                        Instant updatedAt, Instant expiresAt, UUID change, PullRequest pullRequest, String commit,
                        UUID supersededBy, String lastError, List<Transition> transitions, List<Decision> decisions,
                        Gate gate) {

    /** A reason it cannot go on, with what would unblock it. */
    public record Reason(String rule, String message, List<String> findings) {
    }

    public record Transition(PromotionState state, String actor, String reason, Instant at) {
    }

    public record Decision(String by, String decision, String comment, Instant at) {
    }

    public record PullRequest(String id, String url, String state) {
    }

    /**
     * The gate as last evaluated: pass or not, the scan summary by severity, and the previous
     * environment's state.
     */
    public record Gate(boolean passes, Instant evaluatedAt, java.util.Map<String, Integer> severities,
                       int waived, String previousEnvironment, String previousState) {
    }
}
