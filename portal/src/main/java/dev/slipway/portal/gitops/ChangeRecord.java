package dev.slipway.portal.gitops;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A change as Slipway tracks it: its state, and its commit or pull request once written.
 *
 * @param mergedBy who merged or closed its pull request, when the provider says
 */
public record ChangeRecord(UUID id, UUID serviceId, String mode, ChangeState state, String title, String requestedBy,
                           Instant requestedAt, int attempts, String lastError, String commitSha,
                           String pullRequestId, String pullRequestUrl, List<String> conflictingPaths,
                           Instant completedAt, String mergedBy) {
}
