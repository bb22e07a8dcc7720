package dev.slipway.gitops;

import dev.slipway.gitops.pullrequest.PullRequest;
import dev.slipway.gitops.pullrequest.PullRequestException;
import dev.slipway.gitops.pullrequest.PullRequestProvider;
import java.io.IOException;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.merge.MergeStrategy;
import org.eclipse.jgit.merge.ThreeWayMerger;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * Pull requests without a hosting service: the branch lives in the GitOps repository itself, and
 * Slipway merges it when told to (a merge commit, pushed like any other change, never forced).
 * A pull request's id is its branch. Its state is read from the repository: merged when the
 * branch's tip is on the target branch, conflicting when the two cannot be merged cleanly.
 */
public final class LocalPullRequests implements PullRequestProvider {

    private final WarmClone clone;
    private final java.util.function.Function<String, String> urlOf;

    /** @param urlOf where the portal shows the pull request of a branch */
    public LocalPullRequests(GitOpsWriter writer, java.util.function.Function<String, String> urlOf) {
        this.clone = writer.warmClone();
        this.urlOf = urlOf;
    }

    @Override
    public PullRequest open(String sourceBranch, String targetBranch, String title, String description) {
        return get(sourceBranch);
    }

    @Override
    public PullRequest get(String id) {
        clone.lock().lock();
        try {
            clone.fetch();
            return state(id);
        } catch (IOException | GitOpsUnavailableException e) {
            throw new PullRequestException("cannot read pull request " + id + ": " + e.getMessage(), true, e);
        } finally {
            clone.lock().unlock();
        }
    }

    /** One fetch for all of them: the branches are in the repository itself. */
    @Override
    public java.util.Map<String, PullRequest> states(java.util.Collection<String> ids) {
        clone.lock().lock();
        try {
            clone.fetch();
            var states = new java.util.LinkedHashMap<String, PullRequest>();
            for (String id : ids) {
                states.put(id, state(id));
            }
            return states;
        } catch (IOException | GitOpsUnavailableException e) {
            throw new PullRequestException("cannot read the pull requests: " + e.getMessage(), true, e);
        } finally {
            clone.lock().unlock();
        }
    }

    @Override
    public PullRequest merge(String id) {
        String target = clone.settings().branch();
        clone.lock().lock();
        try {
            for (int attempt = 1; attempt <= clone.settings().maxAttempts(); attempt++) {
                clone.fetch();
                PullRequest current = state(id);
                switch (current.state()) {
                    case MERGED -> {
                        return current;
                    }
                    case CLOSED -> throw new PullRequestException("pull request " + id + " is closed", false, null);
                    case CONFLICTING -> throw new PullRequestException(
                            "pull request " + id + " conflicts with " + target, false, null);
                    default -> { }
                }
                var repository = clone.repository();
                ObjectId targetTip = clone.tip();
                if (targetTip == null) {
                    // the target branch does not exist yet: it starts at the pull request's commit
                    if (pushed(clone.branch(id), null)) {
                        return state(id);
                    }
                    continue;
                }
                try (RevWalk walk = new RevWalk(repository); ObjectInserter inserter = repository.newObjectInserter()) {
                    RevCommit onTarget = walk.parseCommit(targetTip);
                    RevCommit source = walk.parseCommit(clone.branch(id));
                    ThreeWayMerger merger = MergeStrategy.RECURSIVE.newMerger(repository, true);
                    if (!merger.merge(onTarget, source)) {
                        throw new PullRequestException("pull request " + id + " conflicts with " + target, false, null);
                    }
                    var commit = new CommitBuilder();
                    commit.setTreeId(merger.getResultTreeId());
                    commit.setParentIds(onTarget, source);
                    PersonIdent now = new PersonIdent(clone.settings().committer(), java.time.Instant.now());
                    commit.setAuthor(now);
                    commit.setCommitter(now);
                    commit.setMessage("Merge pull request " + id + "\n\n" + source.getFullMessage());
                    ObjectId merge = inserter.insert(commit);
                    inserter.flush();
                    if (pushed(merge, targetTip)) {
                        PullRequest merged = state(id);
                        deleteBranch(id);
                        return merged;
                    }
                }
            }
            throw new PullRequestException("the branch " + target + " kept moving", true, null);
        } catch (IOException | GitOpsUnavailableException e) {
            throw new PullRequestException("cannot merge pull request " + id + ": " + e.getMessage(), true, e);
        } finally {
            clone.lock().unlock();
        }
    }

    /**
     * Deletes the pull request's branch: a local pull request has no page for a comment, so the
     * comment stays with whatever closed it in Slipway.
     */
    @Override
    public PullRequest close(String id, String comment) {
        clone.lock().lock();
        try {
            for (int attempt = 1; attempt <= clone.settings().maxAttempts(); attempt++) {
                clone.fetch();
                PullRequest current = state(id);
                if (current.state() == PullRequest.State.MERGED || current.state() == PullRequest.State.CLOSED) {
                    return current;
                }
                switch (new Push(clone).call(null, id, clone.branch(id))) {
                    case Push.Result.Accepted accepted -> {
                        return state(id);
                    }
                    case Push.Result.BranchMoved moved -> { }
                    case Push.Result.Refused refused -> throw new PullRequestException(
                            "the remote refused to delete " + id + ": " + refused.message(), false, null);
                }
            }
            throw new PullRequestException("the branch " + id + " kept moving", true, null);
        } catch (IOException | GitOpsUnavailableException e) {
            throw new PullRequestException("cannot close pull request " + id + ": " + e.getMessage(), true, e);
        } finally {
            clone.lock().unlock();
        }
    }

    /**
     * A merged pull request's branch goes, as hosted providers delete it: every fetch reads every
     * branch, and a branch per merged promotion would make each fetch slower than the one before.
     * Its state is still known: the target branch carries its commit, with the change id.
     */
    private void deleteBranch(String id) {
        try {
            ObjectId tip = clone.branch(id);
            if (tip != null && !(new Push(clone).call(null, id, tip) instanceof Push.Result.Accepted)) {
                org.slf4j.LoggerFactory.getLogger(LocalPullRequests.class).info("Could not delete the merged branch {}", id);
            }
        } catch (IOException | GitOpsUnavailableException e) {
            org.slf4j.LoggerFactory.getLogger(LocalPullRequests.class).info("Could not delete the merged branch {}: {}", id,
                    e.getMessage());
        }
    }

    /** Moves the target branch to {@code commit}: true when done, false when it moved meanwhile. */
    private boolean pushed(ObjectId commit, ObjectId expectedOld) {
        return switch (new Push(clone).call(commit, clone.settings().branch(), expectedOld)) {
            case Push.Result.Accepted accepted -> true;
            case Push.Result.BranchMoved moved -> false;
            case Push.Result.Refused refused -> throw new PullRequestException(
                    "the remote refused the merge: " + refused.message(), false, null);
        };
    }

    private PullRequest state(String id) throws IOException {
        var repository = clone.repository();
        String target = clone.settings().branch();
        ObjectId sourceTip = clone.branch(id);
        if (sourceTip == null) {
            // merged (and its branch deleted) when the target carries its change; closed otherwise
            java.util.Optional<String> carried = changeIdOf(id).flatMap(clone::commitOf);
            return carried.map(commit -> new PullRequest(id, urlOf.apply(id), id, target, PullRequest.State.MERGED, commit))
                    .orElseGet(() -> new PullRequest(id, urlOf.apply(id), id, target, PullRequest.State.CLOSED, null));
        }
        ObjectId targetTip = clone.branch(target);
        try (RevWalk walk = new RevWalk(repository)) {
            RevCommit source = walk.parseCommit(sourceTip);
            if (targetTip != null) {
                RevCommit onTarget = walk.parseCommit(targetTip);
                if (walk.isMergedInto(source, onTarget)) {
                    RevCommit merge = mergeCommit(walk, onTarget, source);
                    return new PullRequest(id, urlOf.apply(id), id, target, PullRequest.State.MERGED, merge.name(),
                            merge.getAuthorIdent().getName());
                }
                ThreeWayMerger merger = MergeStrategy.RECURSIVE.newMerger(repository, true);
                if (!merger.merge(onTarget, source)) {
                    return new PullRequest(id, urlOf.apply(id), id, target, PullRequest.State.CONFLICTING, null);
                }
            }
        }
        return new PullRequest(id, urlOf.apply(id), id, target, PullRequest.State.OPEN, null);
    }

    private static java.util.Optional<java.util.UUID> changeIdOf(String branch) {
        if (!branch.startsWith(ProposeCommand.BRANCH_PREFIX)) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(java.util.UUID.fromString(branch.substring(ProposeCommand.BRANCH_PREFIX.length())));
        } catch (IllegalArgumentException notAChange) {
            return java.util.Optional.empty();
        }
    }

    /** The first commit on the target's first-parent line that contains the source. */
    private static RevCommit mergeCommit(RevWalk walk, RevCommit targetTip, RevCommit source) throws IOException {
        RevCommit candidate = targetTip;
        RevCommit found = targetTip;
        while (candidate != null && walk.isMergedInto(source, candidate)) {
            found = candidate;
            walk.parseHeaders(candidate);
            candidate = candidate.getParentCount() > 0 ? walk.parseCommit(candidate.getParent(0)) : null;
        }
        walk.parseBody(found);
        return found;
    }
}
