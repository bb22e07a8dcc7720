package dev.slipway.gitops.pullrequest;

/**
 * Opens, reads and merges pull requests on the service that hosts the GitOps repository. The
 * source branch has already been pushed when {@link #open} is called.
 */
public interface PullRequestProvider {

    /** Opens a pull request, or returns the open one for the same source branch (a retried call). */
    PullRequest open(String sourceBranch, String targetBranch, String title, String description);

    /** The pull request's current state. */
    PullRequest get(String id);

    /**
     * Merges the pull request (when a QA approval says so). Merging one that is already merged
     * returns it as it is.
     *
     * @throws PullRequestException when it cannot be merged (conflicting, closed, refused)
     */
    PullRequest merge(String id);

    /**
     * Closes the pull request without merging it, leaving {@code comment} on it for its reviewers
     * (why it was closed, and by what it was replaced). Closing one that is already closed or merged
     * changes nothing and returns it as it is.
     *
     * @throws PullRequestException when the provider refused or could not be reached
     */
    PullRequest close(String id, String comment);

    /**
     * The current state of each of these pull requests, in as few calls as the provider allows.
     * The hosted providers list the repository's open pull requests in one paged, conditional
     * call (an unchanged list costs GitHub's rate limit nothing) and read only those no longer in
     * it; this default asks about each one.
     */
    default java.util.Map<String, PullRequest> states(java.util.Collection<String> ids) {
        var states = new java.util.LinkedHashMap<String, PullRequest>();
        for (String id : ids) {
            states.put(id, get(id));
        }
        return states;
    }
}
