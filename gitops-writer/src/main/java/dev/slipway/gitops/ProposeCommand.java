package dev.slipway.gitops;

import dev.slipway.gitops.pullrequest.PullRequest;
import dev.slipway.gitops.pullrequest.PullRequestProvider;
import java.io.IOException;
import java.util.Objects;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;

/**
 * Pushes a change to a branch of its own, {@code slipway/change-<id>}, and opens a pull request for
 * it into the target branch. Retried, or racing another replica, it recognises what exists: a branch
 * already there is the change's (its name holds the change id), and the providers return the pull
 * request already open for it.
 */
public final class ProposeCommand {

    public static final String BRANCH_PREFIX = "slipway/change-";

    private final WarmClone clone;
    private Change change;
    private PullRequestProvider provider;

    ProposeCommand(WarmClone clone) {
        this.clone = clone;
    }

    public ProposeCommand change(Change value) {
        this.change = value;
        return this;
    }

    public ProposeCommand through(PullRequestProvider value) {
        this.provider = value;
        return this;
    }

    /**
     * @throws GitOpsUnavailableException when the remote cannot be reached: try again later
     * @throws dev.slipway.gitops.pullrequest.PullRequestException when the provider refused or failed
     */
    public Outcome call() {
        Objects.requireNonNull(change, "change");
        Objects.requireNonNull(provider, "provider");
        String branch = BRANCH_PREFIX + change.id();
        ObjectId commit;
        clone.lock().lock();
        try {
            clone.fetch();
            commit = clone.branch(branch);
            if (commit == null) {
                ObjectId base = clone.tip();
                ChangeCommit.Result result;
                try (ObjectInserter inserter = clone.newInserter(); ObjectReader reader = inserter.newReader()) {
                    result = new ChangeCommit(inserter, reader, clone.settings()).on(base, change);
                    inserter.flush();
                }
                if (result instanceof ChangeCommit.Result.Conflict conflict) {
                    return new Outcome.Conflicting(change.id(), conflict.paths());
                }
                commit = ((ChangeCommit.Result.Written) result).commit();
                switch (new Push(clone).call(commit, branch, null)) {
                    case Push.Result.Accepted accepted -> { }
                    case Push.Result.BranchMoved lostRace -> {
                        // another replica pushed this change's branch first: take what it pushed
                        clone.fetch();
                        commit = clone.branch(branch);
                        if (commit == null) {
                            throw new GitOpsUnavailableException("pushing " + branch + " was refused ("
                                    + lostRace.message() + ") but the branch is not there", null);
                        }
                    }
                    case Push.Result.Refused refused -> {
                        return new Outcome.Rejected(change.id(), "the remote refused the push of " + branch + ": "
                                + refused.message());
                    }
                }
            }
        } catch (IOException e) {
            throw new GitOpsUnavailableException("GitOps clone unreadable: " + e.getMessage(), e);
        } finally {
            clone.lock().unlock();
        }
        // the provider's API is called without holding the clone: commits go on meanwhile
        PullRequest pullRequest = provider.open(branch, clone.settings().branch(), change.title(), change.body());
        return new Outcome.PullRequestOpened(change.id(), branch, commit.name(), pullRequest.id(), pullRequest.url());
    }
}
