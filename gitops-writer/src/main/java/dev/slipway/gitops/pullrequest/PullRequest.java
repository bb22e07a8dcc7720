package dev.slipway.gitops.pullrequest;

/**
 * A pull request as Slipway follows it, whichever service hosts it.
 *
 * @param id             the provider's id (GitHub: the number; Azure DevOps: pullRequestId; local: the branch)
 * @param url            where a person opens it in a browser
 * @param sourceBranch   the branch with the change
 * @param targetBranch   the branch it merges into
 * @param state          open, merged, closed, or open but conflicting
 * @param mergeCommitSha the commit on the target branch once merged, else null
 * @param mergedBy       who merged or closed it, when the provider says (GitHub's login, Azure DevOps'
 *                       unique name, the merge commit's author locally); else null
 */
public record PullRequest(String id, String url, String sourceBranch, String targetBranch, State state,
                          String mergeCommitSha, String mergedBy) {

    public enum State { OPEN, CONFLICTING, MERGED, CLOSED }

    public PullRequest(String id, String url, String sourceBranch, String targetBranch, State state,
                       String mergeCommitSha) {
        this(id, url, sourceBranch, targetBranch, state, mergeCommitSha, null);
    }
}
