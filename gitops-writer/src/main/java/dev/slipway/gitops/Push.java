package dev.slipway.gitops;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.eclipse.jgit.errors.NoRemoteRepositoryException;
import org.eclipse.jgit.errors.TransportException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.Transport;

/**
 * One push of a commit to one branch of the remote, accepted only if the branch is still where the
 * clone last saw it (never forced). The remote's answer is sorted into what the caller must do:
 * go on, redo on the new tip, or give up with the remote's own words.
 */
final class Push {

    /** What the remote said. */
    sealed interface Result {
        /** The branch now points at the commit. */
        record Accepted() implements Result {
        }

        /** The branch moved, or another push held its lock: fetch and redo on the new tip. */
        record BranchMoved(String message) implements Result {
        }

        /** Declined for good (protected branch, a hook, permissions, size…): trying again changes nothing. */
        record Refused(String message) implements Result {
        }
    }

    /*
     * A concurrent push answers REJECTED_OTHER_REASON too: JGit's receive-pack says "failed to lock" or
     * "lock error", git's "cannot lock ref", "failed to update ref" or "is at … but expected …". Only these
     * are a branch that moved; every other reason is the remote's decision.
     */
    private static final Pattern MOVED = Pattern.compile(
            "(failed to|cannot|unable to) lock|lock (error|failure)|failed to update ref|but expected|stale info"
                    + "|incorrect old value|non-fast-forward|fetch first|ref exists|reference already exists");
    /* A transport error that is an answer, not an outage: the credentials may not push here. */
    private static final Pattern DENIED = Pattern.compile(
            "not authorized|not permitted|authentication is required|permission|forbidden|access denied|\\b403\\b");

    /** Far longer than any ref update takes, far shorter than a change should wait. */
    static final java.time.Duration STALE_LOCK = java.time.Duration.ofSeconds(30);

    private final WarmClone clone;

    Push(WarmClone clone) {
        this.clone = clone;
    }

    /**
     * Pushes {@code commit} to {@code branch} if the branch is at {@code expectedOld} (null: absent);
     * a null {@code commit} deletes the branch.
     *
     * @throws GitOpsUnavailableException when the remote cannot be reached: try again later
     */
    Result call(ObjectId commit, String branch, ObjectId expectedOld) {
        String ref = Constants.R_HEADS + branch;
        try (Transport transport = Transport.open(clone.repository(), WarmClone.REMOTE)) {
            if (clone.settings().credentials() != null) {
                transport.setCredentialsProvider(clone.settings().credentials());
            }
            var update = new RemoteRefUpdate(clone.repository(), commit == null ? null : commit.name(), ref, false, null,
                    expectedOld == null ? ObjectId.zeroId() : expectedOld);
            PushResult result = transport.push(NullProgressMonitor.INSTANCE, List.of(update));
            RemoteRefUpdate answer = result.getRemoteUpdate(ref);
            Result sorted = sort(answer.getStatus(), answer.getMessage());
            if (sorted instanceof Result.BranchMoved) {
                clearStaleLock(ref);
            }
            if (sorted instanceof Result.Accepted && commit == null) {
                clone.deleted(branch);
            } else if (sorted instanceof Result.Accepted) {
                clone.pushed(branch, commit);
            }
            return sorted;
        } catch (NoRemoteRepositoryException missing) {
            throw new GitOpsUnavailableException("GitOps remote unavailable: " + missing.getMessage(), missing);
        } catch (TransportException e) {
            String message = String.valueOf(e.getMessage());
            if (DENIED.matcher(message.toLowerCase(Locale.ROOT)).find()) {
                return new Result.Refused(message);
            }
            throw new GitOpsUnavailableException("GitOps remote unavailable: " + message, e);
        } catch (IOException | java.net.URISyntaxException e) {
            throw new GitOpsUnavailableException("GitOps remote unavailable: " + e.getMessage(), e);
        }
    }

    /**
     * A remote on this machine (local mode's own) is written by a receive-pack inside the portal: a
     * portal killed in the middle of a ref update leaves the ref's {@code .lock} file, and every push
     * after it would be refused as "failed to lock" for ever. A live writer holds that lock for
     * milliseconds; one older than {@link #STALE_LOCK} was left by a writer that died, and goes.
     */
    private void clearStaleLock(String ref) {
        java.io.File remote = clone.localRemote();
        if (remote == null) {
            return;
        }
        java.nio.file.Path lock = remote.toPath().resolve(ref + ".lock");
        try {
            if (java.nio.file.Files.exists(lock) && java.nio.file.Files.getLastModifiedTime(lock).toInstant()
                    .isBefore(java.time.Instant.now().minus(STALE_LOCK))) {
                java.nio.file.Files.deleteIfExists(lock);
                org.slf4j.LoggerFactory.getLogger(Push.class).warn("Removed {}, left by a writer that died", lock);
            }
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(Push.class).warn("Cannot look at {}: {}", lock, e.getMessage());
        }
    }

    static Result sort(RemoteRefUpdate.Status status, String message) {
        return switch (status) {
            case OK, UP_TO_DATE -> new Result.Accepted();
            case REJECTED_NONFASTFORWARD, REJECTED_REMOTE_CHANGED -> new Result.BranchMoved(describe(status, message));
            case REJECTED_OTHER_REASON -> message != null && MOVED.matcher(message.toLowerCase(Locale.ROOT)).find()
                    ? new Result.BranchMoved(describe(status, message))
                    : new Result.Refused(describe(status, message));
            case REJECTED_NODELETE, NON_EXISTING -> new Result.Refused(describe(status, message));
            // the remote did not answer for this branch: the connection broke off
            case NOT_ATTEMPTED, AWAITING_REPORT -> throw new GitOpsUnavailableException(
                    "the remote did not answer the push (" + status + ")", null);
        };
    }

    private static String describe(RemoteRefUpdate.Status status, String message) {
        return message == null || message.isBlank() ? status.name() : message;
    }
}
