package dev.slipway.bench;

import dev.slipway.gitops.Change;
import dev.slipway.gitops.FileWrite;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.ResetCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;

/**
 * The baseline: what a first implementation does for each change. A fresh clone (with checkout) of
 * the remote into a temporary directory, the change's files written to the working tree, added,
 * committed with the {@code Slipway-Change-Id} trailer, pushed. A push refused because the branch
 * moved is redone after a fetch and a hard reset to the new tip, with the same backoff as
 * GitOpsWriter; an error from the remote means a fresh clone. Nothing is force-pushed. It is not
 * idempotent: a push that reached the remote but failed on the way back is written again (the
 * benchmark would count that as a duplicate).
 */
public final class NaiveWriter {

    /** What writing one change took. */
    public record Result(boolean pushed, int attempts, long cloneNanos, long pushNanos, String error) {
    }

    private static final PersonIdent COMMITTER = new PersonIdent("Slipway naive", "naive@localhost");

    private final String remoteUri;
    private final Path scratch;
    private final long deadlineNanos;

    /**
     * @param remoteUri     a path or URI JGit can clone from and push to
     * @param scratch       where the per-change clones go (each deleted afterwards)
     * @param deadlineNanos give up (pushed = false) after this {@link System#nanoTime()}
     */
    public NaiveWriter(String remoteUri, Path scratch, long deadlineNanos) {
        this.remoteUri = remoteUri;
        this.scratch = scratch;
        this.deadlineNanos = deadlineNanos;
    }

    public Result write(Change change) {
        long cloneNanos = 0;
        long pushNanos = 0;
        int attempts = 0;
        String error = null;
        while (System.nanoTime() < deadlineNanos) {
            Path directory = scratchDirectory();
            long started = System.nanoTime();
            try (Git git = Git.cloneRepository().setURI(remoteUri).setDirectory(directory.toFile())
                    .setBranch(Constants.R_HEADS + GitRemote.BRANCH).call()) {
                // a throwaway clone: no gc, and none in the background racing the deletion of the directory
                var config = git.getRepository().getConfig();
                config.setInt("gc", null, "auto", 0);
                config.setInt("gc", null, "autopacklimit", 0);
                config.setBoolean("gc", null, "autodetach", false);
                config.save();
                if (git.getRepository().resolve(Constants.HEAD) == null) {
                    // an empty remote: the first commit creates the branch
                    git.getRepository().updateRef(Constants.HEAD).link(Constants.R_HEADS + GitRemote.BRANCH);
                }
                cloneNanos += System.nanoTime() - started;
                while (System.nanoTime() < deadlineNanos) {
                    attempts++;
                    writeFiles(directory, change.files());
                    var add = git.add();
                    change.files().forEach(f -> add.addFilepattern(f.path()));
                    add.call();
                    git.commit().setMessage(message(change)).setAuthor(change.authorName(), change.authorEmail())
                            .setCommitter(COMMITTER).setSign(false).call();
                    long push = System.nanoTime();
                    Iterable<PushResult> results = git.push().setRemote("origin")
                            .setRefSpecs(new RefSpec(Constants.R_HEADS + GitRemote.BRANCH + ":"
                                    + Constants.R_HEADS + GitRemote.BRANCH)).call();
                    RemoteRefUpdate.Status status = results.iterator().next()
                            .getRemoteUpdate(Constants.R_HEADS + GitRemote.BRANCH).getStatus();
                    pushNanos += System.nanoTime() - push;
                    if (status == RemoteRefUpdate.Status.OK) {
                        return new Result(true, attempts, cloneNanos, pushNanos, null);
                    }
                    error = String.valueOf(status);
                    // the branch moved: wait a little (the same backoff as GitOpsWriter), start again from its new tip
                    backoff(attempts);
                    git.fetch().setRemote("origin").call();
                    if (git.getRepository().resolve(Constants.R_REMOTES + "origin/" + GitRemote.BRANCH) != null) {
                        git.reset().setMode(ResetCommand.ResetType.HARD)
                                .setRef(Constants.R_REMOTES + "origin/" + GitRemote.BRANCH).call();
                    } else {
                        // the branch still does not exist: drop our commit and start the branch afresh
                        RefUpdate delete = git.getRepository().updateRef(Constants.R_HEADS + GitRemote.BRANCH);
                        delete.setForceUpdate(true);
                        delete.delete();
                    }
                }
            } catch (GitAPIException | IOException e) {
                // the remote failed us (e.g. pushing was cut off): a fresh clone, and try again
                error = e.toString();
                attempts++;
                backoff(attempts);
            } finally {
                deleteTree(directory);
            }
        }
        return new Result(false, attempts, cloneNanos, pushNanos, "gave up: " + error);
    }

    private Path scratchDirectory() {
        try {
            Files.createDirectories(scratch);
            return Files.createTempDirectory(scratch, "clone-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void backoff(int attempt) {
        long millis = Math.min(2000, 10L << Math.min(attempt, 8));
        try {
            Thread.sleep(millis / 2 + ThreadLocalRandom.current().nextLong(millis / 2 + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void writeFiles(Path root, List<FileWrite> files) throws IOException {
        for (FileWrite file : files) {
            Path target = root.resolve(file.path());
            if (file.mode() == FileWrite.Mode.CREATE_IF_ABSENT && Files.exists(target)) {
                continue;
            }
            Files.createDirectories(target.getParent());
            Files.writeString(target, file.content(), StandardCharsets.UTF_8);
        }
    }

    /** The same message the portal's writer makes: title, body, trailer. */
    static String message(Change change) {
        return change.title() + "\n\n" + (change.body().isEmpty() ? "" : change.body() + "\n\n")
                + Change.TRAILER + ": " + change.id() + "\n";
    }

    static void deleteTree(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // scratch space; the benchmark deletes its whole directory at the end
        }
    }
}
