package dev.slipway.gitops;

import dev.slipway.gitops.pullrequest.PullRequest;
import dev.slipway.gitops.pullrequest.PullRequestException;
import dev.slipway.gitops.pullrequest.PullRequestProvider;
import java.io.IOException;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.merge.MergeStrategy;
import org.eclipse.jgit.merge.ThreeWayMerger;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.RemoteRefUpdate;

/**
 * Pull requests without a hosting service: the branch lives in the GitOps repository itself, and
 * Slipway merges it when told to (a merge commit, pushed like any other change, never forced).
 * A pull request's id is its branch. Its state is read from the repository: merged when the
 * branch's tip is on the target branch, conflicting when the two cannot be merged cleanly.
 */
public final class LocalPullRequests implements PullRequestProvider {

    private final GitOpsWriter writer;
    private final String urlPrefix;

    /** @param urlPrefix where the portal shows a pull request; the branch name is appended */
    public LocalPullRequests(GitOpsWriter writer, String urlPrefix) {
        this.writer = writer;
        this.urlPrefix = urlPrefix == null ? "" : urlPrefix;
    }

    @Override
    public PullRequest open(String sourceBranch, String targetBranch, String title, String description) {
        return get(sourceBranch);
    }

    @Override
    public PullRequest get(String id) {
        writer.lock().lock();
        try {
            writer.refresh();
            return state(id);
        } catch (IOException e) {
            throw new PullRequestException("cannot read pull request " + id + ": " + e.getMessage(), true, e);
        } finally {
            writer.lock().unlock();
        }
    }

    @Override
    public PullRequest merge(String id) {
        writer.lock().lock();
        try {
            for (int attempt = 1; attempt <= writer.settings().maxAttempts(); attempt++) {
                writer.refresh();
                PullRequest current = state(id);
                switch (current.state()) {
                    case MERGED -> {
                        return current;
                    }
                    case CLOSED -> throw new PullRequestException("pull request " + id + " is closed", false, null);
                    case CONFLICTING -> throw new PullRequestException(
                            "pull request " + id + " conflicts with " + writer.settings().branch(), false, null);
                    default -> { }
                }
                var repository = writer.repository();
                ObjectId targetTip = tracking(writer.settings().branch());
                if (targetTip == null) {
                    // the target branch does not exist yet: it starts at the pull request's commit
                    if (writer.pushTo(tracking(id), writer.settings().branch(), ObjectId.zeroId()) == RemoteRefUpdate.Status.OK) {
                        writer.refresh();
                        return state(id);
                    }
                    continue;
                }
                try (RevWalk walk = new RevWalk(repository); ObjectInserter inserter = repository.newObjectInserter()) {
                    RevCommit target = walk.parseCommit(targetTip);
                    RevCommit source = walk.parseCommit(tracking(id));
                    ThreeWayMerger merger = MergeStrategy.RECURSIVE.newMerger(repository, true);
                    if (!merger.merge(target, source)) {
                        throw new PullRequestException("pull request " + id + " conflicts with "
                                + writer.settings().branch(), false, null);
                    }
                    var commit = new CommitBuilder();
                    commit.setTreeId(merger.getResultTreeId());
                    commit.setParentIds(target, source);
                    PersonIdent now = new PersonIdent(writer.settings().committer(), java.time.Instant.now());
                    commit.setAuthor(now);
                    commit.setCommitter(now);
                    commit.setMessage("Merge pull request " + id + "\n\n" + source.getFullMessage());
                    ObjectId merge = inserter.insert(commit);
                    inserter.flush();
                    RemoteRefUpdate.Status status = writer.pushTo(merge, writer.settings().branch(), target);
                    if (status == RemoteRefUpdate.Status.OK) {
                        writer.refresh();
                        return state(id);
                    }
                }
            }
            throw new PullRequestException("the branch " + writer.settings().branch() + " kept moving", true, null);
        } catch (IOException e) {
            throw new PullRequestException("cannot merge pull request " + id + ": " + e.getMessage(), true, e);
        } finally {
            writer.lock().unlock();
        }
    }

    private PullRequest state(String id) throws IOException {
        var repository = writer.repository();
        String target = writer.settings().branch();
        ObjectId sourceTip = tracking(id);
        if (sourceTip == null) {
            return new PullRequest(id, urlPrefix + id, id, target, PullRequest.State.CLOSED, null);
        }
        ObjectId targetTip = tracking(target);
        try (RevWalk walk = new RevWalk(repository)) {
            RevCommit source = walk.parseCommit(sourceTip);
            if (targetTip != null) {
                RevCommit onTarget = walk.parseCommit(targetTip);
                if (walk.isMergedInto(source, onTarget)) {
                    return new PullRequest(id, urlPrefix + id, id, target, PullRequest.State.MERGED, mergeCommit(walk, onTarget, source));
                }
                ThreeWayMerger merger = MergeStrategy.RECURSIVE.newMerger(repository, true);
                if (!merger.merge(onTarget, source)) {
                    return new PullRequest(id, urlPrefix + id, id, target, PullRequest.State.CONFLICTING, null);
                }
            }
        }
        return new PullRequest(id, urlPrefix + id, id, target, PullRequest.State.OPEN, null);
    }

    /** The first commit on the target's first-parent line that contains the source. */
    private static String mergeCommit(RevWalk walk, RevCommit targetTip, RevCommit source) throws IOException {
        RevCommit candidate = targetTip;
        RevCommit found = targetTip;
        while (candidate != null && walk.isMergedInto(source, candidate)) {
            found = candidate;
            walk.parseHeaders(candidate);
            candidate = candidate.getParentCount() > 0 ? walk.parseCommit(candidate.getParent(0)) : null;
        }
        return found.name();
    }

    private ObjectId tracking(String branch) throws IOException {
        Ref ref = writer.repository().exactRef(Constants.R_REMOTES + "origin/" + branch);
        return ref == null ? null : ref.getObjectId();
    }
}
