package dev.slipway.gitops;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;

/**
 * Writes changes straight to the target branch: one commit per change, in order, one push for all.
 * A push refused because the branch moved is redone on the new tip with backoff; a change whose
 * files someone else changed differently is {@link Outcome.Conflicting}; a change already on the
 * branch returns its commit. A push the remote declines for good is tried once more per change, so
 * that each change gets its own answer ({@link Outcome.Rejected} with the remote's message) and one
 * refused change does not take the others down with it. Nothing is ever force-pushed.
 */
public final class CommitCommand {

    private final WarmClone clone;
    private final CloneMaintenance maintenance;
    private final List<Change> changes = new ArrayList<>();

    CommitCommand(WarmClone clone, CloneMaintenance maintenance) {
        this.clone = clone;
        this.maintenance = maintenance;
    }

    public CommitCommand add(Change change) {
        changes.add(change);
        return this;
    }

    public CommitCommand addAll(List<Change> more) {
        changes.addAll(more);
        return this;
    }

    /**
     * @return one outcome per change, in the order they were added
     * @throws GitOpsUnavailableException when the remote cannot be reached, or the branch kept moving: try again later
     */
    public List<Outcome> call() {
        clone.lock().lock();
        try {
            return write(List.copyOf(changes));
        } catch (IOException e) {
            throw new GitOpsUnavailableException("GitOps clone unreadable: " + e.getMessage(), e);
        } finally {
            clone.lock().unlock();
        }
    }

    private List<Outcome> write(List<Change> batch) throws IOException {
        String branch = clone.settings().branch();
        for (int attempt = 1; ; attempt++) {
            if (attempt > 1 || !clone.fetched()) {
                clone.fetch();
            }
            ObjectId base = clone.tip();
            var outcomes = new LinkedHashMap<UUID, Outcome>();
            var written = new LinkedHashMap<UUID, ObjectId>();
            ObjectId head = build(batch, base, outcomes, written);
            if (written.isEmpty()) {
                return List.copyOf(outcomes.values());
            }
            switch (new Push(clone).call(head, branch, base)) {
                case Push.Result.Accepted accepted -> {
                    clone.committed(written, head);
                    written.forEach((id, commit) -> outcomes.put(id, new Outcome.Committed(id, commit.name(), false)));
                    maintenance.afterBatch();
                    return List.copyOf(outcomes.values());
                }
                case Push.Result.BranchMoved moved -> {
                    if (attempt >= clone.settings().maxAttempts()) {
                        throw new GitOpsUnavailableException("the branch " + branch + " kept moving: " + attempt
                                + " attempts refused (" + moved.message() + ")", null);
                    }
                    backoff(attempt);
                }
                case Push.Result.Refused refused -> {
                    if (written.size() == 1) {
                        UUID id = written.keySet().iterator().next();
                        outcomes.put(id, new Outcome.Rejected(id, "the remote refused the push: " + refused.message()));
                        return List.copyOf(outcomes.values());
                    }
                    return oneByOne(batch, outcomes);
                }
            }
        }
    }

    /** The batch was refused: each change that was to be written gets a push, and an answer, of its own. */
    private List<Outcome> oneByOne(List<Change> batch, Map<UUID, Outcome> decided) throws IOException {
        var outcomes = new ArrayList<Outcome>();
        for (Change change : batch) {
            Outcome outcome = decided.get(change.id());
            outcomes.add(outcome != null ? outcome : write(List.of(change)).getFirst());
        }
        return outcomes;
    }

    /**
     * The batch's commits on {@code base}, in one pack: {@code outcomes} gets an entry per change
     * (null for those written), {@code written} the new commit of each written change. Returns the
     * last commit.
     */
    private ObjectId build(List<Change> batch, ObjectId base, Map<UUID, Outcome> outcomes, Map<UUID, ObjectId> written)
            throws IOException {
        ObjectId head = base;
        try (ObjectInserter inserter = clone.newInserter(); ObjectReader reader = inserter.newReader()) {
            var commits = new ChangeCommit(inserter, reader, clone.settings());
            for (Change change : batch) {
                var known = clone.commitOf(change.id());
                if (known.isPresent()) {
                    outcomes.put(change.id(), new Outcome.Committed(change.id(), known.get(), true));
                    continue;
                }
                switch (commits.on(head, change)) {
                    case ChangeCommit.Result.Conflict conflict ->
                            outcomes.put(change.id(), new Outcome.Conflicting(change.id(), conflict.paths()));
                    case ChangeCommit.Result.Written commit -> {
                        head = commit.commit();
                        written.put(change.id(), head);
                        outcomes.put(change.id(), null);
                    }
                }
            }
            inserter.flush();
        }
        return head;
    }

    private static void backoff(int attempt) {
        long millis = Math.min(2000, 10L << Math.min(attempt, 8));
        try {
            Thread.sleep(millis / 2 + ThreadLocalRandom.current().nextLong(millis / 2 + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GitOpsUnavailableException("interrupted while waiting to retry", e);
        }
    }
}
