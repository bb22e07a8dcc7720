package dev.slipway.gitops;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.transport.CredentialsProvider;

/**
 * Writes changes to one branch of the GitOps repository through a warm clone, with a command per
 * operation ({@link #commit()}, {@link #propose()}), each returning typed outcomes: committed with
 * its SHA, a pull request opened, conflicting with the paths, rejected with the remote's reason.
 * Every commit carries {@code Slipway-Change-Id}, so a change already on the branch is recognised
 * instead of written twice. Every remote, on this machine or not, gets a real push.
 */
public final class GitOpsWriter implements AutoCloseable {

    /**
     * @param remoteUri     a local path, {@code file://…}, {@code git://…} or {@code https://…}
     * @param branch        the target branch, e.g. {@code main}
     * @param workDirectory where the warm clone lives (created when missing)
     * @param credentials   for HTTPS remotes; null for the others
     * @param maxBatch      how many waiting changes one push may carry
     * @param maxAttempts   how often a batch is redone after the branch moved before giving up for now
     * @param clock         what "quiet for a while" goes by (repacks); null for the system's
     * @param merge         how {@link FileWrite.Mode#MERGE} writes combine a file with a change; null: none is taken
     */
    public record Settings(String remoteUri, String branch, Path workDirectory, CredentialsProvider credentials,
                           int maxBatch, int maxAttempts, PersonIdent committer, Clock clock, FileMerge merge) {
        public Settings {
            clock = clock == null ? Clock.systemUTC() : clock;
            merge = merge == null ? FileMerge.NONE : merge;
            Objects.requireNonNull(remoteUri, "remoteUri");
            Objects.requireNonNull(branch, "branch");
            Objects.requireNonNull(workDirectory, "workDirectory");
            maxBatch = maxBatch <= 0 ? 64 : maxBatch;
            maxAttempts = maxAttempts <= 0 ? 12 : maxAttempts;
            committer = committer == null ? new PersonIdent("Slipway", "slipway@localhost") : committer;
        }

        public Settings withMerge(FileMerge value) {
            return new Settings(remoteUri, branch, workDirectory, credentials, maxBatch, maxAttempts, committer, clock, value);
        }

        public static Settings of(String remoteUri, String branch, Path workDirectory) {
            return new Settings(remoteUri, branch, workDirectory, null, 0, 0, null, null, null);
        }
    }

    private final WarmClone clone;
    private final CloneMaintenance maintenance;

    public GitOpsWriter(Settings settings) {
        this.clone = new WarmClone(settings);
        this.maintenance = new CloneMaintenance(clone, settings.clock());
    }

    public Settings settings() {
        return clone.settings();
    }

    /** Changes straight to the branch, in one push. */
    public CommitCommand commit() {
        return new CommitCommand(clone, maintenance);
    }

    /** A change on a branch of its own, with a pull request. */
    public ProposeCommand propose() {
        return new ProposeCommand(clone);
    }

    /** A change's files as a diff against the branch. */
    public DiffCommand diff() {
        return new DiffCommand(clone);
    }

    /** The branch's files as the remote has them now. */
    public ReadCommand read() {
        return new ReadCommand(clone);
    }

    /** Tidies the warm clone; call it while nothing waits. Returns at once if a command is running. */
    public void maintain() {
        maintenance.whenIdle();
    }

    /** Stops a repack under way, and every later one: call it when the portal stops. */
    public void stopMaintenance() {
        maintenance.close();
    }

    /** For the local pull-request provider, which reads and merges in this clone. */
    WarmClone warmClone() {
        return clone;
    }

    @Override
    public void close() {
        maintenance.close();
        clone.close();
    }
}
