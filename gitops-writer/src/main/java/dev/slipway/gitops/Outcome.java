package dev.slipway.gitops;

import java.util.List;
import java.util.UUID;

/** What became of a change: committed, a pull request opened, conflicting, or rejected. */
public sealed interface Outcome {

    UUID changeId();

    /** On the branch as {@code commitSha}; {@code alreadyPresent} when an earlier attempt had written it. */
    record Committed(UUID changeId, String commitSha, boolean alreadyPresent) implements Outcome {
    }

    /** Pushed to {@code branch} as {@code commitSha} and proposed as a pull request. */
    record PullRequestOpened(UUID changeId, String branch, String commitSha, String pullRequestId, String url)
            implements Outcome {
    }

    /** Someone else changed these files differently: nothing was written; never force-pushed. */
    record Conflicting(UUID changeId, List<String> paths) implements Outcome {
    }

    /** The repository refused it for good (credentials, a protected branch…); the reason says why. */
    record Rejected(UUID changeId, String reason) implements Outcome {
    }
}
