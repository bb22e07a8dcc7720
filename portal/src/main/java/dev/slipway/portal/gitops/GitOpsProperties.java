package dev.slipway.portal.gitops;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where and how Slipway writes ({@code slipway.gitops.*}). Local mode's default remote is a bare
 * repository in the data directory, created on first start.
 *
 * @param remote          a local path, file:// or https:// URL of the GitOps repository
 * @param branch          the branch Argo CD follows
 * @param mode            {@code commit} (straight to the branch) or {@code pull-request}
 * @param pullRequests    {@code local}, {@code github} or {@code azure-devops}
 * @param username        for HTTPS remotes (a token's user, e.g. x-access-token for GitHub)
 * @param token           for HTTPS remotes and the pull request provider's API
 * @param maxBatch        the most changes one push carries
 * @param pullRequestPoll how often the open pull requests are asked about (one listing call each time)
 */
@ConfigurationProperties("slipway.gitops")
public record GitOpsProperties(String remote, String branch, Mode mode, String pullRequests, String username,
                               String token, int maxBatch, GitHub github,
                               AzureDevOps azureDevops, java.time.Duration pullRequestPoll) {

    public enum Mode { COMMIT, PULL_REQUEST }

    public record GitHub(String apiUrl, String owner, String repository) {
    }

    public record AzureDevOps(String organizationUrl, String project, String repository) {
    }

    public GitOpsProperties {
        branch = branch == null || branch.isBlank() ? "main" : branch;
        mode = mode == null ? Mode.COMMIT : mode;
        pullRequests = pullRequests == null || pullRequests.isBlank() ? "local" : pullRequests;
        pullRequestPoll = pullRequestPoll == null ? java.time.Duration.ofSeconds(30) : pullRequestPoll;
    }
}
